//! `--static DIR`: the built console on the agent's origin, as the agent serves its dashboard
//! (`ob/agent/api/web/server.go`): existing files as they are, any other non-API path gets
//! `index.html` (SPA fallback). Without `--static`, non-API paths get gin's plain 404.

use crate::request::percent_decode;
use crate::state::AppState;
use axum::body::Body;
use axum::http::{header, HeaderValue, Method, Response, StatusCode};
use std::path::{Component, Path, PathBuf};

pub(crate) async fn serve(st: &AppState, method: &Method, path: &str) -> Response<Body> {
    let Some(root) = st.config.static_dir.as_ref() else {
        return not_found();
    };
    if method != Method::GET && method != Method::HEAD {
        return not_found();
    }
    let file = safe_join(root, path)
        .filter(|p| p.is_file())
        .unwrap_or_else(|| root.join("index.html"));
    match tokio::fs::read(&file).await {
        Ok(bytes) => {
            let mut r = Response::new(if method == Method::HEAD {
                Body::empty()
            } else {
                Body::from(bytes)
            });
            r.headers_mut()
                .insert(header::CONTENT_TYPE, HeaderValue::from_static(mime(&file)));
            r
        }
        Err(_) => not_found(),
    }
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
