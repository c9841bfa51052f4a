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

from soknadspakke.pdf import fonts
from soknadspakke.pdf.contents import (
    IndexRow,
    draw_index_page,
    index_rows,
    paginate_rows,
)
from soknadspakke.pdf.cover import cover_blocks
from soknadspakke.pdf.drawing import (
    AVAILABLE_H,
    BODY,
    MARGIN_TOP,
    PAGE_H,
    Block,
    IndexLink,
    Totals,
    paginate,
)
from soknadspakke.pdf.matrix import MatrixRow, draw_matrix_page, matrix_rows, paginate_matrix
from soknadspakke.pdf.model import (
    CoverSheet,
    DocumentPlacement,
    PackageDocument,
)


@dataclass
class FrontMatterLayout:
    cover_pages: list[list[Block]]
    index_pages: list[list[IndexRow]]
    totals: Totals = field(default_factory=Totals)
    matrix_pages: list[list[MatrixRow]] = field(default_factory=list)

    @property
    def page_count(self) -> int:
        return len(self.cover_pages) + len(self.matrix_pages) + len(self.index_pages)


def layout_front_matter(cover: CoverSheet, documents: Sequence[PackageDocument], lang: str,
                        draft: bool) -> FrontMatterLayout:
    """Cover and index laid out into pages; page numbers are not needed yet."""
    fonts.register_fonts()
    totals = Totals()
    cover_pages = paginate(cover_blocks(cover, lang, draft, len(documents), totals),
                           AVAILABLE_H)
    matrix = paginate_matrix(matrix_rows(cover.requirements, documents, lang))
    return FrontMatterLayout(cover_pages, paginate_rows(index_rows(documents)), totals, matrix)


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
    for n, page_rows in enumerate(layout.matrix_pages):
        draw_matrix_page(canvas, page_rows, first=n == 0, page=len(layout.cover_pages) + n,
                          placements=placements, lang=lang, links=links)
    index_start = len(layout.cover_pages) + len(layout.matrix_pages)
    for n, rows in enumerate(layout.index_pages):
        draw_index_page(canvas, rows, first=n == 0, page=index_start + n, documents=documents,
                        placements=placements, lang=lang, links=links)

    before_save(fonts.RawTextEncoder(canvas._doc))
    canvas.save()
    return buffer.getvalue(), links
