"""Starting the window: the application object, its font and language, then the main window.

``soknadspakke`` with no arguments and ``soknadspakke PROJECT.soknad`` come here (see
``__main__``); ``--quit-after-start`` opens the window, lets it draw once and exits 0 (smoke
tests, installers).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication

from soknadspakke import __version__
from soknadspakke.core.errors import SoknadError
from soknadspakke.core.resources import resource_path

from . import heap

APP_NAME = "Soknadspakke"
#: Different from the application name, so settings do not land in Soknadspakke/Soknadspakke.
ORGANISATION = "soknadspakke.no"
#: How long a Python thread may keep the GIL while another waits, in the window's process.
GIL_SWITCH_INTERVAL_S = 0.001


def load_fonts() -> str | None:
    """Register the shipped DejaVu fonts; returns the family (Norwegian letters never fall
    back to boxes, even on a machine with no fonts)."""
    family = None
    try:
        folder = resource_path("fonts")
    except SoknadError:
        return None
    for name in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSansMono.ttf"):
        font_id = QFontDatabase.addApplicationFont(str(folder / name))
        families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
        if families and family is None:
            family = families[0]
    return family


def has_usable_fonts() -> bool:
    """Whether the system offers a font with Norwegian letters (else ours is used)."""
    return any(QFontDatabase.writingSystems(f) for f in QFontDatabase.families()
               if "DejaVu" not in f)


def setup_application(app: QCoreApplication) -> None:
    """Names, font and icon for the program's QApplication (also used by the tests)."""
    QCoreApplication.setApplicationName(APP_NAME)
    QCoreApplication.setOrganizationName(ORGANISATION)
    QCoreApplication.setApplicationVersion(__version__)
    QGuiApplication.setApplicationDisplayName("Søknadspakke")
    heap.install(app)  # the garbage collector on the GUI thread only
    # Workers (intake, checks) run Python while the window paints, and every Python call the
    # paint makes (a model's data(), a slot) waits for the GIL: CPython lets a busy thread
    # keep it for 5 ms at a time, so a paint of a few dozen calls stalled the window 40–70 ms
    # while files were taken in. At 1 ms the same drop of 200 files stalls at most 41–47 ms,
    # and takes as long (benchmarks/gui_bench.py).
    sys.setswitchinterval(GIL_SWITCH_INTERVAL_S)
    family = load_fonts()
    if family is not None and isinstance(app, QGuiApplication):
        # The shipped font on every platform: one look, and æøå always drawn.
        font = QFont(family)
        font.setPointSizeF(max(app.font().pointSizeF(), 9.0))
        app.setFont(font)
    try:
        icon = resource_path("icons", "soknadspakke.png")
    except SoknadError:
        return
    if icon.is_file() and isinstance(app, QGuiApplication):
        app.setWindowIcon(QIcon(str(icon)))


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="soknadspakke", add_help=False)
    parser.add_argument("project", nargs="?", type=Path)
    parser.add_argument("--quit-after-start", action="store_true")
    parser.add_argument("--lang")
    args, _unknown = parser.parse_known_args(list(argv))
    return args


def run(argv: Sequence[str]) -> int:
    """Open the window (on ``PROJECT`` when given); returns the exit code."""
    args = parse_args(argv)
    app = QApplication.instance() or QApplication([sys.argv[0], *argv])
    assert isinstance(app, QApplication)
    setup_application(app)
    from .main_window import MainWindow

    window = MainWindow(language=args.lang)
    window.show()
    if args.project is not None:
        window.open_project(args.project)
    else:
        window.offer_recovery()
    if args.quit_after_start:
        def quit_now() -> None:
            window.force_close()
            app.quit()

        QTimer.singleShot(0, quit_now)
    return app.exec()
