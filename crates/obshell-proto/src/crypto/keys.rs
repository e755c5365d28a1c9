//! The agent's RSA public key (from `/api/v1/secret`) and the per-request AES key and IV.

use super::error::{CryptoError, MIN_KEY_BITS};
use super::rsa_public::{bit_len, RsaPublicOp};
use aes::cipher::{block_padding::Pkcs7, BlockDecryptMut, BlockEncryptMut, KeyIvInit};
use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use pkcs1::der::{Decode, Encode};
use pkcs1::UintRef;
use rand_core::CryptoRngCore;
use std::fmt;

type Aes128CbcEnc = cbc::Encryptor<aes::Aes128>;
type Aes128CbcDec = cbc::Decryptor<aes::Aes128>;

/// Largest modulus accepted, in bits (as the `rsa` crate's `RsaPublicKey::MAX_SIZE`).
const MAX_KEY_BITS: usize = 4096;
/// Public exponent bounds (as the `rsa` crate's): `e` is odd, `2 ≤ e ≤ 2^33 − 1` and `e < n`.
const MIN_PUB_EXPONENT: u64 = 2;
const MAX_PUB_EXPONENT: u64 = (1 << 33) - 1;

/// `rsaEncryption` (1.2.840.113549.1.1.1): the algorithm of an SPKI-wrapped RSA key.
const RSA_ENCRYPTION_OID: pkcs1::ObjectIdentifier = pkcs1::ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");

/// The agent's RSA public key, as served by `GET /api/v1/secret` (protocol §2.2), ready to
/// encrypt: its Montgomery parameters are computed once, when it is parsed or built
/// (`crypto::rsa_public`).
#[derive(Clone)]
pub struct PublicKey {
    /// Big-endian, without leading zero bytes: `n.len()` is `k`.
    n: Box<[u8]>,
    e: u64,
    op: RsaPublicOp,
}

impl PublicKey {
    /// Parses `data.public_key` of `/api/v1/secret`: standard Base64 (padded) of PKCS#1 DER
    /// `RSAPublicKey`. CR/LF inside the text are skipped as Go's decoder does; surrounding
    /// whitespace is trimmed. SPKI and PEM inputs get their own errors because they are the usual
    /// mix-ups (a key copied from `openssl rsa -pubout`), and a generic DER error would hide that.
    /// The key is checked as the `rsa` crate checks one (odd modulus of at most 4096 bits, odd
    /// `e` with `2 ≤ e ≤ 2^33 − 1` and `e < n`), then against [`MIN_KEY_BITS`].
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
        match pkcs1::RsaPublicKey::from_der(&der) {
            Ok(key) => PublicKey::from_be_components(key.modulus.as_bytes(), key.public_exponent.as_bytes()),
            Err(_) if is_rsa_spki(&der) => Err(CryptoError::PublicKeyIsSpki),
            Err(e) => Err(CryptoError::PublicKeyDer(e.to_string())),
        }
    }

    /// A key from its modulus and public exponent (big-endian unsigned integers, leading zero
    /// bytes allowed), with the checks of [`PublicKey::from_base64_pkcs1`]. A malformed key is a
    /// [`CryptoError::PublicKeyDer`], a small one [`CryptoError::KeyTooSmall`].
    pub fn from_be_components(n: &[u8], e: &[u8]) -> Result<Self, CryptoError> {
        let invalid = |what: &str| Err(CryptoError::PublicKeyDer(what.to_string()));
        let n = strip_leading_zeros(n);
        let e = strip_leading_zeros(e);
        let bits = bit_len(n);
        if bits > MAX_KEY_BITS {
            return invalid("modulus too large");
        }
        if e.len() > 8 {
            return invalid("public exponent too large");
        }
        let e = e.iter().fold(0u64, |acc, b| acc << 8 | u64::from(*b));
        let e_ge_n = bits <= 64 && e >= n.iter().fold(0u64, |acc, b| acc << 8 | u64::from(*b));
        if bits == 0 || e_ge_n || n[n.len() - 1] & 1 == 0 {
            return invalid("invalid modulus");
        }
        if e & 1 == 0 {
            return invalid("invalid exponent");
        }
        if e < MIN_PUB_EXPONENT {
            return invalid("public exponent too small");
        }
        if e > MAX_PUB_EXPONENT {
            return invalid("public exponent too large");
        }
        if bits < MIN_KEY_BITS {
            return Err(CryptoError::KeyTooSmall { bits });
        }
        let op = RsaPublicOp::new(n, e).expect("an odd modulus");
        Ok(PublicKey { n: n.into(), e, op })
    }

    /// Standard Base64 of the PKCS#1 DER, i.e. exactly what the agent serves.
    pub fn to_base64_pkcs1(&self) -> String {
        let e = self.e.to_be_bytes();
        let der = pkcs1::RsaPublicKey {
            modulus: UintRef::new(&self.n).expect("a modulus of at most 4096 bits"),
            public_exponent: UintRef::new(strip_leading_zeros(&e)).expect("an 8-byte exponent"),
        }
        .to_der()
        .expect("an RSAPublicKey always encodes as DER");
        STANDARD.encode(der)
    }

    /// `k`: the modulus length in bytes (128 for 1024-bit, 64 for 512-bit keys). Every RSA
    /// ciphertext block is exactly this long; plaintext chunks are at most `k − 11` bytes.
    pub fn size(&self) -> usize {
        self.n.len()
    }

    /// Modulus length in bits.
    pub fn bits(&self) -> usize {
        bit_len(&self.n)
    }

    /// Largest plaintext chunk for PKCS#1 v1.5: `k − 11` (117 or 53 bytes).
    pub fn chunk_len(&self) -> usize {
        self.size() - 11
    }

    /// The modulus `n`, big-endian, `k` bytes (no leading zero byte).
    pub fn modulus_be(&self) -> &[u8] {
        &self.n
    }

    /// The public exponent `e` (65537 for every agent key).
    pub fn exponent(&self) -> u64 {
        self.e
    }

    /// RSAEP: `out = m^e mod n`, `k` bytes in and out, for `m < n`.
    pub(crate) fn raw_encrypt_block(&self, m: &[u8], out: &mut [u8]) {
        self.op.apply(m, out);
    }

    /// The same key as the `rsa` crate's type (for the agent side and tests).
    #[cfg(feature = "agent")]
    pub fn to_rsa(&self) -> rsa::RsaPublicKey {
        rsa::RsaPublicKey::new(rsa::BigUint::from_bytes_be(&self.n), rsa::BigUint::from(self.e))
            .expect("checked as rsa checks when built")
    }
}

