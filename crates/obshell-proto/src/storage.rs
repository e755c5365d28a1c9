//! Storage destinations: `file://`, `oss://`, `cos://`, `s3://` (`ob/agent/lib/system/storage.go`).
//!
//! Two levels of checking exist on the agent and both are reproduced here:
//! - at request time only the scheme prefix is checked ([`resource_type`], "invalid path type");
//! - in DAG node 1 the URI is parsed structurally ([`StorageDest::parse`]), with its own messages.
//!
//! The console uses the second to warn before a DAG would fail; the simulator uses both.

use crate::errors::codes::OB_STORAGE_URI_INVALID;
use crate::go::url::unescape;
use crate::AgentError;
use std::fmt;

/// A storage scheme; `as_str` is the agent's `PROTOCOL_*` name shown in "Storage type is '…'".
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Scheme {
    File,
    Oss,
    Cos,
    S3,
}

impl Scheme {
    pub const ALL: [Scheme; 4] = [Scheme::File, Scheme::Oss, Scheme::Cos, Scheme::S3];

    pub fn prefix(self) -> &'static str {
        match self {
            Scheme::File => "file://",
            Scheme::Oss => "oss://",
            Scheme::Cos => "cos://",
            Scheme::S3 => "s3://",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Scheme::File => "file",
            Scheme::Oss => "oss",
            Scheme::Cos => "cos",
            Scheme::S3 => "s3",
        }
    }

    /// Case-sensitive prefix match, in the agent's order (oss, cos, s3, file).
    pub fn of(uri: &str) -> Option<Scheme> {
        [Scheme::Oss, Scheme::Cos, Scheme::S3, Scheme::File]
            .into_iter()
            .find(|s| uri.starts_with(s.prefix()))
    }
}

impl fmt::Display for Scheme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Request-time check (`GetResourceType`): only the prefix matters.
pub fn resource_type(uri: &str) -> Result<Scheme, AgentError> {
    Scheme::of(uri).ok_or_else(|| OB_STORAGE_URI_INVALID.occur(&[&"invalid path type"]))
}

/// A parsed destination. For `file://` only `path` is used; object stores use the rest.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct StorageDest {
    pub scheme: Option<Scheme>,
    /// `file://` path (everything after the prefix).
    pub path: String,
    pub bucket: String,
    /// Object key without trailing `/` (the agent trims it).
    pub object_key: String,
    pub host: String,
    pub access_id: String,
    pub access_key: String,
    pub appid: String,
    pub s3_region: String,
    pub delete_mode: String,
    pub force_path_style: bool,
}

impl fmt::Debug for StorageDest {
    /// Never prints credentials.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.uri_without_secret())
    }
}

/// Something the agent's write test would trip over although the URI parses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StorageWarning {
    MissingHost,
    MissingAccessId,
    MissingAccessKey,
}

impl StorageDest {
    /// An empty destination of the given scheme, for the console's editor.
    pub fn new(scheme: Scheme) -> StorageDest {
        StorageDest {
            scheme: Some(scheme),
            ..Default::default()
        }
    }

    /// The DAG-time structural parse (`GetStorageInterfaceByURI`), same messages and wrapping.
    pub fn parse(uri: &str) -> Result<StorageDest, AgentError> {
        let Some(scheme) = Scheme::of(uri) else {
            return Err(OB_STORAGE_URI_INVALID.occur(&[&"invalid uri protocol"]));
        };
        let rest = &uri[scheme.prefix().len()..];
        let mut d = StorageDest::new(scheme);
        match scheme {
            Scheme::File => {
                if rest.contains('?') {
                    return Err(OB_STORAGE_URI_INVALID.occur(&[&"invalid file path, contains invalid character '?'"]));
                }
                if !rest.starts_with('/') {
                    return Err(OB_STORAGE_URI_INVALID.occur(&[&"invalid file path, must start with '/'"]));
                }
                d.path = rest.to_string();
            }
            Scheme::Oss | Scheme::Cos | Scheme::S3 => {
                let params = d
                    .parse_object_params(rest)
                    .map_err(|e| e.wrap(format!("parse {scheme} config")))?;
                let get = |k: &str| query_value(&params, k);
                d.appid = get("appid");
                d.s3_region = get("s3_region");
                d.force_path_style = get("force_path_style") == "true";
                if scheme != Scheme::Cos {
                    d.appid.clear();
                }
                if scheme != Scheme::S3 {
                    d.s3_region.clear();
                    d.force_path_style = false;
                }
                if scheme == Scheme::Cos && d.appid.is_empty() {
                    return Err(OB_STORAGE_URI_INVALID.occur(&[&"cos appid is required"]));
                }
            }
        }
        Ok(d)
    }

