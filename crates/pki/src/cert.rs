//! The owned certificate model.
//!
//! A certificate is parsed once (with x509-parser) into this owned form, which keeps the DER and
//! every field path validation needs. Anchors and intermediates are parsed once per [`crate::Store`],
//! not once per validation.
//!
//! Parsing is strict where RFC 5280 says MUST for the structure: trailing data after the
//! certificate, a duplicate extension (§4.2), an extension whose value does not parse, or a
//! mismatch between the two signature algorithm fields (§4.1.1.2) make the certificate malformed.

pub use crate::bytes::DerBytes;
use crate::name::{GeneralName, Name};
use std::fmt;

pub(crate) mod fast;
use x509_parser::der_parser::oid::Oid;
use x509_parser::extensions::{GeneralName as XGeneralName, ParsedExtension};
use x509_parser::prelude::{FromDer, X509Certificate};
use x509_parser::public_key::PublicKey;
use x509_parser::signature_algorithm::SignatureAlgorithm as XSigAlg;

/// Why a certificate could not be parsed. Display names what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CertError {
    #[error("not a DER certificate: {0}")]
    Der(String),
    #[error("{0} bytes of trailing data after the certificate")]
    TrailingData(usize),
    #[error("the extension {0} appears more than once (RFC 5280 §4.2)")]
    DuplicateExtension(String),
    #[error("the extension {name} ({oid}) is malformed: {reason}")]
    MalformedExtension { name: &'static str, oid: String, reason: String },
    #[error("the outer signatureAlgorithm differs from tbsCertificate.signature (RFC 5280 §4.1.1.2)")]
    SignatureAlgorithmMismatch,
    #[error("the certificate is larger than {0} bytes")]
    TooLarge(usize),
}

/// The largest certificate accepted: 64 KiB. Real certificates are 1-4 KiB; the biggest public
/// ones (with many SANs) stay under 20 KiB. Origin: a bound on parse work and memory per input.
pub const MAX_CERT_BYTES: usize = 64 * 1024;

/// Hash functions named by signature algorithms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Hash {
    Sha1,
    Sha256,
    Sha384,
    Sha512,
}

/// A signature algorithm as named in a certificate or CRL (RFC 5280 §4.1.1.2, RFC 4055, RFC 5758,
/// RFC 8410).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum SignatureAlgorithm {
    RsaPkcs1(Hash),
    /// RSASSA-PSS with MGF1 using the same hash and a salt as long as the hash (RFC 4055 §3.1
    /// parameters that name anything else are kept as [`SignatureAlgorithm::Unsupported`]).
    RsaPss(Hash),
    Ecdsa(Hash),
    Ed25519,
    Unsupported(String),
}

impl fmt::Display for SignatureAlgorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SignatureAlgorithm::RsaPkcs1(h) => write!(f, "RSA PKCS#1 v1.5 with {h:?}"),
            SignatureAlgorithm::RsaPss(h) => write!(f, "RSASSA-PSS with {h:?}"),
            SignatureAlgorithm::Ecdsa(h) => write!(f, "ECDSA with {h:?}"),
            SignatureAlgorithm::Ed25519 => f.write_str("Ed25519"),
            SignatureAlgorithm::Unsupported(s) => write!(f, "unsupported algorithm {s}"),
        }
    }
}

/// Elliptic curves named in SubjectPublicKeyInfo (RFC 5480 §2.1.1.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Curve {
    P256,
    P384,
    P521,
}

/// The kind of a subject public key.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum KeyKind {
    /// RSA with the modulus size in bits.
    Rsa {
        bits: usize,
    },
    Ec(Curve),
    Ed25519,
    /// Anything else (DSA, P-192, GOST, ...), with a description.
    Other(String),
}

impl fmt::Display for KeyKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KeyKind::Rsa { bits } => write!(f, "RSA-{bits}"),
            KeyKind::Ec(Curve::P256) => f.write_str("ECDSA P-256"),
            KeyKind::Ec(Curve::P384) => f.write_str("ECDSA P-384"),
            KeyKind::Ec(Curve::P521) => f.write_str("ECDSA P-521"),
            KeyKind::Ed25519 => f.write_str("Ed25519"),
            KeyKind::Other(s) => f.write_str(s),
        }
    }
}

