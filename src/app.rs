//! The application shell: context providers (language, agent client, navigation, drafts, host
//! events), header, the sign-in gate, and the page for the current route.

use crate::components::reauth_dialog::ReauthDialog;
use crate::context::{provide_mount, use_drafts, MountOptions, Placement};
use crate::i18n::{use_i18n, I18n};
use crate::nav::{Link, Nav, Route};
use crate::pages::chunks::{page_of, prefetch_pages, LazyTaskIndicator, RoutePage};
use crate::pages::sign_in::{SignInPage, SsoSigningIn};
use leptos::prelude::*;
use obshell_proto::Lang;

/// The standalone console with defaults (used by tests and simple hosts).
#[component]
pub fn App() -> impl IntoView {
    let options = MountOptions {
        config: Default::default(),
        placement: Placement::Standalone {
            page_base: document_base_path(),
        },
    };
    view! { <AppWith options=options/> }
}

/// The path of the page's `<base href>` (`/` unless a host mounted the console deeper).
pub fn document_base_path() -> String {
    let base = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.base_uri().ok().flatten())
        .unwrap_or_default();
    web_sys::Url::new(&base)
        .map(|u| u.pathname())
        .unwrap_or_else(|_| "/".into())
}

#[component]
pub fn AppWith(options: MountOptions) -> impl IntoView {
    let mount = provide_mount(&options);
    let (i18n, client, nav) = (mount.i18n, mount.client.clone(), mount.nav);

    // A host-minted SSO token signs in without a password ever reaching the browser. While it
    // is exchanged the gate shows a neutral "Signing in…" (no password form to flash, nothing
    // focused). If it fails (expired, already used), the sign-in page says why and offers the
    // password.
    let sso_pending = RwSignal::new(options.config.sso_token.is_some());
    // The gate opened by the token, not by the user: the focus stays wherever the host has it.
    let opened_by_sso = StoredValue::new(options.config.sso_token.is_some());
    if let Some(token) = options.config.sso_token.clone() {
        let client = client.clone();
        let sso_error = mount.sso_error;
        leptos::task::spawn_local(async move {
            if let Err(e) = client
                .sign_in_with_sso_token(obshell_proto::crypto::Secret::new(token))
                .await
            {
                opened_by_sso.try_set_value(false);
                sso_error.0.try_set(Some(e));
            }
            // Signed in (the gate is open already) or the error is set: the sign-in page may show.
            sso_pending.try_set(false);
        });
    }

    // Signed in: fetch the pages' code now, while the user reads the first page.
    let signed_in = client.signed_in;
    Effect::new(move |done: Option<bool>| {
        let done = done.unwrap_or(false);
        if !done && signed_in.get() {
            prefetch_pages();
            return true;
        }
        done
    });

    let gate = {
        let client = client.clone();
        move || client.signed_in.get() || client.reauth.get().is_some()
    };
    let main = NodeRef::<leptos::html::Main>::new();
    // The page is re-created when the page changes, not when only its tenant does.
    let page = Memo::new(move |_| page_of(nav.route.get()));
    follow_page_changes(nav, gate, main, mount.standalone, opened_by_sso, i18n);
    view! {
        <div class="obshell-console" lang=move || i18n.lang.get().tag()>
            <Header/>
            <main class="main" id=crate::ids::uid("obshell-main") tabindex="-1" node_ref=main>
                <Show when=gate fallback=move || view! {
                    <Show when=move || sso_pending.get() fallback=SignInPage><SsoSigningIn/></Show>
                }>
                    {move || view! { <RoutePage route=page.get()/> }}
                </Show>
            </main>
            <ReauthDialog/>
        </div>
    }
}

