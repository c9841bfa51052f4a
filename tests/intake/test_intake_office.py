"""Word, ODT and RTF: converted with LibreOffice where it is installed."""

from __future__ import annotations

from pathlib import Path

import pytest

from soknadspakke.core.findings import Severity
from soknadspakke.intake import IntakeCache, inspect_file, page_texts
from soknadspakke.intake import convert as convert_module

from .conftest import (
    FNR,
    codes,
    docx_bytes,
    needs_soffice,
    odt_bytes,
    rtf_bytes,
    soffice_convert,
    write,
)

TEXT = ["Forskningsprotokoll", "Prosjektet bruker registerdata fra SSB.", f"Deltaker {FNR}"]


@pytest.mark.libreoffice
@needs_soffice
@pytest.mark.parametrize(("name", "maker", "fmt"), [
    ("protokoll.docx", docx_bytes, "docx"),
    ("protokoll.odt", odt_bytes, "odt"),
    ("protokoll.rtf", lambda paras: rtf_bytes("\n".join(paras)), "rtf"),
])
def test_office_documents_are_converted(inbox: Path, cache: IntakeCache, name: str,
                                        maker: object, fmt: str) -> None:
    path = write(inbox / name, maker(TEXT))  # type: ignore[operator]
    result = inspect_file(path, cache=cache)
    assert (result.kind, result.format) == ("office", fmt)
    assert result.usable, result.findings
    assert result.pages == 1 and result.has_text and result.embed_original
    assert result.pdf_path == cache.pdf_path(result.sha256)
    assert "Forskningsprotokoll" in page_texts(result, cache)[0]
    assert "personal_id_number" in codes(result)


@pytest.mark.libreoffice
@needs_soffice
def test_binary_doc_is_converted(inbox: Path, tmp_path: Path) -> None:
    rtf = write(tmp_path / "kilde.rtf", rtf_bytes("Vedtak om dispensasjon fra taushetsplikt"))
    doc = soffice_convert(rtf, "doc", tmp_path / "made")
    result = inspect_file(write(inbox / "vedtak.doc", doc.read_bytes()))
    assert (result.kind, result.format, result.usable) == ("office", "doc", True)
    assert "dispensasjon" in page_texts(result)[0]


@pytest.mark.libreoffice
@needs_soffice
def test_macro_and_tracked_changes_warn(inbox: Path) -> None:
    result = inspect_file(write(inbox / "makro.docm", docx_bytes(["Tekst"], macro=True,
                                                                  tracked=True)))
    assert result.format == "docm" and result.usable
    assert {"macro_file", "tracked_changes"} <= set(codes(result))


def test_no_converter_says_how_to_export(inbox: Path, cache: IntakeCache,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(convert_module, "find_soffice", lambda: None)
    path = write(inbox / "søknad.docx", docx_bytes(TEXT))
    result = inspect_file(path, cache=cache)
    assert (result.kind, result.format, result.usable) == ("office", "docx", False)
    assert codes(result) == ["no_converter"]
    message = result.findings[0].message.render("en")
    assert "søknad.docx" in message and "Save As > PDF" in message
    assert result.findings[0].message.render("nb") != message  # translated
    # an environment problem is not cached: with LibreOffice installed later it converts
    assert cache.load_entry(result.sha256) is None


def test_conversion_failure_is_reported(inbox: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*args: object, **kwargs: object) -> bytes:
        raise convert_module.ConversionError("LibreOffice did not finish within 180 s")

    monkeypatch.setattr(convert_module, "find_soffice", lambda: "/usr/bin/soffice")
    monkeypatch.setattr(convert_module, "office_to_pdf", fail)
    result = inspect_file(write(inbox / "treg.docx", docx_bytes(TEXT)))
    assert codes(result) == ["conversion_failed"]
    assert "180 s" in result.findings[0].message.render("en")


def test_soffice_that_produces_nothing(inbox: Path, tmp_path: Path) -> None:
    fake = write(tmp_path / "soffice", b"#!/bin/sh\nexit 3\n")
    fake.chmod(0o755)
    with pytest.raises(convert_module.ConversionError, match="no PDF"):
        convert_module.office_to_pdf(docx_bytes(TEXT), "docx", str(fake))


def test_soffice_timeout(tmp_path: Path) -> None:
    fake = write(tmp_path / "soffice", b"#!/bin/sh\nexec sleep 30\n")
    fake.chmod(0o755)
    with pytest.raises(convert_module.ConversionError, match="did not finish"):
        convert_module.office_to_pdf(b"x", "docx", str(fake), timeout=0.5)


def test_password_protected_word_file(inbox: Path) -> None:
    # An encrypted OOXML file is an OLE container holding an "EncryptedPackage" stream.
    data = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
            + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 512)
    result = inspect_file(write(inbox / "passord.docx", data))
    assert codes(result) == ["office_encrypted"]
    assert result.findings[0].severity is Severity.ERROR
