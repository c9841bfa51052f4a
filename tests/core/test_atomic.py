"""Atomic writes: readers see the old file or the new one, never a mixture or a leftover."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from soknadspakke.core.atomic import atomic_writer, write_bytes_atomic, write_text_atomic


def _names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_new_file(tmp_path: Path) -> None:
    target = tmp_path / "ut.bin"
    write_bytes_atomic(target, b"\x00\x01data")
    assert target.read_bytes() == b"\x00\x01data"
    assert _names(tmp_path) == ["ut.bin"]


def test_replaces_existing_file(tmp_path: Path) -> None:
    target = tmp_path / "ut.txt"
    target.write_text("gammel", encoding="utf-8")
    write_text_atomic(target, "ny æøå\r\n")
    assert target.read_bytes() == "ny æøå\r\n".encode()
    assert _names(tmp_path) == ["ut.txt"]


def test_target_is_untouched_until_the_block_ends(tmp_path: Path) -> None:
    target = tmp_path / "ut.txt"
    target.write_bytes(b"old")
    with atomic_writer(target) as handle:
        handle.write(b"new")
        handle.flush()
        assert target.read_bytes() == b"old"
        parts = [n for n in _names(tmp_path) if n.endswith(".part")]
        assert len(parts) == 1
        assert parts[0].startswith(".ut.txt.")
        assert (tmp_path / parts[0]).read_bytes() == b"new"
    assert target.read_bytes() == b"new"
    assert _names(tmp_path) == ["ut.txt"]


@pytest.mark.parametrize("error", [RuntimeError("boom"), KeyboardInterrupt()])
def test_exception_leaves_target_and_no_temp_file(tmp_path: Path,
                                                  error: BaseException) -> None:
    target = tmp_path / "ut.txt"
    target.write_bytes(b"old")
    with pytest.raises(type(error)), atomic_writer(target) as handle:
        handle.write(b"half")
        raise error
    assert target.read_bytes() == b"old"
    assert _names(tmp_path) == ["ut.txt"]


def test_exception_without_previous_file_leaves_nothing(tmp_path: Path) -> None:
    target = tmp_path / "ut.txt"
    with pytest.raises(RuntimeError), atomic_writer(target) as handle:
        handle.write(b"half")
        raise RuntimeError
    assert _names(tmp_path) == []


def test_failing_fsync_leaves_target(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "ut.txt"
    target.write_bytes(b"old")

    def broken(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", broken)
    with pytest.raises(OSError, match="No space left"):
        write_bytes_atomic(target, b"new")
    assert target.read_bytes() == b"old"
    assert _names(tmp_path) == ["ut.txt"]


def test_data_is_synced_before_the_rename(tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "ut.txt"
    order: list[str] = []
    real_fsync, real_replace = os.fsync, Path.replace

    def fsync(fd: int) -> None:
        order.append("fsync")
        real_fsync(fd)

    def replace(self: Path, other: Path) -> Path:
        order.append("replace")
        return real_replace(self, other)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(Path, "replace", replace)
    write_bytes_atomic(target, b"x")
    assert order == ["fsync", "replace"]


def test_creates_missing_folders(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "ut.txt"
    write_text_atomic(target, "x")
    assert target.read_text(encoding="utf-8") == "x"


def test_accepts_a_string_path(tmp_path: Path) -> None:
    target = tmp_path / "ut.txt"
    write_bytes_atomic(str(target), b"x")  # type: ignore[arg-type]
    assert target.read_bytes() == b"x"


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
def test_replacing_keeps_the_files_mode(tmp_path: Path) -> None:
    target = tmp_path / "shared.soknad"
    target.write_bytes(b"old")
    target.chmod(0o640)
    write_bytes_atomic(target, b"new")
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
def test_a_new_file_gets_the_umask_mode_not_a_private_one(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        reference = tmp_path / "plain.txt"
        reference.write_bytes(b"x")
        target = tmp_path / "atomic.txt"
        write_bytes_atomic(target, b"x")
        assert stat.S_IMODE(target.stat().st_mode) == stat.S_IMODE(reference.stat().st_mode)
    finally:
        os.umask(old)
