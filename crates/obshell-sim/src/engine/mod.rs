//! The task engine: DAG rows, the 1-second scheduler (`ob/agent/engine/scheduler`), the executor
//! that runs sub-tasks, and the DAG/node operations (`ob/agent/service/task`).
//!
//! Each [`Engine::tick`] runs, in order: OceanBase's own progress
//! ([`Cluster::tick`](crate::cluster::Cluster::tick)), one `advanceDag` per unfinished DAG exactly
//! as the agent's scheduler does, then the executor (sub-tasks made READY in an earlier tick start
//! RUNNING; RUNNING ones advance a few steps), which on the agent runs asynchronously between
//! scheduler ticks. So a poller sees every intermediate state the real agent shows: sub-tasks
//! READY, then RUNNING with growing logs, then SUCCEED while the node is still RUNNING; then node
//! SUCCEED with `stage`+1; then the next node RUNNING with its sub-task READY; and so on.
//!
//! This module holds the [`Engine`] (the tables and DAG creation); [`model`] the rows and their
//! DTOs, [`programs`] what each sub-task does, `scheduler` the tick, [`ops`] the DAG and node
//! operations. The children add `impl Engine` blocks rather than being called from here, so
//! imports only go from a child to its parent or a sibling.

pub(crate) mod model;
pub(crate) mod ops;
pub(crate) mod programs;
mod scheduler;

use crate::cluster::TenantRef;
use model::{Dag, Node, Op, State, SubTask};
use obshell_proto::dag::{maintenance, names};
use obshell_proto::envelope::AgentInfo;
use obshell_proto::errors::codes;
use obshell_proto::AgentError;
use programs::{DagKind, TaskKind};
use std::collections::{BTreeMap, HashMap};

#[derive(Debug)]
pub(crate) struct Engine {
    pub dags: BTreeMap<i64, Dag>,
    /// node id → dag id
    node_index: HashMap<i64, i64>,
    /// sub-task id → (dag id, node position)
    task_index: HashMap<i64, (i64, usize)>,
    next_dag: i64,
    next_node: i64,
    next_task: i64,
    next_log: i64,
    pub tick_no: u64,
    /// Last DB time handed out: kept strictly increasing so start/end comparisons of the
    /// scheduler hold even when the clock is skewed backwards.
    last_time: i128,
    pub agents: Vec<AgentInfo>,
    /// Base simulated sub-task duration in ticks.
    pub task_ticks: u32,
}

/// A DAG template: nodes in stage order.
struct Template {
    name: String,
    maintenance_type: i32,
    maintenance_key: String,
    nodes: Vec<(TaskKind, &'static str, bool)>,
}

impl Engine {
    pub(crate) fn new(agents: Vec<AgentInfo>, task_ticks: u32) -> Engine {
        Engine {
            dags: BTreeMap::new(),
            node_index: HashMap::new(),
            task_index: HashMap::new(),
            // Cluster task tables are OceanBase auto-increment columns: start at 1.
            next_dag: 1,
            next_node: 1,
            next_task: 1,
            next_log: 1,
            tick_no: 0,
            last_time: 0,
            agents,
            task_ticks,
        }
    }

    /// A DB timestamp (µs) never earlier than the previous one.
    pub(crate) fn db_time(&mut self, now: i128) -> i128 {
        let t = crate::clock::truncate_micros(now).max(self.last_time + 1000);
        self.last_time = t;
        t
    }

    pub(crate) fn dag(&self, id: i64) -> Option<&Dag> {
        self.dags.get(&id)
    }

    pub(crate) fn node(&self, id: i64) -> Option<(&Dag, &Node)> {
        let dag = self.dags.get(self.node_index.get(&id)?)?;
        Some((dag, dag.nodes.iter().find(|n| n.id == id)?))
    }

    pub(crate) fn sub_task(&self, id: i64) -> Option<&SubTask> {
        let (d, n) = self.task_index.get(&id)?;
        self.dags.get(d)?.nodes.get(*n)?.subs.iter().find(|s| s.id == id)
    }

