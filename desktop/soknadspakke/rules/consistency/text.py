"""Reading what documents say: the patterns (dates, years, organisation numbers, references,
names), labels and the text after them, page texts, words and snippets for evidence."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

#: Page texts per document path; a document without readable text is absent (or None).
Texts = Mapping[str, Sequence[str] | None]

MONTHS = {
    "januar": 1, "january": 1, "jan": 1, "februar": 2, "february": 2, "feb": 2,
    "mars": 3, "march": 3, "mar": 3, "april": 4, "apr": 4, "mai": 5, "may": 5,
    "juni": 6, "june": 6, "jun": 6, "juli": 7, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9, "oktober": 10, "october": 10, "okt": 10, "oct": 10,
    "november": 11, "nov": 11, "desember": 12, "december": 12, "des": 12, "dec": 12,
}
_YEAR = r"(?:19|20)\d\d"
DATE_RE = re.compile(
    rf"(?<![\d.])(?P<d1>\d{{1,2}})\.\s?(?P<m1>\d{{1,2}})\.\s?(?P<y1>{_YEAR})(?!\d)"
    rf"|(?<![\d-])(?P<y2>{_YEAR})-(?P<m2>\d{{1,2}})-(?P<d2>\d{{1,2}})(?!\d)"
    rf"|(?<![\w.])(?P<d3>\d{{1,2}})\.?\s+(?P<mon3>[^\W\d_]{{3,9}})\.?,?\s+(?P<y3>{_YEAR})(?!\d)"
    rf"|(?<!\w)(?P<mon4>[^\W\d_]{{3,9}})\.?\s+(?P<d4>\d{{1,2}}),?\s+(?P<y4>{_YEAR})(?!\d)")
YEAR_RANGE_RE = re.compile(
    rf"(?<![\d./-])(?P<a>{_YEAR})\s*(?:[-–—]|til og med|til|to|through|until)\s*"
    rf"(?P<b>{_YEAR})(?!\d|[.-]\d)", re.IGNORECASE)
ORG_RE = re.compile(r"(?<![\d ])(\d{3}) ?(\d{3}) ?(\d{3})(?![\d])")
REFERENCE_RE = re.compile(rf"(?<![\d/])({_YEAR}/\d{{1,6}}|\d{{5,7}})(?![\d/])")
NAME_RE = re.compile(r"[A-ZÆØÅÄÖÜÉ][\w'’.-]*(?:[ \t]+(?:[A-ZÆØÅÄÖÜÉ][\w'’.-]*|van|von|de|af))"
                     r"{1,4}")
#: How far after a label its value may start (characters).
WINDOW = 80
EVIDENCE_CHARS = 120


@dataclass(frozen=True)
class Found:
    """A value read from a document: where, and the text it was read from."""

    file: str
    page: int
    text: str
    value: Any


def parse_date(match: re.Match[str]) -> date | None:
    """The date a :data:`DATE_RE` match stands for, or None (no such day, no such month)."""
    g = match.groupdict()
    try:
        if g["d1"]:
            return date(int(g["y1"]), int(g["m1"]), int(g["d1"]))
        if g["y2"]:
            return date(int(g["y2"]), int(g["m2"]), int(g["d2"]))
        day, name, year = ((g["d3"], g["mon3"], g["y3"]) if g["d3"]
                           else (g["d4"], g["mon4"], g["y4"]))
        month = MONTHS.get(name.lower())
        return date(int(year), month, int(day)) if month else None
    except (ValueError, TypeError):
        return None


def find_dates(text: str) -> Iterator[tuple[date, re.Match[str]]]:
    """Every date in ``text``: ``12.03.2019``, ``2019-03-12``, ``12. mars 2019``,
    ``12 March 2019``, ``March 12, 2019``."""
    for match in DATE_RE.finditer(text):
        value = parse_date(match)
        if value is not None:
            yield value, match


def fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


@lru_cache(maxsize=256)
def label_re(labels: tuple[str, ...], *, prefix: bool = False) -> re.Pattern[str] | None:
    """Labels at the start of a word; whole words, or (``prefix``) words of five letters or
    more may run on, so inflected forms match ("sammenstill" finds "sammenstilling")."""
    words = []
    for label in labels:
        body = r"\s+".join(re.escape(w) for w in label.split())
        if body:
            words.append(body + ("" if prefix and len(label) > 4 else r"(?!\w)"))
    if not words:
        return None
    return re.compile(rf"(?<!\w)(?:{'|'.join(sorted(words, key=len, reverse=True))})"
                      r"[ \t]*(?P<sep>[:.\-–]?)[ \t]*", re.IGNORECASE)


def after_labels(text: str, labels: re.Pattern[str] | None, *, line: bool = True,
                  colon: bool | str = False) -> Iterator[tuple[str, int]]:
    """The text after each label (to the end of its line when ``line``; the next line when
    the label ends its line), with its offset. ``colon=True``: only labels followed by ":"
    (a form's text layer lists its labels without the values typed into its fields);
    ``colon="or-line"``: also a label alone on its line, the value on the next."""
    if labels is None:
        return
    for match in labels.finditer(text):
        if colon and match.group("sep") not in (":", "–", "-") and (
                colon is True or text[match.end():].partition("\n")[0].strip()):
            continue
        rest = text[match.end():match.end() + WINDOW]
        if line:
            head, _sep, tail = rest.partition("\n")
            if not head.strip():
                head = tail.partition("\n")[0]
            rest = head
        yield rest, match.start()


def snippet_at(text: str, start: int, length: int = EVIDENCE_CHARS) -> str:
    return " ".join(text[start:start + length].split())[:EVIDENCE_CHARS]


def pages_of(texts: Sequence[str], limit: int) -> Iterator[tuple[int, str]]:
    for number, text in enumerate(texts, start=1):
        if limit and number > limit:
            return
        yield number, text


def tokens(text: str, ignore: Collection[str] = ()) -> list[str]:
    return [t for t in re.findall(r"\w+", fold(text)) if t not in ignore]


def digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def finding_id(code: str, file: str, text: str) -> str:
    """A stable id: the same reading of the same file gives the same id on every run."""
    digest = hashlib.sha256(f"{code}\0{file}\0{' '.join(text.split())}".encode()).hexdigest()
    return f"{code}:{digest[:10]}"


def dehyphenate(text: str) -> str:
    """Words broken over a line end joined again; soft hyphens dropped."""
    return re.sub(r"(?<=\w)-[ \t]*\n[ \t]*(?=\w)", "", text.replace("\u00ad", ""))


def squash(text: str) -> str:
    """Letters and digits only, case-folded: what two spellings of one title share."""
    return re.sub(r"[\W_]+", "", fold(dehyphenate(text)))


def shorten(text: str, limit: int = 100) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def digits_spaced(text: str) -> str:
    """Digits of ``text`` with runs kept apart (so "974 760 673" reads as one number)."""
    return re.sub(r"(?<=\d)[ .\u00a0](?=\d)", "", text)
