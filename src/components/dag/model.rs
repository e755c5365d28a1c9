//! What the DAG views show, computed from a `DagDetail` without any browser API (tested
//! natively): how a state is presented (class, icon, text key), the time axis, one bar per node
//! and per sub-task lane, per-state counts.
//!
//! Times: the agent writes start = end = creation time for PENDING/READY rows, resets DAG times
//! to the epoch on RETRY/ROLLBACK/CANCEL, and leaves `end_time < start_time` while running; so a
//! bar exists only for rows that actually ran, and an open bar ends at "now".

use obshell_proto::dag::{DagDetail, NodeDetail, TaskDetail, TaskOperator, TaskState};
use obshell_proto::time::{known, Timestamp};

// ---------------------------------------------------------------------------------------------
// Presentation of states and operators

/// CSS modifier of a state (`state-…`, `tl-…`); `unknown` for values of a newer agent.
pub fn state_class(s: &TaskState) -> &'static str {
    match s {
        TaskState::Pending => "pending",
        TaskState::Ready => "ready",
        TaskState::Running => "running",
        TaskState::Failed => "failed",
        TaskState::Succeed => "succeed",
        TaskState::Unknown(_) => "unknown",
    }
}

/// A glyph for the state (shown next to the text, never alone; `aria-hidden`).
pub fn state_icon(s: &TaskState) -> &'static str {
    match s {
        TaskState::Pending => "○",
        TaskState::Ready => "◔",
        TaskState::Running => "▶",
        TaskState::Failed => "✕",
        TaskState::Succeed => "✓",
        TaskState::Unknown(_) => "?",
    }
}

/// i18n key of the state's text; `None` for an unknown state (show the wire value).
pub fn state_key(s: &TaskState) -> Option<&'static str> {
    Some(match s {
        TaskState::Pending => "state.pending",
        TaskState::Ready => "state.ready",
        TaskState::Running => "state.running",
        TaskState::Failed => "state.failed",
        TaskState::Succeed => "state.succeed",
        TaskState::Unknown(_) => return None,
    })
}

/// i18n key of the operator's text; `None` for an unknown operator.
pub fn operator_key(o: &TaskOperator) -> Option<&'static str> {
    Some(match o {
        TaskOperator::Run => "operator.run",
        TaskOperator::Retry => "operator.retry",
        TaskOperator::Rollback => "operator.rollback",
        TaskOperator::Cancel => "operator.cancel",
        TaskOperator::Pass => "operator.pass",
        TaskOperator::Unknown(_) => return None,
    })
}

/// What a (state, operator) pair means when the operator is not a plain run: "cancelled",
/// "passed", "rolled back", and the transitional "retrying", "cancelling", "rolling back".
pub fn outcome_key(s: &TaskState, o: &TaskOperator) -> Option<&'static str> {
    use TaskOperator as O;
    use TaskState as S;
    Some(match (s, o) {
        (S::Failed, O::Cancel) => "outcome.cancelled",
        (S::Succeed, O::Pass) => "outcome.passed",
        (S::Succeed, O::Rollback) => "outcome.rolled_back",
        (S::Failed, O::Rollback) => "outcome.rollback_failed",
        (S::Pending | S::Ready | S::Running, O::Retry) => "outcome.retrying",
        (S::Pending | S::Ready | S::Running, O::Cancel) => "outcome.cancelling",
        (S::Pending | S::Ready | S::Running, O::Rollback) => "outcome.rolling_back",
        _ => return None,
    })
}

/// `1.2 s`, `45 s`, `3 min 05 s`, `2 h 03 min`: compact and unit-explicit.
pub fn format_duration(ms: i64) -> String {
    let ms = ms.max(0);
    if ms < 1000 {
        return format!("{ms} ms");
    }
    if ms < 10_000 {
        return format!("{}.{} s", ms / 1000, (ms % 1000) / 100);
    }
    let s = ms / 1000;
    if s < 60 {
        return format!("{s} s");
    }
    if s < 3600 {
        return format!("{} min {:02} s", s / 60, s % 60);
    }
    if s < 86_400 {
        return format!("{} h {:02} min", s / 3600, (s / 60) % 60);
    }
    format!("{} d {:02} h", s / 86_400, (s / 3600) % 24)
}

