//! How a string the console did not write (an agent's answer, what a user typed, a deployer's
//! configuration) is shown: every character that has no glyph of its own, or that would reorder
//! or hide the text around it, becomes a visible escape `⟨U+202E⟩`; a very long value is
//! shortened to its head and tail with the number of characters left out (the console offers
//! the whole value on demand). Nothing here changes a value that is stored, sent or typed: this
//! is display only.
//!
//! Which characters are escaped ([`is_hidden`]):
//! - controls (`Cc`: U+0000–U+001F, U+007F–U+009F), except, where the text is multi-line or a
//!   log line, TAB (and for multi-line text LF and the CR of a CRLF);
//! - every format character (`Cf`): the bidi embeddings, overrides and isolates U+202A–U+202E,
//!   U+2066–U+2069, the marks U+200E, U+200F, U+061C, the zero-width U+200B–U+200D, U+2060–U+2064,
//!   U+FEFF, the soft hyphen U+00AD, tags U+E0001, U+E0020–U+E007F, …;
//! - the line and paragraph separators U+2028, U+2029;
//! - characters that draw nothing though they are not `Cf`: the combining grapheme joiner
//!   U+034F, Hangul fillers (U+115F, U+1160, U+3164, U+FFA0), Khmer U+17B4/U+17B5, Mongolian
//!   U+180B–U+180F, variation selectors (U+FE00–U+FE0F, U+E0100–U+E01EF).
//!
//! So a tenant named `"\u{202E}txt.exe"` reads `⟨U+202E⟩txt.exe`, never "exe.txt", and `t1` and `t1⟨U+200B⟩` are told
//! apart. The price: an emoji sequence joined by U+200D or carrying a variation selector shows
//! its joiners (`👨⟨U+200D⟩👩`); for names and paths a DBA compares, exact beats pretty.

/// Which line-structuring characters a text keeps as themselves.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Mode {
    /// A value (name, path, URI, host, id): one line, every control escaped, TAB and LF too.
    #[default]
    Value,
    /// One log line: TAB kept (the log view lays lines out as they were written), LF escaped.
    Line,
    /// A message (an agent's error text, a command): TAB, LF and CRLF kept.
    Text,
}

/// Whether `c` is shown as its escape in `mode` (a CR is kept in [`Mode::Text`] only before an
/// LF, which [`pieces`] checks; alone it is hidden).
pub fn is_hidden(c: char, mode: Mode) -> bool {
    let u = c as u32;
    match c {
        '\t' => mode == Mode::Value,
        '\n' => mode != Mode::Text,
        _ if u < 0x20 || (0x7f..=0x9f).contains(&u) => true,
        _ if u < 0xad => false,
        _ => FORMAT_AND_INVISIBLE.iter().any(|&(lo, hi)| (lo..=hi).contains(&u)),
    }
}

/// `Cf`, `Zl`, `Zp` and the glyph-less characters listed in the module docs (sorted ranges).
const FORMAT_AND_INVISIBLE: [(u32, u32); 27] = [
    (0x00ad, 0x00ad),
    (0x034f, 0x034f),
    (0x0600, 0x0605),
    (0x061c, 0x061c),
    (0x06dd, 0x06dd),
    (0x070f, 0x070f),
    (0x0890, 0x0891),
    (0x08e2, 0x08e2),
    (0x115f, 0x1160),
    (0x17b4, 0x17b5),
    (0x180b, 0x180f),
    (0x200b, 0x200f),
    (0x2028, 0x202e),
    (0x2060, 0x2064),
    (0x2066, 0x206f),
    (0x3164, 0x3164),
    (0xfe00, 0xfe0f),
    (0xfeff, 0xfeff),
    (0xffa0, 0xffa0),
    (0xfff9, 0xfffb),
    (0x110bd, 0x110bd),
    (0x110cd, 0x110cd),
    (0x13430, 0x1343f),
    (0x1bca0, 0x1bca3),
    (0x1d173, 0x1d17a),
    (0xe0001, 0xe0001),
    (0xe0020, 0xe01ef),
];

/// A run of the text as it is, or one character shown as its escape.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Piece<'a> {
    Text(&'a str),
    Hidden(char),
}

/// The escape of a hidden character: `⟨U+202E⟩`.
pub fn escape(c: char) -> String {
    format!("⟨U+{:04X}⟩", c as u32)
}

/// `s` cut into runs of text and hidden characters, in order.
pub fn pieces(s: &str, mode: Mode) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut it = s.char_indices().peekable();
    while let Some((i, c)) = it.next() {
        let crlf = c == '\r' && mode == Mode::Text && it.peek().is_some_and(|&(_, n)| n == '\n');
        if !crlf && is_hidden(c, mode) {
            if start < i {
                out.push(Piece::Text(&s[start..i]));
            }
            out.push(Piece::Hidden(c));
            start = i + c.len_utf8();
        }
    }
    if start < s.len() {
        out.push(Piece::Text(&s[start..]));
    }
    out
}

