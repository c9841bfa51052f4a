"""Variable lists: XLSX and CSV rendered as tables, ticked rows found, originals kept."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path

import openpyxl
import pypdf
import pytest

from soknadspakke.intake import IntakeCache, inspect_file, page_texts
from soknadspakke.intake import spreadsheet as spreadsheet_module
from soknadspakke.intake.spreadsheet import read_csv, read_xlsx

from .conftest import FNR, codes, valid_number, write


def _xlsx(sheets: Mapping[str, Sequence[Sequence[object]]], *,
          hidden: tuple[str, ...] = ()) -> bytes:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
        if title in hidden:
            sheet.sheet_state = "hidden"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


VARIABLES: list[list[object]] = [
    ["Variabelliste befolkning 2025"],
    [],
    ["Velg (x)", "Variabelnavn", "Beskrivelse", "Fra år"],
    ["x", "BEFOLKNING_KJOENN", "Kjønn", 1964],
    [None, "BEFOLKNING_FOEDSELSAAR", "Fødselsår", 1964],
    ["X", "BEFOLKNING_GRUNNKRETS", "Grunnkrets", 1980],
]


def test_xlsx_variable_list(inbox: Path, cache: IntakeCache) -> None:
    path = write(inbox / "variabelliste befolkning.xlsx", _xlsx({"Befolkning": VARIABLES}))
    result = inspect_file(path, cache=cache)
    assert (result.kind, result.format) == ("spreadsheet", "xlsx")
    assert result.usable and result.embed_original and result.pages == 1
    assert result.pdf_path == cache.pdf_path(result.sha256)
    text = page_texts(result, cache)[0]
    assert "Befolkning" in text and "BEFOLKNING_KJOENN" in text and "Variabelnavn" in text
    assert codes(result) == []
    sheet = read_xlsx(path.read_bytes())[0]
    assert sheet.header == 2 and sheet.select_columns == (0,)
    assert sheet.ticked == {3, 5} and sheet.ticked_count == 2


def test_ticked_rows_are_highlighted(inbox: Path) -> None:
    result = inspect_file(write(inbox / "liste.xlsx", _xlsx({"Ark": VARIABLES})))
    assert result.pdf_path is not None
    content = pypdf.PdfReader(result.pdf_path).pages[0].get_contents()
    assert content is not None
    # the highlight colour #fff0a0 as a fill colour, once per ticked row
    assert content.get_data().count(b"1 .941176 .627451 rg") == 2


def test_hidden_sheets_and_no_ticks_warn(inbox: Path) -> None:
    data = _xlsx({"Synlig": [["Variabel", "Beskrivelse"], ["A", "a"]],
                  "Oppslag": [["kode", "tekst"]]}, hidden=("Oppslag",))
    result = inspect_file(write(inbox / "uten kryss.xlsx", data))
    assert result.usable
    assert set(codes(result)) == {"hidden_sheets", "no_ticked_variables"}
    hidden = next(f for f in result.findings if f.code == "hidden_sheets")
    assert "Oppslag" in hidden.message.render("en")


def test_first_column_x_counts_when_no_selection_column() -> None:
    rows = "Variabel;Beskrivelse\nx;A\n;B\nX;C\nxx;D\n"
    sheet = read_csv(rows, ";", "")[0]
    assert sheet.select_columns == () and sheet.ticked == {1, 3}


@pytest.mark.parametrize("value", ["x", "X", "✓", "✔", "ja", "Yes", 1, True])
def test_tick_values(value: object) -> None:
    data = _xlsx({"Ark": [["Variabel", "Bestilles"], ["A", value], ["B", None]]})
    sheet = read_xlsx(data)[0]
    assert sheet.select_columns == (1,) and sheet.ticked == {1}


def test_wide_sheet_is_landscape(inbox: Path) -> None:
    header: list[object] = ["Velg", *[f"Kolonne {n}" for n in range(1, 12)]]
    rows: list[list[object]] = [header, ["x", *[f"verdi {n}" for n in range(1, 12)]]]
    result = inspect_file(write(inbox / "bred.xlsx", _xlsx({"Bred": rows})))
    page = result.page_info[0]
    assert page.width > page.height


def test_macro_workbook(inbox: Path) -> None:
    data = _xlsx({"Ark": VARIABLES})
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            target.writestr(item, source.read(item.filename))
        target.writestr("xl/vbaProject.bin", b"\x00" * 32)
    result = inspect_file(write(inbox / "makro.xlsm", out.getvalue()))
    assert result.format == "xlsm" and "macro_file" in codes(result)


def test_many_rows_are_cut_in_the_rendering(inbox: Path, monkeypatch: pytest.MonkeyPatch
                                            ) -> None:
    monkeypatch.setattr(spreadsheet_module, "MAX_RENDERED_ROWS", 50)
    rows = [["Velg", "Variabel"], *[["x", f"VAR_{n}"] for n in range(200)]]
    result = inspect_file(write(inbox / "lang.xlsx", _xlsx({"Lang": rows})))
    assert result.usable and "spreadsheet_truncated" in codes(result)
    assert "no_ticked_variables" not in codes(result)


def test_damaged_workbook(inbox: Path) -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "not xml at all <<<")
    result = inspect_file(write(inbox / "ødelagt.xlsx", out.getvalue()))
    assert codes(result) == ["file_damaged"] and not result.usable


def test_identity_numbers_in_cells_with_lost_leading_zero(inbox: Path) -> None:
    ten_digit = valid_number("010190")  # starts with 0: Excel shows it as 10 digits
    rows: list[list[object]] = [["Velg", "Navn", "Fnr"], ["x", "Ola", int(ten_digit)],
                                ["x", "Kari", FNR]]
    result = inspect_file(write(inbox / "med fnr.xlsx", _xlsx({"Deltakere": rows})))
    found = [f for f in result.findings if f.code == "personal_id_number"]
    assert len(found) == 1 and found[0].page == 1
    assert "contains 2 " in found[0].message.render("en")


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "cp1252"])
def test_csv_semicolon_and_encodings(inbox: Path, encoding: str) -> None:
    text = "Velg;Variabel;Beskrivelse\nx;KJOENN;Kjønn\n;ALDER;Alder på måletidspunkt\n"
    result = inspect_file(write(inbox / "liste.csv", text.encode(encoding)))
    assert (result.kind, result.format, result.usable) == ("spreadsheet", "csv", True)
    assert "Kjønn" in page_texts(result)[0]
    assert "no_ticked_variables" not in codes(result)


def test_csv_with_commas_and_quotes(inbox: Path) -> None:
    text = 'variable,label,selected\nA,"Alder, i år",yes\nB,"Bosted",\nC,"Kjønn",\n'
    result = inspect_file(write(inbox / "vars.csv", text.encode()))
    assert result.format == "csv"
    sheet = read_csv(text, ",", "")[0]
    assert sheet.rows[1][1] == "Alder, i år" and sheet.ticked == {1}
