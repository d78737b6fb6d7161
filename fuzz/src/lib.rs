//! The one function every fuzz target calls: [`eidtrust::fuzzcheck::check_timed`], turning a
//! violated property into a panic, which libFuzzer reports as a crash and saves the input for.
#![forbid(unsafe_code)]

use eidtrust::fuzzcheck::{check_timed, Target, MAX_INPUT_MILLIS};
use std::sync::OnceLock;
use std::time::Duration;

/// The per-input time limit: `EIDTRUST_FUZZ_MAX_MS` milliseconds if set (a slower sanitizer or
/// coverage build may need more), else [`MAX_INPUT_MILLIS`].
fn max_time() -> Duration {
    static MAX: OnceLock<Duration> = OnceLock::new();
    *MAX.get_or_init(|| {
        let ms = std::env::var("EIDTRUST_FUZZ_MAX_MS").ok().and_then(|v| v.parse().ok()).unwrap_or(MAX_INPUT_MILLIS);
        Duration::from_millis(ms)
    })
}

include!("agreement.rs");

/// Runs the agreement check (see `agreement.rs`) with the same time bound as the others.
pub fn run_agreement(data: &[u8]) {
    let start = std::time::Instant::now();
    if let Err(v) = check_agreement(data) {
        panic!("fuzz target agreement_toml: {v}");
    }
    let took = start.elapsed();
    if took > max_time() {
        // Retried once, as check_timed does, so that scheduling noise is not reported.
        let again = std::time::Instant::now();
        let _ = check_agreement(data);
        if again.elapsed() > max_time() {
            panic!("fuzz target agreement_toml: too slow: {} ms for one input", took.as_millis());
        }
    }
}

/// Runs `target`'s check on `data`; panics with the violated property.
pub fn run(target: Target, data: &[u8]) {
    if let Err(v) = check_timed(target, data, max_time()) {
        panic!("{v}");
    }
}
