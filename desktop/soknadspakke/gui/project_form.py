"""The "Project" dock: the project's facts and the rule pack's questions, as a form.

Nothing here is hard-coded to SSB: the questions, their kinds, help texts, choices and when
each applies come from the rule pack; a question is shown only while it applies. Each edit is
an undo command (typing in one field merges into one step). An answer the core cannot accept,
or a finding about a field, is shown under that field with the core's own message.

A derived fact that classifies answers and can be overridden (the pack's ``risk_class`` over
``change_types``, overridden by ``risk_override``) gets a panel of its own: the class the rules
derive, which answers make it so, what it demands (the guidance behind it), and a check box
that raises it — never lowers it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import QDate, QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QScrollArea,
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from soknadspakke.core.findings import Severity
from soknadspakke.core.i18n import T, Text, _, current_language
from soknadspakke.core.idnumbers import is_valid_org_number
from soknadspakke.core.project import DATE_INFO_FIELDS, INFO_FIELDS
from soknadspakke.rules.answers import answer_problem
from soknadspakke.rules.schema import Derived, DerivedKind, Question, QuestionKind

from . import commands
from .session import Session

#: The project facts' labels (the file format's keys are in the core).
INFO_LABELS: dict[str, Text] = {
    "title": T("Project title"), "project_leader": T("Project leader"),
    "institution": T("Institution"), "org_number": T("Organisation number"),
    "ssb_reference": T("SSB's reference (for a change)"),
    "contact_email": T("Contact e-mail"), "period_start": T("Project period from"),
    "period_end": T("Project period to"),
}
NOT_SET_DATE = QDate(1900, 1, 1)


class _DateEdit(QDateEdit):
    """A date that may be "not set" (shown as such at its minimum); the Delete key sets it
    back to "not set"."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setCalendarPopup(True)
        self.setMinimumDate(NOT_SET_DATE)
        self.setDisplayFormat("yyyy-MM-dd")
        self.setDate(NOT_SET_DATE)

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
        super().keyPressEvent(event)


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


