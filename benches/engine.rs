//! Benchmarks: `cargo bench --bench engine`.
//!
//! - `optimise/large`: the exact optimum on a generated estate with 100,000 people, 20,000
//!   external users, 150,000 devices, about 400,000 person–device links and 2,000 hosts
//!   (`cal_calc::optimise::synthetic`), target ≤ 0.5 s;
//! - `optimise/large-owned`: the same with owned User and Device CALs (bounded search);
//! - `evaluate/sample`: the whole report for `examples/estates/sample.json`.

use cal_calc::estate::{Date, Estate};
use cal_calc::optimise::{solve, synthetic, Options};
use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;

fn optimise_large(c: &mut Criterion) {
    let inst = synthetic::instance(synthetic::Size::LARGE);
    let mut group = c.benchmark_group("optimise");
    group.sample_size(10);
    group.bench_function("large", |b| {
        b.iter(|| solve(black_box(&inst), &Options::default()).map(|s| s.cost_minor))
    });
    // The same estate owning 30,000 User CALs and 20,000 Device CALs: Lagrangian bound within a
    // budget of cuts, greedy use of the spare owned licences, `exact: false` with the bound.
    let mut owned = inst.clone();
    owned.products[0].owned.user_cals = 30_000;
    owned.products[0].owned.device_cals = 20_000;
    group.bench_function("large-owned", |b| {
        b.iter(|| solve(black_box(&owned), &Options::default()).map(|s| s.cost_minor))
    });
    group.finish();
}

fn evaluate_sample(c: &mut Criterion) {
    let text = include_str!("../examples/estates/sample.json");
    let estate: Estate = match serde_json::from_str(text) {
        Ok(e) => e,
        Err(e) => panic!("examples/estates/sample.json does not read: {e}"),
    };
    let today = Date::new(2026, 1, 15).unwrap_or_else(|| panic!("bad date"));
    let mut group = c.benchmark_group("evaluate");
    group.bench_function("sample", |b| {
        b.iter(|| {
            cal_calc::evaluate(black_box(&estate), today).map(|r| r.recommendation.total_minor)
        })
    });
    group.finish();
}

criterion_group!(benches, optimise_large, evaluate_sample);
criterion_main!(benches);
