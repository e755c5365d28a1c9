//! The backup form: its fields (from the table), the agent's rules as the user types, the
//! review and the one submission.

use super::fields::SpecField;
use crate::api::{AgentClient, ApiError, HttpMethod};
use crate::components::error_panel::ErrorPanel;
use crate::components::review_dialog::ReviewDialog;
use crate::context::use_host_events;
use crate::form::{fields_of, messages, FormState, Section};
use crate::i18n::use_i18n;
use crate::nav::{use_nav, Route};
use crate::routes;
use leptos::prelude::*;
use obshell_proto::backup::{self, Field, Method, Scope};
use obshell_proto::dag::DagDetail;

#[component]
pub fn BackupForm(scope: Scope, form: FormState, tenant: String) -> impl IntoView {
    let i18n = use_i18n();
    let client = expect_context::<AgentClient>();
    let nav = use_nav();
    let events = use_host_events();
    let server_error = RwSignal::new(None::<ApiError>);
    let server_field_error = RwSignal::new(None::<(Field, String)>);
    let review = RwSignal::new(false);

    // The request as it would be sent now, and everything wrong with it.
    let request = Memo::new(move |_| {
        form.values
            .with(|v| v.to_request(&form.baseline.get(), scope, form.method.get()))
    });
    let msgs = Memo::new(move |_| {
        let (req, problems) = request.get();
        let errs = backup::field_errors(&req, scope, form.method.get());
        let mut m = messages(i18n.lang.get(), &errs, &problems, form.submitted.get());
        if let Some((f, msg)) = server_field_error.get() {
            m.entry(f).or_insert(msg);
        }
        m
    });
    // Input changes clear a server error attached to a field.
    Effect::new(move |seen: Option<()>| {
        form.values.track();
        if seen.is_some() {
            server_field_error.set(None);
        }
    });
    let err = move |f: Field| Signal::derive(move || msgs.with(|m| m.get(&f).cloned()));
    let recovery_warning = Signal::derive(move || {
        let (req, _) = request.get();
        // The agent passes an empty window on to OceanBase, which refuses it only when the
        // task runs (after log archiving was switched off): say so before it is sent.
        if req
            .delete_policy
            .as_ref()
            .is_some_and(|p| p.recovery_window.trim().is_empty())
        {
            return Some(i18n.now("form.recovery_window_empty"));
        }
        backup::recovery_window_warning(req.delete_policy.as_ref()).map(|e| {
            format!(
                "{} {}",
                i18n.now("form.recovery_window_warning"),
                e.message(i18n.lang.get())
            )
        })
    });
    let blocking = move || {
        let (req, problems) = request.get();
        !problems.is_empty() || !backup::field_errors(&req, scope, form.method.get()).is_empty()
    };

    let target = match scope {
        Scope::Cluster => routes::CLUSTER_BACKUP_CONFIG.into(),
        Scope::Tenant => routes::tenant_backup_config(&tenant),
    };
    // The review names the exact endpoint, so the tenant about to change is in plain sight.
    let review_target = target.clone();
    let submit = {
        let client = client.clone();
        Action::new_local(move |(method, body): &(Method, serde_json::Value)| {
            let client = client.clone();
            let events = events.clone();
            let target = target.clone();
            let (method, body) = (*method, body.clone());
            // What this request asks for: once the agent accepted it, later updates compare
            // with it (for the cluster the agent cannot report its current values).
            let submitted = form.values.get_untracked();
            async move {
                let http = match method {
                    Method::Set => HttpMethod::Post,
                    Method::Update => HttpMethod::Patch,
                };
                let answer = client.request::<DagDetail>(http, &target, Some(body)).await;
                // The page may be gone by now (the user cancelled signing in again and is back
                // on the sign-in page): then its signals are disposed and nothing is shown.
                match answer {
                    Ok(Some(dag)) => {
                        review.try_set(false);
                        form.submitted.try_set(false);
                        form.baseline.try_set(submitted);
                        events.task_submitted(&dag);
                        nav.go(Route::Task(dag.id.clone()));
                    }
                    Ok(None) => {
                        server_error.try_set(Some(ApiError::BadResponse {
                            url: target.to_string(),
                            status: 200,
                            detail: "no task in the answer".into(),
                        }));
                    }
                    Err(e) => {
                        review.try_set(false);
                        if let (ApiError::Agent { err_code, message, .. }, Some((sent, _))) =
                            (&e, request.try_get_untracked())
                        {
                            if let Some(f) = Field::for_error(scope, err_code, message, &sent) {
                                server_field_error.try_set(Some((f, message.clone())));
                            }
                        }
                        server_error.try_set(Some(e));
                    }
                }
            }
        })
    };

    let on_review = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        form.submitted.set(true);
        server_error.set(None);
        if blocking() {
            focus_first_invalid(&ev);
            return;
        }
        review.set(true);
    };

    // The fields of a section, in table order; one shown only with another field's value
    // (the recovery window with the delete policy) follows it.
    let section = move |section: Section| {
        fields_of(scope)
            .filter(move |s| s.section == section)
            .map(|s| match s.shown_with {
                None => view! { <SpecField spec=s form=form error=err(s.field)/> }.into_any(),
                Some(with) => view! {
                    <Show when=move || !form.value(with).get().is_empty()>
                        <SpecField spec=s form=form error=err(s.field)/>
                    </Show>
                }
                .into_any(),
            })
            .collect_view()
    };
    let method_radio = move |m: Method, key: &'static str| {
        view! {
            <label class="radio">
                <input type="radio" name="method" checked=move || form.method.get() == m on:change=move |_| form.method.set(m)/>
                {i18n.t(key)}
            </label>
        }
    };

    view! {
        <form class="backup-form" novalidate on:submit=on_review>
            <fieldset class="method">
                <legend>{i18n.t("backup.action")}</legend>
                {method_radio(Method::Set, "backup.set")}
                {method_radio(Method::Update, "backup.update")}
                <p class="hint">{move || match form.method.get() { Method::Set => i18n.now("backup.set_hint"), Method::Update => i18n.now("backup.update_hint") }}</p>
            </fieldset>
            {section(Section::Destinations)}
            <fieldset class="grid">
                <legend>{i18n.t("backup.archive_settings")}</legend>
                {section(Section::Archive)}
            </fieldset>
            <fieldset>
                <legend>{i18n.t("field.delete_policy")}</legend>
                {section(Section::DeletePolicy)}
                <Show when=move || !form.value(Field::DeletePolicy).get().is_empty()>
                    <p class="warning" aria-live="polite">{move || recovery_warning.get()}</p>
                </Show>
                {move || err(Field::DeletePolicy).get().map(|e| view! { <p class="error">{e}</p> })}
            </fieldset>
            <ErrorPanel error=server_error/>
            <div class="actions">
                <button type="submit" class="primary">{i18n.t("backup.review")}</button>
                <Show when=move || form.submitted.get() && blocking()>
                    <p class="error" role="alert">{i18n.t("form.fix_errors")}</p>
                </Show>
            </div>
        </form>
        <Show when=move || review.get()>
            <ReviewDialog scope=scope target=review_target.clone() request=request method=form.method submit=submit close=move || review.set(false)/>
        </Show>
    }
}

/// Moves the focus to the first invalid field of the submitted form (not of another console
/// mounted on the same page).
fn focus_first_invalid(ev: &leptos::ev::SubmitEvent) {
    use wasm_bindgen::JsCast;
    let form = ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok());
    if let Some(el) = form.and_then(|f| f.query_selector("[aria-invalid=true]").ok().flatten()) {
        if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() {
            let _ = el.focus();
        }
    }
}
