//! `encoding/json` (Go 1.24) decoding the header plaintext into the agent's `HttpHeader`.
//!
//! The agent runs `json.NewDecoder(bytes.NewReader(data)).UseNumber().Decode(&v)`
//! (`ob/agent/lib/json/json.go`) into
//!
//! ```go
//! type HttpHeader struct {
//!     SessionID string `json:"session_id"`; Auth, Ts, Token string; SSOToken string `json:"ssotoken"`
//!     Uri string; Keys []byte; Sha256 string; ForwardType int; ForwardAgent meta.AgentInfo // {ip, port}
//! }
//! ```
//!
//! What that implies, and what this port reproduces:
//! 1. The first JSON value is scanned with Go's state machine; a syntax error wins over any type
//!    error and has Go's text (`invalid character 'x' looking for beginning of value`,
//!    `unexpected EOF`, `EOF` for empty input). Bytes after the first value are never read.
//! 2. Keys match fields exactly first, then case-insensitively (Go folds `K`/`k`/U+212A and
//!    `S`/`s`/U+017F together). Fields are assigned in document order, so the last occurrence
//!    wins, except that `null` leaves a string/int field untouched (it only clears `Keys`).
//!    Unknown keys are skipped.
//! 3. Wrong JSON types are "saved" errors: decoding continues, and the first one is returned,
//!    e.g. `json: cannot unmarshal number into Go struct field HttpHeader.Ts of type string`.
//! 4. `Keys` (`[]byte`) is a standard padded Base64 string (CR/LF skipped); a bad one yields the
//!    raw `illegal base64 data at input byte N`. A JSON array of small integers also works.
//! 5. Strings: escapes as JSON, lone surrogates and invalid UTF-8 bytes become U+FFFD (one per
//!    bad byte, as Go's `utf8.DecodeRune` reports).
//! 6. A top-level `null` decodes to an all-empty header without error; any other non-object is
//!    `json: cannot unmarshal <kind> into Go value of type secure.HttpHeader`.
//!
//! Known simplification: when an array is decoded into a `Keys` that already held bytes, Go
//! reuses the old backing array, so a `null` element keeps a stale byte; here a `null` element
//! keeps the previous byte at that index if there was one, else 0 (Go may expose stale capacity).

use super::{corrupt_input_error, parse_int, quote_char, std_base64_decode};
use crate::crypto::agent::{ForwardAgent, HttpHeader};
use crate::crypto::Secret;

/// Go's `maxNestingDepth` in the scanner.
const MAX_NESTING_DEPTH: usize = 10_000;

/// Decodes `data` exactly as the agent does; the error is the Go error text.
pub fn decode_http_header(data: &[u8]) -> Result<HttpHeader, String> {
    let value = read_first_value(data)?;
    let mut dec = Decoder {
        b: value,
        i: 0,
        saved: None,
    };
    let mut header = HttpHeader::default();
    dec.ws();
    match dec.kind() {
        Kind::Object => dec.header_object(&mut header),
        Kind::Null => {}
        other => {
            return Err(format!(
                "json: cannot unmarshal {} into Go value of type secure.HttpHeader",
                other.go_name()
            ));
        }
    }
    if let Some(err) = dec.saved {
        return Err(err);
    }
    Ok(header)
}

