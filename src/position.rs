//! The Effective License Position (ELP): per product × licence kind × CAL version, what is needed
//! (from the optimiser's solution and each subject's required version), what is owned (holdings,
//! with Software Assurance version rights and suites counted as their contents), what is used,
//! the surplus, the shortfall and the cost to close it. The purchase recommendation is derived
//! from these rows, so the two can never disagree.
//!
//! Allocation (cal-rules §1.4, §1.5, §4.2 step 10): each owned licence is used once; a newer CAL
//! covers an older need, never the reverse. Needs are served newest first, each from the oldest
//! owned generation that still covers it, which uses owned licences as fully as possible for
//! nested version sets.

use crate::catalog::{self, ids, PriceOrigin};
use crate::estate::{CalProduct, Date, Estate, LicenceKind};
use crate::estate::{M365E3Rights, M365Plan, PurchaseChannel};
use crate::optimise::{ProductSolution, Solution};
use crate::report::{Explanation, PositionRow, PurchaseLine, SeatRow};
use crate::rules::{owned_by_rank, Demand, M365Seats, OwnedLot, ProductDemand};
use crate::vecmap::{VecMap, VecSet};
use std::collections::BTreeSet;

mod holders;
pub(crate) use holders::Subject;

/// The position and the purchase that closes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Position {
    pub rows: Vec<PositionRow>,
    /// The Microsoft 365 seats, per plan owned or flagged (empty from [`cost_only`]: they price
    /// nothing).
    pub seats: Vec<SeatRow>,
    pub lines: Vec<PurchaseLine>,
    /// Σ cost to close, at the prices in force (unknown prices count 0).
    pub total_minor: i64,
    /// The same purchase at the prices the optimiser used (a missing price replaced), to compare
    /// with the optimiser's bounds.
    pub solver_total_minor: i64,
    /// Owned licences of a generation older than the newest one a product needs were used: the
    /// optimiser did not see them, so a different user/device structure might have used them better.
    pub older_owned_used: bool,
    /// A need is short while owned CAL Suites' parts that could cover it lie idle: one suite
    /// licenses one person or device for all its parts, and the suites went to other holders
    /// ([`holders`]), chosen by a rule of thumb.
    pub suites_short: bool,
    /// Σ over the CAL rows of the idle owned CALs (less a suite's idle parts) × their
    /// generation: of two licensings at one cost, the one with the more here uses the older
    /// owned CALs where they fit and keeps the newer ones, which cover more, free (ELP review
    /// 42, M5: 20 Windows Server 2012 Device CALs lay idle, "older than the newest servers",
    /// while 2019 User CALs covered 20 people on a 2012 R2 server).
    pub idle_newness: i64,
    /// The rows and lines carry their explanations; false from [`cost_only`], whose `why`s are
    /// empty.
    pub explained: bool,
    /// Per (product, kind): whose needs owned CAL Suites' parts cover, with the suite's short
    /// name and how many; the product's User and Device CAL counts name them (review 45: "User
    /// CALs in the cheapest mix: Office staff 6" for six people holding owned suites).
    pub(crate) suite_covered: SuiteCovered,
}

