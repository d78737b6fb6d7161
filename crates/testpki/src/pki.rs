//! One synthetic PKI per state: a root, a qualified issuing CA and an ordinary issuing CA, leaf
//! specifications of every type, and their CRLs.
//!
//! This is the library API later issues build on: [`StatePki::build`] gives every certificate with
//! its key (to sign trusted lists, PID tokens or OCSP responses) and [`LeafSpec`] is the
//! field-level description a variant edits.

use crate::der::TimeEncoding;
use crate::etsi::{CertType, QcStatements};
use crate::keys::{Curve, TestKey};
use crate::states::State;
use crate::x509::{attr, ku, CertTemplate, CrlTemplate, Extension, GeneralName, Name, Reason, Revoked, Serial};
use sha2::{Digest, Sha256};
use time::macros::datetime;
use time::OffsetDateTime;

/// The validation time of every case: 2025-06-01T00:00:00Z. Every "valid" certificate is inside
/// its validity period and every CRL inside its thisUpdate..nextUpdate window at this time.
pub const VALIDATION_TIME: OffsetDateTime = datetime!(2025-06-01 00:00:00 UTC);

/// Fixed times of the synthetic PKIs.
pub mod times {
    use time::macros::datetime;
    use time::OffsetDateTime;
    pub const ROOT_FROM: OffsetDateTime = datetime!(2020-01-01 00:00:00 UTC);
    pub const ROOT_TO: OffsetDateTime = datetime!(2045-01-01 00:00:00 UTC);
    pub const CA_FROM: OffsetDateTime = datetime!(2021-01-01 00:00:00 UTC);
    pub const CA_TO: OffsetDateTime = datetime!(2036-01-01 00:00:00 UTC);
    pub const LEAF_FROM: OffsetDateTime = datetime!(2024-09-01 00:00:00 UTC);
    pub const LEAF_TO: OffsetDateTime = datetime!(2026-09-01 00:00:00 UTC);
    /// QWACs: 365 days (CA/B Forum BR §6.3.2 caps subscriber certificates at 398 days).
    pub const QWAC_FROM: OffsetDateTime = datetime!(2025-01-01 00:00:00 UTC);
    pub const QWAC_TO: OffsetDateTime = datetime!(2025-12-31 23:59:59 UTC);
    pub const EXPIRED_FROM: OffsetDateTime = datetime!(2022-01-01 00:00:00 UTC);
    pub const EXPIRED_TO: OffsetDateTime = datetime!(2024-01-01 00:00:00 UTC);
    pub const FUTURE_FROM: OffsetDateTime = datetime!(2025-09-01 00:00:00 UTC);
    pub const FUTURE_TO: OffsetDateTime = datetime!(2027-09-01 00:00:00 UTC);
    pub const CA_EXPIRED_FROM: OffsetDateTime = datetime!(2015-01-01 00:00:00 UTC);
    pub const CA_EXPIRED_TO: OffsetDateTime = datetime!(2025-01-01 00:00:00 UTC);
    pub const REVOKED_AT: OffsetDateTime = datetime!(2025-03-01 00:00:00 UTC);
    pub const CRL_THIS: OffsetDateTime = datetime!(2025-05-25 00:00:00 UTC);
    pub const CRL_NEXT: OffsetDateTime = datetime!(2025-06-08 00:00:00 UTC);
    pub const ARL_THIS: OffsetDateTime = datetime!(2025-05-01 00:00:00 UTC);
    pub const ARL_NEXT: OffsetDateTime = datetime!(2025-11-01 00:00:00 UTC);
    pub const STALE_CRL_THIS: OffsetDateTime = datetime!(2025-04-01 00:00:00 UTC);
    pub const STALE_CRL_NEXT: OffsetDateTime = datetime!(2025-04-15 00:00:00 UTC);
}

/// A 16-octet positive serial number derived from a label (RFC 5280 §4.1.2.2: positive, at most
/// 20 octets; the first octet is kept in 0x01..=0x7f so the encoding is exactly 16 octets).
pub fn serial_for(label: &str) -> Serial {
    let h = Sha256::digest(format!("eidtrust-testpki/serial/v1/{label}").as_bytes());
    let mut s: Vec<u8> = h.iter().take(16).copied().collect();
    if let Some(first) = s.first_mut() {
        *first = (*first & 0x7f).max(1);
    }
    Serial::Positive(s)
}

/// A certificate with the key it certifies.
#[derive(Debug, Clone)]
pub struct Issued {
    pub template: CertTemplate,
    pub key: TestKey,
    pub der: Vec<u8>,
}

impl Issued {
    pub fn name(&self) -> &Name {
        &self.template.subject
    }
    pub fn key_id(&self) -> Vec<u8> {
        self.key.key_id()
    }
    pub fn pem(&self) -> String {
        crate::der::pem("CERTIFICATE", &self.der)
    }
}

