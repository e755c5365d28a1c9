//! Go's `encoding/json` decoding of request bodies into the agent's parameter structs (gin's
//! `BindJSON`), to reject bodies exactly like the agent, with its messages. The syntax check,
//! string unquoting and key folding are the Go-verified ones of `crypto::go::json` (one
//! implementation); this module adds struct decoding: keys applied in document order, number
//! literals kept verbatim, and the first type error in document order.

use crate::backup::{BackupConfig, DeletePolicy, Scope};

/// A JSON value with Go-relevant detail kept: object keys in order (duplicates too) and number
/// literals as written.
#[derive(Clone, Debug, PartialEq)]
pub enum JVal {
    Null,
    Bool(bool),
    Num(String),
    Str(String),
    Arr(Vec<JVal>),
    Obj(Vec<(String, JVal)>),
}

impl JVal {
    /// Go's name for the JSON kind in `cannot unmarshal <kind> into …`.
    fn kind(&self) -> String {
        match self {
            JVal::Null => "null".into(),
            JVal::Bool(_) => "bool".into(),
            JVal::Num(_) => "number".into(),
            JVal::Str(_) => "string".into(),
            JVal::Arr(_) => "array".into(),
            JVal::Obj(_) => "object".into(),
        }
    }
}

/// Parses the first JSON value of `input` like `json.Decoder.Decode` (trailing data ignored):
/// Go's scanner and string unquoting (`crypto::go::json`, verified against Go), so syntax
/// errors have exactly Go's text.
pub fn parse(input: &[u8]) -> Result<JVal, String> {
    crate::crypto::go::json::parse_tree(input)
}

/// The keys of object `obj` that Go decodes into field `name`, with their index: the exact name,
/// or a key equal to it under Go's folding (the struct's field names are distinct when folded).
fn occurrences<'v>(obj: &'v JVal, name: &'v str) -> impl Iterator<Item = (usize, &'v JVal)> + 'v {
    let pairs: &'v [(String, JVal)] = match obj {
        JVal::Obj(pairs) => pairs,
        _ => &[],
    };
    let folded = crate::crypto::go::json::fold_name(name);
    pairs
        .iter()
        .enumerate()
        .filter(move |(_, (k, _))| k == name || crate::crypto::go::json::fold_name(k) == folded)
        .map(|(i, (_, v))| (i, v))
}

/// The error a decoding reports, as Go's decoder does: the first type error in document order
/// (it saves the first one it meets while walking the input and keeps decoding), unless an
/// `UnmarshalJSON` failed: that stops the decoding at once and wins (the first in document
/// order, as decoding never gets past it).
#[derive(Debug, Default)]
pub struct FirstError {
    saved: Option<(Vec<usize>, String)>,
    fatal: Option<(Vec<usize>, String)>,
}

impl FirstError {
    fn offer(&mut self, at: Vec<usize>, msg: String) {
        if self.saved.as_ref().is_none_or(|(first, _)| at < *first) {
            self.saved = Some((at, msg));
        }
    }

    fn offer_fatal(&mut self, at: Vec<usize>, msg: String) {
        if self.fatal.as_ref().is_none_or(|(first, _)| at < *first) {
            self.fatal = Some((at, msg));
        }
    }

    pub fn into_result(self) -> Result<(), String> {
        match self.fatal.or(self.saved) {
            Some((_, msg)) => Err(msg),
            None => Ok(()),
        }
    }
}

/// Decodes the fields of a Go struct from a JSON object like `encoding/json`: every key is
/// applied in document order (a later duplicate overrides an earlier one; `null` clears a
/// pointer field and leaves a value field alone), and the type error reported is the first in
/// document order, in Go's words
/// (`json: cannot unmarshal <kind> into Go struct field <Struct>.<path> of type <type>`).
pub struct StructDecoder<'a> {
    obj: &'a JVal,
    struct_name: &'a str,
    /// Where `obj` is in the document (key indices from the top), to order type errors.
    at: Vec<usize>,
    errors: &'a mut FirstError,
}

