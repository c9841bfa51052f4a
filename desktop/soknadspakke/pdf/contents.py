"""The index (contents): one row per document with its type, title, pages and sha256, each
row a link to the document."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from reportlab.pdfgen.canvas import Canvas

from soknadspakke.core.i18n import translate
from soknadspakke.pdf import fonts
from soknadspakke.pdf.drawing import (
    AVAILABLE_H,
    MARGIN_TOP,
    MARGIN_X,
    MUTED,
    PAGE_H,
    TEXT_W,
    IndexLink,
    clip_lines,
    draw_text,
)
from soknadspakke.pdf.model import DocumentPlacement, PackageDocument

COLUMNS = (0.0, 0.30, 0.755, 0.86)  # fractions of TEXT_W: type, title, pages, sha256
INDEX_SIZE = 8.5
INDEX_LEADING = 11.0
ROW_PAD = 4.0
HEADER_H = 20.0
TITLE_H = 30.0


@dataclass
class IndexRow:
    doc: int
    type_lines: list[str]
    title_lines: list[str]
    file_line: str
    height: float


def draw_table_head(canvas: Canvas, headers: Sequence[str],
                    column: Callable[[int], tuple[float, float]], top: float) -> float:
    """A table's column headings (bold, grey) and the rule under them, at ``top``; returns
    where the first row starts (the index and the compliance matrix share this)."""
    for i, header in enumerate(headers):
        x, w = column(i)
        draw_text(canvas, fonts.truncate(header, fonts.BOLD, INDEX_SIZE, w), x, top - 12,
                  font=fonts.BOLD, size=INDEX_SIZE, colour=MUTED)
    top -= HEADER_H
    canvas.setStrokeColorRGB(*MUTED)
    canvas.setLineWidth(0.8)
    canvas.line(MARGIN_X, top + 2, MARGIN_X + TEXT_W, top + 2)
    return top


def shade_row(canvas: Canvas, k: int, bottom: float, height: float) -> None:
    """Every second row of a table on a light grey band."""
    if k % 2 == 1:
        canvas.setFillColorRGB(0.95, 0.95, 0.95)
        canvas.rect(MARGIN_X, bottom, TEXT_W, height, stroke=0, fill=1)


def index_column(i: int) -> tuple[float, float]:
    start = MARGIN_X + COLUMNS[i] * TEXT_W
    end = MARGIN_X + (COLUMNS[i + 1] * TEXT_W if i + 1 < len(COLUMNS) else TEXT_W)
    return start, end - start - 8


def index_rows(documents: Sequence[PackageDocument]) -> list[IndexRow]:
    rows = []
    _, type_w = index_column(0)
    _, title_w = index_column(1)
    for i, doc in enumerate(documents):
        type_lines = clip_lines(fonts.wrap(doc.type_label, fonts.SANS, INDEX_SIZE, type_w),
                                fonts.SANS, INDEX_SIZE, type_w)
        title_lines = clip_lines(fonts.wrap(doc.title or doc.file_name, fonts.BOLD, INDEX_SIZE,
                                             title_w), fonts.BOLD, INDEX_SIZE, title_w)
        file_line = ""
        if doc.file_name and doc.file_name != doc.title:
            file_line = fonts.truncate(doc.file_name, fonts.SANS, INDEX_SIZE - 1, title_w)
        lines = max(len(type_lines), len(title_lines) + (1 if file_line else 0), 1)
        rows.append(IndexRow(i, type_lines, title_lines, file_line,
                              lines * INDEX_LEADING + 2 * ROW_PAD))
    return rows


def paginate_rows(rows: list[IndexRow]) -> list[list[IndexRow]]:
    pages: list[list[IndexRow]] = [[]]
    available = AVAILABLE_H - TITLE_H - HEADER_H
    used = 0.0
    for row in rows:
        if used + row.height > available and pages[-1]:
            pages.append([])
            used = 0.0
        pages[-1].append(row)
        used += row.height
    return pages


def page_range(placement: DocumentPlacement) -> str:
    if placement.first_page == placement.last_page:
        return str(placement.first_page)
    return f"{placement.first_page}–{placement.last_page}"


def draw_index_page(canvas: Canvas, rows: Sequence[IndexRow], *, first: bool, page: int,
                    documents: Sequence[PackageDocument],
                    placements: Sequence[DocumentPlacement], lang: str,
                    links: list[IndexLink]) -> None:
    """One page of the index (front page ``page``, 0-based); its rows' links go to ``links``."""
    headers = (translate("Document type", lang), translate("Title", lang),
               translate("Pages", lang), translate("SHA-256", lang))
    top = PAGE_H - MARGIN_TOP
    title = (translate("Contents", lang) if first
             else translate("Contents (continued)", lang))
    draw_text(canvas, title, MARGIN_X, top - 16, font=fonts.BOLD, size=16)
    top -= TITLE_H
    top = draw_table_head(canvas, headers, index_column, top)
    for k, row in enumerate(rows):
        bottom = top - row.height
        shade_row(canvas, k, bottom, row.height)
        baseline = top - ROW_PAD - 8.5
        x, _ = index_column(0)
        for j, line in enumerate(row.type_lines):
            draw_text(canvas, line, x, baseline - j * INDEX_LEADING, size=INDEX_SIZE)
        x, _ = index_column(1)
        for j, line in enumerate(row.title_lines):
            draw_text(canvas, line, x, baseline - j * INDEX_LEADING, font=fonts.BOLD,
                      size=INDEX_SIZE)
        if row.file_line:
            draw_text(canvas, row.file_line, x,
                      baseline - len(row.title_lines) * INDEX_LEADING, size=INDEX_SIZE - 1,
                      colour=MUTED)
        x, _ = index_column(2)
        draw_text(canvas, page_range(placements[row.doc]), x, baseline, size=INDEX_SIZE)
        x, _ = index_column(3)
        draw_text(canvas, documents[row.doc].sha256[:12], x, baseline, font=fonts.MONO,
                  size=INDEX_SIZE)
        links.append(IndexLink(page,
                               (MARGIN_X, bottom, MARGIN_X + TEXT_W, top), row.doc))
        top = bottom
    canvas.showPage()