// ---------------------------------------------------------------------------------------------
// Scanner: a port of encoding/json/scanner.go, used the way (*Decoder).readValue uses it.

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Step {
    BeginValueOrEmpty,
    BeginValue,
    BeginStringOrEmpty,
    BeginString,
    EndValue,
    EndTop,
    InString,
    InStringEsc,
    InStringEscU,
    InStringEscU1,
    InStringEscU12,
    InStringEscU123,
    Neg,
    One,
    Zero,
    Dot,
    Dot0,
    E,
    ESign,
    E0,
    T,
    Tr,
    Tru,
    F,
    Fa,
    Fal,
    Fals,
    N,
    Nu,
    Nul,
    Error,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Op {
    Continue,
    BeginLiteral,
    BeginObject,
    ObjectKey,
    ObjectValue,
    EndObject,
    BeginArray,
    ArrayValue,
    EndArray,
    SkipSpace,
    End,
    Error,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Parse {
    ObjectKey,
    ObjectValue,
    ArrayValue,
}

fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\r' | b'\n')
}

struct Scanner {
    step: Step,
    parse: Vec<Parse>,
    err: Option<String>,
}

impl Scanner {
    fn new() -> Self {
        Scanner {
            step: Step::BeginValue,
            parse: Vec::new(),
            err: None,
        }
    }

    fn error(&mut self, c: u8, context: &str) -> Op {
        self.step = Step::Error;
        self.err = Some(format!("invalid character {} {}", quote_char(c), context));
        Op::Error
    }

    fn push(&mut self, c: u8, p: Parse, success: Op) -> Op {
        self.parse.push(p);
        if self.parse.len() <= MAX_NESTING_DEPTH {
            success
        } else {
            self.error(c, "exceeded max depth")
        }
    }

    fn pop(&mut self) {
        self.parse.pop();
        self.step = if self.parse.is_empty() {
            Step::EndTop
        } else {
            Step::EndValue
        };
    }

    fn step(&mut self, c: u8) -> Op {
        use Step::*;
        match self.step {
            BeginValueOrEmpty => {
                if is_space(c) {
                    Op::SkipSpace
                } else if c == b']' {
                    self.end_value(c)
                } else {
                    self.begin_value(c)
                }
            }
            BeginValue => self.begin_value(c),
            BeginStringOrEmpty => {
                if is_space(c) {
                    return Op::SkipSpace;
                }
                if c == b'}' {
                    if let Some(last) = self.parse.last_mut() {
                        *last = Parse::ObjectValue;
                    }
                    return self.end_value(c);
                }
                self.begin_string(c)
            }
            BeginString => self.begin_string(c),
            EndValue => self.end_value(c),
            EndTop => self.end_top(c),
            InString => {
                if c == b'"' {
                    self.step = EndValue;
                    Op::Continue
                } else if c == b'\\' {
                    self.step = InStringEsc;
                    Op::Continue
                } else if c < 0x20 {
                    self.error(c, "in string literal")
                } else {
                    Op::Continue
                }
            }
            InStringEsc => match c {
                b'b' | b'f' | b'n' | b'r' | b't' | b'\\' | b'/' | b'"' => {
                    self.step = InString;
                    Op::Continue
                }
                b'u' => {
                    self.step = InStringEscU;
                    Op::Continue
                }
                _ => self.error(c, "in string escape code"),
            },
            InStringEscU | InStringEscU1 | InStringEscU12 | InStringEscU123 => {
                if c.is_ascii_hexdigit() {
                    self.step = match self.step {
                        InStringEscU => InStringEscU1,
                        InStringEscU1 => InStringEscU12,
                        InStringEscU12 => InStringEscU123,
                        _ => InString,
                    };
                    Op::Continue
                } else {
                    self.error(c, "in \\u hexadecimal character escape")
                }
            }
            Neg => {
                if c == b'0' {
                    self.step = Zero;
                    Op::Continue
                } else if (b'1'..=b'9').contains(&c) {
                    self.step = One;
                    Op::Continue
                } else {
                    self.error(c, "in numeric literal")
                }
            }
            One => {
                if c.is_ascii_digit() {
                    Op::Continue
                } else {
                    self.state0(c)
                }
            }
            Zero => self.state0(c),
            Dot => {
                if c.is_ascii_digit() {
                    self.step = Dot0;
                    Op::Continue
                } else {
                    self.error(c, "after decimal point in numeric literal")
                }
            }
            Dot0 => {
                if c.is_ascii_digit() {
                    Op::Continue
                } else if c == b'e' || c == b'E' {
                    self.step = E;
                    Op::Continue
                } else {
                    self.end_value(c)
                }
            }
            E => {
                if c == b'+' || c == b'-' {
                    self.step = ESign;
                    Op::Continue
                } else {
                    self.e_sign(c)
                }
            }
            ESign => self.e_sign(c),
            E0 => {
                if c.is_ascii_digit() {
                    Op::Continue
                } else {
                    self.end_value(c)
                }
            }
            T => self.literal(c, b'r', Tr, "in literal true (expecting 'r')"),
            Tr => self.literal(c, b'u', Tru, "in literal true (expecting 'u')"),
            Tru => self.literal(c, b'e', EndValue, "in literal true (expecting 'e')"),
            F => self.literal(c, b'a', Fa, "in literal false (expecting 'a')"),
            Fa => self.literal(c, b'l', Fal, "in literal false (expecting 'l')"),
            Fal => self.literal(c, b's', Fals, "in literal false (expecting 's')"),
            Fals => self.literal(c, b'e', EndValue, "in literal false (expecting 'e')"),
            N => self.literal(c, b'u', Nu, "in literal null (expecting 'u')"),
            Nu => self.literal(c, b'l', Nul, "in literal null (expecting 'l')"),
            Nul => self.literal(c, b'l', EndValue, "in literal null (expecting 'l')"),
            Error => Op::Error,
        }
    }

    fn literal(&mut self, c: u8, want: u8, next: Step, context: &str) -> Op {
        if c == want {
            self.step = next;
            Op::Continue
        } else {
            self.error(c, context)
        }
    }

    fn begin_value(&mut self, c: u8) -> Op {
        if is_space(c) {
            return Op::SkipSpace;
        }
        let (next, op) = match c {
            b'{' => {
                self.step = Step::BeginStringOrEmpty;
                return self.push(c, Parse::ObjectKey, Op::BeginObject);
            }
            b'[' => {
                self.step = Step::BeginValueOrEmpty;
                return self.push(c, Parse::ArrayValue, Op::BeginArray);
            }
            b'"' => (Step::InString, Op::BeginLiteral),
            b'-' => (Step::Neg, Op::BeginLiteral),
            b'0' => (Step::Zero, Op::BeginLiteral),
            b't' => (Step::T, Op::BeginLiteral),
            b'f' => (Step::F, Op::BeginLiteral),
            b'n' => (Step::N, Op::BeginLiteral),
            b'1'..=b'9' => (Step::One, Op::BeginLiteral),
            _ => return self.error(c, "looking for beginning of value"),
        };
        self.step = next;
        op
    }

    fn begin_string(&mut self, c: u8) -> Op {
        if is_space(c) {
            return Op::SkipSpace;
        }
        if c == b'"' {
            self.step = Step::InString;
            return Op::BeginLiteral;
        }
        self.error(c, "looking for beginning of object key string")
    }

    fn state0(&mut self, c: u8) -> Op {
        if c == b'.' {
            self.step = Step::Dot;
            Op::Continue
        } else if c == b'e' || c == b'E' {
            self.step = Step::E;
            Op::Continue
        } else {
            self.end_value(c)
        }
    }

    fn e_sign(&mut self, c: u8) -> Op {
        if c.is_ascii_digit() {
            self.step = Step::E0;
            Op::Continue
        } else {
            self.error(c, "in exponent of numeric literal")
        }
    }

    fn end_value(&mut self, c: u8) -> Op {
        let Some(&ps) = self.parse.last() else {
            // Completed top-level before the current byte.
            self.step = Step::EndTop;
            return self.end_top(c);
        };
        if is_space(c) {
            self.step = Step::EndValue;
            return Op::SkipSpace;
        }
        let n = self.parse.len();
        match ps {
            Parse::ObjectKey => {
                if c == b':' {
                    self.parse[n - 1] = Parse::ObjectValue;
                    self.step = Step::BeginValue;
                    return Op::ObjectKey;
                }
                self.error(c, "after object key")
            }
            Parse::ObjectValue => {
                if c == b',' {
                    self.parse[n - 1] = Parse::ObjectKey;
                    self.step = Step::BeginString;
                    return Op::ObjectValue;
                }
                if c == b'}' {
                    self.pop();
                    return Op::EndObject;
                }
                self.error(c, "after object key:value pair")
            }
            Parse::ArrayValue => {
                if c == b',' {
                    self.step = Step::BeginValue;
                    return Op::ArrayValue;
                }
                if c == b']' {
                    self.pop();
                    return Op::EndArray;
                }
                self.error(c, "after array element")
            }
        }
    }

    fn end_top(&mut self, c: u8) -> Op {
        if !is_space(c) {
            // Go records the complaint for a later call but still reports the end; the Decoder
            // stops here, so trailing bytes are ignored.
            self.error(c, "after top-level value");
        }
        Op::End
    }
}

/// `(*Decoder).readValue` over a complete in-memory input: the bytes of the first JSON value,
/// or Go's syntax error for it. Every body the simulator decodes goes through this scanner.
pub fn read_first_value(data: &[u8]) -> Result<&[u8], String> {
    let mut s = Scanner::new();
    for (i, &c) in data.iter().enumerate() {
        match s.step(c) {
            Op::End => return Ok(&data[..i]),
            Op::EndObject | Op::EndArray if s.parse.is_empty() => return Ok(&data[..=i]),
            Op::Error => return Err(s.err.take().unwrap_or_default()),
            _ => {}
        }
    }
    if s.step(b' ') == Op::End {
        return Ok(data);
    }
    if data.iter().any(|&c| !is_space(c)) {
        Err("unexpected EOF".to_string())
    } else {
        Err("EOF".to_string())
    }
}

// ---------------------------------------------------------------------------------------------
// Decoding a syntactically valid value into HttpHeader (encoding/json/decode.go semantics).

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    Object,
    Array,
    String,
    Number,
    Bool,
    Null,
}

