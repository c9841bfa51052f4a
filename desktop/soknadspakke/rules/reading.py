"""Reading TOML values for the rule-pack loader, collecting every problem on the way.

:class:`PackReader` checks one value at a time (a table, an array, non-empty text, a bokmål and
English text, a severity, a kind, a condition). A wrong value raises a :class:`RulePackError`
naming the entry; :meth:`PackReader.attempt` turns that into a recorded problem so the loader
reads on and reports every problem of a pack at once (:meth:`PackReader.raise_problems`).
Unknown keys are recorded without stopping the entry. The keys an entry may have are those of
its dataclass in :mod:`soknadspakke.rules.schema` (:func:`keys_of`).
"""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, TypeVar

from soknadspakke.core.errors import RulePackError
from soknadspakke.core.findings import Severity
from soknadspakke.core.i18n import LANGUAGES, LocalText, _
from soknadspakke.rules import expr as expressions

_K = TypeVar("_K", bound=enum.Enum)
_R = TypeVar("_R")

#: Field metadata: the TOML key of a field whose name differs from it.
TOML_KEY = "toml"


def keys_of(cls: type, *, without: Iterable[str] = ()) -> tuple[str, ...]:
    """The TOML keys of a schema dataclass: its fields' names (or their ``toml`` metadata)."""
    left_out = set(without)
    return tuple(f.metadata.get(TOML_KEY, f.name) for f in dataclasses.fields(cls)
                 if f.name not in left_out)


def entry_name(raw: Mapping[str, Any], where: str, kind: str) -> str:
    """``kind[id]`` when the entry has a usable id, else ``where`` (``kind[index]``)."""
    entry_id = raw.get("id")
    if isinstance(entry_id, str) and entry_id.strip():
        return f"{kind}[{entry_id}]"
    return where


class PackReader:
    """Typed access to a parsed pack, with the problems found so far."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.problems: list[RulePackError] = []
        #: ``section -> ids`` of entries left out for a problem: references to them are not
        #: reported again as unknown.
        self.broken: dict[str, set[str]] = {}

    def fail(self, where: str, message: str) -> RulePackError:
        return RulePackError(message, path=self.path, field=where)

    def report(self, where: str, message: str) -> None:
        """Record a problem and read on."""
        self.problems.append(self.fail(where, message))

    def attempt(self, read: Callable[..., _R], *args: Any) -> _R | None:
        """``read(*args)``, or ``None`` with its problem recorded."""
        try:
            return read(*args)
        except RulePackError as exc:
            self.problems.append(exc)
            return None

    def raise_problems(self) -> None:
        """Raise every recorded problem in one :class:`RulePackError` (none: return)."""
        if len(self.problems) == 1:
            raise self.problems[0]
        if self.problems:
            lines = [_("{count} problems in the rule pack:").format(count=len(self.problems))]
            lines += [f"  {p.field}: {p.message}" if p.field else f"  {p.message}"
                      for p in self.problems]
            raise RulePackError("\n".join(lines), path=self.path, problems=tuple(self.problems))

    # -- values ---------------------------------------------------------------------------
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

    def optional_string(self, raw: Mapping[str, Any], key: str, where: str) -> str | None:
        return self.string(raw[key], f"{where}.{key}") if key in raw else None

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

    def optional_text(self, raw: Mapping[str, Any], key: str, where: str) -> LocalText | None:
        return self.text(raw[key], f"{where}.{key}") if key in raw else None

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
        """Record unknown keys (the entry is still read)."""
        unknown = set(table) - set(allowed)
        if unknown:
            self.report(where, _("unknown key(s) {keys}; allowed: {allowed}").format(
                keys=sorted(unknown), allowed=sorted(allowed)))

    def condition(self, value: Any, where: str) -> expressions.Expr | None:
        if value is None:
            return None
        try:
            return expressions.parse(self.string(value, where))
        except expressions.ExpressionError as exc:
            raise self.fail(where, str(exc)) from None

    def entries(self, data: Mapping[str, Any], key: str,
                read: Callable[[dict[str, Any], str], _R]) -> tuple[_R, ...]:
        """Every entry of the array of tables ``key``, each read by ``read(table, where)``;
        an entry with a problem is recorded and left out."""
        items = self.attempt(self.array, data.get(key, []), key) or []
        result = []
        for i, raw in enumerate(items):
            where = f"{key}[{i}]"
            entry = self.attempt(self.table, raw, where)
            if entry is None:
                continue
            value = self.attempt(read, entry, where)
            if value is not None:
                result.append(value)
            elif isinstance(entry.get("id"), str):
                self.broken.setdefault(key, set()).add(entry["id"])
        return tuple(result)
