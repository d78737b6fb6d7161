//! Fuzz target `pem`: see `eidtrust::fuzzcheck::Target::Pem` for what it runs and asserts.
#![no_main]

use eidtrust::fuzzcheck::Target;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| eidtrust_fuzz::run(Target::Pem, data));
