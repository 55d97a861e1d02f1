//! Import throughput on a generated Active Directory export (1M accounts by default; set
//! `IMPORT_BENCH_ACCOUNTS` for another size): `cargo bench --bench import`.
//! Compares the import's own record splitter with the `csv` crate's `ByteRecord` reader, and
//! measures the whole import (decode, split, map, parse dates, store) and the classification;
//! then the device list's page on a generated device export (100,000 rows by default; set
//! `IMPORT_BENCH_DEVICES`).

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
                let opts = ClassifyOptions::new(today());
                g.bench_function("classify", |b| {
                    b.iter(|| black_box(d.classify(&opts, &HashSet::new()).people.len()))
                });
            }
        }
        g.finish();
        devices(c, today());
    }

    fn today() -> Date {
        Date::new(2025, 6, 30).unwrap_or(Date {
            year: 2025,
            month: 6,
            day: 30,
        })
    }

    /// A device export of `n` rows: client devices with and without a primary user, printers,
    /// switches and access points, servers.
    fn device_export(n: usize) -> Vec<u8> {
        let mut out = String::from("Device name,Primary user UPN,OS,Device type,Last check-in\n");
        for i in 0..n {
            let row = match i % 10 {
                0 => format!("SW-{i:06},,Cisco IOS XE 17.9,Switch,2025-06-20\n"),
                1 => format!("AP-{i:06},,ArubaOS 8.10,Wireless Access Point,2025-06-21\n"),
                2 => format!("PRN-{i:06},,,Printer,2025-06-22\n"),
                3 => format!("SRV-{i:06},,Windows Server 2022 Standard,Server,2025-06-23\n"),
                4 => format!("KIOSK-{i:06},,Windows 11 Enterprise,Desktop,2025-06-24\n"),
                _ => format!(
                    "PC-{i:06},user{i}@corp.example,Windows 11 Enterprise,Laptop,2025-06-25\n"
                ),
            };
            out.push_str(&row);
        }
        out.into_bytes()
    }

    /// The device list's cost per request (each keystroke in its search asks for a page): the
    /// classification of every row, then a page of 50 of a search and a verdict.
    fn devices(c: &mut Criterion, today: Date) {
        use cal_calc::import::devices::DeviceStatus;
        use cal_calc::import::session::Session;
        let n: usize = std::env::var("IMPORT_BENCH_DEVICES")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(100_000);
        let bytes = device_export(n);
        let mut session = Session::new();
        session.begin(ImportOptions::default());
        if session.push(&bytes).is_err() || session.finish("devices.csv").is_err() {
            return;
        }
        let opts = ClassifyOptions::new(today);
        let mut g = c.benchmark_group(format!("devices_{n}_rows"));
        g.sample_size(10);
        g.measurement_time(Duration::from_secs(5));
        g.warm_up_time(Duration::from_secs(1));
        g.bench_function("device_page_first", |b| {
            b.iter(|| black_box(session.device_page(&opts, "", None, 0, 50).matching))
        });
        g.bench_function("device_page_search_network", |b| {
            b.iter(|| {
                black_box(
                    session
                        .device_page(&opts, "sw-01", Some(DeviceStatus::Network), 0, 50)
                        .matching,
                )
            })
        });
        g.finish();
    }

    criterion_group!(benches, bench);
}