    /// `BaseConf.parseParams`: `<bucket>/<key>?<query>`; `+` is kept literally.
    fn parse_object_params(&mut self, rest: &str) -> Result<Vec<(String, String)>, AgentError> {
        let Some((bucket, after)) = rest.split_once('/') else {
            return Err(OB_STORAGE_URI_INVALID.occur(&[&"invalid url format"]));
        };
        self.bucket = bucket.to_string();
        let q = match after.find('?') {
            Some(i) if i != after.len() - 1 => i,
            _ => return Err(OB_STORAGE_URI_INVALID.occur(&[&"invalid url format, missing query params"])),
        };
        self.object_key = after[..q].trim_end_matches('/').to_string();
        let params = parse_query(&after[q + 1..].replace('+', "%2B"))
            // A Go `url.ParseQuery` error is a plain error: the task reports Common.Unexpected.
            .map_err(AgentError::unexpected_raw)?;
        let get = |k: &str| query_value(&params, k);
        self.host = get("host");
        self.access_id = get("access_id");
        self.access_key = get("access_key");
        self.delete_mode = get("delete_mode");
        Ok(params)
    }

    /// Another storage type: what belongs to one provider (endpoint, COS app id, S3 region,
    /// path style) is cleared, so an OSS URI never carries an S3 endpoint. Bucket, path,
    /// credentials and delete mode stay as typed.
    pub fn switch_scheme(&mut self, to: Scheme) {
        if self.scheme == Some(to) {
            return;
        }
        self.scheme = Some(to);
        self.host.clear();
        self.appid.clear();
        self.s3_region.clear();
        self.force_path_style = false;
    }

    /// Problems the agent's write test would hit (no endpoint, no credentials).
    pub fn warnings(&self) -> Vec<StorageWarning> {
        let mut w = Vec::new();
        if matches!(self.scheme, Some(Scheme::File) | None) {
            return w;
        }
        if self.host.is_empty() {
            w.push(StorageWarning::MissingHost);
        }
        if self.access_id.is_empty() {
            w.push(StorageWarning::MissingAccessId);
        }
        if self.access_key.is_empty() {
            w.push(StorageWarning::MissingAccessKey);
        }
        w
    }

    /// `NewWithObjectKey(sub)`: appends `/<sub>` to the path or key (no trimming, like the agent).
    pub fn with_subpath(&self, sub: &str) -> StorageDest {
        let mut d = self.clone();
        if d.scheme == Some(Scheme::File) {
            d.path = format!("{}/{}", d.path, sub);
        } else {
            d.object_key = format!("{}/{}", d.object_key, sub);
        }
        d
    }

    /// `GenerateURIWithoutSecret`: what the agent logs and what `config/storage` returns.
    pub fn uri_without_secret(&self) -> String {
        let Some(scheme) = self.scheme else {
            return String::new();
        };
        if scheme == Scheme::File {
            return format!("file://{}", self.path);
        }
        let mut s = format!(
            "{}{}/{}?host={}",
            scheme.prefix(),
            self.bucket,
            self.object_key,
            self.host
        );
        if scheme == Scheme::Cos && !self.appid.is_empty() {
            s.push_str(&format!("&appid={}", self.appid));
        }
        if scheme == Scheme::S3 && !self.s3_region.is_empty() {
            s.push_str(&format!("&s3_region={}", self.s3_region));
        }
        if !self.delete_mode.is_empty() {
            s.push_str(&format!("&delete_mode={}", self.delete_mode));
        }
        s
    }

    /// `GenerateURI`: the URI the agent writes to OceanBase (credentials last, values raw).
    pub fn generate_uri(&self) -> String {
        if self.scheme == Some(Scheme::File) || self.scheme.is_none() {
            return self.uri_without_secret();
        }
        format!(
            "{}&access_id={}&access_key={}",
            self.uri_without_secret(),
            self.access_id,
            self.access_key
        )
    }

    /// The URI the console sends, built from the editor's fields. Values are percent-encoded
    /// where they would otherwise break the query (`&`, `=`, `%`, `#`, spaces, controls), so that
    /// [`StorageDest::parse`] on the agent gives back exactly these fields.
    pub fn to_uri(&self) -> String {
        let Some(scheme) = self.scheme else {
            return String::new();
        };
        if scheme == Scheme::File {
            return format!("file://{}", self.path);
        }
        let mut q: Vec<(&str, &str)> = vec![("host", &self.host)];
        if scheme == Scheme::Cos {
            q.push(("appid", &self.appid));
        }
        if scheme == Scheme::S3 && !self.s3_region.is_empty() {
            q.push(("s3_region", &self.s3_region));
        }
        if !self.delete_mode.is_empty() {
            q.push(("delete_mode", &self.delete_mode));
        }
        q.push(("access_id", &self.access_id));
        q.push(("access_key", &self.access_key));
        if scheme == Scheme::S3 && self.force_path_style {
            q.push(("force_path_style", "true"));
        }
        let query: Vec<String> = q
            .iter()
            .map(|(k, v)| format!("{k}={}", escape_query_value(v)))
            .collect();
        format!(
            "{}{}/{}?{}",
            scheme.prefix(),
            self.bucket,
            self.object_key,
            query.join("&")
        )
    }
}