/// SubjectPublicKeyInfo (RFC 5280 §4.1.2.7).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PublicKeyInfo {
    /// The whole SubjectPublicKeyInfo DER.
    pub der: DerBytes,
    pub kind: KeyKind,
    /// The subjectPublicKey BIT STRING contents: RSAPublicKey DER, an EC point, or the raw key.
    pub key: DerBytes,
}

/// One extension with its criticality.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ext<T> {
    pub critical: bool,
    pub value: T,
}

/// basicConstraints (RFC 5280 §4.2.1.9).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BasicConstraints {
    pub ca: bool,
    pub path_len: Option<u32>,
}

/// keyUsage bits (RFC 5280 §4.2.1.3), bit 0 = digitalSignature.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyUsage(pub u16);

impl KeyUsage {
    pub const DIGITAL_SIGNATURE: u16 = 1;
    pub const NON_REPUDIATION: u16 = 1 << 1;
    pub const KEY_ENCIPHERMENT: u16 = 1 << 2;
    pub const DATA_ENCIPHERMENT: u16 = 1 << 3;
    pub const KEY_AGREEMENT: u16 = 1 << 4;
    pub const KEY_CERT_SIGN: u16 = 1 << 5;
    pub const CRL_SIGN: u16 = 1 << 6;
    pub const ENCIPHER_ONLY: u16 = 1 << 7;
    pub const DECIPHER_ONLY: u16 = 1 << 8;

    pub fn has(self, bit: u16) -> bool {
        self.0 & bit != 0
    }
}

/// One subtree of nameConstraints (RFC 5280 §4.2.1.10). `minimum` and `maximum` MUST be 0 and
/// absent; x509-parser does not keep them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneralSubtree {
    pub base: GeneralName,
}

/// nameConstraints (RFC 5280 §4.2.1.10).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NameConstraints {
    pub permitted: Option<Vec<GeneralSubtree>>,
    pub excluded: Option<Vec<GeneralSubtree>>,
}

/// One PolicyInformation of certificatePolicies (RFC 5280 §4.2.1.4): the policy OID in dotted form
/// and the DER of each qualifier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyInfo {
    pub oid: String,
    pub qualifiers: Vec<(String, Vec<u8>)>,
}

/// policyConstraints (RFC 5280 §4.2.1.11).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PolicyConstraints {
    pub require_explicit_policy: Option<u32>,
    pub inhibit_policy_mapping: Option<u32>,
}

/// authorityKeyIdentifier (RFC 5280 §4.2.1.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthorityKeyId {
    pub key_id: Option<DerBytes>,
    pub issuer: Option<Vec<GeneralName>>,
    pub serial: Option<Vec<u8>>,
}

/// A distribution point name (RFC 5280 §4.2.1.13).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DistributionPointName {
    FullName(Vec<GeneralName>),
    /// The RDN relative to the CRL issuer, as a one-RDN [`Name`].
    RelativeToIssuer(Name),
}

/// One DistributionPoint of cRLDistributionPoints (RFC 5280 §4.2.1.13).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DistributionPoint {
    pub name: Option<DistributionPointName>,
    /// ReasonFlags bits as x509-parser gives them (bit 0 = unused, 1 = keyCompromise, ...).
    pub reasons: Option<u16>,
    pub crl_issuer: Option<Vec<GeneralName>>,
}

/// One AccessDescription of authorityInfoAccess (RFC 5280 §4.2.2.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessDescription {
    pub method: String,
    pub location: GeneralName,
}

/// An extension this model does not interpret: kept with its OID and criticality so that path
/// validation can reject unknown critical extensions (RFC 5280 §4.2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OtherExtension {
    pub oid: String,
    pub critical: bool,
    pub value: Vec<u8>,
}

