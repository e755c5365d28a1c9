//! Backup routes (`backup_route.go`, `executor/ob/backup_{config,tenant,status}.go`).

use super::guards::{check_cluster_agent, check_tenant};
use crate::cluster::{BackupJob, Cluster, TenantRef};
use crate::engine::model::Renderer;
use crate::envelope::{Data, Out, TypedNil};
use crate::request::{bind, Req};
use crate::state::lock;
use obshell_proto::backup::{self, Method, Scope};
use obshell_proto::backup_ops::{
    self, ArchiveAction, ArchiveLogTask, ArchiveState, BackupJobs, BackupTask, ClusterBackupOverview, Page,
    TenantBackupInfo, TenantBackupOverview,
};
use obshell_proto::errors::codes;
use obshell_proto::storage::StorageDest;
use obshell_proto::AgentError;
use serde::Serialize;

/// POST/PATCH `/obcluster/backup/config` and `/tenant/{name}/backup/config`, in the agent's
/// check order (protocol §4.4).
pub(super) fn config(r: &Req<'_>, scope: Scope, method: Method, tenant: Option<&str>) -> Out {
    let tenant = match scope {
        Scope::Cluster => {
            check_cluster_agent(r)?;
            None
        }
        Scope::Tenant => Some(check_tenant(r, tenant.unwrap_or(""))?),
    };
    let cfg = obshell_proto::agent::bind::decode_like_agent(r.body, scope)?;
    // `Post…/Patch…BackupConfig`: their errors go out beside the nil `*DagDetailDTO`.
    let create = || -> Result<Data, AgentError> {
        backup::precheck(&cfg, scope, method)?;
        let mut w = lock(&r.st.world);
        if scope == Scope::Cluster && w.cluster.user_tenants().is_empty() {
            return Err(codes::OB_BACKUP_NO_USER_TENANTS.occur(&[]));
        }
        let cfg = backup::check(&cfg)?;
        let now = r.st.clock.now_nanos();
        let id = w.engine.create_backup_config(tenant, cfg, now)?;
        let dag = w.engine.dag(id).expect("just created");
        Ok(Data::of(&Renderer { clock: &r.st.clock }.created(dag)))
    };
    create().or_nil_pointer()
}

#[derive(Serialize)]
struct BackupDestInfo {
    tenant_id: i64,
    archive_base_uri: String,
    data_base_uri: String,
}

/// `GetTenantBackupConfig`: both URIs re-rendered without secrets; a rendered URI that still
/// mentions `access_id`/`access_key` makes the handler return a nil pointer (`"data":null`).
pub(super) fn storage(r: &Req<'_>, name: &str) -> Out {
    let t = check_tenant(r, name)?;
    let w = lock(&r.st.world);
    let tenant = w.cluster.tenant_by_id(t.id).expect("checked");
    let render = |uri: &str| -> Result<String, AgentError> {
        if uri.is_empty() {
            return Ok(String::new());
        }
        Ok(StorageDest::parse(uri)?.uri_without_secret())
    };
    // `GetTenantBackupConfig`'s errors go out beside its nil `*BackupDestInfo`.
    let archive = render(
        tenant
            .backup
            .archive_dest
            .as_ref()
            .map(|d| d.location.as_str())
            .unwrap_or(""),
    )
    .or_nil_pointer()?;
    let data = render(&tenant.backup.data_dest).or_nil_pointer()?;
    let leaky = |s: &str| s.contains("access_id") || s.contains("access_key");
    if leaky(&archive) || leaky(&data) {
        return Ok(Data::typed_nil());
    }
    Ok(Data::of(&BackupDestInfo {
        tenant_id: t.id,
        archive_base_uri: archive,
        data_base_uri: data,
    }))
}

/// `checkAllDest`.
fn check_all_dest(c: &Cluster, t: &TenantRef) -> Result<(), AgentError> {
    let tenant = c.tenant_by_id(t.id).expect("tenant exists");
    if tenant.backup.archive_dest.is_none() {
        return Err(codes::OB_BACKUP_ARCHIVE_DEST_EMPTY.occur(&[&t.name, &t.id]));
    }
    if tenant.backup.data_dest.is_empty() {
        return Err(codes::OB_BACKUP_DATA_DEST_EMPTY.occur(&[&t.name, &t.id]));
    }
    Ok(())
}

