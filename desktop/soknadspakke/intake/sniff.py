"""Recognising a file's type by its content, never by its name."""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections import Counter
from dataclasses import dataclass

from soknadspakke.intake.model import Kind

#: How far into a file the ``%PDF-`` header may start (the PDF spec tolerates leading bytes).
PDF_HEADER_WINDOW = 1024
#: How much of a file is decoded to tell text from other content.
SNIFF_TEXT_BYTES = 1024 * 1024

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_HEIF_BRANDS = (b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1", b"avif")


@dataclass(frozen=True)
class Sniffed:
    """The detected type: ``kind`` and ``format`` as in :class:`IntakeResult`.

    ``label`` names an unsupported format for the user (``"ZIP"``, ``"EXE"`` …); ``macro`` is
    set for macro-enabled Office files, ``encrypted`` for password-protected Office files, and
    ``damaged`` when the container itself is broken. ``delimiter`` is set for CSV.
    """

    kind: Kind
    format: str
    label: str = ""
    macro: bool = False
    encrypted: bool = False
    damaged: bool = False
    delimiter: str = ""


def _utf16(name: str) -> bytes:
    return name.encode("utf-16-le")


def _sniff_ole(data: bytes) -> Sniffed:
    """Old binary Office files and encrypted OOXML files share the OLE2 container."""
    if _utf16("EncryptedPackage") in data:
        return Sniffed(Kind.OFFICE, "docx", label="Office", encrypted=True)
    if _utf16("WordDocument") in data:
        return Sniffed(Kind.OFFICE, "doc")
    if _utf16("Workbook") in data or _utf16("Book") in data:
        return Sniffed(Kind.UNSUPPORTED, "xls", label="XLS")
    if _utf16("PowerPoint Document") in data:
        return Sniffed(Kind.UNSUPPORTED, "ppt", label="PPT")
    return Sniffed(Kind.UNSUPPORTED, "ole", label="OLE")


def _sniff_zip(data: bytes) -> Sniffed:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "[Content_Types].xml" in names:
                with archive.open("[Content_Types].xml") as part:  # never read a bomb whole
                    types = part.read(200_000).lower()
                macro = b"macroenabled" in types
                if "word/document.xml" in names:
                    return Sniffed(Kind.OFFICE, "docm" if macro else "docx", macro=macro)
                if "xl/workbook.xml" in names:
                    macro = macro or "xl/vbaProject.bin" in names
                    return Sniffed(Kind.SPREADSHEET, "xlsm" if macro else "xlsx", macro=macro)
                if "ppt/presentation.xml" in names:
                    return Sniffed(Kind.UNSUPPORTED, "pptx", label="PPTX")
            if "mimetype" in names:
                with archive.open("mimetype") as part:
                    mimetype = part.read(200).strip()
                if mimetype == b"application/vnd.oasis.opendocument.text":
                    return Sniffed(Kind.OFFICE, "odt")
                if mimetype == b"application/vnd.oasis.opendocument.spreadsheet":
                    return Sniffed(Kind.UNSUPPORTED, "ods", label="ODS")
                if mimetype == b"application/vnd.oasis.opendocument.presentation":
                    return Sniffed(Kind.UNSUPPORTED, "odp", label="ODP")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, OSError, RuntimeError,
            ValueError, EOFError):
        return Sniffed(Kind.UNSUPPORTED, "zip", label="ZIP", damaged=True)
    return Sniffed(Kind.UNSUPPORTED, "zip", label="ZIP")


