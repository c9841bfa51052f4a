"""``soknadspakke build PROJECT [-o OUT.pdf] [--lang nb|en] [--draft]``.

Exit 0 and the written file's path on success; 1 when the application is not ready (the findings
are printed; nothing is written); 2 when the input cannot be read.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from soknadspakke.build import NotReadyError, build_package, default_output
from soknadspakke.cli.common import (
    EXIT_NOT_READY,
    EXIT_OK,
    add_common_options,
    language,
    load_checked_project,
    options_from_args,
    pack_from_args,
)
from soknadspakke.cli.passwords import ask_missing_passwords, parse_passwords
from soknadspakke.core.i18n import _
from soknadspakke.intake import IntakeCache, default_cache_dir
from soknadspakke.validation import format_report_text


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "build", help=_("build the application package PDF"),
        description=_("Build one PDF: cover sheet, clickable index, every attachment with "
                      "bookmarks and page numbers, originals embedded. Refuses while the "
                      "application is not ready, unless --draft."))
    parser.add_argument("project", type=Path, metavar=_("PROJECT"),
                        help=_("the project file (.soknad)"))
    parser.add_argument("-o", "--output", type=Path, metavar=_("OUT.pdf"),
                        help=_("where to write the package (default: next to the project)"))
    parser.add_argument("--draft", action="store_true",
                        help=_("build even when not ready; every page is marked as a draft"))
    parser.add_argument("--keep-form-fields", action="store_true",
                        help=_("keep form fields fillable instead of flattening them"))
    parser.add_argument("--password", action="append", default=[], metavar="FILE=PASS",
                        help=_("password for an encrypted PDF (not stored)"))
    parser.add_argument("--quiet", action="store_true", help=_("print only the path"))
    add_common_options(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    lang = language(args)
    pack = pack_from_args(args)
    options = options_from_args(args, pack)
    project = load_checked_project(args.project, pack, lang)
    passwords = parse_passwords(args.password)
    cache = IntakeCache(default_cache_dir())
    ask_missing_passwords(project, pack, passwords, cache)
    out = args.output or default_output(project, lang)
    try:
        result = build_package(project, pack, out, lang=lang, draft=args.draft,
                               options=options, passwords=passwords,
                               keep_form_fields=args.keep_form_fields, cache=cache,
                               pause_gc=True)
    except NotReadyError as exc:
        sys.stdout.write(format_report_text(exc.report, lang, title=project.info.title,
                                            with_guidance=False))
        print(_("Nothing was written. Fix the errors above, or build a draft with --draft."),
              file=sys.stderr)
        return EXIT_NOT_READY
    if not args.quiet:
        print(_("Wrote {pages} pages ({documents} documents) to:").format(
            pages=result.pages, documents=len(result.documents)), file=sys.stderr)
        for skipped in result.skipped:
            print(_("  left out (cannot be used): {file}").format(file=skipped), file=sys.stderr)
    print(result.path)
    return EXIT_OK
