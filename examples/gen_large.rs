//! Writes the large benchmark instance's LP relaxation for an independent LP solver and prints
//! the optimiser's own optimum and time on it (see docs/benchmarks.md, "Optimiser").
//!
//! `cargo run --release --example gen_large -- <lp-file> [owned]`: with `owned`, the instance
//! also owns 30,000 User CALs and 20,000 Device CALs (the LP is then not comparable, it is
//! written without them) and the optimiser's bound and exactness are printed.

use cal_calc::optimise::{solve, synthetic, Options};
use std::time::Instant;

fn main() {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "large-vc.txt".to_string());
    let mut inst = synthetic::instance(synthetic::Size::LARGE);
    let owned = std::env::args().nth(2).as_deref() == Some("owned");
    if owned {
        inst.products[0].owned.user_cals = 30_000;
        inst.products[0].owned.device_cals = 20_000;
    }
    if let Err(e) = std::fs::write(&path, synthetic::vertex_cover_lp(&inst)) {
        eprintln!("cannot write {path}: {e}");
        std::process::exit(1);
    }
    let mut times = Vec::new();
    let mut cost = 0;
    let mut bound = (0, true);
    for _ in 0..5 {
        let start = Instant::now();
        match solve(&inst, &Options::default()) {
            Ok(s) => {
                cost = s.cost_minor;
                bound = (s.lower_bound_minor, s.exact);
            }
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
    if owned {
        println!("rust_lower_bound_minor {} exact {}", bound.0, bound.1);
    }
}
