//! A select with fixed options `(value, label)` in the field wrapper.

use super::frame::{Binding, FieldAria, FieldFrame};
use leptos::prelude::*;

#[component]
pub fn SelectField(
    #[prop(into)] id: String,
    #[prop(into)] label: Signal<String>,
    #[prop(into)] value: Binding,
    #[prop(into)] options: Signal<Vec<(String, String)>>,
    #[prop(optional, into)] error: Signal<Option<String>>,
    #[prop(optional, into)] hint: Signal<String>,
) -> impl IntoView {
    let aria = FieldAria::new(&id, error, None);
    view! {
        <FieldFrame aria=aria.clone() label=label hint=hint error=error>
            <select
                id=aria.id.clone()
                aria-invalid=aria.invalid_attr()
                aria-describedby=aria.described_by.clone()
                on:change=move |ev| value.set.run(event_target_value(&ev))
            >
                {move || {
                    let current = value.get.get();
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
        </FieldFrame>
    }
}
