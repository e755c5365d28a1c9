//! The DAG timeline: a time axis, one row per node in stage order with a bar from its start to
//! its end (running bars grow), and inside a parallel node one lane per agent. Many agents
//! collapse to a per-state summary (the chips filter the lanes) plus the lanes that need
//! attention first; an expander shows the rest, a page at a time.
//!
//! Updates are fine-grained: nodes and lanes are keyed, each reads its own memo, so a poll in
//! which a few sub-tasks moved only touches those rows.

use super::model::{format_duration, interesting_order, state_class, Bar, LaneModel, TimelineModel};
use super::status::{state_text, StateLabel};
use crate::components::untrusted::{untrusted_as, visible, Mode, Show};
use crate::i18n::{text_with, use_i18n};
use leptos::prelude::*;
use obshell_proto::dag::{DagDetail, TaskOperator, TaskState};
use std::collections::HashMap;

/// A parallel node's name, number of lanes and lanes per state.
type NodeCounts = (String, usize, Vec<(TaskState, usize)>);

/// Per mounted lane (node index, lane index), the signal its row reads.
type LaneSinks = StoredValue<HashMap<(usize, usize), RwSignal<Option<LaneModel>>>>;

/// Lanes shown while a node is collapsed.
pub const COLLAPSED_LANES: usize = 8;
/// Lanes added per "show more".
pub const LANE_PAGE: usize = 200;

