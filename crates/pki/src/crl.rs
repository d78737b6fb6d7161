//! Certificate revocation lists (RFC 5280 §5) and revocation checking with them (RFC 5280 §6.3).
//!
//! A CRL is parsed once (with x509-parser) into the owned [`Crl`] model, which keeps the DER, the
//! signed bytes and every field §6.3 needs. Parsing fails ([`CrlError`]) only when the structure is
//! broken; a CRL that parses but may not be relied on (no cRLNumber, an unknown critical
//! extension, ...) keeps its defects in [`Crl::defects`] and is rejected, with a finding, when
//! [`check`] meets it.
//!
//! [`check`] runs the algorithm of RFC 5280 §6.3.3 for one certificate of a validated path: for
//! each distribution point of the certificate (and then the notional one named after its issuer),
//! it looks for a complete CRL that is in scope, current and correctly signed, applies a current
//! delta CRL when one is supplied, and accumulates the reasons covered until all reasons are
//! covered or the certificate is found revoked.
//!
//! Decisions where RFC 5280 leaves room, all on the side of not accepting:
//! - a CRL without nextUpdate (§5.1.2.5 says conforming issuers MUST include it) is taken as
//!   current from thisUpdate on;
//! - a CRL entry's revocation date is reported but not compared with the validation time: a
//!   current CRL that lists a certificate revokes it;
//! - when several complete CRLs cover the same scope, the newest (highest cRLNumber, then latest
//!   thisUpdate) is consulted first;
//! - when delta CRLs that apply to a complete CRL are supplied but none is current and correctly
//!   signed, the complete CRL is not used (PKITS 4.15.10);
//! - a certificateIssuer entry extension in a CRL that is not indirect, and removeFromCRL in a
//!   complete CRL, make the CRL unusable (§5.3.3, §5.3.1 allow them nowhere else).
//! - an invalidityDate encoded as UTCTime (§5.3.2 says GeneralizedTime; rcgen 0.13 writes
//!   UTCTime) is read, since the date is informational and never decides anything;
//! - issuingDistributionPoint, freshestCRL and (when x509-parser's reading lost a name) the
//!   certificate's cRLDistributionPoints are parsed here: x509-parser 0.18 silently drops an
//!   IMPLICIT nameRelativeToCRLIssuer, which would widen a CRL's scope.

use crate::budget::Budget;
use crate::cert::{
    self, describe_nom, AuthorityKeyId, Certificate, DistributionPoint, DistributionPointName, Ext, KeyUsage,
    OtherExtension, SignatureAlgorithm,
};
use crate::crypto::SignatureVerifier;
use crate::name::{GeneralName, Name};
use report::{Finding, FindingDef, Severity};
use std::collections::HashMap;
use std::fmt;
use x509_parser::extensions::{GeneralName as XGeneralName, ParsedExtension};
use x509_parser::num_bigint::BigUint;
use x509_parser::prelude::FromDer;
use x509_parser::revocation_list::CertificateRevocationList;

/// The largest CRL accepted: 16 MiB, the input layer's cap on one object
/// ([`crate::input::MAX_OBJECT_BYTES`]). The largest public CRLs (a few national CAs, the big
/// commercial ones) are 5-10 MiB with about 300,000 entries.
pub const MAX_CRL_BYTES: usize = crate::input::MAX_OBJECT_BYTES;

/// The longest cRLNumber (and BaseCRLNumber) accepted: 20 octets. RFC 5280 §5.2.3: "CRL
/// verifiers MUST be able to handle CRLNumber values up to 20 octets. Conforming CRL issuers MUST
/// NOT use CRLNumber values longer than 20 octets."
pub const MAX_CRL_NUMBER_OCTETS: usize = 20;

/// The most name comparisons one [`check`] spends matching issuingDistributionPoint names
/// against distribution point names (§6.3.3 (b)(2)(i)), counting one more for every (distribution
/// point, CRL) pair considered: 250,000, the bound Go's crypto/x509 and this crate's
/// name-constraint budget put on the same kind of quadratic work
/// ([`crate::budget::Limits::name_constraint_checks`]).
pub const MAX_NAME_COMPARISONS: u64 = 250_000;

/// All eight revocation reasons of ReasonFlags (RFC 5280 §4.2.1.13, bits 1 keyCompromise to
/// 8 aACompromise; bit 0 is unused): the `all-reasons` of §6.3.2.
pub const ALL_REASONS: u16 = 0x01FE;

/// The CRLReason of removeFromCRL (RFC 5280 §5.3.1).
pub const REASON_REMOVE_FROM_CRL: u8 = 8;

const OID_AKI: &str = "2.5.29.35";
const OID_IAN: &str = "2.5.29.18";
const OID_CRL_NUMBER: &str = "2.5.29.20";
const OID_DELTA_CRL_INDICATOR: &str = "2.5.29.27";
const OID_IDP: &str = "2.5.29.28";
const OID_FRESHEST_CRL: &str = "2.5.29.46";
const OID_AIA: &str = "1.3.6.1.5.5.7.1.1";
const OID_REASON_CODE: &str = "2.5.29.21";
const OID_INVALIDITY_DATE: &str = "2.5.29.24";
const OID_CERTIFICATE_ISSUER: &str = "2.5.29.29";

/// Why a CRL could not be parsed. Display names what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CrlError {
    #[error("not a DER CRL: {0}")]
    Der(String),
    #[error("{0} bytes of trailing data after the CRL")]
    TrailingData(usize),
    #[error("the CRL is larger than {0} bytes")]
    TooLarge(usize),
    #[error("the CRL version is {0}; only v2 (1) may be encoded (RFC 5280 §5.1.2.1)")]
    Version(u32),
    #[error("the CRL has extensions but no version field; it must be v2 (RFC 5280 §5.1.2.1)")]
    ExtensionsInV1,
    #[error("the {place} extension {oid} appears more than once (RFC 5280 §4.2, §5.2)")]
    DuplicateExtension { place: String, oid: String },
    #[error("the {place} extension {name} ({oid}) is malformed: {reason}")]
    MalformedExtension { place: String, name: &'static str, oid: String, reason: String },
    #[error("the outer signatureAlgorithm differs from tbsCertList.signature (RFC 5280 §5.1.1.2)")]
    SignatureAlgorithmMismatch,
}

impl CrlError {
    /// The finding id of every parse failure.
    pub fn finding_id(&self) -> &'static str {
        "rfc5280.crl.malformed"
    }
}

/// issuingDistributionPoint (RFC 5280 §5.2.5).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuingDistributionPoint {
    pub name: Option<DistributionPointName>,
    pub only_user_certs: bool,
    pub only_ca_certs: bool,
    /// ReasonFlags bits (bit 1 = keyCompromise ... bit 8 = aACompromise).
    pub only_some_reasons: Option<u16>,
    pub indirect: bool,
    pub only_attribute_certs: bool,
    /// The extension value DER: a delta CRL's must equal its complete CRL's (§6.3.3 (g)(2)).
    pub der: Vec<u8>,
}

/// The CRL extensions §6.3 uses (RFC 5280 §5.2), each at most once.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CrlExtensions {
    pub authority_key_id: Option<Ext<AuthorityKeyId>>,
    pub issuer_alt_name: Option<Ext<Vec<GeneralName>>>,
    /// cRLNumber (§5.2.3).
    pub crl_number: Option<Ext<BigUint>>,
    /// deltaCRLIndicator: the BaseCRLNumber (§5.2.4).
    pub delta_crl_indicator: Option<Ext<BigUint>>,
    pub issuing_distribution_point: Option<Ext<IssuingDistributionPoint>>,
    /// freshestCRL (§5.2.6): where delta CRLs are published.
    pub freshest_crl: Option<Ext<Vec<DistributionPoint>>>,
    /// Extensions not interpreted above (authorityInfoAccess among them), in CRL order.
    pub other: Vec<OtherExtension>,
}

/// One revokedCertificates entry (RFC 5280 §5.1.2.6, §5.3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevokedEntry {
    /// userCertificate INTEGER content octets as encoded.
    pub serial: Vec<u8>,
    /// revocationDate as Unix seconds.
    pub revocation_date: i64,
    /// CRLReason (§5.3.1), absent when the entry has no reasonCode.
    pub reason: Option<u8>,
    /// invalidityDate (§5.3.2) as Unix seconds.
    pub invalidity_date: Option<i64>,
    /// The certificate issuer this entry applies to in an indirect CRL (§5.3.3): the entry's own
    /// certificateIssuer or the one carried forward from the preceding entries; `None` means the
    /// CRL issuer.
    pub certificate_issuer: Option<Vec<GeneralName>>,
    /// Whether this entry itself carries a certificateIssuer extension.
    pub has_certificate_issuer_ext: bool,
    /// Entry extensions not interpreted above.
    pub other: Vec<OtherExtension>,
}

/// A parsed X.509 v2 CRL (RFC 5280 §5.1), owning its DER.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Crl {
    der: Vec<u8>,
    tbs: std::ops::Range<usize>,
    /// The encoded version INTEGER (1 for v2), absent for v1.
    pub version: Option<u32>,
    pub signature_algorithm: SignatureAlgorithm,
    pub issuer: Name,
    /// thisUpdate and nextUpdate as Unix seconds.
    pub this_update: i64,
    pub next_update: Option<i64>,
    pub entries: Vec<RevokedEntry>,
    pub extensions: CrlExtensions,
    /// The signatureValue BIT STRING contents.
    pub signature: Vec<u8>,
    /// What makes this CRL unusable whatever it is used for (§5.2, §5.3).
    pub defects: Vec<CrlProblemKind>,
    /// An entry with removeFromCRL: allowed only in a delta CRL (§5.3.1).
    remove_from_crl_serial: Option<Vec<u8>>,
    /// Canonical serial -> entry indexes.
    by_serial: HashMap<Vec<u8>, Vec<usize>>,
}

