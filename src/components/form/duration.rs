//! A duration as number + unit (ns … d), in the agent's grammar. What the user types is kept as
//! one text value (`6d`); a value the number+unit editor cannot show (e.g. `1h30m` pasted in a
//! form restored from elsewhere) is shown as is, so nothing typed is lost.

use super::frame::{Binding, FieldAria, FieldFrame};
use crate::i18n::{text_with, use_i18n};
use leptos::prelude::*;
use obshell_proto::duration::{DurationInput, Unit};

#[component]
pub fn DurationField(
    #[prop(into)] id: String,
    #[prop(into)] label: Signal<String>,
    #[prop(into)] value: Binding,
    #[prop(optional, into)] error: Signal<Option<String>>,
    #[prop(optional, into)] warning: Signal<Option<String>>,
    #[prop(optional, into)] hint: Signal<String>,
    /// The unit offered while nothing is typed: the one this setting is usually given in (a lag
    /// target of "2" must not silently mean two days).
    #[prop(default = Unit::D)]
    default_unit: Unit,
) -> impl IntoView {
    let i18n = use_i18n();
    let split = move || DurationInput::split(&value.get.get());
    // The number box shows the digits; a value that does not split is shown whole.
    let number = move || match split() {
        Some(d) => d.value.to_string(),
        None => value.get.get(),
    };
    let unit = RwSignal::new(split().map(|d| d.unit).unwrap_or(default_unit));
    Effect::new(move |_| {
        if let Some(d) = split() {
            unit.set(d.unit);
        }
    });
    let set_number = move |n: String| {
        let n = n.trim().to_string();
        value.set.run(if n.is_empty() {
            String::new()
        } else if n.bytes().all(|b| b.is_ascii_digit()) {
            format!("{n}{}", unit.get_untracked().suffix())
        } else {
            n
        });
    };
    let set_unit = move |u: String| {
        if let Some(u) = Unit::from_suffix(&u) {
            unit.set(u);
            if let Some(d) = split() {
                value.set.run(
                    DurationInput {
                        value: d.value,
                        unit: u,
                    }
                    .to_string(),
                );
            }
        }
    };
    let aria = FieldAria::new(&id, error, None);
    let unit_id = format!("{id}-unit");
    // The unit picker is named after its field ("Unit of Piece switch interval"), not "Unit".
    let unit_label = move || text_with(i18n.lang.get(), "field.unit_of", &[("field", &label.get())]);
    view! {
        <FieldFrame aria=aria.clone() label=label hint=hint error=error warning=warning class="duration">
            <div class="row">
                <input
                    id=aria.id.clone()
                    type="text"
                    inputmode="numeric"
                    autocomplete="off"
                    aria-invalid=aria.invalid_attr()
                    aria-describedby=aria.described_by.clone()
                    prop:value=number
                    on:input=move |ev| set_number(event_target_value(&ev))
                />
                <label class="visually-hidden" for=unit_id.clone()>{unit_label}</label>
                <select id=unit_id on:change=move |ev| set_unit(event_target_value(&ev))>
                    {Unit::ALL
                        .into_iter()
                        .map(|u| view! { <option value=u.suffix() selected=move || unit.get() == u>{u.suffix()}</option> })
                        .collect_view()}
                </select>
            </div>
        </FieldFrame>
    }
}
