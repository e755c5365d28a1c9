//! Decoding a JSON object into a Go struct's fields like `encoding/json` (gin's `BindJSON`):
//! keys applied in document order, Go's key folding, number literals kept verbatim, and the
//! first type error in document order with Go's text.

use super::decode::fold_name;
use super::value::JVal;

/// The keys of object `obj` that Go decodes into field `name`, with their index: the exact name,
/// or a key equal to it under Go's folding (the struct's field names are distinct when folded).
fn occurrences<'v>(obj: &'v JVal, name: &'v str) -> impl Iterator<Item = (usize, &'v JVal)> + 'v {
    let pairs: &'v [(String, JVal)] = match obj {
        JVal::Obj(pairs) => pairs,
        _ => &[],
    };
    let folded = fold_name(name);
    pairs
        .iter()
        .enumerate()
        .filter(move |(_, (k, _))| k == name || fold_name(k) == folded)
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
