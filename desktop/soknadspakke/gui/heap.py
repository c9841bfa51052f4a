"""The cyclic garbage collector in a window with worker threads: on the GUI thread only, and
kept off what lives as long as the open application.

**On the GUI thread only.** CPython collects in whichever thread happens to allocate. Intake
and the preview's flattening run on Python worker threads, so a collection started there
frees whatever cyclic garbage exists at that moment — Qt wrappers of closed windows and
dialogs, a previewed ``QPdfDocument`` — on the wrong thread. A Qt object deleted outside its
thread can crash the program; the window's tests did so (a QtPdf test after the table-model
tests in one process segfaulted or ran out of memory; it stopped with this collector).
:class:`Collector` turns automatic collection off and runs it from a timer on the GUI thread
instead, with CPython's own thresholds (the pattern PyQt's documentation and Anki use).

**Off the long-lived objects.** Intake keeps what it learns (a result per file), so the heap
grows while files are taken in, and each time the long-lived objects have grown by a quarter a
full pass walks all of them with the GIL held: everything the window holds (Qt wrappers, the
rule pack, the project, the results) — about 50 ms on a 2-core machine, 16 times while 200
files are taken in, each a stall of the window (``benchmarks/gui_bench.py``). :func:`settle`
moves what lives as long as the open application out of the collector's sight
(:func:`gc.freeze`) once it is shown, and gives it back (:func:`gc.unfreeze`) when the next
one is shown, so reference cycles among them are still freed; reference counting frees
everything else as usual.
"""

from __future__ import annotations

import gc
import time

from PySide6.QtCore import QObject, QTimer

#: How often the GUI thread looks whether a collection is due (ms).
INTERVAL_MS = 250
#: A full pass at most this often (s); CPython itself skips full passes until the long-lived
#: objects have grown by a quarter, which a timer cannot see cheaply.
FULL_PASS_EVERY_S = 5.0


class _Process:
    settled = False  # whether settle() ran in this process


def settle() -> None:
    """Collect what is garbage now (a full pass: 70–100 ms with a window open), then freeze
    what is left. The window calls this when it has shown an application; the first time in
    a process it skips the pass (start-up leaves little garbage; the next settle frees it)."""
    gc.unfreeze()
    if _Process.settled:
        gc.collect()
    _Process.settled = True
    gc.freeze()


def keep() -> None:
    """Freeze what exists now, without a pass (cheap): the session calls this when it has
    taken in new results that live as long as the application (a file check, files taken
    in), so the collector's full passes do not walk them again and again (a pass over a
    60-document application's results took 73 ms on the GUI thread during a build)."""
    gc.freeze()


class Collector(QObject):
    """Runs the garbage collector's passes on the GUI thread, when CPython would have."""

    def __init__(self, parent: QObject | None = None, interval_ms: int = INTERVAL_MS) -> None:
        super().__init__(parent)
        self.passes = 0
        self._last_full = time.monotonic()
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.check)
        gc.disable()
        self._timer.start()

    def check(self) -> None:
        """Collect the oldest generation whose count is over its threshold, if any."""
        counts, thresholds = gc.get_count(), gc.get_threshold()
        for generation in (2, 1, 0):
            if thresholds[generation] and counts[generation] > thresholds[generation]:
                if generation == 2:
                    if time.monotonic() - self._last_full < FULL_PASS_EVERY_S:
                        continue
                    self._last_full = time.monotonic()
                gc.collect(generation)
                self.passes += 1
                return


def install(app: QObject) -> Collector:
    """The application's collector (made on first use; one for the process)."""
    found: object = app.findChild(Collector)
    return found if isinstance(found, Collector) else Collector(app)
