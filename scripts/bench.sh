#!/usr/bin/env bash
# Benchmarks (they print numbers; none is a pass/fail test):
#   bundle size, encryption cost, simulator DAG-read throughput, timeline update cost (Chromium),
#   polling latency and request rate against the simulator (Chromium), sign-in timing cold on
#   loopback and an emulated 20 Mbit/s + 40 ms link (Chromium).
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
use_run_tmpdir
bash scripts/install-tools.sh >/dev/null
[ -f dist/index.html ] && [ -x "$OBSHELL_SIM" ] || bash scripts/build.sh

echo "== first-load transfer size (release build)"
python3 scripts/postbuild.py dist

echo "== encryption cost (native, release)"
cargo run -q -p obshell-proto --features agent --release --example bench_crypto

echo "== encryption cost in the browser (headless Chromium, release wasm)"
cargo test -p obshell-proto --features agent --target wasm32-unknown-unknown --release --test wasm_bench_crypto -- --nocapture 2>&1 | grep -E "crypto \(browser\)" || true

echo "== simulator: authenticated GET /api/v1/task/dag/{id} throughput"
cargo run -q -p obshell-sim --release --example bench_dag_get

echo "== timeline update per poll, 3-stage DAG with 200 agents (headless Chromium)"
cargo test -p obshell-console --target wasm32-unknown-unknown --release --test bench_timeline -- --nocapture 2>&1 | grep -E "timeline|poll|median|p95" || true

if [ -f scripts/bench-polling.mjs ]; then
  echo "== polling: display delay and request rate (headless Chromium against the simulator)"
  node scripts/bench-polling.mjs
fi

echo "== sign-in: password visible, sign-in enabled, sign-in -> form (cold, headless Chromium against the simulator)"
node scripts/bench-signin.mjs

echo "== overview: requests per refresh with 1 and 50 user tenants (headless Chromium against the simulator)"
node scripts/bench-overview.mjs