class ProjectForm(QScrollArea):
    """The facts and questions of the open application."""

    #: The key (``project.<field>`` / ``answers.<id>``) of the field that got focus.
    field_focused = Signal(str)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        body = QWidget(self)
        self.body = body
        self.layout_ = QVBoxLayout(body)
        self.fields: dict[str, Field] = {}
        self.readers: dict[str, Callable[[], None]] = {}
        self._updating = False
        self.facts_heading = self._heading()
        self.layout_.addWidget(self.facts_heading)
        for key in INFO_FIELDS:
            self._add_info_field(key)
        self.questions_heading = self._heading()
        self.layout_.addWidget(self.questions_heading)
        overrides = {d.override for d in session.pack.derived if d.override}
        self.risk_panels: list[RiskPanel] = []
        for question in session.pack.questions:
            if question.id in overrides:
                continue
            self._add_question(question)
            for derived in session.pack.derived:
                if derived.kind is DerivedKind.CLASSIFY_ALL and derived.question == question.id \
                        and derived.override:
                    panel = RiskPanel(session, derived, body)
                    self.risk_panels.append(panel)
                    self.layout_.addWidget(panel)
        self.layout_.addStretch(1)
        self.setWidget(body)
        self.help = QLabel(self)
        session.report_changed.connect(self.refresh)
        self.retranslate()
        self.refresh()

    def _heading(self) -> QLabel:
        label = QLabel(self)
        font = label.font()
        font.setBold(True)
        label.setFont(font)
        return label

    # -- building ----------------------------------------------------------------------------
    def _register(self, key: str, field: Field) -> None:
        self.fields[key] = field
        field.focused.connect(self.field_focused)
        self.layout_.addWidget(field)

    def _add_info_field(self, key: str) -> None:
        session = self.session
        if key in DATE_INFO_FIELDS:
            edit = _DateEdit()
            field = Field(f"project.{key}", edit, self.body)

            def date_changed(_qdate: QDate, key: str = key, edit: _DateEdit = edit) -> None:
                if not self._updating:
                    session.push(commands.SetInfo(session.project, session.focus, key,
                                                  edit.value(), T("Change {field}",
                                                                  field=INFO_LABELS[key])))

            edit.dateChanged.connect(date_changed)

            def read_date(key: str = key, edit: _DateEdit = edit) -> None:
                edit.set_value(getattr(session.project.info, key))

            self.readers[f"project.{key}"] = read_date
        else:
            line = QLineEdit()
            line.setClearButtonEnabled(True)
            field = Field(f"project.{key}", line, self.body)

            def text_edited(text: str, key: str = key) -> None:
                session.push(commands.SetInfo(session.project, session.focus, key, text,
                                              T("Change {field}", field=INFO_LABELS[key]),
                                              typing=True))

            line.textEdited.connect(text_edited)

            def read_text(key: str = key, line: QLineEdit = line) -> None:
                _set_text(line, str(getattr(session.project.info, key) or ""))

            self.readers[f"project.{key}"] = read_text
        self._register(f"project.{key}", field)

    def _add_question(self, question: Question) -> None:
        editor, reader = self._editor_for(question)
        field = Field(f"answers.{question.id}", editor, self.body)
        self.readers[field.key] = reader
        self._register(field.key, field)

    def _answer(self, question: Question, value: Any, *, typing: bool = False) -> None:
        if self._updating:
            return
        self.session.push(commands.SetAnswer(
            self.session.project, self.session.focus, question.id, value,
            T("Answer “{question}”", question=question.label), typing=typing))

    def _editor_for(self, question: Question) -> tuple[QWidget, Callable[[], None]]:
        answers = self.session.project.answers
        kind = question.kind
        if kind in (QuestionKind.CHOICE, QuestionKind.BOOL):
            combo = QComboBox()
            values: list[Any] = [None, *question.choice_ids()] if kind is QuestionKind.CHOICE \
                else [None, True, False]
            combo.addItems([""] * len(values))
            def chosen(i: int) -> None:
                self._answer(question, values[i] if 0 <= i < len(values) else None)

            combo.currentIndexChanged.connect(chosen)

            def read_combo() -> None:
                value = answers.get(question.id)
                combo.setCurrentIndex(values.index(value) if value in values else 0)

            combo.setProperty("values", values)
            return combo, read_combo
        if kind is QuestionKind.MULTI:
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
                self._answer(question, [*chosen, *kept])

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
        if kind is QuestionKind.DATE:
            edit = _DateEdit()

            def date_changed(_qdate: QDate) -> None:
                value = edit.value()
                self._answer(question, value.isoformat() if value is not None else None)

            edit.dateChanged.connect(date_changed)

            def read_date() -> None:
                raw = answers.get(question.id)
                try:
                    edit.set_value(date.fromisoformat(raw) if isinstance(raw, str) else None)
                except ValueError:
                    edit.set_value(None)

            return edit, read_date
        line = QLineEdit()

        def typed(text: str) -> None:
            self._answer(question, text or None, typing=True)

        line.textEdited.connect(typed)
        return line, lambda: _set_text(line, str(answers.get(question.id) or ""))

    # -- language ----------------------------------------------------------------------------
    def retranslate(self) -> None:
        lang = current_language()
        self.setAccessibleName(_("Project and questions"))
        self.facts_heading.setText(_("The project"))
        self.questions_heading.setText(_("Questions about the application"))
        for key in INFO_FIELDS:
            self.fields[f"project.{key}"].set_label(INFO_LABELS[key].render(lang))
        pack = self.session.pack
        for question in pack.questions:
            field = self.fields.get(f"answers.{question.id}")
            if field is None:
                continue
            field.set_label(question.label.render(lang))
            help_text = question.help.render(lang) if question.help else ""
            guidance = " ".join(f"{s}: «{pack.guidance[s].render(lang)}»" for s in question.source
                                if s in pack.guidance)
            tip = "\n\n".join(t for t in (help_text, guidance) if t)
            field.editor.setToolTip(tip)
            field.label.setToolTip(tip)
            field.editor.setWhatsThis(tip)
            editor = field.editor
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
        for field in self.fields.values():
            if isinstance(field.editor, _DateEdit):
                field.editor.setSpecialValueText(_("not set"))
        for panel in self.risk_panels:
            panel.retranslate()
        self.refresh()

    # -- following the project ---------------------------------------------------------------
    def refresh(self) -> None:
        """Show the project's values, which questions apply, and the problems of each field."""
        self._updating = True
        try:
            for reader in self.readers.values():
                reader()
        finally:
            self._updating = False
        report = self.session.report
        applicable = set(report.evaluation.applicable_questions)
        lang = current_language()
        problems: dict[str, list[str]] = {}
        for finding in report.findings:
            if finding.field and finding.severity is not Severity.INFO:
                problems.setdefault(finding.field, []).append(finding.message.render(lang))
        for question in self.session.pack.questions:
            field = self.fields.get(f"answers.{question.id}")
            if field is None:
                continue
            field.setVisible(question.id in applicable)
            raw = self.session.project.answers.get(question.id)
            problem = answer_problem(question, raw) if raw is not None else None
            texts = ([problem.render(lang)] if problem else []) + problems.get(field.key, [])
            field.set_problem("\n".join(texts) or None)
        info = self.session.project.info
        for key in INFO_FIELDS:
            field = self.fields[f"project.{key}"]
            texts = problems.get(f"project.{key}", [])
            if key == "org_number" and info.org_number and not is_valid_org_number(
                    info.org_number) and not texts:
                texts = [_("The check digit does not match.")]
            field.set_problem("\n".join(texts) or None)
        for panel in self.risk_panels:
            panel.refresh()

    def focus_field(self, key: str) -> bool:
        """Show and focus the field ``project.<key>`` / ``answers.<id>``; False if none."""
        field = self.fields.get(key)
        if field is None:
            for panel in self.risk_panels:
                if panel.key == key:
                    self.ensureWidgetVisible(panel)
                    panel.check.setFocus(Qt.FocusReason.OtherFocusReason)
                    return True
            return False
        self.ensureWidgetVisible(field)
        field.editor.setFocus(Qt.FocusReason.OtherFocusReason)
        return True


