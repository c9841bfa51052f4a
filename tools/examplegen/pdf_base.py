"""The PDF house style of the examples: fonts, paragraph styles, letterhead, running header,
footer with page numbers, outline from headings, and drawn signatures.

ReportLab's invariant mode with fixed dates and metadata makes the output deterministic.
"""

from __future__ import annotations

import io
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Paragraph

from examplegen.common import CREATOR, FONT_DIR, FOOTER

PAGE_W, PAGE_H = A4
MARGIN_X = 22 * mm
GREY = colors.Color(0.45, 0.45, 0.45)
LIGHT = colors.Color(0.92, 0.93, 0.95)
ACCENT = colors.Color(0.13, 0.25, 0.42)

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


def styles() -> dict[str, ParagraphStyle]:
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


def apply_meta(canv: Canvas, meta: PdfMeta) -> None:
    canv.setTitle(meta.title)
    canv.setSubject(meta.subject)
    canv.setAuthor(meta.author)
    canv.setCreator(CREATOR)
    canv.setKeywords(meta.keywords)
    stamp = _pdf_date(meta.when)
    canv.setDateFormatter(lambda *_args: stamp)


def draw_footer(canv: Canvas, page: int, total: int, reference: str) -> None:
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
            apply_meta(canv, self.meta)
            if self.sender is not None:
                _draw_letterhead(canv, self.sender)
        else:
            _draw_running_header(canv, self.sender, self.meta.title)
        draw_footer(canv, doc.page, self.total_pages, self.meta.reference)

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
              sender: Sender | None, outline: bool = False,
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

