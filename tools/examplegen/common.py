"""Paths, the two fixed stamps every example carries, and ``{placeholder}`` filling."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
FONT_DIR = ROOT / "resources" / "fonts"
SOURCE_DIR = ROOT / "resources" / "examples" / "source"
DEFAULT_OUT = ROOT / "resources" / "examples"

#: On every page of every document (and in the XLSX footers): the examples are not real.
FOOTER = "SYNTETISK EKSEMPEL – ikke en ekte søknad"
#: The PDF "Creator" of every example (the command that makes them).
CREATOR = "Søknadspakke tools/make_examples.py (syntetisk eksempel)"

_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


def fill(text: str, names: Mapping[str, str]) -> str:
    """``text`` with every ``{name}`` replaced; an unknown name is an error, not left in."""

    def one(match: re.Match[str]) -> str:
        key = match.group(1)
        if key not in names:
            raise KeyError(f"unknown placeholder {{{key}}} in {text[:60]!r}")
        return names[key]

    return _PLACEHOLDER.sub(one, text)


def fill_all(value: Any, names: Mapping[str, str]) -> Any:
    """``value`` (as read from TOML) with placeholders filled in every string inside it."""
    if isinstance(value, str):
        return fill(value, names)
    if isinstance(value, list):
        return [fill_all(item, names) for item in value]
    if isinstance(value, dict):
        return {key: fill_all(item, names) for key, item in value.items()}
    return value
