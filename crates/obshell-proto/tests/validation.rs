#![cfg(not(target_arch = "wasm32"))]
//! Every backup-config rule at its boundaries, for the four endpoint variants, with the agent's
//! exact errCode / status / message, and the rule order for bodies with several errors.

use obshell_proto::backup::{self, BackupConfig, DeletePolicy, Field, Method, Scope};
use obshell_proto::Lang;

fn s(v: &str) -> Option<String> {
    Some(v.to_string())
}

fn cluster(uri: &str) -> BackupConfig {
    BackupConfig {
        backup_base_uri: s(uri),
        ..Default::default()
    }
}

fn tenant(data: &str, archive: &str) -> BackupConfig {
    BackupConfig {
        data_base_uri: s(data),
        archive_base_uri: s(archive),
        ..Default::default()
    }
}

/// (errCode, status, English message) of the first error, or "ok".
fn first(cfg: &BackupConfig, scope: Scope, method: Method) -> (String, u16, String) {
    match backup::validate(cfg, scope, method) {
        Ok(_) => ("ok".into(), 200, String::new()),
        Err(e) => (e.err_code().to_string(), e.status(), e.message(Lang::En)),
    }
}

fn assert_err(cfg: &BackupConfig, scope: Scope, method: Method, code: &str, msg: &str) {
    let (c, st, m) = first(cfg, scope, method);
    assert_eq!((c.as_str(), m.as_str()), (code, msg), "{cfg:?} {scope:?} {method:?}");
    assert_eq!(st, 400);
}

fn assert_ok(cfg: &BackupConfig, scope: Scope, method: Method) {
    let r = backup::validate(cfg, scope, method);
    assert!(
        r.is_ok(),
        "{cfg:?} {scope:?} {method:?}: {:?}",
        r.err().map(|e| e.to_string())
    );
}

const ALL: [(Scope, Method); 4] = [
    (Scope::Cluster, Method::Set),
    (Scope::Cluster, Method::Update),
    (Scope::Tenant, Method::Set),
    (Scope::Tenant, Method::Update),
];

fn base(scope: Scope) -> BackupConfig {
    match scope {
        Scope::Cluster => cluster("file:///data/backup"),
        Scope::Tenant => tenant("file:///data/d", "file:///data/a"),
    }
}

#[test]
fn post_requires_base_uris() {
    assert_err(
        &BackupConfig::default(),
        Scope::Cluster,
        Method::Set,
        "OB.Backup.BaseUriEmpty",
        "backup_base_uri cannot be empty",
    );
    assert_err(
        &cluster(""),
        Scope::Cluster,
        Method::Set,
        "OB.Backup.BaseUriEmpty",
        "backup_base_uri cannot be empty",
    );
    assert_err(
        &BackupConfig::default(),
        Scope::Tenant,
        Method::Set,
        "OB.Backup.DataBaseUriEmpty",
        "data_base_uri cannot be empty",
    );
    assert_err(
        &tenant("file:///d", ""),
        Scope::Tenant,
        Method::Set,
        "OB.Backup.ArchiveBaseUriEmpty",
        "archive_base_uri cannot be empty",
    );
    assert_err(
        &tenant("", "file:///a"),
        Scope::Tenant,
        Method::Set,
        "OB.Backup.DataBaseUriEmpty",
        "data_base_uri cannot be empty",
    );
    // PATCH needs none of them.
    assert_ok(&BackupConfig::default(), Scope::Cluster, Method::Update);
    assert_ok(&BackupConfig::default(), Scope::Tenant, Method::Update);
}

