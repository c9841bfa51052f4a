"""Generate the bundled example applications in ``resources/examples/``.

Two complete, synthetic applications (no real personal data, fictional names only):

- ``ny-soknad/``: a new application (form with filled AcroForm fields, protocol with outline,
  SSB variable list, NAV variable overview, DPIA, DPO recommendation, NAV dispensation
  application and a scanned decision, justification for postcode);
- ``endringssoknad/``: a change application (change form, updated DPIA, income variable list,
  microdata.no script, letter about a new project member).

The output is deterministic: running the script twice gives the same bytes. PDFs use
ReportLab's invariant mode with fixed dates and metadata, the JPEG is drawn with Pillow from a
seeded random generator, and the XLSX files are written with fixed properties and repacked with
fixed zip timestamps.

    python tools/make_examples.py            # writes resources/examples/{ny-soknad,endringssoknad}
    python tools/make_examples.py --out DIR  # writes DIR/{ny-soknad,endringssoknad}

Only the two example folders are replaced; ``README.md`` beside them is not touched.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import random
import shutil
import sys
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.writer.excel import ExcelWriter
from PIL import Image, ImageDraw, ImageFilter, ImageFont
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

ROOT = Path(__file__).resolve().parent.parent
FONT_DIR = ROOT / "resources" / "fonts"
DEFAULT_OUT = ROOT / "resources" / "examples"

FOOTER = "SYNTETISK EKSEMPEL – ikke en ekte søknad"
CREATOR = "Søknadspakke tools/make_examples.py (syntetisk eksempel)"

UNIVERSITY = "Eksempeluniversitetet"
DEPARTMENT = "Institutt for samfunnsforskning (fiktivt)"
ORG_NUMBER = "123456785"
ORG_NUMBER_SPACED = "123 456 785"
LEADER = "Kari Nordmann"
LEADER_EMAIL = "kari.nordmann@eksempel.no"
MEMBER = "Ola Nordmann"
DPO_NAME = "Eva Eksempel"

NEW_TITLE = "Utdanningsløp og arbeidsmarkedstilknytning blant unge voksne"
CHANGE_TITLE = "Helse og arbeid gjennom livsløpet"
CHANGE_REF = "2021/0417"

PAGE_W, PAGE_H = A4
MARGIN_X = 22 * mm
GREY = colors.Color(0.45, 0.45, 0.45)
LIGHT = colors.Color(0.92, 0.93, 0.95)
ACCENT = colors.Color(0.13, 0.25, 0.42)


def nb_date(d: date) -> str:
    """A date as Norwegian paperwork writes it: 02.05.2019."""
    return d.strftime("%d.%m.%Y")


# ---------------------------------------------------------------------------------------------
# Fonts and paragraph styles
# ---------------------------------------------------------------------------------------------

SANS, BOLD, MONO = "DejaVuSans", "DejaVuSans-Bold", "DejaVuSansMono"


def register_fonts() -> None:
    if SANS in pdfmetrics.getRegisteredFontNames():
        return
    pdfmetrics.registerFont(TTFont(SANS, str(FONT_DIR / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(BOLD, str(FONT_DIR / "DejaVuSans-Bold.ttf")))
    pdfmetrics.registerFont(TTFont(MONO, str(FONT_DIR / "DejaVuSansMono.ttf")))
    # DejaVu has no oblique face here: <i> falls back to the upright face.
    pdfmetrics.registerFontFamily(SANS, normal=SANS, bold=BOLD, italic=SANS, boldItalic=BOLD)


def _styles() -> dict[str, ParagraphStyle]:
    body = ParagraphStyle("body", fontName=SANS, fontSize=9.5, leading=13.5, spaceAfter=5)
    return {
        "body": body,
        "small": ParagraphStyle("small", parent=body, fontSize=8, leading=10.5, spaceAfter=2),
        "cell": ParagraphStyle("cell", parent=body, fontSize=8.3, leading=10.6, spaceAfter=0),
        "cellb": ParagraphStyle("cellb", parent=body, fontName=BOLD, fontSize=8.3, leading=10.6,
                                spaceAfter=0),
        "right": ParagraphStyle("right", parent=body, alignment=TA_RIGHT, spaceAfter=0),
        "title": ParagraphStyle("title", parent=body, fontName=BOLD, fontSize=15, leading=19,
                                spaceAfter=8, textColor=ACCENT),
        "subject": ParagraphStyle("subject", parent=body, fontName=BOLD, fontSize=11,
                                  leading=14.5, spaceBefore=6, spaceAfter=8),
        "h1": ParagraphStyle("h1", parent=body, fontName=BOLD, fontSize=12.5, leading=16,
                             spaceBefore=10, spaceAfter=5, textColor=ACCENT, keepWithNext=1),
        "h2": ParagraphStyle("h2", parent=body, fontName=BOLD, fontSize=10.5, leading=14,
                             spaceBefore=8, spaceAfter=4, keepWithNext=1),
        "h3": ParagraphStyle("h3", parent=body, fontName=BOLD, fontSize=9.5, leading=13.5,
                             spaceBefore=4, spaceAfter=2, keepWithNext=1),
        "bullet": ParagraphStyle("bullet", parent=body, leftIndent=14, bulletIndent=4,
                                 spaceAfter=3),
    }


# ---------------------------------------------------------------------------------------------
# PDF documents built with platypus: letterhead, footer, page numbers, outline
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sender:
    """Who a document comes from, drawn as the letterhead on the first page."""

    name: str
    unit: str
    address: tuple[str, ...]


UNI_SENDER = Sender(UNIVERSITY, DEPARTMENT,
                    ("Postboks 1 Eksempelby", "9999 Eksempelby", "postmottak@eksempel.no",
                     f"Org.nr. {ORG_NUMBER_SPACED}"))
DPO_SENDER = Sender(UNIVERSITY, "Personvernombudet",
                    ("Postboks 1 Eksempelby", "9999 Eksempelby", "personvernombud@eksempel.no",
                     f"Org.nr. {ORG_NUMBER_SPACED}"))


@dataclass(frozen=True)
class PdfMeta:
    title: str
    subject: str
    author: str
    when: date
    reference: str = ""
    keywords: str = "syntetisk eksempel; Søknadspakke"


def _pdf_date(when: date) -> str:
    return f"D:{when:%Y%m%d}120000+01'00'"


def _apply_meta(canv: Canvas, meta: PdfMeta) -> None:
    canv.setTitle(meta.title)
    canv.setSubject(meta.subject)
    canv.setAuthor(meta.author)
    canv.setCreator(CREATOR)
    canv.setKeywords(meta.keywords)
    stamp = _pdf_date(meta.when)
    canv.setDateFormatter(lambda *_args: stamp)


def _draw_footer(canv: Canvas, page: int, total: int, reference: str) -> None:
    canv.saveState()
    canv.setStrokeColor(GREY)
    canv.setLineWidth(0.4)
    canv.line(MARGIN_X, 16 * mm, PAGE_W - MARGIN_X, 16 * mm)
    canv.setFillColor(GREY)
    canv.setFont(SANS, 6.5)
    canv.drawString(MARGIN_X, 12 * mm, FOOTER)
    if reference:
        canv.drawCentredString(PAGE_W / 2, 12 * mm, reference)
    canv.setFont(SANS, 7.5)
    canv.drawRightString(PAGE_W - MARGIN_X, 12 * mm,
                         f"Side {page} av {total}" if total else f"Side {page}")
    canv.restoreState()


def _draw_letterhead(canv: Canvas, sender: Sender) -> None:
    canv.saveState()
    top = PAGE_H - 18 * mm
    # A simple emblem: a filled square with the initial, then the name.
    canv.setFillColor(ACCENT)
    canv.rect(MARGIN_X, top - 11 * mm, 11 * mm, 11 * mm, stroke=0, fill=1)
    canv.setFillColor(colors.white)
    canv.setFont(BOLD, 18)
    canv.drawCentredString(MARGIN_X + 5.5 * mm, top - 8.3 * mm, sender.name[0])
    canv.setFillColor(ACCENT)
    canv.setFont(BOLD, 14)
    canv.drawString(MARGIN_X + 14 * mm, top - 4.5 * mm, sender.name)
    canv.setFillColor(colors.black)
    canv.setFont(SANS, 9)
    canv.drawString(MARGIN_X + 14 * mm, top - 10 * mm, sender.unit)
    canv.setFont(SANS, 7.5)
    canv.setFillColor(GREY)
    y = top - 2.5 * mm
    for line in sender.address:
        canv.drawRightString(PAGE_W - MARGIN_X, y, line)
        y -= 3.4 * mm
    canv.setStrokeColor(ACCENT)
    canv.setLineWidth(0.8)
    canv.line(MARGIN_X, top - 15 * mm, PAGE_W - MARGIN_X, top - 15 * mm)
    canv.restoreState()


def _draw_running_header(canv: Canvas, sender: Sender | None, title: str) -> None:
    canv.saveState()
    canv.setFont(SANS, 7.5)
    canv.setFillColor(GREY)
    y = PAGE_H - 14 * mm
    left = f"{sender.name} – {sender.unit}" if sender is not None else ""
    canv.drawString(MARGIN_X, y, left)
    room = PAGE_W - 2 * MARGIN_X - canv.stringWidth(left, SANS, 7.5) - 8 * mm
    if canv.stringWidth(title, SANS, 7.5) > room:
        while canv.stringWidth(title + " …", SANS, 7.5) > room:
            title = title[:-1]
        title = title.rstrip() + " …"
    canv.drawRightString(PAGE_W - MARGIN_X, y, title)
    canv.setStrokeColor(GREY)
    canv.setLineWidth(0.3)
    canv.line(MARGIN_X, y - 2 * mm, PAGE_W - MARGIN_X, y - 2 * mm)
    canv.restoreState()


class _ExampleDoc(BaseDocTemplate):  # type: ignore[misc]  # ReportLab is untyped
    """A4 document with letterhead, running header, footer and an outline from headings."""

    def __init__(self, buf: io.BytesIO, meta: PdfMeta, sender: Sender | None,
                 total_pages: int, outline_styles: dict[str, int]) -> None:
        super().__init__(buf, pagesize=A4, invariant=1, title=meta.title, author=meta.author,
                         subject=meta.subject, creator=CREATOR, keywords=meta.keywords,
                         leftMargin=MARGIN_X, rightMargin=MARGIN_X, topMargin=20 * mm,
                         bottomMargin=22 * mm)
        self.meta = meta
        self.sender = sender
        self.total_pages = total_pages
        self.outline_styles = outline_styles
        self._bookmark_seq = 0
        first_top = 40 * mm if sender is not None else 22 * mm
        width = PAGE_W - 2 * MARGIN_X
        first = Frame(MARGIN_X, 22 * mm, width, PAGE_H - first_top - 22 * mm, id="first",
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        later = Frame(MARGIN_X, 22 * mm, width, PAGE_H - 22 * mm - 22 * mm, id="later",
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        self.addPageTemplates([
            PageTemplate(id="First", frames=[first], onPage=self._on_page,
                         autoNextPageTemplate="Later"),
            PageTemplate(id="Later", frames=[later], onPage=self._on_page,
                         autoNextPageTemplate="Later"),
        ])

    def _on_page(self, canv: Canvas, doc: BaseDocTemplate) -> None:
        if doc.page == 1:
            _apply_meta(canv, self.meta)
            if self.sender is not None:
                _draw_letterhead(canv, self.sender)
        else:
            _draw_running_header(canv, self.sender, self.meta.title)
        _draw_footer(canv, doc.page, self.total_pages, self.meta.reference)

    def afterFlowable(self, flowable: Flowable) -> None:  # noqa: N802 (ReportLab's hook name)
        if not isinstance(flowable, Paragraph):
            return
        level = self.outline_styles.get(flowable.style.name)
        if level is None:
            return
        self._bookmark_seq += 1
        key = f"h{self._bookmark_seq}"
        self.canv.bookmarkPage(key)
        self.canv.addOutlineEntry(flowable.getPlainText(), key, level=level, closed=False)
        if self.outline_styles:
            self.canv.showOutline()


def build_pdf(story: Callable[[], list[Flowable]], meta: PdfMeta, *,
              sender: Sender | None = UNI_SENDER, outline: bool = False,
              expect_pages: int | None = None) -> bytes:
    """Lay out ``story`` twice (the second time knowing the page count) and return the PDF."""
    register_fonts()
    outline_styles = {"h1": 0, "h2": 1} if outline else {}
    total = 0
    data = b""
    for _ in range(2):
        buf = io.BytesIO()
        doc = _ExampleDoc(buf, meta, sender, total, outline_styles)
        doc.build(story())
        total = doc.page
        data = buf.getvalue()
    if expect_pages is not None and total != expect_pages:
        raise RuntimeError(f"{meta.title}: {total} pages, expected {expect_pages}")
    return data


class Signature(Flowable):  # type: ignore[misc]  # ReportLab is untyped
    """A drawn (deterministic) signature above a line, with name and role below."""

    def __init__(self, name: str, role: str, place_date: str = "", seed: int = 1) -> None:
        super().__init__()
        self.name, self.role, self.place_date, self.seed = name, role, place_date, seed
        self.width, self.height = 75 * mm, 24 * mm

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        return self.width, self.height

    def draw(self) -> None:
        canv = self.canv
        draw_signature(canv, 2 * mm, 11 * mm, 48 * mm, self.seed)
        canv.setStrokeColor(colors.black)
        canv.setLineWidth(0.5)
        canv.line(0, 10 * mm, 70 * mm, 10 * mm)
        canv.setFont(SANS, 8.5)
        canv.drawString(0, 6.3 * mm, self.name)
        canv.setFont(SANS, 7.5)
        canv.setFillColor(GREY)
        canv.drawString(0, 3 * mm, self.role)
        if self.place_date:
            canv.drawString(0, 0, self.place_date)


def draw_signature(canv: Canvas, x: float, y: float, width: float, seed: int) -> None:
    """A handwriting-like flourish made of Bézier curves from a seeded generator."""
    rng = random.Random(seed)
    canv.saveState()
    canv.setStrokeColor(colors.Color(0.08, 0.12, 0.45))
    canv.setLineWidth(0.9)
    canv.setLineCap(1)
    path = canv.beginPath()
    px, py = x, y + 3 * mm
    path.moveTo(px, py)
    step = width / 7
    for i in range(7):
        nx = px + step
        ny = y + rng.uniform(1.0, 6.0) * mm
        amp = rng.uniform(4.0, 9.0) * mm * (1 if i % 2 == 0 else -1)
        path.curveTo(px + step * 0.3, py + amp, nx - step * 0.3, ny - amp, nx, ny)
        px, py = nx, ny
    canv.drawPath(path, stroke=1, fill=0)
    canv.line(x + 0.1 * width, y + 0.5 * mm, x + 0.9 * width, y + 1.5 * mm)
    canv.restoreState()


# -- story helpers ------------------------------------------------------------------------------


def para(text: str, style: str = "body") -> Paragraph:
    return Paragraph(text, _styles()[style])


def bullets(items: Sequence[str], numbered: bool = False) -> list[Flowable]:
    style = _styles()["bullet"]
    out: list[Flowable] = []
    for i, item in enumerate(items, start=1):
        out.append(Paragraph(item, style, bulletText=f"{i}." if numbered else "•"))
    return out


def table(rows: Sequence[Sequence[str]], widths: Sequence[float], *, header: bool = True,
          label_col: bool = False) -> Table:
    """A grid table whose cells are paragraphs; the first row is a header when ``header``."""
    st = _styles()
    data = []
    for r, row in enumerate(rows):
        cells = []
        for c, text in enumerate(row):
            bold = (header and r == 0) or (label_col and c == 0)
            cells.append(Paragraph(text, st["cellb"] if bold else st["cell"]))
        data.append(cells)
    tbl = Table(data, colWidths=list(widths), repeatRows=1 if header else 0)
    cmds: list[tuple[Any, ...]] = [
        ("GRID", (0, 0), (-1, -1), 0.4, GREY),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    if header:
        cmds.append(("BACKGROUND", (0, 0), (-1, 0), LIGHT))
    if label_col:
        cmds.append(("BACKGROUND", (0, 0), (0, -1), LIGHT))
    tbl.setStyle(TableStyle(cmds))
    return tbl


def letter_head_block(recipient: Sequence[str], refs: Sequence[tuple[str, str]]) -> Table:
    """Recipient address on the left, references and date on the right."""
    st = _styles()
    left = Paragraph("<br/>".join(recipient), st["body"])
    right = Paragraph("<br/>".join(f"<b>{k}:</b> {v}" for k, v in refs), st["right"])
    tbl = Table([[left, right]], colWidths=[95 * mm, PAGE_W - 2 * MARGIN_X - 95 * mm])
    tbl.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                             ("LEFTPADDING", (0, 0), (-1, -1), 0),
                             ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    return tbl


ELECTRONIC = ("Dokumentet er elektronisk godkjent og har derfor ingen håndskrevne "
              "signaturer.")


# ---------------------------------------------------------------------------------------------
# AcroForm application forms (drawn directly on the canvas)
# ---------------------------------------------------------------------------------------------


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
        _draw_footer(c, self.page, self.total_pages, self.reference)

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
    _apply_meta(canv, meta)
    writer = FormWriter(canv, heading, subheading, meta.reference, pages)
    draw(writer)
    canv.showPage()
    canv.save()
    if writer.page != pages:
        raise RuntimeError(f"{meta.title}: {writer.page} pages, expected {pages}")
    return buf.getvalue()


# ---------------------------------------------------------------------------------------------
# XLSX variable lists
# ---------------------------------------------------------------------------------------------

XLSX_TIME = (2024, 11, 12, 9, 30, 0)


@dataclass(frozen=True)
class VariableSheet:
    title: str
    heading: str
    rows: tuple[tuple[bool, str, str, str], ...]


def build_variable_list(sheets: Sequence[VariableSheet], doc_title: str, created: datetime,
                        modified: datetime) -> bytes:
    """An SSB-style variable list: one sheet per subject area, ticked rows marked "x"."""
    wb = Workbook()
    first = True
    thin = Side(style="thin", color="A0A0A0")
    for spec in sheets:
        ws = wb.active if first else wb.create_sheet()
        assert ws is not None
        first = False
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
        ws.oddHeader.center.text = spec.heading
        ws.oddHeader.center.size = 9
        ws.oddFooter.left.text = FOOTER
        ws.oddFooter.left.size = 7
        ws.oddFooter.right.text = "Side &P av &N"
        ws.oddFooter.right.size = 7
        ws.page_setup.orientation = "landscape"
        ws.page_setup.fitToWidth = 1
        ws.print_title_rows = "1:1"
    props = wb.properties
    props.title = doc_title
    props.subject = FOOTER
    props.creator = "Statistisk sentralbyrå (mal, syntetisk eksempel)"
    props.lastModifiedBy = LEADER
    props.created = created
    props.modified = modified
    props.description = FOOTER
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        # ExcelWriter directly: openpyxl's save_workbook() would stamp "modified" with now().
        ExcelWriter(wb, archive).save()
    return normalize_zip(buf.getvalue())


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


# ---------------------------------------------------------------------------------------------
# A scanned letter (JPEG) drawn with Pillow
# ---------------------------------------------------------------------------------------------

SCAN_DPI = 150
SCAN_W, SCAN_H = 1240, 1754  # A4 at 150 dpi


class _Page:
    """A minimal text layout on a Pillow image (pixels at 150 dpi)."""

    def __init__(self) -> None:
        self.img = Image.new("L", (SCAN_W, SCAN_H), 255)
        self.draw = ImageDraw.Draw(self.img)
        self.left, self.right = 150, SCAN_W - 150
        self.y = 130
        self._fonts: dict[tuple[str, int], ImageFont.FreeTypeFont] = {}

    def font(self, bold: bool, size: int) -> ImageFont.FreeTypeFont:
        key = ("b" if bold else "r", size)
        if key not in self._fonts:
            name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
            self._fonts[key] = ImageFont.truetype(str(FONT_DIR / name), size)
        return self._fonts[key]

    def text(self, text: str, *, size: int = 20, bold: bool = False, x: int | None = None,
             fill: int = 20, gap: int = 8, indent: int = 0) -> None:
        font = self.font(bold, size)
        left = (self.left if x is None else x) + indent
        width = self.right - left
        for source in text.split("\n"):
            line = ""
            for word in source.split(" "):
                trial = f"{line} {word}".strip()
                if self.draw.textlength(trial, font=font) <= width:
                    line = trial
                else:
                    self.draw.text((left, self.y), line, font=font, fill=fill)
                    self.y += size + gap
                    line = word
            self.draw.text((left, self.y), line, font=font, fill=fill)
            self.y += size + gap

    def right_text(self, text: str, y: int, *, size: int = 17, fill: int = 60) -> None:
        font = self.font(False, size)
        w = self.draw.textlength(text, font=font)
        self.draw.text((self.right - w, y), text, font=font, fill=fill)

    def space(self, px: int) -> None:
        self.y += px


def build_scanned_decision() -> bytes:
    """The NAV dispensation decision as a slightly skewed, noisy grayscale scan (JPEG)."""
    page = _Page()
    d = page.draw
    # Letterhead
    page.text("Arbeids- og velferdsdirektoratet", size=28, bold=True, fill=15, gap=10)
    page.text("Fiktiv avsender for syntetisk eksempel", size=17, fill=70)
    for i, line in enumerate(("Postboks 0 Eksempelby", "9999 Eksempelby",
                              "nav.eksempel@eksempel.no")):
        page.right_text(line, 132 + i * 24)
    d.line((page.left, 220, page.right, 220), fill=40, width=3)
    page.y = 265
    for line in ("Eksempeluniversitetet", DEPARTMENT, f"v/ {LEADER}", "Postboks 1 Eksempelby",
                 "9999 EKSEMPELBY"):
        page.text(line, size=20, gap=6)
    refs = ("Deres ref.: KN/2019-06", "Vår ref.: 19/04711-3", "Dato: 20.09.2019")
    for i, line in enumerate(refs):
        page.right_text(line, 265 + i * 27, size=19, fill=25)
    page.space(34)
    page.text("Vedtak om dispensasjon fra taushetsplikt – forskningsprosjektet "
              f"«{NEW_TITLE}»", size=23, bold=True, gap=8)
    page.space(10)
    body = [
        "Vi viser til søknad datert 14.06.2019 om dispensasjon fra taushetsplikt for "
        "opplysninger fra Arbeids- og velferdsetaten til forskningsprosjektet nevnt over, med "
        f"{UNIVERSITY} som behandlingsansvarlig og {LEADER} som prosjektleder.",
        "Arbeids- og velferdsdirektoratet har vurdert søknaden og gir med hjemmel i "
        "forvaltningsloven § 13 d, jf. NAV-loven § 7, dispensasjon fra taushetsplikt for "
        "utlevering av opplysningene som er beskrevet i søknadens variabeloversikt. Vi legger "
        "til grunn at prosjektet er tilrådd av personvernombudet 02.05.2019 og at "
        "opplysningene er nødvendige for å besvare prosjektets problemstillinger.",
    ]
    for p in body:
        page.text(p, size=20, gap=8)
        page.space(10)
    page.text("Vilkår", size=21, bold=True)
    conditions = [
        "Opplysningene leveres til Statistisk sentralbyrå, som kobler dem med prosjektets "
        "øvrige registerdata. Prosjektet mottar bare data der fødselsnummer er erstattet "
        "med løpenummer.",
        "Opplysningene skal bare brukes til formålet som er beskrevet i søknaden.",
        "Resultater skal publiseres slik at enkeltpersoner ikke kan identifiseres.",
        "Dispensasjonen gjelder til 31.12.2029. Opplysningene skal da slettes eller "
        "anonymiseres.",
    ]
    for i, item in enumerate(conditions, start=1):
        top = page.y
        page.draw.text((page.left + 6, top), f"{i}.", font=page.font(False, 20), fill=20)
        page.text(item, size=20, gap=8, indent=36)
        page.space(4)
    page.space(8)
    page.text("Klageadgang", size=21, bold=True)
    page.text("Vedtaket kan påklages innen tre uker fra det er mottatt, jf. forvaltningsloven "
              "§ 29. En eventuell klage sendes til Arbeids- og velferdsdirektoratet.", size=20)
    page.space(26)
    page.text("Med vennlig hilsen", size=20)
    page.space(20)
    sig_y = page.y
    page.text("Nils Nordmann", size=20, gap=4)
    page.text("seksjonssjef", size=18, fill=70)
    page.y = sig_y
    page.text("Eva Eksempelsen", size=20, gap=4, x=650)
    page.text("rådgiver", size=18, fill=70, x=650)
    page.space(18)
    page.text(ELECTRONIC, size=17, fill=70)
    page.text("Kopi: Statistisk sentralbyrå, Mikrodatatjenesten", size=17, fill=70)
    # Received stamp, as added by the university's post room, in the free space below.
    stamp = Image.new("L", (340, 116), 0)
    sd = ImageDraw.Draw(stamp)
    sd.rectangle((3, 3, 336, 112), outline=255, width=4)
    sd.text((170, 34), "MOTTATT", font=page.font(True, 30), fill=255, anchor="mm")
    sd.text((170, 80), "24. SEPT. 2019", font=page.font(False, 24), fill=255, anchor="mm")
    stamp = stamp.rotate(6, resample=Image.Resampling.BICUBIC, expand=True)
    page.img.paste(110, (760, page.y + 50), stamp)
    # Footer
    footer_font = page.font(False, 14)
    d.line((page.left, SCAN_H - 120, page.right, SCAN_H - 120), fill=120, width=1)
    d.text((page.left, SCAN_H - 108), FOOTER, font=footer_font, fill=90)
    w = d.textlength("Side 1 av 1", font=page.font(False, 15))
    d.text((page.right - w, SCAN_H - 108), "Side 1 av 1", font=page.font(False, 15), fill=60)
    return _scan_effect(page.img)


def _scan_effect(img: Image.Image) -> bytes:
    """Paper tone, a little skew, blur and seeded noise, then JPEG with EXIF orientation 1."""
    rng = random.Random(20190920)
    toned = img.point(lambda v: 28 + v * (238 - 28) // 255)
    skewed = toned.rotate(-0.35, resample=Image.Resampling.BICUBIC, fillcolor=238)
    soft = skewed.filter(ImageFilter.GaussianBlur(0.6))
    # Low-frequency noise (drawn small, scaled up) keeps the JPEG small but looks scanned.
    nw, nh = SCAN_W // 4, SCAN_H // 4
    noise = Image.frombytes("L", (nw, nh), bytes(rng.randrange(118, 138) for _ in range(nw * nh)))
    noise = noise.resize((SCAN_W, SCAN_H), Image.Resampling.BILINEAR)
    mixed = Image.blend(soft, noise, 0.06)
    # A few dust specks.
    draw = ImageDraw.Draw(mixed)
    for _ in range(40):
        x, y = rng.randrange(SCAN_W), rng.randrange(SCAN_H)
        r = rng.choice((1, 1, 2))
        draw.ellipse((x, y, x + r, y + r), fill=rng.randrange(90, 170))
    # Darker scanner edge along the left side.
    draw.rectangle((0, 0, 5, SCAN_H), fill=150)
    exif = Image.Exif()
    exif[0x0112] = 1  # Orientation: normal
    exif[0x0131] = "Eksempelskanner 1.0 (syntetisk)"  # Software
    exif[0x0132] = "2019:09:24 09:12:00"  # DateTime
    out = io.BytesIO()
    mixed.save(out, format="JPEG", quality=72, optimize=True, dpi=(SCAN_DPI, SCAN_DPI),
               exif=exif.tobytes())
    return out.getvalue()


# ---------------------------------------------------------------------------------------------
# The examples
# ---------------------------------------------------------------------------------------------


@dataclass
class DocSpec:
    path: str
    types: list[str]
    title: str
    build: Callable[[], bytes]
    data_owner: str | None = None
    valid_until: str | None = None
    updated_for_this_change: bool = False


@dataclass
class Example:
    folder: str
    project: dict[str, str]
    answers: dict[str, Any]
    documents: list[DocSpec] = field(default_factory=list)


# ---- ny-soknad ---------------------------------------------------------------------------------


def new_form() -> bytes:
    def draw(f: FormWriter) -> None:
        f.note("Skjemaet fylles ut av prosjektleder og sendes med alle vedlegg til "
               "mikrodata@ssb.no. Søknaden behandles først når den er komplett. Alle "
               "godkjenninger må dekke dataene det søkes om.")
        f.section("1  Prosjektet")
        f.fields([("Prosjekttittel", "prosjekttittel", NEW_TITLE, 1.0)])
        f.fields([("Prosjektperiode fra", "periode_fra", "01.01.2025", 0.3),
                  ("Prosjektperiode til", "periode_til", "31.12.2029", 0.3),
                  ("SSB-referanse (ved tidligere søknad)", "ssb_referanse", "", 0.4)])
        f.fields([("Kort beskrivelse av formålet", "formaal",
                   "Prosjektet undersøker hvordan utdanningsløp i videregående og høyere "
                   "utdanning henger sammen med tilknytning til arbeidslivet blant unge voksne "
                   "født 1990-1999, og hvilken betydning bosted og NAV-tiltak har for "
                   "overgangen fra utdanning til arbeid. Se vedlagt forskningsprotokoll.", 1.0)],
                 lines=4)
        f.section("2  Ansvarlig institusjon (behandlingsansvarlig)")
        f.fields([("Institusjon", "institusjon", UNIVERSITY, 0.65),
                  ("Organisasjonsnummer", "org_nr", ORG_NUMBER, 0.35)])
        f.fields([("Enhet / institutt", "enhet", DEPARTMENT, 1.0)])
        f.checkboxes([("Godkjent forskningsinstitusjon", "godkjent_institusjon", True),
                      ("Ikke godkjent – avtale med NFR/FoU vedlagt", "unntak_avtale", False)])
        f.section("3  Prosjektleder")
        f.fields([("Navn", "prosjektleder", LEADER, 0.4),
                  ("Stilling", "stilling", "Professor", 0.25),
                  ("E-post", "epost", LEADER_EMAIL, 0.35)])
        f.section("4  Personopplysninger og behandlingsgrunnlag")
        f.checkboxes([("Prosjektet behandler personopplysninger", "personopplysninger", True),
                      ("Helseforskningsprosjekt (REK-godkjenning)", "helseforskning", False)])
        f.fields([("Dato for behandlingsgrunnlag", "grunnlag_dato", "02.05.2019", 0.3),
                  ("Behandlingsgrunnlaget er gitt av", "grunnlag_type",
                   "Personvernombudet ved Eksempeluniversitetet (tilrådning)", 0.7)])
        f.checkboxes([("DPIA vedlagt", "dpia_vedlagt", True),
                      ("Negativ DPIA vedlagt", "negativ_dpia", False),
                      ("Samtykkebaserte data", "samtykke", False)])
        f.new_page()
        f.section("5  Data det søkes om")
        f.checkboxes([("Data fra SSB – variabelliste vedlagt", "ssb_data", True),
                      ("Data fra andre dataeiere", "andre_dataeiere", True)])
        f.fields([("Andre dataeiere (dispensasjon fra taushetsplikt vedlagt)", "dataeiere",
                   "NAV (Arbeids- og velferdsdirektoratet)", 1.0)])
        f.note("<b>Identifiserende variabler.</b> Kryss av dersom prosjektet ber om noen av "
               "variablene under. Begrunnelse skal legges ved i eget vedlegg.")
        f.checkboxes([("Grunnkrets", "grunnkrets", False),
                      ("Postnummer", "postnummer", True),
                      ("Full fødselsdato", "full_fodselsdato", False),
                      ("Full dødsdato", "full_dodsdato", False)], columns=4)
        f.fields([("Populasjon", "populasjon",
                   "Personer født 1990-1999 bosatt i Norge ved fylte 16 år", 0.7),
                  ("Årganger", "aarganger", "2006-2024", 0.3)])
        f.section("6  Vedlegg")
        f.note("<br/>".join([
            "1. Søknadsskjema (dette dokumentet)",
            "2. Forskningsprotokoll, versjon 1.2 av 15.11.2024",
            "3. Variabelliste fra SSB – befolkning og utdanning (XLSX)",
            "4. Oversikt over variabler fra NAV",
            "5. Personvernkonsekvensvurdering (DPIA), versjon 1.1",
            "6. Tilrådning fra personvernombudet av 02.05.2019",
            "7. Søknad til NAV om dispensasjon fra taushetsplikt av 14.06.2019",
            "8. Vedtak fra NAV om dispensasjon fra taushetsplikt av 20.09.2019",
            "9. Begrunnelse for bruk av postnummer",
        ]), size=8.3)
        f.section("7  Erklæring og underskrift")
        f.note("Jeg bekrefter at opplysningene i søknaden er riktige, at prosjektet bare vil "
               "be om variabler det har behandlingsgrunnlag for, og at data vil bli behandlet "
               "i samsvar med vilkårene fra SSB og de andre dataeierne.", size=8.3)
        f.checkboxes([("Jeg har lest og godtar vilkårene for lån av mikrodata",
                       "godtar_vilkaar", True)], columns=1)
        f.signature("Eksempelby, 15.11.2024", LEADER, "prosjektleder", seed=11)

    return build_form(draw, PdfMeta("Søknad om lån av mikrodata – ny søknad",
                                    "Søknadsskjema (ny søknad)", LEADER, date(2024, 11, 15),
                                    "Søknadsskjema – ny søknad"),
                      "Søknad om lån av mikrodata fra SSB – ny søknad",
                      "Søknadsskjema for forskningsprosjekter · sendes til mikrodata@ssb.no",
                      pages=2)


def new_protocol() -> bytes:
    def story() -> list[Flowable]:
        s: list[Flowable] = [
            para("Forskningsprotokoll", "small"),
            para(NEW_TITLE, "title"),
            table([
                ["Prosjektleder", f"{LEADER}, professor, {DEPARTMENT}"],
                ["Ansvarlig institusjon", f"{UNIVERSITY} (org.nr. {ORG_NUMBER_SPACED})"],
                ["Prosjektperiode", "01.01.2025–31.12.2029"],
                ["Finansiering", "Interne forskningsmidler ved Eksempeluniversitetet (fiktivt)"],
                ["Versjon", "1.2 av 15.11.2024"],
            ], [45 * mm, 121 * mm], header=False, label_col=True),
            Spacer(1, 5 * mm),
            para("Sammendrag", "h3"),
            para("Overgangen fra utdanning til arbeid er en kritisk fase i livsløpet. Unge "
                 "som ikke fullfører videregående opplæring, har over tid svakere "
                 "tilknytning til arbeidslivet enn andre, men vi vet mindre om hvordan "
                 "brudd, omvalg og forsinkelser i utdanningsløpet henger sammen med senere "
                 "arbeidsmarkedstilknytning, og hvilken rolle bosted og arbeidsrettede tiltak "
                 "spiller. Prosjektet bruker registerdata fra SSB og NAV for alle personer født "
                 "1990–1999 og følger dem fra de fyller 16 år til og med 2024."),
            para("Bakgrunn", "h1"),
            para("Norsk og internasjonal forskning viser at frafall fra videregående opplæring "
                 "er forbundet med lavere sysselsetting, lavere inntekt og høyere bruk av "
                 "helse- og velferdsytelser. Samtidig har utdanningsløpene blitt mer "
                 "sammensatte: mange tar omveier via påbygg, fagbrev som voksne eller "
                 "høyere utdanning etter en periode i arbeid. Tradisjonelle mål som «fullført "
                 "innen fem år» fanger i liten grad opp denne variasjonen."),
            para("Tidligere studier har i hovedsak sett på utfall på ett bestemt tidspunkt. "
                 "Dette prosjektet ser hele forløp under ett og undersøker hvordan "
                 "utdanningsløp, perioder med ytelser og deltakelse i arbeidsmarkedstiltak "
                 "henger sammen over tid. Lokale arbeidsmarkeder og nabolag kan ha betydning "
                 "for hvilke muligheter unge har, og prosjektet trenger derfor opplysninger om "
                 "bosted på et lavere geografisk nivå enn kommune (se eget vedlegg om "
                 "postnummer)."),
            para("Prosjektet bygger på arbeid i forskergruppen for arbeid og velferd ved "
                 "instituttet og skal gi kunnskap som er relevant for skolesektoren, NAV og "
                 "kommunene. Resultatene vil også inngå i undervisning på masternivå."),
            PageBreak(),
            para("Problemstillinger", "h1"),
            para("Prosjektets overordnede spørsmål er hvordan ulike utdanningsløp henger "
                 "sammen med tilknytning til arbeidslivet blant unge voksne. Vi har fire "
                 "delproblemstillinger:"),
            *bullets([
                "Hvilke typiske utdanningsløp finnes blant personer født 1990–1999, og "
                "hvordan varierer de etter kjønn, innvandringsbakgrunn og foreldres "
                "utdanning?",
                "Hvordan henger brudd, omvalg og forsinkelser i utdanningsløpet sammen med "
                "sysselsetting og mottak av ytelser ved 25 og 30 års alder?",
                "Har deltakelse i arbeidsmarkedstiltak og oppfølging fra NAV betydning for "
                "overgangen til arbeid for unge uten fullført videregående opplæring?",
                "I hvilken grad varierer sammenhengene mellom nabolag og lokale "
                "arbeidsmarkeder, målt ved postnummerområde og kommune?",
            ], numbered=True),
            para("Vi forventer at forsinkede, men fullførte løp gir en tilknytning til "
                 "arbeidslivet som ligner på normerte løp, mens varige brudd uten senere "
                 "kompetanseheving gir økt risiko for langvarig ytelsesmottak. Vi forventer "
                 "også at effekten av tiltak avhenger av lokale arbeidsmarkedsforhold."),
            para("Forventet nytte", "h3"),
            para("Resultatene kan bidra til bedre målretting av tiltak for unge som står i "
                 "fare for å falle utenfor arbeidslivet, og til bedre indikatorer for "
                 "gjennomføring i utdanningssystemet. Prosjektet gir ikke grunnlag for "
                 "beslutninger om enkeltpersoner."),
            para("Avgrensning", "h3"),
            para("Prosjektet studerer ikke helse, og det bruker ikke opplysninger om "
                 "diagnoser, sykefravær eller helsetjenester. Prosjektet omfatter heller ikke "
                 "personer som innvandret etter fylte 16 år, fordi utdanningsløpet deres i "
                 "hovedsak ikke er registrert i Norge. Foreldres utdanning brukes bare som "
                 "bakgrunnsvariabel og hentes via anonyme løpenumre i befolkningsdataene."),
            PageBreak(),
            para("Data og metode", "h1"),
            para("Prosjektet er en registerbasert kohortstudie. Populasjonen er alle personer "
                 "født 1990–1999 som var bosatt i Norge 1. januar det året de fylte 16 år, om "
                 "lag 600 000 personer. Personene følges årlig fra 16 års alder til og med "
                 "2024. Prosjektet har ingen kontakt med personene i utvalget."),
            para("Registerdata", "h2"),
            para("Data fra SSB og NAV kobles av SSB. Prosjektet mottar en avidentifisert fil der "
                 "fødselsnummer er erstattet med et prosjektspesifikt løpenummer. "
                 "Koblingsnøkkelen oppbevares bare hos SSB."),
            table([
                ["Kilde", "Innhold", "Årganger", "Dataeier"],
                ["Befolkningsdata", "Kjønn, fødselsår og -måned, innvandringskategori, "
                 "bostedskommune og postnummer", "2006–2024", "SSB"],
                ["Nasjonal utdanningsdatabase", "Igangværende og fullført utdanning, "
                 "studieretning, karakterpoeng", "2006–2024", "SSB"],
                ["Familiedata", "Familietype, foreldres høyeste utdanning (via løpenummer)",
                 "2006–2024", "SSB"],
                ["Arbeidsmarkedsdata fra NAV", "Perioder med arbeidsavklaringspenger, "
                 "dagpenger, tiltak og arbeidssøkerstatus (måned)", "2010–2024", "NAV"],
            ], [36 * mm, 76 * mm, 22 * mm, 32 * mm]),
            Spacer(1, 3 * mm),
            para("Variablene fra SSB er krysset av i vedlagt variabelliste. Variablene fra NAV "
                 "er beskrevet i en egen oversikt, og det er søkt om og gitt dispensasjon fra "
                 "taushetsplikt for dem. Vi ber bare om variabler som er nødvendige for "
                 "problemstillingene og som er dekket av behandlingsgrunnlaget."),
            para("<b>Analysestrategi.</b> Utdanningsløp beskrives med sekvensanalyse og "
                 "klyngeanalyse av månedlige og årlige statuser. Sammenhenger med senere "
                 "arbeidsmarkedstilknytning analyseres med forløpsanalyse og flernivåmodeller "
                 "der personer er gruppert i postnummerområder og kommuner. Vi bruker "
                 "søskensammenligninger som robusthetsanalyse for familiebakgrunn."),
            PageBreak(),
            para("Personvern", "h1"),
            para("Prosjektet behandler personopplysninger om et stort antall personer uten "
                 "samtykke. Behandlingsgrunnlaget er personvernforordningen artikkel 6 nr. 1 "
                 "bokstav e, jf. personopplysningsloven § 8, og personvernombudet ved "
                 "Eksempeluniversitetet har tilrådd prosjektet 02.05.2019. Prosjektet behandler "
                 "ikke særlige kategorier av personopplysninger."),
            para("Det er gjennomført en personvernkonsekvensvurdering (DPIA), som er lagt ved "
                 "søknaden. Vurderingen konkluderer med at restrisikoen er lav når tiltakene "
                 "under gjennomføres:"),
            *bullets([
                "Data lagres og analyseres bare på institusjonens sikre forskningsplattform "
                "med tofaktorinnlogging og logging av all tilgang.",
                "Bare prosjektleder og navngitte prosjektmedarbeidere med signert "
                "taushetserklæring får tilgang.",
                "Datasettet inneholder ikke direkte identifiserende opplysninger; fødselsdato "
                "er begrenset til år og måned.",
                "Postnummer brukes bare som analysenivå og publiseres aldri for områder med "
                "færre enn 500 innbyggere i populasjonen.",
                "Ingen tabeller med færre enn fem personer i en celle publiseres.",
            ]),
            para("De registrerte informeres ikke individuelt, fordi det vil kreve "
                 "uforholdsmessig stor innsats (artikkel 14 nr. 5 bokstav b). Informasjon om "
                 "prosjektet, formålet og de registrertes rettigheter publiseres på "
                 "instituttets nettsider. Data slettes eller anonymiseres senest 31.12.2029."),
            para("Dispensasjon fra taushetsplikt", "h3"),
            para("SSB gir dispensasjon fra taushetsplikt for egne data. For opplysningene fra "
                 "NAV har Arbeids- og velferdsdirektoratet gitt dispensasjon i vedtak av "
                 "20.09.2019, gyldig til 31.12.2029. Søknaden og vedtaket er lagt ved."),
            para("Informasjonssikkerhet", "h3"),
            para("Prosjektet følger institusjonens retningslinjer for behandling av "
                 "forskningsdata i rød sikkerhetsklasse. Prosjektleder har ansvar for at "
                 "tilgangslisten er oppdatert, og for at SSB og NAV får skriftlig bekreftelse "
                 "når data er slettet."),
            PageBreak(),
            para("Publisering", "h1"),
            para("Resultatene publiseres i internasjonale fagfellevurderte tidsskrifter med "
                 "åpen tilgang, i en doktorgradsavhandling og i en kortere rapport på norsk "
                 "rettet mot skolesektoren og NAV. Alle resultater publiseres på aggregert nivå. "
                 "Før publisering kontrolleres tabeller og figurer for små celler og for "
                 "mulighet for bakveisidentifisering."),
            para("Tidsplan", "h3"),
            table([
                ["Periode", "Aktivitet"],
                ["2025", "Datatilrettelegging og beskrivende analyser av utdanningsløp"],
                ["2026–2027", "Analyser av overganger til arbeid og betydningen av tiltak"],
                ["2027–2028", "Analyser av geografisk variasjon; to artikler sendes inn"],
                ["2029", "Sluttrapport, avhandling og sletting eller anonymisering av data"],
            ], [30 * mm, 136 * mm]),
            Spacer(1, 4 * mm),
            para("Formidling", "h3"),
            para("Prosjektgruppen vil presentere resultatene på fagkonferanser og i et åpent "
                 "seminar for brukere i forvaltningen. Syntaksfiler for analysene gjøres "
                 "tilgjengelige, men ingen mikrodata deles utenfor prosjektet."),
            para("Referanser (fiktive)", "h3"),
            para("Eksempel, E. og Nordmann, K. (2021). Omveier i utdanningssystemet. "
                 "<i>Tidsskrift for eksempelforskning</i>, 12(3), 45–67.", "small"),
            para("Nordmann, K. (2019). Unge utenfor arbeid og utdanning: en registerstudie. "
                 "Rapport 4/2019, Institutt for samfunnsforskning (fiktivt).", "small"),
            para("Nordmann, O. og Eksempel, E. (2023). Nabolag og overganger til arbeid. "
                 "<i>Eksempeltidsskrift for velferd</i>, 7(1), 1–20.", "small"),
            Spacer(1, 8 * mm),
            Signature(LEADER, "prosjektleder", "Eksempelby, 15.11.2024", seed=12),
        ]
        return s

    return build_pdf(story, PdfMeta(f"Forskningsprotokoll – {NEW_TITLE}", "Forskningsprotokoll",
                                    LEADER, date(2024, 11, 15), "Forskningsprotokoll v1.2"),
                     outline=True, expect_pages=5)


POPULATION_ROWS: tuple[tuple[bool, str, str, str], ...] = (
    (True, "BEFOLKNING_KJOENN", "Personens kjønn", "Fast"),
    (True, "BEFOLKNING_FOEDSELS_AAR_MND", "Fødselsår og -måned (ÅÅÅÅMM)", "Fast"),
    (False, "BEFOLKNING_DOEDS_AAR_MND", "Dødsår og -måned (ÅÅÅÅMM)", "1993–2024"),
    (True, "BEFOLKNING_STATUSKODE", "Status i Folkeregisteret per 1.1. (bosatt, utvandret, "
     "død …)", "2006–2024"),
    (True, "BEFOLKNING_INVKAT", "Innvandringskategori", "Fast"),
    (True, "BEFOLKNING_LANDBAK", "Landbakgrunn (verdensdel)", "Fast"),
    (False, "BEFOLKNING_FODELAND", "Fødeland", "Fast"),
    (False, "BEFOLKNING_SIVILSTAND", "Sivilstand per 1.1.", "1993–2024"),
    (False, "BEFOLKNING_ANTALL_BARN", "Antall egne barn registrert i Folkeregisteret",
     "1993–2024"),
    (False, "BEFOLKNING_MOR_LOEPENR", "Løpenummer for mor (pseudonymisert)", "Fast"),
    (False, "BEFOLKNING_FAR_LOEPENR", "Løpenummer for far (pseudonymisert)", "Fast"),
    (True, "BOSTED_KOMMUNENUMMER", "Bostedskommune per 1.1. (kommunenummer)", "2006–2024"),
    (True, "BOSTED_POSTNUMMER", "Postnummer for bostedsadresse per 1.1.", "2006–2024"),
    (False, "BOSTED_GRUNNKRETS", "Grunnkrets for bostedsadresse per 1.1.", "2006–2024"),
    (False, "BOSTED_FYLKESNUMMER", "Bostedsfylke per 1.1.", "1993–2024"),
    (False, "BOSTED_BYDEL", "Bydel for bosatte i de største kommunene", "2006–2024"),
    (True, "FAMILIE_TYPE", "Familietype (enslig, par med/uten barn, …)", "2006–2024"),
    (False, "FAMILIE_ANTALL_PERSONER", "Antall personer i familien", "2006–2024"),
    (False, "HUSHOLDNING_TYPE", "Husholdningstype", "2015–2024"),
    (False, "HUSHOLDNING_ANTALL_PERSONER", "Antall personer i husholdningen", "2015–2024"),
    (False, "INNVANDRING_AAR", "År for første innvandring", "Fast"),
    (False, "INNVANDRING_GRUNN", "Innvandringsgrunn (arbeid, familie, flukt, utdanning)",
     "1990–2024"),
    (False, "BEFOLKNING_BOTID_NORGE", "Botid i Norge i hele år", "1993–2024"),
    (False, "UTVANDRING_DATO", "Dato for utvandring (full dato)", "1993–2024"),
    (False, "BEFOLKNING_NORSK_STATSBORGER", "Norsk statsborgerskap (ja/nei) per 1.1.",
     "1993–2024"),
)

EDUCATION_ROWS: tuple[tuple[bool, str, str, str], ...] = (
    (True, "NUDB_BU", "Høyeste fullførte utdanning (NUS2000) per 1.10.", "2006–2024"),
    (True, "NUDB_KURS_NUS", "Igangværende utdanning (NUS2000) per 1.10.", "2006–2024"),
    (False, "NUDB_KURS_SKOLE_ORGNR", "Organisasjonsnummer for lærested", "2006–2024"),
    (True, "NUDB_VGS_FULLFORT", "Fullført videregående opplæring innen fem/seks år",
     "2006–2024"),
    (False, "NUDB_KARAKTERPOENG", "Karakterpoeng fra grunnskolen", "2002–2015"),
    (True, "NUDB_STUDIERETNING", "Studieretning / utdanningsprogram i videregående",
     "2006–2024"),
    (False, "NUDB_FAGBREV_AAR", "År for fullført fag- eller svennebrev", "2006–2024"),
    (False, "NUDB_HOYERE_GRAD", "Fullført grad i høyere utdanning", "2006–2024"),
    (False, "NUDB_MOR_BU", "Mors høyeste fullførte utdanning", "2006–2024"),
    (False, "NUDB_FAR_BU", "Fars høyeste fullførte utdanning", "2006–2024"),
)


def new_variable_list() -> bytes:
    return build_variable_list(
        [VariableSheet("Befolkning", "Variabelliste – Befolkning", POPULATION_ROWS),
         VariableSheet("Utdanning", "Variabelliste – Utdanning", EDUCATION_ROWS)],
        f"Variabelliste – {NEW_TITLE}", datetime(2024, 9, 2, 8, 0, 0),
        datetime(2024, 11, 12, 9, 30, 0))


def new_nav_overview() -> bytes:
    def story() -> list[Flowable]:
        rows = [
            ["Nr", "Variabel", "Beskrivelse", "Register", "Periode"],
            ["1", "AAP_PERIODE", "Perioder med arbeidsavklaringspenger (start- og "
             "sluttmåned)", "Arena", "2010–2024"],
            ["2", "AAP_VEDTAKSTYPE", "Type vedtak om arbeidsavklaringspenger (innvilget, "
             "forlenget, stanset)", "Arena", "2010–2024"],
            ["3", "DAGPENGER_PERIODE", "Perioder med dagpenger ved arbeidsløshet (måned)",
             "Arena", "2010–2024"],
            ["4", "ARBSOKER_STATUS", "Registrert status som arbeidssøker ved utgangen av "
             "måneden (helt ledig, delvis ledig, på tiltak)", "Arena", "2010–2024"],
            ["5", "TILTAK_TYPE", "Type arbeidsmarkedstiltak (kodeliste fra NAV)", "Arena",
             "2010–2024"],
            ["6", "TILTAK_PERIODE", "Start- og sluttmåned for tiltaksdeltakelse", "Arena",
             "2010–2024"],
            ["7", "INNSATSGRUPPE", "Vurdert behov for bistand (innsatsgruppe) ved utgangen "
             "av året", "Arena", "2010–2024"],
            ["8", "KVP_DELTAKELSE", "Deltakelse i kvalifiseringsprogrammet (ja/nei per "
             "måned)", "Arena", "2010–2024"],
            ["9", "UNGDOMSINNSATS", "Oppfølging under ungdomsinnsatsen (ja/nei per måned)",
             "Arena", "2017–2024"],
            ["10", "NAV_KONTOR_FYLKE", "Fylket til ansvarlig NAV-kontor (ikke kontornummer)",
             "Arena", "2010–2024"],
        ]
        return [
            para("Vedlegg til søknad om lån av mikrodata", "small"),
            para("Oversikt over variabler fra NAV", "title"),
            para(f"<b>Prosjekt:</b> {NEW_TITLE}<br/><b>Prosjektleder:</b> {LEADER}, "
                 f"{UNIVERSITY}<br/><b>Dataeier:</b> Arbeids- og velferdsdirektoratet (NAV)"
                 "<br/><b>Dato:</b> 15.11.2024"),
            para("Det finnes ikke variabellister fra SSB for disse opplysningene. Oversikten "
                 "viser variablene prosjektet ber om fra NAV. Opplysningene leveres av NAV til "
                 "SSB, som kobler dem med SSB-dataene og erstatter fødselsnummer med "
                 "prosjektets løpenummer. Alle tidsangivelser er på månedsnivå."),
            table(rows, [9 * mm, 42 * mm, 73 * mm, 20 * mm, 22 * mm]),
            Spacer(1, 4 * mm),
            para("Populasjon", "h3"),
            para("Personer født 1990–1999 som var bosatt i Norge 1. januar det året de fylte "
                 "16 år. Bare opplysninger fra perioden 2010–2024 etterspørres."),
            para("Behandlingsgrunnlag og dispensasjon", "h3"),
            para("Variablene er omfattet av personvernombudets tilrådning av 02.05.2019. "
                 "Arbeids- og velferdsdirektoratet har gitt dispensasjon fra taushetsplikt i "
                 "vedtak av 20.09.2019 (vår ref. 19/04711-3), som gjelder til 31.12.2029. "
                 "Søknaden og vedtaket er lagt ved."),
            para("Prosjektet ber ikke om diagnoser, direkte identifiserende opplysninger eller "
                 "opplysninger om enkelte NAV-kontor."),
        ]

    return build_pdf(story, PdfMeta("Oversikt over variabler fra NAV", "Variabeloversikt",
                                    LEADER, date(2024, 11, 15), "Variabeloversikt NAV"))


def new_dpia() -> bytes:
    def story() -> list[Flowable]:
        return [
            para("Personvernkonsekvensvurdering (DPIA) etter personvernforordningen artikkel "
                 "35", "small"),
            para(f"Vurdering av personvernkonsekvenser – {NEW_TITLE}", "title"),
            table([
                ["Behandlingsansvarlig", f"{UNIVERSITY}, org.nr. {ORG_NUMBER_SPACED}"],
                ["Prosjektleder", f"{LEADER}, {DEPARTMENT}"],
                ["Prosjektperiode", "01.01.2025–31.12.2029"],
                ["Versjon", "1.1 av 15.10.2024 (versjon 1.0 av 08.04.2019)"],
                ["Rådført med", "Personvernombudet ved Eksempeluniversitetet (art. 35 nr. 2)"],
            ], [45 * mm, 121 * mm], header=False, label_col=True),
            para("1 Systematisk beskrivelse av behandlingen og formålet", "h1"),
            para("<b>Formål.</b> Prosjektet skal undersøke sammenhengen mellom utdanningsløp og "
                 "tilknytning til arbeidslivet blant unge voksne, og hvordan denne varierer "
                 "mellom nabolag og lokale arbeidsmarkeder."),
            para("<b>Behandlingens art.</b> Sammenstilling av registeropplysninger fra SSB og "
                 "NAV. SSB kobler dataene og utleverer en fil uten direkte identifiserende "
                 "opplysninger. Prosjektet har ingen kontakt med de registrerte."),
            para("<b>Omfang.</b> Om lag 600 000 personer født 1990–1999, årlige og månedlige "
                 "opplysninger 2006–2024. Kategorier: demografi, bosted (kommune og "
                 "postnummer), utdanning, familie og mottak av ytelser og tiltak fra NAV. "
                 "Ingen særlige kategorier etter artikkel 9."),
            para("<b>Sammenheng.</b> Data lagres på institusjonens sikre forskningsplattform. "
                 "Det brukes ingen databehandlere. Data slettes eller anonymiseres senest "
                 "31.12.2029."),
            para("2 Vurdering av nødvendighet og proporsjonalitet", "h1"),
            para("Behandlingsgrunnlaget er artikkel 6 nr. 1 bokstav e, jf. "
                 "personopplysningsloven § 8. Formålet kan ikke nås med anonyme data eller "
                 "aggregerte tabeller, fordi analysene krever individuelle forløp over mange "
                 "år. Dataminimering er ivaretatt ved at fødselsdato er begrenset til år og "
                 "måned, bosted til kommune og postnummer (ikke grunnkrets eller adresse), og "
                 "NAV-opplysninger til månedsnivå uten diagnoser."),
            para("De registrertes rettigheter ivaretas gjennom offentlig informasjon på "
                 "instituttets nettsider. Individuell informasjon vil kreve uforholdsmessig "
                 "stor innsats (artikkel 14 nr. 5 bokstav b). Retten til innsyn, retting og "
                 "begrensning er begrenset etter personopplysningsloven § 17 så langt det er "
                 "nødvendig for forskningsformålet."),
            para("3 Vurdering av risiko for de registrertes rettigheter og friheter", "h1"),
            table([
                ["Risiko", "Sannsynlighet", "Konsekvens", "Nivå før tiltak"],
                ["Bakveisidentifisering gjennom kombinasjon av postnummer, fødselsmåned og "
                 "sjeldne kjennetegn", "Middels", "Høy", "Middels"],
                ["Uautorisert tilgang til datasettet", "Lav", "Høy", "Middels"],
                ["Publisering av tabeller med små celler", "Middels", "Middels", "Middels"],
                ["Bruk av data til andre formål eller lagring utover prosjektperioden", "Lav",
                 "Middels", "Lav"],
            ], [76 * mm, 28 * mm, 28 * mm, 34 * mm]),
            para("4 Tiltak for å håndtere risikoene", "h1"),
            *bullets([
                "Tilgang bare via institusjonens sikre forskningsplattform med tofaktor"
                "innlogging; ingen nedlasting av mikrodata.",
                "Tilgang bare for navngitte medarbeidere med signert taushetserklæring; "
                "tilgangen gjennomgås hvert halvår.",
                "Kontroll av alle resultater før publisering: ingen celler under fem personer, "
                "ingen postnummerområder med færre enn 500 personer i populasjonen.",
                "Sletting eller anonymisering ved prosjektslutt, bekreftet skriftlig til SSB "
                "og NAV.",
            ]),
            para("Med disse tiltakene vurderes restrisikoen som <b>lav</b>. Forhåndsdrøfting "
                 "med Datatilsynet etter artikkel 36 er ikke nødvendig."),
            para("5 Godkjenning", "h1"),
            para("Vurderingen er gjennomgått med personvernombudet, som har gitt sin "
                 "tilrådning 02.05.2019. Vurderingen oppdateres ved vesentlige endringer i "
                 "prosjektet."),
            KeepTogether([Spacer(1, 4 * mm),
                          Signature(LEADER, "prosjektleder", "Eksempelby, 15.10.2024",
                                    seed=13)]),
        ]

    return build_pdf(story, PdfMeta(f"DPIA – {NEW_TITLE}", "Personvernkonsekvensvurdering",
                                    LEADER, date(2024, 10, 15), "DPIA versjon 1.1"),
                     outline=True)


def new_dpo_recommendation() -> bytes:
    def story() -> list[Flowable]:
        return [
            letter_head_block(
                [f"{LEADER}", DEPARTMENT, UNIVERSITY],
                [("Deres ref.", "Meldeskjema av 28.03.2019"), ("Vår ref.", "PVO 2019/118"),
                 ("Dato", "02.05.2019")]),
            Spacer(1, 8 * mm),
            para(f"Tilrådning fra personvernombudet – «{NEW_TITLE}»", "subject"),
            para("Personvernombudet har vurdert behandlingen av personopplysninger i prosjektet "
                 "på grunnlag av meldeskjema mottatt 28.03.2019, forskningsprotokoll og "
                 "personvernkonsekvensvurdering datert 08.04.2019, og e-postkorrespondanse "
                 "fram til 29.04.2019."),
            para("Tilrådning", "h2"),
            para("Personvernombudet <b>tilrår</b> at behandlingen gjennomføres, forutsatt at "
                 "den skjer i samsvar med dokumentasjonen og vilkårene under. Behandlingen vil "
                 "etter vår vurdering være i samsvar med personvernregelverket."),
            para("Behandlingsgrunnlag", "h2"),
            para("Behandlingen kan baseres på personvernforordningen artikkel 6 nr. 1 bokstav "
                 "e (oppgave i allmennhetens interesse), jf. artikkel 6 nr. 3 og "
                 "personopplysningsloven § 8. Prosjektet behandler ikke særlige kategorier av "
                 "personopplysninger."),
            para("Informasjon til de registrerte", "h2"),
            para("Det er ikke krav om individuell informasjon fordi det vil kreve "
                 "uforholdsmessig stor innsats, jf. artikkel 14 nr. 5 bokstav b. Prosjektet "
                 "skal publisere informasjon om behandlingen på institusjonens nettsider."),
            para("Vilkår", "h2"),
            *bullets([
                "Data skal lagres og analyseres på institusjonens sikre forskningsplattform.",
                "Det må foreligge dispensasjon fra taushetsplikt fra NAV før data fra NAV "
                "tas i bruk.",
                "Resultater skal publiseres slik at enkeltpersoner ikke kan gjenkjennes.",
                "Vesentlige endringer skal meldes til personvernombudet før de gjennomføres.",
            ], numbered=True),
            para("Varighet", "h2"),
            para("Tilrådningen gjelder til <b>31.12.2029</b>. Personopplysningene skal da "
                 "slettes eller anonymiseres."),
            Spacer(1, 4 * mm),
            para("Med vennlig hilsen"),
            Spacer(1, 3 * mm),
            para(f"{DPO_NAME}<br/>personvernombud"),
            Spacer(1, 2 * mm),
            para(ELECTRONIC, "small"),
            para(f"Kopi: Instituttleder, {DEPARTMENT}", "small"),
        ]

    return build_pdf(story, PdfMeta(f"Tilrådning fra personvernombudet – {NEW_TITLE}",
                                    "Tilrådning fra personvernombud", DPO_NAME,
                                    date(2019, 5, 2), "Vår ref. PVO 2019/118"),
                     sender=DPO_SENDER)


def new_dispensation_application() -> bytes:
    def story() -> list[Flowable]:
        return [
            letter_head_block(
                ["Arbeids- og velferdsdirektoratet", "Seksjon for utlevering av data "
                 "(fiktiv mottaker)", "Postboks 0 Eksempelby", "9999 Eksempelby"],
                [("Vår ref.", "KN/2019-06"), ("Dato", "14.06.2019")]),
            Spacer(1, 8 * mm),
            para("Søknad om dispensasjon fra taushetsplikt – opplysninger fra NAV til "
                 f"forskningsprosjektet «{NEW_TITLE}»", "subject"),
            para(f"{UNIVERSITY} søker med dette om dispensasjon fra taushetsplikt etter "
                 "forvaltningsloven § 13 d, jf. NAV-loven § 7, for utlevering av "
                 "opplysninger fra Arbeids- og velferdsetaten til forskningsprosjektet."),
            para("1 Om prosjektet", "h2"),
            para("Prosjektet undersøker hvordan utdanningsløp henger sammen med tilknytning til "
                 "arbeidslivet blant personer født 1990–1999, og hvilken betydning oppfølging "
                 "og tiltak fra NAV har for overgangen fra utdanning til arbeid. "
                 f"Prosjektleder er professor {LEADER}. Prosjektperioden er "
                 "01.01.2025–31.12.2029."),
            para("2 Opplysninger det søkes om", "h2"),
            para("Vi søker om ti variabler fra Arena om arbeidsavklaringspenger, dagpenger, "
                 "arbeidssøkerstatus, tiltak og oppfølging for perioden 2010–2024, på "
                 "månedsnivå. Variablene er beskrevet i vedlagt oversikt. Vi ber ikke om "
                 "diagnoser eller direkte identifiserende opplysninger."),
            para("3 Behandlingsgrunnlag og personvern", "h2"),
            para("Personvernombudet ved Eksempeluniversitetet har tilrådd prosjektet "
                 "02.05.2019 med artikkel 6 nr. 1 bokstav e som behandlingsgrunnlag. Det er "
                 "gjennomført en personvernkonsekvensvurdering. Data skal lagres og analyseres "
                 "på institusjonens sikre forskningsplattform, og bare navngitte medarbeidere "
                 "med taushetserklæring får tilgang."),
            para("4 Utlevering og kobling", "h2"),
            para("Vi ber om at opplysningene leveres til Statistisk sentralbyrå, som kobler dem "
                 "med prosjektets øvrige registerdata og erstatter fødselsnummer med et "
                 "løpenummer før utlevering til prosjektet."),
            para("5 Samfunnsnytte og varighet", "h2"),
            para("Kunnskapen er relevant for Arbeids- og velferdsetatens arbeid med unge som "
                 "står utenfor arbeidslivet. Vi ber om at dispensasjonen gis til og med "
                 "31.12.2029, da dataene skal slettes eller anonymiseres."),
            para("Vedlegg: forskningsprotokoll, variabeloversikt, tilrådning fra "
                 "personvernombudet.", "small"),
            Spacer(1, 3 * mm),
            para("Med vennlig hilsen"),
            Signature(LEADER, f"professor og prosjektleder, {UNIVERSITY}", seed=14),
        ]

    return build_pdf(story, PdfMeta("Søknad om dispensasjon fra taushetsplikt – NAV",
                                    "Søknad om dispensasjon fra taushetsplikt", LEADER,
                                    date(2019, 6, 14), "Vår ref. KN/2019-06"))


def new_postcode_justification() -> bytes:
    def story() -> list[Flowable]:
        return [
            para("Vedlegg til søknad om lån av mikrodata", "small"),
            para("Begrunnelse for bruk av postnummer", "title"),
            para(f"<b>Prosjekt:</b> {NEW_TITLE}<br/><b>Prosjektleder:</b> {LEADER}<br/>"
                 "<b>Dato:</b> 15.11.2024"),
            para("Variabelen det gjelder", "h2"),
            para("Prosjektet ber om <b>BOSTED_POSTNUMMER</b> (postnummer for bostedsadresse per "
                 "1. januar, årgangene 2006–2024) fra SSBs befolkningsdata. Prosjektet ber "
                 "ikke om grunnkrets, adresse eller full fødsels- eller dødsdato."),
            para("Hvorfor postnummer er nødvendig", "h2"),
            para("Problemstilling 4 gjelder variasjon mellom nabolag og lokale "
                 "arbeidsmarkeder. Kommune er for grovt: i de store kommunene bor unge med "
                 "svært ulike muligheter innenfor samme kommune, og forskjellene mellom "
                 "bydeler og tettsteder er nettopp det vi vil måle. Postnummerområder gir et "
                 "geografisk nivå som er fint nok til å fange nabolagsforskjeller, men grovere "
                 "enn grunnkrets."),
            para("Postnummer brukes også til å beregne avstand til nærmeste videregående skole "
                 "og til regionale arbeidsmarkedsindikatorer som kobles på av prosjektet fra "
                 "offentlig statistikk."),
            para("Hvorfor mindre detaljerte alternativer ikke er tilstrekkelige", "h2"),
            para("Vi har vurdert å bruke kommune og bydel. Analysene av geografisk variasjon "
                 "forutsetter minst to nivåer under fylke, og bydel finnes bare for noen få "
                 "kommuner. Grunnkrets er vurdert som unødvendig detaljert og er ikke bestilt."),
            para("Tiltak mot bakveisidentifisering", "h2"),
            *bullets([
                "Postnummer brukes bare som analysenivå og vises aldri sammen med andre "
                "kjennetegn i publiserte tabeller.",
                "Postnummerområder med færre enn 500 personer i populasjonen slås sammen med "
                "nabo-områder før analyse.",
                "Resultater på postnummernivå publiseres bare som modellbaserte estimater.",
                "Fødselsdato er begrenset til år og måned.",
            ]),
            para("Tiltakene er beskrevet i personvernkonsekvensvurderingen og omfattet av "
                 "personvernombudets tilrådning av 02.05.2019."),
            Spacer(1, 6 * mm),
            Signature(LEADER, "prosjektleder", "Eksempelby, 15.11.2024", seed=15),
        ]

    return build_pdf(story, PdfMeta("Begrunnelse for bruk av postnummer",
                                    "Begrunnelse for identifiserende variabler", LEADER,
                                    date(2024, 11, 15), "Begrunnelse postnummer"))


def new_example() -> Example:
    return Example(
        folder="ny-soknad",
        project={
            "title": NEW_TITLE, "project_leader": LEADER, "institution": UNIVERSITY,
            "org_number": ORG_NUMBER, "ssb_reference": "", "contact_email": LEADER_EMAIL,
            "period_start": "2025-01-01", "period_end": "2029-12-31",
        },
        answers={
            "application_type": "new", "institution_status": "approved",
            "personal_data": True, "legal_basis_valid_covering": True,
            "legal_basis_date": "2019-05-02", "health_research": False,
            "other_data_owners": ["nav"], "consent_based": False,
            "identifying_vars": ["postcode"], "ssb_lists_exist": True, "change_types": [],
            "basis_covers_change": None, "risk_override": False,
        },
        documents=[
            DocSpec("vedlegg/01-soknadsskjema.pdf", ["application_form_new"],
                    "Søknadsskjema – ny søknad", new_form),
            DocSpec("vedlegg/02-forskningsprotokoll.pdf", ["research_protocol"],
                    "Forskningsprotokoll", new_protocol),
            DocSpec("vedlegg/03-variabelliste-befolkning.xlsx", ["ssb_variable_list"],
                    "Variabelliste fra SSB – befolkning og utdanning", new_variable_list),
            DocSpec("vedlegg/04-variabeloversikt-nav.pdf", ["variable_overview"],
                    "Oversikt over variabler fra NAV", new_nav_overview, data_owner="nav"),
            DocSpec("vedlegg/05-dpia.pdf", ["dpia"], "Personvernkonsekvensvurdering (DPIA)",
                    new_dpia),
            DocSpec("vedlegg/06-tilradning-personvernombud.pdf", ["dpo_recommendation"],
                    "Tilrådning fra personvernombudet", new_dpo_recommendation,
                    valid_until="2029-12-31"),
            DocSpec("vedlegg/07-dispensasjonssoknad-nav.pdf", ["dispensation_application"],
                    "Søknad til NAV om dispensasjon fra taushetsplikt",
                    new_dispensation_application, data_owner="nav"),
            DocSpec("vedlegg/08-vedtak-dispensasjon-nav.jpg", ["dispensation_decision"],
                    "Vedtak fra NAV om dispensasjon fra taushetsplikt (skannet)",
                    build_scanned_decision, data_owner="nav", valid_until="2029-12-31"),
            DocSpec("vedlegg/09-begrunnelse-postnummer.pdf",
                    ["identifying_variables_justification"], "Begrunnelse for bruk av "
                    "postnummer", new_postcode_justification),
        ],
    )


# ---- endringssoknad ----------------------------------------------------------------------------

INCOME_ROWS: tuple[tuple[bool, str, str, str], ...] = (
    (True, "INNTEKT_WLONN", "Lønnsinntekt (kontantlønn og skattepliktige naturalytelser)",
     "2015–2023"),
    (True, "INNTEKT_WYRKINNT", "Yrkesinntekt (lønn og netto næringsinntekt)", "2015–2023"),
    (True, "INNTEKT_WSAMINNT", "Samlet inntekt", "2015–2023"),
    (False, "INNTEKT_NARINNT", "Netto næringsinntekt", "2015–2023"),
    (False, "INNTEKT_KAPINNT", "Kapitalinntekter", "2015–2023"),
    (True, "INNTEKT_SYKEPENGER", "Sykepenger i alt", "2015–2023"),
    (True, "INNTEKT_UFOERETRYGD", "Uføretrygd", "2015–2023"),
    (True, "INNTEKT_AAP", "Arbeidsavklaringspenger", "2015–2023"),
    (False, "INNTEKT_DAGPENGER", "Dagpenger ved arbeidsløshet", "2015–2023"),
    (False, "INNTEKT_ALDERSPENSJON", "Alderspensjon fra folketrygden", "2015–2023"),
    (False, "INNTEKT_BARNETRYGD", "Barnetrygd", "2015–2023"),
    (False, "INNTEKT_BOSTOTTE", "Bostøtte fra Husbanken", "2015–2023"),
    (False, "INNTEKT_SOSIALHJELP", "Økonomisk sosialhjelp", "2015–2023"),
    (False, "INNTEKT_OVERFOR", "Sum skattepliktige og skattefrie overføringer", "2015–2023"),
    (False, "INNTEKT_SKATT", "Utlignet skatt og negative overføringer", "2015–2023"),
    (False, "INNTEKT_ETTER_SKATT", "Inntekt etter skatt", "2015–2023"),
    (False, "INNTEKT_HUSH_EK", "Husholdningens inntekt etter skatt per forbruksenhet (EU-skala)",
     "2015–2023"),
    (False, "INNTEKT_BRUTTOFORM", "Bruttoformue", "2015–2023"),
    (False, "INNTEKT_GJELD", "Samlet gjeld", "2015–2023"),
    (False, "INNTEKT_NETTOFORM", "Nettoformue", "2015–2023"),
)


def change_form() -> bytes:
    def draw(f: FormWriter) -> None:
        f.note("Alle endringer i et prosjekt som har fått data fra SSB, må søkes om i egen "
               "søknad om prosjektendring. Relevant dokumentasjon legges ved. Skjemaet sendes "
               "til mikrodata@ssb.no.")
        f.section("1  Prosjektet")
        f.fields([("SSB-referanse", "ssb_referanse", CHANGE_REF, 0.25),
                  ("Prosjekttittel", "prosjekttittel", CHANGE_TITLE, 0.75)])
        f.fields([("Prosjektperiode fra", "periode_fra", "01.01.2021", 0.25),
                  ("Prosjektperiode til", "periode_til", "31.12.2027", 0.25),
                  ("Dato for SSBs vedtak", "ssb_vedtak_dato", "30.06.2021", 0.5)])
        f.fields([("Ansvarlig institusjon", "institusjon", UNIVERSITY, 0.45),
                  ("Organisasjonsnummer", "org_nr", ORG_NUMBER, 0.25),
                  ("Prosjektleder", "prosjektleder", LEADER, 0.3)])
        f.fields([("E-post prosjektleder", "epost", LEADER_EMAIL, 0.5),
                  ("Enhet / institutt", "enhet", DEPARTMENT, 0.5)])
        f.section("2  Hvilke endringer søkes det om?")
        f.checkboxes([
            ("Ny prosjektmedarbeider", "ny_medarbeider", True),
            ("Ny prosjektleder", "ny_prosjektleder", False),
            ("Oppdaterte årganger av utleverte variabler", "oppdaterte_aarganger", False),
            ("Ny institusjon", "ny_institusjon", False),
            ("Nye variabler", "nye_variabler", True),
            ("Utvidet populasjon", "utvidet_populasjon", False),
            ("Utvidet prosjektperiode", "utvidet_periode", False),
            ("Annet", "annet", False),
        ])
        f.fields([("Beskriv endringene", "beskrivelse",
                   "1) Ola Nordmann, stipendiat ved instituttet, blir ny prosjektmedarbeider fra "
                   "01.11.2024.\n2) Prosjektet ber om seks nye inntektsvariabler for "
                   "2015-2023 (lønn, yrkesinntekt, samlet inntekt, sykepenger, uføretrygd og "
                   "arbeidsavklaringspenger) for å måle arbeidstilknytning og helserelatert "
                   "frafall fra arbeidslivet. Se vedlagt variabelliste og microdata-skript.",
                   1.0)], lines=5)
        f.section("3  Ny prosjektmedarbeider")
        f.fields([("Navn", "medarbeider_navn", MEMBER, 0.35),
                  ("Stilling", "medarbeider_stilling", "Stipendiat", 0.25),
                  ("Institusjon", "medarbeider_institusjon", UNIVERSITY, 0.4)])
        f.new_page()
        f.section("4  Behandlingsgrunnlag og personvernrisiko")
        f.fields([("Dato for behandlingsgrunnlag", "grunnlag_dato", "15.03.2020", 0.3),
                  ("Behandlingsgrunnlaget er gitt av", "grunnlag_type",
                   "Personvernombudet ved Eksempeluniversitetet (tilrådning)", 0.7)])
        f.note("Dekker det eksisterende behandlingsgrunnlaget endringene det søkes om?")
        f.checkboxes([("Ja", "grunnlag_dekker_ja", False),
                      ("Nei", "grunnlag_dekker_nei", True)], columns=4)
        f.note("Vurdering av personvernrisiko (nye variabler gir ikke liten risiko):")
        f.checkboxes([("Oppdatert DPIA vedlagt", "oppdatert_dpia", True),
                      ("Redegjørelse for liten risiko vedlagt", "liten_risiko", False)])
        f.section("5  Vedlegg")
        f.note("<br/>".join([
            "1. Søknadsskjema for prosjektendring (dette dokumentet)",
            "2. Oppdatert personvernkonsekvensvurdering (DPIA), versjon 2.0 av 01.10.2024",
            "3. Variabelliste fra SSB – inntekt (nye variabler er krysset av)",
            "4. Skript fra microdata.no som viser bruken av de nye variablene",
            f"5. Brev om ny prosjektmedarbeider ({MEMBER})",
        ]), size=8.3)
        f.section("6  Erklæring og underskrift")
        f.note("Jeg bekrefter at opplysningene er riktige, og at de nye variablene og den nye "
               "medarbeideren er omfattet av prosjektets oppdaterte personvernvurdering.",
               size=8.3)
        f.checkboxes([("Ny medarbeider har signert taushetserklæring", "taushetserklaering",
                       True)], columns=1)
        f.signature("Eksempelby, 15.10.2024", LEADER, "prosjektleder", seed=21)

    return build_form(draw, PdfMeta("Søknad om prosjektendring", "Søknadsskjema for "
                                    "prosjektendring", LEADER, date(2024, 10, 15),
                                    f"SSB ref. {CHANGE_REF} – endring"),
                      "Søknad om prosjektendring – lån av mikrodata fra SSB",
                      f"Skjema for endring i prosjekt med SSB-referanse {CHANGE_REF}",
                      pages=2)


def change_dpia() -> bytes:
    def story() -> list[Flowable]:
        return [
            para("Personvernkonsekvensvurdering (DPIA) – oppdatert versjon", "small"),
            para(f"Vurdering av personvernkonsekvenser – {CHANGE_TITLE}", "title"),
            table([
                ["Behandlingsansvarlig", f"{UNIVERSITY}, org.nr. {ORG_NUMBER_SPACED}"],
                ["Prosjektleder", f"{LEADER}, {DEPARTMENT}"],
                ["SSB-referanse", f"{CHANGE_REF} (SSBs vedtak av 30.06.2021)"],
                ["Prosjektperiode", "01.01.2021–31.12.2027"],
                ["Versjon", "2.0 av 01.10.2024, oppdatert for søknad om prosjektendring"],
            ], [45 * mm, 121 * mm], header=False, label_col=True),
            Spacer(1, 3 * mm),
            para("Endringslogg", "h3"),
            table([
                ["Versjon", "Dato", "Endring"],
                ["1.0", "10.03.2020", "Opprinnelig vurdering; tilrådd av personvernombudet "
                 "15.03.2020"],
                ["2.0", "01.10.2024", f"Ny prosjektmedarbeider ({MEMBER}) og seks nye "
                 "inntektsvariabler 2015–2023; risikovurdering og tiltak oppdatert"],
            ], [18 * mm, 24 * mm, 124 * mm]),
            para("1 Systematisk beskrivelse av behandlingen og formålet", "h1"),
            para("Prosjektet undersøker hvordan helserelatert frafall fra arbeidslivet "
                 "utvikler seg gjennom livsløpet, målt ved mottak av sykepenger, "
                 "arbeidsavklaringspenger og uføretrygd sammen med yrkesinntekt. Prosjektet "
                 "bruker ikke diagnoser eller opplysninger fra helseregistre og er ikke "
                 "helseforskning etter helseforskningsloven."),
            para("<b>Endring.</b> For å måle arbeidstilknytning presist trenger prosjektet "
                 "seks nye inntektsvariabler fra SSB for 2015–2023. I tillegg blir stipendiat "
                 f"{MEMBER} ny prosjektmedarbeider. Populasjon, institusjon og prosjektperiode "
                 "er uendret: personer født 1955–1990 bosatt i Norge i 2015, om lag 2,1 "
                 "millioner personer."),
            para("2 Vurdering av nødvendighet og proporsjonalitet", "h1"),
            para("Behandlingsgrunnlaget er fortsatt artikkel 6 nr. 1 bokstav e, jf. "
                 "personopplysningsloven § 8. Inntektsvariablene er nødvendige for å skille "
                 "mellom redusert arbeidstilknytning og fullt frafall, noe ytelsesdata alene "
                 "ikke kan vise. Bare seks av de tjue variablene i SSBs inntektsliste er "
                 "bestilt, og alle leveres på årsnivå."),
            para("3 Vurdering av risiko for de registrertes rettigheter og friheter", "h1"),
            table([
                ["Risiko", "Før endring", "Etter endring", "Kommentar"],
                ["Bakveisidentifisering", "Lav", "Lav–middels", "Eksakte inntekter kan gjøre "
                 "personer med uvanlige verdier gjenkjennelige"],
                ["Uautorisert tilgang", "Lav", "Lav", "Én ny bruker med samme tilgangsregime"],
                ["Publisering av små celler", "Lav", "Lav", "Uendret kontrollrutine"],
            ], [40 * mm, 24 * mm, 26 * mm, 76 * mm]),
            para("4 Tiltak for å håndtere risikoene", "h1"),
            *bullets([
                "Inntekter publiseres bare som gjennomsnitt, medianer og andeler; toppkodes "
                "ved 99. persentil i alle analyser.",
                f"{MEMBER} har signert taushetserklæring 14.10.2024 og gjennomført "
                "institusjonens kurs i informasjonssikkerhet.",
                "Analyser kjøres på institusjonens sikre forskningsplattform; microdata.no "
                "brukes bare til forberedende analyser.",
                "Data slettes eller anonymiseres ved prosjektslutt 31.12.2027.",
            ]),
            para("Samlet restrisiko etter endringen vurderes som <b>lav</b>. Personvernombudet "
                 "er rådført om oppdateringen 24.09.2024."),
            KeepTogether([Spacer(1, 5 * mm),
                          Signature(LEADER, "prosjektleder", "Eksempelby, 01.10.2024",
                                    seed=22)]),
        ]

    return build_pdf(story, PdfMeta(f"Oppdatert DPIA – {CHANGE_TITLE}",
                                    "Personvernkonsekvensvurdering, oppdatert", LEADER,
                                    date(2024, 10, 1), "DPIA versjon 2.0"), outline=True)


def change_variable_list() -> bytes:
    return build_variable_list(
        [VariableSheet("Inntekt", "Variabelliste – Inntekt", INCOME_ROWS)],
        f"Variabelliste – {CHANGE_TITLE} (endring)", datetime(2024, 9, 16, 10, 0, 0),
        datetime(2024, 10, 14, 14, 5, 0))


MICRODATA_SCRIPT = f"""\
// {CHANGE_TITLE}
// SSB-referanse {CHANGE_REF} – søknad om prosjektendring, vedlegg 4
// Forberedende analyse på microdata.no av de nye inntektsvariablene.
// Skrevet av {LEADER} og {MEMBER}, {UNIVERSITY}, 14.10.2024.

