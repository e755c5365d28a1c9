//! The agent's "API hybrid encryption" (spec `obshell-auth.md` §3-§5), both sides.
//!
//! - [`client`]: what the console does: build the `X-OCS-Header` JSON, RSA-encrypt it (PKCS#1 v1.5,
//!   `k−11`-byte chunks), AES-128-CBC-encrypt the body, decrypt the login/SSO `data`.
//! - [`agent`]: what the real agent does with such a request, transcribed from its Go code so the
//!   simulator (and our tests) reject exactly what the agent rejects, with the agent's messages.
//! - [`go`]: the few Go standard-library behaviours the agent side depends on (lenient Base64,
//!   `strconv.ParseInt`, `strconv.Quote`, `encoding/json` into `HttpHeader`).
//!
//! Shared building blocks live here: the RSA key wrappers, the AES key/IV pair and a redacting
//! [`Secret`]. The crate never touches an OS or browser RNG itself: every function that needs
//! randomness takes `R: rand_core::CryptoRngCore`, so the browser injects `OsRng` (getrandom/js)
//! and tests inject a seeded `ChaCha20Rng` to reproduce the spec's vectors bit for bit.

pub mod agent;
pub mod client;
pub mod go;

use aes::cipher::{block_padding::Pkcs7, BlockDecryptMut, BlockEncryptMut, KeyIvInit};
use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use rand_core::CryptoRngCore;
use rsa::pkcs1::{DecodeRsaPrivateKey, DecodeRsaPublicKey, EncodeRsaPrivateKey, EncodeRsaPublicKey};
use rsa::pkcs8::DecodePublicKey;
use rsa::traits::PublicKeyParts;
use rsa::{RsaPrivateKey, RsaPublicKey};
use std::fmt;

pub use agent::HttpHeader;
pub use client::{open_response_data, seal, seal_header_json, seal_with_keys, SealRequest, Sealed};

type Aes128CbcEnc = cbc::Encryptor<aes::Aes128>;
type Aes128CbcDec = cbc::Decryptor<aes::Aes128>;

/// Smallest modulus we accept. Agents use 1024-bit keys today and 512-bit keys on old builds
/// (spec §2.2); anything smaller cannot even hold one `k−11`-byte chunk sensibly and is surely
/// not an agent key.
pub const MIN_KEY_BITS: usize = 512;

/// Client-side crypto failures. Messages are meant for a person: each says what was expected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CryptoError {
    #[error("public key is empty")]
    EmptyPublicKey,
    #[error(
        "public key is PEM-armoured; /api/v1/secret serves bare standard Base64 of PKCS#1 RSAPublicKey DER \
         (starting `MIGJAoGBA` for 1024-bit or `MEgCQQ` for 512-bit keys)"
    )]
    PublicKeyIsPem,
    #[error(
        "public key is a SubjectPublicKeyInfo (X.509 SPKI, Base64 starting `MIGfMA0G`), not the PKCS#1 \
         RSAPublicKey DER that /api/v1/secret serves (Base64 starting `MIGJAoGBA` or `MEgCQQ`)"
    )]
    PublicKeyIsSpki,
    #[error("public key is not valid standard Base64: {0}")]
    PublicKeyBase64(String),
    #[error("public key is not a PKCS#1 RSAPublicKey DER: {0}")]
    PublicKeyDer(String),
    #[error("private key is not a valid Base64 PKCS#1 RSAPrivateKey DER: {0}")]
    PrivateKey(String),
    #[error("RSA key of {bits} bits is too small (the agent uses 512- or 1024-bit keys)")]
    KeyTooSmall { bits: usize },
    #[error("RSA key generation failed: {0}")]
    KeyGeneration(String),
    #[error("AES Keys must be exactly 32 bytes (16-byte key followed by 16-byte IV), got {0}")]
    AesKeysLength(usize),
    #[error("AES data is not valid standard Base64: {0}")]
    CiphertextBase64(String),
    #[error("AES ciphertext must be a non-zero multiple of 16 bytes, got {0} bytes")]
    CiphertextLength(usize),
    #[error(
        "AES ciphertext has invalid PKCS#7 padding (wrong key/IV, or data not encrypted with this request's Keys)"
    )]
    Padding,
    #[error("decrypted data is not valid UTF-8")]
    NotUtf8,
}

