//! How a DAG's state reads: a state label (colour + icon + text), the task header, and the
//! failure banner that puts the failing `ERROR: [code]: message` line on top.

use super::model::{
    dag_times, format_duration, operator_key, outcome_key, state_class, state_icon, state_key, DagTimes,
};
use crate::components::time::agent_time;
use crate::components::untrusted::{fill_values, untrusted, untrusted_as, Show};
use crate::i18n::{text, text_with, use_i18n};
use leptos::prelude::*;
use obshell_proto::dag::{maintenance, parse_error_line, DagDetail, TaskOperator, TaskState};
use obshell_proto::time::Precision;
use obshell_proto::Lang;

/// The text of a state, with the operator's meaning when it changes it ("Cancelled",
/// "Passed", "Rolled back", "Retrying"…). Unknown values are shown verbatim.
pub fn state_text(lang: Lang, state: &TaskState, operator: Option<&TaskOperator>) -> String {
    if let Some(k) = operator.and_then(|o| outcome_key(state, o)) {
        return text(lang, k);
    }
    match state_key(state) {
        Some(k) => text(lang, k),
        None => text_with(lang, "state.unknown", &[("value", state.as_str())]),
    }
}

pub fn operator_text(lang: Lang, operator: &TaskOperator) -> String {
    match operator_key(operator) {
        Some(k) => text(lang, k),
        None => text_with(lang, "operator.unknown", &[("value", operator.as_str())]),
    }
}

/// A state as colour, icon and text. `data-state` carries the wire value.
#[component]
pub fn StateLabel(
    #[prop(into)] state: Signal<TaskState>,
    #[prop(optional, into)] operator: Option<Signal<TaskOperator>>,
    #[prop(optional, into)] id: Option<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let class = move || {
        let s = state.get();
        let outcome = operator
            .and_then(|o| outcome_key(&s, &o.get()))
            .map(|k| format!(" state-{}", k.trim_start_matches("outcome.").replace('_', "-")));
        format!("state state-{}{}", state_class(&s), outcome.unwrap_or_default())
    };
    view! {
        <span id=id class=class data-state=move || state.get().as_str().to_string() data-operator=move || operator.map(|o| o.get().as_str().to_string())>
            <span class="state-icon" aria-hidden="true">{move || state_icon(&state.get())}</span>
            <span class="state-text">{move || state_text(i18n.lang.get(), &state.get(), operator.map(|o| o.get()).as_ref())}</span>
        </span>
    }
}

/// The header's facts, kept apart from nodes so that polls which only move sub-tasks do not
/// touch it.
#[derive(Clone, Debug, PartialEq)]
struct HeaderInfo {
    id: String,
    name: String,
    state: TaskState,
    operator: TaskOperator,
    stage: i32,
    max_stage: i32,
    /// First start of anything in the DAG, and its span once finished (as the task list has them).
    times: DagTimes,
    maintenance_type: i32,
    maintenance_key: String,
    progress_permille: i64,
}

impl HeaderInfo {
    fn of(d: &DagDetail) -> HeaderInfo {
        HeaderInfo {
            id: d.id.clone(),
            name: d.name.clone(),
            state: d.state.clone(),
            operator: d.operator.clone(),
            stage: d.stage,
            max_stage: d.max_stage,
            times: dag_times(d),
            maintenance_type: d.maintenance_type,
            maintenance_key: d.maintenance_key.clone(),
            progress_permille: (d.progress() * 1000.0).round() as i64,
        }
    }
}

/// The maintenance scope; the tenant name (the agent's key) shown as an untrusted value.
fn scope_text(lang: Lang, kind: i32, key: &str) -> AnyView {
    match kind {
        maintenance::TENANT_MAINTENANCE => fill_values(lang, "scope.tenant", &[("tenant", key)]).into_any(),
        maintenance::GLOBAL_MAINTENANCE => text(lang, "scope.global").into_any(),
        maintenance::OBPROXY_MAINTENANCE => text(lang, "scope.obproxy").into_any(),
        maintenance::NOT_UNDER_MAINTENANCE | maintenance::NOT_BOOTSTRAP => text(lang, "scope.none").into_any(),
        other => fill_values(lang, "scope.other", &[("value", &other.to_string()), ("key", key)]).into_any(),
    }
}

