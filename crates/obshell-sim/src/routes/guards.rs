//! The identity and tenant checks the backup and tenant handlers run first.

use crate::cluster::{TenantRef, SYS_TENANT};
use crate::request::Req;
use crate::state::lock;
use obshell_proto::envelope::Identity;
use obshell_proto::errors::codes;
use obshell_proto::AgentError;

/// 400 `Agent.Identify.NotSupportOperation` unless the agent is a `CLUSTER AGENT`.
pub(super) fn check_cluster_agent(r: &Req<'_>) -> Result<(), AgentError> {
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
pub(super) fn check_tenant(r: &Req<'_>, name: &str) -> Result<TenantRef, AgentError> {
    check_cluster_agent(r)?;
    if name.is_empty() {
        return Err(codes::OB_TENANT_NAME_EMPTY.occur(&[]));
    }
    if name == SYS_TENANT {
        return Err(codes::OB_TENANT_SYS_OPERATION_NOT_ALLOWED.occur(&[]));
    }
    let w = lock(&r.st.world);
    w.cluster
        .tenant(name)
        .map(TenantRef::of)
        .ok_or_else(|| codes::OB_TENANT_NOT_EXIST.occur(&[&name]))
}
