//! Who holds the owned CAL Suites. One suite licenses one user or device for every product it
//! contains (cal-rules §1.12), so its parts cannot go to different people product by product:
//! the Exchange part to the mail clerks and the SharePoint part to the intranet staff is one
//! suite counted twice (review 43, H1: such an estate was shown as compliant at $0 while a
//! finding of the engine's own said at least 30 CALs were not covered).
//!
//! The optimiser counts a suite's parts in each product's pool of owned CALs, a relaxation: its
//! cost is a lower bound, and the licensing it returns says, per class, who takes which CAL.
//! Here each owned suite is given to whole subjects (members of a person class for User suites;
//! own devices of a class, or shared devices, for Device suites), and a suite's part counts for a
//! product only where its holder needs that product's CAL at a version the part covers. The
//! position then covers the other needs with separate CALs or buys them, so what it shows is a
//! licensing that exists.
//!
//! Choosing the holders is a covering problem; it is solved greedily ([`Greedy`]), each step
//! giving suites to the run of alike subjects ([`Unit`]) whose needs they cover that the separate
//! CALs cannot, at the highest price per suite. Several orders are tried (all holdings at once,
//! one holding at a time from the least versatile and from the most, with and without a penalty
//! for the needs a step strands) and the assignment that leaves the least to buy is kept. When
//! that still leaves a need the pooled count would have covered, the position costs more than
//! the optimiser's bound, and the recommendation says it is not proven least cost unless the
//! suite bound (`findings::suite_split_bound`) proves it. A property test compares the result
//! with a search over every assignment (`tests/engine/findings.rs`).

use super::{allocate, allocate_held, Needs};
use crate::catalog;
use crate::estate::{CalProduct, LicenceKind};
use crate::optimise::Solution;
use crate::rules::{Demand, OwnedLot};
use crate::vecmap::VecMap;
use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// Identical subjects who may hold a suite: members of a person class (User suites), the own
/// devices of a person class, or the devices of a shared device class (Device suites).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Subject {
    Person(usize),
    Own(usize),
    Device(usize),
}

/// Needs an owned suite's part covers: (index of the suite's holding, need rank, subject, how
/// many).
pub(crate) type Cover = (usize, u8, Subject, u64);

/// The suites given to holders, and what their parts cover.
#[derive(Debug, Default)]
pub(crate) struct Holders {
    /// Per (product, kind): the needs the owned suites' parts cover.
    pub covers: VecMap<(CalProduct, LicenceKind), Vec<Cover>>,
    /// Per holding of owned suites: its holders, (subject, how many), in the order given.
    pub holders: VecMap<usize, Vec<(Subject, u64)>>,
}

impl Holders {
    /// Whether owned suites are counted by their holders (the estate owns some).
    pub fn any(&self) -> bool {
        !self.holders.is_empty()
    }
}

/// One owned suite holding as the position sees it.
struct Suite {
    holding: usize,
    kind: LicenceKind,
    quantity: u64,
    /// Its parts: (index into the products, the generation the part counts at).
    parts: Vec<(usize, u8)>,
}

/// A subject's need of one product: (index into the products, how many of the subjects need
/// this kind of CAL of it, at which generation).
type Need = (usize, u64, u8);

/// Gives the owned suites of `owned` to holders, given the licensing `solution` and each
/// product's needs (`needs`, in the order of `demand.products`).
pub(crate) fn assign(
    demand: &Demand,
    solution: &Solution,
    owned: &VecMap<CalProduct, Vec<OwnedLot>>,
    needs: &[Needs],
) -> Holders {
    let mut out = Holders::default();
    let products: Vec<CalProduct> = demand.products.iter().map(|pd| pd.product).collect();
    // The owned suites, with the generation of each part the estate needs.
    let mut suites: Vec<Suite> = Vec::new();
    for (product, lots) in owned.iter() {
        let Some(p) = products.iter().position(|x| x == product) else {
            continue;
        };
        for l in lots.iter().filter(|l| l.from_suite() && l.quantity > 0) {
            match suites.iter_mut().find(|s| s.holding == l.holding) {
                Some(s) => s.parts.push((p, l.rank)),
                None => suites.push(Suite {
                    holding: l.holding,
                    kind: l.kind,
                    quantity: l.quantity,
                    parts: vec![(p, l.rank)],
                }),
            }
        }
    }
    if suites.is_empty() {
        return out;
    }
    for kind in [LicenceKind::UserCal, LicenceKind::DeviceCal] {
        let of_kind: Vec<&Suite> = suites.iter().filter(|s| s.kind == kind).collect();
        if !of_kind.is_empty() {
            assign_kind(
                demand, solution, owned, needs, &products, kind, &of_kind, &mut out,
            );
        }
    }
    out
}

