"""Reading PDFs with pypdf, and repairing damaged ones with pikepdf (qpdf).

pypdf reads leniently (``strict=False``) and reports what it had to work around through the
``pypdf`` logger; those messages are collected per thread (and kept off the console) to tell a
clean file from a damaged one. pikepdf reconstructs a lost cross-reference table and a cut-off
tail, which pypdf does not.
"""

from __future__ import annotations

import io
import logging
import math
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

from soknadspakke.core.tasks import CancelFn, check_cancel
from soknadspakke.intake.model import PageInfo

#: A page with fewer non-space characters than this counts as having no text.
MIN_PAGE_TEXT = 3
_DAMAGE_RE = re.compile(r"xref|startxref|eof marker|not defined|trailer|invalid object",
                        re.IGNORECASE)

PageProgress = Callable[[int, int], None]


class PypdfLog(logging.Handler):
    """Collect the ``pypdf`` log messages of the current thread while in a ``with`` block."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.thread = threading.get_ident()
        self.messages: list[str] = []
        self._logger = logging.getLogger("pypdf")

    def emit(self, record: logging.LogRecord) -> None:
        if record.thread == self.thread:
            try:
                self.messages.append(record.getMessage())
            except Exception:  # a malformed log record must not break intake
                self.messages.append(str(record.msg))

    def damage(self) -> list[str]:
        """The messages that say the file's structure is damaged."""
        return [m for m in self.messages if _DAMAGE_RE.search(m)]

    def __enter__(self) -> PypdfLog:
        self._logger.addHandler(self)
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self._logger.removeHandler(self)


@dataclass
class PdfFacts:
    """What intake records about a readable PDF."""

    page_info: list[PageInfo] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    has_forms: bool = False
    has_outline: bool = False
    xfa: bool = False
    #: A signature field, or an image where a signature would be (see :func:`signature_hint`).
    signature_hint: bool = False
    attachments: int = 0
    #: 1-based numbers of the pages without a usable MediaBox (the package uses A4 or the
    #: CropBox for them).
    no_page_size: list[int] = field(default_factory=list)
    #: 1-based numbers of the pages whose content streams cannot be decoded or parsed.
    damaged_content: list[int] = field(default_factory=list)
    #: 1-based numbers of the pages whose content unpacks to more than pypdf reads.
    oversized_content: list[int] = field(default_factory=list)

    @property
    def pages(self) -> int:
        return len(self.page_info)

    def pages_with_text(self) -> list[int]:
        return [i + 1 for i, t in enumerate(self.texts) if len(t.strip()) >= MIN_PAGE_TEXT]


def open_reader(data: bytes) -> Any:
    """A lenient pypdf reader over ``data`` (raises whatever pypdf raises)."""
    from pypdf import PdfReader

    return PdfReader(io.BytesIO(data), strict=False)


def _widget_values(page: Any) -> list[str]:
    """The filled-in values of the form fields on ``page`` (text and choices)."""
    from pypdf.generic import ArrayObject, NameObject

    values: list[str] = []
    annotations = page.get("/Annots")
    if annotations is None:
        return values
    for ref in annotations.get_object():
        annotation = ref.get_object()
        if not hasattr(annotation, "get") or annotation.get("/Subtype") != "/Widget":
            continue
        value = annotation.get("/V")
        if value is None and "/Parent" in annotation:
            value = annotation["/Parent"].get_object().get("/V")
        items = list(value) if isinstance(value, ArrayObject) else [value]
        for item in items:
            if isinstance(item, str) and not isinstance(item, NameObject) and item.strip():
                values.append(str(item))
    return values


#: pypdf's words for a content stream it could not decode or parse.
_STREAM_DAMAGE_RE = re.compile(
    r"decompress|decod|invalid elementary|unexpected end|zlib|corrupt|unterminated|"
    r"invalid (?:code|distance|block|stored)", re.IGNORECASE)


