"""Fixtures for the core tests (the resources and catalogue ones are in tests/conftest.py)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
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
