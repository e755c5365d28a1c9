//! The HTTP exchange itself (the browser's `fetch`), kept apart from protocol logic. The URL is
//! passed through untouched: what is signed in `Uri` must be exactly what goes on the wire.

use super::ApiError;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Headers, Request, RequestInit, Response};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HttpMethod {
    Get,
    Post,
    Patch,
}

impl HttpMethod {
    fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Post => "POST",
            HttpMethod::Patch => "PATCH",
        }
    }
}

pub struct RawResponse {
    pub status: u16,
    pub text: String,
}

fn js_detail(e: wasm_bindgen::JsValue) -> String {
    e.dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| "request failed".into())
}

/// Sends one request. `headers` are added as given; `body` is sent verbatim (already encrypted).
pub async fn send(
    method: HttpMethod,
    url: &str,
    headers: &[(&str, String)],
    body: Option<String>,
) -> Result<RawResponse, ApiError> {
    let net = |detail: String| ApiError::Network {
        url: url.to_string(),
        detail,
    };
    let h = Headers::new().map_err(|e| net(js_detail(e)))?;
    for (k, v) in headers {
        h.set(k, v).map_err(|e| net(js_detail(e)))?;
    }
    let init = RequestInit::new();
    init.set_method(method.as_str());
    init.set_headers(&h);
    if let Some(b) = body {
        init.set_body(&wasm_bindgen::JsValue::from_str(&b));
    }
    let req = Request::new_with_str_and_init(url, &init).map_err(|e| net(js_detail(e)))?;
    let window = web_sys::window().ok_or_else(|| net("no window".into()))?;
    let resp: Response = JsFuture::from(window.fetch_with_request(&req))
        .await
        .map_err(|e| net(js_detail(e)))?
        .unchecked_into();
    let status = resp.status();
    let text = JsFuture::from(resp.text().map_err(|e| net(js_detail(e)))?)
        .await
        .map_err(|e| net(js_detail(e)))?
        .as_string()
        .unwrap_or_default();
    Ok(RawResponse { status, text })
}
