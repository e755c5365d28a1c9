//! The agent's routes (`ob/agent/api/*route*.go`, `task_handler.go`, `tenant_handler.go`) for
//! what the simulator implements, with their guards. Matching is on the percent-decoded path, as
//! gin matches `URL.Path`.
//!
//! This module is the routing table only; handlers take a [`Req`] and
//! return an [`Out`], and share nothing through here (their common checks are in `guards`).

mod backup;
mod guards;
mod info;
mod session;
mod tasks;
mod tenant;

use crate::auth::Guard;
use crate::envelope::Out;
use crate::request::Req;
use crate::state::Runtime;
use axum::http::Method;
use obshell_proto::backup::{Method as CfgMethod, Scope};

/// A matched route and its path parameters.
#[derive(Clone, Debug)]
pub(crate) enum Route {
    Time,
    Info,
    GitInfo,
    Status,
    Secret,
    Login,
    Logout,
    SsoToken,
    SsoExchange,
    TenantsOverview,
    TenantParameter(String, String),
    TenantParameters(String),
    BackupConfig(Scope, CfgMethod, Option<String>),
    BackupStorage(String),
    StartBackup(Option<String>),
    CancelBackup(Option<String>),
    ArchiveLog(Option<String>),
    BackupOverview(Option<String>),
    BackupInfo(String),
    BackupTasks(String),
    ArchiveTasks(String),
    GetDag(String),
    OperateDag(String),
    GetNode(String),
    OperateNode(String),
    GetSubTask(String),
    SubTaskLogs(String),
    DagUnfinish,
    DagObUnfinish,
    DagAgentUnfinish,
    DagsOb,
    DagsAgent,
    DagMaintainOb,
    DagMaintainAgent,
    DagMaintainAgents,
    DagAgentMainDags,
}

/// `(guard, route)` for a method and decoded path segments, `None` → NoRoute (404).
pub(crate) fn match_route(method: &Method, segs: &[String], rt: &Runtime) -> Option<(Guard, Route)> {
    let s: Vec<&str> = segs.iter().map(String::as_str).collect();
    let m = method.as_str();
    let rest = match s.as_slice() {
        ["api", "v1", rest @ ..] => rest,
        _ => return None,
    };
    let t = |x: &str| x.to_string();
    use Guard::*;
    use Route::*;
    Some(match (m, rest) {
        ("GET", ["time"]) => (Open, Time),
        ("GET", ["info"]) => (Open, Info),
        ("GET", ["git-info"]) => (Open, GitInfo),
        ("GET" | "POST", ["status"]) => (Open, Status),
        ("GET", ["secret"]) => (Open, Secret),
        ("POST", ["login"]) if rt.has_sessions() => (Guard::Login, Route::Login),
        ("POST", ["logout"]) if rt.has_sessions() => (Verify, Logout),
        ("POST", ["sso", "token"]) if rt.has_sso() => (Guard::Login, SsoToken),
        ("GET", ["sso", "exchange"]) if rt.has_sso() => (Guard::SsoExchange, Route::SsoExchange),
        ("GET", ["tenants", "overview"]) => (Verify, TenantsOverview),
        ("GET", ["tenant", n, "parameter", p]) => (Verify, TenantParameter(t(n), t(p))),
        ("GET", ["tenant", n, "parameters"]) => (Verify, TenantParameters(t(n))),
        ("POST", ["obcluster", "backup", "config"]) => (Verify, BackupConfig(Scope::Cluster, CfgMethod::Set, None)),
        ("PATCH", ["obcluster", "backup", "config"]) => (Verify, BackupConfig(Scope::Cluster, CfgMethod::Update, None)),
        ("POST", ["tenant", n, "backup", "config"]) => {
            (Verify, BackupConfig(Scope::Tenant, CfgMethod::Set, Some(t(n))))
        }
        ("PATCH", ["tenant", n, "backup", "config"]) => {
            (Verify, BackupConfig(Scope::Tenant, CfgMethod::Update, Some(t(n))))
        }
        ("GET", ["tenant", n, "backup", "config", "storage"]) => (Verify, BackupStorage(t(n))),
        ("POST", ["obcluster", "backup"]) => (Verify, StartBackup(None)),
        ("POST", ["tenant", n, "backup"]) => (Verify, StartBackup(Some(t(n)))),
        ("PATCH", ["obcluster", "backup"]) => (Verify, CancelBackup(None)),
        ("PATCH", ["tenant", n, "backup"]) => (Verify, CancelBackup(Some(t(n)))),
        ("PATCH", ["obcluster", "backup", "log"]) => (Verify, ArchiveLog(None)),
        ("PATCH", ["tenant", n, "backup", "log"]) => (Verify, ArchiveLog(Some(t(n)))),
        ("GET", ["obcluster", "backup", "overview"]) => (Verify, BackupOverview(None)),
        ("GET", ["tenant", n, "backup", "overview"]) => (Verify, BackupOverview(Some(t(n)))),
        ("GET", ["tenant", n, "backup", "info"]) => (Verify, BackupInfo(t(n))),
        ("GET", ["tenant", n, "backup", "tasks"]) => (Verify, BackupTasks(t(n))),
        ("GET", ["tenant", n, "backup", "log", "tasks"]) => (Verify, ArchiveTasks(t(n))),
        // Static segments win over `:id` in gin's tree.
        ("GET", ["task", "dag", "unfinish"]) => (Task, DagUnfinish),
        ("GET", ["task", "dag", "ob", "unfinish"]) => (Task, DagObUnfinish),
        ("GET", ["task", "dag", "agent", "unfinish"]) => (Task, DagAgentUnfinish),
        ("GET", ["task", "dag", "maintain", "ob"]) => (Task, DagMaintainOb),
        ("GET", ["task", "dag", "maintain", "agent"]) => (Task, DagMaintainAgent),
        ("GET", ["task", "dag", "maintain", "agents"]) => (Task, DagMaintainAgents),
        ("GET", ["task", "dag", "agent", "main_dags"]) => (Task, DagAgentMainDags),
        ("GET", ["task", "dags", "ob"]) => (Task, DagsOb),
        ("GET", ["task", "dags", "agent"]) => (Task, DagsAgent),
        ("GET", ["task", "dag", id]) if !id.is_empty() => (Task, GetDag(t(id))),
        ("POST", ["task", "dag", id]) if !id.is_empty() => (Task, OperateDag(t(id))),
        ("GET", ["task", "node", id]) if !id.is_empty() => (Task, GetNode(t(id))),
        ("POST", ["task", "node", id]) if !id.is_empty() => (Task, OperateNode(t(id))),
        ("GET", ["task", "sub_task", id]) if !id.is_empty() => (Task, GetSubTask(t(id))),
        ("GET", ["task", "sub_task", id, "logs"]) if !id.is_empty() => (Task, SubTaskLogs(t(id))),
        _ => return None,
    })
}

