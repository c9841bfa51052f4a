"""The lock of the application open in the window (:mod:`soknadspakke.workspace.locks`).

Opening an application takes its lock; a live lock of someone else is named and the user
chooses "Open anyway" (the lock is taken over, and the other person's window notices at its
next refresh) or Cancel; a stale lock is taken over with a note in the status bar. The lock is
refreshed every :data:`~soknadspakke.workspace.locks.REFRESH_EVERY` seconds and released when
the application closes, another one opens, or the window closes. Made and called by
:class:`~.admin.AdminTools`.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer

from soknadspakke.core.errors import SoknadError
from soknadspakke.core.i18n import _
from soknadspakke.workspace.locks import (
    REFRESH_EVERY,
    ApplicationLockedError,
    ProjectLock,
    acquire_lock,
    read_lock,
)

from .dialogs import Choice

if TYPE_CHECKING:
    from .main_window import MainWindow

#: How long a note stays in the status bar (ms).
STATUS_MS = 10000


class LockKeeper(QObject):
    """The lock of the application open in the window."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.lock: ProjectLock | None = None
        self._pending: ProjectLock | None = None
        #: The last note about a lock taken over (stale, or opened anyway), for the status bar.
        self.note = ""
        self.timer = QTimer(self)
        self.timer.setInterval(REFRESH_EVERY * 1000)
        self.timer.timeout.connect(self.refresh)

    @staticmethod
    def _same(lock: ProjectLock | None, path: Path | None) -> bool:
        return (lock is not None and path is not None
                and lock.project_file.resolve() == path.resolve())

    def acquire(self, path: Path) -> bool:
        """Take the lock before ``path`` opens; False when the user chose not to open it."""
        dialogs = self.window.dialogs
        try:
            lock = acquire_lock(path)
        except ApplicationLockedError as exc:
            holder = exc.holder
            choice = dialogs.ask(
                _("The application is open elsewhere"),
                _("{user} on {host} has had “{file}” open since {time}.").format(
                    user=holder.user, host=holder.host, file=path.name,
                    time=holder.opened.astimezone().strftime("%Y-%m-%d %H:%M")),
                [Choice.OPEN_ANYWAY, Choice.CANCEL],
                _("If you both change it, one of you loses work. Open it anyway only if you "
                  "have agreed who changes it; the other window is told at its next check."))
            if choice is not Choice.OPEN_ANYWAY:
                return False
            try:
                lock = acquire_lock(path, force=True)
            except SoknadError as error:
                self._cannot_lock(error)
                return True
        except SoknadError as exc:  # a read-only folder: open it, say it is not locked
            self._cannot_lock(exc)
            return True
        self._pending = lock
        return True

    def _cannot_lock(self, exc: SoknadError) -> None:
        self.note = _("Not locked (others are not warned): {reason}").format(reason=exc)
        self.window.statusBar().showMessage(self.note, STATUS_MS)

    def hold(self, path: Path | None) -> None:
        """The application ``path`` is now the open one."""
        new = self._pending if self._same(self._pending, path) else None
        self._pending = None
        if new is None and self._same(self.lock, path):
            return  # still ours
        if new is None and path is not None:
            # opened without before_open (a new application): nobody else can have it yet
            try:
                new = acquire_lock(path, force=True)
            except SoknadError as exc:
                self._cannot_lock(exc)
        old, self.lock = self.lock, new
        if old is not None and not self._same(old, path):
            with contextlib.suppress(OSError):
                old.release()
        if new is None:
            self.timer.stop()
            return
        if new.replaced:
            self.note = _("“{file}” was locked, and the lock was taken over: {reason}").format(
                file=new.project_file.name, reason=new.replaced)
            self.window.statusBar().showMessage(self.note, STATUS_MS)
        self.timer.start()

    def release(self, *, unless_pending: bool = False) -> None:
        if self.lock is None:
            return
        if unless_pending and self._same(self._pending, self.lock.project_file):
            return  # the same application opens again: the new lock is the same file
        with contextlib.suppress(OSError):
            self.lock.release()
        self.lock = None
        self.timer.stop()

    def refresh(self) -> None:
        if self.lock is None:
            return
        try:
            kept = self.lock.refresh()
        except OSError:
            return  # a network drive away for a moment: try again at the next tick
        if kept:
            return
        self.timer.stop()
        other = read_lock(self.lock.project_file)
        self.lock = None  # someone else holds it now: never remove their lock
        self.window.dialogs.inform(
            _("The application was opened elsewhere"),
            _("{who} has opened this application and taken over its lock. Agree who changes "
              "it before you save.").format(who=other.describe() if other else "?"))
