//! The optimum: build the cut model, solve it, read the licences off the cut and price them after
//! the owned licences (cal-rules.md §1.3, §1.6, §1.10, §1.12, §5).

use super::model::{self, Chain, Model, Tariff, Var};
use super::{Effort, Instance, OptimiseError, Options, ProductSolution, Solution, SuiteSolution};
use crate::estate::{LicenceKind, RdsMode};
use std::cell::Cell;

const NONE: u32 = u32::MAX;

/// Licences chosen, per class (before pricing).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Assignment {
    pub products: Vec<ProductAssignment>,
    /// Per suite offer: user suites and device suites.
    pub suite_user: Vec<u64>,
    pub suite_device: Vec<u64>,
    /// Per person class: the suite level its user suite reaches (bought or held), if any.
    pub user_level: Vec<Option<usize>>,
    /// Per person class: the suite level of its own devices' device suites, if any.
    pub own_level: Vec<Option<usize>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ProductAssignment {
    pub user: Vec<u32>,
    pub own: Vec<u32>,
    pub device: Vec<u32>,
    pub hosts: Vec<usize>,
    pub rds: Vec<RdsMode>,
}

/// Cuts of the first, short Lagrangian search (see [`solve`]).
const QUICK_CUTS: usize = 60;

/// Solves `instance` under `options`: the least purchase cost that licenses every access.
///
/// Exact (min-cut) when nothing is owned; with owned licences see [`Solution::exact`] and
/// [`Solution::lower_bound_minor`].
pub fn solve(instance: &Instance, options: &Options) -> Result<Solution, OptimiseError> {
    solve_with(instance, options, Effort::Full)
}

/// [`solve`] with a search effort: with [`Effort::Quick`] an answer proven optimal is the same as
/// [`solve`]'s, and an unproven one comes with its honest bound (`exact: false`).
pub fn solve_with(
    instance: &Instance,
    options: &Options,
    effort: Effort,
) -> Result<Solution, OptimiseError> {
    solve_within(instance, options, effort, &Cell::new(usize::MAX))
}

/// [`solve_with`] drawing the branch and bound's cuts from `cuts`, shared by the caller's other
/// solves: one evaluation solves many instances (the restricted scenarios, the relaxations for
/// its bound, the shared-external variants), and the searches of a hard one could otherwise add
/// up to half a minute (robustness review 21). When it runs out, what remains is not searched and
/// the answer keeps its honest bound (`exact: false`).
pub fn solve_within(
    instance: &Instance,
    options: &Options,
    effort: Effort,
    cuts: &Cell<usize>,
) -> Result<Solution, OptimiseError> {
    // Without External Connectors means none at all, owned and assigned ones included.
    let stripped;
    let instance = if !options.allow_external_connectors
        && instance
            .products
            .iter()
            .any(|p| !p.owned_ec_hosts.is_empty())
    {
        let mut copy = instance.clone();
        for p in &mut copy.products {
            p.owned_ec_hosts.clear();
            p.base_short.clear();
        }
        stripped = copy;
        &stripped
    } else {
        instance
    };
    let solution = solve_classes(instance, options, effort, cuts)?;
    // Splitting a class re-solves the instance up to sixteen times: the bulk of an unproven
    // answer's time (0.4 s of 0.43 s on the sample estate with 1,234 office staff).
    if solution.exact || effort == Effort::Quick {
        return Ok(solution);
    }
    Ok(super::split::improve(instance, options, solution, cuts))
}

