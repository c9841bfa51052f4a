"""Helpers shared by the sub-commands."""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from soknadspakke.core.errors import ProjectFileError
from soknadspakke.core.fingerprints import SHARED
from soknadspakke.core.i18n import LANGUAGES, _, current_language
from soknadspakke.core.project import Project
from soknadspakke.core.project_file import load_project
from soknadspakke.intake import IntakeCache
from soknadspakke.rules.answers import answer_problems
from soknadspakke.rules.loader import default_pack, load_pack
from soknadspakke.rules.migrate import migrate_project
from soknadspakke.rules.schema import RulePack

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


def add_common_options(parser: argparse.ArgumentParser, *, rules: bool = True) -> None:
    """``--lang`` (and ``--rules``, ``--option``) for commands that talk about an application."""
    parser.add_argument("--lang", choices=LANGUAGES, default=None,
                        help=_("language of messages (nb or en)"))
    if rules:
        parser.add_argument("--rules", type=Path, metavar=_("FILE"),
                            help=_("use this rule pack instead of the shipped SSB pack"))
        parser.add_argument("--option", action="append", default=[], metavar="KEY=VALUE",
                            help=_("choose a reading of the guidance, e.g. "
                                   "a12_pre_gdpr_not_low=instead"))


def language(args: argparse.Namespace) -> str:
    lang: str | None = getattr(args, "lang", None)
    return lang or current_language()


def pack_from_args(args: argparse.Namespace) -> RulePack:
    path: Path | None = getattr(args, "rules", None)
    return load_pack(path) if path is not None else default_pack()


def options_from_args(args: argparse.Namespace, pack: RulePack) -> dict[str, str]:
    """``--option KEY=VALUE`` checked against the pack's options."""
    chosen: dict[str, str] = {}
    known = {o.id: o for o in pack.options}
    for item in getattr(args, "option", []) or []:
        key, sep, value = item.partition("=")
        if not sep or key not in known:
            raise CliError(_("unknown option “{item}”; options: {known}").format(
                item=item, known=", ".join(sorted(known))))
        allowed = [c.id for c in known[key].choices]
        if value not in allowed:
            raise CliError(_("option {key} takes one of: {allowed}").format(
                key=key, allowed=", ".join(allowed)))
        chosen[key] = value
    return chosen


def load_checked_project(path: Path, pack: RulePack, lang: str) -> Project:
    """Load a project file, bring it up to the pack's version (saying so on stderr) and refuse
    answers that can never be right (exit 2)."""
    project = load_project(path)
    for notice in migrate_project(project, pack):
        print(f"soknadspakke: {path.name}: {notice.render(lang)}", file=sys.stderr)
    problems = answer_problems(project, pack)
    if problems:
        field, reason = problems[0]
        raise ProjectFileError(reason.render(lang), path=path, field=field)
    return project


#: The file beside the intake cache where the command line keeps files' fingerprints.
FINGERPRINTS_FILE = "fingerprints-v1.json"


@contextlib.contextmanager
def remembered_fingerprints(cache: IntakeCache) -> Iterator[None]:
    """Files' sha256 remembered between runs (see :mod:`soknadspakke.core.fingerprints`):
    loaded from beside the intake cache before, saved there after (only when it changed)."""
    store = cache.root / FINGERPRINTS_FILE
    SHARED.load(store)
    try:
        yield
    finally:
        SHARED.save(store)
