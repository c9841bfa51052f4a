"""What every front-matter page is drawn with: the page's geometry and colours, blocks of a
page flow and their pagination, and lines of text."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from soknadspakke.pdf import fonts
from soknadspakke.pdf.model import DocumentPlacement
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


def draw_text(canvas: Canvas, text: str, x: float, y: float, *, font: str = fonts.SANS,
              size: float = BODY, colour: tuple[float, float, float] = INK) -> None:
    canvas.setFont(font, size)
    canvas.setFillColorRGB(*colour)
    canvas.drawString(x, y, text)


def text_line(text: str, drop: float, *, font: str = fonts.SANS, size: float = BODY,
              colour: tuple[float, float, float] = INK) -> Draw:
    """Draws ``text`` at the left margin, its baseline ``drop`` below the block's top."""

    def draw(canvas: Canvas, top: float) -> None:
        draw_text(canvas, text, MARGIN_X, top - drop, font=font, size=size, colour=colour)

    return draw


def spacer(height: float) -> Block:
    return Block(height, lambda canvas, top: None)


def clip_lines(lines: list[str], font: str, size: float, max_width: float) -> list[str]:
    if len(lines) <= MAX_CELL_LINES:
        return lines
    kept = lines[:MAX_CELL_LINES]
    kept[-1] = fonts.truncate(kept[-1] + " …", font, size, max_width)
    return kept


@dataclass
class Totals:
    """Numbers only known after layout, read by the draw functions."""

    pages: int = 0
    placements: tuple[DocumentPlacement, ...] = ()


@dataclass(frozen=True)
class IndexLink:
    """A clickable index row: on front page ``page`` (0-based), ``rect``, to document ``doc``."""

    page: int
    rect: tuple[float, float, float, float]
    doc: int
