"""What documents must share or mention: a reference number given in one document and found in
the others, words a document must mention, and data years within the approved years."""

from __future__ import annotations

import re
from collections.abc import Sequence

from soknadspakke.core.findings import Evidence
from soknadspakke.core.project import Document
from soknadspakke.rules.consistency.run import Run
from soknadspakke.rules.consistency.text import (
    REFERENCE_RE,
    YEAR_RANGE_RE,
    Found,
    after_labels,
    label_re,
    pages_of,
    snippet_at,
)
from soknadspakke.rules.schema import ConsistencyCheck


def check_reference(run: Run, check: ConsistencyCheck) -> None:
    labels = label_re(check.labels)
    found: Found | None = None
    for doc, texts in run.documents(check.reference_types):
        for number, text in pages_of(texts, check.pages):
            for rest, start in after_labels(text, labels, line=False):
                match = REFERENCE_RE.search(rest[:40])
                if match is not None:
                    found = Found(doc.path, number, snippet_at(text, start), match.group(1))
                    break
            if found:
                break
        if found:
            break
    if found is None:
        return
    parts = [r"\s?".join(part) for part in re.split(r"\D+", found.value) if part]
    wanted = re.compile(r"(?<!\d)" + r"\s*[/-]\s*".join(parts) + r"(?!\d)")
    for doc, texts in run.documents(check.types):
        if doc.path == found.file:
            continue
        if any(wanted.search(t) for t in texts):
            continue
        run.add(check, doc, [Evidence(found.file, found.page, found.text)],
                reference=found.value, other=found.file, page=found.page)


def check_mentions(run: Run, check: ConsistencyCheck) -> None:
    words = label_re(check.words, prefix=True)
    assert words is not None
    for doc, texts in run.documents(check.types):
        if any(words.search(t) for _n, t in pages_of(texts, check.pages)):
            continue
        run.add(check, doc, [Evidence(doc.path, None, "")],
                words=", ".join(f"“{w}”" for w in check.words[:4]))


def _year_ranges(run: Run, check: ConsistencyCheck, types: Sequence[str]
                 ) -> list[tuple[Document, Found]]:
    labels = label_re(check.labels)
    result = []
    for doc, texts in run.documents(types):
        for number, text in pages_of(texts, check.pages):
            for rest, start in after_labels(text, labels):
                for match in YEAR_RANGE_RE.finditer(rest):
                    a, b = int(match.group("a")), int(match.group("b"))
                    if a <= b:
                        result.append((doc, Found(doc.path, number, snippet_at(text, start),
                                                  (a, b))))
    return result


def check_data_years(run: Run, check: ConsistencyCheck) -> None:
    approved = _year_ranges(run, check, check.reference_types)
    if not approved:
        return
    low = min(f.value[0] for _d, f in approved)
    high = max(f.value[1] for _d, f in approved)
    basis = approved[0][1]
    reported: set[str] = set()
    for doc, found in _year_ranges(run, check, check.types):
        a, b = found.value
        if (a >= low and b <= high) or doc.path in reported:
            continue
        reported.add(doc.path)
        run.add(check, doc, [Evidence(doc.path, found.page, found.text),
                             Evidence(basis.file, basis.page, basis.text)],
                years=f"{a}–{b}", approved=f"{low}–{high}", other=basis.file,
                page=found.page)
