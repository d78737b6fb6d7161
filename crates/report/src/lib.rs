//! The shared result model of eidtrust.
//!
//! Every check in the toolkit — a certificate chain, a token, a lint, a trusted list, an interop cell —
//! returns the same kind of value: a [`Verdict`] (an ETSI EN 319 102-1 [`Indication`] with an optional
//! [`SubIndication`]) and a list of [`Finding`]s. A finding carries a stable, clause-bearing id
//! (`rfc5280.basic-constraints.ca-false`), a [`Severity`], a message written for people, and a
//! [`Location`].
//!
//! Finding ids never change meaning once shipped. Each crate publishes its ids as a static catalogue
//! of [`FindingDef`]s so that `eidtrust findings` and `docs/findings.md` can list them with their
//! citations.
//!
//! This crate does no crypto and no parsing; [`render`] turns results into text, JSON, JUnit XML,
//! SARIF and HTML.
#![forbid(unsafe_code)]

pub mod render;

use serde::{Serialize, Serializer};
use std::borrow::Cow;
use std::fmt;

/// How bad a finding is, in increasing order: `info < notice < warning < error < fatal`.
///
/// `error` and `fatal` findings make a verdict "not valid"; the others are advisory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Notice,
    Warning,
    Error,
    Fatal,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Notice => "notice",
            Severity::Warning => "warning",
            Severity::Error => "error",
            Severity::Fatal => "fatal",
        }
    }

    /// `error` or `fatal`: a finding of this severity makes the subject non-conformant / not valid.
    pub fn is_failure(self) -> bool {
        self >= Severity::Error
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The main status indication of ETSI EN 319 102-1 §5.1.3 (Table 5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Indication {
    /// TOTAL-PASSED / PASSED: every check passed.
    Passed,
    /// TOTAL-FAILED / FAILED: a check failed in a way no further information can change.
    Failed,
    /// INDETERMINATE: the available information is insufficient to decide.
    Indeterminate,
}

impl Indication {
    pub fn as_str(self) -> &'static str {
        match self {
            Indication::Passed => "TOTAL_PASSED",
            Indication::Failed => "TOTAL_FAILED",
            Indication::Indeterminate => "INDETERMINATE",
        }
    }
}

impl Serialize for Indication {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl fmt::Display for Indication {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The sub-indications of ETSI EN 319 102-1 §5.1.3 (Tables 6 and 7), plus the few the
/// toolkit's other subjects need (token and list formats reuse FORMAT_FAILURE etc.).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SubIndication {
    // with TOTAL-FAILED
    FormatFailure,
    HashFailure,
    SigCryptoFailure,
    Revoked,
    SigConstraintsFailure,
    // with INDETERMINATE (and some with FAILED)
    ChainConstraintsFailure,
    CertificateChainGeneralFailure,
    CryptoConstraintsFailure,
    Expired,
    NotYetValid,
    PolicyProcessingError,
    SignatureFormatNotSupported,
    NoCertificateChainFound,
    NoSignerCertificateFound,
    RevokedNoPoe,
    RevokedCaNoPoe,
    OutOfBoundsNoPoe,
    OutOfBoundsNotRevoked,
    CryptoConstraintsFailureNoPoe,
    NoPoe,
    TryLater,
    SignedDataNotFound,
}

impl SubIndication {
    pub fn as_str(self) -> &'static str {
        use SubIndication::*;
        match self {
            FormatFailure => "FORMAT_FAILURE",
            HashFailure => "HASH_FAILURE",
            SigCryptoFailure => "SIG_CRYPTO_FAILURE",
            Revoked => "REVOKED",
            SigConstraintsFailure => "SIG_CONSTRAINTS_FAILURE",
            ChainConstraintsFailure => "CHAIN_CONSTRAINTS_FAILURE",
            CertificateChainGeneralFailure => "CERTIFICATE_CHAIN_GENERAL_FAILURE",
            CryptoConstraintsFailure => "CRYPTO_CONSTRAINTS_FAILURE",
            Expired => "EXPIRED",
            NotYetValid => "NOT_YET_VALID",
            PolicyProcessingError => "POLICY_PROCESSING_ERROR",
            SignatureFormatNotSupported => "SIGNATURE_FORMAT_NOT_SUPPORTED",
            NoCertificateChainFound => "NO_CERTIFICATE_CHAIN_FOUND",
            NoSignerCertificateFound => "NO_SIGNING_CERTIFICATE_FOUND",
            RevokedNoPoe => "REVOKED_NO_POE",
            RevokedCaNoPoe => "REVOKED_CA_NO_POE",
            OutOfBoundsNoPoe => "OUT_OF_BOUNDS_NO_POE",
            OutOfBoundsNotRevoked => "OUT_OF_BOUNDS_NOT_REVOKED",
            CryptoConstraintsFailureNoPoe => "CRYPTO_CONSTRAINTS_FAILURE_NO_POE",
            NoPoe => "NO_POE",
            TryLater => "TRY_LATER",
            SignedDataNotFound => "SIGNED_DATA_NOT_FOUND",
        }
    }
}

impl Serialize for SubIndication {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl fmt::Display for SubIndication {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a finding applies. All parts are optional; renderers print what is there.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Location {
    /// A file name, when the subject came from one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// Chain depth: 0 is the leaf (end-entity), counting towards the anchor.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub depth: Option<usize>,
    /// A path inside the subject: an ASN.1 path (`tbsCertificate.extensions.keyUsage`), a JSON
    /// pointer (`/payload/exp`) or an XML path.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
}

impl Location {
    pub fn none() -> Self {
        Self::default()
    }
    pub fn depth(depth: usize) -> Self {
        Location { depth: Some(depth), ..Self::default() }
    }
    pub fn path(path: impl Into<String>) -> Self {
        Location { path: Some(path.into()), ..Self::default() }
    }
    pub fn with_path(mut self, path: impl Into<String>) -> Self {
        self.path = Some(path.into());
        self
    }
    pub fn with_file(mut self, file: impl Into<String>) -> Self {
        self.file = Some(file.into());
        self
    }
    pub fn is_empty(&self) -> bool {
        self.file.is_none() && self.depth.is_none() && self.path.is_none()
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut sep = "";
        if let Some(file) = &self.file {
            write!(f, "{file}")?;
            sep = ", ";
        }
        if let Some(d) = self.depth {
            write!(f, "{sep}depth {d}")?;
            sep = ", ";
        }
        if let Some(p) = &self.path {
            write!(f, "{sep}{p}")?;
        }
        Ok(())
    }
}

/// One observation about a subject.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// Stable, clause-bearing id, e.g. `rfc5280.basic-constraints.ca-false`; borrowed when it
    /// comes from a catalogue (as nearly all do), owned when made at run time (profile rules
    /// read from data).
    pub id: Cow<'static, str>,
    pub severity: Severity,
    /// A sentence for people that names the certificate, claim or element concerned; borrowed
    /// when it is a fixed text.
    pub message: Cow<'static, str>,
    #[serde(skip_serializing_if = "Location::is_empty")]
    pub location: Location,
}

impl Finding {
    pub fn new(id: impl Into<Cow<'static, str>>, severity: Severity, message: impl Into<Cow<'static, str>>) -> Self {
        Finding { id: id.into(), severity, message: message.into(), location: Location::none() }
    }
    /// A finding whose id and severity come from a catalogue entry.
    pub fn from_def(def: &FindingDef, message: impl Into<Cow<'static, str>>) -> Self {
        Finding::new(def.id, def.severity, message)
    }
    pub fn at(mut self, location: Location) -> Self {
        self.location = location;
        self
    }
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {} [{}]", self.severity, self.message, self.id)?;
        if !self.location.is_empty() {
            write!(f, " ({})", self.location)?;
        }
        Ok(())
    }
}

/// A catalogue entry: what a finding id means and where the rule comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct FindingDef {
    pub id: &'static str,
    /// The default severity of the finding.
    pub severity: Severity,
    /// The clause the rule comes from, e.g. `RFC 5280 §4.2.1.9`.
    pub citation: &'static str,
    /// One line on what the finding means.
    pub summary: &'static str,
}

