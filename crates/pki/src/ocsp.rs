//! The Online Certificate Status Protocol (RFC 6960): requests, basic responses, and the
//! decision a response supports.
//!
//! - [`build_request`] writes an `OCSPRequest` for one certificate with a SHA-1 or SHA-256
//!   `CertID` (RFC 6960 §4.1.1) and an optional nonce (RFC 6960 §4.4.1, RFC 8954).
//! - [`OcspResponse::from_der`] parses an `OCSPResponse` holding an `id-pkix-ocsp-basic`
//!   `BasicOCSPResponse` (RFC 6960 §4.2.1) with a small strict DER reader and explicit limits.
//! - [`check_response`] decides what a response says about one certificate: it finds the
//!   `SingleResponse` whose `CertID` matches, verifies the signature by the CA itself or by a
//!   delegated responder (RFC 6960 §4.2.2.2: issued by the CA, `id-kp-OCSPSigning`), checks the
//!   thisUpdate/nextUpdate window and producedAt with a leeway (§4.2.2.1), the nonce echo
//!   (§4.4.1), and unknown critical extensions (§4.4), and returns an [`OcspStatus`] whose
//!   findings explain every step. [`OcspStatus::verdict`] maps it to ETSI EN 319 102-1
//!   indications.
//! - [`check_online`] is the opt-in path: it asks the responders named in the certificate's
//!   authorityInfoAccess through a [`crate::fetch::FetchSession`], and an unreachable responder
//!   is a finding and INDETERMINATE/TRY_LATER, never a pass.
//!
//! Decisions where RFC 6960 leaves room, all on the side of not accepting:
//! - a response is usable only when the validation time lies in thisUpdate..nextUpdate (each
//!   end widened by the leeway); a response without nextUpdate is usable for
//!   [`DEFAULT_MAX_AGE_WITHOUT_NEXT_UPDATE`] after thisUpdate;
//! - a response produced after the validation time (plus leeway) is not used;
//! - "revoked" with a revocationTime after the validation time means "not revoked at that
//!   time" and is reported as good with a notice (the certificate was revoked later);
//! - when several SingleResponses match the certificate and disagree, "revoked" wins, then
//!   "unknown";
//! - a delegated responder certificate without id-pkix-ocsp-nocheck is accepted with a warning:
//!   its own revocation status is not checked (§4.2.2.2.1 leaves the method to the client);
//! - responders "authorized by local configuration" (§4.2.2.2 case 1) are not supported.
//!
//! Nothing here reads the clock: the validation time is an input. [`generate_nonce`] is the only
//! source of randomness and is called only by the caller.

use crate::budget::Budget;
use crate::cert::{Certificate, KeyUsage, SignatureAlgorithm};
use crate::crl::{fmt_time, reason_code_name};
use crate::crypto::SignatureVerifier;
use crate::fetch::{FetchError, FetchKind, FetchSession};
use crate::name::{GeneralName, Name};
use crate::validate::Rfc3339;
use report::{Finding, FindingDef, Location, Severity, SubIndication, Verdict};
use std::fmt;
use x509_parser::prelude::FromDer;

/// The largest OCSP response accepted: 100 KiB, OpenSSL's cap on an OCSP response read over
/// HTTP (`OCSP_MAX_RESP_LENGTH`, `OSSL_HTTP_DEFAULT_MAX_RESP_LEN`). Real responses are 1-4 KiB.
pub const MAX_RESPONSE_BYTES: usize = 100 * 1024;

/// The most SingleResponses read from one response: 256. RFC 6960 sets no bound; this verifier
/// asks about one certificate at a time, and the bound keeps CertID matching linear and small.
pub const MAX_SINGLE_RESPONSES: usize = 256;

/// The most certificates read from `BasicOCSPResponse.certs`: 8. A delegated responder needs one
/// (RFC 6960 §4.2.2.2); some responders add their chain. Each candidate costs up to two
/// signature checks, so the bound caps the work an attacker can ask for.
pub const MAX_RESPONSE_CERTS: usize = 8;

/// The longest nonce accepted: 32 octets (RFC 8954 §2.1: `Nonce ::= OCTET STRING(SIZE(1..32))`).
pub const MAX_NONCE_LEN: usize = 32;

/// The default clock-skew leeway: 300 seconds, OpenSSL's default `-validity_period` for OCSP
/// responses (`MAX_VALIDITY_PERIOD`, 5 minutes, apps/ocsp.c).
pub const DEFAULT_LEEWAY: i64 = 300;

/// How long a response without nextUpdate is used after its thisUpdate: 10 days, the longest
/// validity interval the CA/Browser Forum Baseline Requirements allow an OCSP response (§4.9.10).
pub const DEFAULT_MAX_AGE_WITHOUT_NEXT_UPDATE: i64 = 10 * 86_400;

const OID_OCSP_BASIC: &str = "1.3.6.1.5.5.7.48.1.1";
const OID_OCSP_NONCE: &str = "1.3.6.1.5.5.7.48.1.2";
const OID_OCSP_CRL_ID: &str = "1.3.6.1.5.5.7.48.1.3";
const OID_OCSP_NOCHECK: &str = "1.3.6.1.5.5.7.48.1.5";
const OID_OCSP_ARCHIVE_CUTOFF: &str = "1.3.6.1.5.5.7.48.1.6";
const OID_OCSP_EXTENDED_REVOKE: &str = "1.3.6.1.5.5.7.48.1.9";
const OID_AD_OCSP: &str = "1.3.6.1.5.5.7.48.1";
const OID_KP_OCSP_SIGNING: &str = "1.3.6.1.5.5.7.3.9";
const OID_SHA1: &str = "1.3.14.3.2.26";
const OID_SHA256: &str = "2.16.840.1.101.3.4.2.1";
const OID_SHA384: &str = "2.16.840.1.101.3.4.2.2";
const OID_SHA512: &str = "2.16.840.1.101.3.4.2.3";

// ---------------------------------------------------------------------------------------------
// Errors and findings
// ---------------------------------------------------------------------------------------------

/// OCSPResponseStatus (RFC 6960 §4.2.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResponseStatus {
    Successful,
    MalformedRequest,
    InternalError,
    TryLater,
    SigRequired,
    Unauthorized,
    Other(u8),
}

impl ResponseStatus {
    fn from_code(c: u8) -> Self {
        match c {
            0 => ResponseStatus::Successful,
            1 => ResponseStatus::MalformedRequest,
            2 => ResponseStatus::InternalError,
            3 => ResponseStatus::TryLater,
            5 => ResponseStatus::SigRequired,
            6 => ResponseStatus::Unauthorized,
            c => ResponseStatus::Other(c),
        }
    }
}

impl fmt::Display for ResponseStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ResponseStatus::Successful => f.write_str("successful"),
            ResponseStatus::MalformedRequest => f.write_str("malformedRequest"),
            ResponseStatus::InternalError => f.write_str("internalError"),
            ResponseStatus::TryLater => f.write_str("tryLater"),
            ResponseStatus::SigRequired => f.write_str("sigRequired"),
            ResponseStatus::Unauthorized => f.write_str("unauthorized"),
            ResponseStatus::Other(c) => write!(f, "the undefined status {c}"),
        }
    }
}

/// Why an OCSP response could not be read. Display names what is wrong and where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OcspError {
    #[error("the OCSP response is {size} bytes, over the limit of {limit} bytes")]
    TooLarge { size: usize, limit: usize },
    #[error("the OCSP response is malformed at byte {offset}: {what} (RFC 6960 §4.2.1)")]
    Malformed { offset: usize, what: String },
    #[error("the OCSP responder answered {0} instead of a status (RFC 6960 §2.3)")]
    NotSuccessful(ResponseStatus),
    #[error("the OCSP response type {0} is not id-pkix-ocsp-basic (RFC 6960 §4.2.1)")]
    UnsupportedType(String),
    #[error("the OCSP response has more than {limit} {what} (a limit of this verifier)")]
    TooMany { what: &'static str, limit: usize },
}

impl OcspError {
    /// The stable finding id of this error.
    pub fn finding_id(&self) -> &'static str {
        match self {
            OcspError::TooLarge { .. } | OcspError::TooMany { .. } => "rfc6960.response.limit",
            OcspError::Malformed { .. } => "rfc6960.response.malformed",
            OcspError::NotSuccessful(_) => "rfc6960.response.not-successful",
            OcspError::UnsupportedType(_) => "rfc6960.response.unsupported-type",
        }
    }
}

