"""Giving each page of the package its footer: the page's plan (the frame the footer goes in,
a page box where the input has none usable) and the stamper that adds the footer and flattened
form fields to a page without touching its content (see :mod:`.stamps` for the drawing)."""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    NumberObject,
    StreamObject,
)

from soknadspakke.pdf import stamps
from soknadspakke.pdf.drawing import PAGE_H, PAGE_W

PRINT_BOXES = ("/TrimBox", "/BleedBox", "/ArtBox")
MIN_WIDTH, MIN_WIDTH_DRAFT = 24.0, 42.0  # narrowest footer, in font sizes


@dataclass
class PagePlan:
    frame: stamps.Frame
    footer: bytes = b""
    #: The MediaBox to give a page that has none (or an unusable one); ``None`` when it has.
    media: tuple[float, ...] | None = None


#: The page size of a page without a usable MediaBox or CropBox: A4 (intake warns about it).
A4_BOX = (0.0, 0.0, 595.28, 841.89)


def _box(value: Any) -> tuple[float, ...] | None:
    """A page box as four numbers, or ``None`` when it is absent, malformed or empty."""
    try:
        value = value.get_object() if isinstance(value, IndirectObject) else value
        if not isinstance(value, ArrayObject) or len(value) != 4:
            return None
        box = tuple(float(cast(Any, v.get_object() if isinstance(v, IndirectObject) else v))
                    for v in value)
    except (TypeError, ValueError, AttributeError):
        return None
    x0, y0, x1, y1 = stamps.normalize_box(box)
    if not all(map(math.isfinite, box)) or x1 - x0 < 1 or y1 - y0 < 1:
        return None
    return box


@functools.lru_cache(maxsize=256)
def _frame(media: tuple[float, ...], crop: tuple[float, ...] | None, rotate: int,
           draft: bool) -> stamps.Frame:
    return stamps.plan_frame(media, crop, rotate, extend=True,
                             min_width_factor=MIN_WIDTH_DRAFT if draft else MIN_WIDTH)


def plan_page(page: Any, draft: bool) -> PagePlan:
    crop = _box(page.get("/CropBox"))
    media = _box(page.get("/MediaBox"))
    # A page without a MediaBox (inherited ones are already on the page) is drawn by viewers
    # on its CropBox or a default size: the package gives it that box (intake warns).
    missing = media is None
    if media is None:
        media = crop or A4_BOX
    rotate = page.get("/Rotate", 0)
    rotate = stamps.normalize_rotation(rotate.get_object() if isinstance(rotate, IndirectObject)
                                       else rotate)
    return PagePlan(_frame(media, crop, rotate, draft), media=media if missing else None)


def _stream(writer: PdfWriter, data: bytes, entries: dict[Any, Any] | None = None
            ) -> IndirectObject:
    stream = StreamObject()
    stream.set_data(data)
    if entries:
        stream.update(entries)
    return writer._add_object(stream)


def _unique_name(base: str, taken: DictionaryObject) -> NameObject:
    name, n = NameObject("/" + base), 1
    while name in taken:
        n += 1
        name = NameObject(f"/{base}{n}")
    return name


_RESOURCES = NameObject("/Resources")


_XOBJECT = NameObject("/XObject")


_CONTENTS = NameObject("/Contents")


_MEDIABOX = NameObject("/MediaBox")


_CROPBOX = NameObject("/CropBox")


_FORM_ENTRIES = {NameObject("/Type"): NameObject("/XObject"),
                 NameObject("/Subtype"): NameObject("/Form")}


class Stamper:
    """Gives pages their footer (and flattened form fields), without touching their content."""

    def __init__(self, writer: PdfWriter, font_dict: Any) -> None:
        self.writer = writer
        self.resources = writer._add_object(DictionaryObject({
            NameObject("/Font"): font_dict,
            NameObject("/ProcSet"): ArrayObject([NameObject("/PDF"), NameObject("/Text")]),
        }))
        self.open_q = _stream(writer, b"q\n")
        self._placements: dict[tuple[float, ...], bytes] = {}
        self._closers: dict[bytes, IndirectObject] = {}

    def _placement(self, matrix: tuple[float, ...]) -> bytes:
        cached = self._placements.get(matrix)
        if cached is None:
            cached = ("q " + " ".join(stamps.fmt(v) for v in matrix) + " cm ").encode()
            self._placements[matrix] = cached
        return cached

    def _closer(self, closing: bytes, *, shared: bool) -> IndirectObject:
        """The content stream that ends a page: the same for every page of one size, so one
        stream serves them all (a page's own stamp is then its footer, one object)."""
        if not shared:
            return _stream(self.writer, closing)
        closer = self._closers.get(closing)
        if closer is None:
            closer = self._closers[closing] = _stream(self.writer, closing)
        return closer

    def apply(self, page: Any, plan: PagePlan, drawings: Sequence[Any] = ()) -> None:
        frame = plan.frame
        if plan.media is not None:
            page[_MEDIABOX] = ArrayObject(FloatObject(v) for v in plan.media)
        if frame.extended:
            x0, y0, x1, y1 = frame.box
            media = stamps.normalize_box(page[_MEDIABOX])
            page[_MEDIABOX] = ArrayObject(FloatObject(v) for v in (
                min(media[0], x0), min(media[1], y0), max(media[2], x1), max(media[3], y1)))
            if _CROPBOX in page:
                page[_CROPBOX] = ArrayObject(FloatObject(v) for v in frame.box)
            for key in PRINT_BOXES:
                if key in page:
                    del page[key]
        resources = page.get(_RESOURCES)
        resources = DictionaryObject(resources.get_object() if resources is not None else {})
        xobjects = resources.get(_XOBJECT)
        xobjects = DictionaryObject(xobjects.get_object() if xobjects is not None else {})
        footer_name = _unique_name("SpkFooter", xobjects)
        entries: dict[Any, Any] = dict(_FORM_ENTRIES)
        entries[NameObject("/BBox")] = ArrayObject(
            [NumberObject(0), NumberObject(0), FloatObject(frame.width), FloatObject(frame.band)])
        entries[_RESOURCES] = self.resources
        xobjects[footer_name] = _stream(self.writer, plan.footer, entries)
        commands = [b"\nQ\n"]
        for drawing in drawings:
            name = _unique_name("SpkField", xobjects)
            xobjects[name] = drawing.xobject
            commands.append(drawing.command(name[1:]))
        commands.append(self._placement(frame.matrix) + footer_name.encode() + b" Do Q\n")
        resources[_XOBJECT] = xobjects
        page[_RESOURCES] = resources
        closer = self._closer(b"".join(commands), shared=not drawings)

        contents = page.raw_get(_CONTENTS) if _CONTENTS in page else None
        parts: list[Any] = []
        if isinstance(contents, IndirectObject):
            target = contents.get_object()
            parts = list(target) if isinstance(target, ArrayObject) else [contents]
        elif isinstance(contents, ArrayObject):
            parts = list(contents)
        page[_CONTENTS] = ArrayObject([self.open_q, *parts, closer])


def plan_front() -> PagePlan:
    return PagePlan(stamps.plan_frame((0, 0, PAGE_W, PAGE_H), None, 0, extend=False))
