//! The page after sign-in: are the tenants protected right now? A cluster summary, then one row
//! per user tenant (archive status with checkpoint and delay, the last data backup, a running
//! backup's progress, the destinations) with the operations the agent would act on now.
//!
//! One refresh costs the tenant list and the cluster overview (every tenant's last backup), then
//! the archive round and info of the tenants on screen only (a page of [`PAGE_SIZE`]). It
//! refreshes every few seconds while the page is visible, never while hidden; when the agent
//! cannot be reached the last good data stays, marked stale.
//!
//! - [`model`]: what a tenant's answers mean (pure);
//! - [`actions`]: back up now, cancel a backup, archive-log control (dialogs and requests).

mod actions;
pub mod model;

use crate::api::{AgentClient, ApiError};
use crate::components::dag::model::format_duration;
use crate::components::error_panel::ErrorPanel;
use crate::components::time::{agent_time, agent_time_of, relative_text, ticking, UpdatedStamp};
use crate::components::untrusted::{fill, untrusted};
use crate::i18n::{text, text_with, use_i18n};
use crate::ids::uid;
use crate::nav::{Link, Route};
use crate::poll::{spawn_poller, Fetch, Outcome, PollPhase, PollPolicy};
use crate::routes;
use actions::{Operation, OperationDialog, Target};
use futures::StreamExt;
use leptos::prelude::*;
use model::{duration_ms, Protection, TenantStatus};
use obshell_proto::backup_ops::{
    ArchiveAction, ArchiveLogTask, ArchiveState, BackupTask, ClusterBackupOverview, JobState, TenantBackupInfo,
};
use obshell_proto::envelope::{BackupDestInfo, Contents, TenantOverview, TenantParameter};
use obshell_proto::errors::codes;
use obshell_proto::Lang;
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

/// Tenants per page: details are read for these only.
pub const PAGE_SIZE: usize = 10;
/// How often the overview refreshes while visible.
const REFRESH_MS: f64 = 5000.0;
/// Requests for the tenants on screen, at once.
const PARALLEL: usize = 4;

/// What changes only with a configuration: destinations and `archive_lag_target`, with when they
/// were read. A configured tenant's are read again after [`SLOW_MAX_AGE_MS`]; an unconfigured
/// tenant's on every refresh (a configuration task may be about to finish).
/// Shared with the refresh futures, which may still be on their way when the page is left: a
/// plain `Rc` (not a `StoredValue`, which is disposed with the page and would panic there).
type SlowCache = Rc<RefCell<HashMap<String, Slow>>>;

#[derive(Clone)]
struct Slow {
    dests: Option<BackupDestInfo>,
    lag_target: Option<String>,
    at_ms: f64,
}

impl Slow {
    fn fresh(&self, now_ms: f64) -> bool {
        let configured = self
            .dests
            .as_ref()
            .is_some_and(|d| !d.data_base_uri.is_empty() && !d.archive_base_uri.is_empty());
        configured && now_ms - self.at_ms < SLOW_MAX_AGE_MS
    }
}

const SLOW_MAX_AGE_MS: f64 = 60_000.0;

/// One refresh's answers.
#[derive(Clone, Debug, Default, PartialEq)]
struct Snapshot {
    tenants: Vec<TenantStatus>,
    /// All user tenants (the page shows a slice).
    total: usize,
    /// When it was taken (browser clock, ms).
    at_ms: f64,
}

