//! One task (DAG), live: header, the timeline, logs and the operations the agent would accept.

use crate::api::{AgentClient, ApiError};
use crate::components::error_panel::ErrorPanel;
use crate::i18n::use_i18n;
use crate::routes;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use obshell_proto::dag::DagDetail;

#[component]
pub fn TaskViewPage() -> impl IntoView {
    let i18n = use_i18n();
    let client = expect_context::<AgentClient>();
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").unwrap_or_default());
    let dag = RwSignal::new(None::<DagDetail>);
    let error = RwSignal::new(None::<ApiError>);
    let load = {
        let client = client.clone();
        move |id: String| {
            let client = client.clone();
            leptos::task::spawn_local(async move {
                match client.get::<DagDetail>(&routes::dag(&id)).await {
                    Ok(d) => {
                        dag.set(d);
                        error.set(None);
                    }
                    Err(e) => error.set(Some(e)),
                }
            })
        }
    };
    Effect::new(move |_| load(id.get()));
    view! {
        <section class="card wide">
            <ErrorPanel error=error/>
            {move || dag.get().map(|d| view! {
                <h1>{d.name.clone()}</h1>
                <p><span class="state">{d.state.as_str().to_string()}</span>" "{format!("{}/{}", d.stage, d.max_stage)}</p>
            })}
            <Show when=move || dag.get().is_none() && error.get().is_none()>
                <p class="muted">{i18n.t("common.loading")}</p>
            </Show>
        </section>
    }
}
