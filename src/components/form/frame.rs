//! The one field wrapper every input of the console uses: label, hint, message, and the ARIA
//! wiring between them. [`FieldAria`] names the ids once; the control takes its `id`,
//! `aria-invalid` and `aria-describedby` from it, so no input can lose them.

use crate::components::untrusted::{untrusted_as, Show};
use leptos::prelude::*;

/// A field's value as an input edits it: read it, set it. One form store or a plain signal.
#[derive(Clone, Copy)]
pub struct Binding {
    pub get: Signal<String>,
    pub set: Callback<String>,
}

impl From<RwSignal<String>> for Binding {
    fn from(s: RwSignal<String>) -> Self {
        Binding {
            get: s.into(),
            set: Callback::new(move |v| s.set(v)),
        }
    }
}

/// The ids and state a control needs: its own id, the ids that describe it (hint, message, and
/// any message shown elsewhere), and whether it is invalid (its own error, or one shown
/// elsewhere about it).
#[derive(Clone)]
pub struct FieldAria {
    pub id: String,
    pub hint_id: String,
    pub msg_id: String,
    pub described_by: String,
    pub invalid: Signal<bool>,
}

impl FieldAria {
    /// For a control `id` whose own message is `error`; `also` names another message element
    /// that describes it (e.g. the storage editor's, under its URI preview).
    pub fn new(id: &str, error: Signal<Option<String>>, also: Option<(String, Signal<bool>)>) -> Self {
        let hint_id = format!("{id}-hint");
        let msg_id = format!("{id}-msg");
        let (described_by, invalid) = match also {
            Some((other, other_invalid)) => (
                format!("{hint_id} {msg_id} {other}"),
                Signal::derive(move || error.with(Option::is_some) || other_invalid.get()),
            ),
            None => (
                format!("{hint_id} {msg_id}"),
                Signal::derive(move || error.with(Option::is_some)),
            ),
        };
        FieldAria {
            id: id.to_string(),
            hint_id,
            msg_id,
            described_by,
            invalid,
        }
    }

    /// `aria-invalid`'s value.
    pub fn invalid_attr(&self) -> impl Fn() -> &'static str + Send + Sync + Clone + 'static {
        let invalid = self.invalid;
        move || if invalid.get() { "true" } else { "false" }
    }
}

/// Label, the control (`children`), hint and message, in a `.field` marked invalid with it.
#[component]
pub fn FieldFrame(
    aria: FieldAria,
    #[prop(into)] label: Signal<String>,
    #[prop(optional, into)] hint: Signal<String>,
    #[prop(optional, into)] error: Signal<Option<String>>,
    #[prop(optional, into)] warning: Signal<Option<String>>,
    /// Classes beside `field`.
    #[prop(optional)]
    class: &'static str,
    children: Children,
) -> impl IntoView {
    let invalid = aria.invalid;
    view! {
        <div class=format!("field {class}") class:invalid=move || invalid.get()>
            <label for=aria.id.clone()>{move || label.get()}</label>
            {children()}
            // A hint may name a value (what this tab sent): shown as untrusted text.
            <p id=aria.hint_id.clone() class="hint">{move || untrusted_as(hint.get(), Show::TEXT)}</p>
            <FieldMessage id=aria.msg_id.clone() error=error warning=warning/>
        </div>
    }
}

/// The error (or warning) line under a field; announced politely to screen readers. Messages
/// echo what was typed (and the agent's refusal of it): shown as untrusted text.
#[component]
pub fn FieldMessage(
    #[prop(into)] id: String,
    #[prop(into)] error: Signal<Option<String>>,
    #[prop(optional, into)] warning: Signal<Option<String>>,
) -> impl IntoView {
    view! {
        <p id=id class="field-msg" aria-live="polite">
            {move || error.get().map(|e| view! { <span class="error">{untrusted_as(e, Show::TEXT)}</span> })}
            {move || if error.get().is_none() { warning.get().map(|w| view! { <span class="warning">{untrusted_as(w, Show::TEXT)}</span> }) } else { None }}
        </p>
    }
}