impl Crl {
    /// Parses one DER CRL; trailing bytes are an error.
    pub fn from_der(der: &[u8]) -> Result<Crl, CrlError> {
        if der.len() > MAX_CRL_BYTES {
            return Err(CrlError::TooLarge(MAX_CRL_BYTES));
        }
        let (rest, x) = CertificateRevocationList::from_der(der).map_err(|e| CrlError::Der(describe_nom(&e)))?;
        if !rest.is_empty() {
            return Err(CrlError::TrailingData(rest.len()));
        }
        let tbs_raw = x.tbs_cert_list.as_ref();
        let tbs_start = subslice_offset(der, tbs_raw).ok_or_else(|| CrlError::Der("tbsCertList not found".into()))?;
        let tbs = tbs_start..tbs_start + tbs_raw.len();
        if x.signature_algorithm != x.tbs_cert_list.signature {
            return Err(CrlError::SignatureAlgorithmMismatch);
        }
        let version = x.version().map(|v| v.0);
        match version {
            Some(1) => {}
            Some(v) => return Err(CrlError::Version(v)),
            None => {
                let entry_exts = x.iter_revoked_certificates().any(|r| !r.extensions().is_empty());
                if !x.extensions().is_empty() || entry_exts {
                    return Err(CrlError::ExtensionsInV1);
                }
            }
        }
        let issuer = Name::from_x509(x.issuer());
        let mut defects = Vec::new();
        let extensions = crl_extensions(x.extensions(), &mut defects)?;
        let indirect = extensions.issuing_distribution_point.as_ref().is_some_and(|i| i.value.indirect);

        let mut entries = Vec::with_capacity(x.tbs_cert_list.revoked_certificates.len());
        let mut carried: Option<Vec<GeneralName>> = None;
        let mut remove_from_crl_serial = None;
        let mut by_serial: HashMap<Vec<u8>, Vec<usize>> = HashMap::new();
        for (i, r) in x.iter_revoked_certificates().enumerate() {
            let serial = r.raw_serial().to_vec();
            let e = entry(r, serial, &mut carried, &mut defects)?;
            if e.has_certificate_issuer_ext
                && !indirect
                && !defects.contains(&CrlProblemKind::CertificateIssuerInDirectCrl)
            {
                defects.push(CrlProblemKind::CertificateIssuerInDirectCrl);
            }
            if e.reason == Some(REASON_REMOVE_FROM_CRL) && remove_from_crl_serial.is_none() {
                remove_from_crl_serial = Some(e.serial.clone());
            }
            by_serial.entry(canonical_serial(&e.serial).to_vec()).or_default().push(i);
            entries.push(e);
        }

        // §5.2.3: cRLNumber is mandatory and non-critical, and at most 20 octets.
        match &extensions.crl_number {
            None => defects.push(CrlProblemKind::NumberMissing),
            Some(n) => {
                if n.critical {
                    defects.push(CrlProblemKind::NumberCritical);
                }
                let octets = n.value.to_bytes_be().len();
                if octets > MAX_CRL_NUMBER_OCTETS {
                    defects.push(CrlProblemKind::NumberTooLong { octets });
                }
            }
        }
        if let Some(d) = &extensions.delta_crl_indicator {
            let octets = d.value.to_bytes_be().len();
            if octets > MAX_CRL_NUMBER_OCTETS {
                defects.push(CrlProblemKind::NumberTooLong { octets });
            }
        }
        let this_update = x.last_update().timestamp();
        let next_update = x.next_update().map(|t| t.timestamp());
        Ok(Crl {
            der: der.to_vec(),
            tbs,
            version,
            signature_algorithm: cert::signature_algorithm(&x.signature_algorithm),
            issuer,
            this_update,
            next_update,
            entries,
            extensions,
            signature: x.signature_value.data.to_vec(),
            defects,
            remove_from_crl_serial,
            by_serial,
        })
    }

    /// The whole CRL DER.
    pub fn der(&self) -> &[u8] {
        &self.der
    }

    /// The DER of tbsCertList, the bytes the CRL issuer signed.
    pub fn tbs_der(&self) -> &[u8] {
        self.der.get(self.tbs.clone()).unwrap_or_default()
    }

    /// The cRLNumber, if present.
    pub fn number(&self) -> Option<&BigUint> {
        self.extensions.crl_number.as_ref().map(|e| &e.value)
    }

    /// A delta CRL (it carries deltaCRLIndicator, §5.2.4).
    pub fn is_delta(&self) -> bool {
        self.extensions.delta_crl_indicator.is_some()
    }

    /// The BaseCRLNumber of a delta CRL.
    pub fn base_number(&self) -> Option<&BigUint> {
        self.extensions.delta_crl_indicator.as_ref().map(|e| &e.value)
    }

    /// The issuingDistributionPoint, if present.
    pub fn idp(&self) -> Option<&IssuingDistributionPoint> {
        self.extensions.issuing_distribution_point.as_ref().map(|e| &e.value)
    }

    /// An indirect CRL (issuingDistributionPoint with indirectCRL, §5.2.5).
    pub fn is_indirect(&self) -> bool {
        self.idp().is_some_and(|i| i.indirect)
    }

    /// The authorityKeyIdentifier keyIdentifier, if present.
    pub fn aki_key_id(&self) -> Option<&[u8]> {
        self.extensions.authority_key_id.as_ref().and_then(|e| e.value.key_id.as_deref())
    }

    /// A short human label: "CRL from CN=X (cRLNumber N)" or "delta CRL ...".
    pub fn label(&self) -> String {
        let kind = if self.is_delta() { "delta CRL" } else { "CRL" };
        match self.number() {
            Some(n) => format!("{kind} from {} (cRLNumber {n})", self.issuer.display_short()),
            None => format!("{kind} from {} (no cRLNumber)", self.issuer.display_short()),
        }
    }

    /// The entry that revokes `cert`, matching serial number and, for indirect CRLs, the
    /// certificate issuer of the entry (§5.3.3).
    pub fn entry_for(&self, cert: &Certificate) -> Option<&RevokedEntry> {
        let idxs = self.by_serial.get(canonical_serial(&cert.serial))?;
        idxs.iter().filter_map(|i| self.entries.get(*i)).find(|e| match &e.certificate_issuer {
            None => self.issuer.matches(&cert.issuer),
            Some(names) => names.iter().any(|g| matches!(g, GeneralName::Directory(n) if n.matches(&cert.issuer))),
        })
    }

    /// Defects that forbid using this CRL in the given role.
    fn defects_as(&self, complete: bool) -> Vec<CrlProblemKind> {
        let mut v = self.defects.clone();
        if complete {
            if let Some(serial) = &self.remove_from_crl_serial {
                v.push(CrlProblemKind::RemoveFromCrlInComplete { serial: hex(serial) });
            }
        }
        v
    }

    /// thisUpdate <= time < nextUpdate (§5.1.2.4, §5.1.2.5, §6.3.3 (a)(2)).
    fn window_problem(&self, time: i64) -> Option<CrlProblemKind> {
        if self.this_update > time {
            return Some(CrlProblemKind::NotYetValid { this_update: self.this_update });
        }
        match self.next_update {
            Some(n) if n <= time => Some(CrlProblemKind::Expired { next_update: n }),
            _ => None,
        }
    }
}

fn subslice_offset(outer: &[u8], inner: &[u8]) -> Option<usize> {
    let o = outer.as_ptr() as usize;
    let i = inner.as_ptr() as usize;
    (i >= o && i + inner.len() <= o + outer.len()).then(|| i - o)
}

/// The two's-complement serial without redundant leading octets, so that a non-minimal
/// encoding in a CRL entry still matches the certificate's.
fn canonical_serial(s: &[u8]) -> &[u8] {
    let mut s = s;
    while let [first, second, ..] = s {
        let redundant = (*first == 0 && *second < 0x80) || (*first == 0xFF && *second >= 0x80);
        if !redundant {
            break;
        }
        s = &s[1..];
    }
    s
}

fn hex(b: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789ABCDEF";
    let mut s = String::with_capacity(b.len() * 2);
    for x in b {
        s.push(char::from(DIGITS[usize::from(x >> 4)]));
        s.push(char::from(DIGITS[usize::from(x & 0x0F)]));
    }
    s
}

fn crl_ext_name(oid: &str) -> &'static str {
    match oid {
        OID_AKI => "authorityKeyIdentifier",
        OID_IAN => "issuerAltName",
        OID_CRL_NUMBER => "cRLNumber",
        OID_DELTA_CRL_INDICATOR => "deltaCRLIndicator",
        OID_IDP => "issuingDistributionPoint",
        OID_FRESHEST_CRL => "freshestCRL",
        OID_AIA => "authorityInfoAccess",
        OID_REASON_CODE => "reasonCode",
        OID_INVALIDITY_DATE => "invalidityDate",
        OID_CERTIFICATE_ISSUER => "certificateIssuer",
        _ => "extension",
    }
}

