//! Talking to the agent: one [`AgentClient`] per console, provided through Leptos context.
//!
//! It owns everything the wire needs (public key, clock skew, session or password) and recovers
//! transparently, each at most once per request: an undecryptable header re-fetches the key, an
//! expired `Ts` re-syncs the clock, a lost session asks the user to sign in again (the page and
//! its form stay as they are) and then continues the original request. [`http`] is the exchange
//! itself (gloo-net).

mod client;
mod error;
pub mod http;

pub use client::{connect_early, AgentClient, ClientConfig, ReauthRequest};
pub use error::{ApiError, Context as ErrorContext, Summary as ErrorSummary};
pub use http::HttpMethod;
