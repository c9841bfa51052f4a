"""``inspect_file``: check one input file, normalise it to PDF, read its text, scan it.

The order of work for one file:

1. ``stat`` the path (vanished, folder, empty, too large are decided here, without reading);
2. hash the content in 1 MB chunks (never the whole file in memory for hashing);
3. look the hash up in the cache; on a hit nothing else is read;
4. otherwise read the bytes once, check that they still have the same hash, and work only on
   that copy in memory (the original is never opened again, locked or written next to);
5. ``stat`` again: a different size or modification time means the file changed meanwhile.
"""

from __future__ import annotations

import hashlib
import io
import os
import stat
import sys
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from soknadspakke.core.errors import Cancelled
from soknadspakke.core.findings import Finding, Severity, sort_findings
from soknadspakke.core.i18n import Msg, T, Text
from soknadspakke.core.tasks import CancelFn, ProgressFn, check_cancel
from soknadspakke.intake import convert, markers, pdfread, privacy, render, spreadsheet
from soknadspakke.intake.cache import (
    INTAKE_FORMAT_VERSION,
    IntakeCache,
    finding_from_json,
    finding_to_json,
    place_pdf,
)
from soknadspakke.intake.model import IntakeResult, PageInfo, TypeKeywords
from soknadspakke.intake.sniff import Sniffed, decode_text, sniff
from soknadspakke.intake.suggest import suggest_types

#: Files larger than this are refused (``file_too_large``); ``inspect_file(size_limit=…)``.
DEFAULT_SIZE_LIMIT = 200 * 1024 * 1024
#: Paths longer than this get an info finding (the classic Windows MAX_PATH).
LONG_PATH = 260
_CHUNK = 1024 * 1024
#: Findings that depend on this computer rather than the file: such results are not cached.
_TRANSIENT_CODES = frozenset({"no_converter", "conversion_failed"})

#: Extensions and the formats they promise (for ``extension_mismatch``).
_EXTENSION_FORMATS = {
    "pdf": "pdf", "jpg": "jpeg", "jpeg": "jpeg", "png": "png", "tif": "tiff", "tiff": "tiff",
    "gif": "gif", "bmp": "bmp", "webp": "webp", "docx": "docx", "docm": "docm", "doc": "doc",
    "odt": "odt", "rtf": "rtf", "xlsx": "xlsx", "xlsm": "xlsm", "csv": "csv", "txt": "txt",
}
_FORMAT_LABELS = {
    "pdf": "PDF", "jpeg": "JPEG", "png": "PNG", "tiff": "TIFF", "gif": "GIF", "bmp": "BMP",
    "webp": "WebP", "docx": "DOCX", "docm": "DOCM", "doc": "DOC", "odt": "ODT", "rtf": "RTF",
    "xlsx": "XLSX", "xlsm": "XLSM", "csv": "CSV", "txt": "TXT",
}


def format_label(fmt: str) -> str:
    """A format as users know it (``"docx"`` → ``"DOCX"``)."""
    return _FORMAT_LABELS.get(fmt, fmt.upper())


# --- small helpers --------------------------------------------------------------------------

def _finding(severity: Severity, code: str, name: str, message: Msg,
             page: int | None = None) -> Finding:
    return Finding(severity, code, message, files=(name,), page=page)


def _error(code: str, name: str, message: Msg) -> Finding:
    return _finding(Severity.ERROR, code, name, message)


def _os_path(path: Path) -> Path:
    """The path for OS calls; on Windows long paths get the ``\\\\?\\`` prefix."""
    text = str(path.absolute())
    if sys.platform == "win32" and len(text) >= LONG_PATH and not text.startswith("\\\\?\\"):
        text = "\\\\?\\UNC\\" + text[2:] if text.startswith("\\\\") else "\\\\?\\" + text
    return Path(text)


def _hash_file(os_path: Path, cancel: CancelFn | None) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with os_path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
            check_cancel(cancel)
    return digest.hexdigest(), size


def _read_all(os_path: Path) -> bytes:
    return os_path.read_bytes()


def _same_file(a: os.stat_result, b: os.stat_result) -> bool:
    return a.st_size == b.st_size and a.st_mtime_ns == b.st_mtime_ns


