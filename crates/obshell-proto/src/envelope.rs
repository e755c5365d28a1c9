//! The agent's response envelope (`ob/agent/lib/http/response.go`) and the bootstrap payloads of
//! the unauthenticated endpoints (`/api/v1/info`, `/api/v1/secret`, `/api/v1/time`).

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// `{"successful","timestamp","duration","status","traceId","data"?,"error"?}`.
///
/// Field order matches the agent's `json.Marshal` output, so the simulator's bytes match too.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Envelope<T> {
    pub successful: bool,
    /// Go RFC 3339 with nanoseconds and zone offset (server time when the response was built).
    pub timestamp: String,
    /// Milliseconds spent in the handler chain.
    #[serde(default)]
    pub duration: i64,
    /// Equals the HTTP status.
    pub status: u16,
    #[serde(rename = "traceId", default)]
    pub trace_id: String,
    #[serde(default = "Option::default", skip_serializing_if = "Option::is_none")]
    pub data: Option<T>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<ApiError>,
}

/// The envelope's `error` object.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ApiError {
    /// Legacy numeric code; absent (0) except for authentication errors (10008, or 1).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub code: i32,
    #[serde(rename = "errCode", default)]
    pub err_code: String,
    #[serde(default)]
    pub message: String,
    #[serde(rename = "subErrors", default, skip_serializing_if = "Vec::is_empty")]
    pub sub_errors: Vec<Value>,
}

fn is_zero(v: &i32) -> bool {
    *v == 0
}

/// Slices returned as `data` are wrapped as `{"contents": [...]}`. A nil Go slice is
/// `{"contents":null}` (e.g. `GET /task/dag/unfinish` with nothing unfinished): read as empty.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(bound(deserialize = "T: Deserialize<'de>"))]
pub struct Contents<T> {
    #[serde(default = "Vec::new", deserialize_with = "null_as_empty")]
    pub contents: Vec<T>,
}

fn null_as_empty<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    Ok(Option::<Vec<T>>::deserialize(d)?.unwrap_or_default())
}

/// `{"ip","port"}` (`meta.AgentInfo`), also the `execute_agent` of a sub-task.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub struct AgentInfo {
    #[serde(default)]
    pub ip: String,
    #[serde(default)]
    pub port: u16,
}

impl std::fmt::Display for AgentInfo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.ip.contains(':') {
            write!(f, "[{}]:{}", self.ip, self.port)
        } else {
            write!(f, "{}:{}", self.ip, self.port)
        }
    }
}

/// `GET /api/v1/secret` data.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgentSecret {
    #[serde(default)]
    pub ip: String,
    #[serde(default)]
    pub port: u16,
    pub public_key: String,
}

/// Agent identity (`meta.AgentIdentity`); unknown strings are kept.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Default)]
pub enum Identity {
    Master,
    Follower,
    Single,
    ClusterAgent,
    TakeOverMaster,
    TakeOverFollower,
    ScalingOut,
    ScalingIn,
    #[default]
    Unidentified,
    Other(String),
}

impl Identity {
    pub fn as_str(&self) -> &str {
        match self {
            Identity::Master => "MASTER",
            Identity::Follower => "FOLLOWER",
            Identity::Single => "SINGLE",
            Identity::ClusterAgent => "CLUSTER AGENT",
            Identity::TakeOverMaster => "TAKE OVER MASTER",
            Identity::TakeOverFollower => "TAKE OVER FOLLOWER",
            Identity::ScalingOut => "SCALING OUT",
            Identity::ScalingIn => "SCALING IN",
            Identity::Unidentified => "UNIDENTIFIED",
            Identity::Other(s) => s,
        }
    }

    pub fn parse(s: &str) -> Identity {
        match s {
            "MASTER" => Identity::Master,
            "FOLLOWER" => Identity::Follower,
            "SINGLE" => Identity::Single,
            "CLUSTER AGENT" => Identity::ClusterAgent,
            "TAKE OVER MASTER" => Identity::TakeOverMaster,
            "TAKE OVER FOLLOWER" => Identity::TakeOverFollower,
            "SCALING OUT" => Identity::ScalingOut,
            "SCALING IN" => Identity::ScalingIn,
            "UNIDENTIFIED" => Identity::Unidentified,
            other => Identity::Other(other.to_string()),
        }
    }
}

impl Serialize for Identity {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Identity {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Identity::parse(&String::deserialize(d)?))
    }
}

/// `GET /api/v1/info` data (`meta.AgentStatus`), in the agent's key order. Everything is
/// defaulted: older agents lack some keys (notably `supportedAuth` before 4.2.4).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Default)]
pub struct AgentStatus {
    #[serde(default)]
    pub pid: i64,
    #[serde(default)]
    pub state: i32,
    #[serde(rename = "startAt", default)]
    pub start_at: i64,
    #[serde(rename = "homePath", default)]
    pub home_path: String,
    #[serde(rename = "obVersion", default)]
    pub ob_version: String,
    #[serde(default)]
    pub architecture: String,
    #[serde(default)]
    pub ip: String,
    #[serde(default)]
    pub port: u16,
    #[serde(default)]
    pub zone: String,
    #[serde(default)]
    pub identity: Identity,
    #[serde(default)]
    pub version: String,
    #[serde(rename = "isObproxyAgent", default)]
    pub is_obproxy_agent: bool,
    #[serde(default)]
    pub security: bool,
    #[serde(rename = "supportedAuth", default, skip_serializing_if = "Option::is_none")]
    pub supported_auth: Option<Vec<String>>,
}

