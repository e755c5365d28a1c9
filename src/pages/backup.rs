//! Backup configuration, cluster or tenant scope: *Set* (POST) or *Update* (PATCH), every field
//! the agent accepts, the agent's validation as the user types, a review of the exact body, then
//! one submission and the task view of the DAG it started.

use crate::api::{AgentClient, ApiError, HttpMethod};
use crate::components::duration_field::DurationField;
use crate::components::error_panel::ErrorPanel;
use crate::components::fields::{SelectField, TextField};
use crate::components::review_dialog::ReviewDialog;
use crate::components::storage_editor::StorageEditor;
use crate::embed::HostEvents;
use crate::form::{FormValues, InputProblem};
use crate::i18n::{text, use_i18n};
use crate::nav::{use_nav, Route};
use crate::routes;
use leptos::prelude::*;
use obshell_proto::backup::{self, Field, Method, Scope};
use obshell_proto::dag::DagDetail;
use obshell_proto::envelope::{BackupDestInfo, Contents, TenantOverview, TenantParameter};
use obshell_proto::{AgentError, Lang};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// The form's values as signals, one per field.
#[derive(Clone, Copy, PartialEq)]
pub struct FormSignals {
    pub backup_base_uri: RwSignal<String>,
    pub data_base_uri: RwSignal<String>,
    pub archive_base_uri: RwSignal<String>,
    pub log_archive_concurrency: RwSignal<String>,
    pub binding: RwSignal<String>,
    pub ha_low_thread_score: RwSignal<String>,
    pub piece_switch_interval: RwSignal<String>,
    pub archive_lag_target: RwSignal<String>,
    pub delete_policy: RwSignal<bool>,
    pub recovery_window: RwSignal<String>,
    pub method: RwSignal<Method>,
    /// What the form started from (the agent's current values): the PATCH baseline.
    pub baseline: RwSignal<FormValues>,
    /// Set once the user tried to submit: from then on "required" errors show too.
    pub submitted: RwSignal<bool>,
}

impl FormSignals {
    fn new() -> Self {
        FormSignals {
            backup_base_uri: RwSignal::new(String::new()),
            data_base_uri: RwSignal::new(String::new()),
            archive_base_uri: RwSignal::new(String::new()),
            log_archive_concurrency: RwSignal::new(String::new()),
            binding: RwSignal::new(String::new()),
            ha_low_thread_score: RwSignal::new(String::new()),
            piece_switch_interval: RwSignal::new(String::new()),
            archive_lag_target: RwSignal::new(String::new()),
            delete_policy: RwSignal::new(false),
            recovery_window: RwSignal::new(String::new()),
            method: RwSignal::new(Method::Set),
            baseline: RwSignal::new(FormValues::default()),
            submitted: RwSignal::new(false),
        }
    }

    pub fn values(&self) -> FormValues {
        FormValues {
            backup_base_uri: self.backup_base_uri.get(),
            data_base_uri: self.data_base_uri.get(),
            archive_base_uri: self.archive_base_uri.get(),
            log_archive_concurrency: self.log_archive_concurrency.get(),
            binding: self.binding.get(),
            ha_low_thread_score: self.ha_low_thread_score.get(),
            piece_switch_interval: self.piece_switch_interval.get(),
            archive_lag_target: self.archive_lag_target.get(),
            delete_policy: self.delete_policy.get(),
            recovery_window: self.recovery_window.get(),
        }
    }

    /// Fills the form from the agent's current values, field by field, without overwriting what
    /// the user already typed.
    fn fill_untouched(&self, v: &FormValues) {
        let fill = |s: RwSignal<String>, new: &str| {
            if s.get_untracked().is_empty() {
                s.set(new.to_string());
            }
        };
        fill(self.data_base_uri, &v.data_base_uri);
        fill(self.archive_base_uri, &v.archive_base_uri);
        fill(self.log_archive_concurrency, &v.log_archive_concurrency);
        fill(self.ha_low_thread_score, &v.ha_low_thread_score);
        fill(self.archive_lag_target, &v.archive_lag_target);
        self.baseline.set(v.clone());
    }
}

/// Form drafts per scope/tenant, kept in memory for the whole session: navigating away, a
/// failed request or a new sign-in never loses what was typed. Never persisted (secrets).
///
/// The signals belong to the app's reactive owner, not to the page that first shows them, so
/// they outlive the page (a page's own signals are disposed when it unmounts).
#[derive(Clone)]
pub struct FormDrafts {
    map: Arc<Mutex<HashMap<String, FormSignals>>>,
    owner: Owner,
}

