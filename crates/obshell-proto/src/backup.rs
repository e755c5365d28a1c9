//! Backup configuration requests (`ob/param/backup.go`) for both scopes and both methods, the
//! agent's normalization, and its validation with the exact first error it would return.
//!
//! Rule order (agent handler, then `BackupConfigParam.Check()`):
//! 1. method pre-check ([`precheck`]): POST needs the base URI(s); PATCH refuses `binding` /
//!    `piece_switch_interval` without the archive URI;
//! 2. (agent-only: tenant existence, user tenants — the simulator checks those between 1 and 3);
//! 3. [`check`]: concurrency, HA score, binding, piece switch interval, delete policy, URI
//!    schemes (archive then data), then the lag target — only when an archive destination is part
//!    of the request. `recovery_window` is never validated by the agent.

use crate::duration::{self, GoDuration};
use crate::errors::codes;
use crate::storage::{self, Scheme};
use crate::AgentError;
use serde::{Deserialize, Serialize};

/// Cluster (`/api/v1/obcluster/backup/config`) or tenant (`/api/v1/tenant/{name}/backup/config`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Scope {
    Cluster,
    Tenant,
}

/// POST sets a configuration, PATCH updates it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Method {
    Set,
    Update,
}

impl Method {
    pub fn http(self) -> &'static str {
        match self {
            Method::Set => "POST",
            Method::Update => "PATCH",
        }
    }
}

pub const LOG_ARCHIVE_CONCURRENCY_RANGE: (i64, i64) = (0, 100);
pub const HA_LOW_THREAD_SCORE_RANGE: (i64, i64) = (0, 100);
pub const PIECE_SWITCH_INTERVAL_RANGE: (GoDuration, GoDuration) = (GoDuration::DAY, GoDuration(7 * 86_400_000_000_000));
pub const ARCHIVE_LAG_TARGET_MAX: GoDuration = GoDuration(2 * 3_600_000_000_000);
pub const ARCHIVE_LAG_TARGET_MIN_FOR_S3: GoDuration = GoDuration::MINUTE;
pub const BINDING_OPTIONAL: &str = "OPTIONAL";
pub const BINDING_MANDATORY: &str = "MANDATORY";
pub const DELETE_POLICY_DEFAULT: &str = "default";
/// Sub-directories under a cluster-level base URI: `<base>/<cluster_id>/<tenant_id>/{clog,data}`.
pub const DIR_CLOG: &str = "clog";
pub const DIR_DATA: &str = "data";

/// `delete_policy`: both keys are plain strings on the agent (not optional): `{}` means policy
/// `default` and an empty recovery window.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct DeletePolicy {
    #[serde(default)]
    pub policy: String,
    #[serde(default)]
    pub recovery_window: String,
}

/// One backup configuration request. Unset fields are absent on the wire (never `""`: on PATCH an
/// empty string changes what the agent validates). Which URI keys exist depends on the scope:
/// serialize with [`BackupConfig::to_json`].
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct BackupConfig {
    /// Cluster scope only.
    pub backup_base_uri: Option<String>,
    /// Tenant scope only.
    pub data_base_uri: Option<String>,
    /// Tenant scope only.
    pub archive_base_uri: Option<String>,
    pub log_archive_concurrency: Option<i64>,
    pub binding: Option<String>,
    pub ha_low_thread_score: Option<i64>,
    pub piece_switch_interval: Option<String>,
    pub archive_lag_target: Option<String>,
    pub delete_policy: Option<DeletePolicy>,
}

/// The form fields, for errors shown next to the field they concern.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    BackupBaseUri,
    DataBaseUri,
    ArchiveBaseUri,
    LogArchiveConcurrency,
    HaLowThreadScore,
    Binding,
    PieceSwitchInterval,
    ArchiveLagTarget,
    DeletePolicy,
    RecoveryWindow,
}

