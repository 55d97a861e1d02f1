//! Owned licences: free up to their quantity (cal-rules.md §5, "given what is owned").
//!
//! The cost becomes `Σ_t P_t · max(0, n_t − q_t)` over licence types `t` (User CALs, Device CALs,
//! External Connectors per product, user and device suites) with `q_t` owned. That term is
//! supermodular: the problem contains the constrained minimum vertex cover in bipartite graphs,
//! which is NP-hard, so no single cut is exact. What this module proves instead:
//!
//! - a lower bound by Lagrangian duality: since `P·max(0, n − q) = max_{0 ≤ λ ≤ P} λ·(n − q)`, for
//!   every `λ` with `0 ≤ λ_t ≤ P_t`, `L(λ) = min_x Σ_t λ_t n_t(x) − Σ_t λ_t q_t` is at most the
//!   optimum, and the inner minimum is one cut at prices `λ` (linear prices: whole classes are
//!   optimal there, so the bound holds for the optimum over individual people too). `λ` is
//!   improved by projected subgradient steps (Polyak step sizes);
//! - an upper bound from every cut met on the way, each improved by letting people of a class
//!   whose shared devices and hosts are licensed anyway split between User CALs and their own
//!   devices' Device CALs (the only place where splitting a class pays with owned licences and no
//!   suites involved), at the best split point of a convex piecewise-linear cost;
//! - `exact` exactly when the two bounds meet.

use super::model::{self, Chain, Tariff};
use super::solve::{cut_at, Assignment};
use super::{Instance, OptimiseError};

/// A licence type with an owned quantity and a price.
#[derive(Debug, Clone, Copy)]
enum Kind {
    /// Product index, 0 = user, 1 = device, 2 = External Connector.
    Product(usize, usize),
    /// Suite offer index, 0 = user, 1 = device.
    Suite(usize, usize),
}

struct Owned {
    kind: Kind,
    price: i64,
    quantity: u64,
}

fn owned_types(inst: &Instance, tariff: &Tariff) -> Vec<Owned> {
    let mut out = Vec::new();
    for (k, p) in inst.products.iter().enumerate() {
        let q = [
            p.owned.user_cals,
            p.owned.device_cals,
            p.owned.external_connectors,
        ];
        for (i, &quantity) in q.iter().enumerate() {
            if let (Some(price), true) = (tariff.products[k][i], quantity > 0) {
                if price > 0 {
                    out.push(Owned {
                        kind: Kind::Product(k, i),
                        price,
                        quantity,
                    });
                }
            }
        }
    }
    for (j, s) in inst.suites.iter().enumerate() {
        let q = [s.owned_user, s.owned_device];
        for (i, &quantity) in q.iter().enumerate() {
            if let (Some(price), true) = (tariff.suites[j][i], quantity > 0) {
                if price > 0 {
                    out.push(Owned {
                        kind: Kind::Suite(j, i),
                        price,
                        quantity,
                    });
                }
            }
        }
    }
    out
}

fn with_prices(tariff: &Tariff, types: &[Owned], lambda: &[i64]) -> Tariff {
    let mut t = tariff.clone();
    for (o, &l) in types.iter().zip(lambda) {
        match o.kind {
            Kind::Product(k, i) => t.products[k][i] = Some(l),
            Kind::Suite(j, i) => t.suites[j][i] = Some(l),
        }
    }
    t
}

/// How many licences of one type an assignment uses.
fn count(inst: &Instance, a: &Assignment, kind: Kind) -> u64 {
    match kind {
        Kind::Product(k, 0) => a.products[k].user.iter().map(|&c| u64::from(c)).sum(),
        Kind::Product(k, 1) => {
            let own: u64 = a.products[k]
                .own
                .iter()
                .enumerate()
                .map(|(p, &c)| u64::from(c) * model::own_devices(inst, p))
                .sum();
            own + a.products[k]
                .device
                .iter()
                .map(|&c| u64::from(c))
                .sum::<u64>()
        }
        Kind::Product(k, _) => a.products[k].hosts.len() as u64,
        Kind::Suite(j, 0) => a.suite_user[j],
        Kind::Suite(j, _) => a.suite_device[j],
    }
}

