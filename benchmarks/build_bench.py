"""Speed and memory of building a package, against qpdf and a bare pypdf merge.

    python benchmarks/build_bench.py [--runs 5] [--keep DIR]

Generates a synthetic application of 60 documents and 1,200 pages (text pages, vector
drawings and scanned JPEG pages; A4, Letter, A3, landscape and rotated pages; a few CSV variable
lists that intake renders) and a typical one (15 documents, 150 pages) as real project folders
with a ``.soknad`` file, lets the program get to know the files once (``soknadspakke validate``,
which fills the intake cache), then times whole processes, start-up included:

- ``build``:  ``soknadspakke build PROJECT.soknad`` (validation, intake cache look-ups, cover,
  index, footers, bookmarks, links, page labels, embedded originals, manifest);
- ``qpdf``:   ``qpdf --empty --pages … -- out.pdf`` over the same PDFs;
- ``pypdf``:  a bare ``PdfWriter.append`` loop over the same PDFs.

Prints the median wall time of each, the ratios, and the peak resident memory of each process.
Targets: build ≤ 1.3 × pypdf, ≤ 2.5 × qpdf, < 300 MB; the typical application < 1 s.

``--baseline DIR`` also times ``build`` of another checkout of the program (e.g. the commit
before a change, from ``git archive``) on the same inputs, interleaved with the others, and
prints ``build / base``: what a change costs, measured in one run on a shared machine.
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
PDF_PATHS = """
import json, sys
from pathlib import Path
from soknadspakke.core.project_file import load_project
from soknadspakke.intake import IntakeCache, default_cache_dir, inspect_file
project = load_project(sys.argv[1])
cache = IntakeCache(default_cache_dir())
paths = [str(inspect_file(project.resolve(d), cache=cache).pdf_path) for d in project.documents]
print(json.dumps(paths))
"""
ANSWERS = {
    "application_type": "new", "institution_status": "approved", "personal_data": True,
    "legal_basis_valid_covering": True, "legal_basis_date": "2020-01-15",
    "health_research": False, "other_data_owners": [], "consent_based": False,
    "identifying_vars": [], "ssb_lists_exist": True, "change_types": [],
}
#: Types that make the synthetic application ready; the rest are "other".
TYPES = {0: "application_form_new", 1: "research_protocol", 2: "dpia", 4: "dpo_recommendation"}

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
    project: Path
    pages: int
    documents: int


def _page_counts(documents: int, pages: int, rng: random.Random) -> list[int]:
    counts = [1] * documents
    for _ in range(pages - documents):
        counts[rng.randrange(documents)] += 1
    return counts


def make_set(folder: Path, documents: int, pages: int, seed: int) -> InputSet:
    """A project of ``documents`` files with ``pages`` pages in all: text, vector and scanned
    PDFs in turn, and every tenth document (from the fourth) a one-page CSV variable list."""
    rng = random.Random(seed)
    attachments = folder / "vedlegg"
    attachments.mkdir(parents=True, exist_ok=True)
    images = _scan_images(folder, 16, rng)
    csv_slots = {i for i in range(documents) if i % 10 == 3}
    counts = iter(_page_counts(documents - len(csv_slots), pages - len(csv_slots), rng))
    entries: list[dict[str, object]] = []
    for i in range(documents):
        if i in csv_slots:
            path = attachments / f"variabelliste{i:02d}.csv"
            rows = ["Bestilles;Variabel;Beskrivelse"] + [
                f"{'x' if r % 3 == 0 else ''};VAR_{i}_{r};{rng.choice(WORDS)}" for r in range(30)]
            path.write_text("\n".join(rows) + "\n", encoding="utf-8")
            types = ["ssb_variable_list"]
        else:
            size = SIZES[i % len(SIZES)]
            path = attachments / f"dokument{i:02d}.pdf"
            count = next(counts)
            kind = i % 3
            if kind == 0:
                _text_pdf(path, count, size, rng, rotate_every=7 if i % 6 == 0 else 0)
            elif kind == 1:
                _vector_pdf(path, count, size, rng)
            else:
                _scan_pdf(path, images, count, size, rng)
            types = [TYPES.get(i, "other")]
        entries.append({"path": f"vedlegg/{path.name}", "types": types,
                        "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
                        "title": f"Dokument {i + 1}"})
    for image in images:
        image.unlink()
    project = folder / "ytelsestest.soknad"
    project.write_text(json.dumps({
        "format": "soknadspakke/1",
        "project": {"title": "Syntetisk ytelsestest", "project_leader": "Åse Ødegård",
                    "institution": "Universitetet i Tromsø", "org_number": "970422528",
                    "contact_email": "ase@example.org", "period_start": "2025-01-01",
                    "period_end": "2028-12-31"},
        "answers": ANSWERS, "documents": entries}, ensure_ascii=False, indent=2),
        encoding="utf-8")
    return InputSet(folder, project, pages, documents)


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
    """This checkout's code, and a private intake cache (the user's is never touched)."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "desktop"),
                                                       env.get("PYTHONPATH")]))
    env["SOKNADSPAKKE_CACHE"] = str(scratch / "cache")
    return env


