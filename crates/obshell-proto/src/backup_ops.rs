//! Backup operations and status (docs/protocol.md §5): starting a backup, cancelling one,
//! archive-log control, and what the status endpoints answer — the wire types both the console
//! and the simulator use, and the agent's rules about them.

use crate::crypto::Secret;
use serde::{Deserialize, Serialize};
use std::fmt;

/// `oceanbase.CdbObBackupTask`: a tenant's running backup task, else its latest one
/// (`GET /api/v1/obcluster/backup/overview` → `{"statuses":[…]}`,
/// `GET /api/v1/tenant/{t}/backup/overview` → `{"status":…}`). All keys are always present.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct BackupTask {
    pub tenant_id: i64,
    pub task_id: i64,
    pub job_id: i64,
    pub incarnation: i64,
    pub backup_set_id: i64,
    pub start_timestamp: String,
    pub end_timestamp: String,
    pub status: String,
    pub start_scn: i64,
    pub end_scn: i64,
    pub user_ls_start_scn: i64,
    pub encryption_mode: String,
    pub input_bytes: i64,
    pub output_bytes: i64,
    pub output_rate_bytes: f64,
    pub extra_meta_bytes: i64,
    pub tablet_count: i64,
    pub finish_tablet_count: i64,
    pub macro_block_count: i64,
    pub finish_macro_block_count: i64,
    pub file_count: i64,
    pub meta_turn_id: i64,
    pub data_turn_id: i64,
    pub result: i64,
    pub comment: String,
    pub path: String,
}

impl BackupTask {
    /// How far a running task is, from its tablets (`None` when it reports no tablets).
    pub fn progress(&self) -> Option<f64> {
        (self.tablet_count > 0).then(|| (self.finish_tablet_count as f64 / self.tablet_count as f64).clamp(0.0, 1.0))
    }
}

/// `GET /api/v1/obcluster/backup/overview`'s data.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ClusterBackupOverview {
    #[serde(default)]
    pub statuses: Vec<BackupTask>,
}

/// `GET /api/v1/tenant/{t}/backup/overview`'s data.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TenantBackupOverview {
    pub status: BackupTask,
}

/// `bo.TenantBackupInfo` (`GET /api/v1/tenant/{t}/backup/info`; the product spells it
/// `lastest`). The three optional keys are omitted when unknown or zero.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TenantBackupInfo {
    pub tenant_id: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lastest_archive_log_checkpoint: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lastest_data_backup_time: Option<String>,
    /// Seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub archive_log_delay: Option<f64>,
}

/// One data backup job of `GET /api/v1/tenant/{t}/backup/tasks` (history and running jobs).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct BackupJob {
    pub tenant_id: i64,
    pub job_id: i64,
    pub backup_set_id: i64,
    /// `ON` / `OFF`.
    pub plus_archivelog: String,
    /// `FULL` / `INC`.
    pub backup_type: String,
    pub start_timestamp: String,
    /// Omitted while the job runs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_timestamp: Option<String>,
    pub status: String,
    pub result: i64,
    pub comment: String,
    pub description: String,
    pub path: String,
}

/// The page of a paginated list.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Page {
    pub total_elements: u64,
    pub total_pages: u64,
    pub size: u64,
    pub number: u64,
}

/// `GET /api/v1/tenant/{t}/backup/tasks`'s data.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct BackupJobs {
    pub contents: Vec<BackupJob>,
    pub page: Page,
}

/// One archive round of `GET /api/v1/tenant/{t}/backup/log/tasks` (`{"contents":[…]}`): only
/// rounds in BEGINNING, DOING, STOPPING, PREPARE or SUSPEND are listed.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ArchiveLogTask {
    pub tenant_id: i64,
    /// Never filled by the agent.
    pub tenant_name: String,
    pub round_id: i64,
    pub status: String,
    pub path: String,
    /// Seconds.
    pub delay: f64,
    pub checkpoint: String,
    pub start_time: String,
}

/// What a data backup job's or task's status means.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JobState {
    Running,
    Completed,
    Canceling,
    Canceled,
    Failed,
}

