//! A text input in the field wrapper.

use super::frame::{Binding, FieldAria, FieldFrame};
use leptos::prelude::*;

#[component]
pub fn TextField(
    #[prop(into)] id: String,
    #[prop(into)] label: Signal<String>,
    #[prop(into)] value: Binding,
    #[prop(optional, into)] error: Signal<Option<String>>,
    #[prop(optional, into)] warning: Signal<Option<String>>,
    #[prop(optional, into)] hint: Signal<String>,
    #[prop(optional, into)] placeholder: String,
    #[prop(optional)] inputmode: &'static str,
    /// Marked invalid by a message shown elsewhere (the storage editor's, under its URI), which
    /// `described_by` names.
    #[prop(optional, into)]
    invalid_by: Signal<bool>,
    #[prop(optional, into)] described_by: Option<String>,
) -> impl IntoView {
    let aria = FieldAria::new(&id, error, described_by.map(|other| (other, invalid_by)));
    view! {
        <FieldFrame aria=aria.clone() label=label hint=hint error=error warning=warning>
            <input
                id=aria.id.clone()
                type="text"
                autocomplete="off"
                spellcheck="false"
                inputmode=(!inputmode.is_empty()).then_some(inputmode)
                placeholder=placeholder
                aria-invalid=aria.invalid_attr()
                aria-describedby=aria.described_by.clone()
                prop:value=move || value.get.get()
                on:input=move |ev| value.set.run(event_target_value(&ev))
            />
        </FieldFrame>
    }
}