/// Per (product, kind): (subject, suite's short name, how many) for the needs owned suites cover.
pub(crate) type SuiteCovered = VecMap<(CalProduct, LicenceKind), Vec<(Subject, &'static str, u64)>>;

/// `1234567` → `"1,234,567"`.
pub fn thousands(n: u64) -> String {
    let mut out = String::with_capacity(26);
    push_thousands(&mut out, n);
    out
}

/// Writes `n` with thousands separators, digit by digit: a report writes hundreds of amounts,
/// and `core::fmt` costs several thousand instructions each in the size-optimised build.
fn push_thousands(out: &mut String, n: u64) {
    let mut digits = [0u8; 20];
    let mut start = digits.len();
    let mut rest = n;
    loop {
        start -= 1;
        digits[start] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    let digits = &digits[start..];
    for (i, &d) in digits.iter().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(char::from(d));
    }
}

/// The ISO 4217 currency codes in use (List One, 2025, without precious metals, testing codes
/// and special drawing rights), sorted; kept with the codes replaced since 2021 (ANG, CUC, SLL,
/// ZWL) so that older files still read.
const ISO_4217: &str = "AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND \
BOB BOV BRL BSD BTN BWP BYN BZD CAD CDF CHE CHF CHW CLF CLP CNY COP COU CRC CUC CUP CVE CZK DJF \
DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR \
IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA \
MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR \
PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SLL SOS SRD SSP STN SVC SYP SZL THB \
TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD USN UYI UYU UYW UZS VED VES VND VUV WST XAF XCD XCG \
XOF XPF YER ZAR ZMW ZWG ZWL";

/// Whether `code` is an ISO 4217 currency code in use, in capitals ("USD", not "usd" or "XYZ").
pub fn is_currency(code: &str) -> bool {
    code.len() == 3
        && code.bytes().all(|b| b.is_ascii_uppercase())
        && ISO_4217.split_ascii_whitespace().any(|c| c == code)
}

/// How many minor units make a major unit of `currency` (ISO 4217): 0 for JPY, 3 for KWD, 2
/// for USD, EUR and any code not listed. The app reads typed prices and formats money with the
/// same figure, so an amount means the same in the forms, the report's texts and the CSV.
pub fn minor_digits(currency: &str) -> u32 {
    const NONE: [&str; 17] = [
        "BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "UYI", "VND",
        "VUV", "XAF", "XOF", "XPF",
    ];
    const THREE: [&str; 7] = ["BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"];
    const FOUR: [&str; 2] = ["CLF", "UYW"];
    // Compared in place, without an upper-case copy: every amount of a report's texts asks.
    let is = |list: &[&str]| list.iter().any(|c| c.eq_ignore_ascii_case(currency));
    if is(&NONE) {
        0
    } else if is(&THREE) {
        3
    } else if is(&FOUR) {
        4
    } else {
        2
    }
}

/// Minor units as money: `$1,234.50` for USD, `EUR 1,234.50`, `JPY 97,500`, `KWD 1,234.500`.
pub fn money(minor: i64, currency: &str) -> String {
    let abs = minor.unsigned_abs();
    let digits = minor_digits(currency);
    let scale = 10u64.pow(digits);
    let mut out = String::with_capacity(32);
    if minor < 0 {
        out.push('-');
    }
    if currency.eq_ignore_ascii_case("USD") {
        out.push('$');
    } else {
        out.push_str(currency);
        out.push(' ');
    }
    push_thousands(&mut out, abs / scale);
    if digits > 0 {
        out.push('.');
        // The fraction with its leading zeros: 5 cents is ".05".
        let mut fraction = abs % scale;
        let mut place = scale / 10;
        while place > 0 {
            out.push(char::from(b'0' + (fraction / place) as u8));
            fraction %= place;
            place /= 10;
        }
    }
    out
}

fn times(q: u64, unit: i64) -> i64 {
    i64::try_from(q).unwrap_or(i64::MAX).saturating_mul(unit)
}

/// The generation product `pd`'s External Connector on host unit `h` must be in `solution`: as
/// the base of an additive product's connector there (RDS, AD RMS), what that one's servers ask
/// too ([`ProductDemand::base_connector_rank`]; review 22b: on a host with a 2016 VM and a 2022
/// Essentials session host, a 2016 connector counted as the base of a 2022 RDS one).
fn connector_rank_in(demand: &Demand, pd: &ProductDemand, solution: &Solution, h: usize) -> u8 {
    (additive_connectors_on(demand, solution, pd.product, h).into_iter())
        .map(|p| pd.base_connector_rank(h, p))
        .max()
        .unwrap_or_else(|| pd.connector_rank(h))
}

/// The additive products (RDS, AD RMS) whose base is `base` and which have an External
/// Connector on host unit `h` in `solution`.
pub(crate) fn additive_connectors_on(
    demand: &Demand,
    solution: &Solution,
    base: CalProduct,
    h: usize,
) -> Vec<CalProduct> {
    (demand.instance.products.iter())
        .filter(|q| q.base == Some(base))
        .filter_map(|q| solution.products.iter().find(|s| s.product == q.product))
        .filter(|s| s.external_connector_hosts.contains(&h))
        .map(|s| s.product)
        .collect()
}

/// A count and whose it is: "420 Office staff", "1 own device of Managers" (review 45: "1 own
/// devices of Staff").
fn counted(n: u64, name: &str) -> String {
    match name.strip_prefix("own devices of ") {
        Some(of) if n == 1 => format!("1 own device of {of}"),
        _ => format!("{} {name}", thousands(n)),
    }
}

/// Who makes up a row's need, by kind and generation: each class's name with its count
/// ("420 Office staff", "180 own devices of Managers", "40 Warehouse terminals"), a name once
/// however many classes it was split into (ELP review 42, M2: a row said "310 needed" and not
/// whose).
type NeededBy = VecMap<(LicenceKind, u8), VecMap<String, u64>>;

/// One product's needs: per kind, per generation, how many.
type Needs = VecMap<LicenceKind, VecMap<u8, u64>>;

/// Needs of one product by kind and rank, from the solution (`ps` is its part for `pd`), and,
/// given `who`, whose they are.
fn needs_by_rank(
    demand: &Demand,
    pd: &ProductDemand,
    ps: &ProductSolution,
    solution: &Solution,
    who: Option<&mut NeededBy>,
) -> Needs {
    let mut out: Needs = VecMap::new();
    let rank_h = |h: usize| connector_rank_in(demand, pd, solution, h);
    let mut who = who;
    let mut add = |k: LicenceKind, r: u8, n: u64, name: Option<String>| {
        if n > 0 {
            *out.entry(k).or_default().entry(r).or_default() += n;
            if let (Some(who), Some(name)) = (who.as_deref_mut(), name) {
                *who.entry((k, r)).or_default().entry(name).or_default() += n;
            }
        }
    };
    let inst = &demand.instance;
    let person = |c: usize| inst.people.get(c).map(|p| p.label.clone());
    let mut users = 0u64;
    for (c, &n) in ps.user_cals_per_class.iter().enumerate() {
        add(
            LicenceKind::UserCal,
            pd.person_cal_rank(c),
            u64::from(n),
            person(c),
        );
        users += u64::from(n);
    }
    let mut devices = 0u64;
    for (c, &n) in ps.own_device_cals_per_class.iter().enumerate() {
        let each = inst
            .people
            .get(c)
            .map_or(1, |p| u64::from(p.own_devices.max(1)));
        add(
            LicenceKind::DeviceCal,
            pd.own_cal_rank(c),
            u64::from(n) * each,
            person(c).map(|name| format!("own devices of {name}")),
        );
        devices += u64::from(n) * each;
    }
    // A shared device's CAL must be as new as what its people reach from it, less those whose
    // own User CALs cover them (every person of the class holds one).
    let covered = |c: usize| {
        let people = demand.instance.people.get(c).map_or(0, |p| p.multiplicity);
        people > 0 && ps.user_cals_per_class.get(c).is_some_and(|&n| n >= people)
    };
    for (d, &n) in ps.device_cals_per_class.iter().enumerate() {
        add(
            LicenceKind::DeviceCal,
            pd.pool_cal_rank(d, covered),
            u64::from(n),
            inst.devices.get(d).map(|v| v.label.clone()),
        );
        devices += u64::from(n);
    }
    // Connector rows name their hosts themselves.
    let mut hosts = BTreeSet::new();
    for &h in &ps.external_connector_hosts {
        if hosts.insert(h) {
            add(LicenceKind::ExternalConnector, rank_h(h), 1, None);
        }
    }
    // Totals the per-class figures do not explain are placed at the newest generation needed.
    add(
        LicenceKind::UserCal,
        pd.max_rank,
        ps.user_cals.saturating_sub(users),
        None,
    );
    add(
        LicenceKind::DeviceCal,
        pd.max_rank,
        ps.device_cals.saturating_sub(devices),
        None,
    );
    add(
        LicenceKind::ExternalConnector,
        pd.max_rank,
        ps.external_connectors.saturating_sub(hosts.len() as u64),
        None,
    );
    out
}

struct Allocation {
    /// Per need rank: how many were covered by owned licences.
    covered: VecMap<u8, u64>,
    /// Per lot (index into the lot list): how many were used.
    consumed: Vec<u64>,
    /// Per (need rank, lot rank): how many needs of the first were covered by licences of the
    /// second (a newer CAL covers an older need).
    cover: VecMap<(u8, u8), u64>,
}

fn allocate(needs: &VecMap<u8, u64>, lots: &[&OwnedLot]) -> Allocation {
    allocate_from(needs, lots, lots.iter().map(|l| l.quantity).collect())
}

/// [`allocate`] with owned CAL Suites counted by their holders ([`holders`]): each suite's part
/// covers the needs `held` lists (its holders', at their generation) and no other, then the
/// separate CALs cover what is left.
fn allocate_held(
    needs: &VecMap<u8, u64>,
    lots: &[&OwnedLot],
    held: &[holders::Cover],
) -> Allocation {
    let mut rest = needs.clone();
    let mut consumed = vec![0u64; lots.len()];
    let mut covered: VecMap<u8, u64> = VecMap::new();
    let mut cover: VecMap<(u8, u8), u64> = VecMap::new();
    for &(holding, rank, _, n) in held {
        let Some(i) = (0..lots.len()).find(|&i| lots[i].from_suite() && lots[i].holding == holding)
        else {
            continue;
        };
        let want = rest.get(&rank).copied().unwrap_or(0);
        let take = n.min(lots[i].quantity - consumed[i]).min(want);
        if take == 0 || lots[i].rank < rank {
            continue;
        }
        consumed[i] += take;
        rest.insert(rank, want - take);
        *covered.entry(rank).or_default() += take;
        *cover.entry((rank, lots[i].rank)).or_default() += take;
    }
    // A suite's part left over covers no one else: it goes with its suite.
    let left = (lots.iter())
        .map(|l| if l.from_suite() { 0 } else { l.quantity })
        .collect();
    let rest = allocate_from(&rest, lots, left);
    for (i, n) in rest.consumed.iter().enumerate() {
        consumed[i] += n;
    }
    for (&rank, &n) in rest.covered.iter() {
        *covered.entry(rank).or_default() += n;
    }
    for (&key, &n) in rest.cover.iter() {
        *cover.entry(key).or_default() += n;
    }
    Allocation {
        covered,
        consumed,
        cover,
    }
}

/// [`allocate`] with `left` of each lot to give.
fn allocate_from(needs: &VecMap<u8, u64>, lots: &[&OwnedLot], mut left: Vec<u64>) -> Allocation {
    let mut consumed = vec![0u64; lots.len()];
    let mut order: Vec<usize> = (0..lots.len()).collect();
    // The oldest sufficient first and, of one version, separate CALs before a CAL Suite's
    // contents: the position counts a product's needs apart from the others', so it cannot tell
    // whether the people a suite would cover here are those it covers for its other products
    // (review 43, H2: suites' contents used first left the separate CALs the Exchange-only
    // people needed reported as free surplus). What is left of the suites' is said to go with
    // them (`suite_surplus`), the reading that never offers a needed CAL for redeployment.
    crate::sort::sort_by_key(&mut order, |&i| (lots[i].rank, lots[i].from_suite()));
    let mut covered = VecMap::new();
    let mut cover = VecMap::new();
    for (&rank, &n) in needs.iter().rev() {
        let mut want = n;
        for &i in &order {
            if want == 0 {
                break;
            }
            if lots[i].rank < rank {
                continue;
            }
            let take = want.min(left[i]);
            left[i] -= take;
            consumed[i] += take;
            want -= take;
            if take > 0 {
                *cover.entry((rank, lots[i].rank)).or_default() += take;
            }
        }
        covered.insert(rank, n - want);
    }
    Allocation {
        covered,
        consumed,
        cover,
    }
}

/// Who would hold the owned User CAL Suites under `solution`: (person class, how many of its
/// members, the indices of the products whose needs the suite's parts cover for them, the
/// suite), one entry per suite holding and class. For a licensing that gives every person User
/// CALs, these are the holders whose needs the suites cover that separate CALs cannot
/// ([`holders`]).
pub(crate) fn user_suite_holders(
    demand: &Demand,
    estate: &Estate,
    solution: &Solution,
) -> Vec<(usize, u32, Vec<usize>, CalProduct)> {
    let owned = owned_by_rank(estate, demand.today);
    let needs: Vec<Needs> = (demand.products.iter())
        .map(|pd| {
            (solution.products.iter())
                .find(|s| s.product == pd.product)
                .map(|ps| needs_by_rank(demand, pd, ps, solution, None))
                .unwrap_or_default()
        })
        .collect();
    let held = holders::assign(demand, solution, &owned, &needs);
    let mut out = Vec::new();
    for (&holding, by) in held.holders.iter() {
        let Some(h) = estate.holdings.get(holding) else {
            continue;
        };
        if h.kind != LicenceKind::UserCal {
            continue;
        }
        for &(subject, n) in by {
            let Subject::Person(c) = subject else {
                continue;
            };
            let covered = suite_parts_for(demand, &owned, holding, c);
            if let Ok(n) = u32::try_from(n) {
                out.push((c, n, covered, h.product));
            }
        }
    }
    out
}

/// The indices of the products whose part of the owned suite `holding` is new enough for person
/// class `c`'s need of it.
pub(crate) fn suite_parts_for(
    demand: &Demand,
    owned: &VecMap<CalProduct, Vec<OwnedLot>>,
    holding: usize,
    c: usize,
) -> Vec<usize> {
    (demand.products.iter().enumerate())
        .filter(|(_, pd)| {
            (owned.get(&pd.product).into_iter().flatten())
                .any(|l| l.holding == holding && l.from_suite() && l.rank >= pd.person_cal_rank(c))
        })
        .map(|(i, _)| i)
        .collect()
}

/// The needs of `product`'s `kind` at generation `rank` owned suites cover, by holder: "30
/// Intranet staff holding Core CAL Suites".
fn held_at(
    held: &holders::Holders,
    demand: &Demand,
    estate: &Estate,
    product: CalProduct,
    kind: LicenceKind,
    rank: u8,
) -> Vec<String> {
    // One entry per holder and kind of suite, however many holdings (frozen and current
    // suites of one kind are one "Core CAL Suites" here).
    let mut by: Vec<(String, &str, u64)> = Vec::new();
    for &(holding, r, subject, n) in held.covers.get(&(product, kind)).into_iter().flatten() {
        if r != rank || n == 0 {
            continue;
        }
        let name = holders::subject_name(demand, subject);
        let label = holders::suite_label(estate, holding);
        match by.iter_mut().find(|b| b.0 == name && b.1 == label) {
            Some(b) => b.2 += n,
            None => by.push((name, label, n)),
        }
    }
    (by.into_iter())
        .map(|(name, label, n)| format!("{} holding {label}s", counted(n, &name)))
        .collect()
}

/// Who holds the owned suites of `kind`: "30 Core CAL Suites held by 30 Intranet staff".
fn suites_held(
    held: &holders::Holders,
    demand: &Demand,
    estate: &Estate,
    kind: LicenceKind,
) -> String {
    let mut each: Vec<String> = Vec::new();
    for (&holding, by) in held.holders.iter() {
        let Some(h) = estate.holdings.get(holding).filter(|h| h.kind == kind) else {
            continue;
        };
        let given: u64 = by.iter().map(|b| b.1).sum();
        let names: Vec<String> = (by.iter())
            .map(|&(s, n)| counted(n, &holders::subject_name(demand, s)))
            .collect();
        let q = u64::from(h.quantity);
        let label = format!(
            "{}{}",
            catalog::short_name(h.product),
            if q == 1 { "" } else { "s" }
        );
        each.push(if names.is_empty() {
            format!("{} {label} held by no one who needs them", thousands(q))
        } else if given < q {
            format!(
                "{} {label} held by {} ({} with no holder who needs them)",
                thousands(q),
                crate::engine::short_list(&names),
                thousands(q - given)
            )
        } else {
            format!(
                "{} {label} held by {}",
                thousands(q),
                crate::engine::short_list(&names)
            )
        });
    }
    each.join("; ")
}

/// What a CAL Suite's row says (`suite_row_why`).
struct SuiteRow<'a> {
    demand: &'a Demand,
    solution: &'a Solution,
    /// The suites the licensing takes beyond those owned, if any.
    bought: Option<&'a crate::optimise::SuiteSolution>,
    suite: CalProduct,
    kind: LicenceKind,
    owned: u64,
    /// Of the owned, how many have a holder who needs them.
    held: u64,
    /// The holders by name, with how many each.
    by: &'a mut Vec<(String, u64)>,
    /// The products whose part the holders use.
    used_parts: &'a [CalProduct],
    /// The products needed whose part the owned suites give only older than any need of them.
    frozen_parts: &'a [CalProduct],
    currency: &'a str,
}

