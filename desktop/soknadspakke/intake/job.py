"""One call of :func:`~soknadspakke.intake.flow.inspect_file` as the analysers see it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from soknadspakke.core.i18n import T, Text
from soknadspakke.core.tasks import CancelFn, ProgressFn
from soknadspakke.intake.cache import IntakeCache, place_pdf


class Progress:
    """Reports steps of one file to the caller's ``progress`` (``done`` of ``total``)."""

    def __init__(self, progress: ProgressFn | None, name: str) -> None:
        self.progress = progress
        self.name = name

    def __call__(self, done: int, total: int, message: Text) -> None:
        if self.progress is not None:
            self.progress(done, total, message)

    def page(self, done: int, total: int) -> None:
        self(done, total, T("Reading the text of {file}: page {page} of {pages}",
                            file=self.name, page=done + 1, pages=total))


@dataclass
class Job:
    """One call of :func:`~soknadspakke.intake.flow.inspect_file`: its inputs and helpers."""

    name: str
    sha256: str
    password: str | None
    cache: IntakeCache | None
    report: Progress
    cancel: CancelFn | None

    def store_pdf(self, pdf: bytes) -> Path:
        return place_pdf(self.cache, self.sha256, pdf)
