"""Writing the e-mail draft(s) of a saved application, as ``soknadspakke email`` does: the job
the window's "Write e-mail draft…" runs on a worker (no Qt here). The dialogs around it are
:class:`~.admin.AdminTools`'s.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from soknadspakke.core.i18n import T
from soknadspakke.core.project import Project
from soknadspakke.core.tasks import CancelFn, ProgressFn, check_cancel
from soknadspakke.rules.schema import RulePack
from soknadspakke.workspace.email_draft import (
    compose_draft,
    size_limit,
    split_drafts,
    submission_of,
    up_to_date_package,
    write_drafts,
)
from soknadspakke.workspace.locate import compressed_path


@dataclass
class EmailOutcome:
    """What :func:`write_email` did: wrote ``paths``, or stopped (``needs_build``, ``over``)."""

    package: Path | None = None
    paths: list[Path] = field(default_factory=list)
    sizes: list[int] = field(default_factory=list)
    needs_build: bool = False
    #: The single e-mail's encoded size was over ``limit``: nothing was written.
    over: bool = False
    size: int = 0
    limit: int = 0
    compressed: bool = False


@dataclass(frozen=True)
class EmailRequest:
    """Which draft to write: its language and file, the package (``None``: the up-to-date one
    beside the project), compressed first, split when over the limit."""

    lang: str
    target: Path
    package: Path | None = None
    compress: bool = False
    split: bool = False


def write_email(project: Project, pack: RulePack, request: EmailRequest, *,
                progress: ProgressFn | None = None, cancel: CancelFn | None = None
                ) -> EmailOutcome:
    """The e-mail draft(s) for ``project``, as ``soknadspakke email`` writes them; stopped
    (``cancel``) before the draft is written, nothing is."""
    lang, target, package = request.lang, request.target, request.package
    compress, split = request.compress, request.split
    if package is None:
        package = up_to_date_package(project, lang)
        if package is None:
            return EmailOutcome(needs_build=True)
    if compress:
        from soknadspakke.pdf.compress import compress_package

        smaller = compressed_path(package, lang)
        compress_package(package, smaller, dpi=submission_of(pack).compress_dpi,
                         progress=progress, cancel=cancel)
        package = smaller
    check_cancel(cancel)
    if progress is not None:
        progress(0, 1, T("Writing the e-mail draft…"))
    limit = size_limit(pack)
    drafts = [compose_draft(project, pack, package, lang=lang)]
    size = drafts[0].encoded_size
    if size > limit:
        if not split:
            return EmailOutcome(package=package, over=True, size=size, limit=limit,
                                compressed=compress)
        drafts = split_drafts(project, pack, package, lang=lang, limit=limit)
    check_cancel(cancel)
    paths = write_drafts(drafts, target)
    return EmailOutcome(package=package, paths=paths, sizes=[d.encoded_size for d in drafts],
                        size=size, limit=limit, compressed=compress)
