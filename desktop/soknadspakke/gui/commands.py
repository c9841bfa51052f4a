"""Undo commands: one small command per change to the project, each over a public
:class:`~soknadspakke.core.project.Project` method and its inverse (as orange-canvas-core's
``document/commands.py``).

Every command tells the :class:`Focus` what it touched, so after an undo or redo the window
selects those documents again or focuses that field. Typing in one field is merged into one
step (``id()`` + ``mergeWith()``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import fields
from typing import Any

from PySide6.QtGui import QUndoCommand

from soknadspakke.core.i18n import T, Text, current_language
from soknadspakke.core.project import Document, Project


class Focus:
    """Where the window should look after a command ran (set by commands, read by the
    window): documents by path, or a field (``project.<key>`` / ``answers.<id>``)."""

    def __init__(self) -> None:
        self.listeners: list[Callable[[list[str], str | None], None]] = []

    def show(self, paths: Sequence[str] = (), field: str | None = None) -> None:
        for listener in list(self.listeners):
            listener(list(paths), field)


class ProjectCommand(QUndoCommand):
    def __init__(self, project: Project, focus: Focus, label: Text) -> None:
        super().__init__(label.render(current_language()))
        self.label = label
        self.project = project
        self.focus = focus

    def retranslate(self) -> None:
        """Show the label in the current language (after a language switch)."""
        self.setText(self.label.render(current_language()))


class AddDocuments(ProjectCommand):
    """Insert documents at ``row`` (in the project's order); undo removes them."""

    def __init__(self, project: Project, focus: Focus, documents: Sequence[Document],
                 row: int | None = None) -> None:
        text = (T("Add {file}", file=documents[0].display_title) if len(documents) == 1
                else T("Add {n} documents", n=len(documents)))
        super().__init__(project, focus, text)
        self.documents = list(documents)
        self.row = len(project.documents) if row is None or row < 0 else row
        self.rows: list[int] = []

    def redo(self) -> None:
        self.rows = [self.project.add_document(doc, self.row + i)
                     for i, doc in enumerate(self.documents)]
        self.focus.show([self.project.documents[r].path for r in self.rows])

    def undo(self) -> None:
        for row in sorted(self.rows, reverse=True):
            self.project.remove_document(row)
        self.focus.show()


class RemoveDocuments(ProjectCommand):
    """Remove documents (asks nothing: undo brings them back where they were)."""

    def __init__(self, project: Project, focus: Focus, rows: Sequence[int]) -> None:
        rows = sorted(set(rows))
        docs = [project.documents[r] for r in rows]
        text = (T("Remove {file}", file=docs[0].display_title) if len(docs) == 1
                else T("Remove {n} documents", n=len(docs)))
        super().__init__(project, focus, text)
        self.removed = list(zip(rows, docs, strict=True))

    def redo(self) -> None:
        for row, _doc in reversed(self.removed):
            self.project.remove_document(row)
        self.focus.show()

    def undo(self) -> None:
        for row, doc in self.removed:
            self.project.add_document(doc, row)
        self.focus.show([doc.path for _row, doc in self.removed])


class MoveDocument(ProjectCommand):
    """Move one document from row ``index`` so that it ends at row ``to_index``."""

    def __init__(self, project: Project, focus: Focus, index: int, to_index: int) -> None:
        super().__init__(project, focus, T("Move {file}",
                                           file=project.documents[index].display_title))
        self.index, self.to_index = index, to_index

    def redo(self) -> None:
        self.project.move_document(self.index, self.to_index)
        self.focus.show([self.project.documents[self.to_index].path])

    def undo(self) -> None:
        self.project.move_document(self.to_index, self.index)
        self.focus.show([self.project.documents[self.index].path])


class UpdateDocument(ProjectCommand):
    """Change fields of one document (type, title, validity …)."""

    def __init__(self, project: Project, focus: Focus, row: int, text: Text,
                 **changes: Any) -> None:
        super().__init__(project, focus, text)
        known = {f.name for f in fields(Document)}
        unknown = set(changes) - known
        if unknown:
            raise KeyError(", ".join(sorted(unknown)))
        self.row = row
        self.new = dict(changes)
        current = project.documents[row]
        self.old = {k: getattr(current, k) for k in changes}

    def redo(self) -> None:
        self.project.update_document(self.row, **self.new)
        self.focus.show([self.project.documents[self.row].path])

    def undo(self) -> None:
        self.project.update_document(self.row, **self.old)
        self.focus.show([self.project.documents[self.row].path])


_MERGE_INFO, _MERGE_ANSWER = 1001, 1002


class _SetValue(ProjectCommand):
    """Set one value; consecutive edits of the same field while typing merge into one step."""

    merge_id = -1

    def __init__(self, project: Project, focus: Focus, key: str, value: Any, text: Text, *,
                 typing: bool = False) -> None:
        super().__init__(project, focus, text)
        self.key, self.new, self.typing = key, value, typing
        self.old = self.read()

    def read(self) -> Any:  # pragma: no cover - overridden
        raise NotImplementedError

    def write(self, value: Any) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    def field(self) -> str:  # pragma: no cover - overridden
        raise NotImplementedError

    def redo(self) -> None:
        self.write(self.new)
        self.focus.show(field=self.field())

    def undo(self) -> None:
        self.write(self.old)
        self.focus.show(field=self.field())

    def id(self) -> int:
        return self.merge_id if self.typing else -1

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802 - Qt's name
        if not isinstance(other, type(self)) or other.key != self.key or not other.typing:
            return False
        self.new = other.new
        return True


class SetInfo(_SetValue):
    """Set one project fact (title, leader, period …)."""

    merge_id = _MERGE_INFO

    def read(self) -> Any:
        return getattr(self.project.info, self.key)

    def write(self, value: Any) -> None:
        self.project.set_info(self.key, value)

    def field(self) -> str:
        return f"project.{self.key}"


class SetAnswer(_SetValue):
    """Answer one question of the rule pack (``None`` removes the answer)."""

    merge_id = _MERGE_ANSWER

    def read(self) -> Any:
        return self.project.answers.get(self.key)

    def write(self, value: Any) -> None:
        self.project.set_answer(self.key, value)

    def field(self) -> str:
        return f"answers.{self.key}"


class SetVerified(ProjectCommand):
    """Mark a finding from the documents as checked by the user (or remove the mark); undo
    restores what it was. The mark is the core's (``Project.set_verified``), kept in the
    project file."""

    def __init__(self, project: Project, focus: Focus, finding_id: str, verified: bool = True,
                 *, code: str = "", file: str = "") -> None:
        super().__init__(project, focus, T("Mark as checked") if verified
                         else T("Remove the “checked” mark"))
        self.finding_id, self.verified, self.code, self.file = finding_id, verified, code, file
        self.was = finding_id in project.verified_findings()

    def _set(self, verified: bool) -> None:
        self.project.set_verified(self.finding_id, verified, code=self.code, file=self.file)
        self.focus.show()  # the user stays in the checklist, where the finding is

    def redo(self) -> None:
        self._set(self.verified)

    def undo(self) -> None:
        self._set(self.was)
