//! The form's values (text, as typed, keyed by field) and how they become a request: everything
//! that is filled in for a *Set* (POST), only what changed for an *Update* (PATCH) — plus the
//! archive destination whenever binding or the piece switch interval is sent, because the agent
//! writes those three as one `LOG_ARCHIVE_DEST` value.

use super::fields::{archive_field, spec, Input};
use obshell_proto::backup::{BackupConfig, DeletePolicy, Field, Method, Scope};
use obshell_proto::storage::same_destination;
use std::collections::BTreeMap;

/// Raw form values by field. A missing or empty value means "not filled in"; the delete policy's
/// value is its name (`default`) when enabled.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct FormValues(BTreeMap<Field, String>);

impl FormValues {
    pub fn get(&self, field: Field) -> &str {
        self.0.get(&field).map(String::as_str).unwrap_or("")
    }

    pub fn set(&mut self, field: Field, value: impl Into<String>) {
        let value = value.into();
        if value.is_empty() {
            self.0.remove(&field);
        } else {
            self.0.insert(field, value);
        }
    }

    /// `self` with `field` set (for building values in one expression).
    pub fn with(mut self, field: Field, value: impl Into<String>) -> Self {
        self.set(field, value);
        self
    }

    /// The fields that have a value.
    pub fn filled(&self) -> impl Iterator<Item = (Field, &str)> {
        self.0.iter().map(|(f, v)| (*f, v.as_str()))
    }

    /// The request for `method`, given what the agent has (`baseline`):
    ///
    /// - only what changed is sent (a destination that names the same place as the agent's,
    ///   credentials aside, is unchanged); clearing a field cannot unset it on the agent, so an
    ///   empty field sends nothing;
    /// - a *Set* sends its destinations, which POST requires;
    /// - the archive destination is written with binding and piece switch interval as one value
    ///   (`LOG_ARCHIVE_DEST`), so whenever it is sent, both are sent explicitly as the form shows
    ///   them, and a changed binding or interval sends the destination: nothing falls back to
    ///   OceanBase's defaults behind the user's back (docs/protocol.md §4.7).
    pub fn to_request(
        &self,
        baseline: &FormValues,
        scope: Scope,
        method: Method,
    ) -> (BackupConfig, Vec<(Field, InputProblem)>) {
        let mut problems = Vec::new();
        let changed = |f: Field| match spec(f).input {
            Input::Destination => !same_destination(self.get(f), baseline.get(f)),
            Input::Integer => self.get(f).trim() != baseline.get(f).trim(),
            _ => self.get(f) != baseline.get(f),
        };
        let pick = |f: Field| if changed(f) { text(self.get(f)) } else { None };
        let mut pick_int = |f: Field| match int(self.get(f)) {
            Ok(v) if changed(f) => v,
            Ok(_) => None,
            Err(p) => {
                problems.push((f, p));
                None
            }
        };
        let mut c = BackupConfig {
            log_archive_concurrency: pick_int(Field::LogArchiveConcurrency),
            ha_low_thread_score: pick_int(Field::HaLowThreadScore),
            archive_lag_target: pick(Field::ArchiveLagTarget),
            ..Default::default()
        };
        let archive = archive_field(scope);
        let write_archive =
            method == Method::Set || changed(archive) || changed(Field::Binding) || changed(Field::PieceSwitchInterval);
        if write_archive {
            for f in [Field::Binding, Field::PieceSwitchInterval] {
                if self.get(f).trim().is_empty() {
                    problems.push((f, InputProblem::RequiredWithArchiveDestination));
                }
            }
            c.binding = text(self.get(Field::Binding));
            c.piece_switch_interval = text(self.get(Field::PieceSwitchInterval));
        }
        match scope {
            Scope::Cluster => c.backup_base_uri = write_archive.then(|| text(self.get(archive))).flatten(),
            Scope::Tenant => {
                c.archive_base_uri = write_archive.then(|| text(self.get(archive))).flatten();
                let write_data = method == Method::Set || changed(Field::DataBaseUri);
                c.data_base_uri = write_data.then(|| text(self.get(Field::DataBaseUri))).flatten();
            }
        }
        let policy = self.get(Field::DeletePolicy);
        if !policy.is_empty() && (changed(Field::DeletePolicy) || changed(Field::RecoveryWindow)) {
            // Named explicitly (the agent reads "" as "default" too): the review shows what the
            // checkbox says.
            c.delete_policy = Some(DeletePolicy {
                policy: policy.to_string(),
                recovery_window: self.get(Field::RecoveryWindow).to_string(),
            });
        }
        (c, problems)
    }
}

/// A value the form cannot even turn into a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InputProblem {
    /// Not a whole number (the agent only takes JSON integers).
    NotAnInteger,
    /// Binding and piece switch interval are written with the archive destination: empty, the
    /// agent would let OceanBase apply its default.
    RequiredWithArchiveDestination,
}

