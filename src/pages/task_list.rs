//! Task list: unfinished cluster tasks and the history, filterable by state and searchable,
//! each linking to its live view. Refreshes every few seconds while visible.

use crate::api::{AgentClient, ApiError};
use crate::components::dag::model::{dag_times, format_duration};
use crate::components::dag::status::{state_text, StateLabel};
use crate::components::error_panel::ErrorPanel;
use crate::components::time::{agent_time, UpdatedStamp};
use crate::components::untrusted::{fill_values, untrusted_as, Show};
use crate::i18n::{text_with, use_i18n};
use crate::nav::{Link, Route};
use crate::poll::{spawn_poller, Fetch, Outcome, PollPhase, PollPolicy};
use crate::routes;
use leptos::prelude::*;
use obshell_proto::dag::{maintenance, DagDetail, TaskOperator, TaskState};
use obshell_proto::envelope::Contents;
use obshell_proto::time::Precision;
use std::rc::Rc;

const REFRESH_MS: f64 = 3_000.0;
/// History rows rendered per "show more".
const PAGE: usize = 100;

/// The state filter: a wire state, "other" (states this console does not know), or all.
pub fn matches_filter(d: &DagDetail, filter: &str) -> bool {
    match filter {
        "" => true,
        "OTHER" => matches!(d.state, TaskState::Unknown(_)),
        f => d.state.as_str() == f,
    }
}

/// Case-insensitive search in name, id and maintenance key (tenant).
pub fn matches_query(d: &DagDetail, query: &str) -> bool {
    let q = query.trim().to_lowercase();
    q.is_empty()
        || d.name.to_lowercase().contains(&q)
        || d.id.to_lowercase().contains(&q)
        || d.maintenance_key.to_lowercase().contains(&q)
}

#[derive(Clone, Debug, PartialEq)]
struct Lists {
    unfinished: Vec<DagDetail>,
    history: Vec<DagDetail>,
}

#[component]
pub fn TaskListPage() -> impl IntoView {
    let i18n = use_i18n();
    let client = expect_context::<AgentClient>();
    let filter = RwSignal::new(String::new());
    let search = RwSignal::new(String::new());
    let lists = RwSignal::new(None::<Lists>);
    let error = RwSignal::new(None::<ApiError>);
    let fetch: Fetch<Lists> = Rc::new(move || {
        let client = client.clone();
        Box::pin(async move {
            let mut unfinished = client
                .get::<Contents<DagDetail>>(routes::unfinished_dags())
                .await?
                .map(|c| c.contents)
                .unwrap_or_default();
            let mut history = client
                .get::<Contents<DagDetail>>(routes::dag_history())
                .await?
                .map(|c| c.contents)
                .unwrap_or_default();
            unfinished.sort_by_key(|d| std::cmp::Reverse(d.dag_id));
            history.sort_by_key(|d| std::cmp::Reverse(d.dag_id));
            Ok(Lists { unfinished, history })
        })
    });
    // When the lists last came from the agent: the "Updated N s ago" stamp.
    let updated_at = RwSignal::new(None::<f64>);
    let poll = spawn_poller(PollPolicy::every(REFRESH_MS), fetch, move |r| match r {
        Ok(l) => {
            error.set(None);
            updated_at.set(Some(js_sys::Date::now()));
            if lists.with_untracked(|old| old.as_ref() != Some(&l)) {
                lists.set(Some(l));
            }
            Outcome::Active
        }
        Err(e) => {
            let o = Outcome::of_error(&e);
            error.set(Some(e));
            o
        }
    });
    let phase = poll.phase;
    let stale_since = Signal::derive(move || {
        matches!(phase.get(), PollPhase::Reconnecting { .. })
            .then(|| updated_at.get())
            .flatten()
    });
    let visible = move |which: fn(&Lists) -> &Vec<DagDetail>| {
        Memo::new(move |_| {
            let f = filter.get();
            let q = search.get();
            lists.with(|l| {
                l.as_ref()
                    .map(|l| {
                        which(l)
                            .iter()
                            .filter(|d| matches_filter(d, &f) && matches_query(d, &q))
                            .cloned()
                            .collect::<Vec<_>>()
                    })
                    .unwrap_or_default()
            })
        })
    };
    let unfinished = visible(|l| &l.unfinished);
    let history = visible(|l| &l.history);
    let refresh = move |_| poll.refresh();
    view! {
        <section class="card wide" aria-labelledby=crate::ids::uid("tasks-title")>
            <h1 id=crate::ids::uid("tasks-title")>{i18n.t("tasks.title")}</h1>
            <div class="filters">
                <div class="field">
                    <label for=crate::ids::uid("task-state-filter")>{i18n.t("tasks.filter_state")}</label>
                    <select id=crate::ids::uid("task-state-filter") on:change=move |ev| filter.set(event_target_value(&ev))>
                        <option value="">{i18n.t("tasks.all_states")}</option>
                        {[TaskState::Pending, TaskState::Ready, TaskState::Running, TaskState::Failed, TaskState::Succeed].into_iter().map(|s| {
                            let value = s.as_str().to_string();
                            view! { <option value=value>{move || state_text(i18n.lang.get(), &s, None)}</option> }
                        }).collect_view()}
                        <option value="OTHER">{i18n.t("tasks.other_states")}</option>
                    </select>
                </div>
                <div class="field">
                    <label for=crate::ids::uid("task-search")>{i18n.t("tasks.search")}</label>
                    <input id=crate::ids::uid("task-search") type="search" prop:value=move || search.get() on:input=move |ev| search.set(event_target_value(&ev))/>
                </div>
                <button type="button" on:click=refresh>{i18n.t("common.refresh")}</button>
                <span class="poll-status" role="status" data-phase=move || if matches!(phase.get(), PollPhase::Reconnecting { .. }) { "reconnecting" } else { "live" }>
                    {move || match phase.get() {
                        PollPhase::Reconnecting { failures, .. } => text_with(i18n.lang.get(), "poll.reconnecting", &[("attempt", &failures.to_string())]),
                        _ => String::new(),
                    }}
                </span>
            </div>
            <UpdatedStamp at_ms=updated_at stale_since=stale_since/>
            <ErrorPanel error=error/>
            <Show when=move || lists.with(Option::is_none) && error.with(Option::is_none)>
                <p class="muted">{i18n.t("common.loading")}</p>
            </Show>
            <Show when=move || lists.with(Option::is_some)>
                <h2 id=crate::ids::uid("tasks-unfinished")>{i18n.t("tasks.unfinished")}</h2>
                <TaskTable dags=unfinished labelled_by=crate::ids::uid("tasks-unfinished")/>
                <h2 id=crate::ids::uid("tasks-history")>{i18n.t("tasks.history")}</h2>
                <TaskTable dags=history labelled_by=crate::ids::uid("tasks-history")/>
            </Show>
        </section>
    }
}

