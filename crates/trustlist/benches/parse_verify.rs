//! Parse and verify the five real lists (../shared): the numbers compared with the Python
//! oracle (scripts/tl-oracle, lxml + signxml) in docs/trustlists.md.

use criterion::{criterion_group, criterion_main, Criterion};
use eidtrust_trustlist::verify::{verify, verify_with, Anchor, Engine};
use std::path::PathBuf;

fn lists() -> Vec<(String, Vec<u8>)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/vectors/trusted-lists");
    ["TSL_HR.xml", "TSL_SI.xml", "TSL_BG.xml", "TSL_CY.xml", "eu-lotl.xml"]
        .iter()
        .filter_map(|n| std::fs::read(dir.join(n)).ok().map(|b| (n.to_string(), b)))
        .collect()
}

fn bench(c: &mut Criterion) {
    let lists = lists();
    if lists.is_empty() {
        eprintln!("notice: ../shared/vectors/trusted-lists not found; nothing to benchmark");
        return;
    }
    let at = 1_786_320_000;
    let mut g = c.benchmark_group("trustlist");
    g.sample_size(10);
    for (name, bytes) in &lists {
        g.bench_function(format!("parse/{name}"), |b| {
            b.iter(|| eidtrust_trustlist::parse(bytes).map(|l| l.providers.len()))
        });
        g.bench_function(format!("parse+verify/{name}"), |b| {
            b.iter(|| verify(bytes, &Anchor::Unanchored, at).verified())
        });
    }
    g.bench_function("parse+verify/all-five", |b| {
        b.iter(|| lists.iter().filter(|(_, bytes)| verify(bytes, &Anchor::Unanchored, at).verified()).count())
    });
    // The previous implementation (bergshamra re-parsing the text for c14n, digests and signature),
    // same run, for the ratio.
    g.bench_function("parse+verify-bergshamra/all-five", |b| {
        b.iter(|| {
            lists
                .iter()
                .filter(|(_, bytes)| verify_with(bytes, &Anchor::Unanchored, at, Engine::Bergshamra).verified())
                .count()
        })
    });
    g.bench_function("parse/all-five", |b| {
        b.iter(|| lists.iter().filter_map(|(_, bytes)| eidtrust_trustlist::parse(bytes).ok()).count())
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
