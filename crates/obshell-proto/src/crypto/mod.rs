//! The client side of the agent's "API hybrid encryption" (`docs/protocol.md` §2): what the
//! console does for every request.
//!
//! - [`seal`](mod@seal): build the `X-OCS-Header` JSON, RSA-encrypt it (PKCS#1 v1.5, `k−11`-byte chunks),
//!   AES-128-CBC-encrypt the body; decrypt the login/SSO `data`.
//! - [`keys`]: the agent's RSA public key and the per-request AES key/IV pair.
//! - [`random`]: all of a request's randomness (keys, IV, RSA padding) in one RNG call.
//! - `rsa_public`: the RSA public-key operation on crypto-bigint's Montgomery arithmetic.
//! - [`secret`]: a redacting wrapper for passwords, session ids and tokens.
//! - [`error`]: what can go wrong, worded for a person.
//!
//! What the agent does with such a request (decryption, verification) is in `crate::agent`,
//! behind the `agent` feature: the console never compiles it. The crate never touches an OS or
//! browser RNG itself: every function that needs randomness takes `R: rand_core::CryptoRngCore`,
//! so the browser injects `OsRng` (getrandom/js) and tests inject a seeded `ChaCha20Rng` to
//! reproduce the test vectors of `tests/support/fixtures.rs` (taken from the agent auth spec) bit
//! for bit. Sealing a request calls it once (`crypto.getRandomValues` in the browser).
//!
//! The console's build uses no `rsa` crate: the public key is parsed with `pkcs1`/`spki` and
//! encryption runs on `crypto-bigint`. The `agent` feature brings `rsa` in for decryption, key
//! generation and private keys.

pub mod error;
pub mod keys;
pub mod random;
mod rsa_public;
pub mod seal;
pub mod secret;

pub use error::{CryptoError, MIN_KEY_BITS};
pub use keys::{AesKeys, PublicKey};
pub use random::SealRandom;
pub use seal::{
    open_response_data, seal, seal_header, seal_header_json, seal_header_with, seal_with_keys, SealRequest, Sealed,
};
pub use secret::Secret;
