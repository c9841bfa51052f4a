"""The engine's logic beyond single requirements: the GDPR era, the risk class, per-owner
checks, flags, alternatives, options, tags, validity dates, answers and project facts."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from soknadspakke.core.findings import Severity
from soknadspakke.core.project import Project
from soknadspakke.rules.answers import answer_problems
from soknadspakke.rules.engine import evaluate

from .builders import (
    DROP,
    PACK,
    PRE_GDPR,
    TODAY,
    assert_bilingual,
    assert_finding,
    doc,
    of,
    owner_label,
    project,
    rules_of,
    run,
    type_name,
)

E, W, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO


# -- era (RULES A1) ---------------------------------------------------------------------------
@pytest.mark.parametrize(("basis_date", "era"), [
    ("2018-07-19", "pre_gdpr"), ("2018-07-20", "post_gdpr"), ("2018-07-21", "post_gdpr"),
    ("1999-01-01", "pre_gdpr"), ("2031-12-31", "post_gdpr")])
def test_era_boundary(basis_date: str, era: str) -> None:
    ev = run("new", legal_basis_date=basis_date, drop_types=["dpia", "dpo_recommendation"])
    assert ev.facts["era"] == era
    fired = rules_of(ev)
    if era == "pre_gdpr":
        assert {"N5", "N6"} <= fired and not {"N7", "N7a"} & fired
    else:
        assert {"N7", "N7a"} <= fired and not {"N5", "N6"} & fired


def test_era_boundary_in_a_change_application() -> None:
    assert run("change", legal_basis_date="2018-07-19").facts["era"] == "pre_gdpr"
    post = run("change", legal_basis_date="2018-07-20")
    assert post.facts["era"] == "post_gdpr"
    assert "basis_covers_change" in post.applicable_questions
    pre = run("change", legal_basis_date="2018-07-19")
    assert "basis_covers_change" not in pre.applicable_questions
    assert "C2" in rules_of(pre) and "C6" not in rules_of(pre)


def test_no_era_without_personal_data() -> None:
    ev = run("new", personal_data=False, legal_basis_date=DROP)
    assert ev.facts.get("era") is None
    assert "legal_basis_date" not in ev.applicable_questions
    assert not of(ev, code="answer_missing")


def test_missing_basis_date_asks_for_it_and_decides_nothing_about_the_era() -> None:
    ev = run("new", legal_basis_date=DROP)
    [f] = of(ev, code="answer_missing")
    assert f.field == "answers.legal_basis_date" and f.severity is E
    assert not {"N5", "N6", "N7", "N7a"} & rules_of(ev)
    assert not ev.ready


# -- risk class (RULES §4.2) -------------------------------------------------------------------
LOW = ["new_project_member", "new_project_leader", "updated_years_existing_variables"]
NOT_LOW = ["new_institution", "new_variables", "extended_population",
           "extended_period_beyond_basis", "other"]


def _risk(change_types: list[str], override: Any = False) -> Any:
    extra: dict[str, Any] = {"institution_status": "approved"}
    return run("change", change_types=change_types, risk_override=override,
               **extra).facts["risk_class"]


@pytest.mark.parametrize("change", LOW)
def test_each_usually_low_change_is_low(change: str) -> None:
    assert _risk([change]) == "low"


def test_all_low_changes_together_are_low() -> None:
    assert _risk(LOW) == "low"


@pytest.mark.parametrize("change", NOT_LOW)
def test_other_changes_are_not_low_even_mixed_with_low_ones(change: str) -> None:
    assert _risk([change]) == "not_low"
    assert _risk([*LOW, change]) == "not_low"


def test_override_raises_low_to_not_low() -> None:
    assert _risk(["new_project_member"], override=True) == "not_low"
    ev = run("change", risk_override=True, basis_covers_change=False)
    assert "C5" in rules_of(ev) and "C4" not in rules_of(ev)


def test_override_cannot_lower() -> None:
    assert _risk(["new_variables"], override=False) == "not_low"
    ev = run("change", change_types=["extended_population"], basis_covers_change=False,
             risk_override=False)
    assert "C5" in rules_of(ev) and "C4" not in rules_of(ev)


def test_override_defaults_to_no() -> None:
    ev = run("change", risk_override=DROP)
    assert ev.facts["risk_class"] == "low"
    assert not of(ev, code="answer_missing")


def test_risk_class_undecided_without_change_types() -> None:
    ev = run("change", change_types=DROP, basis_covers_change=False)
    assert ev.facts["risk_class"] is None
    [f] = of(ev, code="answer_missing")
    assert f.field == "answers.change_types"
    assert not {"C4", "C5"} & rules_of(ev)


# -- per data owner ----------------------------------------------------------------------------
def _owners_project(owners: list[str], *docs: Any) -> Any:
    return run("new", other_data_owners=owners, add=[
        doc("v.pdf", "variable_overview"), *docs])


def test_one_owner_documents_without_owner_count() -> None:
    ev = _owners_project(["nav"], doc("a.pdf", "dispensation_application"),
                         doc("b.pdf", "dispensation_decision"))
    assert "N8" not in rules_of(ev)
    assert [s.files for s in ev.satisfied if s.rule == "N8"] == [("a.pdf", "b.pdf")]


def test_two_owners_need_each_their_own_documents() -> None:
    ev = _owners_project(["nav", "helsedataservice"],
                         doc("a.pdf", "dispensation_application"),
                         doc("b.pdf", "dispensation_decision"))
    n8 = of(ev, rule="N8")
    assert len(n8) == 4
    for f in n8[:2]:
        assert_bilingual(f, contains=[owner_label("nav")])
    for f in n8[2:]:
        assert_bilingual(f, contains=[owner_label("helsedataservice")])
    assert [f.document_types for f in n8] == [("dispensation_application",),
                                             ("dispensation_decision",)] * 2


def test_two_owners_each_with_own_documents_are_met() -> None:
    ev = _owners_project(
        ["nav", "other:Kreftregisteret"],
        doc("a.pdf", "dispensation_application", data_owner="nav"),
        doc("b.pdf", "dispensation_decision", data_owner="nav"),
        doc("c.pdf", "dispensation_application", data_owner="other:Kreftregisteret"),
        doc("d.pdf", "dispensation_decision", data_owner="other:Kreftregisteret"))
    assert "N8" not in rules_of(ev)
    assert len([s for s in ev.satisfied if s.rule == "N8"]) == 2
    assert not of(ev, code="data_owner_not_selected")


def test_one_owner_served_other_owner_missing_only_its_own() -> None:
    ev = _owners_project(
        ["nav", "helsedataservice"],
        doc("a.pdf", "dispensation_application", data_owner="nav"),
        doc("b.pdf", "dispensation_decision", data_owner="nav"),
        doc("c.pdf", "dispensation_application", data_owner="helsedataservice"))
    [f] = of(ev, rule="N8")
    assert f.document_types == ("dispensation_decision",)
    assert_bilingual(f, contains=[owner_label("helsedataservice")])


def test_free_text_owner_label_appears_in_both_languages() -> None:
    ev = _owners_project(["other:Kreftregisteret"])
    n8 = of(ev, rule="N8")
    assert len(n8) == 2
    for f in n8:
        assert "Kreftregisteret" in f.message.render("nb")
        assert "Kreftregisteret" in f.message.render("en")


def test_document_for_an_owner_not_selected_is_reported() -> None:
    ev = run("new", add=[doc("a.pdf", "dispensation_decision", data_owner="nav")])
    [f] = of(ev, code="data_owner_not_selected")
    assert_finding(f, severity=W, code="data_owner_not_selected", rule=None, source=["S13"])
    assert f.files == ("a.pdf",)
    assert_bilingual(f)
    assert "nav" in f.message.render("nb") and "a.pdf" in f.message.render("en")
    ok = run("new", other_data_owners=["nav"], add=[
        doc("v.pdf", "variable_overview"),
        doc("a.pdf", "dispensation_decision", data_owner="nav")])
    assert not of(ok, code="data_owner_not_selected")


# -- flags and alternatives --------------------------------------------------------------------
def test_c4_needs_the_updated_flag_on_a_dpia() -> None:
    fires = run("change", basis_covers_change=False, add=[doc("d.pdf", "dpia")])
    [f] = of(fires, rule="C4")
    assert f.document_types == ("low_risk_change_statement", "dpia")
    assert_bilingual(f, contains=[type_name("low_risk_change_statement"), type_name("dpia")])
    met = run("change", basis_covers_change=False,
              add=[doc("d.pdf", "dpia", updated_for_this_change=True)])
    assert "C4" not in rules_of(met) and met.ready


def test_c5_updated_dpia_is_met_and_plain_dpia_is_not() -> None:
    plain = run("change", basis_covers_change=False, change_types=["new_variables"],
                add=[doc("d.pdf", "dpia"), doc("s.xlsx", "ssb_variable_list")])
    assert [f.code for f in of(plain, rule="C5")] == ["missing_document"]
    updated = run("change", basis_covers_change=False, change_types=["new_variables"],
                  add=[doc("d.pdf", "dpia", updated_for_this_change=True),
                       doc("s.xlsx", "ssb_variable_list")])
    assert "C5" not in rules_of(updated) and updated.ready


@pytest.mark.parametrize(("option", "ready"), [("accept_with_warning", True), ("refuse", False)])
def test_c5_negative_dpia_follows_option_a14(option: str, ready: bool) -> None:
    ev = run("change", basis_covers_change=False, change_types=["other"],
             add=[doc("n.pdf", "dpia_negative", updated_for_this_change=True)],
             options={"a14_negative_dpia": option})
    [f] = of(ev, rule="C5")
    if ready:
        assert_finding(f, severity=W, code="accepted_alternative", rule="C5",
                       types=["dpia_negative"], source=["S23"])
        assert f.files == ("n.pdf",)
        assert_bilingual(f, contains=[type_name("dpia_negative")])
        assert "C5" in {s.rule for s in ev.satisfied}
    else:
        assert_finding(f, severity=E, code="missing_document", rule="C5", types=["dpia"])
    assert ev.ready is ready


def test_n3_microdata_script_is_accepted_with_a_warning() -> None:
    ev = run("new", drop_types=["ssb_variable_list"], add=[doc("s.txt", "microdata_script")])
    [f] = of(ev, rule="N3")
    assert_finding(f, severity=W, code="accepted_alternative", rule="N3",
                   types=["microdata_script"], source=["S8"])
    assert f.files == ("s.txt",)
    assert_bilingual(f, contains=[type_name("microdata_script"), type_name("ssb_variable_list")])
    assert ev.ready


def test_n3_variable_list_wins_over_script_without_warning() -> None:
    ev = run("new", add=[doc("s.txt", "microdata_script")])
    assert "N3" not in rules_of(ev)


# -- option a12 (C2 in addition / instead) -----------------------------------------------------
@pytest.mark.parametrize(("option", "c2_fires"), [(None, True), ("in_addition", True),
                                                  ("instead", False)])
def test_c2_for_not_low_pre_gdpr_change_follows_option_a12(option: str | None,
                                                           c2_fires: bool) -> None:
    options = {} if option is None else {"a12_pre_gdpr_not_low": option}
    ev = run("change", legal_basis_date=PRE_GDPR, change_types=["new_variables"],
             add=[doc("d.pdf", "dpia"), doc("s.xlsx", "ssb_variable_list")], options=options)
    assert ("C2" in rules_of(ev)) is c2_fires
    assert "C3" not in rules_of(ev)
    assert ev.ready is not c2_fires


def test_c2_for_low_pre_gdpr_change_applies_under_both_readings() -> None:
    for option in ("in_addition", "instead"):
        ev = run("change", legal_basis_date=PRE_GDPR,
                 options={"a12_pre_gdpr_not_low": option})
        assert len(of(ev, rule="C2")) == 2


def test_unknown_options_are_ignored_by_the_engine() -> None:
    ev = run("change", legal_basis_date=PRE_GDPR, change_types=["new_variables"],
             add=[doc("d.pdf", "dpia"), doc("s.xlsx", "ssb_variable_list")],
             options={"no_such_option": "x"})
    assert "C2" in rules_of(ev)


# -- exactly one ------------------------------------------------------------------------------
@pytest.mark.parametrize(("kind", "form", "rule"), [
    ("new", "application_form_new", "N1"), ("change", "application_form_change", "C1")])
def test_two_application_forms_are_too_many(kind: str, form: str, rule: str) -> None:
    ev = run(kind, add=[doc("skjema2.pdf", form)])
    [f] = of(ev, code="too_many_documents")
    assert_finding(f, severity=E, code="too_many_documents", rule=rule, types=[form])
    assert len(f.files) == 2 and "skjema2.pdf" in f.files
    assert "2" in f.message.render("en") and "skjema2.pdf" in f.message.render("nb")
    assert type_name(form).render("nb") in f.message.render("nb")
    assert not of(ev, code="missing_document")
    assert not ev.ready
    assert rule not in {s.rule for s in ev.satisfied}


def test_exactly_one_is_not_applied_to_other_types() -> None:
    ev = run("new", add=[doc("p2.pdf", "research_protocol")])
    assert ev.ready and not of(ev, code="too_many_documents")


# -- tags ------------------------------------------------------------------------------------
ALLOWED_PAIRS = [("rek_prior_approval", "rek_ethics_approval"),
                 ("gdpr_legal_basis", "gdpr_privacy_statement"),
                 ("rek_ethics_approval", "dispensation_decision"),
                 ("consent_form", "information_letter")]


@pytest.mark.parametrize("pair", ALLOWED_PAIRS)
def test_allowed_dual_tags_are_silent(pair: tuple[str, str]) -> None:
    ev = run("new", add=[doc("x.pdf", *pair)])
    assert not of(ev, code="disallowed_dual_tag") and not of(ev, code="never_dual")
    reverse = run("new", add=[doc("x.pdf", *reversed(pair))])
    assert not of(reverse, code="disallowed_dual_tag")


def test_allowed_dual_tag_serves_both_requirements() -> None:
    ev = run("new", health_research=True, legal_basis_date=PRE_GDPR, drop_types=["dpia"],
             add=[doc("rek.pdf", "rek_prior_approval", "rek_ethics_approval"),
                  doc("g.pdf", "gdpr_legal_basis", "gdpr_privacy_statement")])
    assert not {"N5", "N6", "N11"} & rules_of(ev)
    assert ev.ready


@pytest.mark.parametrize("pair", [("research_protocol", "dpia"),
                                  ("dpia", "dpia_negative"),
                                  ("consent_form", "rek_ethics_approval")])
def test_other_dual_tags_get_a_warning(pair: tuple[str, str]) -> None:
    ev = run("new", add=[doc("x.pdf", *pair)])
    [f] = of(ev, code="disallowed_dual_tag")
    assert_finding(f, severity=W, code="disallowed_dual_tag", rule=None, types=list(pair),
                   source=["S5"])
    assert f.files == ("x.pdf",)
    assert_bilingual(f, contains=[type_name(t) for t in pair])


@pytest.mark.parametrize("other", ["research_protocol", "ssb_variable_list", "other"])
def test_identifying_justification_is_never_dual(other: str) -> None:
    ev = run("new", identifying_vars=["grunnkrets"],
             add=[doc("b.pdf", "identifying_variables_justification", other)])
    [f] = of(ev, code="never_dual")
    assert_finding(f, severity=E, code="never_dual", rule=None,
                   types=["identifying_variables_justification", other], source=["S15"])
    assert_bilingual(f, contains=[type_name("identifying_variables_justification")])
    assert not of(ev, code="disallowed_dual_tag")
    assert not ev.ready


def test_three_types_on_one_file_are_too_many() -> None:
    types = ("gdpr_legal_basis", "gdpr_privacy_statement", "dpia")
    ev = run("new", add=[doc("x.pdf", *types)])
    [f] = of(ev, code="too_many_types")
    assert_finding(f, severity=E, code="too_many_types", rule=None, types=types)
    assert f.files == ("x.pdf",) and "3" in f.message.render("en")
    assert not of(ev, code="disallowed_dual_tag")
    assert not ev.ready


def test_unknown_document_type() -> None:
    ev = run("new", add=[doc("x.pdf", "rek_approval")])
    [f] = of(ev, code="unknown_document_type")
    assert_finding(f, severity=E, code="unknown_document_type", rule=None,
                   types=["rek_approval"])
    assert f.files == ("x.pdf",)
    assert "rek_approval" in f.message.render("nb") and "x.pdf" in f.message.render("en")
    assert not ev.ready


def test_unknown_type_next_to_a_known_one_still_counts_the_known_one() -> None:
    ev = run("new", drop_types=["research_protocol"],
             add=[doc("x.pdf", "research_protocol", "protokoll_v2")])
    assert "N2" not in rules_of(ev)
    assert [f.code for f in ev.findings if f.is_error] == ["unknown_document_type"]


def test_untyped_document() -> None:
    ev = run("new", add=[doc("x.pdf")])
    [f] = of(ev, code="untyped_document")
    assert_finding(f, severity=W, code="untyped_document", rule=None)
    assert f.files == ("x.pdf",) and "x.pdf" in f.message.render("nb")
    assert ev.ready


@pytest.mark.parametrize(("kind", "type_id"), [
    ("new", "application_form_change"), ("new", "low_risk_change_statement"),
    ("change", "application_form_new")])
def test_unexpected_document_type(kind: str, type_id: str) -> None:
    ev = run(kind, add=[doc("x.pdf", type_id)])
    [f] = of(ev, code="unexpected_document_type")
    assert_finding(f, severity=W, code="unexpected_document_type", rule=None, types=[type_id],
                   source=["S3"])
    assert f.files == ("x.pdf",)
    assert_bilingual(f, contains=[type_name(type_id)])


def test_expected_types_are_not_unexpected() -> None:
    assert not of(run("new"), code="unexpected_document_type")
    assert not of(run("change", add=[doc("l.pdf", "low_risk_change_statement")]),
                  code="unexpected_document_type")


def test_no_unexpected_type_warning_while_the_kind_is_unanswered() -> None:
    ev = run("new", application_type=DROP, add=[doc("x.pdf", "application_form_change")])
    assert not of(ev, code="unexpected_document_type")


def test_same_type_twice_on_one_document_is_one_type() -> None:
    ev = run("new", add=[doc("x.pdf", "research_protocol", "research_protocol")])
    assert not of(ev, code="disallowed_dual_tag")


# -- approval validity ---------------------------------------------------------------------------
def _approval(valid_until: date, type_id: str = "dpo_recommendation", **info: Any) -> Any:
    return run("new", drop_types=[type_id], add=[doc("a.pdf", type_id, valid_until=valid_until)],
               info_changes=info)


END = date(2028, 12, 31)


def test_valid_approval_is_silent() -> None:
    ev = _approval(END)
    assert not [f for f in ev.findings if f.code.startswith("approval_")]
    assert not [f for f in _approval(END + timedelta(days=400)).findings
                if f.code.startswith("approval_")]


def test_approval_ending_before_the_project() -> None:
    ev = _approval(END - timedelta(days=1))
    [f] = [f for f in ev.findings if f.code.startswith("approval_")]
    assert_finding(f, severity=E, code="approval_expires_before_period_end", rule=None,
                   types=["dpo_recommendation"], source=["S5"])
    assert_bilingual(f)
    for lang in ("nb", "en"):
        assert "2028-12-30" in f.message.render(lang) and "2028-12-31" in f.message.render(lang)
    assert not ev.ready


def test_expired_approval() -> None:
    ev = _approval(TODAY - timedelta(days=1))
    codes = [f.code for f in ev.findings if f.code.startswith("approval_")]
    assert codes == ["approval_expired"]
    [f] = of(ev, code="approval_expired")
    assert_finding(f, severity=E, code="approval_expired", rule=None,
                   types=["dpo_recommendation"], source=["S5"])
    assert_bilingual(f)
    assert "a.pdf" in f.message.render("nb")


@pytest.mark.parametrize(("days", "soon"), [(0, True), (59, True), (60, True), (61, False)])
def test_approval_expiring_soon(days: int, soon: bool) -> None:
    until = TODAY + timedelta(days=days)
    ev = _approval(until, period_end=until)
    found = of(ev, code="approval_expires_soon")
    assert bool(found) is soon
    assert not of(ev, code="approval_expired")
    assert not of(ev, code="approval_expires_before_period_end")
    if soon:
        assert_finding(found[0], severity=W, code="approval_expires_soon", rule=None,
                       types=["dpo_recommendation"], source=["S5"])
        assert_bilingual(found[0])
        assert "60" in found[0].message.render("en")


def test_soon_and_before_period_end_together() -> None:
    ev = _approval(TODAY + timedelta(days=10))
    assert {f.code for f in ev.findings if f.code.startswith("approval_")} == {
        "approval_expires_soon", "approval_expires_before_period_end"}


def test_validity_is_checked_only_for_approval_types() -> None:
    ev = run("new", drop_types=["research_protocol"],
             add=[doc("p.pdf", "research_protocol", valid_until=TODAY - timedelta(days=5))])
    assert not [f for f in ev.findings if f.code.startswith("approval_")]


def test_validity_without_a_project_end_only_checks_today() -> None:
    ev = _approval(TODAY + timedelta(days=300), period_end=None)
    assert not [f for f in ev.findings if f.code.startswith("approval_")]


def test_today_defaults_to_the_real_date() -> None:
    p = project("new", drop_types=["dpo_recommendation"],
                add=[doc("a.pdf", "dpo_recommendation", valid_until=date(2000, 1, 1))])
    assert of(evaluate(p, PACK), code="approval_expired")


# -- answers ---------------------------------------------------------------------------------
@pytest.mark.parametrize("question", ["application_type", "institution_status",
                                      "legal_basis_valid_covering", "legal_basis_date",
                                      "health_research", "other_data_owners",
                                      "consent_based", "identifying_vars", "ssb_lists_exist"])
def test_missing_answer_is_an_error(question: str) -> None:
    ev = run("new", **{question: DROP})
    missing = of(ev, code="answer_missing")
    assert [f.field for f in missing] == [f"answers.{question}"]
    label = PACK.question(question).label
    assert_bilingual(missing[0], contains=[label])
    assert missing[0].source == PACK.question(question).source
    assert not ev.ready


@pytest.mark.parametrize("question", ["change_types", "legal_basis_date",
                                      "basis_covers_change"])
def test_missing_answer_in_a_change(question: str) -> None:
    ev = run("change", **{question: DROP})
    assert [f.field for f in of(ev, code="answer_missing")] == [f"answers.{question}"]


def test_questions_with_defaults_need_no_answer() -> None:
    ev = run("new", personal_data=DROP)
    assert ev.facts["personal_data"] is True and not of(ev, code="answer_missing")


def test_answers_to_questions_that_do_not_apply_are_not_required() -> None:
    ev = run("new", personal_data=False, legal_basis_valid_covering=DROP,
             legal_basis_date=DROP, drop_types=["dpia", "dpo_recommendation"])
    assert not of(ev, code="answer_missing") and ev.ready


@pytest.mark.parametrize(("question", "value"), [
    ("application_type", "ny"), ("application_type", 1), ("application_type", ["new"]),
    ("institution_status", "maybe"), ("health_research", "yes"), ("health_research", 1),
    ("health_research", "true"), ("other_data_owners", "nav"),
    ("other_data_owners", ["nav", "skatt"]), ("other_data_owners", ["other:"]),
    ("other_data_owners", [{"id": "nav"}]), ("identifying_vars", [1]),
    ("legal_basis_date", "20.07.2018"), ("legal_basis_date", 20180720),
    ("legal_basis_date", "2018-02-30"), ("ssb_lists_exist", [])])
def test_invalid_answer(question: str, value: Any) -> None:
    ev = run("new", **{question: value})
    found = of(ev, code="invalid_answer")
    assert [f.field for f in found] == [f"answers.{question}"]
    assert found[0].severity is E and not ev.ready
    assert_bilingual(found[0], contains=[PACK.question(question).label], differ=False)
    problems = answer_problems(project("new", **{question: value}), PACK)
    assert [p[0] for p in problems] == [f"answers.{question}"]


def test_change_types_needs_at_least_one() -> None:
    ev = run("change", change_types=[])
    assert [f.field for f in of(ev, code="invalid_answer")] == ["answers.change_types"]


def test_change_types_does_not_allow_free_text() -> None:
    ev = run("change", change_types=["other:ny finansiering"])
    assert [f.field for f in of(ev, code="invalid_answer")] == ["answers.change_types"]


def test_duplicate_multi_choices_are_one() -> None:
    ev = run("new", identifying_vars=["postcode", "postcode"],
             add=[doc("b.pdf", "identifying_variables_justification")])
    assert ev.facts["identifying_vars"] == ["postcode"] and ev.ready


def test_unknown_answer_is_a_warning_and_ignored() -> None:
    ev = run("new", linkage=True, era="pre_gdpr")
    found = of(ev, code="unknown_answer")
    assert [f.field for f in found] == ["answers.linkage"]
    assert found[0].severity is W
    assert "linkage" in found[0].message.render("nb")
    assert ev.facts["era"] == "post_gdpr"  # a derived fact cannot be answered over
    assert ev.ready


def test_answer_problems_checks_questions_that_do_not_apply() -> None:
    p = project("new", change_types=["nope"])
    assert [f for f, _ in answer_problems(p, PACK)] == ["answers.change_types"]
    assert not of(evaluate(p, PACK, today=TODAY), code="invalid_answer")
    assert answer_problems(project("new"), PACK) == []


# -- project facts --------------------------------------------------------------------------
@pytest.mark.parametrize("key", ["title", "project_leader", "institution"])
def test_project_field_missing(key: str) -> None:
    ev = run("new", info_changes={key: "  "})
    [f] = of(ev, code="project_field_missing")
    assert f.field == f"project.{key}" and f.severity is W and f.message.render("nb").strip()
    assert ev.ready


@pytest.mark.parametrize(("number", "bad"), [("123456785", False), ("123456789", True),
                                             ("12345678", True), ("", False),
                                             ("123 456 785", False)])
def test_invalid_org_number(number: str, bad: bool) -> None:
    found = of(run("new", info_changes={"org_number": number}), code="invalid_org_number")
    assert bool(found) is bad
    if bad:
        assert found[0].field == "project.org_number" and found[0].severity is W
        assert number in found[0].message.render("en")


def test_invalid_period() -> None:
    ev = run("new", info_changes={"period_start": date(2027, 1, 1),
                                  "period_end": date(2026, 12, 31)})
    [f] = of(ev, code="invalid_period")
    assert f.severity is E and f.field == "project.period_end" and not ev.ready
    assert "2026-12-31" in f.message.render("nb")
    same_day = run("new", info_changes={"period_start": date(2027, 1, 1),
                                        "period_end": date(2027, 1, 1)})
    assert not of(same_day, code="invalid_period")


@pytest.mark.parametrize(("email", "bad"), [("kari@example.org", False), ("", False),
                                            ("kari@example", True), ("kari.example.org", True),
                                            ("kari @example.org", True), ("a@b@c.no", True)])
def test_invalid_email(email: str, bad: bool) -> None:
    found = of(run("new", info_changes={"contact_email": email}), code="invalid_email")
    assert bool(found) is bad
    if bad:
        assert found[0].field == "project.contact_email" and found[0].severity is W


def test_findings_are_sorted_worst_first() -> None:
    ev = run("new", drop_types=["research_protocol", "dpo_recommendation"],
             add=[doc("x.pdf")])
    ranks = [f.severity.rank for f in ev.findings]
    assert ranks == sorted(ranks) and len(set(ranks)) == 3


def test_evaluation_does_not_change_the_project() -> None:
    p = project("change", basis_covers_change=False)
    before = (dict(p.answers), [vars(d).copy() for d in p.documents], p.modified)
    evaluate(p, PACK, today=TODAY)
    assert (dict(p.answers), [vars(d).copy() for d in p.documents], p.modified) == before
    assert isinstance(p, Project)
