"""The flattened single-document copy the window previews forms with."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from soknadspakke.core.errors import Cancelled, InputFileError
from soknadspakke.pdf.preview import flattened_copy

REPO = Path(__file__).resolve().parents[2]
FORM = REPO / "resources" / "examples" / "ny-soknad" / "vedlegg" / "01-soknadsskjema.pdf"


def _widgets(path: Path) -> int:
    return sum(1 for page in PdfReader(path).pages for a in page.get("/Annots") or []
               if a.get_object().get("/Subtype") == "/Widget")


def test_form_fields_are_drawn_into_the_pages(tmp_path: Path) -> None:
    before = FORM.read_bytes()
    out = flattened_copy(FORM, tmp_path / "preview.pdf")
    assert FORM.read_bytes() == before
    assert _widgets(FORM) > 0
    assert _widgets(out) == 0
    assert len(PdfReader(out).pages) == len(PdfReader(FORM).pages)
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "Kari Nordmann" in text and "Eksempeluniversitetet" in text


def test_a_broken_file_names_itself(tmp_path: Path) -> None:
    bad = tmp_path / "ødelagt.pdf"
    bad.write_bytes(b"%PDF-1.4\ngarbage")
    with pytest.raises(InputFileError, match=r"ødelagt\.pdf"):
        flattened_copy(bad, tmp_path / "preview.pdf")
    assert not (tmp_path / "preview.pdf").exists()


def test_cancel_leaves_nothing(tmp_path: Path) -> None:
    with pytest.raises(Cancelled):
        flattened_copy(FORM, tmp_path / "preview.pdf", cancel=lambda: True)
    assert list(tmp_path.iterdir()) == []