impl Kind {
    /// `UnmarshalTypeError.Value` for each JSON kind.
    fn go_name(self) -> &'static str {
        match self {
            Kind::Object => "object",
            Kind::Array => "array",
            Kind::String => "string",
            Kind::Number => "number",
            Kind::Bool => "bool",
            Kind::Null => "null",
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Field {
    SessionId,
    Auth,
    Ts,
    Token,
    SsoToken,
    Uri,
    Keys,
    Sha256,
    ForwardType,
    ForwardAgent,
}

/// JSON names in declaration order (a tag name when the Go field has one).
const HEADER_FIELDS: [(&str, Field); 10] = [
    ("session_id", Field::SessionId),
    ("Auth", Field::Auth),
    ("Ts", Field::Ts),
    ("Token", Field::Token),
    ("ssotoken", Field::SsoToken),
    ("Uri", Field::Uri),
    ("Keys", Field::Keys),
    ("Sha256", Field::Sha256),
    ("ForwardType", Field::ForwardType),
    ("ForwardAgent", Field::ForwardAgent),
];

/// Go's `foldName`: ASCII upper-cased; U+212A KELVIN SIGN folds to `K` and U+017F LONG S to `S`
/// (the only non-ASCII runes whose simple-fold orbit contains an ASCII letter). Other runes stay
/// as they are and so can never match an (ASCII) field name.
pub(crate) fn fold_name(key: &str) -> String {
    key.chars()
        .map(|c| match c {
            'a'..='z' => c.to_ascii_uppercase(),
            '\u{212A}' => 'K',
            '\u{017F}' => 'S',
            c => c,
        })
        .collect()
}

/// Exact name first, then the folded name (`byExactName`, then `byFoldedName`).
fn lookup<T: Copy>(fields: &[(&str, T)], key: &str) -> Option<T> {
    if let Some((_, f)) = fields.iter().find(|(name, _)| *name == key) {
        return Some(*f);
    }
    let folded = fold_name(key);
    fields
        .iter()
        .find(|(name, _)| fold_name(name) == folded)
        .map(|(_, f)| *f)
}

fn type_error(value: &str, strukt: &str, field: &str, go_type: &str) -> String {
    format!("json: cannot unmarshal {value} into Go struct field {strukt}.{field} of type {go_type}")
}

struct Decoder<'a> {
    b: &'a [u8],
    i: usize,
    /// `d.savedError`: the first type/Base64 error; decoding continues after it.
    saved: Option<String>,
}

impl<'a> Decoder<'a> {
    fn save(&mut self, err: String) {
        if self.saved.is_none() {
            self.saved = Some(err);
        }
    }