/// The extensions path validation uses, each at most once.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Extensions {
    pub basic_constraints: Option<Ext<BasicConstraints>>,
    pub key_usage: Option<Ext<KeyUsage>>,
    /// extKeyUsage purposes in dotted-OID form: the well-known ones first (anyExtendedKeyUsage,
    /// then id-kp 1, 2, 3, 4, 8, 9), then the others in certificate order. The well-known ones
    /// are borrowed constants.
    pub ext_key_usage: Option<Ext<Vec<std::borrow::Cow<'static, str>>>>,
    pub subject_alt_name: Option<Ext<Vec<GeneralName>>>,
    pub issuer_alt_name: Option<Ext<Vec<GeneralName>>>,
    pub name_constraints: Option<Ext<NameConstraints>>,
    pub certificate_policies: Option<Ext<Vec<PolicyInfo>>>,
    /// (issuerDomainPolicy, subjectDomainPolicy) pairs.
    pub policy_mappings: Option<Ext<Vec<(String, String)>>>,
    pub policy_constraints: Option<Ext<PolicyConstraints>>,
    pub inhibit_any_policy: Option<Ext<u32>>,
    pub authority_key_id: Option<Ext<AuthorityKeyId>>,
    pub subject_key_id: Option<Ext<DerBytes>>,
    pub crl_distribution_points: Option<Ext<Vec<DistributionPoint>>>,
    pub authority_info_access: Option<Ext<Vec<AccessDescription>>>,
    /// Extensions not interpreted above, in certificate order.
    pub other: Vec<OtherExtension>,
}

/// A parsed X.509 v1/v2/v3 certificate (RFC 5280 §4.1), owning its DER.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Certificate {
    der: DerBytes,
    tbs: std::ops::Range<usize>,
    /// 0 for v1, 1 for v2, 2 for v3 (the encoded INTEGER).
    pub version: u32,
    /// The serialNumber INTEGER content octets as encoded (two's complement, with any leading 0).
    pub serial: DerBytes,
    pub signature_algorithm: SignatureAlgorithm,
    pub issuer: Name,
    pub subject: Name,
    /// notBefore and notAfter as Unix seconds.
    pub not_before: i64,
    pub not_after: i64,
    pub public_key: PublicKeyInfo,
    /// The signatureValue BIT STRING contents.
    pub signature: DerBytes,
    pub issuer_unique_id: bool,
    pub subject_unique_id: bool,
    pub extensions: Extensions,
    /// Values derived from the certificate's own bytes, computed on first use and kept: a
    /// certificate parsed once (an anchor, an intermediate) pays for them once. Boxed on first
    /// use: a leaf parsed for one successful validation never asks for one, and the model it
    /// moves and drops stays smaller by the size of [`Memo`].
    memo: Derived<std::sync::OnceLock<Box<Memo>>>,
}

/// A value computed from its owner's own bytes and kept (a digest, a text, the outcome of a
/// check): it follows from them, so it never takes part in equality and is not printed.
#[derive(Clone, Default)]
pub(crate) struct Derived<T>(T);

impl<T> PartialEq for Derived<T> {
    fn eq(&self, _: &Derived<T>) -> bool {
        true
    }
}

impl<T> Eq for Derived<T> {}

impl<T> fmt::Debug for Derived<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Derived")
    }
}

impl<T> std::ops::Deref for Derived<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

/// The derived values of a [`Certificate`].
#[derive(Clone, Default)]
struct Memo {
    /// SHA-256 of tbsCertificate (the verified-signature cache's key).
    tbs_sha256: std::sync::OnceLock<[u8; 32]>,
    /// The subject as text (RFC 4514 order), as reports name it.
    subject: std::sync::OnceLock<String>,
    /// [`crate::validate::describe`]'s text.
    described: std::sync::OnceLock<String>,
    /// [`Certificate::label`]'s text.
    label: std::sync::OnceLock<String>,
    /// SHA-1 of the subject DER and of the subjectPublicKey bits.
    cert_id_sha1: std::sync::OnceLock<([u8; 20], [u8; 20])>,
    /// Whether the certificate-profile checks of a CA certificate find nothing, by role
    /// (intermediate or anchor) and by whether the usage is server authentication: see
    /// [`Certificate::ca_profile_clean`].
    ca_profile_clean: [std::sync::OnceLock<bool>; 4],
}

impl Certificate {
    /// Parses one DER certificate; trailing bytes are an error.
    ///
    /// Certificates of the common shape take a fast path (`cert/fast.rs`) that builds the same
    /// model without x509-parser; everything else, including every malformed input, is parsed
    /// by x509-parser, which decides.
    pub fn from_der(der: &[u8]) -> Result<Certificate, CertError> {
        if der.len() > MAX_CERT_BYTES {
            return Err(CertError::TooLarge(MAX_CERT_BYTES));
        }
        match fast::parse(der) {
            Some(c) => Ok(c),
            None => Certificate::from_der_x509(der),
        }
    }

