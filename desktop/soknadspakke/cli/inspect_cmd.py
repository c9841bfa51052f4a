"""``soknadspakke inspect FILE [--format json] [--password PASS]``.

Exit 0 when the file can go into a package, 1 when it cannot (the findings say why).
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
    pack_from_args,
    print_json,
)
from soknadspakke.cli.passwords import prompt_password
from soknadspakke.core.i18n import _
from soknadspakke.intake import IntakeCache, default_cache_dir, format_text, inspect_file
from soknadspakke.validation import type_keywords


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "inspect", help=_("show what the program finds in one file"),
        description=_("Inspect one file: its kind, pages, text, suggested document type and "
                      "any problems. Exit code 0 = it can go into a package, 1 = it cannot."))
    parser.add_argument("file", type=Path, metavar=_("FILE"))
    parser.add_argument("--format", choices=("text", "json"), default="text",
                        help=_("output format"))
    parser.add_argument("--password", help=_("password to open an encrypted PDF (not stored)"))
    add_common_options(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    lang = language(args)
    pack = pack_from_args(args)
    cache = IntakeCache(default_cache_dir())
    keywords = type_keywords(pack)
    result = inspect_file(args.file, keywords=keywords, password=args.password, cache=cache)
    if result.needs_password and args.password is None and args.format == "text":
        password = prompt_password(result.file_name)
        if password is not None:
            result = inspect_file(args.file, keywords=keywords, password=password, cache=cache)
    if args.format == "json":
        data = result.to_dict(lang)
        for item in data.get("suggested_types", []):
            if pack.has_document_type(item["type"]):
                item["name"] = pack.type_name(item["type"]).render(lang)
        print_json(data)
    else:
        sys.stdout.write(format_text(result, lang) + "\n")
    return EXIT_OK if result.usable else EXIT_NOT_READY
