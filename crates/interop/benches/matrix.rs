//! The full matrix: 11 issuer states x 11 relying states x 5 kinds, 10 samples per cell (6,050
//! validations), relying configurations built once per relying state, cells in parallel (rayon).
//! Target (issue 6): under 2 s on the project's 2-core machine. Loading the embedded data is
//! measured separately.

use criterion::{criterion_group, criterion_main, Criterion};
use eidtrust_interop::{matrix, Kind, Universe, DEFAULT_AT};

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("interop");
    g.sample_size(10);
    g.bench_function("load embedded data", |b| b.iter(|| Universe::embedded().map(|u| u.states.len())));
    let u = match Universe::embedded() {
        Ok(u) => u,
        Err(e) => panic!("the embedded data does not load: {e}"),
    };
    let all: Vec<usize> = (0..u.states.len()).collect();
    g.bench_function("full matrix 11x11x5x10", |b| {
        b.iter(|| matrix::run(&u, DEFAULT_AT, &all, &all, &Kind::ALL, &|| {}).summary)
    });
    let one = [0usize];
    g.bench_function("full matrix, one thread", |b| {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(1).build();
        match pool {
            Ok(p) => b.iter(|| p.install(|| matrix::run(&u, DEFAULT_AT, &all, &all, &Kind::ALL, &|| {}).summary)),
            Err(_) => b.iter(|| matrix::run(&u, DEFAULT_AT, &one, &all, &Kind::ALL, &|| {}).summary),
        }
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
