"""Suggesting a document type from a file's name and text, using the rule pack's keywords.

The suggestion only proposes; the user always confirms the type.

Scoring: a keyword counts once per type however often it occurs. A type whose file-name
keywords match gets ``f = 0.7`` for one distinct keyword, +0.15 for each further one (max 1).
Content phrases are weighted by the page they first occur on (page 1: 1.0, page 2: 0.7,
page 3: 0.5, later: 0.3; repeats add 0.05 each, at most 0.5) and squashed to
``c = 1 - exp(-sum / 1.5)``. The confidence is ``1 - (1 - 0.85 f)(1 - 0.8 c)``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import PurePath

from soknadspakke.intake.model import Suggestion, TypeKeywords

#: How many suggestions are returned at most, and the lowest confidence worth showing.
MAX_SUGGESTIONS = 3
MIN_CONFIDENCE = 0.1
#: Pages after this one are not searched (the first pages say what a document is).
MAX_CONTENT_PAGES = 30
_PAGE_WEIGHTS = (1.0, 0.7, 0.5)
_LATER_PAGE_WEIGHT = 0.3


def normalise_file_name(file_name: str) -> str:
    """The file name without extension, lower-case, ``_``, ``-`` and ``.`` as spaces."""
    stem = PurePath(file_name).stem if "." in file_name else file_name
    return " ".join(re.sub(r"[_\-.]+", " ", stem.lower()).split())


def normalise_text(text: str) -> str:
    """Lower-case text with soft hyphens removed and all whitespace runs as one space."""
    return " ".join(text.replace("\u00ad", "").lower().split())


@lru_cache(maxsize=4096)
def keyword_pattern(keyword: str) -> re.Pattern[str]:
    """A pattern for ``keyword`` at the start of a word.

    Keywords of four letters or less must also end at a word boundary (``rek`` must not match
    ``rekke``); longer ones may run on, so inflected Norwegian forms match
    (``protokoll`` matches ``protokollen``). Spaces in a phrase match any whitespace.
    """
    words = normalise_text(keyword).split(" ")
    body = r"\s+".join(re.escape(w) for w in words if w)
    tail = r"(?!\w)" if len(keyword.strip()) <= 4 else ""
    return re.compile(rf"(?<!\w){body}{tail}")


def _page_weight(index: int) -> float:
    return _PAGE_WEIGHTS[index] if index < len(_PAGE_WEIGHTS) else _LATER_PAGE_WEIGHT


def _filename_score(name: str, keywords: TypeKeywords) -> float:
    hits = sum(1 for kw in dict.fromkeys(keywords.filename)
               if kw.strip() and keyword_pattern(kw).search(name))
    return 0.0 if hits == 0 else min(1.0, 0.7 + 0.15 * (hits - 1))


def _content_score(pages: Sequence[str], keywords: TypeKeywords) -> float:
    total = 0.0
    for kw in dict.fromkeys(keywords.content):
        if not kw.strip():
            continue
        pattern = keyword_pattern(kw)
        best = 0.0
        repeats = 0
        for index, page in enumerate(pages):
            found = len(pattern.findall(page))
            if found:
                best = max(best, _page_weight(index))
                repeats += found
        if best:
            total += best + min(0.5, 0.05 * (repeats - 1))
    return 1.0 - math.exp(-total / 1.5)


def suggest_types(file_name: str, texts: Sequence[str],
                  keywords: Sequence[TypeKeywords]) -> tuple[Suggestion, ...]:
    """The likely document types for a file, best first (at most :data:`MAX_SUGGESTIONS`)."""
    if not keywords:
        return ()
    name = normalise_file_name(file_name)
    pages = [normalise_text(t) for t in texts[:MAX_CONTENT_PAGES]]
    scored: list[tuple[float, int, str]] = []
    for order, kws in enumerate(keywords):
        f = _filename_score(name, kws)
        c = _content_score(pages, kws)
        confidence = round(1.0 - (1.0 - 0.85 * f) * (1.0 - 0.8 * c), 2)
        if confidence >= MIN_CONFIDENCE:
            scored.append((confidence, order, kws.type_id))
    scored.sort(key=lambda item: (-item[0], item[1]))
    return tuple(Suggestion(type_id, conf) for conf, _, type_id in scored[:MAX_SUGGESTIONS])
