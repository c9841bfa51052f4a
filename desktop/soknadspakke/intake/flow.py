"""``inspect_file``: check one input file, normalize it to PDF, read its text, scan it.

The order of work for one file:

1. ``stat`` the path (vanished, folder, empty, too large are decided here, without reading);
2. hash the content in 1 MB chunks (never the whole file in memory for hashing);
3. look the hash up in the cache; on a hit nothing else is read;
4. otherwise read the bytes once, check that they still have the same hash, and work only on
   that copy in memory (the original is never opened again, locked or written next to);
5. ``stat`` again: a different size or modification time means the file changed meanwhile.

The content is analysed by the analyser for its kind (:data:`_ANALYSERS`): PDFs in
:mod:`.pdf_analysis`, the other formats in :mod:`.formats`.
"""

from __future__ import annotations

import hashlib
import os
import stat
import sys
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from soknadspakke.core.errors import Cancelled
from soknadspakke.core.findings import Finding, sort_findings
from soknadspakke.core.i18n import T
from soknadspakke.core.tasks import CancelFn, ProgressFn, check_cancel
from soknadspakke.intake import formats, limits, markers, messages, pdfread, privacy
from soknadspakke.intake.cache import IntakeCache, content_from_entry, content_to_entry
from soknadspakke.intake.content import Content, copy_name
from soknadspakke.intake.job import Job, Progress
from soknadspakke.intake.model import IntakeResult, Kind, PdfSource, TypeKeywords
from soknadspakke.intake.pdf_analysis import analyse_pdf
from soknadspakke.intake.sniff import Sniffed, sniff
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

#: The analyser of each kind of content; any other kind is unsupported.
_ANALYSERS: dict[Kind, Callable[[bytes, Sniffed, Job], Content]] = {
    Kind.PDF: analyse_pdf,
    Kind.IMAGE: formats.analyse_image,
    Kind.OFFICE: formats.analyse_office,
    Kind.SPREADSHEET: formats.analyse_spreadsheet,
    Kind.TEXT: formats.analyse_text,
}
#: Formats that are ZIP containers, checked against :mod:`.limits` before anything reads them.
_ZIP_FORMATS = frozenset({"docx", "docm", "odt", "xlsx", "xlsm"})


# --- reading the file -----------------------------------------------------------------------

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


def _path_findings(path: Path, name: str) -> list[Finding]:
    length = len(str(path.absolute()))
    return [messages.long_path(name, length)] if length > LONG_PATH else []


def _extension_findings(name: str, fmt: str) -> list[Finding]:
    extension = Path(name).suffix.lower().lstrip(".")
    promised = _EXTENSION_FORMATS.get(extension)
    if not fmt or promised is None or promised == fmt:
        return []
    return [messages.extension_mismatch(name, extension, fmt)]


# --- the analysis of the content ------------------------------------------------------------

def _analyse(data: bytes, job: Job) -> Content:
    """Bound ZIP containers, analyse the content by its kind, scan the text it gave."""
    sniffed = sniff(data)
    if sniffed.format in _ZIP_FORMATS and not sniffed.encrypted:
        try:
            limits.check_zip(data, job.cancel)
        except limits.TooLargeError as exc:
            content = Content(sniffed.kind, sniffed.format, embed_original=False)
            content.findings.append(messages.unpacked_too_large(job.name, exc))
            return content
        except Cancelled:
            raise
        except Exception as exc:  # a damaged container: zipfile raises many types
            content = Content(sniffed.kind, sniffed.format)
            content.findings.append(messages.file_damaged(job.name, sniffed.format, exc))
            return content
    content = _ANALYSERS.get(sniffed.kind, formats.analyse_unsupported)(data, sniffed, job)
    if content.pdf is not None and content.texts:
        content.findings += privacy.scan_pages(
            content.texts, job.name, include_ten_digit=content.kind is Kind.SPREADSHEET)
        content.findings += markers.scan_pages(content.texts, job.name)
    return content


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
    report = Progress(progress, name)
    limit = DEFAULT_SIZE_LIMIT if size_limit is None else size_limit
    extra = _path_findings(path, name)
    check_cancel(cancel)
    os_path = _os_path(path)
    before = _stat_regular_file(path, os_path, name, limit, extra)
    if isinstance(before, IntakeResult):
        return before
    size = before.st_size

    report(0, 3, T("Checking {file}", file=name))
    try:
        sha, hashed, entry = _hash_and_entry(os_path, size, sha256, cache, cancel)
        report(1, 3, T("Checking {file}", file=name))
        if entry is not None and cache is not None:
            content = content_from_entry(entry, name, cache)
            texts = cache.load_texts(sha) if keywords else None  # only suggestions need them
            content.texts = texts if texts is not None else []
            same = hashed == size
        else:
            data = _read_all(os_path)
            same = len(data) == hashed == size and hashlib.sha256(data).hexdigest() == sha
            if not same:
                return _result(path, [messages.file_changed_while_reading(name), *extra],
                               size=size)
            job = Job(name, sha, password, cache, report, cancel)
            report(2, 3, T("Reading {file}", file=name))
            content = _analyse(data, job)
            del data
        after = os_path.stat()
    except FileNotFoundError:
        return _result(path, [messages.file_vanished(name, path), *extra], size=size)
    except OSError as exc:
        return _result(path, [messages.file_unreadable(name, exc), *extra], size=size)
    except Cancelled:
        raise
    except MemoryError:
        return _result(path, [messages.file_too_large(name), *extra], size=size)
    except Exception as exc:  # a bug, or a library failing in a new way: report, don't crash
        return _result(path, [messages.intake_failed(name, exc), *extra], size=size)
    if not same or not _same_file(before, after):
        return _result(path, [messages.file_changed_while_reading(name), *extra], size=size,
                       sha256=sha)

    if entry is None and cache is not None:
        _store_in_cache(cache, content, sha, size)

    report(3, 3, T("Checked {file}", file=name))
    return _finished_result(path, name, content, size, sha, keywords, extra)