impl JobState {
    /// From the status vocabulary (`INIT`, `DOING`, the `BACKUP_*` stages, `COMPLETED`, …).
    pub fn of(status: &str) -> JobState {
        match status {
            "COMPLETED" => JobState::Completed,
            "CANCELING" => JobState::Canceling,
            "CANCELED" => JobState::Canceled,
            "FAILED" => JobState::Failed,
            _ => JobState::Running,
        }
    }

    pub fn is_finished(self) -> bool {
        matches!(self, JobState::Completed | JobState::Canceled | JobState::Failed)
    }
}

/// Statuses `GET …/backup/tasks` filters by (`status=` takes a comma list of them).
pub const JOB_STATUSES: [&str; 5] = ["DOING", "COMPLETED", "CANCELING", "CANCELED", "FAILED"];

/// `full` or `incremental` (`BackupParam.mode`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BackupMode {
    Full,
    Incremental,
}

impl BackupMode {
    pub fn as_str(self) -> &'static str {
        match self {
            BackupMode::Full => "full",
            BackupMode::Incremental => "incremental",
        }
    }
}

/// `param.BackupParam`: the body of `POST /api/v1/obcluster/backup` and
/// `POST /api/v1/tenant/{t}/backup`. The encryption password is a secret: `Debug` hides it.
#[derive(Clone, PartialEq, Eq)]
pub struct BackupParam {
    pub mode: BackupMode,
    /// The backup set's password (`SET ENCRYPTION ON IDENTIFIED BY …`); empty: none.
    pub encryption: Secret,
    pub plus_archive: bool,
}

impl BackupParam {
    /// The body: `mode` always, `encryption` only when given, `plus_archive` only when on.
    pub fn to_json(&self) -> serde_json::Value {
        let mut m = serde_json::Map::new();
        m.insert("mode".into(), self.mode.as_str().into());
        if !self.encryption.is_empty() {
            m.insert("encryption".into(), self.encryption.expose().into());
        }
        if self.plus_archive {
            m.insert("plus_archive".into(), true.into());
        }
        serde_json::Value::Object(m)
    }
}

impl fmt::Debug for BackupParam {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BackupParam")
            .field("mode", &self.mode)
            .field("encryption", &self.encryption)
            .field("plus_archive", &self.plus_archive)
            .finish()
    }
}

/// The body that cancels a running data backup (`PATCH …/backup`; an empty body cancels too).
pub fn cancel_backup_body() -> serde_json::Value {
    serde_json::json!({ "status": "canceled" })
}

/// Archive-log control (`PATCH …/backup/log`; an empty body means STOP).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArchiveAction {
    /// Start (or resume) archiving: `DOING`.
    Start,
    /// End the archive round: `STOP`.
    Stop,
    /// Keep the round but pause writing (`LOG_ARCHIVE_DEST_STATE='DEFER'`): `SUSPEND`.
    Suspend,
}

impl ArchiveAction {
    pub fn status(self) -> &'static str {
        match self {
            ArchiveAction::Start => "DOING",
            ArchiveAction::Stop => "STOP",
            ArchiveAction::Suspend => "SUSPEND",
        }
    }

    pub fn body(self) -> serde_json::Value {
        serde_json::json!({ "status": self.status() })
    }

    /// Whether the agent does anything for a tenant whose archive status is `current` (`""`:
    /// no round). For DOING and STOP the agent acts only from the statuses it lists, refuses
    /// INTERRUPTED (500), and silently does nothing otherwise (docs/protocol.md §5.3). SUSPEND
    /// always defers the destination; it means something only while a round runs.
    pub fn acts_on(self, current: &str) -> bool {
        match self {
            ArchiveAction::Start => matches!(current, "STOP" | "STOPPING" | "SUSPEND" | "SUSPENDING"),
            ArchiveAction::Stop => matches!(current, "DOING" | "PREPARE" | "BEGINNING" | "SUSPEND" | "SUSPENDING"),
            ArchiveAction::Suspend => matches!(current, "DOING" | "PREPARE" | "BEGINNING"),
        }
    }
}

/// What an archive status means for recoverability.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArchiveState {
    /// Logs are archived (DOING).
    Archiving,
    /// A round is starting or being resumed (BEGINNING, PREPARE).
    Starting,
    /// Paused (SUSPEND, SUSPENDING): the round continues, logs are not written.
    Suspended,
    /// No round (STOP, STOPPING, or none): point-in-time recovery has a gap from now on.
    Stopped,
    /// INTERRUPTED: archiving failed and needs attention.
    Interrupted,
}

