"""RULES.md §6 item 3 (a new institution must be named in the documents updated for the change)
and item 4 (the project title on the form, protocol and approvals): planted inconsistencies are
found on the right document and page; documents that state no title, or the title in another
spelling, give no finding; the bundled examples and the corpus give no false alarm."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from soknadspakke.core.findings import Finding
from soknadspakke.core.project import Document, Project, ProjectInfo
from soknadspakke.core.project_file import load_project, save_project
from soknadspakke.intake import IntakeCache
from soknadspakke.rules.consistency import check_consistency
from soknadspakke.rules.loader import default_pack
from soknadspakke.validation import IntakeFindings, Report, validate_project

from .textdocs import REPO, application

PACK = default_pack()
NEW_CODES = {"new_institution_not_named", "other_project_title"}
TODAY = date(2026, 6, 1)

CHANGE: dict[str, Any] = {
    "application_type": "change", "change_types": ["new_institution"],
    "basis_covers_change": False, "risk_override": False,
}
NEW_INSTITUTION = {"institution": "Universitetet i Bergen", "org_number": "874789542",
                   "ssb_reference": "2021/0417"}

CHANGE_FORM = ("Søknadsskjema for prosjektendring\nSSB-referanse: 2021/0417\n"
               "Prosjektleder: Kari Nordmann\nNy institusjon: Universitetet i Bergen\n")
DPIA_NEW = ["Oppdatert personvernkonsekvensvurdering (DPIA)\nDato: 12. mars 2025\n"
            "Behandlingsansvarlig: Universitetet i Bergen\n", "Risiko\nLav risiko.\n"]
DPIA_OLD = ["Personvernkonsekvensvurdering (DPIA)\nDato: 12. mars 2020\n"
            "Behandlingsansvarlig: Universitetet i Tromsø\n", "Risiko\nLav risiko.\n"]
DPO_OLD = ["Tilrådning fra personvernombudet\nVår dato: 02.05.2020\n"
           "Prosjektleder: Kari Nordmann\nInstitusjon: Universitetet i Tromsø\n",
           "Vurdering\nBehandlingen kan gjennomføres.\nMed vennlig hilsen\n"]


def check(project: Project, tmp_path: Path) -> Report:
    return validate_project(project, PACK, today=TODAY, file_findings=IntakeFindings(
        {}, IntakeCache(tmp_path / "cache")))


def new_findings(report: Report) -> list[Finding]:
    return [f for f in report.findings if f.code in NEW_CODES]


def change_application(folder: Path, docs: list[tuple[str, list[str], list[str]]],
                       **answers: Any) -> Project:
    return application(folder, docs, info=NEW_INSTITUTION, **{**CHANGE, **answers})


# -- a new institution -----------------------------------------------------------------------
def test_pack_entries_are_data() -> None:
    k11 = next(c for c in PACK.consistency if c.code == "new_institution_not_named")
    assert k11.fact == "institution" and "dpia" in k11.types
    assert dict(k11.require_flag) == {"dpo_recommendation": "updated_for_this_change"}
    assert "new_institution" in PACK.question("change_types").choice_ids()
    k12 = next(c for c in PACK.consistency if c.code == "other_project_title")
    assert "prosjekttittel" in k12.labels and k12.source == ("S5",)


def test_an_updated_dpia_that_names_the_earlier_institution_is_flagged(tmp_path: Path) -> None:
    docs = [("endring.pdf", ["application_form_change"], [CHANGE_FORM]),
            ("dpia.pdf", ["dpia"], DPIA_OLD),
            ("tilradning.pdf", ["dpo_recommendation"], DPO_OLD)]
    project = change_application(tmp_path, docs)
    found = new_findings(check(project, tmp_path))
    assert [(f.code, f.files) for f in found] == [
        ("new_institution_not_named", ("vedlegg/dpia.pdf",))]
    finding = found[0]
    assert finding.source == ("S5", "S21", "S23") and set(finding.guidance) == {
        "S5", "S21", "S23"}
    assert "Universitetet i Bergen" in finding.message.render("en")
    assert "Universitetet i Bergen" in finding.message.render("nb")
    assert finding.evidence[0].file == "vedlegg/dpia.pdf"
    # The earlier DPO recommendation rightly names the earlier institution, unless it is
    # marked as updated for this change.
    index = next(i for i, d in enumerate(project.documents) if d.path.endswith("radning.pdf"))
    project.update_document(index, updated_for_this_change=True)
    assert {f.files[0] for f in new_findings(check(project, tmp_path))} == {
        "vedlegg/dpia.pdf", "vedlegg/tilradning.pdf"}


def test_the_new_institution_by_name_initials_or_hyphenated_is_found(tmp_path: Path) -> None:
    docs = [("endring.pdf", ["application_form_change"], [CHANGE_FORM]),
            ("dpia.pdf", ["dpia"], ["DPIA\nDato: 12. mars 2025\nBehandlingsansvarlig: UiB\n"]),
            ("avtale.pdf", ["nfr_agreement"],
             ["Avtale med Norges forskningsråd\nParter: Norges forskningsråd og Univer-\n"
              "sitetet i Ber-\ngen\nMed vennlig hilsen\n"])]
    assert new_findings(check(change_application(tmp_path, docs), tmp_path)) == []


def test_the_change_form_itself_must_name_the_new_institution(tmp_path: Path) -> None:
    docs = [("endring.pdf", ["application_form_change"],
             ["Søknadsskjema for prosjektendring\nProsjektleder: Kari Nordmann\n",
              "Side 2\n"]),
            ("dpia.pdf", ["dpia"], DPIA_NEW)]
    found = new_findings(check(change_application(tmp_path, docs), tmp_path))
    assert [(f.code, f.files[0]) for f in found] == [
        ("new_institution_not_named", "vedlegg/endring.pdf")]


def test_only_a_change_to_a_new_institution_is_checked(tmp_path: Path) -> None:
    docs = [("endring.pdf", ["application_form_change"], [CHANGE_FORM]),
            ("dpia.pdf", ["dpia"], DPIA_OLD)]
    project = change_application(tmp_path, docs, change_types=["new_variables"])
    assert new_findings(check(project, tmp_path)) == []


# -- the project title -----------------------------------------------------------------------
FORM = ("Søknad om lån av mikrodata fra SSB\nProsjekttittel: Arbeid og helse\n"
        "Prosjektleder: Kari Nordmann\nAnsvarlig institusjon: Universitetet i Tromsø\n")
PROTOCOL = ["Forskningsprotokoll\nProsjektleder: Kari Nordmann\n",
            "Metode\nVi bruker registerdata fra SSB.\n"]
DPO = ["Tilrådning fra personvernombudet\nVår dato: 02.05.2020\nProsjektleder: Kari Nordmann\n",
       "Vurdering\nGyldig til: 31.12.2029\nMed vennlig hilsen\n"]


def title_docs(**pages: list[str]) -> list[tuple[str, list[str], list[str]]]:
    docs = [("skjema.pdf", ["application_form_new"], [FORM]),
            ("protokoll.pdf", ["research_protocol"], list(PROTOCOL)),
            ("variabler.pdf", ["ssb_variable_list"], ["Variabelliste fra SSB\n"]),
            ("dpia.pdf", ["dpia"], ["DPIA\nDato: 12. mars 2020\n"]),
            ("tilradning.pdf", ["dpo_recommendation"], list(DPO))]
    return [(n, t, pages.get(n.split(".")[0], p)) for n, t, p in docs]


def test_a_clean_application_with_titles_has_no_title_finding(tmp_path: Path) -> None:
    assert new_findings(check(application(tmp_path, title_docs()), tmp_path)) == []


def test_another_title_in_the_protocol_is_flagged_on_its_page(tmp_path: Path) -> None:
    docs = title_docs(protokoll=[PROTOCOL[0], PROTOCOL[1],
                                 "Organisering\nProsjekttittel: Skolegang og kriminalitet "
                                 "blant unge menn\n"])
    found = new_findings(check(application(tmp_path, docs), tmp_path))
    assert [(f.code, f.files, f.page) for f in found] == [
        ("other_project_title", ("vedlegg/protokoll.pdf",), 3)]
    finding = found[0]
    assert finding.evidence[0].text.startswith("Prosjekttittel: Skolegang og kriminalitet")
    assert finding.evidence[0].page == 3
    assert "Skolegang og kriminalitet blant unge menn" in finding.message.render("en")
    assert "«Arbeid og helse»" in finding.message.render("nb")
    assert finding.source == ("S5",) and "S5" in finding.guidance


def test_rek_title_on_the_line_after_its_label_is_read(tmp_path: Path) -> None:
    docs = [*title_docs(), ("rek.pdf", ["rek_ethics_approval"], [
        "Regional komité for medisinsk og helsefaglig forskningsetikk\nVår ref.: 2019/12345\n"
        "Prosjekttittel\nKosthold og kreft hos eldre kvinner i Nord-Norge\n"
        "Prosjektleder\nKari Nordmann\nMed vennlig hilsen\n"])]
    found = new_findings(check(application(tmp_path, docs), tmp_path))
    assert [(f.code, f.files[0], f.page) for f in found] == [
        ("other_project_title", "vedlegg/rek.pdf", 1)]
    assert "Kosthold og kreft" in found[0].message.render("en")


@pytest.mark.parametrize("page", [
    # Case, punctuation and a hyphenated line break aside, the same title.
    "PROSJEKTETS TITTEL: «ARBEID, OG HEL-\nSE»\n",
    # A longer form of it (a subtitle), and a wrapped one.
    "Prosjekttittel: Arbeid og helse – en registerstudie\n",
    "Title of project: Arbeid og\nhelse\n",
    # Most words shared.
    "Prosjektnavn: Arbeid, helse og pensjon\n",
    # No title stated: a form's text layer lists its labels without the values typed in.
    "1  Prosjektet\nProsjekttittel\nProsjektperiode fra\nProsjektperiode til\nSSB-referanse\n",
    "Prosjekttittel:\nProsjektleder: Kari Nordmann\n",
    # Not a title: a reference elsewhere, a placeholder, prose that mentions the title.
    "Prosjekttittel: se vedlagt protokoll\n",
    "Prosjekttittel: [sett inn]\n",
    "Vi har endret prosjekttittel: den gamle var for lang og uklar for leserne\n",
])
def test_no_finding_for_the_same_title_or_none(page: str, tmp_path: Path) -> None:
    docs = title_docs(protokoll=[PROTOCOL[0], page])
    found = new_findings(check(application(tmp_path, docs), tmp_path))
    assert found == [], [f.message.render("en") for f in found]


def test_a_document_that_also_gives_the_projects_title_is_not_flagged(tmp_path: Path) -> None:
    docs = title_docs(protokoll=["Arbeid og helse\nForskningsprotokoll\n",
                                 "Prosjektnavn: Delprosjekt om skolegang og kriminalitet\n"])
    assert new_findings(check(application(tmp_path, docs), tmp_path)) == []


def test_planted_findings_in_json_can_be_marked_as_checked(tmp_path: Path) -> None:
    """Both new checks at once: each found on its document and page, in the JSON report with
    code, id and evidence; marked as checked, the mark is kept in the project file."""
    docs = [("endring.pdf", ["application_form_change"],
             [CHANGE_FORM + "Prosjekttittel: Kosthold og kreft hos eldre kvinner\n"]),
            ("dpia.pdf", ["dpia"], DPIA_OLD)]
    project = change_application(tmp_path, docs)
    report = check(project, tmp_path)
    got = {(f.code, f.files[0], f.page) for f in new_findings(report)}
    assert got == {("new_institution_not_named", "vedlegg/dpia.pdf", None),
                   ("other_project_title", "vedlegg/endring.pdf", 1)}
    data = report.to_dict("en")
    entries = [e for e in data["findings"] if e["code"] in NEW_CODES]
    assert len(entries) == 2
    for entry in entries:
        assert entry["id"].startswith(entry["code"] + ":")
        assert entry["evidence"] and entry["source"] and entry["guidance"]
        assert entry["severity"] == "warning" and entry["verified"] is False
    title = next(e for e in entries if e["code"] == "other_project_title")
    assert title["evidence"] == [{"file": "vedlegg/endring.pdf", "page": 1, "text":
                                  "Prosjekttittel: Kosthold og kreft hos eldre kvinner"}]
    json.dumps(data)
    for entry in entries:
        project.set_verified(entry["id"], code=entry["code"], file=entry["evidence"][0]["file"])
    save_project(project)
    again = load_project(tmp_path / "p.soknad")
    assert all(f.verified for f in new_findings(check(again, tmp_path)))
    # Another new institution is another finding: the old mark does not carry over.
    again.set_info("institution", "Universitetet i Agder")
    renamed = [f for f in new_findings(check(again, tmp_path))
               if f.code == "new_institution_not_named"]
    assert renamed and not any(f.verified for f in renamed)


# -- no false alarms -------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["ny-soknad", "endringssoknad"])
def test_bundled_examples_give_no_finding_from_the_new_checks(name: str, tmp_path: Path
                                                              ) -> None:
    shutil.copytree(REPO / "resources" / "examples" / name, tmp_path / name)
    project = load_project(tmp_path / name / f"{name}.soknad")
    assert new_findings(check(project, tmp_path)) == []
    if name == "endringssoknad":
        # Read as a change to a new institution (the example's own), still nothing.
        project.set_answer("change_types", [*project.answers["change_types"],
                                            "new_institution"])
        project.set_answer("institution_status", "approved")
        found = new_findings(check(project, tmp_path))
        assert found == [], [f.message.render("en") for f in found]


CORPUS = REPO.parent / "shared" / "corpus" / "py-pdf-sample-files"


@pytest.mark.corpus
@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"the shared PDF corpus is not at {CORPUS}")
def test_corpus_texts_give_no_title_false_alarm(tmp_path: Path) -> None:
    """Real PDFs from other tools, read as each type the title check reads: none is taken to
    state another project title. (Whether they name a new institution is no test: none of them
    names the project's institution, so "does not mention it" is the right reading.)"""
    from soknadspakke.intake import inspect_file, page_texts

    cache = IntakeCache(tmp_path / "cache")
    check_ = next(c for c in PACK.consistency if c.code == "other_project_title")
    checked = 0
    for pdf in sorted(CORPUS.glob("*/*.pdf")):
        texts = page_texts(inspect_file(pdf, cache=cache), cache)
        if not any(t.strip() for t in texts):
            continue
        for type_id in check_.types:
            project = Project(ProjectInfo(
                title="Helse og arbeid gjennom livsløpet", project_leader="Kari Nordmann",
                institution="Eksempeluniversitetet", org_number="123456785",
                period_end=date(2028, 12, 31)), {}, [Document(pdf.name, [type_id])])
            found = [f for f in check_consistency(project, PACK, {}, {pdf.name: texts})
                     if f.code in NEW_CODES]
            assert found == [], (pdf.name, type_id, [f.message.render("en") for f in found])
            checked += 1
    assert checked > 50
