"""PDF intake: pages, text, forms, outline, encryption, damage and repair."""

from __future__ import annotations

import io
from pathlib import Path

import pikepdf
import pypdf
import pytest
from reportlab.lib.pagesizes import A4, landscape

from soknadspakke.core.findings import Severity
from soknadspakke.intake import IntakeCache, inspect_file, page_texts

from .conftest import FNR, codes, finding, jpeg_bytes, pdf_bytes, write


def test_text_pdf_pages_sizes_text(inbox: Path) -> None:
    data = pdf_bytes(["Forskningsprotokoll side 1", "Side 2", "Side 3"])
    result = inspect_file(write(inbox / "protokoll.pdf", data))
    assert (result.kind, result.format) == ("pdf", "pdf")
    assert result.pages == 3
    assert result.size == len(data)
    assert result.page_info[0].width == pytest.approx(A4[0], abs=0.01)
    assert result.page_info[0].height == pytest.approx(A4[1], abs=0.01)
    assert result.has_text and not result.encrypted and not result.needs_password
    assert result.usable and result.pdf_path == inbox / "protokoll.pdf"
    assert not result.embed_original
    assert result.findings == ()
    assert "Forskningsprotokoll" in page_texts(result)[0]


def test_rotation_and_landscape_recorded(inbox: Path) -> None:
    reader = pypdf.PdfReader(io.BytesIO(pdf_bytes(["a", "b"], pagesize=landscape(A4))))
    writer = pypdf.PdfWriter()
    for page in reader.pages:
        writer.add_page(page)
    writer.pages[1].rotate(90)
    out = io.BytesIO()
    writer.write(out)
    result = inspect_file(write(inbox / "rotert.pdf", out.getvalue()))
    assert [p.rotation for p in result.page_info] == [0, 90]
    assert result.page_info[0].width > result.page_info[0].height


def test_form_fields_and_values_are_read(inbox: Path) -> None:
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.drawString(60, 780, "Samtykkeerklæring")
    pdf.acroForm.textfield(name="navn", value="Kari Nordmann", x=60, y=700, width=200,
                           height=20)
    pdf.acroForm.textfield(name="fnr", value=FNR, x=60, y=650, width=200, height=20)
    pdf.showPage()
    pdf.save()
    path = write(inbox / "skjema.pdf", buffer.getvalue())
    result = inspect_file(path)
    assert result.has_forms
    text = page_texts(result)[0]
    assert "Kari Nordmann" in text
    # a number typed into a form field is personal data too
    assert "personal_id_number" in codes(result)
    # the original (with its filled-in fields) is what the package uses
    assert result.pdf_path == path


def test_outline_detected(inbox: Path) -> None:
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    for n in (1, 2):
        pdf.drawString(60, 780, f"Kapittel {n}")
        pdf.bookmarkPage(f"k{n}")
        pdf.addOutlineEntry(f"Kapittel {n}", f"k{n}", level=0)
        pdf.showPage()
    pdf.save()
    result = inspect_file(write(inbox / "med-bokmerker.pdf", buffer.getvalue()))
    assert result.has_outline


def _encrypted(user: str, owner: str) -> bytes:
    with pikepdf.open(io.BytesIO(pdf_bytes(["Hemmelig innhold " + FNR]))) as pdf:
        out = io.BytesIO()
        pdf.save(out, encryption=pikepdf.Encryption(
            user=user, owner=owner, R=6, allow=pikepdf.Permissions(modify_other=False)))
        return out.getvalue()


def test_user_password_required_then_wrong_then_right(inbox: Path, cache: IntakeCache) -> None:
    path = write(inbox / "kryptert.pdf", _encrypted("hemmelig", "eier"))
    asked = inspect_file(path, cache=cache)
    assert asked.encrypted and asked.needs_password and not asked.usable
    assert codes(asked) == ["password_required"]
    wrong = inspect_file(path, password="feil", cache=cache)
    assert wrong.needs_password and codes(wrong) == ["wrong_password"]
    right = inspect_file(path, password="hemmelig", cache=cache)
    assert right.usable and not right.needs_password and right.pages == 1
    assert right.pdf_path == path  # the builder opens the original with the password again
    assert "pdf_encrypted" in codes(right)
    assert "personal_id_number" in codes(right)  # the decrypted text was scanned
    # nothing about an encrypted file is written to the cache: no text, no copy, no result
    assert not cache.folder.exists() or not any(cache.folder.rglob(f"{right.sha256}*"))
    assert page_texts(right, cache) == [""]
    assert "Hemmelig" in page_texts(right, cache, password="hemmelig")[0]


def test_owner_password_only_is_accepted(inbox: Path) -> None:
    result = inspect_file(write(inbox / "begrenset.pdf", _encrypted("", "eier")))
    assert result.encrypted and not result.needs_password and result.usable
    assert result.pages == 1 and result.has_text
    assert finding(result, "pdf_restricted").severity is Severity.INFO


