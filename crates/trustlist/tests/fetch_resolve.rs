//! `fetch::resolve` with an in-memory fetcher (no network): territory check, rollback refusal,
//! cache reuse and the fetch limits. The HTTP path is tested through the CLI against a loopback
//! server (crates/cli/tests/tl_fetch.rs).

use eidtrust_trustlist::build::{sign, ListSpec, PointerSpec};
use eidtrust_trustlist::fetch::{resolve, Fetch, FetchConfig, ListSource, LocalList};
use eidtrust_trustlist::{findings as f, parse, TrustedList};
use pki::fetch::{FetchError, FetchLimits, FetchRequest, FetchSession, Fetcher};
use std::collections::HashMap;
use std::sync::Mutex;

const AT: i64 = 1_717_200_000; // 2024-06-01

struct Signer {
    key_pem: String,
    der: Vec<u8>,
}

fn signer(cn: &str) -> Signer {
    let mut p = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
    p.distinguished_name.push(rcgen::DnType::CommonName, cn);
    p.not_before = rcgen::date_time_ymd(2020, 1, 1);
    p.not_after = rcgen::date_time_ymd(2030, 1, 1);
    let key = rcgen::KeyPair::generate().unwrap();
    let cert = p.self_signed(&key).unwrap();
    Signer { key_pem: key.serialize_pem(), der: cert.der().to_vec() }
}

fn list(territory: &str, seq: u64, next_update: &str, s: &Signer) -> Vec<u8> {
    let spec = ListSpec {
        territory: territory.into(),
        sequence_number: seq,
        tsl_type: "http://uri.etsi.org/TrstSvc/TrustedList/TSLType/EUgeneric".into(),
        operator: "op".into(),
        issue: "2024-01-01T00:00:00Z".into(),
        next_update: Some(next_update.into()),
        pointers: vec![],
        providers: vec![],
    };
    sign(&spec.to_xml(), s.key_pem.as_bytes(), &s.der).unwrap().into_bytes()
}

fn lotl(pointers: &[(&str, &str, &Signer)]) -> TrustedList {
    let spec = ListSpec {
        territory: "EU".into(),
        sequence_number: 1,
        tsl_type: "http://uri.etsi.org/TrstSvc/TrustedList/TSLType/EUlistofthelists".into(),
        operator: "lotl".into(),
        issue: "2024-01-01T00:00:00Z".into(),
        next_update: Some("2025-01-01T00:00:00Z".into()),
        pointers: pointers
            .iter()
            .map(|(t, loc, s)| PointerSpec {
                location: loc.to_string(),
                territory: t.to_string(),
                tsl_type: "http://uri.etsi.org/TrstSvc/TrustedList/TSLType/EUgeneric".into(),
                certificates: vec![s.der.clone()],
            })
            .collect(),
        providers: vec![],
    };
    parse(spec.to_xml().as_bytes()).unwrap()
}

#[derive(Default)]
struct Mem {
    bodies: HashMap<String, Vec<u8>>,
    calls: Mutex<Vec<String>>,
}

impl Fetcher for Mem {
    fn fetch(&self, req: &FetchRequest<'_>) -> Result<Vec<u8>, FetchError> {
        self.calls.lock().unwrap().push(req.url.to_string());
        self.bodies.get(req.url).cloned().ok_or(FetchError::HttpStatus { url: req.url.into(), status: 404 })
    }
}

