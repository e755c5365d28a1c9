//! A small badge with the number of running and failed cluster tasks, visible from every page.

use crate::api::AgentClient;
use crate::i18n::{text_with, use_i18n};
use crate::routes;
use leptos::prelude::*;
use obshell_proto::dag::{DagDetail, TaskState};
use obshell_proto::envelope::Contents;

/// How often the badge refreshes (the dashboard uses 50 s; tasks pages poll on their own).
const REFRESH_MS: u32 = 15_000;

#[component]
pub fn TaskIndicator() -> impl IntoView {
    let i18n = use_i18n();
    let client = expect_context::<AgentClient>();
    let counts = RwSignal::new((0usize, 0usize));
    let signed_in = client.signed_in;
    leptos::task::spawn_local(async move {
        loop {
            if signed_in.get_untracked() && !document_hidden() {
                if let Ok(Some(list)) = client.get::<Contents<DagDetail>>(routes::UNFINISHED_DAGS).await {
                    let running = list.contents.iter().filter(|d| d.state.is_active()).count();
                    let failed = list.contents.iter().filter(|d| d.state == TaskState::Failed).count();
                    counts.set((running, failed));
                }
            }
            gloo_timers::future::TimeoutFuture::new(REFRESH_MS).await;
        }
    });
    move || {
        let (running, failed) = counts.get();
        let lang = i18n.lang.get();
        let label = text_with(lang, "tasks.indicator", &[("running", &running.to_string()), ("failed", &failed.to_string())]);
        (running + failed > 0).then(|| {
            view! {
                <span class="badge" class:badge-failed={failed > 0} aria-label=label.clone() title=label>
                    {running + failed}
                </span>
            }
        })
    }
}

pub fn document_hidden() -> bool {
    web_sys::window().and_then(|w| w.document()).map(|d| d.hidden()).unwrap_or(false)
}
