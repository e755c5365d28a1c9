//! Sub-task logs: a virtual list (only the visible window of lines is in the DOM, so 100,000
//! lines scroll like 100) that follows new lines while the user is at the bottom, and the panel
//! that shows the selected sub-task's lines.
//!
//! Lines come from `GET /task/sub_task/{id}/logs` when the page fetched them (with times and
//! attempts), completed by the DAG's own `task_logs` for lines newer than the last fetch.

use super::model::state_class;
use super::status::{state_text, StateLabel};
use crate::api::ApiError;
use crate::components::error_panel::ErrorPanel;
use crate::components::time::in_browser_zone;
use crate::components::untrusted::{fill_values, untrusted_as, visible, Mode, Show};
use crate::i18n::{text_with, use_i18n};
use leptos::html;
use leptos::prelude::*;
use obshell_proto::dag::{DagDetail, SubTaskLog, TaskOperator, TaskState};
use obshell_proto::time::{known, Precision, Timestamp};
use obshell_proto::Lang;
use std::sync::Arc;

/// Row height in CSS pixels; `.log-line` in `style/main.css` has the same fixed height.
pub const ROW_PX: f64 = 20.0;
/// Lines rendered above and below the visible ones.
const OVERSCAN: usize = 30;
/// Never more visible rows than this, even if the viewport cannot be measured (no stylesheet).
const MAX_VISIBLE: usize = 120;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogLine {
    pub text: String,
    /// When the agent wrote it, when known.
    pub time: Option<Timestamp>,
    /// Execution number (`execute_times`) the line belongs to; 0 when unknown.
    pub attempt: i32,
}

impl LogLine {
    pub fn is_error(&self) -> bool {
        self.text.starts_with("ERROR: ")
    }
}

pub type Lines = Arc<Vec<LogLine>>;

pub fn lines_from_task_logs(logs: &[String]) -> Vec<LogLine> {
    logs.iter()
        .map(|l| LogLine {
            text: l.clone(),
            time: None,
            attempt: 0,
        })
        .collect()
}

pub fn lines_from_sub_task_logs(logs: &[SubTaskLog]) -> Vec<LogLine> {
    logs.iter()
        .map(|l| LogLine {
            text: l.log_content.clone(),
            time: known(&l.create_time),
            attempt: l.execute_times,
        })
        .collect()
}

/// Logs fetched for one sub-task.
#[derive(Clone, Debug, PartialEq)]
pub struct FetchedLogs {
    pub task_id: String,
    pub lines: Lines,
}

/// A log line's time in the browser's zone: `19:00:01.012`, or in full (`full`)
/// `2026-05-10 19:00:01.012 -07:00`; and its title, the full time with the agent's own.
pub fn log_time(lang: Lang, t: &Timestamp, full: bool) -> (String, String) {
    let local = in_browser_zone(t);
    let shown = if full {
        local.wall(Precision::Millis)
    } else {
        local.time_of_day_millis()
    };
    let agent = text_with(lang, "time.agent", &[("time", &t.wall(Precision::Millis))]);
    (shown, format!("{} · {agent}", local.wall(Precision::Millis)))
}

