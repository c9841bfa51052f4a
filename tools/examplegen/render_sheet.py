"""SSB-style variable lists (XLSX): one sheet per subject area, ticked rows marked "x".

Written with fixed document properties and repacked with fixed zip timestamps, so the bytes
are the same on every run.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from examplegen.common import FOOTER

XLSX_TIME = (2024, 11, 12, 9, 30, 0)


@dataclass(frozen=True)
class VariableSheet:
    title: str
    heading: str
    rows: tuple[tuple[bool, str, str, str], ...]


def _fill_sheet(ws: Worksheet, spec: VariableSheet) -> None:
    thin = Side(style="thin", color="A0A0A0")
    ws.title = spec.title
    ws.append(["Bestilles (x)", "Variabelnavn", "Beskrivelse", "Årganger"])
    for ticked, name, description, years in spec.rows:
        ws.append(["x" if ticked else None, name, description, years])
    last = ws.max_row
    for cell in ws[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="203F6B")
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    for row in ws.iter_rows(min_row=1, max_row=last, max_col=4):
        for cell in row:
            cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for row in ws.iter_rows(min_row=2, max_row=last, max_col=1):
        row[0].alignment = Alignment(horizontal="center")
    ws.column_dimensions["A"].width = 13
    ws.column_dimensions["B"].width = 34
    ws.column_dimensions["C"].width = 62
    ws.column_dimensions["D"].width = 14
    ws.freeze_panes = "A2"
    tick = DataValidation(type="list", formula1='"x"', allow_blank=True,
                          showErrorMessage=True, errorTitle="Ugyldig verdi",
                          error="Skriv x for å bestille variabelen.")
    ws.add_data_validation(tick)
    tick.add(f"A2:A{last}")
    note = ws.cell(row=last + 2, column=2, value=FOOTER)
    note.font = Font(size=7, italic=True, color="808080")
    _print_setup(ws, spec.heading)


def _print_setup(ws: Worksheet, heading: str) -> None:
    ws.oddHeader.center.text = heading
    ws.oddHeader.center.size = 9
    ws.oddFooter.left.text = FOOTER
    ws.oddFooter.left.size = 7
    ws.oddFooter.right.text = "Side &P av &N"
    ws.oddFooter.right.size = 7
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.print_title_rows = "1:1"


def build_variable_list(sheets: Sequence[VariableSheet], doc_title: str, created: datetime,
                        modified: datetime, modified_by: str) -> bytes:
    """An SSB-style variable list: one sheet per subject area, ticked rows marked "x"."""
    wb = Workbook()
    first = True
    for spec in sheets:
        ws = wb.active if first else wb.create_sheet()
        assert ws is not None
        first = False
        _fill_sheet(ws, spec)
    props = wb.properties
    props.title = doc_title
    props.subject = FOOTER
    props.creator = "Statistisk sentralbyrå (mal, syntetisk eksempel)"
    props.lastModifiedBy = modified_by
    props.created = created
    props.modified = modified
    props.description = FOOTER
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        # ExcelWriter directly: openpyxl's save_workbook() would stamp "modified" with now().
        ExcelWriter(wb, archive).save()
    return normalize_zip(buf.getvalue())


def render(data: dict[str, Any]) -> bytes:
    """The workbook a variable-list source file describes (rows: "x" or "" first)."""
    sheets = [VariableSheet(sheet["title"], sheet["heading"],
                            tuple((row[0] == "x", row[1], row[2], row[3])
                                  for row in sheet["rows"]))
              for sheet in data["sheets"]]
    return build_variable_list(sheets, data["title"], data["created"], data["modified"],
                               data["modified_by"])


def normalize_zip(data: bytes) -> bytes:
    """Repack a zip with fixed timestamps and attributes, members in their original order."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=XLSX_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            fixed.create_system = 0
            dst.writestr(fixed, src.read(info.filename), compresslevel=9)
    return out.getvalue()

