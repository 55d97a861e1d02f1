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

use super::model::{self, Chain, Tariff, Var};
use super::solve::{cut_at, Assignment, ProductAssignment};
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

/// The tariff with every price multiplied by `scale` and the owned types at `lambda` (already
/// scaled): a finer grid of multipliers than whole minor units.
fn with_prices(tariff: &Tariff, scale: i64, types: &[Owned], lambda: &[i64]) -> Tariff {
    let up = |p: Option<i64>| p.map(|v| v.saturating_mul(scale));
    let mut t = Tariff {
        products: tariff.products.iter().map(|x| x.map(up)).collect(),
        suites: tariff.suites.iter().map(|x| x.map(up)).collect(),
        by_class: Vec::new(),
    };
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
        Kind::Product(k, _) => super::solve::charged(inst, a, k),
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
    /// `λ*` as prices (every price × `scale`), and `Σ λ*_t q_t` in the same units: for any
    /// licensing x, cost(x) ≥ (cut_λ*(x) − offset) / scale.
    pub lambda: Tariff,
    pub offset: i128,
    pub scale: i64,
    /// Cuts solved.
    pub cuts: usize,
}

impl Bounds {
    /// Whether the branch and bound would start from the same place from both: it reads the
    /// best licensing, its cost and `λ*` (with its offset and scale), nothing else.
    pub(crate) fn start_the_same_search(&self, other: &Bounds) -> bool {
        self.ub == other.ub
            && self.best == other.best
            && self.scale == other.scale
            && self.offset == other.offset
            && self.lambda == other.lambda
    }
}

/// Cuts the Lagrangian search may solve: many for an estate described by groups, a handful for
/// an instance with hundreds of thousands of links (each cut there takes a tenth of a second).
pub(crate) fn cut_budget(inst: &Instance) -> usize {
    let size = model::access_links(inst)
        + inst
            .products
            .iter()
            .map(|p| p.unattended_devices.len())
            .sum::<usize>()
        + inst.people.len()
        + inst.devices.len();
    (3_000_000 / (size + 1)).clamp(4, 200)
}

/// The search state: best licensing, bounds, and the cuts left.
struct Dual<'a> {
    inst: &'a Instance,
    tariff: &'a Tariff,
    chain: &'a Chain,
    types: Vec<Owned>,
    best: Assignment,
    ub: i128,
    lb: i128,
    best_lambda: Vec<i64>,
    /// Subgradient at `best_lambda`.
    best_g: Vec<i128>,
    left: usize,
    /// Multipliers are in 1/scale minor units.
    scale: i64,
    fix: &'a [(Var, bool)],
    /// A cost the caller already has a licensing for: once the bound reaches it, nothing here can
    /// do better, so the search stops.
    cutoff: i128,
}

impl Dual<'_> {
    fn owned_at(&self, lambda: &[i64]) -> i128 {
        self.types
            .iter()
            .zip(lambda)
            .map(|(o, &l)| i128::from(l) * i128::from(o.quantity))
            .sum()
    }

    fn offer(&mut self, a: Assignment) {
        let improved = split_own_devices(self.inst, self.tariff, a.clone());
        let filled = fill_owned(self.inst, self.tariff, improved.clone());
        for cand in [a, improved, filled] {
            let c = i128::from(super::solve::cost(self.inst, self.tariff, &cand));
            debug_assert_eq!(
                c,
                i128::from(super::solve::price(self.inst, self.tariff, &cand).1)
            );
            if c < self.ub {
                self.ub = c;
                self.best = cand;
            }
        }
    }

    /// One cut at prices `lambda`: updates both bounds; returns the licensing and its
    /// subgradient `n_t − q_t`, or `None` when out of budget or infeasible.
    fn eval(&mut self, lambda: &[i64]) -> Result<Option<Vec<i128>>, OptimiseError> {
        if self.left == 0 {
            return Ok(None);
        }
        self.left -= 1;
        let priced = with_prices(self.tariff, self.scale, &self.types, lambda);
        let found = match cut_at(self.inst, &priced, self.chain, self.fix) {
            Err(OptimiseError::TooLarge) if self.scale > 1 => {
                // No headroom for the finer grid: stop refining.
                self.left = 0;
                return Ok(None);
            }
            other => other?,
        };
        let Some((a, value)) = found else {
            return Ok(None);
        };
        // The optimum is a whole number of minor units: round the bound up.
        let l = (value - self.owned_at(lambda)).div_euclid(i128::from(self.scale))
            + i128::from((value - self.owned_at(lambda)).rem_euclid(i128::from(self.scale)) != 0);
        if l > self.lb {
            self.lb = l;
            self.best_lambda = lambda.to_vec();
            self.best_g = self
                .types
                .iter()
                .map(|o| i128::from(count(self.inst, &a, o.kind)) - i128::from(o.quantity))
                .collect();
        }
        let g = self
            .types
            .iter()
            .map(|o| i128::from(count(self.inst, &a, o.kind)) - i128::from(o.quantity))
            .collect();
        self.offer(a);
        Ok(Some(g))
    }

    fn done(&self) -> bool {
        self.ub.min(self.cutoff) <= self.lb || self.left == 0
    }
}

