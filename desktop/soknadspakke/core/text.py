"""Text that every file format can hold.

Python strings may carry lone surrogates: a file name that is not valid UTF-8 arrives as
``"\\udcf8"``-style escapes (:pep:`383`), and a JSON ``"\\ud800"`` escape gives one too. UTF-8,
UTF-16 (PDF text strings) and XML cannot encode them, so text bound for a package goes through
:func:`printable` first.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

_SURROGATES = re.compile("[\ud800-\udfff]+")
REPLACEMENT = "\ufffd"


def _decode_escapes(match: re.Match[str]) -> str:
    chars = match.group()
    if all("\udc80" <= c <= "\udcff" for c in chars):
        # Bytes of a non-UTF-8 file name: most often Latin-1/Windows-1252 ("s\xf8knad.pdf").
        raw = bytes(ord(c) - 0xDC00 for c in chars)
        return raw.decode("cp1252", errors="replace")
    return REPLACEMENT * len(chars)


def printable(text: str) -> str:
    """``text`` with lone surrogates replaced: escaped bytes of a non-UTF-8 name decoded as
    Windows-1252, any other surrogate as U+FFFD. Text without surrogates is returned as is."""
    if not _SURROGATES.search(text):
        return text
    return _SURROGATES.sub(_decode_escapes, text)


def printable_json(value: Any) -> Any:
    """A JSON-like value with :func:`printable` applied to every string in it (keys too)."""
    if isinstance(value, str):
        return printable(value)
    if isinstance(value, Mapping):
        return {printable_json(k): printable_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [printable_json(v) for v in value]
    return value
