"""Reading and writing ``.soknad`` project files (versioned JSON, a public contract).

::

    {"format": "soknadspakke/1",
     "project": {"title": …, "period_start": "2025-01-01", …},
     "answers": {"application_type": "new", …},
     "documents": [{"path": "vedlegg/protokoll.pdf", "types": ["research_protocol"],
                    "sha256": "…", "title": "…", "data_owner": null, "valid_until": null}]}

Every key may be absent. Keys the program does not know are kept and written back. A file whose
format is newer than this program understands is refused; older formats are migrated on load.
Every problem is a :class:`ProjectFileError` naming the file and the field.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

from soknadspakke.core.atomic import write_text_atomic
from soknadspakke.core.errors import ProjectFileError
from soknadspakke.core.i18n import N_, _
from soknadspakke.core.project import (
    DATE_INFO_FIELDS,
    INFO_FIELDS,
    Document,
    Project,
    ProjectInfo,
    normalize_relative_path,
)

FORMAT_NAME = "soknadspakke"
FORMAT_VERSION = 1
FORMAT = f"{FORMAT_NAME}/{FORMAT_VERSION}"
# ``fullmatch`` and ASCII digits: ``$`` would also accept a trailing newline, ``\d`` other scripts'
# digits; a bounded version number keeps ``int()`` away from its 4300-digit limit.
_FORMAT_RE = re.compile(rf"{FORMAT_NAME}/([0-9]{{1,9}})")
_SHA256_RE = re.compile(r"[0-9a-f]{64}")
_DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
MAX_PROJECT_FILE_BYTES = 50 * 1024 * 1024

#: ``version -> function`` turning a file of that version into the next one.
MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {}

_DOCUMENT_KEYS = ("path", "types", "sha256", "title", "data_owner", "valid_until",
                  "updated_for_this_change")


def parse_iso_date(value: Any) -> date:
    """An ISO date (``YYYY-MM-DD``); raises ``ValueError`` with a readable reason."""
    if not isinstance(value, str):
        raise ValueError(_("expected a date as text (YYYY-MM-DD), got {value}").format(
            value=_describe(value)))
    try:
        # date.fromisoformat alone also takes "20250101" and week dates like "2025-W01-1".
        if not _DATE_RE.fullmatch(value):
            raise ValueError(value)
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(_("'{value}' is not a date of the form YYYY-MM-DD").format(
            value=value)) from None


def _describe(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    kinds = {dict: N_("an object"), list: N_("a list"), str: N_("text"), int: N_("a number"),
             float: N_("a number")}
    kind = _(kinds[type(value)]) if type(value) in kinds else type(value).__name__
    return f"{kind} ({json.dumps(value, ensure_ascii=False)[:40]})"


class _Reader:
    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, field: str | None, message: str) -> ProjectFileError:
        return ProjectFileError(message, path=self.path, field=field)

    def optional_str(self, obj: dict[str, Any], key: str, where: str) -> str | None:
        value = obj.get(key)
        if value is None or isinstance(value, str):
            return value
        raise self.fail(f"{where}{key}", _("expected text, got {value}").format(
            value=_describe(value)))

    def optional_date(self, obj: dict[str, Any], key: str, where: str) -> date | None:
        value = obj.get(key)
        if value is None or value == "":
            return None
        try:
            return parse_iso_date(value)
        except ValueError as exc:
            raise self.fail(f"{where}{key}", str(exc)) from None


def _check_format(reader: _Reader, data: dict[str, Any]) -> int:
    fmt = data.get("format")
    if fmt is None:
        raise reader.fail("format", _("the key “format” is missing (expected “{format}”); this "
                                      "does not look like a Søknadspakke project file").format(
                                          format=FORMAT))
    if not isinstance(fmt, str) or not (match := _FORMAT_RE.fullmatch(fmt)):
        raise reader.fail("format", _("unknown format {value}; expected “{format}”").format(
            value=_describe(fmt), format=FORMAT))
    version = int(match.group(1))
    if version > FORMAT_VERSION:
        raise reader.fail("format", _(
            "the file was written by a newer version of Søknadspakke (format {found}; this "
            "version reads up to {format}). Update the program to open it.").format(
                found=fmt, format=FORMAT))
    if version < 1:
        raise reader.fail("format", _("unknown format version {found}").format(found=fmt))
    return version


def project_from_dict(data: Any, path: Path) -> Project:
    """Build a :class:`Project` from parsed JSON, checking every field."""
    reader = _Reader(path)
    if not isinstance(data, dict):
        raise reader.fail(None, _("the file must hold a JSON object, not {value}").format(
            value=_describe(data)))
    version = _check_format(reader, data)
    while version < FORMAT_VERSION:
        data = MIGRATIONS[version](data)
        version += 1

    raw_info = data.get("project", {})
    if raw_info is None:
        raw_info = {}
    if not isinstance(raw_info, dict):
        raise reader.fail("project", _("expected an object, got {value}").format(
            value=_describe(raw_info)))
    info = ProjectInfo()
    for key in INFO_FIELDS:
        if key in DATE_INFO_FIELDS:
            setattr(info, key, reader.optional_date(raw_info, key, "project."))
        else:
            setattr(info, key, reader.optional_str(raw_info, key, "project.") or "")
    info.extra = {k: v for k, v in raw_info.items() if k not in INFO_FIELDS}

    answers = data.get("answers", {})
    if answers is None:
        answers = {}
    if not isinstance(answers, dict):
        raise reader.fail("answers", _("expected an object, got {value}").format(
            value=_describe(answers)))

    raw_docs = data.get("documents", [])
    if raw_docs is None:
        raw_docs = []
    if not isinstance(raw_docs, list):
        raise reader.fail("documents", _("expected a list, got {value}").format(
            value=_describe(raw_docs)))
    documents = [_document_from_dict(reader, i, raw) for i, raw in enumerate(raw_docs)]

    extra = {k: v for k, v in data.items()
             if k not in ("format", "project", "answers", "documents")}
    return Project(info, answers, documents, path=path, extra=extra)


def _document_from_dict(reader: _Reader, index: int, raw: Any) -> Document:
    where = f"documents[{index}]."
    if not isinstance(raw, dict):
        raise reader.fail(f"documents[{index}]", _("expected an object, got {value}").format(
            value=_describe(raw)))
    raw_path = raw.get("path")
    if not isinstance(raw_path, str):
        raise reader.fail(f"{where}path", _("expected the file's path as text, got {value}"
                                            ).format(value=_describe(raw_path)))
    try:
        rel = normalize_relative_path(raw_path)
    except ValueError as exc:
        raise reader.fail(f"{where}path", str(exc)) from None
    types = raw.get("types", [])
    if types is None:
        types = []
    if not isinstance(types, list) or not all(isinstance(t, str) for t in types):
        raise reader.fail(f"{where}types", _("expected a list of type ids, got {value}").format(
            value=_describe(types)))
    sha = raw.get("sha256")
    if sha is not None and (not isinstance(sha, str) or not _SHA256_RE.fullmatch(sha.lower())):
        raise reader.fail(f"{where}sha256", _("expected 64 hexadecimal digits, got {value}"
                                              ).format(value=_describe(sha)))
    updated = raw.get("updated_for_this_change", False)
    if updated is None:
        updated = False
    if not isinstance(updated, bool):
        raise reader.fail(f"{where}updated_for_this_change",
                          _("expected true or false, got {value}").format(
                              value=_describe(updated)))
    return Document(
        path=rel,
        types=list(types),
        sha256=sha.lower() if isinstance(sha, str) else None,
        title=reader.optional_str(raw, "title", where),
        data_owner=reader.optional_str(raw, "data_owner", where),
        valid_until=reader.optional_date(raw, "valid_until", where),
        updated_for_this_change=updated,
        extra={k: v for k, v in raw.items() if k not in _DOCUMENT_KEYS},
    )


class _NotJsonNumberError(ValueError):
    pass


def _refuse_constant(name: str) -> Any:
    """Python's json reads NaN and Infinity, which are not JSON (and would be written back)."""
    raise _NotJsonNumberError(f"{name} is not a JSON number")


