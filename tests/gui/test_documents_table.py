"""The documents table in the real window: rows dragged between rows with real drag events,
the intake panel's row per file, folders and the Add commands, a file holding two types, and
the totals line under the table."""

from __future__ import annotations

import json
import shutil
import threading
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractItemView, QApplication, QComboBox, QMenu
from pytestqt.qtbot import QtBot

from soknadspakke.core.errors import Cancelled
from soknadspakke.core.findings import Severity
from soknadspakke.core.i18n import Plain
from soknadspakke.gui import settings as keys
from soknadspakke.gui.documents import Column, PathRole
from soknadspakke.gui.main_window import MainWindow
from soknadspakke.gui.session import Session
from soknadspakke.usecases import prepare_attachment

from .conftest import EXAMPLE, ScriptedDialogs, checklist_text, drag_events, wait_checked

VEDLEGG = EXAMPLE / "vedlegg"
SCAN = "vedlegg/08-vedtak-dispensasjon-nav.jpg"
MakeWindow = Callable[..., MainWindow]


# -- helpers (test_undo_redo.py uses them too) ------------------------------------------------
def edit_example(path: Path, *, types: dict[str, list[str]] | None = None,
                 **answers: Any) -> Path:
    """The example copy at ``path`` with some documents' types (by file name) and answers
    changed, as if saved so."""
    data = json.loads(path.read_text(encoding="utf-8"))
    for doc in data["documents"]:
        name = doc["path"].rsplit("/", 1)[-1]
        if types and name in types:
            doc["types"] = types[name]
    data["answers"].update(answers)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def new_project(window: MainWindow, dialogs: ScriptedDialogs, tmp_path: Path) -> None:
    dialogs.files.append(tmp_path / "app" / "soknad.soknad")
    window.new_project()
    assert window.session is not None


def names(window: MainWindow) -> list[str]:
    """The documents' file names as the table shows them (package order)."""
    proxy = window.proxy
    assert proxy is not None
    return [proxy.index(r, 0).data(PathRole).rsplit("/", 1)[-1]
            for r in range(proxy.rowCount())]


def session_of(window: MainWindow) -> Session:
    assert window.session is not None
    return window.session


def selected_paths(window: MainWindow) -> list[str]:
    return [session_of(window).project.documents[r].path for r in window.selected_rows()]


