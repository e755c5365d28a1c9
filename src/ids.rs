//! Element ids unique per mounted console (see `context::IdScope`): a standalone console keeps
//! the plain ids; each embedded mount prefixes them with `obshell-<n>-`.

use crate::context::IdScope;
use leptos::prelude::*;

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
