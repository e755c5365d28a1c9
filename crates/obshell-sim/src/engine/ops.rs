//! `POST /api/v1/task/dag/{id}` and `POST /api/v1/task/node/{id}`: preconditions come from the
//! shared rules (`DagDetail::check_operation`, `check_node_pass`), the row updates are those of
//! `service/task/{dag,node}.go` (`updateDagOperator`, `updateNodeOperator`, `PassNode`).

use super::model::{Op, Renderer, State, EPOCH};
use super::Engine;
use crate::clock::Clock;
use obshell_proto::dag::DagOperation;
use obshell_proto::AgentError;

impl Engine {
    /// Applies a DAG operation (the DAG must exist).
    pub(crate) fn operate_dag(&mut self, id: i64, op: DagOperation, now: i128) -> Result<(), AgentError> {
        let zone = Clock::new(0);
        let dto = Renderer { clock: &zone }.dag(self.dags.get(&id).expect("caller checked the dag exists"), true);
        dto.check_operation(op)?;
        let t = self.db_time(now);
        let dag = self.dags.get_mut(&id).expect("checked above");
        match op {
            DagOperation::Rollback => {
                // Nodes up to and including the failed one; only finished ones are reset.
                let mut upto = 0;
                for (i, n) in dag.nodes.iter().enumerate() {
                    if n.op != Op::Rollback && n.state == State::Pending {
                        break;
                    }
                    upto = i + 1;
                    if n.state == State::Failed {
                        break;
                    }
                }
                reset_dag(dag, Op::Rollback);
                for n in dag.nodes.iter_mut().take(upto) {
                    if n.state.finished() {
                        n.state = State::Pending;
                        n.op = Op::Rollback;
                        n.start = EPOCH;
                        n.end = EPOCH;
                    }
                }
            }
            DagOperation::Retry => {
                let pos = dag.current_index();
                reset_dag(dag, Op::Run);
                let n = &mut dag.nodes[pos];
                n.state = State::Pending;
                n.op = Op::Retry;
                n.start = EPOCH;
                n.end = EPOCH;
            }
            DagOperation::Cancel => {
                let pos = dag
                    .nodes
                    .iter()
                    .position(|n| !n.state.finished())
                    .unwrap_or(dag.nodes.len().saturating_sub(1));
                reset_dag(dag, Op::Cancel);
                if let Some(n) = dag.nodes.get_mut(pos) {
                    n.state = State::Pending;
                    n.op = Op::Cancel;
                    n.start = EPOCH;
                    n.end = EPOCH;
                }
            }
            DagOperation::Pass => {
                let from = dag
                    .nodes
                    .iter()
                    .position(|n| n.state == State::Failed)
                    .unwrap_or(dag.nodes.len());
                dag.state = State::Succeed;
                dag.op = Op::Pass;
                dag.end = t;
                dag.is_finished = true;
                for n in dag.nodes.iter_mut().skip(from) {
                    pass_node(n, t);
                }
            }
        }
        Ok(())
    }

    /// `PassNode`: the failed node and its unfinished sub-tasks become SUCCEED/PASS and the DAG
    /// goes back to READY/RUN to continue with the next stage.
    pub(crate) fn pass_node(&mut self, node_id: i64, now: i128) -> Result<(), AgentError> {
        let zone = Clock::new(0);
        let (dag, node) = self.node(node_id).expect("caller checked the node exists");
        let r = Renderer { clock: &zone };
        r.dag(dag, true).check_node_pass(&r.node(node, false))?;
        let dag_id = dag.id;
        let t = self.db_time(now);
        let dag = self.dags.get_mut(&dag_id).expect("exists");
        if let Some(n) = dag.nodes.iter_mut().find(|n| n.id == node_id) {
            pass_node(n, t);
        }
        reset_dag(dag, Op::Run);
        Ok(())
    }
}

/// `updateDagOperator` for RUN/ROLLBACK/CANCEL: READY with the operator, times reset.
fn reset_dag(dag: &mut super::model::Dag, op: Op) {
    dag.state = State::Ready;
    dag.op = op;
    dag.start = EPOCH;
    dag.end = EPOCH;
    if op != Op::Cancel {
        dag.is_finished = false;
    }
}

fn pass_node(n: &mut super::model::Node, t: i128) {
    n.state = State::Succeed;
    n.op = Op::Pass;
    n.end = t;
    for s in n.subs.iter_mut().filter(|s| s.state != State::Succeed) {
        s.state = State::Succeed;
        s.op = Op::Pass;
        s.end = t;
        s.run = None;
    }
}
