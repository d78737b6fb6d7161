//! Fuzz target `jws`: see `eidtrust::fuzzcheck::Target::Jws` for what it runs and asserts.
#![no_main]

use eidtrust::fuzzcheck::Target;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| eidtrust_fuzz::run(Target::Jws, data));
