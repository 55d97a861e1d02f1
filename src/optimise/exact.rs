//! The exact optimum with owned licences, by branch and bound over the structural decisions
//! (cal-rules.md §1.3, §1.6, §1.10, §5).
//!
//! Why it is exact. Take any licensing of individual people and devices. Licensing part of a
//! shared device class is never useful (one unlicensed device already forces a User CAL on every
//! person who uses the class), so it is described by its *structure*: which shared device classes
//! hold Device CALs per product, which hosts hold External Connectors, which mode each free RD
//! Session Host uses. The structure fixes who must hold a User CAL; what remains free is, for a
//! person who only reaches a product from their own devices, "User CAL or Device CALs on their own
//! devices", and the best split of those people is a convex one-dimensional problem per product
//! (see `owned::split_own_devices`, here solved in closed form at each leaf). Where an additive
//! product has such people (Exchange Enterprise beside Standard), each of them holds the pair of
//! User CALs or the pair of Device CALs (§1.11), so their split and that of the base's own such
//! people is one two-dimensional problem, not convex but solved exactly by a handful of convex
//! searches (`pair`). So the optimum is the least leaf cost over all structures.
//!
//! The search visits structures depth first and prunes a subtree when its Lagrangian bound — the
//! cut at prices `λ*` with the subtree's decisions fixed, minus `Σ λ*·q` — is no better than the
//! best licensing found. The closed form applies when no suite can be bought, no additive product
//! has an additive base, and at most one additive product of a base has own-device access; at a
//! leaf where the people of such a pair are not free in both products alike (a shared device
//! they use for the base alone left without its Device CAL, a Microsoft 365 plan covering the
//! base alone), or whose split would take more than `PAIR_WORK` cost evaluations, it does not
//! apply either. Otherwise a leaf is settled only when its own Lagrangian bound (structure fixed)
//! reaches the best cost found, which proves it for some estates with suites and not for others
//! (splitting a class between a suite and owned single CALs has no closed form here). The search
//! gives up, and the caller keeps `exact: false` with its proven bound, when a leaf is not
//! settled or the node budget runs out.

use super::model::{self, Chain, Tariff, Var};
use super::owned::Bounds;
use super::pair;
use super::solve::{cut_at, Assignment, ProductAssignment};
use super::{Effort, Instance, OptimiseError};
use crate::estate::RdsMode;

/// Upper limit on cuts solved by one search.
const NODE_BUDGET: usize = 20_000;
/// The same for a quick search ([`Effort::Quick`]): a few milliseconds on an estate described by
/// groups (the sample estate's searches take 40 to 71 cuts).
const QUICK_NODE_BUDGET: usize = 200;
/// Cuts one leaf's own Lagrangian search may solve.
const LEAF_CUTS: usize = 60;
/// Upper limit on the number of structural decisions searched.
const MAX_VARS: usize = 400;

/// The optimum and its cost, or `None` when the search does not apply or ran out of budget.
pub(crate) fn search(
    inst: &Instance,
    tariff: &Tariff,
    chain: &Chain,
    bounds: &Bounds,
    effort: Effort,
    cuts: &std::cell::Cell<usize>,
) -> Result<Option<(Assignment, i128)>, OptimiseError> {
    let suites_on_sale = tariff
        .suites
        .iter()
        .any(|s| s[0].is_some() || s[1].is_some());
    let closed_form = !suites_on_sale && order(inst).is_some();
    let vars = structural_vars(inst);
    if vars.len() > MAX_VARS {
        return Ok(None);
    }
    // Budget in cuts, scaled down for bigger graphs.
    let size = model::access_links(inst);
    let budget = (NODE_BUDGET * 100 / (size + 100)).clamp(50, NODE_BUDGET);
    // A search that completes within the smaller budget visits the same nodes as with the larger
    // one: the quick budget only gives up sooner.
    let budget = match effort {
        Effort::Full => budget,
        Effort::Quick => budget.min(QUICK_NODE_BUDGET),
    }
    .min(cuts.get());
    if budget == 0 {
        return Ok(None);
    }
    let mut s = Search {
        inst,
        tariff,
        chain,
        bounds,
        vars: &vars,
        best: bounds.best.clone(),
        ub: bounds.ub,
        nodes: 0,
        budget,
        closed_form,
    };
    let mut fix: Vec<(Var, bool)> = Vec::new();
    let proven = s.visit(&mut fix);
    cuts.set(cuts.get().saturating_sub(s.nodes));
    if proven? {
        let ub = s.ub;
        Ok(Some((s.best, ub)))
    } else {
        Ok(None)
    }
}

