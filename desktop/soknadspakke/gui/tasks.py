"""Long work off the GUI thread.

:class:`Task` runs a core function ``fn(*args, progress=…, cancel=…)`` on a worker thread and
reports back through queued signals (so callbacks run on the GUI thread). Progress is throttled
to one report per 50 ms. The window keeps every running task in a :class:`TaskRunner` until it
reports.

The workers are Python threads (``concurrent.futures``, as Anki's ``taskman.py``), not
``QRunnable``s on a ``QThreadPool``: a Python ``run()`` override of a ``QRunnable`` returns
through the bindings on the pool thread after the task may already have been released on the
GUI thread, which crashed the interpreter here ("none_dealloc") when hundreds of files were
taken in. The core function knows nothing of Qt; the callbacks run where widgets may be
touched.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import wait as wait_futures
from typing import Any

from PySide6.QtCore import QObject, Signal

from soknadspakke.core.errors import Cancelled
from soknadspakke.core.i18n import Text

log = logging.getLogger(__name__)
PROGRESS_INTERVAL = 0.05  # seconds between progress signals


class TaskSignals(QObject):
    """Made on the GUI thread, so its signals are delivered there (queued).

    Only plain numbers cross threads: the result, the error and the latest progress message
    are left on the :class:`Task` (under a lock) and read by the receiving slot. A Python
    object carried by a queued signal from a worker thread has its reference count changed
    without the interpreter lock, which crashed the interpreter here ("none_dealloc").
    """

    progress = Signal(int, int)  # done, total; the message is Task.message
    ended = Signal()  # read Task.outcome, Task.result, Task.error


class Task:
    """One call of a core function on a worker thread."""

    def __init__(self, fn: Callable[..., Any], *args: Any, with_progress: bool = True,
                 **kwargs: Any) -> None:
        self.signals = TaskSignals()
        self.fn, self.args, self.kwargs = fn, args, kwargs
        self.with_progress = with_progress
        self._cancel = threading.Event()
        self._lock = threading.Lock()
        self._last = 0.0
        self._message: Text | None = None
        #: "done", "failed" or "cancelled" once the task has ended.
        self.outcome: str | None = None
        self.result: Any = None
        self.error: BaseException | None = None

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def is_cancelled(self) -> bool:
        return self._cancel.is_set()

    @property
    def message(self) -> Text | None:
        """The latest progress message."""
        with self._lock:
            return self._message

    def _progress(self, done: int, total: int, message: Text) -> None:
        now = time.monotonic()
        if now - self._last >= PROGRESS_INTERVAL or done >= total:
            self._last = now
            with self._lock:
                self._message = message
            self.signals.progress.emit(done, total)

    def run(self) -> None:
        kwargs = dict(self.kwargs)
        if self.with_progress:
            kwargs["progress"] = self._progress
            kwargs["cancel"] = self._cancel.is_set
        try:
            result = self.fn(*self.args, **kwargs)
        except Cancelled:
            outcome, result, error = "cancelled", None, None
        except Exception as exc:  # reported to the window, which shows a clear message
            log.debug("task failed", exc_info=True)
            outcome, result, error = "failed", None, exc
        else:
            outcome, error = ("cancelled" if self._cancel.is_set() else "done"), None
        with self._lock:
            self.outcome, self.result, self.error = outcome, result, error
        self.signals.ended.emit()


class TaskRunner(QObject):
    """Starts tasks on its worker threads and keeps them until they report."""

    def __init__(self, parent: QObject | None = None, *, max_threads: int = 2) -> None:
        super().__init__(parent)
        self.pool = ThreadPoolExecutor(max_workers=max_threads,
                                       thread_name_prefix="soknadspakke-worker")
        self.running: set[Task] = set()
        self._futures: set[Future[None]] = set()

    def start(self, task: Task, *, on_done: Callable[[Any], None] | None = None,
              on_failed: Callable[[BaseException], None] | None = None,
              on_cancelled: Callable[[], None] | None = None,
              on_progress: Callable[[int, int, Text], None] | None = None) -> Task:
        def ended() -> None:
            self.running.discard(task)
            outcome = task.outcome
            if outcome == "done" and on_done is not None:
                on_done(task.result)
            elif outcome == "failed" and on_failed is not None:
                assert task.error is not None
                on_failed(task.error)
            elif outcome == "cancelled" and on_cancelled is not None:
                on_cancelled()

        def progressed(done: int, total: int) -> None:
            message = task.message
            if on_progress is not None and message is not None:
                on_progress(done, total, message)

        task.signals.progress.connect(progressed)
        task.signals.ended.connect(ended)
        self.running.add(task)
        future = self.pool.submit(task.run)
        self._futures.add(future)
        future.add_done_callback(self._futures.discard)
        return task

    def cancel_all(self) -> None:
        for task in list(self.running):
            task.cancel()

    def wait(self, msecs: int = -1) -> bool:
        """Wait for every worker (used on quit, after cancelling); False on time-out."""
        pending = list(self._futures)
        _done, not_done = wait_futures(pending, timeout=None if msecs < 0 else msecs / 1000)
        return not not_done
