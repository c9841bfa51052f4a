"""Reading variable lists (XLSX/XLSM and CSV) and finding the ticked rows.

A row counts as ticked when a cell in a selection column (a header such as "Velg", "Kryss av",
"Bestilles", "Ønskes", "Select" or one containing "(x)") holds x, ✓, ✔, ja, yes, 1 or TRUE;
when a sheet has no such column, a row is ticked when its first cell is exactly "x".
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from typing import Any

from soknadspakke.core.errors import Cancelled
from soknadspakke.core.tasks import CancelFn, check_cancel

#: Rows rendered per sheet (the original file, embedded in the package, keeps them all).
MAX_RENDERED_ROWS = 5000
#: Characters of one cell shown in the rendering.
MAX_CELL_CHARS = 300
#: Rows searched for the header row.
HEADER_SEARCH_ROWS = 30

#: Header words of a selection column: words starting with one of the stems, or equal to one
#: of the words ("merk" only whole: "merknad" is a comment column).
SELECT_HEADER_STEMS = ("velg", "valgt", "bestill", "bestilt", "kryss", "avkryss", "ønsk",
                       "select", "choos", "chosen", "tick", "order")
SELECT_HEADER_WORDS = frozenset({"valg", "merk", "merket", "søkt", "søkes"})
TICK_VALUES = frozenset({"x", "✓", "✔", "ja", "yes", "1", "true", "sann"})
_WORD_RE = re.compile(r"[^\W\d_]+")


@dataclass
class Sheet:
    """One sheet as display strings, with the header row and the ticked rows."""

    name: str
    hidden: bool = False
    rows: list[list[str]] = field(default_factory=list)
    total_rows: int = 0
    header: int | None = None
    select_columns: tuple[int, ...] = ()
    ticked: set[int] = field(default_factory=set)
    ticked_count: int = 0

    @property
    def truncated(self) -> bool:
        return self.total_rows > len(self.rows)

    @property
    def columns(self) -> int:
        return max((len(r) for r in self.rows), default=0)


class SpreadsheetError(Exception):
    """The workbook cannot be read (the message is technical detail for the finding)."""


def cell_text(value: Any) -> str:
    """A cell value as the text shown for it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "✔" if value else ""
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e16:
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    return text


def is_select_header(text: str) -> bool:
    """True when a header cell names a selection column."""
    lowered = text.strip().lower()
    if "(x)" in lowered:
        return True
    return any(word in SELECT_HEADER_WORDS or word.startswith(SELECT_HEADER_STEMS)
               for word in _WORD_RE.findall(lowered))


def is_tick(text: str) -> bool:
    return text.strip().lower() in TICK_VALUES


def _find_header(rows: list[list[str]]) -> tuple[int | None, tuple[int, ...]]:
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        columns = tuple(j for j, cell in enumerate(row) if cell and is_select_header(cell))
        if columns:
            return index, columns
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if sum(1 for cell in row if cell.strip()) >= 2:
            return index, ()
    return None, ()


def _finish(sheet: Sheet, all_rows: list[list[str]]) -> Sheet:
    """Trim empty trailing rows and columns, find the header and the ticked rows."""
    while all_rows and not any(c.strip() for c in all_rows[-1]):
        all_rows.pop()
    width = 0
    for row in all_rows:
        for j in range(len(row) - 1, -1, -1):
            if row[j].strip():
                width = max(width, j + 1)
                break
    all_rows = [row[:width] + [""] * (width - len(row[:width])) for row in all_rows]
    sheet.header, sheet.select_columns = _find_header(all_rows)
    start = 0 if sheet.header is None else sheet.header + 1
    for index in range(start, len(all_rows)):
        row = all_rows[index]
        if sheet.select_columns:
            ticked = any(j < len(row) and is_tick(row[j]) for j in sheet.select_columns)
        else:
            ticked = bool(row) and row[0].strip().lower() == "x"
        if ticked:
            sheet.ticked_count += 1
            if index < MAX_RENDERED_ROWS:
                sheet.ticked.add(index)
    sheet.total_rows = len(all_rows)
    sheet.rows = [[c[:MAX_CELL_CHARS] for c in row] for row in all_rows[:MAX_RENDERED_ROWS]]
    return sheet


def read_xlsx(data: bytes, cancel: CancelFn | None = None) -> list[Sheet]:
    """All sheets of an XLSX/XLSM workbook (values as last saved, never formulas)."""
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged workbook
        raise SpreadsheetError(f"{type(exc).__name__}: {exc}") from exc
    sheets: list[Sheet] = []
    try:
        for worksheet in workbook.worksheets:
            check_cancel(cancel)
            sheet = Sheet(worksheet.title,
                          hidden=getattr(worksheet, "sheet_state", "visible") != "visible")
            rows: list[list[str]] = []
            for count, values in enumerate(worksheet.iter_rows(values_only=True)):
                if count % 2000 == 0:
                    check_cancel(cancel)
                rows.append([cell_text(v) for v in values])
            sheets.append(_finish(sheet, rows))
    except Cancelled:
        raise
    except Exception as exc:
        raise SpreadsheetError(f"{type(exc).__name__}: {exc}") from exc
    finally:
        workbook.close()
    return sheets


def read_csv(text: str, delimiter: str, name: str) -> list[Sheet]:
    """A CSV text as one sheet called ``name``."""
    rows = [list(row) for row in csv.reader(io.StringIO(text, newline=""),
                                            delimiter=delimiter)]
    return [_finish(Sheet(name), rows)]