fn tmp(label: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("tl-resolve-{}-{label}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    d
}

#[test]
fn territory_mismatch_and_rollback_are_refused() {
    let a = signer("A");
    let mut mem = Mem::default();
    // The "AA" pointer serves a (validly signed) list of BB.
    mem.bodies.insert("http://x/aa.xml".into(), list("BB", 5, "2024-12-01T00:00:00Z", &a));
    mem.bodies.insert("http://x/cc.xml".into(), list("CC", 3, "2024-12-01T00:00:00Z", &a));
    let l = lotl(&[("AA", "http://x/aa.xml", &a), ("CC", "http://x/cc.xml", &a)]);
    let cache = tmp("rollback");
    std::fs::create_dir_all(&cache).unwrap();
    // A cached CC list with a higher sequence number that is past its NextUpdate: CC is fetched,
    // and the fetched (older) list is refused.
    std::fs::write(cache.join("CC-4.xml"), list("CC", 4, "2024-03-01T00:00:00Z", &a)).unwrap();
    let session = FetchSession::new(&mem, FetchLimits::default());
    let fx =
        Fetch { session: &session, config: FetchConfig { cache_dir: Some(cache.clone()), ..FetchConfig::default() } };
    let r = resolve(&l, &[], Some(&fx), AT);
    assert!(matches!(r[0].source, ListSource::Failed { .. }), "{:?}", r[0].source);
    assert!(r[0].findings.iter().any(|x| x.id == f::FETCH_TERRITORY.id));
    assert!(r[0].verified_list().is_none());
    assert!(matches!(r[1].source, ListSource::Failed { .. }), "{:?}", r[1].source);
    assert!(r[1].findings.iter().any(|x| x.id == f::FETCH_ROLLBACK.id), "{:?}", r[1].findings);
    assert!(!cache.join("CC-3.xml").exists());
    assert!(!cache.join("AA-5.xml").exists() && !cache.join("BB-5.xml").exists());
    let _ = std::fs::remove_dir_all(&cache);
}

#[test]
fn local_lists_win_and_the_cache_spares_the_network() {
    let a = signer("A");
    let mut mem = Mem::default();
    mem.bodies.insert("http://x/aa.xml".into(), list("AA", 2, "2024-12-01T00:00:00Z", &a));
    let l = lotl(&[("AA", "http://x/aa.xml", &a)]);
    // Offline: nothing.
    let r = resolve(&l, &[], None, AT);
    assert!(matches!(r[0].source, ListSource::None { .. }));
    // A local list is used without fetching.
    let local = LocalList { file: "aa.xml".into(), bytes: list("AA", 1, "2024-12-01T00:00:00Z", &a) };
    let session = FetchSession::new(&mem, FetchLimits::default());
    let cache = tmp("reuse");
    let fx =
        Fetch { session: &session, config: FetchConfig { cache_dir: Some(cache.clone()), ..FetchConfig::default() } };
    let r = resolve(&l, &[local], Some(&fx), AT);
    assert_eq!(r[0].source, ListSource::Local { file: "aa.xml".into() });
    assert_eq!(r[0].verified(), Some(true));
    assert!(mem.calls.lock().unwrap().is_empty());
    // Fetched once, then served from the cache.
    let r = resolve(&l, &[], Some(&fx), AT);
    assert!(matches!(r[0].source, ListSource::Fetched { cached_as: Some(_), .. }), "{:?}", r[0].source);
    assert_eq!(r[0].verified_list().map(|x| x.sequence_number), Some(2));
    let r = resolve(&l, &[], Some(&fx), AT);
    assert!(matches!(r[0].source, ListSource::Cache { .. }), "{:?}", r[0].source);
    assert_eq!(mem.calls.lock().unwrap().len(), 1);
    // A pointer whose declared signer changed: the cached copy no longer verifies, so it is
    // fetched again (and the fetched one does not verify either).
    let b = signer("B");
    let l2 = lotl(&[("AA", "http://x/aa.xml", &b)]);
    let r = resolve(&l2, &[], Some(&fx), AT);
    assert!(r[0].findings.iter().any(|x| x.id == f::FETCH_CACHE.id));
    assert!(r[0].findings.iter().any(|x| x.id == f::FETCH_NOT_VERIFIED.id));
    assert_eq!(r[0].verified(), Some(false));
    assert_eq!(mem.calls.lock().unwrap().len(), 2);
    let _ = std::fs::remove_dir_all(&cache);
}

#[test]
fn the_fetch_count_and_size_caps_are_enforced() {
    let a = signer("A");
    let mut mem = Mem::default();
    for t in ["AA", "BB", "CC"] {
        mem.bodies.insert(format!("http://x/{t}.xml"), list(t, 1, "2024-12-01T00:00:00Z", &a));
    }
    let l = lotl(&[("AA", "http://x/AA.xml", &a), ("BB", "http://x/BB.xml", &a), ("CC", "http://x/CC.xml", &a)]);
    let session = FetchSession::new(&mem, FetchLimits { max_fetches: 2, ..FetchLimits::default() });
    let fx = Fetch { session: &session, config: FetchConfig::default() };
    let r = resolve(&l, &[], Some(&fx), AT);
    assert_eq!(r[0].verified(), Some(true));
    assert_eq!(r[1].verified(), Some(true));
    assert!(r[2].findings.iter().any(|x| x.id == "fetch.count-limit"), "{:?}", r[2].findings);
    // A list over the configured cap is refused even if the fetcher returned it.
    let session = FetchSession::new(&mem, FetchLimits::default());
    let fx = Fetch { session: &session, config: FetchConfig { max_bytes: 100, cache_dir: None } };
    let r = resolve(&l, &[], Some(&fx), AT);
    assert!(r.iter().all(|x| x.findings.iter().any(|y| y.id == "fetch.too-large")));
}
