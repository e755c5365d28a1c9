//! The console's side: seal a request (header + body) and open the login/SSO `data`.
//!
//! # RNG consumption (part of the contract, so seeded tests are reproducible)
//! [`seal`] draws, in this order:
//! 1. only if the request carries keys (a non-empty body, or `include_keys`): the AES key
//!    (16 bytes) then the IV (16 bytes), via [`AesKeys::random`];
//! 2. the PKCS#1 v1.5 padding of each RSA block, block after block (rsa 0.9 fills the padding
//!    with one `fill_bytes` call and redraws single zero bytes one at a time).
//!
//! The body is AES-encrypted without any randomness. [`seal_with_keys`] and
//! [`seal_header_json`] skip step 1, which is how the header ciphertexts of
//! `tests/support/fixtures.rs` (taken from the agent auth spec's test vectors) were produced.

use super::error::CryptoError;
use super::keys::{AesKeys, PublicKey};
use super::secret::Secret;
use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use rand_core::CryptoRngCore;
use rsa::Pkcs1v15Encrypt;
use serde::Serialize;
use std::fmt;

/// What goes into one authenticated request.
#[derive(Clone, Copy)]
pub struct SealRequest<'a> {
    /// `Auth`: root@sys password for `X-OCS-Header`, agent password for `X-OCS-Agent-Header`.
    /// Empty with session auth or for a `SINGLE` agent without agent password; always sent.
    pub password: &'a Secret,
    /// `Ts`: the expiry instant in Unix seconds (server clock), sent as a decimal *string*.
    pub expires_at_unix_s: i64,
    /// `Uri`: the exact request-target the agent will see (see [`crate::request_uri`]).
    pub uri: &'a str,
    /// `session_id`, only when authenticating with a session.
    pub session_id: Option<&'a str>,
    /// `ssotoken`, only for `GET /api/v1/sso/exchange`.
    pub sso_token: Option<&'a str>,
    /// The UTF-8 JSON body. `None` and `Some(b"")` both mean "send no body at all": an encrypted
    /// empty string would decrypt to `""` and fail the agent's JSON binding (protocol §2.4).
    pub body: Option<&'a [u8]>,
    /// Send `Keys` even without a body: login and SSO need them to encrypt their `data`.
    pub include_keys: bool,
}

impl<'a> SealRequest<'a> {
    pub fn new(password: &'a Secret, expires_at_unix_s: i64, uri: &'a str) -> Self {
        SealRequest {
            password,
            expires_at_unix_s,
            uri,
            session_id: None,
            sso_token: None,
            body: None,
            include_keys: false,
        }
    }

    pub fn with_body(mut self, body: &'a [u8]) -> Self {
        self.body = Some(body);
        self
    }

    pub fn with_session_id(mut self, session_id: &'a str) -> Self {
        self.session_id = Some(session_id);
        self
    }

    pub fn with_sso_token(mut self, sso_token: &'a str) -> Self {
        self.sso_token = Some(sso_token);
        self
    }

    /// For `POST /api/v1/login`, `POST /api/v1/sso/token` and `GET /api/v1/sso/exchange`.
    pub fn with_keys(mut self) -> Self {
        self.include_keys = true;
        self
    }

    /// The non-empty body, if any.
    fn body_bytes(&self) -> Option<&'a [u8]> {
        self.body.filter(|b| !b.is_empty())
    }

    /// Whether the header carries `Keys` (and so whether [`seal`] draws them from the RNG).
    pub fn needs_keys(&self) -> bool {
        self.include_keys || self.body_bytes().is_some()
    }
}

impl fmt::Debug for SealRequest<'_> {
    // The body can hold credentials too (e.g. storage access keys), so only its length is shown.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SealRequest")
            .field("password", self.password)
            .field("expires_at_unix_s", &self.expires_at_unix_s)
            .field("uri", &self.uri)
            .field("session_id", &self.session_id.map(|_| "<redacted>"))
            .field("sso_token", &self.sso_token.map(|_| "<redacted>"))
            .field("body_len", &self.body.map(<[u8]>::len))
            .field("include_keys", &self.include_keys)
            .finish()
    }
}

