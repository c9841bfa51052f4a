"""The state of one consistency run: which checks apply, the documents a check reads, and the
findings (each with its evidence and a stable id)."""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping, Sequence
from typing import Any

from soknadspakke.core.findings import Evidence, Finding, Suggestion
from soknadspakke.core.project import Document, Project
from soknadspakke.rules.consistency.text import Texts, finding_id
from soknadspakke.rules.expr import NeedsAnswer
from soknadspakke.rules.schema import ConsistencyCheck, RulePack


class Run:
    """One consistency run: the project, pack and texts, and the findings it adds."""

    def __init__(self, project: Project, pack: RulePack, facts: Mapping[str, Any],
                 texts: Texts, *, verified: Collection[str], options: Mapping[str, str],
                 signed: Collection[str]) -> None:
        self.options = {**pack.option_defaults(), **options}
        self.signed = signed
        self.project = project
        self.pack = pack
        self.facts = facts
        self.texts = texts
        self.verified = verified
        self.findings: list[Finding] = []

    def applies(self, check: ConsistencyCheck) -> bool:
        if check.when is None:
            return True
        try:
            return bool(check.when.evaluate(lambda name: self.options.get(name[4:])
                                            if name.startswith("opt.") else self.facts.get(name)))
        except NeedsAnswer:
            return False

    def documents(self, types: Sequence[str], require_flag: Mapping[str, str] | None = None
                  ) -> Iterator[tuple[Document, Sequence[str]]]:
        for doc in self.project.documents:
            matching = set(types) & set(doc.types)
            if require_flag:  # a listed type counts only with its flag
                matching = {t for t in matching if t not in require_flag
                            or getattr(doc, require_flag[t], False) is True}
            if matching:
                texts = self.texts.get(doc.path)
                if texts and any(t.strip() for t in texts):  # a scan says nothing either way
                    yield doc, texts

    def add(self, check: ConsistencyCheck, doc: Document, evidence: Sequence[Evidence],
            suggestion: Suggestion | None = None, *, key: str = "", **params: object) -> None:
        key_text = " | ".join([e.text for e in evidence] + ([key] if key else []))
        fid = finding_id(check.code, doc.path, key_text)
        page = next((e.page for e in evidence if e.file == doc.path and e.page), None)
        self.findings.append(Finding(
            check.severity, check.code, check.message.format(file=doc.path, **params),
            document_types=tuple(doc.types), files=tuple(dict.fromkeys(
                [doc.path, *(e.file for e in evidence)])), source=check.source, page=page,
            guidance={s: self.pack.guidance[s] for s in check.source if s in self.pack.guidance},
            id=fid, evidence=tuple(evidence), suggestion=suggestion,
            verified=fid in self.verified))
