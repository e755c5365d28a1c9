#![cfg(target_arch = "wasm32")]
//! The DAG view in a real browser (headless Chromium via wasm-bindgen-test), fed with fixture
//! DAGs and no network: header and `data-state`, timeline rows and lanes, the surfaced failure
//! line, which operations are enabled (and why not), the confirmation dialog, 200 agents,
//! hostile strings, unknown states, the 100,000-line log, live updates, and the poller.

mod fixtures;

use fixtures::*;
use futures::future::LocalBoxFuture;
use leptos::prelude::*;
use obshell_console::api::ApiError;
use obshell_console::components::dag::logs::{Lines, LogLine, LogView};
use obshell_console::components::dag::operations::OpRequest;
use obshell_console::i18n::I18n;
use obshell_console::nav::{Nav, Route};
use obshell_console::pages::task_list::TaskTable;
use obshell_console::poll::{spawn_poller, Fetch, Outcome, PollPhase, PollPolicy};
use obshell_proto::dag::{DagOperation, TaskState};
use obshell_proto::Lang;
use std::cell::Cell;
use std::rc::Rc;
use std::sync::Arc;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::HtmlElement;

wasm_bindgen_test_configure!(run_in_browser);

const NOW: i64 = 1_778_464_804_000; // 2026-05-11T10:00:04+08:00

/// `(offered as a button, refusal text)` of each DAG operation: an operation is either a button
/// or a reason in the "not possible now" list, never both.
fn ops_state(m: &Mounted) -> Vec<(&'static str, bool, String)> {
    ["retry", "cancel", "pass", "rollback"]
        .into_iter()
        .map(|op| {
            let button = m.q(&format!("#op-{op}")).is_some_and(|b| !b.has_attribute("disabled"));
            let why = m
                .q(&format!(".op-unavailable #op-{op}-why"))
                .map(|e| e.text_content().unwrap_or_default())
                .unwrap_or_default();
            assert_ne!(button, !why.is_empty(), "{op}: a button or a reason, never both");
            (op, button, why)
        })
        .collect()
}

fn enabled(m: &Mounted) -> Vec<&'static str> {
    ops_state(m)
        .into_iter()
        .filter(|(_, on, _)| *on)
        .map(|(op, _, _)| op)
        .collect()
}

#[wasm_bindgen_test]
async fn pending_dag_shows_upcoming_nodes_and_only_cancel() {
    let m = mount_panel(fixture("pending"), NOW).await;
    let state = m.find("#dag-state");
    assert_eq!(state.get_attribute("data-state").as_deref(), Some("READY"));
    assert_eq!(m.text("#dag-state .state-text"), "Ready");
    assert_eq!(m.text("#dag-state .state-icon"), "◔");
    // A READY DAG's start time is its creation time: not started yet.
    assert_eq!(m.text(".dag-start"), "—");
    assert_eq!(m.text(".dag-elapsed"), "—");
    assert!(m.text(".dag-scope").contains("Tenant “t1”"), "{}", m.text(".dag-scope"));
    assert_eq!(m.count(".tl-node"), 2);
    assert_eq!(m.count(".tl-node.tl-pending"), 2);
    assert_eq!(m.count(".tl-upcoming-tag"), 2);
    assert_eq!(
        m.count(".tl-node[aria-current=step]"),
        1,
        "the first pending node is current"
    );
    assert!(m.q("#failure").is_none());
    assert_eq!(enabled(&m), vec!["cancel"]);
    let ops = ops_state(&m);
    assert!(
        ops[0].2.contains("DAG state is not failed") && ops[0].2.contains("Task.Dag.Operator.RetryNotFailedDag"),
        "{ops:?}"
    );
    // No bars for what has not run.
    assert_eq!(m.count(".tl-bar:not(.tl-nobar)"), 0);
    m.cleanup();
}

