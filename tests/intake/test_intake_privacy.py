"""The privacy scan: identity numbers in attachments (RULES.md §8)."""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from pathlib import Path

from soknadspakke.core.findings import Finding, Severity
from soknadspakke.core.idnumbers import PersonNumberKind, person_number_kind
from soknadspakke.intake import inspect_file
from soknadspakke.intake.privacy import count_person_numbers, scan_pages

from .conftest import FNR, FNR_2032, SYNTHETIC, pdf_bytes, valid_number, write

D_NUMBER = valid_number("410190")  # day 01 + 40
H_NUMBER = valid_number("014190")  # month 01 + 40
RULE_2032 = valid_number("150385", residue=2)


def test_fixture_numbers_have_the_expected_kinds() -> None:
    assert person_number_kind(FNR) is PersonNumberKind.FODSELSNUMMER
    assert person_number_kind(FNR_2032) is PersonNumberKind.FODSELSNUMMER
    assert person_number_kind(RULE_2032) is PersonNumberKind.FODSELSNUMMER
    assert person_number_kind(D_NUMBER) is PersonNumberKind.D_NUMBER
    assert person_number_kind(H_NUMBER) is PersonNumberKind.H_NUMBER
    assert person_number_kind(SYNTHETIC) is PersonNumberKind.SYNTHETIC


def test_one_warning_per_page_with_the_count(inbox: Path) -> None:
    pages = [f"Deltakere: {FNR}, {RULE_2032} og {D_NUMBER}",
             "Ingen nummer her, bare 12345678901 og 31129956716 (feil kontrollsiffer)",
             f"Testperson {SYNTHETIC}, hjelpenummer {H_NUMBER}, og {FNR_2032[:6]} "
             f"{FNR_2032[6:]}"]
    result = inspect_file(write(inbox / "vedlegg med fnr.pdf", pdf_bytes(pages)))
    warnings = [f for f in result.findings if f.code == "personal_id_number"]
    infos = [f for f in result.findings if f.code == "test_id_number"]
    assert [(f.page, f.severity) for f in warnings] == [(1, Severity.WARNING),
                                                        (3, Severity.WARNING)]
    assert [(f.page, f.severity) for f in infos] == [(3, Severity.INFO)]
    first = warnings[0].message.render("en")
    assert "Page 1 of vedlegg med fnr.pdf contains 3 " in first
    assert warnings[1].files == ("vedlegg med fnr.pdf",) and warnings[1].rule is None
    assert "contains 2 " in infos[0].message.render("en")
    for f in result.findings:  # the numbers themselves are never repeated
        assert FNR not in f.message.render("en") and D_NUMBER not in f.message.render("nb")
    assert result.usable  # a warning: the user decides


def test_numbers_inside_longer_digit_runs_are_ignored() -> None:
    assert not count_person_numbers(f"1{FNR}") and not count_person_numbers(f"{FNR}0")
    assert not count_person_numbers(f"konto {FNR[:4]}.{FNR[4:6]}.{FNR[6:]}")


def test_ten_digit_numbers_only_in_spreadsheets() -> None:
    number = valid_number("010190")
    text = f"celle {int(number)}"
    assert scan_pages([text], "a.pdf") == []
    assert codes_of(scan_pages([text], "a.xlsx", include_ten_digit=True)) == [
        "personal_id_number"]


def codes_of(findings: Sequence[Finding]) -> list[str]:
    return [f.code for f in findings]


def noise_rates(count: int, seed: int = 2032) -> dict[str, float]:
    """Share of random 11-digit numbers that pass as identity numbers, by kind."""
    rng = random.Random(seed)
    text = " ".join(f"{rng.randrange(10**11):011d}" for _ in range(count))
    counts = count_person_numbers(text)
    personal = counts[PersonNumberKind.FODSELSNUMMER] + counts[PersonNumberKind.D_NUMBER]
    return {"any": sum(counts.values()) / count, "personal": personal / count}


def test_false_positive_rate_on_random_noise(record_property: Callable[[str, object], None]
                                             ) -> None:
    rates = noise_rates(100_000)
    record_property("false_positive_rate_any", rates["any"])
    record_property("false_positive_rate_personal", rates["personal"])
    print(f"\nrandom 11-digit noise: {rates['any']:.3%} pass as some identity number, "
          f"{rates['personal']:.3%} as fødselsnummer/D-number (warnings)")
    # Expected: P(K1 residue 0-3) 4/11 x P(K2) 1/11 x P(valid date, D/H/test) ~0.22 = 0.73 %;
    # fødselsnummer/D-number only (months 1-12): ~0.24 %.
    assert 0.0060 < rates["any"] < 0.0086
    assert 0.0018 < rates["personal"] < 0.0031
