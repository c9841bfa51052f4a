"""The frozen program (PyInstaller, one folder) does the program's main jobs without Python.

Builds dist/soknadspakke with ``bash packaging/build.sh`` unless a bundle newer than every
source file is already there, then runs it as a researcher would: ``--version``, ``validate``
and ``build`` of the bundled example (from the bundle's own copy, in a folder outside the
checkout), Office conversion through LibreOffice, and, once the desktop window is in this
checkout, the window starting offscreen and quitting by itself.
"""

from __future__ import annotations

import importlib.util
import json
import locale
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pypdf import PdfReader

from soknadspakke import __version__
from soknadspakke.build import build_package
from soknadspakke.core.project_file import load_project
from soknadspakke.rules.loader import default_pack
from tests.cli.build_worker import request_for, talk_to_build_worker

REPO = Path(__file__).resolve().parents[2]
DIST = REPO / "dist" / "soknadspakke"
EXAMPLE = REPO / "resources" / "examples" / "ny-soknad" / "ny-soknad.soknad"
WINDOWS = sys.platform == "win32"
# What the program writes to a pipe: UTF-8, except on Windows (the ANSI code page, as for any
# program there; a console shows Unicode either way).
PIPE_ENCODING = locale.getpreferredencoding(False) if WINDOWS else "utf-8"
# Windows: soknadspakke.exe is the windowed program, soknadspakke-cli.exe the console one.
PROGRAM = DIST / ("soknadspakke-cli.exe" if WINDOWS else "soknadspakke")
GUI_PROGRAM = DIST / ("soknadspakke.exe" if WINDOWS else "soknadspakke")
BUILD_INPUTS = ("desktop/soknadspakke", "resources", "packaging", "pyproject.toml")

pytestmark = pytest.mark.slow


