"""A project written under an older version of a rule pack opens, migrated, with a notice:
renamed questions, answers and document types follow the pack's ``[[migrations]]``; removed ones
go with a notice; a document is never dropped and unknown ids stay for the engine to report."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from soknadspakke.core.errors import RulePackError
from soknadspakke.core.project import RULE_PACK_KEY, Project
from soknadspakke.core.project_file import load_project, save_project
from soknadspakke.rules.engine import evaluate
from soknadspakke.rules.loader import load_pack
from soknadspakke.rules.migrate import migrate_project
from soknadspakke.rules.schema import RulePack

OTHER_AGENCY = Path(__file__).parent / "data" / "other_agency.toml"


@pytest.fixture(scope="module")
def pack() -> RulePack:
    return load_pack(OTHER_AGENCY)


def written_under_v1(folder: Path, stamp: dict[str, Any] | None = None) -> Path:
    """A project file as version 1 of the pack wrote it."""
    data: dict[str, Any] = {
        "format": "soknadspakke/1",
        "project": {"title": "Skolehelse"},
        "answers": {"request_kind": "new", "holders": ["health_trust"], "urgent": True,
                    "sensitive": False},
        "documents": [
            {"path": "brev.pdf", "types": ["cover_letter"]},
            {"path": "faks.pdf", "types": ["fax_sheet"]},
            {"path": "rart.pdf", "types": ["mystery_type"]},
            {"path": "plan.pdf", "types": ["project_plan", "cover_letter"]},
        ],
    }
    if stamp is not None:
        data[RULE_PACK_KEY] = stamp
    path = folder / "gammel.soknad"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_a_project_written_under_version_1_opens_migrated(pack: RulePack,
                                                          tmp_path: Path) -> None:
    project = load_project(written_under_v1(tmp_path, {"id": "fjordvik-arkiv", "version": "1"}))
    notices = [n.render("en") for n in migrate_project(project, pack)]
    assert project.answers == {"request_kind": "first", "record_holders": ["health_trust"],
                               "sensitive": False}
    assert [(d.path, d.types) for d in project.documents] == [
        ("brev.pdf", ["request_letter"]), ("faks.pdf", []), ("rart.pdf", ["mystery_type"]),
        ("plan.pdf", ["project_plan", "request_letter"])]
    assert notices[0].startswith("The application was written under version 1 of the rule "
                                 "pack “Fjordvik city archive")
    assert "it was brought up to version 2" in notices[0]
    joined = "\n".join(notices)
    for part in ("“holders” is now “record_holders”", "“urgent” is no longer asked",
                 "“new” to “request_kind” is now “first”",
                 "faks.pdf: the document type “fax_sheet” no longer exists",
                 "brev.pdf: the document type “cover_letter” is now “request_letter”"):
        assert part in joined, joined
    assert "mystery_type" not in joined
    # the unknown type is kept and reported, the emptied document asks for a type
    codes = {(f.code, f.files) for f in evaluate(project, pack).findings}
    assert ("unknown_document_type", ("rart.pdf",)) in codes
    assert ("untyped_document", ("faks.pdf",)) in codes


def test_the_migrated_project_records_the_pack_and_opens_quietly(pack: RulePack,
                                                                 tmp_path: Path) -> None:
    project = load_project(written_under_v1(tmp_path, {"id": "fjordvik-arkiv", "version": "1"}))
    assert migrate_project(project, pack)
    save_project(project)
    saved = json.loads((tmp_path / "gammel.soknad").read_text(encoding="utf-8"))
    assert saved[RULE_PACK_KEY] == {"id": "fjordvik-arkiv", "version": "2"}
    again = load_project(tmp_path / "gammel.soknad")
    assert migrate_project(again, pack) == ()
    assert again.answers == project.answers


def test_a_file_without_a_recorded_version_changes_only_unknown_ids(pack: RulePack,
                                                                    tmp_path: Path) -> None:
    project = load_project(written_under_v1(tmp_path))
    project.set_answer("request_kind", "first")  # a current value is left alone
    notices = migrate_project(project, pack)
    assert notices and "version ?" in notices[0].render("en")
    assert project.answers["record_holders"] == ["health_trust"]
    assert project.documents[0].types == ["request_letter"]
    assert project.extra[RULE_PACK_KEY]["version"] == "2"


def test_a_current_project_is_not_touched(pack: RulePack) -> None:
    project = Project(answers={"holders": ["x"]})
    project.extra[RULE_PACK_KEY] = {"id": "fjordvik-arkiv", "version": "2"}
    assert migrate_project(project, pack) == ()
    assert project.answers == {"holders": ["x"]}  # stays, for the engine to report


def test_the_cli_says_what_it_migrated(pack: RulePack, tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    from soknadspakke.cli import main

    path = written_under_v1(tmp_path, {"id": "fjordvik-arkiv", "version": "1"})
    code = main(["validate", "--rules", str(OTHER_AGENCY), "--lang", "en", str(path)])
    _out, err = capsys.readouterr()
    assert code in (0, 1) and "Traceback" not in err
    assert "gammel.soknad: The application was written under version 1" in err
    assert "“holders” is now “record_holders”" in err


def test_migrations_are_checked_when_the_pack_loads(tmp_path: Path) -> None:
    text = OTHER_AGENCY.read_text(encoding="utf-8")
    text = text.replace('renamed = { holders = "record_holders" }',
                        'renamed = { holders = "record_holder" }')
    text = text.replace('renamed = { new = "first" }', 'renamed = { new = "firts" }')
    text += '\n[[migrations]]\nfrom_version = "2"\n'
    path = tmp_path / "broken.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RulePackError) as info:
        load_pack(path)
    assert [p.field for p in info.value.problems] == [
        "migrations[1].questions.renamed.holders",
        "migrations[1].answers.request_kind.renamed.new", "migrations[2].from_version"
    ], str(info.value)