require no.ssb.fdb:23 as db

// --- Populasjon: personer bosatt i Norge 1.1.2015, født 1955–1990 ---------------------------
create-dataset personer
import db/BEFOLKNING_KJOENN as kjønn
import db/BEFOLKNING_FOEDSELS_AAR_MND as fødselsårmnd
import db/BEFOLKNING_STATUSKODE 2015-01-01 as status
keep if status == '1'
generate fødselsår = int(fødselsårmnd / 100)
keep if fødselsår >= 1955 & fødselsår <= 1990
generate alder = 2020 - fødselsår

// --- Nye variabler i endringssøknaden (inntekt 2020) ------------------------------------------
import db/INNTEKT_WLONN 2020-01-01 as lønn
import db/INNTEKT_WYRKINNT 2020-01-01 as yrkesinntekt
import db/INNTEKT_WSAMINNT 2020-01-01 as samletinntekt
import db/INNTEKT_SYKEPENGER 2020-01-01 as sykepenger
import db/INNTEKT_UFOERETRYGD 2020-01-01 as uføretrygd
import db/INNTEKT_AAP 2020-01-01 as aap

// Helserelatert ytelse: sykepenger, AAP eller uføretrygd i løpet av året
generate helseytelse = 0
replace helseytelse = 1 if sykepenger > 0 | aap > 0 | uføretrygd > 0

