//! A secret input (password, access key): masked, with a reveal toggle; the value never goes
//! into the DOM as text (only the input's value property, which is what a password field is).

use super::frame::{Binding, FieldAria, FieldFrame};
use crate::i18n::use_i18n;
use leptos::prelude::*;

#[component]
pub fn SecretField(
    #[prop(into)] id: String,
    #[prop(into)] label: Signal<String>,
    #[prop(into)] value: Binding,
    #[prop(optional, into)] error: Signal<Option<String>>,
    #[prop(optional, into)] hint: Signal<String>,
    #[prop(optional)] autocomplete: &'static str,
    /// Marked invalid by a message shown elsewhere, which `described_by` names.
    #[prop(optional, into)]
    invalid_by: Signal<bool>,
    #[prop(optional, into)] described_by: Option<String>,
) -> impl IntoView {
    let revealed = RwSignal::new(false);
    let aria = FieldAria::new(&id, error, described_by.map(|other| (other, invalid_by)));
    view! {
        <FieldFrame aria=aria.clone() label=label hint=hint error=error>
            <div class="secret">
                <input
                    id=aria.id.clone()
                    type=move || if revealed.get() { "text" } else { "password" }
                    autocomplete=if autocomplete.is_empty() { "off" } else { autocomplete }
                    spellcheck="false"
                    aria-invalid=aria.invalid_attr()
                    aria-describedby=aria.described_by.clone()
                    prop:value=move || value.get.get()
                    on:input=move |ev| value.set.run(event_target_value(&ev))
                />
                <RevealToggle controls=aria.id.clone() revealed=revealed/>
            </div>
        </FieldFrame>
    }
}

/// "Show"/"Hide" for a masked input.
#[component]
pub fn RevealToggle(#[prop(into)] controls: String, revealed: RwSignal<bool>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <button
            type="button"
            class="reveal"
            aria-controls=controls
            aria-pressed=move || revealed.get().to_string()
            on:click=move |_| revealed.update(|r| *r = !*r)
        >
            {move || if revealed.get() { i18n.now("field.hide") } else { i18n.now("field.show") }}
        </button>
    }
}

/// The account a password belongs to (always `root@sys` for the agent's OceanBase password),
/// hidden: it lets password managers and assistive tech pair the password with its user.
#[component]
pub fn AccountHint() -> impl IntoView {
    view! {
        <input type="text" class="visually-hidden" name="username" autocomplete="username" value="root@sys" readonly tabindex="-1" aria-hidden="true"/>
    }
}
