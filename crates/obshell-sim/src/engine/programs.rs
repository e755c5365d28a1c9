//! What each sub-task does when the executor runs it: a list of steps (log lines, simulated
//! `ALTER SYSTEM` statements, waits on OceanBase's asynchronous state) executed a little per
//! tick, so a poller sees the logs grow. Log lines and error wrapping follow
//! `ob/agent/executor/ob/backup_config.go` and `backup.go` (the "wirte" typo included).
//!
//! The kinds of DAG and sub-task live here, not with the task rows in [`super::model`]: they are
//! what a program is built from, and the rows only carry them (so rows depend on programs, never
//! the other way round).

use crate::cluster::{Cluster, TenantRef};
use obshell_proto::backup::{BackupConfig, DestConf};
use obshell_proto::envelope::AgentInfo;
use obshell_proto::errors::codes;
use obshell_proto::storage::{Scheme, StorageDest, StorageWarning};
use obshell_proto::AgentError;
use std::collections::VecDeque;

/// What a DAG was created for; the context its sub-tasks read.
#[derive(Clone, Debug)]
pub(crate) enum DagKind {
    /// `Set obcluster backup config[ for <t>]`: `tenant` None = all user tenants (re-read when
    /// the sub-tasks run), with `/<cluster_id>/<tenant_id>/clog|data` sub-paths.
    BackupConfig {
        tenant: Option<TenantRef>,
        cfg: Box<BackupConfig>,
    },
    /// `Obcluster start full|increment backup[ for <t>]`.
    StartBackup {
        tenant: Option<TenantRef>,
        incremental: bool,
        encrypted: bool,
        plus_archive: bool,
    },
}

/// Which sub-task a row is: picks the program [`build`] returns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TaskKind {
    CheckBackupConfig,
    SetBackupConfig,
    CheckDestination,
    OpenArchiveLog,
    StartBackup,
    WaitBackupFinish,
}

/// How long the agent waits on OceanBase before `OB.Cluster.AsyncOperationTimeout` (1 s polls).
const WAIT_CLOSE_TICKS: u32 = 600;

#[derive(Debug)]
pub(crate) enum Step {
    Log(String),
    /// Let simulated time pass (the per-sub-task duration a human sees as progress).
    Sleep(u32),
    /// `checkAllPath(conf)` of "Check backup config", wrapped in `ctx` on failure.
    CheckPath {
        dest: Option<DestConf>,
        ctx: &'static str,
        tenants: Vec<TenantRef>,
        all: bool,
    },
    /// `closeAllArchiveLog` + `waitForAllArchiveLogStop`, wrapped as the agent wraps them.
    CloseAndWaitAll {
        tenants: Vec<TenantRef>,
        outer: Option<&'static str>,
    },
    /// `waitForArchiveLogClosed` then `waitForArchiveLogStop` then the "closed" line.
    WaitStop {
        t: TenantRef,
        outer: Option<&'static str>,
        phase: u8,
        waited: u32,
    },
    Sql(Sql),
    /// `stopBackupAndWait`.
    StopBackupAndWait(TenantRef),
    /// Polls until no backup job runs; the agent's own 3600-poll limit is never reached (the
    /// 3600 s sub-task timeout comes first).
    WaitBackupFinished(TenantRef),
    /// One tenant of `setDeletePolicy`.
    DeletePolicy {
        t: TenantRef,
        policy: String,
        window: String,
    },
    /// Second loop of `OpenArchiveLogTask`.
    EnsureArchiveDoing(TenantRef),
    WaitOpened {
        t: TenantRef,
        waited: u32,
    },
    WaitDoing {
        t: TenantRef,
        waited: u32,
    },
}

/// The statements the tasks issue; failures are wrapped as the agent wraps them.
#[derive(Debug)]
pub(crate) enum Sql {
    /// `ARCHIVELOG`; errors returned unwrapped (the open-archive task returns them as is).
    ArchiveLog(i64),
    EnableDest(i64),
    Concurrency {
        t: TenantRef,
        value: i64,
    },
    ArchiveDest {
        tid: i64,
        location: String,
        binding: Option<String>,
        piece: Option<String>,
    },
    LagTarget {
        t: TenantRef,
        value: String,
    },
    DataDest {
        tid: i64,
        uri: String,
    },
    HaScore {
        tid: i64,
        value: i64,
    },
    Backup {
        tid: i64,
        incremental: bool,
        plus_archive: bool,
        encrypted: bool,
    },
}

