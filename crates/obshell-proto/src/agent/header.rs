//! The agent's `secure.HttpHeader` and Go's `encoding/json` (Go 1.24) decoding of the header
//! plaintext into it.
//!
//! The agent runs `json.NewDecoder(bytes.NewReader(data)).UseNumber().Decode(&v)`
//! (`ob/agent/lib/json/json.go`) into
//!
//! ```go
//! type HttpHeader struct {
//!     SessionID string `json:"session_id"`; Auth, Ts, Token string; SSOToken string `json:"ssotoken"`
//!     Uri string; Keys []byte; Sha256 string; ForwardType int; ForwardAgent meta.AgentInfo // {ip, port}
//! }
//! ```
//!
//! What that implies, and what this port reproduces:
//! 1. The first JSON value is scanned with Go's state machine; a syntax error wins over any type
//!    error and has Go's text (`invalid character 'x' looking for beginning of value`,
//!    `unexpected EOF`, `EOF` for empty input). Bytes after the first value are never read.
//! 2. Keys match fields exactly first, then case-insensitively (Go folds `K`/`k`/U+212A and
//!    `S`/`s`/U+017F together). Fields are assigned in document order, so the last occurrence
//!    wins, except that `null` leaves a string/int field untouched (it only clears `Keys`).
//!    Unknown keys are skipped.
//! 3. Wrong JSON types are "saved" errors: decoding continues, and the first one is returned,
//!    e.g. `json: cannot unmarshal number into Go struct field HttpHeader.Ts of type string`.
//! 4. `Keys` (`[]byte`) is a standard padded Base64 string (CR/LF skipped); a bad one yields the
//!    raw `illegal base64 data at input byte N`. A JSON array of small integers also works.
//! 5. Strings: escapes as JSON, lone surrogates and invalid UTF-8 bytes become U+FFFD (one per
//!    bad byte, as Go's `utf8.DecodeRune` reports).
//! 6. A top-level `null` decodes to an all-empty header without error; any other non-object is
//!    `json: cannot unmarshal <kind> into Go value of type secure.HttpHeader`.
//!
//! Known simplification: when an array is decoded into a `Keys` that already held bytes, Go
//! reuses the old backing array, so a `null` element keeps a stale byte; here a `null` element
//! keeps the previous byte at that index if there was one, else 0 (Go may expose stale capacity).

use crate::crypto::Secret;
use crate::go::base64::{corrupt_input_error, std_base64_decode};
use crate::go::json::decode::{lookup, type_error, Decoder, Kind};
use std::fmt;

/// The agent's `secure.HttpHeader` after Go's JSON decoding (see [`crate::go::json`]).
///
/// Go's zero values stand for "absent": an empty string is the same as a missing key. `keys` is
/// `None` for a missing, `null`, `""` or `[]` `Keys` (Go keeps nil and empty apart, but nothing in
/// the agent does: both reach `transferKeys` as `""`).
#[derive(Clone, Default, PartialEq, Eq)]
pub struct HttpHeader {
    pub session_id: String,
    /// The plaintext password (`Auth`); kept in a [`Secret`] so headers can be logged.
    pub auth: Secret,
    pub ts: String,
    /// Agent-to-agent token; a console never sends it.
    pub token: String,
    pub sso_token: String,
    pub uri: String,
    pub keys: Option<Vec<u8>>,
    pub sha256: String,
    /// Agent-to-agent forwarding marker (1 or 2 change the agent's behaviour); never sent by consoles.
    pub forward_type: i64,
    pub forward_agent: ForwardAgent,
}

/// `meta.AgentInfo` inside `HttpHeader.ForwardAgent`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ForwardAgent {
    pub ip: String,
    pub port: i64,
}

impl HttpHeader {
    /// The `Keys` bytes as the agent hands them to `transferKeys` (`string(header.Keys)`).
    pub fn keys_bytes(&self) -> &[u8] {
        self.keys.as_deref().unwrap_or(&[])
    }
}

impl fmt::Debug for HttpHeader {
    // Credentials (password, session id, tokens, AES keys) are shown only as set/unset.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fn presence(s: &str) -> &'static str {
            if s.is_empty() {
                "<empty>"
            } else {
                "<redacted>"
            }
        }
        f.debug_struct("HttpHeader")
            .field("session_id", &presence(&self.session_id))
            .field("auth", &self.auth)
            .field("ts", &self.ts)
            .field("token", &presence(&self.token))
            .field("sso_token", &presence(&self.sso_token))
            .field("uri", &self.uri)
            .field("keys_len", &self.keys.as_ref().map(Vec::len))
            .field("sha256", &self.sha256)
            .field("forward_type", &self.forward_type)
            .field("forward_agent", &self.forward_agent)
            .finish()
    }
}