/// Runs the handler of a matched route.
pub(crate) fn dispatch(route: Route, r: &Req<'_>) -> Out {
    use Route::*;
    match route {
        Time => info::time(r),
        Info => info::info(r),
        GitInfo => info::git_info(r),
        Status => info::status(r),
        Secret => info::secret(r),
        Login => session::login(r),
        Logout => session::logout(r),
        SsoToken => session::sso_token(r),
        SsoExchange => session::sso_exchange(r),
        TenantsOverview => tenant::overview(r),
        TenantParameter(n, p) => tenant::parameter(r, &n, &p),
        TenantParameters(n) => tenant::parameters(r, &n),
        BackupConfig(scope, m, n) => backup::config(r, scope, m, n.as_deref()),
        BackupStorage(n) => backup::storage(r, &n),
        StartBackup(n) => backup::start(r, n.as_deref()),
        CancelBackup(n) => backup::cancel(r, n.as_deref()),
        ArchiveLog(n) => backup::archive_log(r, n.as_deref()),
        BackupOverview(n) => backup::overview(r, n.as_deref()),
        BackupInfo(n) => backup::info(r, &n),
        BackupTasks(n) => backup::tasks(r, &n),
        ArchiveTasks(n) => backup::archive_tasks(r, &n),
        GetDag(id) => tasks::get_dag(r, &id),
        OperateDag(id) => tasks::operate_dag(r, &id),
        GetNode(id) => tasks::get_node(r, &id),
        OperateNode(id) => tasks::operate_node(r, &id),
        GetSubTask(id) => tasks::get_sub_task(r, &id),
        SubTaskLogs(id) => tasks::sub_task_logs(r, &id),
        DagUnfinish => tasks::unfinished(r),
        DagObUnfinish => tasks::cluster_unfinished(r),
        DagAgentUnfinish => tasks::agent_unfinished(r),
        DagsAgent => tasks::agent_dags(r),
        DagsOb => tasks::all_dags(r),
        DagMaintainOb => tasks::maintain(r),
        DagMaintainAgent => tasks::maintain_agent(r),
        DagMaintainAgents | DagAgentMainDags => tasks::all_agents_maintenance(r),
    }
}
