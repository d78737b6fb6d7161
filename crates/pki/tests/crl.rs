//! CRL parsing and RFC 5280 §6.3 revocation checking.
//!
//! - The x509-limbo `crl::*` cases, run through `crl::check` directly (the certificate and its
//!   issuer from the case, every CRL of the case).
//! - Hand-built CRLs mirroring NIST PKITS 4.4 (basic CRL processing), 4.14 (distribution points)
//!   and 4.15 (delta CRLs); each test is named after the PKITS case it mirrors. Certificates are
//!   made with rcgen; CRLs with a small DER writer below (rcgen cannot express delta CRLs,
//!   indirect CRLs, certificateIssuer entries or onlySomeReasons) and signed with ring.

use eidtrust_pki as pki;
use pki::budget::{Budget, Limits};
use pki::cert::Certificate;
use pki::crl::{check, Crl, CrlContext, CrlError, RevocationStatus, FINDINGS};
use pki::crypto::RingVerifier;
use pki::input::{self, Kind};
use pki::name::Name;
use rcgen::{
    BasicConstraints, CertificateParams, CustomExtension, DistinguishedName, DnType, IsCa, KeyPair, KeyUsagePurpose,
    SerialNumber,
};
use ring::rand::SystemRandom;
use ring::signature::{EcdsaKeyPair, ECDSA_P256_SHA256_ASN1_SIGNING};

/// 2024-01-01T00:00:00Z, the validation time of the hand-built cases.
const T: i64 = 1_704_067_200;
const DAY: i64 = 86_400;

// ---------------------------------------------------------------------------------------------
// A small DER writer
// ---------------------------------------------------------------------------------------------

fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut v = vec![tag];
    let n = content.len();
    if n < 128 {
        v.push(n as u8);
    } else {
        let b: Vec<u8> = n.to_be_bytes().iter().copied().skip_while(|x| *x == 0).collect();
        v.push(0x80 | b.len() as u8);
        v.extend(b);
    }
    v.extend_from_slice(content);
    v
}

fn seq(parts: &[Vec<u8>]) -> Vec<u8> {
    tlv(0x30, &parts.concat())
}

/// A non-negative INTEGER from big-endian magnitude bytes.
fn int(mag: &[u8]) -> Vec<u8> {
    let mut m: Vec<u8> = mag.iter().copied().skip_while(|x| *x == 0).collect();
    if m.is_empty() || m[0] >= 0x80 {
        m.insert(0, 0);
    }
    tlv(0x02, &m)
}

fn uint(n: u64) -> Vec<u8> {
    int(&n.to_be_bytes())
}

fn oid(s: &str) -> Vec<u8> {
    let arcs: Vec<u64> = s.split('.').map(|a| a.parse().unwrap()).collect();
    let mut out = vec![(arcs[0] * 40 + arcs[1]) as u8];
    for &a in &arcs[2..] {
        let mut tmp = vec![(a & 0x7F) as u8];
        let mut a = a >> 7;
        while a > 0 {
            tmp.push(0x80 | (a & 0x7F) as u8);
            a >>= 7;
        }
        tmp.reverse();
        out.extend(tmp);
    }
    tlv(0x06, &out)
}

/// UTCTime for 1950-2049, GeneralizedTime otherwise (RFC 5280 §5.1.2.4).
fn time(t: i64) -> Vec<u8> {
    let s = pki::crl::fmt_time(t); // YYYY-MM-DDTHH:MM:SSZ
    let digits: String = s.chars().filter(|c| c.is_ascii_digit()).collect();
    let year: i64 = digits[..4].parse().unwrap();
    if (1950..2050).contains(&year) {
        tlv(0x17, format!("{}Z", &digits[2..]).as_bytes())
    } else {
        gen_time(t)
    }
}

fn gen_time(t: i64) -> Vec<u8> {
    let s = pki::crl::fmt_time(t);
    let digits: String = s.chars().filter(|c| c.is_ascii_digit()).collect();
    tlv(0x18, format!("{digits}Z").as_bytes())
}

fn ext(id: &str, critical: bool, value: &[u8]) -> Vec<u8> {
    let mut parts = vec![oid(id)];
    if critical {
        parts.push(vec![0x01, 0x01, 0xFF]);
    }
    parts.push(tlv(0x04, value));
    seq(&parts)
}

/// A Name with one commonName RDN.
fn name_cn(cn: &str) -> Vec<u8> {
    seq(&[tlv(0x31, &seq(&[oid("2.5.4.3"), tlv(0x0C, cn.as_bytes())]))])
}

fn dir_name(name_der: &[u8]) -> Vec<u8> {
    tlv(0xA4, name_der)
}

fn uri(s: &str) -> Vec<u8> {
    tlv(0x86, s.as_bytes())
}

/// ReasonFlags BIT STRING contents (bit n of `mask` = named bit n).
fn reason_bits(mask: u16) -> Vec<u8> {
    let highest = 15 - mask.leading_zeros() as usize;
    let mut bytes = vec![0u8; highest / 8 + 1];
    for n in 0..16 {
        if mask & (1 << n) != 0 {
            bytes[n / 8] |= 0x80 >> (n % 8);
        }
    }
    let mut v = vec![(7 - highest % 8) as u8];
    v.extend(bytes);
    v
}

const KEY_COMPROMISE: u16 = 1 << 1;
const CA_COMPROMISE: u16 = 1 << 2;

/// A DistributionPointName: `[0]` fullName or `[1]` nameRelativeToCRLIssuer (a commonName).
enum DpName<'a> {
    Full(Vec<Vec<u8>>),
    RelativeCn(&'a str),
}

fn dp_name(n: &DpName) -> Vec<u8> {
    match n {
        DpName::Full(names) => tlv(0xA0, &names.concat()),
        DpName::RelativeCn(cn) => tlv(0xA1, &seq(&[oid("2.5.4.3"), tlv(0x0C, cn.as_bytes())])),
    }
}

/// One DistributionPoint of cRLDistributionPoints.
fn dist_point(name: Option<DpName>, reasons: Option<u16>, crl_issuer: Option<&[u8]>) -> Vec<u8> {
    let mut parts = Vec::new();
    if let Some(n) = name {
        parts.push(tlv(0xA0, &dp_name(&n)));
    }
    if let Some(r) = reasons {
        parts.push(tlv(0x81, &reason_bits(r)));
    }
    if let Some(i) = crl_issuer {
        parts.push(tlv(0xA2, &dir_name(i)));
    }
    seq(&parts)
}

#[derive(Default)]
struct Idp<'a> {
    name: Option<DpName<'a>>,
    only_user: bool,
    only_ca: bool,
    reasons: Option<u16>,
    indirect: bool,
    only_attr: bool,
}

fn idp(i: Idp) -> Vec<u8> {
    let t = [0xFFu8];
    let mut parts = Vec::new();
    if let Some(n) = &i.name {
        parts.push(tlv(0xA0, &dp_name(n)));
    }
    if i.only_user {
        parts.push(tlv(0x81, &t));
    }
    if i.only_ca {
        parts.push(tlv(0x82, &t));
    }
    if let Some(r) = i.reasons {
        parts.push(tlv(0x83, &reason_bits(r)));
    }
    if i.indirect {
        parts.push(tlv(0x84, &t));
    }
    if i.only_attr {
        parts.push(tlv(0x85, &t));
    }
    seq(&parts)
}

// ---------------------------------------------------------------------------------------------
// Keys, certificates and CRLs
// ---------------------------------------------------------------------------------------------

struct Ca {
    key: KeyPair,
    rc: rcgen::Certificate,
    cert: Certificate,
    signer: EcdsaKeyPair,
}

fn params(cn: &str, serial: &[u8]) -> CertificateParams {
    let mut p = CertificateParams::new(Vec::<String>::new()).unwrap();
    p.not_before = rcgen::date_time_ymd(2020, 1, 1);
    p.not_after = rcgen::date_time_ymd(2030, 1, 1);
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CommonName, cn);
    p.distinguished_name = dn;
    p.serial_number = Some(SerialNumber::from(serial.to_vec()));
    p
}

fn crldp_ext(points: Vec<Vec<u8>>) -> CustomExtension {
    CustomExtension::from_oid_content(&[2, 5, 29, 31], seq(&points))
}

/// A CA named `cn`, self-signed or issued by `issuer`, with keyUsage `ku` (None: no keyUsage).
fn ca(cn: &str, issuer: Option<&Ca>, ku: Option<Vec<KeyUsagePurpose>>) -> Ca {
    ca_with_serial(cn, issuer, ku, &[0x10, cn.len() as u8])
}

fn ca_with_serial(cn: &str, issuer: Option<&Ca>, ku: Option<Vec<KeyUsagePurpose>>, serial: &[u8]) -> Ca {
    let key = KeyPair::generate().unwrap();
    let mut p = params(cn, serial);
    p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    p.key_usages = ku.unwrap_or_default();
    let rc = match issuer {
        None => p.self_signed(&key).unwrap(),
        Some(i) => p.signed_by(&key, &i.rc, &i.key).unwrap(),
    };
    let cert = Certificate::from_der(rc.der()).unwrap();
    let signer =
        EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_ASN1_SIGNING, &key.serialize_der(), &SystemRandom::new()).unwrap();
    Ca { key, rc, cert, signer }
}

