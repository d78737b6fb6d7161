//! A fixed-iteration driver for profiling (`perf stat -e instructions:u`, `perf record`): parses
//! and verifies the five shared lists N times (default 20), or only parses them with `parse`.
//!
//!     cargo run --release -p eidtrust-trustlist --example tl_iterations -- [N] [parse|verify|bergshamra|xml] [FILE-SUBSTRING]

use eidtrust_trustlist::verify::{verify_with, Anchor, Engine};
use std::path::PathBuf;

fn main() {
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(20);
    let mode = args.next().unwrap_or_else(|| "verify".into());
    let only = args.next();
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/vectors/trusted-lists");
    let lists: Vec<Vec<u8>> = ["TSL_HR.xml", "TSL_SI.xml", "TSL_BG.xml", "TSL_CY.xml", "eu-lotl.xml"]
        .iter()
        .filter(|f| only.as_deref().is_none_or(|o| f.contains(o)))
        .filter_map(|f| std::fs::read(dir.join(f)).ok())
        .collect();
    if lists.is_empty() {
        eprintln!("notice: ../shared/vectors/trusted-lists not found");
        return;
    }
    let start = std::time::Instant::now();
    let mut ok = 0usize;
    for _ in 0..n {
        for b in &lists {
            ok += match mode.as_str() {
                "parse" => usize::from(eidtrust_trustlist::parse(b).is_ok()),
                // roxmltree alone (no checks, no model): the floor of any tree-based reader.
                "xml" => {
                    usize::from(std::str::from_utf8(b).ok().and_then(|t| roxmltree::Document::parse(t).ok()).is_some())
                }
                "bergshamra" => {
                    usize::from(verify_with(b, &Anchor::Unanchored, 1_786_320_000, Engine::Bergshamra).verified())
                }
                _ => usize::from(verify_with(b, &Anchor::Unanchored, 1_786_320_000, Engine::Auto).verified()),
            };
        }
    }
    let per = start.elapsed().as_secs_f64() * 1000.0 / n as f64;
    println!("{mode}: {ok}/{} ok, {per:.2} ms per round of {} lists (wall)", n * lists.len(), lists.len());
}