/// The best licensing that makes one decision per class (all its members alike), with a lower
/// bound that holds for every licensing.
pub(crate) fn solve_classes(
    instance: &Instance,
    options: &Options,
    effort: Effort,
    cuts: &Cell<usize>,
) -> Result<Solution, OptimiseError> {
    model::validate(instance)?;
    let tariff = Tariff::from_instance(instance, options);
    let chain = Chain::new(instance);
    let all = vec![true; instance.products.len()];
    let (assign, cut) = min_cut(instance, &tariff, &chain, &all)?;
    let (mut solution, _) = price(instance, &tariff, &assign);
    // Connectors assigned to hosts are in the cut itself (free on their host): only the pools
    // of owned licences need the search.
    let owned_any = instance.products.iter().any(|p| {
        p.owned.user_cals > 0 || p.owned.device_cals > 0 || p.owned.external_connectors > 0
    }) || instance
        .suites
        .iter()
        .any(|s| s.owned_user > 0 || s.owned_device > 0);
    let exact_model = chain.ignored.is_empty();
    if !owned_any && exact_model {
        solution.lower_bound_minor = solution.cost_minor;
        solution.exact = true;
        debug_assert_eq!(i128::from(solution.cost_minor), cut);
        return Ok(solution);
    }
    // A short Lagrangian search first: the branch and bound that follows proves most estates
    // with it, at a third of the cuts (the sample estate evaluates 37 % faster). Only when the
    // proof fails is the full search run, so no estate loses its proof to the shortcut.
    let full = super::owned::cut_budget(instance);
    let mut budgets = vec![full.min(QUICK_CUTS)];
    if full > QUICK_CUTS && effort == Effort::Full {
        budgets.push(full);
    }
    let mut lb = i128::MIN;
    let mut best = assign.clone();
    let mut best_cost = i128::MAX;
    let mut failed: Option<super::owned::Bounds> = None;
    for budget in budgets {
        let bounds = super::owned::lagrangian(
            instance,
            &tariff,
            &chain,
            assign.clone(),
            cut,
            &[],
            Some(budget),
            None,
        )?;
        lb = lb.max(bounds.lb);
        if bounds.ub < best_cost {
            best_cost = bounds.ub;
            best = bounds.best.clone();
        }
        if bounds.lb >= bounds.ub || !exact_model {
            break;
        }
        // The full search often ends where the short one did (the sample estate with 1,234
        // office staff: same bound, same licensing, same λ*): the branch and bound, which is
        // deterministic and reads nothing else, would fail again in the same way.
        if failed
            .as_ref()
            .is_some_and(|f| f.start_the_same_search(&bounds))
        {
            break;
        }
        if let Some((a, cost)) =
            super::exact::search(instance, &tariff, &chain, &bounds, effort, cuts)?
        {
            best = a;
            lb = cost;
            break;
        }
        failed = Some(bounds);
    }
    if !instance.suites.is_empty() && best_cost > lb {
        best = super::owned::suite_moves(instance, &tariff, &chain, best);
        best = super::owned::suite_off_moves(instance, &tariff, &chain, best);
    }
    let (mut solution, cost) = price(instance, &tariff, &best);
    // Suites that do not nest are left out of the model: its optimum is then only an upper bound.
    let lb = if exact_model { lb.max(0) } else { 0 };
    solution.lower_bound_minor = i64::try_from(lb).unwrap_or(0).min(cost);
    solution.exact = solution.lower_bound_minor == solution.cost_minor;
    Ok(solution)
}

/// Solves the cut for the products in `include`, returns the class-level licences and the cut's
/// value (its cost at `tariff`, no owned licences).
pub(crate) fn min_cut(
    inst: &Instance,
    tariff: &Tariff,
    chain: &Chain,
    include: &[bool],
) -> Result<(Assignment, i128), OptimiseError> {
    match cut(inst, tariff, chain, include, &[])? {
        Some(found) => Ok(found),
        None => Err(infeasible(inst, tariff, chain, include)),
    }
}