    fn peek(&self) -> u8 {
        self.b.get(self.i).copied().unwrap_or(0)
    }

    fn ws(&mut self) {
        while self.i < self.b.len() && is_space(self.b[self.i]) {
            self.i += 1;
        }
    }

    fn kind(&self) -> Kind {
        match self.peek() {
            b'{' => Kind::Object,
            b'[' => Kind::Array,
            b'"' => Kind::String,
            b't' | b'f' => Kind::Bool,
            b'n' => Kind::Null,
            _ => Kind::Number,
        }
    }

    /// Consumes any value. The input is already validated, so only strings need care.
    fn skip_value(&mut self) {
        let mut depth = 0usize;
        loop {
            self.ws();
            match self.peek() {
                0 if self.i >= self.b.len() => return,
                b'{' | b'[' => {
                    depth += 1;
                    self.i += 1;
                }
                b'}' | b']' => {
                    depth = depth.saturating_sub(1);
                    self.i += 1;
                    if depth == 0 {
                        return;
                    }
                }
                b',' | b':' => self.i += 1,
                b'"' => {
                    self.skip_string();
                    if depth == 0 {
                        return;
                    }
                }
                _ => {
                    // true/false/null/number: up to the next delimiter.
                    while self.i < self.b.len()
                        && !matches!(self.b[self.i], b',' | b'}' | b']' | b' ' | b'\t' | b'\r' | b'\n')
                    {
                        self.i += 1;
                    }
                    if depth == 0 {
                        return;
                    }
                }
            }
        }
    }

    fn skip_string(&mut self) {
        self.i += 1;
        while self.i < self.b.len() {
            match self.b[self.i] {
                b'\\' => self.i += 2,
                b'"' => {
                    self.i += 1;
                    return;
                }
                _ => self.i += 1,
            }
        }
    }

    fn read_number(&mut self) -> &'a str {
        let start = self.i;
        while self.i < self.b.len() && matches!(self.b[self.i], b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E') {
            self.i += 1;
        }
        // Only ASCII was consumed.
        std::str::from_utf8(&self.b[start..self.i]).unwrap_or("")
    }