/// POST `/obcluster/backup`, `/tenant/{name}/backup` (protocol §5.1).
pub(super) fn start(r: &Req<'_>, tenant: Option<&str>) -> Out {
    let t = match tenant {
        None => {
            check_cluster_agent(r)?;
            None
        }
        Some(n) => Some(check_tenant(r, n)?),
    };
    let (mode, encryption, plus) = bind(r.body, "param.BackupParam", "BackupParam", |d| {
        (
            d.string("mode", "mode"),
            d.string("encryption", "encryption"),
            d.bool("plus_archive", "plus_archive"),
        )
    })?;
    // `ObclusterStartBackup`/`TenantStartBackup`: errors beside the nil `*DagDetailDTO`.
    let create = || -> Result<Data, AgentError> {
        let mut w = lock(&r.st.world);
        match &t {
            None => {
                let all = w.cluster.user_tenants();
                if all.is_empty() {
                    return Err(codes::OB_BACKUP_NO_USER_TENANTS.occur(&[]));
                }
                for x in &all {
                    check_all_dest(&w.cluster, x)?;
                }
            }
            Some(x) => check_all_dest(&w.cluster, x)?,
        }
        let mode = obshell_proto::go::strings::to_lower(mode.as_deref().unwrap_or_default());
        let incremental = match mode.as_str() {
            "" | "full" => false,
            "incremental" => true,
            other => return Err(codes::OB_BACKUP_MODE_INVALID.occur(&[&other, &"full", &"incremental"])),
        };
        let encrypted = encryption.as_ref().is_some_and(|e| !e.is_empty());
        let now = r.st.clock.now_nanos();
        let id = w
            .engine
            .create_start_backup(t.clone(), incremental, encrypted, plus.unwrap_or(false), now)?;
        let dag = w.engine.dag(id).expect("just created");
        Ok(Data::of(&Renderer { clock: &r.st.clock }.created(dag)))
    };
    create().or_nil_pointer()
}

fn targets(r: &Req<'_>, tenant: Option<&str>) -> Result<Vec<TenantRef>, AgentError> {
    match tenant {
        None => {
            check_cluster_agent(r)?;
            Ok(lock(&r.st.world).cluster.user_tenants())
        }
        Some(n) => Ok(vec![check_tenant(r, n)?]),
    }
}

/// PATCH `/…/backup` `{"status":"canceled"}` (an empty body cancels too).
pub(super) fn cancel(r: &Req<'_>, tenant: Option<&str>) -> Out {
    let ts = targets(r, tenant)?;
    let status = bind(r.body, "param.BackupStatusParam", "BackupStatusParam", |d| {
        d.string("status", "status")
    })?;
    let status =
        obshell_proto::go::strings::to_lower(&status.filter(|s| !s.is_empty()).unwrap_or_else(|| "canceled".into()));
    if status != "canceled" {
        return Err(codes::OB_BACKUP_STATUS_INVALID.occur(&[&status, &"canceled"]).into());
    }
    let mut w = lock(&r.st.world);
    for t in ts {
        if !w.cluster.backup_finished(t.id) {
            w.cluster.cancel_backup(t.id);
        }
    }
    Ok(Data::Omit)
}