/// Name, state, operator, stage, start, live elapsed time and maintenance scope of a DAG.
#[component]
pub fn DagHeader(#[prop(into)] dag: Signal<Option<DagDetail>>, #[prop(into)] now_ms: Signal<i64>) -> impl IntoView {
    let i18n = use_i18n();
    let info = Memo::new(move |_| dag.with(|d| d.as_ref().map(HeaderInfo::of)));
    let get = move |f: fn(&HeaderInfo) -> String| move || info.with(|i| i.as_ref().map(f).unwrap_or_default());
    let state = Memo::new(move |_| info.with(|i| i.as_ref().map(|i| i.state.clone()).unwrap_or(TaskState::Pending)));
    let operator =
        Memo::new(move |_| info.with(|i| i.as_ref().map(|i| i.operator.clone()).unwrap_or(TaskOperator::Run)));
    let elapsed = move || {
        let now = now_ms.get();
        info.with(|i| {
            i.as_ref()
                .and_then(|i| i.times.finished_ms.or_else(|| Some(now - i.times.start?.unix_millis())))
                .map(format_duration)
                .unwrap_or_else(|| "—".into())
        })
    };
    let stage = move || {
        info.with(|i| {
            i.as_ref()
                .map(|i| format!("{} / {}", i.stage, i.max_stage))
                .unwrap_or_default()
        })
    };
    let progress = move || info.with(|i| i.as_ref().map(|i| i.progress_permille).unwrap_or(0));
    let scope = move || {
        info.with(|i| {
            i.as_ref()
                .map(|i| scope_text(i18n.lang.get(), i.maintenance_type, &i.maintenance_key))
        })
    };
    // Announced to screen readers when it changes (not the ticking elapsed time).
    let announcement = move || {
        let lang = i18n.lang.get();
        info.with(|i| {
            i.as_ref()
                .map(|i| {
                    text_with(
                        lang,
                        "dag.announce",
                        &[
                            ("state", &state_text(lang, &i.state, Some(&i.operator))),
                            ("stage", &i.stage.to_string()),
                            ("max", &i.max_stage.to_string()),
                        ],
                    )
                })
                .unwrap_or_default()
        })
    };
    view! {
        <header class="dag-header">
            // The DAG's name carries the tenant's: shown as untrusted text.
            <h1 class="dag-name">{move || untrusted_as(get(|i| i.name.clone())(), Show::TEXT)}</h1>
            <dl class="dag-facts">
                <div><dt>{i18n.t("dag.id")}</dt><dd><code class="dag-id">{get(|i| i.id.clone())}</code></dd></div>
                <div><dt>{i18n.t("dag.state")}</dt><dd><StateLabel id=crate::ids::uid("dag-state").to_string() state=state operator=operator/></dd></div>
                <div><dt>{i18n.t("dag.operator")}</dt><dd class="dag-operator" data-operator=move || operator.get().as_str().to_string()>{move || operator_text(i18n.lang.get(), &operator.get())}</dd></div>
                <div><dt>{i18n.t("dag.stage")}</dt><dd class="dag-stage">
                    <span>{stage}</span>" "
                    <progress max="1000" value=progress aria-label=i18n.t("dag.progress")>{move || format!("{}%", progress() / 10)}</progress>
                </dd></div>
                <div><dt>{i18n.t("dag.started")}</dt><dd class="dag-start">{move || {
                    let lang = i18n.lang.get();
                    info.with(|i| i.as_ref().and_then(|i| i.times.start.as_ref()).map(|t| agent_time(lang, t, Precision::Seconds)).unwrap_or_else(|| "—".into_any()))
                }}</dd></div>
                <div><dt>{i18n.t("dag.elapsed")}</dt><dd class="dag-elapsed">{elapsed}</dd></div>
                <div><dt>{i18n.t("dag.scope")}</dt><dd class="dag-scope">{scope}</dd></div>
            </dl>
            <p class="visually-hidden" aria-live="polite" aria-atomic="true">{announcement}</p>
        </header>
    }
}

