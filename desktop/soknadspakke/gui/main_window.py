"""The main window: documents in the centre, the project's questions, the checklist and the
preview in docks, building from the toolbar.

It wires the parts together and adds nothing of its own to the rules: what it shows comes from
the :class:`~.session.Session` (the core's project, rules and intake); what the user does becomes
undo commands (:mod:`.commands`); long work runs on workers (:mod:`.tasks`) or, for the build, in
a process of its own (:mod:`.build`).

The window holds the open application (session, models, form, checklist), its docks, the
language and its title, and owns one small part per concern — composition rather than mixins,
so that each part's state and names stay in its module: the centre's pages (:mod:`.pages`),
actions and menus (``menus``, :mod:`.window_actions`), project files (``files``,
:mod:`.project_files`), commands on documents (``documents``, :mod:`.document_commands`),
selection and status line (``selection``, :mod:`.selection_status`), building (``builds``,
:mod:`.build_commands`), administrators' tools (``admin``, :mod:`.admin`). The commands that
tests, tools, benchmarks and :mod:`.admin` call on the window (``open_project``, ``save``,
``start_build``, …) stay its methods and hand over to the part.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QUndoStack
from PySide6.QtWidgets import QDockWidget, QLabel, QMainWindow, QStackedWidget, QUndoView

from soknadspakke import __version__
from soknadspakke.core.i18n import _, current_language
from soknadspakke.core.project import Project
from soknadspakke.intake import IntakeCache, default_cache_dir
from soknadspakke.rules.loader import default_pack
from soknadspakke.rules.schema import RulePack

from . import commands, heap
from . import settings as keys
from .admin import AdminTools
from .build import BuildProcess
from .build_commands import BuildCommands
from .checklist import Checklist
from .dialogs import Dialogs
from .document_commands import DocumentCommands
from .document_details import DocumentDetails
from .documents import Column, DocumentsModel, TypeDelegate
from .i18n import Language, system_language
from .package_order import PackageOrderProxy
from .pages import DocumentsPage, WelcomePage
from .project_files import ProjectFiles
from .project_form import ProjectForm
from .recovery import RecoveryStore
from .selection_status import SelectionAndStatus
from .session import Session
from .settings import Settings
from .tasks import warm_up
from .window_actions import WindowActions

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
        self.details: DocumentDetails | None = None
        #: The open application was restored from unsaved work: modified though its undo
        #: history is clean.
        self.restored_dirty = False
        self._closing = False
        self._preview: Any = None
        self.recovery_timer = QTimer(self)
        self.recovery_timer.setSingleShot(True)
        self.recovery_timer.setInterval(RECOVERY_DELAY_MS)
        self.recovery_timer.timeout.connect(self.write_recovery)
        self.undo_stack_placeholder = QUndoStack(self)

        # The parts, each with one reason to change (see the modules' docstrings).
        self.files = ProjectFiles(self)
        self.documents = DocumentCommands(self)
        self._build_central()
        self._build_docks()
        self.selection = SelectionAndStatus(self)
        self.builds = BuildCommands(self)
        self.menus = WindowActions(self, self.undo_stack_placeholder)
        self._actions = self.menus.actions
        self.file_menu = self.menus.file_menu
        self.view_menu = self.menus.view_menu
        self.toolbar = self.menus.toolbar
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
        self.selection.show_office_notice()
        self.update_actions()
        QTimer.singleShot(0, self._create_preview)

    # == building the window ================================================================
    def _build_central(self) -> None:
        self.stack = QStackedWidget(self)
        self.welcome = WelcomePage(self.stack)
        self.welcome.recent_list.itemActivated.connect(
            lambda item: self.open_project(Path(item.data(Qt.ItemDataRole.UserRole))))
        self.welcome.new_button.clicked.connect(self.files.new_project)
        self.welcome.open_button.clicked.connect(self.files.ask_open_project)
        self.welcome.example_button.clicked.connect(self.files.open_example)
        self.stack.addWidget(self.welcome)
        self.documents_page = page = DocumentsPage(self.stack)
        self.notice, self.view = page.notice, page.view
        self.intake_panel, self.totals = page.intake_panel, page.totals
        self.notice.closed.connect(lambda: self.settings.set(keys.OFFICE_NOTICE_SHOWN, True))
        self.view.activated.connect(lambda _index: self.documents.edit_type())
        self.intake_panel.cancel_requested.connect(
            lambda: self.session.cancel_intake() if self.session else None)
        self.stack.addWidget(self.documents_page)
        self.setCentralWidget(self.stack)
        self.view.customContextMenuRequested.connect(self.documents.context_menu)

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
        self.details_dock = self._dock("document", Qt.DockWidgetArea.LeftDockWidgetArea)
        self.splitDockWidget(self.project_dock, self.details_dock, Qt.Orientation.Vertical)
        self.empty_details = QLabel(self.details_dock)
        self.empty_details.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_details.setWordWrap(True)
        self.details_dock.setWidget(self.empty_details)
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
        warm_up()  # what the first file taken in needs, on a thread, now the window is up
        view_menu = getattr(self, "view_menu", None)
        if view_menu is not None:
            view_menu.insertAction(self._actions["history"], self._preview.toggleViewAction())
        self.selection.preview_selected()

    @property
    def preview(self) -> Any:
        if self._preview is None:
            self._create_preview()
        return self._preview

    @property
    def undo_action(self) -> QAction:
        return self.menus.undo_action

    # == language ===========================================================================
    def set_language(self, lang: str) -> None:
        self.settings.set(keys.LANGUAGE, lang)
        self.language.apply(lang)

    def retranslate(self, _lang: str | None = None) -> None:
        self.menus.retranslate()
        self.project_dock.setWindowTitle(_("Project and questions"))
        self.checklist_dock.setWindowTitle(_("Checklist"))
        self.details_dock.setWindowTitle(_("Document details"))
        self.history_dock.setWindowTitle(_("Undo history"))
        self.undo_view.setEmptyLabel(_("<the project as opened>"))
        self.undo_view.setAccessibleName(_("Undo history"))
        self.empty_project.setText(_("Open or create an application to answer its questions."))
        self.empty_checklist.setText(_("The checklist shows what the application still needs."))
        self.empty_details.setText(_("Open an application to see its documents' details."))
        self.welcome.retranslate()
        self.builds.retranslate()
        self.selection.retranslate()
        self.documents_page.retranslate()
        for part in (self.model, self.form, self.checklist, self._preview):
            if part is not None:
                part.retranslate()
        if self.session is not None:
            stack = self.session.undo
            for i in range(stack.count()):
                command = stack.command(i)
                if isinstance(command, commands.ProjectCommand):
                    command.retranslate()
        self.files.fill_recent_list()
        self.update_title()
        self.selection.update_status()
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
        self.view.selectionModel().selectionChanged.connect(self.selection.selection_changed)
        self.model.files_dropped.connect(self.documents.files_dropped)
        self.model.move_requested.connect(self.documents.move_requested)
        self.form = ProjectForm(session, self.project_dock)
        self.project_dock.setWidget(self.form)
        self.checklist = Checklist(session, self.checklist_dock)
        self.checklist_dock.setWidget(self.checklist)
        self.details = DocumentDetails(session, self.details_dock)
        self.details_dock.setWidget(self.details)
        self.checklist.documents_activated.connect(self.select_documents)
        self.checklist.field_activated.connect(self.selection.focus_field)
        session.focus.listeners.append(self.selection.focus_after_command)
        session.report_changed.connect(self.selection.update_status)
        session.documents_info_changed.connect(self._documents_info_changed)
        session.batch_arrived.connect(self.documents.batch_arrived)
        session.passwords_wanted.connect(self.documents.passwords_wanted)
        session.undo.cleanChanged.connect(self.update_title)
        session.undo.indexChanged.connect(self.proxy.flush)
        session.undo.indexChanged.connect(self._changed)
        self.undo_view.setStack(session.undo)
        self.menus.rebind_undo(session.undo)
        self.intake_panel.attach(session)
        self.stack.setCurrentWidget(self.documents_page)
        self.retranslate()
        self.update_actions()
        self.admin.project_opened(session)
        session.start_file_check()
        heap.settle()

    def _documents_info_changed(self, _paths: list[str]) -> None:
        self.selection.update_status()
        self.selection.preview_selected()

    def _drop_session(self) -> None:
        if self.session is None:
            return
        self.admin.project_closed()
        # Nothing the old session does from now on reaches this window.
        self.session.blockSignals(True)
        self.session.undo.blockSignals(True)
        self.recovery_timer.stop()
        self.intake_panel.attach(None)
        if self.model is not None:
            self.model.detach()
        self.view.setModel(None)
        self.undo_view.setStack(None)  # type: ignore[arg-type]
        self.session.close()
        self.session.deleteLater()
        for widget in (self.form, self.checklist, self.details):
            if widget is not None:
                widget.deleteLater()
        self.project_dock.setWidget(self.empty_project)
        self.checklist_dock.setWidget(self.empty_checklist)
        self.details_dock.setWidget(self.empty_details)
        self.session = self.model = self.proxy = None
        self.form = self.checklist = self.details = None
        self.restored_dirty = False
        self.builds.last_package = None
        if self._preview is not None:
            self._preview.clear()

    @property
    def modified(self) -> bool:
        return self.session is not None and (not self.session.undo.isClean()
                                             or self.restored_dirty)

    def update_title(self, *_args: object) -> None:
        if self.session is None or self.session.project.path is None:
            self.setWindowTitle("Søknadspakke")
            return
        name = self.session.project.info.title or self.session.project.path.stem
        self.setWindowTitle(f"{name} ({self.session.project.path.name})[*] – Søknadspakke")
        self.setWindowModified(self.modified)

    def update_actions(self, rows: list[int] | None = None) -> None:
        """Enable the actions that can be used now (``rows``: the selection, when known)."""
        has = self.session is not None
        if not has:
            rows = []
        elif rows is None:
            rows = self.selected_rows()
        self.menus.update(rows, has=has, building=self.builds.running,
                          package_exists=self.builds.package_exists)

    def _changed(self, _index: int = 0) -> None:
        self.update_title()
        self.update_actions()
        if self.modified:
            self.recovery_timer.start()
        elif self.session is not None:
            self.recovery.discard(self.session.project.path)

    def write_recovery(self) -> None:
        if self.session is not None and self.modified:
            self.recovery.write(self.session.project)

    # == the parts' commands under the window's names (tests, tools and admin use them) =====
    def _last_folder(self) -> str:
        return self.files.last_folder()

    def new_project(self) -> None:
        self.files.new_project()

    def open_project(self, path: Path) -> bool:
        return self.files.open_project(path)

    def offer_recovery(self) -> None:
        self.files.offer_recovery()

    def save(self) -> bool:
        return self.files.save()

    def save_as(self) -> bool:
        return self.files.save_as()

    @property
    def build_process(self) -> BuildProcess | None:
        return self.builds.process

    def start_build(self, *, draft: bool, out: Path | None = None) -> BuildProcess | None:
        return self.builds.start_build(draft=draft, out=out)

    def cancel_build(self) -> None:
        self.builds.cancel_build()

    def show_package_in_folder(self) -> None:
        self.builds.show_package_in_folder()

    def selected_rows(self) -> list[int]:
        return self.selection.selected_rows()

    def select_documents(self, paths: list[str]) -> None:
        self.selection.select_documents(paths)

    def remove_selected(self) -> None:
        self.documents.remove_selected()

    def move_selected(self, step: int) -> None:
        self.documents.move_selected(step)

    def accept_all(self) -> None:
        self.documents.accept_all()

    def accept_changed_files(self) -> None:
        self.documents.accept_changed_files()

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
        if not self._closing and not self.files.maybe_save():
            event.ignore()
            return
        self.builds.shutdown()
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
