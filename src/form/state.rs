//! The form's one store: every field's text in one signal (keyed by field, so each input, the
//! request, the review and the draft read the same values), the method, and what the console
//! knows of the agent's current values (the baseline, with where each value comes from).

use super::fields::spec;
use super::values::FormValues;
use leptos::prelude::*;
use obshell_proto::backup::{Field, Method, BINDING_OPTIONAL};
use std::collections::BTreeMap;

/// OceanBase's piece switch interval when the archive destination is written without one.
pub const PIECE_SWITCH_INTERVAL_DEFAULT: &str = "1d";

/// Where a baseline value comes from: how sure the console is that the agent has it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// The agent reported it (tenant destinations, tenant parameters).
    Reported,
    /// Derived from what the agent reported (the cluster base URI from every tenant's
    /// destinations, a parameter every tenant has the same value of).
    Inferred,
    /// Sent from this browser tab (the agent cannot report it, or has not yet).
    Remembered,
    /// Nothing reports it: OceanBase's default is assumed.
    Default,
    /// The tenants have different values (cluster page).
    Differs,
}

/// The baseline: what the agent (probably) has, field by field, and why the console thinks so.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Known {
    pub values: FormValues,
    pub sources: BTreeMap<Field, Source>,
}

impl Known {
    /// What a console knows before asking the agent anything: binding and piece switch interval
    /// cannot be read back, and OceanBase writes its defaults when the archive destination is
    /// written without them.
    pub fn assumed_defaults() -> Known {
        let mut k = Known::default();
        k.set(Field::Binding, BINDING_OPTIONAL, Source::Default);
        k.set(
            Field::PieceSwitchInterval,
            PIECE_SWITCH_INTERVAL_DEFAULT,
            Source::Default,
        );
        k
    }

    pub fn set(&mut self, field: Field, value: impl Into<String>, source: Source) {
        self.values.set(field, value);
        self.sources.insert(field, source);
    }

    pub fn source(&self, field: Field) -> Option<Source> {
        self.sources.get(&field).copied()
    }

    /// Whether the agent reports anything configured (a destination): the form then updates.
    pub fn configured(&self) -> bool {
        self.values.filled().any(|(f, _)| {
            spec(f).input == super::fields::Input::Destination
                && matches!(self.source(f), Some(Source::Reported | Source::Inferred))
        })
    }
}

#[derive(Clone, Copy, PartialEq)]
pub struct FormState {
    pub values: RwSignal<FormValues>,
    pub method: RwSignal<Method>,
    /// The user picked the method (then loading current values no longer picks it).
    pub method_chosen: RwSignal<bool>,
    /// What the form started from: the PATCH baseline.
    pub baseline: RwSignal<Known>,
    /// Set once the user tried to submit: from then on "required" errors show too.
    pub submitted: RwSignal<bool>,
}

impl FormState {
    /// A form showing the assumed defaults (signals of the current reactive owner).
    pub fn new() -> Self {
        let known = Known::assumed_defaults();
        FormState {
            values: RwSignal::new(known.values.clone()),
            method: RwSignal::new(Method::Set),
            method_chosen: RwSignal::new(false),
            baseline: RwSignal::new(known),
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

    /// Learns `known` values: each becomes the field's baseline, and the field's value too
    /// unless the user changed it from the baseline it had (what was typed is never
    /// overwritten). A configuration the agent reports makes the form an *Update*, unless the
    /// user picked the method.
    pub fn learn(&self, known: &Known) {
        let old = self.baseline.get_untracked();
        self.values.update(|v| {
            for f in known.sources.keys() {
                if v.get(*f) == old.values.get(*f) {
                    v.set(*f, known.values.get(*f));
                }
            }
        });
        self.baseline.update(|b| {
            for (f, source) in &known.sources {
                b.set(*f, known.values.get(*f), *source);
            }
        });
        if known.configured() && !self.method_chosen.get_untracked() {
            self.method.set(Method::Update);
        }
    }
}

impl Default for FormState {
    fn default() -> Self {
        Self::new()
    }
}
