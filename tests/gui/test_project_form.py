"""The "Project" dock's form, driven as the user does: the organisation number's check, a
date question with "not set", each question's help, an answer the core cannot accept, and a
question that appears only while it applies."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit, QListWidget, QTableView

from soknadspakke.core.project_file import load_project
from soknadspakke.gui.form_fields import DateEdit, Field
from soknadspakke.gui.main_window import MainWindow

Make = Callable[..., MainWindow]
#: The rules' message for a change application with no change chosen (the pack's min_items).
CHOOSE_ONE = ("The answer to “Which changes are you applying for?” cannot be used: "
              "choose at least 1")


def opened(make_window: Make, project: Path, language: str = "en") -> MainWindow:
    window = make_window(language)
    assert window.open_project(project)
    assert window.form is not None and window.session is not None
    return window


def field(window: MainWindow, key: str) -> Field:
    assert window.form is not None
    return window.form.fields[key]


def problem_shown(f: Field) -> str | None:
    """The problem line under a field as the user sees it (None when there is none)."""
    return f.problem.text() if f.problem_row.isVisibleTo(f) else None


def type_into(line: QLineEdit, text: str) -> None:
    line.setFocus()
    line.selectAll()
    QTest.keyClicks(line, text)


def choose(combo: QComboBox, text: str) -> None:
    """Pick an entry of a combo box by its text, with the keyboard (as a user tabbing in)."""
    combo.setFocus()
    target = combo.findText(text)
    assert target >= 0, f"{text!r} is not among {[combo.itemText(i) for i in range(combo.count())]}"
    key = Qt.Key.Key_Down if target > combo.currentIndex() else Qt.Key.Key_Up
    for _step in range(combo.count()):
        if combo.currentIndex() == target:
            break
        QTest.keyClick(combo, key)
    assert combo.currentText() == text


def test_the_organisation_number_is_checked_at_its_field(make_window: Make,
                                                        example_copy: Path) -> None:
    window = opened(make_window, example_copy)
    org = field(window, "project.org_number")
    line = org.editor
    assert isinstance(line, QLineEdit)
    assert line.text() == "123456785" and problem_shown(org) is None  # the example's is valid
    type_into(line, "123456789")  # the check digit should be 5
    assert window.session is not None
    assert window.session.project.info.org_number == "123456789"
    assert problem_shown(org) == ("The organisation number 123456789 fails its check digit; "
                                  "check it against the Brønnøysund Register.")
    assert "fails its check digit" in line.accessibleDescription()
    type_into(line, "974760673")  # a real one (Brønnøysundregistrene's own)
    assert problem_shown(org) is None
    assert line.accessibleDescription() == ""


def test_a_date_question_is_set_with_its_picker_and_set_back_to_not_set(
        make_window: Make, example_copy: Path) -> None:
    window = opened(make_window, example_copy)
    session = window.session
    assert session is not None
    date_field = field(window, "answers.legal_basis_date")
    edit = date_field.editor
    assert isinstance(edit, DateEdit) and edit.calendarPopup()
    assert edit.text() == "2019-05-02"
    # a day picked in its calendar (the day before, with the keyboard, and Enter)
    days = edit.calendarWidget().findChild(QTableView)
    assert days is not None
    QTest.keyClick(days, Qt.Key.Key_Left)
    QTest.keyClick(days, Qt.Key.Key_Return)
    assert edit.text() == "2019-05-01"
    assert session.project.answers["legal_basis_date"] == "2019-05-01"
    # Delete: "not set", and the answer is gone (not kept as an empty value)
    edit.setFocus()
    QTest.keyClick(edit, Qt.Key.Key_Delete)
    assert edit.text() == "not set"
    assert "legal_basis_date" not in session.project.answers
    assert window.save()
    assert "legal_basis_date" not in load_project(example_copy).answers
    # one undo step back: the date picked again
    session.undo.undo()
    assert edit.text() == "2019-05-01"
    assert session.project.answers["legal_basis_date"] == "2019-05-01"


def test_a_date_is_typed_into_not_set_as_one_step(make_window: Make,
                                                   example_copy: Path) -> None:
    """Typing digits into "not set" types the date (year, month, day), and the date typed is
    one undo step when Enter ends it; the calendar of a date not set opens at today, not at
    January 1900."""
    window = opened(make_window, example_copy)
    session = window.session
    assert session is not None
    edit = field(window, "answers.legal_basis_date").editor
    assert isinstance(edit, DateEdit)
    edit.setFocus()
    QTest.keyClick(edit, Qt.Key.Key_Delete)
    assert edit.text() == "not set"
    steps = session.undo.index()
    QTest.keyClicks(edit, "20180721")
    QTest.keyClick(edit, Qt.Key.Key_Return)
    assert edit.text() == "2018-07-21"
    assert session.project.answers["legal_basis_date"] == "2018-07-21"
    assert session.undo.index() == steps + 1
    session.undo.undo()
    assert edit.text() == "not set" and "legal_basis_date" not in session.project.answers
    calendar = edit.calendarWidget()
    QApplication.sendEvent(calendar, QShowEvent())  # as its popup opens
    today = QDate.currentDate()
    assert (calendar.yearShown(), calendar.monthShown()) == (today.year(), today.month())


def test_each_question_shows_its_help_and_guidance(make_window: Make,
                                                   example_copy: Path) -> None:
    window = opened(make_window, example_copy)
    pack, form = window.pack, window.form
    assert form is not None
    checked = 0
    for question in pack.questions:
        if f"answers.{question.id}" not in form.fields:
            continue  # the risk override has its own panel
        f = field(window, f"answers.{question.id}")
        tip = f.editor.toolTip()
        assert tip, question.id
        assert f.label.toolTip() == tip and f.editor.whatsThis() == tip
        if question.help is not None:
            assert question.help.render("en") in tip, question.id
        for source in question.source:
            if source in pack.guidance:
                assert f"{source}: «{pack.guidance[source].render('en')}»" in tip, question.id
                checked += 1
    assert checked >= 10
    date_tip = field(window, "answers.legal_basis_date").editor.toolTip()
    assert date_tip.startswith("Before 20.7.2018 the pre-GDPR requirements apply")
    assert "S10: «" in date_tip
    # in bokmål, the help is bokmål
    window.set_language("nb")
    assert field(window, "answers.legal_basis_date").editor.toolTip().startswith(
        "Før 20.7.2018 gjelder kravene fra før GDPR")


def test_an_answer_the_core_cannot_accept_is_marked_at_its_field(make_window: Make,
                                                                example_copy: Path) -> None:
    window = opened(make_window, example_copy)
    session = window.session
    assert session is not None
    app_type = field(window, "answers.application_type").editor
    assert isinstance(app_type, QComboBox)
    choose(app_type, "Project change")
    changes = field(window, "answers.change_types")
    box = changes.editor
    assert isinstance(box, QListWidget)
    assert not changes.isHidden()
    # none chosen: the pack asks for at least one (min_items), said at the field
    assert session.project.answers["change_types"] == []
    assert problem_shown(changes) == CHOOSE_ONE
    # the space bar ticks the current change, as it does any check box
    box.setFocus()
    box.setCurrentRow(0)
    QTest.keyClick(box, Qt.Key.Key_Space)
    assert box.item(0).checkState() == Qt.CheckState.Checked
    assert session.project.answers["change_types"] == ["new_project_member"]
    assert problem_shown(changes) is None
    QTest.keyClick(box, Qt.Key.Key_Space)
    assert session.project.answers["change_types"] == []
    assert problem_shown(changes) == CHOOSE_ONE


def test_a_question_shows_only_while_it_applies(make_window: Make,
                                               example_copy: Path) -> None:
    """The date of the legal basis is asked only when the project processes personal data
    (the window's journey test covers the change types under "Project change")."""
    window = opened(make_window, example_copy)
    personal = field(window, "answers.personal_data").editor
    assert isinstance(personal, QComboBox)
    dependants = [field(window, "answers.legal_basis_date"),
                  field(window, "answers.legal_basis_valid_covering")]
    assert all(f.isVisibleTo(window) for f in dependants)
    choose(personal, "No")
    assert all(not f.isVisibleTo(window) for f in dependants)
    assert window.session is not None
    assert window.session.project.answers["personal_data"] is False
    choose(personal, "Yes")
    assert all(f.isVisibleTo(window) for f in dependants)
    # the hidden question kept its answer
    date_edit = field(window, "answers.legal_basis_date").editor
    assert isinstance(date_edit, DateEdit) and date_edit.text() == "2019-05-02"
