//! Request bodies decoded like the agent's gin `BindJSON` into `param.ClusterBackupConfigParam` /
//! `param.TenantBackupConfigParam` (Go `encoding/json`, `UseNumber`), with its
//! `Common.BindJsonFailed` messages.

use crate::backup::{BackupConfig, DeletePolicy, Scope};
use crate::errors::codes;
use crate::go::json::{parse, top_level, FirstError, StructDecoder};
use crate::AgentError;

/// Decodes a backup configuration body as the agent does: `null` ≡ absent, unknown keys ignored,
/// keys matched case-insensitively (last one wins), integers must be JSON integers that fit,
/// strings must be strings.
pub fn decode_like_agent(body: &[u8], scope: Scope) -> Result<BackupConfig, AgentError> {
    decode_backup_config(body, scope).map_err(|msg| codes::COMMON_BIND_JSON_FAILED.occur(&[&msg]))
}

fn decode_backup_config(body: &[u8], scope: Scope) -> Result<BackupConfig, String> {
    let v = parse(body)?;
    let (go_type, name) = match scope {
        Scope::Cluster => ("param.ClusterBackupConfigParam", "ClusterBackupConfigParam"),
        Scope::Tenant => ("param.TenantBackupConfigParam", "TenantBackupConfigParam"),
    };
    let Some(obj) = top_level(&v, go_type)? else {
        return Ok(BackupConfig::default());
    };
    let mut errors = FirstError::default();
    let mut d = StructDecoder::new(obj, name, &mut errors);
    let mut c = BackupConfig::default();
    match scope {
        Scope::Cluster => c.backup_base_uri = d.string("backup_base_uri", "backup_base_uri"),
        Scope::Tenant => {
            c.data_base_uri = d.string("data_base_uri", "data_base_uri");
            c.archive_base_uri = d.string("archive_base_uri", "archive_base_uri");
        }
    }
    // `Location` has no json tag and is ignored by the agent, but its type is still checked.
    let _ = d.string("Location", "LogArchiveDestConf.Location");
    c.binding = d.string("binding", "LogArchiveDestConf.binding");
    c.piece_switch_interval = d.string("piece_switch_interval", "LogArchiveDestConf.piece_switch_interval");
    c.log_archive_concurrency = d.int(
        "log_archive_concurrency",
        "BaseBackupConfigParam.log_archive_concurrency",
    );
    c.archive_lag_target = d.string("archive_lag_target", "BaseBackupConfigParam.archive_lag_target");
    c.ha_low_thread_score = d.int("ha_low_thread_score", "BaseBackupConfigParam.ha_low_thread_score");
    // BackupDeletePolicy's fields are plain strings (not pointers).
    c.delete_policy = d.object(
        "delete_policy",
        "BaseBackupConfigParam.delete_policy",
        "param.BackupDeletePolicy",
        "BackupDeletePolicy",
        |pd, p: &mut DeletePolicy| {
            pd.string_value("policy", "BaseBackupConfigParam.delete_policy.policy", &mut p.policy);
            pd.string_value(
                "recovery_window",
                "BaseBackupConfigParam.delete_policy.recovery_window",
                &mut p.recovery_window,
            );
        },
    );
    errors.into_result()?;
    Ok(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cluster(body: &str) -> Result<BackupConfig, String> {
        decode_backup_config(body.as_bytes(), Scope::Cluster)
    }

    #[test]
    fn the_first_type_error_in_document_order_is_reported() {
        let e = cluster(r#"{"ha_low_thread_score": "x", "log_archive_concurrency": "y"}"#).unwrap_err();
        assert_eq!(e, "json: cannot unmarshal string into Go struct field ClusterBackupConfigParam.BaseBackupConfigParam.ha_low_thread_score of type int");
        let e = cluster(r#"{"delete_policy": {"policy": 1}, "binding": 2}"#).unwrap_err();
        assert!(
            e.contains("BackupDeletePolicy.BaseBackupConfigParam.delete_policy.policy of type string"),
            "{e}"
        );
        // A type error is reported even when a later duplicate has the right type.
        let e = cluster(r#"{"binding": 5, "binding": "Optional"}"#).unwrap_err();
        assert!(e.contains("LogArchiveDestConf.binding of type string"), "{e}");
    }

    #[test]
    fn duplicates_and_null_like_go() {
        let c = cluster(r#"{"binding": "Optional", "BINDING": "Mandatory"}"#).unwrap();
        assert_eq!(
            c.binding.as_deref(),
            Some("Mandatory"),
            "the later key wins, folded or not"
        );
        let c = cluster(r#"{"binding": "Optional", "binding": null}"#).unwrap();
        assert_eq!(c.binding, None, "null clears a pointer field");
        let c = cluster(r#"{"delete_policy": {"policy": "default", "policy": null}}"#).unwrap();
        assert_eq!(
            c.delete_policy.unwrap().policy,
            "default",
            "null leaves a string field alone"
        );
        let c =
            cluster(r#"{"delete_policy": {"policy": "default"}, "delete_policy": {"recovery_window": "1d"}}"#).unwrap();
        let p = c.delete_policy.unwrap();
        assert_eq!(
            (p.policy.as_str(), p.recovery_window.as_str()),
            ("default", "1d"),
            "decoded into the same struct"
        );
        assert_eq!(
            cluster(r#"{"delete_policy": {"policy": "default"}, "delete_policy": null}"#)
                .unwrap()
                .delete_policy,
            None
        );
    }

    #[test]
    fn keys_fold_like_go() {
        // U+212A KELVIN SIGN folds to K, U+017F LONG S to S (Go's foldName); other non-ASCII never matches.
        let c = cluster(r#"{"log_archive_concurrency": 3, "piece_\u017fwitch_interval": "1d"}"#).unwrap();
        assert_eq!(
            (c.log_archive_concurrency, c.piece_switch_interval.as_deref()),
            (Some(3), Some("1d"))
        );
        let c = cluster(r#"{"b\u0131nding": "Optional"}"#).unwrap();
        assert_eq!(c.binding, None, "dotless i is not I");
    }

    #[test]
    fn strings_unquote_like_go() {
        // An invalid UTF-8 sequence is one U+FFFD per bad byte (utf8.DecodeRune), not per sequence.
        let body = b"{\"backup_base_uri\": \"file:///a\xe2\x82b\"}";
        let c = decode_backup_config(body, Scope::Cluster).unwrap();
        assert_eq!(c.backup_base_uri.as_deref(), Some("file:///a\u{FFFD}\u{FFFD}b"));
    }

    #[test]
    fn deep_nesting_is_a_type_error_not_a_stack_overflow() {
        let deep = format!("{{\"delete_policy\": {}{}}}", "[".repeat(9_999), "]".repeat(9_999));
        let e = cluster(&deep).unwrap_err();
        assert!(e.contains("cannot unmarshal array into Go struct field"), "{e}");
        let skipped = format!(
            "{{\"unknown\": {}1{}, \"binding\": \"Optional\"}}",
            "{\"a\":".repeat(5_000),
            "}".repeat(5_000)
        );
        assert_eq!(cluster(&skipped).unwrap().binding.as_deref(), Some("Optional"));
    }
}
