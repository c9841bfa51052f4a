"""Validating an application: the rules engine plus checks of the files on disk.

This is the use case behind ``soknadspakke validate``, the GUI's live findings and the first
step of a build: :func:`validate_project` gathers a :class:`Report` (:mod:`.report`) from the
rules engine, the checks of each document's file (:mod:`.files`, which lists their codes) and,
with intake (:class:`IntakeFindings`, :mod:`.intake`), the rule pack's consistency checks over
the documents' cached text (:mod:`soknadspakke.rules.consistency`; codes are the pack's).
:mod:`.text` writes a report as a readable checklist.
"""

from soknadspakke.validation.files import FileFindings, FileState, check_files, sha256_of
from soknadspakke.validation.intake import (
    AskPassword,
    IntakeFindings,
    consistency_findings,
    type_keywords,
)
from soknadspakke.validation.report import REPORT_FORMAT, Report, validate_project
from soknadspakke.validation.text import (
    answer_text,
    describe_changes,
    fact_label,
    format_report_text,
)

__all__ = [
    "REPORT_FORMAT",
    "AskPassword",
    "FileFindings",
    "FileState",
    "IntakeFindings",
    "Report",
    "answer_text",
    "check_files",
    "consistency_findings",
    "describe_changes",
    "fact_label",
    "format_report_text",
    "sha256_of",
    "type_keywords",
    "validate_project",
]