/// The best licensing found and a proven lower bound on the optimum (cost after owned licences).
///
/// `L(λ)` is concave in `λ`; the search tries the corners (each owned type free or at full
/// price) when there are few types, then bisects each `λ_t` on the sign of its subgradient
/// `n_t − q_t` (in one dimension that finds the maximum; across types it is coordinate ascent),
/// then takes projected subgradient steps, all within a budget of cuts.
///
/// It stops early once the bound reaches `cutoff` (the cost of a licensing the caller already
/// has, e.g. the branch and bound's incumbent): no licensing here can then be cheaper than it,
/// which is all the caller needs to know. `None` searches until the bounds meet or the budget
/// is spent.
#[allow(clippy::too_many_arguments)]
pub(crate) fn lagrangian(
    inst: &Instance,
    tariff: &Tariff,
    chain: &Chain,
    first: Assignment,
    first_cut: i128,
    fix: &[(Var, bool)],
    budget: Option<usize>,
    cutoff: Option<i128>,
) -> Result<Bounds, OptimiseError> {
    let types = owned_types(inst, tariff);
    let budget = budget.unwrap_or_else(|| cut_budget(inst));
    // Small graphs get a finer grid of multipliers (1/1024 minor unit).
    let scale: i64 = if budget >= 30 { 1024 } else { 1 };
    let plain_owned: i128 = types
        .iter()
        .map(|o| i128::from(o.price) * i128::from(o.quantity))
        .sum();
    let full: Vec<i64> = types
        .iter()
        .map(|o| o.price.saturating_mul(scale))
        .collect();
    let first_g: Vec<i128> = types
        .iter()
        .map(|o| i128::from(count(inst, &first, o.kind)) - i128::from(o.quantity))
        .collect();
    let mut d = Dual {
        inst,
        tariff,
        chain,
        lb: 0,
        ub: i128::MAX,
        best: first.clone(),
        best_lambda: full.clone(),
        best_g: first_g.clone(),
        left: budget,
        scale,
        fix,
        types,
        cutoff: cutoff.unwrap_or(i128::MAX),
    };
    d.lb = first_cut - plain_owned;
    d.offer(first);
    let nt = d.types.len();
    if nt <= 4 && d.left >= 30 {
        for mask in 1u32..(1 << nt) {
            if d.done() {
                break;
            }
            let trial: Vec<i64> = (0..nt)
                .map(|i| if mask & (1 << i) != 0 { 0 } else { full[i] })
                .collect();
            d.eval(&trial)?;
        }
    }
    // Coordinate bisection from the best point so far.
    for _round in 0..2 {
        for t in 0..nt {
            let mut lambda = d.best_lambda.clone();
            // L is concave: its maximum along λ_t lies on the side the subgradient points to.
            let (mut lo, mut hi) = match d.best_g.get(t).map(|g| g.cmp(&0)) {
                Some(std::cmp::Ordering::Greater) => (lambda[t], full[t]),
                Some(std::cmp::Ordering::Less) => (0, lambda[t]),
                _ => continue,
            };
            while hi - lo > 1 && !d.done() {
                let mid = lo + (hi - lo) / 2;
                lambda[t] = mid;
                let Some(g) = d.eval(&lambda)? else { break };
                match g[t].cmp(&0) {
                    std::cmp::Ordering::Greater => lo = mid,
                    std::cmp::Ordering::Less => hi = mid,
                    std::cmp::Ordering::Equal => break,
                }
            }
        }
    }
    // Projected subgradient steps (Polyak step sizes) with what is left.
    let mut lambda = d.best_lambda.clone();
    let mut g = if lambda == full {
        first_g
    } else {
        d.eval(&lambda)?.unwrap_or_default()
    };
    let mut scale = 1.0f64;
    while !d.done() && g.len() == nt {
        // λ is in 1/d.scale minor units, the gap in minor units.
        let gap = scale * ((d.ub - d.lb).max(1) as f64) * d.scale as f64;
        let Some(next) = polyak_next(&lambda, &g, gap, &full) else {
            break;
        };
        if next == lambda {
            scale *= 2.0;
            if scale > 64.0 {
                break;
            }
            continue;
        }
        let before = d.lb;
        match d.eval(&next)? {
            Some(ng) => {
                scale = if d.lb > before {
                    (scale * 1.2).min(2.0)
                } else {
                    scale * 0.6
                };
                lambda = next;
                g = ng;
            }
            None => break,
        }
    }
    let (lb, ub) = (d.lb.min(d.ub), d.ub);
    let cuts = budget - d.left;
    Ok(Bounds {
        cuts,
        lambda: with_prices(tariff, d.scale, &d.types, &d.best_lambda),
        offset: if d.best_lambda == full {
            plain_owned * i128::from(d.scale)
        } else {
            d.owned_at(&d.best_lambda)
        },
        scale: d.scale,
        best: d.best,
        ub,
        lb,
    })
}

