//! A request failure that concerns no single field: message, errCode and traceId (for support).

use crate::api::{ApiError, ErrorContext};
use crate::i18n::use_i18n;
use leptos::prelude::*;

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
            let summary = e.summary_in(i18n.lang.get(), context);
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
                            <dt>{i18n.t("error.code")}</dt><dd><code>{code}</code></dd>
                            {(!trace.is_empty()).then(|| view! { <dt>{i18n.t("error.trace")}</dt><dd><code>{trace.clone()}</code></dd> })}
                        </dl>
                    })}
                </div>
            }
        })
    }
}
