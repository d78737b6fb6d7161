//! Recognition instruments as data: `profiles/agreements/*.toml`, schema version 1 (documented in
//! docs/interop.md).
//!
//! Every table rejects unknown keys and every closed vocabulary (status, effect, kind, LoA, state
//! id, date) is checked while deserialising, so a typo is reported with file, line and column.

use crate::Kind;
use serde::{Deserialize, Serialize};
use std::fmt;

/// The schema version this crate reads.
pub const SCHEMA_VERSION: u32 = 1;

/// Largest agreement file read (256 KiB): the shipped files are about 2 KiB; the cap bounds memory
/// when a directory is given by the caller (project limit).
pub const MAX_AGREEMENT_BYTES: usize = 256 * 1024;

/// The states of the matrix, in display order: the six Western Balkans states, then the five EU
/// members modelled. The EU baseline profile (`eu-eidas`) is a rule set, not a state.
pub const STATES: [&str; 11] = ["rs", "me", "mk", "al", "ba", "xk", "hr", "si", "bg", "ro", "el"];

/// The EU members among [`STATES`] (what `eu-members` means in an agreement file).
pub const EU_MEMBERS: [&str; 5] = ["hr", "si", "bg", "ro", "el"];

/// How far an instrument has come. Only `in-force` can make a credential recognised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    InForce,
    Signed,
    Reported,
    Unconfirmed,
    PoliticalOnly,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::InForce => "in force",
            Status::Signed => "signed (not in force as recorded)",
            Status::Reported => "reported (unconfirmed)",
            Status::Unconfirmed => "unconfirmed",
            Status::PoliticalOnly => "political only (no legal effect)",
        }
    }
}

/// What a recognition entry does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Effect {
    /// The relying states recognise the issuers' credentials of the scope.
    Recognition,
    /// Identifiers are linked between registers; credentials and LoA are not recognised.
    IdentifierLinking,
    /// A recorded absence of recognition (eIDAS Art. 14 without an agreement).
    None,
}

/// eIDAS levels of assurance (Implementing Regulation (EU) 2015/1502).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Loa {
    Low,
    Substantial,
    High,
}

/// A state id of [`STATES`], or the group `eu-members`, checked on load.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct StateRef(pub String);

impl StateRef {
    /// The state ids this reference stands for.
    pub fn expand(&self) -> Vec<&'static str> {
        if self.0 == "eu-members" {
            EU_MEMBERS.to_vec()
        } else {
            STATES.iter().copied().filter(|s| *s == self.0).collect()
        }
    }
}

impl<'de> Deserialize<'de> for StateRef {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        if s == "eu-members" || STATES.contains(&s.as_str()) {
            Ok(StateRef(s))
        } else {
            Err(serde::de::Error::custom(format!(
                "unknown state {s:?} (expected one of {} or \"eu-members\")",
                STATES.join(", ")
            )))
        }
    }
}

/// A date as precise as the source gives it, or `not recorded`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateSpec {
    NotRecorded,
    Year(i32),
    Month(i32, u8),
    Day(i32, u8, u8),
}

impl DateSpec {
    pub fn parse(s: &str) -> Option<DateSpec> {
        if s == "not recorded" {
            return Some(DateSpec::NotRecorded);
        }
        let parts: Vec<&str> = s.split('-').collect();
        let num = |p: &str, len: usize| -> Option<u32> {
            if p.len() == len && p.bytes().all(|b| b.is_ascii_digit()) {
                p.parse().ok()
            } else {
                None
            }
        };
        let spec = match parts.as_slice() {
            [y] => DateSpec::Year(num(y, 4)? as i32),
            [y, m] => DateSpec::Month(num(y, 4)? as i32, num(m, 2)? as u8),
            [y, m, d] => DateSpec::Day(num(y, 4)? as i32, num(m, 2)? as u8, num(d, 2)? as u8),
            _ => return None,
        };
        // Validate the calendar date.
        spec.first_instant()?;
        Some(spec)
    }

    fn ymd(y: i32, m: u8, d: u8) -> Option<i64> {
        let month = time::Month::try_from(m).ok()?;
        let date = time::Date::from_calendar_date(y, month, d).ok()?;
        Some(date.midnight().assume_utc().unix_timestamp())
    }

    /// The first instant of the period (Unix seconds); `None` when not recorded.
    pub fn first_instant(&self) -> Option<i64> {
        match *self {
            DateSpec::NotRecorded => None,
            DateSpec::Year(y) => Self::ymd(y, 1, 1),
            DateSpec::Month(y, m) => Self::ymd(y, m, 1),
            DateSpec::Day(y, m, d) => Self::ymd(y, m, d),
        }
    }

