//! ETSI certificate profile material: certificate types, QCStatements (EN 319 412-5) and
//! certificate policy OIDs (EN 319 411-1/-2).

use crate::der;
use crate::x509::{ext, Extension};

/// ETSI EN 319 412-5 §4 and RFC 3739 §3.2.6 statement ids.
pub mod qcs {
    /// id-etsi-qcs-QcCompliance (EN 319 412-5 §4.2.1).
    pub const COMPLIANCE: &str = "0.4.0.1862.1.1";
    /// id-etsi-qcs-QcSSCD (EN 319 412-5 §4.2.2).
    pub const SSCD: &str = "0.4.0.1862.1.4";
    /// id-etsi-qcs-QcPDS (EN 319 412-5 §4.3.4).
    pub const PDS: &str = "0.4.0.1862.1.5";
    /// id-etsi-qcs-QcType (EN 319 412-5 §4.2.3).
    pub const TYPE: &str = "0.4.0.1862.1.6";
    pub const TYPE_ESIGN: &str = "0.4.0.1862.1.6.1";
    pub const TYPE_ESEAL: &str = "0.4.0.1862.1.6.2";
    pub const TYPE_WEB: &str = "0.4.0.1862.1.6.3";
    /// id-etsi-qcs-QcCClegislation (EN 319 412-5 §4.2.4).
    pub const CC_LEGISLATION: &str = "0.4.0.1862.1.7";
    /// id-qcs-pkixQCSyntax-v2 (RFC 3739 §3.2.6.1), carrying the semantics identifier.
    pub const PKIX_QC_SYNTAX_V2: &str = "1.3.6.1.5.5.7.11.2";
    /// id-etsi-qcs-semanticsId-Natural (EN 319 412-1 §5.1.3).
    pub const SEMANTICS_NATURAL: &str = "0.4.0.194121.1.1";
    /// id-etsi-qcs-semanticsId-Legal (EN 319 412-1 §5.1.4).
    pub const SEMANTICS_LEGAL: &str = "0.4.0.194121.1.2";
}

/// Certificate policy OIDs.
pub mod policy {
    /// QCP-n (EN 319 411-2 §5.3): qualified, natural person.
    pub const QCP_N: &str = "0.4.0.194112.1.0";
    /// QCP-l: qualified, legal person.
    pub const QCP_L: &str = "0.4.0.194112.1.1";
    /// QCP-n-qscd: qualified, natural person, key on a QSCD.
    pub const QCP_N_QSCD: &str = "0.4.0.194112.1.2";
    /// QCP-l-qscd: qualified, legal person, key on a QSCD.
    pub const QCP_L_QSCD: &str = "0.4.0.194112.1.3";
    /// QCP-w: qualified website authentication.
    pub const QCP_W: &str = "0.4.0.194112.1.4";
    /// NCP (EN 319 411-1 §5.3): normalized certificate policy.
    pub const NCP: &str = "0.4.0.2042.1.1";
    /// NCP+: NCP with the key on a secure cryptographic device.
    pub const NCP_PLUS: &str = "0.4.0.2042.1.2";
    /// OVCP: organisation-validated website certificate policy.
    pub const OVCP: &str = "0.4.0.2042.1.7";
    /// EVCP: extended-validation website certificate policy.
    pub const EVCP: &str = "0.4.0.2042.1.4";
    /// CA/B Forum EV reserved policy (EV Guidelines §9.3.4).
    pub const CABF_EV: &str = "2.23.140.1.1";
}