#[wasm_bindgen_test]
async fn running_dag_highlights_the_current_node_and_grows_bars() {
    let m = mount_panel(fixture("running"), NOW - 500).await;
    assert_eq!(
        m.find("#dag-state").get_attribute("data-state").as_deref(),
        Some("RUNNING")
    );
    assert_eq!(m.text(".dag-stage span"), "1 / 2");
    assert_eq!(m.text(".dag-elapsed"), "2.4 s");
    let current = m.find(".tl-node[aria-current=step]");
    assert!(current.text_content().unwrap().contains("Check backup config"));
    assert_eq!(m.count(".tl-lane"), 3, "one lane per agent");
    assert_eq!(m.count(".tl-lane.tl-running .tl-bar.tl-open"), 1);
    assert_eq!(m.count(".tl-lane.tl-ready .tl-bar.tl-nobar"), 1);
    assert_eq!(enabled(&m), vec!["cancel"]);
    // The running sub-task is selected and its log shown.
    assert_eq!(
        m.find(".tl-lane[data-task='1202'] .tl-select")
            .get_attribute("aria-pressed")
            .as_deref(),
        Some("true")
    );
    assert!(m.text(".log-view").contains("Storage type is 'file'"));
    // Time passes: the open bar grows and the elapsed time follows.
    let width = |m: &Mounted| {
        m.find(".tl-lane[data-task='1202'] .tl-bar")
            .unchecked_into::<HtmlElement>()
            .offset_width()
    };
    assert!(width(&m) > 10, "{}", width(&m));
    let before = width(&m);
    m.now.set(NOW);
    settle().await;
    assert!(width(&m) > before, "{} > {before}", width(&m));
    assert_eq!(m.text(".dag-elapsed"), "2.9 s");
    // A poll: node 1 done, stage 2 running.
    let mut d = fixture("running");
    d.stage = 2;
    let nodes = d.nodes.as_mut().unwrap();
    nodes[0].state = TaskState::Succeed;
    for t in nodes[0].sub_tasks.as_mut().unwrap() {
        t.state = TaskState::Succeed;
        t.end_time = "2026-05-11T10:00:03.000+08:00".into();
        t.start_time = "2026-05-11T10:00:02.000+08:00".into();
    }
    nodes[0].end_time = "2026-05-11T10:00:03.100+08:00".into();
    nodes[1].state = TaskState::Running;
    nodes[1].start_time = "2026-05-11T10:00:03.200+08:00".into();
    nodes[1].sub_tasks.as_mut().unwrap()[0].state = TaskState::Running;
    nodes[1].sub_tasks.as_mut().unwrap()[0].start_time = "2026-05-11T10:00:03.300+08:00".into();
    nodes[1].sub_tasks.as_mut().unwrap()[0].task_logs = Some(vec!["Close archive log for t1(1002)".into()]);
    m.dag.set(Some(d));
    settle().await;
    assert_eq!(m.text(".dag-stage span"), "2 / 2");
    let current = m.find(".tl-node[aria-current=step]");
    assert!(current.text_content().unwrap().contains("Set backup config"));
    // The selection follows the work until the user picks a sub-task.
    assert!(
        m.text(".log-view").contains("Close archive log for t1(1002)"),
        "{}",
        m.text(".log-view")
    );
    m.cleanup();
}

#[wasm_bindgen_test]
async fn failed_at_stage_1_surfaces_the_error_and_offers_retry_pass_rollback() {
    let m = mount_panel(fixture("failed_stage1"), NOW).await;
    assert_eq!(
        m.find("#dag-state").get_attribute("data-state").as_deref(),
        Some("FAILED")
    );
    // The failing line is on top, no click needed.
    let banner = m.find("#failure");
    assert_eq!(banner.get_attribute("role").as_deref(), Some("alert"));
    assert_eq!(m.text("#failure .failure-code"), "OB.Storage.URI.Invalid");
    assert_eq!(
        m.text("#failure .failure-message"),
        "check archive path: get archive storage interface: Invalid storage URI: invalid file path, must start with '/'"
    );
    assert!(
        m.text("#failure .failure-title")
            .contains("stage 1 “Check backup config” on 10.0.0.1:2886"),
        "{}",
        m.text("#failure .failure-title")
    );
    assert!(m.text("#failure").contains("1 more sub-task(s) failed"));
    assert_eq!(enabled(&m), vec!["retry", "pass", "rollback"]);
    assert!(ops_state(&m)[1].2.contains("DAG is finished"));
    assert!(!m.disabled("#op-node-pass-1101"), "pass the failed node");
    // Retry is the way forward; what gives up work is secondary (its danger is in its dialog).
    assert!(m.find("#op-retry").class_list().contains("primary"));
    for op in ["#op-pass", "#op-rollback", "#op-node-pass-1101"] {
        let class = m.find(op).class_name();
        assert!(
            class.contains("secondary") && !class.contains("primary") && !class.split(' ').any(|c| c == "danger"),
            "{op}: {class}"
        );
    }
    // The one refused operation is a reason on demand: closed, one line.
    assert!(!m.find("details.op-unavailable").has_attribute("open"));
    assert_eq!(m.text("details.op-unavailable summary"), "Not possible now (1): why");
    // The failed sub-task's log is selected, with its error line marked.
    assert!(m.q(".log-line.log-error").is_some());
    assert_eq!(m.count(".tl-error"), 2, "each failed lane shows its error");
    m.cleanup();
}

