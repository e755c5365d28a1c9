//! What to say at each field: the agent's rule errors (in the UI language) and input problems,
//! one message per field.

use super::values::InputProblem;
use crate::i18n::text;
use obshell_proto::backup::Field;
use obshell_proto::errors::codes;
use obshell_proto::{AgentError, Lang};
use std::collections::HashMap;

/// One message per field.
pub type Messages = HashMap<Field, String>;

/// The messages for a form's problems. "Required" errors are held back until the user tried to
/// submit (`show_required`): an empty form is not wrong yet, only incomplete.
pub fn messages(
    lang: Lang,
    errs: &[(Field, AgentError)],
    problems: &[(Field, InputProblem)],
    show_required: bool,
) -> Messages {
    let mut m = Messages::new();
    for (f, p) in problems {
        m.entry(*f).or_insert_with(|| match p {
            InputProblem::NotAnInteger => text(lang, "form.not_integer"),
        });
    }
    for (f, e) in errs {
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
    m
}
