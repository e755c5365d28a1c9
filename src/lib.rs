//! obshell console: a browser console for the OceanBase obshell agent (backup configuration and
//! task DAGs), on Leptos 0.8 (CSR). Protocol rules live in `obshell-proto`; this crate is the UI:
//!
//! - [`api`]: the `AgentClient` (bootstrap, sign-in, sealed requests through gloo-net,
//!   recoveries); [`routes`]: the request targets;
//! - [`context`]: what one mounted console shares, provided in one place;
//! - [`form`]: the backup form's model (one field table, one store, request, messages);
//! - [`components`]: reusable views (form widgets, task views, dialogs); [`poll`]: live polling;
//! - [`pages`]: the routes; [`nav`]: in-app navigation (address bar only when standalone);
//! - [`app`]: the shell; [`config`], [`embed`]: runtime configuration, `mount(element, options)`;
//! - [`i18n`], [`ids`]: English and Chinese texts, per-mount element ids; [`prepaint`]: the
//!   page's own sign-in form until the wasm takes it over.
//!
//! Modules import downwards only (checked by `scripts/module-graph.py`): entry points (`embed`,
//! `app`) → `pages` → `components` → `form`, `context`, `poll` → `api`, `routes`, `nav`, `i18n`.

pub mod api;
pub mod app;
pub mod components;
pub mod config;
pub mod context;
pub mod embed;
pub mod form;
pub mod i18n;
pub mod ids;
pub mod nav;
pub mod pages;
pub mod poll;
pub mod prepaint;
pub mod routes;

pub use embed::{mount, MountHandle};

/// Standalone start (called by `boot.js`): `config.json`, then the console on `<body>`.
#[wasm_bindgen::prelude::wasm_bindgen(js_name = start_standalone)]
pub fn start() {
    console_panic_hook();
    embed::start_standalone();
}

/// Panics go to the browser console (no secrets are ever part of a panic message).
fn console_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        web_sys::console::error_1(&info.to_string().into());
    }));
}
