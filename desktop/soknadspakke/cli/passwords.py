"""Passwords for encrypted PDFs: ``--password FILE=PASS`` or a prompt. Never stored."""

from __future__ import annotations

import getpass
import sys

from soknadspakke.cli.common import CliError
from soknadspakke.core.i18n import _
from soknadspakke.core.project import Project
from soknadspakke.intake import IntakeCache, inspect_file
from soknadspakke.rules.schema import RulePack
from soknadspakke.validation import type_keywords


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


def ask_missing_passwords(project: Project, pack: RulePack, passwords: dict[str, str],
                          cache: IntakeCache) -> None:
    """Prompt (interactive terminals only) for encrypted PDFs that need a password."""
    if not sys.stdin.isatty():
        return
    keywords = type_keywords(pack)
    for doc in project.documents:
        if doc.path in passwords or doc.file_name in passwords:
            continue
        path = project.resolve(doc)
        if not path.is_file():
            continue
        result = inspect_file(path, keywords=keywords, cache=cache)
        if result.needs_password:
            password = prompt_password(doc.path)
            if password:
                passwords[doc.path] = password
