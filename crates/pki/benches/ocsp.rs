//! The cost of an OCSP check next to chain validation (issue 8 target: validation with a cached
//! OCSP response under 1.3x validation without revocation).
//!
//! Chain: testpki's leaf -> qualified CA (P-256) -> root (P-384), validated with the
//! verified-signature cache off. Rows:
//! - `chain`: validation alone;
//! - `chain+ocsp`: validation plus `ocsp::check_response` on a stapled response (parse, CertID
//!   match, one ECDSA P-256 verification);
//! - `chain+ocsp-memo`: the same with the response signature already verified once (what a
//!   verifier that memoises (key, signed bytes, signature) gives a cached response);
//! - `ca-anchor/*`: the same with the issuing CA as trust anchor, so the path has one P-256
//!   signature (ring verifies P-384 about 15x slower than P-256, which hides the OCSP cost in
//!   the full chain);
//! - `ocsp-parse`: `OcspResponse::from_der` alone;
//! - `integrated/*`: what a service runs — `Validator::validate_with` with the verified-signature
//!   cache on, without revocation and with the stapled response under `RevocationMode::Require`
//!   (end-entity scope). The response's signature goes through the same cache as the
//!   certificates', so a cached response costs its parse and checks, not a verification. This
//!   pair is the issue 8 target (< 1.3x).

use criterion::{criterion_group, criterion_main, Criterion};
use eidtrust_pki as pki;
use pki::budget::{Budget, Limits};
use pki::cert::{Certificate, PublicKeyInfo, SignatureAlgorithm};
use pki::crypto::{RingVerifier, SignatureError, SignatureVerifier};
use pki::ocsp::{check_response, OcspOutcome, OcspResponse};
use pki::revocation::{GivenOcsp, Sources};
use pki::validate::{Options, RevocationMode, RevocationScope, SignatureCache, Store, Validator};
use std::collections::HashSet;
use std::sync::Mutex;
use testpki::ocsp_server::OcspResponder;
use testpki::pki::{IssuingCa, LeafSpec, StatePki, VALIDATION_TIME};

const T: i64 = 1_748_736_000;

/// (key, signed bytes, signature).
type Verified = (Vec<u8>, Vec<u8>, Vec<u8>);

/// Remembers what verified (keyed on the whole input; a real cache would hash it).
#[derive(Default)]
struct Memo(Mutex<HashSet<Verified>>);

impl SignatureVerifier for Memo {
    fn verify(
        &self,
        alg: &SignatureAlgorithm,
        key: &PublicKeyInfo,
        msg: &[u8],
        sig: &[u8],
    ) -> Result<(), SignatureError> {
        let k = (key.der.to_vec(), msg.to_vec(), sig.to_vec());
        if self.0.lock().map(|s| s.contains(&k)).unwrap_or(false) {
            return Ok(());
        }
        RingVerifier.verify(alg, key, msg, sig)?;
        if let Ok(mut s) = self.0.lock() {
            s.insert(k);
        }
        Ok(())
    }
}

