"""Consistency across documents (RULES.md §6) and signs of signing (§7): what the documents
say, read from the text intake extracted and cached, against the project's facts and each
other.

Pure: the caller hands in each document's page texts (never read again here), the resolved
facts and the ids of findings the user has marked as checked. What is looked for, in which
document types and with which guidance source is the rule pack's ``[[consistency]]`` data; this
module only knows how to read dates, names, organisation numbers, references and years.

Every finding names its evidence (document, page, the text found) and carries a stable ``id``
(code, file and the text found), so the user can mark it as checked and the mark survives
re-validation. Finding codes are the pack's (``code`` of each check).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from soknadspakke.core.findings import Evidence, Finding, Suggestion
from soknadspakke.core.idnumbers import is_valid_org_number
from soknadspakke.core.project import Document, Project
from soknadspakke.rules.expr import NeedsAnswer
from soknadspakke.rules.schema import ConsistencyCheck, ConsistencyKind, RulePack

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


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


@lru_cache(maxsize=256)
def _label_re(labels: tuple[str, ...], *, prefix: bool = False) -> re.Pattern[str] | None:
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


def _after_labels(text: str, labels: re.Pattern[str] | None, *, line: bool = True,
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


def _snippet(text: str, start: int, length: int = EVIDENCE_CHARS) -> str:
    return " ".join(text[start:start + length].split())[:EVIDENCE_CHARS]


def _pages(texts: Sequence[str], limit: int) -> Iterator[tuple[int, str]]:
    for number, text in enumerate(texts, start=1):
        if limit and number > limit:
            return
        yield number, text


def _tokens(text: str, ignore: Collection[str] = ()) -> list[str]:
    return [t for t in re.findall(r"\w+", _fold(text)) if t not in ignore]


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def finding_id(code: str, file: str, text: str) -> str:
    """A stable id: the same reading of the same file gives the same id on every run."""
    digest = hashlib.sha256(f"{code}\0{file}\0{' '.join(text.split())}".encode()).hexdigest()
    return f"{code}:{digest[:10]}"


class _Run:
    def __init__(self, project: Project, pack: RulePack, facts: Mapping[str, Any],
                 texts: Texts, *, verified: Collection[str], options: Mapping[str, str],
                 signed: Collection[str]) -> None:
        self.options = {**pack.option_defaults(), **options}
        self.signed = signed
        self.project = project
        self.pack = pack
        self.facts = facts
        self.texts = texts
        self.verified = verified
        self.findings: list[Finding] = []

    def applies(self, check: ConsistencyCheck) -> bool:
        if check.when is None:
            return True
        try:
            return bool(check.when.evaluate(lambda name: self.options.get(name[4:])
                                            if name.startswith("opt.") else self.facts.get(name)))
        except NeedsAnswer:
            return False

    def documents(self, types: Sequence[str], require_flag: Mapping[str, str] | None = None
                  ) -> Iterator[tuple[Document, Sequence[str]]]:
        for doc in self.project.documents:
            matching = set(types) & set(doc.types)
            if require_flag:  # a listed type counts only with its flag
                matching = {t for t in matching if t not in require_flag
                            or getattr(doc, require_flag[t], False) is True}
            if matching:
                texts = self.texts.get(doc.path)
                if texts and any(t.strip() for t in texts):  # a scan says nothing either way
                    yield doc, texts

    def add(self, check: ConsistencyCheck, doc: Document, evidence: Sequence[Evidence],
            suggestion: Suggestion | None = None, *, key: str = "", **params: object) -> None:
        key_text = " | ".join([e.text for e in evidence] + ([key] if key else []))
        fid = finding_id(check.code, doc.path, key_text)
        page = next((e.page for e in evidence if e.file == doc.path and e.page), None)
        self.findings.append(Finding(
            check.severity, check.code, check.message.format(file=doc.path, **params),
            document_types=tuple(doc.types), files=tuple(dict.fromkeys(
                [doc.path, *(e.file for e in evidence)])), source=check.source, page=page,
            guidance={s: self.pack.guidance[s] for s in check.source if s in self.pack.guidance},
            id=fid, evidence=tuple(evidence), suggestion=suggestion,
            verified=fid in self.verified))

    # -- dates -------------------------------------------------------------------------------
    def document_date(self, check: ConsistencyCheck, texts: Sequence[str], path: str
                      ) -> Found | None:
        labels = _label_re(check.labels)
        for number, text in _pages(texts, check.pages or 2):
            for rest, start in _after_labels(text, labels):
                for value, _m in find_dates(rest):
                    return Found(path, number, _snippet(text, start), value)
        return None  # an unlabelled date may be any date the text mentions

    def check_document_date(self, check: ConsistencyCheck) -> None:
        for doc, texts in self.documents(check.types):
            found = self.document_date(check, texts, doc.path)
            if found is None:
                continue
            value: date = found.value
            if check.before is not None and value >= check.before:
                limit = check.before
            elif check.not_before is not None and value < check.not_before:
                limit = check.not_before
            else:
                continue
            self.add(check, doc, [Evidence(doc.path, found.page, found.text)],
                     date=value.isoformat(), limit=limit.isoformat(), page=found.page)

    def check_validity_date(self, check: ConsistencyCheck, *, suggest: bool = False) -> None:
        labels = _label_re(check.labels)
        end = self.project.info.period_end
        for doc, texts in self.documents(check.types):
            if suggest and doc.valid_until is not None:
                continue
            found: Found | None = None
            for number, text in _pages(texts, check.pages):
                for rest, start in _after_labels(text, labels):
                    dates = [d for d, _m in find_dates(rest)]
                    if dates:
                        found = Found(doc.path, number, _snippet(text, start), dates[-1])
                        break
                if found:
                    break
            if found is None:
                continue
            value: date = found.value
            if doc.valid_until == value:
                continue  # the user took this date; the rules engine checks it
            suggestion = (Suggestion(doc.path, "valid_until", value.isoformat())
                          if doc.valid_until is None else None)
            if (end is not None and value < end) != suggest:
                self.add(check, doc, [Evidence(doc.path, found.page, found.text)], suggestion,
                         date=value.isoformat(), period_end=end.isoformat() if end else "?",
                         page=found.page)

    def check_validity_suggestion(self, check: ConsistencyCheck) -> None:
        self.check_validity_date(check, suggest=True)

    # -- people, institution, organisation number --------------------------------------------
    def check_project_leader(self, check: ConsistencyCheck) -> None:
        leader = self.project.info.project_leader
        want = _tokens(leader)
        if len(want) < 2:
            return
        labels = _label_re(check.labels)
        for doc, texts in self.documents(check.types):
            for number, text in _pages(texts, check.pages):
                hit = next(self._other_names(text, labels, want), None)
                if hit is not None:
                    name, start = hit
                    self.add(check, doc, [Evidence(doc.path, number, _snippet(text, start))],
                             found=name, expected=leader, page=number)
                    break

    @staticmethod
    def _other_names(text: str, labels: re.Pattern[str] | None, want: list[str]
                     ) -> Iterator[tuple[str, int]]:
        for rest, start in _after_labels(text, labels, colon="or-line"):
            match = NAME_RE.match(rest.strip())
            if match is None:
                continue
            got = _tokens(match.group(0))
            if set(want) <= set(got) or set(got) <= set(want) or want[-1] in got:
                continue
            yield match.group(0), start

    def check_institution(self, check: ConsistencyCheck) -> None:
        name = self.project.info.institution
        ignore = set(check.ignore)
        want = set(_tokens(name, ignore))
        if not want:
            return
        acronym = "".join(t[0] for t in _tokens(name))
        labels = _label_re(check.labels)
        for doc, texts in self.documents(check.types):
            for number, text in _pages(texts, check.pages):
                hit = None
                for rest, start in _after_labels(text, labels, colon=True):
                    value = rest.strip()
                    if not value or not value[0].isupper():
                        continue
                    got = _tokens(value, ignore)
                    all_got = _tokens(value)
                    if not got or want & set(got) or acronym in all_got:
                        continue
                    if any("".join(t[0] for t in _tokens(value)) == w for w in want):
                        continue
                    hit = (value, start)
                    break
                if hit is not None:
                    self.add(check, doc, [Evidence(doc.path, number, _snippet(text, hit[1]))],
                             found=hit[0], expected=name, page=number)
                    break

    def check_org_number(self, check: ConsistencyCheck) -> None:
        own = _digits(self.project.info.org_number)
        if len(own) != 9:
            return
        labels = _label_re(check.labels)
        for doc, texts in self.documents(check.types):
            if any(own in _digits_spaced(t) for t in texts):
                continue
            hit: tuple[int, str, int, str] | None = None
            for number, text in _pages(texts, check.pages):
                for rest, start in _after_labels(text, labels):
                    match = ORG_RE.search(rest[:40])
                    if match is None:
                        continue
                    value = "".join(match.groups())
                    if value != own and is_valid_org_number(value):
                        hit = (number, _snippet(text, start), start, value)
                        break
                if hit:
                    break
            if hit is not None:
                number, snippet, _start, value = hit
                self.add(check, doc, [Evidence(doc.path, number, snippet)],
                         found=f"{value[:3]} {value[3:6]} {value[6:]}",
                         expected=self.project.info.org_number, page=number)

    # -- references, mentions, years ------------------------------------------------------
    def check_reference(self, check: ConsistencyCheck) -> None:
        labels = _label_re(check.labels)
        found: Found | None = None
        for doc, texts in self.documents(check.reference_types):
            for number, text in _pages(texts, check.pages):
                for rest, start in _after_labels(text, labels, line=False):
                    match = REFERENCE_RE.search(rest[:40])
                    if match is not None:
                        found = Found(doc.path, number, _snippet(text, start), match.group(1))
                        break
                if found:
                    break
            if found:
                break
        if found is None:
            return
        parts = [r"\s?".join(part) for part in re.split(r"\D+", found.value) if part]
        wanted = re.compile(r"(?<!\d)" + r"\s*[/-]\s*".join(parts) + r"(?!\d)")
        for doc, texts in self.documents(check.types):
            if doc.path == found.file:
                continue
            if any(wanted.search(t) for t in texts):
                continue
            self.add(check, doc, [Evidence(found.file, found.page, found.text)],
                     reference=found.value, other=found.file, page=found.page)

    def check_mentions(self, check: ConsistencyCheck) -> None:
        words = _label_re(check.words, prefix=True)
        assert words is not None
        for doc, texts in self.documents(check.types):
            if any(words.search(t) for _n, t in _pages(texts, check.pages)):
                continue
            self.add(check, doc, [Evidence(doc.path, None, "")],
                     words=", ".join(f"“{w}”" for w in check.words[:4]))

    def check_signature(self, check: ConsistencyCheck) -> None:
        words = _label_re(check.words, prefix=True)
        assert words is not None
        for doc, texts in self.documents(check.types):
            if doc.path in self.signed or any(words.search(t) for t in texts):
                continue
            last = len(texts)
            self.add(check, doc, [Evidence(doc.path, last, "")], page=last)

    def _year_ranges(self, check: ConsistencyCheck, types: Sequence[str]
                     ) -> list[tuple[Document, Found]]:
        labels = _label_re(check.labels)
        result = []
        for doc, texts in self.documents(types):
            for number, text in _pages(texts, check.pages):
                for rest, start in _after_labels(text, labels):
                    for match in YEAR_RANGE_RE.finditer(rest):
                        a, b = int(match.group("a")), int(match.group("b"))
                        if a <= b:
                            result.append((doc, Found(doc.path, number, _snippet(text, start),
                                                      (a, b))))
        return result

    def check_data_years(self, check: ConsistencyCheck) -> None:
        approved = self._year_ranges(check, check.reference_types)
        if not approved:
            return
        low = min(f.value[0] for _d, f in approved)
        high = max(f.value[1] for _d, f in approved)
        basis = approved[0][1]
        reported: set[str] = set()
        for doc, found in self._year_ranges(check, check.types):
            a, b = found.value
            if (a >= low and b <= high) or doc.path in reported:
                continue
            reported.add(doc.path)
            self.add(check, doc, [Evidence(doc.path, found.page, found.text),
                                  Evidence(basis.file, basis.page, basis.text)],
                     years=f"{a}–{b}", approved=f"{low}–{high}", other=basis.file,
                     page=found.page)


    # -- names of project facts, the project's title -------------------------------------------
    def check_names_fact(self, check: ConsistencyCheck) -> None:
        value = " ".join(str(getattr(self.project.info, check.fact or "", "") or "").split())
        want = _tokens(value, set(check.ignore))
        if not want:
            return
        initials = "".join(t[0] for t in _tokens(value))
        whole = _squash(value)
        for doc, texts in self.documents(check.types, check.require_flag):
            text = "\n".join(t for _n, t in _pages(texts, check.pages))
            got = set(_tokens(_dehyphenate(text)))
            if whole in _squash(text) or set(want) <= got or (len(initials) >= 3
                                                               and initials in got):
                continue
            self.add(check, doc, [Evidence(doc.path, None, "")], key=value, expected=value)

    def check_project_title(self, check: ConsistencyCheck) -> None:
        title = " ".join(self.project.info.title.split())
        ignore = set(check.ignore)
        want = set(_tokens(_dehyphenate(title), ignore))
        whole = _squash(title)
        if not want:
            return
        labels = _label_re(check.labels)
        for doc, texts in self.documents(check.types, check.require_flag):
            pages = list(_pages(texts, check.pages))
            hit = next(((number, value, start) for number, text in pages
                        for value, following, start in _stated_titles(text, labels, ignore)
                        if not _same_title(value, following, want, whole, ignore)), None)
            # A document that gives the project's title too names another title as a subtitle,
            # a sub-project or so (looked for only when needed: most state no other title).
            if hit is not None and whole not in _squash("\n".join(t for _n, t in pages)):
                number, value, start = hit
                text = pages[number - 1][1]
                self.add(check, doc, [Evidence(doc.path, number, _snippet(text, start))],
                         found=_shorten(value), expected=title, page=number)


#: What may stand before a label at the start of its line: a number such as "1.2", a bullet.
_LINE_START = re.compile(r"[\s\d.)•\-–]*")
#: A line that is a form's next field ("Prosjektleder: Kari Nordmann").
_FIELD = re.compile(r"\s*[^\s:]+(?:[ \t]+[^\s:]+){0,2}:")
#: Where a stated title's value may not start (a field left empty, a placeholder).
_NOT_A_TITLE = re.compile(r"^\s*(?:\[|<|\.\.\.|…|_{2,}|x{2,}\b)", re.IGNORECASE)


def _stated_titles(text: str, labels: re.Pattern[str] | None, ignore: Collection[str]
                   ) -> Iterator[tuple[str, str, int]]:
    """Each title a document states: ``(value, the lines after it, offset of the label)``.
    The label starts its line (after a number such as "1.2"); the value follows a ":" on the
    label's line, or stands on the next line when the label is alone on its line (then it
    must look like a title, not the next label of a form's text layer)."""
    if labels is None:
        return
    for match in labels.finditer(text):
        line_start = text.rfind("\n", 0, match.start()) + 1
        if not _LINE_START.fullmatch(text[line_start:match.start()]):
            continue  # prose that mentions a title, or a label inside a sentence
        rest = text[match.end():]
        head, _sep, after = rest.partition("\n")
        if head.strip():
            if match.group("sep") not in (":", "–", "-"):
                continue
            value, minimum = head, 2
        else:
            value, _sep, after = after.partition("\n")
            minimum = 3
            if value.rstrip().endswith(":") or labels.match(value.strip()) \
                    or _FIELD.match(value):
                continue  # the next label, or the next "label: value", of a form
        if _NOT_A_TITLE.match(value) or len(_tokens(value, ignore)) < minimum:
            continue
        yield value.strip(), "\n".join(after.split("\n")[:2]), match.start()


