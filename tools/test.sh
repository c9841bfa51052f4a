#!/usr/bin/env bash
# Set up .venv and run every check: ruff, mypy, import contracts, translations, all tests
# (the window's tests also under Xvfb where xvfb-run exists).
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh
export QT_QPA_PLATFORM=offscreen
echo "== ruff";            .venv/bin/ruff check desktop tests benchmarks tools
echo "== mypy";            .venv/bin/mypy
echo "== import contracts"; .venv/bin/lint-imports
echo "== translations";    .venv/bin/python tools/i18n.py check
echo "== tests";           .venv/bin/python -m pytest "$@"
# The window's tests once more on a real X server, where there is one to start.
if command -v xvfb-run >/dev/null && [ $# -eq 0 ]; then
  echo "== window tests under Xvfb"
  QT_QPA_PLATFORM=xcb xvfb-run -a -s "-screen 0 1920x1080x24" \
    .venv/bin/python -m pytest -q tests/gui
fi
