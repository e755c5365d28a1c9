//! In-app navigation without a URL router dependency.
//!
//! A console may be mounted several times on one page (ops-portal embedding): each mount keeps
//! its own route in a signal. A standalone console (the whole page) also mirrors its route in
//! the address bar (`history.pushState`, back/forward, deep links and reloads under the page's
//! `<base href>`). Only the standalone one touches the browser history, so mounts never
//! interfere.

use leptos::prelude::*;
use obshell_proto::request_uri::encode_component;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// The console's pages.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    /// Backup status at a glance (the page after sign-in).
    Overview,
    ClusterBackup,
    /// Tenant backup; empty name: pick a tenant first.
    TenantBackup(String),
    Tasks,
    Task(String),
    /// A tenant's backup history.
    History(String),
    NotFound(String),
}

/// Percent-decodes one path segment (a malformed escape keeps the segment as typed).
fn decode(seg: &str) -> String {
    obshell_proto::go::url::unescape(seg, false).unwrap_or_else(|_| seg.to_string())
}

impl Route {
    /// Parses an in-app path (`/tasks/142`), without the mount base.
    pub fn parse(path: &str) -> Route {
        let segs: Vec<&str> = path.trim_matches('/').split('/').filter(|s| !s.is_empty()).collect();
        match segs.as_slice() {
            [] | ["overview"] => Route::Overview,
            ["backup"] | ["backup", "cluster"] => Route::ClusterBackup,
            ["backup", "tenant", t, "history"] => Route::History(decode(t)),
            ["backup", "tenant"] => Route::TenantBackup(String::new()),
            ["backup", "tenant", t] => Route::TenantBackup(decode(t)),
            ["tasks"] => Route::Tasks,
            ["tasks", id] => Route::Task(decode(id)),
            _ => Route::NotFound(path.to_string()),
        }
    }

    /// The in-app path, segments percent-encoded.
    pub fn path(&self) -> String {
        match self {
            Route::Overview => "/".into(),
            Route::ClusterBackup => "/backup/cluster".into(),
            Route::History(t) => format!("/backup/tenant/{}/history", encode_component(t)),
            Route::TenantBackup(t) if t.is_empty() => "/backup/tenant".into(),
            Route::TenantBackup(t) => format!("/backup/tenant/{}", encode_component(t)),
            Route::Tasks => "/tasks".into(),
            Route::Task(id) => format!("/tasks/{}", encode_component(id)),
            Route::NotFound(p) => p.clone(),
        }
    }
}

/// Navigation for one mounted console; provided as context.
#[derive(Clone, Copy)]
pub struct Nav {
    pub route: RwSignal<Route>,
    /// Path prefix of the console in the address bar (`/ops/obshell`), standalone only.
    base: StoredValue<String>,
    history: bool,
}

impl Nav {
    /// Standalone: the route follows the address bar, and back/forward work.
    pub fn with_history(base: &str) -> Nav {
        let base = base.trim_end_matches('/').to_string();
        let initial = current_path()
            .strip_prefix(&base)
            .map(str::to_string)
            .unwrap_or_default();
        let nav = Nav {
            route: RwSignal::new(Route::parse(&initial)),
            base: StoredValue::new(base),
            history: true,
        };
        let on_pop = Closure::<dyn Fn()>::new(move || {
            let base = nav.base.get_value();
            let p = current_path()
                .strip_prefix(&base)
                .map(str::to_string)
                .unwrap_or_default();
            nav.route.set(Route::parse(&p));
        });
        if let Some(w) = web_sys::window() {
            let _ = w.add_event_listener_with_callback("popstate", on_pop.as_ref().unchecked_ref());
        }
        let f = send_wrapper::SendWrapper::new(on_pop);
        on_cleanup(move || {
            if let Some(w) = web_sys::window() {
                let _ = w.remove_event_listener_with_callback("popstate", f.as_ref().unchecked_ref());
            }
        });
        nav
    }

    /// Embedded: the route lives in memory only, starting at `initial`.
    pub fn in_memory(initial: Route) -> Nav {
        Nav {
            route: RwSignal::new(initial),
            base: StoredValue::new(String::new()),
            history: false,
        }
    }

    pub fn go(&self, route: Route) {
        if self.history && route != self.route.get_untracked() {
            if let Some(h) = web_sys::window().and_then(|w| w.history().ok()) {
                let _ = h.push_state_with_url(&JsValue::NULL, "", Some(&self.href(&route)));
            }
        }
        self.route.set(route);
    }

    /// The `href` for a link: the real URL when standalone (open in a new tab works).
    pub fn href(&self, route: &Route) -> String {
        if self.history {
            format!("{}{}", self.base.get_value(), route.path())
        } else {
            format!("#{}", route.path())
        }
    }
}

fn current_path() -> String {
    web_sys::window()
        .and_then(|w| w.location().pathname().ok())
        .unwrap_or_default()
}

pub fn use_nav() -> Nav {
    expect_context::<Nav>()
}

/// A link to a page: a real `<a href>` (keyboard, middle-click, screen readers), handled in-app
/// on a plain click. `aria-current="page"` marks the current one.
#[component]
pub fn Link(route: Route, children: Children, #[prop(optional, into)] class: String) -> impl IntoView {
    let nav = use_nav();
    let href = nav.href(&route);
    let target = route.clone();
    let current = move || {
        let now = nav.route.get();
        let same_page = match (&now, &target) {
            (Route::TenantBackup(_), Route::TenantBackup(_))
            | (Route::Task(_), Route::Tasks)
            | (Route::History(_), Route::Overview) => true,
            (a, b) => a == b,
        };
        same_page.then_some("page")
    };
    let go = route.clone();
    view! {
        <a
            href=href
            class=class
            aria-current=current
            on:click=move |ev: web_sys::MouseEvent| {
                if ev.button() == 0 && !ev.ctrl_key() && !ev.meta_key() && !ev.shift_key() && !ev.alt_key() {
                    ev.prevent_default();
                    nav.go(go.clone());
                }
            }
        >
            {children()}
        </a>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_round_trip() {
        for r in [
            Route::Overview,
            Route::ClusterBackup,
            Route::History("t 1/x".into()),
            Route::TenantBackup(String::new()),
            Route::TenantBackup("t 1/x".into()),
            Route::Tasks,
            Route::Task("142".into()),
        ] {
            assert_eq!(Route::parse(&r.path()), r);
        }
        assert_eq!(Route::parse("/"), Route::Overview);
        assert_eq!(Route::parse("/backup"), Route::ClusterBackup);
        assert_eq!(Route::parse("/nope"), Route::NotFound("/nope".into()));
    }
}
