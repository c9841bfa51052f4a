"""Who has an application open: a lock file beside the project file, for shared folders.

A workspace often lives on a network drive or a synced folder (OneDrive, Dropbox). When the
window opens an application it calls :func:`acquire_lock`; a second person opening the same
application is told who has it open (:class:`ApplicationLockedError`) and may open it anyway
(``force=True``) or read only. The lock is advisory: it warns, it does not stop a program
that does not look.

The lock file is ``.<project file name>.lock`` (hidden), JSON (``"format":
"soknadspakke-lock/1"``, ``user``, ``host``, ``pid``, ``opened``, ``heartbeat``). The holder
refreshes ``heartbeat`` every :data:`REFRESH_EVERY` seconds. A lock is *stale*, and is taken
over without asking, when

- its process is gone (same host, the process id no longer runs: the program crashed), or
- its heartbeat is older than :data:`STALE_AFTER` (a crash on another machine, or a laptop
  that was closed: a process on another host cannot be asked), or
- it cannot be read (a crash while it was written).

On a synced folder the sync delay means two people can still both "get" the lock; each then
sees the other's lock after the next sync and the heartbeat check keeps the newest.
"""

from __future__ import annotations

import contextlib
import getpass
import json
import os
import socket
import sys
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from soknadspakke.core.atomic import write_text_atomic
from soknadspakke.core.errors import SoknadError
from soknadspakke.core.i18n import _

LOCK_FORMAT = "soknadspakke-lock/1"
#: A lock whose heartbeat is older than this is stale.
STALE_AFTER = timedelta(minutes=10)
#: How often (seconds) the holder should call :meth:`ProjectLock.refresh`.
REFRESH_EVERY = 60


def lock_path(project_file: Path) -> Path:
    return project_file.with_name(f".{project_file.name}.lock")


def _user() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no user name in the environment or the password database
        return "?"


@dataclass(frozen=True)
class LockInfo:
    user: str
    host: str
    pid: int
    opened: datetime
    heartbeat: datetime

    def to_json(self) -> str:
        return json.dumps({"format": LOCK_FORMAT, "user": self.user, "host": self.host,
                           "pid": self.pid, "opened": self.opened.isoformat(),
                           "heartbeat": self.heartbeat.isoformat()}, ensure_ascii=False)

    @property
    def is_mine(self) -> bool:
        return self.host == socket.gethostname() and self.pid == os.getpid()

    def stale_reason(self, now: datetime | None = None) -> str | None:
        """Why the lock no longer counts, or ``None`` while it does."""
        now = now or datetime.now(UTC)
        if self.host == socket.gethostname() and not _process_runs(self.pid):
            return _("the program that held it is no longer running")
        if now - self.heartbeat > STALE_AFTER:
            return _("it was last confirmed at {time}").format(
                time=self.heartbeat.astimezone().strftime("%Y-%m-%d %H:%M"))
        return None

    def describe(self) -> str:
        return _("{user} on {host} (since {time})").format(
            user=self.user, host=self.host,
            time=self.opened.astimezone().strftime("%Y-%m-%d %H:%M"))


def _process_runs(pid: int) -> bool:
    """Whether a process with ``pid`` runs on this machine (True when it cannot be told)."""
    if pid <= 0:
        return False
    if sys.platform == "win32":
        # os.kill(pid, 0) would end the process on Windows; the heartbeat decides there.
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # it runs, under another user
        return True
    return True


def _parse(text: str) -> LockInfo | None:
    try:
        data: Any = json.loads(text)
        if not isinstance(data, dict) or data.get("format") != LOCK_FORMAT:
            return None
        return LockInfo(str(data["user"]), str(data["host"]), int(data["pid"]),
                        datetime.fromisoformat(data["opened"]),
                        datetime.fromisoformat(data["heartbeat"]))
    except (ValueError, KeyError, TypeError):
        return None


def read_lock(project_file: Path) -> LockInfo | None:
    """The lock on ``project_file``, or ``None`` (no lock, or one that cannot be read)."""
    try:
        return _parse(lock_path(project_file).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        return None


def current_holder(project_file: Path) -> LockInfo | None:
    """Someone else's live lock on ``project_file`` (for a status table), or ``None``."""
    info = read_lock(project_file)
    if info is None or info.is_mine or info.stale_reason() is not None:
        return None
    return info


class ApplicationLockedError(SoknadError):
    """Someone else has the application open; ``holder`` says who."""

    def __init__(self, project_file: Path, holder: LockInfo) -> None:
        self.holder = holder
        super().__init__(_("{who} has this application open. Open it anyway only if you have "
                           "agreed who changes it.").format(who=holder.describe()),
                         path=project_file)


@dataclass
class ProjectLock:
    """A held lock; :meth:`refresh` it now and then, :meth:`release` it when closing."""

    project_file: Path
    info: LockInfo
    #: Why an earlier lock was taken over (stale, or forced), for a message to the user.
    replaced: str | None = None

    @property
    def path(self) -> Path:
        return lock_path(self.project_file)

    def refresh(self) -> bool:
        """Renew the heartbeat; ``False`` when someone else has taken the lock over."""
        current = read_lock(self.project_file)
        if current is not None and not current.is_mine:
            return False
        self.info = LockInfo(self.info.user, self.info.host, self.info.pid, self.info.opened,
                             datetime.now(UTC))
        write_text_atomic(self.path, self.info.to_json())
        return True

    def release(self) -> None:
        """Remove the lock file, unless someone else has taken it over."""
        current = read_lock(self.project_file)
        if current is None or current.is_mine:
            with contextlib.suppress(FileNotFoundError):
                self.path.unlink()


def acquire_lock(project_file: Path, *, force: bool = False) -> ProjectLock:
    """Lock ``project_file`` for this process.

    Raises :class:`ApplicationLockedError` when someone else holds a live lock (unless ``force``).
    A stale lock is taken over; :attr:`ProjectLock.replaced` says why.
    """
    now = datetime.now(UTC)
    mine = LockInfo(_user(), socket.gethostname(), os.getpid(), now, now)
    path = lock_path(project_file)
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
    except FileExistsError:
        fd = -1
    except OSError as exc:
        raise SoknadError(_("cannot write the lock file ({reason})").format(
            reason=exc.strerror), path=path) from None
    if fd >= 0:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(mine.to_json())
        return ProjectLock(project_file, mine)
    existing = read_lock(project_file)
    replaced: str | None
    if existing is None:
        replaced = _("the lock file could not be read")
    elif existing.is_mine:
        replaced = None
    else:
        replaced = existing.stale_reason(now)
        if replaced is None:
            if not force:
                raise ApplicationLockedError(project_file, existing)
            replaced = _("opened anyway while {who} had it open").format(
                who=existing.describe())
    try:
        write_text_atomic(path, mine.to_json())
    except OSError as exc:
        raise SoknadError(_("cannot write the lock file ({reason})").format(
            reason=exc.strerror), path=path) from None
    return ProjectLock(project_file, mine, replaced)
