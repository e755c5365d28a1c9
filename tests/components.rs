#![cfg(target_arch = "wasm32")]
//! Console components in a real browser (headless Chromium via wasm-bindgen-test): fields, the
//! storage editor, masking, and the backup form's request (changed-fields-only PATCH, the
//! binding/piece rule, blocked invalid input), read back from the review dialog.

mod support;

use obshell_proto::backup::Scope;
use support::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn secret_fields_are_masked_until_revealed() {
    let root = mount_page(Scope::Cluster).await;

    select(&root, "#backup-base-scheme", "oss").await;
    let key = input(&root, "#backup-base-access-key");
    assert_eq!(key.type_(), "password");
    type_into(&root, "#backup-base-access-key", "S3cr3t!").await;
    assert!(
        !root.text_content().unwrap_or_default().contains("S3cr3t!"),
        "secret must not appear as text"
    );
    click(&root, "#backup-base-access-key + button.reveal").await;
    assert_eq!(input(&root, "#backup-base-access-key").type_(), "text");
    click(&root, "#backup-base-access-key + button.reveal").await;
    assert_eq!(input(&root, "#backup-base-access-key").type_(), "password");
    cleanup(root);
}

#[wasm_bindgen_test]
async fn storage_editor_builds_the_uri_and_raw_mode_round_trips() {
    let root = mount_page(Scope::Cluster).await;
    select(&root, "#backup-base-scheme", "cos").await;
    type_into(&root, "#backup-base-bucket", "bkt").await;
    type_into(&root, "#backup-base-key", "obbackup").await;
    type_into(&root, "#backup-base-host", "cos.example.com").await;
    type_into(&root, "#backup-base-appid", "1250000000").await;
    type_into(&root, "#backup-base-access-id", "AKID").await;
    type_into(&root, "#backup-base-access-key", "SK&x").await;
    let preview = text(&root, ".uri-preview code");
    assert_eq!(preview, "cos://bkt/obbackup?host=cos.example.com&appid=1250000000");
    // Raw mode shows the full URI (masked, since it holds a key) and comes back to the fields.
    click_text(&root, "button", "Raw URI").await;
    let raw = input(&root, "#backup-base-raw");
    assert_eq!(raw.type_(), "password");
    assert_eq!(
        raw.value(),
        "cos://bkt/obbackup?host=cos.example.com&appid=1250000000&access_id=AKID&access_key=SK%26x"
    );
    set_value(
        &root,
        "#backup-base-raw",
        "oss://other/p?host=h&access_id=a&access_key=k",
    )
    .await;
    click_text(&root, "button", "Fields").await;
    assert_eq!(input(&root, "#backup-base-bucket").value(), "other");
    assert_eq!(input(&root, "#backup-base-host").value(), "h");
    // A URI the fields cannot show keeps raw mode and says why.
    click_text(&root, "button", "Raw URI").await;
    set_value(&root, "#backup-base-raw", "cos://b/p?host=h").await;
    click_text(&root, "button", "Fields").await;
    assert!(root.text_content().unwrap().contains("cos appid is required"));
    assert!(root.query_selector("#backup-base-raw").unwrap().is_some());
    cleanup(root);
}

#[wasm_bindgen_test]
async fn invalid_values_are_shown_next_to_their_field_and_nothing_is_reviewed() {
    let root = mount_page(Scope::Cluster).await;
    type_into(&root, "#backup-base-path", "data/backup").await;
    type_into(&root, "#log-archive-concurrency", "101").await;
    type_into(&root, "#ha-low-thread-score", "1.5").await;
    assert_eq!(
        text(&root, "#log-archive-concurrency-msg"),
        "log_archive_concurrency must be between 0 and 100"
    );
    assert_eq!(
        input(&root, "#log-archive-concurrency")
            .get_attribute("aria-invalid")
            .as_deref(),
        Some("true")
    );
    assert_eq!(text(&root, "#ha-low-thread-score-msg"), "Enter a whole number.");
    assert!(text(&root, "#backup-base-msg").contains("must start with '/'"));
    // The directory is the field at fault: marked invalid and described by that message.
    let dir = input(&root, "#backup-base-path");
    assert_eq!(dir.get_attribute("aria-invalid").as_deref(), Some("true"));
    assert!(dir
        .get_attribute("aria-describedby")
        .unwrap_or_default()
        .split(' ')
        .any(|id| id == "backup-base-msg"));
    submit(&root).await;
    assert!(
        root.query_selector("pre.json").unwrap().is_none(),
        "no review for invalid input"
    );
    cleanup(root);
}