def get_to_know(inputs: InputSet, env: dict[str, str]) -> list[str]:
    """Validate once (fills the intake cache, as adding the files would) and return the PDF
    each document contributes: the original, or intake's rendering of a CSV."""
    subprocess.run([sys.executable, "-m", "soknadspakke", "validate", str(inputs.project),
                    "--format", "json"], env=env, check=True, stdout=subprocess.DEVNULL)
    out = subprocess.run([sys.executable, "-c", PDF_PATHS, str(inputs.project)], env=env,
                         check=True, capture_output=True, text=True).stdout
    paths: list[str] = json.loads(out)
    return paths


def measure(inputs: InputSet, runs: int, env: dict[str, str], out: Path,
            baseline: Path | None = None) -> dict[str, list[Run]]:
    files = get_to_know(inputs, env)
    listing = inputs.folder / "files.txt"
    listing.write_text("\n".join(files), encoding="utf-8")
    build = [sys.executable, "-m", "soknadspakke", "build", str(inputs.project), "-o",
             str(out / "build.pdf"), "--quiet"]
    commands = {
        "build": (build, env),
        "qpdf": (["qpdf", "--empty", "--pages", *files, "--", str(out / "qpdf.pdf")], env),
        "pypdf": ([sys.executable, "-c", BARE_PYPDF, str(listing), str(out / "pypdf.pdf")], env),
    }
    if baseline is not None:
        base_env = {**env, "PYTHONPATH": str(baseline / "desktop")}
        subprocess.run([sys.executable, "-m", "soknadspakke", "validate", str(inputs.project),
                        "--format", "json"], env=base_env, check=True,
                       stdout=subprocess.DEVNULL)
        commands["base"] = ([*build[:-3], "-o", str(out / "base.pdf"), "--quiet"], base_env)
    results: dict[str, list[Run]] = {name: [] for name in commands}
    for _ in range(runs):  # interleaved, so drift in machine load hits all alike
        for name, (command, command_env) in commands.items():
            results[name].append(_run(command, command_env))
    return results


def _median(runs: list[Run]) -> float:
    return statistics.median(r.seconds for r in runs)


def report(title: str, inputs: InputSet, results: dict[str, list[Run]]) -> list[str]:
    size = sum(f.stat().st_size for f in (inputs.folder / "vedlegg").iterdir())
    lines = [f"{title}: {inputs.documents} documents, {inputs.pages} pages, "
             f"{size / 1e6:.1f} MB of input; median of {len(results['build'])} runs"]
    for name, runs in results.items():
        peak = max(r.peak_mb for r in runs)
        lines.append(f"  {name:6s} {_median(runs):6.3f} s   peak {peak:6.1f} MB"
                     f"   (runs: {', '.join(f'{r.seconds:.3f}' for r in runs)})")
    build = _median(results["build"])
    fastest = min(r.seconds for r in results["build"])
    for other, target in (("pypdf", 1.3), ("qpdf", 2.5), ("base", 1.05)):
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


def _load(folder: Path, documents: int, pages: int) -> InputSet:
    return InputSet(folder, folder / "ytelsestest.soknad", pages, documents)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="generate the inputs here and keep them")
    parser.add_argument("--baseline", type=Path, metavar="DIR",
                        help="also time the build of the program checked out in DIR")
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
        large, typical = _load(base / "large", 60, 1200), _load(base / "typical", 15, 150)
        print(f"inputs generated in {time.perf_counter() - started:.1f} s")
        baseline = args.baseline.resolve() if args.baseline else None
        lines = report("large", large, measure(large, args.runs, env, out, baseline))
        lines += report("typical", typical, measure(typical, args.runs, env, out, baseline))
        from pypdf import PdfReader

        packaged = len(PdfReader(out / "build.pdf").pages)
        lines.append(f"typical package (last built): {packaged} pages "
                     f"(cover + index + {typical.pages}), "
                     f"{(out / 'build.pdf').stat().st_size / 1e6:.1f} MB")
        print("\n".join(lines))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