impl FormDrafts {
    /// Drafts owned by the current reactive owner (call it in the app shell).
    pub fn new() -> Self {
        FormDrafts {
            map: Arc::default(),
            owner: Owner::current().unwrap_or_default(),
        }
    }

    /// Forgets every draft (sign-out). Pages shown later start from empty forms.
    pub fn clear(&self) {
        self.map.lock().unwrap_or_else(|p| p.into_inner()).clear();
    }

    fn get(&self, key: &str) -> FormSignals {
        let mut m = self.map.lock().unwrap_or_else(|p| p.into_inner());
        *m.entry(key.to_string())
            .or_insert_with(|| self.owner.with(FormSignals::new))
    }
}

impl Default for FormDrafts {
    fn default() -> Self {
        Self::new()
    }
}

/// The app-level drafts (provided by the app shell; a page on its own gets a private store).
fn drafts() -> FormDrafts {
    use_context::<FormDrafts>().unwrap_or_default()
}

/// Per-field messages: agent-rule errors (in the UI language) and input problems.
type Messages = HashMap<Field, String>;

fn messages(
    lang: Lang,
    errs: &[(Field, AgentError)],
    problems: &[(Field, InputProblem)],
    show_required: bool,
) -> Messages {
    let mut m = Messages::new();
    for (f, p) in problems {
        m.entry(*f).or_insert_with(|| match p {
            InputProblem::NotAnInteger => text(lang, "form.not_integer"),
        });
    }
    for (f, e) in errs {
        let required = matches!(
            e.err_code(),
            "OB.Backup.BaseUriEmpty" | "OB.Backup.DataBaseUriEmpty" | "OB.Backup.ArchiveBaseUriEmpty"
        );
        if required && !show_required {
            continue;
        }
        m.entry(*f).or_insert_with(|| e.message(lang));
    }
    m
}

#[component]
pub fn BackupPage(scope: Scope, #[prop(optional, into)] tenant: Signal<String>) -> impl IntoView {
    let i18n = use_i18n();
    let client = expect_context::<AgentClient>();
    let tenant = Memo::new(move |_| tenant.get());
    let drafts = drafts();

    // Tenants for the picker (and the cluster page's current-values table).
    let tenants = {
        let client = client.clone();
        LocalResource::new(move || {
            let client = client.clone();
            async move {
                client
                    .get::<Contents<TenantOverview>>(routes::TENANTS_OVERVIEW)
                    .await
                    .map(|c| {
                        c.map(|c| {
                            c.contents
                                .into_iter()
                                .filter(|t| t.tenant_name != "sys")
                                .collect::<Vec<_>>()
                        })
                        .unwrap_or_default()
                    })
            }
        })
    };

    let form_key = move || match scope {
        Scope::Cluster => "cluster".to_string(),
        Scope::Tenant => format!("tenant:{}", tenant.get()),
    };
    let form = Memo::new(move |_| drafts.get(&form_key()));

    // The agent's current values for a tenant, loaded into the form's baseline.
    let current = {
        let client = client.clone();
        LocalResource::new(move || {
            let client = client.clone();
            let name = tenant.get();
            async move {
                if scope == Scope::Cluster || name.is_empty() {
                    return None;
                }
                Some(load_current(&client, &name).await)
            }
        })
    };
    Effect::new(move |_| {
        if let Some(Some(Ok(v))) = current.get() {
            form.get_untracked().fill_untouched(&v);
        }
    });

    let title = move || match scope {
        Scope::Cluster => i18n.now("backup.cluster_title"),
        Scope::Tenant => i18n.now("backup.tenant_title"),
    };

    view! {
        <section class="card wide" aria-labelledby=crate::ids::uid("backup-title")>
            <h1 id=crate::ids::uid("backup-title")>{title}</h1>
            <p class="muted">{move || match scope { Scope::Cluster => i18n.now("backup.cluster_explain"), Scope::Tenant => i18n.now("backup.tenant_explain") }}</p>
            {(scope == Scope::Tenant).then(|| view! { <TenantPicker tenants=tenants selected=tenant/> })}
            <Suspense fallback=move || view! { <p class="muted">{i18n.t("common.loading")}</p> }>
                {move || current.get().flatten().map(|r| match r {
                    Ok(v) => view! { <CurrentValues values=v/> }.into_any(),
                    Err(e) => view! { <ErrorPanel error=Signal::derive(move || Some(e.clone()))/> }.into_any(),
                })}
            </Suspense>
            {move || {
                let show = scope == Scope::Cluster || !tenant.get().is_empty();
                show.then(|| view! { <BackupForm scope=scope form=form.get() tenant=tenant.get()/> })
            }}
        </section>
    }
}

