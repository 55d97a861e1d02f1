//! The optimiser's cut model: every licensing choice as a binary variable, every coverage rule as
//! an implication or a pairwise cost, so that one minimum s–t cut is the cheapest licensing.
//!
//! Orientation (a node on the sink side T or the source side S of the cut):
//! - person class × product `P`: T = every member is covered by a User CAL (own, suite or held
//!   Microsoft 365 suite). Cost `m·U` when on T (edge s→P, or σ→P when a suite could cover it);
//! - own devices of a person class × product `O`, shared device class × product `D`, host × product
//!   `H`: S = licensed (Device CALs / External Connector). Cost when on S (edge →t, or →τ);
//! - RD Session Host mode `Z`: T = per user, S = per device;
//! - user suite level `σ_i` of a person class: T = holds a suite covering at least level `i`;
//!   device suite level `τ_i` of a device class (or a person class's own devices): S = holds one.
//!
//! Implication "a on S ⇒ b on S" is an infinite edge a→b. The rules (cal-rules.md):
//! - §1.3 / §5: internal person p uses device v: `P ∈ T or D ∈ S` — edge P→D; own devices: P→O;
//! - §1.6: external person p reaches host h: `P ∈ T or H ∈ S` — edge P→H; unattended devices need
//!   Device CALs — edge s→D;
//! - §1.10: host per user ⇒ every user of it holds an RDS User CAL (P→Z); host per device ⇒
//!   every device it is reached from holds an RDS Device CAL (Z→D, Z→O); external users of an RD
//!   Session Host: User CAL or RDS External Connector on the host (P→H);
//! - §1.11: an additive User CAL needs the base User CAL for the same person (P_base→P_add), an
//!   additive Device CAL the base Device CAL for the same device (D_add→D_base); under the
//!   `either-subject` reading (`ProductInstance::base_any_subject`) neither edge is there, the
//!   base product's own demand licensing each access to it; a device that
//!   reaches the base product only through people Microsoft 365 licenses (`base_only_devices`,
//!   `base_only_own`) has a base node with no demand, licensed only through that implication;
//! - §1.12 / §1.13: suites. For one person the cost of user licensing across the products a suite
//!   covers is `min(S, Σ_{k chosen} U_k)`. With σ (T = suite) and edges s→σ (capacity S) and
//!   σ→P_k (capacity U_k) a cut pays S when σ ∈ T, and U_k for each P_k ∈ T when σ ∈ S: exactly
//!   `min(S, Σ U_k x_k)` after minimising over σ. Nested suites (Core ⊂ Enterprise) are levels:
//!   with `c_i` the cheapest suite reaching level `i` (non-decreasing in `i`), σ_i costs
//!   `c_i − c_{i−1}` and σ_{i+1} ∈ T ⇒ σ_i ∈ T (edge σ_i→σ_{i+1}); a product first covered at
//!   level `ℓ` hangs from σ_ℓ. Every pairwise term has the form "cost when a ∈ S and b ∈ T", so
//!   the energy is submodular and the cut is exact. Devices mirror this with τ_i.
//!
//! Without owned licences the members of a class are interchangeable and every cost is linear in
//! how many members take an option, so the LP relaxation (integral: a cut problem) has an optimal
//! solution that treats each class as a whole; the cut over classes is therefore the optimum over
//! people.

use super::flow::FlowGraph;
use super::{Instance, OptimiseError, Options};
use crate::estate::RdsMode;

const NONE: u32 = u32::MAX;

/// Prices the cut is built with (the true prices, or Lagrangian ones); `None` = not available.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Tariff {
    /// Per product instance: User CAL, Device CAL, External Connector.
    pub products: Vec<[Option<i64>; 3]>,
    /// Per suite offer: user suite, device suite.
    pub suites: Vec<[Option<i64>; 2]>,
    /// Per product instance, the price of each class where it differs from `products` (empty:
    /// none does). The version-aware search prices an owned CAL only for the subjects whose
    /// servers are no newer than it (`versions`).
    pub by_class: Vec<ClassPrices>,
}

/// One product's prices per class: a person's User CAL, each of a person's own devices' Device
/// CAL, a shared device's Device CAL. An empty list means the product's price for every class.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct ClassPrices {
    pub user: Vec<i64>,
    pub own: Vec<i64>,
    pub device: Vec<i64>,
}

