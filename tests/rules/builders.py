"""Building applications in code: a complete, ready base application (new or change), then
vary one thing. Also small helpers to pick findings and check their texts in both languages."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from soknadspakke.core.findings import Finding, Severity
from soknadspakke.core.i18n import LANGUAGES, Text
from soknadspakke.core.project import Document, Project, ProjectInfo
from soknadspakke.rules.engine import Evaluation, evaluate
from soknadspakke.rules.loader import default_pack
from soknadspakke.rules.schema import RulePack

PACK: RulePack = default_pack()
_PLACEHOLDER = re.compile(r"\{[a-z_]+\}")
#: A fixed "today" so validity checks never depend on the calendar.
TODAY = date(2026, 6, 1)
POST_GDPR = "2020-03-01"
PRE_GDPR = "2015-05-05"

NEW_ANSWERS: dict[str, Any] = {
    "application_type": "new",
    "institution_status": "approved",
    "personal_data": True,
    "legal_basis_valid_covering": True,
    "legal_basis_date": POST_GDPR,
    "health_research": False,
    "other_data_owners": [],
    "consent_based": False,
    "identifying_vars": [],
    "ssb_lists_exist": True,
}

CHANGE_ANSWERS: dict[str, Any] = {
    "application_type": "change",
    "change_types": ["new_project_member"],
    "personal_data": True,
    "legal_basis_date": POST_GDPR,
    "basis_covers_change": True,
    "risk_override": False,
    "health_research": False,
    "other_data_owners": [],
    "consent_based": False,
    "identifying_vars": [],
    "ssb_lists_exist": True,
}

#: Documents that make the base new application (post-GDPR) complete: no errors, no warnings
#: from requirements.
NEW_DOCS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("vedlegg/soknadsskjema.pdf", ("application_form_new",)),
    ("vedlegg/protokoll.pdf", ("research_protocol",)),
    ("vedlegg/variabelliste.xlsx", ("ssb_variable_list",)),
    ("vedlegg/dpia.pdf", ("dpia",)),
    ("vedlegg/tilradning.pdf", ("dpo_recommendation",)),
)
CHANGE_DOCS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("vedlegg/endringsskjema.pdf", ("application_form_change",)),
)


def info(**changes: Any) -> ProjectInfo:
    """Complete project facts (valid organisation number and e-mail), with ``changes``."""
    base = ProjectInfo(title="Arbeid og helse", project_leader="Kari Nordmann",
                       institution="Universitetet i Oslo", org_number="123456785",
                       contact_email="kari@example.org", period_start=date(2025, 1, 1),
                       period_end=date(2028, 12, 31))
    for key, value in changes.items():
        setattr(base, key, value)
    return base


def doc(path: str, *types: str, **fields: Any) -> Document:
    return Document(path=path, types=list(types), **fields)


def base_docs(kind: str) -> list[Document]:
    return [doc(p, *t) for p, t in (NEW_DOCS if kind == "new" else CHANGE_DOCS)]


def answers(kind: str, **changes: Any) -> dict[str, Any]:
    """The base answers of a ``new`` or ``change`` application with ``changes``; a value of
    ``DROP`` removes the answer."""
    result = dict(NEW_ANSWERS if kind == "new" else CHANGE_ANSWERS)
    for key, value in changes.items():
        if value is DROP:
            result.pop(key, None)
        else:
            result[key] = value
    return result


class _Drop:
    def __repr__(self) -> str:
        return "DROP"


DROP: Any = _Drop()


def project(kind: str = "new", *, drop_types: Iterable[str] = (),
            add: Sequence[Document] = (), docs: Sequence[Document] | None = None,
            info_changes: Mapping[str, Any] | None = None, **answer_changes: Any) -> Project:
    """A complete application of ``kind``, varied: answers, documents removed by type or
    added, or replaced entirely with ``docs``."""
    dropped = set(drop_types)
    documents = list(docs) if docs is not None else [
        d for d in base_docs(kind) if not dropped & set(d.types)]
    documents += list(add)
    return Project(info(**(info_changes or {})), answers(kind, **answer_changes), documents)


def run(kind: str = "new", *, options: Mapping[str, str] | None = None,
        today: date = TODAY, **changes: Any) -> Evaluation:
    """Evaluate :func:`project` with the shipped pack."""
    return evaluate(project(kind, **changes), PACK, options=options, today=today)


def of(evaluation: Evaluation, *, rule: str | None = None, code: str | None = None
       ) -> list[Finding]:
    """The findings of ``rule`` and/or with ``code``."""
    return [f for f in evaluation.findings
            if (rule is None or f.rule == rule) and (code is None or f.code == code)]


def rules_of(evaluation: Evaluation) -> set[str]:
    return {f.rule for f in evaluation.findings if f.rule}


def type_name(type_id: str) -> Text:
    return PACK.type_name(type_id)


def owner_label(owner: str) -> Text:
    return PACK.question("other_data_owners").choice_label(owner)


def assert_bilingual(finding: Finding, *, contains: Iterable[Text] = (),
                     differ: bool = True) -> None:
    """The message renders in both languages, non-empty, different, and each of
    ``contains`` appears in its rendering for that language."""
    rendered = {lang: finding.message.render(lang) for lang in LANGUAGES}
    for lang, text in rendered.items():
        assert text.strip(), f"empty {lang} message for {finding}"
        assert not _PLACEHOLDER.search(text), f"unfilled placeholder in {lang}: {text}"
        for part in contains:
            assert part.render(lang) in text, f"{part.render(lang)!r} not in {lang}: {text}"
    if differ:
        assert rendered["nb"] != rendered["en"], rendered["nb"]


def assert_finding(finding: Finding, *, severity: Severity, code: str, rule: str | None,
                   types: Sequence[str] = (), source: Sequence[str] | None = None) -> None:
    assert finding.severity is severity, finding
    assert finding.code == code, finding
    assert finding.rule == rule, finding
    assert finding.document_types == tuple(types), finding
    if source is not None:
        assert finding.source == tuple(source), finding
