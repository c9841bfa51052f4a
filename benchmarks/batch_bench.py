"""Batch build time for a workspace of 30 applications, on one core and on all cores.

    python benchmarks/batch_bench.py [--apps 30] [--runs 3] [--keep DIR]

Generates a workspace of ``--apps`` ready applications (each: an application form, a 12-page
protocol unique to the application, an XLSX variable list, a DPIA, a DPO recommendation and a
scanned JPEG decision letter; about 25 pages), lets the program get to know the files once
(``soknadspakke status``, which fills the intake cache), then times whole processes, start-up
included, median of ``--runs``:

- ``build-all --jobs 1``:   every package built one after another in one process;
- ``build-all --jobs N``:   the same on N worker processes (N = the cores this process may use);
- ``build`` × apps:         the reference: one ``soknadspakke build`` process per application,
                            one after another (what an administrator would script without
                            ``build-all``).

Prints the times, the time per application and the speed-ups.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ANSWERS = {
    "application_type": "new", "institution_status": "approved", "personal_data": True,
    "legal_basis_valid_covering": True, "legal_basis_date": "2020-01-15",
    "health_research": False, "other_data_owners": [], "consent_based": False,
    "identifying_vars": [], "ssb_lists_exist": True,
}
LOREM = ("Prosjektet undersøker sammenhengen mellom utdanning, arbeid og helse over livsløpet "
         "ved hjelp av registerdata fra SSB. ") * 6


def _pdf(path: Path, title: str, pages: int) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    for page in range(pages):
        pdf.setFont("Helvetica-Bold", 14)
        pdf.drawString(72, 780, f"{title} – side {page + 1}")
        pdf.setFont("Helvetica", 10)
        text = pdf.beginText(72, 750)
        for line_no in range(40):
            text.textLine(LOREM[(line_no * 7) % 300:(line_no * 7) % 300 + 90])
        pdf.drawText(text)
        pdf.showPage()
    pdf.save()


def _xlsx(path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Bestilles (x)", "Variabelnavn", "Beskrivelse"])
    for n in range(60):
        sheet.append(["x" if n % 3 == 0 else "", f"BEFOLKNING_VAR_{n:03d}", f"Variabel {n}"])
    book.save(path)


def _scan(path: Path) -> None:
    from PIL import Image, ImageDraw

    image = Image.new("L", (1240, 1754), 235)  # A4 at 150 dpi
    draw = ImageDraw.Draw(image)
    for y in range(150, 1600, 28):
        draw.line((120, y, 1100, y), fill=60, width=3)
    image.save(path, quality=85, dpi=(150, 150))


def make_workspace(root: Path, apps: int) -> None:
    shared = root / ".shared"
    shared.mkdir(parents=True)
    common = {"soknadsskjema.pdf": 2, "dpia.pdf": 4, "tilradning.pdf": 1}
    for name, pages in common.items():
        _pdf(shared / name, name, pages)
    _xlsx(shared / "variabelliste.xlsx")
    _scan(shared / "vedtak.jpg")
    types = {"soknadsskjema.pdf": ["application_form_new"],
             "protokoll.pdf": ["research_protocol"],
             "variabelliste.xlsx": ["ssb_variable_list"], "dpia.pdf": ["dpia"],
             "tilradning.pdf": ["dpo_recommendation"], "vedtak.jpg": ["other"]}
    for n in range(1, apps + 1):
        folder = root / f"prosjekt-{n:02d}"
        (folder / "vedlegg").mkdir(parents=True)
        for name in ("soknadsskjema.pdf", "dpia.pdf", "tilradning.pdf", "variabelliste.xlsx",
                     "vedtak.jpg"):
            shutil.copy(shared / name, folder / "vedlegg" / name)
        _pdf(folder / "vedlegg" / "protokoll.pdf", f"Forskningsprotokoll {n}", 12)
        documents = []
        for name, doc_types in types.items():
            data = (folder / "vedlegg" / name).read_bytes()
            entry = {"path": f"vedlegg/{name}", "types": doc_types,
                     "sha256": hashlib.sha256(data).hexdigest()}
            if doc_types == ["dpo_recommendation"]:
                entry["valid_until"] = "2030-12-31"
            documents.append(entry)
        project = {"format": "soknadspakke/1",
                   "project": {"title": f"Prosjekt {n}", "project_leader": "Kari Nordmann",
                               "institution": "Universitetet i Oslo", "org_number": "123456785",
                               "contact_email": "kari@example.org",
                               "period_start": "2025-01-01", "period_end": "2029-12-31"},
                   "answers": ANSWERS, "documents": documents}
        (folder / f"prosjekt-{n:02d}.soknad").write_text(json.dumps(project, ensure_ascii=False),
                                                         encoding="utf-8")
    shutil.rmtree(shared)


def _env(cache: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT / "desktop")
    env["SOKNADSPAKKE_CACHE"] = str(cache)
    env["SOKNADSPAKKE_LANG"] = "en"
    return env


def _cpu() -> float:
    """CPU seconds (user + system) used so far by finished child processes."""
    try:
        import resource
    except ImportError:  # Windows
        return 0.0
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


CPU: dict[str, list[float]] = {}


def _run(args: list[str], env: dict[str, str], ok: tuple[int, ...] = (0,),
         label: str | None = None) -> float:
    started = time.perf_counter()
    cpu = _cpu()
    done = subprocess.run([sys.executable, "-m", "soknadspakke", *args], env=env,
                          capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    if label is not None:
        CPU.setdefault(label, []).append(_cpu() - cpu)
    if done.returncode not in ok:
        raise SystemExit(f"soknadspakke {' '.join(args)} failed ({done.returncode}):\n"
                         f"{done.stdout}\n{done.stderr}")
    return elapsed


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--apps", type=int, default=30)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="generate the workspace here and keep it")
    args = parser.parse_args()
    temp = Path(tempfile.mkdtemp(prefix="batch-bench-"))
    root = args.keep or temp / "ws"
    try:
        if root.exists():
            shutil.rmtree(root)
        make_workspace(root, args.apps)
        env = _env(temp / "cache")
        warm = _run(["status", str(root)], env)
        projects = sorted(root.glob("*/*.soknad"))
        n = cores()
        out = temp / "out"
        results: dict[str, list[float]] = {"one": [], "all": [], "loop": []}
        for _run_no in range(args.runs):
            results["one"].append(_run(["build-all", str(root), "--out", str(out / "one"),
                                        "--jobs", "1"], env, label="one"))
            results["all"].append(_run(["build-all", str(root), "--out", str(out / "all"),
                                        "--jobs", str(n)], env, label="all"))
            started = time.perf_counter()
            cpu = _cpu()
            for project in projects:
                _run(["build", str(project), "-o", str(out / "loop" / f"{project.stem}.pdf"),
                      "--quiet"], env)
            results["loop"].append(time.perf_counter() - started)
            CPU.setdefault("loop", []).append(_cpu() - cpu)
        pages = sum(1 for _p in (out / "all").glob("*.pdf"))
        assert pages == args.apps, f"{pages} packages built, expected {args.apps}"
        median = {k: statistics.median(v) for k, v in results.items()}
        cpu_median = {k: statistics.median(v) for k, v in CPU.items()}
        load = os.getloadavg() if hasattr(os, "getloadavg") else (0.0, 0.0, 0.0)
        print(f"workspace: {args.apps} ready applications, ~25 pages each; cores: {n}; "
              f"runs: {args.runs} (median); first status run (fills the cache): {warm:.2f} s; "
              f"load average at the end: {load[0]:.1f}")
        print()
        print("| run | wall time | per application | CPU time | vs. build × apps |")
        print("|---|---|---|---|---|")
        rows = (("`build-all --jobs 1`", "one"), (f"`build-all --jobs {n}`", "all"),
                (f"`build` × {args.apps} processes (reference)", "loop"))
        for label, key in rows:
            print(f"| {label} | {median[key]:.2f} s | {median[key] / args.apps * 1000:.0f} ms | "
                  f"{cpu_median.get(key, 0.0):.2f} s | {median['loop'] / median[key]:.2f}× |")
        print()
        print(f"speed-up of {n} cores over 1: {median['one'] / median['all']:.2f}×")
    finally:
        shutil.rmtree(temp, ignore_errors=True)


if __name__ == "__main__":
    main()
