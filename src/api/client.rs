//! [`AgentClient`]: bootstrap (`/info`, `/secret`, `/time`), sign-in (session or per-request
//! password), sealed requests and their one-shot recoveries.

use super::error::ApiError;
use super::http::{self, HttpMethod, Prepared};
use crate::routes::{self, ApiTarget};
use futures::channel::oneshot;
use leptos::prelude::*;
use obshell_proto::crypto::{self, AesKeys, PublicKey, SealRandom, SealRequest, Secret};
use obshell_proto::dag::DagDetail;
use obshell_proto::envelope::{AgentSecret, AgentStatus, Compatibility, Envelope};
use obshell_proto::errors::codes;
use obshell_proto::time::Timestamp;
use obshell_proto::Lang;
use rand_core::OsRng;
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::sync::{Arc, Mutex};

/// Header lifetime: the agent rejects a header once its `Ts` has passed. Short, as the SDKs do
/// (there is no replay protection besides it), with room for a slow proxy.
const HEADER_LIFETIME_S: i64 = 120;

/// Where the API is, as the browser and as the agent see it.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct ClientConfig {
    /// Prefix the browser puts before `/api/v1/...` (e.g. `/ops/obshell` behind a proxy); `""`
    /// when the console and the API share the origin root.
    pub api_base: String,
    /// Prefix the agent receives before `/api/v1/...`: the signed `Uri` must equal what the agent
    /// sees, so a proxy that strips `/ops/obshell` needs `""` here while `api_base` keeps it.
    pub agent_prefix: String,
}

/// The user must sign in again: the dialog shows, and the waiting requests continue after.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReauthRequest;

#[derive(Default)]
struct State {
    info: Option<AgentStatus>,
    key: Option<PublicKey>,
    /// server − local, in milliseconds.
    skew_ms: f64,
    /// Kept only when the agent has no sessions (every request carries it).
    password: Option<Secret>,
    session: Option<Secret>,
    waiting_for_signin: Vec<oneshot::Sender<bool>>,
}

/// The console's connection to one agent. Cheap to clone; provided as context.
#[derive(Clone)]
pub struct AgentClient {
    config: Arc<Mutex<ClientConfig>>,
    state: Arc<Mutex<State>>,
    /// UI language; sent as `Accept-Language` so agent errors come back in it.
    pub lang: RwSignal<Lang>,
    /// Signed in (session open, or password accepted).
    pub signed_in: RwSignal<bool>,
    /// Set while requests wait for the user to sign in again.
    pub reauth: RwSignal<Option<ReauthRequest>>,
}

fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// A bootstrap (`connect`) sent before the console is mounted, with what it learned.
struct EarlyConnect {
    result: Result<AgentStatus, ApiError>,
    info: Option<AgentStatus>,
    key: Option<PublicKey>,
    skew_ms: f64,
}

thread_local! {
    /// The standalone start's bootstrap, for the agent and language it was sent with.
    static EARLY_CONNECT: std::cell::RefCell<Option<(ClientConfig, Lang, oneshot::Receiver<EarlyConnect>)>> =
        const { std::cell::RefCell::new(None) };
}

/// Sends `/info`, `/secret` and `/time` for `config` now, before the console is mounted (the
/// standalone start: mounting takes tens of milliseconds, the answers come meanwhile). The
/// first [`AgentClient::connect`] for the same agent and language takes them over instead of
/// asking again; any other (a retry, another profile) asks the agent itself.
pub fn connect_early(config: ClientConfig, lang: Lang) {
    let (done, answer) = oneshot::channel();
    let client = AgentClient::new(config.clone(), RwSignal::new(lang));
    wasm_bindgen_futures::spawn_local(async move {
        let result = client.connect_now().await;
        let st = client.st();
        let _ = done.send(EarlyConnect {
            result,
            info: st.info.clone(),
            key: st.key.clone(),
            skew_ms: st.skew_ms,
        });
    });
    EARLY_CONNECT.with(|e| *e.borrow_mut() = Some((config, lang, answer)));
}

/// The early bootstrap, once, if it was sent for this agent and language.
fn take_early_connect(config: &ClientConfig, lang: Lang) -> Option<oneshot::Receiver<EarlyConnect>> {
    let (c, l, answer) = EARLY_CONNECT.with(|e| e.borrow_mut().take())?;
    (c == *config && l == lang).then_some(answer)
}

impl AgentClient {
    pub fn new(config: ClientConfig, lang: RwSignal<Lang>) -> Self {
        AgentClient {
            config: Arc::new(Mutex::new(config)),
            state: Arc::new(Mutex::new(State::default())),
            lang,
            signed_in: RwSignal::new(false),
            reauth: RwSignal::new(None),
        }
    }