/// PATCH `/…/backup/log` `{"status":"DOING"|"STOP"|"SUSPEND"}` (empty → STOP) (protocol §5.3).
pub(super) fn archive_log(r: &Req<'_>, tenant: Option<&str>) -> Out {
    let ts = targets(r, tenant)?;
    let status = bind(r.body, "param.ArchiveLogStatusParam", "ArchiveLogStatusParam", |d| {
        d.string("status", "status")
    })?;
    let status =
        obshell_proto::go::strings::to_upper(&status.filter(|s| !s.is_empty()).unwrap_or_else(|| "STOP".into()));
    let Some(action) = [ArchiveAction::Start, ArchiveAction::Stop, ArchiveAction::Suspend]
        .into_iter()
        .find(|a| a.status() == status)
    else {
        return Err(codes::OB_BACKUP_ARCHIVE_LOG_STATUS_INVALID
            .occur(&[&status, &"STOP", &"DOING"])
            .into());
    };
    let mut w = lock(&r.st.world);
    for t in ts {
        let cur = w.cluster.archive_status(t.id);
        match action {
            // `SUSPEND` always defers the destination, whatever the round's status.
            ArchiveAction::Suspend => w.cluster.set_dest_state(t.id, false),
            // `startArchiveLog`/`stopArchiveLog` refuse an interrupted round …
            _ if ArchiveState::of(&cur) == ArchiveState::Interrupted => {
                return Err(codes::COMMON_UNEXPECTED
                    .occur(&[&format!("tenant {} archive log is interrupted", t.name)])
                    .into())
            }
            // … and leave a status they do not list (no round yet: "") as it is.
            _ if !action.acts_on(&cur) => {}
            ArchiveAction::Start => {
                w.cluster.set_dest_state(t.id, true);
                // STOP/STOPPING need the log mode back; SUSPEND/SUSPENDING only the dest state.
                if ArchiveState::of(&cur) == ArchiveState::Stopped {
                    w.cluster.open_archive_log(t.id)?;
                }
            }
            ArchiveAction::Stop => w.cluster.close_archive_log(t.id),
        }
    }
    Ok(Data::Omit)
}

/// `oceanbase.CdbObBackupTask` of a job.
fn task_of(r: &Req<'_>, j: &BackupJob) -> BackupTask {
    let done = j.end_nanos.is_some();
    let scn = |n: i128| n as i64;
    BackupTask {
        tenant_id: j.tenant_id,
        task_id: j.job_id,
        job_id: j.job_id,
        incarnation: 1,
        backup_set_id: j.backup_set_id,
        start_timestamp: r.st.clock.render(j.start_nanos),
        end_timestamp: r.st.clock.render(j.end_nanos.unwrap_or(crate::clock::GO_ZERO_NANOS)),
        status: j.status.clone(),
        start_scn: scn(j.start_nanos),
        end_scn: j.end_nanos.map(scn).unwrap_or(0),
        user_ls_start_scn: 0,
        encryption_mode: if j.encrypted { "PASSWORD" } else { "NONE" }.into(),
        input_bytes: if done { 123_456 } else { 40_000 * j.ticks as i64 },
        output_bytes: if done { 120_000 } else { 39_000 * j.ticks as i64 },
        output_rate_bytes: 950.5,
        extra_meta_bytes: 0,
        tablet_count: 120,
        finish_tablet_count: if done { 120 } else { 40 * j.ticks as i64 },
        macro_block_count: 300,
        finish_macro_block_count: if done { 300 } else { 100 * j.ticks as i64 },
        file_count: if done { 42 } else { 0 },
        meta_turn_id: 1,
        data_turn_id: 1,
        result: j.result,
        comment: j.comment.clone(),
        path: j.path.clone(),
    }
}

/// The running task of a tenant, else the latest finished one.
fn latest(c: &Cluster, tid: i64) -> Option<&BackupJob> {
    let t = c.tenant_by_id(tid)?;
    t.backup
        .jobs
        .last()
        .or_else(|| t.backup.history.iter().max_by_key(|j| j.job_id))
}

pub(super) fn overview(r: &Req<'_>, tenant: Option<&str>) -> Out {
    match tenant {
        None => {
            check_cluster_agent(r)?;
            let w = lock(&r.st.world);
            let statuses: Vec<BackupTask> = w
                .cluster
                .user_tenants()
                .iter()
                .filter_map(|t| latest(&w.cluster, t.id))
                .map(|j| task_of(r, j))
                .collect();
            if statuses.is_empty() {
                // `GetObclusterBackupOverview`'s error, beside its nil `*BackupOverview`.
                return Err(codes::COMMON_NOT_FOUND.occur(&[&"backup task"])).or_nil_pointer();
            }
            Ok(Data::of(&ClusterBackupOverview { statuses }))
        }
        Some(n) => {
            let t = check_tenant(r, n)?;
            let w = lock(&r.st.world);
            let Some(j) = latest(&w.cluster, t.id) else {
                return Err(codes::TASK_NOT_FOUND_WITH_REASON.occur(&[&"no backup task"])).or_nil_pointer();
            };
            Ok(Data::of(&TenantBackupOverview { status: task_of(r, j) }))
        }
    }
}