impl ArchiveState {
    pub fn of(status: &str) -> ArchiveState {
        match status {
            "DOING" => ArchiveState::Archiving,
            "BEGINNING" | "PREPARE" => ArchiveState::Starting,
            "SUSPEND" | "SUSPENDING" => ArchiveState::Suspended,
            "INTERRUPTED" => ArchiveState::Interrupted,
            _ => ArchiveState::Stopped,
        }
    }
}

/// An incremental backup needs a completed (full) backup before it: OceanBase refuses it in the
/// task's third stage otherwise, after the archive log was opened. `completed_before`: whether
/// the tenant has one.
pub fn incremental_refused(mode: BackupMode, completed_before: bool) -> bool {
    mode == BackupMode::Incremental && !completed_before
}

/// Whether OceanBase would get a different backup password than typed: the agent builds
/// `SET ENCRYPTION ON IDENTIFIED BY "<pwd>" ONLY` escaping only `"` (`service/tenant/backup.go`
/// `SetEncryption`), so a backslash starts an escape sequence there (`\n` becomes a newline, a
/// trailing `\` swallows the closing quote): the backup set would be encrypted with a password
/// nobody typed, and a restore with the typed one fails.
pub fn encryption_password_mangled(pwd: &str) -> bool {
    pwd.contains('\\')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_backup_body_has_the_agent_s_keys_and_its_password_never_prints() {
        let p = BackupParam {
            mode: BackupMode::Incremental,
            encryption: Secret::new("hunter2"),
            plus_archive: true,
        };
        assert_eq!(
            p.to_json().to_string(),
            r#"{"encryption":"hunter2","mode":"incremental","plus_archive":true}"#
        );
        assert!(!format!("{p:?}").contains("hunter2"));
        let plain = BackupParam {
            mode: BackupMode::Full,
            encryption: Secret::default(),
            plus_archive: false,
        };
        assert_eq!(plain.to_json().to_string(), r#"{"mode":"full"}"#);
    }

    #[test]
    fn archive_actions_are_offered_only_where_the_agent_acts() {
        assert!(ArchiveAction::Stop.acts_on("DOING"));
        assert!(!ArchiveAction::Stop.acts_on("STOP"));
        assert!(!ArchiveAction::Stop.acts_on("INTERRUPTED"));
        assert!(ArchiveAction::Start.acts_on("STOP"));
        assert!(ArchiveAction::Start.acts_on("SUSPEND"));
        assert!(!ArchiveAction::Start.acts_on("DOING"));
        assert!(
            !ArchiveAction::Start.acts_on(""),
            "no round yet: a backup opens the archive log"
        );
        assert!(ArchiveAction::Suspend.acts_on("DOING"));
        assert!(!ArchiveAction::Suspend.acts_on("SUSPEND"));
        assert_eq!(ArchiveState::of("SUSPENDING"), ArchiveState::Suspended);
        assert_eq!(ArchiveState::of(""), ArchiveState::Stopped);
    }

    #[test]
    fn job_states_and_progress() {
        assert_eq!(JobState::of("BACKUP_USER_DATA"), JobState::Running);
        assert!(JobState::of("CANCELED").is_finished());
        let t = BackupTask {
            tablet_count: 120,
            finish_tablet_count: 40,
            ..Default::default()
        };
        assert_eq!(t.progress(), Some(40.0 / 120.0));
        assert!(incremental_refused(BackupMode::Incremental, false));
        assert!(encryption_password_mangled("a\\nb"));
        assert!(!encryption_password_mangled("p\"w'd"));
        assert!(!incremental_refused(BackupMode::Full, false));
        let job: BackupJob = serde_json::from_str(
            r#"{"tenant_id":1002,"job_id":7,"backup_set_id":3,"plus_archivelog":"OFF","backup_type":"FULL","start_timestamp":"t","status":"DOING","result":0,"comment":"","description":"","path":"p"}"#,
        )
        .unwrap();
        assert_eq!(job.end_timestamp, None);
    }
}