/// Each subject's needs of this kind of CAL, per product.
fn subject_needs(
    demand: &Demand,
    solution: &Solution,
    products: &[CalProduct],
    kind: LicenceKind,
) -> Vec<(Subject, Vec<Need>)> {
    let inst = &demand.instance;
    let mut out: Vec<(Subject, Vec<Need>)> = if kind == LicenceKind::UserCal {
        (0..inst.people.len())
            .map(|c| (Subject::Person(c), Vec::new()))
            .collect()
    } else {
        (0..inst.people.len())
            .map(|c| (Subject::Own(c), Vec::new()))
            .chain((0..inst.devices.len()).map(|d| (Subject::Device(d), Vec::new())))
            .collect()
    };
    let people = inst.people.len();
    for (p, pd) in demand.products.iter().enumerate() {
        let Some(ps) = solution.products.iter().find(|s| s.product == products[p]) else {
            continue;
        };
        let mut add = |i: usize, n: u64, rank: u8| {
            if n > 0 {
                if let Some(e) = out.get_mut(i) {
                    e.1.push((p, n, rank));
                }
            }
        };
        if kind == LicenceKind::UserCal {
            for (c, &n) in ps.user_cals_per_class.iter().enumerate() {
                add(c, u64::from(n), pd.person_cal_rank(c));
            }
            continue;
        }
        for (c, &n) in ps.own_device_cals_per_class.iter().enumerate() {
            let each = inst
                .people
                .get(c)
                .map_or(1, |q| u64::from(q.own_devices.max(1)));
            add(c, u64::from(n) * each, pd.own_cal_rank(c));
        }
        // As the position ranks them: a shared device's CAL as new as what its people reach
        // from it, less those whose own User CALs cover them.
        let covered = |c: usize| {
            let members = inst.people.get(c).map_or(0, |q| q.multiplicity);
            members > 0 && ps.user_cals_per_class.get(c).is_some_and(|&n| n >= members)
        };
        for (d, &n) in ps.device_cals_per_class.iter().enumerate() {
            add(people + d, u64::from(n), pd.pool_cal_rank(d, covered));
        }
    }
    out.retain(|(_, n)| !n.is_empty());
    out
}

