"""Speed and memory of building a package, against qpdf and a bare pypdf merge.

    python benchmarks/build_bench.py [--runs 5] [--keep DIR]

Generates a synthetic application of 60 documents and 1,200 pages (text pages, vector
drawings and scanned JPEG pages; A4, Letter, A3, landscape and rotated pages) and a typical one
(15 documents, 150 pages) in a temporary folder, then times whole processes, start-up included:

- ``build``:  ``benchmarks/_assemble_entry.py`` calling ``assemble_package`` (cover, index,
  footers, bookmarks, links, page labels, manifest);
- ``qpdf``:   ``qpdf --empty --pages … -- out.pdf``;
- ``pypdf``:  a bare ``PdfWriter.append`` loop.

Prints the median wall time of each, the ratios, and the peak resident memory of each process.
Targets: build ≤ 1.3 × pypdf, ≤ 2.5 × qpdf, < 300 MB; the typical application < 1 s.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ENTRY = Path(__file__).resolve().parent / "_assemble_entry.py"

BARE_PYPDF = """
import sys
from pypdf import PdfWriter
paths = open(sys.argv[1], encoding="utf-8").read().split("\\n")
writer = PdfWriter()
for path in paths:
    writer.append(path)
with open(sys.argv[2], "wb") as handle:
    writer.write(handle)
