//! A small badge with the number of running and failed cluster tasks, visible from every page.
//! It refreshes periodically while the page is visible, at once after a task operation
//! ([`notify_tasks_changed`]), and stops when unmounted.

use crate::api::AgentClient;
use crate::i18n::{text_with, use_i18n};
use crate::poll::{spawn_poller, Fetch, Outcome, PollHandle, PollPolicy};
use crate::routes;
use leptos::prelude::*;
use obshell_proto::dag::{DagDetail, TaskState};
use obshell_proto::envelope::Contents;
use std::cell::RefCell;
use std::rc::Rc;

/// How often the badge refreshes (the dashboard uses 50 s; task pages poll on their own).
const REFRESH_MS: f64 = 15_000.0;

thread_local! {
    static LISTENERS: RefCell<Vec<PollHandle>> = const { RefCell::new(Vec::new()) };
}

/// Something changed tasks (an operation was sent, a task was created): badges refresh now.
pub fn notify_tasks_changed() {
    LISTENERS.with(|l| {
        let mut l = l.borrow_mut();
        l.retain(|h| !h.is_stopped());
        for h in l.iter() {
            h.refresh();
        }
    });
}

/// `(running, failed)` among unfinished cluster DAGs.
pub fn count_tasks(dags: &[DagDetail]) -> (usize, usize) {
    let running = dags.iter().filter(|d| d.state.is_active()).count();
    let failed = dags.iter().filter(|d| d.state == TaskState::Failed).count();
    (running, failed)
}

#[component]
pub fn TaskIndicator() -> impl IntoView {
    let i18n = use_i18n();
    let client = expect_context::<AgentClient>();
    let counts = RwSignal::new((0usize, 0usize));
    let signed_in = client.signed_in;
    let fetch: Fetch<Option<(usize, usize)>> = Rc::new(move || {
        let client = client.clone();
        Box::pin(async move {
            if !signed_in.get_untracked() {
                return Ok(None);
            }
            let list = client.get::<Contents<DagDetail>>(routes::unfinished_dags()).await?;
            Ok(Some(count_tasks(list.map(|l| l.contents).as_deref().unwrap_or(&[]))))
        })
    });
    let handle = spawn_poller(PollPolicy::every(REFRESH_MS), fetch, move |r| match r {
        Ok(Some(c)) => {
            counts.set(c);
            Outcome::Active
        }
        Ok(None) => Outcome::Active,
        // A badge never gives up; it just tries again later.
        Err(_) => Outcome::Retryable,
    });
    LISTENERS.with(|l| l.borrow_mut().push(handle.clone()));
    // Refresh as soon as the user signs in.
    Effect::new(move |prev: Option<bool>| {
        let now = signed_in.get();
        if prev == Some(false) && now {
            handle.refresh();
        }
        now
    });
    move || {
        let (running, failed) = counts.get();
        let lang = i18n.lang.get();
        let label = text_with(
            lang,
            "tasks.indicator",
            &[("running", &running.to_string()), ("failed", &failed.to_string())],
        );
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
    crate::poll::document_hidden()
}
