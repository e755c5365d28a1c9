//! Durations in the agent's own grammar (`ob/agent/lib/system/time.go`, `ParseTime`) and Go's
//! `time.Duration` rendering (`24h0m0s`), which the agent's error messages use.
//!
//! Grammar: `^(\d+)([a-zA-Z]+)$`, the number through `strconv.Atoi` (int64), the unit lower-cased
//! and one of `ns us ms s m h d`; the product must lie in `[1ns, 365d]`. No compound values
//! (`1h30m`), no decimals, no signs, no zero. The product wraps like Go's int64 multiplication, so
//! a huge day count can come out negative ("less than min unit"), exactly as on the agent.

use std::fmt;

/// A Go `time.Duration`: signed nanoseconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct GoDuration(pub i64);

/// Duration units of the agent's grammar, smallest first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Unit {
    Ns,
    Us,
    Ms,
    S,
    M,
    H,
    D,
}

impl Unit {
    pub const ALL: [Unit; 7] = [Unit::Ns, Unit::Us, Unit::Ms, Unit::S, Unit::M, Unit::H, Unit::D];

    pub fn suffix(self) -> &'static str {
        match self {
            Unit::Ns => "ns",
            Unit::Us => "us",
            Unit::Ms => "ms",
            Unit::S => "s",
            Unit::M => "m",
            Unit::H => "h",
            Unit::D => "d",
        }
    }

    pub fn nanos(self) -> i64 {
        match self {
            Unit::Ns => 1,
            Unit::Us => 1_000,
            Unit::Ms => 1_000_000,
            Unit::S => 1_000_000_000,
            Unit::M => 60_000_000_000,
            Unit::H => 3_600_000_000_000,
            Unit::D => 86_400_000_000_000,
        }
    }

    /// Case-insensitive lookup, as the agent lower-cases the unit.
    pub fn from_suffix(s: &str) -> Option<Unit> {
        let lower = s.to_ascii_lowercase();
        Unit::ALL.into_iter().find(|u| u.suffix() == lower)
    }
}

impl GoDuration {
    pub const NANOSECOND: GoDuration = GoDuration(1);
    pub const MINUTE: GoDuration = GoDuration(60_000_000_000);
    pub const HOUR: GoDuration = GoDuration(3_600_000_000_000);
    pub const DAY: GoDuration = GoDuration(86_400_000_000_000);
    /// Upper bound of `ParseTime`: 365 days.
    pub const MAX_PARSE: GoDuration = GoDuration(365 * 86_400_000_000_000);

    pub fn from_unit(value: i64, unit: Unit) -> GoDuration {
        GoDuration(value.wrapping_mul(unit.nanos()))
    }

    pub fn nanos(self) -> i64 {
        self.0
    }
}

/// Why a duration string is rejected: the agent's `<reason>` texts, verbatim.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DurationError {
    #[error("invalid format")]
    InvalidFormat,
    #[error("invalid number")]
    InvalidNumber,
    #[error("invalid time unit")]
    InvalidTimeUnit,
    #[error("time duration is less than min unit")]
    LessThanMin,
    #[error("time duration is greater than max unit")]
    GreaterThanMax,
}

impl DurationError {
    /// The reason text inside `Time duration '%s' is invalid: %s`.
    pub fn reason(self) -> &'static str {
        match self {
            DurationError::InvalidFormat => "invalid format",
            DurationError::InvalidNumber => "invalid number",
            DurationError::InvalidTimeUnit => "invalid time unit",
            DurationError::LessThanMin => "time duration is less than min unit",
            DurationError::GreaterThanMax => "time duration is greater than max unit",
        }
    }

    /// The agent error `Common.InvalidTimeDuration` for input `shown` (the raw or lower-cased
    /// value, depending on the field: see `backup`).
    pub fn to_agent_error(self, shown: &str) -> crate::AgentError {
        crate::errors::codes::COMMON_INVALID_TIME_DURATION.occur(&[&shown, &self.reason()])
    }
}

/// Splits `s` per `^(\d+)([a-zA-Z]+)$` (ASCII digits and letters only, whole string).
fn split(s: &str) -> Option<(&str, &str)> {
    let digits_end = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let (num, unit) = s.split_at(digits_end);
    if num.is_empty() || unit.is_empty() || !unit.chars().all(|c| c.is_ascii_alphabetic()) {
        return None;
    }
    Some((num, unit))
}