"""

A4 = (595.2756, 841.8898)
LETTER = (612.0, 792.0)
A3 = (841.8898, 1190.5512)
SIZES = [A4, A4, A4, LETTER, A3, (A4[1], A4[0])]
WORDS = [
    "søknad", "mikrodata", "statistikk", "forskning", "prosjekt", "utvalg", "variabel",
    "register", "personvern", "behandling", "formål", "lagring", "sikkerhet", "tilgang",
    "analyse", "rapport", "metode", "data",
]


# --- synthetic inputs -----------------------------------------------------------------------


def _scan_images(folder: Path, count: int, rng: random.Random) -> list[Path]:
    """Grey 110 dpi 'scans' of text-like pages, about 105 kB each as JPEG."""
    from PIL import Image, ImageDraw, ImageFilter

    width, height = 900, 1273
    paths = []
    for n in range(count):
        image = Image.new("L", (width, height), 250)
        draw = ImageDraw.Draw(image)
        y = 110
        while y < height - 110:
            x = 90
            while x < width - 100:
                w = rng.randint(15, 65)
                draw.rectangle((x, y, min(x + w, width - 90), y + 10), fill=rng.randint(20, 80))
                x += w + rng.randint(7, 13)
            y += rng.randint(19, 25)
        noise = Image.effect_noise((width, height), 22).filter(ImageFilter.BoxBlur(1))
        image = Image.blend(image, noise, 0.05)
        path = folder / f"scan{n:02d}.jpg"
        image.save(path, "JPEG", quality=30)
        paths.append(path)
    return paths


def _text_pdf(path: Path, pages: int, size: tuple[float, float], rng: random.Random,
              rotate_every: int = 0) -> None:
    from reportlab.pdfgen.canvas import Canvas

    canvas = Canvas(str(path), pagesize=size, pageCompression=1, invariant=1)
    canvas.setTitle(path.stem)
    width, height = size
    for page in range(pages):
        if rotate_every and page % rotate_every == rotate_every - 1:
            canvas.setPageRotation(90)
        canvas.setFont("Helvetica-Bold", 14)
        canvas.drawString(60, height - 70, f"{path.stem} – side {page + 1}")
        canvas.bookmarkPage(f"p{page}")
        canvas.addOutlineEntry(f"Avsnitt {page + 1}", f"p{page}", level=0)
        text = canvas.beginText(60, height - 100)
        text.setFont("Helvetica", 10)
        for _ in range(int((height - 160) / 13)):
            line = " ".join(rng.choice(WORDS) for _ in range(int(width / 60)))
            text.textLine(line)
        canvas.drawText(text)
        canvas.showPage()
    canvas.save()


def _vector_pdf(path: Path, pages: int, size: tuple[float, float], rng: random.Random) -> None:
    from reportlab.pdfgen.canvas import Canvas

    canvas = Canvas(str(path), pagesize=size, pageCompression=1, invariant=1)
    width, height = size
    for _ in range(pages):
        for _ in range(400):
            canvas.setStrokeColorRGB(rng.random(), rng.random(), rng.random())
            canvas.setLineWidth(rng.uniform(0.2, 2))
            p = canvas.beginPath()
            p.moveTo(rng.uniform(0, width), rng.uniform(0, height))
            p.curveTo(*(rng.uniform(0, width) if i % 2 == 0 else rng.uniform(0, height)
                        for i in range(6)))
            canvas.drawPath(p)
        canvas.setFont("Helvetica", 9)
        canvas.drawString(40, 40, "Figur")
        canvas.showPage()
    canvas.save()


def _scan_pdf(path: Path, images: list[Path], pages: int, size: tuple[float, float],
              rng: random.Random) -> None:
    import img2pdf

    layout = img2pdf.get_layout_fun((size[0], size[1]))
    chosen = [str(rng.choice(images)) for _ in range(pages)]
    path.write_bytes(img2pdf.convert(chosen, layout_fun=layout))


@dataclass
class InputSet:
    folder: Path
    files: list[Path]
    spec: Path
    pages: int
    size: int


def _page_counts(documents: int, pages: int, rng: random.Random) -> list[int]:
    counts = [1] * documents
    for _ in range(pages - documents):
        counts[rng.randrange(documents)] += 1
    return counts


def make_set(folder: Path, documents: int, pages: int, seed: int) -> InputSet:
    """``documents`` PDFs with ``pages`` pages in all: a third each text, vector and scans."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    images = _scan_images(folder, 16, rng)
    files: list[Path] = []
    originals: dict[int, Path] = {}
    for i, count in enumerate(_page_counts(documents, pages, rng)):
        size = SIZES[i % len(SIZES)]
        path = folder / f"doc{i:02d}.pdf"
        kind = i % 3
        if kind == 0:
            _text_pdf(path, count, size, rng, rotate_every=7 if i % 6 == 0 else 0)
        elif kind == 1:
            _vector_pdf(path, count, size, rng)
        else:
            _scan_pdf(path, images, count, size, rng)
        if i % 10 == 3:  # a spreadsheet original, embedded in the package
            original = folder / f"tabell{i:02d}.csv"
            original.write_text("\n".join(",".join(str(rng.random()) for _ in range(8))
                                          for _ in range(2000)), encoding="utf-8")
            originals[i] = original
        files.append(path)
    for image in images:
        image.unlink()
    entries: list[dict[str, object]] = []
    spec = {
        "lang": "nb",
        "draft": False,
        "cover": {
            "heading": "Søknad om lån av mikrodata fra SSB",
            "rows": [["Prosjekt", "Syntetisk ytelsestest"], ["Prosjektleder", "Åse Ødegård"],
                     ["Institusjon", "Universitetet i Tromsø (970 422 528)"],
                     ["Søknadstype", "Ny søknad"], ["Dato", "2026-11-24"]],
            "verdict": "Klar til innsending – 0 feil, 0 advarsler",
            "ready": True,
            "findings": [],
        },
        "metadata": {"title": "Søknad", "author": "Åse Ødegård", "subject": "Mikrodata",
                     "creator": "Søknadspakke (benchmark)"},
        "documents": entries,
        "pages": pages,
    }
    for i, path in enumerate(files):
        source = originals.get(i, path)
        entries.append({
            "pdf_path": str(path), "type_ids": ["vedlegg"], "type_label": "Vedlegg",
            "short_label": f"Vedlegg {i + 1}", "title": f"Dokument {i + 1}",
            "file_name": source.name,
            "sha256": hashlib.sha256(source.read_bytes()).hexdigest(),
            "original_path": str(source) if i in originals else None,
        })
    spec_path = folder / "spec.json"
    spec_path.write_text(json.dumps(spec, ensure_ascii=False), encoding="utf-8")
    total = sum(f.stat().st_size for f in files)
    return InputSet(folder, files, spec_path, pages, total)


# --- timing ---------------------------------------------------------------------------------


@dataclass
class Run:
    seconds: float
    peak_mb: float


def _run(command: list[str], env: dict[str, str]) -> Run:
    start = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    stderr = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    if proc.stderr:
        proc.stderr.close()
    if proc.returncode != 0:
        raise SystemExit(f"{command[0]} failed ({proc.returncode}):\n{stderr}")
    return Run(seconds, usage.ru_maxrss / 1024)  # ru_maxrss is in KiB on Linux


