"""Suggesting a document type from a file's name and text, using the rule pack's keywords.

The suggestion only proposes; the user always confirms the type.

A document's own title and first heading say what it is; its body merely mentions other
documents ("see the attached variable lists", "a DPIA is not necessary"). So where a phrase
stands decides how much it counts:

- the first :data:`TITLE_LINES` lines of text on page 1 (title, heading, a letter's subject
  line) weigh :data:`TITLE_WEIGHT` on the first line down to about half of it on the last;
- other lines weigh by page: page 1: 1.0, page 2: 0.7, page 3: 0.5, later: 0.3;
- a phrase that follows a word of mention on its line ("vedlegg til", "se", "ikke", "viser
  til", "attached", "not" …, :data:`MENTION_MARKERS`) weighs at most :data:`MENTION_WEIGHT`.

A keyword counts once per type at its best place (repeats add 0.05 each, at most 0.5), and
keywords of one type found on the same line count once (the best), so overlapping phrases
("søknad om prosjektendring", "prosjektendring") do not add up. The sum is squashed to
``c = 1 - exp(-sum / 1.5)``. A type whose file-name keywords match gets ``f = 0.7`` for one
distinct keyword, +0.15 for each further one (max 1). The confidence is
``1 - (1 - 0.85 f)(1 - 0.8 c)``.
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
#: Lines of page 1 that count as the document's title and headings, and their weight.
TITLE_LINES = 12
TITLE_WEIGHT = 3.0
#: Words after which a phrase is a mention of another document, not this one's subject.
MENTION_MARKERS = (
    "vedlegg til", "vedlagt", "vedlagte", "vedlagde", "se", "sjå", "jf.", "jf", "ikke",
    "ikkje", "viser til", "i tillegg til", "sammen med", "saman med", "not", "no", "see",
    "attached", "attachment to", "refer to", "we refer to",
)
MENTION_WEIGHT = 0.3
_MENTION_RE = re.compile(
    r"(?<!\w)(?:" + "|".join(re.escape(m) for m in sorted(MENTION_MARKERS, key=len,
                                                          reverse=True)) + r")(?!\w)")
_MENTION_WINDOW = 40


def normalize_file_name(file_name: str) -> str:
    """The file name without extension, lower-case, ``_``, ``-`` and ``.`` as spaces."""
    stem = PurePath(file_name).stem if "." in file_name else file_name
    return " ".join(re.sub(r"[_\-.]+", " ", stem.lower()).split())


def normalize_text(text: str) -> str:
    """Lower-case text with soft hyphens removed and all whitespace runs as one space."""
    return " ".join(text.replace("\u00ad", "").lower().split())


@lru_cache(maxsize=4096)
def keyword_pattern(keyword: str) -> re.Pattern[str]:
    """A pattern for ``keyword`` at the start of a word.

    Keywords of four letters or less must also end at a word boundary (``rek`` must not match
    ``rekke``); longer ones may run on, so inflected Norwegian forms match
    (``protokoll`` matches ``protokollen``). Spaces in a phrase match any whitespace.
    """
    words = normalize_text(keyword).split(" ")
    body = r"\s+".join(re.escape(w) for w in words if w)
    tail = r"(?!\w)" if len(keyword.strip()) <= 4 else ""
    return re.compile(rf"(?<!\w){body}{tail}")


def _page_weight(index: int) -> float:
    return _PAGE_WEIGHTS[index] if index < len(_PAGE_WEIGHTS) else _LATER_PAGE_WEIGHT


def _filename_score(name: str, keywords: TypeKeywords) -> float:
    hits = sum(1 for kw in dict.fromkeys(keywords.filename)
               if kw.strip() and keyword_pattern(normalize_file_name(kw)).search(name))
    return 0.0 if hits == 0 else min(1.0, 0.7 + 0.15 * (hits - 1))


def weighted_lines(texts: Sequence[str]) -> list[tuple[float, str]]:
    """The normalized non-empty lines of the first pages, each with the weight of its place."""
    lines: list[tuple[float, str]] = []
    for index, page in enumerate(texts[:MAX_CONTENT_PAGES]):
        seen = 0
        for raw in page.splitlines():
            line = normalize_text(raw)
            if not line:
                continue
            if index == 0 and seen < TITLE_LINES:
                weight = TITLE_WEIGHT * (1.0 - 0.5 * seen / TITLE_LINES)
            else:
                weight = _page_weight(index)
            lines.append((weight, line))
            seen += 1
    return lines


def _mentioned(line: str, start: int) -> bool:
    """Whether a word of mention stands shortly before position ``start`` of ``line``."""
    before = line[max(0, start - _MENTION_WINDOW):start]
    return _MENTION_RE.search(before) is not None


def _content_score(lines: Sequence[tuple[float, str]], keywords: TypeKeywords) -> float:
    best_per_line: dict[int, float] = {}
    bonus = 0.0
    for kw in dict.fromkeys(keywords.content):
        if not kw.strip():
            continue
        pattern = keyword_pattern(kw)
        best, where, repeats = 0.0, -1, 0
        for number, (weight, line) in enumerate(lines):
            for match in pattern.finditer(line):
                repeats += 1
                value = min(weight, MENTION_WEIGHT) if _mentioned(line, match.start()) \
                    else weight
                if value > best:
                    best, where = value, number
        if best:
            best_per_line[where] = max(best_per_line.get(where, 0.0), best)
            bonus += min(0.5, 0.05 * (repeats - 1))
    if not best_per_line:
        return 0.0
    total = sum(best_per_line.values()) + bonus
    return 1.0 - math.exp(-total / 1.5)


def suggest_types(file_name: str, texts: Sequence[str],
                  keywords: Sequence[TypeKeywords]) -> tuple[Suggestion, ...]:
    """The likely document types for a file, best first (at most :data:`MAX_SUGGESTIONS`)."""
    if not keywords:
        return ()
    name = normalize_file_name(file_name)
    lines = weighted_lines(texts)
    scored: list[tuple[float, int, str]] = []
    for order, kws in enumerate(keywords):
        f = _filename_score(name, kws)
        c = _content_score(lines, kws)
        confidence = round(1.0 - (1.0 - 0.85 * f) * (1.0 - 0.8 * c), 2)
        if confidence >= MIN_CONFIDENCE:
            scored.append((confidence, order, kws.type_id))
    scored.sort(key=lambda item: (-item[0], item[1]))
    return tuple(Suggestion(type_id, conf) for conf, _, type_id in scored[:MAX_SUGGESTIONS])
