//! Go's `time.Parse(time.RFC3339, value)` as gin binds a `*time.Time` query field: the general
//! layout parser, which accepts a little more than strict RFC 3339 (a one-digit hour, a comma
//! before the fraction, more than nine fraction digits) and refuses the rest with Go's exact
//! `*time.ParseError` texts, e.g. `parsing time "2024-01-01" as "2006-01-02T15:04:05Z07:00":
//! cannot parse "" as "T"`.

use crate::go::strconv as go;

const LAYOUT: &str = "2006-01-02T15:04:05Z07:00";

#[derive(Clone, Copy)]
enum Std {
    LongYear,
    ZeroMonth,
    ZeroDay,
    Hour,
    ZeroMinute,
    ZeroSecond,
    Iso8601ColonTz,
}

/// The layout as `nextStdChunk` splits it: literal prefix, element, element text.
const CHUNKS: [(&[u8], Std, &str); 7] = [
    (b"", Std::LongYear, "2006"),
    (b"-", Std::ZeroMonth, "01"),
    (b"-", Std::ZeroDay, "02"),
    (b"T", Std::Hour, "15"),
    (b":", Std::ZeroMinute, "04"),
    (b":", Std::ZeroSecond, "05"),
    (b"", Std::Iso8601ColonTz, "Z07:00"),
];

/// Unix nanoseconds of `value`, or the error text Go gives.
pub fn parse_rfc3339(value: &str) -> Result<i128, String> {
    let elem_error = |value_elem: &[u8], layout_elem: &str| {
        format!(
            "parsing time {} as {}: cannot parse {} as {}",
            quote(value.as_bytes()),
            quote(LAYOUT.as_bytes()),
            quote(value_elem),
            quote(layout_elem.as_bytes())
        )
    };
    let message_error = |message: String| format!("parsing time {}{message}", quote(value.as_bytes()));
    let (mut year, mut month, mut day, mut hour, mut min, mut sec, mut nsec, mut offset) =
        (0i64, 0i64, 0i64, 0i64, 0i64, 0i64, 0i64, 0i64);
    let mut v = value.as_bytes();
    for (prefix, std, stdstr) in CHUNKS {
        v = skip(v, prefix).map_err(|rest| elem_error(rest, std::str::from_utf8(prefix).unwrap_or_default()))?;
        let hold = v;
        let mut range: Option<&str> = None;
        let ok = match std {
            Std::LongYear => {
                if v.len() < 4 || !is_digit(v, 0) {
                    None
                } else {
                    let (p, rest) = v.split_at(4);
                    v = rest;
                    go::atoi(p).map(|y| year = y)
                }
            }
            Std::ZeroMonth => getnum(v, true).map(|(n, rest)| {
                (month, v) = (n, rest);
                if !(1..=12).contains(&n) {
                    range = Some("month");
                }
            }),
            Std::ZeroDay => getnum(v, true).map(|(n, rest)| (day, v) = (n, rest)),
            Std::Hour => getnum(v, false).map(|(n, rest)| {
                (hour, v) = (n, rest);
                if n >= 24 {
                    range = Some("hour");
                }
            }),
            Std::ZeroMinute => getnum(v, true).map(|(n, rest)| {
                (min, v) = (n, rest);
                if n >= 60 {
                    range = Some("minute");
                }
            }),
            Std::ZeroSecond => getnum(v, true).and_then(|(n, rest)| {
                (sec, v) = (n, rest);
                if n >= 60 {
                    range = Some("second");
                    return Some(());
                }
                // A fraction the layout does not name: `,` or `.` and digits.
                if v.len() >= 2 && (v[0] == b'.' || v[0] == b',') && is_digit(v, 1) {
                    let n = 2 + v[2..].iter().take_while(|b| b.is_ascii_digit()).count();
                    let digits = &v[1..n.min(10)];
                    let ns = go::atoi(digits)?;
                    nsec = ns * 10i64.pow(10 - n.min(10) as u32);
                    v = &v[n..];
                }
                Some(())
            }),
            Std::Iso8601ColonTz => {
                if v.first() == Some(&b'Z') {
                    v = &v[1..];
                    Some(())
                } else if v.len() < 6 || v[3] != b':' {
                    None
                } else {
                    let (sign, hh, mm) = (v[0], &v[1..3], &v[4..6]);
                    v = &v[6..];
                    // Go checks the ranges and the sign even when a number did not parse
                    // (it is then 0), and reports a range error first.
                    let h = getnum(hh, true).map(|(n, _)| n);
                    let m = h.and_then(|_| getnum(mm, true).map(|(n, _)| n));
                    let (hv, mv) = (h.unwrap_or(0), m.unwrap_or(0));
                    if hv > 24 {
                        range = Some("time zone offset hour");
                    }
                    if mv > 60 {
                        range = Some("time zone offset minute");
                    }
                    offset = (hv * 60 + mv) * 60;
                    match sign {
                        b'+' => m.map(|_| ()),
                        b'-' => {
                            offset = -offset;
                            m.map(|_| ())
                        }
                        _ => None,
                    }
                }
            }
        };
        if let Some(what) = range {
            return Err(message_error(format!(": {what} out of range")));
        }
        if ok.is_none() {
            return Err(elem_error(hold, stdstr));
        }
    }
    if !v.is_empty() {
        return Err(message_error(format!(": extra text: {}", quote(v))));
    }
    if day < 1 || day > days_in(month, year) {
        return Err(message_error(": day out of range".into()));
    }
    let days = crate::time::days_from_civil(year, month, day);
    let secs = i128::from(days) * 86_400 + i128::from(hour * 3600 + min * 60 + sec) - i128::from(offset);
    Ok(secs * 1_000_000_000 + i128::from(nsec))
}