/// What keyboard and screen-reader users need when the page changes: the document title names
/// the page and `<html lang>` is the console's language (standalone only: an embedding host owns
/// its title and its `<html>`; there the console's root carries `lang`), and the focus moves to the
/// main region, so the new page is read from its start (unless the focus is outside the console,
/// in an embedding host page, or nowhere while an SSO token opens the gate). Picking another
/// tenant on the tenant page is not a page change (the picker keeps the focus).
fn follow_page_changes(
    nav: Nav,
    gate: impl Fn() -> bool + Clone + Send + Sync + 'static,
    main: NodeRef<leptos::html::Main>,
    standalone: bool,
    opened_by_sso: StoredValue<bool>,
    i18n: I18n,
) {
    if standalone {
        let gate = gate.clone();
        Effect::new(move |_| {
            let lang = i18n.lang.get();
            let title = document_title(lang, &nav.route.get(), gate());
            if let Some(doc) = web_sys::window().and_then(|w| w.document()) {
                doc.set_title(&title);
                if let Some(html) = doc.document_element() {
                    let _ = html.set_attribute("lang", lang.tag());
                }
            }
        });
    }
    Effect::new(move |previous: Option<(bool, std::mem::Discriminant<Route>)>| {
        let now = (gate(), std::mem::discriminant(&nav.route.get()));
        if previous.is_some_and(|p| p != now) {
            if let Some(el) = main.get_untracked() {
                // Never take the focus from a host page (e.g. an SSO sign-in finishing while the
                // user types elsewhere): only when it is in this console, or nowhere and the user
                // did what changed the page (an SSO sign-in is the host's doing, not the user's).
                let by_sso = !previous.is_some_and(|p| p.0) && now.0 && opened_by_sso.get_value();
                opened_by_sso.set_value(false);
                let doc = document();
                let here = el.parent_element();
                let free = match doc.active_element() {
                    Some(a) if here.as_ref().is_some_and(|h| h.contains(Some(&a))) => true,
                    Some(a) => !by_sso && doc.body().is_some_and(|b| *b == a),
                    None => !by_sso,
                };
                if free {
                    let _ = el.focus();
                }
            }
        }
        now
    });
}

/// `<page> · obshell console` for the route (the sign-in page when `signed_in` is false).
pub fn document_title(lang: Lang, route: &Route, signed_in: bool) -> String {
    use crate::components::untrusted::{visible, Mode};
    use crate::i18n::{text, text_with};
    // The title is plain text: a tenant's hidden characters are shown as escapes there too.
    let page = match route {
        _ if !signed_in => text(lang, "signin.title"),
        Route::Overview => text(lang, "overview.title"),
        Route::ClusterBackup => text(lang, "backup.cluster_title"),
        Route::History(t) => text_with(lang, "history.title", &[("tenant", &visible(t, Mode::Value))]),
        Route::TenantBackup(t) if t.is_empty() => text(lang, "backup.tenant_title"),
        Route::TenantBackup(t) => text_with(lang, "page.tenant_title", &[("tenant", &visible(t, Mode::Value))]),
        Route::Tasks => text(lang, "tasks.title"),
        Route::Task(id) => text_with(lang, "page.task_title", &[("id", &visible(id, Mode::Value))]),
        Route::NotFound(_) => text(lang, "page.not_found"),
    };
    format!("{page} · {}", text(lang, "app.title"))
}

#[component]
fn Header() -> impl IntoView {
    let i18n = use_i18n();
    let client = expect_context::<crate::api::AgentClient>();
    let signed_in = client.signed_in;
    // Signing out also forgets the form drafts: they may hold access keys, and whoever signs in
    // next on this browser must not find them (a session lost on the agent's side keeps them).
    let drafts = use_drafts();
    let sign_out = {
        let client = client.clone();
        Action::new_local(move |_: &()| {
            let client = client.clone();
            let drafts = drafts.clone();
            async move {
                client.sign_out().await;
                drafts.clear();
            }
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
            <a class="skip-link" href=format!("#{}", crate::ids::uid("obshell-main"))>{i18n.t("nav.skip")}</a>
            <span class="brand">{i18n.t("app.title")}</span>
            <Show when=move || signed_in.get()>
                <nav aria-label=i18n.t("nav.label")>
                    <Link route=Route::Overview>{i18n.t("nav.overview")}</Link>
                    <Link route=Route::ClusterBackup>{i18n.t("nav.cluster_backup")}</Link>
                    <Link route=Route::TenantBackup(String::new())>{i18n.t("nav.tenant_backup")}</Link>
                    <Link route=Route::Tasks>{i18n.t("nav.tasks")}<LazyTaskIndicator/></Link>
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn document_titles_name_the_page() {
        assert_eq!(
            document_title(Lang::En, &Route::Tasks, false),
            "Sign in to the obshell agent · obshell console"
        );
        assert_eq!(
            document_title(Lang::En, &Route::ClusterBackup, true),
            "Cluster backup configuration · obshell console"
        );
        assert_eq!(
            document_title(Lang::En, &Route::TenantBackup("t1".into()), true),
            "Tenant backup configuration: t1 · obshell console"
        );
        assert_eq!(
            document_title(Lang::Zh, &Route::Task("142".into()), true),
            "任务 142 · obshell 控制台"
        );
        // A hostile tenant name stays text (document.title never parses HTML).
        assert_eq!(
            document_title(Lang::En, &Route::TenantBackup("<b>x".into()), true),
            "Tenant backup configuration: <b>x · obshell console"
        );
        // Nor can it reverse the rest of the title.
        assert_eq!(
            document_title(Lang::En, &Route::History("\u{202E}txt.exe".into()), true),
            "Backup history: ⟨U+202E⟩txt.exe · obshell console"
        );
    }
}
