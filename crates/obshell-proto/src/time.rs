//! Timestamps as the agent renders them (Go RFC 3339, optional fraction, zone offset), e.g.
//! `2026-05-11T10:00:01.012345+08:00`. Go's zero time `0001-01-01T00:00:00Z` and the Unix-epoch
//! sentinel that RETRY/ROLLBACK/CANCEL write mean "unknown" and are shown as such.

use std::fmt;

/// An instant with the zone offset it was written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Timestamp {
    /// Nanoseconds since the Unix epoch (UTC).
    pub unix_nanos: i128,
    /// Zone offset in seconds east of UTC, as written.
    pub offset_secs: i32,
}

const NANOS_PER_SEC: i128 = 1_000_000_000;

impl Timestamp {
    pub fn from_unix_nanos(unix_nanos: i128, offset_secs: i32) -> Timestamp {
        Timestamp {
            unix_nanos,
            offset_secs,
        }
    }

    pub fn unix_millis(&self) -> i64 {
        (self.unix_nanos.div_euclid(1_000_000)) as i64
    }

    pub fn unix_secs(&self) -> i64 {
        (self.unix_nanos.div_euclid(NANOS_PER_SEC)) as i64
    }

    /// Go's zero time, or the Unix epoch (the agent's reset sentinel): nothing known.
    pub fn is_unknown(&self) -> bool {
        self.unix_nanos == ZERO_TIME_UNIX_NANOS || self.unix_nanos == 0 || self.unix_nanos < 0
    }

    /// Parses RFC 3339 (`T` or space separator, optional fraction up to 9 digits, `Z` or ±hh:mm).
    pub fn parse(s: &str) -> Option<Timestamp> {
        let b = s.as_bytes();
        if b.len() < 20 {
            return None;
        }
        let num = |r: std::ops::Range<usize>| -> Option<i64> {
            let part = s.get(r)?;
            if !part.bytes().all(|c| c.is_ascii_digit()) {
                return None;
            }
            part.parse().ok()
        };
        let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
        if b[4] != b'-' || b[7] != b'-' || !(b[10] == b'T' || b[10] == b't' || b[10] == b' ') {
            return None;
        }
        let (hour, min, sec) = (num(11..13)?, num(14..16)?, num(17..19)?);
        if b[13] != b':'
            || b[16] != b':'
            || !(1..=12).contains(&month)
            || !(1..=31).contains(&day)
            || hour > 23
            || min > 59
            || sec > 60
        {
            return None;
        }
        let mut i = 19;
        let mut frac_nanos: i128 = 0;
        if b.get(i) == Some(&b'.') {
            i += 1;
            let start = i;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            let digits = &s[start..i];
            if digits.is_empty() || digits.len() > 9 {
                return None;
            }
            frac_nanos = digits.parse::<i128>().ok()? * 10i128.pow(9 - digits.len() as u32);
        }
        let offset_secs = match b.get(i)? {
            b'Z' | b'z' if i + 1 == b.len() => 0,
            sign @ (b'+' | b'-') if i + 6 == b.len() && b[i + 3] == b':' => {
                let oh = num(i + 1..i + 3)?;
                let om = num(i + 4..i + 6)?;
                let o = (oh * 3600 + om * 60) as i32;
                if *sign == b'-' {
                    -o
                } else {
                    o
                }
            }
            _ => return None,
        };
        let days = days_from_civil(year, month, day);
        let local_secs = days as i128 * 86_400 + (hour * 3600 + min * 60 + sec) as i128;
        let unix_nanos = (local_secs - offset_secs as i128) * NANOS_PER_SEC + frac_nanos;
        Some(Timestamp {
            unix_nanos,
            offset_secs,
        })
    }

    /// Go `time.RFC3339Nano` rendering (trailing zeros of the fraction dropped).
    pub fn to_rfc3339_nano(&self) -> String {
        self.render(false)
    }

    /// Fixed 6-digit fraction, as timestamps read back from OceanBase `TIMESTAMP(6)` columns print.
    pub fn to_rfc3339_micros(&self) -> String {
        self.render(true)
    }