fn full_ca(cn: &str, issuer: Option<&Ca>) -> Ca {
    ca(
        cn,
        issuer,
        Some(vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign, KeyUsagePurpose::DigitalSignature]),
    )
}

/// An end-entity certificate (or a CA when `is_ca`) with the given serial and CRLDP.
fn leaf(issuer: &Ca, serial: &[u8], dps: Option<Vec<Vec<u8>>>) -> Certificate {
    let key = KeyPair::generate().unwrap();
    let mut p = params("leaf", serial);
    p.is_ca = IsCa::ExplicitNoCa;
    if let Some(d) = dps {
        p.custom_extensions.push(crldp_ext(d));
    }
    Certificate::from_der(p.signed_by(&key, &issuer.rc, &issuer.key).unwrap().der()).unwrap()
}

struct Entry {
    serial: Vec<u8>,
    reason: Option<u8>,
    cert_issuer: Option<Vec<u8>>,
    exts: Vec<Vec<u8>>,
}

fn revoked(serial: &[u8]) -> Entry {
    Entry { serial: serial.to_vec(), reason: None, cert_issuer: None, exts: Vec::new() }
}

fn revoked_for(serial: &[u8], reason: u8) -> Entry {
    Entry { reason: Some(reason), ..revoked(serial) }
}

struct CrlSpec {
    issuer: Vec<u8>,
    this_update: Vec<u8>,
    next_update: Option<Vec<u8>>,
    number: Option<Vec<u8>>,
    number_critical: bool,
    delta_base: Option<u64>,
    idp: Option<Vec<u8>>,
    aki: Option<Vec<u8>>,
    exts: Vec<Vec<u8>>,
    entries: Vec<Entry>,
}

impl CrlSpec {
    fn new(issuer: &Ca) -> CrlSpec {
        CrlSpec {
            issuer: issuer.cert.subject.der().to_vec(),
            this_update: time(T - DAY),
            next_update: Some(time(T + 30 * DAY)),
            number: Some(uint(1)),
            number_critical: false,
            delta_base: None,
            idp: None,
            aki: issuer.cert.ski().map(|s| s.to_vec()),
            exts: Vec::new(),
            entries: Vec::new(),
        }
    }
    fn number(mut self, n: u64) -> Self {
        self.number = Some(uint(n));
        self
    }
    fn delta(mut self, base: u64) -> Self {
        self.delta_base = Some(base);
        self
    }
    fn idp(mut self, i: Idp) -> Self {
        self.idp = Some(idp(i));
        self
    }
    fn entry(mut self, e: Entry) -> Self {
        self.entries.push(e);
        self
    }

    fn tbs(&self) -> Vec<u8> {
        let mut exts = Vec::new();
        if let Some(a) = &self.aki {
            exts.push(ext("2.5.29.35", false, &seq(&[tlv(0x80, a)])));
        }
        if let Some(n) = &self.number {
            exts.push(ext("2.5.29.20", self.number_critical, n));
        }
        if let Some(b) = self.delta_base {
            exts.push(ext("2.5.29.27", true, &uint(b)));
        }
        if let Some(i) = &self.idp {
            exts.push(ext("2.5.29.28", true, i));
        }
        exts.extend(self.exts.iter().cloned());
        let mut parts =
            vec![uint(1), seq(&[oid("1.2.840.10045.4.3.2")]), self.issuer.clone(), self.this_update.clone()];
        if let Some(n) = &self.next_update {
            parts.push(n.clone());
        }
        if !self.entries.is_empty() {
            let entries: Vec<Vec<u8>> = self
                .entries
                .iter()
                .map(|e| {
                    let mut x = Vec::new();
                    if let Some(r) = e.reason {
                        x.push(ext("2.5.29.21", false, &tlv(0x0A, &[r])));
                    }
                    if let Some(i) = &e.cert_issuer {
                        x.push(ext("2.5.29.29", true, &seq(&[dir_name(i)])));
                    }
                    x.extend(e.exts.iter().cloned());
                    let mut p = vec![tlv(0x02, &e.serial), time(T - 10 * DAY)];
                    if !x.is_empty() {
                        p.push(seq(&x));
                    }
                    seq(&p)
                })
                .collect();
            parts.push(seq(&entries));
        }
        if !exts.is_empty() {
            parts.push(tlv(0xA0, &seq(&exts)));
        }
        seq(&parts)
    }

    fn sign(&self, by: &Ca) -> Vec<u8> {
        let tbs = self.tbs();
        let sig = by.signer.sign(&SystemRandom::new(), &tbs).unwrap();
        let mut bits = vec![0u8];
        bits.extend_from_slice(sig.as_ref());
        seq(&[tbs, seq(&[oid("1.2.840.10045.4.3.2")]), tlv(0x03, &bits)])
    }
}

// ---------------------------------------------------------------------------------------------
// Running checks
// ---------------------------------------------------------------------------------------------

fn status_with(
    cert: &Certificate,
    issuer: &Certificate,
    crls: &[Vec<u8>],
    signers: &[&Certificate],
    time: i64,
    limits: Limits,
) -> RevocationStatus {
    let crls: Vec<Crl> = crls.iter().map(|d| Crl::from_der(d).expect("test CRL parses")).collect();
    // Stands in for the validator: a certificate of that name (and key id) that has cRLSign.
    let finder = |name: &Name, aki: Option<&[u8]>| {
        signers.iter().find(|c| c.subject.matches(name) && aki.is_none_or(|a| c.ski() == Some(a))).map(|c| (*c).clone())
    };
    let ctx = CrlContext { crls: &crls, time, verifier: &RingVerifier, find_crl_signer: &finder };
    let mut budget = Budget::new(limits);
    check(cert, issuer, &ctx, &mut budget)
}

fn status(cert: &Certificate, issuer: &Ca, crls: &[Vec<u8>]) -> RevocationStatus {
    status_with(cert, &issuer.cert, crls, &[], T, Limits::default())
}

#[track_caller]
fn assert_good(s: &RevocationStatus) {
    assert_eq!(s, &RevocationStatus::Good, "expected good, got {s:#?}");
}

#[track_caller]
fn assert_revoked(s: &RevocationStatus, reason: Option<u8>, crl_index: usize) {
    match s {
        RevocationStatus::Revoked { reason: r, crl_index: i, .. } => {
            assert_eq!((*r, *i), (reason, crl_index), "{s:?}")
        }
        _ => panic!("expected revoked, got {s:#?}"),
    }
}

#[track_caller]
fn assert_unknown(s: &RevocationStatus, id: &str) {
    match s {
        RevocationStatus::Unknown(p) => {
            assert!(p.iter().any(|p| p.finding_id() == id), "expected {id} among {:#?}", p);
            for p in p {
                assert!(FINDINGS.iter().any(|d| d.id == p.finding_id()));
                let msg = p.to_string();
                assert!(msg.starts_with("revocation of CN="), "message names the certificate: {msg}");
            }
        }
        _ => panic!("expected unknown ({id}), got {s:#?}"),
    }
}

// ---------------------------------------------------------------------------------------------
// x509-limbo crl::*
// ---------------------------------------------------------------------------------------------

fn limbo_path() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/vectors/x509-limbo/limbo.json")
}

/// Days since 1970-01-01 of a civil date (Howard Hinnant's days_from_civil).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// `YYYY-MM-DDTHH:MM:SS` followed by `Z` or `+00:00` (all limbo times are UTC).
fn parse_utc(s: &str) -> i64 {
    let n = |a: usize, b: usize| s[a..b].parse::<i64>().unwrap();
    assert!(s[19..].is_empty() || &s[19..] == "Z" || &s[19..] == "+00:00", "{s}");
    days_from_civil(n(0, 4), n(5, 7), n(8, 10)) * DAY + n(11, 13) * 3600 + n(14, 16) * 60 + n(17, 19)
}

fn pem_certs(pem: &str) -> Vec<Certificate> {
    input::read(pem.as_bytes(), Kind::Certificate).unwrap().iter().map(|d| Certificate::from_der(d).unwrap()).collect()
}

