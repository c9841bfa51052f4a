#!/usr/bin/env bash
# Set up .venv and run the program's main job on the bundled example application.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh
exec .venv/bin/soknadspakke example "$@"
