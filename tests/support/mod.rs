//! Helpers for driving mounted components like a user would (input events, clicks) and reading
//! the DOM back.

use leptos::prelude::*;
use obshell_console::api::{AgentClient, ClientConfig};
use obshell_console::i18n::I18n;
use obshell_console::pages::backup::BackupPage;
use obshell_proto::backup::Scope;
use obshell_proto::Lang;
use wasm_bindgen::JsCast;
use web_sys::{Element, Event, EventInit, HtmlElement, HtmlInputElement, HtmlSelectElement};

pub fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

/// Lets the reactive system and pending futures run.
pub async fn settle() {
    gloo_timers::future::TimeoutFuture::new(20).await;
}

/// Mounts the backup page of `scope` in a fresh container with the app's contexts; the agent
/// base points nowhere, so only local behaviour is exercised.
pub async fn mount_page(scope: Scope) -> HtmlElement {
    let root: HtmlElement = document().create_element("div").unwrap().unchecked_into();
    document().body().unwrap().append_child(&root).unwrap();
    let handle = leptos::mount::mount_to(root.clone(), move || {
        let i18n = I18n::new(Lang::En);
        provide_context(i18n);
        provide_context(AgentClient::new(
            ClientConfig {
                api_base: "http://127.0.0.1:9".into(),
                agent_prefix: String::new(),
            },
            i18n.lang,
        ));
        provide_context(obshell_console::nav::Nav::in_memory(
            obshell_console::nav::Route::ClusterBackup,
        ));
        view! { <BackupPage scope=scope/> }
    });
    handle.forget();
    settle().await;
    root
}

pub fn cleanup(root: HtmlElement) {
    root.set_inner_html("");
    root.remove();
}

pub fn find(root: &HtmlElement, sel: &str) -> Element {
    root.query_selector(sel)
        .unwrap()
        .unwrap_or_else(|| panic!("no element matches {sel}"))
}

pub fn input(root: &HtmlElement, sel: &str) -> HtmlInputElement {
    find(root, sel).unchecked_into()
}

pub fn text(root: &HtmlElement, sel: &str) -> String {
    find(root, sel).text_content().unwrap_or_default().trim().to_string()
}

fn fire(el: &Element, kind: &str) {
    let init = EventInit::new();
    init.set_bubbles(true);
    el.dispatch_event(&Event::new_with_event_init_dict(kind, &init).unwrap())
        .unwrap();
}

/// Replaces an input's value and fires `input`, as typing does.
pub async fn set_value(root: &HtmlElement, sel: &str, value: &str) {
    let el = input(root, sel);
    el.set_value(value);
    fire(&el, "input");
    settle().await;
}

pub async fn type_into(root: &HtmlElement, sel: &str, value: &str) {
    set_value(root, sel, value).await
}

pub async fn select(root: &HtmlElement, sel: &str, value: &str) {
    let el: HtmlSelectElement = find(root, sel).unchecked_into();
    el.set_value(value);
    fire(&el, "change");
    settle().await;
}

pub async fn click(root: &HtmlElement, sel: &str) {
    let el: HtmlElement = find(root, sel).unchecked_into();
    el.click();
    settle().await;
}

/// Clicks the first `tag` element whose text contains `label`.
pub async fn click_text(root: &HtmlElement, tag: &str, label: &str) {
    let list = root.query_selector_all(tag).unwrap();
    for i in 0..list.length() {
        let el: HtmlElement = list.item(i).unwrap().unchecked_into();
        if el.text_content().unwrap_or_default().contains(label) {
            el.click();
            settle().await;
            return;
        }
    }
    panic!("no {tag} with text {label:?}");
}

/// Submits the backup form (the "Review…" button).
pub async fn submit(root: &HtmlElement) {
    click(root, "form.backup-form button[type=submit]").await;
}