impl PartialEq for PublicKey {
    fn eq(&self, other: &Self) -> bool {
        self.n == other.n && self.e == other.e
    }
}

impl Eq for PublicKey {}

#[cfg(feature = "agent")]
impl TryFrom<rsa::RsaPublicKey> for PublicKey {
    type Error = CryptoError;

    /// Enforces [`MIN_KEY_BITS`] so that `k − 11` is always a usable chunk size and sealing is
    /// infallible.
    fn try_from(key: rsa::RsaPublicKey) -> Result<Self, CryptoError> {
        use rsa::traits::PublicKeyParts;
        PublicKey::from_be_components(&key.n().to_bytes_be(), &key.e().to_bytes_be())
    }
}

impl fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PublicKey").field("bits", &self.bits()).finish()
    }
}

fn strip_leading_zeros(be: &[u8]) -> &[u8] {
    let first = be.iter().position(|b| *b != 0).unwrap_or(be.len());
    &be[first..]
}

/// Whether `der` is an X.509 SubjectPublicKeyInfo holding a PKCS#1 RSA key.
fn is_rsa_spki(der: &[u8]) -> bool {
    spki::SubjectPublicKeyInfoRef::from_der(der).is_ok_and(|info| {
        info.algorithm.oid == RSA_ENCRYPTION_OID
            && info
                .subject_public_key
                .as_bytes()
                .is_some_and(|inner| pkcs1::RsaPublicKey::from_der(inner).is_ok())
    })
}

/// The per-request AES-128 key and CBC IV, sent to the agent as `Keys = Base64(key ‖ iv)`
/// inside the encrypted header (protocol §2.3). Fresh for every request.
#[derive(Clone, PartialEq, Eq)]
pub struct AesKeys {
    pub key: [u8; 16],
    pub iv: [u8; 16],
}

impl AesKeys {
    /// One `fill_bytes` call of 32 bytes: the key is the first 16, the IV the last 16 (the
    /// order is part of the contract so seeded tests are reproducible). For a whole request,
    /// [`crate::crypto::SealRandom`] draws these together with the RSA padding in one call.
    pub fn random<R: CryptoRngCore + ?Sized>(rng: &mut R) -> Self {
        let mut bytes = zeroize::Zeroizing::new([0u8; 32]);
        rng.fill_bytes(bytes.as_mut());
        AesKeys::from_bytes(bytes.as_ref()).expect("32 bytes")
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
