//! Request targets exactly as the agent compares them with the header's `Uri`
//! (`docs/protocol.md` §2.5).
//!
//! The agent checks `header.Uri != c.Request.RequestURI` byte for byte: path plus `?` plus raw
//! query as sent on the request line. A browser's `fetch` re-serializes URLs with the WHATWG
//! parser, which percent-encodes some characters and leaves others alone. If every path segment
//! and query component is encoded here, leaving only RFC 3986 unreserved characters bare, the
//! WHATWG parser has nothing left to change, so the string signed in `Uri` is exactly what goes on
//! the wire. Query order is kept (the agent does not sort), and no trailing slash is added (gin
//! would redirect, and the redirected request no longer matches `Uri`).

use std::fmt;

/// Percent-encodes every byte of the UTF-8 text except `A-Z a-z 0-9 - . _ ~`, with uppercase hex:
/// `t 1` → `t%201`, `'` → `%27`, `é` → `%C3%A9`, `/` → `%2F`.
pub fn encode_component(s: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(s.len());
    for &b in s.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0x0f)]));
        }
    }
    out
}

/// A request target built from raw (unencoded) path segments and query pairs.
///
/// ```
/// use obshell_proto::request_uri::RequestTarget;
/// let t = RequestTarget::new(&["api", "v1", "tenant"]).query("name", "t 1");
/// assert_eq!(t.to_string(), "/api/v1/tenant?name=t%201");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestTarget {
    /// Already-encoded path, starting with `/`.
    path: String,
    /// Already-encoded `key=value` pairs, in insertion order.
    query: Vec<String>,
}

impl RequestTarget {
    /// `/seg/seg/…`, each segment encoded with [`encode_component`] (so a `/` inside a segment
    /// becomes `%2F`). No segments gives `/`.
    pub fn new(path_segments: &[&str]) -> Self {
        let mut path = String::new();
        for seg in path_segments {
            path.push('/');
            path.push_str(&encode_component(seg));
        }
        if path.is_empty() {
            path.push('/');
        }
        RequestTarget {
            path,
            query: Vec::new(),
        }
    }

    /// Appends `key=value` (both encoded; a space is `%20`, never `+`).
    pub fn query(mut self, key: &str, value: &str) -> Self {
        self.query
            .push(format!("{}={}", encode_component(key), encode_component(value)));
        self
    }

    /// The encoded path without the query.
    pub fn path(&self) -> &str {
        &self.path
    }
}

impl fmt::Display for RequestTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.path)?;
        for (i, pair) in self.query.iter().enumerate() {
            f.write_str(if i == 0 { "?" } else { "&" })?;
            f.write_str(pair)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_everything_but_unreserved() {
        assert_eq!(encode_component("AZaz09-._~"), "AZaz09-._~");
        assert_eq!(encode_component("t 1"), "t%201");
        assert_eq!(encode_component("'"), "%27");
        assert_eq!(encode_component("a/b?c&d=e+f%"), "a%2Fb%3Fc%26d%3De%2Bf%25");
        assert_eq!(encode_component("é租户"), "%C3%A9%E7%A7%9F%E6%88%B7");
        assert_eq!(encode_component(""), "");
    }

    #[test]
    fn builds_targets_in_order_without_trailing_slash() {
        let t = RequestTarget::new(&["api", "v1", "tenant"]).query("name", "t 1");
        assert_eq!(t.to_string(), "/api/v1/tenant?name=t%201");
        let t = RequestTarget::new(&["api", "v1", "tenant", "o'k"])
            .query("b", "2")
            .query("a", "1");
        assert_eq!(t.to_string(), "/api/v1/tenant/o%27k?b=2&a=1");
        assert_eq!(t.path(), "/api/v1/tenant/o%27k");
        assert_eq!(
            RequestTarget::new(&["api", "v1", "ob", "info"]).to_string(),
            "/api/v1/ob/info"
        );
        assert_eq!(RequestTarget::new(&[]).to_string(), "/");
    }
}