    /// Checks the fast path against the x509-parser path on `der`: `Ok(true)` when the fast
    /// path parsed it and built what x509-parser builds, `Ok(false)` when it left it to
    /// x509-parser, `Err` with both results when they differ (a bug). For tests and fuzzing.
    #[doc(hidden)]
    pub fn fast_path_agrees(der: &[u8]) -> Result<bool, String> {
        if der.len() > MAX_CERT_BYTES {
            return Ok(false);
        }
        match (fast::parse(der), Certificate::from_der_x509(der)) {
            (None, _) => Ok(false),
            (Some(f), Ok(x)) if f == x => Ok(true),
            (Some(f), x) => Err(format!("fast path: {f:?}\nx509-parser path: {x:?}")),
        }
    }

    fn from_der_x509(der: &[u8]) -> Result<Certificate, CertError> {
        let (rest, x) = X509Certificate::from_der(der).map_err(|e| CertError::Der(describe_nom(&e)))?;
        if !rest.is_empty() {
            return Err(CertError::TrailingData(rest.len()));
        }
        let tbs_raw = x.tbs_certificate.as_ref();
        let tbs_start =
            subslice_offset(der, tbs_raw).ok_or_else(|| CertError::Der("tbsCertificate not found".into()))?;
        let tbs = tbs_start..tbs_start + tbs_raw.len();

        if x.signature_algorithm != x.tbs_certificate.signature {
            return Err(CertError::SignatureAlgorithmMismatch);
        }
        let signature_algorithm = signature_algorithm(&x.signature_algorithm);
        let public_key = public_key_info(&x.tbs_certificate.subject_pki);
        let extensions = extensions(x.tbs_certificate.extensions())?;
        let validity = x.validity();
        Ok(Certificate {
            der: DerBytes::from(der),
            tbs,
            version: x.version().0,
            serial: DerBytes::from(x.raw_serial()),
            signature_algorithm,
            issuer: Name::from_x509(x.issuer()),
            subject: Name::from_x509(x.subject()),
            not_before: validity.not_before.timestamp(),
            not_after: validity.not_after.timestamp(),
            public_key,
            signature: DerBytes::from(x.signature_value.data.as_ref()),
            issuer_unique_id: x.tbs_certificate.issuer_uid.is_some(),
            subject_unique_id: x.tbs_certificate.subject_uid.is_some(),
            extensions,
            memo: Derived::default(),
        })
    }

    fn memo(&self) -> &Memo {
        self.memo.get_or_init(Box::default)
    }

    /// The whole certificate DER.
    pub fn der(&self) -> &[u8] {
        &self.der
    }

    /// The DER of tbsCertificate, the bytes the issuer signed.
    pub fn tbs_der(&self) -> &[u8] {
        self.der.get(self.tbs.clone()).unwrap_or_default()
    }

    /// SHA-256 of [`Certificate::tbs_der`], computed once per certificate.
    pub fn tbs_sha256(&self) -> [u8; 32] {
        *self.memo().tbs_sha256.get_or_init(|| crate::crypto::sha256(self.tbs_der()))
    }

    /// The subject as text (its `Display`), formatted once per certificate (from the parsed
    /// subject; a field changed by hand after the first call is not reflected).
    pub fn subject_text(&self) -> &str {
        self.memo().subject.get_or_init(|| self.subject.to_string())
    }

    /// SHA-1 of this certificate's subject DER and of its subjectPublicKey BIT STRING value: the
    /// issuerNameHash and issuerKeyHash of a SHA-1 CertID for a certificate it issued (RFC 6960
    /// §4.1.1, SHA-1 being the CertID hash RFC 5019 §2.1.1 prescribes), computed once.
    pub fn cert_id_sha1(&self) -> &([u8; 20], [u8; 20]) {
        self.memo().cert_id_sha1.get_or_init(|| {
            let sha1 = |data: &[u8]| {
                let mut out = [0u8; 20];
                out.copy_from_slice(ring::digest::digest(&ring::digest::SHA1_FOR_LEGACY_USE_ONLY, data).as_ref());
                out
            };
            (sha1(self.subject.der()), sha1(&self.public_key.key))
        })
    }

