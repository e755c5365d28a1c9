//! Go's `strconv` as the agent uses it: [`parse_int`] and [`parse_uint`] (`strconv.ParseInt` /
//! `ParseUint`, base 10, 64 bits) with their exact error texts, [`atoi`], and [`quote`] /
//! [`quote_char`] (`strconv.Quote` and `encoding/json`'s `quoteChar`, used inside error texts).

/// Why `strconv.ParseUint` failed.
enum NumErr {
    Syntax,
    Range,
}

/// `strconv.ParseUint`'s digits loop (base 10, 64 bits): a syntax error at any non-digit, but
/// overflow is reported as soon as it happens, even if invalid bytes follow (Go returns on the
/// first problem it meets).
fn parse_digits(digits: &str) -> Result<u64, NumErr> {
    if digits.is_empty() {
        return Err(NumErr::Syntax);
    }
    let mut n: u64 = 0;
    for c in digits.bytes() {
        if !c.is_ascii_digit() {
            return Err(NumErr::Syntax);
        }
        n = n
            .checked_mul(10)
            .and_then(|v| v.checked_add(u64::from(c - b'0')))
            .ok_or(NumErr::Range)?;
    }
    Ok(n)
}

/// `(*NumError).Error()`.
fn num_error(func: &str, s: &str, e: NumErr) -> String {
    let why = match e {
        NumErr::Syntax => "invalid syntax",
        NumErr::Range => "value out of range",
    };
    format!("strconv.{func}: parsing {}: {why}", quote(s))
}

/// `strconv.ParseUint(s, 10, 64)` (no sign accepted), e.g.
/// `strconv.ParseUint: parsing "-1": invalid syntax`.
pub fn parse_uint(s: &str) -> Result<u64, String> {
    parse_digits(s).map_err(|e| num_error("ParseUint", s, e))
}

/// `strconv.Atoi` of a short string, which is also the time package's `atoi`: an optional
/// sign, then decimal digits only (nothing else, not empty).
pub fn atoi(s: &[u8]) -> Option<i64> {
    let (neg, digits) = match s.first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let n = std::str::from_utf8(digits).ok()?.parse::<i64>().ok()?;
    Some(if neg { -n } else { n })
}

/// `strconv.ParseInt(s, 10, 64)`; the error is `(*NumError).Error()`, e.g.
/// `strconv.ParseInt: parsing "1767225600.5": invalid syntax`.
pub fn parse_int(s: &str) -> Result<i64, String> {
    let (neg, digits) = match s.as_bytes().first() {
        Some(b'+') => (false, &s[1..]),
        Some(b'-') => (true, &s[1..]),
        _ => (false, s),
    };
    let n = parse_digits(digits).map_err(|e| num_error("ParseInt", s, e))?;
    const CUTOFF: u64 = 1 << 63;
    if (!neg && n >= CUTOFF) || (neg && n > CUTOFF) {
        return Err(num_error("ParseInt", s, NumErr::Range));
    }
    Ok(if neg { (n as i64).wrapping_neg() } else { n as i64 })
}

/// `strconv.Quote(s)` for valid UTF-8 input.
///
/// Go decides what to escape with `strconv.IsPrint` (Unicode categories L, M, N, P, S plus the
/// ASCII space). Rust's std has no category tables, so this approximates "not printable" as:
/// control characters, whitespace other than U+0020, the format (Cf) characters, private-use
/// code points and noncharacters. Unassigned code points (Cn) are printed as-is here but escaped
/// by Go; they never occur in anything a real client sends.
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        push_escaped(&mut out, c, '"');
    }
    out.push('"');
    out
}

/// `encoding/json`'s `quoteChar(c byte)`: the character in a scanner error, e.g. `'x'`, `'\''`,
/// `'"'`, `'\n'`, `'\x01'`, `'\u0080'`, `'ÿ'` (a byte ≥ 0x80 is shown as the rune U+00XX).
pub fn quote_char(c: u8) -> String {
    if c == b'\'' {
        return r"'\''".to_string();
    }
    if c == b'"' {
        return "'\"'".to_string();
    }
    // Go: s := strconv.Quote(string(c)); return "'" + s[1:len(s)-1] + "'"
    let mut out = String::from("'");
    push_escaped(&mut out, char::from(c), '"');
    out.push('\'');
    out
}

