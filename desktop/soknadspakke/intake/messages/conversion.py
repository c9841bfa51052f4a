"""The findings about converting other formats, and about variable lists."""

from __future__ import annotations

from collections.abc import Sequence

from soknadspakke.core.i18n import T
from soknadspakke.intake.messages.registry import (
    Said,
    builder,
    error,
    format_label,
    info,
    warning,
)


@builder
def no_converter(name: str) -> Said:
    return error(T(
        "{file} cannot be converted to PDF here, because LibreOffice is not installed. "
        "Open it in Word (File > Save As > PDF) or LibreOffice (File > Export as PDF), and "
        "add the PDF instead; or install LibreOffice and add the file again.", file=name))


@builder
def conversion_failed(name: str, exc: BaseException) -> Said:
    return error(T(
        "{file} could not be converted to PDF ({detail}). Open it in Word or LibreOffice, "
        "export it as PDF and add the PDF instead.", file=name, detail=str(exc)[:200]))


@builder
def office_encrypted(name: str) -> Said:
    return error(T(
        "{file} is protected by a password. Remove the password (in Word: File > Info > "
        "Protect Document) and save it again, or export it as PDF; then add that file.",
        file=name))


@builder
def tracked_changes(name: str) -> Said:
    return warning(T(
        "{file} contains tracked changes or comments. Accept or reject all changes and "
        "delete the comments before you send it, so that SSB gets the final text.",
        file=name))


@builder
def macro_file(name: str, fmt: str, *, copy: str | None = None,
               exc: BaseException | None = None) -> Said:
    """The package embeds the macro-free ``copy`` (named) instead; without a copy, the
    macros could not be removed (``exc`` says why)."""
    if copy is None:
        return error(T(
            "{file} is a macro-enabled {format} file, and its macros cannot be removed "
            "({detail}). Save it without macros (as DOCX or XLSX) and add that file instead.",
            file=name, format=format_label(fmt), detail=str(exc)[:160]))
    return warning(T(
        "{file} is a macro-enabled {format} file. The package carries no macros: it embeds a "
        "copy without them ({copy}) instead of the original. If SSB needs the macros, send "
        "them another way.", file=name, format=format_label(fmt), copy=copy))


@builder
def image_too_large(name: str, exc: BaseException) -> Said:
    return error(T(
        "{file} has too many pixels to be processed safely ({detail}). Save or scan it at "
        "a lower resolution (300 dpi is enough for documents) and add it again.",
        file=name, detail=str(exc)[:160]))


@builder
def unpacked_too_large(name: str, exc: BaseException) -> Said:
    return error(T(
        "{file} unpacks to far more than a document of its kind holds ({detail}). It may be "
        "damaged, or made to exhaust the computer's memory (a \"decompression bomb\"), so it "
        "is not opened. Open it in the program that made it and save it again, or export it "
        "as PDF, and add that file instead.", file=name, detail=str(exc)))



@builder
def hidden_sheets(name: str, sheets: Sequence[str]) -> Said:
    return warning(T(
        "{file} has hidden sheets ({sheets}). They are not shown in the PDF, but SSB gets "
        "the whole original file: check what they hold, or delete them.",
        file=name, sheets=", ".join(sheets)))


@builder
def no_ticked_variables(name: str) -> Said:
    return warning(T(
        "No ticked variable was found in {file}. If it is a variable list, mark the "
        "variables you apply for (for example with an x in the selection column) and save "
        "it again.", file=name))


@builder
def spreadsheet_truncated(name: str, sheet: str, rows: int, shown: int, *,
                          incomplete: bool) -> Said:
    """More ``rows`` than the PDF shows; ``incomplete``: too long to be read whole."""
    if incomplete:
        return warning(T(
            "Sheet {sheet} of {file} is too long to be read whole: only its first {rows} "
            "rows were checked for ticked variables, and the PDF shows the first {shown}. "
            "SSB gets the whole original file; check that it is the right file.",
            file=name, sheet=sheet, rows=rows, shown=shown))
    return info(T(
        "Sheet {sheet} of {file} has {rows} rows; the PDF shows the first {shown}. "
        "SSB gets the whole original file.", file=name, sheet=sheet, rows=rows,
        shown=shown))
