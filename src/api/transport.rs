//! The HTTP exchange itself (gloo-net `fetch`), kept apart from protocol logic.

use super::ApiError;
use gloo_net::http::{Method, RequestBuilder};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HttpMethod {
    Get,
    Post,
    Patch,
}

impl HttpMethod {
    fn gloo(self) -> Method {
        match self {
            HttpMethod::Get => Method::GET,
            HttpMethod::Post => Method::POST,
            HttpMethod::Patch => Method::PATCH,
        }
    }
}

pub struct RawResponse {
    pub status: u16,
    pub text: String,
}

/// Sends one request. `headers` are added as given; `body` is sent verbatim (already encrypted).
pub async fn send(method: HttpMethod, url: &str, headers: &[(&str, String)], body: Option<String>) -> Result<RawResponse, ApiError> {
    let mut rb = RequestBuilder::new(url).method(method.gloo());
    for (k, v) in headers {
        rb = rb.header(k, v);
    }
    let req = match body {
        Some(b) => rb.body(b),
        None => rb.build(),
    }
    .map_err(|e| ApiError::Network { url: url.to_string(), detail: e.to_string() })?;
    let resp = req.send().await.map_err(|e| ApiError::Network { url: url.to_string(), detail: e.to_string() })?;
    let status = resp.status();
    let text = resp.text().await.map_err(|e| ApiError::Network { url: url.to_string(), detail: e.to_string() })?;
    Ok(RawResponse { status, text })
}
