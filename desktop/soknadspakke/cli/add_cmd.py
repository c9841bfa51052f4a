"""``soknadspakke add PROJECT FILE --as TYPE``: attach a document and record its sha256.

A file outside the project's folder is copied into ``vedlegg/`` first (the original is only
read). Adding a path that is already in the project updates that entry.
"""

from __future__ import annotations

import argparse
import sys
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
from soknadspakke.core.changes import carried_valid_until
from soknadspakke.core.i18n import _
from soknadspakke.core.project_file import save_project
from soknadspakke.intake import IntakeCache, default_cache_dir, format_text
from soknadspakke.usecases import (
    PreparedAttachment,
    apply_attachment,
    check_types,
    prepare_attachment,
)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "add", help=_("attach a document to an application"),
        description=_("Attach FILE to the application as TYPE. A file outside the project's "
                      "folder is copied into its vedlegg/ folder; the original is not changed."))
    parser.add_argument("project", type=Path, metavar=_("PROJECT"),
                        help=_("the project file (.soknad)"))
    parser.add_argument("file", type=Path, metavar=_("FILE"), help=_("the document to attach"))
    parser.add_argument("--as", dest="types", action="append", default=[], metavar=_("TYPE"),
                        help=_("document type id (twice for a file that serves as two types); "
                               "'suggested' takes the type the program suggests"))
    parser.add_argument("--title", help=_("title shown in the package index"))
    parser.add_argument("--data-owner", metavar=_("OWNER"),
                        help=_("the data owner a dispensation document concerns, e.g. nav"))
    parser.add_argument("--valid-until", metavar="YYYY-MM-DD",
                        help=_("the last day an approval or agreement is valid"))
    parser.add_argument("--updated", action="store_true",
                        help=_("mark a DPIA as updated for this change"))
    parser.add_argument("--password", help=_("password to open an encrypted PDF (used to check "
                                             "it now; not stored)"))
    add_common_options(parser)
    parser.set_defaults(func=run)


def _valid_until(args: argparse.Namespace) -> date | None:
    """The date given with ``--valid-until``, or ``None``."""
    if not args.valid_until:
        return None
    try:
        return date.fromisoformat(args.valid_until)
    except ValueError:
        raise CliError(_("--valid-until: write the date as YYYY-MM-DD")) from None


def _requested_types(requested: list[str], prepared: PreparedAttachment,
                     source: Path) -> list[str]:
    """The ``--as`` types, ``suggested`` replaced with the type the program suggests."""
    if "suggested" not in requested:
        return list(requested)
    best = prepared.suggested_type
    if best is None:
        raise CliError(_("there is no suggested type for {file}; give --as TYPE").format(
            file=source.name))
    return [best if t == "suggested" else t for t in requested]


def run(args: argparse.Namespace) -> int:
    lang = language(args)
    pack = pack_from_args(args)
    project = load_checked_project(args.project, pack, lang)
    source: Path = args.file
    check_types(pack, [t for t in args.types if t != "suggested"])
    valid_until = _valid_until(args)
    prepared = prepare_attachment(project, pack, source, password=args.password,
                                  cache=IntakeCache(default_cache_dir()))
    result = prepared.result
    sys.stdout.write(format_text(result, lang) + "\n")
    if not prepared.placed:
        print(_("Not added: the file cannot go into a package (see above)."), file=sys.stderr)
        return EXIT_NOT_READY
    types = check_types(pack, _requested_types(args.types, prepared, source))
    rel = prepared.path
    if prepared.copied:
        print(_("Copied {file} to {target}").format(file=source, target=rel))
    if valid_until is None and not any(d.path == rel for d in project.documents):
        # A change application: an approval attached again starts from the earlier date.
        carried = carried_valid_until(
            project, [t for t in types if pack.document_type(t).approval])
        if carried is not None:
            valid_until = carried
            print(_("  valid until {date}, as in the earlier application (--valid-until "
                    "changes it)").format(date=carried.isoformat()))
    outcome = apply_attachment(project, prepared, types, title=args.title,
                               data_owner=args.data_owner, valid_until=valid_until,
                               updated_for_this_change=args.updated)
    print((_("Updated {file}") if outcome.updated else _("Added {file}")).format(file=rel))
    names = " + ".join(pack.type_name(t).render(lang) for t in types) or _("(no type yet)")
    print(_("  type: {types}").format(types=names))
    if not types and result.suggested_types:
        top = result.suggested_types[0]
        print(_("  suggested type: {name} ({type}); set it with --as {type} or --as suggested"
                ).format(name=pack.type_name(top.type_id).render(lang), type=top.type_id))
    if result.needs_password:
        print(_("  it is password-protected: give --password {file}=… when you build").format(
            file=rel))
    for doc in project.documents:
        if doc.sha256 == prepared.sha256 and doc.path != rel:
            print(_("  note: {other} has the same content").format(other=doc.path))
    save_project(project)
    return EXIT_OK
