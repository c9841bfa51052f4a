#!/usr/bin/env bash
# Set up .venv and run every check: ruff, mypy, import contracts, translations, all tests
# (the slow ones included: tests/packaging builds and runs the frozen program).
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
echo "== tests";           "$bin/python" -m pytest "$@"