    fn render(&self, micros: bool) -> String {
        let local = self.unix_nanos + self.offset_secs as i128 * NANOS_PER_SEC;
        let secs = local.div_euclid(NANOS_PER_SEC);
        let nanos = local.rem_euclid(NANOS_PER_SEC) as u32;
        let days = secs.div_euclid(86_400) as i64;
        let sod = secs.rem_euclid(86_400) as i64;
        let (y, m, d) = civil_from_days(days);
        let mut out = format!(
            "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}",
            sod / 3600,
            (sod / 60) % 60,
            sod % 60
        );
        if micros {
            out.push_str(&format!(".{:06}", nanos / 1000));
        } else if nanos != 0 {
            let f = format!("{nanos:09}");
            out.push('.');
            out.push_str(f.trim_end_matches('0'));
        }
        if self.offset_secs == 0 {
            out.push('Z');
        } else {
            let sign = if self.offset_secs < 0 { '-' } else { '+' };
            let o = self.offset_secs.unsigned_abs();
            out.push_str(&format!("{sign}{:02}:{:02}", o / 3600, (o / 60) % 60));
        }
        out
    }
}

/// How much of a time of day [`Timestamp::wall`] writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Precision {
    Seconds,
    Millis,
}

impl Timestamp {
    /// The same instant written in another zone (seconds east of UTC).
    pub fn in_zone(&self, offset_secs: i32) -> Timestamp {
        Timestamp {
            unix_nanos: self.unix_nanos,
            offset_secs,
        }
    }

    /// `2026-05-11 10:00:01 +08:00` in the zone it is written in (`UTC` for offset 0); with
    /// [`Precision::Millis`] `2026-05-11 10:00:01.012 +08:00`.
    pub fn wall(&self, precision: Precision) -> String {
        let r = self.to_rfc3339_micros();
        // YYYY-MM-DDTHH:MM:SS.ffffff±hh:mm | Z
        let (date_time, zone) = r.split_at(26);
        let zone = if zone == "Z" { "UTC" } else { zone };
        let end = match precision {
            Precision::Seconds => 19,
            Precision::Millis => 23,
        };
        format!("{} {} {zone}", &date_time[..10], &date_time[11..end])
    }

    /// `10:00:01.012`: the time of day in its zone, to the millisecond.
    pub fn time_of_day_millis(&self) -> String {
        self.to_rfc3339_micros()[11..23].to_string()
    }
}

/// The zone offset (seconds east of UTC) of a browser's `Date.prototype.getTimezoneOffset()`,
/// which is in minutes *west* of UTC and holds for the one instant it was asked about (summer
/// time: ask for each instant shown).
pub fn offset_of_js_timezone_offset(minutes_west: f64) -> i32 {
    (-minutes_west * 60.0).round() as i32
}

/// How long ago something happened, in the largest unit that fits (whole units, rounded down).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Relative {
    Ago(Amount),
    /// Later than "now" by more than [`CLOCK_SLACK_MS`] (clocks apart).
    In(Amount),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Amount {
    Seconds(i64),
    Minutes(i64),
    Hours(i64),
    Days(i64),
}

/// A time this much after "now" still reads "0 s ago": clocks and rounding are never exact.
pub const CLOCK_SLACK_MS: i64 = 2_000;

/// `now_ms - then_ms` as words to be: `Ago(Minutes(3))` for 3 min 59 s.
pub fn relative(elapsed_ms: i64) -> Relative {
    let amount = |ms: i64| {
        let s = ms / 1000;
        if s < 60 {
            Amount::Seconds(s)
        } else if s < 3600 {
            Amount::Minutes(s / 60)
        } else if s < 86_400 {
            Amount::Hours(s / 3600)
        } else {
            Amount::Days(s / 86_400)
        }
    };
    if elapsed_ms < -CLOCK_SLACK_MS {
        Relative::In(amount(-elapsed_ms))
    } else {
        Relative::Ago(amount(elapsed_ms.max(0)))
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_rfc3339_nano())
    }
}

/// `0001-01-01T00:00:00Z` in Unix nanoseconds.
pub const ZERO_TIME_UNIX_NANOS: i128 = -62_135_596_800 * NANOS_PER_SEC;
/// Go's zero time as it appears on the wire.
pub const ZERO_TIME: &str = "0001-01-01T00:00:00Z";

/// Parses an agent time string; `None` for unknown (zero/epoch sentinel) or unparsable values.
pub fn known(s: &str) -> Option<Timestamp> {
    Timestamp::parse(s).filter(|t| !t.is_unknown())
}

