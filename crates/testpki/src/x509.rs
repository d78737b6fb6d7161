//! Certificates (RFC 5280 §4.1) and CRLs (RFC 5280 §5.1) written field by field.
//!
//! [`CertTemplate`] holds every field with its semantic value; [`CertTemplate::issue`] encodes
//! and signs it. A broken variant is a template with one field changed, so it differs from its
//! valid base in exactly that field (and in the signature, which covers it).

use crate::der::{self, TimeEncoding};
use crate::keys::TestKey;
use time::OffsetDateTime;

/// Attribute types of distinguished names (X.520, RFC 5280 Appendix A.1, EN 319 412-1 §5.1.4).
pub mod attr {
    pub const COMMON_NAME: &str = "2.5.4.3";
    pub const SURNAME: &str = "2.5.4.4";
    pub const SERIAL_NUMBER: &str = "2.5.4.5";
    pub const COUNTRY: &str = "2.5.4.6";
    pub const LOCALITY: &str = "2.5.4.7";
    pub const ORGANIZATION: &str = "2.5.4.10";
    pub const ORGANIZATIONAL_UNIT: &str = "2.5.4.11";
    pub const BUSINESS_CATEGORY: &str = "2.5.4.15";
    /// jurisdictionCountryName (CA/B Forum EV Guidelines §9.2.4).
    pub const JURISDICTION_COUNTRY: &str = "1.3.6.1.4.1.311.60.2.1.3";
    pub const GIVEN_NAME: &str = "2.5.4.42";
    pub const ORGANIZATION_IDENTIFIER: &str = "2.5.4.97";
}

/// Extension and other object identifiers of RFC 5280 §4.2.
pub mod ext {
    pub const SUBJECT_KEY_IDENTIFIER: &str = "2.5.29.14";
    pub const KEY_USAGE: &str = "2.5.29.15";
    pub const SUBJECT_ALT_NAME: &str = "2.5.29.17";
    pub const BASIC_CONSTRAINTS: &str = "2.5.29.19";
    pub const CRL_NUMBER: &str = "2.5.29.20";
    pub const CRL_REASON: &str = "2.5.29.21";
    pub const CRL_DISTRIBUTION_POINTS: &str = "2.5.29.31";
    pub const CERTIFICATE_POLICIES: &str = "2.5.29.32";
    pub const AUTHORITY_KEY_IDENTIFIER: &str = "2.5.29.35";
    pub const EXT_KEY_USAGE: &str = "2.5.29.37";
    pub const AUTHORITY_INFO_ACCESS: &str = "1.3.6.1.5.5.7.1.1";
    pub const QC_STATEMENTS: &str = "1.3.6.1.5.5.7.1.3";
    pub const AD_OCSP: &str = "1.3.6.1.5.5.7.48.1";
    pub const AD_CA_ISSUERS: &str = "1.3.6.1.5.5.7.48.2";
    pub const KP_SERVER_AUTH: &str = "1.3.6.1.5.5.7.3.1";
    pub const KP_CLIENT_AUTH: &str = "1.3.6.1.5.5.7.3.2";
    pub const KP_EMAIL_PROTECTION: &str = "1.3.6.1.5.5.7.3.4";
    pub const KP_OCSP_SIGNING: &str = "1.3.6.1.5.5.7.3.9";
}

/// KeyUsage bit numbers (RFC 5280 §4.2.1.3).
pub mod ku {
    pub const DIGITAL_SIGNATURE: usize = 0;
    pub const NON_REPUDIATION: usize = 1;
    pub const KEY_ENCIPHERMENT: usize = 2;
    pub const DATA_ENCIPHERMENT: usize = 3;
    pub const KEY_AGREEMENT: usize = 4;
    pub const KEY_CERT_SIGN: usize = 5;
    pub const CRL_SIGN: usize = 6;
}

/// How an attribute value is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StringKind {
    Utf8,
    Printable,
}