fn crl_extensions(
    exts: &[x509_parser::extensions::X509Extension],
    defects: &mut Vec<CrlProblemKind>,
) -> Result<CrlExtensions, CrlError> {
    let mut out = CrlExtensions::default();
    let mut seen: Vec<String> = Vec::with_capacity(exts.len());
    for e in exts {
        let oid = crate::oid::text(&e.oid);
        if seen.contains(&oid) {
            return Err(CrlError::DuplicateExtension { place: "CRL".into(), oid });
        }
        let critical = e.critical;
        let malformed = |reason: String| CrlError::MalformedExtension {
            place: "CRL".into(),
            name: crl_ext_name(&oid),
            oid: oid.clone(),
            reason,
        };
        match (oid.as_str(), e.parsed_extension()) {
            (_, ParsedExtension::ParseError { error }) => return Err(malformed(describe_nom(error))),
            (OID_AKI, ParsedExtension::AuthorityKeyIdentifier(a)) => {
                out.authority_key_id = Some(Ext {
                    critical,
                    value: AuthorityKeyId {
                        key_id: a.key_identifier.as_ref().map(|k| crate::cert::DerBytes::from(k.0)),
                        issuer: a.authority_cert_issuer.as_ref().map(|g| g.iter().map(cert::general_name).collect()),
                        serial: a.authority_cert_serial.map(|s| s.to_vec()),
                    },
                })
            }
            (OID_IAN, ParsedExtension::IssuerAlternativeName(s)) => {
                out.issuer_alt_name =
                    Some(Ext { critical, value: s.general_names.iter().map(cert::general_name).collect() })
            }
            (OID_CRL_NUMBER, ParsedExtension::CRLNumber(n)) => {
                out.crl_number = Some(Ext { critical, value: n.clone() })
            }
            (OID_IDP, _) => {
                // Parsed here, not by x509-parser: it drops an IMPLICIT nameRelativeToCRLIssuer
                // without an error, which would widen the CRL's scope.
                let idp = parse_idp(e.value).map_err(malformed)?;
                // §5.2.5: at most one of the three onlyContains booleans; never an empty sequence.
                let only = [idp.only_user_certs, idp.only_ca_certs, idp.only_attribute_certs];
                if only.iter().filter(|b| **b).count() > 1 {
                    defects.push(CrlProblemKind::IdpInvalid("more than one onlyContains... field is TRUE".into()));
                }
                if idp.name.is_none() && only.iter().all(|b| !b) && idp.only_some_reasons.is_none() && !idp.indirect {
                    defects.push(CrlProblemKind::IdpInvalid("the extension is an empty sequence".into()));
                }
                out.issuing_distribution_point = Some(Ext { critical, value: idp });
            }
            (OID_DELTA_CRL_INDICATOR, _) => {
                let n = x509_parser::der_parser::der::parse_der_integer(e.value)
                    .map_err(|err| malformed(describe_nom(&err)))
                    .and_then(|(rest, obj)| {
                        if !rest.is_empty() {
                            return Err(malformed("trailing data".into()));
                        }
                        obj.as_biguint().map_err(|_| malformed("BaseCRLNumber is negative".into()))
                    })?;
                out.delta_crl_indicator = Some(Ext { critical, value: n });
            }
            (OID_FRESHEST_CRL, _) => {
                let v = parse_distribution_points(e.value).map_err(malformed)?;
                out.freshest_crl = Some(Ext { critical, value: v });
            }
            _ => {
                // authorityInfoAccess (§5.2.7) is known and kept as is; anything else unknown.
                if critical && oid != OID_AIA {
                    defects.push(CrlProblemKind::UnknownCriticalExtension { oid: oid.clone() });
                }
                out.other.push(OtherExtension { oid: oid.clone(), critical, value: e.value.to_vec() });
            }
        }
        seen.push(oid);
    }
    Ok(out)
}

fn entry(
    r: &x509_parser::revocation_list::RevokedCertificate,
    serial: Vec<u8>,
    carried: &mut Option<Vec<GeneralName>>,
    defects: &mut Vec<CrlProblemKind>,
) -> Result<RevokedEntry, CrlError> {
    let mut e = RevokedEntry {
        revocation_date: r.revocation_date.timestamp(),
        reason: None,
        invalidity_date: None,
        certificate_issuer: None,
        has_certificate_issuer_ext: false,
        other: Vec::new(),
        serial,
    };
    let place = || format!("entry {}", hex(r.raw_serial()));
    let mut seen: Vec<String> = Vec::new();
    for x in r.extensions() {
        let oid = crate::oid::text(&x.oid);
        if seen.contains(&oid) {
            return Err(CrlError::DuplicateExtension { place: place(), oid });
        }
        let malformed = |reason: String| CrlError::MalformedExtension {
            place: place(),
            name: crl_ext_name(&oid),
            oid: oid.clone(),
            reason,
        };
        match (oid.as_str(), x.parsed_extension()) {
            (OID_REASON_CODE, ParsedExtension::ReasonCode(c)) => {
                // §5.3.1: value 7 is not assigned.
                if c.0 == 7 {
                    return Err(malformed("reason code 7 is not assigned".into()));
                }
                e.reason = Some(c.0);
            }
            (OID_INVALIDITY_DATE, ParsedExtension::InvalidityDate(t)) => e.invalidity_date = Some(t.timestamp()),
            // §5.3.2 says GeneralizedTime; some producers (rcgen 0.13) write UTCTime. The date is
            // informational only, so a UTCTime one is read rather than refusing the CRL.
            (OID_INVALIDITY_DATE, ParsedExtension::ParseError { .. }) if !x.critical => {
                e.invalidity_date = x509_parser::time::ASN1Time::from_der(x.value)
                    .ok()
                    .filter(|(rest, _)| rest.is_empty())
                    .map(|(_, t)| t.timestamp());
                if e.invalidity_date.is_none() {
                    return Err(malformed("not a GeneralizedTime".into()));
                }
            }
            (_, ParsedExtension::ParseError { error }) => return Err(malformed(describe_nom(error))),
            (OID_CERTIFICATE_ISSUER, _) => {
                let names = general_names(x.value).map_err(malformed)?;
                e.has_certificate_issuer_ext = true;
                *carried = Some(names);
            }
            _ => {
                if x.critical {
                    let kind =
                        CrlProblemKind::UnknownCriticalEntryExtension { oid: oid.clone(), serial: hex(&e.serial) };
                    if !defects.contains(&kind) {
                        defects.push(kind);
                    }
                }
                e.other.push(OtherExtension { oid: oid.clone(), critical: x.critical, value: x.value.to_vec() });
            }
        }
        seen.push(oid);
    }
    e.certificate_issuer = carried.clone();
    Ok(e)
}

/// GeneralNames ::= SEQUENCE SIZE (1..MAX) OF GeneralName (§4.2.1.6).
fn general_names(der: &[u8]) -> Result<Vec<GeneralName>, String> {
    general_names_contents(sequence_contents(der)?)
}

// ---------------------------------------------------------------------------------------------
// DER parsers for DistributionPoint and IssuingDistributionPoint
//
// x509-parser 0.18 reads nameRelativeToCRLIssuer as if it were EXPLICITLY tagged and, when the
// (correct) IMPLICIT encoding does not parse, drops the distributionPoint without an error. For a
// CRL's issuingDistributionPoint that widens the CRL's scope to every certificate, so these
// structures are parsed here, strictly.
// ---------------------------------------------------------------------------------------------

type Any<'a> = x509_parser::asn1_rs::Any<'a>;

/// The elements of a constructed value's contents.
fn elements(mut content: &[u8]) -> Result<Vec<Any<'_>>, String> {
    use x509_parser::asn1_rs::FromDer as _;
    let mut out = Vec::new();
    while !content.is_empty() {
        let (rest, any) = Any::from_der(content).map_err(|e| format!("{e}"))?;
        out.push(any);
        content = rest;
    }
    Ok(out)
}

/// One DER value that must fill `der` and be a universal SEQUENCE; returns its contents.
fn sequence_contents(der: &[u8]) -> Result<&[u8], String> {
    use x509_parser::asn1_rs::{FromDer as _, Tag};
    let (rest, any) = Any::from_der(der).map_err(|e| format!("{e}"))?;
    if !rest.is_empty() {
        return Err("trailing data".into());
    }
    if !any.header.is_universal() || any.header.tag() != Tag::Sequence || !any.header.is_constructed() {
        return Err("not a SEQUENCE".into());
    }
    Ok(any.data)
}

fn context(any: &Any, tag: u32, constructed: bool) -> bool {
    any.header.is_contextspecific() && any.header.tag().0 == tag && any.header.is_constructed() == constructed
}

/// The contents of GeneralNames (implicitly tagged: the names follow each other).
fn general_names_contents(content: &[u8]) -> Result<Vec<GeneralName>, String> {
    let mut out = Vec::new();
    let mut i = content;
    while !i.is_empty() {
        let (r, g) = XGeneralName::from_der(i).map_err(|e| format!("{e}"))?;
        out.push(cert::general_name(&g));
        i = r;
    }
    if out.is_empty() {
        return Err("GeneralNames is empty".into());
    }
    Ok(out)
}

