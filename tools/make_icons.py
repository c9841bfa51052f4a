"""Make the application icon: resources/icons/soknadspakke.{svg,png,ico,icns}.

One drawing (a stack of pages with a green check mark on a blue tile) is described once below and
written both as SVG (for the window and for editing) and, drawn with Pillow, as PNG (Linux, the
window icon), ICO (Windows: program, installer, .soknad files) and ICNS (macOS .app and
documents). Run again after changing the drawing:

    .venv/bin/python tools/make_icons.py
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "resources" / "icons"
CANVAS = 1024  # the drawing's coordinate system (SVG viewBox and the largest raster)

BLUE = "#1f5aa6"
SHEET_BACK = "#a9c0de"
SHEET_MIDDLE = "#d5e1f0"
SHEET_FRONT = "#ffffff"
TEXT_LINE = "#8fa8c8"
GREEN = "#2e9d5b"
WHITE = "#ffffff"


@dataclass(frozen=True)
class Box:
    """A rounded rectangle: left, top, right, bottom, corner radius, fill."""

    x0: int
    y0: int
    x1: int
    y1: int
    radius: int
    fill: str


@dataclass(frozen=True)
class Stroke:
    """A polyline with round caps and joins."""

    points: tuple[tuple[int, int], ...]
    width: int
    colour: str


TILE = Box(64, 64, 960, 960, 200, BLUE)
SHEETS = (
    Box(330, 170, 780, 740, 28, SHEET_BACK),
    Box(280, 220, 730, 790, 28, SHEET_MIDDLE),
    Box(230, 270, 680, 840, 28, SHEET_FRONT),
)
LINES = tuple(Stroke(((300, y), (x1, y)), 38, TEXT_LINE)
              for y, x1 in ((380, 610), (470, 610), (560, 560), (650, 470)))
BADGE_CENTRE, BADGE_RADIUS, BADGE_RING = (712, 712), 176, 30
CHECK = Stroke(((622, 716), (688, 782), (806, 650)), 58, WHITE)


def svg() -> str:
    """The drawing as SVG text."""
    def rect(b: Box) -> str:
        return (f'  <rect x="{b.x0}" y="{b.y0}" width="{b.x1 - b.x0}" height="{b.y1 - b.y0}" '
                f'rx="{b.radius}" fill="{b.fill}"/>')

    def line(s: Stroke) -> str:
        points = " ".join(f"{x},{y}" for x, y in s.points)
        return (f'  <polyline points="{points}" fill="none" stroke="{s.colour}" '
                f'stroke-width="{s.width}" stroke-linecap="round" stroke-linejoin="round"/>')

    cx, cy = BADGE_CENTRE
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{CANVAS}" height="{CANVAS}" '
        f'viewBox="0 0 {CANVAS} {CANVAS}">',
        "  <title>Søknadspakke</title>",
        rect(TILE),
        *(rect(b) for b in SHEETS),
        *(line(s) for s in LINES),
        f'  <circle cx="{cx}" cy="{cy}" r="{BADGE_RADIUS + BADGE_RING}" fill="{BLUE}"/>',
        f'  <circle cx="{cx}" cy="{cy}" r="{BADGE_RADIUS}" fill="{GREEN}"/>',
        line(CHECK),
        "</svg>",
    ]
    return "\n".join(parts) + "\n"


def draw(size: int) -> Image.Image:
    """The drawing as an RGBA image of ``size`` pixels (drawn 4x larger, then reduced)."""
    scale = 4 * size / CANVAS
    big = Image.new("RGBA", (4 * size, 4 * size), (0, 0, 0, 0))
    pen = ImageDraw.Draw(big)

    def s(v: float) -> int:
        return round(v * scale)

    def box(b: Box) -> None:
        pen.rounded_rectangle((s(b.x0), s(b.y0), s(b.x1), s(b.y1)), radius=s(b.radius),
                              fill=b.fill)

    def stroke(st: Stroke) -> None:
        points = [(s(x), s(y)) for x, y in st.points]
        pen.line(points, fill=st.colour, width=s(st.width), joint="curve")
        r = s(st.width) / 2
        for x, y in points:  # round caps
            pen.ellipse((x - r, y - r, x + r, y + r), fill=st.colour)

    def disc(radius: int, fill: str) -> None:
        cx, cy = BADGE_CENTRE
        pen.ellipse((s(cx - radius), s(cy - radius), s(cx + radius), s(cy + radius)), fill=fill)

    box(TILE)
    for b in SHEETS:
        box(b)
    for st in LINES:
        stroke(st)
    disc(BADGE_RADIUS + BADGE_RING, BLUE)
    disc(BADGE_RADIUS, GREEN)
    stroke(CHECK)
    return big.resize((size, size), Image.Resampling.LANCZOS)


ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
ICNS_SIZES = (16, 32, 64, 128, 256, 512, 1024)


def write_all(out: Path) -> list[Path]:
    """Write the four files into ``out``; returns their paths."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    svg_path = out / "soknadspakke.svg"
    svg_path.write_text(svg(), encoding="utf-8")
    written.append(svg_path)
    images = {size: draw(size) for size in sorted(set(ICO_SIZES) | set(ICNS_SIZES))}
    png = out / "soknadspakke.png"
    images[256].save(png, optimize=True)
    written.append(png)
    ico = out / "soknadspakke.ico"
    images[256].save(ico, format="ICO", sizes=[(n, n) for n in ICO_SIZES],
                     append_images=[images[n] for n in ICO_SIZES if n != 256])
    written.append(ico)
    icns = out / "soknadspakke.icns"
    images[1024].save(icns, format="ICNS",
                      append_images=[images[n] for n in ICNS_SIZES if n != 1024])
    written.append(icns)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT, help="folder (default: resources/icons)")
    args = parser.parse_args()
    for path in write_all(args.out):
        print(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}: "
              f"{path.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
