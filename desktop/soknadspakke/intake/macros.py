"""Macro-free copies of macro-enabled Office files (XLSM, DOCM).

A package goes to a public agency and must carry no macros. Instead of the original, the
package embeds a copy without the VBA project, as Excel and Word make when such a file is saved
as XLSX/DOCX: the VBA parts (``vbaProject.bin``, its signatures, ``vbaData.xml``) are left out,
the relationships and content types that name them are removed, and the main part's content
type becomes the macro-free one. Every other part is copied unchanged.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

#: Parts that hold or describe a VBA project.
_VBA_PART = re.compile(r"(?:^|/)(?:vbaProject\.bin|vbaProjectSignature[^/]*\.bin|vbaData\.xml"
                       r"|_rels/vbaProject\.bin\.rels)$", re.IGNORECASE)
_MACRO_TYPES = {
    b"application/vnd.ms-excel.sheet.macroEnabled.main+xml":
        b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    b"application/vnd.ms-word.document.macroEnabled.main+xml":
        b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
}
_VBA_TYPE = re.compile(rb"application/vnd\.ms-(?:office\.vbaProject|word\.vbaData\+xml|"
                       rb"office\.vbaProjectSignature[^\"']*)", re.IGNORECASE)
_ELEMENT = re.compile(rb"<(?:Override|Default|Relationship)\b[^>]*/>", re.IGNORECASE)
_TARGET = re.compile(rb"""(?:Target|PartName)\s*=\s*["']([^"']*)["']""")
_REL_TYPE = re.compile(rb"""Type\s*=\s*["'][^"']*/(?:vbaProject|vbaProjectSignature|"""
                       rb"""wordVbaData|keyMapCustomizations)["']""")
#: The macro-free format for each macro-enabled one.
MACRO_FREE = {"xlsm": "xlsx", "docm": "docx"}


class MacroRemovalError(Exception):
    """The file's parts cannot be rewritten (the message is technical detail)."""


@dataclass(frozen=True)
class MacroFreeCopy:
    data: bytes
    format: str
    removed: tuple[str, ...]


def _clean_xml(text: bytes, removed_names: set[str]) -> bytes:
    """Drop the ``<Override>``, ``<Default>`` and ``<Relationship>`` elements that name a VBA
    part or type, and give a macro-enabled main part its macro-free content type."""
    def keep(match: re.Match[bytes]) -> bytes:
        element = match.group()
        if _VBA_TYPE.search(element) or _REL_TYPE.search(element):
            return b""
        target = _TARGET.search(element)
        if target is not None:
            name = target.group(1).decode("utf-8", "replace").rsplit("/", 1)[-1].lower()
            if name in removed_names:
                return b""
        return element

    cleaned = _ELEMENT.sub(keep, text)
    for macro, plain in _MACRO_TYPES.items():
        cleaned = cleaned.replace(macro, plain)
    return cleaned


def strip_macros(data: bytes, fmt: str) -> MacroFreeCopy:
    """A copy of the OOXML file ``data`` without its VBA project (raises MacroRemovalError)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as source:
            items = source.infolist()
            removed = [i.filename for i in items if _VBA_PART.search(i.filename)]
            removed_names = {name.rsplit("/", 1)[-1].lower() for name in removed}
            out = io.BytesIO()
            with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
                for item in items:
                    if item.filename in removed:
                        continue
                    content = source.read(item.filename)
                    if item.filename == "[Content_Types].xml" or item.filename.endswith(".rels"):
                        content = _clean_xml(content, removed_names)
                    target.writestr(item, content, compress_type=zipfile.ZIP_DEFLATED)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, OSError, RuntimeError,
            ValueError, EOFError) as exc:
        raise MacroRemovalError(f"{type(exc).__name__}: {exc}") from exc
    return MacroFreeCopy(out.getvalue(), MACRO_FREE.get(fmt, fmt), tuple(removed))
