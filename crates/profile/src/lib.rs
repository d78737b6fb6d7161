//! National profiles as data, and certificate profile linting.
//!
//! A [`Profile`] (TOML, schema in [`schema`], authoring guide in `docs/profiles.md`) says which
//! trust sources a state uses, its legal basis and supervisory body, its LoA mapping, the
//! algorithms and key sizes it allows, its national identifier formats and national additions per
//! certificate type. The twelve shipped profiles are embedded in the binary ([`builtin`]); a
//! profile can also be loaded from a file ([`load_file`]).
//!
//! [`lint_certificate`] checks one certificate against a profile as one [`CertType`], applying
//! ETSI EN 319 412-1..-5 and EN 319 411-1/-2 rules, RFC 5280 structural rules, the profile's
//! algorithm rules and its national identifier rules. Every finding id is listed in
//! [`findings::CATALOGUE`] with its citation.
#![forbid(unsafe_code)]

pub mod der;
pub mod findings;
pub mod ident;
pub mod lint;
pub mod oids;
pub mod qcs;
pub mod schema;

pub use lint::{lint_certificate, lint_input, lint_many, LintReport, TypeSource};
pub use schema::{AlgorithmRules, Profile};

use std::fmt;
use std::path::Path;

/// The certificate types a profile lints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CertType {
    /// Qualified certificate for electronic signatures (natural person), EN 319 411-2 QCP-n.
    QualifiedEsig,
    /// Qualified certificate for electronic seals (legal person), EN 319 411-2 QCP-l.
    QualifiedEseal,
    /// Qualified website authentication certificate, EN 319 411-2 QCP-w / EN 319 412-4.
    Qwac,
    /// Authentication certificate of a natural person (EN 319 412-2, not for content commitment).
    Auth,
    /// Non-qualified electronic-signature certificate (natural person), EN 319 411-1.
    Esig,
    /// Non-qualified electronic-seal certificate (legal person), EN 319 411-1.
    Eseal,
}

impl CertType {
    pub const ALL: [CertType; 6] = [
        CertType::QualifiedEsig,
        CertType::QualifiedEseal,
        CertType::Qwac,
        CertType::Auth,
        CertType::Esig,
        CertType::Eseal,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CertType::QualifiedEsig => "qualified-esig",
            CertType::QualifiedEseal => "qualified-eseal",
            CertType::Qwac => "qwac",
            CertType::Auth => "auth",
            CertType::Esig => "esig",
            CertType::Eseal => "eseal",
        }
    }

    pub fn parse(s: &str) -> Option<CertType> {
        CertType::ALL.into_iter().find(|t| t.as_str() == s)
    }

    pub fn is_qualified(self) -> bool {
        matches!(self, CertType::QualifiedEsig | CertType::QualifiedEseal | CertType::Qwac)
    }

    /// Subject is a legal person (seals).
    pub fn is_legal_person(self) -> bool {
        matches!(self, CertType::QualifiedEseal | CertType::Eseal)
    }

    /// Subject is a natural person (signatures, authentication).
    pub fn is_natural_person(self) -> bool {
        matches!(self, CertType::QualifiedEsig | CertType::Esig | CertType::Auth)
    }

    /// The key is used for content commitment (signatures and seals).
    pub fn is_content_commitment(self) -> bool {
        matches!(self, CertType::QualifiedEsig | CertType::QualifiedEseal | CertType::Esig | CertType::Eseal)
    }
}

