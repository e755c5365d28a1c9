//! `obshell-sim`: command-line front end. Parses flags, starts the simulator, prints where it
//! listens and how to authenticate, and runs until Ctrl-C.

use clap::Parser;
use obshell_proto::envelope::Identity;
use obshell_sim::Config;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

/// Simulator of the OceanBase obshell agent HTTP API (hybrid-encrypted auth, sessions/SSO,
/// backup configuration, backup status and task DAGs), for running the backup console and its
/// tests without an OceanBase cluster. See crates/obshell-sim/README.md for the fault/control
/// API under /__sim/ (enabled by --enable-faults).
#[derive(Parser, Debug)]
#[command(name = "obshell-sim", version)]
struct Cli {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:2886")]
    listen: SocketAddr,

    /// root@sys password clients must send in X-OCS-Header `Auth`. May be empty (then, as on a
    /// real agent, `Ts` is never checked). Printed at start.
    #[arg(long, default_value = "obshell-sim")]
    password: String,

    /// Number of agents in the simulated cluster, shown as `execute_agent` 10.0.0.1..N:2886
    /// (labels only: one process answers for all).
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u16).range(1..=250))]
    agents: u16,

    /// User tenants, comma-separated (ids 1002, 1004, …), or a bare number N for t1..tN
    /// (`--tenants 50`; at most 1000); `sys` (id 1) always exists.
    #[arg(long, default_value = "t1,t2", value_name = "NAMES|N", value_parser = obshell_sim::parse_tenants)]
    tenants: TenantList,

    /// RSA key size of /api/v1/secret: 1024 (current agents) or 512 (agents before 4.4.1.1).
    #[arg(long, default_value_t = 1024, value_parser = parse_bits)]
    key_bits: usize,

    /// Scheduler tick in milliseconds (the agent's SCHEDULER_INTERVAL is 1000).
    #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u64).range(1..=60_000))]
    tick_ms: u64,

    /// Simulated sub-task duration in ticks (0: as fast as the scheduler allows).
    #[arg(long, default_value_t = 1)]
    task_ticks: u32,

    /// Emulated agent version. 4.4.0.0+ has /api/v1/login sessions, 4.4.2.0+ SSO; e.g.
    /// 4.3.5.0 for an agent without sessions.
    #[arg(long = "agent-version", default_value = "4.5.0.0-20260508090647")]
    agent_version: String,

    /// Agent identity: CLUSTER AGENT, SINGLE, MASTER, FOLLOWER, UNIDENTIFIED, … (backup routes
    /// need CLUSTER AGENT).
    #[arg(long, default_value = "CLUSTER AGENT")]
    identity: String,

    /// Serve the built console from DIR on the same origin: existing files as is, any other
    /// non-/api path gets index.html (SPA fallback), as the agent serves its dashboard.
    #[arg(long = "static", value_name = "DIR")]
    static_dir: Option<PathBuf>,

    /// Enable the test control API under /__sim/ (faults, key rotation, clock skew, session
    /// expiry, version switch, request journal). Off: /__sim/ paths are unknown routes.
    #[arg(long)]
    enable_faults: bool,

    /// Zone offset of every rendered time (+08:00, -05:30, Z).
    #[arg(long, default_value = "+08:00", allow_hyphen_values = true, value_parser = obshell_sim::parse_offset)]
    tz_offset: i32,

    /// OceanBase cluster id (used in `/<cluster_id>/<tenant_id>/clog|data` sub-paths).
    #[arg(long, default_value_t = 1)]
    cluster_id: i64,

    /// Start with the first user tenant already backing up to file:///data/backup (archive log
    /// DOING, one completed full backup), for demos of the status pages.
    #[arg(long)]
    seed_backup: bool,

    /// Start with ten days of backup history (6 jobs: full, 2 incremental, a FAILED incremental,
    /// a CANCELED full, the newest full; archive log DOING; destinations under
    /// file:///data/backup/<cluster_id>/<tenant_id>/ if unset) for the first user tenant, or the
    /// comma-separated tenants given (`--seed-history t1,t3`). Applied after --seed-backup.
    #[arg(long, value_name = "TENANTS", num_args = 0..=1, default_missing_value = "", value_delimiter = ',')]
    seed_history: Option<Vec<String>>,

    /// Scheduler ticks a data backup job runs: INIT until its first tick, COMPLETED on its N-th,
    /// DOING in between. `POST /__sim/backup {"ticks":N}` changes it at run time.
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..))]
    backup_ticks: u32,

    /// Session sliding timeout in seconds (agent default 1800).
    #[arg(long, default_value_t = 1800)]
    session_timeout_secs: u64,
}

/// `--tenants`' names, a bare number already expanded by `parse_tenants`. An alias: clap's
/// derive takes a field spelled `Vec<…>` as a list of values, this one is one value.
type TenantList = Vec<String>;

fn parse_bits(s: &str) -> Result<usize, String> {
    match s {
        "1024" => Ok(1024),
        "512" => Ok(512),
        _ => Err("key size must be 1024 or 512".into()),
    }
}

#[tokio::main]
async fn main() {
    let cli = Cli::parse();
    let config = Config {
        listen: cli.listen,
        password: cli.password.clone(),
        agents: cli.agents as usize,
        tenants: cli.tenants,
        key_bits: cli.key_bits,
        tick: Duration::from_millis(cli.tick_ms),
        version: cli.agent_version,
        identity: Identity::parse(&cli.identity),
        static_dir: cli.static_dir,
        enable_faults: cli.enable_faults,
        tz_offset_secs: cli.tz_offset,
        cluster_id: cli.cluster_id,
        task_ticks: cli.task_ticks,
        seed_backup: cli.seed_backup,
        seed_history: cli.seed_history.map(|v| {
            v.into_iter()
                .map(|t| t.trim().to_string())
                .filter(|t| !t.is_empty())
                .collect()
        }),
        backup_ticks: cli.backup_ticks,
        session_timeout: Duration::from_secs(cli.session_timeout_secs),
    };
    let (addr, handle) = match obshell_sim::serve(config).await {
        Ok(x) => x,
        Err(e) => {
            eprintln!("obshell-sim: cannot start: {e}");
            std::process::exit(1);
        }
    };
    let rt = handle.state.runtime();
    println!("obshell-sim listening on http://{addr}");
    println!(
        "  agent version {}  identity {}  {}-bit key",
        rt.version,
        rt.identity.as_str(),
        handle.state.config.key_bits
    );
    println!("  root password: {:?}", rt.password);
    println!(
        "  tenants: sys(1) {}",
        handle
            .state
            .config
            .tenants
            .iter()
            .enumerate()
            .map(|(i, t)| format!("{t}({})", 1002 + 2 * i))
            .collect::<Vec<_>>()
            .join(" ")
    );
    if handle.state.config.enable_faults {
        println!("  control API: http://{addr}/__sim/ (see README)");
    }
    let state = handle.state.clone();
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = handle.wait() => {}
    }
    drop(state);
}
