//! A modal dialog on the native `<dialog>` element, shown with `showModal()` while mounted: the
//! focus moves into it and cannot leave it, the page behind is inert (for pointer, keyboard and
//! screen readers alike), Escape asks to cancel, and when it goes away the focus returns to
//! where it was (the field or button the user was on).

use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

#[component]
pub fn Modal(
    /// Id of the dialog's title (`aria-labelledby`).
    labelled_by: String,
    /// Id of the text that says what the dialog is about (`aria-describedby`).
    #[prop(optional, into)]
    described_by: Option<String>,
    /// Classes beside `modal`.
    #[prop(optional, into)]
    class: Option<String>,
    /// Id of the element to focus first (else the dialog's own choice: `autofocus`, then the
    /// first focusable element).
    #[prop(optional, into)]
    initial_focus: Option<String>,
    /// Escape: the owner decides (e.g. not while a request is being sent).
    on_cancel: Callback<()>,
    children: Children,
) -> impl IntoView {
    let dialog = NodeRef::<html::Dialog>::new();
    // Where the focus was when the dialog opened, to give it back.
    let opener = StoredValue::new_local(None::<web_sys::HtmlElement>);
    Effect::new(move |_| {
        let Some(d) = dialog.get() else { return };
        if d.open() {
            return;
        }
        opener.set_value(
            document()
                .active_element()
                .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()),
        );
        let _ = d.show_modal();
        if let Some(el) = initial_focus.as_deref().and_then(crate::ids::html_element) {
            let _ = el.focus();
        }
    });
    on_cleanup(move || {
        if let Some(d) = dialog.get_untracked() {
            if d.open() {
                d.close();
            }
        }
        // The opener may have been rendered again meanwhile (a list refreshed by a poll): then
        // the element with its id. If it is gone (the page changed), the page's focus rule applies.
        let Some(el) = opener.try_get_value().flatten() else {
            return;
        };
        let el = if el.is_connected() || el.id().is_empty() {
            Some(el)
        } else {
            crate::ids::html_element(&el.id())
        };
        if let Some(el) = el.filter(|el| el.is_connected()) {
            let _ = el.focus();
        }
    });
    view! {
        <dialog class=format!("modal {}", class.unwrap_or_default()) node_ref=dialog aria-labelledby=labelled_by aria-describedby=described_by
            on:cancel=move |ev: web_sys::Event| {
                // Closing is the owner's call: the dialog stays until it unmounts.
                ev.prevent_default();
                on_cancel.run(());
            }>
            {children()}
        </dialog>
    }
}