impl Field {
    pub fn json_key(self) -> &'static str {
        match self {
            Field::BackupBaseUri => "backup_base_uri",
            Field::DataBaseUri => "data_base_uri",
            Field::ArchiveBaseUri => "archive_base_uri",
            Field::LogArchiveConcurrency => "log_archive_concurrency",
            Field::HaLowThreadScore => "ha_low_thread_score",
            Field::Binding => "binding",
            Field::PieceSwitchInterval => "piece_switch_interval",
            Field::ArchiveLagTarget => "archive_lag_target",
            Field::DeletePolicy => "delete_policy",
            Field::RecoveryWindow => "recovery_window",
        }
    }

    /// The field an agent error concerns, from its errCode and, where one code covers several
    /// fields, the request that was `sent`. `None`: show it in the general error panel.
    pub fn for_error(scope: Scope, err_code: &str, message: &str, sent: &BackupConfig) -> Option<Field> {
        if codes::COMMON_INVALID_TIME_DURATION.is(err_code) {
            // `Time duration '<value>' is invalid: …` quotes the raw piece interval or the
            // lower-cased lag target; the agent checks the piece interval first.
            let quoted = message.split('\'').nth(1)?;
            let lag = sent.archive_lag_target.as_deref().map(crate::go::strings::to_lower);
            return if sent.piece_switch_interval.as_deref() == Some(quoted) {
                Some(Field::PieceSwitchInterval)
            } else if lag.as_deref() == Some(quoted) {
                Some(Field::ArchiveLagTarget)
            } else {
                None
            };
        }
        if codes::OB_STORAGE_URI_INVALID.is(err_code) {
            // One code for either tenant destination: the message does not say which.
            return (scope == Scope::Cluster).then_some(Field::BackupBaseUri);
        }
        FIELD_OF_CODE.iter().find(|(c, _)| c.is(err_code)).map(|(_, f)| *f)
    }
}

/// The field each single-field validation code concerns.
const FIELD_OF_CODE: [(&crate::Code, Field); 10] = [
    (&codes::OB_BACKUP_BASE_URI_EMPTY, Field::BackupBaseUri),
    (&codes::OB_BACKUP_DATA_BASE_URI_EMPTY, Field::DataBaseUri),
    (&codes::OB_BACKUP_ARCHIVE_BASE_URI_EMPTY, Field::ArchiveBaseUri),
    (
        &codes::OB_BACKUP_LOG_ARCHIVE_CONCURRENCY_INVALID,
        Field::LogArchiveConcurrency,
    ),
    (&codes::OB_BACKUP_HA_LOW_THREAD_SCORE_INVALID, Field::HaLowThreadScore),
    (&codes::OB_BACKUP_BINDING_INVALID, Field::Binding),
    (
        &codes::OB_BACKUP_PIECE_SWITCH_INTERVAL_INVALID,
        Field::PieceSwitchInterval,
    ),
    (&codes::OB_BACKUP_ARCHIVE_LAG_TARGET_INVALID, Field::ArchiveLagTarget),
    (
        &codes::OB_BACKUP_ARCHIVE_LAG_TARGET_FOR_S3_INVALID,
        Field::ArchiveLagTarget,
    ),
    (&codes::OB_BACKUP_DELETE_POLICY_INVALID, Field::DeletePolicy),
];

/// A destination derived from the request (`newBackupConf`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DestConf {
    pub base_uri: String,
    /// `clog` or `data`: the per-tenant sub-directory for cluster-level configs.
    pub joined_dir: &'static str,
}

impl BackupConfig {
    /// The JSON body for `scope`: only the keys of that scope, only the fields that are set.
    pub fn to_json(&self, scope: Scope) -> serde_json::Value {
        let mut m = serde_json::Map::new();
        let mut put = |k: &str, v: Option<serde_json::Value>| {
            if let Some(v) = v {
                m.insert(k.to_string(), v);
            }
        };
        let s = |v: &Option<String>| v.as_ref().map(|s| serde_json::Value::String(s.clone()));
        match scope {
            Scope::Cluster => put("backup_base_uri", s(&self.backup_base_uri)),
            Scope::Tenant => {
                put("data_base_uri", s(&self.data_base_uri));
                put("archive_base_uri", s(&self.archive_base_uri));
            }
        }
        put("log_archive_concurrency", self.log_archive_concurrency.map(Into::into));
        put("binding", s(&self.binding));
        put("ha_low_thread_score", self.ha_low_thread_score.map(Into::into));
        put("piece_switch_interval", s(&self.piece_switch_interval));
        put("archive_lag_target", s(&self.archive_lag_target));
        put(
            "delete_policy",
            self.delete_policy
                .as_ref()
                .map(|p| serde_json::to_value(p).expect("plain struct")),
        );
        serde_json::Value::Object(m)
    }

