"""Bounds on what one input may cost: unpacked size, parts, pixels, rows and time.

A small file can unpack to far more than its size (a "decompression bomb"): a 2 MB DOCX whose
``document.xml`` inflates to 2 GiB, an XLSX with 20 million rows, a PNG of 169 megapixels.
Everything intake decompresses or decodes is bounded here, so that the intake of any one file
stays well under 500 MB of memory and a few minutes; what exceeds a bound is refused with a
finding (or, for rows, read up to the bound and reported), never read whole.

ZIP containers (DOCX, XLSX, ODT …) are checked from their central directory first; then every
part is inflated once, in chunks and thrown away, which checks that no part inflates to more
than the directory says (zipfile stops at the declared size and checks the CRC), so LibreOffice
and openpyxl only ever see containers whose real size is known and bounded.
"""

from __future__ import annotations

import io
import time
import zipfile
from dataclasses import dataclass

from soknadspakke.core.errors import Cancelled
from soknadspakke.core.tasks import CancelFn, check_cancel

MB = 1024 * 1024
#: All parts of one ZIP container together, unpacked.
MAX_UNPACKED_BYTES = 256 * MB
#: One part of a ZIP container, unpacked (a DOCX's document.xml, an XLSX sheet …).
MAX_PART_BYTES = 64 * MB
#: Parts in one ZIP container.
MAX_PARTS = 10_000
#: Pixels of one image (or one TIFF frame): 600 dpi A4 is 35 megapixels.
MAX_IMAGE_PIXELS = 50_000_000
#: One image (or frame) decoded: pixels × channels (an alpha channel costs a quarter more,
#: and img2pdf splits it into a separate mask).
MAX_IMAGE_DECODED_BYTES = 128 * MB
#: Frames (pages) of one image file, and their pixels together.
MAX_IMAGE_FRAMES = 500
MAX_IMAGE_TOTAL_PIXELS = 400_000_000
#: Rows read from one sheet of a spreadsheet or CSV (a variable list has hundreds).
MAX_SHEET_ROWS = 100_000
#: Seconds reading one workbook may take before the rest is left unread.
MAX_READ_SECONDS = 30.0
#: A plain-text document (a script) and a CSV variable list; larger ones are refused (a text
#: of 8 MB is well over a thousand pages).
MAX_TEXT_BYTES = 8 * MB
MAX_CSV_BYTES = 32 * MB
_CHUNK = 1024 * 1024


class TooLargeError(Exception):
    """An input exceeds a bound; ``str()`` says which, for the finding's detail."""

    def __init__(self, detail: str, limit_mb: float | None = None) -> None:
        super().__init__(detail)
        self.limit_mb = limit_mb


@dataclass(frozen=True)
class ZipSize:
    parts: int
    unpacked: int
    largest: int
    largest_name: str


def zip_size(data: bytes) -> ZipSize:
    """Parts and unpacked sizes of a ZIP container, from its central directory."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        items = archive.infolist()
    largest = max(items, key=lambda i: i.file_size, default=None)
    return ZipSize(len(items), sum(i.file_size for i in items),
                   largest.file_size if largest else 0, largest.filename if largest else "")


def check_zip(data: bytes, cancel: CancelFn | None = None, *, verify: bool = True) -> None:
    """Raise :class:`TooLargeError` when a ZIP container exceeds the bounds; with ``verify``
    also inflate every part (bounded, in chunks) to check that it is no larger than declared.
    Raises ``zipfile.BadZipFile`` (and the like) for a damaged container."""
    size = zip_size(data)
    if size.parts > MAX_PARTS:
        raise TooLargeError(f"{size.parts} parts (at most {MAX_PARTS})")
    if size.largest > MAX_PART_BYTES:
        raise TooLargeError(f"{size.largest_name} unpacks to {size.largest / MB:.0f} MB "
                            f"(at most {MAX_PART_BYTES // MB} MB)", MAX_PART_BYTES / MB)
    if size.unpacked > MAX_UNPACKED_BYTES:
        raise TooLargeError(f"the parts unpack to {size.unpacked / MB:.0f} MB "
                            f"(at most {MAX_UNPACKED_BYTES // MB} MB)",
                            MAX_UNPACKED_BYTES / MB)
    if not verify:
        return
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for item in archive.infolist():
            check_cancel(cancel)
            with archive.open(item) as part:
                while part.read(_CHUNK):  # zipfile stops at the declared size, checks the CRC
                    pass


def contains(data: bytes, name: str, needles: tuple[bytes, ...]) -> bool:
    """Whether part ``name`` of a ZIP container holds one of ``needles``, read in chunks
    (never the whole part in memory). False when there is no such part."""
    overlap = max(len(n) for n in needles) - 1
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        try:
            part = archive.open(name)
        except KeyError:
            return False
        with part:
            tail = b""
            while chunk := part.read(_CHUNK):
                window = tail + chunk
                if any(n in window for n in needles):
                    return True
                tail = window[-overlap:] if overlap else b""
    return False


def check_image(width: int, height: int, frames: int = 1, channels: int = 3) -> None:
    """Raise :class:`TooLargeError` for an image with too many pixels or frames, or one that
    takes too much memory decoded (``channels`` bytes per pixel)."""
    pixels = width * height
    if pixels > MAX_IMAGE_PIXELS:
        raise TooLargeError(f"{width} × {height} pixels = {pixels / 1e6:.0f} megapixels "
                            f"(at most {MAX_IMAGE_PIXELS / 1e6:.0f})")
    if pixels * channels > MAX_IMAGE_DECODED_BYTES:
        raise TooLargeError(f"{width} × {height} pixels with {channels} channels take "
                            f"{pixels * channels / MB:.0f} MB decoded "
                            f"(at most {MAX_IMAGE_DECODED_BYTES // MB} MB)")
    if frames > MAX_IMAGE_FRAMES:
        raise TooLargeError(f"{frames} pages (at most {MAX_IMAGE_FRAMES})")
    if pixels * frames > MAX_IMAGE_TOTAL_PIXELS:
        raise TooLargeError(f"{frames} pages of {pixels / 1e6:.0f} megapixels "
                            f"(at most {MAX_IMAGE_TOTAL_PIXELS / 1e6:.0f} together)")


class Deadline:
    """A time budget: :meth:`expired` after ``seconds``; :meth:`check` also honours cancel."""

    def __init__(self, seconds: float, cancel: CancelFn | None = None) -> None:
        self.end = time.monotonic() + seconds
        self.cancel = cancel

    def expired(self) -> bool:
        return time.monotonic() > self.end

    def check(self) -> bool:
        """True when time is up (raises :class:`Cancelled` when the user cancelled)."""
        if self.cancel is not None and self.cancel():
            raise Cancelled()
        return self.expired()
