"""The state of every application in a workspace, at a glance.

``workspace_status(root, pack)`` validates each application found by
:func:`~soknadspakke.workspace.locate.find_applications` (rules, files on disk, intake findings
from the cache) and returns one :class:`ApplicationStatus` per project file. A file that cannot
be read (not JSON, a newer format, an impossible answer) is listed with its ``error`` message;
it never stops the others.

The JSON list (``soknadspakke status --format json``) is a public contract: per application
``path`` (relative to the workspace, forward slashes), ``title``, ``application_type`` (the pack's
choice id or null), ``ready`` (null when unreadable), ``errors``, ``warnings``, ``notes``,
``last_change``, ``last_build`` (ISO 8601 with offset, or null), ``package`` (null when not built),
``build_outdated``, and ``error`` (only for an application that cannot be read).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from soknadspakke.core.errors import SoknadError
from soknadspakke.core.findings import Severity
from soknadspakke.core.i18n import Plain, T, Text
from soknadspakke.core.project import Project
from soknadspakke.core.project_file import load_project
from soknadspakke.core.tasks import CancelFn, ProgressFn, check_cancel
from soknadspakke.intake import IntakeCache
from soknadspakke.rules.answers import answer_problems
from soknadspakke.rules.migrate import migrate_project
from soknadspakke.rules.schema import RulePack
from soknadspakke.validation import IntakeFindings, validate_project
from soknadspakke.workspace.locate import existing_package, find_applications
from soknadspakke.workspace.locks import current_holder


@dataclass(frozen=True)
class ApplicationStatus:
    """One application's state; ``error`` is set (and ``ready`` is None) when unreadable."""

    path: Path
    title: str = ""
    application_type: str | None = None
    ready: bool | None = None
    errors: int = 0
    warnings: int = 0
    notes: int = 0
    last_change: datetime | None = None
    last_build: datetime | None = None
    package: Path | None = None
    error: str | None = None
    #: Who else has the application open in the window (a live lock), e.g. "kari on PC-12 …".
    open_by: str | None = None

    @property
    def build_outdated(self) -> bool:
        """A package exists but the application or one of its files changed after it."""
        return (self.last_build is not None and self.last_change is not None
                and self.last_change > self.last_build)

    def relative_path(self, root: Path) -> str:
        try:
            return self.path.relative_to(root).as_posix()
        except ValueError:
            return self.path.as_posix()

    def to_dict(self, root: Path) -> dict[str, Any]:
        data: dict[str, Any] = {
            "path": self.relative_path(root), "title": self.title,
            "application_type": self.application_type, "ready": self.ready,
            "errors": self.errors, "warnings": self.warnings, "notes": self.notes,
            "last_change": _iso(self.last_change), "last_build": _iso(self.last_build),
            "package": self.package.name if self.package is not None else None,
            "build_outdated": self.build_outdated, "open_by": self.open_by,
        }
        if self.error is not None:
            data["error"] = self.error
        return data


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat(timespec="seconds") if moment is not None else None


def _mtime(path: Path) -> datetime | None:
    try:
        return datetime.fromtimestamp(path.stat().st_mtime).astimezone()
    except OSError:
        return None


def last_change(project_file: Path, project: Project | None) -> datetime | None:
    """The newest modification time of the project file and its documents' files."""
    times = [_mtime(project_file)]
    if project is not None:
        times += [_mtime(project.resolve(doc)) for doc in project.documents]
    known = [t for t in times if t is not None]
    return max(known) if known else None


def application_status(project_file: Path, pack: RulePack, *, lang: str,
                       options: Mapping[str, str] | None = None, today: date | None = None,
                       cache: IntakeCache | None = None, cancel: CancelFn | None = None
                       ) -> ApplicationStatus:
    """Validate one application; an unreadable one gives a status with ``error`` set."""
    holder = current_holder(project_file)
    status = _validated(project_file, pack, lang=lang, options=options, today=today,
                        cache=cache, cancel=cancel)
    return replace(status, open_by=holder.describe()) if holder is not None else status


def _validated(project_file: Path, pack: RulePack, *, lang: str,
               options: Mapping[str, str] | None, today: date | None,
               cache: IntakeCache | None, cancel: CancelFn | None) -> ApplicationStatus:
    package = existing_package(project_file)
    last_build = _mtime(package) if package is not None else None
    try:
        project = load_project(project_file)
        migrate_project(project, pack)  # read as the pack now names things (not saved)
        problems = answer_problems(project, pack)
        if problems:
            field, reason = problems[0]
            raise SoknadError(reason.render(lang), field=field)
    except SoknadError as exc:
        return ApplicationStatus(project_file, error=exc.message if exc.field is None
                                 else f"{exc.field}: {exc.message}",
                                 last_change=last_change(project_file, None),
                                 last_build=last_build, package=package)
    try:
        report = validate_project(project, pack, options=options, today=today,
                                  file_findings=IntakeFindings({}, cache), cancel=cancel)
    except (SoknadError, OSError) as exc:
        return ApplicationStatus(project_file, title=project.info.title, error=str(exc),
                                 last_change=last_change(project_file, project),
                                 last_build=last_build, package=package)
    counts = report.counts()
    app_type = pack.application_type(report.evaluation.facts)
    return ApplicationStatus(
        project_file, title=project.info.title,
        application_type=app_type if isinstance(app_type, str) else None,
        ready=report.ready, errors=counts[Severity.ERROR], warnings=counts[Severity.WARNING],
        notes=counts[Severity.INFO], last_change=last_change(project_file, project),
        last_build=last_build, package=package)


