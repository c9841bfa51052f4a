"""The streamed assembly makes the same package as the assembly before it (issue 10).

``data/stream_reference.json`` was written by the assembler before it streamed (commit
05f7661, every input opened at the start and kept open until one final write): page by page
(text as ``pdftotext`` reads it, boxes, rotation, annotations), outline for outline and link for
link, for the bundled example, a generated application of many kinds of documents (outlines,
internal and web links, named destinations, forms, active content, rotated and odd-sized pages)
and the same with live form fields. Regenerate only on purpose::

    PYTHONPATH=desktop python -m tests.pdf.test_pdf_streamed --write
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import shutil
import sys
import tempfile
import weakref
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from reportlab.lib.pagesizes import A3, A4, LETTER, landscape

from soknadspakke.build import build_package
from soknadspakke.core.project_file import load_project
from soknadspakke.intake import IntakeCache
from soknadspakke.pdf import assemble_package
from soknadspakke.rules.loader import default_pack
from tests.pdf.pdf_testkit import (
    active_pdf,
    annots_of,
    document,
    form_pdf,
    outline_tree,
    page_index_map,
    page_texts,
    spec,
    text_pdf,
)

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "resources" / "examples" / "ny-soknad"
REFERENCE = Path(__file__).parent / "data" / "stream_reference.json"


def _number(value: Any) -> float:
    return round(float(value), 3)


def _dest_page(dest: Any, index: dict[int, int]) -> int | None:
    if isinstance(dest, list) and dest and hasattr(dest[0], "idnum"):
        return index.get(dest[0].idnum)
    return None


def describe(pdf: Path, *, mask_sha: bool = False) -> dict[str, Any]:
    """What a reader sees of a package: per page its text, boxes, rotation and annotations
    (links with their target page or URI), the outline, page labels, attachments, fields.
    ``mask_sha`` hides the index's sha256 column (inputs pypdf writes carry a time-based ID)."""
    reader = PdfReader(pdf)
    index = page_index_map(reader)
    texts = page_texts(pdf)
    pages = []
    for i, page in enumerate(reader.pages):
        annots = []
        for annot in annots_of(page):
            item: dict[str, Any] = {"subtype": str(annot.get("/Subtype")),
                                    "rect": [_number(v) for v in annot.get("/Rect", [])]}
            if "/Dest" in annot:
                item["dest_page"] = _dest_page(annot["/Dest"].get_object(), index)
                item["fit"] = [str(v) for v in annot["/Dest"].get_object()[1:]]
            action = annot.get("/A")
            if action is not None:
                action = action.get_object()
                item["action"] = str(action.get("/S"))
                if "/URI" in action:
                    item["uri"] = str(action["/URI"])
            if "/T" in annot:
                item["field"] = str(annot["/T"])
            annots.append(item)
        pages.append({
            "text": re.sub(r"\b[0-9a-f]{12}\b", "<sha256>", texts[i]) if mask_sha
            else texts[i],
            "mediabox": [_number(v) for v in page.mediabox],
            "cropbox": [_number(v) for v in page.cropbox],
            "rotate": int(page.get("/Rotate", 0)),
            "annots": annots,
        })
    fields = sorted((reader.get_fields() or {}).keys())
    return {
        "pages": pages,
        "outline": outline_tree(reader),
        "labels": list(reader.page_labels),
        "attachments": sorted(reader.attachments),
        "fields": fields,
        "page_mode": str(reader.page_mode),
    }


# --- the packages compared --------------------------------------------------------------------


def _example(folder: Path) -> Path:
    shutil.copytree(EXAMPLE, folder / "ny-soknad")
    project = load_project(folder / "ny-soknad" / "ny-soknad.soknad")
    out = folder / "example.pdf"
    build_package(project, default_pack(), out, lang="nb", today=date(2026, 11, 24),
                  cache=IntakeCache(folder / "cache"))
    return out


