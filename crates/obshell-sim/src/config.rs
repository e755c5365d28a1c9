//! What a simulated agent looks like. Defaults describe a healthy 3-agent 4.5.0.0 cluster with
//! two user tenants, a 1024-bit key and a 1-second scheduler.

use obshell_proto::envelope::Identity;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

/// Largest request body read (4 MiB). The real agent reads any size; a bigger body here gets
/// 400 `Request.Body.ReadFailed` in an envelope and the connection is closed.
pub(crate) const BODY_LIMIT: usize = 4 * 1024 * 1024;

#[derive(Clone, Debug)]
pub struct Config {
    pub listen: SocketAddr,
    /// root@sys password (may be empty, as on a real agent).
    pub password: String,
    /// Agents in the cluster: `10.0.0.1..N:2886` (labels only; the first one answers).
    pub agents: usize,
    /// User tenants (ids 1002, 1004, …); `sys` (1) always exists.
    pub tenants: Vec<String>,
    /// RSA key size (1024 for current agents, 512 for old ones).
    pub key_bits: usize,
    pub tick: Duration,
    /// Agent version string, e.g. `4.5.0.0-…` (sessions from 4.4.0.0, SSO from 4.4.2.0).
    pub version: String,
    pub identity: Identity,
    pub static_dir: Option<PathBuf>,
    pub enable_faults: bool,
    /// Zone offset (seconds east of UTC) of every rendered time.
    pub tz_offset_secs: i32,
    pub cluster_id: i64,
    /// Base simulated sub-task duration in ticks (0 = as fast as the scheduler allows).
    pub task_ticks: u32,
    /// Start with the first user tenant already backing up (archive DOING, one full backup).
    pub seed_backup: bool,
    /// Start with ten days of backup history (`--seed-history`): `None` = no; `Some([])` = the
    /// first user tenant; else the named user tenants. Applied after `seed_backup`.
    pub seed_history: Option<Vec<String>>,
    /// A data backup job completes on its N-th scheduler tick (`--backup-ticks`, default 3;
    /// `POST /__sim/backup` changes it at run time).
    pub backup_ticks: u32,
    /// Session sliding timeout.
    pub session_timeout: Duration,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            listen: "127.0.0.1:2886".parse().expect("valid address"),
            password: "obshell-sim".into(),
            agents: 3,
            tenants: vec!["t1".into(), "t2".into()],
            key_bits: 1024,
            tick: Duration::from_secs(1),
            version: "4.5.0.0-20260508090647".into(),
            identity: Identity::ClusterAgent,
            static_dir: None,
            enable_faults: false,
            tz_offset_secs: 8 * 3600,
            cluster_id: 1,
            task_ticks: 1,
            seed_backup: false,
            seed_history: None,
            backup_ticks: crate::cluster::BACKUP_JOB_TICKS,
            session_timeout: Duration::from_secs(1800),
        }
    }
}

/// Most user tenants `--tenants N` creates.
pub(crate) const MAX_TENANTS: usize = 1000;

/// `--tenants`: comma-separated names (`t1,t2`; blanks around names and empty entries dropped),
/// or a bare number N for `t1..tN` (1 ≤ N ≤ 1000).
pub fn parse_tenants(s: &str) -> Result<Vec<String>, String> {
    let s = s.trim();
    if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
        return match s.parse::<usize>() {
            Ok(n) if (1..=MAX_TENANTS).contains(&n) => Ok((1..=n).map(|i| format!("t{i}")).collect()),
            _ => Err(format!("tenant count must be 1..={MAX_TENANTS}, got {s}")),
        };
    }
    Ok(s.split(',')
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect())
}

impl Config {
    /// A configuration for tests: port 0, fast ticks, no simulated durations, faults on.
    pub fn for_tests() -> Config {
        Config {
            listen: "127.0.0.1:0".parse().expect("valid address"),
            tick: Duration::from_millis(20),
            task_ticks: 0,
            enable_faults: true,
            ..Config::default()
        }
    }

    /// `10.0.0.<i+1>:2886`.
    pub(crate) fn agent_infos(&self) -> Vec<obshell_proto::envelope::AgentInfo> {
        (0..self.agents.max(1))
            .map(|i| obshell_proto::envelope::AgentInfo {
                ip: format!("10.0.{}.{}", (i + 1) / 256, (i + 1) % 256),
                port: 2886,
            })
            .collect()
    }
}