def _newest_input() -> float:
    newest = 0.0
    for name in BUILD_INPUTS:
        path = REPO / name
        files = [path] if path.is_file() else [
            p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
        newest = max([newest, *(p.stat().st_mtime for p in files)])
    return newest


@pytest.fixture(scope="session")
def frozen() -> Path:
    """The frozen program, built now unless dist/ holds one newer than all its sources."""
    if not (PROGRAM.is_file() and PROGRAM.stat().st_mtime > _newest_input()):
        if shutil.which("bash") is None:
            pytest.skip("bash is needed to run packaging/build.sh")
        started = time.monotonic()
        result = subprocess.run(["bash", str(REPO / "packaging" / "build.sh")], cwd=REPO,
                                capture_output=True, text=True, timeout=1500, check=False)
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
        print(f"\npackaging/build.sh took {time.monotonic() - started:.0f} s")
    assert PROGRAM.is_file()
    return PROGRAM


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """An environment like a researcher's: no Python settings, no resource override, a private
    cache and settings folder."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PYTHON", "SOKNADSPAKKE_", "VIRTUAL_ENV", "QT_"))}
    env["SOKNADSPAKKE_CACHE"] = str(tmp_path / "cache")
    env["HOME"] = str(tmp_path / "home")
    for var in ("XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"):
        env[var] = str(tmp_path / "home" / var.lower())
    env.update(extra)
    return env


def run(program: Path, *args: str | Path, tmp_path: Path, timeout: float = 120,
        **env: str) -> subprocess.CompletedProcess[str]:
    cwd = tmp_path / "cwd"
    cwd.mkdir(exist_ok=True)
    return subprocess.run([str(program), *map(str, args)], cwd=cwd, env=_env(tmp_path, **env),
                          stdin=subprocess.DEVNULL, capture_output=True, text=True,
                          encoding=PIPE_ENCODING, errors="replace", timeout=timeout,
                          check=False)


def _copy_example(tmp_path: Path) -> Path:
    target = tmp_path / "søknad"
    shutil.copytree(EXAMPLE.parent, target)
    return target / EXAMPLE.name


def test_version(frozen: Path, tmp_path: Path) -> None:
    result = run(frozen, "--version", tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"soknadspakke {__version__}"


def test_validate_example(frozen: Path, tmp_path: Path) -> None:
    project = _copy_example(tmp_path)
    result = run(frozen, "validate", project, "--format", "json", tmp_path=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(result.stdout)
    assert report["ready"] is True
    assert report["rule_pack"]["id"] == default_pack().id
    # The bundle's bokmål catalogue is found and used.
    text = run(frozen, "validate", project, "--lang", "nb", tmp_path=tmp_path)
    assert text.returncode == 0
    assert "Regelverk:" in text.stdout, text.stdout


def test_build_example_matches_the_program_run_from_source(frozen: Path,
                                                           tmp_path: Path) -> None:
    project = _copy_example(tmp_path)
    out = tmp_path / "ut" / "pakke.pdf"
    out.parent.mkdir()
    result = run(frozen, "build", project, "-o", out, "--lang", "en", tmp_path=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert str(out) in result.stdout

    reference = tmp_path / "reference.pdf"
    build_package(load_project(project), default_pack(), reference, lang="en")
    frozen_pdf, source_pdf = PdfReader(out), PdfReader(reference)
    assert len(frozen_pdf.pages) == len(source_pdf.pages) > 9
    assert [o.title for o in frozen_pdf.outline if not isinstance(o, list)] == \
        [o.title for o in source_pdf.outline if not isinstance(o, list)]
    assert frozen_pdf.metadata is not None
    assert frozen_pdf.metadata.creator == f"Søknadspakke {__version__}"
    assert f"Søknadspakke {__version__}" in frozen_pdf.pages[0].extract_text()  # cover sheet
    footer = frozen_pdf.pages[-1].extract_text()
    assert f"{len(frozen_pdf.pages)}" in footer


def test_example_command_uses_the_bundled_copy(frozen: Path, tmp_path: Path) -> None:
    result = run(frozen, "example", "--out", tmp_path / "ex", "--lang", "en", tmp_path=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    (package,) = (tmp_path / "ex" / "ny-soknad").glob("*.pdf")
    assert len(PdfReader(package).pages) > 9


def test_windows_build_worker_runs_frozen(frozen: Path, tmp_path: Path) -> None:
    """The window builds through ``<frozen program> build-worker`` (JSON lines, UTF-8), its
    stdin open while it works; the example sits in a folder named "søknad"."""
    project = _copy_example(tmp_path)
    out = project.parent / "pakke-ø.pdf"
    (tmp_path / "cwd").mkdir(exist_ok=True)
    code, events, stderr = talk_to_build_worker(
        [str(GUI_PROGRAM), "build-worker"], request_for(project, out), env=_env(tmp_path),
        cwd=tmp_path / "cwd")
    assert code == 0, (events[-1:], stderr)
    assert events[-1] == {"event": "done", "path": str(out), "pages": events[-1]["pages"],
                          "documents": 9, "skipped": []}
    assert len(PdfReader(out).pages) == events[-1]["pages"]


def test_unreadable_project_exits_2_without_traceback(frozen: Path, tmp_path: Path) -> None:
    bad = tmp_path / "ødelagt.soknad"
    bad.write_text("{ not json", encoding="utf-8")
    result = run(frozen, "validate", bad, tmp_path=tmp_path)
    assert result.returncode == 2
    assert "ødelagt.soknad" in result.stderr
    assert "Traceback" not in result.stderr


RECORDED = ("LD_LIBRARY_PATH", "DYLD_LIBRARY_PATH", "QT_PLUGIN_PATH", "QML2_IMPORT_PATH")


@pytest.mark.skipif(WINDOWS, reason="the stand-in LibreOffice is a shell script")
def test_office_conversion_runs_libreoffice_with_the_users_library_path(
        frozen: Path, tmp_path: Path) -> None:
    """LibreOffice must not inherit the bundle's library path (it would load the bundle's
    libstdc++, zlib …) nor its Qt plugin path: a stand-in ``soffice`` first on PATH records its
    environment and writes a PDF as LibreOffice would."""
    from reportlab.pdfgen import canvas

    fake_pdf = tmp_path / "converted.pdf"
    page = canvas.Canvas(str(fake_pdf))
    page.drawString(72, 720, "Converted by the stand-in LibreOffice")
    page.save()
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    record = tmp_path / "soffice-env.txt"
    soffice = bin_dir / "soffice"
    records = "".join(f'printf "{name}=%s\\n" "${name}" >> "{record}"\n' for name in RECORDED)
    soffice.write_text(
        "#!/bin/sh\n"
        f"{records}"
        'while [ $# -gt 0 ]; do\n'
        '  case "$1" in --outdir) out="$2"; shift;; *) src="$1";; esac; shift\n'
        "done\n"
        'mkdir -p "$out"\n'
        f'cp "{fake_pdf}" "$out/$(basename "${{src%.*}}").pdf"\n', encoding="utf-8")
    soffice.chmod(0o755)
    document = tmp_path / "brev.rtf"
    document.write_bytes(b"{\\rtf1\\ansi Hei\\par}")

    result = run(frozen, "inspect", document, "--lang", "en", tmp_path=tmp_path,
                 PATH=f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
                 LD_LIBRARY_PATH="/the/users/own/libs")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Status: usable" in result.stdout, result.stdout
    recorded = dict(line.split("=", 1) for line in record.read_text().splitlines())
    assert recorded["LD_LIBRARY_PATH"] == "/the/users/own/libs"
    for name in RECORDED:
        assert str(DIST) not in recorded[name], (name, recorded[name])


def test_bundle_leaves_out_what_the_program_does_not_use(frozen: Path) -> None:
    internal = DIST / "_internal"
    names = [p.relative_to(internal).as_posix() for p in internal.rglob("*")]
    # QtPdf links to QtNetwork, so its library stays; QML/Quick and the virtual keyboard go.
    assert any(re.search(r"(^|/)(lib)?Qt6?Pdf(\.|$)", n.rsplit("/", 1)[-1]) for n in names)
    assert any(re.search(r"(^|/)(lib)?Qt6?Network(\.|$)", n.rsplit("/", 1)[-1]) for n in names)
    unwanted = [n for n in names if re.search(
        r"Qt6?(Qml|Quick|VirtualKeyboard|Designer|Sql|OpenGL)|/qml/|platforminputcontexts"
        r"|(^|/)_ssl\.|(^|/)tkinter", n)]
    assert unwanted == []
    for part in ("rules", "i18n/nb", "fonts", "examples/ny-soknad", "icons"):
        assert (internal / "resources" / part).is_dir(), part
    size = sum(p.stat().st_size for p in DIST.rglob("*") if p.is_file() and not p.is_symlink())
    print(f"\nbundle: {size / 2**20:.0f} MiB in {DIST}")


needs_window = pytest.mark.skipif(importlib.util.find_spec("soknadspakke.gui") is None,
                                  reason="the desktop window is not in this checkout yet")


@needs_window
def test_window_starts_offscreen_and_quits(frozen: Path, tmp_path: Path) -> None:
    project = _copy_example(tmp_path)
    before = project.read_bytes()
    result = run(GUI_PROGRAM, project, "--quit-after-start", tmp_path=tmp_path, timeout=120,
                 QT_QPA_PLATFORM="offscreen")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert "Could not load the Qt platform plugin" not in result.stderr
    assert project.read_bytes() == before  # quitting this way saves nothing


@needs_window
@pytest.mark.skipif(not sys.platform.startswith("linux"),
                    reason="the recovery folder follows XDG_STATE_HOME on Linux only")
def test_window_opening_the_example_leaves_nothing_to_recover(frozen: Path,
                                                             tmp_path: Path) -> None:
    """Opening a project changes nothing: no recovery file, so the next start asks nothing.
    (It once did: the form's retranslate() emitted itemChanged and cleared a multi-choice
    answer, and the next --quit-after-start waited for ever on the "restore?" question.)"""
    project = _copy_example(tmp_path)
    result = run(GUI_PROGRAM, project, "--quit-after-start", tmp_path=tmp_path, timeout=120,
                 QT_QPA_PLATFORM="offscreen")
    assert result.returncode == 0, result.stdout + result.stderr
    recovery = sorted((tmp_path / "home").rglob("recovery/*.json"))
    assert recovery == [], recovery[0].read_text(encoding="utf-8")[:2000]