    /// [`crate::validate::describe`] of this certificate, formatted once per certificate (as
    /// [`Certificate::subject_text`], from the parsed fields).
    pub fn described(&self) -> &str {
        self.memo().described.get_or_init(|| crate::validate::describe(self))
    }

    /// Whether the path validator's certificate-profile checks find nothing for this
    /// certificate as a CA (`anchor`: at the end of the path; `server_auth`: the usage asked
    /// for), computed by `check` once per certificate and role. Those checks read only the
    /// certificate's own fields, so an intermediate or anchor parsed once is checked once; as
    /// with the other derived values, a field changed by hand after the first call is not
    /// reflected.
    pub(crate) fn ca_profile_clean(&self, anchor: bool, server_auth: bool, check: impl FnOnce() -> bool) -> bool {
        let slot = usize::from(anchor) * 2 + usize::from(server_auth);
        match self.memo().ca_profile_clean.get(slot) {
            Some(cell) => *cell.get_or_init(check),
            None => check(),
        }
    }

    /// Self-issued: subject and issuer are the same name (RFC 5280 §6.1, "self-issued").
    pub fn is_self_issued(&self) -> bool {
        self.subject.matches(&self.issuer)
    }

    /// basicConstraints cA is asserted.
    pub fn is_ca(&self) -> bool {
        self.extensions.basic_constraints.as_ref().is_some_and(|b| b.value.ca)
    }

    /// The subjectAltName entries, or an empty slice.
    pub fn san(&self) -> &[GeneralName] {
        self.extensions.subject_alt_name.as_ref().map(|e| e.value.as_slice()).unwrap_or(&[])
    }

    /// The subjectKeyIdentifier, if present.
    pub fn ski(&self) -> Option<&[u8]> {
        self.extensions.subject_key_id.as_ref().map(|e| e.value.as_slice())
    }

    /// The authorityKeyIdentifier keyIdentifier, if present.
    pub fn aki_key_id(&self) -> Option<&[u8]> {
        self.extensions.authority_key_id.as_ref().and_then(|e| e.value.key_id.as_deref())
    }

    /// A short human label: the subject's commonName, else the whole subject.
    pub fn label(&self) -> String {
        self.label_str().to_string()
    }

    /// [`Certificate::label`], computed once and kept.
    pub fn label_str(&self) -> &str {
        self.memo().label.get_or_init(|| self.subject.display_short())
    }
}

/// A UTC civil date and time as Unix seconds (proleptic Gregorian, H. Hinnant's
/// days_from_civil); `None` when a field is out of range (no leap second). Shared by the
/// certificate fast path and the OCSP reader.
pub(crate) fn unix_seconds(year: i64, month: i64, day: i64, hour: i64, minute: i64, second: i64) -> Option<i64> {
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let month_days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    if day < 1 || day > month_days || hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(days * 86_400 + hour * 3600 + minute * 60 + second)
}

fn subslice_offset(outer: &[u8], inner: &[u8]) -> Option<usize> {
    let o = outer.as_ptr() as usize;
    let i = inner.as_ptr() as usize;
    (i >= o && i + inner.len() <= o + outer.len()).then(|| i - o)
}

pub(crate) fn describe_nom<E: fmt::Debug>(e: &x509_parser::nom::Err<E>) -> String {
    match e {
        x509_parser::nom::Err::Incomplete(_) => "truncated DER".to_string(),
        x509_parser::nom::Err::Error(e) | x509_parser::nom::Err::Failure(e) => format!("{e:?}"),
    }
}

fn hash_of(oid: &Oid) -> Option<Hash> {
    match crate::oid::text(oid).as_str() {
        "1.3.14.3.2.26" => Some(Hash::Sha1),
        "2.16.840.1.101.3.4.2.1" => Some(Hash::Sha256),
        "2.16.840.1.101.3.4.2.2" => Some(Hash::Sha384),
        "2.16.840.1.101.3.4.2.3" => Some(Hash::Sha512),
        _ => None,
    }
}

