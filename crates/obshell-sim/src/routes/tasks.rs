//! Task routes (`task_handler.go`, `executor/task/{dag,node,sub_task}.go`).

use super::{bind, show_details, Out, Req};
use crate::engine::model::Renderer;
use crate::envelope::Data;
use crate::state::lock;
use obshell_proto::crypto::agent::recovery_error;
use obshell_proto::dag::{DagDetail, DagOperation, GenericId};
use obshell_proto::errors::codes;
use obshell_proto::AgentError;

/// `WrapRetain(ErrTaskNotFound, gorm.ErrRecordNotFound)`.
fn record_not_found() -> AgentError {
    codes::TASK_NOT_FOUND_WITH_REASON.occur(&[&"record not found"])
}

/// Parses a generic id; local ids (`2…`/`3…`, this or another agent's SQLite tasks) exist in no
/// table of the simulator, so they end as "record not found" like an unknown local task.
fn cluster_id(id: &str) -> Result<Option<i64>, AgentError> {
    classify(GenericId::parse(id)?)
}

fn classify(g: GenericId) -> Result<Option<i64>, AgentError> {
    match g {
        GenericId::Cluster(n) => Ok(Some(n)),
        GenericId::Local { kind, .. } if kind == 4 || kind == 5 => Err(codes::TASK_NOT_FOUND_WITH_REASON.occur(&[&"obproxy task not found"])),
        GenericId::Local { .. } => Ok(None),
    }
}

pub fn get_dag(r: &Req<'_>, id: &str) -> Out {
    let n = cluster_id(id)?;
    let details = show_details(r);
    let w = lock(&r.st.world);
    let dag = n.and_then(|n| w.engine.dag(n)).ok_or_else(record_not_found)?;
    if GenericId::cluster(dag.id) != id {
        return Err(codes::TASK_NOT_FOUND_WITH_REASON.occur(&[&"dag id not match"]));
    }
    let details = details.ok_or_else(recovery_error)?;
    Ok(Data::of(&Renderer { clock: &r.st.clock }.dag(dag, details)))
}

/// Body of `POST /task/dag/{id}` and `/task/node/{id}` (`task.DagOperator`): `operator`
/// (required) and the embedded DTO's `id`, which overrides the path id.
fn bind_operator(r: &Req<'_>) -> Result<(String, Option<String>), AgentError> {
    let (op, id) = bind(r.body, "task.DagOperator", "DagOperator", |d| (d.string("operator", "operator"), d.string("id", "DagDetailDTO.GenericDTO.id")))?;
    match op {
        Some(op) if !op.is_empty() => Ok((op, id)),
        _ => Err(codes::COMMON_BIND_JSON_FAILED.occur(&[&"Key: 'DagOperator.Operator' Error:Field validation for 'Operator' failed on the 'required' tag"])),
    }
}

pub fn operate_dag(r: &Req<'_>, id: &str) -> Out {
    // The agent parses the id, then binds the body, then looks at where the task lives.
    let g = GenericId::parse(id)?;
    let (op, body_id) = bind_operator(r)?;
    let n = classify(g)?;
    let id = body_id.unwrap_or_else(|| id.to_string());
    let mut w = lock(&r.st.world);
    let dag = n.and_then(|n| w.engine.dag(n)).ok_or_else(record_not_found)?;
    if GenericId::cluster(dag.id) != id {
        return Err(codes::TASK_NOT_FOUND_WITH_REASON.occur(&[&"dag id not match"]));
    }
    let dag_id = dag.id;
    let op = DagOperation::parse(&op)?;
    w.engine.operate_dag(dag_id, op, r.now)?;
    Ok(Data::Omit)
}

pub fn get_node(r: &Req<'_>, id: &str) -> Out {
    let n = cluster_id(id)?;
    let details = show_details(r);
    let w = lock(&r.st.world);
    let (_, node) = n.and_then(|n| w.engine.node(n)).ok_or_else(record_not_found)?;
    // `show_details=false` leaves the DTO nil and the agent panics on it.
    match details {
        Some(true) => Ok(Data::of(&Renderer { clock: &r.st.clock }.node(node, true))),
        _ => Err(recovery_error()),
    }
}

pub fn operate_node(r: &Req<'_>, id: &str) -> Out {
    let g = GenericId::parse(id)?;
    let (op, _) = bind_operator(r)?;
    if op.to_uppercase() != "PASS" {
        return Err(codes::TASK_NODE_OPERATOR_NOT_SUPPORT.occur(&[&op]));
    }
    let n = classify(g)?;
    let mut w = lock(&r.st.world);
    let node_id = n.and_then(|n| w.engine.node(n)).map(|(_, node)| node.id).ok_or_else(record_not_found)?;
    w.engine.pass_node(node_id, r.now)?;
    Ok(Data::Omit)
}

pub fn get_sub_task(r: &Req<'_>, id: &str) -> Out {
    let n = cluster_id(id)?;
    let w = lock(&r.st.world);
    let s = n.and_then(|n| w.engine.sub_task(n)).ok_or_else(record_not_found)?;
    Ok(Data::of(&Renderer { clock: &r.st.clock }.sub_task(s)))
}

pub fn sub_task_logs(r: &Req<'_>, id: &str) -> Out {
    let n = cluster_id(id)?;
    let w = lock(&r.st.world);
    let logs = n.and_then(|n| w.engine.sub_task(n)).map(|s| Renderer { clock: &r.st.clock }.logs(s)).unwrap_or_default();
    Ok(Data::contents(&logs))
}

fn list(r: &Req<'_>, filter: impl Fn(&crate::engine::model::Dag) -> bool) -> Out {
    let details = show_details(r).ok_or_else(recovery_error)?;
    let w = lock(&r.st.world);
    let rr = Renderer { clock: &r.st.clock };
    let dags: Vec<DagDetail> = w.engine.dags.values().filter(|d| filter(d)).map(|d| rr.dag(d, details)).collect();
    Ok(Data::contents(&dags))
}

/// `/task/dag/unfinish` (this agent's local DAGs, none here, plus unfinished cluster DAGs) and
/// `/task/dag/ob/unfinish`.
pub fn unfinished(r: &Req<'_>) -> Out {
    list(r, |d| !d.is_finished)
}

/// `/task/dags/ob`: every cluster DAG.
pub fn all_dags(r: &Req<'_>) -> Out {
    list(r, |_| true)
}

/// `/task/dag/agent/unfinish`, `/task/dags/agent`: local DAGs of this agent (backup DAGs are
/// all cluster DAGs, so none).
pub fn agent_dags(r: &Req<'_>) -> Out {
    list(r, |_| false)
}

/// `/task/dag/maintain/ob`: the last cluster maintenance DAG.
pub fn maintain(r: &Req<'_>) -> Out {
    let details = show_details(r);
    let w = lock(&r.st.world);
    let dag = w.engine.last_maintenance_dag().ok_or_else(|| codes::TASK_NOT_FOUND_WITH_REASON.occur(&[&"Cluster is not under maintenance"]))?;
    let details = details.ok_or_else(recovery_error)?;
    Ok(Data::of(&Renderer { clock: &r.st.clock }.dag(dag, details)))
}

/// `/task/dag/maintain/agent`: the agent's own last maintenance DAG (`GetAgentLastMaintenanceDag`).
/// The simulator runs no agent-level maintenance (join, takeover, …), so there is none.
pub fn maintain_agent(_r: &Req<'_>) -> Out {
    Err(codes::TASK_NOT_FOUND_WITH_REASON.occur(&[&"Agent is not under maintenance"]))
}
