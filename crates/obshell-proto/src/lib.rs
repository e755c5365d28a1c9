//! # obshell-proto
//!
//! The obshell agent's wire protocol in one pure crate (no browser or server dependencies), shared
//! by the browser console and the agent simulator: one source of truth for every agent rule.
//!
//! - [`envelope`]: the response envelope and agent bootstrap types (`/info`, `/secret`, `/time`).
//! - [`errors`]: the agent's error catalogue (errCode, HTTP status, en/zh messages).
//! - [`time`]: RFC 3339 timestamps as the agent renders them; Go's zero time means "unknown".
//! - [`dag`]: DAG/node/sub-task DTOs, states, operators, generic ids, and the DAG rules the UI needs.
//! - [`duration`]: the agent's duration grammar and Go-style rendering (`24h0m0s`).
//! - [`storage`]: storage destination URIs (file/oss/cos/s3): build, parse, check, redact.
//! - [`backup`]: backup configuration requests, normalization and `validate(scope, method)`.
//! - [`form`]: the console's backup form and how it becomes a POST or a changed-fields-only PATCH.
//! - [`crypto`]: the hybrid encryption (RSA PKCS#1 v1.5 header + AES-128-CBC body), both sides.
//! - [`request_uri`]: percent-encoding of request targets exactly as signed in `Uri`.

pub mod backup;
pub mod crypto;
pub mod dag;
pub mod duration;
pub mod envelope;
pub mod errors;
pub mod form;
pub mod gojson;
pub mod gostrings;
pub mod gotime;
pub mod request_uri;
pub mod storage;
pub mod time;

pub use errors::{AgentError, Code, Lang};
