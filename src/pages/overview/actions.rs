//! Operations from the overview, each behind a dialog that says what it will do: back up now
//! (cluster or one tenant: full or incremental, optional backup password, plus archive log),
//! cancel a running data backup, and archive-log control (start, stop, suspend). A request is
//! sent once (the button is disabled while it is on its way, and nothing is retried); a backup
//! lands on the live view of its task.

use crate::api::{AgentClient, ApiError, HttpMethod};
use crate::components::error_panel::ErrorPanel;
use crate::components::form::secret::SecretField;
use crate::components::modal::Modal;
use crate::components::submit_outcome::{others_started, SubmitOutcome};
use crate::components::untrusted::{fill_values, untrusted, untrusted_as, Show};
use crate::context::use_host_events;
use crate::i18n::{text, text_with, use_i18n};
use crate::ids::uid;
use crate::nav::{use_nav, Route};
use crate::routes::{self, ApiTarget};
use leptos::prelude::*;
use obshell_proto::backup_ops::{
    cancel_backup_body, encryption_password_mangled, incremental_refused, ArchiveAction, BackupJobs, BackupMode,
    BackupParam,
};
use obshell_proto::crypto::Secret;

/// What an operation is for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    Cluster,
    Tenant(String),
}

impl Target {
    fn label(&self, lang: obshell_proto::Lang) -> String {
        match self {
            Target::Cluster => text(lang, "overview.all_tenants"),
            Target::Tenant(t) => t.clone(),
        }
    }
}

/// An operation the user asked for (confirmed in its dialog).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Operation {
    BackUp(Target),
    Cancel(Target),
    Archive(Target, ArchiveAction),
}

impl Operation {
    fn target(&self) -> &Target {
        match self {
            Operation::BackUp(t) | Operation::Cancel(t) | Operation::Archive(t, _) => t,
        }
    }

    fn request_target(&self) -> ApiTarget {
        match (self, self.target()) {
            (Operation::BackUp(_) | Operation::Cancel(_), Target::Cluster) => routes::CLUSTER_BACKUP.into(),
            (Operation::BackUp(_) | Operation::Cancel(_), Target::Tenant(t)) => routes::tenant_backup(t),
            (Operation::Archive(..), Target::Cluster) => routes::CLUSTER_BACKUP_LOG.into(),
            (Operation::Archive(..), Target::Tenant(t)) => routes::tenant_backup_log(t),
        }
    }
}

#[component]
pub fn OperationDialog(operation: Operation, on_close: Callback<()>, on_done: Callback<()>) -> impl IntoView {
    match operation {
        Operation::BackUp(target) => view! { <BackUpDialog target=target on_close=on_close/> }.into_any(),
        other => view! { <ConfirmDialog operation=other on_close=on_close on_done=on_done/> }.into_any(),
    }
}

/// Cancel a backup, or start/stop/suspend archiving: what it means, then one PATCH.
#[component]
fn ConfirmDialog(operation: Operation, on_close: Callback<()>, on_done: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let client = expect_context::<AgentClient>();
    let error = RwSignal::new(None::<ApiError>);
    let (title_key, effect_key, button_key, body) = match &operation {
        Operation::Cancel(_) => (
            "op.cancel_backup_title",
            "op.cancel_backup_effect",
            "op.cancel_backup",
            cancel_backup_body(),
        ),
        Operation::Archive(_, ArchiveAction::Stop) => (
            "op.archive_stop_title",
            "op.archive_stop_effect",
            "op.archive_stop",
            ArchiveAction::Stop.body(),
        ),
        Operation::Archive(_, ArchiveAction::Suspend) => (
            "op.archive_suspend_title",
            "op.archive_suspend_effect",
            "op.archive_suspend",
            ArchiveAction::Suspend.body(),
        ),
        Operation::Archive(_, ArchiveAction::Start) => (
            "op.archive_start_title",
            "op.archive_start_effect",
            "op.archive_start",
            ArchiveAction::Start.body(),
        ),
        Operation::BackUp(_) => unreachable!("backups have their own dialog"),
    };
    let target = operation.target().clone();
    let request = operation.request_target();
    let endpoint = format!("PATCH {request}");
    let send = Action::new_local(move |body: &serde_json::Value| {
        let client = client.clone();
        let request = request.clone();
        let body = body.clone();
        async move {
            match client
                .request::<serde_json::Value>(HttpMethod::Patch, &request, Some(body))
                .await
            {
                Ok(_) => {
                    on_done.try_run(());
                }
                Err(e) => {
                    error.try_set(Some(e));
                }
            }
        }
    });
    let on_cancel = Callback::new(move |()| {
        if !send.pending().get_untracked() {
            on_close.run(());
        }
    });
    let who = move || target.label(i18n.lang.get());
    let who2 = who.clone();
    view! {
        <Modal labelled_by=uid("op-title") described_by=uid("op-effect") initial_focus=uid("op-back") on_cancel=on_cancel class="operation">
            <h2 id=uid("op-title")>{move || fill_values(i18n.lang.get(), title_key, &[("tenant", &who())])}</h2>
            <p id=uid("op-effect")>{move || fill_values(i18n.lang.get(), effect_key, &[("tenant", &who2())])}</p>
            <p><code>{untrusted(endpoint)}</code></p>
            <ErrorPanel error=error context=crate::api::ErrorContext::Submit/>
            <div class="actions">
                <button type="button" class="primary danger" disabled=move || send.pending().get()
                    on:click=move |_| { if !send.pending().get_untracked() { error.set(None); send.dispatch(body.clone()); } }>
                    {move || if send.pending().get() { i18n.now("review.submitting") } else { i18n.now(button_key) }}
                </button>
                <button type="button" id=uid("op-back") disabled=move || send.pending().get() on:click=move |_| on_close.run(())>
                    {i18n.t("common.back")}
                </button>
            </div>
        </Modal>
    }
}

