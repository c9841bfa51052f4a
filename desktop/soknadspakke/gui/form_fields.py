"""The project form's fields: a labelled field with its problem line, and an editor for each
kind of question (choice, yes/no, several choices, date, text).

Each editor comes with a reader that shows the project's answer again; the form
(:mod:`.project_form`) decides which fields exist, when they show and what an edit becomes.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import QDate, QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from soknadspakke.core.i18n import _
from soknadspakke.rules.schema import Question, QuestionKind

NOT_SET_DATE = QDate(1900, 1, 1)


class DateEdit(QDateEdit):
    """A date that may be "not set" (shown as such at its minimum); the Delete key sets it
    back to "not set"."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setCalendarPopup(True)
        self.setMinimumDate(NOT_SET_DATE)
        self.setDisplayFormat("yyyy-MM-dd")
        self.setDate(NOT_SET_DATE)
        # A date typed is one change when it is complete (Enter, or leaving the field), not
        # one per digit; the arrows and the calendar still change it at once.
        self.setKeyboardTracking(False)
        self.calendarWidget().installEventFilter(self)

    def value(self) -> date | None:
        qdate = self.date()
        if qdate == NOT_SET_DATE:
            return None
        return date(qdate.year(), qdate.month(), qdate.day())

    def set_value(self, value: date | None) -> None:
        self.setDate(NOT_SET_DATE if value is None else QDate(value.year, value.month,
                                                              value.day))

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() == Qt.Key.Key_Delete:  # Delete: "not set"
            self.setDate(NOT_SET_DATE)
            return
        if self.date() == NOT_SET_DATE and event.text().isdigit():
            # Typing into "not set" starts from today, year first ("20250115" is a date):
            # the shown "not set" has no sections to type into.
            self.blockSignals(True)  # not a change of its own: the date typed is
            self.setDate(QDate.currentDate())
            self.blockSignals(False)
            self.setCurrentSection(QDateEdit.Section.YearSection)
            self.setSelectedSection(QDateEdit.Section.YearSection)
        super().keyPressEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if (watched is self.calendarWidget() and event.type() == QEvent.Type.Show
                and self.date() == NOT_SET_DATE):
            today = QDate.currentDate()  # not January 1900
            self.calendarWidget().setCurrentPage(today.year(), today.month())
        return super().eventFilter(watched, event)


class Field(QWidget):
    """One labelled field: label, editor, a line for problems."""

    focused = Signal(str)

    def __init__(self, key: str, editor: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key = key
        self.editor = editor
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 4)
        layout.setSpacing(2)
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.label.setBuddy(editor)
        layout.addWidget(self.label)
        editor.setParent(self)
        layout.addWidget(editor)
        self.problem_row = QWidget(self)
        row = QHBoxLayout(self.problem_row)
        row.setContentsMargins(0, 0, 0, 0)
        self.problem_icon = QLabel(self.problem_row)
        icon = self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        size = self.fontMetrics().height()
        self.problem_icon.setPixmap(icon.pixmap(size, size))
        row.addWidget(self.problem_icon, 0, Qt.AlignmentFlag.AlignTop)
        self.problem = QLabel(self.problem_row)
        self.problem.setWordWrap(True)
        self.problem.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        row.addWidget(self.problem, 1)
        layout.addWidget(self.problem_row)
        self.problem_row.hide()
        editor.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.FocusIn:
            self.focused.emit(self.key)
        return False

    def set_label(self, text: str) -> None:
        self.label.setText(text)
        self.editor.setAccessibleName(text.rstrip(":"))

    def set_problem(self, text: str | None) -> None:
        self.problem.setText(text or "")
        self.problem_row.setVisible(bool(text))
        self.editor.setAccessibleDescription(text or "")


def set_text(line: QLineEdit, text: str) -> None:
    if line.text() != text:
        position = line.cursorPosition()
        line.setText(text)
        line.setCursorPosition(min(position, len(text)))


