//! Go standard-library behaviour the agent's answers depend on, ported so that the console
//! normalizes values as the agent does and the simulator fails where the agent fails, with the
//! agent's texts (Go 1.24, the agent's `go.mod`). Nothing here knows about obshell: each module
//! is one Go package's behaviour.
//!
//! - [`strconv`] — `ParseInt`/`ParseUint`/`Atoi` with their error texts, `Quote`;
//! - [`strings`] — `ToUpper`/`ToLower` (simple, rune-by-rune case mapping);
//! - [`url`] — `PathUnescape`/`QueryUnescape`;
//! - with feature `agent`: `base64` (decoding), `json` (scanner, value tree, struct fields) and
//!   `time` (`time.Parse(time.RFC3339, …)`).

pub mod strconv;
pub mod strings;
pub mod url;

#[cfg(feature = "agent")]
pub mod base64;
#[cfg(feature = "agent")]
pub mod json;
#[cfg(feature = "agent")]
pub mod time;