#[test]
fn patch_binding_and_piece_need_the_archive_uri() {
    let mut c = BackupConfig {
        binding: s("optional"),
        piece_switch_interval: s("1d"),
        ..Default::default()
    };
    assert_err(
        &c,
        Scope::Cluster,
        Method::Update,
        "OB.Backup.BaseUriEmpty",
        "backup_base_uri cannot be empty: If binding is set, backup_base_uri must be set",
    );
    assert_err(
        &c,
        Scope::Tenant,
        Method::Update,
        "OB.Backup.ArchiveBaseUriEmpty",
        "archive_base_uri cannot be empty: If binding is set, archive_base_uri must be set",
    );
    c.binding = s("");
    assert_err(
        &c,
        Scope::Cluster,
        Method::Update,
        "OB.Backup.BaseUriEmpty",
        "backup_base_uri cannot be empty: If piece_switch_interval is set, backup_base_uri must be set",
    );
    assert_err(
        &c,
        Scope::Tenant,
        Method::Update,
        "OB.Backup.ArchiveBaseUriEmpty",
        "archive_base_uri cannot be empty: If piece_switch_interval is set, archive_base_uri must be set",
    );
    // An empty URI is the same as none; a data URI does not count for the tenant rule.
    c.backup_base_uri = s("");
    c.data_base_uri = s("file:///d");
    assert_err(
        &c,
        Scope::Cluster,
        Method::Update,
        "OB.Backup.BaseUriEmpty",
        "backup_base_uri cannot be empty: If piece_switch_interval is set, backup_base_uri must be set",
    );
    assert_err(
        &c,
        Scope::Tenant,
        Method::Update,
        "OB.Backup.ArchiveBaseUriEmpty",
        "archive_base_uri cannot be empty: If piece_switch_interval is set, archive_base_uri must be set",
    );
    // With the URI they pass; an empty piece interval/binding is not "set".
    c.backup_base_uri = s("file:///b");
    c.archive_base_uri = s("file:///a");
    assert_ok(&c, Scope::Cluster, Method::Update);
    assert_ok(&c, Scope::Tenant, Method::Update);
    let only_empty = BackupConfig {
        binding: s(""),
        piece_switch_interval: s(""),
        ..Default::default()
    };
    assert_ok(&only_empty, Scope::Cluster, Method::Update);
}

#[test]
fn integer_ranges_inclusive() {
    for (scope, method) in ALL {
        for (v, ok) in [
            (-1, false),
            (0, true),
            (100, true),
            (101, false),
            (i64::MIN, false),
            (i64::MAX, false),
        ] {
            let mut c = base(scope);
            c.log_archive_concurrency = Some(v);
            if ok {
                assert_ok(&c, scope, method);
            } else {
                assert_err(
                    &c,
                    scope,
                    method,
                    "OB.Backup.LogArchiveConcurrency.Invalid",
                    "log_archive_concurrency must be between 0 and 100",
                );
            }
            let mut c = base(scope);
            c.ha_low_thread_score = Some(v);
            if ok {
                assert_ok(&c, scope, method);
            } else {
                assert_err(
                    &c,
                    scope,
                    method,
                    "OB.Backup.HaLowThreadScore.Invalid",
                    "ha_low_thread_score must be between 0 and 100",
                );
            }
        }
    }
}

#[test]
fn binding_is_case_insensitive_and_empty_means_optional() {
    for (scope, method) in ALL {
        for ok in ["optional", "Mandatory", "MANDATORY", ""] {
            let mut c = base(scope);
            c.binding = s(ok);
            assert_ok(&c, scope, method);
        }
        let mut c = base(scope);
        c.binding = s("foo");
        assert_err(
            &c,
            scope,
            method,
            "OB.Backup.Binding.Invalid",
            "Invalid binding mode: FOO, must be OPTIONAL or MANDATORY",
        );
    }
    let n = BackupConfig {
        binding: s(""),
        ..Default::default()
    }
    .normalized();
    assert_eq!(n.binding.as_deref(), Some("OPTIONAL"));
    let e = backup::validate(
        &BackupConfig {
            binding: s("x"),
            ..cluster("file:///b")
        },
        Scope::Cluster,
        Method::Set,
    )
    .unwrap_err();
    assert_eq!(e.message(Lang::Zh), "binging 非法：X，必须是 OPTIONAL 或 MANDATORY");
}

#[test]
fn case_folding_is_gos_simple_mapping() {
    // `strings.ToUpper`/`ToLower` map rune by rune: `ß` stays, `İ` lowers to a plain `i`, `ſ`
    // uppers to `S`; the echoed values and the accepted ones follow.
    let c = BackupConfig {
        binding: s("ß"),
        ..cluster("file:///b")
    };
    assert_err(
        &c,
        Scope::Cluster,
        Method::Set,
        "OB.Backup.Binding.Invalid",
        "Invalid binding mode: ß, must be OPTIONAL or MANDATORY",
    );
    let c = BackupConfig {
        binding: s("mandatoryſ"),
        ..cluster("file:///b")
    };
    assert_err(
        &c,
        Scope::Cluster,
        Method::Set,
        "OB.Backup.Binding.Invalid",
        "Invalid binding mode: MANDATORYS, must be OPTIONAL or MANDATORY",
    );
    let c = BackupConfig {
        archive_lag_target: s("1İ"),
        ..cluster("file:///b")
    };
    assert_err(
        &c,
        Scope::Cluster,
        Method::Set,
        "Common.InvalidTimeDuration",
        "Time duration '1i' is invalid: invalid time unit",
    );
    let mut c = cluster("file:///b");
    c.delete_policy = Some(DeletePolicy {
        policy: "İ".into(),
        recovery_window: String::new(),
    });
    assert_err(
        &c,
        Scope::Cluster,
        Method::Set,
        "OB.Backup.DeletePolicy.Invalid",
        "Invalid delete policy: 'i', must be 'default'",
    );
}

