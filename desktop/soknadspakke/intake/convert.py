"""Converting images and Office documents to PDF.

Images go through img2pdf: one A4 page per image (or TIFF frame), the image fitted inside and
JPEG data embedded without re-encoding; EXIF orientation becomes the page's ``/Rotate``.
What img2pdf refuses (alpha channels, mirrored EXIF orientations, odd colour spaces) is first
normalized with Pillow. Office documents are converted by LibreOffice in a private profile,
from a copy in a temporary folder, so the original is never opened by another program.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from soknadspakke.core.i18n import Msg, T
from soknadspakke.core.tasks import CancelFn, check_cancel
from soknadspakke.intake import limits

#: Seconds LibreOffice may take for one document.
SOFFICE_TIMEOUT = 180.0


class ConversionError(Exception):
    """Conversion failed; the message is technical detail for the finding."""


class ImageTooLargeError(ConversionError):
    """The image has more pixels than Pillow opens safely."""


def _a4_layout() -> object:
    import img2pdf

    a4 = (img2pdf.mm_to_pt(210), img2pdf.mm_to_pt(297))
    return img2pdf.get_layout_fun(a4, fit=img2pdf.FitMode.into, auto_orient=True)


def _normalize_with_pillow(data: bytes) -> list[bytes]:
    """Each frame upright (EXIF applied), without alpha, as JPEG (from JPEG) or PNG."""
    from PIL import Image, ImageOps, ImageSequence

    pages: list[bytes] = []
    with Image.open(io.BytesIO(data)) as image:
        as_jpeg = image.format == "JPEG"
        for frame in ImageSequence.Iterator(image):
            picture = ImageOps.exif_transpose(frame.copy())
            if picture.mode in ("RGBA", "LA", "PA", "P") or "transparency" in picture.info:
                rgba = picture.convert("RGBA")
                flat = Image.new("RGB", rgba.size, (255, 255, 255))
                flat.paste(rgba, mask=rgba.getchannel("A"))
                picture = flat
            elif picture.mode not in ("RGB", "L", "1"):
                picture = picture.convert("RGB")
            out = io.BytesIO()
            if as_jpeg and picture.mode in ("RGB", "L"):
                picture.save(out, "JPEG", quality=92)
            else:
                picture.save(out, "PNG")
            pages.append(out.getvalue())
    return pages


def _check_pixels(data: bytes) -> None:
    """Refuse an image with more pixels or frames than :mod:`.limits` allows, from its header
    (nothing is decoded). Raises ImageTooLargeError; an unreadable header is left to img2pdf."""
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
            frames = int(getattr(image, "n_frames", 1) or 1)
            channels = len(image.getbands()) * (2 if image.mode.startswith("I;16") else 1)
            if image.mode in ("P", "PA") or "transparency" in image.info:
                channels = 4  # made RGBA before conversion
    except Image.DecompressionBombError as exc:
        raise ImageTooLargeError(str(exc)) from exc
    except Exception:  # not an image Pillow knows: img2pdf reports it
        return
    try:
        limits.check_image(width, height, frames, channels)
    except limits.TooLargeError as exc:
        raise ImageTooLargeError(str(exc)) from exc


def image_to_pdf(data: bytes) -> bytes:
    """A PDF with one A4 page per image frame (raises ConversionError)."""
    import img2pdf
    from PIL import Image

    _check_pixels(data)
    layout = _a4_layout()
    try:
        pdf: bytes = img2pdf.convert(data, layout_fun=layout, rotation=img2pdf.Rotation.auto,
                                     nodate=True)
        return pdf
    except Image.DecompressionBombError as exc:
        raise ImageTooLargeError(str(exc)) from exc
    except Exception:  # img2pdf raises many types; Pillow gets a second try
        pass
    try:
        frames = _normalize_with_pillow(data)
        pdf = img2pdf.convert(frames, layout_fun=layout, rotation=img2pdf.Rotation.none,
                              nodate=True)
        return pdf
    except Image.DecompressionBombError as exc:
        raise ImageTooLargeError(str(exc)) from exc
    except Exception as exc:
        raise ConversionError(f"{type(exc).__name__}: {exc}") from exc


def soffice_candidates() -> list[Path]:
    """Where LibreOffice is usually installed (after the ``PATH``)."""
    candidates: list[Path] = []
    if sys.platform == "win32":
        for var in ("ProgramFiles", "ProgramFiles(x86)", "ProgramW6432"):
            base = os.environ.get(var)
            if base:
                candidates.append(Path(base) / "LibreOffice" / "program" / "soffice.exe")
    elif sys.platform == "darwin":
        candidates.append(Path("/Applications/LibreOffice.app/Contents/MacOS/soffice"))
        candidates.append(Path.home() / "Applications" / "LibreOffice.app" / "Contents"
                          / "MacOS" / "soffice")
    else:
        candidates += [Path("/usr/bin/soffice"), Path("/usr/lib/libreoffice/program/soffice"),
                       Path("/opt/libreoffice/program/soffice"),
                       Path("/snap/bin/libreoffice")]
    return candidates


def find_soffice() -> str | None:
    """The LibreOffice program, or ``None`` when it is not installed."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    for candidate in soffice_candidates():
        if candidate.is_file():
            return str(candidate)
    return None


