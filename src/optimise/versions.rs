//! Owned CALs of several versions: a Lagrangian search that sees which subjects each owned lot
//! may serve (cal-rules.md §1.2: a CAL covers servers of its version or older).
//!
//! The rest of the optimiser counts owned CALs as one pool per product and kind, at the newest
//! version the product needs; the position then allocates them by version. When an estate owns
//! 2016 User CALs and Software-Assurance-current Device CALs, and its people reach 2016 and 2025
//! servers, the pool view cannot tell that the User CALs serve only the people on 2016 servers
//! (review estate: 1,500 people from usage logs licensed for $7,515 where $4,500 was enough).
//!
//! Here every owned lot of one product, kind and CAL generation `t` gets a multiplier
//! `0 ≤ λ_t ≤ P` (P the price of that kind), and a subject that needs generation `r` pays
//! `min(P, min_{t ≥ r} λ_t)` per licence: the price of its cheapest eligible lot, or the
//! purchase. For every licensing `x` and every allocation of lots to the subjects they may serve,
//! its cost is at least `Σ_subjects price_λ − Σ_t λ_t q_t`, so the cut at those per-class prices,
//! less `Σ λ_t q_t`, is a lower bound on the least cost (Lagrangian duality over the lots'
//! quantities). Each cut's licensing is a candidate the caller prices by version; `λ` moves by
//! projected subgradient steps on `used_t − q_t`.

use super::model::{Chain, ClassPrices, Tariff};
use super::owned::polyak_next;
use super::solve::{cut_at, price, Assignment};
use super::{model, Instance, OptimiseError, Options, Solution};

/// Owned User or Device CALs of one product and CAL generation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Lot {
    /// Index into [`Instance::products`].
    pub product: usize,
    /// Device CALs (else User CALs).
    pub device: bool,
    pub rank: u8,
    pub quantity: u64,
}

/// One product's CAL generation per class: `person` for a person class's User CAL, `own` for
/// their own devices' Device CALs, `device` for a shared device class.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct ClassRanks {
    pub person: Vec<u8>,
    pub own: Vec<u8>,
    pub device: Vec<u8>,
}

/// What the search found besides the candidates it offered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Found {
    /// A lower bound on the least cost (0 when suites that do not nest leave the model an
    /// upper bound only).
    pub lower_bound: i64,
    /// Cuts solved.
    pub cuts: usize,
    /// Whether the search stopped for want of cuts (with more it might have found a better
    /// licensing or bound).
    pub exhausted: bool,
}

struct Type {
    lot: Lot,
    price: i64,
}

/// Searches multipliers for the lots within `cuts` cuts. Each cut's licensing goes to `offer`,
/// which returns its cost priced by version (the caller's position); the search stops when the
/// bound reaches the best of those. `inst` must count no owned User or Device CALs itself (the
/// lots stand for them, owned suites among them as their contents); its owned External
/// Connectors are priced as owned, at full price in the bound.
pub(crate) fn search(
    inst: &Instance,
    ranks: &[ClassRanks],
    lots: &[Lot],
    cuts: usize,
    mut offer: impl FnMut(Solution) -> i64,
) -> Result<Found, OptimiseError> {
    model::validate(inst)?;
    let tariff = Tariff::from_instance(inst, &Options::default());
    let chain = Chain::new(inst);
    let types: Vec<Type> = lots
        .iter()
        .filter(|l| l.quantity > 0)
        .filter_map(|&lot| {
            let price = tariff
                .products
                .get(lot.product)?
                .get(usize::from(lot.device))
                .copied()
                .flatten()?;
            (price > 0).then_some(Type { lot, price })
        })
        .collect();
    // Owned connectors in the pool (and suites, were the instance to count them): free up to
    // their quantity, which the cut (at full price) does not see; the bound takes their full
    // price off.
    let owned_elsewhere: i128 = inst
        .products
        .iter()
        .zip(&tariff.products)
        .map(|(p, t)| i128::from(p.owned.external_connectors) * i128::from(t[2].unwrap_or(0)))
        .chain(inst.suites.iter().zip(&tariff.suites).map(|(s, t)| {
            i128::from(s.owned_user) * i128::from(t[0].unwrap_or(0))
                + i128::from(s.owned_device) * i128::from(t[1].unwrap_or(0))
        }))
        .sum();
    let full: Vec<i64> = types.iter().map(|t| t.price).collect();
    let mut ub: i128 = i128::MAX;
    let mut left = cuts;
    let mut exhausted = false;
    // One cut at `lambda`: its bound, the subgradient `used_t − q_t`; the licensing is offered.
    let mut eval =
        |lambda: &[i64], ub: &mut i128| -> Result<Option<(i128, Vec<i128>)>, OptimiseError> {
            if left == 0 {
                exhausted = true;
                return Ok(None);
            }
            left -= 1;
            let priced = at(&tariff, inst, ranks, &types, lambda);
            let Some((a, value)) = cut_at(inst, &priced, &chain, &[])? else {
                return Ok(None);
            };
            let owned_at: i128 = types
                .iter()
                .zip(lambda)
                .map(|(t, &l)| i128::from(l) * i128::from(t.lot.quantity))
                .sum();
            let g = used(inst, ranks, &types, lambda, &a)
                .into_iter()
                .zip(&types)
                .map(|(u, t)| i128::from(u) - i128::from(t.lot.quantity))
                .collect();
            let cost = offer(price(inst, &tariff, &a).0);
            *ub = (*ub).min(i128::from(cost));
            Ok(Some((value - owned_at - owned_elsewhere, g)))
        };
    let nt = types.len();
    let Some((mut lb, best_g)) = eval(&full, &mut ub)? else {
        return Ok(Found {
            lower_bound: 0,
            cuts: cuts - left,
            exhausted,
        });
    };
    let mut lambda = full.clone();
    let mut g = best_g;
    // Each lot free or at full price, when there are few: start from the best of them.
    if nt <= 3 {
        for mask in 1u32..(1 << nt) {
            if lb >= ub {
                break;
            }
            let trial: Vec<i64> = (0..nt)
                .map(|i| if mask & (1 << i) != 0 { 0 } else { full[i] })
                .collect();
            if let Some((l, tg)) = eval(&trial, &mut ub)? {
                if l > lb {
                    (lb, lambda, g) = (l, trial, tg);
                }
            }
        }
    }
    // Projected subgradient steps (Polyak step sizes).
    let mut step_scale = 1.0f64;
    while lb < ub && g.len() == nt && nt > 0 {
        let gap = step_scale * (ub.min(i128::from(i64::MAX)) - lb).max(1) as f64;
        let Some(next) = polyak_next(&lambda, &g, gap, &full) else {
            break;
        };
        if next == lambda {
            step_scale *= 2.0;
            if step_scale > 64.0 {
                break;
            }
            continue;
        }
        let Some((l, ng)) = eval(&next, &mut ub)? else {
            break;
        };
        step_scale = if l > lb {
            lb = l;
            (step_scale * 1.2).min(2.0)
        } else {
            step_scale * 0.6
        };
        lambda = next;
        g = ng;
    }
    Ok(Found {
        lower_bound: if chain.ignored.is_empty() {
            i64::try_from(lb.max(0)).unwrap_or(i64::MAX)
        } else {
            0
        },
        cuts: cuts - left,
        exhausted,
    })
}

