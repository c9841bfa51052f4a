"""The rule pack's shape: frozen dataclasses loaded from ``resources/rules/*.toml``.

A rule pack holds everything agency-specific: the questions the program asks, the document
types, the requirements (each with its id, severity, bokmål and English message and the guidance
paragraphs behind it), derived facts (e.g. the GDPR era from a date), named options for disputed
readings, and general checks (validity dates, dual tags, package size). What it says about
delivering the package (cover sheet, e-mail) is in :mod:`.delivery`, about change applications
and pack versions in :mod:`.versions`.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from soknadspakke.core.findings import Severity
from soknadspakke.core.i18n import LocalText
from soknadspakke.rules.delivery import Cover, Submission
from soknadspakke.rules.expr import Expr
from soknadspakke.rules.versions import ChangeTemplate, Migration


class QuestionKind(enum.Enum):
    CHOICE = "choice"
    MULTI = "multi"
    BOOL = "bool"
    DATE = "date"
    TEXT = "text"


@dataclass(frozen=True)
class Choice:
    id: str
    label: LocalText


@dataclass(frozen=True)
class Question:
    id: str
    kind: QuestionKind
    label: LocalText
    help: LocalText | None = None
    choices: tuple[Choice, ...] = ()
    #: Multi-select: free-text entries of the form ``other:<text>`` are allowed.
    allow_other: bool = False
    #: When the question applies; ``None`` = always.
    ask_when: Expr | None = None
    #: Used when a question applies and has no answer; ``None`` = an answer is required.
    default: Any = None
    #: Whether an empty list is a complete answer (multi-select).
    min_items: int = 0
    source: tuple[str, ...] = ()

    def choice_ids(self) -> tuple[str, ...]:
        return tuple(c.id for c in self.choices)

    def choice_label(self, value: str) -> LocalText:
        """The label of a choice id, or the free text of an ``other:`` entry."""
        for choice in self.choices:
            if choice.id == value:
                return choice.label
        if value.startswith("other:"):
            text = value.split(":", 1)[1].strip()
            return LocalText({"nb": text, "en": text})
        return LocalText({"nb": value, "en": value})


class DerivedKind(enum.Enum):
    DATE_THRESHOLD = "date_threshold"
    CLASSIFY_ALL = "classify_all"


@dataclass(frozen=True)
class Derived:
    """A fact computed from answers.

    ``date_threshold``: ``below`` when the date in ``question`` is before ``threshold``,
    otherwise ``at_or_after``. ``classify_all``: ``all_in_value`` when every value of the
    multi-select ``question`` is in ``values`` (and the optional bool ``override`` question is
    not true), otherwise ``otherwise_value``.
    """

    id: str
    kind: DerivedKind
    question: str
    label: LocalText
    values_labels: Mapping[str, LocalText]
    threshold: date | None = None
    below: str = ""
    at_or_after: str = ""
    values: frozenset[str] = frozenset()
    all_in_value: str = ""
    otherwise_value: str = ""
    override: str | None = None
    source: tuple[str, ...] = ()

    def possible_values(self) -> tuple[str, ...]:
        if self.kind is DerivedKind.DATE_THRESHOLD:
            return (self.below, self.at_or_after)
        return (self.all_in_value, self.otherwise_value)


@dataclass(frozen=True)
class Group:
    """A section of the package, in guidance order (application form, protocol, …)."""

    id: str
    label: LocalText


@dataclass(frozen=True)
class DocumentType:
    id: str
    name: LocalText
    short: LocalText
    description: LocalText
    group: str
    keywords_filename: tuple[str, ...] = ()
    keywords_content: tuple[str, ...] = ()
    #: An approval, decision or agreement: its ``valid_until`` is checked against the period.
    approval: bool = False
    #: When this type belongs in an application; attached otherwise, it gets a warning.
    expected_when: Expr | None = None
    #: Whether one file may carry this type together with another (RULES.md §4).
    never_dual: bool = False
    source: tuple[str, ...] = ()


class RequirementKind(enum.Enum):
    #: Documents must be attached (``all_of`` each, or ``one_of`` any).
    DOCUMENTS = "documents"
    #: The application cannot proceed when the condition holds.
    BLOCK = "block"
    #: A reminder or a thing to check by hand when the condition holds.
    NOTICE = "notice"


@dataclass(frozen=True)
class Alternative:
    """A document type that also satisfies a requirement, with a finding saying so."""

    type: str
    severity: Severity
    message: LocalText
    when: Expr | None = None


@dataclass(frozen=True)
class Requirement:
    id: str
    kind: RequirementKind
    severity: Severity
    message: LocalText
    source: tuple[str, ...]
    when: Expr | None = None
    code: str | None = None
    all_of: tuple[str, ...] = ()
    one_of: tuple[str, ...] = ()
    exactly_one: bool = False
    #: Check once per value of this multi-select question (documents' ``data_owner``).
    per: str | None = None
    #: ``type -> document flag`` that must be true for a document of that type to count.
    require_flag: Mapping[str, str] = field(default_factory=dict)
    also_accepts: tuple[Alternative, ...] = ()
    description: LocalText | None = None

    @property
    def document_types(self) -> tuple[str, ...]:
        return self.all_of + self.one_of


@dataclass(frozen=True)
class Option:
    """A named choice between readings of the guidance (RULES.md §5), with its default."""

    id: str
    label: LocalText
    choices: tuple[Choice, ...]
    default: str
    source: tuple[str, ...] = ()


@dataclass(frozen=True)
class GeneralCheck:
    """A pack-level check the engine runs (validity dates, dual tags, size …)."""

    id: str
    severity: Severity
    message: LocalText
    source: tuple[str, ...] = ()
    parameters: Mapping[str, Any] = field(default_factory=dict)


class ConsistencyKind(enum.Enum):
    """What a consistency check reads from the documents' text (RULES.md §6, §7)."""

    #: The document's own date (the first date after one of ``labels`` on its first pages)
    #: against ``before`` / ``not_before``.
    DOCUMENT_DATE = "document_date"
    #: A validity or end date after one of ``labels`` against the project's end; offered as
    #: the document's ``valid_until``.
    VALIDITY_DATE = "validity_date"
    #: A validity or end date after one of ``labels`` in a document whose ``valid_until`` is
    #: not set (and that does not end before the project): offered as its ``valid_until``.
    VALIDITY_SUGGESTION = "validity_suggestion"
    #: A name after one of ``labels`` that is not the project leader.
    PROJECT_LEADER = "project_leader"
    #: An institution after one of ``labels`` that is not the project's (``ignore`` lists
    #: words too common to tell institutions apart).
    INSTITUTION = "institution"
    #: A valid organisation number after one of ``labels`` that is not the project's, in a
    #: document that does not name the project's number at all.
    ORG_NUMBER = "org_number"
    #: A reference after one of ``labels`` in a ``reference_types`` document must appear in
    #: every document of ``types``.
    REFERENCE = "reference"
    #: The text must mention one of ``words``.
    MENTIONS = "mentions"
    #: Years of data (a range after one of ``labels``) in ``types`` must lie within the years
    #: that the ``reference_types`` documents name.
    DATA_YEARS = "data_years"
    #: Some sign of signing (RULES.md §7): one of ``words``, or a signature field or image
    #: that intake saw.
    SIGNATURE = "signature"
    #: The text must name the project fact ``fact`` (e.g. ``institution``): its words (those
    #: not in ``ignore``) or its initials. With ``require_flag``, a document of a listed type
    #: is read only when it has that flag (e.g. a DPIA ``updated_for_this_change``).
    NAMES_FACT = "names_fact"
    #: A project title stated after one of ``labels`` (value on the label's line, or on the
    #: next line when the label stands alone) that is clearly not the project's title (words
    #: in ``ignore`` do not count), in a document that does not give the project's title
    #: anywhere. A document that states no title is not flagged.
    PROJECT_TITLE = "project_title"


