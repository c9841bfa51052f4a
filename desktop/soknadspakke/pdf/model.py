"""What the caller hands to :func:`~soknadspakke.pdf.assemble_package`, and what it gets back.

Every text in a :class:`PackageSpec` is already in the package language; the assembler adds only
its own fixed strings (page numbers, index headers, the draft mark), translated into
:attr:`PackageSpec.lang`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from soknadspakke.core.text import printable, printable_json


@dataclass(frozen=True)
class PackageDocument:
    """One document of the package: a normalized PDF plus what the package says about it."""

    pdf_path: Path
    """The PDF whose pages go in. May be encrypted; then :attr:`password` opens it."""
    password: str | None
    """Opens an encrypted :attr:`pdf_path`. Never stored or written anywhere."""
    type_ids: tuple[str, ...]
    """The rule pack's ids of the document type(s), e.g. ``("protocol",)``."""
    type_label: str
    """The type name(s) in the package language, e.g. ``"Forskningsprotokoll"``."""
    short_label: str
    """A short label for the page footer, e.g. ``"Protokoll"`` or ``"DPIA"``."""
    title: str
    """The document's title, or its file name."""
    file_name: str
    """The original file's name (as the user added it)."""
    sha256: str
    """sha256 of the ORIGINAL file, 64 hex digits."""
    original_path: Path | None = None
    """When set, these bytes are embedded as a file attachment (non-PDF sources)."""
    pages: int | None = None
    """The page count of :attr:`pdf_path` when known (intake's cache): the cover and index
    are then laid out before any document is opened. The assembler checks it."""
    pdf_sha256: str | None = None
    """When set, the sha256 that the bytes read from :attr:`pdf_path` must have (the
    assembler hashes what it copies and stops when they differ)."""
    original_name: str | None = None
    """The attachment's name when :attr:`original_path` is not the original itself (a
    macro-free ``.xlsx`` copy of an ``.xlsm``); else :attr:`file_name` is used."""
    original_sha256: str | None = None
    """sha256 of :attr:`original_path` when it is such a copy (checked instead of
    :attr:`sha256` before it is embedded)."""

    def __repr__(self) -> str:  # keep the password out of logs and tracebacks
        return (f"PackageDocument(pdf_path={self.pdf_path!r}, file_name={self.file_name!r}, "
                f"type_ids={self.type_ids!r}, encrypted={self.password is not None})")


@dataclass(frozen=True)
class RequirementRow:
    """One row of the compliance matrix ("Requirements and where they are met")."""

    rule: str
    """The requirement's id, e.g. ``"N7"``."""
    documents: str
    """What it asks for, in the package language, e.g. ``"DPIA eller negativ DPIA"``."""
    source: str
    """The guidance paragraphs behind it, e.g. ``"S12"``."""
    meets: tuple[int, ...] = ()
    """Indexes into :attr:`PackageSpec.documents` of the documents that meet it."""
    met: bool = True
    """Whether the requirement is met (``manifest.json`` records it)."""
    status: str = ""
    """What is wrong, e.g. ``"Mangler"`` (drawn in red); empty for a met or optional one."""
    remark: str = ""
    """A muted note under the documents, e.g. ``"accepted with a remark"``."""


@dataclass(frozen=True)
class CoverSheet:
    """The first page(s) of the package."""

    heading: str
    """E.g. ``"Søknad om lån av mikrodata fra SSB"``."""
    rows: tuple[tuple[str, str], ...]
    """``(label, value)`` pairs, already in the package language."""
    verdict: str
    """E.g. ``"Klar til innsending – 0 feil, 2 advarsler"``."""
    ready: bool
    """Whether the application is ready to submit (colours the verdict)."""
    findings: tuple[tuple[str, str], ...] = ()
    """``(severity word, message)`` lines to list (in a draft: what is missing)."""
    requirements: tuple[RequirementRow, ...] = ()
    """The compliance matrix drawn after the cover; none = no matrix pages."""


@dataclass(frozen=True)
class PackageMetadata:
    """The document information of the package PDF."""

    title: str
    author: str
    subject: str
    creator: str
    keywords: str = ""


@dataclass(frozen=True)
class PackageSpec:
    """Everything needed to build one package PDF."""

    lang: str
    """``"nb"`` or ``"en"``: the language of the assembler's own strings."""
    cover: CoverSheet
    documents: tuple[PackageDocument, ...]
    """Already in package order."""
    metadata: PackageMetadata
    draft: bool = False
    """Mark every page "UTKAST / DRAFT"."""
    keep_form_fields: bool = False
    """Keep form fields live (names made unique per document) instead of flattening them."""
    manifest_extra: Mapping[str, Any] = field(default_factory=dict)
    """Extra top-level entries for ``manifest.json`` (rule pack id/version, program version …).
    Must be JSON-serialisable; the assembler's own keys win on a clash."""


@dataclass(frozen=True)
class DocumentPlacement:
    """Where a document's pages ended up in the package (1-based, inclusive)."""

    first_page: int
    last_page: int


@dataclass(frozen=True)
class AssemblyResult:
    """The package that was written."""

    path: Path
    pages: int
    placements: tuple[DocumentPlacement, ...]
    """One per :attr:`PackageSpec.documents`, in the same order."""
    size: int
    """The file's size in bytes."""
    left_out: tuple[tuple[int, str], ...] = ()
    """Documents of a draft that could not be read when the package was made: their index in
    the :attr:`PackageSpec.documents` given, and why. :attr:`placements` covers the others."""


def printable_spec(spec: PackageSpec) -> PackageSpec:
    """``spec`` with every text made encodable (see :func:`~soknadspakke.core.text.printable`):
    a non-UTF-8 file name or a lone surrogate in a title must not stop the package."""
    cover = spec.cover
    return replace(
        spec,
        cover=replace(cover, heading=printable(cover.heading),
                      rows=tuple((printable(a), printable(b)) for a, b in cover.rows),
                      verdict=printable(cover.verdict),
                      findings=tuple((printable(a), printable(b)) for a, b in cover.findings)),
        documents=tuple(replace(doc, type_label=printable(doc.type_label),
                                short_label=printable(doc.short_label),
                                title=printable(doc.title), file_name=printable(doc.file_name),
                                original_name=printable(doc.original_name)
                                if doc.original_name else None)
                        for doc in spec.documents),
        metadata=replace(spec.metadata, **{key: printable(getattr(spec.metadata, key))
                                           for key in ("title", "author", "subject", "creator",
                                                       "keywords")}),
        manifest_extra=printable_json(dict(spec.manifest_extra)))
