#!/bin/sh
# Installs tuopin from the wheelhouse beside this script, with no package registry (county intranet).
# Usage: sh install.sh [TARGET_DIR]   (default /opt/tuopin; needs python3 >= 3.11 with venv)
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
TARGET=${1:-/opt/tuopin}
PYTHON=${PYTHON:-python3}
"$PYTHON" -m venv "$TARGET/venv"
# The extras the bundle was built with (`make bundle EXTRAS=spark`): their wheels are in the wheelhouse.
EXTRAS=$(cat "$HERE/wheelhouse/extras.txt" 2>/dev/null || true)
"$TARGET/venv/bin/pip" install --no-index --find-links "$HERE/wheelhouse" \
    -c "$HERE/wheelhouse/constraints.txt" "tuopin${EXTRAS:+[$EXTRAS]}"
echo "installed: $TARGET/venv/bin/tuopin"
"$TARGET/venv/bin/tuopin" --version >/dev/null && echo "next: see docs/deploy.md (TUOPIN_ENV=production, DATABASE_URL, tuopin check --deploy)"
