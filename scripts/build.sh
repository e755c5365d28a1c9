#!/usr/bin/env bash
# Release build of the console into dist/ (Trunk + pinned wasm-bindgen + wasm-opt) and of the
# simulator.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
# Trunk must not try to download tools: it finds ours on PATH at the pinned versions.
TRUNK_SKIP_VERSION_CHECK=true trunk build --release --cargo-profile wasm-release --offline --dist dist
python3 scripts/postbuild.py dist
cargo build -p obshell-sim --release --quiet