impl fmt::Display for CertType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for CertType {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// Why a profile could not be loaded. Display names the file, and the line and column when the
/// TOML deserializer knows them.
#[derive(Debug, thiserror::Error)]
pub enum ProfileError {
    #[error("cannot read profile {file}: {source}")]
    Io {
        file: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{file}:{line}:{column}: {message}")]
    Syntax { file: String, line: usize, column: usize, message: String },
    #[error("{file}: {message}")]
    Invalid { file: String, message: String },
    #[error("unknown profile {0:?} (built-in profiles: {list}; or give a path to a .toml file)", list = BUILTIN_IDS.join(", "))]
    Unknown(String),
    #[error("profile file {file} is {size} bytes, over the limit of {MAX_PROFILE_BYTES} bytes")]
    TooLarge { file: String, size: u64 },
}

/// Largest profile file read (1 MiB): the shipped profiles are a few KiB; the cap bounds memory
/// when a path is given by the caller (project limit).
pub const MAX_PROFILE_BYTES: u64 = 1024 * 1024;

/// Ids of the built-in profiles, in display order.
pub const BUILTIN_IDS: &[&str] = &["eu-eidas", "rs", "me", "mk", "al", "ba", "xk", "hr", "si", "bg", "ro", "el"];

/// The TOML text of a built-in profile.
pub fn builtin_source(id: &str) -> Option<&'static str> {
    Some(match id {
        "eu-eidas" => include_str!("../../../profiles/eu-eidas.toml"),
        "rs" => include_str!("../../../profiles/rs.toml"),
        "me" => include_str!("../../../profiles/me.toml"),
        "mk" => include_str!("../../../profiles/mk.toml"),
        "al" => include_str!("../../../profiles/al.toml"),
        "ba" => include_str!("../../../profiles/ba.toml"),
        "xk" => include_str!("../../../profiles/xk.toml"),
        "hr" => include_str!("../../../profiles/hr.toml"),
        "si" => include_str!("../../../profiles/si.toml"),
        "bg" => include_str!("../../../profiles/bg.toml"),
        "ro" => include_str!("../../../profiles/ro.toml"),
        "el" => include_str!("../../../profiles/el.toml"),
        _ => return None,
    })
}

/// Loads a built-in profile by id.
pub fn builtin(id: &str) -> Result<Profile, ProfileError> {
    let src = builtin_source(id).ok_or_else(|| ProfileError::Unknown(id.to_string()))?;
    parse_str(src, &format!("profiles/{id}.toml (built-in)"))
}

/// Loads every built-in profile.
pub fn builtins() -> Result<Vec<Profile>, ProfileError> {
    BUILTIN_IDS.iter().map(|id| builtin(id)).collect()
}

/// Loads a profile from a TOML file.
pub fn load_file(path: &Path) -> Result<Profile, ProfileError> {
    use std::io::Read;
    let file = path.display().to_string();
    let f = std::fs::File::open(path).map_err(|source| ProfileError::Io { file: file.clone(), source })?;
    let size = f.metadata().map_err(|source| ProfileError::Io { file: file.clone(), source })?.len();
    if size > MAX_PROFILE_BYTES {
        return Err(ProfileError::TooLarge { file, size });
    }
    let mut text = String::new();
    f.take(MAX_PROFILE_BYTES + 1)
        .read_to_string(&mut text)
        .map_err(|source| ProfileError::Io { file: file.clone(), source })?;
    if text.len() as u64 > MAX_PROFILE_BYTES {
        return Err(ProfileError::TooLarge { file, size: text.len() as u64 });
    }
    parse_str(&text, &file)
}

/// Resolves `--profile`: a built-in id, or else a path to a TOML file.
pub fn resolve(id_or_path: &str) -> Result<Profile, ProfileError> {
    if builtin_source(id_or_path).is_some() {
        return builtin(id_or_path);
    }
    let p = Path::new(id_or_path);
    if id_or_path.ends_with(".toml") || p.exists() {
        return load_file(p);
    }
    Err(ProfileError::Unknown(id_or_path.to_string()))
}

/// The 1-based line and column (in characters) of byte `offset` in `text`: where a TOML error's
/// span starts, for `file:line:column` messages (profiles here, agreements in `interop`).
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let upto = text.get(..offset.min(text.len())).unwrap_or(text);
    let line = upto.matches('\n').count() + 1;
    let column = upto.rsplit('\n').next().map(|l| l.chars().count()).unwrap_or(0) + 1;
    (line, column)
}

/// Parses and checks a profile; `file` names it in errors.
pub fn parse_str(text: &str, file: &str) -> Result<Profile, ProfileError> {
    let profile: Profile = toml::from_str(text).map_err(|e| {
        let (line, column) = e.span().map(|s| line_col(text, s.start)).unwrap_or((0, 0));
        ProfileError::Syntax { file: file.to_string(), line, column, message: e.message().trim().to_string() }
    })?;
    check(&profile).map_err(|message| ProfileError::Invalid { file: file.to_string(), message })?;
    Ok(profile)
}

