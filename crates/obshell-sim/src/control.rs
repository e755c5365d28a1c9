//! Test control API under `/__sim/` (only with `--enable-faults`; otherwise these paths are
//! unknown routes like any other). No authentication; JSON in, JSON out.
//!
//! | method & path | body | effect |
//! |---|---|---|
//! | `GET /__sim/faults` | – | current fault settings |
//! | `POST /__sim/faults` | `{"latency_ms":200,"error_rate":0.5,"error_count":2,"error_status":503,"drop_rate":0,"drop_count":1,"malformed_rate":0,"malformed_count":1,"drop_after_count":1,"path_prefix":"/api/v1/task"}` (all optional) | inject faults into `/api/v1…` requests; `*_count` hits the next N matching requests, `*_rate` a random share; `drop_*` breaks the connection before the agent sees the request, `drop_after_*` after it handled it (the answer is lost) |
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
//! | `POST /__sim/seed-history` | `{"tenant":"t1"}` (optional: the first user tenant) | ten days of backup history for the tenant (see `Cluster::seed_history`); answers `{"tenant","tenant_id","jobs","backup_set_ids","archive_status"}` |
//! | `GET`/`POST /__sim/backup` | `{"ticks":20}` | how many scheduler ticks a data backup job runs (≥ 1; running jobs too); answers `{"ticks":N}` |

use crate::envelope::{ContentType, Reply};
use crate::faults::Faults;
use crate::journal::mask_uri;
use crate::state::{lock, AppState};
use axum::body::Body;
use axum::http::{Method, Response, Uri};
use obshell_proto::agent::PrivateKey;
use obshell_proto::envelope::Identity;
use serde_json::{json, Value};
use std::sync::Arc;

fn json_reply(status: u16, v: &Value) -> Response<Body> {
    Reply {
        status,
        content_type: ContentType::Json,
        body: serde_json::to_vec(v).expect("json"),
    }
    .into_response()
}

fn bad(msg: impl Into<String>) -> Response<Body> {
    json_reply(400, &json!({ "error": msg.into() }))
}

/// Dispatches a `/__sim/...` request.
pub(crate) async fn handle(st: &Arc<AppState>, method: &Method, uri: &Uri, body: &[u8]) -> Response<Body> {
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
            if let Some(v) = num("drop_after_rate") {
                f.drop_after_rate = v;
            }
            if let Some(v) = num("drop_after_count") {
                f.drop_after_count = v.max(0.0) as u64;
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
            let entries = lock(&st.journal).entries();
            json_reply(200, &Value::Array(entries))
        }
        ("DELETE", "/__sim/requests") => {
            lock(&st.journal).clear();
            json_reply(200, &json!({}))
        }
        ("GET", "/__sim/state") => json_reply(200, &state_dump(st)),
        ("POST", "/__sim/seed-history") => {
            let now = st.clock.now_nanos();
            let mut w = lock(&st.world);
            let name = match body.get("tenant") {
                None | Some(Value::Null) => match w.cluster.user_tenants().first() {
                    Some(t) => t.name.clone(),
                    None => return bad("no user tenant"),
                },
                Some(Value::String(n)) => n.clone(),
                Some(_) => return bad("tenant must be a string"),
            };
            let Some(t) = w
                .cluster
                .tenant(&name)
                .filter(|t| t.is_user())
                .map(crate::cluster::TenantRef::of)
            else {
                return bad(format!("no user tenant {name:?}"));
            };
            match w.cluster.seed_history(t.id, now) {
                Ok(sets) => json_reply(
                    200,
                    &json!({
                        "tenant": t.name, "tenant_id": t.id, "jobs": sets.len(), "backup_set_ids": sets,
                        "archive_status": w.cluster.archive_status(t.id),
                    }),
                ),
                Err(e) => bad(e),
            }
        }
        ("GET", "/__sim/backup") => json_reply(200, &json!({ "ticks": lock(&st.world).cluster.backup_ticks })),
        ("POST", "/__sim/backup") => {
            let Some(n) = body
                .get("ticks")
                .and_then(Value::as_u64)
                .filter(|n| (1..=u32::MAX as u64).contains(n))
            else {
                return bad("ticks (integer >= 1) required");
            };
            lock(&st.world).cluster.backup_ticks = n as u32;
            json_reply(200, &json!({ "ticks": n }))
        }
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