def workspace_status(root: Path, pack: RulePack, *, lang: str,
                     options: Mapping[str, str] | None = None, today: date | None = None,
                     cache: IntakeCache | None = None, progress: ProgressFn | None = None,
                     cancel: CancelFn | None = None) -> list[ApplicationStatus]:
    """Every application under ``root`` (see :func:`find_applications`), in path order."""
    files = find_applications(root)
    statuses: list[ApplicationStatus] = []
    for index, project_file in enumerate(files):
        check_cancel(cancel)
        if progress:
            progress(index, len(files), T("Checking {file}", file=project_file.name))
        statuses.append(application_status(project_file, pack, lang=lang, options=options,
                                           today=today, cache=cache, cancel=cancel))
    if progress:
        progress(len(files), len(files), Plain(""))
    return statuses


# -- presentation ----------------------------------------------------------------------------

COLUMNS: tuple[tuple[str, Text], ...] = (
    ("path", T("Application")), ("type", T("Type")), ("ready", T("Ready")),
    ("errors", T("Errors")), ("warnings", T("Warnings")), ("last_change", T("Last change")),
    ("last_build", T("Last build")),
)


def type_label(pack: RulePack, app_type: str | None, lang: str) -> str:
    """The pack's label for an application type id ("Ny søknad"), or "—"."""
    if app_type is None:
        return "—"
    if pack.application_type_question is None:
        return app_type
    try:
        return pack.question(pack.application_type_question).choice_label(app_type).render(
            lang)
    except KeyError:
        return app_type


def _moment(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M") if moment is not None else "—"


def status_rows(statuses: Sequence[ApplicationStatus], root: Path, pack: RulePack, lang: str
                ) -> list[dict[str, str]]:
    """One row of display text per application, keyed like :data:`COLUMNS`, plus ``error``."""
    rows = []
    for status in statuses:
        if status.error is not None:
            ready = T("cannot be read").render(lang)
        else:
            ready = T("yes").render(lang) if status.ready else T("no").render(lang)
        last_build = _moment(status.last_build)
        if status.build_outdated:
            last_build += " " + T("(outdated)").render(lang)
        rows.append({
            "path": status.relative_path(root),
            "type": type_label(pack, status.application_type, lang),
            "ready": ready,
            "errors": str(status.errors) if status.error is None else "—",
            "warnings": str(status.warnings) if status.error is None else "—",
            "last_change": _moment(status.last_change), "last_build": last_build,
            "error": status.error or "",
        })
    return rows


def format_status_text(statuses: Sequence[ApplicationStatus], root: Path, pack: RulePack,
                       lang: str) -> str:
    """An aligned table, then the reasons for the applications that cannot be read."""
    rows = status_rows(statuses, root, pack, lang)
    headers = {key: title.render(lang) for key, title in COLUMNS}
    widths = {key: max([len(headers[key])] + [len(r[key]) for r in rows]) for key, _t in COLUMNS}
    numeric = {"errors", "warnings"}

    def line(values: Mapping[str, str]) -> str:
        cells = [values[k].rjust(widths[k]) if k in numeric else values[k].ljust(widths[k])
                 for k, _t in COLUMNS]
        return "  ".join(cells).rstrip()

    out = [line(headers), "  ".join("-" * widths[k] for k, _t in COLUMNS)]
    out += [line(r) for r in rows]
    broken = [r for r in rows if r["error"]]
    if broken:
        out.append("")
        out += [f"{r['path']}: {r['error']}" for r in broken]
    opened = [(r["path"], s.open_by) for r, s in zip(rows, statuses, strict=True) if s.open_by]
    if opened:
        out.append("")
        out += [T("{path}: open in the window by {who}", path=path, who=who).render(lang)
                for path, who in opened]
    ready = sum(1 for s in statuses if s.ready)
    out.append("")
    out.append(T("{count} applications: {ready} ready, {not_ready} not ready, {broken} cannot "
                 "be read", count=len(statuses), ready=ready,
                 not_ready=sum(1 for s in statuses if s.ready is False),
                 broken=len(broken)).render(lang))
    return "\n".join(out) + "\n"


def format_status_csv(statuses: Sequence[ApplicationStatus], root: Path, pack: RulePack,
                      lang: str) -> str:
    """CSV for a spreadsheet: the table's columns plus the type id and the error message.

    Numbers and dates are written plainly (counts as integers, times as ISO 8601), so the
    spreadsheet can sort and filter them.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([title.render(lang) for _k, title in COLUMNS]
                    + [T("Title").render(lang), "application_type",
                       T("Error").render(lang), T("Open by").render(lang)])
    for status, row in zip(statuses, status_rows(statuses, root, pack, lang), strict=True):
        writer.writerow([
            row["path"], row["type"], row["ready"],
            status.errors if status.error is None else "",
            status.warnings if status.error is None else "",
            _iso(status.last_change) or "", _iso(status.last_build) or "",
            status.title, status.application_type or "", status.error or "",
            status.open_by or "",
        ])
    return buffer.getvalue()