/// A sub-task execution in progress.
#[derive(Debug)]
pub(crate) struct Program {
    steps: VecDeque<Step>,
    sleeping: u32,
}

pub(crate) enum Outcome {
    Blocked,
    Done(Result<(), AgentError>),
}

/// What a step may touch.
pub(crate) struct Env<'a> {
    pub cluster: &'a mut Cluster,
    pub now: i128,
    pub agent: &'a AgentInfo,
    pub logs: Vec<String>,
}

impl Env<'_> {
    fn log(&mut self, s: impl Into<String>) {
        self.logs.push(s.into());
    }
}

enum Exec {
    Continue,
    Block(Step),
    Expand(Vec<Step>),
    Fail(AgentError),
}

impl Program {
    pub(crate) fn new(steps: Vec<Step>) -> Program {
        Program {
            steps: steps.into(),
            sleeping: 0,
        }
    }

    /// Runs until the program blocks (a wait not yet satisfied, a sleep) or ends.
    pub(crate) fn run_tick(&mut self, env: &mut Env<'_>) -> Outcome {
        if self.sleeping > 0 {
            self.sleeping -= 1;
            return Outcome::Blocked;
        }
        // Bounded: a program is finite and every expansion is finite.
        for _ in 0..10_000 {
            let Some(step) = self.steps.pop_front() else {
                return Outcome::Done(Ok(()));
            };
            if let Step::Sleep(n) = step {
                if n > 0 {
                    self.sleeping = n - 1;
                    return Outcome::Blocked;
                }
                continue;
            }
            match exec(step, env) {
                Exec::Continue => {}
                Exec::Block(s) => {
                    self.steps.push_front(s);
                    return Outcome::Blocked;
                }
                Exec::Expand(v) => {
                    for s in v.into_iter().rev() {
                        self.steps.push_front(s);
                    }
                }
                Exec::Fail(e) => return Outcome::Done(Err(e)),
            }
        }
        Outcome::Blocked
    }
}

