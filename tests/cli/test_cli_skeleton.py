"""The command-line skeleton, and that neither it nor the core imports Qt."""

from __future__ import annotations

import os
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

import soknadspakke
import soknadspakke.core
from soknadspakke.cli import main

from .conftest import REPO

ENGLISH = "Prepares complete, checked application packages"
BOKMAL = "Setter sammen komplette, kontrollerte søknadspakker"


def test_help(use_resources: Path, clean_lang_env: pytest.MonkeyPatch,
              capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("bruk: soknadspakke")  # bokmål is the default, argparse's texts too
    assert BOKMAL in out


def test_no_command_prints_help(use_resources: Path, clean_lang_env: pytest.MonkeyPatch,
                                capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 0
    assert "bruk: soknadspakke" in capsys.readouterr().out


def test_version(use_resources: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"soknadspakke {soknadspakke.__version__}"


@pytest.mark.parametrize("argv", [["no-such-command"], ["--no-such-option"], ["--lang"]])
def test_usage_errors_exit_2(use_resources: Path, capsys: pytest.CaptureFixture[str],
                             argv: list[str]) -> None:
    assert main(argv) == 2
    assert "usage: soknadspakke" in capsys.readouterr().err


@pytest.mark.parametrize(("argv", "expected", "other"), [
    (["--lang", "en", "--help"], ENGLISH, BOKMAL),
    (["--lang=en", "--help"], ENGLISH, BOKMAL),
    (["--help", "--lang", "en"], ENGLISH, BOKMAL),
    (["--lang", "nb", "--help"], BOKMAL, ENGLISH),
    (["--lang", "nb_NO.UTF-8", "--help"], BOKMAL, ENGLISH),
])
@pytest.mark.usefixtures("use_resources")
def test_lang_changes_the_help(clean_lang_env: pytest.MonkeyPatch,
                               capsys: pytest.CaptureFixture[str], argv: list[str],
                               expected: str, other: str) -> None:
    clean_lang_env.setenv("LANG", "en_US.UTF-8" if expected == BOKMAL else "nb_NO.UTF-8")
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert expected in out
    assert other not in out


def test_lang_alone_is_accepted(use_resources: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--lang", "en"]) == 0
    assert ENGLISH in capsys.readouterr().out


def test_language_from_environment(use_resources: Path, clean_lang_env: pytest.MonkeyPatch,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    clean_lang_env.setenv("SOKNADSPAKKE_LANG", "en")
    assert main(["--help"]) == 0
    assert ENGLISH in capsys.readouterr().out


def test_help_works_without_resources(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                      fresh_caches: None,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    from soknadspakke.core import resources

    monkeypatch.delenv(resources.ENV_VAR, raising=False)
    monkeypatch.setattr(resources, "candidate_roots", lambda: [tmp_path / "none"])
    assert main(["--version"]) == 0
    assert main(["--help"]) == 0
    assert "usage: soknadspakke" in capsys.readouterr().out


# -- no Qt ----------------------------------------------------------------------------------------

def _core_modules() -> list[str]:
    return sorted(f"soknadspakke.core.{m.name}"
                  for m in pkgutil.iter_modules(soknadspakke.core.__path__))


def test_core_modules_are_all_listed() -> None:
    assert {"soknadspakke.core.project_file", "soknadspakke.core.i18n",
            "soknadspakke.core.idnumbers"} <= set(_core_modules())


_BLOCK_QT = """
import importlib.abc, sys

class BlockQt(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("PySide6", "shiboken6"):
            raise ImportError(f"{name} is blocked: the core must not import Qt")
        return None

sys.meta_path.insert(0, BlockQt())
try:
    import PySide6
except ImportError:
    pass
else:
    raise SystemExit("the blocker does not work")
import importlib
for name in sys.argv[1:]:
    importlib.import_module(name)
from soknadspakke.cli import main
assert main(["--version"]) == 0
loaded = sorted(m for m in sys.modules if m.split(".")[0] in ("PySide6", "shiboken6"))
assert not loaded, loaded
print("imported", len(sys.argv) - 1)
"""


def test_cli_and_core_import_without_qt(resources_dir: Path, tmp_path: Path) -> None:
    modules = ["soknadspakke", "soknadspakke.__main__", "soknadspakke.cli",
               "soknadspakke.cli.commands", "soknadspakke.cli.common", *_core_modules()]
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["PYTHONPATH"] = str(REPO / "desktop")
    env["SOKNADSPAKKE_RESOURCES"] = str(resources_dir)
    result = subprocess.run([sys.executable, "-c", _BLOCK_QT, *modules], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    assert f"imported {len(modules)}" in result.stdout


_RUN_WITHOUT_QT = _BLOCK_QT.split("import importlib\n", maxsplit=1)[0] + """
import json
from soknadspakke.cli import main
codes = {" ".join(args): main(["--lang", "en", *args]) for args in json.loads(sys.argv[1])}
loaded = sorted(m for m in sys.modules if m.split(".")[0] in ("PySide6", "shiboken6"))
assert not loaded, loaded
print(json.dumps(codes))
"""


def test_every_cli_command_runs_without_qt(tmp_path: Path) -> None:
    """The administrators' commands do real work (validate, build, inspect, status,
    build-all, init, add, e-mail draft) in an interpreter where Qt cannot be imported."""
    import json
    import shutil

    shutil.copytree(REPO / "resources" / "examples" / "ny-soknad", tmp_path / "ny-soknad")
    project = "ny-soknad/ny-soknad.soknad"
    protocol = "ny-soknad/vedlegg/02-forskningsprotokoll.pdf"
    commands = [["validate", project], ["build", project, "-o", "pakke.pdf"],
                ["inspect", protocol], ["status", "."], ["build-all", "."],
                ["init", "ny"], ["add", "ny/ny.soknad", protocol, "--as", "research_protocol"],
                ["email", project]]
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "SOKNADSPAKKE_RESOURCES")}
    env["PYTHONPATH"] = str(REPO / "desktop")
    result = subprocess.run([sys.executable, "-c", _RUN_WITHOUT_QT, json.dumps(commands)],
                            cwd=tmp_path, env=env, capture_output=True, text=True,
                            timeout=300, check=False)
    assert result.returncode == 0, result.stderr
    codes = json.loads(result.stdout.strip().splitlines()[-1])
    assert codes == {" ".join(c): 0 for c in commands}, result.stdout + result.stderr
    assert len(PdfReader(tmp_path / "pakke.pdf").pages) >= 10
    assert (tmp_path / "ny" / "vedlegg" / "02-forskningsprotokoll.pdf").is_file()
    assert list((tmp_path / "ny-soknad").glob("*.eml"))
