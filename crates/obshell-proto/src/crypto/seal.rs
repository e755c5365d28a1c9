//! The console's side: seal a request (header + body) and open the login/SSO `data`.
//!
//! # Randomness (part of the contract, so seeded tests are reproducible)
//! Every sealing function makes **one** RNG call per request (in the browser, one
//! `crypto.getRandomValues`) through a [`SealRandom`] pool: [`seal`] draws the AES key (16 bytes)
//! and IV (16 bytes) only if the request carries keys (a non-empty body, or `include_keys`),
//! followed by the pool for the PKCS#1 v1.5 padding of every RSA block, in one `fill_bytes`
//! call. Each block's padding string is the pool's next nonzero bytes, block after block. The
//! body is AES-encrypted without any randomness. [`seal_with_keys`], [`seal_header`] and
//! [`seal_header_json`] draw only the padding pool, which is how the header ciphertexts of
//! `tests/support/fixtures.rs` are reproduced.
//!
//! A client that must encrypt the body before it knows the final `Uri` (the console: its HTTP
//! library builds the URL) draws a [`SealRandom`] first, takes the keys from it, and seals the
//! header later with [`seal_header_with`]: still one RNG call.
//!
//! # RSA
//! RSAES-PKCS1-v1_5 encryption as RFC 8017 §7.2.1: `EM = 0x00 ‖ 0x02 ‖ PS ‖ 0x00 ‖ M` with `PS`
//! at least 8 nonzero random bytes, `m = OS2IP(EM) < n` (its first byte is zero),
//! `c = m^e mod n` (`crypto::rsa_public`, crypto-bigint Montgomery arithmetic), output as exactly
//! `k` bytes.

use super::error::CryptoError;
use super::keys::{AesKeys, PublicKey};
use super::random::{block_count, SealRandom};
use super::secret::Secret;
use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use rand_core::CryptoRngCore;
use serde::Serialize;
use std::fmt;
use zeroize::Zeroizing;

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

/// Length of the `"Keys":"…",` member in the header JSON: the 44-character Base64 of the 32 key
/// bytes plus the key, quotes, colon and comma.
pub const KEYS_MEMBER_LEN: usize = 54;

/// RSA-encrypts a header plaintext as the agent's own `RSAEncrypt` does: PKCS#1 v1.5 on
/// consecutive chunks of at most `k − 11` bytes, `k`-byte blocks concatenated, standard Base64.
/// One RNG call, for the padding of all blocks. (Like Go, an empty plaintext still yields one
/// block.)
pub fn seal_header_json<R: CryptoRngCore + ?Sized>(rng: &mut R, pk: &PublicKey, plaintext: &[u8]) -> String {
    let random = SealRandom::draw(rng, pk, false, plaintext.len());
    encrypt_header(rng, random, pk, plaintext)
}

/// PKCS#1 v1.5 (RFC 8017 §7.2.1) on each chunk, padding from `random` (topped up from `rng`
/// only if it runs out), Base64 of the concatenated blocks.
fn encrypt_header<R: CryptoRngCore + ?Sized>(
    rng: &mut R,
    mut random: SealRandom,
    pk: &PublicKey,
    plaintext: &[u8],
) -> String {
    let k = pk.size();
    let mut ct = vec![0u8; block_count(k, plaintext.len()) * k];
    let mut em = Zeroizing::new(vec![0u8; k]);
    // An empty plaintext is one empty chunk.
    let chunks = plaintext
        .chunks(pk.chunk_len())
        .chain(plaintext.is_empty().then_some(plaintext));
    for (chunk, block) in chunks.zip(ct.chunks_exact_mut(k)) {
        encode_block(rng, &mut random, chunk, &mut em);
        pk.raw_encrypt_block(&em, block);
    }
    STANDARD.encode(ct)
}

/// `EM = 0x00 ‖ 0x02 ‖ PS ‖ 0x00 ‖ M` (RFC 8017 §7.2.1 step 2), `k` bytes, `PS` nonzero and at
/// least 8 bytes long. Since `EM` starts with a zero byte, `m < 256^(k−1) ≤ n`.
fn encode_block<R: CryptoRngCore + ?Sized>(rng: &mut R, random: &mut SealRandom, msg: &[u8], em: &mut [u8]) {
    let k = em.len();
    assert!(msg.len() <= k - 11, "PKCS#1 v1.5 chunk within k − 11 bytes");
    let ps_end = k - 1 - msg.len();
    em[0] = 0x00;
    em[1] = 0x02;
    random.fill_nonzero(rng, &mut em[2..ps_end]);
    em[ps_end] = 0x00;
    em[ps_end + 1..].copy_from_slice(msg);
}

