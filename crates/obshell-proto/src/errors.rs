//! The agent's error catalogue and error values.
//!
//! Every error the agent can answer with is a [`Code`] (its `errCode`, HTTP status, legacy numeric
//! `code` and the English/Chinese message templates of `ob/agent/assets/i18n/error/{en,zh}.json`).
//! An [`AgentError`] is a code plus the chain of messages Go builds with `errors.Wrap`/`OccurWithMessage`
//! (`outer: inner`), so the validator, the simulator and the console all render the same text.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Message language. The agent localizes only when `Accept-Language` is one BCP-47 tag
/// ([`Lang::localizing`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Lang {
    #[default]
    En,
    Zh,
}

impl Lang {
    /// What the agent does with an `Accept-Language` header value: `PostHandlers` re-renders an
    /// error's message only when Go's `language.Parse` accepts the value, i.e. one well-formed
    /// BCP-47 tag (`_` counts as `-`); a list (`en-US,en;q=0.9`, what browsers send by default),
    /// an empty or malformed value leaves the message as `Error()` built it (`None`). A tag whose
    /// primary language is `zh` selects Chinese, any other falls back to the bundle's English.
    /// (Well-formed but unregistered languages, which Go also refuses, are not told apart.)
    pub fn localizing(value: Option<&str>) -> Option<Lang> {
        let v = value?.trim_matches([' ', '\t']);
        let mut subtags = v.split(['-', '_']);
        let primary = subtags.next().unwrap_or("");
        let primary_ok = primary.bytes().all(|b| b.is_ascii_alphabetic())
            && ((2..=8).contains(&primary.len())
                || primary.eq_ignore_ascii_case("x")
                || primary.eq_ignore_ascii_case("i"));
        let rest_ok = subtags.all(|t| (1..=8).contains(&t.len()) && t.bytes().all(|b| b.is_ascii_alphanumeric()));
        if !primary_ok || !rest_ok {
            return None;
        }
        Some(if primary.eq_ignore_ascii_case("zh") {
            Lang::Zh
        } else {
            Lang::En
        })
    }

    /// The single tag the console sends as `Accept-Language`.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en-US",
            Lang::Zh => "zh-CN",
        }
    }
}

/// One entry of the agent's error catalogue (`ob/agent/errors/errorcode.go`).
#[derive(Debug, PartialEq, Eq)]
pub struct Code {
    pub err_code: &'static str,
    /// HTTP status derived from the code's kind.
    pub status: u16,
    /// Legacy numeric `code`; 0 means "omitted from the JSON".
    pub legacy: i32,
    /// Go `fmt` template from `en.json`.
    pub en: &'static str,
    /// Go `fmt` template from `zh.json`.
    pub zh: &'static str,
}

impl Code {
    /// Whether an answer's `errCode` is this code (match on constants, never on literals).
    pub fn is(&self, err_code: &str) -> bool {
        self.err_code == err_code
    }

    /// `errors.Occur(code, args...)`.
    pub fn occur(&'static self, args: &[&dyn fmt::Display]) -> AgentError {
        AgentError {
            code: self,
            parts: vec![Part::Coded(self, args.iter().map(|a| a.to_string()).collect())],
        }
    }

    /// `errors.OccurWithMessage(message, code, args...)`: `"<code message>: <message>"`.
    pub fn occur_with_message(&'static self, message: impl Into<String>, args: &[&dyn fmt::Display]) -> AgentError {
        let mut e = self.occur(args);
        e.parts.push(Part::Raw(message.into()));
        e
    }

    pub fn template(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::En => self.en,
            Lang::Zh => self.zh,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Part {
    Coded(&'static Code, Vec<String>),
    Raw(String),
}

/// An error as the agent would report it: the effective code (status, errCode, legacy code) and
/// the message chain. Messages are rendered per language on demand.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AgentError {
    code: &'static Code,
    parts: Vec<Part>,
}

impl AgentError {
    /// A plain Go error (not an agent error) that the agent reports as 500 `Common.Unexpected`
    /// with the raw text as message.
    pub fn unexpected_raw(message: impl Into<String>) -> AgentError {
        AgentError {
            code: &COMMON_UNEXPECTED,
            parts: vec![Part::Raw(message.into())],
        }
    }

    /// A MySQL driver error: 400 `MySQL.Error`, raw driver text in English.
    pub fn mysql(message: impl Into<String>) -> AgentError {
        AgentError {
            code: &MYSQL_ERROR,
            parts: vec![Part::Raw(message.into())],
        }
    }

    /// `errors.Wrap(err, ctx)`: prefixes `ctx: `, keeps the code.
    pub fn wrap(mut self, context: impl Into<String>) -> AgentError {
        self.parts.insert(0, Part::Raw(context.into()));
        self
    }

    /// `errors.WrapRetain(outer, err, args...)`: prefixes the outer code's message; keeps the inner
    /// code unless it is `Common.Unexpected`.
    pub fn wrap_retain(mut self, outer: &'static Code, args: &[&dyn fmt::Display]) -> AgentError {
        self.parts
            .insert(0, Part::Coded(outer, args.iter().map(|a| a.to_string()).collect()));
        if self.code.err_code == COMMON_UNEXPECTED.err_code {
            self.code = outer;
        }
        self
    }

    /// Appends a detail to the message chain (`"<message>: <detail>"`), keeping the code.
    pub fn push_detail(mut self, detail: impl Into<String>) -> AgentError {
        self.parts.push(Part::Raw(detail.into()));
        self
    }

    pub fn code(&self) -> &'static Code {
        self.code
    }
    pub fn err_code(&self) -> &'static str {
        self.code.err_code
    }
    pub fn status(&self) -> u16 {
        self.code.status
    }

