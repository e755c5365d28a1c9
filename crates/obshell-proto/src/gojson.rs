//! Just enough of Go's `encoding/json` decoding (as the agent's gin `BindJSON` runs it) to reject
//! request bodies exactly like the agent, with its messages: number literals kept verbatim, keys
//! in order, case-insensitive field matching, the first type error reported after decoding.

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

    /// Case-insensitive lookup with Go's preference: an exact match wins, otherwise the last
    /// folded match (later keys overwrite earlier ones during decoding).
    pub fn field(&self, name: &str) -> Option<&JVal> {
        let JVal::Obj(pairs) = self else { return None };
        pairs.iter().rev().find(|(k, _)| k == name).or_else(|| pairs.iter().rev().find(|(k, _)| k.eq_ignore_ascii_case(name))).map(|(_, v)| v)
    }
}

/// Parses the first JSON value of `input` like `json.Decoder.Decode` (trailing data ignored).
/// Syntax is checked by Go's scanner (`crypto::go::json`, verified against Go), so syntax errors
/// have exactly Go's text; the tree is then built from the validated value.
pub fn parse(input: &[u8]) -> Result<JVal, String> {
    let input = crate::crypto::go::json::read_first_value(input)?;
    let mut p = Parser { s: input, i: 0, depth: 0 };
    p.ws();
    if p.i >= p.s.len() {
        return Err("EOF".into());
    }
    p.value()
}

struct Parser<'a> {
    s: &'a [u8],
    i: usize,
    depth: usize,
}

fn quote_char(c: u8) -> String {
    match c {
        b'\'' => "'\\''".into(),
        b'"' => "'\"'".into(),
        0x20..=0x7e => format!("'{}'", c as char),
        b'\n' => "'\\n'".into(),
        b'\t' => "'\\t'".into(),
        b'\r' => "'\\r'".into(),
        c if c < 0x20 => format!("'\\x{c:02x}'"),
        _ => "'\\ufffd'".into(),
    }
}

