//! Test control API under `/__sim/` (only with `--enable-faults`; otherwise these paths are
//! unknown routes like any other) and the request journal.
//!
//! | method & path | body | effect |
//! |---|---|---|
//! | `GET /__sim/faults` | – | current fault settings |
//! | `POST /__sim/faults` | `{"latency_ms":200,"error_rate":0.5,"error_count":2,"error_status":503,"drop_rate":0,"drop_count":1,"malformed_rate":0,"malformed_count":1,"path_prefix":"/api/v1/task"}` (all optional) | inject faults into `/api/v1…` requests; `*_count` hits the next N matching requests, `*_rate` a random share |
//! | `DELETE /__sim/faults` | – | clear all faults |
//! | `POST /__sim/rotate-key` | `{"bits":1024}` (optional) | new RSA key: clients must re-fetch `/api/v1/secret` |
//! | `POST /__sim/clock` | `{"skew_secs":-120}` | agent clock skew (affects `Ts` checks and rendered times) |
//! | `POST /__sim/sessions/expire` | – | every session expires now (next use → `SessionExpired`) |
//! | `POST /__sim/sessions/clear` | – | sessions forgotten (next use → `SessionInvalid`, like an agent restart) |
//! | `POST /__sim/agent` | `{"version":"4.3.5.0","identity":"SINGLE","password":"x"}` (optional keys) | switch agent version / identity / root password (a password change drops all sessions) |
//! | `POST /__sim/tick` | `{"count":3}` | run scheduler ticks now |
//! | `POST /__sim/scheduler` | `{"paused":true}` | pause/resume the periodic scheduler |
//! | `GET /__sim/requests` | – | journal: `[{seq,time,method,uri,auth,status,trace_id,body}]`, body = decrypted JSON, secrets masked |
//! | `DELETE /__sim/requests` | – | clear the journal |
//! | `GET /__sim/state` | – | simulated OceanBase state per tenant (dests with secrets masked, params, archive status) |

use crate::envelope::{ContentType, Reply};
use crate::pipeline::to_response;
use crate::state::{lock, AppState};
use axum::body::Body;
use axum::http::{header, HeaderValue, Method, Response, StatusCode, Uri};
use obshell_proto::agent::PrivateKey;
use obshell_proto::envelope::Identity;
use rand::Rng;
use serde::Serialize;
use serde_json::{json, Value};
use std::collections::VecDeque;

const JOURNAL_MAX: usize = 2000;

