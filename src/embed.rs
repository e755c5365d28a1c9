//! Starting the console: standalone (the whole page, `config.json`) or embedded in a host page
//! (`mount(element, options)` → handle with `unmount()`), and the DOM events a host listens to.

use crate::app::AppWith;
use crate::config::{ConfigError, RuntimeConfig};
use crate::context::{MountOptions, Placement};
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use web_sys::HtmlElement;

/// Standalone start: reads `config.json` beside `index.html` (absent: defaults) and mounts on
/// `<body>`, with the route in the address bar.
pub fn start_standalone() {
    // Leptos' executor is set up by mounting; this runs before, so use the browser's directly.
    wasm_bindgen_futures::spawn_local(async {
        let base = crate::app::document_base_path();
        let mut config = load_config_file().await;
        let body = web_sys::window().and_then(|w| w.document()).and_then(|d| d.body());
        let Some(body) = body else { return };
        // The page's own sign-in form goes now, in the task that mounts the console; a language
        // the user picked there wins over the configuration's.
        if let (Some(lang), Ok(c)) = (crate::prepaint::take_over(), config.as_mut()) {
            c.lang = Some(if lang == obshell_proto::Lang::Zh { "zh" } else { "en" }.to_string());
        }
        // The agent's status, key and clock are asked for now; they arrive while the console
        // mounts, and its sign-in page takes them over.
        if let Ok(c) = &config {
            let (agent, lang) = crate::context::first_agent(c, &base);
            crate::api::connect_early(agent, lang);
            // Let the requests go out (the bootstrap task runs first) before the mount.
            let _ = wasm_bindgen_futures::JsFuture::from(js_sys::Promise::resolve(&JsValue::UNDEFINED)).await;
        }
        let handle = leptos::mount::mount_to(body.clone(), move || {
            match config.clone() {
            Ok(config) => {
                view! { <AppWith options=MountOptions { config, placement: Placement::Standalone { page_base: base.clone() } }/> }.into_any()
            }
            Err(e) => view! { <ConfigProblem error=e/> }.into_any(),
        }
        });
        handle.forget();
        crate::prepaint::restore_focus();
    });
}

async fn load_config_file() -> Result<RuntimeConfig, ConfigError> {
    let url = "config.json";
    let err = |detail: String| ConfigError {
        source: url.to_string(),
        detail,
    };
    let resp = crate::api::http::get_file(url).await.map_err(|e| err(e.to_string()))?;
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
        let placement = Placement::Embedded {
            host: send_wrapper::SendWrapper::new(host.clone()),
        };
        view! { <AppWith options=MountOptions { config: config.clone(), placement }/> }.into_any()
    });
    Ok(MountHandle { handle: Some(handle) })
}
