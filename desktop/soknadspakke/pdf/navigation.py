"""Finding one's way in the package: the bookmarks (front matter, then one entry per document
with its own outline nested) and the index's links to the documents' first pages."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

from pypdf import PdfWriter
from pypdf.constants import PageLabelStyle
from pypdf.generic import ArrayObject, DictionaryObject, FloatObject, NameObject, NumberObject

from soknadspakke.core.i18n import translate
from soknadspakke.pdf.annotations import make_destination
from soknadspakke.pdf.drawing import IndexLink
from soknadspakke.pdf.model import PackageSpec
from soknadspakke.pdf.outline import OutlineNode, write_outline


def add_outline(writer: PdfWriter, spec: PackageSpec, lang: str, *, front_pages: list[Any],
                 cover_pages: int, matrix_pages: int, first_pages: Sequence[Any],
                 outlines: Sequence[list[OutlineNode]]) -> None:
    nodes = [OutlineNode(translate("Cover sheet", lang), make_destination(front_pages[0]))]
    if matrix_pages:
        nodes.append(OutlineNode(translate("Requirements and where they are met", lang),
                                 make_destination(front_pages[cover_pages])))
    if len(front_pages) > cover_pages + matrix_pages:
        nodes.append(OutlineNode(translate("Contents", lang),
                                 make_destination(front_pages[cover_pages + matrix_pages])))
    title_format = translate("{type}: {title}", lang)
    for doc, first, children in zip(spec.documents, first_pages, outlines, strict=True):
        nodes.append(OutlineNode(title_format.format(type=doc.type_label, title=doc.title),
                                 make_destination(_Ref(first)), children=children))
    write_outline(writer, nodes)


@dataclass(frozen=True)
class _Ref:
    """A page written already: only its reference is left."""

    indirect_reference: Any


def add_index_links(writer: PdfWriter, front_pages: list[Any], links: Sequence[IndexLink],
                     first_pages: Sequence[Any]) -> None:
    for link in links:
        page = front_pages[link.page]
        annot = DictionaryObject({
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Link"),
            NameObject("/Rect"): ArrayObject(FloatObject(v) for v in link.rect),
            NameObject("/Border"): ArrayObject([NumberObject(0)] * 3),
            NameObject("/P"): page.indirect_reference,
            NameObject("/Dest"): make_destination(_Ref(first_pages[link.doc])),
        })
        annots = page.get("/Annots")
        if annots is None:
            annots = ArrayObject()
            page[NameObject("/Annots")] = annots
        cast(ArrayObject, annots.get_object()).append(writer._add_object(annot))


def add_page_labels(writer: PdfWriter) -> None:
    """Page labels that number the package's pages 1, 2, … from the cover on."""
    writer.root_object[NameObject("/PageLabels")] = DictionaryObject({
        NameObject("/Nums"): ArrayObject([NumberObject(0), DictionaryObject({
            NameObject("/S"): NameObject(PageLabelStyle.DECIMAL),
            NameObject("/St"): NumberObject(1)})])})
