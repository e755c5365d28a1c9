//! After a submit whose answer never arrived (the connection broke, a proxy answered instead of
//! the agent), whether the agent started the task anyway: the task lists are read for a task of
//! that name started since the submit. The console never sends it again by itself; this says
//! whether the user should.

use crate::api::{AgentClient, ApiError};
use crate::components::untrusted::{visible, Mode};
use crate::i18n::{text, text_with, use_i18n};
use crate::nav::{Link, Route};
use crate::routes;
use leptos::prelude::*;
use obshell_proto::dag::DagDetail;
use obshell_proto::envelope::Contents;
use obshell_proto::time::known;

/// Whether a failed submit may have reached the agent.
pub fn outcome_unknown(e: &ApiError) -> bool {
    matches!(e, ApiError::Network { .. } | ApiError::BadResponse { .. })
}

/// How far the console's estimate of the agent's clock may be ahead of it: the estimate is the
/// middle of the `/time` round trip, then only moved forward by answers' timestamps (which are
/// taken before the answer arrives), so it errs by at most half that round trip. The agent
/// writes start times to the microsecond (`TIMESTAMP(6)`); no rounding to allow for. A wider
/// margin would count a task the user started a moment earlier (Set, then at once Update) as a
/// second start of this one.
const CLOCK_MARGIN_MS: f64 = 250.0;

/// Tasks named `name` that started at or after `since_ms` (agent clock, Unix ms, less
/// [`CLOCK_MARGIN_MS`]) and not after the lists were read, newest first.
pub async fn started_since(client: &AgentClient, name: &str, since_ms: f64) -> Result<Vec<DagDetail>, ApiError> {
    let (unfinished, history) = futures::join!(
        client.get::<Contents<DagDetail>>(routes::unfinished_dags()),
        client.get::<Contents<DagDetail>>(routes::dag_history()),
    );
    let until_ms = client.server_now_ms();
    let mut all: Vec<DagDetail> = unfinished?
        .into_iter()
        .chain(history?)
        .flat_map(|c| c.contents)
        .filter(|d| d.name == name)
        // Not later than the lists were read either: a start time ahead of that is from a
        // clock that has been moved back since (it cannot be this submit's).
        .filter(|d| {
            known(&d.start_time).is_some_and(|t| {
                let t = t.unix_millis() as f64;
                t >= since_ms - CLOCK_MARGIN_MS && t <= until_ms + CLOCK_MARGIN_MS
            })
        })
        .collect();
    all.sort_by_key(|d| std::cmp::Reverse(d.dag_id));
    all.dedup_by(|a, b| a.id == b.id);
    Ok(all)
}

/// After a submit the agent accepted: every task of that name started since it was sent, when
/// that is more than the one answered. A browser may send a request again by itself when a
/// reused connection breaks before the answer (Chromium does), and someone else may have sent
/// the same; the page cannot prevent either, so it says so instead of showing one of them.
pub async fn others_started(
    client: &AgentClient,
    name: &str,
    since_ms: f64,
    answered: &DagDetail,
) -> Option<Vec<DagDetail>> {
    let mut tasks = started_since(client, name, since_ms).await.ok()?;
    if !tasks.iter().any(|d| d.id == answered.id) {
        tasks.insert(0, answered.clone());
    }
    (tasks.len() > 1).then_some(tasks)
}

/// What the task lists say about a submit whose outcome is unknown (`error`), or about an
/// accepted one that started more than one task (`several`).
#[component]
pub fn SubmitOutcome(
    /// The submit's error (checked when it leaves the outcome open).
    #[prop(into)]
    error: Signal<Option<ApiError>>,
    /// The task the submit would have started.
    #[prop(into)]
    name: Signal<String>,
    /// When it was sent (agent clock, Unix ms).
    #[prop(into)]
    since_ms: Signal<f64>,
    /// The tasks an accepted submit turned out to start (more than one), from [`others_started`].
    #[prop(into)]
    several: Signal<Vec<DagDetail>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let client = expect_context::<AgentClient>();
    let found = LocalResource::new(move || {
        let client = client.clone();
        let ask = error.with(|e| e.as_ref().is_some_and(outcome_unknown));
        let (name, since) = (name.get(), since_ms.get());
        async move {
            if !ask {
                return None;
            }
            Some(started_since(&client, &name, since).await)
        }
    });
    move || {
        let lang = i18n.lang.get();
        let several = several.get();
        if !several.is_empty() {
            return Some(task_links(lang, "outcome.several", several));
        }
        found.get().flatten().map(|r| match r {
            Ok(tasks) if tasks.is_empty() => view! {
                <p class="outcome" role="status">{text(lang, "outcome.none")}</p>
            }
            .into_any(),
            Ok(tasks) if tasks.len() > 1 => task_links(lang, "outcome.several", tasks),
            Ok(tasks) => task_links(lang, "outcome.started", tasks),
            Err(_) => view! { <p class="outcome" role="status">{text(lang, "outcome.unknown")}</p> }.into_any(),
        })
    }
}

/// A sentence and a link to each task.
fn task_links(lang: obshell_proto::Lang, key: &'static str, tasks: Vec<DagDetail>) -> AnyView {
    let links = tasks
        .into_iter()
        .map(|d| {
            let label = text_with(lang, "history.task_link", &[("id", &visible(&d.id, Mode::Value))]);
            view! { <li><Link route=Route::Task(d.id.clone())>{label}</Link></li> }
        })
        .collect_view();
    view! {
        <div class="outcome" role="status">
            <p>{text(lang, key)}</p>
            <ul>{links}</ul>
        </div>
    }
    .into_any()
}
