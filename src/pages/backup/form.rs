//! The backup form: its fields (from the table), the agent's rules and what its task would
//! refuse as the user types, the review and the one submission.

use super::fields::SpecField;
use super::review::ReviewDialog;
use crate::api::{AgentClient, ApiError, HttpMethod};
use crate::components::error_panel::ErrorPanel;
use crate::components::submit_outcome::{others_started, SubmitOutcome};
use crate::components::untrusted::{untrusted_as, Show};
use crate::context::{use_drafts, use_host_events};
use crate::form::{fields_of, messages, FormState, Known, Problems, Section, Source};
use crate::i18n::{text_with, use_i18n};
use crate::nav::{use_nav, Route};
use crate::routes;
use leptos::prelude::*;
use obshell_proto::backup::{Field, Method, Scope};

#[component]
pub fn BackupForm(
    scope: Scope,
    form: FormState,
    /// The draft's key (`cluster`, `tenant:<name>`): what this tab sent is remembered under it.
    form_key: String,
    tenant: String,
) -> impl IntoView {
    let i18n = use_i18n();
    let client = expect_context::<AgentClient>();
    let nav = use_nav();
    let events = use_host_events();
    let drafts = use_drafts();
    let server_error = RwSignal::new(None::<ApiError>);
    // When the last submit left (agent clock), to look for its task if its answer was lost.
    let sent_at = RwSignal::new(0.0f64);
    // The tasks an accepted submit turned out to start, when more than one.
    let several = RwSignal::new(Vec::<obshell_proto::dag::DagDetail>::new());
    let task_name = match scope {
        Scope::Cluster => obshell_proto::dag::names::SET_CLUSTER_BACKUP_CONFIG.to_string(),
        Scope::Tenant => obshell_proto::dag::names::set_tenant_backup_config(&tenant),
    };
    let server_field_error = RwSignal::new(None::<(Field, String)>);
    let review = RwSignal::new(false);

    // The request as it would be sent now, and everything wrong with it.
    let request = Memo::new(move |_| {
        let baseline = form.baseline.with(|b| b.values.clone());
        form.values.with(|v| v.to_request(&baseline, scope, form.method.get()))
    });
    let problems = Memo::new(move |_| {
        let (req, input) = request.get();
        Problems::of(&req, &input, scope, form.method.get())
    });
    let msgs = Memo::new(move |_| {
        let mut m = form.values.with(|v| {
            form.baseline
                .with(|b| problems.with(|p| messages(i18n.lang.get(), p, v, b, form.submitted.get())))
        });
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
    let missing = move |f: Field| Signal::derive(move || problems.with(|p| p.missing_parts(f)));
    // What the console knows of a setting the agent cannot report, said at the field.
    let note = move |f: Field| {
        Signal::derive(move || {
            let b = form.baseline.get();
            let value = b.values.get(f).to_string();
            let key = match b.source(f)? {
                Source::Default => "field.unreadable_default",
                Source::Remembered => "field.unreadable_remembered",
                _ => return None,
            };
            matches!(f, Field::Binding | Field::PieceSwitchInterval)
                .then(|| text_with(i18n.lang.get(), key, &[("value", &value)]))
        })
    };
    let blocking = move || problems.with(Problems::is_blocking);

    let target = match scope {
        Scope::Cluster => routes::CLUSTER_BACKUP_CONFIG.into(),
        Scope::Tenant => routes::tenant_backup_config(&tenant),
    };
    // The review names the exact endpoint, so the tenant about to change is in plain sight.
    let review_target = target.clone();
    let submit = {
        let client = client.clone();
        let task_name = task_name.clone();
        Action::new_local(move |(method, body): &(Method, serde_json::Value)| {
            let client = client.clone();
            let events = events.clone();
            let drafts = drafts.clone();
            let form_key = form_key.clone();
            let target = target.clone();
            let task_name = task_name.clone();
            let (method, body) = (*method, body.clone());
            // What this request asks for: once the agent accepted it, it is the best knowledge
            // of the configuration (for what the agent cannot report, the only one).
            let submitted = form.values.get_untracked();
            async move {
                let http = match method {
                    Method::Set => HttpMethod::Post,
                    Method::Update => HttpMethod::Patch,
                };
                let since = client.server_now_ms();
                sent_at.try_set(since);
                several.try_set(Vec::new());
                let answer = client.start_task(http, &target, body).await;
                // The page may be gone by now (the user cancelled signing in again and is back
                // on the sign-in page): then its signals are disposed and nothing is shown.
                match answer {
                    Ok(dag) => {
                        drafts.remember_sent(&form_key, &submitted);
                        let mut known = Known::default();
                        for (f, v) in submitted.filled() {
                            known.set(f, v, Source::Remembered);
                        }
                        if review.try_set(false).is_none() {
                            form.submitted.set(false);
                            form.learn(&known);
                        }
                        events.task_submitted(&dag);
                        match others_started(&client, &task_name, since, &dag).await {
                            Some(tasks) => {
                                several.try_set(tasks);
                            }
                            None => nav.go(Route::Task(dag.id.clone())),
                        }
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

    let form_ref = NodeRef::<leptos::html::Form>::new();
    let on_review = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        form.submitted.set(true);
        server_error.set(None);
        if blocking() {
            // After the fields show their messages (and `aria-invalid`): the first one gets the
            // focus, as a screen-reader user needs to hear what is wrong.
            request_animation_frame(move || focus_first_invalid(form_ref));
            return;
        }
        review.set(true);
    };

    // The fields of a section, in table order; one shown only with another field's value
    // (the recovery window with the delete policy) follows it.
    let section = move |section: Section| {
        fields_of(scope)
            .filter(move |s| s.section == section)
            .map(|s| {
                let field = move || {
                    view! { <SpecField spec=s form=form error=err(s.field) missing=missing(s.field) note=note(s.field)/> }
                };
                match s.shown_with {
                    None => field().into_any(),
                    Some(with) => view! { <Show when=move || !form.value(with).get().is_empty()>{field()}</Show> }
                        .into_any(),
                }
            })
            .collect_view()
    };
    let method_radio = move |m: Method, key: &'static str| {
        view! {
            <label class="radio">
                <input type="radio" name="method" checked=move || form.method.get() == m on:change=move |_| {
                    form.method.set(m);
                    form.method_chosen.set(true);
                }/>
                {i18n.t(key)}
            </label>
        }
    };
    let agent = {
        let client = client.clone();
        move || {
            client
                .info()
                .map(|i| (i.ip, i.port))
                .unwrap_or_else(|| ("<agent-ip>".into(), 2886))
        }
    };

    view! {
        <form class="backup-form" novalidate on:submit=on_review node_ref=form_ref>
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
                {move || err(Field::DeletePolicy).get().map(|e| view! { <p class="error">{untrusted_as(e, Show::TEXT)}</p> })}
            </fieldset>
            <ErrorPanel error=server_error context=crate::api::ErrorContext::Submit/>
            <SubmitOutcome error=server_error name=task_name.clone() since_ms=sent_at several=several/>
            <div class="actions">
                <button type="submit" class="primary">{i18n.t("backup.review")}</button>
                <Show when=move || form.submitted.get() && blocking()>
                    <p class="error" role="alert">{i18n.t("form.fix_errors")}</p>
                </Show>
            </div>
        </form>
        <Show when=move || review.get()>
            <ReviewDialog scope=scope tenant=tenant.clone() target=review_target.clone() request=request.get_untracked().0
                form=form agent=agent() submit=submit close=move || review.set(false)/>
        </Show>
    }
}

/// Moves the focus to the first invalid field of this form (not of another console mounted on
/// the same page).
fn focus_first_invalid(form: NodeRef<leptos::html::Form>) {
    use wasm_bindgen::JsCast;
    let first = form
        .get_untracked()
        .and_then(|f| f.query_selector("[aria-invalid=true]").ok().flatten());
    if let Some(el) = first.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
        let _ = el.focus();
    }
}