/// A password or other credential. `Debug` and `Display` never show the value, so a `Secret`
/// can sit in any struct that gets logged; read it deliberately with [`Secret::expose`].
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The plaintext value. The name makes every read of a credential visible in review.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// An empty password is meaningful to the agent (spec §11.1: `Auth == ""` skips the `Ts` check).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Secret(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Secret(value.to_owned())
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Say whether it is empty (useful when debugging auth) but never the content or length.
        if self.0.is_empty() {
            f.write_str("Secret(<empty>)")
        } else {
            f.write_str("Secret(<redacted>)")
        }
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// The agent's RSA public key, as served by `GET /api/v1/secret` (spec §2.2).
#[derive(Clone, PartialEq, Eq)]
pub struct PublicKey(RsaPublicKey);

impl PublicKey {
    /// Parses `data.public_key` of `/api/v1/secret`: standard Base64 (padded) of PKCS#1 DER
    /// `RSAPublicKey`. CR/LF inside the text are skipped as Go's decoder does; surrounding
    /// whitespace is trimmed. SPKI and PEM inputs get their own errors because they are the usual
    /// mix-ups (a key copied from `openssl rsa -pubout`), and a generic DER error would hide that.
    pub fn from_base64_pkcs1(text: &str) -> Result<Self, CryptoError> {
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return Err(CryptoError::EmptyPublicKey);
        }
        if trimmed.starts_with("-----BEGIN") {
            return Err(CryptoError::PublicKeyIsPem);
        }
        let compact: String = trimmed.chars().filter(|c| *c != '\r' && *c != '\n').collect();
        let der = STANDARD
            .decode(compact.as_bytes())
            .map_err(|e| CryptoError::PublicKeyBase64(e.to_string()))?;
        let key = match RsaPublicKey::from_pkcs1_der(&der) {
            Ok(key) => key,
            Err(e) => {
                if RsaPublicKey::from_public_key_der(&der).is_ok() {
                    return Err(CryptoError::PublicKeyIsSpki);
                }
                return Err(CryptoError::PublicKeyDer(e.to_string()));
            }
        };
        PublicKey::try_from(key)
    }

    /// Standard Base64 of the PKCS#1 DER, i.e. exactly what the agent serves.
    pub fn to_base64_pkcs1(&self) -> String {
        let der = self
            .0
            .to_pkcs1_der()
            .expect("an RsaPublicKey always encodes as PKCS#1 DER");
        STANDARD.encode(der.as_bytes())
    }

    /// `k`: the modulus length in bytes (128 for 1024-bit, 64 for 512-bit keys). Every RSA
    /// ciphertext block is exactly this long; plaintext chunks are at most `k − 11` bytes.
    pub fn size(&self) -> usize {
        self.0.size()
    }

    /// Modulus length in bits.
    pub fn bits(&self) -> usize {
        self.0.n().bits()
    }

    /// Largest plaintext chunk for PKCS#1 v1.5: `k − 11` (117 or 53 bytes).
    pub fn chunk_len(&self) -> usize {
        self.size() - 11
    }

    pub fn as_rsa(&self) -> &RsaPublicKey {
        &self.0
    }
}

impl TryFrom<RsaPublicKey> for PublicKey {
    type Error = CryptoError;

    /// Enforces [`MIN_KEY_BITS`] so that `k − 11` is always a usable chunk size and sealing is
    /// infallible.
    fn try_from(key: RsaPublicKey) -> Result<Self, CryptoError> {
        let bits = key.n().bits();
        if bits < MIN_KEY_BITS {
            return Err(CryptoError::KeyTooSmall { bits });
        }
        Ok(PublicKey(key))
    }
}

impl fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PublicKey").field("bits", &self.bits()).finish()
    }
}

/// An agent's RSA private key (for the simulator and tests; the console never holds one).
#[derive(Clone)]
pub struct PrivateKey(RsaPrivateKey);

