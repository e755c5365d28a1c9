//! The agent's response envelope, written byte for byte as gin's `c.JSON(resp.Status, resp)` does:
//! keys in `OcsAgentResponse` order, `data` omitted when nil, Go's HTML-safe string escaping
//! (`<`, `>`, `&`, U+2028, U+2029 as `\u…`), no trailing newline. Also what a handler returns
//! ([`Out`]: the data, or a [`Fail`] with the data beside the error).

use axum::body::Body;
use axum::http::{header, HeaderValue, Response, StatusCode};
use obshell_proto::envelope::ApiError;
use obshell_proto::{AgentError, Lang};
use serde::Serialize;

/// What a handler returns: the `data` of a success, or the error with the `data` beside it.
pub(crate) type Out = Result<Data, Fail>;

/// A handler's failure: the agent's error and the `data` its envelope carries beside it. A Go
/// handler that hands its executor's typed result to `SendResponse` (`dag, err := …;
/// SendResponse(c, dag, err)`) answers `"data":null` with the error (a typed nil pointer is not
/// omitted) or `"data":{"contents":null}` (a nil slice is still wrapped); guards (identity,
/// tenant, binding) pass an untyped nil and the key is omitted.
#[derive(Debug)]
pub(crate) struct Fail {
    pub err: AgentError,
    pub data: Data,
}

impl From<AgentError> for Fail {
    fn from(err: AgentError) -> Self {
        Fail { err, data: Data::Omit }
    }
}

/// Marks an executor's errors with the typed nil its Go handler sends along.
pub(crate) trait TypedNil<T> {
    /// A nil pointer result: `"data":null`.
    fn or_nil_pointer(self) -> Result<T, Fail>;
    /// A nil slice result: `"data":{"contents":null}`.
    fn or_nil_slice(self) -> Result<T, Fail>;
}

impl<T> TypedNil<T> for Result<T, AgentError> {
    fn or_nil_pointer(self) -> Result<T, Fail> {
        self.map_err(|err| Fail {
            err,
            data: Data::typed_nil(),
        })
    }
    fn or_nil_slice(self) -> Result<T, Fail> {
        self.map_err(|err| Fail {
            err,
            data: Data::nil_contents(),
        })
    }
}

/// The `data` a handler produces.
#[derive(Debug)]
pub(crate) enum Data {
    /// Go `nil` interface: the key is omitted.
    Omit,
    /// Already-serialized JSON (typed structs keep the agent's key order).
    Json(Vec<u8>),
}

impl Data {
    pub(crate) fn of<T: Serialize + ?Sized>(v: &T) -> Data {
        Data::Json(serde_json::to_vec(v).expect("simulator types always serialize"))
    }

    /// A nil Go slice as `data`: still wrapped, `{"contents":null}`.
    pub(crate) fn nil_contents() -> Data {
        Data::Json(br#"{"contents":null}"#.to_vec())
    }

    /// A Go slice as `data`: `buildResponseData` wraps it as `{"contents": [...]}`.
    pub(crate) fn contents<T: Serialize>(items: &[T]) -> Data {
        #[derive(Serialize)]
        struct Contents<'a, T> {
            contents: &'a [T],
        }
        Data::of(&Contents { contents: items })
    }

    /// A typed nil pointer (e.g. `*BackupDestInfo(nil)`): a non-nil interface, so Go's
    /// `omitempty` keeps it and it prints as `"data":null`.
    pub(crate) fn typed_nil() -> Data {
        Data::Json(b"null".to_vec())
    }
}

/// Content type of a response: the agent's `SetContentType` middleware forces
/// `application/json`; responses written before it ran (header/body decryption failures) get
/// gin's `application/json; charset=utf-8`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ContentType {
    Json,
    JsonUtf8,
}

impl ContentType {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            ContentType::Json => "application/json",
            ContentType::JsonUtf8 => "application/json; charset=utf-8",
        }
    }
}

/// A finished response before it becomes an HTTP response.
#[derive(Debug)]
pub(crate) struct Reply {
    pub status: u16,
    pub content_type: ContentType,
    pub body: Vec<u8>,
}

impl Reply {
    /// The HTTP response: the status, the content type, the bytes as they are.
    pub(crate) fn into_response(self) -> Response<Body> {
        let mut resp = Response::new(Body::from(self.body));
        *resp.status_mut() = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        resp.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static(self.content_type.as_str()),
        );
        resp
    }
}

