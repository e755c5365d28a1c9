//! One task (DAG), live: the poller feeding [`DagPanel`], sub-task log fetching, operations
//! sent to the agent, and the connection state ("reconnecting…").

use crate::api::{AgentClient, ApiError, HttpMethod};
use crate::components::dag::logs::{lines_from_sub_task_logs, FetchedLogs, SelectedTask};
use crate::components::dag::operations::OpRequest;
use crate::components::dag::panel::DagPanel;
use crate::components::error_panel::ErrorPanel;
use crate::components::task_indicator::notify_tasks_changed;
use crate::components::time::UpdatedStamp;
use crate::context::use_host_events;
use crate::i18n::{text_with, use_i18n};
use crate::nav::{Link, Route};
use crate::poll::{spawn_poller, Fetch, Outcome, PollPhase, PollPolicy};
use crate::routes;
use leptos::prelude::*;
use obshell_proto::dag::{DagDetail, SubTaskLog};
use obshell_proto::envelope::Contents;
use std::cell::Cell;
use std::rc::Rc;
use std::sync::Arc;
use std::time::Duration;

/// The page of route `/tasks/{id}`. A new id is a new page (the app re-creates it), so the old
/// poller stops with its owner.
#[component]
pub fn TaskViewPage(id: String) -> impl IntoView {
    view! { <TaskView id=id/> }
}