def _hash_and_entry(os_path: Path, size: int, sha256: str | None, cache: IntakeCache | None,
                    cancel: CancelFn | None) -> tuple[str, int, dict[str, Any] | None]:
    """The file's hash, the number of bytes hashed, and its cache entry (``None``: none).

    A ``sha256`` the caller has just computed is trusted when the cache has an entry for it:
    then nothing is read again."""
    if sha256 is not None and cache is not None:
        entry = cache.load_entry(sha256)
        if entry is not None:
            return sha256, size, entry
    sha, hashed = _hash_file(os_path, cancel)
    return sha, hashed, cache.load_entry(sha) if cache is not None else None


def _store_in_cache(cache: IntakeCache, content: Content, sha: str, size: int) -> None:
    """Keep ``content`` read afresh in ``cache``, unless it is not cacheable or a finding may
    not hold next time (a transient one)."""
    if content.cacheable and not any(f.code in _TRANSIENT_CODES for f in content.findings):
        cache.store(sha, content_to_entry(content, sha, size), content.texts)


def _stat_regular_file(path: Path, os_path: Path, name: str, limit: int,
                       extra: Sequence[Finding]) -> os.stat_result | IntakeResult:
    """The ``stat`` of the file to inspect, or the result when it cannot be inspected (gone,
    unreadable, not a regular file, empty, larger than ``limit``)."""
    try:
        before = os_path.stat()
    except FileNotFoundError:
        return _result(path, [messages.file_vanished(name, path), *extra])
    except OSError as exc:
        return _result(path, [messages.file_unreadable(name, exc), *extra])
    if not stat.S_ISREG(before.st_mode):
        return _result(path, [messages.not_a_file(name), *extra])
    size = before.st_size
    if size == 0:
        return _result(path, [messages.empty_file(name), *extra])
    if size > limit:
        return _result(path, [messages.file_too_large(name, size, limit), *extra], size=size)
    return before


def _finished_result(path: Path, name: str, content: Content, size: int, sha: str,
                     keywords: Sequence[TypeKeywords],
                     extra: Sequence[Finding]) -> IntakeResult:
    """The result of a file read to the end: its content, type suggestions and findings."""
    pdf_path = path if content.pdf is PdfSource.ORIGINAL else content.pdf_file
    suggestions = suggest_types(name, content.texts, keywords)
    findings = [*content.findings, *_extension_findings(name, content.format), *extra]
    return _result(
        path, findings, kind=content.kind, format=content.format, size=size, sha256=sha,
        pages=content.pages, page_info=tuple(content.page_info), encrypted=content.encrypted,
        needs_password=content.needs_password, has_text=content.has_text,
        has_forms=content.has_forms, has_outline=content.has_outline,
        signature_hint=content.signature_hint, suggested_types=suggestions, pdf_path=pdf_path,
        embed_original=content.embed_original, embed_path=content.copy_file,
        embed_name=copy_name(name, content.copy_format) if content.copy_file else "",
        embed_sha256=content.copy_sha256,
        texts=tuple(content.texts) if content.texts else None)


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
