"""The privacy scan: Norwegian identity numbers in an attachment's text (RULES.md §8).

Attachments must not carry personal data. Fødselsnummer and D-numbers (current and 2032
check-digit rules) give a warning per page; H-numbers and synthetic test numbers give an
info finding. The numbers themselves are never repeated in a finding.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from soknadspakke.core.findings import Finding
from soknadspakke.core.idnumbers import PersonNumberKind, find_person_numbers
from soknadspakke.intake import messages

_PERSONAL = (PersonNumberKind.FODSELSNUMMER, PersonNumberKind.D_NUMBER)


def count_person_numbers(text: str, *, include_ten_digit: bool = False
                         ) -> Counter[PersonNumberKind]:
    """How many identity numbers of each kind ``text`` holds."""
    return Counter(m.kind for m in find_person_numbers(text, include_ten_digit=include_ten_digit))


def scan_pages(texts: Sequence[str], file_name: str, *, include_ten_digit: bool = False
               ) -> list[Finding]:
    """One finding per page and severity for the identity numbers on that page."""
    findings: list[Finding] = []
    for page, text in enumerate(texts, start=1):
        counts = count_person_numbers(text, include_ten_digit=include_ten_digit)
        personal = sum(counts[k] for k in _PERSONAL)
        other = sum(counts.values()) - personal
        if personal:
            findings.append(messages.personal_id_number(file_name, page, personal))
        if other:
            findings.append(messages.test_id_number(file_name, page, other))
    return findings
