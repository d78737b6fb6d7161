//! Every resource limit of path building and input reading (docs/limits.md) is enforced, with a
//! clear error or finding, and hostile shapes (cycles, fan-out) end quickly.
//!
//! Certificates are made with rcgen (P-256): real signatures, so the budgets are spent on real
//! work rather than short-circuited by a parse error.

use eidtrust_pki as pki;
use pki::budget::Limits;
use pki::cert::{CertError, Certificate, MAX_CERT_BYTES};
use pki::input::{self, InputError, Kind, MAX_BLOCKS, MAX_OBJECT_BYTES};
use pki::validate::{Options, Store, Validator};
use rcgen::{BasicConstraints, CertificateParams, DistinguishedName, DnType, IsCa, KeyPair};
use std::time::{Duration, Instant};

const AT: i64 = 1_700_000_000;

struct Ca {
    params: CertificateParams,
    key: KeyPair,
    cert: rcgen::Certificate,
}

fn params(cn: &str, ca: bool) -> CertificateParams {
    let mut p = CertificateParams::new(Vec::<String>::new()).unwrap();
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CommonName, cn);
    p.distinguished_name = dn;
    if ca {
        p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    }
    p
}

fn root(cn: &str) -> Ca {
    let params = params(cn, true);
    let key = KeyPair::generate().unwrap();
    let cert = params.clone().self_signed(&key).unwrap();
    Ca { params, key, cert }
}

fn issue(cn: &str, ca: bool, by: &Ca) -> Ca {
    let params = params(cn, ca);
    let key = KeyPair::generate().unwrap();
    let cert = params.clone().signed_by(&key, &by.cert, &by.key).unwrap();
    Ca { params, key, cert }
}

fn parsed(c: &Ca) -> Certificate {
    Certificate::from_der(c.cert.der()).unwrap()
}

fn ids(v: &pki::Validation) -> Vec<String> {
    v.verdict.findings.iter().map(|f| f.id.to_string()).collect()
}

/// A leaf under a chain of `n` intermediates under one root.
fn chain(n: usize) -> (Certificate, Vec<Certificate>, Certificate) {
    let r = root("root");
    let mut cas = Vec::new();
    let mut parent = &r;
    for i in 0..n {
        cas.push(issue(&format!("ca-{i}"), true, parent));
        parent = cas.last().unwrap();
    }
    let leaf = issue("leaf", false, parent);
    (parsed(&leaf), cas.iter().map(parsed).collect(), parsed(&r))
}

/// Origin: budget.rs, `Limits::max_path_len` (10 certificates by default).
#[test]
fn chain_depth_limit() {
    let (leaf, inter, anchor) = chain(8); // 10 certificates: exactly the limit
    let v = Validator::new(Store::new([anchor.clone()]));
    let ok = v.validate(&leaf, &inter, &[], &Options::at(AT));
    assert!(ok.is_valid(), "{:?}", ids(&ok));
    assert_eq!(ok.path.len(), Limits::default().max_path_len);

    let (leaf, inter, anchor) = chain(9); // 11 certificates
    let v = Validator::new(Store::new([anchor]));
    let r = v.validate(&leaf, &inter, &[], &Options::at(AT));
    assert!(!r.is_valid());
    let f = r.verdict.findings.iter().find(|f| f.id == "rfc5280.path.too-long").expect("a too-long finding");
    assert!(f.message.contains("10 certificates"), "{}", f.message);
}

/// Origin: budget.rs, `Limits::signature_checks` (100, as rustls-webpki).
#[test]
fn signature_budget() {
    // 30 impostor CAs with the issuing CA's name but other keys: each costs a failed signature
    // check before the real issuer is found (or not).
    let r = root("root");
    let ca = issue("ca", true, &r);
    let leaf = parsed(&issue("leaf", false, &ca));
    let mut inter: Vec<Certificate> = (0..30).map(|_| parsed(&issue("ca", true, &root("other")))).collect();
    inter.push(parsed(&ca));
    let v = Validator::new(Store::new([parsed(&r)]));
    let roomy = v.validate(&leaf, &inter, &[], &Options::at(AT));
    assert!(roomy.is_valid(), "{:?}", ids(&roomy));

    let mut opts = Options::at(AT);
    opts.limits = Limits { signature_checks: 5, ..Limits::default() };
    let v = Validator::new(Store::new([parsed(&r)])).signature_cache(pki::SignatureCache::Disabled);
    let r = v.validate(&leaf, &inter, &[], &opts);
    assert!(!r.is_valid());
    let f = r.verdict.findings.iter().find(|f| f.id == "rfc5280.path.budget-exhausted").expect("a budget finding");
    assert!(f.message.contains("signature"), "{}", f.message);
    assert!(r.signatures_verified <= 5);
}

