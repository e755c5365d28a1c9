//! `GET /api/v1/tenants/overview`, `GET /api/v1/tenant/{name}/parameter/{p}`,
//! `GET /api/v1/tenant/{name}/parameters?filter=` (`tenant_handler.go`, `executor/tenant`).

use super::guards::check_cluster_agent;
use crate::cluster::{self, sql_like};
use crate::envelope::{Data, Out, TypedNil};
use crate::extra_codes;
use crate::request::Req;
use crate::state::lock;
use obshell_proto::envelope::TenantParameter;
use obshell_proto::errors::codes;
use serde::Serialize;

/// `oceanbase.TenantOverview`: `DbaObTenant` inlined plus `connection_strings`.
#[derive(Serialize)]
struct TenantOverview {
    tenant_id: i64,
    tenant_name: String,
    mode: &'static str,
    status: &'static str,
    locked: &'static str,
    primary_zone: &'static str,
    locality: &'static str,
    in_recyclebin: &'static str,
    created_time: String,
    read_only: bool,
    comment: &'static str,
    connection_strings: Vec<ConnectionString>,
}

#[derive(Serialize)]
struct ConnectionString {
    #[serde(rename = "type")]
    kind: &'static str,
    obproxy_address: &'static str,
    obproxy_port: i64,
    connection_string: String,
}

/// All tenants but META ones (so `sys` is included), optionally by compatibility mode.
pub(super) fn overview(r: &Req<'_>) -> Out {
    check_cluster_agent(r)?;
    let mode = r.q("mode").unwrap_or("");
    if !mode.is_empty() && mode != "MYSQL" && mode != "ORACLE" {
        // `GetTenantsOverView` returns a nil slice with the error.
        return Err(extra_codes::OB_TENANT_MODE_NOT_SUPPORTED.occur(&[&mode])).or_nil_slice();
    }
    let me = r.st.me().ip.clone();
    let w = lock(&r.st.world);
    let list: Vec<TenantOverview> = w
        .cluster
        .tenants
        .iter()
        .filter(|_| mode.is_empty() || mode == "MYSQL")
        .map(|t| TenantOverview {
            tenant_id: t.id,
            tenant_name: t.name.clone(),
            mode: "MYSQL",
            status: "NORMAL",
            locked: "NO",
            primary_zone: "RANDOM",
            locality: "FULL{1}@zone1",
            in_recyclebin: "NO",
            created_time: r.st.clock.render(crate::clock::truncate_micros(t.created_nanos)),
            read_only: false,
            comment: if t.is_user() { "" } else { "system tenant" },
            connection_strings: vec![ConnectionString {
                kind: "DIRECT",
                obproxy_address: "",
                obproxy_port: 0,
                connection_string: format!("obclient -h{me} -P2881 -uroot@{} -p", t.name),
            }],
        })
        .collect();
    Ok(Data::contents(&list))
}

/// `tenantStatusHandlerWrapper`: no identity check; empty name, then existence.
fn tenant_id(r: &Req<'_>, name: &str) -> Result<i64, obshell_proto::AgentError> {
    if name.is_empty() {
        return Err(codes::OB_TENANT_NAME_EMPTY.occur(&[]));
    }
    lock(&r.st.world)
        .cluster
        .tenant(name)
        .map(|t| t.id)
        .ok_or_else(|| codes::OB_TENANT_NOT_EXIST.occur(&[&name]))
}

fn rows(r: &Req<'_>, tid: i64, pred: impl Fn(&str) -> bool) -> Vec<TenantParameter> {
    let w = lock(&r.st.world);
    let Some(t) = w.cluster.tenant_by_id(tid) else {
        return vec![];
    };
    cluster::PARAMS
        .iter()
        .filter(|p| pred(p.name))
        .map(|p| TenantParameter {
            name: p.name.to_string(),
            value: t.params.get(p.name).cloned().unwrap_or_else(|| p.default.to_string()),
            data_type: p.data_type.to_string(),
            info: p.info.to_string(),
            edit_level: "DYNAMIC_EFFECTIVE".to_string(),
        })
        .collect()
}

/// `NAME = ?` under the view's case-insensitive, pad-space collation; a missing parameter is
/// the executor's error, sent with its nil `*GvObParameter` (`"data":null`).
pub(super) fn parameter(r: &Req<'_>, name: &str, para: &str) -> Out {
    let tid = tenant_id(r, name)?;
    let wanted = para.trim_end_matches(' ');
    rows(r, tid, |n| n.eq_ignore_ascii_case(wanted))
        .into_iter()
        .next()
        .map(|p| Data::of(&p))
        .ok_or_else(|| codes::OB_TENANT_PARAMETER_NOT_EXIST.occur(&[&para]))
        .or_nil_pointer()
}

pub(super) fn parameters(r: &Req<'_>, name: &str) -> Out {
    let tid = tenant_id(r, name)?;
    let filter = r.q("filter").filter(|f| !f.is_empty()).unwrap_or("%").to_string();
    Ok(Data::contents(&rows(r, tid, |n| sql_like(&filter, n))))
}
