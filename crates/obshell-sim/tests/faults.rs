//! Fault injection and the request journal (`/__sim/…`, only with `--enable-faults`).

mod support;
use obshell_sim::Config;
use std::time::{Duration, Instant};
use support::*;

const OVERVIEW: &str = "/api/v1/tenants/overview";

#[tokio::test]
async fn control_api_is_off_by_default() {
    let sim = start(Config {
        enable_faults: false,
        ..Config::for_tests()
    })
    .await;
    let r = raw(sim.addr, "POST", "/__sim/faults", &[], Some(b"{\"error_count\":1}"))
        .await
        .unwrap();
    assert_eq!(r.status, 404);
    sim.client.get(OVERVIEW).await.assert_ok();
}

#[tokio::test]
async fn latency_errors_drops_and_malformed_json() {
    let sim = start_default().await;
    let c = &sim.client;
    c.control("POST", "/__sim/faults", Some(r#"{"latency_ms":150}"#)).await;
    let t = Instant::now();
    c.get(OVERVIEW).await.assert_ok();
    assert!(t.elapsed() >= Duration::from_millis(150));
    c.control("DELETE", "/__sim/faults", None).await;

    c.control("POST", "/__sim/faults", Some(r#"{"error_count":1,"error_status":503}"#))
        .await;
    let r = c.get(OVERVIEW).await;
    assert_eq!((r.status, r.text().as_str()), (503, "503 Service Unavailable\n"));
    c.get(OVERVIEW).await.assert_ok();
    c.control("POST", "/__sim/faults", Some(r#"{"error_count":1,"error_status":500}"#))
        .await;
    c.get(OVERVIEW)
        .await
        .assert_err(500, "Common.Unexpected", "simulated fault");
    // With an `Accept-Language` Go can parse, the agent re-renders a raw error in that language.
    for (lang, message) in [
        ("en-US", "Unexpected error: simulated fault"),
        ("zh-CN", "非预期错误：simulated fault"),
        ("en-US,en;q=0.9", "simulated fault"),
    ] {
        let mut localized = c.clone();
        localized.extra_headers = vec![("Accept-Language".into(), lang.into())];
        c.control("POST", "/__sim/faults", Some(r#"{"error_count":1,"error_status":500}"#))
            .await;
        localized
            .get(OVERVIEW)
            .await
            .assert_err(500, "Common.Unexpected", message);
    }

    c.control("POST", "/__sim/faults", Some(r#"{"drop_count":1}"#)).await;
    let s = obshell_proto::crypto::Secret::new("obshell-sim");
    let sealed = obshell_proto::crypto::seal(
        &mut rand::rngs::OsRng,
        &c.pk,
        &obshell_proto::crypto::SealRequest::new(&s, now_secs() + 60, OVERVIEW),
    );
    assert!(
        raw(sim.addr, "GET", OVERVIEW, &[("X-OCS-Header", &sealed.header)], None)
            .await
            .is_none()
    );
    c.get(OVERVIEW).await.assert_ok();

    c.control("POST", "/__sim/faults", Some(r#"{"malformed_count":1}"#))
        .await;
    let r = c.get(OVERVIEW).await;
    assert_eq!(r.status, 200);
    assert!(serde_json::from_slice::<serde_json::Value>(&r.body).is_err());
    c.get(OVERVIEW).await.assert_ok();

    // A share of requests, limited to a path prefix.
    c.control(
        "POST",
        "/__sim/faults",
        Some(r#"{"error_rate":1.0,"error_status":502,"path_prefix":"/api/v1/task"}"#),
    )
    .await;
    assert_eq!(c.get("/api/v1/task/dags/ob").await.status, 502);
    c.get(OVERVIEW).await.assert_ok();
    c.control("DELETE", "/__sim/faults", None).await;
    c.get("/api/v1/task/dags/ob").await.assert_ok();
}

#[tokio::test]
async fn clock_skew_and_key_rotation() {
    let sim = start_default().await;
    let mut c = sim.client.clone();
    c.control("POST", "/__sim/clock", Some(r#"{"skew_secs":120}"#)).await;
    c.get(OVERVIEW).await.assert_err(
        401,
        "Security.Authentication.Expired",
        "Unauthorized: Authentication expired",
    );
    // The envelope timestamp tells the client the agent's time.
    let t = raw(sim.addr, "GET", "/api/v1/time", &[], None)
        .await
        .unwrap()
        .assert_ok();
    let agent_now = obshell_proto::time::Timestamp::parse(t.as_str().unwrap())
        .unwrap()
        .unix_secs();
    assert!((agent_now - now_secs() - 120).abs() <= 2);
    c.lifetime = 300;
    c.get(OVERVIEW).await.assert_ok();
    c.control("POST", "/__sim/clock", Some(r#"{"skew_secs":0}"#)).await;
    let k = c.control("POST", "/__sim/rotate-key", Some(r#"{"bits":512}"#)).await;
    assert!(k["public_key"].as_str().unwrap().starts_with("MEgCQQ"));
    c.get(OVERVIEW).await.assert_err(
        401,
        "Security.Authentication.Header.DecryptFailed",
        "Decrypt http header failed: crypto/rsa: decryption error",
    );
    c.refetch_key().await;
    c.get(OVERVIEW).await.assert_ok();
}

#[tokio::test]
async fn journal_records_decrypted_bodies_with_secrets_masked() {
    let sim = start_default().await;
    let c = &sim.client;
    c.control("DELETE", "/__sim/requests", None).await;
    c.patch("/api/v1/tenant/t1/backup/config", r#"{"ha_low_thread_score":5}"#)
        .await
        .assert_ok();
    c.post(
        "/api/v1/tenant/t2/backup/config",
        r#"{"data_base_uri":"oss://b/d?host=h&access_id=AK&access_key=SK","archive_base_uri":"file:///a"}"#,
    )
    .await
    .assert_ok();
    c.get("/api/v1/tenant/zz/backup/config/storage").await;
    let j = c.control("GET", "/__sim/requests", None).await;
    let j = j.as_array().unwrap();
    assert_eq!(j.len(), 3);
    assert_eq!(j[0]["method"], "PATCH");
    assert_eq!(j[0]["uri"], "/api/v1/tenant/t1/backup/config");
    assert_eq!(j[0]["body"], serde_json::json!({"ha_low_thread_score":5}));
    assert_eq!(j[0]["status"], 200);
    assert_eq!(j[0]["auth"], "password");
    assert_eq!(
        j[1]["body"]["data_base_uri"],
        "oss://b/d?host=h&access_id=******&access_key=******"
    );
    assert_eq!(j[2]["status"], 400);
    assert_eq!(j[2]["body"], serde_json::json!({}));
    let txt = serde_json::to_string(&j).unwrap();
    assert!(!txt.contains("SK") && !txt.contains("obshell-sim"), "{txt}");
}
