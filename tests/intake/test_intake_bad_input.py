"""Bad input: each case gives one clear finding that names the file, never an exception."""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from soknadspakke.core.errors import Cancelled
from soknadspakke.core.findings import Severity
from soknadspakke.core.i18n import Text
from soknadspakke.intake import DEFAULT_SIZE_LIMIT, IntakeResult, inspect_file
from soknadspakke.intake import flow as inspector_module

from .conftest import codes, docx_bytes, jpeg_bytes, pdf_bytes, png_bytes, tiff_bytes, write


def _one_error(result: IntakeResult, code: str) -> str:
    assert codes(result) == [code]
    only = result.findings[0]
    assert only.severity is Severity.ERROR and only.files == (result.path.name,)
    assert only.rule is None
    assert not result.usable and result.pdf_path is None
    text = only.message.render("en")
    assert result.path.name in text
    return text


def test_zero_byte_file(inbox: Path) -> None:
    result = inspect_file(write(inbox / "tom.pdf", b""))
    assert "0 bytes" in _one_error(result, "empty_file")
    assert result.kind == "unknown" and result.size == 0


def test_missing_file(inbox: Path) -> None:
    text = _one_error(inspect_file(inbox / "borte.pdf"), "file_vanished")
    assert str(inbox) in text


def test_file_vanishes_while_being_read(inbox: Path) -> None:
    path = write(inbox / "flyktig.pdf", pdf_bytes(["x"]))

    def progress(done: int, total: int, message: Text) -> None:
        if done == 1:  # after hashing, before the content is read
            path.unlink(missing_ok=True)

    _one_error(inspect_file(path, progress=progress), "file_vanished")


def test_file_changes_while_being_read(inbox: Path) -> None:
    path = write(inbox / "skrives.pdf", pdf_bytes(["x"]))

    def progress(done: int, total: int, message: Text) -> None:
        if done == 1:
            with path.open("ab") as handle:
                handle.write(b"% appended by another program\n")

    text = _one_error(inspect_file(path, progress=progress), "file_changed_while_reading")
    assert "add it again" in text


def test_file_touched_during_analysis(inbox: Path) -> None:
    path = write(inbox / "rørt.pdf", pdf_bytes(["x"]))

    def progress(done: int, total: int, message: Text) -> None:
        if done == 2:  # while the content is analysed
            os.utime(path, ns=(1, 1))

    _one_error(inspect_file(path, progress=progress), "file_changed_while_reading")


