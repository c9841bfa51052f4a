"""The research administrator's commands in the window (issue 11).

- **Workspace**: "Open workspace…" chooses a folder of applications (remembered); the
  :class:`~.workspace.WorkspaceDock` lists them beside the open application.
- **E-mail draft**: "Write e-mail draft…" writes the ``.eml`` for the saved application and its
  package through :mod:`soknadspakke.workspace.email_draft`, as ``soknadspakke email`` does:
  the package is built first when there is none up to date; an e-mail over the rule pack's
  size limit is not written until the user chooses a compressed package or a split.
  Composing, compressing and writing run on a worker (:func:`~.email_job.write_email`).
- **Change application**: "New change application from this one…" runs
  :func:`~soknadspakke.workspace.change.new_change_application` (as ``new-change``) and opens
  the result; the :class:`~.changes_view.ChangesDock` shows what a change application changes.
- **Locks** (:class:`~.project_lock.LockKeeper`): opening an application takes its lock
  (:mod:`soknadspakke.workspace.locks`); a live lock of someone else is named and the user
  chooses "Open anyway" (the lock is taken over, and the other person's window notices at its
  next refresh) or Cancel; a stale lock is taken over with a note in the status bar. The lock
  is refreshed every :data:`~soknadspakke.workspace.locks.REFRESH_EVERY` seconds and released
  when the application closes, another one opens, or the window closes.

The main window calls five hooks (:meth:`AdminTools.before_open`, :meth:`project_opened`,
:meth:`project_closed`, :meth:`project_saved`, :meth:`shutdown`); everything else lives here,
in three modules: the commands and the workspace hookup here, the lock in :mod:`.project_lock`,
the e-mail job (no Qt) in :mod:`.email_job`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QUrl
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence
from PySide6.QtWidgets import QProgressDialog, QStyle

from soknadspakke.core.errors import SoknadError
from soknadspakke.core.i18n import Text, _, current_language
from soknadspakke.workspace.change import new_change_application
from soknadspakke.workspace.locate import draft_path, package_path

from . import settings as keys
from .changes_view import ChangesDock
from .dialogs import Choice
from .project_lock import STATUS_MS, LockKeeper
from .session import Session, snapshot
from .tasks import Task, TaskRunner
from .workspace import WorkspaceDock

if TYPE_CHECKING:
    from .email_job import EmailOutcome
    from .main_window import MainWindow

# The e-mail's modules (workspace.email_draft: pypdf, reportlab) are imported when an e-mail is
# written, not when the window starts.


#: A long action's progress dialog appears when the action takes longer than this (ms).
PROGRESS_AFTER_MS = 400

def _mb(size: int) -> str:
    from soknadspakke.workspace.email_draft import MIB

    return f"{size / MIB:.1f}"


def open_file(path: Path) -> None:
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


def show_in_folder(path: Path) -> None:
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(path.parent)))


# == the commands ==========================================================================
class AdminTools(QObject):
    """Actions, docks and locks for administrators; made by the main window."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.runner = TaskRunner(self, max_threads=1)
        self.email_task: Task | None = None
        self.last_email: list[Path] = []
        self.locks = LockKeeper(window)
        self.workspace_dock = WorkspaceDock(window.pack, window.cache, window)
        # below the documents, as wide as the window: the status table has seven columns
        window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.workspace_dock)
        self.workspace_dock.hide()
        self.workspace_dock.open_requested.connect(self._open_from_workspace)
        self.workspace_dock.choose_requested.connect(self.choose_workspace)
        self.changes_dock = ChangesDock(window)
        window.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.changes_dock)
        window.tabifyDockWidget(window.project_dock, self.changes_dock)
        window.project_dock.raise_()
        self.changes_dock.documents_activated.connect(window.select_documents)
        sp = QStyle.StandardPixmap
        self.actions: dict[str, QAction] = {}
        for key, slot, shortcut, icon in (
                ("workspace", self.choose_workspace, "Ctrl+Shift+O", sp.SP_DirOpenIcon),
                ("email", self.write_email, "Ctrl+Shift+M", None),
                ("new_change", self.new_change, None, None),
                ("refresh_workspace", self.workspace_dock.refresh, None, sp.SP_BrowserReload)):
            action = QAction(window)
            action.triggered.connect(lambda _checked=False, slot=slot: slot())
            if shortcut:
                action.setShortcut(QKeySequence(shortcut))
            if icon is not None:
                action.setIcon(window.style().standardIcon(icon))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            self.actions[key] = action
        a = self.actions
        menu = window.file_menu
        entries = menu.actions()
        after_example = entries[entries.index(window._actions["example"]) + 1]
        menu.insertActions(after_example, [a["workspace"], a["refresh_workspace"]])
        before = window._actions["passwords"]
        menu.insertActions(before, [a["email"], a["new_change"]])
        menu.insertSeparator(before)
        window.view_menu.insertActions(window._actions["history"], [
            self.workspace_dock.toggleViewAction(), self.changes_dock.toggleViewAction()])
        window.toolbar.addSeparator()
        window.toolbar.addAction(a["email"])
        window.language.changed.connect(self.retranslate)
        self.retranslate()
        self._update_actions()
        remembered = str(window.settings.get(keys.WORKSPACE) or "")
        if remembered and Path(remembered).is_dir():
            self.workspace_dock.set_root(Path(remembered))
            self.workspace_dock.show()

    def retranslate(self, _lang: str | None = None) -> None:
        texts = {"workspace": _("Open &workspace…"), "email": _("Write e-mail &draft…"),
                 "new_change": _("New &change application from this one…"),
                 "refresh_workspace": _("Check the workspace a&gain")}
        for key, text in texts.items():
            self.actions[key].setText(text)
            self.actions[key].setToolTip(text.replace("&", "").rstrip("…"))
        self.workspace_dock.retranslate()
        self.changes_dock.retranslate()

    def _update_actions(self) -> None:
        session = self.window.session
        has = session is not None and session.project.path is not None
        self.actions["email"].setEnabled(has and self.email_task is None
                                         and self.window.pack.submission is not None)
        self.actions["new_change"].setEnabled(
            has and self.window.pack.change_application is not None)
        self.actions["refresh_workspace"].setEnabled(self.workspace_dock.root is not None)

    # -- hooks the main window calls ------------------------------------------------------
    def before_open(self, path: Path) -> bool:
        """Before ``path`` replaces the open application: its lock. False: do not open."""
        return self.locks.acquire(path)

    def project_opened(self, session: Session) -> None:
        self.locks.hold(session.project.path)
        self.changes_dock.attach(session)
        if self.changes_dock.is_change:
            self.changes_dock.show()
            self.changes_dock.raise_()
        self._update_actions()

    def project_closed(self) -> None:
        self.locks.release(unless_pending=True)
        self.changes_dock.attach(None)
        self._update_actions()

    def project_saved(self, path: Path | None) -> None:
        """Saved, perhaps under another name: the lock follows the file."""
        if path is not None and self.locks.lock is not None \
                and not self.locks._same(self.locks.lock, path):
            self.locks.hold(path)

    def shutdown(self) -> None:
        self.locks.release()
        self.runner.cancel_all()
        self.workspace_dock.shutdown()
        self.runner.wait(5000)

    # -- workspace ------------------------------------------------------------------------
    def choose_workspace(self) -> None:
        window = self.window
        current = str(window.settings.get(keys.WORKSPACE) or "") or window._last_folder()
        folder = window.dialogs.folder(_("Choose the workspace folder"), current)
        if folder is None:
            return
        self.open_workspace(folder)

    def open_workspace(self, folder: Path) -> None:
        window = self.window
        window.settings.set(keys.WORKSPACE, str(folder))
        self.workspace_dock.set_root(folder)
        if not self.workspace_dock.isVisible() and not self.workspace_dock.isFloating():
            # first shown: room for about eight applications
            window.resizeDocks([self.workspace_dock], [window.height() * 3 // 10],
                               Qt.Orientation.Vertical)
        self.workspace_dock.show()
        self.workspace_dock.raise_()
        self._update_actions()

    def _open_from_workspace(self, path: Path) -> None:
        if self.window.open_project(path):
            # its state may have changed (saved, built) while it was open: look again later
            self.workspace_dock.view.setFocus()

    # -- e-mail ---------------------------------------------------------------------------
    def write_email(self, *, compress: bool = False, split: bool = False,
                    package: Path | None = None) -> None:
        window = self.window
        session = window.session
        if session is None or session.project.path is None or self.email_task is not None:
            return
        if window.modified:
            choice = window.dialogs.ask(
                _("Save first"), _("The e-mail is written from the saved application. Save "
                                   "the changes now?"), [Choice.SAVE, Choice.CANCEL])
            if choice is not Choice.SAVE or not window.save():
                return
        lang = current_language()
        project_file = session.project.path
        from .email_job import EmailRequest, write_email

        task = Task(write_email, snapshot(session.project), session.pack,
                    EmailRequest(lang, draft_path(project_file, lang), package=package,
                                 compress=compress, split=split))
        self.email_task = task
        self._update_actions()
        window.statusBar().showMessage(_("Writing the e-mail draft…"))
        # Compressing a scanned package takes seconds: progress and Stop, shown when it is slow.
        dialog = QProgressDialog(_("Writing the e-mail draft…"), _("Stop"), 0, 0, window)
        dialog.setWindowTitle(_("E-mail draft"))
        dialog.setAccessibleName(_("Progress of the e-mail draft"))
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(PROGRESS_AFTER_MS)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.canceled.connect(task.cancel)

        def progress(done: int, total: int, message: Text) -> None:
            dialog.setRange(0, max(total, 1))
            dialog.setValue(done)
            dialog.setLabelText(message.render(current_language()))

        def ended() -> None:
            self.email_task = None
            self._update_actions()
            window.statusBar().clearMessage()
            dialog.canceled.disconnect(task.cancel)
            dialog.close()
            dialog.deleteLater()

        def done(outcome: EmailOutcome) -> None:
            ended()
            if window.session is not session:
                return  # another application was opened meanwhile
            self._email_done(outcome, compress=compress)

        def failed(exc: BaseException) -> None:
            ended()
            window.dialogs.error(_("The e-mail draft could not be written"), str(exc))

        self.runner.start(task, on_done=done, on_failed=failed, on_cancelled=ended,
                          on_progress=progress)

    def _email_done(self, outcome: EmailOutcome, *, compress: bool) -> None:
        from soknadspakke.workspace.email_draft import submission_of

        window = self.window
        dialogs = window.dialogs
        session = window.session
        assert session is not None and session.project.path is not None
        if outcome.needs_build:
            self._build_first(session)
            return
        if outcome.over:
            dpi = submission_of(session.pack).compress_dpi
            text = _("The e-mail would be {size} MB as sent (attachments grow by about a third "
                     "when encoded), over the limit of {limit} MB in the rule pack. Nothing "
                     "was written.").format(size=_mb(outcome.size), limit=_mb(outcome.limit))
            if compress:
                choices = [Choice.SPLIT, Choice.CANCEL]
                detail = _("Even the compressed package is too large. Split it into several "
                           "e-mails, the index in the first?")
            else:
                choices = [Choice.COMPRESS, Choice.SPLIT, Choice.CANCEL]
                detail = _("A compressed package has its scanned pages at a readable {dpi} "
                           "dpi; a split sends the package in several e-mails, the index in "
                           "the first.").format(dpi=dpi)
            choice = dialogs.ask(_("The e-mail is too large"), text, choices, detail)
            if choice is Choice.COMPRESS:
                self.write_email(compress=True, package=outcome.package)
            elif choice is Choice.SPLIT:
                # the compressed copy, when made, is what gets split
                self.write_email(split=True, package=outcome.package)
            return
        self.last_email = list(outcome.paths)
        address = submission_of(session.pack).email
        lines = [_("Wrote {path} ({size} MB as sent; to {address})").format(
            path=path, size=_mb(size), address=address)
            for path, size in zip(outcome.paths, outcome.sizes, strict=True)]
        if len(outcome.paths) > 1:
            lines.append(_("Send all {count} e-mails; the first holds the index.").format(
                count=len(outcome.paths)))
        choice = dialogs.ask(
            _("The e-mail draft is ready"),
            _("Open it in your e-mail program, check it and send it."),
            [Choice.OPEN_DRAFT, Choice.SHOW, Choice.CLOSE], "\n".join(lines))
        if choice is Choice.OPEN_DRAFT:
            open_file(outcome.paths[0])
        elif choice is Choice.SHOW:
            show_in_folder(outcome.paths[0])

    def _build_first(self, session: Session) -> None:
        window = self.window
        dialogs = window.dialogs
        assert session.project.path is not None
        if not session.report.ready:
            dialogs.inform(
                _("No package to send"),
                _("The e-mail needs the final package, and the application is not ready yet. "
                  "The checklist shows what must be fixed."))
            return
        choice = dialogs.ask(
            _("No package to send"),
            _("No up-to-date package has been built for this application. Build it now, then "
              "write the e-mail?"), [Choice.YES, Choice.CANCEL])
        if choice is not Choice.YES:
            return
        out = package_path(session.project.path, current_language())
        process = window.start_build(draft=False, out=out)
        if process is not None:
            process.done.connect(lambda result: self.write_email(
                package=Path(str(result["path"]))))

    # -- change application ---------------------------------------------------------------
    def new_change(self) -> None:
        window = self.window
        session = window.session
        if session is None or session.project.path is None:
            return
        if window.modified:
            choice = window.dialogs.ask(
                _("Save first"), _("The change application starts from the saved "
                                   "application. Save the changes now?"),
                [Choice.SAVE, Choice.CANCEL])
            if choice is not Choice.SAVE or not window.save():
                return
        previous = session.project.path
        folder = window.dialogs.folder(_("Folder for the change application"),
                                       str(previous.parent.parent))
        if folder is None:
            return
        try:
            made = new_change_application(previous, folder, session.pack)
        except SoknadError as exc:
            window.dialogs.error(_("Cannot create the change application"), str(exc))
            return
        assert made.project.path is not None
        if window.open_project(made.project.path):
            window.statusBar().showMessage(_(
                "Created the change application {file}: attach the documents the change "
                "needs.").format(file=made.project.path), STATUS_MS)
