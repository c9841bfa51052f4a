"""The findings about the file as a whole and its path."""

from __future__ import annotations

from pathlib import Path

from soknadspakke.core.i18n import T
from soknadspakke.intake.messages.registry import (
    Said,
    builder,
    error,
    format_label,
    info,
)

_MB = 1024 * 1024


@builder
def file_vanished(name: str, path: Path) -> Said:
    return error(T(
        "{file} no longer exists in {folder}. It may have been moved, renamed or deleted; "
        "add it again from where it is now.", file=name, folder=str(path.parent)))


@builder
def file_unreadable(name: str, exc: OSError) -> Said:
    return error(T(
        "{file} cannot be read ({reason}). Check that you may open it, that it is not open "
        "in a program that locks it, and that its drive is connected; then add it again.",
        file=name, reason=exc.strerror or type(exc).__name__))


@builder
def not_a_file(name: str) -> Said:
    return error(T(
        "{file} is a folder or a special file, not a document. Add the documents inside "
        "it instead.", file=name))


@builder
def empty_file(name: str, *, text_file: bool = False) -> Said:
    """0 bytes; or, with ``text_file``, a text file with no text in it."""
    if text_file:
        return error(T("{file} contains no text. Add the complete file.", file=name))
    return error(T(
        "{file} is empty (0 bytes). Add the complete file; if it was just downloaded or "
        "copied, do that again.", file=name))


@builder
def file_too_large(name: str, size: int | None = None, limit: int | None = None, *,
                   text_file: bool = False) -> Said:
    """Over the size ``limit`` (in bytes; ``text_file``: the limit for text and CSV files), or,
    without a ``size``, too large for the memory available."""
    if size is None or limit is None:
        return error(T(
            "{file} is too large to be read with the memory available. Make it smaller or "
            "split it into parts, then add it again.", file=name))
    if text_file:
        return error(T(
            "{file} is a text file of {size} MB; text and CSV files over {limit} MB are not "
            "read (a document or a variable list is far smaller). Check that it is the right "
            "file; save a long text as PDF and add that instead.", file=name,
            size=round(size / _MB, 1), limit=round(limit / _MB)))
    return error(T(
        "{file} is {size} MB, more than the limit of {limit} MB. Make it smaller (for "
        "example scan at 300 dpi in black and white, or save the PDF with a smaller file "
        "size) or split it into parts, then add it again.", file=name,
        size=round(size / _MB, 1), limit=round(limit / _MB, 1)))


@builder
def file_changed_while_reading(name: str) -> Said:
    return error(T(
        "{file} changed while it was being read. Wait until the program that writes it (or "
        "a download or sync) has finished, then add it again.", file=name))


@builder
def long_path(name: str, length: int) -> Said:
    return info(T(
        "The path of {file} is {length} characters long. It was read, but some programs "
        "cannot open paths longer than 260 characters; consider moving the file to a folder "
        "with a shorter path.", file=name, length=length))


@builder
def extension_mismatch(name: str, extension: str, fmt: str) -> Said:
    return info(T(
        "{file} is named .{extension}, but its content is {format}; it is treated as "
        "{format}.", file=name, extension=extension, format=format_label(fmt)))


@builder
def unsupported_type(name: str, fmt: str, label: str) -> Said:
    """Not a format for a package: a ZIP archive, a format named by ``label``, or unknown."""
    if fmt == "zip":
        return error(T("{file} is a ZIP archive. Unpack it and add the documents inside it "
                        "instead.", file=name))
    if label:
        return error(T("{file} is a {what} file, which cannot be part of the application "
                        "package. Save or export it as PDF (a variable list as XLSX) and add "
                        "that file instead.", file=name, what=label))
    return error(T("The type of {file} was not recognised. Accepted are PDF, Word (DOCX, DOC, "
                    "ODT, RTF), Excel (XLSX), CSV, plain text and images (JPEG, PNG, TIFF). "
                    "Save it as PDF and add that file instead.", file=name))


@builder
def file_damaged(name: str, fmt: str, exc: BaseException) -> Said:
    return error(T(
        "{file} looks like a {format} file, but it is damaged and cannot be read ({detail}). "
        "Open it in the program that made it and save it again, or ask the sender for a new "
        "copy.", file=name, format=format_label(fmt), detail=str(exc)[:200]))


@builder
def intake_failed(name: str, exc: BaseException) -> Said:
    return error(T(
        "{file} could not be read because of an unexpected error ({detail}). Please "
        "report this; meanwhile, try saving the file again as PDF.", file=name,
        detail=f"{type(exc).__name__}: {exc}"[:200]))