/// Back up now: mode, backup password, plus archive log; what the task will do; one POST, then
/// the live view of its task.
#[component]
fn BackUpDialog(target: Target, on_close: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let client = expect_context::<AgentClient>();
    let nav = use_nav();
    let events = use_host_events();
    let mode = RwSignal::new(BackupMode::Full);
    let password = RwSignal::new(String::new());
    let plus_archive = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let sent_at = RwSignal::new(0.0f64);
    let several = RwSignal::new(Vec::<obshell_proto::dag::DagDetail>::new());
    let task_name = {
        let target = target.clone();
        Signal::derive(move || {
            use obshell_proto::dag::names;
            let base = match mode.get() {
                BackupMode::Full => names::START_FULL_BACKUP,
                BackupMode::Incremental => names::START_INCREMENTAL_BACKUP,
            };
            match &target {
                Target::Cluster => base.to_string(),
                Target::Tenant(t) => format!("{base} for {t}"),
            }
        })
    };
    // Whether the tenant has a completed backup to be incremental to (cluster: not checked).
    let has_completed = {
        let client = client.clone();
        let target = target.clone();
        LocalResource::new(move || {
            let client = client.clone();
            let target = target.clone();
            async move {
                match target {
                    Target::Cluster => None,
                    Target::Tenant(t) => {
                        let jobs = client
                            .get::<BackupJobs>(
                                routes::tenant_backup_jobs(&t)
                                    .query("status", "COMPLETED")
                                    .query("size", "1"),
                            )
                            .await;
                        jobs.ok().flatten().map(|j| !j.contents.is_empty())
                    }
                }
            }
        })
    };
    let mode_error = Signal::derive(move || {
        let completed = has_completed.get().flatten();
        (completed.is_some_and(|c| incremental_refused(mode.get(), c))).then(|| i18n.now("backup_now.no_full"))
    });
    let password_error = Signal::derive(move || {
        password
            .with(|p| encryption_password_mangled(p))
            .then(|| i18n.now("backup_now.password_backslash"))
    });
    let request = routes_for(&target);
    let endpoint = format!("POST {request}");
    let send = Action::new_local(move |param: &BackupParam| {
        let client = client.clone();
        let request = request.clone();
        let events = events.clone();
        let body = param.to_json();
        let name = task_name.get_untracked();
        async move {
            let since = client.server_now_ms();
            sent_at.try_set(since);
            several.try_set(Vec::new());
            match client.start_task(HttpMethod::Post, &request, body).await {
                Ok(dag) => {
                    password.try_set(String::new());
                    events.task_submitted(&dag);
                    match others_started(&client, &name, since, &dag).await {
                        Some(tasks) => {
                            several.try_set(tasks);
                        }
                        None => nav.go(Route::Task(dag.id.clone())),
                    }
                }
                Err(e) => {
                    error.try_set(Some(e));
                }
            }
        }
    });
    let on_cancel = Callback::new(move |()| {
        if !send.pending().get_untracked() {
            on_close.run(());
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if send.pending().get_untracked()
            || mode_error.get_untracked().is_some()
            || password_error.get_untracked().is_some()
        {
            return;
        }
        error.set(None);
        send.dispatch(BackupParam {
            mode: mode.get_untracked(),
            encryption: Secret::new(password.get_untracked()),
            plus_archive: plus_archive.get_untracked(),
        });
    };
    // The body as sent, the password masked (its presence shown).
    let shown_body = move || {
        let mut v = BackupParam {
            mode: mode.get(),
            encryption: Secret::default(),
            plus_archive: plus_archive.get(),
        }
        .to_json();
        if !password.with(String::is_empty) {
            v["encryption"] = crate::form::review::MASK.into();
        }
        serde_json::to_string_pretty(&v).unwrap_or_default()
    };
    let who = {
        let target = target.clone();
        move || target.label(i18n.lang.get())
    };
    let who2 = who.clone();
    let mode_radio = move |m: BackupMode, key: &'static str| {
        view! {
            <label class="radio">
                <input type="radio" name=uid("backup-mode") checked=move || mode.get() == m on:change=move |_| mode.set(m)/>
                {i18n.t(key)}
            </label>
        }
    };
    let steps = move || {
        let lang = i18n.lang.get();
        let kind = match mode.get() {
            BackupMode::Full => text(lang, "overview.full"),
            BackupMode::Incremental => text(lang, "overview.incremental"),
        };
        [
            vec![text(lang, "backup_now.step_check").into_any()],
            fill_values(lang, "backup_now.step_archive", &[("tenant", &who2())]),
            vec![text_with(lang, "backup_now.step_backup", &[("kind", &kind)]).into_any()],
            vec![text(lang, "backup_now.step_wait").into_any()],
        ]
        .into_iter()
        .map(|s| view! { <li>{s}</li> })
        .collect_view()
    };
    view! {
        <Modal labelled_by=uid("backup-now-title") initial_focus=uid("backup-mode-fieldset") on_cancel=on_cancel class="operation">
            <form on:submit=submit novalidate>
                <h2 id=uid("backup-now-title")>{move || fill_values(i18n.lang.get(), "backup_now.title", &[("tenant", &who())])}</h2>
                <fieldset id=uid("backup-mode-fieldset") tabindex="-1" aria-describedby=uid("backup-mode-msg")>
                    <legend>{i18n.t("backup_now.mode")}</legend>
                    {mode_radio(BackupMode::Full, "backup_now.full")}
                    {mode_radio(BackupMode::Incremental, "backup_now.incremental")}
                    <p class="hint">{i18n.t("backup_now.incremental_hint")}</p>
                    <p id=uid("backup-mode-msg") class="field-msg" aria-live="polite">
                        {move || mode_error.get().map(|e| view! { <span class="error">{e}</span> })}
                    </p>
                </fieldset>
                <SecretField id=uid("backup-password") label=i18n.t("backup_now.password") value=password
                    autocomplete="new-password" hint=i18n.t("backup_now.password_hint")
                    error=Signal::derive(move || password_error.get())/>
                <label class="checkbox">
                    <input type="checkbox" id=uid("backup-plus-archive") prop:checked=move || plus_archive.get()
                        on:change=move |ev| plus_archive.set(event_target_checked(&ev))/>
                    {i18n.t("backup_now.plus_archive")}
                </label>
                <p class="hint">{i18n.t("backup_now.plus_archive_hint")}</p>
                <h3>{i18n.t("backup_now.steps")}</h3>
                <ol class="steps">{steps}</ol>
                <p><code>{untrusted(endpoint)}</code></p>
                <pre class="json" tabindex="0" aria-label=i18n.t("review.body")>{move || untrusted_as(shown_body(), Show::TEXT)}</pre>
                <ErrorPanel error=error context=crate::api::ErrorContext::Submit/>
                <SubmitOutcome error=error name=task_name since_ms=sent_at several=several/>
                <div class="actions">
                    <button type="submit" class="primary" disabled=move || send.pending().get()>
                        {move || if send.pending().get() { i18n.now("review.submitting") } else { i18n.now("backup_now.submit") }}
                    </button>
                    <button type="button" disabled=move || send.pending().get() on:click=move |_| on_close.run(())>{i18n.t("common.back")}</button>
                </div>
            </form>
        </Modal>
    }
}

fn routes_for(target: &Target) -> ApiTarget {
    match target {
        Target::Cluster => routes::CLUSTER_BACKUP.into(),
        Target::Tenant(t) => routes::tenant_backup(t),
    }
}
