//! A strict JSON reader for every JOSE part: header, payload, disclosure and KB-JWT.
//!
//! It differs from a plain `serde_json::from_slice` in three ways, each a rule of the checklist:
//!
//! * duplicate member names are rejected at every level (RFC 7515 §4 and RFC 7519 §4 require
//!   unique Header Parameter and claim names; RFC 8259 §4 leaves duplicates undefined, which is
//!   how parser-differential attacks happen);
//! * nesting is capped at [`MAX_JSON_DEPTH`] (RFC 8259 §9 lets a parser limit depth);
//! * one part is capped at [`MAX_JSON_BYTES`] before it is parsed (RFC 8259 §9, size limits).

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};
use std::cell::Cell;
use std::fmt;

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
    let problem: Cell<Option<JsonError>> = Cell::new(None);
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let seed = Seed { depth: 0, problem: &problem };
    let result = seed.deserialize(&mut de).and_then(|v| de.end().map(|_| v));
    match result {
        Ok(v) => Ok(v),
        Err(e) => Err(problem.take().unwrap_or_else(|| JsonError::Syntax(e.to_string()))),
    }
}

/// Parses `bytes` and requires a JSON object (JOSE headers, JWT claim sets).
pub fn parse_object(bytes: &[u8]) -> Result<Map<String, Value>, JsonError> {
    match parse_strict(bytes)? {
        Value::Object(m) => Ok(m),
        other => Err(JsonError::Syntax(format!("expected a JSON object, found {}", kind_name(&other)))),
    }
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

#[derive(Clone, Copy)]
struct Seed<'a> {
    depth: usize,
    problem: &'a Cell<Option<JsonError>>,
}

impl<'a> Seed<'a> {
    fn fail<E: de::Error>(&self, p: JsonError) -> E {
        let msg = p.to_string();
        self.problem.set(Some(p));
        E::custom(msg)
    }
    fn deeper<E: de::Error>(&self) -> Result<Seed<'a>, E> {
        if self.depth >= MAX_JSON_DEPTH {
            return Err(self.fail(JsonError::TooDeep { max: MAX_JSON_DEPTH }));
        }
        Ok(Seed { depth: self.depth + 1, problem: self.problem })
    }
}

impl<'de> DeserializeSeed<'de> for Seed<'_> {
    type Value = Value;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Seed<'_> {
    type Value = Value;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        serde_json::Number::from_f64(v).map(Value::Number).ok_or_else(|| E::custom("a number that is not finite"))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let inner = self.deeper()?;
        let mut out = Vec::new();
        while let Some(v) = seq.next_element_seed(inner)? {
            out.push(v);
        }
        Ok(Value::Array(out))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let inner = self.deeper()?;
        let mut out = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if out.contains_key(&key) {
                return Err(self.fail(JsonError::DuplicateMember { name: key }));
            }
            let v = map.next_value_seed(inner)?;
            out.insert(key, v);
        }
        Ok(Value::Object(out))
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
