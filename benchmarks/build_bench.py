"""Speed and memory of building a package, against bare pypdf, qpdf, pikepdf and mutool.

    python benchmarks/build_bench.py [--runs 5] [--keep DIR] [--sizes typical,large,huge]

Generates synthetic applications as real project folders with a ``.soknad`` file (text pages,
vector drawings and scanned JPEG pages; A4, Letter, A3, landscape and rotated pages; a few CSV
variable lists that intake renders): typical (15 documents, 150 pages), large (60 documents,
1,200 pages) and huge (120 documents, 6,000 pages, about 256 MB). Lets the program get to know
the files once (``soknadspakke validate``, which fills the intake cache, as adding them does),
then times whole processes, start-up included, interleaved (the machine is shared: drift in its
load hits every tool alike; compare the ratios, not the seconds):

- ``build``:   ``soknadspakke build PROJECT.soknad`` (validation, intake cache look-ups, cover,
  index, footers, bookmarks, links, page labels, embedded originals, manifest), piped;
- ``build-tty``: the same under a pseudo-terminal (as a user at a terminal runs it; nothing
  extra may happen there: the two must agree within 5 %);
- ``pypdf``:   a bare ``PdfWriter.append`` loop over the same PDFs;
- ``qpdf``:    ``qpdf --empty --pages … -- out.pdf``;
- ``pikepdf``: ``Pdf.new()`` and ``pages.extend`` per input, one ``save``;
- ``mutool``:  ``mutool merge -o out.pdf …`` (skipped, with the reason, where not installed).

Prints for each size the median wall time, ms per page, peak resident memory and the ratio to
bare pypdf of every tool, and the in-process time of re-validating the large application with
its files unchanged (the window's live check). Targets: build ≤ 1.15 × pypdf at 1,200 pages and
≤ 1.0 × at 6,000; build peak < 250 MB at 6,000 pages; the typical application < 0.5 s;
re-validation < 15 ms; build-tty within 5 % of build.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import pty
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

PIKEPDF = """
import sys
import pikepdf
paths = open(sys.argv[1], encoding="utf-8").read().split("\\n")
out = pikepdf.new()
sources = []
for path in paths:
    source = pikepdf.open(path)
    sources.append(source)
    out.pages.extend(source.pages)
out.save(sys.argv[2])
"""
REVALIDATE = """
import statistics, sys, time
from pathlib import Path
from soknadspakke.core.fingerprints import SHARED
from soknadspakke.core.project_file import load_project
from soknadspakke.intake import IntakeCache, default_cache_dir
from soknadspakke.rules.loader import default_pack
from soknadspakke.validation import IntakeFindings, validate_project
project = load_project(Path(sys.argv[1]))
pack = default_pack()
cache = IntakeCache(default_cache_dir())
def once():
    validate_project(project, pack, file_findings=IntakeFindings({}, cache))
start = time.perf_counter(); once(); first = time.perf_counter() - start
hashed = SHARED.hashed
times = []
for _ in range(20):
    start = time.perf_counter(); once(); times.append(time.perf_counter() - start)
print(f"{1000 * statistics.median(times):.1f} ms (first check, hashing every file: "
      f"{1000 * first:.0f} ms; files hashed again: {SHARED.hashed - hashed})")
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
    proc = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    stderr = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    if proc.stderr:
        proc.stderr.close()
    if proc.returncode != 0:
        raise SystemExit(f"{command[0]} failed ({proc.returncode}):\n{stderr}")
    return Run(seconds, usage.ru_maxrss / 1024)  # ru_maxrss is in KiB on Linux


def _run_tty(command: list[str], env: dict[str, str]) -> Run:
    """``command`` with a pseudo-terminal as its stdin, stdout and stderr (python's pty)."""
    start = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:  # the child
        try:
            os.execvpe(command[0], command, env)
        finally:
            os._exit(127)
    output = bytearray()
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        output += chunk
    _, status, usage = os.wait4(pid, 0)
    seconds = time.perf_counter() - start
    os.close(fd)
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        raise SystemExit(f"{command[0]} failed on a terminal ({code}):\n"
                         f"{output.decode(errors='replace')}")
    return Run(seconds, usage.ru_maxrss / 1024)


