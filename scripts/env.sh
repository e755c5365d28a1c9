# Shared environment for the project's scripts (sourced, not run).
export PATH="$HOME/.cargo/bin:$PATH"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export ROOT
export TOOLS_DIR="$ROOT/.tools"
# wasm-opt from npm binaryen 132 (Debian's 108 breaks the build); Trunk must use ours.
export PATH="$TOOLS_DIR/node_modules/.bin:$PATH"
# Browser tests of the wasm crates: headless Chromium through chromedriver.
export CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
# Chromium as root in a sandbox-less container needs these; background networking is off
# because this machine's network is closed.
export WASM_BINDGEN_TEST_TIMEOUT=120
export CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
# Cargo's output directory (a CI may point CARGO_TARGET_DIR at a shared cache).
export TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
export OBSHELL_SIM="${OBSHELL_SIM:-$TARGET_DIR/release/obshell-sim}"
# The build's Python: the venv with the pinned brotli encoder (scripts/install-tools.sh); without
# it, scripts/postbuild.py writes .gz files only.
BUILD_PYTHON="$TOOLS_DIR/build-venv/bin/python"
[ -x "$BUILD_PYTHON" ] || BUILD_PYTHON=python3
export BUILD_PYTHON

# Chromium (under chromedriver or Playwright) leaves ~100 MB profile folders in TMPDIR when it
# is killed rather than closed; a run's own TMPDIR, removed when the run ends, keeps them from
# filling the disk run after run.
use_run_tmpdir() {
  RUN_TMP="$(mktemp -d "${TMPDIR:-/tmp}/obshell-console-run.XXXXXX")"
  trap 'rm -rf "$RUN_TMP"' EXIT
  export TMPDIR="$RUN_TMP"
}
