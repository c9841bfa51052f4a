"""Progress and cancellation for long work (intake of many files, building a package).

Long work is a plain function taking ``progress`` and ``cancel`` callables, so the GUI can run
it on a worker thread (or in another process) and the CLI in the foreground. Neither callable
may touch widgets.

Progress messages are :class:`~soknadspakke.core.i18n.Text`: the caller renders them in its
own language (a file name travels as :class:`~soknadspakke.core.i18n.Plain`). A use case made
of parts reports each part through :func:`sub_progress` over one total, wrapped in
:class:`Monotone`, so what the user sees never jumps back.
"""

from __future__ import annotations

from collections.abc import Callable

from soknadspakke.core.errors import Cancelled
from soknadspakke.core.i18n import Text

#: ``progress(done, total, message)``: ``done`` of ``total`` steps, and what is being done.
ProgressFn = Callable[[int, int, Text], None]
#: ``cancel()`` returns True when the user asked to stop.
CancelFn = Callable[[], bool]


def no_progress(done: int, total: int, message: Text) -> None:
    """A progress callback that ignores reports."""


def never_cancel() -> bool:
    """A cancel callback that never asks to stop."""
    return False


def check_cancel(cancel: CancelFn | None) -> None:
    """Raise :class:`Cancelled` if ``cancel`` says the user asked to stop."""
    if cancel is not None and cancel():
        raise Cancelled


class Monotone:
    """Passes reports on, but never a smaller ``done`` or ``total`` than one already sent,
    and never ``done`` past ``total``."""

    def __init__(self, progress: ProgressFn | None) -> None:
        self.progress = progress
        self.done = 0
        self.total = 0

    def __call__(self, done: int, total: int, message: Text) -> None:
        self.total = max(self.total, total)
        self.done = min(max(self.done, done), self.total)
        if self.progress is not None:
            self.progress(self.done, self.total, message)


def sub_progress(progress: ProgressFn | None, start: int, span: int, total: int
                 ) -> ProgressFn | None:
    """A progress callback for one part of the work: the part's own ``done`` of ``its total``
    is reported as ``start`` … ``start + span`` of ``total``."""
    if progress is None:
        return None
    report = progress

    def part(done: int, part_total: int, message: Text) -> None:
        fraction = min(max(done, 0), part_total) / part_total if part_total > 0 else 1.0
        report(start + int(fraction * span), total, message)

    return part
