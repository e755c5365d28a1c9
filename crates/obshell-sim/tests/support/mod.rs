//! A small async test client for the simulator: raw HTTP/1.1 over a TCP stream (so tests can
//! send any request-target, header or body, including broken ones) plus the protocol crate's
//! client-side `seal` for authenticated calls.
#![allow(dead_code)]

use obshell_proto::crypto::{open_response_data, seal, PublicKey, SealRequest, Secret};
use obshell_sim::{Config, SimHandle};
use serde_json::Value;
use std::net::SocketAddr;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

pub struct Resp {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Resp {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
    pub fn err_code(&self) -> String {
        self.json()["error"]["errCode"].as_str().unwrap_or("").to_string()
    }
    pub fn message(&self) -> String {
        self.json()["error"]["message"].as_str().unwrap_or("").to_string()
    }
    pub fn data(&self) -> Value {
        self.json()["data"].clone()
    }
    /// Asserts an error envelope.
    #[track_caller]
    pub fn assert_err(&self, status: u16, code: &str, message: &str) {
        assert_eq!(
            (self.status, self.err_code().as_str(), self.message().as_str()),
            (status, code, message),
            "body: {}",
            self.text()
        );
        assert_eq!(self.json()["status"], status);
        assert_eq!(self.json()["successful"], false);
    }
    #[track_caller]
    pub fn assert_ok(&self) -> Value {
        assert_eq!(self.status, 200, "body: {}", self.text());
        assert_eq!(self.json()["successful"], true);
        self.data()
    }
}

/// Sends one request; `Connection: close`, the whole response read. `None` when the server
/// closed the connection without a complete response.
pub async fn raw(
    addr: SocketAddr,
    method: &str,
    target: &str,
    headers: &[(&str, &str)],
    body: Option<&[u8]>,
) -> Option<Resp> {
    let mut s = TcpStream::connect(addr).await.expect("connect");
    let mut req = format!("{method} {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    if let Some(b) = body {
        req.push_str(&format!("Content-Length: {}\r\n", b.len()));
    }
    req.push_str("\r\n");
    let mut bytes = req.into_bytes();
    if let Some(b) = body {
        bytes.extend_from_slice(b);
    }
    let _ = s.write_all(&bytes).await;
    let mut buf = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(20), s.read_to_end(&mut buf)).await;
    parse_response(&buf)
}

pub fn parse_response(buf: &[u8]) -> Option<Resp> {
    let end = buf.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = String::from_utf8_lossy(&buf[..end]).into_owned();
    let mut lines = head.split("\r\n");
    let status: u16 = lines.next()?.split(' ').nth(1)?.parse().ok()?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    let rest = &buf[end + 4..];
    let len = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse::<usize>().ok());
    let body = match len {
        Some(n) if rest.len() >= n => rest[..n].to_vec(),
        Some(_) => return None,
        None if headers
            .iter()
            .any(|(k, v)| k.eq_ignore_ascii_case("transfer-encoding") && v.contains("chunked")) =>
        {
            dechunk(rest)?
        }
        None => rest.to_vec(),
    };
    Some(Resp { status, headers, body })
}

fn dechunk(mut b: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let line_end = b.windows(2).position(|w| w == b"\r\n")?;
        let n = usize::from_str_radix(std::str::from_utf8(&b[..line_end]).ok()?.trim(), 16).ok()?;
        b = &b[line_end + 2..];
        if n == 0 {
            return Some(out);
        }
        if b.len() < n + 2 {
            return None;
        }
        out.extend_from_slice(&b[..n]);
        b = &b[n + 2..];
    }
}

pub fn now_secs() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs() as i64
}

/// A simulator plus an authenticated client for it.
pub struct Sim {
    pub addr: SocketAddr,
    pub handle: SimHandle,
    pub client: Client,
}

pub async fn start(cfg: Config) -> Sim {
    let (addr, handle) = obshell_sim::serve(cfg.clone()).await.expect("sim starts");
    let client = Client::connect(addr, &cfg.password).await;
    Sim { addr, handle, client }
}

pub async fn start_default() -> Sim {
    start(Config::for_tests()).await
}

#[derive(Clone)]
pub struct Client {
    pub addr: SocketAddr,
    pub pk: PublicKey,
    pub password: Secret,
    pub session: Option<String>,
    /// Header lifetime added to "now" for `Ts`.
    pub lifetime: i64,
    pub extra_headers: Vec<(String, String)>,
}

impl Client {
    pub async fn connect(addr: SocketAddr, password: &str) -> Client {
        let pk = fetch_key(addr).await;
        Client {
            addr,
            pk,
            password: Secret::new(password),
            session: None,
            lifetime: 60,
            extra_headers: vec![],
        }
    }

    pub async fn refetch_key(&mut self) {
        self.pk = fetch_key(self.addr).await;
    }