def _environment(scratch: Path) -> dict[str, str]:
    """This checkout's code, and a private intake cache (the user's is never touched)."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "desktop"),
                                                       env.get("PYTHONPATH")]))
    env["SOKNADSPAKKE_CACHE"] = str(scratch / "cache")
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # compiled modules are used, as when installed
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


#: Tools that are not installed: name -> why they are left out.
MISSING: dict[str, str] = {}


def _commands(inputs: InputSet, files: list[str], listing: Path, out: Path
              ) -> dict[str, tuple[list[str], bool]]:
    """name -> (command, under a pseudo-terminal)."""
    build = [sys.executable, "-m", "soknadspakke", "build", str(inputs.project), "-o",
             str(out / "build.pdf"), "--quiet"]
    commands: dict[str, tuple[list[str], bool]] = {
        "build": (build, False),
        "build-tty": ([*build[:-2], str(out / "build-tty.pdf"), "--quiet"], True),
        "pypdf": ([sys.executable, "-c", BARE_PYPDF, str(listing), str(out / "pypdf.pdf")],
                  False),
        "qpdf": (["qpdf", "--empty", "--pages", *files, "--", str(out / "qpdf.pdf")], False),
        "pikepdf": ([sys.executable, "-c", PIKEPDF, str(listing), str(out / "pikepdf.pdf")],
                    False),
        "mutool": (["mutool", "merge", "-o", str(out / "mutool.pdf"), *files], False),
    }
    for name, program in (("qpdf", "qpdf"), ("mutool", "mutool")):
        if shutil.which(program) is None:
            MISSING[name] = (f"{program} is not installed (Debian: apt-get install "
                             f"{'mupdf-tools' if program == 'mutool' else program})")
            del commands[name]
    return commands


def measure(inputs: InputSet, runs: int, env: dict[str, str], out: Path) -> dict[str, list[Run]]:
    files = get_to_know(inputs, env)
    listing = inputs.folder / "files.txt"
    listing.write_text("\n".join(files), encoding="utf-8")
    commands = _commands(inputs, files, listing, out)
    results: dict[str, list[Run]] = {name: [] for name in commands}
    for _ in range(runs):  # interleaved, so drift in machine load hits all alike
        for name, (command, tty) in commands.items():
            results[name].append(_run_tty(command, env) if tty else _run(command, env))
    return results


def _median(runs: list[Run]) -> float:
    return statistics.median(r.seconds for r in runs)


def report(title: str, inputs: InputSet, results: dict[str, list[Run]]) -> list[str]:
    size = sum(f.stat().st_size for f in (inputs.folder / "vedlegg").iterdir())
    lines = [f"{title}: {inputs.documents} documents, {inputs.pages} pages, "
             f"{size / 1e6:.1f} MB of input; median of {len(results['build'])} interleaved runs",
             f"  {'tool':9s} {'wall':>8s} {'ms/page':>8s} {'peak':>9s} {'÷ pypdf':>8s}"]
    pypdf = _median(results["pypdf"])
    for name, runs in results.items():
        median = _median(runs)
        peak = max(r.peak_mb for r in runs)
        lines.append(f"  {name:9s} {median:7.3f}s {1000 * median / inputs.pages:8.2f} "
                     f"{peak:6.1f} MB {median / pypdf:8.2f}"
                     f"   (runs: {', '.join(f'{r.seconds:.3f}' for r in runs)})")
    for name, reason in MISSING.items():
        lines.append(f"  {name:9s} left out: {reason}")
    build, tty = _median(results["build"]), _median(results["build-tty"])
    lines.append(f"  build on a terminal ÷ piped = {tty / build:.3f} (target: within 5 %)")
    return lines


def revalidation(inputs: InputSet, env: dict[str, str]) -> str:
    """In-process: re-validating the application with its files unchanged (median of 20)."""
    out = subprocess.run([sys.executable, "-c", REVALIDATE, str(inputs.project)], env=env,
                         check=True, capture_output=True, text=True).stdout
    return out.strip()


def _generate(folder: Path, sizes: list[str]) -> None:
    """Make the input sets (in a child process, so the parent stays small: a forked child's
    peak memory counts the parent's pages until it execs)."""
    subprocess.run([sys.executable, __file__, "--generate-into", str(folder),
                    "--sizes", ",".join(sizes)], check=True)


#: name -> (documents, pages, seed)
SETS = {"typical": (15, 150, 2), "large": (60, 1200, 1), "huge": (120, 6000, 3)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="generate the inputs here and keep them "
                        "(inputs already there are used again)")
    parser.add_argument("--sizes", default="typical,large,huge",
                        help="which of typical, large, huge (comma-separated)")
    parser.add_argument("--generate-into", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    sizes = [s for s in args.sizes.split(",") if s]
    if args.generate_into:
        for name in sizes:
            documents, pages, seed = SETS[name]
            if not (args.generate_into / name / "ytelsestest.soknad").is_file():
                make_set(args.generate_into / name, documents, pages, seed=seed)
        return 0
    scratch = Path(tempfile.mkdtemp(prefix="soknadspakke-bench-"))
    try:
        base = args.keep or scratch
        env = _environment(scratch)
        out = scratch / "out"
        out.mkdir()
        started = time.perf_counter()
        _generate(base, sizes)
        print(f"inputs ready in {time.perf_counter() - started:.1f} s", flush=True)
        lines: list[str] = []
        for name in sizes:
            documents, pages, _seed = SETS[name]
            inputs = InputSet(base / name, base / name / "ytelsestest.soknad", pages, documents)
            block = report(name, inputs, measure(inputs, args.runs, env, out))
            if name == "large":
                block.append(f"  re-validation in-process, files unchanged: "
                             f"{revalidation(inputs, env)}")
            print("\n".join(block), flush=True)
            lines += block
        print("\n--- summary ---\n" + "\n".join(lines))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