def send_drag(window: MainWindow, mime: QMimeData, action: Qt.DropAction,
              before: int | None) -> QDropEvent:
    """DragEnter, DragMove and Drop on the table's viewport, at the upper edge of the row
    ``before`` (between it and the row above) or, for None, below the last row."""
    view = window.view
    rows = view.model().rowCount()
    y = (view.rowViewportPosition(before) + 1 if before is not None
         else view.rowViewportPosition(rows - 1) + view.rowHeight(0) * 2 if rows else 20)
    pos = QPointF(30, y)
    args = (action, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    for event in drag_events(pos, args):
        QApplication.sendEvent(view.viewport(), event)
        assert event.isAccepted(), type(event).__name__
    drop = QDropEvent(pos, *args)
    QApplication.sendEvent(view.viewport(), drop)
    return drop


def drop_files(window: MainWindow, paths: list[Path], before: int | None = None) -> None:
    """What a file manager's drop does: file URLs, copied."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    assert send_drag(window, mime, Qt.DropAction.CopyAction, before).isAccepted()


def drag_row(window: MainWindow, name: str, before: int | None) -> QDropEvent:
    """Drag the row of ``name`` as the view starts a drag: the selected rows' mime data from
    the view's own model (the package-order proxy)."""
    assert window.session is not None
    window.select_documents([f"vedlegg/{name}"])
    view = window.view
    mime = view.model().mimeData(view.selectionModel().selectedIndexes())
    return send_drag(window, mime, Qt.DropAction.MoveAction, before)


def set_type_in_table(qtbot: QtBot, window: MainWindow, path: str, type_id: str) -> None:
    """Ctrl+T on the selected row, the type chosen in the editor's list, Enter."""
    window.select_documents([path])
    QTest.keyClick(window.view, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    editor = window.view.indexWidget(window.view.currentIndex())
    assert isinstance(editor, QComboBox)
    editor.setCurrentIndex(editor.findData(type_id))
    QTest.keyClick(editor, Qt.Key.Key_Return)  # the delegate commits once the loop comes round
    qtbot.waitUntil(lambda: window.view.state() != QAbstractItemView.State.EditingState,
                    timeout=2000)


# -- reordering by dragging ---------------------------------------------------------------
OTHERS = {"05-dpia.pdf": ["other"], "06-tilradning-personvernombud.pdf": ["other"],
          "09-begrunnelse-postnummer.pdf": ["other"]}
FIRST_SIX = ["01-soknadsskjema.pdf", "02-forskningsprotokoll.pdf",
             "03-variabelliste-befolkning.xlsx", "04-variabeloversikt-nav.pdf",
             "07-dispensasjonssoknad-nav.pdf", "08-vedtak-dispensasjon-nav.jpg"]


def test_a_row_dragged_between_two_rows_lands_there_in_one_step(
        qtbot: QtBot, make_window: MakeWindow, example_copy: Path) -> None:
    window = make_window()
    assert window.open_project(edit_example(example_copy, types=OTHERS))
    session = session_of(window)
    others = ["05-dpia.pdf", "06-tilradning-personvernombud.pdf",
              "09-begrunnelse-postnummer.pdf"]
    assert names(window) == FIRST_SIX + others  # "other attachments" come last
    # the last row dragged up between the first two of its group (table rows 6 and 7)
    drop = drag_row(window, others[2], before=7)
    assert not drop.isAccepted()  # a move is a command of its own: the view removes nothing
    assert names(window) == [*FIRST_SIX, others[0], others[2], others[1]]
    assert len(session.project.documents) == 9
    assert [session.undo.text(i) for i in range(session.undo.count())] == [
        "Move Begrunnelse for bruk av postnummer"]
    assert selected_paths(window) == [f"vedlegg/{others[2]}"]
    # the first of the group dragged below the last row of the table
    drag_row(window, others[0], before=None)
    assert names(window) == [*FIRST_SIX, others[2], others[1], others[0]]
    assert session.undo.count() == 2
    session.undo.undo()
    session.undo.undo()
    assert names(window) == FIRST_SIX + others


def test_a_row_dragged_below_the_last_of_its_group_becomes_its_last(
        qtbot: QtBot, make_window: MakeWindow, example_copy: Path) -> None:
    """The group ends where the next one begins, whose first document comes earlier in the
    project's own order: the drop lands after the group's last, not before the next's first."""
    window = make_window()
    assert window.open_project(edit_example(
        example_copy, types={"09-begrunnelse-postnummer.pdf": ["dpia"]}))
    session = session_of(window)
    before = ["01-soknadsskjema.pdf", "02-forskningsprotokoll.pdf",
              "03-variabelliste-befolkning.xlsx", "04-variabeloversikt-nav.pdf",
              "06-tilradning-personvernombud.pdf", "05-dpia.pdf", "09-begrunnelse-postnummer.pdf",
              "07-dispensasjonssoknad-nav.pdf", "08-vedtak-dispensasjon-nav.jpg"]
    assert names(window) == before
    drag_row(window, "05-dpia.pdf", before=7)  # between 09 (a DPIA now) and 07
    assert names(window) == [*before[:5], before[6], before[5], *before[7:]]
    assert session.undo.undoText() == "Move Personvernkonsekvensvurdering (DPIA)"
    session.undo.undo()
    assert names(window) == before
    session.undo.redo()
    assert names(window)[5:7] == [before[6], before[5]]
    assert selected_paths(window) == ["vedlegg/05-dpia.pdf"]


def test_a_row_dragged_into_another_type_group_is_refused_with_a_message(
        qtbot: QtBot, make_window: MakeWindow, example_copy: Path) -> None:
    window = make_window()
    assert window.open_project(edit_example(example_copy, types=OTHERS))
    session = session_of(window)
    shown = names(window)
    for before in (0, 3):  # above the first row; between two rows of other types
        drag_row(window, "09-begrunnelse-postnummer.pdf", before=before)
        assert names(window) == shown
        assert session.undo.count() == 0
        assert "order of types" in window.statusBar().currentMessage()
    # dropped just above or below itself: nothing to do
    drag_row(window, "06-tilradning-personvernombud.pdf", before=7)
    drag_row(window, "06-tilradning-personvernombud.pdf", before=8)
    assert names(window) == shown and session.undo.count() == 0


# -- the intake panel ---------------------------------------------------------------------
def test_the_intake_panel_shows_a_row_per_file_with_its_progress(
        qtbot: QtBot, make_window: MakeWindow, dialogs: ScriptedDialogs, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    files = ["02-forskningsprotokoll.pdf", "05-dpia.pdf"]
    gates = {name: threading.Event() for name in files}

    def gated(project: Any, pack: Any, source: Path, **kwargs: Any) -> Any:
        """Says it is a quarter done, then waits for the test to let it go on."""
        kwargs["progress"](1, 4, Plain(f"reading {source.name}"))
        while not gates[source.name].wait(0.02):
            if kwargs["cancel"]():
                raise Cancelled()
        return prepare_attachment(project, pack, source, **kwargs)

    monkeypatch.setattr("soknadspakke.gui.session.prepare_attachment", gated)
    window = make_window()
    new_project(window, dialogs, tmp_path)
    panel, session = window.intake_panel, session_of(window)
    assert not panel.isVisible()
    drop_files(window, [VEDLEGG / f for f in files])

    def shown() -> list[tuple[str, str, str]]:
        return [(item.text(0), item.text(1), item.toolTip(0)) for item in
                (panel.list.topLevelItem(r) for r in range(panel.list.topLevelItemCount()))
                if item is not None]

    # one file at a time: the first is a quarter done, the second waits its turn
    qtbot.waitUntil(lambda: shown() == [
        (files[0], "25 %", f"reading {files[0]}"), (files[1], "0 %", str(VEDLEGG / files[1]))],
        timeout=5000)
    assert panel.isVisible() and panel.heading.text() == "Taking in files: 0 of 2 done"
    assert (panel.overall.value(), panel.overall.maximum()) == (0, 2)
    gates[files[0]].set()
    qtbot.waitUntil(lambda: shown()[1][1] == "25 %", timeout=10000)
    assert shown()[0][:2] == (files[0], "100 %")
    assert panel.heading.text() == "Taking in files: 1 of 2 done"
    assert session.project.documents == []  # a drop arrives as one step, when all are in
    gates[files[1]].set()
    qtbot.waitUntil(lambda: len(session.project.documents) == 2, timeout=10000)
    qtbot.waitUntil(lambda: not panel.isVisible(), timeout=2000)
    assert panel.list.topLevelItemCount() == 0


def test_stop_in_the_intake_panel_adds_nothing(
        qtbot: QtBot, make_window: MakeWindow, dialogs: ScriptedDialogs, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    started = threading.Event()

    def waits(project: Any, pack: Any, source: Path, **kwargs: Any) -> Any:
        started.set()
        while not kwargs["cancel"]():
            started.wait(0.02)
        raise Cancelled()

    monkeypatch.setattr("soknadspakke.gui.session.prepare_attachment", waits)
    window = make_window()
    new_project(window, dialogs, tmp_path)
    drop_files(window, [VEDLEGG / "05-dpia.pdf", VEDLEGG / "07-dispensasjonssoknad-nav.pdf"])
    panel, session = window.intake_panel, session_of(window)
    qtbot.waitUntil(lambda: panel.isVisible() and started.is_set(), timeout=5000)
    QTest.mouseClick(panel.cancel, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not session.batches and not panel.isVisible(), timeout=5000)
    assert session.project.documents == [] and session.undo.count() == 0
    assert dialogs.informed == []  # stopped by the user: nothing to explain


def test_a_big_drop_is_handed_to_the_worker_a_few_files_at_a_time(
        qtbot: QtBot, make_window: MakeWindow, dialogs: ScriptedDialogs, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The drop's own event only queues its files; the worker is handed INTAKE_AHEAD at a
    time, and Stop ends the files still waiting without starting them."""
    from soknadspakke.gui import session as session_module

    started: list[str] = []
    release = threading.Event()

    def waits(project: Any, pack: Any, source: Path, **kwargs: Any) -> Any:
        started.append(source.name)
        while not release.wait(0.02):
            if kwargs["cancel"]():
                raise Cancelled()
        raise Cancelled()

    monkeypatch.setattr("soknadspakke.gui.session.prepare_attachment", waits)
    window = make_window()
    new_project(window, dialogs, tmp_path)
    session = session_of(window)
    files = sorted(VEDLEGG.glob("*.pdf"))
    assert len(files) >= 6
    drop_files(window, files)
    qtbot.waitUntil(lambda: len(started) == 1, timeout=5000)
    assert len(session.intake_workers.running) == session_module.INTAKE_AHEAD
    qtbot.wait(100)
    assert len(started) == 1  # the worker takes one at a time; the rest wait in the queue
    QTest.mouseClick(window.intake_panel.cancel, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not session.batches, timeout=5000)
    assert len(started) <= session_module.INTAKE_AHEAD  # the waiting ones never started
    assert session.project.documents == [] and session.undo.count() == 0


# -- folders and the Add commands ---------------------------------------------------------
def test_a_dropped_folder_takes_in_the_files_inside_it(
        qtbot: QtBot, make_window: MakeWindow, dialogs: ScriptedDialogs, tmp_path: Path) -> None:
    folder = tmp_path / "innboks"
    (folder / "del").mkdir(parents=True)
    shutil.copy(VEDLEGG / "06-tilradning-personvernombud.pdf", folder)
    shutil.copy(VEDLEGG / "02-forskningsprotokoll.pdf", folder)
    shutil.copy(VEDLEGG / "09-begrunnelse-postnummer.pdf", folder / "del")
    shutil.copy(VEDLEGG / "05-dpia.pdf", folder / ".skjult.pdf")  # hidden: left out
    window = make_window()
    new_project(window, dialogs, tmp_path)
    session = session_of(window)
    drop_files(window, [folder])
    qtbot.waitUntil(lambda: not session.batches, timeout=60000)
    # the folder's own files sorted, then its subfolder's; one step for all of them
    assert [d.path for d in session.project.documents] == [
        "vedlegg/02-forskningsprotokoll.pdf", "vedlegg/06-tilradning-personvernombud.pdf",
        "vedlegg/09-begrunnelse-postnummer.pdf"]
    assert session.undo.undoText() == "Add 3 documents"
    assert (tmp_path / "app" / "vedlegg" / "09-begrunnelse-postnummer.pdf").is_file()


def test_add_files_and_add_a_folder_take_in_what_was_chosen(
        qtbot: QtBot, make_window: MakeWindow, dialogs: ScriptedDialogs, tmp_path: Path) -> None:
    folder = tmp_path / "valgt"
    folder.mkdir()
    shutil.copy(VEDLEGG / "07-dispensasjonssoknad-nav.pdf", folder)
    window = make_window()
    new_project(window, dialogs, tmp_path)
    session = session_of(window)
    # Add files… (Ctrl+Shift+A): the files chosen in the dialog
    dialogs.files.append([VEDLEGG / "05-dpia.pdf", VEDLEGG / "02-forskningsprotokoll.pdf"])
    QTest.keyClick(window.view, Qt.Key.Key_A,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: len(session.project.documents) == 2, timeout=60000)
    assert [d.file_name for d in session.project.documents] == [
        "05-dpia.pdf", "02-forskningsprotokoll.pdf"]
    assert window.settings.get(keys.LAST_FOLDER) == str(VEDLEGG)
    # Add a folder… (Ctrl+Shift+F): the files in the folder chosen
    dialogs.files.append(folder)
    QTest.keyClick(window.view, Qt.Key.Key_F,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: len(session.project.documents) == 3, timeout=60000)
    assert session.project.documents[2].file_name == "07-dispensasjonssoknad-nav.pdf"
    assert window.settings.get(keys.LAST_FOLDER) == str(folder)
    assert [session.undo.text(i) for i in range(session.undo.count())] == [
        "Add 2 documents", "Add 07-dispensasjonssoknad-nav.pdf"]
    # a dialog closed without a choice adds nothing
    QTest.keyClick(window.view, Qt.Key.Key_A,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    QTest.keyClick(window.view, Qt.Key.Key_F,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert not session.batches and session.undo.count() == 2


# -- a file holding two types -------------------------------------------------------------
def open_menu(qtbot: QtBot, menu: QMenu) -> list[str]:
    """Show ``menu`` (it fills itself as it opens) and return its entries' texts."""
    menu.popup(QPoint(10, 10))
    qtbot.waitUntil(menu.isVisible, timeout=2000)
    return [a.text() for a in menu.actions() if not a.isSeparator()]


def click_entry(menu: QMenu, text: str) -> None:
    action = next(a for a in menu.actions() if a.text() == text)
    assert action.isEnabled()
    QTest.mouseClick(menu, Qt.MouseButton.LeftButton, pos=menu.actionGeometry(action).center())
    assert not menu.isVisible()


#: What the offscreen platform says when a menu pops up (not under Xvfb).
OFFSCREEN_POPUP = "This plugin does not support (raise|grabbing the keyboard)"


@pytest.mark.qt_log_ignore(OFFSCREEN_POPUP)
def test_a_second_type_from_the_menu_is_shown_and_meets_a_requirement(
        qtbot: QtBot, make_window: MakeWindow, example_copy: Path) -> None:
    window = make_window()
    # a health research project must attach the REK approval: the NAV decision holds it too
    assert window.open_project(edit_example(example_copy, health_research=True))
    session, menu = session_of(window), window.menus.second_type_menu
    assert not session.report.ready
    assert any(f.code == "missing_document" and "REK" in f.message.render("en")
               for f in session.report.findings)
    # one document selected, whose type pairs only with the REK approval
    window.select_documents([SCAN])
    assert open_menu(qtbot, menu) == ["REK ethics approval"]
    click_entry(menu, "REK ethics approval")
    assert session.project.documents[7].types == ["dispensation_decision", "rek_ethics_approval"]
    assert window.proxy is not None and window.model is not None
    row = window.proxy.mapFromSource(window.model.index(7, Column.TYPES))
    assert row.data() == "Decision granting exemption from confidentiality + REK ethics approval"
    assert not any(f.code in ("missing_document", "disallowed_dual_tag")
                   for f in session.report.findings)
    assert session.report.ready and window.checklist.verdict.text().startswith("Ready")
    assert any(SCAN in met.files and "REK" in met.message.render("en")
               for met in session.report.evaluation.satisfied)
    assert session.undo.undoText() == (
        "Set the type of Vedtak fra NAV om dispensasjon fra taushetsplikt (skannet)")
    # opened again: the pair is ticked, and "only the first" takes the second away
    entries = open_menu(qtbot, menu)
    assert entries == ["Only Decision granting exemption from confidentiality",
                       "REK ethics approval"]
    assert next(a for a in menu.actions() if a.text() == entries[1]).isChecked()
    click_entry(menu, entries[0])
    assert session.project.documents[7].types == ["dispensation_decision"]
    assert not session.report.ready
    # a type that goes with no other offers none; nor does a selection of two
    window.select_documents(["vedlegg/05-dpia.pdf"])
    assert open_menu(qtbot, menu) == ["(no second type goes with this one)"]
    assert not menu.actions()[0].isEnabled()
    menu.hide()
    window.select_documents(["vedlegg/05-dpia.pdf", SCAN])
    assert open_menu(qtbot, menu) == ["(select one document)"]
    menu.hide()


def test_a_new_first_type_keeps_the_second_only_if_the_pair_is_allowed(
        qtbot: QtBot, make_window: MakeWindow, example_copy: Path) -> None:
    window = make_window()
    both = ["dispensation_decision", "rek_ethics_approval"]
    assert window.open_project(edit_example(
        example_copy, types={"08-vedtak-dispensasjon-nav.jpg": both}))
    session = session_of(window)
    set_type_in_table(qtbot, window, SCAN, "rek_prior_approval")  # REK prior + REK ethics: allowed
    assert session.project.documents[7].types == ["rek_prior_approval", "rek_ethics_approval"]
    set_type_in_table(qtbot, window, SCAN, "dpia")  # DPIA + REK ethics: not a pair
    assert session.project.documents[7].types == ["dpia"]
    assert window.model is not None
    assert window.model.index(7, Column.TYPES).data() == \
        "Data protection impact assessment (DPIA)"
    session.undo.undo()
    assert session.project.documents[7].types == ["rek_prior_approval", "rek_ethics_approval"]


# -- the totals line ----------------------------------------------------------------------
def with_size_limit(window: MainWindow, max_mb: float) -> None:
    """The window's rule pack with another ``package_size`` limit."""
    check = window.pack.checks["package_size"]
    window.pack = replace(window.pack, checks={
        **window.pack.checks,
        "package_size": replace(check, parameters={**check.parameters, "max_mb": max_mb})})


def test_the_totals_line_counts_documents_pages_and_size_of_the_limit(
        qtbot: QtBot, make_window: MakeWindow, example_copy: Path) -> None:
    window = make_window()
    assert window.open_project(example_copy)
    wait_checked(qtbot, window)
    # 530,070 bytes in 9 files; a megabyte is the rule pack's (1024 × 1024 bytes)
    assert window.totals.text() == "9 documents · 16 pages · 517.6 kB of at most 20 MB"
    window.select_documents([SCAN])  # one page, 147,685 bytes
    window.remove_selected()
    assert window.totals.text() == "8 documents · 15 pages · 373.4 kB of at most 20 MB"
    session_of(window).undo.undo()
    assert window.totals.text().startswith("9 documents · 16 pages · ")


def test_the_totals_and_the_size_warning_count_a_megabyte_alike(
        qtbot: QtBot, make_window: MakeWindow, example_copy: Path) -> None:
    window = make_window()
    # 530,070 bytes: under 0.52 MB of 1024 × 1024 bytes (545,260), over 0.52 million bytes
    with_size_limit(window, 0.52)
    assert window.open_project(example_copy)
    wait_checked(qtbot, window)
    session = session_of(window)
    assert window.totals.text() == "9 documents · 16 pages · 517.6 kB of at most 0.52 MB"
    assert not window.totals.font().bold()
    assert not any(f.code == "package_too_large" for f in session.report.findings)
    warnings = session.report.counts()[Severity.WARNING]
    # over the limit: the line says so (in bold), and a warning in the checklist and the
    # status line
    with_size_limit(window, 0.5)
    assert window.open_project(example_copy)
    wait_checked(qtbot, window)
    session = session_of(window)
    assert window.totals.text() == ("9 documents · 16 pages · 517.6 kB: over the limit of "
                                    "0.5 MB")
    assert window.totals.font().bold()
    too_large = [f for f in session.report.findings if f.code == "package_too_large"]
    assert [f.severity for f in too_large] == [Severity.WARNING]
    assert too_large[0].message.render("en").startswith("The attachments total 0.5 MB.")
    assert window.selection.verdict_label.text() == (
        f"Ready to send · warnings: {warnings + 1}")
    assert "The attachments total 0.5 MB" in checklist_text(window)
