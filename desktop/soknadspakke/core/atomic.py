"""Atomic file writes: a temporary file in the target's folder, flushed, then renamed over it.

A reader never sees a half-written file, and a failed or cancelled write leaves the old file (or
no file) in place.

A process that is killed while it writes cannot remove its temporary file. Such leftovers are
recognised by the program's own naming (``.NAME.<8 random characters>.part``, made by
:func:`tempfile.mkstemp`, and ``.NAME.part`` from earlier versions of ``add``) and by their age
(untouched for :data:`STALE_AGE` seconds, so another instance's write in progress is never
disturbed), and removed the next time the same file is written. Nothing else is ever removed.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import stat
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO


def _read_umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


#: Read once at import (reading it means setting it, which is not thread-safe later).
_UMASK = _read_umask()


#: Seconds a temporary file must be untouched before it counts as left over by a killed run.
STALE_AGE = 30 * 60
_PART_SUFFIX = ".part"
#: mkstemp's random part: 8 characters of ``[a-z0-9_]``.
_RANDOM = "[a-z0-9_]{8}"


def _is_stale(path: Path, now: float) -> bool:
    try:
        info = path.lstat()
    except OSError:
        return False
    return stat.S_ISREG(info.st_mode) and now - info.st_mtime > STALE_AGE


def _remove_matching(folder: Path, pattern: re.Pattern[str]) -> list[Path]:
    now = time.time()
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        if not pattern.fullmatch(entry.name):
            continue
        path = Path(entry.path)
        if _is_stale(path, now):
            with contextlib.suppress(OSError):
                path.unlink()
                removed.append(path)
    return removed


def remove_stale_parts(target: Path) -> list[Path]:
    """Remove the temporary files that killed writes of ``target`` left beside it (see the
    module docstring); returns what was removed. Never raises."""
    target = Path(target)
    name = re.escape(target.name)
    return _remove_matching(target.parent, re.compile(
        rf"\.{name}\.(?:{_RANDOM}\.)?part"))


def remove_stale_parts_in(folder: Path) -> list[Path]:
    """Remove every left-over temporary file of this program in ``folder``, a folder the
    program fills itself (the attachment folder, the cache). Never raises."""
    return _remove_matching(Path(folder), re.compile(
        rf"\.[^/]+\.[^./]+\.(?:{_RANDOM}\.)?part"))


@contextlib.contextmanager
def atomic_writer(target: Path) -> Iterator[BinaryIO]:
    """Yield a binary file; on normal exit it replaces ``target`` atomically.

    On an exception (including cancellation) the temporary file is removed and ``target`` is
    untouched.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_parts(target)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part",
                                    dir=target.parent)
    tmp = Path(tmp_name)
    try:
        # mkstemp makes the file private (0600); give it the mode the file had, or the mode a
        # plain open() would give a new file, so saving never changes who may read it.
        try:
            mode = stat.S_IMODE(target.stat().st_mode)
        except OSError:
            mode = 0o666 & ~_UMASK
        with contextlib.suppress(OSError):
            tmp.chmod(mode)
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        tmp.replace(target)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def write_bytes_atomic(target: Path, data: bytes) -> None:
    """Write ``data`` to ``target`` atomically."""
    with atomic_writer(target) as handle:
        handle.write(data)


def write_text_atomic(target: Path, text: str) -> None:
    """Write UTF-8 ``text`` to ``target`` atomically (newlines as given)."""
    write_bytes_atomic(target, text.encode("utf-8"))


def copy_file_atomic(source: Path, target: Path) -> None:
    """Copy ``source`` to ``target`` atomically (``source`` is only read).

    ``target``'s folder is one the program fills (attachments copied into a project), so the
    leftovers of killed copies there are removed first. Raises ``OSError``; a failed copy
    leaves nothing behind.
    """
    target = Path(target)
    remove_stale_parts_in(target.parent)
    with Path(source).open("rb") as src, atomic_writer(target) as handle:
        shutil.copyfileobj(src, handle, 1024 * 1024)
