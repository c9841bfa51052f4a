"""``Kind`` and ``PdfSource`` are enums whose values are what the cache and the JSON output
held as plain strings before, so existing caches and ``inspect --format json`` do not change."""

from __future__ import annotations

import json
from pathlib import Path

from soknadspakke.intake import IntakeCache, Kind, PdfSource, inspect_file

from .conftest import jpeg_bytes, pdf_bytes, write


def test_the_values_are_the_strings_of_before() -> None:
    assert [k.value for k in Kind] == ["pdf", "image", "office", "spreadsheet", "text",
                                       "unsupported", "unknown"]
    assert [s.value for s in PdfSource] == ["original", "cache"]


def test_cache_entries_and_json_hold_plain_strings(inbox: Path, tmp_path: Path) -> None:
    cache = IntakeCache(tmp_path / "cache")
    for name, data, kind, source in (("a.pdf", pdf_bytes(["x"]), "pdf", "original"),
                                     ("b.jpg", jpeg_bytes(), "image", "cache")):
        result = inspect_file(write(inbox / name, data), cache=cache)
        assert result.kind is Kind(kind)
        assert json.loads(json.dumps(result.to_dict("en")))["kind"] == kind
        stored = json.loads(cache._base(result.sha256).with_suffix(".json").read_text())
        assert (stored["kind"], stored["pdf"]) == (kind, source)
        again = inspect_file(inbox / name, cache=cache)  # read back from the cache
        assert again.kind is Kind(kind) and again.to_dict("en") == result.to_dict("en")


def test_an_entry_of_an_unknown_kind_is_a_miss(inbox: Path, tmp_path: Path) -> None:
    cache = IntakeCache(tmp_path / "cache")
    path = write(inbox / "a.pdf", pdf_bytes(["x"]))
    result = inspect_file(path, cache=cache)
    entry_file = cache._base(result.sha256).with_suffix(".json")
    entry = json.loads(entry_file.read_text())
    entry["kind"] = "hologram"
    entry_file.write_text(json.dumps(entry))
    assert cache.load_entry(result.sha256) is None
    assert inspect_file(path, cache=cache).kind is Kind.PDF
