"""The cover sheet and the index, drawn with reportlab into one in-memory PDF.

Layout happens first (:func:`layout_front_matter`) and does not depend on page numbers, so the
number of cover and index pages is known before any page number is printed. Drawing
(:func:`render_front_matter`) then fills in the page ranges and total.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from soknadspakke.core.i18n import translate
from soknadspakke.pdf import fonts
from soknadspakke.pdf.model import (
    CoverSheet,
    DocumentPlacement,
    PackageDocument,
    RequirementRow,
)
from soknadspakke.pdf.stamps import plan_frame

PAGE_W, PAGE_H = float(A4[0]), float(A4[1])
MARGIN_X = 56.7
MARGIN_TOP = 56.7
MARGIN_BOTTOM = plan_frame((0, 0, PAGE_W, PAGE_H), None, 0, extend=False).band + 36
TEXT_W = PAGE_W - 2 * MARGIN_X
AVAILABLE_H = PAGE_H - MARGIN_TOP - MARGIN_BOTTOM

BODY = 9.5
LEADING = 13.0
INK = (0.1, 0.1, 0.1)
MUTED = (0.4, 0.4, 0.4)
RULE = (0.8, 0.8, 0.8)
RED = (0.7, 0.05, 0.05)
GREEN_INK, GREEN_BG = (0.05, 0.4, 0.15), (0.9, 0.96, 0.91)
RED_INK, RED_BG = (0.6, 0.08, 0.05), (0.99, 0.91, 0.9)
MAX_CELL_LINES = 6

Draw = Callable[[Canvas, float], None]  # (canvas, top y of the block)


@dataclass
class Block:
    """A piece of a page flow: a height and how to draw it from a top edge down."""

    height: float
    draw: Draw
    keep_with_next: bool = False


def paginate(blocks: Sequence[Block], available: float) -> list[list[Block]]:
    """Blocks distributed over pages; chains of ``keep_with_next`` move to a new page together."""
    pages: list[list[Block]] = [[]]
    used = 0.0
    i = 0
    while i < len(blocks):
        j = i
        chain = blocks[i].height
        while blocks[j].keep_with_next and j + 1 < len(blocks) and chain < available / 2:
            j += 1
            chain += blocks[j].height
        if used + chain > available and pages[-1]:
            pages.append([])
            used = 0.0
        for block in blocks[i:j + 1]:
            if used + block.height > available and pages[-1]:
                pages.append([])
                used = 0.0
            pages[-1].append(block)
            used += block.height
        i = j + 1
    return pages


def _text(canvas: Canvas, text: str, x: float, y: float, *, font: str = fonts.SANS,
          size: float = BODY, colour: tuple[float, float, float] = INK) -> None:
    canvas.setFont(font, size)
    canvas.setFillColorRGB(*colour)
    canvas.drawString(x, y, text)


def _line(text: str, drop: float, *, font: str = fonts.SANS, size: float = BODY,
          colour: tuple[float, float, float] = INK) -> Draw:
    """Draws ``text`` at the left margin, its baseline ``drop`` below the block's top."""

    def draw(canvas: Canvas, top: float) -> None:
        _text(canvas, text, MARGIN_X, top - drop, font=font, size=size, colour=colour)

    return draw


def _spacer(height: float) -> Block:
    return Block(height, lambda canvas, top: None)


def _clip_lines(lines: list[str], font: str, size: float, max_width: float) -> list[str]:
    if len(lines) <= MAX_CELL_LINES:
        return lines
    kept = lines[:MAX_CELL_LINES]
    kept[-1] = fonts.truncate(kept[-1] + " …", font, size, max_width)
    return kept


@dataclass
class _Totals:
    """Numbers only known after layout, read by the draw functions."""

    pages: int = 0
    placements: tuple[DocumentPlacement, ...] = ()


# --- cover ----------------------------------------------------------------------------------


