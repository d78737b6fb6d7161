//! Synthetic certificates for the qualification tests: a CA made with rcgen and leaves with the
//! QC statements and policies rcgen does not model (written with a minimal DER writer).

use rcgen::{BasicConstraints, CertificateParams, CustomExtension, DnType, IsCa, KeyPair};

// --- minimal DER writer for the extensions rcgen does not model
fn der(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut v = vec![tag];
    let n = content.len();
    if n < 128 {
        v.push(n as u8);
    } else if n < 256 {
        v.extend([0x81, n as u8]);
    } else {
        v.extend([0x82, (n >> 8) as u8, n as u8]);
    }
    v.extend_from_slice(content);
    v
}
fn oid(dotted: &str) -> Vec<u8> {
    let arcs: Vec<u64> = dotted.split('.').map(|a| a.parse().unwrap()).collect();
    let mut body = vec![(arcs[0] * 40 + arcs[1]) as u8];
    for &a in &arcs[2..] {
        let mut stack = vec![(a & 0x7f) as u8];
        let mut x = a >> 7;
        while x > 0 {
            stack.push(((x & 0x7f) as u8) | 0x80);
            x >>= 7;
        }
        stack.reverse();
        body.extend(stack);
    }
    der(0x06, &body)
}
fn seq(items: &[Vec<u8>]) -> Vec<u8> {
    der(0x30, &items.concat())
}
fn arcs(dotted: &str) -> Vec<u64> {
    dotted.split('.').map(|a| a.parse().unwrap()).collect()
}

pub struct Ca {
    pub key: KeyPair,
    pub cert: rcgen::Certificate,
}

pub fn ca(name: &str) -> Ca {
    let mut p = CertificateParams::new(Vec::<String>::new()).unwrap();
    p.distinguished_name.push(DnType::CommonName, name);
    p.distinguished_name.push(DnType::CountryName, "XK");
    p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    p.not_before = rcgen::date_time_ymd(2015, 1, 1);
    p.not_after = rcgen::date_time_ymd(2040, 1, 1);
    let key = KeyPair::generate().unwrap();
    let cert = p.self_signed(&key).unwrap();
    Ca { key, cert }
}

/// A leaf issued by `ca` on `year`-06-01 with the given QC statements and policies.
pub fn leaf(ca: &Ca, year: i32, qc: &[&str], qc_type: Option<&str>, policies: &[&str]) -> Vec<u8> {
    let mut p = CertificateParams::new(Vec::<String>::new()).unwrap();
    p.distinguished_name.push(DnType::CommonName, "Test Person");
    p.not_before = rcgen::date_time_ymd(year, 6, 1);
    p.not_after = rcgen::date_time_ymd(year + 3, 6, 1);
    p.use_authority_key_identifier_extension = true;
    let mut stmts: Vec<Vec<u8>> = qc.iter().map(|o| seq(&[oid(o)])).collect();
    if let Some(t) = qc_type {
        stmts.push(seq(&[oid("0.4.0.1862.1.6"), seq(&[oid(t)])]));
    }
    if !stmts.is_empty() {
        p.custom_extensions.push(CustomExtension::from_oid_content(&arcs("1.3.6.1.5.5.7.1.3"), seq(&stmts)));
    }
    if !policies.is_empty() {
        let pis: Vec<Vec<u8>> = policies.iter().map(|o| seq(&[oid(o)])).collect();
        p.custom_extensions.push(CustomExtension::from_oid_content(&arcs("2.5.29.32"), seq(&pis)));
    }
    let key = KeyPair::generate().unwrap();
    p.signed_by(&key, &ca.cert, &ca.key).unwrap().der().to_vec()
}