#[test]
fn limbo_crl_cases() {
    let path = limbo_path();
    let Ok(text) = std::fs::read_to_string(&path) else {
        if std::env::var("EIDTRUST_REQUIRE_SHARED").as_deref() == Ok("1") {
            panic!("{} is missing and EIDTRUST_REQUIRE_SHARED=1", path.display());
        }
        eprintln!("notice: {} not found; skipping the limbo CRL cases", path.display());
        return;
    };
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    let mut ran = 0;
    let mut failures = Vec::new();
    for case in doc["testcases"].as_array().unwrap() {
        let id = case["id"].as_str().unwrap();
        if !id.starts_with("crl::") {
            continue;
        }
        ran += 1;
        let anchors: Vec<Certificate> =
            case["trusted_certs"].as_array().unwrap().iter().flat_map(|p| pem_certs(p.as_str().unwrap())).collect();
        let intermediates: Vec<Certificate> = case["untrusted_intermediates"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|p| pem_certs(p.as_str().unwrap()))
            .collect();
        let leaf = pem_certs(case["peer_certificate"].as_str().unwrap()).remove(0);
        let issuer = anchors
            .iter()
            .chain(&intermediates)
            .find(|c| c.subject.matches(&leaf.issuer))
            .unwrap_or_else(|| panic!("{id}: no issuer"));
        let crls: Vec<Vec<u8>> = case["crls"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|p| input::read(p.as_str().unwrap().as_bytes(), Kind::Crl).unwrap())
            .collect();
        let signers: Vec<&Certificate> = anchors.iter().chain(&intermediates).collect();
        let time = parse_utc(case["validation_time"].as_str().unwrap());
        let s = status_with(&leaf, issuer, &crls, &signers, time, Limits::default());
        let actual = if s == RevocationStatus::Good { "SUCCESS" } else { "FAILURE" };
        let expected = case["expected_result"].as_str().unwrap();
        eprintln!("{id}: expected {expected}, got {actual}: {s:?}");
        if actual != expected {
            failures.push(format!("{id}: expected {expected}, got {s:?}"));
        }
        // The reason is the one the case is about.
        let want = match id {
            "crl::crlnumber-missing" => Some("rfc5280.crl.number-missing"),
            "crl::crlnumber-critical" => Some("rfc5280.crl.number-critical"),
            "crl::issuer-missing-crlsign" => Some("rfc5280.crl.signer-lacks-crl-sign"),
            _ => None,
        };
        if let Some(want) = want {
            assert_unknown(&s, want);
        }
        if id == "crl::revoked-certificate-with-crl" {
            assert!(matches!(s, RevocationStatus::Revoked { crl_index: 0, .. }));
        }
    }
    assert_eq!(ran, 8, "the limbo file has 8 crl:: cases");
    assert!(failures.is_empty(), "{failures:#?}");
}

// ---------------------------------------------------------------------------------------------
// PKITS 4.4: basic CRL processing
// ---------------------------------------------------------------------------------------------

#[test]
fn pkits_4_4_1_invalid_missing_crl() {
    let root = full_ca("Trust Anchor", None);
    let ee = leaf(&root, &[1], None);
    assert_unknown(&status(&ee, &root, &[]), "rfc5280.crl.not-found");
}

#[test]
fn pkits_4_4_2_invalid_revoked_ca() {
    let root = full_ca("Trust Anchor", None);
    let mid = full_ca("Revoked subCA", Some(&root));
    let crl = CrlSpec::new(&root).entry(revoked_for(&mid.cert.serial, 1)).sign(&root);
    assert_revoked(&status(&mid.cert, &root, &[crl]), Some(1), 0);
}

#[test]
fn pkits_4_4_3_invalid_revoked_ee() {
    let root = full_ca("Trust Anchor", None);
    let ee = leaf(&root, &[0x0F], None);
    let crl = CrlSpec::new(&root).entry(revoked(&[0x02])).entry(revoked_for(&[0x0F], 1)).sign(&root);
    match status(&ee, &root, &[crl]) {
        RevocationStatus::Revoked { reason: Some(1), date, crl_index: 0 } => assert_eq!(date, T - 10 * DAY),
        s => panic!("{s:?}"),
    }
}

#[test]
fn pkits_4_4_4_invalid_bad_crl_signature() {
    let root = full_ca("Trust Anchor", None);
    let ee = leaf(&root, &[1], None);
    let mut crl = CrlSpec::new(&root).sign(&root);
    let n = crl.len();
    crl[n - 5] ^= 0x01;
    assert_unknown(&status(&ee, &root, &[crl]), "rfc5280.crl.signature-invalid");
}

#[test]
fn pkits_4_4_5_invalid_bad_crl_issuer_name() {
    let root = full_ca("Trust Anchor", None);
    let ee = leaf(&root, &[1], None);
    let mut spec = CrlSpec::new(&root);
    spec.issuer = name_cn("Bad CRL Issuer Name CA");
    assert_unknown(&status(&ee, &root, &[spec.sign(&root)]), "rfc5280.crl.not-found");
}

#[test]
fn pkits_4_4_6_invalid_wrong_crl() {
    let root = full_ca("Trust Anchor", None);
    let other = full_ca("Wrong CRL CA", None);
    let ee = leaf(&root, &[1], None);
    let crl = CrlSpec::new(&other).sign(&other);
    assert_unknown(&status(&ee, &root, &[crl]), "rfc5280.crl.not-found");
}

#[test]
fn pkits_4_4_7_valid_two_crls() {
    let root = full_ca("Trust Anchor", None);
    let ee = leaf(&root, &[1], None);
    let wrong_key = full_ca("Trust Anchor", None);
    let bad = CrlSpec::new(&root).number(9).entry(revoked(&[1])).sign(&wrong_key);
    let good = CrlSpec::new(&root).number(2).sign(&root);
    assert_good(&status(&ee, &root, &[bad, good]));
}

#[test]
fn pkits_4_4_8_invalid_unknown_crl_entry_extension() {
    let root = full_ca("Trust Anchor", None);
    let ee = leaf(&root, &[1], None);
    let mut e = revoked(&[1]);
    e.exts.push(ext("1.3.6.1.4.1.99999.1", true, &[0x05, 0x00]));
    let crl = CrlSpec::new(&root).entry(e).sign(&root);
    assert_unknown(&status(&ee, &root, &[crl]), "rfc5280.crl.unknown-critical-entry-extension");
}

#[test]
fn pkits_4_4_9_invalid_unknown_crl_extension() {
    let root = full_ca("Trust Anchor", None);
    let ee = leaf(&root, &[1], None);
    let mut spec = CrlSpec::new(&root).entry(revoked(&[1]));
    spec.exts.push(ext("1.3.6.1.4.1.99999.2", true, &[0x05, 0x00]));
    assert_unknown(&status(&ee, &root, &[spec.sign(&root)]), "rfc5280.crl.unknown-critical-extension");
}

#[test]
fn pkits_4_4_10_invalid_unknown_crl_extension_not_listed() {
    let root = full_ca("Trust Anchor", None);
    let ee = leaf(&root, &[1], None);
    let mut spec = CrlSpec::new(&root);
    spec.exts.push(ext("1.3.6.1.4.1.99999.2", true, &[0x05, 0x00]));
    // A non-critical unknown extension is fine.
    let mut ok = CrlSpec::new(&root);
    ok.exts.push(ext("1.3.6.1.4.1.99999.3", false, &[0x05, 0x00]));
    assert_unknown(&status(&ee, &root, &[spec.sign(&root)]), "rfc5280.crl.unknown-critical-extension");
    assert_good(&status(&ee, &root, &[ok.sign(&root)]));
}

#[test]
fn pkits_4_4_11_invalid_old_crl_next_update() {
    let root = full_ca("Trust Anchor", None);
    let ee = leaf(&root, &[1], None);
    let mut spec = CrlSpec::new(&root);
    spec.this_update = time(T - 60 * DAY);
    spec.next_update = Some(time(T - 30 * DAY));
    assert_unknown(&status(&ee, &root, &[spec.sign(&root)]), "rfc5280.crl.expired");
    // nextUpdate equal to the validation time is already too late.
    spec.next_update = Some(time(T));
    assert_unknown(&status(&ee, &root, &[spec.sign(&root)]), "rfc5280.crl.expired");
}

#[test]
fn pkits_4_4_12_invalid_pre2000_crl_next_update() {
    let root = full_ca("Trust Anchor", None);
    let ee = leaf(&root, &[1], None);
    let mut spec = CrlSpec::new(&root);
    spec.this_update = time(946_684_800 - 40 * DAY); // 1999-11-22
    spec.next_update = Some(time(946_684_800 - DAY)); // 1999-12-31, as UTCTime "99..."
    assert_unknown(&status(&ee, &root, &[spec.sign(&root)]), "rfc5280.crl.expired");
}

#[test]
fn pkits_4_4_13_valid_generalized_time_crl_next_update() {
    let root = full_ca("Trust Anchor", None);
    let ee = leaf(&root, &[1], None);
    let mut spec = CrlSpec::new(&root);
    spec.next_update = Some(gen_time(2_556_144_000)); // 2051-01-01
    assert_good(&status(&ee, &root, &[spec.sign(&root)]));
}

#[test]
fn crl_not_yet_valid_is_unusable() {
    let root = full_ca("Trust Anchor", None);
    let ee = leaf(&root, &[1], None);
    let mut spec = CrlSpec::new(&root);
    spec.this_update = time(T + 1);
    assert_unknown(&status(&ee, &root, &[spec.sign(&root)]), "rfc5280.crl.not-yet-valid");
}

