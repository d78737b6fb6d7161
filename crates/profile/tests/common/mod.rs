//! Certificate builders for the profile tests and the pkilint oracle example: each builder makes a
//! certificate that is correct for (type, profile); tests then break it in exactly one way.
#![allow(dead_code)]

use eidtrust_profile::ident::jmbg_check_digit;
use eidtrust_profile::oids;
use eidtrust_profile::qcs::encode::{self, oid, seq, statement, tlv};
use eidtrust_profile::CertType;
use rcgen::{
    date_time_ymd, BasicConstraints, Certificate, CertificateParams, CustomExtension, DnType, DnValue,
    ExtendedKeyUsagePurpose, IsCa, KeyPair, KeyUsagePurpose, SanType, SerialNumber,
};

pub fn arcs(dotted: &str) -> Vec<u64> {
    dotted.split('.').map(|a| a.parse().unwrap()).collect()
}

pub fn printable(s: &str) -> DnValue {
    DnValue::PrintableString(s.try_into().unwrap())
}

/// A certificatePolicies value with the given OIDs.
pub fn policies(list: &[&str]) -> Vec<u8> {
    seq(&list.iter().map(|p| seq(&[oid(p)])).collect::<Vec<_>>())
}

pub fn aia() -> Vec<u8> {
    seq(&[
        seq(&[oid("1.3.6.1.5.5.7.48.2"), tlv(0x86, b"http://pki.example.com/ca.cer")]),
        seq(&[oid("1.3.6.1.5.5.7.48.1"), tlv(0x86, b"http://ocsp.example.com")]),
    ])
}

pub fn crldp() -> Vec<u8> {
    // DistributionPoint { distributionPoint [0] { fullName [0] { URI } } }
    seq(&[seq(&[tlv(0xa0, &tlv(0xa0, &tlv(0x86, b"http://pki.example.com/ca.crl")))])])
}

/// A valid JMBG for a fixed date/region, with serial `serial`.
pub fn valid_jmbg(region: &str) -> String {
    for serial in 0..1000 {
        let p = format!("0101990{region}{serial:03}");
        if let Some(k) = jmbg_check_digit(&p) {
            return format!("{p}{k}");
        }
    }
    unreachable!()
}

pub struct Issuer {
    pub cert: Certificate,
    pub key: KeyPair,
}

pub fn issuer(cc: &str) -> Issuer {
    let key = KeyPair::generate().unwrap();
    let mut p = CertificateParams::default();
    p.distinguished_name.push(DnType::CountryName, printable(cc));
    p.distinguished_name.push(DnType::OrganizationName, "Test QTSP");
    p.distinguished_name
        .push(DnType::CustomDnType(arcs(oids::AT_ORGANIZATION_IDENTIFIER)), format!("VAT{cc}-12345678"));
    p.distinguished_name.push(DnType::CommonName, "Test Qualified CA");
    p.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
    p.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    p.not_before = date_time_ymd(2024, 1, 1);
    p.not_after = date_time_ymd(2034, 1, 1);
    p.serial_number = Some(SerialNumber::from(vec![0x01]));
    let cert = p.self_signed(&key).unwrap();
    Issuer { cert, key }
}

/// What a leaf is made of; tests edit these fields to break one thing.
pub struct Leaf {
    pub params: CertificateParams,
    pub policies: Vec<String>,
    /// QCStatements (each an encoded QCStatement); `None` leaves the extension out.
    pub qcs: Option<Vec<Vec<u8>>>,
    pub qcs_critical: bool,
    pub aia: bool,
    /// keyUsage bits, DER-encoded by [`key_usage_der`] (rcgen keeps trailing zero bits, which is
    /// not DER); empty leaves the extension out.
    pub ku: Vec<KeyUsagePurpose>,
}

/// keyUsage as DER: a named bit list without trailing zero bits (X.690 §11.2.2).
pub fn key_usage_der(ku: &[KeyUsagePurpose]) -> Vec<u8> {
    let mut bits: u16 = 0;
    for k in ku {
        let pos = match k {
            KeyUsagePurpose::DigitalSignature => 0,
            KeyUsagePurpose::ContentCommitment => 1,
            KeyUsagePurpose::KeyEncipherment => 2,
            KeyUsagePurpose::DataEncipherment => 3,
            KeyUsagePurpose::KeyAgreement => 4,
            KeyUsagePurpose::KeyCertSign => 5,
            KeyUsagePurpose::CrlSign => 6,
            KeyUsagePurpose::EncipherOnly => 7,
            KeyUsagePurpose::DecipherOnly => 8,
        };
        bits |= 0x8000 >> pos;
    }
    let highest = (0..16).rev().find(|i| bits & (0x8000 >> i) != 0).unwrap_or(0);
    let nbytes = highest / 8 + 1;
    let unused = (8 * nbytes - highest - 1) as u8;
    let bytes = bits.to_be_bytes();
    let mut v = vec![unused];
    v.extend_from_slice(&bytes[..nbytes]);
    tlv(0x03, &v)
}