impl Parser<'_> {
    fn ws(&mut self) {
        while self.i < self.s.len() && matches!(self.s[self.i], b' ' | b'\t' | b'\n' | b'\r') {
            self.i += 1;
        }
    }

    fn peek(&self) -> Result<u8, String> {
        self.s.get(self.i).copied().ok_or_else(|| "unexpected EOF".to_string())
    }

    fn value(&mut self) -> Result<JVal, String> {
        self.ws();
        let c = self.peek()?;
        match c {
            b'{' => self.object(),
            b'[' => self.array(),
            b'"' => Ok(JVal::Str(self.string()?)),
            b't' => self.literal(b"true", JVal::Bool(true)),
            b'f' => self.literal(b"false", JVal::Bool(false)),
            b'n' => self.literal(b"null", JVal::Null),
            b'-' | b'0'..=b'9' => self.number(),
            c => Err(format!("invalid character {} looking for beginning of value", quote_char(c))),
        }
    }

    fn literal(&mut self, word: &[u8], v: JVal) -> Result<JVal, String> {
        for (k, &w) in word.iter().enumerate() {
            let c = self.s.get(self.i + k).copied().ok_or_else(|| "unexpected EOF".to_string())?;
            if c != w {
                return Err(format!("invalid character {} in literal {} (expecting {})", quote_char(c), String::from_utf8_lossy(word), quote_char(w)));
            }
        }
        self.i += word.len();
        Ok(v)
    }

    fn number(&mut self) -> Result<JVal, String> {
        let start = self.i;
        let digits = |p: &mut Self| {
            let st = p.i;
            while p.i < p.s.len() && p.s[p.i].is_ascii_digit() {
                p.i += 1;
            }
            p.i - st
        };
        if self.s[self.i] == b'-' {
            self.i += 1;
        }
        let c = self.peek()?;
        if c == b'0' {
            self.i += 1;
        } else if c.is_ascii_digit() {
            digits(self);
        } else {
            return Err(format!("invalid character {} in numeric literal", quote_char(c)));
        }
        if self.s.get(self.i) == Some(&b'.') {
            self.i += 1;
            if digits(self) == 0 {
                let c = self.peek()?;
                return Err(format!("invalid character {} after decimal point in numeric literal", quote_char(c)));
            }
        }
        if matches!(self.s.get(self.i), Some(b'e' | b'E')) {
            self.i += 1;
            if matches!(self.s.get(self.i), Some(b'+' | b'-')) {
                self.i += 1;
            }
            if digits(self) == 0 {
                let c = self.peek()?;
                return Err(format!("invalid character {} in exponent of numeric literal", quote_char(c)));
            }
        }
        Ok(JVal::Num(String::from_utf8_lossy(&self.s[start..self.i]).into_owned()))
    }

    fn string(&mut self) -> Result<String, String> {
        self.i += 1; // opening quote
        let mut out: Vec<u8> = Vec::new();
        loop {
            let c = self.peek()?;
            self.i += 1;
            match c {
                b'"' => return Ok(String::from_utf8_lossy(&out).into_owned()),
                b'\\' => {
                    let e = self.peek()?;
                    self.i += 1;
                    match e {
                        b'"' | b'\\' | b'/' => out.push(e),
                        b'b' => out.push(8),
                        b'f' => out.push(12),
                        b'n' => out.push(b'\n'),
                        b'r' => out.push(b'\r'),
                        b't' => out.push(b'\t'),
                        b'u' => {
                            let mut cp = self.hex4()?;
                            if (0xD800..0xDC00).contains(&cp) && self.s.get(self.i) == Some(&b'\\') && self.s.get(self.i + 1) == Some(&b'u') {
                                let save = self.i;
                                self.i += 2;
                                let lo = self.hex4()?;
                                if (0xDC00..0xE000).contains(&lo) {
                                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                                } else {
                                    self.i = save;
                                }
                            }
                            let ch = char::from_u32(cp).unwrap_or('\u{FFFD}');
                            out.extend_from_slice(ch.encode_utf8(&mut [0; 4]).as_bytes());
                        }
                        e => return Err(format!("invalid character {} in string escape code", quote_char(e))),
                    }
                }
                c if c < 0x20 => return Err(format!("invalid character {} in string literal", quote_char(c))),
                c => out.push(c),
            }
        }
    }

    fn hex4(&mut self) -> Result<u32, String> {
        let mut v = 0;
        for _ in 0..4 {
            let c = self.peek()?;
            let d = (c as char).to_digit(16).ok_or_else(|| format!("invalid character {} in \\u hexadecimal character escape", quote_char(c)))?;
            v = v * 16 + d;
            self.i += 1;
        }
        Ok(v)
    }

    fn enter(&mut self) -> Result<(), String> {
        self.depth += 1;
        // Go's decoder limits nesting to 10000; a stack-friendly bound for us.
        if self.depth > 10_000 {
            return Err("exceeded max depth".into());
        }
        Ok(())
    }

    fn object(&mut self) -> Result<JVal, String> {
        self.enter()?;
        self.i += 1;
        let mut pairs = Vec::new();
        self.ws();
        if self.peek()? == b'}' {
            self.i += 1;
            self.depth -= 1;
            return Ok(JVal::Obj(pairs));
        }
        loop {
            self.ws();
            let c = self.peek()?;
            if c != b'"' {
                return Err(format!("invalid character {} looking for beginning of object key string", quote_char(c)));
            }
            let k = self.string()?;
            self.ws();
            let c = self.peek()?;
            if c != b':' {
                return Err(format!("invalid character {} after object key", quote_char(c)));
            }
            self.i += 1;
            let v = self.value()?;
            pairs.push((k, v));
            self.ws();
            match self.peek()? {
                b',' => self.i += 1,
                b'}' => {
                    self.i += 1;
                    self.depth -= 1;
                    return Ok(JVal::Obj(pairs));
                }
                c => return Err(format!("invalid character {} after object key:value pair", quote_char(c))),
            }
        }
    }

    fn array(&mut self) -> Result<JVal, String> {
        self.enter()?;
        self.i += 1;
        let mut items = Vec::new();
        self.ws();
        if self.peek()? == b']' {
            self.i += 1;
            self.depth -= 1;
            return Ok(JVal::Arr(items));
        }
        loop {
            items.push(self.value()?);
            self.ws();
            match self.peek()? {
                b',' => self.i += 1,
                b']' => {
                    self.i += 1;
                    self.depth -= 1;
                    return Ok(JVal::Arr(items));
                }
                c => return Err(format!("invalid character {} after array element", quote_char(c))),
            }
        }
    }
}

/// Decodes the fields of a Go struct from a JSON object, recording the first type error in Go's
/// words (`json: cannot unmarshal <kind> into Go struct field <Struct>.<path> of type <type>`).
pub struct StructDecoder<'a> {
    obj: &'a JVal,
    struct_name: &'a str,
    first_error: &'a mut Option<String>,
}