/// `bo.TenantBackupInfo` (the product spells it `lastest`).
pub(super) fn info(r: &Req<'_>, name: &str) -> Out {
    let t = check_tenant(r, name)?;
    let w = lock(&r.st.world);
    let b = &w.cluster.tenant_by_id(t.id).expect("checked").backup;
    let now = r.st.clock.now_nanos();
    // The running backup task, else the last one whatever its status; the newest archive round
    // whatever its status (`float64` with `omitempty`: a zero delay is left out).
    let round = b.round.as_ref();
    Ok(Data::of(&TenantBackupInfo {
        tenant_id: t.id,
        lastest_archive_log_checkpoint: round
            .map(|x| r.st.clock.render(crate::clock::truncate_micros(x.checkpoint_nanos))),
        lastest_data_backup_time: latest(&w.cluster, t.id).map(|j| r.st.clock.render(j.start_nanos)),
        archive_log_delay: round
            .map(|x| archive_delay(now, x.checkpoint_nanos))
            .filter(|d| *d != 0.0),
    }))
}

/// `GET /tenant/{name}/backup/tasks` (`QueryBackupTasksParam`).
pub(super) fn tasks(r: &Req<'_>, name: &str) -> Out {
    let t = check_tenant(r, name)?;
    // gin's form binding, in `QueryBackupTasksParam`'s field order (the first error wins):
    // start_time, end_time (RFC 3339; present but empty = Go's zero time), page, size
    // (`uint64`; absent or empty = the default), then status and sort (strings).
    let time = |k: &str| -> Result<Option<i128>, AgentError> {
        match r.q(k) {
            None => Ok(None),
            Some("") => Ok(Some(crate::clock::GO_ZERO_NANOS)),
            Some(v) => obshell_proto::go::time::parse_rfc3339(v)
                .map(Some)
                .map_err(|e| codes::COMMON_BIND_JSON_FAILED.occur(&[&e])),
        }
    };
    let (from, to) = (time("start_time")?, time("end_time")?);
    let uint = |k: &str, default: u64| -> Result<u64, AgentError> {
        match r.q(k) {
            None | Some("") => Ok(default),
            Some(v) => {
                obshell_proto::go::strconv::parse_uint(v).map_err(|e| codes::COMMON_BIND_JSON_FAILED.occur(&[&e]))
            }
        }
    };
    let page = uint("page", 1)?.max(1);
    let mut size = uint("size", i32::MAX as u64)?;
    if size < 1 {
        size = i32::MAX as u64;
    }
    // `strings.Split(strings.ToUpper(status), ",")`: no trimming; an empty part matches nothing.
    let statuses: Vec<String> = match r.q("status").unwrap_or("") {
        "" => Vec::new(),
        s => obshell_proto::go::strings::to_upper(s)
            .split(',')
            .map(str::to_string)
            .collect(),
    };
    // `Format`: exactly two parts give field and order, else the first part is the field;
    // anything but `end_timestamp` sorts by start, anything but a lower-case `asc` is `desc`.
    let (sort_end, asc) = {
        let s = r.q("sort").filter(|s| !s.is_empty()).unwrap_or("start_timestamp");
        let parts: Vec<&str> = s.split(',').collect();
        let order = if parts.len() == 2 { parts[1] } else { "" };
        (parts[0] == "end_timestamp", order == "asc")
    };
    let w = lock(&r.st.world);
    let b = &w.cluster.tenant_by_id(t.id).expect("checked").backup;
    let mut jobs: Vec<&BackupJob> = b
        .history
        .iter()
        .chain(b.jobs.iter())
        .filter(|j| statuses.is_empty() || statuses.contains(&j.status))
        .filter(|j| from.is_none_or(|f| j.start_nanos >= f) && to.is_none_or(|e| j.start_nanos <= e))
        .collect();
    // Jobs without the sorted timestamp (a running job's end) come last in either order.
    let key = |j: &BackupJob| if sort_end { j.end_nanos } else { Some(j.start_nanos) };
    jobs.sort_by(|a, b| match (key(a), key(b)) {
        (Some(x), Some(y)) if asc => x.cmp(&y),
        (Some(x), Some(y)) => y.cmp(&x),
        (x, y) => y.is_some().cmp(&x.is_some()),
    });
    let total = jobs.len();
    // `start := int((p.Page - 1) * p.Size); end := start + int(p.Size)`, then `tasks[start:]` or
    // `tasks[start:end]` (`ob/agent/service/tenant/backup.go` L390-398): Go's wrapping uint64 and
    // int arithmetic; a slice with a negative or reversed bound panics, and gin's recovery
    // answers its pre-built 500 (a `size` of 2^63 or more, or an overflowing page × size).
    let start = (page - 1).wrapping_mul(size) as i64;
    let end = start.wrapping_add(size as i64);
    let len = total as i64;
    let (skip, take) = if start >= len {
        (total, 0)
    } else if start < 0 || (end <= len && end < start) {
        return Err(obshell_proto::agent::secure::recovery_error().into());
    } else {
        (start as usize, (end.min(len) - start) as usize)
    };
    let contents: Vec<backup_ops::BackupJob> = jobs
        .into_iter()
        .skip(skip)
        .take(take)
        .map(|j| backup_ops::BackupJob {
            tenant_id: j.tenant_id,
            job_id: j.job_id,
            backup_set_id: j.backup_set_id,
            plus_archivelog: if j.plus_archivelog { "ON" } else { "OFF" }.into(),
            backup_type: if j.incremental { "INC" } else { "FULL" }.into(),
            start_timestamp: r.st.clock.render(j.start_nanos),
            end_timestamp: j.end_nanos.map(|e| r.st.clock.render(e)),
            status: j.status.clone(),
            result: j.result,
            comment: j.comment.clone(),
            description: String::new(),
            path: j.path.clone(),
        })
        .collect();
    let total_pages = if total == 0 { 0 } else { total.div_ceil(size as usize) };
    Ok(Data::of(&BackupJobs {
        contents,
        page: Page {
            total_elements: total as u64,
            total_pages: total_pages as u64,
            size,
            number: page,
        },
    }))
}