#[wasm_bindgen_test]
async fn update_sends_only_the_changed_fields() {
    let root = mount_page(Scope::Cluster).await;
    click_text(&root, "label.radio", "Update (PATCH)").await;
    type_into(&root, "#ha-low-thread-score", "40").await;
    submit(&root).await;
    let body: serde_json::Value = serde_json::from_str(&text(&root, "pre.json")).unwrap();
    assert_eq!(body, serde_json::json!({"ha_low_thread_score": 40}));
    // A bare number takes the unit the setting is usually given in: minutes for the lag target.
    click_text(&root, "button", "Back").await;
    type_into(&root, "#archive-lag-target", "2").await;
    submit(&root).await;
    let body: serde_json::Value = serde_json::from_str(&text(&root, "pre.json")).unwrap();
    assert_eq!(
        body,
        serde_json::json!({"ha_low_thread_score": 40, "archive_lag_target": "2m"})
    );
    cleanup(root);
}

#[wasm_bindgen_test]
async fn binding_and_piece_interval_bring_the_base_uri_and_each_other_or_are_refused() {
    let root = mount_page(Scope::Cluster).await;
    click_text(&root, "label.radio", "Update (PATCH)").await;
    select(&root, "#binding", "MANDATORY").await;
    submit(&root).await;
    assert!(root.query_selector("pre.json").unwrap().is_none());
    assert_eq!(
        text(&root, "#binding-msg"),
        "backup_base_uri cannot be empty: If binding is set, backup_base_uri must be set"
    );
    type_into(&root, "#backup-base-path", "/data/backup").await;
    submit(&root).await;
    let body: serde_json::Value = serde_json::from_str(&text(&root, "pre.json")).unwrap();
    assert_eq!(
        body,
        serde_json::json!({"backup_base_uri": "file:///data/backup", "binding": "MANDATORY", "piece_switch_interval": "1d"}),
        "the interval the form shows goes with the destination: it is never left to OceanBase's default"
    );
    cleanup(root);
}

#[wasm_bindgen_test]
async fn review_redacts_credentials_and_lists_side_effects() {
    let root = mount_page(Scope::Cluster).await;
    click_text(&root, "button", "Raw URI").await;
    set_value(
        &root,
        "#backup-base-raw",
        "s3://b/k?host=s3.example.com&access_id=AKIA&access_key=TOPSECRET",
    )
    .await;
    submit(&root).await;
    let shown = text(&root, "pre.json");
    assert!(
        shown.contains("s3://b/k?host=s3.example.com") && !shown.contains("TOPSECRET") && !shown.contains("AKIA"),
        "{shown}"
    );
    let all = root.text_content().unwrap();
    assert!(all.contains("Log archiving is switched off"), "{all}");
    assert!(all.contains("Applies to every user tenant"));
    cleanup(root);
}

#[wasm_bindgen_test]
async fn a_draft_survives_leaving_the_page_and_coming_back() {
    use leptos::prelude::*;
    use obshell_console::pages::backup::BackupPage;
    let root: web_sys::HtmlElement = document().create_element("div").unwrap().unchecked_into();
    root.set_class_name("obshell-console");
    document().body().unwrap().append_child(&root).unwrap();
    let shown = RwSignal::new(true);
    let handle = leptos::mount::mount_to(root.clone(), move || {
        provide_test_mount();
        view! { <Show when=move || shown.get()><BackupPage scope=Scope::Cluster/></Show> }
    });
    handle.forget();
    settle().await;
    type_into(&root, "#backup-base-path", "/data/kept").await;
    type_into(&root, "#ha-low-thread-score", "12").await;
    shown.set(false);
    settle().await;
    assert!(root.query_selector("#backup-base-path").unwrap().is_none());
    shown.set(true);
    settle().await;
    assert_eq!(input(&root, "#backup-base-path").value(), "/data/kept");
    assert_eq!(input(&root, "#ha-low-thread-score").value(), "12");
    cleanup(root);
}
