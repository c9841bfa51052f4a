#!/usr/bin/env bash
# Set up .venv and run every check: ruff, mypy, import contracts, translations, all tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh
export QT_QPA_PLATFORM=offscreen
echo "== ruff";            .venv/bin/ruff check desktop tests benchmarks tools
echo "== mypy";            .venv/bin/mypy
echo "== import contracts"; .venv/bin/lint-imports
echo "== translations";    .venv/bin/python tools/i18n.py check
echo "== tests";           .venv/bin/python -m pytest "$@"