impl<'a> StructDecoder<'a> {
    pub fn new(obj: &'a JVal, struct_name: &'a str, errors: &'a mut FirstError) -> Self {
        StructDecoder {
            obj,
            struct_name,
            at: Vec::new(),
            errors,
        }
    }

    fn type_error(&mut self, index: usize, kind: String, path: &str, ty: &str) {
        let mut at = self.at.clone();
        at.push(index);
        let msg = format!(
            "json: cannot unmarshal {kind} into Go struct field {}.{path} of type {ty}",
            self.struct_name
        );
        self.errors.offer(at, msg);
    }

    /// Applies each occurrence of field `name` to `current`: `null` → `on_null`, a value that
    /// `convert` accepts → it, anything else a type error (the value stays).
    fn fold<T>(
        &mut self,
        name: &str,
        path: &str,
        ty: &str,
        mut current: Option<T>,
        null_clears: bool,
        convert: impl Fn(&JVal) -> Result<T, String>,
    ) -> Option<T> {
        let obj: &'a JVal = self.obj;
        for (index, value) in occurrences(obj, name) {
            match value {
                JVal::Null if null_clears => current = None,
                JVal::Null => {}
                v => match convert(v) {
                    Ok(x) => current = Some(x),
                    Err(kind) => self.type_error(index, kind, path, ty),
                },
            }
        }
        current
    }

    /// A `*string` field (`null` ≡ absent).
    pub fn string(&mut self, name: &str, path: &str) -> Option<String> {
        self.fold(name, path, "string", None, true, as_string)
    }

    /// A `string` field (not a pointer: `null` leaves it as it was).
    pub fn string_value(&mut self, name: &str, path: &str, target: &mut String) {
        if let Some(v) = self.fold(name, path, "string", None, false, as_string) {
            *target = v;
        }
    }

    /// A field whose Go type decodes itself (`UnmarshalJSON`): `check` judges each non-null
    /// occurrence; its error stops Go's decoding (see [`FirstError`]).
    pub fn unmarshaler(&mut self, name: &str, check: impl Fn(&JVal) -> Result<(), String>) {
        let obj: &'a JVal = self.obj;
        if let Some((index, msg)) = occurrences(obj, name)
            .filter(|(_, v)| !matches!(v, JVal::Null))
            .find_map(|(i, v)| check(v).err().map(|e| (i, e)))
        {
            let mut at = self.at.clone();
            at.push(index);
            self.errors.offer_fatal(at, msg);
        }
    }

    /// Whether the object has the key at all (even `null`): Go allocates the embedded pointer
    /// struct holding the field before it stores anything.
    pub fn has(&self, name: &str) -> bool {
        occurrences(self.obj, name).next().is_some()
    }

    /// A `*int` field (64-bit): the literal must be an integer that fits.
    pub fn int(&mut self, name: &str, path: &str) -> Option<i64> {
        self.int_of(name, path, "int")
    }

    /// A 64-bit integer field of Go type `ty` (`int`, `int64`) as [`int`](Self::int) reads it.
    pub fn int_of(&mut self, name: &str, path: &str, ty: &str) -> Option<i64> {
        self.fold(name, path, ty, None, true, |v| match v {
            JVal::Num(lit) => lit.parse::<i64>().map_err(|_| format!("number {lit}")),
            other => Err(other.kind()),
        })
    }

    /// A `*bool` field.
    pub fn bool(&mut self, name: &str, path: &str) -> Option<bool> {
        self.fold(name, path, "bool", None, true, |v| match v {
            JVal::Bool(b) => Ok(*b),
            other => Err(other.kind()),
        })
    }

