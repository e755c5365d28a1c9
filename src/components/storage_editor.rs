//! The storage destination editor: a scheme (file/oss/cos/s3) with the fields it needs, or the
//! raw URI. The URI text signal is the single value the form owns; the structured fields are a
//! view of it built and parsed with `obshell_proto::storage`, so both modes always agree.

use super::fields::{FieldMessage, SecretField, SelectField, TextField};
use crate::i18n::use_i18n;
use leptos::prelude::*;
use obshell_proto::storage::{Scheme, StorageDest, StorageWarning};

#[component]
pub fn StorageEditor(
    /// Prefix for element ids (several editors share a page).
    #[prop(into)]
    id: String,
    #[prop(into)] legend: Signal<String>,
    uri: RwSignal<String>,
    /// The validator's message for this URI (agent rules and DAG-time structure).
    #[prop(into)]
    error: Signal<Option<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let initial = uri.get_untracked();
    let parsed = if initial.is_empty() {
        Some(StorageDest::new(Scheme::File))
    } else {
        StorageDest::parse(&initial).ok()
    };
    let raw_mode = RwSignal::new(parsed.is_none());
    let dest = RwSignal::new(parsed.unwrap_or_else(|| StorageDest::new(Scheme::File)));
    let raw_problem = RwSignal::new(None::<String>);

    // Structured edits rebuild the URI; an untouched, empty destination stays empty.
    let uri_of = |d: &StorageDest| {
        let blank = d.path.is_empty()
            && d.bucket.is_empty()
            && d.object_key.is_empty()
            && d.host.is_empty()
            && d.access_id.is_empty()
            && d.access_key.is_empty();
        if blank {
            String::new()
        } else {
            d.to_uri()
        }
    };
    let edit = move |f: &dyn Fn(&mut StorageDest)| {
        dest.update(|d| f(d));
        uri.set(uri_of(&dest.get_untracked()));
    };

    // One text signal per structured field, kept in sync with `dest`.
    macro_rules! field_signal {
        ($field:ident) => {{
            let s = RwSignal::new(dest.get_untracked().$field.clone());
            Effect::new(move |_| {
                let v = s.get();
                if dest.get_untracked().$field != v {
                    edit(&|d: &mut StorageDest| d.$field = v.clone());
                }
            });
            Effect::new(move |_| {
                let v = dest.with(|d| d.$field.clone());
                if s.get_untracked() != v {
                    s.set(v);
                }
            });
            s
        }};
    }
    let path = field_signal!(path);
    let bucket = field_signal!(bucket);
    let object_key = field_signal!(object_key);
    let host = field_signal!(host);
    let access_id = field_signal!(access_id);
    let access_key = field_signal!(access_key);
    let appid = field_signal!(appid);
    let s3_region = field_signal!(s3_region);
    let delete_mode = field_signal!(delete_mode);

    let scheme = RwSignal::new(dest.get_untracked().scheme.unwrap_or(Scheme::File).as_str().to_string());
    Effect::new(move |_| {
        let s = scheme.get();
        if let Some(sc) = Scheme::ALL.into_iter().find(|x| x.as_str() == s) {
            if dest.get_untracked().scheme != Some(sc) {
                edit(&move |d: &mut StorageDest| d.scheme = Some(sc));
            }
        }
    });

    // The URI can also change from outside: the tenant's current destination arriving after
    // the form was shown, a draft restored. The fields follow it (a URI they cannot show keeps
    // the editor in raw mode); the editor's own edits come back here unchanged and stop.
    Effect::new(move |_| {
        let u = uri.get();
        if u == uri_of(&dest.get_untracked()) {
            return;
        }
        match StorageDest::parse(&u) {
            Ok(d) => {
                scheme.set(d.scheme.unwrap_or(Scheme::File).as_str().to_string());
                dest.set(d);
            }
            Err(_) if u.is_empty() => dest.set(StorageDest::new(dest.get_untracked().scheme.unwrap_or(Scheme::File))),
            Err(_) => raw_mode.set(true),
        }
    });

    let to_raw = move |_| {
        raw_problem.set(None);
        raw_mode.set(true);
    };
    let to_fields = move |_| match StorageDest::parse(&uri.get_untracked()) {
        Ok(d) => {
            scheme.set(d.scheme.unwrap_or(Scheme::File).as_str().to_string());
            dest.set(d);
            raw_problem.set(None);
            raw_mode.set(false);
        }
        Err(_) if uri.get_untracked().is_empty() => raw_mode.set(false),
        Err(e) => raw_problem.set(Some(e.message(i18n.lang.get_untracked()))),
    };

    let warnings = move || {
        if raw_mode.get() {
            return None;
        }
        let d = dest.get();
        let w: Vec<String> = d
            .warnings()
            .into_iter()
            .map(|w| match w {
                StorageWarning::MissingHost => i18n.now("storage.warn_host"),
                StorageWarning::MissingAccessId => i18n.now("storage.warn_access_id"),
                StorageWarning::MissingAccessKey => i18n.now("storage.warn_access_key"),
            })
            .collect();
        (!w.is_empty()).then(|| w.join(" "))
    };

    let id = StoredValue::new(id);
    let ids = move |s: &str| format!("{}-{s}", id.get_value());
    let scheme_options = Signal::derive(move || {
        vec![
            ("file".to_string(), i18n.now("storage.scheme_file")),
            ("oss".to_string(), i18n.now("storage.scheme_oss")),
            ("cos".to_string(), i18n.now("storage.scheme_cos")),
            ("s3".to_string(), i18n.now("storage.scheme_s3")),
        ]
    });
    let is = move |s: &'static str| scheme.get() == s;
    let raw_revealed = RwSignal::new(false);
    let raw_has_secret = move || uri.get().to_ascii_lowercase().contains("access_key");

    view! {
        <fieldset class="storage">
            <legend>{move || legend.get()}</legend>
            <div class="mode-switch" role="group" aria-label=i18n.t("storage.mode")>
                <button type="button" aria-pressed=move || (!raw_mode.get()).to_string() on:click=to_fields>{i18n.t("storage.mode_fields")}</button>
                <button type="button" aria-pressed=move || raw_mode.get().to_string() on:click=to_raw>{i18n.t("storage.mode_raw")}</button>
            </div>
            <Show when=move || raw_mode.get() fallback=move || view! {
                <SelectField id=ids("scheme") label=i18n.t("storage.scheme") value=scheme options=scheme_options/>
                <Show when=move || is("file") fallback=move || view! {
                    <TextField id=ids("bucket") label=i18n.t("storage.bucket") value=bucket/>
                    <TextField id=ids("key") label=i18n.t("storage.object_key") value=object_key placeholder="obbackup"/>
                    <TextField id=ids("host") label=i18n.t("storage.host") value=host placeholder="oss-cn-hangzhou.aliyuncs.com"/>
                    <Show when=move || is("cos")><TextField id=ids("appid") label=i18n.t("storage.appid") value=appid/></Show>
                    <Show when=move || is("s3")><TextField id=ids("region") label=i18n.t("storage.s3_region") value=s3_region hint=i18n.t("storage.s3_region_hint")/></Show>
                    <SecretField id=ids("access-id") label=i18n.t("storage.access_id") value=access_id/>
                    <SecretField id=ids("access-key") label=i18n.t("storage.access_key") value=access_key/>
                    <TextField id=ids("delete-mode") label=i18n.t("storage.delete_mode") value=delete_mode hint=i18n.t("storage.delete_mode_hint")/>
                }>
                    // A local directory is the whole destination: the URI's message is about it.
                    <TextField id=ids("path") label=i18n.t("storage.path") value=path placeholder="/data/backup" hint=i18n.t("storage.path_hint")
                        invalid_by=Signal::derive(move || error.get().is_some()) described_by=ids("msg")/>
                </Show>
            }>
                <div class="field" class:invalid=move || error.get().is_some()>
                    <label for=ids("raw")>{i18n.t("storage.raw_uri")}</label>
                    <div class="secret">
                        <input
                            id=ids("raw")
                            type=move || if raw_has_secret() && !raw_revealed.get() { "password" } else { "text" }
                            autocomplete="off"
                            spellcheck="false"
                            aria-describedby=ids("msg")
                            prop:value=move || uri.get()
                            on:input=move |ev| uri.set(event_target_value(&ev))
                        />
                        <Show when=raw_has_secret>
                            <button type="button" class="reveal" aria-pressed=move || raw_revealed.get().to_string() on:click=move |_| raw_revealed.update(|r| *r = !*r)>
                                {move || if raw_revealed.get() { i18n.now("field.hide") } else { i18n.now("field.show") }}
                            </button>
                        </Show>
                    </div>
                    <p class="hint">{i18n.t("storage.raw_hint")}</p>
                    {move || raw_problem.get().map(|p| view! { <p class="error" role="alert">{p}</p> })}
                </div>
            </Show>
            <p class="uri-preview">
                <span class="muted">{i18n.t("storage.preview")}</span>" "
                <code>{move || obshell_proto::storage::redact(&uri.get())}</code>
            </p>
            <FieldMessage id=ids("msg") error=error warning=Signal::derive(warnings)/>
        </fieldset>
    }
}
