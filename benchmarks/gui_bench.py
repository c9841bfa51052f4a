"""How the window feels: start-up, event-loop stalls during long work, checklist latency.

    python benchmarks/gui_bench.py [--runs 5]

Prints, in one run (offscreen unless QT_QPA_PLATFORM says otherwise):

1. start-up: process spawn to a usable window with the example application open (the window
   drawn, its rules run), against a bare ``QMainWindow`` started the same way (targets: under
   1 s, and within 0.5 s of the bare window);
2. the longest event-loop stall (a 10 ms timer's largest gap) while 200 files are dropped in and
   taken in, and while a 1,200-page package builds (target: never over 50 ms);
3. the time from an answer changed to the checklist updated (target: under 50 ms).

Medians over ``--runs``; the machine is shared, so read them as ±50 %.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "desktop"))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from soknadspakke.gui.main_window import MainWindow

BARE = """
import sys, time
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv)
window = QMainWindow()
window.resize(1280, 800)
window.show()
def done():
    print(time.time(), flush=True)
    app.quit()
QTimer.singleShot(0, done)
app.exec()
"""

WINDOW = """
import sys, time
from pathlib import Path
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication
app = QApplication(sys.argv)
from soknadspakke.gui.app import setup_application
setup_application(app)
from soknadspakke.gui.main_window import MainWindow
from soknadspakke.gui.recovery import RecoveryStore
from soknadspakke.gui.settings import Settings
scratch = Path(sys.argv[2])
settings = Settings(QSettings(str(scratch / "s.ini"), QSettings.Format.IniFormat))
window = MainWindow(settings=settings, recovery=RecoveryStore(scratch / "recovery"))
window.show()
window.open_project(Path(sys.argv[1]))
def done():
    print(time.time(), flush=True)
    window.force_close()
    app.quit()
QTimer.singleShot(0, done)
app.exec()
"""


def spawn_to_ready(script: str, args: list[str], env: dict[str, str]) -> float:
    start = time.time()
    out = subprocess.run([sys.executable, "-c", script, *args], env=env, capture_output=True,
                         text=True, check=True).stdout
    return float(out.strip().splitlines()[-1]) - start


class LoopWatch:
    """The largest gap between ticks of a 10 ms timer (the event loop's longest stall)."""

    def __init__(self) -> None:
        from PySide6.QtCore import QElapsedTimer, Qt, QTimer

        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(10)
        self.clock = QElapsedTimer()
        self.gaps: list[float] = []
        self.timer.timeout.connect(self._tick)

    def _tick(self) -> None:
        self.gaps.append(self.clock.restart())

    def __enter__(self) -> LoopWatch:
        self.clock.start()
        self.timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.timer.stop()
        self.gaps.append(self.clock.elapsed())  # a fully blocked loop never ticks

    @property
    def worst(self) -> float:
        return max(self.gaps) if self.gaps else 0.0

    def over(self, ms: float) -> int:
        return sum(1 for g in self.gaps if g > ms)


def wait(app: object, until: object, timeout: float = 600.0) -> None:
    end = time.time() + timeout
    while not until() and time.time() < end:  # type: ignore[operator]
        app.processEvents()  # type: ignore[attr-defined]
        time.sleep(0.002)
    if not until():  # type: ignore[operator]
        raise TimeoutError("the window did not finish in time")


def idle(app: object, seconds: float) -> None:
    end = time.time() + seconds
    while time.time() < end:
        app.processEvents()  # type: ignore[attr-defined]
        time.sleep(0.005)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--files", type=int, default=200)
    args = parser.parse_args()
    # An installed program has its modules compiled; this checkout may not (the machine sets
    # PYTHONDONTWRITEBYTECODE), and compiling them on every start is not what users wait for.
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "desktop")],
                   check=True, env=dict(os.environ, PYTHONDONTWRITEBYTECODE=""))
    scratch = Path(tempfile.mkdtemp(prefix="soknadspakke-guibench-"))
    env = dict(os.environ, PYTHONPATH=str(ROOT / "desktop"),
               SOKNADSPAKKE_CACHE=str(scratch / "cache"))
    os.environ["SOKNADSPAKKE_CACHE"] = str(scratch / "cache")
    example = scratch / "ny-soknad"
    shutil.copytree(ROOT / "resources" / "examples" / "ny-soknad", example)
    project = example / "ny-soknad.soknad"
    print(f"gui_bench: {args.runs} runs, platform {os.environ['QT_QPA_PLATFORM']}, "
          f"{os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}")

    # 1. start-up, interleaved
    measure_startup(args.runs, project, scratch, env)

    # 2 and 3 in this process, on the real window
    from PySide6.QtWidgets import QApplication

    from soknadspakke.gui.app import setup_application

    app = QApplication([sys.argv[0]])
    setup_application(app)
    window_for = window_maker(scratch)
    measure_drop(app, window_for, scratch, args.files)  # 2a
    window = measure_build(app, window_for, scratch, args.runs)  # 2b
    measure_answer_latency(app, window)  # 3
    window.force_close()
    shutil.rmtree(scratch, ignore_errors=True)
    return 0