/// A table of DAGs (as listed, without nodes), each linking to its view.
#[component]
pub fn TaskTable(#[prop(into)] dags: Signal<Vec<DagDetail>>, #[prop(into)] labelled_by: String) -> impl IntoView {
    let i18n = use_i18n();
    let limit = RwSignal::new(PAGE);
    let rows = move || dags.with(|d| d.iter().take(limit.get()).cloned().collect::<Vec<_>>());
    let hidden = move || dags.with(|d| d.len()).saturating_sub(limit.get());
    view! {
        <Show when=move || dags.with(|d| !d.is_empty()) fallback=move || view! { <p class="muted">{i18n.t("tasks.none")}</p> }>
            // Scrolls sideways on a narrow screen rather than squeezing columns to a letter; a
            // named region in the tab order, so the keyboard scrolls it too.
            <div class="table-scroll" tabindex="0" role="region" aria-labelledby=labelled_by.clone()>
            <table class="tasks" aria-labelledby=labelled_by.clone()>
                <thead><tr>
                    <th scope="col">{i18n.t("task.id")}</th>
                    <th scope="col">{i18n.t("task.name")}</th>
                    <th scope="col">{i18n.t("task.state")}</th>
                    <th scope="col">{i18n.t("task.progress")}</th>
                    <th scope="col">{i18n.t("task.start")}</th>
                    <th scope="col">{i18n.t("task.duration")}</th>
                    <th scope="col">{i18n.t("task.scope")}</th>
                </tr></thead>
                <tbody>
                    <For each=rows key=|d| (d.id.clone(), d.state.clone(), d.operator.clone(), d.stage, d.start_time.clone(), d.end_time.clone()) let:d>
                        <TaskRow d=d/>
                    </For>
                </tbody>
            </table>
            </div>
            <Show when=move || { hidden() > 0 }>
                <button type="button" class="link" on:click=move |_| limit.update(|l| *l += PAGE)>
                    {move || text_with(i18n.lang.get(), "tasks.show_more", &[("count", &hidden().min(PAGE).to_string()), ("hidden", &hidden().to_string())])}
                </button>
            </Show>
        </Show>
    }
}

#[component]
fn TaskRow(d: DagDetail) -> impl IntoView {
    let i18n = use_i18n();
    let state: Signal<TaskState> = Signal::stored(d.state.clone());
    let operator: Signal<TaskOperator> = Signal::stored(d.operator.clone());
    // The task view's start and duration (the DAG's own start covers only its last run);
    // running rows show "…" (the view has the live time).
    let times = dag_times(&d);
    let start = times
        .start
        .as_ref()
        .map(|t| agent_time(i18n.lang.get_untracked(), t, Precision::Seconds))
        .unwrap_or_else(|| "—".into_any());
    let duration = match (d.state.is_finished(), times.finished_ms) {
        (true, Some(ms)) => format_duration(ms),
        (true, None) => "—".into(),
        (false, _) => "…".into(),
    };
    let scope = if d.maintenance_type == maintenance::TENANT_MAINTENANCE {
        d.maintenance_key.clone()
    } else {
        String::new()
    };
    view! {
        <tr>
            <td><Link route=Route::Task(d.id.clone())>{d.id.clone()}</Link></td>
            <td class="task-name">{untrusted_as(d.name.clone(), Show::TEXT)}</td>
            <td><StateLabel state=state operator=operator/></td>
            <td>{format!("{}/{}", d.stage, d.max_stage)}</td>
            <td>{start}</td>
            <td>{duration}</td>
            <td>{move || if scope.is_empty() { i18n.t("scope.cluster")().into_any() } else { fill_values(i18n.lang.get(), "scope.tenant_short", &[("tenant", &scope)]).into_any() }}</td>
        </tr>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dag(json: &str) -> DagDetail {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn filters_and_search() {
        let a =
            dag(r#"{"id":"142","name":"Set obcluster backup config for t1","state":"RUNNING","maintenance_key":"t1"}"#);
        let b = dag(r#"{"id":"143","name":"Obcluster start full backup","state":"PAUSED"}"#);
        assert!(matches_filter(&a, "") && matches_filter(&a, "RUNNING") && !matches_filter(&a, "FAILED"));
        assert!(matches_filter(&b, "OTHER") && !matches_filter(&a, "OTHER"));
        assert!(matches_query(&a, " T1 ") && matches_query(&a, "142") && !matches_query(&b, "t1"));
        assert!(matches_query(&b, "FULL"));
    }
}
