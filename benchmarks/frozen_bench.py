"""Start-up and run time of the frozen program against the same program run from source.

    bash packaging/build.sh && .venv/bin/python benchmarks/frozen_bench.py [--runs 9]

Whole processes, spawn to exit, the frozen and the source run alternating so that the machine's
load hits both alike; medians. Reference: the bare interpreter (``python -c pass``). With the
desktop window installed also ``soknadspakke PROJECT --quit-after-start`` offscreen (start, open
the example, check it, draw once, quit), each run with fresh settings. Also the bundle's size
(files, symbolic links not counted twice).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DIST = REPO / "dist" / "soknadspakke"
FROZEN = DIST / ("soknadspakke-cli.exe" if sys.platform == "win32" else "soknadspakke")
EXAMPLE = REPO / "resources" / "examples" / "ny-soknad" / "ny-soknad.soknad"


def timed(command: list[str], env: dict[str, str]) -> float:
    if "--quit-after-start" in command:  # fresh settings and recovery folder each time
        home = Path(tempfile.mkdtemp(prefix="frozen-bench-home-"))
        env = {**env, "HOME": str(home), "QT_QPA_PLATFORM": "offscreen",
               **{v: str(home / v.lower()) for v in ("XDG_CONFIG_HOME", "XDG_STATE_HOME")}}
    start = time.perf_counter()
    subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   check=True)
    return time.perf_counter() - start


def bundle_size() -> tuple[int, int]:
    files = [p for p in DIST.rglob("*") if p.is_file() and not p.is_symlink()]
    return sum(p.stat().st_size for p in files), len(files)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    if not FROZEN.is_file():
        sys.exit(f"{FROZEN} is missing: run bash packaging/build.sh first")
    work = Path(tempfile.mkdtemp(prefix="frozen-bench-"))
    try:
        project = work / "example" / EXAMPLE.name
        shutil.copytree(EXAMPLE.parent, project.parent)
        env = {k: v for k, v in os.environ.items() if not k.startswith("SOKNADSPAKKE_")}
        env["SOKNADSPAKKE_CACHE"] = str(work / "cache")
        source = [sys.executable, "-m", "soknadspakke"]
        jobs = {
            "--version": ["--version"],
            "validate example": ["validate", str(project)],
            "build example": ["build", str(project), "-o", str(work / "package.pdf")],
        }
        if importlib.util.find_spec("soknadspakke.gui") is not None:
            jobs["window, offscreen"] = [str(project), "--quit-after-start"]
        for arguments in jobs.values():  # warm the intake cache and the file system cache
            timed([str(FROZEN), *arguments], env)
            timed([*source, *arguments], env)
        bare = statistics.median(timed([sys.executable, "-c", "pass"], env)
                                 for _ in range(args.runs))
        size, count = bundle_size()
        print(f"bundle: {size / 2**20:.0f} MiB ({size / 1e6:.0f} MB) in {count} files, {DIST}")
        print(f"python -c pass: {bare:.3f} s (median of {args.runs})")
        print(f"{'command':<18} {'frozen':>8} {'source':>8} {'frozen/source':>14}")
        for name, arguments in jobs.items():
            frozen_times, source_times = [], []
            for _ in range(args.runs):
                frozen_times.append(timed([str(FROZEN), *arguments], env))
                source_times.append(timed([*source, *arguments], env))
            f, s = statistics.median(frozen_times), statistics.median(source_times)
            print(f"{name:<18} {f:>7.3f}s {s:>7.3f}s {f / s:>14.2f}")
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
        print(f"load average at the end: {load:.1f} on {os.cpu_count()} cores")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
