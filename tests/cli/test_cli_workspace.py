"""The administrators' commands as real processes: status, build-all, new-change, email."""

from __future__ import annotations

import email
import json
from email import policy
from pathlib import Path

from pypdf import PdfReader

from .conftest import Cli, write_project


def test_status_build_all_new_change_and_email(cli: Cli, tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    ready = write_project(ws / "a", name="a.soknad")
    write_project(ws / "b", name="b.soknad", docs=[("vedlegg/protokoll.pdf",
                                                    ["research_protocol"])])
    (ws / "c").mkdir()
    (ws / "c" / "c.soknad").write_text("not json", encoding="utf-8")

    done = cli("--lang", "en", "status", ws, "--format", "json")
    assert done.returncode == 0, done.stderr
    entries = json.loads(done.stdout)
    assert [(e["path"], e["ready"]) for e in entries] == [
        ("a/a.soknad", True), ("b/b.soknad", False), ("c/c.soknad", None)]
    assert "not valid JSON" in entries[2]["error"]

    done = cli("--lang", "en", "build-all", ws, "--jobs", "2")
    assert done.returncode == 1
    assert "3 applications: 1 built, 1 not ready, 1 failed" in done.stdout
    assert "[3/3]" in done.stderr and "Traceback" not in done.stderr
    package = ws / "a" / "a-application-package.pdf"
    assert len(PdfReader(package).pages) > 5

    done = cli("--lang", "en", "new-change", ready, tmp_path / "endring")
    assert done.returncode == 0, done.stderr
    change = json.loads((tmp_path / "endring" / "endring.soknad").read_text(encoding="utf-8"))
    assert change["answers"]["application_type"] == "change"
    assert change["documents"] == []

    done = cli("--lang", "en", "email", ready, "-o", tmp_path / "utkast.eml")
    assert done.returncode == 0, done.stderr
    message = email.message_from_bytes((tmp_path / "utkast.eml").read_bytes(),
                                       policy=policy.default)
    assert message["To"] == "mikrodata@ssb.no" and message["X-Unsent"] == "1"
    names = [part.get_filename() for part in message.iter_attachments()]
    assert names == ["a-application-package.pdf", "variabelliste.xlsx"]