finding_list! {
    "The finding ids of OCSP checking, merged into [`crate::findings`]'s catalogue.";
    "rfc6960.status.good", Info, "RFC 6960 §2.2", "A usable OCSP response says the certificate is good.";
    "rfc6960.status.revoked", Fatal, "RFC 6960 §2.2", "A usable OCSP response says the certificate is revoked.";
    "rfc6960.status.unknown", Error, "RFC 6960 §2.2", "The OCSP responder does not know the certificate.";
    "rfc6960.status.revoked-after-time", Notice, "RFC 6960 §2.2, §4.2.1 (revocationTime)", "The certificate was revoked, but after the validation time.";
    "rfc6960.response.malformed", Error, "RFC 6960 §4.2.1", "The OCSP response does not parse.";
    "rfc6960.response.limit", Error, "limit of this verifier (RFC 6960 sets none)", "The OCSP response is larger or holds more items than this verifier reads.";
    "rfc6960.response.not-successful", Error, "RFC 6960 §2.3, §4.2.1", "The responder answered with an error status (tryLater, unauthorized, ...).";
    "rfc6960.response.unsupported-type", Error, "RFC 6960 §4.2.1", "The response is not an id-pkix-ocsp-basic response.";
    "rfc6960.response.certid-mismatch", Error, "RFC 6960 §3.2 (1), §4.1.1", "No SingleResponse is about the certificate (CertID does not match).";
    "rfc6960.response.unknown-critical-extension", Error, "RFC 6960 §4.4", "The response has a critical extension this verifier does not process.";
    "rfc6960.response.not-yet-valid", Error, "RFC 6960 §3.2 (4), §4.2.2.1", "thisUpdate is after the validation time (beyond the leeway).";
    "rfc6960.response.expired", Error, "RFC 6960 §3.2 (5), §4.2.2.1", "nextUpdate is before the validation time (beyond the leeway).";
    "rfc6960.response.too-old", Error, "RFC 6960 §4.2.2.1; CABF BR §4.9.10", "The response has no nextUpdate and its thisUpdate is older than the allowed age.";
    "rfc6960.response.produced-after-time", Error, "RFC 6960 §4.2.2.1", "producedAt is after the validation time (beyond the leeway).";
    "rfc6960.signature.invalid", Error, "RFC 6960 §3.2 (2)", "The response signature does not verify with the responder's key.";
    "rfc6960.responder.not-found", Error, "RFC 6960 §4.2.2.2", "The responderID names neither the CA nor any certificate in the response.";
    "rfc6960.responder.not-issued-by-ca", Error, "RFC 6960 §4.2.2.2", "The delegated responder certificate was not issued by the certificate's CA.";
    "rfc6960.responder.no-ocsp-signing", Error, "RFC 6960 §4.2.2.2", "The delegated responder certificate lacks id-kp-OCSPSigning in extKeyUsage.";
    "rfc6960.responder.key-usage", Error, "RFC 5280 §4.2.1.3, §4.2.1.12", "The delegated responder certificate's keyUsage does not allow digitalSignature.";
    "rfc6960.responder.not-valid-at-time", Error, "RFC 6960 §4.2.2.2; RFC 5280 §6.1.3 (a)(2)", "The delegated responder certificate is outside its validity period.";
    "rfc6960.responder.status-not-checked", Warning, "RFC 6960 §4.2.2.2.1", "The delegated responder certificate has no id-pkix-ocsp-nocheck; its own status was not checked.";
    "rfc6960.nonce.mismatch", Error, "RFC 6960 §4.4.1; RFC 8954 §2.1", "The response's nonce differs from the request's (a replayed or misrouted response).";
    "rfc6960.nonce.missing", Warning, "RFC 6960 §4.4.1; RFC 8954 §2.1", "A nonce was sent but the response has none (a pre-produced response).";
    "rfc6960.nonce.missing-required", Error, "RFC 6960 §4.4.1; RFC 8954 §2.1", "A nonce was required but the response has none.";
    "rfc6960.budget-exhausted", Error, "limit of this verifier", "The signature-check budget ran out while checking the response.";
    "rfc6960.no-responder", Error, "RFC 5280 §4.2.2.1; RFC 6960 §3.1", "The certificate names no OCSP responder (authorityInfoAccess id-ad-ocsp) to ask.";
    "rfc6960.responder.unreachable", Error, "RFC 6960 Appendix A; ETSI EN 319 102-1 §5.2.5", "The OCSP responder could not be reached or did not answer in time.";
}

fn def(id: &str) -> Severity {
    FINDINGS.iter().find(|d| d.id == id).map(|d| d.severity).unwrap_or(Severity::Error)
}

fn citation(id: &str) -> &'static str {
    FINDINGS.iter().find(|d| d.id == id).map(|d| d.citation).unwrap_or("RFC 6960")
}

fn finding(id: &'static str, mut message: String) -> Finding {
    // `message (citation)`, appended in place.
    let cite = citation(id);
    message.reserve(cite.len() + 3);
    message.push_str(" (");
    message.push_str(cite);
    message.push(')');
    Finding::new(id, def(id), message)
}

// ---------------------------------------------------------------------------------------------
// A small strict DER reader (X.690 §10): definite lengths, minimal length octets, one-octet tags.
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy)]
struct Tlv<'a> {
    tag: u8,
    content: &'a [u8],
    raw: &'a [u8],
}

struct Reader<'a> {
    base: &'a [u8],
    rest: &'a [u8],
}

fn offset_in(base: &[u8], part: &[u8]) -> usize {
    (part.as_ptr() as usize).saturating_sub(base.as_ptr() as usize)
}

impl<'a> Reader<'a> {
    fn new(base: &'a [u8], data: &'a [u8]) -> Self {
        Reader { base, rest: data }
    }

    fn err(&self, at: &[u8], what: impl Into<String>) -> OcspError {
        OcspError::Malformed { offset: offset_in(self.base, at), what: what.into() }
    }

    fn is_empty(&self) -> bool {
        self.rest.is_empty()
    }

    fn peek_tag(&self) -> Option<u8> {
        self.rest.first().copied()
    }

    fn next(&mut self, what: &str) -> Result<Tlv<'a>, OcspError> {
        let input = self.rest;
        let Some(&tag) = input.first() else {
            return Err(self.err(input, format!("{what} is missing")));
        };
        if tag & 0x1f == 0x1f {
            return Err(self.err(input, format!("{what}: high tag numbers are not used by RFC 6960")));
        }
        let Some(&first) = input.get(1) else {
            return Err(self.err(input, format!("{what} is truncated")));
        };
        let (len, header) = if first < 0x80 {
            (usize::from(first), 2usize)
        } else {
            let n = usize::from(first & 0x7f);
            if n == 0 {
                return Err(self.err(input, format!("{what} has an indefinite length (not DER)")));
            }
            if n > 4 {
                return Err(self.err(input, format!("{what} has a length of {n} octets")));
            }
            let Some(octets) = input.get(2..2 + n) else {
                return Err(self.err(input, format!("{what} is truncated")));
            };
            if octets.first() == Some(&0) {
                return Err(self.err(input, format!("{what} has a non-minimal length (not DER)")));
            }
            let len = octets.iter().fold(0usize, |acc, b| (acc << 8) | usize::from(*b));
            if len < 0x80 {
                return Err(self.err(input, format!("{what} has a non-minimal length (not DER)")));
            }
            (len, 2 + n)
        };
        let Some(end) = header.checked_add(len) else {
            return Err(self.err(input, format!("{what} is too long")));
        };
        let (Some(raw), Some(content), Some(rest)) = (input.get(..end), input.get(header..end), input.get(end..))
        else {
            return Err(self.err(input, format!("{what} is truncated ({len} content bytes announced)")));
        };
        self.rest = rest;
        Ok(Tlv { tag, content, raw })
    }

    fn expect(&mut self, tag: u8, what: &str) -> Result<Tlv<'a>, OcspError> {
        let at = self.rest;
        let t = self.next(what)?;
        if t.tag != tag {
            return Err(self.err(at, format!("{what}: expected tag 0x{tag:02x}, found 0x{:02x}", t.tag)));
        }
        Ok(t)
    }

    fn optional(&mut self, tag: u8, what: &str) -> Result<Option<Tlv<'a>>, OcspError> {
        if self.peek_tag() == Some(tag) {
            self.expect(tag, what).map(Some)
        } else {
            Ok(None)
        }
    }

    fn inner(&self, t: &Tlv<'a>) -> Reader<'a> {
        Reader { base: self.base, rest: t.content }
    }

    fn finish(&self, what: &str) -> Result<(), OcspError> {
        if self.rest.is_empty() {
            Ok(())
        } else {
            Err(self.err(self.rest, format!("{} unexpected bytes after {what}", self.rest.len())))
        }
    }
}

fn read_oid(r: &mut Reader<'_>, what: &str) -> Result<String, OcspError> {
    let at = r.rest;
    let t = r.expect(0x06, what)?;
    crate::oid::dotted(t.content).ok_or_else(|| r.err(at, format!("{what} is not a valid OBJECT IDENTIFIER")))
}

/// GeneralizedTime (X.680 §46) as RFC 5280 §4.1.2.5.2 profiles it: `YYYYMMDDHHMMSSZ`. Fractional
/// seconds (which some responders write) are accepted and dropped.
fn generalized_time(r: &mut Reader<'_>, what: &str) -> Result<i64, OcspError> {
    let at = r.rest;
    let t = r.expect(0x18, what)?;
    parse_generalized_time(t.content).ok_or_else(|| {
        r.err(at, format!("{what} is not a GeneralizedTime YYYYMMDDHHMMSSZ: {:?}", String::from_utf8_lossy(t.content)))
    })
}