/// Which issuing CA a leaf type comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IssuingCa {
    Qualified,
    Ordinary,
}

impl IssuingCa {
    pub fn for_type(t: CertType) -> Self {
        if t.is_qualified() {
            IssuingCa::Qualified
        } else {
            IssuingCa::Ordinary
        }
    }
    pub fn file_stem(self) -> &'static str {
        match self {
            IssuingCa::Qualified => "qualified-ca",
            IssuingCa::Ordinary => "ca",
        }
    }
}

/// Field-level description of a leaf certificate, before encoding. Variants edit these fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeafSpec {
    pub cert_type: CertType,
    pub serial: Serial,
    pub subject: Name,
    pub not_before: OffsetDateTime,
    pub not_after: OffsetDateTime,
    pub time_encoding: TimeEncoding,
    pub key_usage: Vec<usize>,
    pub ext_key_usage: Vec<&'static str>,
    pub policies: Vec<&'static str>,
    pub qc: QcStatements,
    pub san: Vec<GeneralName>,
    pub crl_dp: Option<String>,
    pub ocsp: Option<String>,
    pub ca_issuers: Option<String>,
    pub authority_key_id: bool,
    pub subject_key_id: bool,
    /// Extensions appended after the standard ones (an unknown critical extension...).
    pub extra: Vec<Extension>,
    /// Write this extension twice (RFC 5280 §4.2 forbids it).
    pub duplicate: Option<&'static str>,
    pub corrupt_signature: bool,
}

impl LeafSpec {
    /// The valid leaf of `cert_type` for `state`, issued by `ca`.
    pub fn valid(state: &State, cert_type: CertType, label: &str) -> LeafSpec {
        let ca = IssuingCa::for_type(cert_type);
        let subject = if cert_type.is_natural_person() {
            Name::new()
                .with(attr::COUNTRY, state.country)
                .with(attr::GIVEN_NAME, state.given_name)
                .with(attr::SURNAME, state.surname)
                .with(attr::SERIAL_NUMBER, &state.person_semantics_id())
                .with(attr::COMMON_NAME, &format!("{} {}", state.given_name, state.surname))
        } else if cert_type == CertType::Qwac {
            // EN 319 412-4 §4.2 with the CA/B Forum EV subject (EV Guidelines §9.2).
            Name::new()
                .with(attr::BUSINESS_CATEGORY, "Private Organization")
                .with(attr::JURISDICTION_COUNTRY, state.country)
                .with(attr::SERIAL_NUMBER, state.ntr)
                .with(attr::COUNTRY, state.country)
                .with(attr::LOCALITY, state.locality)
                .with(attr::ORGANIZATION, state.organisation)
                .with(attr::ORGANIZATION_IDENTIFIER, &state.ntr_semantics_id())
                .with(attr::COMMON_NAME, &state.host("www"))
        } else {
            let org_id =
                if cert_type == CertType::QualifiedEseal { state.vat_semantics_id() } else { state.ntr_semantics_id() };
            Name::new()
                .with(attr::COUNTRY, state.country)
                .with(attr::ORGANIZATION, state.organisation)
                .with(attr::ORGANIZATION_IDENTIFIER, &org_id)
                .with(attr::COMMON_NAME, state.organisation)
        };
        let mut qc = QcStatements {
            semantics: Some(if cert_type.is_natural_person() {
                crate::etsi::qcs::SEMANTICS_NATURAL
            } else {
                crate::etsi::qcs::SEMANTICS_LEGAL
            }),
            ..QcStatements::default()
        };
        if let Some(t) = cert_type.qc_type() {
            qc.compliance = true;
            qc.sscd = matches!(cert_type, CertType::QualifiedEsig | CertType::QualifiedEseal);
            qc.types = vec![t];
            qc.pds = state
                .pds_langs
                .iter()
                .map(|l| (format!("https://{}/pds/pds_{l}.pdf", state.host("pki")), l.to_string()))
                .collect();
            if !state.eu_member {
                qc.cc_legislation = vec![state.country.to_string()];
            }
        }
        let san = match cert_type {
            CertType::Qwac => vec![GeneralName::Dns(state.host("www"))],
            _ => Vec::new(),
        };
        let (not_before, not_after) = match cert_type {
            CertType::Qwac => (times::QWAC_FROM, times::QWAC_TO),
            _ => (times::LEAF_FROM, times::LEAF_TO),
        };
        let extra = match cert_type {
            // CA/B Forum EV Guidelines §9.8.2: cabfOrganizationIdentifier mirrors the subject's
            // organizationIdentifier.
            CertType::Qwac => vec![cabf_organization_identifier("NTR", state.country, state.ntr)],
            _ => Vec::new(),
        };
        LeafSpec {
            cert_type,
            serial: serial_for(&format!("{}/{label}", state.code)),
            subject,
            not_before,
            not_after,
            time_encoding: TimeEncoding::Rfc5280,
            key_usage: cert_type.key_usage().to_vec(),
            ext_key_usage: cert_type.ext_key_usage().to_vec(),
            policies: cert_type.policies().to_vec(),
            qc,
            san,
            crl_dp: Some(format!("http://{}/crl/{}.crl", state.host("pki"), ca.file_stem())),
            ocsp: Some(format!("http://{}/{}", state.host("ocsp"), ca.file_stem())),
            ca_issuers: Some(format!("http://{}/ca/{}.cer", state.host("pki"), ca.file_stem())),
            authority_key_id: true,
            subject_key_id: true,
            extra,
            duplicate: None,
            corrupt_signature: false,
        }
    }

