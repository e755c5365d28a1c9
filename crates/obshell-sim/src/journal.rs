//! The request journal (`GET /__sim/requests`): every `/api/v1…` request with its decrypted
//! body, credentials masked, so tests can check what a client really sent.

use serde_json::{json, Value};
use std::collections::VecDeque;

/// Entries kept; older ones are dropped first.
const JOURNAL_MAX: usize = 2000;

/// The entries as `GET /__sim/requests` lists them, numbered from 1.
#[derive(Debug, Default)]
pub(crate) struct Journal {
    seq: u64,
    entries: VecDeque<Value>,
}

impl Journal {
    /// Adds one request; `body` is the decrypted body (JSON is masked, anything else kept as
    /// text, cut at 4 KiB).
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn record(
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

    /// Every kept entry, oldest first.
    pub(crate) fn entries(&self) -> Vec<Value> {
        self.entries.iter().cloned().collect()
    }

    /// Forgets the entries (`seq` keeps counting).
    pub(crate) fn clear(&mut self) {
        self.entries.clear();
    }
}

/// Masks credentials: values of secret-looking keys, and `access_id`/`access_key` inside URIs.
pub(crate) fn mask(v: Value) -> Value {
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

/// Masks `access_id`/`access_key` query values of a URI.
pub(crate) fn mask_uri(s: &str) -> String {
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