def decode_text(data: bytes, limit: int | None = None) -> str | None:
    """``data`` as text (UTF-8 with or without BOM, UTF-16 with BOM, else cp1252), or
    ``None`` when it does not look like text (NUL bytes or many control characters).

    With ``limit``, only the first ``limit`` bytes are decoded (a character cut in two at the
    end is dropped): enough to tell text from other content without decoding a large file."""
    if limit is not None and len(data) > limit:
        data = data[:limit]
        if not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            try:
                data.decode("utf-8")
            except UnicodeDecodeError as exc:
                if exc.start >= len(data) - 3:  # a multi-byte character cut by the limit
                    data = data[:exc.start]
        else:
            data = data[:len(data) - len(data) % 2]
    text: str | None = None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            return None
    else:
        for encoding in ("utf-8-sig", "cp1252"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
    if text is None or "\x00" in text:
        return None
    sample = text[:100_000]
    controls = sum(1 for c in sample if ord(c) < 32 and c not in "\t\n\r\f")
    if controls > max(2, len(sample) // 100):
        return None
    return text


def sniff_delimiter(text: str) -> str:
    """The CSV delimiter (``;``, tab or ``,``) when ``text`` reads as a table, else ``""``.

    A table has at least two non-empty lines among the first 50, at least two columns, and
    at least 80 % of the lines with the same number of columns. ``;`` is tried first (common
    in Norway, where ``,`` is the decimal sign).
    """
    lines = [line for line in text.splitlines()[:50] if line.strip()]
    if len(lines) < 2:
        return ""
    for delimiter in (";", "\t", ","):
        try:
            widths = [len(row) for row in csv.reader(lines, delimiter=delimiter)]
        except csv.Error:
            continue
        width, count = Counter(widths).most_common(1)[0]
        needed = 0.8 * len(lines)
        if delimiter == ",":
            needed = max(needed, 3)  # prose has commas; ask for a little more evidence
        if width >= 2 and count >= needed:
            return delimiter
    return ""


def _sniff_image(data: bytes) -> Sniffed | None:
    """The image type of ``data`` by its magic bytes (HEIC: unsupported), else ``None``."""
    head = data[:16]
    if head.startswith(b"\xff\xd8\xff"):
        return Sniffed(Kind.IMAGE, "jpeg")
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return Sniffed(Kind.IMAGE, "png")
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return Sniffed(Kind.IMAGE, "tiff")
    if head.startswith((b"GIF87a", b"GIF89a")):
        return Sniffed(Kind.IMAGE, "gif")
    if head.startswith(b"RIFF") and data[8:12] == b"WEBP":
        return Sniffed(Kind.IMAGE, "webp")
    if head.startswith(b"BM") and int.from_bytes(data[2:6], "little") == len(data):
        return Sniffed(Kind.IMAGE, "bmp")
    if data[4:8] == b"ftyp" and data[8:12] in _HEIF_BRANDS:
        return Sniffed(Kind.UNSUPPORTED, "heic", label="HEIC")
    return None


def sniff(data: bytes) -> Sniffed:
    """The type of ``data`` (the whole file; zip and OLE containers are looked into)."""
    head = data[:16]
    if head.startswith(b"%PDF-"):
        return Sniffed(Kind.PDF, "pdf")
    image = _sniff_image(data)
    if image is not None:
        return image
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _sniff_zip(data)
    if head.startswith(_OLE_MAGIC):
        return _sniff_ole(data)
    if head.startswith(b"{\\rtf"):
        return Sniffed(Kind.OFFICE, "rtf")
    for magic, label in ((b"MZ", "EXE"), (b"\x7fELF", "ELF"), (b"\x1f\x8b", "GZIP"),
                         (b"7z\xbc\xaf\x27\x1c", "7Z"), (b"Rar!", "RAR"),
                         (b"\xcf\xfa\xed\xfe", "Mach-O"), (b"\xca\xfe\xba\xbe", "Mach-O")):
        if head.startswith(magic):
            return Sniffed(Kind.UNSUPPORTED, label.lower(), label=label)
    if b"%PDF-" in data[:PDF_HEADER_WINDOW]:  # a PDF after some junk bytes, as readers allow
        return Sniffed(Kind.PDF, "pdf")
    text = decode_text(data, SNIFF_TEXT_BYTES)
    if text is not None:
        delimiter = sniff_delimiter(text)
        if delimiter:
            return Sniffed(Kind.SPREADSHEET, "csv", delimiter=delimiter)
        return Sniffed(Kind.TEXT, "txt")
    return Sniffed(Kind.UNSUPPORTED, "", label="")