/// `truncate((time_to_usec(now()) - checkpoint_scn / 1000) / 1000000, 4)`: OceanBase's `now()`
/// has whole seconds, and the delay is truncated (toward zero) to 0.1 ms.
fn archive_delay(now: i128, checkpoint_nanos: i128) -> f64 {
    ((crate::clock::truncate_secs(now) - checkpoint_nanos) / 100_000) as f64 / 10_000.0
}

/// `GET /tenant/{name}/backup/log/tasks`: the current archive round while it is in
/// BEGINNING, DOING, STOPPING, PREPARE or SUSPEND.
pub(super) fn archive_tasks(r: &Req<'_>, name: &str) -> Out {
    let t = check_tenant(r, name)?;
    let w = lock(&r.st.world);
    let b = &w.cluster.tenant_by_id(t.id).expect("checked").backup;
    let now = r.st.clock.now_nanos();
    let list: Vec<ArchiveLogTask> = b
        .round
        .iter()
        .filter(|_| {
            matches!(
                b.archive_status.as_str(),
                "BEGINNING" | "DOING" | "STOPPING" | "PREPARE" | "SUSPEND"
            )
        })
        .map(|x| ArchiveLogTask {
            tenant_id: t.id,
            tenant_name: String::new(),
            round_id: x.round_id,
            status: b.archive_status.clone(),
            path: x.path.clone(),
            delay: archive_delay(now, x.checkpoint_nanos),
            checkpoint: r.st.clock.render(crate::clock::truncate_micros(x.checkpoint_nanos)),
            start_time: r.st.clock.render(crate::clock::truncate_micros(x.start_nanos)),
        })
        .collect();
    Ok(Data::contents(&list))
}
