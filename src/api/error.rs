use obshell_proto::{Code, Lang};
use std::fmt;

/// Where a failed request came from, for how its failure is worded.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Context {
    /// Reading (sign-in, a page's data, a poll): nothing was changed.
    #[default]
    Read,
    /// A change was sent (a configuration, a backup, an operation).
    Submit,
}

/// Why a request failed, with what support needs (errCode, traceId) kept visible.
#[derive(Clone, Debug, PartialEq)]
pub enum ApiError {
    /// The request never got an HTTP answer (agent down, proxy gone, network cut).
    Network { url: String, detail: String },
    /// The agent answered with an error envelope.
    Agent {
        status: u16,
        err_code: String,
        message: String,
        trace_id: String,
    },
    /// An answer that is not the agent's JSON envelope (wrong API base, a proxy's HTML page, …).
    BadResponse { url: String, status: u16, detail: String },
    /// Local encryption failed (e.g. the agent's public key is unusable).
    Crypto(String),
    /// The user closed the sign-in dialog instead of signing in again.
    SignInCancelled,
}

impl ApiError {
    pub fn err_code(&self) -> Option<&str> {
        match self {
            ApiError::Agent { err_code, .. } => Some(err_code),
            _ => None,
        }
    }

    /// Whether the agent answered with this error code.
    pub fn is(&self, code: &Code) -> bool {
        self.err_code().is_some_and(|c| code.is(c))
    }

    pub fn is_network(&self) -> bool {
        matches!(self, ApiError::Network { .. })
    }

    /// A one-line, localized summary of a failed read (sign-in, a page's data, a poll): nothing
    /// was changed. Agent messages are shown as the agent wrote them (it localizes them from our
    /// `Accept-Language`).
    pub fn summary(&self, lang: Lang) -> String {
        self.summary_in(lang, Context::Read)
    }

    /// The summary for where the request came from: after a change was sent, an answer that is
    /// not the agent's (or none) leaves open whether it was applied, and says so.
    pub fn summary_in(&self, lang: Lang, context: Context) -> String {
        match self.summary_parts(context) {
            Summary::Agent(m) => m.to_string(),
            Summary::Ours(key, args) => {
                let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
                crate::i18n::text_with(lang, key, &args)
            }
        }
    }

    /// What the summary is made of, for a view that shows the values in it as values (each
    /// isolated, with its hidden characters visible) rather than as part of the sentence.
    pub fn summary_parts(&self, context: Context) -> Summary<'_> {
        match self {
            ApiError::Network { url, detail } => {
                let key = match context {
                    Context::Read => "error.network",
                    Context::Submit => "error.network_submit",
                };
                Summary::Ours(key, vec![("url", url.clone()), ("detail", detail.clone())])
            }
            ApiError::Agent { message, .. } => Summary::Agent(message),
            // Not the agent's envelope: a proxy in front of it (5xx), the agent restarting, a
            // truncated answer, or the wrong address.
            ApiError::BadResponse { url, status, detail } => {
                let key = match (context, *status >= 500) {
                    (Context::Submit, true) => "error.gateway",
                    (Context::Submit, false) => "error.bad_response_submit",
                    (Context::Read, true) => "error.gateway_read",
                    (Context::Read, false) => "error.bad_response",
                };
                Summary::Ours(
                    key,
                    vec![
                        ("url", url.clone()),
                        ("status", status.to_string()),
                        ("detail", detail.clone()),
                    ],
                )
            }
            ApiError::Crypto(d) => Summary::Ours("error.crypto", vec![("detail", d.clone())]),
            ApiError::SignInCancelled => Summary::Ours("error.signin_cancelled", Vec::new()),
        }
    }
}

/// A failure's summary: the agent's own message (localized by the agent), or one of the
/// console's texts (an i18n key) with the values it names.
#[derive(Clone, Debug, PartialEq)]
pub enum Summary<'a> {
    Agent(&'a str),
    Ours(&'static str, Vec<(&'static str, String)>),
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.summary(Lang::En))
    }
}

impl std::error::Error for ApiError {}