#[test]
fn piece_switch_interval_bounds_and_raw_value_in_message() {
    let cases: &[(&str, Option<(&str, &str)>)] = &[
        ("1d", None),
        ("1D", None),
        ("24h", None),
        ("86400s", None),
        ("01d", None),
        ("7d", None),
        ("168h", None),
        (
            "86399s",
            Some((
                "OB.Backup.PieceSwitchInterval.Invalid",
                "piece_switch_interval must be between 24h0m0s and 168h0m0s",
            )),
        ),
        (
            "8d",
            Some((
                "OB.Backup.PieceSwitchInterval.Invalid",
                "piece_switch_interval must be between 24h0m0s and 168h0m0s",
            )),
        ),
        (
            "168h1ns",
            Some((
                "Common.InvalidTimeDuration",
                "Time duration '168h1ns' is invalid: invalid format",
            )),
        ),
        (
            "12h",
            Some((
                "OB.Backup.PieceSwitchInterval.Invalid",
                "piece_switch_interval must be between 24h0m0s and 168h0m0s",
            )),
        ),
        (
            "0d",
            Some((
                "Common.InvalidTimeDuration",
                "Time duration '0d' is invalid: time duration is less than min unit",
            )),
        ),
        (
            "366d",
            Some((
                "Common.InvalidTimeDuration",
                "Time duration '366d' is invalid: time duration is greater than max unit",
            )),
        ),
        (
            "1.5D",
            Some((
                "Common.InvalidTimeDuration",
                "Time duration '1.5D' is invalid: invalid format",
            )),
        ),
        (
            "1W",
            Some((
                "Common.InvalidTimeDuration",
                "Time duration '1W' is invalid: invalid time unit",
            )),
        ),
        ("", None),
    ];
    for (scope, method) in ALL {
        for (v, want) in cases {
            let mut c = base(scope);
            c.piece_switch_interval = s(v);
            match want {
                None => assert_ok(&c, scope, method),
                Some((code, msg)) => assert_err(&c, scope, method, code, msg),
            }
        }
    }
    // Not normalized: sent as typed.
    assert_eq!(
        BackupConfig {
            piece_switch_interval: s("6D"),
            ..Default::default()
        }
        .normalized()
        .piece_switch_interval
        .as_deref(),
        Some("6D")
    );
}

#[test]
fn delete_policy_default_only_recovery_window_unchecked() {
    for (scope, method) in ALL {
        for ok in ["", "default", "DEFAULT", "Default"] {
            let mut c = base(scope);
            c.delete_policy = Some(DeletePolicy {
                policy: ok.into(),
                recovery_window: "nonsense".into(),
            });
            assert_ok(&c, scope, method);
        }
        let mut c = base(scope);
        c.delete_policy = Some(DeletePolicy {
            policy: "Weekly".into(),
            recovery_window: "7d".into(),
        });
        assert_err(
            &c,
            scope,
            method,
            "OB.Backup.DeletePolicy.Invalid",
            "Invalid delete policy: 'weekly', must be 'default'",
        );
    }
    let n = BackupConfig {
        delete_policy: Some(DeletePolicy::default()),
        ..Default::default()
    }
    .normalized();
    assert_eq!(n.delete_policy.unwrap().policy, "default");
    // OceanBase refuses a window outside the grammar, and an empty one.
    assert!(backup::recovery_window_refusal("7days").is_some());
    assert!(backup::recovery_window_refusal("").is_some());
    assert!(backup::recovery_window_refusal("1x").is_some());
    assert!(backup::recovery_window_refusal("7d").is_none());
}

