"""Render the example application's package to the PNG pictures shown in the README.

    python tools/readme_images.py    # needs pdftoppm (poppler-utils)

Builds the example with the program itself (``soknadspakke example``) in a temporary folder,
renders its pages with pdftoppm and writes ``docs/images/example-cover-index.png`` (the first
three pages: cover, requirements and where they are met, index) and
``docs/images/example-all-pages.png`` (every page, small).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
IMAGES = ROOT / "docs" / "images"


def render(pdf: Path, folder: Path, dpi: int, first: int | None = None,
           last: int | None = None) -> list[Image.Image]:
    command = ["pdftoppm", "-png", "-r", str(dpi)]
    if first is not None and last is not None:
        command += ["-f", str(first), "-l", str(last)]
    subprocess.run([*command, str(pdf), str(folder / f"p{dpi}")], check=True)
    return [Image.open(p).convert("RGB") for p in sorted(folder.glob(f"p{dpi}-*.png"))]


def side_by_side(pages: list[Image.Image], columns: int, gap: int = 12) -> Image.Image:
    width = max(p.width for p in pages)
    height = max(p.height for p in pages)
    rows = (len(pages) + columns - 1) // columns
    sheet = Image.new("RGB", (columns * width + (columns + 1) * gap,
                              rows * height + (rows + 1) * gap), (200, 200, 200))
    for index, page in enumerate(pages):
        x = gap + (index % columns) * (width + gap)
        y = gap + (index // columns) * (height + gap)
        sheet.paste(page, (x, y))
    return sheet


def main() -> int:
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        result = subprocess.run(
            [sys.executable, "-m", "soknadspakke", "example", "--out", str(folder / "out"),
             "--lang", "nb"], check=True, capture_output=True, text=True, cwd=ROOT)
        pdf = Path(result.stdout.strip().splitlines()[-1])
        IMAGES.mkdir(parents=True, exist_ok=True)
        side_by_side(render(pdf, folder, 60, 1, 3), 3).save(
            IMAGES / "example-cover-index.png", optimize=True)
        side_by_side(render(pdf, folder, 18), 6).save(
            IMAGES / "example-all-pages.png", optimize=True)
    for image in sorted(IMAGES.glob("example-*.png")):
        print(f"{image.relative_to(ROOT)}: {image.stat().st_size // 1024} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
