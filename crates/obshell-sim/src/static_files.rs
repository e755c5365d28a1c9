//! `--static DIR`: the built console on the agent's origin, as the agent serves its dashboard
//! (`ob/agent/api/web/server.go`): existing files as they are, any other non-API path gets
//! `index.html` (SPA fallback). Without `--static`, non-API paths get gin's plain 404.
//!
//! Delivery as deploy/nginx does it: the build's precompressed `NAME.br` / `NAME.gz` are sent
//! (`Content-Encoding`, `Vary: Accept-Encoding`) when the request accepts them; every answer has
//! an `ETag` of the bytes sent, so a validator never outlives a change of content (`304` only for
//! the very same bytes), and `Cache-Control` is `immutable` for content-hashed names
//! (`name-<16 hex>.js`), `no-cache` for the rest (`index.html`, `embed.js`, `config.json`).

use crate::request::percent_decode;
use crate::state::AppState;
use axum::body::Body;
use axum::http::{header, HeaderMap, HeaderValue, Method, Response, StatusCode};
use std::path::{Component, Path, PathBuf};

pub(crate) async fn serve(st: &AppState, method: &Method, path: &str, headers: &HeaderMap) -> Response<Body> {
    let Some(root) = st.config.static_dir.as_ref() else {
        return not_found();
    };
    if method != Method::GET && method != Method::HEAD {
        return not_found();
    }
    let file = safe_join(root, path)
        .filter(|p| p.is_file())
        .unwrap_or_else(|| root.join("index.html"));
    let accept = headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect::<Vec<_>>()
        .join(",");
    let variants = precompressed(&file);
    let (served, encoding) = variants
        .iter()
        .find(|(_, coding)| accepts(&accept, coding))
        .map(|(p, coding)| (p.clone(), Some(*coding)))
        .unwrap_or_else(|| (file.clone(), None));
    let Ok(bytes) = tokio::fs::read(&served).await else {
        return not_found();
    };
    let tag = etag(&bytes);
    let fresh = headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|v| matches_etag(v, &tag));
    let len = bytes.len();
    let mut r = Response::new(if method == Method::HEAD || fresh {
        Body::empty()
    } else {
        Body::from(bytes)
    });
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(mime(&file)));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache_control(&file)));
    if let Ok(v) = HeaderValue::from_str(&tag) {
        h.insert(header::ETAG, v);
    }
    if !variants.is_empty() {
        h.insert(header::VARY, HeaderValue::from_static("Accept-Encoding"));
    }
    if let Some(coding) = encoding {
        h.insert(header::CONTENT_ENCODING, HeaderValue::from_static(coding));
    }
    if fresh {
        *r.status_mut() = StatusCode::NOT_MODIFIED;
        r.headers_mut().remove(header::CONTENT_TYPE);
    } else if method == Method::HEAD {
        r.headers_mut().insert(header::CONTENT_LENGTH, HeaderValue::from(len));
    }
    r
}

/// gin's default 404 for paths no handler writes to.
fn not_found() -> Response<Body> {
    let mut r = Response::new(Body::from("404 page not found"));
    *r.status_mut() = StatusCode::NOT_FOUND;
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain"));
    r
}

/// Joins a URL path under `root`, refusing `..` and anything that is not a plain component.
fn safe_join(root: &Path, url_path: &str) -> Option<PathBuf> {
    let decoded = percent_decode(url_path);
    let rel = Path::new(decoded.trim_start_matches('/'));
    let mut out = root.to_path_buf();
    for c in rel.components() {
        match c {
            Component::Normal(p) => out.push(p),
            Component::CurDir => {}
            _ => return None,
        }
    }
    Some(out)
}

/// The build's precompressed copies of `file` that exist, in the order they are preferred.
fn precompressed(file: &Path) -> Vec<(PathBuf, &'static str)> {
    [("br", "br"), ("gz", "gzip")]
        .into_iter()
        .filter_map(|(ext, coding)| {
            let mut name = file.as_os_str().to_owned();
            name.push(".");
            name.push(ext);
            let p = PathBuf::from(name);
            p.is_file().then_some((p, coding))
        })
        .collect()
}

/// Whether an `Accept-Encoding` value accepts `coding` (RFC 9110 §12.5.3: q=0 refuses, `*`
/// stands for any coding not listed).
fn accepts(accept_encoding: &str, coding: &str) -> bool {
    let (mut named, mut star) = (None, None);
    for item in accept_encoding.split(',') {
        let mut parts = item.split(';');
        let name = parts.next().unwrap_or("").trim();
        let q = parts
            .filter_map(|p| {
                let (k, v) = p.split_once('=')?;
                k.trim()
                    .eq_ignore_ascii_case("q")
                    .then(|| v.trim().parse::<f32>().unwrap_or(0.0))
            })
            .next()
            .unwrap_or(1.0);
        if name.eq_ignore_ascii_case(coding) {
            named = Some(q > 0.0);
        } else if name == "*" {
            star = Some(q > 0.0);
        }
    }
    named.or(star).unwrap_or(false)
}