impl ClassPrices {
    /// The price for class `i` in `list`, or `uniform` (kept `None` where the kind does not
    /// exist or is not allowed).
    fn of(list: &[i64], i: usize, uniform: Option<i64>) -> Option<i64> {
        uniform.map(|u| list.get(i).copied().unwrap_or(u))
    }
}

impl Tariff {
    /// The instance's prices, with disallowed kinds removed and negative prices read as zero.
    pub fn from_instance(inst: &Instance, opt: &Options) -> Tariff {
        let clean =
            |p: Option<i64>, allowed: bool| if allowed { p.map(|v| v.max(0)) } else { None };
        Tariff {
            products: inst
                .products
                .iter()
                .map(|p| {
                    [
                        clean(p.prices.user_cal, opt.allow_user_cals),
                        clean(p.prices.device_cal, opt.allow_device_cals),
                        clean(p.prices.external_connector, opt.allow_external_connectors),
                    ]
                })
                .collect(),
            suites: inst
                .suites
                .iter()
                .map(|s| {
                    [
                        clean(s.user_price, opt.allow_suites && opt.allow_user_cals),
                        clean(s.device_price, opt.allow_suites && opt.allow_device_cals),
                    ]
                })
                .collect(),
            by_class: Vec::new(),
        }
    }
}

/// The suites as nested levels (Core ⊂ Enterprise).
#[derive(Debug, Clone)]
pub(crate) struct Chain {
    /// Suite offer indices, level 0 first.
    pub levels: Vec<usize>,
    /// Per product instance: the first level whose suite covers it.
    pub product_level: Vec<Option<usize>>,
    /// Per person class: the level of the suite the person holds already (Microsoft 365).
    pub held_level: Vec<Option<usize>>,
    /// Offers left out because they do not nest with the others.
    pub ignored: Vec<usize>,
}

impl Chain {
    pub fn new(inst: &Instance) -> Chain {
        let mut idx: Vec<usize> = (0..inst.suites.len()).collect();
        crate::sort::sort_by_key(&mut idx, |&i| inst.suites[i].covers.len());
        let mut levels: Vec<usize> = Vec::new();
        let mut ignored = Vec::new();
        for i in idx {
            let nests = match levels.last() {
                None => true,
                Some(&j) => inst.suites[j]
                    .covers
                    .iter()
                    .all(|c| inst.suites[i].covers.contains(c)),
            };
            if nests {
                levels.push(i);
            } else {
                ignored.push(i);
            }
        }
        let product_level = inst
            .products
            .iter()
            .map(|p| {
                levels
                    .iter()
                    .position(|&j| inst.suites[j].covers.contains(&p.product))
            })
            .collect();
        let held_level = inst
            .people
            .iter()
            .map(|c| {
                c.held_suite
                    .and_then(|s| levels.iter().position(|&j| inst.suites[j].suite == s))
            })
            .collect();
        Chain {
            levels,
            product_level,
            held_level,
            ignored,
        }
    }

    /// Cheapest price reaching each level for one kind (0 = user, 1 = device), and which offer.
    pub fn level_costs(&self, tariff: &Tariff, kind: usize) -> Vec<Option<(i64, usize)>> {
        let mut out = vec![None; self.levels.len()];
        let mut best: Option<(i64, usize)> = None;
        for (l, &j) in self.levels.iter().enumerate().rev() {
            if let Some(p) = tariff.suites.get(j).and_then(|s| s[kind]) {
                if best.is_none_or(|(b, _)| p < b) {
                    best = Some((p, j));
                }
            }
            out[l] = best;
        }
        out
    }
}

/// A structural decision the branch and bound fixes: a shared device class licensed for product
/// `k`, an External Connector on host `h` for product `k`, RD Session Host `i` of product `k` per
/// user.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Var {
    Device(usize, usize),
    Host(usize, usize),
    Rds(usize, usize),
}

/// Node ids of one product's variables.
#[derive(Debug, Clone)]
pub(crate) struct ProductNodes {
    pub person: Vec<u32>,
    pub own: Vec<u32>,
    pub device: Vec<u32>,
    pub host: Vec<u32>,
    pub rds: Vec<u32>,
}