fn push_escaped(out: &mut String, c: char, quote_char: char) {
    if c == quote_char || c == '\\' {
        out.push('\\');
        out.push(c);
        return;
    }
    if is_go_print(c) {
        out.push(c);
        return;
    }
    match c {
        '\x07' => out.push_str(r"\a"),
        '\x08' => out.push_str(r"\b"),
        '\x0c' => out.push_str(r"\f"),
        '\n' => out.push_str(r"\n"),
        '\r' => out.push_str(r"\r"),
        '\t' => out.push_str(r"\t"),
        '\x0b' => out.push_str(r"\v"),
        c if (c as u32) < 0x20 || c == '\x7f' => out.push_str(&format!(r"\x{:02x}", c as u32)),
        c if (c as u32) < 0x10000 => out.push_str(&format!(r"\u{:04x}", c as u32)),
        c => out.push_str(&format!(r"\U{:08x}", c as u32)),
    }
}

/// Approximation of Go's `strconv.IsPrint` (see [`quote`]).
fn is_go_print(c: char) -> bool {
    if c == ' ' {
        return true;
    }
    if c.is_control() || c.is_whitespace() {
        return false;
    }
    let u = c as u32;
    let format_or_private = matches!(u,
        0x00AD | 0x0600..=0x0605 | 0x061C | 0x06DD | 0x070F | 0x0890..=0x0891 | 0x08E2 | 0x180E
        | 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x2064 | 0x2066..=0x206F | 0xFEFF
        | 0xFFF9..=0xFFFB | 0x110BD | 0x110CD | 0x13430..=0x1343F | 0x1BCA0..=0x1BCA3
        | 0x1D173..=0x1D17A | 0xE0001 | 0xE0020..=0xE007F
        | 0xE000..=0xF8FF | 0xF0000..=0xFFFFD | 0x100000..=0x10FFFD | 0xFDD0..=0xFDEF);
    let nonchar = (u & 0xFFFE) == 0xFFFE;
    !(format_or_private || nonchar)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_uint_matches_go() {
        assert_eq!(parse_uint("18446744073709551615"), Ok(u64::MAX));
        assert_eq!(
            parse_uint("+2").unwrap_err(),
            r#"strconv.ParseUint: parsing "+2": invalid syntax"#
        );
        assert_eq!(
            parse_uint("-1").unwrap_err(),
            r#"strconv.ParseUint: parsing "-1": invalid syntax"#
        );
        assert_eq!(
            parse_uint("18446744073709551616").unwrap_err(),
            r#"strconv.ParseUint: parsing "18446744073709551616": value out of range"#
        );
    }

    #[test]
    fn parse_int_matches_go() {
        assert_eq!(parse_int("1767225600"), Ok(1_767_225_600));
        assert_eq!(parse_int("+5"), Ok(5));
        assert_eq!(parse_int("-9223372036854775808"), Ok(i64::MIN));
        assert_eq!(
            parse_int("1767225600.5").unwrap_err(),
            r#"strconv.ParseInt: parsing "1767225600.5": invalid syntax"#
        );
        assert_eq!(
            parse_int("").unwrap_err(),
            r#"strconv.ParseInt: parsing "": invalid syntax"#
        );
        assert_eq!(
            parse_int("-").unwrap_err(),
            r#"strconv.ParseInt: parsing "-": invalid syntax"#
        );
        assert_eq!(
            parse_int(" 1").unwrap_err(),
            r#"strconv.ParseInt: parsing " 1": invalid syntax"#
        );
        assert_eq!(
            parse_int("1_000").unwrap_err(),
            r#"strconv.ParseInt: parsing "1_000": invalid syntax"#
        );
        assert_eq!(
            parse_int("9223372036854775808").unwrap_err(),
            r#"strconv.ParseInt: parsing "9223372036854775808": value out of range"#
        );
        assert_eq!(
            parse_int("99999999999999999999x").unwrap_err(),
            r#"strconv.ParseInt: parsing "99999999999999999999x": value out of range"#
        );
        assert_eq!(
            parse_int("a\"\n").unwrap_err(),
            r#"strconv.ParseInt: parsing "a\"\n": invalid syntax"#
        );
    }

    #[test]
    fn quote_char_matches_go() {
        assert_eq!(quote_char(b'x'), "'x'");
        assert_eq!(quote_char(b'\''), r"'\''");
        assert_eq!(quote_char(b'"'), "'\"'");
        assert_eq!(quote_char(b'\\'), r"'\\'");
        assert_eq!(quote_char(b'\n'), r"'\n'");
        assert_eq!(quote_char(0x01), r"'\x01'");
        assert_eq!(quote_char(0x7f), r"'\x7f'");
        assert_eq!(quote_char(0x80), r"'\u0080'");
        assert_eq!(quote_char(0xa0), r"'\u00a0'");
        assert_eq!(quote_char(0xff), "'ÿ'");
        assert_eq!(quote("é\u{200b}"), "\"é\\u200b\"");
    }
}
