#![cfg(not(target_arch = "wasm32"))]
//! The duration grammar (every unit, every failure reason) and storage URIs (every scheme,
//! well-formed and malformed, with the agent's DAG-time messages).

use obshell_proto::duration::{self, DurationError, DurationInput, GoDuration, Unit};
use obshell_proto::storage::{self, Scheme, StorageDest, StorageWarning};
use obshell_proto::Lang;

#[test]
fn every_unit_case_insensitive() {
    let cases = [
        ("1ns", 1),
        ("1NS", 1),
        ("1us", 1_000),
        ("1Us", 1_000),
        ("1ms", 1_000_000),
        ("1mS", 1_000_000),
        ("1s", 1_000_000_000),
        ("1S", 1_000_000_000),
        ("1m", 60_000_000_000),
        ("1M", 60_000_000_000),
        ("1h", 3_600_000_000_000),
        ("1H", 3_600_000_000_000),
        ("1d", 86_400_000_000_000),
        ("1D", 86_400_000_000_000),
        ("007d", 7 * 86_400_000_000_000),
        ("365d", 365 * 86_400_000_000_000),
    ];
    for (s, n) in cases {
        assert_eq!(duration::parse(s), Ok(GoDuration(n)), "{s}");
    }
}

#[test]
fn every_failure_reason() {
    use DurationError::*;
    let cases = [
        ("", InvalidFormat),
        ("d", InvalidFormat),
        ("1", InvalidFormat),
        ("1.5d", InvalidFormat),
        ("1 d", InvalidFormat),
        ("+1d", InvalidFormat),
        ("-1d", InvalidFormat),
        ("1h30m", InvalidFormat),
        ("1d ", InvalidFormat),
        ("1d\n", InvalidFormat),
        ("１d", InvalidFormat),
        ("1µs", InvalidFormat),
        ("1w", InvalidTimeUnit),
        ("1mo", InvalidTimeUnit),
        ("1y", InvalidTimeUnit),
        ("1sec", InvalidTimeUnit),
        ("99999999999999999999d", InvalidNumber),
        ("0d", LessThanMin),
        ("0ns", LessThanMin),
        ("0ms", LessThanMin),
        // Go's int64 multiplication wraps: a huge day count turns negative.
        ("9999999999999d", LessThanMin),
        ("366d", GreaterThanMax),
        ("8761h", GreaterThanMax),
        ("31536000001ms", GreaterThanMax),
    ];
    for (s, want) in cases {
        assert_eq!(duration::parse(s), Err(want), "{s:?}");
    }
    assert_eq!(
        DurationError::InvalidTimeUnit.to_agent_error("1w").message(Lang::En),
        "Time duration '1w' is invalid: invalid time unit"
    );
    assert_eq!(
        DurationError::LessThanMin.to_agent_error("0d").message(Lang::Zh),
        "时间段 '0d' 无效：time duration is less than min unit"
    );
}

#[test]
fn duration_input_splits_and_renders() {
    assert_eq!(
        DurationInput::split("6D"),
        Some(DurationInput {
            value: 6,
            unit: Unit::D
        })
    );
    assert_eq!(DurationInput::split("1h30m"), None);
    assert_eq!(
        DurationInput {
            value: 7200,
            unit: Unit::S
        }
        .to_string(),
        "7200s"
    );
    assert_eq!(GoDuration(7 * 86_400_000_000_000).to_string(), "168h0m0s");
}

fn err(uri: &str) -> String {
    StorageDest::parse(uri).unwrap_err().message(Lang::En)
}

#[test]
fn file_uris() {
    let d = StorageDest::parse("file:///data/backup").unwrap();
    assert_eq!(d.scheme, Some(Scheme::File));
    assert_eq!(d.path, "/data/backup");
    assert_eq!(d.to_uri(), "file:///data/backup");
    assert_eq!(
        d.with_subpath("1/1002/clog").uri_without_secret(),
        "file:///data/backup/1/1002/clog"
    );
    assert_eq!(
        err("file://data/backup"),
        "Invalid storage URI: invalid file path, must start with '/'"
    );
    assert_eq!(
        err("file:///data?x"),
        "Invalid storage URI: invalid file path, contains invalid character '?'"
    );
    assert_eq!(
        err("file://"),
        "Invalid storage URI: invalid file path, must start with '/'"
    );
    assert!(d.warnings().is_empty());
}

