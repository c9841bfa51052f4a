"""Cross-reference checks of a rule pack: every name, value, type, group and guidance id an
entry mentions must exist in the pack. Each problem is recorded with its entry, so a pack with
several reports them all (see :class:`soknadspakke.rules.reading.PackReader`).

An entry that could not be read at all (its problem is already recorded) still counts as
existing here, so one mistake is not reported again at every mention.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from soknadspakke.core.i18n import _
from soknadspakke.core.project import INFO_FIELDS
from soknadspakke.rules import expr as expressions
from soknadspakke.rules.reading import PackReader
from soknadspakke.rules.schema import DerivedKind, QuestionKind, RulePack

#: Document flags a requirement may ask for (``require_flag``); the project file's own keys.
DOCUMENT_FLAGS = frozenset({"updated_for_this_change"})


class _Checker:
    def __init__(self, r: PackReader, pack: RulePack) -> None:
        self.r = r
        self.pack = pack
        self.questions = {q.id: q for q in pack.questions}
        self.derived = {d.id: d for d in pack.derived}
        self.options = {o.id: o for o in pack.options}
        broken = r.broken
        self.question_ids = set(self.questions) | broken.get("questions", set())
        self.derived_ids = set(self.derived) | broken.get("derived", set())
        self.option_ids = set(self.options) | broken.get("options", set())
        self.types = {t.id for t in pack.document_types} | broken.get("document_types", set())

    def unknown_type(self, tid: str, where: str) -> None:
        if tid not in self.types:
            self.r.report(where, _("unknown document type {id}").format(id=repr(tid)))

    def unknown_question(self, qid: str, where: str) -> bool:
        if qid in self.question_ids:
            return False
        self.r.report(where, _("unknown question {id}").format(id=repr(qid)))
        return True

    def values_of(self, name: str) -> set[Any] | None:
        if name in self.questions:
            q = self.questions[name]
            if q.kind is QuestionKind.BOOL:
                return {True, False}
            if q.kind in (QuestionKind.CHOICE, QuestionKind.MULTI):
                return set(q.choice_ids())
            return None
        if name in self.derived:
            return set(self.derived[name].possible_values())
        if name.startswith("opt.") and name[4:] in self.options:
            return {c.id for c in self.options[name[4:]].choices}
        return None

    def expr(self, e: expressions.Expr | None, where: str) -> None:
        if e is None:
            return
        for name in e.names():
            if name not in self.question_ids and name not in self.derived_ids and not (
                    name.startswith("opt.") and name[4:] in self.option_ids):
                self.r.report(where, _("unknown name {name} in {source}").format(
                    name=repr(name), source=repr(e.source)))
                return
        for name, constants in e.comparisons():
            allowed = self.values_of(name)
            if allowed is None:
                continue
            for const in constants:
                if const is not None and const not in allowed:
                    self.r.report(where, _("{name} is never {value} (values: {values}) in "
                                           "{source}").format(
                        name=repr(name), value=repr(const), values=sorted(map(str, allowed)),
                        source=repr(e.source)))
                    return

    def sources(self, src: Iterable[str], where: str) -> None:
        for s in src:
            if s not in self.pack.guidance:
                self.r.report(where, _("unknown guidance paragraph {id}").format(id=repr(s)))

    # -- sections -------------------------------------------------------------------------
    def questions_in_order(self) -> None:
        order = [q.id for q in self.pack.questions]
        for q in self.pack.questions:
            where = f"questions[{q.id}]"
            self.expr(q.ask_when, f"{where}.ask_when")
            for name in q.ask_when.names() if q.ask_when is not None else ():
                if name in self.derived:
                    name = self.derived[name].question  # noqa: PLW2901 - check what it reads
                if name in self.questions and order.index(name) >= order.index(q.id):
                    self.r.report(f"{where}.ask_when", _(
                        "refers to {name}, which is asked later; questions are asked in order"
                    ).format(name=repr(name)))
            self.sources(q.source, f"{where}.source")

    def derived_facts(self) -> None:
        for d in self.pack.derived:
            if self.unknown_question(d.question, f"derived[{d.id}].question"):
                continue
            if d.override is not None:
                self.unknown_question(d.override, f"derived[{d.id}].override")
            if d.kind is DerivedKind.CLASSIFY_ALL and d.question in self.questions:
                unknown = d.values - set(self.questions[d.question].choice_ids())
                if unknown:
                    self.r.report(f"derived[{d.id}].values", _("unknown values {values}").format(
                        values=sorted(unknown)))

    def requirements(self) -> None:
        seen: set[str] = set()
        for req in self.pack.requirements:
            where = f"requirements[{req.id}]"
            if req.id in seen:
                self.r.report(where, _("duplicate requirement id"))
            seen.add(req.id)
            self.expr(req.when, f"{where}.when")
            self.sources(req.source, f"{where}.source")
            for tid in (*req.all_of, *req.one_of, *req.require_flag,
                        *(a.type for a in req.also_accepts)):
                self.unknown_type(tid, where)
            for tid, flag in req.require_flag.items():
                if flag not in DOCUMENT_FLAGS:
                    self.r.report(f"{where}.require_flag.{tid}", _("unknown flag {flag}").format(
                        flag=repr(flag)))
            for i, alt in enumerate(req.also_accepts):
                self.expr(alt.when, f"{where}.also_accepts[{i}].when")
            if req.per is not None and (req.per not in self.questions
                                        or self.questions[req.per].kind
                                        is not QuestionKind.MULTI):
                self.r.report(f"{where}.per", _("{id} is not a multi-select question").format(
                    id=repr(req.per)))
            elif req.per is not None and req.per != self.pack.data_owner_question:
                self.r.report(f"{where}.per", _(
                    "a per-owner requirement counts documents by their data owner: {id} must "
                    "be the pack's data_owner_question").format(id=repr(req.per)))

    def named_questions(self) -> None:
        """``[pack]``'s data-owner and application-type questions, of the right kinds."""
        for key, kind, message in (
                ("data_owner_question", QuestionKind.MULTI,
                 _("{id} is not a multi-select question")),
                ("application_type_question", QuestionKind.CHOICE,
                 _("{id} is not a choice question"))):
            qid = getattr(self.pack, key)
            if qid is None:
                continue
            question = self.questions.get(qid)
            if question is None or question.kind is not kind:
                self.r.report(f"pack.{key}", message.format(id=repr(qid)))

    def change_application(self) -> None:
        change = self.pack.change_application
        if change is None:
            return
        self.sources(change.source, "change_application.source")
        question = self.questions.get(change.question)
        if question is None or question.kind is not QuestionKind.CHOICE:
            self.r.report("change_application.question", _(
                "{id} is not a choice question").format(id=repr(change.question)))
        elif change.value not in question.choice_ids():
            self.r.report("change_application.value", _("{value} is not a choice").format(
                value=repr(change.value)))
        for qid in change.carry_answers:
            self.unknown_question(qid, "change_application.carry_answers")

    def consistency(self) -> None:
        seen: set[str] = set()
        for c in self.pack.consistency:
            where = f"consistency[{c.id}]"
            if c.id in seen:
                self.r.report(where, _("duplicate id"))
            seen.add(c.id)
            self.expr(c.when, f"{where}.when")
            self.sources(c.source, f"{where}.source")
            for tid in (*c.types, *c.reference_types, *c.require_flag):
                self.unknown_type(tid, where)
            for tid, flag in c.require_flag.items():
                if flag not in DOCUMENT_FLAGS:
                    self.r.report(f"{where}.require_flag.{tid}", _("unknown flag {flag}").format(
                        flag=repr(flag)))

    def cover(self) -> None:
        fallback = self.pack.cover.fallback_type
        if fallback is not None:
            self.unknown_type(fallback, "cover.fallback_type")
        for i, row in enumerate(self.pack.cover.rows):
            where = f"cover.rows[{i}]"
            self.expr(row.when, f"{where}.when")
            if row.value not in self.question_ids and row.value not in self.derived_ids \
                    and row.value not in INFO_FIELDS:
                self.r.report(f"{where}.value", _("unknown name {name}; a question, a derived "
                                                  "fact or a project fact").format(
                    name=repr(row.value)))

    def rest(self) -> None:
        for t in self.pack.document_types:
            self.expr(t.expected_when, f"document_types[{t.id}].expected_when")
            self.sources(t.source, f"document_types[{t.id}].source")
        for pair in self.pack.allowed_dual_tags:
            for tid in sorted(pair):
                self.unknown_type(tid, "dual_tags.allowed")
        for general in self.pack.checks.values():
            self.sources(general.source, f"checks.{general.id}.source")
        if self.pack.submission is not None:
            self.sources(self.pack.submission.source, "submission.source")
        for o in self.pack.options:
            if o.default not in {c.id for c in o.choices}:
                self.r.report(f"options[{o.id}].default", _("{value} is not a choice").format(
                    value=repr(o.default)))


    def migrations(self) -> None:
        """Renamed ids lead to ids the pack has; versions are earlier ones, listed once."""
        seen: set[str] = set()
        for m in self.pack.migrations:
            where = f"migrations[{m.from_version}]"
            if m.from_version in seen or m.from_version == self.pack.version:
                self.r.report(f"{where}.from_version", _(
                    "an earlier version of the pack, listed once (this is version {version})"
                ).format(version=self.pack.version))
            seen.add(m.from_version)
            for old, new in m.questions.renamed.items():
                self.unknown_question(new, f"{where}.questions.renamed.{old}")
            for old, new in m.document_types.renamed.items():
                self.unknown_type(new, f"{where}.document_types.renamed.{old}")
            for qid, values in m.answers.items():
                if self.unknown_question(qid, f"{where}.answers.{qid}"):
                    continue
                allowed = self.values_of(qid)
                for old, new in values.renamed.items():
                    if allowed is not None and new not in allowed:
                        self.r.report(f"{where}.answers.{qid}.renamed.{old}", _(
                            "{value} is not a choice").format(value=repr(new)))


def check_references(r: PackReader, pack: RulePack) -> None:
    """Record every reference in ``pack`` to something it does not have."""
    checker = _Checker(r, pack)
    checker.questions_in_order()
    checker.named_questions()
    checker.derived_facts()
    checker.requirements()
    checker.change_application()
    checker.consistency()
    checker.cover()
    checker.rest()
    checker.migrations()
