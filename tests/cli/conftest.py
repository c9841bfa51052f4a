"""Running the real command line in a subprocess, and building project folders on disk."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.workspace.factory import READY_ANSWERS, READY_DOCS

REPO = Path(__file__).resolve().parents[2]

Cli = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    """``cli(*args, input=None)``: run ``python -m soknadspakke`` from this worktree."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("SOKNADSPAKKE_RESOURCES", "SOKNADSPAKKE_LANG", "LANGUAGE", "LC_ALL",
                        "LC_MESSAGES", "LANG")}
    env["PYTHONPATH"] = str(REPO / "desktop")
    env["PYTHONIOENCODING"] = "utf-8"

    def run(*args: str | Path, input: str | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "soknadspakke", *map(str, args)], cwd=tmp_path, env=env,
            input=input if input is not None else "", capture_output=True, text=True,
            encoding="utf-8", timeout=60, check=False)

    return run


def write_project(folder: Path, *, answers: dict[str, Any] | None = None,
                  docs: list[tuple[str, list[str]]] | None = None,
                  extra_docs: list[dict[str, Any]] | None = None,
                  name: str = "soknad.soknad") -> Path:
    """A project folder with real small files and correct sha256 for each document."""
    folder.mkdir(parents=True, exist_ok=True)
    documents: list[dict[str, Any]] = []
    for i, (rel, types) in enumerate(READY_DOCS if docs is None else docs):
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        content = make_document(path, f"Document {i}: {rel}")
        documents.append({"path": rel, "types": types,
                          "sha256": hashlib.sha256(content).hexdigest()})
    documents += extra_docs or []
    data = {"format": "soknadspakke/1",
            "project": {"title": "Arbeid og helse", "project_leader": "Kari Nordmann",
                        "institution": "Universitetet i Oslo", "org_number": "123456785",
                        "contact_email": "kari@example.org", "period_start": "2025-01-01",
                        "period_end": "2028-12-31"},
            "answers": READY_ANSWERS if answers is None else answers,
            "documents": documents}
    target = folder / name
    target.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    return target


def make_document(path: Path, text: str) -> bytes:
    """Write a small real document (a PDF with ``text``, or a ticked XLSX list); its bytes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix == ".xlsx":
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.append(["Bestilles (x)", "Variabelnavn", "Beskrivelse"])
        sheet.append(["x", "BEFOLKNING_KJOENN", text])
        sheet.append(["", "BEFOLKNING_FOEDSELS_AAR_MND", "Fødselsår og -måned"])
        book.save(path)
    else:
        from reportlab.pdfgen import canvas

        pdf = canvas.Canvas(str(path), invariant=1)
        pdf.drawString(72, 720, text)
        pdf.drawString(72, 700, "Søknad om lån av mikrodata – et dokument for en test.")
        pdf.showPage()
        pdf.save()
    return path.read_bytes()


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