/// DistributionPointName ::= CHOICE { fullName [0] GeneralNames,
///     nameRelativeToCRLIssuer [1] RelativeDistinguishedName } (IMPLICIT tags, RFC 5280 App. A).
fn dp_name_der(any: &Any) -> Result<DistributionPointName, String> {
    if context(any, 0, true) {
        return Ok(DistributionPointName::FullName(general_names_contents(any.data)?));
    }
    if context(any, 1, true) {
        // Re-wrap the SET contents as a SET for x509-parser's RDN parser.
        let mut set = vec![0x31];
        let n = any.data.len();
        if n < 0x80 {
            set.push(n as u8);
        } else {
            let len: Vec<u8> = n.to_be_bytes().iter().copied().skip_while(|b| *b == 0).collect();
            set.push(0x80 | len.len() as u8);
            set.extend(len);
        }
        set.extend_from_slice(any.data);
        let (rest, rdn) = x509_parser::x509::RelativeDistinguishedName::from_der(&set).map_err(|e| describe_nom(&e))?;
        if !rest.is_empty() {
            return Err("trailing data in nameRelativeToCRLIssuer".into());
        }
        return Ok(DistributionPointName::RelativeToIssuer(Name::from_rdn(&rdn)));
    }
    Err("DistributionPointName is neither fullName [0] nor nameRelativeToCRLIssuer [1]".into())
}

/// The explicit `[0]` wrapper around a DistributionPointName.
fn dp_name_wrapped(any: &Any) -> Result<DistributionPointName, String> {
    match elements(any.data)?.as_slice() {
        [one] => dp_name_der(one),
        _ => Err("distributionPoint must hold exactly one name choice".into()),
    }
}

/// ReasonFlags BIT STRING contents to bits (bit n = named bit n; bits past 15 ignored, only 0-8
/// are defined).
fn reason_flags(content: &[u8]) -> Result<u16, String> {
    let Some((unused, bytes)) = content.split_first() else { return Err("empty BIT STRING".into()) };
    if *unused > 7 || (bytes.is_empty() && *unused != 0) {
        return Err("bad BIT STRING padding".into());
    }
    Ok(bytes.iter().take(2).enumerate().fold(0u16, |acc, (i, b)| acc | (u16::from(b.reverse_bits()) << (8 * i))))
}

fn boolean(any: &Any) -> Result<bool, String> {
    match any.data {
        [b] => Ok(*b != 0),
        _ => Err("BOOLEAN must be one octet".into()),
    }
}

/// Fields tagged [0], [1], ... must come in increasing order, each at most once.
fn check_order(last: &mut Option<u32>, any: &Any) -> Result<(), String> {
    let t = any.header.tag().0;
    if !any.header.is_contextspecific() || last.is_some_and(|l| t <= l) {
        return Err(format!("unexpected or out-of-order field [{t}]"));
    }
    *last = Some(t);
    Ok(())
}

/// CRLDistributionPoints / FreshestCRL ::= SEQUENCE SIZE (1..MAX) OF DistributionPoint
/// (RFC 5280 §4.2.1.13, §5.2.6).
pub fn parse_distribution_points(der: &[u8]) -> Result<Vec<DistributionPoint>, String> {
    let mut out = Vec::new();
    for dp in elements(sequence_contents(der)?)? {
        if !dp.header.is_universal() || !dp.header.is_constructed() {
            return Err("DistributionPoint is not a SEQUENCE".into());
        }
        let mut p = DistributionPoint { name: None, reasons: None, crl_issuer: None };
        let mut last = None;
        for f in elements(dp.data)? {
            check_order(&mut last, &f)?;
            if context(&f, 0, true) {
                p.name = Some(dp_name_wrapped(&f)?);
            } else if context(&f, 1, false) {
                p.reasons = Some(reason_flags(f.data)?);
            } else if context(&f, 2, true) {
                p.crl_issuer = Some(general_names_contents(f.data)?);
            } else {
                return Err(format!("unexpected DistributionPoint field [{}]", f.header.tag().0));
            }
        }
        // §4.2.1.13: a DistributionPoint MUST NOT consist of only the reasons field.
        if p.name.is_none() && p.crl_issuer.is_none() {
            return Err("a DistributionPoint has neither distributionPoint nor cRLIssuer".into());
        }
        out.push(p);
    }
    if out.is_empty() {
        return Err("no DistributionPoint".into());
    }
    Ok(out)
}

/// IssuingDistributionPoint (RFC 5280 §5.2.5).
fn parse_idp(der: &[u8]) -> Result<IssuingDistributionPoint, String> {
    let mut idp = IssuingDistributionPoint {
        name: None,
        only_user_certs: false,
        only_ca_certs: false,
        only_some_reasons: None,
        indirect: false,
        only_attribute_certs: false,
        der: der.to_vec(),
    };
    let mut last = None;
    for f in elements(sequence_contents(der)?)? {
        check_order(&mut last, &f)?;
        match (f.header.tag().0, f.header.is_constructed()) {
            (0, true) => idp.name = Some(dp_name_wrapped(&f)?),
            (1, false) => idp.only_user_certs = boolean(&f)?,
            (2, false) => idp.only_ca_certs = boolean(&f)?,
            (3, false) => idp.only_some_reasons = Some(reason_flags(f.data)?),
            (4, false) => idp.indirect = boolean(&f)?,
            (5, false) => idp.only_attribute_certs = boolean(&f)?,
            (t, _) => return Err(format!("unexpected field [{t}]")),
        }
    }
    Ok(idp)
}

/// The certificate's cRLDistributionPoints, read again from its DER when x509-parser's reading
/// shows the symptom of the nameRelativeToCRLIssuer problem (a point with neither name nor
/// cRLIssuer). `None` when the certificate has no such extension.
fn cert_distribution_points(cert: &Certificate) -> Option<Vec<DistributionPoint>> {
    let ext = cert.extensions.crl_distribution_points.as_ref()?;
    if ext.value.iter().all(|p| p.name.is_some() || p.crl_issuer.is_some()) {
        return Some(ext.value.clone());
    }
    let reparsed = x509_parser::prelude::X509Certificate::from_der(cert.der()).ok().and_then(|(_, x)| {
        x.extensions()
            .iter()
            .find(|e| crate::oid::text(&e.oid) == "2.5.29.31")
            .and_then(|e| parse_distribution_points(e.value).ok())
    });
    // If the DER cannot be read either, keep the nameless points: they match no partitioned CRL.
    Some(reparsed.unwrap_or_else(|| ext.value.clone()))
}

// ---------------------------------------------------------------------------------------------
// Problems and findings
// ---------------------------------------------------------------------------------------------

/// Why one CRL could not be used for one certificate, or why no CRL covered it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CrlProblemKind {
    /// No supplied CRL was issued by the certificate's issuer or a named cRLIssuer.
    NotFound {
        issuers: Vec<String>,
    },
    NumberMissing,
    NumberCritical,
    NumberTooLong {
        octets: usize,
    },
    UnknownCriticalExtension {
        oid: String,
    },
    UnknownCriticalEntryExtension {
        oid: String,
        serial: String,
    },
    IdpInvalid(String),
    RemoveFromCrlInComplete {
        serial: String,
    },
    CertificateIssuerInDirectCrl,
    NotYetValid {
        this_update: i64,
    },
    Expired {
        next_update: i64,
    },
    NotIndirect,
    ScopeDistributionPoint,
    ScopeUserCerts,
    ScopeCaCerts,
    ScopeAttributeCerts,
    AkiMismatch,
    SignerNotFound,
    SignerLacksCrlSign {
        signer: String,
    },
    SignatureInvalid {
        signer: String,
        reason: String,
    },
    DeltaWithoutBase,
    DeltaUnusable,
    ReasonsIncomplete {
        missing: u16,
    },
    NameComparisonLimit,
    BudgetExhausted,
}

macro_rules! defs {
    ($($id:literal, $sev:ident, $cite:literal, $sum:literal;)*) => {
        /// The finding ids of this module, merged into [`crate::findings`]'s catalogue.
        pub static FINDINGS: &[FindingDef] = &[
            $(FindingDef { id: $id, severity: Severity::$sev, citation: $cite, summary: $sum },)*
        ];
    };
}

