//! The least cost of a base product and its additive one (Exchange, SharePoint or Skype Standard
//! and Enterprise; Windows Server and AD RMS) for the people free to take either kind, once the
//! branch and bound has fixed everything else (cal-rules.md §1.3, §1.11, §5).
//!
//! People who reach both products only from their own devices, with nothing else forcing a User
//! CAL on them, hold either the pair of User CALs or the pair of Device CALs on each of their own
//! devices: an additive CAL needs the base CAL of the same kind for the same subject (§1.11), so
//! no mix is cheaper. People who reach the base product alone hold its User CAL or its Device
//! CALs. With `x` of the first kind on User CALs and `y` of the second, given each side's people
//! sorted by own devices (the most first, which leaves the fewest devices to license), the cost
//! after owned licences is
//!
//! ```text
//! F(x, y) = Pbu·(Fbu + x + y − Qbu)⁺ + Pbd·(Fbd + Ha(x) + Hb(y) − Qbd)⁺
//!         + Pau·(Fau + x − Qau)⁺      + Pad·(Fad + Ha(x) − Qad)⁺
//! ```
//!
//! where `F·` are the CALs the fixed structure needs already, `Q·` those owned, `P·` the prices and
//! `Ha`, `Hb` the own devices left on Device CALs: convex and piecewise linear, with a kink where
//! one class of people ends and the next (fewer devices each) begins. One product alone is convex
//! in its one count (`owned::split_own_devices`); the pair is not convex in `x` once `y` is chosen
//! at its best (a brute force over small cases finds that often), so it is minimised exactly here:
//!
//! `F(·, y)` is convex in `x` for every `y` and `F(x, ·)` in `y` for every `x`. At a minimum
//! `(x*, y*)`, `x*` can be moved (at no cost) to the integer next to a kink of `F(·, y*)` or to the
//! end of its range, and then `y*` to one next to a kink of `F(x*, ·)` or to an end. The kinks in
//! `x` alone are the class ends, `Qau − Fau` and where `Fad + Ha(x) = Qad`; in `y` alone the class
//! ends; the others are where `x + y = Qbu − Fbu` (a line) and where `Fbd + Ha(x) + Hb(y) = Qbd`
//! (a staircase). So a minimum lies: at an `x` of the first list, with `y` at its best (one convex
//! search); at a `y` of the second, with `x` at its best; on the line, along which `F` is convex;
//! or next to the staircase with `x` next to it too, both inside one class each, where `Ha` and
//! `Hb` are linear: stepping `x` by `d_b` (devices each on the `y` side) moves the staircase's `y`
//! by `d_a` exactly, so along each residue of `x` modulo `d_b` the points next to it are affine in
//! the step and `F` there is convex. Every case is a handful of convex searches.

use std::cell::Cell;

/// Members and own devices each of the classes on one side, the most devices first; each class
/// ends where the next begins.
#[derive(Debug, Clone, Default)]
pub(crate) struct Side {
    /// (members, devices each) per run of classes with the same devices each, the most first.
    runs: Vec<(u64, u64)>,
}

impl Side {
    /// Adds `members` people with `each` own devices (0 is read as 1, like the cut model's).
    pub(crate) fn add(&mut self, members: u64, each: u64) {
        let each = each.max(1);
        if members == 0 {
            return;
        }
        match self.runs.iter().position(|r| r.1 <= each) {
            Some(i) if self.runs[i].1 == each => self.runs[i].0 += members,
            Some(i) => self.runs.insert(i, (members, each)),
            None => self.runs.push((members, each)),
        }
    }

    /// Members on this side.
    pub(crate) fn members(&self) -> u64 {
        self.runs.iter().map(|r| r.0).sum()
    }

    /// Own devices left on Device CALs when the first `n` members (the most devices first) take
    /// User CALs.
    pub(crate) fn h(&self, mut n: u64) -> u64 {
        let mut left = 0;
        for &(m, d) in &self.runs {
            let take = m.min(n);
            n -= take;
            left += (m - take) * d;
        }
        left
    }

    /// The runs within `[lo, hi]`, clipped to it: (first member, last member, devices each),
    /// counting members from 0 in the order above.
    fn runs(&self, lo: u64, hi: u64) -> impl Iterator<Item = (u64, u64, u64)> + '_ {
        let mut at = 0;
        self.runs.iter().filter_map(move |&(m, d)| {
            let (a, b) = (at.max(lo), (at + m).min(hi));
            at += m;
            (a <= b).then_some((a, b, d))
        })
    }
}

/// What the fixed structure needs of each licence, what is owned and the prices: indexed base
/// User, base Device, additive User, additive Device CALs. A kind with no price is not on offer.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Pool {
    pub fixed: [u64; 4],
    pub owned: [u64; 4],
    pub price: [Option<i64>; 4],
}

