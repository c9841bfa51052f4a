#!/usr/bin/env bash
# Set up .venv and run every check: ruff, mypy, import contracts, translations, all tests
# (the slow ones included: tests/packaging builds and runs the frozen program; the window's
# tests also under Xvfb where xvfb-run exists). Runs in Git Bash on Windows too.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh
bin=.venv/bin
[ -d .venv/Scripts ] && bin=.venv/Scripts
export QT_QPA_PLATFORM=offscreen
echo "== ruff";            "$bin/ruff" check desktop tests benchmarks tools packaging
echo "== mypy";            "$bin/mypy"
echo "== import contracts"; "$bin/lint-imports"
echo "== translations";    "$bin/python" tools/i18n.py check
if [ $# -gt 0 ]; then
  echo "== tests";         "$bin/python" -m pytest "$@"
  exit 0
fi
echo "== tests";           "$bin/python" -m pytest --ignore=tests/gui
echo "== window tests"
"$bin/python" -m pytest -q tests/gui
# The window's tests once more on a real X server, where there is one to start.
if command -v xvfb-run >/dev/null; then
  echo "== window tests under Xvfb"
  QT_QPA_PLATFORM=xcb xvfb-run -a -s "-screen 0 1920x1080x24" "$bin/python" -m pytest -q tests/gui
fi