#[component]
pub fn OverviewPage() -> impl IntoView {
    let i18n = use_i18n();
    let client = expect_context::<AgentClient>();
    let page = RwSignal::new(0usize);
    let snapshot = RwSignal::new(None::<Snapshot>);
    let error = RwSignal::new(None::<ApiError>);
    let stale_since = RwSignal::new(None::<f64>);
    // Destinations and lag targets change only with a configuration: read once per tenant.
    let slow: SlowCache = Rc::default();
    let operation = RwSignal::new(None::<Operation>);

    let fetch: Fetch<Snapshot> = {
        let client = client.clone();
        Rc::new(move || {
            let client = client.clone();
            let first = page.get_untracked() * PAGE_SIZE;
            let slow = slow.clone();
            Box::pin(async move { load(&client, first, slow).await })
        })
    };
    let poll = spawn_poller(PollPolicy::every(REFRESH_MS), fetch, move |r| match r {
        Ok(s) => {
            error.set(None);
            stale_since.set(None);
            snapshot.set(Some(s));
            Outcome::Active
        }
        Err(e) => {
            if stale_since.get_untracked().is_none() && snapshot.with_untracked(Option::is_some) {
                stale_since.set(snapshot.with_untracked(|s| s.as_ref().map(|s| s.at_ms)));
            }
            let o = Outcome::of_error(&e);
            error.set(Some(e));
            o
        }
    });
    let phase = poll.phase;
    let poll = StoredValue::new(poll);
    Effect::new(move |prev: Option<usize>| {
        let p = page.get();
        if prev.is_some_and(|q| q != p) {
            poll.with_value(|p| p.refresh());
        }
        p
    });
    // The agent's clock, for how long ago a backup ended.
    let agent_now = {
        let client = client.clone();
        ticking(std::time::Duration::from_secs(5), move || client.server_now_ms())
    };
    let on_done = Callback::new(move |()| {
        operation.set(None);
        poll.with_value(|p| p.after_operation());
    });

    let rows = move || {
        let lang = i18n.lang.get();
        snapshot.with(|s| {
            s.as_ref().map(|s| {
                s.tenants
                    .iter()
                    .map(|t| tenant_row(lang, t.clone(), operation, agent_now))
                    .collect_view()
            })
        })
    };
    let pages = move || snapshot.with(|s| s.as_ref().map(|s| s.total.div_ceil(PAGE_SIZE)).unwrap_or(0));
    let summary = move || {
        let lang = i18n.lang.get();
        snapshot.with(|s| s.as_ref().map(|s| cluster_summary(lang, s, operation)))
    };
    let reconnecting = move || matches!(phase.get(), PollPhase::Reconnecting { .. });

    view! {
        <section class="card wide overview" aria-labelledby=uid("overview-title")>
            <div class="overview-head">
                <h1 id=uid("overview-title")>{i18n.t("overview.title")}</h1>
                <UpdatedStamp at_ms=Signal::derive(move || snapshot.with(|s| s.as_ref().map(|s| s.at_ms)))
                    stale_since=stale_since on_refresh=Callback::new(move |()| poll.with_value(|p| p.refresh()))/>
            </div>
            <Show when=reconnecting>
                <p class="warning" role="alert">{i18n.t("overview.unreachable")}</p>
            </Show>
            <ErrorPanel error=error/>
            {summary}
            <Show when=move || snapshot.with(|s| s.as_ref().is_some_and(|s| s.total == 0))>
                <p class="warning">{i18n.t("backup.no_tenants")}</p>
            </Show>
            <Show when=move || snapshot.with(Option::is_none) && error.with(Option::is_none)>
                <p class="muted" role="status">{i18n.t("common.loading")}</p>
            </Show>
            <div class="table-scroll" tabindex="0" role="region" aria-labelledby=uid("overview-tenants")>
                <table class="overview-tenants">
                    <caption id=uid("overview-tenants")>{i18n.t("overview.tenants")}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{i18n.t("backup.tenant")}</th>
                            <th scope="col">{i18n.t("overview.protection")}</th>
                            <th scope="col">{i18n.t("overview.archive")}</th>
                            <th scope="col">{i18n.t("overview.last_backup")}</th>
                            <th scope="col">{i18n.t("overview.destinations")}</th>
                            <th scope="col">{i18n.t("overview.actions")}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            <Show when=move || { pages() > 1 }>
                <nav class="pager" aria-label=i18n.t("overview.pages")>
                    <button type="button" disabled=move || page.get() == 0 on:click=move |_| page.update(|p| *p = p.saturating_sub(1))>
                        {i18n.t("overview.previous")}
                    </button>
                    <span>{move || text_with(i18n.lang.get(), "overview.page_of", &[("page", &(page.get() + 1).to_string()), ("pages", &pages().to_string())])}</span>
                    <button type="button" disabled=move || page.get() + 1 >= pages() on:click=move |_| page.update(|p| *p += 1)>
                        {i18n.t("overview.next")}
                    </button>
                </nav>
            </Show>
        </section>
        {move || operation.get().map(|op| view! { <OperationDialog operation=op on_close=Callback::new(move |()| operation.set(None)) on_done=on_done/> })}
    }
}

