//! Fuzz target `sdjwt`: see `eidtrust::fuzzcheck::Target::SdJwt` for what it runs and asserts.
#![no_main]

use eidtrust::fuzzcheck::Target;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| eidtrust_fuzz::run(Target::SdJwt, data));
