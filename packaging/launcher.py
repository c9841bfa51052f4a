"""Entry script of the frozen program (PyInstaller runs this as ``__main__``).

It hands over to ``soknadspakke.__main__.main``, the entry point of the ``soknadspakke`` command
and ``python -m soknadspakke``, so the frozen program behaves exactly like them, after one fix:

PyInstaller's bootloader points ``LD_LIBRARY_PATH`` (Linux) at the bundle, and its Qt runtime
hook adds the bundle to ``DYLD_LIBRARY_PATH`` (macOS). Every program started from here would
inherit that and load the bundle's copies of libstdc++, zlib, freetype …: LibreOffice for Office
conversion, the PDF viewer and file manager that "open the package" starts. The dynamic loader
read the variables when this process started, so putting the user's own values back changes
nothing here and keeps the children on their own libraries.
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
