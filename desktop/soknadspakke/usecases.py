"""Use cases both front ends call: attaching a file to a project, and what is still to answer.

Attaching is split in two so the window can do the slow part on a worker thread and the change
on its own thread, through its undo stack:

- :func:`prepare_attachment` (any thread; reads the project, never changes it): intake of the
  source file, then a copy into the project's ``vedlegg/`` folder when it lies outside the
  project (the original is only read) and its sha256;
- :func:`apply_attachment` (the thread that owns the project): add the document, or update the
  entry that already names that path.

:func:`attach_file` does both, for the command line.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from soknadspakke.core.atomic import copy_file_atomic
from soknadspakke.core.errors import SoknadError
from soknadspakke.core.findings import Finding
from soknadspakke.core.i18n import _
from soknadspakke.core.project import Document, Project
from soknadspakke.core.tasks import CancelFn, ProgressFn, check_cancel
from soknadspakke.intake import IntakeCache, IntakeResult, inspect_file, with_suggestions
from soknadspakke.rules.document_checks import MAX_TYPES_PER_DOCUMENT
from soknadspakke.rules.engine import Evaluation, evaluate
from soknadspakke.rules.schema import RulePack
from soknadspakke.validation import (
    FileState,
    IntakeFindings,
    check_files,
    consistency_findings,
    sha256_of,
    type_keywords,
)

#: The folder, beside the project file, that files from elsewhere are copied into.
ATTACHMENT_FOLDER = "vedlegg"


class AttachError(SoknadError):
    """A file cannot be attached (the message says why)."""


def check_types(pack: RulePack, types: list[str]) -> list[str]:
    """``types`` without repeats; raises :class:`AttachError` for unknown ids or too many."""
    unknown = [t for t in types if not pack.has_document_type(t)]
    if unknown:
        raise AttachError(_("unknown document type {types}; known types: {known}").format(
            types=", ".join(unknown), known=", ".join(t.id for t in pack.document_types)))
    unique = list(dict.fromkeys(types))
    if len(unique) > MAX_TYPES_PER_DOCUMENT:
        raise AttachError(_("a file may serve as at most two document types"))
    return unique


def place_in_project(project: Project, source: Path) -> tuple[str, bool]:
    """The relative path for ``source``, and whether it was copied: a file outside the project's
    folder is copied into ``vedlegg/`` (a file with the same content there is reused)."""
    try:
        return project.relative_path_for(source), False
    except ValueError:
        pass
    folder = project.base_dir / ATTACHMENT_FOLDER
    target = folder / source.name
    counter = 2
    source_sha = sha256_of(source)
    while target.exists():
        if target.is_file() and sha256_of(target) == source_sha:
            return project.relative_path_for(target), False
        target = folder / f"{source.stem}-{counter}{source.suffix}"
        counter += 1
    try:
        folder.mkdir(parents=True, exist_ok=True)
        copy_file_atomic(source, target)  # nothing left on failure; old leftovers swept
    except OSError as exc:
        raise AttachError(_("cannot copy {file} into {folder}: {reason}").format(
            file=source, folder=folder, reason=exc.strerror)) from None
    return project.relative_path_for(target), True


@dataclass(frozen=True)
class PreparedAttachment:
    """A file looked at by intake and, when it can go into a package, placed in the project."""

    source: Path
    result: IntakeResult
    #: The path relative to the project file; ``None`` when the file was not placed.
    path: str | None = None
    copied: bool = False
    sha256: str | None = None

    @property
    def placed(self) -> bool:
        return self.path is not None

    @property
    def suggested_type(self) -> str | None:
        """The most likely document type, if intake suggests one."""
        return self.result.suggested_types[0].type_id if self.result.suggested_types else None


def prepare_attachment(project: Project, pack: RulePack, source: Path, *,
                       password: str | None = None, cache: IntakeCache | None = None,
                       progress: ProgressFn | None = None, cancel: CancelFn | None = None
                       ) -> PreparedAttachment:
    """Look at ``source`` with intake (type suggestions included) and, when it can go into a
    package (or only lacks its password), place it in the project. Never changes ``project``.
    """
    if not source.is_file():
        raise AttachError(_("{file}: no such file").format(file=source))
    result = inspect_file(source, keywords=type_keywords(pack), password=password, cache=cache,
                          progress=progress, cancel=cancel)
    if not result.usable and not (result.needs_password and password is None):
        return PreparedAttachment(source, result)
    check_cancel(cancel)
    rel, copied = place_in_project(project, source)
    return PreparedAttachment(source, result, rel, copied, sha256_of(project.base_dir / rel))


@dataclass(frozen=True)
class AttachOutcome:
    row: int
    #: True when an entry with this path existed and was updated instead of added.
    updated: bool


def document_for(prepared: PreparedAttachment, types: list[str], *,
                 fields: Mapping[str, Any] | None = None) -> Document:
    """The new document entry for a placed attachment."""
    if prepared.path is None:
        raise AttachError(_("{file} cannot go into a package").format(file=prepared.source))
    return Document(path=prepared.path, types=list(types), sha256=prepared.sha256,
                    **dict(fields or {}))


def apply_attachment(project: Project, prepared: PreparedAttachment, types: list[str], *,
                     title: str | None = None, data_owner: str | None = None,
                     valid_until: date | None = None, updated_for_this_change: bool = False
                     ) -> AttachOutcome:
    """Add the placed attachment, or update the entry that already names its path (keeping
    what the caller leaves unset)."""
    fields = {"title": title, "data_owner": data_owner, "valid_until": valid_until,
              "updated_for_this_change": updated_for_this_change}
    document = document_for(prepared, types, fields=fields)
    existing = next((i for i, d in enumerate(project.documents) if d.path == document.path),
                    None)
    if existing is None:
        return AttachOutcome(project.add_document(document), updated=False)
    keep: dict[str, Any] = {k: v for k, v in fields.items() if v not in (None, False)}
    keep["sha256"] = document.sha256
    if types:
        keep["types"] = list(types)
    project.update_document(existing, **keep)
    return AttachOutcome(existing, updated=True)


def unanswered_questions(project: Project, pack: RulePack,
                         evaluation: Evaluation | None = None) -> list[str]:
    """Ids of the questions that apply to this application and have no answer and no
    default, in the pack's order."""
    evaluation = evaluation or evaluate(project, pack)
    return [qid for qid in evaluation.applicable_questions
            if qid not in project.answers and pack.question(qid).default is None]


