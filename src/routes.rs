//! Request targets of the agent API: a path (each segment percent-encoded, so the browser's URL
//! parser has nothing left to change) and query pairs, which gloo-net serializes. What is signed
//! in `Uri` is taken from the URL gloo-net then sends (`api::http`), never rebuilt by hand.

use obshell_proto::request_uri::encode_component as enc;
use std::fmt;

/// Where a request goes, below the API base.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiTarget {
    /// Starts with `/api/v1/`; segments already encoded.
    pub path: String,
    /// Raw (unencoded) pairs in order; gloo-net encodes them (`application/x-www-form-urlencoded`).
    pub query: Vec<(&'static str, String)>,
}

impl ApiTarget {
    pub fn new(path: impl Into<String>) -> Self {
        ApiTarget {
            path: path.into(),
            query: Vec::new(),
        }
    }

    pub fn query(mut self, key: &'static str, value: impl Into<String>) -> Self {
        self.query.push((key, value.into()));
        self
    }
}

impl From<&str> for ApiTarget {
    fn from(path: &str) -> Self {
        ApiTarget::new(path)
    }
}

impl From<&ApiTarget> for ApiTarget {
    fn from(t: &ApiTarget) -> Self {
        t.clone()
    }
}

/// Compares with the written form (`/api/v1/task/dag/142`), for tests and logs.
impl PartialEq<&str> for ApiTarget {
    fn eq(&self, other: &&str) -> bool {
        let Some(mut rest) = other.strip_prefix(self.path.as_str()) else {
            return false;
        };
        for (i, (k, v)) in self.query.iter().enumerate() {
            let sep = if i == 0 { "?" } else { "&" };
            match rest
                .strip_prefix(sep)
                .and_then(|r| r.strip_prefix(k))
                .and_then(|r| r.strip_prefix('='))
            {
                Some(r) => match r.strip_prefix(v.as_str()) {
                    Some(r) => rest = r,
                    None => return false,
                },
                None => return false,
            }
        }
        rest.is_empty()
    }
}

impl fmt::Display for ApiTarget {
    /// For messages: the path and the raw query (not the exact wire form).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.path)?;
        for (i, (k, v)) in self.query.iter().enumerate() {
            write!(f, "{}{k}={v}", if i == 0 { '?' } else { '&' })?;
        }
        Ok(())
    }
}

pub const INFO: &str = "/api/v1/info";
pub const SECRET: &str = "/api/v1/secret";
pub const TIME: &str = "/api/v1/time";
pub const LOGIN: &str = "/api/v1/login";
pub const LOGOUT: &str = "/api/v1/logout";
pub const SSO_EXCHANGE: &str = "/api/v1/sso/exchange";
pub const TENANTS_OVERVIEW: &str = "/api/v1/tenants/overview";
pub const CLUSTER_BACKUP_CONFIG: &str = "/api/v1/obcluster/backup/config";
pub const CLUSTER_BACKUP: &str = "/api/v1/obcluster/backup";
pub const CLUSTER_BACKUP_LOG: &str = "/api/v1/obcluster/backup/log";
pub const CLUSTER_BACKUP_OVERVIEW: &str = "/api/v1/obcluster/backup/overview";

pub fn unfinished_dags() -> ApiTarget {
    ApiTarget::new("/api/v1/task/dag/ob/unfinish").query("show_details", "false")
}

pub fn dag_history() -> ApiTarget {
    ApiTarget::new("/api/v1/task/dags/ob").query("show_details", "false")
}

pub fn tenant_backup_config(tenant: &str) -> ApiTarget {
    ApiTarget::new(format!("/api/v1/tenant/{}/backup/config", enc(tenant)))
}

pub fn tenant_backup_storage(tenant: &str) -> ApiTarget {
    ApiTarget::new(format!("/api/v1/tenant/{}/backup/config/storage", enc(tenant)))
}

/// `POST` starts a backup, `PATCH` cancels one.
pub fn tenant_backup(tenant: &str) -> ApiTarget {
    ApiTarget::new(format!("/api/v1/tenant/{}/backup", enc(tenant)))
}

/// Archive-log control.
pub fn tenant_backup_log(tenant: &str) -> ApiTarget {
    ApiTarget::new(format!("/api/v1/tenant/{}/backup/log", enc(tenant)))
}

pub fn tenant_backup_info(tenant: &str) -> ApiTarget {
    ApiTarget::new(format!("/api/v1/tenant/{}/backup/info", enc(tenant)))
}

/// The data backup jobs (add the agent's query parameters).
pub fn tenant_backup_jobs(tenant: &str) -> ApiTarget {
    ApiTarget::new(format!("/api/v1/tenant/{}/backup/tasks", enc(tenant)))
}

/// The active archive rounds.
pub fn tenant_archive_rounds(tenant: &str) -> ApiTarget {
    ApiTarget::new(format!("/api/v1/tenant/{}/backup/log/tasks", enc(tenant)))
}

pub fn tenant_parameter(tenant: &str, name: &str) -> ApiTarget {
    ApiTarget::new(format!("/api/v1/tenant/{}/parameter/{}", enc(tenant), enc(name)))
}

pub fn dag(id: &str) -> ApiTarget {
    ApiTarget::new(format!("/api/v1/task/dag/{}", enc(id))).query("show_details", "true")
}

pub fn dag_operation(id: &str) -> ApiTarget {
    ApiTarget::new(format!("/api/v1/task/dag/{}", enc(id)))
}

pub fn node_operation(id: &str) -> ApiTarget {
    ApiTarget::new(format!("/api/v1/task/node/{}", enc(id)))
}

pub fn sub_task_logs(id: &str) -> ApiTarget {
    ApiTarget::new(format!("/api/v1/task/sub_task/{}/logs", enc(id)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_encode_path_segments_and_keep_query_pairs_raw() {
        let t = dag("1/2 3");
        assert_eq!(t.path, "/api/v1/task/dag/1%2F2%203");
        assert_eq!(t.query, vec![("show_details", "true".to_string())]);
        assert_eq!(t.to_string(), "/api/v1/task/dag/1%2F2%203?show_details=true");
        assert_eq!(
            tenant_parameter("t'1", "a b").path,
            "/api/v1/tenant/t%271/parameter/a%20b"
        );
    }
}
