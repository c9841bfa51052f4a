"""The window's tests: real widgets, offscreen (or under Xvfb with QT_QPA_PLATFORM=xcb), with
the program's own font, private settings, and Qt warnings failing the test (pyproject)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest

pytest.importorskip("PySide6.QtWidgets", reason="the window needs PySide6")

from PySide6.QtCore import QSettings, QStandardPaths
from PySide6.QtWidgets import QApplication

if TYPE_CHECKING:
    from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "resources" / "examples" / "ny-soknad"


@pytest.fixture(scope="session")
def qapp_args() -> list[str]:
    return ["soknadspakke-tests"]


@pytest.fixture(scope="session", autouse=True)
def _app_setup(qapp: QApplication) -> None:
    from soknadspakke.gui.app import setup_application

    QStandardPaths.setTestModeEnabled(True)
    setup_application(qapp)


@pytest.fixture
def settings(tmp_path: Path) -> Iterator[QSettings]:
    store = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    yield store
    store.sync()


class ScriptedDialogs:
    """Answers the window's questions in the user's place, from queues a test fills; records
    every question so a test can check what was asked."""

    def __init__(self) -> None:
        from soknadspakke.gui.dialogs import Choice

        self.Choice = Choice
        self.answers: list[object] = []
        self.files: list[object] = []
        self.passwords_given: dict[str, str] = {}
        self.asked: list[tuple[str, str]] = []
        self.errors: list[tuple[str, str]] = []
        self.informed: list[tuple[str, str, str]] = []

    def _next_file(self) -> object:
        return self.files.pop(0) if self.files else None

    def open_project(self, folder: str) -> object:
        return self._next_file()

    def save_project(self, suggested: str) -> object:
        return self._next_file()

    def add_files(self, folder: str) -> object:
        return self._next_file() or []

    def folder(self, title: str, folder: str) -> object:
        return self._next_file()

    def package_path(self, suggested: str) -> object:
        return self._next_file()

    def ask(self, title: str, text: str, choices: object, detail: str = "") -> object:
        self.asked.append((title, text))
        return self.answers.pop(0) if self.answers else self.Choice.CANCEL

    def inform(self, title: str, text: str, detail: str = "") -> None:
        self.informed.append((title, text, detail))

    def error(self, title: str, text: str) -> None:
        self.errors.append((title, text))

    def passwords(self, files: object) -> dict[str, str]:
        self.asked.append(("passwords", ", ".join(map(str, files))))  # type: ignore[call-overload]
        return dict(self.passwords_given)


@pytest.fixture
def dialogs() -> ScriptedDialogs:
    return ScriptedDialogs()


@pytest.fixture
def example_copy(tmp_path: Path) -> Path:
    import shutil

    shutil.copytree(EXAMPLE, tmp_path / "ny-soknad")
    return tmp_path / "ny-soknad" / "ny-soknad.soknad"


@pytest.fixture
def make_window(qtbot: object, settings: QSettings, tmp_path: Path, dialogs: ScriptedDialogs):
    """A real main window with private settings, recovery folder and intake cache."""
    from soknadspakke.gui.main_window import MainWindow
    from soknadspakke.gui.recovery import RecoveryStore
    from soknadspakke.gui.settings import Settings
    from soknadspakke.intake import IntakeCache

    made: list[object] = []

    def make(language: str = "en") -> MainWindow:
        window = MainWindow(settings=Settings(settings), language=language,
                            recovery=RecoveryStore(tmp_path / "recovery"),
                            cache=IntakeCache(tmp_path / "cache"),
                            dialogs=dialogs)  # type: ignore[arg-type]
        qtbot.addWidget(window)  # type: ignore[attr-defined]
        window.show()
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow, timeout=2000)  # type: ignore[attr-defined]
        made.append(window)
        return window

    yield make
    for window in made:
        window.force_close()  # type: ignore[attr-defined]


def wait_checked(qtbot: object, window: object, timeout: int = 30000) -> None:
    """Until the file checks of the open application are done."""
    session = window.session  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: not session.checking and not session._check_timer.isActive()  # type: ignore[attr-defined]
                    and bool(session.results) == bool(session.project.documents),
                    timeout=timeout)


def drag_events(pos: object, args: tuple[object, ...]
                ) -> tuple[QDragEnterEvent, QDragMoveEvent]:
    """DragEnter and DragMove at ``pos`` (a QPointF): PySide6 6.11 takes a QPoint for these,
    6.12 a QPointF (its QPoint overloads are deprecated). Chosen by the version, not by trying
    one: a call no overload matches makes shiboken rescan the loaded modules for its message,
    which aborts the interpreter when a worker thread imports a module at that moment
    ("seterror_argument failed to call update_mapping")."""
    import PySide6
    from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent

    point: Any = pos if PySide6.__version_info__ >= (6, 12) else pos.toPoint()  # type: ignore[attr-defined]
    return QDragEnterEvent(point, *args), QDragMoveEvent(point, *args)


def checklist_text(window: object) -> str:
    """Every line of the window's checklist (groups, items and their details), in order."""
    from PySide6.QtCore import QModelIndex

    model = window.checklist.model  # type: ignore[attr-defined]
    lines: list[str] = []

    def walk(parent: QModelIndex) -> None:
        for r in range(model.rowCount(parent)):
            index = model.index(r, 0, parent)
            lines.append(index.data())
            walk(index)

    walk(QModelIndex())
    return "\n".join(lines)