    /// `Format()`: binding upper-cased (`""` → `OPTIONAL`), lag target lower-cased, policy
    /// lower-cased and defaulted to `default`. `piece_switch_interval` is left exactly as typed.
    pub fn normalized(&self) -> BackupConfig {
        let mut c = self.clone();
        if let Some(b) = c.binding.as_mut() {
            *b = if b.is_empty() {
                BINDING_OPTIONAL.to_string()
            } else {
                crate::go::strings::to_upper(b)
            };
        }
        if let Some(l) = c.archive_lag_target.as_mut() {
            *l = crate::go::strings::to_lower(l);
        }
        if let Some(p) = c.delete_policy.as_mut() {
            p.policy = if p.policy.is_empty() {
                DELETE_POLICY_DEFAULT.to_string()
            } else {
                crate::go::strings::to_lower(&p.policy)
            };
        }
        c
    }

    /// The archive destination the agent derives; `Some` even for `backup_base_uri: ""` (which
    /// is why the lag target is then validated).
    pub fn archive_dest(&self) -> Option<DestConf> {
        let archive = self.archive_base_uri.as_deref().filter(|s| !s.is_empty());
        match (&self.backup_base_uri, archive) {
            (Some(base), None) => Some(DestConf {
                base_uri: base.clone(),
                joined_dir: DIR_CLOG,
            }),
            (_, Some(a)) => Some(DestConf {
                base_uri: a.to_string(),
                joined_dir: DIR_CLOG,
            }),
            (None, None) => None,
        }
    }

    /// The data destination the agent derives.
    pub fn data_dest(&self) -> Option<DestConf> {
        let data = self.data_base_uri.as_deref().filter(|s| !s.is_empty());
        match (&self.backup_base_uri, data) {
            (Some(base), None) => Some(DestConf {
                base_uri: base.clone(),
                joined_dir: DIR_DATA,
            }),
            (_, Some(d)) => Some(DestConf {
                base_uri: d.to_string(),
                joined_dir: DIR_DATA,
            }),
            (None, None) => None,
        }
    }

    fn archive_uri_given(&self, scope: Scope) -> bool {
        let non_empty = |v: &Option<String>| v.as_deref().is_some_and(|s| !s.is_empty());
        match scope {
            Scope::Cluster => non_empty(&self.backup_base_uri),
            Scope::Tenant => non_empty(&self.archive_base_uri),
        }
    }
}