#[test]
fn what_the_task_would_refuse_is_named_by_field() {
    use obshell_proto::backup::Refusal;
    use obshell_proto::storage::StorageWarning;
    let cfg = BackupConfig {
        archive_base_uri: Some("oss://b/k?host=h".into()),
        data_base_uri: Some("oss://b/d?host=&access_id=A&access_key=K".into()),
        delete_policy: Some(DeletePolicy {
            policy: "default".into(),
            recovery_window: "1x".into(),
        }),
        ..Default::default()
    };
    let r = backup::task_refusals(&cfg, Scope::Tenant);
    let fields: Vec<_> = r.iter().map(|(f, _)| *f).collect();
    assert_eq!(
        fields,
        [
            Field::DataBaseUri,
            Field::ArchiveBaseUri,
            Field::ArchiveBaseUri,
            Field::RecoveryWindow
        ]
    );
    assert_eq!(r[0].1, Refusal::Storage(StorageWarning::MissingHost));
    assert_eq!(r[1].1, Refusal::Storage(StorageWarning::MissingAccessId));
    assert!(matches!(&r[3].1, Refusal::RecoveryWindow(e) if e.message(Lang::En).contains("'1x'")));
    let ok = BackupConfig {
        backup_base_uri: Some("file:///data/b".into()),
        ..Default::default()
    };
    assert!(backup::task_refusals(&ok, Scope::Cluster).is_empty());
}

#[test]
fn a_single_quote_in_what_the_agent_writes_into_its_sql_is_refused() {
    use obshell_proto::backup::Refusal;
    let quoted = |scope, cfg: BackupConfig| {
        backup::task_refusals(&cfg, scope)
            .into_iter()
            .filter(|(_, r)| *r == Refusal::QuoteInDestination)
            .map(|(f, _)| f)
            .collect::<Vec<_>>()
    };
    let cluster = |uri: &str| BackupConfig {
        backup_base_uri: Some(uri.into()),
        ..Default::default()
    };
    assert_eq!(
        quoted(Scope::Cluster, cluster("file:///data/o'neil")),
        [Field::BackupBaseUri]
    );
    // Percent-encoded in a query value, the agent decodes it before writing the statement.
    assert_eq!(
        quoted(Scope::Cluster, cluster("oss://b/k?host=h&access_id=A&access_key=K%27x")),
        [Field::BackupBaseUri]
    );
    assert_eq!(
        quoted(
            Scope::Tenant,
            BackupConfig {
                archive_base_uri: Some("file:///a'".into()),
                data_base_uri: Some("file:///d".into()),
                ..Default::default()
            }
        ),
        [Field::ArchiveBaseUri]
    );
    assert!(quoted(Scope::Cluster, cluster("file:///data/oneil")).is_empty());
    assert!(quoted(Scope::Cluster, cluster("oss://b/k?host=h&access_id=A&access_key=K\"x")).is_empty());
}

#[test]
fn uri_scheme_prefix_only_at_request_time() {
    for bad in [
        "obs://b/p",
        "FILE:///x",
        "/data/backup",
        "gcs://b/k",
        "file:/x",
        " file:///x",
    ] {
        assert_err(
            &cluster(bad),
            Scope::Cluster,
            Method::Set,
            "OB.Storage.URI.Invalid",
            "Invalid storage URI: invalid path type",
        );
        assert_err(
            &cluster(bad),
            Scope::Cluster,
            Method::Update,
            "OB.Storage.URI.Invalid",
            "Invalid storage URI: invalid path type",
        );
        assert_err(
            &tenant("file:///d", bad),
            Scope::Tenant,
            Method::Set,
            "OB.Storage.URI.Invalid",
            "Invalid storage URI: invalid path type",
        );
        assert_err(
            &tenant(bad, "file:///a"),
            Scope::Tenant,
            Method::Set,
            "OB.Storage.URI.Invalid",
            "Invalid storage URI: invalid path type",
        );
    }
    // Malformed but prefixed: accepted here (the DAG fails later).
    for ok in ["file://data/backup", "oss://b/p", "cos://b/p?host=h", "s3://bucket"] {
        assert_ok(&cluster(ok), Scope::Cluster, Method::Set);
        assert_ok(&tenant(ok, ok), Scope::Tenant, Method::Set);
    }
}