def measure_startup(runs: int, project: Path, scratch: Path, env: dict[str, str]) -> None:
    """1. Start-up to a usable window, against a bare ``QMainWindow``, interleaved."""
    bare, full = [], []
    spawn_to_ready(WINDOW, [str(project), str(scratch)], env)  # warm the file cache
    for _ in range(runs):
        bare.append(spawn_to_ready(BARE, [], env))
        full.append(spawn_to_ready(WINDOW, [str(project), str(scratch)], env))
    b, f = statistics.median(bare), statistics.median(full)
    print(f"start-up to a usable window: bare QMainWindow {b * 1000:.0f} ms, "
          f"Søknadspakke with the example open {f * 1000:.0f} ms (+{(f - b) * 1000:.0f} ms)")


def window_maker(scratch: Path) -> Callable[[Path], MainWindow]:
    """A function opening an application in a new window whose state lives in ``scratch``."""
    from PySide6.QtCore import QSettings

    from soknadspakke.gui.main_window import MainWindow
    from soknadspakke.gui.recovery import RecoveryStore
    from soknadspakke.gui.settings import Settings
    from soknadspakke.intake import IntakeCache

    class Quiet:  # answers nothing, but says what went wrong
        def error(self, title: str, text: str) -> None:
            raise SystemExit(f"gui_bench: {title}: {text}")

        def __getattr__(self, name: str) -> object:
            return lambda *a, **k: None

    def window_for(path: Path) -> MainWindow:
        window = MainWindow(settings=Settings(QSettings(str(scratch / "w.ini"),
                                                        QSettings.Format.IniFormat)),
                            recovery=RecoveryStore(scratch / "recovery"),
                            cache=IntakeCache(scratch / "cache"), dialogs=Quiet())  # type: ignore[arg-type]
        window.show()
        window.open_project(path)
        return window

    return window_for


def measure_drop(app: QApplication, window_for: Callable[[Path], MainWindow], scratch: Path,
                 files: int) -> None:
    """2a. ``files`` files dropped in and taken in (a cold intake: new content in every
    file): the longest event-loop stall."""
    from build_bench import make_set  # the same synthetic 1,200-page application

    inputs = make_set(scratch / "drop-src", files, files * 3, seed=11)
    new = scratch / "drop" / "soknad.soknad"
    new.parent.mkdir()
    new.write_text('{"format": "soknadspakke/1", "project": {}, "answers": {}, '
                   '"documents": []}', encoding="utf-8")
    window = window_for(new)
    session = window.session
    assert session is not None
    sources = sorted((inputs.folder / "vedlegg").iterdir())
    idle(app, 1.0)  # the window as a user finds it: drawn, its preview dock made
    start = time.perf_counter()
    with LoopWatch() as drop_watch:
        session.take_in(sources)
        wait(app, lambda: len(session.project.documents) == len(sources) and
             not session.batches)
    drop_seconds = time.perf_counter() - start
    window.force_close()
    print(f"{len(sources)} files dropped and taken in: {drop_seconds:.1f} s; longest "
          f"event-loop stall {drop_watch.worst:.0f} ms ({drop_watch.over(50)} over 50 ms, "
          f"p99 {sorted(drop_watch.gaps)[int(len(drop_watch.gaps) * 0.99)]:.0f} ms)")


def measure_build(app: QApplication, window_for: Callable[[Path], MainWindow], scratch: Path,
                  runs: int) -> MainWindow:
    """2b. A 1,200-page build (its own process) while the window runs: the longest
    event-loop stall. Returns the window, still open."""
    from build_bench import make_set

    big = make_set(scratch / "big", 60, 1200, seed=5)
    window = window_for(big.project)
    session = window.session
    assert session is not None
    wait(app, lambda: not session.checking and bool(session.results))
    idle(app, 1.0)
    stalls = []
    for run in range(max(1, runs // 2)):
        out = scratch / f"big-{run}.pdf"
        with LoopWatch() as build_watch:
            process = window.start_build(draft=True, out=out)
            assert process is not None
            wait(app, lambda p=process, o=out: not p.running and o.exists())
            # … and the package shown in the preview, all its pages measured
            preview = window.preview
            wait(app, lambda o=out, v=preview: v.current_file == o
                 and not v.pages.measuring)
            idle(app, 0.3)
        stalls.append(build_watch.worst)
    print(f"1,200-page package built from the window: longest event-loop stall "
          f"{statistics.median(stalls):.0f} ms (median of {len(stalls)} builds; worst run "
          f"{max(stalls):.0f} ms)")
    return window


def measure_answer_latency(app: QApplication, window: MainWindow) -> None:
    """3. An answer changed -> the checklist updated."""
    from PySide6.QtWidgets import QComboBox

    form, checklist = window.form, window.checklist
    assert form is not None and checklist is not None
    combo = form.fields["answers.application_type"].editor
    assert isinstance(combo, QComboBox)
    latencies = []
    for i in range(20):
        start = time.perf_counter()
        combo.setCurrentIndex(2 if i % 2 == 0 else 1)  # change, new, change, …
        app.processEvents()
        latencies.append((time.perf_counter() - start) * 1000)
    print(f"answer changed -> checklist updated (60 documents): median "
          f"{statistics.median(latencies):.1f} ms, worst {max(latencies):.1f} ms")


if __name__ == "__main__":
    sys.exit(main())
