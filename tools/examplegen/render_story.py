"""Letters and reports: the blocks of a document's text (see :mod:`examplegen.markup`) as
ReportLab flowables, laid out in the house style of :mod:`examplegen.pdf_base`.

Directives: ``@small``/``@title``/``@subject``/… (a paragraph in that style), ``@table`` (widths
in mm; ``noheader``, ``label``; cells split at `` | ``), ``@spacer MM``, ``@pagebreak``,
``@letterhead`` (recipient lines, then ``key | value`` references) and ``@signature SEED``
(name, role, optional place and date; ``keep=MM`` keeps it with a space of MM above).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    PageBreak,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from examplegen.markup import Block
from examplegen.pdf_base import GREY, LIGHT, MARGIN_X, PAGE_W, Signature, styles


def para(text: str, style: str = "body") -> Paragraph:
    return Paragraph(text, styles()[style])


def bullets(items: Sequence[str], numbered: bool = False) -> list[Flowable]:
    style = styles()["bullet"]
    out: list[Flowable] = []
    for i, item in enumerate(items, start=1):
        out.append(Paragraph(item, style, bulletText=f"{i}." if numbered else "•"))
    return out


def table(rows: Sequence[Sequence[str]], widths: Sequence[float], *, header: bool = True,
          label_col: bool = False) -> Table:
    """A grid table whose cells are paragraphs; the first row is a header when ``header``."""
    st = styles()
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
    st = styles()
    left = Paragraph("<br/>".join(recipient), st["body"])
    right = Paragraph("<br/>".join(f"<b>{k}:</b> {v}" for k, v in refs), st["right"])
    tbl = Table([[left, right]], colWidths=[95 * mm, PAGE_W - 2 * MARGIN_X - 95 * mm])
    tbl.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                             ("LEFTPADDING", (0, 0), (-1, -1), 0),
                             ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    return tbl


# -- blocks ------------------------------------------------------------------------------------


def _table(block: Block) -> list[Flowable]:
    widths = [float(w) * mm for w in block.words if w not in {"noheader", "label"}]
    return [table(block.cells(), widths, header="noheader" not in block.words,
                  label_col="label" in block.words)]


def _letterhead(block: Block) -> list[Flowable]:
    recipient = [line for line in block.lines if " | " not in line]
    refs = [(row[0], row[1]) for row in block.cells() if len(row) == 2]
    return [letter_head_block(recipient, refs)]


def _signature(block: Block) -> list[Flowable]:
    name, role, *rest = block.lines
    signature = Signature(name, role, rest[0] if rest else "", seed=int(block.words[0]))
    keep = block.option("keep")
    if keep:
        return [KeepTogether([Spacer(1, float(keep) * mm), signature])]
    return [signature]


_DIRECTIVES: dict[str, Callable[[Block], list[Flowable]]] = {
    "para": lambda b: [para(b.text, b.style)],
    "list": lambda b: bullets(b.lines, numbered=b.numbered),
    "table": _table,
    "letterhead": _letterhead,
    "signature": _signature,
    "spacer": lambda b: [Spacer(1, float(b.words[0]) * mm)],
    "pagebreak": lambda b: [PageBreak()],
}


def story(blocks: Sequence[Block]) -> list[Flowable]:
    """The flowables of a document; a directive named after a style is a paragraph in it."""
    out: list[Flowable] = []
    known = styles()
    for block in blocks:
        if block.kind in _DIRECTIVES:
            out += _DIRECTIVES[block.kind](block)
        elif block.kind in known:
            out.append(para(block.text, block.kind))
        else:
            raise ValueError(f"unknown directive @{block.kind}")
    return out