#[wasm_bindgen_test]
async fn failed_at_stage_2_refuses_rollback_and_says_why() {
    let m = mount_panel(fixture("failed_stage2"), NOW).await;
    assert_eq!(m.text("#failure .failure-code"), "OB.Cluster.AsyncOperationTimeout");
    assert_eq!(enabled(&m), vec!["retry", "pass"]);
    let rollback = &ops_state(&m)[3];
    assert_eq!(rollback.2, "the agent would answer: Failed to set DAG rollback: node Set backup config cannot rollback (Task.Dag.Operator.RollbackNotAllowed)");
    assert_eq!(m.count("#op-rollback"), 0, "no button for what the agent would refuse");
    assert_eq!(m.text("details.op-unavailable summary"), "Not possible now (2): why");
    assert!(!m.disabled("#op-node-pass-1102"));
    assert!(m.text(".dag-scope").contains("Not a maintenance task"));
    assert_eq!(m.text(".dag-elapsed"), "58 s");
    m.cleanup();
}

#[wasm_bindgen_test]
async fn cancelled_passed_and_rolled_back_read_as_such() {
    let m = mount_panel(fixture("cancelled"), NOW).await;
    let s = m.find("#dag-state");
    assert_eq!(
        (
            s.get_attribute("data-state").as_deref(),
            s.get_attribute("data-operator").as_deref()
        ),
        (Some("FAILED"), Some("CANCEL"))
    );
    assert_eq!(m.text("#dag-state .state-text"), "Cancelled");
    assert!(
        m.text("#failure .failure-title").starts_with("✕ Cancelled at stage 1"),
        "{}",
        m.text("#failure .failure-title")
    );
    assert_eq!(m.text("#failure .failure-message"), "sub task cancelled");
    // Start and elapsed time cover the whole DAG, not only its last run.
    // In the browser's zone, the agent's own time on hover.
    assert_eq!(
        m.attr(".dag-start time", "title"),
        "Agent's time: 2026-05-11 10:00:01 +08:00"
    );
    assert_eq!(m.text(".dag-elapsed"), "2.0 s");
    assert_eq!(enabled(&m), vec!["retry", "pass", "rollback"]);
    m.cleanup();

    let m = mount_panel(fixture("passed"), NOW).await;
    assert_eq!(m.text("#dag-state .state-text"), "Passed (skipped)");
    // Why it had failed stays in view, as a note (not an alert).
    assert!(
        m.text("#failure .failure-title").contains("then passed (skipped)"),
        "{}",
        m.text("#failure .failure-title")
    );
    assert_eq!(m.find("#failure").get_attribute("role").as_deref(), Some("note"));
    assert_eq!(enabled(&m), Vec::<&str>::new());
    assert!(ops_state(&m)[1].2.contains("DAG is finished"));
    assert_eq!(m.count("[id^=op-node-pass]"), 0);
    assert_eq!(m.text(".op-none"), "No operation applies to this task now.");
    // The passed node's sub-task never ran: no bar; failed lanes inside the passed node remain visible.
    assert_eq!(m.count(".tl-node:nth-child(2) .tl-bar-node.tl-nobar"), 1);
    assert_eq!(m.count(".tl-lane.tl-failed"), 2);
    m.cleanup();

    let m = mount_panel(fixture("rolled_back"), NOW).await;
    assert_eq!(m.text("#dag-state .state-text"), "Rolled back");
    assert_eq!(
        m.find("#dag-state").get_attribute("data-operator").as_deref(),
        Some("ROLLBACK")
    );
    assert_eq!(enabled(&m), Vec::<&str>::new());
    assert!(
        m.all_text().contains("2 runs"),
        "retried/rolled-back sub-tasks show their executions"
    );
    // It ended at stage 1: the stage that never ran is not "current", and why it failed stays.
    assert_eq!(m.count("[aria-current=step]"), 1);
    assert!(
        m.text("[aria-current=step]").contains("Check backup config"),
        "{}",
        m.text("[aria-current=step]")
    );
    assert!(m
        .text("#failure .failure-title")
        .starts_with("✕ Failed at stage 1 “Check backup config”"));
    assert!(m.text("#failure .failure-title").ends_with("then rolled back"));
    m.cleanup();
}

