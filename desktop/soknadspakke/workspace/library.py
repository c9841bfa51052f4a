"""The administrator's document library and template applications.

- :func:`attach_from_library`: a library document copied into an application with a reference
  to its source and sha256 (:mod:`soknadspakke.core.library`); attaching the same library file
  again refreshes the copy in place instead of adding a second one.
- :func:`update_library_copies`: every copy whose library file changed, refreshed (the copy
  is replaced atomically; the entry's sha256 follows).
- :func:`library_uses`: for a workspace, which applications use which library file, and which
  copies are out of date ("flagged in every application that uses it").
- :func:`start_from_template`: a new application from a template application (institution,
  organisation number, contact, standard answers); the template's documents are library
  documents, copied with their references.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from soknadspakke.core.atomic import write_bytes_atomic
from soknadspakke.core.errors import SoknadError
from soknadspakke.core.i18n import _
from soknadspakke.core.library import LIBRARY_KEY, library_reference, library_source
from soknadspakke.core.project import Document, Project
from soknadspakke.core.project_file import load_project
from soknadspakke.intake import IntakeCache
from soknadspakke.rules.schema import RulePack
from soknadspakke.usecases import (
    AttachError,
    apply_attachment,
    check_types,
    place_in_project,
    prepare_attachment,
)
from soknadspakke.validation import sha256_of
from soknadspakke.workspace.locate import find_applications


@dataclass(frozen=True)
class LibraryAttach:
    row: int
    path: str
    #: True when an earlier copy of the same library file was refreshed instead of added.
    refreshed: bool


def _copy_of(project: Project, source: Path) -> int | None:
    """The row of the document copied from ``source``, if any."""
    wanted = source.resolve()
    for index, doc in enumerate(project.documents):
        found = library_source(project, doc)
        if found is not None and found[0].resolve() == wanted:
            return index
    return None


def _refresh(project: Project, index: int, source: Path) -> str:
    """Copy ``source`` over the document's file; update its sha256 and reference."""
    doc = project.documents[index]
    try:
        data = source.read_bytes()
    except OSError as exc:
        raise AttachError(_("cannot be read ({reason})").format(reason=exc.strerror),
                          path=source) from None
    write_bytes_atomic(project.resolve(doc), data)
    sha = sha256_of(project.resolve(doc))
    project.update_document(index, sha256=sha, extra={
        **doc.extra, LIBRARY_KEY: library_reference(project, source, sha)})
    return sha


def attach_from_library(project: Project, pack: RulePack, source: Path, types: list[str], *,
                        title: str | None = None, valid_until: date | None = None,
                        cache: IntakeCache | None = None) -> LibraryAttach:
    """Copy a library document into the project (or refresh the copy already there)."""
    types = check_types(pack, types)
    existing = _copy_of(project, source)
    if existing is not None:
        _refresh(project, existing, source)
        changes: dict[str, object] = {}
        if types:
            changes["types"] = types
        if title:
            changes["title"] = title
        if valid_until:
            changes["valid_until"] = valid_until
        if changes:
            project.update_document(existing, **changes)
        return LibraryAttach(existing, project.documents[existing].path, refreshed=True)
    prepared = prepare_attachment(project, pack, source, cache=cache)
    if prepared.path is None or prepared.sha256 is None:
        raise AttachError(_("{file} cannot go into a package").format(file=source))
    outcome = apply_attachment(project, prepared, types, title=title, valid_until=valid_until)
    doc = project.documents[outcome.row]
    project.update_document(outcome.row, extra={
        **doc.extra, LIBRARY_KEY: library_reference(project, source, sha256_of(source))})
    return LibraryAttach(outcome.row, doc.path, refreshed=False)


def update_library_copies(project: Project) -> list[str]:
    """Refresh every copy whose library file has changed; returns their paths."""
    updated = []
    for index, doc in enumerate(project.documents):
        found = library_source(project, doc)
        if found is None or not found[0].is_file():
            continue
        source, sha = found
        if sha256_of(source) != sha:
            _refresh(project, index, source)
            updated.append(doc.path)
    return updated


@dataclass(frozen=True)
class LibraryUse:
    project_file: Path
    document: str
    library_file: Path
    #: The library file changed after it was copied (``None``: the library file is gone).
    changed: bool | None


def library_uses(root: Path) -> list[LibraryUse]:
    """Every copy of a library document in the workspace's applications."""
    uses = []
    hashes: dict[Path, str | None] = {}
    for project_file in find_applications(root):
        try:
            project = load_project(project_file)
        except SoknadError:
            continue
        for doc in project.documents:
            found = library_source(project, doc)
            if found is None:
                continue
            source, sha = found
            key = source.resolve()
            if key not in hashes:
                try:
                    hashes[key] = sha256_of(key)
                except OSError:
                    hashes[key] = None
            current = hashes[key]
            uses.append(LibraryUse(project_file, doc.path, key,
                                   None if current is None else current != sha))
    return uses


#: Project facts a template passes on (the project's own title, leader and period are not).
TEMPLATE_FACTS = ("institution", "org_number", "contact_email")


def start_from_template(template_file: Path, target: Path) -> Project:
    """A new, unsaved project at ``target`` with the template's facts and answers.

    Call :func:`copy_template_documents` once the target folder exists.
    """
    template = load_project(template_file)
    project = Project(path=target)
    for key in TEMPLATE_FACTS:
        value = getattr(template.info, key)
        if value:
            setattr(project.info, key, value)
    project.answers.update(copy.deepcopy(template.answers))
    return project


def copy_template_documents(project: Project, template_file: Path) -> list[str]:
    """Copy the template's documents into ``project`` as library documents; their paths."""
    template = load_project(template_file)
    added = []
    for doc in template.documents:
        source = template.resolve(doc)
        if not source.is_file():
            raise SoknadError(_("the template's document {file} is not there").format(
                file=doc.path), path=template_file)
        rel, _copied = place_in_project(project, source)
        sha = sha256_of(project.base_dir / rel)
        project.add_document(Document(
            path=rel, types=list(doc.types), sha256=sha, title=doc.title,
            data_owner=doc.data_owner, valid_until=doc.valid_until,
            extra={LIBRARY_KEY: library_reference(project, source, sha256_of(source))}))
        added.append(rel)
    return added
