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
import gc
import io
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any, cast

from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    NameObject,
)

from soknadspakke import __version__
from soknadspakke.core.atomic import atomic_writer
from soknadspakke.core.errors import Cancelled, InputFileError, OutputWriteError, SoknadError
from soknadspakke.core.i18n import T, Text, _, normalize_language, translate
from soknadspakke.core.tasks import CancelFn, ProgressFn, check_cancel, no_progress
from soknadspakke.pdf import fonts, stamps
from soknadspakke.pdf.annotations import DocumentPages, copy_annotations
from soknadspakke.pdf.contents import page_range
from soknadspakke.pdf.drawing import IndexLink
from soknadspakke.pdf.embed import (
    MANIFEST_NAME,
    Attachment,
    build_time,
    embed_files,
    embedded_originals,
    manifest_json,
    set_metadata,
)
from soknadspakke.pdf.fonts import RawTextEncoder
from soknadspakke.pdf.forms import FieldMerger, regenerate_appearances
from soknadspakke.pdf.frontmatter import (
    FrontMatterLayout,
    layout_front_matter,
    render_front_matter,
)
from soknadspakke.pdf.inputs import Prefetch, count_pages, unreadable_documents
from soknadspakke.pdf.model import (
    AssemblyResult,
    DocumentPlacement,
    PackageDocument,
    PackageSpec,
    printable_spec,
)
from soknadspakke.pdf.navigation import add_index_links, add_outline, add_page_labels
from soknadspakke.pdf.outline import OutlineNode, document_outline
from soknadspakke.pdf.stamping import PagePlan, Stamper, plan_front, plan_page
from soknadspakke.pdf.stream import PackageStream, kept_refs

#: Page keys not copied from inputs: annotations are copied one by one (see .annotations),
#: page-level actions (/AA) are active content, article beads would point into the input.
EXCLUDED_PAGE_KEYS: list[str | int] = [1, "/Annots", 1, "/AA", 1, "/B"]
CANCEL_EVERY = 64  # pages


def _producer() -> str:
    return f"Søknadspakke {__version__} (pypdf, reportlab)"


