//! Reading a syntactically valid JSON value the way Go's `encoding/json/decode.go` does:
//! kinds, Go's `unquoteBytes` for strings (lone surrogates and invalid UTF-8 become U+FFFD, one
//! per bad byte), number literals verbatim, Go's key folding, and the "saved" type errors
//! (`json: cannot unmarshal number into Go struct field X.y of type string`): decoding goes on
//! after one and the first is returned.

use super::scan::{is_space, read_first_value};
use crate::go::strconv::parse_int;

/// The kind of the JSON value at the read position.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Kind {
    Object,
    Array,
    String,
    Number,
    Bool,
    Null,
}

impl Kind {
    /// `UnmarshalTypeError.Value` for each JSON kind.
    pub(crate) fn go_name(self) -> &'static str {
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
pub(crate) fn lookup<T: Copy>(fields: &[(&str, T)], key: &str) -> Option<T> {
    if let Some((_, f)) = fields.iter().find(|(name, _)| *name == key) {
        return Some(*f);
    }
    let folded = fold_name(key);
    fields
        .iter()
        .find(|(name, _)| fold_name(name) == folded)
        .map(|(_, f)| *f)
}

/// `UnmarshalTypeError.Error()` for a struct field.
pub(crate) fn type_error(value: &str, strukt: &str, field: &str, go_type: &str) -> String {
    format!("json: cannot unmarshal {value} into Go struct field {strukt}.{field} of type {go_type}")
}

/// A read position in the bytes of one valid JSON value (checked by the scanner first), and the
/// first saved error.
pub(crate) struct Decoder<'a> {
    pub(crate) b: &'a [u8],
    pub(crate) i: usize,
    /// `d.savedError`: the first type/Base64 error; decoding continues after it.
    pub(crate) saved: Option<String>,
}

impl<'a> Decoder<'a> {
    /// The first JSON value of `data` (Go's syntax error if there is none).
    pub(crate) fn first_value(data: &'a [u8]) -> Result<Self, String> {
        Ok(Decoder {
            b: read_first_value(data)?,
            i: 0,
            saved: None,
        })
    }

    pub(crate) fn save(&mut self, err: String) {
        if self.saved.is_none() {
            self.saved = Some(err);
        }
    }

    pub(crate) fn peek(&self) -> u8 {
        self.b.get(self.i).copied().unwrap_or(0)
    }

    pub(crate) fn ws(&mut self) {
        while self.i < self.b.len() && is_space(self.b[self.i]) {
            self.i += 1;
        }
    }

    pub(crate) fn kind(&self) -> Kind {
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
    pub(crate) fn skip_value(&mut self) {
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

    pub(crate) fn skip_string(&mut self) {
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

    pub(crate) fn read_number(&mut self) -> &'a str {
        let start = self.i;
        while self.i < self.b.len() && matches!(self.b[self.i], b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E') {
            self.i += 1;
        }
        // Only ASCII was consumed.
        std::str::from_utf8(&self.b[start..self.i]).unwrap_or("")
    }

    pub(crate) fn skip_literal(&mut self) {
        while self.i < self.b.len() && self.b[self.i].is_ascii_alphabetic() {
            self.i += 1;
        }
    }

    /// Go's `unquoteBytes` of the string starting at `self.i` (the opening quote).
    pub(crate) fn read_string(&mut self) -> String {
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

    /// Consumes a value of the wrong kind and saves Go's type error for it.
    pub(crate) fn mismatch(&mut self, kind: Kind, strukt: &str, field: &str, go_type: &str) {
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

    pub(crate) fn store_string(&mut self, target: &mut String, strukt: &str, field: &str) {
        match self.kind() {
            Kind::String => *target = self.read_string(),
            // null is a no-op for non-pointer, non-slice fields.
            Kind::Null => self.skip_literal(),
            kind => self.mismatch(kind, strukt, field, "string"),
        }
    }

    pub(crate) fn store_int(&mut self, target: &mut i64, strukt: &str, field: &str) {
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
}

/// Go's `getu4`: the code unit of a `\uXXXX` escape at the start of `s`.
fn getu4(s: &[u8]) -> Option<u32> {
    if s.len() < 6 || s[0] != b'\\' || s[1] != b'u' {
        return None;
    }
    let hex = std::str::from_utf8(&s[2..6]).ok()?;
    u32::from_str_radix(hex, 16).ok()
}