/// Who holds a suite of `kind`, for "the one … holds it".
fn holder(kind: LicenceKind) -> &'static str {
    if kind == LicenceKind::UserCal {
        "person who"
    } else {
        "device that"
    }
}

/// A CAL Suite's row: the owned ones, who holds them and what they cover, those idle, and those
/// to buy, for whom and against what (why review 24).
fn suite_row_why(f: SuiteRow) -> Explanation {
    let demand = f.demand;
    let mut rules = vec![
        ids::POSITION_ELP.to_string(),
        if f.suite == CalProduct::CoreCalSuite {
            ids::SUITE_CORE.into()
        } else {
            ids::SUITE_ENTERPRISE.into()
        },
        ids::SUITE_VERSION_LESS.into(),
    ];
    // The contents this estate needs: a suite's other CALs replace nothing here (review 19:
    // Skype and AD RMS were named where neither was used).
    let needed = |c: CalProduct| {
        demand
            .products
            .iter()
            .any(|pd| pd.product == c && !(pd.person_rank.is_empty() && pd.device_rank.is_empty()))
    };
    let mut contents: Vec<&str> = catalog::suite_contents(f.suite)
        .iter()
        .filter(|&&c| needed(c))
        .map(|c| catalog::label(*c))
        .collect();
    if contents.is_empty() {
        contents = catalog::suite_contents(f.suite)
            .iter()
            .map(|c| catalog::label(*c))
            .collect();
    }
    let mut parts: Vec<String> = Vec::new();
    if f.owned > 0 {
        rules.push(ids::SUITE_NOT_SPLIT.into());
        crate::sort::sort_by(f.by, |a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let names: Vec<String> = (f.by.iter()).map(|(name, n)| counted(*n, name)).collect();
        let mut owned = format!(
            "{} owned {}",
            thousands(f.owned),
            catalog::licence_name(f.suite, "", f.kind, f.owned)
        );
        let short_names = |ps: &[CalProduct]| -> Vec<&str> {
            ps.iter().map(|&c| catalog::short_name(c)).collect()
        };
        if f.held > 0 {
            owned.push_str(&format!(
                ", {} held by {}: a suite licenses the one {} holds it for all its parts, and the parts they use count as owned CALs on the {} {}",
                thousands(f.held),
                crate::engine::short_list(&names),
                holder(f.kind),
                crate::findings::list_all(&short_names(f.used_parts)),
                if f.used_parts.len() == 1 { "row" } else { "rows" },
            ));
        }
        if !f.frozen_parts.is_empty() {
            owned.push_str(&format!(
                "; their {} {} frozen at versions older than the servers that need {} (Software Assurance ended), so {} no one here",
                crate::findings::list_all(&short_names(f.frozen_parts)),
                if f.frozen_parts.len() == 1 { "part is" } else { "parts are" },
                if f.frozen_parts.len() == 1 { "it" } else { "them" },
                if f.frozen_parts.len() == 1 { "it covers" } else { "they cover" },
            ));
        }
        if f.owned > f.held {
            owned.push_str(&format!(
                "; {} not used: in the licensing found, giving {} to anyone would not lower what is bought",
                thousands(f.owned - f.held),
                if f.owned - f.held == 1 { "it" } else { "them" },
            ));
        }
        parts.push(owned);
    }
    if let Some(s) = f.bought.filter(|s| s.count > 0) {
        let (they, are, replace) = if s.count == 1 {
            ("it", "is", "replaces")
        } else {
            ("they", "are", "replace")
        };
        let text = match crate::engine::suite_holders_text(demand, f.solution, s, f.currency) {
            Some(holders) => format!(
                "{} {} {holders}; {they} {are} cheaper than the separate CALs {they} {replace} ({})",
                thousands(s.count),
                catalog::licence_name(s.suite, "", s.kind, s.count),
                contents.join(", ")
            ),
            None => format!(
                "{} {} {are} cheaper than the separate CALs {they} {replace} ({})",
                thousands(s.count),
                catalog::licence_name(s.suite, "", s.kind, s.count),
                contents.join(", ")
            ),
        };
        parts.push(if f.owned > 0 {
            format!("to buy: {text}")
        } else {
            text
        });
    }
    Explanation {
        rules,
        text: parts.join("; "),
    }
}

/// The host unit an owned External Connector is assigned to, if any and known.
pub fn assigned_unit(demand: &Demand, estate: &Estate, lot: &OwnedLot) -> Option<usize> {
    crate::rules::assigned_unit(estate, &demand.instance.hosts, &demand.server_unit, lot)
}

/// External Connectors are per host: a Connector assigned to one host covers only that host
/// (it is reassigned only long-term); unassigned ones cover any. Hosts are served newest need
/// first, from their own Connectors, then from unassigned ones, oldest sufficient version first.
/// Needs the solution does not place on a host (`extra`, per rank) take unassigned Connectors.
fn allocate_connectors(
    hosts: &[(usize, u8)],
    lots: &[&OwnedLot],
    assigned: &[Option<usize>],
    needs: &VecMap<u8, u64>,
) -> Allocation {
    let mut left: Vec<u64> = lots.iter().map(|l| l.quantity).collect();
    let mut consumed = vec![0u64; lots.len()];
    let mut order: Vec<usize> = (0..lots.len()).collect();
    crate::sort::sort_by_key(&mut order, |&i| lots.get(i).map_or(0, |l| l.rank));
    let mut covered: VecMap<u8, u64> = VecMap::new();
    let mut cover: VecMap<(u8, u8), u64> = VecMap::new();
    let mut placed: VecMap<u8, u64> = VecMap::new();
    let mut hosts = hosts.to_vec();
    crate::sort::sort_by_key(&mut hosts, |&(_, r)| std::cmp::Reverse(r));
    let take = |want_unit: Option<usize>,
                rank: u8,
                left: &mut Vec<u64>,
                consumed: &mut Vec<u64>|
     -> Option<u8> {
        for pass in 0..2 {
            for &i in &order {
                let ok_rank = lots.get(i).is_some_and(|l| l.rank >= rank);
                let a = assigned.get(i).copied().flatten();
                let ok_host = match pass {
                    0 => want_unit.is_some() && a == want_unit,
                    _ => a.is_none(),
                };
                if ok_rank && ok_host && left.get(i).copied().unwrap_or(0) > 0 {
                    left[i] -= 1;
                    consumed[i] += 1;
                    return lots.get(i).map(|l| l.rank);
                }
            }
        }
        None
    };
    for &(unit, rank) in &hosts {
        *placed.entry(rank).or_default() += 1;
        if let Some(from) = take(Some(unit), rank, &mut left, &mut consumed) {
            *covered.entry(rank).or_default() += 1;
            *cover.entry((rank, from)).or_default() += 1;
        }
    }
    // Needs without a host (totals the per-host list does not explain).
    for (&rank, &n) in needs.iter().rev() {
        let extra = n.saturating_sub(placed.get(&rank).copied().unwrap_or(0));
        for _ in 0..extra {
            if let Some(from) = take(None, rank, &mut left, &mut consumed) {
                *covered.entry(rank).or_default() += 1;
                *cover.entry((rank, from)).or_default() += 1;
            }
        }
    }
    Allocation {
        covered,
        consumed,
        cover,
    }
}

/// Computes the position for a solution of `demand`'s instance.
pub fn compute(demand: &Demand, estate: &Estate, solution: &Solution) -> Position {
    compute_with(demand, estate, solution, true)
}

/// The same figures as [`compute`], without the explanations: for the searches that price many
/// licensings to keep one (robustness review 21: the polish priced 1,932 positions per
/// keystroke, and formatting their sentences was 40 % of the time).
pub fn cost_only(demand: &Demand, estate: &Estate, solution: &Solution) -> Position {
    compute_with(demand, estate, solution, false)
}

fn compute_with(demand: &Demand, estate: &Estate, solution: &Solution, explain: bool) -> Position {
    let server_names = estate.server_names();
    let currency = estate.organisation.currency.as_str();
    let owned = owned_by_rank(estate, demand.today);
    let mut rows = Vec::new();
    let mut solver_total = 0i64;
    let mut older_owned_used = false;
    let kinds = [
        LicenceKind::UserCal,
        LicenceKind::DeviceCal,
        LicenceKind::ExternalConnector,
    ];
    // Products with demand, then products only owned (shown as surplus).
    let mut seen = VecSet::new();
    // Every product's needs first: who holds the owned suites depends on all of them.
    let mut all_needs: Vec<Needs> = Vec::with_capacity(demand.products.len());
    let mut all_who: Vec<NeededBy> = Vec::with_capacity(demand.products.len());
    for pd in &demand.products {
        let blank = ProductSolution::none(pd.product);
        let ps = (solution.products.iter())
            .find(|s| s.product == pd.product)
            .unwrap_or(&blank);
        let mut who = NeededBy::new();
        all_needs.push(needs_by_rank(
            demand,
            pd,
            ps,
            solution,
            explain.then_some(&mut who),
        ));
        all_who.push(who);
    }
    let held = holders::assign(demand, solution, &owned, &all_needs);
    let mut suites_short = false;
    let mut idle_newness = 0i64;
    for (pi, pd) in demand.products.iter().enumerate() {
        seen.insert(pd.product);
        let blank = ProductSolution::none(pd.product);
        let ps = (solution.products.iter())
            .find(|s| s.product == pd.product)
            .unwrap_or(&blank);
        let (needs, who) = (&all_needs[pi], &all_who[pi]);
        let lots = owned.get(&pd.product).cloned().unwrap_or_default();
        let solver_prices = demand.instance.products.get(pi).map(|p| p.prices);
        for kind in kinds {
            let kind_needs = needs.get(&kind).cloned().unwrap_or_default();
            let kind_lots: Vec<&OwnedLot> = lots.iter().filter(|l| l.kind == kind).collect();
            if kind_needs.is_empty() && kind_lots.is_empty() {
                continue;
            }
            let mut idle_assigned: VecMap<String, (u8, u64)> = VecMap::new();
            // The hosts needing a connector, with the version they need it at, by name (ELP
            // review 42: "2019 External Connectors: 1 needed" named no host).
            let mut connector_hosts: Vec<(u8, String)> = Vec::new();
            let alloc = if kind == LicenceKind::ExternalConnector {
                let hosts: Vec<(usize, u8)> = ps
                    .external_connector_hosts
                    .iter()
                    .copied()
                    .collect::<BTreeSet<usize>>()
                    .into_iter()
                    .map(|h| (h, connector_rank_in(demand, pd, solution, h)))
                    .collect();
                if explain {
                    connector_hosts = (hosts.iter())
                        .filter_map(|&(h, r)| {
                            let unit = demand.instance.hosts.get(h)?;
                            Some((r, server_names.name(&unit.label)))
                        })
                        .collect();
                }
                let assigned: Vec<Option<usize>> = kind_lots
                    .iter()
                    .map(|l| assigned_unit(demand, estate, l))
                    .collect();
                let alloc = allocate_connectors(&hosts, &kind_lots, &assigned, &kind_needs);
                // Connectors idle on the host they are assigned to: name it in the row's why.
                for (i, l) in kind_lots.iter().enumerate().filter(|_| explain) {
                    let idle = l.quantity.saturating_sub(alloc.consumed[i]);
                    let host = assigned[i]
                        .and_then(|u| demand.instance.hosts.get(u))
                        .map(|u| server_names.name(&u.label));
                    if let (Some(host), true) = (host, idle > 0) {
                        let e = idle_assigned.entry(host).or_insert((l.rank, 0));
                        e.1 += idle;
                    }
                }
                alloc
            } else if held.any() {
                let covers = held.covers.get(&(pd.product, kind));
                allocate_held(&kind_needs, &kind_lots, covers.map_or(&[], |c| c))
            } else {
                allocate(&kind_needs, &kind_lots)
            };
            // The newest generation of a suite's part left over where its holders did not
            // need it: a need it would cover, counted apart from the other parts, is short.
            let idle_part = (0..kind_lots.len())
                .filter(|&i| kind_lots[i].from_suite() && alloc.consumed[i] < kind_lots[i].quantity)
                .map(|i| kind_lots[i].rank)
                .max();
            let short_for_suites = |rank: u8| {
                idle_part.is_some_and(|r| r >= rank)
                    && kind != LicenceKind::ExternalConnector
                    && kind_needs.get(&rank).copied().unwrap_or(0)
                        > alloc.covered.get(&rank).copied().unwrap_or(0)
            };
            for (i, l) in kind_lots.iter().enumerate() {
                if l.rank < pd.max_rank && alloc.consumed[i] > 0 {
                    older_owned_used = true;
                }
            }
            let solver_unit = solver_prices
                .and_then(|p| match kind {
                    LicenceKind::UserCal => p.user_cal,
                    LicenceKind::DeviceCal => p.device_cal,
                    _ => p.external_connector,
                })
                .unwrap_or(0);
            let ranks: VecSet<u8> = kind_needs
                .keys()
                .copied()
                .chain(kind_lots.iter().map(|l| l.rank))
                .collect();
            for rank in ranks.into_iter().rev() {
                let needed = kind_needs.get(&rank).copied().unwrap_or(0);
                let covered = alloc.covered.get(&rank).copied().unwrap_or(0);
                let at_rank: Vec<usize> = (0..kind_lots.len())
                    .filter(|&i| kind_lots[i].rank == rank)
                    .collect();
                let owned_n: u64 = at_rank.iter().map(|&i| kind_lots[i].quantity).sum();
                let consumed: u64 = at_rank.iter().map(|&i| alloc.consumed[i]).sum();
                let shortfall = needed - covered;
                let surplus = owned_n - consumed;
                let suites_elsewhere = shortfall > 0 && short_for_suites(rank);
                suites_short |= suites_elsewhere;
                let suite_surplus: u64 = (at_rank.iter())
                    .filter(|&&i| kind_lots[i].from_suite())
                    .map(|&i| kind_lots[i].quantity.saturating_sub(alloc.consumed[i]))
                    .sum::<u64>()
                    .min(surplus);
                if kind != LicenceKind::ExternalConnector {
                    let idle = i64::try_from(surplus - suite_surplus).unwrap_or(i64::MAX);
                    idle_newness =
                        idle_newness.saturating_add(idle.saturating_mul(i64::from(rank)));
                }
                let unit = demand.prices.get(pd.product, kind);
                // Said of every row with no price, not only one with a shortfall to price: a
                // surplus row's unit of 0 read as a price of $0.00 (licensing review 41).
                let price_missing = unit.is_none();
                let unit_minor = unit.unwrap_or(0);
                solver_total = solver_total.saturating_add(times(shortfall, solver_unit));
                // Rank 0 is an owned suite frozen before the family's first catalogued CAL.
                let version = catalog::cal_version_label(pd.family, rank).to_string();
                // The sentences only for the licensing shown (`cost_only` prices the searches').
                let why = if explain {
                    let from_newer: Vec<(&str, u64)> = alloc
                        .cover
                        .iter()
                        .filter(|(&(need, from), _)| need == rank && from != rank)
                        .map(|(&(_, from), &n)| (pd.version_name(from), n))
                        .collect();
                    let for_older: Vec<(&str, u64)> = alloc
                        .cover
                        .iter()
                        .filter(|(&(need, from), _)| from == rank && need != rank)
                        .map(|(&(need, _), &n)| (pd.version_name(need), n))
                        .collect();
                    row_explanation(RowFacts {
                        product: pd.product,
                        kind,
                        version: &version,
                        needed,
                        covered,
                        shortfall,
                        surplus,
                        consumed,
                        from_newer: &from_newer,
                        for_older: &for_older,
                        lots: &kind_lots,
                        idle_assigned: &idle_assigned
                            .iter()
                            .filter(|(_, &(r, _))| r == rank)
                            .map(|(h, &(_, n))| (h.as_str(), n))
                            .collect::<Vec<_>>(),
                        per_vm: pd.rules.contains(ids::EC_PER_VM_READING),
                        suite_surplus,
                        held_by: &held_at(&held, demand, estate, pd.product, kind, rank),
                        suites_elsewhere: if suites_elsewhere {
                            suites_held(&held, demand, estate, kind)
                        } else {
                            String::new()
                        },
                        who: &who
                            .get(&(kind, rank))
                            .map(|by| {
                                // The most first, as the purchase lines list them.
                                let mut by: Vec<(&String, &u64)> = by.iter().collect();
                                crate::sort::sort_by(&mut by, |a, b| {
                                    b.1.cmp(a.1).then_with(|| a.0.cmp(b.0))
                                });
                                by.into_iter()
                                    // The count first: "180 own devices of Managers with
                                    // Microsoft 365 E3 (60 Microsoft 365 E3)" (review 43: after
                                    // the name, "(60 …) 180" read as 60 of the 180).
                                    .map(|(name, &n)| counted(n, name))
                                    .collect::<Vec<_>>()
                            })
                            .unwrap_or_default(),
                        connector_hosts: &connector_hosts
                            .iter()
                            .filter(|(r, _)| *r == rank)
                            .map(|(_, h)| h.as_str())
                            .collect::<Vec<_>>(),
                        rank_needed_max: if kind == LicenceKind::ExternalConnector {
                            // The newest host external users reach, not the product's newest
                            // server (ELP review 22: a 2022 connector read "older than the
                            // newest servers" for partners on a 2019 session host).
                            pd.host_rank.values().copied().max().unwrap_or(0)
                        } else {
                            pd.max_rank
                        },
                        sa_trace: &kind_lots
                            .iter()
                            .filter(|l| l.rank == rank)
                            .filter_map(|l| sa_trace(estate, pd, l, demand.today))
                            .collect::<Vec<_>>(),
                        connectors_replace_nothing: kind == LicenceKind::ExternalConnector
                            && surplus > 0
                            && connectors_replace_nothing(demand, pd, solution),
                        base_devices: (kind == LicenceKind::UserCal && surplus > 0)
                            .then(|| {
                                crate::engine::base_of_additive_devices(
                                    demand, solution, pd.product,
                                )
                            })
                            .filter(|(n, _)| *n > 0)
                            .map(|(n, by)| (n, crate::engine::additive_device_cals(&by))),
                        rank,
                        unit: unit_minor,
                        price_missing,
                        origin: demand.prices.origin(pd.product, kind),
                        currency,
                    })
                } else {
                    Explanation::default()
                };
                rows.push(PositionRow {
                    product: pd.product,
                    kind,
                    version,
                    needed,
                    covered,
                    owned: owned_n,
                    used: consumed,
                    surplus,
                    shortfall,
                    unit_minor,
                    cost_to_close_minor: times(shortfall, unit_minor),
                    why,
                    price_missing,
                    price_origin: Some(demand.prices.origin(pd.product, kind)),
                    surplus_in_suites: suite_surplus,
                });
            }
        }
    }
    // Owned licences of products nobody needs: all surplus.
    for (product, lots) in &owned {
        if seen.contains(product) {
            continue;
        }
        let Some(fam) = catalog::product(*product).family else {
            continue;
        };
        let mut by: VecMap<(LicenceKind, u8), u64> = VecMap::new();
        let mut from_suites: VecMap<(LicenceKind, u8), u64> = VecMap::new();
        for l in lots {
            *by.entry((l.kind, l.rank)).or_default() += l.quantity;
            if l.from_suite() {
                *from_suites.entry((l.kind, l.rank)).or_default() += l.quantity;
            }
        }
        for ((kind, rank), q) in by.into_iter().rev() {
            // A suite's contents nobody needs are no CALs of this product on the licence
            // statement (ELP review 42, H1: "Owned 40" SharePoint CALs where none was bought).
            let suites = from_suites.get(&(kind, rank)).copied().unwrap_or(0);
            let (suites_text, suite_rules) = if suites > 0 {
                (
                    format!(
                        " ({} of them the contents of owned CAL Suites, which go with their suite)",
                        thousands(suites)
                    ),
                    vec![ids::SUITE_NOT_SPLIT.into()],
                )
            } else {
                (String::new(), Vec::new())
            };
            let version = catalog::cal_version_label(fam, rank).to_string();
            let unit = demand.prices.get(*product, kind);
            rows.push(PositionRow {
                product: *product,
                kind,
                version: version.clone(),
                needed: 0,
                covered: 0,
                owned: q,
                used: 0,
                surplus: q,
                shortfall: 0,
                unit_minor: unit.unwrap_or(0),
                cost_to_close_minor: 0,
                why: Explanation {
                    rules: [vec![ids::POSITION_ELP.into()], suite_rules].concat(),
                    text: format!(
                        "{} owned {}{suites_text}; nothing in the estate needs them",
                        thousands(q),
                        catalog::licence_name(*product, &version, kind, q)
                    ),
                },
                price_missing: unit.is_none(),
                price_origin: Some(demand.prices.origin(*product, kind)),
                surplus_in_suites: suites,
            });
        }
    }
    // One row per CAL Suite and kind, owned or to buy: the licence statement's line (ELP review
    // 42, review 43 M2: an auditor ticks each owned line, and the owned suites were only inside
    // the product rows' owned figures). Owned suites count on the product rows too, as the
    // parts their holders use; here: how many are held, how many lie idle, and what to buy.
    let mut suite_rows: Vec<(CalProduct, LicenceKind)> = Vec::new();
    for key in (estate.holdings.iter())
        .filter(|h| catalog::is_suite(h.product) && h.quantity > 0)
        .filter(|h| matches!(h.kind, LicenceKind::UserCal | LicenceKind::DeviceCal))
        .map(|h| (h.product, h.kind))
        .chain(
            (solution.suites.iter())
                .filter(|s| s.count > 0 || s.buy > 0)
                .map(|s| (s.suite, s.kind)),
        )
    {
        if !suite_rows.contains(&key) {
            suite_rows.push(key);
        }
    }
    for (suite, kind) in suite_rows {
        let bought = solution
            .suites
            .iter()
            .find(|s| s.suite == suite && s.kind == kind);
        let (count, buy) = bought.map_or((0, 0), |s| (s.count, s.buy.min(s.count)));
        let unit = demand.prices.get(suite, kind);
        let solver_unit = demand
            .instance
            .suites
            .iter()
            .find(|o| o.suite == suite)
            .and_then(|o| match kind {
                LicenceKind::DeviceCal => o.device_price,
                _ => o.user_price,
            })
            .unwrap_or(0);
        solver_total = solver_total.saturating_add(times(buy, solver_unit));
        let unit_minor = unit.unwrap_or(0);
        let holdings: Vec<usize> = (0..estate.holdings.len())
            .filter(|&i| estate.holdings[i].product == suite && estate.holdings[i].kind == kind)
            .collect();
        let owned_q: u64 = (holdings.iter())
            .map(|&i| u64::from(estate.holdings[i].quantity))
            .sum();
        // Who holds the owned ones, by name, the most first.
        let mut by: Vec<(String, u64)> = Vec::new();
        for &i in &holdings {
            for &(subject, n) in held.holders.get(&i).into_iter().flatten() {
                let name = holders::subject_name(demand, subject);
                match by.iter_mut().find(|b| b.0 == name) {
                    Some(b) => b.1 += n,
                    None => by.push((name, n)),
                }
            }
        }
        let held_q: u64 = by.iter().map(|b| b.1).sum::<u64>().min(owned_q);
        // The parts the holders use, and the parts the estate needs that the owned suites give
        // only at versions older than every need of them (review 45: the row said a frozen
        // Windows Server part counted on the Windows Server row, which showed it unused).
        let mut used_parts: Vec<CalProduct> = Vec::new();
        let mut frozen_parts: Vec<CalProduct> = Vec::new();
        for pd in &demand.products {
            let covers = held.covers.get(&(pd.product, kind));
            if covers.is_some_and(|c| c.iter().any(|c| holdings.contains(&c.0) && c.3 > 0)) {
                used_parts.push(pd.product);
            }
            let least = (pd.person_rank.values().chain(pd.device_rank.values())).min();
            let lots: Vec<&OwnedLot> = (owned.get(&pd.product).into_iter().flatten())
                .filter(|l| l.kind == kind && holdings.contains(&l.holding) && l.quantity > 0)
                .collect();
            if least.is_some_and(|&least| !lots.is_empty() && lots.iter().all(|l| l.rank < least)) {
                frozen_parts.push(pd.product);
            }
        }
        let why = if explain {
            suite_row_why(SuiteRow {
                demand,
                solution,
                bought,
                suite,
                kind,
                owned: owned_q,
                held: held_q,
                by: &mut by,
                used_parts: &used_parts,
                frozen_parts: &frozen_parts,
                currency,
            })
        } else {
            Explanation::default()
        };
        rows.push(PositionRow {
            product: suite,
            kind,
            version: String::new(),
            needed: held_q + count,
            covered: held_q + count - buy,
            owned: owned_q,
            used: held_q,
            surplus: owned_q - held_q,
            shortfall: buy,
            unit_minor,
            cost_to_close_minor: times(buy, unit_minor),
            why,
            price_missing: unit.is_none() && buy > 0,
            price_origin: Some(demand.prices.origin(suite, kind)),
            surplus_in_suites: 0,
        });
    }

    let (lines, total_minor) = purchase_lines(&rows, demand, currency, explain);
    let seats = if explain {
        demand
            .m365_seats
            .iter()
            .map(|m| seat_row(m, estate))
            .collect()
    } else {
        Vec::new()
    };
    Position {
        rows,
        seats,
        lines,
        total_minor,
        solver_total_minor: solver_total,
        older_owned_used,
        suites_short,
        idle_newness,
        explained: explain,
        suite_covered: suite_covered(&held, estate),
    }
}

/// What owned suites cover, per (product, kind) and subject, whatever the rank.
fn suite_covered(held: &holders::Holders, estate: &Estate) -> SuiteCovered {
    let mut out = SuiteCovered::new();
    for (&key, covers) in held.covers.iter() {
        let mut by: Vec<(Subject, &'static str, u64)> = Vec::new();
        for &(holding, _, subject, n) in covers {
            let label = holders::suite_label(estate, holding);
            match by.iter_mut().find(|b| b.0 == subject && b.1 == label) {
                Some(b) => b.2 += n,
                None => by.push((subject, label, n)),
            }
        }
        by.retain(|b| b.2 > 0);
        if !by.is_empty() {
            out.insert(key, by);
        }
    }
    out
}

/// A Microsoft 365 plan's seat row, from the figures the demand decided (`m`): who the classes
/// seat is not decided again here.
fn seat_row(m: &M365Seats, estate: &Estate) -> SeatRow {
    let owned = if m.stated > 0 { m.stated } else { m.flagged };
    let unseated = m.flagged.saturating_sub(m.seated);
    // A seat is held by a person it seats, or by no one: external users flagged hold none here
    // (diff review 24: 100 seats, 90 staff and 15 partners flagged showed no seat unused where
    // 10 license nobody). Withheld, the seats are held by the people flagged, but not as CALs.
    let unused = if m.withheld {
        owned.saturating_sub(m.flagged)
    } else {
        owned.saturating_sub(m.seated)
    };
    let plan = match m.plan {
        M365Plan::E3 => "E3",
        M365Plan::E5 => "E5",
    };
    let mut rules = vec![
        ids::POSITION_ELP.to_string(),
        ids::M365_PER_USER.to_string(),
    ];
    rules.push(
        match (m.plan, estate.organisation.readings.m365_e3_rights) {
            (M365Plan::E5, _) => ids::M365_E5_ENTERPRISE,
            (M365Plan::E3, M365E3Rights::StandardAndEnterprise) => ids::M365_E3_STANDARD_ENTERPRISE,
            (M365Plan::E3, M365E3Rights::CoreCalSuite) => ids::M365_E3_CORE,
        }
        .to_string(),
    );
    let people = |n: u64| match n {
        1 => "1 person".to_string(),
        n => format!("{} people", thousands(n)),
    };
    let seats = |n: u64| match n {
        1 => "1 seat".to_string(),
        n => format!("{} seats", thousands(n)),
    };
    let mut parts = Vec::new();
    if m.stated > 0 {
        parts.push(format!("{} owned", seats(owned)));
    } else {
        parts.push(format!(
            "no seat count given: the {} flagged are taken as holding {}",
            people(m.flagged),
            seats(owned)
        ));
    }
    if m.flagged == 0 {
        parts.push(format!("no group is marked as holding {plan}"));
    } else if m.stated > 0 {
        parts.push(format!(
            "{} in the groups marked as holding {plan}",
            people(m.flagged)
        ));
    }
    if m.withheld {
        let channel = match estate.organisation.m365.channel {
            PurchaseChannel::Csp => "CSP (Cloud Solution Provider)",
            PurchaseChannel::Mca => "MCA (Microsoft Customer Agreement)",
            PurchaseChannel::Mosa => "MOSA (Microsoft Online Subscription Agreement)",
            _ => "a channel outside volume licensing",
        };
        rules.push(ids::M365_CHANNEL.into());
        parts.push(format!(
            "bought through {channel}: under the reading chosen (only volume-licensing channels carry CAL equivalency) the seats are not counted as CALs{}",
            if m.flagged > 0 {
                format!(", so all {} are counted for CALs instead", people(m.flagged))
            } else {
                String::new()
            }
        ));
    } else {
        let covers: Vec<&str> = m.covers.iter().map(|&p| catalog::short_name(p)).collect();
        if m.seated > 0 {
            parts.push(format!(
                "{} licensed by their seats as CAL equivalents, per user ({} CALs)",
                people(m.seated),
                covers.join(", ")
            ));
        }
        if unseated > 0 {
            let short = unseated.saturating_sub(m.external);
            let mut why = Vec::new();
            if short > 0 {
                why.push(format!(
                    "{} without a seat, as too few are owned (finding \"m365-seats-short\")",
                    thousands(short)
                ));
            }
            if m.external > 0 {
                why.push(format!(
                    "{} external users, whose seats are not counted as CALs here",
                    thousands(m.external)
                ));
            }
            parts.push(format!(
                "{} counted for CALs instead: {}",
                people(unseated),
                why.join(" and ")
            ));
        }
    }
    if unused > 0 {
        parts.push(format!(
            "{} {}: unused (mark the groups that hold them, or give them up)",
            seats(unused),
            if m.withheld || m.external == 0 {
                "beyond the people flagged"
            } else {
                "beyond the staff they seat"
            }
        ));
    }
    SeatRow {
        plan: m.plan,
        owned,
        stated: m.stated > 0,
        flagged: m.flagged,
        seated: m.seated,
        unseated,
        unused,
        withheld: m.withheld,
        covers: m.covers.clone(),
        why: Explanation {
            rules,
            text: format!("Microsoft 365 {plan}: {}", parts.join("; ")),
        },
    }
}

/// The purchase: every shortfall bought at the current version (down-version rights cover the
/// older servers), one line per product and kind.
fn purchase_lines(
    rows: &[PositionRow],
    demand: &Demand,
    currency: &str,
    explain: bool,
) -> (Vec<PurchaseLine>, i64) {
    /// Quantity, cost, a price missing, the shortfall per version.
    type Line = (u64, i64, bool, Vec<String>);
    let mut by: VecMap<(CalProduct, LicenceKind), Line> = VecMap::new();
    for r in rows.iter().filter(|r| r.shortfall > 0) {
        let e = by
            .entry((r.product, r.kind))
            .or_insert((0, 0, false, Vec::new()));
        e.0 += r.shortfall;
        e.1 = e.1.saturating_add(r.cost_to_close_minor);
        e.2 |= r.price_missing;
        if explain && !r.version.is_empty() {
            e.3.push(format!("{} for {}", thousands(r.shortfall), r.version));
        }
    }
    let mut lines = Vec::new();
    let mut total = 0i64;
    for ((product, kind), (q, cost, missing, parts)) in by {
        let version = catalog::product(product)
            .family
            .map(|f| {
                catalog::current_cal_version(f, demand.today)
                    .name
                    .to_string()
            })
            .unwrap_or_default();
        let unit = demand.prices.get(product, kind).unwrap_or(0);
        total = total.saturating_add(cost);
        // The sentence only for the licensing shown (`cost_only` prices the searches').
        let why = if explain {
            let mut rules = vec![ids::POSITION_ELP.to_string()];
            if !version.is_empty() {
                rules.push(ids::CAL_VERSION_NOT_OLDER.into());
            }
            // A connector's line names the rules it rests on (licensing review 41: the RDS
            // External Connector's line cited neither).
            if kind == LicenceKind::ExternalConnector {
                rules.push(ids::EC_ALTERNATIVE.into());
                if product == CalProduct::Rds {
                    rules.push(ids::EC_RDS_NEEDS_WS_EC.into());
                }
            }
            let price = if missing {
                "no price known: enter yours".to_string()
            } else {
                format!("{} each = {}", money(unit, currency), money(cost, currency))
            };
            let detail = if parts.is_empty() {
                String::new()
            } else {
                format!(
                    " (shortfall {}; the current version covers older servers)",
                    parts.join(", ")
                )
            };
            Explanation {
                rules,
                text: format!(
                    "buy {} {}{detail}; {price}",
                    thousands(q),
                    catalog::licence_name(product, &version, kind, q)
                ),
            }
        } else {
            Explanation::default()
        };
        lines.push(PurchaseLine {
            product,
            kind,
            version,
            quantity: q,
            unit_minor: unit,
            cost_minor: cost,
            why,
            price_missing: missing,
        });
    }
    (lines, total)
}

struct RowFacts<'a> {
    product: CalProduct,
    kind: LicenceKind,
    version: &'a str,
    needed: u64,
    covered: u64,
    shortfall: u64,
    surplus: u64,
    consumed: u64,
    /// Needs of this row covered by owned licences of newer versions: (their version, how many).
    from_newer: &'a [(&'a str, u64)],
    /// Licences of this row covering needs of older versions: (that version, how many).
    for_older: &'a [(&'a str, u64)],
    lots: &'a [&'a OwnedLot],
    /// External Connectors of this row assigned to a host where they lie idle: (host, how many).
    idle_assigned: &'a [(&'a str, u64)],
    /// The per-VM reading of External Connectors is chosen: `idle_assigned` names servers.
    per_vm: bool,
    /// Of an External Connector row: the hosts (or, per VM, servers) that need one of this
    /// version, by name.
    connector_hosts: &'a [&'a str],
    /// Of a CAL row: whose need it is, each with its count ([`NeededBy`]).
    who: &'a [String],
    /// Of `surplus`: the CALs counted from owned CAL Suites, which go with their suite.
    suite_surplus: u64,
    /// Of `covered`: the needs owned CAL Suites' parts cover, each "30 Intranet staff holding
    /// Core CAL Suites", by their holders.
    held_by: &'a [String],
    /// The row is short while owned suites' parts that could cover it lie idle, because their
    /// holders need them for other products: who holds them ("30 Core CAL Suites held by
    /// Intranet staff"), else empty.
    suites_elsewhere: String,
    /// For each owned lot of this row that Software Assurance raised to it: what it was bought
    /// as and which dates decided the version it counts at (`sa_trace`).
    sa_trace: &'a [String],
    /// The newest generation this row's kind is needed at.
    rank_needed_max: u8,
    /// Every external user of this (Windows Server) row holds an additive User CAL needing a
    /// Windows Server User CAL for the same person: a connector replaces none of their CALs.
    connectors_replace_nothing: bool,
    /// For a User CAL row: how many of this product's Device CALs the additive Device CALs on the
    /// same devices require, and those additive CALs in words ("RDS Device CALs"): their users
    /// need no User CAL of this product.
    base_devices: Option<(u64, String)>,
    rank: u8,
    unit: i64,
    price_missing: bool,
    origin: PriceOrigin,
    currency: &'a str,
}

