//! The same request as the obshell tools would send it: the `obshell backup set-config` command
//! (the agent's CLI, `client/cmd/backup/config.go`: its own flags, and it always PATCHes) and the
//! official Python SDK's call (`obshell.ClientV1`, `client_v1.py`). Secrets are placeholders.

use obshell_proto::backup::{BackupConfig, Method, Scope};
use obshell_proto::storage::replace_credentials;

/// What stands for a credential in a copied command.
pub fn placeholder(key: &str) -> String {
    format!("<{}>", key.to_ascii_uppercase())
}

/// `(CLI flag, SDK keyword, value)` for each key the request sets, in the body's order.
fn pairs(c: &BackupConfig, scope: Scope) -> Vec<(&'static str, &'static str, Value)> {
    let uri = |v: &Option<String>| v.as_deref().map(|u| Value::Str(replace_credentials(u, placeholder)));
    let s = |v: &Option<String>| v.clone().map(Value::Str);
    let mut out = Vec::new();
    let mut push = |flag, kw, v: Option<Value>| {
        if let Some(v) = v {
            out.push((flag, kw, v));
        }
    };
    match scope {
        Scope::Cluster => push("backup_base_uri", "backup_base_uri", uri(&c.backup_base_uri)),
        Scope::Tenant => {
            push("data_backup_uri", "data_base_uri", uri(&c.data_base_uri));
            push("archive_log_uri", "archive_base_uri", uri(&c.archive_base_uri));
        }
    }
    push(
        "log_archive_concurrency",
        "log_archive_concurrency",
        c.log_archive_concurrency.map(Value::Int),
    );
    push("binding", "binding", s(&c.binding));
    push(
        "ha_low_thread_score",
        "ha_low_thread_score",
        c.ha_low_thread_score.map(Value::Int),
    );
    push(
        "piece_switch_interval",
        "piece_switch_interval",
        s(&c.piece_switch_interval),
    );
    push("archive_lag_target", "archive_lag_target", s(&c.archive_lag_target));
    if let Some(p) = &c.delete_policy {
        push("delete_policy", "delete_policy", Some(Value::Str(p.policy.clone())));
        push(
            "delete_recovery_window",
            "delete_recovery_window",
            Some(Value::Str(p.recovery_window.clone())),
        );
    }
    out
}

enum Value {
    Str(String),
    Int(i64),
}

/// The CLI command (run on an OBServer host with obshell; it asks for confirmation).
pub fn cli_command(c: &BackupConfig, scope: Scope, tenant: &str) -> String {
    let mut cmd = String::from("obshell backup set-config");
    if scope == Scope::Tenant {
        cmd.push_str(&format!(" --tenant_name {}", shell_quote(tenant)));
    }
    for (flag, _, v) in pairs(c, scope) {
        let v = match v {
            Value::Str(s) => shell_quote(&s),
            Value::Int(i) => i.to_string(),
        };
        cmd.push_str(&format!(" --{flag} {v}"));
    }
    cmd
}

/// The Python SDK call, with the agent's address and a placeholder for the root@sys password.
pub fn sdk_python(c: &BackupConfig, scope: Scope, method: Method, tenant: &str, agent: (&str, u16)) -> String {
    let verb = match method {
        Method::Set => "post",
        Method::Update => "patch",
    };
    let mut args = Vec::new();
    let function = match scope {
        Scope::Cluster => format!("{verb}_cluster_backup_config"),
        Scope::Tenant => {
            args.push(py_str(tenant));
            format!("{verb}_tenant_backup_config")
        }
    };
    for (_, kw, v) in pairs(c, scope) {
        let v = match v {
            Value::Str(s) => py_str(&s),
            Value::Int(i) => i.to_string(),
        };
        args.push(format!("{kw}={v}"));
    }
    format!(
        "from obshell import ClientV1\nfrom obshell.auth.password import PasswordAuth\n\n\
         client = ClientV1({}, {}, PasswordAuth({}))\n\
         dag = client.{function}({})\n",
        py_str(agent.0),
        agent.1,
        py_str(&placeholder("root@sys password")),
        args.join(", ")
    )
}

/// A POSIX shell word: bare when it has nothing the shell treats specially, else single-quoted.
fn shell_quote(s: &str) -> String {
    let plain = !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"_-./:=,@%+".contains(&b));
    if plain {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

/// A Python string literal (JSON's escapes are Python's too).
fn py_str(s: &str) -> String {
    serde_json::to_string(s).expect("a string serializes")
}

#[cfg(test)]
mod tests {
    use super::*;
    use obshell_proto::backup::DeletePolicy;

    fn config() -> BackupConfig {
        BackupConfig {
            archive_base_uri: Some("oss://b/k?host=h&access_id=AK&access_key=SK".into()),
            binding: Some("MANDATORY".into()),
            piece_switch_interval: Some("3d".into()),
            log_archive_concurrency: Some(10),
            delete_policy: Some(DeletePolicy {
                policy: "default".into(),
                recovery_window: "7d".into(),
            }),
            ..Default::default()
        }
    }

    #[test]
    fn the_cli_command_uses_the_cli_s_flags_and_placeholders() {
        assert_eq!(
            cli_command(&config(), Scope::Tenant, "t'1"),
            "obshell backup set-config --tenant_name 't'\\''1' \
             --archive_log_uri 'oss://b/k?host=h&access_id=<ACCESS_ID>&access_key=<ACCESS_KEY>' \
             --log_archive_concurrency 10 --binding MANDATORY --piece_switch_interval 3d \
             --delete_policy default --delete_recovery_window 7d"
        );
        let cluster = BackupConfig {
            backup_base_uri: Some("file:///data/backup".into()),
            ..Default::default()
        };
        assert_eq!(
            cli_command(&cluster, Scope::Cluster, ""),
            "obshell backup set-config --backup_base_uri file:///data/backup"
        );
    }

    #[test]
    fn the_sdk_call_has_the_sdk_s_method_and_keywords() {
        let py = sdk_python(&config(), Scope::Tenant, Method::Update, "t1", ("10.0.0.1", 2886));
        assert!(
            py.contains("client = ClientV1(\"10.0.0.1\", 2886, PasswordAuth(\"<ROOT@SYS PASSWORD>\"))"),
            "{py}"
        );
        assert!(
            py.contains(
                "dag = client.patch_tenant_backup_config(\"t1\", \
             archive_base_uri=\"oss://b/k?host=h&access_id=<ACCESS_ID>&access_key=<ACCESS_KEY>\", \
             log_archive_concurrency=10, binding=\"MANDATORY\", piece_switch_interval=\"3d\", \
             delete_policy=\"default\", delete_recovery_window=\"7d\")"
            ),
            "{py}"
        );
        assert!(!py.contains("SK") && !py.contains("\"AK"));
        let set = sdk_python(&BackupConfig::default(), Scope::Cluster, Method::Set, "", ("h", 1));
        assert!(set.contains("client.post_cluster_backup_config()"), "{set}");
    }
}
