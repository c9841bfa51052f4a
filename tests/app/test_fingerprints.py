"""Re-validation without re-hashing unchanged files, and what is proved when (issue 10).

A check trusts a file whose device, inode, size, modification time and status-change time are
what they were when it was last hashed (and that hash was not taken in the same moment as the
last change). A build hashes every file. See ``soknadspakke.core.fingerprints``.
"""

from __future__ import annotations

import os
import shutil
import time
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from soknadspakke.build import NotReadyError, build_package
from soknadspakke.core import fingerprints as fp
from soknadspakke.core.errors import InputFileError
from soknadspakke.core.fingerprints import Fingerprints
from soknadspakke.core.project import Project
from soknadspakke.core.project_file import load_project
from soknadspakke.intake import IntakeCache
from soknadspakke.rules.loader import default_pack
from soknadspakke.validation import IntakeFindings, check_files, validate_project
from tests.rules.builders import PACK, project

from .test_validation import on_disk

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "resources" / "examples" / "ny-soknad"


def _age(memory: Fingerprints, paths: list[Path]) -> None:
    """Make the remembered fingerprints of ``paths`` look taken long after the last change
    (as they are on a real application: files are added well before they are checked)."""
    for path in paths:
        st = path.stat()
        sha = memory.sha256(path, st, trust_stat=False)
        memory.remember(path, st, sha, max(st.st_mtime_ns, st.st_ctime_ns) + fp.RACY_NS)


def _same_size_change(path: Path) -> None:
    """New content of the same size (a PDF stays a valid PDF: its producer's name is
    written in capitals), modification time set back with ``os.utime``."""
    before = path.stat()
    data = path.read_bytes()
    time.sleep(0.05)  # past the file system's clock tick, so that ctime moves
    changed = data.replace(b"ReportLab", b"REPORTLAB")
    path.write_bytes(changed if changed != data else data.upper())
    assert path.read_bytes() != data
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)


def _files(p: Project) -> list[Path]:
    return [p.resolve(d) for d in p.documents]


def test_unchanged_files_are_not_hashed_again(tmp_path: Path) -> None:
    p = on_disk(tmp_path)
    memory = Fingerprints()
    _age(memory, _files(p))
    memory.hashed = 0
    for _ in range(3):
        findings, states = check_files(p, PACK, fingerprints=memory)
        assert findings == []
        assert all(states[d.path].sha256 == d.sha256 for d in p.documents)
    assert memory.hashed == 0
    check_files(p, PACK, fingerprints=memory, rehash=True)
    assert memory.hashed == len(p.documents)


def test_a_fresh_fingerprint_is_not_trusted(tmp_path: Path) -> None:
    """Hashed in the same moment as the file was written: a write in the same clock tick
    would leave every time unchanged, so the file is read again until it is old enough."""
    p = on_disk(tmp_path)
    memory = Fingerprints()
    check_files(p, PACK, fingerprints=memory)
    check_files(p, PACK, fingerprints=memory)
    assert memory.hashed == 2 * len(p.documents)


def test_a_same_size_change_with_the_old_mtime_is_noticed(tmp_path: Path) -> None:
    p = on_disk(tmp_path)
    memory = Fingerprints()
    _age(memory, _files(p))
    changed = p.resolve(p.documents[1])
    _same_size_change(changed)
    findings, _ = check_files(p, PACK, fingerprints=memory)
    assert [(f.code, f.files) for f in findings] == [
        ("document_changed", (p.documents[1].path,))]


def test_a_change_no_stat_shows_is_found_by_rehashing_only(tmp_path: Path) -> None:
    """The limit of a check, pinned: content changed and every stat value forged back (here:
    the remembered entry made to match the new stat) passes a check; ``rehash`` (what a build
    does) finds it."""
    p = on_disk(tmp_path)
    memory = Fingerprints()
    changed = p.resolve(p.documents[1])
    old_sha = p.documents[1].sha256
    assert old_sha is not None
    _same_size_change(changed)
    st = changed.stat()
    memory.remember(changed, st, old_sha, max(st.st_mtime_ns, st.st_ctime_ns) + fp.RACY_NS)
    findings, _ = check_files(p, PACK, fingerprints=memory)
    assert findings == []
    findings, _ = check_files(p, PACK, fingerprints=memory, rehash=True)
    assert [f.code for f in findings] == ["document_changed"]
    findings, _ = check_files(p, PACK, fingerprints=memory)  # and the check learnt it
    assert [f.code for f in findings] == ["document_changed"]


