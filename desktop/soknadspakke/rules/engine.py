"""The rules engine: answers + tagged documents + a rule pack → findings.

Pure: no file access (file checks live in :mod:`soknadspakke.validation`), no Qt, and it never
raises on any combination of answers, including missing and wrongly typed ones — those become
findings (``answer_missing``, ``invalid_answer``).

Finding codes produced here (besides the codes a pack names for its block/notice rules):

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

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

from soknadspakke.core.findings import Finding, Severity, sort_findings
from soknadspakke.core.i18n import LocalText, T, Text, join_texts
from soknadspakke.core.idnumbers import is_valid_org_number
from soknadspakke.core.project import Document, Project
from soknadspakke.rules.expr import MISSING, Expr, NeedsAnswer
from soknadspakke.rules.schema import (
    Alternative,
    Derived,
    DerivedKind,
    Question,
    QuestionKind,
    Requirement,
    RequirementKind,
    RulePack,
)

MAX_TYPES_PER_DOCUMENT = 2
_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_AND = T(" and ")
_OR = T(" or ")


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


def _guidance(pack: RulePack, source: Sequence[str]) -> dict[str, Text]:
    return {s: pack.guidance[s] for s in source if s in pack.guidance}


class _Run:
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

    # -- helpers -------------------------------------------------------------------------
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
            return _derive(self.derived[name], self.values)
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
            value, problem = _coerce(question, raw)
            if problem is not None:
                self.values[question.id] = MISSING
                self.add(Severity.ERROR, "invalid_answer",
                         T("The answer to “{question}” cannot be used: {problem}",
                           question=question.label, problem=problem),
                         source=question.source, field_name=f"answers.{question.id}")
                continue
            self.values[question.id] = value
        for derived in self.pack.derived:
            self.values[derived.id] = _derive(derived, self.values)

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
        names = self.type_names(req.document_types, _OR if req.one_of else _AND)
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
                                            types=self.type_names([type_id], _AND), **params),
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
                 req.message.format(types=self.type_names(req.one_of, _OR),
                                    type=self.type_names(req.one_of, _OR), **params),
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
                                            types=self.type_names(missing, _OR)),
                         rule=req.id, types=[alt.type], files=files, source=req.source)
                self.satisfy(req, files)
                return True
        return False

    def satisfy(self, req: Requirement, files: Sequence[str]) -> None:
        self.satisfied.append(Satisfied(req.id, req.description or req.message.format(
            type=self.type_names(req.document_types, _OR),
            types=self.type_names(req.document_types, _OR if req.one_of else _AND), owner=""),
            req.document_types, tuple(dict.fromkeys(files)), req.source))

    # -- documents and project facts -----------------------------------------------------
    def check_documents_tags(self) -> None:
        pack = self.pack
        checks = pack.checks
        owners = self.values.get(pack.data_owner_question) if pack.data_owner_question else None
        for doc in self.project.documents:
            name = doc.path
            if len(set(doc.types)) != len(doc.types):
                # The same type twice is that type once (a hand-edited project file).
                doc = replace(doc, types=list(dict.fromkeys(doc.types)))  # noqa: PLW2901
            unknown = [t for t in doc.types if not pack.has_document_type(t)]
            for type_id in unknown:
                self.add(Severity.ERROR, "unknown_document_type",
                         T("{file} is tagged “{type}”, which is not a document type of this "
                           "rule pack. Choose one of the listed types.", file=name,
                           type=type_id), types=[type_id], files=[name])
            if not doc.types:
                self.add(Severity.WARNING, "untyped_document",
                         T("{file} has no document type yet, so it counts for nothing. "
                           "Choose its type.", file=name), files=[name])
            if len(doc.types) > MAX_TYPES_PER_DOCUMENT:
                self.add(Severity.ERROR, "too_many_types",
                         T("{file} is tagged with {count} types; a file may serve as at most "
                           "two.", file=name, count=len(doc.types)),
                         types=doc.types, files=[name])
            elif len(doc.types) == MAX_TYPES_PER_DOCUMENT and not unknown:
                self.check_dual(doc)
            for type_id in doc.types:
                if not pack.has_document_type(type_id):
                    continue
                dtype = pack.document_type(type_id)
                if "unexpected_type" in checks and self.holds(dtype.expected_when) is False:
                    c = checks["unexpected_type"]
                    self.add(c.severity, "unexpected_document_type",
                             c.message.format(file=name, type=dtype.name),
                             types=[type_id], files=[name], source=c.source)
            if (doc.data_owner and "data_owner_not_selected" in checks
                    and isinstance(owners, list) and doc.data_owner not in owners):
                c = checks["data_owner_not_selected"]
                self.add(c.severity, "data_owner_not_selected",
                         c.message.format(file=name, owner=doc.data_owner),
                         files=[name], source=c.source)
            self.check_validity(doc)

    def check_dual(self, doc: Document) -> None:
        checks = self.pack.checks
        pair = frozenset(doc.types)
        never = [t for t in doc.types if self.pack.document_type(t).never_dual]
        if never and "never_dual" in checks:
            c = checks["never_dual"]
            self.add(c.severity, "never_dual",
                     c.message.format(file=doc.path, type=self.pack.type_name(never[0])),
                     types=doc.types, files=[doc.path], source=c.source)
        elif pair not in self.pack.allowed_dual_tags and "dual_tag" in checks:
            c = checks["dual_tag"]
            self.add(c.severity, "disallowed_dual_tag",
                     c.message.format(file=doc.path, types=self.type_names(doc.types, _AND)),
                     types=doc.types, files=[doc.path], source=c.source)

    def check_validity(self, doc: Document) -> None:
        if doc.valid_until is None:
            return
        pack = self.pack
        if not any(pack.has_document_type(t) and pack.document_type(t).approval
                   for t in doc.types):
            return
        checks = pack.checks
        until = doc.valid_until
        end = self.project.info.period_end
        params = {"file": doc.path, "date": until.isoformat(),
                  "period_end": end.isoformat() if end else ""}
        if until < self.today and "approval_expired" in checks:
            c = checks["approval_expired"]
            self.add(c.severity, "approval_expired", c.message.format(**params),
                     types=doc.types, files=[doc.path], source=c.source)
        elif end is not None and until < end and "approval_validity" in checks:
            c = checks["approval_validity"]
            self.add(c.severity, "approval_expires_before_period_end",
                     c.message.format(**params), types=doc.types, files=[doc.path],
                     source=c.source)
        if "approval_expires_soon" in checks and until >= self.today:
            c = checks["approval_expires_soon"]
            days = int(c.parameters.get("days", 60))
            if until <= self.today + timedelta(days=days):
                self.add(c.severity, "approval_expires_soon",
                         c.message.format(days=days, **params),
                         types=doc.types, files=[doc.path], source=c.source)

    def check_project_facts(self) -> None:
        info = self.project.info
        labels = {"title": T("the project title"), "project_leader": T("the project leader"),
                  "institution": T("the institution")}
        for key, label in labels.items():
            if not str(getattr(info, key)).strip():
                self.add(Severity.WARNING, "project_field_missing",
                         T("Fill in {what}: it goes on the cover sheet and must match the "
                           "application form.", what=label), field_name=f"project.{key}")
        if info.org_number and not is_valid_org_number(info.org_number):
            self.add(Severity.WARNING, "invalid_org_number",
                     T("The organisation number {number} fails its check digit; check it "
                       "against the Brønnøysund Register.", number=info.org_number),
                     field_name="project.org_number")
        if info.period_start and info.period_end and info.period_end < info.period_start:
            self.add(Severity.ERROR, "invalid_period",
                     T("The project ends ({end}) before it starts ({start}).",
                       end=info.period_end.isoformat(), start=info.period_start.isoformat()),
                     field_name="project.period_end")
        if info.contact_email and not _EMAIL_RE.match(info.contact_email):
            self.add(Severity.WARNING, "invalid_email",
                     T("“{email}” does not look like an e-mail address.",
                       email=info.contact_email), field_name="project.contact_email")


def _coerce(question: Question, raw: Any, *, complete: bool = True) -> tuple[Any, Text | None]:
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


def _derive(derived: Derived, values: Mapping[str, Any]) -> Any:
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


def evaluate(project: Project, pack: RulePack, *, options: Mapping[str, str] | None = None,
             today: date | None = None) -> Evaluation:
    """Check ``project`` against ``pack``. Never raises on odd answers or documents."""
    run = _Run(project, pack, options or {}, today or date.today())
    run.resolve_answers()
    for requirement in pack.requirements:
        run.check_requirement(requirement)
    run.check_documents_tags()
    run.check_project_facts()
    facts = {k: (None if v is MISSING else v) for k, v in run.values.items()}
    return Evaluation(tuple(sort_findings(run.findings)), tuple(run.satisfied), facts,
                      tuple(run.applicable), tuple(run.outcomes))


def answer_problem(question: Question, raw: Any, *, complete: bool = True) -> Text | None:
    """Why ``raw`` cannot answer ``question`` (``complete``: also too few choices), or None."""
    return _coerce(question, raw, complete=complete)[1]


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