#[test]
fn pkits_4_4_16_17_valid_long_serial_number() {
    let root = full_ca("Trust Anchor", None);
    let serial: Vec<u8> = (1..=20).collect();
    let ee = leaf(&root, &serial, None);
    let mut other = serial.clone();
    other[19] = 0xFF;
    let crl = CrlSpec::new(&root).entry(revoked(&other)).sign(&root);
    assert_good(&status(&ee, &root, &[crl]));
}

#[test]
fn pkits_4_4_18_invalid_long_serial_number() {
    let root = full_ca("Trust Anchor", None);
    let serial: Vec<u8> = (1..=20).collect();
    let ee = leaf(&root, &serial, None);
    let crl = CrlSpec::new(&root).entry(revoked(&serial)).sign(&root);
    assert_revoked(&status(&ee, &root, &[crl]), None, 0);
}

#[test]
fn serial_match_ignores_a_non_minimal_encoding() {
    let root = full_ca("Trust Anchor", None);
    let ee = leaf(&root, &[0x05], None);
    let crl = CrlSpec::new(&root).entry(revoked(&[0x00, 0x00, 0x05])).sign(&root);
    assert_revoked(&status(&ee, &root, &[crl]), None, 0);
}

/// The CA signs certificates with one key and CRLs with another (a second certificate with the
/// same name, cRLSign only); the CRL's AKI names the CRL key.
fn separate_keys() -> (Ca, Ca, Ca) {
    let root = full_ca("Trust Anchor", None);
    let ca_cert_key = ca("Separate Keys CA", Some(&root), Some(vec![KeyUsagePurpose::KeyCertSign]));
    let ca_crl_key = ca("Separate Keys CA", Some(&root), Some(vec![KeyUsagePurpose::CrlSign]));
    (root, ca_cert_key, ca_crl_key)
}

/// NIST PKITS 4.4.19 and 4.4.21 through the validator: the CA signs certificates with one key
/// and CRLs with another (two certificates of the same name). When the root's CRL revokes the
/// CRL-signing certificate, the CA's CRL has no valid signer (RFC 5280 §6.3.3 (f): the CRL
/// issuer's path is validated, revocation included), so under `require` the leaf's status is
/// unknown and the path INDETERMINATE; when it does not, the leaf is valid.
#[test]
fn validator_refuses_a_revoked_crl_signer() {
    use pki::validate::{Options, RevocationMode, Store, Validator};
    let root = full_ca("Trust Anchor", None);
    let ca_cert = ca_with_serial("Separate Keys CA", Some(&root), Some(vec![KeyUsagePurpose::KeyCertSign]), &[0x21]);
    let ca_crl = ca_with_serial("Separate Keys CA", Some(&root), Some(vec![KeyUsagePurpose::CrlSign]), &[0x22]);
    let ee = leaf(&ca_cert, &[1], None);
    let ca_crl_der = CrlSpec::new(&ca_crl).sign(&ca_crl);
    let validate = |root_crl: Vec<u8>| {
        let v = Validator::new(Store::new([root.cert.clone()]));
        let mut o = Options::at(T);
        o.revocation = RevocationMode::Require;
        let crls = [Crl::from_der(&root_crl).unwrap(), Crl::from_der(&ca_crl_der).unwrap()];
        v.validate(&ee, &[ca_cert.cert.clone(), ca_crl.cert.clone()], &crls, &o)
    };
    let good = validate(CrlSpec::new(&root).sign(&root));
    assert!(good.is_valid(), "{:#?}", good.verdict);
    let bad = validate(CrlSpec::new(&root).entry(revoked(&[0x22])).sign(&root));
    assert!(!bad.is_valid(), "a revoked CRL signer was used: {:#?}", bad.verdict);
    assert_eq!(bad.verdict.indication, report::Indication::Indeterminate, "{:#?}", bad.verdict);
    assert!(bad.verdict.findings.iter().any(|f| f.id == "rfc5280.revocation.status-unknown"), "{:#?}", bad.verdict);
}

#[test]
fn pkits_4_4_19_valid_separate_certificate_and_crl_keys() {
    let (_root, ca_cert, ca_crl) = separate_keys();
    let ee = leaf(&ca_cert, &[1], None);
    let crl = CrlSpec::new(&ca_crl).sign(&ca_crl);
    let s = status_with(&ee, &ca_cert.cert, &[crl], &[&ca_crl.cert], T, Limits::default());
    assert_good(&s);
}

#[test]
fn pkits_4_4_20_invalid_separate_keys_crl_signer_not_validated() {
    // The CRL-signing certificate is revoked, so the validator finds no valid CRL signer.
    let (_root, ca_cert, ca_crl) = separate_keys();
    let ee = leaf(&ca_cert, &[1], None);
    let crl = CrlSpec::new(&ca_crl).sign(&ca_crl);
    let s = status_with(&ee, &ca_cert.cert, &[crl], &[], T, Limits::default());
    assert_unknown(&s, "rfc5280.crl.aki-mismatch");
}

#[test]
fn pkits_4_4_21_invalid_separate_certificate_and_crl_keys() {
    let (_root, ca_cert, ca_crl) = separate_keys();
    let ee = leaf(&ca_cert, &[1], None);
    let crl = CrlSpec::new(&ca_crl).entry(revoked_for(&[1], 1)).sign(&ca_crl);
    let s = status_with(&ee, &ca_cert.cert, &[crl], &[&ca_crl.cert], T, Limits::default());
    assert_revoked(&s, Some(1), 0);
}

#[test]
fn crl_signed_by_issuer_without_crl_sign_is_unusable() {
    // The keyUsage rule of §6.3.3 (f), as limbo's crl::issuer-missing-crlsign.
    let root = ca("Trust Anchor", None, Some(vec![KeyUsagePurpose::KeyCertSign]));
    let ee = leaf(&root, &[1], None);
    let crl = CrlSpec::new(&root).sign(&root);
    assert_unknown(&status(&ee, &root, &[crl]), "rfc5280.crl.signer-lacks-crl-sign");
    let no_ku = ca("Trust Anchor", None, None);
    let ee = leaf(&no_ku, &[1], None);
    assert_good(&status(&ee, &no_ku, &[CrlSpec::new(&no_ku).sign(&no_ku)]));
}

#[test]
fn rcgen_signed_crl_is_understood() {
    use rcgen::{CertificateRevocationListParams, KeyIdMethod, RevocationReason, RevokedCertParams};
    let root = full_ca("Trust Anchor", None);
    let ee = leaf(&root, &[7], None);
    let other = leaf(&root, &[8], None);
    let crl = CertificateRevocationListParams {
        this_update: rcgen::date_time_ymd(2023, 12, 1),
        next_update: rcgen::date_time_ymd(2024, 2, 1),
        crl_number: SerialNumber::from(42u64),
        issuing_distribution_point: None,
        revoked_certs: vec![RevokedCertParams {
            serial_number: SerialNumber::from(vec![7]),
            revocation_time: rcgen::date_time_ymd(2023, 11, 1),
            reason_code: Some(RevocationReason::Superseded),
            invalidity_date: Some(rcgen::date_time_ymd(2023, 10, 1)),
        }],
        key_identifier_method: KeyIdMethod::Sha256,
    }
    .signed_by(&root.rc, &root.key)
    .unwrap();
    let der = crl.der().to_vec();
    let parsed = Crl::from_der(&der).unwrap();
    assert_eq!(parsed.number().map(|n| n.to_string()), Some("42".into()));
    assert_eq!(parsed.entries[0].reason, Some(4));
    assert_eq!(parsed.entries[0].invalidity_date, Some(1_696_118_400));
    assert!(parsed.label().contains("cRLNumber 42"));
    assert_revoked(&status(&ee, &root, std::slice::from_ref(&der)), Some(4), 0);
    assert_good(&status(&other, &root, &[der]));
}

// ---------------------------------------------------------------------------------------------
// CRL structure (RFC 5280 §5.1-§5.3)
// ---------------------------------------------------------------------------------------------

#[test]
fn crl_number_missing_critical_and_too_long_make_the_crl_unusable() {
    let root = full_ca("Trust Anchor", None);
    let ee = leaf(&root, &[1], None);
    let mut missing = CrlSpec::new(&root);
    missing.number = None;
    assert_unknown(&status(&ee, &root, &[missing.sign(&root)]), "rfc5280.crl.number-missing");
    let mut critical = CrlSpec::new(&root);
    critical.number_critical = true;
    assert_unknown(&status(&ee, &root, &[critical.sign(&root)]), "rfc5280.crl.number-critical");
    // §5.2.3: at most 20 octets; 20 is fine, 21 is not.
    let mut twenty = CrlSpec::new(&root);
    twenty.number = Some(int(&[0x7F; 20]));
    assert_good(&status(&ee, &root, &[twenty.sign(&root)]));
    let mut long = CrlSpec::new(&root);
    long.number = Some(int(&[0x7F; 21]));
    assert_unknown(&status(&ee, &root, &[long.sign(&root)]), "rfc5280.crl.number-too-long");
}

