//! The agent's routes (`ob/agent/api/*route*.go`, `task_handler.go`, `tenant_handler.go`) for
//! what the simulator implements, with their guards. Matching is on the percent-decoded path, as
//! gin matches `URL.Path`.

mod backup;
mod info;
mod session;
mod tasks;
mod tenant;

use crate::auth::{Guard, Verified};
use crate::envelope::Data;
use crate::state::{AppState, Runtime};
use axum::http::Method;
use obshell_proto::backup::{Method as CfgMethod, Scope};
use obshell_proto::envelope::Identity;
use obshell_proto::errors::codes;
use obshell_proto::go::json::{self as gojson, FirstError, JVal, StructDecoder};
use obshell_proto::AgentError;

/// A request after the middleware: what handlers may look at.
pub struct Req<'a> {
    pub st: &'a AppState,
    pub method: &'a Method,
    /// `RequestURI` as received.
    pub uri: &'a str,
    /// Decoded query pairs in order.
    pub query: Vec<(String, String)>,
    /// The (decrypted, padded) body.
    pub body: &'a [u8],
    pub verified: Verified,
    /// Receive time (Unix nanos, agent clock).
    pub now: i128,
}

impl Req<'_> {
    /// `c.Query(key)`: the first value, "" when absent.
    pub fn q(&self, key: &str) -> Option<&str> {
        self.query.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }
}

pub type Out = Result<Data, Fail>;

/// A handler's failure: the agent's error and the `data` its envelope carries beside it. A Go
/// handler that hands its executor's typed result to `SendResponse` (`dag, err := …;
/// SendResponse(c, dag, err)`) answers `"data":null` with the error (a typed nil pointer is not
/// omitted) or `"data":{"contents":null}` (a nil slice is still wrapped); guards (identity,
/// tenant, binding) pass an untyped nil and the key is omitted.
#[derive(Debug)]
pub struct Fail {
    pub err: AgentError,
    pub data: Data,
}

impl From<AgentError> for Fail {
    fn from(err: AgentError) -> Self {
        Fail { err, data: Data::Omit }
    }
}

/// Marks an executor's errors with the typed nil its Go handler sends along.
pub trait TypedNil<T> {
    /// A nil pointer result: `"data":null`.
    fn or_nil_pointer(self) -> Result<T, Fail>;
    /// A nil slice result: `"data":{"contents":null}`.
    fn or_nil_slice(self) -> Result<T, Fail>;
}

impl<T> TypedNil<T> for Result<T, AgentError> {
    fn or_nil_pointer(self) -> Result<T, Fail> {
        self.map_err(|err| Fail {
            err,
            data: Data::typed_nil(),
        })
    }
    fn or_nil_slice(self) -> Result<T, Fail> {
        self.map_err(|err| Fail {
            err,
            data: Data::nil_contents(),
        })
    }
}

#[derive(Clone, Debug)]
pub enum Route {
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
pub fn match_route(method: &Method, segs: &[String], rt: &Runtime) -> Option<(Guard, Route)> {
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

pub fn dispatch(route: Route, r: &Req<'_>) -> Out {
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

// ---------------------------------------------------------------------------------------------
// helpers shared by the handlers

/// 400 `Agent.Identify.NotSupportOperation` unless the agent is a `CLUSTER AGENT`.
pub fn check_cluster_agent(r: &Req<'_>) -> Result<(), AgentError> {
    let rt = r.st.runtime();
    if rt.identity != Identity::ClusterAgent {
        return Err(codes::AGENT_IDENTIFY_NOT_SUPPORT_OPERATION.occur(&[
            &r.st.me(),
            &rt.identity.as_str(),
            &Identity::ClusterAgent.as_str(),
        ]));
    }
    Ok(())
}

/// `checkTenantAndGetName`: identity, empty name, `sys`, existence (META tenants excluded).
pub fn check_tenant(r: &Req<'_>, name: &str) -> Result<crate::cluster::TenantRef, AgentError> {
    check_cluster_agent(r)?;
    if name.is_empty() {
        return Err(codes::OB_TENANT_NAME_EMPTY.occur(&[]));
    }
    if name == crate::cluster::SYS_TENANT {
        return Err(codes::OB_TENANT_SYS_OPERATION_NOT_ALLOWED.occur(&[]));
    }
    let w = crate::state::lock(&r.st.world);
    w.cluster
        .tenant(name)
        .map(crate::cluster::TenantRef::of)
        .ok_or_else(|| codes::OB_TENANT_NOT_EXIST.occur(&[&name]))
}

/// gin `BindJSON` of a small struct: parses like Go, hands the object to `f`, and turns the first
/// type error into `Bind JSON failed: …`.
pub fn bind<T>(
    body: &[u8],
    go_type: &str,
    name: &str,
    f: impl FnOnce(&mut StructDecoder<'_>) -> T,
) -> Result<T, AgentError> {
    let fail = |m: String| codes::COMMON_BIND_JSON_FAILED.occur(&[&m]);
    let v = gojson::parse(body).map_err(fail)?;
    let empty = JVal::Obj(Vec::new());
    let obj = gojson::top_level(&v, go_type).map_err(fail)?.unwrap_or(&empty);
    let mut errors = FirstError::default();
    let out = {
        let mut d = StructDecoder::new(obj, name, &mut errors);
        f(&mut d)
    };
    errors.into_result().map_err(fail)?;
    Ok(out)
}

/// Percent-decodes a path (`%2F` becomes `/` too, as Go's `URL.Path`). The pipeline has
/// already refused paths with a malformed escape, as Go's URL parser does.
pub fn percent_decode(s: &str) -> String {
    obshell_proto::go::url::unescape(s, false).unwrap_or_else(|_| s.to_string())
}

pub fn decode_segments(path: &str) -> Vec<String> {
    percent_decode(path).split('/').skip(1).map(str::to_string).collect()
}

/// Go's `url.ParseQuery` (pairs with bad escapes are dropped, `+` is a space).
pub fn parse_query(q: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for part in q.split('&') {
        if part.is_empty() || part.contains(';') {
            continue;
        }
        let (k, v) = part.split_once('=').unwrap_or((part, ""));
        if let (Some(k), Some(v)) = (unescape_query(k), unescape_query(v)) {
            out.push((k, v));
        }
    }
    out
}

fn unescape_query(s: &str) -> Option<String> {
    obshell_proto::go::url::unescape(s, true).ok()
}

/// gin's `show_details` binding (`form:"show_details,default=true"`, `strconv.ParseBool`):
/// absent → true, "" → false, unparsable → `None` (the handler then dereferences a nil
/// pointer: the agent panics).
pub fn show_details(r: &Req<'_>) -> Option<bool> {
    match r.q("show_details") {
        None => Some(true),
        Some("" | "0" | "f" | "F" | "false" | "FALSE" | "False") => Some(false),
        Some("1" | "t" | "T" | "true" | "TRUE" | "True") => Some(true),
        Some(_) => None,
    }
}
