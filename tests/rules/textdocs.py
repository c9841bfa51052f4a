"""Small synthetic applications for the consistency tests: PDFs made from page texts."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from soknadspakke.core.project import Document, Project
from soknadspakke.core.project_file import load_project

REPO = Path(__file__).resolve().parents[2]
_FONT = "TestDejaVu"


def text_pdf(path: Path, pages: Sequence[str]) -> Path:
    """A PDF whose pages hold these texts, one line per line (DejaVu, so æøå read back)."""
    if _FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(_FONT, str(REPO / "resources/fonts/DejaVuSans.ttf")))
    path.parent.mkdir(parents=True, exist_ok=True)
    canvas = Canvas(str(path), invariant=1)
    for page in pages:
        text = canvas.beginText(60, 780)
        text.setFont(_FONT, 10)
        for line in page.splitlines():
            text.textLine(line)
        canvas.drawText(text)
        canvas.showPage()
    canvas.save()
    return path


INFO: dict[str, Any] = {
    "title": "Arbeid og helse", "project_leader": "Kari Nordmann",
    "institution": "Universitetet i Tromsø", "org_number": "970422528",
    "period_start": "2024-01-01", "period_end": "2028-12-31",
}
ANSWERS: dict[str, Any] = {
    "application_type": "new", "institution_status": "approved", "personal_data": True,
    "legal_basis_valid_covering": True, "legal_basis_date": "2020-03-01",
    "health_research": False, "other_data_owners": [], "consent_based": False,
    "identifying_vars": [], "ssb_lists_exist": True,
}


def application(folder: Path, docs: Sequence[tuple[str, Sequence[str], Sequence[str]]], *,
                info: dict[str, Any] | None = None, **answers: Any) -> Project:
    """A project in ``folder`` with one PDF per ``(file name, types, page texts)``."""
    documents = []
    for name, types, pages in docs:
        text_pdf(folder / "vedlegg" / name, pages)
        documents.append(Document(f"vedlegg/{name}", list(types)))
    data = {"format": "soknadspakke/1", "project": {**INFO, **(info or {})},
            "answers": {**ANSWERS, **answers}, "documents": []}
    path = folder / "p.soknad"
    path.write_text(json.dumps(data), encoding="utf-8")

    project = load_project(path)
    for doc in documents:
        project.add_document(doc)
    return project
