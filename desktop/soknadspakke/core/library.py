"""Documents copied from an administrator's library, and noticing when the library changes.

An administrator keeps documents that many applications share (the institution's FoU agreement,
a standard DPIA) in a library folder, and template applications there too. A library document
attached to an application is copied into the application's folder (document paths never leave
it) and the document entry remembers where it came from and what it was, under the document
key ``library`` (a public contract)::

    {"path": "vedlegg/fou-avtale.pdf", "types": ["fou_agreement"], "sha256": "ab12…",
     "library": {"file": "../_bibliotek/fou-avtale.pdf", "sha256": "ab12…"}}

``file`` is relative to the project file's folder when possible (absolute otherwise, e.g. on
another drive); ``sha256`` is the library file's content when it was copied. When the library
file changes later, :func:`library_findings` flags every application that uses it (code
``library_document_changed``, a warning: the copy in the application is what gets sent).
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

from soknadspakke.core.findings import Finding, Severity
from soknadspakke.core.i18n import T
from soknadspakke.core.project import Document, Project

LIBRARY_KEY = "library"


def library_reference(project: Project, source: Path, sha256: str) -> dict[str, str]:
    """The ``library`` entry for a copy of ``source`` (content ``sha256``) in ``project``."""
    try:
        file = Path(os.path.relpath(source.resolve(), project.base_dir.resolve())).as_posix()
    except ValueError:  # another drive (Windows)
        file = source.resolve().as_posix()
    return {"file": file, "sha256": sha256}


def library_source(project: Project, document: Document) -> tuple[Path, str] | None:
    """The library file a document was copied from and the sha256 it had then, if any."""
    entry: Any = document.extra.get(LIBRARY_KEY)
    if not isinstance(entry, dict):
        return None
    file, sha = entry.get("file"), entry.get("sha256")
    if not isinstance(file, str) or not isinstance(sha, str) or not file:
        return None
    path = Path(file)
    return (path if path.is_absolute() else project.base_dir / path), sha


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


def library_findings(project: Project) -> list[Finding]:
    """``library_document_changed`` (warning) for each copy whose library file has changed;
    ``library_document_gone`` (note) when the library file is no longer there."""
    findings = []
    for doc in project.documents:
        source = library_source(project, doc)
        if source is None:
            continue
        path, sha = source
        try:
            current = _sha256(path)
        except OSError:
            findings.append(Finding(Severity.INFO, "library_document_gone", T(
                "{file} was copied from the library file {library}, which is no longer there; "
                "changes to it cannot be noticed.", file=doc.path, library=str(path)),
                files=(doc.path,), document_types=tuple(doc.types)))
            continue
        if current != sha:
            findings.append(Finding(Severity.WARNING, "library_document_changed", T(
                "{file} is a copy of the library document {library}, which has changed since "
                "it was attached. If the new version applies, update the copy (soknadspakke "
                "library update).", file=doc.path, library=path.name),
                files=(doc.path,), document_types=tuple(doc.types)))
    return findings
