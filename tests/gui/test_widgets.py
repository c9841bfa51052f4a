"""Small widgets and helpers of the window, alone."""

from __future__ import annotations

from PySide6.QtGui import QPaintEvent
from PySide6.QtWidgets import QApplication, QProgressBar, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from soknadspakke.gui.selection_status import _runs
from soknadspakke.gui.widgets import set_progress


class CountingBar(QProgressBar):
    paints = 0

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        CountingBar.paints += 1
        super().paintEvent(event)


def test_set_progress_leaves_the_repaint_to_the_event_loop(qtbot: QtBot) -> None:
    """QProgressBar.setValue repaints at once (and with it every pending region of the
    window); set_progress lets the event loop paint it with the rest, once."""
    window = QWidget()
    qtbot.addWidget(window)
    bar = CountingBar(window)
    QVBoxLayout(window).addWidget(bar)
    bar.setRange(0, 100)
    window.show()
    qtbot.waitExposed(window)
    QApplication.processEvents()
    before = CountingBar.paints
    bar.setValue(50)
    assert CountingBar.paints == before + 1  # Qt's own: painted inside the call
    set_progress(bar, 60)
    assert bar.value() == 60
    assert CountingBar.paints == before + 1  # not inside the call …
    qtbot.waitUntil(lambda: CountingBar.paints == before + 2, timeout=2000)  # … but soon
    set_progress(bar, 60)  # no change: nothing to paint
    QApplication.processEvents()
    assert CountingBar.paints == before + 2


def test_runs_of_rows() -> None:
    assert _runs([]) == []
    assert _runs([4]) == [(4, 4)]
    assert _runs([0, 1, 2, 5, 7, 8]) == [(0, 2), (5, 5), (7, 8)]
    assert _runs([1, 1, 2]) == [(1, 2)]
