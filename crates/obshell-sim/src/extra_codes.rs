//! Agent error codes the simulator answers with that the shared catalogue (`obshell_proto::errors::codes`)
//! does not list, because only an agent produces them (the console never has to map them). Texts are the
//! agent's `en.json` / `zh.json` entries (`ob/agent/errors/errorcode.go`).

use obshell_proto::Code;

/// `ErrRequestBodyReadFailed`: also used for bodies over the simulator's size limit.
pub(crate) const REQUEST_BODY_READ_FAILED: Code = Code {
    err_code: "Request.Body.ReadFailed",
    status: 400,
    legacy: 0,
    en: "Failed to read request body: %s",
    zh: "读取 HTTP 请求体失败：%s",
};
/// `GET /api/v1/tenants/overview?mode=<other>`.
pub(crate) const OB_TENANT_MODE_NOT_SUPPORTED: Code = Code {
    err_code: "OB.Tenant.Mode.NotSupported",
    status: 400,
    legacy: 0,
    en: "Tenant mode '%s' is not supported.",
    zh: "不支持的租户模式 '%s'",
};
/// `GET /task/dag/unfinish` on a follower without a master.
pub(crate) const AGENT_NO_MASTER: Code = Code {
    err_code: "Agent.NoMaster",
    status: 500,
    legacy: 0,
    en: "Master agent is not found",
    zh: "agent 不具有 'MASTER'",
};
/// `GET /task/dag/unfinish` on an agent whose identity the handler does not know (scaling in/out, unidentified).
pub(crate) const AGENT_IDENTIFY_UNKNOWN: Code = Code {
    err_code: "Agent.Identify.Unknown",
    status: 500,
    legacy: 0,
    en: "Agent identify is unknown: %s",
    zh: "未知的 agent 身份：%s",
};