/// `ParseTime`: parse with the agent's grammar and range `[1ns, 365d]`.
pub fn parse(s: &str) -> Result<GoDuration, DurationError> {
    let (num, unit) = split(s).ok_or(DurationError::InvalidFormat)?;
    // strconv.Atoi on 64-bit: any run of digits that fits an i64 (leading zeros allowed).
    let value: i64 = num.parse().map_err(|_| DurationError::InvalidNumber)?;
    let unit = Unit::from_suffix(unit).ok_or(DurationError::InvalidTimeUnit)?;
    let d = GoDuration::from_unit(value, unit);
    if d < GoDuration::NANOSECOND {
        return Err(DurationError::LessThanMin);
    }
    if d > GoDuration::MAX_PARSE {
        return Err(DurationError::GreaterThanMax);
    }
    Ok(d)
}

/// A duration as the console edits it: a whole number and a unit. Renders in the agent's grammar.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DurationInput {
    pub value: u64,
    pub unit: Unit,
}

impl DurationInput {
    /// Splits a well-formed value for editing (`"6D"` → 6, d). Returns `None` for anything the
    /// number+unit editor cannot represent; the caller then keeps the raw text.
    pub fn split(s: &str) -> Option<DurationInput> {
        let (num, unit) = split(s)?;
        Some(DurationInput {
            value: num.parse().ok()?,
            unit: Unit::from_suffix(unit)?,
        })
    }
}

impl fmt::Display for DurationInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.value, self.unit.suffix())
    }
}

impl fmt::Display for GoDuration {
    /// Go's `time.Duration.String()`: `24h0m0s`, `1m0s`, `1.5s`, `1ms`, `1.5µs`, `1ns`, `0s`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&go_duration_string(self.0))
    }
}

/// Writes the fraction of `v / 10^prec` (trailing zeros and a bare point dropped) and returns the
/// integer part, like Go's `fmtFrac`.
fn frac(out: &mut String, v: u64, prec: u32) -> u64 {
    let pow = 10u64.pow(prec);
    let f = v % pow;
    if f != 0 {
        let digits = format!("{:0width$}", f, width = prec as usize);
        out.push('.');
        out.push_str(digits.trim_end_matches('0'));
    }
    v / pow
}

fn go_duration_string(d: i64) -> String {
    if d == 0 {
        return "0s".to_string();
    }
    let neg = d < 0;
    let u = d.unsigned_abs();
    let mut s = String::new();
    if u < 1_000_000_000 {
        // Sub-second values use the largest unit that keeps an integer part.
        let (prec, unit) = if u < 1_000 {
            (0, "ns")
        } else if u < 1_000_000 {
            (3, "µs")
        } else {
            (6, "ms")
        };
        let mut fr = String::new();
        let int = frac(&mut fr, u, prec);
        s.push_str(&int.to_string());
        s.push_str(&fr);
        s.push_str(unit);
    } else {
        let mut fr = String::new();
        let secs = frac(&mut fr, u, 9);
        let (h, m, sec) = (secs / 3600, (secs / 60) % 60, secs % 60);
        if h > 0 {
            s.push_str(&format!("{h}h"));
        }
        if h > 0 || m > 0 {
            s.push_str(&format!("{m}m"));
        }
        s.push_str(&format!("{sec}{fr}s"));
    }
    if neg {
        s.insert(0, '-');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_rendering_matches_time_duration_string() {
        let cases = [
            (0, "0s"),
            (1, "1ns"),
            (1_500, "1.5µs"),
            (1_000_000, "1ms"),
            (1_500_000_000, "1.5s"),
            (60_000_000_000, "1m0s"),
            (7_200_000_000_000, "2h0m0s"),
            (86_400_000_000_000, "24h0m0s"),
            (168 * 3_600_000_000_000, "168h0m0s"),
            (7_201_000_000_000, "2h0m1s"),
            (-60_000_000_000, "-1m0s"),
        ];
        for (n, want) in cases {
            assert_eq!(GoDuration(n).to_string(), want, "{n}");
        }
    }
}
