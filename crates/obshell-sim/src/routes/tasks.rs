//! Task routes (`task_handler.go`, `executor/task/{dag,node,sub_task}.go`).

use crate::engine::model::{Dag, Renderer};
use crate::envelope::{Data, Out};
use crate::request::{bind, Req};
use crate::state::lock;
use obshell_proto::agent::secure::recovery_error;
use obshell_proto::dag::{DagDetail, DagOperation, GenericId};
use obshell_proto::envelope::Identity;
use obshell_proto::errors::codes;
use obshell_proto::AgentError;

/// `WrapRetain(ErrTaskNotFound, gorm.ErrRecordNotFound)`.
fn record_not_found() -> AgentError {
    codes::TASK_NOT_FOUND_WITH_REASON.occur(&[&"record not found"])
}

/// Parses a generic id. A local or obproxy id (`2…`-`5…`) names an agent: the agent itself
/// looks in its SQLite tables, any other agent gets the request forwarded and does the same.
/// The simulator has no local tasks, so either way it ends as "record not found". (The agent's
/// "obproxy task not found" for another agent's id is overwritten by the forwarded answer.)
fn cluster_id(id: &str) -> Result<Option<i64>, AgentError> {
    Ok(classify(GenericId::parse(id)?))
}

fn classify(g: GenericId) -> Option<i64> {
    match g {
        GenericId::Cluster(n) => Some(n),
        GenericId::Local { .. } => None,
    }
}

pub(super) fn get_dag(r: &Req<'_>, id: &str) -> Out {
    let n = cluster_id(id)?;
    let details = r.show_details();
    let w = lock(&r.st.world);
    let dag = n.and_then(|n| w.engine.dag(n)).ok_or_else(record_not_found)?;
    if GenericId::cluster(dag.id) != id {
        return Err(codes::TASK_NOT_FOUND_WITH_REASON.occur(&[&"dag id not match"]).into());
    }
    let details = details.ok_or_else(recovery_error)?;
    Ok(Data::of(&Renderer { clock: &r.st.clock }.dag(dag, details)))
}

/// Body of `POST /task/dag/{id}` and `/task/node/{id}`: a whole `task.DagOperator`, i.e. the
/// operator and an embedded `DagDetailDTO` whose fields Go type-checks although only `id` is
/// used (its times are parsed; `additional_data` and `nodes` are not checked here). `path_id`: the
/// DAG route binds the path into the DTO first, so a body `id` overrides it (`null` keeps it);
/// the node route does not, and a body `id` key of any value allocates the DTO. An allocated
/// DTO's id is `required`, as is `operator`; gin reports every failed rule, in field order.
fn bind_operator(r: &Req<'_>, path_id: Option<&str>) -> Result<(String, Option<String>), AgentError> {
    const DETAIL: &str = "DagDetailDTO.DagDetail.";
    let (operator, id) = bind(r.body, "task.DagOperator", "DagOperator", |d| {
        let mut operator = String::new();
        d.string_value("operator", "operator", &mut operator);
        let mut id = path_id.map(str::to_string).or_else(|| d.has("id").then(String::new));
        if let Some(id) = id.as_mut() {
            d.string_value("id", "DagDetailDTO.GenericDTO.id", id);
        }
        d.int_of("dag_id", &format!("{DETAIL}dag_id"), "int64");
        for key in ["name", "maintenance_key"] {
            d.string(key, &format!("{DETAIL}{key}"));
        }
        for key in ["stage", "max_stage", "maintenance_type"] {
            d.int_of(key, &format!("{DETAIL}{key}"), "int");
        }
        d.string("state", &format!("{DETAIL}TaskStatusDTO.state"));
        // `time.Time` decodes itself: a string Go's RFC 3339 layout parser accepts.
        for key in ["start_time", "end_time"] {
            d.unmarshaler(key, |v| match v {
                obshell_proto::go::json::JVal::Str(t) => obshell_proto::go::time::parse_rfc3339(t).map(|_| ()),
                _ => Err("Time.UnmarshalJSON: input is not a JSON string".into()),
            });
        }
        (operator, id)
    })?;
    let mut failed = Vec::new();
    if id.as_deref() == Some("") {
        failed.push("Key: 'DagOperator.DagDetailDTO.GenericDTO.GenericID' Error:Field validation for 'GenericID' failed on the 'required' tag");
    }
    if operator.is_empty() {
        failed.push("Key: 'DagOperator.Operator' Error:Field validation for 'Operator' failed on the 'required' tag");
    }
    if !failed.is_empty() {
        return Err(codes::COMMON_BIND_JSON_FAILED.occur(&[&failed.join("\n")]));
    }
    Ok((operator, id))
}

