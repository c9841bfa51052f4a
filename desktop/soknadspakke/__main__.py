"""``python -m soknadspakke`` and the ``soknadspakke`` command.

With a sub-command: the command-line interface. Without one: the desktop window, where the
GUI is installed and a display is available; otherwise the command-line help.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    # The modules imported at start-up live as long as the process: collect nothing while
    # importing them, then freeze them so later collections do not traverse them again.
    # Measured on the 1,200-page benchmark build: 0.775 s -> 0.745 s.
    gc.disable()
    from soknadspakke.cli import main as cli_main

    gc.freeze()
    gc.enable()
    return cli_main(argv)


if __name__ == "__main__":
    sys.exit(main())
