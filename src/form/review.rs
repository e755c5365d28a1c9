//! The review's change table: for every setting the request writes, what the agent has now
//! (and how the console knows), what it will be, whether credentials are included, and why an
//! unchanged value is written again.

use super::fields::{archive_field, fields_of, spec, Input};
use super::state::{Known, Source};
use obshell_proto::backup::{BackupConfig, Field, Method, Scope};
use obshell_proto::storage::{replace_credentials, same_destination, Scheme};

/// What a credential looks like in the review: present, never shown.
pub const MASK: &str = "••••";

/// The body as the review shows it: exactly what is sent, credentials masked (present or
/// missing, never their value).
pub fn redacted_json(c: &BackupConfig, scope: Scope) -> String {
    let mut v = c.to_json(scope);
    if let Some(m) = v.as_object_mut() {
        for key in ["backup_base_uri", "data_base_uri", "archive_base_uri"] {
            if let Some(serde_json::Value::String(s)) = m.get_mut(key) {
                *s = replace_credentials(s, |_| MASK.to_string());
            }
        }
    }
    serde_json::to_string_pretty(&v).expect("JSON value serializes")
}

/// The agent's current value as far as the console knows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Now {
    Known(String, Source),
    /// The tenants have different values (cluster page).
    Differs,
    Unknown,
}

/// Why a value equal to the current one is part of the request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Again {
    /// Binding and piece switch interval are written with the archive destination.
    WithArchiveDestination,
    /// A *Set* (POST) needs every destination.
    SetNeedsDestinations,
    /// The archive destination carries a changed binding or piece switch interval.
    CarriesBindingAndInterval,
}

/// Which credentials a destination carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Credentials {
    pub access_id: bool,
    pub access_key: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    pub field: Field,
    pub now: Now,
    /// The value sent, credentials masked.
    pub new: String,
    /// For object-store destinations.
    pub credentials: Option<Credentials>,
    pub again: Option<Again>,
}

/// The value of `field` in the request, as sent.
pub fn sent_value(c: &BackupConfig, field: Field) -> Option<String> {
    match field {
        Field::BackupBaseUri => c.backup_base_uri.clone(),
        Field::DataBaseUri => c.data_base_uri.clone(),
        Field::ArchiveBaseUri => c.archive_base_uri.clone(),
        Field::LogArchiveConcurrency => c.log_archive_concurrency.map(|v| v.to_string()),
        Field::HaLowThreadScore => c.ha_low_thread_score.map(|v| v.to_string()),
        Field::Binding => c.binding.clone(),
        Field::PieceSwitchInterval => c.piece_switch_interval.clone(),
        Field::ArchiveLagTarget => c.archive_lag_target.clone(),
        Field::DeletePolicy => c.delete_policy.as_ref().map(|p| p.policy.clone()),
        Field::RecoveryWindow => c.delete_policy.as_ref().map(|p| p.recovery_window.clone()),
    }
}

/// One row per field the request writes, in form order.
pub fn rows(c: &BackupConfig, scope: Scope, method: Method, baseline: &Known) -> Vec<Row> {
    let unchanged = |f: Field, v: &str| {
        let before = baseline.values.get(f);
        match spec(f).input {
            Input::Destination => !before.is_empty() && same_destination(v, before),
            _ => !before.is_empty() && v == before,
        }
    };
    fields_of(scope)
        .filter_map(|s| {
            let v = sent_value(c, s.field)?;
            let now = match baseline.source(s.field) {
                Some(Source::Differs) => Now::Differs,
                Some(src) if !baseline.values.get(s.field).is_empty() => {
                    Now::Known(shown(s.field, baseline.values.get(s.field)), src)
                }
                _ => Now::Unknown,
            };
            let again = unchanged(s.field, &v).then(|| match s.field {
                Field::Binding | Field::PieceSwitchInterval => Some(Again::WithArchiveDestination),
                _ if s.input == Input::Destination && method == Method::Set => Some(Again::SetNeedsDestinations),
                f if f == archive_field(scope) => Some(Again::CarriesBindingAndInterval),
                _ => None,
            });
            Some(Row {
                field: s.field,
                now,
                new: shown(s.field, &v),
                credentials: credentials(s.field, &v),
                again: again.flatten(),
            })
        })
        .collect()
}

/// A value as the review shows it: destinations with their credentials masked.
fn shown(field: Field, v: &str) -> String {
    if spec(field).input == Input::Destination {
        replace_credentials(v, |_| MASK.to_string())
    } else {
        v.to_string()
    }
}

fn credentials(field: Field, uri: &str) -> Option<Credentials> {
    if spec(field).input != Input::Destination || matches!(Scheme::of(uri), Some(Scheme::File) | None) {
        return None;
    }
    let query = uri.split_once('?').map(|(_, q)| q).unwrap_or("");
    let has = |key: &str| {
        query
            .split('&')
            .any(|p| p.split_once('=').is_some_and(|(k, v)| k == key && !v.is_empty()))
    };
    Some(Credentials {
        access_id: has("access_id"),
        access_key: has("access_key"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use obshell_proto::backup::DeletePolicy;

    #[test]
    fn rows_name_each_write_its_current_value_and_why_an_unchanged_one_is_sent() {
        let mut known = Known::assumed_defaults();
        known.set(Field::ArchiveBaseUri, "oss://b/a?host=h", Source::Reported);
        known.set(Field::LogArchiveConcurrency, "0", Source::Reported);
        let c = BackupConfig {
            archive_base_uri: Some("oss://b/a?host=h&access_id=AK&access_key=SK".into()),
            binding: Some("MANDATORY".into()),
            piece_switch_interval: Some("1d".into()),
            log_archive_concurrency: Some(10),
            delete_policy: Some(DeletePolicy {
                policy: "default".into(),
                recovery_window: "7d".into(),
            }),
            ..Default::default()
        };
        let r = rows(&c, Scope::Tenant, Method::Update, &known);
        let fields: Vec<_> = r.iter().map(|r| r.field).collect();
        assert_eq!(
            fields,
            [
                Field::ArchiveBaseUri,
                Field::LogArchiveConcurrency,
                Field::Binding,
                Field::PieceSwitchInterval,
                Field::DeletePolicy,
                Field::RecoveryWindow
            ]
        );
        assert_eq!(r[0].new, "oss://b/a?host=h&access_id=••••&access_key=••••");
        assert_eq!(
            r[0].credentials,
            Some(Credentials {
                access_id: true,
                access_key: true
            })
        );
        assert_eq!(r[0].again, Some(Again::CarriesBindingAndInterval));
        assert_eq!(r[1].now, Now::Known("0".into(), Source::Reported));
        assert_eq!(r[2].now, Now::Known("OPTIONAL".into(), Source::Default));
        assert_eq!(r[2].again, None, "binding changed");
        assert_eq!(r[3].again, Some(Again::WithArchiveDestination));
        assert_eq!(r[4].now, Now::Unknown);
        assert!(!r.iter().any(|r| r.new.contains("SK") || r.new.contains("AK")));
    }
}