pub(super) fn operate_dag(r: &Req<'_>, id: &str) -> Out {
    // The agent parses the id, then binds the body, then looks at where the task lives.
    let g = GenericId::parse(id)?;
    let (op, body_id) = bind_operator(r, Some(id))?;
    let n = classify(g);
    let id = body_id.unwrap_or_else(|| id.to_string());
    let mut w = lock(&r.st.world);
    let dag = n.and_then(|n| w.engine.dag(n)).ok_or_else(record_not_found)?;
    if GenericId::cluster(dag.id) != id {
        return Err(codes::TASK_NOT_FOUND_WITH_REASON.occur(&[&"dag id not match"]).into());
    }
    let dag_id = dag.id;
    let op = DagOperation::parse(&op)?;
    w.engine.operate_dag(dag_id, op, r.now)?;
    Ok(Data::Omit)
}

pub(super) fn get_node(r: &Req<'_>, id: &str) -> Out {
    let n = cluster_id(id)?;
    let details = r.show_details();
    let w = lock(&r.st.world);
    let (_, node) = n.and_then(|n| w.engine.node(n)).ok_or_else(record_not_found)?;
    // `show_details=false` leaves the DTO nil and the agent panics on it.
    match details {
        Some(true) => Ok(Data::of(&Renderer { clock: &r.st.clock }.node(node, true))),
        _ => Err(recovery_error().into()),
    }
}

pub(super) fn operate_node(r: &Req<'_>, id: &str) -> Out {
    let g = GenericId::parse(id)?;
    let (op, _) = bind_operator(r, None)?;
    if obshell_proto::go::strings::to_upper(&op) != "PASS" {
        return Err(codes::TASK_NODE_OPERATOR_NOT_SUPPORT.occur(&[&op]).into());
    }
    let n = classify(g);
    let mut w = lock(&r.st.world);
    let node_id = n
        .and_then(|n| w.engine.node(n))
        .map(|(_, node)| node.id)
        .ok_or_else(record_not_found)?;
    w.engine.pass_node(node_id, r.now)?;
    Ok(Data::Omit)
}

pub(super) fn get_sub_task(r: &Req<'_>, id: &str) -> Out {
    let n = cluster_id(id)?;
    let w = lock(&r.st.world);
    let s = n.and_then(|n| w.engine.sub_task(n)).ok_or_else(record_not_found)?;
    Ok(Data::of(&Renderer { clock: &r.st.clock }.sub_task(s)))
}

pub(super) fn sub_task_logs(r: &Req<'_>, id: &str) -> Out {
    let n = cluster_id(id)?;
    let w = lock(&r.st.world);
    let logs = n
        .and_then(|n| w.engine.sub_task(n))
        .map(|s| Renderer { clock: &r.st.clock }.logs(s))
        .unwrap_or_default();
    Ok(Data::contents(&logs))
}

fn render_dags(r: &Req<'_>, details: bool, filter: impl Fn(&Dag) -> bool) -> Vec<DagDetail> {
    let w = lock(&r.st.world);
    let rr = Renderer { clock: &r.st.clock };
    w.engine
        .dags
        .values()
        .filter(|d| filter(d))
        .map(|d| rr.dag(d, details))
        .collect()
}

/// `GetClusterUnfinishDags` and `GetAllClusterDags` on an agent that is not the cluster agent:
/// they return without a response, and `PostHandlers` answers for them.
fn no_response_unless_cluster_agent(r: &Req<'_>) -> Result<(), AgentError> {
    if r.st.runtime().identity == Identity::ClusterAgent {
        Ok(())
    } else {
        Err(codes::COMMON_UNEXPECTED.occur(&[&"ocsagent cannot build response body"]))
    }
}

