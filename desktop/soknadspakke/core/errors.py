"""Errors the program reports to users. Each names the file and, where known, the field."""

from __future__ import annotations

from pathlib import Path


class SoknadError(Exception):
    """A problem the user can act on. ``str()`` gives a complete, readable message."""

    def __init__(self, message: str, *, path: Path | str | None = None,
                 field: str | None = None) -> None:
        self.message = message
        self.path = Path(path) if path is not None else None
        self.field = field
        super().__init__(self.__str__())

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            where = str(self.path)
            if self.field:
                where += f" ({self.field})"
            where += ": "
        elif self.field:
            where = f"{self.field}: "
        return where + self.message


class ProjectFileError(SoknadError):
    """A project file cannot be read, or holds a value the program cannot accept."""


class RulePackError(SoknadError):
    """A rule pack is malformed. Names the entry that is wrong.

    One error may carry every problem of a pack (``problems``, each naming its entry); the
    message then lists them, one a line.
    """

    def __init__(self, message: str, *, path: Path | str | None = None,
                 field: str | None = None,
                 problems: tuple[RulePackError, ...] = ()) -> None:
        self.problems = problems or (self,)
        super().__init__(message, path=path, field=field)


class InputFileError(SoknadError):
    """An input document cannot be read."""


class OutputWriteError(SoknadError):
    """A file the program makes (a package, a copy, a project file) cannot be written."""


class Cancelled(Exception):  # noqa: N818 - the name reads as the event it reports
    """Long work was cancelled by the user."""
