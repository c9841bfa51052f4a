"""Building the package PDF: cover, index, the documents, and everything across them.

The steps, streaming: each input is opened when its turn comes, its pages are copied and
written to the output, and it is released before the next one (memory stays about the largest
document plus a constant, whatever the number of documents); no page content stream is parsed.

1. page counts from the caller (intake's cache) or, where missing, by opening the input once;
2. lay out cover and index; now every page number is known;
3. draw cover and index with reportlab, sealing the glyphs every footer needs in the same
   embedded fonts;
4. per document: read its bytes (the next one is read and hashed on a thread meanwhile) and
   prove them against the sha256 validation saw, copy the pages (without their annotations and
   ``/AA``), give each a footer, copy the annotations that are safe (:mod:`.annotations`),
   flatten or keep form fields, take its outline; write it out (:mod:`.stream`) and let go;
5. bookmarks, index links, page labels, embedded originals, ``manifest.json``, metadata;
6. all of it goes to a temporary file beside ``out``, renamed over ``out`` at the end.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import hashlib
import io
import math
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
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
from soknadspakke.core.errors import Cancelled, InputFileError, OutputWriteError, SoknadError
from soknadspakke.core.i18n import T, Text, _, normalize_language, translate
from soknadspakke.core.tasks import CancelFn, ProgressFn, check_cancel, no_progress
from soknadspakke.core.text import printable, printable_json
from soknadspakke.pdf import fonts, stamps
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
from soknadspakke.pdf.model import (
    AssemblyResult,
    DocumentPlacement,
    PackageDocument,
    PackageSpec,
)
from soknadspakke.pdf.outline import OutlineNode, document_outline, write_outline
from soknadspakke.pdf.stream import PackageStream, kept_refs

#: Page keys not copied from inputs: annotations are copied one by one (see .annotations),
#: page-level actions (/AA) are active content, article beads would point into the input.
EXCLUDED_PAGE_KEYS: list[str | int] = [1, "/Annots", 1, "/AA", 1, "/B"]
PRINT_BOXES = ("/TrimBox", "/BleedBox", "/ArtBox")
CANCEL_EVERY = 64  # pages
MIN_WIDTH, MIN_WIDTH_DRAFT = 24.0, 42.0  # narrowest footer, in font sizes


def _producer() -> str:
    return f"Søknadspakke {__version__} (pypdf, reportlab)"


def _open(path: Path, password: str | None, file_name: str, data: bytes) -> PdfReader:
    shown = file_name or path.name
    try:
        reader = PdfReader(io.BytesIO(data))
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


def _printable_spec(spec: PackageSpec) -> PackageSpec:
    """``spec`` with every text made encodable (see :func:`~soknadspakke.core.text.printable`):
    a non-UTF-8 file name or a lone surrogate in a title must not stop the package."""
    cover = spec.cover
    return replace(
        spec,
        cover=replace(cover, heading=printable(cover.heading),
                      rows=tuple((printable(a), printable(b)) for a, b in cover.rows),
                      verdict=printable(cover.verdict),
                      findings=tuple((printable(a), printable(b)) for a, b in cover.findings)),
        documents=tuple(replace(doc, type_label=printable(doc.type_label),
                                short_label=printable(doc.short_label),
                                title=printable(doc.title), file_name=printable(doc.file_name),
                                original_name=printable(doc.original_name)
                                if doc.original_name else None)
                        for doc in spec.documents),
        metadata=replace(spec.metadata, **{key: printable(getattr(spec.metadata, key))
                                           for key in ("title", "author", "subject", "creator",
                                                       "keywords")}),
        manifest_extra=printable_json(dict(spec.manifest_extra)))


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
    x0, y0, x1, y1 = stamps.normalise_box(box)
    if not all(map(math.isfinite, box)) or x1 - x0 < 1 or y1 - y0 < 1:
        return None
    return box


@functools.lru_cache(maxsize=256)
def _frame(media: tuple[float, ...], crop: tuple[float, ...] | None, rotate: int,
           draft: bool) -> stamps.Frame:
    return stamps.plan_frame(media, crop, rotate, extend=True,
                             min_width_factor=MIN_WIDTH_DRAFT if draft else MIN_WIDTH)


def _plan(page: Any, draft: bool) -> _PagePlan:
    crop = _box(page.get("/CropBox"))
    media = _box(page.get("/MediaBox"))
    # A page without a MediaBox (inherited ones are already on the page) is drawn by viewers
    # on its CropBox or a default size: the package gives it that box (intake warns).
    missing = media is None
    if media is None:
        media = crop or A4_BOX
    rotate = page.get("/Rotate", 0)
    rotate = stamps.normalise_rotation(rotate.get_object() if isinstance(rotate, IndirectObject)
                                       else rotate)
    return _PagePlan(_frame(media, crop, rotate, draft), media=media if missing else None)


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

    def apply(self, page: Any, plan: _PagePlan, drawings: Sequence[Any] = ()) -> None:
        frame = plan.frame
        if plan.media is not None:
            page[_MEDIABOX] = ArrayObject(FloatObject(v) for v in plan.media)
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
        closer = self._closer(b"".join(commands), shared=not drawings)

        contents = page.raw_get(_CONTENTS) if _CONTENTS in page else None
        parts: list[Any] = []
        if isinstance(contents, IndirectObject):
            target = contents.get_object()
            parts = list(target) if isinstance(target, ArrayObject) else [contents]
        elif isinstance(contents, ArrayObject):
            parts = list(contents)
        page[_CONTENTS] = ArrayObject([self.open_q, *parts, closer])


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
    spec = _printable_spec(spec)
    lang = normalize_language(spec.lang)
    left_out = _unreadable(spec, cancel) if spec.draft else []
    if left_out:  # a draft: one bad document does not stop the package
        gone = {index for index, _reason in left_out}
        kept = [i for i in range(len(spec.documents)) if i not in gone]
        renumber = {old: new for new, old in enumerate(kept)}
        requirements = tuple(replace(row, meets=tuple(renumber[i] for i in row.meets
                                                      if i in renumber))
                             for row in spec.cover.requirements)
        spec = replace(spec, documents=tuple(spec.documents[i] for i in kept),
                       cover=replace(spec.cover, requirements=requirements))
    originals: Future[tuple[list[Attachment], dict[int, str]]] | None = None
    pool: ThreadPoolExecutor | None = None
    if any(doc.original_path is not None for doc in spec.documents):
        # Reading, checking and compressing the originals overlaps with copying the pages.
        pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="soknadspakke-originals")
        originals = pool.submit(_attachments, spec, lang)
    try:
        with _gc_paused() if pause_gc else contextlib.nullcontext():
            result = _Build(spec, lang, out, report=progress or no_progress, cancel=cancel,
                            originals=originals).run()
            return replace(result, left_out=tuple(left_out))
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)


def _unreadable(spec: PackageSpec, cancel: CancelFn | None) -> list[tuple[int, str]]:
    """For a draft: the inputs that cannot be opened and planned, with the reason; a draft
    leaves them out. Each is opened and let go again (the package is streamed one document
    at a time); a final package instead stops at the first document it cannot read."""
    left_out: list[tuple[int, str]] = []
    for index, doc in enumerate(spec.documents):
        check_cancel(cancel)
        try:
            reader = _open(Path(doc.pdf_path), doc.password, doc.file_name,
                           _read_input(doc, check=False))
            try:
                for page in reader.pages:
                    _plan(page, spec.draft)
            except Exception as exc:
                raise InputFileError(_("not a readable PDF ({name}): {reason}").format(
                    name=doc.file_name, reason=exc), path=doc.pdf_path) from exc
            finally:
                del reader
        except InputFileError as exc:
            left_out.append((index, str(exc)))
    if left_out and len(left_out) == len(spec.documents):
        raise InputFileError(_("no document of the package can be read: {reason}").format(
            reason=left_out[0][1]))
    return left_out


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
        try:
            return self._run()
        except OSError as exc:  # disk full, no permission, a name too long, a folder …
            # Reading an input is reported as InputFileError where it happens: an OSError
            # here comes from writing the package.
            raise OutputWriteError(_(
                "the package cannot be written here ({reason}). Check that the folder exists, "
                "that you may write in it and that the disk has room; or choose another place "
                "for the package.").format(reason=exc.strerror or exc), path=self.out) from None

    def _run(self) -> AssemblyResult:
        spec, lang, docs = self.spec, self.lang, self.spec.documents
        counts = [doc.pages if doc.pages is not None else self._count_pages(doc)
                  for doc in docs]

        self._progress(T("Drawing the cover and the index"))
        layout = layout_front_matter(spec.cover, docs, lang, spec.draft)
        front_count = layout.page_count
        placements: list[DocumentPlacement] = []
        next_page = front_count + 1
        for count in counts:
            placements.append(DocumentPlacement(next_page, next_page + count - 1))
            next_page += count
        total_pages = next_page - 1
        front_plans = [_plan_front() for _ in range(front_count)]
        labels = ([translate("Cover sheet", lang)] * len(layout.cover_pages)
                  + [translate("Requirements", lang)] * len(layout.matrix_pages)
                  + [translate("Contents", lang)] * len(layout.index_pages))
        draft_mark = translate("UTKAST / DRAFT", lang) if spec.draft else ""
        page_text = translate("Page {n} of {m}", lang)
        footers: list[stamps.FooterMaker] = []

        def prepare_footers(encoder: RawTextEncoder) -> None:
            # Every character a footer can show gets its glyph now, while the fonts are still
            # open; the footers themselves are made page by page later.
            sans = "".join([page_text, "0123456789…", *labels,
                            *(doc.short_label for doc in docs)])
            encoder.seal({fonts.SANS: sans, fonts.BOLD: draft_mark})
            footers.append(stamps.FooterMaker(encoder))

        front_pdf, index_links = render_front_matter(layout, docs, placements,
                                                     total_pages=total_pages, lang=lang,
                                                     before_save=prepare_footers)
        footer_maker = footers[0]

        def footer(number: int, label: str, plan: _PagePlan) -> None:
            plan.footer = footer_maker.make(plan.frame, stamps.FooterText(
                label, page_text.format(n=number, m=total_pages), draft_mark))

        writer = PdfWriter()
        for page in PdfReader(io.BytesIO(front_pdf)).pages:
            writer.add_page(page)
        front_pages = list(writer.pages)
        front_resources = cast(DictionaryObject, front_pages[0]["/Resources"])
        stamper = _Stamper(writer, front_resources.raw_get("/Font"))
        for number, (page, label, front_plan) in enumerate(
                zip(front_pages, labels, front_plans, strict=True), start=1):
            footer(number, label, front_plan)
            stamper.apply(page, front_plan)

        fields = FieldMerger(writer) if spec.keep_form_fields else None
        first_pages: list[Any] = []
        outlines: list[list[OutlineNode]] = []
        with atomic_writer(self.out) as handle, _Prefetch(docs) as inputs:
            out = PackageStream(writer, handle)
            out.keep(*kept_refs(front_pages))
            out.flush()
            for number, (doc, placement) in enumerate(zip(docs, placements, strict=True),
                                                     start=1):
                self._progress(T("Reading {name}", name=doc.file_name))
                reader = inputs.reader(number - 1)
                self._progress(T("Adding {name}", name=doc.file_name))
                try:
                    count = len(reader.pages)
                    if count != placement.last_page - placement.first_page + 1:
                        raise InputFileError(_(
                            "the file has changed since it was checked ({name}): it has "
                            "{count} pages now; build again").format(
                                name=doc.file_name, count=count), path=doc.pdf_path)
                    plans = [_plan(page, spec.draft) for page in reader.pages]
                    for i, plan in enumerate(plans):
                        footer(placement.first_page + i, doc.short_label, plan)
                    out.begin(reader)
                    pages = _copy_document(out, reader, plans, stamper=stamper,
                                           fields=fields, number=number, cancel=self.cancel)
                    outlines.append(document_outline(pages))
                except (Cancelled, SoknadError):
                    raise
                except Exception as exc:
                    raise InputFileError(_("not a readable PDF ({name}): {reason}").format(
                        name=doc.file_name, reason=exc), path=doc.pdf_path) from exc
                first_pages.append(pages.new_pages[0].indirect_reference)
                del pages, plans
                out.release(reader)
                inputs.done(number - 1)
                del reader
                out.flush()
            if fields is not None:
                fields.finish()

            self._progress(T("Adding bookmarks, links and attachments"))
            _add_outline(writer, spec, lang, front_pages=front_pages,
                         cover_pages=len(layout.cover_pages),
                         matrix_pages=len(layout.matrix_pages), first_pages=first_pages,
                         outlines=outlines)
            _add_index_links(writer, front_pages, index_links, first_pages)
            writer.root_object[NameObject("/PageLabels")] = DictionaryObject({
                NameObject("/Nums"): ArrayObject([NumberObject(0), DictionaryObject({
                    NameObject("/S"): NameObject(PageLabelStyle.DECIMAL),
                    NameObject("/St"): NumberObject(1)})])})
            writer.page_mode = "/UseOutlines"
            when = build_time()
            attachments, attachment_names = (self.originals.result()
                                             if self.originals is not None else ([], {}))
            manifest = manifest_json(spec.manifest_extra, {
                "generator": spec.metadata.creator,
                "assembler": _producer(),
                "created": when.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "lang": lang,
                "draft": spec.draft,
                "form_fields": "kept" if spec.keep_form_fields else "flattened",
                "pages": total_pages,
                "front_matter_pages": front_count,
                "requirements": [{
                    "rule": row.rule, "source": row.source, "met": row.met,
                    "documents": [i + 1 for i in row.meets],
                } for row in spec.cover.requirements],
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
            out.finish()
        self.report(self.steps, self.steps, T("Done"))
        return AssemblyResult(self.out, total_pages, tuple(placements),
                              self.out.stat().st_size)

    def _count_pages(self, doc: PackageDocument) -> int:
        """The page count of a document the caller did not count (opened and closed again)."""
        check_cancel(self.cancel)
        reader = _open(Path(doc.pdf_path), doc.password, doc.file_name,
                       _read_input(doc, check=False))
        return len(reader.pages)


def _read_input(doc: PackageDocument, *, check: bool = True) -> bytes:
    """The bytes of a document's PDF, proved against :attr:`PackageDocument.pdf_sha256`."""
    path = Path(doc.pdf_path)
    shown = doc.file_name or path.name
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputFileError(_("the file was not found ({name})").format(name=shown),
                             path=path) from None
    except OSError as exc:
        raise InputFileError(_("the file cannot be read ({name}): {reason}").format(
            name=shown, reason=exc.strerror or exc), path=path) from None
    if check and doc.pdf_sha256 and hashlib.sha256(data).hexdigest() != doc.pdf_sha256.lower():
        raise InputFileError(_("the file has changed since it was checked ({name}); check "
                               "the application again").format(name=shown), path=path)
    return data


