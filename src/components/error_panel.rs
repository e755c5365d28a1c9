//! A request failure that concerns no single field: message, errCode and traceId (for support).

use crate::api::{ApiError, ErrorContext, ErrorSummary};
use crate::components::untrusted::{fill_values, untrusted, untrusted_as, Show};
use crate::i18n::use_i18n;
use leptos::prelude::*;
use obshell_proto::Lang;

/// A failure's one-line summary as a view: the agent's message as text it wrote (isolated, its
/// hidden characters visible, so a path with U+202E in it cannot reverse the rest), or the
/// console's sentence with each value in it isolated.
pub fn error_summary(lang: Lang, e: &ApiError, context: ErrorContext) -> Vec<AnyView> {
    match e.summary_parts(context) {
        ErrorSummary::Agent(m) => vec![untrusted_as(m.to_string(), Show::TEXT)],
        ErrorSummary::Ours(key, args) => {
            let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
            fill_values(lang, key, &args)
        }
    }
}

#[component]
pub fn ErrorPanel(
    #[prop(into)] error: Signal<Option<ApiError>>,
    /// What the failed request did (a change sent: its outcome may be unknown).
    #[prop(optional)]
    context: ErrorContext,
) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        error.get().map(|e| {
            let summary = error_summary(i18n.lang.get(), &e, context);
            let details = match &e {
                ApiError::Agent {
                    status,
                    err_code,
                    trace_id,
                    ..
                } => Some((status.to_string(), err_code.clone(), trace_id.clone())),
                _ => None,
            };
            view! {
                <div class="error-panel" role="alert">
                    <p class="error-summary">{summary}</p>
                    {details.map(|(status, code, trace)| view! {
                        <dl class="error-details">
                            <dt>{i18n.t("error.status")}</dt><dd>{status}</dd>
                            <dt>{i18n.t("error.code")}</dt><dd><code>{untrusted(code)}</code></dd>
                            {(!trace.is_empty()).then(|| view! { <dt>{i18n.t("error.trace")}</dt><dd><code>{untrusted(trace.clone())}</code></dd> })}
                        </dl>
                    })}
                </div>
            }
        })
    }
}
