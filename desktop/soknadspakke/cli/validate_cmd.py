"""``soknadspakke validate PROJECT [--format text|json] [--lang nb|en]``.

Exit 0 when the application is ready (no errors), 1 when it is not, 2 when the input cannot be
read.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from soknadspakke.cli.common import (
    EXIT_NOT_READY,
    EXIT_OK,
    add_common_options,
    language,
    load_checked_project,
    options_from_args,
    pack_from_args,
    print_json,
    remembered_fingerprints,
)
from soknadspakke.cli.passwords import parse_passwords, terminal_prompt
from soknadspakke.core.i18n import _
from soknadspakke.intake import IntakeCache, default_cache_dir
from soknadspakke.validation import IntakeFindings, format_report_text, validate_project


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "validate", help=_("check an application against SSB's rules"),
        description=_("Check an application: which attachments are missing or inconsistent, "
                      "and why. Exit code 0 = ready, 1 = not ready, 2 = cannot be read."))
    parser.add_argument("project", type=Path, metavar=_("PROJECT"),
                        help=_("the project file (.soknad)"))
    parser.add_argument("--format", choices=("text", "json"), default="text",
                        help=_("output format"))
    parser.add_argument("--no-guidance", action="store_true",
                        help=_("leave out the guidance sentences behind each finding"))
    parser.add_argument("--password", action="append", default=[], metavar="FILE=PASS",
                        help=_("password for an encrypted PDF (not stored)"))
    add_common_options(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    lang = language(args)
    pack = pack_from_args(args)
    options = options_from_args(args, pack)
    project = load_checked_project(args.project, pack, lang)
    passwords = parse_passwords(args.password)
    cache = IntakeCache(default_cache_dir())
    ask = terminal_prompt() if args.format == "text" else None
    with remembered_fingerprints(cache):
        report = validate_project(project, pack, options=options,
                                  file_findings=IntakeFindings(passwords, cache,
                                                               ask_password=ask))
    if args.format == "json":
        print_json(report.to_dict(lang))
    else:
        sys.stdout.write(format_report_text(report, lang, title=project.info.title,
                                            with_guidance=not args.no_guidance))
    return EXIT_OK if report.ready else EXIT_NOT_READY
