"""The page footer ("Side N av M", the document's short label, the draft mark) on every page.

No content stream is parsed or rewritten. A page gets:

- a band added to its page box at the edge that is the *bottom as displayed* (so after
  ``/Rotate``), so the footer never covers content, whatever the page holds (scans included);
- its original content wrapped in ``q … Q`` (a tiny shared ``q`` stream in front, a ``Q`` at the
  start of the appended stream), so the original graphics state cannot leak into the footer;
- one small Form XObject drawn by an appended content stream through a matrix that maps the
  displayed page (upright, origin bottom left) onto user space.

Sizes scale with the page: the font is 8 pt on an A4 page and grows with the square root of the
page's area (A3: about 11 pt), within limits.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from soknadspakke.pdf import fonts

A4_AREA = 595.2756 * 841.8898
BASE_FONT_SIZE = 8.0
BAND_FACTOR = 2.6  # band height / font size
MARGIN_FACTOR = 3.0  # left and right margin / font size
MIN_SCALE, MAX_SCALE = 0.6, 3.0

Box = tuple[float, float, float, float]
Matrix = tuple[float, float, float, float, float, float]


def normalize_rotation(value: object) -> int:
    """``/Rotate`` as one of 0, 90, 180, 270 (bad values snap to the nearest quarter turn)."""
    try:
        degrees = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return 0
    if not math.isfinite(degrees):
        return 0
    return (round(degrees / 90) * 90) % 360


def normalize_box(values: Sequence[float]) -> Box:
    x0, y0, x1, y1 = (float(v) for v in values)
    return min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)


def visible_box(media: Sequence[float], crop: Sequence[float] | None) -> Box:
    """The displayed region: the CropBox clipped to the MediaBox (the MediaBox if none/empty)."""
    m = normalize_box(media)
    if crop is None:
        return m
    c = normalize_box(crop)
    box = max(m[0], c[0]), max(m[1], c[1]), min(m[2], c[2]), min(m[3], c[3])
    if box[2] - box[0] < 1 or box[3] - box[1] < 1:
        return m
    return box


def _display_to_user(rotation: int, box: Box) -> Matrix:
    """Maps displayed coordinates of ``box`` (origin bottom left, upright) to user space."""
    x0, y0, x1, y1 = box
    if rotation == 90:
        return 0.0, 1.0, -1.0, 0.0, x1, y0
    if rotation == 180:
        return -1.0, 0.0, 0.0, -1.0, x1, y1
    if rotation == 270:
        return 0.0, -1.0, 1.0, 0.0, x0, y1
    return 1.0, 0.0, 0.0, 1.0, x0, y0


def _apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    return m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]


@dataclass(frozen=True)
class Frame:
    """Where and how big the footer is on one page."""

    box: Box
    """The new visible box (user space), band included."""
    width: float
    """Displayed width of the footer (the page's, after rotation and any widening)."""
    band: float
    """Height of the footer band (displayed)."""
    font_size: float
    matrix: Matrix
    """Maps the footer's own coordinates ``[0 0 width band]`` to user space."""
    extended: bool
    """Whether :attr:`box` grew (input pages) or not (cover, index)."""


def plan_frame(media: Sequence[float], crop: Sequence[float] | None, rotate: object, *,
               extend: bool, min_width_factor: float = 0.0) -> Frame:
    """The footer frame of a page.

    With ``extend`` the page grows by the band at its displayed bottom, and pages narrower than
    ``min_width_factor`` × font size (tiny images, strips) grow sideways too, so the footer fits.
    """
    rotation = normalize_rotation(rotate)
    box = visible_box(media, crop)
    w, h = box[2] - box[0], box[3] - box[1]
    if rotation in (90, 270):
        w, h = h, w
    scale = min(MAX_SCALE, max(MIN_SCALE, math.sqrt(w * h / A4_AREA)))
    size = BASE_FONT_SIZE * scale
    band = BAND_FACTOR * size
    to_user = _display_to_user(rotation, box)
    if not extend:
        return Frame(box, w, band, size, to_user, False)
    pad = max(0.0, (min_width_factor * size - w) / 2)
    corners = [_apply(to_user, x, y) for x in (-pad, w + pad) for y in (-band, h)]
    xs, ys = [c[0] for c in corners], [c[1] for c in corners]
    origin = _apply(to_user, -pad, -band)
    matrix = (*to_user[:4], origin[0], origin[1])
    return Frame((min(xs), min(ys), max(xs), max(ys)), w + 2 * pad, band, size, matrix, True)


def fmt(value: float) -> str:
    """A number for a content stream: at most 4 decimals, no trailing zeros."""
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


@dataclass(frozen=True)
class FooterText:
    """The three parts of a footer."""

    left: str
    right: str
    centre: str = ""


GREY = b"0.33 g"
LINE_GREY = b"0.7 G"
RED = b"0.75 0.05 0.05 rg"


class FooterMaker:
    """Makes the footer streams of a package; the parts that repeat are made once."""

    def __init__(self, encoder: fonts.RawTextEncoder) -> None:
        self.encoder = encoder
        self._static: dict[tuple[object, ...], tuple[bytes, float]] = {}

    def _show(self, text: str, *, font: str, size: float, x: float, y: float,
              colour: bytes) -> bytes:
        parts = [b"BT ", colour, f" 1 0 0 1 {fmt(x)} {fmt(y)} Tm".encode()]
        for run in self.encoder.encode(text, font):
            parts.append(f" {run.resource} {fmt(size)} Tf <".encode())
            parts.append(run.code.hex().encode())
            parts.append(b"> Tj")
        parts.append(b" ET\n")
        return b"".join(parts)

    def make(self, frame: Frame, text: FooterText) -> bytes:
        """The content of the footer Form XObject, in its own coordinates
        ``[0 0 width band]``: label left, draft mark centred, page number right.

        On a grown page the band is first painted white: it may hold content outside the old
        CropBox that was never meant to be seen.
        """
        size = frame.font_size
        margin = MARGIN_FACTOR * size
        baseline = frame.band * 0.36
        right_w = fonts.width(text.right, fonts.SANS, size)
        # The label may use the room the page number leaves; reserve room for 5-digit pages.
        key = (frame.width, frame.band, size, frame.extended, text.left, text.centre,
               round(right_w / size))
        static = self._static.get(key)
        if static is None:
            static = self._make_static(frame, text, right_w), baseline
            self._static[key] = static
        right = self._show(text.right, font=fonts.SANS, size=size,
                           x=frame.width - margin - right_w, y=baseline, colour=GREY)
        return static[0] + right + b"Q\n"

    def _make_static(self, frame: Frame, text: FooterText, right_w: float) -> bytes:
        size = frame.font_size
        margin = MARGIN_FACTOR * size
        gap = 2 * size
        baseline = frame.band * 0.36
        width, band = frame.width, frame.band
        out = [b"q\n"]
        if frame.extended:
            out.append(f"1 g 0 0 {fmt(width)} {fmt(band)} re f\n".encode())
        out.append(LINE_GREY + f" {fmt(0.4 * size / BASE_FONT_SIZE)} w {fmt(margin)} "
                   f"{fmt(band - 0.5)} m {fmt(width - margin)} {fmt(band - 0.5)} l S\n"
                   .encode())
        left_limit = width - 2 * margin - right_w - gap
        if text.centre:
            centre_size = size * 1.15
            centre_w = fonts.width(text.centre, fonts.BOLD, centre_size)
            centre_x = (width - centre_w) / 2
            out.append(self._show(text.centre, font=fonts.BOLD, size=centre_size, x=centre_x,
                                  y=baseline, colour=RED))
            left_limit = centre_x - margin - gap
        left = fonts.truncate(text.left, fonts.SANS, size, left_limit)
        if left:
            out.append(self._show(left, font=fonts.SANS, size=size, x=margin, y=baseline,
                                  colour=GREY))
        return b"".join(out)