def _generated(folder: Path, *, keep_form_fields: bool) -> Path:
    inputs = folder / "inputs"
    inputs.mkdir(exist_ok=True)
    docs = [
        text_pdf(inputs / "protokoll.pdf", pages=4, outline=True, links=True, marker="PROT"),
        form_pdf(inputs / "skjema.pdf"),
        form_pdf(inputs / "skjema2.pdf", name="Ola", checked=False, appearances=False),
        text_pdf(inputs / "a3.pdf", pages=2, size=A3, marker="ATRE"),
        text_pdf(inputs / "letter-rot.pdf", pages=3, size=LETTER, rotate=90, marker="LETR"),
        active_pdf(inputs / "aktiv.pdf"),
        text_pdf(inputs / "landscape.pdf", pages=2, size=landscape(A4), rotate=270,
                 marker="LAND", links=True),
        *(text_pdf(inputs / f"kort{n:02d}.pdf", pages=1 + n % 3, marker=f"K{n:02d}",
                   outline=n % 2 == 0) for n in range(12)),
    ]
    package_docs = [document(path, label=f"Type {i}", short=f"T{i}", title=f"Dokument {i}")
                    for i, path in enumerate(docs)]
    name = "generated-live.pdf" if keep_form_fields else "generated.pdf"
    out = folder / name
    assemble_package(spec(package_docs, keep_form_fields=keep_form_fields), out)
    return out


CASES: dict[str, Callable[[Path], Path]] = {
    "example": _example,
    "generated": lambda folder: _generated(folder, keep_form_fields=False),
    "generated-live-fields": lambda folder: _generated(folder, keep_form_fields=True),
}


@pytest.fixture(scope="module")
def reference() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(REFERENCE.read_text(encoding="utf-8"))
    return data


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_streamed_package_equals_the_reference(case: str, reference: dict[str, Any],
                                                    tmp_path: Path) -> None:
    got = json.loads(json.dumps(describe(CASES[case](tmp_path), mask_sha=case != "example")))
    want = reference[case]
    assert len(got["pages"]) == len(want["pages"])
    for n, (page, old) in enumerate(zip(got["pages"], want["pages"], strict=True), start=1):
        assert page == old, f"page {n} differs"
    for key in ("outline", "labels", "attachments", "fields", "page_mode"):
        assert got[key] == want[key], key


def test_each_document_is_let_go_before_the_next(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """At most two inputs are open at once (the one copied and the one read ahead), even
    with the garbage collector paused: memory is flat in the number of documents."""
    from soknadspakke.pdf import inputs as assemble

    opened: list[weakref.ref[PdfReader]] = []
    most = 0
    original_open = assemble._open

    def counting_open(*args: Any) -> PdfReader:
        nonlocal most
        reader = original_open(*args)
        opened.append(weakref.ref(reader))
        most = max(most, sum(1 for ref in opened if ref() is not None))
        return reader

    monkeypatch.setattr(assemble, "_open", counting_open)
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    docs = [document(text_pdf(inputs / f"d{n:02d}.pdf", pages=2, outline=True, links=True,
                              marker=f"D{n:02d}"), title=f"D{n}") for n in range(12)]
    docs = [dataclasses.replace(d, pages=2) for d in docs]  # counts known, as from intake
    result = assemble_package(spec(docs), tmp_path / "out.pdf", pause_gc=True)
    assert len(opened) == 12 and most <= 2
    assert result.pages == len(PdfReader(tmp_path / "out.pdf").pages) == 24 + 2


def _write() -> None:
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1795000000")
    folder = Path(tempfile.mkdtemp(prefix="stream-reference-"))
    try:
        data = {}
        for case, make in CASES.items():
            (folder / case).mkdir()
            data[case] = describe(make(folder / case), mask_sha=case != "example")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    REFERENCE.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n",
                         encoding="utf-8")


if __name__ == "__main__" and "--write" in sys.argv:
    _write()
