"""The window's tests: real widgets, offscreen (or under Xvfb with QT_QPA_PLATFORM=xcb), with
the program's own font, private settings, and Qt warnings failing the test (pyproject)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402

pytest.importorskip("PySide6.QtWidgets", reason="the window needs PySide6")

from PySide6.QtCore import QSettings, QStandardPaths  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

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
