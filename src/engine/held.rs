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

use crate::catalog;
use crate::estate::CalProduct;
use crate::optimise::{Instance, Solution, SuiteOffer};
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
    with_holders(demand, estate, holders, Hold::Parts, solve).map(|w| w.solution)
}

/// How the holders of [`with_holders`] hold their suite.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Hold {
    /// The whole suite where its parts are new enough for every product of it the holders
    /// reach; else only the products its parts cover, a base product kept beneath an additive
    /// one the suite does not hold.
    Parts,
    /// As `Parts`, but a base product beneath an additive one the suite does not hold (and
    /// which reaches no session host) is left to the suite's part, and the holders take the
    /// additive product's User CAL on top of it (`ProductInstance::user_only`), the one kind an
    /// additive CAL can take on a suite's base User CAL (cal-rules §1.11). A restriction: no
    /// bound.
    PartsOnUserCals,
    /// The whole suite whatever its parts' versions. Where a part is too old, the solve counts
    /// its product free for the holders, a relaxation, so its bound still bounds every licensing
    /// with those holders; the licensing gives them that product's User CAL, which the position
    /// buys.
    Whole,
}

/// A licensing of [`with_holders`].
struct Held {
    solution: Solution,
    /// The bound of its solve: no licensing with those holders costs less.
    bound: Option<i64>,
    /// Some holders held only part of their suite.
    partial: bool,
    /// Some holders kept a base product beneath an additive one to license themselves.
    kept_base: bool,
}