#[test]
fn remove_from_crl_in_a_complete_crl_is_refused() {
    let root = full_ca("Trust Anchor", None);
    let ee = leaf(&root, &[1], None);
    let crl = CrlSpec::new(&root).entry(revoked_for(&[1], 8)).sign(&root);
    assert_unknown(&status(&ee, &root, &[crl]), "rfc5280.crl.remove-from-crl-in-complete");
}

#[test]
fn certificate_issuer_entry_in_a_direct_crl_is_refused() {
    let root = full_ca("Trust Anchor", None);
    let ee = leaf(&root, &[1], None);
    let e = Entry { cert_issuer: Some(name_cn("Someone Else")), ..revoked(&[2]) };
    let crl = CrlSpec::new(&root).entry(e).sign(&root);
    assert_unknown(&status(&ee, &root, &[crl]), "rfc5280.crl.certificate-issuer-in-direct-crl");
}

#[test]
fn malformed_crls_are_parse_errors() {
    let root = full_ca("Trust Anchor", None);
    // A duplicate extension (§5.2, as §4.2 for certificates).
    let mut dup = CrlSpec::new(&root);
    dup.exts.push(ext("2.5.29.20", false, &uint(2)));
    let e = Crl::from_der(&dup.sign(&root)).unwrap_err();
    assert!(matches!(e, CrlError::DuplicateExtension { .. }), "{e}");
    assert_eq!(e.finding_id(), "rfc5280.crl.malformed");
    // Trailing data.
    let mut der = CrlSpec::new(&root).sign(&root);
    der.push(0);
    assert_eq!(Crl::from_der(&der), Err(CrlError::TrailingData(1)));
    // A reasonCode that is not an ENUMERATED.
    let mut bad = revoked(&[1]);
    bad.exts.push(ext("2.5.29.21", false, &uint(1)));
    let e = Crl::from_der(&CrlSpec::new(&root).entry(bad).sign(&root)).unwrap_err();
    assert!(matches!(e, CrlError::MalformedExtension { .. }), "{e}");
    // The unassigned reason code 7.
    let e = Crl::from_der(&CrlSpec::new(&root).entry(revoked_for(&[1], 7)).sign(&root)).unwrap_err();
    assert!(e.to_string().contains("reason code 7"), "{e}");
    // An IDP with two onlyContains flags is a defect, not a parse error.
    let two = CrlSpec::new(&root).idp(Idp { only_user: true, only_ca: true, ..Idp::default() }).sign(&root);
    let parsed = Crl::from_der(&two).unwrap();
    assert!(parsed.defects.iter().any(|d| d.finding_id() == "rfc5280.crl.idp-invalid"));
}

#[test]
fn pem_crls_read_through_the_input_layer() {
    let root = full_ca("Trust Anchor", None);
    let der = CrlSpec::new(&root).sign(&root);
    use base64::Engine;
    let b64 = base64::engine::general_purpose::STANDARD.encode(&der);
    let lines: Vec<&str> = b64.as_bytes().chunks(64).map(|c| std::str::from_utf8(c).unwrap()).collect();
    let pem = format!("junk\n-----BEGIN X509 CRL-----\n{}\n-----END X509 CRL-----\n", lines.join("\n"));
    let got = input::read(pem.as_bytes(), Kind::Crl).unwrap();
    assert_eq!(got, vec![der]);
}

// ---------------------------------------------------------------------------------------------
// PKITS 4.14: distribution points
// ---------------------------------------------------------------------------------------------

fn dp_dir(cn: &str) -> Vec<u8> {
    dist_point(Some(DpName::Full(vec![dir_name(&name_cn(cn))])), None, None)
}

#[test]
fn pkits_4_14_1_valid_distribution_point() {
    let root = full_ca("distributionPoint1 CA", None);
    let ee = leaf(&root, &[1], Some(vec![dp_dir("CRL1 of distributionPoint1 CA")]));
    let name = DpName::Full(vec![dir_name(&name_cn("CRL1 of distributionPoint1 CA"))]);
    let crl = CrlSpec::new(&root).idp(Idp { name: Some(name), ..Idp::default() }).sign(&root);
    assert_good(&status(&ee, &root, &[crl]));
}

#[test]
fn pkits_4_14_2_invalid_distribution_point() {
    let root = full_ca("distributionPoint1 CA", None);
    let ee = leaf(&root, &[1], Some(vec![dp_dir("CRL1 of distributionPoint1 CA")]));
    let name = DpName::Full(vec![dir_name(&name_cn("CRL1 of distributionPoint1 CA"))]);
    let crl = CrlSpec::new(&root).idp(Idp { name: Some(name), ..Idp::default() }).entry(revoked(&[1])).sign(&root);
    assert_revoked(&status(&ee, &root, &[crl]), None, 0);
}

#[test]
fn pkits_4_14_3_invalid_distribution_point_name_mismatch() {
    let root = full_ca("distributionPoint1 CA", None);
    let ee = leaf(&root, &[1], Some(vec![dp_dir("CRLx of distributionPoint1 CA")]));
    let name = DpName::Full(vec![dir_name(&name_cn("CRL1 of distributionPoint1 CA"))]);
    let crl = CrlSpec::new(&root).idp(Idp { name: Some(name), ..Idp::default() }).sign(&root);
    assert_unknown(&status(&ee, &root, &[crl]), "rfc5280.crl.scope.distribution-point");
}

#[test]
fn pkits_4_14_4_valid_distribution_point_relative_name() {
    // The certificate names its DP relative to the CRL issuer; the IDP gives the full name.
    let root = full_ca("distributionPoint2 CA", None);
    let ee = leaf(&root, &[1], Some(vec![dist_point(Some(DpName::RelativeCn("CRL1")), None, None)]));
    // issuer name + RDN CN=CRL1
    let issuer_der = root.cert.subject.der();
    assert!(issuer_der[1] < 0x80, "short-form length");
    let rdn = tlv(0x31, &seq(&[oid("2.5.4.3"), tlv(0x0C, b"CRL1")]));
    let full_name = seq(&[issuer_der[2..].to_vec(), rdn]);
    let crl = CrlSpec::new(&root)
        .idp(Idp { name: Some(DpName::Full(vec![dir_name(&full_name)])), ..Idp::default() })
        .sign(&root);
    assert_good(&status(&ee, &root, &[crl]));
    // And the other way round: relative name in the IDP, full name in the certificate.
    let ee2 = leaf(&root, &[2], Some(vec![dist_point(Some(DpName::Full(vec![dir_name(&full_name)])), None, None)]));
    let crl2 = CrlSpec::new(&root).idp(Idp { name: Some(DpName::RelativeCn("CRL1")), ..Idp::default() }).sign(&root);
    assert_good(&status(&ee2, &root, &[crl2]));
}

#[test]
fn pkits_4_14_6_invalid_distribution_point_relative_name_mismatch() {
    let root = full_ca("distributionPoint2 CA", None);
    let ee = leaf(&root, &[1], Some(vec![dist_point(Some(DpName::RelativeCn("CRL2")), None, None)]));
    let crl = CrlSpec::new(&root).idp(Idp { name: Some(DpName::RelativeCn("CRL1")), ..Idp::default() }).sign(&root);
    assert_unknown(&status(&ee, &root, &[crl]), "rfc5280.crl.scope.distribution-point");
}

#[test]
fn pkits_4_14_8_invalid_no_crl_distribution_points_but_idp_name() {
    // The certificate has no cRLDistributionPoints; the only CRL is partitioned (IDP name).
    let root = full_ca("distributionPoint3 CA", None);
    let ee = leaf(&root, &[1], None);
    let crl = CrlSpec::new(&root)
        .idp(Idp { name: Some(DpName::Full(vec![uri("http://crl.example/part1.crl")])), ..Idp::default() })
        .sign(&root);
    assert_unknown(&status(&ee, &root, &[crl]), "rfc5280.crl.scope.distribution-point");
}

#[test]
fn pkits_4_14_10_valid_uri_distribution_point_with_unpartitioned_crl() {
    // A certificate DP by URI, and a complete CRL without IDP from the issuer: the CRL covers
    // every certificate of the issuer (the notional distribution point of §6.3.3).
    let root = full_ca("distributionPoint4 CA", None);
    let ee = leaf(&root, &[1], Some(vec![dist_point(Some(DpName::Full(vec![uri("http://x/crl")])), None, None)]));
    assert_good(&status(&ee, &root, &[CrlSpec::new(&root).sign(&root)]));
}

#[test]
fn pkits_4_14_11_invalid_only_contains_user_certs_crl() {
    let root = full_ca("onlyContainsUserCerts CA", None);
    let sub = full_ca("Sub CA", Some(&root));
    let crl = CrlSpec::new(&root).idp(Idp { only_user: true, ..Idp::default() }).sign(&root);
    assert_unknown(&status(&sub.cert, &root, &[crl]), "rfc5280.crl.scope.user-certs");
}

#[test]
fn pkits_4_14_12_invalid_only_contains_ca_certs_crl() {
    let root = full_ca("onlyContainsCACerts CA", None);
    let ee = leaf(&root, &[1], None);
    let crl = CrlSpec::new(&root).idp(Idp { only_ca: true, ..Idp::default() }).sign(&root);
    assert_unknown(&status(&ee, &root, &[crl]), "rfc5280.crl.scope.ca-certs");
}

