"""Application forms: a two-column paper form with filled AcroForm fields, drawn on the
canvas from the blocks of a document's text (see :mod:`examplegen.markup`).

Directives: ``@note`` (``size=``), ``@section TITLE``, ``@fields`` (``lines=``; one row of
``label | name | value | width fraction``, ``\\n`` in a value is a line break),
``@checkboxes`` (``columns=``; ``[x] label | name`` or ``[ ] label | name``), ``@newpage`` and
``@signature SEED`` (place and date, name, role).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph

from examplegen.markup import Block, join_lines
from examplegen.pdf_base import (
    ACCENT,
    BOLD,
    LIGHT,
    MARGIN_X,
    PAGE_H,
    PAGE_W,
    SANS,
    PdfMeta,
    apply_meta,
    draw_footer,
    draw_signature,
    register_fonts,
)


def _latin1(text: str) -> str:
    """ReportLab's form fields use a standard font: keep field values within Latin-1."""
    text.encode("latin-1")
    return text


class FormWriter:
    """Lays out a two-column paper form with AcroForm fields, top to bottom."""

    LEFT = MARGIN_X
    WIDTH = PAGE_W - 2 * MARGIN_X

    def __init__(self, canv: Canvas, heading: str, subheading: str, reference: str,
                 total_pages: int) -> None:
        self.canv = canv
        self.heading, self.subheading = heading, subheading
        self.reference = reference
        self.total_pages = total_pages
        self.page = 1
        self.y = 0.0
        self._start_page()

    def _start_page(self) -> None:
        c = self.canv
        top = PAGE_H - 16 * mm
        c.setFillColor(ACCENT)
        c.rect(self.LEFT, top - 14 * mm, self.WIDTH, 14 * mm, stroke=0, fill=1)
        c.setFillColor(colors.white)
        c.setFont(BOLD, 12.5)
        c.drawString(self.LEFT + 4 * mm, top - 6.3 * mm, self.heading)
        c.setFont(SANS, 8.5)
        c.drawString(self.LEFT + 4 * mm, top - 11.2 * mm, self.subheading)
        c.setFillColor(colors.black)
        self.y = top - 20 * mm
        draw_footer(c, self.page, self.total_pages, self.reference)

    def new_page(self) -> None:
        self.canv.showPage()
        self.page += 1
        self._start_page()

    def section(self, title: str) -> None:
        c = self.canv
        self.y -= 2 * mm
        c.setFillColor(LIGHT)
        c.rect(self.LEFT, self.y - 6 * mm, self.WIDTH, 6 * mm, stroke=0, fill=1)
        c.setFillColor(ACCENT)
        c.setFont(BOLD, 9.5)
        c.drawString(self.LEFT + 2 * mm, self.y - 4.2 * mm, title)
        c.setFillColor(colors.black)
        self.y -= 9 * mm

    def note(self, text: str, size: float = 7.8) -> None:
        style = ParagraphStyle("note", fontName=SANS, fontSize=size, leading=size * 1.3,
                               textColor=colors.Color(0.25, 0.25, 0.25))
        p = Paragraph(text, style)
        _, h = p.wrapOn(self.canv, self.WIDTH, 100 * mm)
        p.drawOn(self.canv, self.LEFT, self.y - h)
        self.y -= h + 2 * mm

    def fields(self, specs: Sequence[tuple[str, str, str, float]], lines: int = 1) -> None:
        """One row of labelled text fields: (label, name, value, width fraction)."""
        c = self.canv
        x = self.LEFT
        gap = 4 * mm
        usable = self.WIDTH - gap * (len(specs) - 1)
        height = 6.5 * mm + (lines - 1) * 4.2 * mm
        for label, name, value, frac in specs:
            w = usable * frac
            c.setFont(SANS, 7.3)
            c.setFillColor(colors.Color(0.2, 0.2, 0.2))
            c.drawString(x, self.y - 2.5 * mm, label)
            c.setFillColor(colors.black)
            text = self._wrap(_latin1(value), w - 3 * mm, 9) if lines > 1 else _latin1(value)
            c.acroForm.textfield(
                name=name, tooltip=label, value=text, x=x, y=self.y - 3.5 * mm - height,
                width=w, height=height, fontName="Helvetica", fontSize=9,
                borderColor=colors.Color(0.55, 0.58, 0.65), fillColor=colors.Color(0.96, 0.97,
                                                                                  1.0),
                textColor=colors.black, borderWidth=0.6, forceBorder=True,
                fieldFlags="multiline" if lines > 1 else "", maxlen=2000,
            )
            x += w + gap
        self.y -= height + 7.5 * mm

    @staticmethod
    def _wrap(text: str, width: float, size: float) -> str:
        out: list[str] = []
        for source in text.split("\n"):
            line = ""
            for word in source.split():
                trial = f"{line} {word}".strip()
                if pdfmetrics.stringWidth(trial, "Helvetica", size) <= width:
                    line = trial
                else:
                    out.append(line)
                    line = word
            out.append(line)
        return "\n".join(out)

    def checkboxes(self, specs: Sequence[tuple[str, str, bool]], columns: int = 2) -> None:
        """Checkboxes with labels: (label, name, checked), laid out in ``columns``."""
        c = self.canv
        col_w = self.WIDTH / columns
        for i, (label, name, checked) in enumerate(specs):
            col = i % columns
            if col == 0 and i:
                self.y -= 6.5 * mm
            x = self.LEFT + col * col_w
            c.acroForm.checkbox(name=name, tooltip=label, checked=checked, x=x,
                                y=self.y - 4.2 * mm, size=9, buttonStyle="cross",
                                borderColor=colors.Color(0.3, 0.3, 0.35), fillColor=colors.white,
                                textColor=colors.black, borderWidth=0.7, fieldFlags="")
            c.setFont(SANS, 8.3)
            c.drawString(x + 5 * mm, self.y - 3.2 * mm, label)
        self.y -= 9 * mm

    def signature(self, place_date: str, name: str, role: str, seed: int) -> None:
        self.fields([("Sted og dato", "underskrift_sted_dato", place_date, 0.35),
                     ("Navn (blokkbokstaver)", "underskrift_navn", name.upper(), 0.65)])
        c = self.canv
        base = self.y - 12 * mm
        draw_signature(c, self.LEFT + 4 * mm, base + 1 * mm, 50 * mm, seed)
        c.setLineWidth(0.5)
        c.line(self.LEFT, base, self.LEFT + 85 * mm, base)
        c.setFont(SANS, 7.3)
        c.drawString(self.LEFT, base - 3.5 * mm, f"Underskrift – {role}")
        self.y = base - 8 * mm


