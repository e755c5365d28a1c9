//! "Sign in again" over the page when the agent dropped the session (restart, timeout, password
//! change). The page underneath — and whatever the user typed into it — stays mounted; the
//! request that needed the session continues after a successful sign-in.

use super::error_panel::ErrorPanel;
use super::form::secret::{AccountHint, SecretField};
use super::modal::Modal;
use crate::api::{AgentClient, ApiError};
use crate::i18n::use_i18n;
use leptos::prelude::*;
use obshell_proto::crypto::Secret;

/// Signing in with a typed password: on success the field is cleared (the password is not kept
/// in the form), on failure the agent's error is shown and what was typed stays.
pub fn password_sign_in(
    client: &AgentClient,
    password: RwSignal<String>,
    error: RwSignal<Option<ApiError>>,
) -> Action<String, ()> {
    let client = client.clone();
    Action::new_local(move |pw: &String| {
        let client = client.clone();
        let pw = Secret::new(pw.clone());
        async move {
            match client.sign_in(pw).await {
                Ok(()) => {
                    password.set(String::new());
                    error.set(None);
                }
                Err(e) => error.set(Some(e)),
            }
        }
    })
}

#[component]
pub fn ReauthDialog() -> impl IntoView {
    let i18n = use_i18n();
    let client = expect_context::<AgentClient>();
    let open = {
        let client = client.clone();
        move || client.reauth.get().is_some()
    };
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let submit = password_sign_in(&client, password, error);
    let cancel = {
        let client = client.clone();
        Callback::new(move |()| {
            password.set(String::new());
            client.cancel_reauth();
        })
    };
    view! {
        <Show when=open>
            <Modal labelled_by=crate::ids::uid("reauth-title") initial_focus=crate::ids::uid("reauth-password") on_cancel=cancel>
                    <form on:submit=move |ev| {
                        ev.prevent_default();
                        submit.dispatch(password.get_untracked());
                    }>
                        <h2 id=crate::ids::uid("reauth-title")>{i18n.t("reauth.title")}</h2>
                        <p>{i18n.t("reauth.explain")}</p>
                        <AccountHint/>
                        <SecretField id=crate::ids::uid("reauth-password") label=i18n.t("signin.password") value=password autocomplete="current-password"/>
                        <ErrorPanel error=error/>
                        <div class="actions">
                            <button type="submit" class="primary" disabled=move || submit.pending().get()>{i18n.t("signin.submit")}</button>
                            <button type="button" on:click=move |_| cancel.run(())>{i18n.t("common.cancel")}</button>
                        </div>
                    </form>
            </Modal>
        </Show>
    }
}
