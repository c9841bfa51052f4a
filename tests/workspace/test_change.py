"""A change application started from an earlier one, and what changed on its cover sheet."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader

from soknadspakke.cli import main
from soknadspakke.core.changes import DocumentChangeKind, compare_with_previous
from soknadspakke.core.errors import SoknadError
from soknadspakke.core.project_file import load_project
from soknadspakke.rules.loader import default_pack
from soknadspakke.workspace.change import new_change_application

from .factory import make_document, write_application


@pytest.fixture
def earlier(tmp_path: Path) -> Path:
    return write_application(tmp_path / "2024-ny", title="Arbeid og helse",
                             ssb_reference="2024/0042", valid_until="2029-06-30")


def test_new_change_copies_the_facts_and_carries_the_starting_answers(
        earlier: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = earlier.read_bytes()
    assert main(["new-change", str(earlier), str(tmp_path / "2026-endring")]) == 0
    out = capsys.readouterr().out
    assert earlier.read_bytes() == before  # the earlier application is only read
    target = tmp_path / "2026-endring" / "2026-endring.soknad"
    project = load_project(target)
    previous = load_project(earlier)
    assert project.info == previous.info
    assert project.info.ssb_reference == "2024/0042"
    assert project.answers == {"application_type": "change", "personal_data": True,
                               "legal_basis_date": "2020-03-01"}
    assert project.documents == []
    snap = project.extra["previous_application"]
    assert snap["file"] == "../2024-ny/2024-ny.soknad"
    assert [d["path"] for d in snap["documents"]] == [d.path for d in previous.documents]
    assert "valid until 2029-06-30" in out and "DPO recommendation" in out
    assert "Still unanswered: change_types" in out


def test_new_change_refuses_to_overwrite_and_a_broken_earlier_file(
        earlier: Path, tmp_path: Path) -> None:
    pack = default_pack()
    new_change_application(earlier, tmp_path / "b", pack)
    with pytest.raises(SoknadError, match="exists already"):
        new_change_application(earlier, tmp_path / "b", pack)
    broken = tmp_path / "broken.soknad"
    broken.write_text('{"format": "soknadspakke/5"}', encoding="utf-8")
    with pytest.raises(SoknadError, match="newer version"):
        new_change_application(broken, tmp_path / "c", pack)
    assert not (tmp_path / "c").exists()


def test_documents_new_replaced_unchanged_on_validate_and_the_cover_sheet(
        earlier: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "endring"
    assert main(["new-change", str(earlier), str(folder)]) == 0
    target = folder / "endring.soknad"
    src = tmp_path / "innkommende"
    make_document(src / "endringsskjema.pdf", "Søknad om prosjektendring")
    make_document(src / "dpia-v2.pdf", "Oppdatert DPIA versjon 2")
    shutil.copy(earlier.parent / "vedlegg" / "tilradning.pdf", src / "tilradning.pdf")
    capsys.readouterr()
    for name, kind, extra in (("endringsskjema.pdf", "application_form_change", []),
                              ("dpia-v2.pdf", "dpia", ["--updated"]),
                              ("tilradning.pdf", "dpo_recommendation", [])):
        assert main(["add", str(target), str(src / name), "--as", kind, *extra]) == 0
    assert "valid until 2029-06-30, as in the earlier application" in capsys.readouterr().out
    project = load_project(target)
    assert project.documents[2].valid_until is not None
    assert project.documents[2].valid_until.isoformat() == "2029-06-30"
    project.set_answer("change_types", ["new_project_member"])
    project.set_info("project_leader", "Ola Nordmann")
    from soknadspakke.core.project_file import save_project

    save_project(project)

    summary = compare_with_previous(load_project(target))
    assert summary is not None
    kinds = {d.path or d.previous_path: d.kind for d in summary.documents}
    assert kinds == {
        "vedlegg/endringsskjema.pdf": DocumentChangeKind.NEW,
        "vedlegg/dpia-v2.pdf": DocumentChangeKind.REPLACED,
        "vedlegg/tilradning.pdf": DocumentChangeKind.UNCHANGED,
        "vedlegg/soknadsskjema.pdf": DocumentChangeKind.NOT_ENCLOSED,
        "vedlegg/protokoll.pdf": DocumentChangeKind.NOT_ENCLOSED,
        "vedlegg/variabelliste.xlsx": DocumentChangeKind.NOT_ENCLOSED,
    }
    assert [f.key for f in summary.facts] == ["project_leader"]

    main(["validate", str(target), "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    changes = report["changes"]
    assert changes["previous_title"] == "Arbeid og helse"
    replaced = [d for d in changes["documents"] if d["change"] == "replaced"]
    assert replaced == [{"change": "replaced", "path": "vedlegg/dpia-v2.pdf",
                         "title": "dpia-v2.pdf", "types": ["dpia"],
                         "previous_path": "vedlegg/dpia.pdf"}]
    answer_keys = {a["key"] for a in changes["answers"]}
    assert {"application_type", "change_types"} <= answer_keys
    assert "legal_basis_date" not in answer_keys

    main(["validate", str(target)])
    text = capsys.readouterr().out
    assert "Compared with the earlier application:" in text
    assert "Replaced documents: vedlegg/dpia-v2.pdf (replaces vedlegg/dpia.pdf)" in text
    assert "Changed: Project leader: Kari Nordmann → Ola Nordmann" in text
    assert "Changed answer: Is this a new application or a project change?: New application " \
           "→ Project change" in " ".join(text.split())

    out = tmp_path / "pakke.pdf"
    assert main(["build", str(target), "--draft", "-o", str(out), "--quiet"]) == 0
    cover = " ".join(PdfReader(out).pages[0].extract_text().split())
    assert "New documents vedlegg/endringsskjema.pdf" in cover
    assert "vedlegg/dpia-v2.pdf (replaces vedlegg/dpia.pdf)" in cover
    assert "Unchanged documents vedlegg/tilradning.pdf" in cover
    assert "Kari Nordmann → Ola Nordmann" in cover


def test_an_application_without_a_snapshot_has_no_change_section(earlier: Path,
                                                                  capsys: pytest.CaptureFixture[str]
                                                                  ) -> None:
    assert compare_with_previous(load_project(earlier)) is None
    main(["validate", str(earlier), "--format", "json"])
    assert "changes" not in json.loads(capsys.readouterr().out)
