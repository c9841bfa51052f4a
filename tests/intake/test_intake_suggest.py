"""Type suggestions from the file name and text, with a small hand-written keyword list."""

from __future__ import annotations

from pathlib import Path

from soknadspakke.intake import TypeKeywords, inspect_file, suggest_types
from soknadspakke.intake.suggest import keyword_pattern, normalize_file_name

from .conftest import pdf_bytes, write

KEYWORDS = (
    TypeKeywords("research_protocol", ("protokoll", "prosjektbeskrivelse"),
                 ("forskningsprotokoll", "prosjektbeskrivelse", "problemstilling")),
    TypeKeywords("dpia", ("dpia", "personvernkonsekvensvurdering"),
                 ("personvernkonsekvensvurdering", "vurdering av personvernkonsekvenser")),
    TypeKeywords("rek_ethics_approval", ("rek",), ("regional komité", "rek")),
    TypeKeywords("consent_form", ("samtykke",), ("samtykkeerklæring", "jeg samtykker")),
    TypeKeywords("microdata_script", ("skript", "script"), ("require no.ssb.fdb",)),
)


def test_normalized_file_name() -> None:
    assert normalize_file_name("DPIA_Endelig-versjon.v2.PDF") == "dpia endelig versjon v2"
    assert normalize_file_name("Samtykke_æøå.docx") == "samtykke æøå"


def test_file_name_alone() -> None:
    (best, *_) = suggest_types("2024_DPIA-signert.pdf", [], KEYWORDS)
    assert best.type_id == "dpia" and 0.5 < best.confidence < 0.7


def test_content_alone_first_page_weighs_more() -> None:
    early = suggest_types("vedlegg.pdf", ["Personvernkonsekvensvurdering for prosjektet"],
                          KEYWORDS)
    late = suggest_types("vedlegg.pdf", ["", "", "", "Personvernkonsekvensvurdering"],
                         KEYWORDS)
    assert early[0].type_id == late[0].type_id == "dpia"
    assert early[0].confidence > late[0].confidence


def test_name_and_content_together_rank_first() -> None:
    result = suggest_types("protokoll.pdf",
                           ["Forskningsprotokoll\nProblemstilling: ...",
                            "Samtykkeerklæring er ikke nødvendig"], KEYWORDS)
    assert [s.type_id for s in result][:2] == ["research_protocol", "consent_form"]
    assert result[0].confidence > 0.8
    assert all(0 <= s.confidence <= 1 for s in result)
    assert list(result) == sorted(result, key=lambda s: -s.confidence)


def test_short_keywords_need_whole_words_and_long_ones_inflect() -> None:
    assert suggest_types("rekkefølge.pdf", ["Rekkefølgen er viktig"], KEYWORDS) == ()
    assert suggest_types("REK-vedtak.pdf", [], KEYWORDS)[0].type_id == "rek_ethics_approval"
    assert keyword_pattern("protokoll").search("forskningsprotokollen") is None
    assert keyword_pattern("protokoll").search("protokollen") is not None
    assert keyword_pattern("regional komité").search("regional\n  komité for")


def test_no_keywords_or_no_match() -> None:
    assert suggest_types("protokoll.pdf", ["x"], ()) == ()
    assert suggest_types("bilde.jpg", ["Ingenting relevant"], KEYWORDS) == ()


def test_at_most_three_suggestions() -> None:
    text = ["forskningsprotokoll personvernkonsekvensvurdering regional komité "
            "samtykkeerklæring require no.ssb.fdb"]
    assert len(suggest_types("x.pdf", text, KEYWORDS)) == 3


def test_inspect_file_suggests(inbox: Path) -> None:
    path = write(inbox / "Samtykke.pdf", pdf_bytes(["Samtykkeerklæring", "Jeg samtykker"]))
    result = inspect_file(path, keywords=KEYWORDS)
    assert result.suggested_types[0].type_id == "consent_form"
    assert result.to_dict("en")["suggested_types"][0]["type"] == "consent_form"
