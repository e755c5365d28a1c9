//! The task tables (`dag_instance`, `node_instance`, `sub_task_instance`, `sub_task_log`) held in
//! memory, and their rendering as the agent's DTOs.

use super::programs::{DagKind, Program, TaskKind};
use crate::clock::{Clock, GO_ZERO_NANOS};
use obshell_proto::dag::{DagDetail, GenericId, NodeDetail, SubTaskLog, TaskDetail, TaskOperator, TaskState};
use obshell_proto::envelope::AgentInfo;
use serde_json::Map;

/// `time.Unix(0, 0)`: what RETRY/ROLLBACK/CANCEL write into start/end times.
pub(crate) const EPOCH: i128 = 0;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum State {
    Pending,
    Ready,
    Running,
    Failed,
    Succeed,
}

impl State {
    pub(crate) fn finished(self) -> bool {
        matches!(self, State::Failed | State::Succeed)
    }
    pub(crate) fn wire(self) -> TaskState {
        match self {
            State::Pending => TaskState::Pending,
            State::Ready => TaskState::Ready,
            State::Running => TaskState::Running,
            State::Failed => TaskState::Failed,
            State::Succeed => TaskState::Succeed,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Op {
    Run,
    Retry,
    Rollback,
    Cancel,
    Pass,
}

impl Op {
    pub(crate) fn wire(self) -> TaskOperator {
        match self {
            Op::Run => TaskOperator::Run,
            Op::Retry => TaskOperator::Retry,
            Op::Rollback => TaskOperator::Rollback,
            Op::Cancel => TaskOperator::Cancel,
            Op::Pass => TaskOperator::Pass,
        }
    }
}

#[derive(Debug)]
pub(crate) struct LogRow {
    pub id: i64,
    pub execute_times: i32,
    pub content: String,
    /// `create_time`: the OceanBase table's column is a plain `TIMESTAMP` (whole seconds), unlike
    /// the DAG/node/sub-task `TIMESTAMP(6)` columns.
    pub time: i128,
}

#[derive(Debug)]
pub(crate) struct SubTask {
    pub id: i64,
    pub name: &'static str,
    pub kind: TaskKind,
    pub state: State,
    pub op: Op,
    pub start: i128,
    pub end: i128,
    pub execute_times: i32,
    pub agent: AgentInfo,
    /// Position of `agent` among the cluster's agents (drives the simulated duration).
    pub agent_index: usize,
    pub logs: Vec<LogRow>,
    /// The execution in progress (RUNNING) or queued (READY).
    pub run: Option<Program>,
    /// Tick in which the scheduler made it READY; the executor picks it up in a later tick.
    pub ready_tick: u64,
}

#[derive(Debug)]
pub(crate) struct Node {
    pub id: i64,
    pub name: &'static str,
    pub state: State,
    pub op: Op,
    pub start: i128,
    pub end: i128,
    /// One sub-task per agent for a parallel node, else one on the maintainer.
    pub subs: Vec<SubTask>,
}

#[derive(Debug)]
pub(crate) struct Dag {
    pub id: i64,
    pub name: String,
    pub stage: i32,
    pub max_stage: i32,
    pub maintenance_type: i32,
    pub maintenance_key: String,
    pub state: State,
    pub op: Op,
    pub start: i128,
    pub end: i128,
    pub is_finished: bool,
    pub kind: DagKind,
    pub nodes: Vec<Node>,
}

impl Dag {
    pub(crate) fn current_index(&self) -> usize {
        (self.stage.clamp(1, self.max_stage) - 1) as usize
    }
}

/// Renders rows as DTOs. `clock` supplies the zone; DB times are already micro-truncated.
pub(crate) struct Renderer<'a> {
    pub clock: &'a Clock,
}

impl Renderer<'_> {
    fn t(&self, nanos: i128) -> String {
        self.clock.render(nanos)
    }

    /// `task.NewDagDetailDTO(dag)` as the POST/PATCH handlers return it: the freshly inserted row
    /// with Go zero times (the DB default is not read back), no nodes.
    pub(crate) fn created(&self, d: &Dag) -> DagDetail {
        let mut dto = self.dag(d, false);
        dto.start_time = self.t(GO_ZERO_NANOS);
        dto.end_time = self.t(GO_ZERO_NANOS);
        dto
    }

    /// `convertDagDetailDTO(dag, showDetails)`.
    pub(crate) fn dag(&self, d: &Dag, details: bool) -> DagDetail {
        let mut dto = DagDetail {
            id: GenericId::cluster(d.id),
            dag_id: d.id,
            name: d.name.clone(),
            stage: d.stage,
            max_stage: d.max_stage,
            maintenance_type: d.maintenance_type,
            maintenance_key: d.maintenance_key.clone(),
            state: d.state.wire(),
            operator: d.op.wire(),
            start_time: self.t(d.start),
            end_time: self.t(d.end),
            additional_data: None,
            nodes: None,
        };
        if details {
            let nodes: Vec<NodeDetail> = d.nodes.iter().map(|n| self.node(n, false)).collect();
            // `SetVisible(true)`: merged node data; several nodes merge into `{}`, one node's
            // data is that node's own (`{}` only if it has several sub-tasks).
            dto.additional_data = match nodes.len() {
                0 => None,
                1 => (d.nodes[0].subs.len() > 1).then(Map::new),
                _ => Some(Map::new()),
            };
            dto.nodes = Some(nodes);
        }
        dto
    }

    /// A node; `visible` is what `GET /task/node/{id}` uses (`{}` for multi-sub-task nodes).
    pub(crate) fn node(&self, n: &Node, visible: bool) -> NodeDetail {
        NodeDetail {
            id: GenericId::cluster(n.id),
            node_id: n.id,
            name: n.name.to_string(),
            state: n.state.wire(),
            operator: n.op.wire(),
            start_time: self.t(n.start),
            end_time: self.t(n.end),
            additional_data: (visible && n.subs.len() > 1).then(Map::new),
            sub_tasks: Some(n.subs.iter().map(|s| self.sub_task(s)).collect()),
        }
    }

    pub(crate) fn sub_task(&self, s: &SubTask) -> TaskDetail {
        // `getSubTaskDetail` reads the logs only of a running or finished sub-task: a retried one
        // that is READY again shows none, not its earlier run's.
        let logs = (s.state == State::Running || s.state.finished())
            .then(|| s.logs.iter().map(|l| l.content.clone()).collect());
        TaskDetail {
            id: GenericId::cluster(s.id),
            task_id: s.id,
            name: s.name.to_string(),
            state: s.state.wire(),
            operator: s.op.wire(),
            start_time: self.t(s.start),
            end_time: self.t(s.end),
            additional_data: None,
            execute_times: s.execute_times,
            execute_agent: s.agent.clone(),
            task_logs: logs,
        }
    }

    pub(crate) fn logs(&self, s: &SubTask) -> Vec<SubTaskLog> {
        s.logs
            .iter()
            .map(|l| SubTaskLog {
                id: l.id,
                sub_task_id: s.id,
                execute_times: l.execute_times,
                log_content: l.content.clone(),
                // Cluster task logs are read from OceanBase, whose model has no `is_sync` column.
                is_sync: false,
                create_time: self.t(l.time),
                update_time: self.t(l.time),
            })
            .collect()
    }
}