def test_a_build_proves_every_sha256(tmp_path: Path) -> None:
    shutil.copytree(EXAMPLE, tmp_path / "ny-soknad")
    example = load_project(tmp_path / "ny-soknad" / "ny-soknad.soknad")
    pdf_doc = next(d for d in example.documents if d.path.endswith(".pdf"))
    path = example.resolve(pdf_doc)
    cache = IntakeCache(tmp_path / "cache")
    validate_project(example, default_pack(), file_findings=IntakeFindings({}, cache))
    _same_size_change(path)
    st = path.stat()
    assert pdf_doc.sha256 is not None
    fp.SHARED.remember(path, st, pdf_doc.sha256,
                       max(st.st_mtime_ns, st.st_ctime_ns) + fp.RACY_NS)
    try:
        # The check is fooled (its fingerprint matches the forged stat) ...
        report = validate_project(example, default_pack(), today=date(2026, 11, 24),
                                  file_findings=IntakeFindings({}, cache))
        assert "document_changed" not in {f.code for f in report.findings}
        # ... the build is not: it hashes the bytes it copies.
        with pytest.raises(InputFileError, match=path.name):
            build_package(example, default_pack(), tmp_path / "p.pdf", lang="en",
                          cache=cache, today=date(2026, 11, 24))
        assert not (tmp_path / "p.pdf").exists()
    finally:
        fp.SHARED.forget([path])
    with pytest.raises(NotReadyError) as refused:  # hashed again now: a plain change
        build_package(example, default_pack(), tmp_path / "p.pdf", lang="en",
                      cache=cache, today=date(2026, 11, 24))
    assert "document_changed" in {f.code for f in refused.value.report.findings}


def test_moved_or_replaced_files_are_hashed(tmp_path: Path) -> None:
    p = on_disk(tmp_path)
    memory = Fingerprints()
    _age(memory, _files(p))
    a = _files(p)[0]
    before = a.stat()
    replacement = tmp_path / "replacement"
    replacement.write_bytes(a.read_bytes().upper())  # same size, another inode
    os.utime(replacement, ns=(before.st_atime_ns, before.st_mtime_ns))
    replacement.replace(a)
    findings, _ = check_files(p, PACK, fingerprints=memory)
    assert "document_changed" in {f.code for f in findings}


def test_fingerprints_on_disk(tmp_path: Path) -> None:
    p = on_disk(tmp_path)
    memory = Fingerprints()
    _age(memory, _files(p))
    store = tmp_path / "cache" / "fingerprints.json"
    assert memory.save(store)
    again = Fingerprints()
    again.load(store)
    check_files(p, PACK, fingerprints=again)
    assert again.hashed == 0
    store.write_text("{not json", encoding="utf-8")
    broken = Fingerprints()
    broken.load(store)  # ignored
    check_files(p, PACK, fingerprints=broken)
    assert broken.hashed == len(p.documents)


def test_missing_and_folder_still_reported(tmp_path: Path) -> None:
    p = project("new")
    p.path = tmp_path / "soknad.soknad"
    (tmp_path / p.documents[0].path).mkdir(parents=True)
    findings, _ = check_files(p, PACK, fingerprints=Fingerprints())
    found = {f.code for f in findings}
    assert {"document_unreadable", "document_file_missing"} <= found


def test_intake_results_are_reused_for_the_same_content_only(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Re-validating asks intake again only for files whose content changed (or whose
    converted copy went missing from the cache)."""
    from soknadspakke.validation import intake as validation

    shutil.copytree(EXAMPLE, tmp_path / "ny-soknad")
    example = load_project(tmp_path / "ny-soknad" / "ny-soknad.soknad")
    cache = IntakeCache(tmp_path / "cache")
    calls: list[str] = []
    inspect = validation.inspect_file  # type: ignore[attr-defined]

    def counting(path: Path, **kwargs: Any) -> Any:
        calls.append(Path(path).name)
        return inspect(path, **kwargs)

    monkeypatch.setattr(validation, "inspect_file", counting)

    def check() -> set[str]:
        calls.clear()
        report = validate_project(example, default_pack(), today=date(2026, 11, 24),
                                  file_findings=IntakeFindings({}, cache))
        assert report.files
        return set(calls)

    check()
    assert check() == set()
    pdf_doc = next(d for d in example.documents if d.path.endswith(".pdf"))
    _same_size_change(example.resolve(pdf_doc))
    assert check() == {Path(pdf_doc.path).name}
    converted = next(d for d in example.documents if d.path.endswith(".xlsx"))
    for copy in (tmp_path / "cache").rglob("*.pdf"):
        copy.unlink()
    assert Path(converted.path).name in check()