/// One projected subgradient step with Polyak's step size: `λ + (gap / |g|²)·g`, rounded and
/// kept within `[0, full]`; `None` when the subgradient is zero (nothing to move along).
pub(super) fn polyak_next(lambda: &[i64], g: &[i128], gap: f64, full: &[i64]) -> Option<Vec<i64>> {
    let norm: f64 = g.iter().map(|&x| (x as f64) * (x as f64)).sum();
    if norm == 0.0 {
        return None;
    }
    let step = gap / norm;
    Some(
        lambda
            .iter()
            .zip(g)
            .zip(full)
            .map(|((&l, &gi), &f)| ((l as f64 + step * gi as f64).round() as i64).clamp(0, f))
            .collect(),
    )
}

/// Moves person classes, one at a time, onto a user suite of a higher level while that lowers the
/// cost after owned licences. The Lagrangian's cuts price alike every class that can use an owned
/// pool, so when the owned CALs suffice for only some of them they put all on the pool or none,
/// and miss that the others are cheaper on a suite (review 13: Core CAL Suites owned for 50
/// people, Enterprise CAL Suites cheaper for the 20 others, $2,420 missed). A class on the suite
/// needs none of its User CALs or own devices' Device CALs of the products the suite covers;
/// everything else stays, so the licensing stays valid.
pub(crate) fn suite_moves(
    inst: &Instance,
    tariff: &Tariff,
    chain: &Chain,
    mut a: Assignment,
) -> Assignment {
    let ucost = chain.level_costs(tariff, 0);
    let nl = chain.levels.len();
    let mut cost = super::solve::cost(inst, tariff, &a);
    for _round in 0..3 {
        let mut improved = false;
        for p in 0..inst.people.len() {
            let m = u64::from(inst.people[p].multiplicity);
            let from = a.user_level[p];
            // A level the class holds through Microsoft 365 was not bought.
            let bought_from = from.filter(|&f| chain.held_level[p].is_none_or(|h| h < f));
            for (l, offer) in ucost.iter().enumerate().take(nl) {
                let Some((_, j)) = *offer else { continue };
                if m == 0 || from.is_some_and(|f| f >= l) {
                    continue;
                }
                let mut next = a.clone();
                if let Some((_, jf)) = bought_from.and_then(|f| ucost[f]) {
                    next.suite_user[jf] = next.suite_user[jf].saturating_sub(m);
                }
                next.suite_user[j] += m;
                next.user_level[p] = Some(l);
                // An additive product the suite does not cover keeps the Device CALs on the
                // class's own devices, which need their base product's Device CALs on the same
                // devices (§1.11): those stay (a random census found Exchange Enterprise Device
                // CALs left on a Core CAL Suite's User CAL, $25 under the true optimum).
                let covered = |k: usize| chain.product_level[k].is_some_and(|pl| pl <= l);
                let base_of_own_devices: Vec<bool> = (0..inst.products.len())
                    .map(|k| {
                        inst.products.iter().enumerate().any(|(q, pq)| {
                            pq.base == Some(inst.products[k].product)
                                && !covered(q)
                                && next.products[q].own[p] > 0
                        })
                    })
                    .collect();
                for (k, pa) in next.products.iter_mut().enumerate() {
                    if covered(k) {
                        pa.user[p] = 0;
                        if !base_of_own_devices[k] {
                            pa.own[p] = 0;
                        }
                    }
                }
                let c = super::solve::cost(inst, tariff, &next);
                if c < cost {
                    cost = c;
                    a = next;
                    improved = true;
                    break;
                }
            }
        }
        if !improved {
            break;
        }
    }
    a
}

