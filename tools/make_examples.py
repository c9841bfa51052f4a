"""Generate the bundled example applications in ``resources/examples/``.

Two complete, synthetic applications (no real personal data, fictional names only):
``ny-soknad/`` (a new application) and ``endringssoknad/`` (a change application). Their words
are data in ``resources/examples/source/`` (a manifest per example, a text or TOML file per
document); the rendering is the ``examplegen`` package beside this script, and the project
files are written through the core, as the program writes them.

The output is deterministic: running the script twice gives the same bytes.

    python tools/make_examples.py            # writes resources/examples/{ny-soknad,endringssoknad}
    python tools/make_examples.py --out DIR  # writes DIR/{ny-soknad,endringssoknad}

Only the two example folders are replaced; ``README.md`` and ``source/`` beside them are not
touched.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

# Run as a script, this file's folder is on sys.path: the examplegen package beside it.
from examplegen.build import EXAMPLES, write_example
from examplegen.common import DEFAULT_OUT


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT,
                        help="folder to write the examples into (default: resources/examples)")
    parser.add_argument("--quiet", action="store_true", help="do not list the files written")
    args = parser.parse_args(argv)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    total = 0
    for name in EXAMPLES:
        for path in write_example(name, out):
            size = path.stat().st_size
            total += size
            if not args.quiet:
                print(f"{size:>9,d}  {path.relative_to(out).as_posix()}")
    if not args.quiet:
        print(f"{total:>9,d}  in total")
    return 0


if __name__ == "__main__":
    sys.exit(main())