    /// The first instant after the period: the earliest time at which something that happened
    /// "in" the period has certainly happened (a year-only ratification counts from 1 January of
    /// the next year).
    pub fn certain_from(&self) -> Option<i64> {
        match *self {
            DateSpec::NotRecorded => None,
            DateSpec::Year(y) => Self::ymd(y + 1, 1, 1),
            DateSpec::Month(y, 12) => Self::ymd(y + 1, 1, 1),
            DateSpec::Month(y, m) => Self::ymd(y, m + 1, 1),
            DateSpec::Day(..) => self.first_instant(),
        }
    }
}

impl fmt::Display for DateSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DateSpec::NotRecorded => f.write_str("not recorded"),
            DateSpec::Year(y) => write!(f, "{y:04}"),
            DateSpec::Month(y, m) => write!(f, "{y:04}-{m:02}"),
            DateSpec::Day(y, m, d) => write!(f, "{y:04}-{m:02}-{d:02}"),
        }
    }
}

impl Serialize for DateSpec {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for DateSpec {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        DateSpec::parse(&s).ok_or_else(|| {
            serde::de::Error::custom(format!("{s:?} is not YYYY, YYYY-MM, YYYY-MM-DD or \"not recorded\""))
        })
    }
}

/// The schema version, checked while deserialising (so the error has a position).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct SchemaVersion(pub u32);

impl<'de> Deserialize<'de> for SchemaVersion {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = u32::deserialize(d)?;
        if v == SCHEMA_VERSION {
            Ok(SchemaVersion(v))
        } else {
            Err(serde::de::Error::custom(format!(
                "schema_version = {v} is not supported (this build reads version {SCHEMA_VERSION})"
            )))
        }
    }
}

/// One instrument: a treaty, a law, a regulation, a memorandum.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Instrument {
    pub schema_version: SchemaVersion,
    /// Short stable id (`rs-mk-qts-2019`); must equal the file stem.
    pub id: String,
    pub title: String,
    /// Gazette, CELEX or treaty reference; `not recorded` parts say so.
    pub citation: String,
    pub status: Status,
    pub parties: Vec<StateRef>,
    /// What the instrument does in law, in one sentence.
    pub legal_effect: String,
    /// Where the facts were taken from.
    pub source: String,
    #[serde(default)]
    pub notes: Vec<String>,
    #[serde(default)]
    pub recognition: Vec<Recognition>,
}

/// One direction of an instrument: which relying states recognise which issuers, for what.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Recognition {
    pub issuers: Vec<StateRef>,
    pub relying: Vec<StateRef>,
    pub scope: Vec<Kind>,
    pub effect: Effect,
    /// The status of this direction when it differs from the instrument's (one party ratified).
    #[serde(default)]
    pub status: Option<Status>,
    /// From when it applies, as precisely as recorded.
    pub since: DateSpec,
    /// Until when it applies (absent: open-ended).
    #[serde(default)]
    pub until: Option<DateSpec>,
    /// The minimum eIDAS level of assurance recognised, where relevant (eID, PID).
    #[serde(default)]
    pub loa: Option<Loa>,
    #[serde(default)]
    pub note: String,
}

impl Recognition {
    pub fn status_in(&self, i: &Instrument) -> Status {
        self.status.unwrap_or(i.status)
    }
    pub fn covers(&self, issuer: &str, relying: &str, kind: Kind) -> bool {
        self.scope.contains(&kind)
            && self.issuers.iter().any(|s| s.expand().contains(&issuer))
            && self.relying.iter().any(|s| s.expand().contains(&relying))
    }
}

/// Why an agreement file could not be loaded. Display names the file, and the line and column
/// when the TOML deserializer knows them.
#[derive(Debug, thiserror::Error)]
pub enum AgreementError {
    #[error("cannot read agreement {file}: {source}")]
    Io {
        file: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{file}:{line}:{column}: {message}")]
    Syntax { file: String, line: usize, column: usize, message: String },
    #[error("{file}: {message}")]
    Invalid { file: String, message: String },
    #[error("agreement file {file} is {size} bytes, over the limit of {MAX_AGREEMENT_BYTES} bytes")]
    TooLarge { file: String, size: usize },
}

/// Parses and checks one agreement file; `file` names it in errors and its stem must be the id.
pub fn parse_str(text: &str, file: &str) -> Result<Instrument, AgreementError> {
    if text.len() > MAX_AGREEMENT_BYTES {
        return Err(AgreementError::TooLarge { file: file.to_string(), size: text.len() });
    }
    let i: Instrument = toml::from_str(text).map_err(|e| {
        let (line, column) = e.span().map(|s| eidtrust::profile::line_col(text, s.start)).unwrap_or((0, 0));
        AgreementError::Syntax { file: file.to_string(), line, column, message: e.message().trim().to_string() }
    })?;
    let invalid = |message: String| AgreementError::Invalid { file: file.to_string(), message };
    if i.id.is_empty() || !i.id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-') {
        return Err(invalid(format!("id {:?} must be lower-case letters, digits and '-'", i.id)));
    }
    let stem = std::path::Path::new(file.trim_end_matches(" (built-in)"))
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    if stem != i.id {
        return Err(invalid(format!("id {:?} must equal the file name stem {stem:?}", i.id)));
    }
    for (name, v) in
        [("title", &i.title), ("citation", &i.citation), ("legal_effect", &i.legal_effect), ("source", &i.source)]
    {
        if v.trim().is_empty() {
            return Err(invalid(format!("{name} must not be empty (write \"not recorded\" when it is unknown)")));
        }
    }
    if i.parties.is_empty() {
        return Err(invalid("parties: at least one party is required".into()));
    }
    for (n, r) in i.recognition.iter().enumerate() {
        if r.issuers.is_empty() || r.relying.is_empty() || r.scope.is_empty() {
            return Err(invalid(format!("recognition[{n}]: issuers, relying and scope must not be empty")));
        }
        if let (Some(from), Some(Some(to))) = (r.since.first_instant(), r.until.map(|u| u.first_instant())) {
            if to <= from {
                return Err(invalid(format!(
                    "recognition[{n}]: until {} is not after since {}",
                    r.until.map(|u| u.to_string()).unwrap_or_default(),
                    r.since
                )));
            }
        }
    }
    Ok(i)
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"schema_version = 1
id = "x"
title = "t"
citation = "not recorded"
status = "in-force"
parties = ["rs"]
legal_effect = "e"
source = "s"

[[recognition]]
issuers = ["mk"]
relying = ["rs"]
scope = ["qualified-esig"]
effect = "recognition"
since = "2020"
"#;

