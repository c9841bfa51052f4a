"""The documents table model: a thin adapter over the core project, checked by Qt's own model
tester through every kind of change, the package-order proxy against the core's order, and drag
and drop with real drop events."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QModelIndex, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QAbstractItemView, QApplication, QTableView, QWidget

from soknadspakke.build import package_order
from soknadspakke.core.i18n import T
from soknadspakke.core.project import Document, Project
from soknadspakke.gui import commands
from soknadspakke.gui.documents import Column, DocumentsModel, PathRole
from soknadspakke.gui.package_order import PackageOrderProxy
from soknadspakke.gui.session import Session
from soknadspakke.rules.loader import default_pack

from .conftest import drag_events

TYPES = ["dpia", "research_protocol", "ssb_variable_list", "other", "application_form_new"]


@pytest.fixture
def session(tmp_path: Path) -> Iterator[Session]:
    project = Project(path=tmp_path / "p.soknad", documents=[
        Document(f"d{i}.pdf", [TYPES[i % len(TYPES)]]) for i in range(6)])
    made = Session(project, default_pack(), cache=None)
    yield made
    made.close()


def drop_files(widget: QWidget, paths: list[Path], pos: QPointF) -> None:
    """What a file manager's drop does: DragEnter, DragMove, Drop with text/uri-list."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    args = (Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier)
    for event in (*drag_events(pos, args),
                  QDropEvent(pos, *args)):
        QApplication.sendEvent(widget, event)
        assert event.isAccepted(), type(event).__name__


def test_the_model_passes_qts_model_tester_through_every_change(qtmodeltester: object,
                                                                session: Session) -> None:
    model = DocumentsModel(session)
    proxy = PackageOrderProxy(model)
    session.undo.indexChanged.connect(proxy.flush)  # as the window does
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    project, focus = session.project, session.focus
    rng = random.Random(7)
    for step in range(40):
        n = len(project.documents)
        action = rng.choice(["add", "remove", "move", "retag", "undo"])
        if action == "add" or n < 2:
            session.push(commands.AddDocuments(project, focus, [
                Document(f"n{step}.pdf", [rng.choice(TYPES)])], rng.randint(0, n)))
        elif action == "remove":
            session.push(commands.RemoveDocuments(project, focus, [rng.randrange(n)]))
        elif action == "move":
            i, j = rng.randrange(n), rng.randrange(n)
            if i != j:
                session.push(commands.MoveDocument(project, focus, i, j))
        elif action == "retag":
            session.push(commands.UpdateDocument(project, focus, rng.randrange(n),
                                                 T("x"), types=[rng.choice(TYPES)]))
        else:
            session.undo.undo()
        # The model is the project: same rows, same order, nothing cached.
        assert model.rowCount() == len(project.documents)
        assert [model.index(r, 0).data(PathRole) for r in range(model.rowCount())] == [
            d.path for d in project.documents]
        # The proxy is the package's order.
        shown = [proxy.index(r, 0).data(PathRole) for r in range(proxy.rowCount())]
        assert shown == [d.path for d in package_order(project, session.pack)]
        assert [proxy.headerData(r, Qt.Orientation.Vertical) for r in range(proxy.rowCount())
                ] == [str(r + 1) for r in range(proxy.rowCount())]


def test_removing_and_undoing_restores_the_row_and_its_document(session: Session) -> None:
    model = DocumentsModel(session)
    before = list(session.project.documents)
    session.push(commands.RemoveDocuments(session.project, session.focus, [1, 3]))
    assert model.rowCount() == 4
    session.undo.undo()
    assert session.project.documents == before
    assert model.index(3, Column.TITLE).data() == "d3.pdf"


