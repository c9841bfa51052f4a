"""A rule pack for another (fictional) agency, ``data/other_agency.toml``: it loads and the
engine checks an application against it with no Python change (its own data-owner question,
application-type question and fallback type; no SSB id anywhere)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from soknadspakke.core.project import Document, Project, ProjectInfo
from soknadspakke.rules.engine import evaluate
from soknadspakke.rules.loader import load_pack
from soknadspakke.rules.schema import RulePack

OTHER_AGENCY = Path(__file__).parent / "data" / "other_agency.toml"
TODAY = date(2026, 6, 1)
INFO = ProjectInfo(title="Skolehelse i Fjordvik", project_leader="Ola Nordmann",
                   institution="Fjordvik høgskole", org_number="123456785",
                   contact_email="ola@example.org", period_start=date(2026, 1, 1),
                   period_end=date(2027, 12, 31))


@pytest.fixture(scope="module")
def pack() -> RulePack:
    return load_pack(OTHER_AGENCY)


def run(pack: RulePack, answers: dict[str, object], *docs: Document) -> list[tuple[str, str]]:
    ev = evaluate(Project(INFO, answers, list(docs)), pack, today=TODAY)
    return [(f.code, f.rule or "") for f in ev.findings]


def test_the_pack_loads_with_its_own_named_questions(pack: RulePack) -> None:
    assert pack.id == "fjordvik-arkiv"
    assert pack.data_owner_question == "record_holders"
    assert pack.application_type_question == "request_kind"
    assert pack.cover.fallback_type == "misc"
    assert pack.known_types(["no_such_type"]) == ["misc"]
    assert pack.application_type({"request_kind": "renewal"}) == "renewal"
    assert pack.submission is None and pack.change_application is None


def test_a_complete_application_is_ready(pack: RulePack) -> None:
    findings = run(pack, {"request_kind": "first", "record_holders": ["health_trust"],
                          "sensitive": False},
                   Document("brev.pdf", ["request_letter"]),
                   Document("plan.pdf", ["project_plan"]),
                   Document("samtykke.pdf", ["holder_consent"], data_owner="health_trust"))
    assert findings == []


def test_per_owner_requirement_reads_the_packs_data_owner_question(pack: RulePack) -> None:
    answers = {"request_kind": "renewal", "record_holders": ["health_trust", "school_office"],
               "sensitive": True}
    findings = run(pack, answers, Document("brev.pdf", ["request_letter"]),
                   Document("samtykke.pdf", ["holder_consent"], data_owner="health_trust"),
                   Document("annet.pdf", ["misc"], data_owner="tax_office"))
    assert ("missing_document", "F-consent") in findings  # the school office's consent
    assert ("missing_document", "F-ethics") in findings
    assert ("renewal_reference", "F-renewal") in findings
    assert ("data_owner_not_selected", "") in findings  # the tax office is not among them
    assert ("missing_document", "F-plan") not in findings  # a renewal needs no plan


def test_unknown_types_and_answers_are_findings_not_crashes(pack: RulePack) -> None:
    findings = run(pack, {"request_kind": "first", "application_type": "new"},
                   Document("x.pdf", ["research_protocol"]))
    codes = {code for code, _rule in findings}
    assert {"unknown_document_type", "unknown_answer", "answer_missing"} <= codes


def test_a_pack_without_named_questions_still_checks(tmp_path: Path) -> None:
    text = OTHER_AGENCY.read_text(encoding="utf-8")
    text = text.replace('data_owner_question = "record_holders"\n', "")
    text = text.replace('application_type_question = "request_kind"\n', "")
    start = text.index("[[requirements]]\nid = \"F-consent\"")
    end = text.index("[[requirements]]", start + 10)
    path = tmp_path / "bare.toml"
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    bare = load_pack(path)
    assert bare.application_type({"request_kind": "first"}) is None
    findings = run(bare, {"request_kind": "first", "record_holders": [], "sensitive": False},
                   Document("brev.pdf", ["request_letter"]),
                   Document("plan.pdf", ["project_plan"]),
                   Document("x.pdf", ["misc"], data_owner="anyone"))
    assert findings == []


def test_a_per_owner_requirement_needs_the_packs_data_owner_question(tmp_path: Path) -> None:
    from soknadspakke.core.errors import RulePackError

    text = OTHER_AGENCY.read_text(encoding="utf-8").replace(
        'data_owner_question = "record_holders"\n', "")
    path = tmp_path / "no-owner-question.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RulePackError) as info:
        load_pack(path)
    assert info.value.field == "requirements[F-consent].per"
    assert "data_owner_question" in info.value.message