fn parse_generalized_time(s: &[u8]) -> Option<i64> {
    let (main, rest) = (s.get(..14)?, s.get(14..)?);
    if !main.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let rest = match rest.strip_prefix(b".") {
        Some(frac) => {
            let digits = frac.iter().take_while(|b| b.is_ascii_digit()).count();
            if digits == 0 {
                return None;
            }
            frac.get(digits..)?
        }
        None => rest,
    };
    if rest != b"Z" {
        return None;
    }
    let num = |i: usize, n: usize| -> Option<i64> {
        main.get(i..i + n)?.iter().try_fold(0i64, |acc, b| Some(acc * 10 + i64::from(b - b'0')))
    };
    crate::cert::unix_seconds(num(0, 4)?, num(4, 2)?, num(6, 2)?, num(8, 2)?, num(10, 2)?, num(12, 2)?)
}

/// The certificates of a DER "certs-only" CMS SignedData (RFC 5652 §5.1; what AIA caIssuers
/// URLs may serve, RFC 5280 §4.2.2.1), as DER. BER (indefinite lengths) is refused. At most
/// `limit` certificates are read.
pub(crate) fn certs_only_cms(der: &[u8], limit: usize) -> Result<Vec<Vec<u8>>, OcspError> {
    let mut top = Reader::new(der, der);
    let ci = top.expect(0x30, "ContentInfo")?;
    top.finish("ContentInfo")?;
    let mut c = top.inner(&ci);
    let at = c.rest;
    if read_oid(&mut c, "ContentInfo.contentType")? != "1.2.840.113549.1.7.2" {
        return Err(c.err(at, "the content type is not id-signedData"));
    }
    let content = c.expect(0xa0, "ContentInfo.content")?;
    let mut cr = c.inner(&content);
    let sd = cr.expect(0x30, "SignedData")?;
    let mut s = cr.inner(&sd);
    s.expect(0x02, "SignedData.version")?;
    s.expect(0x31, "SignedData.digestAlgorithms")?;
    s.expect(0x30, "SignedData.encapContentInfo")?;
    let mut out = Vec::new();
    if let Some(certs) = s.optional(0xa0, "SignedData.certificates")? {
        let mut l = s.inner(&certs);
        while !l.is_empty() {
            let t = l.next("CertificateChoices")?;
            if t.tag != 0x30 {
                // other certificate formats (attribute certificates, [3] other) are skipped
                continue;
            }
            if out.len() >= limit {
                return Err(OcspError::TooMany { what: "certificates", limit });
            }
            out.push(t.raw.to_vec());
        }
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// The model
// ---------------------------------------------------------------------------------------------

/// The hash of a CertID (RFC 6960 §4.1.1).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum CertIdHash {
    Sha1,
    Sha256,
    Sha384,
    Sha512,
    /// Any other algorithm, by OID: such a CertID cannot be matched.
    Other(String),
}

impl CertIdHash {
    fn from_oid(oid: &str) -> CertIdHash {
        match oid {
            OID_SHA1 => CertIdHash::Sha1,
            OID_SHA256 => CertIdHash::Sha256,
            OID_SHA384 => CertIdHash::Sha384,
            OID_SHA512 => CertIdHash::Sha512,
            o => CertIdHash::Other(o.to_string()),
        }
    }

    fn oid(&self) -> &str {
        match self {
            CertIdHash::Sha1 => OID_SHA1,
            CertIdHash::Sha256 => OID_SHA256,
            CertIdHash::Sha384 => OID_SHA384,
            CertIdHash::Sha512 => OID_SHA512,
            CertIdHash::Other(o) => o,
        }
    }

    fn digest(&self, data: &[u8]) -> Option<Vec<u8>> {
        use ring::digest as d;
        let alg = match self {
            CertIdHash::Sha1 => &d::SHA1_FOR_LEGACY_USE_ONLY,
            CertIdHash::Sha256 => &d::SHA256,
            CertIdHash::Sha384 => &d::SHA384,
            CertIdHash::Sha512 => &d::SHA512,
            CertIdHash::Other(_) => return None,
        };
        Some(d::digest(alg, data).as_ref().to_vec())
    }
}

impl fmt::Display for CertIdHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CertIdHash::Sha1 => f.write_str("SHA-1"),
            CertIdHash::Sha256 => f.write_str("SHA-256"),
            CertIdHash::Sha384 => f.write_str("SHA-384"),
            CertIdHash::Sha512 => f.write_str("SHA-512"),
            CertIdHash::Other(o) => write!(f, "hash {o}"),
        }
    }
}

/// CertID (RFC 6960 §4.1.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertId {
    pub hash: CertIdHash,
    pub issuer_name_hash: Vec<u8>,
    pub issuer_key_hash: Vec<u8>,
    /// The serialNumber INTEGER content octets as encoded.
    pub serial: Vec<u8>,
}

impl CertId {
    /// The CertID of `cert`, issued by `issuer`: the hash of the DER of `cert`'s issuer field
    /// and of `issuer`'s subjectPublicKey BIT STRING value (RFC 6960 §4.1.1). `None` for an
    /// unsupported hash.
    pub fn new(cert: &Certificate, issuer: &Certificate, hash: CertIdHash) -> Option<CertId> {
        Some(CertId {
            issuer_name_hash: hash.digest(cert.issuer.der())?,
            issuer_key_hash: hash.digest(&issuer.public_key.key)?,
            serial: cert.serial.to_vec(),
            hash,
        })
    }

    /// The DER of this CertID (hashAlgorithm with NULL parameters, as OpenSSL writes it).
    pub fn to_der(&self) -> Vec<u8> {
        let alg = seq(&[der_oid(self.hash.oid()), vec![0x05, 0x00]]);
        seq(&[alg, tlv(0x04, &self.issuer_name_hash), tlv(0x04, &self.issuer_key_hash), tlv(0x02, &self.serial)])
    }

    fn read(r: &mut Reader<'_>) -> Result<CertId, OcspError> {
        let t = r.expect(0x30, "CertID")?;
        let mut c = r.inner(&t);
        let alg = c.expect(0x30, "CertID.hashAlgorithm")?;
        let mut a = c.inner(&alg);
        let oid = read_oid(&mut a, "CertID.hashAlgorithm.algorithm")?;
        // Parameters: NULL or absent (RFC 5754 §2); anything else is kept out by the match.
        a.optional(0x05, "CertID.hashAlgorithm.parameters")?;
        a.finish("CertID.hashAlgorithm")?;
        let name_hash = c.expect(0x04, "CertID.issuerNameHash")?;
        let key_hash = c.expect(0x04, "CertID.issuerKeyHash")?;
        let serial = c.expect(0x02, "CertID.serialNumber")?;
        c.finish("CertID")?;
        Ok(CertId {
            hash: CertIdHash::from_oid(&oid),
            issuer_name_hash: name_hash.content.to_vec(),
            issuer_key_hash: key_hash.content.to_vec(),
            serial: serial.content.to_vec(),
        })
    }

    /// This CertID identifies `cert` issued by `issuer`.
    pub fn matches(&self, cert: &Certificate, issuer: &Certificate) -> bool {
        // The serial first: a response about other certificates costs no hashing.
        if cert.serial != self.serial {
            return false;
        }
        // SHA-1 (nearly every CertID): the issuer's memoised hashes, its subject's standing for
        // `cert`'s issuer field when the two encodings are the same bytes.
        if self.hash == CertIdHash::Sha1 {
            let (subject_hash, key_hash) = issuer.cert_id_sha1();
            let name_ok = if cert.issuer.der() == issuer.subject.der() {
                self.issuer_name_hash == subject_hash
            } else {
                self.hash.digest(cert.issuer.der()).is_some_and(|h| h == self.issuer_name_hash)
            };
            return name_ok && self.issuer_key_hash == key_hash;
        }
        self.hash.digest(cert.issuer.der()).is_some_and(|h| h == self.issuer_name_hash)
            && self.hash.digest(&issuer.public_key.key).is_some_and(|h| h == self.issuer_key_hash)
    }
}

/// CertStatus (RFC 6960 §4.2.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CertStatus {
    Good,
    /// revocationTime (Unix seconds) and the CRLReason code, if given.
    Revoked {
        time: i64,
        reason: Option<u8>,
    },
    Unknown,
}

/// One extension of a response (RFC 5280 §4.1 syntax).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawExtension {
    pub oid: String,
    pub critical: bool,
    /// The content of extnValue.
    pub value: Vec<u8>,
}

/// SingleResponse (RFC 6960 §4.2.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SingleResponse {
    pub cert_id: CertId,
    pub status: CertStatus,
    pub this_update: i64,
    pub next_update: Option<i64>,
    pub extensions: Vec<RawExtension>,
}

/// ResponderID (RFC 6960 §4.2.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResponderId {
    ByName(Name),
    /// SHA-1 of the responder's subjectPublicKey BIT STRING value.
    ByKey(Vec<u8>),
}

impl fmt::Display for ResponderId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ResponderId::ByName(n) => write!(f, "{}", n.display_short()),
            ResponderId::ByKey(k) => write!(f, "key hash {}", hex(k)),
        }
    }
}