impl<'a> StructDecoder<'a> {
    pub fn new(obj: &'a JVal, struct_name: &'a str, first_error: &'a mut Option<String>) -> Self {
        StructDecoder { obj, struct_name, first_error }
    }

    fn type_error(&mut self, kind: String, path: &str, ty: &str) {
        if self.first_error.is_none() {
            *self.first_error = Some(format!("json: cannot unmarshal {kind} into Go struct field {}.{path} of type {ty}", self.struct_name));
        }
    }

    /// A `*string` (or `string`) field; `null` ≡ absent.
    pub fn string(&mut self, name: &str, path: &str) -> Option<String> {
        match self.obj.field(name)? {
            JVal::Null => None,
            JVal::Str(s) => Some(s.clone()),
            other => {
                self.type_error(other.kind(), path, "string");
                None
            }
        }
    }

    /// A `*int` field (64-bit): the literal must be an integer that fits.
    pub fn int(&mut self, name: &str, path: &str) -> Option<i64> {
        match self.obj.field(name)? {
            JVal::Null => None,
            JVal::Num(lit) => match lit.parse::<i64>() {
                Ok(v) => Some(v),
                Err(_) => {
                    self.type_error(format!("number {lit}"), path, "int");
                    None
                }
            },
            other => {
                self.type_error(other.kind(), path, "int");
                None
            }
        }
    }

    /// A `*bool` / `bool` field.
    pub fn bool(&mut self, name: &str, path: &str) -> Option<bool> {
        match self.obj.field(name)? {
            JVal::Null => None,
            JVal::Bool(b) => Some(*b),
            other => {
                self.type_error(other.kind(), path, "bool");
                None
            }
        }
    }

    /// A nested struct field: `Some(value)` when an object (or `null` → `None`).
    pub fn object(&mut self, name: &str, path: &str, go_type: &str) -> Option<&'a JVal> {
        let obj: &'a JVal = self.obj;
        match obj.field(name)? {
            JVal::Null => None,
            v @ JVal::Obj(_) => Some(v),
            other => {
                self.type_error(other.kind(), path, go_type);
                None
            }
        }
    }
}

/// Decodes a top-level value into a Go struct `go_type` (e.g. `param.DagOperator`): `null` is an
/// empty struct, a non-object is a type error.
pub fn top_level<'a>(v: &'a JVal, go_type: &str) -> Result<Option<&'a JVal>, String> {
    match v {
        JVal::Null => Ok(None),
        JVal::Obj(_) => Ok(Some(v)),
        other => Err(format!("json: cannot unmarshal {} into Go value of type {go_type}", other.kind())),
    }
}

pub(crate) fn decode_backup_config(body: &[u8], scope: Scope) -> Result<BackupConfig, String> {
    let v = parse(body)?;
    let (go_type, name) = match scope {
        Scope::Cluster => ("param.ClusterBackupConfigParam", "ClusterBackupConfigParam"),
        Scope::Tenant => ("param.TenantBackupConfigParam", "TenantBackupConfigParam"),
    };
    let Some(obj) = top_level(&v, go_type)? else { return Ok(BackupConfig::default()) };
    let mut err = None;
    let mut d = StructDecoder::new(obj, name, &mut err);
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
    c.log_archive_concurrency = d.int("log_archive_concurrency", "BaseBackupConfigParam.log_archive_concurrency");
    c.archive_lag_target = d.string("archive_lag_target", "BaseBackupConfigParam.archive_lag_target");
    c.ha_low_thread_score = d.int("ha_low_thread_score", "BaseBackupConfigParam.ha_low_thread_score");
    if let Some(p) = d.object("delete_policy", "BaseBackupConfigParam.delete_policy", "param.BackupDeletePolicy") {
        let mut perr = None;
        let mut pd = StructDecoder::new(p, "BackupDeletePolicy", &mut perr);
        let policy = DeletePolicy {
            policy: pd.string("policy", "BaseBackupConfigParam.delete_policy.policy").unwrap_or_default(),
            recovery_window: pd.string("recovery_window", "BaseBackupConfigParam.delete_policy.recovery_window").unwrap_or_default(),
        };
        if err.is_none() {
            err = perr;
        }
        c.delete_policy = Some(policy);
    }
    match err {
        Some(e) => Err(e),
        None => Ok(c),
    }
}
