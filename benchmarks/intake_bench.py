"""Intake time per page for text PDFs, image PDFs and scans, against reference tools.

    python benchmarks/intake_bench.py [--pages N] [--scans N]

Every input is generated in a temporary folder. Intake runs without a cache (so each file is
fully read), then once more with a warm cache. Reference tools in the same run, where installed:
``pdftotext`` (text extraction of the same text PDFs), ``qpdf --check`` (structure check of the
image PDFs) and the ``img2pdf`` command (the same JPEG scans to PDF). Last, the false-positive
rate of the identity-number scan on random 11-digit (and, for spreadsheets, 10-digit) noise.
"""

from __future__ import annotations

import argparse
import io
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "desktop"))  # this checkout's code, not an installed copy

from soknadspakke.core.idnumbers import (  # noqa: E402 - needs the path set above
    PersonNumberKind,
    find_person_numbers,
)
from soknadspakke.intake import IntakeCache, inspect_file  # noqa: E402

WORDS = ("prosjekt", "data", "register", "forskning", "personvern", "variabel", "befolkning",
         "inntekt", "utdanning", "analyse", "kommune", "periode", "utvalg", "metode",
         "resultat", "samtykke", "behandling", "vurdering", "sikkerhet", "lagring", "tilgang")


def text_pdf(path: Path, pages: int, rng: random.Random) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path), pagesize=A4)
    for _ in range(pages):
        text = pdf.beginText(56, 800)
        text.setFont("Helvetica", 10)
        for _ in range(60):
            text.textLine(" ".join(rng.choice(WORDS) for _ in range(12)))
        pdf.drawText(text)
        pdf.showPage()
    pdf.save()


