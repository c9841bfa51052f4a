"""Macro-enabled Office files: the package gets a macro-free copy (issue 8, defect 8)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from soknadspakke.core.findings import Severity
from soknadspakke.intake import IntakeCache, inspect_file
from soknadspakke.intake.macros import strip_macros

from .conftest import docx_bytes, finding, write


def _with_vba(data: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "[Content_Types].xml":
                content = content.replace(b"</Types>", (
                    b'<Override PartName="/word/vbaProject.bin" '
                    b'ContentType="application/vnd.ms-office.vbaProject"/>'
                    b'<Override PartName="/word/vbaData.xml" '
                    b'ContentType="application/vnd.ms-word.vbaData+xml"/></Types>'))
            target.writestr(item, content)
        target.writestr("word/_rels/document.xml.rels", (
            b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            b'package/2006/relationships"><Relationship Id="rId9" Type="http://schemas.'
            b'microsoft.com/office/2006/relationships/vbaProject" Target="vbaProject.bin"/>'
            b'<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/'
            b'2006/relationships/styles" Target="styles.xml"/></Relationships>'))
        target.writestr("word/vbaProject.bin", b"MACRO Sub AutoOpen() Shell")
        target.writestr("word/_rels/vbaProject.bin.rels", b"<Relationships/>")
        target.writestr("word/vbaData.xml", b"<wne:vbaSuppData/>")
    return out.getvalue()


def test_strip_macros_leaves_no_vba_and_keeps_everything_else() -> None:
    docm = _with_vba(docx_bytes(["Tekst i dokumentet"], macro=True))
    copy = strip_macros(docm, "docm")
    assert copy.format == "docx"
    assert sorted(copy.removed) == ["word/_rels/vbaProject.bin.rels", "word/vbaData.xml",
                                    "word/vbaProject.bin"]
    with zipfile.ZipFile(io.BytesIO(copy.data)) as archive:
        names = archive.namelist()
        types = archive.read("[Content_Types].xml")
        rels = archive.read("word/_rels/document.xml.rels")
        document = archive.read("word/document.xml")
    assert not [n for n in names if "vba" in n.lower()]
    assert b"macroEnabled" not in types and b"vba" not in types.lower()
    assert b"wordprocessingml.document.main+xml" in types
    assert b"vbaProject" not in rels and b'Target="styles.xml"' in rels
    assert b"Tekst i dokumentet" in document
    assert b"MACRO" not in copy.data


def test_a_docm_is_described_and_its_copy_kept(inbox: Path, cache: IntakeCache) -> None:
    path = write(inbox / "makro.docm", _with_vba(docx_bytes(["Tekst"], macro=True)))
    result = inspect_file(path, cache=cache)
    macro = finding(result, "macro_file")
    assert macro.severity is Severity.WARNING
    assert "makro.docx" in macro.message.render("en")
    assert result.embed_name == "makro.docx" and result.embed_path is not None
    assert b"MACRO" not in result.embed_path.read_bytes()
    again = inspect_file(path, cache=cache)  # from the cache: the same copy
    assert again.embed_path == result.embed_path and again.embed_sha256 == result.embed_sha256