#[component]
pub fn Timeline(
    /// The DAG (with details); `None` renders nothing.
    #[prop(into)]
    dag: Signal<Option<DagDetail>>,
    /// Server time, Unix ms: the end of running bars.
    #[prop(into)]
    now_ms: Signal<i64>,
    /// The selected sub-task id (its logs are shown); lanes set it.
    selected: RwSignal<Option<String>>,
    /// Set when the user picks a lane (the page then stops choosing for them).
    #[prop(optional)]
    on_select: Option<Callback<String>>,
    #[prop(default = COLLAPSED_LANES)] collapsed_lanes: usize,
) -> impl IntoView {
    let i18n = use_i18n();
    // Time only matters while the DAG moves; a finished DAG is laid out once.
    let active = Memo::new(move |_| dag.with(|d| d.as_ref().map(|d| !d.state.is_finished()).unwrap_or(false)));
    let now = Memo::new(move |_| if active.get() { now_ms.get() } else { 0 });
    let model = Memo::new(move |_| {
        let now = now.get();
        dag.with(|d| d.as_ref().map(|d| TimelineModel::build(d, now)))
    });
    let ticks = Memo::new(move |_| model.with(|m| m.as_ref().map(|m| m.axis.ticks.clone()).unwrap_or_default()));
    let node_keys = Memo::new(move |_| {
        model.with(|m| {
            m.as_ref()
                .map(|m| {
                    m.nodes
                        .iter()
                        .enumerate()
                        .map(|(i, n)| (i, n.id.clone()))
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    });
    // Lanes do not each watch the whole model (hundreds of memos re-running per poll): one
    // effect compares every mounted lane with its new value and notifies only those that changed.
    let sinks: LaneSinks = StoredValue::new(HashMap::new());
    Effect::new(move |_| {
        model.with(|m| {
            sinks.with_value(|map| {
                for (&(ni, li), sig) in map {
                    let new = m.as_ref().and_then(|m| m.nodes.get(ni)).and_then(|n| n.lanes.get(li));
                    if sig.with_untracked(|old| old.as_ref() != new) {
                        sig.set(new.cloned());
                    }
                }
            })
        })
    });
    let select = move |id: String| {
        selected.set(Some(id.clone()));
        if let Some(cb) = on_select {
            cb.run(id);
        }
    };
    view! {
        <section class="timeline" aria-labelledby=crate::ids::uid("timeline-title")
            style:--tl-span=move || model.with(|m| m.as_ref().map(|m| m.axis.span_ms).unwrap_or(1).max(1).to_string())
            style:--tl-now=move || model.with(|m| m.as_ref().map(|m| m.now_offset).unwrap_or(0).to_string())>
            <h2 id=crate::ids::uid("timeline-title")>{i18n.t("timeline.title")}</h2>
            <Show when=move || model.with(|m| m.as_ref().map(|m| m.nodes.is_empty()).unwrap_or(false))>
                <p class="muted">{i18n.t("timeline.no_nodes")}</p>
            </Show>
            <div class="tl-row tl-axis" aria-hidden="true">
                <div class="tl-label"></div>
                <div class="tl-track">
                    <For each=move || ticks.get() key=|t| (t.at, t.label.clone()) let:tick>
                        <span class="tl-tick" style:left=format!("{:.2}%", tick.at as f64 / 100.0)>{tick.label}</span>
                    </For>
                </div>
                <div class="tl-dur"></div>
            </div>
            <ol class="tl-nodes">
                <For each=move || node_keys.get() key=|k| k.clone() let:key>
                    <NodeRow model=model sinks=sinks index=key.0 id=key.1 selected=selected select=select collapsed_lanes=collapsed_lanes/>
                </For>
            </ol>
        </section>
    }
}

/// What a node row shows besides its lanes.
#[derive(Clone, Debug, PartialEq)]
struct NodeHead {
    name: String,
    stage: usize,
    state: TaskState,
    operator: TaskOperator,
    bar: Option<Bar>,
    duration_ms: Option<i64>,
    current: bool,
    upcoming: bool,
    parallel: bool,
    lanes: usize,
    counts: Vec<(TaskState, usize)>,
    /// The only sub-task of a normal node (selected from the node row itself).
    single_task: Option<String>,
}

#[component]
fn NodeRow(
    model: Memo<Option<TimelineModel>>,
    sinks: LaneSinks,
    index: usize,
    id: String,
    selected: RwSignal<Option<String>>,
    select: impl Fn(String) + Clone + Send + Sync + 'static,
    collapsed_lanes: usize,
) -> impl IntoView {
    let i18n = use_i18n();
    let node_id = id.clone();
    let head = Memo::new(move |_| {
        model.with(|m| {
            let n = m.as_ref()?.nodes.get(index).filter(|n| n.id == node_id)?;
            Some(NodeHead {
                name: n.name.clone(),
                stage: n.stage,
                state: n.state.clone(),
                operator: n.operator.clone(),
                bar: n.bar.clone(),
                duration_ms: n.duration_ms,
                current: n.current,
                upcoming: n.upcoming,
                parallel: n.parallel(),
                lanes: n.lanes.len(),
                counts: n.counts.clone(),
                single_task: (n.lanes.len() == 1).then(|| n.lanes[0].id.clone()),
            })
        })
    });
    let state = Memo::new(move |_| head.with(|h| h.as_ref().map(|h| h.state.clone()).unwrap_or(TaskState::Pending)));
    let operator =
        Memo::new(move |_| head.with(|h| h.as_ref().map(|h| h.operator.clone()).unwrap_or(TaskOperator::Run)));
    let h = move |f: fn(&NodeHead) -> bool| move || head.with(|h| h.as_ref().map(f).unwrap_or(false));
    let filter = RwSignal::new(None::<TaskState>);
    let limit = RwSignal::new(collapsed_lanes);
    // The chips filter only by states present now.
    let effective_filter = Memo::new(move |_| {
        filter.get().filter(|f| {
            head.with(|h| {
                h.as_ref()
                    .map(|h| h.counts.iter().any(|(s, _)| s == f))
                    .unwrap_or(false)
            })
        })
    });
    let node_id = id.clone();
    let lane_keys = Memo::new(move |_| {
        let f = effective_filter.get();
        let limit = limit.get();
        model.with(|m| {
            let Some(n) = m
                .as_ref()
                .and_then(|m| m.nodes.get(index))
                .filter(|n| n.id == node_id && n.lanes.len() > 1)
            else {
                return (Vec::new(), 0);
            };
            let order: Vec<usize> = interesting_order(&n.lanes)
                .into_iter()
                .filter(|&i| f.as_ref().map(|f| &n.lanes[i].state == f).unwrap_or(true))
                .collect();
            let total = order.len();
            (
                order
                    .into_iter()
                    .take(limit)
                    .map(|i| (i, n.lanes[i].id.clone()))
                    .collect::<Vec<_>>(),
                total,
            )
        })
    });
    let lanes_id = format!("tl-lanes-{index}");
    let row_class = move || {
        head.with(|h| match h {
            Some(h) => format!("tl-node tl-{}", state_class(&h.state)),
            None => "tl-node".into(),
        })
    };
    let bar = Memo::new(move |_| head.with(|h| h.as_ref().and_then(|h| h.bar.clone())));
    // The node's name is the agent's: inside the select button it gets no button of its own.
    let name = Memo::new(move |_| head.with(|h| h.as_ref().map(|h| h.name.clone()).unwrap_or_default()));
    let label_text = move |how: Show| move || untrusted_as(name.get(), how);
    let stage_text = move || {
        head.with(|h| {
            h.as_ref()
                .map(|h| text_with(i18n.lang.get(), "timeline.stage", &[("stage", &h.stage.to_string())]))
                .unwrap_or_default()
        })
    };
    let single = Memo::new(move |_| head.with(|h| h.as_ref().and_then(|h| h.single_task.clone())));
    let select_single = select.clone();
    let name_view = move || match single.get() {
        Some(task) => {
            let pressed_id = task.clone();
            let select = select_single.clone();
            view! {
                <button type="button" class="tl-select tl-name" aria-pressed=move || (selected.get().as_deref() == Some(pressed_id.as_str())).to_string()
                    on:click=move |_| select(task.clone())>{label_text(Show::INERT)}</button>
            }
            .into_any()
        }
        None => view! { <span class="tl-name">{label_text(Show::VALUE)}</span> }.into_any(),
    };
    // Per-state counts of a parallel node; the chips are keyed by state so that a changing count
    // does not re-create (and unfocus) them.
    let counts = Memo::new(move |_| {
        head.with(|h| {
            h.as_ref()
                .filter(|h| h.parallel)
                .map(|h| (h.name.clone(), h.lanes, h.counts.clone()))
        })
    });
    let summary_head = Memo::new(move |_| counts.with(|c| c.as_ref().map(|(name, lanes, _)| (name.clone(), *lanes))));
    let summary = move || {
        summary_head.get().map(|(name, lanes)| {
            let states = move || counts.with(|c| c.as_ref().map(|(_, _, v)| v.iter().map(|(s, _)| s.clone()).collect::<Vec<_>>()).unwrap_or_default());
            view! {
                <div class="tl-summary" role="group" aria-label=move || text_with(i18n.lang.get(), "timeline.filter_label", &[("node", &visible(&name, Mode::Value))])>
                    <span class="tl-agents">{move || text_with(i18n.lang.get(), "timeline.agents", &[("count", &lanes.to_string())])}</span>
                    <For each=states key=|s| s.clone() let:s>
                        <StateChip state=s counts=counts filter=filter effective_filter=effective_filter/>
                    </For>
                </div>
            }
        })
    };
    // Shown/total change rarely (not on every poll, unlike the lanes' order): the button is
    // re-created only then, so keyboard focus on it survives polls.
    let more_state = Memo::new(move |_| lane_keys.with(|(k, t)| (k.len(), *t)));
    let more = {
        let lanes_id = lanes_id.clone();
        move || {
            let (shown, total) = more_state.get();
            let lang = i18n.lang.get();
            if shown < total {
                let rest = total - shown;
                Some(view! {
                    <button type="button" class="tl-more" aria-expanded="false" aria-controls=lanes_id.clone()
                        on:click=move |_| limit.update(|l| *l = if *l < LANE_PAGE { LANE_PAGE.max(collapsed_lanes) } else { *l + LANE_PAGE })>
                        {text_with(lang, "timeline.show_more", &[("count", &rest.min(LANE_PAGE).to_string()), ("hidden", &rest.to_string()), ("total", &total.to_string())])}
                    </button>
                }.into_any())
            } else if total > collapsed_lanes && shown > collapsed_lanes {
                Some(view! {
                    <button type="button" class="tl-more" aria-expanded="true" aria-controls=lanes_id.clone() on:click=move |_| limit.set(collapsed_lanes)>
                        {text_with(lang, "timeline.show_fewer", &[("count", &collapsed_lanes.to_string())])}
                    </button>
                }.into_any())
            } else {
                None
            }
        }
    };
    view! {
        <li class=row_class aria-current=move || h(|h| h.current)().then_some("step")>
            <div class="tl-row tl-node-row">
                <div class="tl-label">
                    <span class="tl-stage">{stage_text}</span>
                    {name_view}
                    <StateLabel state=state operator=operator/>
                    <Show when=h(|h| h.current)><span class="tl-current-tag">{i18n.t("timeline.current")}</span></Show>
                    <Show when=h(|h| h.upcoming)><span class="tl-upcoming-tag">{i18n.t("timeline.upcoming")}</span></Show>
                </div>
                <div class="tl-track" aria-hidden="true">
                    <span class=move || format!("tl-bar tl-bar-node state-{}", state_class(&state.get()))
                        class:tl-nobar=move || bar.with(Option::is_none) class:tl-open=move || bar.with(|b| b.as_ref().map(Bar::open).unwrap_or(false))
                        style:--bs=move || bar.with(|b| b.as_ref().map(|b| b.start.to_string()).unwrap_or_default())
                        style:--be=move || bar.with(|b| b.as_ref().and_then(|b| b.end).map(|e| e.to_string()).unwrap_or_default())></span>
                </div>
                <div class="tl-dur">{move || head.with(|h| h.as_ref().and_then(|h| h.duration_ms).map(format_duration).unwrap_or_default())}</div>
            </div>
            {summary}
            <ul class="tl-lanes" id=lanes_id.clone()>
                <For each=move || lane_keys.get().0 key=|k| k.clone() let:key>
                    <LaneRow model=model sinks=sinks node_index=index lane_index=key.0 id=key.1 selected=selected select=select.clone()/>
                </For>
            </ul>
            {more}
        </li>
    }
}

#[component]
fn StateChip(
    state: TaskState,
    counts: Memo<Option<NodeCounts>>,
    filter: RwSignal<Option<TaskState>>,
    effective_filter: Memo<Option<TaskState>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let s = state.clone();
    let count = Memo::new(move |_| {
        counts.with(|c| {
            c.as_ref()
                .and_then(|(_, _, v)| v.iter().find(|(x, _)| x == &s).map(|(_, n)| *n))
                .unwrap_or(0)
        })
    });
    let (s1, s2, s3) = (state.clone(), state.clone(), state.clone());
    view! {
        <button type="button" class=format!("chip state-{}", state_class(&state))
            aria-pressed=move || (effective_filter.get().as_ref() == Some(&s1)).to_string()
            on:click=move |_| filter.update(|f| *f = if f.as_ref() == Some(&s2) { None } else { Some(s2.clone()) })>
            <span class="state-icon" aria-hidden="true">{super::model::state_icon(&state)}</span>" "
            {move || format!("{} {}", count.get(), state_text(i18n.lang.get(), &s3, None))}
        </button>
    }
}

#[component]
fn LaneRow(
    model: Memo<Option<TimelineModel>>,
    sinks: LaneSinks,
    node_index: usize,
    lane_index: usize,
    id: String,
    selected: RwSignal<Option<String>>,
    select: impl Fn(String) + Clone + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let key = (node_index, lane_index);
    let lane = RwSignal::new(model.with_untracked(|m| {
        m.as_ref()
            .and_then(|m| m.nodes.get(node_index)?.lanes.get(lane_index).cloned())
    }));
    sinks.update_value(|m| {
        m.insert(key, lane);
    });
    on_cleanup(move || {
        sinks.try_update_value(|m| {
            if m.get(&key) == Some(&lane) {
                m.remove(&key);
            }
        });
    });
    let state = Memo::new(move |_| lane.with(|l| l.as_ref().map(|l| l.state.clone()).unwrap_or(TaskState::Pending)));
    let operator =
        Memo::new(move |_| lane.with(|l| l.as_ref().map(|l| l.operator.clone()).unwrap_or(TaskOperator::Run)));
    let agent = Memo::new(move |_| lane.with(|l| l.as_ref().map(|l| l.agent.clone()).unwrap_or_default()));
    let bar = Memo::new(move |_| lane.with(|l| l.as_ref().and_then(|l| l.bar.clone())));
    let pressed_id = id.clone();
    let click_id = id.clone();
    let attempts = move || {
        lane.with(|l| {
            l.as_ref().filter(|l| l.execute_times > 1).map(|l| {
                text_with(
                    i18n.lang.get(),
                    "timeline.attempts",
                    &[("count", &l.execute_times.to_string())],
                )
            })
        })
    };
    view! {
        <li class=move || format!("tl-row tl-lane tl-{}", state_class(&state.get())) data-task=id.clone()>
            <div class="tl-label">
                <button type="button" class="tl-select" aria-pressed=move || (selected.get().as_deref() == Some(pressed_id.as_str())).to_string()
                    on:click=move |_| select(click_id.clone())>
                    <span class="tl-agent">{move || untrusted_as(agent.get(), Show::INERT)}</span>" "
                    <StateLabel state=state operator=operator/>
                </button>
                {move || attempts().map(|a| view! { <span class="tl-attempts">{a}</span> })}
            </div>
            <div class="tl-track" aria-hidden="true">
                <span class=move || format!("tl-bar state-{}", state_class(&state.get()))
                    class:tl-nobar=move || bar.with(Option::is_none) class:tl-open=move || bar.with(|b| b.as_ref().map(Bar::open).unwrap_or(false))
                    style:--bs=move || bar.with(|b| b.as_ref().map(|b| b.start.to_string()).unwrap_or_default())
                    style:--be=move || bar.with(|b| b.as_ref().and_then(|b| b.end).map(|e| e.to_string()).unwrap_or_default())></span>
            </div>
            <div class="tl-dur">{move || lane.with(|l| l.as_ref().and_then(|l| l.duration_ms).map(format_duration).unwrap_or_default())}</div>
            {move || lane.with(|l| l.as_ref().and_then(|l| l.error.clone())).map(|e| view! { <p class="tl-error">{untrusted_as(e, Show::TEXT)}</p> })}
        </li>
    }
}