def _twenty_pages() -> bytes:
    return pdf_bytes([f"Side {n} av dokumentet" for n in range(1, 21)])


def test_truncated_tail_is_repaired_with_all_pages(inbox: Path, cache: IntakeCache) -> None:
    data = _twenty_pages()
    path = write(inbox / "avkuttet.pdf", data[: int(len(data) * 0.97)])
    # pypdf alone cannot read it
    with pytest.raises(pypdf.errors.PdfReadError):
        pypdf.PdfReader(io.BytesIO(path.read_bytes()), strict=False).pages[0]
    result = inspect_file(path, cache=cache)
    assert result.usable and result.pages == 20
    repaired = finding(result, "pdf_repaired")
    assert repaired.severity is Severity.WARNING
    assert "all 20 pages" in repaired.message.render("en")
    assert "cut off" in repaired.message.render("en")
    assert result.pdf_path == cache.pdf_path(result.sha256) and result.pdf_path.is_file()
    assert path.read_bytes() == data[: int(len(data) * 0.97)]  # original untouched
    assert "Side 20" in page_texts(result, cache)[19]


def test_file_cut_in_half_is_partly_recovered(inbox: Path) -> None:
    data = _twenty_pages()
    result = inspect_file(write(inbox / "halv.pdf", data[: int(len(data) * 0.6)]))
    message = finding(result, "pdf_repaired").message.render("en")
    assert "of its 20 pages are lost" in message and "could be recovered" in message
    assert result.pages == 20


def test_broken_cross_reference_table(inbox: Path) -> None:
    data = pdf_bytes(["Én", "To", "Tre"])
    start = data.rindex(b"startxref")
    broken = data[:start] + b"startxref\n999\n%%EOF\n"
    xref = broken.index(b"xref\n")
    broken = broken[:xref] + broken[xref:].replace(b" 00000 n", b" 99999 n")
    result = inspect_file(write(inbox / "xref.pdf", broken))
    assert result.usable and result.pages == 3
    message = finding(result, "pdf_repaired").message.render("en")
    assert "cross-reference" in message


def test_garbage_after_header_is_refused(inbox: Path) -> None:
    path = write(inbox / "søppel.pdf", b"%PDF-1.7\n" + bytes(range(256)) * 40)
    result = inspect_file(path)
    assert not result.usable and result.pdf_path is None
    assert codes(result) == ["pdf_damaged"]
    message = result.findings[0].message.render("en")
    assert "søppel.pdf" in message and "new copy" in message


def test_jpeg_named_pdf_is_a_jpeg(inbox: Path) -> None:
    result = inspect_file(write(inbox / "skann.pdf", jpeg_bytes()))
    assert (result.kind, result.format) == ("image", "jpeg")
    assert result.usable and result.pages == 1
    assert "extension_mismatch" in codes(result)


def test_scanned_pdf_without_text_warns(inbox: Path) -> None:
    import img2pdf

    result = inspect_file(write(inbox / "skannet.pdf", img2pdf.convert(jpeg_bytes())))
    assert result.usable and not result.has_text
    assert finding(result, "scanned_no_text").severity is Severity.WARNING


def test_pdf_without_pages(inbox: Path) -> None:
    out = io.BytesIO()
    with pikepdf.new() as pdf:
        pdf.save(out)
    result = inspect_file(write(inbox / "tom.pdf", out.getvalue()))
    assert not result.usable and result.pdf_path is None
    assert codes(result) == ["pdf_no_pages"]


def test_xfa_and_attachments_are_reported(inbox: Path) -> None:
    with pikepdf.open(io.BytesIO(pdf_bytes(["Skjema"]))) as pdf:
        pdf.Root.AcroForm = pdf.make_indirect(pikepdf.Dictionary(
            Fields=pikepdf.Array(), XFA=pikepdf.Array()))
        pdf.attachments["data.csv"] = pikepdf.AttachedFileSpec(pdf, b"a;b\n1;2\n")
        out = io.BytesIO()
        pdf.save(out)
    result = inspect_file(write(inbox / "xfa.pdf", out.getvalue()))
    assert result.usable
    assert "pdf_xfa_form" in codes(result) and "pdf_attachments" in codes(result)


def test_encryption_pypdf_cannot_open(inbox: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # pypdf raises DependencyError for AES when the cryptography package is missing
    def no_aes(self: object, password: str) -> object:
        raise pypdf.errors.DependencyError("cryptography>=3.1 is required for AES algorithm")

    monkeypatch.setattr(pypdf.PdfReader, "decrypt", no_aes)
    result = inspect_file(write(inbox / "aes.pdf", _encrypted("hemmelig", "eier")))
    assert codes(result) == ["pdf_encryption_unsupported"] and not result.usable
    assert "cryptography" in result.findings[0].message.render("en")
