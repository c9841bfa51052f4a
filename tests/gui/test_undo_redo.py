"""Undo and redo of each kind of change to an application, in the real window: every change
is one step with a readable label; undo (Edit ▸ Undo) brings the state back and redo the
change; afterwards the window selects the documents, or focuses the field, the step touched
(:mod:`soknadspakke.gui.commands`)."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QComboBox, QLineEdit, QListWidget
from pytestqt.qtbot import QtBot

from soknadspakke.core.project import Document
from soknadspakke.gui.dialogs import Choice
from soknadspakke.gui.documents import Column, PathRole
from soknadspakke.gui.main_window import MainWindow
from soknadspakke.gui.risk_panel import RiskPanel
from soknadspakke.gui.session import Session

from .conftest import REPO, ScriptedDialogs, wait_checked
from .test_documents_table import (
    OTHERS,
    VEDLEGG,
    MakeWindow,
    drop_files,
    edit_example,
    names,
    new_project,
    selected_paths,
    session_of,
    set_type_in_table,
)


def steps(session: Session) -> list[str]:
    """The undo history's labels, oldest first."""
    return [session.undo.text(i) for i in range(session.undo.count())]


def undo(window: MainWindow) -> None:
    """Edit ▸ Undo."""
    assert window.menus.undo_action.isEnabled()
    window.menus.undo_action.trigger()


def redo(window: MainWindow) -> None:
    """Edit ▸ Redo."""
    assert window.menus.redo_action.isEnabled()
    window.menus.redo_action.trigger()


def doc(session: Session, name: str) -> Document:
    row = session.row_of(f"vedlegg/{name}")
    assert row is not None
    return session.project.documents[row]


