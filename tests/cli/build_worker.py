"""Talking to ``soknadspakke build-worker`` as the window does (tests of the worker, from a
checkout and frozen)."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any


def request_for(project: Path, out: Path) -> dict[str, Any]:
    """The window's request: build ``project`` (final, bokmål) to ``out``."""
    return {"project": json.loads(project.read_text(encoding="utf-8")),
            "project_path": str(project), "out": str(out), "lang": "nb", "draft": False,
            "passwords": {}, "options": {}, "rules": None}


def talk_to_build_worker(command: Sequence[str], request: Mapping[str, Any], *,
                         env: Mapping[str, str], cwd: Path | None = None
                         ) -> tuple[int, list[dict[str, Any]], str]:
    """Send ``request`` as one UTF-8 JSON line, read events until the first that is not
    progress, then close stdin (like the window: it stays open while the build runs, its end
    means "cancel"). Returns the exit code, the events and stderr."""
    with subprocess.Popen(list(command), cwd=cwd, env=dict(env), stdin=subprocess.PIPE,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE) as process:
        assert process.stdin and process.stdout and process.stderr
        events: list[dict[str, Any]] = []
        try:
            process.stdin.write((json.dumps(request, ensure_ascii=False) + "\n")
                                .encode("utf-8"))
            process.stdin.flush()
            for raw in process.stdout:
                events.append(json.loads(raw.decode("utf-8")))
                if events[-1]["event"] != "progress":
                    break
            process.stdin.close()
            code = process.wait(timeout=120)
            stderr = process.stderr.read().decode("utf-8", "replace")
        finally:
            if process.poll() is None:
                process.kill()
    return code, events, stderr