fn exec(step: Step, env: &mut Env<'_>) -> Exec {
    match step {
        Step::Log(s) => {
            env.log(s);
            Exec::Continue
        }
        Step::Sleep(_) => Exec::Continue,
        Step::CheckPath {
            dest,
            ctx,
            tenants,
            all,
        } => check_path(env, dest, ctx, &tenants, all),
        Step::CloseAndWaitAll { tenants, outer } => {
            // closeAllArchiveLog
            for t in &tenants {
                if !env.cluster.archive_log_closed(t.id) {
                    env.log(format!("Close archive log for {}", t.label()));
                    env.cluster.close_archive_log(t.id);
                }
                env.log(format!("Archive log has been closed for {}", t.label()));
            }
            Exec::Expand(
                tenants
                    .into_iter()
                    .map(|t| Step::WaitStop {
                        t,
                        outer,
                        phase: 0,
                        waited: 0,
                    })
                    .collect(),
            )
        }
        Step::WaitStop {
            t,
            outer,
            phase,
            waited,
        } => {
            let fail = |what: &str, inner: &'static str| {
                let e = codes::OB_CLUSTER_ASYNC_OPERATION_TIMEOUT
                    .occur(&[&what])
                    .wrap(inner)
                    .wrap("wait archive log stop");
                Exec::Fail(match outer {
                    Some(o) => e.wrap(o),
                    None => e,
                })
            };
            match phase {
                0 => {
                    env.log(format!("Wait for {} to close archive log", t.label()));
                    Exec::Expand(vec![Step::WaitStop {
                        t,
                        outer,
                        phase: 1,
                        waited: 0,
                    }])
                }
                1 => {
                    if env.cluster.archive_log_closed(t.id) {
                        env.log(format!("Wait for {} archive log to be 'STOP'", t.label()));
                        Exec::Expand(vec![Step::WaitStop {
                            t,
                            outer,
                            phase: 2,
                            waited: 0,
                        }])
                    } else if waited >= WAIT_CLOSE_TICKS {
                        fail("close archive log", "wait archive log closed")
                    } else {
                        Exec::Block(Step::WaitStop {
                            t,
                            outer,
                            phase,
                            waited: waited + 1,
                        })
                    }
                }
                _ => {
                    let s = env.cluster.archive_status(t.id);
                    if s.is_empty() || s == "STOP" {
                        env.log(format!("Archive log has been closed for {}", t.label()));
                        Exec::Continue
                    } else {
                        Exec::Block(Step::WaitStop {
                            t,
                            outer,
                            phase,
                            waited: waited + 1,
                        })
                    }
                }
            }
        }
        Step::Sql(sql) => match run_sql(env, sql) {
            Ok(()) => Exec::Continue,
            Err(e) => Exec::Fail(e),
        },
        Step::StopBackupAndWait(t) => {
            if env.cluster.backup_finished(t.id) {
                return Exec::Continue;
            }
            env.cluster.cancel_backup(t.id);
            env.log(format!("Wait {} backup finish", t.label()));
            Exec::Expand(vec![Step::WaitBackupFinished(t)])
        }
        Step::WaitBackupFinished(t) => {
            if env.cluster.backup_finished(t.id) {
                env.log(format!("{} backup finished", t.label()));
                Exec::Continue
            } else {
                Exec::Block(Step::WaitBackupFinished(t))
            }
        }
        Step::DeletePolicy { t, policy, window } => {
            if let Some(cur) = env.cluster.delete_policy(t.id) {
                // `%v` of the agent's policy row: {TenantID PolicyName RecoveryWindow}.
                env.log(format!(
                    "Drop delete policy {{{} {} {}}} for {}",
                    t.id,
                    cur.name,
                    cur.recovery_window,
                    t.label()
                ));
                env.cluster.drop_delete_policy(t.id);
            }
            env.log(format!("Set delete policy to {{{policy} {window}}} for {}", t.label()));
            match env.cluster.add_delete_policy(t.id, &policy, &window) {
                Ok(()) => Exec::Continue,
                Err(e) => Exec::Fail(e.wrap("set delete policy")),
            }
        }
        Step::EnsureArchiveDoing(t) => {
            let mut steps = Vec::new();
            if env.cluster.archive_log_closed(t.id) {
                steps.push(Step::WaitOpened {
                    t: t.clone(),
                    waited: 0,
                });
            }
            let status = env.cluster.archive_status(t.id);
            env.log(format!("Archive log status of {} is '{}'", t.label(), status));
            match status.as_str() {
                "DOING" => {}
                "" | "PREPARE" | "BEGINNING" => steps.push(Step::WaitDoing { t, waited: 0 }),
                "STOP" | "STOPPING" => {
                    steps.push(Step::Sql(Sql::ArchiveLog(t.id)));
                    steps.push(Step::WaitOpened {
                        t: t.clone(),
                        waited: 0,
                    });
                    steps.push(Step::WaitDoing { t, waited: 0 });
                }
                "SUSPEND" | "SUSPENDING" => {
                    steps.push(Step::Sql(Sql::EnableDest(t.id)));
                    steps.push(Step::WaitDoing { t, waited: 0 });
                }
                "INTERRUPTED" => {
                    return Exec::Fail(
                        codes::COMMON_UNEXPECTED.occur(&[&format!("tenant {} archive log interrupted", t.label())]),
                    );
                }
                _ => {}
            }
            Exec::Expand(steps)
        }
        Step::WaitOpened { t, waited } => {
            if waited == 0 {
                env.log(format!("Wait {} archive log opened", t.label()));
            }
            if !env.cluster.archive_log_closed(t.id) {
                Exec::Continue
            } else if waited >= WAIT_CLOSE_TICKS {
                Exec::Fail(codes::OB_CLUSTER_ASYNC_OPERATION_TIMEOUT.occur(&[&"wait archive log opened"]))
            } else {
                Exec::Block(Step::WaitOpened { t, waited: waited + 1 })
            }
        }
        Step::WaitDoing { t, waited } => {
            if waited == 0 {
                env.log(format!("Wait for {} archive log to be 'DOING'", t.label()));
            }
            let s = env.cluster.archive_status(t.id);
            if s == "DOING" {
                Exec::Continue
            } else {
                Exec::Block(Step::WaitDoing { t, waited: waited + 1 })
            }
        }
    }
}