    /// The certificate template, issued under `issuer`.
    pub fn template(&self, subject_key: &TestKey, issuer: &Issued) -> CertTemplate {
        let mut t = CertTemplate::new(0, issuer.name().clone(), self.subject.clone(), self.not_before, self.not_after);
        t.serial = self.serial.clone();
        t.time_encoding = self.time_encoding;
        t.corrupt_signature = self.corrupt_signature;
        let mut exts = Vec::new();
        if self.authority_key_id {
            exts.push(Extension::authority_key_id(&issuer.key_id()));
        }
        if self.subject_key_id {
            exts.push(Extension::subject_key_id(&subject_key.key_id()));
        }
        if !self.key_usage.is_empty() {
            exts.push(Extension::key_usage(&self.key_usage));
        }
        if !self.ext_key_usage.is_empty() {
            exts.push(Extension::ext_key_usage(&self.ext_key_usage));
        }
        if !self.policies.is_empty() {
            exts.push(Extension::policies(&self.policies));
        }
        if !self.san.is_empty() {
            // RFC 5280 §4.2.1.6: critical when the subject is empty.
            let mut e = Extension::subject_alt_name(&self.san);
            e.critical = self.subject.0.is_empty();
            exts.push(e);
        }
        if let Some(u) = &self.crl_dp {
            exts.push(Extension::crl_distribution_point(u));
        }
        if self.ocsp.is_some() || self.ca_issuers.is_some() {
            exts.push(Extension::authority_info_access(self.ocsp.as_deref(), self.ca_issuers.as_deref()));
        }
        if !self.qc.is_empty() {
            exts.push(self.qc.extension());
        }
        exts.extend(self.extra.iter().cloned());
        if let Some(oid) = self.duplicate {
            if let Some(e) = exts.iter().find(|e| e.oid == oid).cloned() {
                exts.push(e);
            }
        }
        t.extensions = exts;
        t
    }

    pub fn issue(&self, subject_key: &TestKey, issuer: &Issued) -> Issued {
        let template = self.template(subject_key, issuer);
        let der = template.issue(subject_key, &issuer.key);
        Issued { template, key: subject_key.clone(), der }
    }
}

/// The cabfOrganizationIdentifier extension (2.23.140.3.1, EV Guidelines §9.8.2):
/// `SEQUENCE { scheme PrintableString, country PrintableString, reference UTF8String }`.
pub fn cabf_organization_identifier(scheme: &str, country: &str, reference: &str) -> Extension {
    use crate::der;
    Extension::new(
        "2.23.140.3.1",
        false,
        der::seq([der::printable(scheme), der::printable(country), der::utf8(reference)]),
    )
}

/// The CA certificates of one state.
#[derive(Debug, Clone)]
pub struct StatePki {
    pub state: State,
    pub root: Issued,
    pub qualified_ca: Issued,
    pub ca: Issued,
}

/// Field-level description of an issuing CA certificate (variants edit it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaSpec {
    pub serial: Serial,
    pub subject: Name,
    pub not_before: OffsetDateTime,
    pub not_after: OffsetDateTime,
    pub ca: bool,
    pub path_len: Option<u8>,
    pub key_usage: Vec<usize>,
    pub crl_dp: Option<String>,
}

impl CaSpec {
    pub fn template(&self, subject_key: &TestKey, issuer: &Issued) -> CertTemplate {
        let mut t = CertTemplate::new(0, issuer.name().clone(), self.subject.clone(), self.not_before, self.not_after);
        t.serial = self.serial.clone();
        t.extensions.push(Extension::authority_key_id(&issuer.key_id()));
        t.extensions.push(Extension::subject_key_id(&subject_key.key_id()));
        t.extensions.push(Extension::basic_constraints(self.ca, self.path_len));
        t.extensions.push(Extension::key_usage(&self.key_usage));
        if let Some(u) = &self.crl_dp {
            t.extensions.push(Extension::crl_distribution_point(u));
        }
        t
    }

