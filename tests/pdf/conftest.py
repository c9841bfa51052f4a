"""Fixtures for the PDF assembly tests: every input PDF is built here, in code."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import pytest

from soknadspakke.core import resources
from soknadspakke.core.errors import SoknadError

REPO = Path(__file__).resolve().parents[2]


def _ensure_resources() -> None:
    """Point the program at this checkout's fonts and catalogues when ``resources/`` has no
    ``rules/`` folder yet (the marker the resource finder looks for; the rule packs live on
    another branch). Once they are there, this does nothing."""
    try:
        resources.find_resources_root()
        return
    except SoknadError:
        pass
    shadow = Path(tempfile.mkdtemp(prefix="soknadspakke-resources-"))
    atexit.register(shutil.rmtree, shadow, True)
    (shadow / "rules").mkdir()
    for part in ("fonts", "i18n"):
        (shadow / part).symlink_to(REPO / "resources" / part, target_is_directory=True)
    os.environ[resources.ENV_VAR] = str(shadow)
    resources.resources_root.cache_clear()


_ensure_resources()


@pytest.fixture
def inputs(tmp_path: Path) -> Path:
    """A folder for input files, apart from the output folder."""
    folder = tmp_path / "inputs"
    folder.mkdir()
    return folder


@pytest.fixture
def outdir(tmp_path: Path) -> Path:
    folder = tmp_path / "out"
    folder.mkdir()
    return folder
