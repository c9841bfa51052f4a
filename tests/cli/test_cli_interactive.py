"""``soknadspakke init`` on a terminal asks the questions that apply, in order."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from soknadspakke.core.project_file import load_project
from soknadspakke.rules.answers import answer_problems
from soknadspakke.rules.loader import default_pack

from .conftest import REPO

pty = pytest.importorskip("pty", reason="needs a pseudo-terminal (POSIX)")


def test_init_asks_on_a_terminal_and_re_asks_an_impossible_answer(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SOKNADSPAKKE_")}
    env["PYTHONPATH"] = str(REPO / "desktop")
    master, slave = pty.openpty()
    lines = ["2",            # application_type: change
             "",             # change_types: none — impossible, asked again
             "1,5",          # change_types
             "2020-01-01",   # legal_basis_date
             "nei",          # basis_covers_change
             "nei",          # health_research
             "",             # other_data_owners: none
             "nei",          # consent_based
             "",             # identifying_vars: none
             "ja"]           # ssb_lists_exist
    try:
        os.write(master, ("\n".join(lines) + "\n").encode())
        result = subprocess.run(
            [sys.executable, "-m", "soknadspakke", "init", "p", "--lang", "en",
             "--title", "T", "--leader", "L", "--institution", "I", "--org-number", "123456785",
             "--email", "a@b.no", "--start", "2025-01-01", "--end", "2026-01-01"],
            cwd=tmp_path, env=env, stdin=slave, capture_output=True, text=True, timeout=60,
            check=False)
    finally:
        os.close(slave)
        os.close(master)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "choose at least 1" in result.stdout
    project = load_project(tmp_path / "p" / "p.soknad")
    assert answer_problems(project, default_pack()) == []
    assert project.answers == {
        "application_type": "change", "change_types": ["new_project_member", "new_variables"],
        "legal_basis_date": "2020-01-01", "basis_covers_change": False,
        "health_research": False, "other_data_owners": [], "consent_based": False,
        "identifying_vars": [], "ssb_lists_exist": True}
