//! The agent's side of the hybrid encryption, transcribed from its Go code (`docs/protocol.md`
//! §2.3-§2.5) so that the simulator accepts and rejects exactly what a real agent does, with the
//! same errCode, HTTP status and message.
//!
//! | step (middleware order) | here | agent source |
//! |---|---|---|
//! | `HeaderDecrypt` | [`open_header`] | `secure.DecryptHeader`, `crypto.(*RSACrypto).DecryptAndReturnBytes`, `lib/json.Unmarshal` |
//! | `BodyDecrypt` | [`decrypt_body_like_agent`] | `secure.BodyDecrypt`, `transferKeys`, `crypto.AesDecryptAndReturnBytes` |
//! | `Verify`: Uri | [`verify_uri`] | `middleware.go` `header.Uri != c.Request.RequestURI` |
//! | `Verify`: password | [`verify_password_auth`], [`verify_agent_password_auth`] | `secure.VerifyAuth`, `secure.VerifyTimeStamp` |
//! | login/SSO `data` | [`encrypt_response_like_agent`] | `secure.EncryptWithAesKeys` |
//!
//! Where the agent panics (and gin's recovery answers 500 `Common.Unexpected`), these functions
//! return [`recovery_error`] instead; [`is_recovery_error`] tells the caller to send the agent's
//! pre-built recovery response (start-time `timestamp`, no `traceId`, protocol §3).
//!
//! This module is for the simulator and tests. It decrypts without RSA blinding, which is fine
//! for a fake agent holding test keys and wrong for anything real.

use super::header::{decode_http_header, HttpHeader};
use super::keys::PrivateKey;
use crate::crypto::AesKeys;
use crate::errors::{codes, AgentError};
use crate::go::{base64, strconv};
use aes::cipher::{block_padding::NoPadding, BlockDecryptMut, KeyIvInit};
use rsa::Pkcs1v15Encrypt;

/// Go's `rsa.ErrDecryption` text: every RSA failure (wrong key, truncated block, bad padding,
/// ciphertext ≥ modulus) looks the same to the client.
pub const RSA_DECRYPTION_ERROR: &str = "crypto/rsa: decryption error";

/// 401 `Security.Authentication.Header.DecryptFailed` (legacy code 1) with the Go error text:
/// `Decrypt http header failed: <go error>`.
pub fn header_decrypt_failed(go_error: &str) -> AgentError {
    codes::SECURITY_AUTHENTICATION_HEADER_DECRYPT_FAILED.occur(&[&go_error])
}

/// What gin's recovery middleware answers when the agent panics: 500 `Common.Unexpected`,
/// `Unexpected error: Internal Server Error`.
pub fn recovery_error() -> AgentError {
    codes::COMMON_UNEXPECTED.occur(&[&"Internal Server Error"])
}

/// Whether `err` models an agent panic (see [`recovery_error`]).
pub fn is_recovery_error(err: &AgentError) -> bool {
    *err == recovery_error()
}

/// `(*RSACrypto).DecryptAndReturnBytes`: standard Base64 decode (CR/LF tolerated), cut into
/// `k`-byte blocks, PKCS#1 v1.5-decrypt each, concatenate. The error is the Go error text.
///
/// A last block shorter than `k` fails like any bad block (`crypto/rsa: decryption error`).
/// Not modelled: an agent built with Go ≥ 1.24 refuses 512-bit keys unless started with
/// `GODEBUG=rsa1024min=0` (such agents regenerate 1024-bit keys at start-up anyway, protocol §2.2).
pub fn decrypt_header_bytes(key: &PrivateKey, header_value: &str) -> Result<Vec<u8>, String> {
    let (raw, err) = base64::std_base64_decode(header_value.as_bytes());
    if let Some(offset) = err {
        return Err(base64::corrupt_input_error(offset));
    }
    let k = key.size();
    let mut plaintext = Vec::with_capacity(raw.len());
    for block in raw.chunks(k) {
        if block.len() != k {
            return Err(RSA_DECRYPTION_ERROR.to_string());
        }
        let part = key
            .as_rsa()
            .decrypt(Pkcs1v15Encrypt, block)
            .map_err(|_| RSA_DECRYPTION_ERROR.to_string())?;
        plaintext.extend_from_slice(&part);
    }
    Ok(plaintext)
}