/// What the Lagrangian search proves.
pub(crate) struct Bounds {
    /// The best licensing found and its cost after owned licences.
    pub best: Assignment,
    pub ub: i128,
    /// A proven lower bound on the optimum, `L(λ*)`.
    pub lb: i128,
    /// `λ*` as prices, and `Σ λ*_t q_t`: for any licensing x, cost(x) ≥ cut_λ*(x) − offset.
    pub lambda: Tariff,
    pub offset: i128,
}

/// The best licensing found and a proven lower bound on the optimum (cost after owned licences).
pub(crate) fn lagrangian(
    inst: &Instance,
    tariff: &Tariff,
    chain: &Chain,
    first: Assignment,
    first_cut: i128,
) -> Result<Bounds, OptimiseError> {
    let types = owned_types(inst, tariff);
    let cost_of = |a: &Assignment| i128::from(super::solve::price(inst, tariff, a).1);
    let improve = |a: Assignment| -> Assignment { split_own_devices(inst, tariff, a) };

    let mut best = improve(first.clone());
    let mut ub = cost_of(&best);
    let plain = cost_of(&first);
    if plain < ub {
        best = first.clone();
        ub = plain;
    }
    let owned_at = |lambda: &[i64]| -> i128 {
        types
            .iter()
            .zip(lambda)
            .map(|(o, &l)| i128::from(l) * i128::from(o.quantity))
            .sum()
    };
    let mut lambda: Vec<i64> = types.iter().map(|o| o.price).collect();
    let mut lb = first_cut - owned_at(&lambda);
    let mut best_lambda = lambda.clone();
    let mut current = first;
    // Corners first (each owned type free or full price) when there are few types, then
    // projected subgradient ascent.
    let mut trials: Vec<Vec<i64>> = Vec::new();
    if types.len() <= 4 {
        for mask in 1u32..(1 << types.len()) {
            trials.push(
                types
                    .iter()
                    .enumerate()
                    .map(|(i, o)| if mask & (1 << i) != 0 { 0 } else { o.price })
                    .collect(),
            );
        }
    }
    let mut step_scale = 1.0f64;
    let mut stalls = 0;
    for iter in 0..(trials.len() + 40) {
        if ub <= lb {
            break;
        }
        let trial = if iter < trials.len() {
            trials[iter].clone()
        } else {
            // Subgradient of L at `lambda` (from the last cut at `lambda`).
            let g: Vec<i128> = types
                .iter()
                .map(|o| i128::from(count(inst, &current, o.kind)) - i128::from(o.quantity))
                .collect();
            let norm: f64 = g.iter().map(|&x| (x as f64) * (x as f64)).sum();
            if norm == 0.0 {
                break;
            }
            let gap = (ub - lb).max(1) as f64;
            let step = step_scale * gap / norm;
            let next: Vec<i64> = types
                .iter()
                .zip(&lambda)
                .zip(&g)
                .map(|((o, &l), &gi)| {
                    let v = l as f64 + step * gi as f64;
                    (v.round() as i64).clamp(0, o.price)
                })
                .collect();
            if next == lambda {
                step_scale *= 2.0;
                stalls += 1;
                if stalls > 6 {
                    break;
                }
                continue;
            }
            next
        };
        let priced = with_prices(tariff, &types, &trial);
        let Some((a, value)) = cut_at(inst, &priced, chain, &[])? else {
            continue;
        };
        let l = value - owned_at(&trial);
        if iter >= trials.len() {
            if l > lb {
                step_scale = (step_scale * 1.2).min(2.0);
            } else {
                step_scale *= 0.6;
            }
            lambda = trial.clone();
            current = a.clone();
        } else if l > lb {
            lambda = trial.clone();
            current = a.clone();
        }
        if l > lb {
            best_lambda = trial.clone();
            lb = l;
        }
        for cand in [a.clone(), improve(a)] {
            let c = cost_of(&cand);
            if c < ub {
                ub = c;
                best = cand;
            }
        }
    }
    Ok(Bounds {
        best,
        ub,
        lb: lb.min(ub),
        lambda: with_prices(tariff, &types, &best_lambda),
        offset: owned_at(&best_lambda),
    })
}

