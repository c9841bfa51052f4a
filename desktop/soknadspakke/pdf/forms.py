"""Form fields of the inputs: flattened (each visible widget's appearance drawn into its page,
appearances generated first where a viewer would) or kept live under one parent field per
document (see :mod:`.annotations` for the rules)."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, cast

from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    BooleanObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    PdfObject,
    StreamObject,
    TextStringObject,
)

from soknadspakke.pdf.objects import add_object, as_flag, as_number, as_rect, resolve
from soknadspakke.pdf.stamps import fmt

HIDDEN, NO_VIEW = 2, 32  # annotation flags
IGNORED_ON_COPY: list[str | int] = [1, "/A", 1, "/AA", 1, "/P", 1, "/Parent", 1, "/Kids"]

log = logging.getLogger(__name__)


def _inherited(annot: DictionaryObject, key: str) -> Any:
    node: Any = annot
    for _ in range(64):
        if not isinstance(node, DictionaryObject):
            return None
        if key in node:
            return resolve(node[key])
        node = resolve(node.get("/Parent"))
    return None


def _normal_appearance(annot: DictionaryObject) -> StreamObject | None:
    ap = resolve(annot.get("/AP"))
    if not isinstance(ap, DictionaryObject):
        return None
    normal = resolve(ap.get("/N"))
    if isinstance(normal, StreamObject):
        return normal
    if not isinstance(normal, DictionaryObject):
        return None
    value = _inherited(annot, "/V")
    state = resolve(annot.get("/AS"))
    if isinstance(value, NameObject) and value in normal and _inherited(annot, "/FT") == "/Btn":
        state = value  # the field's value decides (a tool may have set /V and not /AS)
    if state not in normal:
        state = NameObject("/Off")
    stream = resolve(normal.get(state))
    return stream if isinstance(stream, StreamObject) else None


def _appearance_matrix(stream: StreamObject, rect: tuple[float, float, float, float]
                       ) -> tuple[float, float, float, float, float, float] | None:
    """The matrix that puts an appearance on its annotation's rectangle (PDF 12.5.5)."""
    bbox = as_rect(stream.get("/BBox"))
    if bbox is None:
        return None
    raw = resolve(stream.get("/Matrix"))
    m = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0]
    if isinstance(raw, ArrayObject) and len(raw) == 6:
        m = [as_number(v) for v in raw]
    corners = [(x, y) for x in (bbox[0], bbox[2]) for y in (bbox[1], bbox[3])]
    xs = [m[0] * x + m[2] * y + m[4] for x, y in corners]
    ys = [m[1] * x + m[3] * y + m[5] for x, y in corners]
    bw, bh = max(xs) - min(xs), max(ys) - min(ys)
    if bw <= 1e-6 or bh <= 1e-6:
        return None
    sx, sy = (rect[2] - rect[0]) / bw, (rect[3] - rect[1]) / bh
    return sx, 0.0, 0.0, sy, rect[0] - sx * min(xs), rect[1] - sy * min(ys)


@dataclass
class Flattened:
    """A widget's appearance to draw on the page: an XObject and its placement."""

    xobject: IndirectObject
    matrix: tuple[float, float, float, float, float, float]

    def command(self, name: str) -> bytes:
        a, b, c, d, e, f = (fmt(v) for v in self.matrix)
        return f"q {a} {b} {c} {d} {e} {f} cm /{name} Do Q\n".encode()


def flatten_widget(writer: PdfWriter, annot: DictionaryObject,
                    override: StreamObject | None) -> Flattened | None:
    flags = int(as_number(annot.get("/F")))
    if flags & (HIDDEN | NO_VIEW):
        return None
    rect = as_rect(annot.get("/Rect"))
    stream = override if override is not None else _normal_appearance(annot)
    if rect is None or stream is None:
        return None
    matrix = _appearance_matrix(stream, rect)
    if matrix is None:
        return None
    clone = cast(StreamObject, stream.clone(writer))
    clone[NameObject("/Type")] = NameObject("/XObject")
    clone[NameObject("/Subtype")] = NameObject("/Form")
    ref = getattr(clone, "indirect_reference", None)
    if ref is None or ref.pdf is not writer:
        ref = add_object(writer, clone)
    return Flattened(ref, matrix)


def _text_value(field_dict: DictionaryObject) -> str:
    value = _inherited(field_dict, "/V")
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    return value if isinstance(value, str) and not isinstance(value, NameObject) else ""


def _qualified_name(annot: DictionaryObject) -> str:
    parts: list[str] = []
    node: Any = annot
    for _ in range(64):
        if not isinstance(node, DictionaryObject):
            break
        if "/T" in node:
            parts.append(str(resolve(node["/T"])))
        node = resolve(node.get("/Parent"))
    return ".".join(reversed(parts))


def _widgets(reader: PdfReader) -> Iterator[tuple[int, int, DictionaryObject]]:
    for pi, page in enumerate(reader.pages):
        annots = resolve(page.get("/Annots"))
        if not isinstance(annots, ArrayObject):
            continue
        for ai, item in enumerate(annots):
            annot = resolve(item)
            if isinstance(annot, DictionaryObject) and annot.get("/Subtype") == "/Widget":
                yield pi, ai, annot


