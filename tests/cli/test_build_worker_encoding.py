"""The window's build worker speaks UTF-8 on its pipes whatever the locale's encoding is
(Windows: cp1252), so projects in folders such as "Søknad" build."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from pypdf import PdfReader

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "resources" / "examples" / "ny-soknad" / "ny-soknad.soknad"


def test_worker_reads_and_writes_utf8_under_a_cp1252_locale(tmp_path: Path) -> None:
    folder = tmp_path / "Søknad æøå"
    shutil.copytree(EXAMPLE.parent, folder)
    project = folder / EXAMPLE.name
    out = folder / "pakke-ø.pdf"
    request = {"project": json.loads(project.read_text(encoding="utf-8")),
               "project_path": str(project), "out": str(out), "lang": "nb", "draft": False,
               "passwords": {}, "options": {}, "rules": None}
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env.update(PYTHONPATH=str(REPO / "desktop"), PYTHONIOENCODING="cp1252",
               SOKNADSPAKKE_CACHE=str(tmp_path / "cache"))
    # Like the window: stdin stays open while the build runs (its end means "cancel").
    with subprocess.Popen([sys.executable, "-m", "soknadspakke", "build-worker"],
                          stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, env=env) as process:
        assert process.stdin is not None and process.stdout is not None
        assert process.stderr is not None
        try:
            process.stdin.write((json.dumps(request, ensure_ascii=False) + "\n")
                                .encode("utf-8"))
            process.stdin.flush()
            events = []
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
    assert code == 0, (events[-1:], stderr)
    assert events[-1]["event"] == "done"
    assert events[-1]["path"] == str(out)
    assert any(e["event"] == "progress" for e in events)
    assert len(PdfReader(out).pages) == events[-1]["pages"] > 9
