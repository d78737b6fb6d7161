//! A strict JSON reader for every JOSE part: header, payload, disclosure and KB-JWT.
//!
//! It differs from a plain `serde_json::from_slice` in three ways, each a rule of the checklist:
//!
//! * duplicate member names are rejected at every level (RFC 7515 §4 and RFC 7519 §4 require
//!   unique Header Parameter and claim names; RFC 8259 §4 leaves duplicates undefined, which is
//!   how parser-differential attacks happen);
//! * nesting is capped at [`MAX_JSON_DEPTH`] (RFC 8259 §9 lets a parser limit depth);
//! * one part is capped at [`MAX_JSON_BYTES`] before it is parsed (RFC 8259 §9, size limits).
//!
//! It is a single-pass recursive-descent reader over the RFC 8259 grammar that builds the
//! `serde_json::Value` directly: members are collected on one scratch stack and moved into a map
//! sized once, whose insertion reports a duplicate name; no intermediate map and no second
//! parse. The rare cases whose exact semantics belong to serde_json — strings with escapes and
//! numbers that are not small integers — are handed to serde_json for that one token, so the
//! values are exactly those `serde_json::from_slice` gives (the fuzz target `json` checks this).

use serde_json::map::Entry;
use serde_json::{Map, Value};

/// Deepest nesting of arrays and objects accepted in one JSON text (RFC 8259 §9 permits the
/// limit). 32 levels is four times the deepest structure in the EUDI PID rulebook's SD-JWT VC
/// encoding and in the RFC 9901 examples, and far below serde_json's own recursion limit (128).
pub const MAX_JSON_DEPTH: usize = 32;

/// Largest JSON text accepted for one part of a token (1 MiB; RFC 8259 §9 permits the limit).
/// A PID with a portrait is about 50 KiB; a header is a few hundred bytes.
pub const MAX_JSON_BYTES: usize = 1024 * 1024;

/// Why a JSON text was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JsonError {
    #[error("the JSON text is {len} bytes, over the limit of {max} bytes")]
    TooLarge { len: usize, max: usize },
    #[error("the JSON text nests deeper than {max} levels")]
    TooDeep { max: usize },
    #[error("the member name {name:?} occurs more than once in one object")]
    DuplicateMember { name: String },
    #[error("not valid JSON: {0}")]
    Syntax(String),
}

/// Parses `bytes` as one JSON text under the rules above.
pub fn parse_strict(bytes: &[u8]) -> Result<Value, JsonError> {
    if bytes.len() > MAX_JSON_BYTES {
        return Err(JsonError::TooLarge { len: bytes.len(), max: MAX_JSON_BYTES });
    }
    // RFC 8259 §8.1: the text is UTF-8. Checked once for the whole text, so every string
    // slice below is valid UTF-8 and every structural byte is ASCII.
    let text = std::str::from_utf8(bytes).map_err(|e| JsonError::Syntax(format!("not UTF-8: {e}")))?;
    let mut p = Parser { text, b: bytes, pos: 0, stack: Vec::with_capacity(16) };
    p.ws();
    let v = p.value(0)?;
    p.ws();
    if p.pos != bytes.len() {
        return Err(p.err("trailing characters after the JSON value"));
    }
    Ok(v)
}

/// Parses `bytes` and requires a JSON object (JOSE headers, JWT claim sets).
pub fn parse_object(bytes: &[u8]) -> Result<Map<String, Value>, JsonError> {
    match parse_strict(bytes)? {
        Value::Object(m) => Ok(m),
        other => Err(JsonError::Syntax(format!("expected a JSON object, found {}", kind_name(&other)))),
    }
}

/// A JSON object kept as its members in text order, for small objects read by name a few
/// times (JOSE headers): no map and no hashing. Names are unique (checked when read).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Members(Vec<(String, Value)>);

