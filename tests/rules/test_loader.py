"""Loading rule packs: every shipped pack loads; a broken pack is refused with an error that
names the file and the entry."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from soknadspakke.core.errors import RulePackError
from soknadspakke.rules.loader import (
    DEFAULT_PACK,
    default_pack,
    load_pack,
    parse_pack,
    shipped_pack_paths,
)
from soknadspakke.rules.schema import QuestionKind, RequirementKind

SHIPPED = Path(__file__).resolve().parents[2] / "resources" / "rules" / f"{DEFAULT_PACK}.toml"
TEXT = SHIPPED.read_text(encoding="utf-8")


def test_shipped_packs_are_found() -> None:
    paths = shipped_pack_paths()
    assert paths and all(p.suffix == ".toml" for p in paths)
    assert f"{DEFAULT_PACK}.toml" in {p.name for p in paths}


@pytest.mark.parametrize("path", shipped_pack_paths(), ids=lambda p: p.name)
def test_every_shipped_pack_loads(path: Path) -> None:
    pack = load_pack(path)
    assert pack.id and pack.version and pack.questions and pack.requirements
    assert pack.name.render("nb") and pack.name.render("en")


def test_default_pack_is_the_ssb_pack_and_cached() -> None:
    pack = default_pack()
    assert pack.id == "ssb-mikrodata" and pack is default_pack()
    assert pack.question("application_type").kind is QuestionKind.CHOICE
    assert pack.requirement("N0").kind is RequirementKind.BLOCK
    assert pack.option_defaults() == {"a12_pre_gdpr_not_low": "in_addition",
                                      "a14_negative_dpia": "accept_with_warning"}
    with pytest.raises(KeyError):
        pack.requirement("N99")
    with pytest.raises(KeyError):
        pack.question("nope")
    with pytest.raises(KeyError):
        pack.document_type("nope")
    assert pack.type_name("nope").render("nb") == "nope"
    assert pack.type_order("nope") > pack.type_order("other") > pack.type_order(
        "application_form_new")


def variant(tmp_path: Path, old: str, new: str, *, after: str = "", text: str = TEXT) -> Path:
    """The shipped pack with the first ``old`` after ``after`` replaced by ``new``."""
    start = text.index(after) if after else 0
    at = text.index(old, start)
    path = tmp_path / "broken-pack.toml"
    path.write_text(text[:at] + new + text[at + len(old):], encoding="utf-8")
    return path


def refused(path: Path, *parts: str) -> str:
    with pytest.raises(RulePackError) as info:
        load_pack(path)
    message = str(info.value)
    assert str(path) in message, message
    for part in parts:
        assert part in message, f"{part!r} not in {message!r}"
    return message


N7 = 'id = "N7"'
C2 = 'id = "C2"'
N7_WHEN = "personal_data and era == 'post_gdpr'"


@pytest.mark.parametrize(("old", "new", "after", "parts"), [
    # unknown names in conditions
    (N7_WHEN, "personal_dat and era == 'post_gdpr'", N7,
     ["requirements[N7].when", "'personal_dat'"]),
    ("opt.a12_pre_gdpr_not_low", "opt.a12_pre_gdpr", C2,
     ["requirements[C2].when", "'opt.a12_pre_gdpr'"]),
    (N7_WHEN, "personal_data and opt == 'x'", N7, ["requirements[N7].when", "'opt'"]),
    (N7_WHEN, "personal_data and any_of == 'x'", N7, ["requirements[N7].when"]),
    # values that can never occur
    (N7_WHEN, "personal_data and era == 'post_gpdr'", N7,
     ["requirements[N7].when", "'post_gpdr'", "post_gdpr"]),
    ("era == 'pre_gdpr'", "era == 'pre_gpdr'", 'id = "N5"',
     ["requirements[N5].when", "'pre_gpdr'"]),
    (N7_WHEN, "personal_data and 'post_gpdr' == era", N7,
     ["requirements[N7].when", "'post_gpdr'"]),
    (N7_WHEN, "personal_data and era in ['pre_gdpr', 'post_gpdr']", N7,
     ["requirements[N7].when", "'post_gpdr'"]),
    (N7_WHEN, "personal_data == 'yes'", N7, ["requirements[N7].when", "'yes'"]),
    ("'new_variables' in change_types", "'new_variabels' in change_types", 'id = "C7"',
     ["requirements[C7].when", "'new_variabels'"]),
    ("'extended_population'", "'extended_populaton'", 'id = "C8"',
     ["requirements[C8].when", "'extended_populaton'"]),
    ("opt.a12_pre_gdpr_not_low == 'in_addition'", "opt.a12_pre_gdpr_not_low == 'in_adition'",
     C2, ["requirements[C2].when", "'in_adition'"]),
    ("risk_class == 'low'", "risk_class == 'lav'", C2, ["requirements[C2].when", "'lav'"]),
    # conditions that do not parse or are not allowed
    (N7_WHEN, "personal_data and era = 'post_gdpr'", N7, ["requirements[N7].when", "parse"]),
    (N7_WHEN, "len(era) == 8", N7, ["requirements[N7].when", "called"]),
    ('ask_when = "personal_data"', 'ask_when = "personal_data.x"', 'id = "legal_basis_date"',
     ["questions[legal_basis_date].ask_when"]),
    # document types, flags, guidance, texts, severities, keys
    ('one_of = ["dpia", "dpia_negative"]', 'one_of = ["dpia", "dpia_negativ"]', N7,
     ["requirements[N7]", "'dpia_negativ'"]),
    ('{ type = "dpia_negative"', '{ type = "dpia_negatve"', 'id = "C5"',
     ["requirements[C5]", "'dpia_negatve'"]),
    ('require_flag = { dpia = "updated_for_this_change"', 'require_flag = { dpia = "updated"',
     'id = "C5"', ["requirements[C5].require_flag.dpia", "'updated'"]),
    ('source = ["S12"]', 'source = ["S99"]', N7, ["requirements[N7].source", "'S99'"]),
    ('source = ["S12"]', 'source = []', N7, ["requirements[N7].source"]),
    ('source = ["S12", "S21", "S23"]', 'source = ["S12", "S2l"]', 'id = "dpia"',
     ["document_types[dpia].source", "'S2l'"]),
    (', en = "The legal basis is from 20.7.2018 or later: attach a {types}." }', " }", N7,
     ["requirements[N7].message", "'en'"]),
    (', en = "The legal basis is from 20.7.2018 or later: attach a {types}." }',
     ', en = "" }', N7, ["requirements[N7].message.en"]),
    (', en = "The legal basis is from 20.7.2018 or later: attach a {types}." }',
     ', en = "x", de = "y" }', N7, ["requirements[N7].message", "'de'"]),
    ('severity = "error"', 'severity = "fatal"', N7, ["requirements[N7].severity", "'fatal'"]),
    ('severity = "error"', 'severty = "error"', N7, ["requirements[N7]", "'severty'"]),
    ('kind = "documents"', 'kind = "docs"', N7, ["requirements[N7].kind", "'docs'"]),
    ('one_of = ["dpia", "dpia_negative"]', 'one_of = ["dpia"]\nall_of = ["dpia_negative"]',
     N7, ["requirements[N7]", "all_of / one_of"]),
    ('kind = "documents"', 'kind = "documents"\nper = "health_research"', N7,
     ["requirements[N7].per", "'health_research'"]),
    ('id = "N7"', 'id = "N6"', "", ["requirements[N6]", "duplicate"]),
    ('id = "basis_covers_change"', 'id = "legal_basis_date"', "", ["questions", "duplicate",
                                                                    "legal_basis_date"]),
    ('id = "dpia_negative"', 'id = "dpia"', "[[document_types]]",
     ["document_types", "duplicate"]),
    ('id = "a14_negative_dpia"', 'id = "a12_pre_gdpr_not_low"', "", ["options", "duplicate"]),
    # questions asked in order
    ('ask_when = "personal_data"', 'ask_when = "personal_data and health_research"',
     'id = "legal_basis_date"', ["questions[legal_basis_date].ask_when", "'health_research'"]),
    ('ask_when = "personal_data"', "ask_when = \"era == 'pre_gdpr'\"", 'id = "legal_basis_date"',
     ["questions[legal_basis_date].ask_when", "later"]),
    ('kind = "bool"', 'kind = "yesno"', 'id = "basis_covers_change"',
     ["questions[basis_covers_change].kind", "'yesno'"]),
    # derived facts, options, checks, dual tags, top level
    ("threshold = 2018-07-20", 'threshold = "2018-07-20"', 'id = "era"',
     ["derived[era].threshold"]),
    ('question = "legal_basis_date"', 'question = "basis_date"', 'id = "era"',
     ["derived[era].question", "'basis_date'"]),
    ('default = "accept_with_warning"', 'default = "accept"', 'id = "a14_negative_dpia"',
     ["options[a14_negative_dpia].default", "'accept'"]),
    ("[checks.package_size]", "[checks.package_sizes]", "", ["checks.package_sizes"]),
    ("days = 60", 'days = "sixty"', "[checks.approval_expires_soon]",
     ["checks.approval_expires_soon.days"]),
    ("days = 60", "days = -1", "[checks.approval_expires_soon]",
     ["checks.approval_expires_soon.days"]),
    ("max_mb = 20", 'max_mb = "20 MB"', "[checks.package_size]", ["checks.package_size.max_mb"]),
    ("max_mb = 20", "max_mbb = 20", "[checks.package_size]",
     ["checks.package_size", "'max_mbb'"]),
    ('severity = "warning"', 'severity = "low"', "[checks.dual_tag]",
     ["checks.dual_tag.severity"]),
    ('["consent_form", "information_letter"]', '["consent_form", "informasjonsskriv"]',
     "[dual_tags]", ["dual_tags.allowed", "'informasjonsskriv'"]),
    ('["consent_form", "information_letter"]', '["consent_form"]', "[dual_tags]",
     ["dual_tags.allowed[3]"]),
    ("[pack]", "[pakke]\n[pack]", "", ["(top level)", "'pakke'"]),
    ('group = "dpia"', 'group = "dpiaa"', 'id = "dpia"', ["document_types[dpia].group"]),
    # consistency checks: the project fact to name, the flags that limit what is read
    ('fact = "institution"', 'fact = "institusjon"', 'id = "K11"',
     ["consistency[K11].fact", "'institusjon'"]),
    ('fact = "institution"\n', "", 'id = "K11"', ["consistency[K11]", "fact"]),
    ('require_flag = { dpo_recommendation = "updated_for_this_change" }',
     'require_flag = { dpo_recommendation = "updated" }', 'id = "K11"',
     ["consistency[K11].require_flag.dpo_recommendation", "'updated'"]),
    ('require_flag = { dpo_recommendation = "updated_for_this_change" }',
     'require_flag = { tilradning = "updated_for_this_change" }', 'id = "K11"',
     ["consistency[K11]", "'tilradning'"]),
])
def test_broken_pack_is_refused(tmp_path: Path, old: str, new: str, after: str,
                                parts: list[str]) -> None:
    refused(variant(tmp_path, old, new, after=after), *parts)


def test_unknown_key_before_the_id_names_the_entry(tmp_path: Path) -> None:
    path = variant(tmp_path, 'id = "N7"', 'when_ = "x"\nid = "N7"')
    refused(path, "requirements[N7]", "'when_'")


def test_entry_without_id_is_named_by_its_position(tmp_path: Path) -> None:
    path = variant(tmp_path, 'id = "N7"\n', "")
    message = refused(path, "requirements[")
    assert re.search(r"requirements\[\d+\]", message)


@pytest.mark.parametrize("content", [b"this is = not [toml", b"[pack\nid = 1",
                                     b"\xff\xfe\x00 binary"])
def test_not_toml(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "junk.toml"
    path.write_bytes(content)
    message = refused(path)
    assert "TOML" in message


def test_missing_file(tmp_path: Path) -> None:
    refused(tmp_path / "nope.toml", "cannot be read")


def test_empty_pack_names_what_is_missing(tmp_path: Path) -> None:
    path = tmp_path / "empty.toml"
    path.write_text("", encoding="utf-8")
    refused(path, "pack")


def test_parse_pack_directly_names_the_path() -> None:
    with pytest.raises(RulePackError, match=r"x\.toml \(pack\)"):
        parse_pack({"pack": []}, Path("x.toml"))


def test_error_carries_path_and_field(tmp_path: Path) -> None:
    path = variant(tmp_path, N7_WHEN, "personal_data and eraa == 'post_gdpr'", after=N7)
    with pytest.raises(RulePackError) as info:
        load_pack(path)
    assert info.value.path == path and info.value.field == "requirements[N7].when"
    assert "'eraa'" in info.value.message


def test_variants_of_the_shipped_pack_still_load_when_valid(tmp_path: Path) -> None:
    # the helper itself: an innocuous change loads, so refusals above are about the change
    path = variant(tmp_path, N7_WHEN, "personal_data and 'post_gdpr' == era", after=N7)
    pack = load_pack(path)
    assert pack.requirement("N7").when is not None


def test_errors_are_in_bokmal_when_the_language_is_bokmal(tmp_path: Path) -> None:
    from soknadspakke.core import i18n

    path = variant(tmp_path, N7_WHEN, "personal_dat and era == 'post_gdpr'", after=N7)
    i18n.set_language("nb")  # tests/conftest.py restores the language
    message = refused(path, "requirements[N7].when", "ukjent navn 'personal_dat' i ")
    i18n.set_language("en")
    assert "unknown" not in message
    assert "unknown name 'personal_dat' in " in refused(path)


def test_every_problem_is_reported_at_once_with_its_entry(tmp_path: Path) -> None:
    text = TEXT.replace('source = ["S12"]', 'sourse = ["S12"]', 1)  # N7's key
    path = variant(tmp_path, 'severity = "error"', 'severity = "fatal"', after='id = "N2"',
                   text=text)
    text = path.read_text(encoding="utf-8")
    path = variant(tmp_path, "personal_data and era == 'post_gdpr'",
                   "personal_dat and era == 'post_gdpr'", after='id = "N7"', text=text)
    text = path.read_text(encoding="utf-8")
    path = variant(tmp_path, '["consent_form", "information_letter"]',
                   '["consent_form", "informasjonsskriv"]', after="[dual_tags]", text=text)
    with pytest.raises(RulePackError) as info:
        load_pack(path)
    error = info.value
    fields = [p.field for p in error.problems]
    assert fields == ["requirements[N2].severity", "requirements[N7]",
                      "requirements[N7].source", "dual_tags.allowed"], str(error)
    message = str(error)
    assert message.startswith(f"{path}: 4 problems in the rule pack:\n"), message
    for line in ("  requirements[N2].severity: severity must be error, warning or info, "
                 "not 'fatal'", "  requirements[N7]: unknown key(s) ['sourse']",
                 "'informasjonsskriv'"):
        assert line in message
    assert all(p.path == path for p in error.problems)


def test_a_broken_entry_is_not_reported_again_where_it_is_used(tmp_path: Path) -> None:
    # The type cannot be read (no name); the requirements that name it are not also wrong.
    path = variant(tmp_path, "name = {", "navn = {", after='id = "research_protocol"')
    with pytest.raises(RulePackError) as info:
        load_pack(path)
    assert [p.field for p in info.value.problems] == [
        "document_types[research_protocol]", "document_types[research_protocol].name"]


def test_allowed_keys_are_the_schema_fields() -> None:
    from dataclasses import fields

    from soknadspakke.rules.reading import keys_of
    from soknadspakke.rules.schema import Requirement

    assert set(keys_of(Requirement)) == {f.name for f in fields(Requirement)}
    with pytest.raises(RulePackError, match=r"allowed: \[.*'also_accepts'.*'when'\]"):
        parse_pack({"pack": {"id": "x", "version": "1", "name": {"nb": "x", "en": "x"}},
                    "requirements": [{"id": "R", "kind": "documents", "one_of": ["a"],
                                      "sevrity": "error"}]}, Path("x.toml"))
