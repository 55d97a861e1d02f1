//! A licensing in which the owned User CAL Suites go to their holders before the optimiser runs.
//!
//! The optimiser counts an owned suite's parts in each product's pool (`rules`), a relaxation of
//! cal-rules §1.12 (one suite licenses one person for all its parts); the position then gives
//! the suites to holders and counts a part only for its holder ([`crate::position`]). When the
//! optimiser's licensing spreads the parts over people who cannot share a suite, its cheapest
//! mix for those holders may be another: review 15 #5, 25 suites, 20 people on a file server and
//! 30 on Exchange (on Windows Server), is licensed by 25 mail people holding the suites and the
//! others on Device CALs, which an all-User licensing of the pooled parts does not find.
//!
//! Here the holders are chosen first, as the position would choose them for a licensing that
//! gives everyone User CALs (those whose needs the suites cover that separate CALs cannot); they
//! become a class of their own that needs nothing the suite covers, the suites leave the pools,
//! and the optimiser licenses the rest. Back on the estate's classes, the holders take User CALs
//! of what their suite covers, which the position finds covered by the suite.

use crate::optimise::{Instance, Solution};
use crate::rules::{owned_by_rank, Demand};

/// The licensing with the owned User suites held as [`crate::position::user_suite_holders`]
/// gives them under `all_user` (a licensing of everyone by User CALs), solved by `solve`;
/// `None` when there are none or the solve fails.
pub(super) fn solution(
    demand: &Demand,
    estate: &crate::estate::Estate,
    all_user: &Solution,
    solve: impl Fn(&Instance) -> Option<Solution>,
) -> Option<Solution> {
    let holders = crate::position::user_suite_holders(demand, estate, all_user);
    if holders.is_empty() {
        return None;
    }
    let mut inst = demand.instance.clone();
    let people = inst.people.len();
    // Each holder group becomes a twin of its class, appended, that reaches only what its
    // suite does not cover.
    let mut twins: Vec<(usize, u32, &[usize])> = Vec::new();
    let holders: Vec<(usize, u32, Vec<usize>)> = (holders.into_iter())
        .map(|(c, n, covered)| {
            // A base product stays the twin's to license where it reaches an additive one the
            // suite does not hold: an additive Device CAL needs the base Device CAL on the same
            // device (cal-rules §1.11), which a User suite is not.
            let products = &demand.instance.products;
            let keep: Vec<usize> = (covered.iter().copied())
                .filter(|&i| {
                    !(products.iter().enumerate()).any(|(j, q)| {
                        q.base == Some(products[i].product)
                            && !covered.contains(&j)
                            && q.reaches_person(c)
                    })
                })
                .collect();
            (c, n, keep)
        })
        .collect();
    for (c, n, covered) in &holders {
        let class = inst.people.get_mut(*c)?;
        if *n == 0 || class.multiplicity < *n || class.held_suite.is_some() {
            continue;
        }
        class.multiplicity -= n;
        let mut twin = class.clone();
        twin.multiplicity = *n;
        let t = inst.people.len();
        inst.people.push(twin);
        for (i, pr) in inst.products.iter_mut().enumerate() {
            if !covered.contains(&i) {
                copy(&mut pr.people, *c, t);
                copy(&mut pr.base_only_own, *c, t);
                copy_pairs(&mut pr.person_device, *c, t);
                copy_pairs(&mut pr.person_host, *c, t);
            }
            for r in &mut pr.rds_hosts {
                copy(&mut r.people, *c, t);
                copy_pairs(&mut r.person_device, *c, t);
                copy(&mut r.external_people, *c, t);
            }
        }
        twins.push((*c, *n, covered.as_slice()));
    }
    if twins.is_empty() {
        return None;
    }
    // The suites' parts leave the pools: they are the twins'.
    let owned = owned_by_rank(estate, demand.today);
    for (pr, pd) in inst.products.iter_mut().zip(&demand.products) {
        let parts: u64 = (owned.get(&pd.product).into_iter().flatten())
            .filter(|l| {
                l.from_suite()
                    && l.kind == crate::estate::LicenceKind::UserCal
                    && l.rank >= pd.max_rank
            })
            .map(|l| l.quantity)
            .sum();
        pr.owned.user_cals = pr.owned.user_cals.saturating_sub(parts);
    }
    let mut s = solve(&inst)?;
    // Back on the estate's classes.
    for (i, p) in s.products.iter_mut().enumerate() {
        for (j, &(c, n, covered)) in twins.iter().enumerate() {
            let t = people + j;
            for v in [&mut p.user_cals_per_class, &mut p.own_device_cals_per_class] {
                let moved = v.get(t).copied().unwrap_or(0);
                if let Some(x) = v.get_mut(c) {
                    *x += moved;
                }
            }
            if covered.contains(&i) && demand.instance.products[i].reaches_person(c) {
                if let Some(x) = p.user_cals_per_class.get_mut(c) {
                    *x += n;
                    p.user_cals += u64::from(n);
                }
            }
        }
        p.user_cals_per_class.truncate(people);
        p.own_device_cals_per_class.truncate(people);
    }
    s.exact = false;
    s.lower_bound_minor = 0;
    Some(s)
}

/// Adds `twin` to a list of classes that holds `from`.
fn copy(list: &mut Vec<usize>, from: usize, twin: usize) {
    if list.contains(&from) {
        list.push(twin);
    }
}

/// Copies every pair with `from` on the person side to `twin`.
fn copy_pairs(pairs: &mut Vec<(usize, usize)>, from: usize, twin: usize) {
    let extra: Vec<(usize, usize)> = (pairs.iter())
        .filter(|&&(a, _)| a == from)
        .map(|&(_, b)| (twin, b))
        .collect();
    pairs.extend(extra);
}