impl Members {
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.0.iter().find(|(k, _)| k == name).map(|(_, v)| v)
    }
    pub fn contains_key(&self, name: &str) -> bool {
        self.0.iter().any(|(k, _)| k == name)
    }
    pub fn keys(&self) -> impl Iterator<Item = &String> {
        self.0.iter().map(|(k, _)| k)
    }
    pub fn len(&self) -> usize {
        self.0.len()
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    /// The object as a `serde_json` map.
    pub fn to_map(&self) -> Map<String, Value> {
        self.0.iter().cloned().collect()
    }
}

/// Parses `bytes` and requires a JSON object, returned as [`Members`] (same rules as
/// [`parse_strict`]).
pub fn parse_members(bytes: &[u8]) -> Result<Members, JsonError> {
    if bytes.len() > MAX_JSON_BYTES {
        return Err(JsonError::TooLarge { len: bytes.len(), max: MAX_JSON_BYTES });
    }
    let text = std::str::from_utf8(bytes).map_err(|e| JsonError::Syntax(format!("not UTF-8: {e}")))?;
    let mut p = Parser { text, b: bytes, pos: 0, stack: Vec::with_capacity(4) };
    p.ws();
    if p.peek() != Some(b'{') {
        // Not an object: the same error parse_object gives.
        return parse_object(bytes).map(|m| Members(m.into_iter().collect()));
    }
    p.members(0)?;
    p.ws();
    if p.pos != bytes.len() {
        return Err(p.err("trailing characters after the JSON value"));
    }
    let members = std::mem::take(&mut p.stack);
    // RFC 7515 §4: unique names. A pairwise scan for the usual handful, sorting beyond that.
    if members.len() <= 16 {
        for (i, (k, _)) in members.iter().enumerate() {
            if members.get(..i).is_some_and(|before| before.iter().any(|(x, _)| x == k)) {
                return Err(JsonError::DuplicateMember { name: k.clone() });
            }
        }
    } else {
        let mut names: Vec<&str> = members.iter().map(|(k, _)| k.as_str()).collect();
        names.sort_unstable();
        if let Some(dup) = names.windows(2).find_map(|w| match w {
            [a, b] if a == b => Some(*a),
            _ => None,
        }) {
            return Err(JsonError::DuplicateMember { name: dup.to_owned() });
        }
    }
    Ok(Members(members))
}

pub(crate) fn kind_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// The offset of the first byte in `s` that ends a plain run of string characters — `"`, `\\`
/// or a control character (RFC 8259 §7) — or `s.len()`. Eight bytes at a time (SWAR): for each
/// class, a zero byte of `w ^ pattern` (or a byte below 0x20) sets that byte's high bit in
/// `(x - 0x01..) & !x & 0x80..`; the lowest set bit is exact.
fn special_offset(s: &[u8]) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut off = 0;
    let mut chunks = s.chunks_exact(8);
    for c in &mut chunks {
        let mut w = [0u8; 8];
        w.copy_from_slice(c);
        let w = u64::from_le_bytes(w);
        let quote = w ^ (ONES * u64::from(b'"'));
        let backslash = w ^ (ONES * u64::from(b'\\'));
        let hit = (quote.wrapping_sub(ONES) & !quote)
            | (backslash.wrapping_sub(ONES) & !backslash)
            | (w.wrapping_sub(ONES * 0x20) & !w);
        let hit = hit & HIGH;
        if hit != 0 {
            return off + (hit.trailing_zeros() / 8) as usize;
        }
        off += 8;
    }
    off + chunks
        .remainder()
        .iter()
        .position(|&c| c == b'"' || c == b'\\' || c < 0x20)
        .unwrap_or(chunks.remainder().len())
}

struct Parser<'a> {
    text: &'a str,
    b: &'a [u8],
    pos: usize,
    /// Members of the objects being read, innermost last (one allocation for the whole text).
    stack: Vec<(String, Value)>,
}

