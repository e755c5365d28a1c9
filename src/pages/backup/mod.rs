//! Backup configuration, cluster or tenant scope: *Set* (POST) or *Update* (PATCH), every field
//! the agent accepts, the agent's validation as the user types, a review of the exact body, then
//! one submission and the task view of the DAG it started.
//!
//! - this module: the page (tenant picker, the agent's current values, the form's draft);
//! - [`form`]: the form, its review and its submission;
//! - [`fields`]: each input, generated from the form's field table.

mod fields;
mod form;
mod review;

use crate::api::{AgentClient, ApiError};
use crate::components::error_panel::{error_summary, ErrorPanel};
use crate::components::untrusted::{untrusted, visible, Mode};
use crate::context::{use_drafts, CLUSTER_KEY};
use crate::form::{fields_of, FormValues, Input, Known, Readback, Source};
use crate::i18n::use_i18n;
use crate::nav::{use_nav, Route};
use crate::routes;
use form::BackupForm;
use futures::StreamExt;
use leptos::prelude::*;
use obshell_proto::backup::{Field, Scope};
use obshell_proto::envelope::{BackupDestInfo, Contents, TenantOverview, TenantParameter};

/// How many tenants' current values are read at once on the cluster page.
const PARALLEL_TENANTS: usize = 4;

/// What the agent reports for the page: one tenant's values, or (cluster page) every tenant's
/// and what they have in common.
#[derive(Clone, Debug)]
enum Current {
    Tenant(Known),
    Cluster {
        tenants: Vec<(TenantOverview, Result<Known, ApiError>)>,
        common: Known,
    },
}

impl Current {
    fn known(&self) -> &Known {
        match self {
            Current::Tenant(k) => k,
            Current::Cluster { common, .. } => common,
        }
    }
}

