"""Dates the documents state: a document's own date against the pack's limits, and an
approval's validity against the project's end (or offered as the document's ``valid_until``)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from soknadspakke.core.findings import Evidence, Suggestion
from soknadspakke.rules.consistency.run import Run
from soknadspakke.rules.consistency.text import (
    Found,
    after_labels,
    find_dates,
    label_re,
    pages_of,
    snippet_at,
)
from soknadspakke.rules.schema import ConsistencyCheck


def _document_date(check: ConsistencyCheck, texts: Sequence[str], path: str
                  ) -> Found | None:
    labels = label_re(check.labels)
    for number, text in pages_of(texts, check.pages or 2):
        for rest, start in after_labels(text, labels):
            for value, _m in find_dates(rest):
                return Found(path, number, snippet_at(text, start), value)
    return None  # an unlabelled date may be any date the text mentions


def check_document_date(run: Run, check: ConsistencyCheck) -> None:
    for doc, texts in run.documents(check.types):
        found = _document_date(check, texts, doc.path)
        if found is None:
            continue
        value: date = found.value
        if check.before is not None and value >= check.before:
            limit = check.before
        elif check.not_before is not None and value < check.not_before:
            limit = check.not_before
        else:
            continue
        run.add(check, doc, [Evidence(doc.path, found.page, found.text)],
                date=value.isoformat(), limit=limit.isoformat(), page=found.page)


def check_validity_date(run: Run, check: ConsistencyCheck, *, suggest: bool = False) -> None:
    labels = label_re(check.labels)
    end = run.project.info.period_end
    for doc, texts in run.documents(check.types):
        if suggest and doc.valid_until is not None:
            continue
        found: Found | None = None
        for number, text in pages_of(texts, check.pages):
            for rest, start in after_labels(text, labels):
                dates = [d for d, _m in find_dates(rest)]
                if dates:
                    found = Found(doc.path, number, snippet_at(text, start), dates[-1])
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
            run.add(check, doc, [Evidence(doc.path, found.page, found.text)], suggestion,
                    date=value.isoformat(), period_end=end.isoformat() if end else "?",
                    page=found.page)


def check_validity_suggestion(run: Run, check: ConsistencyCheck) -> None:
    check_validity_date(run, check, suggest=True)
