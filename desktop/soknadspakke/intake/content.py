"""What the analysis of one file's content gives: :class:`Content` (also what the cache keeps)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from soknadspakke.core.findings import Finding
from soknadspakke.intake.model import Kind, PageInfo, PdfSource


@dataclass
class Content:
    """What the content of one file gave (everything here depends on the bytes only)."""

    kind: Kind
    format: str
    findings: list[Finding] = field(default_factory=list)
    page_info: list[PageInfo] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    #: Where the PDF the package uses comes from; None when the file cannot be used.
    pdf: PdfSource | None = None
    pdf_file: Path | None = None
    encrypted: bool = False
    needs_password: bool = False
    has_text: bool = False
    has_forms: bool = False
    has_outline: bool = False
    signature_hint: bool = False
    embed_original: bool = False
    #: A cleaned copy to embed instead of the original (macros removed): its file, format
    #: (``xlsx``/``docx``) and sha256.
    copy_file: Path | None = None
    copy_format: str = ""
    copy_sha256: str = ""
    cacheable: bool = True

    @property
    def pages(self) -> int:
        return len(self.page_info)


def copy_name(name: str, fmt: str) -> str:
    """The name of a cleaned copy of ``name`` in format ``fmt`` (``tabell.xlsm`` → ``.xlsx``)."""
    return f"{Path(name).stem or 'file'}.{fmt}"