async fn load_current(client: &AgentClient, tenant: &str) -> Result<FormValues, ApiError> {
    let storage = client
        .get::<BackupDestInfo>(&routes::tenant_backup_storage(tenant))
        .await?
        .unwrap_or_default();
    let mut v = FormValues {
        data_base_uri: storage.data_base_uri,
        archive_base_uri: storage.archive_base_uri,
        ..Default::default()
    };
    for (name, slot) in [
        ("log_archive_concurrency", &mut v.log_archive_concurrency),
        ("ha_low_thread_score", &mut v.ha_low_thread_score),
        ("archive_lag_target", &mut v.archive_lag_target),
    ] {
        // A parameter the agent cannot report is left empty rather than failing the page.
        if let Ok(Some(p)) = client
            .get::<TenantParameter>(&routes::tenant_parameter(tenant, name))
            .await
        {
            *slot = p.value;
        }
    }
    Ok(v)
}

#[component]
fn TenantPicker(
    tenants: LocalResource<Result<Vec<TenantOverview>, ApiError>>,
    selected: Memo<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let nav = use_nav();
    view! {
        <Suspense fallback=move || view! { <p class="muted">{i18n.t("common.loading")}</p> }>
            {move || {
                tenants.get().map(|r| match r {
                    Err(e) => view! { <ErrorPanel error=Signal::derive(move || Some(e.clone()))/> }.into_any(),
                    Ok(list) if list.is_empty() => view! { <p class="warning">{i18n.t("backup.no_tenants")}</p> }.into_any(),
                    Ok(list) => view! {
                        <div class="field">
                            <label for=crate::ids::uid("tenant-picker")>{i18n.t("backup.tenant")}</label>
                            <select id=crate::ids::uid("tenant-picker") on:change=move |ev| {
                                nav.go(Route::TenantBackup(event_target_value(&ev)));
                            }>
                                <option value="" selected=move || selected.get().is_empty()>{i18n.t("backup.choose_tenant")}</option>
                                {list.into_iter().map(|t| {
                                    let name = t.tenant_name.clone();
                                    let is_sel = { let name = name.clone(); move || selected.get() == name };
                                    view! { <option value=name.clone() selected=is_sel>{format!("{} ({})", t.tenant_name, t.tenant_id)}</option> }
                                }).collect_view()}
                            </select>
                        </div>
                    }.into_any(),
                })
            }}
        </Suspense>
    }
}

#[component]
fn CurrentValues(values: FormValues) -> impl IntoView {
    let i18n = use_i18n();
    let dash = |s: &str| if s.is_empty() { "—".to_string() } else { s.to_string() };
    view! {
        <aside class="current" aria-labelledby=crate::ids::uid("current-title")>
            <h2 id=crate::ids::uid("current-title")>{i18n.t("backup.current")}</h2>
            <dl>
                <dt>{i18n.t("field.archive_base_uri")}</dt><dd><code>{dash(&obshell_proto::storage::redact(&values.archive_base_uri))}</code></dd>
                <dt>{i18n.t("field.data_base_uri")}</dt><dd><code>{dash(&obshell_proto::storage::redact(&values.data_base_uri))}</code></dd>
                <dt>{i18n.t("field.log_archive_concurrency")}</dt><dd>{dash(&values.log_archive_concurrency)}</dd>
                <dt>{i18n.t("field.ha_low_thread_score")}</dt><dd>{dash(&values.ha_low_thread_score)}</dd>
                <dt>{i18n.t("field.archive_lag_target")}</dt><dd>{dash(&values.archive_lag_target)}</dd>
            </dl>
        </aside>
    }
}

