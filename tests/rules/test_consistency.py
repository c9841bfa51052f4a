"""Consistency across documents (RULES.md §6): small synthetic applications plant one kind of
inconsistency each; the check finds it with the right document, page and text, and a clean
application (and the bundled examples) give no consistency finding."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest

from soknadspakke.core.findings import Finding
from soknadspakke.core.project import Project
from soknadspakke.core.project_file import load_project, save_project
from soknadspakke.intake import IntakeCache
from soknadspakke.rules.consistency.text import find_dates
from soknadspakke.rules.loader import default_pack
from soknadspakke.validation import IntakeFindings, Report, validate_project

from .textdocs import REPO, application

PACK = default_pack()
CODES = {c.code for c in PACK.consistency}
TODAY = date(2026, 6, 1)

FORM = ("Søknad om lån av mikrodata fra SSB\nProsjektleder: Kari Nordmann\n"
        "Ansvarlig institusjon: Universitetet i Tromsø\nOrg.nr. 970 422 528\n"
        "Årganger: 2010–2022\n")
PROTOCOL = ["Forskningsprotokoll\nProsjektleder: Kari Nordmann\nInstitusjon: UiT\n",
            "Metode\nVi bruker registerdata fra SSB.\n", "Plan\nAnalysene gjøres i 2025.\n"]
DPIA = ["Personvernkonsekvensvurdering (DPIA)\nDato: 12. mars 2020\n"
        "Behandlingsansvarlig institusjon: Universitetet i Tromsø, org.nr. 970 422 528\n",
        "Risiko\nLav risiko.\n"]
DPO = ["Tilrådning fra personvernombudet\nVår dato: 02.05.2020\n"
       "Prosjektleder: Kari Nordmann\nBehandlingen gjelder data for årene 2005–2024.\n",
       "Vurdering\nBehandlingen kan gjennomføres.\nGyldig til: 31.12.2029\n"
       "Med vennlig hilsen\nPersonvernombudet\n"]
VARIABLES = ["Variabelliste fra SSB – befolkning\nBestilles Variabelnavn Årganger\n"
             "x BEFOLKNING_KJOENN Fast\nÅrganger: 2010–2022\n"]


def clean_docs() -> list[tuple[str, list[str], list[str]]]:
    return [("skjema.pdf", ["application_form_new"], [FORM, "Side 2\n"]),
            ("protokoll.pdf", ["research_protocol"], list(PROTOCOL)),
            ("variabler.pdf", ["ssb_variable_list"], list(VARIABLES)),
            ("dpia.pdf", ["dpia"], list(DPIA)),
            ("tilradning.pdf", ["dpo_recommendation"], list(DPO))]


def check(project: Project, tmp_path: Path) -> Report:
    return validate_project(project, PACK, today=TODAY, file_findings=IntakeFindings(
        {}, IntakeCache(tmp_path / "cache")))


def consistency(report: Report) -> list[Finding]:
    """The consistency warnings (not the notes that offer a valid-until date)."""
    return [f for f in report.findings if f.code in CODES and f.code != "valid_until_found"]


def only(report: Report, code: str) -> Finding:
    found = consistency(report)
    assert [f.code for f in found] == [code], [f.message.render("en") for f in found]
    return found[0]


def replace_doc(docs: list[tuple[str, list[str], list[str]]], name: str,
                pages: list[str]) -> list[tuple[str, list[str], list[str]]]:
    return [(n, t, pages if n == name else p) for n, t, p in docs]


def test_date_forms_norwegian_and_english() -> None:
    text = "12.03.2019, 12. mars 2019, 2019-03-12, 12 March 2019, March 12, 2019, 1. juni 2020"
    assert [d for d, _m in find_dates(text)] == [date(2019, 3, 12)] * 5 + [date(2020, 6, 1)]
    assert list(find_dates("31.02.2019 and 12 Foo 2019 and 1.2.3.2019")) == []


def test_a_clean_application_has_no_consistency_finding(tmp_path: Path) -> None:
    report = check(application(tmp_path, clean_docs()), tmp_path)
    assert consistency(report) == []
    assert report.ready


def test_pre_gdpr_approval_dated_after_the_threshold(tmp_path: Path) -> None:
    docs = replace_doc(clean_docs(), "tilradning.pdf", [
        "Tilrådning fra personvernombudet\nVår ref.: 2019/118\nDato: 12. mars 2019\n"
        "Dokumentet er elektronisk godkjent.\n"])
    project = application(tmp_path, [d for d in docs if d[0] != "dpia.pdf"] + [
        ("rettsgrunnlag.pdf", ["gdpr_legal_basis", "gdpr_privacy_statement"],
         ["Rettsgrunnlag etter GDPR\n"])], legal_basis_date="2015-05-05")
    finding = only(check(project, tmp_path), "approval_dated_after_gdpr")
    assert finding.files == ("vedlegg/tilradning.pdf",) and finding.page == 1
    assert finding.evidence[0].text.startswith("Dato: 12. mars 2019")
    assert "2019-03-12" in finding.message.render("en")
    assert finding.source == ("S10", "S11")


def test_post_gdpr_dpia_dated_before_the_threshold_english_date(tmp_path: Path) -> None:
    docs = replace_doc(clean_docs(), "dpia.pdf", [
        "Data protection impact assessment\nVersion 1\n",
        "Approved by the data protection officer\nDate: 12 March 2017\n"])
    finding = only(check(application(tmp_path, docs), tmp_path), "dpia_dated_before_gdpr")
    assert finding.files == ("vedlegg/dpia.pdf",) and finding.page == 2
    assert "12 March 2017" in finding.evidence[0].text


def test_validity_date_before_the_project_end_is_offered_as_valid_until(tmp_path: Path
                                                                        ) -> None:
    docs = replace_doc(clean_docs(), "tilradning.pdf", [
        DPO[0], "Vurdering\nBehandlingen kan gjennomføres.\nProsjektslutt: 30.06.2026\n"
        "Med vennlig hilsen\n"])
    project = application(tmp_path, docs)
    report = check(project, tmp_path)
    finding = only(report, "document_valid_until_before_period_end")
    assert finding.page == 2 and finding.files == ("vedlegg/tilradning.pdf",)
    assert finding.suggestion is not None
    assert finding.suggestion.to_dict() == {"file": "vedlegg/tilradning.pdf",
                                            "field": "valid_until", "value": "2026-06-30"}
    # Never set silently: the project is unchanged.
    assert all(d.valid_until is None for d in project.documents)
    data = finding.to_dict("nb")
    assert data["suggestion"]["value"] == "2026-06-30"
    assert "2028-12-31" in data["message"]


def test_a_validity_date_that_covers_the_project_is_offered_as_a_note(tmp_path: Path) -> None:
    project = application(tmp_path, clean_docs())
    notes = [f for f in check(project, tmp_path).findings if f.code == "valid_until_found"]
    assert len(notes) == 1 and notes[0].severity.value == "info"
    assert notes[0].suggestion is not None and notes[0].suggestion.value == "2029-12-31"
    assert notes[0].page == 2 and "31.12.2029" in notes[0].evidence[0].text
    index = next(i for i, d in enumerate(project.documents) if d.path.endswith("radning.pdf"))
    project.update_document(index, valid_until=date(2029, 12, 31))
    assert not [f for f in check(project, tmp_path).findings if f.code == "valid_until_found"]


def test_an_unsigned_decision_is_flagged_and_signs_of_signing_are_seen(tmp_path: Path) -> None:
    from PIL import Image
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

    from .textdocs import text_pdf

    docs = [*clean_docs(), ("vedtak.pdf", ["dispensation_decision"],
                            ["Vedtak om dispensasjon\nDispensasjon gis.\n", "Vilkår\n"])]
    finding = only(check(application(tmp_path / "a", docs), tmp_path), "unsigned_document")
    assert finding.files == ("vedlegg/vedtak.pdf",) and finding.page == 2
    # A signature image on the last page is a sign of signing.
    project = application(tmp_path / "b", docs)
    path = project.resolve(project.documents[-1])
    Image.new("L", (300, 90), 40).save(tmp_path / "sign.png")
    from reportlab.pdfgen.canvas import Canvas

    canvas = Canvas(str(path))
    canvas.drawString(60, 780, "Vedtak om dispensasjon")
    canvas.showPage()
    canvas.drawString(60, 780, "Vilkår")
    canvas.drawImage(str(tmp_path / "sign.png"), 60, 600, 150, 45)
    canvas.showPage()
    canvas.save()
    assert consistency(check(project, tmp_path)) == []
    # So is a signature field.
    text_pdf(path, ["Vedtak om dispensasjon\n", "Vilkår\n"])
    writer = PdfWriter(clone_from=PdfReader(path))
    field = writer._add_object(DictionaryObject({
        NameObject("/FT"): NameObject("/Sig"), NameObject("/T"): TextStringObject("sign")}))
    writer.root_object[NameObject("/AcroForm")] = DictionaryObject({
        NameObject("/Fields"): ArrayObject([field])})
    with path.open("wb") as handle:
        writer.write(handle)
    assert consistency(check(project, tmp_path)) == []


def test_another_project_leader_is_flagged_on_its_page(tmp_path: Path) -> None:
    docs = replace_doc(clean_docs(), "protokoll.pdf", [
        PROTOCOL[0].replace("Prosjektleder: Kari Nordmann", "Prosjektleder: Kari Nordmann"),
        PROTOCOL[1], "Organisering\nProsjektleder: Ola Hansen, professor\n"])
    finding = only(check(application(tmp_path, docs), tmp_path), "other_project_leader")
    assert finding.files == ("vedlegg/protokoll.pdf",) and finding.page == 3
    assert "Ola Hansen" in finding.message.render("en")
    assert finding.evidence[0].text.startswith("Prosjektleder: Ola Hansen")


def test_a_middle_name_or_a_title_is_no_other_leader(tmp_path: Path) -> None:
    docs = replace_doc(clean_docs(), "protokoll.pdf", [
        "Forskningsprotokoll\nProsjektleder:\nProfessor Kari Anne Nordmann\n"])
    assert consistency(check(application(tmp_path, docs), tmp_path)) == []


def test_another_institution_is_flagged(tmp_path: Path) -> None:
    docs = replace_doc(clean_docs(), "dpia.pdf", [
        DPIA[0], "Roller\nAnsvarlig institusjon: Universitetet i Bergen\n"])
    finding = only(check(application(tmp_path, docs), tmp_path), "other_institution")
    assert finding.files == ("vedlegg/dpia.pdf",) and finding.page == 2
    assert "Universitetet i Bergen" in finding.message.render("en")


def test_another_valid_org_number_is_flagged(tmp_path: Path) -> None:
    docs = replace_doc(clean_docs(), "skjema.pdf", [
        FORM.replace("Org.nr. 970 422 528", "Org.nr. 974 760 673"), "Side 2\n"])
    finding = only(check(application(tmp_path, docs), tmp_path), "other_org_number")
    assert finding.files == ("vedlegg/skjema.pdf",) and finding.page == 1
    assert "974 760 673" in finding.message.render("en")


def test_an_invalid_nine_digit_number_is_no_org_number(tmp_path: Path) -> None:
    docs = replace_doc(clean_docs(), "skjema.pdf", [
        FORM.replace("Org.nr. 970 422 528", "Org.nr. 970 422 529"), "Side 2\n"])
    assert consistency(check(application(tmp_path, docs), tmp_path)) == []


def test_rek_reference_must_appear_on_the_form_and_in_the_dpia(tmp_path: Path) -> None:
    rek = ("rek.pdf", ["rek_ethics_approval"], [
        "Regional komité for medisinsk og helsefaglig forskningsetikk\n"
        "Vår ref.: 2019/12345\nDato: 01.02.2020\nVedtak: Prosjektet godkjennes.\n"
        "Dokumentet er godkjent elektronisk og har derfor ikke håndskrevne signaturer.\n"])
    docs = [*replace_doc(clean_docs(), "dpia.pdf", [DPIA[0] + "REK-nummer 2019/12345\n",
                                                     DPIA[1]]), rek]
    finding = only(check(application(tmp_path, docs, health_research=True), tmp_path),
                   "rek_reference_missing")
    assert finding.files == ("vedlegg/skjema.pdf", "vedlegg/rek.pdf")
    assert finding.evidence[0].file == "vedlegg/rek.pdf" and finding.evidence[0].page == 1
    assert "2019/12345" in finding.message.render("en")


def test_consent_form_must_mention_linkage_or_ssb(tmp_path: Path) -> None:
    docs = [*clean_docs(),
            ("samtykke.pdf", ["consent_form"],
             ["Samtykkeerklæring\nJeg samtykker til å delta i spørreundersøkelsen.\n"]),
            ("info.pdf", ["information_letter"],
             ["Informasjonsskriv\nSvarene dine kobles med opplysninger fra SSB.\n"])]
    finding = only(check(application(tmp_path, docs, consent_based=True), tmp_path),
                   "consent_without_linkage")
    assert finding.files == ("vedlegg/samtykke.pdf",)


def test_years_requested_outside_the_approved_years(tmp_path: Path) -> None:
    docs = replace_doc(clean_docs(), "variabler.pdf", [
        VARIABLES[0], "Inntekt\nÅrganger: 2000–2024\n"])
    finding = only(check(application(tmp_path, docs), tmp_path),
                   "data_years_outside_approval")
    assert finding.files == ("vedlegg/variabler.pdf", "vedlegg/tilradning.pdf")
    assert finding.page == 2
    assert [e.file for e in finding.evidence] == ["vedlegg/variabler.pdf",
                                                  "vedlegg/tilradning.pdf"]
    assert "2000–2024" in finding.message.render("en")
    assert "2005–2024" in finding.message.render("en")


def test_every_planted_inconsistency_is_found_and_json_carries_the_evidence(
        tmp_path: Path) -> None:
    """All kinds at once: each found exactly once, on the right document and page."""
    docs = [
        ("skjema.pdf", ["application_form_new"],
         [FORM.replace("970 422 528", "974 760 673").replace("2010–2022", "2000–2022")]),
        ("protokoll.pdf", ["research_protocol"],
         [PROTOCOL[0], "Prosjektleder: Per Olsen\n"]),
        ("variabler.pdf", ["ssb_variable_list"], list(VARIABLES)),
        ("dpia.pdf", ["dpia"], ["DPIA\nDato: 2017-05-02\nInstitusjon: Universitetet i Bergen\n"]),
        ("tilradning.pdf", ["dpo_recommendation"], [DPO[0], "Gyldig til: 1. januar 2027\n"]),
        ("rek.pdf", ["rek_ethics_approval"], ["REK\nSaksnummer: 2019/777\n"]),
        ("vedtak.pdf", ["dispensation_decision"], ["Vedtak\nDispensasjon gis.\n", "Side 2\n"]),
        ("samtykke.pdf", ["consent_form"], ["Samtykkeerklæring\nJeg samtykker.\n"]),
        ("info.pdf", ["information_letter"], ["Informasjonsskriv\nData kobles med SSB.\n"]),
    ]
    report = check(application(tmp_path, docs, health_research=True, consent_based=True),
                   tmp_path)
    got = {(f.code, f.files[0], f.page) for f in consistency(report)}
    planted = {
        ("other_org_number", "vedlegg/skjema.pdf", 1),
        ("data_years_outside_approval", "vedlegg/skjema.pdf", 1),
        ("other_project_leader", "vedlegg/protokoll.pdf", 2),
        ("dpia_dated_before_gdpr", "vedlegg/dpia.pdf", 1),
        ("other_institution", "vedlegg/dpia.pdf", 1),
        ("document_valid_until_before_period_end", "vedlegg/tilradning.pdf", 2),
        ("rek_reference_missing", "vedlegg/skjema.pdf", None),  # evidence: rek.pdf p. 1
        ("rek_reference_missing", "vedlegg/dpia.pdf", None),
        ("consent_without_linkage", "vedlegg/samtykke.pdf", None),
        ("unsigned_document", "vedlegg/rek.pdf", 1),
        ("unsigned_document", "vedlegg/tilradning.pdf", 2),
        ("unsigned_document", "vedlegg/vedtak.pdf", 2),
    }
    assert got == planted
    data = report.to_dict("nb")
    codes = {f["code"] for f in data["findings"]}
    assert {c for c, _f, _p in planted} <= codes
    for entry in data["findings"]:
        if entry["code"] in CODES:
            assert entry["id"].startswith(entry["code"] + ":")
            assert entry["verified"] is False
            assert entry["evidence"] and entry["source"] and entry["guidance"]
            assert entry["severity"] == "warning"
    json.dumps(data)


def test_a_finding_marked_as_checked_stays_checked_and_is_saved(tmp_path: Path) -> None:
    docs = replace_doc(clean_docs(), "protokoll.pdf", [
        PROTOCOL[0], "Prosjektleder: Per Olsen\n"])
    project = application(tmp_path, docs)
    finding = only(check(project, tmp_path), "other_project_leader")
    assert finding.id is not None and not finding.verified
    project.set_verified(finding.id, code=finding.code, file=finding.files[0])
    save_project(project)
    raw = json.loads((tmp_path / "p.soknad").read_text(encoding="utf-8"))
    assert raw["format"] == "soknadspakke/1"  # backward compatible: an extra top-level key
    assert raw["verified_findings"] == [{"id": finding.id, "code": "other_project_leader",
                                         "file": "vedlegg/protokoll.pdf"}]
    again = load_project(tmp_path / "p.soknad")
    assert again.verified_findings() == {finding.id}
    checked = only(check(again, tmp_path), "other_project_leader")
    assert checked.id == finding.id and checked.verified
    assert checked.to_dict("en")["verified"] is True
    again.set_verified(finding.id, False)
    assert "verified_findings" not in again.extra


@pytest.mark.parametrize("name", ["ny-soknad", "endringssoknad"])
def test_bundled_examples_give_no_consistency_finding(name: str, tmp_path: Path) -> None:
    shutil.copytree(REPO / "resources" / "examples" / name, tmp_path / name)
    project = load_project(tmp_path / name / f"{name}.soknad")
    report = check(project, tmp_path)
    assert consistency(report) == [], [f.message.render("en") for f in consistency(report)]


CORPUS = REPO.parent / "shared" / "corpus" / "py-pdf-sample-files"
#: Every type a check reads, except consent forms and information letters: none of the corpus
#: texts mentions SSB or register data, so "does not mention linkage" is the right reading there.
CORPUS_TYPES = sorted({t for c in PACK.consistency for t in (*c.types, *c.reference_types)}
                      - {"consent_form", "information_letter"})
#: Nor is any of them a signed letter: "shows no sign of being signed" is right for them too.
NOT_READINGS_OF_CORPUS = {"unsigned_document"}


@pytest.mark.corpus
@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"the shared PDF corpus is not at {CORPUS}")
def test_corpus_texts_give_no_false_alarm(tmp_path: Path) -> None:
    """Real PDFs from other tools, read as each document type a check reads, next to an
    approval: no date, name, institution, number, reference or year reading fires."""
    from soknadspakke.core.project import Document, ProjectInfo
    from soknadspakke.intake import inspect_file, page_texts
    from soknadspakke.rules.consistency import check_consistency

    cache = IntakeCache(tmp_path / "cache")
    facts = {"personal_data": True, "era": "post_gdpr", "health_research": True,
             "consent_based": True}
    checked = 0
    for pdf in sorted(CORPUS.glob("*/*.pdf")):
        texts = page_texts(inspect_file(pdf, cache=cache), cache)
        if not any(t.strip() for t in texts):
            continue
        for type_id in CORPUS_TYPES:
            project = Project(ProjectInfo(
                title="x", project_leader="Kari Nordmann", institution="Eksempeluniversitetet",
                org_number="123456785", period_end=date(2028, 12, 31)),
                {}, [Document(pdf.name, [type_id]),
                     Document("godkjenning.pdf", ["rek_ethics_approval"],
                              valid_until=date(2030, 12, 31))])
            found = check_consistency(project, PACK, facts, {
                pdf.name: texts,
                "godkjenning.pdf": ["Vedtak\nData for årene 1990–2030\nGyldig til 31.12.2030\n"
                                    "Med vennlig hilsen"]})
            found = [f for f in found if f.code not in NOT_READINGS_OF_CORPUS]
            assert found == [], (pdf.name, type_id, [f.message.render("en") for f in found])
            checked += 1
    assert checked > 100


def test_a_valid_until_other_than_the_text_says_is_still_flagged(tmp_path: Path) -> None:
    docs = replace_doc(clean_docs(), "tilradning.pdf", [
        DPO[0], "Vurdering\nProsjektslutt: 30.06.2026\nMed vennlig hilsen\n"])
    project = application(tmp_path, docs)
    index = next(i for i, d in enumerate(project.documents) if d.path.endswith("radning.pdf"))
    project.update_document(index, valid_until=date(2029, 12, 31))
    finding = only(check(project, tmp_path), "document_valid_until_before_period_end")
    assert finding.suggestion is None  # the user has set a date: nothing is offered


def test_the_windows_file_checks_find_the_same_inconsistencies(tmp_path: Path) -> None:
    """``usecases.check_documents`` (what the window runs on a worker) reports the pack's
    consistency findings as ``validate`` does, on the document's path and page."""
    from soknadspakke.usecases import check_documents

    docs = replace_doc(clean_docs(), "protokoll.pdf", [
        PROTOCOL[0], PROTOCOL[1], "Organisering\nProsjektleder: Ola Hansen, professor\n"])
    project = application(tmp_path, docs)
    checked = check_documents(project, PACK, cache=IntakeCache(tmp_path / "cache"),
                              suggest_untyped=False)
    found = [f for f in checked.findings if f.code == "other_project_leader"]
    assert [(f.files, f.page) for f in found] == [(("vedlegg/protokoll.pdf",), 3)]
    assert {f.code for f in checked.findings if f.code in CODES} == {
        f.code for f in check(project, tmp_path).findings if f.code in CODES}
