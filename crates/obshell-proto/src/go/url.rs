//! Go's `net/url` unescaping, as the agent (and gin's router) decode request paths and queries.

/// Go's `url.QueryUnescape` (`plus_as_space`) or `url.PathUnescape`: `%XX` decoded, the first
/// malformed escape is an error with Go's text (`invalid URL escape "%zz"`). Invalid UTF-8 is
/// replaced, not rejected.
pub fn unescape(s: &str, plus_as_space: bool) -> Result<String, String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'%' => {
                let hex = |c: u8| (c as char).to_digit(16);
                match (b.get(i + 1).copied().and_then(hex), b.get(i + 2).copied().and_then(hex)) {
                    (Some(h), Some(l)) => out.push((h * 16 + l) as u8),
                    _ => {
                        let bad: String = s[i..].chars().take(3).collect();
                        return Err(format!("invalid URL escape \"{bad}\""));
                    }
                }
                i += 3;
            }
            b'+' if plus_as_space => {
                out.push(b' ');
                i += 1;
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    Ok(String::from_utf8_lossy(&out).into_owned())
}
