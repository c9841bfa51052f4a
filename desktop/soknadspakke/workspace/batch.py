"""Validating and building every ready application of a workspace, in parallel processes.

``build_all(root, …)`` finds the applications (:func:`~soknadspakke.workspace.locate.
find_applications`), and builds each in a worker process (one per core by default; building is
CPU-bound Python, so threads would share one core). Each application ends as one
:class:`BatchResult`: ``built``, ``not_ready`` (nothing written: the findings say why) or
``failed`` (the project file or a document cannot be read, or anything else went wrong in that
application). One application's failure never stops the others.

Packages are written atomically (a hidden temporary file in the target folder, renamed when
complete), so a colleague looking at a shared folder during a batch run sees either the old
package or the new one, never half of one.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import enum
import multiprocessing
import os
import sys
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any, TypedDict, Unpack

from soknadspakke.build import NotReadyError, build_package
from soknadspakke.core import i18n
from soknadspakke.core.errors import Cancelled, SoknadError
from soknadspakke.core.findings import Severity
from soknadspakke.core.i18n import T
from soknadspakke.core.project_file import load_project
from soknadspakke.core.tasks import CancelFn, ProgressFn, check_cancel
from soknadspakke.intake import IntakeCache, default_cache_dir
from soknadspakke.rules.answers import answer_problems
from soknadspakke.rules.loader import default_pack, load_pack
from soknadspakke.rules.migrate import migrate_project
from soknadspakke.rules.schema import RulePack
from soknadspakke.workspace.locate import find_applications, originals_path, package_path
from soknadspakke.workspace.originals import write_originals_zip


class Outcome(enum.Enum):
    BUILT = "built"
    NOT_READY = "not_ready"
    FAILED = "failed"


@dataclass(frozen=True)
class BatchJob:
    """One application to build (plain data, so it can be sent to a worker process)."""

    project_file: Path
    output: Path
    lang: str
    rules: Path | None = None
    options: Mapping[str, str] = field(default_factory=dict)
    passwords: Mapping[str, str] = field(default_factory=dict)
    cache_dir: Path | None = None
    today: date | None = None
    #: Also write a zip of the original files beside the package.
    originals: bool = False


@dataclass(frozen=True)
class BatchResult:
    """How one application's build ended; ``problems`` are its error messages (rendered)."""

    project_file: Path
    outcome: Outcome
    output: Path | None = None
    originals: Path | None = None
    pages: int = 0
    documents: int = 0
    errors: int = 0
    warnings: int = 0
    message: str = ""
    problems: tuple[str, ...] = ()
    seconds: float = 0.0

    def to_dict(self, root: Path) -> dict[str, Any]:
        def rel(path: Path) -> str:
            try:
                return path.relative_to(root).as_posix()
            except ValueError:
                return path.as_posix()

        return {"path": rel(self.project_file), "outcome": self.outcome.value,
                "output": str(self.output) if self.output is not None else None,
                "originals": str(self.originals) if self.originals is not None else None,
                "pages": self.pages, "documents": self.documents, "errors": self.errors,
                "warnings": self.warnings, "message": self.message,
                "problems": list(self.problems), "seconds": round(self.seconds, 3)}


@cache
def _pack(rules: Path | None) -> RulePack:
    return load_pack(rules) if rules is not None else default_pack()