/// An axis label: `0`, `+10s`, `+2m`, `+1h30m`.
pub fn format_offset(ms: i64) -> String {
    let s = ms / 1000;
    if s == 0 {
        return "0".into();
    }
    if s < 60 {
        return format!("+{s}s");
    }
    if s < 3600 {
        return if s % 60 == 0 {
            format!("+{}m", s / 60)
        } else {
            format!("+{}m{:02}s", s / 60, s % 60)
        };
    }
    if s % 3600 == 0 {
        format!("+{}h", s / 3600)
    } else {
        format!("+{}h{:02}m", s / 3600, (s / 60) % 60)
    }
}

// ---------------------------------------------------------------------------------------------
// The time axis and bars

/// Tick positions are in basis points of the axis (0..=10000) so models compare exactly.
pub const FULL: i32 = 10_000;

/// When a row ran, in milliseconds from the axis origin. The view places it with CSS variables
/// (`--bs`, `--be`) against the timeline's `--tl-span` and `--tl-now`, so a longer axis or a
/// ticking clock changes two variables on the container instead of every bar.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Bar {
    pub start: i64,
    /// `None` while running: the bar ends at "now".
    pub end: Option<i64>,
}

impl Bar {
    pub fn open(&self) -> bool {
        self.end.is_none()
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tick {
    pub at: i32,
    pub label: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Axis {
    /// Unix ms of the axis start (`None`: nothing has run yet).
    pub origin_ms: Option<i64>,
    pub span_ms: i64,
    pub ticks: Vec<Tick>,
}

const STEPS_MS: [i64; 21] = [
    1_000,
    2_000,
    5_000,
    10_000,
    15_000,
    30_000,
    60_000,
    120_000,
    300_000,
    600_000,
    900_000,
    1_800_000,
    3_600_000,
    7_200_000,
    10_800_000,
    21_600_000,
    43_200_000,
    86_400_000,
    172_800_000,
    604_800_000,
    2_592_000_000,
];

impl Axis {
    /// An axis covering `length_ms` with ≤ 6 ticks at round steps. The span only changes when
    /// the length crosses a step, so finished bars keep their place while a DAG runs.
    pub fn covering(origin_ms: Option<i64>, length_ms: i64) -> Axis {
        let length = length_ms.max(1);
        let step = STEPS_MS
            .iter()
            .copied()
            .find(|s| s * 6 >= length)
            .unwrap_or(*STEPS_MS.last().unwrap_or(&1));
        let steps = (length + step - 1) / step;
        let span = step * steps.max(1);
        let ticks = (0..=steps.max(1))
            .map(|i| Tick {
                at: ((i * step) as f64 / span as f64 * FULL as f64).round() as i32,
                label: format_offset(i * step),
            })
            .collect();
        Axis {
            origin_ms,
            span_ms: span,
            ticks,
        }
    }

    /// A span as a bar on this axis (clamped to it).
    pub fn bar(&self, span: &Span) -> Bar {
        let o = self.origin_ms.unwrap_or(span.start);
        let start = (span.start - o).clamp(0, self.span_ms);
        Bar {
            start,
            end: (!span.open).then(|| (span.end - o).clamp(start, self.span_ms)),
        }
    }

    /// Where "now" is on this axis.
    pub fn now_offset(&self, now: i64) -> i64 {
        self.origin_ms.map(|o| (now - o).clamp(0, self.span_ms)).unwrap_or(0)
    }
}

/// When something ran, in Unix ms.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Span {
    pub start: i64,
    pub end: i64,
    pub open: bool,
}

impl Span {
    pub fn duration(&self) -> i64 {
        (self.end - self.start).max(0)
    }
}

fn ran(state: &TaskState) -> bool {
    matches!(state, TaskState::Running | TaskState::Failed | TaskState::Succeed)
}

/// When a row ran: `None` if it has not started (or was passed without running).
fn span_of(state: &TaskState, start: &str, end: &str, now: i64) -> Option<Span> {
    if !ran(state) {
        return None;
    }
    let start = known(start)?.unix_millis();
    if *state == TaskState::Running {
        return Some(Span {
            start,
            end: now.max(start),
            open: true,
        });
    }
    let end = known(end).map(|e| e.unix_millis()).unwrap_or(start).max(start);
    Some(Span {
        start,
        end,
        open: false,
    })
}

pub fn task_span(t: &TaskDetail, now: i64) -> Option<Span> {
    if t.operator == TaskOperator::Pass && t.execute_times == 0 {
        return None;
    }
    span_of(&t.state, &t.start_time, &t.end_time, now)
}

pub fn node_span(n: &NodeDetail, now: i64) -> Option<Span> {
    let subs: Vec<Span> = n
        .sub_tasks
        .as_deref()
        .unwrap_or(&[])
        .iter()
        .filter_map(|t| task_span(t, now))
        .collect();
    let union = subs.iter().copied().reduce(|a, b| Span {
        start: a.start.min(b.start),
        end: a.end.max(b.end),
        open: a.open || b.open,
    });
    if n.operator == TaskOperator::Pass {
        return union;
    }
    let own = span_of(&n.state, &n.start_time, &n.end_time, now);
    match (own, union) {
        (Some(o), Some(u)) => Some(Span {
            start: o.start.min(u.start),
            end: o.end.max(u.end),
            open: o.open,
        }),
        (o, u) => o.or(u),
    }
}

/// What the whole DAG took: from the first start of anything in it to its end (now while it is
/// not finished). Across operations: the agent resets the DAG's own start on RETRY, CANCEL and
/// ROLLBACK, so its `start_time` alone would only cover the last run.
pub fn dag_span(dag: &DagDetail, node_spans: &[Option<Span>], now: i64) -> Option<Span> {
    let dag_start = known(&dag.start_time)
        .map(|t| t.unix_millis())
        .filter(|_| ran(&dag.state));
    let origin = node_spans.iter().flatten().map(|s| s.start).chain(dag_start).min()?;
    let mut end = node_spans.iter().flatten().map(|s| s.end).max().unwrap_or(origin);
    let open = !dag.state.is_finished();
    if open {
        end = end.max(now);
    } else if let Some(de) = known(&dag.end_time).map(|t| t.unix_millis()) {
        end = end.max(de);
    }
    Some(Span {
        start: origin,
        end: end.max(origin),
        open,
    })
}

/// [`dag_span`] computing the node spans itself.
pub fn dag_span_of(dag: &DagDetail, now: i64) -> Option<Span> {
    let spans: Vec<Option<Span>> = dag.nodes().iter().map(|n| node_span(n, now)).collect();
    dag_span(dag, &spans, now)
}

/// When a DAG started and, once finished, what it took: the one computation the task view and
/// the task list both show (the DAG's own `start_time` only covers its last run).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DagTimes {
    /// The first start of anything in it, in the agent's zone.
    pub start: Option<Timestamp>,
    /// Its whole span in ms, once finished.
    pub finished_ms: Option<i64>,
}

pub fn dag_times(dag: &DagDetail) -> DagTimes {
    // "now" only matters for an open end, which is not kept here.
    let span = dag_span_of(dag, 0);
    let offset = std::iter::once(&dag.start_time)
        .chain(dag.nodes().iter().map(|n| &n.start_time))
        .find_map(|t| Timestamp::parse(t))
        .map(|t| t.offset_secs)
        .unwrap_or(0);
    DagTimes {
        start: span.map(|s| Timestamp::from_unix_nanos(s.start as i128 * 1_000_000, offset)),
        finished_ms: span.filter(|s| !s.open).map(|s| s.end - s.start),
    }
}

// ---------------------------------------------------------------------------------------------
// The timeline model

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct LaneModel {
    pub id: String,
    pub agent: String,
    pub state: TaskState,
    pub operator: TaskOperator,
    pub bar: Option<Bar>,
    pub duration_ms: Option<i64>,
    pub execute_times: i32,
    pub log_lines: usize,
    /// The last log line of a FAILED sub-task (its error).
    pub error: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NodeModel {
    pub id: String,
    pub name: String,
    /// 1-based position in the chain.
    pub stage: usize,
    pub state: TaskState,
    pub operator: TaskOperator,
    pub bar: Option<Bar>,
    pub duration_ms: Option<i64>,
    pub current: bool,
    /// Not started yet and not being rolled back: shown as upcoming.
    pub upcoming: bool,
    pub lanes: Vec<LaneModel>,
    /// Lanes per state, in display order (failed, running, ready, pending, succeed, unknown).
    pub counts: Vec<(TaskState, usize)>,
}

impl NodeModel {
    /// More than one sub-task: one lane per agent.
    pub fn parallel(&self) -> bool {
        self.lanes.len() > 1
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TimelineModel {
    pub axis: Axis,
    /// "Now" in ms from the origin (the end of running bars).
    pub now_offset: i64,
    pub nodes: Vec<NodeModel>,
}

/// Display order of states in summaries and collapsed lanes: what needs attention first.
pub fn interest(s: &TaskState) -> u8 {
    match s {
        TaskState::Failed => 0,
        TaskState::Running => 1,
        TaskState::Ready => 2,
        TaskState::Unknown(_) => 3,
        TaskState::Pending => 4,
        TaskState::Succeed => 5,
    }
}

impl TimelineModel {
    pub fn build(dag: &DagDetail, now: i64) -> TimelineModel {
        let nodes = dag.nodes();
        let node_spans: Vec<Option<Span>> = nodes.iter().map(|n| node_span(n, now)).collect();
        let whole = dag_span(dag, &node_spans, now);
        let origin = whole.map(|s| s.start);
        let end = whole.map(|s| s.end);
        let axis = Axis::covering(
            origin,
            match (origin, end) {
                (Some(o), Some(e)) => e - o,
                _ => 10_000,
            },
        );
        let current = dag.current_node().map(|n| n.id.clone());
        let nodes = nodes
            .iter()
            .zip(node_spans)
            .enumerate()
            .map(|(i, (n, span))| {
                let lanes: Vec<LaneModel> = n
                    .sub_tasks
                    .as_deref()
                    .unwrap_or(&[])
                    .iter()
                    .map(|t| {
                        let span = task_span(t, now);
                        LaneModel {
                            id: t.id.clone(),
                            agent: t.execute_agent.to_string(),
                            state: t.state.clone(),
                            operator: t.operator.clone(),
                            bar: span.map(|s| axis.bar(&s)),
                            duration_ms: span.map(|s| s.duration()),
                            execute_times: t.execute_times,
                            log_lines: t.task_logs.as_ref().map(Vec::len).unwrap_or(0),
                            error: (t.state == TaskState::Failed)
                                .then(|| {
                                    t.task_logs
                                        .as_deref()
                                        .and_then(|l| l.iter().rev().find(|l| l.starts_with("ERROR: ")).or(l.last()))
                                        .cloned()
                                })
                                .flatten(),
                        }
                    })
                    .collect();
                let mut counts: Vec<(TaskState, usize)> = Vec::new();
                for l in &lanes {
                    match counts.iter_mut().find(|(s, _)| *s == l.state) {
                        Some((_, c)) => *c += 1,
                        None => counts.push((l.state.clone(), 1)),
                    }
                }
                counts.sort_by_key(|(s, _)| interest(s));
                NodeModel {
                    id: n.id.clone(),
                    name: n.name.clone(),
                    stage: i + 1,
                    state: n.state.clone(),
                    operator: n.operator.clone(),
                    bar: span.map(|s| axis.bar(&s)),
                    duration_ms: span.map(|s| s.duration()),
                    current: current.as_deref() == Some(n.id.as_str()),
                    upcoming: n.state == TaskState::Pending && n.operator != TaskOperator::Rollback,
                    lanes,
                    counts,
                }
            })
            .collect();
        TimelineModel {
            now_offset: axis.now_offset(now),
            axis,
            nodes,
        }
    }
}

/// Indices of `lanes` in display order for a collapsed view: failed, running, ready, unknown,
/// pending, succeeded; stable within a state.
pub fn interesting_order(lanes: &[LaneModel]) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..lanes.len()).collect();
    idx.sort_by_key(|&i| interest(&lanes[i].state));
    idx
}

#[cfg(test)]
mod tests {
    use super::*;
    use obshell_proto::envelope::AgentInfo;

    fn task(id: &str, state: TaskState, start: &str, end: &str, logs: Option<Vec<&str>>) -> TaskDetail {
        TaskDetail {
            id: id.into(),
            task_id: 0,
            name: "t".into(),
            state,
            operator: TaskOperator::Run,
            start_time: start.into(),
            end_time: end.into(),
            additional_data: None,
            execute_times: 1,
            execute_agent: AgentInfo {
                ip: "10.0.0.1".into(),
                port: 2886,
            },
            task_logs: logs.map(|l| l.into_iter().map(String::from).collect()),
        }
    }

    fn node(id: &str, name: &str, state: TaskState, start: &str, end: &str, subs: Vec<TaskDetail>) -> NodeDetail {
        NodeDetail {
            id: id.into(),
            node_id: 0,
            name: name.into(),
            state,
            operator: TaskOperator::Run,
            start_time: start.into(),
            end_time: end.into(),
            additional_data: None,
            sub_tasks: Some(subs),
        }
    }

    const C: &str = "2026-05-11T10:00:00.000+08:00"; // creation

    fn ms(s: &str) -> i64 {
        known(s).unwrap().unix_millis()
    }

    #[test]
    fn running_dag_axis_bars_and_current_node() {
        let dag = DagDetail {
            id: "142".into(),
            dag_id: 42,
            name: "Set obcluster backup config".into(),
            stage: 1,
            max_stage: 2,
            maintenance_type: 1,
            maintenance_key: String::new(),
            state: TaskState::Running,
            operator: TaskOperator::Run,
            start_time: "2026-05-11T10:00:01.000+08:00".into(),
            end_time: C.into(),
            additional_data: None,
            nodes: Some(vec![
                node(
                    "1101",
                    "Check backup config",
                    TaskState::Running,
                    "2026-05-11T10:00:01.000+08:00",
                    "2026-05-11T10:00:01.000+08:00",
                    vec![
                        task(
                            "1201",
                            TaskState::Succeed,
                            "2026-05-11T10:00:01.500+08:00",
                            "2026-05-11T10:00:02.000+08:00",
                            Some(vec!["a"]),
                        ),
                        task(
                            "1202",
                            TaskState::Running,
                            "2026-05-11T10:00:01.500+08:00",
                            C,
                            Some(vec![]),
                        ),
                        task("1203", TaskState::Ready, C, C, None),
                    ],
                ),
                node(
                    "1102",
                    "Set backup config",
                    TaskState::Pending,
                    C,
                    C,
                    vec![task("1204", TaskState::Pending, C, C, None)],
                ),
            ]),
        };
        let now = ms("2026-05-11T10:00:04.200+08:00");
        let m = TimelineModel::build(&dag, now);
        assert_eq!(m.axis.origin_ms, Some(ms("2026-05-11T10:00:01.000+08:00")));
        assert_eq!(m.axis.span_ms, 4000);
        assert_eq!(
            m.axis.ticks.iter().map(|t| t.label.as_str()).collect::<Vec<_>>(),
            ["0", "+1s", "+2s", "+3s", "+4s"]
        );
        let n1 = &m.nodes[0];
        assert!(n1.current && !n1.upcoming && n1.parallel());
        assert_eq!(m.now_offset, 3200);
        assert_eq!(n1.bar, Some(Bar { start: 0, end: None }));
        assert_eq!(
            n1.lanes[0].bar,
            Some(Bar {
                start: 500,
                end: Some(1000)
            })
        );
        assert_eq!(n1.lanes[1].bar, Some(Bar { start: 500, end: None }));
        assert_eq!(
            n1.lanes[2].bar, None,
            "READY has not run (its start is the creation time)"
        );
        assert_eq!(
            n1.counts,
            vec![(TaskState::Running, 1), (TaskState::Ready, 1), (TaskState::Succeed, 1)]
        );
        let n2 = &m.nodes[1];
        assert!(n2.upcoming && !n2.current && n2.bar.is_none());
        // Finished bars keep their place within a step.
        let later = TimelineModel::build(&dag, now + 400);
        assert_eq!(later.nodes[0].lanes[0].bar, n1.lanes[0].bar);
    }

    #[test]
    fn failed_lane_keeps_its_error_line_and_passed_without_running_has_no_bar() {
        let mut t = task(
            "1",
            TaskState::Failed,
            "2026-05-11T10:00:01Z",
            "2026-05-11T10:00:02Z",
            Some(vec!["x", "ERROR: [A.B]: boom", "later"]),
        );
        let n = node(
            "n",
            "N",
            TaskState::Failed,
            "2026-05-11T10:00:01Z",
            "2026-05-11T10:00:02Z",
            vec![t.clone()],
        );
        let dag = DagDetail {
            state: TaskState::Failed,
            nodes: Some(vec![n]),
            ..serde_json::from_str(r#"{"id":"1"}"#).unwrap()
        };
        let m = TimelineModel::build(&dag, 0);
        assert_eq!(m.nodes[0].lanes[0].error.as_deref(), Some("ERROR: [A.B]: boom"));
        t.state = TaskState::Succeed;
        t.operator = TaskOperator::Pass;
        t.execute_times = 0;
        assert_eq!(task_span(&t, 0), None);
    }

    #[test]
    fn every_dynamic_text_key_exists() {
        use obshell_proto::Lang;
        let states = [
            TaskState::Pending,
            TaskState::Ready,
            TaskState::Running,
            TaskState::Failed,
            TaskState::Succeed,
        ];
        let ops = [
            TaskOperator::Run,
            TaskOperator::Retry,
            TaskOperator::Rollback,
            TaskOperator::Cancel,
            TaskOperator::Pass,
        ];
        let mut keys: Vec<&str> = states
            .iter()
            .filter_map(state_key)
            .chain(ops.iter().filter_map(operator_key))
            .collect();
        for s in &states {
            keys.extend(ops.iter().filter_map(|o| outcome_key(s, o)));
        }
        for k in keys {
            for lang in [Lang::En, Lang::Zh] {
                assert_ne!(crate::i18n::text(lang, k), k, "{k} missing");
            }
        }
    }

    #[test]
    fn formats() {
        assert_eq!(format_duration(850), "850 ms");
        assert_eq!(format_duration(1234), "1.2 s");
        assert_eq!(format_duration(45_000), "45 s");
        assert_eq!(format_duration(185_000), "3 min 05 s");
        assert_eq!(format_duration(7_380_000), "2 h 03 min");
        assert_eq!(format_offset(90_000), "+1m30s");
        assert_eq!(Axis::covering(Some(0), 61_000).span_ms, 75_000);
        assert_eq!(Axis::covering(Some(0), 61_000).ticks.len(), 6);
        assert_eq!(
            outcome_key(&TaskState::Failed, &TaskOperator::Cancel),
            Some("outcome.cancelled")
        );
        assert_eq!(state_key(&TaskState::Unknown("PAUSED".into())), None);
    }
}
