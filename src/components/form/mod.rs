//! Form widgets: the one field wrapper ([`frame`]) and the inputs built on it.

pub mod duration;
pub mod frame;
pub mod secret;
pub mod select;
pub mod storage;
pub mod text;

pub use frame::{Binding, FieldAria, FieldFrame, FieldMessage};