/// A sealed request, ready for `fetch`.
#[derive(Clone)]
pub struct Sealed {
    /// The `X-OCS-Header` (or `X-OCS-Agent-Header`) value: standard Base64, no line breaks,
    /// `4·ceil(n·k/3)` characters for `n` RSA blocks of `k` bytes.
    pub header: String,
    /// The raw HTTP body (Base64 text, not JSON-quoted), or `None`: then send no body at all.
    pub body: Option<String>,
    /// The keys sent in the header; keep them to open a login/SSO `data` ([`open_response_data`]).
    pub keys: Option<AesKeys>,
}

impl fmt::Debug for Sealed {
    // The header is a bearer credential until `Ts`; show sizes only.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sealed")
            .field("header_len", &self.header.len())
            .field("body_len", &self.body.as_ref().map(String::len))
            .field("keys", &self.keys)
            .finish()
    }
}

/// The header JSON. Field order is the serialization order and equals sorted key order
/// (`Auth`, `Keys`, `Ts`, `Uri`, `session_id`, `ssotoken`: uppercase sorts first), which is what
/// `serde_json::json!` produced for the fixture header vector (`tests/support/fixtures.rs`). The
/// agent does not care about order; the tests do. A struct (not a `serde_json::Map`) keeps this
/// independent of serde_json features.
#[derive(Serialize)]
struct HeaderJson<'a> {
    #[serde(rename = "Auth")]
    auth: &'a str,
    #[serde(rename = "Keys", skip_serializing_if = "Option::is_none")]
    keys: Option<String>,
    /// A string: `"Ts":1767225600` is rejected by the agent's JSON decoding (protocol §2.3).
    #[serde(rename = "Ts")]
    ts: String,
    #[serde(rename = "Uri")]
    uri: &'a str,
    #[serde(rename = "session_id", skip_serializing_if = "Option::is_none")]
    session_id: Option<&'a str>,
    #[serde(rename = "ssotoken", skip_serializing_if = "Option::is_none")]
    sso_token: Option<&'a str>,
}

/// The exact header plaintext for `req` with `keys` (if the request carries keys), e.g.
/// `{"Auth":"root_pwd","Keys":"AAEC…Hh8=","Ts":"1767225600","Uri":"/api/v1/tenant?name=t%201"}`.
/// `keys` is ignored when the request needs none.
pub fn header_json(req: &SealRequest<'_>, keys: Option<&AesKeys>) -> String {
    let h = HeaderJson {
        auth: req.password.expose(),
        keys: keys.filter(|_| req.needs_keys()).map(AesKeys::to_base64),
        ts: req.expires_at_unix_s.to_string(),
        uri: req.uri,
        session_id: req.session_id,
        sso_token: req.sso_token,
    };
    serde_json::to_string(&h).expect("a struct of strings always serializes")
}

/// RSA-encrypts a header plaintext as the agent's own `RSAEncrypt` does: PKCS#1 v1.5 on
/// consecutive chunks of at most `k − 11` bytes, `k`-byte blocks concatenated, standard Base64.
/// The RNG is used only for the padding, block by block. (Like Go, an empty plaintext still
/// yields one block.)
pub fn seal_header_json<R: CryptoRngCore + ?Sized>(rng: &mut R, pk: &PublicKey, plaintext: &[u8]) -> String {
    let k = pk.size();
    let mut rng = SizedRng(rng);
    let mut ct = Vec::with_capacity(plaintext.len().div_ceil(pk.chunk_len()).max(1) * k);
    let mut encrypt = |chunk: &[u8], out: &mut Vec<u8>| {
        // Cannot fail: PublicKey guarantees ≥ 512 bits, and chunks are at most k − 11 bytes.
        let block = pk
            .as_rsa()
            .encrypt(&mut rng, Pkcs1v15Encrypt, chunk)
            .expect("PKCS#1 v1.5 chunk within k-11 bytes");
        debug_assert_eq!(block.len(), k);
        out.extend_from_slice(&block);
    };
    if plaintext.is_empty() {
        encrypt(plaintext, &mut ct);
    }
    for chunk in plaintext.chunks(pk.chunk_len()) {
        encrypt(chunk, &mut ct);
    }
    STANDARD.encode(ct)
}