/// One refresh: the tenant list and every tenant's last backup (two requests), then the archive
/// round and info of the tenants on the page (and, once, their destinations and lag target).
async fn load(client: &AgentClient, first: usize, slow: SlowCache) -> Result<Snapshot, ApiError> {
    let (tenants, overview) = futures::join!(
        client.get::<Contents<TenantOverview>>(routes::TENANTS_OVERVIEW),
        client.get::<ClusterBackupOverview>(routes::CLUSTER_BACKUP_OVERVIEW),
    );
    let tenants: Vec<TenantOverview> = tenants?
        .map(|c| c.contents)
        .unwrap_or_default()
        .into_iter()
        .filter(|t| t.tenant_name != "sys")
        .collect();
    let last: Vec<BackupTask> = match overview {
        Ok(o) => o.map(|o| o.statuses).unwrap_or_default(),
        // No tenant has a backup yet: a normal state, not an error.
        Err(e) if e.is(&codes::COMMON_NOT_FOUND) || e.is(&codes::TASK_NOT_FOUND_WITH_REASON) => Vec::new(),
        Err(e) => return Err(e),
    };
    let total = tenants.len();
    let shown: Vec<TenantOverview> = tenants.into_iter().skip(first).take(PAGE_SIZE).collect();
    let statuses = futures::stream::iter(shown)
        .map(|t| {
            let last = last.iter().find(|b| b.tenant_id == t.tenant_id).cloned();
            let slow = slow.clone();
            async move { tenant_details(client, t, last, slow).await }
        })
        .buffered(PARALLEL)
        .collect::<Vec<_>>()
        .await;
    Ok(Snapshot {
        tenants: statuses.into_iter().collect::<Result<_, _>>()?,
        total,
        at_ms: js_sys::Date::now(),
    })
}

async fn tenant_details(
    client: &AgentClient,
    tenant: TenantOverview,
    last: Option<BackupTask>,
    slow: SlowCache,
) -> Result<TenantStatus, ApiError> {
    let name = tenant.tenant_name.clone();
    let (rounds, info) = futures::join!(
        client.get::<Contents<ArchiveLogTask>>(routes::tenant_archive_rounds(&name)),
        client.get::<TenantBackupInfo>(routes::tenant_backup_info(&name)),
    );
    let round = rounds?.and_then(|c| c.contents.into_iter().max_by_key(|r| r.round_id));
    let info = info?;
    let now = js_sys::Date::now();
    let known = slow.borrow().get(&name).filter(|s| s.fresh(now)).cloned();
    let Slow { dests, lag_target, .. } = match known {
        Some(k) => k,
        None => {
            let (dests, lag) = futures::join!(
                client.get::<BackupDestInfo>(routes::tenant_backup_storage(&name)),
                client.get::<TenantParameter>(routes::tenant_parameter(&name, "archive_lag_target")),
            );
            let k = Slow {
                dests: dests?,
                lag_target: lag.ok().flatten().map(|p| p.value),
                at_ms: now,
            };
            slow.borrow_mut().insert(name.clone(), k.clone());
            k
        }
    };
    Ok(TenantStatus {
        tenant,
        last,
        round,
        info,
        dests,
        lag_target,
    })
}

