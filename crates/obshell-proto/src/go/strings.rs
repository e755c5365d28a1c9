//! Go's `strings.ToUpper` and `strings.ToLower`, which the agent applies to enum-like request
//! values (`binding`, `delete_policy.policy`, `archive_lag_target`, task operators): rune by
//! rune with Unicode's *simple* case mapping (`unicode.ToUpper`). Rust's `str::to_uppercase`
//! applies the one-to-many special casing instead (`ß` → `SS`, `İ` → `i̇`, a final `Σ` → `ς`),
//! which would change what the agent echoes in its errors and what it accepts (`paſs` is PASS).

/// `strings.ToUpper(s)`.
pub fn to_upper(s: &str) -> String {
    s.chars().map(upper).collect()
}

/// `strings.ToLower(s)`.
pub fn to_lower(s: &str) -> String {
    s.chars().map(lower).collect()
}

/// `unicode.ToUpper(c)`: Rust's full mapping where it is one character (then it is the simple
/// one); where it is several, the simple mapping is the letter itself, except for the Greek
/// letters with ypogegrammeni, whose simple uppercase is the prosgegrammeni form.
fn upper(c: char) -> char {
    let mut full = c.to_uppercase();
    match (full.next(), full.next()) {
        (Some(u), None) => u,
        _ => {
            let shift = match u32::from(c) {
                0x1F80..=0x1F87 | 0x1F90..=0x1F97 | 0x1FA0..=0x1FA7 => 8,
                0x1FB3 | 0x1FC3 | 0x1FF3 => 9,
                _ => 0,
            };
            char::from_u32(u32::from(c) + shift).unwrap_or(c)
        }
    }
}

/// `unicode.ToLower(c)`: only `İ` (U+0130) lowercases to several characters; simply it is `i`.
fn lower(c: char) -> char {
    let mut full = c.to_lowercase();
    match (full.next(), full.next()) {
        (Some(l), None) => l,
        _ if c == '\u{130}' => 'i',
        _ => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn simple_case_mapping_like_go() {
        assert_eq!(to_upper("optional"), "OPTIONAL");
        assert_eq!(to_upper("paſs"), "PASS");
        assert_eq!(to_upper("ß"), "ß");
        assert_eq!(to_upper("ŉǰ"), "ŉǰ");
        assert_eq!(to_upper("ᾳᾀᾈ"), "ᾼᾈᾈ");
        assert_eq!(to_lower("İ"), "i");
        assert_eq!(to_lower("ΟΔΟΣ"), "οδοσ", "no final sigma");
        assert_eq!(to_lower("DEFAULT"), "default");
        assert_eq!(to_lower("1H"), "1h");
        assert_eq!(to_lower("\u{212A}"), "k", "Kelvin sign");
    }

    /// Against Go's tables: every rune Go 1.19 (Unicode 13) maps, with its upper and lower
    /// mapping, as printed by `unicode.ToUpper`/`ToLower` (tests/fixtures/go_case.txt).
    #[test]
    fn every_rune_go_maps() {
        let table = include_str!("../../tests/fixtures/go_case.txt");
        let mut checked = 0;
        for line in table.lines() {
            let v: Vec<u32> = line.split(' ').map(|h| u32::from_str_radix(h, 16).unwrap()).collect();
            let c = char::from_u32(v[0]).unwrap();
            assert_eq!(
                (u32::from(upper(c)), u32::from(lower(c))),
                (v[1], v[2]),
                "U+{:04X}",
                v[0]
            );
            checked += 1;
        }
        assert!(checked > 2700);
    }
}
