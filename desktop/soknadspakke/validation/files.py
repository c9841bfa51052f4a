"""The files a project names, checked on disk. Codes:

``document_file_missing``  the file a document names is not there
``document_outside_project`` its path leads (through a link) outside the project's folder;
                           it is never read, hashed or put in a package
``document_unreadable``    it cannot be read (permissions, a folder, …)
``document_changed``       its content differs from the sha256 recorded when it was added
``document_not_fingerprinted`` no sha256 recorded yet (info; ``add`` records one)
``duplicate_document``     the same content (or the same path) is attached twice
``package_too_large``      the attachments together exceed the pack's size warning
``library_document_changed`` a copy of a library document whose library file has changed since
``library_document_gone``  the library file a copy came from is no longer there (info)
"""

from __future__ import annotations

import concurrent.futures
import os
import stat
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from soknadspakke.core import fingerprints
from soknadspakke.core.findings import Finding, Severity
from soknadspakke.core.fingerprints import SHARED, Fingerprints
from soknadspakke.core.i18n import Plain, T
from soknadspakke.core.paths import outside_target
from soknadspakke.core.project import Document, Project
from soknadspakke.core.tasks import CancelFn, ProgressFn, check_cancel
from soknadspakke.rules.schema import RulePack

#: Extra checks of one document's file (e.g. intake findings): ``(document, path, sha256)``.
FileFindings = Callable[[Document, Path, str], Sequence[Finding]]


def sha256_of(path: Path) -> str:
    """The sha256 of a file, read in chunks."""
    return fingerprints.sha256_of(path)


@dataclass(frozen=True)
class FileState:
    """What validation found on disk for one document."""

    path: Path
    exists: bool
    size: int = 0
    sha256: str | None = None


def _stat(path: Path) -> os.stat_result | OSError:
    try:
        st = path.stat()
    except OSError as exc:  # e.g. "File name too long": reported by the caller
        return exc
    except ValueError as exc:  # a NUL byte in the name
        return OSError(0, str(exc), str(path))
    if not stat.S_ISREG(st.st_mode):
        return IsADirectoryError(str(path))
    return st


def _hash_all(stats: Mapping[Path, os.stat_result | OSError], memory: Fingerprints,
              trust_stat: bool, cancel: CancelFn | None
              ) -> dict[Path, str | concurrent.futures.Future[str]]:
    """The sha256 of every regular file: remembered (``trust_stat`` and an unchanged
    ``stat``), or hashed on a few threads (hashlib and file reads release the GIL, so this
    uses every core). Files that could not be ``stat``-ed are left to the caller."""
    result: dict[Path, str | concurrent.futures.Future[str]] = {}
    todo: list[tuple[Path, os.stat_result]] = []
    for path, st in stats.items():
        if isinstance(st, OSError):
            continue
        known = memory.known(path, st) if trust_stat else None
        if known is not None:
            result[path] = known
        else:
            todo.append((path, st))
    if not todo:
        return result

    def hash_one(path: Path, st: os.stat_result) -> str:
        check_cancel(cancel)
        return memory.sha256(path, st, trust_stat=False)

    workers = max(1, min(4, os.cpu_count() or 1, len(todo)))
    with concurrent.futures.ThreadPoolExecutor(workers) as pool:
        for path, st in todo:
            result[path] = pool.submit(hash_one, path, st)
        concurrent.futures.wait([f for f in result.values() if not isinstance(f, str)])
    return result


def check_files(project: Project, pack: RulePack, *, file_findings: FileFindings | None = None,
                progress: ProgressFn | None = None, cancel: CancelFn | None = None,
                fingerprints: Fingerprints | None = None, rehash: bool = False,
                ) -> tuple[list[Finding], dict[str, FileState]]:
    """Check every document's file: there, readable, unchanged, not attached twice.

    A file whose ``stat`` (device, inode, size, modification and status-change time) is the
    same as when ``fingerprints`` (default: the process's :data:`~soknadspakke.core.
    fingerprints.SHARED`) last hashed it is not read again; ``rehash`` reads every file. What
    that proves, and when, is described in :mod:`soknadspakke.core.fingerprints`.
    """
    memory = fingerprints if fingerprints is not None else SHARED
    base = project.base_dir
    outside = {d.path: target for d in project.documents
               if (target := outside_target(base, project.resolve(d))) is not None}
    stats = {path: _stat(path) for path in dict.fromkeys(
        project.resolve(d) for d in project.documents if d.path not in outside)}
    run = _FileRun(project, outside, stats, _hash_all(stats, memory, not rehash, cancel))
    total = len(project.documents)
    for index, doc in enumerate(project.documents):
        check_cancel(cancel)
        if progress:
            progress(index, total, Plain(doc.path))
        sha = run.check(doc)
        if sha is not None and file_findings is not None:
            run.findings.extend(file_findings(doc, project.resolve(doc), sha))
    if progress:
        progress(total, total, Plain(""))
    run.findings += _size_findings(pack, run.states)
    return run.findings, run.states


