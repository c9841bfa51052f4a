"""Who and what the documents name: the project leader, the institution and its organisation
number, a project fact's name, and the project's title."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator

from soknadspakke.core.findings import Evidence
from soknadspakke.core.idnumbers import is_valid_org_number
from soknadspakke.rules.consistency.run import Run
from soknadspakke.rules.consistency.text import (
    NAME_RE,
    ORG_RE,
    after_labels,
    dehyphenate,
    digits,
    digits_spaced,
    label_re,
    pages_of,
    shorten,
    snippet_at,
    squash,
    tokens,
)
from soknadspakke.rules.schema import ConsistencyCheck


def check_project_leader(run: Run, check: ConsistencyCheck) -> None:
    leader = run.project.info.project_leader
    want = tokens(leader)
    if len(want) < 2:
        return
    labels = label_re(check.labels)
    for doc, texts in run.documents(check.types):
        for number, text in pages_of(texts, check.pages):
            hit = next(_other_names(text, labels, want), None)
            if hit is not None:
                name, start = hit
                run.add(check, doc, [Evidence(doc.path, number, snippet_at(text, start))],
                        found=name, expected=leader, page=number)
                break


def _other_names(text: str, labels: re.Pattern[str] | None, want: list[str]
                 ) -> Iterator[tuple[str, int]]:
    for rest, start in after_labels(text, labels, colon="or-line"):
        match = NAME_RE.match(rest.strip())
        if match is None:
            continue
        got = tokens(match.group(0))
        if set(want) <= set(got) or set(got) <= set(want) or want[-1] in got:
            continue
        yield match.group(0), start


def check_institution(run: Run, check: ConsistencyCheck) -> None:
    name = run.project.info.institution
    ignore = set(check.ignore)
    want = set(tokens(name, ignore))
    if not want:
        return
    acronym = "".join(t[0] for t in tokens(name))
    labels = label_re(check.labels)
    for doc, texts in run.documents(check.types):
        for number, text in pages_of(texts, check.pages):
            hit = None
            for rest, start in after_labels(text, labels, colon=True):
                value = rest.strip()
                if not value or not value[0].isupper():
                    continue
                got = tokens(value, ignore)
                all_got = tokens(value)
                if not got or want & set(got) or acronym in all_got:
                    continue
                if any("".join(t[0] for t in tokens(value)) == w for w in want):
                    continue
                hit = (value, start)
                break
            if hit is not None:
                run.add(check, doc, [Evidence(doc.path, number, snippet_at(text, hit[1]))],
                        found=hit[0], expected=name, page=number)
                break


def check_org_number(run: Run, check: ConsistencyCheck) -> None:
    own = digits(run.project.info.org_number)
    if len(own) != 9:
        return
    labels = label_re(check.labels)
    for doc, texts in run.documents(check.types):
        if any(own in digits_spaced(t) for t in texts):
            continue
        hit: tuple[int, str, int, str] | None = None
        for number, text in pages_of(texts, check.pages):
            for rest, start in after_labels(text, labels):
                match = ORG_RE.search(rest[:40])
                if match is None:
                    continue
                value = "".join(match.groups())
                if value != own and is_valid_org_number(value):
                    hit = (number, snippet_at(text, start), start, value)
                    break
            if hit:
                break
        if hit is not None:
            number, snippet, _start, value = hit
            run.add(check, doc, [Evidence(doc.path, number, snippet)],
                    found=f"{value[:3]} {value[3:6]} {value[6:]}",
                    expected=run.project.info.org_number, page=number)


def check_names_fact(run: Run, check: ConsistencyCheck) -> None:
    value = " ".join(str(getattr(run.project.info, check.fact or "", "") or "").split())
    want = tokens(value, set(check.ignore))
    if not want:
        return
    initials = "".join(t[0] for t in tokens(value))
    whole = squash(value)
    for doc, texts in run.documents(check.types, check.require_flag):
        text = "\n".join(t for _n, t in pages_of(texts, check.pages))
        got = set(tokens(dehyphenate(text)))
        if whole in squash(text) or set(want) <= got or (len(initials) >= 3
                                                           and initials in got):
            continue
        run.add(check, doc, [Evidence(doc.path, None, "")], key=value, expected=value)


def check_project_title(run: Run, check: ConsistencyCheck) -> None:
    title = " ".join(run.project.info.title.split())
    ignore = set(check.ignore)
    want = set(tokens(dehyphenate(title), ignore))
    whole = squash(title)
    if not want:
        return
    labels = label_re(check.labels)
    for doc, texts in run.documents(check.types, check.require_flag):
        pages = list(pages_of(texts, check.pages))
        hit = next(((number, value, start) for number, text in pages
                    for value, following, start in _stated_titles(text, labels, ignore)
                    if not _same_title(value, following, want, whole, ignore)), None)
        # A document that gives the project's title too names another title as a subtitle,
        # a sub-project or so (looked for only when needed: most state no other title).
        if hit is not None and whole not in squash("\n".join(t for _n, t in pages)):
            number, value, start = hit
            text = pages[number - 1][1]
            run.add(check, doc, [Evidence(doc.path, number, snippet_at(text, start))],
                    found=shorten(value), expected=title, page=number)


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
        if _NOT_A_TITLE.match(value) or len(tokens(value, ignore)) < minimum:
            continue
        yield value.strip(), "\n".join(after.split("\n")[:2]), match.start()


def _same_title(value: str, following: str, want: set[str], whole: str,
                ignore: Collection[str]) -> bool:
    """Whether a stated title is the project's: one contains the other (case, spacing,
    punctuation and hyphenation aside; the stated one may wrap onto the next lines), or
    most of their words are shared."""
    stated = squash(value)
    if stated and (stated in whole or whole in stated or whole in squash(
            value + "\n" + following)):
        return True
    got = set(tokens(dehyphenate(value), ignore))
    if not got:
        return True
    shared = len(got & want)
    return shared / len(got) >= 0.5 or shared / len(want) >= 0.6
