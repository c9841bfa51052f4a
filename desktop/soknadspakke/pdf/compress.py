"""A smaller copy of a built package: scanned pages downsampled to a readable resolution.

For an e-mail over the size limit. Every raster image whose resolution *as placed on the page*
is above ``dpi`` (found by following the content streams' transformation matrices, also into
form XObjects) is resampled to ``dpi`` and stored as JPEG, when that makes it smaller.
Bilevel scans (1 bit per pixel, already compact), image masks and images with transparency are
left alone, as are text and vector drawings. Embedded originals that are images (a scanned
letter kept as JPEG) are left out of the copy, since their pages are in it; spreadsheets and
the manifest stay. The copy is written atomically; the package itself is only read.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from pathlib import Path

import pikepdf
from PIL import Image

from soknadspakke.core.atomic import write_bytes_atomic
from soknadspakke.core.errors import InputFileError
from soknadspakke.core.i18n import T, _
from soknadspakke.core.tasks import CancelFn, ProgressFn, check_cancel

IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".tif", ".tiff", ".gif", ".bmp", ".webp", ".heic")

Matrix = tuple[float, float, float, float, float, float]
_IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


@dataclass(frozen=True)
class CompressResult:
    path: Path
    size_before: int
    size_after: int
    images_downsampled: int
    originals_left_out: int
    dpi: int


def _multiply(m: Matrix, n: Matrix) -> Matrix:
    """``m`` then ``n`` (PDF order: a point is transformed by m, then by n)."""
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (a * a2 + b * c2, a * b2 + b * d2, c * a2 + d * c2, c * b2 + d * d2,
            e * a2 + f * c2 + e2, e * b2 + f * d2 + f2)


def _placements(resources: pikepdf.Object, content: pikepdf.Object, ctm: Matrix,
                found: dict[tuple[int, int], tuple[pikepdf.Stream, float]], depth: int = 0
                ) -> None:
    """Record for each image XObject the smallest pixels-per-point it is drawn at."""
    if depth > 8:
        return
    xobjects = resources.get("/XObject") if isinstance(resources, pikepdf.Dictionary) else None
    if not isinstance(xobjects, pikepdf.Dictionary):
        return
    stack: list[Matrix] = []
    current = ctm
    for instruction in pikepdf.parse_content_stream(content):
        operands, op = instruction.operands, str(instruction.operator)
        if op == "q":
            stack.append(current)
        elif op == "Q":
            current = stack.pop() if stack else ctm
        elif op == "cm" and len(operands) == 6:
            values = tuple(float(v) for v in operands)
            current = _multiply(values, current)  # type: ignore[arg-type]
        elif op == "Do" and operands:
            xobject = xobjects.get(str(operands[0]))
            if isinstance(xobject, pikepdf.Stream):
                _placement(xobject, resources, current, found, depth)


def _placement(xobject: pikepdf.Stream, resources: pikepdf.Object, current: Matrix,
               found: dict[tuple[int, int], tuple[pikepdf.Stream, float]], depth: int) -> None:
    """One ``Do``: an image's pixels per point at ``current``, or a form's images inside it."""
    subtype = xobject.get("/Subtype")
    if subtype == "/Image":
        width_pt = math.hypot(current[0], current[1])
        height_pt = math.hypot(current[2], current[3])
        if width_pt <= 0 or height_pt <= 0:
            return
        ppp = min(int(xobject.get("/Width", 0)) / width_pt,
                  int(xobject.get("/Height", 0)) / height_pt)
        key = xobject.objgen
        if key not in found or ppp < found[key][1]:
            found[key] = (xobject, ppp)
    elif subtype == "/Form":
        matrix = xobject.get("/Matrix")
        form_ctm = current
        if isinstance(matrix, pikepdf.Array) and len(matrix) == 6:
            form_ctm = _multiply(tuple(float(v) for v in matrix),  # type: ignore[arg-type]
                                 current)
        _placements(xobject.get("/Resources", resources), xobject, form_ctm, found, depth + 1)


def _downsample(image: pikepdf.Stream, scale: float, quality: int) -> bool:
    """Resample one image by ``scale`` as JPEG; ``False`` when left as it was."""
    if image.get("/ImageMask") or "/SMask" in image or "/Mask" in image:
        return False
    if int(image.get("/BitsPerComponent", 8)) < 8:
        return False
    try:
        pil = pikepdf.PdfImage(image).as_pil_image()
    except (pikepdf.PdfError, NotImplementedError, ValueError, OSError):
        return False
    if pil.mode not in ("L", "RGB"):
        pil = pil.convert("RGB")
    size = (max(1, round(pil.width * scale)), max(1, round(pil.height * scale)))
    smaller = pil.resize(size, Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    smaller.save(buffer, format="JPEG", quality=quality, optimize=True)
    data = buffer.getvalue()
    if len(data) >= len(image.read_raw_bytes()):
        return False
    image.write(data, filter=pikepdf.Name.DCTDecode)
    image.Width = size[0]
    image.Height = size[1]
    image.ColorSpace = pikepdf.Name.DeviceGray if smaller.mode == "L" else pikepdf.Name.DeviceRGB
    image.BitsPerComponent = 8
    for key in ("/DecodeParms", "/Decode", "/Interpolate"):
        if key in image:
            del image[key]
    return True


def compress_package(package: Path, target: Path, *, dpi: int = 150, quality: int = 80,
                     progress: ProgressFn | None = None, cancel: CancelFn | None = None
                     ) -> CompressResult:
    """Write a copy of ``package`` with scanned pages at ``dpi`` to ``target``; ``progress``
    hears of each image, ``cancel`` stops it before anything is written."""
    try:
        size_before = package.stat().st_size
        pdf = pikepdf.open(package)
    except (OSError, pikepdf.PdfError) as exc:
        raise InputFileError(_("the package cannot be read ({reason})").format(reason=exc),
                             path=package) from None
    with pdf:
        found: dict[tuple[int, int], tuple[pikepdf.Stream, float]] = {}
        for page in pdf.pages:
            _placements(page.obj.get("/Resources", pikepdf.Dictionary()), page.obj, _IDENTITY,
                        found)
        target_ppp = dpi / 72
        count = 0
        for done, (image, ppp) in enumerate(found.values()):
            check_cancel(cancel)
            if progress is not None:
                progress(done, len(found), T("Making scanned pages smaller ({n} of {total})",
                                             n=done + 1, total=len(found)))
            if ppp > target_ppp * 1.2 and _downsample(image, target_ppp / ppp, quality):
                count += 1
        check_cancel(cancel)
        left_out = 0
        for name in list(pdf.attachments):
            if name.lower().endswith(IMAGE_SUFFIXES):
                del pdf.attachments[name]
                left_out += 1
        buffer = io.BytesIO()
        pdf.save(buffer, compress_streams=True,
                 object_stream_mode=pikepdf.ObjectStreamMode.generate)
    data = buffer.getvalue()
    write_bytes_atomic(target, data)
    return CompressResult(target, size_before, len(data), count, left_out, dpi)