defs! {
    "rfc5280.crl.revoked", Fatal, "RFC 5280 §6.3.3 (h)-(i)", "A current, valid CRL lists the certificate as revoked.";
    "rfc5280.crl.malformed", Error, "RFC 5280 §5.1", "The CRL does not parse as a v2 CertificateList.";
    "rfc5280.crl.not-found", Error, "RFC 5280 §6.3.3", "No CRL from the certificate's issuer (or the named CRL issuer) was supplied.";
    "rfc5280.crl.number-missing", Error, "RFC 5280 §5.2.3", "The CRL has no cRLNumber, which conforming issuers MUST include.";
    "rfc5280.crl.number-critical", Error, "RFC 5280 §5.2.3", "The cRLNumber extension is marked critical; it MUST be non-critical.";
    "rfc5280.crl.number-too-long", Error, "RFC 5280 §5.2.3", "The cRLNumber or BaseCRLNumber is longer than 20 octets.";
    "rfc5280.crl.unknown-critical-extension", Error, "RFC 5280 §5.2", "The CRL has a critical extension this verifier does not process.";
    "rfc5280.crl.unknown-critical-entry-extension", Error, "RFC 5280 §5.3", "A CRL entry has a critical extension this verifier does not process.";
    "rfc5280.crl.idp-invalid", Error, "RFC 5280 §5.2.5", "The issuingDistributionPoint extension breaks its encoding rules.";
    "rfc5280.crl.remove-from-crl-in-complete", Error, "RFC 5280 §5.3.1", "A complete CRL uses removeFromCRL, which only delta CRLs may use.";
    "rfc5280.crl.certificate-issuer-in-direct-crl", Error, "RFC 5280 §5.3.3", "An entry names a certificateIssuer in a CRL that is not indirect.";
    "rfc5280.crl.not-yet-valid", Error, "RFC 5280 §5.1.2.4", "The CRL's thisUpdate is after the validation time.";
    "rfc5280.crl.expired", Error, "RFC 5280 §5.1.2.5, §6.3.3 (a)(2)", "The CRL's nextUpdate is not after the validation time.";
    "rfc5280.crl.not-indirect", Error, "RFC 5280 §6.3.3 (b)(1)", "The distribution point names a cRLIssuer but the CRL is not an indirect CRL.";
    "rfc5280.crl.scope.distribution-point", Error, "RFC 5280 §6.3.3 (b)(2)(i)", "The CRL's issuing distribution point does not match the certificate's distribution point.";
    "rfc5280.crl.scope.user-certs", Error, "RFC 5280 §6.3.3 (b)(2)(ii)", "The CRL covers only end-entity certificates and the certificate is a CA.";
    "rfc5280.crl.scope.ca-certs", Error, "RFC 5280 §6.3.3 (b)(2)(iii)", "The CRL covers only CA certificates and the certificate is not a CA.";
    "rfc5280.crl.scope.attribute-certs", Error, "RFC 5280 §6.3.3 (b)(2)(iv)", "The CRL covers only attribute certificates.";
    "rfc5280.crl.aki-mismatch", Error, "RFC 5280 §5.2.1, §6.3.3 (f)", "The CRL's authorityKeyIdentifier does not match any usable CRL signer.";
    "rfc5280.crl.signer-not-found", Error, "RFC 5280 §6.3.3 (f)", "No validated certificate of the CRL issuer could be found.";
    "rfc5280.crl.signer-lacks-crl-sign", Error, "RFC 5280 §6.3.3 (f), §4.2.1.3", "The CRL signer's keyUsage does not assert cRLSign.";
    "rfc5280.crl.signature-invalid", Error, "RFC 5280 §6.3.3 (g)", "The CRL signature does not verify with the CRL issuer's key.";
    "rfc5280.crl.delta-without-base", Error, "RFC 5280 §5.2.4", "A delta CRL was supplied without a usable complete CRL it applies to.";
    "rfc5280.crl.delta-unusable", Error, "RFC 5280 §6.3.3 (g)", "Delta CRLs for this complete CRL were supplied but none is current and valid.";
    "rfc5280.crl.reasons-incomplete", Error, "RFC 5280 §6.3.3 (k), §6.3.2", "The usable CRLs do not cover all revocation reasons.";
    "rfc5280.crl.name-comparison-limit", Error, "RFC 5280 §6.3.3 (b)(2)(i); limit of this verifier", "Matching distribution point names took more comparisons than allowed.";
    "rfc5280.crl.budget-exhausted", Error, "limit of this verifier", "The signature-check budget ran out during revocation checking.";
}

impl CrlProblemKind {
    /// The stable finding id.
    pub fn finding_id(&self) -> &'static str {
        use CrlProblemKind::*;
        match self {
            NotFound { .. } => "rfc5280.crl.not-found",
            NumberMissing => "rfc5280.crl.number-missing",
            NumberCritical => "rfc5280.crl.number-critical",
            NumberTooLong { .. } => "rfc5280.crl.number-too-long",
            UnknownCriticalExtension { .. } => "rfc5280.crl.unknown-critical-extension",
            UnknownCriticalEntryExtension { .. } => "rfc5280.crl.unknown-critical-entry-extension",
            IdpInvalid(_) => "rfc5280.crl.idp-invalid",
            RemoveFromCrlInComplete { .. } => "rfc5280.crl.remove-from-crl-in-complete",
            CertificateIssuerInDirectCrl => "rfc5280.crl.certificate-issuer-in-direct-crl",
            NotYetValid { .. } => "rfc5280.crl.not-yet-valid",
            Expired { .. } => "rfc5280.crl.expired",
            NotIndirect => "rfc5280.crl.not-indirect",
            ScopeDistributionPoint => "rfc5280.crl.scope.distribution-point",
            ScopeUserCerts => "rfc5280.crl.scope.user-certs",
            ScopeCaCerts => "rfc5280.crl.scope.ca-certs",
            ScopeAttributeCerts => "rfc5280.crl.scope.attribute-certs",
            AkiMismatch => "rfc5280.crl.aki-mismatch",
            SignerNotFound => "rfc5280.crl.signer-not-found",
            SignerLacksCrlSign { .. } => "rfc5280.crl.signer-lacks-crl-sign",
            SignatureInvalid { .. } => "rfc5280.crl.signature-invalid",
            DeltaWithoutBase => "rfc5280.crl.delta-without-base",
            DeltaUnusable => "rfc5280.crl.delta-unusable",
            ReasonsIncomplete { .. } => "rfc5280.crl.reasons-incomplete",
            NameComparisonLimit => "rfc5280.crl.name-comparison-limit",
            BudgetExhausted => "rfc5280.crl.budget-exhausted",
        }
    }

    /// The clause the rule comes from.
    pub fn citation(&self) -> &'static str {
        let id = self.finding_id();
        FINDINGS.iter().find(|d| d.id == id).map(|d| d.citation).unwrap_or("RFC 5280 §6.3")
    }
}

impl fmt::Display for CrlProblemKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use CrlProblemKind::*;
        match self {
            NotFound { issuers } => write!(f, "no CRL issued by {} was supplied", issuers.join(" or ")),
            NumberMissing => f.write_str("it has no cRLNumber extension"),
            NumberCritical => f.write_str("its cRLNumber extension is marked critical"),
            NumberTooLong { octets } => {
                write!(f, "its CRL number is {octets} octets long (at most {MAX_CRL_NUMBER_OCTETS} allowed)")
            }
            UnknownCriticalExtension { oid } => write!(f, "it has the unknown critical extension {oid}"),
            UnknownCriticalEntryExtension { oid, serial } => {
                write!(f, "its entry for serial {serial} has the unknown critical extension {oid}")
            }
            IdpInvalid(why) => write!(f, "its issuingDistributionPoint is invalid: {why}"),
            RemoveFromCrlInComplete { serial } => {
                write!(f, "it is a complete CRL but lists serial {serial} with reason removeFromCRL")
            }
            CertificateIssuerInDirectCrl => f.write_str("an entry has a certificateIssuer but the CRL is not indirect"),
            NotYetValid { this_update } => write!(f, "it is not yet valid (thisUpdate {})", fmt_time(*this_update)),
            Expired { next_update } => write!(f, "it has expired (nextUpdate {})", fmt_time(*next_update)),
            NotIndirect => {
                f.write_str("the certificate's distribution point names it as cRLIssuer but it is not an indirect CRL")
            }
            ScopeDistributionPoint => f.write_str(
                "its issuingDistributionPoint name matches none of the certificate's distribution point names",
            ),
            ScopeUserCerts => f.write_str("it covers only end-entity certificates and the certificate is a CA"),
            ScopeCaCerts => f.write_str("it covers only CA certificates and the certificate is not a CA"),
            ScopeAttributeCerts => f.write_str("it covers only attribute certificates"),
            AkiMismatch => f.write_str("its authorityKeyIdentifier matches no usable certificate of its issuer"),
            SignerNotFound => f.write_str("no validated certificate of its issuer with cRLSign was found"),
            SignerLacksCrlSign { signer } => write!(f, "its signer {signer} has keyUsage without cRLSign"),
            SignatureInvalid { signer, reason } => {
                write!(f, "its signature does not verify with {signer}'s key: {reason}")
            }
            DeltaWithoutBase => f.write_str("it is a delta CRL and no usable complete CRL it applies to was supplied"),
            DeltaUnusable => f.write_str("delta CRLs for it were supplied but none is current and valid"),
            ReasonsIncomplete { missing } => {
                write!(f, "the usable CRLs do not cover the revocation reasons {}", reason_names(*missing))
            }
            NameComparisonLimit => {
                write!(f, "matching distribution point names took more than {MAX_NAME_COMPARISONS} comparisons")
            }
            BudgetExhausted => f.write_str("the signature-check budget ran out"),
        }
    }
}

/// One reason why revocation status could not be established from a CRL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CrlProblem {
    /// The index of the CRL in [`CrlContext::crls`], when the problem is about one CRL.
    pub crl_index: Option<usize>,
    /// The CRL's label (issuer and number), when the problem is about one CRL.
    pub crl: Option<String>,
    /// The label of the certificate whose status was checked.
    pub subject: String,
    pub kind: CrlProblemKind,
}

impl CrlProblem {
    pub fn finding_id(&self) -> &'static str {
        self.kind.finding_id()
    }

    /// This problem as a finding (severity from [`FINDINGS`]).
    pub fn to_finding(&self) -> Finding {
        let id = self.finding_id();
        let severity = FINDINGS.iter().find(|d| d.id == id).map(|d| d.severity).unwrap_or(Severity::Error);
        Finding::new(id, severity, self.to_string())
    }
}

