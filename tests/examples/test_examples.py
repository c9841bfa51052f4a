"""The bundled example applications in resources/examples/ (made by tools/make_examples.py from
the data in resources/examples/source/)."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path

import openpyxl
import pypdf
import pytest
from PIL import Image

from soknadspakke.core.idnumbers import (
    PERSON_NUMBER_RE,
    find_person_numbers,
    is_valid_org_number,
)
from soknadspakke.core.project import Project
from soknadspakke.core.project_file import dumps_project, load_project

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "resources" / "examples"
GENERATOR = ROOT / "tools" / "make_examples.py"
RULES_MD = ROOT.parent / "shared" / "domain" / "RULES.md"
FOOTER = "SYNTETISK EKSEMPEL – ikke en ekte søknad"
NAMES = ("ny-soknad", "endringssoknad")

#: Document type ids of RULES.md §3.
TYPE_IDS = frozenset({
    "application_form_new", "application_form_change", "research_protocol",
    "ssb_variable_list", "variable_overview", "microdata_script", "dpo_recommendation",
    "datatilsynet_licence", "rek_prior_approval", "gdpr_legal_basis", "gdpr_privacy_statement",
    "dpia", "dpia_negative", "low_risk_change_statement", "dispensation_application",
    "dispensation_decision", "data_owner_correspondence", "consent_form", "information_letter",
    "identifying_variables_justification", "rek_ethics_approval", "nfr_agreement",
    "research_programme_agreement", "fou_standard_agreement", "other",
})


def project_path(name: str) -> Path:
    return EXAMPLES / name / f"{name}.soknad"


def load(name: str) -> Project:
    return load_project(project_path(name))


def pdf_text(path: Path) -> str:
    """Page text, form field values and metadata of a PDF."""
    reader = pypdf.PdfReader(path)
    parts = [page.extract_text() for page in reader.pages]
    parts += [str(field.get("/V", "")) for field in (reader.get_fields() or {}).values()]
    parts += [str(value) for value in (reader.metadata or {}).values()]
    return "\n".join(parts)


def xlsx_text(path: Path) -> str:
    wb = openpyxl.load_workbook(path)
    try:
        lines = [" ".join(str(v) for v in row if v is not None)
                 for ws in wb.worksheets for row in ws.iter_rows(values_only=True)]
        lines += [ws.oddFooter.left.text or "" for ws in wb.worksheets]
    finally:
        wb.close()
    return "\n".join(lines)


def document_text(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        return pdf_text(path)
    if suffix == ".xlsx":
        return xlsx_text(path)
    if suffix == ".jpg":
        with Image.open(path) as img:
            return "\n".join(str(v) for v in img.getexif().values())
    return path.read_text(encoding="utf-8")


def all_files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for name in NAMES for p in sorted((root / name).rglob("*")) if p.is_file()}


# -- project files -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_project_file_loads_and_is_canonical(name: str) -> None:
    project = load(name)
    assert project.info.institution == "Eksempeluniversitetet"
    assert is_valid_org_number(project.info.org_number)
    assert project.info.period_start is not None and project.info.period_end is not None
    assert project.info.period_start < project.info.period_end
    assert project.documents
    # Written exactly as the program itself writes project files (UTF-8, 2-space indent).
    assert dumps_project(project) == project_path(name).read_text(encoding="utf-8")


def test_new_application_facts() -> None:
    project = load("ny-soknad")
    assert project.answers["application_type"] == "new"
    assert project.answers["other_data_owners"] == ["nav"]
    assert project.answers["identifying_vars"] == ["postcode"]
    nav = [d for d in project.documents if d.data_owner == "nav"]
    assert {t for d in nav for t in d.types} >= {"dispensation_application",
                                                 "dispensation_decision"}
    decision = next(project.documents_of_type("dispensation_decision"))
    assert decision.valid_until is not None and decision.valid_until.isoformat() == "2029-12-31"
    assert decision.path.endswith(".jpg")


def test_change_application_facts() -> None:
    project = load("endringssoknad")
    assert project.info.ssb_reference == "2021/0417"
    assert project.answers["change_types"] == ["new_project_member", "new_variables"]
    assert project.answers["basis_covers_change"] is False
    dpia = next(project.documents_of_type("dpia"))
    assert dpia.updated_for_this_change


@pytest.mark.parametrize("name", NAMES)
def test_documents_exist_match_their_hash_and_nothing_else_is_there(name: str) -> None:
    project = load(name)
    listed = set()
    for doc in project.documents:
        path = project.resolve(doc)
        assert path.is_file(), doc.path
        assert hashlib.sha256(path.read_bytes()).hexdigest() == doc.sha256, doc.path
        assert doc.path.startswith("vedlegg/")
        assert doc.title
        listed.add(path.resolve())
    present = {p.resolve() for p in (EXAMPLES / name / "vedlegg").rglob("*") if p.is_file()}
    assert present == listed


@pytest.mark.parametrize("name", NAMES)
def test_type_ids_are_known(name: str) -> None:
    for doc in load(name).documents:
        assert doc.types
        assert set(doc.types) <= TYPE_IDS, (doc.path, doc.types)


@pytest.mark.skipif(not RULES_MD.is_file(), reason="RULES.md is not beside the repository")
def test_type_id_list_matches_rules_md() -> None:
    text = RULES_MD.read_text(encoding="utf-8")
    section = text.split("## 3. Document types", 1)[1].split("\n## ", 1)[0]
    assert set(re.findall(r"^\| `([a-z_0-9]+)` \|", section, re.MULTILINE)) == TYPE_IDS


def test_examples_are_small() -> None:
    total = sum(len(data) for data in all_files(EXAMPLES).values())
    assert total < 1_500_000


# -- content -----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_no_identity_numbers_and_a_synthetic_footer(name: str) -> None:
    project = load(name)
    soknad = project_path(name).read_text(encoding="utf-8")
    # The hex digests could by chance hold digit runs; no valid identity number, though.
    assert not list(find_person_numbers(soknad, include_ten_digit=True))
    for doc in project.documents:
        text = document_text(project.resolve(doc))
        assert not list(find_person_numbers(text, include_ten_digit=True)), doc.path
        assert not PERSON_NUMBER_RE.findall(text), f"an 11-digit number in {doc.path}"
        if not doc.path.endswith(".jpg"):
            assert FOOTER in text, doc.path


def test_application_forms_have_filled_fields_and_a_checked_box() -> None:
    for name, form_type in (("ny-soknad", "application_form_new"),
                            ("endringssoknad", "application_form_change")):
        project = load(name)
        reader = pypdf.PdfReader(project.resolve(next(project.documents_of_type(form_type))))
        assert len(reader.pages) == 2
        fields = reader.get_fields() or {}
        assert fields["prosjekttittel"].get("/V") == project.info.title
        assert fields["prosjektleder"].get("/V") == "Kari Nordmann"
        checked = [k for k, f in fields.items() if f.get("/FT") == "/Btn" and f.get("/V") == "/Yes"]
        assert checked


def test_protocol_has_five_pages_and_a_nested_outline() -> None:
    project = load("ny-soknad")
    reader = pypdf.PdfReader(project.resolve(next(project.documents_of_type("research_protocol"))))
    assert len(reader.pages) == 5
    top = [item.title for item in reader.outline if not isinstance(item, list)]
    assert top == ["Bakgrunn", "Problemstillinger", "Data og metode", "Personvern",
                   "Publisering"]
    nested = [item for item in reader.outline if isinstance(item, list)]
    assert [[child if isinstance(child, list) else child.title for child in group]
            for group in nested] == [["Registerdata"]]


def test_dpia_has_article_35_headings() -> None:
    for name in NAMES:
        project = load(name)
        text = pdf_text(project.resolve(next(project.documents_of_type("dpia")))).lower()
        for heading in ("beskrivelse av behandlingen og formålet",
                        "nødvendighet og proporsjonalitet", "risiko", "tiltak"):
            assert heading in text, (name, heading)


def test_variable_lists_have_ticked_rows() -> None:
    expected = {"ny-soknad": {"Befolkning": 8, "Utdanning": 4}, "endringssoknad": {"Inntekt": 6}}
    for name, sheets in expected.items():
        project = load(name)
        path = project.resolve(next(project.documents_of_type("ssb_variable_list")))
        wb = openpyxl.load_workbook(path)
        try:
            assert wb.sheetnames == list(sheets)
            for title, ticked in sheets.items():
                ws = wb[title]
                assert ws.sheet_state == "visible"
                header = next(ws.iter_rows(max_row=1, values_only=True))
                assert header[:2] == ("Bestilles (x)", "Variabelnavn")
                rows = list(ws.iter_rows(min_row=2, values_only=True))
                assert sum(1 for r in rows if r[0] == "x") == ticked
        finally:
            wb.close()
    befolkning = xlsx_text(EXAMPLES / "ny-soknad" / "vedlegg" / "03-variabelliste-befolkning.xlsx")
    assert "x BOSTED_POSTNUMMER" in befolkning


def test_scanned_decision_is_an_a4_grayscale_jpeg() -> None:
    project = load("ny-soknad")
    path = project.resolve(next(project.documents_of_type("dispensation_decision")))
    with Image.open(path) as img:
        assert img.format == "JPEG"
        assert img.mode == "L"
        assert img.size == (1240, 1754)
        assert img.getexif().get(0x0112) == 1
        assert round(img.info["dpi"][0]) == 150


def test_microdata_script() -> None:
    project = load("endringssoknad")
    text = project.resolve(next(project.documents_of_type("microdata_script"))).read_text(
        encoding="utf-8")
    assert text.startswith("//")
    assert "require no.ssb.fdb:" in text
    assert "import db/INNTEKT_WLONN 2020-01-01 as lønn" in text


# -- the generator -----------------------------------------------------------------------------


def run_generator(out: Path) -> dict[str, bytes]:
    subprocess.run([sys.executable, str(GENERATOR), "--out", str(out), "--quiet"], check=True,
                   cwd=ROOT, timeout=300)
    return all_files(out)


def test_generator_is_deterministic_and_makes_the_committed_file_set(tmp_path: Path) -> None:
    # Bytes are compared between two runs, not with the committed files: those depend on the
    # exact ReportLab, Pillow and zlib versions, which CI may install newer than the ones that
    # made them. The committed files are checked by content and sha256 in the tests above.
    first = run_generator(tmp_path / "a")
    second = run_generator(tmp_path / "b")
    assert first.keys() == second.keys()
    assert [k for k in first if first[k] != second[k]] == []
    assert first.keys() == all_files(EXAMPLES).keys()


def test_generated_project_json_is_utf8_with_two_space_indent() -> None:
    raw = project_path("ny-soknad").read_bytes()
    data = json.loads(raw.decode("utf-8"))
    assert data["format"] == "soknadspakke/1"
    assert raw.decode("utf-8") == json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def pdf_content(path: Path) -> dict[str, object]:
    """What a PDF says: text per page, metadata, form field values, outline titles."""
    reader = pypdf.PdfReader(path)

    def titles(items: list[object]) -> list[object]:
        return [titles(i) if isinstance(i, list) else getattr(i, "title", None) for i in items]

    return {
        "pages": [page.extract_text() for page in reader.pages],
        "metadata": {key: str(value) for key, value in (reader.metadata or {}).items()},
        "fields": {name: str(field.get("/V", "")) for name, field in
                   (reader.get_fields() or {}).items()},
        "outline": titles(list(reader.outline)),
    }


def xlsx_content(path: Path) -> dict[str, object]:
    """Every sheet's cell values, header and footer, and the document properties."""
    wb = openpyxl.load_workbook(path)
    try:
        props = wb.properties
        return {
            "sheets": {ws.title: [list(row) for row in ws.iter_rows(values_only=True)]
                       for ws in wb.worksheets},
            "print": [(ws.oddHeader.center.text, ws.oddFooter.left.text) for ws in wb.worksheets],
            "properties": (props.title, props.subject, props.creator, props.lastModifiedBy,
                           props.created, props.modified, props.description),
        }
    finally:
        wb.close()


