//! Everything about one DAG on one screen, without any network: header, failure banner,
//! operations, timeline and logs. The task page feeds it from its poller; tests mount it with a
//! fixture.

use super::logs::{FetchedLogs, LogPanel};
use super::operations::{DagOperations, OpRequest};
use super::status::{DagHeader, FailureBanner};
use super::timeline::{Timeline, COLLAPSED_LANES};
use crate::api::ApiError;
use leptos::prelude::*;
use obshell_proto::dag::{DagDetail, TaskState};

/// The sub-task to show when the user has not picked one: the failing one of a failed DAG,
/// else a running (or ready) sub-task of the current node, else its first sub-task.
pub fn default_selection(d: &DagDetail) -> Option<String> {
    if let Some(f) = d.failure_line() {
        return Some(f.task.id.clone());
    }
    let node = d.current_node()?;
    let subs = node.sub_tasks.as_deref()?;
    [TaskState::Failed, TaskState::Running, TaskState::Ready]
        .iter()
        .find_map(|s| subs.iter().find(|t| &t.state == s))
        .or_else(|| subs.first())
        .map(|t| t.id.clone())
}

/// Whether an automatic selection should move from `current` to the default: not while it still
/// belongs to the current node and no failure needs showing (so the log does not jump between
/// agents on every poll of a busy parallel node).
pub fn should_move_selection(d: &DagDetail, current: Option<&str>) -> bool {
    let Some(current) = current else { return true };
    if let Some(f) = d.failure_line() {
        return f.task.id != current;
    }
    match d.current_node() {
        Some(n) => !n.sub_tasks.as_deref().unwrap_or(&[]).iter().any(|t| t.id == current),
        None => false,
    }
}

#[component]
pub fn DagPanel(
    #[prop(into)] dag: Signal<Option<DagDetail>>,
    #[prop(into)] now_ms: Signal<i64>,
    /// Confirmed operations; without it the operations are not offered (read-only view).
    #[prop(optional)]
    on_operation: Option<Callback<OpRequest>>,
    #[prop(into, default = Signal::stored(false))] busy: Signal<bool>,
    /// The selected sub-task (created here when not given).
    #[prop(optional)]
    selected: Option<RwSignal<Option<String>>>,
    #[prop(optional, into)] fetched_logs: Signal<Option<FetchedLogs>>,
    #[prop(optional, into)] logs_error: Signal<Option<ApiError>>,
    #[prop(default = COLLAPSED_LANES)] collapsed_lanes: usize,
) -> impl IntoView {
    let selected = selected.unwrap_or_else(|| RwSignal::new(None));
    // Until the user picks a sub-task, follow the one that matters now.
    let pinned = RwSignal::new(false);
    Effect::new(move |_| {
        let pinned = pinned.get();
        dag.with(|d| {
            let Some(d) = d.as_ref() else { return };
            let current = selected.get_untracked();
            let exists = current
                .as_deref()
                .map(|id| super::logs::SelectedTask::find(d, id).is_some())
                .unwrap_or(false);
            let moving = if pinned {
                !exists
            } else {
                !exists || should_move_selection(d, current.as_deref())
            };
            if moving {
                let next = default_selection(d);
                if next.is_some() && next != current {
                    selected.set(next);
                }
            }
        })
    });
    let pin = Callback::new(move |_: String| pinned.set(true));
    let logs_title = StoredValue::new(crate::ids::uid("logs-title"));
    let show_log = Callback::new(move |id: String| {
        pinned.set(true);
        selected.set(Some(id));
        if let Some(el) = document().get_element_by_id(&logs_title.get_value()) {
            el.scroll_into_view();
        }
    });
    view! {
        <div class="dag-panel">
            <DagHeader dag=dag now_ms=now_ms/>
            <FailureBanner dag=dag on_show_log=show_log/>
            {on_operation.map(|cb| view! { <DagOperations dag=dag on_confirm=cb busy=busy/> })}
            <div class="dag-body">
                <Timeline dag=dag now_ms=now_ms selected=selected on_select=pin collapsed_lanes=collapsed_lanes/>
                <LogPanel dag=dag selected=selected fetched=fetched_logs error=logs_error/>
            </div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dag(json: serde_json::Value) -> DagDetail {
        serde_json::from_value(json).unwrap()
    }

    fn sub(id: &str, state: &str, logs: serde_json::Value) -> serde_json::Value {
        serde_json::json!({"id": id, "state": state, "task_logs": logs})
    }

    #[test]
    fn the_automatic_selection_is_sticky_within_the_current_node() {
        let running = dag(serde_json::json!({"id": "1", "state": "RUNNING", "stage": 1, "nodes": [
            {"id": "n1", "state": "RUNNING", "sub_tasks": [sub("a", "SUCCEED", serde_json::json!([])), sub("b", "RUNNING", serde_json::json!([])), sub("c", "RUNNING", serde_json::json!([]))]},
            {"id": "n2", "state": "PENDING", "sub_tasks": [sub("d", "PENDING", serde_json::Value::Null)]}]}));
        assert_eq!(default_selection(&running).as_deref(), Some("b"));
        assert!(!should_move_selection(&running, Some("a")), "still in the current node");
        assert!(should_move_selection(&running, Some("d")));
        assert!(should_move_selection(&running, None));
        let failed = dag(serde_json::json!({"id": "1", "state": "FAILED", "stage": 1, "nodes": [
            {"id": "n1", "state": "FAILED", "sub_tasks": [sub("a", "SUCCEED", serde_json::json!([])), sub("b", "FAILED", serde_json::json!(["x", "ERROR: [C]: m"]))]}]}));
        assert_eq!(default_selection(&failed).as_deref(), Some("b"));
        assert!(should_move_selection(&failed, Some("a")), "a failure is shown at once");
        assert!(!should_move_selection(&failed, Some("b")));
    }
}