impl fmt::Display for CrlProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.crl, self.crl_index) {
            (Some(label), Some(i)) => write!(
                f,
                "revocation of {}: the {label} (#{}) cannot be used: {} ({})",
                self.subject,
                i + 1,
                self.kind,
                self.kind.citation()
            ),
            _ => write!(f, "revocation of {}: {} ({})", self.subject, self.kind, self.kind.citation()),
        }
    }
}

/// The names of the reasons set in a ReasonFlags mask.
pub fn reason_names(mask: u16) -> String {
    const NAMES: [&str; 9] = [
        "unused",
        "keyCompromise",
        "cACompromise",
        "affiliationChanged",
        "superseded",
        "cessationOfOperation",
        "certificateHold",
        "privilegeWithdrawn",
        "aACompromise",
    ];
    let v: Vec<&str> = NAMES.iter().enumerate().filter(|(i, _)| mask & (1 << i) != 0).map(|(_, n)| *n).collect();
    v.join(", ")
}

/// The name of a CRLReason code (RFC 5280 §5.3.1).
pub fn reason_code_name(code: u8) -> &'static str {
    match code {
        0 => "unspecified",
        1 => "keyCompromise",
        2 => "cACompromise",
        3 => "affiliationChanged",
        4 => "superseded",
        5 => "cessationOfOperation",
        6 => "certificateHold",
        8 => "removeFromCRL",
        9 => "privilegeWithdrawn",
        10 => "aACompromise",
        _ => "unassigned",
    }
}

/// Unix seconds as an RFC 3339 UTC time (proleptic Gregorian calendar).
pub use crate::validate::fmt_time;

// ---------------------------------------------------------------------------------------------
// §6.3 revocation checking
// ---------------------------------------------------------------------------------------------

/// The revocation status of one certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RevocationStatus {
    /// Usable CRLs cover every reason and none lists the certificate.
    Good,
    /// A usable CRL (or its delta) lists the certificate: the reasonCode if any, the
    /// revocationDate, and the index of the CRL that lists it.
    Revoked { reason: Option<u8>, date: i64, crl_index: usize },
    /// no usable CRL covers it, with the reasons each candidate CRL was rejected
    Unknown(Vec<CrlProblem>),
}

impl RevocationStatus {
    /// The findings this status gives for `cert` (none for [`RevocationStatus::Good`]). The
    /// problems of an unknown status are returned as they are; the caller picks the severity
    /// its revocation policy gives them.
    pub fn findings(&self, cert: &Certificate, crls: &[Crl]) -> Vec<Finding> {
        match self {
            RevocationStatus::Good => Vec::new(),
            RevocationStatus::Revoked { reason, date, crl_index } => {
                let by = crls.get(*crl_index).map(|c| c.label()).unwrap_or_else(|| "a CRL".into());
                let why = reason.map(|r| format!(", reason {}", reason_code_name(r))).unwrap_or_default();
                vec![Finding::new(
                    "rfc5280.crl.revoked",
                    Severity::Fatal,
                    format!(
                        "{} (serial {}) is revoked since {}{why}, per the {by} (RFC 5280 §6.3.3)",
                        cert.label(),
                        hex(&cert.serial),
                        fmt_time(*date)
                    ),
                )]
            }
            RevocationStatus::Unknown(problems) => problems.iter().map(CrlProblem::to_finding).collect(),
        }
    }
}

/// What [`check`] needs besides the certificate and its issuer.
pub struct CrlContext<'a> {
    pub crls: &'a [Crl],
    /// The validation time, Unix seconds.
    pub time: i64,
    pub verifier: &'a dyn SignatureVerifier,
    /// For indirect CRLs: finds and VALIDATES (full path validation, done by the lead's validator)
    /// a certificate for the given CRL issuer name/AKI that has cRLSign; returns it or None.
    pub find_crl_signer: &'a FindCrlSigner<'a>,
}

/// The signer lookup of [`CrlContext::find_crl_signer`]: CRL issuer name and the CRL's
/// authorityKeyIdentifier keyIdentifier, if any.
pub type FindCrlSigner<'a> = dyn Fn(&Name, Option<&[u8]>) -> Option<Certificate> + 'a;

/// A distribution point as §6.3.3 processes it.
struct Dp<'c> {
    name: Option<Vec<GeneralName>>,
    reasons: Option<u16>,
    crl_issuer: Option<&'c [GeneralName]>,
}

enum Signer {
    Issuer,
    Found(Box<Certificate>),
}

struct Run<'a, 'b> {
    cert: &'b Certificate,
    issuer: &'b Certificate,
    ctx: &'b CrlContext<'a>,
    budget: &'b mut Budget,
    problems: Vec<CrlProblem>,
    /// Per CRL index: the outcome of choosing a signer and checking the signature.
    signers: HashMap<usize, Result<usize, CrlProblemKind>>,
    found: Vec<Signer>,
    reported: Vec<(usize, &'static str)>,
    comparisons: u64,
    exhausted: bool,
    used_deltas: Vec<usize>,
}

impl Run<'_, '_> {
    fn problem(&mut self, i: usize, kind: CrlProblemKind) {
        let key = (i, kind.finding_id());
        if self.reported.contains(&key) {
            return;
        }
        self.reported.push(key);
        if matches!(kind, CrlProblemKind::BudgetExhausted) {
            self.exhausted = true;
        }
        let crl = self.ctx.crls.get(i).map(Crl::label);
        self.problems.push(CrlProblem { crl_index: Some(i), crl, subject: self.cert.label(), kind });
    }

    fn signer_cert(&self, s: usize) -> &Certificate {
        match self.found.get(s) {
            Some(Signer::Found(c)) => c,
            _ => self.issuer,
        }
    }

    /// Verifies `crl` with `signer`: keyUsage cRLSign when keyUsage is present (§6.3.3 (f)) and the
    /// signature (§6.3.3 (g)).
    fn verify_with(&mut self, crl: &Crl, signer: &Certificate) -> Result<(), CrlProblemKind> {
        if let Some(ku) = &signer.extensions.key_usage {
            if !ku.value.has(KeyUsage::CRL_SIGN) {
                return Err(CrlProblemKind::SignerLacksCrlSign { signer: signer.label() });
            }
        }
        if self.budget.signature().is_err() {
            return Err(CrlProblemKind::BudgetExhausted);
        }
        self.ctx
            .verifier
            .verify(&crl.signature_algorithm, &signer.public_key, crl.tbs_der(), &crl.signature)
            .map_err(|e| CrlProblemKind::SignatureInvalid { signer: signer.label(), reason: e.to_string() })
    }

    /// §6.3.3 (f)-(g): finds the CRL signer and verifies the signature; cached per CRL.
    fn signer(&mut self, i: usize) -> Result<usize, CrlProblemKind> {
        if let Some(r) = self.signers.get(&i) {
            return r.clone();
        }
        let r = self.choose_signer(i);
        self.signers.insert(i, r.clone());
        r
    }

    fn choose_signer(&mut self, i: usize) -> Result<usize, CrlProblemKind> {
        let crls = self.ctx.crls;
        let Some(crl) = crls.get(i) else { return Err(CrlProblemKind::SignerNotFound) };
        let aki = crl.aki_key_id();
        let mut first_problem: Option<CrlProblemKind> = None;
        let mut tried_issuer = false;
        if crl.issuer.matches(&self.issuer.subject) {
            let aki_ok = match (aki, self.issuer.ski()) {
                (Some(a), Some(s)) => a == s,
                _ => true,
            };
            if aki_ok {
                tried_issuer = true;
                let issuer = self.issuer;
                match self.verify_with(crl, issuer) {
                    Ok(()) => {
                        self.found.push(Signer::Issuer);
                        return Ok(self.found.len() - 1);
                    }
                    Err(CrlProblemKind::BudgetExhausted) => return Err(CrlProblemKind::BudgetExhausted),
                    Err(p) => first_problem = Some(p),
                }
            } else {
                first_problem = Some(CrlProblemKind::AkiMismatch);
            }
        }
        // Another certificate of the CRL issuer: an indirect CRL issuer, or the same CA with a
        // separate CRL-signing key (PKITS 4.4.19).
        let other = (self.ctx.find_crl_signer)(&crl.issuer, aki);
        match other {
            Some(s) if !(tried_issuer && s.der() == self.issuer.der()) => {
                if !s.subject.matches(&crl.issuer) {
                    return Err(first_problem.unwrap_or(CrlProblemKind::SignerNotFound));
                }
                if let (Some(a), Some(k)) = (aki, s.ski()) {
                    if a != k {
                        return Err(first_problem.unwrap_or(CrlProblemKind::AkiMismatch));
                    }
                }
                match self.verify_with(crl, &s) {
                    Ok(()) => {
                        self.found.push(Signer::Found(Box::new(s)));
                        Ok(self.found.len() - 1)
                    }
                    Err(CrlProblemKind::BudgetExhausted) => Err(CrlProblemKind::BudgetExhausted),
                    Err(p) => Err(first_problem.unwrap_or(p)),
                }
            }
            _ => Err(first_problem.unwrap_or(CrlProblemKind::SignerNotFound)),
        }
    }

