"""The document library and templates: copies by reference, flagged when the library changes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from soknadspakke.cli import main
from soknadspakke.core.project_file import load_project
from soknadspakke.validation import sha256_of
from soknadspakke.workspace.locate import find_applications

from .factory import READY_ANSWERS, make_document, write_application


@pytest.fixture
def library(tmp_path: Path) -> Path:
    """``_bibliotek`` with a shared agreement, a DPIA and a template application using them."""
    folder = tmp_path / "ws" / "_bibliotek"
    template = write_application(folder, title="", name="mal", docs=[
        ("dpia-standard.pdf", ["dpia"]), ("tilradning-standard.pdf", ["dpo_recommendation"])])
    data = json.loads(template.read_text(encoding="utf-8"))
    data["project"] = {"institution": "Universitetet i Oslo", "org_number": "971035854",
                       "contact_email": "forskningsadministrasjon@uio.example"}
    template.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    make_document(folder / "fou-avtale.pdf", "Standardavtale for FoU-oppdrag")
    return folder


def warnings_of(project: Path, capsys: pytest.CaptureFixture[str]) -> list[dict[str, object]]:
    main(["validate", str(project), "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    return [f for f in report["findings"] if str(f["code"]).startswith("library_")]


def test_template_library_documents_and_a_changed_library_file(
        library: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ws = tmp_path / "ws"
    made = []
    for name in ("a", "b"):
        assert main(["init", str(ws / name), "--template", str(library / "mal.soknad"),
                     "--title", f"Prosjekt {name}", "--leader", "Kari Nordmann",
                     "--no-input"]) == 0
        made.append(ws / name / f"{name}.soknad")
    out = capsys.readouterr().out
    assert "Copied the template's vedlegg/dpia-standard.pdf" in out
    project = load_project(made[0])
    assert project.info.institution == "Universitetet i Oslo"
    assert project.info.org_number == "971035854"
    assert project.info.title == "Prosjekt a"
    assert project.answers == READY_ANSWERS
    assert [d.path for d in project.documents] == ["vedlegg/dpia-standard.pdf",
                                                   "vedlegg/tilradning-standard.pdf"]
    reference = project.documents[0].extra["library"]
    assert reference == {"file": "../_bibliotek/dpia-standard.pdf",
                         "sha256": sha256_of(library / "dpia-standard.pdf")}
    assert project.documents[1].valid_until is not None  # carried from the template
    # the library and its template are no applications of the workspace
    assert [p.relative_to(ws).as_posix() for p in find_applications(ws)] == [
        "a/a.soknad", "b/b.soknad"]

    assert main(["library", "add", str(made[0]), str(library / "fou-avtale.pdf"),
                 "--as", "other", "--title", "FoU-avtale"]) == 0
    assert "a copy of the library document" in capsys.readouterr().out
    assert warnings_of(made[0], capsys) == []

    # The administrator revises the standard DPIA: every application using it is flagged.
    make_document(library / "dpia-standard.pdf", "Standard DPIA, versjon 2")
    for path in made:
        flagged = warnings_of(path, capsys)
        assert [(f["code"], f["severity"], f["files"]) for f in flagged] == [
            ("library_document_changed", "warning", ["vedlegg/dpia-standard.pdf"])]
    assert main(["library", "uses", str(ws)]) == 1
    listing = capsys.readouterr().out
    assert listing.count("dpia-standard.pdf (out of date)") == 2
    assert "a/a.soknad: vedlegg/fou-avtale.pdf (up to date)" in listing
    main(["status", str(ws), "--format", "json"])
    assert [e["warnings"] >= 1 for e in json.loads(capsys.readouterr().out)] == [True, True]

    assert main(["library", "update", str(made[0])]) == 0
    assert "Updated vedlegg/dpia-standard.pdf from the library" in capsys.readouterr().out
    copy = ws / "a" / "vedlegg" / "dpia-standard.pdf"
    assert copy.read_bytes() == (library / "dpia-standard.pdf").read_bytes()
    assert warnings_of(made[0], capsys) == []
    main(["validate", str(made[0]), "--format", "json"])
    codes = {f["code"] for f in json.loads(capsys.readouterr().out)["findings"]}
    assert "document_changed" not in codes  # the entry's sha256 followed the copy
    assert len(warnings_of(made[1], capsys)) == 1  # b is still flagged until updated

    # adding the same library file again refreshes the copy instead of adding another
    make_document(library / "fou-avtale.pdf", "Standardavtale, revidert")
    assert main(["library", "add", str(made[0]), str(library / "fou-avtale.pdf"),
                 "--as", "other"]) == 0
    assert "Updated vedlegg/fou-avtale.pdf from the library" in capsys.readouterr().out
    project = load_project(made[0])
    assert [d.path for d in project.documents].count("vedlegg/fou-avtale.pdf") == 1
    assert len(project.documents) == 3


def test_a_missing_library_file_is_a_note(library: Path, tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "ws" / "c"
    assert main(["init", str(target), "--template", str(library / "mal.soknad"),
                 "--no-input"]) == 0
    capsys.readouterr()
    (library / "tilradning-standard.pdf").unlink()
    flagged = warnings_of(target / "c.soknad", capsys)
    assert [(f["code"], f["severity"]) for f in flagged] == [("library_document_gone", "info")]
