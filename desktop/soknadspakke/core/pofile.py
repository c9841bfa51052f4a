"""A small reader for gettext ``.po`` catalogues.

The program loads its translations straight from the ``.po`` files in ``resources/i18n/<lang>``
(one per part of the program), so there is no compiled catalogue to keep in step. Supported:
``msgctxt`` (kept apart), ``msgid``/``msgstr`` with continuation lines and C escapes; fuzzy and
untranslated entries are skipped. Plural forms are not used by this program.
"""

from __future__ import annotations

import ast
import warnings
from pathlib import Path


def _unquote(token: str, path: Path, lineno: int) -> str:
    token = token.strip()
    if not (len(token) >= 2 and token[0] == '"' and token[-1] == '"'):
        raise ValueError(f"{path}:{lineno}: expected a quoted string, got {token[:40]!r}")
    # A .po string is a C string literal; Python's literal syntax is a superset of it. Anything
    # else ('"a\\"', '"a"b"', '"\\x"', '"a" + "b"') is a SyntaxError, a ValueError or an
    # invalid-escape warning from the compiler: all reported as this file and line.
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            value = ast.literal_eval(token)
    except (SyntaxError, ValueError, Warning):
        raise ValueError(f"{path}:{lineno}: not a valid quoted string: {token[:40]!r}") from None
    if not isinstance(value, str):  # pragma: no cover - a quoted literal is always a str
        raise ValueError(f"{path}:{lineno}: not a string")
    return value


def parse_po(text: str, path: Path = Path("<po>")) -> dict[str, str]:
    """``msgid -> msgstr`` for the translated, non-fuzzy entries of a catalogue (entries with
    a ``msgctxt`` are left out: see :func:`parse_po_contexts`)."""
    return {msgid: msgstr for (context, msgid), msgstr in parse_po_contexts(text, path).items()
            if context is None}


def parse_po_contexts(text: str, path: Path = Path("<po>")
                      ) -> dict[tuple[str | None, str], str]:
    """``(msgctxt or None, msgid) -> msgstr`` for the translated, non-fuzzy entries."""
    result: dict[tuple[str | None, str], str] = {}
    entry: dict[str, str] = {}
    current: str | None = None
    fuzzy = False

    def flush() -> None:
        nonlocal entry, current, fuzzy
        msgid, msgstr = entry.get("msgid"), entry.get("msgstr")
        if msgid and msgstr and not fuzzy:
            result[(entry.get("msgctxt"), msgid)] = msgstr
        entry, current, fuzzy = {}, None, False

    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            flush()
            continue
        if line.startswith("#"):
            if line.startswith("#,") and "fuzzy" in line:
                if "msgid" in entry:
                    flush()
                fuzzy = True
            continue
        if line.startswith('"'):
            if current is None:
                raise ValueError(f"{path}:{lineno}: a string with no keyword before it")
            entry[current] += _unquote(line, path, lineno)
            continue
        keyword, _, rest = line.partition(" ")
        if keyword in ("msgid", "msgctxt") and "msgid" in entry:
            flush()  # a new entry without a blank line before it
        if keyword not in ("msgctxt", "msgid", "msgstr", "msgid_plural") and not (
                keyword.startswith("msgstr[")):
            raise ValueError(f"{path}:{lineno}: unknown keyword {keyword!r}")
        current = keyword
        entry[keyword] = _unquote(rest, path, lineno)
    flush()
    return result


def load_catalogue(folder: Path) -> dict[str, str]:
    """All translations in ``folder/*.po``, merged (files in name order)."""
    merged: dict[str, str] = {}
    if not folder.is_dir():
        return merged
    for po in sorted(folder.glob("*.po")):
        # utf-8-sig: some editors (Notepad) start the file with a byte-order mark.
        merged.update(parse_po(po.read_text(encoding="utf-8-sig"), po))
    return merged
