"""``soknadspakke email PROJECT [-o DRAFT.eml] [--split] [--compress]``: a ready-to-send draft.

Writes a standard ``.eml`` draft to the agency's address from the rule pack, with the package
and the original spreadsheets attached. The package beside the project is used when it is
newer than the project and its files; otherwise it is built first (refused, exit 1, when the
application is not ready). When the e-mail would be over the pack's size limit, nothing is
written: the message says how large it is and offers ``--compress`` and ``--split``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from soknadspakke.build import NotReadyError, build_package
from soknadspakke.cli.common import (
    EXIT_NOT_READY,
    EXIT_OK,
    CliError,
    add_common_options,
    language,
    load_checked_project,
    options_from_args,
    pack_from_args,
)
from soknadspakke.cli.passwords import parse_passwords
from soknadspakke.core.i18n import _
from soknadspakke.core.project import Project
from soknadspakke.intake import IntakeCache, default_cache_dir
from soknadspakke.pdf.compress import compress_package
from soknadspakke.pdf.parts import read_package
from soknadspakke.validation import format_report_text
from soknadspakke.workspace.email_draft import (
    MIB,
    compose_draft,
    size_limit,
    split_drafts,
    submission_of,
    up_to_date_package,
    write_drafts,
)
from soknadspakke.workspace.locate import compressed_path, draft_path, package_path


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "email", help=_("write a ready-to-send e-mail draft (.eml) with the package"),
        description=_("Write an e-mail draft to the address in the rule pack, with the "
                      "package and the original spreadsheets attached. Open it in Outlook, "
                      "Apple Mail or Thunderbird, check it and send it."))
    parser.add_argument("project", type=Path, metavar=_("PROJECT"),
                        help=_("the project file (.soknad)"))
    parser.add_argument("-o", "--output", type=Path, metavar=_("DRAFT.eml"),
                        help=_("where to write the draft (default: next to the project)"))
    parser.add_argument("--package", type=Path, metavar=_("PACKAGE.pdf"),
                        help=_("send this package instead of the one next to the project"))
    parser.add_argument("--split", action="store_true",
                        help=_("when the e-mail is too large, send the package in several "
                               "e-mails"))
    parser.add_argument("--compress", action="store_true",
                        help=_("downsample scanned pages to make the package smaller"))
    parser.add_argument("--no-spreadsheets", action="store_true",
                        help=_("do not attach the original spreadsheets"))
    parser.add_argument("--password", action="append", default=[], metavar="FILE=PASS",
                        help=_("password for an encrypted PDF (not stored)"))
    add_common_options(parser)
    parser.set_defaults(func=run)


def _current_package(project: Project, args: argparse.Namespace, lang: str) -> Path | None:
    """The package to send, or ``None`` when it must be built first."""
    if args.package is not None:
        if not args.package.is_file():
            raise CliError(_("{path}: no such file").format(path=args.package))
        if not read_package(args.package).final:
            raise CliError(_("{path} is a draft package (the application was not ready); "
                             "build the final package first").format(path=args.package),
                           EXIT_NOT_READY)
        return Path(args.package)
    return up_to_date_package(project, lang)


def _mb(size: int) -> str:
    return f"{size / MIB:.1f}"


def run(args: argparse.Namespace) -> int:
    lang = language(args)
    pack = pack_from_args(args)
    submission_of(pack)
    options = options_from_args(args, pack)
    project = load_checked_project(args.project, pack, lang)
    assert project.path is not None
    package = _current_package(project, args, lang)
    if package is None:
        package = package_path(project.path, lang)
        try:
            result = build_package(project, pack, package, lang=lang, options=options,
                                   passwords=parse_passwords(args.password),
                                   cache=IntakeCache(default_cache_dir()))
        except NotReadyError as exc:
            sys.stdout.write(format_report_text(exc.report, lang, title=project.info.title,
                                                with_guidance=False))
            print(_("No e-mail was written: the application is not ready."), file=sys.stderr)
            return EXIT_NOT_READY
        print(_("Built the package first: {path} ({pages} pages)").format(
            path=result.path, pages=result.pages), file=sys.stderr)
    if args.compress:
        target = compressed_path(package, lang)
        outcome = compress_package(package, target, dpi=pack.submission.compress_dpi
                                   if pack.submission else 150)
        print(_("Compressed package: {path} ({before} MB → {after} MB; {images} scanned "
                "images at {dpi} dpi)").format(
                    path=target, before=_mb(outcome.size_before), after=_mb(outcome.size_after),
                    images=outcome.images_downsampled, dpi=outcome.dpi), file=sys.stderr)
        package = target
    limit = size_limit(pack)
    with_sheets = not args.no_spreadsheets
    drafts = [compose_draft(project, pack, package, lang=lang, with_spreadsheets=with_sheets)]
    size = drafts[0].encoded_size
    if size > limit:
        if not args.split:
            print(_("The e-mail would be {size} MB as sent (attachments grow by about a third "
                    "when encoded), over the limit of {limit} MB in the rule pack. Nothing was "
                    "written. Choose one:\n"
                    "  --compress  downsample scanned pages to a readable {dpi} dpi\n"
                    "  --split     send the package in several e-mails, the index in the "
                    "first").format(size=_mb(size), limit=_mb(limit),
                                    dpi=pack.submission.compress_dpi if pack.submission
                                    else 150), file=sys.stderr)
            return EXIT_NOT_READY
        drafts = split_drafts(project, pack, package, lang=lang, with_spreadsheets=with_sheets,
                              limit=limit)
    target = args.output or draft_path(project.path, lang)
    paths = write_drafts(drafts, target)
    for draft, path in zip(drafts, paths, strict=True):
        print(_("Wrote {path} ({size} MB as sent; to {address})").format(
            path=path, size=_mb(draft.encoded_size), address=submission_of(pack).email))
    if len(paths) > 1:
        print(_("Send all {count} e-mails; the first holds the index.").format(
            count=len(paths)))
    return EXIT_OK
