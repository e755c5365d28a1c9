//! Reusable views: form widgets ([`form`]), the task (DAG) views ([`dag`]), and the shared
//! dialogs and panels.

pub mod dag;
pub mod error_panel;
pub mod form;
pub mod modal;
pub mod reauth_dialog;
pub mod submit_outcome;
pub mod task_indicator;
pub mod time;
pub mod untrusted;
