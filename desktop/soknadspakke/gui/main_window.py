"""The main window: documents in the centre, the project's questions, the checklist and the
preview in docks, building from the toolbar.

It wires the parts together and adds nothing of its own to the rules: what it shows comes from
the :class:`~.session.Session` (the core's project, rules and intake); what the user does becomes
undo commands (:mod:`.commands`); long work runs on workers (:mod:`.tasks`) or, for the build, in
a process of its own (:mod:`.build`).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QItemSelection, QItemSelectionModel, QModelIndex, Qt, QTimer, QUrl
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QCloseEvent,
    QDesktopServices,
    QKeySequence,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QStyle,
    QToolBar,
    QUndoView,
    QVBoxLayout,
    QWidget,
)

from soknadspakke import __version__
from soknadspakke.core.errors import SoknadError
from soknadspakke.core.findings import Severity
from soknadspakke.core.i18n import LANGUAGES, T, _, current_language
from soknadspakke.core.project import PROJECT_SUFFIX, Project
from soknadspakke.core.project_file import load_project, save_project
from soknadspakke.core.resources import resource_path
from soknadspakke.intake import IntakeCache, default_cache_dir
from soknadspakke.rules.loader import default_pack
from soknadspakke.rules.migrate import migrate_project
from soknadspakke.rules.schema import RulePack
from soknadspakke.usecases import find_moved_documents, missing_documents, place_in_project
from soknadspakke.validation import sha256_of

from . import commands, heap
from . import settings as keys
from .admin import AdminTools
from .build import BuildProcess, BuildRequest
from .checklist import Checklist
from .dialogs import Choice, Dialogs
from .documents import Column, DocumentsModel, PackageOrderProxy, TypeDelegate, format_size
from .i18n import LANGUAGE_NAMES, Language, system_language
from .project_form import ProjectForm
from .recovery import RecoveryStore
from .session import Session
from .settings import Settings
from .widgets import DocumentsView, IntakePanel, NoticeBar

RECOVERY_DELAY_MS = 2000


class MainWindow(QMainWindow):
    """One window, one open application at a time."""

    def __init__(self, *, settings: Settings | None = None, language: str | None = None,
                 recovery: RecoveryStore | None = None, cache: IntakeCache | None = None,
                 pack: RulePack | None = None, dialogs: Dialogs | None = None) -> None:
        super().__init__()
        self.setObjectName("main_window")
        self.settings = settings or Settings()
        self.language = Language(self)
        self.language.apply(language or self.settings.get(keys.LANGUAGE) or system_language())
        self.pack = pack or default_pack()
        self.cache = cache if cache is not None else IntakeCache(default_cache_dir())
        self.recovery = recovery or RecoveryStore()
        self.dialogs = dialogs or Dialogs(self)
        self.session: Session | None = None
        self.model: DocumentsModel | None = None
        self.proxy: PackageOrderProxy | None = None
        self.form: ProjectForm | None = None
        self.checklist: Checklist | None = None
        self.build_process: BuildProcess | None = None
        self.last_package: Path | None = None
        self._restored_dirty = False
        self._closing = False
        self._preview: Any = None
        self._actions: dict[str, QAction] = {}
        self._recovery_timer = QTimer(self)
        self._recovery_timer.setSingleShot(True)
        self._recovery_timer.setInterval(RECOVERY_DELAY_MS)
        self._recovery_timer.timeout.connect(self.write_recovery)
        self.undo_stack_placeholder = QUndoStack(self)

        self._build_central()
        self._build_docks()
        self._build_actions()
        self._build_menus()
        self._build_toolbar()
        self._build_status_bar()
        self.admin = AdminTools(self)  # workspace, e-mail, change applications, locks
        self.language.changed.connect(self.retranslate)
        self.retranslate()
        self.resize(1280, 800)
        geometry = self.settings.get(keys.GEOMETRY)
        if not geometry.isEmpty():
            self.restoreGeometry(geometry)
        state = self.settings.get(keys.WINDOW_STATE)
        if not state.isEmpty():
            self.restoreState(state, keys.WINDOW_STATE_VERSION)
        self._show_office_notice()
        self._update_actions()
        QTimer.singleShot(0, self._create_preview)

    # == building the window ================================================================
    def _build_central(self) -> None:
        self.stack = QStackedWidget(self)
        self.welcome = QWidget(self.stack)
        welcome = QVBoxLayout(self.welcome)
        welcome.addStretch(1)
        self.welcome_title = QLabel(self.welcome)
        font = self.welcome_title.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        self.welcome_title.setFont(font)
        self.welcome_title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        welcome.addWidget(self.welcome_title)
        self.welcome_text = QLabel(self.welcome)
        self.welcome_text.setWordWrap(True)
        self.welcome_text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        welcome.addWidget(self.welcome_text)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.new_button = QPushButton(self.welcome)
        self.open_button = QPushButton(self.welcome)
        self.example_button = QPushButton(self.welcome)
        for button in (self.new_button, self.open_button, self.example_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        welcome.addLayout(buttons)
        self.recent_label = QLabel(self.welcome)
        self.recent_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        welcome.addWidget(self.recent_label)
        self.recent_list = QListWidget(self.welcome)
        self.recent_list.setMaximumWidth(640)
        self.recent_list.setMaximumHeight(self.fontMetrics().height() * 8)
        self.recent_list.itemActivated.connect(
            lambda item: self.open_project(Path(item.data(Qt.ItemDataRole.UserRole))))
        recent_row = QHBoxLayout()
        recent_row.addStretch(1)
        recent_row.addWidget(self.recent_list, 4)
        recent_row.addStretch(1)
        welcome.addLayout(recent_row)
        welcome.addStretch(2)
        self.new_button.clicked.connect(self.new_project)
        self.open_button.clicked.connect(self.ask_open_project)
        self.example_button.clicked.connect(self.open_example)
        self.stack.addWidget(self.welcome)

        self.documents_page = QWidget(self.stack)
        page = QVBoxLayout(self.documents_page)
        page.setContentsMargins(6, 6, 6, 6)
        self.notice = NoticeBar(self.documents_page)
        self.notice.closed.connect(lambda: self.settings.set(keys.OFFICE_NOTICE_SHOWN, True))
        page.addWidget(self.notice)
        self.view = DocumentsView(self.documents_page)
        self.view.activated.connect(lambda _index: self.edit_type())
        page.addWidget(self.view, 1)
        self.intake_panel = IntakePanel(self.documents_page)
        self.intake_panel.cancel_requested.connect(
            lambda: self.session.cancel_intake() if self.session else None)
        page.addWidget(self.intake_panel)
        self.totals = QLabel(self.documents_page)
        page.addWidget(self.totals)
        self.stack.addWidget(self.documents_page)
        self.setCentralWidget(self.stack)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._context_menu)

    def _dock(self, name: str, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(self)
        dock.setObjectName(name)
        dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                         | QDockWidget.DockWidgetFeature.DockWidgetFloatable
                         | QDockWidget.DockWidgetFeature.DockWidgetClosable)
        self.addDockWidget(area, dock)
        return dock

    def _build_docks(self) -> None:
        self.project_dock = self._dock("project", Qt.DockWidgetArea.LeftDockWidgetArea)
        self.checklist_dock = self._dock("checklist", Qt.DockWidgetArea.RightDockWidgetArea)
        self.history_dock = self._dock("history", Qt.DockWidgetArea.RightDockWidgetArea)
        self.undo_view = QUndoView(self.history_dock)
        self.history_dock.setWidget(self.undo_view)
        self.history_dock.hide()
        self.empty_project = QLabel(self.project_dock)
        self.empty_project.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_project.setWordWrap(True)
        self.project_dock.setWidget(self.empty_project)
        self.empty_checklist = QLabel(self.checklist_dock)
        self.empty_checklist.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_checklist.setWordWrap(True)
        self.checklist_dock.setWidget(self.empty_checklist)

    def show_history(self) -> None:
        self.history_dock.show()
        self.history_dock.raise_()

    def _create_preview(self) -> None:
        """The preview dock (QtPdf) is made once the window has drawn: its import is the
        slowest part of start-up and nothing needs it before."""
        if self._preview is not None or self._closing:
            return
        try:
            from .preview import PreviewDock
        except ImportError:  # pragma: no cover - QtPdf missing from an installation
            return
        self._preview = PreviewDock(self)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self._preview)
        self.splitDockWidget(self.checklist_dock, self._preview, Qt.Orientation.Vertical)
        state = self.settings.get(keys.WINDOW_STATE)
        if not state.isEmpty():
            self.restoreState(state, keys.WINDOW_STATE_VERSION)
        else:  # first start: room for the pages, beside the documents
            self.resizeDocks([self.checklist_dock], [max(420, self.width() // 3)],
                             Qt.Orientation.Horizontal)
            self.resizeDocks([self.checklist_dock, self._preview],
                             [self.height() // 3, self.height() // 2], Qt.Orientation.Vertical)
        view_menu = getattr(self, "view_menu", None)
        if view_menu is not None:
            view_menu.insertAction(self._actions["history"], self._preview.toggleViewAction())
        self._preview_selected()

    @property
    def preview(self) -> Any:
        if self._preview is None:
            self._create_preview()
        return self._preview

    def _action(self, key: str, slot: Callable[[], object],
                shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
                icon: QStyle.StandardPixmap | None = None) -> QAction:
        action = QAction(self)
        action.triggered.connect(lambda _checked=False: slot())
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if icon is not None:
            action.setIcon(self.style().standardIcon(icon))
        self._actions[key] = action
        return action

    def _build_actions(self) -> None:
        sp = QStyle.StandardPixmap
        self._action("new", self.new_project, QKeySequence.StandardKey.New, sp.SP_FileIcon)
        self._action("open", self.ask_open_project, QKeySequence.StandardKey.Open,
                     sp.SP_DialogOpenButton)
        self._action("example", self.open_example)
        self._action("save", self.save, QKeySequence.StandardKey.Save, sp.SP_DialogSaveButton)
        self._action("save_as", self.save_as, QKeySequence.StandardKey.SaveAs)
        self._action("passwords", self.ask_passwords)
        self._action("relink", self.relink)
        self._action("quit", self.close, QKeySequence.StandardKey.Quit)
        self._action("add_files", self.add_files, "Ctrl+Shift+A", sp.SP_FileDialogNewFolder)
        self._action("add_folder", self.add_folder, "Ctrl+Shift+F")
        self._action("remove", self.remove_selected, QKeySequence.StandardKey.Delete,
                     sp.SP_TrashIcon)
        self._action("move_up", lambda: self.move_selected(-1), "Alt+Up", sp.SP_ArrowUp)
        self._action("move_down", lambda: self.move_selected(1), "Alt+Down", sp.SP_ArrowDown)
        self._action("set_type", self.edit_type, "Ctrl+T")
        self._action("rename", self.edit_title, "F2")
        self._action("accept", self.accept_selected, "Ctrl+Return", sp.SP_DialogApplyButton)
        self._action("accept_all", self.accept_all, "Ctrl+Shift+Return")
        self._action("accept_change", self.accept_changed_files)
        self._action("build", lambda: self.start_build(draft=False), "Ctrl+B",
                     sp.SP_MediaPlay)
        self._action("build_draft", lambda: self.start_build(draft=True), "Ctrl+Shift+B")
        self._action("cancel_build", self.cancel_build, None, sp.SP_MediaStop)
        self._action("open_package", self.open_package)
        self._action("show_package", self.show_package_in_folder)
        self._action("about", self.about)
        self._action("history", self.show_history)
        for action in self._actions.values():
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.undo_action = self.undo_stack_placeholder.createUndoAction(self)
        self.redo_action = self.undo_stack_placeholder.createRedoAction(self)
        self.language_group = QActionGroup(self)
        self.language_actions: dict[str, QAction] = {}
        for lang in LANGUAGES:
            action = QAction(LANGUAGE_NAMES[lang], self)
            action.setCheckable(True)
            action.triggered.connect(lambda _checked=False, lang=lang: self.set_language(lang))
            self.language_group.addAction(action)
            self.language_actions[lang] = action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        a = self._actions
        self.file_menu = bar.addMenu("")
        self.file_menu.addActions([a["new"], a["open"]])
        self.recent_menu = self.file_menu.addMenu("")
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        self.file_menu.addAction(a["example"])
        self.file_menu.addSeparator()
        self.file_menu.addActions([a["save"], a["save_as"]])
        self.file_menu.addSeparator()
        self.file_menu.addActions([a["passwords"], a["relink"]])
        self.file_menu.addSeparator()
        self.file_menu.addAction(a["quit"])
        self.edit_menu = bar.addMenu("")
        self.edit_menu.addActions([self.undo_action, self.redo_action])
        self.edit_menu.addSeparator()
        self.edit_menu.addActions([a["add_files"], a["add_folder"], a["remove"]])
        self.edit_menu.addSeparator()
        self.edit_menu.addActions([a["move_up"], a["move_down"], a["rename"], a["set_type"]])
        self.second_type_menu = self.edit_menu.addMenu("")
        self.second_type_menu.aboutToShow.connect(self._fill_second_type_menu)
        self.edit_menu.addActions([a["accept"], a["accept_all"], a["accept_change"]])
        self.view_menu = bar.addMenu("")
        self.view_menu.addActions([self.project_dock.toggleViewAction(),
                                   self.checklist_dock.toggleViewAction(), a["history"]])
        self.view_menu.addSeparator()
        self.language_menu = self.view_menu.addMenu("")
        self.language_menu.addActions(list(self.language_actions.values()))
        self.package_menu = bar.addMenu("")
        self.package_menu.addActions([a["build"], a["build_draft"], a["cancel_build"]])
        self.package_menu.addSeparator()
        self.package_menu.addActions([a["open_package"], a["show_package"]])
        self.help_menu = bar.addMenu("")
        self.help_menu.addAction(a["about"])

    def _build_toolbar(self) -> None:
        self.toolbar = QToolBar(self)
        self.toolbar.setObjectName("toolbar")
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        a = self._actions
        self.toolbar.addActions([a["add_files"], a["remove"], a["move_up"], a["move_down"]])
        self.toolbar.addSeparator()
        self.toolbar.addActions([self.undo_action, self.redo_action])
        self.toolbar.addSeparator()
        self.toolbar.addActions([a["build"], a["build_draft"]])
        self.addToolBar(self.toolbar)

    def _build_status_bar(self) -> None:
        status = self.statusBar()
        self.verdict_label = QLabel(status)
        status.addWidget(self.verdict_label, 1)
        self.progress = QProgressBar(status)
        self.progress.setMaximumWidth(260)
        self.progress.hide()
        status.addPermanentWidget(self.progress)
        self.cancel_button = QPushButton(status)
        self.cancel_button.clicked.connect(self.cancel_build)
        self.cancel_button.hide()
        status.addPermanentWidget(self.cancel_button)

    # == language ===========================================================================
    def set_language(self, lang: str) -> None:
        self.settings.set(keys.LANGUAGE, lang)
        self.language.apply(lang)

    def retranslate(self, _lang: str | None = None) -> None:
        a = self._actions
        texts = {
            "new": _("&New application…"), "open": _("&Open application…"),
            "example": _("Open the &example application"), "save": _("&Save"),
            "save_as": _("Save &as…"), "passwords": _("&Passwords…"),
            "relink": _("Find &moved files…"), "quit": _("&Quit"),
            "add_files": _("Add &files…"), "add_folder": _("Add a f&older…"),
            "remove": _("&Remove"), "move_up": _("Move &up"), "move_down": _("Move &down"),
            "set_type": _("Set the &type…"), "rename": _("Re&name…"),
            "accept": _("A&ccept the suggested type"),
            "accept_all": _("Accept &all suggested types"),
            "accept_change": _("Accept the &changed file"),
            "build": _("&Build package…"), "build_draft": _("Build a &draft…"),
            "cancel_build": _("&Stop the build"), "open_package": _("&Open the package"),
            "show_package": _("Show the package in its &folder"),
            "about": _("&About Søknadspakke"), "history": _("&Undo history"),
        }
        for key, text in texts.items():
            a[key].setText(text)
            a[key].setToolTip(text.replace("&", ""))
        self.undo_action.setText(_("&Undo"))
        self.redo_action.setText(_("&Redo"))
        self.file_menu.setTitle(_("&File"))
        self.recent_menu.setTitle(_("Open &recent"))
        self.edit_menu.setTitle(_("&Edit"))
        self.second_type_menu.setTitle(_("Add a &second type"))
        self.view_menu.setTitle(_("&View"))
        self.language_menu.setTitle(_("&Language") + " / Language")
        self.package_menu.setTitle(_("&Package"))
        self.help_menu.setTitle(_("&Help"))
        self.toolbar.setWindowTitle(_("Toolbar"))
        self.project_dock.setWindowTitle(_("Project and questions"))
        self.checklist_dock.setWindowTitle(_("Checklist"))
        self.history_dock.setWindowTitle(_("Undo history"))
        self.undo_view.setEmptyLabel(_("<the project as opened>"))
        self.undo_view.setAccessibleName(_("Undo history"))
        self.empty_project.setText(_("Open or create an application to answer its questions."))
        self.empty_checklist.setText(_("The checklist shows what the application still needs."))
        self.welcome_title.setText("Søknadspakke")
        self.welcome_text.setText(_(
            "Puts together a complete application package for borrowing microdata from "
            "Statistics Norway (SSB): drop in your documents, answer a few questions, see what "
            "is missing, and build one PDF. Nothing is ever sent anywhere."))
        self.new_button.setText(_("New application…"))
        self.open_button.setText(_("Open application…"))
        self.example_button.setText(_("Open the example"))
        self.recent_label.setText(_("Recent applications"))
        self.recent_list.setAccessibleName(_("Recent applications"))
        self.view.placeholder = _("Drop files or folders here, or choose Add files…")
        self.view.setAccessibleName(_("Documents"))
        self.totals.setAccessibleName(_("Totals"))
        self.cancel_button.setText(_("Stop"))
        self.cancel_button.setAccessibleName(_("Stop the build"))
        self.progress.setAccessibleName(_("Build progress"))
        office = getattr(self, "_office_notice", None)
        if office is not None:
            self.notice.label.setText(office.render(current_language()))
        self.notice.retranslate()
        for lang, action in self.language_actions.items():
            action.setChecked(lang == current_language())
        self.intake_panel.retranslate()
        if self.model is not None:
            self.model.retranslate()
        if self.form is not None:
            self.form.retranslate()
        if self.checklist is not None:
            self.checklist.retranslate()
        if self._preview is not None:
            self._preview.retranslate()
        if self.session is not None:
            stack = self.session.undo
            for i in range(stack.count()):
                command = stack.command(i)
                if isinstance(command, commands.ProjectCommand):
                    command.retranslate()
        self._fill_recent_list()
        self._update_title()
        self._update_status()
        self.view.viewport().update()

    # == the open application ===============================================================
    def set_project(self, project: Project) -> None:
        """Show ``project`` (replacing the one open now, which the caller has dealt with)."""
        self._drop_session()
        session = Session(project, self.pack, cache=self.cache, parent=self)
        self.session = session
        self.model = DocumentsModel(session, self)
        self.proxy = PackageOrderProxy(self.model, self)
        self.view.setModel(self.proxy)
        self.view.setItemDelegateForColumn(Column.TYPES, TypeDelegate(session, self.view))
        self.view.configure_columns()
        self.view.selectionModel().selectionChanged.connect(self._selection_changed)
        self.model.files_dropped.connect(self._files_dropped)
        self.model.move_requested.connect(self._move_requested)
        self.form = ProjectForm(session, self.project_dock)
        self.project_dock.setWidget(self.form)
        self.checklist = Checklist(session, self.checklist_dock)
        self.checklist_dock.setWidget(self.checklist)
        self.checklist.documents_activated.connect(self.select_documents)
        self.checklist.field_activated.connect(self.focus_field)
        session.focus.listeners.append(self._focus_after_command)
        session.report_changed.connect(self._update_status)
        session.documents_info_changed.connect(self._documents_info_changed)
        session.batch_arrived.connect(self._batch_arrived)
        session.undo.cleanChanged.connect(self._update_title)
        session.undo.indexChanged.connect(self.proxy.flush)
        session.undo.indexChanged.connect(self._changed)
        self.undo_view.setStack(session.undo)
        self._rebind_undo_actions(session.undo)
        self.intake_panel.attach(session)
        self.stack.setCurrentWidget(self.documents_page)
        self.retranslate()
        self._update_actions()
        self.admin.project_opened(session)
        session.start_file_check()
        heap.settle()

    def _documents_info_changed(self, _paths: list[str]) -> None:
        self._update_status()
        self._preview_selected()

    def _drop_session(self) -> None:
        if self.session is None:
            return
        self.admin.project_closed()
        # Nothing the old session does from now on reaches this window.
        self.session.blockSignals(True)
        self.session.undo.blockSignals(True)
        self._recovery_timer.stop()
        self.intake_panel.attach(None)
        if self.model is not None:
            self.model.detach()
        self.view.setModel(None)
        self.undo_view.setStack(None)  # type: ignore[arg-type]
        self.session.close()
        self.session.deleteLater()
        for widget in (self.form, self.checklist):
            if widget is not None:
                widget.deleteLater()
        self.project_dock.setWidget(self.empty_project)
        self.checklist_dock.setWidget(self.empty_checklist)
        self.session = self.model = self.proxy = None
        self.form = self.checklist = None
        self._restored_dirty = False
        self.last_package = None
        if self._preview is not None:
            self._preview.clear()

    def _rebind_undo_actions(self, stack: QUndoStack) -> None:
        for old, make in ((self.undo_action, stack.createUndoAction),
                          (self.redo_action, stack.createRedoAction)):
            new = make(self)
            new.setShortcut(QKeySequence.StandardKey.Undo if old is self.undo_action
                            else QKeySequence.StandardKey.Redo)
            new.setIcon(self.style().standardIcon(
                QStyle.StandardPixmap.SP_ArrowBack if old is self.undo_action
                else QStyle.StandardPixmap.SP_ArrowForward))
            for menu_or_bar in (self.edit_menu, self.toolbar):
                menu_or_bar.insertAction(old, new)
                menu_or_bar.removeAction(old)
            if old is self.undo_action:
                self.undo_action = new
            else:
                self.redo_action = new
            old.deleteLater()

    @property
    def modified(self) -> bool:
        return self.session is not None and (not self.session.undo.isClean()
                                             or self._restored_dirty)

    def _update_title(self, *_args: object) -> None:
        if self.session is None or self.session.project.path is None:
            self.setWindowTitle("Søknadspakke")
            return
        name = self.session.project.info.title or self.session.project.path.stem
        self.setWindowTitle(f"{name} ({self.session.project.path.name})[*] – Søknadspakke")
        self.setWindowModified(self.modified)

    def _changed(self, _index: int = 0) -> None:
        self._update_title()
        self._update_actions()
        if self.modified:
            self._recovery_timer.start()
        elif self.session is not None:
            self.recovery.discard(self.session.project.path)

    def write_recovery(self) -> None:
        if self.session is not None and self.modified:
            self.recovery.write(self.session.project)

    # == files: new, open, save ==============================================================
    def _last_folder(self) -> str:
        folder = str(self.settings.get(keys.LAST_FOLDER) or "")
        return folder if folder and Path(folder).is_dir() else str(Path.home())

    def maybe_save(self) -> bool:
        """Ask about unsaved changes; False when the user cancels."""
        if not self.modified or self.session is None:
            return True
        choice = self.dialogs.ask(
            _("Unsaved changes"),
            _("“{name}” has changes that are not saved.").format(
                name=self.session.project.info.title or self.session.project.path.name
                if self.session.project.path else ""),
            [Choice.SAVE, Choice.DISCARD, Choice.CANCEL])
        if choice is Choice.SAVE:
            return self.save()
        if choice is Choice.DISCARD:
            self.recovery.discard(self.session.project.path)
            return True
        return False

    def new_project(self) -> None:
        if not self.maybe_save():
            return
        target = self.dialogs.save_project(str(Path(self._last_folder()) / (
            _("application") + PROJECT_SUFFIX)))
        if target is None:
            return
        project = Project(path=target)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            save_project(project, target)
        except (SoknadError, OSError) as exc:
            self.dialogs.error(_("Cannot create the application"), str(exc))
            return
        self.settings.add_recent(target)
        self.settings.set(keys.LAST_FOLDER, str(target.parent))
        self.set_project(project)

    def ask_open_project(self) -> None:
        path = self.dialogs.open_project(self._last_folder())
        if path is not None:
            self.open_project(path)

    def open_example(self) -> None:
        """Open a copy of the bundled example (the shipped one is never changed)."""
        import shutil
        import tempfile

        try:
            source = resource_path("examples", "ny-soknad")
        except SoknadError as exc:
            self.dialogs.error(_("The example is missing"), str(exc))
            return
        target = Path(tempfile.mkdtemp(prefix="soknadspakke-example-")) / "ny-soknad"
        shutil.copytree(source, target)
        self.open_project(target / "ny-soknad.soknad")

    def open_project(self, path: Path) -> bool:
        """Open the application in ``path``; False (with a message) when it cannot be read."""
        if self.session is not None and not self.maybe_save():
            return False
        try:
            project = load_project(path)
        except SoknadError as exc:
            self.dialogs.error(_("Cannot open the application"), str(exc))
            return False
        if not self.admin.before_open(path):  # someone else has it open, and the user cancelled
            return False
        restored = self._offer_restore(path)
        if restored is not None:
            project = restored
        notices = migrate_project(project, self.pack)
        if notices:
            lang = current_language()
            self.dialogs.inform(_("The application was updated"), notices[0].render(lang),
                                "\n".join(n.render(lang) for n in notices[1:]))
        self.settings.add_recent(path)
        self.settings.set(keys.LAST_FOLDER, str(path.parent))
        self.set_project(project)
        if restored is not None:
            self._restored_dirty = True
            self._update_title()
        if missing_documents(project):
            self.relink(asked=False)
        return True

    def _offer_restore(self, path: Path) -> Project | None:
        recovered = self.recovery.for_project(path)
        if recovered is None or not recovered.newer_than_project:
            return None
        when = time.strftime("%Y-%m-%d %H:%M", time.localtime(recovered.saved_at))
        choice = self.dialogs.ask(
            _("Restore unsaved work?"),
            _("Søknadspakke was closed on {when} with changes to “{file}” that were not "
              "saved. Restore them?").format(when=when, file=path.name),
            [Choice.YES, Choice.NO])
        if choice is not Choice.YES:
            self.recovery.discard(path)
            return None
        try:
            return self.recovery.load(recovered)
        except SoknadError as exc:
            self.dialogs.error(_("Cannot restore"), str(exc))
            return None

    def offer_recovery(self) -> None:
        """At start without a project: offer the newest work a crash left unsaved."""
        pending = [r for r in self.recovery.pending() if r.newer_than_project]
        skipped = str(self.settings.get(keys.SKIPPED_RECOVERY) or "")
        pending = [r for r in pending if str(r.file) != skipped]
        if pending and pending[0].project_path.is_file():
            latest = pending[0]
            if not self.open_project(latest.project_path):
                self.settings.set(keys.SKIPPED_RECOVERY, str(latest.file))

    def save(self) -> bool:
        if self.session is None:
            return False
        project = self.session.project
        if project.path is None:
            return self.save_as()
        try:
            save_project(project)
        except SoknadError as exc:
            self.dialogs.error(_("Cannot save"), str(exc))
            return False
        self._saved()
        return True

    def save_as(self) -> bool:
        if self.session is None:
            return False
        project = self.session.project
        suggested = str(project.path) if project.path else self._last_folder()
        target = self.dialogs.save_project(suggested)
        if target is None:
            return False
        old_path = project.path
        try:
            save_project(project, target)
        except SoknadError as exc:
            self.dialogs.error(_("Cannot save"), str(exc))
            return False
        # Saving elsewhere rewrote document paths outside the undo history: start it afresh.
        self.session.undo.clear()
        self.recovery.discard(old_path)
        self._saved()
        return True

    def _saved(self) -> None:
        assert self.session is not None
        project = self.session.project
        self.session.undo.setClean()
        self._restored_dirty = False
        self._recovery_timer.stop()
        self.recovery.discard(project.path)
        if project.path is not None:
            self.settings.add_recent(project.path)
        self.admin.project_saved(project.path)
        self._update_title()
        self.statusBar().showMessage(_("Saved {file}").format(
            file=project.path.name if project.path else ""), 4000)

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        for path in self.settings.recent_projects():
            action = self.recent_menu.addAction(str(path))
            action.triggered.connect(lambda _checked=False, p=path: self.open_project(p))
        self.recent_menu.setEnabled(True)

    def _fill_recent_list(self) -> None:
        self.recent_list.clear()
        recent = self.settings.recent_projects()
        for path in recent:
            item = QListWidgetItem(f"{path.stem} — {path.parent}", self.recent_list)
            item.setData(Qt.ItemDataRole.UserRole, str(path))
        self.recent_label.setVisible(bool(recent))
        self.recent_list.setVisible(bool(recent))

    # == documents ==========================================================================
    def _files_dropped(self, paths: list[Path], row: int) -> None:
        if self.session is not None:
            self.session.take_in(paths, None if row < 0 else row)

    def add_files(self) -> None:
        if self.session is None:
            return
        paths = self.dialogs.add_files(self._last_folder())
        if paths:
            self.settings.set(keys.LAST_FOLDER, str(paths[0].parent))
            self.session.take_in(paths)

    def add_folder(self) -> None:
        if self.session is None:
            return
        folder = self.dialogs.folder(_("Add a folder"), self._last_folder())
        if folder is not None:
            self.settings.set(keys.LAST_FOLDER, str(folder))
            self.session.take_in([folder])

    def _batch_arrived(self, added: list[str], refused: list[Any], locked: list[str]) -> None:
        lang = current_language()
        if refused:
            lines = []
            for source, why in refused:
                if isinstance(why, str):
                    reason = why
                else:
                    reason = " ".join(f.message.render(lang) for f in why.findings
                                      if f.severity is Severity.ERROR) or _("it cannot be read")
                lines.append(f"{Path(source).name}: {reason}")
            self.dialogs.inform(_("Some files were not added"),
                                _("{n} files cannot go into a package:").format(n=len(refused)),
                                "\n".join(lines))
        if added:
            self.statusBar().showMessage(_("Added {n} documents").format(n=len(added)), 5000)
        if locked:
            self.ask_passwords(locked)

    def ask_passwords(self, paths: list[str] | None = None) -> None:
        if self.session is None:
            return
        wanted = paths if paths is not None else self.session.needs_password()
        if not wanted:
            self.dialogs.inform(_("Passwords"), _("No document needs a password."))
            return
        given = self.dialogs.passwords(wanted)
        if given:
            self.session.set_passwords(given)

    def selected_rows(self) -> list[int]:
        """Selected documents as rows of the project (the model's own order)."""
        if self.proxy is None:
            return []
        # From the selection's ranges: selectedRows() asks the model about every cell.
        proxy, selection = self.proxy, self.view.selectionModel().selection()
        parts = (selection.at(i) for i in range(selection.count()))
        rows = {proxy.mapToSource(proxy.index(row, 0)).row()
                for part in parts for row in range(part.top(), part.bottom() + 1)}
        return sorted(rows)

    def remove_selected(self) -> None:
        rows = self.selected_rows()
        if self.session is None or not rows:
            return
        self.session.push(commands.RemoveDocuments(self.session.project, self.session.focus,
                                                   rows))

    def move_selected(self, step: int) -> None:
        """Alt+Up/Down: move one document within its type group, in package order."""
        if self.session is None or self.proxy is None:
            return
        selected = self.view.selectionModel().selectedRows()
        if len(selected) != 1:
            return
        proxy_row = selected[0].row()
        target = proxy_row + step
        if not 0 <= target < self.proxy.rowCount():
            return
        if self.proxy.group_of(target) != self.proxy.group_of(proxy_row):
            self.statusBar().showMessage(_(
                "Documents stay in the guidance's order of types; change the type to move it "
                "to another group."), 6000)
            return
        source = self.proxy.mapToSource(self.proxy.index(proxy_row, 0)).row()
        dest = self.proxy.mapToSource(self.proxy.index(target, 0)).row()
        self.session.push(commands.MoveDocument(self.session.project, self.session.focus,
                                                source, dest))

    def _move_requested(self, rows: list[int], before: int) -> None:
        if self.session is None or len(rows) != 1:
            return
        source = rows[0]
        dest = before if before <= source else before - 1
        dest = max(0, min(dest, len(self.session.project.documents) - 1))
        if dest != source:
            self.session.push(commands.MoveDocument(self.session.project, self.session.focus,
                                                    source, dest))

    def _current_index(self, column: Column) -> QModelIndex | None:
        selected = self.view.selectionModel().selectedRows() if self.proxy else []
        if not selected or self.proxy is None:
            return None
        return self.proxy.index(selected[0].row(), column)

    def edit_type(self) -> None:
        index = self._current_index(Column.TYPES)
        if index is not None:
            self.view.setCurrentIndex(index)
            self.view.edit(index)

    def edit_title(self) -> None:
        index = self._current_index(Column.TITLE)
        if index is not None:
            self.view.setCurrentIndex(index)
            self.view.edit(index)

    def accept_selected(self) -> None:
        if self.session is not None:
            self.session.accept_suggestions(self.selected_rows())

    def accept_all(self) -> None:
        if self.session is not None:
            count = self.session.accept_suggestions()
            self.statusBar().showMessage(_("{n} suggested types accepted").format(n=count), 4000)

    def accept_changed_files(self) -> None:
        """Record the selected documents' files as they are now (after a change on disk)."""
        if self.session is None:
            return
        session = self.session
        rows = self.selected_rows() or range(len(session.project.documents))
        changed = {p for f in session.report.findings if f.code == "document_changed"
                   for p in f.files}
        targets = [r for r in rows if session.project.documents[r].path in changed]
        if not targets:
            return
        session.undo.beginMacro(_("Accept the changed files"))
        for row in targets:
            doc = session.project.documents[row]
            try:
                sha = sha256_of(session.project.resolve(doc))
            except OSError:
                continue
            session.push(commands.UpdateDocument(
                session.project, session.focus, row,
                T("Accept the changed {file}", file=doc.display_title), sha256=sha))
        session.undo.endMacro()

    def _fill_second_type_menu(self) -> None:
        menu = self.second_type_menu
        menu.clear()
        rows = self.selected_rows()
        if self.session is None or len(rows) != 1:
            menu.addAction(_("(select one document)")).setEnabled(False)
            return
        session = self.session
        row = rows[0]
        doc = session.project.documents[row]
        lang = current_language()
        if not doc.types:
            menu.addAction(_("(set its first type first)")).setEnabled(False)
            return
        first = doc.types[0]
        partners = sorted({t for pair in session.pack.allowed_dual_tags if first in pair
                           for t in pair if t != first})
        if len(doc.types) > 1:
            action = menu.addAction(_("Only {type}").format(
                type=session.pack.type_name(first).render(lang)))
            action.triggered.connect(lambda: session.push(commands.UpdateDocument(
                session.project, session.focus, row,
                T("Set the type of {file}", file=doc.display_title), types=[first])))
        for partner in partners:
            action = menu.addAction(session.pack.type_name(partner).render(lang))
            action.setCheckable(True)
            action.setChecked(partner in doc.types)
            action.triggered.connect(lambda _c=False, partner=partner: session.push(
                commands.UpdateDocument(session.project, session.focus, row,
                                        T("Set the type of {file}", file=doc.display_title),
                                        types=[first, partner])))
        if not partners:
            menu.addAction(_("(no second type goes with this one)")).setEnabled(False)

    def _context_menu(self, position: Any) -> None:
        if self.session is None:
            return
        menu = QMenu(self)
        a = self._actions
        menu.addActions([a["set_type"], a["accept"], a["rename"]])
        menu.addMenu(self.second_type_menu)
        menu.addSeparator()
        menu.addActions([a["move_up"], a["move_down"], a["accept_change"], a["remove"]])
        menu.exec(self.view.viewport().mapToGlobal(position))

    # == selection, focus ===================================================================
    def select_documents(self, paths: list[str]) -> None:
        if self.session is None or self.proxy is None or self.model is None:
            return
        selection = QItemSelection()
        first: QModelIndex | None = None
        for path in paths:
            row = self.session.row_of(path)
            if row is None:
                continue
            index = self.proxy.mapFromSource(self.model.index(row, 0))
            selection.select(index, index)
            first = first or index
        flags = (QItemSelectionModel.SelectionFlag.ClearAndSelect
                 | QItemSelectionModel.SelectionFlag.Rows)
        self.view.selectionModel().select(selection, flags)
        if first is not None:
            self.view.selectionModel().setCurrentIndex(
                first, QItemSelectionModel.SelectionFlag.NoUpdate)
            self.view.scrollTo(first)
            self.view.setFocus(Qt.FocusReason.OtherFocusReason)

    def focus_field(self, key: str) -> None:
        if self.form is None:
            return
        self.project_dock.show()
        self.project_dock.raise_()
        self.form.focus_field(key)

    def _focus_after_command(self, paths: list[str], field: str | None) -> None:
        if field is not None:
            focused = QApplication.focusWidget()
            if self.form is not None and (focused is None or not self.form.isAncestorOf(focused)):
                self.focus_field(field)
        elif paths:
            self.select_documents(paths)

    def _selection_changed(self, *_args: object) -> None:
        rows = self.selected_rows()
        self._update_actions(rows)
        self._preview_selected(rows)

    def _preview_selected(self, rows: list[int] | None = None) -> None:
        if self._preview is None or self.session is None:
            return
        rows = self.selected_rows() if rows is None else rows
        if len(rows) != 1:
            return
        doc = self.session.project.documents[rows[0]]
        result = self.session.result_for(doc)
        if result is None or result.pdf_path is None or (result.needs_password and \
                doc.path not in self.session.passwords):
            return
        self._preview.show_document(result.pdf_path, title=doc.display_title,
                                    has_forms=result.has_forms,
                                    password=self.session.passwords.get(doc.path))

    # == status =============================================================================
    def _update_status(self) -> None:
        if self.session is None:
            self.verdict_label.setText("")
            self.totals.setText("")
            return
        session = self.session
        report = session.report
        counts = report.counts()
        if report.ready:
            self.verdict_label.setText(_("Ready to send · warnings: {warnings}").format(
                warnings=counts[Severity.WARNING]))
        else:
            self.verdict_label.setText(_("Not ready · errors: {errors}, warnings: {warnings}"
                                         ).format(errors=counts[Severity.ERROR],
                                                  warnings=counts[Severity.WARNING]))
        docs = session.project.documents
        pages = sum(r.pages for d in docs if (r := session.result_for(d)) is not None)
        size = sum(r.size for d in docs if (r := session.result_for(d)) is not None)
        check = session.pack.checks.get("package_size")
        if check is not None:
            limit = float(check.parameters.get("max_mb", 20))
            self.totals.setText(_("{documents} documents · {pages} pages · {size} of at most "
                                  "{limit} MB").format(documents=len(docs), pages=pages,
                                                       size=format_size(size),
                                                       limit=f"{limit:g}"))
        else:
            self.totals.setText(_("{documents} documents · {pages} pages · {size}").format(
                documents=len(docs), pages=pages, size=format_size(size)))

    def _update_actions(self, rows: list[int] | None = None) -> None:
        has = self.session is not None
        if not has:
            rows = []
        elif rows is None:
            rows = self.selected_rows()
        building = self.build_process is not None and self.build_process.running
        a = self._actions
        for key in ("save", "save_as", "add_files", "add_folder", "passwords", "relink",
                    "accept_all", "accept_change"):
            a[key].setEnabled(has)
        for key in ("remove", "accept"):
            a[key].setEnabled(bool(rows))
        for key in ("move_up", "move_down", "set_type", "rename"):
            a[key].setEnabled(len(rows) == 1)
        a["build"].setEnabled(has and not building)
        a["build_draft"].setEnabled(has and not building)
        a["cancel_build"].setEnabled(building)
        exists = self.last_package is not None and self.last_package.is_file()
        a["open_package"].setEnabled(exists)
        a["show_package"].setEnabled(exists)

    def _show_office_notice(self) -> None:
        from soknadspakke.intake.convert import office_conversion_notice

        notice = office_conversion_notice()
        self._office_notice = notice
        if notice is not None and not self.settings.get(keys.OFFICE_NOTICE_SHOWN):
            self.notice.label.setText(notice.render(current_language()))
            self.notice.show()

    # == relinking moved files ===============================================================
    def relink(self, *, asked: bool = True) -> None:
        """Find documents whose files moved: one folder relinks every one found there."""
        if self.session is None:
            return
        session = self.session
        missing = missing_documents(session.project)
        if not missing:
            if asked:
                self.dialogs.inform(_("Find moved files"), _("Every document's file is there."))
            return
        choice = self.dialogs.ask(
            _("Files not found"),
            _("{n} of the application's files are not where they were. Look for them in a "
              "folder?").format(n=len(missing)),
            [Choice.YES, Choice.NO],
            "\n".join(session.project.documents[r].path for r in missing[:12]))
        if choice is not Choice.YES:
            return
        folder = self.dialogs.folder(_("Where are the files now?"), str(
            session.project.base_dir))
        if folder is None:
            return
        found = find_moved_documents(session.project, folder)
        if found:
            session.undo.beginMacro(_("Find {n} moved files").format(n=len(found)))
            for row, path in sorted(found.items()):
                try:
                    rel, _copied = place_in_project(session.project, path)
                except SoknadError as exc:
                    self.dialogs.error(_("Cannot use {file}").format(file=path.name), str(exc))
                    continue
                session.push(commands.UpdateDocument(
                    session.project, session.focus, row,
                    T("Relink {file}", file=session.project.documents[row].display_title),
                    path=rel))
            session.undo.endMacro()
        self.dialogs.inform(_("Find moved files"), _(
            "Found {found} of {missing} files in {folder}.").format(
                found=len(found), missing=len(missing), folder=folder))

    # == building ===========================================================================
    def start_build(self, *, draft: bool, out: Path | None = None) -> BuildProcess | None:
        if self.session is None or (self.build_process and self.build_process.running):
            return None
        session = self.session
        report = session.report
        lang = current_language()
        if not draft and not report.ready:
            errors = [f.message.render(lang) for f in report.findings if f.is_error]
            choice = self.dialogs.ask(
                _("Not ready to send"),
                _("The application is not ready: {n} errors must be fixed first. Build a draft "
                  "instead (every page marked as a draft)?").format(n=len(errors)),
                [Choice.YES, Choice.CANCEL], "\n".join(f"• {e}" for e in errors[:8]))
            if choice is not Choice.YES:
                return None
            draft = True
        if session.project.path is None:
            return None
        if out is None:
            # The package builder is imported when first needed: it is the largest part of
            # the program, and the window does not need it to start.
            from soknadspakke.build import default_output

            out = self.dialogs.package_path(str(default_output(session.project, lang)))
            if out is None:
                return None
        request = BuildRequest(session.project, out, lang, draft, dict(session.passwords),
                               dict(session.options))
        process = BuildProcess(request, self)
        self.build_process = process
        process.progress.connect(self._build_progress)
        process.done.connect(self._build_done)
        process.not_ready.connect(self._build_not_ready)
        process.failed.connect(self._build_failed)
        process.cancelled.connect(self._build_cancelled)
        self.progress.setRange(0, 0)
        self.progress.show()
        self.cancel_button.show()
        self.statusBar().showMessage(_("Building the package…"))
        process.start()
        self._update_actions()
        return process

    def cancel_build(self) -> None:
        if self.build_process is not None:
            self.build_process.cancel()
            self.statusBar().showMessage(_("Stopping the build…"))

    def _build_progress(self, done: int, total: int, message: str) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.progress.setFormat(message)
        self.statusBar().showMessage(message)

    def _build_ended(self) -> None:
        self.progress.hide()
        self.cancel_button.hide()
        self.statusBar().clearMessage()
        self._update_actions()

    def _build_done(self, result: dict[str, Any]) -> None:
        self._build_ended()
        self.last_package = Path(str(result["path"]))
        self._update_actions()
        if self._preview is not None:
            self._preview.show_package(self.last_package)
        detail = ""
        if result.get("skipped"):
            detail = _("Left out (cannot be used): {files}").format(
                files=", ".join(result["skipped"]))
        choice = self.dialogs.ask(
            _("The package is ready"),
            _("Wrote {pages} pages ({documents} documents) to {file}.").format(
                pages=result.get("pages"), documents=result.get("documents"),
                file=self.last_package),
            [Choice.OPEN, Choice.SHOW, Choice.CLOSE], detail)
        if choice is Choice.OPEN:
            self.open_package()
        elif choice is Choice.SHOW:
            self.show_package_in_folder()

    def _build_not_ready(self, errors: list[str]) -> None:
        self._build_ended()
        self.dialogs.inform(_("Not ready to send"), _("Nothing was written: the application "
                                                       "is not ready."), "\n".join(errors))

    def _build_failed(self, message: str) -> None:
        self._build_ended()
        self.dialogs.error(_("The package could not be built"), message)

    def _build_cancelled(self) -> None:
        self._build_ended()
        self.statusBar().showMessage(_("The build was stopped; nothing was written."), 5000)

    def open_package(self) -> None:
        if self.last_package is not None and self.last_package.is_file():
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.last_package)))

    def show_package_in_folder(self) -> None:
        if self.last_package is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.last_package.parent)))

    # == the rest ===========================================================================
    def about(self) -> None:
        self.dialogs.inform(
            _("About Søknadspakke"),
            _("Søknadspakke {version}").format(version=__version__),
            _("Rule pack: {name} {version}. Works entirely offline: nothing is ever sent. "
              "The package is built on this computer.").format(
                name=self.pack.name.render(current_language()), version=self.pack.version))

    def force_close(self) -> None:
        """Close without asking (``--quit-after-start``); unsaved work stays recoverable."""
        self._closing = True
        self.write_recovery()
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        if not self._closing and not self.maybe_save():
            event.ignore()
            return
        if self.build_process is not None and self.build_process.running:
            self.build_process.cancel()
            self.build_process.process.waitForFinished(5000)
        self._closing = True
        self.settings.set(keys.GEOMETRY, self.saveGeometry())
        self.settings.set(keys.WINDOW_STATE, self.saveState(keys.WINDOW_STATE_VERSION))
        if self.session is not None and not self.modified:
            self.recovery.discard(self.session.project.path)
        self._drop_session()
        self.admin.shutdown()
        if self._preview is not None:
            self._preview.shutdown()
        event.accept()