/// A parsed `OCSPResponse` with a successful `BasicOCSPResponse` (RFC 6960 §4.2.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OcspResponse {
    tbs: Vec<u8>,
    /// SHA-256 of `tbs`, computed on first use (the verified-signature cache's key for a
    /// response checked again and again).
    tbs_sha256: crate::cert::Derived<std::sync::OnceLock<[u8; 32]>>,
    pub responder_id: ResponderId,
    pub produced_at: i64,
    pub responses: Vec<SingleResponse>,
    pub extensions: Vec<RawExtension>,
    pub signature_algorithm: SignatureAlgorithm,
    pub signature: Vec<u8>,
    pub certs: Vec<Certificate>,
}

fn read_extensions(r: &mut Reader<'_>, what: &str) -> Result<Vec<RawExtension>, OcspError> {
    let t = r.expect(0x30, what)?;
    let mut list = r.inner(&t);
    let mut out: Vec<RawExtension> = Vec::new();
    while !list.is_empty() {
        let at = list.rest;
        let e = list.expect(0x30, "Extension")?;
        let mut er = list.inner(&e);
        let oid = read_oid(&mut er, "Extension.extnID")?;
        let critical = match er.optional(0x01, "Extension.critical")? {
            Some(b) if b.content == [0xff] => true,
            // DER: DEFAULT FALSE is omitted (X.690 §11.5); an explicit FALSE is tolerated.
            Some(b) if b.content == [0x00] => false,
            Some(_) => return Err(list.err(at, "Extension.critical is not a DER BOOLEAN")),
            None => false,
        };
        let v = er.expect(0x04, "Extension.extnValue")?;
        er.finish("Extension")?;
        if out.iter().any(|x| x.oid == oid) {
            return Err(list.err(at, format!("the extension {oid} appears twice (RFC 5280 §4.2)")));
        }
        out.push(RawExtension { oid, critical, value: v.content.to_vec() });
    }
    Ok(out)
}

impl OcspResponse {
    /// Parses an `OCSPResponse`. A non-successful responseStatus is
    /// [`OcspError::NotSuccessful`]; trailing bytes, indefinite lengths and anything but an
    /// `id-pkix-ocsp-basic` response are errors.
    pub fn from_der(der: &[u8]) -> Result<OcspResponse, OcspError> {
        if der.len() > MAX_RESPONSE_BYTES {
            return Err(OcspError::TooLarge { size: der.len(), limit: MAX_RESPONSE_BYTES });
        }
        let mut top = Reader::new(der, der);
        let outer = top.expect(0x30, "OCSPResponse")?;
        top.finish("OCSPResponse")?;
        let mut o = top.inner(&outer);
        let at = o.rest;
        let status = o.expect(0x0a, "OCSPResponse.responseStatus")?;
        let code = match status.content {
            [c] if *c < 0x80 => *c,
            _ => return Err(o.err(at, "responseStatus is not a one-octet ENUMERATED")),
        };
        let status = ResponseStatus::from_code(code);
        if status != ResponseStatus::Successful {
            return Err(OcspError::NotSuccessful(status));
        }
        let rb = o.expect(0xa0, "OCSPResponse.responseBytes")?;
        o.finish("OCSPResponse")?;
        let mut rbr = o.inner(&rb);
        let rbs = rbr.expect(0x30, "ResponseBytes")?;
        rbr.finish("responseBytes")?;
        let mut r = rbr.inner(&rbs);
        let rtype = read_oid(&mut r, "ResponseBytes.responseType")?;
        if rtype != OID_OCSP_BASIC {
            return Err(OcspError::UnsupportedType(rtype));
        }
        let resp = r.expect(0x04, "ResponseBytes.response")?;
        r.finish("ResponseBytes")?;
        let mut br = r.inner(&resp);
        let basic = br.expect(0x30, "BasicOCSPResponse")?;
        br.finish("BasicOCSPResponse")?;
        Self::basic(&mut br.inner(&basic))
    }

    fn basic(b: &mut Reader<'_>) -> Result<OcspResponse, OcspError> {
        let tbs = b.expect(0x30, "tbsResponseData")?;
        let at = b.rest;
        let alg = b.expect(0x30, "BasicOCSPResponse.signatureAlgorithm")?;
        let signature_algorithm = match x509_parser::x509::AlgorithmIdentifier::from_der(alg.raw) {
            Ok(([], a)) => crate::cert::signature_algorithm(&a),
            _ => return Err(b.err(at, "signatureAlgorithm is not an AlgorithmIdentifier")),
        };
        let at = b.rest;
        let sig = b.expect(0x03, "BasicOCSPResponse.signature")?;
        let signature = match sig.content.split_first() {
            Some((0, s)) => s.to_vec(),
            _ => return Err(b.err(at, "the signature BIT STRING has unused bits")),
        };
        let mut certs = Vec::new();
        if let Some(c) = b.optional(0xa0, "BasicOCSPResponse.certs")? {
            let mut cr = b.inner(&c);
            let list = cr.expect(0x30, "certs")?;
            cr.finish("certs")?;
            let mut l = cr.inner(&list);
            while !l.is_empty() {
                let at = l.rest;
                let c = l.expect(0x30, "certs: Certificate")?;
                if certs.len() >= MAX_RESPONSE_CERTS {
                    return Err(OcspError::TooMany { what: "certificates", limit: MAX_RESPONSE_CERTS });
                }
                let cert = Certificate::from_der(c.raw)
                    .map_err(|e| l.err(at, format!("certificate {} of certs: {e}", certs.len() + 1)))?;
                certs.push(cert);
            }
        }
        b.finish("BasicOCSPResponse")?;

        let mut t = b.inner(&tbs);
        if let Some(v) = t.optional(0xa0, "ResponseData.version")? {
            // v1(0) is the only version; DER omits the DEFAULT, which is tolerated if written.
            if v.content != [0x02, 0x01, 0x00] {
                return Err(t.err(v.raw, "ResponseData.version is not v1"));
            }
        }
        let at = t.rest;
        let rid = t.next("ResponseData.responderID")?;
        let responder_id = match rid.tag {
            0xa1 => {
                let name = match x509_parser::x509::X509Name::from_der(rid.content) {
                    Ok(([], n)) => Name::from_x509(&n),
                    _ => return Err(t.err(at, "responderID byName is not a Name")),
                };
                ResponderId::ByName(name)
            }
            0xa2 => {
                let mut k = t.inner(&rid);
                let h = k.expect(0x04, "responderID byKey")?;
                k.finish("responderID byKey")?;
                ResponderId::ByKey(h.content.to_vec())
            }
            other => return Err(t.err(at, format!("responderID has the tag 0x{other:02x}, not [1] or [2]"))),
        };
        let produced_at = generalized_time(&mut t, "ResponseData.producedAt")?;
        let list = t.expect(0x30, "ResponseData.responses")?;
        let mut lr = t.inner(&list);
        let mut responses = Vec::new();
        while !lr.is_empty() {
            if responses.len() >= MAX_SINGLE_RESPONSES {
                return Err(OcspError::TooMany { what: "SingleResponses", limit: MAX_SINGLE_RESPONSES });
            }
            responses.push(Self::single(&mut lr)?);
        }
        let extensions = match t.optional(0xa1, "ResponseData.responseExtensions")? {
            Some(e) => {
                let mut er = t.inner(&e);
                let v = read_extensions(&mut er, "responseExtensions")?;
                er.finish("responseExtensions")?;
                v
            }
            None => Vec::new(),
        };
        t.finish("ResponseData")?;
        Ok(OcspResponse {
            tbs: tbs.raw.to_vec(),
            tbs_sha256: Default::default(),
            responder_id,
            produced_at,
            responses,
            extensions,
            signature_algorithm,
            signature,
            certs,
        })
    }

    fn single(lr: &mut Reader<'_>) -> Result<SingleResponse, OcspError> {
        let s = lr.expect(0x30, "SingleResponse")?;
        let mut r = lr.inner(&s);
        let cert_id = CertId::read(&mut r)?;
        let at = r.rest;
        let st = r.next("SingleResponse.certStatus")?;
        let status = match st.tag {
            0x80 if st.content.is_empty() => CertStatus::Good,
            0x82 if st.content.is_empty() => CertStatus::Unknown,
            0xa1 => {
                let mut ri = r.inner(&st);
                let time = generalized_time(&mut ri, "RevokedInfo.revocationTime")?;
                let reason = match ri.optional(0xa0, "RevokedInfo.revocationReason")? {
                    Some(rr) => {
                        let mut rrr = ri.inner(&rr);
                        let at = rrr.rest;
                        let e = rrr.expect(0x0a, "CRLReason")?;
                        rrr.finish("revocationReason")?;
                        match e.content {
                            [c] if *c < 0x80 => Some(*c),
                            _ => return Err(rrr.err(at, "CRLReason is not a one-octet ENUMERATED")),
                        }
                    }
                    None => None,
                };
                ri.finish("RevokedInfo")?;
                CertStatus::Revoked { time, reason }
            }
            other => return Err(r.err(at, format!("certStatus has the tag 0x{other:02x}"))),
        };
        let this_update = generalized_time(&mut r, "SingleResponse.thisUpdate")?;
        let next_update = match r.optional(0xa0, "SingleResponse.nextUpdate")? {
            Some(n) => {
                let mut nr = r.inner(&n);
                let t = generalized_time(&mut nr, "SingleResponse.nextUpdate")?;
                nr.finish("nextUpdate")?;
                Some(t)
            }
            None => None,
        };
        let extensions = match r.optional(0xa1, "SingleResponse.singleExtensions")? {
            Some(e) => {
                let mut er = r.inner(&e);
                let v = read_extensions(&mut er, "singleExtensions")?;
                er.finish("singleExtensions")?;
                v
            }
            None => Vec::new(),
        };
        r.finish("SingleResponse")?;
        Ok(SingleResponse { cert_id, status, this_update, next_update, extensions })
    }