class _FileRun:
    """The findings and file states of one :func:`check_files`, one document at a time."""

    def __init__(self, project: Project, outside: Mapping[str, Path],
                 stats: Mapping[Path, os.stat_result | OSError],
                 hashes: Mapping[Path, str | concurrent.futures.Future[str]]) -> None:
        self.project = project
        self.outside = outside
        self.stats = stats
        self.hashes = hashes
        self.findings: list[Finding] = []
        self.states: dict[str, FileState] = {}
        self.seen_sha: dict[str, str] = {}
        self.seen_path: set[str] = set()

    def check(self, doc: Document) -> str | None:
        """Check one document's file; its sha256, or ``None`` when it could not be read."""
        findings = self.findings
        path = self.project.resolve(doc)
        if doc.path in self.seen_path:
            findings.append(Finding(Severity.WARNING, "duplicate_document", T(
                "{file} is listed twice. Remove one of the entries.", file=doc.path),
                files=(doc.path,)))
            return None
        self.seen_path.add(doc.path)
        sha = self._read(doc, path)
        if sha is None:
            return None
        if doc.sha256 is None:
            findings.append(Finding(Severity.INFO, "document_not_fingerprinted", T(
                "{file} has no recorded fingerprint (sha256). Add it again to record one, so "
                "that later changes to the file are noticed.", file=doc.path),
                files=(doc.path,)))
        elif doc.sha256 != sha:
            findings.append(Finding(Severity.ERROR, "document_changed", T(
                "{file} has changed since it was added. Check that it is the right version, "
                "then add it again to accept the change.", file=doc.path),
                files=(doc.path,), document_types=tuple(doc.types)))
        if sha in self.seen_sha:
            findings.append(Finding(Severity.WARNING, "duplicate_document", T(
                "{file} has the same content as {other}. Is the same document attached twice?",
                file=doc.path, other=self.seen_sha[sha]), files=(doc.path, self.seen_sha[sha])))
        else:
            self.seen_sha[sha] = doc.path
        return sha

    def _read(self, doc: Document, path: Path) -> str | None:
        """The file's sha256 and state; ``None`` (and an error) when it is outside the
        project's folder, missing or unreadable."""
        if doc.path in self.outside:
            self.states[doc.path] = FileState(path, exists=False)
            self.findings.append(Finding(Severity.ERROR, "document_outside_project", T(
                "{file} leads to {target}, outside the project's folder {folder} (it is a "
                "link, or lies in a linked folder). Only files inside the project's folder go "
                "into the package: copy the file itself into the folder, or attach it again.",
                file=doc.path, target=str(self.outside[doc.path]),
                folder=str(self.project.base_dir)),
                files=(doc.path,), document_types=tuple(doc.types)))
            return None
        st = self.stats[path]
        if isinstance(st, (FileNotFoundError, NotADirectoryError)):
            self.states[doc.path] = FileState(path, exists=False)
            self.findings.append(Finding(Severity.ERROR, "document_file_missing", T(
                "{file} is not there (looked for {path}). Put the file back, or remove the "
                "document from the application.", file=doc.path, path=str(path)),
                files=(doc.path,), document_types=tuple(doc.types)))
            return None
        try:
            if isinstance(st, OSError):
                raise st
            size = st.st_size
            pending = self.hashes[path]
            sha = pending if isinstance(pending, str) else pending.result()
        except OSError as exc:
            self.states[doc.path] = FileState(path, exists=True)
            self.findings.append(Finding(Severity.ERROR, "document_unreadable", T(
                "{file} cannot be read ({reason}). Check that it is a file you may read.",
                file=doc.path, reason=exc.strerror or type(exc).__name__),
                files=(doc.path,), document_types=tuple(doc.types)))
            return None
        self.states[doc.path] = FileState(path, exists=True, size=size, sha256=sha)
        return sha


def _size_findings(pack: RulePack, states: Mapping[str, FileState]) -> list[Finding]:
    """A warning when the attachments together exceed the pack's ``package_size`` limit."""
    size_check = pack.checks.get("package_size")
    if size_check is None:
        return []
    limit_mb = float(size_check.parameters.get("max_mb", 20))
    total_bytes = sum(s.size for s in states.values())
    if total_bytes <= limit_mb * 1024 * 1024:
        return []
    return [Finding(
        size_check.severity, "package_too_large",
        size_check.message.format(size=f"{total_bytes / (1024 * 1024):.1f}",
                                  limit=f"{limit_mb:g}"),
        source=size_check.source,
        guidance={s: pack.guidance[s] for s in size_check.source if s in pack.guidance})]