/// One attribute of a distinguished name (each in its own RDN, the common practice).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attr {
    pub oid: &'static str,
    pub value: String,
    pub kind: StringKind,
}

/// A distinguished name as a sequence of single-attribute RDNs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Name(pub Vec<Attr>);

impl Name {
    pub fn new() -> Self {
        Name(Vec::new())
    }

    /// Append an attribute with the string type X.520 prescribes for it: PrintableString for
    /// countryName and serialNumber (X.520 §6.2.4, §6.2.9), UTF8String otherwise (RFC 5280 §4.1.2.6).
    pub fn with(mut self, oid: &'static str, value: &str) -> Self {
        let kind = if oid == attr::COUNTRY || oid == attr::SERIAL_NUMBER || oid == attr::JURISDICTION_COUNTRY {
            StringKind::Printable
        } else {
            StringKind::Utf8
        };
        self.0.push(Attr { oid, value: value.to_string(), kind });
        self
    }

    pub fn get(&self, oid: &str) -> Option<&str> {
        self.0.iter().find(|a| a.oid == oid).map(|a| a.value.as_str())
    }

    pub fn set(&mut self, oid: &'static str, value: &str) {
        if let Some(a) = self.0.iter_mut().find(|a| a.oid == oid) {
            a.value = value.to_string();
        }
    }

    pub fn remove(&mut self, oid: &str) {
        self.0.retain(|a| a.oid != oid);
    }

    pub fn to_der(&self) -> Vec<u8> {
        der::seq(self.0.iter().map(|a| {
            let value = match a.kind {
                StringKind::Utf8 => der::utf8(&a.value),
                StringKind::Printable => der::printable(&a.value),
            };
            der::set_of([der::seq([der::oid(a.oid), value])])
        }))
    }

    /// A one-line rendering for manifests and messages (RFC 4514 order is reversed; this keeps the
    /// encoding order, which is what people compare with `openssl x509 -subject`).
    pub fn display(&self) -> String {
        let short = |oid: &str| match oid {
            attr::COMMON_NAME => "CN",
            attr::SURNAME => "SN",
            attr::SERIAL_NUMBER => "serialNumber",
            attr::COUNTRY => "C",
            attr::LOCALITY => "L",
            attr::ORGANIZATION => "O",
            attr::ORGANIZATIONAL_UNIT => "OU",
            attr::GIVEN_NAME => "GN",
            attr::ORGANIZATION_IDENTIFIER => "organizationIdentifier",
            attr::BUSINESS_CATEGORY => "businessCategory",
            attr::JURISDICTION_COUNTRY => "jurisdictionC",
            _ => "?",
        };
        self.0.iter().map(|a| format!("{}={}", short(a.oid), a.value)).collect::<Vec<_>>().join(", ")
    }
}

/// One extension (RFC 5280 §4.1: `Extension ::= SEQUENCE { extnID, critical DEFAULT FALSE, extnValue }`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Extension {
    pub oid: &'static str,
    pub critical: bool,
    /// The DER of the extension's value (the content of extnValue).
    pub value: Vec<u8>,
}

impl Extension {
    pub fn new(oid: &'static str, critical: bool, value: Vec<u8>) -> Self {
        Extension { oid, critical, value }
    }

    pub fn to_der(&self) -> Vec<u8> {
        let mut parts = vec![der::oid(self.oid)];
        if self.critical {
            // DEFAULT FALSE is omitted in DER (X.690 §11.5).
            parts.push(der::boolean(true));
        }
        parts.push(der::octet_string(&self.value));
        der::seq(parts)
    }

    pub fn key_usage(bits: &[usize]) -> Self {
        Extension::new(ext::KEY_USAGE, true, der::named_bits(bits))
    }

    pub fn basic_constraints(ca: bool, path_len: Option<u8>) -> Self {
        let mut parts = Vec::new();
        if ca {
            parts.push(der::boolean(true));
        }
        if let Some(p) = path_len {
            parts.push(der::small_uint(u64::from(p)));
        }
        Extension::new(ext::BASIC_CONSTRAINTS, true, der::seq(parts))
    }

