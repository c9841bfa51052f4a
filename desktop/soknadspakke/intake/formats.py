"""The formats other than PDF: images, word-processor documents, spreadsheets and CSV, text.

Each is converted to the PDF a package uses (kept in the cache); the package embeds the
original (or a macro-free copy of it) as well.
"""

from __future__ import annotations

import hashlib
import zipfile
from collections.abc import Callable

from soknadspakke.core.errors import Cancelled
from soknadspakke.core.i18n import T
from soknadspakke.intake import convert, limits, macros, messages, render, spreadsheet
from soknadspakke.intake.cache import place_copy
from soknadspakke.intake.content import Content, copy_name
from soknadspakke.intake.job import Job
from soknadspakke.intake.model import Kind, PdfSource
from soknadspakke.intake.pdf_analysis import apply_facts, generated_facts, text_findings
from soknadspakke.intake.sniff import Sniffed, decode_text


def analyse_image(data: bytes, sniffed: Sniffed, job: Job) -> Content:
    name = job.name
    content = Content(Kind.IMAGE, sniffed.format, embed_original=True)
    job.report(0, 1, T("Converting {file} to PDF", file=name))
    try:
        pdf = convert.image_to_pdf(data)
        facts = generated_facts(pdf, job, with_text=False)
    except convert.ImageTooLargeError as exc:
        content.findings.append(messages.image_too_large(name, exc))
        return content
    except Cancelled:
        raise
    except Exception as exc:
        content.findings.append(messages.file_damaged(name, sniffed.format, exc))
        return content
    content.pdf_file = job.store_pdf(pdf)
    content.pdf = PdfSource.CACHE
    apply_facts(content, facts)
    content.findings.append(messages.scanned_no_text(name, image=True))
    return content


def _without_macros(content: Content, data: bytes, sniffed: Sniffed, job: Job
                    ) -> tuple[bytes, str]:
    """A package carries no macros: make the macro-free copy it embeds instead, and say so.
    Returns the bytes and format to convert (the copy's, or the original's when it fails)."""
    name = job.name
    try:
        copy = macros.strip_macros(data, sniffed.format)
    except macros.MacroRemovalError as exc:
        content.findings.append(messages.macro_file(name, sniffed.format, exc=exc))
        return data, sniffed.format
    content.copy_file = place_copy(job.cache, job.sha256, copy.format, copy.data)
    content.copy_format = copy.format
    content.copy_sha256 = hashlib.sha256(copy.data).hexdigest()
    content.findings.append(messages.macro_file(
        name, sniffed.format, copy=copy_name(name, copy.format)))
    return copy.data, copy.format


def _tracked_changes(data: bytes) -> bool:
    """True when a DOCX holds tracked insertions/deletions or comments (the parts are read in
    chunks, never whole)."""
    try:
        return (limits.contains(data, "word/document.xml", (b"<w:ins ", b"<w:del "))
                or limits.contains(data, "word/comments.xml", (b"<w:comment ",)))
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, ValueError, EOFError):
        return False


def analyse_office(data: bytes, sniffed: Sniffed, job: Job) -> Content:
    name = job.name
    content = Content(Kind.OFFICE, sniffed.format, embed_original=True)
    if sniffed.encrypted:
        content.findings.append(messages.office_encrypted(name))
        return content
    fmt = sniffed.format
    if sniffed.macro:  # LibreOffice converts the copy: the macros never reach it either
        data, fmt = _without_macros(content, data, sniffed, job)
    if sniffed.format in ("docx", "docm") and _tracked_changes(data):
        content.findings.append(messages.tracked_changes(name))
    soffice = convert.find_soffice()
    if soffice is None:
        content.findings.append(messages.no_converter(name))
        return content
    return _converted(content, job, lambda: convert.office_to_pdf(
        data, fmt, soffice, job.cancel), check_text=True)


def _converted(content: Content, job: Job, make_pdf: Callable[[], bytes], *,
               check_text: bool = False) -> Content:
    """Make the PDF a converted file contributes, keep it in the cache and read its facts."""
    job.report(0, 1, T("Converting {file} to PDF", file=job.name))
    try:
        pdf = make_pdf()
        facts = generated_facts(pdf, job)
    except Cancelled:
        raise
    except Exception as exc:
        content.findings.append(messages.conversion_failed(job.name, exc))
        return content
    content.pdf_file = job.store_pdf(pdf)
    content.pdf = PdfSource.CACHE
    apply_facts(content, facts)
    if check_text:
        text_findings(content, job.name)
    return content


def analyse_spreadsheet(data: bytes, sniffed: Sniffed, job: Job) -> Content:
    name = job.name
    content = Content(Kind.SPREADSHEET, sniffed.format, embed_original=True)
    if sniffed.macro:
        data, _fmt = _without_macros(content, data, sniffed, job)
    if sniffed.format == "csv" and len(data) > limits.MAX_CSV_BYTES:
        content.findings.append(messages.file_too_large(
            name, len(data), limits.MAX_CSV_BYTES, text_file=True))
        return content
    try:
        if sniffed.format == "csv":
            text = decode_text(data) or ""
            sheets = spreadsheet.read_csv(text, sniffed.delimiter, "", job.cancel)
        else:
            sheets = spreadsheet.read_xlsx(data, job.cancel)
    except Cancelled:
        raise
    except Exception as exc:
        content.findings.append(messages.file_damaged(name, sniffed.format, exc))
        return content
    hidden = [s.name for s in sheets if s.hidden]
    if hidden:
        content.findings.append(messages.hidden_sheets(name, hidden))
    if not any(s.ticked_count for s in sheets):
        content.findings.append(messages.no_ticked_variables(name))
    for sheet in sheets:
        if sheet.incomplete or (sheet.truncated and not sheet.hidden):
            content.findings.append(messages.spreadsheet_truncated(
                name, sheet.name or "CSV", sheet.total_rows, len(sheet.rows),
                incomplete=sheet.incomplete))
    return _converted(content, job, lambda: render.render_sheets(sheets, job.cancel))


def analyse_text(data: bytes, sniffed: Sniffed, job: Job) -> Content:
    name = job.name
    content = Content(Kind.TEXT, "txt", embed_original=True)
    if len(data) > limits.MAX_TEXT_BYTES:
        content.findings.append(messages.file_too_large(
            name, len(data), limits.MAX_TEXT_BYTES, text_file=True))
        return content
    text = decode_text(data) or ""
    if not text.strip():
        content.findings.append(messages.empty_file(name, text_file=True))
        return content
    return _converted(content, job, lambda: render.render_text(text, job.cancel))


def analyse_unsupported(data: bytes, sniffed: Sniffed, job: Job) -> Content:
    content = Content(Kind.UNSUPPORTED, sniffed.format)
    content.findings.append(messages.unsupported_type(job.name, sniffed.format, sniffed.label))
    return content
