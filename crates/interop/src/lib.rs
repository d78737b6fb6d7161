//! Cross-border interoperability: recognition instruments as data, and the issuer x relying-state
//! matrix that sets each state's legal recognition of another state's credentials against what
//! its validator actually accepts.
//!
//! - [`agreement`]: `profiles/agreements/*.toml` (schema version 1, docs/interop.md).
//! - [`data`]: the inputs — the eleven states' profiles, the instruments, each state's sample
//!   credentials (`test-vectors/<state>/interop/`) — embedded at build time or read from a
//!   directory.
//! - [`matrix`]: for a date T, issuer A, relying B and kind K, the legal verdict, the technical
//!   verdict (B's [`eidtrust::TrustContext`] with the anchors B loads; PIDs through the token
//!   crate), the cell [`matrix::Class`] and the identifier mapping, with findings from
//!   [`findings::CATALOGUE`].
//! - [`render`]: text, JSON, JUnit, Markdown and one-page HTML.
//!
//! Nothing here reads the clock or the network: the date is an input.
#![forbid(unsafe_code)]

pub mod agreement;
pub mod data;
pub mod findings;
pub mod matrix;
pub mod render;

pub use data::{LoadError, Universe};
pub use matrix::{Cell, Class, Matrix};

use serde::{Deserialize, Serialize};
use std::fmt;

/// The credential kinds of the matrix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// Qualified certificate for electronic signatures (EN 319 411-2 QCP-n-qscd).
    QualifiedEsig,
    /// Qualified certificate for electronic seals (QCP-l-qscd).
    QualifiedEseal,
    /// Qualified website authentication certificate (EN 319 412-4).
    Qwac,
    /// Authentication certificate of a natural person (national eID card).
    Auth,
    /// EUDI PID as an SD-JWT VC.
    Pid,
}

impl Kind {
    pub const ALL: [Kind; 5] = [Kind::QualifiedEsig, Kind::QualifiedEseal, Kind::Qwac, Kind::Auth, Kind::Pid];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::QualifiedEsig => "qualified-esig",
            Kind::QualifiedEseal => "qualified-eseal",
            Kind::Qwac => "qwac",
            Kind::Auth => "auth",
            Kind::Pid => "pid",
        }
    }

    /// For people.
    pub fn title(self) -> &'static str {
        match self {
            Kind::QualifiedEsig => "qualified e-signature certificates",
            Kind::QualifiedEseal => "qualified e-seal certificates",
            Kind::Qwac => "QWACs",
            Kind::Auth => "authentication certificates",
            Kind::Pid => "PIDs",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The profile certificate type a sample of this kind is linted as (`None` for PIDs).
    pub fn cert_type(self) -> Option<eidtrust::profile::CertType> {
        use eidtrust::profile::CertType as T;
        match self {
            Kind::QualifiedEsig => Some(T::QualifiedEsig),
            Kind::QualifiedEseal => Some(T::QualifiedEseal),
            Kind::Qwac => Some(T::Qwac),
            Kind::Auth => Some(T::Auth),
            Kind::Pid => None,
        }
    }

    /// Issued by the state's qualified CA (the one a trusted list lists); authentication
    /// certificates and PID provider certificates come from the ordinary CA.
    pub fn from_qualified_ca(self) -> bool {
        matches!(self, Kind::QualifiedEsig | Kind::QualifiedEseal | Kind::Qwac)
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The matrix's default date: 2026-06-01T00:00:00Z, when every valid sample is inside its
/// validity period (the samples are fixed, generated test material).
pub const DEFAULT_AT: i64 = 1_780_272_000;

/// Unix seconds as RFC 3339.
pub fn rfc3339(t: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(t)
        .ok()
        .and_then(|d| d.format(&time::format_description::well_known::Rfc3339).ok())
        .unwrap_or_else(|| t.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_at_is_the_sample_time() {
        assert_eq!(rfc3339(DEFAULT_AT), "2026-06-01T00:00:00Z");
    }

    #[test]
    fn kinds_round_trip() {
        for k in Kind::ALL {
            assert_eq!(Kind::parse(k.as_str()), Some(k));
        }
        assert_eq!(Kind::parse("qes"), None);
    }
}
