"""Norwegian identification numbers (RULES.md §8).

- Fødselsnummer (national identity number, 11 digits) with the current check-digit rule and the
  2032 rule (first check residue 0–3), D-numbers (day + 40), H-numbers (month + 40) and
  synthetic test numbers (Test Norge / Tenor, month + 80).
- Organisasjonsnummer (9 digits, mod-11).
"""

from __future__ import annotations

import calendar
import enum
import re
from collections.abc import Iterator
from dataclasses import dataclass

_K1 = (3, 7, 6, 1, 8, 9, 4, 5, 2, 1)
_K2 = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2, 1)
_ORG = (3, 2, 7, 6, 5, 4, 3, 2)

#: Eleven digits, optionally with one space after the birth date, not inside a longer number.
PERSON_NUMBER_RE = re.compile(r"(?<!\d)(\d{6}) ?(\d{5})(?!\d)", re.ASCII)


class PersonNumberKind(enum.Enum):
    FODSELSNUMMER = "fodselsnummer"
    D_NUMBER = "d_number"
    H_NUMBER = "h_number"
    SYNTHETIC = "synthetic"


@dataclass(frozen=True)
class PersonNumberMatch:
    number: str
    kind: PersonNumberKind
    start: int
    end: int


def _weighted(digits: list[int], weights: tuple[int, ...]) -> int:
    return sum(d * w for d, w in zip(digits, weights, strict=False)) % 11


def person_number_kind(number: str) -> PersonNumberKind | None:
    """The kind of a valid 11-digit identity number, or ``None`` if it is not one."""
    # isdecimal, not isdigit: "²" is a digit to isdigit but int() refuses it.
    if len(number) != 11 or not (number.isascii() and number.isdecimal()):
        return None
    digits = [int(c) for c in number]
    # Check digits: the 2032 rule lets the first sum be 0..3 (mod 11); the second stays 0.
    if _weighted(digits, _K1) not in (0, 1, 2, 3) or _weighted(digits, _K2) != 0:
        return None
    day, month, year2 = int(number[0:2]), int(number[2:4]), int(number[4:6])
    kind = PersonNumberKind.FODSELSNUMMER
    if day > 40:
        day -= 40
        kind = PersonNumberKind.D_NUMBER
    if month > 80:
        month -= 80
        kind = PersonNumberKind.SYNTHETIC
    elif month > 40:
        month -= 40
        kind = PersonNumberKind.H_NUMBER
    if not 1 <= month <= 12:
        return None
    # The century cannot be read reliably (and not at all after 2032): allow 29 Feb any year.
    max_day = 29 if month == 2 else calendar.monthrange(2001, month)[1]
    if not 1 <= day <= max_day:
        return None
    del year2
    return kind


def is_valid_person_number(number: str) -> bool:
    return person_number_kind(number) is not None


def find_person_numbers(text: str, *, include_ten_digit: bool = False
                        ) -> Iterator[PersonNumberMatch]:
    """Valid identity numbers in ``text``.

    ``include_ten_digit`` also tests 10-digit numbers with a leading 0 put back (spreadsheet
    cells lose it).
    """
    for match in PERSON_NUMBER_RE.finditer(text):
        number = match.group(1) + match.group(2)
        kind = person_number_kind(number)
        if kind is not None:
            yield PersonNumberMatch(number, kind, match.start(), match.end())
    if include_ten_digit:
        for match in re.finditer(r"(?<!\d)(\d{10})(?!\d)", text, re.ASCII):
            number = "0" + match.group(1)
            kind = person_number_kind(number)
            if kind is not None:
                yield PersonNumberMatch(number, kind, match.start(), match.end())


def is_valid_org_number(number: str) -> bool:
    """True for a 9-digit organisation number with a valid mod-11 check digit."""
    digits_only = number.replace(" ", "")
    if len(digits_only) != 9 or not (digits_only.isascii() and digits_only.isdecimal()):
        return False
    digits = [int(c) for c in digits_only]
    remainder = sum(d * w for d, w in zip(digits, _ORG, strict=False)) % 11
    check = 0 if remainder == 0 else 11 - remainder
    return check != 10 and check == digits[8]
