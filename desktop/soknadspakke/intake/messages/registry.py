"""What the builders share: the registry that names a finding after its builder, and the
helpers messages use (format labels, page lists)."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Concatenate, ParamSpec

from soknadspakke.core.findings import Finding, Severity
from soknadspakke.core.i18n import Msg

_P = ParamSpec("_P")

_FORMAT_LABELS = {
    "pdf": "PDF", "jpeg": "JPEG", "png": "PNG", "tiff": "TIFF", "gif": "GIF", "bmp": "BMP",
    "webp": "WebP", "docx": "DOCX", "docm": "DOCM", "doc": "DOC", "odt": "ODT", "rtf": "RTF",
    "xlsx": "XLSX", "xlsm": "XLSM", "csv": "CSV", "txt": "TXT",
}
#: How many page numbers a message names before it ends with an ellipsis.
MAX_PAGES_NAMED = 10


def format_label(fmt: str) -> str:
    """A format as users know it (``"docx"`` → ``"DOCX"``)."""
    return _FORMAT_LABELS.get(fmt, fmt.upper())


def page_list(pages: Sequence[int]) -> str:
    """``1, 2, 5`` (the first ten, then an ellipsis)."""
    return (", ".join(str(p) for p in pages[:MAX_PAGES_NAMED])
            + (" …" if len(pages) > MAX_PAGES_NAMED else ""))


@dataclass(frozen=True)
class Said:
    """What a builder says: the severity, the message and the page it is about."""

    severity: Severity
    message: Msg
    page: int | None = None


def error(message: Msg) -> Said:
    return Said(Severity.ERROR, message)


def warning(message: Msg, page: int | None = None) -> Said:
    return Said(Severity.WARNING, message, page)


def info(message: Msg, page: int | None = None) -> Said:
    return Said(Severity.INFO, message, page)


#: Every builder by its code.
BUILDERS: dict[str, Callable[..., Finding]] = {}


def builder(func: Callable[Concatenate[str, _P], Said]
             ) -> Callable[Concatenate[str, _P], Finding]:
    """Registers ``func`` as the builder of the code that is its name."""
    code = func.__name__

    @functools.wraps(func)
    def build(name: str, /, *args: _P.args, **kwargs: _P.kwargs) -> Finding:
        said = func(name, *args, **kwargs)
        return Finding(said.severity, code, said.message, files=(name,), page=said.page)

    BUILDERS[code] = build
    return build
