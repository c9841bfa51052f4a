"""Project files in the window: the recent applications (one that is gone is dropped), Save As
(a new file the window then works on), the title with the application's name and the unsaved
mark; and where a package goes when the user builds from the menu, with its progress bar."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLineEdit
from pytestqt.qtbot import QtBot

from soknadspakke.core.project_file import load_project
from soknadspakke.gui import settings as keys
from soknadspakke.gui.main_window import MainWindow

from .conftest import ScriptedDialogs, wait_checked

Make = Callable[..., MainWindow]
TITLE = "Utdanningsløp og arbeidsmarkedstilknytning blant unge voksne"


def second_copy(example_copy: Path, name: str) -> Path:
    """Another application, a copy of the example in a folder of its own."""
    folder = example_copy.parent.parent / name
    shutil.copytree(example_copy.parent, folder)
    return folder / example_copy.name


def recent_menu_entries(window: MainWindow) -> list[str]:
    menu = window.menus.recent_menu
    menu.aboutToShow.emit()  # what opening the submenu does first
    return [action.text() for action in menu.actions()]


def test_a_recent_application_that_is_gone_is_dropped(make_window: Make,
                                                      example_copy: Path) -> None:
    other = second_copy(example_copy, "annen")
    window = make_window()
    assert window.open_project(example_copy) and window.open_project(other)
    assert window.settings.recent_projects() == [other.resolve(), example_copy.resolve()]
    assert recent_menu_entries(window) == [str(other.resolve()), str(example_copy.resolve())]
    window.close()
    shutil.rmtree(other.parent)  # moved away or deleted outside the program
    again = make_window()
    # the start page lists only the one still there …
    recent = again.welcome.recent_list
    assert recent.isVisibleTo(again)
    assert [recent.item(r).text() for r in range(recent.count())] == [
        f"ny-soknad — {example_copy.parent.resolve()}"]
    # … so does the menu, and the stored list has forgotten the other
    assert recent_menu_entries(again) == [str(example_copy.resolve())]
    assert again.settings.get(keys.RECENT) == [str(example_copy.resolve())]
    # and the entry opens its application
    again.menus.recent_menu.actions()[0].trigger()
    assert again.session is not None and again.session.project.path == example_copy


def test_save_as_writes_a_new_file_the_window_then_works_on(make_window: Make,
                                                            example_copy: Path,
                                                            dialogs: ScriptedDialogs,
                                                            tmp_path: Path) -> None:
    window = make_window()
    assert window.open_project(example_copy)
    before = example_copy.read_bytes()
    # a folder without the attachments is refused, and the window stays on its file
    (tmp_path / "elsewhere").mkdir()
    dialogs.files.append(tmp_path / "elsewhere" / "kopi.soknad")
    QTest.keySequence(window, QKeySequence(QKeySequence.StandardKey.SaveAs))
    assert dialogs.errors and dialogs.errors[-1][0] == "Cannot save"
    assert "would be outside the new project folder" in dialogs.errors[-1][1]
    assert not (tmp_path / "elsewhere" / "kopi.soknad").exists()
    assert window.session is not None and window.session.project.path == example_copy
    # the folder above holds them: the copy is written there
    target = tmp_path / "kopi.soknad"
    dialogs.files.append(target)
    QTest.keySequence(window, QKeySequence(QKeySequence.StandardKey.SaveAs))
    assert target.is_file()
    assert example_copy.read_bytes() == before  # the original is untouched
    session = window.session
    assert session is not None and session.project.path == target
    assert window.windowTitle().startswith(f"{TITLE} (kopi.soknad)")
    assert not window.isWindowModified()
    assert window.settings.recent_projects()[0] == target.resolve()
    # the copy in its new folder still finds every document
    copy = load_project(target)
    assert [d.path for d in copy.documents][:1] == ["ny-soknad/vedlegg/01-soknadsskjema.pdf"]
    assert len(copy.documents) == 9
    assert all(copy.resolve(d).is_file() for d in copy.documents)
    # the next edit and Save go to the new file
    title = window.form.fields["project.ssb_reference"].editor  # type: ignore[union-attr]
    assert isinstance(title, QLineEdit)
    title.setFocus()
    QTest.keyClicks(title, "SSB-2026-9")
    QTest.keySequence(window, QKeySequence(QKeySequence.StandardKey.Save))
    assert load_project(target).info.ssb_reference == "SSB-2026-9"
    assert load_project(example_copy).info.ssb_reference == ""


def test_the_title_names_the_application_and_marks_unsaved_work(make_window: Make,
                                                                example_copy: Path) -> None:
    window = make_window()
    assert window.windowTitle() == "Søknadspakke"
    assert window.open_project(example_copy)
    assert window.windowTitle() == f"{TITLE} (ny-soknad.soknad)[*] – Søknadspakke"
    assert not window.isWindowModified()
    line = window.form.fields["project.title"].editor  # type: ignore[union-attr]
    assert isinstance(line, QLineEdit)
    line.setFocus()
    line.selectAll()
    QTest.keyClicks(line, "Ny tittel")
    assert window.isWindowModified()
    assert window.windowTitle() == "Ny tittel (ny-soknad.soknad)[*] – Søknadspakke"
    QTest.keySequence(window, QKeySequence(QKeySequence.StandardKey.Save))
    assert not window.isWindowModified()
    assert window.windowTitle() == "Ny tittel (ny-soknad.soknad)[*] – Søknadspakke"
    # undoing past the save is unsaved work again
    QTest.keySequence(window, QKeySequence(QKeySequence.StandardKey.Undo))
    assert window.isWindowModified()
    assert window.windowTitle().startswith(TITLE)


@pytest.mark.parametrize(("language", "name"), [("en", "ny-soknad-application-package.pdf"),
                                                ("nb", "ny-soknad-soknadspakke.pdf")])
def test_the_package_is_offered_beside_the_application(
        make_window: Make, example_copy: Path, dialogs: ScriptedDialogs,
        monkeypatch: pytest.MonkeyPatch, language: str, name: str) -> None:
    asked: list[str] = []

    def package_path(suggested: str) -> Path | None:
        asked.append(suggested)
        return None  # the user cancels the save dialog

    monkeypatch.setattr(dialogs, "package_path", package_path)
    window = make_window(language)
    assert window.open_project(example_copy)
    QTest.keyClick(window, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    assert asked == [str(example_copy.parent / name)]
    assert window.build_process is None  # cancelled: nothing started
    assert not window.builds.progress.isVisible()


def test_the_progress_bar_shows_while_building_only(qtbot: QtBot, make_window: Make,
                                                    example_copy: Path,
                                                    dialogs: ScriptedDialogs) -> None:
    window = make_window()
    assert window.open_project(example_copy)
    wait_checked(qtbot, window)
    progress, stop = window.builds.progress, window.builds.cancel_button
    assert not progress.isVisible() and not stop.isVisible()
    out = example_copy.parent / "pakke.pdf"
    dialogs.files.append(out)
    QTest.keyClick(window, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    process = window.build_process
    assert process is not None and process.running
    assert progress.isVisible() and stop.isVisible()
    assert not window._actions["build"].isEnabled()
    with qtbot.waitSignal(process.done, timeout=120000):
        pass
    assert out.is_file()
    assert not progress.isVisible() and not stop.isVisible()
    assert window._actions["build"].isEnabled()
    assert dialogs.asked[-1][0] == "The package is ready"
