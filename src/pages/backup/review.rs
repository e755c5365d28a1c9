//! The review before a configuration is sent: a table of every setting the request writes (what
//! the agent has now, what it will be, credentials included or missing), what the task does
//! besides, the exact request, and the same request as the obshell CLI and Python SDK would send
//! it. Submitting is disabled while the request is in flight, so it is sent once.

use crate::components::modal::Modal;
use crate::components::untrusted::{fill_values, untrusted, untrusted_as, Show};
use crate::form::equivalents::{cli_command, sdk_python};
use crate::form::review::{rows, Again, Credentials, Now, Row};
use crate::form::{redacted_json, spec, FormState, Source};
use crate::i18n::{text, text_with, use_i18n};
use crate::ids::uid;
use crate::routes::ApiTarget;
use leptos::prelude::*;
use obshell_proto::backup::{self, BackupConfig, Method, Scope, SideEffect};
use obshell_proto::Lang;

#[component]
pub fn ReviewDialog(
    scope: Scope,
    tenant: String,
    /// The request-target the body goes to (with the tenant's name).
    target: ApiTarget,
    request: BackupConfig,
    form: FormState,
    /// The agent's address for the SDK snippet.
    agent: (String, u16),
    submit: Action<(Method, serde_json::Value), ()>,
    close: impl Fn() + Clone + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let method = form.method.get_untracked();
    let body = request.to_json(scope);
    let shown = redacted_json(&request, scope);
    let table = rows(&request, scope, method, &form.baseline.get_untracked());
    let effects = backup::side_effects(&request, scope);
    let cli = cli_command(&request, scope, &tenant);
    let sdk = sdk_python(&request, scope, method, &tenant, (&agent.0, agent.1));
    let endpoint = format!("{} {target}", method.http());
    let close2 = close.clone();
    // Escape goes back to the form, except while the request is on its way.
    let on_cancel = Callback::new(move |()| {
        if !submit.pending().get_untracked() {
            close();
        }
    });
    let effect_key = move |e: SideEffect| match e {
        SideEffect::ArchiveLogStopped => "review.effect_archive_stopped",
        SideEffect::RunningBackupCancelled => "review.effect_backup_cancelled",
        SideEffect::ArchiveDestDefaultsReset => "review.effect_dest_defaults",
        SideEffect::AllTenants => "review.effect_all_tenants",
    };
    let rows_view = move || {
        let lang = i18n.lang.get();
        table.iter().map(|r| row_view(lang, r)).collect_view()
    };
    // The focus starts on the table to review, not on Submit: two Enter presses must not send a
    // configuration nobody read.
    view! {
        <Modal labelled_by=uid("review-title") initial_focus=uid("review-changes") class="review" on_cancel=on_cancel>
            <h2 id=uid("review-title")>{i18n.t("review.title")}</h2>
            <p><code>{untrusted(endpoint)}</code></p>
            <div class="table-scroll" id=uid("review-changes") tabindex="0" role="region" aria-labelledby=uid("review-changes-caption")>
                <table class="changes">
                    <caption id=uid("review-changes-caption")>{i18n.t("review.changes")}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{i18n.t("review.setting")}</th>
                            <th scope="col">{i18n.t("review.now")}</th>
                            <th scope="col">{i18n.t("review.after")}</th>
                        </tr>
                    </thead>
                    <tbody>{rows_view}</tbody>
                </table>
            </div>
            {(!effects.is_empty()).then(|| view! {
                <h3>{i18n.t("review.effects")}</h3>
                <ul class="effects">{effects.into_iter().map(|e| view! { <li>{i18n.t(effect_key(e))}</li> }).collect_view()}</ul>
            })}
            <h3>{i18n.t("review.body")}</h3>
            <pre class="json" id=uid("review-body") tabindex="0" aria-label=i18n.t("review.body")>{untrusted_as(shown, Show::TEXT)}</pre>
            <h3>{i18n.t("review.cli")}</h3>
            {(method == Method::Set).then(|| view! { <p class="hint">{i18n.t("review.cli_patches")}</p> })}
            <Snippet id=uid("review-cli") text=cli label=i18n.t("review.cli")/>
            <h3>{i18n.t("review.sdk")}</h3>
            <Snippet id=uid("review-sdk") text=sdk label=i18n.t("review.sdk")/>
            <div class="actions">
                <button type="button" class="primary" disabled=move || submit.pending().get()
                    on:click=move |_| { if !submit.pending().get_untracked() { submit.dispatch((method, body.clone())); } }>
                    {move || if submit.pending().get() { i18n.now("review.submitting") } else { i18n.now("review.submit") }}
                </button>
                <button type="button" disabled=move || submit.pending().get() on:click=move |_| close2()>{i18n.t("common.back")}</button>
            </div>
        </Modal>
    }
}

fn row_view(lang: Lang, r: &Row) -> impl IntoView {
    let label = text(lang, spec(r.field).label);
    // Values are the agent's or the user's: each isolated, in the sentence that says how the
    // console knows it.
    let now = match &r.now {
        Now::Known(v, Source::Reported) => vec![untrusted(v.clone())],
        Now::Known(v, Source::Inferred) => fill_values(lang, "review.now_inferred", &[("value", v)]),
        Now::Known(v, Source::Remembered) => fill_values(lang, "review.now_remembered", &[("value", v)]),
        Now::Known(v, Source::Default) => fill_values(lang, "review.now_default", &[("value", v)]),
        Now::Known(_, Source::Differs) | Now::Differs => vec![text(lang, "review.now_differs").into_any()],
        Now::Unknown => vec![text(lang, "review.now_unknown").into_any()],
    };
    let again = r.again.map(|a| {
        text(
            lang,
            match a {
                Again::WithArchiveDestination => "review.again_with_archive",
                Again::SetNeedsDestinations => "review.again_set",
                Again::CarriesBindingAndInterval => "review.again_carries",
            },
        )
    });
    let creds = r.credentials.map(|c| credentials_text(lang, c));
    view! {
        <tr>
            <th scope="row">{label}</th>
            <td>{now}</td>
            <td>
                {untrusted(r.new.clone())}
                {creds.map(|c| view! { <span class="creds">{c}</span> })}
                {again.map(|a| view! { <span class="again">{a}</span> })}
            </td>
        </tr>
    }
}

fn credentials_text(lang: Lang, c: Credentials) -> String {
    let part = |key: &str, present: bool| {
        text_with(
            lang,
            if present {
                "review.cred_included"
            } else {
                "review.cred_missing"
            },
            &[("what", &text(lang, key))],
        )
    };
    format!(
        "{} · {}",
        part("storage.access_id", c.access_id),
        part("storage.access_key", c.access_key)
    )
}

/// A copyable block of text (a command): selectable, with a copy button.
#[component]
fn Snippet(id: String, text: String, #[prop(into)] label: Signal<String>) -> impl IntoView {
    let i18n = use_i18n();
    let copied = RwSignal::new(false);
    let value = text.clone();
    let copy = move |_| {
        if let Some(w) = web_sys::window() {
            let _ = w.navigator().clipboard().write_text(&value);
            copied.set(true);
        }
    };
    view! {
        <div class="snippet">
            // Shown with its hidden characters visible; the button copies the command as it is.
            <pre id=id.clone() tabindex="0" aria-label=move || label.get()>{untrusted_as(text, Show::TEXT)}</pre>
            <button type="button" aria-describedby=id on:click=copy>
                {move || if copied.get() { i18n.now("review.copied") } else { i18n.now("review.copy") }}
            </button>
        </div>
    }
}
