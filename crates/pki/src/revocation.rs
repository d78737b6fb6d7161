//! One certificate's revocation status from every source the caller gave (RFC 5280 §6.3,
//! RFC 6960, ETSI EN 319 102-1 §5.2.5), used by path validation ([`crate::validate`]) and by
//! `eidtrust revocation check`.
//!
//! The sources are asked in a fixed order, cheapest and most current first, and the first
//! conclusive answer (good or revoked) decides:
//!
//! 1. OCSP responses the caller passed in (stapled or from a file) whose CertID names the
//!    certificate (RFC 6960 §4.2.2.1);
//! 2. the CRLs the caller passed in (RFC 5280 §6.3.3);
//! 3. only with a [`FetchSession`]: the OCSP responders of the certificate's authorityInfoAccess;
//! 4. only with a [`FetchSession`]: the CRLs of its distribution points, together with the given ones.
//!
//! Nothing conclusive is [`Status::Unknown`] with every reason as a finding — never good. When a
//! later source decides, the problems of the earlier ones are kept as notices: they did not
//! decide, but the caller sees them.

use crate::budget::Budget;
use crate::cert::Certificate;
use crate::crl::{self, Crl, CrlContext, FindCrlSigner, RevocationStatus};
use crate::crypto::SignatureVerifier;
use crate::fetch::{self, FetchSession};
use crate::ocsp::{self, CheckOptions, NonceMode, OcspError, OcspOutcome, OcspResponse, OnlineOptions};
use report::{Finding, Severity};
use serde::Serialize;
use std::sync::OnceLock;

/// An OCSP response the caller passes in, with where it came from (a file name, "stapled").
///
/// The response is parsed the first time a validation looks at it and the parsed form is kept:
/// a service that validates many chains against one stapled or cached response pays for the
/// parse once. (Each validation still matches the CertID, checks the signature — through the
/// validator's verified-signature cache —, the time window and the nonce.)
#[derive(Debug, Clone)]
pub struct GivenOcsp {
    source: String,
    der: Vec<u8>,
    parsed: OnceLock<Result<OcspResponse, OcspError>>,
}

impl GivenOcsp {
    pub fn new(source: impl Into<String>, der: Vec<u8>) -> GivenOcsp {
        GivenOcsp { source: source.into(), der, parsed: OnceLock::new() }
    }

    /// Where the response came from.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The response DER as given.
    pub fn der(&self) -> &[u8] {
        &self.der
    }

    /// The parsed response (parsed once).
    pub fn response(&self) -> Result<&OcspResponse, &OcspError> {
        self.parsed.get_or_init(|| OcspResponse::from_der(&self.der)).as_ref()
    }
}

impl PartialEq for GivenOcsp {
    fn eq(&self, other: &GivenOcsp) -> bool {
        self.source == other.source && self.der == other.der
    }
}

impl Eq for GivenOcsp {}

/// What a status check may use. The default uses nothing and never fetches.
#[derive(Clone, Copy, Default)]
pub struct Sources<'a> {
    pub crls: &'a [Crl],
    pub ocsp: &'a [GivenOcsp],
    /// Fetching, only when the caller asked for it: the session bounds the count and time.
    pub fetch: Option<&'a FetchSession<'a>>,
    /// Whether fetched OCSP requests carry a nonce (RFC 6960 §4.4.1).
    pub nonce: Option<NonceMode>,
    /// OCSP responders to ask instead of those in the certificate (with `fetch`).
    pub ocsp_urls: Option<&'a [String]>,
}

/// The decision for one certificate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Good,
    /// Revoked at `time` (at or before the validation time), with the CRL reasonCode or OCSP
    /// revocationReason if any.
    Revoked {
        time: i64,
        reason: Option<u8>,
    },
    /// No source gave a conclusive answer.
    Unknown,
}

/// One piece of evidence that was looked at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EvidenceItem {
    /// `ocsp` or `crl`.
    pub kind: &'static str,
    /// A file name, `stapled`, or the URL(s) asked.
    pub source: String,
    /// `good`, `revoked`, `unknown` or `no-status`.
    pub status: &'static str,
    pub detail: Detail,
}

/// What an [`EvidenceItem`] says about its source, for people: displayed (and serialised) as
/// one line of text, formatted only when a report is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Detail {
    Text(String),
    /// The OCSP response the status rests on.
    Ocsp(Box<ocsp::Evidence>),
}

impl std::fmt::Display for Detail {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Detail::Text(t) => f.write_str(t),
            Detail::Ocsp(e) => e.fmt(f),
        }
    }
}

impl Serialize for Detail {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// The status, the evidence looked at (in order) and the findings of every step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertStatus {
    pub status: Status,
    pub evidence: Vec<EvidenceItem>,
    pub findings: Vec<Finding>,
}

fn ocsp_status_name(o: OcspOutcome) -> &'static str {
    match o {
        OcspOutcome::Good => "good",
        OcspOutcome::Revoked { .. } => "revoked",
        OcspOutcome::Unknown => "unknown",
        OcspOutcome::NoStatus => "no-status",
    }
}

