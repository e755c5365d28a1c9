//! The simulated OceanBase cluster: tenants and everything the backup endpoints read back
//! (`CDB_OB_ARCHIVE_DEST`, `CDB_OB_BACKUP_PARAMETER`, tenant parameters, archive rounds, backup
//! jobs). DAG sub-tasks change it through [`Cluster`] methods that stand for the agent's
//! `ALTER SYSTEM` statements; [`Cluster::tick`] plays OceanBase's asynchronous side (archive log
//! BEGINNING → DOING, STOPPING → STOP, backup jobs finishing).

use obshell_proto::AgentError;
use std::collections::BTreeMap;

pub(crate) const SYS_TENANT: &str = "sys";
pub(crate) const SYS_TENANT_ID: i64 = 1;

/// The default of [`Cluster::backup_ticks`] (`--backup-ticks`, `POST /__sim/backup`).
pub(crate) const BACKUP_JOB_TICKS: u32 = 3;

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Tenant {
    pub id: i64,
    pub name: String,
    pub created_nanos: i128,
    pub backup: TenantBackup,
    pub params: BTreeMap<&'static str, String>,
}

impl Tenant {
    pub(crate) fn is_user(&self) -> bool {
        self.id != SYS_TENANT_ID
    }
}

/// `LOG_ARCHIVE_DEST` as written by the agent (the URI keeps its credentials).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ArchiveDest {
    pub location: String,
    pub binding: String,
    pub piece_switch_interval: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub(crate) struct TenantBackup {
    pub archive_dest: Option<ArchiveDest>,
    /// `DATA_BACKUP_DEST`; empty when unset.
    pub data_dest: String,
    /// `ARCHIVELOG` (true) or `NOARCHIVELOG`.
    pub archivelog: bool,
    /// `LOG_ARCHIVE_DEST_STATE`: true = ENABLE, false = DEFER.
    pub dest_enabled: bool,
    /// Archive status of the current round: "" (no round), BEGINNING, DOING, STOPPING, STOP,
    /// SUSPENDING, SUSPEND, INTERRUPTED.
    pub archive_status: String,
    /// The newest archive round (`CDB_OB_ARCHIVELOG_SUMMARY` keeps stopped rounds too).
    pub round: Option<ArchiveRound>,
    pub delete_policy: Option<DeletePolicy>,
    pub jobs: Vec<BackupJob>,
    pub history: Vec<BackupJob>,
    pub next_backup_set_id: i64,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ArchiveRound {
    pub round_id: i64,
    pub path: String,
    pub start_nanos: i128,
    pub checkpoint_nanos: i128,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct DeletePolicy {
    pub name: String,
    pub recovery_window: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct BackupJob {
    pub job_id: i64,
    pub tenant_id: i64,
    pub backup_set_id: i64,
    pub incremental: bool,
    pub plus_archivelog: bool,
    pub encrypted: bool,
    pub start_nanos: i128,
    pub end_nanos: Option<i128>,
    /// INIT, DOING, COMPLETED, CANCELING, CANCELED, FAILED.
    pub status: String,
    pub result: i64,
    pub comment: String,
    pub path: String,
    pub ticks: u32,
}

/// One tenant parameter known to the simulator (`GV$OB_PARAMETERS` row shape).
pub(crate) struct ParamDef {
    pub name: &'static str,
    pub data_type: &'static str,
    pub default: &'static str,
    pub info: &'static str,
}

pub(crate) const PARAMS: &[ParamDef] = &[
    ParamDef { name: "archive_lag_target", data_type: "TIME", default: "2m", info: "The lag target of the log archive. The log archive target affects not only the backup availability, but also the lifecycle of the log loop. Range: [0ms, 7200s]" },
    ParamDef { name: "backup_data_file_size", data_type: "CAPACITY", default: "4G", info: "backup data file size. Range: [512M, 4G] in integer" },
    ParamDef { name: "ha_high_thread_score", data_type: "INT", default: "0", info: "the current work thread score of high availability high thread. Range: [0,100] in integer. Especially, 0 means default value" },
    ParamDef { name: "ha_low_thread_score", data_type: "INT", default: "0", info: "the current work thread score of high availability low thread. Range: [0,100] in integer. Especially, 0 means default value" },
    ParamDef { name: "ha_mid_thread_score", data_type: "INT", default: "0", info: "the current work thread score of high availability mid thread. Range: [0,100] in integer. Especially, 0 means default value" },
    ParamDef { name: "log_archive_concurrency", data_type: "INT", default: "0", info: "log archive concurrency, for both archive fetcher and sender. Range: [0, 100] in integer" },
    ParamDef { name: "log_restore_concurrency", data_type: "INT", default: "0", info: "log restore concurrency, for both the restore tenant and standby tenant. Range: [0, 100] in integer" },
];

#[derive(Clone, Debug)]
pub(crate) struct Cluster {
    pub cluster_id: i64,
    pub tenants: Vec<Tenant>,
    pub next_job_id: i64,
    pub next_round_id: i64,
    /// A data backup job completes on its N-th OB tick (INIT before its first, DOING in
    /// between); a change applies to running jobs too.
    pub backup_ticks: u32,
}

/// A MySQL driver error as OceanBase would return it for a rejected `ALTER SYSTEM` argument
/// (shape inferred: `Error 1210 (HY000): Incorrect arguments to <what>`).
pub(crate) fn incorrect_arguments(what: &str) -> AgentError {
    AgentError::mysql(format!("Error 1210 (HY000): Incorrect arguments to {what}"))
}

/// OceanBase's answer to a destination the agent put between single quotes although it holds
/// one (`ob/agent/service/tenant/backup.go` L124-132, L188: no escaping). Error number and
/// class are MySQL's for a syntax error; the text after "near" is left out (it would quote
/// the rest of the destination, credentials included).
pub(crate) fn quote_breaks_statement(uri: &str) -> Result<(), AgentError> {
    if uri.contains('\'') {
        return Err(AgentError::mysql(
            "Error 1064 (42000): You have an error in your SQL syntax; check the manual that corresponds to your OceanBase version for the right syntax to use",
        ));
    }
    Ok(())
}

impl Cluster {
    /// `sys` (1) plus the user tenants with ids 1002, 1004, … (OceanBase pairs each user tenant
    /// with a META tenant of the odd id before it, which the agent never shows).
    pub(crate) fn new(cluster_id: i64, tenant_names: &[String], now: i128) -> Cluster {
        let mut tenants = vec![Tenant::new(SYS_TENANT_ID, SYS_TENANT, now)];
        for (i, name) in tenant_names.iter().enumerate() {
            tenants.push(Tenant::new(1002 + 2 * i as i64, name, now));
        }
        Cluster {
            cluster_id,
            tenants,
            next_job_id: 1,
            next_round_id: 1,
            backup_ticks: BACKUP_JOB_TICKS,
        }
    }

    pub(crate) fn tenant(&self, name: &str) -> Option<&Tenant> {
        self.tenants.iter().find(|t| t.name == name)
    }

    pub(crate) fn tenant_by_id(&self, id: i64) -> Option<&Tenant> {
        self.tenants.iter().find(|t| t.id == id)
    }

    pub(crate) fn tenant_mut(&mut self, id: i64) -> Option<&mut Tenant> {
        self.tenants.iter_mut().find(|t| t.id == id)
    }

    /// `GetAllUserTenants` (`TENANT_TYPE = 'USER'`).
    pub(crate) fn user_tenants(&self) -> Vec<TenantRef> {
        self.tenants.iter().filter(|t| t.is_user()).map(TenantRef::of).collect()
    }

    // ----- statements the DAG tasks issue -------------------------------------------------

    /// `IsArchiveLogClosed`: log mode is NOARCHIVELOG.
    pub(crate) fn archive_log_closed(&self, tid: i64) -> bool {
        self.tenant_by_id(tid).is_none_or(|t| !t.backup.archivelog)
    }

    pub(crate) fn archive_status(&self, tid: i64) -> String {
        self.tenant_by_id(tid)
            .map(|t| t.backup.archive_status.clone())
            .unwrap_or_default()
    }

    /// `ALTER SYSTEM NOARCHIVELOG TENANT = t`.
    pub(crate) fn close_archive_log(&mut self, tid: i64) {
        if let Some(t) = self.tenant_mut(tid) {
            t.backup.archivelog = false;
        }
    }

    /// `ALTER SYSTEM ARCHIVELOG TENANT = t` (OceanBase refuses without an archive dest).
    pub(crate) fn open_archive_log(&mut self, tid: i64) -> Result<(), AgentError> {
        let t = self.tenant_mut(tid).ok_or_else(|| incorrect_arguments("tenant"))?;
        if t.backup.archive_dest.is_none() {
            return Err(AgentError::mysql("Error 9079 (HY000): log archive dest is not set"));
        }
        t.backup.archivelog = true;
        Ok(())
    }

    /// `ALTER SYSTEM SET LOG_ARCHIVE_DEST_STATE = 'ENABLE'|'DEFER'`.
    pub(crate) fn set_dest_state(&mut self, tid: i64, enable: bool) {
        if let Some(t) = self.tenant_mut(tid) {
            t.backup.dest_enabled = enable;
        }
    }

    pub(crate) fn set_param(&mut self, tid: i64, name: &'static str, value: String) {
        if let Some(t) = self.tenant_mut(tid) {
            t.params.insert(name, value);
        }
    }

    /// `ALTER SYSTEM SET LOG_ARCHIVE_DEST = 'LOCATION=… [BINDING=…] [PIECE_SWITCH_INTERVAL=…]'`.
    /// The whole value is replaced: binding and piece interval fall back to OceanBase's defaults
    /// when not given. An empty `PIECE_SWITCH_INTERVAL=` or an empty location is rejected.
    pub(crate) fn set_archive_dest(
        &mut self,
        tid: i64,
        location: &str,
        binding: Option<&str>,
        piece: Option<&str>,
    ) -> Result<(), AgentError> {
        quote_breaks_statement(location)?;
        if location.is_empty() {
            return Err(incorrect_arguments("LOG_ARCHIVE_DEST"));
        }
        if let Some(p) = piece {
            if obshell_proto::duration::parse(p).is_err() {
                return Err(incorrect_arguments("PIECE_SWITCH_INTERVAL"));
            }
        }
        let t = self.tenant_mut(tid).ok_or_else(|| incorrect_arguments("tenant"))?;
        t.backup.archive_dest = Some(ArchiveDest {
            location: location.to_string(),
            binding: binding.unwrap_or("OPTIONAL").to_string(),
            piece_switch_interval: piece.unwrap_or("1d").to_string(),
        });
        Ok(())
    }

    /// `ALTER SYSTEM SET ARCHIVE_LAG_TARGET = '<v>'`: OceanBase accepts [0ms, 7200s].
    pub(crate) fn set_archive_lag_target(&mut self, tid: i64, value: &str) -> Result<(), AgentError> {
        // The agent's grammar, but from 0 (OceanBase's range; the agent's own check starts at 1ns).
        let ok = match obshell_proto::duration::parse(value) {
            Ok(d) => d <= obshell_proto::backup::ARCHIVE_LAG_TARGET_MAX,
            Err(e) => e == obshell_proto::duration::DurationError::LessThanMin,
        };
        if !ok {
            return Err(incorrect_arguments("archive_lag_target"));
        }
        self.set_param(tid, "archive_lag_target", value.to_string());
        Ok(())
    }

    pub(crate) fn set_data_dest(&mut self, tid: i64, uri: &str) -> Result<(), AgentError> {
        quote_breaks_statement(uri)?;
        if uri.is_empty() {
            return Err(incorrect_arguments("DATA_BACKUP_DEST"));
        }
        if let Some(t) = self.tenant_mut(tid) {
            t.backup.data_dest = uri.to_string();
        }
        Ok(())
    }

    pub(crate) fn delete_policy(&self, tid: i64) -> Option<DeletePolicy> {
        self.tenant_by_id(tid).and_then(|t| t.backup.delete_policy.clone())
    }

    pub(crate) fn drop_delete_policy(&mut self, tid: i64) {
        if let Some(t) = self.tenant_mut(tid) {
            t.backup.delete_policy = None;
        }
    }

    /// `ALTER SYSTEM ADD DELETE BACKUP POLICY 'default' RECOVERY_WINDOW '<w>'`: the window must
    /// be a duration OceanBase understands.
    pub(crate) fn add_delete_policy(&mut self, tid: i64, name: &str, window: &str) -> Result<(), AgentError> {
        if obshell_proto::backup::recovery_window_refusal(window).is_some() {
            return Err(incorrect_arguments("recovery_window"));
        }
        if let Some(t) = self.tenant_mut(tid) {
            t.backup.delete_policy = Some(DeletePolicy {
                name: name.to_string(),
                recovery_window: window.to_string(),
            });
        }
        Ok(())
    }

    /// `IsBackupFinished`: no job in `CDB_OB_BACKUP_JOBS`.
    pub(crate) fn backup_finished(&self, tid: i64) -> bool {
        self.tenant_by_id(tid).is_none_or(|t| t.backup.jobs.is_empty())
    }

    /// `ALTER SYSTEM CANCEL BACKUP TENANT = t`.
    pub(crate) fn cancel_backup(&mut self, tid: i64) {
        if let Some(t) = self.tenant_mut(tid) {
            for j in &mut t.backup.jobs {
                j.status = "CANCELING".into();
            }
        }
    }

    /// `ALTER SYSTEM BACKUP [INCREMENTAL] TENANT = t [PLUS ARCHIVELOG]`.
    pub(crate) fn start_backup(
        &mut self,
        tid: i64,
        incremental: bool,
        plus_archivelog: bool,
        encrypted: bool,
        now: i128,
    ) -> Result<(), AgentError> {
        let job_id = self.next_job_id;
        let t = self.tenant_mut(tid).ok_or_else(|| incorrect_arguments("tenant"))?;
        if !t.backup.jobs.is_empty() {
            return Err(AgentError::mysql("Error 9043 (HY000): backup is already in progress"));
        }
        if t.backup.data_dest.is_empty() {
            return Err(AgentError::mysql("Error 9026 (HY000): backup destination is not set"));
        }
        if incremental && !t.backup.history.iter().any(|j| j.status == "COMPLETED") {
            return Err(AgentError::mysql(
                "Error 9047 (HY000): no full backup found, incremental backup is not allowed",
            ));
        }
        t.backup.next_backup_set_id += 1;
        let set_id = t.backup.next_backup_set_id;
        let kind = if incremental { "inc" } else { "full" };
        t.backup.jobs.push(BackupJob {
            job_id,
            tenant_id: tid,
            backup_set_id: set_id,
            incremental,
            plus_archivelog,
            encrypted,
            // CDB_OB_BACKUP_JOBS' timestamps are TIMESTAMP(6): microseconds.
            start_nanos: crate::clock::truncate_micros(now),
            end_nanos: None,
            status: "INIT".into(),
            result: 0,
            comment: String::new(),
            path: format!("{}/backup_set_{set_id}_{kind}", strip_query(&t.backup.data_dest)),
            ticks: 0,
        });
        self.next_job_id += 1;
        Ok(())
    }

    /// OceanBase's asynchronous progress, once per scheduler tick.
    pub(crate) fn tick(&mut self, now: i128) {
        let mut next_round = self.next_round_id;
        let backup_ticks = self.backup_ticks.max(1);
        for t in &mut self.tenants {
            let b = &mut t.backup;
            let status = b.archive_status.as_str();
            let next = if b.archivelog {
                match status {
                    "" | "STOP" | "STOPPING" => Some("BEGINNING"),
                    "BEGINNING" if b.dest_enabled => Some("DOING"),
                    "DOING" if !b.dest_enabled => Some("SUSPENDING"),
                    "SUSPENDING" => Some("SUSPEND"),
                    "SUSPEND" if b.dest_enabled => Some("DOING"),
                    _ => None,
                }
            } else {
                match status {
                    "" | "STOP" | "INTERRUPTED" => None,
                    "STOPPING" => Some("STOP"),
                    _ => Some("STOPPING"),
                }
            };
            if let Some(n) = next {
                if n == "BEGINNING" {
                    let path = b
                        .archive_dest
                        .as_ref()
                        .map(|d| strip_query(&d.location))
                        .unwrap_or_default();
                    b.round = Some(ArchiveRound {
                        round_id: next_round,
                        path,
                        start_nanos: now,
                        checkpoint_nanos: now,
                    });
                    next_round += 1;
                }
                b.archive_status = n.to_string();
            }
            if b.archive_status == "DOING" {
                if let Some(r) = b.round.as_mut() {
                    // The checkpoint trails "now" by a second or so, like a healthy archive.
                    r.checkpoint_nanos = now - 1_234_500_000;
                }
            }
            let mut finished = Vec::new();
            for (i, j) in b.jobs.iter_mut().enumerate() {
                j.ticks += 1;
                match j.status.as_str() {
                    "INIT" | "DOING" if j.ticks >= backup_ticks => {
                        j.status = "COMPLETED".into();
                        j.end_nanos = Some(crate::clock::truncate_micros(now));
                        finished.push(i);
                    }
                    "INIT" => j.status = "DOING".into(),
                    "CANCELING" => {
                        j.status = "CANCELED".into();
                        j.result = -4072;
                        j.comment = "backup canceled".into();
                        j.end_nanos = Some(crate::clock::truncate_micros(now));
                        finished.push(i);
                    }
                    _ => {}
                }
            }
            for i in finished.into_iter().rev() {
                let j = b.jobs.remove(i);
                b.history.push(j);
            }
        }
        self.next_round_id = next_round;
    }

    /// A demo cluster state: the first user tenant already backs up to `file:///data/backup`,
    /// archiving DOING, one completed full backup in history. Runs with the default
    /// [`BACKUP_JOB_TICKS`] (the configured value is applied after seeding).
    pub(crate) fn seed_backup(&mut self, now: i128) {
        let cid = self.cluster_id;
        let Some(first) = self.tenants.iter().find(|t| t.is_user()).map(|t| t.id) else {
            return;
        };
        let base = "file:///data/backup";
        let _ = self.set_archive_dest(first, &format!("{base}/{cid}/{first}/clog"), None, None);
        let _ = self.set_data_dest(first, &format!("{base}/{cid}/{first}/data"));
        let _ = self.open_archive_log(first);
        self.tick(now - 120_000_000_000);
        self.tick(now - 119_000_000_000);
        let _ = self.start_backup(first, false, false, false, now - 100_000_000_000);
        for i in 0..BACKUP_JOB_TICKS {
            self.tick(now - 99_000_000_000 + i as i128 * 30_000_000_000);
        }
        self.tick(now);
    }

    /// `--seed-history` / `POST /__sim/seed-history`: a user tenant with ten days of backups.
    /// Destinations `file:///data/backup/<cluster_id>/<tenant_id>/{clog,data}` unless already
    /// configured, archive log DOING (the current round kept if one runs, else a new one from
    /// before the first job), and [`SEEDED_HISTORY`] as its whole job history (what was there is
    /// replaced; refused while a job runs). Backup set ids 1…6, job ids the cluster's next ones.
    /// Times are whole-second offsets from `now` plus fixed microseconds: deterministic.
    pub(crate) fn seed_history(&mut self, tid: i64, now: i128) -> Result<Vec<i64>, String> {
        let cid = self.cluster_id;
        let t = self
            .tenant_by_id(tid)
            .filter(|t| t.is_user())
            .ok_or_else(|| format!("no user tenant with id {tid}"))?;
        if !t.backup.jobs.is_empty() {
            return Err(format!("tenant {} has a running backup job", t.name));
        }
        let base = "file:///data/backup";
        if t.backup.archive_dest.is_none() {
            self.set_archive_dest(tid, &format!("{base}/{cid}/{tid}/clog"), None, None)
                .map_err(|e| e.to_string())?;
        }
        if self.tenant_by_id(tid).is_some_and(|t| t.backup.data_dest.is_empty()) {
            self.set_data_dest(tid, &format!("{base}/{cid}/{tid}/data"))
                .map_err(|e| e.to_string())?;
        }
        let sec = 1_000_000_000i128;
        let now_s = crate::clock::truncate_secs(now);
        let first_job = self.next_job_id;
        let round_id = self.next_round_id;
        let t = self.tenant_mut(tid).expect("checked");
        let b = &mut t.backup;
        let data = strip_query(&b.data_dest);
        b.history = SEEDED_HISTORY
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let set_id = i as i64 + 1;
                let start = now_s - s.hours_ago * 3600 * sec + s.start_micros * 1000;
                BackupJob {
                    job_id: first_job + i as i64,
                    tenant_id: tid,
                    backup_set_id: set_id,
                    incremental: s.incremental,
                    plus_archivelog: s.plus_archivelog,
                    encrypted: false,
                    start_nanos: start,
                    end_nanos: Some(start + s.secs * sec + s.end_micros * 1000),
                    status: s.status.into(),
                    result: s.result,
                    comment: s.comment.into(),
                    path: format!(
                        "{data}/backup_set_{set_id}_{}",
                        if s.incremental { "inc" } else { "full" }
                    ),
                    ticks: 0,
                }
            })
            .collect();
        b.next_backup_set_id = SEEDED_HISTORY.len() as i64;
        b.archivelog = true;
        b.dest_enabled = true;
        let running = matches!(
            b.archive_status.as_str(),
            "BEGINNING" | "PREPARE" | "DOING" | "SUSPENDING" | "SUSPEND"
        );
        let mut new_round = false;
        if !running || b.round.is_none() {
            let first_start = b.history.first().map(|j| j.start_nanos).unwrap_or(now_s);
            b.round = Some(ArchiveRound {
                round_id,
                path: b
                    .archive_dest
                    .as_ref()
                    .map(|d| strip_query(&d.location))
                    .unwrap_or_default(),
                start_nanos: first_start - 300 * sec,
                checkpoint_nanos: now,
            });
            new_round = true;
        }
        b.archive_status = "DOING".into();
        if let Some(r) = b.round.as_mut() {
            // As `tick` keeps a DOING round: the checkpoint a second or so behind.
            r.checkpoint_nanos = now - 1_234_500_000;
        }
        let sets = b.history.iter().map(|j| j.backup_set_id).collect();
        self.next_job_id += SEEDED_HISTORY.len() as i64;
        if new_round {
            self.next_round_id += 1;
        }
        Ok(sets)
    }
}

/// One job of the seeded history (oldest first).
pub(crate) struct SeededJob {
    /// Start, in whole hours before "now" (then `start_micros` added).
    pub hours_ago: i128,
    pub start_micros: i128,
    /// Duration in whole seconds (then `end_micros` added).
    pub secs: i128,
    pub end_micros: i128,
    pub incremental: bool,
    pub plus_archivelog: bool,
    pub status: &'static str,
    pub result: i64,
    pub comment: &'static str,
}

/// Ten days of backups: a full one, two incrementals, an incremental that failed, a full one
/// that was cancelled, and the newest full one. The failure's comment is modelled on
/// OceanBase's (error text, server, trace id); -4009 is `OB_IO_ERROR`, -4072 `OB_CANCELED`.
#[rustfmt::skip]
pub(crate) const SEEDED_HISTORY: [SeededJob; 6] = [
    SeededJob { hours_ago: 236, start_micros: 412_507, secs: 41 * 60 + 17, end_micros: 88_120, incremental: false, plus_archivelog: false, status: "COMPLETED", result: 0, comment: "" },
    SeededJob { hours_ago: 188, start_micros: 903_311, secs: 6 * 60 + 42, end_micros: 517_004, incremental: true, plus_archivelog: false, status: "COMPLETED", result: 0, comment: "" },
    SeededJob { hours_ago: 140, start_micros: 250_896, secs: 7 * 60 + 5, end_micros: 640_233, incremental: true, plus_archivelog: false, status: "COMPLETED", result: 0, comment: "" },
    SeededJob { hours_ago: 92, start_micros: 77_642, secs: 2 * 60 + 31, end_micros: 305_918, incremental: true, plus_archivelog: false, status: "FAILED", result: -4009, comment: "backup data failed: IO error, ret=-4009 (server 10.0.0.2:2882, trace_id YB420A000002-0005F1C2D3E4A5B6-0-0)" },
    SeededJob { hours_ago: 68, start_micros: 681_450, secs: 11 * 60 + 8, end_micros: 29_377, incremental: false, plus_archivelog: false, status: "CANCELED", result: -4072, comment: "backup canceled" },
    SeededJob { hours_ago: 44, start_micros: 134_775, secs: 43 * 60 + 51, end_micros: 772_610, incremental: false, plus_archivelog: true, status: "COMPLETED", result: 0, comment: "" },
];

impl Tenant {
    fn new(id: i64, name: &str, now: i128) -> Tenant {
        let params = PARAMS.iter().map(|p| (p.name, p.default.to_string())).collect();
        Tenant {
            id,
            name: name.to_string(),
            created_nanos: now - 86_400_000_000_000,
            backup: TenantBackup {
                dest_enabled: true,
                ..Default::default()
            },
            params,
        }
    }
}

/// A tenant as a DAG remembers it (`oceanbase.DbaObTenant` in the task context).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct TenantRef {
    pub id: i64,
    pub name: String,
}

