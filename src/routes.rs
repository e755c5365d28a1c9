//! Request targets of the agent API, canonically percent-encoded so that what the browser sends
//! is byte for byte what is signed in `Uri` (auth spec §3.6).

use obshell_proto::request_uri::encode_component as enc;

pub const TENANTS_OVERVIEW: &str = "/api/v1/tenants/overview";
pub const CLUSTER_BACKUP_CONFIG: &str = "/api/v1/obcluster/backup/config";
pub const UNFINISHED_DAGS: &str = "/api/v1/task/dag/ob/unfinish?show_details=false";
pub const DAG_HISTORY: &str = "/api/v1/task/dags/ob?show_details=false";

pub fn tenant_backup_config(tenant: &str) -> String {
    format!("/api/v1/tenant/{}/backup/config", enc(tenant))
}

pub fn tenant_backup_storage(tenant: &str) -> String {
    format!("/api/v1/tenant/{}/backup/config/storage", enc(tenant))
}

pub fn tenant_parameter(tenant: &str, name: &str) -> String {
    format!("/api/v1/tenant/{}/parameter/{}", enc(tenant), enc(name))
}

pub fn dag(id: &str) -> String {
    format!("/api/v1/task/dag/{}?show_details=true", enc(id))
}

pub fn dag_operation(id: &str) -> String {
    format!("/api/v1/task/dag/{}", enc(id))
}

pub fn node_operation(id: &str) -> String {
    format!("/api/v1/task/node/{}", enc(id))
}

pub fn sub_task_logs(id: &str) -> String {
    format!("/api/v1/task/sub_task/{}/logs", enc(id))
}