#[wasm_bindgen_test]
async fn operations_go_through_a_confirmation_that_says_what_happens() {
    let m = mount_panel(fixture("failed_stage1"), NOW).await;
    assert_eq!(m.count("dialog.confirm-dialog"), 0);
    m.click("#op-pass").await;
    let dialog: web_sys::HtmlDialogElement = m.find("dialog.confirm-dialog").unchecked_into();
    assert!(dialog.open(), "shown modal");
    assert_eq!(
        dialog.get_attribute("aria-describedby").as_deref(),
        Some("op-dialog-body")
    );
    assert_eq!(m.text("#op-dialog-title"), "Pass (skip) task");
    assert!(
        m.text("#op-dialog-body")
            .contains("“Check backup config” and every node after it are marked as succeeded"),
        "{}",
        m.text("#op-dialog-body")
    );
    assert_eq!(
        document().active_element().map(|e| e.id()).as_deref(),
        Some("op-back"),
        "focus starts on the safe choice"
    );
    m.click("#op-back").await;
    assert_eq!(m.count("dialog.confirm-dialog"), 0);
    assert!(m.ops.get_untracked().is_empty());
    assert_eq!(
        document().active_element().map(|e| e.id()).as_deref(),
        Some("op-pass"),
        "focus returns to the button"
    );

    // Escape (the dialog's `cancel` event) is "back", not "confirm".
    m.click("#op-rollback").await;
    let cancel = web_sys::Event::new_with_event_init_dict("cancel", &{
        let init = web_sys::EventInit::new();
        init.set_cancelable(true);
        init
    })
    .unwrap();
    m.find("dialog.confirm-dialog").dispatch_event(&cancel).unwrap();
    settle().await;
    assert_eq!(m.count("dialog.confirm-dialog"), 0);
    assert!(m.ops.get_untracked().is_empty());
    assert_eq!(
        document().active_element().map(|e| e.id()).as_deref(),
        Some("op-rollback")
    );

    m.click("#op-retry").await;
    assert!(m
        .text("#op-dialog-body")
        .contains("Stage 1 “Check backup config” runs again"));
    m.click("#op-confirm").await;
    assert_eq!(m.count("dialog.confirm-dialog"), 0);
    assert_eq!(
        m.ops.get_untracked(),
        vec![OpRequest::Dag {
            dag_id: "142".into(),
            op: DagOperation::Retry
        }]
    );

    m.click("#op-node-pass-1101").await;
    m.click("#op-confirm").await;
    let last = m.ops.get_untracked().pop().unwrap();
    assert_eq!(
        last,
        OpRequest::NodePass {
            node_id: "1101".into(),
            node_name: "Check backup config".into()
        }
    );
    assert_eq!(last.body(), serde_json::json!({"operator": "PASS"}));
    assert_eq!(last.target(), "/api/v1/task/node/1101");
    m.cleanup();
}

#[wasm_bindgen_test]
async fn two_hundred_agents_collapse_to_a_summary_and_expand() {
    let m = mount_panel(big_dag(200, 10), big_now(10)).await;
    assert_eq!(m.count(".tl-node"), 3);
    let lanes_in = |m: &Mounted, n: usize| m.count(&format!(".tl-node:nth-child({n}) .tl-lane"));
    assert_eq!(lanes_in(&m, 1), 8, "collapsed");
    assert_eq!(lanes_in(&m, 2), 8);
    assert_eq!(lanes_in(&m, 3), 0, "a normal node has no lanes");
    let summary = m.text(".tl-node:nth-child(2) .tl-summary");
    // 50 done (2 failed: agents 0 and 37), 20 running, 130 ready.
    assert!(summary.contains("200 agents:"), "{summary}");
    assert!(
        summary.contains("2 Failed")
            && summary.contains("20 Running")
            && summary.contains("130 Ready")
            && summary.contains("48 Succeeded"),
        "{summary}"
    );
    // Failed lanes come first.
    assert_eq!(m.count(".tl-node:nth-child(2) .tl-lane:nth-child(-n+2).tl-failed"), 2);
    // Expand all, then filter by a state chip.
    m.click(".tl-node:nth-child(2) .tl-more").await;
    assert_eq!(lanes_in(&m, 2), 200);
    m.click(".tl-node:nth-child(2) .chip.state-failed").await;
    assert_eq!(lanes_in(&m, 2), 2);
    assert_eq!(
        m.find(".tl-node:nth-child(2) .chip.state-failed")
            .get_attribute("aria-pressed")
            .as_deref(),
        Some("true")
    );
    m.click(".tl-node:nth-child(2) .chip.state-failed").await;
    assert_eq!(lanes_in(&m, 2), 200);
    m.click(".tl-node:nth-child(2) .tl-more").await;
    assert_eq!(lanes_in(&m, 2), 8, "collapsed again");
    // Later polls keep the DOM small and up to date.
    m.dag.set(Some(big_dag(200, 30)));
    m.now.set(big_now(30));
    settle().await;
    assert!(
        m.text(".tl-node:nth-child(2) .tl-summary").contains("5 Failed"),
        "{}",
        m.text(".tl-node:nth-child(2) .tl-summary")
    );
    assert!(m.count("*") < 1500, "DOM size {}", m.count("*"));
    m.cleanup();
}

