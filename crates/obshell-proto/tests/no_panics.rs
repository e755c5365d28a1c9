#![cfg(not(target_arch = "wasm32"))]
//! Every parser and validator returns a value or a typed error for arbitrary input; none panics.

use obshell_proto::backup::{self, Method, Scope};
use obshell_proto::dag::{DagDetail, GenericId};
use obshell_proto::envelope::{AgentStatus, Envelope};
use obshell_proto::storage::{self, StorageDest};
use obshell_proto::{duration, time::Timestamp};
use proptest::prelude::*;

fn json_like() -> impl Strategy<Value = String> {
    // Mostly-structured JSON bodies with hostile values, plus raw noise.
    let leaf = prop_oneof![
        Just("null".to_string()),
        any::<i64>().prop_map(|n| n.to_string()),
        any::<f64>().prop_map(|f| format!("{f:e}")),
        "[a-zA-Z0-9:/?&=%._ -]{0,24}".prop_map(|s| format!("{s:?}")),
        Just("true".to_string()),
        Just("{}".to_string()),
        Just("[1,2]".to_string()),
    ];
    let key = prop_oneof![
        Just("backup_base_uri"),
        Just("archive_base_uri"),
        Just("data_base_uri"),
        Just("log_archive_concurrency"),
        Just("ha_low_thread_score"),
        Just("binding"),
        Just("BINDING"),
        Just("piece_switch_interval"),
        Just("archive_lag_target"),
        Just("delete_policy"),
        Just("other"),
    ];
    prop_oneof![
        proptest::collection::vec((key, leaf), 0..8).prop_map(|kv| {
            let body: Vec<String> = kv.into_iter().map(|(k, v)| format!("{k:?}:{v}")).collect();
            format!("{{{}}}", body.join(","))
        }),
        ".{0,64}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, .. ProptestConfig::default() })]

    #[test]
    fn bodies_decode_or_fail_cleanly(body in json_like()) {
        for scope in [Scope::Cluster, Scope::Tenant] {
            match obshell_proto::agent::bind::decode_like_agent(body.as_bytes(), scope) {
                Ok(cfg) => {
                    for method in [Method::Set, Method::Update] {
                        let _ = backup::validate(&cfg, scope, method);
                        let _ = backup::field_errors(&cfg, scope, method);
                    }
                    // What we serialize decodes back to the same request.
                    let again = obshell_proto::agent::bind::decode_like_agent(cfg.to_json(scope).to_string().as_bytes(), scope).unwrap();
                    prop_assert_eq!(again, cfg);
                }
                Err(e) => prop_assert_eq!(e.err_code(), "Common.BindJsonFailed"),
            }
        }
    }

    #[test]
    fn durations_never_panic(s in ".{0,32}", n in any::<u64>(), unit in "[a-zA-Z]{1,3}") {
        let _ = duration::parse(&s);
        let _ = duration::parse(&format!("{n}{unit}"));
        if let Ok(d) = duration::parse(&format!("{n}{unit}")) {
            prop_assert!(d.nanos() >= 1 && d <= duration::GoDuration::MAX_PARSE);
            prop_assert!(!d.to_string().is_empty());
        }
    }

    #[test]
    fn uris_never_panic(s in ".{0,80}", q in "[a-z_]{1,10}=[^&]{0,10}(&[a-z_]{1,10}=[^&]{0,10}){0,4}") {
        for scheme in ["file://", "oss://", "cos://", "s3://", ""] {
            for uri in [format!("{scheme}{s}"), format!("{scheme}b/k?{q}")] {
                let _ = storage::resource_type(&uri);
                if let Ok(d) = StorageDest::parse(&uri) {
                    // Rebuilding from the fields must parse back to the same fields.
                    let rebuilt = d.to_uri();
                    prop_assert_eq!(StorageDest::parse(&rebuilt).ok(), Some(d.clone()));
                    prop_assert!(!d.uri_without_secret().contains("access_key"));
                }
                let red = storage::redact(&uri);
                prop_assert!(!red.to_ascii_lowercase().contains("access_key="));
            }
        }
    }

    #[test]
    fn wire_types_never_panic(s in json_like(), id in ".{0,50}") {
        let _ = serde_json::from_str::<Envelope<DagDetail>>(&s);
        let _ = serde_json::from_str::<AgentStatus>(&s);
        let _ = GenericId::parse(&id);
        let _ = Timestamp::parse(&id);
    }
}
