"""A rule pack for another (fictional) agency builds a package and draws its own cover with no
Python change: the real build path, read back with pypdf."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from pypdf import PdfReader

from soknadspakke.build import build_package
from soknadspakke.core.project import Document, Project, ProjectInfo
from soknadspakke.core.project_file import save_project
from soknadspakke.intake import IntakeCache
from soknadspakke.rules.loader import load_pack
from soknadspakke.validation import validate_project
from soknadspakke.workspace.status import application_status, type_label
from tests.rules.textdocs import text_pdf

OTHER_AGENCY = Path(__file__).resolve().parents[1] / "rules" / "data" / "other_agency.toml"
TODAY = date(2026, 6, 1)


def _project(folder: Path) -> Project:
    for name, text in (("brev.pdf", "Søknad om innsyn"), ("plan.pdf", "Prosjektplan"),
                       ("samtykke.pdf", "Helseforetaket samtykker"),
                       ("ukjent.pdf", "Et vedlegg uten type")):
        text_pdf(folder / "vedlegg" / name, [text])
    info = ProjectInfo(title="Skolehelse i Fjordvik", project_leader="Ola Nordmann",
                       institution="Fjordvik høgskole", org_number="123456785",
                       contact_email="ola@example.org", period_start=date(2026, 1, 1),
                       period_end=date(2027, 12, 31))
    project = Project(info, {"request_kind": "first", "record_holders": ["health_trust"],
                             "sensitive": False}, [
        Document("vedlegg/brev.pdf", ["request_letter"]),
        Document("vedlegg/plan.pdf", ["project_plan"]),
        Document("vedlegg/samtykke.pdf", ["holder_consent"], data_owner="health_trust"),
        Document("vedlegg/ukjent.pdf", []),
    ], path=folder / "fjordvik.soknad")
    save_project(project)
    return project


def test_validates_builds_and_draws_its_own_cover(tmp_path: Path) -> None:
    pack = load_pack(OTHER_AGENCY)
    project = _project(tmp_path / "app")
    cache = IntakeCache(tmp_path / "cache")
    report = validate_project(project, pack, today=TODAY)
    assert report.ready, [f.code for f in report.findings]
    result = build_package(project, pack, tmp_path / "pakke.pdf", lang="en", cache=cache,
                           today=TODAY)
    reader = PdfReader(result.path)
    cover = " ".join(reader.pages[0].extract_text().split())
    assert "Request for access to records at Fjordvik city archive" in cover
    for label, value in (("Request", "First request"), ("Record holders", "The health trust")):
        assert label in cover and value in cover, cover
    assert "Fjordvik city archive – access to records for research 2" in cover
    assert "SSB" not in cover
    included = {d.path for d in result.documents}
    assert "vedlegg/ukjent.pdf" in included  # filed under the pack's fallback type
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Other attachment" in text


def test_cover_in_bokmal_and_the_workspace_status(tmp_path: Path) -> None:
    pack = load_pack(OTHER_AGENCY)
    project = _project(tmp_path / "app")
    result = build_package(project, pack, tmp_path / "pakke.pdf", lang="nb",
                           cache=IntakeCache(tmp_path / "cache"), today=TODAY)
    cover = " ".join(PdfReader(result.path).pages[0].extract_text().split())
    assert "Søknad om innsyn i arkiv hos Fjordvik byarkiv" in cover
    assert "Første søknad" in cover
    assert project.path is not None
    status = application_status(project.path, pack, lang="en", today=TODAY,
                                cache=IntakeCache(tmp_path / "cache"))
    assert status.error is None and status.ready is True
    assert status.application_type == "first"
    assert type_label(pack, status.application_type, "nb") == "Første søknad"
