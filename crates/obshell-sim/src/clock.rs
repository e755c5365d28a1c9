//! Simulated wall clock. Real time plus an adjustable skew (fault injection: "the agent's clock is
//! off"), rendered in the configured zone offset like the agent renders its local time.

use obshell_proto::time::Timestamp;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// Go's zero `time.Time` as Unix nanoseconds (`0001-01-01T00:00:00Z`).
pub(crate) const GO_ZERO_NANOS: i128 = obshell_proto::time::ZERO_TIME_UNIX_NANOS;

#[derive(Debug)]
pub(crate) struct Clock {
    /// Seconds added to the host clock (may be negative).
    skew_secs: AtomicI64,
    /// Zone offset east of UTC used for every rendered time.
    pub offset_secs: i32,
}

impl Clock {
    pub(crate) fn new(offset_secs: i32) -> Clock {
        Clock {
            skew_secs: AtomicI64::new(0),
            offset_secs,
        }
    }

    pub(crate) fn set_skew(&self, secs: i64) {
        self.skew_secs.store(secs, Ordering::Relaxed);
    }

    pub(crate) fn skew(&self) -> i64 {
        self.skew_secs.load(Ordering::Relaxed)
    }

    /// Agent "now" in Unix nanoseconds.
    pub(crate) fn now_nanos(&self) -> i128 {
        let host = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_nanos() as i128)
            .unwrap_or(0);
        host + self.skew() as i128 * 1_000_000_000
    }

    /// Go `time.Now()` marshalled (RFC 3339 with nanoseconds, trailing zeros dropped).
    pub(crate) fn render(&self, nanos: i128) -> String {
        if nanos == GO_ZERO_NANOS {
            // Go's zero time is UTC whatever the local zone.
            return obshell_proto::time::ZERO_TIME.to_string();
        }
        Timestamp::from_unix_nanos(nanos, self.offset_secs).to_rfc3339_nano()
    }
}

pub(crate) fn truncate_micros(nanos: i128) -> i128 {
    nanos - nanos.rem_euclid(1000)
}

/// Whole seconds: a plain `TIMESTAMP` column, OceanBase's `now()`.
pub(crate) fn truncate_secs(nanos: i128) -> i128 {
    nanos - nanos.rem_euclid(1_000_000_000)
}

/// Parses `+08:00`, `-05:30`, `Z`, `UTC` into seconds east of UTC.
pub fn parse_offset(s: &str) -> Result<i32, String> {
    let s = s.trim();
    if s.eq_ignore_ascii_case("z") || s.eq_ignore_ascii_case("utc") {
        return Ok(0);
    }
    let (sign, rest) = match s.as_bytes().first() {
        Some(b'+') => (1, &s[1..]),
        Some(b'-') => (-1, &s[1..]),
        _ => return Err(format!("invalid offset '{s}': expected +HH:MM, -HH:MM or Z")),
    };
    let (h, m) = rest.split_once(':').unwrap_or((rest, "0"));
    let h: i32 = h.parse().map_err(|_| format!("invalid offset hours in '{s}'"))?;
    let m: i32 = m.parse().map_err(|_| format!("invalid offset minutes in '{s}'"))?;
    if h > 14 || m > 59 {
        return Err(format!("offset '{s}' out of range"));
    }
    Ok(sign * (h * 3600 + m * 60))
}
