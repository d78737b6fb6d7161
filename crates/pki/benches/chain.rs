//! Chain validation throughput against rustls-webpki, in the same process.
//!
//! Chains: leaf -> intermediate -> root, all ECDSA P-256 or all RSA-2048 (keys in benches/keys,
//! made once with `openssl genpkey`), validated for TLS server authentication of `example.com`
//! with 1 and with 100 trust anchors. Both sides parse the leaf on every iteration; eidtrust
//! parses anchors and intermediates once (its `Store`), as a relying party does.
//!
//! Rows:
//! - `*/eidtrust-nocache`: the verified-signature cache off, so both sides verify two signatures.
//! - `*/eidtrust-cached-1000-leaves`: 1,000 distinct leaves under one intermediate, the cache on
//!   and empty at the start of every iteration: the intermediate's signature is verified once,
//!   each leaf's once.
//! - `*/sig-floor`: just the two ring signature verifications, to show the share of time outside them.
//! - `*/interleaved/N`: eidtrust (cache off) and webpki in alternating blocks within every sample;
//!   prints the throughput ratio measured that way (see [`interleaved`]). `scripts/bench-layouts`
//!   runs these rows over many code layouts and averages the ratio.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use eidtrust_pki as pki;
use pki::cert::Certificate;
use pki::hostname::ServerName;
use pki::validate::{Options, Rules, SignatureCache, Store, Usage, Validator};
use rcgen::{BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, KeyPair, KeyUsagePurpose};
use rustls_pki_types::{CertificateDer, UnixTime};
use std::time::Duration;

const NOW: i64 = 1_750_000_000;

struct Chain {
    root: Vec<u8>,
    inter: Vec<u8>,
    leaves: Vec<Vec<u8>>,
    extra_roots: Vec<Vec<u8>>,
}

fn params(cn: &str, ca: bool) -> CertificateParams {
    let mut p = CertificateParams::new(if ca { vec![] } else { vec!["example.com".to_string()] }).unwrap();
    p.distinguished_name.push(DnType::CommonName, cn);
    p.not_before = rcgen::date_time_ymd(2024, 1, 1);
    p.not_after = rcgen::date_time_ymd(2030, 1, 1);
    p.use_authority_key_identifier_extension = true;
    if ca {
        p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        p.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    } else {
        p.key_usages = vec![KeyUsagePurpose::DigitalSignature];
        p.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    }
    p
}

fn key(rsa: bool, name: &str) -> KeyPair {
    if rsa {
        let pem =
            std::fs::read_to_string(format!("{}/benches/keys/rsa2048-{name}.pem", env!("CARGO_MANIFEST_DIR"))).unwrap();
        KeyPair::from_pkcs8_pem_and_sign_algo(&pem, &rcgen::PKCS_RSA_SHA256).unwrap()
    } else {
        KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).unwrap()
    }
}

fn chain(rsa: bool, leaves: usize) -> Chain {
    let rk = key(rsa, "root");
    let root = params("Bench Root", true).self_signed(&rk).unwrap();
    let ik = key(rsa, "inter");
    let inter = params("Bench Intermediate", true).signed_by(&ik, &root, &rk).unwrap();
    let lk = key(rsa, "leaf");
    let leaves = (0..leaves)
        .map(|i| params(&format!("leaf {i}"), false).signed_by(&lk, &inter, &ik).unwrap().der().to_vec())
        .collect();
    let extra_roots = (0..99)
        .map(|i| {
            let k = KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).unwrap();
            params(&format!("Other Root {i}"), true).self_signed(&k).unwrap().der().to_vec()
        })
        .collect();
    Chain { root: root.der().to_vec(), inter: inter.der().to_vec(), leaves, extra_roots }
}

fn options() -> Options {
    let mut o = Options::at(NOW);
    o.usage = Usage::ServerAuth;
    o.rules = Rules::WebPki;
    o.server_name = Some(ServerName::parse("example.com").unwrap());
    o
}