/// A strong validator of the bytes sent (FNV-1a 64 and the length).
fn etag(bytes: &[u8]) -> String {
    let hash = bytes.iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    });
    format!("\"{hash:016x}-{:x}\"", bytes.len())
}

/// `If-None-Match` (a list, `*`, weak tags compared weakly as GET allows).
fn matches_etag(if_none_match: &str, tag: &str) -> bool {
    if_none_match
        .split(',')
        .map(|t| t.trim())
        .any(|t| t == "*" || t.trim_start_matches("W/") == tag)
}

/// Content-hashed names never change content: cache them for good; the rest are revalidated.
fn cache_control(file: &Path) -> &'static str {
    let name = file.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let stem = name
        .strip_suffix(".js")
        .or_else(|| name.strip_suffix(".css"))
        .or_else(|| name.strip_suffix(".wasm"))
        .map(|s| s.strip_suffix("_bg").unwrap_or(s));
    let hashed = stem
        .and_then(|s| s.rsplit_once('-'))
        .is_some_and(|(_, h)| h.len() == 16 && h.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)));
    if hashed {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    }
}

fn mime(p: &Path) -> &'static str {
    match p.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "wasm" => "application/wasm",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_encoding_with_q_values_and_star() {
        assert!(accepts("gzip, deflate, br, zstd", "br"));
        assert!(accepts("gzip, deflate, br, zstd", "gzip"));
        assert!(!accepts("gzip, deflate", "br"));
        assert!(!accepts("", "gzip"));
        assert!(!accepts("br;q=0, gzip", "br"));
        assert!(accepts("br;q=0.5", "br"));
        assert!(accepts("*", "br"));
        assert!(!accepts("*;q=0, gzip", "br"));
        assert!(accepts("GZIP ; Q=1", "gzip"));
        assert!(!accepts("identity", "gzip"));
    }

    #[test]
    fn validators_follow_the_content() {
        assert_ne!(etag(b"release A"), etag(b"release B"), "same length, other bytes");
        assert_eq!(etag(b"x"), etag(b"x"));
        let tag = etag(b"x");
        assert!(matches_etag(&tag, &tag));
        assert!(matches_etag(&format!("\"other\", W/{tag}"), &tag));
        assert!(matches_etag("*", &tag));
        assert!(!matches_etag("\"other\"", &tag));
    }

    #[test]
    fn only_content_hashed_names_are_immutable() {
        for name in [
            "obshell-console-0dd8e88ff61f40a0.js",
            "obshell-console-0dd8e88ff61f40a0_bg.wasm",
            "__wasm_split-0dd8e88ff61f40a0.js",
            "boot-0123456789abcdef.js",
            "split_task_view_page-74f7dbcef5c488b0.wasm",
            "main-39f0a56c31e3f641.css",
        ] {
            assert_eq!(
                cache_control(Path::new(name)),
                "public, max-age=31536000, immutable",
                "{name}"
            );
        }
        for name in [
            "index.html",
            "embed.js",
            "config.json",
            "boot.js",
            "x-0123.js",
            "x-0123456789ABCDEF.js",
        ] {
            assert_eq!(cache_control(Path::new(name)), "no-cache", "{name}");
        }
    }

    #[test]
    fn precompressed_copies_in_preference_order() {
        let dir = std::env::temp_dir().join(format!("obshell-sim-precompressed-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("a-0123456789abcdef.js");
        for (name, body) in [
            ("a-0123456789abcdef.js", "x"),
            ("a-0123456789abcdef.js.gz", "g"),
            ("a-0123456789abcdef.js.br", "b"),
        ] {
            std::fs::write(dir.join(name), body).unwrap();
        }
        let found: Vec<_> = precompressed(&file).into_iter().map(|(_, c)| c).collect();
        assert_eq!(found, ["br", "gzip"]);
        std::fs::remove_file(dir.join("a-0123456789abcdef.js.br")).unwrap();
        let found: Vec<_> = precompressed(&file).into_iter().map(|(_, c)| c).collect();
        assert_eq!(found, ["gzip"]);
        assert!(precompressed(&dir.join("index.html")).is_empty());
        std::fs::remove_dir_all(dir).ok();
    }
}