/// How an owned lot Software Assurance raised came to count at its version, in words: "100
/// bought as 2019, counted as 2022: Software Assurance ended 2024-10-31, before Windows Server
/// 2025 (2024-11-01)" (ELP review 22: the row and the findings called them "100 owned Windows
/// Server 2022 User CALs", naming neither the version bought nor the dates that decided it).
/// `None` for a lot Software Assurance did not raise.
pub(crate) fn sa_trace(
    estate: &Estate,
    pd: &ProductDemand,
    lot: &OwnedLot,
    today: Date,
) -> Option<String> {
    let h = estate.holdings.get(lot.holding)?;
    let sa = h.software_assurance.as_ref()?;
    let family = pd.family;
    let bought = catalog::cal_version(family, &h.version)?;
    if lot.rank <= bought.rank || catalog::is_suite(h.product) {
        return None;
    }
    let counted = catalog::cal_version_label(family, lot.rank);
    let head = format!(
        "{} bought as {}, counted as {counted}",
        thousands(lot.quantity),
        bought.name
    );
    Some(match sa.until.filter(|&u| u < today) {
        Some(end) => {
            let next = catalog::cal_versions(family)
                .iter()
                .filter(|c| c.rank > lot.rank && c.released > end)
                .min_by_key(|c| c.rank);
            match next {
                Some(n) => format!(
                    "{head}: Software Assurance ended {end}, before {} {} ({})",
                    catalog::short_name(pd.product),
                    n.name,
                    n.released
                ),
                None => format!("{head}: Software Assurance ran {} to {end}", sa.since),
            }
        }
        None => format!("{head}: Software Assurance active since {}", sa.since),
    })
}