/// `skip`: the literal prefix must follow; on a mismatch, what is left of the value.
fn skip<'a>(v: &'a [u8], prefix: &[u8]) -> Result<&'a [u8], &'a [u8]> {
    v.strip_prefix(prefix).ok_or(v)
}

fn is_digit(s: &[u8], i: usize) -> bool {
    s.get(i).is_some_and(u8::is_ascii_digit)
}

/// `getnum`: one or two digits (exactly two when `fixed`).
fn getnum(s: &[u8], fixed: bool) -> Option<(i64, &[u8])> {
    if !is_digit(s, 0) {
        return None;
    }
    if !is_digit(s, 1) {
        return (!fixed).then(|| (i64::from(s[0] - b'0'), &s[1..]));
    }
    Some((i64::from(s[0] - b'0') * 10 + i64::from(s[1] - b'0'), &s[2..]))
}

fn days_in(month: i64, year: i64) -> i64 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// The time package's `quote`: non-ASCII and control bytes as `\xNN`, `"` and `\` escaped.
fn quote(s: &[u8]) -> String {
    let mut out = String::from("\"");
    for &b in s {
        match b {
            b'"' | b'\\' => {
                out.push('\\');
                out.push(char::from(b));
            }
            0x20..=0x7e => out.push(char::from(b)),
            _ => out.push_str(&format!("\\x{b:02x}")),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(v: &str) -> String {
        parse_rfc3339(v).unwrap_err()
    }

    #[test]
    fn accepts_what_gos_layout_parser_accepts() {
        let t = |v: &str| parse_rfc3339(v).unwrap();
        assert_eq!(t("2026-05-11T10:00:01Z"), 1_778_493_601 * 1_000_000_000);
        assert_eq!(t("2026-05-11T10:00:01+08:00"), 1_778_464_801 * 1_000_000_000);
        assert_eq!(
            t("2026-05-11T10:00:01.5-01:30"),
            (1_778_493_601 + 5400) * 1_000_000_000 + 500_000_000
        );
        assert_eq!(t("2026-05-11T1:00:01Z"), t("2026-05-11T01:00:01Z"), "one-digit hour");
        assert_eq!(
            t("2026-05-11T10:00:01,25Z"),
            t("2026-05-11T10:00:01.25Z"),
            "comma fraction"
        );
        assert_eq!(
            t("2026-05-11T10:00:01.1234567891Z"),
            t("2026-05-11T10:00:01.123456789Z"),
            "digits past nine ignored"
        );
        assert_eq!(
            t("2024-02-29T00:00:00Z") - t("2024-02-28T00:00:00Z"),
            86_400 * 1_000_000_000
        );
    }

    #[test]
    fn refuses_with_gos_messages() {
        let p = r#"parsing time "#;
        assert_eq!(
            err("2024-01-01"),
            format!(r#"{p}"2024-01-01" as "2006-01-02T15:04:05Z07:00": cannot parse "" as "T""#)
        );
        assert_eq!(
            err("yesterday"),
            format!(r#"{p}"yesterday" as "2006-01-02T15:04:05Z07:00": cannot parse "yesterday" as "2006""#)
        );
        assert_eq!(
            err("2024-01-01T00:00:00 08:00"),
            format!(
                r#"{p}"2024-01-01T00:00:00 08:00" as "2006-01-02T15:04:05Z07:00": cannot parse " 08:00" as "Z07:00""#
            )
        );
        assert_eq!(
            err("2024-01-01t00:00:00Z"),
            format!(r#"{p}"2024-01-01t00:00:00Z" as "2006-01-02T15:04:05Z07:00": cannot parse "t00:00:00Z" as "T""#)
        );
        assert_eq!(
            err("2024-01-01T00:00:00z"),
            format!(r#"{p}"2024-01-01T00:00:00z" as "2006-01-02T15:04:05Z07:00": cannot parse "z" as "Z07:00""#)
        );
        assert_eq!(
            err("2024-13-01T00:00:00Z"),
            format!(r#"{p}"2024-13-01T00:00:00Z": month out of range"#)
        );
        assert_eq!(
            err("2024-01-01T24:00:00Z"),
            format!(r#"{p}"2024-01-01T24:00:00Z": hour out of range"#)
        );
        assert_eq!(
            err("2024-01-01T00:00:60Z"),
            format!(r#"{p}"2024-01-01T00:00:60Z": second out of range"#)
        );
        assert_eq!(
            err("2023-02-29T00:00:00Z"),
            format!(r#"{p}"2023-02-29T00:00:00Z": day out of range"#)
        );
        assert_eq!(
            err("2024-01-01T00:00:00Zjunk"),
            format!(r#"{p}"2024-01-01T00:00:00Zjunk": extra text: "junk""#)
        );
        assert_eq!(
            err("2024-01-01T00:00:00+25:00"),
            format!(r#"{p}"2024-01-01T00:00:00+25:00": time zone offset hour out of range"#)
        );
        assert_eq!(
            err("2024-01-01T00:00:00*25:xx"),
            format!(r#"{p}"2024-01-01T00:00:00*25:xx": time zone offset hour out of range"#),
            "range before syntax"
        );
        assert_eq!(
            err("2024-01-01T00:00:00é"),
            format!(
                r#"{p}"2024-01-01T00:00:00\xc3\xa9" as "2006-01-02T15:04:05Z07:00": cannot parse "\xc3\xa9" as "Z07:00""#
            )
        );
    }
}