#[test]
fn pkits_4_14_13_valid_only_contains_ca_certs_crl() {
    let root = full_ca("onlyContainsCACerts CA", None);
    let sub = full_ca("Sub CA", Some(&root));
    let crl = CrlSpec::new(&root).idp(Idp { only_ca: true, ..Idp::default() }).sign(&root);
    assert_good(&status(&sub.cert, &root, &[crl]));
}

#[test]
fn pkits_4_14_14_invalid_only_contains_attribute_certs() {
    let root = full_ca("onlyContainsAttributeCerts CA", None);
    let ee = leaf(&root, &[1], None);
    let crl = CrlSpec::new(&root).idp(Idp { only_attr: true, ..Idp::default() }).sign(&root);
    assert_unknown(&status(&ee, &root, &[crl]), "rfc5280.crl.scope.attribute-certs");
}

/// Two CRLs from one CA: one for keyCompromise and cACompromise, one for every other reason.
fn some_reasons_crls(root: &Ca, revoked_in_first: bool, revoked_in_second: Option<u8>) -> (Vec<u8>, Vec<u8>) {
    let first_mask = KEY_COMPROMISE | CA_COMPROMISE;
    let mut first = CrlSpec::new(root).number(10).idp(Idp { reasons: Some(first_mask), ..Idp::default() });
    if revoked_in_first {
        first = first.entry(revoked_for(&[1], 1));
    }
    let mut second =
        CrlSpec::new(root).number(11).idp(Idp { reasons: Some(pki::crl::ALL_REASONS & !first_mask), ..Idp::default() });
    if let Some(r) = revoked_in_second {
        second = second.entry(revoked_for(&[1], r));
    }
    (first.sign(root), second.sign(root))
}

#[test]
fn pkits_4_14_15_invalid_only_some_reasons() {
    let root = full_ca("onlySomeReasons CA1", None);
    let ee = leaf(&root, &[1], None);
    let (a, b) = some_reasons_crls(&root, true, None);
    assert_revoked(&status(&ee, &root, &[a, b]), Some(1), 0);
}

#[test]
fn pkits_4_14_16_invalid_only_some_reasons_on_hold() {
    let root = full_ca("onlySomeReasons CA1", None);
    let ee = leaf(&root, &[1], None);
    let (a, b) = some_reasons_crls(&root, false, Some(6));
    assert_revoked(&status(&ee, &root, &[a, b]), Some(6), 1);
}

#[test]
fn pkits_4_14_17_invalid_only_some_reasons_incomplete() {
    let root = full_ca("onlySomeReasons CA2", None);
    let ee = leaf(&root, &[1], None);
    let (a, _) = some_reasons_crls(&root, false, None);
    assert_unknown(&status(&ee, &root, &[a]), "rfc5280.crl.reasons-incomplete");
}

#[test]
fn pkits_4_14_18_valid_only_some_reasons() {
    let root = full_ca("onlySomeReasons CA3", None);
    let ee = leaf(&root, &[1], None);
    let (a, b) = some_reasons_crls(&root, false, None);
    assert_good(&status(&ee, &root, &[a, b]));
}

#[test]
fn pkits_4_14_19_valid_only_some_reasons_with_dp_reasons() {
    // The certificate has two DPs, each with reasons, each served by one partitioned CRL.
    let root = full_ca("onlySomeReasons CA4", None);
    let km = KEY_COMPROMISE | CA_COMPROMISE;
    let rest = pki::crl::ALL_REASONS & !km;
    let dp1 = dist_point(Some(DpName::Full(vec![uri("http://x/kc.crl")])), Some(km), None);
    let dp2 = dist_point(Some(DpName::Full(vec![uri("http://x/other.crl")])), Some(rest), None);
    let ee = leaf(&root, &[1], Some(vec![dp1, dp2]));
    let a = CrlSpec::new(&root)
        .number(1)
        .idp(Idp { name: Some(DpName::Full(vec![uri("http://x/kc.crl")])), reasons: Some(km), ..Idp::default() })
        .sign(&root);
    let b = CrlSpec::new(&root)
        .number(2)
        .idp(Idp { name: Some(DpName::Full(vec![uri("http://x/other.crl")])), reasons: Some(rest), ..Idp::default() })
        .sign(&root);
    assert_good(&status(&ee, &root, &[a.clone(), b]));
    // One of the two alone leaves reasons uncovered.
    assert_unknown(&status(&ee, &root, &[a]), "rfc5280.crl.reasons-incomplete");
}

#[test]
fn pkits_4_14_20_invalid_only_some_reasons_second_dp() {
    let root = full_ca("onlySomeReasons CA4", None);
    let km = KEY_COMPROMISE | CA_COMPROMISE;
    let rest = pki::crl::ALL_REASONS & !km;
    let dp1 = dist_point(Some(DpName::Full(vec![uri("http://x/kc.crl")])), Some(km), None);
    let dp2 = dist_point(Some(DpName::Full(vec![uri("http://x/other.crl")])), Some(rest), None);
    let ee = leaf(&root, &[1], Some(vec![dp1, dp2]));
    let a = CrlSpec::new(&root)
        .number(1)
        .idp(Idp { name: Some(DpName::Full(vec![uri("http://x/kc.crl")])), reasons: Some(km), ..Idp::default() })
        .sign(&root);
    let b = CrlSpec::new(&root)
        .number(2)
        .idp(Idp { name: Some(DpName::Full(vec![uri("http://x/other.crl")])), reasons: Some(rest), ..Idp::default() })
        .entry(revoked_for(&[1], 1))
        .sign(&root);
    assert_revoked(&status(&ee, &root, &[a, b]), Some(1), 1);
}

#[test]
fn pkits_4_14_22_valid_idp_with_indirect_crl() {
    // An indirect CRL issued by the certificate's own issuer; entries without certificateIssuer
    // are the CRL issuer's.
    let root = full_ca("indirectCRL CA1", None);
    let ee = leaf(&root, &[1], None);
    let crl = CrlSpec::new(&root).idp(Idp { indirect: true, ..Idp::default() }).entry(revoked(&[2])).sign(&root);
    assert_good(&status(&ee, &root, &[crl]));
}

#[test]
fn pkits_4_14_23_invalid_idp_with_indirect_crl() {
    let root = full_ca("indirectCRL CA1", None);
    let ee = leaf(&root, &[1], None);
    let crl = CrlSpec::new(&root).idp(Idp { indirect: true, ..Idp::default() }).entry(revoked(&[1])).sign(&root);
    assert_revoked(&status(&ee, &root, &[crl]), None, 0);
}

/// The issuing CA (indirectCRL CA3) delegates its CRLs to a CRL issuer (indirectCRL CA3 cRLIssuer),
/// named in the certificates' distribution points.
fn indirect_setup(serial: &[u8]) -> (Ca, Ca, Certificate) {
    let root = full_ca("Trust Anchor", None);
    let ca3 = ca("indirectCRL CA3", Some(&root), Some(vec![KeyUsagePurpose::KeyCertSign]));
    let crl_issuer = ca("indirectCRL CA3 cRLIssuer", Some(&root), Some(vec![KeyUsagePurpose::CrlSign]));
    let dp = dist_point(None, None, Some(crl_issuer.cert.subject.der()));
    let ee = leaf(&ca3, serial, Some(vec![dp]));
    (ca3, crl_issuer, ee)
}

#[test]
fn pkits_4_14_24_valid_idp_with_indirect_crl_and_crl_issuer() {
    let (ca3, crl_issuer, ee) = indirect_setup(&[1]);
    let crl = CrlSpec::new(&crl_issuer)
        .idp(Idp { indirect: true, ..Idp::default() })
        // The CRL issuer's own revocations, and another CA's serial 1.
        .entry(revoked(&[1]))
        .entry(Entry { cert_issuer: Some(name_cn("Some Other CA")), ..revoked(&[1]) })
        .sign(&crl_issuer);
    let s = status_with(&ee, &ca3.cert, &[crl], &[&crl_issuer.cert], T, Limits::default());
    assert_good(&s);
}

#[test]
fn pkits_4_14_26_invalid_idp_with_indirect_crl_signer_not_found() {
    let (ca3, crl_issuer, ee) = indirect_setup(&[1]);
    let crl = CrlSpec::new(&crl_issuer).idp(Idp { indirect: true, ..Idp::default() }).sign(&crl_issuer);
    let s = status_with(&ee, &ca3.cert, &[crl], &[], T, Limits::default());
    assert_unknown(&s, "rfc5280.crl.signer-not-found");
}

#[test]
fn pkits_4_14_27_invalid_crl_issuer_but_crl_not_indirect() {
    let (ca3, crl_issuer, ee) = indirect_setup(&[1]);
    let crl = CrlSpec::new(&crl_issuer).sign(&crl_issuer);
    let s = status_with(&ee, &ca3.cert, &[crl], &[&crl_issuer.cert], T, Limits::default());
    assert_unknown(&s, "rfc5280.crl.not-indirect");
}