@pytest.mark.parametrize(("y_row", "expected"), [(1, 1), (None, -1)])
def test_files_dropped_between_rows_and_below_the_last(qtbot: object, session: Session,
                                                       tmp_path: Path, y_row: int | None,
                                                       expected: int) -> None:
    files = [tmp_path / "protokoll.pdf", tmp_path / "dpia.docx"]
    for f in files:
        f.write_bytes(b"%PDF-1.4\n")
    model = DocumentsModel(session)
    view = QTableView()
    qtbot.addWidget(view)  # type: ignore[attr-defined]
    view.setModel(model)
    view.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
    view.setDragDropOverwriteMode(False)
    view.resize(600, 400)
    view.show()
    qtbot.waitExposed(view)  # type: ignore[attr-defined]
    if y_row is None:
        pos = QPointF(10, view.rowViewportPosition(model.rowCount() - 1)
                      + view.rowHeight(0) * 3)
    else:  # the upper edge of row y_row: between y_row - 1 and y_row
        pos = QPointF(10, view.rowViewportPosition(y_row) + 1)
    with qtbot.waitSignal(model.files_dropped, timeout=1000) as blocker:  # type: ignore[attr-defined]
        drop_files(view.viewport(), files, pos)
    assert blocker.args == [files, expected]


def test_a_view_that_takes_no_drops_refuses_them(qtbot: object, session: Session,
                                                 tmp_path: Path) -> None:
    view = QTableView()
    qtbot.addWidget(view)  # type: ignore[attr-defined]
    view.setModel(DocumentsModel(session))
    view.setDragDropMode(QAbstractItemView.DragDropMode.NoDragDrop)
    view.show()
    with pytest.raises(AssertionError):
        drop_files(view.viewport(), [tmp_path], QPointF(10, 10))


def test_dragging_a_row_asks_for_a_move_and_removes_nothing(session: Session) -> None:
    model = DocumentsModel(session)
    moves: list[tuple[list[int], int]] = []
    model.move_requested.connect(lambda rows, before: moves.append((rows, before)))
    mime = model.mimeData([model.index(4, 0)])
    assert model.dropMimeData(mime, Qt.DropAction.MoveAction, 1, 0, QModelIndex()) is False
    assert moves == [([4], 1)]
    assert model.rowCount() == 6


def test_setting_a_type_and_a_title_are_undoable_commands(session: Session) -> None:
    model = DocumentsModel(session)
    assert model.setData(model.index(0, Column.TYPES), "research_protocol")
    assert model.setData(model.index(0, Column.TITLE), "Protokollen")
    assert session.project.documents[0].types == ["research_protocol"]
    assert model.index(0, Column.TITLE).data() == "Protokollen"
    assert session.undo.count() == 2
    session.undo.undo()
    session.undo.undo()
    assert session.project.documents[0].types == ["dpia"]
    assert session.project.documents[0].title is None
    assert not model.setData(model.index(0, Column.TYPES), "no-such-type")


def test_a_new_report_repaints_only_the_status_cells_that_changed(session: Session) -> None:
    """After each answer the findings change; a change of the whole status column would
    repaint the whole table every time, so only the rows whose status changed are told."""
    from soknadspakke.intake.model import IntakeResult

    for doc in session.project.documents:  # checked files: a warning shows as "Check"
        session.results[doc.path] = IntakeResult(path=Path(doc.path), pages=1, size=1000)
    session.revalidate()
    model = DocumentsModel(session)
    changed: list[tuple[int, int, int, int]] = []
    model.dataChanged.connect(lambda a, b, *_: changed.append(
        (a.row(), a.column(), b.row(), b.column())))

    def statuses() -> list[object]:  # what the status cell shows: its text and tooltip
        return [(model.index(r, Column.STATUS).data(),
                 model.index(r, Column.STATUS).data(Qt.ItemDataRole.ToolTipRole))
                for r in range(model.rowCount())]

    before = statuses()
    session.push(commands.SetAnswer(session.project, session.focus, "application_type",
                                    "change", T("Answer")))
    after = statuses()
    rows = [r for r in range(model.rowCount()) if before[r] != after[r]]
    assert rows, "the test needs an answer that changes a status"
    assert changed == [(r, Column.STATUS, r, Column.STATUS) for r in rows]
    changed.clear()
    session.revalidate()  # the same findings again: nothing to repaint
    assert changed == []
