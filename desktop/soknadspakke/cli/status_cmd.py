"""``soknadspakke status DIR [--format text|json|csv]``: every application in a workspace.

Exit 0 when every application could be read (ready or not: the table says which), 2 when the
folder holds no application or cannot be read. The JSON is described in
:mod:`soknadspakke.workspace.status`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from soknadspakke.cli.common import (
    EXIT_OK,
    CliError,
    add_common_options,
    language,
    options_from_args,
    pack_from_args,
    print_json,
)
from soknadspakke.core.i18n import _
from soknadspakke.intake import IntakeCache, default_cache_dir
from soknadspakke.workspace.status import (
    format_status_csv,
    format_status_text,
    workspace_status,
)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "status", help=_("the state of every application in a folder"),
        description=_("Check every application in DIR (each a folder with its .soknad file) "
                      "and print a table: type, ready or not, errors, warnings, last change, "
                      "last build."))
    parser.add_argument("directory", type=Path, metavar=_("DIR"),
                        help=_("the workspace: a folder of application folders"))
    parser.add_argument("--format", choices=("text", "json", "csv"), default="text",
                        help=_("output format"))
    add_common_options(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    lang = language(args)
    pack = pack_from_args(args)
    options = options_from_args(args, pack)
    root: Path = args.directory
    if not root.is_dir():
        raise CliError(_("{path} is not a folder").format(path=root))
    statuses = workspace_status(root, pack, lang=lang, options=options,
                                cache=IntakeCache(default_cache_dir()))
    if not statuses:
        raise CliError(_("no application (.soknad file) in {path} or its sub-folders").format(
            path=root))
    if args.format == "json":
        print_json([s.to_dict(root) for s in statuses])
    elif args.format == "csv":
        sys.stdout.write(format_status_csv(statuses, root, pack, lang))
    else:
        sys.stdout.write(format_status_text(statuses, root, pack, lang))
    return EXIT_OK