/// Origin: budget.rs, `Limits::build_steps` (200,000, as rustls-webpki).
#[test]
fn path_building_step_budget() {
    let (leaf, inter, anchor) = chain(4);
    let v = Validator::new(Store::new([anchor]));
    let mut opts = Options::at(AT);
    opts.limits = Limits { build_steps: 2, ..Limits::default() };
    let r = v.validate(&leaf, &inter, &[], &opts);
    assert!(!r.is_valid());
    let f = r.verdict.findings.iter().find(|f| f.id == "rfc5280.path.budget-exhausted").expect("a budget finding");
    assert!(f.message.contains("step"), "{}", f.message);
}

/// Cross-signed CAs that issue each other (A by B, B by A, and A by itself) with no anchor:
/// the builder must not loop, and must answer fast.
#[test]
fn issuer_cycles_terminate() {
    let a = root("A");
    let b = root("B");
    let a_by_b = Certificate::from_der(a.params.clone().signed_by(&a.key, &b.cert, &b.key).unwrap().der()).unwrap();
    let b_by_a = Certificate::from_der(b.params.clone().signed_by(&b.key, &a.cert, &a.key).unwrap().der()).unwrap();
    let leaf = parsed(&issue("leaf", false, &a));
    let inter = vec![a_by_b, b_by_a, parsed(&a), parsed(&b)];
    let v = Validator::new(Store::new([parsed(&root("unrelated"))]));
    let start = Instant::now();
    let r = v.validate(&leaf, &inter, &[], &Options::at(AT));
    assert!(start.elapsed() < Duration::from_secs(2), "took {:?}", start.elapsed());
    assert!(!r.is_valid());
    assert!(ids(&r).iter().any(|i| i == "rfc5280.path.no-issuer"), "{:?}", ids(&r));
}

/// Origin: input.rs, `MAX_BLOCKS` (20,000 objects per input), for PEM and for DER.
#[test]
fn object_count_limit() {
    let block = "-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----\n";
    let ok = block.repeat(MAX_BLOCKS);
    assert_eq!(input::read(ok.as_bytes(), Kind::Certificate).unwrap().len(), MAX_BLOCKS);
    let over = block.repeat(MAX_BLOCKS + 1);
    let e = input::read(over.as_bytes(), Kind::Certificate).unwrap_err();
    assert_eq!(e, InputError::TooMany { limit: MAX_BLOCKS });
    assert_eq!(e.to_string(), format!("more than {MAX_BLOCKS} objects in one input"));

    let der = [0x30u8, 0x00].repeat(MAX_BLOCKS + 1);
    assert_eq!(input::read(&der, Kind::Certificate).unwrap_err(), InputError::TooMany { limit: MAX_BLOCKS });
}

/// Origin: input.rs, `MAX_OBJECT_BYTES` (16 MiB per object): a header claiming more is refused
/// before any allocation.
#[test]
fn object_size_limit() {
    let mut der = vec![0x30, 0x84];
    der.extend_from_slice(&((MAX_OBJECT_BYTES as u32) + 1).to_be_bytes());
    der.extend_from_slice(&[0; 16]);
    let e = input::read(&der, Kind::Certificate).unwrap_err();
    assert!(matches!(e, InputError::NoneFound { .. } | InputError::Der { .. }), "{e:?}");
    assert!(!e.to_string().is_empty());
}

/// Origin: cert.rs, `MAX_CERT_BYTES` (64 KiB per certificate).
#[test]
fn certificate_size_limit() {
    let big = vec![0x30u8; MAX_CERT_BYTES + 1];
    let e = Certificate::from_der(&big).unwrap_err();
    assert_eq!(e, CertError::TooLarge(MAX_CERT_BYTES));
    assert!(e.to_string().contains("65536"), "{e}");
}

/// DER nesting: x509-parser/der-parser bound their recursion (der-parser's `MAX_RECURSION`,
/// 50 levels); 100,000 nested indefinite-length SEQUENCEs are refused without exhausting the
/// stack of a 2 MiB thread.
#[test]
fn der_depth_is_bounded() {
    let deep = [0x30u8, 0x80].repeat(100_000);
    let h = std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(move || {
            let e = Certificate::from_der(&deep).unwrap_err();
            assert!(!e.to_string().is_empty());
            let mut nested = vec![0x02, 0x01, 0x00];
            for _ in 0..5_000 {
                let mut n = vec![0x30, 0x83];
                n.extend_from_slice(&(nested.len() as u32).to_be_bytes()[1..]);
                n.extend_from_slice(&nested);
                nested = n;
                if nested.len() > MAX_CERT_BYTES - 8 {
                    break;
                }
            }
            assert!(Certificate::from_der(&nested).is_err());
            assert!(pki::crl::Crl::from_der(&nested).is_err());
            assert!(pki::ocsp::OcspResponse::from_der(&nested).is_err());
        })
        .unwrap();
    h.join().unwrap();
}