/// Decides the revocation status of `cert`, issued by `issuer`, at `time` from `sources` (see
/// the module documentation for the order). Signature checks are spent from `budget`;
/// `find_crl_signer` validates indirect CRL issuers (RFC 5280 §6.3.3 (f)).
pub fn check(
    cert: &Certificate,
    issuer: &Certificate,
    sources: &Sources<'_>,
    time: i64,
    verifier: &dyn SignatureVerifier,
    find_crl_signer: &FindCrlSigner<'_>,
    budget: &mut Budget,
) -> CertStatus {
    let mut evidence = Vec::new();
    let mut findings = Vec::new();
    let decided = given_ocsp(cert, issuer, sources.ocsp, time, verifier, budget, &mut evidence, &mut findings)
        .or_else(|| {
            crls(cert, issuer, sources.crls, time, verifier, find_crl_signer, budget, &mut evidence, &mut findings)
        })
        .or_else(|| {
            let session = sources.fetch?;
            let opts = OnlineOptions {
                time,
                nonce: sources.nonce.unwrap_or(NonceMode::Off),
                urls: sources.ocsp_urls.map(|u| u.to_vec()),
            };
            let st = ocsp::check_online(cert, issuer, session, &opts, verifier, budget);
            let asked = opts.urls.unwrap_or_else(|| ocsp::responder_urls(cert)).join(", ");
            let source = st.evidence.as_ref().and_then(|e| e.source.clone()).unwrap_or(asked);
            ocsp_decision(
                st,
                if source.is_empty() { "(no responder named)".into() } else { source },
                &mut evidence,
                &mut findings,
            )
        })
        .or_else(|| {
            let session = sources.fetch?;
            let (fetched, fs) = fetch::fetch_crls(cert, session);
            findings.extend(fs);
            if fetched.is_empty() {
                return None;
            }
            let mut all = sources.crls.to_vec();
            all.extend(fetched);
            crls(cert, issuer, &all, time, verifier, find_crl_signer, budget, &mut evidence, &mut findings)
        });
    match decided {
        Some(status) => {
            if status == Status::Good {
                // Problems with evidence that did not decide are kept, but do not fail.
                for f in &mut findings {
                    if f.severity.is_failure() {
                        f.severity = Severity::Notice;
                    }
                }
            }
            CertStatus { status, evidence, findings }
        }
        None => CertStatus { status: Status::Unknown, evidence, findings },
    }
}

#[allow(clippy::too_many_arguments)]
fn given_ocsp(
    cert: &Certificate,
    issuer: &Certificate,
    given: &[GivenOcsp],
    time: i64,
    verifier: &dyn SignatureVerifier,
    budget: &mut Budget,
    evidence: &mut Vec<EvidenceItem>,
    findings: &mut Vec<Finding>,
) -> Option<Status> {
    for g in given {
        // A response about other certificates (the caller may pass one per chain element) is
        // not evidence for this one; an unparseable one is reported (from the error of its one parse).
        let opts = CheckOptions::at(time);
        let st = match g.response() {
            Ok(r) => {
                let st = ocsp::check_parsed(cert, issuer, r, &opts, verifier, budget);
                if st.findings.iter().any(|f| f.id == ocsp::CERTID_MISMATCH) {
                    continue;
                }
                st
            }
            Err(e) => ocsp::unreadable(cert, e),
        };
        if let Some(d) = ocsp_decision(st, g.source.clone(), evidence, findings) {
            return Some(d);
        }
    }
    None
}

fn ocsp_decision(
    mut st: ocsp::OcspStatus,
    source: String,
    evidence: &mut Vec<EvidenceItem>,
    findings: &mut Vec<Finding>,
) -> Option<Status> {
    let detail = match st.evidence.take() {
        Some(mut ev) => {
            ev.source.get_or_insert_with(|| source.clone());
            Detail::Ocsp(Box::new(ev))
        }
        None => Detail::Text("no usable response".into()),
    };
    evidence.push(EvidenceItem { kind: "ocsp", source, status: ocsp_status_name(st.outcome), detail });
    findings.append(&mut st.findings);
    match st.outcome {
        OcspOutcome::Good => Some(Status::Good),
        OcspOutcome::Revoked { time, reason } => Some(Status::Revoked { time, reason }),
        OcspOutcome::Unknown | OcspOutcome::NoStatus => None,
    }
}

#[allow(clippy::too_many_arguments)]
fn crls(
    cert: &Certificate,
    issuer: &Certificate,
    list: &[Crl],
    time: i64,
    verifier: &dyn SignatureVerifier,
    find_crl_signer: &FindCrlSigner<'_>,
    budget: &mut Budget,
    evidence: &mut Vec<EvidenceItem>,
    findings: &mut Vec<Finding>,
) -> Option<Status> {
    let ctx = CrlContext { crls: list, time, verifier, find_crl_signer };
    let status = crl::check(cert, issuer, &ctx, budget);
    let labels = || list.iter().map(|c| c.label()).collect::<Vec<_>>().join("; ");
    match &status {
        RevocationStatus::Good => {
            evidence.push(EvidenceItem {
                kind: "crl",
                source: labels(),
                status: "good",
                detail: Detail::Text("not listed on the current CRLs that cover it (RFC 5280 §6.3.3)".into()),
            });
            Some(Status::Good)
        }
        RevocationStatus::Revoked { reason, date, crl_index } => {
            evidence.push(EvidenceItem {
                kind: "crl",
                source: list.get(*crl_index).map(|c| c.label()).unwrap_or_default(),
                status: "revoked",
                detail: Detail::Text(format!("revoked since {}", crl::fmt_time(*date))),
            });
            findings.extend(status.findings(cert, list));
            Some(Status::Revoked { time: *date, reason: *reason })
        }
        RevocationStatus::Unknown(problems) => {
            if !list.is_empty() {
                evidence.push(EvidenceItem {
                    kind: "crl",
                    source: labels(),
                    status: "no-status",
                    detail: Detail::Text("no usable CRL covers the certificate".into()),
                });
            }
            findings.extend(problems.iter().map(crl::CrlProblem::to_finding));
            None
        }
    }
}