/// The lot a subject of generation `rank` draws on at `lambda` for product `k` and kind
/// `device`: the cheapest eligible one below the purchase price (the oldest on a tie, keeping
/// newer lots for newer servers), else `None` (bought).
fn cheapest(types: &[Type], lambda: &[i64], k: usize, device: bool, rank: u8) -> Option<usize> {
    let mut best: Option<usize> = None;
    for (i, t) in types.iter().enumerate() {
        if t.lot.product != k || t.lot.device != device || t.lot.rank < rank || lambda[i] >= t.price
        {
            continue;
        }
        let better =
            best.is_none_or(|b| (lambda[i], types[i].lot.rank) < (lambda[b], types[b].lot.rank));
        if better {
            best = Some(i);
        }
    }
    best
}

/// The tariff at `lambda`: each class pays its cheapest eligible lot or the purchase.
fn at(
    tariff: &Tariff,
    inst: &Instance,
    ranks: &[ClassRanks],
    types: &[Type],
    lambda: &[i64],
) -> Tariff {
    let mut t = tariff.clone();
    t.by_class = inst
        .products
        .iter()
        .enumerate()
        .map(|(k, _)| {
            let (Some(r), true) = (ranks.get(k), types.iter().any(|t| t.lot.product == k)) else {
                return ClassPrices::default();
            };
            let [u, d, _] = tariff.products[k];
            let one = |device: bool, rank: u8, full: Option<i64>| -> i64 {
                let full = full.unwrap_or(0);
                cheapest(types, lambda, k, device, rank).map_or(full, |i| lambda[i].min(full))
            };
            ClassPrices {
                user: r.person.iter().map(|&rank| one(false, rank, u)).collect(),
                own: r.own.iter().map(|&rank| one(true, rank, d)).collect(),
                device: r.device.iter().map(|&rank| one(true, rank, d)).collect(),
            }
        })
        .collect();
    t
}

/// How many subjects of `a` draw on each lot type at `lambda`.
fn used(
    inst: &Instance,
    ranks: &[ClassRanks],
    types: &[Type],
    lambda: &[i64],
    a: &Assignment,
) -> Vec<u64> {
    let mut out = vec![0u64; types.len()];
    for (k, pa) in a.products.iter().enumerate() {
        let Some(r) = ranks.get(k) else { continue };
        if !types.iter().any(|t| t.lot.product == k) {
            continue;
        }
        let mut add = |device: bool, rank: u8, n: u64| {
            if let Some(i) = cheapest(types, lambda, k, device, rank) {
                out[i] += n;
            }
        };
        for (c, &n) in pa.user.iter().enumerate() {
            add(
                false,
                r.person.get(c).copied().unwrap_or(u8::MAX),
                u64::from(n),
            );
        }
        for (c, &n) in pa.own.iter().enumerate() {
            let each = model::own_devices(inst, c);
            add(
                true,
                r.own.get(c).copied().unwrap_or(u8::MAX),
                u64::from(n) * each,
            );
        }
        for (v, &n) in pa.device.iter().enumerate() {
            add(
                true,
                r.device.get(v).copied().unwrap_or(u8::MAX),
                u64::from(n),
            );
        }
    }
    out
}
