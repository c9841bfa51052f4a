"""The two pages of the main window's centre: the welcome page (no application open) and the
documents page (the documents table with its notice, intake panel and totals).

Widgets and their texts only: what their buttons, drops and menus do is wired by the window
(:mod:`.main_window`) to :mod:`.project_files` and :mod:`.document_commands`.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from soknadspakke.core.i18n import _

from .widgets import DocumentsView, IntakePanel, NoticeBar


class WelcomePage(QWidget):
    """What the program is, the buttons to start, and the recent applications."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        welcome = QVBoxLayout(self)
        welcome.addStretch(1)
        self.title = QLabel(self)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        self.title.setFont(font)
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        welcome.addWidget(self.title)
        self.text = QLabel(self)
        self.text.setWordWrap(True)
        self.text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        welcome.addWidget(self.text)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.new_button = QPushButton(self)
        self.open_button = QPushButton(self)
        self.example_button = QPushButton(self)
        for button in (self.new_button, self.open_button, self.example_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        welcome.addLayout(buttons)
        self.recent_label = QLabel(self)
        self.recent_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        welcome.addWidget(self.recent_label)
        self.recent_list = QListWidget(self)
        self.recent_list.setMaximumWidth(640)
        self.recent_list.setMaximumHeight(self.fontMetrics().height() * 8)
        recent_row = QHBoxLayout()
        recent_row.addStretch(1)
        recent_row.addWidget(self.recent_list, 4)
        recent_row.addStretch(1)
        welcome.addLayout(recent_row)
        welcome.addStretch(2)

    def show_recent(self, recent: list[Path]) -> None:
        """List the recent applications (each item's data is its path); hidden when none."""
        self.recent_list.clear()
        for path in recent:
            item = QListWidgetItem(f"{path.stem} — {path.parent}", self.recent_list)
            item.setData(Qt.ItemDataRole.UserRole, str(path))
        self.recent_label.setVisible(bool(recent))
        self.recent_list.setVisible(bool(recent))

    def retranslate(self) -> None:
        self.title.setText("Søknadspakke")
        self.text.setText(_(
            "Puts together a complete application package for borrowing microdata from "
            "Statistics Norway (SSB): drop in your documents, answer a few questions, see what "
            "is missing, and build one PDF. Nothing is ever sent anywhere."))
        self.new_button.setText(_("New application…"))
        self.open_button.setText(_("Open application…"))
        self.example_button.setText(_("Open the example"))
        self.recent_label.setText(_("Recent applications"))
        self.recent_list.setAccessibleName(_("Recent applications"))


class DocumentsPage(QWidget):
    """The open application's documents: a notice bar, the table, the intake panel, totals."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        page = QVBoxLayout(self)
        page.setContentsMargins(6, 6, 6, 6)
        self.notice = NoticeBar(self)
        page.addWidget(self.notice)
        self.view = DocumentsView(self)
        page.addWidget(self.view, 1)
        self.intake_panel = IntakePanel(self)
        page.addWidget(self.intake_panel)
        self.totals = QLabel(self)
        page.addWidget(self.totals)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)

    def retranslate(self) -> None:
        self.view.placeholder = _("Drop files or folders here, or choose Add files…")
        self.view.setAccessibleName(_("Documents"))
        self.totals.setAccessibleName(_("Totals"))
        self.notice.retranslate()
        self.intake_panel.retranslate()
