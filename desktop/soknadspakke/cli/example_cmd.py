"""``soknadspakke example``: the program's main job on the bundled example application.

Opens it in the window where the desktop program and a display are available; otherwise builds
its package and prints the path.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from soknadspakke.build import build_package
from soknadspakke.cli.common import EXIT_OK, CliError, add_common_options, language
from soknadspakke.core.i18n import _
from soknadspakke.core.project_file import load_project
from soknadspakke.core.resources import resource_path
from soknadspakke.intake import IntakeCache, default_cache_dir
from soknadspakke.rules.loader import default_pack

MARKER = ".soknadspakke-example"
EXAMPLES = {"ny-soknad": "ny-soknad.soknad", "endringssoknad": "endringssoknad.soknad"}


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "example", help=_("open (or build) the bundled example application"),
        description=_("Copy the bundled example application into OUT and build its package "
                      "there; prints the package's path."))
    parser.add_argument("--which", choices=sorted(EXAMPLES), default="ny-soknad",
                        help=_("which example"))
    parser.add_argument("--out", type=Path, default=Path("out"), metavar=_("DIR"),
                        help=_("folder for the copy and its package (default: ./out)"))
    parser.add_argument("--no-window", action="store_true",
                        help=_("only build the package, even where the window could open"))
    add_common_options(parser, rules=False)
    parser.set_defaults(func=run)


def example_project(which: str) -> Path:
    return resource_path("examples", which, EXAMPLES[which])


def run(args: argparse.Namespace) -> int:
    lang = language(args)
    source = example_project(args.which)
    if not source.is_file():
        raise CliError(_("the example application is missing: {path}").format(path=source))
    # Work on a copy: the bundled example may be read-only, and it stays pristine.
    target_dir = args.out / args.which
    marker = target_dir / MARKER
    if target_dir.exists():
        if not marker.is_file():
            raise CliError(_("{path} exists and is not an earlier copy of the example; "
                             "choose another folder with --out").format(path=target_dir))
        shutil.rmtree(target_dir)
    shutil.copytree(source.parent, target_dir)
    marker.write_text("soknadspakke example copy\n", encoding="utf-8")
    project = load_project(target_dir / source.name)
    out = target_dir / f"{source.stem}-{'soknadspakke' if lang == 'nb' else 'package'}.pdf"
    result = build_package(project, default_pack(), out, lang=lang,
                           cache=IntakeCache(default_cache_dir()))
    print(_("The example application is ready: {pages} pages, {documents} documents.").format(
        pages=result.pages, documents=len(result.documents)), file=sys.stderr)
    print(result.path.resolve())
    return EXIT_OK
