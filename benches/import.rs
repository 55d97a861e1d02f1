//! Import throughput on a generated Active Directory export (1M accounts by default; set
//! `IMPORT_BENCH_ACCOUNTS` for another size): `cargo bench --bench import`.
//! Compares the import's own record splitter with the `csv` crate's `ByteRecord` reader, and
//! measures the whole import (decode, split, map, parse dates, store) and the classification.

// Native only: criterion is not built for wasm32 (`cargo clippy --all-targets --target wasm32`).
#![cfg_attr(target_arch = "wasm32", allow(unused))]
#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
criterion::criterion_main!(native::benches);

#[cfg(not(target_arch = "wasm32"))]
#[path = "../examples/support/ad_export_gen.rs"]
mod ad_export_gen;

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use super::ad_export_gen;

    use cal_calc::estate::Date;
    use cal_calc::import::csvread::{next_record, Next};
    use cal_calc::import::{read_bytes, ClassifyOptions, Data, ImportOptions};
    use criterion::{criterion_group, Criterion, Throughput};
    use std::collections::HashSet;
    use std::hint::black_box;
    use std::time::Duration;

    fn bench(c: &mut Criterion) {
        let n: usize = std::env::var("IMPORT_BENCH_ACCOUNTS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(1_000_000);
        let bytes = ad_export_gen::ad_export(n);
        let mut g = c.benchmark_group(format!("import_{n}_accounts"));
        g.throughput(Throughput::Bytes(bytes.len() as u64));
        g.sample_size(10);
        g.measurement_time(Duration::from_secs(8));
        g.warm_up_time(Duration::from_secs(1));

        g.bench_function("csv_crate_byte_records", |b| {
            b.iter(|| {
                let mut rd = csv::ReaderBuilder::new()
                    .has_headers(false)
                    .flexible(true)
                    .from_reader(&bytes[..]);
                let mut rec = csv::ByteRecord::new();
                let mut rows = 0u64;
                while rd.read_byte_record(&mut rec).unwrap_or(false) {
                    rows += rec.len() as u64;
                }
                black_box(rows)
            })
        });
        g.bench_function("splitter_records", |b| {
            b.iter(|| {
                let mut fields = Vec::with_capacity(32);
                let mut pos = 0;
                let mut rows = 0u64;
                while let Next::Record { end, .. } =
                    next_record(&bytes, pos, b',', true, &mut fields)
                {
                    rows += fields.len() as u64;
                    pos = end;
                }
                black_box(rows)
            })
        });
        g.bench_function("import_directory", |b| {
            b.iter(|| black_box(read_bytes(&bytes, ImportOptions::default()).map(|p| p.rows)))
        });
        let parsed = read_bytes(&bytes, ImportOptions::default());
        if let Ok(p) = &parsed {
            if let Data::Directory(d) = &p.data {
                let today = Date::new(2025, 6, 30).unwrap_or(Date {
                    year: 2025,
                    month: 6,
                    day: 30,
                });
                let opts = ClassifyOptions::new(today);
                g.bench_function("classify", |b| {
                    b.iter(|| black_box(d.classify(&opts, &HashSet::new()).people.len()))
                });
            }
        }
        g.finish();
    }

    criterion_group!(benches, bench);
}