/// The handler's method-specific pre-check (`PostObclusterBackupConfig` & co).
pub fn precheck(cfg: &BackupConfig, scope: Scope, method: Method) -> Result<(), AgentError> {
    let empty = |v: &Option<String>| v.as_deref().is_none_or(str::is_empty);
    let set = |v: &Option<String>| v.as_deref().is_some_and(|s| !s.is_empty());
    match (scope, method) {
        (Scope::Cluster, Method::Set) if empty(&cfg.backup_base_uri) => Err(codes::OB_BACKUP_BASE_URI_EMPTY.occur(&[])),
        (Scope::Tenant, Method::Set) if empty(&cfg.data_base_uri) => {
            Err(codes::OB_BACKUP_DATA_BASE_URI_EMPTY.occur(&[]))
        }
        (Scope::Tenant, Method::Set) if empty(&cfg.archive_base_uri) => {
            Err(codes::OB_BACKUP_ARCHIVE_BASE_URI_EMPTY.occur(&[]))
        }
        (_, Method::Update) if !cfg.archive_uri_given(scope) => {
            let (code, key) = match scope {
                Scope::Cluster => (&codes::OB_BACKUP_BASE_URI_EMPTY, "backup_base_uri"),
                Scope::Tenant => (&codes::OB_BACKUP_ARCHIVE_BASE_URI_EMPTY, "archive_base_uri"),
            };
            if set(&cfg.binding) {
                return Err(code.occur_with_message(format!("If binding is set, {key} must be set"), &[]));
            }
            if set(&cfg.piece_switch_interval) {
                return Err(code.occur_with_message(format!("If piece_switch_interval is set, {key} must be set"), &[]));
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

/// `BackupConfigParam.Check()`: normalize, then the first failing rule. Returns the normalized
/// request on success (what the agent goes on to apply).
pub fn check(cfg: &BackupConfig) -> Result<BackupConfig, AgentError> {
    let c = cfg.normalized();
    check_int(
        c.log_archive_concurrency,
        LOG_ARCHIVE_CONCURRENCY_RANGE,
        &codes::OB_BACKUP_LOG_ARCHIVE_CONCURRENCY_INVALID,
    )?;
    check_int(
        c.ha_low_thread_score,
        HA_LOW_THREAD_SCORE_RANGE,
        &codes::OB_BACKUP_HA_LOW_THREAD_SCORE_INVALID,
    )?;
    check_binding(c.binding.as_deref())?;
    check_piece_switch_interval(c.piece_switch_interval.as_deref())?;
    check_delete_policy(c.delete_policy.as_ref())?;
    let archive = c.archive_dest();
    let mut archive_type = None;
    if let Some(d) = archive.as_ref().filter(|d| !d.base_uri.is_empty()) {
        archive_type = Some(storage::resource_type(&d.base_uri)?);
    }
    if let Some(d) = c.data_dest().filter(|d| !d.base_uri.is_empty()) {
        storage::resource_type(&d.base_uri)?;
    }
    if archive.is_some() {
        check_archive_lag_target(c.archive_lag_target.as_deref(), archive_type)?;
    }
    Ok(c)
}

/// The exact first error the agent returns for this body (apart from the agent-state checks:
/// tenant existence, user tenants, locks), or the normalized request.
pub fn validate(cfg: &BackupConfig, scope: Scope, method: Method) -> Result<BackupConfig, AgentError> {
    precheck(cfg, scope, method)?;
    check(cfg)
}

fn check_int(v: Option<i64>, (lo, hi): (i64, i64), code: &'static crate::Code) -> Result<(), AgentError> {
    match v {
        Some(v) if v < lo || v > hi => Err(code.occur(&[&lo, &hi])),
        _ => Ok(()),
    }
}

/// `binding` after normalization must be OPTIONAL or MANDATORY.
fn check_binding(b: Option<&str>) -> Result<(), AgentError> {
    match b {
        Some(b) if !b.is_empty() && b != BINDING_OPTIONAL && b != BINDING_MANDATORY => {
            Err(codes::OB_BACKUP_BINDING_INVALID.occur(&[&b, &BINDING_OPTIONAL, &BINDING_MANDATORY]))
        }
        _ => Ok(()),
    }
}

/// Non-empty values must parse and lie in [24h, 168h]; the error quotes the raw value.
pub fn check_piece_switch_interval(v: Option<&str>) -> Result<(), AgentError> {
    let Some(v) = v.filter(|v| !v.is_empty()) else {
        return Ok(());
    };
    let d = duration::parse(v).map_err(|e| e.to_agent_error(v))?;
    let (lo, hi) = PIECE_SWITCH_INTERVAL_RANGE;
    if d < lo || d > hi {
        return Err(codes::OB_BACKUP_PIECE_SWITCH_INTERVAL_INVALID.occur(&[&lo, &hi]));
    }
    Ok(())
}

fn check_delete_policy(p: Option<&DeletePolicy>) -> Result<(), AgentError> {
    match p {
        Some(p) if !p.policy.is_empty() && p.policy != DELETE_POLICY_DEFAULT => {
            Err(codes::OB_BACKUP_DELETE_POLICY_INVALID.occur(&[&p.policy, &DELETE_POLICY_DEFAULT]))
        }
        _ => Ok(()),
    }
}

/// Non-empty (already lower-cased) values must parse, be ≤ 2h, and ≥ 1m for S3.
pub fn check_archive_lag_target(v: Option<&str>, archive_type: Option<Scheme>) -> Result<(), AgentError> {
    let Some(v) = v.filter(|v| !v.is_empty()) else {
        return Ok(());
    };
    let d = duration::parse(v).map_err(|e| e.to_agent_error(v))?;
    if d > ARCHIVE_LAG_TARGET_MAX {
        return Err(codes::OB_BACKUP_ARCHIVE_LAG_TARGET_INVALID.occur(&[&ARCHIVE_LAG_TARGET_MAX]));
    }
    if archive_type == Some(Scheme::S3) && d < ARCHIVE_LAG_TARGET_MIN_FOR_S3 {
        return Err(codes::OB_BACKUP_ARCHIVE_LAG_TARGET_FOR_S3_INVALID.occur(&[&ARCHIVE_LAG_TARGET_MIN_FOR_S3]));
    }
    Ok(())
}

/// Every problem in the request, each next to its field, for the console to show while the user
/// types (the agent stops at the first one: see [`validate`] for that). Adds what the agent only
/// finds later, in DAG node 1 (URI structure), and checks the lag target whenever it is set: a
/// value the agent does not check here is sent to OceanBase as is and fails the DAG instead.
pub fn field_errors(cfg: &BackupConfig, scope: Scope, method: Method) -> Vec<(Field, AgentError)> {
    let mut out = Vec::new();
    if let Err(e) = precheck(cfg, scope, method) {
        let code = e.code();
        let field = if code == &codes::OB_BACKUP_DATA_BASE_URI_EMPTY {
            Field::DataBaseUri
        } else if method == Method::Set && code == &codes::OB_BACKUP_ARCHIVE_BASE_URI_EMPTY {
            Field::ArchiveBaseUri
        } else if method == Method::Set && code == &codes::OB_BACKUP_BASE_URI_EMPTY {
            Field::BackupBaseUri
        } else if cfg.binding.as_deref().is_some_and(|b| !b.is_empty()) {
            Field::Binding
        } else {
            Field::PieceSwitchInterval
        };
        out.push((field, e));
        // POST needs both tenant URIs: report the second one too.
        if scope == Scope::Tenant
            && method == Method::Set
            && field == Field::DataBaseUri
            && cfg.archive_base_uri.as_deref().is_none_or(str::is_empty)
        {
            out.push((
                Field::ArchiveBaseUri,
                codes::OB_BACKUP_ARCHIVE_BASE_URI_EMPTY.occur(&[]),
            ));
        }
    }
    let c = cfg.normalized();
    let mut push = |f: Field, r: Result<(), AgentError>| {
        if let Err(e) = r {
            out.push((f, e));
        }
    };
    push(
        Field::LogArchiveConcurrency,
        check_int(
            c.log_archive_concurrency,
            LOG_ARCHIVE_CONCURRENCY_RANGE,
            &codes::OB_BACKUP_LOG_ARCHIVE_CONCURRENCY_INVALID,
        ),
    );
    push(
        Field::HaLowThreadScore,
        check_int(
            c.ha_low_thread_score,
            HA_LOW_THREAD_SCORE_RANGE,
            &codes::OB_BACKUP_HA_LOW_THREAD_SCORE_INVALID,
        ),
    );
    push(Field::Binding, check_binding(c.binding.as_deref()));
    push(
        Field::PieceSwitchInterval,
        check_piece_switch_interval(c.piece_switch_interval.as_deref()),
    );
    push(Field::DeletePolicy, check_delete_policy(c.delete_policy.as_ref()));
    let uri_fields: &[(Field, &Option<String>)] = match scope {
        Scope::Cluster => &[(Field::BackupBaseUri, &c.backup_base_uri)],
        Scope::Tenant => &[
            (Field::ArchiveBaseUri, &c.archive_base_uri),
            (Field::DataBaseUri, &c.data_base_uri),
        ],
    };
    let mut archive_type = None;
    for (field, uri) in uri_fields {
        let Some(uri) = uri.as_deref().filter(|u| !u.is_empty()) else {
            continue;
        };
        match storage::resource_type(uri) {
            Err(e) => push(*field, Err(e)),
            Ok(t) => {
                if *field != Field::DataBaseUri {
                    archive_type = Some(t);
                }
                push(*field, storage::StorageDest::parse(uri).map(|_| ()));
            }
        }
    }
    push(
        Field::ArchiveLagTarget,
        check_archive_lag_target(c.archive_lag_target.as_deref(), archive_type),
    );
    out
}

/// OceanBase's `RECOVERY_WINDOW` must be a duration it understands (modelled by the agent's own
/// grammar); the agent passes the value on unchecked (docs/protocol.md §4.8). The reason, if
/// OceanBase would refuse it (an empty window too).
pub fn recovery_window_refusal(window: &str) -> Option<AgentError> {
    duration::parse(window).err().map(|e| e.to_agent_error(window))
}

/// Why the task of an accepted request would fail: the agent takes the request, starts the
/// DAG (which may switch log archiving off first) and fails later (docs/protocol.md §4.8).
#[derive(Clone, Debug, PartialEq)]
pub enum Refusal {
    /// An object-store destination without what its write test needs.
    Storage(storage::StorageWarning),
    /// OceanBase refuses the delete policy's recovery window (why, in the agent's words).
    RecoveryWindow(AgentError),
    /// The destination the agent writes into its SQL (`ALTER SYSTEM SET LOG_ARCHIVE_DEST =
    /// 'LOCATION=<uri>'`, `DATA_BACKUP_DEST = '<uri>'`: `ob/agent/service/tenant/backup.go`
    /// L124-132, L188, unescaped) holds a single quote: the statement breaks, after the task has
    /// switched archive log off.
    QuoteInDestination,
}

/// What the task would refuse in this request, by field: object-store destinations without
/// endpoint or credentials or with a single quote, a recovery window OceanBase refuses. (URI structure errors, which the
/// task's first stage reports too, are in [`field_errors`].)
pub fn task_refusals(cfg: &BackupConfig, scope: Scope) -> Vec<(Field, Refusal)> {
    let mut out = Vec::new();
    let uris: &[(Field, &Option<String>)] = match scope {
        Scope::Cluster => &[(Field::BackupBaseUri, &cfg.backup_base_uri)],
        Scope::Tenant => &[
            (Field::DataBaseUri, &cfg.data_base_uri),
            (Field::ArchiveBaseUri, &cfg.archive_base_uri),
        ],
    };
    for (field, uri) in uris {
        if let Some(d) = uri.as_deref().and_then(|u| storage::StorageDest::parse(u).ok()) {
            out.extend(d.warnings().into_iter().map(|w| (*field, Refusal::Storage(w))));
            // What the agent writes: the parsed (percent-decoded) parts, credentials included.
            if d.generate_uri().contains('\'') {
                out.push((*field, Refusal::QuoteInDestination));
            }
        }
    }
    if let Some(e) = cfg
        .delete_policy
        .as_ref()
        .and_then(|p| recovery_window_refusal(&p.recovery_window))
    {
        out.push((Field::RecoveryWindow, Refusal::RecoveryWindow(e)));
    }
    out
}

/// Side effects the agent's DAG has beyond setting values (protocol §4.7), for the review step.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SideEffect {
    /// Archive log is switched off for every affected tenant and not switched back on.
    ArchiveLogStopped,
    /// A running data backup of an affected tenant is cancelled first.
    RunningBackupCancelled,
    /// Rewriting the archive destination resets binding / piece switch interval to OceanBase's
    /// defaults unless they are sent too.
    ArchiveDestDefaultsReset,
    /// The cluster-level configuration applies to every user tenant.
    AllTenants,
}

/// What the DAG created by this request will do besides setting values.
pub fn side_effects(c: &BackupConfig, scope: Scope) -> Vec<SideEffect> {
    let mut out = Vec::new();
    let archive_set = c.archive_dest().is_some_and(|d| !d.base_uri.is_empty());
    if scope == Scope::Cluster {
        out.push(SideEffect::AllTenants);
    }
    if c.log_archive_concurrency.is_some() || archive_set {
        out.push(SideEffect::ArchiveLogStopped);
    }
    if archive_set && (c.binding.is_none() || c.piece_switch_interval.is_none()) {
        out.push(SideEffect::ArchiveDestDefaultsReset);
    }
    if c.data_dest().is_some_and(|d| !d.base_uri.is_empty()) {
        out.push(SideEffect::RunningBackupCancelled);
    }
    out
}