/// What [`best_split`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Split {
    /// The least cost, `x` of the pair's people on User CALs (the rest on Device CALs) and `y` of
    /// the base's own people.
    Found(Best),
    /// Some must take a kind that is not on offer.
    Infeasible,
    /// The search would take more than its `work` cost evaluations (the caller proves the leaf
    /// another way).
    OutOfWork,
}

/// The least-cost split of both sides (see the module's documentation).
pub(crate) fn best_split(a: &Side, b: &Side, pool: &Pool, work: u64) -> Split {
    match split_within(a, b, pool, work) {
        Some(Some(best)) => Split::Found(best),
        Some(None) => Split::Infeasible,
        None => Split::OutOfWork,
    }
}

/// `Some(None)` when infeasible, `None` when out of work.
fn split_within(a: &Side, b: &Side, pool: &Pool, work: u64) -> Option<Option<Best>> {
    let [bu, bd, au, ad] = pool.price;
    let range = |users: bool, devices: bool, n: u64| match (users, devices) {
        (true, true) => Some((0, n)),
        (true, false) => Some((n, n)),
        (false, true) => Some((0, 0)),
        (false, false) => (n == 0).then_some((0, 0)),
    };
    let xs = range(
        bu.is_some() && au.is_some(),
        bd.is_some() && ad.is_some(),
        a.members(),
    );
    let ys = range(bu.is_some(), bd.is_some(), b.members());
    let (Some((xlo, xhi)), Some((ylo, yhi))) = (xs, ys) else {
        return Some(None);
    };
    let s = Search {
        a,
        b,
        pool,
        best: Cell::new(None),
        left: Cell::new(work),
    };
    s.run(xlo, xhi, ylo, yhi)?;
    Some(s.best.get())
}

/// The least cost found and where.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Best {
    pub x: u64,
    pub y: u64,
    pub cost: i128,
}

struct Search<'a> {
    a: &'a Side,
    b: &'a Side,
    pool: &'a Pool,
    best: Cell<Option<Best>>,
    /// Cost evaluations left.
    left: Cell<u64>,
}

impl Search<'_> {
    fn cost(&self, x: u64, y: u64) -> i128 {
        self.left.set(self.left.get().saturating_sub(1));
        let (ha, hb) = (self.a.h(x), self.b.h(y));
        let p = self.pool;
        let counts = [
            p.fixed[0] + x + y,
            p.fixed[1] + ha + hb,
            p.fixed[2] + x,
            p.fixed[3] + ha,
        ];
        let c: i128 = (counts.iter().zip(p.owned).zip(p.price))
            .map(|((&n, q), price)| {
                i128::from(n.saturating_sub(q)) * i128::from(price.unwrap_or(0).max(0))
            })
            .sum();
        if self.best.get().is_none_or(|b| c < b.cost) {
            self.best.set(Some(Best { x, y, cost: c }));
        }
        c
    }

    /// The least of `F` over `j` in `[lo, hi]` at the point `at(j)`, where it is convex in `j`.
    /// (`at` is a trait object: one copy of this search and of `convex_argmin` for every line.)
    fn along(&self, lo: u64, hi: u64, at: &dyn Fn(u64) -> (u64, u64)) -> Option<()> {
        if lo > hi {
            return Some(());
        }
        if self.left.get() == 0 {
            return None;
        }
        let j = super::convex_argmin(hi - lo, |j| {
            let (x, y) = at(lo + j);
            self.cost(x, y)
        });
        let (x, y) = at(lo + j);
        self.cost(x, y);
        Some(())
    }

    fn run(&self, xlo: u64, xhi: u64, ylo: u64, yhi: u64) -> Option<()> {
        let p = *self.pool;
        let (a, b) = (self.a, self.b);
        // x at a kink of its own: the range's ends, the class ends, the additive's owned User
        // CALs and owned Device CALs running out; y at its best.
        let mut xs = vec![xlo, xhi];
        xs.extend(a.runs(xlo, xhi).map(|r| r.1));
        if let Some(t) = p.owned[2].checked_sub(p.fixed[2]) {
            xs.push(t);
        }
        if let Some(t) = p.owned[3].checked_sub(p.fixed[3]) {
            xs.extend(crossing(a, t).into_iter().flatten());
        }
        for x in xs.into_iter().filter(|x| (xlo..=xhi).contains(x)) {
            self.along(ylo, yhi, &|y| (x, y))?;
        }
        // y at a kink of its own: the range's ends and the class ends; x at its best.
        let mut ys = vec![ylo, yhi];
        ys.extend(b.runs(ylo, yhi).map(|r| r.1));
        for y in ys {
            self.along(xlo, xhi, &|x| (x, y))?;
        }
        // On the line x + y = Qbu − Fbu.
        if let Some(t) = p.owned[0].checked_sub(p.fixed[0]) {
            let lo = ylo.max(t.saturating_sub(xhi));
            let hi = yhi.min(t.saturating_sub(xlo));
            if t >= xlo + lo {
                self.along(lo, hi, &|y| (t - y, y))?;
            }
        }
        // Next to the staircase Fbd + Ha(x) + Hb(y) = Qbd, x and y each inside one class.
        let room = i128::from(p.owned[1]) - i128::from(p.fixed[1]);
        for (x0, x1, da) in a.runs(xlo, xhi) {
            for (y0, y1, db) in b.runs(ylo, yhi) {
                // With x = x0 + t: the staircase's y is y0 + (Hb(y0) − room + Ha(x0) − da·t)/db,
                // below y0 for every t when that numerator starts below 0.
                let base = i128::from(b.h(y0)) + i128::from(a.h(x0)) - room;
                if base < 0 {
                    continue;
                }
                let base = u64::try_from(base).ok()?;
                let (span, step) = (db.checked_mul(y1 - y0)?, da.checked_mul(db)?);
                for r in 0..db.min(x1 - x0 + 1) {
                    // t = r + db·j: the numerator is num − step·j, the staircase's y
                    // y0 + (num − step·j)/db, between y0 and y1 for the steps j in [jlo, jhi].
                    let Some(num) = base.checked_sub(da.checked_mul(r)?) else {
                        break;
                    };
                    let jlo = num.saturating_sub(span).div_ceil(step);
                    let jhi = (num / step).min((x1 - x0 - r) / db);
                    for q in [num / db, num.div_ceil(db)] {
                        let at = |j: u64| (x0 + r + db * j, y0 + (q - da * j));
                        self.along(jlo, jhi, &at)?;
                    }
                }
            }
        }
        Some(())
    }
}