#[wasm_bindgen_test]
async fn one_agent_is_a_plain_row() {
    let m = mount_panel(big_dag(1, 1), big_now(1)).await;
    assert_eq!(m.count(".tl-summary"), 0);
    assert_eq!(m.count(".tl-lane"), 0);
    assert_eq!(
        m.count(".tl-node .tl-select.tl-name"),
        3,
        "each node row selects its only sub-task"
    );
    m.cleanup();
}

#[wasm_bindgen_test]
async fn hostile_strings_render_as_text() {
    let m = mount_panel(fixture("hostile"), NOW).await;
    let all = m.all_text();
    assert!(all.contains("<img src=x onerror=\"window.__pwned=1\">Set <b>backup</b> & config"));
    assert!(all.contains("<svg onload=\"window.__pwned=3\"></svg>Check"));
    assert!(all.contains("\"><img src=y onerror=window.__pwned=4>"));
    assert_eq!(m.text("#failure .failure-code"), "<i>Code</i>");
    assert!(m.text("#failure .failure-message").contains("<img src=z"));
    // The failed sub-task with the hostile log is selected by default.
    assert!(m.text(".log-view").contains("<script>window.__pwned=5</script>"));
    assert!(m.text(".log-view").contains("</li><li>injected"));
    assert_eq!(
        m.count("img, script, svg, b, i"),
        0,
        "no markup from the agent became elements"
    );
    let pwned = js_sys::Reflect::get(&web_sys::window().unwrap(), &"__pwned".into()).unwrap();
    assert!(pwned.is_undefined());
    m.cleanup();
}

#[wasm_bindgen_test]
async fn unknown_states_and_operators_are_shown_not_fatal() {
    let m = mount_panel(fixture("unknown_state"), NOW).await;
    let s = m.find("#dag-state");
    assert_eq!(s.get_attribute("data-state").as_deref(), Some("PAUSED"));
    assert_eq!(m.text("#dag-state .state-text"), "Unknown state “PAUSED”");
    assert_eq!(m.text("#dag-state .state-icon"), "?");
    assert!(s.class_name().contains("state-unknown"));
    assert_eq!(m.text(".dag-operator"), "Unknown operator “FREEZE”");
    assert!(m.all_text().contains("Unknown state “SKIPPED”"));
    assert!(m.all_text().contains("Unknown state “WAITING”"));
    assert!(m.q(".tl-lane.tl-unknown").is_some());
    for op in ["retry", "pass", "rollback"] {
        assert_eq!(m.count(&format!("#op-{op}")), 0, "{op}");
    }
    m.cleanup();
}

#[wasm_bindgen_test]
async fn chinese() {
    let m = mount_panel_lang(fixture("failed_stage2"), NOW, Lang::Zh).await;
    assert_eq!(m.text("#dag-state .state-text"), "失败");
    assert_eq!(m.text("#op-retry"), "重试");
    assert!(
        ops_state(&m)[3]
            .2
            .contains("设置 DAG 回滚失败：节点 Set backup config 不能回滚"),
        "{:?}",
        ops_state(&m)[3]
    );
    assert!(m.text("#timeline-title").contains("时间线"));
    m.cleanup();
}

// ---------------------------------------------------------------------------------------------
// Logs

