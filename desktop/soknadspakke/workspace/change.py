"""A change application started from the earlier application of the same project.

``new_change_application(previous, directory, pack)`` writes a new project file in
``directory`` with the earlier application's project facts (title, leader, institution,
organisation number, SSB's reference, contact, period), the pack's change answer (e.g.
``application_type = "change"``), the answers the pack carries over (the legal-basis date), and
a snapshot of the earlier application (:mod:`soknadspakke.core.changes`) from which approvals'
``valid_until`` are offered again when they are attached and against which the package shows
what changed. Documents are left to be chosen: a change application encloses what the change
needs, not everything again.
"""

from __future__ import annotations

import copy
import os
from dataclasses import dataclass
from pathlib import Path

from soknadspakke.core.changes import PREVIOUS_KEY, snapshot
from soknadspakke.core.errors import SoknadError
from soknadspakke.core.i18n import _
from soknadspakke.core.project import PROJECT_SUFFIX, Project
from soknadspakke.core.project_file import load_project, save_project
from soknadspakke.rules.schema import RulePack


@dataclass(frozen=True)
class NewChange:
    project: Project
    #: Answers copied from the earlier application (question id -> value).
    carried_answers: dict[str, object]
    #: Approval types whose ``valid_until`` is offered again when attached.
    carried_approvals: dict[str, str]


def _reference_to(previous: Path, target: Path) -> str:
    """The earlier file, relative to the new project's folder where possible."""
    try:
        return Path(os.path.relpath(previous.resolve(), target.parent.resolve())).as_posix()
    except ValueError:  # another drive on Windows
        return previous.resolve().as_posix()


def new_change_application(previous_file: Path, directory: Path, pack: RulePack, *,
                           name: str | None = None, overwrite: bool = False) -> NewChange:
    """Create and save the change application; raises :class:`SoknadError` with the reason."""
    template = pack.change_application
    if template is None:
        raise SoknadError(_("the rule pack {pack} has no change applications").format(
            pack=pack.id))
    previous = load_project(previous_file)
    stem = name or directory.resolve().name or "endring"
    if stem.endswith(PROJECT_SUFFIX):
        stem = stem[: -len(PROJECT_SUFFIX)]
    target = directory / f"{stem}{PROJECT_SUFFIX}"
    if target.resolve() == previous_file.resolve():
        raise SoknadError(_("the change application needs a file of its own, not the earlier "
                            "application's"), path=target)
    if target.exists() and not overwrite:
        raise SoknadError(_("exists already; choose another folder or name"), path=target)
    info = copy.deepcopy(previous.info)
    answers: dict[str, object] = {template.question: template.value}
    carried = {key: copy.deepcopy(previous.answers[key]) for key in template.carry_answers
               if key in previous.answers}
    answers.update(carried)
    approvals: dict[str, str] = {}
    for doc in previous.documents:
        if doc.valid_until is None:
            continue
        for type_id in doc.types:
            if pack.has_document_type(type_id) and pack.document_type(type_id).approval:
                current = approvals.get(type_id)
                if current is None or doc.valid_until.isoformat() > current:
                    approvals[type_id] = doc.valid_until.isoformat()
    project = Project(info, answers, [], path=target, extra={
        PREVIOUS_KEY: snapshot(previous, _reference_to(previous_file, target))})
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SoknadError(_("cannot create the folder ({reason})").format(
            reason=exc.strerror), path=directory) from None
    save_project(project, target)
    return NewChange(project, carried, approvals)
