"""A workspace of applications in mixed states, generated under a test's ``tmp_path``.

Each kind of application is a real project folder with real small files (PDFs drawn with
reportlab, an XLSX variable list), sha256 recorded as ``add`` would, so that validation and
building do their whole work. :data:`MIX` says how many of each kind ``make_workspace`` writes.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
CHANGE_EXAMPLE = REPO / "resources" / "examples" / "endringssoknad"

READY_ANSWERS: dict[str, Any] = {
    "application_type": "new", "institution_status": "approved", "personal_data": True,
    "legal_basis_valid_covering": True, "legal_basis_date": "2020-03-01",
    "health_research": False, "other_data_owners": [], "consent_based": False,
    "identifying_vars": [], "ssb_lists_exist": True,
}
READY_DOCS: list[tuple[str, list[str]]] = [
    ("vedlegg/soknadsskjema.pdf", ["application_form_new"]),
    ("vedlegg/protokoll.pdf", ["research_protocol"]),
    ("vedlegg/variabelliste.xlsx", ["ssb_variable_list"]),
    ("vedlegg/dpia.pdf", ["dpia"]),
    ("vedlegg/tilradning.pdf", ["dpo_recommendation"]),
]


def make_document(path: Path, text: str, pages: int = 1) -> bytes:
    """A small real PDF with ``text`` (or a ticked XLSX list); returns its bytes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix == ".xlsx":
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.append(["Bestilles (x)", "Variabelnavn", "Beskrivelse"])
        sheet.append(["x", "BEFOLKNING_KJOENN", text])
        book.save(path)
    else:
        from reportlab.pdfgen import canvas

        pdf = canvas.Canvas(str(path), invariant=1)
        for page in range(pages):
            pdf.drawString(72, 720, f"{text} (side {page + 1})")
            pdf.drawString(72, 700, "Søknad om lån av mikrodata – et dokument for en test.")
            pdf.showPage()
        pdf.save()
    return path.read_bytes()


def write_application(folder: Path, *, title: str, answers: dict[str, Any] | None = None,
                      docs: list[tuple[str, list[str]]] | None = None,
                      valid_until: str | None = "2029-12-31",
                      name: str | None = None, ssb_reference: str = "") -> Path:
    """A project folder with its documents; approvals valid until ``valid_until``."""
    documents = []
    for rel, types in READY_DOCS if docs is None else docs:
        content = make_document(folder / rel, f"{title}: {rel}")
        entry: dict[str, Any] = {"path": rel, "types": types,
                                 "sha256": hashlib.sha256(content).hexdigest(),
                                 "title": Path(rel).stem.capitalize()}
        if "dpo_recommendation" in types and valid_until:
            entry["valid_until"] = valid_until
        documents.append(entry)
    data = {"format": "soknadspakke/1",
            "project": {"title": title, "project_leader": "Kari Nordmann",
                        "institution": "Universitetet i Oslo", "org_number": "123456785",
                        "contact_email": "kari@example.org", "ssb_reference": ssb_reference,
                        "period_start": "2025-01-01", "period_end": "2028-12-31"},
            "answers": dict(READY_ANSWERS if answers is None else answers),
            "documents": documents}
    target = folder / f"{name or folder.name}.soknad"
    target.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    return target


def ready_new(folder: Path, i: int) -> Path:
    return write_application(folder, title=f"Prosjekt {i:02d} – arbeid og helse")


def ready_change(folder: Path, i: int) -> Path:
    shutil.copytree(CHANGE_EXAMPLE, folder)
    return folder / "endringssoknad.soknad"


def missing_document(folder: Path, i: int) -> Path:
    path = write_application(folder, title=f"Prosjekt {i:02d} – mangler fil")
    (folder / "vedlegg" / "protokoll.pdf").unlink()
    return path


def missing_dpia(folder: Path, i: int) -> Path:
    return write_application(folder, title=f"Prosjekt {i:02d} – uten DPIA",
                             docs=[d for d in READY_DOCS if d[1] != ["dpia"]])


def changed_file(folder: Path, i: int) -> Path:
    path = write_application(folder, title=f"Prosjekt {i:02d} – endret fil")
    make_document(folder / "vedlegg" / "dpia.pdf", "another version")
    return path


def broken_json(folder: Path, i: int) -> Path:
    folder.mkdir(parents=True)
    path = folder / f"{folder.name}.soknad"
    path.write_text('{"format": "soknadspakke/1", "project": {', encoding="utf-8")
    return path


def newer_format(folder: Path, i: int) -> Path:
    path = write_application(folder, title=f"Prosjekt {i:02d} – ny versjon")
    data = json.loads(path.read_text(encoding="utf-8"))
    data["format"] = "soknadspakke/9"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def impossible_answer(folder: Path, i: int) -> Path:
    return write_application(folder, title=f"Prosjekt {i:02d} – rart svar",
                             answers={**READY_ANSWERS, "application_type": "maybe"})


#: kind -> (how many, writer, expected "ready": True, False, or None for unreadable)
MIX: dict[str, tuple[int, Callable[[Path, int], Path], bool | None]] = {
    "ready-new": (14, ready_new, True),
    "ready-change": (4, ready_change, True),
    "missing-document": (4, missing_document, False),
    "missing-dpia": (3, missing_dpia, False),
    "changed-file": (2, changed_file, False),
    "broken-json": (2, broken_json, None),
    "newer-format": (2, newer_format, None),
    "impossible-answer": (1, impossible_answer, None),
}


def make_workspace(root: Path, mix: dict[str, tuple[int, Callable[[Path, int], Path],
                                                     bool | None]] | None = None
                   ) -> dict[str, bool | None]:
    """Write the applications; returns ``relative project path -> expected ready``."""
    expected: dict[str, bool | None] = {}
    number = 0
    for kind, (count, writer, ready) in (mix or MIX).items():
        for _n in range(count):
            number += 1
            path = writer(root / f"{number:02d}-{kind}", number)
            expected[path.relative_to(root).as_posix()] = ready
    return expected
