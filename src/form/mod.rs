//! The backup form's model, declared once:
//!
//! - [`fields`]: the one table of fields (input kind, label, hint, id, scope, section, where the
//!   agent reports the current value);
//! - [`state`]: the form's one store (values by field, method, baseline);
//! - [`values`]: the values and how they become a request (`obshell_proto::backup::BackupConfig`);
//! - [`check`]: what is wrong with the request (the agent's rules, what its task would refuse,
//!   input problems), one message per field;
//! - [`review`]: the change table the review shows; [`equivalents`]: the same request as the
//!   obshell CLI and Python SDK would send it.
//!
//! The agent's rules themselves are in `obshell_proto::backup`; views are in
//! `components::form` and `pages::backup`.

pub mod check;
pub mod equivalents;
pub mod fields;
pub mod review;
pub mod state;
pub mod values;

pub use check::{messages, Messages, Problems};
pub use fields::{fields_of, fields_of_any, spec, FieldSpec, Input, Readback, Section, FIELDS};
pub use review::redacted_json;
pub use state::{FormState, Known, Source};
pub use values::{FormValues, InputProblem};