fn cluster_summary(lang: Lang, s: &Snapshot, operation: RwSignal<Option<Operation>>) -> impl IntoView {
    let count = |p: Protection| s.tenants.iter().filter(|t| t.protection() == p).count();
    let running = s.tenants.iter().filter(|t| t.backup_running()).count();
    let shown = s.tenants.len();
    let line = text_with(
        lang,
        "overview.summary",
        &[
            ("total", &s.total.to_string()),
            ("protected", &count(Protection::Protected).to_string()),
            ("at_risk", &count(Protection::AtRisk).to_string()),
            ("unprotected", &count(Protection::Unprotected).to_string()),
            ("shown", &shown.to_string()),
        ],
    );
    let any_configured = s.tenants.iter().any(TenantStatus::configured);
    view! {
        <div class="cluster-summary">
            <p>{line}</p>
            {(running > 0).then(|| view! { <p class="running-note">{text_with(lang, "overview.running", &[("n", &running.to_string())])}</p> })}
            <div class="actions">
                <button type="button" class="primary" disabled=!any_configured
                    on:click=move |_| operation.set(Some(Operation::BackUp(Target::Cluster)))>
                    {text(lang, "overview.backup_cluster")}
                </button>
                {(running > 0).then(|| view! {
                    <button type="button" on:click=move |_| operation.set(Some(Operation::Cancel(Target::Cluster)))>
                        {text(lang, "overview.cancel_cluster")}
                    </button>
                })}
            </div>
        </div>
    }
}

fn tenant_row(
    lang: Lang,
    t: TenantStatus,
    operation: RwSignal<Option<Operation>>,
    now: RwSignal<f64>,
) -> impl IntoView {
    let name = t.tenant.tenant_name.clone();
    let protection = t.protection();
    let (p_class, p_icon, p_key) = match protection {
        Protection::Protected => ("ok", "✓", "overview.protected"),
        Protection::AtRisk => ("warn", "!", "overview.at_risk"),
        Protection::Unprotected => ("bad", "✕", "overview.unprotected"),
    };
    let archive = archive_cell(lang, &t);
    let last = last_backup_cell(lang, &t, now);
    let dests = t.dests.as_ref().map(|d| {
        let show = |u: &str| {
            if u.is_empty() {
                "—".to_string()
            } else {
                obshell_proto::storage::redact(u)
            }
        };
        view! {
            <dl class="dests">
                <dt>{text(lang, "overview.data_dest")}</dt><dd>{untrusted(show(&d.data_base_uri))}</dd>
                <dt>{text(lang, "overview.archive_dest")}</dt><dd>{untrusted(show(&d.archive_base_uri))}</dd>
            </dl>
        }
    });
    let target = Target::Tenant(name.clone());
    let backup = {
        let target = target.clone();
        let configured = t.configured();
        view! {
            <button type="button" disabled=!configured on:click=move |_| operation.set(Some(Operation::BackUp(target.clone())))>
                {text(lang, "overview.backup_now")}
            </button>
        }
    };
    let cancel = t.backup_running().then(|| {
        let target = target.clone();
        view! { <button type="button" on:click=move |_| operation.set(Some(Operation::Cancel(target.clone())))>{text(lang, "overview.cancel")}</button> }
    });
    let archive_ops = t
        .archive_actions()
        .into_iter()
        .map(|a| {
            let target = target.clone();
            let key = match (a, t.archive_state()) {
                (ArchiveAction::Start, ArchiveState::Suspended) => "overview.archive_resume",
                (ArchiveAction::Start, _) => "overview.archive_start",
                (ArchiveAction::Stop, _) => "overview.archive_stop",
                (ArchiveAction::Suspend, _) => "overview.archive_suspend",
            };
            view! { <button type="button" on:click=move |_| operation.set(Some(Operation::Archive(target.clone(), a)))>{text(lang, key)}</button> }
        })
        .collect_view();
    view! {
        <tr data-tenant=name.clone()>
            <th scope="row">{untrusted(name.clone())}</th>
            <td><span class=format!("verdict verdict-{p_class}")><span aria-hidden="true">{p_icon}</span>" "{text(lang, p_key)}</span></td>
            <td>{archive}</td>
            <td>{last}</td>
            <td>{dests}</td>
            <td class="row-actions">
                {backup}
                {cancel}
                {archive_ops}
                <Link route=Route::History(name.clone())>{text(lang, "overview.history")}</Link>
            </td>
        </tr>
    }
}

