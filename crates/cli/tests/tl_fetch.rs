//! `tl lotl --fetch` and `tl qualify --lotl --fetch` against testpki's loopback HTTP server (never
//! the internet): a good list, a list signed by a key its pointer does not declare, an oversized
//! body, a slow server, a server that is down, a non-http location, and the cache (a second run
//! fetches nothing).

use eidtrust::trustlist::build::{ListSpec, PointerSpec};
use std::path::PathBuf;
use std::process::Command;
use testpki::ocsp_server::{closed_port_url, Route, TestServer};
use testpki::pki::{IssuingCa, LeafSpec, StatePki};
use testpki::states::State;

const AT: &str = "2025-06-01T00:00:00Z";
const TSL: &str = "application/vnd.etsi.tsl+xml";

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_eidtrust"))
}

fn state(code: &str) -> State {
    testpki::states::all().into_iter().find(|s| s.code == code).unwrap()
}

fn signed(code: &str) -> Vec<u8> {
    testpki::tl::signed_list(&StatePki::build(&state(code))).unwrap().into_bytes()
}

fn signer(code: &str) -> Vec<u8> {
    testpki::tl::signer(&state(code)).der
}

fn dir(label: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("eidtrust-tl-fetch-{}-{label}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// A LOTL whose pointers are (territory, location, declared signer of that state).
fn lotl(dir: &std::path::Path, pointers: &[(&str, String, &str)]) -> String {
    let spec = ListSpec {
        territory: "EU".into(),
        sequence_number: 7,
        tsl_type: "http://uri.etsi.org/TrstSvc/TrustedList/TSLType/EUlistofthelists".into(),
        operator: "eidtrust TEST LOTL operator".into(),
        issue: "2025-01-01T00:00:00Z".into(),
        next_update: Some("2035-01-01T00:00:00Z".into()),
        pointers: pointers
            .iter()
            .map(|(t, loc, who)| PointerSpec {
                location: loc.clone(),
                territory: t.to_string(),
                tsl_type: "http://uri.etsi.org/TrstSvc/TrustedList/TSLType/EUgeneric".into(),
                certificates: vec![signer(who)],
            })
            .collect(),
        providers: Vec::new(),
    };
    let p = dir.join("lotl.xml");
    std::fs::write(&p, spec.to_xml()).unwrap();
    p.to_string_lossy().into_owned()
}

fn run(args: &[&str]) -> (i32, serde_json::Value) {
    let out = bin().args(args).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let v = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {stdout}\nstderr: {}", String::from_utf8_lossy(&out.stderr)));
    (out.status.code().unwrap_or(-1), v)
}

fn pointer<'a>(v: &'a serde_json::Value, territory: &str) -> &'a serde_json::Value {
    v["pointers"].as_array().unwrap().iter().find(|p| p["territory"] == territory).unwrap()
}

fn ids(p: &serde_json::Value) -> Vec<String> {
    p["findings"].as_array().unwrap().iter().map(|f| f["id"].as_str().unwrap().to_string()).collect()
}

