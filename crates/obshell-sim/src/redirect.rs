//! gin's `RedirectTrailingSlash` (`gin.go` `redirectTrailingSlash`, `redirectRequest`) and Go's
//! `http.Redirect`: `/x/` → `/x` when only `/x` is a route. gin decides this while looking the
//! route up, before any middleware: no decryption, no envelope, no trace id.

use crate::request::{decode_segments, header_str, percent_decode};
use crate::routes;
use crate::state::Runtime;
use axum::body::Body;
use axum::http::{header, HeaderMap, HeaderValue, Method, Response, StatusCode};

/// The redirect for a request whose path only matches a route without its trailing slash.
pub(crate) fn trailing_slash(
    rt: &Runtime,
    method: &Method,
    path: &str,
    target: &str,
    headers: &HeaderMap,
) -> Option<Response<Body>> {
    if path.len() <= 1 || !path.ends_with('/') || routes::match_route(method, &decode_segments(path), rt).is_some() {
        return None;
    }
    routes::match_route(method, &decode_segments(&path[..path.len() - 1]), rt)?;
    let status = if method == Method::GET { 301 } else { 307 };
    Some(redirect(status, &location(path, target, headers), method))
}

/// `URL.String()` of the decoded path (behind a cleaned `X-Forwarded-Prefix`) without its
/// trailing slash, re-escaped, with the query; then `http.Redirect`'s `path.Clean`.
fn location(path: &str, target: &str, headers: &HeaderMap) -> String {
    let mut p = percent_decode(path);
    let prefix = clean(&header_str(headers, "X-Forwarded-Prefix"));
    if prefix != "." {
        // regSafePrefix `[^a-zA-Z0-9/-]+` removed, regRemoveRepeatedChar `/{2,}` → `/`.
        let safe: String = prefix
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '/' || *c == '-')
            .collect();
        let mut collapsed = String::with_capacity(safe.len());
        for c in safe.chars() {
            if !(c == '/' && collapsed.ends_with('/')) {
                collapsed.push(c);
            }
        }
        p = format!("{collapsed}/{p}");
    }
    p.pop();
    let query = target.split_once('?').map(|(_, q)| format!("?{q}")).unwrap_or_default();
    format!("{}{query}", clean(&escape_path(&p)))
}

/// Go's `path.Clean`.
pub(crate) fn clean(p: &str) -> String {
    if p.is_empty() {
        return ".".into();
    }
    let rooted = p.starts_with('/');
    let mut out: Vec<&str> = Vec::new();
    for seg in p.split('/') {
        match seg {
            "" | "." => {}
            ".." if out.last().is_some_and(|s| *s != "..") => {
                out.pop();
            }
            ".." if rooted => {}
            s => out.push(s),
        }
    }
    let joined = out.join("/");
    if rooted {
        format!("/{joined}")
    } else if joined.is_empty() {
        ".".into()
    } else {
        joined
    }
}

/// `url.escape(s, encodePath)`: everything but unreserved characters and `$&+,/:;=@` as `%XX`.
fn escape_path(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for &b in s.as_bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~$&+,/:;=@".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `http.Redirect`: an HTML link body for GET only, `text/html` for GET and HEAD.
fn redirect(status: u16, location: &str, method: &Method) -> Response<Body> {
    let text = if status == 301 {
        "Moved Permanently"
    } else {
        "Temporary Redirect"
    };
    let body = if method == Method::GET {
        format!("<a href=\"{}\">{text}</a>.\n\n", html_escape(location))
    } else {
        String::new()
    };
    let mut resp = Response::new(Body::from(body));
    *resp.status_mut() = StatusCode::from_u16(status).expect("valid redirect status");
    if let Ok(v) = HeaderValue::from_str(location) {
        resp.headers_mut().insert(header::LOCATION, v);
    }
    if method == Method::GET || method == Method::HEAD {
        resp.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        );
    }
    resp
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&#34;")
        .replace('\'', "&#39;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_clean_like_go() {
        for (p, want) in [
            ("", "."),
            ("/", "/"),
            ("//a//b/", "/a/b"),
            ("/a/./b/../c", "/a/c"),
            ("/..", "/"),
            ("a/../..", ".."),
            ("../a/..", ".."),
            ("x/", "x"),
        ] {
            assert_eq!(clean(p), want, "{p:?}");
        }
    }

    #[test]
    fn location_is_decoded_reescaped_and_behind_the_forwarded_prefix() {
        let none = HeaderMap::new();
        assert_eq!(
            location(
                "/api/v1/tenant/t%41/parameters/",
                "/api/v1/tenant/t%41/parameters/?filter=%25a",
                &none
            ),
            "/api/v1/tenant/tA/parameters?filter=%25a"
        );
        assert_eq!(
            location("/api/v1/tenant/a%20b/parameters/", "/x", &none),
            "/api/v1/tenant/a%20b/parameters"
        );
        let mut h = HeaderMap::new();
        h.insert("X-Forwarded-Prefix", HeaderValue::from_static("/obshell//console/<x>"));
        assert_eq!(
            location("/api/v1/info/", "/api/v1/info/", &h),
            "/obshell/console/x/api/v1/info"
        );
    }
}
