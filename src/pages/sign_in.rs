//! Connect to the agent and sign in. Explains an agent the console cannot work with (identity
//! not `CLUSTER AGENT`, a version without v2 auth) instead of failing later.

use crate::api::{AgentClient, ApiError};
use crate::components::error_panel::ErrorPanel;
use crate::components::form::secret::{AccountHint, SecretField};
use crate::components::reauth_dialog::password_sign_in;
use crate::components::untrusted::{fill_values, visible, Mode};
use crate::config::RuntimeConfig;
use crate::context::{ProfileChoice, SsoError};
use crate::i18n::use_i18n;
use leptos::prelude::*;
use obshell_proto::envelope::{AgentStatus, Compatibility};

#[component]
pub fn SignInPage() -> impl IntoView {
    let i18n = use_i18n();
    let client = expect_context::<AgentClient>();
    let connect_error = RwSignal::new(None::<ApiError>);
    let info = RwSignal::new(None::<AgentStatus>);
    let connect = {
        let client = client.clone();
        Action::new_local(move |_: &()| {
            let client = client.clone();
            async move {
                match client.connect().await {
                    Ok(i) => {
                        connect_error.set(None);
                        info.set(Some(i));
                    }
                    Err(e) => connect_error.set(Some(e)),
                }
            }
        })
    };
    connect.dispatch(());

    // What was typed (and submitted) on the page's own form before the wasm arrived.
    let (typed, submitted) = crate::prepaint::take_sign_in().unwrap_or_default();
    let password = RwSignal::new(typed);
    let signin_error = RwSignal::new(None::<ApiError>);
    let sign_in = password_sign_in(&client, password, signin_error);
    let compat = move || info.get().map(|i| i.compatibility());

    // Several named clusters: pick one, then connect to it.
    let config = expect_context::<RuntimeConfig>();
    let choice = expect_context::<ProfileChoice>();
    let profiles = config.profiles.clone();
    let pick_profile = {
        let client = client.clone();
        let config = config.clone();
        move |index: usize| {
            let Some(p) = config.profiles.get(index) else {
                return;
            };
            choice.selected.set(index);
            client.set_config(config.client(Some(p), &choice.page_base.get_value()));
            info.set(None);
            connect.dispatch(());
        }
    };
    let sso_error = expect_context::<SsoError>().0;
    let usable = move || matches!(compat(), Some(Compatibility::Ok { .. }));
    // Submitted (Enter) while the agent's key is still on its way: signed in as soon as it is
    // there, rather than the Enter being lost (a disabled default button would swallow it).
    // A failed or refused connection drops it: its message says why.
    let queued = RwSignal::new(submitted);
    Effect::new(move |_| {
        if queued.get() && !connect.pending().get() {
            queued.set(false);
            if usable() {
                sign_in.dispatch(password.get_untracked());
            }
        }
    });
    let waiting = move || connect.pending().get() && compat().is_none();

    view! {
        <section class="card narrow" aria-labelledby=crate::ids::uid("signin-title")>
            <h1 id=crate::ids::uid("signin-title")>{i18n.t("signin.title")}</h1>
            {(profiles.len() > 1).then(|| {
                let selected = choice.selected.get_untracked();
                view! {
                    <div class="field">
                        <label for=crate::ids::uid("signin-profile")>{i18n.t("signin.cluster")}</label>
                        <select id=crate::ids::uid("signin-profile") on:change=move |ev| {
                            if let Ok(i) = event_target_value(&ev).parse::<usize>() { pick_profile(i) }
                        }>
                            {profiles.iter().enumerate().map(|(i, p)| view! { <option value=i.to_string() selected=i == selected>{visible(&p.name, Mode::Value)}</option> }).collect_view()}
                        </select>
                    </div>
                }
            })}
            {move || info.get().map(|i| {
                let lang = i18n.lang.get();
                view! {
                    <p class="agent-line">
                        {fill_values(lang, "signin.agent", &[("addr", &format!("{}:{}", i.ip, i.port)), ("version", &i.version), ("identity", i.identity.as_str())])}
                    </p>
                }
            })}
            {move || match compat() {
                Some(Compatibility::NotClusterAgent) => Some(view! { <p class="error" role="alert">{i18n.t("signin.not_cluster_agent")}</p> }.into_any()),
                Some(Compatibility::UnsupportedVersion) => Some(view! { <p class="error" role="alert">{i18n.t("signin.unsupported_version")}</p> }.into_any()),
                _ => None,
            }}
            <ErrorPanel error=connect_error/>
            <ErrorPanel error=sso_error/>
            <Show when=move || connect_error.get().is_some()>
                <button type="button" on:click=move |_| { connect.dispatch(()); }>{i18n.t("signin.retry_connect")}</button>
            </Show>
            <Show when=move || connect.pending().get()>
                <p class="muted" aria-live="polite">{i18n.t("signin.connecting")}</p>
            </Show>
            <form on:submit=move |ev| {
                ev.prevent_default();
                if usable() {
                    sign_in.dispatch(password.get_untracked());
                } else if waiting() {
                    queued.set(true);
                }
            }>
                <AccountHint/>
                <SecretField id=crate::ids::uid("signin-password") label=i18n.t("signin.password") value=password autocomplete="current-password"/>
                <p class="hint">{i18n.t("signin.password_hint")}</p>
                <ErrorPanel error=signin_error/>
                <button type="submit" class="primary" disabled=move || !(usable() || waiting()) || sign_in.pending().get() || queued.get()>
                    {move || if sign_in.pending().get() || queued.get() { i18n.now("signin.signing_in") } else { i18n.now("signin.submit") }}
                </button>
            </form>
        </section>
    }
}

/// What the sign-in gate shows while a host's SSO token is being exchanged: a status line, no
/// form (nothing to type, nothing that takes the focus from the host page).
#[component]
pub fn SsoSigningIn() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="card narrow" aria-labelledby=crate::ids::uid("signin-title")>
            <h1 id=crate::ids::uid("signin-title")>{i18n.t("signin.title")}</h1>
            <p class="muted" role="status">{i18n.t("signin.signing_in")}</p>
        </section>
    }
}