class _Progress:
    """Reports steps of one file to the caller's ``progress`` (``done`` of ``total``)."""

    def __init__(self, progress: ProgressFn | None, name: str) -> None:
        self.progress = progress
        self.name = name

    def __call__(self, done: int, total: int, message: Text) -> None:
        if self.progress is not None:
            self.progress(done, total, message)

    def page(self, done: int, total: int) -> None:
        self(done, total, T("Reading the text of {file}: page {page} of {pages}",
                            file=self.name, page=done + 1, pages=total))


# --- findings about the path and the file as a whole ----------------------------------------

def _vanished(name: str, path: Path) -> Finding:
    return _error("file_vanished", name, T(
        "{file} no longer exists in {folder}. It may have been moved, renamed or deleted; "
        "add it again from where it is now.", file=name, folder=str(path.parent)))


def _unreadable(name: str, exc: OSError) -> Finding:
    return _error("file_unreadable", name, T(
        "{file} cannot be read ({reason}). Check that you may open it, that it is not open "
        "in a program that locks it, and that its drive is connected; then add it again.",
        file=name, reason=exc.strerror or type(exc).__name__))


def _changed(name: str) -> Finding:
    return _error("file_changed_while_reading", name, T(
        "{file} changed while it was being read. Wait until the program that writes it (or "
        "a download or sync) has finished, then add it again.", file=name))


def _path_findings(path: Path, name: str) -> list[Finding]:
    length = len(str(path.absolute()))
    if length <= LONG_PATH:
        return []
    return [_finding(Severity.INFO, "long_path", name, T(
        "The path of {file} is {length} characters long. It was read, but some programs "
        "cannot open paths longer than 260 characters; consider moving the file to a folder "
        "with a shorter path.", file=name, length=length))]


def _extension_findings(name: str, fmt: str) -> list[Finding]:
    extension = Path(name).suffix.lower().lstrip(".")
    promised = _EXTENSION_FORMATS.get(extension)
    if not fmt or promised is None or promised == fmt:
        return []
    return [_finding(Severity.INFO, "extension_mismatch", name, T(
        "{file} is named .{extension}, but its content is {format}; it is treated as "
        "{format}.", file=name, extension=extension, format=format_label(fmt)))]


# --- the analysis of the content ------------------------------------------------------------

@dataclass
class _Content:
    """What the content of one file gave (everything here depends on the bytes only)."""

    kind: str
    format: str
    findings: list[Finding] = field(default_factory=list)
    page_info: list[PageInfo] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    #: ``"original"``, ``"cache"`` (converted or repaired copy) or None (unusable).
    pdf: str | None = None
    pdf_file: Path | None = None
    encrypted: bool = False
    needs_password: bool = False
    has_text: bool = False
    has_forms: bool = False
    has_outline: bool = False
    embed_original: bool = False
    cacheable: bool = True

    @property
    def pages(self) -> int:
        return len(self.page_info)


@dataclass
class _Job:
    """One call of :func:`inspect_file`: its inputs and helpers."""

    name: str
    sha256: str
    password: str | None
    cache: IntakeCache | None
    report: _Progress
    cancel: CancelFn | None

    def store_pdf(self, pdf: bytes) -> Path:
        return place_pdf(self.cache, self.sha256, pdf)


def _apply_facts(content: _Content, facts: pdfread.PdfFacts) -> None:
    content.page_info = list(facts.page_info)
    content.texts = list(facts.texts)
    content.has_forms = facts.has_forms
    content.has_outline = facts.has_outline
    content.has_text = bool(facts.pages_with_text())