/// Whether every external user reaching Windows Server holds an RDS or AD RMS User CAL that needs
/// a Windows Server User CAL for the same person (the default reading of an external user's
/// base), so that no External Connector, owned or bought, replaces any of their CALs.
fn connectors_replace_nothing(demand: &Demand, pd: &ProductDemand, solution: &Solution) -> bool {
    if pd.product != CalProduct::WindowsServer {
        return false;
    }
    let people = &demand.instance.people;
    let external: Vec<usize> = pd
        .person_rank
        .keys()
        .copied()
        .filter(|&c| {
            people
                .get(c)
                .is_some_and(|p| p.external && p.multiplicity > 0)
        })
        .collect();
    if external.is_empty() {
        return false;
    }
    let (rds, rms) = crate::engine::base_bound_externals(demand, solution);
    external.iter().all(|c| rds.contains(c) || rms.contains(c))
}

fn row_explanation(f: RowFacts) -> Explanation {
    let mut rules = vec![ids::POSITION_ELP.to_string()];
    let name = catalog::licence_name(f.product, f.version, f.kind, 2);
    let mut parts = vec![if f.needed == 0 {
        format!("{} needed", thousands(f.needed))
    } else if f.connector_hosts.is_empty() && !f.who.is_empty() {
        // "310 needed, for 180 own devices of Managers, 90 Call-centre desks, …".
        format!(
            "{} needed, for {}",
            thousands(f.needed),
            crate::engine::short_list(f.who)
        )
    } else if f.connector_hosts.is_empty() {
        format!("{} needed", thousands(f.needed))
    } else {
        format!(
            "{} needed, for {} (reached by external users)",
            thousands(f.needed),
            crate::findings::list_all(f.connector_hosts)
        )
    }];
    let newer: u64 = f.from_newer.iter().map(|&(_, n)| n).sum();
    if f.covered > 0 && newer == 0 {
        parts.push(format!(
            "{} covered by owned licences of this version",
            thousands(f.covered)
        ));
    } else if f.covered > 0 {
        let by: Vec<String> = f
            .from_newer
            .iter()
            .map(|&(v, n)| format!("{} of version {v}", thousands(n)))
            .collect();
        let own = f.covered - newer;
        let own = if own > 0 {
            format!("{} of this version and ", thousands(own))
        } else {
            String::new()
        };
        // Versions review 25: a connector row said "a newer CAL covers an older server".
        let licence = if f.kind == LicenceKind::ExternalConnector {
            "External Connector"
        } else {
            "CAL"
        };
        parts.push(format!(
            "{} covered by owned licences: {own}{} (a newer {licence} covers an older server; those licences are counted as owned and used on their own version's row)",
            thousands(f.covered),
            by.join(" and ")
        ));
        rules.push(ids::CAL_VERSION_NOT_OLDER.into());
    }
    if f.lots
        .iter()
        .any(|l| l.rank == f.rank && l.origin.contains("with SA"))
    {
        rules.push(ids::SA_VERSION_RIGHTS.into());
        if f.sa_trace.is_empty() {
            parts.push("includes CALs counted at this version by Software Assurance".into());
        } else {
            parts.push(format!(
                "includes CALs counted at this version by Software Assurance: {}",
                f.sa_trace.join("; ")
            ));
        }
    }
    // How many of the owned are suites, and which (ELP review 42: "Owned 540" against 500 on the
    // licence statement, with no figure to reconcile the 40 suites by).
    let mut suites: Vec<(&str, u64)> = Vec::new();
    for l in f.lots.iter().filter(|l| l.rank == f.rank && l.from_suite()) {
        match suites.iter_mut().find(|(o, _)| *o == l.origin) {
            Some((_, n)) => *n = n.saturating_add(l.quantity),
            None => suites.push((l.origin.as_str(), l.quantity)),
        }
    }
    if !suites.is_empty() {
        rules.push(ids::SUITE_VERSION_LESS.into());
        let each: Vec<String> = suites
            .iter()
            .map(|(o, n)| format!("{} {o}", thousands(*n)))
            .collect();
        let n: u64 = suites.iter().map(|(_, n)| *n).sum();
        parts.push(format!(
            "the owned include {} {} (on the licence statement as suites), counted as their contents",
            each.join(" and "),
            if n == 1 { "licence" } else { "licences" },
        ));
    }
    // Review 43, H1: which people a suite's part covers here (of this version or, on a newer
    // one's row, counted there), so that an auditor can see the same people hold it on every
    // product's row.
    if !f.held_by.is_empty() {
        parts.push(format!(
            "a suite licenses the one {} holds it for all its parts: here the suites' parts cover {}",
            holder(f.kind),
            crate::engine::short_list(f.held_by)
        ));
        rules.push(ids::SUITE_NOT_SPLIT.into());
    }
    if !f.suites_elsewhere.is_empty() {
        parts.push(format!(
            "owned suites' parts of this version lie idle and do not close this gap: a suite licenses the one {} who holds it for all its parts, and the suites go to those whose needs they cover that separate CALs cannot ({})",
            if f.kind == LicenceKind::UserCal { "person" } else { "device" },
            f.suites_elsewhere
        ));
        if !rules.iter().any(|r| r == ids::SUITE_NOT_SPLIT) {
            rules.push(ids::SUITE_NOT_SPLIT.into());
        }
    }
    if f.shortfall > 0 {
        if f.price_missing {
            parts.push(format!(
                "{} short; no price known, enter yours",
                thousands(f.shortfall)
            ));
        } else {
            let basis = f.origin.basis(f.product, f.kind);
            parts.push(format!(
                "{} short × {} ({basis}) = {}",
                thousands(f.shortfall),
                money(f.unit, f.currency),
                money(times(f.shortfall, f.unit), f.currency)
            ));
            if f.origin != PriceOrigin::Own {
                rules.push(ids::PRICE_ESTIMATES.into());
            }
        }
    }
    if !f.for_older.is_empty() {
        let on: Vec<String> = f
            .for_older
            .iter()
            .map(|&(v, n)| format!("{} for version {v} needs", thousands(n)))
            .collect();
        parts.push(format!(
            "{} owned at this version in use, of which {} (shown as covered on that version's row)",
            thousands(f.consumed),
            on.join(" and ")
        ));
        if !rules.iter().any(|r| r == ids::CAL_VERSION_NOT_OLDER) {
            rules.push(ids::CAL_VERSION_NOT_OLDER.into());
        }
    }
    if f.surplus > 0 {
        let why = if f.connectors_replace_nothing {
            rules.push(ids::EXT_ADDITIVE_BASE_CAL.into());
            " (the external users who reach a host hold RDS or AD RMS User CALs, which need a Windows Server User CAL for the same person: see \"Where sources disagree\"; a connector replaces none of their CALs)".to_string()
        } else if f.rank < f.rank_needed_max && f.suites_elsewhere.is_empty() {
            // The rule that leaves them unused (licensing review 41: only the position's rule
            // was cited).
            if !rules.iter().any(|r| r == ids::CAL_VERSION_NOT_OLDER) {
                rules.push(ids::CAL_VERSION_NOT_OLDER.into());
            }
            if f.kind == LicenceKind::ExternalConnector {
                " (older than the newest hosts external users reach)"
            } else {
                " (older than the newest servers that need this product)"
            }
            .to_string()
        } else if let Some((n, additive)) = &f.base_devices {
            // Why review 24: 40 owned User CALs were "not used" with no reason, while 40 Device
            // CALs were bought beneath RDS Device CALs.
            rules.push(ids::ADDITIVE_REQUIRES_BASE.into());
            rules.push(ids::ADDITIVE_BASE_SAME_SUBJECT.into());
            let name = catalog::short_name(f.product);
            let (subject, cals) = if *n == 1 {
                ("device needs a", "CAL")
            } else {
                ("devices need", "CALs")
            };
            format!(
                " ({} {subject} {name} Device {cals} as the base of the {additive} they hold: an additive Device CAL needs the base Device CAL on the same device; those Device CALs license the devices' users, so they need no {name} User CAL)",
                thousands(*n),
            )
        } else {
            String::new()
        };
        parts.push(format!(
            "{} owned at this version not used{why}",
            thousands(f.surplus)
        ));
        // ELP review 42 (H1): a suite's contents showed as surplus free to redeploy.
        if f.suite_surplus > 0 {
            parts.push(format!(
                "of them, {} {} from owned CAL Suites, which go with their suite: not to be deployed apart from it",
                thousands(f.suite_surplus),
                if f.suite_surplus == 1 { "is" } else { "are" }
            ));
            if !rules.iter().any(|r| r == ids::SUITE_NOT_SPLIT) {
                rules.push(ids::SUITE_NOT_SPLIT.into());
            }
        }
        if !f.idle_assigned.is_empty() {
            // Review: an owned connector assigned to a host no external user reaches was only
            // "not used", with no word of where it is.
            let on: Vec<String> = f
                .idle_assigned
                .iter()
                .map(|&(h, n)| format!("{} on {h}", thousands(n)))
                .collect();
            // Under the per-VM reading a connector is assigned to a server instance, not a host.
            let (covers, rule) = if f.per_vm {
                (
                    "under the per-VM reading a connector covers only the server it is assigned to",
                    ids::EC_PER_VM_READING,
                )
            } else {
                (
                    "a connector covers only the host it is assigned to",
                    ids::EC_PER_PHYSICAL_HOST,
                )
            };
            parts.push(format!("idle where assigned: {} ({covers})", on.join(", ")));
            if !rules.iter().any(|r| r == rule) {
                rules.push(rule.into());
            }
        }
    }
    Explanation {
        rules,
        text: format!("{name}: {}", parts.join("; ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lot(rank: u8, q: u64) -> OwnedLot {
        OwnedLot {
            kind: LicenceKind::UserCal,
            rank,
            quantity: q,
            origin: String::new(),
            holding: 0,
        }
    }

    #[test]
    fn newer_owned_cal_covers_older_need_but_not_the_reverse() {
        let needs: VecMap<u8, u64> = [(4, 10), (5, 10)].into_iter().collect();
        let lots = [lot(4, 10), lot(6, 5)];
        let refs: Vec<&OwnedLot> = lots.iter().collect();
        let a = allocate(&needs, &refs);
        assert_eq!((a.covered[&5], a.covered[&4]), (5, 10));
        // The version-5 need took the newer lot; the version-4 need its own.
        let cover: Vec<_> = a.cover.into_iter().collect();
        assert_eq!(cover, [((4, 4), 10), ((5, 6), 5)]);
        assert_eq!(a.consumed, [10, 5]);
    }

    #[test]
    fn currency_codes_are_iso_4217_in_capitals() {
        let codes: Vec<&str> = ISO_4217.split_ascii_whitespace().collect();
        let mut sorted = codes.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(codes, sorted, "sorted, no repeats");
        assert!(codes.iter().all(|c| c.len() == 3));
        let verdicts: Vec<bool> = [
            "USD", "EUR", "JPY", "KWD", "XCG", "usd", "XYZ", "US", "USDD",
        ]
        .iter()
        .map(|c| is_currency(c))
        .collect();
        assert_eq!(
            verdicts,
            [true, true, true, true, true, false, false, false, false]
        );
    }

    #[test]
    fn money_is_formatted_with_thousands() {
        assert_eq!(money(123_456_789, "USD"), "$1,234,567.89");
        assert_eq!(money(500, "EUR"), "EUR 5.00");
    }
}
