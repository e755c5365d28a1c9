//! What one mounted console shares, provided once at the top of the mount by
//! [`provide_mount`] (used by the app shell, standalone or embedded, and by the browser tests
//! alike): language, agent client, runtime configuration, profile choice, navigation,
//! element-id scope, form drafts, host events and the SSO outcome. Pages read them with
//! `expect_context` or the `use_*` functions here; none falls back to a default.

use crate::api::{AgentClient, ApiError};
use crate::config::RuntimeConfig;
use crate::form::{fields_of_any, FormState, FormValues, Known, Source};
use crate::i18n::{browser_lang, I18n};
use crate::nav::{Nav, Route};
use leptos::prelude::*;
use obshell_proto::dag::DagDetail;
use send_wrapper::SendWrapper;
use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use wasm_bindgen::JsCast;
use web_sys::HtmlElement;

/// Where a console is mounted.
#[derive(Clone)]
pub enum Placement {
    /// The whole page: the route follows the address bar under the page's `<base href>` path
    /// (`page_base`), element ids are plain, events go to `<body>`.
    Standalone { page_base: String },
    /// In a host page's element: the route lives in memory, ids get a per-mount prefix, events
    /// are dispatched on the element.
    Embedded { host: SendWrapper<HtmlElement> },
    /// Components on their own (browser tests): the route in memory from `route`, plain ids.
    Detached { route: Route },
}

/// What a mount starts from.
#[derive(Clone)]
pub struct MountOptions {
    pub config: RuntimeConfig,
    pub placement: Placement,
}

/// The handles the app shell needs after [`provide_mount`].
#[derive(Clone)]
pub struct Mount {
    pub i18n: I18n,
    pub client: AgentClient,
    pub nav: Nav,
    pub sso_error: SsoError,
    pub standalone: bool,
}

/// Provides every per-mount context in the current reactive owner.
pub fn provide_mount(options: &MountOptions) -> Mount {
    let config = options.config.clone();
    let page_base = match &options.placement {
        Placement::Standalone { page_base } => page_base.clone(),
        _ => String::new(),
    };
    let (agent, lang) = first_agent(&config, &page_base);
    let i18n = I18n::new(lang);
    let client = AgentClient::new(agent, i18n.lang);
    let (nav, ids, host) = match &options.placement {
        Placement::Standalone { page_base } => (Nav::with_history(page_base), IdScope::default(), None),
        Placement::Embedded { host } => (
            Nav::in_memory(Route::parse(config.initial_route.as_deref().unwrap_or("/"))),
            IdScope::next_embedded(),
            Some(host.clone()),
        ),
        Placement::Detached { route } => (Nav::in_memory(route.clone()), IdScope::default(), None),
    };
    let sso_error = SsoError(RwSignal::new(None));
    provide_context(i18n);
    provide_context(client.clone());
    provide_context(config);
    provide_context(ProfileChoice {
        selected: RwSignal::new(0),
        page_base: StoredValue::new(page_base),
    });
    provide_context(FormDrafts::new());
    provide_context(HostEvents::new(host));
    provide_context(nav);
    provide_context(ids);
    provide_context(sso_error);
    Mount {
        i18n,
        client,
        nav,
        sso_error,
        standalone: matches!(options.placement, Placement::Standalone { .. }),
    }
}

/// The agent a mount talks to first (the first profile, if any) and the language it starts in.
pub fn first_agent(config: &RuntimeConfig, page_base: &str) -> (crate::api::ClientConfig, obshell_proto::Lang) {
    (
        config.client(config.profiles.first(), page_base),
        config.lang().unwrap_or_else(browser_lang),
    )
}

/// Why the host's SSO token did not sign in (shown on the sign-in page).
#[derive(Clone, Copy)]
pub struct SsoError(pub RwSignal<Option<ApiError>>);

/// The choice of cluster when the configuration names several (`profiles`), and the page base
/// the API defaults to.
#[derive(Clone, Copy)]
pub struct ProfileChoice {
    pub selected: RwSignal<usize>,
    pub page_base: StoredValue<String>,
}

/// The element-id prefix of this mount (`""` standalone, `obshell-<n>-` embedded), so labels,
/// `aria-*` references and the skip link of one console never point into another.
#[derive(Clone, Debug, Default)]
pub struct IdScope(pub String);

impl IdScope {
    /// A fresh prefix for an embedded mount.
    pub fn next_embedded() -> IdScope {
        static MOUNTS: AtomicUsize = AtomicUsize::new(0);
        IdScope(format!("obshell-{}-", MOUNTS.fetch_add(1, Ordering::Relaxed) + 1))
    }
}

/// Form drafts per scope/tenant, kept in memory for the whole session: navigating away, a
/// failed request or a new sign-in never loses what was typed. Never persisted (secrets).
/// Beside them, what this tab sent for the settings the agent cannot report (binding, piece
/// switch interval, delete policy): the best knowledge of their current values.
///
/// The signals belong to the mount's reactive owner, not to the page that first shows them, so
/// they outlive the page (a page's own signals are disposed when it unmounts).
#[derive(Clone)]
pub struct FormDrafts {
    map: Arc<Mutex<HashMap<String, FormState>>>,
    sent: Arc<Mutex<SentSettings>>,
    owner: Owner,
}

