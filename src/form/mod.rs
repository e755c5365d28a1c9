//! The backup configuration form as the console edits it (text inputs), and how it becomes a
//! request: everything that is filled in for a *Set* (POST), only what changed for an *Update*
//! (PATCH) — plus the archive destination whenever binding or the piece switch interval is sent,
//! because the agent writes those three as one `LOG_ARCHIVE_DEST` value.

use obshell_proto::backup::{BackupConfig, DeletePolicy, Field, Method, Scope};

/// Raw form values. An empty string means "not filled in".
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct FormValues {
    pub backup_base_uri: String,
    pub data_base_uri: String,
    pub archive_base_uri: String,
    pub log_archive_concurrency: String,
    /// `""`, `OPTIONAL` or `MANDATORY` (any case is accepted by the agent).
    pub binding: String,
    pub ha_low_thread_score: String,
    pub piece_switch_interval: String,
    pub archive_lag_target: String,
    /// Whether a delete policy is part of the form (it has no "empty" value of its own).
    pub delete_policy: bool,
    pub recovery_window: String,
}

/// A value the form cannot even turn into a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InputProblem {
    /// Not a whole number (the agent only takes JSON integers).
    NotAnInteger,
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

impl FormValues {
    fn archive_uri(&self, scope: Scope) -> &str {
        match scope {
            Scope::Cluster => &self.backup_base_uri,
            Scope::Tenant => &self.archive_base_uri,
        }
    }

    /// The request for `method`. `baseline` is what the form started from (the values the agent
    /// reported; empty when it reports none). Empty fields are left out, and so are fields still
    /// equal to the agent's value — sending them again would only re-run their side effects
    /// (e.g. a concurrency change switches archive log off) — except that a *Set* always sends
    /// its destinations, which POST requires.
    pub fn to_request(
        &self,
        baseline: &FormValues,
        scope: Scope,
        method: Method,
    ) -> (BackupConfig, Vec<(Field, InputProblem)>) {
        let mut problems = Vec::new();
        let changed = |now: &str, before: &str| now != before;
        let pick = |now: &str, before: &str| if changed(now, before) { text(now) } else { None };
        let pick_uri = |now: &str, before: &str| {
            if method == Method::Set || changed(now, before) {
                text(now)
            } else {
                None
            }
        };
        let mut pick_int = |field: Field, now: &str, before: &str| match int(now) {
            Ok(v) if changed(now.trim(), before.trim()) => v,
            Ok(_) => None,
            Err(p) => {
                problems.push((field, p));
                None
            }
        };
        let mut c = BackupConfig {
            log_archive_concurrency: pick_int(
                Field::LogArchiveConcurrency,
                &self.log_archive_concurrency,
                &baseline.log_archive_concurrency,
            ),
            ha_low_thread_score: pick_int(
                Field::HaLowThreadScore,
                &self.ha_low_thread_score,
                &baseline.ha_low_thread_score,
            ),
            binding: pick(&self.binding, &baseline.binding),
            piece_switch_interval: pick(&self.piece_switch_interval, &baseline.piece_switch_interval),
            archive_lag_target: pick(&self.archive_lag_target, &baseline.archive_lag_target),
            ..Default::default()
        };
        match scope {
            Scope::Cluster => c.backup_base_uri = pick_uri(&self.backup_base_uri, &baseline.backup_base_uri),
            Scope::Tenant => {
                c.data_base_uri = pick_uri(&self.data_base_uri, &baseline.data_base_uri);
                c.archive_base_uri = pick_uri(&self.archive_base_uri, &baseline.archive_base_uri);
            }
        }
        let policy_changed =
            self.delete_policy != baseline.delete_policy || self.recovery_window != baseline.recovery_window;
        if self.delete_policy && policy_changed {
            // Named explicitly (the agent reads "" as "default" too): the review shows what the
            // checkbox says.
            c.delete_policy = Some(DeletePolicy {
                policy: obshell_proto::backup::DELETE_POLICY_DEFAULT.to_string(),
                recovery_window: self.recovery_window.clone(),
            });
        }
        // Binding and piece switch interval are part of the archive destination: send it along.
        if method == Method::Update && (c.binding.is_some() || c.piece_switch_interval.is_some()) {
            let uri = text(self.archive_uri(scope));
            match scope {
                Scope::Cluster => c.backup_base_uri = c.backup_base_uri.or(uri),
                Scope::Tenant => c.archive_base_uri = c.archive_base_uri.or(uri),
            }
        }
        (c, problems)
    }
}

