//! The review step before a configuration is submitted: the exact body (credentials removed
//! from URIs), the endpoint, and what the task will do besides setting values. Submitting is
//! disabled while the request is in flight, so it is sent once.

use super::modal::Modal;
use crate::form::{self, InputProblem};
use crate::i18n::use_i18n;
use leptos::prelude::*;
use obshell_proto::backup::{self, BackupConfig, Field, Method, Scope, SideEffect};

#[component]
pub fn ReviewDialog(
    scope: Scope,
    /// The request-target the body goes to (with the tenant's name).
    target: crate::routes::ApiTarget,
    request: Memo<(BackupConfig, Vec<(Field, InputProblem)>)>,
    method: RwSignal<Method>,
    submit: Action<(Method, serde_json::Value), ()>,
    close: impl Fn() + Clone + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let (req, _) = request.get_untracked();
    let m = method.get_untracked();
    let body = req.to_json(scope);
    let shown = form::redacted_json(&req, scope);
    let effects = backup::side_effects(&req, scope);
    let line = move |e: SideEffect| match e {
        SideEffect::ArchiveLogStopped => "review.effect_archive_stopped",
        SideEffect::RunningBackupCancelled => "review.effect_backup_cancelled",
        SideEffect::ArchiveDestDefaultsReset => "review.effect_dest_defaults",
        SideEffect::AllTenants => "review.effect_all_tenants",
    };
    let endpoint = format!("{} {target}", m.http());
    let close2 = close.clone();
    // Escape goes back to the form, except while the request is on its way.
    let on_cancel = Callback::new(move |()| {
        if !submit.pending().get_untracked() {
            close();
        }
    });
    // The focus starts on the body to review, not on Submit: two Enter presses must not send a
    // configuration nobody read.
    view! {
        <Modal labelled_by=crate::ids::uid("review-title") initial_focus=crate::ids::uid("review-body") on_cancel=on_cancel>
                <h2 id=crate::ids::uid("review-title")>{i18n.t("review.title")}</h2>
                <p><code>{endpoint}</code></p>
                <pre class="json" id=crate::ids::uid("review-body") tabindex="0" aria-label=i18n.t("review.body")>{shown}</pre>
                {(!effects.is_empty()).then(|| view! {
                    <h3>{i18n.t("review.effects")}</h3>
                    <ul class="effects">{effects.into_iter().map(|e| view! { <li>{i18n.t(line(e))}</li> }).collect_view()}</ul>
                })}
                <div class="actions">
                    <button type="button" class="primary" disabled=move || submit.pending().get()
                        on:click=move |_| { if !submit.pending().get_untracked() { submit.dispatch((m, body.clone())); } }>
                        {move || if submit.pending().get() { i18n.now("review.submitting") } else { i18n.now("review.submit") }}
                    </button>
                    <button type="button" disabled=move || submit.pending().get() on:click=move |_| close2()>{i18n.t("common.back")}</button>
                </div>
        </Modal>
    }
}
