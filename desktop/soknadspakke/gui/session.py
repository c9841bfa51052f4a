"""One open application: the project, its rule pack, its undo stack and what is known of its
files, kept up to date as the user works.

- Every change goes through an undo command (:mod:`.commands`) on :attr:`Session.undo`.
- The rules run on every change, on the GUI thread (under 1 ms); the file checks (present,
  unchanged, intake's findings) run on a worker, debounced, over a snapshot of the project, and
  their findings are merged in when they arrive.
- Files dropped in go through intake one at a time on a worker (a file copied into the
  project's folder never races another one), then arrive as one undo step.
- Attached files are watched: a change on disk (an atomic replacement too) re-runs the checks.

The session holds no copy of the documents: the table model adapts :attr:`project` directly.
"""

from __future__ import annotations

import logging
import os
from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer, Signal
from PySide6.QtGui import QUndoStack

from soknadspakke.core.findings import Finding, sort_findings
from soknadspakke.core.i18n import T, Text, current_language
from soknadspakke.core.project import Document, EventKind, Project, ProjectEvent
from soknadspakke.core.project_file import project_from_dict, project_to_dict
from soknadspakke.intake import IntakeCache, IntakeResult
from soknadspakke.rules.engine import evaluate
from soknadspakke.rules.schema import RulePack
from soknadspakke.usecases import (
    DocumentCheck,
    PreparedAttachment,
    check_documents,
    document_for,
    prepare_attachment,
)
from soknadspakke.validation import FileState, Report

from . import commands, heap
from .tasks import Task, TaskRunner

log = logging.getLogger(__name__)
FILE_CHECK_DELAY_MS = 300
#: Files handed to the intake worker at a time (it takes one at a time; one more waits so
#: that it never idles between two).
INTAKE_AHEAD = 2