def _guard_output(out: Path, spec: PackageSpec) -> None:
    target = out.resolve()
    for doc in spec.documents:
        for source in (doc.pdf_path, doc.original_path):
            if source is not None and Path(source).resolve() == target:
                raise SoknadError(_("the package would overwrite one of its input files"),
                                  path=out)


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
    spec = printable_spec(spec)
    lang = normalize_language(spec.lang)
    left_out = unreadable_documents(spec, cancel) if spec.draft else []
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
        originals = pool.submit(embedded_originals, spec, lang)
    try:
        with _gc_paused() if pause_gc else contextlib.nullcontext():
            result = _Build(spec, lang, out, report=progress or no_progress, cancel=cancel,
                            originals=originals).run()
            return replace(result, left_out=tuple(left_out))
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
        spec, docs = self.spec, self.spec.documents
        counts = [doc.pages if doc.pages is not None else count_pages(doc, self.cancel)
                  for doc in docs]

        self._progress(T("Drawing the cover and the index"))
        front = self._front_matter(counts)
        fields = FieldMerger(front.writer) if spec.keep_form_fields else None
        first_pages: list[Any] = []
        outlines: list[list[OutlineNode]] = []
        with atomic_writer(self.out) as handle, Prefetch(docs) as inputs:
            out = PackageStream(front.writer, handle)
            out.keep(*kept_refs(front.pages))
            out.flush()
            for number, (doc, placement) in enumerate(zip(docs, front.placements, strict=True),
                                                     start=1):
                first, outline = self._add_document(out, inputs, number, doc, placement,
                                                    fields=fields)
                outlines.append(outline)
                first_pages.append(first)
                out.flush()
            if fields is not None:
                fields.finish()

            self._progress(T("Adding bookmarks, links and attachments"))
            self._finish(front, first_pages, outlines)
            self._progress(T("Writing {name}", name=self.out.name))
            out.finish()
        self.report(self.steps, self.steps, T("Done"))
        return AssemblyResult(self.out, front.total_pages, tuple(front.placements),
                              self.out.stat().st_size)

    def _front_matter(self, counts: Sequence[int]) -> _Front:
        """Lay out and draw cover and index, start the package's writer with their pages and
        stamp them; prepare the footers every page gets."""
        spec, lang, docs = self.spec, self.lang, self.spec.documents
        layout = layout_front_matter(spec.cover, docs, lang, spec.draft)
        front_count = layout.page_count
        placements: list[DocumentPlacement] = []
        next_page = front_count + 1
        for count in counts:
            placements.append(DocumentPlacement(next_page, next_page + count - 1))
            next_page += count
        self.total_pages = next_page - 1
        front_plans = [plan_front() for _ in range(front_count)]
        labels = ([translate("Cover sheet", lang)] * len(layout.cover_pages)
                  + [translate("Requirements", lang)] * len(layout.matrix_pages)
                  + [translate("Contents", lang)] * len(layout.index_pages))
        self.draft_mark = translate("UTKAST / DRAFT", lang) if spec.draft else ""
        self.page_text = translate("Page {n} of {m}", lang)
        footers: list[stamps.FooterMaker] = []

        def prepare_footers(encoder: RawTextEncoder) -> None:
            # Every character a footer can show gets its glyph now, while the fonts are still
            # open; the footers themselves are made page by page later.
            sans = "".join([self.page_text, "0123456789…", *labels,
                            *(doc.short_label for doc in docs)])
            encoder.seal({fonts.SANS: sans, fonts.BOLD: self.draft_mark})
            footers.append(stamps.FooterMaker(encoder))

        front_pdf, index_links = render_front_matter(layout, docs, placements,
                                                     total_pages=self.total_pages, lang=lang,
                                                     before_save=prepare_footers)
        self.footer_maker = footers[0]

        writer = PdfWriter()
        for page in PdfReader(io.BytesIO(front_pdf)).pages:
            writer.add_page(page)
        front_pages = list(writer.pages)
        front_resources = cast(DictionaryObject, front_pages[0]["/Resources"])
        self.stamper = Stamper(writer, front_resources.raw_get("/Font"))
        for number, (page, label, front_plan) in enumerate(
                zip(front_pages, labels, front_plans, strict=True), start=1):
            self._footer(number, label, front_plan)
            self.stamper.apply(page, front_plan)
        return _Front(layout, placements, self.total_pages, writer, front_pages, index_links)

    def _footer(self, number: int, label: str, plan: PagePlan) -> None:
        plan.footer = self.footer_maker.make(plan.frame, stamps.FooterText(
            label, self.page_text.format(n=number, m=self.total_pages), self.draft_mark))

    def _add_document(self, out: PackageStream, inputs: Prefetch, number: int,
                      doc: PackageDocument, placement: DocumentPlacement, *,
                      fields: FieldMerger | None) -> tuple[Any, list[OutlineNode]]:
        """Copy one document's pages (footers, annotations, fields) into the package and let
        the input go; its first page's reference and its outline."""
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
            plans = [plan_page(page, self.spec.draft) for page in reader.pages]
            for i, plan in enumerate(plans):
                self._footer(placement.first_page + i, doc.short_label, plan)
            out.begin(reader)
            pages = _copy_document(out, reader, plans, stamper=self.stamper,
                                   fields=fields, number=number, cancel=self.cancel)
            outline = document_outline(pages)
        except (Cancelled, SoknadError):
            raise
        except Exception as exc:
            raise InputFileError(_("not a readable PDF ({name}): {reason}").format(
                name=doc.file_name, reason=exc), path=doc.pdf_path) from exc
        first = pages.new_pages[0].indirect_reference
        del pages, plans
        out.release(reader)
        inputs.done(number - 1)
        del reader
        return first, outline

    def _finish(self, front: _Front, first_pages: Sequence[Any],
                outlines: Sequence[list[OutlineNode]]) -> None:
        """Bookmarks, index links, page labels, the manifest and embedded originals, and the
        document information."""
        spec, lang, writer = self.spec, self.lang, front.writer
        layout = front.layout
        add_outline(writer, spec, lang, front_pages=front.pages,
                    cover_pages=len(layout.cover_pages),
                    matrix_pages=len(layout.matrix_pages), first_pages=first_pages,
                    outlines=outlines)
        add_index_links(writer, front.pages, front.index_links, first_pages)
        add_page_labels(writer)
        writer.page_mode = "/UseOutlines"
        when = build_time()
        attachments, attachment_names = (self.originals.result()
                                         if self.originals is not None else ([], {}))
        manifest = _manifest(spec, lang, front, when, attachment_names)
        embed_files(writer, [Attachment(
            MANIFEST_NAME, manifest, translate("Manifest of the application package (JSON)",
                                               lang),
            relationship="/Supplement", mime="application/json"), *attachments], when)
        set_metadata(writer, spec.metadata, producer=_producer(), lang=lang, when=when)


@dataclass
class _Front:
    """The front matter as drawn, and where everything goes."""

    layout: FrontMatterLayout
    placements: list[DocumentPlacement]
    total_pages: int
    writer: PdfWriter
    pages: list[Any]
    index_links: Sequence[IndexLink]


def _manifest(spec: PackageSpec, lang: str, front: _Front, when: datetime,
              attachment_names: Mapping[int, str]) -> bytes:
    """``manifest.json``: what the package holds, for a program reading it."""
    return manifest_json(spec.manifest_extra, {
        "generator": spec.metadata.creator,
        "assembler": _producer(),
        "created": when.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "lang": lang,
        "draft": spec.draft,
        "form_fields": "kept" if spec.keep_form_fields else "flattened",
        "pages": front.total_pages,
        "front_matter_pages": front.layout.page_count,
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
        } for i, (doc, placement) in enumerate(
            zip(spec.documents, front.placements, strict=True))],
    })


def _copy_document(out: PackageStream, reader: PdfReader, plans: Sequence[PagePlan], *,
                   stamper: Stamper, fields: FieldMerger | None, number: int,
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


