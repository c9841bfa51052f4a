"""``soknadspakke build-all DIR [--out DIR] [--jobs N] [--format text|json]``.

Validates and builds every ready application in a workspace, in parallel processes, with one
progress display and a summary. Exit 0 when every application was built; 1 when any was not
ready or failed (the others are built all the same); 2 when the folder holds no application.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from soknadspakke.cli.common import (
    EXIT_NOT_READY,
    EXIT_OK,
    CliError,
    add_common_options,
    language,
    options_from_args,
    pack_from_args,
    print_json,
)
from soknadspakke.cli.passwords import parse_passwords
from soknadspakke.core.i18n import _
from soknadspakke.workspace.batch import (
    BatchResult,
    Outcome,
    build_all,
    plan_jobs,
    summary_counts,
)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "build-all", help=_("build the package of every ready application in a folder"),
        description=_("Check every application in DIR and build the package of each one that "
                      "is ready, several at a time. A broken application never stops the "
                      "others. Exit code 0 = all built, 1 = some not ready or failed."))
    parser.add_argument("directory", type=Path, metavar=_("DIR"),
                        help=_("the workspace: a folder of application folders"))
    parser.add_argument("--out", type=Path, metavar=_("DIR"),
                        help=_("write every package into this folder (default: beside each "
                               "application)"))
    parser.add_argument("--jobs", type=int, metavar="N",
                        help=_("applications built at a time (default: one per core)"))
    parser.add_argument("--password", action="append", default=[], metavar="FILE=PASS",
                        help=_("password for an encrypted PDF (not stored)"))
    parser.add_argument("--originals", action="store_true",
                        help=_("also write a zip of the original files beside each package"))
    parser.add_argument("--format", choices=("text", "json"), default="text",
                        help=_("output format of the summary"))
    add_common_options(parser)
    parser.set_defaults(func=run)


class _Progress:
    """One progress line on a terminal (rewritten in place), one line per application otherwise."""

    def __init__(self, root: Path, total: int) -> None:
        self.root = root
        self.total = total
        self.done = 0
        self.tty = sys.stderr.isatty()

    def start(self) -> None:
        self._show(_("Building {total} applications …").format(total=self.total))

    def __call__(self, result: BatchResult) -> None:
        self.done += 1
        word = {Outcome.BUILT: _("built"), Outcome.NOT_READY: _("not ready"),
                Outcome.FAILED: _("failed")}[result.outcome]
        path = result.to_dict(self.root)["path"]
        self._show(f"[{self.done}/{self.total}] {word}: {path}")
        if self.tty and self.done == self.total:
            sys.stderr.write("\n")

    def _show(self, text: str) -> None:
        if self.tty:
            sys.stderr.write("\r\033[K" + text[:150])
        else:
            sys.stderr.write(text + "\n")
        sys.stderr.flush()


def run(args: argparse.Namespace) -> int:
    lang = language(args)
    pack = pack_from_args(args)
    options = options_from_args(args, pack)
    root: Path = args.directory
    if not root.is_dir():
        raise CliError(_("{path} is not a folder").format(path=root))
    if args.jobs is not None and args.jobs < 1:
        raise CliError(_("--jobs takes a number of at least 1"))
    jobs = plan_jobs(root, lang=lang, out_dir=args.out, rules=getattr(args, "rules", None),
                     options=options, passwords=parse_passwords(args.password),
                     originals=args.originals)
    if not jobs:
        raise CliError(_("no application (.soknad file) in {path} or its sub-folders").format(
            path=root))
    progress = _Progress(root, len(jobs))
    progress.start()
    results = build_all(jobs, workers=args.jobs, on_result=progress, pause_gc=True)
    counts = summary_counts(results)
    if args.format == "json":
        print_json({"applications": [r.to_dict(root) for r in results],
                    "summary": {o.value: counts[o] for o in Outcome}})
    else:
        for item in results:
            rel = item.to_dict(root)["path"]
            if item.outcome is Outcome.BUILT:
                print(_("built      {path}: {pages} pages, {warnings} warnings → {output}").format(
                    path=rel, pages=item.pages, warnings=item.warnings, output=item.output))
            elif item.outcome is Outcome.NOT_READY:
                print(_("not ready  {path}: {errors} errors").format(path=rel,
                                                                    errors=item.errors))
                for problem in item.problems[:3]:
                    print(f"             – {problem}")
                if len(item.problems) > 3:
                    print("             " + _("… and {count} more (soknadspakke validate "
                                              "shows all)").format(count=len(item.problems) - 3))
            else:
                print(_("failed     {path}: {message}").format(path=rel, message=item.message))
        print()
        print(_("{total} applications: {built} built, {not_ready} not ready, {failed} failed"
                ).format(total=len(results), built=counts[Outcome.BUILT],
                         not_ready=counts[Outcome.NOT_READY], failed=counts[Outcome.FAILED]))
    return EXIT_OK if counts[Outcome.BUILT] == len(results) else EXIT_NOT_READY
