//! The one table of the backup form's fields. Every view of a field comes from its row: the
//! input the page renders (kind, label, hint, element id), where it appears (scope, section),
//! where its current value is read from, and (through `obshell_proto::backup::Field`, the row's
//! key) its place in the request, the validation messages and the drafts.

use obshell_proto::backup::{Field, Scope};
use obshell_proto::duration::Unit;

/// How a field is edited.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Input {
    /// A storage destination URI (structured editor or raw URI).
    Destination,
    /// A whole number (the agent takes JSON integers only).
    Integer,
    /// One of fixed values: `(value, label key)`; `""` is "not set".
    Choice(&'static [(&'static str, &'static str)]),
    /// Number + unit in the agent's grammar; the unit offered while empty.
    Duration(Unit),
    /// On (`value`) or off (`""`).
    Toggle(&'static str),
}

/// Where a field is shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Section {
    Destinations,
    Archive,
    DeletePolicy,
}

/// Where the agent reports a field's current value (spec `docs/protocol.md` §4.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Readback {
    /// `GET /api/v1/tenant/{t}/backup/config/storage`: `archive_base_uri` / `data_base_uri`.
    ArchiveDest,
    DataDest,
    /// `GET /api/v1/tenant/{t}/parameter/{name}`.
    Parameter(&'static str),
    /// Nothing reports it.
    None,
}

/// One row of the table.
#[derive(Clone, Copy, Debug)]
pub struct FieldSpec {
    pub field: Field,
    /// Element id (the mount's id prefix is added).
    pub id: &'static str,
    /// Label text key.
    pub label: &'static str,
    /// Hint text key (`""`: none).
    pub hint: &'static str,
    pub input: Input,
    pub section: Section,
    /// The scopes whose form has it.
    pub scopes: &'static [Scope],
    /// Shown only while this field has a value (the recovery window of a delete policy).
    pub shown_with: Option<Field>,
    pub readback: Readback,
}

const BOTH: &[Scope] = &[Scope::Cluster, Scope::Tenant];

/// No "not set": the binding is written explicitly with every archive destination.
pub const BINDING_CHOICES: &[(&str, &str)] = &[
    ("OPTIONAL", "field.binding_optional"),
    ("MANDATORY", "field.binding_mandatory"),
];

/// The fields in form order.
pub const FIELDS: [FieldSpec; 10] = [
    FieldSpec {
        field: Field::BackupBaseUri,
        id: "backup-base",
        label: "field.backup_base_uri",
        hint: "",
        input: Input::Destination,
        section: Section::Destinations,
        scopes: &[Scope::Cluster],
        shown_with: None,
        readback: Readback::None,
    },
    FieldSpec {
        field: Field::DataBaseUri,
        id: "data-base",
        label: "field.data_base_uri",
        hint: "",
        input: Input::Destination,
        section: Section::Destinations,
        scopes: &[Scope::Tenant],
        shown_with: None,
        readback: Readback::DataDest,
    },
    FieldSpec {
        field: Field::ArchiveBaseUri,
        id: "archive-base",
        label: "field.archive_base_uri",
        hint: "",
        input: Input::Destination,
        section: Section::Destinations,
        scopes: &[Scope::Tenant],
        shown_with: None,
        readback: Readback::ArchiveDest,
    },
    FieldSpec {
        field: Field::LogArchiveConcurrency,
        id: "log-archive-concurrency",
        label: "field.log_archive_concurrency",
        hint: "field.range_0_100",
        input: Input::Integer,
        section: Section::Archive,
        scopes: BOTH,
        shown_with: None,
        readback: Readback::Parameter("log_archive_concurrency"),
    },
    FieldSpec {
        field: Field::Binding,
        id: "binding",
        label: "field.binding",
        hint: "field.binding_hint",
        input: Input::Choice(BINDING_CHOICES),
        section: Section::Archive,
        scopes: BOTH,
        shown_with: None,
        readback: Readback::None,
    },
    FieldSpec {
        field: Field::PieceSwitchInterval,
        id: "piece-switch-interval",
        label: "field.piece_switch_interval",
        hint: "field.piece_hint",
        input: Input::Duration(Unit::D),
        section: Section::Archive,
        scopes: BOTH,
        shown_with: None,
        readback: Readback::None,
    },
    FieldSpec {
        field: Field::ArchiveLagTarget,
        id: "archive-lag-target",
        label: "field.archive_lag_target",
        hint: "field.lag_hint",
        input: Input::Duration(Unit::M),
        section: Section::Archive,
        scopes: BOTH,
        shown_with: None,
        readback: Readback::Parameter("archive_lag_target"),
    },
    FieldSpec {
        field: Field::HaLowThreadScore,
        id: "ha-low-thread-score",
        label: "field.ha_low_thread_score",
        hint: "field.range_0_100",
        input: Input::Integer,
        section: Section::Archive,
        scopes: BOTH,
        shown_with: None,
        readback: Readback::Parameter("ha_low_thread_score"),
    },
    FieldSpec {
        field: Field::DeletePolicy,
        id: "delete-policy",
        label: "field.delete_policy_enable",
        hint: "",
        input: Input::Toggle(obshell_proto::backup::DELETE_POLICY_DEFAULT),
        section: Section::DeletePolicy,
        scopes: BOTH,
        shown_with: None,
        readback: Readback::None,
    },
    FieldSpec {
        field: Field::RecoveryWindow,
        id: "recovery-window",
        label: "field.recovery_window",
        hint: "field.recovery_window_hint",
        input: Input::Duration(Unit::D),
        section: Section::DeletePolicy,
        scopes: BOTH,
        shown_with: Some(Field::DeletePolicy),
        readback: Readback::None,
    },
];

impl FieldSpec {
    /// A setting the agent cannot report, whose current value is only known from what was sent.
    pub fn unreportable(&self) -> bool {
        self.readback == Readback::None && self.input != Input::Destination
    }
}

/// The row of `field`.
pub fn spec(field: Field) -> &'static FieldSpec {
    FIELDS.iter().find(|s| s.field == field).expect("every Field has a row")
}

/// The rows of `scope`'s form, in form order.
pub fn fields_of(scope: Scope) -> impl Iterator<Item = &'static FieldSpec> {
    FIELDS.iter().filter(move |s| s.scopes.contains(&scope))
}

/// Every row, whatever the scope.
pub fn fields_of_any() -> impl Iterator<Item = &'static FieldSpec> {
    FIELDS.iter()
}

/// The archive destination field of `scope` (binding and piece switch interval belong to it).
pub fn archive_field(scope: Scope) -> Field {
    match scope {
        Scope::Cluster => Field::BackupBaseUri,
        Scope::Tenant => Field::ArchiveBaseUri,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_has_one_row_and_unique_ids() {
        let mut ids: Vec<&str> = FIELDS.iter().map(|s| s.id).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), FIELDS.len());
        for s in &FIELDS {
            assert_eq!(spec(s.field).id, s.id);
        }
        assert_eq!(fields_of(Scope::Cluster).count(), 8);
        assert_eq!(fields_of(Scope::Tenant).count(), 9);
    }
}
