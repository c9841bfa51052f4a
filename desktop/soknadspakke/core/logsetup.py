"""Where log lines go: libraries' notices (pypdf's "Ignoring wrong pointing object", img2pdf's
alpha-channel notice …) are technical detail, not messages for a researcher.

Intake turns what matters into findings; everything logged goes to a small log file in the
program's cache folder (``soknadspakke.log``, at most 2 × 1 MB), never to the terminal. With
``SOKNADSPAKKE_DEBUG=1`` it goes to the terminal as well.
"""

from __future__ import annotations

import contextlib
import logging
import logging.handlers
from pathlib import Path

LOG_NAME = "soknadspakke.log"
_MAX_BYTES = 1024 * 1024
_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def configure_logging(folder: Path | None, *, debug: bool = False) -> Path | None:
    """Send every log record to ``folder``/soknadspakke.log (and to stderr when ``debug``).

    Returns the log file, or ``None`` when it cannot be written (then records are dropped).
    Libraries log nothing to the terminal either way: Python's last-resort handler is off.
    """
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_soknadspakke", False):
            root.removeHandler(handler)
            handler.close()
    logging.lastResort = None
    root.setLevel(logging.DEBUG if debug else logging.WARNING)
    handlers: list[logging.Handler] = []
    path: Path | None = None
    if folder is not None:
        with contextlib.suppress(OSError):
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / LOG_NAME
            handlers.append(logging.handlers.RotatingFileHandler(
                path, maxBytes=_MAX_BYTES, backupCount=1, encoding="utf-8", delay=True))
    if debug:
        handlers.append(logging.StreamHandler())
    if not handlers:
        handlers.append(logging.NullHandler())
    for handler in handlers:
        handler.setFormatter(logging.Formatter(_FORMAT))
        handler._soknadspakke = True  # type: ignore[attr-defined]
        root.addHandler(handler)
    return path if folder is not None and handlers and path is not None else None