#[test]
fn archive_lag_target_only_with_an_archive_destination() {
    let lag = |uri: Option<&str>, lag: &str| BackupConfig {
        backup_base_uri: uri.map(String::from),
        archive_lag_target: s(lag),
        ..Default::default()
    };
    // Cluster PATCH without backup_base_uri: not checked at all.
    assert_ok(&lag(None, "3h"), Scope::Cluster, Method::Update);
    assert_ok(&lag(None, "garbage"), Scope::Cluster, Method::Update);
    // With the key present, even empty, it is checked.
    assert_err(
        &lag(Some(""), "3H"),
        Scope::Cluster,
        Method::Update,
        "OB.Backup.ArchiveLagTarget.Invalid",
        "archive_lag_target must be less than 2h0m0s",
    );
    assert_err(
        &lag(Some(""), "2X"),
        Scope::Cluster,
        Method::Update,
        "Common.InvalidTimeDuration",
        "Time duration '2x' is invalid: invalid time unit",
    );
    for ok in ["2h", "7200s", "1m", "120s", "1Ms", "1ns"] {
        assert_ok(&lag(Some("file:///b"), ok), Scope::Cluster, Method::Set);
    }
    assert_err(
        &lag(Some("file:///b"), "7201s"),
        Scope::Cluster,
        Method::Set,
        "OB.Backup.ArchiveLagTarget.Invalid",
        "archive_lag_target must be less than 2h0m0s",
    );
    assert_err(
        &lag(Some("file:///b"), "0ms"),
        Scope::Cluster,
        Method::Set,
        "Common.InvalidTimeDuration",
        "Time duration '0ms' is invalid: time duration is less than min unit",
    );
    // S3: at least one minute.
    assert_err(
        &lag(Some("s3://b/k?host=h"), "59s"),
        Scope::Cluster,
        Method::Set,
        "OB.Backup.ArchiveLagTargetForS3.Invalid",
        "archive_lag_target must be greater than 1m0s for S3",
    );
    assert_ok(&lag(Some("s3://b/k?host=h"), "60s"), Scope::Cluster, Method::Set);
    assert_ok(&lag(Some("oss://b/k?host=h"), "59s"), Scope::Cluster, Method::Set);
    // Tenant: only a non-empty archive_base_uri triggers it.
    let t = |archive: Option<&str>, data: Option<&str>, l: &str| BackupConfig {
        archive_base_uri: archive.map(String::from),
        data_base_uri: data.map(String::from),
        archive_lag_target: s(l),
        ..Default::default()
    };
    assert_ok(&t(Some(""), None, "3h"), Scope::Tenant, Method::Update);
    assert_ok(&t(None, Some("s3://b/k?host=h"), "1s"), Scope::Tenant, Method::Update);
    assert_err(
        &t(Some("file:///a"), None, "3h"),
        Scope::Tenant,
        Method::Update,
        "OB.Backup.ArchiveLagTarget.Invalid",
        "archive_lag_target must be less than 2h0m0s",
    );
    assert_err(
        &t(Some("s3://b/k?host=h"), Some("file:///d"), "1s"),
        Scope::Tenant,
        Method::Set,
        "OB.Backup.ArchiveLagTargetForS3.Invalid",
        "archive_lag_target must be greater than 1m0s for S3",
    );
    // S3 data destination with a file archive destination: no S3 minimum.
    assert_ok(
        &t(Some("file:///a"), Some("s3://b/k?host=h"), "1s"),
        Scope::Tenant,
        Method::Set,
    );
}