/// The certificate types of issue 3 (the `--type` values of `eidtrust cert lint`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CertType {
    QualifiedEsig,
    QualifiedEseal,
    Qwac,
    Auth,
    Esig,
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

    pub fn is_qualified(self) -> bool {
        matches!(self, CertType::QualifiedEsig | CertType::QualifiedEseal | CertType::Qwac)
    }

    /// Natural-person subject (EN 319 412-2) or legal-person subject (EN 319 412-3; QWACs are
    /// issued to organisations here, EN 319 412-4).
    pub fn is_natural_person(self) -> bool {
        matches!(self, CertType::QualifiedEsig | CertType::Auth | CertType::Esig)
    }

    /// The policy OIDs a valid certificate of this type carries.
    pub fn policies(self) -> &'static [&'static str] {
        match self {
            CertType::QualifiedEsig => &[policy::QCP_N_QSCD],
            CertType::QualifiedEseal => &[policy::QCP_L_QSCD],
            CertType::Qwac => &[policy::CABF_EV, policy::QCP_W],
            CertType::Auth => &[policy::NCP],
            CertType::Esig => &[policy::NCP_PLUS],
            CertType::Eseal => &[policy::NCP],
        }
    }

    /// Key usage bits: non-repudiation for signatures and seals (EN 319 412-2 §4.3.2, -3 §4.2.1),
    /// digitalSignature for authentication and website certificates (EN 319 412-4 §4.3.1 with
    /// ECDSA keys).
    pub fn key_usage(self) -> &'static [usize] {
        use crate::x509::ku;
        match self {
            CertType::QualifiedEsig | CertType::QualifiedEseal | CertType::Esig | CertType::Eseal => {
                &[ku::NON_REPUDIATION]
            }
            CertType::Qwac | CertType::Auth => &[ku::DIGITAL_SIGNATURE],
        }
    }

    /// Extended key usages (EN 319 412-4 §4.3.1: id-kp-serverAuth for a QWAC).
    pub fn ext_key_usage(self) -> &'static [&'static str] {
        match self {
            CertType::Qwac => &[ext::KP_SERVER_AUTH],
            CertType::Auth => &[ext::KP_CLIENT_AUTH],
            _ => &[],
        }
    }

    /// The QcType of a qualified certificate of this type.
    pub fn qc_type(self) -> Option<&'static str> {
        match self {
            CertType::QualifiedEsig => Some(qcs::TYPE_ESIGN),
            CertType::QualifiedEseal => Some(qcs::TYPE_ESEAL),
            CertType::Qwac => Some(qcs::TYPE_WEB),
            _ => None,
        }
    }
}

/// The QCStatements of one certificate, as fields (EN 319 412-5 §4).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QcStatements {
    /// Semantics identifier in an id-qcs-pkixQCSyntax-v2 statement (EN 319 412-1 §5.1.3/§5.1.4).
    pub semantics: Option<&'static str>,
    pub compliance: bool,
    pub sscd: bool,
    /// QcType ids, in order (exactly one for a valid qualified certificate).
    pub types: Vec<&'static str>,
    /// QcPDS locations: (https URL, ISO 639-1 language).
    pub pds: Vec<(String, String)>,
    /// QcCClegislation country codes.
    pub cc_legislation: Vec<String>,
}

impl QcStatements {
    pub fn is_empty(&self) -> bool {
        self.semantics.is_none()
            && !self.compliance
            && !self.sscd
            && self.types.is_empty()
            && self.pds.is_empty()
            && self.cc_legislation.is_empty()
    }

    /// `QCStatements ::= SEQUENCE OF QCStatement` (RFC 3739 §3.2.6), statements in the order
    /// commonly seen in qualified certificates.
    pub fn to_der(&self) -> Vec<u8> {
        let mut st = Vec::new();
        if let Some(sem) = self.semantics {
            // SemanticsInformation ::= SEQUENCE { semanticsIdentifier OID OPTIONAL, nameRegistrationAuthorities OPTIONAL }
            st.push(der::seq([der::oid(qcs::PKIX_QC_SYNTAX_V2), der::seq([der::oid(sem)])]));
        }
        if self.compliance {
            st.push(der::seq([der::oid(qcs::COMPLIANCE)]));
        }
        if self.sscd {
            st.push(der::seq([der::oid(qcs::SSCD)]));
        }
        if !self.types.is_empty() {
            st.push(der::seq([der::oid(qcs::TYPE), der::seq(self.types.iter().map(|t| der::oid(t)))]));
        }
        if !self.pds.is_empty() {
            let locations = self.pds.iter().map(|(url, lang)| der::seq([der::ia5(url), der::printable(lang)]));
            st.push(der::seq([der::oid(qcs::PDS), der::seq(locations)]));
        }
        if !self.cc_legislation.is_empty() {
            let ccs = self.cc_legislation.iter().map(|c| der::printable(c));
            st.push(der::seq([der::oid(qcs::CC_LEGISLATION), der::seq(ccs)]));
        }
        der::seq(st)
    }

    pub fn extension(&self) -> Extension {
        Extension::new(ext::QC_STATEMENTS, false, self.to_der())
    }
}
