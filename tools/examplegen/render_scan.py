"""A scanned letter (JPEG): the text of a decision laid out with Pillow, then paper tone, a
little skew, blur, seeded noise and dust, so it looks scanned yet is the same on every run.
"""

from __future__ import annotations

import io
import random
from typing import Any

from PIL import Image, ImageDraw, ImageFilter, ImageFont

from examplegen.common import FONT_DIR, FOOTER

SCAN_DPI = 150
SCAN_W, SCAN_H = 1240, 1754  # A4 at 150 dpi


class _Page:
    """A minimal text layout on a Pillow image (pixels at 150 dpi)."""

    def __init__(self) -> None:
        self.img = Image.new("L", (SCAN_W, SCAN_H), 255)
        self.draw = ImageDraw.Draw(self.img)
        self.left, self.right = 150, SCAN_W - 150
        self.y = 130
        self._fonts: dict[tuple[str, int], ImageFont.FreeTypeFont] = {}

    def font(self, bold: bool, size: int) -> ImageFont.FreeTypeFont:
        key = ("b" if bold else "r", size)
        if key not in self._fonts:
            name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
            self._fonts[key] = ImageFont.truetype(str(FONT_DIR / name), size)
        return self._fonts[key]

    def text(self, text: str, *, size: int = 20, bold: bool = False, x: int | None = None,
             fill: int = 20, gap: int = 8, indent: int = 0) -> None:
        font = self.font(bold, size)
        left = (self.left if x is None else x) + indent
        width = self.right - left
        for source in text.split("\n"):
            line = ""
            for word in source.split(" "):
                trial = f"{line} {word}".strip()
                if self.draw.textlength(trial, font=font) <= width:
                    line = trial
                else:
                    self.draw.text((left, self.y), line, font=font, fill=fill)
                    self.y += size + gap
                    line = word
            self.draw.text((left, self.y), line, font=font, fill=fill)
            self.y += size + gap

    def right_text(self, text: str, y: int, *, size: int = 17, fill: int = 60) -> None:
        font = self.font(False, size)
        w = self.draw.textlength(text, font=font)
        self.draw.text((self.right - w, y), text, font=font, fill=fill)

    def space(self, px: int) -> None:
        self.y += px


def _letterhead(page: _Page, data: dict[str, Any]) -> None:
    page.text(data["sender"], size=28, bold=True, fill=15, gap=10)
    page.text(data["sender_note"], size=17, fill=70)
    for i, line in enumerate(data["sender_address"]):
        page.right_text(line, 132 + i * 24)
    page.draw.line((page.left, 220, page.right, 220), fill=40, width=3)
    page.y = 265
    for line in data["recipient"]:
        page.text(line, size=20, gap=6)
    for i, line in enumerate(data["references"]):
        page.right_text(line, 265 + i * 27, size=19, fill=25)


def _body(page: _Page, data: dict[str, Any]) -> None:
    page.space(34)
    page.text(data["subject"], size=23, bold=True, gap=8)
    page.space(10)
    for p in data["body"]:
        page.text(p, size=20, gap=8)
        page.space(10)
    page.text(data["conditions_heading"], size=21, bold=True)
    for i, item in enumerate(data["conditions"], start=1):
        top = page.y
        page.draw.text((page.left + 6, top), f"{i}.", font=page.font(False, 20), fill=20)
        page.text(item, size=20, gap=8, indent=36)
        page.space(4)
    page.space(8)
    page.text(data["appeal_heading"], size=21, bold=True)
    page.text(data["appeal"], size=20)


def _closing(page: _Page, data: dict[str, Any]) -> None:
    page.space(26)
    page.text(data["closing"], size=20)
    page.space(20)
    sig_y = page.y
    for signer, x in zip(data["signers"], (None, 650), strict=True):
        page.y = sig_y
        page.text(signer["name"], size=20, gap=4, x=x)
        page.text(signer["role"], size=18, fill=70, x=x)
    page.space(18)
    for line in data["notes"]:
        page.text(line, size=17, fill=70)


def _stamp(page: _Page, lines: list[str]) -> None:
    """The received stamp, as added by the post room, in the free space below the text."""
    stamp = Image.new("L", (340, 116), 0)
    sd = ImageDraw.Draw(stamp)
    sd.rectangle((3, 3, 336, 112), outline=255, width=4)
    sd.text((170, 34), lines[0], font=page.font(True, 30), fill=255, anchor="mm")
    sd.text((170, 80), lines[1], font=page.font(False, 24), fill=255, anchor="mm")
    stamp = stamp.rotate(6, resample=Image.Resampling.BICUBIC, expand=True)
    page.img.paste(110, (760, page.y + 50), stamp)


def _footer(page: _Page) -> None:
    d = page.draw
    d.line((page.left, SCAN_H - 120, page.right, SCAN_H - 120), fill=120, width=1)
    d.text((page.left, SCAN_H - 108), FOOTER, font=page.font(False, 14), fill=90)
    w = d.textlength("Side 1 av 1", font=page.font(False, 15))
    d.text((page.right - w, SCAN_H - 108), "Side 1 av 1", font=page.font(False, 15), fill=60)


def render(data: dict[str, Any]) -> bytes:
    """The decision a scan source file describes, as a slightly skewed, noisy grayscale JPEG."""
    page = _Page()
    _letterhead(page, data)
    _body(page, data)
    _closing(page, data)
    _stamp(page, data["stamp"])
    _footer(page)
    return _scan_effect(page.img, data["scan"])


def _scan_effect(img: Image.Image, scan: dict[str, Any]) -> bytes:
    """Paper tone, a little skew, blur and seeded noise, then JPEG with EXIF orientation 1."""
    rng = random.Random(scan["seed"])
    toned = img.point(lambda v: 28 + v * (238 - 28) // 255)
    skewed = toned.rotate(-0.35, resample=Image.Resampling.BICUBIC, fillcolor=238)
    soft = skewed.filter(ImageFilter.GaussianBlur(0.6))
    # Low-frequency noise (drawn small, scaled up) keeps the JPEG small but looks scanned.
    nw, nh = SCAN_W // 4, SCAN_H // 4
    noise = Image.frombytes("L", (nw, nh), bytes(rng.randrange(118, 138) for _ in range(nw * nh)))
    noise = noise.resize((SCAN_W, SCAN_H), Image.Resampling.BILINEAR)
    mixed = Image.blend(soft, noise, 0.06)
    # A few dust specks.
    draw = ImageDraw.Draw(mixed)
    for _ in range(40):
        x, y = rng.randrange(SCAN_W), rng.randrange(SCAN_H)
        r = rng.choice((1, 1, 2))
        draw.ellipse((x, y, x + r, y + r), fill=rng.randrange(90, 170))
    # Darker scanner edge along the left side.
    draw.rectangle((0, 0, 5, SCAN_H), fill=150)
    exif = Image.Exif()
    exif[0x0112] = 1  # Orientation: normal
    exif[0x0131] = scan["software"]
    exif[0x0132] = scan["datetime"]  # "YYYY:MM:DD HH:MM:SS"
    out = io.BytesIO()
    mixed.save(out, format="JPEG", quality=72, optimize=True, dpi=(SCAN_DPI, SCAN_DPI),
               exif=exif.tobytes())
    return out.getvalue()