#[test]
fn rule_order_for_bodies_with_several_errors() {
    let all_bad = BackupConfig {
        backup_base_uri: s("obs://x"),
        archive_base_uri: s("obs://x"),
        data_base_uri: s("obs://x"),
        log_archive_concurrency: Some(101),
        ha_low_thread_score: Some(-1),
        binding: s("foo"),
        piece_switch_interval: s("1w"),
        archive_lag_target: s("3h"),
        delete_policy: Some(DeletePolicy {
            policy: "x".into(),
            recovery_window: String::new(),
        }),
    };
    let expected = [
        "OB.Backup.LogArchiveConcurrency.Invalid",
        "OB.Backup.HaLowThreadScore.Invalid",
        "OB.Backup.Binding.Invalid",
        "Common.InvalidTimeDuration",
        "OB.Backup.DeletePolicy.Invalid",
        "OB.Storage.URI.Invalid",
        "OB.Backup.ArchiveLagTarget.Invalid",
    ];
    for (scope, method) in ALL {
        let mut c = all_bad.clone();
        for want in expected {
            let e = backup::validate(&c, scope, method).expect_err(want);
            assert_eq!(e.err_code(), want, "{scope:?} {method:?}");
            match want {
                "OB.Backup.LogArchiveConcurrency.Invalid" => c.log_archive_concurrency = None,
                "OB.Backup.HaLowThreadScore.Invalid" => c.ha_low_thread_score = None,
                "OB.Backup.Binding.Invalid" => c.binding = None,
                "Common.InvalidTimeDuration" => c.piece_switch_interval = None,
                "OB.Backup.DeletePolicy.Invalid" => c.delete_policy = None,
                "OB.Storage.URI.Invalid" => {
                    c.backup_base_uri = s("file:///b");
                    c.archive_base_uri = s("file:///a");
                    c.data_base_uri = s("file:///d");
                }
                _ => c.archive_lag_target = None,
            }
        }
        assert_ok(&c, scope, method);
    }
    // The method pre-check comes before everything else.
    let mut c = all_bad.clone();
    c.backup_base_uri = None;
    c.archive_base_uri = None;
    assert_eq!(
        backup::validate(&c, Scope::Cluster, Method::Update)
            .unwrap_err()
            .err_code(),
        "OB.Backup.BaseUriEmpty"
    );
    assert_eq!(
        backup::validate(&c, Scope::Tenant, Method::Set).unwrap_err().err_code(),
        "OB.Backup.ArchiveBaseUriEmpty"
    );
    // Tenant: the archive URI is checked before the data URI.
    let t = tenant("gcs://d", "obs://a");
    assert_eq!(
        first(&t, Scope::Tenant, Method::Set).2,
        "Invalid storage URI: invalid path type"
    );
}

#[test]
fn serialization_omits_unset_fields_and_other_scopes_keys() {
    let c = BackupConfig {
        backup_base_uri: s("file:///b"),
        data_base_uri: s("file:///d"),
        binding: s("optional"),
        ..Default::default()
    };
    assert_eq!(
        c.to_json(Scope::Cluster).to_string(),
        r#"{"backup_base_uri":"file:///b","binding":"optional"}"#
    );
    assert_eq!(
        c.to_json(Scope::Tenant).to_string(),
        r#"{"binding":"optional","data_base_uri":"file:///d"}"#
    );
    assert_eq!(BackupConfig::default().to_json(Scope::Cluster).to_string(), "{}");
    let full = BackupConfig {
        backup_base_uri: s("file:///data/backup"),
        log_archive_concurrency: Some(100),
        binding: s("Mandatory"),
        ha_low_thread_score: Some(35),
        piece_switch_interval: s("6d"),
        archive_lag_target: s("2h"),
        delete_policy: Some(DeletePolicy {
            policy: String::new(),
            recovery_window: "5d".into(),
        }),
        ..Default::default()
    };
    let v = full.to_json(Scope::Cluster);
    assert_eq!(
        v["delete_policy"],
        serde_json::json!({"policy": "", "recovery_window": "5d"})
    );
    assert_eq!(
        obshell_proto::agent::bind::decode_like_agent(v.to_string().as_bytes(), Scope::Cluster).unwrap(),
        full
    );
    assert_ok(&full, Scope::Cluster, Method::Set);
}