impl Parser<'_> {
    fn err(&self, what: &str) -> JsonError {
        JsonError::Syntax(format!("{what} at byte {}", self.pos))
    }

    fn peek(&self) -> Option<u8> {
        self.b.get(self.pos).copied()
    }

    /// RFC 8259 §2: insignificant whitespace.
    fn ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.pos += 1;
        }
    }

    fn literal(&mut self, word: &str, v: Value) -> Result<Value, JsonError> {
        let end = self.pos + word.len();
        if self.b.get(self.pos..end) == Some(word.as_bytes()) {
            self.pos = end;
            Ok(v)
        } else {
            Err(self.err("invalid literal"))
        }
    }

    fn value(&mut self, depth: usize) -> Result<Value, JsonError> {
        match self.peek() {
            Some(b'{') => self.object(depth),
            Some(b'[') => self.array(depth),
            Some(b'"') => self.string().map(Value::String),
            Some(b't') => self.literal("true", Value::Bool(true)),
            Some(b'f') => self.literal("false", Value::Bool(false)),
            Some(b'n') => self.literal("null", Value::Null),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(_) => Err(self.err("expected a JSON value")),
            None => Err(self.err("unexpected end of the JSON text")),
        }
    }

    fn enter(&self, depth: usize) -> Result<(), JsonError> {
        if depth >= MAX_JSON_DEPTH {
            return Err(JsonError::TooDeep { max: MAX_JSON_DEPTH });
        }
        Ok(())
    }

    fn array(&mut self, depth: usize) -> Result<Value, JsonError> {
        self.enter(depth)?;
        self.pos += 1;
        self.ws();
        let mut out = Vec::new();
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(Value::Array(out));
        }
        loop {
            self.ws();
            out.push(self.value(depth + 1)?);
            self.ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(Value::Array(out));
                }
                _ => return Err(self.err("expected ',' or ']'")),
            }
        }
    }

    fn object(&mut self, depth: usize) -> Result<Value, JsonError> {
        let base = self.members(depth)?;
        let n = self.stack.len().saturating_sub(base);
        let mut m = Map::with_capacity(n);
        // RFC 7515 §4, RFC 7519 §4: the insertion that finds the name taken is the duplicate
        // check (one hash per member, no quadratic scan).
        for (k, v) in self.stack.drain(base..) {
            match m.entry(k) {
                Entry::Vacant(e) => {
                    e.insert(v);
                }
                Entry::Occupied(e) => return Err(JsonError::DuplicateMember { name: e.key().clone() }),
            }
        }
        Ok(Value::Object(m))
    }

    /// Reads an object's members onto the stack; returns where they start.
    fn members(&mut self, depth: usize) -> Result<usize, JsonError> {
        self.enter(depth)?;
        self.pos += 1;
        self.ws();
        let base = self.stack.len();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(base);
        }
        loop {
            self.ws();
            if self.peek() != Some(b'"') {
                return Err(self.err("expected a member name"));
            }
            let name = self.string()?;
            self.ws();
            if self.peek() != Some(b':') {
                return Err(self.err("expected ':'"));
            }
            self.pos += 1;
            self.ws();
            let v = self.value(depth + 1)?;
            self.stack.push((name, v));
            self.ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(base);
                }
                _ => return Err(self.err("expected ',' or '}'")),
            }
        }
    }

    /// A string (RFC 8259 §7). Without escapes it is a slice of the (already UTF-8) text; with
    /// escapes, serde_json decodes that one string token.
    fn string(&mut self) -> Result<String, JsonError> {
        let start = self.pos;
        self.pos += 1;
        let mut escaped = false;
        loop {
            self.pos += special_offset(self.b.get(self.pos..).unwrap_or_default());
            match self.peek() {
                None => return Err(self.err("unterminated string")),
                Some(b'"') => break,
                Some(b'\\') => {
                    escaped = true;
                    self.pos += 2;
                }
                Some(c) if c < 0x20 => return Err(self.err("control character in a string")),
                Some(_) => self.pos += 1,
            }
        }
        self.pos += 1;
        let token = self.text.get(start..self.pos).ok_or_else(|| self.err("unterminated string"))?;
        if !escaped {
            return Ok(token.get(1..token.len() - 1).unwrap_or_default().to_owned());
        }
        serde_json::from_str::<String>(token).map_err(|e| JsonError::Syntax(format!("{e} (string at byte {start})")))
    }

    /// A number (RFC 8259 §6). Integers of up to 18 digits are read here; anything else
    /// (fraction, exponent, more digits, -0) is read by serde_json, for its exact semantics.
    fn number(&mut self) -> Result<Value, JsonError> {
        let start = self.pos;
        let neg = self.peek() == Some(b'-');
        if neg {
            self.pos += 1;
        }
        let int_start = self.pos;
        let mut acc: u64 = 0;
        match self.peek() {
            Some(b'0') => self.pos += 1,
            Some(b'1'..=b'9') => {
                while let Some(c @ b'0'..=b'9') = self.peek() {
                    acc = acc.wrapping_mul(10).wrapping_add(u64::from(c - b'0'));
                    self.pos += 1;
                }
            }
            _ => return Err(self.err("invalid number")),
        }
        let int_digits = self.pos - int_start;
        let mut simple = int_digits <= 18 && !(neg && acc == 0);
        if self.peek() == Some(b'.') {
            simple = false;
            self.pos += 1;
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(self.err("invalid number"));
            }
            while let Some(b'0'..=b'9') = self.peek() {
                self.pos += 1;
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            simple = false;
            self.pos += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.pos += 1;
            }
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(self.err("invalid number"));
            }
            while let Some(b'0'..=b'9') = self.peek() {
                self.pos += 1;
            }
        }
        if simple {
            // At most 18 digits: no overflow in u64, and the negation fits in i64.
            return Ok(if neg { Value::from(-(acc as i64)) } else { Value::from(acc) });
        }
        let token = self.text.get(start..self.pos).ok_or_else(|| self.err("invalid number"))?;
        match serde_json::from_str::<Value>(token) {
            Ok(v @ Value::Number(_)) => Ok(v),
            Ok(_) => Err(self.err("invalid number")),
            Err(e) => Err(JsonError::Syntax(format!("{e} (number at byte {start})"))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_plain_json() {
        let v = parse_strict(br#"{"a":[1,2,{"b":null}],"c":"\u00e9","d":1.5}"#).unwrap();
        assert_eq!(v["a"][2]["b"], Value::Null);
        assert_eq!(v["c"], "é");
    }

    #[test]
    fn rejects_duplicate_members_at_any_depth() {
        assert!(matches!(
            parse_strict(br#"{"alg":"ES256","alg":"none"}"#),
            Err(JsonError::DuplicateMember { name }) if name == "alg"
        ));
        assert!(matches!(parse_strict(br#"{"a":{"x":1,"y":2,"x":3}}"#), Err(JsonError::DuplicateMember { .. })));
        assert!(matches!(parse_strict(br#"[{"x":1},{"x":1,"x":1}]"#), Err(JsonError::DuplicateMember { .. })));
        // The same name in sibling objects is fine.
        assert!(parse_strict(br#"[{"x":1},{"x":1}]"#).is_ok());
    }

    #[test]
    fn depth_cap_is_enforced() {
        let ok = format!("{}{}", "[".repeat(MAX_JSON_DEPTH), "]".repeat(MAX_JSON_DEPTH));
        assert!(parse_strict(ok.as_bytes()).is_ok());
        let deep = format!("{}{}", "[".repeat(MAX_JSON_DEPTH + 1), "]".repeat(MAX_JSON_DEPTH + 1));
        assert_eq!(parse_strict(deep.as_bytes()), Err(JsonError::TooDeep { max: MAX_JSON_DEPTH }));
        let deep_obj = format!("{}1{}", r#"{"a":"#.repeat(MAX_JSON_DEPTH + 1), "}".repeat(MAX_JSON_DEPTH + 1));
        assert_eq!(parse_strict(deep_obj.as_bytes()), Err(JsonError::TooDeep { max: MAX_JSON_DEPTH }));
        // Far past serde_json's own limit: still our error, no stack trouble.
        let very = "[".repeat(100_000);
        assert_eq!(parse_strict(very.as_bytes()), Err(JsonError::TooDeep { max: MAX_JSON_DEPTH }));
    }

    /// The reader agrees with serde_json on every text without duplicates or deep nesting:
    /// same value when both accept, a syntax error when serde_json refuses.
    #[test]
    fn agrees_with_serde_json() {
        let cases: &[&[u8]] = &[
            b"0",
            b"-0",
            b"-0.0",
            b"1",
            b"-1",
            b"123456789012345678",
            b"-123456789012345678",
            b"1234567890123456789",
            b"12345678901234567890",
            b"123456789012345678901",
            b"-9223372036854775808",
            b"-9223372036854775809",
            b"1.5",
            b"1e5",
            b"1E+5",
            b"1e-5",
            b"2.5e-3",
            b"1e400",
            b"-1e400",
            b"1e-400",
            b"01",
            b"-",
            b"-a",
            b"1.",
            b".5",
            b"1e",
            b"1e+",
            b"+1",
            b"0x1",
            b"1.5.2",
            b"--1",
            b"00",
            br#""""#,
            br#""a\"b""#,
            br#""\u00e9\n\t\/\\""#,
            br#""\ud83d\ude00""#,
            br#""\ud800""#,
            br#""\udc00""#,
            br#""\ud800\u0041""#,
            br#""\x""#,
            br#""\u12""#,
            b"\"\x01\"",
            b"\"tab\there\"",
            "\"é ü 漢\"".as_bytes(),
            b"\"\xc3\"",
            b"\"abc",
            b"\"\\",
            b"true",
            b"false",
            b"null",
            b"tru",
            b"nul",
            b"truex",
            b"[]",
            b"[ ]",
            b"[1,]",
            b"[,1]",
            b"[1 2]",
            b"{}",
            b"{ }",
            br#"{"a":1,}"#,
            br#"{"a" 1}"#,
            br#"{a:1}"#,
            br#"{"a":1 "b":2}"#,
            br#"{"a":[1,{"b":[null,true]}],"c":{"d":-2.5e3}}"#,
            b" \t\r\n{} \n",
            b"{}x",
            b"",
            b"   ",
            b"[1]]",
            b"{\"a\":1}}",
            b"\x0c1",
            br#"{"k\u0065y":1,"key2":"v"}"#,
            br#"[1e1,1E1,0.0,-0e0]"#,
        ];
        for c in cases {
            let ours = parse_strict(c);
            let theirs = serde_json::from_slice::<Value>(c);
            match (&ours, &theirs) {
                (Ok(a), Ok(b)) => assert_eq!(a, b, "{}", String::from_utf8_lossy(c)),
                (Err(JsonError::Syntax(_)), Err(_)) => {}
                _ => panic!("{}: ours {ours:?}, serde_json {theirs:?}", String::from_utf8_lossy(c)),
            }
        }
        // Escaped member names are compared after unescaping.
        assert!(matches!(parse_strict(br#"{"key":1,"k\u0065y":2}"#), Err(JsonError::DuplicateMember { .. })));
    }

    /// Random texts built from JSON fragments (a fixed LCG, so the run is reproducible): the
    /// reader and serde_json agree on each, except where the checklist rules differ.
    #[test]
    fn agrees_with_serde_json_on_random_texts() {
        let frags: &[&str] = &[
            "{",
            "}",
            "[",
            "]",
            ",",
            ":",
            " ",
            "\n",
            "\"a\"",
            "\"b\"",
            "\"\\u00e9\"",
            "\"\\ud83d\\ude00\"",
            "\"\\\"",
            "\"\\n\"",
            "0",
            "-0",
            "1",
            "-1",
            "1.5",
            "1e3",
            "-2E-2",
            "12345678901234567890",
            "true",
            "false",
            "null",
            "\"é\"",
            "\"x\\",
            "01",
            "1.",
            "-",
            "\u{1}",
            "\"\t\"",
            "\"abcdefghijklmnop\"",
        ];
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = || {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            (seed >> 33) as usize
        };
        let (mut accepted, mut refused) = (0, 0);
        for _ in 0..30_000 {
            let n = 1 + next() % 12;
            let text: String = (0..n).map(|_| frags[next() % frags.len()]).collect();
            let ours = parse_strict(text.as_bytes());
            let theirs = serde_json::from_slice::<Value>(text.as_bytes());
            match (&ours, &theirs) {
                (Ok(a), Ok(b)) => {
                    assert_eq!(a, b, "{text:?}");
                    accepted += 1;
                }
                (Err(JsonError::Syntax(_)), Err(_)) => refused += 1,
                (Err(JsonError::DuplicateMember { .. }), Ok(_)) => {}
                _ => panic!("{text:?}: ours {ours:?}, serde_json {theirs:?}"),
            }
        }
        assert!(accepted > 1_000 && refused > 1_000, "{accepted} {refused}");
    }

    #[test]
    fn special_offset_finds_the_first_special_byte() {
        for n in 0..40 {
            for special in [b'"', b'\\', 0x00, 0x1f, b'\n'] {
                let mut s: Vec<u8> = (0..n).map(|i| b"az09 ~\x7f\xc3\xa9"[i % 9]).collect();
                assert_eq!(special_offset(&s), n, "none in {n}");
                s.push(special);
                s.extend_from_slice(b"\"xx\\");
                assert_eq!(special_offset(&s), n, "{special} after {n}");
            }
        }
    }

    #[test]
    fn members_keep_the_rules() {
        let m = parse_members(br#" {"alg":"ES256","typ":"JWT","x":{"a":1}} "#).unwrap();
        assert_eq!(m.len(), 3);
        assert_eq!(m.get("alg"), Some(&Value::from("ES256")));
        assert!(m.contains_key("x") && !m.contains_key("y"));
        assert_eq!(Value::Object(m.to_map()), parse_strict(br#"{"alg":"ES256","typ":"JWT","x":{"a":1}}"#).unwrap());
        assert!(matches!(parse_members(br#"{"alg":"ES256","alg":"none"}"#), Err(JsonError::DuplicateMember { .. })));
        let many: String = (0..40).map(|i| format!("\"k{i}\":{i},")).collect();
        assert!(parse_members(format!("{{{many}\"z\":0}}").as_bytes()).is_ok());
        assert!(matches!(
            parse_members(format!("{{{many}\"k7\":0}}").as_bytes()),
            Err(JsonError::DuplicateMember { name }) if name == "k7"
        ));
        assert!(matches!(parse_members(b"[1]"), Err(JsonError::Syntax(_))));
        assert!(matches!(parse_members(b"{} x"), Err(JsonError::Syntax(_))));
        assert!(matches!(parse_members(br#"{"a":{"b":1,"b":2}}"#), Err(JsonError::DuplicateMember { .. })));
        let deep = format!("{{\"a\":{}{}}}", "[".repeat(MAX_JSON_DEPTH), "]".repeat(MAX_JSON_DEPTH));
        assert_eq!(parse_members(deep.as_bytes()), Err(JsonError::TooDeep { max: MAX_JSON_DEPTH }));
        let big = format!("{{\"a\":\"{}\"}}", "a".repeat(MAX_JSON_BYTES));
        assert!(matches!(parse_members(big.as_bytes()), Err(JsonError::TooLarge { .. })));
    }

    #[test]
    fn size_cap_is_enforced() {
        let big = format!("\"{}\"", "a".repeat(MAX_JSON_BYTES));
        assert!(matches!(parse_strict(big.as_bytes()), Err(JsonError::TooLarge { .. })));
    }

    #[test]
    fn rejects_trailing_garbage_bad_utf8_and_lone_surrogates() {
        assert!(matches!(parse_strict(b"{} x"), Err(JsonError::Syntax(_))));
        assert!(matches!(parse_strict(b"\"\xff\""), Err(JsonError::Syntax(_))));
        assert!(matches!(parse_strict(br#""\ud800""#), Err(JsonError::Syntax(_))));
        assert!(matches!(parse_object(b"[1]"), Err(JsonError::Syntax(_))));
    }
}