/// Moves person classes, one at a time, off a bought user suite onto separate CALs while that
/// lowers the cost after owned licences: User CALs of each product the suite covered for them,
/// then, product by product, their own devices' and shared devices' Device CALs instead where
/// that costs less. The Lagrangian's cuts price alike every class that can use an owned pool,
/// so when owned Device CALs suffice for only some classes they put all of them on suites or
/// none (review 46's random estates: two staff with two PCs each and two kiosks, 5 owned
/// Windows Server Device CALs; both on Core CAL Suites, $180.00, where one on a suite and the
/// other on Exchange and SharePoint User CALs beside the owned Device CALs is $168.00). Only
/// products a suite covers move, and a product's Device CALs are tried only where it is no
/// additive product's base for the class (nor one whose User CAL they must hold beneath an
/// additive CAL given them outright, `ProductInstance::user_only`), nor additive, nor reached
/// through a session host or a connector's host, so the licensing stays valid.
pub(crate) fn suite_off_moves(
    inst: &Instance,
    tariff: &Tariff,
    chain: &Chain,
    mut a: Assignment,
) -> Assignment {
    let ucost = chain.level_costs(tariff, 0);
    let mut cost = super::solve::cost(inst, tariff, &a);
    for p in 0..inst.people.len() {
        let m = inst.people[p].multiplicity;
        let Some(l) = a.user_level[p] else { continue };
        // A suite held through Microsoft 365 or owned outright was not bought here.
        if m == 0 || chain.held_level[p].is_some() {
            continue;
        }
        let Some((_, j)) = ucost.get(l).copied().flatten() else {
            continue;
        };
        let covered: Vec<usize> = (0..inst.products.len())
            .filter(|&k| {
                chain.product_level[k].is_some_and(|pl| pl <= l)
                    && inst.products[k].reaches_person(p)
            })
            .collect();
        let awkward = covered.iter().any(|&k| {
            let pr = &inst.products[k];
            !pr.rds_hosts.is_empty() || pr.person_host.iter().any(|e| e.0 == p)
        });
        if awkward {
            continue;
        }
        // Device CALs instead of User CALs for product `k`, where that keeps the licensing valid.
        let on_devices = |next: &Assignment, k: usize| -> Option<Assignment> {
            let pr = &inst.products[k];
            let base_for_them =
                (inst.products.iter()).any(|q| q.base == Some(pr.product) && q.reaches_person(p));
            if pr.base.is_some()
                || base_for_them
                || pr.user_only.contains(&p)
                || tariff.products[k][1].is_none()
            {
                return None;
            }
            let mut device = next.clone();
            let pa = &mut device.products[k];
            pa.user[p] = 0;
            if pr.people.contains(&p) {
                pa.own[p] = m;
            }
            for &(q, v) in &pr.person_device {
                if q == p {
                    if let (Some(x), Some(d)) = (pa.device.get_mut(v), inst.devices.get(v)) {
                        *x = d.multiplicity;
                    }
                }
            }
            Some(device)
        };
        let mut next = a.clone();
        next.suite_user[j] = next.suite_user[j].saturating_sub(u64::from(m));
        next.user_level[p] = None;
        // User CALs where they are sold, else Device CALs; neither, and the class stays.
        let mut stays = false;
        for &k in &covered {
            if tariff.products[k][0].is_some() {
                next.products[k].user[p] = m;
            } else if let Some(device) = on_devices(&next, k) {
                next = device;
            } else {
                stays = true;
            }
        }
        if stays {
            continue;
        }
        let mut here = super::solve::cost(inst, tariff, &next);
        for &k in &covered {
            if tariff.products[k][0].is_none() {
                continue;
            }
            if let Some(device) = on_devices(&next, k) {
                let c = super::solve::cost(inst, tariff, &device);
                if c < here {
                    here = c;
                    next = device;
                }
            }
        }
        if here < cost {
            cost = here;
            a = next;
        }
    }
    a
}

