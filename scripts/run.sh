#!/usr/bin/env bash
# The demo: builds the console and starts the simulator serving it on one origin.
# Usage: scripts/run.sh [simulator flags…]   (e.g. --listen 127.0.0.1:8080 --password secret)
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
bash scripts/install-tools.sh
bash scripts/build.sh
exec "$OBSHELL_SIM" --static "$ROOT/dist" "$@"