fn archive_cell(lang: Lang, t: &TenantStatus) -> impl IntoView {
    let status = t.archive_status().to_string();
    let (class, icon) = match t.archive_state() {
        ArchiveState::Archiving if t.late() => ("warn", "!"),
        ArchiveState::Archiving => ("ok", "✓"),
        ArchiveState::Starting => ("info", "…"),
        ArchiveState::Suspended => ("warn", "‖"),
        ArchiveState::Stopped => ("bad", "■"),
        ArchiveState::Interrupted => ("bad", "✕"),
    };
    let label = if status.is_empty() {
        text(lang, "overview.archive_never")
    } else {
        status.clone()
    };
    let label = untrusted(label);
    let checkpoint = t
        .round
        .as_ref()
        .map(|r| r.checkpoint.clone())
        .or_else(|| t.info.as_ref().and_then(|i| i.lastest_archive_log_checkpoint.clone()))
        .map(|c| fill(lang, "overview.checkpoint", &mut |_| Some(agent_time_of(lang, &c))));
    let delay = t.delay_secs().map(|d| {
        let s = text_with(
            lang,
            "overview.delay",
            &[("delay", &format_duration((d * 1000.0) as i64))],
        );
        if t.late() {
            let target = obshell_proto::duration::GoDuration(t.lag_target().0).to_string();
            format!("{s} {}", text_with(lang, "overview.late", &[("target", &target)]))
        } else {
            s
        }
    });
    view! {
        <span class=format!("status status-{class}") data-status=status><span aria-hidden="true">{icon}</span>" "{label}</span>
        {checkpoint.map(|c| view! { <span class="sub">{c}</span> })}
        {delay.map(|d| view! { <span class=if t.late() { "sub late" } else { "sub" }>{d}</span> })}
    }
}

fn last_backup_cell(lang: Lang, t: &TenantStatus, now: RwSignal<f64>) -> AnyView {
    let Some(b) = &t.last else {
        return view! { <span class="status status-none">{text(lang, "overview.no_backup")}</span> }.into_any();
    };
    let state = JobState::of(&b.status);
    let (class, icon) = match state {
        JobState::Completed => ("ok", "✓"),
        JobState::Running | JobState::Canceling => ("info", "…"),
        JobState::Canceled => ("warn", "⊘"),
        JobState::Failed => ("bad", "✕"),
    };
    let kind = if b.path.contains("_inc") {
        text(lang, "overview.incremental")
    } else {
        text(lang, "overview.full")
    };
    // When, in the browser's zone, and how long ago by the agent's clock.
    let (key, at) = if state.is_finished() {
        ("overview.finished", &b.end_timestamp)
    } else {
        ("overview.started", &b.start_timestamp)
    };
    let took = duration_ms(&b.start_timestamp, &b.end_timestamp)
        .map(format_duration)
        .unwrap_or_else(|| "—".into());
    let at = obshell_proto::time::known(at);
    let when = fill(lang, key, &mut |name| match name {
        "end" | "start" => Some(match &at {
            Some(t) => {
                let ms = t.unix_millis();
                let ago = move || format!(" ({})", relative_text(lang, now.get() as i64 - ms));
                view! { {agent_time(lang, t, obshell_proto::time::Precision::Seconds)}<span class="ago">{ago}</span> }
                    .into_any()
            }
            None => "—".into_any(),
        }),
        "took" => Some(took.clone().into_any()),
        _ => None,
    });
    let progress = (!state.is_finished()).then(|| b.progress()).flatten().map(|p| {
        let pct = (p * 100.0).round() as u32;
        view! {
            <progress max="100" value=pct.to_string() aria-label=text(lang, "overview.progress")>{format!("{pct}%")}</progress>
            <span class="sub">{format!("{pct} %")}</span>
        }
    });
    view! {
        <span class=format!("status status-{class}") data-status=b.status.clone()><span aria-hidden="true">{icon}</span>" "{untrusted(b.status.clone())}</span>
        <span class="sub">{format!("{kind} · #{}", b.backup_set_id)}</span>
        <span class="sub">{when}</span>
        {progress}
        {(b.result != 0 && !b.comment.is_empty()).then(|| view! { <span class="sub error">{untrusted(b.comment.clone())}</span> })}
    }
    .into_any()
}