/// The semantic checks that the schema's types cannot express.
pub fn check(p: &Profile) -> Result<(), String> {
    use ident::{NationalScheme, LEGAL_TYPES, NATURAL_TYPES};
    if p.schema_version != schema::SCHEMA_VERSION {
        return Err(format!(
            "schema_version = {} is not supported (this build reads version {})",
            p.schema_version,
            schema::SCHEMA_VERSION
        ));
    }
    if p.id.is_empty() || !p.id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-') {
        return Err(format!("id {:?} must be lower-case letters, digits and '-'", p.id));
    }
    if p.legal_basis.is_empty() {
        return Err("legal_basis: at least one entry is required".into());
    }
    if p.trust_sources.is_empty() {
        return Err("trust_sources: at least one entry is required".into());
    }
    for (i, t) in p.trust_sources.iter().enumerate() {
        if t.kind == schema::TrustSourceKind::SyntheticAnchors && !t.test_material {
            return Err(format!("trust_sources[{i}]: synthetic-anchors must set test_material = true"));
        }
        if t.kind == schema::TrustSourceKind::ForeignSyntheticAnchors {
            if !t.test_material {
                return Err(format!("trust_sources[{i}]: foreign-synthetic-anchors must set test_material = true"));
            }
            let state = t.location.strip_prefix("test-vectors/").map(|s| s.trim_end_matches('/'));
            if !state.is_some_and(|s| !s.is_empty() && s.bytes().all(|b| b.is_ascii_lowercase())) {
                return Err(format!(
                    "trust_sources[{i}]: foreign-synthetic-anchors location {:?} must be test-vectors/<state>/",
                    t.location
                ));
            }
        }
    }
    let a = &p.algorithms;
    if a.signature_algorithms.is_empty() {
        return Err("algorithms.signature_algorithms: at least one algorithm is required".into());
    }
    if !(1024..=16384).contains(&a.rsa_min_bits) {
        return Err(format!("algorithms.rsa_min_bits = {} is outside 1024..=16384", a.rsa_min_bits));
    }
    for (i, n) in p.identifiers.national.iter().enumerate() {
        if n.type_refs.is_empty() {
            return Err(format!("identifiers.national[{i}].type_refs: at least one type reference is required"));
        }
        for t in &n.type_refs {
            if !NATURAL_TYPES.contains(&t.as_str()) && !LEGAL_TYPES.contains(&t.as_str()) {
                return Err(format!(
                    "identifiers.national[{i}].type_refs: {t:?} is not an EN 319 412-1 type reference"
                ));
            }
        }
        match (n.scheme, n.remainder_one) {
            (NationalScheme::Jmbg, None) => {
                return Err(format!(
                    "identifiers.national[{i}]: scheme jmbg needs remainder_one = \"reject\" or \"accept-zero\""
                ))
            }
            (NationalScheme::Jmbg, Some(_)) => {}
            (_, Some(_)) => {
                return Err(format!("identifiers.national[{i}]: remainder_one applies only to scheme jmbg"))
            }
            (_, None) => {}
        }
    }
    for t in CertType::ALL {
        if let Some(r) = lint::type_rules(p, t) {
            for a in &r.required_subject_attributes {
                if lint::attribute_oid(a).is_none() {
                    return Err(format!("types.{t}.required_subject_attributes: unknown attribute {a:?}"));
                }
            }
            if r.require_national_identifier && p.identifiers.national.is_empty() {
                return Err(format!("types.{t}.require_national_identifier is set but identifiers.national is empty"));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_builtins_load() {
        let all = builtins().unwrap();
        assert_eq!(all.len(), BUILTIN_IDS.len());
        for (p, id) in all.iter().zip(BUILTIN_IDS) {
            assert_eq!(&p.id, id);
        }
    }

    #[test]
    fn cert_type_round_trip() {
        for t in CertType::ALL {
            assert_eq!(CertType::parse(t.as_str()), Some(t));
        }
        assert_eq!(CertType::parse("bogus"), None);
    }

    #[test]
    fn line_col_counts_from_one() {
        assert_eq!(line_col("ab\ncd", 0), (1, 1));
        assert_eq!(line_col("ab\ncd", 4), (2, 2));
    }
}
