//! The executor and the scheduler of one tick (`scheduler/{dag,node,task}_handler.go`).

use super::model::{Node, Op, State, SubTask};
use super::programs::{self, BuildCtx, Env, Outcome, Program};
use super::Engine;
use crate::cluster::Cluster;
use obshell_proto::dag::maintenance;

/// Sub-task timeout (`DEFAULT_TIMEOUT`, 3600 s).
const SUB_TASK_TIMEOUT_NANOS: i128 = 3600 * 1_000_000_000;

impl Engine {
    /// One scheduler tick (see the [engine](super) docs).
    pub(crate) fn tick(&mut self, cluster: &mut Cluster, now: i128) {
        self.tick_no += 1;
        cluster.tick(now);
        run_scheduler(self, cluster, now);
        run_executor(self, cluster, now);
    }
}

/// Executor: picks up READY sub-tasks (made READY in an earlier tick) and advances RUNNING ones.
fn run_executor(e: &mut Engine, cluster: &mut Cluster, now: i128) {
    let mut work = Vec::new();
    for d in e.dags.values() {
        for (pos, n) in d.nodes.iter().enumerate() {
            for (i, s) in n.subs.iter().enumerate() {
                if (s.state == State::Ready && s.ready_tick < e.tick_no)
                    || (s.state == State::Running && s.run.is_some())
                {
                    work.push((d.id, pos, i));
                }
            }
        }
    }
    for (dag_id, pos, i) in work {
        let t = e.db_time(now);
        let task_ticks = e.task_ticks;
        let Some(dag) = e.dags.get_mut(&dag_id) else { continue };
        let kind = dag.kind.clone();
        let sub = &mut dag.nodes[pos].subs[i];
        if sub.state == State::Ready {
            // `StartSubTask`: RUNNING with a fresh start time; build what it will execute.
            sub.state = State::Running;
            sub.start = t;
            let ctx = BuildCtx {
                kind: &kind,
                task: sub.kind,
                cluster,
                agent_index: sub.agent_index,
                task_ticks,
            };
            let steps = if sub.op == Op::Rollback {
                programs::build_rollback(&ctx)
            } else {
                programs::build(&ctx)
            };
            sub.run = Some(Program::new(steps));
        }
        let agent = sub.agent.clone();
        let Some(mut prog) = sub.run.take() else { continue };
        let mut env = Env {
            cluster,
            now,
            agent: &agent,
            logs: Vec::new(),
        };
        let outcome = prog.run_tick(&mut env);
        let logs = std::mem::take(&mut env.logs);
        for l in logs {
            e.push_log(dag_id, pos, i, l, now);
        }
        let t = e.db_time(now);
        let sub = &mut e.dags.get_mut(&dag_id).expect("dag exists").nodes[pos].subs[i];
        match outcome {
            Outcome::Blocked => sub.run = Some(prog),
            Outcome::Done(Ok(())) => {
                sub.state = State::Succeed;
                sub.end = t;
            }
            Outcome::Done(Err(err)) => {
                sub.state = State::Failed;
                sub.end = t;
                e.push_log(dag_id, pos, i, err.task_log_line(), now);
            }
        }
    }
}

/// Scheduler: one `advanceDag` per unfinished DAG.
fn run_scheduler(e: &mut Engine, _cluster: &mut Cluster, now: i128) {
    let ids: Vec<i64> = e.dags.values().filter(|d| !d.is_finished).map(|d| d.id).collect();
    for id in ids {
        advance_dag(e, id, now);
    }
}