SOFFICE_PREFIX = "soknadspakke-soffice-"


def remove_stale_work_folders(max_age: float = 4 * SOFFICE_TIMEOUT) -> None:
    """Remove the conversion folders that killed runs left in the temporary folder (by name,
    and only when untouched for ``max_age`` seconds: a running conversion takes at most
    :data:`SOFFICE_TIMEOUT`)."""
    now = time.time()
    with contextlib.suppress(OSError):
        for entry in os.scandir(tempfile.gettempdir()):
            if not entry.name.startswith(SOFFICE_PREFIX):
                continue
            with contextlib.suppress(OSError):
                info = entry.stat(follow_symlinks=False)
                if stat.S_ISDIR(info.st_mode) and now - info.st_mtime > max_age:
                    shutil.rmtree(entry.path, ignore_errors=True)


def _own_process_group() -> dict[str, Any]:
    """Popen arguments that put LibreOffice and every process it starts in a group of their
    own (so that :func:`_kill_group` ends all of them), without a console window."""
    if sys.platform == "win32":
        flags = getattr(subprocess, "CREATE_NO_WINDOW", 0) | getattr(
            subprocess, "CREATE_NEW_PROCESS_GROUP", 0)
        return {"creationflags": flags}
    return {"start_new_session": True}


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    """End ``process`` and whatever it started (LibreOffice's soffice.bin)."""
    if sys.platform == "win32":
        if process.poll() is None:
            subprocess.run(["taskkill", "/F", "/T", "/PID", str(process.pid)],
                           capture_output=True, check=False,
                           creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0))
    else:
        with contextlib.suppress(OSError):
            os.killpg(process.pid, signal.SIGKILL)
    with contextlib.suppress(OSError, subprocess.TimeoutExpired):
        process.kill()
        process.wait(timeout=10)


def office_conversion_notice() -> Msg | None:
    """What to tell the user once (e.g. a banner in the window) when Office files cannot be
    converted here, or ``None`` when LibreOffice is found. Everything else works without it;
    each Office file added still gets its own ``no_converter`` finding."""
    if find_soffice() is not None:
        return None
    return T("Office conversion is not available: LibreOffice is not installed on this "
             "computer, so Word and OpenDocument files (DOCX, DOC, ODT, RTF) cannot be made "
             "into PDF here. Save them as PDF from Word (File > Save As > PDF) and add the PDF "
             "instead, or install LibreOffice and add the files again. Everything else works "
             "without it.")


def office_to_pdf(data: bytes, fmt: str, soffice: str, cancel: CancelFn | None = None,
                  timeout: float = SOFFICE_TIMEOUT) -> bytes:
    """Convert an Office document (given as bytes) with LibreOffice; raises ConversionError."""
    remove_stale_work_folders()
    with tempfile.TemporaryDirectory(prefix=SOFFICE_PREFIX) as tmp_name:
        tmp = Path(tmp_name)
        source = tmp / f"document.{fmt}"
        source.write_bytes(data)
        outdir = tmp / "out"
        command = [soffice, f"-env:UserInstallation={(tmp / 'profile').as_uri()}",
                   "--headless", "--invisible", "--nologo", "--norestore", "--nodefault",
                   "--nolockcheck", "--convert-to", "pdf", "--outdir", str(outdir),
                   str(source)]
        log = tmp / "soffice.log"
        try:
            with log.open("wb") as output:  # a file, not a pipe: no child can make us wait
                process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=output,
                                           stderr=subprocess.STDOUT, cwd=tmp,
                                           **_own_process_group())
        except OSError as exc:
            raise ConversionError(f"LibreOffice could not be started: {exc}") from exc
        deadline = time.monotonic() + timeout
        try:
            while True:
                try:
                    process.wait(timeout=0.25)
                    break
                except subprocess.TimeoutExpired:
                    check_cancel(cancel)
                    if time.monotonic() >= deadline:
                        raise ConversionError(
                            f"LibreOffice did not finish within {timeout:.0f} s") from None
        finally:
            # soffice starts soffice.bin, which outlives it when it is stopped: end the group.
            _kill_group(process)
        stderr = log.read_bytes()[-4000:] if log.is_file() else b""
        result = outdir / "document.pdf"
        if not result.is_file() or result.stat().st_size == 0:
            detail = stderr.decode("utf-8", "replace").strip().splitlines()
            raise ConversionError("LibreOffice produced no PDF (exit code "
                                  f"{process.returncode}){': ' + detail[-1] if detail else ''}")
        return result.read_bytes()
