"""The public JSON shape and the text report."""

from __future__ import annotations

import json
from pathlib import Path

from soknadspakke.intake import TypeKeywords, format_text, inspect_file

from .conftest import FNR, pdf_bytes, write

KEYWORDS = [TypeKeywords("research_protocol", ("protokoll",), ("forskningsprotokoll",))]


def test_to_dict_has_the_public_keys(inbox: Path) -> None:
    path = write(inbox / "protokoll.pdf", pdf_bytes(["Forskningsprotokoll", FNR]))
    data = inspect_file(path, keywords=KEYWORDS).to_dict("nb")
    assert {"path", "kind", "format", "size", "pages", "sha256", "encrypted", "has_text",
            "has_forms", "suggested_types", "findings"} <= set(data)
    assert data["path"] == str(path) and data["pages"] == 2 and data["usable"] is True
    assert data["suggested_types"][0]["type"] == "research_protocol"
    (finding,) = data["findings"]
    assert finding["code"] == "personal_id_number" and finding["page"] == 2
    assert finding["files"] == ["protokoll.pdf"] and finding["rule"] is None
    json.dumps(data)  # serialisable as it is


def test_format_text_in_both_languages(inbox: Path) -> None:
    path = write(inbox / "protokoll.pdf", pdf_bytes(["Forskningsprotokoll", FNR]))
    result = inspect_file(path, keywords=KEYWORDS)
    english = format_text(result, "en")
    assert english.splitlines()[0] == "protokoll.pdf"
    assert "2 page(s)" in english and result.sha256 in english
    assert "research_protocol (" in english and "[warning] personal_id_number" in english
    norwegian = format_text(result, "nb")
    assert norwegian != english and "personal_id_number" in norwegian


def test_format_text_for_an_unreadable_file(inbox: Path) -> None:
    text = format_text(inspect_file(inbox / "borte.pdf"), "en")
    assert "file_vanished" in text and "not usable" in text
