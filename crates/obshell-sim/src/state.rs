//! Shared simulator state and the scheduler loop.

use crate::clock::Clock;
use crate::cluster::Cluster;
use crate::config::Config;
use crate::engine::Engine;
use crate::faults::Faults;
use crate::journal::Journal;
use crate::sessions::Sessions;
use obshell_proto::agent::PrivateKey;
use obshell_proto::envelope::{AgentInfo, AgentVersion, Identity, MIN_SESSION_VERSION, MIN_SSO_VERSION};
use std::sync::{Arc, Mutex, MutexGuard, RwLock};

/// Locks a mutex even if a panicking request poisoned it: a bad request must never take the
/// simulator down with it (every critical section leaves the data consistent).
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// The switchable part of the agent's identity (the control API can change it at run time).
#[derive(Clone, Debug)]
pub struct Runtime {
    pub version: String,
    pub identity: Identity,
    pub password: String,
}

impl Runtime {
    fn at_least(&self, v: &str) -> bool {
        AgentVersion::parse(&self.version).is_some_and(|x| x.at_least(v))
    }
    /// `POST /api/v1/login` and session ids exist (4.4.0.0+).
    pub(crate) fn has_sessions(&self) -> bool {
        self.at_least(MIN_SESSION_VERSION)
    }
    /// SSO one-time tokens exist (4.4.2.0+).
    pub(crate) fn has_sso(&self) -> bool {
        self.at_least(MIN_SSO_VERSION)
    }
    /// `/api/v1/info` carries `supportedAuth` (4.2.4.0+).
    pub(crate) fn advertises_auth(&self) -> bool {
        self.at_least("4.2.4.0")
    }
}

/// The simulated OceanBase side and the task tables, under one lock so every endpoint reads a
/// consistent picture.
#[derive(Debug)]
pub(crate) struct World {
    pub(crate) cluster: Cluster,
    pub(crate) engine: Engine,
}

/// Everything requests and the scheduler share. Outside the crate only `config`,
/// [`runtime`](Self::runtime) and [`tick`](Self::tick) are reachable (the binary prints the first
/// two, tests step the scheduler with the last).
pub struct AppState {
    pub config: Config,
    pub(crate) clock: Clock,
    key: RwLock<Arc<PrivateKey>>,
    runtime: RwLock<Runtime>,
    pub(crate) world: Mutex<World>,
    pub(crate) sessions: Mutex<Sessions>,
    pub(crate) faults: Mutex<Faults>,
    pub(crate) journal: Mutex<Journal>,
    /// Agent start time (Unix nanos): `startAt`, and the timestamp of the pre-built panic
    /// response.
    pub(crate) started_nanos: i128,
    /// The agents of the cluster; the first one is the one answering.
    pub(crate) agents: Vec<AgentInfo>,
    pub(crate) pid: i64,
}

impl AppState {
    pub(crate) fn new(config: Config) -> Result<AppState, String> {
        let key = PrivateKey::generate(&mut rand::rngs::OsRng, config.key_bits).map_err(|e| e.to_string())?;
        let clock = Clock::new(config.tz_offset_secs);
        let now = clock.now_nanos();
        let agents = config.agent_infos();
        let mut cluster = Cluster::new(config.cluster_id, &config.tenants, now);
        if config.seed_backup {
            cluster.seed_backup(now);
        }
        if let Some(names) = &config.seed_history {
            let ids: Vec<i64> = if names.is_empty() {
                cluster.user_tenants().first().map(|t| t.id).into_iter().collect()
            } else {
                names
                    .iter()
                    .map(|n| {
                        cluster
                            .tenant(n)
                            .filter(|t| t.is_user())
                            .map(|t| t.id)
                            .ok_or_else(|| format!("--seed-history: no user tenant {n:?}"))
                    })
                    .collect::<Result<_, _>>()?
            };
            for id in ids {
                cluster.seed_history(id, now)?;
            }
        }
        // Seeding ran with the default job duration; from now on the configured one.
        cluster.backup_ticks = config.backup_ticks;
        let engine = Engine::new(agents.clone(), config.task_ticks);
        Ok(AppState {
            runtime: RwLock::new(Runtime {
                version: config.version.clone(),
                identity: config.identity.clone(),
                password: config.password.clone(),
            }),
            key: RwLock::new(Arc::new(key)),
            world: Mutex::new(World { cluster, engine }),
            sessions: Mutex::new(Sessions::new(now)),
            faults: Mutex::new(Faults::default()),
            journal: Mutex::new(Journal::default()),
            started_nanos: now,
            agents,
            pid: std::process::id() as i64,
            clock,
            config,
        })
    }

    pub(crate) fn key(&self) -> Arc<PrivateKey> {
        self.key.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    pub(crate) fn set_key(&self, key: PrivateKey) {
        *self.key.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(key);
    }

    pub fn runtime(&self) -> Runtime {
        self.runtime.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    pub(crate) fn update_runtime(&self, f: impl FnOnce(&mut Runtime)) {
        f(&mut self.runtime.write().unwrap_or_else(|e| e.into_inner()));
    }

    /// The answering agent (`meta.OCS_AGENT`).
    pub(crate) fn me(&self) -> &AgentInfo {
        &self.agents[0]
    }

    /// Runs `n` scheduler ticks now.
    pub fn tick(&self, n: u32) {
        for _ in 0..n {
            let now = self.clock.now_nanos();
            let mut w = lock(&self.world);
            let World { cluster, engine } = &mut *w;
            engine.tick(cluster, now);
        }
    }
}

/// The scheduler loop (`SCHEDULER_INTERVAL`): one tick per configured interval; paused ticks
/// (fault control) are skipped.
pub(crate) async fn run_scheduler(st: Arc<AppState>) {
    let mut iv = tokio::time::interval(st.config.tick);
    iv.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    iv.tick().await;
    loop {
        iv.tick().await;
        if lock(&st.faults).scheduler_paused {
            continue;
        }
        st.tick(1);
    }
}
