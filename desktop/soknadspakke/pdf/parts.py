"""Reading a built package back: its manifest, and parts of it as PDFs of their own.

A package too large for one e-mail is sent as several: the first part holds the cover sheet,
the index and the first documents, the others the rest, each document whole. A part keeps the
pages as built (footers, page numbers "Side N av M" of the whole package), gets one bookmark per
document, and loses only the links that point to pages in other parts (a link into another
file would lead nowhere).
"""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pypdf import PdfReader, PdfWriter
from pypdf.errors import PyPdfError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

from soknadspakke.core.errors import InputFileError
from soknadspakke.core.i18n import _
from soknadspakke.pdf.embed import MANIFEST_NAME


@dataclass(frozen=True)
class PackagedDocument:
    """One document of a built package, from its manifest (pages 1-based, inclusive)."""

    position: int
    title: str
    type_label: str
    file_name: str
    first_page: int
    last_page: int

    @property
    def pages(self) -> int:
        return self.last_page - self.first_page + 1


@dataclass(frozen=True)
class PackageContents:
    pages: int
    front_matter_pages: int
    documents: tuple[PackagedDocument, ...]
    manifest: dict[str, Any]

    @property
    def final(self) -> bool:
        """Built from a ready application, not as a draft: fit to send."""
        return self.manifest.get("ready") is True and self.manifest.get("draft") is not True


def read_package(path: Path) -> PackageContents:
    """The manifest of a package this program built; :class:`InputFileError` otherwise."""
    try:
        reader = PdfReader(path)
        raw = reader.attachments.get(MANIFEST_NAME)
        data = json.loads(raw[0]) if raw else None
    except (OSError, PyPdfError, ValueError) as exc:
        raise InputFileError(_("the package cannot be read ({reason})").format(reason=exc),
                             path=path) from None
    if not isinstance(data, dict) or not isinstance(data.get("documents"), list):
        raise InputFileError(_("this PDF has no Søknadspakke manifest; build the package "
                               "with this program"), path=path)
    documents = []
    for entry in data["documents"]:
        documents.append(PackagedDocument(
            position=int(entry["position"]), title=str(entry.get("title") or ""),
            type_label=str(entry.get("type") or ""), file_name=str(entry.get("file_name") or ""),
            first_page=int(entry["first_page"]), last_page=int(entry["last_page"])))
    return PackageContents(int(data.get("pages", len(reader.pages))),
                           int(data.get("front_matter_pages", 0)), tuple(documents), data)


def _target_page(annotation: DictionaryObject) -> IndirectObject | None:
    """The page an internal link points to, if it is one."""
    dest = annotation.get("/Dest")
    action = annotation.get("/A")
    if dest is None and isinstance(action, DictionaryObject) and action.get("/S") == "/GoTo":
        dest = action.get("/D")
    if isinstance(dest, IndirectObject):
        dest = dest.get_object()
    if isinstance(dest, ArrayObject) and dest and isinstance(dest[0], IndirectObject):
        return dest[0]
    return None


def write_part(package: Path, ranges: Sequence[tuple[int, int, str]], *, title: str) -> bytes:
    """A PDF of the package's pages in ``ranges`` (``(first, last, bookmark)``, 1-based).

    Links to pages outside the part are removed; links within it keep working.
    """
    reader = PdfReader(package)
    writer = PdfWriter()
    wanted = [i for first, last, _b in ranges for i in range(first - 1, last)]
    kept = {reader.pages[i].indirect_reference.idnum for i in wanted  # type: ignore[union-attr]
            if reader.pages[i].indirect_reference is not None}
    for index in wanted:
        page = reader.pages[index]
        annots = page.get("/Annots")
        if annots is not None:
            keep = ArrayObject()
            for ref in annots.get_object():
                annotation = ref.get_object()
                target = _target_page(annotation) if isinstance(annotation,
                                                                DictionaryObject) else None
                if target is None or target.idnum in kept:
                    keep.append(ref)
            page[NameObject("/Annots")] = keep
        writer.add_page(page)
    offset = 0
    for first, last, bookmark in ranges:
        writer.add_outline_item(title=bookmark, page_number=offset)
        offset += last - first + 1
    writer.add_metadata({"/Title": title, "/Producer": "Søknadspakke"})
    writer.page_mode = "/UseOutlines"
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
