"""Readers for the entries of a rule pack's sections: one TOML table in, one schema object out.

Each reader checks its entry's own values (kinds, texts, severities, conditions' syntax, the
keys its dataclass has) and raises a :class:`RulePackError` naming the entry when it cannot be
built; names that refer to other entries are checked later (:mod:`.references`).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from soknadspakke.core.i18n import LANGUAGES, _
from soknadspakke.core.project import INFO_FIELDS
from soknadspakke.rules.delivery import Cover, CoverRow, Submission
from soknadspakke.rules.reading import PackReader, entry_name, keys_of
from soknadspakke.rules.schema import (
    Alternative,
    Choice,
    ConsistencyCheck,
    ConsistencyKind,
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
)
from soknadspakke.rules.versions import ChangeTemplate, Migration, Renames

#: General checks the engine knows how to run; a pack may configure each.
KNOWN_CHECKS = frozenset({"approval_validity", "approval_expired", "approval_expires_soon",
                          "dual_tag", "never_dual", "package_size", "unexpected_type",
                          "data_owner_not_selected"})
#: The settings a check takes besides severity, message and source: ``name -> (type, minimum)``.
CHECK_PARAMETERS: dict[str, dict[str, tuple[tuple[type, ...], float]]] = {
    "approval_expires_soon": {"days": ((int,), 0)},
    "package_size": {"max_mb": ((int, float), 0)},
}
_SUBJECT_FIELDS = frozenset({"title", "application_type", "reference"})


def choices(r: PackReader, raw: Any, where: str) -> tuple[Choice, ...]:
    result = []
    for i, item in enumerate(r.array(raw, where)):
        entry = r.table(item, f"{where}[{i}]")
        r.only_keys(entry, keys_of(Choice), f"{where}[{i}]")
        result.append(Choice(r.string(entry.get("id"), f"{where}[{i}].id"),
                             r.text(entry.get("label"), f"{where}[{i}].label")))
    ids = [c.id for c in result]
    if len(set(ids)) != len(ids):
        raise r.fail(where, _("duplicate choice ids"))
    return tuple(result)


def group(r: PackReader, raw: dict[str, Any], where: str) -> Group:
    r.only_keys(raw, keys_of(Group), where)
    return Group(r.string(raw.get("id"), f"{where}.id"), r.text(raw.get("label"),
                                                              f"{where}.label"))


def question(r: PackReader, raw: dict[str, Any], where: str) -> Question:
    where = entry_name(raw, where, "questions")
    r.only_keys(raw, keys_of(Question), where)
    qid = r.string(raw.get("id"), f"{where}.id")
    where = f"questions[{qid}]"
    kind = r.kind(QuestionKind, raw.get("kind"), f"{where}.kind")
    items = choices(r, raw.get("choices", []), f"{where}.choices")
    if kind in (QuestionKind.CHOICE, QuestionKind.MULTI) and not items:
        raise r.fail(f"{where}.choices", _("a choice question needs choices"))
    return Question(
        id=qid, kind=kind, label=r.text(raw.get("label"), f"{where}.label"),
        help=r.optional_text(raw, "help", where),
        choices=items, allow_other=bool(raw.get("allow_other", False)),
        ask_when=r.condition(raw.get("ask_when"), f"{where}.ask_when"),
        default=raw.get("default"), min_items=int(raw.get("min_items", 0)),
        source=r.strings(raw.get("source", []), f"{where}.source"),
    )


def derived(r: PackReader, raw: dict[str, Any], where: str) -> Derived:
    where = entry_name(raw, where, "derived")
    r.only_keys(raw, keys_of(Derived), where)
    did = r.string(raw.get("id"), f"{where}.id")
    where = f"derived[{did}]"
    kind = r.kind(DerivedKind, raw.get("kind"), f"{where}.kind")
    labels = r.table(raw.get("values_labels", {}), f"{where}.values_labels")
    threshold = raw.get("threshold")
    if kind is DerivedKind.DATE_THRESHOLD and not isinstance(threshold, date):
        raise r.fail(f"{where}.threshold", _("expected a TOML date (e.g. 2018-07-20)"))
    fact = Derived(
        id=did, kind=kind, question=r.string(raw.get("question"), f"{where}.question"),
        label=r.text(raw.get("label"), f"{where}.label"),
        values_labels={k: r.text(v, f"{where}.values_labels.{k}") for k, v in labels.items()},
        threshold=threshold if isinstance(threshold, date) else None,
        below=str(raw.get("below", "")), at_or_after=str(raw.get("at_or_after", "")),
        values=frozenset(r.strings(raw.get("values", []), f"{where}.values")),
        all_in_value=str(raw.get("all_in_value", "")),
        otherwise_value=str(raw.get("otherwise_value", "")),
        override=raw.get("override"),
        source=r.strings(raw.get("source", []), f"{where}.source"),
    )
    for value in fact.possible_values():
        if not value:
            raise r.fail(where, _("both result values must be named"))
        if value not in fact.values_labels:
            raise r.fail(f"{where}.values_labels", _("no label for value {value}").format(
                value=repr(value)))
    return fact


def document_type(r: PackReader, raw: dict[str, Any], where: str, groups: set[str]
                  ) -> DocumentType:
    where = entry_name(raw, where, "document_types")
    r.only_keys(raw, keys_of(DocumentType), where)
    tid = r.string(raw.get("id"), f"{where}.id")
    where = f"document_types[{tid}]"
    group_id = r.string(raw.get("group"), f"{where}.group")
    if group_id not in groups:
        raise r.fail(f"{where}.group", _("unknown group {group}; groups: {groups}").format(
            group=repr(group_id), groups=sorted(groups)))
    return DocumentType(
        id=tid, name=r.text(raw.get("name"), f"{where}.name"),
        short=r.text(raw.get("short"), f"{where}.short"),
        description=r.text(raw.get("description"), f"{where}.description"), group=group_id,
        keywords_filename=tuple(k.lower() for k in r.strings(
            raw.get("keywords_filename", []), f"{where}.keywords_filename")),
        keywords_content=tuple(k.lower() for k in r.strings(
            raw.get("keywords_content", []), f"{where}.keywords_content")),
        approval=bool(raw.get("approval", False)),
        expected_when=r.condition(raw.get("expected_when"), f"{where}.expected_when"),
        never_dual=bool(raw.get("never_dual", False)),
        source=r.strings(raw.get("source", []), f"{where}.source"),
    )


def requirement(r: PackReader, raw: dict[str, Any], where: str) -> Requirement:
    where = entry_name(raw, where, "requirements")
    r.only_keys(raw, keys_of(Requirement), where)
    rid = r.string(raw.get("id"), f"{where}.id")
    where = f"requirements[{rid}]"
    kind = r.kind(RequirementKind, raw.get("kind"), f"{where}.kind")
    all_of = r.strings(raw.get("all_of", []), f"{where}.all_of")
    one_of = r.strings(raw.get("one_of", []), f"{where}.one_of")
    if kind is RequirementKind.DOCUMENTS and bool(all_of) == bool(one_of):
        raise r.fail(where, _("a documents requirement needs exactly one of all_of / one_of"))
    if kind is not RequirementKind.DOCUMENTS and (all_of or one_of):
        raise r.fail(where, _("a {kind} requirement lists no documents").format(
            kind=kind.value))
    if kind is not RequirementKind.DOCUMENTS and not raw.get("code"):
        raise r.fail(f"{where}.code", _("a {kind} requirement needs a finding code").format(
            kind=kind.value))
    source = r.strings(raw.get("source", []), f"{where}.source")
    if not source:
        raise r.fail(f"{where}.source", _("every requirement names the guidance behind it"))
    flags = r.table(raw.get("require_flag", {}), f"{where}.require_flag")
    alternatives = []
    for i, alt in enumerate(r.array(raw.get("also_accepts", []), f"{where}.also_accepts")):
        aw = f"{where}.also_accepts[{i}]"
        entry = r.table(alt, aw)
        r.only_keys(entry, keys_of(Alternative), aw)
        alternatives.append(Alternative(
            type=r.string(entry.get("type"), f"{aw}.type"),
            severity=r.severity(entry.get("severity"), f"{aw}.severity"),
            message=r.text(entry.get("message"), f"{aw}.message"),
            when=r.condition(entry.get("when"), f"{aw}.when")))
    return Requirement(
        id=rid, kind=kind, severity=r.severity(raw.get("severity"), f"{where}.severity"),
        message=r.text(raw.get("message"), f"{where}.message"), source=source,
        when=r.condition(raw.get("when"), f"{where}.when"), code=raw.get("code"),
        all_of=all_of, one_of=one_of, exactly_one=bool(raw.get("exactly_one", False)),
        per=raw.get("per"),
        require_flag={r.string(k, f"{where}.require_flag"): r.string(
            v, f"{where}.require_flag.{k}") for k, v in flags.items()},
        also_accepts=tuple(alternatives),
        description=r.optional_text(raw, "description", where),
    )


def option(r: PackReader, raw: dict[str, Any], where: str) -> Option:
    where = entry_name(raw, where, "options")
    r.only_keys(raw, keys_of(Option), where)
    oid = r.string(raw.get("id"), f"{where}.id")
    where = f"options[{oid}]"
    return Option(oid, r.text(raw.get("label"), f"{where}.label"),
                  choices(r, raw.get("choices"), f"{where}.choices"),
                  r.string(raw.get("default"), f"{where}.default"),
                  r.strings(raw.get("source", []), f"{where}.source"))


def check(r: PackReader, cid: str, raw: Any) -> GeneralCheck:
    where = f"checks.{cid}"
    if cid not in KNOWN_CHECKS:
        raise r.fail(where, _("unknown check; known: {checks}").format(
            checks=sorted(KNOWN_CHECKS)))
    entry = r.table(raw, where)
    allowed = CHECK_PARAMETERS.get(cid, {})
    fixed = keys_of(GeneralCheck, without=("id", "parameters"))
    r.only_keys(entry, (*fixed, *allowed), where)
    for key, (types, minimum) in allowed.items():
        value = entry.get(key)
        if value is None:
            continue
        number = value if isinstance(value, types) and not isinstance(value, bool) else None
        if not isinstance(number, (int, float)) or number < minimum:
            raise r.fail(f"{where}.{key}", _(
                "expected a number of at least {minimum}, not {value}").format(
                    minimum=f"{minimum:g}", value=repr(value)))
    return GeneralCheck(
        id=cid, severity=r.severity(entry.get("severity"), f"{where}.severity"),
        message=r.text(entry.get("message"), f"{where}.message"),
        source=r.strings(entry.get("source", []), f"{where}.source"),
        parameters={k: v for k, v in entry.items() if k in allowed})


def dual_tags(r: PackReader, raw: Any) -> frozenset[frozenset[str]]:
    table = r.table(raw, "dual_tags")
    r.only_keys(table, ("allowed",), "dual_tags")
    pairs = []
    for i, pair in enumerate(r.array(table.get("allowed", []), "dual_tags.allowed")):
        pair_ids = r.strings(pair, f"dual_tags.allowed[{i}]")
        if len(pair_ids) != 2:
            raise r.fail(f"dual_tags.allowed[{i}]", _("a pair has two type ids"))
        pairs.append(frozenset(pair_ids))
    return frozenset(pairs)


def consistency(r: PackReader, raw: dict[str, Any], where: str) -> ConsistencyCheck:
    where = entry_name(raw, where, "consistency")
    r.only_keys(raw, keys_of(ConsistencyCheck), where)
    cid = r.string(raw.get("id"), f"{where}.id")
    where = f"consistency[{cid}]"
    kind = r.kind(ConsistencyKind, raw.get("kind"), f"{where}.kind")
    source = r.strings(raw.get("source", []), f"{where}.source")
    if not source:
        raise r.fail(f"{where}.source", _("every check names the guidance behind it"))
    types = r.strings(raw.get("types", []), f"{where}.types")
    if not types:
        raise r.fail(f"{where}.types", _("name the document types to read"))
    dates: dict[str, date | None] = {}
    for key in ("before", "not_before"):
        value = raw.get(key)
        if value is not None and not isinstance(value, date):
            raise r.fail(f"{where}.{key}", _("expected a date (YYYY-MM-DD)"))
        dates[key] = value
    pages = raw.get("pages", 0)
    if not isinstance(pages, int) or isinstance(pages, bool) or pages < 0:
        raise r.fail(f"{where}.pages", _("expected a number of at least {minimum}, not "
                                         "{value}").format(minimum=0, value=repr(pages)))
    result = ConsistencyCheck(
        id=cid, kind=kind, code=r.string(raw.get("code"), f"{where}.code"),
        severity=r.severity(raw.get("severity"), f"{where}.severity"),
        message=r.text(raw.get("message"), f"{where}.message"), source=source, types=types,
        when=r.condition(raw.get("when"), f"{where}.when"),
        labels=tuple(w.lower() for w in r.strings(raw.get("labels", []), f"{where}.labels")),
        words=tuple(w.lower() for w in r.strings(raw.get("words", []), f"{where}.words")),
        ignore=tuple(w.lower() for w in r.strings(raw.get("ignore", []), f"{where}.ignore")),
        reference_types=r.strings(raw.get("reference_types", []), f"{where}.reference_types"),
        before=dates["before"], not_before=dates["not_before"], pages=pages,
        fact=r.string(raw["fact"], f"{where}.fact") if "fact" in raw else None,
        require_flag={r.string(k, f"{where}.require_flag"): r.string(
            v, f"{where}.require_flag.{k}") for k, v in r.table(
                raw.get("require_flag", {}), f"{where}.require_flag").items()})
    if result.fact is not None and result.fact not in INFO_FIELDS:
        raise r.fail(f"{where}.fact", _("unknown project fact {name} (one of: {names})").format(
            name=repr(result.fact), names=", ".join(INFO_FIELDS)))
    needs = {ConsistencyKind.MENTIONS: ("words", result.words),
             ConsistencyKind.SIGNATURE: ("words", result.words),
             ConsistencyKind.REFERENCE: ("reference_types", result.reference_types),
             ConsistencyKind.DATA_YEARS: ("reference_types", result.reference_types),
             ConsistencyKind.NAMES_FACT: ("fact", result.fact),
             ConsistencyKind.PROJECT_TITLE: ("labels", result.labels)}
    if kind in needs and not needs[kind][1]:
        raise r.fail(where, _("a {kind} check needs {key}").format(
            kind=kind.value, key=needs[kind][0]))
    if kind is ConsistencyKind.DOCUMENT_DATE and result.before is None \
            and result.not_before is None:
        raise r.fail(where, _("a document_date check needs before or not_before"))
    return result


def cover(r: PackReader, raw: Any) -> Cover:
    table = r.table(raw, "cover")
    r.only_keys(table, keys_of(Cover), "cover")
    rows = []
    for i, item in enumerate(r.array(table.get("rows", []), "cover.rows")):
        where = f"cover.rows[{i}]"
        entry = r.table(item, where)
        r.only_keys(entry, keys_of(CoverRow), where)
        rows.append(CoverRow(r.text(entry.get("label"), f"{where}.label"),
                             r.string(entry.get("value"), f"{where}.value"),
                             r.condition(entry.get("when"), f"{where}.when")))
    return Cover(heading=r.optional_text(table, "heading", "cover"), rows=tuple(rows),
                 fallback_type=r.optional_string(table, "fallback_type", "cover"))


def submission(r: PackReader, raw: Any) -> Submission:
    entry = r.table(raw, "submission")
    r.only_keys(entry, keys_of(Submission), "submission")
    email = r.string(entry.get("email"), "submission.email")
    local, at, domain = email.partition("@")
    if not (local and at and "." in domain) or any(
            c.isspace() or c in '<>,;"@' for c in local + domain):
        raise r.fail("submission.email", _("{value} is not an e-mail address").format(
            value=repr(email)))
    subject = r.text(entry.get("subject"), "submission.subject")
    for lang in LANGUAGES:
        try:
            subject.render(lang).format_map(dict.fromkeys(_SUBJECT_FIELDS, ""))
        except (KeyError, ValueError, IndexError) as exc:
            raise r.fail("submission.subject", _(
                "the subject may use only {fields} ({error})").format(
                    fields=", ".join(f"{{{f}}}" for f in sorted(_SUBJECT_FIELDS)),
                    error=exc)) from None
    numbers: dict[str, float] = {}
    for key, default, minimum in (("max_encoded_mb", 20.0, 0.1), ("compress_dpi", 150, 50)):
        value = entry.get(key, default)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < minimum:
            raise r.fail(f"submission.{key}", _(
                "expected a number of at least {minimum}, not {value}").format(
                    minimum=f"{minimum:g}", value=repr(value)))
        numbers[key] = value
    return Submission(email=email, subject=subject,
                      max_encoded_mb=float(numbers["max_encoded_mb"]),
                      compress_dpi=int(numbers["compress_dpi"]),
                      source=r.strings(entry.get("source", []), "submission.source"))


def change_template(r: PackReader, raw: Any) -> ChangeTemplate:
    entry = r.table(raw, "change_application")
    r.only_keys(entry, keys_of(ChangeTemplate), "change_application")
    return ChangeTemplate(
        question=r.string(entry.get("question"), "change_application.question"),
        value=r.string(entry.get("value"), "change_application.value"),
        carry_answers=r.strings(entry.get("carry_answers", []),
                                "change_application.carry_answers"),
        source=r.strings(entry.get("source", []), "change_application.source"))


def _renames(r: PackReader, raw: Any, where: str) -> Renames:
    table = r.table(raw, where)
    r.only_keys(table, keys_of(Renames), where)
    renamed = r.table(table.get("renamed", {}), f"{where}.renamed")
    return Renames(renamed={old: r.string(new, f"{where}.renamed.{old}")
                            for old, new in renamed.items()},
                   removed=r.strings(table.get("removed", []), f"{where}.removed"))


def migration(r: PackReader, raw: dict[str, Any], where: str) -> Migration:
    r.only_keys(raw, keys_of(Migration), where)
    version = r.string(str(raw.get("from_version", "")), f"{where}.from_version")
    where = f"migrations[{version}]"
    answers = r.table(raw.get("answers", {}), f"{where}.answers")
    return Migration(
        from_version=version,
        questions=_renames(r, raw.get("questions", {}), f"{where}.questions"),
        document_types=_renames(r, raw.get("document_types", {}), f"{where}.document_types"),
        answers={qid: _renames(r, value, f"{where}.answers.{qid}")
                 for qid, value in answers.items()})