    pub fn subject_key_id(id: &[u8]) -> Self {
        Extension::new(ext::SUBJECT_KEY_IDENTIFIER, false, der::octet_string(id))
    }

    pub fn authority_key_id(id: &[u8]) -> Self {
        Extension::new(ext::AUTHORITY_KEY_IDENTIFIER, false, der::seq([der::implicit_primitive(0, id)]))
    }

    pub fn ext_key_usage(oids: &[&str]) -> Self {
        Extension::new(ext::EXT_KEY_USAGE, false, der::seq(oids.iter().map(|o| der::oid(o))))
    }

    /// certificatePolicies with bare policy OIDs (no qualifiers).
    pub fn policies(oids: &[&str]) -> Self {
        Extension::new(ext::CERTIFICATE_POLICIES, false, der::seq(oids.iter().map(|o| der::seq([der::oid(o)]))))
    }

    /// cRLDistributionPoints with one full-name URI (RFC 5280 §4.2.1.13).
    pub fn crl_distribution_point(uri: &str) -> Self {
        let general_names = der::implicit_constructed(0, &der::implicit_primitive(6, uri.as_bytes()));
        let dp_name = der::implicit_constructed(0, &general_names);
        Extension::new(ext::CRL_DISTRIBUTION_POINTS, false, der::seq([der::seq([dp_name])]))
    }

    /// authorityInfoAccess with OCSP and caIssuers URIs (RFC 5280 §4.2.2.1).
    pub fn authority_info_access(ocsp: Option<&str>, ca_issuers: Option<&str>) -> Self {
        let mut ads = Vec::new();
        if let Some(u) = ocsp {
            ads.push(der::seq([der::oid(ext::AD_OCSP), der::implicit_primitive(6, u.as_bytes())]));
        }
        if let Some(u) = ca_issuers {
            ads.push(der::seq([der::oid(ext::AD_CA_ISSUERS), der::implicit_primitive(6, u.as_bytes())]));
        }
        Extension::new(ext::AUTHORITY_INFO_ACCESS, false, der::seq(ads))
    }

    pub fn subject_alt_name(names: &[GeneralName]) -> Self {
        Extension::new(ext::SUBJECT_ALT_NAME, false, der::seq(names.iter().map(GeneralName::to_der)))
    }
}

/// The GeneralName forms the generator writes (RFC 5280 §4.2.1.6).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GeneralName {
    Email(String),
    Dns(String),
    Uri(String),
}

impl GeneralName {
    pub fn to_der(&self) -> Vec<u8> {
        match self {
            GeneralName::Email(s) => der::implicit_primitive(1, s.as_bytes()),
            GeneralName::Dns(s) => der::implicit_primitive(2, s.as_bytes()),
            GeneralName::Uri(s) => der::implicit_primitive(6, s.as_bytes()),
        }
    }
}

/// How the serial number is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Serial {
    /// A positive integer from its magnitude (RFC 5280 §4.1.2.2).
    Positive(Vec<u8>),
    /// Content octets written as given (two's complement): used for the negative-serial variant.
    Raw(Vec<u8>),
}

impl Serial {
    pub fn from_u64(v: u64) -> Self {
        Serial::Positive(v.to_be_bytes().to_vec())
    }

    pub fn to_der(&self) -> Vec<u8> {
        match self {
            Serial::Positive(m) => der::uint(m),
            Serial::Raw(c) => der::int_raw(c),
        }
    }

    /// The serial as lowercase hex of its content octets, for manifests.
    pub fn hex(&self) -> String {
        let der = self.to_der();
        der.iter().skip(2).map(|b| format!("{b:02x}")).collect()
    }
}

/// Every field of a certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertTemplate {
    pub serial: Serial,
    pub issuer: Name,
    pub subject: Name,
    pub not_before: OffsetDateTime,
    pub not_after: OffsetDateTime,
    pub time_encoding: TimeEncoding,
    /// Extensions in the order they are written.
    pub extensions: Vec<Extension>,
    /// Flip one bit of the signature after signing (the bad-signature variant).
    pub corrupt_signature: bool,
}