#[derive(Clone, Debug, Default, Serialize)]
pub struct Faults {
    pub latency_ms: u64,
    pub error_rate: f64,
    pub error_count: u64,
    pub error_status: u16,
    pub drop_rate: f64,
    pub drop_count: u64,
    pub malformed_rate: f64,
    pub malformed_count: u64,
    pub path_prefix: Option<String>,
    pub scheduler_paused: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FaultAction {
    None,
    Error(u16),
    Drop,
    Malformed,
}

pub struct Decision {
    pub latency_ms: Option<u64>,
    pub action: FaultAction,
}

impl Faults {
    pub fn decide(&mut self, path: &str) -> Decision {
        let applies = self.path_prefix.as_deref().is_none_or(|p| path.starts_with(p));
        if !applies {
            return Decision {
                latency_ms: None,
                action: FaultAction::None,
            };
        }
        let latency_ms = (self.latency_ms > 0).then_some(self.latency_ms);
        let mut rng = rand::thread_rng();
        let mut hit = |count: &mut u64, rate: f64| {
            if *count > 0 {
                *count -= 1;
                true
            } else {
                rate > 0.0 && rng.gen_bool(rate.clamp(0.0, 1.0))
            }
        };
        let action = if hit(&mut self.drop_count, self.drop_rate) {
            FaultAction::Drop
        } else if hit(&mut self.error_count, self.error_rate) {
            FaultAction::Error(if (500..600).contains(&self.error_status) {
                self.error_status
            } else {
                500
            })
        } else if hit(&mut self.malformed_count, self.malformed_rate) {
            FaultAction::Malformed
        } else {
            FaultAction::None
        };
        Decision { latency_ms, action }
    }
}

/// The response of an injected fault.
/// `lang`: the request's `Accept-Language` locale (a raw error's text is localized like the agent's).
pub fn respond(st: &AppState, action: FaultAction, lang: Option<obshell_proto::Lang>) -> Response<Body> {
    match action {
        FaultAction::Error(500) => {
            // What the agent itself answers when it fails unexpectedly.
            let ts = st.clock.render(st.clock.now_nanos());
            let meta = crate::envelope::EnvelopeMeta {
                timestamp: &ts,
                duration_ms: 0,
                trace_id: "",
                content_type: ContentType::Json,
                lang,
            };
            to_response(crate::envelope::failure(
                &meta,
                &obshell_proto::AgentError::unexpected_raw("simulated fault"),
                &crate::envelope::Data::Omit,
            ))
        }
        FaultAction::Error(code) => {
            // A reverse proxy in front of the agent: plain text, no envelope.
            let status = StatusCode::from_u16(code).unwrap_or(StatusCode::SERVICE_UNAVAILABLE);
            let mut r = Response::new(Body::from(format!(
                "{} {}\n",
                status.as_u16(),
                status.canonical_reason().unwrap_or("")
            )));
            *r.status_mut() = status;
            r.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/plain; charset=utf-8"),
            );
            r
        }
        FaultAction::Malformed => {
            let mut r = Response::new(Body::from(&br#"{"successful":true,"timestamp":"2026-"#[..]));
            r.headers_mut()
                .insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
            r
        }
        FaultAction::Drop => {
            // A body that fails before its first byte: hyper aborts the connection.
            let stream = futures_like::failing_stream();
            Response::new(Body::new(stream))
        }
        FaultAction::None => unreachable!("no fault to respond with"),
    }
}

mod futures_like {
    use std::pin::Pin;
    use std::task::{Context, Poll};

    pub struct Failing;

    impl axum::body::HttpBody for Failing {
        type Data = axum::body::Bytes;
        type Error = std::io::Error;
        fn poll_frame(
            self: Pin<&mut Self>,
            _: &mut Context<'_>,
        ) -> Poll<Option<Result<http_body::Frame<Self::Data>, Self::Error>>> {
            Poll::Ready(Some(Err(std::io::Error::new(
                std::io::ErrorKind::ConnectionAborted,
                "simulated dropped connection",
            ))))
        }
    }

    pub fn failing_stream() -> Failing {
        Failing
    }
}

#[derive(Debug, Default)]
pub struct Journal {
    seq: u64,
    entries: VecDeque<Value>,
}

impl Journal {
    #[allow(clippy::too_many_arguments)]
    pub fn record(
        &mut self,
        method: &str,
        uri: &str,
        body: Option<&[u8]>,
        auth: &str,
        status: u16,
        trace_id: &str,
        time: String,
    ) {
        self.seq += 1;
        let body = body.map(|b| match serde_json::from_slice::<Value>(b) {
            Ok(v) => mask(v),
            Err(_) => Value::String(String::from_utf8_lossy(&b[..b.len().min(4096)]).into_owned()),
        });
        self.entries.push_back(json!({
            "seq": self.seq, "time": time, "method": method, "uri": uri, "auth": auth,
            "status": status, "trace_id": trace_id, "body": body,
        }));
        while self.entries.len() > JOURNAL_MAX {
            self.entries.pop_front();
        }
    }
}

/// Masks credentials: values of secret-looking keys, and `access_id`/`access_key` inside URIs.
pub fn mask(v: Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.into_iter()
                .map(|(k, v)| {
                    let lk = k.to_ascii_lowercase();
                    let secret = [
                        "password",
                        "passwd",
                        "secret",
                        "token",
                        "session_id",
                        "encryption",
                        "access_key",
                        "access_id",
                    ]
                    .iter()
                    .any(|s| lk.contains(s));
                    let v = if secret && !v.is_null() {
                        Value::String("******".into())
                    } else {
                        mask(v)
                    };
                    (k, v)
                })
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.into_iter().map(mask).collect()),
        Value::String(s) => Value::String(mask_uri(&s)),
        other => other,
    }
}

fn mask_uri(s: &str) -> String {
    let Some((base, q)) = s.split_once('?') else {
        return s.to_string();
    };
    let parts: Vec<String> = q
        .split('&')
        .map(|p| match p.split_once('=') {
            Some((k, _)) if k == "access_id" || k == "access_key" => format!("{k}=******"),
            _ => p.to_string(),
        })
        .collect();
    format!("{base}?{}", parts.join("&"))
}

fn json_reply(status: u16, v: &Value) -> Response<Body> {
    to_response(Reply {
        status,
        content_type: ContentType::Json,
        body: serde_json::to_vec(v).expect("json"),
    })
}

fn bad(msg: impl Into<String>) -> Response<Body> {
    json_reply(400, &json!({ "error": msg.into() }))
}

