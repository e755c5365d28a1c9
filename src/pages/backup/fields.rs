//! The backup form's inputs, generated from its field table: each row's input kind picks the
//! widget, the row gives its id, label and hint, the form store its value.

use crate::components::form::duration::DurationField;
use crate::components::form::select::SelectField;
use crate::components::form::storage::StorageEditor;
use crate::components::form::text::TextField;
use crate::components::form::Binding;
use crate::form::{FieldSpec, FormState, Input};
use crate::i18n::use_i18n;
use crate::ids::uid;
use leptos::prelude::*;

/// The input of one field of the table.
#[component]
pub fn SpecField(
    spec: &'static FieldSpec,
    form: FormState,
    #[prop(into)] error: Signal<Option<String>>,
    #[prop(optional, into)] warning: Signal<Option<String>>,
    /// For a destination: the object-store parts its URI lacks.
    #[prop(optional, into)]
    missing: Signal<Vec<obshell_proto::storage::StorageWarning>>,
    /// What the console knows of the current value, appended to the hint.
    #[prop(optional, into)]
    note: Signal<Option<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let field = spec.field;
    let value = Binding {
        get: form.value(field).into(),
        set: Callback::new(move |v| form.set(field, v)),
    };
    let id = uid(spec.id);
    let label = Signal::derive(move || i18n.now(spec.label));
    let hint = Signal::derive(move || {
        let base = if spec.hint.is_empty() {
            String::new()
        } else {
            i18n.now(spec.hint)
        };
        match note.get() {
            Some(n) if base.is_empty() => n,
            Some(n) => format!("{base} {n}"),
            None => base,
        }
    });
    match spec.input {
        Input::Destination => view! { <StorageEditor id=id legend=label uri=value error=error missing=missing/> }.into_any(),
        Input::Integer => view! {
            <TextField id=id label=label value=value inputmode="numeric" error=error warning=warning hint=hint/>
        }
        .into_any(),
        Input::Choice(choices) => {
            let options = Signal::derive(move || {
                choices
                    .iter()
                    .map(|(v, key)| (v.to_string(), i18n.now(key)))
                    .collect::<Vec<_>>()
            });
            view! { <SelectField id=id label=label value=value options=options error=error hint=hint/> }.into_any()
        }
        Input::Duration(unit) => view! {
            <DurationField id=id label=label value=value error=error warning=warning hint=hint default_unit=unit/>
        }
        .into_any(),
        Input::Toggle(on) => view! {
            <label class="checkbox">
                <input
                    type="checkbox"
                    id=id
                    prop:checked=move || !value.get.get().is_empty()
                    on:change=move |ev| value.set.run(if event_target_checked(&ev) { on.to_string() } else { String::new() })
                />
                {move || label.get()}
            </label>
        }
        .into_any(),
    }
}
