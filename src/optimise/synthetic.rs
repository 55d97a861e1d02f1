//! A deterministic synthetic estate for the optimiser's benchmark (`cargo bench --bench engine`,
//! `scripts/bench-highs.sh`): exact usage links at the scale of a large organisation, one
//! Windows Server CAL product with External Connectors (cal-rules.md §1.3, §1.6, §5).
//!
//! Not used by the calculator itself; it lives in the library so the benchmark, the example that
//! writes the LP for HiGHS, and the tests build the very same instance.

use super::{DeviceClass, HostUnit, Instance, Owned, PersonClass, ProductInstance, UnitPrices};
use crate::estate::CalProduct;

/// Sizes of a synthetic estate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Size {
    pub internal_people: usize,
    pub external_people: usize,
    pub devices: usize,
    /// Person–device links (before removing duplicates).
    pub links: usize,
    pub hosts: usize,
    pub seed: u64,
}

impl Size {
    /// 100,000 people, 150,000 devices, 400,000 person–device links, 2,000 hosts and 20,000
    /// external users reaching 1–5 hosts each.
    pub const LARGE: Size = Size {
        internal_people: 100_000,
        external_people: 20_000,
        devices: 150_000,
        links: 400_000,
        hosts: 2_000,
        seed: 0x5eed_ca1c,
    };
}

/// xorshift64*: fixed seed, same instance on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % (n.max(1) as u64)) as usize
    }
}

/// Builds the instance: every internal person has a primary device; the other links go 70 % to
/// a pool of shared devices (the last third of the devices) and 30 % to other people's primary
/// devices (hot desks). External users reach hosts with a skew towards the first hosts (a few
/// popular portals). Prices: User CAL 40.00, Device CAL 35.00, External Connector 2,000.00.
pub fn instance(size: Size) -> Instance {
    let mut rng = Rng(size.seed | 1);
    let ni = size.internal_people;
    let np = ni + size.external_people;
    let nd = size.devices.max(ni.max(1));
    let people = (0..np)
        .map(|i| PersonClass {
            label: if i < ni {
                format!("u{i}")
            } else {
                format!("x{}", i - ni)
            },
            multiplicity: 1,
            external: i >= ni,
            own_devices: 0,
            held_suite: None,
        })
        .collect();
    let devices = (0..nd)
        .map(|i| DeviceClass {
            label: format!("d{i}"),
            multiplicity: 1,
        })
        .collect();
    let hosts = (0..size.hosts)
        .map(|i| HostUnit {
            label: format!("h{i}"),
        })
        .collect();
    let mut pd: Vec<(usize, usize)> = Vec::with_capacity(size.links);
    if ni > 0 {
        for p in 0..ni {
            pd.push((p, p));
        }
        let shared_start = ni;
        let shared = nd - shared_start;
        while pd.len() < size.links {
            let p = rng.below(ni);
            let v = if shared > 0 && rng.below(10) < 7 {
                shared_start + rng.below(shared)
            } else {
                rng.below(ni)
            };
            pd.push((p, v));
        }
    }
    pd.sort_unstable();
    pd.dedup();
    let mut ph: Vec<(usize, usize)> = Vec::new();
    if size.hosts > 0 {
        for x in ni..np {
            let k = 1 + rng.below(5);
            for _ in 0..k {
                // Square of a uniform variable: popular hosts first.
                let r = rng.below(size.hosts);
                let h = r * r / size.hosts;
                ph.push((x, h));
            }
        }
    }
    ph.sort_unstable();
    ph.dedup();
    Instance {
        people,
        devices,
        hosts,
        products: vec![ProductInstance {
            product: CalProduct::WindowsServer,
            prices: UnitPrices {
                user_cal: Some(4_000),
                device_cal: Some(3_500),
                external_connector: Some(200_000),
            },
            owned: Owned::default(),
            people: vec![],
            person_device: pd,
            person_host: ph,
            unattended_devices: vec![],
            rds_hosts: vec![],
            base: None,
            external_base_by_connector: false,
            owned_ec_hosts: vec![],
            base_short: vec![],
            licensed_hosts: vec![],
            base_only_devices: vec![],
            base_only_own: vec![],
            user_only: vec![],
            base_any_subject: false,
        }],
        suites: vec![],
    }
}

/// The instance's linear-programming relaxation as text, for an independent LP solver: first
/// line `variables constraints`, then one line per variable `name cost`, then one line per
/// constraint `i j` meaning `x_i + x_j ≥ 1`; all variables in [0, 1]. For a bipartite vertex
/// cover the relaxation is integral, so its optimum equals the cut's.
pub fn vertex_cover_lp(inst: &Instance) -> String {
    use std::fmt::Write;
    let Some(pr) = inst.products.first() else {
        return "0 0\n".to_string();
    };
    let np = inst.people.len();
    let nd = inst.devices.len();
    let nv = np + nd + inst.hosts.len();
    let m = pr.person_device.len() + pr.person_host.len();
    let mut out = String::with_capacity(32 * (nv + m));
    let _ = writeln!(out, "{nv} {m}");
    let u = pr.prices.user_cal.unwrap_or(0);
    let d = pr.prices.device_cal.unwrap_or(0);
    let e = pr.prices.external_connector.unwrap_or(0);
    for p in &inst.people {
        let _ = writeln!(out, "{}", i64::from(p.multiplicity) * u);
    }
    for v in &inst.devices {
        let _ = writeln!(out, "{}", i64::from(v.multiplicity) * d);
    }
    for _ in &inst.hosts {
        let _ = writeln!(out, "{e}");
    }
    for &(p, v) in &pr.person_device {
        let _ = writeln!(out, "{p} {}", np + v);
    }
    for &(p, h) in &pr.person_host {
        let _ = writeln!(out, "{p} {}", np + nd + h);
    }
    out
}