def _cover_blocks(cover: CoverSheet, lang: str, draft: bool, documents: int,
                  totals: _Totals) -> list[Block]:
    blocks: list[Block] = []
    if draft:
        mark = translate("UTKAST / DRAFT", lang)

        def draw_mark(canvas: Canvas, top: float) -> None:
            _text(canvas, mark, MARGIN_X, top - 16, font=fonts.BOLD, size=16, colour=RED)

        blocks.append(Block(24, draw_mark))
        for line in fonts.wrap(translate("This is a draft and not ready to be submitted.", lang),
                               fonts.SANS, BODY, TEXT_W):
            blocks.append(Block(LEADING, _line(line, 10, colour=RED)))
        blocks.append(_spacer(12))

    for line in fonts.wrap(cover.heading, fonts.BOLD, 18, TEXT_W):
        blocks.append(Block(23, _line(line, 18, font=fonts.BOLD, size=18), keep_with_next=True))
    blocks.append(_spacer(14))

    label_w = TEXT_W * 0.34
    value_x = MARGIN_X + label_w + 8
    value_w = TEXT_W - label_w - 8
    for label, value in cover.rows:
        label_lines = fonts.wrap(label, fonts.BOLD, BODY, label_w)
        value_lines = fonts.wrap(value, fonts.SANS, BODY, value_w)
        count = max(len(label_lines), len(value_lines))
        for i in range(count):
            first, last = i == 0, i == count - 1
            height = LEADING + (4 if first else 0) + (4 if last else 0)

            def draw_row(canvas: Canvas, top: float, *, i: int = i, first: bool = first,
                         label_lines: list[str] = label_lines,
                         value_lines: list[str] = value_lines) -> None:
                if first:
                    canvas.setStrokeColorRGB(*RULE)
                    canvas.setLineWidth(0.5)
                    canvas.line(MARGIN_X, top, MARGIN_X + TEXT_W, top)
                    top -= 4
                baseline = top - 9.5
                if i < len(label_lines):
                    _text(canvas, label_lines[i], MARGIN_X, baseline, font=fonts.BOLD)
                if i < len(value_lines):
                    _text(canvas, value_lines[i], value_x, baseline)

            blocks.append(Block(height, draw_row, keep_with_next=not last and count <= 8))
    blocks.append(_spacer(14))

    ink, background = (GREEN_INK, GREEN_BG) if cover.ready else (RED_INK, RED_BG)
    verdict_lines = fonts.wrap(cover.verdict, fonts.BOLD, 11, TEXT_W - 16)

    def draw_verdict(canvas: Canvas, top: float) -> None:
        height = len(verdict_lines) * 14 + 12
        canvas.setFillColorRGB(*background)
        canvas.setStrokeColorRGB(*ink)
        canvas.setLineWidth(0.8)
        canvas.rect(MARGIN_X, top - height, TEXT_W, height, stroke=1, fill=1)
        for n, line in enumerate(verdict_lines):
            _text(canvas, line, MARGIN_X + 8, top - 6 - 11 - n * 14, font=fonts.BOLD, size=11,
                  colour=ink)

    blocks.append(Block(len(verdict_lines) * 14 + 12 + 8, draw_verdict))

    def draw_totals(canvas: Canvas, top: float) -> None:
        text = translate("Documents: {documents}. Pages in all: {pages}.", lang).format(
            documents=documents, pages=totals.pages)
        _text(canvas, text, MARGIN_X, top - 10, colour=MUTED)

    blocks.append(Block(LEADING + 10, draw_totals))

    if cover.findings:
        heading = (translate("Missing or to be fixed", lang) if draft
                   else translate("Remarks", lang))
        blocks.append(Block(22, _line(heading, 14, font=fonts.BOLD, size=11),
                            keep_with_next=True))
        for severity, message in cover.findings:
            prefix = f"{severity}: "
            prefix_w = fonts.width(prefix, fonts.BOLD, BODY)
            if prefix_w > TEXT_W * 0.4:
                lines = [("", line) for line in fonts.wrap(message, fonts.SANS, BODY, TEXT_W - 12)]
                lines.insert(0, (prefix.rstrip(), ""))
                indent = 12.0
            else:
                wrapped = fonts.wrap(message, fonts.SANS, BODY, TEXT_W - prefix_w)
                lines = [(prefix if n == 0 else "", line) for n, line in enumerate(wrapped)]
                indent = prefix_w
            for n, (pre, line) in enumerate(lines):
                def draw_finding(canvas: Canvas, top: float, pre: str = pre, line: str = line,
                                 indent: float = indent) -> None:
                    if pre:
                        _text(canvas, pre, MARGIN_X, top - 9.5, font=fonts.BOLD)
                    if line:
                        _text(canvas, line, MARGIN_X + indent, top - 9.5)

                last = n == len(lines) - 1
                blocks.append(Block(LEADING + (3 if last else 0), draw_finding,
                                    keep_with_next=not last and len(lines) <= 8))
    return blocks


