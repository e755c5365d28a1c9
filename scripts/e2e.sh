#!/usr/bin/env bash
# End-to-end tests: the release console (dist/) served by the release simulator, driven in
# Debian's Chromium by playwright-core (node's test runner).
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
use_run_tmpdir
[ -f dist/index.html ] && [ -x "$OBSHELL_SIM" ] || bash scripts/build.sh
node --test --test-concurrency=1 tests/e2e/*.test.mjs