def regenerate_appearances(reader: PdfReader) -> dict[tuple[int, int], StreamObject]:
    """Fresh appearances for filled text and choice fields whose appearance may be missing or
    stale, made by pypdf on a throw-away copy of the document. Empty when nothing needs it."""
    acro_form = resolve(reader.root_object.get("/AcroForm"))
    if not isinstance(acro_form, DictionaryObject):
        return {}
    need_all = as_flag(acro_form.get("/NeedAppearances"))
    wanted: dict[tuple[int, int], str] = {}
    values: dict[str, str] = {}
    for pi, ai, annot in _widgets(reader):
        if _inherited(annot, "/FT") not in ("/Tx", "/Ch"):
            continue
        value = _text_value(annot)
        if not value or not (need_all or _normal_appearance(annot) is None):
            continue
        name = _qualified_name(annot)
        if name:
            wanted[(pi, ai)] = name
            values[name] = value
    if not wanted:
        return {}
    try:
        copy = PdfWriter(clone_from=reader)
        copy.update_page_form_field_values(None, values, auto_regenerate=False)
    except Exception:  # keep the stored appearances rather than fail the build
        log.warning("could not regenerate form appearances", exc_info=True)
        return {}
    result: dict[tuple[int, int], StreamObject] = {}
    for (pi, ai) in wanted:
        with contextlib.suppress(IndexError, KeyError, TypeError):
            annot = resolve(resolve(copy.pages[pi]["/Annots"])[ai])
            stream = _normal_appearance(annot)
            if stream is not None:
                result[(pi, ai)] = _plain_stream(stream)
    return result


def _plain_stream(stream: StreamObject) -> StreamObject:
    """A plain copy of a stream pypdf generated (its own classes do not clone faithfully)."""
    plain = StreamObject()
    plain.update({key: value for key, value in stream.items() if key != "/Length"})
    plain.set_data(stream._data)
    return plain


class FieldMerger:
    """Collects live form fields of several documents under one AcroForm, one parent field per
    document (``doc01``, ``doc02`` …) so that equal field names cannot collide."""

    def __init__(self, writer: PdfWriter) -> None:
        self.writer = writer
        self.roots = ArrayObject()
        self.fonts = DictionaryObject()
        self.default_appearance: PdfObject | None = None
        self.need_appearances = False
        self._root: DictionaryObject | None = None
        self._fields: dict[int, DictionaryObject] = {}

    def begin(self, number: int, reader: PdfReader) -> None:
        root = DictionaryObject({NameObject("/T"): TextStringObject(f"doc{number:02d}"),
                                 NameObject("/Kids"): ArrayObject()})
        self._root = root
        self._root_ref = add_object(self.writer, root)
        self._fields = {}
        acro_form = resolve(reader.root_object.get("/AcroForm"))
        if not isinstance(acro_form, DictionaryObject):
            return
        if as_flag(acro_form.get("/NeedAppearances")):
            self.need_appearances = True
        if self.default_appearance is None and "/DA" in acro_form:
            self.default_appearance = resolve(acro_form["/DA"]).clone(self.writer)
        resources = resolve(acro_form.get("/DR"))
        fonts = resolve(resources.get("/Font")) if isinstance(resources, DictionaryObject) \
            else None
        if isinstance(fonts, DictionaryObject):
            for name, font in fonts.items():
                if name not in self.fonts:
                    self.fonts[NameObject(name)] = font.clone(self.writer)

    def _attach(self, child_ref: IndirectObject, child: DictionaryObject, src_parent: Any) -> None:
        parent = self._field(src_parent) if isinstance(resolve(src_parent),
                                                       DictionaryObject) else None
        if parent is None:
            assert self._root is not None
            parent, parent_ref = self._root, self._root_ref
        else:
            parent_ref = cast(IndirectObject, parent.indirect_reference)
        child[NameObject("/Parent")] = parent_ref
        cast(ArrayObject, parent[NameObject("/Kids")]).append(child_ref)
        if parent is self._root and self._root_ref not in self.roots:
            self.roots.append(self._root_ref)

    def _field(self, src_ref: Any) -> DictionaryObject:
        src = cast(DictionaryObject, resolve(src_ref))
        key = id(src)
        if key in self._fields:
            return self._fields[key]
        new = src.clone(self.writer, False, IGNORED_ON_COPY)
        new[NameObject("/Kids")] = ArrayObject()
        ref = getattr(new, "indirect_reference", None)
        if ref is None or ref.pdf is not self.writer:
            ref = add_object(self.writer, new)
        self._fields[key] = new
        self._attach(ref, new, src.get("/Parent"))
        return new

    def add_widget(self, annot: DictionaryObject, new_page: Any) -> IndirectObject:
        clone = annot.clone(self.writer, False, IGNORED_ON_COPY)
        ref = getattr(clone, "indirect_reference", None)
        if ref is None or ref.pdf is not self.writer:
            ref = add_object(self.writer, clone)
        clone[NameObject("/P")] = new_page.indirect_reference
        self._attach(ref, clone, annot.get("/Parent"))
        return ref

    def finish(self) -> None:
        if not self.roots:
            return
        acro_form = DictionaryObject({
            NameObject("/Fields"): self.roots,
            NameObject("/DR"): DictionaryObject({NameObject("/Font"): self.fonts}),
            NameObject("/DA"): self.default_appearance or TextStringObject("/Helv 0 Tf 0 g"),
        })
        if self.need_appearances:
            acro_form[NameObject("/NeedAppearances")] = BooleanObject(True)
        self.writer.root_object[NameObject("/AcroForm")] = add_object(self.writer, acro_form)