/// The licensing in which `holders` (person class, how many of its members, the indices of the
/// products their suite's parts cover, the suite) hold the owned User suites as `hold` says,
/// solved by `solve` ([`Held`]).
///
/// Each holder group becomes a twin of its class that reaches what the class does and holds
/// the suite as a class covered by Microsoft 365 holds its suite rights: every product the suite
/// covers is licensed for them by a User CAL at no cost, which also serves as the base of an
/// additive User CAL, while an additive Device CAL on their devices still needs the base Device
/// CAL (cal-rules §1.11). Where the suite's parts are too old for some product the holder
/// reaches (a suite frozen when its Software Assurance lapsed), the twin instead reaches only
/// the products the parts do not cover, and keeps a base product whose additive one the suite
/// does not hold; no bound then when a base product was kept or the estate has additive
/// products (review 46: $750.00 "proven" against a $430.00 licensing of partners at a kiosk on
/// a session host with AD RMS), as the solve can ask more than a licensing must.
fn with_holders(
    demand: &Demand,
    estate: &crate::estate::Estate,
    holders: Vec<(usize, u32, Vec<usize>, CalProduct)>,
    hold: Hold,
    solve: impl Fn(&Instance) -> Option<Solution>,
) -> Option<Held> {
    let mut inst = demand.instance.clone();
    let people = inst.people.len();
    let products = &demand.instance.products;
    let additive = products.iter().any(|p| p.base.is_some());
    // Per twin: its class, how many, the products its suite licenses for it, those of them its
    // parts are too old for.
    let mut twins: Vec<(usize, u32, Vec<usize>, Vec<usize>)> = Vec::new();
    let mut bounded = hold != Hold::PartsOnUserCals;
    let mut partial = false;
    let mut kept_base = false;
    for (c, n, covered, suite) in holders {
        let class = inst.people.get_mut(c)?;
        if n == 0 || class.multiplicity < n || class.held_suite.is_some() {
            continue;
        }
        let contents = catalog::suite_contents(suite);
        let reached: Vec<usize> = (products.iter().enumerate())
            .filter(|(_, pr)| contents.contains(&pr.product) && pr.reaches_person(c))
            .map(|(i, _)| i)
            .collect();
        let whole = hold == Hold::Whole || reached.iter().all(|i| covered.contains(i));
        partial |= !whole;
        // The products the whole suite is held for though its parts are too old for them.
        let too_old: Vec<usize> = (reached.iter().copied())
            .filter(|i| whole && !covered.contains(i))
            .collect();
        // The additive products whose User CAL the twin must take on its suite's base part.
        let mut on_user: Vec<usize> = Vec::new();
        let licensed: Vec<usize> = if whole {
            reached
        } else {
            // A base product stays the twin's to license where it reaches an additive one the
            // suite does not hold, unless the twin takes that one's User CAL.
            let keep: Vec<usize> = (covered.iter().copied())
                .filter(|&i| {
                    let above: Vec<usize> = (products.iter().enumerate())
                        .filter(|(j, q)| {
                            q.base == Some(products[i].product)
                                && !covered.contains(j)
                                && q.reaches_person(c)
                        })
                        .map(|(j, _)| j)
                        .collect();
                    let on_top = hold == Hold::PartsOnUserCals
                        && above.iter().all(|&j| products[j].rds_hosts.is_empty());
                    if on_top {
                        on_user.extend(&above);
                    }
                    above.is_empty() || on_top
                })
                .collect();
            kept_base |= keep.len() < covered.len();
            bounded &= keep.len() == covered.len() && !additive;
            keep
        };
        class.multiplicity -= n;
        let mut twin = class.clone();
        twin.multiplicity = n;
        if whole {
            twin.held_suite = Some(suite);
        }
        let t = inst.people.len();
        inst.people.push(twin);
        for &j in &on_user {
            if let Some(q) = inst.products.get_mut(j) {
                q.user_only.push(t);
            }
        }
        for (i, pr) in inst.products.iter_mut().enumerate() {
            if whole || !licensed.contains(&i) {
                copy(&mut pr.people, c, t);
                copy(&mut pr.base_only_own, c, t);
                copy_pairs(&mut pr.person_device, c, t);
                copy_pairs(&mut pr.person_host, c, t);
            }
            for r in &mut pr.rds_hosts {
                copy(&mut r.people, c, t);
                copy_pairs(&mut r.person_device, c, t);
                copy(&mut r.external_people, c, t);
            }
        }
        // The optimiser reads a held suite only among the suites it knows (those on sale).
        if whole && !inst.suites.iter().any(|o| o.suite == suite) {
            inst.suites.push(SuiteOffer {
                suite,
                covers: contents.to_vec(),
                user_price: None,
                device_price: None,
                owned_user: 0,
                owned_device: 0,
            });
        }
        twins.push((c, n, licensed, too_old));
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
    let bound = bounded.then_some(s.lower_bound_minor);
    // A holder whose suite is too old for a product they reach only from their own devices, all
    // of which the solve licensed by its Device CALs (the base of their RDS Device CALs), needs
    // no User CAL of it besides, unless an additive User CAL of theirs needs it as its base
    // (review 46's random estates: 5 Core suites frozen at 2019 held by people on Windows
    // Server 2025 through RDS Device CALs were given Windows Server User CALs too, $225.00).
    for (j, (c, n, licensed, too_old)) in twins.iter_mut().enumerate() {
        let t = people + j;
        let devices_only: Vec<usize> = (too_old.iter().copied())
            .filter(|&i| {
                let (Some(pr), Some(ps)) = (inst.products.get(i), s.products.get(i)) else {
                    return false;
                };
                let additive_user = (inst.products.iter().enumerate()).any(|(q, qr)| {
                    qr.base == Some(pr.product)
                        && qr.reaches_person(*c)
                        && (licensed.contains(&q)
                            || (s.products.get(q))
                                .and_then(|x| x.user_cals_per_class.get(t))
                                .is_some_and(|&u| u > 0))
                });
                pr.people.contains(&t)
                    && ps
                        .own_device_cals_per_class
                        .get(t)
                        .is_some_and(|&d| d >= *n)
                    && !pr.person_device.iter().any(|&(p, _)| p == t)
                    && !pr.person_host.iter().any(|&(p, _)| p == t)
                    && pr.rds_hosts.is_empty()
                    && !additive_user
            })
            .collect();
        licensed.retain(|i| !devices_only.contains(i));
    }
    // Back on the estate's classes. A holder holds a User CAL of each product their suite
    // licenses for them, and of the base of each of those that is additive (cal-rules §1.11):
    // where the twin licensed that base itself by Device CALs (a base kept beneath an additive
    // Device CAL the suite does not hold), the position could otherwise give the suite to
    // someone else and buy the additive User CAL bare (review 46: AD RMS User CALs without
    // Windows Server User CALs beside RDS Device CALs, $1,170.00 against $1,194.00). Only the
    // holders': people covered by a suite bought need no base CAL beside it.
    let moved = |s: &Solution, i: usize, t: usize| {
        (s.products.get(i)).map_or(0, |p| p.user_cals_per_class.get(t).copied().unwrap_or(0))
    };
    let mut held: Vec<Vec<u32>> = vec![vec![0; people]; s.products.len()];
    for (j, (c, n, licensed, _)) in twins.iter().enumerate() {
        for &i in licensed {
            if !products[i].reaches_person(*c) {
                continue;
            }
            if let Some(x) = held.get_mut(i).and_then(|h| h.get_mut(*c)) {
                *x += n;
            }
            let base = (products[i].base)
                .and_then(|b| products.iter().position(|q| q.product == b))
                .filter(|b| !licensed.contains(b) && products[*b].reaches_person(*c));
            if let Some(b) = base {
                let extra = n.saturating_sub(moved(&s, b, people + j));
                if let Some(x) = held.get_mut(b).and_then(|h| h.get_mut(*c)) {
                    *x += extra;
                }
            }
        }
    }
    for (i, p) in s.products.iter_mut().enumerate() {
        for (j, &(c, _, _, _)) in twins.iter().enumerate() {
            let t = people + j;
            for v in [&mut p.user_cals_per_class, &mut p.own_device_cals_per_class] {
                let moved = v.get(t).copied().unwrap_or(0);
                if let Some(x) = v.get_mut(c) {
                    *x += moved;
                }
            }
        }
        for (c, &n) in held.get(i).into_iter().flatten().enumerate() {
            if let Some(x) = p.user_cals_per_class.get_mut(c) {
                *x += n;
                p.user_cals += u64::from(n);
            }
        }
        p.user_cals_per_class.truncate(people);
        p.own_device_cals_per_class.truncate(people);
    }
    s.exact = false;
    s.lower_bound_minor = 0;
    Some(Held {
        solution: s,
        bound,
        partial,
        kept_base,
    })
}

/// One way of sharing the suites (`holders`, as [`with_holders`] reads them) solved each way its
/// holders can hold them: their parts only; where some parts are too old, the whole suite (a
/// relaxation whose bound bounds the way); where a base product was kept beneath an additive
/// one, the additive product's User CAL on the suite's part. The cheapest by `price`, its key,
/// and the way's bound: the greater of the first and the whole suite's solves' (none where
/// neither has one; the third is a restriction and bounds nothing).
fn solve_way(
    demand: &Demand,
    estate: &crate::estate::Estate,
    holders: Vec<(usize, u32, Vec<usize>, CalProduct)>,
    solve: &impl Fn(&Instance) -> Option<Solution>,
    price: &impl Fn(&Solution) -> (i64, i64),
) -> Option<(Solution, (i64, i64), Option<i64>)> {
    let parts = with_holders(demand, estate, holders.clone(), Hold::Parts, solve)?;
    let mut bound = parts.bound;
    let mut key = price(&parts.solution);
    let mut best = parts.solution;
    let mut others = Vec::new();
    if parts.kept_base {
        others.push(Hold::PartsOnUserCals);
    }
    if parts.partial {
        others.push(Hold::Whole);
    }
    for hold in others {
        let held = with_holders(demand, estate, holders.clone(), hold, solve)?;
        if hold == Hold::Whole {
            bound = bound.max(held.bound);
        }
        let k = price(&held.solution);
        if k < key {
            (key, best) = (k, held.solution);
        }
    }
    Some((best, key, bound))
}

/// The most ways of sharing the owned suites among classes that [`every_split`] solves.
const MOST_SPLITS: usize = 24;

/// The owned User suites of the estate's one suite holding given out every way they can be
/// among the person classes whose needs they cover, each way solved by `solve` as
/// [`with_holders`] does: the cheapest licensing, and the least of the solves' bounds, which no
/// licensing undercuts (none when a solve has none). A licensing gives each suite to one person
/// (cal-rules §1.12), so it has some number of holders per class; giving an idle suite to one
/// more person who can use it only takes needs away, so the ways that use as many suites as
/// there are such people cover them all. The optimiser's own bound counts the suites' parts
/// product by product, as if one suite could serve several people (review 45: 10 suites for 5
/// staff and 20 partners, $675.00 "at most $25.00 cheaper"; 3 suites for kiosk staff and office
/// staff, $80.00 at most $40.00 cheaper). A way in which some holders' suites are too old for
/// a product they reach is solved twice: with those holders holding only the parts that cover
/// them, and with the whole suite, whose bound is a relaxation's (review 46: of 226 random
/// estates left above the least, 70 owned suites frozen by lapsed Software Assurance, never
/// proven). The licensings are compared by `price` (the position's cost, as the candidates
/// are). With more than [`MOST_SPLITS`] ways and `search` given (licensings, a licensing of
/// everyone by User CALs first, and how many solves the search may make), the ways are
/// searched from the holders the position would choose under each instead ([`Ways::search`]):
/// no bound, and whether the search stopped for want of solves. `None` when the estate owns
/// other suites or declares who holds them, when there are too many ways and no search, or
/// when a solve fails.
pub(super) fn every_split(
    demand: &Demand,
    estate: &crate::estate::Estate,
    solve: impl Fn(&Instance) -> Option<Solution>,
    price: impl Fn(&Solution) -> (i64, i64),
    search: Option<(&[&Solution], usize)>,
) -> Option<(Solution, Option<i64>, bool)> {
    use crate::estate::LicenceKind;
    let mut suites = (estate.holdings.iter().enumerate())
        .filter(|(_, h)| catalog::is_suite(h.product) && h.quantity > 0);
    let (holding, h) = suites.next()?;
    if suites.next().is_some() || h.kind != LicenceKind::UserCal {
        return None;
    }
    let inst = &demand.instance;
    if inst.people.iter().any(|p| p.held_suite.is_some()) {
        return None;
    }
    let owned = owned_by_rank(estate, demand.today);
    // Per class that can use a suite: its size and the products the suite covers for it.
    let classes: Vec<(usize, u32, Vec<usize>)> = (inst.people.iter().enumerate())
        .filter_map(|(c, person)| {
            let covered: Vec<usize> = crate::position::suite_parts_for(demand, &owned, holding, c)
                .into_iter()
                .filter(|&i| inst.products.get(i).is_some_and(|pr| pr.reaches_person(c)))
                .collect();
            (person.multiplicity > 0 && !covered.is_empty()).then_some((
                c,
                person.multiplicity,
                covered,
            ))
        })
        .collect();
    let people: u64 = classes.iter().map(|c| u64::from(c.1)).sum();
    let given = u32::try_from(people.min(u64::from(h.quantity))).ok()?;
    if given == 0 {
        return None;
    }
    let sizes: Vec<u32> = classes.iter().map(|c| c.1).collect();
    let mut ways = Vec::new();
    share(&sizes, given, &mut Vec::new(), &mut ways);
    if ways.len() > MOST_SPLITS {
        let (starts, budget) = search?;
        let ways = Ways {
            demand,
            estate,
            classes: &classes,
            given,
            suite: h.product,
        };
        return (ways.search(starts, budget, &solve, &price))
            .map(|(s, stopped)| (s, None, stopped));
    }
    let mut best: Option<((i64, i64), Solution)> = None;
    let mut least = Some(i64::MAX);
    for split in ways {
        let holders = holders_of(&classes, &split, h.product);
        let (s, key, bound) = solve_way(demand, estate, holders, &solve, &price)?;
        least = least.zip(bound).map(|(a, b)| a.min(b));
        if best.as_ref().is_none_or(|(k, _)| key < *k) {
            best = Some((key, s));
        }
    }
    best.map(|(_, s)| (s, least, false))
}

/// The holders of one way of sharing `suite`s: `share[j]` members of each class `classes[j]`
/// (its index, size, the products the suite covers for it), as [`with_holders`] reads them.
fn holders_of(
    classes: &[(usize, u32, Vec<usize>)],
    share: &[u32],
    suite: CalProduct,
) -> Vec<(usize, u32, Vec<usize>, CalProduct)> {
    (classes.iter().zip(share))
        .filter(|(_, n)| **n > 0)
        .map(|((c, _, covered), n)| (*c, *n, covered.clone(), suite))
        .collect()
}

/// The ways of sharing one holding of owned User suites among the classes whose needs they
/// cover, when there are too many to solve each.
struct Ways<'a> {
    demand: &'a Demand,
    estate: &'a crate::estate::Estate,
    /// Per class: its index, size, and the products the suite covers for it.
    classes: &'a [(usize, u32, Vec<usize>)],
    /// How many suites are given out.
    given: u32,
    suite: CalProduct,
}