impl PrivateKey {
    /// A fresh key pair, as `rsa.GenerateKey(rand.Reader, KEY_SIZE)` does in the agent.
    /// `bits` is 1024 for current agents, 512 to simulate old ones.
    pub fn generate<R: CryptoRngCore + ?Sized>(rng: &mut R, bits: usize) -> Result<Self, CryptoError> {
        if bits < MIN_KEY_BITS {
            return Err(CryptoError::KeyTooSmall { bits });
        }
        RsaPrivateKey::new(rng, bits)
            .map(PrivateKey)
            .map_err(|e| CryptoError::KeyGeneration(e.to_string()))
    }

    /// Parses standard Base64 of PKCS#1 DER `RSAPrivateKey`, the format the agent keeps in sqlite.
    pub fn from_base64_pkcs1_der(text: &str) -> Result<Self, CryptoError> {
        let compact: String = text.trim().chars().filter(|c| *c != '\r' && *c != '\n').collect();
        let der = STANDARD
            .decode(compact.as_bytes())
            .map_err(|e| CryptoError::PrivateKey(e.to_string()))?;
        let key = RsaPrivateKey::from_pkcs1_der(&der).map_err(|e| CryptoError::PrivateKey(e.to_string()))?;
        let bits = key.n().bits();
        if bits < MIN_KEY_BITS {
            return Err(CryptoError::KeyTooSmall { bits });
        }
        Ok(PrivateKey(key))
    }

    /// Standard Base64 of the PKCS#1 DER, wrapped in [`Secret`] so it cannot be logged by accident.
    pub fn to_base64_pkcs1_der(&self) -> Secret {
        let der = self
            .0
            .to_pkcs1_der()
            .expect("an RsaPrivateKey always encodes as PKCS#1 DER");
        Secret(STANDARD.encode(der.as_bytes()))
    }

    pub fn public_key(&self) -> PublicKey {
        PublicKey(self.0.to_public_key())
    }

    /// `k` in bytes: the agent cuts the decoded header into blocks of this size.
    pub fn size(&self) -> usize {
        self.0.size()
    }

    pub fn bits(&self) -> usize {
        self.0.n().bits()
    }

    pub fn as_rsa(&self) -> &RsaPrivateKey {
        &self.0
    }
}

impl fmt::Debug for PrivateKey {
    // rsa's own Debug prints the private exponent and primes; never do that.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PrivateKey")
            .field("bits", &self.bits())
            .finish_non_exhaustive()
    }
}

/// The per-request AES-128 key and CBC IV, sent to the agent as `Keys = Base64(key ‖ iv)`
/// inside the encrypted header (spec §3.4). Fresh for every request.
#[derive(Clone, PartialEq, Eq)]
pub struct AesKeys {
    pub key: [u8; 16],
    pub iv: [u8; 16],
}

impl AesKeys {
    /// Draws the key first (16 bytes), then the IV (16 bytes): two `fill_bytes` calls, 32 bytes
    /// in total. The order is part of the contract so seeded tests are reproducible.
    pub fn random<R: CryptoRngCore + ?Sized>(rng: &mut R) -> Self {
        let mut key = [0u8; 16];
        let mut iv = [0u8; 16];
        rng.fill_bytes(&mut key);
        rng.fill_bytes(&mut iv);
        AesKeys { key, iv }
    }