def _same_title(value: str, following: str, want: set[str], whole: str,
                ignore: Collection[str]) -> bool:
    """Whether a stated title is the project's: one contains the other (case, spacing,
    punctuation and hyphenation aside; the stated one may wrap onto the next lines), or
    most of their words are shared."""
    stated = _squash(value)
    if stated and (stated in whole or whole in stated or whole in _squash(
            value + "\n" + following)):
        return True
    got = set(_tokens(_dehyphenate(value), ignore))
    if not got:
        return True
    shared = len(got & want)
    return shared / len(got) >= 0.5 or shared / len(want) >= 0.6


def _dehyphenate(text: str) -> str:
    """Words broken over a line end joined again; soft hyphens dropped."""
    return re.sub(r"(?<=\w)-[ \t]*\n[ \t]*(?=\w)", "", text.replace("\u00ad", ""))


def _squash(text: str) -> str:
    """Letters and digits only, case-folded: what two spellings of one title share."""
    return re.sub(r"[\W_]+", "", _fold(_dehyphenate(text)))


def _shorten(text: str, limit: int = 100) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def _digits_spaced(text: str) -> str:
    """Digits of ``text`` with runs kept apart (so "974 760 673" reads as one number)."""
    return re.sub(r"(?<=\d)[ .\u00a0](?=\d)", "", text)