/// A scrollable, virtualized list of log lines.
#[component]
pub fn LogView(
    #[prop(into)] lines: Signal<Lines>,
    /// Keep the view at the newest line; cleared when the user scrolls up, set again at the bottom.
    follow: RwSignal<bool>,
    #[prop(into)] label: Signal<String>,
    /// Times with their date and zone, rather than the time of day.
    #[prop(optional, into)]
    full_times: Signal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    let scroller = NodeRef::<html::Div>::new();
    let scroll_top = RwSignal::new(0.0f64);
    let viewport = RwSignal::new(400.0f64);
    let total = Memo::new(move |_| lines.with(|l| l.len()));
    let window = Memo::new(move |_| {
        let n = total.get();
        let first = (scroll_top.get() / ROW_PX).floor().max(0.0) as usize;
        let visible = ((viewport.get() / ROW_PX).ceil() as usize + 1).min(MAX_VISIBLE);
        let start = first.saturating_sub(OVERSCAN).min(n);
        let end = (first + visible + OVERSCAN).min(n);
        (start, end)
    });
    let measure = move || {
        if let Some(el) = scroller.get_untracked() {
            let top = el.scroll_top() as f64;
            let h = el.client_height() as f64;
            if h > 0.0 && (viewport.get_untracked() - h).abs() > 0.5 {
                viewport.set(h);
            }
            if (scroll_top.get_untracked() - top).abs() > 0.5 {
                scroll_top.set(top);
            }
            let at_bottom = top + h >= el.scroll_height() as f64 - ROW_PX;
            if follow.get_untracked() != at_bottom {
                follow.set(at_bottom);
            }
        }
    };
    // Follow: after new lines are laid out, jump to the bottom.
    Effect::new(move |_| {
        let _ = total.get();
        if follow.get() {
            if let Some(el) = scroller.get_untracked() {
                el.set_scroll_top(el.scroll_height());
                let top = el.scroll_top() as f64;
                if (scroll_top.get_untracked() - top).abs() > 0.5 {
                    scroll_top.set(top);
                }
                let h = el.client_height() as f64;
                if h > 0.0 && (viewport.get_untracked() - h).abs() > 0.5 {
                    viewport.set(h);
                }
            }
        }
    });
    let rows = move || {
        let (start, end) = window.get();
        (start..end).collect::<Vec<_>>()
    };
    view! {
        <div class="log-view" node_ref=scroller tabindex="0" role="region" aria-label=move || label.get() on:scroll=move |_| measure()>
            <div class="log-spacer" style:height=move || format!("{}px", total.get() as f64 * ROW_PX)>
                <ol class="log-window" start=move || (window.get().0 + 1).to_string()
                    style:transform=move || format!("translateY({}px)", window.get().0 as f64 * ROW_PX)>
                    <For each=rows key=|i| *i let:i>
                        <li class="log-line" class:log-error=move || lines.with(|l| l.get(i).map(LogLine::is_error).unwrap_or(false))>
                            <span class="log-no" aria-hidden="true">{i + 1}</span>
                            {move || {
                                let lang = i18n.lang.get();
                                lines.with(|l| l.get(i).and_then(|x| x.time)).map(|t| {
                                    let (shown, title) = log_time(lang, &t, full_times.get());
                                    view! { <time class="log-time" datetime=t.to_rfc3339_nano() title=title>{shown}</time> }
                                })
                            }}
                            // The agent's line as it wrote it: tabs kept, hidden characters visible,
                            // never shortened (the view scrolls sideways).
                            <span class="log-text" title=move || lines.with(|l| l.get(i).map(|x| visible(&x.text, Mode::Line)).unwrap_or_default())>
                                {move || lines.with(|l| l.get(i).map(|x| untrusted_as(x.text.clone(), Show { mode: Mode::Line, inert: false, limit: 0 })))}
                            </span>
                        </li>
                    </For>
                </ol>
            </div>
            <Show when=move || total.get() == 0>
                <p class="muted log-empty">{i18n.t("logs.empty")}</p>
            </Show>
        </div>
    }
}

/// What the panel knows of the selected sub-task.
#[derive(Clone, Debug, PartialEq)]
pub struct SelectedTask {
    pub id: String,
    pub node: String,
    pub stage: usize,
    pub agent: String,
    pub state: TaskState,
    pub operator: TaskOperator,
    pub execute_times: i32,
    /// Lines in the DAG's `task_logs` (a change means new lines).
    pub log_len: usize,
}

impl SelectedTask {
    pub fn find(d: &DagDetail, id: &str) -> Option<SelectedTask> {
        d.nodes().iter().enumerate().find_map(|(i, n)| {
            n.sub_tasks
                .as_deref()?
                .iter()
                .find(|t| t.id == id)
                .map(|t| SelectedTask {
                    id: t.id.clone(),
                    node: n.name.clone(),
                    stage: i + 1,
                    agent: t.execute_agent.to_string(),
                    state: t.state.clone(),
                    operator: t.operator.clone(),
                    execute_times: t.execute_times,
                    log_len: t.task_logs.as_ref().map(Vec::len).unwrap_or(0),
                })
        })
    }
}

