//! Go's `encoding/json` scanner (`scanner.go`, Go 1.24), used the way `(*Decoder).readValue`
//! uses it: the syntax check of every body the agent decodes, with Go's error texts
//! (`invalid character 'x' looking for beginning of value`, `unexpected EOF`, `EOF`).

use crate::go::strconv::quote_char;

/// Go's `maxNestingDepth` in the scanner.
const MAX_NESTING_DEPTH: usize = 10_000;

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

pub(crate) fn is_space(c: u8) -> bool {
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
