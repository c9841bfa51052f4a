"""Answers to a pack's questions: an answer's usable value or why it cannot be used, the facts
derived from answers, and every unusable answer of a project file."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from soknadspakke.core.i18n import T, Text
from soknadspakke.core.project import Project
from soknadspakke.rules.expr import MISSING
from soknadspakke.rules.schema import Derived, DerivedKind, Question, QuestionKind, RulePack


def coerce_answer(question: Question, raw: Any, *, complete: bool = True
                  ) -> tuple[Any, Text | None]:
    """The usable value of an answer, or a reason it cannot be used.

    ``complete=False`` checks only type and allowed values, not whether enough was chosen.
    """
    kind = question.kind
    if kind is QuestionKind.BOOL:
        if isinstance(raw, bool):
            return raw, None
        return None, T("expected yes or no (true/false)")
    if kind is QuestionKind.CHOICE:
        if isinstance(raw, str) and raw in question.choice_ids():
            return raw, None
        return None, T("“{value}” is not one of: {choices}", value=str(raw)[:60],
                       choices=", ".join(question.choice_ids()))
    if kind is QuestionKind.MULTI:
        return _coerce_multi(question, raw, complete=complete)
    if kind is QuestionKind.DATE:
        if isinstance(raw, str):
            try:
                return date.fromisoformat(raw), None
            except ValueError:
                pass
        return None, T("expected a date of the form YYYY-MM-DD")
    if isinstance(raw, str):
        return raw, None
    return None, T("expected text")


def _coerce_multi(question: Question, raw: Any, *, complete: bool) -> tuple[Any, Text | None]:
    """A multiple-choice answer: a list of the question's choices (or ``other:`` text where
    allowed), each once, enough of them when ``complete``."""
    if not isinstance(raw, list):
        return None, T("expected a list of choices")
    for item in raw:
        ok = isinstance(item, str) and (
            item in question.choice_ids()
            or (question.allow_other and item.startswith("other:")
                and item[6:].strip() != ""))
        if not ok:
            return None, T("“{value}” is not one of: {choices}", value=str(item)[:60],
                           choices=", ".join(question.choice_ids()))
    if complete and len(raw) < question.min_items:
        return None, T("choose at least {count}", count=question.min_items)
    return list(dict.fromkeys(raw)), None


def derive_fact(derived: Derived, values: Mapping[str, Any]) -> Any:
    value = values.get(derived.question)
    if value is None or value is MISSING:
        return value
    if derived.kind is DerivedKind.DATE_THRESHOLD:
        assert derived.threshold is not None
        return derived.below if value < derived.threshold else derived.at_or_after
    override = values.get(derived.override) if derived.override else None
    if override is MISSING:
        return MISSING
    if override is True:
        return derived.otherwise_value
    if not value:
        return MISSING
    return derived.all_in_value if set(value) <= derived.values else derived.otherwise_value


def answer_problem(question: Question, raw: Any, *, complete: bool = True) -> Text | None:
    """Why ``raw`` cannot answer ``question`` (``complete``: also too few choices), or None."""
    return coerce_answer(question, raw, complete=complete)[1]


def answer_problems(project: Project, pack: RulePack) -> list[tuple[str, Text]]:
    """``(field, reason)`` for every answer of the wrong type or outside its choices.

    Checked for every question the pack knows, whether or not it applies: a value that can
    never be right means the file is wrong (the CLI refuses such a file with exit code 2).
    """
    problems: list[tuple[str, Text]] = []
    for question in pack.questions:
        raw = project.answers.get(question.id)
        if raw is None:
            continue
        problem = answer_problem(question, raw, complete=False)
        if problem is not None:
            problems.append((f"answers.{question.id}", problem))
    return problems
