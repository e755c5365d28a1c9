//! The backup form's model, declared once:
//!
//! - [`fields`]: the one table of fields (input kind, label, hint, id, scope, section, where the
//!   agent reports the current value);
//! - [`state`]: the form's one store (values by field, method, baseline);
//! - [`values`]: the values and how they become a request (`obshell_proto::backup::BackupConfig`);
//! - [`messages`]: the agent's rules mapped to one message per field.
//!
//! The agent's rules themselves are in `obshell_proto::backup`; views are in
//! `components::form` and `pages::backup`.

pub mod fields;
pub mod messages;
pub mod state;
pub mod values;

pub use fields::{fields_of, spec, FieldSpec, Input, Readback, Section, FIELDS};
pub use messages::{messages, Messages};
pub use state::FormState;
pub use values::{redacted_json, FormValues, InputProblem};
