"""The project model's events are enough for a thin Qt adapter: about-to and done phases,
old and new values, no event for a change that changes nothing, listeners isolated."""

from __future__ import annotations

import logging
from datetime import date

import pytest

from soknadspakke.core.project import Document, EventKind, Project, ProjectEvent


@pytest.fixture
def project() -> Project:
    return Project(documents=[Document("a.pdf", ["cv"]), Document("b.pdf", ["dpia"]),
                              Document("c.pdf", ["cv"])])


class Mirror:
    """What a Qt model does: keeps nothing but checks that 'about to' comes before 'done' and
    that the list has not changed yet when it is announced."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self.log: list[tuple[EventKind, int | None, int | None, list[str]]] = []
        project.subscribe(self, about_to=True)

    def __call__(self, event: ProjectEvent) -> None:
        self.log.append((event.kind, event.index, event.to_index,
                         [d.path for d in self.project.documents]))


def test_about_to_events_come_before_the_change(project: Project) -> None:
    mirror = Mirror(project)
    project.add_document(Document("d.pdf"), 1)
    project.move_document(0, 3)
    project.remove_document(2)
    assert mirror.log == [
        (EventKind.DOCUMENT_ADDING, 1, None, ["a.pdf", "b.pdf", "c.pdf"]),
        (EventKind.DOCUMENT_ADDED, 1, None, ["a.pdf", "d.pdf", "b.pdf", "c.pdf"]),
        (EventKind.DOCUMENT_MOVING, 0, 3, ["a.pdf", "d.pdf", "b.pdf", "c.pdf"]),
        (EventKind.DOCUMENT_MOVED, 0, 3, ["d.pdf", "b.pdf", "c.pdf", "a.pdf"]),
        (EventKind.DOCUMENT_REMOVING, 2, None, ["d.pdf", "b.pdf", "c.pdf", "a.pdf"]),
        (EventKind.DOCUMENT_REMOVED, 2, None, ["d.pdf", "b.pdf", "a.pdf"]),
    ]


def test_plain_listeners_hear_only_what_was_done(project: Project) -> None:
    done: list[EventKind] = []
    project.subscribe(lambda e: done.append(e.kind))
    project.add_document(Document("d.pdf"))
    project.move_document(3, 0)
    assert done == [EventKind.DOCUMENT_ADDED, EventKind.DOCUMENT_MOVED]


def test_events_carry_old_and_new_values(project: Project) -> None:
    events: list[ProjectEvent] = []
    project.subscribe(events.append)
    project.set_info("title", "Helse")
    project.set_info("period_end", date(2030, 1, 1))
    project.set_answer("linkage", True)
    project.set_answer("linkage", None)
    before = project.documents[1]
    project.update_document(1, title="DPIA")
    removed = project.remove_document(0)
    assert [(e.old, e.new) for e in events[:4]] == [
        ("", "Helse"), (None, date(2030, 1, 1)), (None, True), (True, None)]
    assert events[4].old is before and events[4].new is project.documents[0]
    assert events[4].new.title == "DPIA"
    assert events[5].document is removed


def test_a_change_that_changes_nothing_emits_nothing(project: Project) -> None:
    events: list[ProjectEvent] = []
    project.subscribe(events.append, about_to=True)
    project.update_document(0, types=["cv"], title=None)
    project.move_document(1, 1)
    project.move_document(2, 99)  # already the last row
    project.set_answer("missing", None)
    assert events == []
    assert not project.modified


def test_a_failing_listener_does_not_stop_the_others(project: Project,
                                                     caplog: pytest.LogCaptureFixture) -> None:
    heard: list[ProjectEvent] = []

    def broken(event: ProjectEvent) -> None:
        raise RuntimeError("bug in a listener")

    project.subscribe(broken, about_to=True)
    project.subscribe(heard.append)
    with caplog.at_level(logging.ERROR, logger="soknadspakke.core.project"):
        project.add_document(Document("d.pdf"))
    assert [e.kind for e in heard] == [EventKind.DOCUMENT_ADDED]
    assert [d.path for d in project.documents][-1] == "d.pdf"
    assert "a project listener failed" in caplog.text


def test_add_document_leaves_the_callers_object_alone(project: Project) -> None:
    mine = Document(".\\vedlegg\\d.pdf", ["cv"])
    row = project.add_document(mine)
    assert mine.path == ".\\vedlegg\\d.pdf"
    assert project.documents[row] is not mine
    mine.types.append("dpia")
    assert project.documents[row].types == ["cv"]


def test_unsubscribing_an_about_to_listener_removes_both_phases(project: Project) -> None:
    seen: list[EventKind] = []
    unsubscribe = project.subscribe(lambda e: seen.append(e.kind), about_to=True)
    unsubscribe()
    project.add_document(Document("d.pdf"))
    assert seen == []
