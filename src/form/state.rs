//! The form's one store: every field's text in one signal (keyed by field, so each input, the
//! request, the review and the draft read the same values), the method, the baseline the agent
//! reported, and whether the user tried to submit.

use super::fields::{FieldSpec, Readback};
use super::values::FormValues;
use leptos::prelude::*;
use obshell_proto::backup::{Field, Method};

#[derive(Clone, Copy, PartialEq)]
pub struct FormState {
    pub values: RwSignal<FormValues>,
    pub method: RwSignal<Method>,
    /// What the form started from (the agent's current values): the PATCH baseline.
    pub baseline: RwSignal<FormValues>,
    /// Set once the user tried to submit: from then on "required" errors show too.
    pub submitted: RwSignal<bool>,
}

impl FormState {
    /// An empty form (signals of the current reactive owner).
    pub fn new() -> Self {
        FormState {
            values: RwSignal::new(FormValues::default()),
            method: RwSignal::new(Method::Set),
            baseline: RwSignal::new(FormValues::default()),
            submitted: RwSignal::new(false),
        }
    }

    /// One field's text; reads track only that field.
    pub fn value(&self, field: Field) -> Memo<String> {
        let values = self.values;
        Memo::new(move |_| values.with(|v| v.get(field).to_string()))
    }

    pub fn set(&self, field: Field, value: String) {
        self.values.update(|v| v.set(field, value));
    }

    /// Fills the fields the agent reports (`Readback`) from its current values, without
    /// overwriting what the user already typed; they become the baseline.
    pub fn fill_untouched(&self, current: &FormValues, fields: impl Iterator<Item = &'static FieldSpec>) {
        self.values.update(|v| {
            for spec in fields.filter(|s| s.readback != Readback::None) {
                if v.get(spec.field).is_empty() {
                    v.set(spec.field, current.get(spec.field));
                }
            }
        });
        self.baseline.set(current.clone());
    }
}

impl Default for FormState {
    fn default() -> Self {
        Self::new()
    }
}