def _text_findings(content: _Content, name: str) -> None:
    """``scanned_no_text`` / ``pages_without_text`` for PDFs and converted documents."""
    if content.pages == 0:
        return
    with_text = {i + 1 for i, t in enumerate(content.texts)
                 if len(t.strip()) >= pdfread.MIN_PAGE_TEXT}
    if not with_text:
        content.findings.append(_finding(Severity.WARNING, "scanned_no_text", name, T(
            "No text can be read from {file}: it looks like a scan or a picture. The program "
            "cannot check its content (such as dates, names and identity numbers). If you have "
            "the original document, export it to PDF from the program that made it; otherwise "
            "run text recognition (OCR) on the scan.", file=name)))
        return
    missing = [p for p in range(1, content.pages + 1) if p not in with_text]
    if missing:
        shown = ", ".join(str(p) for p in missing[:10]) + (" …" if len(missing) > 10 else "")
        content.findings.append(_finding(Severity.INFO, "pages_without_text", name, T(
            "{count} of {pages} pages of {file} have no readable text (pages {list}); their "
            "content cannot be checked.", file=name, count=len(missing), pages=content.pages,
            list=shown)))


def _generated_facts(pdf: bytes, job: _Job, *, with_text: bool = True) -> pdfread.PdfFacts:
    """Facts of a PDF this program made (converted); raises when it cannot be read."""
    with pdfread.PypdfLog():
        reader = pdfread.open_reader(pdf)
        return pdfread.read_facts(reader, with_text=with_text, cancel=job.cancel,
                                  progress=job.report.page)


_REASON_TRUNCATED = T("the file is cut off: it ends before the PDF does, as after an "
                      "interrupted download or copy")
_REASON_XREF = T("its cross-reference table, the index of its contents, is broken")
_REASON_PAGES = T("its page tree is broken, so the pages cannot be found")
_REASON_OTHER = T("its internal structure is broken")


def _damage_reason(exc: BaseException | None, log: Sequence[str], data: bytes) -> Msg:
    text = " ".join([str(exc) if exc is not None else "", *log]).lower()
    if b"%%EOF" not in data[-2048:] or "stream has ended" in text or "eof marker" in text:
        return _REASON_TRUNCATED
    if "/pages" in text or "page tree" in text or "kids" in text:
        return _REASON_PAGES
    if "xref" in text or "startxref" in text or "trailer" in text:
        return _REASON_XREF
    return _REASON_OTHER


def _repair(data: bytes, job: _Job) -> tuple[pdfread.Repair, pdfread.PdfFacts] | None:
    """A copy rebuilt by qpdf and its facts, or None when that does not give readable pages."""
    repaired = pdfread.repair(data)
    if repaired is None:
        return None
    check_cancel(job.cancel)
    try:
        facts = _generated_facts(repaired.data, job)
    except Cancelled:
        raise
    except Exception:  # qpdf's copy is no better for pypdf
        return None
    return (repaired, facts) if facts.pages else None