/// The base product (index) of each product, when the instance holds it.
fn base_of(inst: &Instance, k: usize) -> Option<usize> {
    let b = inst.products.get(k)?.base?;
    inst.products
        .iter()
        .position(|q| q.product == b)
        .filter(|&i| i != k)
}

/// The order the leaf prices products in: additive products before their base, so that what an
/// additive CAL requires of the base is known when the base is priced. `None` when the leaf's
/// closed form does not apply: an additive product whose base is itself additive, or two
/// additive products of one base with people who reach them from their own devices (their
/// User/Device splits would couple three products; one couples two, which `pair` solves).
fn order(inst: &Instance) -> Option<Vec<usize>> {
    let n = inst.products.len();
    let mut first = Vec::new();
    let mut rest = Vec::new();
    for k in 0..n {
        match base_of(inst, k) {
            Some(b) => {
                if base_of(inst, b).is_some() {
                    return None;
                }
                // (Under the `either-subject` reading an additive product is not paired.)
                let paired = |q: usize| {
                    !inst.products[q].people.is_empty() && !inst.products[q].base_any_subject
                };
                if paired(k) && (0..n).any(|q| q != k && base_of(inst, q) == Some(b) && paired(q)) {
                    return None;
                }
                first.push(k);
            }
            None => rest.push(k),
        }
    }
    first.extend(rest);
    Some(first)
}

/// Which subjects have a node in product `k`'s cut (the additive implications join those only).
struct Appears {
    person: Vec<bool>,
    own: Vec<bool>,
    device: Vec<bool>,
}

fn appears(inst: &Instance, k: usize) -> Appears {
    let pr = &inst.products[k];
    let mut a = Appears {
        person: vec![false; inst.people.len()],
        own: vec![false; inst.people.len()],
        device: vec![false; inst.devices.len()],
    };
    for &p in &pr.people {
        a.person[p] = true;
        a.own[p] = true;
    }
    for &(p, v) in &pr.person_device {
        a.person[p] = true;
        a.device[v] = true;
    }
    for &(p, _) in &pr.person_host {
        a.person[p] = true;
    }
    for &v in &pr.unattended_devices {
        a.device[v] = true;
    }
    for &v in &pr.base_only_devices {
        a.device[v] = true;
    }
    for &p in &pr.base_only_own {
        a.own[p] = true;
    }
    for r in &pr.rds_hosts {
        for &p in &r.people {
            a.person[p] = true;
            a.own[p] = true;
        }
        for &(p, v) in &r.person_device {
            a.person[p] = true;
            a.device[v] = true;
        }
        for &p in &r.external_people {
            a.person[p] = true;
        }
    }
    a
}

/// Every decision the structure consists of.
fn structural_vars(inst: &Instance) -> Vec<Var> {
    let mut vars = Vec::new();
    for (k, pr) in inst.products.iter().enumerate() {
        let mut devices: Vec<usize> = pr.person_device.iter().map(|&(_, v)| v).collect();
        devices.sort_unstable();
        devices.dedup();
        devices.retain(|v| !pr.unattended_devices.contains(v));
        vars.extend(devices.into_iter().map(|v| Var::Device(k, v)));
        let mut hosts: Vec<usize> = pr.person_host.iter().map(|&(_, h)| h).collect();
        hosts.extend(
            pr.rds_hosts
                .iter()
                .filter(|r| !r.external_people.is_empty())
                .map(|r| r.host),
        );
        hosts.sort_unstable();
        hosts.dedup();
        vars.extend(hosts.into_iter().map(|h| Var::Host(k, h)));
        for (i, r) in pr.rds_hosts.iter().enumerate() {
            if r.mode.is_none() {
                vars.push(Var::Rds(k, i));
            }
        }
    }
    vars
}

