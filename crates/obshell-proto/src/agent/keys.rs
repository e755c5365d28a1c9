//! The agent's RSA private key (the console never holds one).

use crate::crypto::error::{CryptoError, MIN_KEY_BITS};
use crate::crypto::{PublicKey, Secret};
use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use rand_core::CryptoRngCore;
use rsa::pkcs1::{DecodeRsaPrivateKey, EncodeRsaPrivateKey};
use rsa::traits::PublicKeyParts;
use rsa::RsaPrivateKey;
use std::fmt;

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
        Secret::new(STANDARD.encode(der.as_bytes()))
    }

    pub fn public_key(&self) -> PublicKey {
        PublicKey::try_from(self.0.to_public_key()).expect("a private key of at least MIN_KEY_BITS")
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
