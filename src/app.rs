//! The application shell: context providers, header, routes, and the sign-in gate.

use crate::api::{AgentClient, ClientConfig};
use crate::components::reauth_dialog::ReauthDialog;
use crate::components::task_indicator::TaskIndicator;
use crate::i18n::{browser_lang, use_i18n, I18n};
use crate::pages::{backup::{BackupPage, TenantBackupRoute}, sign_in::SignInPage, task_list::TaskListPage, task_view::TaskViewPage};
use leptos::prelude::*;
use leptos_router::components::{Redirect, Route, Router, Routes, A};
use leptos_router::path;
use obshell_proto::backup::Scope;
use obshell_proto::Lang;

/// Options the host page (or the defaults) give the console.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AppOptions {
    pub client: ClientConfig,
    pub lang: Option<Lang>,
    /// Router base when served under a sub-path (e.g. `/ops/obshell`).
    pub base: String,
}

#[component]
pub fn App() -> impl IntoView {
    view! { <AppWith options=AppOptions::default()/> }
}

#[component]
pub fn AppWith(options: AppOptions) -> impl IntoView {
    let i18n = I18n::new(options.lang.unwrap_or_else(browser_lang));
    provide_context(i18n);
    let client = AgentClient::new(options.client.clone(), i18n.lang);
    provide_context(client.clone());
    let base = options.base.trim_end_matches('/').to_string();

    view! {
        <Router base=base>
            <Header/>
            <main id="main" class="main">
                <Show when=move || client.signed_in.get() || client.reauth.get().is_some() fallback=SignInPage>
                    <Routes fallback=NotFound>
                        <Route path=path!("/") view=|| view! { <Redirect path="backup/cluster"/> }/>
                        <Route path=path!("/backup/cluster") view=|| view! { <BackupPage scope=Scope::Cluster/> }/>
                        <Route path=path!("/backup/tenant") view=|| view! { <BackupPage scope=Scope::Tenant/> }/>
                        <Route path=path!("/backup/tenant/:tenant") view=TenantBackupRoute/>
                        <Route path=path!("/tasks") view=TaskListPage/>
                        <Route path=path!("/tasks/:id") view=TaskViewPage/>
                    </Routes>
                </Show>
            </main>
            <ReauthDialog/>
        </Router>
    }
}

#[component]
fn Header() -> impl IntoView {
    let i18n = use_i18n();
    let client = expect_context::<AgentClient>();
    let signed_in = client.signed_in;
    let sign_out = {
        let client = client.clone();
        Action::new_local(move |_: &()| {
            let client = client.clone();
            async move { client.sign_out().await }
        })
    };
    let switch_lang = move |_| {
        i18n.lang.update(|l| {
            *l = match l {
                Lang::En => Lang::Zh,
                Lang::Zh => Lang::En,
            }
        })
    };
    view! {
        <header class="topbar">
            <a class="skip-link" href="#main">{i18n.t("nav.skip")}</a>
            <span class="brand">{i18n.t("app.title")}</span>
            <Show when=move || signed_in.get()>
                <nav aria-label=i18n.t("nav.label")>
                    <A href="backup/cluster">{i18n.t("nav.cluster_backup")}</A>
                    <A href="backup/tenant">{i18n.t("nav.tenant_backup")}</A>
                    <A href="tasks">{i18n.t("nav.tasks")}<TaskIndicator/></A>
                </nav>
            </Show>
            <span class="spacer"></span>
            <button type="button" class="link" on:click=switch_lang lang=move || match i18n.lang.get() { Lang::En => "zh-CN", Lang::Zh => "en" }>
                {move || match i18n.lang.get() { Lang::En => "中文", Lang::Zh => "English" }}
            </button>
            <Show when=move || signed_in.get()>
                <button type="button" class="link" on:click=move |_| { sign_out.dispatch(()); }>{i18n.t("nav.sign_out")}</button>
            </Show>
        </header>
    }
}

#[component]
fn NotFound() -> impl IntoView {
    let i18n = use_i18n();
    view! { <section class="card"><h1>{i18n.t("page.not_found")}</h1></section> }
}