/// Lets members of a class whose only remaining choice is "User CAL or Device CALs on their own
/// devices" split between the two, at the count that costs least after owned licences.
pub(crate) fn split_own_devices(inst: &Instance, tariff: &Tariff, mut a: Assignment) -> Assignment {
    let nk = inst.products.len();
    for k in 0..nk {
        let pr = &inst.products[k];
        let is_base = inst.products.iter().any(|q| q.base == Some(pr.product));
        if !pr.rds_hosts.is_empty() || pr.base.is_some() || is_base {
            continue;
        }
        let (Some(u), Some(d)) = (tariff.products[k][0], tariff.products[k][1]) else {
            continue;
        };
        let pa = &a.products[k];
        // Flexible classes: own-device access only, or every shared device and host they reach
        // licensed already; no suite involved.
        let mut flexible = vec![false; inst.people.len()];
        for &p in &pr.people {
            flexible[p] = a.user_level[p].is_none() && a.own_level[p].is_none();
        }
        for &(p, v) in &pr.person_device {
            if pa.device.get(v).copied().unwrap_or(0) < inst.devices[v].multiplicity {
                flexible[p] = false;
            }
        }
        for &(p, h) in &pr.person_host {
            if !pa.hosts.contains(&h) {
                flexible[p] = false;
            }
        }
        let mut classes: Vec<usize> = (0..inst.people.len()).filter(|&p| flexible[p]).collect();
        if classes.is_empty() {
            continue;
        }
        classes.sort_by_key(|&p| std::cmp::Reverse(model::own_devices(inst, p)));
        let users: u64 = pa.user.iter().map(|&c| u64::from(c)).sum();
        let devices: u64 = pa
            .own
            .iter()
            .enumerate()
            .map(|(p, &c)| u64::from(c) * model::own_devices(inst, p))
            .sum::<u64>()
            + pa.device.iter().map(|&c| u64::from(c)).sum::<u64>();
        let mut users_fixed = users;
        let mut devices_fixed = devices;
        let mut total_members = 0u64;
        for &p in &classes {
            users_fixed -= u64::from(pa.user[p]);
            devices_fixed -= u64::from(pa.own[p]) * model::own_devices(inst, p);
            total_members += u64::from(inst.people[p].multiplicity);
        }
        let all_devices: u64 = classes
            .iter()
            .map(|&p| u64::from(inst.people[p].multiplicity) * model::own_devices(inst, p))
            .sum();
        // Devices saved by giving User CALs to the `n` members with most own devices.
        let saved = |mut n: u64| -> u64 {
            let mut s = 0;
            for &p in &classes {
                let m = u64::from(inst.people[p].multiplicity).min(n);
                s += m * model::own_devices(inst, p);
                n -= m;
                if n == 0 {
                    break;
                }
            }
            s
        };
        let owned = &pr.owned;
        let f = |n: u64| -> i128 {
            let nu = users_fixed + n;
            let nd = devices_fixed + all_devices - saved(n);
            i128::from(nu.saturating_sub(owned.user_cals)) * i128::from(u)
                + i128::from(nd.saturating_sub(owned.device_cals)) * i128::from(d)
        };
        // f is convex (a sum of maxima of affine functions of n and of the concave `saved`):
        // binary search for the first n where it stops decreasing.
        let (mut lo, mut hi) = (0u64, total_members);
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if f(mid + 1) < f(mid) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        let mut n = lo;
        let pa = &mut a.products[k];
        for &p in &classes {
            let m = inst.people[p].multiplicity;
            let take = u64::from(m).min(n) as u32;
            pa.user[p] = take;
            pa.own[p] = if pr.people.contains(&p) { m - take } else { 0 };
            n -= u64::from(take);
        }
    }
    a
}
