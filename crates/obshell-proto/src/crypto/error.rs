//! Why client-side crypto failed, and the smallest key it accepts.

/// Smallest modulus we accept. Agents use 1024-bit keys today and 512-bit keys on old builds
/// (protocol §2.2); anything smaller cannot even hold one `k−11`-byte chunk sensibly and is surely
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