def load_project(path: Path | str) -> Project:
    """Read a project file. Raises :class:`ProjectFileError` naming the file and field."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_PROJECT_FILE_BYTES:
            raise ProjectFileError(_("the file is {size} MB; a project file is small JSON text. "
                                     "Is this the right file?").format(
                                         size=size // (1024 * 1024)), path=path)
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ProjectFileError(_("the file does not exist"), path=path) from None
    except IsADirectoryError:
        raise ProjectFileError(_("this is a folder, not a project file"), path=path) from None
    except OSError as exc:
        raise ProjectFileError(_("the file cannot be read ({reason})").format(
            reason=exc.strerror), path=path) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ProjectFileError(_("the file is not UTF-8 text; is it a project file?"),
                               path=path) from None
    try:
        data = json.loads(text, parse_constant=_refuse_constant)
    except json.JSONDecodeError as exc:
        raise ProjectFileError(_("not valid JSON: {reason} at line {line}, column {column}"
                                 ).format(reason=exc.msg, line=exc.lineno, column=exc.colno),
                               path=path) from None
    except _NotJsonNumberError as exc:
        raise ProjectFileError(_("not valid JSON: {reason}").format(reason=exc),
                               path=path) from None
    except ValueError:  # int()'s limit of 4300 digits
        raise ProjectFileError(_("not valid JSON: a number has too many digits"),
                               path=path) from None
    except RecursionError:
        raise ProjectFileError(_("not valid JSON: nested too deeply"), path=path) from None
    return project_from_dict(data, path)


def _date_or_none(value: date | None) -> str | None:
    if isinstance(value, datetime):  # a datetime is a date, but would be written with its time
        value = value.date()
    return value.isoformat() if value is not None else None


def project_to_dict(project: Project) -> dict[str, Any]:
    """The JSON object for ``project``, unknown keys included."""
    info: dict[str, Any] = {}
    for key in INFO_FIELDS:
        value = getattr(project.info, key)
        info[key] = _date_or_none(value) if key in DATE_INFO_FIELDS else value
    info.update(project.info.extra)
    documents = []
    for doc in project.documents:
        entry: dict[str, Any] = {
            "path": doc.path, "types": list(doc.types), "sha256": doc.sha256,
            "title": doc.title, "data_owner": doc.data_owner,
            "valid_until": _date_or_none(doc.valid_until),
        }
        if doc.updated_for_this_change:
            entry["updated_for_this_change"] = True
        entry.update(doc.extra)
        documents.append(entry)
    data: dict[str, Any] = {"format": FORMAT, "project": info, "answers": dict(project.answers),
                            "documents": documents}
    data.update(project.extra)
    return data


def dumps_project(project: Project) -> str:
    """The project file's text."""
    data = project_to_dict(project)
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        # An unpaired surrogate (read from a "\ud800" escape) has no UTF-8 form: keep it escaped.
        text = json.dumps(data, ensure_ascii=True, indent=2) + "\n"
    return text


