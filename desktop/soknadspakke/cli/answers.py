"""Reading answers typed on the command line (``--answer KEY=VALUE`` and prompts)."""

from __future__ import annotations

from datetime import date
from typing import Any

from soknadspakke.core.i18n import _
from soknadspakke.rules.schema import Question, QuestionKind

_YES = {"ja", "j", "yes", "y", "true", "1"}
_NO = {"nei", "n", "no", "false", "0"}
_NONE = {"", "-", "ingen", "none"}


def parse_answer(question: Question, text: str) -> Any:
    """The answer value for ``text``; raises ``ValueError`` with a translated reason."""
    text = text.strip()
    kind = question.kind
    if kind is QuestionKind.BOOL:
        if text.lower() in _YES:
            return True
        if text.lower() in _NO:
            return False
        raise ValueError(_("answer yes or no (ja/nei)"))
    if kind is QuestionKind.DATE:
        try:
            return date.fromisoformat(text).isoformat()
        except ValueError:
            raise ValueError(_("write the date as YYYY-MM-DD")) from None
    if kind is QuestionKind.CHOICE:
        return _choice(question, text)
    if kind is QuestionKind.MULTI:
        if text.lower() in _NONE:
            return []
        values = []
        for raw_part in text.split(","):
            part = raw_part.strip()
            if part.startswith("other:") and question.allow_other and part[6:].strip():
                values.append(part)
            else:
                values.append(_choice(question, part))
        return list(dict.fromkeys(values))
    return text


def _choice(question: Question, text: str) -> str:
    ids = question.choice_ids()
    if text in ids:
        return text
    if text.isdigit() and 1 <= int(text) <= len(ids):
        return ids[int(text) - 1]
    raise ValueError(_("choose one of: {choices}").format(choices=", ".join(ids)))


def describe_choices(question: Question, lang: str) -> list[str]:
    """Numbered choice lines for a prompt."""
    return [f"  {i}. {c.id} – {c.label.render(lang)}"
            for i, c in enumerate(question.choices, start=1)]
