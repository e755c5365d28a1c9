//! Authentication matrix over real HTTP: header decryption, Uri/Ts/password checks, sessions,
//! SSO, key sizes, empty password, versions without sessions.

mod support;
use obshell_proto::crypto::{open_response_data, seal, SealRequest, Secret};
use obshell_sim::Config;
use support::*;

const OVERVIEW: &str = "/api/v1/tenants/overview";

#[tokio::test]
async fn bootstrap_endpoints_are_open_and_protected_routes_need_a_header() {
    let sim = start_default().await;
    let a = sim.addr;
    let info = raw(a, "GET", "/api/v1/info", &[], None).await.unwrap();
    let d = info.assert_ok();
    assert_eq!(d["identity"], "CLUSTER AGENT");
    assert_eq!(d["supportedAuth"], serde_json::json!(["v2"]));
    assert_eq!(info.header("content-type"), Some("application/json"));
    assert!(
        info.text().starts_with(r#"{"successful":true,"timestamp":""#),
        "{}",
        info.text()
    );
    let secret = raw(a, "GET", "/api/v1/secret", &[], None).await.unwrap().assert_ok();
    assert!(secret["public_key"].as_str().unwrap().starts_with("MIGJAoGBA"));
    assert_eq!(secret["ip"], "10.0.0.1");
    for p in ["/api/v1/time", "/api/v1/status", "/api/v1/git-info"] {
        raw(a, "GET", p, &[], None).await.unwrap().assert_ok();
    }
    // `/api/v1/status` never gets a trace id (PreHandlers skips it).
    assert_eq!(
        raw(a, "GET", "/api/v1/status", &[], None).await.unwrap().json()["traceId"],
        ""
    );
    let r = raw(a, "GET", OVERVIEW, &[], None).await.unwrap();
    r.assert_err(
        400,
        "Request.Header.NotFound",
        "X-OCS-Agent-Header or X-OCS-Header not found in http request header",
    );
    assert!(r.json()["error"].get("code").is_none());
    assert_eq!(r.json()["traceId"].as_str().unwrap().len(), 16);
    // An authenticated call works.
    let ov = sim.client.get(OVERVIEW).await.assert_ok();
    let names: Vec<&str> = ov["contents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["tenant_name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["sys", "t1", "t2"]);
}

#[tokio::test]
async fn password_ts_uri_and_decrypt_failures() {
    let sim = start_default().await;
    let mut bad = sim.client.clone();
    bad.password = Secret::new("wrong");
    let r = bad.get(OVERVIEW).await;
    r.assert_err(
        401,
        "Security.Authentication.IncorrectOceanbasePassword",
        "Unauthorized: OceanBase password is incorrect",
    );
    assert_eq!(r.json()["error"]["code"], 10008);

    let r = sim
        .client
        .call_with("GET", OVERVIEW, None, |mut q| {
            q.expires_at_unix_s = now_secs() - 5;
            q
        })
        .await;
    r.assert_err(
        401,
        "Security.Authentication.Expired",
        "Unauthorized: Authentication expired",
    );

    let r = sim
        .client
        .call_with("GET", OVERVIEW, None, |mut q| {
            q.uri = "/api/v1/tenants/overview?x=1";
            q
        })
        .await;
    r.assert_err(401, "Security.Authentication.Header.UriMismatch", "URI mismatch");

    // Query strings are part of Uri, byte for byte.
    sim.client.get("/api/v1/tenants/overview?mode=MYSQL").await.assert_ok();

    // Undecryptable header: even on /api/v1/secret (the middleware is global), no trace id,
    // gin's content type.
    for path in [OVERVIEW, "/api/v1/secret", "/api/v1/nope"] {
        let r = raw(
            sim.addr,
            "GET",
            path,
            &[("X-OCS-Header", "AAAA"), ("X-OBSHELL-Trace-ID", "abc")],
            None,
        )
        .await
        .unwrap();
        r.assert_err(
            401,
            "Security.Authentication.Header.DecryptFailed",
            "Decrypt http header failed: crypto/rsa: decryption error",
        );
        assert_eq!(r.json()["error"]["code"], 1);
        assert_eq!(r.json()["traceId"], "");
        assert_eq!(r.header("content-type"), Some("application/json; charset=utf-8"));
    }
    // A header sealed for another key (key rotation) fails the same way.
    let old = sim.client.clone();
    sim.client.control("POST", "/__sim/rotate-key", None).await;
    old.get(OVERVIEW).await.assert_err(
        401,
        "Security.Authentication.Header.DecryptFailed",
        "Decrypt http header failed: crypto/rsa: decryption error",
    );
    let mut fresh = old.clone();
    fresh.refetch_key().await;
    fresh.get(OVERVIEW).await.assert_ok();

    // X-OCS-Agent-Header: this agent has no agent password.
    let pwd = Secret::new("obshell-sim");
    let req = SealRequest::new(&pwd, now_secs() + 60, OVERVIEW);
    let s = seal(&mut rand::rngs::OsRng, &fresh.pk, &req);
    let r = raw(sim.addr, "GET", OVERVIEW, &[("X-OCS-Agent-Header", &s.header)], None)
        .await
        .unwrap();
    r.assert_err(
        401,
        "Security.Authentication.WithOceanBasePassword",
        "Unauthorized: Should use oceanbase_password to verify: agent password is not initialized",
    );
}

#[tokio::test]
async fn body_encryption_rules() {
    let sim = start_default().await;
    let c = &sim.client;
    // Body sent in clear with a header that has no Keys.
    let pwd = Secret::new("obshell-sim");
    let uri = "/api/v1/obcluster/backup/config";
    let s = seal(
        &mut rand::rngs::OsRng,
        &c.pk,
        &SealRequest::new(&pwd, now_secs() + 60, uri),
    );
    let r = raw(sim.addr, "PATCH", uri, &[("X-OCS-Header", &s.header)], Some(b"{}"))
        .await
        .unwrap();
    r.assert_err(
        500,
        "Request.Body.Decrypt.AES.KeyAndIv.Invalid",
        "Unauthorized: AES key and IV size error",
    );
    assert_eq!(r.json()["traceId"], "");
    // Keys present, body not a multiple of the block size.
    let s = seal(
        &mut rand::rngs::OsRng,
        &c.pk,
        &SealRequest::new(&pwd, now_secs() + 60, uri).with_keys(),
    );
    let r = raw(
        sim.addr,
        "PATCH",
        uri,
        &[("X-OCS-Header", &s.header)],
        Some(b"AAAAAAAA"),
    )
    .await
    .unwrap();
    r.assert_err(
        500,
        "Request.Body.Decrypt.AES.ContentLength.Invalid",
        "Unauthorized: Decrypted string length is not a multiple of the block size",
    );
    // A body encrypted with other keys decrypts to garbage: a bind error or the panic response.
    let other = seal(
        &mut rand::rngs::OsRng,
        &c.pk,
        &SealRequest::new(&pwd, now_secs() + 60, uri).with_body(b"{\"binding\":\"x\"}"),
    );
    let r = raw(
        sim.addr,
        "PATCH",
        uri,
        &[("X-OCS-Header", &s.header)],
        other.body.as_deref().map(str::as_bytes),
    )
    .await
    .unwrap();
    assert!(r.status == 400 || r.status == 500, "{}", r.text());
}

#[tokio::test]
async fn sessions_login_use_expiry_logout() {
    let sim = start_default().await;
    let mut c = sim.client.clone();
    c.login().await.assert_ok();
    let sid = c.session.clone().unwrap();
    assert_eq!(sid.len(), 64);
    // Session auth: Auth is empty, the session authenticates.
    c.get(OVERVIEW).await.assert_ok();
    // Expired Ts on the session path is reported bare.
    let r = c
        .call_with("GET", OVERVIEW, None, |mut q| {
            q.expires_at_unix_s = now_secs() - 5;
            q
        })
        .await;
    r.assert_err(401, "Security.Authentication.Expired", "Authentication expired");
    // So is a missing or malformed Ts: `VerifySession` drops the parse error.
    for ts in [r#""Ts":"","#, r#""Ts":"1.5","#, ""] {
        let json = format!(r#"{{{ts}"Uri":"{OVERVIEW}","session_id":"{sid}"}}"#);
        let header = obshell_proto::crypto::seal_header_json(&mut rand::rngs::OsRng, &c.pk, json.as_bytes());
        let r = raw(sim.addr, "GET", OVERVIEW, &[("X-OCS-Header", &header)], None)
            .await
            .unwrap();
        r.assert_err(401, "Security.Authentication.Expired", "Authentication expired");
    }
    // Expiry.
    sim.client.control("POST", "/__sim/sessions/expire", None).await;
    c.get(OVERVIEW)
        .await
        .assert_err(401, "Security.Authentication.SessionExpired", "Session is expired");
    c.get(OVERVIEW)
        .await
        .assert_err(401, "Security.Authentication.SessionInvalid", "Session is invalid");
    // Login again, logout with the session itself.
    c.session = None;
    c.login().await.assert_ok();
    let sid = c.session.clone().unwrap();
    let required = "Bind JSON failed: Key: 'LogoutSessionParam.SessionID' Error:Field validation for 'SessionID' failed on the 'required' tag";
    for body in ["", "{}", r#"{"session_id":""}"#, r#"{"session_id":null}"#] {
        c.post("/api/v1/logout", body)
            .await
            .assert_err(400, "Common.BindJsonFailed", required);
    }
    c.post("/api/v1/logout", r#"{"session_id":1}"#).await.assert_err(
        400,
        "Common.BindJsonFailed",
        "Bind JSON failed: json: cannot unmarshal number into Go struct field LogoutSessionParam.session_id of type string",
    );
    c.post("/api/v1/logout", &format!(r#"{{"session_id":"{sid}"}}"#))
        .await
        .assert_ok();
    c.get(OVERVIEW)
        .await
        .assert_err(401, "Security.Authentication.SessionInvalid", "Session is invalid");
    // Login needs Keys in the header.
    let pwd = Secret::new("obshell-sim");
    let s = seal(
        &mut rand::rngs::OsRng,
        &c.pk,
        &SealRequest::new(&pwd, now_secs() + 60, "/api/v1/login"),
    );
    raw(sim.addr, "POST", "/api/v1/login", &[("X-OCS-Header", &s.header)], None)
        .await
        .unwrap()
        .assert_err(
            500,
            "Request.Body.Decrypt.AES.KeyAndIv.Invalid",
            "AES key and IV size error",
        );
    // Login ignores a session id and checks the password.
    let mut w = sim.client.clone();
    w.password = Secret::new("nope");
    w.login().await.assert_err(
        401,
        "Security.Authentication.IncorrectOceanbasePassword",
        "Unauthorized: OceanBase password is incorrect",
    );
}

#[tokio::test]
async fn sso_token_exchange() {
    let sim = start_default().await;
    let c = &sim.client;
    let pwd = Secret::new("obshell-sim");
    let s = seal(
        &mut rand::rngs::OsRng,
        &c.pk,
        &SealRequest::new(&pwd, now_secs() + 60, "/api/v1/sso/token").with_keys(),
    );
    let r = raw(
        sim.addr,
        "POST",
        "/api/v1/sso/token",
        &[("X-OCS-Header", &s.header)],
        None,
    )
    .await
    .unwrap();
    let token = open_response_data(s.keys.as_ref().unwrap(), r.assert_ok().as_str().unwrap()).unwrap();
    let empty = Secret::new("");
    let ex = |tok: String| {
        let pk = c.pk.clone();
        let empty = empty.clone();
        async move {
            let req = SealRequest::new(&empty, now_secs() + 60, "/api/v1/sso/exchange")
                .with_sso_token(&tok)
                .with_keys();
            let s = seal(&mut rand::rngs::OsRng, &pk, &req);
            (
                raw(
                    sim.addr,
                    "GET",
                    "/api/v1/sso/exchange",
                    &[("X-OCS-Header", &s.header)],
                    None,
                )
                .await
                .unwrap(),
                s.keys.unwrap(),
            )
        }
    };
    let (r, keys) = ex(token.clone()).await;
    let sid = open_response_data(&keys, r.assert_ok().as_str().unwrap()).unwrap();
    let mut sc = c.clone();
    sc.session = Some(sid);
    sc.get(OVERVIEW).await.assert_ok();
    ex(token)
        .await
        .0
        .assert_err(401, "Security.SSO.Token.AlreadyUsed", "SSO token has already been used");
    ex("00".repeat(32))
        .await
        .0
        .assert_err(401, "Security.SSO.Token.NotFound", "SSO token is invalid or unknown");
}

#[tokio::test]
async fn small_keys_empty_password_and_old_versions() {
    // 512-bit key.
    let sim = start(Config {
        key_bits: 512,
        ..Config::for_tests()
    })
    .await;
    let k = raw(sim.addr, "GET", "/api/v1/secret", &[], None)
        .await
        .unwrap()
        .assert_ok();
    assert!(k["public_key"].as_str().unwrap().starts_with("MEgCQQ"));
    assert_eq!(sim.client.pk.bits(), 512);
    sim.client.get(OVERVIEW).await.assert_ok();
    sim.handle.shutdown().await;

    // Empty password: Ts is never checked.
    let sim = start(Config {
        password: String::new(),
        ..Config::for_tests()
    })
    .await;
    let r = sim
        .client
        .call_with("GET", OVERVIEW, None, |mut q| {
            q.expires_at_unix_s = 1;
            q
        })
        .await;
    r.assert_ok();
    let mut w = sim.client.clone();
    w.password = Secret::new("x");
    w.get(OVERVIEW).await.assert_err(
        401,
        "Security.Authentication.IncorrectOceanbasePassword",
        "Unauthorized: OceanBase password is incorrect",
    );
    sim.handle.shutdown().await;

    // 4.3.x: no /api/v1/login, a session id in the header is ignored (password path).
    let sim = start(Config {
        version: "4.3.5.0".into(),
        ..Config::for_tests()
    })
    .await;
    let mut c = sim.client.clone();
    c.login()
        .await
        .assert_err(404, "Common.NotFound", "Element not found: 404 not found");
    let r = sim
        .client
        .call_with("GET", OVERVIEW, None, |q| q.with_session_id("deadbeef"))
        .await;
    r.assert_ok();
    // Switching the version at run time (fault control) enables sessions.
    sim.client
        .control("POST", "/__sim/agent", Some(r#"{"version":"4.5.0.0"}"#))
        .await;
    c.login().await.assert_ok();
    sim.client
        .call_with("GET", OVERVIEW, None, |q| q.with_session_id("deadbeef"))
        .await
        .assert_err(401, "Security.Authentication.SessionInvalid", "Session is invalid");
}

#[tokio::test]
async fn identity_trace_id_and_language() {
    let sim = start_default().await;
    let mut c = sim.client.clone();
    c.extra_headers = vec![
        ("X-OBSHELL-Trace-ID".into(), "my-trace".into()),
        ("Accept-Language".into(), "zh-CN".into()),
    ];
    let r = c.get("/api/v1/tenant/nope/backup/config/storage").await;
    r.assert_err(400, "OB.Tenant.NotExist", "租户 'nope' 不存在");
    assert_eq!(r.json()["traceId"], "my-trace");
    c.extra_headers = vec![("Accept-Language".into(), "zh-CN,zh;q=0.9".into())];
    c.get("/api/v1/tenant/nope/backup/config/storage").await.assert_err(
        400,
        "OB.Tenant.NotExist",
        "Tenant 'nope' does not exist.",
    );
    sim.client
        .control("POST", "/__sim/agent", Some(r#"{"identity":"SINGLE"}"#))
        .await;
    let r = raw(sim.addr, "GET", "/api/v1/info", &[], None)
        .await
        .unwrap()
        .assert_ok();
    assert_eq!(r["identity"], "SINGLE");
    sim.client
        .post("/api/v1/obcluster/backup/config", r#"{"backup_base_uri":"file:///b"}"#)
        .await
        .assert_err(
            400,
            "Agent.Identify.NotSupportOperation",
            "'10.0.0.1:2886' is 'SINGLE', instead of 'CLUSTER AGENT', does not support this operation",
        );
}