/// Decodes `data` exactly as the agent does; the error is the Go error text.
pub fn decode_http_header(data: &[u8]) -> Result<HttpHeader, String> {
    let mut d = Decoder::first_value(data)?;
    let mut header = HttpHeader::default();
    d.ws();
    match d.kind() {
        Kind::Object => header_object(&mut d, &mut header),
        Kind::Null => {}
        other => {
            return Err(format!(
                "json: cannot unmarshal {} into Go value of type secure.HttpHeader",
                other.go_name()
            ));
        }
    }
    if let Some(err) = d.saved {
        return Err(err);
    }
    Ok(header)
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Field {
    SessionId,
    Auth,
    Ts,
    Token,
    SsoToken,
    Uri,
    Keys,
    Sha256,
    ForwardType,
    ForwardAgent,
}

/// JSON names in declaration order (a tag name when the Go field has one).
const HEADER_FIELDS: [(&str, Field); 10] = [
    ("session_id", Field::SessionId),
    ("Auth", Field::Auth),
    ("Ts", Field::Ts),
    ("Token", Field::Token),
    ("ssotoken", Field::SsoToken),
    ("Uri", Field::Uri),
    ("Keys", Field::Keys),
    ("Sha256", Field::Sha256),
    ("ForwardType", Field::ForwardType),
    ("ForwardAgent", Field::ForwardAgent),
];

fn header_object(d: &mut Decoder<'_>, h: &mut HttpHeader) {
    d.i += 1; // '{'
    d.ws();
    if d.peek() == b'}' {
        d.i += 1;
        return;
    }
    while d.i < d.b.len() {
        d.ws();
        let key = d.read_string();
        d.ws();
        d.i += 1; // ':'
        d.ws();
        match lookup(&HEADER_FIELDS, &key) {
            None => d.skip_value(),
            Some(field) => header_field(d, field, h),
        }
        d.ws();
        let sep = d.peek();
        d.i += 1;
        if sep != b',' {
            return; // '}'
        }
    }
}

fn header_field(d: &mut Decoder<'_>, field: Field, h: &mut HttpHeader) {
    const S: &str = "HttpHeader";
    match field {
        Field::SessionId => d.store_string(&mut h.session_id, S, "session_id"),
        Field::Auth => {
            let mut auth = std::mem::take(&mut h.auth).expose().to_string();
            d.store_string(&mut auth, S, "Auth");
            h.auth = Secret::new(auth);
        }
        Field::Ts => d.store_string(&mut h.ts, S, "Ts"),
        Field::Token => d.store_string(&mut h.token, S, "Token"),
        Field::SsoToken => d.store_string(&mut h.sso_token, S, "ssotoken"),
        Field::Uri => d.store_string(&mut h.uri, S, "Uri"),
        Field::Sha256 => d.store_string(&mut h.sha256, S, "Sha256"),
        Field::ForwardType => d.store_int(&mut h.forward_type, S, "ForwardType"),
        Field::Keys => store_keys(d, &mut h.keys),
        Field::ForwardAgent => store_agent_info(d, &mut h.forward_agent),
    }
}

fn store_keys(d: &mut Decoder<'_>, target: &mut Option<Vec<u8>>) {
    match d.kind() {
        Kind::String => {
            let s = d.read_string();
            let (bytes, err) = std_base64_decode(s.as_bytes());
            match err {
                // Saved as is: a Base64 error carries no struct/field context.
                Some(offset) => d.save(corrupt_input_error(offset)),
                None => *target = Some(bytes),
            }
        }
        Kind::Null => {
            d.skip_literal();
            *target = None;
        }
        Kind::Array => {
            let old = target.take().unwrap_or_default();
            let mut out = Vec::new();
            d.i += 1; // '['
            d.ws();
            if d.peek() == b']' {
                d.i += 1;
            } else {
                while d.i < d.b.len() {
                    d.ws();
                    let base = old.get(out.len()).copied().unwrap_or(0);
                    let byte = store_uint8(d, base);
                    out.push(byte);
                    d.ws();
                    let sep = d.peek();
                    d.i += 1;
                    if sep != b',' {
                        break; // ']'
                    }
                }
            }
            *target = Some(out);
        }
        kind => d.mismatch(kind, "HttpHeader", "Keys", "[]uint8"),
    }
}

/// One element of `Keys` given as a JSON array (`uint8`, `strconv.ParseUint` + overflow check).
fn store_uint8(d: &mut Decoder<'_>, base: u8) -> u8 {
    match d.kind() {
        Kind::Number => {
            let s = d.read_number();
            match s.parse::<u8>() {
                Ok(v) if s.bytes().all(|c| c.is_ascii_digit()) => v,
                _ => {
                    d.save(type_error(&format!("number {s}"), "HttpHeader", "Keys", "uint8"));
                    base
                }
            }
        }
        Kind::Null => {
            d.skip_literal();
            base
        }
        kind => {
            d.mismatch(kind, "HttpHeader", "Keys", "uint8");
            base
        }
    }
}

fn store_agent_info(d: &mut Decoder<'_>, target: &mut ForwardAgent) {
    #[derive(Clone, Copy)]
    enum AgentField {
        Ip,
        Port,
    }
    const FIELDS: [(&str, AgentField); 2] = [("ip", AgentField::Ip), ("port", AgentField::Port)];
    match d.kind() {
        Kind::Object => {
            d.i += 1;
            d.ws();
            if d.peek() == b'}' {
                d.i += 1;
                return;
            }
            while d.i < d.b.len() {
                d.ws();
                let key = d.read_string();
                d.ws();
                d.i += 1; // ':'
                d.ws();
                match lookup(&FIELDS, &key) {
                    None => d.skip_value(),
                    Some(AgentField::Ip) => d.store_string(&mut target.ip, "AgentInfo", "ForwardAgent.ip"),
                    Some(AgentField::Port) => d.store_int(&mut target.port, "AgentInfo", "ForwardAgent.port"),
                }
                d.ws();
                let sep = d.peek();
                d.i += 1;
                if sep != b',' {
                    return;
                }
            }
        }
        Kind::Null => d.skip_literal(),
        kind => d.mismatch(kind, "HttpHeader", "ForwardAgent", "meta.AgentInfo"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(s: &str) -> Result<HttpHeader, String> {
        decode_http_header(s.as_bytes())
    }

    #[test]
    fn syntax_errors_have_go_text() {
        assert_eq!(dec("").unwrap_err(), "EOF");
        assert_eq!(dec("  \n").unwrap_err(), "EOF");
        assert_eq!(dec("{\"Auth\":").unwrap_err(), "unexpected EOF");
        assert_eq!(
            dec("x").unwrap_err(),
            "invalid character 'x' looking for beginning of value"
        );
        assert_eq!(dec("{\"a\" 1}").unwrap_err(), "invalid character '1' after object key");
        assert_eq!(
            dec("{\"a\":1 2}").unwrap_err(),
            "invalid character '2' after object key:value pair"
        );
        assert_eq!(
            dec("{a:1}").unwrap_err(),
            "invalid character 'a' looking for beginning of object key string"
        );
        assert_eq!(
            dec("{\"a\":\"\n\"}").unwrap_err(),
            "invalid character '\\n' in string literal"
        );
        assert_eq!(
            dec("{\"a\":\"\\x\"}").unwrap_err(),
            "invalid character 'x' in string escape code"
        );
        assert_eq!(
            dec("{\"a\":tru}").unwrap_err(),
            "invalid character '}' in literal true (expecting 'e')"
        );
        assert_eq!(
            dec("{\"a\":-}").unwrap_err(),
            "invalid character '}' in numeric literal"
        );
        assert_eq!(
            dec("{\"a\":[1 2]}").unwrap_err(),
            "invalid character '2' after array element"
        );
        assert_eq!(
            dec("{\"a\":1.}").unwrap_err(),
            "invalid character '}' after decimal point in numeric literal"
        );
        // A syntax error wins over an earlier type error.
        assert_eq!(
            dec("{\"Ts\":1,}").unwrap_err(),
            "invalid character '}' looking for beginning of object key string"
        );
        let deep = "[".repeat(10_001);
        assert_eq!(dec(&deep).unwrap_err(), "invalid character '[' exceeded max depth");
    }

    #[test]
    fn trailing_bytes_after_first_value_are_ignored() {
        let h = dec("{\"Auth\":\"a\"} garbage").unwrap();
        assert_eq!(h.auth.expose(), "a");
        let h = dec("null x").unwrap();
        assert_eq!(h, HttpHeader::default());
    }

    #[test]
    fn type_errors_have_go_text_and_first_wins() {
        assert_eq!(
            dec(r#"{"Ts":1767225600}"#).unwrap_err(),
            "json: cannot unmarshal number into Go struct field HttpHeader.Ts of type string"
        );
        assert_eq!(
            dec(r#"{"ForwardType":"1","Ts":1}"#).unwrap_err(),
            "json: cannot unmarshal string into Go struct field HttpHeader.ForwardType of type int"
        );
        assert_eq!(
            dec(r#"{"ForwardType":1.5}"#).unwrap_err(),
            "json: cannot unmarshal number 1.5 into Go struct field HttpHeader.ForwardType of type int"
        );
        assert_eq!(
            dec(r#"{"ForwardAgent":{"port":"x"}}"#).unwrap_err(),
            "json: cannot unmarshal string into Go struct field AgentInfo.ForwardAgent.port of type int"
        );
        assert_eq!(
            dec(r#"{"ForwardAgent":[]}"#).unwrap_err(),
            "json: cannot unmarshal array into Go struct field HttpHeader.ForwardAgent of type meta.AgentInfo"
        );
        assert_eq!(
            dec(r#"{"Keys":5}"#).unwrap_err(),
            "json: cannot unmarshal number into Go struct field HttpHeader.Keys of type []uint8"
        );
        assert_eq!(
            dec(r#"{"Keys":[256]}"#).unwrap_err(),
            "json: cannot unmarshal number 256 into Go struct field HttpHeader.Keys of type uint8"
        );
        assert_eq!(
            dec(r#"{"Auth":true}"#).unwrap_err(),
            "json: cannot unmarshal bool into Go struct field HttpHeader.Auth of type string"
        );
        assert_eq!(
            dec(r#"{"Uri":{}}"#).unwrap_err(),
            "json: cannot unmarshal object into Go struct field HttpHeader.Uri of type string"
        );
        assert_eq!(
            dec(r#""x""#).unwrap_err(),
            "json: cannot unmarshal string into Go value of type secure.HttpHeader"
        );
        assert_eq!(
            dec("[1]").unwrap_err(),
            "json: cannot unmarshal array into Go value of type secure.HttpHeader"
        );
        assert_eq!(
            dec("7").unwrap_err(),
            "json: cannot unmarshal number into Go value of type secure.HttpHeader"
        );
    }

    #[test]
    fn keys_base64_like_go() {
        assert_eq!(dec(r#"{"Keys":"AAEC"}"#).unwrap().keys, Some(vec![0, 1, 2]));
        assert_eq!(
            dec(r#"{"Keys":"AAE"}"#).unwrap_err(),
            "illegal base64 data at input byte 0"
        );
        assert_eq!(
            dec(r#"{"Keys":"AAECAw"}"#).unwrap_err(),
            "illegal base64 data at input byte 4"
        );
        assert_eq!(
            dec(r#"{"Keys":"AA-_"}"#).unwrap_err(),
            "illegal base64 data at input byte 2"
        );
        assert_eq!(
            dec(r#"{"Keys":[1,2,null,255]}"#).unwrap().keys,
            Some(vec![1, 2, 0, 255])
        );
        assert_eq!(dec(r#"{"Keys":"AAEC","Keys":null}"#).unwrap().keys, None);
    }

    #[test]
    fn field_matching_like_go() {
        let h =
            dec(r#"{"auth":"a","TS":"1","uri":"/u","SESSION_ID":"s","SsoToken":"t","unknown":[1,{"x":"}"}]}"#).unwrap();
        assert_eq!((h.auth.expose(), h.ts.as_str(), h.uri.as_str()), ("a", "1", "/u"));
        assert_eq!((h.session_id.as_str(), h.sso_token.as_str()), ("s", "t"));
        // Last occurrence wins across spellings; null does not overwrite a string.
        let h = dec(r#"{"Auth":"b","auth":"a","Uri":"/x","uri":null}"#).unwrap();
        assert_eq!((h.auth.expose(), h.uri.as_str()), ("a", "/x"));
        // Kelvin sign and long s fold to K and S.
        let h = dec("{\"\u{212A}eys\":\"AAEC\",\"\u{017F}e\u{017F}\u{017F}ion_id\":\"z\"}").unwrap();
        assert_eq!((h.keys, h.session_id.as_str()), (Some(vec![0, 1, 2]), "z"));
    }

    #[test]
    fn strings_unquote_like_go() {
        let h = decode_http_header(b"{\"Auth\":\"\\u00e9\\ud83d\\ude00\\ud800x\\/\xff\xe2\x82\"}").unwrap();
        assert_eq!(h.auth.expose(), "é😀\u{FFFD}x/\u{FFFD}\u{FFFD}\u{FFFD}");
    }
}
