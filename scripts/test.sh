#!/usr/bin/env bash
# Runs every test of the project: native unit/integration tests, the wasm crypto and component
# tests in headless Chromium, and the end-to-end tests of the built console against the simulator.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
bash scripts/install-tools.sh
use_run_tmpdir
# A clean clone (CI) builds everything once: incremental caches would only take disk.
if [ -n "${CI:-}" ]; then export CARGO_INCREMENTAL=0; fi

step() { printf '\n==> %s\n' "$*"; }

step "formatting, lints and module layering"
cargo fmt --all --check
cargo clippy --workspace --all-targets --quiet -- -D warnings
# The browser builds: the console and the protocol crate's wasm tests (with the agent side).
cargo clippy -p obshell-console -p obshell-proto --features obshell-proto/agent \
  --target wasm32-unknown-unknown --all-targets --quiet -- -D warnings
python3 scripts/module-graph.py --check > /dev/null
# The console never compiles the agent side of the protocol crate.
if cargo tree -p obshell-console -e features -i obshell-proto | grep -q 'feature "agent"'; then
  echo "obshell-console pulls obshell-proto's agent feature" >&2
  exit 1
fi

step "native tests (protocol crate, simulator, console logic)"
cargo test --workspace --quiet

step "protocol crypto in headless Chromium (wasm32)"
cargo test -p obshell-proto --features agent --target wasm32-unknown-unknown --test wasm_crypto

step "console components in headless Chromium (wasm32)"
cargo test -p obshell-console --target wasm32-unknown-unknown --test components --test timeline

step "release build of the console"
bash scripts/build.sh

step "first-load size budget (gzip: wasm, js, css and the page the sign-in needs)"
python3 scripts/postbuild.py dist --budget 270

step "the official obshell Python SDK against the simulator"
"$TOOLS_DIR/sdk-venv/bin/python" tests/sdk/python_sdk.py "$OBSHELL_SIM"

step "end-to-end: the built console in Chromium against the simulator"
bash scripts/e2e.sh

step "disk used by the build"
du -sh "$TARGET_DIR" dist
