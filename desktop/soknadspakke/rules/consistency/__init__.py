"""Consistency across documents (RULES.md §6) and signs of signing (§7): what the documents
say, read from the text intake extracted and cached, against the project's facts and each
other.

Pure: the caller hands in each document's page texts (never read again here), the resolved
facts and the ids of findings the user has marked as checked. What is looked for, in which
document types and with which guidance source is the rule pack's ``[[consistency]]`` data; this
module only knows how to read dates, names, organisation numbers, references and years.

Every finding names its evidence (document, page, the text found) and carries a stable ``id``
(code, file and the text found), so the user can mark it as checked and the mark survives
re-validation. Finding codes are the pack's (``code`` of each check).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from typing import Any

from soknadspakke.core.findings import Finding
from soknadspakke.core.project import Project
from soknadspakke.rules.consistency import dates, people, references, signatures
from soknadspakke.rules.consistency.run import Run
from soknadspakke.rules.consistency.text import Texts
from soknadspakke.rules.schema import ConsistencyCheck, ConsistencyKind, RulePack

_KINDS: dict[ConsistencyKind, Callable[[Run, ConsistencyCheck], None]] = {
    ConsistencyKind.DOCUMENT_DATE: dates.check_document_date,
    ConsistencyKind.VALIDITY_DATE: dates.check_validity_date,
    ConsistencyKind.VALIDITY_SUGGESTION: dates.check_validity_suggestion,
    ConsistencyKind.PROJECT_LEADER: people.check_project_leader,
    ConsistencyKind.INSTITUTION: people.check_institution,
    ConsistencyKind.ORG_NUMBER: people.check_org_number,
    ConsistencyKind.REFERENCE: references.check_reference,
    ConsistencyKind.MENTIONS: references.check_mentions,
    ConsistencyKind.DATA_YEARS: references.check_data_years,
    ConsistencyKind.SIGNATURE: signatures.check_signature,
    ConsistencyKind.NAMES_FACT: people.check_names_fact,
    ConsistencyKind.PROJECT_TITLE: people.check_project_title,
}


def types_read(pack: RulePack) -> frozenset[str]:
    """The document types whose text any consistency check reads."""
    return frozenset(t for c in pack.consistency for t in (*c.types, *c.reference_types))


def check_consistency(project: Project, pack: RulePack, facts: Mapping[str, Any], texts: Texts,
                      *, verified: Collection[str] = (), options: Mapping[str, str] | None = None,
                      signed: Collection[str] = ()) -> list[Finding]:
    """The pack's consistency checks over the documents' page texts; ``facts`` are the
    evaluation's answers and derived facts, ``verified`` the ids the user has checked,
    ``signed`` the paths of documents with a signature field or image (intake's hint)."""
    run = Run(project, pack, facts, texts, verified=verified, options=options or {},
               signed=signed)
    for check in pack.consistency:
        if run.applies(check):
            _KINDS[check.kind](run, check)
    return run.findings