@dataclass(frozen=True)
class ConsistencyCheck:
    """A check of what the documents say, against the project or each other (RULES.md §6).

    Every finding is a warning-level reading of a document, names its evidence (file, page,
    text) and the guidance behind it; ``when`` limits it to some applications.
    """

    id: str
    kind: ConsistencyKind
    code: str
    severity: Severity
    message: LocalText
    source: tuple[str, ...]
    #: The document types whose text is read.
    types: tuple[str, ...]
    when: Expr | None = None
    #: Lower-case words or phrases that introduce the value looked for.
    labels: tuple[str, ...] = ()
    #: Lower-case words or phrases: one must occur (``mentions``).
    words: tuple[str, ...] = ()
    #: Lower-case words that do not tell two names apart (``institution``).
    ignore: tuple[str, ...] = ()
    #: Where a reference or the approved years are found.
    reference_types: tuple[str, ...] = ()
    #: ``document_date``: the date must be before this day, or not before it.
    before: date | None = None
    not_before: date | None = None
    #: Read only the first pages (0 = every page).
    pages: int = 0
    #: ``names_fact``: the project fact (``ProjectInfo`` field) the text must name.
    fact: str | None = None
    #: ``type -> document flag``: a document of that type is read only when the flag is set
    #: (documents of types not listed are always read).
    require_flag: Mapping[str, str] = field(default_factory=dict)