/// The outcome of one check: an ETSI indication, an optional sub-indication, and the findings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    pub indication: Indication,
    pub sub_indication: Option<SubIndication>,
    pub findings: Vec<Finding>,
}

impl Verdict {
    pub fn passed(findings: Vec<Finding>) -> Self {
        Verdict { indication: Indication::Passed, sub_indication: None, findings }
    }
    pub fn failed(sub: SubIndication, findings: Vec<Finding>) -> Self {
        Verdict { indication: Indication::Failed, sub_indication: Some(sub), findings }
    }
    pub fn indeterminate(sub: SubIndication, findings: Vec<Finding>) -> Self {
        Verdict { indication: Indication::Indeterminate, sub_indication: Some(sub), findings }
    }
    pub fn is_valid(&self) -> bool {
        self.indication == Indication::Passed
    }
    /// The most severe finding, if any.
    pub fn worst(&self) -> Option<&Finding> {
        self.findings.iter().max_by_key(|f| f.severity)
    }
}

/// Counts of findings by severity, for summaries.
pub fn count_by_severity(findings: &[Finding]) -> [(Severity, usize); 5] {
    let mut out = [
        (Severity::Fatal, 0),
        (Severity::Error, 0),
        (Severity::Warning, 0),
        (Severity::Notice, 0),
        (Severity::Info, 0),
    ];
    for f in findings {
        for (s, n) in out.iter_mut() {
            if *s == f.severity {
                *n += 1;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn severity_order_is_fatal_highest() {
        assert!(Severity::Fatal > Severity::Error);
        assert!(Severity::Error > Severity::Warning);
        assert!(Severity::Warning > Severity::Notice);
        assert!(Severity::Notice > Severity::Info);
        assert!(Severity::Error.is_failure() && !Severity::Warning.is_failure());
    }

    #[test]
    fn finding_serialises_without_empty_location() {
        let f = Finding::new("x.y", Severity::Error, "msg");
        let j = serde_json::to_value(&f).unwrap();
        assert_eq!(j, serde_json::json!({"id":"x.y","severity":"error","message":"msg"}));
        let f = f.at(Location::depth(1).with_path("tbs.extensions"));
        let j = serde_json::to_value(&f).unwrap();
        assert_eq!(j["location"]["depth"], 1);
        assert_eq!(format!("{f}"), "error: msg [x.y] (depth 1, tbs.extensions)");
    }

    #[test]
    fn verdict_helpers() {
        let v = Verdict::failed(SubIndication::Revoked, vec![Finding::new("a", Severity::Fatal, "m")]);
        assert!(!v.is_valid());
        assert_eq!(v.worst().unwrap().id, "a");
        assert_eq!(serde_json::to_value(v.indication).unwrap(), "TOTAL_FAILED");
        assert_eq!(SubIndication::NoCertificateChainFound.as_str(), "NO_CERTIFICATE_CHAIN_FOUND");
    }
}