fn text(v: &str) -> Option<String> {
    (!v.is_empty()).then(|| v.to_string())
}

fn int(v: &str) -> Result<Option<i64>, InputProblem> {
    let t = v.trim();
    if t.is_empty() {
        return Ok(None);
    }
    t.parse::<i64>().map(Some).map_err(|_| InputProblem::NotAnInteger)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::form::review::redacted_json;
    use obshell_proto::backup::{side_effects, SideEffect};

    fn filled() -> FormValues {
        FormValues::default()
            .with(Field::BackupBaseUri, "file:///data/backup")
            .with(Field::LogArchiveConcurrency, "10")
            .with(Field::Binding, "MANDATORY")
            .with(Field::HaLowThreadScore, "20")
            .with(Field::PieceSwitchInterval, "1d")
            .with(Field::ArchiveLagTarget, "2m")
            .with(Field::DeletePolicy, "default")
            .with(Field::RecoveryWindow, "7d")
    }

    #[test]
    fn set_sends_everything_filled_in() {
        let (c, p) = filled().to_request(&FormValues::default(), Scope::Cluster, Method::Set);
        assert!(p.is_empty());
        assert_eq!(
            c.to_json(Scope::Cluster).to_string(),
            r#"{"archive_lag_target":"2m","backup_base_uri":"file:///data/backup","binding":"MANDATORY","delete_policy":{"policy":"default","recovery_window":"7d"},"ha_low_thread_score":20,"log_archive_concurrency":10,"piece_switch_interval":"1d"}"#
        );
    }

    #[test]
    fn set_leaves_out_values_equal_to_the_agents_but_keeps_destinations() {
        let agent = FormValues::default()
            .with(Field::DataBaseUri, "file:///d")
            .with(Field::ArchiveBaseUri, "file:///a")
            .with(Field::LogArchiveConcurrency, "0")
            .with(Field::HaLowThreadScore, "0")
            .with(Field::ArchiveLagTarget, "2m");
        let mut now = agent.clone();
        now.set(Field::HaLowThreadScore, "8");
        let (c, _) = now.to_request(&agent, Scope::Tenant, Method::Set);
        assert_eq!(
            c.to_json(Scope::Tenant).to_string(),
            r#"{"archive_base_uri":"file:///a","data_base_uri":"file:///d","ha_low_thread_score":8}"#
        );
    }

    #[test]
    fn update_sends_only_changes() {
        let base = filled();
        let mut now = base.clone();
        now.set(Field::HaLowThreadScore, "40");
        let (c, _) = now.to_request(&base, Scope::Cluster, Method::Update);
        assert_eq!(c.to_json(Scope::Cluster).to_string(), r#"{"ha_low_thread_score":40}"#);
        let (c, _) = base.to_request(&base, Scope::Cluster, Method::Update);
        assert_eq!(c.to_json(Scope::Cluster).to_string(), "{}");
        // Clearing a field cannot unset it on the agent: nothing is sent.
        let mut cleared = base.clone();
        cleared.set(Field::LogArchiveConcurrency, "");
        assert_eq!(
            cleared
                .to_request(&base, Scope::Cluster, Method::Update)
                .0
                .to_json(Scope::Cluster)
                .to_string(),
            "{}"
        );
    }

    #[test]
    fn binding_or_piece_bring_the_archive_uri() {
        let base = FormValues::default()
            .with(Field::ArchiveBaseUri, "file:///a")
            .with(Field::DataBaseUri, "file:///d");
        let mut now = base.clone();
        now.set(Field::PieceSwitchInterval, "2d");
        let (c, _) = now.to_request(&base, Scope::Tenant, Method::Update);
        assert_eq!(
            c.to_json(Scope::Tenant).to_string(),
            r#"{"archive_base_uri":"file:///a","piece_switch_interval":"2d"}"#
        );
        let mut now = FormValues::default()
            .with(Field::Binding, "OPTIONAL")
            .with(Field::BackupBaseUri, "file:///b");
        let (c, _) = now.to_request(
            &FormValues::default().with(Field::BackupBaseUri, "file:///b"),
            Scope::Cluster,
            Method::Update,
        );
        assert_eq!(
            c.to_json(Scope::Cluster).to_string(),
            r#"{"backup_base_uri":"file:///b","binding":"OPTIONAL"}"#
        );
        // Without a URI at all the agent's rule applies (and the validator reports it).
        now.set(Field::BackupBaseUri, "");
        let (c, _) = now.to_request(&FormValues::default(), Scope::Cluster, Method::Update);
        assert_eq!(
            obshell_proto::backup::validate(&c, Scope::Cluster, Method::Update)
                .unwrap_err()
                .err_code(),
            "OB.Backup.BaseUriEmpty"
        );
    }

    #[test]
    fn integers_must_be_whole_numbers() {
        let mut v = filled();
        v.set(Field::LogArchiveConcurrency, "1.5");
        v.set(Field::HaLowThreadScore, " 7 ");
        let (c, p) = v.to_request(&FormValues::default(), Scope::Cluster, Method::Set);
        assert_eq!(p, vec![(Field::LogArchiveConcurrency, InputProblem::NotAnInteger)]);
        assert_eq!(c.ha_low_thread_score, Some(7));
        assert_eq!(c.log_archive_concurrency, None);
    }

    #[test]
    fn side_effects_and_redaction() {
        let (c, _) = filled().to_request(&FormValues::default(), Scope::Cluster, Method::Set);
        assert_eq!(
            side_effects(&c, Scope::Cluster),
            vec![
                SideEffect::AllTenants,
                SideEffect::ArchiveLogStopped,
                SideEffect::RunningBackupCancelled
            ]
        );
        let t = BackupConfig {
            archive_base_uri: Some("oss://b/k?host=h&access_id=AK&access_key=SK".into()),
            ..Default::default()
        };
        assert_eq!(
            side_effects(&t, Scope::Tenant),
            vec![SideEffect::ArchiveLogStopped, SideEffect::ArchiveDestDefaultsReset]
        );
        let shown = redacted_json(&t, Scope::Tenant);
        assert!(
            shown.contains("oss://b/k?host=h") && !shown.contains("SK") && !shown.contains("AK"),
            "{shown}"
        );
        assert!(side_effects(
            &BackupConfig {
                ha_low_thread_score: Some(1),
                ..Default::default()
            },
            Scope::Tenant
        )
        .is_empty());
    }

    /// The shown binding and interval (here the assumed defaults, or what was set before).
    fn shown(extra: &[(Field, &str)]) -> FormValues {
        let mut v = FormValues::default()
            .with(Field::Binding, "MANDATORY")
            .with(Field::PieceSwitchInterval, "3d");
        for (f, x) in extra {
            v.set(*f, *x);
        }
        v
    }

    #[test]
    fn a_rewritten_archive_destination_carries_binding_and_interval_explicitly() {
        // Set with MANDATORY / 3d, then an Update of the directory only.
        let set = shown(&[(Field::BackupBaseUri, "file:///data/backup")]);
        let (c, p) = set.to_request(&FormValues::default(), Scope::Cluster, Method::Set);
        assert!(p.is_empty());
        assert_eq!(
            c.to_json(Scope::Cluster).to_string(),
            r#"{"backup_base_uri":"file:///data/backup","binding":"MANDATORY","piece_switch_interval":"3d"}"#
        );
        let mut moved = set.clone();
        moved.set(Field::BackupBaseUri, "file:///data/backup2");
        let (c, _) = moved.to_request(&set, Scope::Cluster, Method::Update);
        assert_eq!(
            c.to_json(Scope::Cluster).to_string(),
            r#"{"backup_base_uri":"file:///data/backup2","binding":"MANDATORY","piece_switch_interval":"3d"}"#
        );
        // A cleared interval is not silently left to OceanBase's default.
        let mut cleared = moved.clone();
        cleared.set(Field::PieceSwitchInterval, "");
        let (_, p) = cleared.to_request(&set, Scope::Cluster, Method::Update);
        assert_eq!(
            p,
            vec![(Field::PieceSwitchInterval, InputProblem::RequiredWithArchiveDestination)]
        );
    }

    #[test]
    fn an_unedited_destination_is_not_sent_again() {
        // An OSS tenant as the agent reports it (no credentials), concurrency changed.
        let reported = shown(&[
            (Field::ArchiveBaseUri, "oss://b/clog/?host=h"),
            (Field::DataBaseUri, "oss://b/data/?host=h"),
            (Field::LogArchiveConcurrency, "0"),
        ]);
        let mut now = reported.clone();
        now.set(Field::LogArchiveConcurrency, "8");
        let (c, _) = now.to_request(&reported, Scope::Tenant, Method::Update);
        assert_eq!(c.to_json(Scope::Tenant).to_string(), r#"{"log_archive_concurrency":8}"#);
        // Credentials typed into the reported destination do not make it another one.
        now.set(Field::DataBaseUri, "oss://b/data?host=h&access_id=A&access_key=K");
        let (c, _) = now.to_request(&reported, Scope::Tenant, Method::Update);
        assert_eq!(c.data_base_uri, None);
        // A changed binding sends the archive destination it belongs to, as reported.
        now.set(Field::Binding, "OPTIONAL");
        let (c, _) = now.to_request(&reported, Scope::Tenant, Method::Update);
        assert_eq!(c.archive_base_uri.as_deref(), Some("oss://b/clog/?host=h"));
        assert_eq!(c.piece_switch_interval.as_deref(), Some("3d"));
    }
}