impl TenantRef {
    pub(crate) fn of(t: &Tenant) -> TenantRef {
        TenantRef {
            id: t.id,
            name: t.name.clone(),
        }
    }
    /// `t1(1002)`, as the agent's task logs name tenants.
    pub(crate) fn label(&self) -> String {
        format!("{}({})", self.name, self.id)
    }
}

fn strip_query(uri: &str) -> String {
    uri.split('?').next().unwrap_or("").trim_end_matches('/').to_string()
}

/// SQL `LIKE` with `%` and `_`, case-insensitive (OceanBase's default collation for the
/// `GV$OB_PARAMETERS.NAME` column), `\` escapes.
pub(crate) fn sql_like(pattern: &str, text: &str) -> bool {
    fn go(p: &[char], t: &[char]) -> bool {
        match p.first() {
            None => t.is_empty(),
            Some('%') => (0..=t.len()).any(|i| go(&p[1..], &t[i..])),
            Some('_') => !t.is_empty() && go(&p[1..], &t[1..]),
            Some('\\') if p.len() > 1 => !t.is_empty() && t[0] == p[1] && go(&p[2..], &t[1..]),
            Some(c) => !t.is_empty() && t[0] == *c && go(&p[1..], &t[1..]),
        }
    }
    let p: Vec<char> = pattern.to_lowercase().chars().collect();
    let t: Vec<char> = text.to_lowercase().chars().collect();
    // Bound the backtracking on hostile patterns: long patterns with many '%' are cut short.
    if p.iter().filter(|c| **c == '%').count() > 8 {
        return false;
    }
    go(&p, &t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_matches_sql() {
        assert!(sql_like("%archive%", "log_archive_concurrency"));
        assert!(sql_like("%ARCHIVE%", "archive_lag_target"));
        assert!(!sql_like("%archive", "archive_lag_target"));
        assert!(sql_like("ha\\_low%", "ha_low_thread_score"));
        assert!(sql_like("%", "x"));
    }

    #[test]
    fn a_backup_job_completes_on_its_n_th_tick() {
        for n in [1u32, 2, 5] {
            let mut c = Cluster::new(1, &["t1".into()], 0);
            c.backup_ticks = n;
            c.set_data_dest(1002, "file:///b/1/1002/data").unwrap();
            c.start_backup(1002, false, false, false, 0).unwrap();
            for i in 1..n {
                c.tick(i as i128);
                assert_eq!(c.tenants[1].backup.jobs[0].status, "DOING", "n={n} tick {i}");
            }
            c.tick(n as i128);
            assert!(c.backup_finished(1002), "n={n}");
            assert_eq!(c.tenants[1].backup.history[0].status, "COMPLETED");
        }
    }

    #[test]
    fn archive_lag_target_takes_oceanbase_s_range_from_zero() {
        let mut c = Cluster::new(1, &["t1".into()], 0);
        for ok in ["0s", "0ms", "2h", "7200s"] {
            assert!(c.set_archive_lag_target(1002, ok).is_ok(), "{ok}");
        }
        for bad in ["7201s", "", "soon", "-1s"] {
            assert!(c.set_archive_lag_target(1002, bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_quote_in_a_destination_breaks_the_statement() {
        let mut c = Cluster::new(1, &["t1".into()], 0);
        let e = c.set_data_dest(1002, "file:///b/o'neil/1/1002/data").unwrap_err();
        assert!(e.message(obshell_proto::Lang::En).contains("Error 1064"), "{e:?}");
        let e = c
            .set_archive_dest(1002, "oss://b/k?host=h&access_id=A&access_key=K'x", None, None)
            .unwrap_err();
        assert!(
            !e.message(obshell_proto::Lang::En).contains("K'x"),
            "no credentials in the error"
        );
        assert!(c.tenants[1].backup.archive_dest.is_none());
        c.set_data_dest(1002, "file:///b/oneil/1/1002/data").unwrap();
    }

    #[test]
    fn archive_log_stops_through_stopping() {
        let mut c = Cluster::new(1, &["t1".into()], 0);
        c.set_archive_dest(1002, "file:///b/1/1002/clog", None, None).unwrap();
        c.open_archive_log(1002).unwrap();
        c.tick(1);
        assert_eq!(c.archive_status(1002), "BEGINNING");
        c.tick(2);
        assert_eq!(c.archive_status(1002), "DOING");
        c.close_archive_log(1002);
        c.tick(3);
        assert_eq!(c.archive_status(1002), "STOPPING");
        c.tick(4);
        assert_eq!(c.archive_status(1002), "STOP");
    }
}
