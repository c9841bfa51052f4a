"""The parts of packaging that can be checked without building: the frozen entry script, the
application icon, and the one place the version comes from."""

from __future__ import annotations

import importlib.util
import os
import re
import sys
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path
from types import ModuleType

import pytest
from PIL import Image

import soknadspakke

REPO = Path(__file__).resolve().parents[2]
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before Qt starts (tools/test.sh sets it)
ICONS = REPO / "resources" / "icons"


def _load(path: Path, name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def launcher() -> ModuleType:
    return _load(REPO / "packaging" / "launcher.py", "soknadspakke_launcher")


@pytest.fixture
def frozen_at(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    bundle = tmp_path / "dist" / "soknadspakke" / "_internal"
    bundle.mkdir(parents=True)
    monkeypatch.setattr(sys, "_MEIPASS", str(bundle), raising=False)
    return bundle


def test_launcher_gives_back_the_users_library_path(launcher: ModuleType, frozen_at: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    # What PyInstaller's bootloader leaves: the bundle first, the user's value saved aside.
    monkeypatch.setenv("LD_LIBRARY_PATH", f"{frozen_at}{os.pathsep}/home/me/lib")
    monkeypatch.setenv("LD_LIBRARY_PATH_ORIG", "/home/me/lib")
    monkeypatch.setenv("DYLD_LIBRARY_PATH", f"{frozen_at}{os.pathsep}/opt/mine")
    monkeypatch.setenv("QT_PLUGIN_PATH", str(frozen_at / "PySide6" / "Qt" / "plugins"))
    monkeypatch.setenv("QML2_IMPORT_PATH", str(frozen_at / "PySide6" / "Qt" / "qml"))
    launcher.restore_library_path()
    assert os.environ["LD_LIBRARY_PATH"] == "/home/me/lib"
    assert "LD_LIBRARY_PATH_ORIG" not in os.environ
    assert os.environ["DYLD_LIBRARY_PATH"] == "/opt/mine"
    if sys.platform.startswith("linux"):
        assert "QT_PLUGIN_PATH" not in os.environ
        assert "QML2_IMPORT_PATH" not in os.environ


def test_launcher_removes_a_library_path_the_user_did_not_have(
        launcher: ModuleType, frozen_at: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LD_LIBRARY_PATH", str(frozen_at))
    monkeypatch.delenv("LD_LIBRARY_PATH_ORIG", raising=False)
    monkeypatch.setenv("DYLD_LIBRARY_PATH", str(frozen_at))
    launcher.restore_library_path()
    assert "LD_LIBRARY_PATH" not in os.environ
    assert "DYLD_LIBRARY_PATH" not in os.environ


def test_launcher_leaves_an_unfrozen_run_alone(launcher: ModuleType,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(sys, "_MEIPASS", raising=False)
    monkeypatch.setenv("LD_LIBRARY_PATH", "/somewhere")
    monkeypatch.setenv("LD_LIBRARY_PATH_ORIG", "/elsewhere")
    launcher.restore_library_path()
    assert os.environ["LD_LIBRARY_PATH"] == "/somewhere"
    assert os.environ["LD_LIBRARY_PATH_ORIG"] == "/elsewhere"


def test_version_has_one_source() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" not in project["project"]
    assert "version" in project["project"]["dynamic"]
    assert project["tool"]["hatch"]["version"]["path"] == "desktop/soknadspakke/__init__.py"
    # The spec reads the same line the package defines.
    spec_text = (REPO / "packaging" / "soknadspakke.spec").read_text(encoding="utf-8")
    pattern = re.search(r'r\'(\^__version__[^\']+)\'', spec_text)
    assert pattern is not None
    init = (REPO / "desktop" / "soknadspakke" / "__init__.py").read_text(encoding="utf-8")
    found = re.search(pattern.group(1), init, re.MULTILINE)
    assert found is not None and found.group(1) == soknadspakke.__version__
    # The installers take it from the program, never from a number of their own.
    iss = (REPO / "packaging" / "windows" / "soknadspakke.iss").read_text(encoding="utf-8")
    assert re.search(r"#define AppVersion\s+GetStringFileInfo\(", iss)
    assert not re.search(r"\b\d+\.\d+\.\d+\b", iss)


def test_icon_files_hold_every_size_the_platforms_ask_for() -> None:
    with Image.open(ICONS / "soknadspakke.png") as png:
        assert (png.format, png.size, png.mode) == ("PNG", (256, 256), "RGBA")
    with Image.open(ICONS / "soknadspakke.ico") as ico:
        assert {(n, n) for n in (16, 24, 32, 48, 64, 128, 256)} <= set(ico.info["sizes"])
    with Image.open(ICONS / "soknadspakke.icns") as icns:
        assert icns.size == (1024, 1024)
        assert {(n, n, 1) for n in (128, 256, 512)} <= set(icns.info["sizes"])
    total = sum(p.stat().st_size for p in ICONS.iterdir())
    assert total < 300_000, f"icons take {total} bytes; keep binary files small"


def test_svg_and_png_icons_show_the_same_drawing(qapp: object) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QColor, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    svg_path = ICONS / "soknadspakke.svg"
    ET.parse(svg_path)  # well-formed
    renderer = QSvgRenderer(str(svg_path))
    assert renderer.isValid()
    image = QImage(256, 256, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    renderer.render(painter)
    painter.end()
    with Image.open(ICONS / "soknadspakke.png") as opened:
        png = opened.convert("RGBA")
    # Transparent corner, blue tile, white sheet, grey text line, green badge, white tick.
    for x, y in ((3, 3), (30, 128), (70, 200), (100, 95), (178, 215), (175, 193)):
        qt: QColor = image.pixelColor(x, y)
        pil = png.getpixel((x, y))
        assert isinstance(pil, tuple)
        assert abs(qt.alpha() - pil[3]) < 40, (x, y)
        if pil[3] > 200:
            assert max(abs(a - b) for a, b in zip((qt.red(), qt.green(), qt.blue()), pil[:3],
                                                  strict=True)) < 40, (x, y, qt.name(), pil)
