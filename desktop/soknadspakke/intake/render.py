"""Rendering text files and variable lists as PDF (reportlab, DejaVu fonts).

The output depends only on the content (no file names, dates or language), so a rendered PDF
can be cached by the source's SHA-256, and rendering the same input twice gives the same bytes.
"""

from __future__ import annotations

import io
import textwrap
import threading
from collections.abc import Sequence
from html import escape as _html_escape

from soknadspakke.core.resources import resource_path
from soknadspakke.core.tasks import CancelFn, check_cancel
from soknadspakke.intake.spreadsheet import Sheet

SANS = "SoknadDejaVuSans"
SANS_BOLD = "SoknadDejaVuSans-Bold"
MONO = "SoknadDejaVuSansMono"
_FONT_FILES = {SANS: "DejaVuSans.ttf", SANS_BOLD: "DejaVuSans-Bold.ttf",
               MONO: "DejaVuSansMono.ttf"}
_fonts_lock = threading.Lock()
_fonts_done = False

#: A sheet wider than this many columns is rendered on landscape pages.
LANDSCAPE_COLUMNS = 6
_TICK_COLOUR = "#fff0a0"
_HEADER_COLOUR = "#d9e2ef"


def escape(text: str) -> str:
    """``&``, ``<`` and ``>`` as entities for reportlab's Paragraph markup.

    (``xml.sax.saxutils.escape`` does the same but imports urllib, http and email: 10–20 ms of
    start-up for every command.)
    """
    return _html_escape(text, quote=False)


def register_fonts() -> None:
    """Register the DejaVu fonts shipped in ``resources/fonts`` (once per process)."""
    global _fonts_done  # noqa: PLW0603 - reportlab's font registry is process-wide too
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    with _fonts_lock:
        if _fonts_done:
            return
        for name, file_name in _FONT_FILES.items():
            pdfmetrics.registerFont(TTFont(name, str(resource_path("fonts", file_name))))
        _fonts_done = True


def render_text(text: str, cancel: CancelFn | None = None) -> bytes:
    """Plain text (e.g. a microdata.no script) on A4 pages in a monospaced font.

    Tabs become four spaces; long lines wrap at spaces where possible, continuation lines are
    indented by two spaces.
    """
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfgen import canvas

    register_fonts()
    size, leading, margin = 9.0, 11.5, 18 * mm
    width, height = A4
    columns = max(20, int((width - 2 * margin) / pdfmetrics.stringWidth("M", MONO, size)))
    per_page = max(1, int((height - 2 * margin) / leading))
    lines: list[str] = []
    for source in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = "".join(c if c >= " " or c == "\t" else " " for c in source).expandtabs(4)
        if len(line) <= columns:
            lines.append(line)
            continue
        lines.extend(textwrap.wrap(line, columns, subsequent_indent="  ", drop_whitespace=False,
                                   break_on_hyphens=False) or [""])
    while lines and not lines[-1].strip():
        lines.pop()
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, invariant=1, pageCompression=1)
    for start in range(0, max(len(lines), 1), per_page):
        check_cancel(cancel)
        body = pdf.beginText(margin, height - margin - size)
        body.setFont(MONO, size, leading)
        for line in lines[start:start + per_page]:
            body.textLine(line)
        pdf.drawText(body)
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _column_widths(rows: Sequence[Sequence[str]], columns: int, available: float,
                   font: str, size: float) -> list[float]:
    from reportlab.pdfbase import pdfmetrics

    pad = 6.0
    natural = [24.0] * columns
    longest_word = [0.0] * columns
    for row in rows[:400]:
        for j, cell in enumerate(row[:columns]):
            if not cell:
                continue
            natural[j] = max(natural[j], pdfmetrics.stringWidth(cell[:120], font, size) + pad)
            word = max(cell.split(), key=len, default="")
            longest_word[j] = max(longest_word[j],
                                  pdfmetrics.stringWidth(word[:40], font, size) + pad)
    widths = [min(n, available * 0.45) for n in natural]
    total = sum(widths)
    if total <= available:
        return widths
    # Shrink the columns that wrap, keeping each at least as wide as its longest word (so
    # numbers are never broken), then scale everything if that is still too wide.
    fixed = sum(min(w, lw) for w, lw in zip(widths, longest_word, strict=True))
    flexible = total - fixed
    if flexible > 0 and fixed < available:
        factor = (available - fixed) / flexible
        widths = [min(w, lw) + (w - min(w, lw)) * factor
                  for w, lw in zip(widths, longest_word, strict=True)]
    total = sum(widths)
    if total > available:
        widths = [w * available / total for w in widths]
    return widths


