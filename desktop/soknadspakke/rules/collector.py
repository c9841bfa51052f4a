"""What one run of the rules engine collects: findings (with the pack's guidance), requirements
met and their outcomes; the resolved answers and derived facts the rules read."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from soknadspakke.core.findings import Finding, Severity
from soknadspakke.core.i18n import T, Text, join_texts
from soknadspakke.core.project import Project
from soknadspakke.rules.answers import derive_fact
from soknadspakke.rules.expr import Expr, NeedsAnswer
from soknadspakke.rules.schema import RulePack


@dataclass(frozen=True)
class Satisfied:
    """A requirement that applies and is met, with the files that meet it."""

    rule: str
    message: Text
    document_types: tuple[str, ...]
    files: tuple[str, ...]
    source: tuple[str, ...]


@dataclass(frozen=True)
class RequirementOutcome:
    """One document requirement that applies to this application, met or not.

    ``documents`` names the required type(s) (for a per-owner rule prefixed by the owner);
    ``files`` are the files that meet it (or, when it is not met, the ones that were found);
    ``severity`` is the requirement's own (an unmet ``error`` blocks, a ``warning`` is a
    recommendation, ``info`` is optional); ``accepted`` marks a rule met by an alternative
    the pack accepts with a remark.
    """

    rule: str
    documents: Text
    files: tuple[str, ...]
    source: tuple[str, ...]
    met: bool
    severity: Severity
    accepted: bool = False


def _guidance(pack: RulePack, source: Sequence[str]) -> dict[str, Text]:
    return {s: pack.guidance[s] for s in source if s in pack.guidance}


AND = T(" and ")
OR = T(" or ")


class Collector:
    """The state of one run: the pack, the project, the values, and what was found."""

    def __init__(self, project: Project, pack: RulePack, options: Mapping[str, str],
                 today: date) -> None:
        self.project = project
        self.pack = pack
        self.options = {**pack.option_defaults(), **{
            k: v for k, v in options.items() if k in pack.option_defaults()}}
        self.today = today
        self.values: dict[str, Any] = {}
        self.findings: list[Finding] = []
        self.satisfied: list[Satisfied] = []
        self.outcomes: list[RequirementOutcome] = []
        self.applicable: list[str] = []
        self.derived = {d.id: d for d in pack.derived}

    def add(self, severity: Severity, code: str, message: Text, *, rule: str | None = None,
            types: Sequence[str] = (), files: Sequence[str] = (), source: Sequence[str] = (),
            field_name: str | None = None) -> None:
        self.findings.append(Finding(
            severity=severity, code=code, message=message, rule=rule,
            document_types=tuple(types), files=tuple(files), source=tuple(source),
            field=field_name, guidance=_guidance(self.pack, source)))

    def lookup(self, name: str) -> Any:
        if name.startswith("opt."):
            return self.options.get(name[4:])
        if name not in self.values and name in self.derived:
            # A derived fact read by a later question's ask_when: computed from what is known.
            return derive_fact(self.derived[name], self.values)
        return self.values.get(name)

    def holds(self, condition: Expr | None) -> bool | None:
        """True/False, or None when a needed answer is missing (already reported)."""
        if condition is None:
            return True
        try:
            return condition.evaluate(self.lookup)
        except NeedsAnswer:
            return None

    def type_names(self, types: Sequence[str], separator: Text) -> Text:
        return join_texts([self.pack.type_name(t) for t in types], separator)