/// Seals a request with fresh keys from `rng` (see the module docs for the RNG order): one RNG
/// call.
pub fn seal<R: CryptoRngCore + ?Sized>(rng: &mut R, pk: &PublicKey, req: &SealRequest<'_>) -> Sealed {
    let with_keys = req.needs_keys();
    let header_len = header_json(req, None).len() + if with_keys { KEYS_MEMBER_LEN } else { 0 };
    let random = SealRandom::draw(rng, pk, with_keys, header_len);
    let keys = random.aes_keys();
    seal_inner(rng, random, pk, req, keys)
}

/// Seals a request with caller-chosen keys; the RNG is used only for RSA padding (one call).
/// `keys` is used only if the request needs keys ([`SealRequest::needs_keys`]). For tests and
/// vectors; real requests should use [`seal`], which draws fresh keys every time.
pub fn seal_with_keys<R: CryptoRngCore + ?Sized>(
    rng: &mut R,
    pk: &PublicKey,
    req: &SealRequest<'_>,
    keys: &AesKeys,
) -> Sealed {
    let keys = req.needs_keys().then(|| keys.clone());
    let header_len = header_json(req, keys.as_ref()).len();
    let random = SealRandom::draw(rng, pk, false, header_len);
    seal_inner(rng, random, pk, req, keys)
}

/// The `X-OCS-Header` alone, with `keys` if the request carries keys. For a client that
/// encrypts the body itself ([`AesKeys::encrypt`]) and knows the final `Uri` only afterwards
/// (the URL its HTTP library builds): the result is what [`seal_with_keys`] would produce with
/// the same keys and RNG state. One RNG call for the padding; with keys from
/// [`AesKeys::random`] that makes two per request: [`seal_header_with`] makes it one.
pub fn seal_header<R: CryptoRngCore + ?Sized>(
    rng: &mut R,
    pk: &PublicKey,
    req: &SealRequest<'_>,
    keys: Option<&AesKeys>,
) -> String {
    seal_header_json(rng, pk, header_json(req, keys).as_bytes())
}

/// [`seal_header`] with padding from a pool drawn earlier, together with the keys:
///
/// ```
/// # use obshell_proto::crypto::{seal_header_with, PublicKey, SealRandom, SealRequest, Secret};
/// # use rand_chacha::{rand_core::SeedableRng, ChaCha20Rng};
/// # let mut rng = ChaCha20Rng::seed_from_u64(1); // the console passes `&mut OsRng`
/// # let pk = PublicKey::from_base64_pkcs1("MEgCQQC+LatAiT+yURhX6QIrCPrYmPsQwRGi+WwBJnAi3WnzVvotktDgSGmzMkzWoynUWtmaHopvgBkbrmz2C9hxN2bxAgMBAAE=").unwrap();
/// # let password = Secret::new("");
/// # let body: Option<&[u8]> = Some(b"{}");
/// // Before the URL is known: one RNG call for the keys and all the padding.
/// let random = SealRandom::draw(&mut rng, &pk, body.is_some(), SealRandom::HEADER_LEN_HINT);
/// let keys = random.aes_keys();
/// let wire_body = keys.as_ref().zip(body).map(|(k, b)| k.encrypt(b));
/// // … the HTTP library builds the request and its URL …
/// let uri = "/api/v1/tenant/t1/backup/config";
/// let req = SealRequest {
///     include_keys: keys.is_some(),
///     body,
///     ..SealRequest::new(&password, 1_767_225_600, uri).with_session_id("s")
/// };
/// let header = seal_header_with(&mut rng, random, &pk, &req, keys.as_ref());
/// # assert!(!header.is_empty() && wire_body.is_some());
/// ```
///
/// `rng` is called again only if the pool runs out (a header JSON longer than the pool was
/// drawn for, or an improbable run of zero bytes); `keys` as for [`seal_header`].
pub fn seal_header_with<R: CryptoRngCore + ?Sized>(
    rng: &mut R,
    random: SealRandom,
    pk: &PublicKey,
    req: &SealRequest<'_>,
    keys: Option<&AesKeys>,
) -> String {
    encrypt_header(rng, random, pk, header_json(req, keys).as_bytes())
}

fn seal_inner<R: CryptoRngCore + ?Sized>(
    rng: &mut R,
    random: SealRandom,
    pk: &PublicKey,
    req: &SealRequest<'_>,
    keys: Option<AesKeys>,
) -> Sealed {
    let header = seal_header_with(rng, random, pk, req, keys.as_ref());
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
