"""Signs that an attachment is not the final version (RULES.md §7): "UTKAST", "DRAFT" and
fill-in placeholders such as "[sett inn]", "[dato]" or a bare "XX", "XXXX" or "NN" left in the
text.

SSB wants the final, signed documents; a draft or a template with gaps is a reason to return an
application. One warning per file, naming the pages.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from soknadspakke.core.findings import Finding
from soknadspakke.intake import messages

#: Whole words in capitals (as stamps and headers write them), bare placeholders in capitals
#: (``XX``, ``XXXX``, ``NN``: a name, number or date left to fill in, also inside a date such
#: as ``XX.XX.2024``), and bracketed placeholders (``[sett inn]``, ``[dato]``, ``[navn]`` …).
_MARKERS = re.compile(
    r"(?<![\w-])(UTKAST|DRAFT|FORELØPIG VERSJON|XX+|NN)(?![\w-])"
    r"|\[\s*(?:sett inn|fyll inn|insert|xx+|nn|dato|date|navn|name|tittel|title|dd\.mm\."
    r"(?:åå)?åå|åååå|yyyy|prosjekttittel|prosjektleder)(?!\w)[^\]]{0,40}\]",
    re.IGNORECASE)
_CAPITAL_WORDS = ("UTKAST", "DRAFT", "FORELØPIG VERSJON", "NN")


def _markers_in(text: str) -> list[str]:
    found = []
    for match in _MARKERS.finditer(text):
        word = match.group(1)
        if word is not None and word not in _CAPITAL_WORDS and not re.fullmatch("X+", word):
            continue  # "draft" or "xx" in running text is no stamp; only capitals count
        found.append(match.group(0).strip())
    return found


def scan_pages(texts: Sequence[str], file_name: str) -> list[Finding]:
    """A warning when pages of the file carry a draft stamp or an unfilled placeholder."""
    pages: list[int] = []
    seen: list[str] = []
    for page, text in enumerate(texts, start=1):
        markers = _markers_in(text)
        if markers:
            pages.append(page)
            seen += [m for m in markers if m not in seen]
    if not pages:
        return []
    return [messages.draft_marker(file_name, seen, pages)]
