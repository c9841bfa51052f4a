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
from soknadspakke.intake import limits

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
    #: Reading stopped at :data:`~soknadspakke.intake.limits.MAX_SHEET_ROWS` rows or the
    #: time limit: rows after ``total_rows`` were not read.
    incomplete: bool = False

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


def _row_ticked(sheet: Sheet, row: list[str]) -> bool:
    if sheet.select_columns:
        return any(j < len(row) and is_tick(row[j]) for j in sheet.select_columns)
    return bool(row) and row[0].strip().lower() == "x"


class _SheetReader:
    """Takes a sheet's rows one by one: keeps the rows the PDF shows, and for the rest only
    counts ticks and the last non-empty row, so a sheet of any length needs little memory.
    Stops taking rows at :data:`limits.MAX_SHEET_ROWS` or when ``deadline`` is up."""

    def __init__(self, sheet: Sheet, deadline: limits.Deadline) -> None:
        self.sheet = sheet
        self.deadline = deadline
        self.head: list[list[str]] = []
        self.count = 0
        self.last_filled = -1
        self.extra_ticked = 0
        self.header_known = False

    def add(self, row: list[str]) -> bool:
        """Take one row; False when no more rows should be read."""
        index = self.count
        self.count += 1
        if index % 2000 == 1999 and self.deadline.check():
            self.sheet.incomplete = True
            return False
        if index < MAX_RENDERED_ROWS:
            self.head.append(row)
        else:
            if not self.header_known:
                self.sheet.header, self.sheet.select_columns = _find_header(self.head)
                self.header_known = True
            if _row_ticked(self.sheet, row):
                self.extra_ticked += 1
        if any(c.strip() for c in row):
            self.last_filled = index
        if self.count >= limits.MAX_SHEET_ROWS:
            self.sheet.incomplete = True
            return False
        return True

    def finish(self) -> Sheet:
        sheet = _finish(self.sheet, self.head)
        if self.count > MAX_RENDERED_ROWS:
            sheet.ticked_count += self.extra_ticked
            sheet.total_rows = self.last_filled + 1
        return sheet


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
        if _row_ticked(sheet, all_rows[index]):
            sheet.ticked_count += 1
            if index < MAX_RENDERED_ROWS:
                sheet.ticked.add(index)
    sheet.total_rows = len(all_rows)
    sheet.rows = [[c[:MAX_CELL_CHARS] for c in row] for row in all_rows[:MAX_RENDERED_ROWS]]
    return sheet


def _cells(values: Any) -> list[str]:
    return [cell_text(v)[:MAX_CELL_CHARS] for v in values]


def read_xlsx(data: bytes, cancel: CancelFn | None = None) -> list[Sheet]:
    """All sheets of an XLSX/XLSM workbook (values as last saved, never formulas), streamed:
    at most :data:`limits.MAX_SHEET_ROWS` rows per sheet, for at most
    :data:`limits.MAX_READ_SECONDS` in all (:attr:`Sheet.incomplete` says when reading
    stopped early)."""
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged workbook
        raise SpreadsheetError(f"{type(exc).__name__}: {exc}") from exc
    sheets: list[Sheet] = []
    deadline = limits.Deadline(limits.MAX_READ_SECONDS, cancel)
    try:
        for worksheet in workbook.worksheets:
            check_cancel(cancel)
            sheet = Sheet(worksheet.title,
                          hidden=getattr(worksheet, "sheet_state", "visible") != "visible")
            reader = _SheetReader(sheet, deadline)
            if not deadline.check():
                for values in worksheet.iter_rows(values_only=True):
                    if not reader.add(_cells(values)):
                        break
            else:
                sheet.incomplete = True
            sheets.append(reader.finish())
    except Cancelled:
        raise
    except Exception as exc:
        raise SpreadsheetError(f"{type(exc).__name__}: {exc}") from exc
    finally:
        workbook.close()
    return sheets


def read_csv(text: str, delimiter: str, name: str, cancel: CancelFn | None = None
             ) -> list[Sheet]:
    """A CSV text as one sheet called ``name`` (streamed and bounded as :func:`read_xlsx`)."""
    reader = _SheetReader(Sheet(name), limits.Deadline(limits.MAX_READ_SECONDS, cancel))
    for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
        if not reader.add([c[:MAX_CELL_CHARS] for c in row]):
            break
    return [reader.finish()]
