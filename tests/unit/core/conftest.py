"""Fixtures for the core unit tests."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from soknadspakke.core import i18n, resources

REPO = Path(__file__).resolve().parents[3]
REPO_RESOURCES = REPO / "resources"

#: A complete, valid project file as a dict (every known field set, plus unknown keys).
SAMPLE: dict[str, Any] = {
    "format": "soknadspakke/1",
    "project": {
        "title": "Helse og arbeid",
        "project_leader": "Kari Nordmann",
        "institution": "Universitetet i Oslo",
        "org_number": "971035854",
        "ssb_reference": "24/01234",
        "contact_email": "kari@example.org",
        "period_start": "2025-01-01",
        "period_end": "2029-12-31",
        "x_unknown_info": {"kept": [1, 2, 3]},
    },
    "answers": {"application_type": "new", "linkage": True, "registers": ["FD-Trygd", "NPR"],
                "nothing": None, "nested": {"a": [1.5, {"b": "c"}]}},
    "documents": [
        {"path": "vedlegg/protokoll.pdf", "types": ["research_protocol"],
         "sha256": "a" * 64, "title": "Protokoll", "data_owner": None, "valid_until": None,
         "x_doc_note": "kept"},
        {"path": "rek.pdf", "types": ["rek_approval"], "sha256": None, "title": None,
         "data_owner": "REK", "valid_until": "2030-06-30", "updated_for_this_change": True},
    ],
    "x_top_level": {"tool": "another program", "n": 7},
}


@pytest.fixture
def sample() -> dict[str, Any]:
    """A fresh deep copy of :data:`SAMPLE`."""
    result: dict[str, Any] = json.loads(json.dumps(SAMPLE))
    return result


@pytest.fixture
def write_json(tmp_path: Path) -> Callable[[Any, str], Path]:
    """Write a JSON value (or raw text/bytes) as a project file in ``tmp_path``."""

    def write(value: Any, name: str = "p.soknad") -> Path:
        path = tmp_path / name
        if isinstance(value, bytes):
            path.write_bytes(value)
        elif isinstance(value, str):
            path.write_text(value, encoding="utf-8")
        else:
            path.write_text(json.dumps(value, ensure_ascii=False), encoding="utf-8")
        return path

    return write


def _clear_caches() -> None:
    resources.resources_root.cache_clear()
    i18n.translations.cache_clear()


@pytest.fixture
def fresh_caches() -> Iterator[None]:
    """Clear the resources and catalogue caches before and after the test."""
    _clear_caches()
    yield
    _clear_caches()


@pytest.fixture
def resources_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A resources folder with the repository's real catalogues and an empty ``rules/``.

    The rule pack arrives from another branch; i18n only needs ``rules/`` as the marker.
    """
    root = tmp_path_factory.mktemp("resources")
    (root / "rules").mkdir()
    shutil.copytree(REPO_RESOURCES / "i18n", root / "i18n")
    return root


@pytest.fixture
def use_resources(resources_dir: Path, monkeypatch: pytest.MonkeyPatch,
                  fresh_caches: None) -> Path:
    """Point the program at :func:`resources_dir`."""
    monkeypatch.setenv(resources.ENV_VAR, str(resources_dir))
    return resources_dir


@pytest.fixture
def clean_lang_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """No language variables set."""
    for var in ("SOKNADSPAKKE_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(var, raising=False)
    return monkeypatch
