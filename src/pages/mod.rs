//! The console's routes.

pub mod backup;
pub mod chunks;
pub mod history;
pub mod overview;
pub mod sign_in;
pub mod task_list;
pub mod task_view;