    fn skip_literal(&mut self) {
        while self.i < self.b.len() && self.b[self.i].is_ascii_alphabetic() {
            self.i += 1;
        }
    }

    /// Go's `unquoteBytes` of the string starting at `self.i` (the opening quote).
    fn read_string(&mut self) -> String {
        let b = self.b;
        let mut i = self.i + 1;
        let mut out = String::new();
        while i < b.len() {
            let c = b[i];
            match c {
                b'"' => {
                    i += 1;
                    break;
                }
                b'\\' => {
                    let e = b.get(i + 1).copied().unwrap_or(0);
                    match e {
                        b'"' | b'\\' | b'/' | b'\'' => out.push(char::from(e)),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
                        b'u' => {
                            let rr = getu4(&b[i..]).unwrap_or(0xFFFD);
                            i += 6;
                            if (0xD800..0xE000).contains(&rr) {
                                let rr1 = getu4(&b[i..]);
                                if let Some(rr1) =
                                    rr1.filter(|r1| (0xD800..0xDC00).contains(&rr) && (0xDC00..0xE000).contains(r1))
                                {
                                    let combined = 0x10000 + ((rr - 0xD800) << 10) + (rr1 - 0xDC00);
                                    out.push(char::from_u32(combined).unwrap_or('\u{FFFD}'));
                                    i += 6;
                                } else {
                                    out.push('\u{FFFD}');
                                }
                            } else {
                                out.push(char::from_u32(rr).unwrap_or('\u{FFFD}'));
                            }
                            continue;
                        }
                        _ => {}
                    }
                    i += 2;
                }
                0..=0x7f => {
                    out.push(char::from(c));
                    i += 1;
                }
                _ => {
                    // utf8.DecodeRune: a valid sequence, or RuneError consuming exactly one byte.
                    let width = match c {
                        0xC2..=0xDF => 2,
                        0xE0..=0xEF => 3,
                        0xF0..=0xF4 => 4,
                        _ => 0,
                    };
                    match b.get(i..i + width).and_then(|s| std::str::from_utf8(s).ok()) {
                        Some(s) if width > 0 => {
                            out.push_str(s);
                            i += width;
                        }
                        _ => {
                            out.push('\u{FFFD}');
                            i += 1;
                        }
                    }
                }
            }
        }
        self.i = i;
        out
    }

    fn header_object(&mut self, h: &mut HttpHeader) {
        self.i += 1; // '{'
        self.ws();
        if self.peek() == b'}' {
            self.i += 1;
            return;
        }
        while self.i < self.b.len() {
            self.ws();
            let key = self.read_string();
            self.ws();
            self.i += 1; // ':'
            self.ws();
            match lookup(&HEADER_FIELDS, &key) {
                None => self.skip_value(),
                Some(field) => self.header_field(field, h),
            }
            self.ws();
            let sep = self.peek();
            self.i += 1;
            if sep != b',' {
                return; // '}'
            }
        }
    }

    fn header_field(&mut self, field: Field, h: &mut HttpHeader) {
        const S: &str = "HttpHeader";
        match field {
            Field::SessionId => self.store_string(&mut h.session_id, S, "session_id"),
            Field::Auth => {
                let mut auth = std::mem::take(&mut h.auth).expose().to_string();
                self.store_string(&mut auth, S, "Auth");
                h.auth = Secret::new(auth);
            }
            Field::Ts => self.store_string(&mut h.ts, S, "Ts"),
            Field::Token => self.store_string(&mut h.token, S, "Token"),
            Field::SsoToken => self.store_string(&mut h.sso_token, S, "ssotoken"),
            Field::Uri => self.store_string(&mut h.uri, S, "Uri"),
            Field::Sha256 => self.store_string(&mut h.sha256, S, "Sha256"),
            Field::ForwardType => self.store_int(&mut h.forward_type, S, "ForwardType"),
            Field::Keys => self.store_keys(&mut h.keys),
            Field::ForwardAgent => self.store_agent_info(&mut h.forward_agent),
        }
    }

    /// Consumes a value of the wrong kind and saves Go's type error for it.
    fn mismatch(&mut self, kind: Kind, strukt: &str, field: &str, go_type: &str) {
        match kind {
            Kind::Object | Kind::Array => self.skip_value(),
            Kind::String => self.skip_string(),
            Kind::Number => {
                self.read_number();
            }
            Kind::Bool | Kind::Null => self.skip_literal(),
        }
        self.save(type_error(kind.go_name(), strukt, field, go_type));
    }

