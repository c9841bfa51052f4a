"""Passwords for encrypted PDFs: ``--password FILE=PASS`` or a prompt. Never stored."""

from __future__ import annotations

import getpass
import sys

from soknadspakke.cli.common import CliError
from soknadspakke.core.i18n import _
from soknadspakke.validation import AskPassword


def parse_passwords(items: list[str]) -> dict[str, str]:
    """``FILE=PASS`` items keyed by the file's path as written and by its name."""
    result: dict[str, str] = {}
    for item in items:
        name, sep, password = item.partition("=")
        if not sep or not name:
            raise CliError(_("--password takes FILE=PASSWORD, e.g. vedlegg/vedtak.pdf=secret"))
        result[name] = password
    return result


def prompt_password(file_name: str) -> str | None:
    """Ask for a password when the terminal is interactive; ``None`` otherwise."""
    if not sys.stdin.isatty():
        return None
    return getpass.getpass(_("Password for {file}: ").format(file=file_name))


def terminal_prompt() -> AskPassword | None:
    """:func:`prompt_password` on an interactive terminal, else ``None``.

    Validation (and so a build) calls it for an encrypted PDF when it meets one, in its single
    pass over the files: no file is inspected, and no text or suggestion computed, only to find
    out whether it needs a password.
    """
    return prompt_password if sys.stdin.isatty() else None