#[test]
fn pkits_4_14_29_valid_crl_issuer_certificate_issuer_carried_forward() {
    // certificateIssuer on the first entry carries forward to the next (§5.3.3); serial 2 of
    // CA3 is revoked, serial 1 is not (it is listed under the CRL issuer itself, before).
    let (ca3, crl_issuer, ee) = indirect_setup(&[1]);
    let crl = CrlSpec::new(&crl_issuer)
        .idp(Idp { indirect: true, ..Idp::default() })
        .entry(revoked(&[1]))
        .entry(Entry { cert_issuer: Some(ca3.cert.subject.der().to_vec()), ..revoked(&[3]) })
        .entry(revoked(&[2]))
        .sign(&crl_issuer);
    let s = status_with(&ee, &ca3.cert, std::slice::from_ref(&crl), &[&crl_issuer.cert], T, Limits::default());
    assert_good(&s);
    let ee2 = leaf(&ca3, &[2], Some(vec![dist_point(None, None, Some(crl_issuer.cert.subject.der()))]));
    let s = status_with(&ee2, &ca3.cert, &[crl], &[&crl_issuer.cert], T, Limits::default());
    assert_revoked(&s, None, 0);
}

#[test]
fn pkits_4_14_31_invalid_crl_issuer_certificate_issuer_entry() {
    let (ca3, crl_issuer, ee) = indirect_setup(&[1]);
    let crl = CrlSpec::new(&crl_issuer)
        .idp(Idp { indirect: true, ..Idp::default() })
        .entry(Entry { cert_issuer: Some(ca3.cert.subject.der().to_vec()), reason: Some(1), ..revoked(&[1]) })
        .sign(&crl_issuer);
    let s = status_with(&ee, &ca3.cert, &[crl], &[&crl_issuer.cert], T, Limits::default());
    assert_revoked(&s, Some(1), 0);
}

#[test]
fn pkits_4_14_33_invalid_indirect_crl_signer_without_crl_sign() {
    // The finder returns a certificate of the CRL issuer whose keyUsage lacks cRLSign; the check
    // does not take the finder's word for it.
    let root = full_ca("Trust Anchor", None);
    let ca3 = ca("indirectCRL CA5", Some(&root), Some(vec![KeyUsagePurpose::KeyCertSign]));
    let crl_issuer = ca("indirectCRL CA6", Some(&root), Some(vec![KeyUsagePurpose::DigitalSignature]));
    let ee = leaf(&ca3, &[1], Some(vec![dist_point(None, None, Some(crl_issuer.cert.subject.der()))]));
    let crl = CrlSpec::new(&crl_issuer).idp(Idp { indirect: true, ..Idp::default() }).sign(&crl_issuer);
    let s = status_with(&ee, &ca3.cert, &[crl], &[&crl_issuer.cert], T, Limits::default());
    assert_unknown(&s, "rfc5280.crl.signer-lacks-crl-sign");
}

// ---------------------------------------------------------------------------------------------
// PKITS 4.15: delta CRLs
// ---------------------------------------------------------------------------------------------

/// deltaCRL CA: a complete CRL number 10 and (optionally) a delta number 11 on base `base`.
fn delta_pair(root: &Ca, complete: Vec<Entry>, delta: Vec<Entry>, base: u64) -> (Vec<u8>, Vec<u8>) {
    let mut c = CrlSpec::new(root).number(10);
    for e in complete {
        c = c.entry(e);
    }
    let mut d = CrlSpec::new(root).number(11).delta(base);
    for e in delta {
        d = d.entry(e);
    }
    (c.sign(root), d.sign(root))
}

#[test]
fn pkits_4_15_1_invalid_delta_crl_indicator_no_base() {
    let root = full_ca("deltaCRLIndicator No Base CA", None);
    let ee = leaf(&root, &[1], None);
    let (_, delta) = delta_pair(&root, vec![], vec![], 10);
    assert_unknown(&status(&ee, &root, &[delta]), "rfc5280.crl.delta-without-base");
}

#[test]
fn pkits_4_15_2_valid_delta_crl() {
    let root = full_ca("deltaCRL CA1", None);
    let ee = leaf(&root, &[1], None);
    let (c, d) = delta_pair(&root, vec![revoked(&[5])], vec![revoked(&[6])], 10);
    assert_good(&status(&ee, &root, &[d, c]));
}

#[test]
fn pkits_4_15_3_invalid_delta_crl_revoked_on_complete() {
    let root = full_ca("deltaCRL CA1", None);
    let ee = leaf(&root, &[1], None);
    let (c, d) = delta_pair(&root, vec![revoked_for(&[1], 1)], vec![], 10);
    assert_revoked(&status(&ee, &root, &[c, d]), Some(1), 0);
}

#[test]
fn pkits_4_15_4_invalid_delta_crl_revoked_on_delta() {
    let root = full_ca("deltaCRL CA1", None);
    let ee = leaf(&root, &[1], None);
    let (c, d) = delta_pair(&root, vec![], vec![revoked_for(&[1], 1)], 10);
    assert_revoked(&status(&ee, &root, &[c, d]), Some(1), 1);
}

#[test]
fn pkits_4_15_5_valid_delta_crl_hold_released() {
    let root = full_ca("deltaCRL CA1", None);
    let ee = leaf(&root, &[1], None);
    let (c, d) = delta_pair(&root, vec![revoked_for(&[1], 6)], vec![revoked_for(&[1], 8)], 10);
    assert_good(&status(&ee, &root, &[c.clone(), d]));
    // Without the delta, the hold stands.
    assert_revoked(&status(&ee, &root, &[c]), Some(6), 0);
}

#[test]
fn pkits_4_15_6_invalid_delta_crl_hold_then_key_compromise() {
    let root = full_ca("deltaCRL CA1", None);
    let ee = leaf(&root, &[1], None);
    let (c, d) = delta_pair(&root, vec![revoked_for(&[1], 6)], vec![revoked_for(&[1], 1)], 10);
    assert_revoked(&status(&ee, &root, &[c, d]), Some(1), 1);
}

#[test]
fn pkits_4_15_7_valid_delta_crl_remove_from_crl_only() {
    let root = full_ca("deltaCRL CA1", None);
    let ee = leaf(&root, &[1], None);
    let (c, d) = delta_pair(&root, vec![], vec![revoked_for(&[1], 8)], 10);
    assert_good(&status(&ee, &root, &[c, d]));
}

#[test]
fn pkits_4_15_8_valid_delta_crl_older_base() {
    // The delta's BaseCRLNumber (9) is below the complete CRL's number (10): it still applies.
    let root = full_ca("deltaCRL CA2", None);
    let ee = leaf(&root, &[1], None);
    let (c, d) = delta_pair(&root, vec![], vec![revoked(&[2])], 9);
    assert_good(&status(&ee, &root, &[c, d]));
}

#[test]
fn pkits_4_15_9_invalid_delta_crl_older_base() {
    let root = full_ca("deltaCRL CA2", None);
    let ee = leaf(&root, &[1], None);
    let (c, d) = delta_pair(&root, vec![], vec![revoked_for(&[1], 1)], 9);
    assert_revoked(&status(&ee, &root, &[c, d]), Some(1), 1);
}

#[test]
fn pkits_4_15_10_invalid_delta_crl_expired() {
    let root = full_ca("deltaCRL CA3", None);
    let ee = leaf(&root, &[1], None);
    let c = CrlSpec::new(&root).number(10).sign(&root);
    let mut d = CrlSpec::new(&root).number(11).delta(10);
    d.this_update = time(T - 10 * DAY);
    d.next_update = Some(time(T - DAY));
    let s = status(&ee, &root, &[c, d.sign(&root)]);
    assert_unknown(&s, "rfc5280.crl.delta-unusable");
    assert_unknown(&s, "rfc5280.crl.expired");
}

#[test]
fn delta_crl_for_a_newer_base_or_another_scope_does_not_apply() {
    let root = full_ca("deltaCRL CA4", None);
    let ee = leaf(&root, &[1], None);
    // Base 12 is newer than the complete CRL 10: the delta does not apply to it.
    let (c, d) = delta_pair(&root, vec![], vec![revoked_for(&[1], 1)], 12);
    let s = status(&ee, &root, &[c.clone(), d]);
    assert_good(&s);
    // A delta for a different scope (an IDP the complete CRL lacks) does not apply either.
    let other_scope =
        CrlSpec::new(&root).number(11).delta(10).idp(Idp { only_ca: true, ..Idp::default() }).entry(revoked(&[1]));
    assert_good(&status(&ee, &root, &[c, other_scope.sign(&root)]));
}