    /// Exactly 32 bytes (`key ‖ iv`). The agent itself would accept other lengths and then fail
    /// or panic (spec §3.4), so the client refuses to produce them.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, CryptoError> {
        if bytes.len() != 32 {
            return Err(CryptoError::AesKeysLength(bytes.len()));
        }
        let mut key = [0u8; 16];
        let mut iv = [0u8; 16];
        key.copy_from_slice(&bytes[..16]);
        iv.copy_from_slice(&bytes[16..]);
        Ok(AesKeys { key, iv })
    }

    /// Parses the 44-character `Keys` text (strict standard Base64 of 32 bytes), e.g. to restore
    /// keys the console stored while a login request was in flight.
    pub fn from_base64(text: &str) -> Result<Self, CryptoError> {
        let bytes = STANDARD
            .decode(text.as_bytes())
            .map_err(|e| CryptoError::CiphertextBase64(e.to_string()))?;
        AesKeys::from_bytes(&bytes)
    }

    /// `key ‖ iv`.
    pub fn to_bytes(&self) -> [u8; 32] {
        let mut out = [0u8; 32];
        out[..16].copy_from_slice(&self.key);
        out[16..].copy_from_slice(&self.iv);
        out
    }

    /// The header's `Keys` value: standard padded Base64 of `key ‖ iv`, always 44 characters.
    pub fn to_base64(&self) -> String {
        STANDARD.encode(self.to_bytes())
    }

    /// AES-128-CBC with PKCS#7 padding, standard Base64: the wire format of request bodies and of
    /// the login/SSO `data` (spec §4, §5). An empty plaintext yields one full padding block.
    pub fn encrypt(&self, plaintext: &[u8]) -> String {
        let ct = Aes128CbcEnc::new(&self.key.into(), &self.iv.into()).encrypt_padded_vec_mut::<Pkcs7>(plaintext);
        STANDARD.encode(ct)
    }

    /// Strict inverse of [`AesKeys::encrypt`] for the client (the agent's own decryptor is far more
    /// lenient: see [`agent::decrypt_body_like_agent`]). Distinguishes bad Base64, bad length and
    /// bad padding so a wrong key shows up as a padding error rather than as garbage text.
    pub fn decrypt(&self, data_b64: &str) -> Result<Vec<u8>, CryptoError> {
        let ct = STANDARD
            .decode(data_b64.as_bytes())
            .map_err(|e| CryptoError::CiphertextBase64(e.to_string()))?;
        if ct.is_empty() || ct.len() % 16 != 0 {
            return Err(CryptoError::CiphertextLength(ct.len()));
        }
        Aes128CbcDec::new(&self.key.into(), &self.iv.into())
            .decrypt_padded_vec_mut::<Pkcs7>(&ct)
            .map_err(|_| CryptoError::Padding)
    }
}

impl fmt::Debug for AesKeys {
    // Key material must never reach a log: whoever has it can read the body and the session id.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AesKeys(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_and_keys_never_print_their_content() {
        let s = Secret::new("hunter2");
        assert_eq!(format!("{s:?}"), "Secret(<redacted>)");
        assert_eq!(format!("{s}"), "<redacted>");
        assert_eq!(format!("{:?}", Secret::default()), "Secret(<empty>)");
        let k = AesKeys {
            key: [0x41; 16],
            iv: [0x42; 16],
        };
        let dbg = format!("{k:?}");
        assert!(
            !dbg.contains("65") && !dbg.contains("41") && !dbg.contains("AAAA"),
            "{dbg}"
        );
    }

    #[test]
    fn aes_keys_length_is_exact() {
        assert_eq!(AesKeys::from_bytes(&[0; 31]), Err(CryptoError::AesKeysLength(31)));
        assert_eq!(AesKeys::from_bytes(&[0; 48]), Err(CryptoError::AesKeysLength(48)));
        let k = AesKeys::from_bytes(&(0u8..32).collect::<Vec<_>>()).unwrap();
        assert_eq!(k.to_base64(), "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=");
        assert_eq!(AesKeys::from_base64(&k.to_base64()).unwrap(), k);
    }

    #[test]
    fn aes_decrypt_errors_are_specific() {
        let k = AesKeys {
            key: [1; 16],
            iv: [2; 16],
        };
        assert!(matches!(k.decrypt("@@@"), Err(CryptoError::CiphertextBase64(_))));
        assert_eq!(k.decrypt("AAAA"), Err(CryptoError::CiphertextLength(3)));
        assert_eq!(k.decrypt(""), Err(CryptoError::CiphertextLength(0)));
        let other = AesKeys {
            key: [3; 16],
            iv: [2; 16],
        };
        // Overwhelmingly likely to have bad padding under the wrong key; this fixed pair does.
        assert_eq!(other.decrypt(&k.encrypt(b"{\"a\":1}")), Err(CryptoError::Padding));
        assert_eq!(k.decrypt(&k.encrypt(b"{\"a\":1}")).unwrap(), b"{\"a\":1}");
    }
}
