"""``soknadspakke`` decides between the window and the command line (``__main__``): the
README's first command (``soknadspakke example``) builds the example's package, prints its path
and opens it in the window where there is a display, and never tries to where there is none."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

import soknadspakke.__main__ as entry


@pytest.fixture
def windows(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """The windows that would open (their arguments), instead of opening them."""
    opened: list[list[str]] = []

    def run_window(args: list[str]) -> int:
        opened.append(list(args))
        return 0

    monkeypatch.setattr(entry, "run_window", run_window)
    monkeypatch.setattr(entry, "gui_installed", lambda: True)
    return opened


@pytest.mark.parametrize("display", [True, False])
def test_the_example_is_built_then_opened_where_there_is_a_display(
        windows: list[list[str]], monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
        capsys: pytest.CaptureFixture[str], display: bool) -> None:
    monkeypatch.setattr(entry, "display_available", lambda: display)
    assert entry.main(["example", "--out", str(tmp_path), "--lang", "en"]) == 0
    (package,) = (tmp_path / "ny-soknad").glob("*.pdf")
    assert str(package) in capsys.readouterr().out
    project = (tmp_path / "ny-soknad" / "ny-soknad.soknad").resolve()
    assert windows == ([[str(project)]] if display else [])


def test_no_window_is_never_opened_with_no_window(windows: list[list[str]],
                                                  monkeypatch: pytest.MonkeyPatch,
                                                  tmp_path: Path) -> None:
    monkeypatch.setattr(entry, "display_available", lambda: True)
    assert entry.main(["example", "--out", str(tmp_path), "--no-window"]) == 0
    assert windows == []


@pytest.mark.parametrize(("args", "window"), [
    ([], True), (["soknad.soknad"], True), (["--quit-after-start"], True),
    (["--help"], False), (["--version"], False), (["validate", "soknad.soknad"], False),
])
def test_the_window_s_arguments(args: list[str], window: bool) -> None:
    assert entry.wants_window(args) is window


def test_no_arguments_open_the_window_where_there_is_a_display(
        windows: list[list[str]], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(entry, "display_available", lambda: True)
    assert entry.main([]) == 0
    assert entry.main(["prosjekt.soknad"]) == 0
    assert windows == [[], ["prosjekt.soknad"]]


def test_without_a_display_no_arguments_give_the_help(
        windows: list[list[str]], monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(entry, "display_available", lambda: False)
    entry.main(["--lang", "en"])
    assert windows == []
    assert "usage: soknadspakke" in capsys.readouterr().out


@pytest.mark.parametrize(("env", "available"), [
    ({"QT_QPA_PLATFORM": "offscreen", "DISPLAY": ":0"}, False),
    ({"QT_QPA_PLATFORM": "", "DISPLAY": ":0"}, True),
    ({"QT_QPA_PLATFORM": "", "DISPLAY": "", "WAYLAND_DISPLAY": ""}, False),
])
def test_display_available_on_linux(monkeypatch: pytest.MonkeyPatch, env: dict[str, str],
                                    available: bool) -> None:
    monkeypatch.setattr(sys, "platform", "linux")
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert entry.display_available() is available