fn eidtrust_validator(c: &Chain, anchors: usize, cache: SignatureCache) -> (Validator, Vec<Certificate>) {
    let mut roots = vec![Certificate::from_der(&c.root).unwrap()];
    roots.extend(c.extra_roots.iter().take(anchors - 1).map(|d| Certificate::from_der(d).unwrap()));
    // The real root last, so the index lookup, not list order, finds it.
    roots.rotate_left(1);
    let v = Validator::new(Store::new(roots)).signature_cache(cache);
    (v, vec![Certificate::from_der(&c.inter).unwrap()])
}

fn eidtrust_once(v: &Validator, inters: &[Certificate], leaf: &[u8], opts: &Options) {
    let leaf = Certificate::from_der(leaf).unwrap();
    let r = v.validate(&leaf, inters, &[], opts);
    assert!(r.is_valid(), "{:?}", r.verdict);
}

fn webpki_once(
    anchors: &[rustls_pki_types::TrustAnchor<'_>],
    inter: &[CertificateDer<'_>],
    leaf: &[u8],
    name: &rustls_pki_types::ServerName<'_>,
) {
    let leaf = CertificateDer::from(leaf);
    let ee = webpki::EndEntityCert::try_from(&leaf).unwrap();
    ee.verify_for_usage(
        webpki::ALL_VERIFICATION_ALGS,
        anchors,
        inter,
        UnixTime::since_unix_epoch(Duration::from_secs(NOW as u64)),
        webpki::KeyUsage::server_auth(),
        None,
        None,
    )
    .unwrap();
    ee.verify_is_valid_for_subject_name(name).unwrap();
}

/// The number of validations each side runs in turn within an interleaved sample.
const BLOCK: u64 = 50;

/// One row that runs eidtrust and webpki in alternating blocks of [`BLOCK`] validations within
/// every criterion sample and times each side's blocks, so that both are measured under the same
/// conditions: two rows measured one after the other also measure whatever drifts between them
/// (frequency, other load), which on the RSA single-anchor row is as large as the difference.
/// Criterion reports eidtrust's time for the row; the ratio (webpki time / eidtrust time) of
/// every sample is printed, as median and quartiles.
fn interleaved(
    g: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    group: &str,
    row: &str,
    samples: usize,
    eidtrust: impl Fn(),
    webpki: impl Fn(),
) {
    let times = std::cell::RefCell::new(Vec::new());
    g.bench_function(row, |b| {
        b.iter_custom(|iters| {
            let (mut eid, mut wp) = (Duration::ZERO, Duration::ZERO);
            let (mut left, mut eid_first) = (iters, true);
            while left > 0 {
                let k = left.min(BLOCK);
                for side_is_eid in [eid_first, !eid_first] {
                    let t = std::time::Instant::now();
                    for _ in 0..k {
                        if side_is_eid {
                            eidtrust()
                        } else {
                            webpki()
                        }
                    }
                    *(if side_is_eid { &mut eid } else { &mut wp }) += t.elapsed();
                }
                left -= k;
                eid_first = !eid_first;
            }
            times.borrow_mut().push((eid, wp));
            eid
        })
    });
    // The last `samples` calls are the measurement; the ones before were the warm-up.
    let times = times.into_inner();
    let measured = &times[times.len().saturating_sub(samples)..];
    let mut ratios: Vec<f64> = measured.iter().map(|(e, w)| w.as_secs_f64() / e.as_secs_f64()).collect();
    if ratios.is_empty() {
        return; // the row was filtered out
    }
    ratios.sort_by(f64::total_cmp);
    let q = |f: f64| ratios[((ratios.len() - 1) as f64 * f).round() as usize];
    let (e, w) = measured.iter().fold((0.0, 0.0), |(e, w), (a, b)| (e + a.as_secs_f64(), w + b.as_secs_f64()));
    println!(
        "{group}/{row}: throughput ratio webpki/eidtrust {:.4} (median of {} samples; quartiles {:.4} .. {:.4}; \
         min {:.4}; ratio of sums {:.4})",
        q(0.5),
        ratios.len(),
        q(0.25),
        q(0.75),
        ratios[0],
        w / e
    );
}

/// Samples per row.
const SAMPLES: usize = 30;

fn bench(c: &mut Criterion) {
    let opts = options();
    // Parsed once, as eidtrust's `Options` holds its server name.
    let server_name = rustls_pki_types::ServerName::try_from("example.com").unwrap();
    for (alg, rsa) in [("p256", false), ("rsa2048", true)] {
        let ch = chain(rsa, 1000);
        let mut g = c.benchmark_group(format!("chain/{alg}"));
        g.measurement_time(Duration::from_secs(3)).warm_up_time(Duration::from_millis(500)).sample_size(SAMPLES);
        for anchors in [1usize, 100] {
            let (v, inters) = eidtrust_validator(&ch, anchors, SignatureCache::Disabled);
            g.bench_with_input(BenchmarkId::new("eidtrust-nocache", anchors), &anchors, |b, _| {
                b.iter(|| eidtrust_once(&v, &inters, &ch.leaves[0], &opts))
            });
            let root_ders: Vec<CertificateDer> = std::iter::once(&ch.root)
                .chain(ch.extra_roots.iter().take(anchors - 1))
                .map(|d| CertificateDer::from(d.as_slice()))
                .collect();
            let tas: Vec<_> = root_ders.iter().map(|d| webpki::anchor_from_trusted_cert(d).unwrap()).collect();
            let inter_der = [CertificateDer::from(ch.inter.as_slice())];
            g.bench_with_input(BenchmarkId::new("webpki", anchors), &anchors, |b, _| {
                b.iter(|| webpki_once(&tas, &inter_der, &ch.leaves[0], &server_name))
            });
            interleaved(
                &mut g,
                &format!("chain/{alg}"),
                &format!("interleaved/{anchors}"),
                SAMPLES,
                || eidtrust_once(&v, &inters, &ch.leaves[0], &opts),
                || webpki_once(&tas, &inter_der, &ch.leaves[0], &server_name),
            );
        }
        // The floor: the two signature verifications alone, with ring.
        let root = Certificate::from_der(&ch.root).unwrap();
        let inter = Certificate::from_der(&ch.inter).unwrap();
        let leaf = Certificate::from_der(&ch.leaves[0]).unwrap();
        let verifier = pki::crypto::RingVerifier;
        g.bench_function("sig-floor", |b| {
            use pki::crypto::SignatureVerifier;
            b.iter(|| {
                verifier.verify(&leaf.signature_algorithm, &inter.public_key, leaf.tbs_der(), &leaf.signature).unwrap();
                verifier
                    .verify(&inter.signature_algorithm, &root.public_key, inter.tbs_der(), &inter.signature)
                    .unwrap();
            })
        });
        // 1,000 distinct leaves under one intermediate. Every iteration starts from a fresh
        // validator (an empty cache), so the intermediate's signature is verified once per 1,000
        // leaves and each leaf's once: the cache is never hit for a signature it has not checked.
        g.throughput(Throughput::Elements(1000));
        g.bench_function("eidtrust-cached-1000-leaves", |b| {
            b.iter_batched(
                || eidtrust_validator(&ch, 1, SignatureCache::Enabled),
                |(v, inters)| {
                    for l in &ch.leaves {
                        eidtrust_once(&v, &inters, l, &opts)
                    }
                },
                criterion::BatchSize::PerIteration,
            )
        });
        let root_der = [CertificateDer::from(ch.root.as_slice())];
        let tas: Vec<_> = root_der.iter().map(|d| webpki::anchor_from_trusted_cert(d).unwrap()).collect();
        let inter_der = [CertificateDer::from(ch.inter.as_slice())];
        g.bench_function("webpki-1000-leaves", |b| {
            b.iter(|| {
                for l in &ch.leaves {
                    webpki_once(&tas, &inter_der, l, &server_name)
                }
            })
        });
        g.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
