"""The checklist's contents as the user reads them: the verdict, what is in order and which
document meets it, what is missing with the types that would meet it and the guidance behind
it, and a requirement that becomes met when a document's type is set."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QComboBox
from pytestqt.qtbot import QtBot

from soknadspakke.gui.checklist import Checklist, FilesRole
from soknadspakke.gui.documents import Column, PathRole
from soknadspakke.gui.main_window import MainWindow

from .conftest import wait_checked

Make = Callable[..., MainWindow]
DPIA = "vedlegg/05-dpia.pdf"
#: The DPIA requirement of the example (a legal basis from after 20.7.2018).
MISSING_DPIA = ("[N7] The legal basis is from 20.7.2018 or later: attach a Data protection "
                "impact assessment (DPIA) or Assessment that no DPIA is needed (negative DPIA).")
MET_DPIA = "[N7] A DPIA or negative DPIA is attached. – vedlegg/05-dpia.pdf"


def opened(qtbot: QtBot, make_window: Make, project: Path) -> tuple[MainWindow, Checklist]:
    window = make_window()
    assert window.open_project(project)
    wait_checked(qtbot, window)
    assert window.checklist is not None
    return window, window.checklist


def group(checklist: Checklist, title_start: str) -> QModelIndex:
    """The group whose title starts so (an invalid index when there is none)."""
    model = checklist.model
    for row in range(model.rowCount()):
        index = model.index(row, 0)
        if str(index.data()).startswith(title_start):
            return index
    return QModelIndex()


def items(checklist: Checklist, parent: QModelIndex) -> list[str]:
    model = checklist.model
    return [str(model.index(r, 0, parent).data()) for r in range(model.rowCount(parent))]


def item(checklist: Checklist, parent: QModelIndex, text: str) -> QModelIndex:
    model = checklist.model
    for row in range(model.rowCount(parent)):
        index = model.index(row, 0, parent)
        if index.data() == text:
            return index
    raise AssertionError(f"{text!r} is not among {items(checklist, parent)}")


def set_type(qtbot: QtBot, window: MainWindow, path: str, type_name: str) -> None:
    """Select the document, Ctrl+T, pick the type in the list, Enter: as the user does."""
    window.select_documents([path])
    window.view.setFocus()
    QTest.keyClick(window.view, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    index = window.view.currentIndex()
    assert index.column() == Column.TYPES and index.data(PathRole) == path
    editor = window.view.indexWidget(index)
    assert isinstance(editor, QComboBox), editor
    target = editor.findText(type_name)
    assert target >= 0, type_name
    key = Qt.Key.Key_Down if target > editor.currentIndex() else Qt.Key.Key_Up
    for _step in range(editor.count()):
        if editor.currentIndex() == target:
            break
        QTest.keyClick(editor, key)
    QTest.keyClick(editor, Qt.Key.Key_Return)  # the delegate commits on the next turn
    qtbot.waitUntil(lambda: window.view.indexWidget(index) is None, timeout=2000)


def test_in_order_names_the_document_that_meets_each_requirement(qtbot: QtBot,
                                                                 make_window: Make,
                                                                 example_copy: Path) -> None:
    window, checklist = opened(qtbot, make_window, example_copy)
    in_order = group(checklist, "In order")
    assert in_order.data() == "In order (8)"
    assert not checklist.tree.isExpanded(in_order)  # folded away: it needs no work
    met = items(checklist, in_order)
    assert MET_DPIA in met
    assert "[N1] The application form is attached. – vedlegg/01-soknadsskjema.pdf" in met
    # a requirement met by two documents names both
    assert ("[N8] The exemption applications and decisions from other data owners are "
            "attached. – vedlegg/07-dispensasjonssoknad-nav.pdf, "
            "vedlegg/08-vedtak-dispensasjon-nav.jpg") in met
    # and activating it selects its document
    dpia = item(checklist, in_order, MET_DPIA)
    assert dpia.data(FilesRole) == [DPIA]
    checklist.tree.expand(in_order)
    checklist.tree.activated.emit(dpia)
    assert window.session is not None
    assert window.selected_rows() == [window.session.row_of(DPIA)]


def test_the_verdict_and_a_missing_document_with_what_would_meet_it(
        qtbot: QtBot, make_window: Make, example_copy: Path) -> None:
    window, checklist = opened(qtbot, make_window, example_copy)
    # the bundled example is ready; the scanned decision letter is the one warning
    assert checklist.verdict.text() == "Ready to send (warnings to check: 1)"
    assert not group(checklist, "Errors").isValid()
    window.select_documents([DPIA])
    window.view.setFocus()
    QTest.keyClick(window.view, Qt.Key.Key_Delete)
    assert checklist.verdict.text() == "Not ready (errors: 1). First: " + MISSING_DPIA[5:]
    errors = group(checklist, "Errors")
    assert errors.data() == "Errors – must be fixed (1)"
    assert checklist.tree.isExpanded(errors)
    missing = item(checklist, errors, MISSING_DPIA)
    guidance = window.pack.guidance["S12"].render("en")
    assert guidance.startswith("Projects with a valid and covering legal basis")
    assert items(checklist, missing) == [
        "Met by: Data protection impact assessment (DPIA) · Assessment that no DPIA is "
        "needed (negative DPIA)",
        f"S12 says: “{guidance}”"]
    assert MET_DPIA not in items(checklist, group(checklist, "In order"))
    # undo: ready again
    assert window.session is not None
    window.session.undo.undo()
    assert checklist.verdict.text() == "Ready to send (warnings to check: 1)"


def test_setting_a_documents_type_meets_a_requirement(qtbot: QtBot, make_window: Make,
                                                      example_copy: Path) -> None:
    window, checklist = opened(qtbot, make_window, example_copy)
    assert window.session is not None
    set_type(qtbot, window, DPIA, "Other attachment")
    assert [d.types for d in window.session.project.documents if d.path == DPIA] == [["other"]]
    assert items(checklist, group(checklist, "Errors")) == [MISSING_DPIA]
    assert checklist.verdict.text().startswith("Not ready (errors: 1)")
    set_type(qtbot, window, DPIA, "Assessment that no DPIA is needed (negative DPIA)")
    assert not group(checklist, "Errors").isValid()
    assert checklist.verdict.text() == "Ready to send (warnings to check: 1)"
    assert "[N7] A DPIA or negative DPIA is attached. – vedlegg/05-dpia.pdf" in items(
        checklist, group(checklist, "In order"))
