//! Injected faults: what a flaky network or proxy in front of the agent does to `/api/v1…`
//! requests (latency, errors, dropped connections, truncated JSON), and the responses they get.
//! The control API ([`crate::control`]) sets them; the pipeline asks [`Faults::decide`] before the
//! agent sees a request.

use crate::clock::Clock;
use crate::envelope::{self, ContentType, Data, EnvelopeMeta};
use axum::body::Body;
use axum::http::{header, HeaderValue, Response, StatusCode};
use obshell_proto::{AgentError, Lang};
use rand::Rng;
use serde::Serialize;
use std::pin::Pin;
use std::task::{Context, Poll};

/// The fault settings, as `GET /__sim/faults` shows them. `*_count`: the next N matching requests;
/// `*_rate`: a random share. `scheduler_paused` is not a request fault but is shown and kept with
/// them (`DELETE /__sim/faults` leaves it as it is).
#[derive(Clone, Debug, Default, Serialize)]
pub(crate) struct Faults {
    pub latency_ms: u64,
    pub error_rate: f64,
    pub error_count: u64,
    pub error_status: u16,
    pub drop_rate: f64,
    pub drop_count: u64,
    pub malformed_rate: f64,
    pub malformed_count: u64,
    /// The agent handles the request, then the connection breaks before the answer (a proxy
    /// dropping after the agent acted): the client cannot tell whether it was applied.
    pub drop_after_rate: f64,
    pub drop_after_count: u64,
    pub path_prefix: Option<String>,
    pub scheduler_paused: bool,
}

/// What happens to one request instead of the agent answering it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum FaultAction {
    None,
    Error(u16),
    Drop,
    Malformed,
}

/// The faults one request gets: a delay first, then possibly an action.
pub(crate) struct Decision {
    pub latency_ms: Option<u64>,
    pub action: FaultAction,
    /// Handled, then the connection breaks before the answer.
    pub drop_after: bool,
}

impl Faults {
    /// The faults for a request to `path`; counts are used up as they hit.
    pub(crate) fn decide(&mut self, path: &str) -> Decision {
        let applies = self.path_prefix.as_deref().is_none_or(|p| path.starts_with(p));
        if !applies {
            return Decision {
                latency_ms: None,
                action: FaultAction::None,
                drop_after: false,
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
        let drop_after = action == FaultAction::None && hit(&mut self.drop_after_count, self.drop_after_rate);
        Decision {
            latency_ms,
            action,
            drop_after,
        }
    }
}

/// The response of an injected fault.
/// `lang`: the request's `Accept-Language` locale (a raw error's text is localized like the agent's).
pub(crate) fn respond(clock: &Clock, action: FaultAction, lang: Option<Lang>) -> Response<Body> {
    match action {
        FaultAction::Error(500) => {
            // What the agent itself answers when it fails unexpectedly.
            let ts = clock.render(clock.now_nanos());
            let meta = EnvelopeMeta {
                timestamp: &ts,
                duration_ms: 0,
                trace_id: "",
                content_type: ContentType::Json,
                lang,
            };
            envelope::failure(&meta, &AgentError::unexpected_raw("simulated fault"), &Data::Omit).into_response()
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
            // hyper aborts the connection when the body fails.
            Response::new(Body::new(Failing))
        }
        FaultAction::None => unreachable!("no fault to respond with"),
    }
}

/// The agent's answer lost on the way: the connection breaks before its body (the status and
/// headers may have gone out).
pub(crate) fn broken(resp: Response<Body>) -> Response<Body> {
    let (parts, _) = resp.into_parts();
    Response::from_parts(parts, Body::new(Failing))
}

/// A response body that fails before its first byte.
struct Failing;

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