def _environment(scratch: Path) -> dict[str, str]:
    """The process environment; points at a resources folder when the checkout lacks rules/."""
    env = dict(os.environ)
    resources = ROOT / "resources"
    if not (resources / "rules").is_dir() and "SOKNADSPAKKE_RESOURCES" not in env:
        shadow = scratch / "resources"
        (shadow / "rules").mkdir(parents=True, exist_ok=True)
        for part in ("fonts", "i18n"):
            link = shadow / part
            if not link.exists():
                link.symlink_to(resources / part, target_is_directory=True)
        env["SOKNADSPAKKE_RESOURCES"] = str(shadow)
    return env


def measure(inputs: InputSet, runs: int, env: dict[str, str], out: Path,
            only_build: bool = False) -> dict[str, list[Run]]:
    listing = inputs.folder / "files.txt"
    listing.write_text("\n".join(str(f) for f in inputs.files), encoding="utf-8")
    commands = {"build": [sys.executable, str(ENTRY), str(inputs.spec), str(out / "build.pdf")]}
    if not only_build:
        commands["qpdf"] = ["qpdf", "--empty", "--pages", *map(str, inputs.files), "--",
                            str(out / "qpdf.pdf")]
        commands["pypdf"] = [sys.executable, "-c", BARE_PYPDF, str(listing),
                             str(out / "pypdf.pdf")]
    results: dict[str, list[Run]] = {name: [] for name in commands}
    for _ in range(runs):  # interleaved, so drift in machine load hits all alike
        for name, command in commands.items():
            results[name].append(_run(command, env))
    return results


def _median(runs: list[Run]) -> float:
    return statistics.median(r.seconds for r in runs)


def report(title: str, inputs: InputSet, results: dict[str, list[Run]]) -> list[str]:
    lines = [f"{title}: {len(inputs.files)} documents, {inputs.pages} pages, "
             f"{inputs.size / 1e6:.1f} MB of input; median of {len(results['build'])} runs"]
    for name, runs in results.items():
        peak = max(r.peak_mb for r in runs)
        lines.append(f"  {name:6s} {_median(runs):6.3f} s   peak {peak:6.1f} MB"
                     f"   (runs: {', '.join(f'{r.seconds:.3f}' for r in runs)})")
    build = _median(results["build"])
    fastest = min(r.seconds for r in results["build"])
    for other, target in (("pypdf", 1.3), ("qpdf", 2.5)):
        if other in results:
            ratio = build / _median(results[other])
            best = fastest / min(r.seconds for r in results[other])
            lines.append(f"  build / {other:5s} = {ratio:.2f} (fastest runs: {best:.2f});"
                         f" target ≤ {target}")
    peak = max(r.peak_mb for r in results["build"])
    lines.append(f"  build under 1 s: {'yes' if build < 1 else 'NO'};"
                 f" build peak under 300 MB: {'yes' if peak < 300 else 'NO'}")
    return lines


def _generate(folder: Path) -> None:
    """Make both input sets (in a child process, so the parent stays small: a forked child's
    peak memory counts the parent's pages until it execs)."""
    subprocess.run([sys.executable, __file__, "--generate-into", str(folder)], check=True)


def _load(folder: Path) -> InputSet:
    files = sorted(folder.glob("doc*.pdf"))
    spec = folder / "spec.json"
    pages = json.loads(spec.read_text(encoding="utf-8"))["pages"]
    return InputSet(folder, files, spec, pages, sum(f.stat().st_size for f in files))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="generate the inputs here and keep them")
    parser.add_argument("--generate-into", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.generate_into:
        make_set(args.generate_into / "large", 60, 1200, seed=1)
        make_set(args.generate_into / "typical", 15, 150, seed=2)
        return 0
    if shutil.which("qpdf") is None:
        raise SystemExit("qpdf is not installed")
    scratch = Path(tempfile.mkdtemp(prefix="soknadspakke-bench-"))
    try:
        base = args.keep or scratch
        env = _environment(scratch)
        out = scratch / "out"
        out.mkdir()
        started = time.perf_counter()
        _generate(base)
        large, typical = _load(base / "large"), _load(base / "typical")
        print(f"inputs generated in {time.perf_counter() - started:.1f} s")
        lines = report("large", large, measure(large, args.runs, env, out))
        lines += report("typical", typical, measure(typical, args.runs, env, out))
        pages = json.loads(subprocess.run(
            [sys.executable, str(ENTRY), str(large.spec), str(out / "check.pdf")],
            capture_output=True, text=True, env=env, check=True).stdout)["pages"]
        lines.append(f"large package: {pages} pages, "
                     f"{(out / 'check.pdf').stat().st_size / 1e6:.1f} MB")
        print("\n".join(lines))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
