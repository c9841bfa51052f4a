"""The rules engine: answers + tagged documents + a rule pack → findings.

Pure: no file access (file checks live in :mod:`soknadspakke.validation`), no Qt, and it never
raises on any combination of answers, including missing and wrongly typed ones — those become
findings (``answer_missing``, ``invalid_answer``).

The answers are read by :mod:`.answers`, findings gathered by :mod:`.collector`, and each
document and the project's facts checked by :mod:`.document_checks`; this module checks the
requirements. Finding codes produced (besides the codes a pack names for its block/notice
rules):

``missing_document``        a required document type has no file (one per type for "all of",
                            one listing every alternative for "one of")
``too_many_documents``      a type that must occur exactly once occurs more often
``accepted_alternative``    satisfied by a type the pack accepts with a remark (N3, A14)
``answer_missing``          a question that applies has no answer
``invalid_answer``          an answer of the wrong type or outside its choices
``unknown_answer``          an answer key the pack does not ask
``unknown_document_type``   a document tagged with a type id the pack does not know
``untyped_document``        a document with no type
``too_many_types``          a document with more than two types
``disallowed_dual_tag``     two types on one file that the pack does not allow together
``never_dual``              a type that must be a separate attachment shares its file
``unexpected_document_type`` a type that does not belong in this kind of application
``approval_expires_before_period_end``  ``valid_until`` is before the project's end
``approval_expired``        ``valid_until`` has passed
``approval_expires_soon``   ``valid_until`` is within the pack's warning window
``data_owner_not_selected`` a document names a data owner not among the answers
``project_field_missing``   title, project leader or institution is empty
``invalid_org_number``      the organisation number fails its check digit
``invalid_period``          the project ends before it starts
``invalid_email``           the contact address does not look like an e-mail address
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from soknadspakke.core.findings import Finding, Severity, sort_findings
from soknadspakke.core.i18n import LocalText, T, Text
from soknadspakke.core.project import Document, Project
from soknadspakke.rules.answers import coerce_answer, derive_fact
from soknadspakke.rules.collector import AND, OR, Collector, RequirementOutcome, Satisfied
from soknadspakke.rules.document_checks import check_each_document, check_project_facts
from soknadspakke.rules.expr import MISSING
from soknadspakke.rules.schema import Alternative, Requirement, RequirementKind, RulePack


@dataclass(frozen=True)
class Evaluation:
    """The result of checking one application against a rule pack."""

    findings: tuple[Finding, ...]
    satisfied: tuple[Satisfied, ...] = ()
    #: Resolved answers and derived facts (``era``, ``risk_class``); ``None`` = does not apply.
    facts: Mapping[str, Any] = field(default_factory=dict)
    #: Questions that apply to this application, in order.
    applicable_questions: tuple[str, ...] = ()
    #: Every document requirement that applies, in the pack's order (the compliance matrix).
    requirements: tuple[RequirementOutcome, ...] = ()

    @property
    def ready(self) -> bool:
        return not any(f.is_error for f in self.findings)


class _Run(Collector):
    """One evaluation: the answers resolved, then every requirement checked."""

    # -- answers -------------------------------------------------------------------------
    def resolve_answers(self) -> None:
        answers = self.project.answers
        known = {q.id for q in self.pack.questions} | {d.id for d in self.pack.derived}
        for key in answers:
            if key not in known:
                self.add(Severity.WARNING, "unknown_answer",
                         T("The project file answers '{key}', which this rule pack does not "
                           "ask; the answer is ignored.", key=key), field_name=f"answers.{key}")
        for question in self.pack.questions:
            applies = self.holds(question.ask_when)
            if not applies:
                self.values[question.id] = None
                continue
            self.applicable.append(question.id)
            raw = answers.get(question.id)
            if raw is None:
                raw = question.default
            if raw is None:
                self.values[question.id] = MISSING
                self.add(Severity.ERROR, "answer_missing",
                         T("Answer the question: {question}", question=question.label),
                         source=question.source, field_name=f"answers.{question.id}")
                continue
            value, problem = coerce_answer(question, raw)
            if problem is not None:
                self.values[question.id] = MISSING
                self.add(Severity.ERROR, "invalid_answer",
                         T("The answer to “{question}” cannot be used: {problem}",
                           question=question.label, problem=problem),
                         source=question.source, field_name=f"answers.{question.id}")
                continue
            self.values[question.id] = value
        for derived in self.pack.derived:
            self.values[derived.id] = derive_fact(derived, self.values)

    # -- requirements --------------------------------------------------------------------
    def counts(self, documents: Sequence[Document], type_id: str,
               flags: Mapping[str, str]) -> list[Document]:
        flag = flags.get(type_id)
        return [d for d in documents if type_id in d.types
                and (flag is None or bool(getattr(d, flag, False)))]

    def check_requirement(self, req: Requirement) -> None:
        if not self.holds(req.when):
            return
        if req.kind is not RequirementKind.DOCUMENTS:
            self.add(req.severity, req.code or req.id, req.message, rule=req.id,
                     source=req.source)
            return
        if req.per is None:
            self.check_documents(req, self.project.documents, owner=None)
            return
        owners = self.values.get(req.per)
        if not isinstance(owners, list):
            return
        for owner in owners:
            docs = [d for d in self.project.documents
                    if d.data_owner == owner or (d.data_owner is None and len(owners) == 1)]
            self.check_documents(req, docs, owner=owner)

    def check_documents(self, req: Requirement, documents: Sequence[Document],
                        owner: str | None) -> None:
        satisfied, findings = len(self.satisfied), len(self.findings)
        self.check_documents_of(req, documents, owner)
        met = len(self.satisfied) > satisfied
        names = self.type_names(req.document_types, OR if req.one_of else AND)
        if owner is not None and req.per is not None:
            names = T("{owner}: {types}", owner=self.pack.question(req.per).choice_label(owner),
                      types=names)
        if met:
            files = self.satisfied[-1].files
        else:
            files = tuple(dict.fromkeys(
                d.path for t in req.document_types
                for d in self.counts(documents, t, req.require_flag)))
        accepted = any(f.code == "accepted_alternative" for f in self.findings[findings:])
        self.outcomes.append(RequirementOutcome(req.id, names, files, req.source, met,
                                                req.severity, accepted))

    def check_documents_of(self, req: Requirement, documents: Sequence[Document],
                           owner: str | None) -> None:
        owner_label: Text = LocalText({"nb": "", "en": ""})
        if owner is not None and req.per is not None:
            owner_label = self.pack.question(req.per).choice_label(owner)
        code = req.code or "missing_document"
        params: dict[str, object] = {"owner": owner_label}
        files: list[str] = []
        if req.all_of:
            missing = []
            too_many = False
            for type_id in req.all_of:
                found = self.counts(documents, type_id, req.require_flag)
                files += [d.path for d in found]
                if not found:
                    missing.append(type_id)
                elif req.exactly_one and len(found) > 1:
                    too_many = True
                    self.add(Severity.ERROR, "too_many_documents",
                             T("Only one {type} may be attached; found {count}: {files}",
                               type=self.pack.type_name(type_id), count=len(found),
                               files=", ".join(d.path for d in found)),
                             rule=req.id, types=[type_id], files=[d.path for d in found],
                             source=req.source)
            if len(missing) == 1 and self.accept_alternative(req, documents, missing):
                return
            for type_id in missing:
                self.add(req.severity, code,
                         req.message.format(type=self.pack.type_name(type_id),
                                            types=self.type_names([type_id], AND), **params),
                         rule=req.id, types=[type_id], source=req.source)
            if not missing and not too_many:
                self.satisfy(req, files)
            return
        found_any = [d for t in req.one_of for d in self.counts(documents, t, req.require_flag)]
        if found_any:
            self.satisfy(req, [d.path for d in found_any])
            return
        if self.accept_alternative(req, documents, list(req.one_of)):
            return
        self.add(req.severity, code,
                 req.message.format(types=self.type_names(req.one_of, OR),
                                    type=self.type_names(req.one_of, OR), **params),
                 rule=req.id, types=req.one_of, source=req.source)

    def accept_alternative(self, req: Requirement, documents: Sequence[Document],
                           missing: Sequence[str]) -> bool:
        alt: Alternative
        for alt in req.also_accepts:
            if not self.holds(alt.when):
                continue
            found = self.counts(documents, alt.type, req.require_flag)
            if found:
                files = [d.path for d in found]
                self.add(alt.severity, "accepted_alternative",
                         alt.message.format(type=self.pack.type_name(alt.type),
                                            types=self.type_names(missing, OR)),
                         rule=req.id, types=[alt.type], files=files, source=req.source)
                self.satisfy(req, files)
                return True
        return False

    def satisfy(self, req: Requirement, files: Sequence[str]) -> None:
        self.satisfied.append(Satisfied(req.id, req.description or req.message.format(
            type=self.type_names(req.document_types, OR),
            types=self.type_names(req.document_types, OR if req.one_of else AND), owner=""),
            req.document_types, tuple(dict.fromkeys(files)), req.source))






def evaluate(project: Project, pack: RulePack, *, options: Mapping[str, str] | None = None,
             today: date | None = None) -> Evaluation:
    """Check ``project`` against ``pack``. Never raises on odd answers or documents."""
    run = _Run(project, pack, options or {}, today or date.today())
    run.resolve_answers()
    for requirement in pack.requirements:
        run.check_requirement(requirement)
    check_each_document(run)
    check_project_facts(run)
    facts = {k: (None if v is MISSING else v) for k, v in run.values.items()}
    return Evaluation(tuple(sort_findings(run.findings)), tuple(run.satisfied), facts,
                      tuple(run.applicable), tuple(run.outcomes))


