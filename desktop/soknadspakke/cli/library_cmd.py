"""``soknadspakke library add|update|uses``: documents from the administrator's library.

``add PROJECT FILE --as TYPE`` copies a library document into the application and remembers
where it came from; ``update PROJECT`` refreshes the copies whose library file has changed;
``uses DIR`` lists, for a workspace, which applications use which library document and which
copies are out of date (exit 1 when any is).
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from soknadspakke.cli.common import (
    EXIT_NOT_READY,
    EXIT_OK,
    CliError,
    add_common_options,
    language,
    load_checked_project,
    pack_from_args,
)
from soknadspakke.core.i18n import _
from soknadspakke.core.project_file import save_project
from soknadspakke.intake import IntakeCache, default_cache_dir
from soknadspakke.workspace.library import attach_from_library, library_uses, update_library_copies


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "library", help=_("documents many applications share (the administrator's library)"),
        description=_("Copy documents from a library folder into applications, keep the copies "
                      "up to date, and see which applications use which library document."))
    actions = parser.add_subparsers(dest="library_action", metavar=_("ACTION"), required=True)
    add = actions.add_parser("add", help=_("copy a library document into an application"))
    add.add_argument("project", type=Path, metavar=_("PROJECT"),
                     help=_("the project file (.soknad)"))
    add.add_argument("file", type=Path, metavar=_("FILE"), help=_("the library document"))
    add.add_argument("--as", dest="types", action="append", default=[], metavar=_("TYPE"),
                     help=_("document type id (twice for a file that serves as two types)"))
    add.add_argument("--title", help=_("title shown in the package index"))
    add.add_argument("--valid-until", metavar="YYYY-MM-DD",
                     help=_("the last day an approval or agreement is valid"))
    add_common_options(add)
    add.set_defaults(func=run_add)
    update = actions.add_parser("update", help=_("refresh the copies whose library file "
                                                 "changed"))
    update.add_argument("project", type=Path, metavar=_("PROJECT"),
                        help=_("the project file (.soknad)"))
    add_common_options(update)
    update.set_defaults(func=run_update)
    uses = actions.add_parser("uses", help=_("which applications use which library document"))
    uses.add_argument("directory", type=Path, metavar=_("DIR"),
                      help=_("the workspace: a folder of application folders"))
    add_common_options(uses, rules=False)
    uses.set_defaults(func=run_uses)


def run_add(args: argparse.Namespace) -> int:
    lang = language(args)
    pack = pack_from_args(args)
    project = load_checked_project(args.project, pack, lang)
    if not args.types:
        raise CliError(_("give the document's type with --as TYPE"))
    valid_until = None
    if args.valid_until:
        try:
            valid_until = date.fromisoformat(args.valid_until)
        except ValueError:
            raise CliError(_("--valid-until: write the date as YYYY-MM-DD")) from None
    done = attach_from_library(project, pack, args.file, list(args.types), title=args.title,
                               valid_until=valid_until, cache=IntakeCache(default_cache_dir()))
    save_project(project)
    if done.refreshed:
        print(_("Updated {file} from the library").format(file=done.path))
    else:
        print(_("Added {file} (a copy of the library document {library})").format(
            file=done.path, library=args.file))
    return EXIT_OK


def run_update(args: argparse.Namespace) -> int:
    lang = language(args)
    pack = pack_from_args(args)
    project = load_checked_project(args.project, pack, lang)
    updated = update_library_copies(project)
    if updated:
        save_project(project)
        for path in updated:
            print(_("Updated {file} from the library").format(file=path))
    else:
        print(_("Every library copy is up to date."))
    return EXIT_OK


def run_uses(args: argparse.Namespace) -> int:
    root: Path = args.directory
    if not root.is_dir():
        raise CliError(_("{path} is not a folder").format(path=root))
    uses = library_uses(root)
    if not uses:
        print(_("No application in {path} uses a library document.").format(path=root))
        return EXIT_OK
    by_file: dict[Path, list[str]] = {}
    outdated = 0
    for use in uses:
        try:
            rel = use.project_file.relative_to(root).as_posix()
        except ValueError:
            rel = str(use.project_file)
        state = {True: _("out of date"), False: _("up to date"),
                 None: _("library file gone")}[use.changed]
        outdated += use.changed is True
        by_file.setdefault(use.library_file, []).append(f"{rel}: {use.document} ({state})")
    for library_file, lines in by_file.items():
        print(library_file)
        for line in lines:
            print(f"  {line}")
    if outdated:
        print()
        print(_("{count} copies are out of date; update them with soknadspakke library update "
                "PROJECT.").format(count=outdated))
        return EXIT_NOT_READY
    return EXIT_OK
