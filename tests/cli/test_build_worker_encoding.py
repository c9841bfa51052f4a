"""The window's build worker speaks UTF-8 on its pipes whatever the locale's encoding is
(Windows: cp1252), so projects in folders such as "Søknad" build."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from pypdf import PdfReader

from .build_worker import request_for, talk_to_build_worker

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "resources" / "examples" / "ny-soknad" / "ny-soknad.soknad"


def test_worker_reads_and_writes_utf8_under_a_cp1252_locale(tmp_path: Path) -> None:
    folder = tmp_path / "Søknad æøå"
    shutil.copytree(EXAMPLE.parent, folder)
    project = folder / EXAMPLE.name
    out = folder / "pakke-ø.pdf"
    request = request_for(project, out)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env.update(PYTHONPATH=str(REPO / "desktop"), PYTHONIOENCODING="cp1252",
               SOKNADSPAKKE_CACHE=str(tmp_path / "cache"))
    code, events, stderr = talk_to_build_worker(
        [sys.executable, "-m", "soknadspakke", "build-worker"], request, env=env)
    assert code == 0, (events[-1:], stderr)
    assert events[-1]["event"] == "done"
    assert events[-1]["path"] == str(out)
    assert any(e["event"] == "progress" for e in events)
    assert len(PdfReader(out).pages) == events[-1]["pages"] > 9
