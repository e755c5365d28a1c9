//! The agent's RSA public key (from `/api/v1/secret`) and the per-request AES key and IV.

use super::error::{CryptoError, MIN_KEY_BITS};
use aes::cipher::{block_padding::Pkcs7, BlockDecryptMut, BlockEncryptMut, KeyIvInit};
use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use rand_core::CryptoRngCore;
use rsa::pkcs1::{DecodeRsaPublicKey, EncodeRsaPublicKey};
use rsa::pkcs8::DecodePublicKey;
use rsa::traits::PublicKeyParts;
use rsa::RsaPublicKey;
use std::fmt;

type Aes128CbcEnc = cbc::Encryptor<aes::Aes128>;
type Aes128CbcDec = cbc::Decryptor<aes::Aes128>;

/// The agent's RSA public key, as served by `GET /api/v1/secret` (protocol §2.2).
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

/// The per-request AES-128 key and CBC IV, sent to the agent as `Keys = Base64(key ‖ iv)`
/// inside the encrypted header (protocol §2.3). Fresh for every request.
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
    /// or panic (protocol §2.3), so the client refuses to produce them.
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
    /// the login/SSO `data` (protocol §2.4). An empty plaintext yields one full padding block.
    pub fn encrypt(&self, plaintext: &[u8]) -> String {
        let ct = Aes128CbcEnc::new(&self.key.into(), &self.iv.into()).encrypt_padded_vec_mut::<Pkcs7>(plaintext);
        STANDARD.encode(ct)
    }

    /// Strict inverse of [`AesKeys::encrypt`] for the client (the agent's own decryptor is far more
    /// lenient: see the `agent` feature's `decrypt_body_like_agent`). Distinguishes bad Base64, bad length and
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
    use crate::crypto::Secret;

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