@dataclass(frozen=True)
class DocumentCheck:
    """What the file checks found for every document of a project."""

    findings: tuple[Finding, ...]
    states: Mapping[str, FileState]
    #: Intake's result per document path (from the cache when the file is known).
    results: Mapping[str, IntakeResult]


def check_documents(project: Project, pack: RulePack, *,
                    passwords: Mapping[str, str] | None = None,
                    cache: IntakeCache | None = None, suggest_untyped: bool = True,
                    progress: ProgressFn | None = None, cancel: CancelFn | None = None
                    ) -> DocumentCheck:
    """The file checks of validation (present, readable, unchanged, intake's findings) for
    every document; documents without a type also get intake's type suggestions."""
    intake = IntakeFindings(passwords or {}, cache)

    def file_findings(doc: Document, path: Path, sha256: str) -> list[Finding]:
        # Intake names the file it looked at; the window finds documents by their path.
        return [replace(f, files=tuple(doc.path if name == doc.file_name else name
                                       for name in f.files) or (doc.path,))
                for f in intake(doc, path, sha256)]

    findings, states = check_files(project, pack, file_findings=file_findings,
                                   progress=progress, cancel=cancel)
    # What the documents say against the project and each other (the pack's consistency
    # checks), as validate reports it.
    findings += consistency_findings(project, pack, intake, evaluate(project, pack).facts, None)
    results = dict(intake.results)
    if suggest_untyped:
        keywords = type_keywords(pack)
        for doc in project.documents:
            check_cancel(cancel)
            result = results.get(doc.path)
            if result is not None and not doc.types and result.pdf_path is not None:
                results[doc.path] = with_suggestions(result, keywords, cache)
    return DocumentCheck(tuple(findings), states, results)


def missing_documents(project: Project) -> list[int]:
    """Rows of the documents whose file is not where the project says."""
    return [i for i, d in enumerate(project.documents) if not project.resolve(d).is_file()]


def find_moved_documents(project: Project, folder: Path, *, cancel: CancelFn | None = None
                         ) -> dict[int, Path]:
    """Where the missing documents are in ``folder`` (searched with its subfolders): a file
    with the same name, and the same content when the document's sha256 is known."""
    missing = {i: project.documents[i] for i in missing_documents(project)}
    if not missing:
        return {}
    by_name: dict[str, list[Path]] = {}
    for path in sorted(folder.rglob("*")):
        check_cancel(cancel)
        if path.is_file():
            by_name.setdefault(path.name, []).append(path)
    found: dict[int, Path] = {}
    for row, doc in missing.items():
        for candidate in by_name.get(doc.file_name, []):
            if doc.sha256 is None or sha256_of(candidate) == doc.sha256:
                found[row] = candidate
                break
    return found
