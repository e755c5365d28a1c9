//! The task (DAG) views: the view model ([`model`]), status badges and the header
//! ([`status`]), the timeline of stages and agents ([`timeline`]), sub-task logs ([`logs`]),
//! the operations the agent accepts ([`operations`]) and the panel combining them ([`panel`]).

pub mod logs;
pub mod model;
pub mod operations;
pub mod panel;
pub mod status;
pub mod timeline;