    /// A `*Struct` field of Go type `go_type`: each object occurrence is decoded by `decode`
    /// into the same value (fields it lacks keep what an earlier occurrence set); `null` clears.
    pub fn object<T: Default>(
        &mut self,
        name: &str,
        path: &str,
        go_type: &str,
        struct_name: &str,
        decode: impl Fn(&mut StructDecoder<'_>, &mut T),
    ) -> Option<T> {
        let obj: &'a JVal = self.obj;
        let mut current: Option<T> = None;
        for (index, value) in occurrences(obj, name) {
            match value {
                JVal::Null => current = None,
                inner @ JVal::Obj(_) => {
                    let mut at = self.at.clone();
                    at.push(index);
                    let mut nested = StructDecoder {
                        obj: inner,
                        struct_name,
                        at,
                        errors: &mut *self.errors,
                    };
                    decode(&mut nested, current.get_or_insert_with(T::default));
                }
                other => self.type_error(index, other.kind(), path, go_type),
            }
        }
        current
    }
}

fn as_string(v: &JVal) -> Result<String, String> {
    match v {
        JVal::Str(s) => Ok(s.clone()),
        other => Err(other.kind()),
    }
}

/// Decodes a top-level value into a Go struct `go_type` (e.g. `param.DagOperator`): `null` is an
/// empty struct, a non-object is a type error.
pub fn top_level<'a>(v: &'a JVal, go_type: &str) -> Result<Option<&'a JVal>, String> {
    match v {
        JVal::Null => Ok(None),
        JVal::Obj(_) => Ok(Some(v)),
        other => Err(format!(
            "json: cannot unmarshal {} into Go value of type {go_type}",
            other.kind()
        )),
    }
}

