//! Task list: unfinished cluster tasks and history, filterable by state and searchable.

use crate::api::{AgentClient, ApiError};
use crate::components::error_panel::ErrorPanel;
use crate::i18n::use_i18n;
use crate::routes;
use leptos::prelude::*;
use leptos_router::components::A;
use obshell_proto::dag::DagDetail;
use obshell_proto::envelope::Contents;

#[component]
pub fn TaskListPage() -> impl IntoView {
    let i18n = use_i18n();
    let client = expect_context::<AgentClient>();
    let filter = RwSignal::new(String::new());
    let search = RwSignal::new(String::new());
    let list = LocalResource::new(move || {
        let client = client.clone();
        async move {
            let unfinished = client.get::<Contents<DagDetail>>(routes::UNFINISHED_DAGS).await?.map(|c| c.contents).unwrap_or_default();
            let mut history = client.get::<Contents<DagDetail>>(routes::DAG_HISTORY).await?.map(|c| c.contents).unwrap_or_default();
            history.sort_by(|a, b| b.dag_id.cmp(&a.dag_id));
            Ok::<_, ApiError>((unfinished, history))
        }
    });
    let visible = move |dags: Vec<DagDetail>| {
        let f = filter.get();
        let q = search.get().to_lowercase();
        dags.into_iter()
            .filter(|d| f.is_empty() || d.state.as_str() == f)
            .filter(|d| q.is_empty() || d.name.to_lowercase().contains(&q) || d.id.contains(&q) || d.maintenance_key.to_lowercase().contains(&q))
            .collect::<Vec<_>>()
    };
    let table = move |dags: Vec<DagDetail>| {
        view! {
            <table class="tasks">
                <thead><tr>
                    <th scope="col">{i18n.t("task.id")}</th>
                    <th scope="col">{i18n.t("task.name")}</th>
                    <th scope="col">{i18n.t("task.state")}</th>
                    <th scope="col">{i18n.t("task.progress")}</th>
                    <th scope="col">{i18n.t("task.start")}</th>
                </tr></thead>
                <tbody>
                    {dags.into_iter().map(|d| {
                        let href = format!("/tasks/{}", obshell_proto::request_uri::encode_component(&d.id));
                        let state = d.state.as_str().to_string();
                        view! {
                            <tr>
                                <td><A href=href>{d.id.clone()}</A></td>
                                <td>{d.name.clone()}</td>
                                <td><span class=format!("state state-{}", state.to_lowercase())>{state.clone()}</span></td>
                                <td>{format!("{}/{}", d.stage, d.max_stage)}</td>
                                <td>{obshell_proto::time::known(&d.start_time).map(|t| t.to_rfc3339_nano()).unwrap_or_else(|| "—".into())}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        }
    };
    view! {
        <section class="card wide" aria-labelledby="tasks-title">
            <h1 id="tasks-title">{i18n.t("tasks.title")}</h1>
            <div class="filters">
                <div class="field">
                    <label for="task-state-filter">{i18n.t("tasks.filter_state")}</label>
                    <select id="task-state-filter" on:change=move |ev| filter.set(event_target_value(&ev))>
                        <option value="">{i18n.t("tasks.all_states")}</option>
                        {["PENDING", "READY", "RUNNING", "FAILED", "SUCCEED"].into_iter().map(|s| view! { <option value=s>{s}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="task-search">{i18n.t("tasks.search")}</label>
                    <input id="task-search" type="search" prop:value=move || search.get() on:input=move |ev| search.set(event_target_value(&ev))/>
                </div>
                <button type="button" on:click=move |_| list.refetch()>{i18n.t("common.refresh")}</button>
            </div>
            <Suspense fallback=move || view! { <p class="muted">{i18n.t("common.loading")}</p> }>
                {move || list.get().map(|r| match r {
                    Err(e) => view! { <ErrorPanel error=Signal::derive(move || Some(e.clone()))/> }.into_any(),
                    Ok((unfinished, history)) => view! {
                        <h2>{i18n.t("tasks.unfinished")}</h2>
                        {table(visible(unfinished))}
                        <h2>{i18n.t("tasks.history")}</h2>
                        {table(visible(history))}
                    }.into_any(),
                })}
            </Suspense>
        </section>
    }
}
