//! Go's `encoding/base64` as the agent decodes request headers and bodies:
//! `base64.StdEncoding.Decode` (skips CR/LF, returns the bytes decoded before an error, errors as
//! `illegal base64 data at input byte N`).

/// `base64.CorruptInputError.Error()`.
pub fn corrupt_input_error(offset: usize) -> String {
    format!("illegal base64 data at input byte {offset}")
}

const INVALID: u8 = 0xff;

fn std_decode_map(c: u8) -> u8 {
    match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => INVALID,
    }
}

/// `base64.StdEncoding.Decode(dst, src)` followed by `dst[:n]`, as `DecodeString` returns it:
/// the bytes decoded before the first error, and the error offset if any.
///
/// Go's 8- and 4-character fast paths produce the same output as its per-quantum slow path, so
/// only `decodeQuantum` is ported (line for line, including CR/LF skipping, the padding rules and
/// "trailing garbage" which still yields the quantum's bytes). Never panics.
pub fn std_base64_decode(src: &[u8]) -> (Vec<u8>, Option<usize>) {
    let mut out = Vec::with_capacity(src.len() / 4 * 3);
    let mut si = 0;
    while si < src.len() {
        let (nsi, buf, n, err) = decode_quantum(src, si);
        out.extend_from_slice(&buf[..n]);
        if err.is_some() {
            return (out, err);
        }
        si = nsi;
    }
    (out, None)
}

/// Port of Go's `(*Encoding).decodeQuantum` for the padded standard encoding (non-strict).
/// Returns (new source index, decoded bytes buffer, how many of them are valid, error offset).
fn decode_quantum(src: &[u8], mut si: usize) -> (usize, [u8; 3], usize, Option<usize>) {
    let mut dbuf = [0u8; 4];
    let mut dlen = 4;
    let mut err = None;
    let mut j = 0usize;
    while j < 4 {
        if si == src.len() {
            if j == 0 {
                return (si, [0; 3], 0, None);
            }
            // j == 1, or any partial quantum with a padded encoding.
            return (si, [0; 3], 0, Some(si - j));
        }
        let c = src[si];
        si += 1;
        let out = std_decode_map(c);
        if out != INVALID {
            dbuf[j] = out;
            j += 1;
            continue;
        }
        if c == b'\n' || c == b'\r' {
            continue;
        }
        if c != b'=' {
            return (si, [0; 3], 0, Some(si - 1));
        }
        // We've reached the end and there's padding.
        match j {
            0 | 1 => return (si, [0; 3], 0, Some(si - 1)),
            2 => {
                // "==" is expected; the first "=" is already consumed. Skip newlines.
                while si < src.len() && (src[si] == b'\n' || src[si] == b'\r') {
                    si += 1;
                }
                if si == src.len() {
                    return (si, [0; 3], 0, Some(src.len()));
                }
                if src[si] != b'=' {
                    return (si, [0; 3], 0, Some(si - 1));
                }
                si += 1;
            }
            _ => {}
        }
        while si < src.len() && (src[si] == b'\n' || src[si] == b'\r') {
            si += 1;
        }
        if si < src.len() {
            // Trailing garbage: Go still writes this quantum's bytes before reporting it.
            err = Some(si);
        }
        dlen = j;
        break;
    }
    let val = (u32::from(dbuf[0]) << 18) | (u32::from(dbuf[1]) << 12) | (u32::from(dbuf[2]) << 6) | u32::from(dbuf[3]);
    let bytes = [(val >> 16) as u8, (val >> 8) as u8, val as u8];
    (si, bytes, dlen - 1, err)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(s: &str) -> (Vec<u8>, Option<usize>) {
        std_base64_decode(s.as_bytes())
    }

    #[test]
    fn base64_matches_go() {
        assert_eq!(dec(""), (vec![], None));
        assert_eq!(dec("QUJD"), (b"ABC".to_vec(), None));
        assert_eq!(dec("QUI="), (b"AB".to_vec(), None));
        assert_eq!(dec("QQ=="), (b"A".to_vec(), None));
        assert_eq!(dec("QU\r\nJD\n"), (b"ABC".to_vec(), None));
        // Unpadded: Go reports the start of the incomplete quantum.
        assert_eq!(dec("QUJDRA"), (b"ABC".to_vec(), Some(4)));
        assert_eq!(dec("QUJDR"), (b"ABC".to_vec(), Some(4)));
        // URL-safe alphabet.
        assert_eq!(dec("QUJD-_"), (b"ABC".to_vec(), Some(4)));
        assert_eq!(dec("\"QUJD\""), (vec![], Some(0)));
        // Trailing garbage after padding: bytes of that quantum are still produced.
        assert_eq!(dec("QQ==x"), (b"A".to_vec(), Some(4)));
        assert_eq!(dec("QQ=x"), (vec![], Some(2)));
        assert_eq!(dec("QQ="), (vec![], Some(3)));
        assert_eq!(dec("Q==="), (vec![], Some(1)));
        assert_eq!(dec("QUJD\n"), (b"ABC".to_vec(), None));
    }
}
