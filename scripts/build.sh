#!/usr/bin/env bash
# Release build of the console into dist/ (Trunk + pinned wasm-bindgen + wasm-opt) and of the
# simulator.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
# Trunk must not try to download tools: it finds ours on PATH at the pinned versions.
# Feature `split`: the signed-in pages become split points (src/pages/chunks.rs). The splitter
# needs the linker's relocations (--emit-relocs); only this build keeps them (a plain Trunk
# build or the browser tests would carry megabytes of them). Cargo appends this variable to the
# rustflags of .cargo/config.toml.
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="-C link-args=--emit-relocs -Zunstable-options -Cpanic=immediate-abort"
# The release wasm's standard library is rebuilt for it (rust-src, scripts/install-tools.sh) with
# panics as a bare abort: no panic messages, locations or formatting machinery in the download
# (-27 KB gzip, -10 % of the first load, measured; issue 15). A panic aborts the module either
# way (profile wasm-release: panic = "abort"); only its console message is gone, and the tests
# and plain Trunk builds keep it. These are unstable options of the machine's stable toolchain:
# RUSTC_BOOTSTRAP is set for this build only.
export RUSTC_BOOTSTRAP=1 CARGO_UNSTABLE_BUILD_STD=std,panic_abort
# OBSHELL_DIST: build into another directory than dist/ (the e2e tests read the same variable).
DIST="${OBSHELL_DIST:-$ROOT/dist}"
TRUNK_SKIP_VERSION_CHECK=true trunk build --release --cargo-profile wasm-release --features split --offline --dist "$DIST"
# The split (pages as on-demand chunks), wasm-bindgen and wasm-opt of cargo's raw output; the
# build's Python (scripts/install-tools.sh) has the pinned brotli encoder for the .br files.
"$BUILD_PYTHON" scripts/postbuild.py "$DIST" --split "$TARGET_DIR/wasm32-unknown-unknown/wasm-release/obshell_console.wasm"
cargo build -p obshell-sim --release --quiet
