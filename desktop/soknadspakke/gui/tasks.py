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
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot

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

    progress = Signal(int, int, int)  # task number, done, total; the message is Task.message
    ended = Signal(int)  # task number; read Task.outcome, Task.result, Task.error


class Task:
    """One call of a core function on a worker thread."""

    def __init__(self, fn: Callable[..., Any], *args: Any, with_progress: bool = True,
                 **kwargs: Any) -> None:
        self.signals = TaskSignals()
        self.number = 0  # set by the runner
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
            self._emit(self.signals.progress, self.number, done, total)

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
        self._emit(self.signals.ended, self.number)

    @staticmethod
    def _emit(signal: Any, *args: int) -> None:
        try:
            signal.emit(*args)
        except RuntimeError:  # the window went away while this ran: nobody to tell
            log.debug("task finished after its runner was deleted")


class TaskRunner(QObject):
    """Starts tasks on its worker threads and keeps them until they report.

    Tasks report to slots of the runner itself (not to Python closures), so a report that
    arrives after the runner is gone is dropped by Qt instead of reaching a deleted object.
    """

    def __init__(self, parent: QObject | None = None, *, max_threads: int = 2) -> None:
        super().__init__(parent)
        self.pool = ThreadPoolExecutor(max_workers=max_threads,
                                       thread_name_prefix="soknadspakke-worker")
        self.running: set[Task] = set()
        self._callbacks: dict[int, tuple[Task, _Callbacks]] = {}
        self._futures: set[Future[None]] = set()
        self._count = 0

    def start(self, task: Task, *, on_done: Callable[[Any], None] | None = None,
              on_failed: Callable[[BaseException], None] | None = None,
              on_cancelled: Callable[[], None] | None = None,
              on_progress: Callable[[int, int, Text], None] | None = None) -> Task:
        self._count += 1
        task.number = self._count
        task.signals.setParent(self)
        task.signals.progress.connect(self._progressed)
        task.signals.ended.connect(self._ended)
        self._callbacks[task.number] = (task, _Callbacks(on_done, on_failed, on_cancelled,
                                                         on_progress))
        self.running.add(task)
        future = self.pool.submit(task.run)
        self._futures.add(future)
        future.add_done_callback(self._futures.discard)
        return task

    @Slot(int, int, int)
    def _progressed(self, number: int, done: int, total: int) -> None:
        entry = self._callbacks.get(number)
        if entry is None:
            return
        task, callbacks = entry
        message = task.message
        if callbacks.on_progress is not None and message is not None:
            callbacks.on_progress(done, total, message)

    @Slot(int)
    def _ended(self, number: int) -> None:
        entry = self._callbacks.pop(number, None)
        if entry is None:
            return
        task, callbacks = entry
        self.running.discard(task)
        task.signals.deleteLater()
        if task.outcome == "done" and callbacks.on_done is not None:
            callbacks.on_done(task.result)
        elif task.outcome == "failed" and callbacks.on_failed is not None:
            assert task.error is not None
            callbacks.on_failed(task.error)
        elif task.outcome == "cancelled" and callbacks.on_cancelled is not None:
            callbacks.on_cancelled()

    def cancel_all(self) -> None:
        for task in list(self.running):
            task.cancel()

    def wait(self, msecs: int = -1) -> bool:
        """Wait for every worker (used on quit, after cancelling); False on time-out."""
        pending = list(self._futures)
        _done, not_done = wait_futures(pending, timeout=None if msecs < 0 else msecs / 1000)
        return not not_done


@dataclass(frozen=True)
class _Callbacks:
    on_done: Callable[[Any], None] | None
    on_failed: Callable[[BaseException], None] | None
    on_cancelled: Callable[[], None] | None
    on_progress: Callable[[int, int, Text], None] | None


#: What the first file taken in and the first form previewed load (pypdf, Pillow, reportlab:
#: ~150 ms of imports on this machine).
WARM_MODULES = ("pypdf", "PIL.Image", "reportlab.pdfgen.canvas", "soknadspakke.pdf.preview")


def warm_up(modules: tuple[str, ...] = WARM_MODULES) -> threading.Thread:
    """Import ``modules`` on a background thread while the user looks at the new window.

    Start-up does not wait for them (the window draws first); without this the first drop
    waits for them instead, and the GIL that loading a C extension holds stalls the window
    (a 50–60 ms stall in ``benchmarks/gui_bench.py``). Failing imports are only logged: the
    code that needs a module imports it again and reports the problem where it matters.
    """
    def run() -> None:
        import importlib

        for name in modules:
            try:
                importlib.import_module(name)
            except Exception:
                log.info("warming up %s failed", name, exc_info=True)

    thread = threading.Thread(target=run, name="soknadspakke-warm-up", daemon=True)
    thread.start()
    return thread
