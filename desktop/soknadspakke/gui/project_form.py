"""The "Project" dock: the project's facts and the rule pack's questions, as a form.

Nothing here is hard-coded to SSB: the questions, their kinds, help texts, choices and when
each applies come from the rule pack; a question is shown only while it applies. Each edit is
an undo command (typing in one field merges into one step). An answer the core cannot accept,
or a finding about a field, is shown under that field with the core's own message.

A derived fact that classifies answers and can be overridden (the pack's ``risk_class`` over
``change_types``, overridden by ``risk_override``) gets a panel of its own
(:mod:`.risk_panel`); the fields and the editor for each kind of question are
:mod:`.form_fields`'s.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtCore import QDate, QSize, Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QLineEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from soknadspakke.core.findings import Severity
from soknadspakke.core.i18n import LocalText, T, Text, _, current_language
from soknadspakke.core.idnumbers import is_valid_org_number
from soknadspakke.core.project import DATE_INFO_FIELDS, INFO_FIELDS
from soknadspakke.rules.answers import answer_problem
from soknadspakke.rules.schema import DerivedKind, Question

from . import commands
from .form_fields import DateEdit, Field, label_choices, question_editor, set_text
from .risk_panel import RiskPanel
from .session import Session

#: The project facts' labels (the file format's keys are in the core).
INFO_LABELS: dict[str, Text] = {
    "title": T("Project title"), "project_leader": T("Project leader"),
    "institution": T("Institution"), "org_number": T("Organisation number"),
    "ssb_reference": T("SSB's reference (for a change)"),
    "contact_email": T("Contact e-mail"), "period_start": T("Project period from"),
    "period_end": T("Project period to"),
}


class ProjectForm(QScrollArea):
    """The facts and questions of the open application."""

    #: The key (``project.<field>`` / ``answers.<id>``) of the field that got focus.
    field_focused = Signal(str)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        """No wider than about 45 characters: the guidance quoted in the form wraps, and a
        label's natural width would otherwise widen the dock at the table's cost."""
        hint = super().sizeHint()
        return QSize(min(hint.width(), self.fontMetrics().averageCharWidth() * 45),
                     hint.height())

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
            edit = DateEdit()
            field = Field(f"project.{key}", edit, self.body)

            def date_changed(_qdate: QDate, key: str = key, edit: DateEdit = edit) -> None:
                if not self._updating:
                    session.push(commands.SetInfo(session.project, session.focus, key,
                                                  edit.value(), T("Change {field}",
                                                                  field=INFO_LABELS[key])))

            edit.dateChanged.connect(date_changed)

            def read_date(key: str = key, edit: DateEdit = edit) -> None:
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
                set_text(line, str(getattr(session.project.info, key) or ""))

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
        def answer(value: Any, typing: bool) -> None:
            self._answer(question, value, typing=typing)

        return question_editor(question, self.session.project.answers, answer)

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
            tip = _tooltip(question, pack.guidance, lang)
            field.editor.setToolTip(tip)
            field.label.setToolTip(tip)
            field.editor.setWhatsThis(tip)
            label_choices(field.editor, question, lang)
        for field in self.fields.values():
            if isinstance(field.editor, DateEdit):
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
        # The rules already say why an answer to a question that applies cannot be used: the
        # form's own reason is for the others (else the field showed the reason twice).
        said = {f.field for f in report.findings if f.code == "invalid_answer"}
        for question in self.session.pack.questions:
            field = self.fields.get(f"answers.{question.id}")
            if field is None:
                continue
            field.setVisible(question.id in applicable)
            raw = self.session.project.answers.get(question.id)
            problem = answer_problem(question, raw) if raw is not None \
                and field.key not in said else None
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


def _tooltip(question: Question, guidance: Mapping[str, LocalText], lang: str) -> str:
    """A question's help text and the guidance it comes from."""
    help_text = question.help.render(lang) if question.help else ""
    quoted = " ".join(f"{s}: «{guidance[s].render(lang)}»" for s in question.source
                      if s in guidance)
    return "\n\n".join(t for t in (help_text, quoted) if t)
