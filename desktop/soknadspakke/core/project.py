"""The project model: project facts, answers to the rule pack's questions, and documents.

The model is plain Python and observable: every change goes through a method that notifies
subscribers with a :class:`ProjectEvent`, so a GUI table model, an undo stack or an autosave can
follow it without the core knowing about Qt.

Two phases, as Qt's item models need them (``beginInsertRows`` … ``endInsertRows``): listeners
subscribed with ``about_to=True`` hear of an insertion, removal or move *before* the list
changes (``DOCUMENT_ADDING``, ``DOCUMENT_REMOVING``, ``DOCUMENT_MOVING``), every listener hears
of every change *after* it is made. A change that changes nothing emits nothing. Events carry
what changed (``old`` and ``new`` values, the document added or removed), so a listener never
needs a copy of the model. A listener that raises is logged and the others are still told.

Answers are kept as the JSON values the project file holds (strings, booleans, lists, ``None``);
their meaning and allowed values come from the rule pack, which checks them.
"""

from __future__ import annotations

import copy
import enum
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, fields, replace
from datetime import date
from pathlib import Path, PurePosixPath
from typing import Any

from soknadspakke.core.i18n import _
from soknadspakke.core.paths import check_link_inside

PROJECT_SUFFIX = ".soknad"
#: The project file's top-level key for findings the user has marked as checked:
#: ``[{"id": …, "code": …, "file": …}]`` (older versions keep it as an unknown key).
VERIFIED_KEY = "verified_findings"

#: The project file's top-level key naming the rule pack it was last opened with:
#: ``{"id": …, "version": …}``, so a later pack version can migrate it (older files lack it).
RULE_PACK_KEY = "rule_pack"

log = logging.getLogger(__name__)

#: The project-fact keys of the file format, in the order they are written.
INFO_FIELDS: tuple[str, ...] = (
    "title", "project_leader", "institution", "org_number", "ssb_reference", "contact_email",
    "period_start", "period_end",
)
DATE_INFO_FIELDS = frozenset({"period_start", "period_end"})


@dataclass
class ProjectInfo:
    """Facts about the project, as on the application form."""

    title: str = ""
    project_leader: str = ""
    institution: str = ""
    org_number: str = ""
    ssb_reference: str = ""
    contact_email: str = ""
    period_start: date | None = None
    period_end: date | None = None
    #: Keys the program does not know, kept so saving never loses another tool's data.
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class Document:
    """One attachment: a file (relative to the project file) and the types it serves as."""

    path: str
    types: list[str] = field(default_factory=list)
    sha256: str | None = None
    title: str | None = None
    data_owner: str | None = None
    valid_until: date | None = None
    #: A DPIA (or negative DPIA) revised for this change (RULES.md §3 "updated DPIA").
    updated_for_this_change: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def file_name(self) -> str:
        return PurePosixPath(self.path).name

    @property
    def display_title(self) -> str:
        """The title, or the file name when there is none."""
        return self.title or self.file_name


class EventKind(enum.Enum):
    INFO_CHANGED = "info_changed"
    ANSWER_CHANGED = "answer_changed"
    DOCUMENT_ADDED = "document_added"
    DOCUMENT_REMOVED = "document_removed"
    DOCUMENT_CHANGED = "document_changed"
    DOCUMENT_MOVED = "document_moved"
    FINDING_VERIFIED = "finding_verified"
    RESET = "reset"
    # Sent before the document list changes, to listeners subscribed with ``about_to=True``.
    DOCUMENT_ADDING = "document_adding"
    DOCUMENT_REMOVING = "document_removing"
    DOCUMENT_MOVING = "document_moving"


@dataclass(frozen=True)
class ProjectEvent:
    """What changed: ``key`` is the info field or answer id; ``index`` the document row.

    For a move, ``index`` is the row the document leaves and ``to_index`` the row it has
    afterwards. ``old``/``new`` are the values before and after (info fields, answers —
    ``None`` for no answer — and, for ``DOCUMENT_CHANGED``, the documents); ``document`` is the
    document added, removed or moved. They are left out of comparisons, so an event reads as
    its kind and place.
    """

    kind: EventKind
    key: str | None = None
    index: int | None = None
    to_index: int | None = None
    old: Any = field(default=None, compare=False)
    new: Any = field(default=None, compare=False)
    document: Document | None = field(default=None, compare=False)


