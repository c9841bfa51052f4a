"""``soknadspakke init`` and ``soknadspakke add`` end to end."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from soknadspakke.core.project_file import load_project
from soknadspakke.rules.answers import answer_problems
from soknadspakke.rules.loader import default_pack

from .conftest import Cli, make_document, sha256, write_project

INIT_ANSWERS = ["application_type=new", "institution_status=approved", "personal_data=ja",
                "legal_basis_valid_covering=yes", "legal_basis_date=2020-03-01",
                "health_research=nei", "other_data_owners=nav,other:Kreftregisteret",
                "consent_based=no", "identifying_vars=", "ssb_lists_exist=1"]


def no_traceback(result: Any) -> None:
    assert "Traceback" not in result.stderr, result.stderr


def _answer_args(items: list[str]) -> list[str]:
    return [arg for item in items for arg in ("--answer", item)]


def test_init_creates_a_loadable_project(cli: Cli, tmp_path: Path) -> None:
    result = cli("init", "proj", "--no-input", "--lang", "en", "--title", "Arbeid og helse",
                 "--leader", "Kari", "--start", "2025-01-01", "--end", "2028-12-31",
                 *_answer_args(INIT_ANSWERS))
    assert result.returncode == 0, result.stderr
    target = tmp_path / "proj" / "proj.soknad"
    assert target.is_file() and str(Path("proj") / "proj.soknad") in result.stdout
    project = load_project(target)
    assert answer_problems(project, default_pack()) == []
    assert project.info.title == "Arbeid og helse"
    assert str(project.info.period_end) == "2028-12-31"
    assert project.answers == {
        "application_type": "new", "institution_status": "approved", "personal_data": True,
        "legal_basis_valid_covering": True, "legal_basis_date": "2020-03-01",
        "health_research": False, "other_data_owners": ["nav", "other:Kreftregisteret"],
        "consent_based": False, "identifying_vars": [], "ssb_lists_exist": True}
    assert json.loads(target.read_text(encoding="utf-8"))["format"] == "soknadspakke/1"
    assert "Still unanswered" not in result.stdout
    validated = cli("validate", target, "--format", "json")
    assert validated.returncode == 1  # no documents yet, but readable
    assert not [f for f in json.loads(validated.stdout)["findings"]
                if f["code"] in ("answer_missing", "invalid_answer")]


def test_init_lists_unanswered_questions(cli: Cli, tmp_path: Path) -> None:
    result = cli("init", "p", "--no-input", "--answer", "application_type=change",
                 "--name", "endring")
    assert result.returncode == 0
    assert (tmp_path / "p" / "endring.soknad").is_file()
    assert "change_types" in result.stdout and "institution_status" not in result.stdout


def test_init_refuses_to_overwrite_without_force(cli: Cli, tmp_path: Path) -> None:
    assert cli("init", "p", "--no-input", "--answer", "application_type=new").returncode == 0
    target = tmp_path / "p" / "p.soknad"
    before = target.read_bytes()
    again = cli("init", "p", "--no-input", "--answer", "application_type=change")
    assert again.returncode == 2 and "--force" in again.stderr
    assert str(Path("p") / "p.soknad") in again.stderr
    assert target.read_bytes() == before
    no_traceback(again)
    forced = cli("init", "p", "--no-input", "--force", "--answer", "application_type=change")
    assert forced.returncode == 0
    assert load_project(target).answers["application_type"] == "change"


def test_init_with_piped_stdin_does_not_ask(cli: Cli, tmp_path: Path) -> None:
    result = cli("init", "p", "--answer", "application_type=new", input="change\nja\n")
    assert result.returncode == 0, result.stderr
    project = load_project(tmp_path / "p" / "p.soknad")
    assert project.answers == {"application_type": "new"}
    assert "> " not in result.stdout


def test_init_with_closed_stdin_does_not_ask(cli: Cli, tmp_path: Path) -> None:
    result = cli("init", "p")
    assert result.returncode == 0, result.stderr
    assert load_project(tmp_path / "p" / "p.soknad").answers == {}


def test_init_bad_answers_exit_2_and_write_nothing(cli: Cli, tmp_path: Path) -> None:
    for item in ("application_type=newish", "colour=blue", "health_research=kanskje",
                 "legal_basis_date=20.7.2018", "other_data_owners=nav,skatt",
                 "noequals"):
        result = cli("init", "p", "--no-input", "--answer", item)
        assert result.returncode == 2, item
        assert item.split("=")[0] in result.stderr, (item, result.stderr)
        no_traceback(result)
        assert not (tmp_path / "p" / "p.soknad").exists(), item
    bad_date = cli("init", "p", "--no-input", "--end", "2028-13-01")
    assert bad_date.returncode == 2 and "--end" in bad_date.stderr


def test_init_answers_by_number(cli: Cli, tmp_path: Path) -> None:
    result = cli("init", "p", "--no-input", "--answer", "application_type=2",
                 "--answer", "change_types=1,5")
    assert result.returncode == 0, result.stderr
    answers = load_project(tmp_path / "p" / "p.soknad").answers
    assert answers == {"application_type": "change",
                       "change_types": ["new_project_member", "new_variables"]}


# -- add --------------------------------------------------------------------------------------
def test_add_copies_an_outside_file_and_never_changes_it(cli: Cli, tmp_path: Path) -> None:
    project = write_project(tmp_path / "p", docs=[])
    outside = tmp_path / "inn" / "Protokoll v3.pdf"
    outside.parent.mkdir()
    make_document(outside, "the protocol")
    before = (sha256(outside), outside.stat().st_mtime_ns)
    result = cli("add", project, outside, "--as", "research_protocol", "--title", "Protokoll",
                 "--lang", "en")
    assert result.returncode == 0, result.stderr
    assert (sha256(outside), outside.stat().st_mtime_ns) == before
    copy = tmp_path / "p" / "vedlegg" / "Protokoll v3.pdf"
    assert copy.read_bytes() == outside.read_bytes()
    [doc] = load_project(project).documents
    assert doc.path == "vedlegg/Protokoll v3.pdf" and doc.types == ["research_protocol"]
    assert doc.sha256 == before[0] and doc.title == "Protokoll"
    assert before[0] in result.stdout
    assert not list((tmp_path / "p" / "vedlegg").glob(".*part"))


def test_add_a_file_inside_the_folder_is_not_copied(cli: Cli, tmp_path: Path) -> None:
    project = write_project(tmp_path / "p", docs=[])
    inside = tmp_path / "p" / "dokumenter" / "dpia.pdf"
    inside.parent.mkdir()
    make_document(inside, "dpia")
    result = cli("add", project, inside, "--as", "dpia", "--updated")
    assert result.returncode == 0, result.stderr
    assert not (tmp_path / "p" / "vedlegg").exists()
    [doc] = load_project(project).documents
    assert doc.path == "dokumenter/dpia.pdf" and doc.updated_for_this_change


def test_re_adding_updates_instead_of_duplicating(cli: Cli, tmp_path: Path) -> None:
    project = write_project(tmp_path / "p", docs=[])
    outside = tmp_path / "rek.pdf"
    make_document(outside, "REK approval")
    assert cli("add", project, outside, "--as", "rek_ethics_approval").returncode == 0
    again = cli("add", project, outside, "--as", "rek_ethics_approval", "--as",
                "dispensation_decision", "--valid-until", "2029-06-30", "--data-owner",
                "health_registries_rek")
    assert again.returncode == 0, again.stderr
    docs = load_project(project).documents
    assert len(docs) == 1
    assert docs[0].types == ["rek_ethics_approval", "dispensation_decision"]
    assert str(docs[0].valid_until) == "2029-06-30"
    assert docs[0].data_owner == "health_registries_rek"
    assert sorted(p.name for p in (tmp_path / "p" / "vedlegg").iterdir()) == ["rek.pdf"]
    third = cli("add", project, outside)  # no --as: keeps the types
    assert third.returncode == 0
    assert load_project(project).documents[0].types == ["rek_ethics_approval",
                                                        "dispensation_decision"]


def test_same_name_different_content_gets_a_new_name(cli: Cli, tmp_path: Path) -> None:
    project = write_project(tmp_path / "p", docs=[])
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    make_document(tmp_path / "a" / "vedtak.pdf", "NAV")
    make_document(tmp_path / "b" / "vedtak.pdf", "Helsedataservice")
    assert cli("add", project, tmp_path / "a" / "vedtak.pdf", "--as",
               "dispensation_decision").returncode == 0
    assert cli("add", project, tmp_path / "b" / "vedtak.pdf", "--as",
               "dispensation_decision").returncode == 0
    assert [d.path for d in load_project(project).documents] == [
        "vedlegg/vedtak.pdf", "vedlegg/vedtak-2.pdf"]


def test_add_rejects_unknown_types_and_bad_input(cli: Cli, tmp_path: Path) -> None:
    project = write_project(tmp_path / "p", docs=[])
    before = project.read_bytes()
    outside = tmp_path / "x.pdf"
    make_document(outside, "x")
    cases = [
        (["--as", "rek_approval"], "rek_approval"),
        (["--as", "dpia", "--as", "dpia_negative", "--as", "other"], "two"),
        (["--as", "dpia", "--valid-until", "30.6.2029"], "--valid-until"),
    ]
    for extra, shown in cases:
        result = cli("add", project, outside, *extra, "--lang", "en")
        assert result.returncode == 2, extra
        assert shown in result.stderr, (extra, result.stderr)
        no_traceback(result)
    missing = cli("add", project, tmp_path / "finnes-ikke.pdf", "--as", "dpia")
    assert missing.returncode == 2 and "finnes-ikke.pdf" in missing.stderr
    no_project = cli("add", tmp_path / "nope.soknad", outside, "--as", "dpia")
    assert no_project.returncode == 2 and "nope.soknad" in no_project.stderr
    assert project.read_bytes() == before
    assert not (tmp_path / "p" / "vedlegg").exists()


def test_add_then_validate_ready(cli: Cli, tmp_path: Path) -> None:
    project = write_project(tmp_path / "p", docs=[])
    for i, (name, type_id) in enumerate([("skjema.pdf", "application_form_new"),
                                         ("protokoll.pdf", "research_protocol"),
                                         ("liste.xlsx", "ssb_variable_list"),
                                         ("dpia.pdf", "dpia"),
                                         ("tilradning.pdf", "dpo_recommendation")]):
        source = tmp_path / name
        make_document(source, f"document {i}")
        assert cli("add", project, source, "--as", type_id).returncode == 0
    result = cli("validate", project, "--format", "json")
    assert result.returncode == 0, result.stdout
    assert json.loads(result.stdout)["ready"] is True


def test_init_accepts_an_empty_change_list_and_validate_reports_it(cli: Cli,
                                                                   tmp_path: Path) -> None:
    # An empty list is a well-formed answer (a new application has no changes), so the file is
    # written; for a change application it is incomplete, which validate reports (exit 1).
    result = cli("init", "p", "--no-input", "--answer", "application_type=change",
                 "--answer", "change_types=")
    assert result.returncode == 0, result.stderr
    checked = cli("validate", "p/p.soknad", "--format", "json", "--lang", "en")
    assert checked.returncode == 1, checked.stderr
    report = json.loads(checked.stdout)
    codes = {(f["code"], f.get("field")) for f in report["findings"]}
    assert ("invalid_answer", "answers.change_types") in codes
