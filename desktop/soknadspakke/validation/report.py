"""Validating an application: the rules engine plus the checks of the files on disk, gathered
into one :class:`Report`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from soknadspakke.core.changes import ChangeSummary, compare_with_previous
from soknadspakke.core.findings import Finding, Severity, count_by_severity, sort_findings
from soknadspakke.core.fingerprints import Fingerprints
from soknadspakke.core.library import library_findings
from soknadspakke.core.project import Project
from soknadspakke.core.tasks import CancelFn, ProgressFn
from soknadspakke.rules.engine import Evaluation, evaluate
from soknadspakke.rules.schema import RulePack
from soknadspakke.validation.files import FileFindings, FileState, check_files
from soknadspakke.validation.intake import IntakeFindings, consistency_findings

REPORT_FORMAT = "soknadspakke-report/1"


@dataclass(frozen=True)
class Report:
    """Everything validation found, ready for the CLI, the GUI and the cover sheet."""

    pack: RulePack
    evaluation: Evaluation
    findings: tuple[Finding, ...]
    files: Mapping[str, FileState]
    #: A change application's differences from the earlier application it started from.
    changes: ChangeSummary | None = None

    @property
    def ready(self) -> bool:
        return not any(f.is_error for f in self.findings)

    def counts(self) -> dict[Severity, int]:
        return count_by_severity(self.findings)

    def to_dict(self, lang: str) -> dict[str, Any]:
        """The public JSON report (``soknadspakke validate --format json``)."""
        counts = self.counts()
        return {
            "format": REPORT_FORMAT,
            "ready": self.ready,
            "rule_pack": {"id": self.pack.id, "version": self.pack.version},
            "summary": {s.value: counts[s] for s in Severity},
            "facts": {k: (v.isoformat() if isinstance(v, date) else v)
                      for k, v in self.evaluation.facts.items() if v is not None},
            "findings": [f.to_dict(lang, with_guidance=True) for f in self.findings],
            "satisfied": [{"rule": s.rule, "document_types": list(s.document_types),
                           "files": list(s.files), "source": list(s.source),
                           "message": s.message.render(lang)}
                          for s in self.evaluation.satisfied],
            **({"changes": self.changes.to_dict()} if self.changes is not None else {}),
        }


def validate_project(project: Project, pack: RulePack, *, options: Mapping[str, str] | None = None,
                     today: date | None = None, files: bool = True,
                     file_findings: FileFindings | None = None,
                     progress: ProgressFn | None = None, cancel: CancelFn | None = None,
                     fingerprints: Fingerprints | None = None, rehash: bool = False
                     ) -> Report:
    """Check an application: rules, and (with ``files``) the files on disk (see
    :func:`check_files` for ``fingerprints`` and ``rehash``)."""
    evaluation = evaluate(project, pack, options=options, today=today)
    found = list(evaluation.findings)
    states: dict[str, FileState] = {}
    if files:
        file_results, states = check_files(project, pack, file_findings=file_findings,
                                           progress=progress, cancel=cancel,
                                           fingerprints=fingerprints, rehash=rehash)
        found += file_results
        if isinstance(file_findings, IntakeFindings):
            found += consistency_findings(project, pack, file_findings, evaluation.facts,
                                          options)
        found += library_findings(project)
    return Report(pack, evaluation, tuple(sort_findings(found)), states,
                  compare_with_previous(project))


