"""The garbage collector runs on the GUI thread only (gui/heap.py)."""

from __future__ import annotations

import gc
import sys
import threading
from typing import ClassVar

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from soknadspakke.gui import heap


class Cycle:
    """Garbage only the cyclic collector frees; says on which thread it was freed."""

    freed_on: ClassVar[list[threading.Thread]] = []

    def __init__(self) -> None:
        self.me = self

    def __del__(self) -> None:
        Cycle.freed_on.append(threading.current_thread())


def test_garbage_made_on_a_worker_is_collected_on_the_gui_thread(qtbot: QtBot) -> None:
    app = QApplication.instance()
    assert app is not None
    collector = heap.install(app)
    assert heap.install(app) is collector  # one for the process
    assert not gc.isenabled()
    Cycle.freed_on.clear()
    passes = collector.passes

    def work() -> None:
        for _ in range(20_000):  # far past the first generation's threshold
            Cycle()

    worker = threading.Thread(target=work)
    worker.start()
    worker.join()
    assert Cycle.freed_on == []  # nothing collected on the worker
    qtbot.waitUntil(lambda: len(Cycle.freed_on) == 20_000, timeout=10_000)
    assert collector.passes > passes
    assert {t.name for t in Cycle.freed_on} == {threading.main_thread().name}


def test_settle_freezes_what_is_alive_and_frees_old_cycles() -> None:
    heap.settle()  # the first in a process only freezes
    Cycle.freed_on.clear()
    Cycle()
    heap.settle()
    assert len(Cycle.freed_on) == 1
    assert gc.get_freeze_count() > 0
    heap.settle()
    assert len(Cycle.freed_on) == 1


def test_workers_hand_the_gil_to_the_window_often() -> None:
    from soknadspakke.gui.app import GIL_SWITCH_INTERVAL_S

    assert sys.getswitchinterval() == GIL_SWITCH_INTERVAL_S <= 0.001  # set up with the app