/// `HeaderDecrypt` for one `X-OCS-Header`/`X-OCS-Agent-Header` value: RSA-decrypt, then decode the
/// JSON as Go does. Every failure is 401 `Security.Authentication.Header.DecryptFailed`, e.g.
/// `Decrypt http header failed: json: cannot unmarshal number into Go struct field HttpHeader.Ts of type string`.
///
/// The agent only calls this for a non-empty header value (an empty one counts as "no header");
/// called with `""` this reports Go's `EOF`, as `DecryptHeader("")` would.
pub fn open_header(key: &PrivateKey, header_value: &str) -> Result<HttpHeader, AgentError> {
    let plaintext = decrypt_header_bytes(key, header_value).map_err(|e| header_decrypt_failed(&e))?;
    let mut header = decode_http_header(&plaintext).map_err(|e| header_decrypt_failed(&e))?;
    if header.keys.as_ref().is_some_and(Vec::is_empty) {
        header.keys = None;
    }
    Ok(header)
}

/// `BodyDecrypt` → `secure.BodyDecrypt` → `AesDecryptAndReturnBytes`, errors wrapped as the
/// middleware does (`WrapRetain(ErrCommonUnauthorized, err)`). Faithful to the Go code:
///
/// 1. An empty body is left alone (`Ok(vec![])`); the agent's `PaddingBody` later turns a
///    `Content-Length: 0` body into `{}`, which is the caller's business.
/// 2. `transferKeys`: fewer than 16 bytes → 500 `Request.Body.Decrypt.AES.KeyAndIv.Invalid`
///    (`Unauthorized: AES key and IV size error`). Key = first 16 bytes, IV = the rest.
/// 3. Base64 errors are ignored: the bytes Go decoded before the error are used (so a
///    JSON-quoted body decodes to nothing at all).
/// 4. IV not 16 bytes → `cipher.NewCBCDecrypter` panics → [`recovery_error`]. (Go creates the
///    decrypter before checking the length, so this wins over step 5.)
/// 5. Length not a multiple of 16 → 500 `Request.Body.Decrypt.AES.ContentLength.Invalid`
///    (`Unauthorized: Decrypted string length is not a multiple of the block size`).
/// 6. CBC-decrypt without checking padding, then `pkcs5UnPadding`: drop as many trailing bytes as
///    the last byte says (any value 0..=255). Zero-length data (index out of range) or a count
///    larger than the data (slice out of range) panics → [`recovery_error`]. A wrong key
///    therefore usually yields garbage that fails JSON binding later, as on the real agent.
pub fn decrypt_body_like_agent(keys: &[u8], body: &[u8]) -> Result<Vec<u8>, AgentError> {
    if body.is_empty() {
        return Ok(Vec::new());
    }
    let unauthorized = |e: AgentError| e.wrap_retain(&codes::COMMON_UNAUTHORIZED, &[]);
    if keys.len() < 16 {
        return Err(unauthorized(
            codes::REQUEST_BODY_DECRYPT_AES_KEY_AND_IV_INVALID.occur(&[]),
        ));
    }
    let (key, iv) = keys.split_at(16);
    let (mut data, _ignored) = base64::std_base64_decode(body);
    if iv.len() != 16 {
        return Err(recovery_error());
    }
    if data.len() % 16 != 0 {
        return Err(unauthorized(
            codes::REQUEST_BODY_DECRYPT_AES_CONTENT_LENGTH_INVALID.occur(&[]),
        ));
    }
    if data.is_empty() {
        // Go decrypts nothing, then reads origData[length-1]: index out of range.
        return Err(recovery_error());
    }
    let cipher = cbc::Decryptor::<aes::Aes128>::new_from_slices(key, iv).map_err(|_| recovery_error())?;
    let len = cipher
        .decrypt_padded_mut::<NoPadding>(&mut data)
        .map_err(|_| recovery_error())?
        .len();
    data.truncate(len);
    let unpadding = usize::from(data[data.len() - 1]);
    if unpadding > data.len() {
        return Err(recovery_error());
    }
    data.truncate(data.len() - unpadding);
    Ok(data)
}