def press(window: MainWindow, key: Qt.Key,
          modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    """A key pressed in the documents table."""
    window.view.setFocus()
    QTest.keyClick(window.view, key, modifier)


# -- documents ----------------------------------------------------------------------------
def test_a_drop_of_files_is_undone_and_redone_as_one_step(
        qtbot: QtBot, make_window: MakeWindow, dialogs: ScriptedDialogs,
        tmp_path: Path) -> None:
    window = make_window()
    new_project(window, dialogs, tmp_path)
    session = session_of(window)
    added = ["vedlegg/09-begrunnelse-postnummer.pdf", "vedlegg/07-dispensasjonssoknad-nav.pdf"]
    drop_files(window, [VEDLEGG / p.split("/")[1] for p in added])
    qtbot.waitUntil(lambda: len(session.project.documents) == 2, timeout=60000)
    assert steps(session) == ["Add 2 documents"]
    assert sorted(selected_paths(window)) == sorted(added)  # what was added is selected
    undo(window)
    assert session.project.documents == [] and names(window) == []
    assert session.undo.redoText() == "Add 2 documents"
    assert not window.menus.undo_action.isEnabled()
    redo(window)
    assert [d.path for d in session.project.documents] == added
    assert sorted(selected_paths(window)) == sorted(added)
    # one file: named in the label
    drop_files(window, [VEDLEGG / "06-tilradning-personvernombud.pdf"], before=1)
    qtbot.waitUntil(lambda: len(session.project.documents) == 3, timeout=60000)
    assert session.undo.undoText() == "Add 06-tilradning-personvernombud.pdf"
    undo(window)
    assert [d.path for d in session.project.documents] == added
    redo(window)
    assert session.project.documents[1].file_name == "06-tilradning-personvernombud.pdf"
    assert selected_paths(window) == ["vedlegg/06-tilradning-personvernombud.pdf"]


def test_removing_documents_is_undone_and_redone(qtbot: QtBot, make_window: MakeWindow,
                                                 example_copy: Path) -> None:
    window = make_window()
    assert window.open_project(example_copy)
    session = session_of(window)
    before = [d.path for d in session.project.documents]
    window.select_documents([before[1]])
    press(window, Qt.Key.Key_Delete)
    assert session.undo.undoText() == "Remove Forskningsprotokoll"
    undo(window)
    assert [d.path for d in session.project.documents] == before
    assert selected_paths(window) == [before[1]]
    redo(window)
    assert before[1] not in [d.path for d in session.project.documents]
    assert names(window)[1] == "03-variabelliste-befolkning.xlsx"
    # two at once: one step
    window.select_documents([before[2], before[3]])
    press(window, Qt.Key.Key_Delete)
    assert steps(session) == ["Remove Forskningsprotokoll", "Remove 2 documents"]
    assert len(session.project.documents) == 6
    undo(window)
    assert sorted(selected_paths(window)) == [before[2], before[3]]
    undo(window)
    assert [d.path for d in session.project.documents] == before
    redo(window)
    redo(window)
    assert [d.path for d in session.project.documents] == [
        p for i, p in enumerate(before) if i not in (1, 2, 3)]


def test_moving_with_alt_up_and_alt_down_is_undone_and_redone(
        qtbot: QtBot, make_window: MakeWindow, example_copy: Path) -> None:
    window = make_window()
    assert window.open_project(edit_example(example_copy, types=OTHERS))
    session = session_of(window)
    dpia, dpo, post = "05-dpia.pdf", "06-tilradning-personvernombud.pdf", \
        "09-begrunnelse-postnummer.pdf"
    assert names(window)[6:] == [dpia, dpo, post]  # the "other attachments" group
    window.select_documents([f"vedlegg/{dpo}"])
    press(window, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert names(window)[6:] == [dpo, dpia, post]
    press(window, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    press(window, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert names(window)[6:] == [dpia, post, dpo]
    assert steps(session) == ["Move Tilrådning fra personvernombudet"] * 3
    assert selected_paths(window) == [f"vedlegg/{dpo}"]  # the moved one stays selected
    window.select_documents([f"vedlegg/{dpia}"])  # elsewhere: undo selects the moved one
    undo(window)
    assert names(window)[6:] == [dpia, dpo, post]
    assert selected_paths(window) == [f"vedlegg/{dpo}"]
    undo(window)
    assert names(window)[6:] == [dpo, dpia, post]
    undo(window)
    assert names(window)[6:] == [dpia, dpo, post]
    assert [d.file_name for d in session.project.documents][4:6] == [dpia, dpo]
    redo(window)
    redo(window)
    assert names(window)[6:] == [dpia, dpo, post]
    redo(window)
    assert names(window)[6:] == [dpia, post, dpo]
    assert selected_paths(window) == [f"vedlegg/{dpo}"]


def test_setting_and_accepting_types_are_undone_and_redone(
        qtbot: QtBot, make_window: MakeWindow, example_copy: Path) -> None:
    window = make_window()
    assert window.open_project(edit_example(example_copy, types={
        "02-forskningsprotokoll.pdf": [], "05-dpia.pdf": []}))
    wait_checked(qtbot, window)
    session = session_of(window)
    model = window.model
    assert model is not None
    post = "vedlegg/09-begrunnelse-postnummer.pdf"
    set_type_in_table(qtbot, window, post, "other")
    assert doc(session, post.split("/")[1]).types == ["other"]
    assert session.undo.undoText() == "Set the type of Begrunnelse for bruk av postnummer"
    window.select_documents(["vedlegg/01-soknadsskjema.pdf"])
    undo(window)
    assert doc(session, post.split("/")[1]).types == ["identifying_variables_justification"]
    assert model.index(8, Column.TYPES).data() == "Justification for identifying variables"
    assert selected_paths(window) == [post]
    redo(window)
    assert model.index(8, Column.TYPES).data() == "Other attachment"
    assert names(window)[-1] == "09-begrunnelse-postnummer.pdf"  # last: its group is
    # accepting every suggestion (Ctrl+Shift+Return) is one step
    assert model.index(1, Column.TYPES).data().startswith("Suggested: Research protocol")
    press(window, Qt.Key.Key_Return,
          Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert (doc(session, "02-forskningsprotokoll.pdf").types,
            doc(session, "05-dpia.pdf").types) == (["research_protocol"], ["dpia"])
    assert session.undo.undoText() == "Accept 2 suggested types"
    undo(window)
    assert not doc(session, "02-forskningsprotokoll.pdf").types
    assert not doc(session, "05-dpia.pdf").types
    assert model.index(1, Column.TYPES).data().startswith("Suggested: Research protocol")
    assert model.index(1, Column.TYPES).data(Qt.ItemDataRole.FontRole).italic()
    redo(window)
    assert model.index(1, Column.TYPES).data() == "Research protocol / project description"
    assert doc(session, "05-dpia.pdf").types == ["dpia"]
    assert steps(session) == ["Set the type of Begrunnelse for bruk av postnummer",
                              "Accept 2 suggested types"]
    # one suggestion accepted names its document, not "1 suggested types"
    undo(window)
    window.select_documents(["vedlegg/05-dpia.pdf"])
    window.documents.accept_selected()
    assert doc(session, "05-dpia.pdf").types == ["dpia"]
    assert not doc(session, "02-forskningsprotokoll.pdf").types
    assert session.undo.undoText().startswith("Accept the suggested type of ")
    assert "1 suggested" not in session.undo.undoText()


def test_relinking_moved_files_is_undone_and_redone(
        qtbot: QtBot, make_window: MakeWindow, example_copy: Path,
        dialogs: ScriptedDialogs) -> None:
    folder = example_copy.parent
    (folder / "vedlegg").rename(folder / "flyttet")
    window = make_window()
    dialogs.answers.append(Choice.YES)
    dialogs.files.append(folder / "flyttet")
    assert window.open_project(example_copy)
    session = session_of(window)
    proxy = window.proxy
    assert proxy is not None
    assert steps(session) == ["Find 9 moved files"]
    undo(window)
    assert all(d.path.startswith("vedlegg/") for d in session.project.documents)
    assert proxy.index(0, 0).data(PathRole) == "vedlegg/01-soknadsskjema.pdf"
    assert session.undo.redoText() == "Find 9 moved files"
    redo(window)
    assert all(d.path.startswith("flyttet/") for d in session.project.documents)
    assert proxy.index(0, 0).data(PathRole) == "flyttet/01-soknadsskjema.pdf"
    wait_checked(qtbot, window)
    assert not any(f.code == "document_missing" for f in session.report.findings)


def test_document_details_edits_are_undone_and_redone(
        qtbot: QtBot, make_window: MakeWindow, example_copy: Path) -> None:
    window = make_window()
    assert window.open_project(example_copy)
    session, details = session_of(window), window.details
    assert details is not None
    dpia = "vedlegg/05-dpia.pdf"
    window.select_documents([dpia])
    row = session.row_of(dpia)
    assert row is not None
    # the title typed in the details, ended with Return
    details.title.setFocus()
    details.title.selectAll()
    QTest.keyClicks(details.title, "DPIA 2025")
    QTest.keyClick(details.title, Qt.Key.Key_Return)
    assert session.project.documents[row].title == "DPIA 2025"
    # valid until, and the data owner chosen with the keyboard
    details.valid_until.set_value(date(2029, 12, 31))
    details.owner.setFocus()
    QTest.keyClick(details.owner, Qt.Key.Key_Down)
    owner = session.project.documents[row].data_owner
    assert owner is not None
    assert steps(session) == ["Rename Personvernkonsekvensvurdering (DPIA)",
                              "Set the validity of DPIA 2025", "Set the data owner of DPIA 2025"]
    for _step in range(3):
        undo(window)
    assert session.project.documents[row].title == "Personvernkonsekvensvurdering (DPIA)"
    assert session.project.documents[row].valid_until is None
    assert session.project.documents[row].data_owner is None
    assert details.title.text() == "Personvernkonsekvensvurdering (DPIA)"
    for _step in range(3):
        redo(window)
    assert details.row == row and selected_paths(window) == [dpia]
    assert session.project.documents[row].title == "DPIA 2025"
    assert details.title.text() == "DPIA 2025"
    assert details.valid_until.value() == date(2029, 12, 31)
    assert details.owner.currentData() == owner
    assert window.model is not None
    assert window.model.index(row, Column.TITLE).data() == "DPIA 2025"


# -- the project form ---------------------------------------------------------------------
def test_answering_a_question_is_undone_and_redone_and_focuses_the_question(
        qtbot: QtBot, make_window: MakeWindow, example_copy: Path) -> None:
    window = make_window()
    assert window.open_project(example_copy)
    session, form = session_of(window), window.form
    assert form is not None
    combo = form.fields["answers.application_type"].editor
    changes = form.fields["answers.change_types"]
    assert isinstance(combo, QComboBox)
    combo.setFocus()
    QTest.keyClick(combo, Qt.Key.Key_Down)  # new → change
    assert session.project.answers["application_type"] == "change"
    assert steps(session) == ["Answer “Is this a new application or a project change?”"]
    assert not changes.isHidden()
    window.view.setFocus()  # the user is elsewhere when undoing
    undo(window)
    assert session.project.answers["application_type"] == "new"
    assert combo.currentText() == "New application" and changes.isHidden()
    qtbot.waitUntil(combo.hasFocus, timeout=2000)  # back to the question
    redo(window)
    assert session.project.answers["application_type"] == "change"
    assert combo.currentIndex() == 2 and not changes.isHidden()


def test_typing_in_a_field_is_one_step_per_field_undone_and_redone(
        qtbot: QtBot, make_window: MakeWindow, example_copy: Path) -> None:
    window = make_window()
    assert window.open_project(example_copy)
    session, form = session_of(window), window.form
    assert form is not None
    title, leader = (form.fields[f"project.{k}"].editor for k in ("title", "project_leader"))
    assert isinstance(title, QLineEdit) and isinstance(leader, QLineEdit)
    old_title = session.project.info.title
    title.setFocus()
    title.selectAll()
    QTest.keyClicks(title, "Ny tittel")  # nine keystrokes
    leader.setFocus()
    leader.end(False)
    QTest.keyClicks(leader, " jr.")
    assert steps(session) == ["Change Project title", "Change Project leader"]
    assert window.windowTitle().startswith("Ny tittel (ny-soknad.soknad)")
    undo(window)
    assert session.project.info.project_leader == "Kari Nordmann"
    assert leader.text() == "Kari Nordmann" and title.text() == "Ny tittel"
    undo(window)
    assert session.project.info.title == old_title and title.text() == old_title
    assert window.windowTitle().startswith(f"{old_title} (")
    redo(window)
    assert session.project.info.title == "Ny tittel" and title.text() == "Ny tittel"
    redo(window)
    assert leader.text() == "Kari Nordmann jr."
    # typing again after an undo is a new step, not merged into the undone one
    undo(window)
    leader.setFocus()
    leader.end(False)
    QTest.keyClicks(leader, "!")
    assert steps(session) == ["Change Project title", "Change Project leader"]
    assert session.project.info.project_leader == "Kari Nordmann!"
    undo(window)
    assert session.project.info.project_leader == "Kari Nordmann"


def test_raising_the_privacy_risk_is_undone_and_redone(
        qtbot: QtBot, make_window: MakeWindow, tmp_path: Path) -> None:
    shutil.copytree(REPO / "resources" / "examples" / "endringssoknad", tmp_path / "e")
    window = make_window()
    assert window.open_project(tmp_path / "e" / "endringssoknad.soknad")
    session, form = session_of(window), window.form
    assert form is not None
    panel = form.findChild(RiskPanel)
    changes = form.fields["answers.change_types"].editor
    assert panel is not None and isinstance(changes, QListWidget)
    # the user takes "new variables" off the list (Space on it): the changes are low-risk
    new_variables = next(changes.item(i) for i in range(changes.count())
                         if changes.item(i).data(Qt.ItemDataRole.UserRole) == "new_variables")
    changes.setFocus()
    changes.setCurrentItem(new_variables)
    QTest.keyClick(changes, Qt.Key.Key_Space)
    assert session.project.answers["change_types"] == ["new_project_member"]
    assert session.report.evaluation.facts["risk_class"] == "low"
    assert panel.check.isEnabled() and not panel.check.isChecked()
    # … and raises the risk all the same
    QTest.mouseClick(panel.check_label, Qt.MouseButton.LeftButton)
    assert steps(session) == [
        "Answer “Which changes are you applying for?”",
        "Answer “Do you nevertheless judge the change to carry more than low privacy risk?”"]
    assert session.report.evaluation.facts["risk_class"] == "not_low"
    assert panel.title.text() == "Privacy risk: not low"
    assert panel.reason.text() == "Raised by you."
    undo(window)
    assert session.project.answers["risk_override"] is False
    assert not panel.check.isChecked() and panel.title.text() == "Privacy risk: low"
    assert panel.reason.text() == "Every change chosen is of the low-risk kind."
    redo(window)
    assert session.project.answers["risk_override"] is True and panel.check.isChecked()
    assert panel.title.text() == "Privacy risk: not low"
    undo(window)
    undo(window)  # the list as it was: raised by the answers, the box locked on
    assert session.project.answers["change_types"] == ["new_project_member", "new_variables"]
    assert new_variables.checkState() == Qt.CheckState.Checked
    assert panel.check.isChecked() and not panel.check.isEnabled()
    redo(window)
    assert new_variables.checkState() == Qt.CheckState.Unchecked
    assert panel.check.isEnabled() and not panel.check.isChecked()
