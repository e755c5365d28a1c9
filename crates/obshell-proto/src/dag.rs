//! Task DAGs (`ob/agent/engine/task/task_dto.go`): DTOs, states, operators, generic ids, and the
//! rules the UI needs — current node, progress, elapsed time, and which operations the agent
//! would accept now (`ob/agent/service/task/dag.go`, `getNodesCanRollback` & co).

use crate::envelope::AgentInfo;
use crate::errors::codes;
use crate::time::{known, Timestamp};
use crate::AgentError;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::fmt;

macro_rules! wire_enum {
    ($(#[$m:meta])* $name:ident { $($variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        pub enum $name {
            $($variant,)+
            /// A value a newer agent may send; kept verbatim.
            Unknown(String),
        }

        impl $name {
            pub fn as_str(&self) -> &str {
                match self {
                    $($name::$variant => $text,)+
                    $name::Unknown(s) => s,
                }
            }

            pub fn parse(s: &str) -> $name {
                match s {
                    $($text => $name::$variant,)+
                    other => $name::Unknown(other.to_string()),
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                Ok($name::parse(&String::deserialize(d)?))
            }
        }
    };
}

wire_enum!(
    /// DAG, node and sub-task state.
    TaskState { Pending = "PENDING", Ready = "READY", Running = "RUNNING", Failed = "FAILED", Succeed = "SUCCEED" }
);

wire_enum!(
    /// What a DAG, node or sub-task is doing: running forward, retrying, rolling back, ….
    TaskOperator { Run = "RUN", Retry = "RETRY", Rollback = "ROLLBACK", Cancel = "CANCEL", Pass = "PASS" }
);

impl TaskState {
    /// READY or RUNNING (or PENDING): the agent is still working on it.
    pub fn is_active(&self) -> bool {
        matches!(self, TaskState::Pending | TaskState::Ready | TaskState::Running)
    }
    /// FAILED or SUCCEED (`TaskInfo.IsFinished`).
    pub fn is_finished(&self) -> bool {
        matches!(self, TaskState::Failed | TaskState::Succeed)
    }
}

/// `maintenance_type` values.
pub mod maintenance {
    pub const NOT_BOOTSTRAP: i32 = 0;
    pub const NOT_UNDER_MAINTENANCE: i32 = 1;
    pub const GLOBAL_MAINTENANCE: i32 = 2;
    pub const TENANT_MAINTENANCE: i32 = 3;
    pub const OBPROXY_MAINTENANCE: i32 = 4;
}

/// `DagDetailDTO`, keys in the agent's order. Every field but `id` is defaulted so a newer or
/// older agent's variant still decodes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DagDetail {
    pub id: String,
    #[serde(default)]
    pub dag_id: i64,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub stage: i32,
    #[serde(default)]
    pub max_stage: i32,
    #[serde(default)]
    pub maintenance_type: i32,
    #[serde(default)]
    pub maintenance_key: String,
    #[serde(default = "pending")]
    pub state: TaskState,
    #[serde(default = "run")]
    pub operator: TaskOperator,
    #[serde(default = "zero_time")]
    pub start_time: String,
    #[serde(default = "zero_time")]
    pub end_time: String,
    #[serde(default)]
    pub additional_data: Option<Map<String, Value>>,
    #[serde(default)]
    pub nodes: Option<Vec<NodeDetail>>,
}

/// `NodeDetailDTO`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NodeDetail {
    pub id: String,
    #[serde(default)]
    pub node_id: i64,
    #[serde(default)]
    pub name: String,
    #[serde(default = "pending")]
    pub state: TaskState,
    #[serde(default = "run")]
    pub operator: TaskOperator,
    #[serde(default = "zero_time")]
    pub start_time: String,
    #[serde(default = "zero_time")]
    pub end_time: String,
    #[serde(default)]
    pub additional_data: Option<Map<String, Value>>,
    #[serde(default)]
    pub sub_tasks: Option<Vec<TaskDetail>>,
}

/// `TaskDetailDTO` (a sub-task).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TaskDetail {
    pub id: String,
    #[serde(default)]
    pub task_id: i64,
    #[serde(default)]
    pub name: String,
    #[serde(default = "pending")]
    pub state: TaskState,
    #[serde(default = "run")]
    pub operator: TaskOperator,
    #[serde(default = "zero_time")]
    pub start_time: String,
    #[serde(default = "zero_time")]
    pub end_time: String,
    #[serde(default)]
    pub additional_data: Option<Map<String, Value>>,
    #[serde(default)]
    pub execute_times: i32,
    #[serde(default)]
    pub execute_agent: AgentInfo,
    #[serde(default)]
    pub task_logs: Option<Vec<String>>,
}