def _set_text(line: QLineEdit, text: str) -> None:
    if line.text() != text:
        position = line.cursorPosition()
        line.setText(text)
        line.setCursorPosition(min(position, len(text)))


class RiskPanel(QFrame):
    """A derived class (e.g. privacy risk): what the rules derive, why, what it demands, and
    a way to raise it."""

    def __init__(self, session: Session, derived: Derived, parent: QWidget | None = None
                 ) -> None:
        super().__init__(parent)
        self.session = session
        self.derived = derived
        assert derived.override is not None
        self.override = session.pack.question(derived.override)
        self.key = f"answers.{self.override.id}"
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(self)
        self.title = QLabel(self)
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        layout.addWidget(self.title)
        self.reason = QLabel(self)
        self.reason.setWordWrap(True)
        layout.addWidget(self.reason)
        self.demands = QLabel(self)
        self.demands.setWordWrap(True)
        self.demands.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.demands)
        row = QHBoxLayout()
        self.check = QCheckBox(self)
        row.addWidget(self.check, 1)
        self.info = QToolButton(self)
        self.info.setIcon(self.style().standardIcon(
            QStyle.StandardPixmap.SP_MessageBoxInformation))
        self.info.setAutoRaise(True)
        row.addWidget(self.info)
        layout.addLayout(row)
        self.check.toggled.connect(self._toggled)
        self._updating = False

    def _toggled(self, checked: bool) -> None:
        if self._updating:
            return
        session = self.session
        session.push(commands.SetAnswer(session.project, session.focus, self.override.id,
                                        bool(checked),
                                        T("Answer “{question}”", question=self.override.label)))

    def retranslate(self) -> None:
        lang = current_language()
        self.check.setText(self.override.label.render(lang))
        self.check.setAccessibleName(self.override.label.render(lang))
        help_text = self.override.help.render(lang) if self.override.help else ""
        self.check.setToolTip(help_text)
        self.info.setToolTip(help_text)
        self.info.setAccessibleName(_("About {what}").format(
            what=self.derived.label.render(lang)))
        self.refresh()

    def refresh(self) -> None:
        lang = current_language()
        pack = self.session.pack
        facts = self.session.report.evaluation.facts
        applicable = self.override.id in self.session.report.evaluation.applicable_questions
        self.setVisible(applicable)
        if not applicable:
            return
        value = facts.get(self.derived.id)
        label = self.derived.values_labels.get(value) if isinstance(value, str) else None
        self.title.setText(_("{what}: {value}").format(
            what=self.derived.label.render(lang),
            value=label.render(lang) if label else _("not known yet")))
        question = pack.question(self.derived.question)
        chosen = self.session.project.answers.get(self.derived.question) or []
        raising = [question.choice_label(c).render(lang) for c in chosen
                   if c not in self.derived.values]
        overridden = self.session.project.answers.get(self.override.id) is True
        if raising:
            reason = _("Made so by: {answers}.").format(answers=", ".join(raising))
        elif overridden:
            reason = _("Raised by you.")
        elif chosen:
            reason = _("Every change chosen is of the low-risk kind.")
        else:
            reason = _("Choose the changes above.")
        self.reason.setText(reason)
        sources = list(self.derived.source)
        for requirement in pack.requirements:
            if requirement.when is not None and self.derived.id in requirement.when.names():
                sources += [s for s in requirement.source if s not in sources]
        self.demands.setText("\n".join(f"{s}: «{pack.guidance[s].render(lang)}»"
                                       for s in sources if s in pack.guidance))
        self._updating = True
        self.check.setChecked(overridden or bool(raising))
        # Raise, never lower: the box is locked while the answers themselves make it so.
        self.check.setEnabled(not raising)
        self._updating = False