    /// Any name of `a` equals any name of `b`, counting comparisons against the limit.
    fn names_meet(&mut self, a: &[GeneralName], b: &[GeneralName]) -> Result<bool, CrlProblemKind> {
        let n = (a.len() as u64).saturating_mul(b.len() as u64);
        self.comparisons = self.comparisons.saturating_add(n);
        if self.comparisons > MAX_NAME_COMPARISONS {
            return Err(CrlProblemKind::NameComparisonLimit);
        }
        Ok(a.iter().any(|x| b.iter().any(|y| general_name_eq(x, y))))
    }

    /// §6.3.3 (b): is complete CRL `crl` the right issuer and in scope for `dp`?
    /// `Ok(None)`: not from this DP's CRL issuer (irrelevant, no problem to report).
    fn scope(&mut self, crl: &Crl, dp: &Dp) -> Result<Option<()>, CrlProblemKind> {
        // Each (distribution point, CRL) pair costs one comparison, so that a certificate with
        // thousands of distribution points against thousands of CRLs stays bounded too.
        self.comparisons = self.comparisons.saturating_add(1);
        if self.comparisons > MAX_NAME_COMPARISONS {
            return Err(CrlProblemKind::NameComparisonLimit);
        }
        // (b)(1)
        match dp.crl_issuer {
            Some(names) => {
                if !names.iter().any(|g| matches!(g, GeneralName::Directory(n) if n.matches(&crl.issuer))) {
                    return Ok(None);
                }
                if !crl.is_indirect() {
                    return Err(CrlProblemKind::NotIndirect);
                }
            }
            None => {
                if !crl.issuer.matches(&self.cert.issuer) {
                    return Ok(None);
                }
            }
        }
        // (b)(2)
        if let Some(idp) = crl.idp() {
            if let Some(idp_name) = &idp.name {
                let idp_names = full_names(idp_name, &crl.issuer);
                let ok = match (&dp.name, dp.crl_issuer) {
                    (Some(names), _) => self.names_meet(&idp_names, names)?,
                    (None, Some(issuers)) => self.names_meet(&idp_names, issuers)?,
                    (None, None) => false,
                };
                if !ok {
                    return Err(CrlProblemKind::ScopeDistributionPoint);
                }
            }
            if idp.only_user_certs && self.cert.is_ca() {
                return Err(CrlProblemKind::ScopeUserCerts);
            }
            if idp.only_ca_certs && !self.cert.is_ca() {
                return Err(CrlProblemKind::ScopeCaCerts);
            }
            if idp.only_attribute_certs {
                return Err(CrlProblemKind::ScopeAttributeCerts);
            }
        }
        Ok(Some(()))
    }

    /// §6.3.3 (g): the newest current, valid delta CRL for complete CRL `ci`. `Ok(None)` when no
    /// delta applies; an error when some apply but none is usable.
    fn delta_for(&mut self, ci: usize, signer: usize) -> Result<Option<usize>, CrlProblemKind> {
        let crls = self.ctx.crls;
        let Some(complete) = crls.get(ci) else { return Ok(None) };
        let Some(number) = complete.number() else { return Ok(None) };
        let mut cands: Vec<usize> = crls
            .iter()
            .enumerate()
            .filter(|(_, d)| {
                d.is_delta()
                    && d.issuer.matches(&complete.issuer)
                    && d.idp().map(|i| &i.der) == complete.idp().map(|i| &i.der)
                    && complete.aki_key_id().is_none_or(|a| d.aki_key_id() == Some(a))
                    && d.base_number().is_some_and(|b| b <= number)
                    && d.number().is_none_or(|n| n > number)
            })
            .map(|(i, _)| i)
            .collect();
        if cands.is_empty() {
            return Ok(None);
        }
        cands.sort_by(|a, b| newest_first(crls, *a, *b));
        for di in cands {
            let Some(d) = crls.get(di) else { continue };
            if let Some(p) = d.defects_as(false).into_iter().next() {
                self.problem(di, p);
                continue;
            }
            if let Some(p) = d.window_problem(self.ctx.time) {
                self.problem(di, p);
                continue;
            }
            let s = self.signer_cert(signer).clone();
            match self.verify_with(d, &s) {
                Ok(()) => {
                    self.used_deltas.push(di);
                    return Ok(Some(di));
                }
                Err(CrlProblemKind::BudgetExhausted) => return Err(CrlProblemKind::BudgetExhausted),
                Err(p) => self.problem(di, p),
            }
        }
        Err(CrlProblemKind::DeltaUnusable)
    }
}

fn newest_first(crls: &[Crl], a: usize, b: usize) -> std::cmp::Ordering {
    let key = |i: usize| crls.get(i).map(|c| (c.number().cloned(), c.this_update));
    key(b).cmp(&key(a))
}

/// A distribution point name as a list of general names: a name relative to the CRL issuer
/// becomes the issuer's name with the RDN appended (§4.2.1.13, §5.2.5).
fn full_names(n: &DistributionPointName, issuer: &Name) -> Vec<GeneralName> {
    match n {
        DistributionPointName::FullName(v) => v.clone(),
        DistributionPointName::RelativeToIssuer(rdn) => {
            let mut rdns = issuer.rdns().to_vec();
            rdns.extend(rdn.rdns().iter().cloned());
            vec![GeneralName::Directory(Name::from_parts(Vec::new(), rdns))]
        }
    }
}

fn general_name_eq(a: &GeneralName, b: &GeneralName) -> bool {
    match (a, b) {
        (GeneralName::Directory(x), GeneralName::Directory(y)) => x.matches(y),
        (GeneralName::Dns(x), GeneralName::Dns(y)) => x.eq_ignore_ascii_case(y),
        (GeneralName::Rfc822(x), GeneralName::Rfc822(y)) => x.eq_ignore_ascii_case(y),
        _ => a == b,
    }
}

/// RFC 5280 §6.3.3: the revocation status of `cert`, issued by `issuer`, from the CRLs in
/// `ctx` at `ctx.time`. Signature checks are spent from `budget`.
pub fn check(cert: &Certificate, issuer: &Certificate, ctx: &CrlContext, budget: &mut Budget) -> RevocationStatus {
    let mut run = Run {
        cert,
        issuer,
        ctx,
        budget,
        problems: Vec::new(),
        signers: HashMap::new(),
        found: Vec::new(),
        reported: Vec::new(),
        comparisons: 0,
        exhausted: false,
        used_deltas: Vec::new(),
    };

    // The certificate's distribution points, then the notional one of §6.3.3 (last paragraph):
    // named after the certificate issuer (and its issuerAltName), no reasons, no cRLIssuer.
    let mut dps: Vec<Dp> = Vec::new();
    let cert_dps = cert_distribution_points(cert).unwrap_or_default();
    {
        for dp in &cert_dps {
            let crl_issuer = dp.crl_issuer.as_deref();
            let base = crl_issuer
                .and_then(|v| {
                    v.iter().find_map(|g| match g {
                        GeneralName::Directory(n) => Some(n),
                        _ => None,
                    })
                })
                .unwrap_or(&cert.issuer);
            dps.push(Dp { name: dp.name.as_ref().map(|n| full_names(n, base)), reasons: dp.reasons, crl_issuer });
        }
    }
    let mut notional = vec![GeneralName::Directory(cert.issuer.clone())];
    if let Some(ian) = &cert.extensions.issuer_alt_name {
        notional.extend(ian.value.iter().cloned());
    }
    dps.push(Dp { name: Some(notional), reasons: None, crl_issuer: None });

    // Complete CRLs, newest first.
    let crls = ctx.crls;
    let mut order: Vec<usize> = (0..crls.len()).filter(|i| crls.get(*i).is_some_and(|c| !c.is_delta())).collect();
    order.sort_by(|a, b| newest_first(crls, *a, *b));

    let mut reasons_mask: u16 = 0;
    let mut relevant = false;
    for dp in &dps {
        for &ci in &order {
            if run.exhausted {
                break;
            }
            let Some(crl) = crls.get(ci) else { continue };
            match run.scope(crl, dp) {
                Ok(None) => continue,
                Ok(Some(())) => relevant = true,
                Err(p) => {
                    relevant = true;
                    let stop = matches!(p, CrlProblemKind::NameComparisonLimit);
                    run.problem(ci, p);
                    if stop {
                        return RevocationStatus::Unknown(run.problems);
                    }
                    continue;
                }
            }
            if let Some(p) = crl.defects_as(true).into_iter().next() {
                run.problem(ci, p);
                continue;
            }
            if let Some(p) = crl.window_problem(ctx.time) {
                run.problem(ci, p);
                continue;
            }
            // (c), (d)
            let interim = dp.reasons.unwrap_or(ALL_REASONS)
                & crl.idp().and_then(|i| i.only_some_reasons).unwrap_or(ALL_REASONS)
                & ALL_REASONS;
            if interim & !reasons_mask == 0 {
                continue;
            }
            // (e)-(f)-(g)
            let signer = match run.signer(ci) {
                Ok(s) => s,
                Err(p) => {
                    run.problem(ci, p);
                    continue;
                }
            };
            let delta = match run.delta_for(ci, signer) {
                Ok(d) => d,
                Err(p) => {
                    run.problem(ci, p);
                    continue;
                }
            };
            // (h)-(j)
            let mut removed = false;
            if let Some(di) = delta {
                if let Some(e) = crls.get(di).and_then(|d| d.entry_for(cert)) {
                    if e.reason == Some(REASON_REMOVE_FROM_CRL) {
                        removed = true;
                    } else {
                        return RevocationStatus::Revoked { reason: e.reason, date: e.revocation_date, crl_index: di };
                    }
                }
            }
            if !removed {
                if let Some(e) = crl.entry_for(cert) {
                    return RevocationStatus::Revoked { reason: e.reason, date: e.revocation_date, crl_index: ci };
                }
            }
            // (k)
            reasons_mask |= interim;
            if reasons_mask == ALL_REASONS {
                return RevocationStatus::Good;
            }
        }
    }

    // Undetermined: say why.
    let mut problems = std::mem::take(&mut run.problems);
    let subject = cert.label();
    for (di, d) in crls.iter().enumerate() {
        let ours = d.issuer.matches(&cert.issuer)
            || dps.iter().any(|dp| {
                dp.crl_issuer
                    .is_some_and(|v| v.iter().any(|g| matches!(g, GeneralName::Directory(n) if n.matches(&d.issuer))))
            });
        if d.is_delta() && ours && !run.used_deltas.contains(&di) {
            relevant = true;
            if !problems.iter().any(|p| p.crl_index == Some(di)) {
                problems.push(CrlProblem {
                    crl_index: Some(di),
                    crl: Some(d.label()),
                    subject: subject.clone(),
                    kind: CrlProblemKind::DeltaWithoutBase,
                });
            }
        }
    }
    if !relevant {
        let mut issuers = vec![cert.issuer.display_short()];
        for dp in &dps {
            for g in dp.crl_issuer.unwrap_or(&[]) {
                if let GeneralName::Directory(n) = g {
                    let s = n.display_short();
                    if !issuers.contains(&s) {
                        issuers.push(s);
                    }
                }
            }
        }
        problems.push(CrlProblem { crl_index: None, crl: None, subject, kind: CrlProblemKind::NotFound { issuers } });
    } else if problems.is_empty() || reasons_mask != 0 {
        problems.push(CrlProblem {
            crl_index: None,
            crl: None,
            subject,
            kind: CrlProblemKind::ReasonsIncomplete { missing: ALL_REASONS & !reasons_mask },
        });
    }
    RevocationStatus::Unknown(problems)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_serials_match_non_minimal_encodings() {
        assert_eq!(canonical_serial(&[0x00, 0x7F]), &[0x7F]);
        assert_eq!(canonical_serial(&[0x00, 0x80]), &[0x00, 0x80]);
        assert_eq!(canonical_serial(&[0xFF, 0xFF, 0x80]), &[0x80]);
        assert_eq!(canonical_serial(&[0xFF, 0x7F]), &[0xFF, 0x7F]);
        assert_eq!(canonical_serial(&[0x00]), &[0x00]);
        assert_eq!(canonical_serial(&[]), &[] as &[u8]);
    }

    #[test]
    fn times_format_as_rfc3339() {
        assert_eq!(fmt_time(0), "1970-01-01T00:00:00Z");
        assert_eq!(fmt_time(1_704_067_200), "2024-01-01T00:00:00Z");
        assert_eq!(fmt_time(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(fmt_time(-1), "1969-12-31T23:59:59Z");
    }

    #[test]
    fn reason_masks_name_their_reasons() {
        assert_eq!(reason_names(0b10), "keyCompromise");
        assert_eq!(reason_names(ALL_REASONS).split(", ").count(), 8);
    }

    #[test]
    fn every_problem_kind_is_in_the_catalogue() {
        use CrlProblemKind::*;
        let kinds = [
            NotFound { issuers: vec![] },
            NumberMissing,
            NumberCritical,
            NumberTooLong { octets: 21 },
            UnknownCriticalExtension { oid: "1.2".into() },
            UnknownCriticalEntryExtension { oid: "1.2".into(), serial: "01".into() },
            IdpInvalid("x".into()),
            RemoveFromCrlInComplete { serial: "01".into() },
            CertificateIssuerInDirectCrl,
            NotYetValid { this_update: 0 },
            Expired { next_update: 0 },
            NotIndirect,
            ScopeDistributionPoint,
            ScopeUserCerts,
            ScopeCaCerts,
            ScopeAttributeCerts,
            AkiMismatch,
            SignerNotFound,
            SignerLacksCrlSign { signer: "s".into() },
            SignatureInvalid { signer: "s".into(), reason: "r".into() },
            DeltaWithoutBase,
            DeltaUnusable,
            ReasonsIncomplete { missing: 2 },
            NameComparisonLimit,
            BudgetExhausted,
        ];
        for k in &kinds {
            assert!(FINDINGS.iter().any(|d| d.id == k.finding_id()), "{} missing", k.finding_id());
            assert!(!k.to_string().is_empty());
        }
        let mut ids: Vec<_> = FINDINGS.iter().map(|d| d.id).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), FINDINGS.len(), "duplicate ids");
        assert!(FINDINGS.iter().all(|d| d.id.starts_with("rfc5280.crl.")));
    }

    #[test]
    fn oversized_input_is_refused_before_parsing() {
        let big = vec![0u8; MAX_CRL_BYTES + 1];
        assert_eq!(Crl::from_der(&big), Err(CrlError::TooLarge(MAX_CRL_BYTES)));
    }

    #[test]
    fn garbage_is_a_der_error_not_a_panic() {
        for input in [&[][..], &[0x30][..], &[0x30, 0x03, 0x02, 0x01, 0x01][..], &[0xFF; 40][..]] {
            assert!(matches!(Crl::from_der(input), Err(CrlError::Der(_))));
        }
    }

    fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
        assert!(content.len() < 128);
        let mut v = vec![tag, content.len() as u8];
        v.extend_from_slice(content);
        v
    }