def build_one(job: BatchJob, *, pause_gc: bool = True) -> BatchResult:
    """Build one application; every problem becomes a result, never an exception.

    Runs in a worker process, so messages are rendered here in ``job.lang``; a worker does
    nothing else, so the garbage collector is paused while a package is assembled
    (``pause_gc=False`` when building in a process that also runs a window).
    """
    i18n.set_language(job.lang)
    started = time.perf_counter()

    def result(outcome: Outcome, **values: Any) -> BatchResult:
        return BatchResult(job.project_file, outcome, seconds=time.perf_counter() - started,
                           **values)

    try:
        pack = _pack(job.rules)
        project = load_project(job.project_file)
        migrate_project(project, pack)  # the package is built as the pack now names things
        problems = answer_problems(project, pack)
        if problems:
            where, reason = problems[0]
            return result(Outcome.FAILED, message=f"{where}: {reason.render(job.lang)}")
        cache_dir = job.cache_dir if job.cache_dir is not None else default_cache_dir()
        built = build_package(project, pack, job.output, lang=job.lang,
                              options=dict(job.options), passwords=dict(job.passwords),
                              cache=IntakeCache(cache_dir), today=job.today,
                              pause_gc=pause_gc)
        zipped = write_originals_zip(project, pack, originals_path(built.path, job.lang),
                                     documents=[d.path for d in built.documents]
                                     ) if job.originals else None
    except NotReadyError as exc:
        counts = exc.report.counts()
        return result(Outcome.NOT_READY, errors=counts[Severity.ERROR],
                      warnings=counts[Severity.WARNING], message=exc.message,
                      problems=tuple(f.message.render(job.lang) for f in exc.report.findings
                                     if f.is_error))
    except SoknadError as exc:
        return result(Outcome.FAILED, message=exc.message if exc.path is None else str(exc))
    except (Cancelled, KeyboardInterrupt):
        raise
    except Exception as exc:  # one application's bug must not stop the batch
        return result(Outcome.FAILED, message=T(
            "unexpected error ({kind}: {error}); please report it",
            kind=type(exc).__name__, error=exc).render(job.lang))
    counts = built.report.counts()
    return result(Outcome.BUILT, output=built.path, pages=built.pages,
                  originals=zipped.path if zipped is not None else None,
                  documents=len(built.documents), errors=counts[Severity.ERROR],
                  warnings=counts[Severity.WARNING])


class JobSettings(TypedDict, total=False):
    """What every job of :func:`plan_jobs` shares (the fields of :class:`BatchJob`)."""

    rules: Path | None
    options: Mapping[str, str] | None
    passwords: Mapping[str, str] | None
    cache_dir: Path | None
    today: date | None
    originals: bool


def plan_jobs(root: Path, *, lang: str, out_dir: Path | None = None,
              **settings: Unpack[JobSettings]) -> list[BatchJob]:
    """One job per application under ``root``, each with ``settings``.

    With ``out_dir`` every package goes there; when two applications share a file name, the
    packages are prefixed with their folders' names (``a/soknad.soknad`` →
    ``a-soknad-soknadspakke.pdf``) so that no package overwrites another.
    """
    files = find_applications(root)
    stems = [f.stem for f in files]
    jobs = []
    for project_file in files:
        output = package_path(project_file, lang, out_dir)
        if out_dir is not None and stems.count(project_file.stem) > 1:
            output = output.with_name(f"{_folder_prefix(root, project_file)}-{output.name}")
        jobs.append(BatchJob(project_file, output, lang, settings.get("rules"),
                             dict(settings.get("options") or {}),
                             dict(settings.get("passwords") or {}), settings.get("cache_dir"),
                             settings.get("today"), settings.get("originals", False)))
    return jobs


def _folder_prefix(root: Path, project_file: Path) -> str:
    try:
        parts = project_file.parent.relative_to(root).parts
    except ValueError:
        parts = (project_file.parent.name,)
    return "-".join(parts) or "_"


