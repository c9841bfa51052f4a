"""The findings about the text: no text, identity numbers, draft markers."""

from __future__ import annotations

from collections.abc import Sequence

from soknadspakke.core.i18n import T
from soknadspakke.intake.messages.registry import (
    Said,
    builder,
    info,
    page_list,
    warning,
)


@builder
def scanned_no_text(name: str, *, image: bool = False) -> Said:
    """No page has text: a scan, or (``image``) an image file."""
    if image:
        return warning(T(
            "{file} is an image, so the program cannot read its text or check its content "
            "(such as dates, names and identity numbers). If the document exists as a Word or "
            "PDF file, add that instead.", file=name))
    return warning(T(
        "No text can be read from {file}: it looks like a scan or a picture. The program "
        "cannot check its content (such as dates, names and identity numbers). If you have "
        "the original document, export it to PDF from the program that made it; otherwise "
        "run text recognition (OCR) on the scan.", file=name))


@builder
def pages_without_text(name: str, missing: Sequence[int], pages: int) -> Said:
    return info(T(
        "{count} of {pages} pages of {file} have no readable text (pages {list}); their "
        "content cannot be checked.", file=name, count=len(missing), pages=pages,
        list=page_list(missing)))


@builder
def personal_id_number(name: str, page: int, count: int) -> Said:
    return warning(T(
        "Page {page} of {file} contains {count} Norwegian national identity "
        "number(s) or D-number(s). Attachments must not contain personal data: "
        "remove or black out the numbers and add the file again.",
        file=name, page=page, count=count), page)


@builder
def test_id_number(name: str, page: int, count: int) -> Said:
    return info(T(
        "Page {page} of {file} contains {count} H-number(s) or synthetic test "
        "number(s). Check that none of them belongs to a real person.",
        file=name, page=page, count=count), page)


@builder
def draft_marker(name: str, markers: Sequence[str], pages: Sequence[int]) -> Said:
    """The first five ``markers`` found, on ``pages`` (the finding's page is the first)."""
    return warning(T(
        "{file} looks unfinished: it says {markers} (pages {pages}). SSB needs the final, "
        "signed version; attach that, or check that the text is meant to be there.",
        file=name, markers=", ".join(f"“{m}”" for m in markers[:5]),
        pages=page_list(pages)), pages[0])
