"""What a change application changes, compared with the earlier application it started from.

A change application made by ``soknadspakke new-change`` keeps a snapshot of the earlier
application in its project file, under the top-level key ``previous_application`` (a public
contract; every key may be absent)::

    {"file": "../2023-ny-soknad/ny-soknad.soknad",   # where it was, relative when possible
     "title": "…", "ssb_reference": "2021/0417",
     "project": {"title": …, "period_end": "2027-12-31", …},  # the project facts, as in a file
     "answers": {…},                                          # every answer, as in a file
     "documents": [{"path": "…", "types": ["dpia"], "sha256": "…", "title": "…",
                    "valid_until": "2027-12-31"}]}

The snapshot, not the earlier file, is compared: the earlier application's folder may have
moved or been archived since. :func:`compare_with_previous` says which documents are new,
replaced or unchanged, which of the earlier ones are not enclosed again, and which answers and
project facts changed.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date
from typing import Any

from soknadspakke.core.project import DATE_INFO_FIELDS, INFO_FIELDS, Project

PREVIOUS_KEY = "previous_application"


class DocumentChangeKind(enum.Enum):
    NEW = "new"
    REPLACED = "replaced"
    UNCHANGED = "unchanged"
    #: In the earlier application, not enclosed again (SSB has it already).
    NOT_ENCLOSED = "not_enclosed"


@dataclass(frozen=True)
class DocumentChange:
    kind: DocumentChangeKind
    #: The document in this application (``None`` for NOT_ENCLOSED).
    path: str | None
    title: str
    types: tuple[str, ...]
    #: The earlier application's document it replaces or repeats.
    previous_path: str | None = None


@dataclass(frozen=True)
class ValueChange:
    """An answer (``key`` a question id) or a project fact that differs; values as stored."""

    key: str
    before: Any
    after: Any


@dataclass(frozen=True)
class ChangeSummary:
    previous_title: str
    previous_file: str
    documents: tuple[DocumentChange, ...]
    answers: tuple[ValueChange, ...]
    facts: tuple[ValueChange, ...]

    def of_kind(self, kind: DocumentChangeKind) -> list[DocumentChange]:
        return [d for d in self.documents if d.kind is kind]

    def to_dict(self) -> dict[str, Any]:
        return {
            "previous_file": self.previous_file, "previous_title": self.previous_title,
            "documents": [{"change": d.kind.value, "path": d.path, "title": d.title,
                           "types": list(d.types), "previous_path": d.previous_path}
                          for d in self.documents],
            "answers": [{"key": a.key, "before": a.before, "after": a.after}
                        for a in self.answers],
            "project": [{"key": f.key, "before": f.before, "after": f.after}
                        for f in self.facts],
        }


def _iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def snapshot(project: Project, file: str) -> dict[str, Any]:
    """The ``previous_application`` entry describing ``project`` (found at ``file``)."""
    return {
        "file": file, "title": project.info.title, "ssb_reference": project.info.ssb_reference,
        "project": {key: _iso(getattr(project.info, key)) for key in INFO_FIELDS},
        "answers": dict(project.answers),
        "documents": [{"path": d.path, "types": list(d.types), "sha256": d.sha256,
                       "title": d.display_title, "valid_until": _iso(d.valid_until)}
                      for d in project.documents],
    }


@dataclass(frozen=True)
class _Earlier:
    path: str
    title: str
    types: tuple[str, ...]
    sha256: str | None
    valid_until: str | None


def _earlier_documents(raw: Any) -> list[_Earlier]:
    """The snapshot's documents; entries that are not well-formed are left out."""
    found = []
    for entry in raw if isinstance(raw, list) else []:
        if not isinstance(entry, dict) or not isinstance(entry.get("path"), str):
            continue
        types = entry.get("types")
        sha = entry.get("sha256")
        valid = entry.get("valid_until")
        title = entry.get("title")
        found.append(_Earlier(
            entry["path"], title if isinstance(title, str) else entry["path"],
            tuple(t for t in types if isinstance(t, str)) if isinstance(types, list) else (),
            sha if isinstance(sha, str) else None, valid if isinstance(valid, str) else None))
    return found


def _table(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def previous_snapshot(project: Project) -> dict[str, Any] | None:
    raw = project.extra.get(PREVIOUS_KEY)
    return raw if isinstance(raw, dict) else None


def carried_valid_until(project: Project, types: list[str]) -> date | None:
    """The earlier application's ``valid_until`` for an approval of one of ``types``.

    A starting answer when the approval is attached again to the change application: the
    latest date the earlier application recorded for a document of those types.
    """
    raw = previous_snapshot(project)
    if raw is None:
        return None
    dates = []
    for doc in _earlier_documents(raw.get("documents")):
        if doc.valid_until and set(doc.types) & set(types):
            try:
                dates.append(date.fromisoformat(doc.valid_until))
            except ValueError:
                continue
    return max(dates) if dates else None


def compare_with_previous(project: Project) -> ChangeSummary | None:
    """What changed since the earlier application; ``None`` when there is no snapshot.

    A document with the same content (sha256) as an earlier one is unchanged; otherwise one
    sharing a type with an earlier document not yet accounted for replaces it; otherwise it is
    new. Earlier documents left over are not enclosed again.
    """
    raw = previous_snapshot(project)
    if raw is None:
        return None
    earlier = _earlier_documents(raw.get("documents"))
    used: set[str] = set()
    matched: dict[int, DocumentChange] = {}
    for index, doc in enumerate(project.documents):
        same = next((e for e in earlier if e.path not in used and doc.sha256
                     and e.sha256 == doc.sha256), None)
        if same is not None:
            used.add(same.path)
            matched[index] = DocumentChange(DocumentChangeKind.UNCHANGED, doc.path,
                                            doc.display_title, tuple(doc.types), same.path)
    for index, doc in enumerate(project.documents):
        if index in matched:
            continue
        replaced = next((e for e in earlier if e.path not in used
                         and set(e.types) & set(doc.types)), None)
        if replaced is not None:
            used.add(replaced.path)
            matched[index] = DocumentChange(DocumentChangeKind.REPLACED, doc.path,
                                            doc.display_title, tuple(doc.types), replaced.path)
        else:
            matched[index] = DocumentChange(DocumentChangeKind.NEW, doc.path, doc.display_title,
                                            tuple(doc.types))
    changes = [matched[i] for i in range(len(project.documents))]
    changes += [DocumentChange(DocumentChangeKind.NOT_ENCLOSED, None, e.title, e.types, e.path)
                for e in earlier if e.path not in used]
    answers_before = _table(raw.get("answers"))
    answers = [ValueChange(key, answers_before.get(key), project.answers.get(key))
               for key in dict.fromkeys([*answers_before, *project.answers])
               if answers_before.get(key) != project.answers.get(key)]
    info_before = _table(raw.get("project"))
    facts = []
    for key in INFO_FIELDS:
        now = getattr(project.info, key)
        after = _iso(now) if key in DATE_INFO_FIELDS else now
        before = info_before.get(key)
        if key in info_before and (before or None) != (after or None):
            facts.append(ValueChange(key, before, after))
    title = raw.get("title")
    file = raw.get("file")
    return ChangeSummary(title if isinstance(title, str) else "",
                         file if isinstance(file, str) else "", tuple(changes),
                         tuple(answers), tuple(facts))
