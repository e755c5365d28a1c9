//! Reusable views.

pub mod duration_field;
pub mod error_panel;
pub mod fields;
pub mod reauth_dialog;
pub mod storage_editor;
pub mod task_indicator;
pub mod timeline;