/// Lets members of a class whose only remaining choice is "User CAL or Device CALs on their own
/// devices" split between the two, at the count that costs least after owned licences.
pub(crate) fn split_own_devices(inst: &Instance, tariff: &Tariff, mut a: Assignment) -> Assignment {
    let nk = inst.products.len();
    for k in 0..nk {
        let pr = &inst.products[k];
        if !pr.rds_hosts.is_empty() || pr.base.is_some() {
            continue;
        }
        let (Some(u), Some(d)) = (tariff.products[k][0], tariff.products[k][1]) else {
            continue;
        };
        // People of an additive product on this base keep their kind of CAL here (§1.11).
        let mut in_additive = vec![false; inst.people.len()];
        for q in inst.products.iter().filter(|q| q.base == Some(pr.product)) {
            for p in people_of(q) {
                in_additive[p] = true;
            }
        }
        let pa = &a.products[k];
        // Flexible classes: own-device access only, or every shared device and host they reach
        // licensed already; no suite involved.
        let mut flexible = vec![false; inst.people.len()];
        for &p in &pr.people {
            flexible[p] = a.user_level[p].is_none()
                && a.own_level[p].is_none()
                && !in_additive[p]
                && !pr.user_only.contains(&p);
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
        crate::sort::sort_by_key(&mut classes, |&p| {
            std::cmp::Reverse(model::own_devices(inst, p))
        });
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
        let mut n = super::convex_argmin(total_members, f);
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

/// Spends owned licences that a cut left unused: spare owned User CALs go to the people of a
/// licensed shared device (or external people of a host) so that its Device CAL (or the host's
/// External Connector) is no longer needed; spare owned Device CALs or Connectors replace bought
/// User CALs where they cover every device or host a person reaches. Greedy, and only ever
/// offered as a candidate: the caller keeps it only if it costs less.
fn fill_owned(inst: &Instance, tariff: &Tariff, mut a: Assignment) -> Assignment {
    for k in 0..inst.products.len() {
        let pr = &inst.products[k];
        let is_base = inst.products.iter().any(|q| q.base == Some(pr.product));
        let in_suite = inst.suites.iter().any(|s| s.covers.contains(&pr.product));
        if !pr.rds_hosts.is_empty() || pr.base.is_some() || is_base || in_suite {
            continue;
        }
        if tariff.products[k].iter().all(|p| p.is_none()) {
            continue;
        }
        if !fill_applies(inst, tariff, &a, k) {
            continue;
        }
        let np = inst.people.len();
        let nd = inst.devices.len();
        let m = |p: usize| inst.people[p].multiplicity;
        let n = |v: usize| inst.devices[v].multiplicity;
        let mut users_of: Vec<Vec<usize>> = vec![Vec::new(); nd];
        let mut devices_of: Vec<Vec<usize>> = vec![Vec::new(); np];
        for &(p, v) in &pr.person_device {
            users_of[v].push(p);
            devices_of[p].push(v);
        }
        let mut hosts_of: Vec<Vec<usize>> = vec![Vec::new(); np];
        let mut externals_of: Vec<Vec<usize>> = vec![Vec::new(); inst.hosts.len()];
        for &(p, h) in &pr.person_host {
            hosts_of[p].push(h);
            externals_of[h].push(p);
        }
        let mut own_access = vec![false; np];
        for &p in &pr.people {
            own_access[p] = true;
        }
        let mut unattended = vec![false; nd];
        for &v in &pr.unattended_devices {
            unattended[v] = true;
        }
        let pa = &mut a.products[k];
        let mut ec = vec![false; inst.hosts.len()];
        for &h in &pa.hosts {
            ec[h] = true;
        }
        let own_n = |p: usize| u64::from(m(p)) * model::own_devices(inst, p);
        let mut users: u64 = pa.user.iter().map(|&c| u64::from(c)).sum();
        let mut devices: u64 = pa.device.iter().map(|&c| u64::from(c)).sum::<u64>()
            + (0..np)
                .map(|p| u64::from(pa.own[p]) * model::own_devices(inst, p))
                .sum::<u64>();
        let mut ecs = pr.pool_connectors(&pa.hosts);
        let owned = pr.owned;
        let full = |pa: &ProductAssignment, p: usize| pa.user[p] == m(p);
        let partial = |pa: &ProductAssignment, p: usize| pa.user[p] > 0 && pa.user[p] < m(p);

        // Spare User CALs replace Device CALs of shared devices.
        if users < owned.user_cals && devices > owned.device_cals && tariff.products[k][0].is_some()
        {
            let mut order: Vec<(u64, usize)> = (0..nd)
                .filter(|&v| pa.device[v] > 0 && !unattended[v] && !users_of[v].is_empty())
                .map(|v| {
                    let need: u64 = users_of[v]
                        .iter()
                        .filter(|&&p| !full(pa, p))
                        .map(|&p| u64::from(m(p)))
                        .sum();
                    (need.saturating_mul(1_000) / u64::from(n(v).max(1)), v)
                })
                .collect();
            order.sort_unstable();
            for (_, v) in order {
                if users >= owned.user_cals || devices <= owned.device_cals {
                    break;
                }
                if users_of[v].iter().any(|&p| partial(pa, p)) {
                    continue;
                }
                let mut lacking: Vec<usize> = users_of[v]
                    .iter()
                    .copied()
                    .filter(|&p| !full(pa, p))
                    .collect();
                lacking.sort_unstable();
                lacking.dedup();
                let need: u64 = lacking.iter().map(|&p| u64::from(m(p))).sum();
                if users + need > owned.user_cals {
                    continue;
                }
                for &p in &lacking {
                    pa.user[p] = m(p);
                    if pa.own[p] > 0 {
                        devices -= u64::from(pa.own[p]) * model::own_devices(inst, p);
                        pa.own[p] = 0;
                    }
                }
                users += need;
                devices -= u64::from(pa.device[v]);
                pa.device[v] = 0;
            }
        }

        // Spare Device CALs replace bought User CALs of people whose devices they then cover.
        if devices < owned.device_cals && users > owned.user_cals && tariff.products[k][1].is_some()
        {
            let cost_of = |pa: &ProductAssignment, p: usize| -> u64 {
                let shared: u64 = devices_of[p]
                    .iter()
                    .filter(|&&v| pa.device[v] == 0)
                    .map(|&v| u64::from(n(v)))
                    .sum();
                shared + if own_access[p] { own_n(p) } else { 0 }
            };
            let mut order: Vec<(u64, usize)> = (0..np)
                .filter(|&p| full(pa, p) && m(p) > 0 && hosts_of[p].is_empty())
                .map(|p| (cost_of(pa, p).saturating_mul(1_000) / u64::from(m(p)), p))
                .collect();
            order.sort_unstable();
            for (_, p) in order {
                if devices >= owned.device_cals || users <= owned.user_cals {
                    break;
                }
                let need = cost_of(pa, p);
                if devices + need > owned.device_cals {
                    continue;
                }
                for &v in &devices_of[p] {
                    if pa.device[v] == 0 {
                        pa.device[v] = n(v);
                    }
                }
                if own_access[p] {
                    pa.own[p] = m(p);
                }
                devices += need;
                users -= u64::from(m(p));
                pa.user[p] = 0;
            }
        }

        // Spare External Connectors replace User CALs of external people.
        if ecs < owned.external_connectors
            && users > owned.user_cals
            && tariff.products[k][2].is_some()
        {
            let mut order: Vec<(std::cmp::Reverse<usize>, usize)> = (0..inst.hosts.len())
                .filter(|&h| !ec[h] && !externals_of[h].is_empty())
                .map(|h| (std::cmp::Reverse(externals_of[h].len()), h))
                .collect();
            order.sort_unstable();
            for (_, h) in order {
                if ecs >= owned.external_connectors {
                    break;
                }
                ec[h] = true;
                if !pr.owned_ec_hosts.contains(&h) {
                    ecs += 1;
                }
                pa.hosts.push(h);
            }
            pa.hosts.sort_unstable();
            for p in 0..np {
                if full(pa, p)
                    && !hosts_of[p].is_empty()
                    && hosts_of[p].iter().all(|&h| ec[h])
                    && !own_access[p]
                    && devices_of[p].iter().all(|&v| pa.device[v] > 0)
                {
                    pa.user[p] = 0;
                }
            }
        }
    }
    a
}

/// Whether one of the three greedy passes of [`fill_owned`] can change product `k`: each starts
/// only when owned licences of one kind are spare while bought ones of another kind are counted.
/// If none starts on the cut's own counts, none changes them for the next, so the product is left
/// as it is without building its indexes (the Lagrangian search offers every cut here).
fn fill_applies(inst: &Instance, tariff: &Tariff, a: &Assignment, k: usize) -> bool {
    let (pr, pa) = (&inst.products[k], &a.products[k]);
    let users: u64 = pa.user.iter().map(|&c| u64::from(c)).sum();
    let devices: u64 = pa.device.iter().map(|&c| u64::from(c)).sum::<u64>()
        + pa.own
            .iter()
            .enumerate()
            .map(|(p, &c)| u64::from(c) * model::own_devices(inst, p))
            .sum::<u64>();
    let ecs = pr.pool_connectors(&pa.hosts);
    let owned = pr.owned;
    let [u, d, e] = tariff.products[k];
    (users < owned.user_cals && devices > owned.device_cals && u.is_some())
        || (devices < owned.device_cals && users > owned.user_cals && d.is_some())
        || (ecs < owned.external_connectors && users > owned.user_cals && e.is_some())
}

/// Every person class with access to product instance `q`, in any role.
fn people_of(q: &super::ProductInstance) -> Vec<usize> {
    let mut out: Vec<usize> = q.people.clone();
    out.extend(q.person_device.iter().map(|x| x.0));
    out.extend(q.person_host.iter().map(|x| x.0));
    for r in &q.rds_hosts {
        out.extend(&r.people);
        out.extend(r.person_device.iter().map(|x| x.0));
        out.extend(&r.external_people);
    }
    out
}