/// A correct leaf of `ty` for a profile of country `cc` (`eu` selects the EU QCStatements rules).
pub fn leaf(ty: CertType, cc: &str, eu: bool, national_id: Option<String>) -> Leaf {
    let mut p = CertificateParams::default();
    p.not_before = date_time_ymd(2025, 1, 1);
    p.not_after = date_time_ymd(2027, 1, 1);
    p.serial_number = Some(SerialNumber::from(vec![0x10, 0x20, 0x30, 0x40]));
    // NoCa: no basicConstraints (rcgen would encode the DEFAULT cA FALSE, which is not DER) and no
    // SKI from rcgen; build() adds a SKI.
    p.is_ca = IsCa::NoCa;
    p.use_authority_key_identifier_extension = true;
    let dn = &mut p.distinguished_name;
    dn.push(DnType::CountryName, printable(cc));
    match ty {
        CertType::QualifiedEsig | CertType::Esig | CertType::Auth => {
            dn.push(DnType::CustomDnType(arcs(oids::AT_GIVEN_NAME)), "Petar");
            dn.push(DnType::CustomDnType(arcs(oids::AT_SURNAME)), "Petrović");
            let serial = national_id.unwrap_or_else(|| format!("PAS{cc}-AB123456"));
            dn.push(DnType::CustomDnType(arcs(oids::AT_SERIAL_NUMBER)), printable(&serial));
            dn.push(DnType::CommonName, "Petar Petrović");
        }
        CertType::QualifiedEseal | CertType::Eseal => {
            dn.push(DnType::OrganizationName, "Example d.o.o.");
            let org = national_id.unwrap_or_else(|| format!("NTR{cc}-1234567"));
            dn.push(DnType::CustomDnType(arcs(oids::AT_ORGANIZATION_IDENTIFIER)), org);
            dn.push(DnType::CommonName, "Example e-seal");
        }
        CertType::Qwac => {
            dn.push(DnType::OrganizationName, "Example d.o.o.");
            dn.push(DnType::CustomDnType(arcs(oids::AT_ORGANIZATION_IDENTIFIER)), format!("NTR{cc}-1234567"));
            dn.push(DnType::CommonName, "www.example.test");
            p.subject_alt_names = vec![SanType::DnsName("www.example.test".try_into().unwrap())];
            p.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        }
    }
    let ku = match ty {
        CertType::Qwac | CertType::Auth => vec![KeyUsagePurpose::DigitalSignature],
        _ => vec![KeyUsagePurpose::ContentCommitment],
    };
    let (policy, qctype): (&str, Option<&str>) = match ty {
        CertType::QualifiedEsig => (oids::QCP_NATURAL_QSCD, Some(oids::QCT_ESIGN)),
        CertType::QualifiedEseal => (oids::QCP_LEGAL, Some(oids::QCT_ESEAL)),
        CertType::Qwac => (oids::QCP_WEB, Some(oids::QCT_WEB)),
        CertType::Auth | CertType::Esig => (oids::NCP_PLUS, None),
        CertType::Eseal => (oids::LCP, None),
    };
    let qcs = qctype.map(|t| {
        let mut v = vec![statement(oids::QCS_COMPLIANCE, None)];
        if ty == CertType::QualifiedEsig {
            v.push(statement(oids::QCS_SSCD, None));
        }
        v.push(encode::qc_type(&[t]));
        v.push(encode::qc_pds(&[("https://pds.example.test/en.pdf", "en")]));
        let sem = if ty == CertType::QualifiedEsig { oids::SEMANTICS_NATURAL } else { oids::SEMANTICS_LEGAL };
        v.push(encode::semantics(sem));
        if !eu {
            v.push(encode::qc_cc_legislation(&[cc]));
        }
        v
    });
    Leaf { params: p, policies: vec![policy.to_string()], qcs, qcs_critical: false, aia: true, ku }
}

impl Leaf {
    pub fn build(mut self, iss: &Issuer) -> Vec<u8> {
        let key = KeyPair::generate().unwrap();
        let mut exts = Vec::new();
        let raw = key.public_key_raw();
        let ski: Vec<u8> = raw.iter().rev().take(20).copied().collect();
        exts.push(CustomExtension::from_oid_content(&arcs(oids::EXT_SUBJECT_KEY_ID), tlv(0x04, &ski)));
        if !self.ku.is_empty() {
            let mut e = CustomExtension::from_oid_content(&arcs(oids::EXT_KEY_USAGE), key_usage_der(&self.ku));
            e.set_criticality(true);
            exts.push(e);
        }
        if !self.policies.is_empty() {
            let l: Vec<&str> = self.policies.iter().map(String::as_str).collect();
            exts.push(CustomExtension::from_oid_content(&arcs(oids::EXT_CERTIFICATE_POLICIES), policies(&l)));
        }
        if self.aia {
            exts.push(CustomExtension::from_oid_content(&arcs(oids::EXT_AUTHORITY_INFO_ACCESS), aia()));
        }
        exts.push(CustomExtension::from_oid_content(&arcs(oids::EXT_CRL_DISTRIBUTION_POINTS), crldp()));
        if let Some(q) = &self.qcs {
            let mut e = CustomExtension::from_oid_content(&arcs(oids::EXT_QC_STATEMENTS), seq(q));
            e.set_criticality(self.qcs_critical);
            exts.push(e);
        }
        self.params.custom_extensions.extend(exts);
        self.params.signed_by(&key, &iss.cert, &iss.key).unwrap().der().to_vec()
    }
}