async fn mount_log(
    lines: Lines,
) -> (
    HtmlElement,
    RwSignal<Lines>,
    RwSignal<bool>,
    (
        Owner,
        leptos::mount::UnmountHandle<leptos::tachys::view::any_view::AnyViewState>,
    ),
) {
    load_css();
    let root: HtmlElement = document().create_element("div").unwrap().unchecked_into();
    // The console's stylesheet applies inside its root element only.
    root.set_class_name("obshell-console");
    document().body().unwrap().append_child(&root).unwrap();
    let owner = Owner::new();
    let (lines_s, follow) = owner.with(|| (RwSignal::new(lines), RwSignal::new(true)));
    let handle = owner.with(|| {
        leptos::mount::mount_to(root.clone(), move || {
            provide_context(I18n::new(Lang::En));
            view! { <LogView lines=lines_s follow=follow label="log".to_string()/> }.into_any()
        })
    });
    settle().await;
    (root, lines_s, follow, (owner, handle))
}

fn many_lines(n: usize) -> Lines {
    Arc::new(
        (0..n)
            .map(|i| LogLine {
                text: format!("line {i} <b>x</b>"),
                time: None,
                attempt: 1,
            })
            .collect(),
    )
}

#[wasm_bindgen_test]
async fn a_100k_line_log_renders_a_window_and_scrolls() {
    let (root, lines, follow, handle) = mount_log(many_lines(100_000)).await;
    let view: HtmlElement = root.query_selector(".log-view").unwrap().unwrap().unchecked_into();
    let rendered = root.query_selector_all(".log-line").unwrap().length();
    assert!(rendered > 10 && rendered < 200, "{rendered} lines in the DOM");
    // Following: the newest line is visible.
    assert!(root.text_content().unwrap().contains("line 99999 <b>x</b>"));
    assert_eq!(view.scroll_height(), 2_000_000);
    // The user scrolls to the middle: following stops, the window moves.
    view.set_scroll_top(1_000_000);
    view.dispatch_event(&web_sys::Event::new("scroll").unwrap()).unwrap();
    settle().await;
    assert!(!follow.get_untracked());
    let text = root.text_content().unwrap();
    assert!(
        text.contains("line 50000 ") && !text.contains("line 99999 "),
        "window around the middle"
    );
    // New lines do not move a reader who scrolled up…
    lines.set(many_lines(100_050));
    settle().await;
    assert_eq!(view.scroll_top(), 1_000_000);
    // …and are followed again once back at the bottom.
    follow.set(true);
    settle().await;
    assert!(root.text_content().unwrap().contains("line 100049 "));
    lines.set(many_lines(100_060));
    settle().await;
    assert!(root.text_content().unwrap().contains("line 100059 "));
    assert!(root.query_selector_all(".log-line").unwrap().length() < 200);
    drop(handle.1);
    handle.0.cleanup();
    root.remove();
}

// ---------------------------------------------------------------------------------------------
// The poller, with a scripted fetch

struct Probe {
    requests: Rc<Cell<u32>>,
    in_flight: Rc<Cell<u32>>,
    max_in_flight: Rc<Cell<u32>>,
}

fn probe_fetch(delay_ms: u32, answers: Rc<dyn Fn(u32) -> Result<TaskState, ApiError>>) -> (Probe, Fetch<TaskState>) {
    let probe = Probe {
        requests: Rc::new(Cell::new(0)),
        in_flight: Rc::new(Cell::new(0)),
        max_in_flight: Rc::new(Cell::new(0)),
    };
    let (r, f, m) = (
        probe.requests.clone(),
        probe.in_flight.clone(),
        probe.max_in_flight.clone(),
    );
    let fetch: Fetch<TaskState> = Rc::new(move || -> LocalBoxFuture<'static, Result<TaskState, ApiError>> {
        let (r, f, m, answers) = (r.clone(), f.clone(), m.clone(), answers.clone());
        Box::pin(async move {
            r.set(r.get() + 1);
            f.set(f.get() + 1);
            m.set(m.get().max(f.get()));
            gloo_timers::future::TimeoutFuture::new(delay_ms).await;
            f.set(f.get() - 1);
            answers(r.get())
        })
    });
    (probe, fetch)
}

fn classify(r: Result<TaskState, ApiError>) -> Outcome {
    match r {
        Ok(s) if s.is_finished() => Outcome::Terminal,
        Ok(_) => Outcome::Active,
        Err(e) => Outcome::of_error(&e),
    }
}

