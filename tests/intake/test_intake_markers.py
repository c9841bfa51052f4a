"""Draft stamps and unfilled placeholders in an attachment's text give one warning."""

from __future__ import annotations

from pathlib import Path

import pytest

from soknadspakke.intake import inspect_file
from soknadspakke.intake.markers import scan_pages

from .conftest import codes, finding, pdf_bytes, write


@pytest.mark.parametrize("text", [
    "UTKAST\nVedtak om dispensasjon", "Versjon 0.3 – DRAFT", "Dato: [sett inn dato]",
    "Prosjektleder: [Fyll inn navn]", "Signed: [insert name]", "Saksnummer [XX]",
    "FORELØPIG VERSJON", "Dato: XX.XX.2024", "Saksnummer: XXXX", "Prosjektleder: NN",
    "Vedtaksdato: [dato]", "Sted, [dd.mm.åååå]", "Underskrift: [navn]", "Date: [date]",
    "Org.nr. XXX XXX XXX",
])
def test_markers_are_found(text: str) -> None:
    [warning] = scan_pages(["Forside", text], "vedtak.pdf")
    assert warning.code == "draft_marker" and warning.page == 2
    assert "vedtak.pdf" in warning.message.render("en")


@pytest.mark.parametrize("text", [
    "We will draft the report in 2026.", "Utkastet ble ferdigstilt i mai.",
    "Se vedlegg [3] og tabell [A]", "Variabel XX_KODE", "REDRAFTED", "UTKAST-2 er en kode",
    "Størrelse XXL", "Vind fra NNE", "Nn. er nynorsk", "NN-koden", "xx av 20 deltakere",
    "NAV og NSD", "[datoen er satt]", "Kari Nordmann (NN2)",
])
def test_ordinary_text_is_not_a_marker(text: str) -> None:
    assert scan_pages([text], "protokoll.pdf") == []


def test_one_finding_names_every_page(tmp_path: Path) -> None:
    pdf = write(tmp_path / "dpia.pdf", pdf_bytes(
        ["UTKAST\nPersonvernkonsekvensvurdering", "Innhold", "[sett inn dato]"]))
    result = inspect_file(pdf)
    assert codes(result).count("draft_marker") == 1
    message = finding(result, "draft_marker").message.render("en")
    assert "pages 1, 3" in message and "UTKAST" in message and "[sett inn dato]" in message
    assert result.usable  # a warning: the user decides