/// The graph with its node map.
pub(crate) struct Model {
    pub graph: FlowGraph,
    pub s: usize,
    pub t: usize,
    pub inf: i64,
    pub products: Vec<ProductNodes>,
    /// Per person class, per level: σ node, at `p · levels + level` (`NONE` until made). One
    /// flat list, not one per class: an estate without suites built and dropped 9,000 empty
    /// lists a cut.
    pub user_suite: Vec<u32>,
    /// Per device class, per level: τ node.
    pub device_suite: Vec<u32>,
    /// Per person class, per level: τ node for the person's own devices.
    pub own_suite: Vec<u32>,
}

/// Access links of every product (people, person–device and person–host links, RD Session Host
/// users): the size the searches scale their budgets by.
pub(crate) fn access_links(inst: &Instance) -> usize {
    inst.products
        .iter()
        .map(|p| {
            p.people.len()
                + p.person_device.len()
                + p.person_host.len()
                + p.rds_hosts
                    .iter()
                    .map(|r| r.people.len() + r.person_device.len() + r.external_people.len())
                    .sum::<usize>()
        })
        .sum()
}

/// Own devices of a person who accesses from their own devices: at least one.
pub(crate) fn own_devices(inst: &Instance, p: usize) -> u64 {
    inst.people
        .get(p)
        .map_or(1, |c| u64::from(c.own_devices.max(1)))
}

pub(crate) fn validate(inst: &Instance) -> Result<(), OptimiseError> {
    let np = inst.people.len();
    let nd = inst.devices.len();
    let nh = inst.hosts.len();
    let chk = |what: &'static str, i: usize, n: usize| {
        if i < n {
            Ok(())
        } else {
            Err(OptimiseError::BadIndex { what, index: i })
        }
    };
    for pr in &inst.products {
        for &p in &pr.people {
            chk("person class", p, np)?;
        }
        for &(p, v) in &pr.person_device {
            chk("person class", p, np)?;
            chk("device class", v, nd)?;
        }
        for &(p, h) in &pr.person_host {
            chk("person class", p, np)?;
            chk("host unit", h, nh)?;
        }
        for &v in pr.unattended_devices.iter().chain(&pr.base_only_devices) {
            chk("device class", v, nd)?;
        }
        for &p in pr.base_only_own.iter().chain(&pr.user_only) {
            chk("person class", p, np)?;
        }
        for r in &pr.rds_hosts {
            chk("host unit", r.host, nh)?;
            for &p in r.people.iter().chain(&r.external_people) {
                chk("person class", p, np)?;
            }
            for &(p, v) in &r.person_device {
                chk("person class", p, np)?;
                chk("device class", v, nd)?;
            }
        }
    }
    Ok(())
}

/// Capacity of `count × price` in i128 (None = unavailable = infinite).
fn cost(count: u64, price: Option<i64>) -> Option<i128> {
    price.map(|p| i128::from(count) * i128::from(p))
}

/// Edges before the infinite value is known.
#[derive(Clone, Copy)]
enum Cap {
    Finite(i128),
    Inf,
}

