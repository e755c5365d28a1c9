//! Everything wrong with a form's request, by field, and what to say at each field: the agent's
//! rules (in the UI language), what the task would refuse later, and input problems. A form with
//! any of them is blocked: nothing is sent.

use super::fields::{spec, Input};
use super::state::{Known, Source};
use super::values::{FormValues, InputProblem};
use crate::i18n::{text, text_with};
use obshell_proto::backup::{self, BackupConfig, Field, Method, Refusal, Scope};
use obshell_proto::errors::codes;
use obshell_proto::storage::{same_destination, StorageWarning};
use obshell_proto::{AgentError, Lang};
use std::collections::HashMap;

/// One message per field.
pub type Messages = HashMap<Field, String>;

/// The problems of one request.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Problems {
    /// The agent's own validation (its messages), and the URI structure its task checks first.
    pub agent: Vec<(Field, AgentError)>,
    /// What the task would refuse although the agent accepts the request.
    pub refusals: Vec<(Field, Refusal)>,
    /// What cannot even become a request.
    pub input: Vec<(Field, InputProblem)>,
}

impl Problems {
    pub fn of(request: &BackupConfig, input: &[(Field, InputProblem)], scope: Scope, method: Method) -> Problems {
        Problems {
            agent: backup::field_errors(request, scope, method),
            refusals: backup::task_refusals(request, scope),
            input: input.to_vec(),
        }
    }

    pub fn is_blocking(&self) -> bool {
        !(self.agent.is_empty() && self.refusals.is_empty() && self.input.is_empty())
    }

    /// The object-store parts missing from a destination field's URI (to mark those inputs).
    pub fn missing_parts(&self, field: Field) -> Vec<StorageWarning> {
        self.refusals
            .iter()
            .filter_map(|(f, r)| match r {
                Refusal::Storage(w) if *f == field => Some(*w),
                _ => None,
            })
            .collect()
    }
}

/// The messages for a form's problems. "Required" errors are held back until the user tried to
/// submit (`show_required`): an empty form is not wrong yet, only incomplete.
pub fn messages(
    lang: Lang,
    problems: &Problems,
    values: &FormValues,
    baseline: &Known,
    show_required: bool,
) -> Messages {
    let mut m = Messages::new();
    for (f, p) in &problems.input {
        m.entry(*f).or_insert_with(|| match p {
            InputProblem::NotAnInteger => text(lang, "form.not_integer"),
            InputProblem::RequiredWithArchiveDestination => text(lang, "form.required_with_archive"),
        });
    }
    for (f, e) in &problems.agent {
        let required = [
            &codes::OB_BACKUP_BASE_URI_EMPTY,
            &codes::OB_BACKUP_DATA_BASE_URI_EMPTY,
            &codes::OB_BACKUP_ARCHIVE_BASE_URI_EMPTY,
        ]
        .contains(&e.code());
        if required && !show_required {
            continue;
        }
        m.entry(*f).or_insert_with(|| e.message(lang));
    }
    for (f, r) in &problems.refusals {
        m.entry(*f)
            .or_insert_with(|| refusal_message(lang, *f, r, values, baseline));
    }
    m
}

fn refusal_message(lang: Lang, field: Field, r: &Refusal, values: &FormValues, baseline: &Known) -> String {
    match r {
        Refusal::Storage(StorageWarning::MissingHost) => text(lang, "form.missing_host"),
        Refusal::Storage(_) if reported_unchanged(field, values, baseline) => {
            text(lang, "form.credentials_not_reported")
        }
        Refusal::Storage(_) => text(lang, "form.missing_credentials"),
        Refusal::RecoveryWindow(_) if values.get(Field::RecoveryWindow).trim().is_empty() => {
            text(lang, "form.recovery_window_empty")
        }
        Refusal::QuoteInDestination => text(lang, "form.quote_in_destination"),
        Refusal::RecoveryWindow(e) => text_with(lang, "form.recovery_window_refused", &[("reason", &e.message(lang))]),
    }
}

/// A destination as the agent reported it (without credentials), not edited since.
fn reported_unchanged(field: Field, values: &FormValues, baseline: &Known) -> bool {
    spec(field).input == Input::Destination
        && matches!(baseline.source(field), Some(Source::Reported | Source::Inferred))
        && same_destination(values.get(field), baseline.values.get(field))
}