def snapshot(project: Project) -> Project:
    """A copy for a worker thread: same data, no listeners (the live project is not
    thread-safe, and the user keeps editing it)."""
    path = project.path if project.path is not None else Path.cwd() / "soknad.soknad"
    return project_from_dict(project_to_dict(project), path)


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    """Files, and the files inside folders (recursively, sorted, hidden ones left out)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                found += [Path(root) / f for f in sorted(files) if not f.startswith(".")]
        else:
            found.append(path)
    return found


@dataclass
class IntakeItem:
    """One file being taken in (a row of the intake panel)."""

    source: Path
    done: int = 0
    total: int = 1
    message: Text | None = None
    prepared: PreparedAttachment | None = None
    error: str | None = None
    finished: bool = False


@dataclass
class IntakeBatch:
    """Files dropped or added together; they arrive in the project as one undo step."""

    items: list[IntakeItem]
    row: int | None
    tasks: list[Task] = field(default_factory=list)
    cancelled: bool = False

    @property
    def finished(self) -> bool:
        return all(item.finished for item in self.items)


class Session(QObject):
    """The open application and everything the window shows about it."""

    #: The findings (rules and file checks) changed.
    report_changed = Signal()
    #: Intake's knowledge of these document paths changed (status, pages, suggestions).
    documents_info_changed = Signal(list)
    #: File checks started (True) or finished (False).
    checking_changed = Signal(bool)
    #: Intake items changed (the intake panel redraws).
    intake_changed = Signal()
    #: A batch has arrived: (paths added, results of files that could not be added,
    #: paths that need a password).
    batch_arrived = Signal(list, list, list)
    #: The file checks found encrypted documents whose password is wanted: not known, and not
    #: asked for since the project was opened (or the one given was wrong).
    passwords_wanted = Signal(list)

    def __init__(self, project: Project, pack: RulePack, *, cache: IntakeCache | None,
                 options: Mapping[str, str] | None = None, today: date | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.project = project
        self.pack = pack
        self.cache = cache
        self.options = dict(options or {})
        self.today = today
        self.undo = QUndoStack(self)
        self.focus = commands.Focus()
        self.results: dict[str, IntakeResult] = {}
        #: Passwords for encrypted PDFs, by document path: in memory only, never written.
        self.passwords: dict[str, str] = {}
        #: Documents whose password the user has been asked for (a cancelled dialog is not
        #: shown again by itself; File ▸ Passwords… is there).
        self.passwords_asked: set[str] = set()
        self.file_check: DocumentCheck | None = None
        self.batches: list[IntakeBatch] = []
        self.report: Report
        self._by_file: tuple[Report | None, dict[str, list[Finding]]] = (None, {})
        self.workers = TaskRunner(self, max_threads=1)
        self.intake_workers = TaskRunner(self, max_threads=1)
        #: Files waiting to be handed to the intake worker (:data:`INTAKE_AHEAD` at a time).
        self._intake_queue: deque[tuple[IntakeBatch, IntakeItem, Task]] = deque()
        self._check_task: Task | None = None
        self._check_again = False
        self._check_timer = QTimer(self)
        self._check_timer.setSingleShot(True)
        self._check_timer.setInterval(FILE_CHECK_DELAY_MS)
        self._check_timer.timeout.connect(self.start_file_check)
        self.watcher = QFileSystemWatcher(self)
        self.watcher.fileChanged.connect(self._file_changed)
        self._dirty = False
        self._revalidate_timer = QTimer(self)
        self._revalidate_timer.setSingleShot(True)
        self._revalidate_timer.setInterval(0)
        self._revalidate_timer.timeout.connect(self.settle)
        self.undo.indexChanged.connect(self.settle)
        self._unsubscribe = project.subscribe(self._on_event)
        self.revalidate()

    # -- lifetime --------------------------------------------------------------------------
    def close(self) -> None:
        """Stop listening and cancel the work in flight (the window is done with it)."""
        self._unsubscribe()
        self._check_timer.stop()
        self._revalidate_timer.stop()
        self.workers.cancel_all()
        self.intake_workers.cancel_all()
        self._intake_queue.clear()
        for batch in self.batches:
            batch.cancelled = True
        self.workers.wait(5000)
        self.intake_workers.wait(5000)
        paths = self.watcher.files()
        if paths:
            self.watcher.removePaths(paths)

    # -- the rules, on every change --------------------------------------------------------
    def _on_event(self, event: ProjectEvent) -> None:
        # The rules run once a command is done (a drop of 200 files is one command of 200
        # changes), or, for a change made outside the undo stack, when the loop comes round.
        self._dirty = True
        self._revalidate_timer.start()
        if event.kind in (EventKind.DOCUMENT_ADDED, EventKind.DOCUMENT_REMOVED,
                          EventKind.DOCUMENT_CHANGED, EventKind.INFO_CHANGED):
            self.schedule_file_check()

    def settle(self, *_args: object) -> None:
        """Run the rules if the project changed since they last ran."""
        if self._dirty:
            self.revalidate()

    def revalidate(self) -> None:
        """Run the rules now and merge the latest file checks (for documents still there)."""
        self._dirty = False
        self._revalidate_timer.stop()
        evaluation = evaluate(self.project, self.pack, options=self.options, today=self.today)
        found: list[Finding] = list(evaluation.findings)
        states: Mapping[str, FileState] = {}
        if self.file_check is not None:
            paths = {d.path for d in self.project.documents}
            found += [f for f in self.file_check.findings
                      if not f.files or all(p in paths for p in f.files)]
            states = {p: s for p, s in self.file_check.states.items() if p in paths}
        self.report = Report(self.pack, evaluation, tuple(sort_findings(found)), states)
        self.report_changed.emit()

    # -- the file checks, on a worker --------------------------------------------------------
    def schedule_file_check(self) -> None:
        self._check_timer.start()

    def start_file_check(self) -> None:
        if self._check_task is not None:
            self._check_again = True
            return
        self._check_again = False
        task = Task(check_documents, snapshot(self.project), self.pack,
                    passwords=dict(self.passwords), cache=self.cache)
        self._check_task = task
        self.checking_changed.emit(True)
        self.workers.start(task, on_done=self._checked, on_failed=self._check_failed,
                           on_cancelled=self._check_ended)

    def _check_ended(self) -> None:
        self._check_task = None
        self.checking_changed.emit(False)
        if self._check_again:
            self.schedule_file_check()

    def _check_failed(self, exc: BaseException) -> None:
        log.warning("file checks failed: %s", exc)
        self._check_ended()

    def _checked(self, check: DocumentCheck) -> None:
        self.file_check = check
        for path, result in check.results.items():
            if result.needs_password and self.passwords.pop(path, None) is not None:
                self.passwords_asked.discard(path)  # a wrong one: ask again
        changed = [p for p, r in check.results.items() if self.results.get(p) != r]
        self.results.update(check.results)
        self._watch()
        self._check_ended()
        self.revalidate()
        if changed:
            self.documents_info_changed.emit(changed)
        wanted = [p for p in self.needs_password() if p not in self.passwords_asked]
        if wanted:
            self.passwords_asked.update(wanted)
            self.passwords_wanted.emit(wanted)
        heap.keep()

    @property
    def checking(self) -> bool:
        return self._check_task is not None

    def _watch(self) -> None:
        wanted = {str(self.project.resolve(d)) for d in self.project.documents}
        wanted = {p for p in wanted if Path(p).is_file()}
        current = set(self.watcher.files())
        if current - wanted:
            self.watcher.removePaths(sorted(current - wanted))
        if wanted - current:
            self.watcher.addPaths(sorted(wanted - current))

    def _file_changed(self, path: str) -> None:
        # An atomic replacement (what most editors do) drops the path from the watcher.
        if Path(path).exists() and path not in self.watcher.files():
            self.watcher.addPath(path)
        self.schedule_file_check()

    # -- documents ---------------------------------------------------------------------------
    def result_for(self, doc: Document) -> IntakeResult | None:
        return self.results.get(doc.path)

    def findings_for(self, doc: Document) -> list[Finding]:
        """The findings about ``doc``'s file, in the report's order (indexed by file once
        per report: the table asks for every row after each change)."""
        if self._by_file[0] is not self.report:
            by_file: dict[str, list[Finding]] = {}
            for finding in self.report.findings:
                for path in dict.fromkeys(finding.files):
                    by_file.setdefault(path, []).append(finding)
            self._by_file = (self.report, by_file)
        return list(self._by_file[1].get(doc.path, ()))

    def row_of(self, path: str) -> int | None:
        return next((i for i, d in enumerate(self.project.documents) if d.path == path), None)

    def push(self, command: commands.ProjectCommand) -> None:
        self.undo.push(command)

    # -- taking files in ---------------------------------------------------------------------
    def take_in(self, paths: Iterable[Path], row: int | None = None) -> IntakeBatch | None:
        """Start intake of files (and folders' files); they arrive at ``row`` as one step."""
        files = expand_paths(paths)
        if not files:
            return None
        batch = IntakeBatch([IntakeItem(f) for f in files], row)
        self.batches.append(batch)
        stub = Project(path=self.project.path)  # where files are placed: read only
        for item in batch.items:
            task = Task(prepare_attachment, stub, self.pack, item.source, cache=self.cache)
            batch.tasks.append(task)
            self._intake_queue.append((batch, item, task))
        self._feed_intake()
        self.intake_changed.emit()
        return batch

    def _feed_intake(self) -> None:
        """Hand the worker the next files: a few at a time, not a drop's 200 at once (that
        took the GUI thread ~30 ms in the drop's own event, and the worker takes one file at
        a time anyway)."""
        while self._intake_queue and len(self.intake_workers.running) < INTAKE_AHEAD:
            self._start_intake(*self._intake_queue.popleft())

    def _start_intake(self, batch: IntakeBatch, item: IntakeItem, task: Task) -> None:
        def progress(done: int, total: int, message: Text) -> None:
            self._intake_progress(item, done, total, message)

        def done(prepared: PreparedAttachment) -> None:
            self._intake_done(batch, item, prepared)

        def failed(exc: BaseException) -> None:
            self._intake_done(batch, item, None, str(exc))

        def cancelled() -> None:
            self._intake_done(batch, item, None, T("stopped").render(current_language()))

        self.intake_workers.start(task, on_progress=progress, on_done=done, on_failed=failed,
                                  on_cancelled=cancelled)

    def cancel_intake(self) -> None:
        for batch in self.batches:
            batch.cancelled = True
            for task in batch.tasks:
                task.cancel()
        waiting, self._intake_queue = self._intake_queue, deque()
        stopped = T("stopped").render(current_language())
        for batch, item, _task in waiting:  # never started: stopped as they are
            self._intake_done(batch, item, None, stopped)

    def _intake_progress(self, item: IntakeItem, done: int, total: int, message: Text) -> None:
        item.done, item.total, item.message = done, max(total, 1), message
        self.intake_changed.emit()

    def _intake_done(self, batch: IntakeBatch, item: IntakeItem,
                     prepared: PreparedAttachment | None, error: str | None = None) -> None:
        item.prepared, item.error, item.finished = prepared, error, True
        item.done = item.total
        self._feed_intake()
        self.intake_changed.emit()
        if batch.finished:
            self.batches.remove(batch)
            self._arrive(batch)
            self.intake_changed.emit()

    def _arrive(self, batch: IntakeBatch) -> None:
        present = {d.path for d in self.project.documents}
        documents: list[Document] = []
        refused: list[Any] = []
        locked: list[str] = []
        for item in batch.items:
            prepared = item.prepared
            if batch.cancelled or prepared is None:
                if not batch.cancelled:
                    refused.append((item.source, item.error or ""))
                continue
            if not prepared.placed:
                refused.append((item.source, prepared.result))
                continue
            assert prepared.path is not None
            self.results[prepared.path] = prepared.result
            if prepared.path in present:
                continue
            present.add(prepared.path)
            documents.append(document_for(prepared, []))
            if prepared.result.needs_password:
                locked.append(prepared.path)
        if documents:
            self.push(commands.AddDocuments(self.project, self.focus, documents, batch.row))
        self.passwords_asked.update(locked)
        self.batch_arrived.emit([d.path for d in documents], refused, locked)
        heap.keep()

    # -- suggestions -------------------------------------------------------------------------
    def suggestion_for(self, doc: Document) -> tuple[str, float] | None:
        """The most likely type of an untyped document, with its confidence (0–1)."""
        if doc.types:
            return None
        result = self.results.get(doc.path)
        if result is None or not result.suggested_types:
            return None
        top = result.suggested_types[0]
        if not self.pack.has_document_type(top.type_id):
            return None
        return top.type_id, top.confidence

    def accept_suggestions(self, rows: Iterable[int] | None = None) -> int:
        """Tag every (or each given) untyped document with its suggested type, as one step."""
        targets = range(len(self.project.documents)) if rows is None else rows
        changes = []
        for row in targets:
            suggestion = self.suggestion_for(self.project.documents[row])
            if suggestion is not None:
                changes.append((row, suggestion[0]))
        if not changes:
            return 0
        label = (T("Accept the suggested type of {file}",
                   file=self.project.documents[changes[0][0]].display_title)
                 if len(changes) == 1 else T("Accept {n} suggested types", n=len(changes)))
        self.undo.beginMacro(label.render(current_language()))
        for row, type_id in changes:
            self.push(commands.UpdateDocument(
                self.project, self.focus, row,
                T("Set the type of {file}", file=self.project.documents[row].display_title),
                types=[type_id]))
        self.undo.endMacro()
        return len(changes)

    # -- passwords ---------------------------------------------------------------------------
    def needs_password(self) -> list[str]:
        """Paths of encrypted documents whose password is not known (or was wrong)."""
        return [d.path for d in self.project.documents
                if (r := self.results.get(d.path)) is not None and r.needs_password
                and d.path not in self.passwords]

    def set_passwords(self, passwords: Mapping[str, str]) -> None:
        self.passwords.update({k: v for k, v in passwords.items() if v})
        self.schedule_file_check()
