"""LibreOffice never runs past its time limit, and leaves no process behind (issue 8: a bomb
kept soffice.bin running, detached, after the program had given up on it)."""

from __future__ import annotations

import os
import sys
import threading
import time
from pathlib import Path

import pytest

from soknadspakke.intake import convert

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="a POSIX shell script")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    status = Path(f"/proc/{pid}/status")
    return not (status.is_file() and "State:\tZ" in status.read_text())


@pytest.mark.parametrize("tail", ["exit 0", "wait"])
def test_a_stuck_conversion_is_stopped_with_everything_it_started(tmp_path: Path, tail: str
                                                                   ) -> None:
    pid_file = tmp_path / "child.pid"
    fake = tmp_path / "soffice"
    # Like soffice: the program started exits at once (or waits), the real worker runs on,
    # holding the output it inherited, until the time limit.
    fake.write_text(f"#!/bin/sh\nsleep 300 &\necho $! > {pid_file}\n{tail}\n",
                    encoding="utf-8")
    fake.chmod(0o755)
    outcome: list[BaseException | bytes] = []

    def run() -> None:
        try:
            outcome.append(convert.office_to_pdf(b"data", "docx", str(fake), timeout=2))
        except BaseException as exc:
            outcome.append(exc)

    started = time.monotonic()
    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(timeout=30)
    assert not worker.is_alive(), "the conversion did not return within its bound"
    assert time.monotonic() - started < 30
    assert isinstance(outcome[0], convert.ConversionError)
    child = int(pid_file.read_text())
    for _ in range(50):
        if not _alive(child):
            break
        time.sleep(0.1)
    assert not _alive(child), "the detached worker was left running"