    /// The DER of tbsResponseData, the bytes the responder signed.
    pub fn tbs_der(&self) -> &[u8] {
        &self.tbs
    }

    /// SHA-256 of [`OcspResponse::tbs_der`], computed once per parsed response.
    pub fn tbs_sha256(&self) -> &[u8; 32] {
        self.tbs_sha256.get_or_init(|| crate::crypto::sha256(&self.tbs))
    }

    /// The value of the nonce extension (the extnValue content), if present.
    pub fn nonce(&self) -> Option<&[u8]> {
        self.extensions.iter().find(|e| e.oid == OID_OCSP_NONCE).map(|e| e.value.as_slice())
    }

    /// The earliest nextUpdate of the SingleResponses (what a cache may honour), if every
    /// SingleResponse has one.
    pub fn next_update(&self) -> Option<i64> {
        let mut min: Option<i64> = None;
        for s in &self.responses {
            let n = s.next_update?;
            min = Some(min.map_or(n, |m| m.min(n)));
        }
        min
    }
}

// ---------------------------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------------------------

fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(content.len() + 6);
    out.push(tag);
    let len = content.len();
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes = len.to_be_bytes();
        let skip = bytes.iter().take_while(|b| **b == 0).count();
        let significant = bytes.get(skip..).unwrap_or(&[]);
        out.push(0x80 | significant.len() as u8);
        out.extend_from_slice(significant);
    }
    out.extend_from_slice(content);
    out
}

fn seq(parts: &[Vec<u8>]) -> Vec<u8> {
    tlv(0x30, &parts.concat())
}

fn der_oid(dotted: &str) -> Vec<u8> {
    let arcs: Vec<u64> = dotted.split('.').filter_map(|a| a.parse().ok()).collect();
    let mut out = Vec::new();
    let mut push = |mut v: u64| {
        let mut tmp = vec![(v & 0x7f) as u8];
        v >>= 7;
        while v > 0 {
            tmp.push(0x80 | (v & 0x7f) as u8);
            v >>= 7;
        }
        tmp.reverse();
        out.extend_from_slice(&tmp);
    };
    if let (Some(a), Some(b)) = (arcs.first(), arcs.get(1)) {
        push(a * 40 + b);
    }
    for a in arcs.iter().skip(2) {
        push(*a);
    }
    tlv(0x06, &out)
}

/// Why a request could not be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RequestError {
    #[error("the nonce is {0} octets; RFC 8954 §2.1 allows 1 to 32")]
    NonceLength(usize),
    #[error("the CertID hash {0} is not supported")]
    UnsupportedHash(CertIdHash),
}

/// An `OCSPRequest` (RFC 6960 §4.1.1) for `cert` issued by `issuer`: one Request, unsigned, with
/// the nonce extension (RFC 8954: the nonce as an OCTET STRING inside extnValue) when given.
pub fn build_request(
    cert: &Certificate,
    issuer: &Certificate,
    hash: CertIdHash,
    nonce: Option<&[u8]>,
) -> Result<Vec<u8>, RequestError> {
    let id = CertId::new(cert, issuer, hash.clone()).ok_or(RequestError::UnsupportedHash(hash))?;
    let request_list = seq(&[seq(&[id.to_der()])]);
    let mut tbs = vec![request_list];
    if let Some(n) = nonce {
        if n.is_empty() || n.len() > MAX_NONCE_LEN {
            return Err(RequestError::NonceLength(n.len()));
        }
        let ext = seq(&[der_oid(OID_OCSP_NONCE), tlv(0x04, &tlv(0x04, n))]);
        tbs.push(tlv(0xa2, &seq(&[ext])));
    }
    Ok(seq(&[seq(&tbs)]))
}

/// A fresh 32-octet nonce from the system's secure random source (RFC 8954 §2.1 recommends 32).
pub fn generate_nonce() -> Result<[u8; 32], ring::error::Unspecified> {
    use ring::rand::SecureRandom;
    let mut n = [0u8; 32];
    ring::rand::SystemRandom::new().fill(&mut n)?;
    Ok(n)
}

// ---------------------------------------------------------------------------------------------
// Checking a response
// ---------------------------------------------------------------------------------------------

/// What to do when a nonce was sent and the response carries none.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NonceRule {
    /// Accept with a warning: most responders send pre-produced responses without nonces
    /// (RFC 5019 §2.2.1 lets them).
    AllowMissing,
    /// The response must echo the nonce.
    Require,
}

/// Everything a check depends on, explicitly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CheckOptions<'n> {
    /// The validation time, Unix seconds.
    pub time: i64,
    /// Clock-skew leeway in seconds, applied to thisUpdate, nextUpdate and producedAt.
    pub leeway: i64,
    /// How long after thisUpdate a response without nextUpdate is used.
    pub max_age_without_next_update: i64,
    /// The nonce sent in the request, if any.
    pub nonce: Option<&'n [u8]>,
    pub nonce_rule: NonceRule,
}

impl<'n> CheckOptions<'n> {
    /// The defaults at `time`: [`DEFAULT_LEEWAY`], [`DEFAULT_MAX_AGE_WITHOUT_NEXT_UPDATE`], no
    /// nonce.
    pub fn at(time: i64) -> Self {
        CheckOptions {
            time,
            leeway: DEFAULT_LEEWAY,
            max_age_without_next_update: DEFAULT_MAX_AGE_WITHOUT_NEXT_UPDATE,
            nonce: None,
            nonce_rule: NonceRule::AllowMissing,
        }
    }
}

/// Who signed the response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Signer {
    /// The CA that issued the certificate (RFC 6960 §4.2.2.2 case 2).
    Issuer { label: String },
    /// A delegated responder certified by the CA (case 3).
    Delegated { label: String, nocheck: bool },
}

impl fmt::Display for Signer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Signer::Issuer { label } => write!(f, "the issuing CA {label}"),
            Signer::Delegated { label, nocheck: true } => {
                write!(f, "the delegated responder {label} (id-kp-OCSPSigning, id-pkix-ocsp-nocheck)")
            }
            Signer::Delegated { label, nocheck: false } => {
                write!(f, "the delegated responder {label} (id-kp-OCSPSigning)")
            }
        }
    }
}

/// Whether the nonce was echoed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NonceState {
    NotSent,
    Echoed,
    Missing,
    /// The response carries a different nonce.
    Mismatch,
}

/// The response a status rests on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evidence {
    /// Where the response came from (a file name or URL), when the caller says.
    pub source: Option<String>,
    pub signer: Signer,
    pub produced_at: i64,
    pub this_update: i64,
    pub next_update: Option<i64>,
    pub cert_id_hash: CertIdHash,
    pub nonce: NonceState,
}

impl fmt::Display for Evidence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "OCSP response")?;
        if let Some(s) = &self.source {
            write!(f, " from {s}")?;
        }
        write!(
            f,
            " signed by {}, produced {}, thisUpdate {}",
            self.signer,
            Rfc3339(self.produced_at),
            Rfc3339(self.this_update)
        )?;
        match self.next_update {
            Some(n) => write!(f, ", nextUpdate {}", Rfc3339(n))?,
            None => write!(f, ", no nextUpdate")?,
        }
        write!(f, ", CertID with {}", self.cert_id_hash)?;
        match self.nonce {
            NonceState::NotSent => Ok(()),
            NonceState::Echoed => write!(f, ", nonce echoed"),
            NonceState::Missing => write!(f, ", nonce not echoed"),
            NonceState::Mismatch => write!(f, ", a different nonce"),
        }
    }
}

/// What OCSP says about a certificate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OcspOutcome {
    /// A usable response says good (or revoked only after the validation time).
    Good,
    /// A usable response says revoked at `time` (at or before the validation time).
    Revoked { time: i64, reason: Option<u8> },
    /// A usable response says the responder does not know the certificate.
    Unknown,
    /// No usable response: the findings say why.
    NoStatus,
}

/// The role of the checked certificate, which decides the ETSI sub-indication of "revoked".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CertRole {
    /// A certificate used at the validation time (authentication, TLS): revoked is
    /// TOTAL_FAILED/REVOKED.
    InUse,
    /// The signing certificate of a signature with no proof of existence before the
    /// revocation: INDETERMINATE/REVOKED_NO_POE (ETSI EN 319 102-1 §5.2.6).
    Signing,
    /// A CA certificate of a signing certificate's chain: INDETERMINATE/REVOKED_CA_NO_POE.
    SigningCa,
}

/// The result of checking OCSP for one certificate: the outcome, the evidence it rests on, and
/// findings for every step that mattered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OcspStatus {
    pub outcome: OcspOutcome,
    pub evidence: Option<Evidence>,
    pub findings: Vec<Finding>,
}

