"""The public data types of intake: keywords in, results out."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from soknadspakke.core.findings import Finding, has_errors


class Kind(StrEnum):
    """What kind of input a file is; the values are those of the cache and the JSON output."""

    PDF = "pdf"
    IMAGE = "image"
    #: A word-processor document (DOCX, DOCM, DOC, ODT, RTF), converted with LibreOffice.
    OFFICE = "office"
    #: A variable list (XLSX, XLSM, CSV), rendered as a table.
    SPREADSHEET = "spreadsheet"
    TEXT = "text"
    UNSUPPORTED = "unsupported"
    #: The content could not be read at all (the file vanished, is empty, too large …).
    UNKNOWN = "unknown"


class PdfSource(StrEnum):
    """Where the PDF a package uses (and the page texts read from it) comes from; no source
    at all (``None``) when the file cannot be used. The values are those of the cache."""

    #: The input file itself, a readable PDF.
    ORIGINAL = "original"
    #: A copy this program made and keeps in the cache: converted, or repaired by qpdf.
    CACHE = "cache"


@dataclass(frozen=True)
class TypeKeywords:
    """The words that point to one document type; built by the caller from the rule pack."""

    type_id: str
    #: Lower-case words or phrases matched against the normalized file name.
    filename: tuple[str, ...] = ()
    #: Lower-case phrases matched against the extracted text.
    content: tuple[str, ...] = ()


@dataclass(frozen=True)
class Suggestion:
    """A suggested document type with a confidence from 0 to 1."""

    type_id: str
    confidence: float


@dataclass(frozen=True)
class PageInfo:
    """One page: the visible (crop) box in points, unrotated, and its rotation in degrees."""

    width: float
    height: float
    rotation: int


@dataclass(frozen=True)
class IntakeResult:
    """Everything intake learned about one input file."""

    path: Path
    kind: Kind = Kind.UNKNOWN
    format: str = ""
    size: int = 0
    sha256: str = ""
    pages: int = 0
    page_info: tuple[PageInfo, ...] = ()
    encrypted: bool = False
    #: A user password is required and was not given, or the one given was wrong.
    needs_password: bool = False
    has_text: bool = False
    has_forms: bool = False
    has_outline: bool = False
    #: A signature field, or an image where a signature would be (a sign of signing).
    signature_hint: bool = False
    suggested_types: tuple[Suggestion, ...] = ()
    findings: tuple[Finding, ...] = ()
    #: The PDF a package uses: the original for a readable PDF (also an encrypted one: the
    #: builder opens it with the password again), or a converted / repaired copy; ``None`` when
    #: the file cannot be used.
    pdf_path: Path | None = None
    #: True for non-PDF sources: the package embeds the original bytes.
    embed_original: bool = False
    #: The text of each page when this call extracted it (or read it from the cache for
    #: suggestions); ``None`` otherwise (the cache holds it). Not part of the JSON shape.
    texts: tuple[str, ...] | None = field(default=None, repr=False, compare=False)
    #: What the package embeds instead of the original, when not the original itself: a
    #: macro-free copy of an XLSM/DOCM (``None`` otherwise), its file name and sha256.
    embed_path: Path | None = None
    embed_name: str = ""
    embed_sha256: str = ""

    @property
    def usable(self) -> bool:
        """No error findings, and there is a PDF to put in the package."""
        return self.pdf_path is not None and not has_errors(self.findings)

    @property
    def file_name(self) -> str:
        return self.path.name

    def to_dict(self, lang: str) -> dict[str, Any]:
        """The public JSON shape, with messages in ``lang``."""
        return {
            "path": str(self.path),
            "kind": str(self.kind),
            "format": self.format,
            "size": self.size,
            "pages": self.pages,
            "sha256": self.sha256,
            "encrypted": self.encrypted,
            "needs_password": self.needs_password,
            "has_text": self.has_text,
            "has_forms": self.has_forms,
            "has_outline": self.has_outline,
            "signature_hint": self.signature_hint,
            "page_info": [{"width": p.width, "height": p.height, "rotation": p.rotation}
                          for p in self.page_info],
            "suggested_types": [{"type": s.type_id, "confidence": s.confidence}
                                for s in self.suggested_types],
            "findings": [f.to_dict(lang) for f in self.findings],
            "pdf_path": str(self.pdf_path) if self.pdf_path is not None else None,
            "embed_original": self.embed_original,
            "embedded_copy": self.embed_name or None,
            "usable": self.usable,
        }