/// `s` with every hidden character replaced by its escape: for places that hold plain text only
/// (an attribute, an `<option>`, the document title).
pub fn visible(s: &str, mode: Mode) -> String {
    let mut out = String::with_capacity(s.len());
    for p in pieces(s, mode) {
        match p {
            Piece::Text(t) => out.push_str(t),
            Piece::Hidden(c) => out.push_str(&escape(c)),
        }
    }
    out
}

/// A value shortened to its first and last characters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shortened<'a> {
    pub head: &'a str,
    pub tail: &'a str,
    /// Characters left out between them.
    pub omitted: usize,
    /// Characters in the whole value.
    pub total: usize,
}

/// `s` as its first and last characters when it has more than `limit` (four fifths of the limit
/// from its start, one fifth from its end: a path's start says where, its end what); `None`
/// when it is short enough to show whole. Cut at character boundaries.
pub fn shorten(s: &str, limit: usize) -> Option<Shortened<'_>> {
    let total = s.chars().count();
    if total <= limit {
        return None;
    }
    let tail_n = limit / 5;
    let head_n = limit - tail_n;
    let byte_at = |n: usize| s.char_indices().nth(n).map(|(i, _)| i).unwrap_or(s.len());
    Some(Shortened {
        head: &s[..byte_at(head_n)],
        tail: &s[byte_at(total - tail_n)..],
        omitted: total - head_n - tail_n,
        total,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bidi_controls_become_visible_and_the_text_keeps_its_order() {
        let name = "\u{202E}txt.exe";
        assert_eq!(
            pieces(name, Mode::Value),
            [Piece::Hidden('\u{202E}'), Piece::Text("txt.exe")]
        );
        assert_eq!(visible(name, Mode::Value), "⟨U+202E⟩txt.exe");
        assert_eq!(
            visible("/data/\u{202E}kcab\u{202C}/x: permission denied", Mode::Text),
            "/data/⟨U+202E⟩kcab⟨U+202C⟩/x: permission denied"
        );
        for c in [
            '\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}', '\u{202E}', '\u{2066}', '\u{2067}', '\u{2068}', '\u{2069}',
            '\u{200E}', '\u{200F}', '\u{061C}',
        ] {
            assert!(is_hidden(c, Mode::Text), "{:04X}", c as u32);
        }
    }

    #[test]
    fn zero_width_and_invisible_characters_are_told_apart() {
        assert_eq!(visible("t1\u{200B}", Mode::Value), "t1⟨U+200B⟩");
        assert_eq!(visible("\u{FEFF}t1", Mode::Value), "⟨U+FEFF⟩t1");
        assert_eq!(visible("ad\u{00AD}min", Mode::Value), "ad⟨U+00AD⟩min");
        assert_eq!(visible("a\u{E0041}b", Mode::Value), "a⟨U+E0041⟩b", "tag characters");
        for c in [
            '\u{200C}', '\u{200D}', '\u{2060}', '\u{2064}', '\u{3164}', '\u{FE0F}', '\u{2028}', '\u{2029}',
        ] {
            assert!(is_hidden(c, Mode::Text), "{:04X}", c as u32);
        }
        // Visible text, including other scripts and spaces, is left alone.
        for s in ["t1", "租户_1", "שלום", "مرحبا", "a b", "é", "😀", "\u{00A0}", "·—…"] {
            assert_eq!(visible(s, Mode::Value), s);
        }
    }

    #[test]
    fn controls_other_than_the_kept_line_structure() {
        assert_eq!(visible("a\tb\nc", Mode::Value), "a⟨U+0009⟩b⟨U+000A⟩c");
        assert_eq!(visible("a\tb\nc", Mode::Line), "a\tb⟨U+000A⟩c");
        assert_eq!(visible("a\tb\nc\r\nd\re", Mode::Text), "a\tb\nc\r\nd⟨U+000D⟩e");
        assert_eq!(
            visible("\0\u{1B}[31m\u{7F}\u{85}\u{9F}", Mode::Text),
            "⟨U+0000⟩⟨U+001B⟩[31m⟨U+007F⟩⟨U+0085⟩⟨U+009F⟩"
        );
        assert_eq!(visible("x\r", Mode::Text), "x⟨U+000D⟩");
        assert_eq!(pieces("", Mode::Text), []);
        assert_eq!(pieces("\u{202E}", Mode::Text), [Piece::Hidden('\u{202E}')]);
    }

    #[test]
    fn long_values_keep_their_head_and_tail() {
        assert_eq!(shorten("short", 10), None);
        assert_eq!(shorten("0123456789", 10), None);
        let long = "a".repeat(9_990) + "0123456789";
        let s = shorten(&long, 300).unwrap();
        assert_eq!(
            (s.head.len(), s.tail.len(), s.omitted, s.total),
            (240, 60, 9_700, 10_000)
        );
        assert!(s.tail.ends_with("0123456789"));
        // Multi-byte characters are never cut.
        let wide = "路".repeat(1000);
        let s = shorten(&wide, 100).unwrap();
        assert_eq!(
            (s.head.chars().count(), s.tail.chars().count(), s.omitted),
            (80, 20, 900)
        );
    }
}
