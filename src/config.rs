//! Runtime configuration: `config.json` beside `index.html` (standalone), or the options of
//! `mount(element, options)` (embedded). Read once at start, validated as a whole: a file with
//! unknown or malformed fields is reported and nothing of it is applied.

use crate::api::ClientConfig;
use obshell_proto::Lang;
use serde::Deserialize;

/// A named cluster (agent) to choose from at sign-in.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Profile {
    pub name: String,
    #[serde(default)]
    pub api_base: String,
    #[serde(default)]
    pub agent_prefix: Option<String>,
}

/// Everything a deployment or a host page can set.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct RuntimeConfig {
    /// The API prefix as the browser sees it (`""`: same origin root, or the page's base).
    pub api_base: Option<String>,
    /// The prefix the agent sees before `/api/v1` (for proxies that strip or rewrite one).
    pub agent_prefix: Option<String>,
    /// `en` or `zh`; default: the browser's language.
    pub lang: Option<String>,
    #[serde(default)]
    pub profiles: Vec<Profile>,
    /// Embedding: the first page (`/tasks/142`, `/backup/tenant/t1`, …).
    pub initial_route: Option<String>,
    /// Embedding: a one-time SSO token minted by the host (`POST /api/v1/sso/token`); the console
    /// exchanges it for a session, so the host never gives the browser the password.
    pub sso_token: Option<String>,
}

/// Why a configuration was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    pub source: String,
    pub detail: String,
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.source, self.detail)
    }
}

fn check_prefix(what: &str, v: &str) -> Result<(), String> {
    let ok = v.is_empty() || (v.starts_with('/') && !v.contains(['?', '#', ' ']));
    if ok {
        Ok(())
    } else {
        Err(format!("{what} must be empty or a path starting with '/' (got {v:?})"))
    }
}

impl RuntimeConfig {
    /// Parses and validates; `source` names where it came from for the error message.
    pub fn parse(json: &str, source: &str) -> Result<RuntimeConfig, ConfigError> {
        let err = |detail: String| ConfigError {
            source: source.to_string(),
            detail,
        };
        let c: RuntimeConfig = serde_json::from_str(json).map_err(|e| err(e.to_string()))?;
        c.validate().map_err(err)?;
        Ok(c)
    }

    fn validate(&self) -> Result<(), String> {
        if let Some(b) = &self.api_base {
            check_api_base("apiBase", b)?;
        }
        if let Some(p) = &self.agent_prefix {
            check_prefix("agentPrefix", p)?;
        }
        if let Some(l) = &self.lang {
            if !matches!(l.as_str(), "en" | "zh") {
                return Err(format!("lang must be \"en\" or \"zh\" (got {l:?})"));
            }
        }
        let mut names = std::collections::HashSet::new();
        for p in &self.profiles {
            if p.name.trim().is_empty() {
                return Err("every profile needs a name".into());
            }
            if !names.insert(p.name.as_str()) {
                return Err(format!("profile name {:?} is used twice", p.name));
            }
            check_api_base(&format!("profiles[{}].apiBase", p.name), &p.api_base)?;
            if let Some(a) = &p.agent_prefix {
                check_prefix(&format!("profiles[{}].agentPrefix", p.name), a)?;
            }
        }
        if let Some(r) = &self.initial_route {
            if !r.starts_with('/') {
                return Err(format!("initialRoute must start with '/' (got {r:?})"));
            }
        }
        Ok(())
    }

    pub fn lang(&self) -> Option<Lang> {
        self.lang
            .as_deref()
            .map(|l| if l == "zh" { Lang::Zh } else { Lang::En })
    }

    /// The client configuration of the top level (or of a profile). Without an explicit API
    /// base the console talks to the origin it is served from, under `page_base` (its
    /// `<base href>` path): a console at `/ops/obshell/` calls `/ops/obshell/api/v1/…`.
    pub fn client(&self, profile: Option<&Profile>, page_base: &str) -> ClientConfig {
        let page_base = page_base.trim_end_matches('/');
        let (api_base, agent_prefix) = match profile {
            Some(p) => (p.api_base.clone(), p.agent_prefix.clone()),
            None => (
                self.api_base.clone().unwrap_or_else(|| page_base.to_string()),
                self.agent_prefix.clone(),
            ),
        };
        ClientConfig {
            api_base: api_base.trim_end_matches('/').to_string(),
            agent_prefix: agent_prefix.unwrap_or_default().trim_end_matches('/').to_string(),
        }
    }
}

fn check_api_base(what: &str, v: &str) -> Result<(), String> {
    if v.starts_with("http://") || v.starts_with("https://") {
        // Another origin only works through a proxy that adds CORS (the agent has none).
        return Ok(());
    }
    check_prefix(what, v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_validates_as_a_whole() {
        let c = RuntimeConfig::parse(
            r#"{"apiBase":"/ops/obshell","agentPrefix":"","lang":"zh","profiles":[{"name":"prod","apiBase":"/prod"}]}"#,
            "config.json",
        )
        .unwrap();
        assert_eq!(c.lang(), Some(Lang::Zh));
        assert_eq!(c.client(None, "/").api_base, "/ops/obshell");
        assert_eq!(c.client(Some(&c.profiles[0]), "/").api_base, "/prod");
        assert_eq!(
            RuntimeConfig::default().client(None, "/ops/obshell/").api_base,
            "/ops/obshell"
        );
        let e = RuntimeConfig::parse(r#"{"apiBase":"/x","colour":"red"}"#, "config.json").unwrap_err();
        assert!(e.to_string().starts_with("config.json: unknown field `colour`"), "{e}");
        assert!(RuntimeConfig::parse(r#"{"lang":"fr"}"#, "c").is_err());
        assert!(RuntimeConfig::parse(r#"{"agentPrefix":"api"}"#, "c").is_err());
        assert!(RuntimeConfig::parse(r#"{"profiles":[{"name":"a"},{"name":"a"}]}"#, "c").is_err());
        assert!(RuntimeConfig::parse(r#"{"apiBase":5}"#, "c").is_err());
        assert!(RuntimeConfig::parse("{}", "c").is_ok());
    }
}