/// The cut, or `None` when every cut crosses an infinite edge (no licensing is possible).
fn cut(
    inst: &Instance,
    tariff: &Tariff,
    chain: &Chain,
    include: &[bool],
    fix: &[(Var, bool)],
) -> Result<Option<(Assignment, i128)>, OptimiseError> {
    let model = Model::build(inst, tariff, chain, include, fix)?;
    let Model {
        graph,
        s,
        t,
        inf,
        products,
        user_suite,
        device_suite,
        own_suite,
    } = model;
    let flow = graph.max_flow(s, t);
    if flow.value >= inf {
        return Ok(None);
    }
    let side = flow.source_side(s);
    let on_s = |n: u32| n != NONE && side[n as usize];
    let on_t = |n: u32| n != NONE && !side[n as usize];
    let ucost = chain.level_costs(tariff, 0);
    let dcost = chain.level_costs(tariff, 1);
    let nl = chain.levels.len();
    // Highest level held by a subject (T for users, S for devices).
    let user_level =
        |p: usize| -> Option<usize> { (0..nl).rev().find(|&l| on_t(user_suite[p * nl + l])) };
    let dev_level = |slot: &[u32]| -> Option<usize> { (0..nl).rev().find(|&l| on_s(slot[l])) };
    let mut suite_user = vec![0u64; inst.suites.len()];
    let mut suite_device = vec![0u64; inst.suites.len()];
    let plevel: Vec<Option<usize>> = (0..inst.people.len()).map(user_level).collect();
    let dlevel: Vec<Option<usize>> = (0..inst.devices.len())
        .map(|v| dev_level(&device_suite[v * nl..(v + 1) * nl]))
        .collect();
    let olevel: Vec<Option<usize>> = (0..inst.people.len())
        .map(|p| dev_level(&own_suite[p * nl..(p + 1) * nl]))
        .collect();
    for (p, l) in plevel.iter().enumerate() {
        if let Some((_, j)) = l.and_then(|l| ucost[l]) {
            suite_user[j] += u64::from(inst.people[p].multiplicity);
        }
    }
    for (v, l) in dlevel.iter().enumerate() {
        if let Some((_, j)) = l.and_then(|l| dcost[l]) {
            suite_device[j] += u64::from(inst.devices[v].multiplicity);
        }
    }
    for (p, l) in olevel.iter().enumerate() {
        if let Some((_, j)) = l.and_then(|l| dcost[l]) {
            suite_device[j] += u64::from(inst.people[p].multiplicity) * model::own_devices(inst, p);
        }
    }
    let below = |have: Option<usize>, need: Option<usize>| match (have, need) {
        (Some(h), Some(n)) => h < n,
        (None, _) | (_, None) => true,
    };
    let mut out = Vec::with_capacity(inst.products.len());
    for (k, nodes) in products.iter().enumerate() {
        let lvl = chain.product_level[k];
        let held = |p: usize| !below(chain.held_level[p], lvl);
        let user = (0..inst.people.len())
            .map(|p| {
                let bought = on_t(nodes.person[p]) && !held(p) && below(plevel[p], lvl);
                if bought {
                    inst.people[p].multiplicity
                } else {
                    0
                }
            })
            .collect();
        let own = (0..inst.people.len())
            .map(|p| {
                if on_s(nodes.own[p]) && below(olevel[p], lvl) {
                    inst.people[p].multiplicity
                } else {
                    0
                }
            })
            .collect();
        let device = (0..inst.devices.len())
            .map(|v| {
                if on_s(nodes.device[v]) && below(dlevel[v], lvl) {
                    inst.devices[v].multiplicity
                } else {
                    0
                }
            })
            .collect();
        let hosts = (0..inst.hosts.len())
            .filter(|&h| on_s(nodes.host[h]))
            .collect();
        let rds = nodes
            .rds
            .iter()
            .map(|&z| {
                if on_t(z) {
                    RdsMode::PerUser
                } else {
                    RdsMode::PerDevice
                }
            })
            .collect();
        out.push(ProductAssignment {
            user,
            own,
            device,
            hosts,
            rds,
        });
    }
    let value = i128::from(flow.value);
    Ok(Some((
        Assignment {
            products: out,
            suite_user,
            suite_device,
            user_level: plevel
                .iter()
                .zip(&chain.held_level)
                .map(|(&b, &h)| b.max(h))
                .collect(),
            own_level: olevel,
        },
        value,
    )))
}

fn infeasible(inst: &Instance, tariff: &Tariff, chain: &Chain, include: &[bool]) -> OptimiseError {
    let n = inst.products.len();
    for k in 0..n {
        if !include.get(k).copied().unwrap_or(false) {
            continue;
        }
        let mut one = vec![false; n];
        one[k] = true;
        let alone = cut(inst, tariff, chain, &one, &[]);
        if !matches!(alone, Ok(Some(_))) || n == 1 {
            let pr = &inst.products[k];
            let [u, d, e] = tariff.products[k];
            let mut missing = Vec::new();
            if !pr.unattended_devices.is_empty() && d.is_none() {
                missing.push("unattended devices need Device CALs, which are not available");
            }
            if u.is_none() && d.is_none() {
                missing.push("neither User CALs nor Device CALs are available");
            }
            if u.is_none() && e.is_none() && !pr.person_host.is_empty() {
                missing.push(
                    "external users need User CALs or External Connectors, neither available",
                );
            }
            if pr
                .rds_hosts
                .iter()
                .any(|r| r.mode == Some(RdsMode::PerUser))
                && u.is_none()
            {
                missing.push("a session host is fixed per user but User CALs are not available");
            }
            if pr
                .rds_hosts
                .iter()
                .any(|r| r.mode == Some(RdsMode::PerDevice))
                && d.is_none()
            {
                missing
                    .push("a session host is fixed per device but Device CALs are not available");
            }
            if missing.is_empty() {
                missing.push("some access has no licence kind that is both allowed and priced");
            }
            return OptimiseError::Infeasible {
                product: pr.product,
                reason: missing.join("; "),
            };
        }
    }
    let product = inst
        .products
        .first()
        .map(|p| p.product)
        .unwrap_or(crate::estate::CalProduct::WindowsServer);
    OptimiseError::Infeasible {
        product,
        reason: "the products' rules together admit no licensing".to_string(),
    }
}

/// User CALs, Device CALs (own devices included) and External Connectors one product's
/// assignment needs, owned and bought together.
fn needed(inst: &Instance, pa: &ProductAssignment) -> (u64, u64, u64) {
    let user_cals: u64 = pa.user.iter().map(|&c| u64::from(c)).sum();
    let own: u64 = pa
        .own
        .iter()
        .enumerate()
        .map(|(p, &c)| u64::from(c) * model::own_devices(inst, p))
        .sum();
    let device_cals = own + pa.device.iter().map(|&c| u64::from(c)).sum::<u64>();
    (user_cals, device_cals, pa.hosts.len() as u64)
}

