"""Norwegian identity and organisation numbers (RULES.md §8)."""

from __future__ import annotations

import calendar

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from soknadspakke.core.idnumbers import (
    PersonNumberKind,
    find_person_numbers,
    is_valid_org_number,
    is_valid_person_number,
    person_number_kind,
)

_W1 = (3, 7, 6, 1, 8, 9, 4, 5, 2)
_W2 = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
_ORG = (3, 2, 7, 6, 5, 4, 3, 2)


def with_check_digits(nine: str, residue: int = 0) -> str | None:
    """Append K1 and K2 as RULES.md §8 defines them, or ``None`` where a K would be 10.

    ``residue`` is the first sum (with K1 at weight 1) mod 11: 0 before 2032, 0-3 after.
    """
    digits = [int(c) for c in nine]
    k1 = (residue - sum(d * w for d, w in zip(digits, _W1, strict=True))) % 11
    if k1 == 10:
        return None
    digits.append(k1)
    k2 = 11 - sum(d * w for d, w in zip(digits, _W2, strict=True)) % 11
    k2 = 0 if k2 == 11 else k2
    if k2 == 10:
        return None
    return "".join(map(str, [*digits, k2]))


def org_with_check_digit(eight: str) -> str | None:
    k = 11 - sum(int(c) * w for c, w in zip(eight, _ORG, strict=True)) % 11
    k = 0 if k == 11 else k
    return None if k == 10 else eight + str(k)


# -- the verified examples -----------------------------------------------------------------------

@pytest.mark.parametrize(("number", "kind"), [
    ("31129956715", PersonNumberKind.FODSELSNUMMER),
    ("02013299997", PersonNumberKind.FODSELSNUMMER),
    ("30108299939", PersonNumberKind.FODSELSNUMMER),  # 2032 rule: first residue 1
    ("10915596784", PersonNumberKind.SYNTHETIC),  # Test Norge / Tenor, month + 80
    ("41129956796", PersonNumberKind.D_NUMBER),  # 1 Dec 1999 + 40 on the day
    ("31529956889", PersonNumberKind.H_NUMBER),  # 31 Dec 1999 + 40 on the month
])
def test_known_numbers(number: str, kind: PersonNumberKind) -> None:
    assert person_number_kind(number) is kind
    assert is_valid_person_number(number)


def test_the_constructed_examples_follow_the_rules() -> None:
    # The D- and H-numbers above are built by the independent generator in this file.
    assert with_check_digits("411299567") == "41129956796"
    assert with_check_digits("315299568") == "31529956889"
    assert with_check_digits("301082999", residue=1) == "30108299939"
    assert with_check_digits("311299567") == "31129956715"


@pytest.mark.parametrize("number", [
    "31129956716", "31129956705", "02013299998", "10915596785", "41129956797",
    "00000000000",  # checksums fine, but day 0 and month 0
])
def test_wrong_check_digits_or_zeros(number: str) -> None:
    assert not is_valid_person_number(number)


def test_first_residue_above_three_is_refused() -> None:
    for residue in range(4, 11):
        number = with_check_digits("311299567", residue)
        if number is not None:
            assert not is_valid_person_number(number), (residue, number)


@pytest.mark.parametrize("nine", [
    "290299123",  # 29 Feb in a non-leap year: the century is unknown, so it is allowed
    "290200123", "690299123", "298299123", "698299123",
    "310199123", "300499123", "311299123", "010199123",
])
def test_valid_dates(nine: str) -> None:
    number = next(n for r in range(4) if (n := with_check_digits(nine, r)))
    assert is_valid_person_number(number), number


@pytest.mark.parametrize("nine", [
    "300299123",  # 30 Feb
    "700299123",  # D-number for 30 Feb
    "310499123",  # 31 Apr
    "311399123",  # month 13
    "011399123",
    "010099123",  # month 0
    "000199123",  # day 0
    "400199123",  # D-number day 0
    "320199123",  # day 32
    "720199123",  # D-number day 32
    "312099123",  # month 20
    "315399123",  # H-number month 13
    "316099123",  # month 60: neither H nor synthetic
    "318099123",  # synthetic month 0
    "319399123",  # synthetic month 13
])
def test_invalid_dates(nine: str) -> None:
    candidates = [n for r in range(4) if (n := with_check_digits(nine, r))]
    assert candidates
    for number in candidates:
        assert not is_valid_person_number(number), number