struct Search<'a> {
    inst: &'a Instance,
    tariff: &'a Tariff,
    chain: &'a Chain,
    bounds: &'a Bounds,
    vars: &'a [Var],
    best: Assignment,
    ub: i128,
    nodes: usize,
    budget: usize,
    /// Leaves priced in closed form; otherwise a leaf is settled by its own Lagrangian bounds.
    closed_form: bool,
}

impl Search<'_> {
    /// Explores the subtree under `fix`; false when the budget ran out (nothing proven).
    fn visit(&mut self, fix: &mut Vec<(Var, bool)>) -> Result<bool, OptimiseError> {
        if self.nodes >= self.budget {
            return Ok(false);
        }
        self.nodes += 1;
        let found = match cut_at(self.inst, &self.bounds.lambda, self.chain, fix) {
            // The finer grid of multipliers has no headroom here: prove nothing.
            Err(OptimiseError::TooLarge) => return Ok(false),
            other => other?,
        };
        let Some((relaxed, value)) = found else {
            return Ok(true); // no licensing in this subtree
        };
        let scale = i128::from(self.bounds.scale);
        let excess = value - self.bounds.offset;
        let bound = excess.div_euclid(scale) + i128::from(excess.rem_euclid(scale) != 0);
        if bound >= self.ub {
            return Ok(true);
        }
        // The relaxed cut's own structure is a licensing: price its best leaf.
        let guess: Vec<bool> = self.vars.iter().map(|&v| value_in(&relaxed, v)).collect();
        let values: Vec<bool> = self
            .vars
            .iter()
            .zip(&guess)
            .map(|(v, &g)| fix.iter().find(|f| f.0 == *v).map_or(g, |f| f.1))
            .collect();
        let mut priced = false;
        if self.closed_form {
            match leaf(self.inst, self.tariff, self.chain, self.vars, &values) {
                Leaf::Priced(a, cost) => {
                    priced = true;
                    if cost < self.ub {
                        self.ub = cost;
                        self.best = a;
                    }
                }
                Leaf::Infeasible => priced = true,
                Leaf::Unsettled => {}
            }
        }
        let Some(next) = self
            .vars
            .iter()
            .position(|v| !fix.iter().any(|f| f.0 == *v))
        else {
            return if priced {
                Ok(true) // a leaf: priced above
            } else {
                self.settle_leaf(fix)
            };
        };
        let first = guess[next];
        for value in [first, !first] {
            fix.push((self.vars[next], value));
            let done = self.visit(fix)?;
            fix.pop();
            if !done {
                return Ok(false);
            }
        }
        Ok(true)
    }
}

impl Search<'_> {
    /// A leaf whose remaining choices (suites, splits) have no closed form: its own Lagrangian
    /// search with the structure fixed. Settled when its bound reaches the best cost found (its
    /// licensings count as candidates); otherwise nothing is proven.
    fn settle_leaf(&mut self, fix: &[(Var, bool)]) -> Result<bool, OptimiseError> {
        let Some((first, value)) = cut_at(self.inst, self.tariff, self.chain, fix)? else {
            return Ok(true);
        };
        let budget = (self.budget - self.nodes.min(self.budget)).min(LEAF_CUTS);
        if budget == 0 {
            return Ok(false);
        }
        let b = match super::owned::lagrangian(
            self.inst,
            self.tariff,
            self.chain,
            first,
            value,
            fix,
            Some(budget),
            Some(self.ub),
        ) {
            Err(OptimiseError::TooLarge) => return Ok(false),
            other => other?,
        };
        self.nodes += b.cuts + 1;
        if b.ub < self.ub {
            self.ub = b.ub;
            self.best = b.best;
        }
        Ok(b.lb >= self.ub)
    }
}

fn value_in(a: &Assignment, var: Var) -> bool {
    match var {
        Var::Device(k, v) => a.products[k].device.get(v).is_some_and(|&n| n > 0),
        Var::Host(k, h) => a.products[k].hosts.contains(&h),
        Var::Rds(k, i) => a.products[k].rds.get(i) == Some(&RdsMode::PerUser),
    }
}

