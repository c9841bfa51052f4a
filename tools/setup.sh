#!/usr/bin/env bash
# Create or refresh the development environment in .venv (idempotent: reinstalls only when
# pyproject.toml changed). Python >= 3.11 must be on PATH as python3 (or set PYTHON).
# Works in Git Bash on Windows too, where the venv's programs are in .venv/Scripts.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
bin=.venv/bin
[ -d .venv/Scripts ] && bin=.venv/Scripts
if [ ! -x "$bin/python" ] && [ ! -x "$bin/python.exe" ]; then
  "$PYTHON" -m venv .venv
  [ -d .venv/Scripts ] && bin=.venv/Scripts
fi
stamp=.venv/.setup-stamp
if command -v sha256sum >/dev/null; then
  want=$(sha256sum pyproject.toml | cut -d' ' -f1)
else
  want=$(shasum -a 256 pyproject.toml | cut -d' ' -f1)  # macOS
fi
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  "$bin/python" -m pip install --quiet --upgrade pip
  # A PySide6-Pdf left from an earlier pin would overlay QtPdf with another Qt version.
  if "$bin/python" -m pip show --quiet PySide6-Pdf >/dev/null 2>&1; then
    "$bin/python" -m pip uninstall --quiet --yes PySide6-Pdf PySide6-Essentials shiboken6
  fi
  "$bin/python" -m pip install --quiet -e ".[dev]"
  echo "$want" > "$stamp"
fi
