"""Temporary files of killed runs are removed by name and age, and nothing else (issue 8,
defect 6); a failed copy leaves nothing behind."""

from __future__ import annotations

import errno
import os
import shutil
import time
from pathlib import Path
from typing import Any

import pytest

from soknadspakke.core.atomic import STALE_AGE, copy_file_atomic, write_bytes_atomic


def _make(path: Path, *, old: bool = True) -> Path:
    path.write_bytes(b"partial package" * 100)
    if old:
        when = time.time() - STALE_AGE - 60
        os.utime(path, (when, when))
    return path


def test_stale_temporary_files_of_the_same_target_are_removed(tmp_path: Path) -> None:
    stale = _make(tmp_path / ".pakke.pdf.k3j_9xqa.part")
    legacy = _make(tmp_path / ".pakke.pdf.part")
    keep = [
        _make(tmp_path / ".pakke.pdf.abcdefgh.part", old=False),  # another run, writing now
        _make(tmp_path / ".annen.pdf.abcdefgh.part"),  # another file's (not ours to judge)
        _make(tmp_path / "pakke.pdf.abcdefgh.part"),  # not the program's name
        _make(tmp_path / ".pakke.pdf.abcdefgh.part.bak"),
        _make(tmp_path / ".pakke.pdf.ABCDEFGH.part"),  # mkstemp never uses capitals
        _make(tmp_path / ".pakke.pdf.abc.part"),
    ]
    (tmp_path / ".pakke.pdf.folder12.part").mkdir()
    target = tmp_path / "elsewhere.pdf"
    target.write_bytes(b"x")
    (tmp_path / ".pakke.pdf.linkxxxx.part").symlink_to(target)
    write_bytes_atomic(tmp_path / "pakke.pdf", b"%PDF- new")
    assert not stale.exists() and not legacy.exists()
    assert all(p.exists() for p in keep)
    assert (tmp_path / ".pakke.pdf.folder12.part").is_dir()
    assert (tmp_path / ".pakke.pdf.linkxxxx.part").is_symlink() and target.exists()
    assert (tmp_path / "pakke.pdf").read_bytes() == b"%PDF- new"


def test_a_failed_copy_leaves_nothing_and_sweeps_old_leftovers(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = tmp_path / "kilde.pdf"
    source.write_bytes(b"%PDF-1.4 " + b"x" * 3_000_000)
    folder = tmp_path / "vedlegg"
    folder.mkdir()
    old_copy = _make(folder / ".protokoll.pdf.part")  # killed add, earlier version
    old_new = _make(folder / ".dpia.pdf.a1b2c3d4.part")  # killed add, this version
    mine = _make(folder / ".notater.part")  # no extension before .part: not the program's
    real_copy = shutil.copyfileobj

    def full_disk(src: Any, dst: Any, length: int = 0) -> None:
        dst.write(src.read(1_000_000))
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(shutil, "copyfileobj", full_disk)
    with pytest.raises(OSError, match="No space left"):
        copy_file_atomic(source, folder / "kilde.pdf")
    assert sorted(p.name for p in folder.iterdir()) == [".notater.part"]
    assert not old_copy.exists() and not old_new.exists() and mine.exists()
    monkeypatch.setattr(shutil, "copyfileobj", real_copy)
    copy_file_atomic(source, folder / "kilde.pdf")
    assert (folder / "kilde.pdf").read_bytes() == source.read_bytes()