/// The body as the review step shows it: exactly what is sent, with credentials removed from
/// every URI.
pub fn redacted_json(c: &BackupConfig, scope: Scope) -> String {
    let mut v = c.to_json(scope);
    if let Some(m) = v.as_object_mut() {
        for key in ["backup_base_uri", "data_base_uri", "archive_base_uri"] {
            if let Some(serde_json::Value::String(s)) = m.get_mut(key) {
                *s = obshell_proto::storage::redact(s);
            }
        }
    }
    serde_json::to_string_pretty(&v).expect("JSON value serializes")
}

#[cfg(test)]
mod tests {
    use super::*;
    use obshell_proto::backup::{side_effects, SideEffect};

    fn filled() -> FormValues {
        FormValues {
            backup_base_uri: "file:///data/backup".into(),
            log_archive_concurrency: "10".into(),
            binding: "MANDATORY".into(),
            ha_low_thread_score: "20".into(),
            piece_switch_interval: "1d".into(),
            archive_lag_target: "2m".into(),
            delete_policy: true,
            recovery_window: "7d".into(),
            ..Default::default()
        }
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
        let agent = FormValues {
            data_base_uri: "file:///d".into(),
            archive_base_uri: "file:///a".into(),
            log_archive_concurrency: "0".into(),
            ha_low_thread_score: "0".into(),
            archive_lag_target: "2m".into(),
            ..Default::default()
        };
        let mut now = agent.clone();
        now.ha_low_thread_score = "8".into();
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
        now.ha_low_thread_score = "40".into();
        let (c, _) = now.to_request(&base, Scope::Cluster, Method::Update);
        assert_eq!(c.to_json(Scope::Cluster).to_string(), r#"{"ha_low_thread_score":40}"#);
        let (c, _) = base.to_request(&base, Scope::Cluster, Method::Update);
        assert_eq!(c.to_json(Scope::Cluster).to_string(), "{}");
        // Clearing a field cannot unset it on the agent: nothing is sent.
        let mut cleared = base.clone();
        cleared.log_archive_concurrency.clear();
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
        let base = FormValues {
            archive_base_uri: "file:///a".into(),
            data_base_uri: "file:///d".into(),
            ..Default::default()
        };
        let mut now = base.clone();
        now.piece_switch_interval = "2d".into();
        let (c, _) = now.to_request(&base, Scope::Tenant, Method::Update);
        assert_eq!(
            c.to_json(Scope::Tenant).to_string(),
            r#"{"archive_base_uri":"file:///a","piece_switch_interval":"2d"}"#
        );
        let mut now = FormValues {
            binding: "OPTIONAL".into(),
            backup_base_uri: "file:///b".into(),
            ..Default::default()
        };
        let (c, _) = now.to_request(
            &FormValues {
                backup_base_uri: "file:///b".into(),
                ..Default::default()
            },
            Scope::Cluster,
            Method::Update,
        );
        assert_eq!(
            c.to_json(Scope::Cluster).to_string(),
            r#"{"backup_base_uri":"file:///b","binding":"OPTIONAL"}"#
        );
        // Without a URI at all the agent's rule applies (and the validator reports it).
        now.backup_base_uri.clear();
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
        v.log_archive_concurrency = "1.5".into();
        v.ha_low_thread_score = " 7 ".into();
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
}
