"""Every question the window asks the user, in one place.

The window never calls ``QFileDialog``/``QMessageBox`` directly but goes through
:class:`Dialogs`, so a test can answer in the user's place (a scripted :class:`Dialogs`) while
driving the real window.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtWidgets import (
    QAbstractButton,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from soknadspakke.core.i18n import _


class Choice(enum.Enum):
    YES = "yes"
    NO = "no"
    CANCEL = "cancel"
    SAVE = "save"
    DISCARD = "discard"
    OPEN = "open"
    SHOW = "show"
    CLOSE = "close"
    OPEN_ANYWAY = "open_anyway"
    OPEN_DRAFT = "open_draft"
    COMPRESS = "compress"
    SPLIT = "split"


class PasswordDialog(QDialog):
    """Asks for the passwords of several encrypted PDFs at once."""

    def __init__(self, files: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Password-protected PDFs"))
        layout = QVBoxLayout(self)
        intro = QLabel(_("These PDFs are protected by a password. Enter each password to put "
                         "the file in the package. Passwords are kept only while the program "
                         "runs and are never saved."), self)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.fields: dict[str, QLineEdit] = {}
        for name in files:
            edit = QLineEdit(self)
            edit.setEchoMode(QLineEdit.EchoMode.Password)
            edit.setAccessibleName(_("Password for {file}").format(file=name))
            label = QLabel(name, self)
            label.setBuddy(edit)
            form.addRow(label, edit)
            self.fields[name] = edit
        layout.addLayout(form)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def passwords(self) -> dict[str, str]:
        return {name: edit.text() for name, edit in self.fields.items() if edit.text()}


class Dialogs:
    """The real dialogs, parented to the window."""

    def __init__(self, parent: QWidget) -> None:
        self.parent = parent

    def open_project(self, folder: str) -> Path | None:
        name, _filter = QFileDialog.getOpenFileName(
            self.parent, _("Open application"), folder, _("Applications (*.soknad)"))
        return Path(name) if name else None

    def save_project(self, suggested: str) -> Path | None:
        name, _filter = QFileDialog.getSaveFileName(
            self.parent, _("Save application as"), suggested, _("Applications (*.soknad)"))
        if not name:
            return None
        path = Path(name)
        return path if path.suffix == ".soknad" else path.with_name(path.name + ".soknad")

    def add_files(self, folder: str) -> list[Path]:
        names, _filter = QFileDialog.getOpenFileNames(
            self.parent, _("Add files"), folder,
            _("Documents (*.pdf *.docx *.odt *.rtf *.xlsx *.csv *.txt *.jpg *.jpeg *.png "
              "*.tif *.tiff);;All files (*)"))
        return [Path(n) for n in names]

    def folder(self, title: str, folder: str) -> Path | None:
        name = QFileDialog.getExistingDirectory(self.parent, title, folder)
        return Path(name) if name else None

    def package_path(self, suggested: str) -> Path | None:
        name, _filter = QFileDialog.getSaveFileName(
            self.parent, _("Where should the package go?"), suggested, _("PDF (*.pdf)"))
        if not name:
            return None
        path = Path(name)
        return path if path.suffix.lower() == ".pdf" else path.with_name(path.name + ".pdf")

    def ask(self, title: str, text: str, choices: Sequence[Choice],
            detail: str = "") -> Choice:
        box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=self.parent)
        if detail:
            box.setInformativeText(detail)
        buttons: list[tuple[QAbstractButton, Choice]] = []
        standard = {Choice.YES: QMessageBox.StandardButton.Yes,
                    Choice.NO: QMessageBox.StandardButton.No,
                    Choice.CANCEL: QMessageBox.StandardButton.Cancel,
                    Choice.SAVE: QMessageBox.StandardButton.Save,
                    Choice.DISCARD: QMessageBox.StandardButton.Discard,
                    Choice.CLOSE: QMessageBox.StandardButton.Close}
        own = {Choice.OPEN: _("Open package"), Choice.SHOW: _("Show in folder"),
               Choice.OPEN_ANYWAY: _("Open anyway"), Choice.OPEN_DRAFT: _("Open the e-mail"),
               Choice.COMPRESS: _("Build a compressed package"),
               Choice.SPLIT: _("Split into several e-mails")}
        for choice in choices:
            if choice in standard:
                buttons.append((box.addButton(standard[choice]), choice))
            else:
                buttons.append((box.addButton(own[choice], QMessageBox.ButtonRole.ActionRole),
                                choice))
        box.exec()
        clicked = box.clickedButton()
        return next((c for b, c in buttons if b is clicked), Choice.CANCEL)

    def inform(self, title: str, text: str, detail: str = "") -> None:
        box = QMessageBox(QMessageBox.Icon.Information, title, text, parent=self.parent)
        if detail:
            box.setInformativeText(detail)
        box.exec()

    def error(self, title: str, text: str) -> None:
        QMessageBox.critical(self.parent, title, text)

    def passwords(self, files: Sequence[str]) -> dict[str, str]:
        dialog = PasswordDialog(files, self.parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return {}
        return dialog.passwords()