// Aldersgrupper på ti år
generate aldersgruppe = 10 * int(alder / 10)

// --- Beskrivende tabeller (microdata.no viser bare aggregerte, støybelagte resultater) ------
tabulate aldersgruppe helseytelse, rowpct
tabulate kjønn helseytelse, rowpct
summarize yrkesinntekt lønn samletinntekt

// Yrkesinntekt etter mottak av helserelaterte ytelser
generate yrkesinntekt_1000 = yrkesinntekt / 1000
summarize yrkesinntekt_1000 if helseytelse == 1
summarize yrkesinntekt_1000 if helseytelse == 0

// Enkel regresjonsmodell: yrkesinntekt etter alder, kjønn og ytelser
regress yrkesinntekt_1000 alder kjønn helseytelse

// {FOOTER}
"""


def change_script() -> bytes:
    return MICRODATA_SCRIPT.encode("utf-8")


def change_member_letter() -> bytes:
    def story() -> list[Flowable]:
        return [
            letter_head_block(
                ["Statistisk sentralbyrå", "Mikrodatatjenesten", "mikrodata@ssb.no"],
                [("Deres ref.", CHANGE_REF), ("Vår ref.", "KN/2024-10"),
                 ("Dato", "15.10.2024")]),
            Spacer(1, 8 * mm),
            para(f"Ny prosjektmedarbeider i prosjektet «{CHANGE_TITLE}» "
                 f"(SSB-referanse {CHANGE_REF})", "subject"),
            para(f"Som en del av søknaden om prosjektendring melder vi at stipendiat "
                 f"<b>{MEMBER}</b>, {DEPARTMENT}, {UNIVERSITY}, blir ny "
                 "prosjektmedarbeider fra 01.11.2024."),
            para(f"{MEMBER} er ansatt i et fireårig stipendiat ved instituttet og skal skrive "
                 "en doktorgradsavhandling om helserelatert frafall fra arbeidslivet innenfor "
                 "prosjektet. Han vil arbeide med de nye inntektsvariablene og delta i "
                 "analysene av overganger mellom arbeid og trygdeytelser."),
            para("Tilgang og taushetsplikt", "h2"),
            *bullets([
                f"{MEMBER} har signert taushetserklæring 14.10.2024.",
                "Han har gjennomført institusjonens kurs i informasjonssikkerhet og "
                "personvern i forskning (september 2024).",
                "Han får tilgang til prosjektets data bare via institusjonens sikre "
                "forskningsplattform, med personlig bruker og tofaktorinnlogging.",
                "Tilgangen avsluttes når han går ut av prosjektet, og senest ved "
                "prosjektslutt 31.12.2027.",
            ]),
            para("Den oppdaterte personvernkonsekvensvurderingen (versjon 2.0 av 01.10.2024) "
                 "omfatter den nye medarbeideren. Prosjektgruppen består etter endringen av "
                 f"{LEADER} (prosjektleder) og {MEMBER}."),
            Spacer(1, 3 * mm),
            para("Med vennlig hilsen"),
            Signature(LEADER, f"professor og prosjektleder, {UNIVERSITY}", seed=23),
        ]

    return build_pdf(story, PdfMeta(f"Ny prosjektmedarbeider – {CHANGE_TITLE}",
                                    "Melding om ny prosjektmedarbeider", LEADER,
                                    date(2024, 10, 15), f"SSB ref. {CHANGE_REF}"))


def change_example() -> Example:
    return Example(
        folder="endringssoknad",
        project={
            "title": CHANGE_TITLE, "project_leader": LEADER, "institution": UNIVERSITY,
            "org_number": ORG_NUMBER, "ssb_reference": CHANGE_REF,
            "contact_email": LEADER_EMAIL, "period_start": "2021-01-01",
            "period_end": "2027-12-31",
        },
        answers={
            "application_type": "change", "personal_data": True,
            "legal_basis_date": "2020-03-15", "health_research": False,
            "other_data_owners": [], "consent_based": False, "identifying_vars": [],
            "ssb_lists_exist": True, "change_types": ["new_project_member", "new_variables"],
            "basis_covers_change": False, "risk_override": False,
        },
        documents=[
            DocSpec("vedlegg/01-endringsskjema.pdf", ["application_form_change"],
                    "Søknadsskjema for prosjektendring", change_form),
            DocSpec("vedlegg/02-oppdatert-dpia.pdf", ["dpia"],
                    "Oppdatert personvernkonsekvensvurdering (DPIA) versjon 2.0", change_dpia,
                    updated_for_this_change=True),
            DocSpec("vedlegg/03-variabelliste-inntekt.xlsx", ["ssb_variable_list"],
                    "Variabelliste fra SSB – inntekt (nye variabler)", change_variable_list),
            DocSpec("vedlegg/04-microdata-skript.txt", ["microdata_script"],
                    "Skript fra microdata.no", change_script),
            DocSpec("vedlegg/05-ny-prosjektmedarbeider.pdf", ["other"],
                    "Brev om ny prosjektmedarbeider", change_member_letter),
        ],
    )


# ---------------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------------


def project_json(example: Example, digests: dict[str, str]) -> str:
    documents = []
    for spec in example.documents:
        entry: dict[str, Any] = {
            "path": spec.path, "types": spec.types, "sha256": digests[spec.path],
            "title": spec.title, "data_owner": spec.data_owner,
            "valid_until": spec.valid_until,
        }
        if spec.updated_for_this_change:
            entry["updated_for_this_change"] = True
        documents.append(entry)
    data = {"format": "soknadspakke/1", "project": example.project, "answers": example.answers,
            "documents": documents}
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def write_example(example: Example, out: Path) -> list[Path]:
    folder = out / example.folder
    if folder.exists():
        shutil.rmtree(folder)
    written: list[Path] = []
    digests: dict[str, str] = {}
    for spec in example.documents:
        data = spec.build()
        target = folder / spec.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        digests[spec.path] = hashlib.sha256(data).hexdigest()
        written.append(target)
    project_file = folder / f"{example.folder}.soknad"
    project_file.write_bytes(project_json(example, digests).encode("utf-8"))
    written.append(project_file)
    return written


EXAMPLES: tuple[Callable[[], Example], ...] = (new_example, change_example)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT,
                        help="folder to write the examples into (default: resources/examples)")
    parser.add_argument("--quiet", action="store_true", help="do not list the files written")
    args = parser.parse_args(argv)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    total = 0
    for make in EXAMPLES:
        for path in write_example(make(), out):
            size = path.stat().st_size
            total += size
            if not args.quiet:
                print(f"{size:>9,d}  {path.relative_to(out).as_posix()}")
    if not args.quiet:
        print(f"{total:>9,d}  in total")
    return 0


if __name__ == "__main__":
    sys.exit(main())