/// A row of `GET /api/v1/task/sub_task/{id}/logs` (`bo.SubTaskLog`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubTaskLog {
    #[serde(default)]
    pub id: i64,
    #[serde(default)]
    pub sub_task_id: i64,
    #[serde(default)]
    pub execute_times: i32,
    #[serde(default)]
    pub log_content: String,
    #[serde(default)]
    pub is_sync: bool,
    #[serde(default = "zero_time")]
    pub create_time: String,
    #[serde(default = "zero_time")]
    pub update_time: String,
}

/// `POST /api/v1/task/dag/{id}` and `/task/node/{id}` body.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OperatorRequest {
    pub operator: String,
}

fn pending() -> TaskState {
    TaskState::Pending
}
fn run() -> TaskOperator {
    TaskOperator::Run
}
fn zero_time() -> String {
    crate::time::ZERO_TIME.to_string()
}

// ---------------------------------------------------------------------------------------------
// Generic ids

/// Where a task lives, decoded from its generic id (`ConvertGenericID`, protocol §6.2).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GenericId {
    /// `"1" + id`: a cluster task stored in OceanBase (all backup DAGs).
    Cluster(i64),
    /// `"2"`/`"3"`: a local task of one agent; `"4"`/`"5"`: an obproxy task. `ip` is the agent's
    /// address as the big integer the id spells (IPv4 or IPv6), `port` its port.
    Local { kind: u8, ip: u128, port: i64, id: i64 },
}

impl GenericId {
    /// The generic id of a cluster DAG, node or sub-task.
    pub fn cluster(id: i64) -> String {
        format!("1{id}")
    }

    /// Parses like the agent, with its `Task.GenericID.Invalid` errors, byte by byte as Go
    /// slices the string: kind digit, then for local/obproxy ids the address (10 digits for
    /// IPv4, 39 for IPv6, a `big.Int` whose bytes must make an IP) and a 5-character port
    /// (`strconv.Atoi`), then the id (`strconv.ParseInt`).
    pub fn parse(s: &str) -> Result<GenericId, AgentError> {
        let invalid = || codes::TASK_GENERIC_ID_INVALID.occur(&[&s]);
        let b = s.as_bytes();
        let (kind, ip_end, v6) = match b.first() {
            Some(b'1') if b.len() > 1 => (1, 0, false),
            Some(k @ (b'2' | b'4')) if b.len() > 16 => (k - b'0', 11, false),
            Some(k @ (b'3' | b'5')) if b.len() > 45 => (k - b'0', 40, true),
            Some(b'1'..=b'5') => return Err(invalid()),
            _ => return Err(invalid().wrap_as_detail("invalid generic id")),
        };
        let id_start = if kind == 1 { 1 } else { ip_end + 5 };
        let parse_tail = || {
            let tail = String::from_utf8_lossy(&b[id_start..]);
            crate::go::strconv::parse_int(&tail).map_err(|e| invalid().wrap_as_detail(e))
        };
        if kind == 1 {
            return Ok(GenericId::Cluster(parse_tail()?));
        }
        let ip = go_big_int(&b[1..ip_end]).ok_or_else(|| invalid().wrap_as_detail("convert id to bigInt failed"))?;
        // `net.IP(ipInt.Bytes())` then `To4()` (4 bytes) or `To16()` (4 or 16 bytes).
        let byte_len = ip.map_or(17, |v| (128 - v.leading_zeros() as usize).div_ceil(8));
        let is_ip = if v6 {
            byte_len == 4 || byte_len == 16
        } else {
            byte_len == 4
        };
        let ip = ip
            .filter(|_| is_ip)
            .ok_or_else(|| invalid().wrap_as_detail("convert id to ip failed"))?;
        let port = crate::go::strconv::atoi(&b[ip_end..ip_end + 5])
            .ok_or_else(|| invalid().wrap_as_detail("parse port failed"))?;
        Ok(GenericId::Local {
            kind,
            ip,
            port,
            id: parse_tail()?,
        })
    }
}

/// `new(big.Int).SetString(s, 10)`'s magnitude: optional sign, then decimal digits only.
/// `Some(None)`: valid but beyond 128 bits (then it is no IP anyway).
fn go_big_int(s: &[u8]) -> Option<Option<u128>> {
    let digits = s.strip_prefix(b"+").or_else(|| s.strip_prefix(b"-")).unwrap_or(s);
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(
        digits
            .iter()
            .try_fold(0u128, |n, d| n.checked_mul(10)?.checked_add(u128::from(d - b'0'))),
    )
}