#[test]
fn field_errors_collects_everything_next_to_its_field() {
    let c = BackupConfig {
        backup_base_uri: s("file://data/backup"),
        log_archive_concurrency: Some(101),
        archive_lag_target: s("3h"),
        ..Default::default()
    };
    let errs = backup::field_errors(&c, Scope::Cluster, Method::Set);
    let fields: Vec<Field> = errs.iter().map(|(f, _)| *f).collect();
    assert_eq!(
        fields,
        vec![
            Field::LogArchiveConcurrency,
            Field::BackupBaseUri,
            Field::ArchiveLagTarget
        ]
    );
    assert_eq!(
        errs[1].1.message(Lang::En),
        "Invalid storage URI: invalid file path, must start with '/'"
    );
    let t = backup::field_errors(&BackupConfig::default(), Scope::Tenant, Method::Set);
    assert_eq!(
        t.iter().map(|(f, _)| *f).collect::<Vec<_>>(),
        vec![Field::DataBaseUri, Field::ArchiveBaseUri]
    );
    assert!(backup::field_errors(&base(Scope::Tenant), Scope::Tenant, Method::Set).is_empty());
    let p = backup::field_errors(
        &BackupConfig {
            binding: s("x"),
            ..Default::default()
        },
        Scope::Cluster,
        Method::Update,
    );
    assert_eq!(p[0].0, Field::Binding);
    let none = BackupConfig::default();
    assert_eq!(
        Field::for_error(Scope::Cluster, "OB.Backup.Binding.Invalid", "", &none),
        Some(Field::Binding)
    );
    assert_eq!(Field::for_error(Scope::Tenant, "Task.NotFound", "", &none), None);
    let sent = BackupConfig {
        piece_switch_interval: s("8X"),
        archive_lag_target: s("2Q"),
        ..Default::default()
    };
    let msg = |v: &str| format!("Time duration '{v}' is invalid: invalid time unit");
    assert_eq!(
        Field::for_error(Scope::Cluster, "Common.InvalidTimeDuration", &msg("8X"), &sent),
        Some(Field::PieceSwitchInterval)
    );
    assert_eq!(
        Field::for_error(Scope::Cluster, "Common.InvalidTimeDuration", &msg("2q"), &sent),
        Some(Field::ArchiveLagTarget)
    );
    assert_eq!(
        Field::for_error(Scope::Cluster, "Common.InvalidTimeDuration", &msg("zz"), &sent),
        None
    );
}

#[test]
fn decoding_like_the_agent() {
    use Scope::*;
    let bind = |body: &str, scope| {
        obshell_proto::agent::bind::decode_like_agent(body.as_bytes(), scope)
            .map_err(|e| (e.err_code(), e.status(), e.message(Lang::En)))
    };
    let c = bind(
        r#"{"BACKUP_BASE_URI":"file:///a","backup_base_uri":null,"Binding":"x","binding":"y","unknown":[1,{}]}"#,
        Cluster,
    )
    .unwrap();
    assert_eq!(c.backup_base_uri, None, "exact-name match, null ≡ absent");
    assert_eq!(c.binding.as_deref(), Some("y"));
    assert_eq!(bind("null", Cluster).unwrap(), BackupConfig::default());
    let c = bind(r#"{"delete_policy":{}}"#, Tenant).unwrap();
    assert_eq!(c.delete_policy, Some(DeletePolicy::default()));
    let e = |body: &str, scope| bind(body, scope).unwrap_err().2;
    assert_eq!(
        e(r#"{"log_archive_concurrency":"10"}"#, Cluster),
        "Bind JSON failed: json: cannot unmarshal string into Go struct field ClusterBackupConfigParam.BaseBackupConfigParam.log_archive_concurrency of type int"
    );
    assert_eq!(
        e(r#"{"log_archive_concurrency":10.5}"#, Cluster),
        "Bind JSON failed: json: cannot unmarshal number 10.5 into Go struct field ClusterBackupConfigParam.BaseBackupConfigParam.log_archive_concurrency of type int"
    );
    assert_eq!(
        e(r#"{"binding":1}"#, Cluster),
        "Bind JSON failed: json: cannot unmarshal number into Go struct field ClusterBackupConfigParam.LogArchiveDestConf.binding of type string"
    );
    assert_eq!(
        e(r#"{"ha_low_thread_score":true}"#, Tenant),
        "Bind JSON failed: json: cannot unmarshal bool into Go struct field TenantBackupConfigParam.BaseBackupConfigParam.ha_low_thread_score of type int"
    );
    assert_eq!(e(r#"{"binding":"#, Cluster), "Bind JSON failed: unexpected EOF");
    assert_eq!(
        e(r#"[]"#, Cluster),
        "Bind JSON failed: json: cannot unmarshal array into Go value of type param.ClusterBackupConfigParam"
    );
    assert_eq!(
        e("{x", Cluster),
        "Bind JSON failed: invalid character 'x' looking for beginning of object key string"
    );
    assert_eq!(
        bind(r#"{"log_archive_concurrency":"1"}"#, Cluster).unwrap_err().0,
        "Common.BindJsonFailed"
    );
    assert_eq!(bind(r#"{"log_archive_concurrency":"1"}"#, Cluster).unwrap_err().1, 400);
    // Trailing data after the first value is ignored, as json.Decoder does.
    assert!(bind(r#"{} trailing"#, Cluster).is_ok());
}