    /// Seals `uri` (and `body`) and sends it; `uri` is used verbatim as request-target.
    pub async fn call(&self, method: &str, uri: &str, body: Option<&str>) -> Resp {
        self.call_with(method, uri, body, |r| r).await
    }

    pub async fn call_with(
        &self,
        method: &str,
        uri: &str,
        body: Option<&str>,
        f: impl for<'a> FnOnce(SealRequest<'a>) -> SealRequest<'a>,
    ) -> Resp {
        let pwd = if self.session.is_some() {
            Secret::new("")
        } else {
            self.password.clone()
        };
        let mut req = SealRequest::new(&pwd, now_secs() + self.lifetime, uri);
        if let Some(b) = body {
            req = req.with_body(b.as_bytes());
        }
        if let Some(s) = &self.session {
            req = req.with_session_id(s);
        }
        let req = f(req);
        let sealed = seal(&mut rand::rngs::OsRng, &self.pk, &req);
        let mut headers: Vec<(&str, &str)> =
            vec![("X-OCS-Header", &sealed.header), ("Content-Type", "application/json")];
        for (k, v) in &self.extra_headers {
            headers.push((k, v));
        }
        raw(
            self.addr,
            method,
            uri,
            &headers,
            sealed.body.as_deref().map(str::as_bytes),
        )
        .await
        .expect("complete response")
    }

    pub async fn get(&self, uri: &str) -> Resp {
        self.call("GET", uri, None).await
    }
    pub async fn post(&self, uri: &str, body: &str) -> Resp {
        self.call("POST", uri, Some(body)).await
    }
    pub async fn patch(&self, uri: &str, body: &str) -> Resp {
        self.call("PATCH", uri, Some(body)).await
    }

    /// `POST /api/v1/login` → session id (stored on the client).
    pub async fn login(&mut self) -> Resp {
        let pwd = self.password.clone();
        let req = SealRequest::new(&pwd, now_secs() + self.lifetime, "/api/v1/login").with_keys();
        let sealed = seal(&mut rand::rngs::OsRng, &self.pk, &req);
        let r = raw(
            self.addr,
            "POST",
            "/api/v1/login",
            &[("X-OCS-Header", &sealed.header), ("Content-Type", "application/json")],
            None,
        )
        .await
        .unwrap();
        if r.status == 200 {
            let data = r.data();
            let sid =
                open_response_data(sealed.keys.as_ref().unwrap(), data.as_str().unwrap()).expect("session id decrypts");
            self.session = Some(sid);
        }
        r
    }

    pub async fn get_dag(&self, id: &str) -> Value {
        let r = self.get(&format!("/api/v1/task/dag/{id}")).await;
        r.assert_ok()
    }

    /// Polls the DAG until `pred` holds (or panics after `timeout`); returns every distinct
    /// (state, stage) observed and the final DAG.
    pub async fn wait_dag(
        &self,
        id: &str,
        timeout: Duration,
        mut pred: impl FnMut(&Value) -> bool,
    ) -> (Vec<(String, i64)>, Value) {
        let start = Instant::now();
        let mut seen: Vec<(String, i64)> = Vec::new();
        loop {
            let d = self.get_dag(id).await;
            let key = (d["state"].as_str().unwrap().to_string(), d["stage"].as_i64().unwrap());
            if seen.last() != Some(&key) {
                seen.push(key);
            }
            if pred(&d) {
                return (seen, d);
            }
            assert!(
                start.elapsed() < timeout,
                "DAG {id} did not reach the expected state; seen {seen:?}; last {d}"
            );
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }

    pub async fn wait_finished(&self, id: &str) -> Value {
        self.wait_dag(id, Duration::from_secs(20), |d| {
            matches!(d["state"].as_str(), Some("SUCCEED" | "FAILED"))
        })
        .await
        .1
    }

    /// Unauthenticated control call.
    pub async fn control(&self, method: &str, path: &str, body: Option<&str>) -> Value {
        let r = raw(
            self.addr,
            method,
            path,
            &[("Content-Type", "application/json")],
            body.map(str::as_bytes),
        )
        .await
        .unwrap();
        assert_eq!(r.status, 200, "{}", r.text());
        r.json()
    }
}

pub async fn fetch_key(addr: SocketAddr) -> PublicKey {
    let r = raw(addr, "GET", "/api/v1/secret", &[], None).await.expect("secret");
    let v = r.json();
    PublicKey::from_base64_pkcs1(v["data"]["public_key"].as_str().expect("public_key")).expect("agent key parses")
}

/// All task logs of every sub-task of `node` (1-based stage) of a detailed DAG.
pub fn node_logs(dag: &Value, stage: usize) -> Vec<Vec<String>> {
    dag["nodes"][stage - 1]["sub_tasks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            t["task_logs"]
                .as_array()
                .map(|a| a.iter().map(|l| l.as_str().unwrap().to_string()).collect())
                .unwrap_or_default()
        })
        .collect()
}