/// `secure.EncryptWithAesKeys` for the login / SSO-token / SSO-exchange `data`: `transferKeys`
/// (fewer than 16 bytes → `Request.Body.Decrypt.AES.KeyAndIv.Invalid`, returned unwrapped as the
/// handlers return it), IV not 16 bytes → `cipher.NewCBCEncrypter` panics → [`recovery_error`],
/// else AES-128-CBC/PKCS#7 in standard Base64.
pub fn encrypt_response_like_agent(keys: &[u8], plaintext: &[u8]) -> Result<String, AgentError> {
    if keys.len() < 16 {
        return Err(codes::REQUEST_BODY_DECRYPT_AES_KEY_AND_IV_INVALID.occur(&[]));
    }
    let keys = AesKeys::from_bytes(keys).map_err(|_| recovery_error())?;
    Ok(keys.encrypt(plaintext))
}

/// The `Verify` middleware's first real check: `header.Uri != c.Request.RequestURI` → 401
/// `Security.Authentication.Header.UriMismatch` (`URI mismatch`), sent unwrapped. Byte equality:
/// same percent-encoding, same query order, no normalisation (protocol §2.5).
pub fn verify_uri(header: &HttpHeader, request_target: &str) -> Result<(), AgentError> {
    if header.uri != request_target {
        return Err(codes::SECURITY_AUTHENTICATION_HEADER_URI_MISMATCH.occur(&[]));
    }
    Ok(())
}

/// `secure.VerifyTimeStamp(ts, curTs)`: `strconv.ParseInt(ts, 10, 64)`, else 401
/// `Security.Authentication.Timestamp.Invalid` (`Invalid timestamp: <ts>, err: <strconv error>`);
/// expired iff `now > ts` (so `Ts == now` passes; there is no upper bound, a millisecond value
/// never expires) → 401 `Security.Authentication.Expired`. Unwrapped: the session and SSO paths
/// send it as is; the password path wraps it (see [`verify_password_auth`]).
pub fn verify_ts(ts: &str, now_unix_s: i64) -> Result<(), AgentError> {
    let expiry =
        strconv::parse_int(ts).map_err(|e| codes::SECURITY_AUTHENTICATION_TIMESTAMP_INVALID.occur(&[&ts, &e]))?;
    if now_unix_s > expiry {
        return Err(codes::SECURITY_AUTHENTICATION_EXPIRED.occur(&[]));
    }
    Ok(())
}

/// `secure.VerifyAuth(Auth, Ts, curTs, OCEANBASE_PASSWORD)` as `VerifyObRouters` reports it
/// (`WrapRetain(ErrCommonUnauthorized, err)`):
/// - `Ts` is checked only when `Auth != ""` (protocol §2.6: an empty password never expires);
/// - `Auth` must equal the stored root password, else `Unauthorized: OceanBase password is incorrect`.
///
/// Not modelled: when the passwords differ and OceanBase is reachable, the real agent tries to log
/// in to OceanBase with the supplied password and adopts it on success (protocol §2.7).
pub fn verify_password_auth(header: &HttpHeader, now_unix_s: i64, stored_password: &str) -> Result<(), AgentError> {
    verify_auth(
        header,
        now_unix_s,
        stored_password,
        &codes::SECURITY_AUTHENTICATION_INCORRECT_OCEANBASE_PASSWORD,
    )
}

/// Same as [`verify_password_auth`] for `X-OCS-Agent-Header` and the agent password
/// (`Unauthorized: Agent password is incorrect`).
pub fn verify_agent_password_auth(
    header: &HttpHeader,
    now_unix_s: i64,
    stored_password: &str,
) -> Result<(), AgentError> {
    verify_auth(
        header,
        now_unix_s,
        stored_password,
        &codes::SECURITY_AUTHENTICATION_INCORRECT_AGENT_PASSWORD,
    )
}