/// Whether two URIs name the same destination, as the agent would write it: equal without
/// credentials (the agent reports destinations without them; entering the credentials of a
/// reported destination again does not change it) and without a trailing `/` on the path or key
/// (the agent trims the key's and appends `/` to tenant destinations). Unparsable URIs compare
/// as typed.
pub fn same_destination(a: &str, b: &str) -> bool {
    let canonical = |u: &str| match StorageDest::parse(u) {
        Ok(mut d) => {
            while d.path.len() > 1 && d.path.ends_with('/') {
                d.path.pop();
            }
            d.uri_without_secret()
        }
        Err(_) => u.to_string(),
    };
    a == b || canonical(a) == canonical(b)
}

/// The cluster-level base URI that produced per-tenant destinations: a cluster configuration
/// writes `<base>/<cluster_id>/<tenant_id>/clog` and `…/data` for every tenant. Given each
/// tenant's id and reported destinations, the base they share (without credentials), or `None`
/// when any tenant is unconfigured, configured on its own, or the tenants differ.
pub fn cluster_base(tenants: &[(i64, &str, &str)]) -> Option<String> {
    let mut base: Option<String> = None;
    for (tenant_id, archive, data) in tenants {
        let strip = |uri: &str, dir: &str| -> Option<String> {
            let mut d = StorageDest::parse(uri).ok()?;
            let suffix_of = |s: &str| -> Option<usize> {
                let rest = s.strip_suffix(&format!("/{tenant_id}/{dir}"))?;
                let cut = rest.rfind('/')?;
                let cluster_id = &rest[cut + 1..];
                (!cluster_id.is_empty() && cluster_id.bytes().all(|b| b.is_ascii_digit())).then_some(cut)
            };
            if d.scheme == Some(Scheme::File) {
                let cut = suffix_of(&d.path)?;
                d.path.truncate(cut);
            } else {
                let cut = suffix_of(&d.object_key)?;
                d.object_key.truncate(cut);
            }
            Some(d.uri_without_secret())
        };
        let a = strip(archive, "clog")?;
        if strip(data, "data")? != a || base.as_ref().is_some_and(|b| *b != a) {
            return None;
        }
        base = Some(a);
    }
    base
}

fn escape_query_value(v: &str) -> String {
    let mut out = String::with_capacity(v.len());
    for c in v.chars() {
        match c {
            '&' | '=' | '%' | '#' | ';' | ' ' => out.push_str(&format!("%{:02X}", c as u32)),
            c if c.is_control() => {
                let mut buf = [0u8; 4];
                for b in c.encode_utf8(&mut buf).bytes() {
                    out.push_str(&format!("%{b:02X}"));
                }
            }
            c => out.push(c),
        }
    }
    out
}

/// Go's `url.ParseQuery` (1.17+): `&`-separated, a `;` is an error, `+` is a space, `%XX` decoded;
/// the first error is reported, as Go returns it.
fn parse_query(q: &str) -> Result<Vec<(String, String)>, String> {
    let mut out = Vec::new();
    let mut first_err = None;
    for part in q.split('&') {
        if part.is_empty() {
            continue;
        }
        if part.contains(';') {
            first_err.get_or_insert_with(|| "invalid semicolon separator in query".to_string());
            continue;
        }
        let (k, v) = part.split_once('=').unwrap_or((part, ""));
        match (unescape(k, true), unescape(v, true)) {
            (Ok(k), Ok(v)) => out.push((k, v)),
            (Err(e), _) | (_, Err(e)) => {
                first_err.get_or_insert(e);
            }
        }
    }
    match first_err {
        Some(e) => Err(e),
        None => Ok(out),
    }
}

/// `uri` with the value of each present (non-empty) `access_id` / `access_key` replaced by
/// `with(key)`; an empty one stays empty. For showing a request: whether a credential is there
/// stays visible, its value does not.
pub fn replace_credentials(uri: &str, with: impl Fn(&str) -> String) -> String {
    let Some((base, query)) = uri.split_once('?') else {
        return uri.to_string();
    };
    let parts: Vec<String> = query
        .split('&')
        .map(|p| match p.split_once('=') {
            Some((k, v)) if (k == "access_id" || k == "access_key") && !v.is_empty() => format!("{k}={}", with(k)),
            _ => p.to_string(),
        })
        .collect();
    format!("{base}?{}", parts.join("&"))
}

/// Removes `access_id` / `access_key` (and any `…key…`/`…secret…` style parameter) from a URI
/// for display and logs, whether or not it parses. The rest is kept as typed.
pub fn redact(uri: &str) -> String {
    let Some((base, query)) = uri.split_once('?') else {
        return uri.to_string();
    };
    let kept: Vec<&str> = query
        .split('&')
        .filter(|p| {
            let k = p.split('=').next().unwrap_or("").to_ascii_lowercase();
            !(k == "access_id" || k == "access_key" || k.contains("secret") || k.contains("token"))
        })
        .collect();
    if kept.is_empty() {
        base.to_string()
    } else {
        format!("{base}?{}", kept.join("&"))
    }
}

/// The first value of `key` in a parsed query (Go's `url.Values.Get`), empty when absent.
fn query_value(params: &[(String, String)], key: &str) -> String {
    params
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.clone())
        .unwrap_or_default()
}
