"""The findings about a PDF: damage, encryption, pages."""

from __future__ import annotations

from collections.abc import Sequence

from soknadspakke.core.i18n import Msg, T
from soknadspakke.intake.messages.registry import (
    Said,
    builder,
    error,
    info,
    page_list,
    warning,
)


@builder
def pdf_damaged(name: str, reason: Msg) -> Said:
    return error(T(
        "{file} cannot be read as a PDF: {reason}. Get a new copy from its sender, or open "
        "it in a PDF reader and save it again as a new PDF, then add that file.",
        file=name, reason=reason))


@builder
def pdf_repaired(name: str, reason: Msg, *, declared: int, recovered: int,
                 copy: bool) -> Said:
    """Damaged but usable: ``recovered`` of the ``declared`` pages, from a copy repaired by
    qpdf (``copy``) or from the file as it is."""
    if recovered < declared:
        return warning(T(
            "{file} is damaged ({reason}): {lost} of its {declared} pages are lost (missing, "
            "or blank in the package); only {recovered} could be recovered. Get a complete "
            "copy from the sender, or save it again from the program that made it.",
            file=name, reason=reason, lost=declared - recovered, declared=declared,
            recovered=recovered))
    if copy:
        return warning(T(
            "{file} is damaged ({reason}). A repaired copy with all {pages} pages is used; "
            "check it in the package, and if anything is missing, get a new copy of the file.",
            file=name, reason=reason, pages=declared))
    return warning(T(
        "{file} is damaged ({reason}), but it could be read as it is. Check its pages in the "
        "package; if anything is missing, get a new copy of the file.",
        file=name, reason=reason))


@builder
def pdf_content_damaged(name: str, pages: Sequence[int], total: int) -> Said:
    return warning(T(
        "The content of {count} of {total} pages of {file} is damaged and cannot be read "
        "(pages {list}): these pages may be blank, incomplete or wrong in the package, in "
        "some PDF readers or all. Open the file to check; get a new copy from the sender, "
        "or save it again from the program that made it.", file=name, count=len(pages),
        total=total, list=page_list(pages)))


@builder
def pdf_content_too_large(name: str, pages: Sequence[int], total: int) -> Said:
    return warning(T(
        "The content of {count} of {total} pages of {file} unpacks to more than this "
        "program reads (75 MB a part; pages {list}), so their text cannot be checked. Such "
        "pages may be very slow to show, or not show, in PDF readers: check them, or save "
        "the file again with a PDF tool that reduces its size.", file=name,
        count=len(pages), total=total, list=page_list(pages)))


@builder
def pdf_no_pages(name: str) -> Said:
    return error(T(
        "{file} has no pages. Get a new copy of the file, or save it again from the "
        "program that made it.", file=name))


@builder
def password_required(name: str) -> Said:
    return error(T(
        "{file} is protected by a password. Give the password that opens it; "
        "it is used only to read the file and is never stored.", file=name))


@builder
def wrong_password(name: str) -> Said:
    return error(T(
        "The password given for {file} is wrong. Give the password that opens "
        "the document (a password that only restricts printing or editing is "
        "not enough).", file=name))


@builder
def pdf_encryption_unsupported(name: str, exc: BaseException) -> Said:
    return error(T(
        "{file} is encrypted in a way this program cannot open ({detail}). Open "
        "it in a PDF reader, save or print it as a new PDF without a password, and "
        "add that file instead.", file=name, detail=str(exc)[:200]))


@builder
def pdf_encrypted(name: str) -> Said:
    return info(T(
        "{file} is protected by a password. It was opened with the password you "
        "gave, which is not stored: the program asks for it again when it builds "
        "the package.", file=name))


@builder
def pdf_restricted(name: str) -> Said:
    return info(T(
        "{file} has an owner password that restricts what may be done with it "
        "(such as editing). It opens without a password and is included as it "
        "is.", file=name))


@builder
def pdf_xfa_form(name: str) -> Said:
    return warning(T(
        "{file} is an XFA form, whose filled-in content may not show in the package. "
        "Print it to a new PDF (for example with \"Microsoft Print to PDF\" or \"Save as "
        "PDF\") and add that file instead.", file=name))


@builder
def pdf_attachments(name: str, count: int) -> Said:
    return info(T(
        "{file} contains {count} embedded file(s). They are not checked; make sure they "
        "hold no personal data, or remove them.", file=name, count=count))


@builder
def pdf_no_page_size(name: str, pages: Sequence[int], total: int) -> Said:
    return warning(T(
        "{count} of {total} pages of {file} do not say how large they are (no MediaBox; "
        "pages {list}). The package shows them at their visible size, or as A4; check "
        "those pages in the package, or save the file again from the program that made "
        "it.", file=name, count=len(pages), total=total, list=page_list(pages)))
