"""Top-1 accuracy of type suggestions over a realistic test set of attachments (bokmål,
nynorsk and English; several per type), with neutral and with telling file names.
``python benchmarks/suggest_accuracy.py`` prints the figures and the misses."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from soknadspakke.rules.loader import default_pack

from .suggestion_set import accuracy, load_set, top_one

PACK = default_pack()


def test_the_set_is_realistic() -> None:
    attachments = load_set()
    assert len(attachments) >= 40
    per_type = Counter(a.type for a in attachments)
    known = {t.id for t in PACK.document_types}
    assert set(per_type) <= known
    assert len(per_type) >= 20 and sum(1 for n in per_type.values() if n >= 2) >= 20
    languages = Counter(a.lang for a in attachments)
    assert languages["nb"] > languages["en"] > 0 and languages["nn"] > 0
    assert len({a.plain for a in attachments}) == len(attachments)


@pytest.mark.parametrize(("telling", "target"), [(False, 0.85), (True, 0.95)])
def test_top_one_accuracy(tmp_path: Path, telling: bool, target: float) -> None:
    results = top_one(PACK, load_set(), tmp_path, telling=telling)
    misses = [(a.name if telling else a.plain, a.type, got) for a, got in results
              if got != a.type]
    assert accuracy(results) >= target, misses


def test_a_title_outweighs_what_the_body_mentions(tmp_path: Path) -> None:
    """The application form names the variable lists and the DPIA; a negative DPIA says a DPIA
    is not necessary: each is still what its title says."""
    by_title = {a.title: a for a in load_set()}
    chosen = [by_title["Søknad om lån av mikrodata fra SSB"],
              by_title["Vurdering av om det må gjennomføres en DPIA"],
              by_title["Forskningsprotokoll"]]
    for attachment, got in top_one(PACK, chosen, tmp_path, telling=False):
        assert got == attachment.type
