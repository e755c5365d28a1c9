//! One request through the agent's global middleware, in the agent's order
//! (`ob/agent/api/agent_route.go` L43-61):
//!
//! 1. `PostHandlers` (receive time; writes the envelope at the end, only for `/api/v1`, `/rpc/v1`),
//! 2. `HeaderDecrypt` (every route: a bad `X-OCS-Header` fails even `/api/v1/secret`),
//! 3. `BodyDecrypt` (every route, when a header was decrypted),
//! 4. `PaddingBody` (`Content-Length: 0` → `{}`),
//! 5. `PreHandlers` (trace id: echo `X-OBSHELL-Trace-ID`, else 16 random hex; not for
//!    `/api/v1/status`),
//! 6. `SetContentType` (`application/json`),
//!
//! then routing (unknown → 404 `Common.NotFound`, no auth), the route group's `Verify`, the
//! handler. Errors raised in steps 2-3 carry an empty `traceId` and gin's
//! `application/json; charset=utf-8`, because steps 5-6 never ran, as on the agent.

use crate::auth::{self, Decrypted};
use crate::config::BODY_LIMIT;
use crate::envelope::{self, ContentType, Data, EnvelopeMeta, Out};
use crate::extra_codes;
use crate::faults::{self, FaultAction};
use crate::request::{decode_segments, header_str, parse_query, request_uri, Req};
use crate::state::{lock, AppState};
use crate::{control, redirect, routes, static_files};
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, Response, StatusCode};
use obshell_proto::agent::secure::{decrypt_body_like_agent, is_recovery_error, open_header, recovery_error};
use obshell_proto::Lang;
use std::sync::Arc;
use std::time::Instant;

/// `net/http`'s answer to a request it cannot parse: plain text, and the connection closed.
fn go_bad_request() -> Response<Body> {
    let mut r = Response::new(Body::from("400 Bad Request"));
    *r.status_mut() = StatusCode::BAD_REQUEST;
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    r.headers_mut()
        .insert(header::CONNECTION, HeaderValue::from_static("close"));
    r
}