fn run_sql(env: &mut Env<'_>, sql: Sql) -> Result<(), AgentError> {
    let c = &mut *env.cluster;
    match sql {
        Sql::ArchiveLog(tid) => c.open_archive_log(tid),
        Sql::EnableDest(tid) => {
            c.set_dest_state(tid, true);
            Ok(())
        }
        Sql::Concurrency { t, value } => {
            c.set_param(t.id, "log_archive_concurrency", value.to_string());
            env.log(format!("Set log archive concurrency to '{value}' for {}", t.label()));
            Ok(())
        }
        Sql::ArchiveDest {
            tid,
            location,
            binding,
            piece,
        } => c
            .set_archive_dest(tid, &location, binding.as_deref(), piece.as_deref())
            .map_err(|e| e.wrap("set log archive")),
        Sql::LagTarget { t, value } => c
            .set_archive_lag_target(t.id, &value)
            .map_err(|e| e.wrap(format!("set archive lag target for {}", t.label()))),
        Sql::DataDest { tid, uri } => c.set_data_dest(tid, &uri).map_err(|e| e.wrap("set data path")),
        Sql::HaScore { tid, value } => {
            c.set_param(tid, "ha_low_thread_score", value.to_string());
            Ok(())
        }
        Sql::Backup {
            tid,
            incremental,
            plus_archive,
            encrypted,
        } => c
            .start_backup(tid, incremental, plus_archive, encrypted, env.now)
            .map_err(|e| {
                e.wrap(if incremental {
                    "start incremental backup"
                } else {
                    "start full backup"
                })
            }),
    }
}

/// `GetDestSubpath`: `<cluster_id>/<tenant_id>/<dir>` for cluster-level configs, "" otherwise.
fn subpath(all: bool, cluster_id: i64, tid: i64, dir: &str) -> String {
    if all {
        format!("{cluster_id}/{tid}/{dir}")
    } else {
        String::new()
    }
}

fn check_path(env: &mut Env<'_>, dest: Option<DestConf>, ctx: &'static str, tenants: &[TenantRef], all: bool) -> Exec {
    let Some(dest) = dest.filter(|d| !d.base_uri.is_empty()) else {
        env.log("Path is empty, skip check");
        return Exec::Continue;
    };
    let storage = match StorageDest::parse(&dest.base_uri) {
        Ok(s) => s,
        // The agent uses this context for the data path too.
        Err(e) => return Exec::Fail(e.wrap("get archive storage interface").wrap(ctx)),
    };
    let scheme = storage.scheme.map(Scheme::as_str).unwrap_or("");
    env.log(format!("Storage type is '{scheme}'"));
    let cluster_id = env.cluster.cluster_id;
    for t in tenants {
        let sub = storage.with_subpath(&subpath(all, cluster_id, t.id, dest.joined_dir));
        env.log(format!("Check '{}' wirte permission", t.name));
        if let Err(e) = write_test(&sub, env.agent) {
            return Exec::Fail(e.wrap("check write permission").wrap(ctx));
        }
    }
    Exec::Continue
}