impl CertTemplate {
    pub fn new(
        serial: u64,
        issuer: Name,
        subject: Name,
        not_before: OffsetDateTime,
        not_after: OffsetDateTime,
    ) -> Self {
        CertTemplate {
            serial: Serial::from_u64(serial),
            issuer,
            subject,
            not_before,
            not_after,
            time_encoding: TimeEncoding::Rfc5280,
            extensions: Vec::new(),
            corrupt_signature: false,
        }
    }

    pub fn extension(&self, oid: &str) -> Option<&Extension> {
        self.extensions.iter().find(|e| e.oid == oid)
    }

    pub fn remove_extension(&mut self, oid: &str) {
        self.extensions.retain(|e| e.oid != oid);
    }

    /// Replace the extension with the same OID in place (or append it).
    pub fn put_extension(&mut self, e: Extension) {
        if let Some(slot) = self.extensions.iter_mut().find(|x| x.oid == e.oid) {
            *slot = e;
        } else {
            self.extensions.push(e);
        }
    }

    /// The TBSCertificate (RFC 5280 §4.1.2) for `subject_key`, signed with `issuer_key`'s algorithm.
    pub fn tbs(&self, subject_key: &TestKey, issuer_key: &TestKey) -> Vec<u8> {
        let mut parts = vec![
            der::explicit(0, &der::small_uint(2)),
            self.serial.to_der(),
            issuer_key.signature_algorithm(),
            self.issuer.to_der(),
            der::seq([der::time(self.not_before, self.time_encoding), der::time(self.not_after, self.time_encoding)]),
            self.subject.to_der(),
            subject_key.spki(),
        ];
        if !self.extensions.is_empty() {
            parts.push(der::explicit(3, &der::seq(self.extensions.iter().map(Extension::to_der))));
        }
        der::seq(parts)
    }

    /// Encode and sign: the certificate DER.
    pub fn issue(&self, subject_key: &TestKey, issuer_key: &TestKey) -> Vec<u8> {
        let tbs = self.tbs(subject_key, issuer_key);
        let mut sig = issuer_key.sign_der(&tbs);
        if self.corrupt_signature {
            flip_last_bit(&mut sig);
        }
        der::seq([tbs, issuer_key.signature_algorithm(), der::bit_string(&sig)])
    }
}

/// Flip the lowest bit of the last octet: for a DER ECDSA signature that changes the value of `s`
/// and keeps the encoding well formed.
fn flip_last_bit(sig: &mut [u8]) {
    if let Some(b) = sig.last_mut() {
        *b ^= 0x01;
    }
}

/// CRL reason codes (RFC 5280 §5.3.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    Unspecified = 0,
    KeyCompromise = 1,
    CaCompromise = 2,
    AffiliationChanged = 3,
    Superseded = 4,
    CessationOfOperation = 5,
}

/// One revoked certificate entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revoked {
    pub serial: Serial,
    pub at: OffsetDateTime,
    pub reason: Option<Reason>,
}

/// Every field of a v2 CRL (RFC 5280 §5.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CrlTemplate {
    pub issuer: Name,
    pub this_update: OffsetDateTime,
    pub next_update: OffsetDateTime,
    pub crl_number: u64,
    pub authority_key_id: Vec<u8>,
    pub revoked: Vec<Revoked>,
    pub corrupt_signature: bool,
}

