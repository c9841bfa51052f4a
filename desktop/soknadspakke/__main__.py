"""``python -m soknadspakke`` and the ``soknadspakke`` command.

With a sub-command: the command-line interface. Without one: the desktop window, where the
GUI is installed and a display is available; otherwise the command-line help.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    from soknadspakke.cli import main as cli_main

    return cli_main(argv)


if __name__ == "__main__":
    sys.exit(main())
