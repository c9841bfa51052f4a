"""The shipped pack against its sources: SSB's guidance text (verbatim) and RULES.md (every
question and document type), and its own consistency (sources, texts in both languages)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from soknadspakke.core.i18n import LANGUAGES, LocalText

from .builders import PACK

DOMAIN = Path(__file__).resolve().parents[2] / ".." / "shared" / "domain"
GUIDANCE = DOMAIN / "ssb-guidance-nb.txt"
RULES_MD = DOMAIN / "RULES.md"
needs_guidance = pytest.mark.skipif(
    not GUIDANCE.is_file(), reason=f"SSB's guidance text is not here ({GUIDANCE})")
needs_rules = pytest.mark.skipif(
    not RULES_MD.is_file(), reason=f"RULES.md is not here ({RULES_MD})")

CONTACTS = ("mikrodata@ssb.no", "informasjon@ssb.no", "21 09 46 42")


def normalize(text: str) -> str:
    """Whitespace collapsed, bullets removed (they are layout, not words)."""
    return " ".join(text.replace("•", " ").replace("\u00a0", " ").split())


def test_pack_quotes_all_25_paragraphs() -> None:
    assert sorted(PACK.guidance, key=lambda s: int(s[1:])) == [f"S{i}" for i in range(1, 26)]


@needs_guidance
@pytest.mark.parametrize("sid", [f"S{i}" for i in range(1, 25)])
def test_guidance_quote_is_verbatim(sid: str) -> None:
    original = normalize(GUIDANCE.read_text(encoding="utf-8"))
    quote = normalize(PACK.guidance[sid].render("nb"))
    assert quote in original, f"{sid} is not SSB's text: {quote!r}"


@needs_guidance
def test_contact_block_matches_the_guidance() -> None:
    original = GUIDANCE.read_text(encoding="utf-8")
    quote = PACK.guidance["S25"].render("nb")
    for contact in CONTACTS:
        assert contact in original and contact in quote
        assert contact in PACK.guidance["S25"].render("en")


@needs_guidance
def test_normalize_would_notice_a_changed_word() -> None:
    original = normalize(GUIDANCE.read_text(encoding="utf-8"))
    changed = normalize(PACK.guidance["S12"].render("nb")).replace("enten", "alltid")
    assert changed not in original


@pytest.mark.parametrize("sid", sorted(PACK.guidance))
def test_every_paragraph_has_an_english_translation(sid: str) -> None:
    text = PACK.guidance[sid]
    assert text.render("en").strip() and text.render("en") != text.render("nb")


def test_every_requirement_has_existing_sources() -> None:
    for requirement in PACK.requirements:
        assert requirement.source, requirement.id
        assert set(requirement.source) <= set(PACK.guidance), requirement.id
    for check in PACK.checks.values():
        assert set(check.source) <= set(PACK.guidance), check.id
    for question in PACK.questions:
        assert set(question.source) <= set(PACK.guidance), question.id


def _texts(value: object) -> list[LocalText]:
    if isinstance(value, LocalText):
        return [value]
    if isinstance(value, (list, tuple)):
        return [t for v in value for t in _texts(v)]
    if hasattr(value, "__dataclass_fields__"):
        return [t for name in value.__dataclass_fields__ for t in _texts(getattr(value, name))]
    if isinstance(value, dict):
        return [t for v in value.values() for t in _texts(v)]
    return []


def test_every_text_has_both_languages() -> None:
    texts = _texts(PACK.questions) + _texts(PACK.requirements) + _texts(PACK.document_types) \
        + _texts(list(PACK.checks.values())) + _texts(PACK.options) + _texts(PACK.derived)
    assert len(texts) > 150
    for text in texts:
        for lang in LANGUAGES:
            assert text.texts.get(lang, "").strip(), text


def test_message_placeholders_are_the_same_in_both_languages() -> None:
    pattern = re.compile(r"\{(\w+)\}")
    for r in PACK.requirements:
        messages = [r.message, *(a.message for a in r.also_accepts)]
        for message in messages:
            nb, en = (set(pattern.findall(message.texts[lang])) for lang in ("nb", "en"))
            assert nb == en, r.id
            assert nb <= {"type", "types", "owner"}, r.id
            if r.per is None:
                assert "owner" not in nb, r.id
    for check in PACK.checks.values():
        nb, en = (set(pattern.findall(check.message.texts[lang])) for lang in ("nb", "en"))
        assert nb == en, check.id


def _table(section: str) -> list[str]:
    """First-column ids (in backticks) of the markdown table in RULES.md ``## section``."""
    text = RULES_MD.read_text(encoding="utf-8")
    match = re.search(rf"^## {re.escape(section)}.*?$(.*?)^## ", text, re.M | re.S)
    assert match, f"RULES.md has no section {section}"
    return re.findall(r"^\|\s*`([a-z_0-9]+)`\s*\|", match.group(1), re.M)


@needs_rules
def test_every_question_of_rules_md_is_in_the_pack() -> None:
    ids = _table("2.")
    assert len(ids) >= 13
    assert set(ids) <= {q.id for q in PACK.questions}


@needs_rules
def test_every_document_type_of_rules_md_is_in_the_pack() -> None:
    ids = _table("3.")
    assert len(ids) >= 25
    assert set(ids) == {t.id for t in PACK.document_types}


@needs_rules
def test_allowed_dual_tags_match_rules_md() -> None:
    text = RULES_MD.read_text(encoding="utf-8")
    line = next(ln for ln in text.splitlines() if ln.startswith("**Allowed dual-tags**"))
    pairs = {frozenset(m) for m in re.findall(r"`(\w+)`\+`(\w+)`", line)}
    assert pairs == set(PACK.allowed_dual_tags)
    assert "identifying_variables_justification" in line
    assert PACK.document_type("identifying_variables_justification").never_dual


@needs_rules
def test_every_requirement_of_the_decision_table_is_in_the_pack() -> None:
    text = RULES_MD.read_text(encoding="utf-8")
    ids = re.findall(r"^\| ([NC]\d+b?) \|", text, re.M)
    assert len(ids) == 29
    for rid in ids:
        PACK.requirement(rid)


def test_era_threshold_is_the_gdpr_date() -> None:
    era = next(d for d in PACK.derived if d.id == "era")
    assert str(era.threshold) == "2018-07-20"
    assert (era.below, era.at_or_after) == ("pre_gdpr", "post_gdpr")