#[wasm_bindgen_test]
async fn poller_never_overlaps_stops_on_terminal_and_on_unmount() {
    init_executor();
    // Slow answers (longer than the interval): still one request at a time.
    let owner = Owner::new();
    let (probe, fetch) = probe_fetch(
        300,
        Rc::new(|n| Ok(if n < 4 { TaskState::Running } else { TaskState::Succeed })),
    );
    let policy = PollPolicy {
        interval_ms: 100.0,
        min_gap_ms: 10.0,
        ..PollPolicy::DAG
    };
    let handle = owner.with(|| spawn_poller(policy, fetch, classify));
    gloo_timers::future::TimeoutFuture::new(2500).await;
    assert_eq!(probe.max_in_flight.get(), 1);
    assert_eq!(probe.requests.get(), 4, "stops at the terminal answer");
    assert_eq!(handle.phase.get_untracked(), PollPhase::Finished);
    // An operation: refresh at once, follow until terminal again.
    handle.after_operation();
    gloo_timers::future::TimeoutFuture::new(100).await;
    assert_eq!(probe.requests.get(), 5);
    owner.cleanup();

    // Unmount (owner cleanup) stops a live poller.
    let owner = Owner::new();
    let (probe, fetch) = probe_fetch(5, Rc::new(|_| Ok(TaskState::Running)));
    let handle = owner.with(|| {
        spawn_poller(
            PollPolicy {
                interval_ms: 50.0,
                min_gap_ms: 5.0,
                ..PollPolicy::DAG
            },
            fetch,
            classify,
        )
    });
    gloo_timers::future::TimeoutFuture::new(400).await;
    let seen = probe.requests.get();
    assert!((4..=10).contains(&seen), "{seen} requests in 400 ms at 50 ms");
    owner.cleanup();
    assert!(handle.is_stopped());
    gloo_timers::future::TimeoutFuture::new(300).await;
    assert!(probe.requests.get() <= seen + 1, "no polling after unmount");
}

#[wasm_bindgen_test]
async fn poller_backs_off_visibly_on_network_errors_and_resumes() {
    init_executor();
    let owner = Owner::new();
    let down = Rc::new(Cell::new(true));
    let d = down.clone();
    let (probe, fetch) = probe_fetch(
        5,
        Rc::new(move |_| {
            if d.get() {
                Err(ApiError::Network {
                    url: "/x".into(),
                    detail: "down".into(),
                })
            } else {
                Ok(TaskState::Running)
            }
        }),
    );
    let policy = PollPolicy {
        interval_ms: 50.0,
        min_gap_ms: 5.0,
        backoff_initial_ms: 100.0,
        backoff_max_ms: 400.0,
        ..PollPolicy::DAG
    };
    let handle = owner.with(|| spawn_poller(policy, fetch, classify));
    gloo_timers::future::TimeoutFuture::new(900).await;
    // 0, +100, +200, +400, +400 → about 4-5 requests in 900 ms, not 18.
    let n = probe.requests.get();
    assert!((3..=6).contains(&n), "{n} requests while down");
    assert!(matches!(handle.phase.get_untracked(), PollPhase::Reconnecting { failures, .. } if failures >= 3));
    down.set(false);
    gloo_timers::future::TimeoutFuture::new(600).await;
    assert_eq!(handle.phase.get_untracked(), PollPhase::Live, "resumed by itself");
    // A 404 stops.
    owner.cleanup();
    let owner = Owner::new();
    let (probe, fetch) = probe_fetch(
        5,
        Rc::new(|_| {
            Err(ApiError::Agent {
                status: 404,
                err_code: "Task.NotFound".into(),
                message: "Task not found: record not found".into(),
                trace_id: "t".into(),
            })
        }),
    );
    let handle = owner.with(|| {
        spawn_poller(
            PollPolicy {
                interval_ms: 50.0,
                ..PollPolicy::DAG
            },
            fetch,
            classify,
        )
    });
    gloo_timers::future::TimeoutFuture::new(300).await;
    assert_eq!(probe.requests.get(), 1);
    assert_eq!(handle.phase.get_untracked(), PollPhase::Stopped);
    owner.cleanup();
}