impl Model {
    /// Builds the cut graph. `include` selects the product instances taken into account (all for
    /// the optimum; one at a time to name the product that makes an instance infeasible).
    pub fn build(
        inst: &Instance,
        tariff: &Tariff,
        chain: &Chain,
        include: &[bool],
        fix: &[(Var, bool)],
    ) -> Result<Model, OptimiseError> {
        let np = inst.people.len();
        let nd = inst.devices.len();
        let nh = inst.hosts.len();
        let mut g = FlowGraph::new();
        let s = g.add_node();
        let t = g.add_node();
        let mut edges: Vec<(u32, u32, Cap)> = Vec::new();
        let mult_p = |p: usize| u64::from(inst.people[p].multiplicity);
        let mult_d = |v: usize| u64::from(inst.devices[v].multiplicity);
        let ucost = chain.level_costs(tariff, 0);
        let dcost = chain.level_costs(tariff, 1);
        let nl = chain.levels.len();

        let mut products = Vec::with_capacity(inst.products.len());
        let mut user_suite: Vec<u32> = vec![NONE; np * nl];
        let mut device_suite: Vec<u32> = vec![NONE; nd * nl];
        let mut own_suite: Vec<u32> = vec![NONE; np * nl];

        // Level nodes are created on demand, with their costs and chain edges.
        #[allow(clippy::too_many_arguments)]
        fn suite_nodes(
            g: &mut FlowGraph,
            edges: &mut Vec<(u32, u32, Cap)>,
            slot: &mut [u32],
            nl: usize,
            costs: &[Option<(i64, usize)>],
            count: u64,
            held: Option<usize>,
            user: bool,
            s: usize,
            t: usize,
        ) {
            // Made already: the top level always is (unless held, when none is made).
            if nl == 0 || slot[nl - 1] != NONE {
                return;
            }
            let first = held.map_or(0, |h| h + 1);
            let mut prev: Option<u32> = None;
            for l in first..nl {
                let node = g.add_node() as u32;
                slot[l] = node;
                let below = if l == first {
                    Some(0)
                } else {
                    costs[l - 1].map(|c| c.0)
                };
                let cap = match (costs[l], below) {
                    (Some((c, _)), Some(b)) => Cap::Finite(i128::from(count) * i128::from(c - b)),
                    (Some((c, _)), None) => Cap::Finite(i128::from(count) * i128::from(c)),
                    (None, _) => Cap::Inf,
                };
                if user {
                    edges.push((s as u32, node, cap));
                    if let Some(pn) = prev {
                        edges.push((pn, node, Cap::Inf));
                    }
                } else {
                    edges.push((node, t as u32, cap));
                    if let Some(pn) = prev {
                        edges.push((node, pn, Cap::Inf));
                    }
                }
                prev = Some(node);
            }
        }

        for (k, pr) in inst.products.iter().enumerate() {
            let mut nodes = ProductNodes {
                person: vec![NONE; np],
                own: vec![NONE; np],
                device: vec![NONE; nd],
                host: vec![NONE; nh],
                rds: vec![NONE; pr.rds_hosts.len()],
            };
            if !include.get(k).copied().unwrap_or(false) {
                products.push(nodes);
                continue;
            }
            let [up, dp, ep] = tariff.products[k];
            let per_class = tariff.by_class.get(k).cloned().unwrap_or_default();
            let lvl = chain.product_level[k];
            let person = |g: &mut FlowGraph,
                          edges: &mut Vec<(u32, u32, Cap)>,
                          user_suite: &mut [u32],
                          nodes: &mut ProductNodes,
                          p: usize|
             -> u32 {
                if nodes.person[p] != NONE {
                    return nodes.person[p];
                }
                let node = g.add_node() as u32;
                nodes.person[p] = node;
                let m = mult_p(p);
                let held = chain.held_level[p];
                let covered_by_held = matches!((lvl, held), (Some(l), Some(h)) if l <= h);
                if covered_by_held {
                    edges.push((node, t as u32, Cap::Inf));
                    return node;
                }
                let c = match cost(m, ClassPrices::of(&per_class.user, p, up)) {
                    Some(c) => Cap::Finite(c),
                    None => Cap::Inf,
                };
                match lvl {
                    Some(l) if ucost.iter().any(|c| c.is_some()) => {
                        suite_nodes(
                            g,
                            edges,
                            &mut user_suite[p * nl..(p + 1) * nl],
                            nl,
                            &ucost,
                            m,
                            held,
                            true,
                            s,
                            t,
                        );
                        edges.push((user_suite[p * nl + l], node, c));
                    }
                    _ => edges.push((s as u32, node, c)),
                }
                node
            };
            // A device-like node (licensed on S) with `count` devices at `price` each, in suite
            // slot `slot`.
            let device_like = |g: &mut FlowGraph,
                               edges: &mut Vec<(u32, u32, Cap)>,
                               slot: &mut [u32],
                               count: u64,
                               price: Option<i64>|
             -> u32 {
                let node = g.add_node() as u32;
                let c = match cost(count, price) {
                    Some(c) => Cap::Finite(c),
                    None => Cap::Inf,
                };
                match lvl {
                    Some(l) if dcost.iter().any(|c| c.is_some()) => {
                        suite_nodes(g, edges, slot, nl, &dcost, count, None, false, s, t);
                        edges.push((node, slot[l], c));
                    }
                    _ => edges.push((node, t as u32, c)),
                }
                node
            };
            let own = |g: &mut FlowGraph,
                       edges: &mut Vec<(u32, u32, Cap)>,
                       own_suite: &mut [u32],
                       nodes: &mut ProductNodes,
                       p: usize|
             -> u32 {
                if nodes.own[p] == NONE {
                    let count = mult_p(p) * own_devices(inst, p);
                    let price = ClassPrices::of(&per_class.own, p, dp);
                    let slot = &mut own_suite[p * nl..(p + 1) * nl];
                    nodes.own[p] = device_like(g, edges, slot, count, price);
                }
                nodes.own[p]
            };
            let device = |g: &mut FlowGraph,
                          edges: &mut Vec<(u32, u32, Cap)>,
                          device_suite: &mut [u32],
                          nodes: &mut ProductNodes,
                          v: usize|
             -> u32 {
                if nodes.device[v] == NONE {
                    let price = ClassPrices::of(&per_class.device, v, dp);
                    let slot = &mut device_suite[v * nl..(v + 1) * nl];
                    nodes.device[v] = device_like(g, edges, slot, mult_d(v), price);
                }
                nodes.device[v]
            };
            let host = |g: &mut FlowGraph,
                        edges: &mut Vec<(u32, u32, Cap)>,
                        nodes: &mut ProductNodes,
                        h: usize|
             -> u32 {
                if nodes.host[h] == NONE {
                    let node = g.add_node() as u32;
                    nodes.host[h] = node;
                    let c = match ep {
                        _ if pr.owned_ec_hosts.contains(&h) => Cap::Finite(0),
                        Some(c) => Cap::Finite(i128::from(c)),
                        None => Cap::Inf,
                    };
                    edges.push((node, t as u32, c));
                }
                nodes.host[h]
            };

            for &p in &pr.people {
                let a = person(&mut g, &mut edges, &mut user_suite, &mut nodes, p);
                let o = own(&mut g, &mut edges, &mut own_suite, &mut nodes, p);
                edges.push((a, o, Cap::Inf));
            }
            for &(p, v) in &pr.person_device {
                let a = person(&mut g, &mut edges, &mut user_suite, &mut nodes, p);
                let d = device(&mut g, &mut edges, &mut device_suite, &mut nodes, v);
                edges.push((a, d, Cap::Inf));
            }
            for &(p, h) in &pr.person_host {
                let a = person(&mut g, &mut edges, &mut user_suite, &mut nodes, p);
                let b = host(&mut g, &mut edges, &mut nodes, h);
                edges.push((a, b, Cap::Inf));
            }
            for &v in &pr.unattended_devices {
                let d = device(&mut g, &mut edges, &mut device_suite, &mut nodes, v);
                edges.push((s as u32, d, Cap::Inf));
            }
            // Devices here only to carry the base Device CAL of an additive one: no demand of
            // their own, licensed only when the additive product's implication forces it.
            for &v in &pr.base_only_devices {
                device(&mut g, &mut edges, &mut device_suite, &mut nodes, v);
            }
            for &p in &pr.base_only_own {
                own(&mut g, &mut edges, &mut own_suite, &mut nodes, p);
            }
            // Those whose owned additive User CAL needs this product's beneath it: a User CAL
            // (or a suite holding it).
            for &p in &pr.user_only {
                let a = person(&mut g, &mut edges, &mut user_suite, &mut nodes, p);
                edges.push((a, t as u32, Cap::Inf));
            }
            for (i, r) in pr.rds_hosts.iter().enumerate() {
                let z = g.add_node() as u32;
                nodes.rds[i] = z;
                match r.mode {
                    Some(RdsMode::PerUser) => edges.push((z, t as u32, Cap::Inf)),
                    Some(RdsMode::PerDevice) => edges.push((s as u32, z, Cap::Inf)),
                    None => {}
                }
                for &p in &r.people {
                    let a = person(&mut g, &mut edges, &mut user_suite, &mut nodes, p);
                    let o = own(&mut g, &mut edges, &mut own_suite, &mut nodes, p);
                    edges.push((a, z, Cap::Inf));
                    edges.push((z, o, Cap::Inf));
                }
                for &(p, v) in &r.person_device {
                    let a = person(&mut g, &mut edges, &mut user_suite, &mut nodes, p);
                    let d = device(&mut g, &mut edges, &mut device_suite, &mut nodes, v);
                    edges.push((a, z, Cap::Inf));
                    edges.push((z, d, Cap::Inf));
                }
                for &p in &r.external_people {
                    let a = person(&mut g, &mut edges, &mut user_suite, &mut nodes, p);
                    let b = host(&mut g, &mut edges, &mut nodes, r.host);
                    edges.push((a, b, Cap::Inf));
                }
            }
            products.push(nodes);
        }

        // Decisions fixed by the caller (branch and bound).
        for &(var, value) in fix {
            let (node, licensed_on_s) = match var {
                Var::Device(k, v) => (products.get(k).and_then(|n| n.device.get(v)), true),
                Var::Host(k, h) => (products.get(k).and_then(|n| n.host.get(h)), true),
                Var::Rds(k, i) => (products.get(k).and_then(|n| n.rds.get(i)), false),
            };
            let Some(&node) = node else { continue };
            if node == NONE {
                continue;
            }
            // Device/host: true = licensed = S. RDS: true = per user = T.
            if value == licensed_on_s {
                edges.push((s as u32, node, Cap::Inf));
            } else {
                edges.push((node, t as u32, Cap::Inf));
            }
        }

        // A newer base connector bought beneath additive ones on a host whose owned one is too
        // old for them: one per (base product, host), however many additive connectors use it.
        let mut upgrades: crate::vecmap::VecMap<(usize, usize), u32> = Default::default();
        // Additive CALs need the base CAL of the same kind for the same subject (§1.11).
        for (k, pr) in inst.products.iter().enumerate() {
            let Some(b) = inst.base_of(k) else { continue };
            for p in 0..np {
                let (pk, pb) = (products[k].person[p], products[b].person[p]);
                if pk != NONE && pb != NONE && pr.additive_needs_base_user(&inst.people, p) {
                    edges.push((pb, pk, Cap::Inf));
                }
                let (ok, ob) = (products[k].own[p], products[b].own[p]);
                if ok != NONE && ob != NONE && pr.additive_needs_base_device() {
                    edges.push((ok, ob, Cap::Inf));
                }
            }
            for v in 0..nd {
                let (dk, db) = (products[k].device[v], products[b].device[v]);
                if dk != NONE && db != NONE && pr.additive_needs_base_device() {
                    edges.push((dk, db, Cap::Inf));
                }
            }
            // An additive External Connector (RDS, AD RMS) needs the base product's connector on
            // the same host (cal-rules §1.6, §5).
            // Where the base product has no connector choice of its own on that host (none of
            // its external users reach it), its connector is a purchase made for the additive.
            for h in 0..nh {
                let hk = products[k].host[h];
                if hk == NONE || inst.products[b].licensed_hosts.contains(&h) {
                    continue;
                }
                let price = match tariff.products[b][2] {
                    Some(c) => Cap::Finite(i128::from(c)),
                    None => Cap::Inf,
                };
                if products[b].host[h] == NONE {
                    let node = g.add_node() as u32;
                    products[b].host[h] = node;
                    let c = match price {
                        _ if inst.products[b].owned_ec_hosts.contains(&h) => Cap::Finite(0),
                        c => c,
                    };
                    edges.push((node, t as u32, c));
                }
                edges.push((hk, products[b].host[h], Cap::Inf));
                // Where the base's owned connector is too old to be this one's base, a newer one
                // is bought beneath it (it serves the base's own external users there too).
                if inst.products[b].base_short.contains(&(pr.product, h)) {
                    let node = *upgrades.entry((b, h)).or_insert_with(|| {
                        let node = g.add_node() as u32;
                        edges.push((node, t as u32, price));
                        node
                    });
                    edges.push((hk, node, Cap::Inf));
                }
            }
        }

        let total: i128 = edges
            .iter()
            .map(|e| match e.2 {
                Cap::Finite(c) => c.max(0),
                Cap::Inf => 0,
            })
            .sum();
        const LIMIT: i128 = (i64::MAX / 8) as i128;
        if total >= LIMIT {
            return Err(OptimiseError::TooLarge);
        }
        let inf = (total + 1) as i64;
        g.reserve_edges(edges.len());
        for (a, b, c) in edges {
            let c = match c {
                Cap::Finite(c) => c.max(0) as i64,
                Cap::Inf => inf,
            };
            g.add_edge(a as usize, b as usize, c);
        }
        Ok(Model {
            graph: g,
            s,
            t,
            inf,
            products,
            user_suite,
            device_suite,
            own_suite,
        })
    }
}