/// Maps an AlgorithmIdentifier to the algorithms RFC 5280 profiles use (RFC 3279, RFC 4055,
/// RFC 5758, RFC 8410). Parameters are checked: the PKCS#1 algorithms need NULL or absent
/// parameters, ECDSA and Ed25519 absent ones, PSS a consistent MGF1 and salt.
pub(crate) fn signature_algorithm(alg: &x509_parser::x509::AlgorithmIdentifier) -> SignatureAlgorithm {
    let oid = crate::oid::text(&alg.algorithm);
    let params_absent = alg.parameters.is_none();
    let params_null_or_absent = alg.parameters.as_ref().is_none_or(|p| p.header.tag().0 == 5 && p.data.is_empty());
    let unsupported = || SignatureAlgorithm::Unsupported(oid.clone());
    let pkcs1 = |h| if params_null_or_absent { SignatureAlgorithm::RsaPkcs1(h) } else { unsupported() };
    let ecdsa = |h| if params_absent { SignatureAlgorithm::Ecdsa(h) } else { unsupported() };
    match oid.as_str() {
        "1.2.840.113549.1.1.5" => pkcs1(Hash::Sha1),
        "1.2.840.113549.1.1.11" => pkcs1(Hash::Sha256),
        "1.2.840.113549.1.1.12" => pkcs1(Hash::Sha384),
        "1.2.840.113549.1.1.13" => pkcs1(Hash::Sha512),
        "1.2.840.10045.4.1" => ecdsa(Hash::Sha1),
        "1.2.840.10045.4.3.2" => ecdsa(Hash::Sha256),
        "1.2.840.10045.4.3.3" => ecdsa(Hash::Sha384),
        "1.2.840.10045.4.3.4" => ecdsa(Hash::Sha512),
        "1.3.101.112" if params_absent => SignatureAlgorithm::Ed25519,
        "1.2.840.113549.1.1.10" => match XSigAlg::try_from(alg) {
            Ok(XSigAlg::RSASSA_PSS(p)) => {
                let Some(hash) = hash_of(p.hash_algorithm_oid()) else { return unsupported() };
                let mgf_ok = p.mask_gen_algorithm().is_ok_and(|m| {
                    crate::oid::text(&m.mgf) == "1.2.840.113549.1.1.8" && hash_of(&m.hash) == Some(hash)
                });
                let salt = match hash {
                    Hash::Sha1 => 20,
                    Hash::Sha256 => 32,
                    Hash::Sha384 => 48,
                    Hash::Sha512 => 64,
                };
                if mgf_ok && p.salt_length() == salt && p.trailer_field() == 1 {
                    SignatureAlgorithm::RsaPss(hash)
                } else {
                    unsupported()
                }
            }
            _ => unsupported(),
        },
        _ => unsupported(),
    }
}

fn public_key_info(spki: &x509_parser::x509::SubjectPublicKeyInfo) -> PublicKeyInfo {
    let alg = crate::oid::text(&spki.algorithm.algorithm);
    let key = DerBytes::from(spki.subject_public_key.data.as_ref());
    let kind = match alg.as_str() {
        "1.2.840.113549.1.1.1" => match spki.parsed() {
            Ok(PublicKey::RSA(rsa)) => KeyKind::Rsa { bits: rsa_bits(rsa.modulus) },
            _ => KeyKind::Other("malformed RSA key".into()),
        },
        "1.2.840.10045.2.1" => {
            let curve = spki.algorithm.parameters.as_ref().and_then(|p| p.as_oid().ok()).map(|o| crate::oid::text(&o));
            match curve.as_deref() {
                Some("1.2.840.10045.3.1.7") => KeyKind::Ec(Curve::P256),
                Some("1.3.132.0.34") => KeyKind::Ec(Curve::P384),
                Some("1.3.132.0.35") => KeyKind::Ec(Curve::P521),
                Some(other) => KeyKind::Other(format!("EC key on curve {other}")),
                None => KeyKind::Other("EC key without a named curve".into()),
            }
        }
        "1.3.101.112" if spki.algorithm.parameters.is_none() => KeyKind::Ed25519,
        "1.2.840.10040.4.1" => KeyKind::Other("DSA key".into()),
        other => KeyKind::Other(format!("key algorithm {other}")),
    };
    PublicKeyInfo { der: DerBytes::from(spki.raw), kind, key }
}

fn rsa_bits(modulus: &[u8]) -> usize {
    let m = match modulus.iter().position(|b| *b != 0) {
        Some(i) => &modulus[i..],
        None => return 0,
    };
    let lead = m.first().map(|b| 8 - b.leading_zeros() as usize).unwrap_or(0);
    (m.len() - 1) * 8 + lead
}

