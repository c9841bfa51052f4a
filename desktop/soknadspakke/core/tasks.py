"""Progress and cancellation for long work (intake of many files, building a package).

Long work is a plain function taking ``progress`` and ``cancel`` callables, so the GUI can run
it on a worker thread and the CLI in the foreground. Neither callable may touch widgets.
"""

from __future__ import annotations

from collections.abc import Callable

from soknadspakke.core.errors import Cancelled

#: ``progress(done, total, message)``: ``done`` of ``total`` steps, and what is being done.
ProgressFn = Callable[[int, int, str], None]
#: ``cancel()`` returns True when the user asked to stop.
CancelFn = Callable[[], bool]


def no_progress(done: int, total: int, message: str) -> None:
    """A progress callback that ignores reports."""


def never_cancel() -> bool:
    """A cancel callback that never asks to stop."""
    return False


def check_cancel(cancel: CancelFn | None) -> None:
    """Raise :class:`Cancelled` if ``cancel`` says the user asked to stop."""
    if cancel is not None and cancel():
        raise Cancelled