impl AgentError {
    /// Appends a detail after the message (`OccurWithMessage`-style chain).
    fn wrap_as_detail(self, detail: impl Into<String>) -> AgentError {
        self.push_detail(detail)
    }
}

// ---------------------------------------------------------------------------------------------
// What each node allows (the sub-tasks' `SetCan…` flags, which the wire does not carry)

/// The operations a node allows, from its sub-tasks' flags in the agent's task templates.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NodeAbilities {
    pub retry: bool,
    pub rollback: bool,
    pub cancel: bool,
    pub pass: bool,
}

impl NodeAbilities {
    pub const ALL: NodeAbilities = NodeAbilities {
        retry: true,
        rollback: true,
        cancel: true,
        pass: true,
    };

    /// Known node names of the backup DAGs; any other node is assumed to allow everything and
    /// the agent stays the judge.
    pub fn of(node_name: &str) -> NodeAbilities {
        match node_name {
            // `newSetBackupConfigTask`: SetCanRetry().SetCanContinue().SetCanPass().SetCanCancel()
            names::SET_BACKUP_CONFIG => NodeAbilities {
                rollback: false,
                ..NodeAbilities::ALL
            },
            _ => NodeAbilities::ALL,
        }
    }
}

/// Names of the backup DAGs and their nodes, as the agent writes them.
pub mod names {
    pub const SET_CLUSTER_BACKUP_CONFIG: &str = "Set obcluster backup config";
    pub const CHECK_BACKUP_CONFIG: &str = "Check backup config";
    pub const SET_BACKUP_CONFIG: &str = "Set backup config";
    pub const START_FULL_BACKUP: &str = "Obcluster start full backup";
    pub const START_INCREMENTAL_BACKUP: &str = "Obcluster start increment backup";
    pub const CHECK_DESTINATION: &str = "Check destination";
    pub const OPEN_ARCHIVE_LOG: &str = "Open archive log";
    pub const START_BACKUP: &str = "Start backup";
    pub const WAIT_BACKUP_FINISH: &str = "Wait backup Finish";

    /// `Set obcluster backup config for <tenant>`.
    pub fn set_tenant_backup_config(tenant: &str) -> String {
        format!("{SET_CLUSTER_BACKUP_CONFIG} for {tenant}")
    }
}

/// A DAG operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DagOperation {
    Retry,
    Rollback,
    Cancel,
    Pass,
}

impl DagOperation {
    pub const ALL: [DagOperation; 4] = [
        DagOperation::Retry,
        DagOperation::Cancel,
        DagOperation::Pass,
        DagOperation::Rollback,
    ];

    pub fn operator(self) -> &'static str {
        match self {
            DagOperation::Retry => "RETRY",
            DagOperation::Rollback => "ROLLBACK",
            DagOperation::Cancel => "CANCEL",
            DagOperation::Pass => "PASS",
        }
    }

    /// Case-insensitive, as the agent upper-cases the operator.
    pub fn parse(op: &str) -> Result<DagOperation, AgentError> {
        match crate::go::strings::to_upper(op).as_str() {
            "RETRY" => Ok(DagOperation::Retry),
            "ROLLBACK" => Ok(DagOperation::Rollback),
            "CANCEL" => Ok(DagOperation::Cancel),
            "PASS" => Ok(DagOperation::Pass),
            _ => Err(codes::TASK_DAG_OPERATOR_NOT_SUPPORT.occur(&[&op])),
        }
    }

    /// The SDKs' success criterion: the (state, operator) a DAG ends in when this operation worked.
    pub fn success_state(self) -> (TaskState, TaskOperator) {
        match self {
            DagOperation::Retry => (TaskState::Succeed, TaskOperator::Run),
            DagOperation::Rollback => (TaskState::Succeed, TaskOperator::Rollback),
            DagOperation::Cancel => (TaskState::Failed, TaskOperator::Cancel),
            DagOperation::Pass => (TaskState::Succeed, TaskOperator::Pass),
        }
    }
}

impl DagDetail {
    pub fn nodes(&self) -> &[NodeDetail] {
        self.nodes.as_deref().unwrap_or(&[])
    }