pub(crate) fn general_name(g: &XGeneralName) -> GeneralName {
    match g {
        XGeneralName::DNSName(s) => GeneralName::Dns(s.to_string()),
        XGeneralName::RFC822Name(s) => GeneralName::Rfc822(s.to_string()),
        XGeneralName::URI(s) => GeneralName::Uri(s.to_string()),
        XGeneralName::IPAddress(b) => GeneralName::Ip(b.to_vec()),
        XGeneralName::DirectoryName(n) => GeneralName::Directory(Name::from_x509(n)),
        XGeneralName::OtherName(oid, v) => GeneralName::OtherName { oid: crate::oid::text(oid), value: v.to_vec() },
        XGeneralName::RegisteredID(oid) => GeneralName::RegisteredId(crate::oid::text(oid)),
        XGeneralName::X400Address(_) => GeneralName::X400Address,
        XGeneralName::EDIPartyName(_) => GeneralName::EdiPartyName,
        XGeneralName::Invalid(tag, _) => GeneralName::Invalid { tag: tag.0 },
    }
}

fn general_names(v: &[XGeneralName]) -> Vec<GeneralName> {
    v.iter().map(general_name).collect()
}

fn ext_name(oid: &str) -> &'static str {
    match oid {
        "2.5.29.19" => "basicConstraints",
        "2.5.29.15" => "keyUsage",
        "2.5.29.37" => "extKeyUsage",
        "2.5.29.17" => "subjectAltName",
        "2.5.29.18" => "issuerAltName",
        "2.5.29.30" => "nameConstraints",
        "2.5.29.32" => "certificatePolicies",
        "2.5.29.33" => "policyMappings",
        "2.5.29.36" => "policyConstraints",
        "2.5.29.54" => "inhibitAnyPolicy",
        "2.5.29.35" => "authorityKeyIdentifier",
        "2.5.29.14" => "subjectKeyIdentifier",
        "2.5.29.31" => "cRLDistributionPoints",
        "1.3.6.1.5.5.7.1.1" => "authorityInfoAccess",
        _ => "extension",
    }
}