def question_editor(question: Question, answers: dict[str, Any],
                    answer: Callable[[Any, bool], None]) -> tuple[QWidget, Callable[[], None]]:
    """The editor for ``question`` and the function that shows its answer again; ``answer``
    is called with each new value (and whether it is being typed)."""
    if question.kind in (QuestionKind.CHOICE, QuestionKind.BOOL):
        return _choice_editor(question, answers, answer)
    if question.kind is QuestionKind.MULTI:
        return _multi_editor(question, answers, answer)
    if question.kind is QuestionKind.DATE:
        return _date_editor(question, answers, answer)
    line = QLineEdit()

    def typed(text: str) -> None:
        answer(text or None, True)

    line.textEdited.connect(typed)
    return line, lambda: set_text(line, str(answers.get(question.id) or ""))


def _choice_editor(question: Question, answers: dict[str, Any],
                   answer: Callable[[Any, bool], None]) -> tuple[QWidget, Callable[[], None]]:
    combo = QComboBox()
    values: list[Any] = [None, *question.choice_ids()] if question.kind is QuestionKind.CHOICE \
        else [None, True, False]
    combo.addItems([""] * len(values))
    def chosen(i: int) -> None:
        answer(values[i] if 0 <= i < len(values) else None, False)

    combo.currentIndexChanged.connect(chosen)

    def read_combo() -> None:
        value = answers.get(question.id)
        combo.setCurrentIndex(values.index(value) if value in values else 0)

    combo.setProperty("values", values)
    return combo, read_combo


def _multi_editor(question: Question, answers: dict[str, Any],
                  answer: Callable[[Any, bool], None]) -> tuple[QWidget, Callable[[], None]]:
    box = QListWidget()
    box.setProperty("question", question.id)
    for choice_id in question.choice_ids():
        item = QListWidgetItem(box)
        item.setData(Qt.ItemDataRole.UserRole, choice_id)
        item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Unchecked)
    box.setFixedHeight(min(8, max(len(question.choices), 1)) * (
        box.fontMetrics().height() + 8) + 6)

    def multi_changed(_item: QListWidgetItem) -> None:
        chosen = [box.item(i).data(Qt.ItemDataRole.UserRole) for i in range(box.count())
                  if box.item(i).checkState() == Qt.CheckState.Checked]
        kept = [v for v in (answers.get(question.id) or []) if
                isinstance(v, str) and v.startswith("other:")]
        answer([*chosen, *kept], False)

    box.itemChanged.connect(multi_changed)

    def read_multi() -> None:
        value = answers.get(question.id) or []
        box.blockSignals(True)
        for i in range(box.count()):
            item = box.item(i)
            item.setCheckState(Qt.CheckState.Checked if item.data(
                Qt.ItemDataRole.UserRole) in value else Qt.CheckState.Unchecked)
        box.blockSignals(False)

    return box, read_multi


def _date_editor(question: Question, answers: dict[str, Any],
                 answer: Callable[[Any, bool], None]) -> tuple[QWidget, Callable[[], None]]:
    edit = DateEdit()

    def date_changed(_qdate: QDate) -> None:
        value = edit.value()
        answer(value.isoformat() if value is not None else None, False)

    edit.dateChanged.connect(date_changed)

    def read_date() -> None:
        raw = answers.get(question.id)
        try:
            edit.set_value(date.fromisoformat(raw) if isinstance(raw, str) else None)
        except ValueError:
            edit.set_value(None)

    return edit, read_date


def label_choices(editor: QWidget, question: Question, lang: str) -> None:
    """Set the texts of a choice editor's entries in ``lang``."""
    if isinstance(editor, QComboBox):
        values = editor.property("values") or []
        for i, value in enumerate(values):
            if value is None:
                text = _("— not answered —")
            elif value is True:
                text = _("Yes")
            elif value is False:
                text = _("No")
            else:
                text = question.choice_label(value).render(lang)
            editor.setItemText(i, text)
    elif isinstance(editor, QListWidget):
        editor.blockSignals(True)  # a new text is not a new answer
        for i in range(editor.count()):
            item = editor.item(i)
            item.setText(question.choice_label(item.data(
                Qt.ItemDataRole.UserRole)).render(lang))
        editor.blockSignals(False)
