//! Backup-configuration endpoints: the agent's check order with representative errors of each
//! rule class (the detailed rules are tested in obshell-proto), plus readback.

mod support;
use obshell_sim::Config;
use support::*;

const CLUSTER: &str = "/api/v1/obcluster/backup/config";
const T1: &str = "/api/v1/tenant/t1/backup/config";

#[tokio::test]
async fn cluster_endpoint_validation_in_agent_order() {
    let sim = start_default().await;
    let c = &sim.client;
    let cases: &[(&str, &str, &str, &str)] = &[
        ("POST", "{}", "OB.Backup.BaseUriEmpty", "backup_base_uri cannot be empty"),
        ("POST", r#"{"backup_base_uri":""}"#, "OB.Backup.BaseUriEmpty", "backup_base_uri cannot be empty"),
        ("PATCH", r#"{"binding":"optional"}"#, "OB.Backup.BaseUriEmpty", "backup_base_uri cannot be empty: If binding is set, backup_base_uri must be set"),
        ("PATCH", r#"{"piece_switch_interval":"1d"}"#, "OB.Backup.BaseUriEmpty", "backup_base_uri cannot be empty: If piece_switch_interval is set, backup_base_uri must be set"),
        ("POST", r#"{"backup_base_uri":"file:///b","log_archive_concurrency":101}"#, "OB.Backup.LogArchiveConcurrency.Invalid", "log_archive_concurrency must be between 0 and 100"),
        ("POST", r#"{"backup_base_uri":"file:///b","ha_low_thread_score":-1}"#, "OB.Backup.HaLowThreadScore.Invalid", "ha_low_thread_score must be between 0 and 100"),
        ("POST", r#"{"backup_base_uri":"file:///b","binding":"foo"}"#, "OB.Backup.Binding.Invalid", "Invalid binding mode: FOO, must be OPTIONAL or MANDATORY"),
        ("POST", r#"{"backup_base_uri":"file:///b","piece_switch_interval":"1.5d"}"#, "Common.InvalidTimeDuration", "Time duration '1.5d' is invalid: invalid format"),
        ("POST", r#"{"backup_base_uri":"file:///b","piece_switch_interval":"12h"}"#, "OB.Backup.PieceSwitchInterval.Invalid", "piece_switch_interval must be between 24h0m0s and 168h0m0s"),
        ("POST", r#"{"backup_base_uri":"file:///b","delete_policy":{"policy":"Weekly"}}"#, "OB.Backup.DeletePolicy.Invalid", "Invalid delete policy: 'weekly', must be 'default'"),
        ("POST", r#"{"backup_base_uri":"obs://b/p"}"#, "OB.Storage.URI.Invalid", "Invalid storage URI: invalid path type"),
        ("POST", r#"{"backup_base_uri":"file:///b","archive_lag_target":"7201s"}"#, "OB.Backup.ArchiveLagTarget.Invalid", "archive_lag_target must be less than 2h0m0s"),
        ("POST", r#"{"backup_base_uri":"s3://b/p?host=h","archive_lag_target":"30s"}"#, "OB.Backup.ArchiveLagTargetForS3.Invalid", "archive_lag_target must be greater than 1m0s for S3"),
        // `backup_base_uri: ""` on PATCH still makes the lag target validated.
        ("PATCH", r#"{"backup_base_uri":"","archive_lag_target":"1W"}"#, "Common.InvalidTimeDuration", "Time duration '1w' is invalid: invalid time unit"),
        ("POST", r#"{"backup_base_uri":"file:///b","log_archive_concurrency":"10"}"#, "Common.BindJsonFailed", "Bind JSON failed: json: cannot unmarshal string into Go struct field ClusterBackupConfigParam.BaseBackupConfigParam.log_archive_concurrency of type int"),
        ("POST", r#"{"backup_base_uri":"file:///b","log_archive_concurrency":10.5}"#, "Common.BindJsonFailed", "Bind JSON failed: json: cannot unmarshal number 10.5 into Go struct field ClusterBackupConfigParam.BaseBackupConfigParam.log_archive_concurrency of type int"),
        ("POST", r#"{"backup_base_uri":"file:///b""#, "Common.BindJsonFailed", "Bind JSON failed: unexpected EOF"),
    ];
    for (method, body, code, msg) in cases {
        let r = c.call(method, CLUSTER, Some(body)).await;
        assert_eq!(
            (r.status, r.err_code(), r.message()),
            (400, code.to_string(), msg.to_string()),
            "{method} {body}"
        );
        // `dag, err := ob.PostObclusterBackupConfig(…); SendResponse(c, dag, err)`: the executor's
        // errors carry the nil `*DagDetailDTO` as `"data":null`; a bind error has no `data`.
        let data = if *code == "Common.BindJsonFailed" {
            None
        } else {
            Some(serde_json::Value::Null)
        };
        assert_eq!(
            r.json().as_object().unwrap().get("data").cloned(),
            data,
            "{method} {body}: {}",
            r.text()
        );
    }
    let raw = c.post(CLUSTER, "{}").await.text();
    assert!(
        raw.contains(r#""traceId":"#) && raw.contains(r#","data":null,"error":{"#),
        "{raw}"
    );
    // Accepted as the agent accepts them: unvalidated fields, malformed-but-prefixed URIs,
    // unknown keys, null, case-insensitive keys.
    for (method, body) in [
        ("PATCH", r#"{"archive_lag_target":"forever"}"#),
        ("PATCH", r#"{"delete_policy":{"recovery_window":""}}"#),
        ("POST", r#"{"backup_base_uri":"oss://bucket/p"}"#),
        (
            "POST",
            r#"{"BACKUP_BASE_URI":"file:///b","extra":1,"binding":null,"Location":"x"}"#,
        ),
        ("PATCH", "null"),
        ("PATCH", ""),
    ] {
        let d = c.call(method, CLUSTER, Some(body)).await.assert_ok();
        assert_eq!(d["name"], "Set obcluster backup config", "{body}");
    }
    // Concurrent cluster DAGs are allowed (no lock).
    assert!(
        c.get("/api/v1/task/dags/ob?show_details=false").await.assert_ok()["contents"]
            .as_array()
            .unwrap()
            .len()
            >= 6
    );
}

#[tokio::test]
async fn tenant_endpoint_checks_and_lock() {
    let sim = start_default().await;
    let c = &sim.client;
    c.post("/api/v1/tenant/sys/backup/config", "{}").await.assert_err(
        400,
        "OB.Tenant.SysOperationNotAllowed",
        "System tenant is not allowed to perform this operation",
    );
    c.post("/api/v1/tenant/nope/backup/config", "{}").await.assert_err(
        400,
        "OB.Tenant.NotExist",
        "Tenant 'nope' does not exist.",
    );
    c.post("/api/v1/tenant//backup/config", "{}")
        .await
        .assert_err(400, "OB.Tenant.Name.Empty", "Tenant name is empty");
    // Tenant checks come before binding.
    c.post("/api/v1/tenant/nope/backup/config", "[").await.assert_err(
        400,
        "OB.Tenant.NotExist",
        "Tenant 'nope' does not exist.",
    );
    c.post(T1, "[")
        .await
        .assert_err(400, "Common.BindJsonFailed", "Bind JSON failed: unexpected EOF");
    c.post(T1, r#"{"data_base_uri":1}"#).await.assert_err(400, "Common.BindJsonFailed", "Bind JSON failed: json: cannot unmarshal number into Go struct field TenantBackupConfigParam.data_base_uri of type string");
    c.post(T1, r#"{"archive_base_uri":"file:///a"}"#).await.assert_err(
        400,
        "OB.Backup.DataBaseUriEmpty",
        "data_base_uri cannot be empty",
    );
    c.post(T1, r#"{"data_base_uri":"file:///d"}"#).await.assert_err(
        400,
        "OB.Backup.ArchiveBaseUriEmpty",
        "archive_base_uri cannot be empty",
    );
    c.patch(T1, r#"{"archive_base_uri":"","binding":"x"}"#)
        .await
        .assert_err(
            400,
            "OB.Backup.ArchiveBaseUriEmpty",
            "archive_base_uri cannot be empty: If binding is set, archive_base_uri must be set",
        );
    c.post(
        T1,
        r#"{"data_base_uri":"cos://b/k?host=h","archive_base_uri":"file:///a"}"#,
    )
    .await
    .assert_ok();
    // The tenant lock holds until the DAG succeeds (cos without appid fails node 1).
    let r = c.patch(T1, r#"{"ha_low_thread_score":1}"#).await;
    r.assert_err(500, "OB.Tenant.UnderMaintenance", "Create task 'Set obcluster backup config for t1' failed: Tenant 't1' is under maintenance, please try again later.");
    // Tenant lag target is validated only with a non-empty archive_base_uri.
    c.patch(
        "/api/v1/tenant/t2/backup/config",
        r#"{"archive_base_uri":"","archive_lag_target":"3h"}"#,
    )
    .await
    .assert_ok();
}

#[tokio::test]
async fn storage_readback_hides_secrets_and_identity_and_no_tenants() {
    let sim = start_default().await;
    let c = &sim.client;
    let empty = c.get("/api/v1/tenant/t1/backup/config/storage").await.assert_ok();
    assert_eq!(
        empty,
        serde_json::json!({"tenant_id":1002,"archive_base_uri":"","data_base_uri":""})
    );
    let id = c
        .post(T1, r#"{"data_base_uri":"oss://bkt/data?host=oss.example.com&access_id=AK&access_key=SK","archive_base_uri":"s3://bkt/clog?host=s3.example.com&s3_region=us-east-1&access_id=AK&access_key=SK"}"#)
        .await
        .assert_ok()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let d = c.wait_finished(&id).await;
    assert_eq!(d["state"], "SUCCEED", "{d}");
    let logs = &node_logs(&d, 2)[0];
    assert!(
        logs.contains(&"URI is 's3://bkt/clog/?host=s3.example.com&s3_region=us-east-1'".to_string()),
        "{logs:?}"
    );
    let s = c.get("/api/v1/tenant/t1/backup/config/storage").await.assert_ok();
    // Re-parsing the stored URI trims the object key's trailing '/', as the agent does.
    assert_eq!(
        s["archive_base_uri"],
        "s3://bkt/clog?host=s3.example.com&s3_region=us-east-1"
    );
    assert_eq!(s["data_base_uri"], "oss://bkt/data?host=oss.example.com");
    // A rendered URI that still says access_key: the handler returns a nil pointer.
    let id = c
        .patch(
            "/api/v1/tenant/t2/backup/config",
            r#"{"data_base_uri":"file:///access_key/d"}"#,
        )
        .await
        .assert_ok()["id"]
        .as_str()
        .unwrap()
        .to_string();
    c.wait_finished(&id).await;
    let r = c.get("/api/v1/tenant/t2/backup/config/storage").await;
    assert_eq!(r.status, 200);
    assert!(r.text().ends_with(r#","data":null}"#), "{}", r.text());
    sim.handle.shutdown().await;

    let sim = start(Config {
        tenants: vec![],
        ..Config::for_tests()
    })
    .await;
    // No user tenants beats parameter errors.
    sim.client
        .post(CLUSTER, r#"{"backup_base_uri":"file:///b","binding":"foo"}"#)
        .await
        .assert_err(400, "OB.Backup.NoUserTenants", "No user tenants found");
    sim.client
        .post(CLUSTER, "{}")
        .await
        .assert_err(400, "OB.Backup.BaseUriEmpty", "backup_base_uri cannot be empty");
    let ov = sim.client.get("/api/v1/tenants/overview").await.assert_ok();
    assert_eq!(ov["contents"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn parameters_readback() {
    let sim = start_default().await;
    let c = &sim.client;
    let p = c
        .get("/api/v1/tenant/sys/parameter/archive_lag_target")
        .await
        .assert_ok();
    assert_eq!(
        p,
        serde_json::json!({"name":"archive_lag_target","value":"2m","data_type":"TIME","info":p["info"],"edit_level":"DYNAMIC_EFFECTIVE"})
    );
    let r = c.get("/api/v1/tenant/t1/parameter/nope").await;
    r.assert_err(
        400,
        "OB.Tenant.Parameter.NotExist",
        "Tenant parameter 'nope' does not exist.",
    );
    assert_eq!(
        r.json()["data"],
        serde_json::Value::Null,
        "the executor's nil *GvObParameter"
    );
    let r = c.get("/api/v1/tenant/zz/parameter/nope").await;
    r.assert_err(400, "OB.Tenant.NotExist", "Tenant 'zz' does not exist.");
    assert!(r.json().get("data").is_none(), "the tenant guard sends no data");
    // The view's collation: case and trailing spaces do not matter.
    assert_eq!(
        c.get("/api/v1/tenant/sys/parameter/ARCHIVE_LAG_TARGET%20")
            .await
            .assert_ok()["name"],
        "archive_lag_target"
    );
    let all = c.get("/api/v1/tenant/t1/parameters").await.assert_ok();
    assert!(all["contents"].as_array().unwrap().len() >= 5);
    let ha = c
        .get("/api/v1/tenant/t1/parameters?filter=ha%5C_low%25")
        .await
        .assert_ok();
    assert_eq!(ha["contents"][0]["name"], "ha_low_thread_score");
    let id = c
        .patch(
            CLUSTER,
            r#"{"log_archive_concurrency":7,"archive_lag_target":"90S","ha_low_thread_score":9}"#,
        )
        .await
        .assert_ok()["id"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(c.wait_finished(&id).await["state"], "SUCCEED");
    for (p, v) in [
        ("log_archive_concurrency", "7"),
        ("archive_lag_target", "90s"),
        ("ha_low_thread_score", "9"),
    ] {
        assert_eq!(
            c.get(&format!("/api/v1/tenant/t2/parameter/{p}")).await.assert_ok()["value"],
            v
        );
    }
    let r = c.get("/api/v1/tenants/overview?mode=PG").await;
    r.assert_err(400, "OB.Tenant.Mode.NotSupported", "Tenant mode 'PG' is not supported.");
    assert_eq!(
        r.json()["data"],
        serde_json::json!({"contents": null}),
        "a nil slice is still wrapped"
    );
}
