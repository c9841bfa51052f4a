"""``soknadspakke verify PROJECT FINDING-ID [--undo] [--accept]``: mark a finding read from the
documents as checked ("I have verified this"), kept in the project file and shown as such on
the cover; ``--accept`` also takes the value it suggests (e.g. a document's valid until).

Exit 0 when done, 2 when the project cannot be read or no current finding has that id.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from soknadspakke.cli.common import (
    EXIT_OK,
    CliError,
    add_common_options,
    language,
    load_checked_project,
    options_from_args,
    pack_from_args,
)
from soknadspakke.cli.passwords import parse_passwords
from soknadspakke.core.i18n import _, translate
from soknadspakke.core.project_file import save_project
from soknadspakke.intake import IntakeCache, default_cache_dir
from soknadspakke.validation import IntakeFindings, validate_project


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "verify", help=_("mark a finding as checked (I have verified this)"),
        description=_("Mark a finding read from the documents as checked by you; it stays a "
                      "warning, shown as checked on the cover. The ids are in "
                      "'validate --format json' and in the text report."))
    parser.add_argument("project", type=Path, metavar=_("PROJECT"),
                        help=_("the project file (.soknad)"))
    parser.add_argument("finding", metavar=_("FINDING-ID"), help=_("the finding's id"))
    parser.add_argument("--undo", action="store_true", help=_("remove the mark again"))
    parser.add_argument("--accept", action="store_true",
                        help=_("also take the value the finding suggests (e.g. valid until)"))
    parser.add_argument("--password", action="append", default=[], metavar="FILE=PASS",
                        help=_("password for an encrypted PDF (not stored)"))
    add_common_options(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    lang = language(args)
    pack = pack_from_args(args)
    options = options_from_args(args, pack)
    project = load_checked_project(args.project, pack, lang)
    report = validate_project(project, pack, options=options, file_findings=IntakeFindings(
        parse_passwords(args.password), IntakeCache(default_cache_dir())))
    finding = next((f for f in report.findings if f.id == args.finding), None)
    if finding is None and not (args.undo and args.finding in project.verified_findings()):
        raise CliError(translate("no current finding has the id {id}; see 'soknadspakke "
                                 "validate --format json'", lang).format(id=args.finding))
    project.set_verified(args.finding, not args.undo,
                         code=finding.code if finding else "",
                         file=finding.files[0] if finding and finding.files else "")
    if args.accept and finding is not None and finding.suggestion is not None:
        suggestion = finding.suggestion
        for index, doc in enumerate(project.documents):
            if doc.path == suggestion.file and suggestion.field == "valid_until":
                project.update_document(index, valid_until=date.fromisoformat(suggestion.value))
                sys.stdout.write(translate("{file}: valid until set to {date}", lang).format(
                    file=doc.path, date=suggestion.value) + "\n")
    save_project(project)
    message = (translate("Removed the mark from {id}", lang) if args.undo
               else translate("Marked {id} as checked", lang))
    sys.stdout.write(message.format(id=args.finding) + "\n")
    return EXIT_OK
