"""Loading a rule pack from TOML into frozen dataclasses, checking every entry.

Errors name the file and the entry, e.g.
``ssb-mikrodata.toml: requirements[N7].when: unknown name 'eraa'``.
"""

from __future__ import annotations

import enum
import tomllib
from collections.abc import Iterable, Mapping
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

from soknadspakke.core.errors import RulePackError
from soknadspakke.core.findings import Severity
from soknadspakke.core.i18n import LANGUAGES, LocalText, _
from soknadspakke.core.project import INFO_FIELDS
from soknadspakke.core.resources import resource_path
from soknadspakke.rules import expr as expressions
from soknadspakke.rules.schema import (
    Alternative,
    ChangeTemplate,
    Choice,
    ConsistencyCheck,
    ConsistencyKind,
    Cover,
    CoverRow,
    Derived,
    DerivedKind,
    DocumentType,
    GeneralCheck,
    Group,
    Option,
    Question,
    QuestionKind,
    Requirement,
    RequirementKind,
    RulePack,
    Submission,
)

DEFAULT_PACK = "ssb-mikrodata"
#: General checks the engine knows how to run; a pack may configure each.
KNOWN_CHECKS = frozenset({"approval_validity", "approval_expired", "approval_expires_soon",
                          "dual_tag", "never_dual", "package_size", "unexpected_type",
                          "data_owner_not_selected"})
#: The settings a check takes besides severity, message and source: ``name -> (type, minimum)``.
CHECK_PARAMETERS: dict[str, dict[str, tuple[tuple[type, ...], float]]] = {
    "approval_expires_soon": {"days": ((int,), 0)},
    "package_size": {"max_mb": ((int, float), 0)},
}


_K = TypeVar("_K", bound=enum.Enum)


