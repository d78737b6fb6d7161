//! Fuzz target `agreement_toml`: `interop::agreement::parse_str`; the check is in
//! `fuzz/src/agreement.rs` (shared with the interop crate's regression replay).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| eidtrust_fuzz::run_agreement(data));