/// Seals a request with fresh keys from `rng` (see the module docs for the RNG order).
pub fn seal<R: CryptoRngCore + ?Sized>(rng: &mut R, pk: &PublicKey, req: &SealRequest<'_>) -> Sealed {
    let keys = req.needs_keys().then(|| AesKeys::random(rng));
    seal_inner(rng, pk, req, keys)
}

/// Seals a request with caller-chosen keys; the RNG is used only for RSA padding. `keys` is used
/// only if the request needs keys ([`SealRequest::needs_keys`]). For tests and vectors; real
/// requests should use [`seal`], which draws fresh keys every time.
pub fn seal_with_keys<R: CryptoRngCore + ?Sized>(
    rng: &mut R,
    pk: &PublicKey,
    req: &SealRequest<'_>,
    keys: &AesKeys,
) -> Sealed {
    let keys = req.needs_keys().then(|| keys.clone());
    seal_inner(rng, pk, req, keys)
}

/// The `X-OCS-Header` alone, with `keys` if the request carries keys. For a client that
/// encrypts the body itself ([`AesKeys::encrypt`]) and knows the final `Uri` only afterwards
/// (the URL its HTTP library builds): the result is what [`seal`] would produce with the same
/// keys and RNG state.
pub fn seal_header<R: CryptoRngCore + ?Sized>(
    rng: &mut R,
    pk: &PublicKey,
    req: &SealRequest<'_>,
    keys: Option<&AesKeys>,
) -> String {
    seal_header_json(rng, pk, header_json(req, keys).as_bytes())
}

fn seal_inner<R: CryptoRngCore + ?Sized>(
    rng: &mut R,
    pk: &PublicKey,
    req: &SealRequest<'_>,
    keys: Option<AesKeys>,
) -> Sealed {
    let header = seal_header(rng, pk, req, keys.as_ref());
    let body = match (&keys, req.body_bytes()) {
        (Some(k), Some(b)) => Some(k.encrypt(b)),
        _ => None,
    };
    Sealed { header, body, keys }
}

/// Decrypts the `data` of a login / SSO-token / SSO-exchange response (a session id or token)
/// with the keys of the request that obtained it (protocol §2.4). Strict: Base64, length and padding
/// are all checked, so a mismatched key is an error rather than garbage.
pub fn open_response_data(keys: &AesKeys, data_b64: &str) -> Result<String, CryptoError> {
    let bytes = keys.decrypt(data_b64)?;
    String::from_utf8(bytes).map_err(|_| CryptoError::NotUtf8)
}

/// Lets callers pass unsized RNGs (`&mut dyn CryptoRngCore`) to rsa's `encrypt`, which wants a
/// sized one. Pure delegation: the byte stream, and so every vector, is unchanged.
struct SizedRng<'a, R: CryptoRngCore + ?Sized>(&'a mut R);

impl<R: CryptoRngCore + ?Sized> rand_core::RngCore for SizedRng<'_, R> {
    fn next_u32(&mut self) -> u32 {
        self.0.next_u32()
    }
    fn next_u64(&mut self) -> u64 {
        self.0.next_u64()
    }
    fn fill_bytes(&mut self, dest: &mut [u8]) {
        self.0.fill_bytes(dest)
    }
    fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), rand_core::Error> {
        self.0.try_fill_bytes(dest)
    }
}

impl<R: CryptoRngCore + ?Sized> rand_core::CryptoRng for SizedRng<'_, R> {}