def _analyse_pdf(data: bytes, job: _Job) -> _Content:
    from pypdf import PasswordType
    from pypdf.errors import DependencyError

    name = job.name
    content = _Content("pdf", "pdf")
    reader: Any = None
    facts: pdfread.PdfFacts | None = None
    error: Exception | None = None
    with pdfread.PypdfLog() as log:
        try:
            reader = pdfread.open_reader(data)
            content.encrypted = bool(reader.is_encrypted)
        except Cancelled:
            raise
        except Exception as exc:  # pypdf raises many unrelated types for bad input
            error = exc
        if reader is not None and content.encrypted:
            content.cacheable = False  # neither decrypted text nor the result is cached
            try:
                owner_only = reader.decrypt("") != PasswordType.NOT_DECRYPTED
                opened = owner_only or (job.password is not None and reader.decrypt(
                    job.password) != PasswordType.NOT_DECRYPTED)
            except (DependencyError, NotImplementedError) as exc:
                content.findings.append(_error("pdf_encryption_unsupported", name, T(
                    "{file} is encrypted in a way this program cannot open ({detail}). Open "
                    "it in a PDF reader, save or print it as a new PDF without a password, and "
                    "add that file instead.", file=name, detail=str(exc)[:200])))
                return content
            except Cancelled:
                raise
            except Exception as exc:
                error, owner_only, opened = exc, False, True
            if not opened:
                content.needs_password = True
                if job.password is None:
                    content.findings.append(_error("password_required", name, T(
                        "{file} is protected by a password. Give the password that opens it; "
                        "it is used only to read the file and is never stored.", file=name)))
                else:
                    content.findings.append(_error("wrong_password", name, T(
                        "The password given for {file} is wrong. Give the password that opens "
                        "the document (a password that only restricts printing or editing is "
                        "not enough).", file=name)))
                return content
            if error is None and owner_only:
                content.findings.append(_finding(Severity.INFO, "pdf_restricted", name, T(
                    "{file} has an owner password that restricts what may be done with it "
                    "(such as editing). It opens without a password and is included as it "
                    "is.", file=name)))
            elif error is None:
                content.findings.append(_finding(Severity.INFO, "pdf_encrypted", name, T(
                    "{file} is protected by a password. It was opened with the password you "
                    "gave, which is not stored: the program asks for it again when it builds "
                    "the package.", file=name)))
        damage: list[str] = []
        if reader is not None and error is None:
            try:
                len(reader.pages)  # walk the page tree before any text is read
                damage = log.damage()  # only what opening reported: text warnings are no damage
                facts = pdfread.read_facts(reader, cancel=job.cancel, progress=job.report.page)
            except Cancelled:
                raise
            except Exception as exc:
                error = exc
                facts = None
        if facts is None:
            damage = log.damage()
    reason = _damage_reason(error, damage, data)
    readable = facts is not None and facts.pages > 0
    if readable and not damage:
        content.pdf = "original"
    elif (repaired := None if content.encrypted else _repair(data, job)) is not None:
        fixed, facts = repaired
        content.pdf_file = job.store_pdf(fixed.data)
        content.pdf = "cache"
        if fixed.pages_with_content == fixed.pages:
            message = T("{file} is damaged ({reason}). A repaired copy with all {pages} pages "
                        "is used; check it in the package, and if anything is missing, get a "
                        "new copy of the file.", file=name, reason=reason, pages=fixed.pages)
        else:
            message = T("{file} is damaged ({reason}). Only {recovered} of its {pages} pages "
                        "could be recovered; the others are blank. Get a complete copy from "
                        "the sender, or save it again from the program that made it.",
                        file=name, reason=reason, recovered=fixed.pages_with_content,
                        pages=fixed.pages)
        content.findings.append(_finding(Severity.WARNING, "pdf_repaired", name, message))
    elif readable:
        content.pdf = "original"  # damaged, but pypdf read it and qpdf could not do better
        content.findings.append(_finding(Severity.WARNING, "pdf_repaired", name, T(
            "{file} is damaged ({reason}), but it could be read as it is. Check its pages in "
            "the package; if anything is missing, get a new copy of the file.", file=name,
            reason=reason)))
    if facts is None:
        content.findings.append(_error("pdf_damaged", name, T(
            "{file} cannot be read as a PDF: {reason}. Get a new copy from its sender, or open "
            "it in a PDF reader and save it again as a new PDF, then add that file.",
            file=name, reason=reason)))
        return content
    _apply_facts(content, facts)
    if content.pages == 0:
        content.pdf, content.pdf_file = None, None
        content.findings.append(_error("pdf_no_pages", name, T(
            "{file} has no pages. Get a new copy of the file, or save it again from the "
            "program that made it.", file=name)))
        return content
    if facts.xfa:
        content.findings.append(_finding(Severity.WARNING, "pdf_xfa_form", name, T(
            "{file} is an XFA form, whose filled-in content may not show in the package. "
            "Print it to a new PDF (for example with \"Microsoft Print to PDF\" or \"Save as "
            "PDF\") and add that file instead.", file=name)))
    if facts.attachments:
        content.findings.append(_finding(Severity.INFO, "pdf_attachments", name, T(
            "{file} contains {count} embedded file(s). They are not checked; make sure they "
            "hold no personal data, or remove them.", file=name, count=facts.attachments)))
    _text_findings(content, name)
    return content


