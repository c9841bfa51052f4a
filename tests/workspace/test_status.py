"""``soknadspakke status``: a workspace of 32 applications in mixed states, in every format."""

from __future__ import annotations

import csv
import io
import json
import os
import time
from pathlib import Path

import pytest

from soknadspakke.cli import main
from soknadspakke.rules.loader import default_pack
from soknadspakke.workspace.locate import find_applications, package_path
from soknadspakke.workspace.status import workspace_status

from .factory import MIX, make_workspace


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, bool | None]]:
    root = tmp_path_factory.mktemp("workspace")
    return root, make_workspace(root)


def test_the_workspace_has_at_least_30_applications_in_every_state(
        workspace: tuple[Path, dict[str, bool | None]]) -> None:
    root, expected = workspace
    assert len(expected) >= 30
    assert set(expected.values()) == {True, False, None}
    assert [p.relative_to(root).as_posix() for p in find_applications(root)] == sorted(expected)


def test_json_lists_every_application_with_its_state(
        workspace: tuple[Path, dict[str, bool | None]],
        capsys: pytest.CaptureFixture[str]) -> None:
    root, expected = workspace
    assert main(["status", str(root), "--format", "json"]) == 0
    entries = json.loads(capsys.readouterr().out)
    assert [e["path"] for e in entries] == sorted(expected)
    for entry in entries:
        assert {"path", "title", "application_type", "ready", "errors", "warnings"} <= set(entry)
        assert entry["ready"] is expected[entry["path"]], entry
        kind = entry["path"].split("/")[0].split("-", 1)[1]
        if expected[entry["path"]] is None:
            assert entry["error"], entry
            continue
        assert "error" not in entry
        assert entry["application_type"] == ("change" if kind == "ready-change" else "new")
        assert (entry["errors"] == 0) is entry["ready"]
        assert entry["title"]
        assert entry["last_change"] and entry["last_build"] is None
    by_kind = {e["path"].split("/")[0].split("-", 1)[1]: e for e in entries}
    assert "newer version" in by_kind["newer-format"]["error"]
    assert "not valid JSON" in by_kind["broken-json"]["error"]
    assert "application_type" in by_kind["impossible-answer"]["error"]
    assert by_kind["missing-document"]["errors"] >= 1
    assert by_kind["ready-new"]["title"].startswith("Prosjekt")


def test_text_table_has_a_row_per_application_and_the_reasons(
        workspace: tuple[Path, dict[str, bool | None]],
        capsys: pytest.CaptureFixture[str]) -> None:
    root, expected = workspace
    assert main(["status", str(root)]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0].split() == ["Application", "Type", "Ready", "Errors", "Warnings", "Last",
                                "change", "Last", "build"]
    rows = {line.split()[0]: line for line in lines[2:2 + len(expected)]}
    assert set(rows) == set(expected)
    for path, ready in expected.items():
        word = {True: "yes", False: "no", None: "cannot be read"}[ready]
        assert f"  {word}  " in rows[path], rows[path]
    assert "New application" in rows[next(p for p in expected if "ready-new" in p)]
    assert "Project change" in rows[next(p for p in expected if "ready-change" in p)]
    unreadable = [p for p, r in expected.items() if r is None]
    for path in unreadable:
        assert any(line.startswith(f"{path}: ") for line in lines)
    counts = {r: list(expected.values()).count(r) for r in (True, False, None)}
    assert lines[-1] == (f"{len(expected)} applications: {counts[True]} ready, "
                         f"{counts[False]} not ready, {counts[None]} cannot be read")


def test_csv_reads_back_in_a_spreadsheet_shape(
        workspace: tuple[Path, dict[str, bool | None]],
        capsys: pytest.CaptureFixture[str]) -> None:
    root, expected = workspace
    assert main(["status", str(root), "--format", "csv", "--lang", "nb"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert rows[0][:5] == ["Søknad", "Type", "Klar", "Feil", "Advarsler"]
    assert len(rows) == len(expected) + 1
    for row in rows[1:]:
        ready = expected[row[0]]
        assert row[2] == {True: "ja", False: "nei", None: "kan ikke leses"}[ready]
        assert row[-1] == ""  # no one has it open
        if ready is None:
            assert row[3] == "" and row[9]
        else:
            assert int(row[3]) >= 0 and row[9] == ""
            assert row[8] in ("new", "change")


def test_last_build_and_an_outdated_package(tmp_path: Path) -> None:
    make_workspace(tmp_path, {"ready-new": (1, MIX["ready-new"][1], True)})
    project_file = find_applications(tmp_path)[0]
    package = package_path(project_file, "en")
    package.write_bytes(b"%PDF-1.7 stand-in")
    past = time.time() - 3600
    for path in project_file.parent.rglob("*"):
        os.utime(path, (past, past))
    os.utime(package, (past + 60, past + 60))
    [status] = workspace_status(tmp_path, default_pack(), lang="en")
    assert status.package == package and not status.build_outdated
    assert status.last_build is not None and status.last_change is not None
    os.utime(project_file, None)  # the application changed after the build
    [status] = workspace_status(tmp_path, default_pack(), lang="en")
    assert status.build_outdated and status.to_dict(tmp_path)["build_outdated"] is True


def test_an_empty_folder_or_a_file_is_refused(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["status", str(tmp_path)]) == 2
    assert "no application" in capsys.readouterr().err
    (tmp_path / "f.txt").write_text("x", encoding="utf-8")
    assert main(["status", str(tmp_path / "f.txt")]) == 2
    assert "not a folder" in capsys.readouterr().err


def test_an_application_open_elsewhere_says_by_whom(tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    from datetime import UTC, datetime

    from soknadspakke.workspace.locks import LockInfo, lock_path

    make_workspace(tmp_path, {"ready-new": (2, MIX["ready-new"][1], True)})
    first, second = find_applications(tmp_path)
    now = datetime.now(UTC)
    lock_path(first).write_text(LockInfo("kari", "PC-KARI", 7, now, now).to_json(),
                                encoding="utf-8")
    assert main(["status", str(tmp_path), "--format", "json"]) == 0
    entries = json.loads(capsys.readouterr().out)
    assert entries[0]["open_by"].startswith("kari on PC-KARI (since ")
    assert entries[1]["open_by"] is None
    assert main(["status", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert f"{first.relative_to(tmp_path).as_posix()}: open in the window by kari on PC-KARI" in out
    assert find_applications(tmp_path) == [first, second]  # the hidden lock is no application