/// What pricing one structure in closed form found.
enum Leaf {
    /// The least-cost licensing with that structure, and its cost after owned licences.
    Priced(Assignment, i128),
    /// The structure leaves some access unlicensable.
    Infeasible,
    /// No closed form here (people of a base and additive pair whose two choices weigh
    /// differently in the two products, or a split too long to search): the caller settles the
    /// leaf by its own Lagrangian search.
    Unsettled,
}

/// Cost evaluations one leaf's split of a base and additive pair may take (`pair`): a few
/// hundred for an estate described by groups.
const PAIR_WORK: u64 = 4_096;

/// The least-cost licensing with the structure `values` (aligned with `vars`), and its cost
/// after owned licences.
fn leaf(inst: &Instance, tariff: &Tariff, chain: &Chain, vars: &[Var], values: &[bool]) -> Leaf {
    let np = inst.people.len();
    let nd = inst.devices.len();
    let nk = inst.products.len();
    let Some(order) = order(inst) else {
        return Leaf::Unsettled;
    };
    let mut products: Vec<Option<ProductAssignment>> = vec![None; nk];
    // (Base product, its additive product, the additive's flexible people): those people choose
    // their kind of CAL together with the base's own (§1.11), when the base is priced.
    let mut paired: Vec<(usize, usize, Vec<usize>)> = Vec::new();
    let get = |var: Var| vars.iter().position(|&v| v == var).map(|i| values[i]);
    // What additive products require of their base (§1.11): same subject, same kind.
    let mut forced_user = vec![vec![false; np]; nk];
    let mut forced_own = vec![vec![false; np]; nk];
    let mut forced_dev = vec![vec![false; nd]; nk];
    let mut forced_host = vec![vec![false; inst.hosts.len()]; nk];
    for k in order {
        let pr = &inst.products[k];
        let [u, d, e] = tariff.products[k];
        let lvl = chain.product_level[k];
        let held = |p: usize| matches!((lvl, chain.held_level[p]), (Some(l), Some(h)) if l <= h);
        let mut need_user = vec![false; np];
        let mut need_own = vec![false; np];
        let mut flexible = vec![false; np];
        let mut dev = vec![false; nd];
        let mut hosts: Vec<usize> = Vec::new();
        let mut rds = Vec::new();
        let ec = |h: usize| get(Var::Host(k, h)).unwrap_or(false);
        for &v in &pr.unattended_devices {
            dev[v] = true;
        }
        if pr.rds_hosts.is_empty() {
            for &(p, v) in &pr.person_device {
                let lic = dev[v] || get(Var::Device(k, v)).unwrap_or(false);
                dev[v] = lic;
                if !lic {
                    need_user[p] = true;
                }
            }
            for &(p, h) in &pr.person_host {
                if ec(h) {
                    hosts.push(h);
                } else {
                    need_user[p] = true;
                }
            }
            for &p in &pr.people {
                if !need_user[p] {
                    flexible[p] = true;
                }
            }
            for &p in &pr.user_only {
                need_user[p] = true;
                flexible[p] = false;
            }
        } else {
            for (i, r) in pr.rds_hosts.iter().enumerate() {
                let per_user = match r.mode {
                    Some(m) => m == RdsMode::PerUser,
                    None => get(Var::Rds(k, i)).unwrap_or(false),
                };
                rds.push(if per_user {
                    RdsMode::PerUser
                } else {
                    RdsMode::PerDevice
                });
                for &p in &r.people {
                    if per_user {
                        need_user[p] = true;
                    } else {
                        need_own[p] = true;
                    }
                }
                for &(p, v) in &r.person_device {
                    if per_user {
                        need_user[p] = true;
                    } else {
                        dev[v] = true;
                    }
                }
                for &p in &r.external_people {
                    if ec(r.host) {
                        hosts.push(r.host);
                    } else {
                        need_user[p] = true;
                    }
                }
            }
        }
        // The base connector an additive product's connector needs on the same host.
        hosts.extend(
            forced_host[k]
                .iter()
                .enumerate()
                .filter(|&(_, &f)| f)
                .map(|(h, _)| h),
        );
        hosts.sort_unstable();
        hosts.dedup();
        for p in 0..np {
            if forced_user[k][p] {
                need_user[p] = true;
                flexible[p] = false;
            }
            if forced_own[k][p] {
                need_own[p] = true;
                flexible[p] = false;
            }
        }
        for v in 0..nd {
            dev[v] |= forced_dev[k][v];
        }
        for p in 0..np {
            if held(p) {
                need_user[p] = false;
                if flexible[p] {
                    flexible[p] = false; // covered by the suite the person holds
                }
            }
        }
        let m = |p: usize| inst.people[p].multiplicity;
        let mut user: Vec<u32> = (0..np)
            .map(|p| if need_user[p] { m(p) } else { 0 })
            .collect();
        let mut own: Vec<u32> = (0..np)
            .map(|p| if need_own[p] { m(p) } else { 0 })
            .collect();
        let device: Vec<u32> = (0..nd)
            .map(|v| {
                if dev[v] {
                    inst.devices[v].multiplicity
                } else {
                    0
                }
            })
            .collect();
        let any = |xs: &[u32]| xs.iter().any(|&c| c > 0);
        if (u.is_none() && any(&user))
            || (d.is_none() && (any(&own) || any(&device)))
            || (e.is_none() && inst.charged_connectors(k, &hosts, |_, h| forced_host[k][h]) > 0)
        {
            return Leaf::Infeasible;
        }
        // Flexible people: User CAL or their own devices' Device CALs, split at the best count;
        // those with the most own devices take User CALs first.
        let mut classes: Vec<usize> = (0..np).filter(|&p| flexible[p]).collect();
        crate::sort::sort_by_key(&mut classes, |&p| {
            std::cmp::Reverse(model::own_devices(inst, p))
        });
        let base = base_of(inst, k);
        // Under the `either-subject` reading the additive's people choose on their own: their
        // base is the base product's demand, whatever kind of CAL they hold here.
        let pair_base = base.filter(|_| !pr.base_any_subject);
        if let (Some(b), false, false) = (pair_base, pr.people.is_empty(), classes.is_empty()) {
            // An additive product's: chosen with the base's own people (below, at the base).
            paired.push((b, k, classes));
        } else if let Some(i) = paired.iter().position(|x| x.0 == k) {
            let (_, a, pair) = paired.swap_remove(i);
            let Some(pa) = products[a].as_mut() else {
                return Leaf::Unsettled;
            };
            // Those people must be free in the base too, with its User CAL their additive's
            // base: otherwise their two choices weigh differently in the two products.
            let pr_a = &inst.products[a];
            if pair
                .iter()
                .any(|&p| !flexible[p] || !pr_a.additive_needs_base_user(&inst.people, p))
            {
                return Leaf::Unsettled;
            }
            classes.retain(|p| !pair.contains(p));
            let counts = |user: &[u32], own: &[u32], device: &[u32]| -> [u64; 2] {
                let own: u64 = (own.iter().enumerate())
                    .map(|(p, &c)| u64::from(c) * model::own_devices(inst, p))
                    .sum();
                [
                    user.iter().map(|&c| u64::from(c)).sum(),
                    own + device.iter().map(|&c| u64::from(c)).sum::<u64>(),
                ]
            };
            let ([bu, bd], [au, ad]) = (
                counts(&user, &own, &device),
                counts(&pa.user, &pa.own, &pa.device),
            );
            let side = |cs: &[usize]| {
                let mut side = pair::Side::default();
                for &p in cs {
                    side.add(u64::from(m(p)), model::own_devices(inst, p));
                }
                side
            };
            let pool = pair::Pool {
                fixed: [bu, bd, au, ad],
                owned: [
                    pr.owned.user_cals,
                    pr.owned.device_cals,
                    pr_a.owned.user_cals,
                    pr_a.owned.device_cals,
                ],
                price: [u, d, tariff.products[a][0], tariff.products[a][1]],
            };
            let best = match pair::best_split(&side(&pair), &side(&classes), &pool, PAIR_WORK) {
                pair::Split::Found(best) => best,
                pair::Split::Infeasible => return Leaf::Infeasible,
                pair::Split::OutOfWork => return Leaf::Unsettled,
            };
            // The people with the most own devices take User CALs (what `Side` counts).
            let mut share = |cs: &[usize], mut n: u64, mut pa: Option<&mut ProductAssignment>| {
                for &p in cs {
                    let take = u64::from(m(p)).min(n) as u32;
                    (user[p], own[p]) = (take, m(p) - take);
                    if let Some(pa) = pa.as_deref_mut() {
                        (pa.user[p], pa.own[p]) = (take, m(p) - take);
                    }
                    n -= u64::from(take);
                }
            };
            share(&pair, best.x, Some(pa));
            share(&classes, best.y, None);
        } else if !classes.is_empty() {
            let total: u64 = classes.iter().map(|&p| u64::from(m(p))).sum();
            let users0: u64 = user.iter().map(|&c| u64::from(c)).sum();
            let devices0: u64 = device.iter().map(|&c| u64::from(c)).sum::<u64>()
                + own
                    .iter()
                    .enumerate()
                    .map(|(p, &c)| u64::from(c) * model::own_devices(inst, p))
                    .sum::<u64>();
            let all_own: u64 = classes
                .iter()
                .map(|&p| u64::from(m(p)) * model::own_devices(inst, p))
                .sum();
            let saved = |mut n: u64| -> u64 {
                let mut s = 0;
                for &p in &classes {
                    let take = u64::from(m(p)).min(n);
                    s += take * model::own_devices(inst, p);
                    n -= take;
                }
                s
            };
            let n = match (u, d) {
                (None, None) => return Leaf::Infeasible,
                (None, Some(_)) => 0,
                (Some(_), None) => total,
                (Some(u), Some(d)) => {
                    let f = |n: u64| -> i128 {
                        let nu = (users0 + n).saturating_sub(pr.owned.user_cals);
                        let nd =
                            (devices0 + all_own - saved(n)).saturating_sub(pr.owned.device_cals);
                        i128::from(nu) * i128::from(u) + i128::from(nd) * i128::from(d)
                    };
                    // Convex: first n where the cost stops decreasing.
                    super::convex_argmin(total, f)
                }
            };
            let mut n = n;
            for &p in &classes {
                let take = u64::from(m(p)).min(n) as u32;
                user[p] = take;
                own[p] = m(p) - take;
                n -= u64::from(take);
            }
        }
        if let Some(b) = base {
            let (here, there) = (appears(inst, k), appears(inst, b));
            for p in 0..np {
                // Covered by a User CAL here (bought or held) ⇒ a User CAL of the base.
                if (user[p] > 0 || held(p))
                    && here.person[p]
                    && there.person[p]
                    && pr.additive_needs_base_user(&inst.people, p)
                {
                    forced_user[b][p] = true;
                }
                if own[p] > 0 && here.own[p] && there.own[p] && pr.additive_needs_base_device() {
                    forced_own[b][p] = true;
                }
            }
            for v in 0..nd {
                if device[v] > 0
                    && here.device[v]
                    && there.device[v]
                    && pr.additive_needs_base_device()
                {
                    forced_dev[b][v] = true;
                }
            }
            for &h in hosts
                .iter()
                .filter(|h| !inst.products[b].licensed_hosts.contains(h))
            {
                if let Some(f) = forced_host[b].get_mut(h) {
                    *f = true;
                }
            }
        }
        products[k] = Some(ProductAssignment {
            user,
            own,
            device,
            hosts,
            rds,
        });
    }
    let Some(products) = products.into_iter().collect::<Option<Vec<_>>>() else {
        return Leaf::Unsettled;
    };
    let a = Assignment {
        products,
        suite_user: vec![0; inst.suites.len()],
        suite_device: vec![0; inst.suites.len()],
        user_level: chain.held_level.clone(),
        own_level: vec![None; np],
    };
    let cost = i128::from(super::solve::cost(inst, tariff, &a));
    Leaf::Priced(a, cost)
}
