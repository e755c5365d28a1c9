//! Helpers for driving mounted components like a user would (input events, clicks) and reading
//! the DOM back.

use leptos::prelude::*;
use obshell_console::config::RuntimeConfig;
use obshell_console::context::{provide_mount, MountOptions, Placement};
use obshell_console::nav::Route;
use obshell_console::pages::backup::BackupPage;
use obshell_proto::backup::Scope;
use wasm_bindgen::JsCast;
use web_sys::{Element, Event, EventInit, HtmlElement, HtmlInputElement, HtmlSelectElement};

pub fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

/// Lets the reactive system and pending futures run.
pub async fn settle() {
    gloo_timers::future::TimeoutFuture::new(20).await;
}

/// The mount contexts the app provides, for components on their own: English, an agent base
/// that points nowhere (only local behaviour is exercised), the route in memory.
pub fn provide_test_mount() {
    let config = RuntimeConfig {
        api_base: Some("http://127.0.0.1:9".into()),
        lang: Some("en".into()),
        ..Default::default()
    };
    provide_mount(&MountOptions {
        config,
        placement: Placement::Detached {
            route: Route::ClusterBackup,
        },
    });
}

/// Mounts the backup page of `scope` in a fresh container with the app's contexts.
pub async fn mount_page(scope: Scope) -> HtmlElement {
    let root: HtmlElement = document().create_element("div").unwrap().unchecked_into();
    // The console's stylesheet applies inside its root element only.
    root.set_class_name("obshell-console");
    document().body().unwrap().append_child(&root).unwrap();
    let handle = leptos::mount::mount_to(root.clone(), move || {
        provide_test_mount();
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
