//! The storage destination editor: a scheme (file/oss/cos/s3) with the fields it needs, or the
//! raw URI. The URI text is the single value the form owns; the structured fields are a view of
//! it built and parsed with `obshell_proto::storage`, so both modes always agree.

use super::frame::{Binding, FieldAria, FieldMessage};
use super::secret::{RevealToggle, SecretField};
use super::select::SelectField;
use super::text::TextField;
use crate::components::untrusted::untrusted;
use crate::i18n::use_i18n;
use leptos::prelude::*;
use obshell_proto::storage::{Scheme, StorageDest, StorageWarning};

#[component]
pub fn StorageEditor(
    /// Prefix for element ids (several editors share a page).
    #[prop(into)]
    id: String,
    #[prop(into)] legend: Signal<String>,
    #[prop(into)] uri: Binding,
    /// The validator's message for this URI (agent rules, DAG-time structure, what the task's
    /// write test needs).
    #[prop(into)]
    error: Signal<Option<String>>,
    /// Object-store parts the task's write test needs but the URI lacks: those inputs are marked
    /// invalid and described by the message.
    #[prop(optional, into)]
    missing: Signal<Vec<StorageWarning>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let initial = uri.get.get_untracked();
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
        uri.set.run(uri_of(&dest.get_untracked()));
    };

    // One binding per structured field: a view of `dest`, edits rebuild the URI.
    macro_rules! part {
        ($field:ident) => {
            Binding {
                get: Signal::derive(move || dest.with(|d| d.$field.clone())),
                set: Callback::new(move |v: String| edit(&|d: &mut StorageDest| d.$field = v.clone())),
            }
        };
    }
    let scheme = Binding {
        get: Signal::derive(move || dest.with(|d| d.scheme.unwrap_or(Scheme::File).as_str().to_string())),
        set: Callback::new(move |s: String| {
            if let Some(sc) = Scheme::ALL.into_iter().find(|x| x.as_str() == s) {
                edit(&move |d: &mut StorageDest| d.switch_scheme(sc));
            }
        }),
    };

    // The URI can also change from outside: the tenant's current destination arriving after
    // the form was shown, a draft restored. The fields follow it (a URI they cannot show keeps
    // the editor in raw mode); the editor's own edits come back here unchanged and stop.
    Effect::new(move |_| {
        let u = uri.get.get();
        if u == uri_of(&dest.get_untracked()) {
            return;
        }
        match StorageDest::parse(&u) {
            Ok(d) => dest.set(d),
            Err(_) if u.is_empty() => dest.set(StorageDest::new(dest.get_untracked().scheme.unwrap_or(Scheme::File))),
            Err(_) => raw_mode.set(true),
        }
    });

    let to_raw = move |_| {
        raw_problem.set(None);
        raw_mode.set(true);
    };
    let to_fields = move |_| match StorageDest::parse(&uri.get.get_untracked()) {
        Ok(d) => {
            dest.set(d);
            raw_problem.set(None);
            raw_mode.set(false);
        }
        Err(_) if uri.get.get_untracked().is_empty() => raw_mode.set(false),
        Err(e) => raw_problem.set(Some(e.message(i18n.lang.get_untracked()))),
    };

    let lacks = move |w: StorageWarning| Signal::derive(move || missing.with(|m| m.contains(&w)));
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
    let is = move |s: &'static str| scheme.get.get() == s;
    // The URI's message (under the preview) describes whichever control holds the URI.
    let uri_invalid = Signal::derive(move || error.with(Option::is_some));
    let raw_error = Signal::derive(move || raw_problem.get());
    let raw_aria = StoredValue::new(FieldAria::new(&ids("raw"), raw_error, Some((ids("msg"), uri_invalid))));
    let raw_revealed = RwSignal::new(false);
    let raw_has_secret = move || uri.get.get().to_ascii_lowercase().contains("access_key");

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
                    <TextField id=ids("bucket") label=i18n.t("storage.bucket") value=part!(bucket)/>
                    <TextField id=ids("key") label=i18n.t("storage.object_key") value=part!(object_key) placeholder="obbackup"/>
                    <TextField id=ids("host") label=i18n.t("storage.host") value=part!(host) placeholder="oss-cn-hangzhou.aliyuncs.com"
                        invalid_by=lacks(StorageWarning::MissingHost) described_by=ids("msg")/>
                    <Show when=move || is("cos")><TextField id=ids("appid") label=i18n.t("storage.appid") value=part!(appid)/></Show>
                    <Show when=move || is("s3")><TextField id=ids("region") label=i18n.t("storage.s3_region") value=part!(s3_region) hint=i18n.t("storage.s3_region_hint")/></Show>
                    <SecretField id=ids("access-id") label=i18n.t("storage.access_id") value=part!(access_id)
                        invalid_by=lacks(StorageWarning::MissingAccessId) described_by=ids("msg")/>
                    <SecretField id=ids("access-key") label=i18n.t("storage.access_key") value=part!(access_key)
                        invalid_by=lacks(StorageWarning::MissingAccessKey) described_by=ids("msg")/>
                    <TextField id=ids("delete-mode") label=i18n.t("storage.delete_mode") value=part!(delete_mode) hint=i18n.t("storage.delete_mode_hint")/>
                }>
                    // A local directory is the whole destination: the URI's message is about it.
                    <TextField id=ids("path") label=i18n.t("storage.path") value=part!(path) placeholder="/data/backup" hint=i18n.t("storage.path_hint")
                        invalid_by=uri_invalid described_by=ids("msg")/>
                </Show>
            }>
                {move || {
                    let aria = raw_aria.get_value();
                    let invalid = aria.invalid;
                    view! {
                        <div class="field" class:invalid=move || invalid.get()>
                            <label for=aria.id.clone()>{i18n.t("storage.raw_uri")}</label>
                            <div class="secret">
                                <input
                                    id=aria.id.clone()
                                    type=move || if raw_has_secret() && !raw_revealed.get() { "password" } else { "text" }
                                    autocomplete="off"
                                    spellcheck="false"
                                    aria-invalid=aria.invalid_attr()
                                    aria-describedby=aria.described_by.clone()
                                    prop:value=move || uri.get.get()
                                    on:input=move |ev| uri.set.run(event_target_value(&ev))
                                />
                                <Show when=raw_has_secret>
                                    <RevealToggle controls=aria.id.clone() revealed=raw_revealed/>
                                </Show>
                            </div>
                            <p id=aria.hint_id.clone() class="hint">{i18n.t("storage.raw_hint")}</p>
                            <FieldMessage id=aria.msg_id.clone() error=raw_error/>
                        </div>
                    }
                }}
            </Show>
            <p class="uri-preview">
                <span class="muted">{i18n.t("storage.preview")}</span>" "
                <code>{move || untrusted(obshell_proto::storage::redact(&uri.get.get()))}</code>
            </p>
            <FieldMessage id=ids("msg") error=error/>
        </fieldset>
    }
}
