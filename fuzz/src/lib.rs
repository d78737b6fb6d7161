//! The one function every fuzz target calls: [`eidtrust::fuzzcheck::check_timed`], turning a
//! violated property into a panic, which libFuzzer reports as a crash and saves the input for.
//!
//! It also bounds the heap one input may use: [`MAX_INPUT_HEAP_BYTES`] (64 MiB) above what was
//! live before the input, through a counting global allocator ([`cap::Cap`]). An allocation
//! that would pass the bound fails; Rust then aborts with "memory allocation of N bytes failed",
//! which libFuzzer reports as a crash and saves the input for. Unlike libFuzzer's
//! `-malloc_limit_mb` (one allocation, and only in sanitizer builds, whose malloc hooks it needs)
//! and `-rss_limit_mb` (the whole process, sampled once a second), this is the sum of what one
//! input holds at any moment, in every build.
#![forbid(unsafe_code)]

use cap::Cap;
use eidtrust::fuzzcheck::{check_measured, Target, MAX_INPUT_MILLIS};
use std::sync::atomic::{AtomicU64, Ordering};
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

/// The heap one input may hold at any moment, beyond what was live before it: 64 MiB (issue 7:
/// "no input may take more than 100 ms or 64 MB in any target"). `EIDTRUST_FUZZ_MAX_HEAP_MB`
/// overrides it (mebibytes).
pub const MAX_INPUT_HEAP_BYTES: usize = 64 << 20;

#[global_allocator]
static HEAP: Cap<std::alloc::System> = Cap::new(std::alloc::System, usize::MAX);

fn max_heap() -> usize {
    static MAX: OnceLock<usize> = OnceLock::new();
    *MAX.get_or_init(|| {
        std::env::var("EIDTRUST_FUZZ_MAX_HEAP_MB")
            .ok()
            .and_then(|v| v.parse::<usize>().ok())
            .map_or(MAX_INPUT_HEAP_BYTES, |mb| mb.saturating_mul(1 << 20))
    })
}

/// Runs `f` with the heap bound set to what is live now plus [`max_heap`].
fn heap_bounded<R>(f: impl FnOnce() -> R) -> R {
    let limit = max_heap();
    // Read the environment (and allocate its OnceLock) before taking the baseline.
    let base = HEAP.allocated();
    let _ = HEAP.set_limit(base.saturating_add(limit));
    let out = f();
    let _ = HEAP.set_limit(usize::MAX);
    out
}

/// `EIDTRUST_FUZZ_REPORT_SLOW_US`: when set, every input slower than all before it and at least
/// that many microseconds is reported on stderr as `eidtrust-fuzz: slowest input so far: N us`
/// (libFuzzer's own `-report_slow_units` counts whole seconds only). `scripts/fuzz-long` sets it
/// and reports the last such line per target.
fn report_slow(took: Duration) {
    static THRESHOLD: OnceLock<Option<u64>> = OnceLock::new();
    static SLOWEST: AtomicU64 = AtomicU64::new(0);
    let Some(min) =
        *THRESHOLD.get_or_init(|| std::env::var("EIDTRUST_FUZZ_REPORT_SLOW_US").ok().and_then(|v| v.parse().ok()))
    else {
        return;
    };
    let us = u64::try_from(took.as_micros()).unwrap_or(u64::MAX);
    if us >= min && SLOWEST.fetch_max(us, Ordering::Relaxed) < us {
        eprintln!("eidtrust-fuzz: slowest input so far: {us} us");
    }
}

include!("agreement.rs");

/// Runs the agreement check (see `agreement.rs`) with the same time bound as the others.
pub fn run_agreement(data: &[u8]) {
    let start = std::time::Instant::now();
    if let Err(v) = heap_bounded(|| check_agreement(data)) {
        panic!("fuzz target agreement_toml: {v}");
    }
    let took = start.elapsed();
    if took <= max_time() {
        report_slow(took);
    }
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
    match heap_bounded(|| check_measured(target, data, max_time())) {
        Ok(took) => report_slow(took),
        Err(v) => panic!("{v}"),
    }
}
