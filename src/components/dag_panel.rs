//! Everything about one DAG on one screen, without any network: header, failure banner,
//! operations, timeline and logs. The task page feeds it from its poller; tests mount it with a
//! fixture.

use super::dag_operations::{DagOperations, OpRequest};
use super::dag_status::{DagHeader, FailureBanner};
use super::task_logs::{FetchedLogs, LogPanel};
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
    let auto = Memo::new(move |_| dag.with(|d| d.as_ref().and_then(default_selection)));
    Effect::new(move |_| {
        let a = auto.get();
        let exists = selected.with_untracked(|s| s.as_ref().map(|id| dag.with_untracked(|d| d.as_ref().map(|d| super::task_logs::SelectedTask::find(d, id).is_some()).unwrap_or(false))).unwrap_or(false));
        if (!pinned.get() || !exists) && a.is_some() && selected.get_untracked() != a {
            selected.set(a);
        }
    });
    let pin = Callback::new(move |_: String| pinned.set(true));
    let show_log = Callback::new(move |id: String| {
        pinned.set(true);
        selected.set(Some(id));
        if let Some(el) = document().get_element_by_id("logs-title") {
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
