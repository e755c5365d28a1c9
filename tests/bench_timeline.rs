#![cfg(target_arch = "wasm32")]
//! Benchmark (b): the cost of one poll on the task page for a 3-stage DAG with 200 agents per
//! parallel node, in headless Chromium: decode the agent's JSON, hand the new `DagDetail` (and
//! the new server time) to the mounted `DagPanel` (header, failure banner, operations,
//! timeline, logs), let Leptos apply every change to the DOM, and force style + layout.
//! Painting is not included. Each poll moves 5 agents from running to done (every 37th fails)
//! and 5 from ready to running, like a live start-backup DAG.
//!
//! Run (prints the figures on the console; `--nocapture` shows them when the test passes):
//!
//! ```sh
//! source scripts/env.sh
//! cargo test -p obshell-console --target wasm32-unknown-unknown --test bench_timeline -- --nocapture
//! # optimized build (what users run), without the release profile's slow LTO:
//! CARGO_PROFILE_BENCH_LTO=false CARGO_PROFILE_BENCH_CODEGEN_UNITS=16 CARGO_PROFILE_BENCH_OPT_LEVEL=3 \
//!   cargo test --release -p obshell-console --target wasm32-unknown-unknown --test bench_timeline -- --nocapture
//! ```

mod fixtures;

use fixtures::*;
use leptos::prelude::*;
use obshell_proto::dag::DagDetail;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::HtmlElement;

wasm_bindgen_test_configure!(run_in_browser);

const AGENTS: usize = 200;
const POLLS: usize = 60;

fn perf_now() -> f64 {
    web_sys::window().unwrap().performance().unwrap().now()
}

/// Lets every queued microtask run (Leptos runs its effects there), without giving the browser
/// a chance to render a frame in between (a timer could).
async fn flush() {
    for _ in 0..50 {
        let _ = wasm_bindgen_futures::JsFuture::from(js_sys::Promise::resolve(&wasm_bindgen::JsValue::NULL)).await;
    }
}

fn stats(mut v: Vec<f64>) -> (f64, f64, f64, f64) {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let pick = |q: f64| v[((v.len() as f64 - 1.0) * q).round() as usize];
    (pick(0.5), pick(0.95), v[0], v[v.len() - 1])
}

fn report(what: &str, v: Vec<f64>) {
    let (median, p95, min, max) = stats(v);
    console_log!("{what:<58} median {median:7.2} ms   p95 {p95:7.2} ms   min {min:7.2}   max {max:7.2}");
}

async fn run(expanded: bool) {
    // The agent's answers, prepared outside the measurement.
    let answers: Vec<String> = (1..=POLLS)
        .map(|k| serde_json::to_string(&big_dag(AGENTS, k)).unwrap())
        .collect();
    let m = mount_panel(big_dag(AGENTS, 0), big_now(0)).await;
    if expanded {
        for n in 1..=2 {
            let more: HtmlElement = m.find(&format!(".tl-node:nth-child({n}) .tl-more")).unchecked_into();
            more.click();
        }
        settle().await;
    }
    let lanes = m.count(".tl-lane");
    let nodes = m.count("*");
    // Baseline: the flush + layout with nothing to do.
    let mut baseline = vec![];
    for _ in 0..20 {
        let t0 = perf_now();
        flush().await;
        let _ = m.root.offset_height();
        baseline.push(perf_now() - t0);
    }
    let (mut decode, mut update, mut layout, mut total) = (vec![], vec![], vec![], vec![]);
    for (k, json) in answers.iter().enumerate() {
        let t0 = perf_now();
        let d: DagDetail = serde_json::from_str(json).unwrap();
        let t1 = perf_now();
        m.dag.set(Some(d));
        m.now.set(big_now(k + 1));
        flush().await;
        let t2 = perf_now();
        let _ = m.root.offset_height();
        let t3 = perf_now();
        decode.push(t1 - t0);
        update.push(t2 - t1);
        layout.push(t3 - t2);
        total.push(t3 - t0);
    }
    // The view really followed the polls.
    let summary = m.text(".tl-node:nth-child(2) .tl-summary");
    assert!(summary.contains("200 agents"), "{summary}");
    assert!(m.count(".tl-node:nth-child(2) .tl-lane.tl-failed") >= 2);
    let (base, _, _, _) = stats(baseline);
    let mode = if expanded {
        "all 200 lanes of each parallel node rendered"
    } else {
        "collapsed: 8 lanes per node + per-state summary"
    };
    console_log!("--- timeline of a 3-stage DAG with {AGENTS} agents, {POLLS} polls; {mode}: {lanes} lanes, {nodes} elements in the panel");
    report("decode the agent's JSON (DagDetail)", decode);
    report("update: reactive graph + DOM changes", update);
    report("style + layout (forced)", layout);
    report("total per poll", total);
    console_log!("(update and total include an idle flush + layout of {base:.2} ms, measured alone)");
    m.cleanup();
}

#[wasm_bindgen_test]
async fn bench_timeline_updates_200_agents() {
    let json_len = serde_json::to_string(&big_dag(AGENTS, 10)).unwrap().len();
    console_log!("one poll answer is {} KiB of JSON", json_len / 1024);
    run(false).await;
    run(true).await;
}
