//! The agent's side of the protocol (feature `agent`), for the simulator and the tests: what a
//! real agent does with a console's request, transcribed from its Go code, so that requests are
//! accepted and rejected exactly as the agent would, with its errCodes and messages. The console
//! never compiles this module (its wasm carries no private key or decryption code).
//!
//! - [`keys`]: the agent's RSA private key;
//! - [`header`]: `secure.HttpHeader` and Go's JSON decoding of the header plaintext;
//! - [`secure`]: header and body decryption, `Uri`/`Ts`/password verification, response data;
//! - [`bind`]: request bodies decoded into the backup parameter structs (gin `BindJSON`).

pub mod bind;
pub mod header;
pub mod keys;
pub mod secure;

pub use header::{ForwardAgent, HttpHeader};
pub use keys::PrivateKey;