# --- index ----------------------------------------------------------------------------------

COLUMNS = (0.0, 0.30, 0.755, 0.86)  # fractions of TEXT_W: type, title, pages, sha256
INDEX_SIZE = 8.5
INDEX_LEADING = 11.0
ROW_PAD = 4.0
HEADER_H = 20.0
TITLE_H = 30.0


@dataclass
class _IndexRow:
    doc: int
    type_lines: list[str]
    title_lines: list[str]
    file_line: str
    height: float


def _column(i: int) -> tuple[float, float]:
    start = MARGIN_X + COLUMNS[i] * TEXT_W
    end = MARGIN_X + (COLUMNS[i + 1] * TEXT_W if i + 1 < len(COLUMNS) else TEXT_W)
    return start, end - start - 8


def _index_rows(documents: Sequence[PackageDocument]) -> list[_IndexRow]:
    rows = []
    _, type_w = _column(0)
    _, title_w = _column(1)
    for i, doc in enumerate(documents):
        type_lines = _clip_lines(fonts.wrap(doc.type_label, fonts.SANS, INDEX_SIZE, type_w),
                                 fonts.SANS, INDEX_SIZE, type_w)
        title_lines = _clip_lines(fonts.wrap(doc.title or doc.file_name, fonts.BOLD, INDEX_SIZE,
                                             title_w), fonts.BOLD, INDEX_SIZE, title_w)
        file_line = ""
        if doc.file_name and doc.file_name != doc.title:
            file_line = fonts.truncate(doc.file_name, fonts.SANS, INDEX_SIZE - 1, title_w)
        lines = max(len(type_lines), len(title_lines) + (1 if file_line else 0), 1)
        rows.append(_IndexRow(i, type_lines, title_lines, file_line,
                              lines * INDEX_LEADING + 2 * ROW_PAD))
    return rows


def _paginate_rows(rows: list[_IndexRow]) -> list[list[_IndexRow]]:
    pages: list[list[_IndexRow]] = [[]]
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


# --- the compliance matrix ("Requirements and where they are met") -------------------------

MATRIX_COLUMNS = (0.0, 0.075, 0.40, 0.49, 0.885)  # rule, documents asked for, source, met by, pages
MAX_MATRIX_DOCS = 8
ENTRY_GAP = 4.0  # between two documents meeting one requirement
MATRIX_TITLE_LINES = 3


@dataclass
class _MatrixEntry:
    """One document meeting a requirement: its title lines (first line carries the pages)."""

    doc: int
    lines: list[str]


@dataclass
class _MatrixRow:
    rule: str
    asked_lines: list[str]
    source_lines: list[str]
    entries: list[_MatrixEntry]
    notes: list[tuple[str, bool]]  # (line, is a problem): status in red, remarks muted
    height: float


def _matrix_column(i: int) -> tuple[float, float]:
    start = MARGIN_X + MATRIX_COLUMNS[i] * TEXT_W
    end = MARGIN_X + (MATRIX_COLUMNS[i + 1] * TEXT_W if i + 1 < len(MATRIX_COLUMNS) else TEXT_W)
    return start, end - start - 6


