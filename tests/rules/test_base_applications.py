"""The base applications the other tests vary are themselves ready and quiet."""

from __future__ import annotations

from soknadspakke.core.findings import Severity
from soknadspakke.rules.engine import evaluate

from .builders import PACK, TODAY, of, project, run


def test_base_new_application_is_ready_with_only_the_reminder() -> None:
    ev = run("new")
    assert ev.ready
    assert [(f.rule, f.code) for f in ev.findings] == [("N13", "reminder")]
    assert {s.rule for s in ev.satisfied} == {"N1", "N2", "N3", "N7", "N7a"}
    assert ev.facts["era"] == "post_gdpr"
    assert ev.facts["risk_class"] is None


def test_base_change_application_is_ready_with_only_the_coverage_note() -> None:
    ev = run("change")
    assert ev.ready
    assert [(f.rule, f.code) for f in ev.findings] == [("C6", "no_privacy_document_required")]
    assert {s.rule for s in ev.satisfied} == {"C1"}
    assert ev.facts["risk_class"] == "low"


def test_empty_project_is_not_ready_and_asks_the_first_question() -> None:
    from soknadspakke.core.project import Project

    ev = evaluate(Project(), PACK, today=TODAY)
    assert not ev.ready
    missing = of(ev, code="answer_missing")
    assert "answers.application_type" in {f.field for f in missing}
    assert all(f.severity is Severity.ERROR for f in missing)


def test_applicable_questions_follow_the_kind_of_application() -> None:
    new = run("new").applicable_questions
    change = run("change").applicable_questions
    assert "change_types" not in new and "basis_covers_change" not in new
    assert "legal_basis_valid_covering" in new and "institution_status" in new
    assert "change_types" in change and "risk_override" in change
    assert "institution_status" not in change and "legal_basis_valid_covering" not in change
    assert "institution_status" in run(
        "change", change_types=["new_institution"], institution_status="approved"
    ).applicable_questions
    assert project("new").answers["application_type"] == "new"