def _table_commands(sheet: Sheet, first: int) -> list[tuple[object, ...]]:
    """The table style of ``sheet`` (body rows from ``first``): grid, padding, the header row
    and the ticked rows highlighted."""
    from reportlab.lib import colors

    commands: list[tuple[object, ...]] = [
        ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#9aa5b1")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    if sheet.header is not None:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor(_HEADER_COLOUR)))
    for index in sorted(sheet.ticked):
        r = index - first
        commands.append(("BACKGROUND", (0, r), (-1, r), colors.HexColor(_TICK_COLOUR)))
    return commands


def render_sheets(sheets: Sequence[Sheet], cancel: CancelFn | None = None) -> bytes:
    """Visible sheets as tables: sheet name, repeated header row, ticked rows highlighted.

    Hidden sheets are left out (the original file goes into the package whole). Pages are
    landscape when a sheet has more than :data:`LANDSCAPE_COLUMNS` columns.
    """
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import (
        PageBreak,
        Paragraph,
        SimpleDocTemplate,
        Spacer,
        Table,
        TableStyle,
    )

    register_fonts()
    visible = [s for s in sheets if not s.hidden]
    wide = any(s.columns > LANDSCAPE_COLUMNS for s in visible)
    pagesize = landscape(A4) if wide else A4
    margin = 12 * mm
    available = pagesize[0] - 2 * margin
    heading = ParagraphStyle("sheet", fontName=SANS_BOLD, fontSize=12, leading=15,
                             spaceAfter=6)
    story: list[object] = []
    for number, sheet in enumerate(visible):
        check_cancel(cancel)
        if number:
            story.append(PageBreak())
        if sheet.name:
            story.append(Paragraph(escape(sheet.name), heading))
        columns = sheet.columns
        if not sheet.rows or columns == 0:
            story.append(Paragraph("—", heading))
            continue
        size = 8.0 if columns <= 10 else (7.0 if columns <= 16 else 6.0)
        cell = ParagraphStyle("cell", fontName=SANS, fontSize=size, leading=size * 1.2,
                              splitLongWords=0)
        bold = ParagraphStyle("bold", parent=cell, fontName=SANS_BOLD)
        first = 0 if sheet.header is None else sheet.header
        for row in sheet.rows[:first]:  # title lines above the header row
            line = " ".join(c for c in row if c.strip())
            if line:
                story.append(Paragraph(escape(line), cell))
        if first:
            story.append(Spacer(1, 4))
        body_rows = sheet.rows[first:]
        data: list[list[object]] = []
        for offset, row in enumerate(body_rows):
            if offset % 500 == 0:
                check_cancel(cancel)
            index = first + offset
            style = bold if (index == sheet.header or index in sheet.ticked) else cell
            data.append([Paragraph(escape(c).replace("\n", "<br/>"), style) if c else ""
                         for c in row])
        widths = _column_widths(body_rows, columns, available, SANS, size)
        commands = _table_commands(sheet, first)
        story.append(Table(data, colWidths=widths, repeatRows=1 if sheet.header is not None
                           else 0, style=TableStyle(commands), hAlign="LEFT"))
    if not story:
        story.append(Paragraph("—", heading))
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=pagesize, leftMargin=margin, rightMargin=margin,
                            topMargin=margin, bottomMargin=margin, invariant=1,
                            pageCompression=1, title="", author="", creator="Søknadspakke")
    doc.build(story)
    return buffer.getvalue()
