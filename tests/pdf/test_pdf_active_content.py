"""JavaScript, launch actions and other active content of the inputs do not reach the package."""

from __future__ import annotations

import re
from pathlib import Path

from pypdf import PdfReader

from soknadspakke.pdf import assemble_package
from tests.pdf.pdf_testkit import (
    active_pdf,
    annots_of,
    document,
    qdf_text,
    qpdf_check,
    spec,
    uri_links,
)

ACTIVE_KEYS = ("/JavaScript", "/JS ", "/JS(", "/JS<", "/Launch", "/SubmitForm", "/ImportData",
               "/OpenAction", "/AA ", "/AA<", "/RichMedia", "/Screen", "/FileAttachment",
               "/GoToR", "/GoToE", "calc.exe", "payload.exe", "secret payload")


def test_the_fixture_is_as_active_as_intended(inputs: Path, tmp_path: Path) -> None:
    text = qdf_text(active_pdf(inputs / "aktiv.pdf"), tmp_path)
    for key in ("/JavaScript", "/Launch", "/SubmitForm", "/ImportData", "/OpenAction", "/AA",
                "/RichMedia", "/Screen", "/FileAttachment", "payload.exe"):
        assert key in text, key


def test_no_active_content_reaches_the_package(inputs: Path, outdir: Path,
                                               tmp_path: Path) -> None:
    source = active_pdf(inputs / "aktiv.pdf")
    result = assemble_package(spec([document(source)]), outdir / "trygg.pdf")
    assert qpdf_check(result.path).returncode == 0
    text = qdf_text(result.path, tmp_path)
    for key in ACTIVE_KEYS:
        assert key not in text, key
    assert not re.search(r"/S\s*/(JavaScript|Launch|SubmitForm|ImportData|Rendition|Movie|"
                         r"Sound|ResetForm|Hide|SetOCGState|RichMediaExecute)", text)
    reader = PdfReader(result.path)
    page = result.placements[0].first_page - 1
    # the safe web links stay; javascript: URIs and chained actions go
    assert uri_links(reader, page) == ["https://www.ssb.no/", "https://www.uio.no/"]
    subtypes = [a["/Subtype"] for a in annots_of(reader.pages[page])]
    assert sorted(subtypes) == ["/Link", "/Link", "/Text"]  # the reviewer's note is kept
    assert list(reader.attachments) == ["manifest.json"]  # the input's embedded file is not
    assert "ACTIVE page 1" in reader.pages[page].extract_text()


def test_no_javascript_anywhere_in_a_package_of_many_kinds(inputs: Path, outdir: Path,
                                                           tmp_path: Path) -> None:
    source = active_pdf(inputs / "aktiv.pdf")
    result = assemble_package(spec([document(source), document(source)], draft=True,
                                   keep_form_fields=True), outdir / "to.pdf")
    text = qdf_text(result.path, tmp_path)
    assert "/JavaScript" not in text and "/JS" not in text and "/Launch" not in text
