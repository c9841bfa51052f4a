"""``soknadspakke build``, ``example`` and ``inspect`` end to end: open the produced PDF."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from soknadspakke.core.project_file import load_project
from soknadspakke.intake import inspect_file
from tests.workspace.factory import READY_ANSWERS

from .conftest import REPO, Cli, make_document, write_project

EXAMPLES = REPO / "resources" / "examples"
CORPUS = REPO.parent / "shared" / "corpus" / "py-pdf-sample-files"
needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                   reason="pdftotext (poppler-utils) is not installed")
needs_qpdf = pytest.mark.skipif(shutil.which("qpdf") is None, reason="qpdf is not installed")


def tree_hashes(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def page_texts(pdf: Path) -> list[str]:
    out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                         text=True, check=True).stdout
    return out.split("\f")[:-1]


def page_index(reader: PdfReader) -> dict[int, int]:
    return {page.indirect_reference.idnum: i for i, page in enumerate(reader.pages)
            if page.indirect_reference is not None}


def link_targets(reader: PdfReader, page_no: int) -> list[int]:
    """Pages (0-based) that the link annotations on ``page_no`` go to."""
    pages = page_index(reader)
    targets = []
    for annot in reader.pages[page_no].get("/Annots", []) or []:
        obj: Any = annot.get_object()
        if obj.get("/Subtype") != "/Link":
            continue
        dest = obj.get("/Dest")
        if dest is None and "/A" in obj:
            dest = obj["/A"].get("/D")
        if dest is not None:
            targets.append(pages[dest[0].idnum])
    return targets


def expected_pages(project_file: Path) -> list[int]:
    project = load_project(project_file)
    return [inspect_file(project.resolve(d)).pages for d in project.documents]


@needs_poppler
@needs_qpdf
def test_example_builds_a_complete_package(cli: Cli, tmp_path: Path) -> None:
    before = tree_hashes(EXAMPLES)
    result = cli("example", "--lang", "nb")
    assert result.returncode == 0, result.stderr
    pdf = Path(result.stdout.strip().splitlines()[-1])
    assert pdf.is_file() and pdf.is_relative_to(tmp_path / "out")
    reader = PdfReader(pdf)
    source = EXAMPLES / "ny-soknad" / "ny-soknad.soknad"
    counts = expected_pages(source)
    total = 3 + sum(counts)  # cover, requirements, one index page, every input page
    assert len(reader.pages) == total
    texts = page_texts(pdf)
    assert len(texts) == total
    for number, text in enumerate(texts, start=1):
        assert f"Side {number} av {total}" in text, number
    assert "Søknad om lån av mikrodata" in texts[0]
    assert "Klar til innsending" in texts[0]
    # One bookmark per document, each at the document's first page, and the index links to
    # the same pages.
    top = [item for item in reader.outline if not isinstance(item, list)]
    assert [item.title for item in top[:3]] == ["Forside", "Krav og hvor de er oppfylt",
                                                 "Innhold"]
    assert [reader.get_destination_page_number(item) for item in top[:3]] == [0, 1, 2]
    top = top[3:]
    assert len(top) == len(counts)
    starts = [n for item in top if (n := reader.get_destination_page_number(item)) is not None]
    assert len(starts) == len(top)
    assert all(item.title for item in top)
    assert starts == sorted(starts) and starts[0] == 3
    assert link_targets(reader, 2) == starts
    # The requirements page links every document that meets a requirement to its first page.
    assert "Krav og hvor de er oppfylt" in texts[1] and "N7" in texts[1]
    assert set(link_targets(reader, 1)) <= set(starts)
    assert len(link_targets(reader, 1)) >= len(counts) - 1
    # The protocol's own bookmarks are nested under its entry.
    nested = [item for item in reader.outline if isinstance(item, list)]
    assert nested and any(len(group) >= 5 for group in nested)
    # The variable list's original is embedded byte for byte; a manifest too.
    xlsx = EXAMPLES / "ny-soknad" / "vedlegg" / "03-variabelliste-befolkning.xlsx"
    attachments = reader.attachments
    assert attachments[xlsx.name][0] == xlsx.read_bytes()
    manifest = json.loads(attachments["manifest.json"][0])
    assert len(manifest["documents"]) == len(counts)
    assert subprocess.run(["qpdf", "--check", str(pdf)], capture_output=True,
                          check=False).returncode == 0
    assert tree_hashes(EXAMPLES) == before  # the bundled example is never written to


@needs_poppler
def test_change_example_in_english(cli: Cli) -> None:
    result = cli("example", "--which", "endringssoknad", "--lang", "en")
    assert result.returncode == 0, result.stderr
    pdf = Path(result.stdout.strip().splitlines()[-1])
    texts = page_texts(pdf)
    assert all(f"Page {n} of {len(texts)}" in t for n, t in enumerate(texts, start=1))
    assert "Project change" in texts[0] and "not low" in texts[0]


def test_example_refuses_to_replace_a_folder_it_did_not_make(cli: Cli, tmp_path: Path
                                                             ) -> None:
    mine = tmp_path / "out" / "ny-soknad"
    mine.mkdir(parents=True)
    (mine / "notater.txt").write_text("mine", encoding="utf-8")
    result = cli("example")
    assert result.returncode == 2
    assert "--out" in result.stderr
    assert (mine / "notater.txt").read_text(encoding="utf-8") == "mine"
    again = cli("example", "--out", "annen")
    assert again.returncode == 0, again.stderr


def test_build_refuses_an_application_that_is_not_ready(cli: Cli, tmp_path: Path) -> None:
    project = write_project(tmp_path / "p", docs=[("vedlegg/protokoll.pdf",
                                                    ["research_protocol"])])
    result = cli("build", project, "-o", "pakke.pdf", "--lang", "en")
    assert result.returncode == 1
    assert "N1" in result.stdout and "NOT READY" in result.stdout
    assert "--draft" in result.stderr
    assert not (tmp_path / "pakke.pdf").exists()
    assert not list(tmp_path.glob(".pakke.pdf*"))


@needs_poppler
def test_draft_marks_every_page_and_lists_what_is_missing(cli: Cli, tmp_path: Path) -> None:
    project = write_project(tmp_path / "p", docs=[("vedlegg/protokoll.pdf",
                                                    ["research_protocol"])])
    result = cli("build", project, "-o", "utkast.pdf", "--draft", "--lang", "nb")
    assert result.returncode == 0, result.stderr
    texts = page_texts(tmp_path / "utkast.pdf")
    assert all("UTKAST" in t for t in texts)
    assert "ikke klar" in texts[0]
    assert "søknadsskjemaet" in texts[0]  # N1's message: what is missing


def test_build_default_output_is_next_to_the_project(cli: Cli, tmp_path: Path) -> None:
    project = write_project(tmp_path / "p")
    result = cli("build", project, "--quiet")
    assert result.returncode == 0, result.stderr
    out = Path(result.stdout.strip())
    assert out == tmp_path / "p" / "soknad-soknadspakke.pdf"
    reader = PdfReader(out)
    assert len(reader.pages) == 3 + 5  # cover, requirements, index, the documents
    assert reader.metadata is not None
    assert reader.metadata.title == "Arbeid og helse"
    assert reader.metadata.author == "Kari Nordmann"


def test_build_unreadable_input_exit_2_without_traceback(cli: Cli, tmp_path: Path) -> None:
    bad = tmp_path / "bad.soknad"
    bad.write_text("{not json", encoding="utf-8")
    result = cli("build", bad)
    assert result.returncode == 2
    assert "bad.soknad" in result.stderr and "Traceback" not in result.stderr


def test_build_notices_a_file_changed_after_it_was_added(cli: Cli, tmp_path: Path) -> None:
    project = write_project(tmp_path / "p")
    make_document(tmp_path / "p" / "vedlegg" / "dpia.pdf", "a different DPIA")
    result = cli("build", project, "-o", "x.pdf", "--lang", "en")
    assert result.returncode == 1
    assert "changed since it was added" in result.stdout
    assert not (tmp_path / "x.pdf").exists()


@pytest.mark.corpus
def test_build_with_an_encrypted_corpus_pdf(cli: Cli, tmp_path: Path) -> None:
    encrypted = CORPUS / "005-libreoffice-writer-password" / "libreoffice-writer-password.pdf"
    if not encrypted.is_file():
        pytest.skip(f"the shared corpus is not here ({CORPUS})")
    folder = tmp_path / "p"
    write_project(folder)
    data = json.loads((folder / "soknad.soknad").read_text(encoding="utf-8"))
    target = folder / "vedlegg" / "hemmelig.pdf"
    shutil.copyfile(encrypted, target)
    data["documents"].append({"path": "vedlegg/hemmelig.pdf", "types": ["other"],
                              "sha256": hashlib.sha256(target.read_bytes()).hexdigest()})
    (folder / "soknad.soknad").write_text(json.dumps(data), encoding="utf-8")
    refused = cli("build", folder / "soknad.soknad", "-o", "x.pdf", "--lang", "en")
    assert refused.returncode == 1
    assert "password" in refused.stdout
    built = cli("build", folder / "soknad.soknad", "-o", "x.pdf", "--password",
                "hemmelig.pdf=openpassword", "--quiet")
    assert built.returncode == 0, built.stdout + built.stderr
    assert len(PdfReader(tmp_path / "x.pdf").pages) == 3 + 5 + 1
    assert "openpassword" not in (folder / "soknad.soknad").read_text(encoding="utf-8")


def test_inspect_json_contract_and_exit_codes(cli: Cli, tmp_path: Path) -> None:
    pdf = tmp_path / "Forskningsprotokoll.pdf"
    make_document(pdf, "Forskningsprotokoll: problemstilling og forskningsformål")
    result = cli("inspect", pdf, "--format", "json", "--lang", "en")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    for key in ("path", "kind", "pages", "sha256", "encrypted", "has_text",
                "suggested_types", "findings"):
        assert key in data
    assert data["kind"] == "pdf" and data["pages"] == 1 and data["has_text"] is True
    assert data["sha256"] == hashlib.sha256(pdf.read_bytes()).hexdigest()
    assert data["suggested_types"][0]["type"] == "research_protocol"
    exe = tmp_path / "program.exe"
    exe.write_bytes(b"MZ\x90\x00" + b"\x00" * 200)
    refused = cli("inspect", exe, "--format", "json")
    assert refused.returncode == 1
    assert [f["code"] for f in json.loads(refused.stdout)["findings"]] == ["unsupported_type"]


@pytest.mark.corpus
def test_inspect_encrypted_needs_the_password(cli: Cli) -> None:
    encrypted = CORPUS / "005-libreoffice-writer-password" / "libreoffice-writer-password.pdf"
    if not encrypted.is_file():
        pytest.skip(f"the shared corpus is not here ({CORPUS})")
    locked = cli("inspect", encrypted, "--format", "json")
    assert locked.returncode == 1
    assert "password_required" in {f["code"] for f in json.loads(locked.stdout)["findings"]}
    opened = cli("inspect", encrypted, "--format", "json", "--password", "openpassword")
    assert opened.returncode == 0
    assert json.loads(opened.stdout)["pages"] == 1


@pytest.mark.parametrize("name", ["ny-soknad/ny-soknad.soknad",
                                  "endringssoknad/endringssoknad.soknad"])
def test_bundled_examples_validate_as_ready(cli: Cli, name: str) -> None:
    result = cli("validate", EXAMPLES / name, "--format", "json")
    assert result.returncode == 0, result.stdout
    report = json.loads(result.stdout)
    assert report["ready"] is True
    assert not [f for f in report["findings"] if f["severity"] == "error"]


def test_add_prints_what_intake_found_and_can_take_the_suggestion(cli: Cli,
                                                                  tmp_path: Path) -> None:
    project = write_project(tmp_path / "p", docs=[], answers=READY_ANSWERS)
    source = tmp_path / "DPIA endelig.pdf"
    make_document(source, "Personvernkonsekvensvurdering (DPIA) for prosjektet")
    result = cli("add", project, source, "--as", "suggested", "--lang", "en")
    assert result.returncode == 0, result.stderr
    assert "Suggested type" in result.stdout
    [doc] = load_project(project).documents
    assert doc.types == ["dpia"]
    empty = tmp_path / "tom.pdf"
    empty.write_bytes(b"")
    refused = cli("add", project, empty, "--as", "other")
    assert refused.returncode == 1
    assert len(load_project(project).documents) == 1
