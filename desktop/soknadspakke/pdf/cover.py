"""The cover sheet: the draft mark, the heading, the project's rows, the verdict, the totals
and the remarks, as blocks of a page flow."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.pdfgen.canvas import Canvas

from soknadspakke.core.i18n import translate
from soknadspakke.pdf import fonts
from soknadspakke.pdf.drawing import (
    BODY,
    GREEN_BG,
    GREEN_INK,
    LEADING,
    MARGIN_X,
    MUTED,
    RED,
    RED_BG,
    RED_INK,
    RULE,
    TEXT_W,
    Block,
    Totals,
    draw_text,
    spacer,
    text_line,
)
from soknadspakke.pdf.model import CoverSheet


def cover_blocks(cover: CoverSheet, lang: str, draft: bool, documents: int,
                 totals: Totals) -> list[Block]:
    """The cover sheet as blocks of a page flow; ``totals`` is filled in before drawing."""
    blocks: list[Block] = _draft_blocks(lang) if draft else []
    for line in fonts.wrap(cover.heading, fonts.BOLD, 18, TEXT_W):
        blocks.append(Block(23, text_line(line, 18, font=fonts.BOLD, size=18),
                            keep_with_next=True))
    blocks.append(spacer(14))
    blocks += _row_blocks(cover.rows)
    blocks.append(spacer(14))
    blocks.append(_verdict_block(cover))

    def draw_totals(canvas: Canvas, top: float) -> None:
        text = translate("Documents: {documents}. Pages in all: {pages}.", lang).format(
            documents=documents, pages=totals.pages)
        draw_text(canvas, text, MARGIN_X, top - 10, colour=MUTED)

    blocks.append(Block(LEADING + 10, draw_totals))
    if cover.findings:
        blocks += _finding_blocks(cover, lang, draft)
    return blocks


def _draft_blocks(lang: str) -> list[Block]:
    """The draft mark and what it means."""
    blocks: list[Block] = []
    mark = translate("UTKAST / DRAFT", lang)

    def draw_mark(canvas: Canvas, top: float) -> None:
        draw_text(canvas, mark, MARGIN_X, top - 16, font=fonts.BOLD, size=16, colour=RED)

    blocks.append(Block(24, draw_mark))
    for line in fonts.wrap(translate("This is a draft and not ready to be submitted.", lang),
                           fonts.SANS, BODY, TEXT_W):
        blocks.append(Block(LEADING, text_line(line, 10, colour=RED)))
    blocks.append(spacer(12))
    return blocks


def _row_blocks(cover_rows: Sequence[tuple[str, str]]) -> list[Block]:
    """The project's rows: a label and a value each, both wrapped, a rule above each row."""
    blocks: list[Block] = []
    label_w = TEXT_W * 0.34
    value_x = MARGIN_X + label_w + 8
    value_w = TEXT_W - label_w - 8
    for label, value in cover_rows:
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
                    draw_text(canvas, label_lines[i], MARGIN_X, baseline, font=fonts.BOLD)
                if i < len(value_lines):
                    draw_text(canvas, value_lines[i], value_x, baseline)

            blocks.append(Block(height, draw_row, keep_with_next=not last and count <= 8))
    return blocks


def _verdict_block(cover: CoverSheet) -> Block:
    """The verdict in a box: green when ready, red when not."""
    ink, background = (GREEN_INK, GREEN_BG) if cover.ready else (RED_INK, RED_BG)
    verdict_lines = fonts.wrap(cover.verdict, fonts.BOLD, 11, TEXT_W - 16)

    def draw_verdict(canvas: Canvas, top: float) -> None:
        height = len(verdict_lines) * 14 + 12
        canvas.setFillColorRGB(*background)
        canvas.setStrokeColorRGB(*ink)
        canvas.setLineWidth(0.8)
        canvas.rect(MARGIN_X, top - height, TEXT_W, height, stroke=1, fill=1)
        for n, line in enumerate(verdict_lines):
            draw_text(canvas, line, MARGIN_X + 8, top - 6 - 11 - n * 14, font=fonts.BOLD,
                      size=11, colour=ink)

    return Block(len(verdict_lines) * 14 + 12 + 8, draw_verdict)


def _finding_blocks(cover: CoverSheet, lang: str, draft: bool) -> list[Block]:
    """The remarks: each finding's severity word, then its message wrapped beside it."""
    blocks: list[Block] = []
    heading = (translate("Missing or to be fixed", lang) if draft
               else translate("Remarks", lang))
    blocks.append(Block(22, text_line(heading, 14, font=fonts.BOLD, size=11),
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
                    draw_text(canvas, pre, MARGIN_X, top - 9.5, font=fonts.BOLD)
                if line:
                    draw_text(canvas, line, MARGIN_X + indent, top - 9.5)

            last = n == len(lines) - 1
            blocks.append(Block(LEADING + (3 if last else 0), draw_finding,
                                keep_with_next=not last and len(lines) <= 8))
    return blocks