def page_text(page: Any) -> str:
    """The text of one page plus its filled-in form values ("" when extraction fails)."""
    return page_text_checked(page)[0]


#: The problems :func:`page_text_checked` reports.
DAMAGED, TOO_LARGE = "damaged", "too_large"


def page_text_checked(page: Any) -> tuple[str, str | None]:
    """The text of one page plus its filled-in form values, and what is wrong with the page's
    content streams: :data:`DAMAGED` (they cannot be decompressed or parsed: text extraction
    failed, or pypdf reported a decoding error), :data:`TOO_LARGE` (they unpack to more than
    pypdf's bound, 75 MB a stream) or ``None``."""
    from pypdf.errors import LimitReachedError

    problem: str | None = None
    with PypdfLog() as log:
        try:
            text = page.extract_text() or ""
        except LimitReachedError:
            text, problem = "", TOO_LARGE
        except Exception:  # pypdf fails in many ways on odd content streams
            text, problem = "", DAMAGED
    if problem is None and any(_STREAM_DAMAGE_RE.search(m) for m in log.messages):
        problem = DAMAGED
    try:
        values = _widget_values(page)
    except Exception:
        values = []
    if values:
        text = (text + "\n" if text else "") + "\n".join(values)
    return text, problem


#: What a page without a usable MediaBox or CropBox is taken to be (the package does the same).
A4_SIZE = (595.28, 841.89)


def _box(value: Any) -> tuple[float, float, float, float] | None:
    """A page box (normalized), or ``None`` when absent, malformed or empty."""
    try:
        value = value.get_object() if value is not None else None
        if value is None or len(value) != 4:
            return None
        x0, y0, x1, y1 = (float(v.get_object()) for v in value)
    except Exception:
        return None
    box = min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)
    if not all(math.isfinite(v) for v in box) or box[2] - box[0] < 1 or box[3] - box[1] < 1:
        return None
    return box


def has_page_size(page: Any) -> bool:
    """Whether the page has a usable MediaBox of its own or inherited."""
    try:
        return _box(page.get("/MediaBox")) is not None
    except Exception:
        return False


def page_geometry(page: Any) -> PageInfo:
    """The page's visible box and rotation. A page without a usable MediaBox is measured by
    its CropBox, or as A4, as the package will show it."""
    try:
        media = _box(page.get("/MediaBox"))
        crop = _box(page.get("/CropBox"))
    except Exception:
        media = crop = None
    if media is None:
        media = crop or (0.0, 0.0, *A4_SIZE)
    if crop is not None:
        clipped = (max(media[0], crop[0]), max(media[1], crop[1]), min(media[2], crop[2]),
                   min(media[3], crop[3]))
        if clipped[2] - clipped[0] >= 1 and clipped[3] - clipped[1] >= 1:
            media = clipped
    width, height = media[2] - media[0], media[3] - media[1]
    try:
        rotation = int(page.rotation or 0) % 360
    except Exception:
        rotation = 0
    return PageInfo(round(width, 2), round(height, 2), rotation)


def read_facts(reader: Any, *, with_text: bool = True, cancel: CancelFn | None = None,
               progress: PageProgress | None = None) -> PdfFacts:
    """Pages, their geometry and text, forms, outline, XFA and attachments.

    The page tree is walked first, so a broken tree raises before any text is read.
    """
    facts = PdfFacts()
    pages = list(reader.pages)
    for index, page in enumerate(pages):
        check_cancel(cancel)
        facts.page_info.append(page_geometry(page))
        if not has_page_size(page):
            facts.no_page_size.append(index + 1)
        if with_text:
            if progress is not None:
                progress(index, len(pages))
            text, problem = page_text_checked(page)
            facts.texts.append(text)
            if problem == TOO_LARGE:
                facts.oversized_content.append(index + 1)
            elif problem is not None:
                facts.damaged_content.append(index + 1)
        else:
            facts.texts.append("")
    try:
        facts.has_forms = bool(reader.get_fields())
    except Exception:
        facts.has_forms = False
    facts.signature_hint = signature_hint(reader, pages)
    try:
        facts.has_outline = bool(reader.outline)
    except Exception:
        facts.has_outline = False
    try:
        acroform = reader.trailer["/Root"].get_object().get("/AcroForm")
        facts.xfa = acroform is not None and "/XFA" in acroform.get_object()
    except Exception:
        facts.xfa = False
    try:
        facts.attachments = len(reader.attachments)
    except Exception:
        facts.attachments = 0
    return facts