pub(crate) async fn handle(State(st): State<Arc<AppState>>, req: Request) -> Response<Body> {
    let started = Instant::now();
    let (parts, body) = req.into_parts();
    let path = parts.uri.path().to_string();
    // Go's `url.ParseRequestURI` refuses a path with a `%` not followed by two hex digits (the
    // query is not checked); `net/http` then answers before any handler runs.
    if obshell_proto::go::url::unescape(&path, false).is_err() {
        return go_bad_request();
    }

    if st.config.enable_faults && (path == "/__sim" || path.starts_with("/__sim/")) {
        let bytes = axum::body::to_bytes(body, BODY_LIMIT).await.unwrap_or_default();
        return control::handle(&st, &parts.method, &parts.uri, &bytes).await;
    }

    let target = request_uri(&parts.uri);
    let is_api = target.starts_with("/api/v1") || target.starts_with("/rpc/v1");
    if !is_api {
        return static_files::serve(&st, &parts.method, &path, &parts.headers).await;
    }

    // `c.GetHeader`: an absent header is "", which localizes to nothing, as no header does.
    let lang = Lang::localizing(Some(&header_str(&parts.headers, "Accept-Language")));
    // Fault injection happens before the agent sees the request (a flaky proxy or network).
    let action = lock(&st.faults).decide(&path);
    if let Some(ms) = action.latency_ms {
        tokio::time::sleep(std::time::Duration::from_millis(ms)).await;
    }
    match action.action {
        FaultAction::None => {}
        other => return faults::respond(&st.clock, other, lang),
    }

    if let Some(resp) = redirect::trailing_slash(&st.runtime(), &parts.method, &path, &target, &parts.headers) {
        journal(&st, &parts.method, &target, None, "none", resp.status().as_u16(), "");
        return resp;
    }

    let content_length = parts
        .headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    let chunked = parts.headers.get(header::TRANSFER_ENCODING).is_some();
    let received_nanos = st.clock.now_nanos();
    let received_secs = received_nanos.div_euclid(1_000_000_000) as i64;
    let mut ctx = Ctx {
        st: &st,
        started,
        trace_id: String::new(),
        content_type: ContentType::JsonUtf8,
        lang,
    };

    // Bodies over the limit are refused before they are read into memory.
    let too_big = content_length.is_some_and(|n| n > BODY_LIMIT as u64);
    let raw = if too_big {
        None
    } else {
        axum::body::to_bytes(body, BODY_LIMIT).await.ok()
    };
    let Some(raw) = raw else {
        let e = extra_codes::REQUEST_BODY_READ_FAILED
            .occur(&[&format!("http: request body too large (limit {BODY_LIMIT} bytes)")]);
        let mut resp = ctx.finish(Err(e.into()));
        resp.headers_mut()
            .insert(header::CONNECTION, HeaderValue::from_static("close"));
        journal(
            &st,
            &parts.method,
            &target,
            None,
            "none",
            resp.status().as_u16(),
            &ctx.trace_id,
        );
        return resp;
    };

    // 2. HeaderDecrypt: the agent header wins when both are present.
    let agent_hdr = header_str(&parts.headers, "X-OCS-Agent-Header");
    let ocs_hdr = header_str(&parts.headers, "X-OCS-Header");
    let key = st.key();
    let decrypted = if !agent_hdr.is_empty() {
        Some(open_header(&key, &agent_hdr).map(|header| Decrypted {
            header,
            agent_header: true,
        }))
    } else if !ocs_hdr.is_empty() {
        Some(open_header(&key, &ocs_hdr).map(|header| Decrypted {
            header,
            agent_header: false,
        }))
    } else {
        None
    };
    let decrypted = match decrypted.transpose() {
        Ok(d) => d,
        Err(e) => {
            let resp = ctx.finish(Err(e.into()));
            journal(
                &st,
                &parts.method,
                &target,
                None,
                "header-error",
                resp.status().as_u16(),
                "",
            );
            return resp;
        }
    };

    // 3. BodyDecrypt.
    let mut body: Vec<u8> = raw.to_vec();
    if let Some(d) = &decrypted {
        if !body.is_empty() {
            match decrypt_body_like_agent(d.header.keys_bytes(), &body) {
                Ok(b) => body = b,
                Err(e) => {
                    let resp = ctx.finish(Err(e.into()));
                    journal(
                        &st,
                        &parts.method,
                        &target,
                        None,
                        "body-error",
                        resp.status().as_u16(),
                        "",
                    );
                    return resp;
                }
            }
        }
    }
    // 4. PaddingBody: Go's ContentLength is 0 for an empty, non-chunked body.
    if raw.is_empty() && !chunked && content_length.unwrap_or(0) == 0 {
        body = b"{}".to_vec();
    }
    // 5. PreHandlers, 6. SetContentType.
    if target != "/api/v1/status" {
        let given = header_str(&parts.headers, "X-OBSHELL-Trace-ID");
        ctx.trace_id = if given.is_empty() { random_trace_id() } else { given };
    }
    ctx.content_type = ContentType::Json;

    let auth_mode = match &decrypted {
        None => "none",
        Some(d) if d.agent_header => "agent-header",
        Some(d) if !d.header.session_id.is_empty() => "session",
        Some(_) => "password",
    };

    let run = || {
        route_and_run(
            &st,
            &parts.method,
            &path,
            &target,
            decrypted.as_ref(),
            &body,
            received_secs,
            received_nanos,
        )
    };
    // Go's JSON decoder accepts 10000 nesting levels; a recursive decoder needs far more stack
    // for that than an async worker has, so deeply nested bodies are decoded on a thread with a
    // big stack (reserved, not committed) instead of overflowing and aborting the process.
    let result = if nesting_depth(&body) > 128 {
        std::thread::scope(|s| {
            std::thread::Builder::new()
                .stack_size(512 << 20)
                .spawn_scoped(s, run)
                .map(|h| h.join().unwrap_or_else(|_| Err(recovery_error().into())))
                .unwrap_or_else(|_| Err(recovery_error().into()))
        })
    } else {
        run()
    };
    let mut resp = ctx.finish(result);
    if action.drop_after {
        resp = faults::broken(resp);
    }
    journal(
        &st,
        &parts.method,
        &target,
        Some(&body),
        auth_mode,
        resp.status().as_u16(),
        &ctx.trace_id,
    );
    resp
}

