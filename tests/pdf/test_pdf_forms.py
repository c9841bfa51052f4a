"""Filled forms keep their values: flattened into the page by default, or kept live."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from soknadspakke.pdf import assemble_package
from tests.pdf.pdf_testkit import (
    annots_of,
    document,
    field_rect,
    form_pdf,
    ink,
    page_texts,
    qpdf_check,
    spec,
)

BLANK = 1.0  # mean darkness of an empty field area (its border aside)


@pytest.fixture
def forms(inputs: Path) -> dict[str, Path]:
    return {
        "filled": form_pdf(inputs / "skjema.pdf", name="Kari Nordmann", checked=True),
        "empty": form_pdf(inputs / "tomt.pdf", name="", checked=False),
        "no-appearance": form_pdf(inputs / "uten-utseende.pdf", name="Ola Åsen",
                                  appearances=False),
    }


def _inner(rect: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    """The rectangle without its border (borders are drawn filled or not)."""
    x0, y0, x1, y1 = rect
    return x0 + 3, y0 + 3, x1 - 3, y1 - 3


def test_a_viewer_that_hides_form_fields_shows_nothing_in_the_input(forms: dict[str, Path],
                                                                   tmp_path: Path) -> None:
    # The premise of flattening: QtPdf (like pdftoppm -hide-annotations) draws no field values.
    rect = _inner(field_rect(forms["filled"], "navn"))
    assert ink(forms["filled"], 1, rect, tmp_path) < BLANK
    assert ink(forms["filled"], 1, rect, tmp_path, hide_annotations=False) > 5


def test_flattened_values_show_without_annotations(forms: dict[str, Path], outdir: Path,
                                                    tmp_path: Path) -> None:
    result = assemble_package(spec([document(forms["filled"]), document(forms["empty"])]),
                              outdir / "skjema-pakke.pdf")
    filled, empty = (p.first_page for p in result.placements)
    text_rect = _inner(field_rect(forms["filled"], "navn"))
    box_rect = _inner(field_rect(forms["filled"], "samtykke"))
    # the empty form's field background is drawn too; the value and the tick add to it
    assert ink(result.path, filled, text_rect, tmp_path) > ink(result.path, empty, text_rect,
                                                               tmp_path) + 5
    assert ink(result.path, filled, box_rect, tmp_path) > ink(result.path, empty, box_rect,
                                                              tmp_path) + 5
    assert "Kari Nordmann" in page_texts(result.path)[filled - 1]
    reader = PdfReader(result.path)
    assert "/AcroForm" not in reader.root_object
    for page in reader.pages:
        for annot in annots_of(page):
            assert annot.get("/Subtype") != "/Widget"
    assert qpdf_check(result.path).returncode == 0


def test_missing_appearances_are_made_so_the_value_shows(forms: dict[str, Path], outdir: Path,
                                                         tmp_path: Path) -> None:
    source = forms["no-appearance"]
    rect = _inner(field_rect(source, "navn"))
    assert ink(source, 1, rect, tmp_path) < BLANK
    result = assemble_package(spec([document(source)]), outdir / "laget.pdf")
    page = result.placements[0].first_page
    assert ink(result.path, page, rect, tmp_path) > 3
    assert "Ola Åsen" in page_texts(result.path)[page - 1]


def test_two_copies_of_one_form_both_keep_their_values(inputs: Path, outdir: Path,
                                                       tmp_path: Path) -> None:
    first = form_pdf(inputs / "a.pdf", name="Kari Nordmann")
    second = form_pdf(inputs / "b.pdf", name="Per Hansen")
    result = assemble_package(spec([document(first), document(second)]), outdir / "to.pdf")
    texts = page_texts(result.path)
    one, two = (p.first_page for p in result.placements)
    assert "Kari Nordmann" in texts[one - 1] and "Per Hansen" not in texts[one - 1]
    assert "Per Hansen" in texts[two - 1] and "Kari Nordmann" not in texts[two - 1]
    rect = _inner(field_rect(first, "navn"))
    assert ink(result.path, one, rect, tmp_path) > 5
    assert ink(result.path, two, rect, tmp_path) > 5


def test_kept_fields_are_live_with_unique_names(inputs: Path, outdir: Path) -> None:
    first = form_pdf(inputs / "a.pdf", name="Kari Nordmann")
    second = form_pdf(inputs / "b.pdf", name="Per Hansen", checked=False)
    result = assemble_package(spec([document(first), document(second)], keep_form_fields=True),
                              outdir / "levende.pdf")
    reader = PdfReader(result.path)
    fields = reader.get_fields()
    assert fields is not None
    values = {name: field.get("/V") for name, field in fields.items() if "/FT" in field}
    assert values == {"doc01.navn": "Kari Nordmann", "doc01.samtykke": "/Yes",
                      "doc02.navn": "Per Hansen", "doc02.samtykke": "/Off"}
    for placement in result.placements:
        widgets = annots_of(reader.pages[placement.first_page - 1])
        assert len([w for w in widgets if w.get("/Subtype") == "/Widget"]) == 2
        for widget in widgets:
            page_ref = reader.pages[placement.first_page - 1].indirect_reference
            assert page_ref is not None
            assert widget.raw_get("/P").idnum == page_ref.idnum
    assert qpdf_check(result.path).returncode == 0