    /// The node the user should look at: first FAILED, else RUNNING, else READY, else PENDING,
    /// else the last SUCCEED one (the dashboard's `getLatestNode`). A finished DAG points at the
    /// node where it ended, never at one that did not run (a rolled-back DAG's later stages are
    /// PENDING: none of them is "current").
    pub fn current_node(&self) -> Option<&NodeDetail> {
        let nodes = self.nodes();
        if self.state.is_finished() {
            let ran = |n: &&NodeDetail| !matches!(n.state, TaskState::Pending | TaskState::Ready);
            return nodes
                .iter()
                .find(|n| n.state == TaskState::Failed)
                .or_else(|| nodes.iter().rev().find(ran))
                .or_else(|| nodes.first());
        }
        [
            TaskState::Failed,
            TaskState::Running,
            TaskState::Ready,
            TaskState::Pending,
        ]
        .iter()
        .find_map(|s| nodes.iter().find(|n| &n.state == s))
        .or_else(|| nodes.iter().rev().find(|n| n.state == TaskState::Succeed))
    }

    /// Progress in `[0, 1]`: finished nodes plus the finished share of the current node's
    /// sub-tasks, over all nodes. A SUCCEED DAG is 1, unless it succeeded by rolling back (its
    /// work was undone where it stopped).
    pub fn progress(&self) -> f64 {
        if self.state == TaskState::Succeed && self.operator != TaskOperator::Rollback {
            return 1.0;
        }
        let nodes = self.nodes();
        if nodes.is_empty() {
            let max = self.max_stage.max(1) as f64;
            return ((self.stage - 1).max(0) as f64 / max).clamp(0.0, 1.0);
        }
        let mut done = 0.0;
        for n in nodes {
            if n.state == TaskState::Succeed {
                done += 1.0;
            } else {
                let subs = n.sub_tasks.as_deref().unwrap_or(&[]);
                if !subs.is_empty() {
                    done += subs.iter().filter(|t| t.state == TaskState::Succeed).count() as f64 / subs.len() as f64;
                }
            }
        }
        (done / nodes.len() as f64).clamp(0.0, 1.0)
    }