    pub fn config(&self) -> ClientConfig {
        self.config.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Points the client at another agent (a profile): everything learned about the previous
    /// one (key, clock, session, password) is forgotten.
    pub fn set_config(&self, config: ClientConfig) {
        *self.config.lock().unwrap_or_else(|p| p.into_inner()) = config;
        self.answer_waiters(false);
        *self.st() = State::default();
        self.signed_in.set(false);
        self.reauth.set(None);
    }

    fn st(&self) -> std::sync::MutexGuard<'_, State> {
        // Single-threaded wasm: a poisoned lock only follows a panic, which aborts anyway.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn info(&self) -> Option<AgentStatus> {
        self.st().info.clone()
    }

    /// Server time estimate in Unix milliseconds (skew-corrected local clock).
    pub fn server_now_ms(&self) -> f64 {
        now_ms() + self.st().skew_ms
    }

    pub fn uses_sessions(&self) -> bool {
        matches!(
            self.st().info.as_ref().map(|i| i.compatibility()),
            Some(Compatibility::Ok { sessions: true, .. })
        )
    }

    fn browser_url(&self, path: &str) -> String {
        format!("{}{}", self.config().api_base.trim_end_matches('/'), path)
    }

    /// The request-target the agent will see for a URL about to be sent: its path and query,
    /// with the API base's path (as the browser's URL parser normalizes it) replaced by the
    /// agent-side prefix.
    fn signed_uri(&self, sent_url: &str) -> Result<String, ApiError> {
        let unsignable = || ApiError::Crypto(format!("{sent_url} is not under the API base"));
        let sent = web_sys::Url::new(sent_url).map_err(|_| unsignable())?;
        let path_and_query = format!("{}{}", sent.pathname(), sent.search());
        let base = self.browser_url("/");
        let doc_base = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.base_uri().ok().flatten())
            .unwrap_or_default();
        let browser_prefix = web_sys::Url::new_with_base(&base, &doc_base)
            .map(|u| u.pathname())
            .map_err(|_| unsignable())?;
        http::agent_target(&path_and_query, &browser_prefix, &self.config().agent_prefix).ok_or_else(unsignable)
    }

    /// An unauthenticated GET (never with `X-OCS-*` headers: a stale one would break even these).
    async fn get_plain<T: DeserializeOwned>(&self, path: &str) -> Result<(T, Envelope<Value>), ApiError> {
        let url = self.browser_url(path);
        let lang = self.lang.get_untracked().tag();
        let resp = Prepared::new(HttpMethod::Get, &url, &[], &[("Accept-Language", lang)], None)?
            .send()
            .await?;
        let env = parse_envelope(&url, resp.status, &resp.text)?;
        let data = env.data.clone().unwrap_or(Value::Null);
        let t = serde_json::from_value(data).map_err(|e| ApiError::BadResponse {
            url,
            status: resp.status,
            detail: e.to_string(),
        })?;
        Ok((t, env))
    }

    /// `/api/v1/info`, `/secret` and the clock from `/time`, sent together (none depends on
    /// another's answer: one round trip, not three). Returns the agent status; the caller
    /// decides what an incompatible agent means for the UI. When several fail, the first of
    /// the three in that order is the one reported (an unreachable agent fails `/info` first).
    pub async fn connect(&self) -> Result<AgentStatus, ApiError> {
        let early = take_early_connect(&self.config(), self.lang.get_untracked());
        if let Some(Ok(done)) = match early {
            Some(answer) => Some(answer.await),
            None => None,
        } {
            // What connecting would have left here, as the early one left it in its client.
            let mut st = self.st();
            (st.info, st.key, st.skew_ms) = (done.info, done.key, done.skew_ms);
            return done.result;
        }
        self.connect_now().await
    }

    async fn connect_now(&self) -> Result<AgentStatus, ApiError> {
        let (info, key, clock) = futures::join!(
            self.get_plain::<AgentStatus>(routes::INFO),
            self.refresh_key(),
            self.sync_clock()
        );
        let (info, _) = info?;
        self.st().info = Some(info.clone());
        key?;
        clock?;
        Ok(info)
    }

    async fn refresh_key(&self) -> Result<(), ApiError> {
        let (secret, _) = self.get_plain::<AgentSecret>(routes::SECRET).await?;
        let key = PublicKey::from_base64_pkcs1(&secret.public_key).map_err(|e| ApiError::Crypto(e.to_string()))?;
        self.st().key = Some(key);
        Ok(())
    }

    /// Clock skew from `/api/v1/time`, taken at the midpoint of the round trip.
    async fn sync_clock(&self) -> Result<(), ApiError> {
        let sent = now_ms();
        let (server, _) = self.get_plain::<String>(routes::TIME).await?;
        let received = now_ms();
        if let Some(t) = Timestamp::parse(&server) {
            let local_mid = (sent + received) / 2.0;
            self.st().skew_ms = t.unix_millis() as f64 - local_mid;
        }
        Ok(())
    }

    /// Signs in: a session where the agent has them, otherwise the password is checked once and
    /// kept in memory for every request. Nothing is persisted.
    pub async fn sign_in(&self, password: Secret) -> Result<(), ApiError> {
        if self.st().key.is_none() {
            self.connect().await?;
        }
        if self.uses_sessions() {
            let sid = self.login_session(&password).await?;
            let mut st = self.st();
            st.session = Some(sid);
            st.password = None;
        } else {
            self.st().password = Some(password.clone());
            // Verify with a cheap authenticated read; forget the password if it is wrong.
            if let Err(e) = self
                .request_once::<Value>(HttpMethod::Get, &routes::TENANTS_OVERVIEW.into(), None)
                .await
            {
                self.st().password = None;
                return Err(e);
            }
        }
        self.signed_in.set(true);
        self.finish_reauth();
        Ok(())
    }

    /// Signs in with an SSO one-time token minted by an embedding host (`/api/v1/sso/exchange`):
    /// the browser never sees the password.
    pub async fn sign_in_with_sso_token(&self, token: Secret) -> Result<(), ApiError> {
        if self.st().key.is_none() {
            self.connect().await?;
        }
        let target = routes::SSO_EXCHANGE.into();
        let (env, keys) = self
            .exchange(HttpMethod::Get, &target, SealAuth::SsoToken(&token), None, true)
            .await?;
        let sid = decrypt_session(&env, keys)?;
        self.st().session = Some(sid);
        self.signed_in.set(true);
        self.finish_reauth();
        Ok(())
    }

    async fn login_session(&self, password: &Secret) -> Result<Secret, ApiError> {
        let target = routes::LOGIN.into();
        let (env, keys) = self
            .exchange(HttpMethod::Post, &target, SealAuth::Password(password), None, true)
            .await?;
        decrypt_session(&env, keys)
    }

    /// Signs out: closes the session on the agent (best effort) and forgets every secret.
    pub async fn sign_out(&self) {
        let session = self.st().session.clone();
        if let Some(sid) = session {
            let body = serde_json::json!({ "session_id": sid.expose() });
            let _ = self
                .request_once::<Value>(HttpMethod::Post, &routes::LOGOUT.into(), Some(body))
                .await;
        }
        let mut st = self.st();
        st.session = None;
        st.password = None;
        drop(st);
        self.signed_in.set(false);
    }

    /// The user dismissed the sign-in dialog: waiting requests fail, and then (on the next
    /// turn of the event loop, once the pages' requests have heard it and settled) the console
    /// shows the sign-in page. Taking the page down first would let those requests resume into
    /// a disposed page.
    pub fn cancel_reauth(&self) {
        self.answer_waiters(false);
        let reauth = self.reauth;
        leptos::task::spawn_local(async move {
            gloo_timers::future::TimeoutFuture::new(0).await;
            reauth.try_set(None);
        });
    }

    /// Signed in again: the waiting requests continue.
    fn finish_reauth(&self) {
        self.answer_waiters(true);
        self.reauth.set(None);
    }

    /// Tells the requests waiting for a new sign-in whether they may go on.
    fn answer_waiters(&self, signed_in: bool) {
        let waiters = std::mem::take(&mut self.st().waiting_for_signin);
        for w in waiters {
            let _ = w.send(signed_in);
        }
    }

    /// The agent's public key, or why there is none yet.
    fn public_key(&self) -> Result<PublicKey, ApiError> {
        self.st()
            .key
            .clone()
            .ok_or_else(|| ApiError::Crypto("no public key".into()))
    }

    /// The `X-OCS-Header` for a request to `uri` (as the agent will see it), its padding from
    /// `random` (the request's one draw of randomness, which also gave `keys`).
    fn seal_header(
        &self,
        uri: &str,
        body: Option<&[u8]>,
        auth: SealAuth<'_>,
        keys: Option<&AesKeys>,
        (key, random): (&PublicKey, SealRandom),
    ) -> Result<String, ApiError> {
        let st = self.st();
        let expires = ((now_ms() + st.skew_ms) / 1000.0).floor() as i64 + HEADER_LIFETIME_S;
        let empty = Secret::new("");
        let (password, session, sso) = match auth {
            SealAuth::Current => match (&st.session, &st.password) {
                (Some(s), _) => (&empty, Some(s.expose()), None),
                (None, Some(p)) => (p, None, None),
                (None, None) => (&empty, None, None),
            },
            SealAuth::Password(p) => (p, None, None),
            SealAuth::SsoToken(t) => (&empty, None, Some(t.expose())),
        };
        let req = SealRequest {
            password,
            expires_at_unix_s: expires,
            uri,
            session_id: session,
            sso_token: sso,
            body,
            include_keys: keys.is_some(),
        };
        Ok(crypto::seal_header_with(&mut OsRng, random, key, &req, keys))
    }

    /// One sealed exchange: the body is encrypted and the request built (gloo-net), the URL it
    /// will request is signed, then it is sent. Returns the envelope and the request's AES keys
    /// (login and SSO answers are encrypted with them).
    async fn exchange(
        &self,
        method: HttpMethod,
        target: &ApiTarget,
        auth: SealAuth<'_>,
        body: Option<&[u8]>,
        include_keys: bool,
    ) -> Result<(Envelope<Value>, Option<AesKeys>), ApiError> {
        let body = body.filter(|b| !b.is_empty());
        // One getRandomValues call per request: AES key, IV and every padding byte.
        let key = self.public_key()?;
        let random = SealRandom::draw(
            &mut OsRng,
            &key,
            include_keys || body.is_some(),
            SealRandom::HEADER_LEN_HINT,
        );
        let keys = random.aes_keys();
        let sealed_body = keys.as_ref().zip(body).map(|(k, b)| k.encrypt(b));
        let lang = self.lang.get_untracked().tag();
        let url = self.browser_url(&target.path);
        let headers = [("Content-Type", "application/json"), ("Accept-Language", lang)];
        let request = Prepared::new(method, &url, &target.query, &headers, sealed_body)?;
        let uri = self.signed_uri(request.url())?;
        let header = self.seal_header(&uri, body, auth, keys.as_ref(), (&key, random))?;
        request.set_header("X-OCS-Header", &header);
        let url = request.url().to_string();
        let resp = request.send().await?;
        let env = parse_envelope(&url, resp.status, &resp.text)?;
        if let Some(t) = Timestamp::parse(&env.timestamp) {
            // Keep the skew fresh from every real answer (the 500 "panic" envelope carries the
            // agent's start time and no trace id: never use that one).
            if !env.trace_id.is_empty() {
                let mut st = self.st();
                let fresh = t.unix_millis() as f64 - now_ms();
                // Only move forward: a response timestamp is taken after the request arrived.
                if fresh > st.skew_ms {
                    st.skew_ms = fresh;
                }
            }
        }
        match &env.error {
            Some(e) if !env.successful => Err(ApiError::Agent {
                status: env.status,
                err_code: e.err_code.clone(),
                message: e.message.clone(),
                trace_id: env.trace_id.clone(),
            }),
            _ => Ok((env, keys)),
        }
    }

    /// One sealed request, no recovery.
    async fn request_once<T: DeserializeOwned>(
        &self,
        method: HttpMethod,
        target: &ApiTarget,
        body: Option<Value>,
    ) -> Result<Option<T>, ApiError> {
        let bytes = body.map(|b| serde_json::to_vec(&b).expect("JSON value serializes"));
        let (env, _) = self
            .exchange(method, target, SealAuth::Current, bytes.as_deref(), false)
            .await?;
        match env.data {
            None | Some(Value::Null) => Ok(None),
            Some(v) => serde_json::from_value(v).map(Some).map_err(|e| ApiError::BadResponse {
                url: self.browser_url(&target.to_string()),
                status: env.status,
                detail: e.to_string(),
            }),
        }
    }

    /// A sealed request with the one-shot recoveries.
    pub async fn request<T: DeserializeOwned>(
        &self,
        method: HttpMethod,
        target: &ApiTarget,
        body: Option<Value>,
    ) -> Result<Option<T>, ApiError> {
        let mut refreshed_key = false;
        let mut resynced = false;
        let mut signed_in_again = false;
        loop {
            match self.request_once::<T>(method, target, body.clone()).await {
                Err(e) if e.is(&codes::SECURITY_AUTHENTICATION_HEADER_DECRYPT_FAILED) && !refreshed_key => {
                    refreshed_key = true;
                    self.refresh_key().await?;
                }
                Err(e) if e.is(&codes::SECURITY_AUTHENTICATION_EXPIRED) && !resynced => {
                    resynced = true;
                    self.sync_clock().await?;
                }
                Err(e)
                    if (e.is(&codes::SECURITY_AUTHENTICATION_SESSION_INVALID)
                        || e.is(&codes::SECURITY_AUTHENTICATION_SESSION_EXPIRED))
                        && !signed_in_again =>
                {
                    signed_in_again = true;
                    self.wait_for_signin().await?;
                }
                other => return other,
            }
        }
    }

    /// A request that starts a task (a configuration, a backup): the DAG the agent created, or
    /// why there is none (an answer without one is not the agent's).
    pub async fn start_task(&self, method: HttpMethod, target: &ApiTarget, body: Value) -> Result<DagDetail, ApiError> {
        self.request::<DagDetail>(method, target, Some(body))
            .await?
            .ok_or_else(|| ApiError::BadResponse {
                url: target.to_string(),
                status: 200,
                detail: "no task in the answer".into(),
            })
    }

    pub async fn get<T: DeserializeOwned>(&self, target: impl Into<ApiTarget>) -> Result<Option<T>, ApiError> {
        self.request(HttpMethod::Get, &target.into(), None).await
    }

    /// Asks the UI for a new sign-in and waits for it.
    async fn wait_for_signin(&self) -> Result<(), ApiError> {
        let (tx, rx) = oneshot::channel();
        {
            let mut st = self.st();
            st.session = None;
            st.waiting_for_signin.push(tx);
        }
        self.signed_in.set(false);
        self.reauth.set(Some(ReauthRequest));
        match rx.await {
            Ok(true) => Ok(()),
            _ => Err(ApiError::SignInCancelled),
        }
    }
}

