"""Findings: what is missing, inconsistent or worth knowing, and why.

A finding is a public contract (``soknadspakke validate --format json``)::

    {"severity": "error", "code": "missing_document", "rule": "N7",
     "document_types": ["dpia", "dpia_negative"], "files": [], "source": ["S12"],
     "message": "..."}

Optional keys: ``page`` (1-based, for findings inside a file), ``field`` (an answer or project
field), ``guidance`` (the guidance sentences behind ``source``, in the chosen language), and for
findings read from the documents' text (consistency checks): ``id`` (stable, for marking it as
checked), ``evidence`` (``[{file, page, text}]``: where it was found and the text found),
``suggestion`` (``{file, field, value}``: a value the user may take, e.g. a ``valid_until``)
and ``verified`` (the user has marked it as checked).
"""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from soknadspakke.core.i18n import Text


class Severity(enum.Enum):
    """How much a finding matters. Only errors block a package from being ready."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        """0 for errors, 1 for warnings, 2 for info: sorts the worst first."""
        return {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}[self]


@dataclass(frozen=True)
class Evidence:
    """Where a finding read from a document's text was found: file, 1-based page, the text."""

    file: str
    page: int | None
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"file": self.file, "page": self.page, "text": self.text}


@dataclass(frozen=True)
class Suggestion:
    """A value the user may take for a document's field (never set without asking)."""

    file: str
    field: str
    value: str

    def to_dict(self) -> dict[str, Any]:
        return {"file": self.file, "field": self.field, "value": self.value}


@dataclass(frozen=True)
class Finding:
    """One result of checking an application or a file."""

    severity: Severity
    code: str
    message: Text
    rule: str | None = None
    document_types: tuple[str, ...] = ()
    files: tuple[str, ...] = ()
    source: tuple[str, ...] = ()
    page: int | None = None
    field: str | None = None
    #: Guidance sentences behind ``source``, keyed by paragraph id (filled in by the engine).
    guidance: Mapping[str, Text] = dataclasses.field(default_factory=dict, compare=False)
    #: A stable id for findings the user can mark as checked (consistency checks).
    id: str | None = None
    evidence: tuple[Evidence, ...] = ()
    suggestion: Suggestion | None = None
    #: The user has marked this finding as checked ("I have verified this").
    verified: bool = False

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def to_dict(self, lang: str, *, with_guidance: bool = False) -> dict[str, Any]:
        """The public JSON shape, with ``message`` in ``lang``."""
        data: dict[str, Any] = {
            "severity": self.severity.value,
            "code": self.code,
            "rule": self.rule,
            "document_types": list(self.document_types),
            "files": list(self.files),
            "source": list(self.source),
            "message": self.message.render(lang),
        }
        if self.page is not None:
            data["page"] = self.page
        if self.field is not None:
            data["field"] = self.field
        if with_guidance and self.guidance:
            data["guidance"] = {k: v.render(lang) for k, v in self.guidance.items()}
        if self.id is not None:
            data["id"] = self.id
            data["verified"] = self.verified
        if self.evidence:
            data["evidence"] = [e.to_dict() for e in self.evidence]
        if self.suggestion is not None:
            data["suggestion"] = self.suggestion.to_dict()
        return data


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Worst first; stable within a severity (rule order is kept)."""
    return sorted(findings, key=lambda f: f.severity.rank)


def count_by_severity(findings: Sequence[Finding]) -> dict[Severity, int]:
    """How many findings of each severity."""
    counts = dict.fromkeys(Severity, 0)
    for finding in findings:
        counts[finding.severity] += 1
    return counts


def has_errors(findings: Iterable[Finding]) -> bool:
    """True when any finding blocks readiness."""
    return any(f.is_error for f in findings)
