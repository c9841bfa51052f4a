"""Screenshots of the window on the bundled example, for the README and for looking at it.

    python tools/screenshots.py [--out docs/images] [--lang nb|en|both] [--dark] [--scale 2]
    python tools/screenshots.py --readme     # the README's three: nb, en dark, nb at 200 %

Runs the real window (under Xvfb: `xvfb-run -a python tools/screenshots.py`, or offscreen),
waits until the file checks are done, selects a document so the preview shows it, and saves
``window-<lang>[-dark][-x<scale>].png``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "desktop"))


def dark_palette() -> object:
    from PySide6.QtGui import QColor, QPalette

    palette = QPalette()
    role = QPalette.ColorRole
    colours = {
        role.Window: "#2b2b2b", role.WindowText: "#e6e6e6", role.Base: "#1e1e1e",
        role.AlternateBase: "#262626", role.ToolTipBase: "#3a3a3a", role.ToolTipText: "#f0f0f0",
        role.Text: "#e6e6e6", role.Button: "#353535", role.ButtonText: "#e6e6e6",
        role.BrightText: "#ff6b6b", role.Highlight: "#3d6fb4", role.HighlightedText: "#ffffff",
        role.PlaceholderText: "#9a9a9a", role.Link: "#7fb0ff", role.Mid: "#444444",
        role.Dark: "#191919", role.Light: "#505050", role.Midlight: "#404040",
        role.Shadow: "#000000",
    }
    for r, colour in colours.items():
        palette.setColor(r, QColor(colour))
    palette.setColor(QPalette.ColorGroup.Disabled, role.Text, QColor("#777777"))
    palette.setColor(QPalette.ColorGroup.Disabled, role.ButtonText, QColor("#777777"))
    palette.setColor(QPalette.ColorGroup.Disabled, role.WindowText, QColor("#777777"))
    return palette


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "images")
    parser.add_argument("--lang", default="both")
    parser.add_argument("--dark", action="store_true")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--which", default="ny-soknad")
    parser.add_argument("--readme", action="store_true",
                        help="take the README's pictures (each in a process of its own)")
    args = parser.parse_args()
    if args.readme:
        return readme_pictures(args.out)
    if args.scale != 1.0:
        os.environ["QT_SCALE_FACTOR"] = str(args.scale)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen" if not os.environ.get("DISPLAY")
                          else "xcb")
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from soknadspakke.gui.app import setup_application
    from soknadspakke.gui.main_window import MainWindow
    from soknadspakke.gui.recovery import RecoveryStore
    from soknadspakke.gui.settings import Settings

    app = QApplication([sys.argv[0]])
    setup_application(app)
    if args.dark:
        app.setStyle("Fusion")
        app.setPalette(dark_palette())  # type: ignore[arg-type]
    work = Path(tempfile.mkdtemp(prefix="soknadspakke-shots-"))
    shutil.copytree(ROOT / "resources" / "examples" / args.which, work / args.which)
    project = work / args.which / f"{args.which}.soknad"
    args.out.mkdir(parents=True, exist_ok=True)
    langs = ["nb", "en"] if args.lang == "both" else [args.lang]
    for lang in langs:
        settings = Settings(QSettings(str(work / "settings.ini"), QSettings.Format.IniFormat))
        window = MainWindow(settings=settings, language=lang,
                            recovery=RecoveryStore(work / "recovery"))
        window.notice.hide()
        window.resize(1400, 860)
        window.show()
        window.open_project(project)
        session = window.session
        assert session is not None
        for _ in range(600):
            app.processEvents()
            if not session.checking and session.results and window.preview is not None:
                break
            time.sleep(0.05)
        window.select_documents([session.project.documents[0].path])
        for _ in range(60):
            app.processEvents()
            time.sleep(0.05)
        suffix = ("-dark" if args.dark else "") + (f"-x{args.scale:g}" if args.scale != 1
                                                   else "")
        target = args.out / f"window-{lang}{suffix}.png"
        window.grab().save(str(target))
        print(target)
        window.force_close()
        app.processEvents()
    shutil.rmtree(work, ignore_errors=True)
    return 0


def readme_pictures(out: Path) -> int:
    """The README's pictures: bokmål, English in a dark palette, bokmål at 200 % (the scale
    is set before Qt starts, so each is taken in a process of its own)."""
    for options in (["--lang", "nb"], ["--lang", "en", "--dark"],
                    ["--lang", "nb", "--scale", "2"]):
        code = subprocess.run([sys.executable, __file__, "--out", str(out), *options],
                              check=False).returncode
        if code != 0:
            return code
    return 0


if __name__ == "__main__":
    sys.exit(main())
