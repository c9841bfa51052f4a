"""Helpers shared by the sub-commands."""

from __future__ import annotations

import json
import sys
from typing import Any

EXIT_OK = 0
EXIT_NOT_READY = 1
EXIT_INPUT = 2
EXIT_INTERRUPTED = 130


class CliError(Exception):
    """A message for the user and the exit code to leave with."""

    def __init__(self, message: str, exit_code: int = EXIT_INPUT) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def print_json(data: Any) -> None:
    """Print ``data`` as UTF-8 JSON on stdout."""
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
