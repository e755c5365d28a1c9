//! Starting the console: standalone (the whole page, `config.json`) or embedded in a host page
//! (`mount(element, options)` → handle with `unmount()`), and the DOM events a host listens to.

use crate::app::{AppOptions, AppWith};
use crate::config::{ConfigError, RuntimeConfig};
use leptos::prelude::*;
use obshell_proto::dag::DagDetail;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::HtmlElement;

/// Standalone start: reads `config.json` beside `index.html` (absent: defaults) and mounts on
/// `<body>`, with the route in the address bar.
pub fn start_standalone() {
    // Leptos' executor is set up by mounting; this runs before, so use the browser's directly.
    wasm_bindgen_futures::spawn_local(async {
        let base = crate::app::document_base_path();
        let config = load_config_file().await;
        let body = web_sys::window().and_then(|w| w.document()).and_then(|d| d.body());
        let Some(body) = body else { return };
        let handle = leptos::mount::mount_to(body.clone(), move || match config.clone() {
            Ok(config) => {
                view! { <AppWith options=AppOptions { config, page_base: base.clone(), host: None }/> }.into_any()
            }
            Err(e) => view! { <ConfigProblem error=e/> }.into_any(),
        });
        handle.forget();
    });
}

async fn load_config_file() -> Result<RuntimeConfig, ConfigError> {
    let url = "config.json";
    let err = |detail: String| ConfigError {
        source: url.to_string(),
        detail,
    };
    let resp = crate::api::transport::send(crate::api::HttpMethod::Get, url, &[], None)
        .await
        .map_err(|e| err(e.to_string()))?;
    match resp.status {
        200 => {
            let text = resp.text;
            // A static host's SPA fallback may answer index.html for a missing file.
            if text.trim_start().starts_with('<') {
                return Ok(RuntimeConfig::default());
            }
            RuntimeConfig::parse(&text, url)
        }
        404 => Ok(RuntimeConfig::default()),
        s => Err(err(format!("HTTP {s}"))),
    }
}

#[component]
fn ConfigProblem(error: ConfigError) -> impl IntoView {
    view! {
        <section class="card narrow" role="alert">
            <h1>"obshell console: configuration error · 配置错误"</h1>
            <p>{error.to_string()}</p>
        </section>
    }
}

/// A mounted console; `unmount()` removes it and stops its timers.
#[wasm_bindgen]
pub struct MountHandle {
    handle: Option<leptos::mount::UnmountHandle<leptos::tachys::view::any_view::AnyViewState>>,
}

#[wasm_bindgen]
impl MountHandle {
    pub fn unmount(&mut self) {
        // Dropping the handle unmounts the view and disposes its reactive owner.
        self.handle.take();
    }
}

/// Embeds a console in `element`. `options` (all optional): `apiBase`, `agentPrefix`, `lang`
/// (`en`/`zh`), `profiles`, `initialRoute`, `ssoToken`. Unknown or malformed options are an
/// error (thrown), never half-applied. Events on `element`: `obshell:task-submitted` and
/// `obshell:task-finished`, with `detail = {id, name, state, operator}`.
#[wasm_bindgen]
pub fn mount(element: HtmlElement, options: JsValue) -> Result<MountHandle, JsValue> {
    let json = if options.is_undefined() || options.is_null() {
        "{}".to_string()
    } else {
        js_sys::JSON::stringify(&options)?.as_string().unwrap_or_default()
    };
    let config = RuntimeConfig::parse(&json, "mount options").map_err(|e| JsValue::from_str(&e.to_string()))?;
    let host = element.clone();
    let handle = leptos::mount::mount_to(element, move || {
        view! { <AppWith options=AppOptions { config: config.clone(), page_base: String::new(), host: Some(send_wrapper::SendWrapper::new(host.clone())) }/> }.into_any()
    });
    Ok(MountHandle { handle: Some(handle) })
}

/// Where the console tells its host about tasks (the mount element; `<body>` standalone), and
/// which tasks it still owes an `obshell:task-finished` for.
#[derive(Clone)]
pub struct HostEvents {
    target: Option<send_wrapper::SendWrapper<HtmlElement>>,
    /// DAGs submitted from this mount, or seen unfinished by one of its task views, whose end
    /// has not been reported yet.
    watched: std::sync::Arc<std::sync::Mutex<std::collections::HashSet<String>>>,
}

impl HostEvents {
    pub fn new(target: Option<send_wrapper::SendWrapper<HtmlElement>>) -> Self {
        HostEvents {
            target,
            watched: Default::default(),
        }
    }

    fn watched(&self) -> std::sync::MutexGuard<'_, std::collections::HashSet<String>> {
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