/// The failure of a FAILED DAG, on top, without any click: the node, the agent and the
/// `ERROR: [code]: message` line of the first failed sub-task.
#[derive(Clone, Debug, PartialEq)]
struct FailureInfo {
    node: String,
    stage: usize,
    task_id: String,
    agent: String,
    line: String,
    others: usize,
    cancelled: bool,
    /// No longer failed: it failed earlier, then was retried, rolled back or passed (the
    /// operator says which).
    earlier: Option<TaskOperator>,
}

#[component]
pub fn FailureBanner(
    #[prop(into)] dag: Signal<Option<DagDetail>>,
    #[prop(optional)] on_show_log: Option<Callback<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let info = Memo::new(move |_| {
        dag.with(|d| {
            let d = d.as_ref()?;
            let (f, earlier) = match d.failure_line() {
                Some(f) => (f, None),
                None => (d.earlier_failure()?, Some(d.operator.clone())),
            };
            let stage = d
                .nodes()
                .iter()
                .position(|n| std::ptr::eq(n, f.node))
                .map(|i| i + 1)
                .unwrap_or(0);
            let failed_tasks = d
                .nodes()
                .iter()
                .flat_map(|n| n.sub_tasks.as_deref().unwrap_or(&[]))
                .filter(|t| t.state == TaskState::Failed)
                .count();
            Some(FailureInfo {
                node: f.node.name.clone(),
                stage,
                task_id: f.task.id.clone(),
                agent: f.task.execute_agent.to_string(),
                line: f.line.to_string(),
                others: failed_tasks.saturating_sub(1),
                cancelled: d.operator == TaskOperator::Cancel,
                earlier,
            })
        })
    });
    move || {
        info.get().map(|f| {
            let lang = i18n.lang.get();
            let key = match &f.earlier {
                Some(TaskOperator::Rollback) => "failure.title_then_rolled_back",
                Some(TaskOperator::Pass) => "failure.title_then_passed",
                Some(_) => "failure.title_then_retried",
                None if f.cancelled => "failure.title_cancelled",
                None => "failure.title",
            };
            let title = fill_values(
                lang,
                key,
                &[("stage", &f.stage.to_string()), ("node", &f.node), ("agent", &f.agent)],
            );
            let body = match parse_error_line(&f.line) {
                Some((code, msg)) => view! {
                    <p class="failure-body">
                        <code class="failure-code">{untrusted(code.to_string())}</code>" "
                        <span class="failure-message">{untrusted_as(msg.to_string(), Show::TEXT)}</span>
                    </p>
                }
                .into_any(),
                None => view! { <p class="failure-body"><span class="failure-message">{untrusted_as(f.line.clone(), Show::TEXT)}</span></p> }.into_any(),
            };
            let others = (f.others > 0).then(|| view! { <p class="hint">{text_with(lang, "failure.others", &[("count", &f.others.to_string())])}</p> });
            let task_id = f.task_id.clone();
            view! {
                <div class=if f.earlier.is_some() { "failure-banner earlier" } else { "failure-banner" } id=crate::ids::uid("failure")
                    role=if f.earlier.is_some() { "note" } else { "alert" }>
                    <h2 class="failure-title"><span class="state-icon" aria-hidden="true">"✕"</span>" "{title}</h2>
                    {body}
                    {others}
                    {on_show_log.map(|cb| view! {
                        <button type="button" class="link" on:click=move |_| cb.run(task_id.clone())>{i18n.t("failure.show_log")}</button>
                    })}
                </div>
            }
        })
    }
}