    /// Why a DAG that is no longer FAILED failed before it was retried, rolled back or passed:
    /// the last `ERROR: …` line its sub-tasks logged (the logs of every run are kept).
    pub fn earlier_failure(&self) -> Option<FailureLine<'_>> {
        if self.state == TaskState::Failed || self.operator == TaskOperator::Run {
            return None;
        }
        self.nodes().iter().rev().find_map(|n| {
            n.sub_tasks.as_deref()?.iter().find_map(|t| {
                let line = t
                    .task_logs
                    .as_deref()?
                    .iter()
                    .rev()
                    .find(|l| l.starts_with("ERROR: "))?;
                Some(FailureLine { node: n, task: t, line })
            })
        })
    }

    /// Elapsed milliseconds: `end − start`, or `now − start` while not finished; `None` while the
    /// start time is unknown.
    pub fn elapsed_ms(&self, now_unix_ms: i64) -> Option<i64> {
        elapsed_ms(&self.state, &self.start_time, &self.end_time, now_unix_ms)
    }

    /// The `ERROR: [code]: message` line of the first failed sub-task, if the DAG failed.
    pub fn failure_line(&self) -> Option<FailureLine<'_>> {
        if self.state != TaskState::Failed {
            return None;
        }
        self.nodes()
            .iter()
            .filter(|n| n.state == TaskState::Failed)
            .find_map(|n| {
                n.sub_tasks
                    .as_deref()?
                    .iter()
                    .filter(|t| t.state == TaskState::Failed)
                    .find_map(|t| {
                        let logs = t.task_logs.as_deref()?;
                        let line = logs.iter().rev().find(|l| l.starts_with("ERROR: ")).or(logs.last())?;
                        Some(FailureLine { node: n, task: t, line })
                    })
            })
    }

    /// Whether the agent would accept `op` now. Needs `nodes` (a `show_details=true` DAG).
    pub fn check_operation(&self, op: DagOperation) -> Result<(), AgentError> {
        let nodes = self.nodes();
        match op {
            DagOperation::Retry => {
                if self.state != TaskState::Failed {
                    return Err(codes::TASK_DAG_OPERATOR_RETRY_NOT_FAILED_DAG.occur(&[]));
                }
                let node = usize::try_from(self.stage - 1).ok().and_then(|i| nodes.get(i));
                match node {
                    Some(n) if !NodeAbilities::of(&n.name).retry => {
                        Err(codes::TASK_DAG_OPERATOR_RETRY_NOT_ALLOWED.occur(&[&n.name]))
                    }
                    Some(_) => Ok(()),
                    None => Err(codes::TASK_NOT_FOUND_WITH_REASON.occur(&[&"record not found"])),
                }
            }
            DagOperation::Rollback => {
                if self.state != TaskState::Failed {
                    return Err(codes::TASK_DAG_OPERATOR_ROLLBACK_NOT_FAILED_DAG.occur(&[]));
                }
                let mut count = 0;
                for n in nodes {
                    if n.operator != TaskOperator::Rollback && n.state == TaskState::Pending {
                        break;
                    }
                    if !NodeAbilities::of(&n.name).rollback {
                        return Err(codes::TASK_DAG_OPERATOR_ROLLBACK_NOT_ALLOWED.occur(&[&n.name]));
                    }
                    count += 1;
                    if n.state == TaskState::Failed {
                        break;
                    }
                }
                if count == 0 {
                    return Err(codes::COMMON_UNEXPECTED.occur(&[&"failed to set dag rollback: no node failed"]));
                }
                Ok(())
            }
            DagOperation::Cancel => {
                if self.state.is_finished() {
                    return Err(codes::TASK_DAG_OPERATOR_CANCEL_FINISHED_DAG.occur(&[]));
                }
                for n in nodes {
                    if !NodeAbilities::of(&n.name).cancel {
                        return Err(codes::TASK_DAG_OPERATOR_CANCEL_NOT_ALLOWED.occur(&[&n.name]));
                    }
                    if !n.state.is_finished() {
                        return Ok(());
                    }
                }
                if nodes.is_empty() {
                    return Err(codes::COMMON_UNEXPECTED.occur(&[&"failed to cancel dag: no node found"]));
                }
                Ok(())
            }
            DagOperation::Pass => {
                if self.state != TaskState::Failed {
                    return Err(codes::TASK_DAG_OPERATOR_PASS_NOT_FAILED_DAG.occur(&[]));
                }
                for n in nodes.iter().filter(|n| n.state != TaskState::Succeed) {
                    if !NodeAbilities::of(&n.name).pass {
                        return Err(codes::TASK_DAG_OPERATOR_PASS_NOT_ALLOWED.occur(&[&n.name]));
                    }
                }
                Ok(())
            }
        }
    }

    /// The operations the agent would accept now, in display order.
    pub fn allowed_operations(&self) -> Vec<DagOperation> {
        DagOperation::ALL
            .into_iter()
            .filter(|op| self.check_operation(*op).is_ok())
            .collect()
    }

    /// Whether `POST /task/node/{id} {"operator":"PASS"}` would be accepted for `node`.
    pub fn check_node_pass(&self, node: &NodeDetail) -> Result<(), AgentError> {
        if self.state != TaskState::Failed {
            return Err(codes::TASK_NODE_OPERATOR_PASS_NOT_FAILED_DAG.occur(&[]));
        }
        if node.state != TaskState::Failed {
            return Err(codes::TASK_NODE_OPERATOR_PASS_NOT_FAILED_NODE.occur(&[&node.name]));
        }
        if !NodeAbilities::of(&node.name).pass {
            return Err(codes::TASK_NODE_OPERATOR_PASS_NOT_ALLOWED.occur(&[&node.name]));
        }
        Ok(())
    }
}

/// The surfaced failure of a DAG: which node and sub-task, and the log line.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FailureLine<'a> {
    pub node: &'a NodeDetail,
    pub task: &'a TaskDetail,
    pub line: &'a str,
}

impl FailureLine<'_> {
    /// `(errCode, message)` of an `ERROR: [code]: message` line.
    pub fn parsed(&self) -> Option<(&str, &str)> {
        parse_error_line(self.line)
    }
}

/// Splits `ERROR: [<errCode>]: <message>`.
pub fn parse_error_line(line: &str) -> Option<(&str, &str)> {
    let rest = line.strip_prefix("ERROR: [")?;
    let (code, msg) = rest.split_once("]: ")?;
    Some((code, msg))
}

/// Elapsed milliseconds of anything with a state and start/end times.
pub fn elapsed_ms(state: &TaskState, start: &str, end: &str, now_unix_ms: i64) -> Option<i64> {
    let start: Timestamp = known(start)?;
    let end_ms = if state.is_finished() {
        known(end).map(|e| e.unix_millis()).unwrap_or(now_unix_ms)
    } else {
        now_unix_ms
    };
    Some((end_ms - start.unix_millis()).max(0))
}
