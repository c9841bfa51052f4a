"""The sha256 of files, remembered by what ``stat`` says about them.

Hashing every attachment on every check costs most of a re-validation (53 of 63 ms for 60
documents, 54 MB). :class:`Fingerprints` remembers, per path, the sha256 together with the
file's device, inode, size, modification time and status-change time (``st_ctime_ns``, which
no program can set back on POSIX systems: writing a file and then restoring its modification
time with ``os.utime`` still changes it). While all five are the same, the file is not read
again.

What is proved when (see also :mod:`soknadspakke.validation.files`):

- A **check** (``validate``, the window's live findings) trusts an unchanged ``stat``. A file
  whose content changed while all five values stayed the same is not noticed by a check; that
  takes a tool that writes the bytes in place and then forges the times (or a file system whose
  times are not kept, which is why :data:`RACY_NS` applies).
- A **build** proves every sha256 it writes (index, manifest): the bytes that go into the
  package are hashed as they are read, and the build stops when they differ.

A fingerprint taken within :data:`RACY_NS` of the file's last change is not trusted later (as
git does with "racily clean" entries): a write in the same clock tick as the hashing would
leave the times unchanged. Such a file is hashed again until its fingerprint is old enough.

The remembered values may be kept in a small JSON file (:meth:`Fingerprints.load` and
:meth:`Fingerprints.save`; the command line keeps it beside the intake cache), written
atomically; a damaged or foreign file is ignored.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from soknadspakke.core.atomic import write_text_atomic

_CHUNK = 1024 * 1024
#: A fingerprint taken less than this after the file's last change is not trusted later
#: (2 s covers the coarsest common file-system clock, FAT's).
RACY_NS = 2_000_000_000
#: At most this many paths are remembered (the oldest are forgotten first).
MAX_ENTRIES = 20_000
FORMAT = "soknadspakke-fingerprints/1"

StatKey = tuple[int, int, int, int, int]


def stat_key(st: os.stat_result) -> StatKey:
    """What must stay the same for a remembered sha256 to be trusted."""
    return st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns


def sha256_of(path: Path) -> str:
    """The sha256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass(frozen=True)
class _Entry:
    key: StatKey
    sha256: str
    taken_ns: int
    """When the hashing began (``time.time_ns()``)."""

    def trusted_for(self, key: StatKey) -> bool:
        changed_ns = max(key[3], key[4])
        return key == self.key and self.taken_ns - changed_ns >= RACY_NS


class Fingerprints:
    """sha256 per path, remembered with the file's ``stat``; safe to use from several threads.

    ``hashed`` counts the files actually read (tests and benchmarks look at it).
    """

    def __init__(self) -> None:
        self._entries: dict[str, _Entry] = {}
        self._lock = threading.Lock()
        self._dirty = False
        self.hashed = 0

    def known(self, path: Path, st: os.stat_result) -> str | None:
        """The remembered sha256 of ``path`` if ``st`` shows it unchanged, else ``None``."""
        with self._lock:
            entry = self._entries.get(str(path))
        return entry.sha256 if entry is not None and entry.trusted_for(stat_key(st)) else None

    def sha256(self, path: Path, st: os.stat_result | None = None, *,
               trust_stat: bool = True) -> str:
        """The sha256 of ``path``: remembered when its ``stat`` is unchanged (and
        ``trust_stat``), else read and remembered. Raises ``OSError``."""
        st = st if st is not None else path.stat()
        if trust_stat:
            known = self.known(path, st)
            if known is not None:
                return known
        taken = time.time_ns()
        sha = sha256_of(path)
        after = path.stat()
        with self._lock:
            self.hashed += 1
            if stat_key(after) == stat_key(st):  # else it changed while read: remember nothing
                self._remember(str(path), _Entry(stat_key(st), sha, taken))
        return sha

    def remember(self, path: Path, st: os.stat_result, sha256: str, taken_ns: int) -> None:
        """Record a sha256 computed elsewhere from the bytes read at ``taken_ns``."""
        with self._lock:
            self._remember(str(path), _Entry(stat_key(st), sha256, taken_ns))

    def _remember(self, key: str, entry: _Entry) -> None:
        if self._entries.get(key) == entry:
            return
        self._entries.pop(key, None)  # re-insert: dicts keep insertion order, oldest first
        self._entries[key] = entry
        while len(self._entries) > MAX_ENTRIES:
            del self._entries[next(iter(self._entries))]
        self._dirty = True

    def forget(self, paths: Iterable[Path] | None = None) -> None:
        """Forget ``paths`` (all when ``None``)."""
        with self._lock:
            if paths is None:
                self._entries.clear()
            else:
                for path in paths:
                    self._entries.pop(str(path), None)
            self._dirty = True

    # --- on disk -----------------------------------------------------------------------

    def load(self, file: Path) -> None:
        """Add what ``file`` remembers (entries already here win); a bad file is ignored."""
        try:
            data = json.loads(file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            return
        entries = data.get("files")
        if not isinstance(entries, dict):
            return
        loaded: dict[str, _Entry] = {}
        for path, value in entries.items():
            with contextlib.suppress(TypeError, ValueError):
                *key, sha, taken = value
                if len(key) == 5 and isinstance(sha, str) and len(sha) == 64:
                    loaded[str(path)] = _Entry(
                        (int(key[0]), int(key[1]), int(key[2]), int(key[3]), int(key[4])),
                        sha, int(taken))
        with self._lock:
            for path, entry in loaded.items():
                self._entries.setdefault(path, entry)

    def save(self, file: Path) -> bool:
        """Write what is remembered to ``file`` (atomically) if anything changed since the
        last save; False when it cannot be written (it is only a cache)."""
        with self._lock:
            if not self._dirty:
                return True
            files = {path: [*e.key, e.sha256, e.taken_ns] for path, e in self._entries.items()}
            self._dirty = False
        try:
            write_text_atomic(file, json.dumps({"format": FORMAT, "files": files},
                                               separators=(",", ":")))
        except OSError:
            return False
        return True


#: One per process: the window re-validates often, and the same files stay unchanged.
SHARED = Fingerprints()