def _rebase_documents(project: Project, target: Path) -> None:
    """Saving in another folder ("Save as"): keep every document pointing at the same file."""
    old_base = project.base_dir.resolve()
    new_base = target.parent.resolve()
    if old_base == new_base:
        return
    moved: list[tuple[int, str]] = []
    for index, doc in enumerate(project.documents):
        absolute = old_base / doc.path
        rel = Path(os.path.relpath(absolute, new_base)).as_posix()
        if rel == ".." or rel.startswith("../"):
            raise ProjectFileError(_(
                "{file} would be outside the new project folder {folder}; save the project in "
                "a folder that contains its attachments, or copy them there first").format(
                    file=doc.path, folder=new_base), path=target)
        moved.append((index, rel))
    for index, rel in moved:
        if project.documents[index].path != rel:
            project.update_document(index, path=rel)


def save_project(project: Project, path: Path | str | None = None) -> Path:
    """Write the project atomically (to ``path``, or where it was loaded from)."""
    target = Path(path) if path is not None else project.path
    if target is None:
        raise ProjectFileError(_("the project has no file name yet; choose where to save it"))
    if project.path is not None:
        _rebase_documents(project, target)
    try:
        write_text_atomic(target, dumps_project(project))
    except OSError as exc:
        raise ProjectFileError(_("the project could not be saved ({reason})").format(
            reason=exc.strerror),
                               path=target) from None
    project.mark_saved(target)
    return target
