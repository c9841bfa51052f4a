"""Finding ``resources/`` from a checkout, an installed wheel and a frozen bundle."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import soknadspakke
from soknadspakke.core import resources
from soknadspakke.core.errors import SoknadError
from soknadspakke.core.resources import (
    ENV_VAR,
    candidate_roots,
    find_resources_root,
    resource_path,
    resources_root,
)

from .conftest import REPO, REPO_RESOURCES

PACKAGE = Path(soknadspakke.__file__).resolve().parent


def _resources(root: Path) -> Path:
    (root / "rules").mkdir(parents=True)
    return root


@pytest.fixture
def no_override(monkeypatch: pytest.MonkeyPatch, fresh_caches: None) -> pytest.MonkeyPatch:
    monkeypatch.delenv(ENV_VAR, raising=False)
    monkeypatch.delattr(sys, "_MEIPASS", raising=False)
    return monkeypatch


def test_candidates_without_override_or_bundle(no_override: pytest.MonkeyPatch) -> None:
    assert candidate_roots() == [PACKAGE / "resources", PACKAGE.parent.parent / "resources"]
    assert candidate_roots()[-1] == REPO / "resources"  # this checkout


def test_env_override_comes_first(no_override: pytest.MonkeyPatch, tmp_path: Path) -> None:
    custom = _resources(tmp_path / "custom")
    bundle = _resources(tmp_path / "bundle" / "resources")
    no_override.setenv(ENV_VAR, str(custom))
    no_override.setattr(sys, "_MEIPASS", str(bundle.parent), raising=False)
    assert candidate_roots()[:2] == [custom, bundle]
    assert find_resources_root() == custom
    assert resources_root() == custom
    assert resource_path("rules", "x.toml") == custom / "rules" / "x.toml"


def test_override_without_rules_is_an_error(no_override: pytest.MonkeyPatch,
                                            tmp_path: Path) -> None:
    # An administrator's misspelt override must not silently fall back to the built-in rules.
    (tmp_path / "custom").mkdir()
    no_override.setenv(ENV_VAR, str(tmp_path / "custom"))
    no_override.setattr(resources, "candidate_roots",
                        lambda: [tmp_path / "custom", _resources(tmp_path / "builtin")])
    with pytest.raises(SoknadError, match=ENV_VAR) as info:
        find_resources_root()
    assert str(tmp_path / "custom") in str(info.value)


def test_frozen_bundle(no_override: pytest.MonkeyPatch, tmp_path: Path) -> None:
    bundle = _resources(tmp_path / "_MEI12345" / "resources")
    no_override.setattr(sys, "_MEIPASS", str(bundle.parent), raising=False)
    assert candidate_roots()[0] == bundle
    assert find_resources_root() == bundle


def test_first_candidate_with_rules_wins(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    file_not_folder = tmp_path / "file"
    file_not_folder.mkdir()
    (file_not_folder / "rules").write_text("not a folder", encoding="utf-8")
    good = _resources(tmp_path / "good")
    later = _resources(tmp_path / "later")
    assert find_resources_root([tmp_path / "missing", empty, file_not_folder, good,
                                later]) == good


def test_nothing_found_lists_the_places_tried(tmp_path: Path) -> None:
    tried = [tmp_path / "a" / "resources", tmp_path / "b" / "resources"]
    with pytest.raises(SoknadError) as info:
        find_resources_root(tried)
    message = str(info.value)
    assert all(str(p) in message for p in tried)
    assert ENV_VAR in message


def test_nothing_found_by_default(no_override: pytest.MonkeyPatch, tmp_path: Path) -> None:
    no_override.setattr(resources, "candidate_roots", lambda: [tmp_path / "x"])
    with pytest.raises(SoknadError, match="resources folder was not found"):
        resources_root()


def test_root_is_cached(no_override: pytest.MonkeyPatch, tmp_path: Path) -> None:
    first = _resources(tmp_path / "first")
    no_override.setenv(ENV_VAR, str(first))
    assert resources_root() == first
    no_override.setenv(ENV_VAR, str(_resources(tmp_path / "second")))
    assert resources_root() == first


def _run_isolated(code: str, python_path: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run ``code`` with only ``python_path`` and the standard library importable."""
    env = {k: v for k, v in os.environ.items() if k not in (ENV_VAR, "PYTHONPATH")}
    env["PYTHONPATH"] = str(python_path)
    # -S: no site-packages, so neither the development install nor this checkout is found.
    return subprocess.run([sys.executable, "-S", "-c", code], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=60, check=False)


_SHOW_ROOT = ("import sys, soknadspakke\n"
              "from soknadspakke.core.resources import resources_root\n"
              "print(soknadspakke.__file__); print(resources_root()); print(sys.path)\n")


def test_checkout_layout(tmp_path: Path) -> None:
    checkout = tmp_path / "checkout"
    shutil.copytree(PACKAGE, checkout / "desktop" / "soknadspakke",
                    ignore=shutil.ignore_patterns("__pycache__"))
    _resources(checkout / "resources")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = _run_isolated(_SHOW_ROOT, checkout / "desktop", elsewhere)
    assert result.returncode == 0, result.stderr
    module_file, root, _ = result.stdout.splitlines()
    assert Path(module_file).is_relative_to(checkout)
    assert Path(root) == (checkout / "resources").resolve()


@pytest.mark.slow
def test_installed_wheel_finds_its_resources(tmp_path: Path) -> None:
    if not list(REPO_RESOURCES.glob("rules/*.toml")):
        pytest.skip("resources/rules/*.toml is absent (the rule pack arrives from another "
                    "branch); a wheel without it has no rules/ to find")
    wheels = tmp_path / "wheels"
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", ".", "--no-deps", "--no-build-isolation",
         "--quiet", "-w", str(wheels)],
        cwd=REPO, capture_output=True, text=True, timeout=600, check=False)
    assert build.returncode == 0, build.stderr
    (wheel,) = wheels.glob("soknadspakke-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert any(n.startswith("soknadspakke/resources/rules/") and n.endswith(".toml")
               for n in names)
    assert "soknadspakke/resources/fonts/DejaVuSans.ttf" in names
    assert "soknadspakke/resources/i18n/nb/cli.po" in names
    assert "soknadspakke/core/resources.py" in names

    site = tmp_path / "site"
    install = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--quiet", "--target", str(site),
         str(wheel)], capture_output=True, text=True, timeout=600, check=False)
    assert install.returncode == 0, install.stderr

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = _run_isolated(_SHOW_ROOT, site, elsewhere)
    assert result.returncode == 0, result.stderr
    module_file, root, path = result.stdout.splitlines()
    assert str(REPO / "desktop") not in path
    assert Path(module_file).resolve().is_relative_to(site.resolve())
    assert Path(root) == (site / "soknadspakke" / "resources").resolve()
    assert (Path(root) / "fonts" / "DejaVuSans.ttf").is_file()