#[component]
pub fn BackupPage(scope: Scope, #[prop(optional, into)] tenant: Signal<String>) -> impl IntoView {
    let i18n = use_i18n();
    let client = expect_context::<AgentClient>();
    let tenant = Memo::new(move |_| tenant.get());
    let drafts = use_drafts();

    // Tenants for the tenant page's picker (the cluster page reads them with its current values).
    let tenants = (scope == Scope::Tenant).then(|| {
        let client = client.clone();
        LocalResource::new(move || {
            let client = client.clone();
            async move { user_tenants(&client).await }
        })
    });

    let form_key = move || match scope {
        Scope::Cluster => CLUSTER_KEY.to_string(),
        Scope::Tenant => format!("tenant:{}", tenant.get()),
    };
    let form = {
        let drafts = drafts.clone();
        Memo::new(move |_| drafts.get(&form_key()))
    };

    // The agent's current values, loaded into the form's baseline.
    let current = {
        let client = client.clone();
        LocalResource::new(move || {
            let client = client.clone();
            let name = tenant.get();
            async move {
                match scope {
                    Scope::Tenant if name.is_empty() => None,
                    Scope::Tenant => Some(load_tenant(&client, &name).await.map(Current::Tenant)),
                    Scope::Cluster => Some(load_cluster(&client).await),
                }
            }
        })
    };
    // What this tab sent for the settings the agent cannot report, then what the agent reports.
    Effect::new(move |_| {
        let form = form.get();
        form.learn(&drafts.recall_sent(&form_key()));
        if let Some(Some(Ok(c))) = current.get() {
            form.learn(c.known());
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
            {tenants.map(|tenants| view! { <TenantPicker tenants=tenants selected=tenant/> })}
            <Suspense fallback=move || view! { <p class="muted">{i18n.t("common.loading")}</p> }>
                {move || current.get().flatten().map(|r| match r {
                    Ok(Current::Tenant(k)) => view! { <CurrentValues scope=scope values=k.values/> }.into_any(),
                    Ok(Current::Cluster { tenants, .. }) => view! { <TenantsTable tenants=tenants/> }.into_any(),
                    Err(e) => view! { <ErrorPanel error=Signal::derive(move || Some(e.clone()))/> }.into_any(),
                })}
            </Suspense>
            {move || {
                let show = scope == Scope::Cluster || !tenant.get().is_empty();
                show.then(|| view! { <BackupForm scope=scope form=form.get() form_key=form_key() tenant=tenant.get()/> })
            }}
        </section>
    }
}

/// The user tenants (not `sys`).
async fn user_tenants(client: &AgentClient) -> Result<Vec<TenantOverview>, ApiError> {
    let list = client.get::<Contents<TenantOverview>>(routes::TENANTS_OVERVIEW).await?;
    Ok(list
        .map(|c| c.contents.into_iter().filter(|t| t.tenant_name != "sys").collect())
        .unwrap_or_default())
}

/// What the agent reports for a tenant: each field of the table whose `Readback` names a source,
/// read in parallel. A parameter the agent cannot report is left out rather than failing the page.
async fn load_tenant(client: &AgentClient, tenant: &str) -> Result<Known, ApiError> {
    let storage = client.get::<BackupDestInfo>(routes::tenant_backup_storage(tenant));
    let params = fields_of(Scope::Tenant).filter_map(|s| match s.readback {
        Readback::Parameter(name) => Some(async move {
            let p = client
                .get::<TenantParameter>(routes::tenant_parameter(tenant, name))
                .await;
            (s.field, p)
        }),
        _ => None,
    });
    let (storage, params) = futures::join!(storage, futures::future::join_all(params));
    let storage = storage?.unwrap_or_default();
    let mut known = Known::default();
    for s in fields_of(Scope::Tenant) {
        match s.readback {
            Readback::ArchiveDest => known.set(s.field, storage.archive_base_uri.clone(), Source::Reported),
            Readback::DataDest => known.set(s.field, storage.data_base_uri.clone(), Source::Reported),
            _ => {}
        }
    }
    for (field, p) in params {
        if let Ok(Some(p)) = p {
            known.set(field, p.value, Source::Reported);
        }
    }
    Ok(known)
}

/// Every tenant's current values and what they have in common: the cluster base URI their
/// destinations were derived from, and each parameter they all have the same value of.
async fn load_cluster(client: &AgentClient) -> Result<Current, ApiError> {
    let list = user_tenants(client).await?;
    let tenants: Vec<(TenantOverview, Result<Known, ApiError>)> = futures::stream::iter(list)
        .map(|t| async move {
            let k = load_tenant(client, &t.tenant_name).await;
            (t, k)
        })
        .buffered(PARALLEL_TENANTS)
        .collect()
        .await;
    let mut common = Known::default();
    let all: Option<Vec<&Known>> = tenants.iter().map(|(_, k)| k.as_ref().ok()).collect();
    if let Some(all) = all.filter(|a| !a.is_empty()) {
        let dests: Vec<(i64, &str, &str)> = tenants
            .iter()
            .zip(&all)
            .map(|((t, _), k)| {
                (
                    t.tenant_id,
                    k.values.get(Field::ArchiveBaseUri),
                    k.values.get(Field::DataBaseUri),
                )
            })
            .collect();
        if let Some(base) = obshell_proto::storage::cluster_base(&dests) {
            common.set(Field::BackupBaseUri, base, Source::Inferred);
        }
        for s in fields_of(Scope::Cluster).filter(|s| matches!(s.readback, Readback::Parameter(_))) {
            let first = all[0].values.get(s.field);
            if all.iter().all(|k| k.values.get(s.field) == first) {
                common.set(s.field, first, Source::Inferred);
            } else {
                common.set(s.field, "", Source::Differs);
            }
        }
    }
    Ok(Current::Cluster { tenants, common })
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
                                    // An option holds plain text only: the name with its hidden characters visible.
                                    view! { <option value=name.clone() selected=is_sel>{format!("{} ({})", visible(&t.tenant_name, Mode::Value), t.tenant_id)}</option> }
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
                view! { <code>{untrusted(shown)}</code> }.into_any()
            } else {
                untrusted(shown)
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

/// The cluster page's current values: one row per user tenant.
#[component]
fn TenantsTable(tenants: Vec<(TenantOverview, Result<Known, ApiError>)>) -> impl IntoView {
    let i18n = use_i18n();
    let columns: Vec<_> = fields_of(Scope::Tenant)
        .filter(|s| s.readback != Readback::None)
        .collect();
    let head = columns
        .iter()
        .map(|s| view! { <th scope="col">{i18n.t(s.label)}</th> })
        .collect_view();
    let rows = tenants
        .into_iter()
        .map(|(t, k)| {
            let cells = match k {
                Ok(k) => columns
                    .iter()
                    .map(|s| {
                        let v = k.values.get(s.field);
                        let shown = match (v.is_empty(), s.input) {
                            (true, _) => "—".to_string(),
                            (false, Input::Destination) => obshell_proto::storage::redact(v),
                            (false, _) => v.to_string(),
                        };
                        view! { <td>{untrusted(shown)}</td> }
                    })
                    .collect_view()
                    .into_any(),
                Err(e) => {
                    let span = columns.len().to_string();
                    let lang = i18n.lang.get_untracked();
                    view! { <td colspan=span class="error">{error_summary(lang, &e, Default::default())}</td> }
                        .into_any()
                }
            };
            view! { <tr><th scope="row">{untrusted(t.tenant_name.clone())}</th>{cells}</tr> }
        })
        .collect_view();
    view! {
        <aside class="current" aria-labelledby=crate::ids::uid("current-title")>
            <h2 id=crate::ids::uid("current-title")>{i18n.t("backup.current_tenants")}</h2>
            <div class="table-scroll" tabindex="0" role="region" aria-labelledby=crate::ids::uid("current-title")>
                <table class="current-tenants">
                    <thead><tr><th scope="col">{i18n.t("backup.tenant")}</th>{head}</tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </aside>
    }
}