#[test]
fn object_store_uris() {
    let d = StorageDest::parse(
        "oss://bkt/obbackup/?host=oss-cn.example.com&access_id=AK&access_key=S+K&delete_mode=tagging",
    )
    .unwrap();
    assert_eq!(
        (d.bucket.as_str(), d.object_key.as_str(), d.host.as_str()),
        ("bkt", "obbackup", "oss-cn.example.com")
    );
    assert_eq!(
        (d.access_id.as_str(), d.access_key.as_str(), d.delete_mode.as_str()),
        ("AK", "S+K", "tagging")
    );
    assert_eq!(
        d.uri_without_secret(),
        "oss://bkt/obbackup?host=oss-cn.example.com&delete_mode=tagging"
    );
    assert_eq!(
        d.with_subpath("1/1002/clog").generate_uri(),
        "oss://bkt/obbackup/1/1002/clog?host=oss-cn.example.com&delete_mode=tagging&access_id=AK&access_key=S+K"
    );
    let cos = StorageDest::parse("cos://b/k?host=cos.example.com&appid=125&access_id=a&access_key=k").unwrap();
    assert_eq!(cos.appid, "125");
    assert_eq!(cos.uri_without_secret(), "cos://b/k?host=cos.example.com&appid=125");
    let s3 = StorageDest::parse(
        "s3://b/k?host=s3.example.com&s3_region=us-east-1&access_id=a&access_key=k&force_path_style=true",
    )
    .unwrap();
    assert_eq!((s3.s3_region.as_str(), s3.force_path_style), ("us-east-1", true));
    assert_eq!(
        s3.uri_without_secret(),
        "s3://b/k?host=s3.example.com&s3_region=us-east-1"
    );
    // appid / region only mean something for their own scheme.
    assert_eq!(
        StorageDest::parse("oss://b/k?host=h&appid=1&s3_region=r")
            .unwrap()
            .uri_without_secret(),
        "oss://b/k?host=h"
    );
}

#[test]
fn object_store_malformed() {
    assert_eq!(
        err("oss://bucket"),
        "parse oss config: Invalid storage URI: invalid url format"
    );
    assert_eq!(
        err("oss://b/p"),
        "parse oss config: Invalid storage URI: invalid url format, missing query params"
    );
    assert_eq!(
        err("oss://b/p?"),
        "parse oss config: Invalid storage URI: invalid url format, missing query params"
    );
    assert_eq!(
        err("s3://b/p"),
        "parse s3 config: Invalid storage URI: invalid url format, missing query params"
    );
    assert_eq!(err("cos://b/p?host=h"), "Invalid storage URI: cos appid is required");
    assert_eq!(
        err("cos://b"),
        "parse cos config: Invalid storage URI: invalid url format"
    );
    assert_eq!(err("obs://b/p?host=h"), "Invalid storage URI: invalid uri protocol");
    let e = StorageDest::parse("oss://b/p?host=%zz").unwrap_err();
    assert_eq!(
        (e.err_code(), e.message(Lang::En).as_str()),
        ("Common.Unexpected", "parse oss config: invalid URL escape \"%zz\"")
    );
    assert_eq!(
        e.task_log_line(),
        "ERROR: [Common.Unexpected]: Unexpected error: parse oss config: invalid URL escape \"%zz\""
    );
    assert_eq!(
        err("oss://b/p?host=h;x=1"),
        "parse oss config: invalid semicolon separator in query"
    );
    let e = StorageDest::parse("cos://b/p?host=h")
        .unwrap_err()
        .wrap("get archive storage interface")
        .wrap("check archive path");
    assert_eq!(e.task_log_line(), "ERROR: [OB.Storage.URI.Invalid]: check archive path: get archive storage interface: Invalid storage URI: cos appid is required");
    // Missing host/credentials parse but would fail the write test.
    let d = StorageDest::parse("oss://b/p?x=1").unwrap();
    assert_eq!(
        d.warnings(),
        vec![
            StorageWarning::MissingHost,
            StorageWarning::MissingAccessId,
            StorageWarning::MissingAccessKey
        ]
    );
}

#[test]
fn built_uris_round_trip_through_the_parser() {
    for scheme in [Scheme::Oss, Scheme::Cos, Scheme::S3] {
        let mut d = StorageDest::new(scheme);
        d.bucket = "bkt".into();
        d.object_key = "a/b".into();
        d.host = "h.example.com".into();
        d.access_id = "id&=%#;".into();
        d.access_key = "k+/ ey\u{7}".into();
        d.delete_mode = "delete".into();
        if scheme == Scheme::Cos {
            d.appid = "123".into();
        }
        if scheme == Scheme::S3 {
            d.s3_region = "eu-west-1".into();
            d.force_path_style = true;
        }
        let uri = d.to_uri();
        assert_eq!(StorageDest::parse(&uri).unwrap(), d, "{uri}");
        let red = storage::redact(&uri);
        assert!(
            !red.contains("access") && !red.contains("id&") && !red.contains("ey"),
            "{red}"
        );
        assert_eq!(storage::resource_type(&uri).unwrap(), scheme);
    }
}