@pytest.mark.parametrize("text", [
    "", "3112995671", "311299567150", "3112995671a", "31129 956715", "311299 56715",
    "-3112995671", "3112995671\n", "3112995671²", "31129956715²", "1234567850",
])
def test_not_eleven_digits(text: str) -> None:
    assert person_number_kind(text) is None


# -- properties ------------------------------------------------------------------------------------

@st.composite
def valid_numbers(draw: st.DrawFn) -> tuple[str, PersonNumberKind]:
    month = draw(st.integers(1, 12))
    # 29 Feb is allowed in any year (the century is unknown).
    last = 29 if month == 2 else calendar.monthrange(2001, month)[1]
    day = draw(st.integers(1, last))
    year = draw(st.integers(0, 99))
    individual = draw(st.integers(0, 999))
    kind = draw(st.sampled_from(PersonNumberKind))
    d_number = draw(st.booleans()) if kind is PersonNumberKind.SYNTHETIC else False
    if kind is PersonNumberKind.D_NUMBER or d_number:
        day += 40
    if kind is PersonNumberKind.H_NUMBER:
        month += 40
    if kind is PersonNumberKind.SYNTHETIC:
        month += 80
    residue = draw(st.integers(0, 3))
    number = with_check_digits(f"{day:02}{month:02}{year:02}{individual:03}", residue)
    assume(number is not None)
    assert number is not None
    return number, kind


@given(valid_numbers())
def test_every_correctly_built_number_is_accepted(case: tuple[str, PersonNumberKind]) -> None:
    number, kind = case
    assert person_number_kind(number) is kind


@given(valid_numbers(), st.integers(0, 10), st.integers(1, 9))
def test_any_single_digit_change_is_rejected(case: tuple[str, PersonNumberKind], position: int,
                                             delta: int) -> None:
    # K2's weights (5,4,3,2,7,6,5,4,3,2,1) are all nonzero mod 11 and the change is 1..9, so
    # the second sum always moves off 0: this holds under the 2032 rule too.
    number, _ = case
    changed = number[:position] + str((int(number[position]) + delta) % 10) + number[position + 1:]
    assert not is_valid_person_number(changed)


def test_single_digit_changes_exhaustively_for_the_examples() -> None:
    for number in ("31129956715", "02013299997", "30108299939", "10915596784"):
        for position in range(11):
            for digit in "0123456789":
                if digit != number[position]:
                    changed = number[:position] + digit + number[position + 1:]
                    assert not is_valid_person_number(changed), changed


# -- finding numbers in text -----------------------------------------------------------------------

def test_find_plain_and_with_a_space() -> None:
    text = "Fnr: 31129956715, og 020132 99997."
    found = list(find_person_numbers(text))
    assert [m.number for m in found] == ["31129956715", "02013299997"]
    assert text[found[0].start:found[0].end] == "31129956715"
    assert text[found[1].start:found[1].end] == "020132 99997"
    assert {m.kind for m in found} == {PersonNumberKind.FODSELSNUMMER}


@pytest.mark.parametrize("text", [
    "131129956715", "311299567150", "0031129956715", "311299 567150",
    "311299  56715", "311299-56715", "3112 9956715", "31129956716",
    "Kontonummer 1234.56.78903",
])
def test_find_ignores_longer_runs_and_other_spacing(text: str) -> None:
    assert list(find_person_numbers(text)) == []


def test_find_next_to_letters_and_punctuation() -> None:
    text = "a31129956715b\n(41129956796)\t30108299939;"
    assert [m.number for m in find_person_numbers(text)] == [
        "31129956715", "41129956796", "30108299939"]


