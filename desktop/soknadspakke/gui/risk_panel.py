"""The panel of a derived class that can be raised (the pack's ``risk_class`` over
``change_types``, overridden by ``risk_override``): the class the rules derive, which answers
make it so, what it demands (the guidance behind it), and a check box that raises it — never
lowers it. Shown in the project form (:mod:`.project_form`).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from soknadspakke.core.i18n import T, _, current_language
from soknadspakke.rules.schema import Derived

from . import commands
from .session import Session


class _ClickLabel(QLabel):
    """A check box's text that wraps; a click on it toggles the box."""

    def __init__(self, box: QCheckBox, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.box = box
        self.setWordWrap(True)
        self.setBuddy(box)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        if self.box.isEnabled():
            self.box.toggle()
        event.accept()


class RiskPanel(QFrame):
    """A derived class (e.g. privacy risk): what the rules derive, why, what it demands, and
    a way to raise it."""

    def __init__(self, session: Session, derived: Derived, parent: QWidget | None = None
                 ) -> None:
        super().__init__(parent)
        self.session = session
        self.derived = derived
        self._demand_sources: list[str] | None = None
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
        row.addWidget(self.check, 0, Qt.AlignmentFlag.AlignTop)
        # The question is a long sentence: a label that wraps (a check box's own text does
        # not, and widened the whole dock); clicking it toggles the box.
        self.check_label = _ClickLabel(self.check, self)
        row.addWidget(self.check_label, 1)
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
        self.check_label.setText(self.override.label.render(lang))
        self.check.setAccessibleName(self.override.label.render(lang))
        help_text = self.override.help.render(lang) if self.override.help else ""
        self.check.setToolTip(help_text)
        self.info.setToolTip(help_text)
        self.info.setAccessibleName(_("About {what}").format(
            what=self.derived.label.render(lang)))
        self.refresh()

    def _sources(self) -> list[str]:
        """The guidance behind the class and behind each requirement that reads it (the pack
        does not change: found once)."""
        if self._demand_sources is None:
            sources = list(self.derived.source)
            for requirement in self.session.pack.requirements:
                when = requirement.when
                if when is not None and self.derived.id in when.names():
                    sources += [s for s in requirement.source if s not in sources]
            self._demand_sources = sources
        return self._demand_sources

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
        sources = self._sources()
        self.demands.setText("\n".join(f"{s}: «{pack.guidance[s].render(lang)}»"
                                       for s in sources if s in pack.guidance))
        self._updating = True
        self.check.setChecked(overridden or bool(raising))
        # Raise, never lower: the box is locked while the answers themselves make it so.
        self.check.setEnabled(not raising)
        self._updating = False
