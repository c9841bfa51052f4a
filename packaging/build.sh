#!/usr/bin/env bash
# Build the standalone program with PyInstaller (one folder):
#   dist/soknadspakke/soknadspakke        Linux and macOS (+ dist/Søknadspakke.app on macOS)
#   dist/soknadspakke/soknadspakke.exe    Windows (+ soknadspakke-cli.exe for the command line)
#
#   bash packaging/build.sh
#
# Sets up .venv with tools/setup.sh (Python >= 3.11 as python3, or set PYTHON), adds PyInstaller
# to it and runs packaging/soknadspakke.spec. Idempotent: a second run reuses .venv and
# PyInstaller's cache in build/pyinstaller and replaces dist/soknadspakke. Runs in Git Bash on
# Windows too. SOKNADSPAKKE_BUILD_PYTHON=/path/to/python uses that interpreter instead of .venv
# (it must have the program installed: pip install -e .). On Linux PyInstaller needs binutils
# (objdump, strip; Debian: apt-get install binutils); .ci/run installs it.
# The installers are made from this folder by packaging/windows/soknadspakke.iss (Inno Setup)
# and packaging/macos/make-dmg.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
PYINSTALLER='pyinstaller>=6.22,<6.23'

if [ -n "${SOKNADSPAKKE_BUILD_PYTHON:-}" ]; then
  py=$SOKNADSPAKKE_BUILD_PYTHON
else
  bash tools/setup.sh
  py=.venv/bin/python
  [ -d .venv/Scripts ] && py=.venv/Scripts/python
fi
if ! "$py" -c 'import sys, PyInstaller; sys.exit(not PyInstaller.__version__.startswith("6.22."))' \
    2>/dev/null; then
  echo "== installing $PYINSTALLER"
  "$py" -m pip install --quiet "$PYINSTALLER"
fi

echo "== pyinstaller packaging/soknadspakke.spec"
start=$(date +%s)
"$py" -m PyInstaller --noconfirm --log-level WARN \
  --distpath dist --workpath build/pyinstaller packaging/soknadspakke.spec
end=$(date +%s)

program=dist/soknadspakke/soknadspakke
[ -f "$program.exe" ] && program=$program.exe
check=$program
[ -f dist/soknadspakke/soknadspakke-cli.exe ] && check=dist/soknadspakke/soknadspakke-cli.exe
"$check" --version
size=$(du -sm dist/soknadspakke | cut -f1)
echo "== built $program ($size MB in dist/soknadspakke, $((end - start)) s)"