    /// `CreateDagInstanceByTemplate`, including the tenant maintenance lock check
    /// (`StartMaintenance`).
    fn create(&mut self, tpl: Template, kind: DagKind, now: i128) -> Result<i64, AgentError> {
        if tpl.maintenance_type == maintenance::TENANT_MAINTENANCE {
            let locked = self.dags.values().any(|d| {
                d.maintenance_type == maintenance::TENANT_MAINTENANCE
                    && d.maintenance_key == tpl.maintenance_key
                    && !d.is_finished
            });
            if locked {
                return Err(codes::OB_TENANT_UNDER_MAINTENANCE
                    .occur(&[&tpl.maintenance_key])
                    .wrap_retain(&codes::TASK_CREATE_FAILED, &[&tpl.name]));
            }
        }
        let t = self.db_time(now);
        let dag_id = self.next_dag;
        self.next_dag += 1;
        let mut nodes = Vec::new();
        for (pos, (task, name, parallel)) in tpl.nodes.iter().enumerate() {
            let node_id = self.next_node;
            self.next_node += 1;
            self.node_index.insert(node_id, dag_id);
            let agents: Vec<(usize, AgentInfo)> = if *parallel {
                self.agents.iter().cloned().enumerate().collect()
            } else {
                vec![(0, self.agents[0].clone())]
            };
            let mut subs = Vec::new();
            for (agent_index, agent) in agents {
                let id = self.next_task;
                self.next_task += 1;
                self.task_index.insert(id, (dag_id, pos));
                subs.push(SubTask {
                    id,
                    name,
                    kind: *task,
                    state: State::Pending,
                    op: Op::Run,
                    start: t,
                    end: t,
                    execute_times: 0,
                    agent,
                    agent_index,
                    logs: Vec::new(),
                    run: None,
                    ready_tick: 0,
                });
            }
            nodes.push(Node {
                id: node_id,
                name,
                state: State::Pending,
                op: Op::Run,
                start: t,
                end: t,
                subs,
            });
        }
        let max_stage = nodes.len() as i32;
        self.dags.insert(
            dag_id,
            Dag {
                id: dag_id,
                name: tpl.name,
                stage: 1,
                max_stage,
                maintenance_type: tpl.maintenance_type,
                maintenance_key: tpl.maintenance_key,
                state: State::Ready,
                op: Op::Run,
                start: t,
                end: t,
                is_finished: false,
                kind,
                nodes,
            },
        );
        Ok(dag_id)
    }

    /// `Set obcluster backup config[ for <tenant>]` (2 stages; the tenant variant takes the
    /// tenant maintenance lock).
    pub(crate) fn create_backup_config(
        &mut self,
        tenant: Option<TenantRef>,
        cfg: obshell_proto::backup::BackupConfig,
        now: i128,
    ) -> Result<i64, AgentError> {
        let (name, mt, key) = match &tenant {
            None => (
                names::SET_CLUSTER_BACKUP_CONFIG.to_string(),
                maintenance::NOT_UNDER_MAINTENANCE,
                String::new(),
            ),
            Some(t) => (
                names::set_tenant_backup_config(&t.name),
                maintenance::TENANT_MAINTENANCE,
                t.name.clone(),
            ),
        };
        let tpl = Template {
            name,
            maintenance_type: mt,
            maintenance_key: key,
            nodes: vec![
                (TaskKind::CheckBackupConfig, names::CHECK_BACKUP_CONFIG, true),
                (TaskKind::SetBackupConfig, names::SET_BACKUP_CONFIG, false),
            ],
        };
        self.create(
            tpl,
            DagKind::BackupConfig {
                tenant,
                cfg: Box::new(cfg),
            },
            now,
        )
    }

    /// `Obcluster start full|increment backup[ for <tenant>]` (4 stages, no lock).
    pub(crate) fn create_start_backup(
        &mut self,
        tenant: Option<TenantRef>,
        incremental: bool,
        encrypted: bool,
        plus_archive: bool,
        now: i128,
    ) -> Result<i64, AgentError> {
        let base = if incremental {
            names::START_INCREMENTAL_BACKUP
        } else {
            names::START_FULL_BACKUP
        };
        let name = match &tenant {
            None => base.to_string(),
            Some(t) => format!("{base} for {}", t.name),
        };
        let tpl = Template {
            name,
            maintenance_type: maintenance::NOT_UNDER_MAINTENANCE,
            maintenance_key: String::new(),
            nodes: vec![
                (TaskKind::CheckDestination, names::CHECK_DESTINATION, true),
                (TaskKind::OpenArchiveLog, names::OPEN_ARCHIVE_LOG, false),
                (TaskKind::StartBackup, names::START_BACKUP, false),
                (TaskKind::WaitBackupFinish, names::WAIT_BACKUP_FINISH, false),
            ],
        };
        self.create(
            tpl,
            DagKind::StartBackup {
                tenant,
                incremental,
                encrypted,
                plus_archive,
            },
            now,
        )
    }

    pub(crate) fn push_log(&mut self, dag_id: i64, pos: usize, sub: usize, content: String, now: i128) {
        let id = self.next_log;
        self.next_log += 1;
        // `DEFAULT CURRENT_TIMESTAMP` of a `TIMESTAMP` column: the second it was written.
        let t = crate::clock::truncate_secs(now);
        if let Some(s) = self
            .dags
            .get_mut(&dag_id)
            .and_then(|d| d.nodes.get_mut(pos))
            .and_then(|n| n.subs.get_mut(sub))
        {
            s.logs.push(model::LogRow {
                id,
                execute_times: s.execute_times,
                content,
                time: t,
            });
        }
    }

    /// The most recent cluster maintenance DAG (`FindLastMaintenanceDag`): tenant or global
    /// maintenance DAGs, newest first.
    pub(crate) fn last_maintenance_dag(&self) -> Option<&Dag> {
        self.dags.values().rev().find(|d| {
            d.maintenance_type == maintenance::GLOBAL_MAINTENANCE
                || d.maintenance_type == maintenance::TENANT_MAINTENANCE
        })
    }
}