    /// A plain Go error (no agent code anywhere in the chain): its code is derived
    /// (`Common.Unexpected` or `MySQL.Error`) and its text is the raw chain.
    fn is_raw(&self) -> bool {
        self.parts.iter().all(|p| matches!(p, Part::Raw(_)))
    }

    /// The message in `lang` as Go's `Error()` builds it: parts joined by `": "`, coded parts from
    /// the catalogue, raw Go error text as it is.
    pub fn message(&self, lang: Lang) -> String {
        self.parts
            .iter()
            .map(|p| match p {
                Part::Coded(code, args) => go_sprintf(code.template(lang), args),
                Part::Raw(s) => s.clone(),
            })
            .collect::<Vec<_>>()
            .join(": ")
    }

    /// Go's `LocaleMessage(lang)`: like [`message`](Self::message), except that a raw Go error,
    /// which the agent wraps as `Occur(<its code>, err.Error())`, gets its code's text around it
    /// (`Unexpected error: …`, `SQL 执行出错: …`).
    pub fn locale_message(&self, lang: Lang) -> String {
        if self.is_raw() {
            go_sprintf(self.code.template(lang), &[self.message(lang)])
        } else {
            self.message(lang)
        }
    }

    /// The task-log rendering of a failure (`Task.ExecuteErrorLog`): `ERROR: [<errCode>]: <message>`,
    /// the message localized to English (a raw Go error gets `Unexpected error: …`,
    /// `MySQL error: …`).
    pub fn task_log_line(&self) -> String {
        format!("ERROR: [{}]: {}", self.err_code(), self.locale_message(Lang::En))
    }

    /// The wire `error` object for a request whose `Accept-Language` localizes to `locale`
    /// ([`Lang::localizing`]); without one the message is `Error()`: English, raw text bare.
    pub fn to_api_error(&self, locale: Option<Lang>) -> crate::envelope::ApiError {
        crate::envelope::ApiError {
            code: self.code.legacy,
            err_code: self.err_code().to_string(),
            message: match locale {
                Some(lang) => self.locale_message(lang),
                None => self.message(Lang::En),
            },
            sub_errors: Vec::new(),
        }
    }
}

impl fmt::Display for AgentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[{}]: {}", self.err_code(), self.message(Lang::En))
    }
}

impl std::error::Error for AgentError {}

/// Minimal Go `fmt.Sprintf` for the catalogue's templates: `%s`, `%d`, `%v` take the next
/// argument in order (already rendered by the caller), `%%` is a percent sign.
pub fn go_sprintf(template: &str, args: &[String]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut args = args.iter();
    let mut chars = template.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('%') => out.push('%'),
            Some(verb @ ('s' | 'd' | 'v')) => match args.next() {
                Some(a) => out.push_str(a),
                None => {
                    out.push_str("%!");
                    out.push(verb);
                    out.push_str("(MISSING)");
                }
            },
            Some(other) => {
                out.push('%');
                out.push(other);
            }
            None => out.push('%'),
        }
    }
    out
}

/// What plain Go errors become (the two codes [`AgentError`] itself needs; listed in [`codes`]
/// with the others).
pub const COMMON_UNEXPECTED: Code = Code {
    err_code: "Common.Unexpected",
    status: 500,
    legacy: 0,
    en: "Unexpected error: %s",
    zh: "非预期错误：%s",
};
pub const MYSQL_ERROR: Code = Code {
    err_code: "MySQL.Error",
    status: 400,
    legacy: 0,
    en: "MySQL error: %s",
    zh: "SQL 执行出错: %s",
};

