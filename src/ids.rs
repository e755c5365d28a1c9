//! Element ids unique per mounted console: labels, `aria-*` references and the skip link of one
//! console never point into another console on the same page. A standalone console keeps the
//! plain ids; each embedded mount prefixes them with `obshell-<n>-`.

use leptos::prelude::*;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The id prefix of the current mount (provided by the app shell).
#[derive(Clone, Debug, Default)]
pub struct IdScope(pub String);

impl IdScope {
    /// A fresh prefix for an embedded mount.
    pub fn next_embedded() -> IdScope {
        static MOUNTS: AtomicUsize = AtomicUsize::new(0);
        IdScope(format!("obshell-{}-", MOUNTS.fetch_add(1, Ordering::Relaxed) + 1))
    }
}

/// The element id for `base` in the current mount.
pub fn uid(base: &str) -> String {
    match use_context::<IdScope>() {
        Some(s) if !s.0.is_empty() => format!("{}{base}", s.0),
        _ => base.to_string(),
    }
}

/// The HTML element with this (full) id in the document, e.g. to move the focus to it.
pub fn html_element(id: &str) -> Option<web_sys::HtmlElement> {
    use wasm_bindgen::JsCast;
    document()
        .get_element_by_id(id)
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
}