class _Prefetch:
    """Reads (and hashes) the next document's bytes on a thread while one is copied; at most
    two documents are in memory at once."""

    def __init__(self, docs: Sequence[PackageDocument]) -> None:
        self.docs = docs
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="soknadspakke-read")
        self.pending: dict[int, Future[bytes]] = {}

    def __enter__(self) -> _Prefetch:
        self._submit(0)
        return self

    def __exit__(self, *exc: object) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)
        self.pending.clear()

    def _submit(self, index: int) -> None:
        if index < len(self.docs) and index not in self.pending:
            self.pending[index] = self.pool.submit(_read_input, self.docs[index])

    def reader(self, index: int) -> PdfReader:
        self._submit(index)
        data = self.pending[index].result()
        self._submit(index + 1)
        doc = self.docs[index]
        return _open(Path(doc.pdf_path), doc.password, doc.file_name, data)

    def done(self, index: int) -> None:
        self.pending.pop(index, None)


def _plan_front() -> _PagePlan:
    return _PagePlan(stamps.plan_frame((0, 0, PAGE_W, PAGE_H), None, 0, extend=False))


def _copy_document(out: PackageStream, reader: PdfReader, plans: Sequence[_PagePlan], *,
                   stamper: _Stamper, fields: FieldMerger | None, number: int,
                   cancel: CancelFn | None) -> DocumentPages:
    writer = out.writer
    doc = DocumentPages(reader)
    for i, page in enumerate(reader.pages):
        if i % CANCEL_EVERY == CANCEL_EVERY - 1:
            check_cancel(cancel)
        doc.new_pages.append(out.append_page(page, EXCLUDED_PAGE_KEYS))
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


def _add_outline(writer: PdfWriter, spec: PackageSpec, lang: str, *, front_pages: list[Any],
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


def _add_index_links(writer: PdfWriter, front_pages: list[Any], links: Sequence[IndexLink],
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


def _attachments(spec: PackageSpec, lang: str) -> tuple[list[Attachment], dict[int, str]]:
    """The originals to embed, read, checked against their sha256 and compressed."""
    taken = {MANIFEST_NAME}
    attachments: list[Attachment] = []
    names: dict[int, str] = {}
    for i, doc in enumerate(spec.documents):
        if doc.original_path is None:
            continue
        path = Path(doc.original_path)
        data = _read_original(path, doc.original_sha256 or doc.sha256, doc.file_name)
        name = unique_name(doc.original_name or doc.file_name or path.name, taken)
        names[i] = name
        attachments.append(pack(Attachment(name, data, translate(
            "Original file of “{title}” ({type})", lang).format(title=doc.title,
                                                                   type=doc.type_label))))
    return attachments, names