    const CN_ATV: &[u8] = &[0x30, 0x0B, 0x06, 0x03, 0x55, 0x04, 0x03, 0x0C, 0x04, b'C', b'R', b'L', b'1'];

    #[test]
    fn idp_with_implicit_relative_name_is_read() {
        // [0] { [1] { AttributeTypeAndValue } }: the IMPLICIT encoding of RFC 5280 Appendix A.
        let der = tlv(0x30, &tlv(0xA0, &tlv(0xA1, CN_ATV)));
        let idp = parse_idp(&der).unwrap();
        match idp.name {
            Some(DistributionPointName::RelativeToIssuer(n)) => assert_eq!(n.to_string(), "CN=CRL1"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn idp_fields_are_read_and_checked() {
        let der = tlv(0x30, &[tlv(0x81, &[0xFF]), tlv(0x83, &[0x07, 0x60]), tlv(0x84, &[0xFF])].concat());
        let idp = parse_idp(&der).unwrap();
        assert!(idp.only_user_certs && idp.indirect && !idp.only_ca_certs);
        // keyCompromise (1) and cACompromise (2).
        assert_eq!(idp.only_some_reasons, Some(0b110));
        // Out of order, repeated, unknown and malformed fields are errors.
        let bad = [
            tlv(0x30, &[tlv(0x84, &[0xFF]), tlv(0x81, &[0xFF])].concat()),
            tlv(0x30, &[tlv(0x81, &[0xFF]), tlv(0x81, &[0xFF])].concat()),
            tlv(0x30, &tlv(0x86, &[0xFF])),
            tlv(0x30, &tlv(0x81, &[0xFF, 0x00])),
            tlv(0x30, &tlv(0x83, &[0x08, 0x80])),
            tlv(0x30, &tlv(0xA0, &tlv(0xA2, CN_ATV))),
            tlv(0x31, &[]),
            [tlv(0x30, &[]), vec![0]].concat(),
        ];
        for b in bad {
            assert!(parse_idp(&b).is_err(), "{b:02x?}");
        }
    }

    #[test]
    fn distribution_points_are_read_strictly() {
        let uri = tlv(0x86, b"http://x/1.crl");
        let full = tlv(0xA0, &tlv(0xA0, &uri));
        let dps = parse_distribution_points(&tlv(0x30, &tlv(0x30, &full))).unwrap();
        assert_eq!(dps[0].name, Some(DistributionPointName::FullName(vec![GeneralName::Uri("http://x/1.crl".into())])));
        let rel = tlv(0xA0, &tlv(0xA1, CN_ATV));
        let dps = parse_distribution_points(&tlv(0x30, &tlv(0x30, &[rel, tlv(0x81, &[0x06, 0x40])].concat()))).unwrap();
        assert!(matches!(dps[0].name, Some(DistributionPointName::RelativeToIssuer(_))));
        assert_eq!(dps[0].reasons, Some(0b10));
        // Only reasons (§4.2.1.13), no points at all, a stray field.
        assert!(parse_distribution_points(&tlv(0x30, &tlv(0x30, &tlv(0x81, &[0x07, 0x80])))).is_err());
        assert!(parse_distribution_points(&tlv(0x30, &[])).is_err());
        assert!(parse_distribution_points(&tlv(0x30, &tlv(0x30, &[full.clone(), tlv(0x83, &[0])].concat()))).is_err());
    }

    #[test]
    fn reason_flags_follow_the_named_bits() {
        assert_eq!(reason_flags(&[0x07, 0x80]), Ok(1));
        assert_eq!(reason_flags(&[0x07, 0x7F, 0x80]), Ok(ALL_REASONS));
        assert_eq!(reason_flags(&[0x00]), Ok(0));
        assert!(reason_flags(&[]).is_err());
        assert!(reason_flags(&[0x01]).is_err());
    }
}
