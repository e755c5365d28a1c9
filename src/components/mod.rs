//! Reusable views.

pub mod dag_model;
pub mod dag_operations;
pub mod dag_panel;
pub mod dag_status;
pub mod duration_field;
pub mod error_panel;
pub mod fields;
pub mod modal;
pub mod poll;
pub mod reauth_dialog;
pub mod review_dialog;
pub mod storage_editor;
pub mod task_indicator;
pub mod task_logs;
pub mod timeline;