/// The simulated write test (`CheckWritePermission`). `file://` paths under `/denied` fail like
/// an unwritable directory; object stores fail without endpoint or credentials, or when the
/// host contains `denied` (messages are the simulator's, shaped like the SDK errors).
fn write_test(d: &StorageDest, agent: &AgentInfo) -> Result<(), AgentError> {
    match d.scheme {
        Some(Scheme::File) => {
            if d.path == "/denied" || d.path.starts_with("/denied/") {
                return Err(AgentError::unexpected_raw(format!(
                    "mkdir {}: permission denied",
                    d.path
                )));
            }
            Ok(())
        }
        _ => {
            let object = format!("{}/{}/{}", d.object_key, agent.ip, agent.port);
            let w = d.warnings();
            if w.contains(&StorageWarning::MissingHost) {
                return Err(AgentError::unexpected_raw(format!(
                    "put object '{object}' to bucket '{}': endpoint (host) is empty",
                    d.bucket
                )));
            }
            if w.contains(&StorageWarning::MissingAccessId) || w.contains(&StorageWarning::MissingAccessKey) {
                return Err(AgentError::unexpected_raw(format!(
                    "put object '{object}' to bucket '{}': access_id or access_key is empty",
                    d.bucket
                )));
            }
            if d.host.contains("denied") {
                return Err(AgentError::unexpected_raw(format!(
                    "put object '{object}' to bucket '{}': AccessDenied: access denied",
                    d.bucket
                )));
            }
            Ok(())
        }
    }
}

/// Parameters a program is built from.
pub(crate) struct BuildCtx<'a> {
    pub kind: &'a DagKind,
    pub task: TaskKind,
    pub cluster: &'a Cluster,
    pub agent_index: usize,
    /// Base simulated duration in ticks (`--task-ticks`).
    pub task_ticks: u32,
}

/// The tenants a DAG works on, as the task reads them when it runs.
fn tenants(kind: &DagKind, cluster: &Cluster) -> (Vec<TenantRef>, bool) {
    let t = match kind {
        DagKind::BackupConfig { tenant, .. } | DagKind::StartBackup { tenant, .. } => tenant,
    };
    match t {
        Some(t) => (vec![t.clone()], false),
        None => (cluster.user_tenants(), true),
    }
}

/// The forward execution of a sub-task (`Execute()`).
pub(crate) fn build(b: &BuildCtx<'_>) -> Vec<Step> {
    let (tenants, all) = tenants(b.kind, b.cluster);
    let d = b.task_ticks;
    match (b.kind, b.task) {
        (DagKind::BackupConfig { cfg, .. }, TaskKind::CheckBackupConfig) => vec![
            Step::Log("Check archive path for all tenants".into()),
            Step::CheckPath {
                dest: cfg.archive_dest(),
                ctx: "check archive path",
                tenants: tenants.clone(),
                all,
            },
            // Agents answer at different speeds: a parallel node shows mixed states for a while.
            Step::Sleep(d + b.agent_index as u32 * d.min(1)),
            Step::Log("Check data path for all tenants".into()),
            Step::CheckPath {
                dest: cfg.data_dest(),
                ctx: "check data path",
                tenants,
                all,
            },
        ],
        (DagKind::BackupConfig { cfg, .. }, TaskKind::SetBackupConfig) => {
            set_backup_config(cfg, &tenants, all, b.cluster.cluster_id, d)
        }
        (DagKind::StartBackup { .. }, TaskKind::CheckDestination) => vec![Step::Sleep(d)],
        (DagKind::StartBackup { .. }, TaskKind::OpenArchiveLog) => {
            let mut steps = Vec::new();
            for t in &tenants {
                if b.cluster.archive_log_closed(t.id) {
                    steps.push(Step::Log(format!("Open archive log of {}", t.label())));
                    steps.push(Step::Sql(Sql::ArchiveLog(t.id)));
                }
            }
            steps.extend(tenants.into_iter().map(Step::EnsureArchiveDoing));
            steps
        }
        (
            DagKind::StartBackup {
                incremental,
                encrypted,
                plus_archive,
                ..
            },
            TaskKind::StartBackup,
        ) => {
            let mut steps = Vec::new();
            for t in tenants {
                let kind = if *incremental { "incremental" } else { "full" };
                steps.push(Step::Log(format!("Start {kind} backup of {}", t.label())));
                steps.push(Step::Sql(Sql::Backup {
                    tid: t.id,
                    incremental: *incremental,
                    plus_archive: *plus_archive,
                    encrypted: *encrypted,
                }));
            }
            steps
        }
        (DagKind::StartBackup { .. }, TaskKind::WaitBackupFinish) => {
            let mut steps = Vec::new();
            for t in tenants {
                steps.push(Step::Log(format!("Wait {} backup finish", t.label())));
                steps.push(Step::WaitBackupFinished(t));
            }
            steps
        }
        _ => Vec::new(),
    }
}

