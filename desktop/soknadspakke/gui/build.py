"""Building the package from the window, in a process of its own.

A build on a thread of the window's process would freeze the window now and then (the
interpreter is shared; GUI.md §4 measured 89–124 ms stalls), so :class:`BuildProcess` runs
``soknadspakke build-worker`` (see ``cli/worker_cmd.py``) with :class:`QProcess` and reads its
JSON lines. Cancel asks the worker to stop (it leaves no file); a worker that does not stop
within a few seconds is killed.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QProcess, QTimer, Signal

from soknadspakke.core.i18n import _
from soknadspakke.core.project import Project
from soknadspakke.core.project_file import project_to_dict

KILL_AFTER_MS = 5000


def worker_command() -> tuple[str, list[str]]:
    """How to start this program's build worker (a frozen bundle is its own executable)."""
    if getattr(sys, "frozen", False):
        return sys.executable, ["build-worker"]
    return sys.executable, ["-m", "soknadspakke", "build-worker"]


@dataclass(frozen=True)
class BuildRequest:
    project: Project
    out: Path
    lang: str
    draft: bool
    passwords: dict[str, str]
    options: dict[str, str]
    rules: Path | None = None

    def to_json(self) -> str:
        assert self.project.path is not None
        return json.dumps({
            "project": project_to_dict(self.project), "project_path": str(self.project.path),
            "out": str(self.out), "lang": self.lang, "draft": self.draft,
            "passwords": self.passwords, "options": self.options,
            "rules": str(self.rules) if self.rules else None,
        }, ensure_ascii=False)


class BuildProcess(QObject):
    """One build; emits :attr:`progress`, then, once the process has ended, exactly one of the
    outcome signals."""

    progress = Signal(int, int, str)
    done = Signal(dict)  # path, pages, documents, skipped
    not_ready = Signal(list)  # error messages
    failed = Signal(str)
    cancelled = Signal()

    def __init__(self, request: BuildRequest, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.request = request
        self.process = QProcess(self)
        self.process.setProcessChannelMode(QProcess.ProcessChannelMode.SeparateChannels)
        self.process.readyReadStandardOutput.connect(self._read)
        self.process.finished.connect(self._finished)
        self.process.errorOccurred.connect(self._error)
        self._buffer = b""
        self._result: dict[str, Any] | None = None
        self._outcome: str | None = None
        self._cancelling = False
        self._kill_timer = QTimer(self)
        self._kill_timer.setSingleShot(True)
        self._kill_timer.timeout.connect(self.process.kill)

    def start(self) -> None:
        program, args = worker_command()
        self.process.start(program, args)
        self.process.write((self.request.to_json() + "\n").encode())

    def cancel(self) -> None:
        if self.process.state() == QProcess.ProcessState.NotRunning or self._cancelling:
            return
        self._cancelling = True
        self.process.write(b"cancel\n")
        self._kill_timer.start(KILL_AFTER_MS)

    @property
    def running(self) -> bool:
        return self.process.state() != QProcess.ProcessState.NotRunning

    def _read(self) -> None:
        self._buffer += bytes(self.process.readAllStandardOutput().data())
        *lines, self._buffer = self._buffer.split(b"\n")
        for line in lines:
            if line.strip():
                self._handle(line)

    def _handle(self, line: bytes) -> None:
        try:
            message: dict[str, Any] = json.loads(line)
        except ValueError:
            return
        event = message.get("event")
        if event == "progress":
            self.progress.emit(int(message["done"]), int(message["total"]),
                               str(message.get("message", "")))
        elif event in ("done", "not_ready", "error", "cancelled"):
            self._result = message  # told when the process has ended (see _finished)

    def _finished(self, exit_code: int, _status: QProcess.ExitStatus) -> None:
        self._kill_timer.stop()
        self._read()
        if self._buffer.strip():
            self._handle(self._buffer)
            self._buffer = b""
        if self._outcome is not None:
            return
        result = self._result
        if result is not None:
            event = str(result.get("event"))
            self._outcome = event
            if event == "done":
                self.done.emit(result)
            elif event == "not_ready":
                self.not_ready.emit(list(result.get("errors", [])))
            elif event == "error":
                self.failed.emit(str(result.get("message", "")))
            else:
                self.cancelled.emit()
            return
        self._outcome = "failed"
        if self._cancelling:
            self.cancelled.emit()
            return
        detail = bytes(self.process.readAllStandardError().data()).decode(errors="replace")
        self.failed.emit(_("The build stopped unexpectedly (exit code {code}). {detail}").format(
            code=exit_code, detail=detail.strip()[-500:]))

    def _error(self, error: QProcess.ProcessError) -> None:
        if error == QProcess.ProcessError.FailedToStart and self._outcome is None:
            self._outcome = "failed"
            self.failed.emit(_("The build could not be started: {reason}").format(
                reason=self.process.errorString()))
