//! Replays every committed fuzz input of `fuzz/regressions/<target>/` (crashes found and fixed,
//! and hand-written hostile inputs) through the same check the fuzz target runs
//! ([`eidtrust::fuzzcheck::check`]): no panic, the same outcome twice, every invariant. A normal
//! `cargo test` runs it; no fuzzing toolchain is needed.
//!
//! The time bound is not asserted here (this is an unoptimised test build on a shared machine);
//! the fuzz harness and `scripts/fuzz-smoke` assert it in the optimised build.

use eidtrust::fuzzcheck::{check, Target};
use std::path::PathBuf;

fn regressions() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/regressions")
}

fn replay(target: Target) -> usize {
    let dir = regressions().join(target.name());
    let Ok(entries) = std::fs::read_dir(&dir) else { return 0 };
    let mut files: Vec<PathBuf> = entries.filter_map(|e| e.ok()).map(|e| e.path()).filter(|p| p.is_file()).collect();
    files.sort();
    for f in &files {
        let data = std::fs::read(f).unwrap();
        // Named before it runs, so that a crash that kills the process (a stack overflow) still
        // says which input it was (`cargo test -- --nocapture`).
        eprintln!("replaying {}", f.display());
        if let Err(v) = check(target, &data) {
            panic!("{}: {v}", f.display());
        }
    }
    files.len()
}

#[test]
fn every_regression_directory_names_a_target() {
    // An input filed under a misspelt directory would silently never run.
    for e in std::fs::read_dir(regressions()).unwrap() {
        let e = e.unwrap();
        if e.path().is_dir() {
            let name = e.file_name().to_string_lossy().into_owned();
            assert!(
                Target::from_name(&name).is_some() || name == "agreement_toml",
                "fuzz/regressions/{name} is not a fuzz target"
            );
        }
    }
}

#[test]
fn every_target_has_regression_inputs() {
    for t in Target::ALL {
        let n = std::fs::read_dir(regressions().join(t.name())).map(|d| d.count()).unwrap_or(0);
        assert!(n > 0, "fuzz/regressions/{} holds no input", t.name());
    }
}

macro_rules! replay_tests {
    ($($name:ident => $t:ident;)*) => {$(
        #[test]
        fn $name() {
            replay(Target::$t);
        }
    )*};
}

replay_tests! {
    replay_pem => Pem;
    replay_cert => Cert;
    replay_crl => Crl;
    replay_ocsp => Ocsp;
    replay_chain => Chain;
    replay_lint => Lint;
    replay_jws => Jws;
    replay_sdjwt => SdJwt;
    replay_json => Json;
    replay_tl_parse => TlParse;
    replay_tl_verify => TlVerify;
    replay_profile_toml => ProfileToml;
}