def build_form(draw: Callable[[FormWriter], None], meta: PdfMeta, heading: str,
               subheading: str, pages: int) -> bytes:
    register_fonts()
    buf = io.BytesIO()
    canv = Canvas(buf, pagesize=A4, invariant=1)
    apply_meta(canv, meta)
    writer = FormWriter(canv, heading, subheading, meta.reference, pages)
    draw(writer)
    canv.showPage()
    canv.save()
    if writer.page != pages:
        raise RuntimeError(f"{meta.title}: {writer.page} pages, expected {pages}")
    return buf.getvalue()


# -- blocks ------------------------------------------------------------------------------------


def _fields(f: FormWriter, block: Block) -> None:
    specs = [(label, name, value.replace("\\n", "\n"), float(frac))
             for label, name, value, frac in block.cells()]
    f.fields(specs, lines=int(block.option("lines", "1")))


def _checkboxes(f: FormWriter, block: Block) -> None:
    specs = []
    for line in block.lines:
        mark, label = line[:3], line[4:]
        text, name = label.split(" | ")
        specs.append((text, name, mark == "[x]"))
    f.checkboxes(specs, columns=int(block.option("columns", "2")))


def _signature(f: FormWriter, block: Block) -> None:
    place_date, name, role = block.lines
    f.signature(place_date, name, role, seed=int(block.words[0]))


def _note(f: FormWriter, block: Block) -> None:
    f.note(join_lines(block.lines), size=float(block.option("size", "7.8")))


_DIRECTIVES: dict[str, Callable[[FormWriter, Block], None]] = {
    "note": _note,
    "section": lambda f, b: f.section(b.args),
    "fields": _fields,
    "checkboxes": _checkboxes,
    "signature": _signature,
    "newpage": lambda f, b: f.new_page(),
}


def draw_blocks(blocks: Sequence[Block]) -> Callable[[FormWriter], None]:
    """A function drawing ``blocks`` with a :class:`FormWriter`."""

    def draw(f: FormWriter) -> None:
        for block in blocks:
            if block.kind not in _DIRECTIVES:
                raise ValueError(f"unknown form directive @{block.kind}")
            _DIRECTIVES[block.kind](f, block)

    return draw
