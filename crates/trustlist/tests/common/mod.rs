//! Shared helpers of the integration tests: the real lists in ../shared, read in place.
#![allow(dead_code)]

use std::path::PathBuf;

pub mod synth;

pub fn shared_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/vectors/trusted-lists")
}

/// Reads a shared list; `None` (with a notice) when ../shared is absent, unless
/// EIDTRUST_REQUIRE_SHARED=1, which turns the skip into a failure.
pub fn shared(name: &str) -> Option<Vec<u8>> {
    let path = shared_dir().join(name);
    match std::fs::read(&path) {
        Ok(b) => Some(b),
        Err(e) => {
            if std::env::var("EIDTRUST_REQUIRE_SHARED").as_deref() == Ok("1") {
                panic!("EIDTRUST_REQUIRE_SHARED=1 but {} is unreadable: {e}", path.display());
            }
            eprintln!("notice: {} not found ({e}); skipping this test", path.display());
            None
        }
    }
}

pub const LISTS: &[&str] = &["TSL_HR.xml", "TSL_SI.xml", "TSL_BG.xml", "TSL_CY.xml", "eu-lotl.xml"];

/// 2026-08-10T00:00:00Z: after every list's issue date, before their NextUpdate.
pub const T_2026_08_10: i64 = 1_786_320_000;