fn advance_dag(e: &mut Engine, id: i64, now: i128) {
    let t = e.db_time(now);
    let tick = e.tick_no;
    let mut logs: Vec<(usize, usize, &'static str)> = Vec::new();
    {
        let Some(dag) = e.dags.get_mut(&id) else { return };
        if dag.state == State::Ready {
            dag.state = State::Running;
            dag.start = t;
            if dag.op == Op::Rollback {
                dag.stage = dag.stage.clamp(1, dag.max_stage);
            }
        }
        if dag.state.finished() {
            return;
        }
        let pos = dag.current_index();
        let node = &mut dag.nodes[pos];
        if node.state == State::Pending {
            node.state = State::Running;
            node.start = t;
            node.end = t;
        }
        if !node.state.finished() {
            let mut out = Vec::new();
            let (finished, succeeded) = match node.op {
                Op::Run | Op::Pass => run_handler(node, t, tick, &mut out),
                Op::Rollback => rollback_handler(node, t, tick, &mut out),
                Op::Retry => retry_handler(node, t, tick, &mut out),
                Op::Cancel => cancel_handler(node, t, &mut out),
            };
            logs.extend(out.into_iter().map(|(i, l)| (pos, i, l)));
            if finished {
                node.state = if succeeded { State::Succeed } else { State::Failed };
                node.end = t;
            }
        }
        if node.state.finished() {
            if node.state == State::Succeed {
                let (next, has_next) =
                    next_stage(dag.stage.clamp(1, dag.max_stage), dag.max_stage, dag.op == Op::Rollback);
                dag.stage = next;
                if !has_next {
                    dag.state = State::Succeed;
                    dag.end = t;
                    dag.is_finished = true;
                }
            } else {
                dag.state = State::Failed;
                dag.end = t;
                // A failed maintenance DAG stays "unfinished" and keeps its lock.
                if dag.maintenance_type == maintenance::NOT_UNDER_MAINTENANCE {
                    dag.is_finished = true;
                }
            }
        }
    }
    for (pos, i, l) in logs {
        e.push_log(id, pos, i, l.to_string(), now);
    }
}

fn next_stage(stage: i32, max: i32, rollback: bool) -> (i32, bool) {
    if rollback {
        if stage <= 1 {
            (1, false)
        } else {
            (stage - 1, true)
        }
    } else if stage >= max {
        (max, false)
    } else {
        (stage + 1, true)
    }
}

/// `setSubTask{Run,Rollback}Ready`: READY with the operator, one more execution (a no-op when it
/// is already READY for that operator).
fn set_ready(s: &mut SubTask, op: Op, tick: u64) {
    if s.state == State::Ready && s.op == op {
        return;
    }
    s.state = State::Ready;
    s.op = op;
    s.execute_times += 1;
    s.ready_tick = tick;
    s.run = None;
}

/// `SetSubTaskFailed` with a scheduler-written log line.
fn fail(s: &mut SubTask, t: i128, i: usize, line: &'static str, out: &mut Vec<(usize, &'static str)>) {
    s.state = State::Failed;
    s.end = t;
    s.run = None;
    out.push((i, line));
}

fn timed_out(s: &SubTask, t: i128) -> bool {
    t - s.start > SUB_TASK_TIMEOUT_NANOS
}

/// A RUNNING sub-task keeps its node unfinished, unless it ran past the agent's sub-task
/// timeout: then it fails with `sub task timeout` (the same in every handler).
fn running(
    s: &mut SubTask,
    t: i128,
    i: usize,
    out: &mut Vec<(usize, &'static str)>,
    finished: &mut bool,
    ok: &mut bool,
) {
    if timed_out(s, t) {
        fail(s, t, i, "sub task timeout", out);
        *ok = false;
    } else {
        *finished = false;
    }
}

fn run_handler(node: &mut Node, t: i128, tick: u64, out: &mut Vec<(usize, &'static str)>) -> (bool, bool) {
    let (mut finished, mut ok) = (true, true);
    for (i, s) in node.subs.iter_mut().enumerate() {
        match s.state {
            State::Pending => {
                finished = false;
                set_ready(s, Op::Run, tick);
            }
            State::Ready => finished = false,
            State::Running => running(s, t, i, out, &mut finished, &mut ok),
            State::Succeed => {}
            State::Failed => ok = false,
        }
    }
    (finished, ok)
}

fn rollback_handler(node: &mut Node, t: i128, tick: u64, out: &mut Vec<(usize, &'static str)>) -> (bool, bool) {
    let (mut finished, mut ok) = (true, true);
    let node_start = node.start;
    for (i, s) in node.subs.iter_mut().enumerate() {
        if s.op == Op::Run && s.state == State::Pending {
            continue;
        }
        if s.op != Op::Rollback || s.start < node_start {
            finished = false;
            set_ready(s, Op::Rollback, tick);
            continue;
        }
        match s.state {
            State::Pending | State::Ready => finished = false,
            State::Running => running(s, t, i, out, &mut finished, &mut ok),
            State::Succeed => {}
            State::Failed => ok = false,
        }
    }
    (finished, ok)
}

fn retry_handler(node: &mut Node, t: i128, tick: u64, out: &mut Vec<(usize, &'static str)>) -> (bool, bool) {
    let (mut finished, mut ok) = (true, true);
    let node_start = node.start;
    for (i, s) in node.subs.iter_mut().enumerate() {
        match s.state {
            State::Pending => {
                finished = false;
                set_ready(s, Op::Run, tick);
            }
            State::Ready => finished = false,
            State::Running => running(s, t, i, out, &mut finished, &mut ok),
            State::Succeed => {
                if s.start > node_start && s.op == Op::Rollback {
                    finished = false;
                    set_ready(s, Op::Run, tick);
                }
            }
            State::Failed => {
                if s.start > node_start {
                    ok = false;
                } else {
                    set_ready(s, Op::Rollback, tick);
                    finished = false;
                }
            }
        }
    }
    (finished, ok)
}

fn cancel_handler(node: &mut Node, t: i128, out: &mut Vec<(usize, &'static str)>) -> (bool, bool) {
    for (i, s) in node.subs.iter_mut().enumerate() {
        match s.state {
            State::Ready => fail(s, t, i, "sub task cancelled", out),
            State::Running => {
                if timed_out(s, t) {
                    fail(s, t, i, "sub task timeout", out);
                }
                fail(s, t, i, "sub task cancelled", out);
            }
            _ => {}
        }
    }
    (true, false)
}