impl CrlTemplate {
    pub fn issue(&self, issuer_key: &TestKey) -> Vec<u8> {
        let enc = TimeEncoding::Rfc5280;
        let mut parts = vec![
            der::small_uint(1),
            issuer_key.signature_algorithm(),
            self.issuer.to_der(),
            der::time(self.this_update, enc),
            der::time(self.next_update, enc),
        ];
        if !self.revoked.is_empty() {
            parts.push(der::seq(self.revoked.iter().map(|r| {
                let mut entry = vec![r.serial.to_der(), der::time(r.at, enc)];
                if let Some(reason) = r.reason {
                    let e = Extension::new(ext::CRL_REASON, false, der::enumerated(reason as u8));
                    entry.push(der::seq([e.to_der()]));
                }
                der::seq(entry)
            })));
        }
        let exts = [
            Extension::authority_key_id(&self.authority_key_id),
            Extension::new(ext::CRL_NUMBER, false, der::small_uint(self.crl_number)),
        ];
        parts.push(der::explicit(0, &der::seq(exts.iter().map(Extension::to_der))));
        let tbs = der::seq(parts);
        let mut sig = issuer_key.sign_der(&tbs);
        if self.corrupt_signature {
            flip_last_bit(&mut sig);
        }
        der::seq([tbs, issuer_key.signature_algorithm(), der::bit_string(&sig)])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::Curve;
    use time::macros::datetime;

    #[test]
    fn certificate_parses_with_x509_parser() {
        let k = TestKey::derive("unit/ca", Curve::P256);
        let name = Name::new().with(attr::COUNTRY, "RS").with(attr::COMMON_NAME, "Test Č CA");
        let mut t =
            CertTemplate::new(7, name.clone(), name, datetime!(2020-01-01 0:00 UTC), datetime!(2030-01-01 0:00 UTC));
        t.extensions.push(Extension::basic_constraints(true, Some(0)));
        t.extensions.push(Extension::key_usage(&[ku::KEY_CERT_SIGN, ku::CRL_SIGN]));
        t.extensions.push(Extension::subject_key_id(&k.key_id()));
        let der = t.issue(&k, &k);
        let (rest, cert) = x509_parser::parse_x509_certificate(&der).unwrap();
        assert!(rest.is_empty());
        assert_eq!(cert.serial.to_string(), "7");
        assert!(cert.is_ca());
        assert_eq!(cert.subject().to_string(), "C=RS, CN=Test Č CA");
        assert!(cert.verify_signature(None).is_ok());
        let ku = cert.key_usage().unwrap().unwrap();
        assert!(ku.value.key_cert_sign() && ku.value.crl_sign() && !ku.value.digital_signature());
    }

    #[test]
    fn corrupt_signature_fails_verification() {
        let k = TestKey::derive("unit/ca", Curve::P256);
        let name = Name::new().with(attr::COMMON_NAME, "x");
        let mut t =
            CertTemplate::new(1, name.clone(), name, datetime!(2020-01-01 0:00 UTC), datetime!(2030-01-01 0:00 UTC));
        t.corrupt_signature = true;
        let der = t.issue(&k, &k);
        let (_, cert) = x509_parser::parse_x509_certificate(&der).unwrap();
        assert!(cert.verify_signature(None).is_err());
    }

    #[test]
    fn crl_parses() {
        let k = TestKey::derive("unit/ca", Curve::P384);
        let crl = CrlTemplate {
            issuer: Name::new().with(attr::COMMON_NAME, "CA"),
            this_update: datetime!(2025-05-01 0:00 UTC),
            next_update: datetime!(2025-08-01 0:00 UTC),
            crl_number: 3,
            authority_key_id: k.key_id(),
            revoked: vec![Revoked {
                serial: Serial::from_u64(0x1234),
                at: datetime!(2025-04-01 0:00 UTC),
                reason: Some(Reason::KeyCompromise),
            }],
            corrupt_signature: false,
        };
        let der = crl.issue(&k);
        use x509_parser::prelude::FromDer;
        let (rest, parsed) = x509_parser::revocation_list::CertificateRevocationList::from_der(&der).unwrap();
        assert!(rest.is_empty());
        assert_eq!(parsed.iter_revoked_certificates().count(), 1);
        assert_eq!(parsed.crl_number().map(|n| n.to_string()), Some("3".to_string()));
    }
}