fn verify_auth(
    header: &HttpHeader,
    now_unix_s: i64,
    stored_password: &str,
    incorrect: &'static crate::errors::Code,
) -> Result<(), AgentError> {
    let unauthorized = |e: AgentError| e.wrap_retain(&codes::COMMON_UNAUTHORIZED, &[]);
    let auth = header.auth.expose();
    if !auth.is_empty() {
        verify_ts(&header.ts, now_unix_s).map_err(unauthorized)?;
    }
    if auth != stored_password {
        return Err(unauthorized(incorrect.occur(&[])));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::errors::Lang;

    #[test]
    fn body_decrypt_quirks() {
        let keys: Vec<u8> = (0u8..32).collect();
        let k = AesKeys::from_bytes(&keys).unwrap();
        let body = k.encrypt(b"{\"a\":1}");
        assert_eq!(decrypt_body_like_agent(&keys, body.as_bytes()).unwrap(), b"{\"a\":1}");
        // Trailing newline tolerated (Go's decoder skips CR/LF).
        assert_eq!(
            decrypt_body_like_agent(&keys, format!("{body}\n").as_bytes()).unwrap(),
            b"{\"a\":1}"
        );
        assert_eq!(decrypt_body_like_agent(&keys, b"").unwrap(), b"");

        let e = decrypt_body_like_agent(&keys[..15], body.as_bytes()).unwrap_err();
        assert_eq!(
            (e.status(), e.err_code()),
            (500, "Request.Body.Decrypt.AES.KeyAndIv.Invalid")
        );
        assert_eq!(e.message(Lang::En), "Unauthorized: AES key and IV size error");

        for n in [16usize, 31] {
            assert!(is_recovery_error(
                &decrypt_body_like_agent(&keys[..n], body.as_bytes()).unwrap_err()
            ));
        }
        let long: Vec<u8> = (0u8..48).collect();
        let e = decrypt_body_like_agent(&long, body.as_bytes()).unwrap_err();
        assert!(is_recovery_error(&e));
        assert_eq!((e.status(), e.err_code()), (500, "Common.Unexpected"));
        assert_eq!(e.message(Lang::En), "Unexpected error: Internal Server Error");

        let e = decrypt_body_like_agent(&keys, b"AAAA").unwrap_err();
        assert_eq!(
            (e.status(), e.err_code()),
            (500, "Request.Body.Decrypt.AES.ContentLength.Invalid")
        );
        assert_eq!(
            e.message(Lang::En),
            "Unauthorized: Decrypted string length is not a multiple of the block size"
        );

        // JSON-quoted body: Base64 fails at byte 0, nothing decoded, unpadding panics.
        let quoted = format!("\"{body}\"");
        assert!(is_recovery_error(
            &decrypt_body_like_agent(&keys, quoted.as_bytes()).unwrap_err()
        ));
    }

    #[test]
    fn unpadding_is_go_pkcs5_unpadding() {
        let keys: Vec<u8> = (0u8..32).collect();
        let k = AesKeys::from_bytes(&keys).unwrap();
        // Encrypt raw blocks ourselves (no padding) to control the last byte.
        let enc = |plain: &[u8]| {
            use aes::cipher::BlockEncryptMut;
            let ct = cbc::Encryptor::<aes::Aes128>::new(&k.key.into(), &k.iv.into())
                .encrypt_padded_vec_mut::<NoPadding>(plain);
            ::base64::Engine::encode(&::base64::engine::general_purpose::STANDARD, ct)
        };
        let mut p = [b'x'; 32];
        p[31] = 0;
        assert_eq!(decrypt_body_like_agent(&keys, enc(&p).as_bytes()).unwrap().len(), 32);
        p[31] = 20; // more than one block's worth: Go removes 20 bytes anyway
        assert_eq!(decrypt_body_like_agent(&keys, enc(&p).as_bytes()).unwrap().len(), 12);
        p[31] = 32;
        assert_eq!(decrypt_body_like_agent(&keys, enc(&p).as_bytes()).unwrap().len(), 0);
        p[31] = 33;
        assert!(is_recovery_error(
            &decrypt_body_like_agent(&keys, enc(&p).as_bytes()).unwrap_err()
        ));
    }

    #[test]
    fn response_encryption_like_agent() {
        let keys: Vec<u8> = (0u8..32).collect();
        let sid = b"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
        assert_eq!(
            encrypt_response_like_agent(&keys, sid).unwrap(),
            "655bpBuQLbglKYKqGiP0vpFnZbKco6Lico5DLmcPSW3/Cz2v1O8PruqJQwJDO7hJpj4p7V+72U7mm2u5jOwLGAvva0159kJB9/VlR17tbyw="
        );
        let e = encrypt_response_like_agent(&[], sid).unwrap_err();
        assert_eq!(
            (e.status(), e.message(Lang::En).as_str()),
            (500, "AES key and IV size error")
        );
        assert!(is_recovery_error(
            &encrypt_response_like_agent(&keys[..20], sid).unwrap_err()
        ));
    }
}
