"""The engine's list of applicable document requirements (the compliance matrix's rows)."""

from __future__ import annotations

from soknadspakke.core.findings import Severity

from .builders import doc, run


def test_complete_new_application_lists_every_applicable_requirement_as_met() -> None:
    evaluation = run("new")
    outcomes = {o.rule: o for o in evaluation.requirements}
    assert list(outcomes) == ["N1", "N2", "N3", "N7", "N7a"]
    assert all(o.met for o in outcomes.values())
    assert outcomes["N7"].files == ("vedlegg/dpia.pdf",)
    assert outcomes["N7"].source == ("S12",)
    assert outcomes["N7"].documents.render("en") == (
        "Data protection impact assessment (DPIA) or Assessment that no DPIA is needed "
        "(negative DPIA)")
    assert outcomes["N7"].documents.render("nb").startswith("Personvernkonsekvensvurdering")
    satisfied = {s.rule for s in evaluation.satisfied}
    assert satisfied == set(outcomes)


def test_unmet_requirements_keep_their_severity_and_the_files_found() -> None:
    evaluation = run("new", drop_types=["dpia", "dpo_recommendation"],
                     add=[doc("vedlegg/skjema2.pdf", "application_form_new")])
    outcomes = {o.rule: o for o in evaluation.requirements}
    assert not outcomes["N7"].met and outcomes["N7"].severity is Severity.ERROR
    assert not outcomes["N7a"].met and outcomes["N7a"].severity is Severity.WARNING
    assert not outcomes["N1"].met  # two forms where exactly one is allowed
    assert outcomes["N1"].files == ("vedlegg/soknadsskjema.pdf", "vedlegg/skjema2.pdf")


def test_per_owner_requirements_get_one_row_per_owner_and_alternatives_are_marked() -> None:
    evaluation = run("new", other_data_owners=["nav", "other:Kreftregisteret"],
                     drop_types=["ssb_variable_list"],
                     add=[doc("vedlegg/skript.txt", "microdata_script")])
    rows = [(o.rule, o.documents.render("en")) for o in evaluation.requirements
            if o.rule == "N8"]
    assert [r[1].split(":")[0] for r in rows] == ["NAV", "Kreftregisteret"]
    n3 = next(o for o in evaluation.requirements if o.rule == "N3")
    assert n3.met and n3.accepted and n3.files == ("vedlegg/skript.txt",)
