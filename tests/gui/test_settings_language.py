"""What the window remembers and how it starts: its layout, the last folder and the language
for the next window; the system's language when none is chosen; the program's own font with
the Norwegian letters; and ``soknadspakke`` opening the window with no application."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QByteArray, QLocale, QSettings, Qt
from PySide6.QtGui import QFontInfo, QFontMetrics, QKeySequence, QRawFont
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from soknadspakke.gui import settings as keys
from soknadspakke.gui.main_window import MainWindow

from .conftest import REPO, ScriptedDialogs

Make = Callable[..., MainWindow]
NORWEGIAN = "æøå ÆØÅ"


def with_preview(qtbot: QtBot, window: MainWindow) -> MainWindow:
    """Once the preview dock is made and laid out (it is made after the window first draws,
    and restores the saved layout again)."""
    qtbot.waitUntil(lambda: window._preview is not None and window._preview.isVisible(),
                    timeout=5000)
    return window


def test_the_window_layout_is_kept_for_the_next_window(qtbot: QtBot, make_window: Make,
                                                       settings: QSettings) -> None:
    window = with_preview(qtbot, make_window())
    left, right = Qt.DockWidgetArea.LeftDockWidgetArea, Qt.DockWidgetArea.RightDockWidgetArea
    assert window.dockWidgetArea(window.project_dock) == left
    assert window.checklist_dock.isVisibleTo(window)
    assert window.settings.get(keys.WINDOW_STATE).isEmpty()
    # the user hides the checklist (View menu) and puts the project dock on the right
    window.checklist_dock.toggleViewAction().trigger()
    window.addDockWidget(right, window.project_dock)
    assert window.close()
    assert not window.settings.get(keys.WINDOW_STATE).isEmpty()
    again = with_preview(qtbot, make_window())
    assert again.dockWidgetArea(again.project_dock) == right
    assert not again.checklist_dock.isVisibleTo(again)
    assert not again.checklist_dock.toggleViewAction().isChecked()
    assert again.preview.isVisibleTo(again)  # the rest as it was


def test_the_last_folder_is_where_the_next_dialog_opens(qtbot: QtBot, make_window: Make,
                                                        example_copy: Path,
                                                        dialogs: ScriptedDialogs,
                                                        monkeypatch: pytest.MonkeyPatch,
                                                        tmp_path: Path) -> None:
    asked: list[tuple[str, str]] = []

    def recording(kind: str, answer: Callable[[str], object]) -> Callable[[str], object]:
        def ask(folder: str) -> object:
            asked.append((kind, folder))
            return answer(folder)
        return ask

    monkeypatch.setattr(dialogs, "open_project", recording("open", dialogs.open_project))
    monkeypatch.setattr(dialogs, "add_files", recording("add", dialogs.add_files))
    window = make_window()
    # opened from the Open dialog: its folder is the last folder
    dialogs.files.append(example_copy)
    QTest.keySequence(window, QKeySequence(QKeySequence.StandardKey.Open))
    assert window.session is not None and window.session.project.path == example_copy
    assert asked == [("open", str(Path.home()))]  # nothing remembered yet: the home folder
    # files added from another folder: that one is the last folder now
    inbox = tmp_path / "innboks"
    inbox.mkdir()
    shutil.copy(example_copy.parent / "vedlegg" / "09-begrunnelse-postnummer.pdf",
                inbox / "begrunnelse.pdf")
    dialogs.files.append([inbox / "begrunnelse.pdf"])
    QTest.keyClick(window, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)
    assert asked[-1] == ("add", str(example_copy.parent))
    session = window.session
    qtbot.waitUntil(lambda: len(session.project.documents) == 10, timeout=60000)
    assert window.save()
    window.close()
    # the next window's Open dialog starts there
    again = make_window()
    QTest.keySequence(again, QKeySequence(QKeySequence.StandardKey.Open))
    assert asked[-1] == ("open", str(inbox))


def test_the_language_chosen_is_the_next_windows(make_window: Make) -> None:
    window = make_window("nb")
    assert window.file_menu.title() == "&Fil"
    window.menus.language_actions["en"].trigger()  # View ▸ Language ▸ English
    assert window.file_menu.title() == "&File"
    window.close()
    english = make_window("")  # the language the settings hold
    assert english.file_menu.title() == "&File"
    assert english.menus.language_actions["en"].isChecked()
    english.menus.language_actions["nb"].trigger()
    english.close()
    bokmal = make_window("")
    assert bokmal.file_menu.title() == "&Fil"
    assert bokmal.welcome.recent_label.text() == "Nylig brukte søknader"
    assert bokmal.menus.language_actions["nb"].isChecked()


@pytest.mark.parametrize(("system", "menu"), [("nb_NO", "&Fil"), ("no_NO", "&Fil"),
                                              ("en_GB", "&File"), ("en_US", "&File")])
def test_with_no_language_chosen_the_window_speaks_the_systems(
        make_window: Make, monkeypatch: pytest.MonkeyPatch, system: str, menu: str) -> None:
    monkeypatch.setattr(QLocale, "system", staticmethod(lambda: QLocale(system)))
    window = make_window("")
    assert window.settings.get(keys.LANGUAGE) == ""
    assert window.file_menu.title() == menu


def test_the_programs_own_font_draws_the_norwegian_letters() -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    bundled = QRawFont(str(REPO / "resources" / "fonts" / "DejaVuSans.ttf"), 12)
    assert bundled.isValid() and bundled.familyName() == "DejaVu Sans"
    font = app.font()
    assert font.family() == bundled.familyName()
    assert QFontInfo(font).family() == bundled.familyName()
    metrics = QFontMetrics(font)
    assert all(metrics.inFontUcs4(ord(c)) for c in NORWEGIAN)
    raw = QRawFont.fromFont(font)
    assert all(raw.supportsCharacter(ord(c)) for c in NORWEGIAN)


FONT_PROBE = """
import sys
from PySide6.QtGui import QFontInfo, QFontMetrics, QRawFont
from PySide6.QtWidgets import QApplication
from soknadspakke.gui.app import setup_application

