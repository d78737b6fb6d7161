//! The certificate fast path (`cert/fast.rs`) against the x509-parser path: wherever the fast
//! path answers, it must build exactly the model x509-parser's path builds, and it must never
//! accept what that path rejects. Checked on every certificate in x509-limbo (many of them
//! deliberately malformed) and in `test-vectors/`, and on byte mutations of real certificates.
//!
//! The test also asserts that the fast path is taken for the common shapes (the synthetic
//! national PKIs and most of limbo), so that a fast path that silently declines everything
//! cannot pass.
//!
//! Reads `../shared/vectors/x509-limbo/limbo.json` in place; without it that part prints a notice
//! and passes, unless `EIDTRUST_REQUIRE_SHARED=1`.

use eidtrust_pki::cert::Certificate;
use eidtrust_pki::input::{self, Kind};
use proptest::prelude::*;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// (taken, declined) over `ders`; panics naming the certificate on any disagreement.
fn check_all<'a>(what: &str, ders: impl Iterator<Item = (String, &'a [u8])>) -> (usize, usize) {
    let (mut taken, mut declined) = (0, 0);
    for (name, der) in ders {
        match Certificate::fast_path_agrees(der) {
            Ok(true) => taken += 1,
            Ok(false) => declined += 1,
            Err(e) => panic!("{what}: {name}: the fast path and x509-parser disagree:\n{e}"),
        }
    }
    (taken, declined)
}

fn pem_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let p = entry.path();
        if p.is_dir() {
            pem_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "pem" || e == "der" || e == "crt") {
            out.push(p);
        }
    }
}

fn test_vector_certs() -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    pem_files(&root().join("test-vectors"), &mut files);
    files.sort();
    let mut out = Vec::new();
    for f in files {
        let data = std::fs::read(&f).unwrap();
        // Keys and CRLs live beside the certificates; only certificate blocks count here.
        if let Ok(ders) = input::read(&data, Kind::Certificate) {
            for (i, der) in ders.into_iter().enumerate() {
                out.push((format!("{}#{i}", f.display()), der));
            }
        }
    }
    out
}

#[test]
fn agrees_on_every_test_vector_certificate() {
    let certs = test_vector_certs();
    let (taken, declined) = check_all("test-vectors", certs.iter().map(|(n, d)| (n.clone(), d.as_slice())));
    eprintln!("test-vectors: fast path {taken}, x509-parser {declined}");
    assert!(taken > 300, "the fast path took only {taken} of {} test-vector certificates", taken + declined);
    assert!(taken >= 4 * declined, "the fast path took {taken}, declined {declined}");
}

#[test]
fn agrees_on_every_limbo_certificate() {
    let path = root().join("../shared/vectors/x509-limbo/limbo.json");
    let data = match std::fs::read(&path) {
        Ok(d) => d,
        Err(e) => {
            if std::env::var("EIDTRUST_REQUIRE_SHARED").as_deref() == Ok("1") {
                panic!("EIDTRUST_REQUIRE_SHARED=1 but {} is unreadable: {e}", path.display());
            }
            eprintln!("notice: {} not found ({e}); skipping the limbo fast-path check", path.display());
            return;
        }
    };
    let doc: Value = serde_json::from_slice(&data).unwrap();
    let mut ders: Vec<(String, Vec<u8>)> = Vec::new();
    for case in doc["testcases"].as_array().unwrap() {
        let id = case["id"].as_str().unwrap_or("?");
        for field in ["peer_certificate", "untrusted_intermediates", "trusted_certs"] {
            let pems: Vec<&str> = match &case[field] {
                Value::String(s) => vec![s.as_str()],
                Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
                _ => continue,
            };
            for pem in pems {
                // Limbo's PEM is well-formed; the DER inside is what is under test.
                for der in input::read(pem.as_bytes(), Kind::Certificate).unwrap_or_default() {
                    ders.push((format!("{id} {field}"), der));
                }
            }
        }
    }
    ders.sort_by(|a, b| a.1.cmp(&b.1));
    ders.dedup_by(|a, b| a.1 == b.1);
    let (taken, declined) = check_all("x509-limbo", ders.iter().map(|(n, d)| (n.clone(), d.as_slice())));
    eprintln!("x509-limbo: {} distinct certificates, fast path {taken}, x509-parser {declined}", ders.len());
    assert!(taken * 2 > ders.len(), "the fast path took only {taken} of {} limbo certificates", ders.len());
}

fn mutation_corpus() -> &'static [Vec<u8>] {
    static CORPUS: std::sync::OnceLock<Vec<Vec<u8>>> = std::sync::OnceLock::new();
    CORPUS.get_or_init(|| {
        let mut certs: Vec<Vec<u8>> = test_vector_certs().into_iter().map(|(_, d)| d).collect();
        certs.sort();
        certs.dedup();
        // Every 8th: CA and leaf shapes of every state, not just the first files.
        certs.into_iter().step_by(8).take(64).collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    /// Flipping, inserting or deleting bytes of a real certificate never makes the two paths
    /// disagree.
    #[test]
    fn agrees_on_mutations(pick in 0usize..64, edits in proptest::collection::vec((0usize..4096, any::<u8>(), 0u8..3), 1..4)) {
        let corpus = mutation_corpus();
        let mut der = corpus[pick % corpus.len()].clone();
        for (at, byte, op) in edits {
            let at = at % (der.len() + 1);
            match op {
                0 if at < der.len() => der[at] = byte,
                1 => der.insert(at, byte),
                _ if at < der.len() => { der.remove(at); }
                _ => {}
            }
        }
        if let Err(e) = Certificate::fast_path_agrees(&der) {
            panic!("mutated certificate {}: {e}", der.iter().map(|b| format!("{b:02x}")).collect::<String>());
        }
    }
}