def file_content(path: Path) -> object:
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        return pdf_content(path)
    if suffix == ".xlsx":
        return xlsx_content(path)
    if suffix == ".jpg":
        with Image.open(path) as img:
            return img.format, img.mode, img.size, dict(img.getexif())
    if suffix == ".soknad":
        # The digests are those of the files beside it (checked above for the committed ones).
        data = json.loads(path.read_text(encoding="utf-8"))
        for doc in data["documents"]:
            doc.pop("sha256")
        return data
    return path.read_text(encoding="utf-8")


@pytest.mark.slow
def test_regenerated_examples_say_what_the_committed_ones_say(tmp_path: Path) -> None:
    # Compared by content, not bytes (those depend on the ReportLab, Pillow and zlib versions):
    # a change to the data in resources/examples/source, the generator or the project-file
    # format that is not followed by regenerating the committed examples fails here.
    generated = run_generator(tmp_path)
    assert generated.keys() == all_files(EXAMPLES).keys()
    for rel in generated:
        assert file_content(tmp_path / rel) == file_content(EXAMPLES / rel), rel
    for name in NAMES:
        project = load_project(tmp_path / name / f"{name}.soknad")
        for doc in project.documents:
            digest = hashlib.sha256(project.resolve(doc).read_bytes()).hexdigest()
            assert digest == doc.sha256, doc.path