/// What every envelope needs besides data/error.
pub(crate) struct EnvelopeMeta<'a> {
    pub timestamp: &'a str,
    pub duration_ms: i64,
    pub trace_id: &'a str,
    pub content_type: ContentType,
    /// The locale `Accept-Language` asks for ([`Lang::localizing`]); `None`: messages as built.
    pub lang: Option<Lang>,
}

pub(crate) fn success(meta: &EnvelopeMeta<'_>, data: Data) -> Reply {
    let body = write(true, meta.timestamp, meta.duration_ms, 200, meta.trace_id, &data, None);
    Reply {
        status: 200,
        content_type: meta.content_type,
        body,
    }
}

/// An error envelope; `data`: what the handler passed beside the error (see [`Fail`]).
pub(crate) fn failure(meta: &EnvelopeMeta<'_>, err: &AgentError, data: &Data) -> Reply {
    let api = err.to_api_error(meta.lang);
    let status = err.status();
    let body = write(
        false,
        meta.timestamp,
        meta.duration_ms,
        status,
        meta.trace_id,
        data,
        Some(&api),
    );
    Reply {
        status,
        content_type: meta.content_type,
        body,
    }
}

fn write(
    successful: bool,
    timestamp: &str,
    duration: i64,
    status: u16,
    trace_id: &str,
    data: &Data,
    error: Option<&ApiError>,
) -> Vec<u8> {
    let mut out = Vec::with_capacity(160);
    out.extend_from_slice(b"{\"successful\":");
    out.extend_from_slice(if successful { b"true" } else { b"false" });
    out.extend_from_slice(b",\"timestamp\":");
    out.extend_from_slice(&serde_json::to_vec(timestamp).expect("string"));
    out.extend_from_slice(format!(",\"duration\":{duration},\"status\":{status},\"traceId\":").as_bytes());
    out.extend_from_slice(&serde_json::to_vec(trace_id).expect("string"));
    if let Data::Json(bytes) = data {
        out.extend_from_slice(b",\"data\":");
        out.extend_from_slice(bytes);
    }
    if let Some(e) = error {
        out.extend_from_slice(b",\"error\":");
        out.extend_from_slice(&serde_json::to_vec(e).expect("ApiError serializes"));
    }
    out.push(b'}');
    go_html_escape(out)
}

/// Go's `encoding/json` escapes `<`, `>` and `&` (and U+2028/U+2029) inside strings. Those bytes
/// cannot occur outside strings in JSON, so a byte-level pass over the whole document is exact.
pub(crate) fn go_html_escape(bytes: Vec<u8>) -> Vec<u8> {
    let needs = bytes.iter().any(|b| matches!(b, b'<' | b'>' | b'&' | 0xE2));
    if !needs {
        return bytes;
    }
    let mut out = Vec::with_capacity(bytes.len() + 16);
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'<' => out.extend_from_slice(b"\\u003c"),
            b'>' => out.extend_from_slice(b"\\u003e"),
            b'&' => out.extend_from_slice(b"\\u0026"),
            0xE2 if bytes.get(i + 1) == Some(&0x80) && matches!(bytes.get(i + 2), Some(0xA8 | 0xA9)) => {
                out.extend_from_slice(if bytes[i + 2] == 0xA8 { b"\\u2028" } else { b"\\u2029" });
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_like_go() {
        let v = go_html_escape(br#"{"a":"<b>&c\u2028"}"#.to_vec());
        assert_eq!(v, br#"{"a":"\u003cb\u003e\u0026c\u2028"}"#.to_vec());
        let v = go_html_escape("\"x\u{2028}y\"".as_bytes().to_vec());
        assert_eq!(v, br#""x\u2028y""#.to_vec());
    }

    #[test]
    fn key_order_and_omission() {
        let meta = EnvelopeMeta {
            timestamp: "T",
            duration_ms: 3,
            trace_id: "ab",
            content_type: ContentType::Json,
            lang: None,
        };
        let r = success(&meta, Data::Omit);
        assert_eq!(
            String::from_utf8(r.body).unwrap(),
            r#"{"successful":true,"timestamp":"T","duration":3,"status":200,"traceId":"ab"}"#
        );
        let r = success(&meta, Data::typed_nil());
        assert!(String::from_utf8(r.body)
            .unwrap()
            .ends_with(r#""traceId":"ab","data":null}"#));
    }
}
