"""Damaged PDFs are described as they are (issue 8, defect 7): pages lost and how many,
content streams that cannot be decoded."""

from __future__ import annotations

import re
import zlib
from collections.abc import Sequence
from pathlib import Path

from soknadspakke.core.findings import Severity
from soknadspakke.intake import IntakeCache, inspect_file

from .conftest import codes, finding, write


def hand_pdf(contents: Sequence[bytes], *, flate: bool = False) -> bytes:
    """A PDF written object by object: catalog, page tree, then each page and its content."""
    n = len(contents)
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Count %d /Kids [%s] >>"
               % (n, b" ".join(b"%d 0 R" % (3 + 2 * i) for i in range(n)))]
    for i, stream in enumerate(contents):
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %d 0 R "
                       b"/Resources << /Font << /F1 %d 0 R >> >> >>" % (4 + 2 * i, 3 + 2 * n))
        extra = b" /Filter /FlateDecode" if flate else b""
        objects.append(b"<< /Length %d%s >>\nstream\n%s\nendstream" % (len(stream), extra, stream))
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return bytes(out)


def text_stream(text: str) -> bytes:
    return f"BT /F1 20 Tf 72 720 Td ({text}) Tj ET".encode()


def test_a_truncated_pdf_says_how_many_pages_were_lost(inbox: Path, cache: IntakeCache) -> None:
    data = hand_pdf([text_stream(f"Page {n} of the protocol") for n in range(1, 7)])
    cut = data[:data.index(b"9 0 obj") + 30]  # pages 4-6 (from object 9 on) are cut off
    result = inspect_file(write(inbox / "avkuttet.pdf", cut), cache=cache)
    assert result.usable and result.pages == 3
    message = finding(result, "pdf_repaired").message.render("en")
    assert "3 of its 6 pages are lost" in message
    assert "only 3 could be recovered" in message
    assert "all 3 pages" not in message


def test_a_pdf_whose_content_streams_are_broken_is_reported_as_damaged(inbox: Path) -> None:
    good = zlib.compress(text_stream("Hello broken world"))
    broken = good[:5] + b"\x00\xff\x13garbage" + good[12:]
    result = inspect_file(write(inbox / "knust.pdf", hand_pdf([broken], flate=True)))
    damaged = finding(result, "pdf_content_damaged")
    assert damaged.severity is Severity.WARNING
    assert "1 of 1 pages" in damaged.message.render("en")
    assert "scanned_no_text" not in codes(result)  # not mistaken for a scan


def test_content_that_cannot_be_parsed_names_the_pages(inbox: Path) -> None:
    pages = [text_stream("Fine page one"),
             b"BT /F1 24 Tf 72 720 Td (Hi) Tj ET\nq 1 0 0 1 0 0 cm ]]]] <<<< /Foo ( open",
             text_stream("Fine page three")]
    result = inspect_file(write(inbox / "rot.pdf", hand_pdf(pages)))
    message = finding(result, "pdf_content_damaged").message.render("en")
    assert "1 of 3 pages" in message and re.search(r"pages 2\b", message)


def test_a_sound_pdf_has_no_damage_findings(inbox: Path) -> None:
    result = inspect_file(write(inbox / "hel.pdf", hand_pdf([text_stream("All good here")])))
    assert result.usable and codes(result) == []


def test_declared_pages_reads_the_root_of_the_page_tree() -> None:
    from soknadspakke.intake.pdfread import declared_pages

    data = hand_pdf([text_stream(str(n)) for n in range(1, 5)])
    assert declared_pages(data) == 4
    assert declared_pages(data[:data.index(b"2 0 obj")]) == 0
    inner = data.replace(b"/Type /Pages /Count 4", b"/Type /Pages /Parent 9 0 R /Count 7")
    assert declared_pages(inner) == 0  # an inner node of the tree is not the whole document


def test_content_that_unpacks_beyond_the_bound_is_named_as_such(inbox: Path) -> None:
    """A content stream of a few hundred kB that inflates to 100 MB (pypdf reads 75 MB)."""
    compressor = zlib.compressobj(9)
    unit = text_stream("bomb").replace(b" ET", b" ET\n") * 2000
    stream = b"".join(compressor.compress(unit) for _ in range(100 * 1024 * 1024 // len(unit)))
    stream += compressor.flush()
    result = inspect_file(write(inbox / "stor.pdf", hand_pdf([stream], flate=True)))
    assert result.usable
    message = finding(result, "pdf_content_too_large").message.render("en")
    assert "1 of 1 pages" in message and "75 MB" in message
    assert {"pdf_content_damaged", "scanned_no_text"}.isdisjoint(codes(result))