/// Deepest `[`/`{` nesting outside strings.
fn nesting_depth(b: &[u8]) -> usize {
    let (mut depth, mut max, mut in_str, mut esc) = (0usize, 0usize, false, false);
    for &c in b {
        if in_str {
            match (esc, c) {
                (true, _) => esc = false,
                (false, b'\\') => esc = true,
                (false, b'"') => in_str = false,
                _ => {}
            }
            continue;
        }
        match c {
            b'"' => in_str = true,
            b'[' | b'{' => {
                depth += 1;
                max = max.max(depth);
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    max
}

#[allow(clippy::too_many_arguments)]
fn route_and_run(
    st: &AppState,
    method: &Method,
    path: &str,
    target: &str,
    dec: Option<&Decrypted>,
    body: &[u8],
    received_secs: i64,
    now: i128,
) -> Out {
    let rt = st.runtime();
    let segs = decode_segments(path);
    let Some((guard, route)) = routes::match_route(method, &segs, &rt) else {
        return Err(obshell_proto::errors::codes::COMMON_NOT_FOUND
            .occur(&[&"404 not found"])
            .into());
    };
    let verified = auth::verify(st, guard, dec, target, received_secs)?;
    let query = parse_query(target.split_once('?').map(|(_, q)| q).unwrap_or(""));
    let req = Req {
        st,
        query,
        body,
        verified,
        now,
    };
    // A panic in a handler is the agent's gin recovery: the pre-built 500.
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| routes::dispatch(route, &req)))
        .unwrap_or_else(|_| Err(recovery_error().into()))
}

struct Ctx<'a> {
    st: &'a AppState,
    started: Instant,
    trace_id: String,
    content_type: ContentType,
    lang: Option<Lang>,
}

impl Ctx<'_> {
    fn finish(&self, out: Out) -> Response<Body> {
        let reply = match out {
            Err(f) if is_recovery_error(&f.err) => {
                // gin.CustomRecovery writes `recoveryResponse`, built at agent start: its
                // timestamp is the start time, no trace id, no duration.
                let ts = self.st.clock.render(self.st.started_nanos);
                let meta = EnvelopeMeta {
                    timestamp: &ts,
                    duration_ms: 0,
                    trace_id: "",
                    content_type: self.content_type,
                    lang: None,
                };
                envelope::failure(&meta, &f.err, &Data::Omit)
            }
            out => {
                let ts = self.st.clock.render(self.st.clock.now_nanos());
                let meta = EnvelopeMeta {
                    timestamp: &ts,
                    duration_ms: self.started.elapsed().as_millis() as i64,
                    trace_id: &self.trace_id,
                    content_type: self.content_type,
                    lang: self.lang,
                };
                match out {
                    Ok(data) => envelope::success(&meta, data),
                    Err(f) => envelope::failure(&meta, &f.err, &f.data),
                }
            }
        };
        reply.into_response()
    }
}

/// `trace.RandomTraceId`: 8 random bytes as lowercase hex.
fn random_trace_id() -> String {
    use rand::RngCore;
    let mut b = [0u8; 8];
    rand::rngs::OsRng.fill_bytes(&mut b);
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn journal(st: &AppState, method: &Method, target: &str, body: Option<&[u8]>, auth: &str, status: u16, trace_id: &str) {
    if !st.config.enable_faults {
        return;
    }
    let ts = st.clock.render(st.clock.now_nanos());
    lock(&st.journal).record(method.as_str(), target, body, auth, status, trace_id, ts);
}