#[component]
fn BackupForm(scope: Scope, form: FormSignals, tenant: String) -> impl IntoView {
    let i18n = use_i18n();
    let client = expect_context::<AgentClient>();
    let nav = use_nav();
    let events = use_context::<HostEvents>().unwrap_or_else(|| HostEvents::new(None));
    let server_error = RwSignal::new(None::<ApiError>);
    let server_field_error = RwSignal::new(None::<(Field, String)>);
    let review = RwSignal::new(false);

    // The request as it would be sent now, and everything wrong with it.
    let request = Memo::new(move |_| form.values().to_request(&form.baseline.get(), scope, form.method.get()));
    let msgs = Memo::new(move |_| {
        let (req, problems) = request.get();
        let errs = backup::field_errors(&req, scope, form.method.get());
        let mut m = messages(i18n.lang.get(), &errs, &problems, form.submitted.get());
        if let Some((f, msg)) = server_field_error.get() {
            m.entry(f).or_insert(msg);
        }
        m
    });
    // Input changes clear a server error attached to a field.
    Effect::new(move |prev: Option<FormValues>| {
        let v = form.values();
        if prev.is_some_and(|p| p != v) {
            server_field_error.set(None);
        }
        v
    });
    let err = move |f: Field| Signal::derive(move || msgs.with(|m| m.get(&f).cloned()));
    let recovery_warning = Signal::derive(move || {
        let (req, _) = request.get();
        // The agent passes an empty window on to OceanBase, which refuses it only when the
        // task runs (after log archiving was switched off): say so before it is sent.
        if req
            .delete_policy
            .as_ref()
            .is_some_and(|p| p.recovery_window.trim().is_empty())
        {
            return Some(i18n.now("form.recovery_window_empty"));
        }
        backup::recovery_window_warning(req.delete_policy.as_ref()).map(|e| {
            format!(
                "{} {}",
                i18n.now("form.recovery_window_warning"),
                e.message(i18n.lang.get())
            )
        })
    });
    let blocking = move || {
        let (req, problems) = request.get();
        !problems.is_empty() || !backup::field_errors(&req, scope, form.method.get()).is_empty()
    };

    let target = match scope {
        Scope::Cluster => routes::CLUSTER_BACKUP_CONFIG.to_string(),
        Scope::Tenant => routes::tenant_backup_config(&tenant),
    };
    // The review names the exact endpoint, so the tenant about to change is in plain sight.
    let review_target = target.clone();
    let submit = {
        let client = client.clone();
        Action::new_local(move |(method, body): &(Method, serde_json::Value)| {
            let client = client.clone();
            let events = events.clone();
            let target = target.clone();
            let (method, body) = (*method, body.clone());
            // What this request asks for: once the agent accepted it, later updates compare
            // with it (for the cluster the agent cannot report its current values).
            let submitted = untrack(|| form.values());
            async move {
                let http = match method {
                    Method::Set => HttpMethod::Post,
                    Method::Update => HttpMethod::Patch,
                };
                let answer = client.request::<DagDetail>(http, &target, Some(body)).await;
                // The page may be gone by now (the user cancelled signing in again and is back
                // on the sign-in page): then its signals are disposed and nothing is shown.
                match answer {
                    Ok(Some(dag)) => {
                        review.try_set(false);
                        form.submitted.try_set(false);
                        form.baseline.try_set(submitted);
                        events.task_submitted(&dag);
                        nav.go(Route::Task(dag.id.clone()));
                    }
                    Ok(None) => {
                        server_error.try_set(Some(ApiError::BadResponse {
                            url: target,
                            status: 200,
                            detail: "no task in the answer".into(),
                        }));
                    }
                    Err(e) => {
                        review.try_set(false);
                        if let (ApiError::Agent { err_code, message, .. }, Some((sent, _))) =
                            (&e, request.try_get_untracked())
                        {
                            if let Some(f) = Field::for_error(scope, err_code, message, &sent) {
                                server_field_error.try_set(Some((f, message.clone())));
                            }
                        }
                        server_error.try_set(Some(e));
                    }
                }
            }
        })
    };

    let on_review = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        form.submitted.set(true);
        server_error.set(None);
        if blocking() {
            focus_first_invalid(&ev);
            return;
        }
        review.set(true);
    };

    let binding_options = Signal::derive(move || {
        vec![
            (String::new(), i18n.now("field.binding_unset")),
            ("OPTIONAL".into(), i18n.now("field.binding_optional")),
            ("MANDATORY".into(), i18n.now("field.binding_mandatory")),
        ]
    });
    let method_radio = move |m: Method, key: &'static str| {
        view! {
            <label class="radio">
                <input type="radio" name="method" checked=move || form.method.get() == m on:change=move |_| form.method.set(m)/>
                {i18n.t(key)}
            </label>
        }
    };

    view! {
        <form class="backup-form" novalidate on:submit=on_review>
            <fieldset class="method">
                <legend>{i18n.t("backup.action")}</legend>
                {method_radio(Method::Set, "backup.set")}
                {method_radio(Method::Update, "backup.update")}
                <p class="hint">{move || match form.method.get() { Method::Set => i18n.now("backup.set_hint"), Method::Update => i18n.now("backup.update_hint") }}</p>
            </fieldset>
            {match scope {
                Scope::Cluster => view! {
                    <StorageEditor id=crate::ids::uid("backup-base") legend=i18n.t("field.backup_base_uri") uri=form.backup_base_uri error=err(Field::BackupBaseUri)/>
                }.into_any(),
                Scope::Tenant => view! {
                    <StorageEditor id=crate::ids::uid("data-base") legend=i18n.t("field.data_base_uri") uri=form.data_base_uri error=err(Field::DataBaseUri)/>
                    <StorageEditor id=crate::ids::uid("archive-base") legend=i18n.t("field.archive_base_uri") uri=form.archive_base_uri error=err(Field::ArchiveBaseUri)/>
                }.into_any(),
            }}
            <fieldset class="grid">
                <legend>{i18n.t("backup.archive_settings")}</legend>
                <TextField id=crate::ids::uid("log-archive-concurrency") label=i18n.t("field.log_archive_concurrency") value=form.log_archive_concurrency inputmode="numeric" error=err(Field::LogArchiveConcurrency) hint=i18n.t("field.range_0_100")/>
                <SelectField id=crate::ids::uid("binding") label=i18n.t("field.binding") value=form.binding options=binding_options error=err(Field::Binding) hint=i18n.t("field.binding_hint")/>
                <DurationField id=crate::ids::uid("piece-switch-interval") label=i18n.t("field.piece_switch_interval") value=form.piece_switch_interval error=err(Field::PieceSwitchInterval) hint=i18n.t("field.piece_hint")/>
                <DurationField id=crate::ids::uid("archive-lag-target") label=i18n.t("field.archive_lag_target") value=form.archive_lag_target error=err(Field::ArchiveLagTarget) hint=i18n.t("field.lag_hint") default_unit=obshell_proto::duration::Unit::M/>
                <TextField id=crate::ids::uid("ha-low-thread-score") label=i18n.t("field.ha_low_thread_score") value=form.ha_low_thread_score inputmode="numeric" error=err(Field::HaLowThreadScore) hint=i18n.t("field.range_0_100")/>
            </fieldset>
            <fieldset>
                <legend>{i18n.t("field.delete_policy")}</legend>
                <label class="checkbox">
                    <input type="checkbox" prop:checked=move || form.delete_policy.get() on:change=move |ev| form.delete_policy.set(event_target_checked(&ev))/>
                    {i18n.t("field.delete_policy_enable")}
                </label>
                <Show when=move || form.delete_policy.get()>
                    <DurationField id=crate::ids::uid("recovery-window") label=i18n.t("field.recovery_window") value=form.recovery_window error=err(Field::RecoveryWindow) hint=i18n.t("field.recovery_window_hint")/>
                    <p class="warning" aria-live="polite">{move || recovery_warning.get()}</p>
                </Show>
                {move || err(Field::DeletePolicy).get().map(|e| view! { <p class="error">{e}</p> })}
            </fieldset>
            <ErrorPanel error=server_error/>
            <div class="actions">
                <button type="submit" class="primary">{i18n.t("backup.review")}</button>
                <Show when=move || form.submitted.get() && blocking()>
                    <p class="error" role="alert">{i18n.t("form.fix_errors")}</p>
                </Show>
            </div>
        </form>
        <Show when=move || review.get()>
            <ReviewDialog scope=scope target=review_target.clone() request=request method=form.method submit=submit close=move || review.set(false)/>
        </Show>
    }
}

/// Moves the focus to the first invalid field of the submitted form (not of another console
/// mounted on the same page).
fn focus_first_invalid(ev: &leptos::ev::SubmitEvent) {
    use wasm_bindgen::JsCast;
    let form = ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok());
    if let Some(el) = form.and_then(|f| f.query_selector("[aria-invalid=true]").ok().flatten()) {
        if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() {
            let _ = el.focus();
        }
    }
}
