#!/usr/bin/env bash
# Create or refresh the development environment in .venv (idempotent: reinstalls only when
# pyproject.toml changed). Python >= 3.11 must be on PATH as python3 (or set PYTHON).
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
stamp=.venv/.setup-stamp
want=$(sha256sum pyproject.toml | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  .venv/bin/python -m pip install --quiet --upgrade pip
  # A PySide6-Pdf left from an earlier pin would overlay QtPdf with another Qt version.
  if .venv/bin/python -m pip show --quiet PySide6-Pdf >/dev/null 2>&1; then
    .venv/bin/python -m pip uninstall --quiet --yes PySide6-Pdf PySide6-Essentials shiboken6
  fi
  .venv/bin/python -m pip install --quiet -e ".[dev]"
  echo "$want" > "$stamp"
fi