/// How many of product `k`'s connectors in `a` draw on the owned pool or are bought.
pub(crate) fn charged(inst: &Instance, a: &Assignment, k: usize) -> u64 {
    inst.charged_connectors(k, &a.products[k].hosts, |p, h| {
        inst.connector_on(p, h, |j| &a.products[j].hosts)
    })
}

/// Prices an assignment after owned licences; returns the solution (bound fields unset) and its
/// cost.
pub(crate) fn price(inst: &Instance, tariff: &Tariff, a: &Assignment) -> (Solution, i64) {
    let mut products = Vec::with_capacity(inst.products.len());
    let mut total: i128 = 0;
    for (k, pr) in inst.products.iter().enumerate() {
        let pa = &a.products[k];
        let [u, d, e] = tariff.products[k];
        let (user_cals, device_cals, external_connectors) = needed(inst, pa);
        let buy_user_cals = user_cals.saturating_sub(pr.owned.user_cals);
        let buy_device_cals = device_cals.saturating_sub(pr.owned.device_cals);
        let buy_external_connectors =
            charged(inst, a, k).saturating_sub(pr.owned.external_connectors);
        let cost = i128::from(buy_user_cals) * i128::from(u.unwrap_or(0))
            + i128::from(buy_device_cals) * i128::from(d.unwrap_or(0))
            + i128::from(buy_external_connectors) * i128::from(e.unwrap_or(0));
        total += cost;
        products.push(ProductSolution {
            product: pr.product,
            user_cals_per_class: pa.user.clone(),
            own_device_cals_per_class: pa.own.clone(),
            device_cals_per_class: pa.device.clone(),
            external_connector_hosts: pa.hosts.clone(),
            rds_modes: pa.rds.clone(),
            user_cals,
            device_cals,
            external_connectors,
            buy_user_cals,
            buy_device_cals,
            buy_external_connectors,
            cost_minor: clamp(cost),
        });
    }
    let mut suites = Vec::new();
    for (j, s) in inst.suites.iter().enumerate() {
        let [u, d] = tariff.suites[j];
        for (kind, count, owned, p) in [
            (LicenceKind::UserCal, a.suite_user[j], s.owned_user, u),
            (LicenceKind::DeviceCal, a.suite_device[j], s.owned_device, d),
        ] {
            if count == 0 {
                continue;
            }
            let buy = count.saturating_sub(owned);
            let cost = i128::from(buy) * i128::from(p.unwrap_or(0));
            total += cost;
            suites.push(SuiteSolution {
                suite: s.suite,
                kind,
                count,
                buy,
                cost_minor: clamp(cost),
            });
        }
    }
    let cost_minor = clamp(total);
    (
        Solution {
            products,
            suites,
            cost_minor,
            lower_bound_minor: 0,
            exact: false,
        },
        cost_minor,
    )
}

/// The cost of an assignment after owned licences: `price(..).1` without building the solution
/// (the Lagrangian search prices every cut's licensing three times).
pub(crate) fn cost(inst: &Instance, tariff: &Tariff, a: &Assignment) -> i64 {
    let mut total: i128 = 0;
    for (k, pr) in inst.products.iter().enumerate() {
        let [u, d, e] = tariff.products[k];
        let (user_cals, device_cals, _) = needed(inst, &a.products[k]);
        let external_connectors = charged(inst, a, k);
        total += i128::from(user_cals.saturating_sub(pr.owned.user_cals))
            * i128::from(u.unwrap_or(0))
            + i128::from(device_cals.saturating_sub(pr.owned.device_cals))
                * i128::from(d.unwrap_or(0))
            + i128::from(external_connectors.saturating_sub(pr.owned.external_connectors))
                * i128::from(e.unwrap_or(0));
    }
    for (j, s) in inst.suites.iter().enumerate() {
        let [u, d] = tariff.suites[j];
        for (count, owned, p) in [
            (a.suite_user[j], s.owned_user, u),
            (a.suite_device[j], s.owned_device, d),
        ] {
            total += i128::from(count.saturating_sub(owned)) * i128::from(p.unwrap_or(0));
        }
    }
    clamp(total)
}

fn clamp(v: i128) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

/// The cut over every product at `tariff`, or `None` when infeasible.
pub(crate) fn cut_at(
    inst: &Instance,
    tariff: &Tariff,
    chain: &Chain,
    fix: &[(Var, bool)],
) -> Result<Option<(Assignment, i128)>, OptimiseError> {
    cut(inst, tariff, chain, &vec![true; inst.products.len()], fix)
}