/// Unreportable settings sent from this tab, per form key, with the order they were sent in.
#[derive(Default)]
struct SentSettings {
    seq: u64,
    by_key: HashMap<String, (u64, FormValues)>,
}

/// The form key of the cluster form (tenant forms: `tenant:<name>`).
pub const CLUSTER_KEY: &str = "cluster";

impl FormDrafts {
    /// Drafts owned by the current reactive owner.
    fn new() -> Self {
        FormDrafts {
            map: Arc::default(),
            sent: Arc::default(),
            owner: Owner::current().unwrap_or_default(),
        }
    }

    /// Forgets every draft and what was sent (sign-out). Pages shown later start afresh.
    pub fn clear(&self) {
        self.map.lock().unwrap_or_else(|p| p.into_inner()).clear();
        *self.sent.lock().unwrap_or_else(|p| p.into_inner()) = SentSettings::default();
    }

    /// The draft under `key` (`cluster`, `tenant:<name>`), created on first use.
    pub fn get(&self, key: &str) -> FormState {
        let mut m = self.map.lock().unwrap_or_else(|p| p.into_inner());
        *m.entry(key.to_string())
            .or_insert_with(|| self.owner.with(FormState::new))
    }

    /// The agent accepted a request from the form `key` with these values: its unreportable
    /// settings are now known (a cluster request sets them for every tenant).
    pub fn remember_sent(&self, key: &str, values: &FormValues) {
        let mut kept = FormValues::default();
        for spec in fields_of_any().filter(|s| s.unreportable()) {
            kept.set(spec.field, values.get(spec.field));
        }
        let mut sent = self.sent.lock().unwrap_or_else(|p| p.into_inner());
        sent.seq += 1;
        let seq = sent.seq;
        sent.by_key.insert(key.to_string(), (seq, kept));
    }

    /// What this tab sent last for the unreportable settings of form `key`: its own request or a
    /// later cluster request.
    pub fn recall_sent(&self, key: &str) -> Known {
        let sent = self.sent.lock().unwrap_or_else(|p| p.into_inner());
        let own = sent.by_key.get(key);
        let cluster = sent.by_key.get(CLUSTER_KEY);
        let newest = match (own, cluster) {
            (Some(o), Some(c)) if c.0 > o.0 => Some(c),
            (Some(o), _) => Some(o),
            (None, c) => c,
        };
        let mut known = Known::default();
        if let Some((_, values)) = newest {
            for (f, v) in values.filled() {
                known.set(f, v, Source::Remembered);
            }
        }
        known
    }
}

pub fn use_drafts() -> FormDrafts {
    expect_context::<FormDrafts>()
}

/// Where the console tells its host about tasks (the mount element; `<body>` standalone), and
/// which tasks it still owes an `obshell:task-finished` for.
#[derive(Clone)]
pub struct HostEvents {
    target: Option<SendWrapper<HtmlElement>>,
    /// DAGs submitted from this mount, or seen unfinished by one of its task views, whose end
    /// has not been reported yet.
    watched: Arc<Mutex<HashSet<String>>>,
}

impl HostEvents {
    fn new(target: Option<SendWrapper<HtmlElement>>) -> Self {
        HostEvents {
            target,
            watched: Default::default(),
        }
    }

    fn watched(&self) -> MutexGuard<'_, HashSet<String>> {
        self.watched.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn emit(&self, kind: &str, dag: &DagDetail) {
        let target: Option<web_sys::EventTarget> = match &self.target {
            Some(el) => Some((**el).clone().unchecked_into()),
            None => web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.body())
                .map(|b| b.unchecked_into()),
        };
        let Some(target) = target else { return };
        let detail = js_sys::Object::new();
        for (k, v) in [
            ("id", dag.id.as_str()),
            ("name", dag.name.as_str()),
            ("state", dag.state.as_str()),
            ("operator", dag.operator.as_str()),
        ] {
            let _ = js_sys::Reflect::set(&detail, &k.into(), &v.into());
        }
        let init = web_sys::CustomEventInit::new();
        init.set_detail(&detail);
        init.set_bubbles(true);
        if let Ok(ev) = web_sys::CustomEvent::new_with_event_init_dict(kind, &init) {
            let _ = target.dispatch_event(&ev);
        }
    }

    /// A configuration was accepted and started this DAG.
    pub fn task_submitted(&self, dag: &DagDetail) {
        self.watched().insert(dag.id.clone());
        self.emit("obshell:task-submitted", dag);
    }

    /// A task view got `dag` from the agent: an unfinished one is watched; a watched one that
    /// reached a terminal state (SUCCEED or FAILED) is reported, once. (A task may finish before
    /// the view's first poll: it was watched since its submission.)
    pub fn task_observed(&self, dag: &DagDetail) {
        if !dag.state.is_finished() {
            self.watched().insert(dag.id.clone());
        } else if self.watched().remove(&dag.id) {
            self.emit("obshell:task-finished", dag);
        }
    }
}

pub fn use_host_events() -> HostEvents {
    expect_context::<HostEvents>()
}