// Howard Hinnant's civil-date algorithms (proleptic Gregorian).
pub(crate) fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_renders_agent_times() {
        let t = Timestamp::parse("2026-05-11T10:00:01.012345+08:00").unwrap();
        assert_eq!(t.offset_secs, 8 * 3600);
        assert_eq!(t.unix_secs(), 1_778_464_801);
        assert_eq!(t.to_rfc3339_micros(), "2026-05-11T10:00:01.012345+08:00");
        let n = Timestamp::parse("2024-01-09T17:11:43.385889278+08:00").unwrap();
        assert_eq!(n.to_rfc3339_nano(), "2024-01-09T17:11:43.385889278+08:00");
        assert!(known(ZERO_TIME).is_none());
        assert!(known("1970-01-01T08:00:00+08:00").is_none());
        assert_eq!(Timestamp::parse(ZERO_TIME).unwrap().unix_nanos, ZERO_TIME_UNIX_NANOS);
        assert_eq!(Timestamp::parse(ZERO_TIME).unwrap().to_rfc3339_nano(), ZERO_TIME);
        assert_eq!(t.wall(Precision::Seconds), "2026-05-11 10:00:01 +08:00");
        assert_eq!(t.wall(Precision::Millis), "2026-05-11 10:00:01.012 +08:00");
        assert_eq!(t.time_of_day_millis(), "10:00:01.012");
        for bad in [
            "",
            "2026-05-11",
            "2026-13-11T10:00:01Z",
            "2026-05-11T10:00:01+0800",
            "2026-05-11T10:00:01.Z",
            "x026-05-11T10:00:01Z",
        ] {
            assert!(Timestamp::parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn an_agent_time_in_the_browser_zone() {
        let t = Timestamp::parse("2026-05-11T10:00:01.012345+08:00").unwrap();
        // Los Angeles in May (PDT): getTimezoneOffset() = 420.
        let la = t.in_zone(offset_of_js_timezone_offset(420.0));
        assert_eq!(la.wall(Precision::Seconds), "2026-05-10 19:00:01 -07:00");
        assert_eq!(la.unix_nanos, t.unix_nanos, "the same instant");
        // In January (PST) the same browser says 480.
        let winter = Timestamp::parse("2026-01-11T10:00:01+08:00").unwrap();
        assert_eq!(
            winter
                .in_zone(offset_of_js_timezone_offset(480.0))
                .wall(Precision::Seconds),
            "2026-01-10 18:00:01 -08:00"
        );
        // East of UTC, half hours, UTC itself, and a year boundary crossed.
        assert_eq!(
            t.in_zone(offset_of_js_timezone_offset(-330.0)).wall(Precision::Millis),
            "2026-05-11 07:30:01.012 +05:30"
        );
        assert_eq!(
            t.in_zone(offset_of_js_timezone_offset(0.0)).wall(Precision::Seconds),
            "2026-05-11 02:00:01 UTC"
        );
        assert_eq!(offset_of_js_timezone_offset(-0.0), 0);
        let late = Timestamp::parse("2026-12-31T23:30:00-10:00").unwrap();
        assert_eq!(
            late.in_zone(offset_of_js_timezone_offset(-840.0))
                .wall(Precision::Seconds),
            "2027-01-01 23:30:00 +14:00"
        );
    }

    #[test]
    fn relative_times_in_the_largest_unit_that_fits() {
        use Amount::*;
        assert_eq!(relative(0), Relative::Ago(Seconds(0)));
        assert_eq!(relative(59_999), Relative::Ago(Seconds(59)));
        assert_eq!(relative(60_000), Relative::Ago(Minutes(1)));
        assert_eq!(relative(3 * 60_000 + 59_000), Relative::Ago(Minutes(3)));
        assert_eq!(relative(3_600_000), Relative::Ago(Hours(1)));
        assert_eq!(relative(86_399_000), Relative::Ago(Hours(23)));
        assert_eq!(relative(44 * 3_600_000), Relative::Ago(Days(1)));
        assert_eq!(relative(10 * 86_400_000), Relative::Ago(Days(10)));
        // A little in the future (rounding, clocks): just now; more: "in …".
        assert_eq!(relative(-CLOCK_SLACK_MS), Relative::Ago(Seconds(0)));
        assert_eq!(relative(-120_000), Relative::In(Minutes(2)));
    }
}
