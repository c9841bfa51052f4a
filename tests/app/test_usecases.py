"""The use cases both front ends call: attaching a file, unanswered questions."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from soknadspakke.core.project import Document, Project
from soknadspakke.intake import IntakeCache
from soknadspakke.rules.loader import default_pack
from soknadspakke.usecases import (
    AttachError,
    apply_attachment,
    check_types,
    prepare_attachment,
    unanswered_questions,
)

REPO = Path(__file__).resolve().parents[2]
VEDLEGG = REPO / "resources" / "examples" / "ny-soknad" / "vedlegg"


@pytest.fixture
def project(tmp_path: Path) -> Project:
    (tmp_path / "p").mkdir()
    return Project(path=tmp_path / "p" / "p.soknad")


def test_prepare_copies_a_file_from_outside_and_never_changes_the_project(
        project: Project, tmp_path: Path) -> None:
    source = tmp_path / "protokoll.pdf"
    shutil.copyfile(VEDLEGG / "02-forskningsprotokoll.pdf", source)
    before = source.read_bytes()
    prepared = prepare_attachment(project, default_pack(), source,
                                  cache=IntakeCache(tmp_path / "cache"))
    assert prepared.placed and prepared.copied
    assert prepared.path == "vedlegg/protokoll.pdf"
    assert (project.base_dir / "vedlegg" / "protokoll.pdf").read_bytes() == before
    assert source.read_bytes() == before
    assert prepared.suggested_type == "research_protocol"
    assert project.documents == [] and not project.modified
    again = prepare_attachment(project, default_pack(), source,
                               cache=IntakeCache(tmp_path / "cache"))
    assert again.path == prepared.path and not again.copied  # same content: reused


def test_apply_adds_then_updates_the_same_path(project: Project, tmp_path: Path) -> None:
    source = tmp_path / "dpia.pdf"
    shutil.copyfile(VEDLEGG / "05-dpia.pdf", source)
    prepared = prepare_attachment(project, default_pack(), source,
                                  cache=IntakeCache(tmp_path / "cache"))
    first = apply_attachment(project, prepared, ["dpia"], title="DPIA")
    assert (first.row, first.updated) == (0, False)
    second = apply_attachment(project, prepared, [], updated_for_this_change=True)
    assert (second.row, second.updated) == (0, True)
    doc = project.documents[0]
    assert (doc.types, doc.title, doc.updated_for_this_change) == (["dpia"], "DPIA", True)
    assert doc.sha256 == prepared.sha256


def test_an_unusable_file_is_not_placed(project: Project, tmp_path: Path) -> None:
    source = tmp_path / "broken.pdf"
    source.write_bytes(b"%PDF-1.7\nnot really\n")
    prepared = prepare_attachment(project, default_pack(), source,
                                  cache=IntakeCache(tmp_path / "cache"))
    assert not prepared.placed
    assert not (project.base_dir / "vedlegg").exists()
    with pytest.raises(AttachError):
        apply_attachment(project, prepared, ["dpia"])
    with pytest.raises(AttachError, match="no such file"):
        prepare_attachment(project, default_pack(), tmp_path / "gone.pdf")


def test_check_types() -> None:
    pack = default_pack()
    assert check_types(pack, ["dpia", "dpia"]) == ["dpia"]
    with pytest.raises(AttachError, match="unknown document type"):
        check_types(pack, ["nope"])
    with pytest.raises(AttachError, match="at most two"):
        check_types(pack, ["dpia", "other", "research_protocol"])


def test_unanswered_questions_follow_the_answers() -> None:
    pack = default_pack()
    project = Project()
    first = unanswered_questions(project, pack)
    assert first[0] == "application_type"
    project.set_answer("application_type", "change")
    after = unanswered_questions(project, pack)
    assert "application_type" not in after
    assert "change_types" in after
    project.add_document(Document("x.pdf"))
    assert unanswered_questions(project, pack) == after