#[test]
fn redaction_never_shows_credentials() {
    assert_eq!(
        storage::redact("oss://b/k?host=h&access_id=AK&access_key=SK"),
        "oss://b/k?host=h"
    );
    assert_eq!(storage::redact("s3://b/k?ACCESS_KEY=SK&host=h"), "s3://b/k?host=h");
    assert_eq!(storage::redact("oss://b/k?access_key=SK"), "oss://b/k");
    assert_eq!(storage::redact("file:///x"), "file:///x");
    let d = StorageDest::parse("oss://b/k?host=h&access_id=AK&access_key=SK").unwrap();
    assert!(!format!("{d:?}").contains("SK"));
}

#[test]
fn switching_the_storage_type_clears_what_belongs_to_the_old_provider() {
    let mut d =
        StorageDest::parse("s3://b/k?host=s3.example.com&s3_region=us-east-1&access_id=A&access_key=K").unwrap();
    d.switch_scheme(Scheme::Oss);
    assert_eq!(d.to_uri(), "oss://b/k?host=&access_id=A&access_key=K");
    let mut c = StorageDest::parse("cos://b/k?host=cos.example.com&appid=125&access_id=A&access_key=K").unwrap();
    c.switch_scheme(Scheme::Cos);
    assert_eq!(c.appid, "125", "same type: nothing cleared");
    c.switch_scheme(Scheme::S3);
    assert!(c.host.is_empty() && c.appid.is_empty());
}

#[test]
fn a_destination_is_the_same_without_its_credentials_or_trailing_slash() {
    assert!(storage::same_destination("file:///data/bk", "file:///data/bk/"));
    assert!(storage::same_destination(
        "oss://b/k?host=h",
        "oss://b/k/?host=h&access_id=A&access_key=K"
    ));
    assert!(!storage::same_destination("oss://b/k?host=h", "oss://b/k?host=h2"));
    assert!(!storage::same_destination("file:///data/a", "file:///data/b"));
    assert!(storage::same_destination("obs://x", "obs://x"));
}

#[test]
fn the_cluster_base_is_what_every_tenant_s_destinations_share() {
    let t = [
        (
            1002,
            "file:///data/backup/1/1002/clog",
            "file:///data/backup/1/1002/data",
        ),
        (
            1004,
            "file:///data/backup/1/1004/clog",
            "file:///data/backup/1/1004/data",
        ),
    ];
    assert_eq!(storage::cluster_base(&t).as_deref(), Some("file:///data/backup"));
    let oss = [(
        1002,
        "oss://bkt/ob/7/1002/clog?host=h",
        "oss://bkt/ob/7/1002/data?host=h",
    )];
    assert_eq!(storage::cluster_base(&oss).as_deref(), Some("oss://bkt/ob?host=h"));
    // One tenant configured on its own, or unconfigured, or another base: no cluster base.
    let mixed = [t[0], (1004, "file:///else/", "file:///data/backup/1/1004/data")];
    assert_eq!(storage::cluster_base(&mixed), None);
    assert_eq!(storage::cluster_base(&[t[0], (1004, "", "")]), None);
    let other = [t[0], (1004, "file:///x/1/1004/clog", "file:///x/1/1004/data")];
    assert_eq!(storage::cluster_base(&other), None);
    // The tenant id must be the tenant's own.
    assert_eq!(storage::cluster_base(&[(1004, t[0].1, t[0].2)]), None);
}

#[test]
fn credentials_are_replaced_where_present_and_stay_empty_where_missing() {
    let shown = storage::replace_credentials("oss://b/k?host=h&access_id=AKIA&access_key=", |_| "****".into());
    assert_eq!(shown, "oss://b/k?host=h&access_id=****&access_key=");
    let cli = storage::replace_credentials("s3://b/k?host=h&access_id=A&access_key=S", |k| {
        format!("<{}>", k.to_uppercase())
    });
    assert_eq!(cli, "s3://b/k?host=h&access_id=<ACCESS_ID>&access_key=<ACCESS_KEY>");
    assert_eq!(storage::replace_credentials("file:///x", |_| "*".into()), "file:///x");
}