class _Ctx:
    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, where: str, message: str) -> RulePackError:
        return RulePackError(message, path=self.path, field=where)

    def table(self, value: Any, where: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(where, _("expected a table, got {type}").format(
                type=type(value).__name__))
        return value

    def array(self, value: Any, where: str) -> list[Any]:
        if not isinstance(value, list):
            raise self.fail(where, _("expected an array, got {type}").format(
                type=type(value).__name__))
        return value

    def string(self, value: Any, where: str) -> str:
        if not isinstance(value, str) or not value.strip():
            raise self.fail(where, _("expected non-empty text"))
        return value

    def strings(self, value: Any, where: str) -> tuple[str, ...]:
        items = self.array(value, where)
        return tuple(self.string(v, f"{where}[{i}]") for i, v in enumerate(items))

    def text(self, value: Any, where: str) -> LocalText:
        table = self.table(value, where)
        for lang in LANGUAGES:
            if lang not in table:
                raise self.fail(where, _("the '{lang}' text is missing (every text needs "
                                         "{languages})").format(
                                             lang=lang, languages=_(" and ").join(LANGUAGES)))
            self.string(table[lang], f"{where}.{lang}")
        extra = set(table) - set(LANGUAGES)
        if extra:
            raise self.fail(where, _("unknown language(s) {languages}").format(
                languages=sorted(extra)))
        return LocalText(dict(table))

    def severity(self, value: Any, where: str) -> Severity:
        try:
            return Severity(value)
        except ValueError:
            raise self.fail(where, _("severity must be error, warning or info, not {value}"
                                     ).format(value=repr(value))) from None

    def kind(self, enum_type: type[_K], value: Any, where: str) -> _K:
        """``value`` as a member of ``enum_type``, or an error listing the allowed kinds."""
        try:
            return enum_type(value)
        except ValueError:
            raise self.fail(where, _("unknown kind {kind}; one of {kinds}").format(
                kind=repr(value), kinds=[k.value for k in enum_type])) from None

    def only_keys(self, table: Mapping[str, Any], allowed: Iterable[str], where: str) -> None:
        unknown = set(table) - set(allowed)
        if unknown:
            raise self.fail(where, _("unknown key(s) {keys}; allowed: {allowed}").format(
                keys=sorted(unknown), allowed=sorted(allowed)))

    def condition(self, value: Any, where: str) -> expressions.Expr | None:
        if value is None:
            return None
        try:
            return expressions.parse(self.string(value, where))
        except expressions.ExpressionError as exc:
            raise self.fail(where, str(exc)) from None


def _entry(raw: Mapping[str, Any], where: str, kind: str) -> str:
    """``kind[id]`` when the entry has a usable id, else ``where`` (``kind[index]``)."""
    entry_id = raw.get("id")
    if isinstance(entry_id, str) and entry_id.strip():
        return f"{kind}[{entry_id}]"
    return where


def _choices(ctx: _Ctx, raw: Any, where: str) -> tuple[Choice, ...]:
    result = []
    for i, item in enumerate(ctx.array(raw, where)):
        entry = ctx.table(item, f"{where}[{i}]")
        ctx.only_keys(entry, ("id", "label"), f"{where}[{i}]")
        result.append(Choice(ctx.string(entry.get("id"), f"{where}[{i}].id"),
                             ctx.text(entry.get("label"), f"{where}[{i}].label")))
    ids = [c.id for c in result]
    if len(set(ids)) != len(ids):
        raise ctx.fail(where, _("duplicate choice ids"))
    return tuple(result)


def _question(ctx: _Ctx, raw: dict[str, Any], where: str) -> Question:
    where = _entry(raw, where, "questions")
    ctx.only_keys(raw, ("id", "kind", "label", "help", "choices", "allow_other", "ask_when",
                        "default", "min_items", "source"), where)
    qid = ctx.string(raw.get("id"), f"{where}.id")
    where = f"questions[{qid}]"
    kind = ctx.kind(QuestionKind, raw.get("kind"), f"{where}.kind")
    choices = _choices(ctx, raw.get("choices", []), f"{where}.choices")
    if kind in (QuestionKind.CHOICE, QuestionKind.MULTI) and not choices:
        raise ctx.fail(f"{where}.choices", _("a choice question needs choices"))
    return Question(
        id=qid, kind=kind, label=ctx.text(raw.get("label"), f"{where}.label"),
        help=ctx.text(raw["help"], f"{where}.help") if "help" in raw else None,
        choices=choices, allow_other=bool(raw.get("allow_other", False)),
        ask_when=ctx.condition(raw.get("ask_when"), f"{where}.ask_when"),
        default=raw.get("default"), min_items=int(raw.get("min_items", 0)),
        source=ctx.strings(raw.get("source", []), f"{where}.source"),
    )


def _derived(ctx: _Ctx, raw: dict[str, Any], where: str) -> Derived:
    where = _entry(raw, where, "derived")
    ctx.only_keys(raw, ("id", "kind", "question", "label", "values_labels", "threshold",
                        "below", "at_or_after", "values", "all_in_value", "otherwise_value",
                        "override", "source"), where)
    did = ctx.string(raw.get("id"), f"{where}.id")
    where = f"derived[{did}]"
    kind = ctx.kind(DerivedKind, raw.get("kind"), f"{where}.kind")
    labels = ctx.table(raw.get("values_labels", {}), f"{where}.values_labels")
    threshold = raw.get("threshold")
    if kind is DerivedKind.DATE_THRESHOLD and not isinstance(threshold, date):
        raise ctx.fail(f"{where}.threshold", _("expected a TOML date (e.g. 2018-07-20)"))
    derived = Derived(
        id=did, kind=kind, question=ctx.string(raw.get("question"), f"{where}.question"),
        label=ctx.text(raw.get("label"), f"{where}.label"),
        values_labels={k: ctx.text(v, f"{where}.values_labels.{k}") for k, v in labels.items()},
        threshold=threshold if isinstance(threshold, date) else None,
        below=str(raw.get("below", "")), at_or_after=str(raw.get("at_or_after", "")),
        values=frozenset(ctx.strings(raw.get("values", []), f"{where}.values")),
        all_in_value=str(raw.get("all_in_value", "")),
        otherwise_value=str(raw.get("otherwise_value", "")),
        override=raw.get("override"),
        source=ctx.strings(raw.get("source", []), f"{where}.source"),
    )
    for value in derived.possible_values():
        if not value:
            raise ctx.fail(where, _("both result values must be named"))
        if value not in derived.values_labels:
            raise ctx.fail(f"{where}.values_labels", _("no label for value {value}").format(
                value=repr(value)))
    return derived


def _document_type(ctx: _Ctx, raw: dict[str, Any], where: str, groups: set[str]
                   ) -> DocumentType:
    where = _entry(raw, where, "document_types")
    ctx.only_keys(raw, ("id", "name", "short", "description", "group", "keywords_filename",
                        "keywords_content", "approval", "expected_when", "never_dual",
                        "source"), where)
    tid = ctx.string(raw.get("id"), f"{where}.id")
    where = f"document_types[{tid}]"
    group = ctx.string(raw.get("group"), f"{where}.group")
    if group not in groups:
        raise ctx.fail(f"{where}.group", _("unknown group {group}; groups: {groups}").format(
            group=repr(group), groups=sorted(groups)))
    return DocumentType(
        id=tid, name=ctx.text(raw.get("name"), f"{where}.name"),
        short=ctx.text(raw.get("short"), f"{where}.short"),
        description=ctx.text(raw.get("description"), f"{where}.description"), group=group,
        keywords_filename=tuple(k.lower() for k in ctx.strings(
            raw.get("keywords_filename", []), f"{where}.keywords_filename")),
        keywords_content=tuple(k.lower() for k in ctx.strings(
            raw.get("keywords_content", []), f"{where}.keywords_content")),
        approval=bool(raw.get("approval", False)),
        expected_when=ctx.condition(raw.get("expected_when"), f"{where}.expected_when"),
        never_dual=bool(raw.get("never_dual", False)),
        source=ctx.strings(raw.get("source", []), f"{where}.source"),
    )


def _requirement(ctx: _Ctx, raw: dict[str, Any], where: str) -> Requirement:
    where = _entry(raw, where, "requirements")
    ctx.only_keys(raw, ("id", "kind", "when", "severity", "code", "all_of", "one_of",
                        "exactly_one", "per", "require_flag", "also_accepts", "message",
                        "description", "source"), where)
    rid = ctx.string(raw.get("id"), f"{where}.id")
    where = f"requirements[{rid}]"
    kind = ctx.kind(RequirementKind, raw.get("kind"), f"{where}.kind")
    all_of = ctx.strings(raw.get("all_of", []), f"{where}.all_of")
    one_of = ctx.strings(raw.get("one_of", []), f"{where}.one_of")
    if kind is RequirementKind.DOCUMENTS and bool(all_of) == bool(one_of):
        raise ctx.fail(where, _("a documents requirement needs exactly one of all_of / one_of"))
    if kind is not RequirementKind.DOCUMENTS and (all_of or one_of):
        raise ctx.fail(where, _("a {kind} requirement lists no documents").format(
            kind=kind.value))
    if kind is not RequirementKind.DOCUMENTS and not raw.get("code"):
        raise ctx.fail(f"{where}.code", _("a {kind} requirement needs a finding code").format(
            kind=kind.value))
    source = ctx.strings(raw.get("source", []), f"{where}.source")
    if not source:
        raise ctx.fail(f"{where}.source", _("every requirement names the guidance behind it"))
    flags = ctx.table(raw.get("require_flag", {}), f"{where}.require_flag")
    alternatives = []
    for i, alt in enumerate(ctx.array(raw.get("also_accepts", []), f"{where}.also_accepts")):
        aw = f"{where}.also_accepts[{i}]"
        entry = ctx.table(alt, aw)
        ctx.only_keys(entry, ("type", "severity", "message", "when"), aw)
        alternatives.append(Alternative(
            type=ctx.string(entry.get("type"), f"{aw}.type"),
            severity=ctx.severity(entry.get("severity"), f"{aw}.severity"),
            message=ctx.text(entry.get("message"), f"{aw}.message"),
            when=ctx.condition(entry.get("when"), f"{aw}.when")))
    return Requirement(
        id=rid, kind=kind, severity=ctx.severity(raw.get("severity"), f"{where}.severity"),
        message=ctx.text(raw.get("message"), f"{where}.message"), source=source,
        when=ctx.condition(raw.get("when"), f"{where}.when"), code=raw.get("code"),
        all_of=all_of, one_of=one_of, exactly_one=bool(raw.get("exactly_one", False)),
        per=raw.get("per"),
        require_flag={ctx.string(k, f"{where}.require_flag"): ctx.string(
            v, f"{where}.require_flag.{k}") for k, v in flags.items()},
        also_accepts=tuple(alternatives),
        description=ctx.text(raw["description"], f"{where}.description")
        if "description" in raw else None,
    )


def _consistency(ctx: _Ctx, raw: dict[str, Any], where: str) -> ConsistencyCheck:
    where = _entry(raw, where, "consistency")
    ctx.only_keys(raw, ("id", "kind", "code", "when", "severity", "message", "source", "types",
                        "labels", "words", "ignore", "reference_types", "before", "not_before",
                        "pages", "fact", "require_flag"), where)
    cid = ctx.string(raw.get("id"), f"{where}.id")
    where = f"consistency[{cid}]"
    kind = ctx.kind(ConsistencyKind, raw.get("kind"), f"{where}.kind")
    source = ctx.strings(raw.get("source", []), f"{where}.source")
    if not source:
        raise ctx.fail(f"{where}.source", _("every check names the guidance behind it"))
    types = ctx.strings(raw.get("types", []), f"{where}.types")
    if not types:
        raise ctx.fail(f"{where}.types", _("name the document types to read"))
    dates: dict[str, date | None] = {}
    for key in ("before", "not_before"):
        value = raw.get(key)
        if value is not None and not isinstance(value, date):
            raise ctx.fail(f"{where}.{key}", _("expected a date (YYYY-MM-DD)"))
        dates[key] = value
    pages = raw.get("pages", 0)
    if not isinstance(pages, int) or isinstance(pages, bool) or pages < 0:
        raise ctx.fail(f"{where}.pages", _("expected a number of at least {minimum}, not "
                                           "{value}").format(minimum=0, value=repr(pages)))
    check = ConsistencyCheck(
        id=cid, kind=kind, code=ctx.string(raw.get("code"), f"{where}.code"),
        severity=ctx.severity(raw.get("severity"), f"{where}.severity"),
        message=ctx.text(raw.get("message"), f"{where}.message"), source=source, types=types,
        when=ctx.condition(raw.get("when"), f"{where}.when"),
        labels=tuple(w.lower() for w in ctx.strings(raw.get("labels", []), f"{where}.labels")),
        words=tuple(w.lower() for w in ctx.strings(raw.get("words", []), f"{where}.words")),
        ignore=tuple(w.lower() for w in ctx.strings(raw.get("ignore", []), f"{where}.ignore")),
        reference_types=ctx.strings(raw.get("reference_types", []),
                                    f"{where}.reference_types"),
        before=dates["before"], not_before=dates["not_before"], pages=pages,
        fact=ctx.string(raw["fact"], f"{where}.fact") if "fact" in raw else None,
        require_flag={ctx.string(k, f"{where}.require_flag"): ctx.string(
            v, f"{where}.require_flag.{k}") for k, v in ctx.table(
                raw.get("require_flag", {}), f"{where}.require_flag").items()})
    if check.fact is not None and check.fact not in INFO_FIELDS:
        raise ctx.fail(f"{where}.fact", _("unknown project fact {name} (one of: {names})").format(
            name=repr(check.fact), names=", ".join(INFO_FIELDS)))
    needs = {ConsistencyKind.MENTIONS: ("words", check.words),
             ConsistencyKind.SIGNATURE: ("words", check.words),
             ConsistencyKind.REFERENCE: ("reference_types", check.reference_types),
             ConsistencyKind.DATA_YEARS: ("reference_types", check.reference_types),
             ConsistencyKind.NAMES_FACT: ("fact", check.fact),
             ConsistencyKind.PROJECT_TITLE: ("labels", check.labels)}
    if kind in needs and not needs[kind][1]:
        raise ctx.fail(where, _("a {kind} check needs {key}").format(
            kind=kind.value, key=needs[kind][0]))
    if kind is ConsistencyKind.DOCUMENT_DATE and check.before is None \
            and check.not_before is None:
        raise ctx.fail(where, _("a document_date check needs before or not_before"))
    return check


def _check_references(ctx: _Ctx, pack: RulePack) -> None:
    """Every name, value, type, group and guidance id a pack mentions must exist."""
    questions = {q.id: q for q in pack.questions}
    derived = {d.id: d for d in pack.derived}
    options = {o.id: o for o in pack.options}
    types = {t.id for t in pack.document_types}
    flags = {"updated_for_this_change"}

    def values_of(name: str) -> set[Any] | None:
        if name in questions:
            q = questions[name]
            if q.kind is QuestionKind.BOOL:
                return {True, False}
            if q.kind in (QuestionKind.CHOICE, QuestionKind.MULTI):
                return set(q.choice_ids())
            return None
        if name in derived:
            return set(derived[name].possible_values())
        if name.startswith("opt.") and name[4:] in options:
            return {c.id for c in options[name[4:]].choices}
        return None

    def check_expr(e: expressions.Expr | None, where: str) -> None:
        if e is None:
            return
        for name in e.names():
            if name not in questions and name not in derived and not (
                    name.startswith("opt.") and name[4:] in options):
                raise ctx.fail(where, _("unknown name {name} in {source}").format(
                    name=repr(name), source=repr(e.source)))
        for name, constants in e.comparisons():
            allowed = values_of(name)
            if allowed is None:
                continue
            for const in constants:
                if const is not None and const not in allowed:
                    raise ctx.fail(where, _("{name} is never {value} (values: {values}) in "
                                            "{source}").format(
                        name=repr(name), value=repr(const), values=sorted(map(str, allowed)),
                        source=repr(e.source)))

    def check_sources(src: Iterable[str], where: str) -> None:
        for s in src:
            if s not in pack.guidance:
                raise ctx.fail(where, _("unknown guidance paragraph {id}").format(id=repr(s)))

    order = [q.id for q in pack.questions]
    for q in pack.questions:
        where = f"questions[{q.id}]"
        check_expr(q.ask_when, f"{where}.ask_when")
        if q.ask_when is not None:
            for name in q.ask_when.names():
                if name in derived:
                    name = derived[name].question  # noqa: PLW2901 - check what it reads
                if name in questions and order.index(name) >= order.index(q.id):
                    raise ctx.fail(f"{where}.ask_when", _(
                        "refers to {name}, which is asked later; questions are asked in order"
                    ).format(name=repr(name)))
        check_sources(q.source, f"{where}.source")
    for d in pack.derived:
        if d.question not in questions:
            raise ctx.fail(f"derived[{d.id}].question", _("unknown question {id}").format(
                id=repr(d.question)))
        if d.override is not None and d.override not in questions:
            raise ctx.fail(f"derived[{d.id}].override", _("unknown question {id}").format(
                id=repr(d.override)))
        if d.kind is DerivedKind.CLASSIFY_ALL:
            unknown = d.values - set(questions[d.question].choice_ids())
            if unknown:
                raise ctx.fail(f"derived[{d.id}].values", _("unknown values {values}").format(
                    values=sorted(unknown)))
    for t in pack.document_types:
        check_expr(t.expected_when, f"document_types[{t.id}].expected_when")
        check_sources(t.source, f"document_types[{t.id}].source")
    seen: set[str] = set()
    for r in pack.requirements:
        where = f"requirements[{r.id}]"
        if r.id in seen:
            raise ctx.fail(where, _("duplicate requirement id"))
        seen.add(r.id)
        check_expr(r.when, f"{where}.when")
        check_sources(r.source, f"{where}.source")
        for tid in (*r.all_of, *r.one_of, *r.require_flag, *(a.type for a in r.also_accepts)):
            if tid not in types:
                raise ctx.fail(where, _("unknown document type {id}").format(id=repr(tid)))
        for tid, flag in r.require_flag.items():
            if flag not in flags:
                raise ctx.fail(f"{where}.require_flag.{tid}", _("unknown flag {flag}").format(
                    flag=repr(flag)))
        for i, alt in enumerate(r.also_accepts):
            check_expr(alt.when, f"{where}.also_accepts[{i}].when")
        if r.per is not None and (r.per not in questions
                                  or questions[r.per].kind is not QuestionKind.MULTI):
            raise ctx.fail(f"{where}.per", _("{id} is not a multi-select question").format(
                id=repr(r.per)))
    for pair in pack.allowed_dual_tags:
        for tid in pair:
            if tid not in types:
                raise ctx.fail("dual_tags.allowed", _("unknown document type {id}").format(
                    id=repr(tid)))
    for check in pack.checks.values():
        check_sources(check.source, f"checks.{check.id}.source")
    if pack.submission is not None:
        check_sources(pack.submission.source, "submission.source")
    change = pack.change_application
    if change is not None:
        check_sources(change.source, "change_application.source")
        question = questions.get(change.question)
        if question is None or question.kind is not QuestionKind.CHOICE:
            raise ctx.fail("change_application.question", _(
                "{id} is not a choice question").format(id=repr(change.question)))
        if change.value not in question.choice_ids():
            raise ctx.fail("change_application.value", _("{value} is not a choice").format(
                value=repr(change.value)))
        for qid in change.carry_answers:
            if qid not in questions:
                raise ctx.fail("change_application.carry_answers", _(
                    "unknown question {id}").format(id=repr(qid)))
    seen = set()
    for c in pack.consistency:
        where = f"consistency[{c.id}]"
        if c.id in seen:
            raise ctx.fail(where, _("duplicate id"))
        seen.add(c.id)
        check_expr(c.when, f"{where}.when")
        check_sources(c.source, f"{where}.source")
        for tid in (*c.types, *c.reference_types, *c.require_flag):
            if tid not in types:
                raise ctx.fail(where, _("unknown document type {id}").format(id=repr(tid)))
        for tid, flag in c.require_flag.items():
            if flag not in flags:
                raise ctx.fail(f"{where}.require_flag.{tid}", _("unknown flag {flag}").format(
                    flag=repr(flag)))
    fallback = pack.cover.fallback_type
    if fallback is not None and fallback not in types:
        raise ctx.fail("cover.fallback_type", _("unknown document type {id}").format(
            id=repr(fallback)))
    for i, row in enumerate(pack.cover.rows):
        where = f"cover.rows[{i}]"
        check_expr(row.when, f"{where}.when")
        if row.value not in questions and row.value not in derived \
                and row.value not in INFO_FIELDS:
            raise ctx.fail(f"{where}.value", _("unknown name {name}; a question, a derived "
                                                 "fact or a project fact").format(
                name=repr(row.value)))
    for o in pack.options:
        if o.default not in {c.id for c in o.choices}:
            raise ctx.fail(f"options[{o.id}].default", _("{value} is not a choice").format(
                value=repr(o.default)))


_SUBJECT_FIELDS = frozenset({"title", "application_type", "reference"})


def _submission(ctx: _Ctx, raw: Any) -> Submission:
    entry = ctx.table(raw, "submission")
    ctx.only_keys(entry, ("email", "subject", "max_encoded_mb", "compress_dpi", "source"),
                  "submission")
    email = ctx.string(entry.get("email"), "submission.email")
    local, at, domain = email.partition("@")
    if not (local and at and "." in domain) or any(
            c.isspace() or c in '<>,;"@' for c in local + domain):
        raise ctx.fail("submission.email", _("{value} is not an e-mail address").format(
            value=repr(email)))
    subject = ctx.text(entry.get("subject"), "submission.subject")
    for lang in LANGUAGES:
        try:
            subject.render(lang).format_map(dict.fromkeys(_SUBJECT_FIELDS, ""))
        except (KeyError, ValueError, IndexError) as exc:
            raise ctx.fail("submission.subject", _(
                "the subject may use only {fields} ({error})").format(
                    fields=", ".join(f"{{{f}}}" for f in sorted(_SUBJECT_FIELDS)),
                    error=exc)) from None
    numbers: dict[str, float] = {}
    for key, default, minimum in (("max_encoded_mb", 20.0, 0.1), ("compress_dpi", 150, 50)):
        value = entry.get(key, default)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < minimum:
            raise ctx.fail(f"submission.{key}", _(
                "expected a number of at least {minimum}, not {value}").format(
                    minimum=f"{minimum:g}", value=repr(value)))
        numbers[key] = value
    return Submission(email=email, subject=subject,
                      max_encoded_mb=float(numbers["max_encoded_mb"]),
                      compress_dpi=int(numbers["compress_dpi"]),
                      source=ctx.strings(entry.get("source", []), "submission.source"))


def _change_template(ctx: _Ctx, raw: Any) -> ChangeTemplate:
    entry = ctx.table(raw, "change_application")
    ctx.only_keys(entry, ("question", "value", "carry_answers", "source"), "change_application")
    return ChangeTemplate(
        question=ctx.string(entry.get("question"), "change_application.question"),
        value=ctx.string(entry.get("value"), "change_application.value"),
        carry_answers=ctx.strings(entry.get("carry_answers", []),
                                  "change_application.carry_answers"),
        source=ctx.strings(entry.get("source", []), "change_application.source"))


def _cover(ctx: _Ctx, raw: dict[str, Any]) -> Cover:
    ctx.only_keys(raw, ("heading", "rows", "fallback_type"), "cover")
    rows = []
    for i, item in enumerate(ctx.array(raw.get("rows", []), "cover.rows")):
        where = f"cover.rows[{i}]"
        entry = ctx.table(item, where)
        ctx.only_keys(entry, ("label", "value", "when"), where)
        rows.append(CoverRow(ctx.text(entry.get("label"), f"{where}.label"),
                             ctx.string(entry.get("value"), f"{where}.value"),
                             ctx.condition(entry.get("when"), f"{where}.when")))
    return Cover(
        heading=ctx.text(raw["heading"], "cover.heading") if "heading" in raw else None,
        rows=tuple(rows),
        fallback_type=ctx.string(raw["fallback_type"], "cover.fallback_type")
        if "fallback_type" in raw else None)


def parse_pack(data: Mapping[str, Any], path: Path) -> RulePack:
    """Build a :class:`RulePack` from parsed TOML, checking every entry."""
    ctx = _Ctx(path)
    ctx.only_keys(data, ("pack", "guidance", "groups", "questions", "derived",
                         "document_types", "requirements", "options", "checks", "dual_tags",
                         "consistency", "cover", "submission", "change_application"),
                  "(top level)")
    head = ctx.table(data.get("pack"), "pack")
    ctx.only_keys(head, ("id", "version", "name", "guidance_title"), "pack")
    guidance = {k: ctx.text(v, f"guidance.{k}")
                for k, v in ctx.table(data.get("guidance", {}), "guidance").items()}
    groups = []
    for i, raw in enumerate(ctx.array(data.get("groups", []), "groups")):
        entry = ctx.table(raw, f"groups[{i}]")
        ctx.only_keys(entry, ("id", "label"), f"groups[{i}]")
        groups.append(Group(ctx.string(entry.get("id"), f"groups[{i}].id"),
                            ctx.text(entry.get("label"), f"groups[{i}].label")))
    group_ids = {g.id for g in groups}
    questions = tuple(_question(ctx, ctx.table(raw, f"questions[{i}]"), f"questions[{i}]")
                      for i, raw in enumerate(ctx.array(data.get("questions", []), "questions")))
    derived = tuple(_derived(ctx, ctx.table(raw, f"derived[{i}]"), f"derived[{i}]")
                    for i, raw in enumerate(ctx.array(data.get("derived", []), "derived")))
    doc_types = tuple(
        _document_type(ctx, ctx.table(raw, f"document_types[{i}]"), f"document_types[{i}]",
                       group_ids)
        for i, raw in enumerate(ctx.array(data.get("document_types", []), "document_types")))
    requirements = tuple(
        _requirement(ctx, ctx.table(raw, f"requirements[{i}]"), f"requirements[{i}]")
        for i, raw in enumerate(ctx.array(data.get("requirements", []), "requirements")))
    options = []
    for i, raw in enumerate(ctx.array(data.get("options", []), "options")):
        entry = ctx.table(raw, f"options[{i}]")
        ctx.only_keys(entry, ("id", "label", "choices", "default", "source"), f"options[{i}]")
        oid = ctx.string(entry.get("id"), f"options[{i}].id")
        options.append(Option(oid, ctx.text(entry.get("label"), f"options[{oid}].label"),
                              _choices(ctx, entry.get("choices"), f"options[{oid}].choices"),
                              ctx.string(entry.get("default"), f"options[{oid}].default"),
                              ctx.strings(entry.get("source", []), f"options[{oid}].source")))
    checks = {}
    for cid, raw in ctx.table(data.get("checks", {}), "checks").items():
        where = f"checks.{cid}"
        if cid not in KNOWN_CHECKS:
            raise ctx.fail(where, _("unknown check; known: {checks}").format(
                checks=sorted(KNOWN_CHECKS)))
        entry = ctx.table(raw, where)
        allowed = CHECK_PARAMETERS.get(cid, {})
        ctx.only_keys(entry, ("severity", "message", "source", *allowed), where)
        for key, (types, minimum) in allowed.items():
            value = entry.get(key)
            if value is None:
                continue
            number = value if isinstance(value, types) and not isinstance(value, bool) else None
            if not isinstance(number, (int, float)) or number < minimum:
                raise ctx.fail(f"{where}.{key}", _(
                    "expected a number of at least {minimum}, not {value}").format(
                        minimum=f"{minimum:g}", value=repr(value)))
        checks[cid] = GeneralCheck(
            id=cid, severity=ctx.severity(entry.get("severity"), f"{where}.severity"),
            message=ctx.text(entry.get("message"), f"{where}.message"),
            source=ctx.strings(entry.get("source", []), f"{where}.source"),
            parameters={k: v for k, v in entry.items()
                        if k not in ("severity", "message", "source")})
    dual = ctx.table(data.get("dual_tags", {}), "dual_tags")
    ctx.only_keys(dual, ("allowed",), "dual_tags")
    pairs = []
    for i, pair in enumerate(ctx.array(dual.get("allowed", []), "dual_tags.allowed")):
        pair_ids = ctx.strings(pair, f"dual_tags.allowed[{i}]")
        if len(pair_ids) != 2:
            raise ctx.fail(f"dual_tags.allowed[{i}]", _("a pair has two type ids"))
        pairs.append(frozenset(pair_ids))
    cover = _cover(ctx, ctx.table(data.get("cover", {}), "cover"))
    for kind, items in (("questions", [q.id for q in questions]),
                        ("derived", [d.id for d in derived]),
                        ("document_types", [t.id for t in doc_types]),
                        ("groups", [g.id for g in groups]),
                        ("options", [o.id for o in options])):
        dupes = {x for x in items if items.count(x) > 1}
        if dupes:
            raise ctx.fail(kind, _("duplicate ids {ids}").format(ids=sorted(dupes)))
    pack = RulePack(
        id=ctx.string(head.get("id"), "pack.id"),
        version=ctx.string(str(head.get("version", "")), "pack.version"),
        name=ctx.text(head.get("name"), "pack.name"), guidance=guidance,
        questions=questions, derived=derived, groups=tuple(groups), document_types=doc_types,
        requirements=requirements, options=tuple(options), checks=checks,
        allowed_dual_tags=frozenset(pairs),
        guidance_title=ctx.text(head["guidance_title"], "pack.guidance_title")
        if "guidance_title" in head else None, cover=cover,
        submission=_submission(ctx, data["submission"]) if "submission" in data else None,
        change_application=_change_template(ctx, data["change_application"])
        if "change_application" in data else None,
        consistency=tuple(
            _consistency(ctx, ctx.table(raw, f"consistency[{i}]"), f"consistency[{i}]")
            for i, raw in enumerate(ctx.array(data.get("consistency", []), "consistency"))),
    )
    _check_references(ctx, pack)
    return pack


def load_pack(path: Path | str) -> RulePack:
    """Load and check a rule pack file."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise RulePackError(_("the rule pack cannot be read ({reason})").format(
            reason=exc.strerror), path=path) from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise RulePackError(_("not valid TOML: {error}").format(error=exc), path=path) from None
    return parse_pack(data, path)


def shipped_pack_paths() -> list[Path]:
    """Every rule pack shipped in ``resources/rules``."""
    return sorted(resource_path("rules").glob("*.toml"))


@cache
def default_pack() -> RulePack:
    """The SSB microdata rule pack (cached)."""
    return load_pack(resource_path("rules", f"{DEFAULT_PACK}.toml"))
