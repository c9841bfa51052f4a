"""The command-line interface: ``soknadspakke COMMAND …``. Never imports Qt.

Exit codes (a public contract):
  0  success / the application is ready
  1  the application (or file) is not ready: the findings say why
  2  the input cannot be read (bad project file, missing file, bad arguments)
  130 interrupted
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import warnings
from collections.abc import Sequence

from soknadspakke import __version__
from soknadspakke.cli import commands
from soknadspakke.cli.common import EXIT_INPUT, EXIT_INTERRUPTED, CliError
from soknadspakke.core.errors import Cancelled, SoknadError
from soknadspakke.core.i18n import (
    N_,
    _,
    current_language,
    default_language,
    set_language,
    translate,
)
from soknadspakke.core.logsetup import configure_logging
from soknadspakke.intake.cache import default_cache_dir

#: argparse's own texts (it looks up ``argparse._`` and ``argparse.ngettext`` when it uses them).
ARGPARSE_TEXTS = (
    N_("usage: "), N_("positional arguments"), N_("options"),
    N_("show this help message and exit"), N_("show program's version number and exit"),
    N_("%(prog)s: error: %(message)s\n"), N_("the following arguments are required: %s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("unrecognized arguments: %s"), N_("expected one argument"),
    N_("argument %(argument_name)s: %(message)s"), N_("invalid %(type)s value: %(value)r"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("expected at least one argument"), N_("expected at most one argument"),
)


def _translate_argparse() -> None:
    """Let argparse's usage lines, headings and errors follow the chosen language."""
    def gettext(message: str) -> str:
        return translate(message, current_language())

    def ngettext(singular: str, plural: str, n: int) -> str:
        return gettext(singular if n == 1 else plural)

    argparse._ = gettext  # type: ignore[attr-defined]
    argparse.ngettext = ngettext  # type: ignore[attr-defined]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="soknadspakke",
        description=_("Prepares complete, checked application packages for borrowing "
                      "microdata from Statistics Norway (SSB)."),
    )
    parser.add_argument("--version", action="version", version=f"soknadspakke {__version__}")
    # Read before the parser is built (see _preferred_language); registered so that argparse
    # accepts it instead of taking its value for the command.
    parser.add_argument("--lang", metavar="LANG",
                        help=_("language of messages and reports: nb (bokmål) or en (English)"))
    sub = parser.add_subparsers(dest="command", metavar=_("COMMAND"))
    for module in commands.MODULES:
        module.register(sub)
    return parser


def _preferred_language(argv: Sequence[str]) -> str:
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return default_language()


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns the exit code."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    set_language(_preferred_language(args_list))
    _translate_argparse()
    debug = bool(os.environ.get("SOKNADSPAKKE_DEBUG"))
    if not debug:
        # Libraries' warnings (openpyxl, Pillow, pypdf) are noise to a researcher; intake
        # turns what matters into findings. SOKNADSPAKKE_DEBUG=1 shows them.
        warnings.simplefilter("ignore")
    # Their log lines go to the log file, not the terminal (SOKNADSPAKKE_DEBUG=1: both).
    configure_logging(default_cache_dir(), debug=debug)
    with contextlib.suppress(AttributeError, ValueError):
        # A console or pipe that cannot show a character must not end the run.
        sys.stdout.reconfigure(errors="replace")  # type: ignore[union-attr]
        sys.stderr.reconfigure(errors="replace")  # type: ignore[union-attr]
    parser = build_parser()
    try:
        args = parser.parse_args(args_list)
    except SystemExit as exc:  # argparse: --help, --version or a usage error
        code = exc.code if isinstance(exc.code, int) else EXIT_INPUT
        return EXIT_INPUT if code not in (0,) else 0
    if not getattr(args, "func", None):
        parser.print_help()
        return 0
    try:
        result: int = args.func(args)
        return result
    except CliError as exc:
        print(f"soknadspakke: {exc}", file=sys.stderr)
        return exc.exit_code
    except SoknadError as exc:
        print(f"soknadspakke: {exc}", file=sys.stderr)
        return EXIT_INPUT
    except (Cancelled, KeyboardInterrupt):
        print(_("soknadspakke: stopped; nothing was written."), file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        return 0
    except OSError as exc:  # a file system failure no command foresaw: say where, no traceback
        if os.environ.get("SOKNADSPAKKE_DEBUG"):
            raise
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"soknadspakke: {where}{exc.strerror or exc}", file=sys.stderr)
        return EXIT_INPUT
