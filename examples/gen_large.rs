//! Writes the large benchmark instance's LP relaxation for an independent LP solver and prints
//! the optimiser's own optimum and time on it (see docs/benchmarks.md, "Optimiser").
//!
//! `cargo run --release --example gen_large -- <lp-file>`

use cal_calc::optimise::{solve, synthetic, Options};
use std::time::Instant;

fn main() {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "large-vc.txt".to_string());
    let inst = synthetic::instance(synthetic::Size::LARGE);
    if let Err(e) = std::fs::write(&path, synthetic::vertex_cover_lp(&inst)) {
        eprintln!("cannot write {path}: {e}");
        std::process::exit(1);
    }
    let mut times = Vec::new();
    let mut cost = 0;
    for _ in 0..5 {
        let start = Instant::now();
        match solve(&inst, &Options::default()) {
            Ok(s) => cost = s.cost_minor,
            Err(e) => {
                eprintln!("optimiser failed: {e}");
                std::process::exit(1);
            }
        }
        times.push(start.elapsed().as_secs_f64());
    }
    times.sort_by(f64::total_cmp);
    let pd = inst.products[0].person_device.len();
    let ph = inst.products[0].person_host.len();
    println!(
        "instance: {} people, {} devices, {} hosts, {pd} person-device links, {ph} person-host links",
        inst.people.len(),
        inst.devices.len(),
        inst.hosts.len()
    );
    println!("rust_optimum_minor {cost}");
    println!("rust_seconds_median {:.4}", times[times.len() / 2]);
}
