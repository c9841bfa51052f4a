"""Every PDF of the shared corpus (real files from other tools) goes through intake."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from soknadspakke.core.findings import Severity
from soknadspakke.intake import IntakeCache, inspect_file

from .conftest import CORPUS, codes

SAMPLES = CORPUS / "py-pdf-sample-files"
PASSWORDS = {"005-libreoffice-writer-password/libreoffice-writer-password.pdf": "openpassword"}
#: files.json counts an /AcroForm dictionary as a form; this one has no fields in it at all.
EMPTY_ACROFORM = {"013-reportlab-overlay/reportlab-overlay.pdf"}


def _entries() -> list[dict[str, Any]]:
    listing = SAMPLES / "files.json"
    if not listing.is_file():
        return []
    return list(json.loads(listing.read_text(encoding="utf-8"))["data"])


pytestmark = [
    pytest.mark.corpus,
    pytest.mark.skipif(not (SAMPLES / "files.json").is_file(),
                       reason=f"the shared PDF corpus is not at {SAMPLES}"),
]


@pytest.mark.parametrize("entry", _entries(), ids=lambda e: str(e["path"]))
def test_corpus_pdf(entry: dict[str, Any], tmp_path: Path) -> None:
    path = SAMPLES / entry["path"]
    before = path.stat().st_mtime_ns
    password = PASSWORDS.get(entry["path"])
    cache = IntakeCache(tmp_path / "cache")
    if entry["encrypted"]:
        asked = inspect_file(path, cache=cache)
        assert asked.needs_password and codes(asked) == ["password_required"]
    result = inspect_file(path, password=password, cache=cache)
    assert result.kind == "pdf" and result.encrypted == entry["encrypted"]
    if result.usable:
        assert result.pages == entry["pages"], codes(result)
        assert len(result.page_info) == result.pages
        assert not result.needs_password
        assert result.has_forms == (bool(entry["forms"]) and entry["path"] not in EMPTY_ACROFORM)
    else:  # refused: one clear error naming the file and what to do
        errors = [f for f in result.findings if f.severity is Severity.ERROR]
        assert len(errors) == 1 and errors[0].files == (path.name,)
        assert path.name in errors[0].message.render("en")
        assert errors[0].code in ("pdf_damaged", "pdf_no_pages")
    assert path.stat().st_mtime_ns == before


def test_all_corpus_files_are_listed() -> None:
    listed = {e["path"] for e in _entries()}
    present = {p.relative_to(SAMPLES).as_posix() for p in SAMPLES.rglob("*.pdf")}
    assert present == listed
