"""Loading a rule pack from TOML into frozen dataclasses, checking every entry.

Every problem in a pack is reported at once, each naming the file and the entry, e.g.
``ssb-mikrodata.toml: requirements[N7].when: unknown name 'eraa'``. The sections' entries are
read by :mod:`.sections` (values, through :mod:`.reading`), references between them are checked
by :mod:`.references`; this module puts the pack together.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import fields
from functools import cache
from pathlib import Path
from typing import Any

from soknadspakke.core.errors import RulePackError
from soknadspakke.core.i18n import LocalText, _
from soknadspakke.core.resources import resource_path
from soknadspakke.rules import sections
from soknadspakke.rules.delivery import Cover
from soknadspakke.rules.reading import TOML_KEY, PackReader
from soknadspakke.rules.references import check_references
from soknadspakke.rules.schema import PACK_TABLE, GeneralCheck, RulePack
from soknadspakke.rules.sections import CHECK_PARAMETERS, KNOWN_CHECKS

__all__ = ["CHECK_PARAMETERS", "DEFAULT_PACK", "KNOWN_CHECKS", "default_pack", "load_pack",
           "parse_pack", "shipped_pack_paths"]

DEFAULT_PACK = "ssb-mikrodata"


def _pack_keys() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The keys of ``[pack]`` and the top-level sections, from :class:`RulePack`'s fields."""
    head: list[str] = []
    top = ["pack"]
    for f in fields(RulePack):
        (head if f.metadata.get("table") == PACK_TABLE["table"] else top).append(
            f.metadata.get(TOML_KEY, f.name))
    return tuple(head), tuple(top)


def _head(r: PackReader, data: Mapping[str, Any]) -> dict[str, Any]:
    head = r.table(data.get("pack"), "pack")
    r.only_keys(head, _pack_keys()[0], "pack")
    result: dict[str, Any] = {}
    for key in ("id", "version", "name"):
        value = r.attempt(r.text if key == "name" else r.string,
                          str(head.get(key, "")) if key == "version" else head.get(key),
                          f"pack.{key}")
        if value is not None:
            result[key] = value
    result["guidance_title"] = r.attempt(r.optional_text, head, "guidance_title", "pack")
    for key in ("data_owner_question", "application_type_question"):
        result[key] = r.attempt(r.optional_string, head, key, "pack")
    return result


def _guidance(r: PackReader, raw: Any) -> dict[str, LocalText]:
    guidance = {}
    for key, value in r.table(raw, "guidance").items():
        text = r.attempt(r.text, value, f"guidance.{key}")
        if text is not None:
            guidance[key] = text
    return guidance


def _checks(r: PackReader, raw: Any) -> dict[str, GeneralCheck]:
    checks = {}
    for cid, entry in r.table(raw, "checks").items():
        check = r.attempt(sections.check, r, cid, entry)
        if check is not None:
            checks[cid] = check
    return checks


def _no_duplicates(r: PackReader, pack: RulePack) -> None:
    for kind, items in (("questions", [q.id for q in pack.questions]),
                        ("derived", [d.id for d in pack.derived]),
                        ("document_types", [t.id for t in pack.document_types]),
                        ("groups", [g.id for g in pack.groups]),
                        ("options", [o.id for o in pack.options])):
        dupes = {x for x in items if items.count(x) > 1}
        if dupes:
            r.report(kind, _("duplicate ids {ids}").format(ids=sorted(dupes)))


def parse_pack(data: Mapping[str, Any], path: Path) -> RulePack:
    """Build a :class:`RulePack` from parsed TOML, checking every entry; raises one
    :class:`RulePackError` listing every problem (its ``problems``)."""
    r = PackReader(path)
    r.only_keys(data, _pack_keys()[1], "(top level)")
    head = r.attempt(_head, r, data) or {}
    groups = r.entries(data, "groups", lambda raw, where: sections.group(r, raw, where))
    group_ids = {g.id for g in groups}
    pack = RulePack(
        id=head.get("id", ""), version=head.get("version", ""),
        name=head.get("name", LocalText({})), guidance_title=head.get("guidance_title"),
        data_owner_question=head.get("data_owner_question"),
        application_type_question=head.get("application_type_question"),
        guidance=r.attempt(_guidance, r, data.get("guidance", {})) or {},
        questions=r.entries(data, "questions", lambda raw, where: sections.question(
            r, raw, where)),
        derived=r.entries(data, "derived", lambda raw, where: sections.derived(r, raw, where)),
        groups=groups,
        document_types=r.entries(data, "document_types", lambda raw, where: (
            sections.document_type(r, raw, where, group_ids))),
        requirements=r.entries(data, "requirements", lambda raw, where: sections.requirement(
            r, raw, where)),
        options=r.entries(data, "options", lambda raw, where: sections.option(r, raw, where)),
        checks=r.attempt(_checks, r, data.get("checks", {})) or {},
        allowed_dual_tags=r.attempt(sections.dual_tags, r, data.get("dual_tags", {}))
        or frozenset(),
        cover=r.attempt(sections.cover, r, data.get("cover", {})) or Cover(),
        submission=r.attempt(sections.submission, r, data["submission"])
        if "submission" in data else None,
        change_application=r.attempt(sections.change_template, r, data["change_application"])
        if "change_application" in data else None,
        consistency=r.entries(data, "consistency", lambda raw, where: sections.consistency(
            r, raw, where)),
        migrations=r.entries(data, "migrations", lambda raw, where: sections.migration(
            r, raw, where)),
    )
    _no_duplicates(r, pack)
    check_references(r, pack)
    r.raise_problems()
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