    pub fn issue(&self, subject_key: &TestKey, issuer: &Issued) -> Issued {
        let template = self.template(subject_key, issuer);
        let der = template.issue(subject_key, &issuer.key);
        Issued { template, key: subject_key.clone(), der }
    }
}

impl StatePki {
    /// The synthetic PKI of `state`: a P-384 root and two P-256 issuing CAs.
    pub fn build(state: &State) -> StatePki {
        let org = "eidtrust synthetic PKI (TEST ONLY)";
        let root_name = Name::new()
            .with(attr::COUNTRY, state.country)
            .with(attr::ORGANIZATION, org)
            .with(attr::COMMON_NAME, &format!("eidtrust TEST Root CA {}", state.code.to_uppercase()));
        let root_key = TestKey::derive(&format!("{}/root", state.code), Curve::P384);
        let mut rt = CertTemplate::new(0, root_name.clone(), root_name, times::ROOT_FROM, times::ROOT_TO);
        rt.serial = serial_for(&format!("{}/root", state.code));
        rt.extensions = vec![
            Extension::subject_key_id(&root_key.key_id()),
            Extension::basic_constraints(true, None),
            Extension::key_usage(&[ku::KEY_CERT_SIGN, ku::CRL_SIGN]),
        ];
        let root_der = rt.issue(&root_key, &root_key);
        let root = Issued { template: rt, key: root_key, der: root_der };
        let qualified_ca =
            Self::ca_spec(state, IssuingCa::Qualified).issue(&Self::ca_key(state, IssuingCa::Qualified), &root);
        let ca = Self::ca_spec(state, IssuingCa::Ordinary).issue(&Self::ca_key(state, IssuingCa::Ordinary), &root);
        StatePki { state: state.clone(), root, qualified_ca, ca }
    }

    pub fn ca_key(state: &State, which: IssuingCa) -> TestKey {
        TestKey::derive(&format!("{}/{}", state.code, which.file_stem()), Curve::P256)
    }

    /// The valid specification of an issuing CA (variants edit it).
    pub fn ca_spec(state: &State, which: IssuingCa) -> CaSpec {
        let cn = match which {
            IssuingCa::Qualified => format!("eidtrust TEST Qualified CA {}", state.code.to_uppercase()),
            IssuingCa::Ordinary => format!("eidtrust TEST CA {}", state.code.to_uppercase()),
        };
        CaSpec {
            serial: serial_for(&format!("{}/{}", state.code, which.file_stem())),
            subject: Name::new()
                .with(attr::COUNTRY, state.country)
                .with(attr::ORGANIZATION, "eidtrust synthetic PKI (TEST ONLY)")
                .with(attr::COMMON_NAME, &cn),
            not_before: times::CA_FROM,
            not_after: times::CA_TO,
            ca: true,
            path_len: Some(0),
            key_usage: vec![ku::KEY_CERT_SIGN, ku::CRL_SIGN],
            crl_dp: Some(format!("http://{}/crl/root.crl", state.host("pki"))),
        }
    }

    pub fn issuing(&self, which: IssuingCa) -> &Issued {
        match which {
            IssuingCa::Qualified => &self.qualified_ca,
            IssuingCa::Ordinary => &self.ca,
        }
    }

    /// The key of a leaf (one key per label, so each variant has its own).
    pub fn leaf_key(&self, label: &str) -> TestKey {
        TestKey::derive(&format!("{}/leaf/{label}", self.state.code), Curve::P256)
    }

    /// A CRL of `issuer` revoking `revoked` (RFC 5280 §5).
    pub fn crl(
        issuer: &Issued,
        number: u64,
        this: OffsetDateTime,
        next: OffsetDateTime,
        revoked: Vec<Revoked>,
    ) -> CrlTemplate {
        CrlTemplate {
            issuer: issuer.name().clone(),
            this_update: this,
            next_update: next,
            crl_number: number,
            authority_key_id: issuer.key_id(),
            revoked,
            corrupt_signature: false,
        }
    }
}

/// A revocation entry (keyCompromise by default, as a revoked ID card would be).
pub fn revoked(serial: &Serial, at: OffsetDateTime) -> Revoked {
    Revoked { serial: serial.clone(), at, reason: Some(Reason::KeyCompromise) }
}

/// An extension id nobody implements, for the unknown-critical-extension variant (under the
/// `2.999` "example" arc of ITU-T X.660 / ISO/IEC 9834-1, reserved for documentation and tests).
pub const UNKNOWN_EXTENSION_OID: &str = "2.999.7357.1";
