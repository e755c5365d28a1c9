//! Go's `encoding/json` decoding, as gin's `BindJSON` and the agent's header decoding run it:
//!
//! - [`scan`]: the syntax check (Go's scanner state machine and its error texts);
//! - [`decode`]: reading a valid value (kinds, string unquoting, key folding, saved type errors);
//! - [`value`]: a value tree keeping what Go acts on (key order and duplicates, number literals);
//! - [`structs`]: decoding an object into a Go struct's fields, with the first type error.

pub mod decode;
pub mod scan;
pub mod structs;
pub mod value;

pub use structs::{top_level, FirstError, StructDecoder};
pub use value::{parse, JVal};