/// A dotted agent version, compared numerically (`4.2.10.0 > 4.2.9.0`); everything after `-` is
/// ignored, as the SDKs do.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct AgentVersion(pub Vec<u32>);

impl AgentVersion {
    pub fn parse(s: &str) -> Option<AgentVersion> {
        let core = s.split('-').next()?.trim();
        let parts: Option<Vec<u32>> = core.split('.').map(|p| p.parse().ok()).collect();
        let mut parts = parts.filter(|p| !p.is_empty())?;
        while parts.len() < 4 {
            parts.push(0);
        }
        Some(AgentVersion(parts))
    }

    pub fn at_least(&self, other: &str) -> bool {
        AgentVersion::parse(other).is_some_and(|o| *self >= o)
    }
}

/// What the console can do with an agent, decided from `/api/v1/info` alone (protocol §7).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Compatibility {
    /// Usable; `sessions`: `POST /api/v1/login` exists and is honoured (≥ 4.4.0.0, CLUSTER AGENT).
    Ok { sessions: bool, sso: bool },
    /// The identity is not `CLUSTER AGENT`: backup routes are refused by the agent.
    NotClusterAgent,
    /// Too old (< 4.2.3.0 / v1 auth only) or a version string that cannot be read.
    UnsupportedVersion,
}

/// First agent version with the v2 header format.
pub const MIN_V2_VERSION: &str = "4.2.3.0";
/// First released agent version with `/api/v1/login` sessions.
pub const MIN_SESSION_VERSION: &str = "4.4.0.0";
/// First agent version with SSO one-time tokens.
pub const MIN_SSO_VERSION: &str = "4.4.2.0";

impl AgentStatus {
    pub fn compatibility(&self) -> Compatibility {
        let version = AgentVersion::parse(&self.version);
        let v2 = match &self.supported_auth {
            Some(list) if !list.is_empty() => list.iter().any(|a| a == "v2"),
            _ => version.as_ref().is_some_and(|v| v.at_least(MIN_V2_VERSION)),
        };
        if !v2 {
            return Compatibility::UnsupportedVersion;
        }
        if self.identity != Identity::ClusterAgent {
            return Compatibility::NotClusterAgent;
        }
        let at_least = |min: &str| version.as_ref().is_some_and(|v| v.at_least(min));
        Compatibility::Ok {
            sessions: at_least(MIN_SESSION_VERSION),
            sso: at_least(MIN_SSO_VERSION),
        }
    }
}

/// `GET /api/v1/tenants/overview` item (`oceanbase.TenantOverview`: `DbaObTenant` flattened plus
/// `connection_strings`), in the agent's key order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct TenantOverview {
    #[serde(default)]
    pub tenant_id: i64,
    #[serde(default)]
    pub tenant_name: String,
    #[serde(default)]
    pub mode: String,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub locked: String,
    #[serde(default)]
    pub primary_zone: String,
    #[serde(default)]
    pub locality: String,
    #[serde(default)]
    pub in_recyclebin: String,
    #[serde(default)]
    pub created_time: String,
    #[serde(default)]
    pub read_only: bool,
    #[serde(default)]
    pub comment: String,
    #[serde(default)]
    pub connection_strings: Option<Vec<Value>>,
}

/// `GET /api/v1/tenant/{name}/backup/config/storage` data (`bo.BackupDestInfo`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct BackupDestInfo {
    #[serde(default)]
    pub tenant_id: i64,
    #[serde(default)]
    pub archive_base_uri: String,
    #[serde(default)]
    pub data_base_uri: String,
}

/// A tenant parameter (`oceanbase.GvObParameter`), e.g. `log_archive_concurrency`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct TenantParameter {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub value: String,
    #[serde(default)]
    pub data_type: String,
    #[serde(default)]
    pub info: String,
    #[serde(default)]
    pub edit_level: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contents_null_or_missing_is_empty() {
        for json in [r#"{"contents":null}"#, "{}", r#"{"contents":[]}"#] {
            assert_eq!(
                serde_json::from_str::<Contents<i64>>(json).unwrap().contents,
                Vec::<i64>::new(),
                "{json}"
            );
        }
        assert_eq!(
            serde_json::from_str::<Contents<i64>>(r#"{"contents":[1,2]}"#)
                .unwrap()
                .contents,
            vec![1, 2]
        );
        assert!(serde_json::from_str::<Contents<i64>>(r#"{"contents":"x"}"#).is_err());
    }
}