#[test]
fn every_failure_is_reported_per_pointer_and_the_cache_is_reused() {
    let server = TestServer::start().unwrap();
    server.set("/rs.xml", Route::Static { content_type: TSL, body: signed("rs") });
    // ME's list, signed by ME's key, behind a pointer that declares RS's signer.
    server.set("/me.xml", Route::Static { content_type: TSL, body: signed("me") });
    // 33 MiB without a Content-Length: over the 32 MiB cap, found while reading.
    server.set("/mk.xml", Route::Stream { len: 33 * 1024 * 1024 });
    server.set(
        "/al.xml",
        Route::Slow {
            delay: std::time::Duration::from_secs(4),
            then: Box::new(Route::Static { content_type: TSL, body: signed("al") }),
        },
    );
    let d = dir("all");
    let cache = d.join("cache");
    let l = lotl(
        &d,
        &[
            ("RS", server.url("/rs.xml"), "rs"),
            ("ME", server.url("/me.xml"), "rs"),
            ("MK", server.url("/mk.xml"), "mk"),
            ("AL", server.url("/al.xml"), "al"),
            ("BA", closed_port_url("/ba.xml").unwrap(), "ba"),
            ("XK", "file:///etc/passwd".into(), "xk"),
        ],
    );
    let cache_s = cache.to_string_lossy().into_owned();
    let args = [
        "tl",
        "lotl",
        &l,
        "--fetch",
        "--cache-dir",
        &cache_s,
        "--timeout",
        "1",
        "--total-timeout",
        "30",
        "--at",
        AT,
        "--format",
        "json",
    ];
    let started = std::time::Instant::now();
    let (code, v) = run(&args);
    assert!(started.elapsed() < std::time::Duration::from_secs(20), "took {:?}", started.elapsed());
    assert_eq!(code, 1, "{v:#}");
    assert_eq!(v["fetch"], true);

    let rs = pointer(&v, "RS");
    assert_eq!(rs["list"]["kind"], "fetched", "{rs:#}");
    assert_eq!(rs["verified"], true);
    assert_eq!(rs["list"]["sequence_number"], 1);
    assert_eq!(rs["trust"]["kind"], "lotl-pointer");
    assert!(cache.join("RS-1.xml").exists());

    let me = pointer(&v, "ME");
    assert_eq!(me["list"]["kind"], "failed", "{me:#}");
    assert_eq!(me["verified"], false);
    assert!(ids(me).contains(&"tl.fetch.not-verified".to_string()), "{me:#}");
    assert!(ids(me).contains(&"tl.sig.signer-not-declared".to_string()), "{me:#}");
    assert!(!cache.join("ME-1.xml").exists(), "a list that does not verify is never cached");

    let mk = pointer(&v, "MK");
    assert_eq!(mk["list"]["kind"], "failed");
    assert_eq!(ids(mk), vec!["fetch.too-large"], "{mk:#}");
    let al = pointer(&v, "AL");
    assert_eq!(al["list"]["kind"], "failed");
    assert_eq!(ids(al), vec!["fetch.timeout"], "{al:#}");
    let ba = pointer(&v, "BA");
    assert_eq!(ba["list"]["kind"], "failed");
    assert_eq!(ids(ba), vec!["fetch.unreachable"], "{ba:#}");
    let xk = pointer(&v, "XK");
    assert_eq!(xk["list"]["kind"], "failed");
    assert_eq!(ids(xk), vec!["fetch.url-refused"], "{xk:#}");
    assert!(xk["list"]["reason"].as_str().unwrap().contains("only http and https"));
    assert_eq!(server.hits("/rs.xml"), 1);

    // Second run: RS comes from the cache, nothing is fetched for it.
    let (code, v) = run(&args);
    assert_eq!(code, 1);
    let rs = pointer(&v, "RS");
    assert_eq!(rs["list"]["kind"], "cache", "{rs:#}");
    assert_eq!(rs["verified"], true);
    assert_eq!(server.hits("/rs.xml"), 1, "the cached list was fetched again");

    // After the cached list's NextUpdate it is no longer current: fetched again.
    let late = ["--at", "2036-01-02T00:00:00Z"];
    let mut later: Vec<&str> = args.iter().copied().filter(|a| *a != AT && *a != "--at").collect();
    later.extend(late);
    let (_, v) = run(&later);
    assert_eq!(pointer(&v, "RS")["list"]["kind"], "fetched");
    assert_eq!(server.hits("/rs.xml"), 2);

    // Offline (no --fetch): nothing is fetched, every pointer says so, exit 0.
    let (code, v) = run(&["tl", "lotl", &l, "--at", AT, "--format", "json"]);
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(v["fetch"], false);
    for p in v["pointers"].as_array().unwrap() {
        assert_eq!(p["list"]["kind"], "none", "{p:#}");
    }
    assert_eq!(server.hits("/rs.xml"), 2);
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn a_cached_copy_that_no_longer_verifies_is_ignored() {
    let server = TestServer::start().unwrap();
    server.set("/rs.xml", Route::Static { content_type: TSL, body: signed("rs") });
    let d = dir("tampered-cache");
    let cache = d.join("cache");
    std::fs::create_dir_all(&cache).unwrap();
    // A cached "RS" list that is ME's list: it does not verify against RS's pointer.
    std::fs::write(cache.join("RS-5.xml"), signed("me")).unwrap();
    let l = lotl(&d, &[("RS", server.url("/rs.xml"), "rs")]);
    let cache_s = cache.to_string_lossy().into_owned();
    let (code, v) = run(&["tl", "lotl", &l, "--fetch", "--cache-dir", &cache_s, "--at", AT, "--format", "json"]);
    assert_eq!(code, 0, "{v:#}");
    let rs = pointer(&v, "RS");
    assert_eq!(rs["list"]["kind"], "fetched", "{rs:#}");
    assert!(ids(rs).contains(&"tl.fetch.cache-unusable".to_string()), "{rs:#}");
    assert_eq!(server.hits("/rs.xml"), 1);
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn qualify_fetches_the_list_its_lotl_points_to() {
    let server = TestServer::start().unwrap();
    server.set("/rs.xml", Route::Static { content_type: TSL, body: signed("rs") });
    let d = dir("qualify");
    let l = lotl(&d, &[("RS", server.url("/rs.xml"), "rs")]);
    let rs = state("rs");
    let pki = StatePki::build(&rs);
    let spec = LeafSpec::valid(&rs, testpki::etsi::CertType::QualifiedEsig, "tl-fetch");
    let leaf = spec.issue(&pki.leaf_key("tl-fetch"), pki.issuing(IssuingCa::Qualified));
    let cert = d.join("leaf.der");
    std::fs::write(&cert, &leaf.der).unwrap();
    let cert = cert.to_string_lossy().into_owned();
    let (code, v) = run(&["tl", "qualify", "--lotl", &l, "--fetch", "--cert", &cert, "--at", AT, "--format", "json"]);
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(v["qualified"], true);
    assert_eq!(v["type"], "esig");
    assert_eq!(v["qscd"], true);
    assert_eq!(server.hits("/rs.xml"), 1);

    // --fetch without --lotl is a usage error; without --fetch nothing is fetched.
    let out = bin().args(["tl", "qualify", "--fetch", "--cert", &cert, "--at", AT]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let (code, v) = run(&["tl", "qualify", "--lotl", &l, "--tl", &l, "--cert", &cert, "--at", AT, "--format", "json"]);
    assert_eq!(code, 1, "{v:#}");
    assert_eq!(server.hits("/rs.xml"), 1);
    let _ = std::fs::remove_dir_all(&d);
}
