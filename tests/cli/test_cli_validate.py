"""``soknadspakke validate`` end to end: exit codes, JSON contract, languages, bad input."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.workspace.factory import READY_ANSWERS

from .conftest import Cli, make_document, write_project


def no_traceback(result: Any) -> None:
    assert "Traceback" not in result.stderr, result.stderr
    assert "Traceback" not in result.stdout


def test_ready_project_exits_0(cli: Cli, tmp_path: Path) -> None:
    project = write_project(tmp_path / "p")
    result = cli("validate", project, "--lang", "en")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "READY to send" in result.stdout and "✓ [N1]" in result.stdout
    assert result.stderr == ""


def test_not_ready_project_exits_1(cli: Cli, tmp_path: Path) -> None:
    project = write_project(tmp_path / "p", docs=[])
    result = cli("validate", project, "--lang", "en")
    assert result.returncode == 1
    assert "NOT READY" in result.stdout and "✗ [N1]" in result.stdout
    no_traceback(result)


def test_changed_file_makes_it_not_ready(cli: Cli, tmp_path: Path) -> None:
    project = write_project(tmp_path / "p")
    make_document(tmp_path / "p" / "vedlegg" / "dpia.pdf", "edited")
    result = cli("validate", project, "--format", "json")
    assert result.returncode == 1
    codes = [f["code"] for f in json.loads(result.stdout)["findings"]]
    assert "document_changed" in codes


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_json_contract(cli: Cli, tmp_path: Path, lang: str) -> None:
    project = write_project(tmp_path / "p", docs=[
        (rel, types) for rel, types in [("vedlegg/skjema.pdf", ["application_form_new"])]])
    result = cli("validate", project, "--format", "json", "--lang", lang)
    assert result.returncode == 1
    data = json.loads(result.stdout)
    assert data["format"] == "soknadspakke-report/1"
    assert data["ready"] is False
    assert data["rule_pack"] == {"id": "ssb-mikrodata", "version": data["rule_pack"]["version"]}
    assert isinstance(data["rule_pack"]["version"], str) and data["rule_pack"]["version"]
    assert data["findings"]
    for finding in data["findings"]:
        assert {"severity", "code", "rule", "document_types", "files", "source",
                "message"} <= set(finding)
    n2 = next(f for f in data["findings"] if f["rule"] == "N2")
    assert (n2["severity"], n2["code"], n2["document_types"], n2["source"]) == (
        "error", "missing_document", ["research_protocol"], ["S6", "S7"])


def test_languages_differ(cli: Cli, tmp_path: Path) -> None:
    project = write_project(tmp_path / "p", docs=[])
    nb = json.loads(cli("validate", project, "--format", "json", "--lang", "nb").stdout)
    en = json.loads(cli("validate", project, "--format", "json", "--lang", "en").stdout)
    by_rule = [{f["rule"]: f["message"] for f in d["findings"] if f["rule"]} for d in (nb, en)]
    assert by_rule[0].keys() == by_rule[1].keys()
    for rule in by_rule[0]:
        assert by_rule[0][rule] != by_rule[1][rule], rule
    assert "Forskningsprotokoll" in by_rule[0]["N2"] and "research protocol" in by_rule[1]["N2"]
    text_nb = cli("validate", project, "--lang", "nb").stdout
    text_en = cli("validate", project, "--lang", "en").stdout
    assert text_nb != text_en


def _pre_gdpr_change(folder: Path) -> Path:
    answers = {**READY_ANSWERS, "application_type": "change", "change_types": ["new_variables"],
               "legal_basis_date": "2015-05-05", "risk_override": False}
    for key in ("institution_status", "legal_basis_valid_covering"):
        answers.pop(key)
    return write_project(folder, answers=answers, docs=[
        ("vedlegg/endring.pdf", ["application_form_change"]),
        ("vedlegg/dpia.pdf", ["dpia"]),
        ("vedlegg/liste.xlsx", ["ssb_variable_list"])])


def test_option_changes_c2(cli: Cli, tmp_path: Path) -> None:
    project = _pre_gdpr_change(tmp_path / "p")
    default = cli("validate", project, "--format", "json")
    assert default.returncode == 1
    assert {f["rule"] for f in json.loads(default.stdout)["findings"]} >= {"C2"}
    instead = cli("validate", project, "--format", "json",
                  "--option", "a12_pre_gdpr_not_low=instead")
    assert instead.returncode == 0, instead.stdout
    assert "C2" not in {f["rule"] for f in json.loads(instead.stdout)["findings"]}
    explicit = cli("validate", project, "--option", "a12_pre_gdpr_not_low=in_addition")
    assert explicit.returncode == 1


@pytest.mark.parametrize(("option", "shown"), [
    ("a12_pre_gdpr_not_low=sometimes", "in_addition"),
    ("a12=instead", "a12_pre_gdpr_not_low"),
    ("a12_pre_gdpr_not_low", "a12_pre_gdpr_not_low"),
])
def test_bad_option_exits_2(cli: Cli, tmp_path: Path, option: str, shown: str) -> None:
    project = _pre_gdpr_change(tmp_path / "p")
    result = cli("validate", project, "--option", option)
    assert result.returncode == 2
    assert shown in result.stderr and result.stdout == ""
    no_traceback(result)


def _bad(folder: Path, data: Any) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "bad.soknad"
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


BASE = {"format": "soknadspakke/1", "project": {}, "answers": READY_ANSWERS, "documents": []}


@pytest.mark.parametrize(("data", "field"), [
    ("{not json", "JSON"),
    ("", "JSON"),
    ([1, 2], "JSON object"),
    ({**BASE, "format": "soknadspakke/2"}, "(format)"),
    ({**BASE, "format": "other/1"}, "(format)"),
    ({k: v for k, v in BASE.items() if k != "format"}, "(format)"),
    ({**BASE, "answers": []}, "(answers)"),
    ({**BASE, "answers": {**READY_ANSWERS, "health_research": "yes"}},
     "(answers.health_research)"),
    ({**BASE, "answers": {**READY_ANSWERS, "institution_status": "godkjent"}},
     "(answers.institution_status)"),
    ({**BASE, "answers": {**READY_ANSWERS, "other_data_owners": ["nav", "skatteetaten"]}},
     "(answers.other_data_owners)"),
    ({**BASE, "answers": {**READY_ANSWERS, "change_types": ["everything"]}},
     "(answers.change_types)"),
    ({**BASE, "project": {"title": 7}}, "(project.title)"),
    ({**BASE, "project": {"period_end": "31.12.2028"}}, "(project.period_end)"),
    ({**BASE, "documents": {"path": "a.pdf"}}, "(documents)"),
    ({**BASE, "documents": [{"path": "a.pdf", "types": "dpia"}]}, "(documents[0].types)"),
    ({**BASE, "documents": [{"path": 5}]}, "(documents[0].path)"),
    ({**BASE, "documents": [{"path": "../utenfor.pdf"}]}, "(documents[0].path)"),
    ({**BASE, "documents": [{"path": "a/../../utenfor.pdf"}]}, "(documents[0].path)"),
    ({**BASE, "documents": [{"path": "/etc/passwd"}]}, "(documents[0].path)"),
    ({**BASE, "documents": [{"path": "a.pdf", "sha256": "abc"}]}, "(documents[0].sha256)"),
    ({**BASE, "documents": [{"path": "a.pdf", "valid_until": "snart"}]},
     "(documents[0].valid_until)"),
    ({**BASE, "documents": [{"path": "a.pdf", "updated_for_this_change": "ja"}]},
     "(documents[0].updated_for_this_change)"),
])
@pytest.mark.parametrize("fmt", ["text", "json"])
def test_unreadable_project_exits_2(cli: Cli, tmp_path: Path, data: Any, field: str,
                                    fmt: str) -> None:
    path = _bad(tmp_path / "p", data)
    result = cli("validate", path, "--format", fmt, "--lang", "en")
    assert result.returncode == 2, result.stdout
    assert str(path) in result.stderr
    assert field in result.stderr
    assert result.stdout == ""
    no_traceback(result)


def test_newer_format_says_to_update(cli: Cli, tmp_path: Path) -> None:
    path = _bad(tmp_path / "p", {**BASE, "format": "soknadspakke/2"})
    result = cli("validate", path)
    assert result.returncode == 2 and "soknadspakke/2" in result.stderr


@pytest.mark.parametrize("target", ["missing.soknad", "folder"])
def test_missing_project_file_exits_2(cli: Cli, tmp_path: Path, target: str) -> None:
    (tmp_path / "folder").mkdir()
    result = cli("validate", tmp_path / target)
    assert result.returncode == 2
    assert str(tmp_path / target) in result.stderr
    no_traceback(result)


def test_broken_rule_pack_exits_2(cli: Cli, tmp_path: Path) -> None:
    project = write_project(tmp_path / "p")
    pack = tmp_path / "pack.toml"
    pack.write_text("[pack\n", encoding="utf-8")
    result = cli("validate", project, "--rules", pack)
    assert result.returncode == 2 and str(pack) in result.stderr
    no_traceback(result)


def test_usage_errors_exit_2(cli: Cli, tmp_path: Path) -> None:
    for args in (["validate"], ["validate", "x", "--format", "xml"], ["nope"],
                 ["validate", "x", "--lang", "de"]):
        result = cli(*args)
        assert result.returncode == 2, args
        no_traceback(result)


def test_no_guidance(cli: Cli, tmp_path: Path) -> None:
    project = write_project(tmp_path / "p", docs=[])
    with_guidance = cli("validate", project, "--lang", "nb").stdout
    without = cli("validate", project, "--lang", "nb", "--no-guidance").stdout
    assert "Forskningsprotokoll er en beskrivelse" in with_guidance
    assert "Forskningsprotokoll er en beskrivelse" not in without
