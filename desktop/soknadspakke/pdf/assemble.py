"""Building the package PDF: cover, index, the documents, and everything across them.

The steps, each input opened once and no page content stream parsed:

1. open every input (decrypting with its password) and count its pages;
2. lay out cover and index; now every page number is known;
3. draw cover and index with reportlab, and encode every page's footer text with the same
   embedded fonts;
4. copy the pages (without their annotations and ``/AA``), give each a footer, copy the
   annotations that are safe (:mod:`.annotations`), flatten or keep form fields;
5. bookmarks, index links, page labels, embedded originals, ``manifest.json``, metadata;
6. write to a temporary file beside ``out`` and rename it over ``out``.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import hashlib
import io
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from pypdf import PasswordType, PdfReader, PdfWriter
from pypdf.constants import PageLabelStyle
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    NumberObject,
    StreamObject,
)

from soknadspakke import __version__
from soknadspakke.core.atomic import atomic_writer
from soknadspakke.core.errors import Cancelled, InputFileError, SoknadError
from soknadspakke.core.i18n import T, Text, _, normalize_language, translate
from soknadspakke.core.tasks import CancelFn, ProgressFn, check_cancel, no_progress
from soknadspakke.pdf import stamps
from soknadspakke.pdf.annotations import (
    DocumentPages,
    FieldMerger,
    copy_annotations,
    make_destination,
    regenerate_appearances,
)
from soknadspakke.pdf.embed import (
    MANIFEST_NAME,
    Attachment,
    build_time,
    embed_files,
    manifest_json,
    pack,
    set_metadata,
    unique_name,
)
from soknadspakke.pdf.fonts import RawTextEncoder
from soknadspakke.pdf.frontmatter import (
    PAGE_H,
    PAGE_W,
    IndexLink,
    layout_front_matter,
    page_range,
    render_front_matter,
)
from soknadspakke.pdf.model import AssemblyResult, DocumentPlacement, PackageSpec
from soknadspakke.pdf.outline import OutlineNode, document_outline, write_outline

#: Page keys not copied from inputs: annotations are copied one by one (see .annotations),
#: page-level actions (/AA) are active content, article beads would point into the input.
EXCLUDED_PAGE_KEYS: list[str | int] = [1, "/Annots", 1, "/AA", 1, "/B"]
PRINT_BOXES = ("/TrimBox", "/BleedBox", "/ArtBox")
CANCEL_EVERY = 64  # pages
MIN_WIDTH, MIN_WIDTH_DRAFT = 24.0, 42.0  # narrowest footer, in font sizes


def _producer() -> str:
    return f"Søknadspakke {__version__} (pypdf, reportlab)"


def _open(path: Path, password: str | None, file_name: str) -> PdfReader:
    shown = file_name or path.name
    try:
        reader = PdfReader(path)
    except FileNotFoundError:
        raise InputFileError(_("the file was not found ({name})").format(name=shown),
                             path=path) from None
    except OSError as exc:
        raise InputFileError(_("the file cannot be read ({name}): {reason}").format(
            name=shown, reason=exc.strerror or exc), path=path) from None
    except Exception as exc:
        raise InputFileError(_("not a readable PDF ({name}): {reason}").format(
            name=shown, reason=exc), path=path) from None
    try:
        if reader.is_encrypted and reader.decrypt(password or "") == PasswordType.NOT_DECRYPTED:
            message = (_("the password does not open the PDF ({name})") if password
                       else _("the PDF is encrypted and no password was given ({name})"))
            raise InputFileError(message.format(name=shown), path=path)
        count = len(reader.pages)
    except InputFileError:
        raise
    except Exception as exc:
        raise InputFileError(_("not a readable PDF ({name}): {reason}").format(
            name=shown, reason=exc), path=path) from None
    if count == 0:
        raise InputFileError(_("the PDF has no pages ({name})").format(name=shown), path=path)
    return reader


def _guard_output(out: Path, spec: PackageSpec) -> None:
    target = out.resolve()
    for doc in spec.documents:
        for source in (doc.pdf_path, doc.original_path):
            if source is not None and Path(source).resolve() == target:
                raise SoknadError(_("the package would overwrite one of its input files"),
                                  path=out)


def _read_original(path: Path, sha256: str, file_name: str) -> bytes:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputFileError(_("the original file cannot be read ({name}): {reason}").format(
            name=file_name or path.name, reason=exc.strerror or exc), path=path) from None
    if sha256 and hashlib.sha256(data).hexdigest() != sha256.lower():
        raise InputFileError(_("the original file has changed since it was added ({name}); "
                               "add it again").format(name=file_name or path.name), path=path)
    return data


@dataclass
class _PagePlan:
    frame: stamps.Frame
    footer: bytes = b""


def _box(value: Any) -> tuple[float, ...] | None:
    value = value.get_object() if isinstance(value, IndirectObject) else value
    if not isinstance(value, ArrayObject) or len(value) != 4:
        return None
    return tuple(float(cast(Any, v.get_object() if isinstance(v, IndirectObject) else v))
                 for v in value)


@functools.lru_cache(maxsize=256)
def _frame(media: tuple[float, ...], crop: tuple[float, ...] | None, rotate: int,
           draft: bool) -> stamps.Frame:
    return stamps.plan_frame(media, crop, rotate, extend=True,
                             min_width_factor=MIN_WIDTH_DRAFT if draft else MIN_WIDTH)


def _plan(page: Any, draft: bool) -> _PagePlan:
    media = _box(page.get("/MediaBox")) or (0.0, 0.0, 612.0, 792.0)  # PDF's default: Letter
    rotate = page.get("/Rotate", 0)
    rotate = stamps.normalise_rotation(rotate.get_object() if isinstance(rotate, IndirectObject)
                                       else rotate)
    return _PagePlan(_frame(media, _box(page.get("/CropBox")), rotate, draft))


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


class _Stamper:
    """Gives pages their footer (and flattened form fields), without touching their content."""

    def __init__(self, writer: PdfWriter, font_dict: Any) -> None:
        self.writer = writer
        self.resources = writer._add_object(DictionaryObject({
            NameObject("/Font"): font_dict,
            NameObject("/ProcSet"): ArrayObject([NameObject("/PDF"), NameObject("/Text")]),
        }))
        self.open_q = _stream(writer, b"q\n")
        self._placements: dict[tuple[float, ...], bytes] = {}

    def _placement(self, matrix: tuple[float, ...]) -> bytes:
        cached = self._placements.get(matrix)
        if cached is None:
            cached = ("q " + " ".join(stamps.fmt(v) for v in matrix) + " cm ").encode()
            self._placements[matrix] = cached
        return cached

    def apply(self, page: Any, plan: _PagePlan, drawings: Sequence[Any] = ()) -> None:
        frame = plan.frame
        if frame.extended:
            x0, y0, x1, y1 = frame.box
            media = stamps.normalise_box(page[_MEDIABOX])
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

        contents = page.raw_get(_CONTENTS) if _CONTENTS in page else None
        parts: list[Any] = []
        if isinstance(contents, IndirectObject):
            target = contents.get_object()
            parts = list(target) if isinstance(target, ArrayObject) else [contents]
        elif isinstance(contents, ArrayObject):
            parts = list(contents)
        page[_CONTENTS] = ArrayObject([self.open_q, *parts,
                                       _stream(self.writer, b"".join(commands))])


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while the object graph is built.

    pypdf creates hundreds of thousands of small objects that all stay alive until the package
    is written; CPython's collector would traverse them again and again (about a tenth of the
    build time). Nothing made here is garbage before the end, so collection resumes afterwards.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def assemble_package(spec: PackageSpec, out: Path, *, progress: ProgressFn | None = None,
                     cancel: CancelFn | None = None, pause_gc: bool = False) -> AssemblyResult:
    """Write the package PDF for ``spec`` to ``out`` (atomically) and describe what was written.

    Raises :class:`~soknadspakke.core.errors.InputFileError` naming the file when an input
    cannot be read or opened (or an original changed since it was added), and
    :class:`~soknadspakke.core.errors.Cancelled` when ``cancel`` asks to stop; in both cases
    nothing is left at ``out`` (an existing file there stays as it was). Inputs are only read.

    ``pause_gc`` pauses the cyclic garbage collector during the build (see
    :func:`_gc_paused`): only for a process that does nothing else meanwhile.
    """
    out = Path(out)
    _guard_output(out, spec)
    lang = normalize_language(spec.lang)
    originals: Future[tuple[list[Attachment], dict[int, str]]] | None = None
    pool: ThreadPoolExecutor | None = None
    if any(doc.original_path is not None for doc in spec.documents):
        # Reading, checking and compressing the originals overlaps with copying the pages.
        pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="soknadspakke-originals")
        originals = pool.submit(_attachments, spec, lang)
    try:
        with _gc_paused() if pause_gc else contextlib.nullcontext():
            return _Build(spec, lang, out, report=progress or no_progress, cancel=cancel,
                          originals=originals).run()
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)


class _Build:
    """One run of :func:`assemble_package`."""

    def __init__(self, spec: PackageSpec, lang: str, out: Path, *, report: ProgressFn,
                 cancel: CancelFn | None,
                 originals: Future[tuple[list[Attachment], dict[int, str]]] | None) -> None:
        self.spec, self.lang, self.out = spec, lang, out
        self.report, self.cancel, self.originals = report, cancel, originals
        self.steps = 2 * len(spec.documents) + 3
        self.step = 0

    def _progress(self, message: Text) -> None:
        check_cancel(self.cancel)
        self.report(self.step, self.steps, message)
        self.step += 1

    def run(self) -> AssemblyResult:
        spec, lang, docs = self.spec, self.lang, self.spec.documents
        readers: list[PdfReader] = []
        plans: list[list[_PagePlan]] = []
        for doc in docs:
            self._progress(T("Reading {name}", name=doc.file_name))
            reader = _open(Path(doc.pdf_path), doc.password, doc.file_name)
            try:
                plans.append([_plan(page, spec.draft) for page in reader.pages])
            except Exception as exc:
                raise InputFileError(_("not a readable PDF ({name}): {reason}").format(
                    name=doc.file_name, reason=exc), path=doc.pdf_path) from exc
            readers.append(reader)

        self._progress(T("Drawing the cover and the index"))
        layout = layout_front_matter(spec.cover, docs, lang, spec.draft)
        front_count = layout.page_count
        placements: list[DocumentPlacement] = []
        next_page = front_count + 1
        for doc_plans in plans:
            placements.append(DocumentPlacement(next_page, next_page + len(doc_plans) - 1))
            next_page += len(doc_plans)
        total_pages = next_page - 1
        front_plans = [_plan_front() for _ in range(front_count)]
        labels = ([translate("Cover sheet", lang)] * len(layout.cover_pages)
                  + [translate("Contents", lang)] * len(layout.index_pages))
        draft_mark = translate("UTKAST / DRAFT", lang) if spec.draft else ""
        page_text = translate("Page {n} of {m}", lang)

        def encode_footers(encoder: RawTextEncoder) -> None:
            footers = stamps.FooterMaker(encoder)
            pages = [*zip(labels, front_plans, strict=True),
                     *((doc.short_label, plan)
                       for doc, doc_plans in zip(docs, plans, strict=True) for plan in doc_plans)]
            for number, (label, plan) in enumerate(pages, start=1):
                plan.footer = footers.make(plan.frame, stamps.FooterText(
                    label, page_text.format(n=number, m=total_pages), draft_mark))

        front_pdf, index_links = render_front_matter(layout, docs, placements,
                                                     total_pages=total_pages, lang=lang,
                                                     before_save=encode_footers)

        writer = PdfWriter()
        for page in PdfReader(io.BytesIO(front_pdf)).pages:
            writer.add_page(page)
        front_resources = cast(DictionaryObject, writer.pages[0]["/Resources"])
        stamper = _Stamper(writer, front_resources.raw_get("/Font"))
        for page, front_plan in zip(writer.pages, front_plans, strict=True):
            stamper.apply(page, front_plan)

        fields = FieldMerger(writer) if spec.keep_form_fields else None
        copied: list[DocumentPages] = []
        outlines: list[list[OutlineNode]] = []
        for number, (doc, doc_plans) in enumerate(zip(docs, plans, strict=True), start=1):
            self._progress(T("Adding {name}", name=doc.file_name))
            reader = readers[number - 1]
            try:
                pages = _copy_document(writer, reader, doc_plans, stamper=stamper,
                                       fields=fields, number=number, cancel=self.cancel)
                outlines.append(document_outline(pages))
            except (Cancelled, SoknadError):
                raise
            except Exception as exc:
                raise InputFileError(_("not a readable PDF ({name}): {reason}").format(
                    name=doc.file_name, reason=exc), path=doc.pdf_path) from exc
            copied.append(pages)
        if fields is not None:
            fields.finish()

        self._progress(T("Adding bookmarks, links and attachments"))
        _add_outline(writer, spec, lang, cover_pages=len(layout.cover_pages),
                     front_count=front_count, copied=copied, outlines=outlines)
        _add_index_links(writer, index_links, copied)
        writer.set_page_label(0, total_pages - 1, style=PageLabelStyle.DECIMAL, start=1)
        writer.page_mode = "/UseOutlines"
        when = build_time()
        attachments, attachment_names = (self.originals.result() if self.originals is not None
                                         else ([], {}))
        manifest = manifest_json(spec.manifest_extra, {
            "generator": spec.metadata.creator,
            "assembler": _producer(),
            "created": when.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "lang": lang,
            "draft": spec.draft,
            "form_fields": "kept" if spec.keep_form_fields else "flattened",
            "pages": total_pages,
            "front_matter_pages": front_count,
            "documents": [{
                "position": i + 1,
                "type_ids": list(doc.type_ids),
                "type": doc.type_label,
                "title": doc.title,
                "file_name": doc.file_name,
                "sha256": doc.sha256,
                "first_page": placement.first_page,
                "last_page": placement.last_page,
                "page_range": page_range(placement),
                "attachment": attachment_names.get(i),
            } for i, (doc, placement) in enumerate(zip(docs, placements, strict=True))],
        })
        embed_files(writer, [Attachment(
            MANIFEST_NAME, manifest, translate("Manifest of the application package (JSON)",
                                               lang),
            relationship="/Supplement", mime="application/json"), *attachments], when)
        meta = spec.metadata
        set_metadata(writer, title=meta.title, author=meta.author, subject=meta.subject,
                     creator=meta.creator, producer=_producer(), keywords=meta.keywords,
                     lang=lang, when=when)

        self._progress(T("Writing {name}", name=self.out.name))
        with atomic_writer(self.out) as handle:
            writer.write(handle)
        self.report(self.steps, self.steps, T("Done"))
        return AssemblyResult(self.out, total_pages, tuple(placements),
                              self.out.stat().st_size)


def _plan_front() -> _PagePlan:
    return _PagePlan(stamps.plan_frame((0, 0, PAGE_W, PAGE_H), None, 0, extend=False))


def _copy_document(writer: PdfWriter, reader: PdfReader, plans: Sequence[_PagePlan], *,
                   stamper: _Stamper, fields: FieldMerger | None, number: int,
                   cancel: CancelFn | None) -> DocumentPages:
    doc = DocumentPages(reader)
    for i, page in enumerate(reader.pages):
        if i % CANCEL_EVERY == CANCEL_EVERY - 1:
            check_cancel(cancel)
        # pypdf's clone takes "N, key" pairs (key ignored N levels deep); its hint says str only
        doc.new_pages.append(writer.add_page(page, cast(Any, EXCLUDED_PAGE_KEYS)))
    if fields is None:
        doc.appearance_overrides = regenerate_appearances(reader)
    else:
        fields.begin(number, reader)
    for i, (new_page, plan) in enumerate(zip(doc.new_pages, plans, strict=True)):
        annots = copy_annotations(writer, doc, i, fields)
        if annots.annots:
            new_page[NameObject("/Annots")] = ArrayObject(annots.annots)
        stamper.apply(new_page, plan, annots.drawings)
    return doc


def _add_outline(writer: PdfWriter, spec: PackageSpec, lang: str, *, cover_pages: int,
                 front_count: int, copied: Sequence[DocumentPages],
                 outlines: Sequence[list[OutlineNode]]) -> None:
    nodes = [OutlineNode(translate("Cover sheet", lang), make_destination(writer.pages[0]))]
    if front_count > cover_pages:
        nodes.append(OutlineNode(translate("Contents", lang),
                                 make_destination(writer.pages[cover_pages])))
    title_format = translate("{type}: {title}", lang)
    for doc, pages, children in zip(spec.documents, copied, outlines, strict=True):
        nodes.append(OutlineNode(title_format.format(type=doc.type_label, title=doc.title),
                                 make_destination(pages.new_pages[0]), children=children))
    write_outline(writer, nodes)


def _add_index_links(writer: PdfWriter, links: Sequence[IndexLink],
                     copied: Sequence[DocumentPages]) -> None:
    for link in links:
        page = writer.pages[link.page]
        annot = DictionaryObject({
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Link"),
            NameObject("/Rect"): ArrayObject(FloatObject(v) for v in link.rect),
            NameObject("/Border"): ArrayObject([NumberObject(0)] * 3),
            NameObject("/P"): page.indirect_reference,
            NameObject("/Dest"): make_destination(copied[link.doc].new_pages[0]),
        })
        annots = page.get("/Annots")
        if annots is None:
            annots = ArrayObject()
            page[NameObject("/Annots")] = annots
        cast(ArrayObject, annots.get_object()).append(writer._add_object(annot))


def _attachments(spec: PackageSpec, lang: str) -> tuple[list[Attachment], dict[int, str]]:
    """The originals to embed, read, checked against their sha256 and compressed."""
    taken = {MANIFEST_NAME}
    attachments: list[Attachment] = []
    names: dict[int, str] = {}
    for i, doc in enumerate(spec.documents):
        if doc.original_path is None:
            continue
        path = Path(doc.original_path)
        data = _read_original(path, doc.sha256, doc.file_name)
        name = unique_name(doc.file_name or path.name, taken)
        names[i] = name
        attachments.append(pack(Attachment(name, data, translate(
            "Original file of “{title}” ({type})", lang).format(title=doc.title,
                                                                   type=doc.type_label))))
    return attachments, names
