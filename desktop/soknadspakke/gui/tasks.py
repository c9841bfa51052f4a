"""Long work off the GUI thread.

:class:`Task` runs a core function ``fn(*args, progress=…, cancel=…)`` on Qt's thread pool and
reports back through queued signals (so slots run on the GUI thread). Progress is throttled to
one report per 50 ms. The window keeps every running task in a :class:`TaskRunner` until it
reports, so neither the Python object nor its signals die while the worker runs.

Same shape as Picard's ``picard/util/thread.py`` and Anki's ``CollectionOp``: the core function
knows nothing of Qt; the callbacks run where widgets may be touched.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from soknadspakke.core.errors import Cancelled
from soknadspakke.core.i18n import Text

log = logging.getLogger(__name__)
PROGRESS_INTERVAL = 0.05  # seconds between progress signals


class TaskSignals(QObject):
    """Made on the GUI thread, so its signals are delivered there (queued)."""

    progress = Signal(int, int, object)  # done, total, Text
    finished = Signal(object)
    failed = Signal(object)  # the exception
    cancelled = Signal()


class Task(QRunnable):
    """One call of a core function on a worker thread."""

    def __init__(self, fn: Callable[..., Any], *args: Any, with_progress: bool = True,
                 **kwargs: Any) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self.signals = TaskSignals()
        self.fn, self.args, self.kwargs = fn, args, kwargs
        self.with_progress = with_progress
        self._cancel = threading.Event()
        self._last = 0.0

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def is_cancelled(self) -> bool:
        return self._cancel.is_set()

    def _progress(self, done: int, total: int, message: Text) -> None:
        now = time.monotonic()
        if now - self._last >= PROGRESS_INTERVAL or done >= total:
            self._last = now
            self.signals.progress.emit(done, total, message)

    def run(self) -> None:
        kwargs = dict(self.kwargs)
        if self.with_progress:
            kwargs["progress"] = self._progress
            kwargs["cancel"] = self._cancel.is_set
        try:
            result = self.fn(*self.args, **kwargs)
        except Cancelled:
            self.signals.cancelled.emit()
            return
        except Exception as exc:  # reported to the window, which shows a clear message
            log.debug("task failed", exc_info=True)
            self.signals.failed.emit(exc)
            return
        if self._cancel.is_set():
            self.signals.cancelled.emit()
        else:
            self.signals.finished.emit(result)


class TaskRunner(QObject):
    """Starts tasks and keeps them alive until they report."""

    def __init__(self, parent: QObject | None = None, *, max_threads: int = 2) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(max_threads)
        self.running: set[Task] = set()

    def start(self, task: Task, *, on_done: Callable[[Any], None] | None = None,
              on_failed: Callable[[BaseException], None] | None = None,
              on_cancelled: Callable[[], None] | None = None,
              on_progress: Callable[[int, int, Text], None] | None = None) -> Task:
        def finished(result: Any) -> None:
            self.running.discard(task)
            if on_done is not None:
                on_done(result)

        def failed(exc: BaseException) -> None:
            self.running.discard(task)
            if on_failed is not None:
                on_failed(exc)

        def cancelled() -> None:
            self.running.discard(task)
            if on_cancelled is not None:
                on_cancelled()

        if on_progress is not None:
            task.signals.progress.connect(on_progress)
        task.signals.finished.connect(finished)
        task.signals.failed.connect(failed)
        task.signals.cancelled.connect(cancelled)
        self.running.add(task)
        self.pool.start(task)
        return task

    def cancel_all(self) -> None:
        for task in list(self.running):
            task.cancel()

    def wait(self, msecs: int = -1) -> bool:
        """Wait for every worker (used on quit, after cancelling)."""
        return self.pool.waitForDone(msecs)