def _analyse_image(data: bytes, sniffed: Sniffed, job: _Job) -> _Content:
    name = job.name
    content = _Content("image", sniffed.format, embed_original=True)
    job.report(0, 1, T("Converting {file} to PDF", file=name))
    try:
        pdf = convert.image_to_pdf(data)
        facts = _generated_facts(pdf, job, with_text=False)
    except convert.ImageTooLargeError as exc:
        content.findings.append(_error("image_too_large", name, T(
            "{file} has too many pixels to be processed safely ({detail}). Save or scan it at "
            "a lower resolution (300 dpi is enough for documents) and add it again.",
            file=name, detail=str(exc)[:160])))
        return content
    except Cancelled:
        raise
    except Exception as exc:
        content.findings.append(_damaged(name, sniffed.format, exc))
        return content
    content.pdf_file = job.store_pdf(pdf)
    content.pdf = "cache"
    _apply_facts(content, facts)
    content.findings.append(_finding(Severity.WARNING, "scanned_no_text", name, T(
        "{file} is an image, so the program cannot read its text or check its content (such "
        "as dates, names and identity numbers). If the document exists as a Word or PDF file, "
        "add that instead.", file=name)))
    return content


def _damaged(name: str, fmt: str, exc: BaseException) -> Finding:
    return _error("file_damaged", name, T(
        "{file} looks like a {format} file, but it is damaged and cannot be read ({detail}). "
        "Open it in the program that made it and save it again, or ask the sender for a new "
        "copy.", file=name, format=format_label(fmt), detail=str(exc)[:200]))


def _macro_finding(name: str, fmt: str) -> Finding:
    return _finding(Severity.WARNING, "macro_file", name, T(
        "{file} is a macro-enabled {format} file. Save it without macros (as DOCX or XLSX) "
        "and add that file instead.", file=name, format=format_label(fmt)))


