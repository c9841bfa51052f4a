"""The ``.soknad`` project file: a public contract, read strictly and written atomically."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from soknadspakke.core import project_file
from soknadspakke.core.errors import ProjectFileError
from soknadspakke.core.project import INFO_FIELDS, Document, Project
from soknadspakke.core.project_file import (
    FORMAT,
    dumps_project,
    load_project,
    project_to_dict,
    save_project,
)

WriteJson = Callable[..., Path]


def _set(data: dict[str, Any], dotted: str, value: Any) -> dict[str, Any]:
    """``data`` with the value at ``project.title`` / ``documents.1.path`` replaced."""
    *parents, last = dotted.split(".")
    target: Any = data
    for part in parents:
        target = target[int(part)] if isinstance(target, list) else target[part]
    if isinstance(target, list):
        target[int(last)] = value
    else:
        target[last] = value
    return data


def _delete(data: dict[str, Any], dotted: str) -> dict[str, Any]:
    *parents, last = dotted.split(".")
    target: Any = data
    for part in parents:
        target = target[int(part)] if isinstance(target, list) else target[part]
    del target[last]
    return data


def _load_error(path: Path) -> ProjectFileError:
    with pytest.raises(ProjectFileError) as info:
        load_project(path)
    return info.value


# -- round trip ---------------------------------------------------------------------------------

def test_load_reads_every_field(sample: dict[str, Any], write_json: WriteJson) -> None:
    project = load_project(write_json(sample))
    assert project.info.title == "Helse og arbeid"
    assert project.info.period_start == date(2025, 1, 1)
    assert project.info.period_end == date(2029, 12, 31)
    assert project.answers["registers"] == ["FD-Trygd", "NPR"]
    assert project.answers["nothing"] is None
    first, second = project.documents
    assert first.path == "vedlegg/protokoll.pdf"
    assert first.types == ["research_protocol"]
    assert first.sha256 == "a" * 64
    assert first.updated_for_this_change is False
    assert second.valid_until == date(2030, 6, 30)
    assert second.data_owner == "REK"
    assert second.updated_for_this_change is True
    assert project.modified is False


def test_round_trip_is_lossless_and_stable(sample: dict[str, Any], write_json: WriteJson,
                                           tmp_path: Path) -> None:
    original = write_json(sample)
    project = load_project(original)
    # Everything the file held comes back, unknown keys included.
    assert project_to_dict(project) == sample

    copy = tmp_path / "copy.soknad"
    assert save_project(project, copy) == copy
    assert project.path == copy
    assert project.modified is False
    text = copy.read_text(encoding="utf-8")
    assert json.loads(text) == sample

    again = load_project(copy)
    assert project_to_dict(again) == project_to_dict(project)
    assert again.documents == project.documents
    assert again.info == project.info
    # Saving what was loaded gives byte-identical text.
    save_project(again)
    assert copy.read_text(encoding="utf-8") == text
    assert dumps_project(again) == text
    assert text.endswith("}\n")


def test_unknown_keys_are_kept_at_every_level(sample: dict[str, Any],
                                              write_json: WriteJson) -> None:
    project = load_project(write_json(sample))
    assert project.extra == {"x_top_level": {"tool": "another program", "n": 7}}
    assert project.info.extra == {"x_unknown_info": {"kept": [1, 2, 3]}}
    assert project.documents[0].extra == {"x_doc_note": "kept"}
    assert project.documents[1].extra == {}
    saved = json.loads(dumps_project(project))
    assert saved["x_top_level"] == {"tool": "another program", "n": 7}
    assert saved["project"]["x_unknown_info"] == {"kept": [1, 2, 3]}
    assert saved["documents"][0]["x_doc_note"] == "kept"


def test_minimal_file_and_nulls_give_an_empty_project(write_json: WriteJson) -> None:
    project = load_project(write_json({"format": FORMAT, "project": None, "answers": None,
                                       "documents": None}))
    assert project.answers == {}
    assert project.documents == []
    assert all(getattr(project.info, k) in ("", None) for k in INFO_FIELDS)
    saved = json.loads(dumps_project(project))
    assert saved["format"] == FORMAT
    assert saved["documents"] == []
    assert saved["project"]["period_end"] is None


def test_paths_and_hashes_are_normalized(sample: dict[str, Any], write_json: WriteJson) -> None:
    _set(sample, "documents.0.path", ".\\vedlegg\\del\\..\\protokoll.pdf")
    _set(sample, "documents.0.sha256", "ABCDEF" + "0" * 58)
    _set(sample, "project.period_end", "")
    project = load_project(write_json(sample))
    assert project.documents[0].path == "vedlegg/protokoll.pdf"
    assert project.documents[0].sha256 == "abcdef" + "0" * 58
    assert project.info.period_end is None


def test_byte_order_mark_is_accepted(sample: dict[str, Any], write_json: WriteJson) -> None:
    raw = b"\xef\xbb\xbf" + json.dumps(sample, ensure_ascii=False).encode("utf-8")
    project = load_project(write_json(raw))
    assert project.info.title == "Helse og arbeid"


def test_non_ascii_is_written_as_text(write_json: WriteJson, tmp_path: Path) -> None:
    project = load_project(write_json({"format": FORMAT, "project": {"title": "Ærlig øl på ås"}}))
    target = save_project(project, tmp_path / "ut.soknad")
    assert "Ærlig øl på ås" in target.read_text(encoding="utf-8")


# -- every bad input names the file and the field ------------------------------------------------

@pytest.mark.parametrize(("dotted", "value", "field", "words"), [
    # format
    ("format", "other/1", "format", "unknown format"),
    ("format", 1, "format", "unknown format"),
    ("format", "soknadspakke/", "format", "unknown format"),
    ("format", "soknadspakke/1\n", "format", "unknown format"),
    ("format", "soknadspakke/0", "format", "unknown format version"),
    ("format", "soknadspakke/2", "format", "Update the program"),
    ("format", "soknadspakke/" + "9" * 5000, "format", "format"),
    # top-level structure
    ("project", [], "project", "expected an object"),
    ("project", "Helse", "project", "expected an object"),
    ("answers", [], "answers", "expected an object"),
    ("answers", "new", "answers", "expected an object"),
    ("documents", {}, "documents", "expected a list"),
    ("documents", "a.pdf", "documents", "expected a list"),
    ("documents.1", "rek.pdf", "documents[1]", "expected an object"),
    # project facts
    ("project.title", 5, "project.title", "expected text"),
    ("project.contact_email", ["a@b"], "project.contact_email", "expected text"),
    ("project.org_number", 971035854, "project.org_number", "expected text"),
    ("project.period_end", 20291231, "project.period_end", "YYYY-MM-DD"),
    ("project.period_end", "2029-02-30", "project.period_end", "YYYY-MM-DD"),
    ("project.period_end", "2029-13-01", "project.period_end", "YYYY-MM-DD"),
    ("project.period_end", "31.12.2029", "project.period_end", "YYYY-MM-DD"),
    ("project.period_end", "2029-1-1", "project.period_end", "YYYY-MM-DD"),
    ("project.period_end", "20291231", "project.period_end", "YYYY-MM-DD"),
    ("project.period_end", "2029-W01-1", "project.period_end", "YYYY-MM-DD"),
    ("project.period_start", True, "project.period_start", "YYYY-MM-DD"),
    # documents
    ("documents.1.path", None, "documents[1].path", "expected the file's path"),
    ("documents.1.path", 7, "documents[1].path", "expected the file's path"),
    ("documents.1.path", "", "documents[1].path", "empty"),
    ("documents.1.path", ".", "documents[1].path", "does not name a file"),
    ("documents.1.path", "../x.pdf", "documents[1].path", "outside"),
    ("documents.1.path", "a/../../x", "documents[1].path", "outside"),
    ("documents.1.path", "/etc/passwd", "documents[1].path", "absolute"),
    ("documents.1.path", "C:\\x.pdf", "documents[1].path", "absolute"),
    ("documents.1.path", "\\\\server\\share\\x.pdf", "documents[1].path", "absolute"),
    ("documents.1.types", "rek_approval", "documents[1].types", "list of type ids"),
    ("documents.1.types", ["rek_approval", 3], "documents[1].types", "list of type ids"),
    ("documents.1.sha256", "abc", "documents[1].sha256", "64 hexadecimal"),
    ("documents.1.sha256", "g" * 64, "documents[1].sha256", "64 hexadecimal"),
    ("documents.1.sha256", "a" * 65, "documents[1].sha256", "64 hexadecimal"),
    ("documents.1.sha256", "a" * 64 + "\n", "documents[1].sha256", "64 hexadecimal"),
    ("documents.1.sha256", 12, "documents[1].sha256", "64 hexadecimal"),
    ("documents.1.title", 12, "documents[1].title", "expected text"),
    ("documents.1.data_owner", {"name": "REK"}, "documents[1].data_owner", "expected text"),
    ("documents.1.valid_until", "2030-06-31", "documents[1].valid_until", "YYYY-MM-DD"),
    ("documents.1.valid_until", 2030, "documents[1].valid_until", "YYYY-MM-DD"),
    ("documents.1.updated_for_this_change", "yes", "documents[1].updated_for_this_change",
     "true or false"),
    ("documents.1.updated_for_this_change", 1, "documents[1].updated_for_this_change",
     "true or false"),
])
def test_bad_value_names_file_and_field(
        sample: dict[str, Any], write_json: WriteJson, dotted: str, value: Any, field: str,
        words: str) -> None:
    path = write_json(_set(sample, dotted, value))
    error = _load_error(path)
    assert error.path == path
    assert error.field == field
    assert str(error).startswith(f"{path} ({field}): ")
    assert words in str(error)


def test_missing_format(sample: dict[str, Any], write_json: WriteJson) -> None:
    error = _load_error(write_json(_delete(sample, "format")))
    assert error.field == "format"
    assert "missing" in str(error)
    assert FORMAT in str(error)


def test_missing_document_path(sample: dict[str, Any], write_json: WriteJson) -> None:
    error = _load_error(write_json(_delete(sample, "documents.0.path")))
    assert error.field == "documents[0].path"


def test_newer_format_asks_for_an_update(sample: dict[str, Any], write_json: WriteJson) -> None:
    text = str(_load_error(write_json(_set(sample, "format", "soknadspakke/2"))))
    assert "newer version" in text
    assert "soknadspakke/2" in text
    assert "Update the program" in text


def test_first_bad_document_is_reported_by_index(sample: dict[str, Any],
                                                 write_json: WriteJson) -> None:
    sample["documents"].append({"path": "ok.pdf"})
    sample["documents"].append({"path": "ok2.pdf", "valid_until": "snart"})
    error = _load_error(write_json(sample))
    assert error.field == "documents[3].valid_until"
    assert "'snart'" in str(error)


def test_not_json_gives_line_and_column(write_json: WriteJson) -> None:
    path = write_json('{"format": "soknadspakke/1",\n  "answers": }\n')
    error = _load_error(path)
    assert str(error).startswith(f"{path}: not valid JSON")
    assert "line 2, column 14" in str(error)


@pytest.mark.parametrize("text", ["", "   ", "{", "{'format': 'soknadspakke/1'}",
                                  '{"format": "soknadspakke/1"} trailing'])
def test_broken_json(write_json: WriteJson, text: str) -> None:
    assert "not valid JSON" in str(_load_error(write_json(text)))


@pytest.mark.parametrize("value", [[], [1, 2], "soknadspakke/1", 3, None, True])
def test_not_an_object(write_json: WriteJson, value: Any) -> None:
    path = write_json(json.dumps(value))
    error = _load_error(path)
    assert error.path == path
    assert "must hold a JSON object" in str(error)


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_non_standard_json_numbers_are_refused(write_json: WriteJson, constant: str) -> None:
    # Python's json reads these, but they are not JSON; saving them would write a file that
    # other tools cannot read.
    path = write_json('{"format": "soknadspakke/1", "answers": {"x": ' + constant + "}}")
    assert f"not valid JSON: {constant} is not a JSON number" in str(_load_error(path))


def test_huge_number_is_a_project_file_error(write_json: WriteJson) -> None:
    path = write_json('{"format": "soknadspakke/1", "answers": {"x": ' + "9" * 5000 + "}}")
    assert str(_load_error(path)) == f"{path}: not valid JSON: a number has too many digits"


def test_deep_nesting_is_a_project_file_error(write_json: WriteJson) -> None:
    depth = 100_000
    path = write_json('{"format": "soknadspakke/1", "answers": {"x": '
                      + "[" * depth + "]" * depth + "}}")
    assert str(_load_error(path)) == f"{path}: not valid JSON: nested too deeply"


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nope.soknad"
    error = _load_error(path)
    assert str(error) == f"{path}: the file does not exist"


def test_folder_instead_of_file(tmp_path: Path) -> None:
    folder = tmp_path / "p.soknad"
    folder.mkdir()
    assert str(_load_error(folder)) == f"{folder}: this is a folder, not a project file"


def test_not_utf8(write_json: WriteJson) -> None:
    path = write_json('{"format": "soknadspakke/1", "project": {"title": "Ø"}}'
                      .encode("latin-1"))
    error = _load_error(path)
    assert error.path == path
    assert "not UTF-8" in str(error)


def test_oversized_file_is_refused_before_reading(write_json: WriteJson,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    path = write_json({"format": FORMAT, "answers": {"x": "y" * 200}})
    monkeypatch.setattr(project_file, "MAX_PROJECT_FILE_BYTES", 100)

    def no_reading(self: Path) -> bytes:
        raise AssertionError("an oversized file must not be read")

    monkeypatch.setattr(Path, "read_bytes", no_reading)
    error = _load_error(path)
    assert error.path == path
    assert "Is this the right file?" in str(error)


def test_file_at_the_limit_is_read(write_json: WriteJson,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    path = write_json({"format": FORMAT})
    monkeypatch.setattr(project_file, "MAX_PROJECT_FILE_BYTES", path.stat().st_size)
    assert load_project(path).answers == {}


def test_unreadable_file(write_json: WriteJson, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write_json({"format": FORMAT})

    def denied(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "read_bytes", denied)
    assert str(_load_error(path)) == f"{path}: the file cannot be read (Permission denied)"


# -- saving ---------------------------------------------------------------------------------------

def test_save_without_a_path_is_a_clear_error() -> None:
    project = Project()
    with pytest.raises(ProjectFileError, match="no file name yet") as info:
        save_project(project)
    assert info.value.path is None


def test_save_to_loaded_path(sample: dict[str, Any], write_json: WriteJson) -> None:
    path = write_json(sample)
    project = load_project(path)
    project.set_answer("application_type", "change")
    assert project.modified
    assert save_project(project) == path
    assert not project.modified
    assert load_project(path).answers["application_type"] == "change"


def test_save_creates_missing_folders(tmp_path: Path) -> None:
    project = Project(documents=[Document("a.pdf", ["cv"])])
    target = tmp_path / "ny" / "mappe" / "p.soknad"
    save_project(project, target)
    assert load_project(target).documents[0].types == ["cv"]


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".part"))


@pytest.mark.parametrize("failure", [OSError(5, "Input/output error"), KeyboardInterrupt()])
def test_failed_save_leaves_the_previous_file(sample: dict[str, Any], write_json: WriteJson,
                                              monkeypatch: pytest.MonkeyPatch,
                                              failure: BaseException) -> None:
    path = write_json(sample)
    before = path.read_bytes()
    project = load_project(path)
    project.set_info("title", "Ny tittel")

    def broken_fsync(fd: int) -> None:
        raise failure

    monkeypatch.setattr(os, "fsync", broken_fsync)
    expected = ProjectFileError if isinstance(failure, OSError) else KeyboardInterrupt
    with pytest.raises(expected) as info:
        save_project(project)
    if isinstance(info.value, ProjectFileError):
        assert info.value.path == path
        assert "could not be saved (Input/output error)" in str(info.value)
    assert path.read_bytes() == before
    assert _leftovers(path.parent) == []
    assert project.modified  # still unsaved


def test_failed_rename_leaves_the_previous_file(sample: dict[str, Any], write_json: WriteJson,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    path = write_json(sample)
    before = path.read_bytes()
    project = load_project(path)
    project.set_info("title", "Ny tittel")

    def broken_replace(self: Path, target: Path) -> Path:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "replace", broken_replace)
    with pytest.raises(ProjectFileError, match="Permission denied"):
        save_project(project)
    assert path.read_bytes() == before
    assert _leftovers(path.parent) == []


def test_save_where_the_folder_is_a_file(tmp_path: Path) -> None:
    blocker = tmp_path / "fil"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(ProjectFileError) as info:
        save_project(Project(), blocker / "p.soknad")
    assert info.value.path == blocker / "p.soknad"


def test_unpaired_surrogate_escape_survives_a_save(write_json: WriteJson) -> None:
    # JSON may hold "\ud800", which has no UTF-8 form: saving must not fail, nor lose it.
    path = write_json('{"format": "soknadspakke/1", "project": {"title": "Ø \\ud800"}, '
                      '"answers": {"x": "\\udc00 og \\ud83d\\ude00"}}')
    project = load_project(path)
    assert project.info.title == "Ø \ud800"
    save_project(project)
    again = load_project(path)
    assert again.info.title == "Ø \ud800"
    assert again.answers == {"x": "\udc00 og \U0001f600"}


def test_dates_set_as_datetimes_are_saved_as_dates(tmp_path: Path) -> None:
    from datetime import datetime

    project = Project(documents=[Document("a.pdf")])
    project.set_info("period_end", datetime(2029, 12, 31, 23, 59))
    project.update_document(0, valid_until=datetime(2030, 1, 2, 3, 4))
    target = save_project(project, tmp_path / "p.soknad")
    loaded = load_project(target)  # the program can read what it wrote
    assert loaded.info.period_end == date(2029, 12, 31)
    assert loaded.documents[0].valid_until == date(2030, 1, 2)


# -- properties -----------------------------------------------------------------------------------

# Any text JSON can hold, unpaired surrogates ("\ud800") included.
json_text = st.text(st.characters(exclude_categories=()))
json_scalars = (st.none() | st.booleans() | st.integers()
                | st.floats(allow_nan=False, allow_infinity=False) | json_text)
json_values = st.recursive(
    json_scalars,
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(json_text.filter(lambda t: len(t) <= 8), children, max_size=4),
    max_leaves=20,
)


def _extra_keys(known: tuple[str, ...]) -> st.SearchStrategy[dict[str, Any]]:
    return st.dictionaries(st.text(max_size=10).filter(lambda k: k not in known), json_values,
                           max_size=3)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(answers=st.dictionaries(json_text.filter(lambda t: len(t) <= 12), json_values,
                               max_size=6),
       top=_extra_keys(("format", "project", "answers", "documents")),
       info=_extra_keys(INFO_FIELDS),
       doc=_extra_keys(project_file._DOCUMENT_KEYS))
def test_answers_and_unknown_keys_survive_a_round_trip(
        tmp_path: Path, answers: dict[str, Any], top: dict[str, Any], info: dict[str, Any],
        doc: dict[str, Any]) -> None:
    data = {"format": FORMAT, "project": {"title": "t", **info}, "answers": answers,
            "documents": [{"path": "a.pdf", **doc}], **top}
    path = tmp_path / "p.soknad"
    path.write_text(json.dumps(data), encoding="utf-8")
    project = load_project(path)
    assert project.answers == answers
    assert project.extra == top
    assert project.info.extra == info
    assert project.documents[0].extra == doc
    text = dumps_project(project)
    save_project(project, path)
    again = load_project(path)
    assert again.answers == answers
    assert (again.extra, again.info.extra, again.documents[0].extra) == (top, info, doc)
    assert dumps_project(again) == text


field_values = json_values | st.sampled_from(
    ["", ".", "..", "a/../..", "/x", "C:x", "2025-01-01", "2025-02-29", "a" * 64, "soknadspakke/1"])
documents = st.lists(
    st.dictionaries(st.sampled_from([*project_file._DOCUMENT_KEYS, "other"]), field_values)
    | field_values, max_size=3)
near_valid = st.fixed_dictionaries(
    {"format": st.sampled_from([FORMAT, "soknadspakke/2", "soknadspakke/0"]) | field_values},
    optional={"project": st.dictionaries(st.sampled_from([*INFO_FIELDS, "other"]), field_values)
              | field_values,
              "answers": field_values, "documents": documents | field_values})


@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=json_values | near_valid)
def test_any_json_loads_or_raises_project_file_error(tmp_path: Path, data: Any) -> None:
    path = tmp_path / "p.soknad"
    path.write_text(json.dumps(data), encoding="utf-8")
    try:
        project = load_project(path)
    except ProjectFileError as exc:
        assert exc.path == path
        assert str(exc).startswith(str(path))
    else:
        assert json.loads(dumps_project(project))["format"] == FORMAT


@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=st.binary(max_size=200) | st.text(max_size=200).map(lambda t: t.encode("utf-8")))
def test_any_bytes_load_or_raise_project_file_error(tmp_path: Path, raw: bytes) -> None:
    path = tmp_path / "p.soknad"
    path.write_bytes(raw)
    try:
        load_project(path)
    except ProjectFileError as exc:
        assert exc.path == path


def test_save_as_in_another_folder_rebases_document_paths(tmp_path: Path) -> None:
    (tmp_path / "a" / "vedlegg").mkdir(parents=True)
    (tmp_path / "a" / "vedlegg" / "p.pdf").write_bytes(b"%PDF-1.4")
    project = Project(path=tmp_path / "a" / "p.soknad")
    project.add_document(Document(path="vedlegg/p.pdf", types=["research_protocol"]))
    save_project(project)
    target = save_project(project, tmp_path / "p-copy.soknad")
    reloaded = load_project(target)
    assert reloaded.documents[0].path == "a/vedlegg/p.pdf"
    assert reloaded.resolve(reloaded.documents[0]).read_bytes() == b"%PDF-1.4"


def test_save_as_where_attachments_would_be_outside_is_refused(tmp_path: Path) -> None:
    project = Project(path=tmp_path / "a" / "p.soknad")
    project.add_document(Document(path="vedlegg/p.pdf"))
    save_project(project)
    with pytest.raises(ProjectFileError, match="outside the new project folder"):
        save_project(project, tmp_path / "b" / "p.soknad")
    assert not (tmp_path / "b" / "p.soknad").exists()
    assert project.documents[0].path == "vedlegg/p.pdf"


def test_errors_are_in_the_users_language(tmp_path: Path) -> None:
    from soknadspakke.core import i18n

    bad = tmp_path / "p.soknad"
    bad.write_text('{"format": "soknadspakke/9"}', encoding="utf-8")
    i18n.set_language("nb")
    with pytest.raises(ProjectFileError, match="nyere versjon av Søknadspakke"):
        load_project(bad)
    i18n.set_language("en")
    with pytest.raises(ProjectFileError, match="newer version of Søknadspakke"):
        load_project(bad)