    fn store_string(&mut self, target: &mut String, strukt: &str, field: &str) {
        match self.kind() {
            Kind::String => *target = self.read_string(),
            // null is a no-op for non-pointer, non-slice fields.
            Kind::Null => self.skip_literal(),
            kind => self.mismatch(kind, strukt, field, "string"),
        }
    }

    fn store_int(&mut self, target: &mut i64, strukt: &str, field: &str) {
        match self.kind() {
            Kind::Number => {
                let s = self.read_number();
                match parse_int(s) {
                    Ok(n) => *target = n,
                    Err(_) => self.save(type_error(&format!("number {s}"), strukt, field, "int")),
                }
            }
            Kind::Null => self.skip_literal(),
            kind => self.mismatch(kind, strukt, field, "int"),
        }
    }

    fn store_keys(&mut self, target: &mut Option<Vec<u8>>) {
        match self.kind() {
            Kind::String => {
                let s = self.read_string();
                let (bytes, err) = std_base64_decode(s.as_bytes());
                match err {
                    // Saved as is: a Base64 error carries no struct/field context.
                    Some(offset) => self.save(corrupt_input_error(offset)),
                    None => *target = Some(bytes),
                }
            }
            Kind::Null => {
                self.skip_literal();
                *target = None;
            }
            Kind::Array => {
                let old = target.take().unwrap_or_default();
                let mut out = Vec::new();
                self.i += 1; // '['
                self.ws();
                if self.peek() == b']' {
                    self.i += 1;
                } else {
                    while self.i < self.b.len() {
                        self.ws();
                        let base = old.get(out.len()).copied().unwrap_or(0);
                        let byte = self.store_uint8(base);
                        out.push(byte);
                        self.ws();
                        let sep = self.peek();
                        self.i += 1;
                        if sep != b',' {
                            break; // ']'
                        }
                    }
                }
                *target = Some(out);
            }
            kind => self.mismatch(kind, "HttpHeader", "Keys", "[]uint8"),
        }
    }

    /// One element of `Keys` given as a JSON array (`uint8`, `strconv.ParseUint` + overflow check).
    fn store_uint8(&mut self, base: u8) -> u8 {
        match self.kind() {
            Kind::Number => {
                let s = self.read_number();
                match s.parse::<u8>() {
                    Ok(v) if s.bytes().all(|c| c.is_ascii_digit()) => v,
                    _ => {
                        self.save(type_error(&format!("number {s}"), "HttpHeader", "Keys", "uint8"));
                        base
                    }
                }
            }
            Kind::Null => {
                self.skip_literal();
                base
            }
            kind => {
                self.mismatch(kind, "HttpHeader", "Keys", "uint8");
                base
            }
        }
    }