app = QApplication(["probe"])
letters = "æøåÆØÅ"
before = all(QFontMetrics(app.font()).inFontUcs4(ord(c)) for c in letters)
setup_application(app)
font = app.font()
print(before, QFontInfo(font).family(),
      all(QFontMetrics(font).inFontUcs4(ord(c)) for c in letters),
      all(QRawFont.fromFont(font).supportsCharacter(ord(c)) for c in letters))
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fontconfig's settings")
def test_on_a_machine_with_no_fonts_the_letters_are_still_drawn(tmp_path: Path) -> None:
    """With fontconfig offering no font at all, the shipped one still draws æøå."""
    empty = tmp_path / "fonts.conf"
    empty.write_text('<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n'
                     "<fontconfig></fontconfig>\n", encoding="utf-8")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", FONTCONFIG_FILE=str(empty),
               PYTHONPATH=str(REPO / "desktop"), XDG_CACHE_HOME=str(tmp_path / "cache"))
    done = subprocess.run([sys.executable, "-c", FONT_PROBE], env=env, capture_output=True,
                          text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    # no letters without it (so the machine really has no fonts), all of them with it
    assert done.stdout.split() == ["False", "DejaVu", "Sans", "True", "True"]


def test_soknadspakke_with_no_application_opens_the_window(tmp_path: Path) -> None:
    """``soknadspakke`` alone opens the window where there is a display; offscreen (no display)
    it prints the command line's help by design (``__main__.display_available``), so the
    window is asked for with ``--quit-after-start``, as installers' smoke tests do."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(REPO / "desktop"),
               XDG_CONFIG_HOME=str(tmp_path / "cfg"), XDG_STATE_HOME=str(tmp_path / "state"),
               XDG_DATA_HOME=str(tmp_path / "data"))
    done = subprocess.run([sys.executable, "-m", "soknadspakke", "--quit-after-start"],
                          env=env, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert "usage" not in done.stdout.lower()  # not the command line's help
    # the window was shown and closed: it kept its layout in the program's settings
    store = QSettings(str(tmp_path / "cfg" / "soknadspakke.no" / "Soknadspakke.conf"),
                      QSettings.Format.IniFormat)
    state = store.value("window/state")
    assert isinstance(state, QByteArray) and not state.isEmpty()
    assert "project".encode("utf-16-be") in state.data()  # the docks' names
    # without the flag, offscreen, it is the command line
    help_run = subprocess.run([sys.executable, "-m", "soknadspakke"], env=env,
                              capture_output=True, text=True, timeout=60, check=False)
    assert help_run.returncode == 0 and "usage: soknadspakke" in help_run.stdout