/// `/task/dag/unfinish`, by identity (`GetUnfinishedDags`): a cluster agent gathers every
/// agent's local unfinished DAGs (none here) and the cluster's. Go appends the cluster DAGs to
/// a nil slice, so with nothing unfinished the answer is `{"contents":null}`. A follower would
/// forward to its master (the simulator has none to forward to); a single or master agent
/// answers its own local DAGs (none).
pub(super) fn unfinished(r: &Req<'_>) -> Out {
    let identity = r.st.runtime().identity.clone();
    match identity {
        Identity::ClusterAgent => {
            let details = r.show_details().ok_or_else(recovery_error)?;
            let dags = render_dags(r, details, |d| !d.is_finished);
            Ok(if dags.is_empty() {
                Data::nil_contents()
            } else {
                Data::contents(&dags)
            })
        }
        Identity::Follower => Err(crate::extra_codes::AGENT_NO_MASTER.occur(&[]).into()),
        Identity::Single | Identity::Master | Identity::TakeOverMaster | Identity::TakeOverFollower => {
            agent_unfinished(r)
        }
        other => Err(crate::extra_codes::AGENT_IDENTIFY_UNKNOWN
            .occur(&[&other.as_str()])
            .into()),
    }
}

/// `/task/dag/ob/unfinish`.
pub(super) fn cluster_unfinished(r: &Req<'_>) -> Out {
    no_response_unless_cluster_agent(r)?;
    let details = r.show_details().ok_or_else(recovery_error)?;
    Ok(Data::contents(&render_dags(r, details, |d| !d.is_finished)))
}

/// `/task/dags/ob`: every cluster DAG. `show_details` is read per DAG, so a bad value only
/// fails (a nil-pointer panic in Go) when there is a DAG to show.
pub(super) fn all_dags(r: &Req<'_>) -> Out {
    no_response_unless_cluster_agent(r)?;
    if lock(&r.st.world).engine.dags.is_empty() {
        return Ok(Data::contents::<DagDetail>(&[]));
    }
    let details = r.show_details().ok_or_else(recovery_error)?;
    Ok(Data::contents(&render_dags(r, details, |_| true)))
}

/// `/task/dag/agent/unfinish`: this agent's local DAGs (backup DAGs are all cluster DAGs, so
/// none); `show_details` is read first.
pub(super) fn agent_unfinished(r: &Req<'_>) -> Out {
    r.show_details().ok_or_else(recovery_error)?;
    Ok(Data::contents::<DagDetail>(&[]))
}

/// `/task/dags/agent`: this agent's local DAGs, none; `show_details` would be read per DAG.
pub(super) fn agent_dags(_r: &Req<'_>) -> Out {
    Ok(Data::contents::<DagDetail>(&[]))
}

/// `/task/dag/maintain/ob`: the last cluster maintenance DAG.
pub(super) fn maintain(r: &Req<'_>) -> Out {
    let details = r.show_details();
    let w = lock(&r.st.world);
    let dag = w
        .engine
        .last_maintenance_dag()
        .ok_or_else(|| codes::TASK_NOT_FOUND_WITH_REASON.occur(&[&"Cluster is not under maintenance"]))?;
    let details = details.ok_or_else(recovery_error)?;
    Ok(Data::of(&Renderer { clock: &r.st.clock }.dag(dag, details)))
}

/// `/task/dag/maintain/agent`: the agent's own last maintenance DAG (`GetAgentLastMaintenanceDag`).
/// The simulator runs no agent-level maintenance (join, takeover, …), so there is none.
pub(super) fn maintain_agent(_r: &Req<'_>) -> Out {
    Err(codes::TASK_NOT_FOUND_WITH_REASON
        .occur(&[&"Agent is not under maintenance"])
        .into())
}

/// `/task/dag/maintain/agents` and `/task/dag/agent/main_dags` (`getAllAgentLastMaintenanceDag`):
/// the agent converts its own last maintenance DAG without checking that there is one, so with
/// none (always here) it dereferences nil: the pre-built panic answer.
pub(super) fn all_agents_maintenance(_r: &Req<'_>) -> Out {
    Err(recovery_error().into())
}
