//! What the overview shows for a tenant, decided from what the agent answered: how protected it
//! is, the archive state (with a delay over the lag target flagged), the last data backup, and
//! which operations the agent would act on now. Pure: tested natively.

use obshell_proto::backup_ops::{ArchiveAction, ArchiveLogTask, ArchiveState, BackupTask, JobState, TenantBackupInfo};
use obshell_proto::duration::{self, GoDuration};
use obshell_proto::envelope::{BackupDestInfo, TenantOverview};

/// OceanBase's default `archive_lag_target` (the threshold when the tenant's cannot be read).
pub const DEFAULT_LAG_TARGET: GoDuration = GoDuration(2 * 60 * 1_000_000_000);

/// One tenant's backup status, as far as the agent reported it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TenantStatus {
    pub tenant: TenantOverview,
    /// Its running backup task, else its latest one (`None`: no backup yet).
    pub last: Option<BackupTask>,
    /// Its archive round in an active status (BEGINNING, DOING, STOPPING, PREPARE, SUSPEND).
    pub round: Option<ArchiveLogTask>,
    pub info: Option<TenantBackupInfo>,
    /// Read once per page view (they change only with a configuration).
    pub dests: Option<BackupDestInfo>,
    pub lag_target: Option<String>,
}

/// The verdict at a glance.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Protection {
    /// Logs archived in time and the last data backup completed.
    Protected,
    /// Something needs attention: archiving not running or late, the last backup failed or
    /// was cancelled, a backup is running for the first time.
    AtRisk,
    /// No destination configured, or no backup yet.
    Unprotected,
}

impl TenantStatus {
    /// The archive status: the active round's, `STOP` when a round existed (the agent still
    /// reports its checkpoint), `""` when archiving never ran.
    pub fn archive_status(&self) -> &str {
        match (&self.round, &self.info) {
            (Some(r), _) => &r.status,
            (None, Some(i)) if i.lastest_archive_log_checkpoint.is_some() => "STOP",
            _ => "",
        }
    }

    pub fn archive_state(&self) -> ArchiveState {
        ArchiveState::of(self.archive_status())
    }

    /// The archive delay in seconds, from the round (or the info).
    pub fn delay_secs(&self) -> Option<f64> {
        self.round
            .as_ref()
            .map(|r| r.delay)
            .or_else(|| self.info.as_ref().and_then(|i| i.archive_log_delay))
    }

    /// The threshold a delay is compared with: the tenant's `archive_lag_target`.
    pub fn lag_target(&self) -> GoDuration {
        self.lag_target
            .as_deref()
            .and_then(|v| duration::parse(v).ok())
            .unwrap_or(DEFAULT_LAG_TARGET)
    }

    /// Archiving is behind its target.
    pub fn late(&self) -> bool {
        self.archive_state() == ArchiveState::Archiving
            && self.delay_secs().is_some_and(|d| d * 1e9 > self.lag_target().0 as f64)
    }

    pub fn job_state(&self) -> Option<JobState> {
        self.last.as_ref().map(|t| JobState::of(&t.status))
    }

    /// A data backup runs (cancel is offered).
    pub fn backup_running(&self) -> bool {
        self.job_state().is_some_and(|s| !s.is_finished())
    }

    pub fn configured(&self) -> bool {
        self.dests
            .as_ref()
            .is_some_and(|d| !d.data_base_uri.is_empty() && !d.archive_base_uri.is_empty())
    }

    pub fn protection(&self) -> Protection {
        let Some(job) = self.job_state() else {
            return Protection::Unprotected;
        };
        if self.dests.is_some() && !self.configured() {
            return Protection::Unprotected;
        }
        let archiving = self.archive_state() == ArchiveState::Archiving && !self.late();
        match job {
            JobState::Completed if archiving => Protection::Protected,
            _ => Protection::AtRisk,
        }
    }

    /// The archive operations the agent would act on now (docs/protocol.md §5.3).
    pub fn archive_actions(&self) -> Vec<ArchiveAction> {
        let status = self.archive_status();
        [ArchiveAction::Start, ArchiveAction::Suspend, ArchiveAction::Stop]
            .into_iter()
            .filter(|a| a.acts_on(status))
            .collect()
    }
}

/// Milliseconds between two agent timestamps (`None` when either is unknown).
pub fn duration_ms(start: &str, end: &str) -> Option<i64> {
    let (s, e) = (obshell_proto::time::known(start)?, obshell_proto::time::known(end)?);
    Some(e.unix_millis() - s.unix_millis())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round(status: &str, delay: f64) -> ArchiveLogTask {
        ArchiveLogTask {
            status: status.into(),
            delay,
            ..Default::default()
        }
    }

    fn task(status: &str) -> BackupTask {
        BackupTask {
            status: status.into(),
            ..Default::default()
        }
    }

    #[test]
    fn protection_needs_a_completed_backup_and_archiving_in_time() {
        let mut s = TenantStatus::default();
        assert_eq!(s.protection(), Protection::Unprotected, "no backup yet");
        s.last = Some(task("COMPLETED"));
        s.round = Some(round("DOING", 1.2));
        assert_eq!(s.protection(), Protection::Protected);
        s.round = Some(round("DOING", 500.0));
        assert!(s.late(), "over the default 2m target");
        assert_eq!(s.protection(), Protection::AtRisk);
        s.lag_target = Some("10m".into());
        assert!(!s.late());
        s.round = Some(round("SUSPEND", 0.0));
        assert_eq!(s.protection(), Protection::AtRisk);
        s.round = Some(round("DOING", 1.0));
        s.last = Some(task("FAILED"));
        assert_eq!(s.protection(), Protection::AtRisk);
    }

    #[test]
    fn a_stopped_round_is_told_from_no_round_by_its_checkpoint() {
        let mut s = TenantStatus::default();
        assert_eq!(s.archive_status(), "");
        assert!(s.archive_actions().is_empty(), "a backup opens the archive log");
        s.info = Some(TenantBackupInfo {
            lastest_archive_log_checkpoint: Some("2026-05-11T10:09:59+08:00".into()),
            ..Default::default()
        });
        assert_eq!(s.archive_status(), "STOP");
        assert_eq!(s.archive_actions(), vec![ArchiveAction::Start]);
        s.round = Some(round("DOING", 0.0));
        assert_eq!(s.archive_actions(), vec![ArchiveAction::Suspend, ArchiveAction::Stop]);
        s.round = Some(round("SUSPEND", 0.0));
        assert_eq!(s.archive_actions(), vec![ArchiveAction::Start, ArchiveAction::Stop]);
    }

    #[test]
    fn a_running_backup_can_be_cancelled() {
        let mut s = TenantStatus {
            last: Some(task("BACKUP_USER_DATA")),
            ..Default::default()
        };
        assert!(s.backup_running());
        s.last = Some(task("CANCELING"));
        assert!(s.backup_running());
        s.last = Some(task("CANCELED"));
        assert!(!s.backup_running());
        assert_eq!(
            duration_ms("2026-05-11T10:05:00.123456+08:00", "2026-05-11T10:07:10.654321+08:00"),
            Some(130_531)
        );
        assert_eq!(duration_ms("0001-01-01T00:00:00Z", "2026-05-11T10:07:10+08:00"), None);
    }
}
