#!/usr/bin/env bash
# Installs every tool the project needs, pinned and idempotent.
# Safe to run repeatedly: each step checks what is already there first.
set -euo pipefail
cd "$(dirname "$0")/.."

TRUNK_VERSION=0.21.14
BINARYEN_VERSION=132.0.0            # npm "binaryen"; Debian's binaryen 108 emits a wasm that fails at start
PLAYWRIGHT_CORE_VERSION=1.65.1
AXE_CORE_VERSION=4.14.1             # accessibility checks in the end-to-end tests
TOOLS_DIR="$PWD/.tools"              # npm-installed tools live here (git-ignored)
# wasm-bindgen-cli must equal the wasm-bindgen that Cargo.lock resolved, or the JS glue mismatches.
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/version = |"/,""); print; exit}' Cargo.lock)

log() { printf '[install-tools] %s\n' "$*"; }

# 1. Rust target for the browser build.
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  log "adding rustup target wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi
# The standard library's sources: the release wasm rebuilds it (scripts/build.sh, build-std).
if ! rustup component list --installed | grep -q '^rust-src'; then
  log "adding rustup component rust-src"
  rustup component add rust-src
fi
# build.sh builds offline (Trunk --offline): the standard library's own dependencies must be in
# cargo's cache beforehand (a fresh cache fails on `moto-rt`). The library's lock file pins them;
# reading its manifest needs the unstable-cargo switch, for this one call. Quick when cached.
log "fetching the standard library's dependencies (build-std)"
RUSTC_BOOTSTRAP=1 cargo fetch --quiet --manifest-path "$(rustc --print sysroot)/lib/rustlib/src/rust/library/Cargo.toml"

# 2. Debian packages: headless browser + driver for browser tests, nginx for the proxy tests.
need_apt=()
command -v chromium >/dev/null || need_apt+=(chromium)
command -v chromedriver >/dev/null || need_apt+=(chromium-driver)
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || need_apt+=(nginx-light)
if [ ${#need_apt[@]} -gt 0 ]; then
  log "apt-get install ${need_apt[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
  # nginx's package starts a system service; the tests start their own instances.
  (service nginx stop || true) >/dev/null 2>&1
fi

# 3. cargo-installed tools, pinned.
cargo_tool() { # name version binary
  local have
  have=$("$3" --version 2>/dev/null | awk '{print $2}' || true)
  if [ "$have" != "$2" ]; then
    log "cargo install $1@$2 (found: ${have:-none})"
    # --locked reproduces the tool's own lockfile; when a crate it pins is missing from the
    # registry mirror (seen: webpki-roots 1.0.11 for wasm-bindgen-cli 0.2.130), resolve afresh.
    cargo install --locked --quiet "$1" --version "$2" || cargo install --quiet "$1" --version "$2"
  fi
}
cargo_tool trunk "$TRUNK_VERSION" trunk
cargo_tool wasm-bindgen-cli "$WASM_BINDGEN_VERSION" wasm-bindgen
# The wasm splitter (pages as lazily loaded chunks, scripts/postbuild.py): the CLI of the crate
# Leptos' split runtime is made for. It has no --version, so ask cargo what is installed.
WASM_SPLIT_VERSION=0.2.4
if ! cargo install --list | grep -qx "wasm_split_cli_support v$WASM_SPLIT_VERSION:"; then
  log "cargo install wasm_split_cli_support@$WASM_SPLIT_VERSION"
  cargo install --locked --quiet wasm_split_cli_support --version "$WASM_SPLIT_VERSION" --features build-binary \
    || cargo install --quiet wasm_split_cli_support --version "$WASM_SPLIT_VERSION" --features build-binary
fi

# 4. npm tools, pinned, local to the repo: wasm-opt (binaryen) and playwright-core (driven
#    against Debian's chromium; it never downloads a browser of its own).
mkdir -p "$TOOLS_DIR"
if [ ! -f "$TOOLS_DIR/package.json" ]; then echo '{"private":true}' > "$TOOLS_DIR/package.json"; fi
npm_tool() { # package version
  local have
  have=$(node -p "try{require('$TOOLS_DIR/node_modules/$1/package.json').version}catch(e){''}")
  if [ "$have" != "$2" ]; then
    log "npm install $1@$2 (found: ${have:-none})"
    (cd "$TOOLS_DIR" && npm install --silent --no-audit --no-fund --save-exact "$1@$2")
  fi
}
npm_tool binaryen "$BINARYEN_VERSION"
npm_tool playwright-core "$PLAYWRIGHT_CORE_VERSION"
npm_tool axe-core "$AXE_CORE_VERSION"

# 5. The official obshell Python SDK, to check the simulator against a real client.
OBSHELL_SDK_VERSION=0.0.9
SDK_VENV="$TOOLS_DIR/sdk-venv"
[ -x "$SDK_VENV/bin/python" ] || python3 -m venv "$SDK_VENV"
have_sdk=$("$SDK_VENV/bin/python" -c "import importlib.metadata as m; print(m.version('obshell'))" 2>/dev/null || true)
if [ "$have_sdk" != "$OBSHELL_SDK_VERSION" ]; then
  log "pip install obshell==$OBSHELL_SDK_VERSION (found: ${have_sdk:-none})"
  "$SDK_VENV/bin/pip" install --quiet --disable-pip-version-check "obshell==$OBSHELL_SDK_VERSION"
fi

# 6. The build's Python (scripts/postbuild.py): a venv with the pinned brotli encoder, for the
#    precompressed .br files served beside each asset (Python's standard library has gzip only).
BROTLI_VERSION=1.1.0
BUILD_VENV="$TOOLS_DIR/build-venv"
[ -x "$BUILD_VENV/bin/python" ] || python3 -m venv "$BUILD_VENV"
have_brotli=$("$BUILD_VENV/bin/python" -c "import importlib.metadata as m; print(m.version('Brotli'))" 2>/dev/null || true)
if [ "$have_brotli" != "$BROTLI_VERSION" ]; then
  log "pip install Brotli==$BROTLI_VERSION (found: ${have_brotli:-none})"
  "$BUILD_VENV/bin/pip" install --quiet --disable-pip-version-check "Brotli==$BROTLI_VERSION"
fi

log "ok: $(trunk --version), wasm-bindgen $(wasm-bindgen --version | awk '{print $2}'), wasm-opt $("$TOOLS_DIR/node_modules/.bin/wasm-opt" --version | awk '{print $3}'), $(chromium --version 2>/dev/null | head -1)"