#: Field metadata of a :class:`RulePack` field read from the ``[pack]`` table.
PACK_TABLE: Mapping[str, Any] = {"table": "pack"}


@dataclass(frozen=True)
class RulePack:
    """A whole pack; fields marked :data:`PACK_TABLE` are keys of ``[pack]``, the others are
    sections (their TOML key in the ``toml`` metadata when it differs from the name)."""

    id: str = field(metadata=PACK_TABLE)
    version: str = field(metadata=PACK_TABLE)
    name: LocalText = field(metadata=PACK_TABLE)
    guidance: Mapping[str, LocalText]
    questions: tuple[Question, ...]
    derived: tuple[Derived, ...]
    groups: tuple[Group, ...]
    document_types: tuple[DocumentType, ...]
    requirements: tuple[Requirement, ...]
    options: tuple[Option, ...]
    checks: Mapping[str, GeneralCheck]
    #: Pairs of type ids one file may carry together without a warning.
    allowed_dual_tags: frozenset[frozenset[str]] = field(metadata={"toml": "dual_tags"})
    guidance_title: LocalText | None = field(default=None, metadata=PACK_TABLE)
    #: The multi-select question whose answers are the data owners that documents name
    #: (``data_owner``): per-owner requirements (``per``) and ``data_owner_not_selected`` read
    #: it; ``None``: the pack has no data owners.
    data_owner_question: str | None = field(default=None, metadata=PACK_TABLE)
    #: The choice question saying what kind of application this is (the workspace status's
    #: type, the e-mail subject's ``{application_type}``, the package manifest).
    application_type_question: str | None = field(default=None, metadata=PACK_TABLE)
    cover: Cover = field(default_factory=Cover)
    #: Where and how the application is sent; ``None`` when the pack does not say.
    submission: Submission | None = None
    #: How a change application starts from an earlier one; ``None``: the pack has no changes.
    change_application: ChangeTemplate | None = None
    #: Checks of the documents' text against the project and each other (RULES.md §6).
    consistency: tuple[ConsistencyCheck, ...] = ()
    #: Ids renamed and removed per earlier version, for older project files.
    migrations: tuple[Migration, ...] = ()

    def question(self, qid: str) -> Question:
        for q in self.questions:
            if q.id == qid:
                return q
        raise KeyError(qid)

    def document_type(self, type_id: str) -> DocumentType:
        for t in self.document_types:
            if t.id == type_id:
                return t
        raise KeyError(type_id)

    def has_document_type(self, type_id: str) -> bool:
        return any(t.id == type_id for t in self.document_types)

    def requirement(self, rid: str) -> Requirement:
        for r in self.requirements:
            if r.id == rid:
                return r
        raise KeyError(rid)

    def type_name(self, type_id: str) -> LocalText:
        if self.has_document_type(type_id):
            return self.document_type(type_id).name
        return LocalText({"nb": type_id, "en": type_id})

    def known_types(self, types: list[str] | tuple[str, ...]) -> list[str]:
        """The pack's types among ``types``, or the pack's fallback type when there are none
        (an empty list for a pack without one)."""
        known = [t for t in types if self.has_document_type(t)]
        if not known and self.cover.fallback_type is not None:
            known = [self.cover.fallback_type]
        return known

    def type_order(self, type_id: str) -> tuple[int, int]:
        """Sort key: the type's group in guidance order, then its place in the pack."""
        group_ids = [g.id for g in self.groups]
        for index, t in enumerate(self.document_types):
            if t.id == type_id:
                return (group_ids.index(t.group), index)
        return (len(group_ids), len(self.document_types))

    def application_type(self, answers: Mapping[str, Any]) -> str | None:
        """The kind of application: the answer to ``application_type_question``, or ``None``
        (no answer, or a pack without that question)."""
        question = self.application_type_question
        value = answers.get(question) if question is not None else None
        return value if isinstance(value, str) else None

    def option_defaults(self) -> dict[str, str]:
        return {o.id: o.default for o in self.options}
