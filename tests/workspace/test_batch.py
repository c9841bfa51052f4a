"""``soknadspakke build-all``: every ready application built, in parallel; broken ones reported."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pypdf import PdfReader

from soknadspakke.cli import main
from soknadspakke.workspace.batch import BatchResult, Outcome, build_all, plan_jobs
from soknadspakke.workspace.locate import package_path

from .factory import MIX, make_workspace

SMALL_MIX = {kind: (1 if kind != "ready-new" else 3, writer, ready)
             for kind, (_count, writer, ready) in MIX.items()
             if kind in ("ready-new", "ready-change", "missing-dpia", "broken-json")}


def no_partial_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.name.endswith(".part")]


@pytest.mark.slow
def test_a_workspace_of_32_is_built_on_two_processes_with_a_summary(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "ws"
    expected = make_workspace(root)
    code = main(["build-all", str(root), "--jobs", "2", "--format", "json"])
    captured = capsys.readouterr()
    assert code == 1  # some are not ready or cannot be read
    report = json.loads(captured.out)
    by_path = {a["path"]: a for a in report["applications"]}
    assert set(by_path) == set(expected)
    for path, ready in expected.items():
        entry = by_path[path]
        project_file = root / path
        package = package_path(project_file, "en")
        if ready:
            assert entry["outcome"] == "built", entry
            assert Path(entry["output"]) == package
            reader = PdfReader(package)
            assert len(reader.pages) == entry["pages"] > entry["documents"]
            assert reader.metadata is not None and reader.metadata.title
        else:
            assert entry["outcome"] == ("not_ready" if ready is False else "failed"), entry
            assert not package.exists()
            assert entry["problems"] if ready is False else entry["message"]
    counts = {r: list(expected.values()).count(r) for r in (True, False, None)}
    assert report["summary"] == {"built": counts[True], "not_ready": counts[False],
                                 "failed": counts[None]}
    # one progress display: a start line and one line per application, in order of finishing
    progress = captured.err.splitlines()
    assert progress[0] == f"Building {len(expected)} applications …"
    assert [line.split("] ")[0] for line in progress[1:]] == [
        f"[{n}/{len(expected)}" for n in range(1, len(expected) + 1)]
    assert no_partial_files(root) == []


def test_one_failing_application_never_stops_the_others(tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]
                                                        ) -> None:
    expected = make_workspace(tmp_path, SMALL_MIX)
    out = tmp_path / "pakker"
    assert main(["build-all", str(tmp_path), "--out", str(out), "--jobs", "2"]) == 1
    text = capsys.readouterr().out
    built = sorted(p.name for p in out.iterdir())
    assert built == sorted(package_path(tmp_path / p, "en").name
                           for p, ready in expected.items() if ready)
    broken = next(p for p, ready in expected.items() if ready is None)
    not_ready = next(p for p, ready in expected.items() if ready is False)
    assert f"failed     {broken}: " in text
    assert f"not ready  {not_ready}: " in text
    assert "not ready  " in text and "built      " in text
    assert text.rstrip().splitlines()[-1] == (
        "6 applications: 4 built, 1 not ready, 1 failed")


def test_exit_0_when_every_application_was_built_with_the_originals(tmp_path: Path) -> None:
    import zipfile

    make_workspace(tmp_path, {"ready-new": (2, MIX["ready-new"][1], True)})
    assert main(["build-all", str(tmp_path), "--jobs", "1", "--originals"]) == 0
    assert len(list(tmp_path.rglob("*-application-package.pdf"))) == 2
    zips = sorted(tmp_path.rglob("*-originals.zip"))
    assert [z.parent.name for z in zips] == ["01-ready-new", "02-ready-new"]
    with zipfile.ZipFile(zips[0]) as archive:
        assert archive.namelist() == ["01_soknadsskjema.pdf", "02_protokoll.pdf",
                                      "03_variabelliste.xlsx", "04_tilradning.pdf",
                                      "05_dpia.pdf"]
        assert archive.read("02_protokoll.pdf") == (
            zips[0].parent / "vedlegg" / "protokoll.pdf").read_bytes()


def test_in_process_and_worker_processes_give_the_same_results(tmp_path: Path) -> None:
    make_workspace(tmp_path, SMALL_MIX)
    single = build_all(plan_jobs(tmp_path, lang="en", out_dir=tmp_path / "one"), workers=1)
    several = build_all(plan_jobs(tmp_path, lang="en", out_dir=tmp_path / "two"), workers=2)

    def summary(results: list[BatchResult]) -> list[tuple[str, Outcome, int, int]]:
        return [(r.project_file.name, r.outcome, r.pages, r.errors) for r in results]
    assert summary(single) == summary(several)
    assert [r.outcome for r in single].count(Outcome.BUILT) == 4


def test_same_file_names_in_one_output_folder_do_not_collide(tmp_path: Path) -> None:
    writer = MIX["ready-new"][1]
    for folder in ("a", "b"):
        writer(tmp_path / folder, 1).rename(tmp_path / folder / "soknad.soknad")
    jobs = plan_jobs(tmp_path, lang="nb", out_dir=tmp_path / "ut")
    assert [j.output.name for j in jobs] == ["a-soknad-soknadspakke.pdf",
                                             "b-soknad-soknadspakke.pdf"]
    results = build_all(jobs, workers=1)
    assert all(r.outcome is Outcome.BUILT for r in results)
    assert sorted(p.name for p in (tmp_path / "ut").iterdir()) == [
        "a-soknad-soknadspakke.pdf", "b-soknad-soknadspakke.pdf"]


def test_cancel_stops_before_the_next_application(tmp_path: Path) -> None:
    from soknadspakke.core.errors import Cancelled

    make_workspace(tmp_path, {"ready-new": (3, MIX["ready-new"][1], True)})
    seen: list[str] = []
    with pytest.raises(Cancelled):
        build_all(plan_jobs(tmp_path, lang="en"), workers=1,
                  on_result=lambda r: seen.append(r.project_file.name),
                  cancel=lambda: len(seen) >= 1)
    assert len(seen) == 1
    assert len(list(tmp_path.rglob("*.pdf"))) == 3 * 4 + 1  # the attachments + one package
    assert no_partial_files(tmp_path) == []
