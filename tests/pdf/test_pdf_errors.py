"""Bad inputs name the file; failures and cancellation leave nothing behind; passwords work."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from soknadspakke.core.errors import Cancelled, InputFileError, SoknadError
from soknadspakke.core.i18n import Text
from soknadspakke.pdf import assemble_package
from tests.pdf.pdf_testkit import document, encrypted_pdf, page_texts, sha256, spec, text_pdf


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_encrypted_input_opens_with_its_password(inputs: Path, outdir: Path) -> None:
    locked = encrypted_pdf(inputs / "laast.pdf", "hemmelig")
    before = sha256(locked)
    result = assemble_package(spec([document(locked, password="hemmelig")]),
                              outdir / "pakke.pdf")
    assert "SECRET page 2" in page_texts(result.path)[3]
    assert sha256(locked) == before
    assert b"hemmelig" not in result.path.read_bytes()
    assert "hemmelig" not in repr(document(locked, password="hemmelig"))


@pytest.mark.parametrize("password", ["feil", None])
def test_wrong_or_missing_password_names_the_file(inputs: Path, outdir: Path,
                                                  password: str | None) -> None:
    locked = encrypted_pdf(inputs / "laast.pdf", "hemmelig")
    good = text_pdf(inputs / "ok.pdf")
    with pytest.raises(InputFileError) as caught:
        assemble_package(spec([document(good), document(locked, password=password)]),
                         outdir / "pakke.pdf")
    assert caught.value.path == locked
    assert "laast.pdf" in str(caught.value)
    assert _leftovers(outdir) == []


def test_unreadable_pdf_names_the_file(inputs: Path, outdir: Path,
                                       caplog: pytest.LogCaptureFixture) -> None:
    broken = inputs / "odelagt.pdf"
    broken.write_bytes(b"%PDF-1.7\nthis is not really a PDF\n")
    caplog.set_level(logging.CRITICAL, logger="pypdf")  # pypdf logs its attempts to recover
    with pytest.raises(InputFileError) as caught:
        assemble_package(spec([document(broken)]), outdir / "pakke.pdf")
    assert caught.value.path == broken and "odelagt.pdf" in str(caught.value)
    assert _leftovers(outdir) == []


def test_missing_file_names_the_file(inputs: Path, outdir: Path) -> None:
    path = text_pdf(inputs / "borte.pdf")
    doc = document(path)
    path.unlink()
    with pytest.raises(InputFileError) as caught:
        assemble_package(spec([doc]), outdir / "pakke.pdf")
    assert caught.value.path == path
    assert _leftovers(outdir) == []


def test_changed_original_is_refused(inputs: Path, outdir: Path) -> None:
    original = inputs / "data.csv"
    original.write_text("a,b\n1,2\n", encoding="utf-8")
    doc = document(text_pdf(inputs / "data.pdf"), original=original)
    original.write_text("a,b\n1,3\n", encoding="utf-8")
    with pytest.raises(InputFileError) as caught:
        assemble_package(spec([doc]), outdir / "pakke.pdf")
    assert caught.value.path == original
    assert _leftovers(outdir) == []


def test_refuses_to_overwrite_an_input(inputs: Path) -> None:
    path = text_pdf(inputs / "selv.pdf")
    before = sha256(path)
    with pytest.raises(SoknadError):
        assemble_package(spec([document(path)]), path)
    assert sha256(path) == before


@pytest.mark.parametrize("stop_after", [1, 3, 6, 9])
def test_cancelling_leaves_no_file(inputs: Path, outdir: Path, stop_after: int) -> None:
    docs = [document(text_pdf(inputs / f"d{i}.pdf", pages=2)) for i in range(3)]
    calls = 0

    def cancel() -> bool:
        nonlocal calls
        calls += 1
        return calls >= stop_after

    with pytest.raises(Cancelled):
        assemble_package(spec(docs), outdir / "pakke.pdf", cancel=cancel)
    assert _leftovers(outdir) == []


def test_cancelling_keeps_an_earlier_package(inputs: Path, outdir: Path) -> None:
    docs = [document(text_pdf(inputs / "d.pdf"))]
    target = outdir / "pakke.pdf"
    assemble_package(spec(docs), target)
    before = sha256(target)
    with pytest.raises(Cancelled):
        assemble_package(spec(docs, draft=True), target, cancel=lambda: True)
    assert sha256(target) == before
    assert _leftovers(outdir) == ["pakke.pdf"]


def test_progress_is_reported_up_to_done(inputs: Path, outdir: Path) -> None:
    docs = [document(text_pdf(inputs / f"d{i}.pdf")) for i in range(2)]
    reports: list[tuple[int, int, Text]] = []
    assemble_package(spec(docs), outdir / "pakke.pdf",
                     progress=lambda done, total, message: reports.append((done, total, message)))
    totals = {total for _, total, _ in reports}
    assert len(totals) == 1
    total = totals.pop()
    assert [done for done, _, _ in reports] == sorted(done for done, _, _ in reports)
    assert reports[-1][0] == total
    assert any("d1.pdf" in message.render("en") for _, _, message in reports)