    fn store_agent_info(&mut self, target: &mut ForwardAgent) {
        #[derive(Clone, Copy)]
        enum AgentField {
            Ip,
            Port,
        }
        const FIELDS: [(&str, AgentField); 2] = [("ip", AgentField::Ip), ("port", AgentField::Port)];
        match self.kind() {
            Kind::Object => {
                self.i += 1;
                self.ws();
                if self.peek() == b'}' {
                    self.i += 1;
                    return;
                }
                while self.i < self.b.len() {
                    self.ws();
                    let key = self.read_string();
                    self.ws();
                    self.i += 1; // ':'
                    self.ws();
                    match lookup(&FIELDS, &key) {
                        None => self.skip_value(),
                        Some(AgentField::Ip) => self.store_string(&mut target.ip, "AgentInfo", "ForwardAgent.ip"),
                        Some(AgentField::Port) => self.store_int(&mut target.port, "AgentInfo", "ForwardAgent.port"),
                    }
                    self.ws();
                    let sep = self.peek();
                    self.i += 1;
                    if sep != b',' {
                        return;
                    }
                }
            }
            Kind::Null => self.skip_literal(),
            kind => self.mismatch(kind, "HttpHeader", "ForwardAgent", "meta.AgentInfo"),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The first value as a tree, for decoding request bodies into other Go structs (`crate::gojson`).

/// Below this depth a tree keeps only the kind of a value (an empty array/object): the agent's
/// request structs are two levels deep, so deeper content can only ever be a type error, which
/// names the kind alone. It also keeps the recursion shallow for hostile nesting.
const TREE_DEPTH: usize = 32;

/// The first JSON value of `data` as a tree: syntax checked (and errors worded) by Go's scanner,
/// strings unquoted like Go's `unquoteBytes`, numbers verbatim, object keys in document order
/// with duplicates kept.
pub fn parse_tree(data: &[u8]) -> Result<crate::gojson::JVal, String> {
    let value = read_first_value(data)?;
    let mut dec = Decoder {
        b: value,
        i: 0,
        saved: None,
    };
    Ok(dec.tree(0))
}

impl Decoder<'_> {
    fn tree(&mut self, depth: usize) -> crate::gojson::JVal {
        use crate::gojson::JVal;
        self.ws();
        let kind = self.kind();
        if depth >= TREE_DEPTH && matches!(kind, Kind::Object | Kind::Array) {
            self.skip_value();
            return if kind == Kind::Object {
                JVal::Obj(Vec::new())
            } else {
                JVal::Arr(Vec::new())
            };
        }
        match kind {
            Kind::Object | Kind::Array => {
                let close = if kind == Kind::Object { b'}' } else { b']' };
                self.i += 1;
                let (mut pairs, mut items) = (Vec::new(), Vec::new());
                loop {
                    self.ws();
                    match self.peek() {
                        c if c == close => {
                            self.i += 1;
                            break;
                        }
                        b',' => self.i += 1,
                        _ if kind == Kind::Object => {
                            let key = self.read_string();
                            self.ws();
                            self.i += 1; // ':'
                            pairs.push((key, self.tree(depth + 1)));
                        }
                        _ => items.push(self.tree(depth + 1)),
                    }
                }
                if kind == Kind::Object {
                    JVal::Obj(pairs)
                } else {
                    JVal::Arr(items)
                }
            }
            Kind::String => JVal::Str(self.read_string()),
            Kind::Number => JVal::Num(self.read_number().to_string()),
            Kind::Bool => {
                let value = self.peek() == b't';
                self.skip_literal();
                JVal::Bool(value)
            }
            Kind::Null => {
                self.skip_literal();
                JVal::Null
            }
        }
    }
}

/// Go's `getu4`: the code unit of a `\uXXXX` escape at the start of `s`.
fn getu4(s: &[u8]) -> Option<u32> {
    if s.len() < 6 || s[0] != b'\\' || s[1] != b'u' {
        return None;
    }
    let hex = std::str::from_utf8(&s[2..6]).ok()?;
    u32::from_str_radix(hex, 16).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(s: &str) -> Result<HttpHeader, String> {
        decode_http_header(s.as_bytes())
    }

    #[test]
    fn syntax_errors_have_go_text() {
        assert_eq!(dec("").unwrap_err(), "EOF");
        assert_eq!(dec("  \n").unwrap_err(), "EOF");
        assert_eq!(dec("{\"Auth\":").unwrap_err(), "unexpected EOF");
        assert_eq!(
            dec("x").unwrap_err(),
            "invalid character 'x' looking for beginning of value"
        );
        assert_eq!(dec("{\"a\" 1}").unwrap_err(), "invalid character '1' after object key");
        assert_eq!(
            dec("{\"a\":1 2}").unwrap_err(),
            "invalid character '2' after object key:value pair"
        );
        assert_eq!(
            dec("{a:1}").unwrap_err(),
            "invalid character 'a' looking for beginning of object key string"
        );
        assert_eq!(
            dec("{\"a\":\"\n\"}").unwrap_err(),
            "invalid character '\\n' in string literal"
        );
        assert_eq!(
            dec("{\"a\":\"\\x\"}").unwrap_err(),
            "invalid character 'x' in string escape code"
        );
        assert_eq!(
            dec("{\"a\":tru}").unwrap_err(),
            "invalid character '}' in literal true (expecting 'e')"
        );
        assert_eq!(
            dec("{\"a\":-}").unwrap_err(),
            "invalid character '}' in numeric literal"
        );
        assert_eq!(
            dec("{\"a\":[1 2]}").unwrap_err(),
            "invalid character '2' after array element"
        );
        assert_eq!(
            dec("{\"a\":1.}").unwrap_err(),
            "invalid character '}' after decimal point in numeric literal"
        );
        // A syntax error wins over an earlier type error.
        assert_eq!(
            dec("{\"Ts\":1,}").unwrap_err(),
            "invalid character '}' looking for beginning of object key string"
        );
        let deep = "[".repeat(10_001);
        assert_eq!(dec(&deep).unwrap_err(), "invalid character '[' exceeded max depth");
    }

    #[test]
    fn trailing_bytes_after_first_value_are_ignored() {
        let h = dec("{\"Auth\":\"a\"} garbage").unwrap();
        assert_eq!(h.auth.expose(), "a");
        let h = dec("null x").unwrap();
        assert_eq!(h, HttpHeader::default());
    }

    #[test]
    fn type_errors_have_go_text_and_first_wins() {
        assert_eq!(
            dec(r#"{"Ts":1767225600}"#).unwrap_err(),
            "json: cannot unmarshal number into Go struct field HttpHeader.Ts of type string"
        );
        assert_eq!(
            dec(r#"{"ForwardType":"1","Ts":1}"#).unwrap_err(),
            "json: cannot unmarshal string into Go struct field HttpHeader.ForwardType of type int"
        );
        assert_eq!(
            dec(r#"{"ForwardType":1.5}"#).unwrap_err(),
            "json: cannot unmarshal number 1.5 into Go struct field HttpHeader.ForwardType of type int"
        );
        assert_eq!(
            dec(r#"{"ForwardAgent":{"port":"x"}}"#).unwrap_err(),
            "json: cannot unmarshal string into Go struct field AgentInfo.ForwardAgent.port of type int"
        );
        assert_eq!(
            dec(r#"{"ForwardAgent":[]}"#).unwrap_err(),
            "json: cannot unmarshal array into Go struct field HttpHeader.ForwardAgent of type meta.AgentInfo"
        );
        assert_eq!(
            dec(r#"{"Keys":5}"#).unwrap_err(),
            "json: cannot unmarshal number into Go struct field HttpHeader.Keys of type []uint8"
        );
        assert_eq!(
            dec(r#"{"Keys":[256]}"#).unwrap_err(),
            "json: cannot unmarshal number 256 into Go struct field HttpHeader.Keys of type uint8"
        );
        assert_eq!(
            dec(r#"{"Auth":true}"#).unwrap_err(),
            "json: cannot unmarshal bool into Go struct field HttpHeader.Auth of type string"
        );
        assert_eq!(
            dec(r#"{"Uri":{}}"#).unwrap_err(),
            "json: cannot unmarshal object into Go struct field HttpHeader.Uri of type string"
        );
        assert_eq!(
            dec(r#""x""#).unwrap_err(),
            "json: cannot unmarshal string into Go value of type secure.HttpHeader"
        );
        assert_eq!(
            dec("[1]").unwrap_err(),
            "json: cannot unmarshal array into Go value of type secure.HttpHeader"
        );
        assert_eq!(
            dec("7").unwrap_err(),
            "json: cannot unmarshal number into Go value of type secure.HttpHeader"
        );
    }

    #[test]
    fn keys_base64_like_go() {
        assert_eq!(dec(r#"{"Keys":"AAEC"}"#).unwrap().keys, Some(vec![0, 1, 2]));
        assert_eq!(
            dec(r#"{"Keys":"AAE"}"#).unwrap_err(),
            "illegal base64 data at input byte 0"
        );
        assert_eq!(
            dec(r#"{"Keys":"AAECAw"}"#).unwrap_err(),
            "illegal base64 data at input byte 4"
        );
        assert_eq!(
            dec(r#"{"Keys":"AA-_"}"#).unwrap_err(),
            "illegal base64 data at input byte 2"
        );
        assert_eq!(
            dec(r#"{"Keys":[1,2,null,255]}"#).unwrap().keys,
            Some(vec![1, 2, 0, 255])
        );
        assert_eq!(dec(r#"{"Keys":"AAEC","Keys":null}"#).unwrap().keys, None);
    }

    #[test]
    fn field_matching_like_go() {
        let h =
            dec(r#"{"auth":"a","TS":"1","uri":"/u","SESSION_ID":"s","SsoToken":"t","unknown":[1,{"x":"}"}]}"#).unwrap();
        assert_eq!((h.auth.expose(), h.ts.as_str(), h.uri.as_str()), ("a", "1", "/u"));
        assert_eq!((h.session_id.as_str(), h.sso_token.as_str()), ("s", "t"));
        // Last occurrence wins across spellings; null does not overwrite a string.
        let h = dec(r#"{"Auth":"b","auth":"a","Uri":"/x","uri":null}"#).unwrap();
        assert_eq!((h.auth.expose(), h.uri.as_str()), ("a", "/x"));
        // Kelvin sign and long s fold to K and S.
        let h = dec("{\"\u{212A}eys\":\"AAEC\",\"\u{017F}e\u{017F}\u{017F}ion_id\":\"z\"}").unwrap();
        assert_eq!((h.keys, h.session_id.as_str()), (Some(vec![0, 1, 2]), "z"));
    }

    #[test]
    fn strings_unquote_like_go() {
        let h = decode_http_header(b"{\"Auth\":\"\\u00e9\\ud83d\\ude00\\ud800x\\/\xff\xe2\x82\"}").unwrap();
        assert_eq!(h.auth.expose(), "é😀\u{FFFD}x/\u{FFFD}\u{FFFD}\u{FFFD}");
    }
}