/// Gives the owned suites of one kind (`suites`) to holders, into `out`: the best of the
/// greedy's tries by what is left to buy at the optimiser's prices.
#[allow(clippy::too_many_arguments)]
fn assign_kind(
    demand: &Demand,
    solution: &Solution,
    owned: &VecMap<CalProduct, Vec<OwnedLot>>,
    needs: &[Needs],
    products: &[CalProduct],
    kind: LicenceKind,
    suites: &[&Suite],
    out: &mut Holders,
) {
    let subjects = subject_needs(demand, solution, products, kind);
    let lots = |p: usize| -> Vec<&OwnedLot> {
        (owned.get(&products[p]).into_iter().flatten())
            .filter(|l| l.kind == kind)
            .collect()
    };
    // The needs no suite covers yet, per product and generation, and the separate CALs that
    // cover what they can of them: covering a need the separate CALs leave uncovered saves a
    // purchase, covering one elsewhere only frees a separate CAL.
    let rest: Vec<VecMap<u8, u64>> = (0..products.len())
        .map(|p| {
            (needs.get(p).and_then(|n| n.get(&kind)))
                .cloned()
                .unwrap_or_default()
        })
        .collect();
    let plain: Vec<Vec<&OwnedLot>> = (0..products.len())
        .map(|p| lots(p).into_iter().filter(|l| !l.from_suite()).collect())
        .collect();
    // The price a covered need saves: the optimiser's (a missing price replaced), so that the
    // holders chosen suit the licensing it priced.
    let price: Vec<i64> = (0..products.len())
        .map(|p| {
            demand
                .instance
                .products
                .iter()
                .find(|q| q.product == products[p])
                .and_then(|q| match kind {
                    LicenceKind::UserCal => q.prices.user_cal,
                    _ => q.prices.device_cal,
                })
                .unwrap_or(1)
                .max(1)
        })
        .collect();
    let units = units(&subjects);
    // How much a suite could cover in all: the price of every need its parts can take, summed
    // over the members who have them.
    let reach: Vec<i128> = (0..suites.len())
        .map(|s| {
            (units.iter())
                .map(|(_, n, ns)| {
                    let each: i64 = (ns.iter())
                        .filter(|&&(p, _, rank)| {
                            (suites[s].parts.iter()).any(|&(q, part)| q == p && part >= rank)
                        })
                        .map(|&(p, _, _)| price[p])
                        .sum();
                    i128::from(*n) * i128::from(each)
                })
                .sum()
        })
        .collect();
    let greedy = Greedy {
        units: &units,
        reach: &reach,
        suites,
        price: &price,
        products,
        kind,
        strand: false,
        plain: &plain,
    };
    let stranding = Greedy {
        strand: true,
        ..greedy
    };
    // The greedy takes the best step for all suites at once; a suite that only some subjects
    // can use (its parts frozen at older versions) may then lose them to one anyone could use.
    // It is run also one holding at a time, the least versatile first and last, and the
    // assignment that leaves the least to buy is kept.
    let mut narrow: Vec<usize> = (0..suites.len()).collect();
    crate::sort::sort_by_key(&mut narrow, |&s| (reach[s], s));
    let wide: Vec<usize> = narrow.iter().rev().copied().collect();
    let mut tries = Vec::new();
    for cx in [&greedy, &stranding] {
        tries.push(cx.run(None, rest.clone()));
        if suites.len() > 1 {
            tries.push(cx.run(Some(&narrow), rest.clone()));
            tries.push(cx.run(Some(&wide), rest.clone()));
        }
    }
    let to_buy = |h: &Holders| -> i128 {
        (0..products.len())
            .map(|p| {
                let Some(n) = needs.get(p).and_then(|n| n.get(&kind)) else {
                    return 0;
                };
                let covers = h.covers.get(&(products[p], kind));
                let a = allocate_held(n, &lots(p), covers.map_or(&[], |c| c));
                let short = (n.values().sum::<u64>()).saturating_sub(a.covered.values().sum());
                i128::from(short) * i128::from(price[p])
            })
            .sum()
    };
    let mut best = 0;
    let mut least = i128::MAX;
    for (i, h) in tries.iter().enumerate() {
        let c = to_buy(h);
        if c < least {
            (best, least) = (i, c);
        }
    }
    let chosen = tries.swap_remove(best);
    for (key, covers) in chosen.covers {
        out.covers.entry(key).or_default().extend(covers);
    }
    for (holding, by) in chosen.holders {
        out.holders.entry(holding).or_default().extend(by);
    }
}

/// Members of one subject alike in what they need: (the subject, how many, their needs). The
/// needs of a class are nested (whoever needs one product's CAL may be those who need the
/// others'), so its members fall into runs: the first `u₁` need every product, the next ones all
/// but the product fewest need, and so on. A suite is given to the run whose needs it suits: a
/// suite frozen at an older Windows Server goes to those who need only its Exchange part.
type Unit = (Subject, u64, Vec<Need>);

fn units(subjects: &[(Subject, Vec<Need>)]) -> Vec<Unit> {
    let mut out = Vec::new();
    for (subject, needs) in subjects {
        let mut bounds: Vec<u64> = needs.iter().map(|n| n.1).collect();
        bounds.push(0);
        bounds.sort_unstable();
        bounds.dedup();
        for w in bounds.windows(2) {
            let (from, to) = (w[0], w[1]);
            let of: Vec<Need> = needs.iter().copied().filter(|n| n.1 >= to).collect();
            out.push((*subject, to - from, of));
        }
    }
    out
}

/// What the greedy assignment of one kind of suite reads.
struct Greedy<'a> {
    units: &'a [Unit],
    suites: &'a [&'a Suite],
    price: &'a [i64],
    products: &'a [CalProduct],
    kind: LicenceKind,
    /// Whether a step's value counts what it strands ([`Greedy::value`]).
    strand: bool,
    /// Per suite: the price of all the needs it could cover, over every unit.
    reach: &'a [i128],
    /// Per product: the owned CALs of this kind that are not a suite's parts.
    plain: &'a [Vec<&'a OwnedLot>],
}