/// The rollback of a sub-task: none of the backup tasks undoes anything. (The agent's
/// `StartBackupTask` and `OpenArchiveLogTask` define `RollBack`, capital B, which the executor
/// never calls; it runs the embedded `Task.Rollback`, which does nothing — so a RETRY of a
/// failed "Start backup" does not cancel the backup that is running.)
pub(crate) fn build_rollback(_b: &BuildCtx<'_>) -> Vec<Step> {
    Vec::new()
}

/// `SetBackupConfigTask.Execute` (protocol §4.7, the node 2 steps).
fn set_backup_config(cfg: &BackupConfig, tenants: &[TenantRef], all: bool, cluster_id: i64, d: u32) -> Vec<Step> {
    let mut s = Vec::new();
    if let Some(v) = cfg.log_archive_concurrency {
        s.push(Step::CloseAndWaitAll {
            tenants: tenants.to_vec(),
            outer: None,
        });
        for t in tenants {
            s.push(Step::Sql(Sql::Concurrency { t: t.clone(), value: v }));
        }
        s.push(Step::Sleep(d));
    }
    if let Some(dest) = cfg.archive_dest().filter(|d| !d.base_uri.is_empty()) {
        s.push(Step::CloseAndWaitAll {
            tenants: tenants.to_vec(),
            outer: Some("set log archive"),
        });
        if let Some(b) = &cfg.binding {
            s.push(Step::Log(format!("Set log archive dest binding to {b}")));
        }
        if let Some(p) = &cfg.piece_switch_interval {
            s.push(Step::Log(format!("Set log archive dest piece switch interval to {p}")));
        }
        for t in tenants {
            s.push(Step::Log(format!("Set log archive dest for {}", t.label())));
            let location = uri_steps(&mut s, &dest, all, cluster_id, t.id);
            s.push(Step::Sql(Sql::ArchiveDest {
                tid: t.id,
                location,
                binding: cfg.binding.clone(),
                piece: cfg.piece_switch_interval.clone(),
            }));
        }
        s.push(Step::Sleep(d));
    }
    if let Some(v) = &cfg.archive_lag_target {
        s.push(Step::Log(format!("Set archive lag target to {v}")));
        for t in tenants {
            s.push(Step::Sql(Sql::LagTarget {
                t: t.clone(),
                value: v.clone(),
            }));
        }
    }
    if let Some(dest) = cfg.data_dest().filter(|d| !d.base_uri.is_empty()) {
        for t in tenants {
            s.push(Step::Log(format!("Set data backup dest for {}", t.label())));
            s.push(Step::StopBackupAndWait(t.clone()));
            let uri = uri_steps(&mut s, &dest, all, cluster_id, t.id);
            s.push(Step::Sql(Sql::DataDest { tid: t.id, uri }));
        }
        s.push(Step::Sleep(d));
    }
    if let Some(v) = cfg.ha_low_thread_score {
        for t in tenants {
            s.push(Step::Log(format!("Set ha low thread score for {} to {v}", t.label())));
            s.push(Step::Sql(Sql::HaScore { tid: t.id, value: v }));
        }
    }
    if let Some(p) = &cfg.delete_policy {
        for t in tenants {
            s.push(Step::DeletePolicy {
                t: t.clone(),
                policy: p.policy.clone(),
                window: p.recovery_window.clone(),
            });
        }
    }
    s
}

/// `getURI`: logs `URI is '<uri without secret>'` and returns the URI with credentials; a URI
/// that does not parse (node 1 was passed) yields "" and no log line, as the agent ignores the
/// error there.
fn uri_steps(s: &mut Vec<Step>, dest: &DestConf, all: bool, cluster_id: i64, tid: i64) -> String {
    match StorageDest::parse(&dest.base_uri) {
        Ok(st) => {
            let sub = st.with_subpath(&subpath(all, cluster_id, tid, dest.joined_dir));
            s.push(Step::Log(format!("URI is '{}'", sub.uri_without_secret())));
            sub.generate_uri()
        }
        Err(_) => String::new(),
    }
}
