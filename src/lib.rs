//! obshell console: a browser console for the OceanBase obshell agent (backup configuration and
//! task DAGs), on Leptos 0.8 (CSR). Protocol rules live in `obshell-proto`; this crate is the UI:
//!
//! - [`api`]: the `AgentClient` (bootstrap, sign-in, sealed requests, recoveries);
//! - [`i18n`]: English and Chinese texts;
//! - [`components`]: reusable views (fields, storage editor, dialogs, timeline);
//! - [`pages`]: the routes.

pub mod api;
pub mod app;
pub mod components;
pub mod i18n;
pub mod pages;
pub mod routes;

/// Mounts the console on `<body>` (the Trunk entry point).
pub fn start() {
    console_panic_hook();
    leptos::mount::mount_to_body(app::App);
}

/// Panics go to the browser console (no secrets are ever part of a panic message).
fn console_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        web_sys::console::error_1(&info.to_string().into());
    }));
}
