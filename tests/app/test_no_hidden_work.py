"""Nothing on the way to validate or build recomputes what intake cached (issue 10).

On a terminal, ``validate`` and ``build`` used to inspect every file once more, with type
suggestions over every cached page's text, only to find out whether one needs a password. Now a
password is asked for where validation meets an encrypted PDF, in its one pass over the files.
"""

from __future__ import annotations

import io
import shutil
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from soknadspakke.cli import main
from soknadspakke.core.project import Document
from soknadspakke.core.project_file import load_project, save_project
from soknadspakke.intake import IntakeCache
from soknadspakke.intake import cache as intake_cache
from soknadspakke.intake import flow as inspector

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "resources" / "examples" / "ny-soknad"


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture
def example(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(EXAMPLE, tmp_path / "ny-soknad")
    monkeypatch.setenv("SOKNADSPAKKE_CACHE", str(tmp_path / "cache"))
    return tmp_path / "ny-soknad" / "ny-soknad.soknad"


def _count_calls(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    calls = {"load_texts": 0, "suggest": 0}
    load_texts = IntakeCache.load_texts
    suggest = inspector.suggest_types  # type: ignore[attr-defined]

    def counting_load_texts(self: IntakeCache, sha256: str) -> list[str] | None:
        calls["load_texts"] += 1
        return load_texts(self, sha256)

    def counting_suggest(name: str, texts: object, keywords: object) -> object:
        if keywords:
            calls["suggest"] += 1
        return suggest(name, texts, keywords)  # type: ignore[arg-type]

    monkeypatch.setattr(intake_cache.IntakeCache, "load_texts", counting_load_texts)
    monkeypatch.setattr(inspector, "suggest_types", counting_suggest)
    return calls


@pytest.mark.parametrize("command", ["validate", "build"])
def test_a_terminal_costs_no_extra_intake(example: Path, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch,
                                          command: str) -> None:
    assert main(["validate", str(example), "--format", "json"]) == 0  # fills the cache
    calls = _count_calls(monkeypatch)
    monkeypatch.setattr(sys, "stdin", _Terminal())
    args = [command, str(example)] + (["-o", str(tmp_path / "p.pdf"), "--quiet"]
                                      if command == "build" else [])
    assert main(args) == 0
    assert calls == {"load_texts": 0, "suggest": 0}


def _encrypted_copy(source: Path, target: Path, password: str) -> None:
    writer = PdfWriter(clone_from=PdfReader(source))
    writer.encrypt(user_password=password, owner_password=password + "-owner",
                   algorithm="RC4-128")
    with target.open("wb") as handle:
        writer.write(handle)


def _with_encrypted_document(project_path: Path) -> int:
    """Adds an encrypted copy of the example's first PDF; returns its page count."""
    project = load_project(project_path)
    first = next(d for d in project.documents if d.path.endswith(".pdf"))
    target = project.base_dir / "vedlegg" / "hemmelig.pdf"
    _encrypted_copy(project.resolve(first), target, "sesam")
    from soknadspakke.validation import sha256_of

    project.documents.append(Document("vedlegg/hemmelig.pdf", ["other"],
                                      sha256=sha256_of(target)))
    save_project(project, project_path)
    return len(PdfReader(project.resolve(first)).pages)


def test_build_on_a_terminal_asks_once_for_an_encrypted_pdf(
        example: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    extra = _with_encrypted_document(example)
    asked: list[str] = []

    def answer(prompt: str) -> str:
        asked.append(prompt)
        return "sesam"

    monkeypatch.setattr(sys, "stdin", _Terminal())
    monkeypatch.setattr("getpass.getpass", answer)
    out = tmp_path / "p.pdf"
    assert main(["build", str(example), "-o", str(out), "--quiet"]) == 0
    assert len(asked) == 1 and "hemmelig.pdf" in asked[0]
    pages = PdfReader(out).pages
    assert len(pages) == 19 + extra  # the example's package and the decrypted copy


def test_no_prompt_when_piped_or_for_json(example: Path, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    _with_encrypted_document(example)
    monkeypatch.setattr("getpass.getpass", lambda prompt: pytest.fail("asked: " + prompt))
    assert main(["validate", str(example)]) == 1  # stdin is not a terminal under pytest
    assert "hemmelig.pdf" in capsys.readouterr().out
    monkeypatch.setattr(sys, "stdin", _Terminal())
    assert main(["validate", str(example), "--format", "json"]) == 1
    assert "password_required" in capsys.readouterr().out