fn extensions(exts: &[x509_parser::extensions::X509Extension]) -> Result<Extensions, CertError> {
    let mut out = Extensions::default();
    let mut seen: Vec<String> = Vec::with_capacity(exts.len());
    for e in exts {
        let oid = crate::oid::text(&e.oid);
        if seen.contains(&oid) {
            return Err(CertError::DuplicateExtension(format!("{} ({oid})", ext_name(&oid))));
        }
        let critical = e.critical;
        let malformed =
            |reason: String| CertError::MalformedExtension { name: ext_name(&oid), oid: oid.clone(), reason };
        match e.parsed_extension() {
            ParsedExtension::ParseError { error } => return Err(malformed(describe_nom(error))),
            ParsedExtension::BasicConstraints(b) => {
                out.basic_constraints =
                    Some(Ext { critical, value: BasicConstraints { ca: b.ca, path_len: b.path_len_constraint } })
            }
            ParsedExtension::KeyUsage(k) => out.key_usage = Some(Ext { critical, value: KeyUsage(k.flags) }),
            ParsedExtension::ExtendedKeyUsage(k) => {
                let mut v = Vec::new();
                // x509-parser folds the well-known purposes into flags; rebuild the OID list.
                for (set, o) in [
                    (k.any, "2.5.29.37.0"),
                    (k.server_auth, "1.3.6.1.5.5.7.3.1"),
                    (k.client_auth, "1.3.6.1.5.5.7.3.2"),
                    (k.code_signing, "1.3.6.1.5.5.7.3.3"),
                    (k.email_protection, "1.3.6.1.5.5.7.3.4"),
                    (k.time_stamping, "1.3.6.1.5.5.7.3.8"),
                    (k.ocsp_signing, "1.3.6.1.5.5.7.3.9"),
                ] {
                    if set {
                        v.push(std::borrow::Cow::Borrowed(o));
                    }
                }
                v.extend(k.other.iter().map(|o| std::borrow::Cow::Owned(crate::oid::text(o))));
                out.ext_key_usage = Some(Ext { critical, value: v });
            }
            ParsedExtension::SubjectAlternativeName(s) => {
                out.subject_alt_name = Some(Ext { critical, value: general_names(&s.general_names) })
            }
            ParsedExtension::IssuerAlternativeName(s) => {
                out.issuer_alt_name = Some(Ext { critical, value: general_names(&s.general_names) })
            }
            ParsedExtension::NameConstraints(nc) => {
                let conv = |v: &Option<Vec<x509_parser::extensions::GeneralSubtree>>| {
                    v.as_ref().map(|v| v.iter().map(|s| GeneralSubtree { base: general_name(&s.base) }).collect())
                };
                out.name_constraints = Some(Ext {
                    critical,
                    value: NameConstraints {
                        permitted: conv(&nc.permitted_subtrees),
                        excluded: conv(&nc.excluded_subtrees),
                    },
                });
            }
            ParsedExtension::CertificatePolicies(p) => {
                let v = p
                    .iter()
                    .map(|pi| PolicyInfo {
                        oid: crate::oid::text(&pi.policy_id),
                        qualifiers: pi
                            .policy_qualifiers
                            .iter()
                            .flatten()
                            .map(|q| (crate::oid::text(&q.policy_qualifier_id), q.qualifier.to_vec()))
                            .collect(),
                    })
                    .collect::<Vec<_>>();
                // RFC 5280 §4.2.1.4: a policy OID MUST NOT appear more than once.
                for (i, a) in v.iter().enumerate() {
                    if v.iter().skip(i + 1).any(|b| b.oid == a.oid) {
                        return Err(malformed(format!("policy {} appears more than once", a.oid)));
                    }
                }
                out.certificate_policies = Some(Ext { critical, value: v });
            }
            ParsedExtension::PolicyMappings(m) => {
                let v = m
                    .mappings
                    .iter()
                    .map(|m| (crate::oid::text(&m.issuer_domain_policy), crate::oid::text(&m.subject_domain_policy)))
                    .collect();
                out.policy_mappings = Some(Ext { critical, value: v });
            }
            ParsedExtension::PolicyConstraints(pc) => {
                // RFC 5280 §4.2.1.11: conforming CAs MUST NOT issue an empty policyConstraints.
                if pc.require_explicit_policy.is_none() && pc.inhibit_policy_mapping.is_none() {
                    return Err(malformed("empty sequence".into()));
                }
                out.policy_constraints = Some(Ext {
                    critical,
                    value: PolicyConstraints {
                        require_explicit_policy: pc.require_explicit_policy,
                        inhibit_policy_mapping: pc.inhibit_policy_mapping,
                    },
                });
            }
            ParsedExtension::InhibitAnyPolicy(i) => {
                out.inhibit_any_policy = Some(Ext { critical, value: i.skip_certs })
            }
            ParsedExtension::AuthorityKeyIdentifier(a) => {
                out.authority_key_id = Some(Ext {
                    critical,
                    value: AuthorityKeyId {
                        key_id: a.key_identifier.as_ref().map(|k| DerBytes::from(k.0)),
                        issuer: a.authority_cert_issuer.as_ref().map(|g| general_names(g)),
                        serial: a.authority_cert_serial.map(|s| s.to_vec()),
                    },
                })
            }
            ParsedExtension::SubjectKeyIdentifier(k) => {
                out.subject_key_id = Some(Ext { critical, value: DerBytes::from(k.0) })
            }
            ParsedExtension::CRLDistributionPoints(_) => {
                // Parsed by the CRL module's own reader: x509-parser 0.18 silently drops a
                // nameRelativeToCRLIssuer, which would widen a CRL's scope (RFC 5280 §4.2.1.13).
                let v = crate::crl::parse_distribution_points(e.value).map_err(malformed)?;
                out.crl_distribution_points = Some(Ext { critical, value: v });
            }
            ParsedExtension::AuthorityInfoAccess(a) => {
                let v = a
                    .accessdescs
                    .iter()
                    .map(|d| AccessDescription {
                        method: crate::oid::text(&d.access_method),
                        location: general_name(&d.access_location),
                    })
                    .collect();
                out.authority_info_access = Some(Ext { critical, value: v });
            }
            _ => out.other.push(OtherExtension { oid: oid.clone(), critical, value: e.value.to_vec() }),
        }
        seen.push(oid);
    }
    Ok(out)
}