Listener = Callable[[ProjectEvent], None]


def normalize_relative_path(raw: str) -> str:
    """A document path as stored: relative, with forward slashes, never leaving the folder.

    Raises ``ValueError`` with a reason for absolute paths and paths that escape.
    """
    text = raw.strip().replace("\\", "/")
    if not text:
        raise ValueError(_("the path is empty"))
    if text.startswith("/") or (len(text) > 1 and text[1] == ":"):
        raise ValueError(_("'{path}' is absolute; paths must be relative to the project file"
                           ).format(path=raw))
    parts: list[str] = []
    for part in PurePosixPath(text).parts:
        if part in ("", "."):
            continue
        if part == "..":
            if not parts:
                raise ValueError(_("'{path}' points outside the project's folder").format(
                    path=raw))
            parts.pop()
            continue
        parts.append(part)
    if not parts:
        raise ValueError(_("'{path}' does not name a file").format(path=raw))
    return "/".join(parts)


class Project:
    """An application being prepared. Mutate it only through its methods."""

    def __init__(self, info: ProjectInfo | None = None, answers: dict[str, Any] | None = None,
                 documents: list[Document] | None = None, *, path: Path | None = None,
                 extra: dict[str, Any] | None = None) -> None:
        self.info = info or ProjectInfo()
        self.answers: dict[str, Any] = dict(answers or {})
        self.documents: list[Document] = list(documents or [])
        self.extra: dict[str, Any] = dict(extra or {})
        self.path = path
        self.modified = False
        self._listeners: list[Listener] = []
        self._before: list[Listener] = []

    # -- observation ---------------------------------------------------------------------
    def subscribe(self, listener: Listener, *, about_to: bool = False) -> Callable[[], None]:
        """Call ``listener`` after every change (and, with ``about_to``, also before the
        document list changes); returns a function that unsubscribes."""
        targets = [self._listeners] + ([self._before] if about_to else [])
        for target in targets:
            target.append(listener)

        def unsubscribe() -> None:
            for target in targets:
                if listener in target:
                    target.remove(listener)

        return unsubscribe

    @staticmethod
    def _notify(listeners: list[Listener], event: ProjectEvent) -> None:
        for listener in list(listeners):
            try:
                listener(event)
            except Exception:  # one listener's bug must not stop the others or the change
                log.exception("a project listener failed on %s", event.kind.value)

    def _about_to(self, event: ProjectEvent) -> None:
        self._notify(self._before, event)

    def _emit(self, event: ProjectEvent) -> None:
        self.modified = True
        self._notify(self._listeners, event)

    # -- location ------------------------------------------------------------------------
    @property
    def base_dir(self) -> Path:
        """The folder document paths are relative to (the project file's folder)."""
        return self.path.parent if self.path is not None else Path.cwd()

    def resolve(self, document: Document) -> Path:
        """The document's file on disk."""
        return self.base_dir / PurePosixPath(document.path)

    def relative_path_for(self, file: Path) -> str:
        """How ``file`` is stored in this project; raises ``ValueError`` outside the folder,
        :class:`~soknadspakke.core.paths.OutsideProjectError` for a link in it to outside."""
        check_link_inside(Path(file), self.base_dir)
        try:
            rel = Path(file).resolve().relative_to(self.base_dir.resolve())
        except ValueError:
            raise ValueError(_("'{file}' is not inside the project's folder '{folder}'").format(
                file=file, folder=self.base_dir)) from None
        return normalize_relative_path(rel.as_posix())

    # -- facts and answers ---------------------------------------------------------------
    def set_info(self, key: str, value: Any) -> None:
        """Set one project fact (``title``, ``period_end`` …)."""
        if key not in INFO_FIELDS:
            raise KeyError(key)
        old = getattr(self.info, key)
        if old == value:
            return
        setattr(self.info, key, value)
        self._emit(ProjectEvent(EventKind.INFO_CHANGED, key=key, old=old, new=value))

    def set_answer(self, key: str, value: Any) -> None:
        """Answer a question; ``None`` removes the answer."""
        old = self.answers.get(key)
        if value is None:
            if key in self.answers:
                del self.answers[key]
                self._emit(ProjectEvent(EventKind.ANSWER_CHANGED, key=key, old=old))
            return
        if key in self.answers and old == value:
            return
        self.answers[key] = copy.deepcopy(value)
        self._emit(ProjectEvent(EventKind.ANSWER_CHANGED, key=key, old=old,
                                new=copy.deepcopy(value)))

    # -- documents -----------------------------------------------------------------------
    def add_document(self, document: Document, index: int | None = None) -> int:
        """Insert a copy of ``document`` (at the end by default); returns its row.

        The stored document has the normalized path; the caller's object is not changed.
        """
        document = replace(document, path=normalize_relative_path(document.path),
                           types=list(document.types), extra=dict(document.extra))
        row = len(self.documents) if index is None else max(0, min(index, len(self.documents)))
        self._about_to(ProjectEvent(EventKind.DOCUMENT_ADDING, index=row, document=document))
        self.documents.insert(row, document)
        self._emit(ProjectEvent(EventKind.DOCUMENT_ADDED, index=row, document=document))
        return row

    def remove_document(self, index: int) -> Document:
        """Remove and return the document at ``index``."""
        document = self.documents[index]
        index = index % len(self.documents)
        self._about_to(ProjectEvent(EventKind.DOCUMENT_REMOVING, index=index, document=document))
        del self.documents[index]
        self._emit(ProjectEvent(EventKind.DOCUMENT_REMOVED, index=index, document=document))
        return document

    def move_document(self, index: int, to_index: int) -> None:
        """Move a document to another row (the user's order within a type).

        ``to_index`` is the row it has afterwards (clamped to the list).
        """
        document = self.documents[index]
        index = index % len(self.documents)
        to_index = max(0, min(to_index, len(self.documents) - 1))
        if index == to_index:
            return
        self._about_to(ProjectEvent(EventKind.DOCUMENT_MOVING, index=index, to_index=to_index,
                                    document=document))
        del self.documents[index]
        self.documents.insert(to_index, document)
        self._emit(ProjectEvent(EventKind.DOCUMENT_MOVED, index=index, to_index=to_index,
                                document=document))

    def update_document(self, index: int, **changes: Any) -> None:
        """Change fields of the document at ``index`` (``types=[…]``, ``title=…`` …)."""
        known = {f.name for f in fields(Document)}
        unknown = set(changes) - known
        if unknown:
            raise KeyError(", ".join(sorted(unknown)))
        if "path" in changes:
            changes["path"] = normalize_relative_path(changes["path"])
        if "types" in changes:
            changes["types"] = list(changes["types"])
        old = self.documents[index]
        new = replace(old, **changes)
        if new == old:
            return
        self.documents[index] = new
        self._emit(ProjectEvent(EventKind.DOCUMENT_CHANGED, index=index, old=old, new=new))

    def documents_of_type(self, type_id: str) -> Iterator[Document]:
        """Documents tagged ``type_id``, in the user's order."""
        return (d for d in self.documents if type_id in d.types)

    # -- findings the user has checked ---------------------------------------------------
    def verified_findings(self) -> set[str]:
        """Ids of findings the user has marked as checked ("I have verified this")."""
        raw = self.extra.get(VERIFIED_KEY)
        if not isinstance(raw, list):
            return set()
        return {item["id"] if isinstance(item, dict) else item for item in raw
                if isinstance(item, str) or (isinstance(item, dict)
                                             and isinstance(item.get("id"), str))}

    def set_verified(self, finding_id: str, verified: bool = True, *, code: str = "",
                     file: str = "") -> None:
        """Mark a finding as checked (or not); kept in the project file."""
        was = finding_id in self.verified_findings()
        if was == verified:
            return
        raw = self.extra.get(VERIFIED_KEY)
        items = list(raw) if isinstance(raw, list) else []
        kept = [i for i in items if (i.get("id") if isinstance(i, dict) else i) != finding_id]
        if verified:
            kept.append({"id": finding_id, "code": code, "file": file})
        if kept:
            self.extra[VERIFIED_KEY] = kept
        else:
            self.extra.pop(VERIFIED_KEY, None)
        self._emit(ProjectEvent(EventKind.FINDING_VERIFIED, key=finding_id, old=was,
                                new=verified))

    def mark_saved(self, path: Path) -> None:
        self.path = path
        self.modified = False