/// The live view of DAG `id` (generic id, e.g. `"142"`).
#[component]
pub fn TaskView(id: String) -> impl IntoView {
    let i18n = use_i18n();
    let client = expect_context::<AgentClient>();
    let dag = RwSignal::new(None::<DagDetail>);
    let load_error = RwSignal::new(None::<ApiError>);
    let now_ms = RwSignal::new(client.server_now_ms() as i64);

    // Poll the DAG.
    let fetch: Fetch<DagDetail> = {
        let client = client.clone();
        let target = routes::dag(&id);
        Rc::new(move || {
            let client = client.clone();
            let target = target.clone();
            Box::pin(async move {
                match client.get::<DagDetail>(&target).await {
                    Ok(Some(d)) => Ok(d),
                    Ok(None) => Err(ApiError::BadResponse {
                        url: target.to_string(),
                        status: 200,
                        detail: "no data".into(),
                    }),
                    Err(e) => Err(e),
                }
            })
        })
    };
    let now_client = client.clone();
    let events = use_host_events();
    // When the DAG last came from the agent: the "Updated N s ago" stamp.
    let updated_at = RwSignal::new(None::<f64>);
    let poll = spawn_poller(PollPolicy::DAG, fetch, move |r| match r {
        Ok(d) => {
            events.task_observed(&d);
            // An unknown state of a newer agent is not known to be finished: keep watching.
            let outcome = if d.state.is_finished() {
                Outcome::Terminal
            } else {
                Outcome::Active
            };
            // Seen finishing here: the header's running-tasks badge need not wait for its own
            // (slower) poll.
            if d.state.is_finished() && dag.with_untracked(|p| p.as_ref().is_some_and(|p| !p.state.is_finished())) {
                notify_tasks_changed();
            }
            now_ms.set(now_client.server_now_ms() as i64);
            updated_at.set(Some(js_sys::Date::now()));
            load_error.set(None);
            dag.set(Some(d));
            outcome
        }
        Err(e) => {
            let o = Outcome::of_error(&e);
            load_error.set(Some(e));
            o
        }
    });

    // The clock for running bars and the elapsed time.
    {
        let client = client.clone();
        if let Ok(h) = set_interval_with_handle(
            move || now_ms.set(client.server_now_ms() as i64),
            Duration::from_millis(1000),
        ) {
            on_cleanup(move || h.clear());
        }
    }

    // Logs of the selected sub-task: fetched when it is selected and whenever it changes
    // (state, attempt, new lines in the DAG), one request at a time.
    let selected = RwSignal::new(None::<String>);
    let fetched_logs = RwSignal::new(None::<FetchedLogs>);
    let logs_error = RwSignal::new(None::<ApiError>);
    let log_key = Memo::new(move |_| {
        let id = selected.get()?;
        dag.with(|d| d.as_ref().and_then(|d| SelectedTask::find(d, &id)))
            // Not on every new line: those come with each DAG poll (`task_logs`) and are shown
            // from there; the fetch (with times) follows the sub-task's state and attempts.
            .map(|t| (t.id, t.state, t.execute_times))
    });
    let alive = Arc::new(std::sync::atomic::AtomicBool::new(true));
    {
        let alive = alive.clone();
        on_cleanup(move || alive.store(false, std::sync::atomic::Ordering::SeqCst));
    }
    let in_flight = Rc::new(Cell::new(false));
    let dirty = Rc::new(Cell::new(false));
    {
        let client = client.clone();
        Effect::new(move |_| {
            if log_key.with(Option::is_none) {
                return;
            }
            if in_flight.get() {
                dirty.set(true);
                return;
            }
            in_flight.set(true);
            let (client, in_flight, dirty, alive) = (client.clone(), in_flight.clone(), dirty.clone(), alive.clone());
            leptos::task::spawn_local(async move {
                loop {
                    dirty.set(false);
                    let Some(task_id) = log_key.with_untracked(|k| k.as_ref().map(|k| k.0.clone())) else {
                        break;
                    };
                    let r = client
                        .get::<Contents<SubTaskLog>>(routes::sub_task_logs(&task_id))
                        .await;
                    if !alive.load(std::sync::atomic::Ordering::SeqCst) {
                        return;
                    }
                    match r {
                        Ok(c) => {
                            let lines = lines_from_sub_task_logs(&c.map(|c| c.contents).unwrap_or_default());
                            fetched_logs.set(Some(FetchedLogs {
                                task_id,
                                lines: Arc::new(lines),
                            }));
                            logs_error.set(None);
                        }
                        Err(e) => logs_error.set(Some(e)),
                    }
                    if !dirty.get() {
                        break;
                    }
                }
                in_flight.set(false);
            });
        });
    }

    // Operations: sent, then the view refreshes at once and follows the DAG until terminal.
    let busy = RwSignal::new(false);
    let op_error = RwSignal::new(None::<ApiError>);
    let op_done = RwSignal::new(None::<String>);
    // Where the focus goes once an operation is answered: its outcome. The button that sent it
    // is disabled while it runs (and may stay so), which would leave the focus nowhere.
    let result_id = crate::ids::uid("op-result");
    let on_operation = {
        let client = client.clone();
        let poll = poll.clone();
        let result_id = result_id.clone();
        Callback::new(move |req: OpRequest| {
            let (client, poll, result_id) = (client.clone(), poll.clone(), result_id.clone());
            busy.set(true);
            op_error.set(None);
            op_done.set(None);
            leptos::task::spawn_local(async move {
                let r = client
                    .request::<serde_json::Value>(HttpMethod::Post, &req.target(), Some(req.body()))
                    .await;
                if poll.is_stopped() {
                    return;
                }
                busy.set(false);
                match r {
                    Ok(_) => {
                        op_done.set(Some(req.title(i18n.lang.get_untracked())));
                        poll.after_operation();
                    }
                    Err(e) => {
                        op_error.set(Some(e));
                        poll.refresh();
                    }
                }
                notify_tasks_changed();
                leptos::task::tick().await;
                if let Some(el) = crate::ids::html_element(&result_id) {
                    let _ = el.focus();
                }
            });
        })
    };

    let phase = poll.phase;
    let connection = move || {
        let lang = i18n.lang.get();
        match phase.get() {
            PollPhase::Reconnecting { failures, .. } => Some(text_with(
                lang,
                "poll.reconnecting",
                &[("attempt", &failures.to_string())],
            )),
            PollPhase::Finished => Some(text_with(lang, "poll.finished", &[])),
            PollPhase::Stopped => Some(text_with(lang, "poll.stopped", &[])),
            PollPhase::Starting | PollPhase::Live => None,
        }
    };
    let reconnecting = move || matches!(phase.get(), PollPhase::Reconnecting { .. });
    let stale_since = Signal::derive(move || reconnecting().then(|| updated_at.get()).flatten());
    let refresh = {
        let poll = poll.clone();
        move |_| poll.refresh()
    };
    view! {
        <section class="card wide task-view">
            <p class="breadcrumbs"><Link route=Route::Tasks>{i18n.t("tasks.title")}</Link></p>
            <div class="poll-status" role="status" aria-live="polite" class:reconnecting=reconnecting data-phase=move || match phase.get() {
                PollPhase::Starting => "starting",
                PollPhase::Live => "live",
                PollPhase::Reconnecting { .. } => "reconnecting",
                PollPhase::Finished => "finished",
                PollPhase::Stopped => "stopped",
            }>
                <span>{connection}</span>
                <Show when=move || !matches!(phase.get(), PollPhase::Starting | PollPhase::Live)>
                    " "<button type="button" class="link" on:click=refresh.clone()>{move || if reconnecting() { i18n.t("poll.retry_now")() } else { i18n.t("common.refresh")() }}</button>
                </Show>
            </div>
            // Not inside the live region above: it changes every second.
            <UpdatedStamp at_ms=updated_at stale_since=stale_since/>
            <ErrorPanel error=load_error/>
            <div class="op-result" id=result_id tabindex="-1">
                <ErrorPanel error=op_error context=crate::api::ErrorContext::Submit/>
                <p class="op-done" role="status">{move || op_done.get().map(|t| text_with(i18n.lang.get(), "op.sent", &[("op", &t)]))}</p>
            </div>
            <Show when=move || dag.with(Option::is_none) && load_error.with(Option::is_none)>
                <p class="muted">{i18n.t("common.loading")}</p>
            </Show>
            <Show when=move || dag.with(Option::is_some)>
                <DagPanel dag=dag now_ms=now_ms on_operation=on_operation busy=busy selected=selected fetched_logs=fetched_logs logs_error=logs_error/>
            </Show>
        </section>
    }
}