def scan_jpeg(rng: random.Random, dpi: int = 200) -> bytes:
    """A4 page at ``dpi`` with lines of "text" blocks and some noise, like a real scan."""
    from PIL import Image, ImageDraw, ImageFilter

    width, height = int(8.27 * dpi), int(11.69 * dpi)
    image = Image.new("L", (width, height), 245)
    draw = ImageDraw.Draw(image)
    y = dpi // 2
    while y < height - dpi // 2:
        x = dpi // 2
        while x < width - dpi // 2:
            word = rng.randint(dpi // 8, dpi // 2)
            draw.rectangle((x, y, x + word, y + dpi // 12), fill=rng.randint(20, 60))
            x += word + dpi // 15
        y += dpi // 6
    image = image.filter(ImageFilter.GaussianBlur(0.8))
    out = io.BytesIO()
    image.convert("RGB").save(out, "JPEG", quality=75, dpi=(dpi, dpi))
    return out.getvalue()


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def per_page(label: str, seconds: float, pages: int, extra: str = "") -> None:
    print(f"  {label:<34} {seconds * 1000 / pages:8.1f} ms/page  "
          f"({pages} pages, {seconds:.2f} s){extra}")


def run_tool(command: Sequence[str]) -> None:
    subprocess.run(command, check=True, capture_output=True)


def intake_all(files: Sequence[Path], cache: IntakeCache | None = None) -> int:
    pages = 0
    for path in files:
        result = inspect_file(path, cache=cache)
        if not result.usable:
            raise SystemExit(f"benchmark input not usable: {path}: "
                             f"{[f.code for f in result.findings]}")
        pages += result.pages
    return pages


def noise_rate(count: int, digits: int, rng: random.Random) -> tuple[float, float, float]:
    """(any kind, fødselsnummer/D-number, current check-digit rule only) per number."""
    text = " ".join(f"{rng.randrange(10 ** digits):0{digits}d}" for _ in range(count))
    found = list(find_person_numbers(text, include_ten_digit=digits == 10))
    personal = [m for m in found if m.kind in (PersonNumberKind.FODSELSNUMMER,
                                               PersonNumberKind.D_NUMBER)]
    weights = (3, 7, 6, 1, 8, 9, 4, 5, 2, 1)
    old_rule = [m for m in found
                if sum(int(c) * w for c, w in zip(m.number, weights, strict=False)) % 11 == 0]
    return len(found) / count, len(personal) / count, len(old_rule) / count


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=30, help="pages per text PDF (3 files)")
    parser.add_argument("--scans", type=int, default=10, help="scanned pages (JPEG files)")
    parser.add_argument("--noise", type=int, default=200_000, help="random numbers to scan")
    args = parser.parse_args(argv)
    rng = random.Random(1)
    import img2pdf

    with tempfile.TemporaryDirectory(prefix="soknadspakke-bench-") as tmp_name:
        tmp = Path(tmp_name)
        text_files = [tmp / f"tekst{n}.pdf" for n in range(3)]
        for path in text_files:
            text_pdf(path, args.pages, rng)
        scans = [tmp / f"skann{n}.jpg" for n in range(args.scans)]
        for path in scans:
            path.write_bytes(scan_jpeg(rng))
        image_pdf = tmp / "skannet.pdf"
        image_pdf.write_bytes(img2pdf.convert([p.read_bytes() for p in scans]))
        scan_mb = sum(p.stat().st_size for p in scans) / len(scans) / 2**20

        print(f"Intake per page (Python {sys.version.split()[0]}; no cache unless noted)")
        print("Text PDFs (reportlab, 60 lines of text per page):")
        start = time.perf_counter()
        pages = intake_all(text_files)
        seconds = time.perf_counter() - start
        per_page("intake (pypdf text, ID scan)", seconds, pages)
        if shutil.which("pdftotext"):
            seconds = sum(timed(partial(run_tool, ["pdftotext", str(p), "-"]))
                          for p in text_files)
            per_page("reference: pdftotext", seconds, pages)
        else:
            print("  reference: pdftotext not installed")

        print(f"Image PDFs (one {scan_mb:.2f} MB JPEG per page, no text):")
        start = time.perf_counter()
        pages = intake_all([image_pdf])
        per_page("intake", time.perf_counter() - start, pages)
        if shutil.which("qpdf"):
            per_page("reference: qpdf --check",
                     timed(lambda: run_tool(["qpdf", "--check", str(image_pdf)])), pages)
        if shutil.which("pdftotext"):
            per_page("reference: pdftotext",
                     timed(lambda: run_tool(["pdftotext", str(image_pdf), "-"])), pages)

        print(f"Scans (JPEG files, A4 at 200 dpi, {scan_mb:.2f} MB each) to PDF:")
        start = time.perf_counter()
        pages = intake_all(scans)
        per_page("intake (img2pdf, JPEG kept)", time.perf_counter() - start, pages)
        tool = shutil.which("img2pdf") or shutil.which(
            "img2pdf", path=str(Path(sys.executable).parent))
        if tool:
            seconds = sum(timed(partial(run_tool, [tool, str(p), "-o", f"{p}.pdf"]))
                          for p in scans)
            per_page("reference: img2pdf command", seconds, pages,
                     " (includes interpreter start-up per file)")
        seconds = sum(timed(partial(img2pdf.convert, p.read_bytes())) for p in scans)
        per_page("reference: img2pdf.convert() alone", seconds, pages)

        cache = IntakeCache(tmp / "cache")
        everything = [*text_files, image_pdf, *scans]
        intake_all(everything, cache)
        start = time.perf_counter()
        pages = intake_all(everything, cache)
        per_page("all of the above, warm cache", time.perf_counter() - start, pages,
                 " (hash + cache lookup)")

    print(f"Identity-number scan on {args.noise} random numbers:")
    for digits in (11, 10):
        any_kind, personal, old = noise_rate(args.noise, digits, random.Random(2032))
        what = "11-digit noise" if digits == 11 else "10-digit noise (spreadsheets, 0 restored)"
        print(f"  {what}: {any_kind:.3%} match some identity number, {personal:.3%} "
              f"fødselsnummer/D-number (warnings); {old:.3%} would match the pre-2032 rule")
    return 0


if __name__ == "__main__":
    sys.exit(main())
