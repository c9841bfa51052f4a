"""Validation: the engine plus the files on disk; the JSON report; the text report."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from soknadspakke.core.errors import Cancelled
from soknadspakke.core.findings import Finding, Severity
from soknadspakke.core.i18n import LANGUAGES, T, Text
from soknadspakke.core.project import Document, Project
from soknadspakke.rules.schema import GeneralCheck
from soknadspakke.validation import (
    REPORT_FORMAT,
    Report,
    check_files,
    fact_label,
    format_report_text,
    sha256_of,
    validate_project,
)
from tests.rules.builders import PACK, TODAY, base_docs, doc, info, project

E, W, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO


def write(folder: Path, rel: str, content: bytes) -> str:
    path = folder / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return hashlib.sha256(content).hexdigest()


def on_disk(tmp_path: Path, kind: str = "new", **changes: Any) -> Project:
    """The base application with a real, fingerprinted file for every document."""
    p = project(kind, **changes)
    for i, d in enumerate(p.documents):
        d.sha256 = write(tmp_path, d.path, f"content {i} of {d.path}".encode())
    p.path = tmp_path / "soknad.soknad"
    return p


def codes(findings: list[Finding]) -> list[str]:
    return [f.code for f in findings]


def test_sha256_of_matches_hashlib(tmp_path: Path) -> None:
    data = b"x" * (3 * 1024 * 1024 + 5)
    (tmp_path / "f").write_bytes(data)
    assert sha256_of(tmp_path / "f") == hashlib.sha256(data).hexdigest()


def test_files_in_order(tmp_path: Path) -> None:
    p = on_disk(tmp_path)
    findings, states = check_files(p, PACK)
    assert findings == []
    assert set(states) == {d.path for d in p.documents}
    for d in p.documents:
        state = states[d.path]
        assert state.exists and state.sha256 == d.sha256 and state.size > 0


def test_missing_file(tmp_path: Path) -> None:
    p = on_disk(tmp_path)
    (tmp_path / "vedlegg" / "dpia.pdf").unlink()
    findings, states = check_files(p, PACK)
    [f] = findings
    assert (f.code, f.severity, f.files, f.document_types) == (
        "document_file_missing", E, ("vedlegg/dpia.pdf",), ("dpia",))
    assert "vedlegg/dpia.pdf" in f.message.render("nb")
    assert not states["vedlegg/dpia.pdf"].exists


def test_folder_is_unreadable(tmp_path: Path) -> None:
    p = on_disk(tmp_path)
    p.documents.append(doc("mappe", "other"))
    (tmp_path / "mappe").mkdir()
    findings, states = check_files(p, PACK)
    [f] = findings
    assert (f.code, f.severity, f.files) == ("document_unreadable", E, ("mappe",))
    assert states["mappe"].exists and states["mappe"].sha256 is None


def test_changed_file(tmp_path: Path) -> None:
    p = on_disk(tmp_path)
    (tmp_path / "vedlegg" / "protokoll.pdf").write_bytes(b"another version")
    findings, _ = check_files(p, PACK)
    [f] = findings
    assert (f.code, f.severity, f.files) == ("document_changed", E, ("vedlegg/protokoll.pdf",))


def test_not_fingerprinted(tmp_path: Path) -> None:
    p = on_disk(tmp_path)
    p.documents[0].sha256 = None
    findings, _ = check_files(p, PACK)
    [f] = findings
    assert (f.code, f.severity) == ("document_not_fingerprinted", INFO)


def test_duplicate_by_content(tmp_path: Path) -> None:
    p = on_disk(tmp_path)
    sha = write(tmp_path, "kopi.pdf", (tmp_path / "vedlegg" / "dpia.pdf").read_bytes())
    p.documents.append(Document("kopi.pdf", ["other"], sha256=sha))
    findings, _ = check_files(p, PACK)
    [f] = findings
    assert (f.code, f.severity) == ("duplicate_document", W)
    assert f.files == ("kopi.pdf", "vedlegg/dpia.pdf")
    assert "vedlegg/dpia.pdf" in f.message.render("en")


def test_duplicate_by_path(tmp_path: Path) -> None:
    p = on_disk(tmp_path)
    first = p.documents[1]
    p.documents.append(Document(first.path, ["other"], sha256=first.sha256))
    findings, _ = check_files(p, PACK)
    assert codes(findings) == ["duplicate_document"]
    assert findings[0].files == (first.path,)


def _with_size_limit(max_mb: float) -> Any:
    check = dataclasses.replace(PACK.checks["package_size"], parameters={"max_mb": max_mb})
    return dataclasses.replace(PACK, checks={**PACK.checks, "package_size": check})


def test_package_too_large_with_a_small_limit(tmp_path: Path) -> None:
    p = on_disk(tmp_path)
    findings, _ = check_files(p, _with_size_limit(0.0001))
    [f] = findings
    assert (f.code, f.severity, f.source) == ("package_too_large", W, ("S4",))
    assert set(f.guidance) == {"S4"}
    for lang in LANGUAGES:
        assert "0.0001" in f.message.render(lang)
    assert f.message.render("nb") != f.message.render("en")
    assert check_files(p, _with_size_limit(1))[0] == []


def test_package_too_large_with_a_big_sparse_file(tmp_path: Path) -> None:
    p = on_disk(tmp_path)
    p.documents.append(doc("stor.pdf", "other"))
    with (tmp_path / "stor.pdf").open("wb") as handle:
        handle.truncate(21 * 1024 * 1024)
    p.documents[-1].sha256 = sha256_of(tmp_path / "stor.pdf")
    findings, states = check_files(p, PACK)
    assert codes(findings) == ["package_too_large"]
    assert "21.0" in findings[0].message.render("en") and "20" in findings[0].message.render("en")
    assert states["stor.pdf"].size == 21 * 1024 * 1024


def test_no_size_check_without_the_pack_check(tmp_path: Path) -> None:
    pack = dataclasses.replace(PACK, checks={k: v for k, v in PACK.checks.items()
                                             if k != "package_size"})
    assert check_files(on_disk(tmp_path), pack)[0] == []


def test_progress_extra_findings_and_cancel(tmp_path: Path) -> None:
    p = on_disk(tmp_path)
    seen: list[tuple[int, int, Text]] = []
    extra = Finding(W, "intake_note", T("note"))
    findings, _ = check_files(p, PACK, progress=lambda i, n, name: seen.append((i, n, name)),
                              file_findings=lambda d, path, sha: [extra] if d is p.documents[0]
                              else [])
    assert findings == [extra]
    assert seen[0] == (0, 5, p.documents[0].path) and seen[-1] == (5, 5, "")
    with pytest.raises(Cancelled):
        check_files(p, PACK, cancel=lambda: True)


def test_validate_project_merges_and_sorts(tmp_path: Path) -> None:
    p = on_disk(tmp_path)
    p.documents.append(doc("mangler.pdf", "other"))
    report = validate_project(p, PACK, today=TODAY)
    assert not report.ready
    assert [f.code for f in report.findings if f.is_error] == ["document_file_missing"]
    ranks = [f.severity.rank for f in report.findings]
    assert ranks == sorted(ranks)
    assert report.counts()[E] == 1
    without_files = validate_project(p, PACK, today=TODAY, files=False)
    assert without_files.ready and without_files.files == {}


# -- the JSON report ---------------------------------------------------------------------------
FINDING_KEYS = {"severity", "code", "rule", "document_types", "files", "source", "message"}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_json_report_shape(tmp_path: Path, lang: str) -> None:
    p = on_disk(tmp_path, drop_types=["dpia"], info_changes={"contact_email": "x"})
    report = validate_project(p, PACK, today=TODAY)
    data = json.loads(json.dumps(report.to_dict(lang), ensure_ascii=False))
    assert data["format"] == REPORT_FORMAT == "soknadspakke-report/1"
    assert data["ready"] is False
    assert data["rule_pack"] == {"id": PACK.id, "version": PACK.version}
    assert data["summary"] == {"error": 1, "warning": 1, "info": 1}
    assert data["facts"]["era"] == "post_gdpr"
    assert data["facts"]["legal_basis_date"] == "2020-03-01"
    for finding in data["findings"]:
        assert set(finding) >= FINDING_KEYS
        assert finding["severity"] in ("error", "warning", "info")
        assert isinstance(finding["document_types"], list)
        assert isinstance(finding["files"], list) and isinstance(finding["source"], list)
        assert isinstance(finding["message"], str) and finding["message"]
    n7 = next(f for f in data["findings"] if f["rule"] == "N7")
    assert n7 == {**n7, "severity": "error", "code": "missing_document",
                  "document_types": ["dpia", "dpia_negative"], "files": [], "source": ["S12"]}
    expected = next(f for f in report.findings if f.rule == "N7").message.render(lang)
    assert n7["message"] == expected
    for type_id in ("dpia", "dpia_negative"):
        assert PACK.type_name(type_id).render(lang) in expected
    assert n7["guidance"] == {"S12": PACK.guidance["S12"].render(lang)}
    email = next(f for f in data["findings"] if f["code"] == "invalid_email")
    assert email["rule"] is None and email["field"] == "project.contact_email"
    assert {s["rule"] for s in data["satisfied"]} == {"N1", "N2", "N3", "N7a"}


def test_json_report_languages_differ(tmp_path: Path) -> None:
    report = validate_project(on_disk(tmp_path, drop_types=["dpia"]), PACK, today=TODAY)
    nb, en = report.to_dict("nb"), report.to_dict("en")
    n7 = [next(f for f in d["findings"] if f["rule"] == "N7") for d in (nb, en)]
    assert n7[0]["message"] != n7[1]["message"]
    assert {k: v for k, v in n7[0].items() if k not in ("message", "guidance")} == \
        {k: v for k, v in n7[1].items() if k not in ("message", "guidance")}


# -- the text report ---------------------------------------------------------------------------
@pytest.mark.parametrize("lang", LANGUAGES)
def test_text_report_not_ready(tmp_path: Path, lang: str) -> None:
    report = validate_project(on_disk(tmp_path, drop_types=["dpia"]), PACK, today=TODAY)
    text = format_report_text(report, lang, title="Arbeid og helse")
    assert T("NOT READY").render(lang) in text
    assert "Arbeid og helse" in text
    assert PACK.name.render(lang) in text and PACK.version in text
    assert "✗ [N7]" in text
    guidance = " ".join(PACK.guidance["S12"].render(lang).split())
    assert guidance[:60] in " ".join(text.split())
    assert "✓ [N1] " + PACK.requirement("N1").description.render(lang) in text  # type: ignore[union-attr]
    assert "i [N13]" in text


@pytest.mark.parametrize("lang", LANGUAGES)
def test_text_report_ready(tmp_path: Path, lang: str) -> None:
    report = validate_project(on_disk(tmp_path), PACK, today=TODAY)
    assert report.ready
    text = format_report_text(report, lang)
    assert T("READY to send").render(lang) in text
    assert T("NOT READY").render(lang) not in text
    assert "✗" not in text
    for rule in ("N1", "N2", "N3", "N7"):
        assert f"✓ [{rule}]" in text
    assert "(vedlegg/soknadsskjema.pdf)" in text
    assert "S8" in text  # the reminder's guidance


def test_text_report_without_guidance(tmp_path: Path) -> None:
    report = validate_project(on_disk(tmp_path, drop_types=["dpia"]), PACK, today=TODAY)
    text = format_report_text(report, "nb", with_guidance=False)
    assert PACK.guidance["S12"].render("nb")[:40] not in text
    assert "✗ [N7]" in text


def test_text_report_languages_differ(tmp_path: Path) -> None:
    report = validate_project(on_disk(tmp_path, drop_types=["dpia"]), PACK, today=TODAY)
    assert format_report_text(report, "nb") != format_report_text(report, "en")


def test_fact_labels() -> None:
    assert fact_label(PACK, "era", "pre_gdpr", "nb") == "fra før 20.7.2018 (før GDPR)"
    assert fact_label(PACK, "risk_class", "not_low", "en") == "not low"
    assert fact_label(PACK, "application_type", "new", "en") == "new"
    assert fact_label(PACK, "era", None, "en") == "—"


def test_report_counts_and_ready_follow_findings() -> None:
    report = Report(PACK, validate_project(project("new"), PACK, today=TODAY,
                                           files=False).evaluation,
                    (Finding(W, "x", T("x")),), {})
    assert report.ready and report.counts() == {E: 0, W: 1, INFO: 0}
    assert not Report(PACK, report.evaluation, (Finding(E, "x", T("x")),), {}).ready


def test_unused_helpers_are_importable() -> None:
    assert info().title and base_docs("change")
    assert isinstance(PACK.checks["package_size"], GeneralCheck)
