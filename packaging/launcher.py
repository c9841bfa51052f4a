"""Entry script of the frozen program (PyInstaller runs this as ``__main__``).

It hands over to ``soknadspakke.__main__.main``, the entry point of the ``soknadspakke`` command
and ``python -m soknadspakke``, so the frozen program behaves exactly like them, after one fix:

PyInstaller's bootloader points ``LD_LIBRARY_PATH`` (Linux) at the bundle, and its Qt runtime
hook adds the bundle to ``DYLD_LIBRARY_PATH`` (macOS) and sets ``QT_PLUGIN_PATH`` and
``QML2_IMPORT_PATH``. Every program started from here would inherit that and load the bundle's
copies of libstdc++, zlib, freetype … and a Qt program its Qt plugins: LibreOffice for Office
conversion, the PDF viewer and file manager that "open the package" starts. The dynamic loader
read the library paths when this process started, so putting the user's own values back changes
nothing here; Qt finds its plugins without ``QT_PLUGIN_PATH`` through the prefix PySide6 sets
(verified on Linux, offscreen and xcb; left alone on Windows and macOS, where it was not).
"""

import os
import sys


def restore_library_path() -> None:
    bundle = getattr(sys, "_MEIPASS", None)
    if not bundle:
        return
    original = os.environ.pop("LD_LIBRARY_PATH_ORIG", None)
    if original is not None:
        os.environ["LD_LIBRARY_PATH"] = original
    else:
        os.environ.pop("LD_LIBRARY_PATH", None)
    if sys.platform.startswith("linux"):
        for name in ("QT_PLUGIN_PATH", "QML2_IMPORT_PATH"):
            if os.environ.get(name, "").startswith(bundle):
                del os.environ[name]
    dyld = os.environ.get("DYLD_LIBRARY_PATH")
    if dyld is not None:
        own = os.path.realpath(bundle)
        kept = [p for p in dyld.split(os.pathsep) if p and os.path.realpath(p) != own]
        if kept:
            os.environ["DYLD_LIBRARY_PATH"] = os.pathsep.join(kept)
        else:
            del os.environ["DYLD_LIBRARY_PATH"]


if __name__ == "__main__":
    restore_library_path()
    from soknadspakke.__main__ import main

    sys.exit(main())
