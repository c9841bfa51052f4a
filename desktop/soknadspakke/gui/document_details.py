"""The selected document's own facts, beyond its type: title, data owner, valid until, and
whether it was revised for this change application.

The rules read these (per-owner requirements read the data owner, the approval checks read
``valid_until``, a change application's updated DPIA is the one flagged as revised), so the
window lets the user set each one, as ``soknadspakke add`` does, through undoable commands.
A date the consistency checks found in the document (e.g. "gyldig til 31.12.2027") is offered
as its ``valid_until`` with a button, never set without asking (issue 9).

The data-owner list is the pack's data-owner question's choices (``[pack]
data_owner_question``); a pack without one shows no data-owner field.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from soknadspakke.core.findings import Suggestion
from soknadspakke.core.i18n import T, Text, _, current_language
from soknadspakke.core.project import Document
from soknadspakke.rules.schema import Question

from . import commands
from .form_fields import DateEdit
from .session import Session


class DocumentDetails(QWidget):
    """Edits the facts of the document in row ``row`` of the project (none: disabled)."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.row: int | None = None
        self._updating = False
        layout = QVBoxLayout(self)
        self.heading = QLabel(self)
        self.heading.setWordWrap(True)
        self.heading.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.heading)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.title = QLineEdit(self)
        self.title.editingFinished.connect(self._title_edited)
        self.title_label = QLabel(self)
        self.title_label.setBuddy(self.title)
        form.addRow(self.title_label, self.title)
        self.owner_question = self._owner_question()
        self.owner = QComboBox(self)
        self.owner.activated.connect(self._owner_chosen)
        self.owner_label = QLabel(self)
        self.owner_label.setBuddy(self.owner)
        if self.owner_question is not None:
            form.addRow(self.owner_label, self.owner)
        else:
            self.owner.hide()
            self.owner_label.hide()
        self.valid_until = DateEdit(self)
        self.valid_until.dateChanged.connect(self._valid_until_changed)
        self.valid_label = QLabel(self)
        self.valid_label.setBuddy(self.valid_until)
        form.addRow(self.valid_label, self.valid_until)
        self.updated = QCheckBox(self)
        self.updated.toggled.connect(self._updated_toggled)
        form.addRow("", self.updated)
        layout.addLayout(form)
        offer = QHBoxLayout()
        self.offer_label = QLabel(self)
        self.offer_label.setWordWrap(True)
        offer.addWidget(self.offer_label, 1)
        self.offer_button = QPushButton(self)
        self.offer_button.clicked.connect(self.take_offered_date)
        offer.addWidget(self.offer_button)
        layout.addLayout(offer)
        layout.addStretch(1)
        session.report_changed.connect(self.refresh)  # after every change: the rules run
        self.retranslate()

    def _owner_question(self) -> Question | None:
        pack = self.session.pack
        qid = pack.data_owner_question
        return pack.question(qid) if qid else None

    # -- which document ----------------------------------------------------------------------
    def show_row(self, row: int | None) -> None:
        """Show (and edit) the document in project row ``row``; ``None``: no single one."""
        documents = self.session.project.documents
        self.row = row if row is not None and 0 <= row < len(documents) else None
        self.refresh()

    @property
    def document(self) -> Document | None:
        documents = self.session.project.documents
        return documents[self.row] if self.row is not None and self.row < len(documents) \
            else None

    def offered_date(self) -> date | None:
        """A ``valid_until`` the checks found in the document and the user has not set."""
        doc = self.document
        if doc is None or doc.valid_until is not None:
            return None
        for finding in self.session.report.findings:
            offer: Suggestion | None = finding.suggestion
            if offer is not None and offer.file == doc.path and offer.field == "valid_until":
                try:
                    return date.fromisoformat(offer.value)
                except ValueError:
                    continue
        return None

    # -- showing -----------------------------------------------------------------------------
    def retranslate(self) -> None:
        lang = current_language()
        self.title_label.setText(_("&Title:"))
        self.title.setAccessibleName(_("Document title"))
        self.title.setPlaceholderText(_("the file name"))
        self.owner_label.setText(_("&Data owner:"))
        self.owner.setAccessibleName(_("Data owner"))
        self.valid_label.setText(_("&Valid until:"))
        self.valid_until.setAccessibleName(_("Valid until"))
        self.valid_until.setSpecialValueText(_("not set"))
        self.valid_until.setToolTip(_("When the approval or decision expires (Delete: not set)"))
        self.updated.setText(_("&Revised for this change application"))
        self.updated.setAccessibleName(_("Revised for this change application"))
        self.offer_button.setText(_("&Use this date"))
        self.offer_button.setAccessibleName(_("Use the date found in the document"))
        self.owner.clear()
        self.owner.addItem(_("none"), None)
        if self.owner_question is not None:
            for choice in self.owner_question.choices:
                self.owner.addItem(choice.label.render(lang), choice.id)
        self.refresh()

    def refresh(self, *_args: object) -> None:
        doc = self.document
        self._updating = True
        try:
            for widget in (self.title, self.owner, self.valid_until, self.updated):
                widget.setEnabled(doc is not None)
            if doc is None:
                self.heading.setText(_("Select one document to see and change its details."))
                self.title.clear()
                self.owner.setCurrentIndex(0)
                self.valid_until.set_value(None)
                self.updated.setChecked(False)
            else:
                self.heading.setText(_("Details of {file}").format(file=doc.file_name))
                if not self.title.hasFocus():
                    self.title.setText(doc.title or "")
                self.owner.setCurrentIndex(max(0, self.owner.findData(doc.data_owner)))
                self.valid_until.set_value(doc.valid_until)
                self.updated.setChecked(doc.updated_for_this_change)
            offered = self.offered_date()
            self.offer_label.setVisible(offered is not None)
            self.offer_button.setVisible(offered is not None)
            if offered is not None:
                self.offer_label.setText(_("The document says it is valid until {date}.").format(
                    date=offered.isoformat()))
        finally:
            self._updating = False

    # -- editing -----------------------------------------------------------------------------
    def _name(self) -> str:
        doc = self.document
        return doc.display_title if doc is not None else ""

    def _update(self, text: Text, **changes: object) -> None:
        doc = self.document
        if self._updating or doc is None or self.row is None:
            return
        if all(getattr(doc, k) == v for k, v in changes.items()):
            return
        self.session.push(commands.UpdateDocument(
            self.session.project, self.session.focus, self.row, text, **changes))

    def _title_edited(self) -> None:
        self._update(T("Rename {file}", file=self._name()),
                     title=self.title.text().strip() or None)

    def _owner_chosen(self, index: int) -> None:
        self._update(T("Set the data owner of {file}", file=self._name()),
                     data_owner=self.owner.itemData(index))

    def _valid_until_changed(self, _qdate: QDate) -> None:
        self._update(T("Set the validity of {file}", file=self._name()),
                     valid_until=self.valid_until.value())

    def _updated_toggled(self, checked: bool) -> None:
        self._update(T("Mark {file} as revised for this change", file=self._name()),
                     updated_for_this_change=checked)

    def take_offered_date(self) -> None:
        """Set the document's ``valid_until`` to the date found in it (one undo step)."""
        offered = self.offered_date()
        if offered is not None:
            self._update(T("Set the validity of {file}", file=self._name()),
                         valid_until=offered)