def default_workers() -> int:
    """One worker per core this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # macOS, Windows
        return max(1, os.cpu_count() or 1)


def build_all(jobs: Sequence[BatchJob], *, workers: int | None = None,
              progress: ProgressFn | None = None, cancel: CancelFn | None = None,
              on_result: Callable[[BatchResult], None] | None = None,
              pause_gc: bool = False) -> list[BatchResult]:
    """Build every job; results in the jobs' order.

    ``workers`` processes (default: one per core; 1 builds in this process). ``progress`` is
    called in this process after each application with ``(done, total, message)``, and
    ``on_result`` with the application's result, as soon as it is known. On
    cancellation no new application starts, the running ones finish (their packages are
    complete), and :class:`Cancelled` is raised. ``pause_gc`` is passed to
    :func:`build_package` when building in this process (worker processes always pause it).
    """
    total = len(jobs)
    results: dict[int, BatchResult] = {}

    def finished(index: int, outcome: BatchResult) -> None:
        results[index] = outcome
        if on_result:
            on_result(outcome)
        if progress:
            progress(len(results), total, {
                Outcome.BUILT: T("Built {file}", file=outcome.project_file.name),
                Outcome.NOT_READY: T("Not ready: {file}", file=outcome.project_file.name),
                Outcome.FAILED: T("Failed: {file}", file=outcome.project_file.name),
            }[outcome.outcome])

    if progress:
        progress(0, total, T("Building {total} applications …", total=total))
    count = min(workers or default_workers(), total)
    if count <= 1:
        before = i18n.current_language()
        try:
            for index, job in enumerate(jobs):
                check_cancel(cancel)
                finished(index, build_one(job, pause_gc=pause_gc))
        finally:
            i18n.set_language(before)
        return [results[i] for i in range(total)]
    context = _process_context()
    if context.get_start_method() == "fork":
        for rules in {job.rules for job in jobs}:  # loaded once, inherited by every worker
            with contextlib.suppress(SoknadError):
                _pack(rules)
    attempts = dict.fromkeys(range(total), 0)
    remaining = list(range(total))
    while remaining:
        remaining = _run_pool(jobs, remaining, workers=count, context=context,
                              finished=finished, cancel=cancel)
        # A worker that died (a crash in a C library) breaks the whole pool: the applications
        # that were not finished run again in a new pool; one that was pending at two such
        # crashes is reported as failed.
        for index in remaining:
            attempts[index] += 1
        for index in [i for i in remaining if attempts[i] >= 2]:
            remaining.remove(index)
            finished(index, BatchResult(jobs[index].project_file, Outcome.FAILED, message=T(
                "the worker process building this application ended unexpectedly"
            ).render(jobs[index].lang)))
    return [results[i] for i in range(total)]


def _process_context() -> multiprocessing.context.BaseContext:
    """How worker processes start.

    On Linux, from a process with no other thread (the command line), they are forked: they
    start at once with the program already imported and the rule pack loaded, where a fresh
    interpreter would spend about 0.3 s of CPU on imports each. Elsewhere, and from a process
    with threads (the window; forking those is unsafe), and on macOS (system frameworks are
    not fork-safe), a fresh interpreter is spawned.
    """
    if sys.platform.startswith("linux") and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def _run_pool(jobs: Sequence[BatchJob], indices: Sequence[int], *, workers: int, context: Any,
              finished: Callable[[int, BatchResult], None], cancel: CancelFn | None
              ) -> list[int]:
    """Run ``indices`` in one pool; returns those left unfinished because the pool broke."""
    pool = concurrent.futures.ProcessPoolExecutor(min(workers, len(indices)),
                                                  mp_context=context)
    broken: list[int] = []
    try:
        pending = {pool.submit(build_one, jobs[index]): index for index in indices}
        while pending:
            done, _waiting = concurrent.futures.wait(
                pending, timeout=0.2, return_when=concurrent.futures.FIRST_COMPLETED)
            for future in done:
                index = pending.pop(future)
                try:
                    outcome = future.result()
                except concurrent.futures.process.BrokenProcessPool:
                    broken.append(index)
                    continue
                except Exception as exc:  # e.g. a result that cannot be sent back
                    outcome = BatchResult(jobs[index].project_file, Outcome.FAILED,
                                          message=T(
                                              "unexpected error ({kind}: {error}); please "
                                              "report it", kind=type(exc).__name__,
                                              error=exc).render(jobs[index].lang))
                finished(index, outcome)
            if cancel is not None and cancel():
                raise Cancelled
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    return sorted(broken)


def summary_counts(results: Sequence[BatchResult]) -> dict[Outcome, int]:
    counts = dict.fromkeys(Outcome, 0)
    for item in results:
        counts[item.outcome] += 1
    return counts