/// The catalogue entries the console, the validator and the simulator use.
/// Texts are the agent's `en.json` / `zh.json` (typos included: they are what users see).
pub mod codes {
    use super::Code;
    pub use super::{COMMON_UNEXPECTED, MYSQL_ERROR};

    pub const COMMON_NOT_FOUND: Code = Code {
        err_code: "Common.NotFound",
        status: 404,
        legacy: 0,
        en: "Element not found: %v",
        zh: "未找到资源：%v",
    };
    pub const COMMON_BIND_JSON_FAILED: Code = Code {
        err_code: "Common.BindJsonFailed",
        status: 400,
        legacy: 0,
        en: "Bind JSON failed: %v",
        zh: "绑定 JSON 失败：%v",
    };
    pub const COMMON_UNAUTHORIZED: Code = Code {
        err_code: "Common.Unauthorized",
        status: 401,
        legacy: 10008,
        en: "Unauthorized",
        zh: "认证失败",
    };
    pub const COMMON_INVALID_TIME_DURATION: Code = Code {
        err_code: "Common.InvalidTimeDuration",
        status: 400,
        legacy: 0,
        en: "Time duration '%s' is invalid: %s",
        zh: "时间段 '%s' 无效：%s",
    };
    pub const OB_TENANT_NOT_EXIST: Code = Code {
        err_code: "OB.Tenant.NotExist",
        status: 400,
        legacy: 0,
        en: "Tenant '%s' does not exist.",
        zh: "租户 '%s' 不存在",
    };
    pub const OB_TENANT_NAME_EMPTY: Code = Code {
        err_code: "OB.Tenant.Name.Empty",
        status: 400,
        legacy: 0,
        en: "Tenant name is empty",
        zh: "租户名称为空",
    };
    pub const OB_TENANT_SYS_OPERATION_NOT_ALLOWED: Code = Code {
        err_code: "OB.Tenant.SysOperationNotAllowed",
        status: 400,
        legacy: 0,
        en: "System tenant is not allowed to perform this operation",
        zh: "不允许对系统租户执行此操作",
    };
    pub const OB_TENANT_UNDER_MAINTENANCE: Code = Code {
        err_code: "OB.Tenant.UnderMaintenance",
        status: 500,
        legacy: 0,
        en: "Tenant '%s' is under maintenance, please try again later.",
        zh: "租户 '%s' 处于运维状态中",
    };
    pub const OB_TENANT_PARAMETER_NOT_EXIST: Code = Code {
        err_code: "OB.Tenant.Parameter.NotExist",
        status: 400,
        legacy: 0,
        en: "Tenant parameter '%s' does not exist.",
        zh: "租户参数 '%s' 不存在",
    };
    pub const OB_BACKUP_BASE_URI_EMPTY: Code = Code {
        err_code: "OB.Backup.BaseUriEmpty",
        status: 400,
        legacy: 0,
        en: "backup_base_uri cannot be empty",
        zh: "backup_base_uri 不能为空",
    };
    pub const OB_BACKUP_ARCHIVE_BASE_URI_EMPTY: Code = Code {
        err_code: "OB.Backup.ArchiveBaseUriEmpty",
        status: 400,
        legacy: 0,
        en: "archive_base_uri cannot be empty",
        zh: "archive_base_uri 不能为空",
    };
    pub const OB_BACKUP_DATA_BASE_URI_EMPTY: Code = Code {
        err_code: "OB.Backup.DataBaseUriEmpty",
        status: 400,
        legacy: 0,
        en: "data_base_uri cannot be empty",
        zh: "data_base_uri 不能为空",
    };
    pub const OB_BACKUP_NO_USER_TENANTS: Code = Code {
        err_code: "OB.Backup.NoUserTenants",
        status: 400,
        legacy: 0,
        en: "No user tenants found",
        zh: "未找到用户租户",
    };
    pub const OB_BACKUP_LOG_ARCHIVE_CONCURRENCY_INVALID: Code = Code {
        err_code: "OB.Backup.LogArchiveConcurrency.Invalid",
        status: 400,
        legacy: 0,
        en: "log_archive_concurrency must be between %d and %d",
        zh: "log_archive_concurrency 必须在 %d 和 %d 之间",
    };
    pub const OB_BACKUP_HA_LOW_THREAD_SCORE_INVALID: Code = Code {
        err_code: "OB.Backup.HaLowThreadScore.Invalid",
        status: 400,
        legacy: 0,
        en: "ha_low_thread_score must be between %d and %d",
        zh: "ha_low_thread_score 必须在 %d 和 %d 之间",
    };
    pub const OB_BACKUP_BINDING_INVALID: Code = Code {
        err_code: "OB.Backup.Binding.Invalid",
        status: 400,
        legacy: 0,
        en: "Invalid binding mode: %s, must be %s or %s",
        zh: "binging 非法：%s，必须是 %s 或 %s",
    };
    pub const OB_BACKUP_DELETE_POLICY_INVALID: Code = Code {
        err_code: "OB.Backup.DeletePolicy.Invalid",
        status: 400,
        legacy: 0,
        en: "Invalid delete policy: '%s', must be '%s'",
        zh: "非法的删除策略：'%s'，必须是 '%s'",
    };
    pub const OB_BACKUP_PIECE_SWITCH_INTERVAL_INVALID: Code = Code {
        err_code: "OB.Backup.PieceSwitchInterval.Invalid",
        status: 400,
        legacy: 0,
        en: "piece_switch_interval must be between %v and %v",
        zh: "piece_switch_interval 必须在 %v 和 %v 之间",
    };
    pub const OB_BACKUP_ARCHIVE_LAG_TARGET_INVALID: Code = Code {
        err_code: "OB.Backup.ArchiveLagTarget.Invalid",
        status: 400,
        legacy: 0,
        en: "archive_lag_target must be less than %v",
        zh: "archive_lag_target 必须小于 %v",
    };
    pub const OB_BACKUP_ARCHIVE_LAG_TARGET_FOR_S3_INVALID: Code = Code {
        err_code: "OB.Backup.ArchiveLagTargetForS3.Invalid",
        status: 400,
        legacy: 0,
        en: "archive_lag_target must be greater than %v for S3",
        zh: "对于 S3，archive_lag_target 必须大于 %v",
    };
    pub const OB_BACKUP_MODE_INVALID: Code = Code {
        err_code: "OB.Backup.Mode.Invalid",
        status: 400,
        legacy: 0,
        en: "Invalid backup mode: %s, must be %s or %s",
        zh: "非法的备份模式：%s，必须是 %s 或 %s",
    };
    pub const OB_BACKUP_STATUS_INVALID: Code = Code {
        err_code: "OB.Backup.Status.Invalid",
        status: 400,
        legacy: 0,
        en: "Invalid backup status: '%s', must be '%s'",
        zh: "非法的备份状态：'%s'，必须是 '%s'",
    };
    pub const OB_BACKUP_ARCHIVE_LOG_STATUS_INVALID: Code = Code {
        err_code: "OB.Backup.ArchiveLogStatus.Invalid",
        status: 400,
        legacy: 0,
        en: "Invalid archive log status: '%s', must be '%s' or '%s'",
        zh: "非法的归档日志状态：'%s'，必须是 '%s' 或 '%s'",
    };
    pub const OB_BACKUP_ARCHIVE_DEST_EMPTY: Code = Code {
        err_code: "OB.Backup.ArchiveDestEmpty",
        status: 400,
        legacy: 0,
        en: "Archive destination is empty, tenant: %s(%d)",
        zh: "租户：%s(%d) 的归档目标路径为空",
    };
    pub const OB_BACKUP_DATA_DEST_EMPTY: Code = Code {
        err_code: "OB.Backup.DataDestEmpty",
        status: 400,
        legacy: 0,
        en: "Data destination is empty, tenant: %s(%d)",
        zh: "租户：%s(%d) 的数据备份路径为空",
    };
    pub const OB_STORAGE_URI_INVALID: Code = Code {
        err_code: "OB.Storage.URI.Invalid",
        status: 400,
        legacy: 0,
        en: "Invalid storage URI: %s",
        zh: "非法的存储路径：%s",
    };
    pub const OB_CLUSTER_UNDER_MAINTENANCE: Code = Code {
        err_code: "OB.Cluster.UnderMaintenance",
        status: 500,
        legacy: 0,
        en: "OceanBase cluster is under maintenance, please try again later",
        zh: "集群处于运维状态中",
    };
    pub const OB_CLUSTER_UNDER_MAINTENANCE_WITH_DAG: Code = Code {
        err_code: "OB.Cluster.UnderMaintenanceWithDag",
        status: 500,
        legacy: 0,
        en: "OceanBase cluster is under maintenance by DAG: %s, please try again later",
        zh: "集群处于运维状态中，运维任务：%s",
    };
    pub const OB_CLUSTER_ASYNC_OPERATION_TIMEOUT: Code = Code {
        err_code: "OB.Cluster.AsyncOperationTimeout",
        status: 500,
        legacy: 0,
        en: "%s timeout",
        zh: "%s 超时",
    };
    pub const AGENT_IDENTIFY_NOT_SUPPORT_OPERATION: Code = Code {
        err_code: "Agent.Identify.NotSupportOperation",
        status: 400,
        legacy: 0,
        en: "'%s' is '%s', instead of '%s', does not support this operation",
        zh: "'%s' 身份是 '%s'，而不是 '%s'，不支持此操作",
    };
    pub const REQUEST_BODY_DECRYPT_AES_NO_KEY: Code = Code {
        err_code: "Request.Body.Decrypt.AES.NoKey",
        status: 500,
        legacy: 0,
        en: "No key for AES",
        zh: "缺少 AES 密钥",
    };
    pub const REQUEST_BODY_DECRYPT_AES_KEY_AND_IV_INVALID: Code = Code {
        err_code: "Request.Body.Decrypt.AES.KeyAndIv.Invalid",
        status: 500,
        legacy: 0,
        en: "AES key and IV size error",
        zh: "AES 密钥和 IV 大小错误",
    };
    pub const REQUEST_BODY_DECRYPT_AES_CONTENT_LENGTH_INVALID: Code = Code {
        err_code: "Request.Body.Decrypt.AES.ContentLength.Invalid",
        status: 500,
        legacy: 0,
        en: "Decrypted string length is not a multiple of the block size",
        zh: "解密字符串长度不是块大小的倍数",
    };
    pub const REQUEST_HEADER_NOT_FOUND: Code = Code {
        err_code: "Request.Header.NotFound",
        status: 400,
        legacy: 0,
        en: "X-OCS-Agent-Header or X-OCS-Header not found in http request header",
        zh: "HTTP 请求头中未找到 X-OCS-Agent-Header 或 X-OCS-Header",
    };
    pub const REQUEST_AES_KEY_NOT_FOUND: Code = Code {
        err_code: "Request.AESKey.NotFound",
        status: 400,
        legacy: 0,
        en: "AES key for encrypting session ID not found in HTTP headers",
        zh: "HTTP 请求头中未找到用于加密 session ID 的 AES 密钥",
    };
    pub const SECURITY_USER_PERMISSION_DENIED: Code = Code {
        err_code: "Security.User.PermissionDenied",
        status: 401,
        legacy: 0,
        en: "Permission denied",
        zh: "用户权限不足",
    };
    pub const SECURITY_AUTHENTICATION_FILE_SHA256_MISMATCH: Code = Code {
        err_code: "Security.Authentication.File.Sha256Mismatch",
        status: 401,
        legacy: 0,
        en: "File SHA256 mismatch",
        zh: "文件 SHA256 值不匹配",
    };
    pub const SECURITY_AUTHENTICATION_HEADER_DECRYPT_FAILED: Code = Code {
        err_code: "Security.Authentication.Header.DecryptFailed",
        status: 401,
        legacy: 1,
        en: "Decrypt http header failed: %s",
        zh: "解密 HTTP 请求头失败：%s",
    };
    pub const SECURITY_AUTHENTICATION_HEADER_URI_MISMATCH: Code = Code {
        err_code: "Security.Authentication.Header.UriMismatch",
        status: 401,
        legacy: 10008,
        en: "URI mismatch",
        zh: "URI 不匹配",
    };
    pub const SECURITY_AUTHENTICATION_WITH_AGENT_PASSWORD: Code = Code {
        err_code: "Security.Authentication.WithAgentPassword",
        status: 401,
        legacy: 10008,
        en: "Should use agent_password to verify: %s",
        zh: "应该使用 agent_password 进行验证：%s",
    };
    pub const SECURITY_AUTHENTICATION_INCORRECT_AGENT_PASSWORD: Code = Code {
        err_code: "Security.Authentication.IncorrectAgentPassword",
        status: 401,
        legacy: 10008,
        en: "Agent password is incorrect",
        zh: "agent 密码不正确",
    };
    pub const SECURITY_AUTHENTICATION_INCORRECT_OCEANBASE_PASSWORD: Code = Code {
        err_code: "Security.Authentication.IncorrectOceanbasePassword",
        status: 401,
        legacy: 10008,
        en: "OceanBase password is incorrect",
        zh: "OceanBase root 密码不正确",
    };
    pub const SECURITY_AUTHENTICATION_EXPIRED: Code = Code {
        err_code: "Security.Authentication.Expired",
        status: 401,
        legacy: 10008,
        en: "Authentication expired",
        zh: "认证信息已过期",
    };
    pub const SECURITY_AUTHENTICATION_TIMESTAMP_INVALID: Code = Code {
        err_code: "Security.Authentication.Timestamp.Invalid",
        status: 401,
        legacy: 10008,
        en: "Invalid timestamp: %s, err: %s",
        zh: "无效的时间戳：%s，错误：%s",
    };
    pub const SECURITY_AUTHENTICATION_INCORRECT_TOKEN: Code = Code {
        err_code: "Security.Authentication.IncorrectToken",
        status: 401,
        legacy: 10008,
        en: "Incorrect token",
        zh: "TOKEN 不正确",
    };
    pub const SECURITY_AUTHENTICATION_WITH_OCEAN_BASE_PASSWORD: Code = Code {
        err_code: "Security.Authentication.WithOceanBasePassword",
        status: 401,
        legacy: 10008,
        en: "Should use oceanbase_password to verify: %s",
        zh: "应该使用 oceanbase_password 进行验证：%s",
    };
    pub const SECURITY_AUTHENTICATION_AGENT_PASSWORD_NOT_INITIALIZED: Code = Code {
        err_code: "Security.Authentication.AgentPasswordNotInitialized",
        status: 401,
        legacy: 10008,
        en: "Agent password is not initialized",
        zh: "agent 密码未初始化",
    };
    pub const SECURITY_AUTHENTICATION_SESSION_INVALID: Code = Code {
        err_code: "Security.Authentication.SessionInvalid",
        status: 401,
        legacy: 10008,
        en: "Session is invalid",
        zh: "会话无效",
    };
    pub const SECURITY_AUTHENTICATION_SESSION_EXPIRED: Code = Code {
        err_code: "Security.Authentication.SessionExpired",
        status: 401,
        legacy: 10008,
        en: "Session is expired",
        zh: "会话已过期",
    };
    pub const SECURITY_SSO_TOKEN_MISSING: Code = Code {
        err_code: "Security.SSO.Token.Missing",
        status: 401,
        legacy: 0,
        en: "SSO token is missing in the request header",
        zh: "请求头中缺少 SSO token",
    };
    pub const SECURITY_SSO_TOKEN_NOT_FOUND: Code = Code {
        err_code: "Security.SSO.Token.NotFound",
        status: 401,
        legacy: 0,
        en: "SSO token is invalid or unknown",
        zh: "SSO token 无效或不存在",
    };
    pub const SECURITY_SSO_TOKEN_ALREADY_USED: Code = Code {
        err_code: "Security.SSO.Token.AlreadyUsed",
        status: 401,
        legacy: 0,
        en: "SSO token has already been used",
        zh: "SSO token 已被使用",
    };
    pub const SECURITY_SSO_TOKEN_EXPIRED: Code = Code {
        err_code: "Security.SSO.Token.Expired",
        status: 401,
        legacy: 0,
        en: "SSO token has expired",
        zh: "SSO token 已过期",
    };
    pub const SECURITY_SSO_TOKEN_MANAGER_NOT_READY: Code = Code {
        err_code: "Security.SSO.Token.ManagerNotReady",
        status: 500,
        legacy: 0,
        en: "SSO token service is not ready",
        zh: "SSO token 服务未就绪",
    };
    pub const TASK_EXPIRED: Code = Code {
        err_code: "Task.Expired",
        status: 500,
        legacy: 0,
        en: "%s has already executed task %s. '%s: %s' cannot be executed. Please submit a new request",
        zh: "%s 已经执行了任务 %s。'%s: %s' 不能执行。请提交新的请求",
    };
    pub const TASK_NOT_FOUND: Code = Code {
        err_code: "Task.NotFound",
        status: 404,
        legacy: 0,
        en: "Task not found",
        zh: "未找到任务",
    };
    pub const TASK_NOT_FOUND_WITH_REASON: Code = Code {
        err_code: "Task.NotFound",
        status: 404,
        legacy: 0,
        en: "Task not found: %v",
        zh: "未找到任务：%v",
    };
    pub const TASK_CREATE_FAILED: Code = Code {
        err_code: "Task.CreateFailed",
        status: 500,
        legacy: 0,
        en: "Create task '%s' failed",
        zh: "创建任务 '%s' 失败",
    };
    pub const TASK_GENERIC_ID_INVALID: Code = Code {
        err_code: "Task.GenericID.Invalid",
        status: 400,
        legacy: 0,
        en: "Invalid ID: %s",
        zh: "无效的任务通用 ID：%s",
    };
    pub const TASK_NODE_OPERATOR_NOT_SUPPORT: Code = Code {
        err_code: "Task.Node.Operator.NotSupport",
        status: 400,
        legacy: 0,
        en: "Operator %s is not supported",
        zh: "不支持的任务操作 '%s'",
    };
    pub const TASK_DAG_OPERATOR_NOT_SUPPORT: Code = Code {
        err_code: "Task.Dag.Operator.NotSupport",
        status: 400,
        legacy: 0,
        en: "Operator %s is not supported",
        zh: "不支持的任务操作 '%s'",
    };
    pub const TASK_DAG_OPERATOR_ROLLBACK_NOT_FAILED_DAG: Code = Code {
        err_code: "Task.Dag.Operator.RollbackNotFailedDag",
        status: 400,
        legacy: 0,
        en: "Failed to set DAG rollback: DAG state is not failed",
        zh: "设置 DAG 回滚失败：DAG 未失败",
    };
    pub const TASK_DAG_OPERATOR_ROLLBACK_NOT_ALLOWED: Code = Code {
        err_code: "Task.Dag.Operator.RollbackNotAllowed",
        status: 400,
        legacy: 0,
        en: "Failed to set DAG rollback: node %s cannot rollback",
        zh: "设置 DAG 回滚失败：节点 %s 不能回滚",
    };
    pub const TASK_DAG_OPERATOR_CANCEL_FINISHED_DAG: Code = Code {
        err_code: "Task.Dag.Operator.CancelFinishedDag",
        status: 400,
        legacy: 0,
        en: "Failed to cancel DAG: DAG is finished",
        zh: "取消 DAG 失败：DAG 已执行完成",
    };
    pub const TASK_DAG_OPERATOR_CANCEL_NOT_ALLOWED: Code = Code {
        err_code: "Task.Dag.Operator.CancelNotAllowed",
        status: 400,
        legacy: 0,
        en: "Failed to cancel DAG: node %s cannot cancel",
        zh: "取消 DAG 失败：节点 %s 不能取消",
    };
    pub const TASK_DAG_OPERATOR_PASS_NOT_FAILED_DAG: Code = Code {
        err_code: "Task.Dag.Operator.PassNotFailedDag",
        status: 400,
        legacy: 0,
        en: "Failed to pass DAG: DAG is not failed",
        zh: "跳过 DAG 失败：DAG 未失败",
    };
    pub const TASK_DAG_OPERATOR_PASS_NOT_ALLOWED: Code = Code {
        err_code: "Task.Dag.Operator.PassNotAllowed",
        status: 400,
        legacy: 0,
        en: "Failed to pass DAG: node %s cannot pass",
        zh: "跳过 DAG 失败：节点 %s 不能跳过",
    };
    pub const TASK_DAG_OPERATOR_RETRY_NOT_FAILED_DAG: Code = Code {
        err_code: "Task.Dag.Operator.RetryNotFailedDag",
        status: 400,
        legacy: 0,
        en: "Failed to set DAG retry: DAG state is not failed",
        zh: "重试 DAG 失败：DAG 未失败",
    };
    pub const TASK_DAG_OPERATOR_RETRY_NOT_ALLOWED: Code = Code {
        err_code: "Task.Dag.Operator.RetryNotAllowed",
        status: 400,
        legacy: 0,
        en: "Failed to set DAG retry: node %s cannot retry",
        zh: "重试 DAG 失败：节点 %s 不能重试",
    };
    pub const TASK_NODE_OPERATOR_PASS_NOT_FAILED_DAG: Code = Code {
        err_code: "Task.Node.Operator.PassNotFailedDag",
        status: 400,
        legacy: 0,
        en: "Failed to pass node: assigned DAG is not failed",
        zh: "跳过节点失败：指定的 DAG 未失败",
    };
    pub const TASK_NODE_OPERATOR_PASS_NOT_FAILED_NODE: Code = Code {
        err_code: "Task.Node.Operator.PassNotFailedNode",
        status: 400,
        legacy: 0,
        en: "Failed to pass node: node %s is not failed",
        zh: "跳过节点失败：节点 %s 未失败",
    };
    pub const TASK_NODE_OPERATOR_PASS_NOT_ALLOWED: Code = Code {
        err_code: "Task.Node.Operator.PassNotAllowed",
        status: 400,
        legacy: 0,
        en: "Failed to pass node: node %s cannot pass",
        zh: "跳过节点失败：节点 %s 不能跳过",
    };
    pub const GORM_NO_ROW_AFFECTED: Code = Code {
        err_code: "Gorm.NoRowAffected",
        status: 500,
        legacy: 0,
        en: "%s: no row affected",
        zh: "%s：未做任何修改",
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sprintf_fills_in_order_and_flags_missing() {
        assert_eq!(
            go_sprintf("a %s b %d c %v %%", &["1".into(), "2".into(), "3".into()]),
            "a 1 b 2 c 3 %"
        );
        assert_eq!(go_sprintf("x %s", &[]), "x %!s(MISSING)");
    }

    #[test]
    fn wrap_and_occur_with_message_chain_like_go() {
        let e =
            codes::OB_BACKUP_BASE_URI_EMPTY.occur_with_message("If binding is set, backup_base_uri must be set", &[]);
        assert_eq!(
            e.message(Lang::En),
            "backup_base_uri cannot be empty: If binding is set, backup_base_uri must be set"
        );
        assert_eq!(e.status(), 400);
        let e = codes::OB_STORAGE_URI_INVALID
            .occur(&[&"cos appid is required"])
            .wrap("get archive storage interface")
            .wrap("check archive path");
        assert_eq!(
            e.task_log_line(),
            "ERROR: [OB.Storage.URI.Invalid]: check archive path: get archive storage interface: Invalid storage URI: cos appid is required"
        );
    }

    #[test]
    fn wrap_retain_keeps_inner_code_unless_unexpected() {
        let inner = codes::SECURITY_AUTHENTICATION_INCORRECT_OCEANBASE_PASSWORD.occur(&[]);
        let e = inner.wrap_retain(&codes::COMMON_UNAUTHORIZED, &[]);
        assert_eq!(e.err_code(), "Security.Authentication.IncorrectOceanbasePassword");
        assert_eq!(e.message(Lang::En), "Unauthorized: OceanBase password is incorrect");
        assert_eq!(e.message(Lang::Zh), "认证失败: OceanBase root 密码不正确");
        let e = AgentError::unexpected_raw("boom").wrap_retain(&codes::COMMON_UNAUTHORIZED, &[]);
        assert_eq!(e.err_code(), "Common.Unauthorized");
        assert_eq!(e.to_api_error(Some(Lang::En)).code, 10008);
    }

    #[test]
    fn raw_go_errors_in_task_logs_get_their_code_prefix() {
        let e = AgentError::unexpected_raw("mkdir /x: permission denied").wrap("check write permission");
        assert_eq!(
            e.message(Lang::En),
            "check write permission: mkdir /x: permission denied"
        );
        assert_eq!(
            e.task_log_line(),
            "ERROR: [Common.Unexpected]: Unexpected error: check write permission: mkdir /x: permission denied"
        );
        let m = AgentError::mysql("Error 1210 (HY000): Incorrect arguments").wrap("set delete policy");
        assert_eq!(m.status(), 400);
        assert_eq!(
            m.message(Lang::En),
            "set delete policy: Error 1210 (HY000): Incorrect arguments"
        );
        assert_eq!(
            m.task_log_line(),
            "ERROR: [MySQL.Error]: MySQL error: set delete policy: Error 1210 (HY000): Incorrect arguments"
        );
    }

    #[test]
    fn accept_language_single_well_formed_tag_only() {
        for (value, lang) in [
            (Some("zh-CN"), Some(Lang::Zh)),
            (Some("zh"), Some(Lang::Zh)),
            (Some("ZH_hans_cn"), Some(Lang::Zh)),
            (Some("en-US"), Some(Lang::En)),
            (Some("fr"), Some(Lang::En)),
            (Some(" en "), Some(Lang::En)),
            (Some("zh-CN,zh;q=0.9"), None),
            (Some("en;q=0.8"), None),
            (Some(""), None),
            (Some("*"), None),
            (Some("e"), None),
            (Some("en-"), None),
            (Some("en-toolongsubtag"), None),
            (Some("中文"), None),
            (None, None),
        ] {
            assert_eq!(Lang::localizing(value), lang, "{value:?}");
        }
    }

    #[test]
    fn localized_answers_wrap_raw_go_errors_in_their_code_text() {
        let raw = AgentError::mysql("Error 9043 (HY000): backup is already in progress");
        assert_eq!(
            raw.to_api_error(None).message,
            "Error 9043 (HY000): backup is already in progress"
        );
        assert_eq!(
            raw.to_api_error(Some(Lang::En)).message,
            "MySQL error: Error 9043 (HY000): backup is already in progress"
        );
        assert_eq!(
            raw.to_api_error(Some(Lang::Zh)).message,
            "SQL 执行出错: Error 9043 (HY000): backup is already in progress"
        );
        let raw = AgentError::unexpected_raw("boom");
        assert_eq!(raw.to_api_error(Some(Lang::Zh)).message, "非预期错误：boom");
        let coded =
            codes::OB_BACKUP_BASE_URI_EMPTY.occur_with_message("If binding is set, backup_base_uri must be set", &[]);
        assert_eq!(coded.to_api_error(None).message, coded.message(Lang::En));
        assert_eq!(coded.to_api_error(Some(Lang::En)).message, coded.message(Lang::En));
        assert_eq!(coded.to_api_error(Some(Lang::Zh)).message, coded.message(Lang::Zh));
    }
}
