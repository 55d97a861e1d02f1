//! Import throughput measured in CPU time as well as wall time, so the figure holds on a busy
//! machine: `cargo run --release --example import_throughput -- [accounts] [runs]`.

#[path = "support/ad_export_gen.rs"]
mod ad_export_gen;

use cal_calc::estate::Date;
use cal_calc::import::csvread::{next_record, Next};
use cal_calc::import::{read_bytes, ClassifyOptions, Data, ImportOptions};
use std::collections::HashSet;
use std::time::Instant;

/// CPU seconds used by this process so far (user + system), from /proc (Linux only).
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let rest = stat.rsplit_once(')')?.1;
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks: f64 = f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}

fn measure(label: &str, mb: f64, runs: u32, mut f: impl FnMut() -> u64) {
    let c0 = cpu_seconds();
    let t0 = Instant::now();
    let mut check = 0;
    for _ in 0..runs {
        check += f();
    }
    let wall = t0.elapsed().as_secs_f64() / runs as f64;
    let cpu = match (c0, cpu_seconds()) {
        (Some(a), Some(b)) => format!("{:7.0} MB/s per CPU second", mb / ((b - a) / runs as f64)),
        _ => "cpu time unavailable".into(),
    };
    println!(
        "{label:<28} {:7.0} MB/s wall   {cpu}   ({check})",
        mb / wall
    );
}

fn main() {
    let mut args = std::env::args().skip(1);
    let n: usize = args
        .next()
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let runs: u32 = args.next().and_then(|a| a.parse().ok()).unwrap_or(3);
    // `whole` as the third argument measures only the whole import (for profiling it).
    let only_whole = args.next().as_deref() == Some("whole");
    let bytes = ad_export_gen::ad_export(n);
    let mb = bytes.len() as f64 / 1e6;
    println!("{n} accounts, {mb:.0} MB, {runs} runs each");
    if !only_whole {
        baselines(&bytes, mb, runs);
    }
    let today = Date::new(2025, 6, 30).unwrap_or(Date {
        year: 2025,
        month: 6,
        day: 30,
    });
    measure("read + classify (AD users)", mb, runs, || match read_bytes(
        &bytes,
        ImportOptions::default(),
    )
    .map(|p| p.data)
    {
        Ok(Data::Directory(d)) => d
            .classify(&ClassifyOptions::new(today), &HashSet::new())
            .people
            .len() as u64,
        _ => 0,
    });
    measure("whole import (AD users)", mb, runs, || {
        match read_bytes(&bytes, ImportOptions::default()) {
            Ok(p) => match p.data {
                Data::Directory(d) => d.accounts.len() as u64,
                _ => 0,
            },
            Err(_) => 0,
        }
    });
}

/// The splitters alone and the classification, to show where the time of the whole import goes.
fn baselines(bytes: &[u8], mb: f64, runs: u32) {
    measure("csv crate ByteRecord", mb, runs, || {
        let mut rd = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(bytes);
        let mut rec = csv::ByteRecord::new();
        let mut k = 0;
        while rd.read_byte_record(&mut rec).unwrap_or(false) {
            k += 1;
        }
        k
    });
    measure("import splitter", mb, runs, || {
        let mut fields = Vec::new();
        let (mut pos, mut k) = (0, 0);
        while let Next::Record { end, .. } = next_record(bytes, pos, b',', true, &mut fields) {
            pos = end;
            k += 1;
        }
        k
    });
    if let Ok(Data::Directory(d)) = read_bytes(bytes, ImportOptions::default()).map(|p| p.data) {
        let today = Date::new(2025, 6, 30).unwrap_or(Date {
            year: 2025,
            month: 6,
            day: 30,
        });
        let opts = ClassifyOptions::new(today);
        let t = Instant::now();
        let people = d.classify(&opts, &HashSet::new()).people.len();
        println!(
            "classify                     {people} people from {} accounts in {:.0} ms",
            d.accounts.len(),
            t.elapsed().as_secs_f64() * 1000.0
        );
    }
}