/// The selected sub-task's logs.
#[component]
pub fn LogPanel(
    #[prop(into)] dag: Signal<Option<DagDetail>>,
    #[prop(into)] selected: Signal<Option<String>>,
    /// Lines fetched from the logs endpoint (for whichever sub-task they were fetched).
    #[prop(optional, into)]
    fetched: Signal<Option<FetchedLogs>>,
    #[prop(optional, into)] error: Signal<Option<ApiError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let info = Memo::new(move |_| {
        let id = selected.get()?;
        dag.with(|d| d.as_ref().and_then(|d| SelectedTask::find(d, &id)))
    });
    // Rebuilt only when the selection or its line count changes, not on every poll.
    let embedded = Memo::new(move |_| {
        let key = info.with(|i| i.as_ref().map(|i| (i.id.clone(), i.log_len)));
        let Some((id, _)) = key else { return Lines::default() };
        untrack(|| {
            dag.with(|d| {
                let logs = d.as_ref().and_then(|d| {
                    d.nodes()
                        .iter()
                        .flat_map(|n| n.sub_tasks.as_deref().unwrap_or(&[]))
                        .find(|t| t.id == id)?
                        .task_logs
                        .clone()
                });
                Arc::new(lines_from_task_logs(logs.as_deref().unwrap_or(&[])))
            })
        })
    });
    let lines = Memo::new(move |_| {
        let id = info.with(|i| i.as_ref().map(|i| i.id.clone()));
        let emb = embedded.get();
        fetched.with(|f| match f {
            Some(f) if Some(&f.task_id) == id.as_ref() => {
                if f.lines.len() >= emb.len() {
                    f.lines.clone()
                } else {
                    let mut v = (*f.lines).clone();
                    v.extend(emb[f.lines.len()..].iter().cloned());
                    Arc::new(v)
                }
            }
            _ => emb,
        })
    });
    let follow = RwSignal::new(true);
    let full_times = RwSignal::new(false);
    // A new selection starts at its newest line.
    Effect::new(move |prev: Option<Option<String>>| {
        let id = info.with(|i| i.as_ref().map(|i| i.id.clone()));
        if prev.is_some() && prev.as_ref() != Some(&id) {
            follow.set(true);
        }
        id
    });
    let state = Memo::new(move |_| info.with(|i| i.as_ref().map(|i| i.state.clone()).unwrap_or(TaskState::Pending)));
    let operator =
        Memo::new(move |_| info.with(|i| i.as_ref().map(|i| i.operator.clone()).unwrap_or(TaskOperator::Run)));
    // Re-rendered when what it names changes, not with every state change.
    let named = Memo::new(move |_| info.with(|i| i.as_ref().map(|i| (i.node.clone(), i.stage, i.agent.clone()))));
    let title = move || {
        let lang = i18n.lang.get();
        named.with(|i| match i {
            Some(i) => fill_values(
                lang,
                "logs.title_for",
                &[("node", &i.0), ("stage", &i.1.to_string()), ("agent", &i.2)],
            ),
            None => vec![text_with(lang, "logs.title", &[]).into_any()],
        })
    };
    let label = Signal::derive(move || {
        let lang = i18n.lang.get();
        info.with(|i| {
            i.as_ref()
                .map(|i| {
                    // An attribute: plain text, hidden characters visible.
                    text_with(
                        lang,
                        "logs.region",
                        &[
                            ("node", &visible(&i.node, Mode::Value)),
                            ("agent", &visible(&i.agent, Mode::Value)),
                            ("state", &state_text(lang, &i.state, None)),
                        ],
                    )
                })
                .unwrap_or_default()
        })
    });
    let count = move || {
        text_with(
            i18n.lang.get(),
            "logs.count",
            &[("count", &lines.with(|l| l.len()).to_string())],
        )
    };
    view! {
        <section class="log-panel" aria-labelledby=crate::ids::uid("logs-title")>
            <h2 id=crate::ids::uid("logs-title")>{title}</h2>
            <Show when=move || info.with(Option::is_some) fallback=move || view! { <p class="muted">{i18n.t("logs.pick")}</p> }>
                <div class="log-toolbar">
                    <StateLabel state=state operator=operator/>
                    <span class=move || format!("log-count state-{}", state_class(&state.get()))>{count}</span>
                    <button type="button" class="log-follow" aria-pressed=move || follow.get().to_string() on:click=move |_| follow.update(|f| *f = !*f)>
                        {i18n.t("logs.follow")}
                    </button>
                    <button type="button" class="log-full" aria-pressed=move || full_times.get().to_string() on:click=move |_| full_times.update(|f| *f = !*f)>
                        {i18n.t("logs.full_times")}
                    </button>
                </div>
                <ErrorPanel error=error/>
                <LogView lines=lines follow=follow label=label full_times=full_times/>
            </Show>
        </section>
    }
}
