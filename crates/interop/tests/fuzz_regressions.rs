//! Replays the committed inputs of `fuzz/regressions/agreement_toml/` through the check the
//! `agreement_toml` fuzz target runs (`fuzz/src/agreement.rs`, included here so that it is
//! written once): no panic, the same outcome twice, accepted agreements round-trip.

include!("../../../fuzz/src/agreement.rs");

#[test]
fn replay_agreement_toml() {
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/regressions/agreement_toml");
    let mut files: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    assert!(!files.is_empty(), "{} holds no input", dir.display());
    for f in files {
        eprintln!("replaying {}", f.display());
        if let Err(v) = check_agreement(&std::fs::read(&f).unwrap()) {
            panic!("{}: fuzz target agreement_toml: {v}", f.display());
        }
    }
}

#[test]
fn the_shipped_agreements_pass_the_check() {
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../profiles/agreements");
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        check_agreement(&std::fs::read(&p).unwrap()).unwrap_or_else(|v| panic!("{}: {v}", p.display()));
    }
}
