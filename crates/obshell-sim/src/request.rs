//! A request as the handlers see it ([`Req`]), and the Go `net/http` / gin helpers that read one:
//! `RequestURI`, `Header.Get`, the decoded `URL.Path`, `url.ParseQuery`, and gin's `BindJSON` and
//! `form:"show_details,default=true"` binding.

use crate::auth::Verified;
use crate::state::AppState;
use axum::http::{HeaderMap, Uri};
use obshell_proto::errors::codes;
use obshell_proto::go::json::{self as gojson, FirstError, JVal, StructDecoder};
use obshell_proto::go::url;
use obshell_proto::AgentError;

/// A request after the middleware: what handlers may look at.
pub(crate) struct Req<'a> {
    pub st: &'a AppState,
    /// Decoded query pairs in order.
    pub query: Vec<(String, String)>,
    /// The (decrypted, padded) body.
    pub body: &'a [u8],
    pub verified: Verified,
    /// Receive time (Unix nanos, agent clock).
    pub now: i128,
}

impl Req<'_> {
    /// `c.Query(key)`: the first value, "" when absent.
    pub(crate) fn q(&self, key: &str) -> Option<&str> {
        self.query.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }

    /// gin's `show_details` binding (`form:"show_details,default=true"`, `strconv.ParseBool`):
    /// absent → true, "" → false, unparsable → `None` (the handler then dereferences a nil
    /// pointer: the agent panics).
    pub(crate) fn show_details(&self) -> Option<bool> {
        match self.q("show_details") {
            None => Some(true),
            Some("" | "0" | "f" | "F" | "false" | "FALSE" | "False") => Some(false),
            Some("1" | "t" | "T" | "true" | "TRUE" | "True") => Some(true),
            Some(_) => None,
        }
    }
}

/// Go's `Request.RequestURI`: the request-target as received (origin form: path + `?` + query).
pub(crate) fn request_uri(uri: &Uri) -> String {
    match (uri.scheme(), uri.path_and_query()) {
        (None, Some(pq)) => pq.as_str().to_string(),
        (None, None) => uri.path().to_string(),
        // absolute-form request-target: Go keeps it verbatim.
        _ => uri.to_string(),
    }
}

/// The first value of a header as Go's `Header.Get` returns it (raw bytes, lossily decoded).
pub(crate) fn header_str(h: &HeaderMap, name: &str) -> String {
    h.get(name)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
        .unwrap_or_default()
}

/// Percent-decodes a path (`%2F` becomes `/` too, as Go's `URL.Path`). The pipeline has
/// already refused paths with a malformed escape, as Go's URL parser does.
pub(crate) fn percent_decode(s: &str) -> String {
    url::unescape(s, false).unwrap_or_else(|_| s.to_string())
}

/// The segments of the decoded path after its leading `/`: what routes are matched on.
pub(crate) fn decode_segments(path: &str) -> Vec<String> {
    percent_decode(path).split('/').skip(1).map(str::to_string).collect()
}

/// Go's `url.ParseQuery` (pairs with bad escapes are dropped, `+` is a space).
pub(crate) fn parse_query(q: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for part in q.split('&') {
        if part.is_empty() || part.contains(';') {
            continue;
        }
        let (k, v) = part.split_once('=').unwrap_or((part, ""));
        if let (Ok(k), Ok(v)) = (url::unescape(k, true), url::unescape(v, true)) {
            out.push((k, v));
        }
    }
    out
}

/// gin `BindJSON` of a small struct: parses like Go, hands the object to `f`, and turns the first
/// type error into `Bind JSON failed: …`.
pub(crate) fn bind<T>(
    body: &[u8],
    go_type: &str,
    name: &str,
    f: impl FnOnce(&mut StructDecoder<'_>) -> T,
) -> Result<T, AgentError> {
    let fail = |m: String| codes::COMMON_BIND_JSON_FAILED.occur(&[&m]);
    let v = gojson::parse(body).map_err(fail)?;
    let empty = JVal::Obj(Vec::new());
    let obj = gojson::top_level(&v, go_type).map_err(fail)?.unwrap_or(&empty);
    let mut errors = FirstError::default();
    let out = {
        let mut d = StructDecoder::new(obj, name, &mut errors);
        f(&mut d)
    };
    errors.into_result().map_err(fail)?;
    Ok(out)
}