def test_find_reports_kind() -> None:
    kinds = {m.number: m.kind for m in find_person_numbers("10915596784 og 31529956889")}
    assert kinds == {"10915596784": PersonNumberKind.SYNTHETIC,
                     "31529956889": PersonNumberKind.H_NUMBER}


def test_ten_digit_spreadsheet_numbers() -> None:
    text = "rad 1: 2013299997\trad 2: 31129956715\trad 3: 1234567890"
    assert [m.number for m in find_person_numbers(text)] == ["31129956715"]
    found = list(find_person_numbers(text, include_ten_digit=True))
    assert sorted(m.number for m in found) == ["02013299997", "31129956715"]
    ten = next(m for m in found if m.number == "02013299997")
    assert text[ten.start:ten.end] == "2013299997"


def test_ten_digit_not_inside_longer_runs() -> None:
    # 2013299997 is valid with a 0 put back, but not when it is part of 11 or 12 digits.
    assert not is_valid_person_number("12013299997")
    for text in ("12013299997", "201329999712", "920132999971"):
        assert list(find_person_numbers(text, include_ten_digit=True)) == [], text
    found = list(find_person_numbers("x2013299997 9", include_ten_digit=True))
    assert [m.number for m in found] == ["02013299997"]
    found = list(find_person_numbers("02013299997", include_ten_digit=True))
    assert [m.number for m in found] == ["02013299997"]  # once, not also as ten digits


@given(valid_numbers(), st.text(alphabet="abc ,.;\n", max_size=5),
       st.text(alphabet="abc ,.;\n", max_size=5), st.booleans())
def test_find_every_valid_number_in_text(case: tuple[str, PersonNumberKind], before: str,
                                         after: str, space: bool) -> None:
    number, kind = case
    shown = f"{number[:6]} {number[6:]}" if space else number
    text = before + shown + after
    found = list(find_person_numbers(text))
    assert [(m.number, m.kind) for m in found] == [(number, kind)]
    assert text[found[0].start:found[0].end] == shown


# -- organisation numbers --------------------------------------------------------------------------

@pytest.mark.parametrize("number", ["123456785", "123 456 785", " 123456785 ", "971035854",
                                    "974760673"])
def test_valid_org_numbers(number: str) -> None:
    assert is_valid_org_number(number)


@pytest.mark.parametrize("number", ["123456784", "12345678", "1234567850", "", "12345678a",
                                    "123-456-785", "12345678²", "-12345678"])
def test_invalid_org_numbers(number: str) -> None:
    assert not is_valid_org_number(number)


def test_org_check_digit_ten_is_invalid() -> None:
    eight = next(f"{n:08}" for n in range(10_000_000, 10_001_000)
                 if org_with_check_digit(f"{n:08}") is None)
    for digit in "0123456789":
        assert not is_valid_org_number(eight + digit)


def test_org_check_digit_eleven_becomes_zero() -> None:
    eight = next(f"{n:08}" for n in range(10_000_000, 10_001_000)
                 if sum(int(c) * w for c, w in zip(f"{n:08}", _ORG, strict=True)) % 11 == 0)
    assert is_valid_org_number(eight + "0")
    assert not any(is_valid_org_number(eight + d) for d in "123456789")


@given(st.integers(0, 99_999_999), st.integers(0, 8), st.integers(1, 9))
def test_org_single_digit_change_is_rejected(n: int, position: int, delta: int) -> None:
    number = org_with_check_digit(f"{n:08}")
    assume(number is not None)
    assert number is not None
    assert is_valid_org_number(number)
    changed = number[:position] + str((int(number[position]) + delta) % 10) + number[position + 1:]
    assert not is_valid_org_number(changed)


def test_non_ascii_digits_are_not_identity_numbers() -> None:
    arabic_indic = "".join(chr(0x0660 + int(c)) for c in "31129956715")
    fullwidth = "".join(chr(0xFF10 + int(c)) for c in "31129956715")
    for text in (arabic_indic, fullwidth):
        assert person_number_kind(text) is None
        assert list(find_person_numbers(f"nr {text} ")) == []
    assert not is_valid_org_number("".join(chr(0xFF10 + int(c)) for c in "123456785"))