#[test]
fn delta_crl_with_bad_signature_makes_the_pair_unusable() {
    let root = full_ca("deltaCRL CA5", None);
    let ee = leaf(&root, &[1], None);
    let other_key = full_ca("deltaCRL CA5", None);
    let c = CrlSpec::new(&root).number(10).sign(&root);
    let d = CrlSpec::new(&root).number(11).delta(10).sign(&other_key);
    let s = status(&ee, &root, &[c, d]);
    assert_unknown(&s, "rfc5280.crl.delta-unusable");
    assert_unknown(&s, "rfc5280.crl.signature-invalid");
}

// ---------------------------------------------------------------------------------------------
// Choice between CRLs, limits
// ---------------------------------------------------------------------------------------------

#[test]
fn the_newest_complete_crl_is_consulted_first() {
    let root = full_ca("Trust Anchor", None);
    let ee = leaf(&root, &[1], None);
    let old = CrlSpec::new(&root).number(1).sign(&root);
    let new = CrlSpec::new(&root).number(2).entry(revoked(&[1])).sign(&root);
    assert_revoked(&status(&ee, &root, &[old.clone(), new.clone()]), None, 1);
    assert_revoked(&status(&ee, &root, &[new, old]), None, 0);
}

#[test]
fn signature_budget_is_spent_and_enforced() {
    let root = full_ca("Trust Anchor", None);
    let ee = leaf(&root, &[1], None);
    let crl = CrlSpec::new(&root).sign(&root);
    let limits = Limits { signature_checks: 0, ..Limits::default() };
    let s = status_with(&ee, &root.cert, std::slice::from_ref(&crl), &[], T, limits);
    assert_unknown(&s, "rfc5280.crl.budget-exhausted");
    let limits = Limits { signature_checks: 1, ..Limits::default() };
    assert_good(&status_with(&ee, &root.cert, &[crl], &[], T, limits));
}

#[test]
fn name_comparison_limit_is_enforced() {
    // 600 URIs in the certificate's DP against 600 in the IDP: 360,000 comparisons > 250,000.
    let root = full_ca("Trust Anchor", None);
    let mine: Vec<Vec<u8>> = (0..600).map(|i| uri(&format!("http://a/{i}"))).collect();
    let theirs: Vec<Vec<u8>> = (0..600).map(|i| uri(&format!("http://b/{i}"))).collect();
    let ee = leaf(&root, &[1], Some(vec![dist_point(Some(DpName::Full(mine)), None, None)]));
    let crl = CrlSpec::new(&root).idp(Idp { name: Some(DpName::Full(theirs)), ..Idp::default() }).sign(&root);
    assert_unknown(&status(&ee, &root, &[crl]), "rfc5280.crl.name-comparison-limit");
    // 400 x 400 = 160,000 stays within the limit and is answered on the merits.
    let mine: Vec<Vec<u8>> = (0..400).map(|i| uri(&format!("http://a/{i}"))).collect();
    let mut theirs: Vec<Vec<u8>> = (0..399).map(|i| uri(&format!("http://b/{i}"))).collect();
    theirs.push(uri("http://a/399"));
    let ee = leaf(&root, &[1], Some(vec![dist_point(Some(DpName::Full(mine)), None, None)]));
    let crl = CrlSpec::new(&root).idp(Idp { name: Some(DpName::Full(theirs)), ..Idp::default() }).sign(&root);
    assert_good(&status(&ee, &root, &[crl]));
}

#[test]
fn revoked_status_gives_a_finding_that_names_the_certificate() {
    let root = full_ca("Trust Anchor", None);
    let ee = leaf(&root, &[0x2A], None);
    let der = CrlSpec::new(&root).number(77).entry(revoked_for(&[0x2A], 1)).sign(&root);
    let crls = vec![Crl::from_der(&der).unwrap()];
    let s = status(&ee, &root, &[der]);
    let f = s.findings(&ee, &crls);
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].id, "rfc5280.crl.revoked");
    assert!(f[0].message.contains("CN=leaf") && f[0].message.contains("keyCompromise"), "{}", f[0].message);
    assert!(f[0].message.contains("cRLNumber 77") && f[0].message.contains("2A"), "{}", f[0].message);
}

#[test]
fn pkits_4_4_14_valid_negative_serial_number() {
    // rcgen cannot issue a negative serial; the parsed certificate's serial is set instead (the
    // CRL side is what is under test). -1 (FF) is not 255 (00 FF).
    let root = full_ca("Trust Anchor", None);
    let mut ee = leaf(&root, &[1], None);
    ee.serial = vec![0xFF].into();
    let crl = CrlSpec::new(&root).entry(revoked(&[0x00, 0xFF])).sign(&root);
    assert_good(&status(&ee, &root, &[crl]));
}

#[test]
fn pkits_4_4_15_invalid_negative_serial_number() {
    let root = full_ca("Trust Anchor", None);
    let mut ee = leaf(&root, &[1], None);
    ee.serial = vec![0xFF].into();
    let crl = CrlSpec::new(&root).entry(revoked_for(&[0xFF], 1)).sign(&root);
    assert_revoked(&status(&ee, &root, &[crl]), Some(1), 0);
}

#[test]
fn large_crl_parses_once_and_looks_up_by_serial() {
    let root = full_ca("Trust Anchor", None);
    let mut spec = CrlSpec::new(&root);
    for i in 0..50_000u32 {
        spec.entries.push(revoked(&[&[0x01][..], &i.to_be_bytes()[..]].concat()));
    }
    let der = spec.sign(&root);
    let started = std::time::Instant::now();
    let crl = Crl::from_der(&der).unwrap();
    let parsed = started.elapsed();
    assert_eq!(crl.entries.len(), 50_000);
    let mut hit = leaf(&root, &[1], None);
    hit.serial = [&[0x01][..], &31_337u32.to_be_bytes()[..]].concat().into();
    let miss = leaf(&root, &[2], None);
    let crls = vec![crl];
    let finder = |_: &Name, _: Option<&[u8]>| None;
    let ctx = CrlContext { crls: &crls, time: T, verifier: &RingVerifier, find_crl_signer: &finder };
    let started = std::time::Instant::now();
    let s = check(&hit, &root.cert, &ctx, &mut Budget::new(Limits::default()));
    let checked = started.elapsed();
    assert!(matches!(s, RevocationStatus::Revoked { crl_index: 0, .. }), "{s:?}");
    assert_eq!(check(&miss, &root.cert, &ctx, &mut Budget::new(Limits::default())), RevocationStatus::Good);
    eprintln!("50,000-entry CRL ({} bytes): parse {parsed:?}, one check {checked:?}", der.len());
}

mod mutations {
    use super::*;
    use proptest::prelude::*;

    fn sample() -> (Vec<u8>, Ca, Certificate) {
        let root = full_ca("Trust Anchor", None);
        let ee = leaf(&root, &[1], Some(vec![dp_dir("CRL1")]));
        let name = DpName::Full(vec![dir_name(&name_cn("CRL1"))]);
        let mut e = revoked_for(&[2], 1);
        e.cert_issuer = Some(name_cn("Other"));
        let der = CrlSpec::new(&root)
            .idp(Idp { name: Some(name), reasons: Some(0x1FE), indirect: true, ..Idp::default() })
            .entry(e)
            .entry(revoked(&[3]))
            .sign(&root);
        (der, root, ee)
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

        /// Any mutation of a valid CRL parses or fails with an error, and checking with whatever
        /// parses ends with a status: never a panic.
        #[test]
        fn mutated_crls_never_panic(edits in proptest::collection::vec((any::<usize>(), any::<u8>()), 1..4), cut in any::<usize>()) {
            thread_local!(static SAMPLE: (Vec<u8>, Ca, Certificate) = sample());
            SAMPLE.with(|(der, root, ee)| {
                let mut d = der.clone();
                for (at, b) in &edits {
                    let i = at % d.len();
                    d[i] = *b;
                }
                if cut % 4 == 0 {
                    d.truncate(cut % d.len());
                }
                if let Ok(crl) = Crl::from_der(&d) {
                    let crls = vec![crl];
                    let finder = |_: &Name, _: Option<&[u8]>| None;
                    let ctx = CrlContext { crls: &crls, time: T, verifier: &RingVerifier, find_crl_signer: &finder };
                    let _ = check(ee, &root.cert, &ctx, &mut Budget::new(Limits::default()));
                }
            });
        }
    }
}

#[test]
fn distribution_point_and_crl_pairs_count_against_the_limit() {
    // 600 distribution points against 420 CRLs: 252,000 pairs > 250,000.
    let root = full_ca("Trust Anchor", None);
    let other = full_ca("Other CA", None);
    let dps: Vec<Vec<u8>> =
        (0..600).map(|i| dist_point(Some(DpName::Full(vec![uri(&format!("http://a/{i}"))])), None, None)).collect();
    let ee = leaf(&root, &[1], Some(dps));
    let unrelated = CrlSpec::new(&other).sign(&other);
    let crls = vec![unrelated; 420];
    assert_unknown(&status(&ee, &root, &crls), "rfc5280.crl.name-comparison-limit");
    // 100 of them stay within it (60,000 pairs): simply no CRL from the issuer.
    assert_unknown(&status(&ee, &root, &crls[..100]), "rfc5280.crl.not-found");
}
