"""The observable project model."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from soknadspakke.core.project import (
    Document,
    EventKind,
    Project,
    ProjectEvent,
    normalize_relative_path,
)


@pytest.mark.parametrize(("raw", "expected"), [
    ("a.pdf", "a.pdf"),
    ("vedlegg\\cv.pdf", "vedlegg/cv.pdf"),
    ("./vedlegg/./cv.pdf", "vedlegg/cv.pdf"),
    (".\\a\\b\\..\\c.pdf", "a/c.pdf"),
    ("a/b/../../c.pdf", "c.pdf"),
    ("a//b///c.pdf", "a/b/c.pdf"),
    ("  a.pdf  ", "a.pdf"),
    ("mappe/", "mappe"),
    ("Søknad om lån.pdf", "Søknad om lån.pdf"),
])
def test_normalize_relative_path(raw: str, expected: str) -> None:
    assert normalize_relative_path(raw) == expected


@pytest.mark.parametrize(("raw", "reason"), [
    ("", "empty"),
    ("   ", "empty"),
    (".", "does not name a file"),
    ("./", "does not name a file"),
    ("a/..", "does not name a file"),
    ("..", "outside"),
    ("../x.pdf", "outside"),
    ("..\\x.pdf", "outside"),
    ("a/../../x", "outside"),
    ("a/./../b/../../x.pdf", "outside"),
    ("/etc/passwd", "absolute"),
    ("\\x.pdf", "absolute"),
    ("C:\\x.pdf", "absolute"),
    ("c:/x.pdf", "absolute"),
    ("C:x.pdf", "absolute"),
    ("\\\\server\\share\\x.pdf", "absolute"),
])
def test_normalize_relative_path_refuses(raw: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        normalize_relative_path(raw)


class Recorder:
    def __init__(self, project: Project) -> None:
        self.events: list[ProjectEvent] = []
        self.unsubscribe = project.subscribe(self.events.append)


@pytest.fixture
def project() -> Project:
    return Project(documents=[Document("a.pdf", ["cv"]), Document("b.pdf", ["dpia"]),
                              Document("c.pdf", ["cv", "rek_approval"])])


def test_new_project_is_unmodified(project: Project) -> None:
    assert project.modified is False


def test_set_info_emits_and_ignores_no_change(project: Project) -> None:
    rec = Recorder(project)
    project.set_info("title", "Helse")
    project.set_info("title", "Helse")
    project.set_info("period_end", date(2029, 12, 31))
    assert rec.events == [ProjectEvent(EventKind.INFO_CHANGED, key="title"),
                          ProjectEvent(EventKind.INFO_CHANGED, key="period_end")]
    assert project.info.title == "Helse"
    assert project.modified


def test_set_info_unknown_key(project: Project) -> None:
    rec = Recorder(project)
    with pytest.raises(KeyError):
        project.set_info("extra", "x")
    with pytest.raises(KeyError):
        project.set_info("colour", "x")
    assert rec.events == []
    assert not project.modified


def test_set_answer_emits_copies_and_removes(project: Project) -> None:
    rec = Recorder(project)
    value = ["FD-Trygd"]
    project.set_answer("registers", value)
    value.append("NPR")  # the caller's list is not the stored one
    assert project.answers["registers"] == ["FD-Trygd"]
    project.set_answer("registers", ["FD-Trygd"])  # equal: no event
    project.set_answer("registers", None)
    project.set_answer("registers", None)  # already gone: no event
    project.set_answer("linkage", False)
    assert rec.events == [ProjectEvent(EventKind.ANSWER_CHANGED, key="registers"),
                          ProjectEvent(EventKind.ANSWER_CHANGED, key="registers"),
                          ProjectEvent(EventKind.ANSWER_CHANGED, key="linkage")]
    assert project.answers == {"linkage": False}


def test_answer_false_and_empty_are_answers(project: Project) -> None:
    rec = Recorder(project)
    project.set_answer("x", False)
    project.set_answer("y", "")
    project.set_answer("z", [])
    assert project.answers == {"x": False, "y": "", "z": []}
    assert len(rec.events) == 3


def test_add_document(project: Project) -> None:
    rec = Recorder(project)
    assert project.add_document(Document(".\\vedlegg\\d.pdf")) == 3
    assert project.add_document(Document("first.pdf"), 0) == 0
    assert project.add_document(Document("far.pdf"), 99) == 5
    assert project.add_document(Document("neg.pdf"), -5) == 0
    assert [d.path for d in project.documents] == [
        "neg.pdf", "first.pdf", "a.pdf", "b.pdf", "c.pdf", "vedlegg/d.pdf", "far.pdf"]
    assert [e.index for e in rec.events] == [3, 0, 5, 0]
    assert {e.kind for e in rec.events} == {EventKind.DOCUMENT_ADDED}


def test_add_document_with_bad_path_changes_nothing(project: Project) -> None:
    rec = Recorder(project)
    with pytest.raises(ValueError, match="outside"):
        project.add_document(Document("../x.pdf"))
    assert len(project.documents) == 3
    assert rec.events == []
    assert not project.modified


def test_remove_document(project: Project) -> None:
    rec = Recorder(project)
    removed = project.remove_document(1)
    assert removed.path == "b.pdf"
    assert [d.path for d in project.documents] == ["a.pdf", "c.pdf"]
    assert rec.events == [ProjectEvent(EventKind.DOCUMENT_REMOVED, index=1)]
    with pytest.raises(IndexError):
        project.remove_document(5)
    assert len(rec.events) == 1


def test_move_document(project: Project) -> None:
    rec = Recorder(project)
    project.move_document(0, 2)
    assert [d.path for d in project.documents] == ["b.pdf", "c.pdf", "a.pdf"]
    project.move_document(2, 0)
    assert [d.path for d in project.documents] == ["a.pdf", "b.pdf", "c.pdf"]
    project.move_document(1, 1)  # no move, no event
    assert rec.events == [ProjectEvent(EventKind.DOCUMENT_MOVED, index=0, to_index=2),
                          ProjectEvent(EventKind.DOCUMENT_MOVED, index=2, to_index=0)]


def test_update_document(project: Project) -> None:
    rec = Recorder(project)
    before = project.documents[2]
    project.update_document(2, types=("dpia",), title="DPIA", path="x\\c.pdf",
                            valid_until=date(2030, 1, 1))
    doc = project.documents[2]
    assert doc.types == ["dpia"]
    assert doc.title == "DPIA"
    assert doc.path == "x/c.pdf"
    assert doc.valid_until == date(2030, 1, 1)
    assert before.types == ["cv", "rek_approval"]  # replaced, not mutated
    assert rec.events == [ProjectEvent(EventKind.DOCUMENT_CHANGED, index=2)]


@pytest.mark.parametrize("changes", [{"colour": "red"}, {"title": "x", "pages": 3},
                                     {"file_name": "x.pdf"}])
def test_update_document_rejects_unknown_fields(project: Project,
                                                changes: dict[str, object]) -> None:
    rec = Recorder(project)
    before = list(project.documents)
    with pytest.raises(KeyError):
        project.update_document(0, **changes)
    assert project.documents == before
    assert rec.events == []
    assert not project.modified


def test_update_document_rejects_bad_path(project: Project) -> None:
    with pytest.raises(ValueError, match="absolute"):
        project.update_document(0, path="/etc/passwd")
    assert project.documents[0].path == "a.pdf"
    assert not project.modified


def test_unsubscribe_and_several_listeners(project: Project) -> None:
    first, second = Recorder(project), Recorder(project)
    project.set_answer("a", 1)
    first.unsubscribe()
    first.unsubscribe()  # twice is harmless
    project.set_answer("a", 2)
    assert len(first.events) == 1
    assert len(second.events) == 2


def test_listener_may_unsubscribe_itself_while_notified(project: Project) -> None:
    calls: list[ProjectEvent] = []
    later: list[ProjectEvent] = []

    def once(event: ProjectEvent) -> None:
        calls.append(event)
        unsubscribe()

    unsubscribe = project.subscribe(once)
    project.subscribe(later.append)
    project.set_answer("a", 1)
    project.set_answer("a", 2)
    assert len(calls) == 1
    assert len(later) == 2


def test_listener_sees_the_change_already_made(project: Project) -> None:
    seen: list[object] = []
    project.subscribe(lambda e: seen.append((project.modified, project.answers.get("a"))))
    project.set_answer("a", "ja")
    assert seen == [(True, "ja")]


def test_mark_saved(project: Project, tmp_path: Path) -> None:
    project.set_info("title", "x")
    assert project.modified
    project.mark_saved(tmp_path / "p.soknad")
    assert not project.modified
    assert project.path == tmp_path / "p.soknad"
    assert project.base_dir == tmp_path
    project.remove_document(0)
    assert project.modified


def test_documents_of_type_keeps_order(project: Project) -> None:
    assert [d.path for d in project.documents_of_type("cv")] == ["a.pdf", "c.pdf"]
    assert list(project.documents_of_type("none")) == []


def test_display_title() -> None:
    assert Document("mappe/cv.pdf").display_title == "cv.pdf"
    assert Document("mappe/cv.pdf", title="CV").display_title == "CV"


def test_relative_path_for(tmp_path: Path) -> None:
    project = Project(path=tmp_path / "p.soknad")
    (tmp_path / "vedlegg").mkdir()
    inside = tmp_path / "vedlegg" / "cv.pdf"
    assert project.relative_path_for(inside) == "vedlegg/cv.pdf"
    assert project.relative_path_for(tmp_path / "vedlegg" / ".." / "x.pdf") == "x.pdf"
    assert project.resolve(Document("vedlegg/cv.pdf")) == inside
    with pytest.raises(ValueError, match="not inside the project's folder"):
        project.relative_path_for(tmp_path.parent / "other.pdf")
    with pytest.raises(ValueError, match="not inside the project's folder"):
        project.relative_path_for(tmp_path / ".." / "other.pdf")


def test_relative_path_for_follows_symlinked_folders(tmp_path: Path) -> None:
    real = tmp_path / "real"
    real.mkdir()
    link = tmp_path / "link"
    try:
        link.symlink_to(real, target_is_directory=True)
    except OSError:  # pragma: no cover - e.g. Windows without the privilege
        pytest.skip("symbolic links are not available")
    project = Project(path=link / "p.soknad")
    assert project.relative_path_for(real / "a.pdf") == "a.pdf"


def test_relative_path_without_project_file_uses_cwd(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    project = Project()
    assert project.base_dir == tmp_path
    assert project.relative_path_for(Path("sub") / "a.pdf") == "sub/a.pdf"