/// The integers next to where `h` falls to `t` on side `a` (it falls strictly: one place).
fn crossing(a: &Side, t: u64) -> Option<[u64; 2]> {
    a.runs(0, a.members()).find_map(|(x0, x1, d)| {
        let h0 = a.h(x0);
        (a.h(x1) <= t && t <= h0).then(|| [x0 + (h0 - t) / d, x0 + (h0 - t).div_ceil(d)])
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small deterministic generator (no dependency for a test).
    struct Rng(u64);
    impl Rng {
        fn next(&mut self, n: u64) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0 % n
        }
    }

    fn brute(a: &Side, b: &Side, pool: &Pool) -> Option<i128> {
        let s = Search {
            a,
            b,
            pool,
            best: Cell::new(None),
            left: Cell::new(u64::MAX),
        };
        let [bu, bd, au, ad] = pool.price;
        let mut best = None;
        for x in 0..=a.members() {
            for y in 0..=b.members() {
                let users_ok =
                    (x == 0 || (bu.is_some() && au.is_some())) && (y == 0 || bu.is_some());
                let devices_ok = (x == a.members() || (bd.is_some() && ad.is_some()))
                    && (y == b.members() || bd.is_some());
                if users_ok && devices_ok {
                    let c = s.cost(x, y);
                    best = Some(best.map_or(c, |b: i128| b.min(c)));
                }
            }
        }
        best
    }

    /// The split is the least over every (x, y), on small random cases where `F` is often not
    /// convex in `x` with `y` at its best.
    #[test]
    fn the_split_of_a_pair_is_the_least_over_every_count() {
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        for case in 0..20_000 {
            let mut side = |n: u64| -> Side {
                let k = rng.next(n + 1);
                let mut side = Side::default();
                for _ in 0..k {
                    side.add(rng.next(6), rng.next(5));
                }
                side
            };
            let (a, b) = (side(3), side(3));
            let prices = [50, 76, 100, 176, 7_600, 17_600];
            let mut price = [None; 4];
            for p in &mut price {
                if rng.next(12) != 0 {
                    *p = Some(prices[rng.next(6) as usize]);
                }
            }
            let mut fixed = [0; 4];
            let mut owned = [0; 4];
            for i in 0..4 {
                fixed[i] = if price[i].is_some() { rng.next(4) } else { 0 };
                owned[i] = rng.next(12);
            }
            let pool = Pool {
                fixed,
                owned,
                price,
            };
            let want = brute(&a, &b, &pool);
            let got = match best_split(&a, &b, &pool, u64::MAX) {
                Split::Found(b) => Some(b.cost),
                Split::Infeasible => None,
                Split::OutOfWork => panic!("case {case}: out of work"),
            };
            assert_eq!(got, want, "case {case}: {a:?} {b:?} {pool:?}");
        }
    }
}