    #[test]
    fn a_good_file_loads() {
        let i = parse_str(GOOD, "dir/x.toml").unwrap();
        assert_eq!(i.recognition[0].since, DateSpec::Year(2020));
        assert!(i.recognition[0].covers("mk", "rs", Kind::QualifiedEsig));
        assert!(!i.recognition[0].covers("rs", "mk", Kind::QualifiedEsig));
    }

    fn syntax(src: &str) -> (usize, usize, String) {
        match parse_str(src, "x.toml") {
            Err(AgreementError::Syntax { line, column, message, .. }) => (line, column, message),
            other => panic!("expected a syntax error, got {other:?}"),
        }
    }

    #[test]
    fn unknown_keys_and_bad_values_have_positions() {
        let (l, _, m) = syntax(&GOOD.replace("source = \"s\"", "source = \"s\"\nsorce = 1"));
        assert_eq!(l, 9);
        assert!(m.contains("sorce"), "{m}");
        let (l, c, m) = syntax(&GOOD.replace("status = \"in-force\"", "status = \"in force\""));
        assert_eq!((l, c), (5, 10));
        assert!(m.contains("in force"), "{m}");
        let (l, _, m) = syntax(&GOOD.replace("issuers = [\"mk\"]", "issuers = [\"mkd\"]"));
        assert_eq!(l, 11);
        assert!(m.contains("unknown state"), "{m}");
        let (l, _, m) = syntax(&GOOD.replace("since = \"2020\"", "since = \"2020-13\""));
        assert_eq!(l, 15);
        assert!(m.contains("YYYY"), "{m}");
        let (l, _, _) = syntax(&GOOD.replace("scope = [\"qualified-esig\"]", "scope = [\"qes\"]"));
        assert_eq!(l, 13);
        let (l, _, m) = syntax(&GOOD.replace("schema_version = 1", "schema_version = 2"));
        assert_eq!(l, 1);
        assert!(m.contains("not supported"), "{m}");
    }

    #[test]
    fn semantic_errors_name_the_file() {
        let e = parse_str(GOOD, "dir/y.toml").unwrap_err().to_string();
        assert!(e.starts_with("dir/y.toml: id \"x\""), "{e}");
        let e = parse_str(&GOOD.replace("scope = [\"qualified-esig\"]", "scope = []"), "x.toml").unwrap_err();
        assert!(e.to_string().contains("must not be empty"), "{e}");
    }

    #[test]
    fn size_limit_is_enforced() {
        let big = format!("{GOOD}\n#{}", "a".repeat(MAX_AGREEMENT_BYTES));
        assert!(matches!(parse_str(&big, "x.toml"), Err(AgreementError::TooLarge { .. })));
    }

    #[test]
    fn partial_dates_count_from_the_end_of_their_period() {
        let y = DateSpec::parse("2020").unwrap();
        assert_eq!(y.first_instant(), Some(1_577_836_800));
        assert_eq!(y.certain_from(), Some(1_609_459_200)); // 2021-01-01
        assert_eq!(DateSpec::parse("2019-12").unwrap().certain_from(), Some(1_577_836_800));
        assert_eq!(DateSpec::parse("2016-07-01").unwrap().certain_from(), Some(1_467_331_200));
        assert_eq!(DateSpec::parse("not recorded").unwrap().certain_from(), None);
        assert!(DateSpec::parse("2019-02-30").is_none());
        assert!(DateSpec::parse("19").is_none());
    }
}
