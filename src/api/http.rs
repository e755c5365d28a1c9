//! One HTTP exchange with the agent, through gloo-net, kept apart from protocol logic.
//!
//! A request is built first ([`Prepared::new`]: method, URL, query, body); the agent compares the
//! signed `Uri` with the request-target byte for byte, so the caller signs the path and query
//! of the URL gloo-net is about to send ([`Prepared::url`], i.e. `Request::url()`) and only then
//! adds the `X-OCS-Header` ([`Prepared::set_header`]). What is signed equals the wire by
//! construction, whatever the browser's URL parser does to paths and queries.

use super::error::ApiError;
use gloo_net::http::{Method, Request, RequestBuilder};

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

/// An answer: its status and text (the agent's envelope, or a proxy's page).
pub struct RawResponse {
    pub status: u16,
    pub text: String,
}

/// A request ready to be sent, whose final URL is known.
pub struct Prepared {
    request: Request,
    url: String,
}

impl Prepared {
    /// Builds `method url?query` with `headers` and the (already encrypted) `body`.
    pub fn new(
        method: HttpMethod,
        url: &str,
        query: &[(&str, String)],
        headers: &[(&str, &str)],
        body: Option<String>,
    ) -> Result<Prepared, ApiError> {
        let net = |e: gloo_net::Error| ApiError::Network {
            url: url.to_string(),
            detail: e.to_string(),
        };
        let mut builder = RequestBuilder::new(url).method(method.gloo());
        if !query.is_empty() {
            builder = builder.query(query.iter().map(|(k, v)| (*k, v.as_str())));
        }
        for (k, v) in headers {
            builder = builder.header(k, v);
        }
        let request = match body {
            Some(b) => builder.body(b),
            None => builder.build(),
        }
        .map_err(net)?;
        let url = request.url();
        Ok(Prepared { request, url })
    }

    /// The absolute URL that will be requested.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Adds a header after the URL is known (the signature of that URL).
    pub fn set_header(&self, name: &str, value: &str) {
        self.request.headers().set(name, value);
    }

    /// Sends it once.
    pub async fn send(self) -> Result<RawResponse, ApiError> {
        let url = self.url;
        let net = |e: gloo_net::Error| ApiError::Network {
            url: url.clone(),
            detail: e.to_string(),
        };
        let resp = self.request.send().await.map_err(net)?;
        let status = resp.status();
        let text = resp.text().await.map_err(net)?;
        Ok(RawResponse { status, text })
    }
}

/// A GET of a static file beside the page (no agent, no signature), e.g. `config.json`.
pub async fn get_file(url: &str) -> Result<RawResponse, ApiError> {
    Prepared::new(HttpMethod::Get, url, &[], &[], None)?.send().await
}

/// The request-target the agent receives for `sent_url` (absolute): its path and query, with the
/// browser-side API prefix `browser_prefix` (the path of the API base, e.g. `/ops/obshell`)
/// replaced by the prefix the agent sees (`agent_prefix`, `""` behind a prefix-stripping proxy).
/// `None` if the URL is not under the prefix (then nothing can be signed for it).
pub fn agent_target(path_and_query: &str, browser_prefix: &str, agent_prefix: &str) -> Option<String> {
    let rest = path_and_query.strip_prefix(browser_prefix.trim_end_matches('/'))?;
    rest.starts_with('/')
        .then(|| format!("{}{rest}", agent_prefix.trim_end_matches('/')))
}

#[cfg(test)]
mod tests {
    use super::agent_target;

    #[test]
    fn the_agent_target_swaps_the_browser_prefix_for_the_agents() {
        let t = agent_target(
            "/ops/obshell/api/v1/task/dag/1%2F2?show_details=true",
            "/ops/obshell",
            "",
        );
        assert_eq!(t.as_deref(), Some("/api/v1/task/dag/1%2F2?show_details=true"));
        assert_eq!(
            agent_target("/api/v1/info", "", "/agent").as_deref(),
            Some("/agent/api/v1/info")
        );
        assert_eq!(agent_target("/api/v1/info", "/", "").as_deref(), Some("/api/v1/info"));
        assert_eq!(agent_target("/other/api/v1/info", "/ops", ""), None);
        assert_eq!(agent_target("/opsx/api/v1/info", "/ops", ""), None);
    }
}