pub(crate) fn decode_backup_config(body: &[u8], scope: Scope) -> Result<BackupConfig, String> {
    let v = parse(body)?;
    let (go_type, name) = match scope {
        Scope::Cluster => ("param.ClusterBackupConfigParam", "ClusterBackupConfigParam"),
        Scope::Tenant => ("param.TenantBackupConfigParam", "TenantBackupConfigParam"),
    };
    let Some(obj) = top_level(&v, go_type)? else {
        return Ok(BackupConfig::default());
    };
    let mut errors = FirstError::default();
    let mut d = StructDecoder::new(obj, name, &mut errors);
    let mut c = BackupConfig::default();
    match scope {
        Scope::Cluster => c.backup_base_uri = d.string("backup_base_uri", "backup_base_uri"),
        Scope::Tenant => {
            c.data_base_uri = d.string("data_base_uri", "data_base_uri");
            c.archive_base_uri = d.string("archive_base_uri", "archive_base_uri");
        }
    }
    // `Location` has no json tag and is ignored by the agent, but its type is still checked.
    let _ = d.string("Location", "LogArchiveDestConf.Location");
    c.binding = d.string("binding", "LogArchiveDestConf.binding");
    c.piece_switch_interval = d.string("piece_switch_interval", "LogArchiveDestConf.piece_switch_interval");
    c.log_archive_concurrency = d.int(
        "log_archive_concurrency",
        "BaseBackupConfigParam.log_archive_concurrency",
    );
    c.archive_lag_target = d.string("archive_lag_target", "BaseBackupConfigParam.archive_lag_target");
    c.ha_low_thread_score = d.int("ha_low_thread_score", "BaseBackupConfigParam.ha_low_thread_score");
    // BackupDeletePolicy's fields are plain strings (not pointers).
    c.delete_policy = d.object(
        "delete_policy",
        "BaseBackupConfigParam.delete_policy",
        "param.BackupDeletePolicy",
        "BackupDeletePolicy",
        |pd, p: &mut DeletePolicy| {
            pd.string_value("policy", "BaseBackupConfigParam.delete_policy.policy", &mut p.policy);
            pd.string_value(
                "recovery_window",
                "BaseBackupConfigParam.delete_policy.recovery_window",
                &mut p.recovery_window,
            );
        },
    );
    errors.into_result()?;
    Ok(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cluster(body: &str) -> Result<BackupConfig, String> {
        decode_backup_config(body.as_bytes(), Scope::Cluster)
    }

    #[test]
    fn the_first_type_error_in_document_order_is_reported() {
        let e = cluster(r#"{"ha_low_thread_score": "x", "log_archive_concurrency": "y"}"#).unwrap_err();
        assert_eq!(e, "json: cannot unmarshal string into Go struct field ClusterBackupConfigParam.BaseBackupConfigParam.ha_low_thread_score of type int");
        let e = cluster(r#"{"delete_policy": {"policy": 1}, "binding": 2}"#).unwrap_err();
        assert!(
            e.contains("BackupDeletePolicy.BaseBackupConfigParam.delete_policy.policy of type string"),
            "{e}"
        );
        // A type error is reported even when a later duplicate has the right type.
        let e = cluster(r#"{"binding": 5, "binding": "Optional"}"#).unwrap_err();
        assert!(e.contains("LogArchiveDestConf.binding of type string"), "{e}");
    }

    #[test]
    fn duplicates_and_null_like_go() {
        let c = cluster(r#"{"binding": "Optional", "BINDING": "Mandatory"}"#).unwrap();
        assert_eq!(
            c.binding.as_deref(),
            Some("Mandatory"),
            "the later key wins, folded or not"
        );
        let c = cluster(r#"{"binding": "Optional", "binding": null}"#).unwrap();
        assert_eq!(c.binding, None, "null clears a pointer field");
        let c = cluster(r#"{"delete_policy": {"policy": "default", "policy": null}}"#).unwrap();
        assert_eq!(
            c.delete_policy.unwrap().policy,
            "default",
            "null leaves a string field alone"
        );
        let c =
            cluster(r#"{"delete_policy": {"policy": "default"}, "delete_policy": {"recovery_window": "1d"}}"#).unwrap();
        let p = c.delete_policy.unwrap();
        assert_eq!(
            (p.policy.as_str(), p.recovery_window.as_str()),
            ("default", "1d"),
            "decoded into the same struct"
        );
        assert_eq!(
            cluster(r#"{"delete_policy": {"policy": "default"}, "delete_policy": null}"#)
                .unwrap()
                .delete_policy,
            None
        );
    }

    #[test]
    fn keys_fold_like_go() {
        // U+212A KELVIN SIGN folds to K, U+017F LONG S to S (Go's foldName); other non-ASCII never matches.
        let c = cluster(r#"{"log_archive_concurrency": 3, "piece_\u017fwitch_interval": "1d"}"#).unwrap();
        assert_eq!(
            (c.log_archive_concurrency, c.piece_switch_interval.as_deref()),
            (Some(3), Some("1d"))
        );
        let c = cluster(r#"{"b\u0131nding": "Optional"}"#).unwrap();
        assert_eq!(c.binding, None, "dotless i is not I");
    }

    #[test]
    fn strings_unquote_like_go() {
        // An invalid UTF-8 sequence is one U+FFFD per bad byte (utf8.DecodeRune), not per sequence.
        let body = b"{\"backup_base_uri\": \"file:///a\xe2\x82b\"}";
        let c = decode_backup_config(body, Scope::Cluster).unwrap();
        assert_eq!(c.backup_base_uri.as_deref(), Some("file:///a\u{FFFD}\u{FFFD}b"));
    }

    #[test]
    fn deep_nesting_is_a_type_error_not_a_stack_overflow() {
        let deep = format!("{{\"delete_policy\": {}{}}}", "[".repeat(9_999), "]".repeat(9_999));
        let e = cluster(&deep).unwrap_err();
        assert!(e.contains("cannot unmarshal array into Go struct field"), "{e}");
        let skipped = format!(
            "{{\"unknown\": {}1{}, \"binding\": \"Optional\"}}",
            "{\"a\":".repeat(5_000),
            "}".repeat(5_000)
        );
        assert_eq!(cluster(&skipped).unwrap().binding.as_deref(), Some("Optional"));
    }
}