impl Ways<'_> {
    /// A local search over the ways: from the holders the position would choose under each of
    /// `starts` in turn (the suites it leaves idle given to the classes whose covered CALs cost
    /// the most), each step moves suites from one class to another, all it can or one, while
    /// that lowers the position's cost, trying moves from the classes the suite is worth least
    /// to, to those it is worth most to, first ([`Ways::by_worth`]), for at most `budget` solves
    /// in all (no way is solved twice); the cheapest licensing met, and whether it stopped with
    /// moves untried. Review 46's random estates: 8 Core suites among 3 groups went to the
    /// holders of a licensing of everyone by User CALs, $1,601.00 where $1,461.00 is least; 7
    /// Enterprise suites went to staff who use only kiosks, which no single move undid,
    /// $1,456.00 where $1,188.00 (the kiosks on Enterprise suite Device CALs, as under another
    /// licensing) is least. A way whose holders' suites are too old for some product they reach
    /// is solved with the whole suite held too, as [`every_split`] does, and the cheaper kept: 7
    /// Core suites frozen at 2019 among staff on Exchange 2019 Enterprise and SharePoint SE,
    /// $2,120.00 holding only the new-enough parts, $1,938.00 (the least) held whole. A rule of
    /// thumb: no bound.
    fn search(
        &self,
        starts: &[&Solution],
        budget: usize,
        solve: &impl Fn(&Instance) -> Option<Solution>,
        price: &impl Fn(&Solution) -> (i64, i64),
    ) -> Option<(Solution, bool)> {
        let classes = self.classes;
        let solves = std::cell::Cell::new(0usize);
        // The ways solved, by their position's cost: a descent never solves one twice.
        let seen = std::cell::RefCell::new(std::collections::BTreeMap::new());
        let eval = |share: &[u32]| -> Option<((i64, i64), Option<Solution>)> {
            if let Some(&key) = seen.borrow().get(share) {
                return Some((key, None));
            }
            solves.set(solves.get() + 1);
            let holders = holders_of(classes, share, self.suite);
            let (s, key, _) = solve_way(self.demand, self.estate, holders, solve, price)?;
            seen.borrow_mut().insert(share.to_vec(), key);
            Some((key, Some(s)))
        };
        let mut best: Option<((i64, i64), Solution)> = None;
        let mut stopped = false;
        let mut keep = |key: (i64, i64), s: Option<Solution>| {
            if let Some(s) = s.filter(|_| best.as_ref().is_none_or(|(k, _)| key < *k)) {
                best = Some((key, s));
            }
        };
        let order = self.by_worth();
        for licensing in starts {
            let mut share = self.start(licensing);
            if seen.borrow().contains_key(&share) {
                continue;
            }
            if solves.get() >= budget {
                stopped = true;
                break;
            }
            let (mut here, s) = eval(&share)?;
            keep(here, s);
            'improve: loop {
                // Suites move from the classes they are worth least to, to those they are worth
                // most to, first.
                for &a in order.iter().rev() {
                    for &b in &order {
                        if a == b || share[a] == 0 || share[b] >= classes[b].1 {
                            continue;
                        }
                        let most = share[a].min(classes[b].1 - share[b]);
                        for d in [most, 1] {
                            let mut next = share.clone();
                            next[a] -= d;
                            next[b] += d;
                            if !seen.borrow().contains_key(&next) && solves.get() >= budget {
                                stopped = true;
                                break 'improve;
                            }
                            if let Some((key, s)) = eval(&next).filter(|(key, _)| *key < here) {
                                here = key;
                                share = next;
                                keep(key, s);
                                continue 'improve;
                            }
                            if most == 1 {
                                break;
                            }
                        }
                    }
                }
                break;
            }
            if stopped {
                break;
            }
        }
        best.map(|(_, s)| (s, stopped))
    }

    /// The classes, those whose members' CALs the suite takes the place of cost the most first:
    /// per product it covers for them, the cheaper of a User CAL and Device CALs for their own
    /// devices and their share of the shared devices they reach it from (review 46's random
    /// estates: a User CAL price alone ranked staff with one PC above those with two, whose
    /// Exchange User CALs cost less than two Device CALs, and the search gave them 3 of 8
    /// suites, $45.60 above the least).
    fn by_worth(&self) -> Vec<usize> {
        let classes = self.classes;
        let inst = &self.demand.instance;
        let people = |p: usize| inst.people.get(p).map_or(0, |x| i64::from(x.multiplicity));
        let worth = |j: usize| -> i64 {
            let (c, _, covered) = &classes[j];
            let devices = inst
                .people
                .get(*c)
                .map_or(1, |p| i64::from(p.own_devices.max(1)));
            (covered.iter())
                .filter_map(|&i| inst.products.get(i))
                .map(|p| {
                    let device = p.prices.device_cal.map(|d| {
                        let own = if p.reaches_own_devices(*c) {
                            devices
                        } else {
                            0
                        };
                        // A shared device's Device CAL, shared among all who reach it there.
                        let shared: i64 = (p.person_device.iter())
                            .filter(|&&(q, _)| q == *c)
                            .map(|&(_, v)| {
                                let sharers: i64 = (p.person_device.iter())
                                    .filter(|&&(_, w)| w == v)
                                    .map(|&(q, _)| people(q))
                                    .sum();
                                let n =
                                    inst.devices.get(v).map_or(0, |x| i64::from(x.multiplicity));
                                d.saturating_mul(n) / sharers.max(1)
                            })
                            .sum();
                        d.saturating_mul(own).saturating_add(shared)
                    });
                    let hosts = p.person_host.iter().any(|&(q, _)| q == *c);
                    match (p.prices.user_cal, device.filter(|_| !hosts)) {
                        (Some(u), Some(d)) => u.min(d),
                        (Some(x), None) | (None, Some(x)) => x,
                        (None, None) => 0,
                    }
                })
                .fold(0i64, i64::saturating_add)
        };
        let mut order: Vec<usize> = (0..classes.len()).collect();
        crate::sort::sort_by_key(&mut order, |&j| (std::cmp::Reverse(worth(j)), j));
        order
    }

    /// Where the search starts from `licensing`: the holders the position would choose under
    /// it, and the suites it leaves idle given to the classes whose covered CALs cost the most.
    fn start(&self, licensing: &Solution) -> Vec<u32> {
        let classes = self.classes;
        let mut start = vec![0u32; classes.len()];
        let chosen = crate::position::user_suite_holders(self.demand, self.estate, licensing);
        for (c, n, _, suite) in chosen {
            if let Some(j) = (suite == self.suite)
                .then(|| classes.iter().position(|k| k.0 == c))
                .flatten()
            {
                start[j] = start[j].saturating_add(n).min(classes[j].1);
            }
        }
        // The idle suites to the classes they are worth most to.
        let order = self.by_worth();
        let placed: u64 = start.iter().map(|&n| u64::from(n)).sum();
        let mut left = u32::try_from(u64::from(self.given).saturating_sub(placed)).unwrap_or(0);
        for &j in &order {
            let take = left.min(classes[j].1 - start[j]);
            start[j] += take;
            left -= take;
        }
        start
    }
}

/// Every way to share `total` among classes of `sizes`, each taking at most its size, into
/// `ways` (`prefix`: the shares of the classes before); stops past [`MOST_SPLITS`] ways, and
/// then `ways` holds more than that.
fn share(sizes: &[u32], total: u32, prefix: &mut Vec<u32>, ways: &mut Vec<Vec<u32>>) {
    let Some((&size, rest)) = sizes.split_first() else {
        if total == 0 {
            ways.push(prefix.clone());
        }
        return;
    };
    let after: u64 = rest.iter().map(|&n| u64::from(n)).sum();
    let least = u64::from(total).saturating_sub(after);
    for take in least..=u64::from(size.min(total)) {
        if ways.len() > MOST_SPLITS {
            return;
        }
        let Ok(take) = u32::try_from(take) else {
            return;
        };
        prefix.push(take);
        share(rest, total - take, prefix, ways);
        prefix.pop();
    }
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