def _matrix_rows(rows: Sequence[RequirementRow], documents: Sequence[PackageDocument],
                 lang: str) -> list[_MatrixRow]:
    result = []
    _, rule_w = _matrix_column(0)
    _, asked_w = _matrix_column(1)
    _, source_w = _matrix_column(2)
    _, met_w = _matrix_column(3)
    for row in rows:
        asked = _clip_lines(fonts.wrap(row.documents, fonts.SANS, INDEX_SIZE, asked_w),
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
            entries.append(_MatrixEntry(doc, title_lines))
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
        result.append(_MatrixRow(rule, asked, source, entries, notes, height + 2 * ROW_PAD))
    return result


def _paginate_matrix(rows: list[_MatrixRow]) -> list[list[_MatrixRow]]:
    if not rows:
        return []
    pages: list[list[_MatrixRow]] = [[]]
    available = AVAILABLE_H - TITLE_H - HEADER_H
    used = 0.0
    for row in rows:
        if used + row.height > available and pages[-1]:
            pages.append([])
            used = 0.0
        pages[-1].append(row)
        used += row.height
    return pages


def _draw_matrix_page(canvas: Canvas, rows: Sequence[_MatrixRow], *, first: bool, page: int,
                      placements: Sequence[DocumentPlacement], lang: str,
                      links: list[IndexLink]) -> None:
    top = PAGE_H - MARGIN_TOP
    title = (translate("Requirements and where they are met", lang) if first
             else translate("Requirements and where they are met (continued)", lang))
    _text(canvas, fonts.truncate(title, fonts.BOLD, 16, TEXT_W), MARGIN_X, top - 16,
          font=fonts.BOLD, size=16)
    top -= TITLE_H
    headers = (translate("Rule", lang), translate("Documents required", lang),
               translate("Source", lang), translate("Met by", lang), translate("Pages", lang))
    for i, header in enumerate(headers):
        x, w = _matrix_column(i)
        _text(canvas, fonts.truncate(header, fonts.BOLD, INDEX_SIZE, w), x, top - 12,
              font=fonts.BOLD, size=INDEX_SIZE, colour=MUTED)
    top -= HEADER_H
    canvas.setStrokeColorRGB(*MUTED)
    canvas.setLineWidth(0.8)
    canvas.line(MARGIN_X, top + 2, MARGIN_X + TEXT_W, top + 2)
    for k, row in enumerate(rows):
        bottom = top - row.height
        if k % 2 == 1:
            canvas.setFillColorRGB(0.95, 0.95, 0.95)
            canvas.rect(MARGIN_X, bottom, TEXT_W, row.height, stroke=0, fill=1)
        baseline = top - ROW_PAD - 8.5
        x, _ = _matrix_column(0)
        _text(canvas, row.rule, x, baseline, font=fonts.BOLD, size=INDEX_SIZE)
        x, _ = _matrix_column(1)
        for j, line in enumerate(row.asked_lines):
            _text(canvas, line, x, baseline - j * INDEX_LEADING, size=INDEX_SIZE)
        x, _ = _matrix_column(2)
        for j, line in enumerate(row.source_lines):
            _text(canvas, line, x, baseline - j * INDEX_LEADING, size=INDEX_SIZE)
        met_x, _ = _matrix_column(3)
        pages_x, _ = _matrix_column(4)
        drop = 0.0  # from the row's first baseline down
        for number, entry in enumerate(row.entries):
            if number:
                drop += ENTRY_GAP
            entry_top = top - ROW_PAD - drop
            _text(canvas, page_range(placements[entry.doc]), pages_x, baseline - drop,
                  size=INDEX_SIZE)
            for line in entry.lines:
                _text(canvas, line, met_x, baseline - drop, font=fonts.BOLD, size=INDEX_SIZE)
                drop += INDEX_LEADING
            links.append(IndexLink(page, (met_x, top - ROW_PAD - drop - 1, MARGIN_X + TEXT_W,
                                          entry_top + 1), entry.doc))
        for line, problem in row.notes:
            _text(canvas, line, met_x, baseline - drop,
                  font=fonts.BOLD if problem else fonts.SANS, size=INDEX_SIZE,
                  colour=RED_INK if problem else MUTED)
            drop += INDEX_LEADING
        top = bottom
    canvas.showPage()


# --- the whole front matter -----------------------------------------------------------------


@dataclass(frozen=True)
class IndexLink:
    """A clickable index row: on front page ``page`` (0-based), ``rect``, to document ``doc``."""

    page: int
    rect: tuple[float, float, float, float]
    doc: int


@dataclass
class FrontMatterLayout:
    cover_pages: list[list[Block]]
    index_pages: list[list[_IndexRow]]
    totals: _Totals = field(default_factory=_Totals)
    matrix_pages: list[list[_MatrixRow]] = field(default_factory=list)

    @property
    def page_count(self) -> int:
        return len(self.cover_pages) + len(self.matrix_pages) + len(self.index_pages)


def layout_front_matter(cover: CoverSheet, documents: Sequence[PackageDocument], lang: str,
                        draft: bool) -> FrontMatterLayout:
    """Cover and index laid out into pages; page numbers are not needed yet."""
    fonts.register_fonts()
    totals = _Totals()
    cover_pages = paginate(_cover_blocks(cover, lang, draft, len(documents), totals),
                           AVAILABLE_H)
    matrix = _paginate_matrix(_matrix_rows(cover.requirements, documents, lang))
    return FrontMatterLayout(cover_pages, _paginate_rows(_index_rows(documents)), totals, matrix)


def render_front_matter(layout: FrontMatterLayout, documents: Sequence[PackageDocument],
                        placements: Sequence[DocumentPlacement], *, total_pages: int, lang: str,
                        before_save: Callable[[fonts.RawTextEncoder], None]
                        ) -> tuple[bytes, list[IndexLink]]:
    """Draw the laid-out pages; ``before_save`` may encode further text with the same fonts."""
    layout.totals.pages = total_pages
    layout.totals.placements = tuple(placements)
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, pageCompression=1, invariant=1,
                    initialFontName=fonts.SANS, initialFontSize=BODY)
    for blocks in layout.cover_pages:
        top = PAGE_H - MARGIN_TOP
        for block in blocks:
            block.draw(canvas, top)
            top -= block.height
        canvas.showPage()

    links: list[IndexLink] = []
    for n, matrix_rows in enumerate(layout.matrix_pages):
        _draw_matrix_page(canvas, matrix_rows, first=n == 0, page=len(layout.cover_pages) + n,
                          placements=placements, lang=lang, links=links)
    index_start = len(layout.cover_pages) + len(layout.matrix_pages)
    headers = (translate("Document type", lang), translate("Title", lang),
               translate("Pages", lang), translate("SHA-256", lang))
    for n, rows in enumerate(layout.index_pages):
        top = PAGE_H - MARGIN_TOP
        title = (translate("Contents", lang) if n == 0
                 else translate("Contents (continued)", lang))
        _text(canvas, title, MARGIN_X, top - 16, font=fonts.BOLD, size=16)
        top -= TITLE_H
        for i, header in enumerate(headers):
            x, w = _column(i)
            _text(canvas, fonts.truncate(header, fonts.BOLD, INDEX_SIZE, w), x, top - 12,
                  font=fonts.BOLD, size=INDEX_SIZE, colour=MUTED)
        top -= HEADER_H
        canvas.setStrokeColorRGB(*MUTED)
        canvas.setLineWidth(0.8)
        canvas.line(MARGIN_X, top + 2, MARGIN_X + TEXT_W, top + 2)
        for k, row in enumerate(rows):
            bottom = top - row.height
            if k % 2 == 1:
                canvas.setFillColorRGB(0.95, 0.95, 0.95)
                canvas.rect(MARGIN_X, bottom, TEXT_W, row.height, stroke=0, fill=1)
            baseline = top - ROW_PAD - 8.5
            x, _ = _column(0)
            for j, line in enumerate(row.type_lines):
                _text(canvas, line, x, baseline - j * INDEX_LEADING, size=INDEX_SIZE)
            x, _ = _column(1)
            for j, line in enumerate(row.title_lines):
                _text(canvas, line, x, baseline - j * INDEX_LEADING, font=fonts.BOLD,
                      size=INDEX_SIZE)
            if row.file_line:
                _text(canvas, row.file_line, x,
                      baseline - len(row.title_lines) * INDEX_LEADING, size=INDEX_SIZE - 1,
                      colour=MUTED)
            x, _ = _column(2)
            _text(canvas, page_range(placements[row.doc]), x, baseline, size=INDEX_SIZE)
            x, _ = _column(3)
            _text(canvas, documents[row.doc].sha256[:12], x, baseline, font=fonts.MONO,
                  size=INDEX_SIZE)
            links.append(IndexLink(index_start + n,
                                   (MARGIN_X, bottom, MARGIN_X + TEXT_W, top), row.doc))
            top = bottom
        canvas.showPage()

    before_save(fonts.RawTextEncoder(canvas._doc))
    canvas.save()
    return buffer.getvalue(), links
