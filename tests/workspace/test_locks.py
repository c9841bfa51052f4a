"""Shared folders: who has an application open; a lock left by a crash is recognised as stale."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from soknadspakke.workspace.locks import (
    ApplicationLockedError,
    LockInfo,
    acquire_lock,
    current_holder,
    lock_path,
    read_lock,
)


def project(tmp_path: Path) -> Path:
    path = tmp_path / "soknad.soknad"
    path.write_text('{"format": "soknadspakke/1"}', encoding="utf-8")
    return path


def someone_else(path: Path, *, host: str = "PC-KARI", pid: int = 4242,
                 age: timedelta = timedelta(0)) -> LockInfo:
    moment = datetime.now(UTC) - age
    info = LockInfo("kari", host, pid, moment, moment)
    lock_path(path).write_text(info.to_json(), encoding="utf-8")
    return info


def dead_pid() -> int:
    child = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                           capture_output=True, text=True, check=True)
    return int(child.stdout)


def test_acquire_writes_a_hidden_lock_and_release_removes_it(tmp_path: Path) -> None:
    path = project(tmp_path)
    lock = acquire_lock(path)
    assert lock.path == tmp_path / ".soknad.soknad.lock" and lock.path.exists()
    data = json.loads(lock.path.read_text(encoding="utf-8"))
    assert data["format"] == "soknadspakke-lock/1"
    assert data["pid"] == os.getpid() and data["host"] == socket.gethostname()
    assert lock.replaced is None
    assert current_holder(path) is None  # our own lock is no one else's
    again = acquire_lock(path)  # the same process opening it again
    assert again.replaced is None
    lock.release()
    assert not lock.path.exists()


def test_a_live_lock_of_someone_else_is_reported_and_can_be_overridden(tmp_path: Path) -> None:
    path = project(tmp_path)
    someone_else(path)
    with pytest.raises(ApplicationLockedError) as caught:
        acquire_lock(path)
    assert caught.value.holder.user == "kari"
    assert "kari on PC-KARI" in str(caught.value)
    holder = current_holder(path)
    assert holder is not None and holder.host == "PC-KARI"
    lock = acquire_lock(path, force=True)
    assert lock.replaced is not None and "kari on PC-KARI" in lock.replaced
    info = read_lock(path)
    assert info is not None and info.is_mine


def test_a_lock_left_by_a_crashed_program_on_this_machine_is_stale(tmp_path: Path) -> None:
    path = project(tmp_path)
    someone_else(path, host=socket.gethostname(), pid=dead_pid())
    assert current_holder(path) is None
    lock = acquire_lock(path)
    assert lock.replaced == "the program that held it is no longer running"
    info = read_lock(path)
    assert info is not None and info.is_mine


def test_a_lock_from_another_machine_without_heartbeat_is_stale(tmp_path: Path) -> None:
    path = project(tmp_path)
    someone_else(path, age=timedelta(minutes=9))
    with pytest.raises(ApplicationLockedError):
        acquire_lock(path)
    someone_else(path, age=timedelta(minutes=11))
    lock = acquire_lock(path)
    assert lock.replaced is not None and lock.replaced.startswith("it was last confirmed at")


def test_a_broken_lock_file_is_taken_over(tmp_path: Path) -> None:
    path = project(tmp_path)
    lock_path(path).write_text('{"format": "soknadspakke-lock/1", "us', encoding="utf-8")
    lock = acquire_lock(path)
    assert lock.replaced == "the lock file could not be read"


def test_refresh_and_release_respect_a_takeover(tmp_path: Path) -> None:
    path = project(tmp_path)
    lock = acquire_lock(path)
    first = lock.info.heartbeat
    assert lock.refresh() and lock.info.heartbeat >= first
    someone_else(path)  # a colleague opened it anyway
    assert not lock.refresh()
    lock.release()
    info = read_lock(path)
    assert info is not None and info.user == "kari"  # their lock is left alone