/// Dispatches a `/__sim/...` request.
pub async fn control(st: &std::sync::Arc<AppState>, method: &Method, uri: &Uri, body: &[u8]) -> Response<Body> {
    let body: Value = if body.is_empty() {
        json!({})
    } else {
        match serde_json::from_slice(body) {
            Ok(v) => v,
            Err(e) => return bad(format!("body is not JSON: {e}")),
        }
    };
    let path = uri.path().trim_end_matches('/');
    match (method.as_str(), path) {
        ("GET", "/__sim/faults") => json_reply(200, &serde_json::to_value(&*lock(&st.faults)).expect("json")),
        ("POST", "/__sim/faults") => {
            let mut f = lock(&st.faults);
            let num = |k: &str| body.get(k).and_then(Value::as_f64);
            if let Some(v) = num("latency_ms") {
                f.latency_ms = v.max(0.0) as u64;
            }
            if let Some(v) = num("error_rate") {
                f.error_rate = v;
            }
            if let Some(v) = num("error_count") {
                f.error_count = v.max(0.0) as u64;
            }
            if let Some(v) = num("error_status") {
                f.error_status = v as u16;
            }
            if let Some(v) = num("drop_rate") {
                f.drop_rate = v;
            }
            if let Some(v) = num("drop_count") {
                f.drop_count = v.max(0.0) as u64;
            }
            if let Some(v) = num("malformed_rate") {
                f.malformed_rate = v;
            }
            if let Some(v) = num("malformed_count") {
                f.malformed_count = v.max(0.0) as u64;
            }
            if let Some(v) = body.get("path_prefix") {
                f.path_prefix = v.as_str().map(str::to_string);
            }
            json_reply(200, &serde_json::to_value(&*f).expect("json"))
        }
        ("DELETE", "/__sim/faults") => {
            let mut f = lock(&st.faults);
            let paused = f.scheduler_paused;
            *f = Faults {
                scheduler_paused: paused,
                ..Faults::default()
            };
            json_reply(200, &json!({}))
        }
        ("POST", "/__sim/rotate-key") => {
            let bits = body
                .get("bits")
                .and_then(Value::as_u64)
                .unwrap_or(st.config.key_bits as u64) as usize;
            let key = tokio::task::spawn_blocking(move || PrivateKey::generate(&mut rand::rngs::OsRng, bits)).await;
            match key {
                Ok(Ok(k)) => {
                    let pk = k.public_key().to_base64_pkcs1();
                    st.set_key(k);
                    json_reply(200, &json!({ "public_key": pk }))
                }
                Ok(Err(e)) => bad(e.to_string()),
                Err(e) => bad(e.to_string()),
            }
        }
        ("POST", "/__sim/clock") => {
            let Some(s) = body.get("skew_secs").and_then(Value::as_i64) else {
                return bad("skew_secs (integer) required");
            };
            st.clock.set_skew(s);
            json_reply(200, &json!({ "skew_secs": s }))
        }
        ("POST", "/__sim/sessions/expire") => {
            let n = lock(&st.sessions).expire_all(st.clock.now_nanos());
            json_reply(200, &json!({ "expired": n }))
        }
        ("POST", "/__sim/sessions/clear") => {
            lock(&st.sessions).clear();
            json_reply(200, &json!({}))
        }
        ("POST", "/__sim/agent") => {
            let mut dropped = false;
            st.update_runtime(|rt| {
                if let Some(v) = body.get("version").and_then(Value::as_str) {
                    rt.version = v.to_string();
                }
                if let Some(v) = body.get("identity").and_then(Value::as_str) {
                    rt.identity = Identity::parse(v);
                }
                if let Some(v) = body.get("password").and_then(Value::as_str) {
                    dropped = rt.password != v;
                    rt.password = v.to_string();
                }
            });
            if dropped {
                lock(&st.sessions).invalidate_all();
            }
            let rt = st.runtime();
            json_reply(200, &json!({ "version": rt.version, "identity": rt.identity.as_str() }))
        }
        ("POST", "/__sim/tick") => {
            let n = body.get("count").and_then(Value::as_u64).unwrap_or(1).min(10_000) as u32;
            st.tick(n);
            json_reply(200, &json!({ "ticks": n }))
        }
        ("POST", "/__sim/scheduler") => {
            let paused = body.get("paused").and_then(Value::as_bool).unwrap_or(false);
            lock(&st.faults).scheduler_paused = paused;
            json_reply(200, &json!({ "paused": paused }))
        }
        ("GET", "/__sim/requests") => {
            let j = lock(&st.journal);
            json_reply(200, &Value::Array(j.entries.iter().cloned().collect()))
        }
        ("DELETE", "/__sim/requests") => {
            lock(&st.journal).entries.clear();
            json_reply(200, &json!({}))
        }
        ("GET", "/__sim/state") => json_reply(200, &state_dump(st)),
        _ => json_reply(
            404,
            &json!({ "error": "unknown control path", "see": "crates/obshell-sim/README.md" }),
        ),
    }
}

fn state_dump(st: &AppState) -> Value {
    let w = lock(&st.world);
    let tenants: Vec<Value> = w
        .cluster
        .tenants
        .iter()
        .map(|t| {
            json!({
                "tenant_id": t.id, "tenant_name": t.name,
                "archive_dest": t.backup.archive_dest.as_ref().map(|d| json!({
                    "location": mask_uri(&d.location), "binding": d.binding, "piece_switch_interval": d.piece_switch_interval })),
                "data_dest": mask_uri(&t.backup.data_dest),
                "log_mode": if t.backup.archivelog { "ARCHIVELOG" } else { "NOARCHIVELOG" },
                "archive_status": t.backup.archive_status,
                "dest_state": if t.backup.dest_enabled { "ENABLE" } else { "DEFER" },
                "delete_policy": t.backup.delete_policy.as_ref().map(|p| json!({"name": p.name, "recovery_window": p.recovery_window})),
                "params": t.params,
                "running_jobs": t.backup.jobs.len(),
                "finished_jobs": t.backup.history.len(),
            })
        })
        .collect();
    json!({ "cluster_id": w.cluster.cluster_id, "tenants": tenants, "dags": w.engine.dags.len(), "tick": w.engine.tick_no })
}