fn bench(c: &mut Criterion) {
    let state = testpki::states::all().into_iter().next().expect("a state");
    let p = StatePki::build(&state);
    let spec = LeafSpec::valid(&state, testpki::etsi::CertType::QualifiedEsig, "bench");
    let ca = p.issuing(IssuingCa::for_type(spec.cert_type)).clone();
    let leaf_i = spec.issue(&p.leaf_key("bench"), &ca);
    let staple = OcspResponder::new(&ca, VALIDATION_TIME).staple(&leaf_i);
    let root = Certificate::from_der(&p.root.der).expect("root");
    let inter = Certificate::from_der(&ca.der).expect("ca");
    let validator = Validator::new(Store::new([root])).signature_cache(SignatureCache::Disabled);
    let opts = Options::at(T);
    let leaf = Certificate::from_der(&leaf_i.der).expect("leaf");
    assert!(validator.validate(&leaf, std::slice::from_ref(&inter), &[], &opts).is_valid());
    let memo = Memo::default();
    let mut b = Budget::new(Limits::default());
    assert_eq!(check_response(&leaf, &inter, &staple, T, &memo, None, &mut b).outcome, OcspOutcome::Good);

    let mut g = c.benchmark_group("ocsp");
    g.bench_function("chain", |bch| {
        bch.iter(|| {
            let leaf = Certificate::from_der(&leaf_i.der).expect("leaf");
            validator.validate(&leaf, std::slice::from_ref(&inter), &[], &opts).is_valid()
        })
    });
    g.bench_function("chain+ocsp", |bch| {
        bch.iter(|| {
            let leaf = Certificate::from_der(&leaf_i.der).expect("leaf");
            let ok = validator.validate(&leaf, std::slice::from_ref(&inter), &[], &opts).is_valid();
            let mut b = Budget::new(Limits::default());
            ok && check_response(&leaf, &inter, &staple, T, &RingVerifier, None, &mut b).is_good()
        })
    });
    g.bench_function("chain+ocsp-memo", |bch| {
        bch.iter(|| {
            let leaf = Certificate::from_der(&leaf_i.der).expect("leaf");
            let ok = validator.validate(&leaf, std::slice::from_ref(&inter), &[], &opts).is_valid();
            let mut b = Budget::new(Limits::default());
            ok && check_response(&leaf, &inter, &staple, T, &memo, None, &mut b).is_good()
        })
    });
    let ca_anchor = Validator::new(Store::new([inter.clone()])).signature_cache(SignatureCache::Disabled);
    assert!(ca_anchor.validate(&leaf, &[], &[], &opts).is_valid());
    g.bench_function("ca-anchor/chain", |bch| {
        bch.iter(|| {
            let leaf = Certificate::from_der(&leaf_i.der).expect("leaf");
            ca_anchor.validate(&leaf, &[], &[], &opts).is_valid()
        })
    });
    g.bench_function("ca-anchor/chain+ocsp", |bch| {
        bch.iter(|| {
            let leaf = Certificate::from_der(&leaf_i.der).expect("leaf");
            let ok = ca_anchor.validate(&leaf, &[], &[], &opts).is_valid();
            let mut b = Budget::new(Limits::default());
            ok && check_response(&leaf, &inter, &staple, T, &RingVerifier, None, &mut b).is_good()
        })
    });
    g.bench_function("ca-anchor/chain+ocsp-memo", |bch| {
        bch.iter(|| {
            let leaf = Certificate::from_der(&leaf_i.der).expect("leaf");
            let ok = ca_anchor.validate(&leaf, &[], &[], &opts).is_valid();
            let mut b = Budget::new(Limits::default());
            ok && check_response(&leaf, &inter, &staple, T, &memo, None, &mut b).is_good()
        })
    });
    g.bench_function("ocsp-parse", |bch| bch.iter(|| OcspResponse::from_der(&staple).is_ok()));

    let cached = Validator::new(Store::new([Certificate::from_der(&p.root.der).expect("root")]));
    let given = [GivenOcsp::new("stapled", staple.clone())];
    let with_ocsp = Sources { ocsp: &given, ..Sources::default() };
    let mut require = Options::at(T);
    require.revocation = RevocationMode::Require;
    require.revocation_scope = RevocationScope::EndEntityOnly;
    let v = cached.validate_with(&leaf, std::slice::from_ref(&inter), &with_ocsp, &require);
    assert!(v.is_valid() && v.revocation.len() == 1, "{:?}", v.verdict.findings);
    g.bench_function("integrated/no-revocation", |bch| {
        bch.iter(|| {
            let leaf = Certificate::from_der(&leaf_i.der).expect("leaf");
            cached.validate(&leaf, std::slice::from_ref(&inter), &[], &opts).is_valid()
        })
    });
    g.bench_function("integrated/cached-ocsp", |bch| {
        bch.iter(|| {
            let leaf = Certificate::from_der(&leaf_i.der).expect("leaf");
            cached.validate_with(&leaf, std::slice::from_ref(&inter), &with_ocsp, &require).is_valid()
        })
    });
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30).measurement_time(std::time::Duration::from_secs(3));
    targets = bench
}
criterion_main!(benches);
