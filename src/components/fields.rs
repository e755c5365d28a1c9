//! Labelled form fields with their error next to them (`aria-invalid`, `aria-describedby`).
//! Values are plain text signals; turning them into a request is `crate::form`'s job.

use crate::i18n::use_i18n;
use leptos::prelude::*;

/// The error (or warning) line under a field; announced politely to screen readers.
#[component]
pub fn FieldMessage(
    #[prop(into)] id: String,
    #[prop(into)] error: Signal<Option<String>>,
    #[prop(optional, into)] warning: Signal<Option<String>>,
) -> impl IntoView {
    view! {
        <p id=id class="field-msg" aria-live="polite">
            {move || error.get().map(|e| view! { <span class="error">{e}</span> })}
            {move || if error.get().is_none() { warning.get().map(|w| view! { <span class="warning">{w}</span> }) } else { None }}
        </p>
    }
}

/// A text input.
#[component]
pub fn TextField(
    #[prop(into)] id: String,
    #[prop(into)] label: Signal<String>,
    value: RwSignal<String>,
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
    let msg_id = format!("{id}-msg");
    let hint_id = format!("{id}-hint");
    let described = match described_by {
        Some(other) => format!("{hint_id} {msg_id} {other}"),
        None => format!("{hint_id} {msg_id}"),
    };
    let invalid = move || error.get().is_some() || invalid_by.get();
    view! {
        <div class="field" class:invalid=invalid>
            <label for=id.clone()>{move || label.get()}</label>
            <input
                id=id
                type="text"
                autocomplete="off"
                spellcheck="false"
                inputmode=(!inputmode.is_empty()).then_some(inputmode)
                placeholder=placeholder
                aria-invalid=move || invalid().to_string()
                aria-describedby=described
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
            />
            <p id=hint_id class="hint">{move || hint.get()}</p>
            <FieldMessage id=msg_id error=error warning=warning/>
        </div>
    }
}

/// A secret input (password, access key): masked, with a reveal toggle; the value never goes
/// into the DOM as text (only the input's value property, which is what a password field is).
#[component]
pub fn SecretField(
    #[prop(into)] id: String,
    #[prop(into)] label: Signal<String>,
    value: RwSignal<String>,
    #[prop(optional, into)] error: Signal<Option<String>>,
    #[prop(optional)] autocomplete: &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    let revealed = RwSignal::new(false);
    let msg_id = format!("{id}-msg");
    view! {
        <div class="field" class:invalid=move || error.get().is_some()>
            <label for=id.clone()>{move || label.get()}</label>
            <div class="secret">
                <input
                    id=id.clone()
                    type=move || if revealed.get() { "text" } else { "password" }
                    autocomplete=if autocomplete.is_empty() { "off" } else { autocomplete }
                    spellcheck="false"
                    aria-invalid=move || error.get().is_some().to_string()
                    aria-describedby=msg_id.clone()
                    prop:value=move || value.get()
                    on:input=move |ev| value.set(event_target_value(&ev))
                />
                <button
                    type="button"
                    class="reveal"
                    aria-controls=id
                    aria-pressed=move || revealed.get().to_string()
                    on:click=move |_| revealed.update(|r| *r = !*r)
                >
                    {move || if revealed.get() { i18n.now("field.hide") } else { i18n.now("field.show") }}
                </button>
            </div>
            <FieldMessage id=msg_id error=error/>
        </div>
    }
}

/// A select with fixed options `(value, label)`.
#[component]
pub fn SelectField(
    #[prop(into)] id: String,
    #[prop(into)] label: Signal<String>,
    value: RwSignal<String>,
    #[prop(into)] options: Signal<Vec<(String, String)>>,
    #[prop(optional, into)] error: Signal<Option<String>>,
    #[prop(optional, into)] hint: Signal<String>,
) -> impl IntoView {
    let msg_id = format!("{id}-msg");
    view! {
        <div class="field" class:invalid=move || error.get().is_some()>
            <label for=id.clone()>{move || label.get()}</label>
            <select id=id aria-describedby=msg_id.clone() aria-invalid=move || error.get().is_some().to_string() on:change=move |ev| value.set(event_target_value(&ev))>
                {move || {
                    let current = value.get();
                    options
                        .get()
                        .into_iter()
                        .map(|(v, l)| {
                            let selected = v == current;
                            view! { <option value=v selected=selected>{l}</option> }
                        })
                        .collect_view()
                }}
            </select>
            <p class="hint">{move || hint.get()}</p>
            <FieldMessage id=msg_id error=error/>
        </div>
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
