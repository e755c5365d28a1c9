//! # obshell-proto
//!
//! The obshell agent's wire protocol in one pure crate (no browser or server dependencies), shared
//! by the browser console and the agent simulator: one source of truth for every agent rule
//! (described in the repository's `docs/protocol.md`).
//!
//! - [`envelope`]: the response envelope and agent bootstrap types (`/info`, `/secret`, `/time`).
//! - [`errors`]: the agent's error catalogue (errCode, HTTP status, en/zh messages).
//! - [`time`]: RFC 3339 timestamps as the agent renders them; Go's zero time means "unknown".
//! - [`dag`]: DAG/node/sub-task DTOs, states, operators, generic ids, and the DAG rules the UI needs.
//! - [`duration`]: the agent's duration grammar and Go-style rendering (`24h0m0s`).
//! - [`storage`]: storage destination URIs (file/oss/cos/s3): build, parse, check, redact.
//! - [`backup`]: backup configuration requests, normalization, `validate(scope, method)` and what
//!   the resulting task does besides setting values.
//! - [`backup_ops`]: backup operations and status (start, cancel, archive-log control, overview,
//!   info, history): wire types and the agent's rules.
//! - [`crypto`]: the client side of the hybrid encryption (RSA PKCS#1 v1.5 header + AES-128-CBC
//!   body).
//! - [`request_uri`]: percent-encoding of request targets exactly as signed in `Uri`.
//! - [`untrusted`]: how a string the console did not write is shown (hidden characters as
//!   visible escapes, long values shortened).
//! - [`go`]: Go standard-library behaviour (strconv, strings, url; json, time, base64 with `agent`).
//! - `agent` (feature `agent`): what the agent does with a request (decryption, verification,
//!   body binding), for the simulator and the tests; never compiled into the console.
//!
//! Dependencies between modules go one way: `go` uses nothing else here but `time`'s calendar
//! arithmetic; the protocol modules use `go` and each other without cycles; `agent` sits on top.

#[cfg(feature = "agent")]
pub mod agent;
pub mod backup;
pub mod backup_ops;
pub mod crypto;
pub mod dag;
pub mod duration;
pub mod envelope;
pub mod errors;
pub mod go;
pub mod request_uri;
pub mod storage;
pub mod time;
pub mod untrusted;

pub use errors::{AgentError, Code, Lang};