def _tracked_changes(data: bytes) -> bool:
    """True when a DOCX holds tracked insertions/deletions or comments."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            document = archive.read("word/document.xml") if "word/document.xml" in names \
                else b""
            comments = archive.read("word/comments.xml") if "word/comments.xml" in names \
                else b""
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, ValueError, EOFError):
        return False
    return b"<w:ins " in document or b"<w:del " in document or b"<w:comment " in comments


def _analyse_office(data: bytes, sniffed: Sniffed, job: _Job) -> _Content:
    name = job.name
    content = _Content("office", sniffed.format, embed_original=True)
    if sniffed.encrypted:
        content.findings.append(_error("office_encrypted", name, T(
            "{file} is protected by a password. Remove the password (in Word: File > Info > "
            "Protect Document) and save it again, or export it as PDF; then add that file.",
            file=name)))
        return content
    if sniffed.macro:
        content.findings.append(_macro_finding(name, sniffed.format))
    if sniffed.format in ("docx", "docm") and _tracked_changes(data):
        content.findings.append(_finding(Severity.WARNING, "tracked_changes", name, T(
            "{file} contains tracked changes or comments. Accept or reject all changes and "
            "delete the comments before you send it, so that SSB gets the final text.",
            file=name)))
    soffice = convert.find_soffice()
    if soffice is None:
        content.findings.append(_error("no_converter", name, T(
            "{file} cannot be converted to PDF here, because LibreOffice is not installed. "
            "Open it in Word (File > Save As > PDF) or LibreOffice (File > Export as PDF), and "
            "add the PDF instead; or install LibreOffice and add the file again.", file=name)))
        return content
    return _converted(content, job, lambda: convert.office_to_pdf(
        data, sniffed.format, soffice, job.cancel), text_findings=True)


def _converted(content: _Content, job: _Job, make_pdf: Callable[[], bytes], *,
               text_findings: bool = False) -> _Content:
    """Make the PDF a converted file contributes, keep it in the cache and read its facts."""
    job.report(0, 1, T("Converting {file} to PDF", file=job.name))
    try:
        pdf = make_pdf()
        facts = _generated_facts(pdf, job)
    except Cancelled:
        raise
    except Exception as exc:
        content.findings.append(_error("conversion_failed", job.name, T(
            "{file} could not be converted to PDF ({detail}). Open it in Word or LibreOffice, "
            "export it as PDF and add the PDF instead.", file=job.name,
            detail=str(exc)[:200])))
        return content
    content.pdf_file = job.store_pdf(pdf)
    content.pdf = "cache"
    _apply_facts(content, facts)
    if text_findings:
        _text_findings(content, job.name)
    return content


def _analyse_spreadsheet(data: bytes, sniffed: Sniffed, job: _Job) -> _Content:
    name = job.name
    content = _Content("spreadsheet", sniffed.format, embed_original=True)
    if sniffed.macro:
        content.findings.append(_macro_finding(name, sniffed.format))
    try:
        if sniffed.format == "csv":
            text = decode_text(data) or ""
            sheets = spreadsheet.read_csv(text, sniffed.delimiter, "")
        else:
            sheets = spreadsheet.read_xlsx(data, job.cancel)
    except Cancelled:
        raise
    except Exception as exc:
        content.findings.append(_damaged(name, sniffed.format, exc))
        return content
    hidden = [s.name for s in sheets if s.hidden]
    if hidden:
        content.findings.append(_finding(Severity.WARNING, "hidden_sheets", name, T(
            "{file} has hidden sheets ({sheets}). They are not shown in the PDF, but SSB gets "
            "the whole original file: check what they hold, or delete them.",
            file=name, sheets=", ".join(hidden))))
    if not any(s.ticked_count for s in sheets):
        content.findings.append(_finding(Severity.WARNING, "no_ticked_variables", name, T(
            "No ticked variable was found in {file}. If it is a variable list, mark the "
            "variables you apply for (for example with an x in the selection column) and save "
            "it again.", file=name)))
    for sheet in sheets:
        if sheet.truncated and not sheet.hidden:
            content.findings.append(_finding(Severity.INFO, "spreadsheet_truncated", name, T(
                "Sheet {sheet} of {file} has {rows} rows; the PDF shows the first {shown}. "
                "SSB gets the whole original file.", file=name, sheet=sheet.name or "CSV",
                rows=sheet.total_rows, shown=len(sheet.rows))))
    return _converted(content, job, lambda: render.render_sheets(sheets, job.cancel))


def _analyse_text(data: bytes, job: _Job) -> _Content:
    name = job.name
    content = _Content("text", "txt", embed_original=True)
    text = decode_text(data) or ""
    if not text.strip():
        content.findings.append(_error("empty_file", name, T(
            "{file} contains no text. Add the complete file.", file=name)))
        return content
    return _converted(content, job, lambda: render.render_text(text, job.cancel))


def _analyse_unsupported(sniffed: Sniffed, name: str) -> _Content:
    content = _Content("unsupported", sniffed.format)
    if sniffed.format == "zip":
        message = T("{file} is a ZIP archive. Unpack it and add the documents inside it "
                    "instead.", file=name)
    elif sniffed.label:
        message = T("{file} is a {what} file, which cannot be part of the application "
                    "package. Save or export it as PDF (a variable list as XLSX) and add that "
                    "file instead.", file=name, what=sniffed.label)
    else:
        message = T("The type of {file} was not recognised. Accepted are PDF, Word (DOCX, DOC, "
                    "ODT, RTF), Excel (XLSX), CSV, plain text and images (JPEG, PNG, TIFF). "
                    "Save it as PDF and add that file instead.", file=name)
    content.findings.append(_error("unsupported_type", name, message))
    return content


def _analyse(data: bytes, job: _Job) -> _Content:
    sniffed = sniff(data)
    if sniffed.kind == "pdf":
        content = _analyse_pdf(data, job)
    elif sniffed.kind == "image":
        content = _analyse_image(data, sniffed, job)
    elif sniffed.kind == "office":
        content = _analyse_office(data, sniffed, job)
    elif sniffed.kind == "spreadsheet":
        content = _analyse_spreadsheet(data, sniffed, job)
    elif sniffed.kind == "text":
        content = _analyse_text(data, job)
    else:
        content = _analyse_unsupported(sniffed, job.name)
    if content.pdf is not None and content.texts:
        content.findings += privacy.scan_pages(
            content.texts, job.name, include_ten_digit=content.kind == "spreadsheet")
        content.findings += markers.scan_pages(content.texts, job.name)
    return content


# --- cache entries --------------------------------------------------------------------------

def _entry(content: _Content, sha256: str, size: int) -> dict[str, Any]:
    return {
        "version": INTAKE_FORMAT_VERSION, "sha256": sha256, "size": size,
        "kind": content.kind, "format": content.format,
        "page_info": [[p.width, p.height, p.rotation] for p in content.page_info],
        "encrypted": content.encrypted, "has_text": content.has_text,
        "has_forms": content.has_forms, "has_outline": content.has_outline,
        "embed_original": content.embed_original, "pdf": content.pdf,
        "findings": [finding_to_json(f) for f in content.findings],
    }


def _content_from_entry(entry: dict[str, Any], name: str, cache: IntakeCache) -> _Content:
    sha = str(entry["sha256"])
    pdf = entry.get("pdf")
    return _Content(
        kind=str(entry["kind"]), format=str(entry["format"]),
        findings=[finding_from_json(f, name) for f in entry.get("findings", [])],
        page_info=[PageInfo(float(w), float(h), int(r)) for w, h, r in entry["page_info"]],
        pdf=pdf if pdf in ("original", "cache") else None,
        pdf_file=cache.pdf_path(sha) if pdf == "cache" else None,
        encrypted=bool(entry.get("encrypted")), has_text=bool(entry.get("has_text")),
        has_forms=bool(entry.get("has_forms")), has_outline=bool(entry.get("has_outline")),
        embed_original=bool(entry.get("embed_original")))


# --- the public function --------------------------------------------------------------------

def _result(path: Path, findings: Sequence[Finding], **fields: Any) -> IntakeResult:
    return IntakeResult(path=path, findings=tuple(sort_findings(findings)), **fields)


def inspect_file(path: Path, *, keywords: Sequence[TypeKeywords] = (),
                 password: str | None = None, cache: IntakeCache | None = None,
                 progress: ProgressFn | None = None, cancel: CancelFn | None = None,
                 size_limit: int | None = None, sha256: str | None = None) -> IntakeResult:
    """Inspect one input file. Never raises for bad input; only :class:`Cancelled`.

    ``password`` opens a PDF that needs a user password; it is used for this call only and
    never stored. ``size_limit`` (bytes) defaults to :data:`DEFAULT_SIZE_LIMIT`. ``sha256``: the
    content hash when the caller has just computed it (validation does); a cache hit then
    reads nothing, and on a miss the bytes read are checked against it. ``progress``
    gets the stages of the file (``done`` of 3) and, while text is read, its pages (``page``
    of ``pages``), each with a message saying what is being done.
    """
    path = Path(path)
    name = path.name or str(path)
    report = _Progress(progress, name)
    limit = DEFAULT_SIZE_LIMIT if size_limit is None else size_limit
    extra = _path_findings(path, name)
    check_cancel(cancel)
    os_path = _os_path(path)
    try:
        before = os_path.stat()
    except FileNotFoundError:
        return _result(path, [_vanished(name, path), *extra])
    except OSError as exc:
        return _result(path, [_unreadable(name, exc), *extra])
    if not stat.S_ISREG(before.st_mode):
        return _result(path, [_error("not_a_file", name, T(
            "{file} is a folder or a special file, not a document. Add the documents inside "
            "it instead.", file=name)), *extra])
    size = before.st_size
    if size == 0:
        return _result(path, [_error("empty_file", name, T(
            "{file} is empty (0 bytes). Add the complete file; if it was just downloaded or "
            "copied, do that again.", file=name)), *extra])
    if size > limit:
        mb = 1024 * 1024
        return _result(path, [_error("file_too_large", name, T(
            "{file} is {size} MB, more than the limit of {limit} MB. Make it smaller (for "
            "example scan at 300 dpi in black and white, or save the PDF with a smaller file "
            "size) or split it into parts, then add it again.", file=name,
            size=round(size / mb, 1), limit=round(limit / mb, 1))), *extra], size=size)

    report(0, 3, T("Checking {file}", file=name))
    try:
        entry = None
        if sha256 is not None and cache is not None:
            entry = cache.load_entry(sha256)
        if entry is not None and sha256 is not None:
            sha, hashed = sha256, size  # the caller just hashed it; nothing to read again
        else:
            sha, hashed = _hash_file(os_path, cancel)
            entry = cache.load_entry(sha) if cache is not None else None
        report(1, 3, T("Checking {file}", file=name))
        if entry is not None and cache is not None:
            content = _content_from_entry(entry, name, cache)
            texts = cache.load_texts(sha) if keywords else None  # only suggestions need them
            content.texts = texts if texts is not None else []
            same = hashed == size
        else:
            data = _read_all(os_path)
            same = len(data) == hashed == size and hashlib.sha256(data).hexdigest() == sha
            if not same:
                return _result(path, [_changed(name), *extra], size=size)
            job = _Job(name, sha, password, cache, report, cancel)
            report(2, 3, T("Reading {file}", file=name))
            content = _analyse(data, job)
            del data
        after = os_path.stat()
    except FileNotFoundError:
        return _result(path, [_vanished(name, path), *extra], size=size)
    except OSError as exc:
        return _result(path, [_unreadable(name, exc), *extra], size=size)
    except Cancelled:
        raise
    except MemoryError:
        return _result(path, [_error("file_too_large", name, T(
            "{file} is too large to be read with the memory available. Make it smaller or "
            "split it into parts, then add it again.", file=name)), *extra], size=size)
    except Exception as exc:  # a bug, or a library failing in a new way: report, don't crash
        return _result(path, [_error("intake_failed", name, T(
            "{file} could not be read because of an unexpected error ({detail}). Please "
            "report this; meanwhile, try saving the file again as PDF.", file=name,
            detail=f"{type(exc).__name__}: {exc}"[:200])), *extra], size=size)
    if not same or not _same_file(before, after):
        return _result(path, [_changed(name), *extra], size=size, sha256=sha)

    if entry is None and cache is not None and content.cacheable and not any(
            f.code in _TRANSIENT_CODES for f in content.findings):
        cache.store(sha, _entry(content, sha, size), content.texts)

    pdf_path = path if content.pdf == "original" else content.pdf_file
    suggestions = suggest_types(name, content.texts, keywords)
    findings = [*content.findings, *_extension_findings(name, content.format), *extra]
    report(3, 3, T("Checked {file}", file=name))
    return _result(
        path, findings, kind=content.kind, format=content.format, size=size, sha256=sha,
        pages=content.pages, page_info=tuple(content.page_info), encrypted=content.encrypted,
        needs_password=content.needs_password, has_text=content.has_text,
        has_forms=content.has_forms, has_outline=content.has_outline,
        suggested_types=suggestions, pdf_path=pdf_path,
        embed_original=content.embed_original)


# --- page texts -----------------------------------------------------------------------------

def page_texts(result: IntakeResult, cache: IntakeCache | None = None, *,
               password: str | None = None) -> list[str]:
    """The text of each page of ``result``'s PDF: from the cache, else read again.

    An encrypted PDF needs ``password`` again (its text is never cached). Pages whose text
    cannot be read (no PDF, wrong password, the file changed since) come back as "".
    """
    blank = [""] * result.pages
    if cache is not None and result.sha256:
        texts = cache.load_texts(result.sha256)
        if texts is not None and len(texts) == result.pages:
            return texts
    if result.pdf_path is None:
        return blank
    try:
        data = _read_all(_os_path(result.pdf_path))
    except OSError:
        return blank
    if result.pdf_path == result.path and hashlib.sha256(data).hexdigest() != result.sha256:
        return blank  # the original changed since it was inspected
    try:
        with pdfread.PypdfLog():
            reader = pdfread.open_reader(data)
            if reader.is_encrypted:
                from pypdf import PasswordType

                if reader.decrypt("") == PasswordType.NOT_DECRYPTED and (
                        password is None
                        or reader.decrypt(password) == PasswordType.NOT_DECRYPTED):
                    return blank
            texts = pdfread.read_facts(reader).texts
    except Exception:  # unreadable now: report no text rather than fail
        return blank
    return texts if len(texts) == result.pages else blank


def with_suggestions(result: IntakeResult, keywords: Sequence[TypeKeywords],
                     cache: IntakeCache | None = None) -> IntakeResult:
    """``result`` with type suggestions for ``keywords`` (from the cached page texts)."""
    texts = page_texts(result, cache) if result.pdf_path is not None else []
    return replace(result, suggested_types=suggest_types(result.file_name, texts, keywords))