/// Makes `document.hidden` report `hidden` and fires `visibilitychange` on the document.
fn set_page_hidden(hidden: bool) {
    let desc = js_sys::Object::new();
    js_sys::Reflect::set(&desc, &"value".into(), &hidden.into()).unwrap();
    js_sys::Reflect::set(&desc, &"configurable".into(), &true.into()).unwrap();
    js_sys::Object::define_property(&document(), &"hidden".into(), &desc);
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    document()
        .dispatch_event(&web_sys::Event::new_with_event_init_dict("visibilitychange", &init).unwrap())
        .unwrap();
}

#[wasm_bindgen_test]
async fn poller_pauses_while_the_page_is_hidden() {
    init_executor();
    let owner = Owner::new();
    let (probe, fetch) = probe_fetch(5, Rc::new(|_| Ok(TaskState::Running)));
    let _handle = owner.with(|| {
        spawn_poller(
            PollPolicy {
                interval_ms: 50.0,
                min_gap_ms: 5.0,
                ..PollPolicy::DAG
            },
            fetch,
            classify,
        )
    });
    gloo_timers::future::TimeoutFuture::new(200).await;
    assert!(probe.requests.get() >= 2);
    set_page_hidden(true);
    gloo_timers::future::TimeoutFuture::new(20).await;
    let paused_at = probe.requests.get();
    gloo_timers::future::TimeoutFuture::new(400).await;
    assert!(probe.requests.get() <= paused_at + 1, "no polling while hidden");
    set_page_hidden(false);
    gloo_timers::future::TimeoutFuture::new(30).await;
    assert!(probe.requests.get() > paused_at, "visible again: polls at once");
    owner.cleanup();
    // Leave the page as it was for the other tests.
    js_sys::Reflect::delete_property(&document(), &"hidden".into()).unwrap();
}

#[wasm_bindgen_test]
async fn task_table_links_each_task_and_renders_names_as_text() {
    load_css();
    let root: HtmlElement = document().create_element("div").unwrap().unchecked_into();
    // The console's stylesheet applies inside its root element only.
    root.set_class_name("obshell-console");
    document().body().unwrap().append_child(&root).unwrap();
    let dags = vec![
        fixture("hostile"),
        fixture("unknown_state"),
        fixture("cancelled"),
        fixture("rolled_back"),
    ];
    let handle = leptos::mount::mount_to(root.clone(), move || {
        provide_context(I18n::new(Lang::En));
        provide_context(Nav::in_memory(Route::Tasks));
        view! { <TaskTable dags=dags.clone() labelled_by="x"/> }
    });
    settle().await;
    let rows = root.query_selector_all("tbody tr").unwrap();
    assert_eq!(rows.length(), 4);
    let text = root.text_content().unwrap();
    assert!(text.contains("<img src=x onerror=\"window.__pwned=1\">Set <b>backup</b> & config"));
    assert!(text.contains("Unknown state “PAUSED”") && text.contains("Cancelled") && text.contains("Rolled back"));
    assert!(text.contains("Tenant <script>window.__pwned=2</script>") && text.contains("Cluster"));
    assert_eq!(
        root.query_selector_all("tbody img, tbody b, tbody script")
            .unwrap()
            .length(),
        0
    );
    let link = root.query_selector("tbody tr a").unwrap().unwrap();
    assert_eq!(link.get_attribute("href").as_deref(), Some("#/tasks/142"));
    // Each finished task's start and duration as its view shows them: the whole span, not the
    // last run's (the agent resets a DAG's own start on retry, cancel and rollback).
    let cell = |row: u32, col: u32| {
        rows.item(row)
            .unwrap()
            .unchecked_into::<web_sys::Element>()
            .query_selector_all("td")
            .unwrap()
            .item(col)
            .unwrap()
            .text_content()
            .unwrap_or_default()
    };
    let mut seen = vec![];
    for (row, name) in [(2, "cancelled"), (3, "rolled_back")] {
        let m = mount_panel(fixture(name), NOW).await;
        let view = (
            m.text(".dag-start"),
            m.text(".dag-elapsed"),
            m.attr(".dag-start time", "title"),
        );
        m.cleanup();
        assert_eq!(
            (cell(row, 4), cell(row, 5)),
            (view.0.clone(), view.1.clone()),
            "{name}: the list and the view agree"
        );
        seen.push(view);
    }
    // A rollback resets every start the agent reports (the fixture's, as the agent writes them):
    // both show the rollback's run, and say the same.
    assert_eq!(seen[1].2, "Agent's time: 2026-05-11 10:00:09 +08:00");
    drop(handle);
    root.remove();
}