impl Greedy<'_> {
    /// How many of the first `k` needs of product `p` at generation `rank` taken out of `rest`
    /// (covered by suites) each leave one CAL less to buy: the separate CALs cover the others
    /// as well without them. Whether one does depends on the generations: 5 owned 2022 CALs
    /// and 6 people needing 2019 beside 5 needing 2025 leave 6 to buy, and a suite given to one
    /// at 2019 still leaves 5 (review 46's random estates: 6 suites went to the 2019 people and
    /// the 5 at 2025 bought theirs, where the 2022 CALs and one suite cover the 2019 people).
    /// Taking needs out of one generation saves for the first ones and then no more (a matroid's
    /// rank is concave in the copies of an element), so the count is found by bisection.
    fn saving(&self, p: usize, rank: u8, rest: &[VecMap<u8, u64>], k: u64) -> u64 {
        let Some(needs) = rest.get(p) else {
            return 0;
        };
        let lots = self.plain.get(p).map_or(&[][..], |l| &l[..]);
        let uncovered = |needs: &VecMap<u8, u64>| -> u64 {
            let all: u64 = needs.values().sum();
            all.saturating_sub(allocate(needs, lots).covered.values().sum())
        };
        let have = needs.get(&rank).copied().unwrap_or(0);
        let now = uncovered(needs);
        let after = |j: u64| {
            let mut less = needs.clone();
            less.insert(rank, have - j);
            uncovered(&less)
        };
        let (mut lo, mut hi) = (0, k.min(have).min(now));
        while lo < hi {
            let mid = lo + (hi - lo).div_ceil(2);
            if now - after(mid) == mid {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        lo
    }

    /// Per generation of product `p`'s needs in `rest`: whether covering one of them saves a
    /// purchase ([`Self::saving`]), kept per product while the greedy runs.
    fn saves_of(&self, p: usize, rest: &[VecMap<u8, u64>]) -> VecMap<u8, bool> {
        (rest.get(p).into_iter().flatten())
            .map(|(&rank, _)| (rank, self.saving(p, rank, rest, 1) > 0))
            .collect()
    }

    /// Which of unit `u`'s needs suite `s` covers: (need, whether a separate CAL could not),
    /// `saves` as [`Self::saves_of`] gives it for each product.
    fn parts_for(&self, s: usize, u: usize, saves: &[VecMap<u8, bool>]) -> Vec<(Need, bool)> {
        (self.units[u].2.iter())
            .filter(|&&(p, _, rank)| {
                (self.suites[s].parts.iter()).any(|&(q, part)| q == p && part >= rank)
            })
            .map(|&need| (need, saves_at(saves, need.0, need.2)))
            .collect()
    }

    /// (price of the needs a suite saves, price of all it covers), for the heap. With `strand`,
    /// less the price of the unit's needs still uncovered that this suite's parts do not cover:
    /// a person holds one suite, so another cannot cover those for them.
    fn value(&self, s: usize, u: usize, saves: &[VecMap<u8, bool>]) -> (i64, i64) {
        let parts = self.parts_for(s, u, saves);
        let (saved, gross) = parts
            .iter()
            .fold((0i64, 0i64), |(v, g), &((p, _, _), saving)| {
                (
                    v.saturating_add(if saving { self.price[p] } else { 0 }),
                    g.saturating_add(self.price[p]),
                )
            });
        if !self.strand || saved <= 0 {
            return (saved, gross);
        }
        let stranded: i64 = (self.units[u].2.iter())
            .filter(|&&(p, _, rank)| saves_at(saves, p, rank))
            .filter(|&&need| !parts.iter().any(|&(covered, _)| covered == need))
            .map(|&(p, _, _)| self.price[p])
            .sum();
        // Kept above 0 while it saves anything: the step is still worth taking.
        ((saved - stranded).max(1), gross)
    }

    /// Gives the suites to holders: all holdings at once (`order` `None`), or one holding after
    /// another in `order`. A lazy greedy: the top of the heap, once its value is brought up to
    /// date and still the top, is the step taken.
    fn run(&self, order: Option<&[usize]>, mut rest: Vec<VecMap<u8, u64>>) -> Holders {
        let mut saves: Vec<VecMap<u8, bool>> =
            (0..rest.len()).map(|p| self.saves_of(p, &rest)).collect();
        let mut out = Holders::default();
        let all: Vec<usize> = (0..self.suites.len()).collect();
        let rounds: Vec<&[usize]> = match order {
            None => vec![&all],
            Some(order) => order.chunks(1).collect(),
        };
        // Per unit: how many of its members hold a suite already.
        let mut taken: Vec<u64> = vec![0; self.units.len()];
        let mut left: Vec<u64> = self.suites.iter().map(|s| s.quantity).collect();
        for round in rounds {
            // Of steps alike, the suite that could cover least elsewhere first.
            type Step = ((i64, i64), Reverse<i128>, Reverse<usize>, Reverse<usize>);
            let mut heap: BinaryHeap<Step> = BinaryHeap::new();
            for &s in round {
                for u in 0..self.units.len() {
                    let v = self.value(s, u, &saves);
                    if v.0 > 0 {
                        heap.push((v, Reverse(self.reach[s]), Reverse(u), Reverse(s)));
                    }
                }
            }
            while let Some((v, r, Reverse(u), Reverse(s))) = heap.pop() {
                let room = self.units[u].1 - taken[u];
                if left[s] == 0 || room == 0 {
                    continue;
                }
                let now = self.value(s, u, &saves);
                if now.0 <= 0 {
                    continue;
                }
                // Out of date: back in the heap at its value now (a value with `strand` may
                // also rise, as the needs it strands are covered).
                if now != v {
                    heap.push((now, r, Reverse(u), Reverse(s)));
                    continue;
                }
                let parts = self.parts_for(s, u, &saves);
                // As many holders as keep this value: up to the end of the unit, or of the
                // uncovered needs of a product it saves.
                let mut step = left[s].min(room);
                for &((p, _, rank), saving) in &parts {
                    if saving {
                        step = step.min(self.saving(p, rank, &rest, step));
                    }
                }
                let holding = self.suites[s].holding;
                let subject = self.units[u].0;
                for &((p, _, rank), _) in &parts {
                    if let Some(n) = rest.get_mut(p).and_then(|n| n.get_mut(&rank)) {
                        *n = n.saturating_sub(step);
                    }
                    let e = out.covers.entry((self.products[p], self.kind)).or_default();
                    match (e.iter_mut()).find(|c| c.0 == holding && c.1 == rank && c.2 == subject) {
                        Some(c) => c.3 += step,
                        None => e.push((holding, rank, subject, step)),
                    }
                }
                for &((p, _, _), _) in &parts {
                    if let Some(x) = saves.get_mut(p) {
                        *x = self.saves_of(p, &rest);
                    }
                }
                taken[u] += step;
                left[s] -= step;
                let by = out.holders.entry(holding).or_default();
                match by.iter_mut().find(|h| h.0 == subject) {
                    Some(h) => h.1 += step,
                    None => by.push((subject, step)),
                }
                let next = self.value(s, u, &saves);
                if next.0 > 0 && left[s] > 0 && taken[u] < self.units[u].1 {
                    heap.push((next, r, Reverse(u), Reverse(s)));
                }
            }
        }
        for s in self.suites {
            out.holders.entry(s.holding).or_default();
        }
        out
    }
}

/// Whether covering a need of product `p` at generation `rank` saves a purchase, as
/// [`Greedy::saves_of`] says.
fn saves_at(saves: &[VecMap<u8, bool>], p: usize, rank: u8) -> bool {
    (saves.get(p)).is_some_and(|s| s.get(&rank).copied().unwrap_or(false))
}

/// The name of a subject for explanations ("Office staff", "own devices of Managers").
pub(crate) fn subject_name(demand: &Demand, subject: Subject) -> String {
    let inst = &demand.instance;
    match subject {
        Subject::Person(c) => inst.people.get(c).map(|p| p.label.clone()),
        Subject::Own(c) => inst
            .people
            .get(c)
            .map(|p| format!("own devices of {}", p.label)),
        Subject::Device(d) => inst.devices.get(d).map(|v| v.label.clone()),
    }
    .unwrap_or_default()
}

/// The short name of the suite of `holding` ("Core CAL Suite"), for the rows that name it.
pub(crate) fn suite_label(estate: &crate::estate::Estate, holding: usize) -> &'static str {
    estate
        .holdings
        .get(holding)
        .map_or("CAL Suite", |h| catalog::short_name(h.product))
}
