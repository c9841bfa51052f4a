"""The compliance matrix: every document requirement that applies, the documents that meet it
(each a link) and their pages, or what is wrong."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.pdfgen.canvas import Canvas

from soknadspakke.core.i18n import translate
from soknadspakke.pdf import fonts
from soknadspakke.pdf.contents import (
    HEADER_H,
    INDEX_LEADING,
    INDEX_SIZE,
    ROW_PAD,
    TITLE_H,
    draw_table_head,
    page_range,
    shade_row,
)
from soknadspakke.pdf.drawing import (
    AVAILABLE_H,
    MARGIN_TOP,
    MARGIN_X,
    MUTED,
    PAGE_H,
    RED_INK,
    TEXT_W,
    IndexLink,
    clip_lines,
    draw_text,
)
from soknadspakke.pdf.model import DocumentPlacement, PackageDocument, RequirementRow

MATRIX_COLUMNS = (0.0, 0.075, 0.40, 0.49, 0.885)  # rule, documents asked for, source, met by, pages
MAX_MATRIX_DOCS = 8
ENTRY_GAP = 4.0  # between two documents meeting one requirement
MATRIX_TITLE_LINES = 3


@dataclass
class MatrixEntry:
    """One document meeting a requirement: its title lines (first line carries the pages)."""

    doc: int
    lines: list[str]


@dataclass
class MatrixRow:
    rule: str
    asked_lines: list[str]
    source_lines: list[str]
    entries: list[MatrixEntry]
    notes: list[tuple[str, bool]]  # (line, is a problem): status in red, remarks muted
    height: float


def matrix_column(i: int) -> tuple[float, float]:
    start = MARGIN_X + MATRIX_COLUMNS[i] * TEXT_W
    end = MARGIN_X + (MATRIX_COLUMNS[i + 1] * TEXT_W if i + 1 < len(MATRIX_COLUMNS) else TEXT_W)
    return start, end - start - 6


def matrix_rows(rows: Sequence[RequirementRow], documents: Sequence[PackageDocument],
                 lang: str) -> list[MatrixRow]:
    result = []
    _, rule_w = matrix_column(0)
    _, asked_w = matrix_column(1)
    _, source_w = matrix_column(2)
    _, met_w = matrix_column(3)
    for row in rows:
        asked = clip_lines(fonts.wrap(row.documents, fonts.SANS, INDEX_SIZE, asked_w),
                           fonts.SANS, INDEX_SIZE, asked_w)
        source = fonts.wrap(row.source, fonts.SANS, INDEX_SIZE, source_w)
        entries = []
        for doc in row.meets[:MAX_MATRIX_DOCS]:
            title = documents[doc].title or documents[doc].file_name
            title_lines = fonts.wrap(title, fonts.BOLD, INDEX_SIZE, met_w)
            if len(title_lines) > MATRIX_TITLE_LINES:
                title_lines = title_lines[:MATRIX_TITLE_LINES]
                title_lines[-1] = fonts.truncate(title_lines[-1] + " …", fonts.BOLD, INDEX_SIZE,
                                                 met_w)
            entries.append(MatrixEntry(doc, title_lines))
        notes: list[tuple[str, bool]] = []
        if len(row.meets) > MAX_MATRIX_DOCS:
            notes.append((translate("… and {count} more", lang).format(
                count=len(row.meets) - MAX_MATRIX_DOCS), False))
        for text, problem in ((row.status, True), (row.remark, False)):
            if text:
                font = fonts.BOLD if problem else fonts.SANS
                notes += [(line, problem) for line in fonts.wrap(text, font, INDEX_SIZE, met_w)]
        met_h = ((sum(len(e.lines) for e in entries) + len(notes)) * INDEX_LEADING
                 + ENTRY_GAP * max(0, len(entries) - 1))
        height = max(max(len(asked), len(source), 1) * INDEX_LEADING, met_h)
        rule = fonts.truncate(row.rule, fonts.BOLD, INDEX_SIZE, rule_w)
        result.append(MatrixRow(rule, asked, source, entries, notes, height + 2 * ROW_PAD))
    return result


def paginate_matrix(rows: list[MatrixRow]) -> list[list[MatrixRow]]:
    if not rows:
        return []
    pages: list[list[MatrixRow]] = [[]]
    available = AVAILABLE_H - TITLE_H - HEADER_H
    used = 0.0
    for row in rows:
        if used + row.height > available and pages[-1]:
            pages.append([])
            used = 0.0
        pages[-1].append(row)
        used += row.height
    return pages


def draw_matrix_page(canvas: Canvas, rows: Sequence[MatrixRow], *, first: bool, page: int,
                      placements: Sequence[DocumentPlacement], lang: str,
                      links: list[IndexLink]) -> None:
    top = PAGE_H - MARGIN_TOP
    title = (translate("Requirements and where they are met", lang) if first
             else translate("Requirements and where they are met (continued)", lang))
    draw_text(canvas, fonts.truncate(title, fonts.BOLD, 16, TEXT_W), MARGIN_X, top - 16,
              font=fonts.BOLD, size=16)
    top -= TITLE_H
    headers = (translate("Rule", lang), translate("Documents required", lang),
               translate("Source", lang), translate("Met by", lang), translate("Pages", lang))
    top = draw_table_head(canvas, headers, matrix_column, top)
    for k, row in enumerate(rows):
        bottom = top - row.height
        shade_row(canvas, k, bottom, row.height)
        baseline = top - ROW_PAD - 8.5
        x, _ = matrix_column(0)
        draw_text(canvas, row.rule, x, baseline, font=fonts.BOLD, size=INDEX_SIZE)
        x, _ = matrix_column(1)
        for j, line in enumerate(row.asked_lines):
            draw_text(canvas, line, x, baseline - j * INDEX_LEADING, size=INDEX_SIZE)
        x, _ = matrix_column(2)
        for j, line in enumerate(row.source_lines):
            draw_text(canvas, line, x, baseline - j * INDEX_LEADING, size=INDEX_SIZE)
        met_x, _ = matrix_column(3)
        pages_x, _ = matrix_column(4)
        drop = 0.0  # from the row's first baseline down
        for number, entry in enumerate(row.entries):
            if number:
                drop += ENTRY_GAP
            entry_top = top - ROW_PAD - drop
            draw_text(canvas, page_range(placements[entry.doc]), pages_x, baseline - drop,
                      size=INDEX_SIZE)
            for line in entry.lines:
                draw_text(canvas, line, met_x, baseline - drop, font=fonts.BOLD, size=INDEX_SIZE)
                drop += INDEX_LEADING
            links.append(IndexLink(page, (met_x, top - ROW_PAD - drop - 1, MARGIN_X + TEXT_W,
                                          entry_top + 1), entry.doc))
        for line, problem in row.notes:
            draw_text(canvas, line, met_x, baseline - drop,
                      font=fonts.BOLD if problem else fonts.SANS, size=INDEX_SIZE,
                      colour=RED_INK if problem else MUTED)
            drop += INDEX_LEADING
        top = bottom
    canvas.showPage()