impl OcspStatus {
    fn none(findings: Vec<Finding>) -> Self {
        OcspStatus { outcome: OcspOutcome::NoStatus, evidence: None, findings }
    }

    pub fn is_good(&self) -> bool {
        self.outcome == OcspOutcome::Good
    }

    /// The ETSI EN 319 102-1 verdict: good is PASSED; revoked depends on `role`; unknown and no
    /// usable response are INDETERMINATE/TRY_LATER (§5.2.5: the revocation status information
    /// needed is not available, it may be later).
    pub fn verdict(&self, role: CertRole) -> Verdict {
        let f = self.findings.clone();
        match self.outcome {
            OcspOutcome::Good => Verdict::passed(f),
            OcspOutcome::Revoked { .. } => match role {
                CertRole::InUse => Verdict::failed(SubIndication::Revoked, f),
                CertRole::Signing => Verdict::indeterminate(SubIndication::RevokedNoPoe, f),
                CertRole::SigningCa => Verdict::indeterminate(SubIndication::RevokedCaNoPoe, f),
            },
            OcspOutcome::Unknown | OcspOutcome::NoStatus => Verdict::indeterminate(SubIndication::TryLater, f),
        }
    }
}

/// "label (serial 0a:..)" of the certificate a message is about, formatted only when a message
/// is (most checks pass and format nothing).
struct Who<'a>(&'a Certificate);

impl fmt::Display for Who<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.label_str())?;
        f.write_str(" (serial ")?;
        f.write_str(&hex(&self.0.serial))?;
        f.write_str(")")
    }
}

fn hex(b: &[u8]) -> String {
    let mut out = String::with_capacity(b.len() * 2);
    push_hex(&mut out, b);
    out
}

fn push_hex(out: &mut String, b: &[u8]) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    for x in b {
        out.push(char::from(HEX[usize::from(x >> 4)]));
        out.push(char::from(HEX[usize::from(x & 15)]));
    }
}

fn sha1(data: &[u8]) -> Vec<u8> {
    ring::digest::digest(&ring::digest::SHA1_FOR_LEGACY_USE_ONLY, data).as_ref().to_vec()
}

fn names_key(id: &ResponderId, cert: &Certificate) -> bool {
    match id {
        ResponderId::ByName(n) => n.matches(&cert.subject),
        ResponderId::ByKey(k) => *k == sha1(&cert.public_key.key),
    }
}

/// Checks `response_der` for `cert` (issued by `issuer`) at `time` with the default options
/// ([`CheckOptions::at`]) and the nonce sent, if any. See [`check_response_with`].
pub fn check_response(
    cert: &Certificate,
    issuer: &Certificate,
    response_der: &[u8],
    time: i64,
    verifier: &dyn SignatureVerifier,
    nonce: Option<&[u8]>,
    budget: &mut Budget,
) -> OcspStatus {
    let opts = CheckOptions { nonce, ..CheckOptions::at(time) };
    check_response_with(cert, issuer, response_der, &opts, verifier, budget)
}

/// Decides what `response_der` says about `cert` (issued by `issuer`): RFC 6960 §3.2's checks
/// and those of §4.2.2.1-§4.2.2.2 and §4.4, each failure a finding. A response that fails any
/// check gives [`OcspOutcome::NoStatus`]; signature checks are spent from `budget`.
pub fn check_response_with(
    cert: &Certificate,
    issuer: &Certificate,
    response_der: &[u8],
    opts: &CheckOptions<'_>,
    verifier: &dyn SignatureVerifier,
    budget: &mut Budget,
) -> OcspStatus {
    match OcspResponse::from_der(response_der) {
        Ok(resp) => check_parsed(cert, issuer, &resp, opts, verifier, budget),
        Err(e) => unreadable(cert, &e),
    }
}

/// No status: the response about `cert` could not be read.
pub fn unreadable(cert: &Certificate, e: &OcspError) -> OcspStatus {
    OcspStatus::none(vec![finding(e.finding_id(), format!("OCSP for {}: {e}", Who(cert)))])
}

/// The finding id of a response none of whose SingleResponses names the certificate (RFC 6960
/// §3.2 (1)): for a caller holding responses about several certificates, "not about this one".
pub const CERTID_MISMATCH: &str = "rfc6960.response.certid-mismatch";

/// [`check_response_with`] on a response already parsed (a caller that parsed it to see which
/// certificate it is about does not parse it twice).
pub fn check_parsed(
    cert: &Certificate,
    issuer: &Certificate,
    resp: &OcspResponse,
    opts: &CheckOptions<'_>,
    verifier: &dyn SignatureVerifier,
    budget: &mut Budget,
) -> OcspStatus {
    let who = Who(cert);
    let mut findings = Vec::new();

    // §3.2 (1): the response is about this certificate. Of several answers for it, a
    // revoked one wins, then an unknown one.
    let (mut first, mut revoked, mut unknown) = (None, None, None);
    for s in resp.responses.iter().filter(|s| s.cert_id.matches(cert, issuer)) {
        first.get_or_insert(s);
        match s.status {
            CertStatus::Revoked { .. } => revoked = revoked.or(Some(s)),
            CertStatus::Unknown => unknown = unknown.or(Some(s)),
            CertStatus::Good => {}
        }
    }
    let Some(first) = first else {
        let hashes: Vec<String> = resp.responses.iter().map(|s| s.cert_id.hash.to_string()).collect();
        return OcspStatus::none(vec![finding(
            CERTID_MISMATCH,
            format!(
                "the OCSP response has {} SingleResponse(s) ({}) and none identifies {who} issued by {}",
                resp.responses.len(),
                hashes.join(", "),
                issuer.label()
            ),
        )]);
    };
    let single = revoked.or(unknown).unwrap_or(first);

    // §4.4: critical extensions this verifier does not process make the response unusable.
    let known = [OID_OCSP_NONCE, OID_OCSP_CRL_ID, OID_OCSP_ARCHIVE_CUTOFF, OID_OCSP_EXTENDED_REVOKE];
    for e in resp.extensions.iter().chain(single.extensions.iter()) {
        if e.critical && !known.contains(&e.oid.as_str()) {
            findings.push(finding(
                "rfc6960.response.unknown-critical-extension",
                format!("the OCSP response for {who} has the unknown critical extension {}", e.oid),
            ));
        }
    }

    // §3.2 (2)-(3), §4.2.2.2: the signer is the CA or a responder the CA delegated to.
    let signer = match find_signer(resp, issuer, opts.time, verifier, budget, &who, &mut findings) {
        Some(s) => s,
        None => return OcspStatus::none(findings),
    };

    // §4.2.2.1, §3.2 (4)-(5): the time window.
    let t = opts.time;
    let lw = opts.leeway;
    if single.this_update > t.saturating_add(lw) {
        findings.push(finding(
            "rfc6960.response.not-yet-valid",
            format!(
                "the OCSP response for {who} has thisUpdate {}, after the validation time {}",
                fmt_time(single.this_update),
                fmt_time(t)
            ),
        ));
    }
    match single.next_update {
        Some(n) if n < t.saturating_sub(lw) => findings.push(finding(
            "rfc6960.response.expired",
            format!("the OCSP response for {who} expired at nextUpdate {}, before the validation time {}", fmt_time(n), fmt_time(t)),
        )),
        Some(_) => {}
        None if t.saturating_sub(single.this_update) > opts.max_age_without_next_update => findings.push(finding(
            "rfc6960.response.too-old",
            format!(
                "the OCSP response for {who} has no nextUpdate and its thisUpdate {} is more than {} days before the validation time {}",
                fmt_time(single.this_update),
                opts.max_age_without_next_update / 86_400,
                fmt_time(t)
            ),
        )),
        None => {}
    }
    if resp.produced_at > t.saturating_add(lw) {
        findings.push(finding(
            "rfc6960.response.produced-after-time",
            format!(
                "the OCSP response for {who} was produced at {}, after the validation time {}",
                fmt_time(resp.produced_at),
                fmt_time(t)
            ),
        ));
    }

    // §4.4.1, RFC 8954: the nonce.
    let nonce_state = match opts.nonce {
        None => NonceState::NotSent,
        Some(sent) => match resp.nonce() {
            Some(got) if got == tlv(0x04, sent).as_slice() || got == sent => NonceState::Echoed,
            Some(got) => {
                findings.push(finding(
                    "rfc6960.nonce.mismatch",
                    format!("the OCSP response for {who} carries the nonce {} but {} was sent", hex(got), hex(sent)),
                ));
                NonceState::Mismatch
            }
            None => {
                let id = match opts.nonce_rule {
                    NonceRule::AllowMissing => "rfc6960.nonce.missing",
                    NonceRule::Require => "rfc6960.nonce.missing-required",
                };
                findings.push(finding(id, format!("the OCSP response for {who} does not echo the nonce sent")));
                NonceState::Missing
            }
        },
    };

    let evidence = Evidence {
        source: None,
        signer,
        produced_at: resp.produced_at,
        this_update: single.this_update,
        next_update: single.next_update,
        cert_id_hash: single.cert_id.hash.clone(),
        nonce: nonce_state,
    };
    if findings.iter().any(|f| f.severity.is_failure()) {
        return OcspStatus { outcome: OcspOutcome::NoStatus, evidence: Some(evidence), findings };
    }
    let outcome = match single.status {
        CertStatus::Good => {
            // The full evidence is in `evidence`; the message names the response briefly and the
            // certificate by its serial number (the finding's location gives its place in the
            // path). Built with one buffer: this is the message of every validation that uses
            // OCSP, so it does not format the certificate's subject.
            use fmt::Write;
            let mut msg = String::with_capacity(160);
            msg.push_str("the certificate with serial ");
            push_hex(&mut msg, &cert.serial);
            let _ = write!(
                msg,
                " is good per the OCSP response signed by {} (thisUpdate {})",
                evidence.signer,
                Rfc3339(evidence.this_update)
            );
            findings.push(finding("rfc6960.status.good", msg));
            OcspOutcome::Good
        }
        CertStatus::Revoked { time, reason } => {
            let why = reason.map(|r| format!(", reason {}", reason_code_name(r))).unwrap_or_default();
            if time > t {
                findings.push(finding(
                    "rfc6960.status.revoked-after-time",
                    format!(
                        "{who} was revoked at {}{why}, after the validation time {}, per the {evidence}",
                        fmt_time(time),
                        fmt_time(t)
                    ),
                ));
                OcspOutcome::Good
            } else {
                findings.push(finding(
                    "rfc6960.status.revoked",
                    format!("{who} is revoked since {}{why}, per the {evidence}", fmt_time(time)),
                ));
                OcspOutcome::Revoked { time, reason }
            }
        }
        CertStatus::Unknown => {
            findings.push(finding(
                "rfc6960.status.unknown",
                format!("the responder does not know {who}, per the {evidence}"),
            ));
            OcspOutcome::Unknown
        }
    };
    OcspStatus { outcome, evidence: Some(evidence), findings }
}

