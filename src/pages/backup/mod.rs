//! Backup configuration, cluster or tenant scope: *Set* (POST) or *Update* (PATCH), every field
//! the agent accepts, the agent's validation as the user types, a review of the exact body, then
//! one submission and the task view of the DAG it started.
//!
//! - this module: the page (tenant picker, the agent's current values, the form's draft);
//! - [`form`]: the form, its review and its submission;
//! - [`fields`]: each input, generated from the form's field table.

mod fields;
mod form;

use crate::api::{AgentClient, ApiError};
use crate::components::error_panel::ErrorPanel;
use crate::context::use_drafts;
use crate::form::{fields_of, FormValues, Input, Readback};
use crate::i18n::use_i18n;
use crate::nav::{use_nav, Route};
use crate::routes;
use form::BackupForm;
use leptos::prelude::*;
use obshell_proto::backup::Scope;
use obshell_proto::envelope::{BackupDestInfo, Contents, TenantOverview, TenantParameter};

#[component]
pub fn BackupPage(scope: Scope, #[prop(optional, into)] tenant: Signal<String>) -> impl IntoView {
    let i18n = use_i18n();
    let client = expect_context::<AgentClient>();
    let tenant = Memo::new(move |_| tenant.get());
    let drafts = use_drafts();

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
            form.get_untracked().fill_untouched(&v, fields_of(scope));
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
                    Ok(v) => view! { <CurrentValues scope=scope values=v/> }.into_any(),
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

/// What the agent reports for a tenant: each field of the table whose `Readback` names a source.
async fn load_current(client: &AgentClient, tenant: &str) -> Result<FormValues, ApiError> {
    let storage = client
        .get::<BackupDestInfo>(routes::tenant_backup_storage(tenant))
        .await?
        .unwrap_or_default();
    let mut v = FormValues::default();
    for spec in fields_of(Scope::Tenant) {
        match spec.readback {
            Readback::ArchiveDest => v.set(spec.field, storage.archive_base_uri.clone()),
            Readback::DataDest => v.set(spec.field, storage.data_base_uri.clone()),
            Readback::Parameter(name) => {
                // A parameter the agent cannot report is left empty rather than failing the page.
                if let Ok(Some(p)) = client
                    .get::<TenantParameter>(routes::tenant_parameter(tenant, name))
                    .await
                {
                    v.set(spec.field, p.value);
                }
            }
            Readback::None => {}
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

/// The values the agent reported, one line per field of the table that it reports.
#[component]
fn CurrentValues(scope: Scope, values: FormValues) -> impl IntoView {
    let i18n = use_i18n();
    let rows = fields_of(scope)
        .filter(|s| s.readback != Readback::None)
        .map(|s| {
            let v = values.get(s.field);
            let shown = match (v.is_empty(), s.input) {
                (true, _) => "—".to_string(),
                (false, Input::Destination) => obshell_proto::storage::redact(v),
                (false, _) => v.to_string(),
            };
            let value = if s.input == Input::Destination {
                view! { <code>{shown}</code> }.into_any()
            } else {
                shown.into_any()
            };
            view! { <dt>{i18n.t(s.label)}</dt><dd>{value}</dd> }
        })
        .collect_view();
    view! {
        <aside class="current" aria-labelledby=crate::ids::uid("current-title")>
            <h2 id=crate::ids::uid("current-title")>{i18n.t("backup.current")}</h2>
            <dl>{rows}</dl>
        </aside>
    }
}