enum SealAuth<'a> {
    /// The current session, or the kept password.
    Current,
    Password(&'a Secret),
    SsoToken(&'a Secret),
}

fn parse_envelope(url: &str, status: u16, text: &str) -> Result<Envelope<Value>, ApiError> {
    if text.trim().is_empty() && (200..300).contains(&status) {
        // 204 and friends: success without a body.
        return Ok(Envelope {
            successful: true,
            timestamp: String::new(),
            duration: 0,
            status,
            trace_id: String::new(),
            data: None,
            error: None,
        });
    }
    serde_json::from_str::<Envelope<Value>>(text).map_err(|e| {
        // A proxy's or static host's page instead of the agent: say so rather than show markup.
        let snippet: String = text.trim().chars().take(120).collect();
        let detail = if text.trim_start().starts_with('<') {
            "an HTML page, not the agent's JSON".to_string()
        } else if serde_json::from_str::<Value>(text).is_err() {
            // Plain text (a proxy's "503 Service Unavailable"): quoted as it came.
            format!("“{snippet}”")
        } else {
            format!("{e}: {snippet}")
        };
        ApiError::BadResponse {
            url: url.to_string(),
            status,
            detail,
        }
    })
}

fn decrypt_session(env: &Envelope<Value>, keys: Option<crypto::AesKeys>) -> Result<Secret, ApiError> {
    let data = env
        .data
        .as_ref()
        .and_then(Value::as_str)
        .ok_or_else(|| ApiError::Crypto("no session in the answer".into()))?;
    let keys = keys.ok_or_else(|| ApiError::Crypto("no AES keys for the session".into()))?;
    crypto::open_response_data(&keys, data)
        .map(Secret::new)
        .map_err(|e| ApiError::Crypto(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_proxy_error_page_is_reported_as_such_not_as_a_parser_error() {
        let e = parse_envelope("/api/v1/obcluster/backup/config", 503, "503 Service Unavailable\n").unwrap_err();
        let text = e.summary_in(Lang::En, super::super::ErrorContext::Submit);
        assert!(
            text.contains("HTTP 503")
                && text.contains("“503 Service Unavailable”")
                && text.contains("check the task list"),
            "{text}"
        );
        assert!(!text.contains("invalid type"), "{text}");
        // A read (a poll, a page's data) changed nothing: no word of a change.
        let read = e.summary(Lang::En);
        assert!(read.contains("HTTP 503") && !read.contains("change"), "{read}");
        let html = parse_envelope("/api/v1/info", 404, "<html>nginx</html>")
            .unwrap_err()
            .summary(Lang::En);
        assert!(
            html.contains("an HTML page") && html.contains("Check the API base address"),
            "{html}"
        );
        let env = parse_envelope(
            "/x",
            400,
            r#"{"successful":false,"timestamp":"t","status":400,"error":{"errCode":"A.B","message":"m"}}"#,
        )
        .unwrap();
        assert_eq!(env.error.unwrap().err_code, "A.B");
    }
}