fn find_signer(
    resp: &OcspResponse,
    issuer: &Certificate,
    time: i64,
    verifier: &dyn SignatureVerifier,
    budget: &mut Budget,
    who: &Who<'_>,
    findings: &mut Vec<Finding>,
) -> Option<Signer> {
    let spend = |budget: &mut Budget, findings: &mut Vec<Finding>| -> bool {
        if let Err(e) = budget.signature() {
            findings.push(finding(
                "rfc6960.budget-exhausted",
                format!("checking the OCSP response for {who}: {e} ran out"),
            ));
            return false;
        }
        true
    };
    // Case 2: the CA itself.
    if names_key(&resp.responder_id, issuer) {
        if !spend(budget, findings) {
            return None;
        }
        return match verifier.verify_with_digest(
            &resp.signature_algorithm,
            &issuer.public_key,
            resp.tbs_der(),
            resp.tbs_sha256(),
            &resp.signature,
        ) {
            Ok(()) => Some(Signer::Issuer { label: issuer.label_str().to_string() }),
            Err(e) => {
                findings.push(finding(
                    "rfc6960.signature.invalid",
                    format!(
                        "the OCSP response for {who} names the CA {} as responder but {e} with its key",
                        issuer.label()
                    ),
                ));
                None
            }
        };
    }
    // Case 3: a delegated responder among the certs.
    let candidates: Vec<&Certificate> = resp.certs.iter().filter(|c| names_key(&resp.responder_id, c)).collect();
    if candidates.is_empty() {
        findings.push(finding(
            "rfc6960.responder.not-found",
            format!(
                "the OCSP response for {who} was signed by {}, which is neither the issuing CA {} nor a certificate included in the response",
                resp.responder_id,
                issuer.label()
            ),
        ));
        return None;
    }
    let mut problems = Vec::new();
    for c in candidates {
        let label = c.label();
        if !c.issuer.matches(&issuer.subject) {
            problems.push(finding(
                "rfc6960.responder.not-issued-by-ca",
                format!(
                    "the OCSP responder {label} for {who} was issued by {}, not by the CA {}",
                    c.issuer.display_short(),
                    issuer.label()
                ),
            ));
            continue;
        }
        if !spend(budget, findings) {
            return None;
        }
        if let Err(e) = verifier.verify_with_digest(
            &c.signature_algorithm,
            &issuer.public_key,
            c.tbs_der(),
            &c.tbs_sha256(),
            &c.signature,
        ) {
            problems.push(finding(
                "rfc6960.responder.not-issued-by-ca",
                format!(
                    "the OCSP responder certificate {label} for {who} does not verify with the CA {}'s key: {e}",
                    issuer.label()
                ),
            ));
            continue;
        }
        let has_eku =
            c.extensions.ext_key_usage.as_ref().is_some_and(|e| e.value.iter().any(|o| o == OID_KP_OCSP_SIGNING));
        if !has_eku {
            problems.push(finding(
                "rfc6960.responder.no-ocsp-signing",
                format!("the OCSP responder certificate {label} for {who} has no id-kp-OCSPSigning in extKeyUsage"),
            ));
            continue;
        }
        if let Some(ku) = &c.extensions.key_usage {
            if !ku.value.has(KeyUsage::DIGITAL_SIGNATURE) && !ku.value.has(KeyUsage::NON_REPUDIATION) {
                problems.push(finding(
                    "rfc6960.responder.key-usage",
                    format!("the OCSP responder certificate {label} for {who} has keyUsage without digitalSignature"),
                ));
                continue;
            }
        }
        if time < c.not_before || time > c.not_after {
            problems.push(
                finding(
                    "rfc6960.responder.not-valid-at-time",
                    format!(
                        "the OCSP responder certificate {label} for {who} is valid from {} to {}, not at {}",
                        fmt_time(c.not_before),
                        fmt_time(c.not_after),
                        fmt_time(time)
                    ),
                )
                .at(Location::path("BasicOCSPResponse.certs")),
            );
            continue;
        }
        if !spend(budget, findings) {
            return None;
        }
        if let Err(e) = verifier.verify_with_digest(
            &resp.signature_algorithm,
            &c.public_key,
            resp.tbs_der(),
            resp.tbs_sha256(),
            &resp.signature,
        ) {
            problems.push(finding(
                "rfc6960.signature.invalid",
                format!("the OCSP response for {who} does not verify with the key of its responder {label}: {e}"),
            ));
            continue;
        }
        let nocheck = c.extensions.other.iter().any(|e| e.oid == OID_OCSP_NOCHECK);
        if !nocheck {
            findings.push(finding(
                "rfc6960.responder.status-not-checked",
                format!("the OCSP responder certificate {label} has no id-pkix-ocsp-nocheck; its own revocation status was not checked"),
            ));
        }
        return Some(Signer::Delegated { label, nocheck });
    }
    findings.extend(problems);
    None
}

// ---------------------------------------------------------------------------------------------
// Online checking (opt-in)
// ---------------------------------------------------------------------------------------------