def test_300_mb_scan_is_refused_without_reading(inbox: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    path = inbox / "stor skann.pdf"
    with path.open("wb") as handle:  # sparse: takes no disk space and no time
        handle.truncate(300 * 1024 * 1024)
    monkeypatch.setattr(inspector_module, "_hash_file", lambda *a: pytest.fail("read"))
    result = inspect_file(path)
    text = _one_error(result, "file_too_large")
    assert "300.0 MB" in text and f"{DEFAULT_SIZE_LIMIT // 2**20}.0 MB" in text
    assert result.size == 300 * 1024 * 1024


def test_size_limit_is_configurable(inbox: Path) -> None:
    result = inspect_file(write(inbox / "liten.pdf", pdf_bytes(["x"])), size_limit=100)
    _one_error(result, "file_too_large")


@pytest.mark.parametrize("name", ["søknad om lån æøå ÆØÅ.pdf", "med  mellomrom .pdf",
                                  "ﬁl—ünïcødé ✓.pdf"])
def test_unusual_names_are_fine(inbox: Path, name: str) -> None:
    result = inspect_file(write(inbox / name, pdf_bytes(["Innhold"])))
    assert result.usable and result.findings == () and result.file_name == name


def test_path_longer_than_260_characters(inbox: Path) -> None:
    folder = inbox
    while len(str(folder)) < 280:
        folder = folder / ("mappe med et langt navn æøå " + str(len(str(folder))))
    folder.mkdir(parents=True)
    path = write(folder / "protokoll.pdf", pdf_bytes(["Innhold"]))
    assert len(str(path)) > 260
    result = inspect_file(path)
    assert result.usable and result.pages == 1
    assert codes(result) == ["long_path"] and result.findings[0].severity is Severity.INFO


def test_executable(inbox: Path) -> None:
    text = _one_error(inspect_file(write(inbox / "setup.exe", b"MZ\x90\x00" + b"\x00" * 200)),
                      "unsupported_type")
    assert "EXE" in text


def test_zip_archive(inbox: Path) -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("vedlegg/protokoll.pdf", pdf_bytes(["x"]))
    text = _one_error(inspect_file(write(inbox / "vedlegg.zip", out.getvalue())),
                      "unsupported_type")
    assert "Unpack" in text


def test_unknown_binary(inbox: Path) -> None:
    text = _one_error(inspect_file(write(inbox / "data.bin", bytes(range(256)) * 4)),
                      "unsupported_type")
    assert "not recognised" in text


def test_folder_is_not_a_file(inbox: Path) -> None:
    (inbox / "mappe").mkdir()
    _one_error(inspect_file(inbox / "mappe"), "not_a_file")


@pytest.mark.skipif(os.name == "nt" or os.geteuid() == 0,
                    reason="permissions are not enforced for root / on Windows")
def test_unreadable_file(inbox: Path) -> None:
    path = write(inbox / "låst.pdf", pdf_bytes(["x"]))
    path.chmod(0)
    try:
        _one_error(inspect_file(path), "file_unreadable")
    finally:
        path.chmod(0o644)


def test_unexpected_error_becomes_a_finding(inbox: Path, monkeypatch: pytest.MonkeyPatch
                                            ) -> None:
    def boom(*args: object) -> None:
        raise RuntimeError("simulated bug")

    monkeypatch.setattr(inspector_module, "_analyse", boom)
    text = _one_error(inspect_file(write(inbox / "fil.pdf", pdf_bytes(["x"]))),
                      "intake_failed")
    assert "simulated bug" in text


def test_cancel_raises_cancelled(inbox: Path) -> None:
    path = write(inbox / "mange sider.pdf", pdf_bytes([f"side {n}" for n in range(30)]))
    calls = iter(range(1000))
    with pytest.raises(Cancelled):
        inspect_file(path, cancel=lambda: next(calls) > 3)


FORMATS = {
    "tekst.pdf": pdf_bytes(["Tekst"]),
    "bilde.jpg": jpeg_bytes(),
    "bilde.png": png_bytes(),
    "skann.tiff": tiff_bytes(2),
    "skript.txt": b"tabulate kjonn\n",
    "liste.csv": b"Velg;Variabel\nx;A\n",
    "notat.docx": docx_bytes(["Notat"]),
}


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_original_is_never_modified_or_written_next_to(inbox: Path, name: str) -> None:
    path = write(inbox / name, FORMATS[name])
    os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    def state() -> tuple[bytes, int, list[str]]:
        return path.read_bytes(), path.stat().st_mtime_ns, sorted(p.name for p in inbox.iterdir())

    before = state()
    inspect_file(path)
    assert state() == before
    # not locked: it can be renamed and deleted straight away
    path.rename(inbox / "flyttet")
    (inbox / "flyttet").unlink()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(prefix=st.sampled_from([b"", b"%PDF-1.4\n", b"\xff\xd8\xff\xe0", b"\x89PNG\r\n\x1a\n",
                               b"PK\x03\x04", b"II*\x00", b"GIF89a", b"MM\x00*"]),
       body=st.binary(max_size=2048))
def test_random_bytes_never_raise(tmp_path_factory: pytest.TempPathFactory, prefix: bytes,
                                  body: bytes) -> None:
    path = tmp_path_factory.mktemp("fuzz") / "fil.pdf"
    path.write_bytes(prefix + body)
    result = inspect_file(path)
    assert result.kind in ("pdf", "image", "office", "spreadsheet", "text", "unsupported",
                           "unknown")
    assert "intake_failed" not in codes(result)
    if not result.usable:
        assert any(f.severity is Severity.ERROR for f in result.findings) or (
            result.pdf_path is None)
