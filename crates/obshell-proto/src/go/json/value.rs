//! A JSON value with the detail Go's decoder acts on (object keys in order, duplicates kept,
//! number literals as written), read with Go's scanner and string unquoting.

use super::decode::{Decoder, Kind};

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
    pub(crate) fn kind(&self) -> String {
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

/// Below this depth a tree keeps only the kind of a value (an empty array/object): the agent's
/// request structs are two levels deep, so deeper content can only ever be a type error, which
/// names the kind alone. It also keeps the recursion shallow for hostile nesting.
const TREE_DEPTH: usize = 32;

/// Parses the first JSON value of `input` like `json.Decoder.Decode` (trailing data ignored):
/// syntax checked (and errors worded) by Go's scanner, strings unquoted like Go's
/// `unquoteBytes`, numbers verbatim, object keys in document order with duplicates kept.
pub fn parse(input: &[u8]) -> Result<JVal, String> {
    let mut d = Decoder::first_value(input)?;
    Ok(tree(&mut d, 0))
}

fn tree(d: &mut Decoder<'_>, depth: usize) -> JVal {
    d.ws();
    let kind = d.kind();
    if depth >= TREE_DEPTH && matches!(kind, Kind::Object | Kind::Array) {
        d.skip_value();
        return if kind == Kind::Object {
            JVal::Obj(Vec::new())
        } else {
            JVal::Arr(Vec::new())
        };
    }
    match kind {
        Kind::Object | Kind::Array => {
            let close = if kind == Kind::Object { b'}' } else { b']' };
            d.i += 1;
            let (mut pairs, mut items) = (Vec::new(), Vec::new());
            loop {
                d.ws();
                match d.peek() {
                    c if c == close => {
                        d.i += 1;
                        break;
                    }
                    b',' => d.i += 1,
                    _ if kind == Kind::Object => {
                        let key = d.read_string();
                        d.ws();
                        d.i += 1; // ':'
                        pairs.push((key, tree(d, depth + 1)));
                    }
                    _ => items.push(tree(d, depth + 1)),
                }
            }
            if kind == Kind::Object {
                JVal::Obj(pairs)
            } else {
                JVal::Arr(items)
            }
        }
        Kind::String => JVal::Str(d.read_string()),
        Kind::Number => JVal::Num(d.read_number().to_string()),
        Kind::Bool => {
            let value = d.peek() == b't';
            d.skip_literal();
            JVal::Bool(value)
        }
        Kind::Null => {
            d.skip_literal();
            JVal::Null
        }
    }
}
