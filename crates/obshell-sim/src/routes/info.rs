//! Unauthenticated bootstrap endpoints (`info_handler.go`, `secure_handler.go`).

use crate::envelope::{Data, Out};
use crate::request::Req;
use obshell_proto::envelope::{AgentSecret, AgentStatus};
use serde::Serialize;

pub(super) fn time(r: &Req<'_>) -> Out {
    Ok(Data::of(&r.st.clock.render(r.st.clock.now_nanos())))
}

pub(super) fn info(r: &Req<'_>) -> Out {
    let rt = r.st.runtime();
    let me = r.st.me();
    Ok(Data::of(&AgentStatus {
        pid: r.st.pid,
        state: 2,
        start_at: r.st.started_nanos as i64,
        home_path: "/home/admin/oceanbase".into(),
        ob_version: "4.3.5.2".into(),
        architecture: std::env::consts::ARCH.into(),
        ip: me.ip.clone(),
        port: me.port,
        zone: "zone1".into(),
        identity: rt.identity.clone(),
        version: rt.version.clone(),
        is_obproxy_agent: false,
        security: false,
        supported_auth: rt.advertises_auth().then(|| vec!["v2".to_string()]),
    }))
}

pub(super) fn git_info(_r: &Req<'_>) -> Out {
    #[derive(Serialize)]
    struct GitInfo {
        branch: &'static str,
        #[serde(rename = "commitId")]
        commit_id: &'static str,
        #[serde(rename = "shortCommitId")]
        short_commit_id: &'static str,
        #[serde(rename = "commitTime")]
        commit_time: &'static str,
    }
    Ok(Data::of(&GitInfo {
        branch: "master",
        commit_id: "61ee14767de8b661dbbb3fbbd4fa6ae2bfb1c45b",
        short_commit_id: "61ee147",
        // `git log -1 --format=%cd` at build time (git's default date format).
        commit_time: "Fri May 8 09:06:47 2026 +0000",
    }))
}

/// `http.AgentStatus` (`lib/http/status.go`).
pub(super) fn status(r: &Req<'_>) -> Out {
    #[derive(Serialize)]
    struct AgentWithIdentity<'a> {
        ip: &'a str,
        port: u16,
        identity: &'a str,
    }
    #[derive(Serialize)]
    struct Status<'a> {
        agent: AgentWithIdentity<'a>,
        state: i32,
        version: &'a str,
        pid: i64,
        #[serde(rename = "startAt")]
        start_at: i64,
        port: u16,
        #[serde(rename = "obState")]
        ob_state: i32,
        #[serde(rename = "sqlPort")]
        sql_port: u16,
        #[serde(rename = "underMaintenance")]
        under_maintenance: bool,
    }
    let rt = r.st.runtime();
    let me = r.st.me();
    Ok(Data::of(&Status {
        agent: AgentWithIdentity {
            ip: &me.ip,
            port: me.port,
            identity: rt.identity.as_str(),
        },
        state: 2,
        version: &rt.version,
        pid: r.st.pid,
        start_at: r.st.started_nanos as i64,
        port: me.port,
        ob_state: 3,
        sql_port: 2881,
        under_maintenance: false,
    }))
}

pub(super) fn secret(r: &Req<'_>) -> Out {
    let me = r.st.me();
    Ok(Data::of(&AgentSecret {
        ip: me.ip.clone(),
        port: me.port,
        public_key: r.st.key().public_key().to_base64_pkcs1(),
    }))
}
