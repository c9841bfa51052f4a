"""Every requirement of RULES.md §4 (N0–N14, C1–C13 and their parts) fires when it should and
stays silent when it should not; findings carry severity, code, rule, types and source, and
their messages name the types (and data owner) in both languages."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from soknadspakke.core.findings import Severity

from .builders import (
    PACK,
    PRE_GDPR,
    assert_bilingual,
    doc,
    of,
    owner_label,
    rules_of,
    run,
    type_name,
)

E, W, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO

#: The guidance paragraphs RULES.md §4 names for each requirement (the pack may add more).
RULES_SOURCES: dict[str, set[str]] = {
    "N0": {"S3"}, "N0b": {"S5", "S9", "S11", "S12"}, "N1": {"S3", "S4"}, "N2": {"S6", "S7"},
    "N3": {"S8"}, "N4": {"S8"}, "N5": {"S11"}, "N6": {"S11"}, "N7": {"S12"}, "N7a": {"S5"},
    "N8": {"S13"}, "N8b": {"S13"}, "N9": {"S14"}, "N10": {"S15"}, "N11": {"S16"},
    "N12": {"S17"}, "N13": {"S8"}, "N14": {"S9"},
    "C1": {"S18"}, "C2": {"S19"}, "C3": {"S21"}, "C4": {"S22"}, "C5": {"S23"}, "C6": set(),
    "C7": {"S3", "S8"}, "C7b": {"S3", "S8"}, "C7c": {"S3", "S15"}, "C8": {"S13"},
    "C9": {"S3"}, "C9b": {"S3", "S17"}, "C10": {"S5"}, "C11": {"S5", "S16"},
    "C12": {"S5", "S14"}, "C13": {"S5"},
}


@dataclass(frozen=True)
class Expect:
    """One expected finding: its code, severity and document types (and the owner, if any)."""

    code: str
    severity: Severity
    types: tuple[str, ...] = ()
    owner: str | None = None


@dataclass(frozen=True)
class Case:
    rule: str
    kind: str
    changes: dict[str, Any]
    expected: tuple[Expect, ...]
    options: dict[str, str] = field(default_factory=dict)
    id: str = ""


def missing(*types: str, sev: Severity = E, code: str = "missing_document",
            owner: str | None = None) -> tuple[Expect, ...]:
    """One finding per type ("all of")."""
    return tuple(Expect(code, sev, (t,), owner) for t in types)


def one_of(*types: str, sev: Severity = E, code: str = "missing_document",
           owner: str | None = None) -> tuple[Expect, ...]:
    """One finding listing every alternative ("one of")."""
    return (Expect(code, sev, types, owner),)


NEW_FORM = "application_form_new"
AGREEMENTS = ("nfr_agreement", "research_programme_agreement", "fou_standard_agreement")
PRE_APPROVALS = ("dpo_recommendation", "datatilsynet_licence", "rek_prior_approval")
PRE = {"legal_basis_date": PRE_GDPR}
PRE_NEW_DOCS = [doc("tilr.pdf", "dpo_recommendation"), doc("rg.pdf", "gdpr_legal_basis"),
                doc("pv.pdf", "gdpr_privacy_statement")]

FIRES: list[Case] = [
    Case("N0", "new", {"institution_status": "not_approved"},
         (Expect("ineligible_institution", E),)),
    Case("N0b", "new", {"legal_basis_valid_covering": False},
         (Expect("missing_legal_basis", E),)),
    Case("N1", "new", {"drop_types": [NEW_FORM]}, missing(NEW_FORM)),
    Case("N2", "new", {"drop_types": ["research_protocol"]}, missing("research_protocol")),
    Case("N3", "new", {"drop_types": ["ssb_variable_list"]}, one_of("ssb_variable_list")),
    Case("N4", "new", {"ssb_lists_exist": False, "drop_types": ["ssb_variable_list"]},
         missing("variable_overview"), id="no-ssb-lists"),
    Case("N4", "new", {"other_data_owners": ["nav"],
                       "add": [doc("d1.pdf", "dispensation_application"),
                               doc("d2.pdf", "dispensation_decision"),
                               doc("k.pdf", "data_owner_correspondence")]},
         missing("variable_overview"), id="other-owners"),
    Case("N5", "new", {**PRE, "drop_types": ["dpia", "dpo_recommendation"],
                       "add": PRE_NEW_DOCS[1:]}, one_of(*PRE_APPROVALS)),
    Case("N6", "new", {**PRE, "drop_types": ["dpia"], "add": PRE_NEW_DOCS[:1]},
         missing("gdpr_legal_basis", "gdpr_privacy_statement"), id="both-missing"),
    Case("N6", "new", {**PRE, "drop_types": ["dpia"], "add": PRE_NEW_DOCS[:2]},
         missing("gdpr_privacy_statement"), id="one-missing"),
    Case("N7", "new", {"drop_types": ["dpia"]}, one_of("dpia", "dpia_negative")),
    Case("N7a", "new", {"drop_types": ["dpo_recommendation"]},
         one_of("dpo_recommendation", sev=W, code="recommended_document")),
    Case("N8", "new", {"other_data_owners": ["health_registries_rek"],
                       "ssb_lists_exist": False, "drop_types": ["ssb_variable_list"],
                       "add": [doc("v.pdf", "variable_overview"),
                               doc("k.pdf", "data_owner_correspondence")]},
         missing("dispensation_application", "dispensation_decision",
                 owner="health_registries_rek")),
    Case("N8b", "new", {"other_data_owners": ["nav"], "add": [
        doc("v.pdf", "variable_overview"), doc("a.pdf", "dispensation_application"),
        doc("b.pdf", "dispensation_decision")]},
         one_of("data_owner_correspondence", sev=INFO, code="optional_document", owner="nav")),
    Case("N9", "new", {"consent_based": True},
         missing("consent_form", "information_letter")),
    Case("N10", "new", {"identifying_vars": ["postcode"]},
         missing("identifying_variables_justification")),
    Case("N11", "new", {"health_research": True}, missing("rek_ethics_approval")),
    Case("N12", "new", {"institution_status": "not_approved_with_exception"},
         one_of(*AGREEMENTS)),
    Case("N13", "new", {}, (Expect("reminder", INFO),)),
    Case("N14", "new", {"personal_data": False, "drop_types": ["dpia", "dpo_recommendation"]},
         (Expect("confirm_no_personal_data", W),)),
    Case("N14", "change", {"personal_data": False},
         (Expect("confirm_no_personal_data", W),), id="change"),
    Case("C1", "change", {"drop_types": ["application_form_change"]},
         missing("application_form_change")),
    Case("C2", "change", PRE, missing("gdpr_legal_basis", "gdpr_privacy_statement"),
         id="low"),
    Case("C2", "change", {**PRE, "change_types": ["new_institution"],
                          "institution_status": "approved",
                          "add": [doc("d.pdf", "dpia")]},
         missing("gdpr_legal_basis", "gdpr_privacy_statement"), id="not-low-in-addition"),
    Case("C3", "change", {**PRE, "change_types": ["extended_population"],
                          "add": [doc("rg.pdf", "gdpr_legal_basis", "gdpr_privacy_statement")]},
         one_of("dpia", "dpia_negative")),
    Case("C4", "change", {"basis_covers_change": False}, one_of(
        "low_risk_change_statement", "dpia")),
    Case("C4", "change", {"basis_covers_change": False, "add": [doc("d.pdf", "dpia")]},
         one_of("low_risk_change_statement", "dpia"), id="dpia-not-marked-updated"),
    Case("C5", "change", {"basis_covers_change": False, "change_types": ["other"]},
         missing("dpia")),
    Case("C5", "change", {"basis_covers_change": False, "change_types": ["other"],
                          "add": [doc("d.pdf", "dpia")]}, missing("dpia"),
         id="dpia-not-marked-updated"),
    Case("C5", "change", {"basis_covers_change": False, "change_types": ["other"],
                          "add": [doc("n.pdf", "dpia_negative",
                                      updated_for_this_change=True)]},
         (Expect("accepted_alternative", W, ("dpia_negative",)),), id="a14-accept"),
    Case("C5", "change", {"basis_covers_change": False, "change_types": ["other"],
                          "add": [doc("n.pdf", "dpia_negative",
                                      updated_for_this_change=True)]},
         missing("dpia"), options={"a14_negative_dpia": "refuse"}, id="a14-refuse"),
    Case("C5", "change", {"basis_covers_change": False, "change_types": ["other"],
                          "add": [doc("n.pdf", "dpia_negative")]},
         missing("dpia"), id="negative-not-marked-updated"),
    Case("C6", "change", {}, (Expect("no_privacy_document_required", INFO),)),
    Case("C7", "change", {"change_types": ["new_variables"]},
         one_of("ssb_variable_list", code="change_without_attachment")),
    Case("C7", "change", {"change_types": ["new_variables"],
                          "add": [doc("s.txt", "microdata_script")]},
         (Expect("accepted_alternative", W, ("microdata_script",)),), id="script"),
    Case("C7b", "change", {"change_types": ["new_variables"], "ssb_lists_exist": False},
         missing("variable_overview", code="change_without_attachment")),
    Case("C7c", "change", {"change_types": ["new_variables"], "identifying_vars": ["grunnkrets"],
                           "add": [doc("s.xlsx", "ssb_variable_list")]},
         missing("identifying_variables_justification", code="change_without_attachment")),
    Case("C8", "change", {"change_types": ["updated_years_existing_variables"],
                          "other_data_owners": ["other:Kreftregisteret"]},
         missing("dispensation_application", "dispensation_decision",
                 code="change_without_attachment", owner="other:Kreftregisteret")),
    Case("C9", "change", {"change_types": ["new_institution"],
                          "institution_status": "not_approved"},
         (Expect("ineligible_institution", E),)),
    Case("C9b", "change", {"change_types": ["new_institution"],
                           "institution_status": "not_approved_with_exception"},
         one_of(*AGREEMENTS)),
    Case("C10", "change", {"change_types": ["extended_period_beyond_basis"]},
         (Expect("check_consistency", W),)),
    Case("C11", "change", {"health_research": True, "change_types": ["new_project_leader"]},
         missing("rek_ethics_approval", sev=W, code="recommended_document")),
    Case("C12", "change", {"consent_based": True, "change_types": ["extended_population"]},
         (Expect("check_consistency", W),)),
    Case("C13", "change", {"change_types": ["new_project_leader"]},
         (Expect("check_consistency", W),)),
]


def _case_id(case: Case) -> str:
    return f"{case.rule}-{case.id}" if case.id else case.rule


@pytest.mark.parametrize("case", FIRES, ids=_case_id)
def test_requirement_fires(case: Case) -> None:
    ev = run(case.kind, options=case.options, **case.changes)
    found = of(ev, rule=case.rule)
    assert [(f.code, f.severity, f.document_types) for f in found] == [
        (e.code, e.severity, e.types) for e in case.expected], [str(f) for f in found]
    requirement = PACK.requirement(case.rule)
    for finding, expect in zip(found, case.expected, strict=True):
        assert finding.source == requirement.source
        assert RULES_SOURCES[case.rule] <= set(finding.source)
        assert set(finding.guidance) == set(finding.source)
        names = [type_name(t) for t in expect.types]
        if expect.owner is not None:
            names.append(owner_label(expect.owner))
        assert_bilingual(finding, contains=names)
        if finding.code == "accepted_alternative":
            assert finding.files
    # the requirement that fires is not also reported as met, unless it is met another way
    met = {s.rule for s in ev.satisfied}
    blocking = any(e.severity is not Severity.INFO and e.code != "accepted_alternative"
                   for e in case.expected) and requirement.kind.value == "documents"
    if blocking and requirement.per is None:
        assert case.rule not in met
    assert ev.ready == (not any(f.is_error for f in ev.findings))


#: (rule, kind, changes, options) where the rule must stay silent.
SILENT: list[tuple[str, str, dict[str, Any], dict[str, str]]] = [
    ("N0", "new", {}, {}),
    ("N0", "new", {"institution_status": "not_approved_with_exception",
                   "add": [doc("f.pdf", "fou_standard_agreement")]}, {}),
    ("N0b", "new", {}, {}),
    ("N0b", "new", {"personal_data": False, "legal_basis_valid_covering": False}, {}),
    ("N1", "new", {}, {}),
    ("N1", "change", {}, {}),
    ("N2", "new", {}, {}),
    ("N2", "change", {}, {}),
    ("N3", "new", {"ssb_lists_exist": False, "drop_types": ["ssb_variable_list"],
                   "add": [doc("v.pdf", "variable_overview")]}, {}),
    ("N4", "new", {}, {}),
    ("N4", "new", {"ssb_lists_exist": False, "add": [doc("v.pdf", "variable_overview")]}, {}),
    ("N5", "new", {}, {}),
    ("N5", "new", {**PRE, "drop_types": ["dpia"], "add": PRE_NEW_DOCS}, {}),
    ("N5", "new", {**PRE, "drop_types": ["dpia", "dpo_recommendation"],
                   "add": [doc("k.pdf", "datatilsynet_licence"), *PRE_NEW_DOCS[1:]]}, {}),
    ("N6", "new", {}, {}),
    ("N6", "new", {**PRE, "drop_types": ["dpia"], "add": PRE_NEW_DOCS}, {}),
    ("N6", "new", {**PRE, "personal_data": False}, {}),
    ("N7", "new", {}, {}),
    ("N7", "new", {"drop_types": ["dpia"], "add": [doc("n.pdf", "dpia_negative")]}, {}),
    ("N7", "new", {**PRE, "add": PRE_NEW_DOCS}, {}),
    ("N7", "new", {"personal_data": False, "drop_types": ["dpia"]}, {}),
    ("N7a", "new", {}, {}),
    ("N7a", "new", {**PRE, "add": PRE_NEW_DOCS}, {}),
    ("N8", "new", {}, {}),
    ("N8", "new", {"other_data_owners": ["nav"], "add": [
        doc("v.pdf", "variable_overview"), doc("a.pdf", "dispensation_application"),
        doc("b.pdf", "dispensation_decision")]}, {}),
    ("N8b", "new", {}, {}),
    ("N8b", "new", {"other_data_owners": ["nav"], "add": [
        doc("k.pdf", "data_owner_correspondence")]}, {}),
    ("N9", "new", {}, {}),
    ("N9", "new", {"consent_based": True, "add": [
        doc("s.pdf", "consent_form", "information_letter")]}, {}),
    ("N10", "new", {}, {}),
    ("N10", "new", {"identifying_vars": ["full_birth_date", "full_death_date"],
                    "add": [doc("b.pdf", "identifying_variables_justification")]}, {}),
    ("N11", "new", {}, {}),
    ("N11", "new", {"health_research": True, "add": [doc("r.pdf", "rek_ethics_approval")]},
     {}),
    ("N11", "change", {"health_research": True}, {}),
    ("N12", "new", {}, {}),
    ("N12", "new", {"institution_status": "not_approved_with_exception",
                    "add": [doc("n.pdf", "research_programme_agreement")]}, {}),
    ("N12", "new", {"institution_status": "not_approved"}, {}),
    ("N13", "change", {}, {}),
    ("N14", "new", {}, {}),
    ("N14", "change", {}, {}),
    ("C1", "change", {}, {}),
    ("C1", "new", {}, {}),
    ("C2", "change", {}, {}),
    ("C2", "change", {**PRE, "add": [doc("g.pdf", "gdpr_legal_basis"),
                                     doc("p.pdf", "gdpr_privacy_statement")]}, {}),
    ("C2", "change", {**PRE, "change_types": ["new_variables"],
                      "add": [doc("d.pdf", "dpia"), doc("s.xlsx", "ssb_variable_list")]},
     {"a12_pre_gdpr_not_low": "instead"}),
    ("C2", "change", {**PRE, "personal_data": False}, {}),
    ("C2", "new", PRE, {}),
    ("C3", "change", {**PRE, "add": [doc("g.pdf", "gdpr_legal_basis", "gdpr_privacy_statement")]},
     {}),
    ("C3", "change", {**PRE, "change_types": ["extended_population"],
                      "add": [doc("g.pdf", "gdpr_legal_basis", "gdpr_privacy_statement"),
                              doc("n.pdf", "dpia_negative")]}, {}),
    ("C3", "change", {"change_types": ["extended_population"]}, {}),
    ("C4", "change", {}, {}),
    ("C4", "change", {"basis_covers_change": False,
                      "add": [doc("d.pdf", "dpia", updated_for_this_change=True)]}, {}),
    ("C4", "change", {"basis_covers_change": False,
                      "add": [doc("l.pdf", "low_risk_change_statement")]}, {}),
    ("C4", "change", {"basis_covers_change": False, "change_types": ["new_variables"],
                      "add": [doc("d.pdf", "dpia", updated_for_this_change=True),
                              doc("s.xlsx", "ssb_variable_list")]}, {}),
    ("C5", "change", {"basis_covers_change": False,
                      "add": [doc("l.pdf", "low_risk_change_statement")]}, {}),
    ("C5", "change", {"basis_covers_change": False, "change_types": ["other"],
                      "add": [doc("d.pdf", "dpia", updated_for_this_change=True)]}, {}),
    ("C5", "change", {"change_types": ["other"]}, {}),
    ("C6", "change", {"basis_covers_change": False,
                      "add": [doc("l.pdf", "low_risk_change_statement")]}, {}),
    ("C6", "change", {**PRE, "add": [doc("g.pdf", "gdpr_legal_basis",
                                         "gdpr_privacy_statement")]}, {}),
    ("C6", "new", {}, {}),
    ("C7", "change", {}, {}),
    ("C7", "change", {"change_types": ["new_variables"],
                      "add": [doc("s.xlsx", "ssb_variable_list")]}, {}),
    ("C7", "change", {"change_types": ["new_variables"], "ssb_lists_exist": False,
                      "add": [doc("v.pdf", "variable_overview")]}, {}),
    ("C7b", "change", {"change_types": ["new_variables"],
                       "add": [doc("s.xlsx", "ssb_variable_list")]}, {}),
    ("C7b", "change", {"ssb_lists_exist": False}, {}),
    ("C7c", "change", {"identifying_vars": ["postcode"]}, {}),
    ("C7c", "change", {"change_types": ["new_variables"], "identifying_vars": ["postcode"],
                       "add": [doc("s.xlsx", "ssb_variable_list"),
                               doc("b.pdf", "identifying_variables_justification")]}, {}),
    ("C8", "change", {"other_data_owners": ["nav"]}, {}),
    ("C8", "change", {"other_data_owners": ["nav"], "change_types": ["extended_population"],
                      "add": [doc("a.pdf", "dispensation_application"),
                              doc("b.pdf", "dispensation_decision")]}, {}),
    ("C9", "change", {"change_types": ["new_institution"], "institution_status": "approved"},
     {}),
    ("C9", "change", {"institution_status": "not_approved"}, {}),
    ("C9b", "change", {"change_types": ["new_institution"], "institution_status": "approved"},
     {}),
    ("C9b", "change", {"change_types": ["new_institution"],
                       "institution_status": "not_approved_with_exception",
                       "add": [doc("n.pdf", "nfr_agreement")]}, {}),
    ("C10", "change", {}, {}),
    ("C11", "change", {"change_types": ["new_project_leader"]}, {}),
    ("C11", "change", {"health_research": True}, {}),
    ("C11", "change", {"health_research": True, "change_types": ["new_project_leader"],
                       "add": [doc("r.pdf", "rek_ethics_approval")]}, {}),
    ("C12", "change", {"change_types": ["extended_population"]}, {}),
    ("C12", "change", {"consent_based": True}, {}),
    ("C13", "change", {}, {}),
    ("C13", "new", {}, {}),
]


@pytest.mark.parametrize(("rule", "kind", "changes", "options"), SILENT,
                         ids=[f"{r}-{k}-{i}" for i, (r, k, _c, _o) in enumerate(SILENT)])
def test_requirement_silent(rule: str, kind: str, changes: dict[str, Any],
                            options: dict[str, str]) -> None:
    ev = run(kind, options=options, **changes)
    assert rule not in rules_of(ev), [str(f) for f in of(ev, rule=rule)]
    # nothing unrelated went wrong either: the variation is a complete application
    assert not of(ev, code="answer_missing") and not of(ev, code="invalid_answer")


@pytest.mark.parametrize("rule", sorted(RULES_SOURCES))
def test_every_requirement_of_the_issue_is_in_the_pack_and_tested(rule: str) -> None:
    PACK.requirement(rule)
    assert rule in {c.rule for c in FIRES}
    assert rule in {r for r, *_ in SILENT}


def test_satisfied_requirement_lists_its_files() -> None:
    ev = run("new", drop_types=["dpia"], add=[doc("n.pdf", "dpia_negative")])
    n7 = [s for s in ev.satisfied if s.rule == "N7"]
    assert len(n7) == 1 and n7[0].files == ("n.pdf",)
    assert n7[0].document_types == ("dpia", "dpia_negative")
    assert n7[0].message.render("nb") != n7[0].message.render("en")