/// The OCSP responder URLs of `cert`'s authorityInfoAccess (id-ad-ocsp, RFC 5280 §4.2.2.1), in
/// certificate order.
pub fn responder_urls(cert: &Certificate) -> Vec<String> {
    cert.extensions
        .authority_info_access
        .as_ref()
        .map(|a| {
            a.value
                .iter()
                .filter(|d| d.method == OID_AD_OCSP)
                .filter_map(|d| match &d.location {
                    GeneralName::Uri(u) => Some(u.clone()),
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Whether [`check_online`] sends a nonce (RFC 6960 §4.4.1, RFC 8954).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NonceMode {
    /// Send no nonce (lets responders and caches serve pre-produced responses).
    Off,
    /// Send a fresh nonce; a response without it is accepted with a warning.
    Send,
    /// Send a fresh nonce and require the echo.
    Require,
}

/// How [`check_online`] asks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OnlineOptions {
    /// The validation time, Unix seconds.
    pub time: i64,
    pub nonce: NonceMode,
    /// Responder URLs to ask instead of those in the certificate's authorityInfoAccess.
    pub urls: Option<Vec<String>>,
}

impl OnlineOptions {
    /// At `time`, no nonce, the certificate's own responders.
    pub fn at(time: i64) -> Self {
        OnlineOptions { time, nonce: NonceMode::Off, urls: None }
    }
}

/// Asks the OCSP responders named in `cert`'s authorityInfoAccess (or `opts.urls`), in order,
/// until one gives a usable response, through `session` (which bounds the count and the total
/// time). Requests use a SHA-1 CertID (RFC 5019 §2.1.1: what every responder supports). An
/// unreachable or unusable responder is a finding; when none answers usefully the outcome is
/// [`OcspOutcome::NoStatus`] (INDETERMINATE/TRY_LATER), never good.
pub fn check_online(
    cert: &Certificate,
    issuer: &Certificate,
    session: &FetchSession<'_>,
    opts: &OnlineOptions,
    verifier: &dyn SignatureVerifier,
    budget: &mut Budget,
) -> OcspStatus {
    let who = Who(cert);
    let urls = opts.urls.clone().unwrap_or_else(|| responder_urls(cert));
    let time = opts.time;
    let nonce_mode = opts.nonce;
    if urls.is_empty() {
        return OcspStatus::none(vec![finding(
            "rfc6960.no-responder",
            format!("{who} names no OCSP responder in authorityInfoAccess"),
        )]);
    }
    let mut findings = Vec::new();
    for url in urls {
        if !crate::fetch::is_http_url(&url) {
            findings.push(unreachable(&who, &url, &FetchError::UnsupportedScheme { url: url.clone() }));
            continue;
        }
        let nonce = match nonce_mode {
            NonceMode::Off => None,
            NonceMode::Send | NonceMode::Require => match generate_nonce() {
                Ok(n) => Some(n),
                Err(_) => {
                    findings
                        .push(finding("rfc6960.responder.unreachable", "no secure random nonce could be made".into()));
                    return OcspStatus::none(findings);
                }
            },
        };
        let request = match build_request(cert, issuer, CertIdHash::Sha1, nonce.as_ref().map(|n| n.as_slice())) {
            Ok(r) => r,
            Err(e) => {
                findings.push(finding("rfc6960.responder.unreachable", format!("no OCSP request for {who}: {e}")));
                return OcspStatus::none(findings);
            }
        };
        match session.fetch(&url, FetchKind::Ocsp, Some(&request)) {
            Ok(body) => {
                let opts = CheckOptions {
                    nonce: nonce.as_ref().map(|n| n.as_slice()),
                    nonce_rule: if nonce_mode == NonceMode::Require {
                        NonceRule::Require
                    } else {
                        NonceRule::AllowMissing
                    },
                    ..CheckOptions::at(time)
                };
                let mut st = check_response_with(cert, issuer, &body, &opts, verifier, budget);
                if let Some(ev) = st.evidence.as_mut() {
                    ev.source = Some(url.clone());
                }
                if st.outcome != OcspOutcome::NoStatus {
                    findings.append(&mut st.findings);
                    st.findings = findings;
                    return st;
                }
                findings.extend(st.findings.into_iter().map(|mut f| {
                    f.message = format!("{url}: {}", f.message).into();
                    f
                }));
            }
            Err(e) => {
                findings.push(unreachable(&who, &url, &e));
                if matches!(
                    e,
                    FetchError::FetchLimit { .. } | FetchError::TotalTimeout { .. } | FetchError::Offline { .. }
                ) {
                    break;
                }
            }
        }
    }
    OcspStatus::none(findings)
}

fn unreachable(who: &Who<'_>, url: &str, e: &FetchError) -> Finding {
    finding(
        "rfc6960.responder.unreachable",
        format!("the OCSP responder {url} for {who} gave no response: {e} [{}]", e.finding_id()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generalized_time_parses_and_rejects() {
        assert_eq!(parse_generalized_time(b"19700101000000Z"), Some(0));
        assert_eq!(parse_generalized_time(b"20250601000000Z"), Some(1_748_736_000));
        assert_eq!(parse_generalized_time(b"20250601000000.123Z"), Some(1_748_736_000));
        assert_eq!(parse_generalized_time(b"20240229235959Z"), Some(1_709_251_199));
        assert_eq!(parse_generalized_time(b"20230229000000Z"), None);
        assert_eq!(parse_generalized_time(b"20250601000000"), None);
        assert_eq!(parse_generalized_time(b"20250601000000+0100"), None);
        assert_eq!(parse_generalized_time(b"2025060100000Z"), None);
        assert_eq!(parse_generalized_time(b"20251301000000Z"), None);
        assert_eq!(parse_generalized_time(b"20250601000000.Z"), None);
    }

    #[test]
    fn oids_round_trip() {
        for o in [OID_OCSP_BASIC, OID_SHA256, "2.999.1", "1.2.840.113549.1.1.11"] {
            let d = der_oid(o);
            assert_eq!(crate::oid::dotted(&d[2..]).as_deref(), Some(o));
        }
    }

    #[test]
    fn reader_is_strict_der() {
        // indefinite length
        assert!(matches!(OcspResponse::from_der(&[0x30, 0x80, 0, 0]), Err(OcspError::Malformed { .. })));
        // non-minimal long form
        assert!(matches!(
            OcspResponse::from_der(&[0x30, 0x81, 0x03, 0x0a, 0x01, 0x00]),
            Err(OcspError::Malformed { .. })
        ));
        // truncated
        assert!(matches!(OcspResponse::from_der(&[0x30, 0x05, 0x0a]), Err(OcspError::Malformed { .. })));
        // trailing data
        assert!(matches!(
            OcspResponse::from_der(&[0x30, 0x03, 0x0a, 0x01, 0x03, 0x00]),
            Err(OcspError::Malformed { .. })
        ));
        // empty
        assert!(matches!(OcspResponse::from_der(&[]), Err(OcspError::Malformed { offset: 0, .. })));
    }

    #[test]
    fn error_statuses_are_reported() {
        for (code, st) in [
            (1u8, ResponseStatus::MalformedRequest),
            (2, ResponseStatus::InternalError),
            (3, ResponseStatus::TryLater),
            (5, ResponseStatus::SigRequired),
            (6, ResponseStatus::Unauthorized),
            (4, ResponseStatus::Other(4)),
        ] {
            assert_eq!(OcspResponse::from_der(&[0x30, 0x03, 0x0a, 0x01, code]), Err(OcspError::NotSuccessful(st)));
        }
        let e = OcspResponse::from_der(&[0x30, 0x03, 0x0a, 0x01, 3]).unwrap_err();
        assert_eq!(e.finding_id(), "rfc6960.response.not-successful");
        assert!(e.to_string().contains("tryLater"), "{e}");
    }

    #[test]
    fn size_limit_is_enforced() {
        let big = vec![0u8; MAX_RESPONSE_BYTES + 1];
        assert_eq!(
            OcspResponse::from_der(&big),
            Err(OcspError::TooLarge { size: MAX_RESPONSE_BYTES + 1, limit: MAX_RESPONSE_BYTES })
        );
    }

    #[test]
    fn other_response_types_are_refused() {
        let inner = seq(&[der_oid("1.3.6.1.5.5.7.48.1.99"), tlv(0x04, &[0x30, 0x00])]);
        let der = seq(&[vec![0x0a, 0x01, 0x00], tlv(0xa0, &inner)]);
        assert_eq!(OcspResponse::from_der(&der), Err(OcspError::UnsupportedType("1.3.6.1.5.5.7.48.1.99".into())));
    }

    #[test]
    fn finding_ids_are_catalogued_once() {
        for (i, d) in FINDINGS.iter().enumerate() {
            assert!(d.id.starts_with("rfc6960."), "{}", d.id);
            assert!(FINDINGS.iter().skip(i + 1).all(|e| e.id != d.id), "duplicate {}", d.id);
        }
        for e in [
            OcspError::TooLarge { size: 1, limit: 0 },
            OcspError::Malformed { offset: 0, what: String::new() },
            OcspError::NotSuccessful(ResponseStatus::TryLater),
            OcspError::UnsupportedType(String::new()),
            OcspError::TooMany { what: "x", limit: 1 },
        ] {
            assert!(FINDINGS.iter().any(|d| d.id == e.finding_id()), "{}", e.finding_id());
        }
    }

    #[test]
    fn nonce_length_is_bounded() {
        // Any certificate will do for the length check; the check comes before hashing matters.
        let c = sample_cert();
        assert_eq!(build_request(&c, &c, CertIdHash::Sha1, Some(&[0u8; 33])), Err(RequestError::NonceLength(33)));
        assert_eq!(build_request(&c, &c, CertIdHash::Sha1, Some(&[])), Err(RequestError::NonceLength(0)));
        assert!(build_request(&c, &c, CertIdHash::Sha1, Some(&[7u8; 32])).is_ok());
        assert!(build_request(&c, &c, CertIdHash::Other("1.2.3".into()), None).is_err());
    }

    fn sample_cert() -> Certificate {
        let key = rcgen::KeyPair::generate().unwrap();
        let params = rcgen::CertificateParams::new(vec!["a.example".to_string()]).unwrap();
        let cert = params.self_signed(&key).unwrap();
        Certificate::from_der(cert.der()).unwrap()
    }

    #[test]
    fn request_structure() {
        let c = sample_cert();
        let req = build_request(&c, &c, CertIdHash::Sha256, Some(&[1, 2, 3])).unwrap();
        let mut r = Reader::new(&req, &req);
        let outer = r.expect(0x30, "OCSPRequest").unwrap();
        r.finish("x").unwrap();
        let mut o = r.inner(&outer);
        let tbs = o.expect(0x30, "TBSRequest").unwrap();
        o.finish("x").unwrap();
        let mut t = o.inner(&tbs);
        let list = t.expect(0x30, "requestList").unwrap();
        let mut l = t.inner(&list);
        let one = l.expect(0x30, "Request").unwrap();
        let mut rq = l.inner(&one);
        let id = CertId::read(&mut rq).unwrap();
        assert!(id.matches(&c, &c));
        assert_eq!(id.hash, CertIdHash::Sha256);
        assert_eq!(id.issuer_key_hash.len(), 32);
        let exts = t.expect(0xa2, "requestExtensions").unwrap();
        let mut e = t.inner(&exts);
        let v = read_extensions(&mut e, "x").unwrap();
        assert_eq!(v[0].oid, OID_OCSP_NONCE);
        assert_eq!(v[0].value, vec![0x04, 3, 1, 2, 3]);
    }
}