def _images(page: Any) -> int:
    try:
        xobjects = page["/Resources"].get_object().get("/XObject")
        if xobjects is None:
            return 0
        return sum(1 for ref in xobjects.get_object().values()
                   if ref.get_object().get("/Subtype") == "/Image")
    except Exception:
        return 0


def signature_hint(reader: Any, pages: list[Any]) -> bool:
    """A sign that the document may be signed: a signature form field, or an image on the last
    page of a longer document (or a second image on a one-page letter, beside its logo)."""
    try:
        fields = reader.get_fields() or {}
        if any(f.get("/FT") == "/Sig" for f in fields.values()):
            return True
    except Exception:
        pass
    if not pages:
        return False
    images = _images(pages[-1])
    return images >= 2 if len(pages) == 1 else images >= 1


_PAGES_RE = re.compile(rb"/Type\s*/Pages\b")
_COUNT_RE = re.compile(rb"/Count\s+(\d{1,9})\b")
_LINEARIZED_RE = re.compile(rb"/Linearized\b[^>]{0,400}?/N\s+(\d{1,9})\b")
_OBJ_WINDOW = 256 * 1024


def declared_pages(data: bytes) -> int:
    """The number of pages a PDF says it has, read from its raw bytes (the root of the page
    tree, or the linearization dictionary), or 0. For a damaged file whose page tree is
    partly lost: repairing it recounts the pages that are left."""
    declared = 0
    match = _LINEARIZED_RE.search(data, 0, 4096)
    if match:
        declared = int(match.group(1))
    for found in _PAGES_RE.finditer(data):
        start = data.rfind(b"obj", max(0, found.start() - _OBJ_WINDOW), found.start())
        end = data.find(b"endobj", found.end(), found.end() + _OBJ_WINDOW)
        if start < 0:
            continue
        body = data[start:end if end >= 0 else found.end() + 4096]
        body = body.split(b"stream", 1)[0]
        if b"/Parent" in body:  # an inner node of the tree
            continue
        count = _COUNT_RE.search(body)
        if count:
            declared = max(declared, int(count.group(1)))
    return declared


@dataclass(frozen=True)
class Repair:
    """A PDF rebuilt by qpdf: its bytes, its pages and how many of them have content."""

    data: bytes
    pages: int
    pages_with_content: int


def _has_content(page: Any) -> bool:
    import pikepdf

    contents = page.obj.get("/Contents")
    if contents is None:
        return False
    streams = list(contents) if isinstance(contents, pikepdf.Array) else [contents]
    if not streams:
        return False
    try:
        return all(isinstance(s, pikepdf.Stream) and len(s.read_raw_bytes()) > 0
                   for s in streams)
    except Exception:  # a stream qpdf could not recover
        return False


def repair(data: bytes) -> Repair | None:
    """Rebuild a damaged, unencrypted PDF with qpdf; ``None`` when nothing can be recovered."""
    import pikepdf

    try:
        with pikepdf.open(io.BytesIO(data), attempt_recovery=True) as pdf:
            if pdf.is_encrypted:
                return None
            pages = len(pdf.pages)
            if pages == 0:
                return None
            with_content = sum(1 for page in pdf.pages if _has_content(page))
            if with_content == 0:
                return None
            out = io.BytesIO()
            pdf.save(out)
            return Repair(out.getvalue(), pages, with_content)
    except Exception:  # qpdf gives up in many ways; the caller reports it
        return None