_KINDS: dict[ConsistencyKind, Callable[[_Run, ConsistencyCheck], None]] = {
    ConsistencyKind.DOCUMENT_DATE: _Run.check_document_date,
    ConsistencyKind.VALIDITY_DATE: _Run.check_validity_date,
    ConsistencyKind.VALIDITY_SUGGESTION: _Run.check_validity_suggestion,
    ConsistencyKind.PROJECT_LEADER: _Run.check_project_leader,
    ConsistencyKind.INSTITUTION: _Run.check_institution,
    ConsistencyKind.ORG_NUMBER: _Run.check_org_number,
    ConsistencyKind.REFERENCE: _Run.check_reference,
    ConsistencyKind.MENTIONS: _Run.check_mentions,
    ConsistencyKind.DATA_YEARS: _Run.check_data_years,
    ConsistencyKind.SIGNATURE: _Run.check_signature,
    ConsistencyKind.NAMES_FACT: _Run.check_names_fact,
    ConsistencyKind.PROJECT_TITLE: _Run.check_project_title,
}


def types_read(pack: RulePack) -> frozenset[str]:
    """The document types whose text any consistency check reads."""
    return frozenset(t for c in pack.consistency for t in (*c.types, *c.reference_types))


def check_consistency(project: Project, pack: RulePack, facts: Mapping[str, Any], texts: Texts,
                      *, verified: Collection[str] = (), options: Mapping[str, str] | None = None,
                      signed: Collection[str] = ()) -> list[Finding]:
    """The pack's consistency checks over the documents' page texts; ``facts`` are the
    evaluation's answers and derived facts, ``verified`` the ids the user has checked,
    ``signed`` the paths of documents with a signature field or image (intake's hint)."""
    run = _Run(project, pack, facts, texts, verified=verified, options=options or {},
               signed=signed)
    for check in pack.consistency:
        if run.applies(check):
            _KINDS[check.kind](run, check)
    return run.findings
