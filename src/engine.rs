//! `evaluate`: estate in, report out. The one entry point every face (web app, JavaScript API,
//! CLI) calls: validation → demand (`rules`) → exact optimum (`optimise`) → Effective License
//! Position (`position`) → findings, priced scenarios and break-evens, with every rule referred to.
//!
//! Break-evens follow cal-rules §2 ("compute the break-even in the app from the user's own price
//! inputs": EC vs CALs per host), §1.3 (user vs device per group) and §1.16 (SQL per core vs
//! Server+CAL: cores rounded up to 2-core packs, minimum 4 cores per server or VM: the estate has
//! no processor count).

use crate::catalog::{self, ids, Catalog, PriceOrigin, ReferencePrice, REFERENCE_PRICES_DATE};
use crate::estate::{
    CalProduct, Date, Estate, LicenceKind, PersonKind, RdsMode, ServerProduct, SqlLicensing,
    FORMAT_VERSION,
};
use crate::optimise::{self, Effort, Instance, OptimiseError, Options, ProductSolution, Solution};
use crate::position::{self, money, thousands, Position};
use crate::report::{
    Explanation, Finding, FindingKind, PositionRow, ProductResult, PurchaseLine, Recommendation,
    Report, RuleRef, Scenario, Severity, NEVER,
};
use crate::rules::{self, owned_by_rank, AdminPick, Demand};
use crate::vecmap::{VecMap, VecSet};
use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, BTreeSet};

mod breakevens;
mod held;
mod products;
mod sql_reach;

pub(crate) use self::sql_reach::{SqlReach, SqlServerCals};

use self::breakevens::breakevens;
pub use self::breakevens::{ec_breakeven_scope_note, no_ec_breakeven_note};
use self::products::product_results;

/// Why an estate could not be evaluated.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EvaluateError {
    /// The estate is not usable as entered (the message names the field).
    #[error("{0}")]
    Invalid(String),
    /// The optimiser could not license the demand with the prices and options given.
    #[error("{0}")]
    Optimise(#[from] OptimiseError),
    /// A count date no licence terms this calculator knows can be read for.
    #[error("The count date {0} is outside {first} to {last}: give a date in that range", first = COUNT_DATES.start(), last = COUNT_DATES.end())]
    CountDate(Date),
}

/// The dates a count can be made as of (review 20: `asOf` 0000-01-01 was accepted and gave a
/// report of products not yet released).
pub const COUNT_DATES: std::ops::RangeInclusive<Date> = Date {
    year: 2000,
    month: 1,
    day: 1,
}..=Date {
    year: 2099,
    month: 12,
    day: 31,
};

/// The reference prices (editable estimates with date and source), for the JavaScript API.
pub fn default_prices() -> Vec<ReferencePrice> {
    catalog::reference_prices()
}

/// Products, versions, suites, prices and rules, for the JavaScript API and documentation.
pub fn catalog() -> Catalog {
    catalog::catalog()
}

/// Evaluates an estate as of `today`, with the optimiser's full effort.
pub fn evaluate(estate: &Estate, today: Date) -> Result<Report, EvaluateError> {
    evaluate_with(estate, today, Effort::Full).map(|e| e.report)
}

/// Totals too large to add up name the figures most likely mistyped (review: the message named
/// no field): the largest own price and the largest group.
fn name_what_is_too_large(estate: &Estate, e: EvaluateError) -> EvaluateError {
    if e != EvaluateError::Optimise(OptimiseError::TooLarge) {
        return e;
    }
    let currency = estate.organisation.currency.as_str();
    let mut suspects = Vec::new();
    if let Some(p) = estate
        .organisation
        .prices
        .iter()
        .max_by_key(|p| p.amount_minor)
    {
        suspects.push(format!(
            "the largest price entered is {} for a {}",
            money(p.amount_minor, currency),
            catalog::licence_name(p.item.product, "", p.item.kind, 1)
        ));
    }
    if let Some(g) = estate
        .groups
        .iter()
        .max_by_key(|g| u64::from(g.count) * u64::from(g.devices_each.max(1)))
    {
        suspects.push(format!(
            "the largest group, “{}”, has {} people with {} {} each",
            g.shown_name(),
            thousands(u64::from(g.count)),
            thousands(u64::from(g.devices_each)),
            if g.devices_each == 1 {
                "device"
            } else {
                "devices"
            }
        ));
    }
    EvaluateError::Invalid(if suspects.is_empty() {
        "The quantities and prices are too large to add up exactly (a total over 9 × 10^15 minor units).".into()
    } else {
        format!(
            "The quantities and prices are too large to add up exactly (a total over 9 × 10^15 minor units): {}. Check them for extra zeros.",
            suspects.join(", and ")
        )
    })
}

/// The largest amount of money a face shows or adds up from the report: every amount, and the
/// sums the faces make (the position's cost to close, the products' costs); the break-even
/// curves are kept within the limit beforehand (`evaluate_with`). Above [`NEVER`]
/// (2^53 − 1 minor units) a JavaScript number cannot hold it exactly, so the app and the API
/// would show or refuse what the CLI prints (code review 21: $2,000,000,000,000,000.00 was
/// reported by the CLI, while the API refused to pass the report on).
fn largest_amount(r: &Report) -> i128 {
    let sum = |xs: &mut dyn Iterator<Item = i64>| xs.map(|x| i128::from(x).abs()).sum::<i128>();
    let rec = &r.recommendation;
    [
        sum(&mut r.products.iter().map(|p| p.cost_minor)),
        sum(&mut r.position.iter().map(|p| p.cost_to_close_minor)),
        sum(&mut rec.lines.iter().map(|l| l.cost_minor)),
        sum(&mut [rec.total_minor, rec.gap_minor].into_iter()),
    ]
    .into_iter()
    .chain(r.products.iter().map(|p| i128::from(p.cost_minor)))
    .chain(rec.lines.iter().map(|l| i128::from(l.unit_minor)))
    .chain(r.scenarios.iter().map(|s| i128::from(s.total_minor)))
    .chain(r.position.iter().map(|p| i128::from(p.unit_minor)))
    .chain(
        r.findings
            .iter()
            .filter_map(|f| f.saving_minor)
            .map(i128::from),
    )
    .chain(
        r.breakevens
            .iter()
            .flat_map(|b| [b.option_a_minor, b.option_b_minor].map(i128::from)),
    )
    .map(i128::abs)
    .max()
    .unwrap_or(0)
}

/// A report and whether the full effort could change it.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    pub report: Report,
    /// True when [`evaluate`] gives this same report: always with [`Effort::Full`]; with
    /// [`Effort::Quick`] when every optimisation in it was proven optimal (the quick searches
    /// stop where the full ones would). When false, the report is a real licensing whose gap
    /// to the proven bound is stated, and the full evaluation may find a cheaper one.
    pub complete: bool,
}

/// Evaluates an estate as of `today` with the optimiser's `effort`: the app evaluates every
/// keystroke with [`Effort::Quick`] (the sample estate with 1,234 office staff: 0.43 s in full,
/// most of it spent failing to prove its answer) and the full report once the user pauses.
pub fn evaluate_with(
    estate: &Estate,
    today: Date,
    effort: Effort,
) -> Result<Evaluation, EvaluateError> {
    if !COUNT_DATES.contains(&today) {
        return Err(EvaluateError::CountDate(today));
    }
    let solver = Solver::new(effort);
    // What is owned on the date: CAL Suites whose Software Assurance starts later are not yet
    // (`rules::owned_on`); the finding that says so reads the estate as entered.
    let entered = estate;
    let on_date = rules::owned_on(entered, today);
    let estate = on_date.as_ref().unwrap_or(entered);
    let mut report =
        evaluate_seated(estate, today, &solver).map_err(|e| name_what_is_too_large(estate, e))?;
    if let Some(f) = crate::findings::sa_not_started(entered, today) {
        // After the findings of its severity, as they are sorted.
        let at = (report.findings.iter())
            .position(|g| g.severity < f.severity)
            .unwrap_or(report.findings.len());
        report.findings.insert(at, f);
        report.rules = referenced_rules(&report);
    }
    if let Some(f) = mode_switch_finding(estate, today, &report, &solver) {
        report.findings.push(f);
        report.rules = referenced_rules(&report);
    }
    compare_with_the_default_reading(estate, today, &mut report, &solver);
    compare_network_readings(estate, today, &mut report, &solver);
    // A break-even's chart runs past the current count: points a JavaScript number cannot hold
    // are left off rather than the report refused (browser review 21: 2,251 staff at
    // $10,000,000,000 a CAL were refused for a point at four devices each).
    for b in &mut report.breakevens {
        b.curve
            .retain(|&(_, a, c)| a.unsigned_abs() <= NEVER && c.unsigned_abs() <= NEVER);
    }
    if largest_amount(&report) > NEVER as i128 {
        return Err(name_what_is_too_large(
            estate,
            EvaluateError::Optimise(OptimiseError::TooLarge),
        ));
    }
    Ok(Evaluation {
        report,
        complete: !solver.cut_short.get(),
    })
}

/// The optimiser at one effort, noting whether a quick search left an answer unproven.
struct Solver {
    effort: Effort,
    cut_short: Cell<bool>,
    /// What the polish may still spend while the user types ([`POLISH_BUDGET_QUICK`]), shared
    /// by every demand one evaluation polishes (the shared-external variants, the RDS mode
    /// check).
    polish_quick: Cell<usize>,
    /// The branch and bound's cuts the evaluation's solves may still spend
    /// ([`EVALUATION_CUTS`] in full; the quick searches are bounded each on their own).
    cuts: Cell<usize>,
    /// An evaluation of a variant of the estate is running (the per-core check's): the
    /// variant's own findings check nothing again.
    nested: Cell<bool>,
    /// What [`per_core_purchase_less`] found, by the servers moved.
    per_core: RefCell<VecMap<Vec<String>, Option<i64>>>,
}

/// Cuts the branch and bound may solve in one full evaluation, over all its solves (robustness
/// review 21: an estate with shared kiosks and owned licences of several versions spent 40 s
/// in eight shared-external variants' searches, and ended unproven all the same).
const EVALUATION_CUTS: usize = 60_000;

impl Solver {
    fn new(effort: Effort) -> Solver {
        Solver {
            effort,
            cut_short: Cell::new(false),
            polish_quick: Cell::new(POLISH_BUDGET_QUICK),
            cuts: Cell::new(match effort {
                Effort::Full => EVALUATION_CUTS,
                Effort::Quick => usize::MAX,
            }),
            nested: Cell::new(false),
            per_core: RefCell::new(VecMap::new()),
        }
    }

    fn solve(&self, instance: &Instance, options: &Options) -> Result<Solution, OptimiseError> {
        let solved = optimise::solve_within(instance, options, self.effort, &self.cuts);
        // A quick answer that is proven is the full one; an error is the full one's error (the
        // quick searches are the first steps of the full ones).
        if self.effort == Effort::Quick && solved.as_ref().is_ok_and(|s| !s.exact) {
            self.cut_short.set(true);
        }
        solved
    }
}

/// How much less the purchase is when the Server+CAL SQL Servers `moved` are licensed per core,
/// found by evaluating the estate so changed: the exact figure the `sql-per-core-cheaper`
/// finding's saving is checked against (why review 24: counting other servers' SQL CALs as
/// one server's, it offered a $4,920 saving where per core cost $4,280 more). Both are
/// licensings the engine finds, so the difference is one the user can have, proven or not.
///
/// SQL CALs depend on who reaches the SQL Servers and on the SQL CALs owned, nothing else (no
/// suite holds one, no External Connector replaces one), so both sides are evaluations of the
/// estate's SQL part ([`sql_part`]) and compare their SQL purchase: a fraction of a full
/// evaluation, the same for every variant of the demand (remembered per set of servers). `None`
/// within such a check already, or when either side cannot be evaluated.
fn per_core_purchase_less(
    estate: &Estate,
    today: Date,
    solver: &Solver,
    moved: &[&str],
) -> Option<i64> {
    let mut key: Vec<String> = moved.iter().map(|s| s.to_string()).collect();
    crate::sort::sort(&mut key);
    if let Some(&less) = solver.per_core.borrow().get(&key) {
        return less;
    }
    if solver.nested.replace(true) {
        return None;
    }
    // The licensing search alone, without the report's findings, whys and scenarios (their
    // cost doubled the check's: session 24's benchmarks).
    // Both estates are valid, as `estate` is (see `sql_part`): no validation again (a
    // validation of the 50-server estate is a third of this check's cost).
    let sql_purchase = |e: &Estate| {
        debug_assert!(
            e.validate().is_ok(),
            "the SQL part of a valid estate is valid"
        );
        let demand = rules::demand(e, today);
        let solved = Candidates::compute(&demand, e, solver).ok()?;
        let rows = &solved.best_candidate().position.rows;
        Some(
            rows.iter()
                .filter(|row| row.product == CalProduct::SqlServer)
                .fold(0i64, |a, row| a.saturating_add(row.cost_to_close_minor)),
        )
    };
    let part = sql_part(estate);
    let mut variant = part.clone();
    for s in &mut variant.servers {
        if moved.contains(&s.id.as_str()) {
            s.sql_licensing = Some(SqlLicensing::PerCore);
        }
    }
    let less = sql_purchase(&part)
        .zip(sql_purchase(&variant))
        .map(|(now, then)| now.saturating_sub(then));
    solver.nested.set(false);
    solver.per_core.borrow_mut().insert(key, less);
    less
}

/// The estate with only what its SQL Server CALs depend on: access, usage and unattended
/// devices' reach to SQL Servers, and the SQL Server licences owned. It is a valid estate
/// whenever `estate` is: access features (Remote Desktop, AD RMS, the Enterprise CALs) ask
/// nothing of a SQL Server and are dropped with the servers that offer them, and so are the
/// unattended devices that reach no SQL Server (a pool reaching nothing is refused).
fn sql_part(estate: &Estate) -> Estate {
    let sql: VecSet<&str> = estate
        .servers
        .iter()
        .filter(|s| s.product == ServerProduct::SqlServer)
        .map(|s| s.id.as_str())
        .collect();
    let mut part = estate.clone();
    for a in &mut part.access {
        a.servers.retain(|s| sql.contains(s.as_str()));
        a.features.clear();
    }
    part.access.retain(|a| !a.servers.is_empty());
    for d in &mut part.shared_devices {
        d.accesses.retain(|s| sql.contains(s.as_str()));
    }
    part.shared_devices
        .retain(|d| !d.unattended || !d.accesses.is_empty());
    if let Some(u) = part.usage.as_mut() {
        u.links.retain(|l| sql.contains(l.server.as_str()));
    }
    part.holdings.retain(|h| h.product == CalProduct::SqlServer);
    part
}

/// A session host's fixed mode can cost money: owned RDS CALs of the kind it does not issue lie
/// idle (QA: 20 owned RDS Device CALs idle on a per-user host, $4,100 bought where switching the
/// mode costs nothing), or its kind is simply the dearer one to buy. When letting the calculator
/// choose those hosts' modes makes the purchase cheaper, say so.
fn mode_switch_finding(
    estate: &Estate,
    today: Date,
    report: &Report,
    solver: &Solver,
) -> Option<Finding> {
    // Asked whatever is owned: owned RDS CALs in use can cost money too (an RDS User CAL needs
    // its base Windows Server User CAL, which a per-device host would not; review 17), and with
    // none owned the mode decides what is bought (review 18: 100 shift workers at 10 desks on a
    // per-user host, $20,500 where per device costs $2,000, and nothing said so).
    let fixed: Vec<&str> = estate
        .servers
        .iter()
        .filter(|s| s.rds_session_host && s.rds_mode.is_some())
        .map(|s| s.id.as_str())
        .collect();
    if fixed.is_empty() || report.recommendation.total_minor <= 0 {
        return None;
    }
    let mut open = estate.clone();
    for s in &mut open.servers {
        if s.rds_session_host {
            s.rds_mode = None;
        }
    }
    let other = evaluate_seated(&open, today, solver).ok()?;
    let saving = report.recommendation.total_minor - other.recommendation.total_minor;
    if saving <= 0 {
        return None;
    }
    let rds = other
        .products
        .iter()
        .find(|p| p.product == CalProduct::Rds)?;
    let switched: Vec<(&crate::estate::Server, RdsMode)> = (rds.rds_modes.iter())
        .filter_map(|(h, m)| {
            (estate.servers.iter())
                .find(|s| &s.id == h && s.rds_mode.is_some_and(|x| x != *m))
                .map(|s| (s, *m))
        })
        .collect();
    if switched.is_empty() {
        return None;
    }
    let changed: Vec<String> = switched
        .iter()
        .map(|(s, m)| format!("{} to {}", s.shown_name(), rules::mode_label(*m)))
        .collect();
    let kind_of = |m: RdsMode| match m {
        RdsMode::PerUser => LicenceKind::UserCal,
        RdsMode::PerDevice => LicenceKind::DeviceCal,
    };
    // Owned RDS CALs lie idle that a switched host could issue: of the kind its new mode issues
    // and new enough for it (review 25: 50 RDS 2019 User CALs, idle on a 2022 per-user host and
    // idle after it goes per device, were named as the reason).
    let idle_rds = switched.iter().any(|(s, m)| {
        report.position.iter().any(|r| {
            r.product == CalProduct::Rds
                && r.kind == kind_of(*m)
                && r.surplus > 0
                && rules::rank_of(catalog::Family::WindowsServer, &r.version)
                    >= rules::rank_of(catalog::Family::WindowsServer, &s.version)
        })
    });
    // Else the saving is in what is bought: RDS CALs of the kind the switch issues cost less for
    // the same access, or fewer Windows Server CALs are needed beneath them (review 17), or both.
    let rds_cost = |r: &Report| -> i64 {
        (r.recommendation.lines.iter())
            .filter(|l| l.product == CalProduct::Rds)
            .fold(0i64, |a, l| a.saturating_add(l.cost_minor))
    };
    let rds_less = rds_cost(report).saturating_sub(rds_cost(&other));
    let base_cals = |r: &Report| -> u64 {
        (r.recommendation.lines.iter())
            .filter(|l| l.product == CalProduct::WindowsServer)
            .filter(|l| matches!(l.kind, LicenceKind::UserCal | LicenceKind::DeviceCal))
            .fold(0u64, |a, l| a.saturating_add(l.quantity))
    };
    let base_less = saving.saturating_sub(rds_less);
    let cheaper = if idle_rds {
        String::new()
    } else {
        let one_mode = switched.iter().all(|(_, m)| *m == switched[0].1);
        let one = switched.len() == 1;
        let (it, issues) = if one {
            ("it", "issues")
        } else {
            ("they", "issue")
        };
        let (new, old) = match (one_mode, switched[0].1) {
            (false, _) => ("kinds of RDS CAL".to_string(), "those".to_string()),
            (true, RdsMode::PerDevice) => ("RDS Device CALs".to_string(), "User CALs".to_string()),
            (true, RdsMode::PerUser) => ("RDS User CALs".to_string(), "Device CALs".to_string()),
        };
        match (rds_less > 0, base_less > 0) {
            (true, false) => format!(
                ": the {new} {it} would issue cost less to buy for these users and devices than the {old} {it} {issues} now"
            ),
            (true, true) => format!(
                ": the {new} {it} would issue, with the Windows Server CALs beneath them, cost less to buy for these users and devices than the {old} {it} {issues} now"
            ),
            // Fewer Windows Server CALs, or the same number of a cheaper kind (review 39: ten
            // Device CALs at $40 in place of ten User CALs at $45 were called "fewer").
            _ if base_cals(&other) < base_cals(report) => format!(
                ": the RDS CALs {it} would issue need fewer Windows Server CALs bought beneath them than those {it} {issues} now"
            ),
            _ => format!(
                ": the Windows Server CALs to buy beneath the RDS CALs {it} would issue cost less than those beneath the ones {it} {issues} now"
            ),
        }
    };
    let currency = &estate.organisation.currency;
    Some(Finding {
        kind: FindingKind::RdsModeSwitchSaves,
        severity: Severity::Info,
        rule: ids::RDS_MODE_PER_HOST.into(),
        message: format!(
            "{}switching {} (a setting on the host) would make the purchase {} instead of {}, {} less{cheaper}",
            if idle_rds {
                "your owned RDS CALs of the other kind lie idle: "
            } else {
                ""
            },
            changed.join(", "),
            money(other.recommendation.total_minor, currency),
            money(report.recommendation.total_minor, currency),
            money(saving, currency)
        ),
        source: catalog::rule(ids::RDS_MODE_PER_HOST)
            .map(|r| r.source.to_string())
            .unwrap_or_default(),
        product: Some(CalProduct::Rds),
        saving_minor: Some(saving),
        saving_condition: None,
    })
}

/// Under the `either-subject` reading of an additive CAL's base, where the report names it (its
/// note is raised under that reading only), the estate is evaluated again under the default
/// reading with the same effort, and the note says what that comes to (the figure the default's
/// same-subject notes give the other way round). Only estates with the reading chosen pay for
/// the second evaluation.
fn compare_with_the_default_reading(
    estate: &Estate,
    today: Date,
    report: &mut Report,
    solver: &Solver,
) {
    use crate::estate::AdditiveBase;
    compare_readings(
        (estate, today, solver),
        report,
        &[ids::ADDITIVE_BASE_ANY_SUBJECT],
        |e| e.organisation.readings.additive_base = AdditiveBase::SameSubject,
        crate::findings::compare_with_the_default_reading,
    );
}

/// Where the report names the network equipment reading, the estate is evaluated again under
/// the other one with the same effort, and the note says what that comes to. Only estates with
/// network equipment pay for the second evaluation.
fn compare_network_readings(estate: &Estate, today: Date, report: &mut Report, solver: &Solver) {
    use crate::estate::NetworkEquipment;
    compare_readings(
        (estate, today, solver),
        report,
        &[ids::NETWORK_DEVICE_CALS, ids::NETWORK_NOT_COUNTED],
        |e| {
            let reading = &mut e.organisation.readings.network_equipment;
            *reading = match *reading {
                NetworkEquipment::DeviceCals => NetworkEquipment::NotCounted,
                NetworkEquipment::NotCounted => NetworkEquipment::DeviceCals,
            };
        },
        crate::findings::compare_with_the_other_network_reading,
    );
}

/// The note of `report` whose rule is one of `rules`, amended (`amend`) with the report of the
/// estate under the other reading (`other`), evaluated with the same effort.
fn compare_readings(
    (estate, today, solver): (&Estate, Date, &Solver),
    report: &mut Report,
    rules: &[&str],
    other: impl FnOnce(&mut Estate),
    amend: fn(&mut Finding, &Report, &Report, &str),
) {
    let Some(at) = (report.findings.iter()).position(|f| rules.contains(&f.rule.as_str())) else {
        return;
    };
    let mut switched = estate.clone();
    other(&mut switched);
    let Ok(theirs) = evaluate_seated(&switched, today, solver) else {
        return;
    };
    let mut note = report.findings[at].clone();
    amend(&mut note, report, &theirs, &report.currency);
    report.findings[at] = note;
}

/// Evaluates the estate as entered ([`evaluate_as_entered`]), and, where Microsoft 365 seats are
/// too few for the employee groups flagged and the estate does not say who holds them
/// ([`rules::m365_seat_contenders`]), again with other groups seated ([`seat_choices`]): the
/// cheapest licensing of them all is the answer (review 46: 3 E3 seats for intranet staff and
/// lawyers, with 3 Core CAL Suites owned; the rule of thumb seated the intranet staff, whose CALs
/// cost more, and bought the lawyers' Exchange Enterprise CALs, $528.00, where seating the
/// lawyers and giving the suites to the intranet staff buys nothing). While the user types only
/// the rule of thumb's choice is priced; in full, the others while the search budget lasts.
fn evaluate_seated(estate: &Estate, today: Date, solver: &Solver) -> Result<Report, EvaluateError> {
    let choices = seat_choices(&rules::m365_seat_contenders(estate));
    if choices.len() < 2 || solver.effort == Effort::Quick {
        // While the user types, the full evaluation may choose other holders. Where every order
        // seats the same people (the seats cover everyone but those listed in usage), there is
        // nothing more to price.
        if choices.len() > 1 {
            solver.cut_short.set(true);
        }
        return evaluate_as_entered(estate, today, solver).map(|(r, _)| r);
    }
    // The rule of thumb's choice is priced first: its error is the estate's.
    let before = solver.cuts.get();
    let mut best = evaluate_as_entered(estate, today, solver)?;
    let spent = before - solver.cuts.get();
    // The others in full while the evaluation's search budget lasts for another as costly: each
    // full evaluation of a large estate takes seconds (an estate of 20 groups with kiosks and
    // owned licences of several versions spends the budget and 5.7 s on the rule of thumb's
    // choice, and took 18.6 s with every choice priced). Past that, at the quick effort, as
    // while the user types: a licensing found so is one the user can have all the same (review
    // 46's seat estate 520004: the rule of thumb's choice spent the budget, $38 above the least,
    // which another choice reaches).
    for holders in choices.into_iter().skip(1) {
        let mut variant = estate.clone();
        variant.organisation.m365.seat_holders = holders;
        let priced = if solver.cuts.get() >= spent {
            evaluate_as_entered(&variant, today, solver)
        } else {
            evaluate_as_entered(&variant, today, &Solver::new(Effort::Quick))
        };
        if let Ok(e) = priced {
            if e.1 < best.1 {
                best = e;
            }
        }
    }
    Ok(best.0)
}

/// Who holds the seats in the evaluations priced in full, per plan the groups seated in turn: in
/// the rule of thumb's order first, then in every other order of up to [`SEAT_ORDER_GROUPS`]
/// groups, or else with each other group first; each order also with administrators left
/// unseated, who may be exempt from CALs instead ([`Unseated`]; review 46's random estates: 7
/// seats went to 7 administrators, two of whom needed no CAL, while 2 other staff were counted
/// for CALs). Choices that seat as many people of each group are priced once; at most
/// [`SEAT_CHOICES`] in all, a plan's others beside the other plans' rule of thumb.
fn seat_choices(contenders: &[(u64, Vec<rules::SeatContender>)]) -> Vec<Vec<(String, u64)>> {
    let seat = |k: usize, order: &[usize], unseated: Unseated| -> Vec<(String, u64)> {
        let (seats, groups) = &contenders[k];
        // Administrators left unseated, per group in the rule of thumb's order.
        let mut spare = rules::ADMIN_EXEMPT_PER_PRODUCT;
        let kept: Vec<u64> = (groups.iter())
            .map(|c| match unseated {
                Unseated::None => 0,
                _ if !c.admin_only => 0,
                Unseated::TwoEach => c.people.min(rules::ADMIN_EXEMPT_PER_PRODUCT),
                Unseated::TwoInAll => {
                    let n = c.people.min(spare);
                    spare -= n;
                    n
                }
            })
            .collect();
        let groups: Vec<(&rules::SeatContender, u64)> =
            order.iter().map(|&i| (&groups[i], kept[i])).collect();
        let mut left = *seats;
        let mut held: Vec<u64> = (groups.iter())
            .map(|(c, kept)| {
                let n = left.min(c.people - kept);
                left -= n;
                n
            })
            .collect();
        // Seats left over go to the administrators left unseated, in turn.
        for ((c, _), n) in groups.iter().zip(&mut held) {
            let more = left.min(c.people - *n);
            *n += more;
            left -= more;
        }
        (groups.iter().zip(held))
            .map(|((c, _), n)| (c.group.clone(), n))
            .collect()
    };
    let rule_of_thumb = |k: usize| {
        let order: Vec<usize> = (0..contenders[k].1.len()).collect();
        seat(k, &order, Unseated::None)
    };
    let mut out: Vec<Vec<(String, u64)>> = Vec::new();
    // Who holds how many, by group: the choices priced so far.
    let mut seen: Vec<Vec<(String, u64)>> = Vec::new();
    let mut add = |holders: Vec<(String, u64)>| {
        let mut key = holders.clone();
        key.sort_unstable();
        if out.len() < SEAT_CHOICES && !seen.contains(&key) {
            seen.push(key);
            out.push(holders);
        }
    };
    add((0..contenders.len()).flat_map(rule_of_thumb).collect());
    for (k, (_, groups)) in contenders.iter().enumerate() {
        let n = groups.len();
        let orders: Vec<Vec<usize>> = if n <= SEAT_ORDER_GROUPS {
            permutations(n)
        } else {
            (0..n)
                .map(|f| {
                    std::iter::once(f)
                        .chain((0..n).filter(|&i| i != f))
                        .collect()
                })
                .collect()
        };
        let admins = groups.iter().filter(|c| c.admin_only).count();
        let ways: &[Unseated] = match admins {
            0 => &[Unseated::None],
            1 => &[Unseated::None, Unseated::TwoEach],
            _ => &[Unseated::None, Unseated::TwoEach, Unseated::TwoInAll],
        };
        for order in &orders {
            for &unseated in ways {
                let holders = (0..contenders.len())
                    .flat_map(|j| {
                        if j == k {
                            seat(k, order, unseated)
                        } else {
                            rule_of_thumb(j)
                        }
                    })
                    .collect();
                add(holders);
            }
        }
    }
    out
}

/// Administrators left without a seat in a choice of seat holders ([`seat_choices`]): two in
/// each administrators-only group (each group's administrators may be exempt from different
/// products' CALs), or two in all, from the groups whose CALs would cost the most (when they
/// reach the same products, only two are exempt).
#[derive(Clone, Copy)]
enum Unseated {
    None,
    TwoEach,
    TwoInAll,
}

/// Groups per plan up to which every order of them is priced (3! = 6 orders).
const SEAT_ORDER_GROUPS: usize = 3;
/// Choices of seat holders priced in one full evaluation, the rule of thumb's included.
const SEAT_CHOICES: usize = 8;

/// Every order of `0..n`, the identity first.
fn permutations(n: usize) -> Vec<Vec<usize>> {
    if n == 0 {
        return vec![Vec::new()];
    }
    let mut out = Vec::new();
    for first in 0..n {
        for rest in permutations(n - 1) {
            let mut order = vec![first];
            order.extend(rest.into_iter().map(|i| if i >= first { i + 1 } else { i }));
            out.push(order);
        }
    }
    out
}

/// The report for the estate as entered (its session hosts' modes as set).
fn evaluate_as_entered(
    estate: &Estate,
    today: Date,
    solver: &Solver,
) -> Result<Keyed, EvaluateError> {
    estate
        .validate()
        .map_err(|e| EvaluateError::Invalid(e.to_string()))?;
    let demand = rules::demand(estate, today);
    if demand.shared_external.is_empty() {
        // Which two administrators per product are exempt: every choice is priced in full, and
        // while the user types the rule of thumb's choice stands for the full answer.
        if let Some((picks, every)) = admin_picks(&demand) {
            match solver.effort {
                Effort::Full => {
                    return evaluate_admin_picks(estate, today, demand, (&picks, every), solver)
                }
                Effort::Quick => solver.cut_short.set(true),
            }
        }
        return evaluate_demand(estate, demand, solver).map(|e| (e.report, e.key));
    }
    // External people at the organisation's shared devices: for a product with an External
    // Connector each such class's access there is licensed by a User CAL, the devices' Device
    // CALs or connectors on the hosts, a choice the cut cannot hold. The demand records it either
    // way; every combination of the two is priced when there are few, else the two uniform ones.
    let pairs = demand.shared_external.clone();
    // While the user types, only one such class's two variants are all priced; where the full
    // evaluation would price more, the quick answer says it may differ (robustness review 21:
    // eight full evaluations per keystroke).
    let every = match solver.effort {
        Effort::Full => pairs.len() <= SHARED_EXTERNAL_COMBINATIONS,
        Effort::Quick => pairs.len() <= SHARED_EXTERNAL_COMBINATIONS_QUICK,
    };
    if !every && pairs.len() <= SHARED_EXTERNAL_COMBINATIONS {
        solver.cut_short.set(true);
    }
    let variants: Vec<BTreeSet<(usize, CalProduct)>> = if every {
        (1..1usize << pairs.len())
            .map(|m| {
                pairs
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| m >> i & 1 == 1)
                    .map(|(_, p)| *p)
                    .collect()
            })
            .collect()
    } else {
        vec![pairs.iter().copied().collect()]
    };
    let proven = every && demand.shared_external_exact;
    // Every variant exempts the same administrators (the choice does not depend on them).
    let admin_gap = admin_choice_gap(&demand);
    let admin_reason = admin_unproven(&demand);
    let admins = admin_picks(&demand).map(|(picks, _)| (picks, demand.admin_printing.clone()));
    let mut best = evaluate_demand(estate, demand, solver)?;
    let mut best_at = BTreeSet::new();
    let mut lower = best.lower;
    let mut all_priced = true;
    for at in variants {
        match evaluate_demand(estate, rules::demand_with(estate, today, &at), solver) {
            Ok(e) => {
                lower = lower.min(e.lower);
                // A rule of thumb can price below the variant's bound where it breaks a coverage
                // rule the optimiser keeps (external users at a session host given RDS Device
                // CALs for devices of their own): such an answer is not taken.
                if e.key < best.key && e.key.0 >= e.lower {
                    best = e;
                    best_at = at;
                }
            }
            Err(_) => all_priced = false,
        }
    }
    // The choices of exempt administrators the estate without external people at shared
    // devices would price, priced on the cheapest variant's access, each with those who print
    // exempt in full and keeping their CAL for their printers. The choice stays a rule of thumb
    // (`admin_gap`): not every choice with every variant is priced. Review 46's random
    // estates: two administrators who print kept Windows Server Device CALs on their own PCs
    // beside their printers' own, $80.00 above the least.
    if let Some((picks, printing)) = admins {
        match solver.effort {
            Effort::Full => {
                for pick in admin_pick_variants(&picks, &printing) {
                    let demand = rules::demand_with_admins_at(estate, today, &best_at, &pick);
                    if let Ok(e) = evaluate_demand(estate, demand, solver) {
                        if e.key < best.key && e.key.0 >= e.lower {
                            best = e;
                        }
                    }
                }
            }
            Effort::Quick => solver.cut_short.set(true),
        }
    }
    // Each variant's bound holds for its own licensings only: their least is a bound on the
    // estate when, for each class, one of the variants holds the cheapest licensing (see
    // `Demand::shared_external_exact`); otherwise the estate without those accesses bounds it.
    let lower = if proven && all_priced {
        lower
    } else {
        let all: BTreeSet<(usize, CalProduct)> = pairs.iter().copied().collect();
        let without = rules::demand_without(estate, today, &all);
        solver
            .solve(&relax_owned(&without, estate, 0), &Options::default())
            .map_or(0, |s| s.lower_bound_minor)
            .min(best.key.0)
    };
    let fixed_gap = (best.key.0 - lower).max(0);
    Ok(proven_report(
        best,
        fixed_gap,
        admin_gap,
        admin_reason,
        !proven,
        None,
    ))
}

/// The report of the licensing `best`, found among several demands (variants of the shared
/// external access, choices of exempt administrators), with its proof settled over all of them:
/// exact when neither the bound (`fixed_gap`) nor the choice of administrators (`admin_gap`)
/// leaves a gap, and a why that says which, with `priced` (what was priced to prove it) before
/// the findings' caveats.
fn proven_report(
    mut best: Evaluated,
    fixed_gap: i64,
    admin_gap: i64,
    admin_reason: Unproven,
    shared_external: bool,
    priced: Option<(String, &str)>,
) -> Keyed {
    let gap = at_most_the_total(fixed_gap.saturating_add(admin_gap), &best.position);
    let r = &mut best.report.recommendation;
    r.exact = gap == 0;
    r.gap_minor = gap;
    r.why = recommendation_why(
        &best.position,
        &best.report.currency,
        r.exact,
        gap,
        if shared_external {
            Unproven::SharedExternal
        } else if fixed_gap == 0 && admin_gap > 0 {
            admin_reason
        } else if best.m365_choice && fixed_gap > 0 {
            Unproven::M365Seats
        } else if best.rds_external_device && fixed_gap > 0 {
            Unproven::RdsExternalDevice
        } else if best.position.suites_short && !best.position.older_owned_used {
            Unproven::Suites
        } else {
            Unproven::Owned(best.position.older_owned_used)
        },
    );
    if let Some((text, rule)) = priced {
        r.why.text.push_str(&text);
        r.why.rules.push(rule.into());
    }
    add_caveats(&mut r.why, &best.report.findings);
    best.report.rules = referenced_rules(&best.report);
    (best.report, best.key)
}

/// A report with its licensing's cost at the optimiser's prices and at the prices in force
/// ([`Evaluated::key`]), to choose between evaluations of variants of the estate.
type Keyed = (Report, (i64, i64));

/// Whether the demand's Microsoft 365 seats, too few for everyone flagged, had two or more
/// groups of employees to choose between (with one, its members are alike and nothing was
/// chosen).
fn m365_seat_choice(estate: &Estate, demand: &Demand) -> bool {
    demand.m365_short.iter().any(|short| {
        (estate.groups.iter())
            .filter(|g| g.m365 == Some(short.plan) && !g.kind.is_external() && g.count > 0)
            .count()
            > 1
    })
}

/// External classes × products at shared devices up to which every combination of their two
/// variants is priced (2^3 = 8 evaluations); above it, the two uniform ones.
const SHARED_EXTERNAL_COMBINATIONS: usize = 3;
/// The same while the user types (2^1 = 2 evaluations).
const SHARED_EXTERNAL_COMBINATIONS_QUICK: usize = 1;

/// One evaluation of a demand: its report, its proven lower bound, its cost at the optimiser's
/// prices and at the prices in force (the candidates' key) and its position.
struct Evaluated {
    report: Report,
    lower: i64,
    /// Whether `lower` is the bound of one of [`rds_external_device_variants`] and below the
    /// total: external users of a per-device session host, with an RDS External Connector
    /// price entered, were not offered RDS Device CALs.
    rds_external_device: bool,
    /// Whether `lower` is the bound with every person flagged for Microsoft 365 seated, below
    /// the total: the seats, too few for all, went to groups chosen by a rule of thumb.
    m365_choice: bool,
    key: (i64, i64),
    position: Position,
}

/// A gap no greater than the total: no licensing costs less than nothing, so "at most this much
/// cheaper" never says more than the total (an answer priced at the quick effort, its
/// administrators' choice not priced, said "$309.50 in total ... at most $482.39 cheaper").
/// Not where an item has no price: the total leaves it out, the optimiser's does not.
fn at_most_the_total(gap: i64, position: &Position) -> i64 {
    if position.lines.iter().any(|l| l.price_missing) {
        gap
    } else {
        gap.min(position.total_minor.max(0))
    }
}

/// The report for one demand of the estate as entered.
fn evaluate_demand(
    estate: &Estate,
    demand: Demand,
    solver: &Solver,
) -> Result<Evaluated, EvaluateError> {
    let solved = Candidates::compute(&demand, estate, solver)?;
    let (solution, position) = solved.best(&demand, estate);
    let currency = estate.organisation.currency.clone();

    // A proven lower bound: the optimiser's bound on the relaxation that lets every owned CAL count
    // whatever its version (equal to the instance itself when no older CAL is owned).
    let relaxed = relax_owned(&demand, estate, 0);
    let mut lower = if relaxed == demand.instance {
        solved.default.solution.lower_bound_minor
    } else {
        solver
            .solve(&relaxed, &Options::default())
            .map(|s| s.lower_bound_minor)
            .unwrap_or(0)
    };
    // The version-aware search's bound, when it ran (it sees which subjects each owned CAL
    // may serve).
    lower = lower.max(solved.versions_bound);
    // Owned suites license one person or device for all their parts, which the optimiser's
    // pools do not see: the needs no holder can cover bound the purchase too.
    if lower < position.solver_total_minor {
        lower = lower.max(crate::findings::suite_split_bound(estate, &demand));
    }
    // Every way of sharing them, solved, bounds it exactly (on the instance as the optimiser
    // counts owned CALs: with older ones owned, those solves did not relax them).
    if relaxed == demand.instance {
        lower = lower.max(solved.held_bound);
    }
    // Older owned CALs make that bound loose: when it leaves a gap, the same relaxation at each
    // newer generation, newest first, until one closes it (cal-rules §1.2: an old CAL never
    // covers a newer server). Each is a valid bound, so the best of them is.
    if lower < position.solver_total_minor && relaxed != demand.instance {
        let generations: VecSet<u8> = demand
            .products
            .iter()
            .flat_map(|pd| {
                pd.person_rank
                    .values()
                    .chain(pd.device_rank.values())
                    .chain(pd.pool_pair_rank.iter().map(|e| &e.1))
                    .chain(pd.host_rank.values())
                    .chain(pd.base_only_rank.values())
                    .chain(pd.base_only_own_rank.values())
                    .copied()
            })
            .collect();
        for &k in generations
            .iter()
            .rev()
            .take(generations.len().saturating_sub(1))
        {
            if let Ok(s) = solver.solve(&relax_owned(&demand, estate, k), &Options::default()) {
                lower = lower.max(s.lower_bound_minor);
            }
            if lower >= position.solver_total_minor {
                break;
            }
        }
    }
    // Every candidate is a valid licensing, so none can cost less than the bound; one that did
    // would break a coverage rule the optimiser keeps (as the rules of thumb once broke §1.11).
    debug_assert!(
        solved.all().all(|c| c.position.solver_total_minor >= lower),
        "a candidate licensing costs less than the proven lower bound {lower}"
    );
    // With an RDS External Connector price entered, external users of a session host that may
    // be per device were offered an RDS User CAL or the host's connector only, not RDS Device
    // CALs for their own devices (docs/estate-format.md, "Not modelled"): the bound is then the
    // least of the variants that license them with CALs there, which holds for every licensing
    // (metamorphic review 29: entering a $10,000,000 connector price raised $45 to $205, "proven
    // least cost").
    let mut rds_external_device = false;
    for inst in rds_external_device_variants(&relaxed) {
        let bound = solver
            .solve(&inst, &Options::default())
            .map_or(0, |s| s.lower_bound_minor);
        if bound < lower {
            lower = bound;
            rds_external_device = bound < position.solver_total_minor;
        }
    }
    // Which flagged groups the Microsoft 365 seats go to, when too few are owned for all, is a
    // rule of thumb (`rules::person_classes`): the estate with every flagged person seated
    // bounds every choice, as a seat only takes needs away (review 46: 3 E3 seats for 3
    // intranet staff and 3 lawyers, with 3 Core CAL Suites, bought $528.00 "proven" where seating
    // the lawyers and giving the suites to the intranet staff buys nothing).
    let mut m365_choice = false;
    if lower > 0 && m365_seat_choice(estate, &demand) {
        let mut seated = estate.clone();
        seated.organisation.m365.e3_seats = 0;
        seated.organisation.m365.e5_seats = 0;
        let all = rules::demand(&seated, demand.today);
        let bound = solver
            .solve(&relax_owned(&all, &seated, 0), &Options::default())
            .map_or(0, |s| s.lower_bound_minor);
        if bound < lower {
            lower = bound;
            m365_choice = bound < position.solver_total_minor;
        }
    }
    // The bound holds for the administrators exempted; another choice can save at most what it
    // costs to license the two exempted instead ([`admin_choice_gap`]).
    let fixed_gap = (position.solver_total_minor - lower).max(0);
    let admin_gap = admin_choice_gap(&demand);
    let gap = at_most_the_total(fixed_gap.saturating_add(admin_gap), &position);
    let exact = gap == 0;
    let recommendation = Recommendation {
        lines: position.lines.clone(),
        total_minor: position.total_minor,
        exact,
        gap_minor: gap,
        why: recommendation_why(
            &position,
            &currency,
            exact,
            gap,
            if fixed_gap == 0 && admin_gap > 0 {
                admin_unproven(&demand)
            } else if m365_choice {
                Unproven::M365Seats
            } else if rds_external_device {
                Unproven::RdsExternalDevice
            } else if position.suites_short && !position.older_owned_used {
                Unproven::Suites
            } else {
                Unproven::Owned(position.older_owned_used)
            },
        ),
    };

    let products = product_results(estate, &demand, solution, &position, &currency);
    let mut recommendation = recommendation;
    explain_lines(&mut recommendation.lines, &products, &position.rows);
    let scenarios = scenarios(&demand, estate, &solved, &position);
    let per_core = |moved: &[&str]| per_core_purchase_less(estate, demand.today, solver, moved);
    // Who reaches which SQL Servers, indexed when the findings or the break-evens first ask,
    // once for both.
    let sql_reach = std::cell::OnceCell::new();
    let findings =
        crate::findings::findings(estate, &demand, solution, &position, &per_core, &sql_reach);
    // The per-core checks the findings ran: the SQL break-evens show what they found.
    let checked = |id: &str| {
        solver
            .per_core
            .borrow()
            .get(&vec![id.to_string()])
            .copied()
            .flatten()
    };
    let breakevens = breakevens(&demand, estate, &currency, solution, &checked, &sql_reach);
    add_caveats(&mut recommendation.why, &findings);

    let mut report = Report {
        format_version: FORMAT_VERSION,
        estate_name: estate.name.clone(),
        as_of: demand.today,
        currency: currency.clone(),
        prices_note: prices_note(&demand, estate),
        products,
        recommendation,
        scenarios,
        position: position.rows.clone(),
        seats: position.seats.clone(),
        findings,
        breakevens,
        rules: Vec::new(),
        server_names: estate
            .servers
            .iter()
            .filter(|s| !s.name.is_empty() && s.name != s.id)
            .map(|s| (s.id.clone(), s.name.clone()))
            .collect(),
        external_connector_scope: estate.organisation.readings.external_connector_scope,
        readings: estate.organisation.readings.clone(),
    };
    report.rules = referenced_rules(&report);
    Ok(Evaluated {
        report,
        lower,
        rds_external_device,
        m365_choice,
        key: (position.solver_total_minor, position.total_minor),
        position,
    })
}

/// Adds to the recommendation's why what its total and its proof leave out
/// ([`crate::report::total_caveats`]), with the rule each rests on.
fn add_caveats(why: &mut Explanation, findings: &[Finding]) {
    for (rule, caveat) in crate::report::total_caveats(findings) {
        why.text.push_str("; ");
        why.text.push_str(caveat);
        if !why.rules.iter().any(|r| r == rule) {
            why.rules.push(rule.to_string());
        }
    }
}

/// A licensing and its position.
#[derive(Clone)]
struct Candidate {
    solution: Solution,
    position: Position,
}

/// The optimum and the alternatives priced for the scenarios. Every candidate is a valid
/// licensing; the recommendation is the cheapest after what is owned (the optimiser is exact
/// without holdings; with holdings and suites another candidate can be cheaper, and the
/// version-aware position decides).
struct Candidates {
    default: Candidate,
    no_suites: Result<Candidate, OptimiseError>,
    no_ec: Result<Candidate, OptimiseError>,
    heuristics: Vec<(Heuristic, Candidate)>,
    /// The best licensing of the search that sees which subjects each owned lot may serve
    /// (`by_versions`), when older owned CALs are in play.
    versioned: Option<Candidate>,
    /// That search's lower bound on the least cost (0 when it has none).
    versions_bound: i64,
    /// The best of the others, improved by moving classes between User and Device CALs with
    /// owned CALs of every version in view (`polish`); `None` when no move helps.
    polished: Option<Candidate>,
    /// The licensing with the owned User CAL Suites given to holders first ([`held`]), when
    /// the estate owns some.
    held: Option<Candidate>,
    /// The least cost of any licensing when every way of sharing the owned suites was solved
    /// ([`held::every_split`]); 0 when not.
    held_bound: i64,
}

impl Candidates {
    fn compute(
        demand: &Demand,
        estate: &Estate,
        solver: &Solver,
    ) -> Result<Candidates, OptimiseError> {
        let priced = |solution: Solution| Candidate {
            position: position::compute(demand, estate, &solution),
            solution,
        };
        let default = priced(solver.solve(&demand.instance, &Options::default())?);
        let inst = &demand.instance;
        let suites_possible = !inst.suites.is_empty();
        // A connector licenses external users only: with none reaching a product, the solve
        // without connectors is the default's (the usage log of 3,000 people, all internal,
        // solved its 61 cuts twice).
        let ec_possible = inst.products.iter().any(|p| {
            p.prices.external_connector.is_some()
                && (!p.person_host.is_empty()
                    || p.rds_hosts.iter().any(|h| !h.external_people.is_empty()))
        });
        let alternative = |possible: bool, options: Options| -> Result<Candidate, OptimiseError> {
            if possible {
                solver.solve(inst, &options).map(priced)
            } else {
                Ok(Candidate {
                    solution: default.solution.clone(),
                    position: default.position.clone(),
                })
            }
        };
        // An optimum that buys and uses no suite is also the optimum when suites are not allowed
        // (it is allowed there, and nothing cheaper exists with more options): when the default
        // is proven optimal and leaves an option unused, its alternative is the default itself.
        // This saves two proving searches per edit on estates that own licences.
        let proven = default.solution.exact;
        let uses_suites = default.solution.suites.iter().any(|x| x.count > 0);
        let uses_ec = default
            .solution
            .products
            .iter()
            .any(|p| p.external_connectors > 0 || !p.external_connector_hosts.is_empty());
        let no_suites = alternative(
            suites_possible && (uses_suites || !proven),
            Options {
                allow_suites: false,
                ..Options::default()
            },
        );
        let no_ec = alternative(
            ec_possible && (uses_ec || !proven),
            Options {
                allow_external_connectors: false,
                ..Options::default()
            },
        );
        let heuristics = [
            Heuristic::AllUser,
            Heuristic::AllDevice,
            Heuristic::PerGroupSmaller,
        ]
        .into_iter()
        .map(|h| (h, priced(heuristic_solution(demand, estate, h))))
        .collect::<Vec<(Heuristic, Candidate)>>();
        // Only where the others leave a gap to the optimiser's bound: none can beat a licensing
        // that reaches it (the sample's 40 suites: one solve less per edit).
        // The licensings so far: the optimiser's (with and without suites or connectors) and
        // the rules of thumb, each with its rule.
        let so_far: Vec<(Option<Heuristic>, &Candidate)> =
            [Some(&default), no_suites.as_ref().ok(), no_ec.as_ref().ok()]
                .into_iter()
                .flatten()
                .map(|c| (None, c))
                .chain(heuristics.iter().map(|(h, c)| (Some(*h), c)))
                .collect();
        let reached = (so_far.iter()).any(|(_, c)| c.key().0 <= default.solution.lower_bound_minor);
        // The optimiser counts owned CALs at the newest version a product needs: when every
        // owned CAL is that new (or too old for anyone), it saw them as the position does, and
        // neither the version-aware search nor the polish can do better.
        let split = owned_versions_split(demand, estate);
        // Every way of sharing the owned suites among their possible holders, when there are
        // few; else the holders the position would choose under an all-User licensing. Also
        // where a licensing reached the optimiser's bound while it did not see owned CALs as
        // the position does (suites frozen at older versions: an idle one is worth giving to
        // someone who needs only its older parts).
        let solve = |inst: &Instance| solver.solve(inst, &Options::default()).ok();
        let wanted = !reached || split;
        let price = |s: &Solution| {
            let p = position::cost_only(demand, estate, s);
            (p.solver_total_minor, p.total_minor)
        };
        // With too many ways to solve each, a search over them where the others leave a gap:
        // while the user types, only its start (the holders the position would choose), and
        // the quick report says the full one may differ.
        let budget = match solver.effort {
            Effort::Full => HELD_SEARCH_SOLVES,
            Effort::Quick => 1,
        };
        // The licensing of everyone by User CALs, where the others leave a gap: the holders the
        // position would choose under it start the search, or are the candidate.
        let all_user = (heuristics.iter())
            .find(|(h, _)| !reached && *h == Heuristic::AllUser)
            .map(|(_, c)| &c.solution);
        // Then from the holders under each of the others, cheapest first: a licensing of the
        // shared devices by Device suites frees the suites of everyone who uses only them.
        let mut others: Vec<&Candidate> = (so_far.iter())
            .filter(|(h, _)| *h != Some(Heuristic::AllUser))
            .map(|&(_, c)| c)
            .collect();
        crate::sort::sort_by_key(&mut others, |c| c.key());
        let starts: Vec<&Solution> = all_user
            .into_iter()
            .chain(others.iter().map(|c| &c.solution))
            .collect();
        let search = all_user.map(|_| (starts.as_slice(), budget));
        let shared = wanted
            .then(|| held::every_split(demand, estate, solve, price, search))
            .flatten();
        if shared.as_ref().is_some_and(|s| s.2) && solver.effort == Effort::Quick {
            solver.cut_short.set(true);
        }
        let held_bound = shared.as_ref().and_then(|s| s.1).unwrap_or(0);
        let held = match shared {
            Some((s, _, _)) => Some(priced(s)),
            None => all_user
                .and_then(|all_user| held::solution(demand, estate, all_user, solve))
                .map(priced),
        };
        let (versioned, versions_bound) = if split {
            let (versioned, found) = by_versions(demand, estate, solver.effort);
            // Its quick budget stopped it: the full search may find a better licensing or
            // bound (fuzzing: the sample cut down, "at most $99.73 cheaper" quick and
            // "$70.28" in full, with the quick report called complete).
            if found.as_ref().is_some_and(|f| f.exhausted) && solver.effort == Effort::Quick {
                solver.cut_short.set(true);
            }
            (versioned, found.map_or(0, |f| f.lower_bound))
        } else {
            (None, 0)
        };
        let mut solved = Candidates {
            default,
            no_suites,
            no_ec,
            heuristics,
            versioned: None,
            versions_bound,
            polished: None,
            held,
            held_bound,
        };
        let plain = versioned.is_some().then(|| solved.best_candidate().clone());
        solved.versioned = versioned;
        if !split {
            return Ok(solved);
        }
        // In full, each polish has a budget of its own; while the user types, the evaluation's.
        let full = [Cell::new(POLISH_BUDGET), Cell::new(POLISH_BUDGET)];
        let budget = |i: usize| match solver.effort {
            Effort::Full => &full[i],
            Effort::Quick => &solver.polish_quick,
        };
        let start = solved.best_candidate();
        let (mut polished, mut exhausted) = polish(demand, estate, start, budget(0));
        // The polish is a local search: from the version-aware licensing it can stop where it
        // would not from the others' best (3 of 20,000 small group estates). Unless the bound
        // proves the first answer, it starts again from there.
        let reached = polished.as_ref().unwrap_or(start).key();
        let again = plain.filter(|p| start.key() < p.key() && reached.0 > solved.versions_bound);
        if let Some(plain) = again {
            let (other, stopped) = polish(demand, estate, &plain, budget(1));
            exhausted |= stopped;
            if let Some(other) = other.filter(|o| o.key() < reached) {
                polished = Some(other);
            }
        }
        solved.polished = polished;
        // A quick polish stopped short may differ from the full one.
        if exhausted && solver.effort == Effort::Quick {
            solver.cut_short.set(true);
        }
        Ok(solved)
    }

    fn all(&self) -> impl Iterator<Item = &Candidate> {
        [self.no_suites.as_ref().ok(), self.no_ec.as_ref().ok()]
            .into_iter()
            .flatten()
            .chain(self.heuristics.iter().map(|(_, c)| c))
            .chain(self.versioned.as_ref())
            .chain(self.polished.as_ref())
            .chain(self.held.as_ref())
            .chain(std::iter::once(&self.default))
    }

    fn best_candidate(&self) -> &Candidate {
        let mut best = &self.default;
        let others = [
            self.no_suites.as_ref().ok(),
            self.no_ec.as_ref().ok(),
            self.versioned.as_ref(),
            self.polished.as_ref(),
            self.held.as_ref(),
        ];
        for c in others
            .into_iter()
            .flatten()
            .chain(self.heuristics.iter().map(|(_, c)| c))
        {
            if c.rank() < best.rank() {
                best = c;
            }
        }
        best
    }

    /// The cheapest licensing and its position, with explanations (the searches price theirs
    /// without).
    fn best(&self, demand: &Demand, estate: &Estate) -> (&Solution, Position) {
        let best = self.best_candidate();
        let position = if best.position.explained {
            best.position.clone()
        } else {
            position::compute(demand, estate, &best.solution)
        };
        (&best.solution, position)
    }

    /// The cheapest candidate that buys and uses no External Connector (`connectors`) or else
    /// no suite: the optimiser's answer under that restriction is one of them, and the others
    /// (rules of thumb, the version-aware polish) are valid licensings under it too, so the
    /// scenario is never dearer than the cheapest mix when the cheapest mix needs neither.
    fn best_without(&self, connectors: bool) -> Option<&Candidate> {
        let restricted = if connectors {
            &self.no_ec
        } else {
            &self.no_suites
        };
        let uses = |c: &Candidate| {
            if connectors {
                c.uses_connectors()
            } else {
                c.uses_suites()
            }
        };
        restricted
            .as_ref()
            .ok()
            .into_iter()
            .chain(self.all())
            .filter(|c| !uses(c))
            .min_by_key(|c| c.key())
    }
}

impl Candidate {
    /// Cheapest first: at the optimiser's prices, then at the prices in force.
    fn key(&self) -> (i64, i64) {
        (self.position.solver_total_minor, self.position.total_minor)
    }

    /// [`Self::key`], then, of licensings at one cost, the one that keeps the newer owned CALs
    /// idle (`Position::idle_newness`): the older ones are used where they fit.
    fn rank(&self) -> (i64, i64, std::cmp::Reverse<i64>) {
        let (a, b) = self.key();
        (a, b, std::cmp::Reverse(self.position.idle_newness))
    }

    fn uses_connectors(&self) -> bool {
        self.solution
            .products
            .iter()
            .any(|p| p.external_connectors > 0 || !p.external_connector_hosts.is_empty())
    }

    fn uses_suites(&self) -> bool {
        self.solution.suites.iter().any(|x| x.count > 0)
    }
}

/// Solves the search over ways of sharing owned suites may make when there are too many to
/// solve each ([`held::every_split`]); while the user types, one.
const HELD_SEARCH_SOLVES: usize = 24;

/// Cuts the version-aware search may solve (each also prices a position).
const VERSION_CUTS: usize = 40;
/// The same while the user types.
const VERSION_CUTS_QUICK: usize = 12;

/// The version-aware search (`optimise::versions`) on the estate: owned User and Device CALs as
/// lots by generation, each serving only subjects no newer than it; External Connectors and
/// suites as the relaxation at every generation counts them (`relax_owned`). Owned suites are lots
/// of their contents, as in the position. Every licensing it meets is priced by the position;
/// returns the cheapest and what the search found (its lower bound, whether its cuts ran out).
fn by_versions(
    demand: &Demand,
    estate: &Estate,
    effort: Effort,
) -> (Option<Candidate>, Option<crate::optimise::versions::Found>) {
    use crate::optimise::versions::{self, ClassRanks, Lot};
    let mut inst = relax_owned(demand, estate, 0);
    for p in &mut inst.products {
        p.owned.user_cals = 0;
        p.owned.device_cals = 0;
    }
    let owned = owned_by_rank(estate, demand.today);
    let lots: Vec<Lot> = inst
        .products
        .iter()
        .enumerate()
        .flat_map(|(k, p)| {
            owned
                .get(&p.product)
                .into_iter()
                .flatten()
                .filter(|l| matches!(l.kind, LicenceKind::UserCal | LicenceKind::DeviceCal))
                .map(move |l| Lot {
                    product: k,
                    device: l.kind == LicenceKind::DeviceCal,
                    rank: l.rank,
                    quantity: l.quantity,
                })
        })
        .collect();
    let ranks: Vec<ClassRanks> = demand
        .products
        .iter()
        .map(|pd| ClassRanks {
            person: (0..inst.people.len())
                .map(|c| pd.person_cal_rank(c))
                .collect(),
            own: (0..inst.people.len()).map(|c| pd.own_cal_rank(c)).collect(),
            // The oldest a shared device can need: its people's User CALs may cover the
            // newer access (a relaxation, so the bound stays one).
            device: (0..inst.devices.len())
                .map(|v| pd.pool_cal_rank_least(v))
                .collect(),
        })
        .collect();
    let cuts = match effort {
        Effort::Full => VERSION_CUTS,
        Effort::Quick => VERSION_CUTS_QUICK,
    };
    let mut best: Option<Candidate> = None;
    let found = versions::search(&inst, &ranks, &lots, cuts, |solution| {
        let candidate = Candidate {
            position: position::cost_only(demand, estate, &solution),
            solution,
        };
        let cost = candidate.key().0;
        if best.as_ref().is_none_or(|b| candidate.key() < b.key()) {
            best = Some(candidate);
        }
        cost
    });
    (best, found.ok())
}

/// How much work `polish` may do, in classes priced: each move prices a position, whose cost
/// grows with the classes of people and devices, and estates from exact usage logs can have
/// thousands of classes of one (1,500 people: 0.45 s in full, about 650 positions).
const POLISH_BUDGET: usize = 2_000_000;
/// The same while the user types, for the whole evaluation: small estates polish in full, and
/// one stopped short says so, leaving the rest to the full evaluation in the worker (robustness
/// review 21: 200,000 per demand polished let 20 departments owning older CALs take 0.14 s, and
/// 3.2 s with kiosks shared with partners, per keystroke).
const POLISH_BUDGET_QUICK: usize = 5_000;

/// Improves the best licensing found by moving whole classes between User CALs and their own
/// devices' Device CALs, priced by the version-aware position (review: 15 owned Device CALs
/// whose Software Assurance made them 2025 CALs lay idle and 35 User CALs were bought, where
/// Device CALs for the two groups reaching the newest servers left 20 to buy). The optimiser sees
/// owned CALs only at the newest version a product needs, and the rules of thumb treat every
/// group alike, so neither finds a mix where older owned User CALs serve the groups on older
/// servers and newer owned Device CALs those on newer ones. Every move keeps the licensing valid:
/// a class leaves User CALs only when each shared device it uses holds a Device CAL, additive CALs
/// keep their base (`add_missing_bases`), External Connectors, session hosts and suites are not
/// touched. Deterministic, so the quick and the full effort agree. `None` when nothing improves.
/// Returns the improvement, if any, and whether the budget ran out before the moves did.
fn polish(
    demand: &Demand,
    estate: &Estate,
    start: &Candidate,
    budget: &Cell<usize>,
) -> (Option<Candidate>, bool) {
    let inst = &demand.instance;
    // Run only when owned CALs of several versions are in play (`owned_versions_split`, checked
    // by the caller).
    if start.solution.products.len() != inst.products.len() {
        return (None, false);
    }
    let mult = |c: usize| inst.people.get(c).map_or(0, |p| p.multiplicity);
    let dmult = |d: usize| inst.devices.get(d).map_or(0, |p| p.multiplicity);
    // (product, class) pairs that may move: internal people reaching the product from their own
    // devices (`people`) or shared ones (`person_device`), not through a session host.
    let pools_of = |k: usize, c: usize| {
        inst.products[k]
            .person_device
            .iter()
            .filter(move |&&(p, _)| p == c)
            .map(|&(_, v)| v)
    };
    let movable = |k: usize, c: usize| {
        let pi = &inst.products[k];
        pi.rds_hosts.is_empty()
            && (pi.people.contains(&c) || pools_of(k, c).next().is_some())
            && !pi.person_host.iter().any(|&(p, _)| p == c)
            && inst.people.get(c).is_some_and(|p| !p.external)
    };
    // Classes needing the newest versions first: owned CALs made current by Software Assurance
    // serve them, and the budget may run out on estates of many classes.
    let newest = |c: usize| {
        demand
            .products
            .iter()
            .filter_map(|pd| pd.person_rank.get(&c))
            .max()
            .copied()
            .unwrap_or(0)
    };
    let mut classes: Vec<usize> = (0..inst.people.len())
        .filter(|&c| (0..inst.products.len()).any(|k| movable(k, c)))
        .collect();
    crate::sort::sort_by_key(&mut classes, |&c| (std::cmp::Reverse(newest(c)), c));
    // A move: every product of a class at once (an additive CAL moves with its base), then each
    // product alone when the class has several.
    let mut moves: Vec<(Option<usize>, usize)> = Vec::new();
    for &c in &classes {
        moves.push((None, c));
        let ks: Vec<usize> = (0..inst.products.len())
            .filter(|&k| movable(k, c))
            .collect();
        if ks.len() > 1 {
            moves.extend(ks.into_iter().map(|k| (Some(k), c)));
        }
    }
    // With the whole class `c` on User CALs, a shared device it uses that no one else needs
    // licensed (everyone who uses it holds a User CAL, and it has no use of its own) gives up
    // its Device CALs (review 12: a person on a 2016 server moving to an owned 2016 User CAL
    // left their logged device's CAL bought).
    let release = |ps: &mut ProductSolution, k: usize, c: usize| {
        let pi = &inst.products[k];
        for v in pools_of(k, c) {
            let needed = pi.unattended_devices.contains(&v)
                || pi.base_only_devices.contains(&v)
                || pi.person_device.iter().any(|&(p, w)| {
                    w == v && ps.user_cals_per_class.get(p).copied() != Some(mult(p))
                });
            if let (false, Some(n)) = (needed, ps.device_cals_per_class.get_mut(v)) {
                *n = 0;
            }
        }
    };
    // Everyone who uses shared device class `v` on User CALs and its Device CALs given up, for
    // product `k`: two people on one device, each moving alone, never free it. `None` when the
    // device holds none or someone who uses it may not move.
    let free_device = |solution: &Solution, k: usize, v: usize| -> Option<Solution> {
        let pi = &inst.products[k];
        if pi.unattended_devices.contains(&v) || pi.base_only_devices.contains(&v) {
            return None;
        }
        let users: Vec<usize> = pi
            .person_device
            .iter()
            .filter(|&&(_, w)| w == v)
            .map(|&(p, _)| p)
            .collect();
        if users.is_empty() || !users.iter().all(|&p| movable(k, p)) {
            return None;
        }
        let licensed = solution.products.get(k)?.device_cals_per_class.get(v);
        if licensed.copied().unwrap_or(0) == 0 {
            return None;
        }
        let mut solution = solution.clone();
        let ps = solution.products.get_mut(k)?;
        for &p in &users {
            *ps.user_cals_per_class.get_mut(p)? = mult(p);
            if let Some(own) = ps.own_device_cals_per_class.get_mut(p) {
                *own = 0;
            }
        }
        for &p in &users {
            release(ps, k, p);
        }
        complete_and_count(inst, &mut solution.products);
        Some(solution)
    };
    let device_moves: Vec<(usize, usize)> = (0..inst.products.len())
        .flat_map(|k| {
            let mut vs: Vec<usize> = inst.products[k]
                .person_device
                .iter()
                .map(|&(_, v)| v)
                .collect();
            vs.sort_unstable();
            vs.dedup();
            vs.into_iter().map(move |v| (k, v))
        })
        .collect();
    // The licensing with `t` members of class `c` licensed by Device CALs (their own devices'
    // and every shared device they use) and the others by User CALs, for product `only` or
    // every movable product of the class; `None` when the class is not wholly on one or the
    // other (a suite or an External Connector covers part of it).
    let with_split =
        |solution: &Solution, only: Option<usize>, c: usize, t: u32| -> Option<Solution> {
            let m = mult(c);
            let mut solution = solution.clone();
            let ks: Vec<usize> = match only {
                Some(k) => vec![k],
                None => (0..inst.products.len())
                    .filter(|&k| movable(k, c))
                    .collect(),
            };
            for k in ks {
                let in_people = inst.products[k].people.contains(&c);
                let ps = solution.products.get_mut(k)?;
                let user = ps.user_cals_per_class.get(c).copied().unwrap_or(0);
                let own = ps.own_device_cals_per_class.get(c).copied().unwrap_or(0);
                let on_devices = if in_people { own } else { m.checked_sub(user)? };
                let pools_licensed = pools_of(k, c)
                    .all(|v| ps.device_cals_per_class.get(v).copied() == Some(dmult(v)));
                if m == 0
                    || user.checked_add(on_devices) != Some(m)
                    || (on_devices > 0 && !pools_licensed)
                {
                    return None;
                }
                if t > 0 {
                    for v in pools_of(k, c) {
                        *ps.device_cals_per_class.get_mut(v)? = dmult(v);
                    }
                }
                *ps.user_cals_per_class.get_mut(c)? = m - t;
                if in_people {
                    *ps.own_device_cals_per_class.get_mut(c)? = t;
                }
                if t == 0 {
                    release(ps, k, c);
                }
                // People who reach the product only through shared devices that stay licensed
                // (for others) need no User CAL: holding one would keep an owned CAL idle.
                let pooled = !in_people && pools_of(k, c).next().is_some();
                if pooled
                    && pools_of(k, c)
                        .all(|v| ps.device_cals_per_class.get(v).copied() == Some(dmult(v)))
                {
                    *ps.user_cals_per_class.get_mut(c)? = 0;
                }
            }
            complete_and_count(inst, &mut solution.products);
            Some(solution)
        };
    let mut best = Candidate {
        solution: start.solution.clone(),
        position: start.position.clone(),
    };
    // The best seen, tie-break included: the moves along a plateau of one cost go on from
    // `best`, which may leave the better of two equal licensings behind.
    let mut kept: Option<Candidate> = None;
    // Each position priced costs about one unit per class of people and devices.
    let per_position = (inst.people.len() + inst.devices.len()).max(1);
    let mut exhausted = false;
    'passes: for _ in 0..3 {
        let mut pass_moved = false;
        for &(only, c) in &moves {
            if budget.get() < per_position {
                exhausted = true;
                break 'passes;
            }
            if with_split(&best.solution, only, c, 0).is_none() {
                continue;
            }
            // The cost is convex in how many members move: User CALs saved fall as owned ones
            // run out, Device CALs bought rise as owned ones run out. Each licensing is priced
            // once.
            let priced: std::cell::RefCell<VecMap<u64, Candidate>> = Default::default();
            let price = |t: u64| -> i128 {
                if let Some(c) = priced.borrow().get(&t) {
                    return i128::from(c.key().0);
                }
                let Some(solution) = with_split(
                    &best.solution,
                    only,
                    c,
                    u32::try_from(t).unwrap_or(u32::MAX),
                ) else {
                    return i128::MAX;
                };
                budget.set(budget.get().saturating_sub(per_position));
                let candidate = Candidate {
                    position: position::cost_only(demand, estate, &solution),
                    solution,
                };
                let cost = i128::from(candidate.key().0);
                priced.borrow_mut().insert(t, candidate);
                cost
            };
            let m = u64::from(mult(c));
            let mut first = crate::optimise::convex_argmin(m, price);
            // Freeing shared devices at 0 (above) can make the all-users end cheaper than the
            // convex search sees.
            if price(0) < price(first) {
                first = 0;
            }
            let lowest = price(first);
            // The minimisers form an interval: when its first end is where the class stands,
            // the other end is the move along the plateau.
            let (mut lo, mut hi) = (first, m);
            while lo < hi {
                let mid = lo + (hi - lo).div_ceil(2);
                if price(mid) == lowest {
                    lo = mid;
                } else {
                    hi = mid - 1;
                }
            }
            let mut priced = priced.into_inner();
            let stays = |t: u64| priced.get(&t).is_none_or(|x| x.solution == best.solution);
            let t = if stays(first) { lo } else { first };
            let Some(candidate) = priced.remove(&t) else {
                continue;
            };
            // A move at equal cost is taken too: it can free owned licences another class
            // needs (one group moving to its owned User CALs frees the Device CALs a second
            // group's last member lacks), which the next move then uses.
            if candidate.key() <= best.key() && candidate.solution != best.solution {
                if candidate.rank() < kept.as_ref().unwrap_or(start).rank() {
                    kept = Some(candidate.clone());
                }
                best = candidate;
                pass_moved = true;
            }
        }
        for &(k, v) in &device_moves {
            if budget.get() < per_position {
                exhausted = true;
                break 'passes;
            }
            let Some(solution) = free_device(&best.solution, k, v) else {
                continue;
            };
            budget.set(budget.get().saturating_sub(per_position));
            let candidate = Candidate {
                position: position::cost_only(demand, estate, &solution),
                solution,
            };
            if candidate.key() < best.key() {
                if candidate.rank() < kept.as_ref().unwrap_or(start).rank() {
                    kept = Some(candidate.clone());
                }
                best = candidate;
                pass_moved = true;
            }
        }
        if !pass_moved {
            break;
        }
    }
    let best = match kept {
        Some(k) if k.rank() <= best.rank() => k,
        _ => best,
    };
    let improved = best.rank() < start.rank();
    (improved.then_some(best), exhausted)
}

/// Whether some owned User or Device CAL of a product is new enough for some of those who need
/// the product but older than what others need: the only case in which the optimiser, which
/// counts owned CALs at the newest version needed, does not see them as the position does.
fn owned_versions_split(demand: &Demand, estate: &Estate) -> bool {
    if estate.holdings.is_empty() {
        return false;
    }
    let owned = owned_by_rank(estate, demand.today);
    demand.products.iter().any(|pd| {
        // User CALs serve people; Device CALs their own devices and the shared ones.
        let people = pd.person_rank.values().min();
        let devices = pd
            .person_rank
            .values()
            .chain(pd.own_rank.values())
            .chain(pd.device_rank.values())
            .chain(pd.pool_pair_rank.iter().map(|e| &e.1))
            .chain(pd.base_only_rank.values())
            .chain(pd.base_only_own_rank.values())
            .min();
        owned.get(&pd.product).is_some_and(|lots| {
            lots.iter().any(|l| {
                let oldest = match l.kind {
                    LicenceKind::UserCal => people,
                    LicenceKind::DeviceCal => devices,
                    _ => None,
                };
                l.quantity > 0 && oldest.is_some_and(|&o| l.rank >= o) && l.rank < pd.max_rank
            })
        })
    })
}

/// Session hosts up to which each combination of their external users' licensing (the host's
/// connector, or CALs as the host's mode asks) is bounded apart ([`rds_external_device_variants`]).
const RDS_EXTERNAL_DEVICE_HOSTS: usize = 3;

/// The variants of `inst` that bound, with it, every licensing of external users on session
/// hosts that may be per device (fixed so, or the optimiser's choice) when an RDS External
/// Connector price is entered; empty when there is none. The instance offers them an RDS User
/// CAL or the host's connector only, not RDS Device CALs for their own devices, so its optimum
/// may be above the estate's. A licensing either buys the host's connector, which covers them
/// there as the instance does, or licenses them with CALs as anyone on the host (their access
/// moved among the host's people, as without a connector price): one variant per set of hosts
/// without a connector, up to [`RDS_EXTERNAL_DEVICE_HOSTS`] hosts; beyond, one relaxation
/// without their access on those hosts.
fn rds_external_device_variants(inst: &Instance) -> Vec<Instance> {
    let affected: Vec<(usize, usize)> = (inst.products.iter().enumerate())
        .filter(|(_, p)| p.product == CalProduct::Rds && p.prices.external_connector.is_some())
        .flat_map(|(k, p)| {
            (p.rds_hosts.iter().enumerate())
                .filter(|(_, r)| r.mode != Some(RdsMode::PerUser) && !r.external_people.is_empty())
                .map(move |(i, _)| (k, i))
        })
        .collect();
    if affected.is_empty() {
        return Vec::new();
    }
    if affected.len() > RDS_EXTERNAL_DEVICE_HOSTS {
        let mut out = inst.clone();
        for &(k, i) in &affected {
            out.products[k].rds_hosts[i].external_people.clear();
        }
        return vec![out];
    }
    (1..1usize << affected.len())
        .map(|set| {
            let mut out = inst.clone();
            for (bit, &(k, i)) in affected.iter().enumerate() {
                if set & (1 << bit) != 0 {
                    let r = &mut out.products[k].rds_hosts[i];
                    let external = std::mem::take(&mut r.external_people);
                    r.people.extend(external);
                    r.people.sort_unstable();
                    r.people.dedup();
                }
            }
            out
        })
        .collect()
}

/// A relaxation of the version-aware problem at CAL generation `k` (0: all of it): only the
/// subjects (people, own and shared devices, hosts) that need generation `k` or newer, only the
/// access that involves nothing older, and every owned lot of generation `k` or newer usable by
/// any of them whatever its exact version. A licensing of the estate, cut down to those subjects,
/// is a licensing of this instance, and by Hall's theorem on nested versions it buys at least
/// `max(0, needed ≥ k − owned ≥ k)` of each licence type, which is what this instance charges:
/// so its optimiser's lower bound is a lower bound of the estate's least cost. At `k` = 0 it lets
/// every owned CAL count; a higher `k` sees that old CALs cannot cover the newest servers.
fn relax_owned(demand: &Demand, estate: &Estate, k: u8) -> Instance {
    let owned = owned_by_rank(estate, demand.today);
    let mut inst = demand.instance.clone();
    if k > 0 {
        restrict_to_generation(&mut inst, demand, k);
    }
    let external: Vec<bool> = inst.people.iter().map(|c| c.external).collect();
    for (p, pd) in inst.products.iter_mut().zip(&demand.products) {
        let lots = owned.get(&p.product).cloned().unwrap_or_default();
        // A lot older than every subject that could use it can never count: leave it out, which
        // keeps the relaxation valid and its bound tighter.
        let kept = |c: &usize| p.reaches_person(*c);
        let persons = pd
            .person_rank
            .iter()
            .filter(|(c, _)| k == 0 || kept(c))
            .map(|(_, &r)| r)
            .min();
        // Devices there only to carry the base of an additive Device CAL need Device CALs too.
        let base_only = pd
            .base_only_rank
            .iter()
            .filter(|(v, _)| k == 0 || p.base_only_devices.contains(v))
            .chain(
                pd.base_only_own_rank
                    .iter()
                    .filter(|(c, _)| k == 0 || p.base_only_own.contains(c)),
            )
            .map(|(_, &r)| r);
        // Own devices at an RDS host fixed per device may need an older generation than the
        // person's User CAL.
        let own = pd
            .own_rank
            .iter()
            .filter(|(c, _)| k == 0 || kept(c))
            .map(|(_, &r)| r);
        let devices = pd
            .device_rank
            .values()
            .chain(pd.pool_pair_rank.iter().map(|e| &e.1))
            .copied()
            .chain(persons)
            .chain(own)
            .chain(base_only)
            .min();
        // The oldest connector any host may use, those where it is only the base of an additive
        // one (RDS, AD RMS) included at the version they ask (review 22b: a 2016 one counted
        // free beside 2019 hosts, and the bound left a gap where the answer was proven); with
        // no such host, any owned one may count (counting more keeps the relaxation valid).
        let hosts = (pd.host_rank.keys().chain(pd.base_host_rank.keys()))
            .map(|&h| pd.connector_rank(h))
            .min()
            .or(Some(0));
        let floor = |f: Option<u8>| f.map(|f| f.max(k));
        let sum = |kind: LicenceKind, floor: Option<u8>| {
            lots.iter()
                .filter(|l| l.kind == kind && floor.is_some_and(|f| l.rank >= f))
                .map(|l| l.quantity)
                .sum()
        };
        p.owned.user_cals = sum(LicenceKind::UserCal, floor(persons));
        p.owned.device_cals = sum(LicenceKind::DeviceCal, floor(devices));
        // Connectors assigned to a host serve that host only (free there, however many), at
        // the relaxed version floor; the unassigned ones form the pool.
        let ec_lots = || {
            lots.iter().filter(|l| {
                l.kind == LicenceKind::ExternalConnector
                    && floor(hosts).is_some_and(|f| l.rank >= f)
            })
        };
        // A host no external user of this product reaches may still need one beneath an
        // additive connector, of the version the instance and the position ask there
        // (`connector_rank`, whatever the floor of the others): an assigned one that new is
        // free there too.
        let mut free: Vec<usize> = lots
            .iter()
            .filter(|l| l.kind == LicenceKind::ExternalConnector)
            .filter_map(|l| {
                position::assigned_unit(demand, estate, l).filter(|u| {
                    if pd.host_rank.contains_key(u) {
                        floor(hosts).is_some_and(|f| l.rank >= f)
                    } else {
                        l.rank >= pd.connector_rank(*u)
                    }
                })
            })
            .collect();
        // Without a connector price none can be bought and the unassigned ones are placed on
        // hosts by a rule of thumb (`rules::finish_product`): a relaxation lets them serve any
        // host, a session host's external users too (the instance counts them among its people
        // where none was placed).
        let pool = ec_lots().any(|l| position::assigned_unit(demand, estate, l).is_none());
        if p.prices.external_connector.is_none() && pool {
            free.extend(pd.host_rank.keys().chain(pd.base_host_rank.keys()));
            for r in &mut p.rds_hosts {
                free.push(r.host);
                let (ext, own): (Vec<usize>, Vec<usize>) = r
                    .people
                    .iter()
                    .partition(|&&c| external.get(c).copied().unwrap_or(false));
                r.people = own;
                r.external_people.extend(ext);
                r.external_people.sort_unstable();
                r.external_people.dedup();
            }
        }
        free.sort_unstable();
        free.dedup();
        // A connector the instance holds too old to be the base of an additive one stays so
        // where it is still free; where it is not, the host's connector is bought anyway and
        // charging the base again would price above the instance.
        p.base_short.retain(|(_, h)| free.contains(h));
        p.owned_ec_hosts = free;
        p.owned.external_connectors = ec_lots()
            .filter(|l| position::assigned_unit(demand, estate, l).is_none())
            .map(|l| l.quantity)
            .sum();
    }
    inst
}

/// Keeps in `inst` only the subjects that need CAL generation `k` or newer and the access among
/// them (dropping a requirement only ever lowers the optimum, so the result stays a relaxation;
/// an additive CAL's pairing with its base lapses when either subject is dropped).
fn restrict_to_generation(inst: &mut Instance, demand: &Demand, k: u8) {
    for (p, pd) in inst.products.iter_mut().zip(&demand.products) {
        let rp = |c: &usize| pd.person_rank.get(c).copied().unwrap_or(pd.max_rank) >= k;
        let rd = |v: &usize| pd.device_rank.get(v).copied().unwrap_or(pd.max_rank) >= k;
        // A shared device needs generation `k` for a person class only when that class reaches
        // `k` from it, and for itself when its unattended access does (`pool_cal_rank`).
        let rpd = |c: &usize, v: &usize| match pd.pool_pair(*v, *c) {
            Some(r) if pd.pool_ranks_known(*v) => r >= k,
            _ => rd(v),
        };
        let ru = |v: &usize| match pd.pool_fixed_rank.get(v) {
            Some(&r) if pd.pool_ranks_known(*v) => r >= k,
            _ => rd(v),
        };
        let rh = |h: &usize| pd.connector_rank(*h) >= k;
        p.people.retain(rp);
        p.person_device.retain(|(c, v)| rp(c) && rpd(c, v));
        p.person_host.retain(|(c, h)| rp(c) && rh(h));
        p.unattended_devices.retain(ru);
        let rb = |v: &usize| pd.base_only_rank.get(v).copied().unwrap_or(pd.max_rank) >= k;
        let ro = |c: &usize| pd.base_only_own_rank.get(c).copied().unwrap_or(pd.max_rank) >= k;
        p.base_only_devices.retain(rb);
        p.base_only_own.retain(ro);
        // Own devices there need the generation `own_cal_rank` says: both must be new enough.
        let rown = |c: &usize| pd.own_cal_rank(*c) >= k;
        for r in &mut p.rds_hosts {
            r.people.retain(|c| rp(c) && rown(c));
            r.person_device.retain(|(c, v)| rp(c) && rd(v));
            if !rh(&r.host) {
                r.external_people.clear();
            }
            r.external_people.retain(rp);
        }
    }
}

/// Choices of the administrators exempt from each product's CALs (cal-rules §1.8 item 3) up to
/// which every one is priced in full ([`evaluate_admin_picks`]); beyond it, the rule of thumb's
/// choice with its bound ([`admin_choice_gap`]).
const ADMIN_PICKS: usize = 36;

/// The pair of administrators exempt per base product, in one choice of them.
type AdminPairs = VecMap<CalProduct, Vec<usize>>;

/// The distinct pairs of administrators one base product (with its additive ones) can exempt,
/// from its candidates in sets of interchangeable ones ([`rules::Demand::admin_candidates`]):
/// two of one set, one each of two sets, or the only one.
fn admin_pairs(sets: &[Vec<usize>]) -> Vec<Vec<usize>> {
    let mut pairs = Vec::new();
    for (i, a) in sets.iter().enumerate() {
        if let [x, y, ..] = a[..] {
            pairs.push(vec![x, y]);
        }
        pairs.extend(sets[i + 1..].iter().map(|b| vec![a[0], b[0]]));
    }
    if let ([], [only]) = (&pairs[..], sets) {
        pairs.extend(only.first().map(|&x| vec![x]));
    }
    pairs
}

/// Whether which administrators a base product exempts is a choice: several distinct pairs, or
/// candidates who print ([`rules::Demand::admin_printing`]), who may keep its CAL.
fn admin_choice(demand: &Demand, base: CalProduct) -> bool {
    demand.admin_printing.contains_key(&base)
        || demand
            .admin_candidates
            .get(&base)
            .is_some_and(|sets| admin_pairs(sets).len() > 1)
}

/// The choices of the pair of administrators exempt per base product that the full evaluation
/// prices, and whether they are every choice: all of them, where there is a choice
/// ([`admin_choice`]), when there are at most [`ADMIN_PICKS`]; beyond that, where some print,
/// the rule of thumb's pairs and the pairs whose CALs would cost the most
/// ([`rules::Demand::admin_exempt`]); else none. Which of a pair who print keep the base
/// product's CAL is settled per pair ([`admin_printers_kept`]).
fn admin_picks(demand: &Demand) -> Option<(Vec<AdminPairs>, bool)> {
    let beyond = || {
        let pick = |k: usize| -> AdminPairs {
            (demand.admin_exempt.iter())
                .filter_map(|(&p, pairs)| Some((p, pairs.get(k).or(pairs.first())?.clone())))
                .collect()
        };
        let mut picks = vec![pick(0), pick(1)];
        picks.dedup();
        // Without administrators who print, the rule of thumb's pairs are the demand's own.
        if demand.admin_printing.is_empty() {
            picks.clear();
        }
        Some((picks, false))
    };
    let mut picks = vec![VecMap::new()];
    for (&p, sets) in &demand.admin_candidates {
        if !admin_choice(demand, p) {
            continue;
        }
        let pairs = admin_pairs(sets);
        if picks.len().saturating_mul(pairs.len()) > ADMIN_PICKS {
            return beyond();
        }
        picks = picks
            .iter()
            .flat_map(|m| {
                pairs.iter().map(move |pair| {
                    let mut m = m.clone();
                    m.insert(p, pair.clone());
                    m
                })
            })
            .collect();
    }
    (picks.len() > 1 || !demand.admin_printing.is_empty()).then_some((picks, true))
}

/// For the pairs of `pairs`, which administrators who print keep the base product's CAL (cal-rules
/// §1.8 item 3 and item 8), and a bound on every way of choosing it: the demand that lets each of
/// them hold a CAL for their printers alone ([`rules::demand_for_admin_printers`]) is solved, and
/// those whose printers it leaves without some Device CAL (so covered by their CAL) keep theirs.
/// `None` for the bound when it could not be solved.
fn admin_printers_kept(
    estate: &Estate,
    today: Date,
    pairs: &AdminPairs,
    printing: &VecMap<CalProduct, BTreeMap<usize, BTreeSet<usize>>>,
    solver: &Solver,
) -> (VecMap<CalProduct, AdminPick>, Option<i64>) {
    let in_full = exempt_in_full(pairs);
    if printing.is_empty() {
        return (in_full, None);
    }
    let relaxed = relax_owned(
        &rules::demand_for_admin_printers(estate, today, &in_full),
        estate,
        0,
    );
    let Ok(solved) = solver.solve(&relaxed, &Options::default()) else {
        return (in_full, None);
    };
    // As in `evaluate_demand`: the model offers external users of a per-device session host no
    // RDS Device CALs when a connector is priced, so the bound is the least with them.
    let bound = rds_external_device_variants(&relaxed)
        .iter()
        .map(|inst| {
            solver
                .solve(inst, &Options::default())
                .map_or(0, |s| s.lower_bound_minor)
        })
        .fold(solved.lower_bound_minor, i64::min);
    let mut picks = in_full;
    for (p, pick) in &mut picks {
        let (Some(pools), Some(sol)) = (
            printing.get(p),
            solved.products.iter().find(|x| x.product == *p),
        ) else {
            continue;
        };
        pick.keep_base = pick
            .exempt
            .iter()
            .copied()
            .filter(|c| {
                pools.get(c).is_some_and(|ds| {
                    ds.iter().any(|&d| {
                        let n = relaxed.devices.get(d).map_or(0, |x| x.multiplicity);
                        sol.device_cals_per_class.get(d).copied().unwrap_or(0) < n
                    })
                })
            })
            .collect();
    }
    (picks, Some(bound))
}

/// The report of the cheapest choice of exempt administrators: each of `picks` is priced as its
/// own demand, and when they are `every` choice the least of their proven bounds bounds the
/// estate (every licensing exempts some two per product; where some of them print, the bound of
/// every way for them to keep their CAL, [`admin_printers_kept`]). Metamorphic review 25 left
/// this a rule of thumb (those whose CALs would cost the most) with a bound of two User CALs per
/// product, which still holds beyond [`ADMIN_PICKS`] choices, where the full evaluation also
/// searches other pairs from the best of `picks` ([`admin_descent`]).
fn evaluate_admin_picks(
    estate: &Estate,
    today: Date,
    demand: Demand,
    (picks, every): (&[AdminPairs], bool),
    solver: &Solver,
) -> Result<Keyed, EvaluateError> {
    let fallback_gap = admin_choice_gap(&demand);
    let reason = admin_unproven(&demand);
    let printing = demand.admin_printing.clone();
    let families: Vec<(CalProduct, Vec<Vec<usize>>)> = (demand.admin_candidates.iter())
        .filter(|(&p, _)| admin_choice(&demand, p))
        .map(|(&p, sets)| (p, admin_pairs(sets)))
        .collect();
    // The rule of thumb's pairs, which the demand exempts.
    let mut best_pairs: AdminPairs = (demand.admin_exempt.iter())
        .filter_map(|(&p, pairs)| Some((p, pairs.first()?.clone())))
        .collect();
    let mut best = evaluate_demand(estate, demand, solver)?;
    // With administrators who print, the rule of thumb's bound holds for its own choice of who
    // keeps a CAL only: each pair's bound below covers them all. Not every choice priced, the
    // rule of thumb's bound stands, with the choice's.
    let mut lower = if printing.is_empty() || !every {
        best.lower
    } else {
        i64::MAX
    };
    let mut all_priced = true;
    for pairs in picks {
        let (pick, bound) = admin_printers_kept(estate, today, pairs, &printing, solver);
        if !printing.is_empty() {
            match bound {
                Some(b) => lower = lower.min(b),
                None => all_priced = false,
            }
        }
        match price_admin_pick(estate, today, &pick, solver, (&mut best, &mut lower)) {
            Ok(true) => best_pairs = pairs.clone(),
            Ok(false) => {}
            Err(_) => all_priced = false,
        }
    }
    // Not every choice priced: a search over other pairs from the best so far.
    if !every {
        let start = (best_pairs.clone(), best.key);
        if let Some(pick) = admin_descent(estate, today, &families, start, &printing, solver) {
            if let Ok(true) =
                price_admin_pick(estate, today, &pick, solver, (&mut best, &mut lower))
            {
                best_pairs = (pick.iter()).map(|(&p, k)| (p, k.exempt.clone())).collect();
            }
        }
    }
    // Who of the exempt administrators who print keeps the base CAL that covers their printers
    // was settled by a solve that counts older owned CALs at any version; where the printers
    // need Device CALs all the same (their other users on a kiosk's Device CALs), exempting
    // them in full costs less (review 46's random estates: two Windows Server 2025 User CALs
    // kept, $180.00 above the least): the best pairs are priced that way too.
    if !printing.is_empty() {
        let pick = exempt_in_full(&best_pairs);
        // Priced or not, the answer stands as it is.
        let _ = price_admin_pick(estate, today, &pick, solver, (&mut best, &mut lower));
    }
    let lower = lower.min(best.key.0);
    let fixed_gap = (best.key.0 - lower).max(0);
    let all_priced = all_priced && every;
    let admin_gap = if all_priced { 0 } else { fallback_gap };
    let priced = all_priced.then(|| {
        (
            match picks.len() {
                1 => "; the only choice of which administrators per product are exempt from its CALs was priced, with and without the CAL that covers the printers of those who print".to_string(),
                n => format!(
                    "; each of the {n} choices of which two administrators per product are exempt from its CALs was priced, and this is the cheapest"
                ),
            },
            ids::EXEMPT_ADMIN_TWO,
        )
    });
    Ok(proven_report(
        best, fixed_gap, admin_gap, reason, false, priced,
    ))
}

/// The choice `pairs` with every exempt administrator exempt in full (none keeps a CAL for
/// their printers).
fn exempt_in_full(pairs: &AdminPairs) -> VecMap<CalProduct, AdminPick> {
    (pairs.iter())
        .map(|(&p, pair)| {
            let pick = AdminPick {
                exempt: pair.clone(),
                keep_base: Vec::new(),
            };
            (p, pick)
        })
        .collect()
}

/// Each choice of `picks` with the exempt administrators who print ([`Demand::admin_printing`]
/// per base product) exempt in full, and, where some of the pair print, with those keeping the
/// base product's CAL for their printers.
fn admin_pick_variants(
    picks: &[AdminPairs],
    printing: &VecMap<CalProduct, BTreeMap<usize, BTreeSet<usize>>>,
) -> Vec<VecMap<CalProduct, AdminPick>> {
    let mut out = Vec::new();
    for pairs in picks {
        let in_full = exempt_in_full(pairs);
        let mut kept = in_full.clone();
        for (p, pick) in &mut kept {
            pick.keep_base = (pick.exempt.iter().copied())
                .filter(|c| printing.get(p).is_some_and(|m| m.contains_key(c)))
                .collect();
        }
        if kept != in_full {
            out.push(kept);
        }
        out.push(in_full);
    }
    out
}

/// Prices the choice of exempt administrators `pick` as its own demand: its bound lowers
/// `lower`, and it replaces `best` where it costs less (and no less than its own bound); whether
/// it did, or why it could not be priced.
fn price_admin_pick(
    estate: &Estate,
    today: Date,
    pick: &VecMap<CalProduct, AdminPick>,
    solver: &Solver,
    (best, lower): (&mut Evaluated, &mut i64),
) -> Result<bool, EvaluateError> {
    let e = evaluate_demand(
        estate,
        rules::demand_with_admins(estate, today, pick),
        solver,
    )?;
    *lower = (*lower).min(e.lower);
    let cheaper = e.key < best.key && e.key.0 >= e.lower;
    if cheaper {
        *best = e;
    }
    Ok(cheaper)
}

/// The most choices of exempt administrators [`admin_descent`] prices.
const ADMIN_DESCENT: usize = 24;

/// Beyond [`ADMIN_PICKS`] choices of the administrators exempt per base product (`families`:
/// each with its possible pairs), a local search from `start` (a choice and its cost): each step
/// gives one pair to every base product that can exempt it, or another pair to one base
/// product, while that lowers the cost of the cheapest licensing, and where nothing does, moves
/// to a choice that costs the same (with suites, one exemption can pay only beside another), for
/// at most [`ADMIN_DESCENT`] choices priced, each once and without its report. The best choice
/// found, with who of its administrators who print keep their CAL ([`admin_printers_kept`]);
/// `None` when none is cheaper than `start`. The rule of thumb weighs each candidate's share of
/// the shared devices they use, which their exemption does not free while others use them
/// (review 46's random estates: two Exchange administrators who use only kiosks exempted,
/// $6,042.40 where exempting two with their own PCs is $152.00 less). A rule of thumb too: no
/// bound.
fn admin_descent(
    estate: &Estate,
    today: Date,
    families: &[(CalProduct, Vec<Vec<usize>>)],
    (mut current, mut key): (AdminPairs, (i64, i64)),
    printing: &VecMap<CalProduct, BTreeMap<usize, BTreeSet<usize>>>,
    solver: &Solver,
) -> Option<VecMap<CalProduct, AdminPick>> {
    let mut found = None;
    let mut tried = vec![current.clone()];
    // Every pair some base product can exempt, each given to all that can exempt it: a suite
    // licenses its holder for all its parts, so exempting someone from one product alone can
    // save nothing.
    let mut uniform: Vec<&Vec<usize>> = Vec::new();
    for pair in families.iter().flat_map(|(_, pairs)| pairs) {
        if !uniform.contains(&pair) {
            uniform.push(pair);
        }
    }
    'improve: loop {
        let mut level: Option<AdminPairs> = None;
        let moves = (uniform.iter())
            .map(|pair| {
                let mut next = current.clone();
                for (p, pairs) in families {
                    if pairs.contains(pair) {
                        next.insert(*p, (*pair).clone());
                    }
                }
                next
            })
            .chain(families.iter().flat_map(|(p, pairs)| {
                pairs.iter().map(|pair| {
                    let mut next = current.clone();
                    next.insert(*p, pair.clone());
                    next
                })
            }));
        for next in moves.collect::<Vec<_>>() {
            if tried.contains(&next) {
                continue;
            }
            if tried.len() > ADMIN_DESCENT {
                break 'improve;
            }
            tried.push(next.clone());
            let (pick, _) = admin_printers_kept(estate, today, &next, printing, solver);
            let demand = rules::demand_with_admins(estate, today, &pick);
            let Ok(solved) = Candidates::compute(&demand, estate, solver) else {
                continue;
            };
            let k = solved.best_candidate().key();
            if k < key {
                key = k;
                current = next;
                found = Some(pick);
                continue 'improve;
            }
            if k == key && level.is_none() {
                level = Some(next);
            }
        }
        // None cheaper: on to the first as cheap, as with suites one exemption can pay only
        // beside another (the choices tried are not priced again).
        match level {
            Some(next) => current = next,
            None => break,
        }
    }
    found
}

/// How much cheaper another choice of the administrators exempt from a product's CALs
/// (cal-rules §1.8 item 3) can make the licensing, at most, for the products where
/// [`rules::Demand::admin_candidates`] says one was made: a licensing for another choice becomes
/// one for this choice by giving the two it exempted a User CAL each (a User CAL licenses its
/// holder's access from any device), so this choice's least cost is at most two User CALs per
/// such product above any other's (the rule of thumb keeps the CAL of an exempt administrator
/// who prints, so no printer loses the cover of its users' CALs in that conversion). Zero when
/// no choice was made or every candidate pair is alike (metamorphic review 25: two orders of
/// the same access rows gave $760 and $770, each "proven least cost").
fn admin_choice_gap(demand: &Demand) -> i64 {
    demand
        .products
        .iter()
        .zip(&demand.instance.products)
        .filter(|(pd, _)| {
            // The choice is one per base product and its additive ones.
            let root = catalog::product(pd.product).base.unwrap_or(pd.product);
            admin_choice(demand, root)
        })
        .map(|(_, p)| {
            // Without a User CAL price, the dearest of the product's prices stands in.
            let unit = p.prices.user_cal.or(p.prices.device_cal).unwrap_or(0);
            unit.saturating_mul(rules::ADMIN_EXEMPT_PER_PRODUCT as i64)
        })
        .fold(0i64, i64::saturating_add)
}

/// Why a choice of exempt administrators leaves an answer unproven: with administrators who
/// print, the choice includes who keeps a CAL for their printers.
fn admin_unproven(demand: &Demand) -> Unproven {
    if demand.admin_printing.is_empty() {
        Unproven::AdminChoice
    } else {
        Unproven::AdminPrinters
    }
}

/// Why an answer may not be the least cost.
#[derive(Clone, Copy)]
enum Unproven {
    /// Which administrators are exempt from a product's CALs was chosen by a rule of thumb.
    AdminChoice,
    /// The same, where administrators who print could also keep a CAL that covers their
    /// printers.
    AdminPrinters,
    /// Owned licences (`true`: of an older version, in use).
    Owned(bool),
    /// External people at shared devices, whose mix of Device CALs and connectors was not
    /// searched in full.
    SharedExternal,
    /// External users of a session host that may be per device, with an RDS External Connector
    /// price entered: their RDS Device CALs were not offered.
    RdsExternalDevice,
    /// Owned CAL Suites went to holders chosen by a rule of thumb, and a need their parts
    /// could cover, counted product by product, is bought.
    Suites,
    /// Microsoft 365 seats, too few for every person flagged, went to the groups chosen by a
    /// rule of thumb.
    M365Seats,
}

fn recommendation_why(
    position: &Position,
    currency: &str,
    exact: bool,
    gap: i64,
    unproven: Unproven,
) -> Explanation {
    let mut rules = vec![
        ids::OPT_MIN_COST_COVER.to_string(),
        ids::POSITION_ELP.to_string(),
    ];
    let mut text = if position.lines.is_empty() {
        "nothing to buy: what you own covers every access".to_string()
    } else {
        format!(
            "{} purchase line{}, {} in total, equal to the position's cost to close",
            position.lines.len(),
            if position.lines.len() == 1 { "" } else { "s" },
            money(position.total_minor, currency)
        )
    };
    let unpriced = position.lines.iter().any(|l| l.price_missing);
    if unpriced {
        text.push_str("; some items have no price, so the total leaves them out");
        rules.push(ids::PRICE_ESTIMATES.into());
    }
    if exact && unpriced {
        // Proven for the prices the optimiser used, which for those items are stand-ins.
        text.push_str(
            "; proven the least cost of CALs and External Connectors, with each server licensed as entered, if each item without a price costs what it was counted at: one minor unit more than the same product's other CAL's price, or with neither priced the dearest CAL price known",
        );
    } else if exact {
        // Least cost of the CALs and External Connectors: how each server itself is licensed
        // (SQL Server per core or Server+CAL) is the user's, compared in the break-evens.
        text.push_str(
            "; proven the least cost of CALs and External Connectors, with each server licensed as entered",
        );
    } else if let Unproven::AdminChoice = unproven {
        text.push_str(&format!(
            "; not proven optimal: {UNPROVEN_ADMIN_CHOICE} (at most {} cheaper)",
            money(gap, currency)
        ));
        rules.push(ids::EXEMPT_ADMIN_TWO.into());
    } else if let Unproven::AdminPrinters = unproven {
        text.push_str(&format!(
            "; not proven optimal: {UNPROVEN_ADMIN_PRINTERS} (at most {} cheaper)",
            money(gap, currency)
        ));
        rules.push(ids::EXEMPT_ADMIN_TWO.into());
        rules.push(ids::CAL_PRINTER_USERS.into());
    } else if let Unproven::SharedExternal = unproven {
        text.push_str(&format!(
            "; not proven optimal: {UNPROVEN_SHARED_EXTERNAL} (at most {} cheaper)",
            money(gap, currency)
        ));
    } else if let Unproven::RdsExternalDevice = unproven {
        text.push_str(&format!(
            "; not proven optimal: {UNPROVEN_RDS_EXTERNAL_DEVICE} (at most {} cheaper)",
            money(gap, currency)
        ));
        rules.push(ids::RDS_MODE_PER_HOST.into());
    } else if let Unproven::M365Seats = unproven {
        text.push_str(&format!(
            "; not proven optimal: {UNPROVEN_M365_SEATS} (at most {} cheaper)",
            money(gap, currency)
        ));
        rules.push(ids::M365_PER_USER.into());
    } else if let Unproven::Suites = unproven {
        text.push_str(&format!(
            "; not proven optimal: {UNPROVEN_SUITES} (at most {} cheaper)",
            money(gap, currency)
        ));
        rules.push(ids::SUITE_NOT_SPLIT.into());
    } else if let Unproven::Owned(true) = unproven {
        text.push_str(&format!(
            "; not proven optimal: {UNPROVEN_OLDER_OWNED} (at most {} cheaper)",
            money(gap, currency)
        ));
        rules.push(ids::CAL_VERSION_NOT_OLDER.into());
    } else {
        text.push_str(&format!(
            "; not proven optimal {UNPROVEN_WITH_OWNED}: at most {} cheaper",
            money(gap, currency)
        ));
    }
    Explanation { rules, text }
}

/// Why a recommendation is not proven least cost, as its "why" says it (the three readings).
const UNPROVEN_SHARED_EXTERNAL: &str = "external people at shared devices may be licensed by a mix of Device CALs and External Connectors not tried here";
const UNPROVEN_OLDER_OWNED: &str = "owned CALs of an older version cover some people, and a different user/device structure might use them better";
const UNPROVEN_WITH_OWNED: &str = "with the owned licences";
const UNPROVEN_M365_SEATS: &str = "the Microsoft 365 seats are too few for everyone flagged, and which groups hold them was chosen without pricing every way of sharing the seats";
const UNPROVEN_SUITES: &str = "an owned CAL Suite licenses one person or device for all its parts, and which people or devices hold the owned suites was chosen by a rule of thumb";
const UNPROVEN_RDS_EXTERNAL_DEVICE: &str = "with an RDS External Connector price entered, external users of a per-device session host are offered an RDS User CAL or the host's connector, not RDS Device CALs for their own devices";
const UNPROVEN_ADMIN_CHOICE: &str = "more administrators than the two exempt per product need its CALs, and the two exempted were chosen by a rule of thumb (those whose CALs would cost the most, then a search over other pairs from there), without pricing every choice";
const UNPROVEN_ADMIN_PRINTERS: &str = "which administrators are exempt from CALs, and which of those who print keep the CAL that covers their printers, was chosen by a rule of thumb, without pricing every choice";

/// The reason a recommendation whose "why" is `why_text` is not proven least cost, without its
/// amount (which the "why" writes in US notation): ": owned CALs of an older version …" or
/// " with the owned licences", to follow "not proven the least cost". `None` for a proven one,
/// or a report saved by a version that said it otherwise.
pub fn unproven_reason(why_text: &str) -> Option<String> {
    [
        UNPROVEN_SHARED_EXTERNAL,
        UNPROVEN_OLDER_OWNED,
        UNPROVEN_ADMIN_CHOICE,
        UNPROVEN_ADMIN_PRINTERS,
        UNPROVEN_RDS_EXTERNAL_DEVICE,
        UNPROVEN_SUITES,
        UNPROVEN_M365_SEATS,
    ]
    .iter()
    .find(|r| why_text.contains(&format!("not proven optimal: {r}")))
    .map(|r| format!(": {r}"))
    .or_else(|| {
        why_text
            .contains(&format!("not proven optimal {UNPROVEN_WITH_OWNED}"))
            .then(|| format!(" {UNPROVEN_WITH_OWNED}"))
    })
}

fn pd_scope_per_vm(demand: &Demand) -> bool {
    demand
        .products
        .iter()
        .any(|p| p.rules.contains(ids::EC_PER_VM_READING))
}

/// The Device CALs of base product `product` that additive Device CALs on the same devices
/// require (§1.11, the same-subject reading): on the own devices of people who reach `product`
/// themselves and on shared devices that do, each device holding both counted once. Returns how
/// many, and the additive products whose Device CALs require them. Devices that reach `product`
/// only to carry such a base (Microsoft 365 users') are left out: their why says so already.
/// Why review 24: 40 Windows Server Device CALs bought for the RDS Device CALs on the same
/// devices, with 40 owned User CALs left unused, read as a price choice ("User CAL $45.00 vs
/// Device CAL $40.00").
pub(crate) fn base_of_additive_devices(
    demand: &Demand,
    solution: &Solution,
    product: CalProduct,
) -> (u64, Vec<CalProduct>) {
    let inst = &demand.instance;
    let Some(pi) = inst.products.iter().find(|p| p.product == product) else {
        return (0, Vec::new());
    };
    let Some(base) = solution.products.iter().find(|s| s.product == product) else {
        return (0, Vec::new());
    };
    let additives: Vec<&ProductSolution> = inst
        .products
        .iter()
        .filter(|p| p.base == Some(product) && p.product != product)
        // Under the `either-subject` reading an additive Device CAL asks no base on its device.
        .filter(|p| p.additive_needs_base_device())
        .filter_map(|p| solution.products.iter().find(|s| s.product == p.product))
        .collect();
    let own_people: BTreeSet<usize> = pi
        .people
        .iter()
        .copied()
        .chain(pi.rds_hosts.iter().flat_map(|r| r.people.iter().copied()))
        .collect();
    let pools: BTreeSet<usize> = pi
        .person_device
        .iter()
        .map(|x| x.1)
        .chain(pi.unattended_devices.iter().copied())
        .chain(
            pi.rds_hosts
                .iter()
                .flat_map(|r| r.person_device.iter().map(|x| x.1)),
        )
        .collect();
    let at = |v: &[u32], i: usize| u64::from(v.get(i).copied().unwrap_or(0));
    let mut total = 0u64;
    let mut named = BTreeSet::new();
    for &c in &own_people {
        let each = inst
            .people
            .get(c)
            .map_or(1, |p| u64::from(p.own_devices.max(1)));
        let held = at(&base.own_device_cals_per_class, c);
        let mut most = 0;
        for a in &additives {
            let n = held.min(at(&a.own_device_cals_per_class, c));
            if n > 0 {
                named.insert(a.product);
            }
            most = most.max(n);
        }
        total = total.saturating_add(most.saturating_mul(each));
    }
    for &v in &pools {
        let held = at(&base.device_cals_per_class, v);
        let mut most = 0;
        for a in &additives {
            let n = held.min(at(&a.device_cals_per_class, v));
            if n > 0 {
                named.insert(a.product);
            }
            most = most.max(n);
        }
        total = total.saturating_add(most);
    }
    (total, named.into_iter().collect())
}

/// "RDS Device CALs" or "RDS and AD RMS Device CALs": the additive Device CALs `products`.
pub(crate) fn additive_device_cals(products: &[CalProduct]) -> String {
    let names: Vec<&str> = products.iter().map(|&p| catalog::short_name(p)).collect();
    let names = match names.split_last() {
        Some((last, [])) => (*last).to_string(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
        None => String::new(),
    };
    format!("{names} Device CALs")
}

/// `persons` members of class `label` with `each` own devices, as a why names them beside
/// other subjects ("Staff 1,000"): "own devices of Analysts 40", or "own devices of Analysts 80
/// (40 × 2)" when each has more than one (review 45: "own devices of Staff 5 (5 × 1)").
pub(crate) fn own_devices_label(label: &str, persons: u64, each: u64) -> String {
    match (persons * each, each) {
        (1, _) => format!("own device of {label} 1"),
        (n, 1) => format!("own devices of {label} {}", thousands(n)),
        (n, _) => format!(
            "own devices of {label} {} ({} × {each})",
            thousands(n),
            thousands(persons)
        ),
    }
}

/// Who a CAL Suite line of the licensing is for, and what it was weighed against, in words: "for
/// own devices of Analysts 40: each $300.00 against $444.00 for the separate Device
/// CALs (Windows Server $40.00 + …)". The licensing keeps suites as counts, so the
/// holders are the members of the subjects that reach a product only this suite covers (a Core
/// CAL Suite in the licensing beside an Enterprise one takes the Core products) left without a
/// CAL of their own for a product it covers, less those a larger suite takes; `None` when those
/// do not add up to the suite's count, and then the caller keeps its general sentence. Why
/// review 24: "buy 40 Enterprise CAL Suite Devices; $300.00 each" said neither for whom nor
/// against what.
pub(crate) fn suite_holders_text(
    demand: &Demand,
    solution: &Solution,
    suite: &crate::optimise::SuiteSolution,
    currency: &str,
) -> Option<String> {
    let inst = &demand.instance;
    let user = suite.kind == LicenceKind::UserCal;
    let covers: VecSet<CalProduct> = catalog::suite_contents(suite.suite)
        .iter()
        .copied()
        .collect();
    // A smaller suite of the same kind in the licensing takes the products it covers.
    let smaller: VecSet<CalProduct> = solution
        .suites
        .iter()
        .filter(|o| o.kind == suite.kind && o.suite != suite.suite && o.count > 0)
        .map(|o| catalog::suite_contents(o.suite))
        .filter(|c| c.len() < covers.len() && c.iter().all(|p| covers.contains(p)))
        .flatten()
        .copied()
        .collect();
    let key: VecSet<CalProduct> = covers.difference(&smaller).copied().collect();
    // A larger suite of the same kind in the licensing takes its holders first.
    let larger: Vec<&crate::optimise::SuiteSolution> = solution
        .suites
        .iter()
        .filter(|o| o.kind == suite.kind && o.suite != suite.suite && o.count > 0)
        .filter(|o| catalog::suite_contents(o.suite).len() > covers.len())
        .collect();
    let at = |v: &[u32], i: usize| u64::from(v.get(i).copied().unwrap_or(0));
    let sol = |p: CalProduct| solution.products.iter().find(|s| s.product == p);
    // A holding subject: a person class (`true`) or a shared device class, by index.
    type Subject = (bool, usize);
    // Per holding subject: how many of its members hold the suite, and the products it reaches
    // among those the suite covers.
    let holders_of = |covers: &VecSet<CalProduct>,
                      key: &VecSet<CalProduct>,
                      user: bool|
     -> Vec<(Subject, u64, Vec<CalProduct>)> {
        let mut out = Vec::new();
        // Person classes (User suites, or their own devices' Device suites). A member with no
        // CAL of their own for a product they reach is licensed for it by a suite, so a class
        // holds as many suites as the product it has the fewest CALs of leaves bare: part of a
        // class can hold suites while the rest have CALs (the holders of owned User suites
        // beside Device suites bought for the others, review 45 e18).
        for (c, person) in inst.people.iter().enumerate() {
            if person.held_suite.is_some() {
                continue;
            }
            let reached: Vec<CalProduct> = inst
                .products
                .iter()
                .filter(|pr| covers.contains(&pr.product))
                .filter(|pr| {
                    if user {
                        pr.reaches_person(c)
                    } else {
                        pr.reaches_own_devices(c)
                    }
                })
                .map(|pr| pr.product)
                .collect();
            let licensed = (reached.iter())
                .map(|&p| {
                    sol(p).map_or(0, |s| {
                        at(&s.user_cals_per_class, c) + at(&s.own_device_cals_per_class, c)
                    })
                })
                .min()
                .unwrap_or(0);
            let bare = u64::from(person.multiplicity).saturating_sub(licensed);
            if bare > 0 && reached.iter().any(|p| key.contains(p)) {
                out.push(((true, c), bare, reached));
            }
        }
        // Shared devices (Device suites).
        for (v, device) in inst.devices.iter().enumerate().filter(|_| !user) {
            let reached: Vec<CalProduct> = inst
                .products
                .iter()
                .filter(|pr| covers.contains(&pr.product) && pr.reaches_device(v))
                .map(|pr| pr.product)
                .collect();
            let licensed = (reached.iter())
                .map(|&p| sol(p).map_or(0, |s| at(&s.device_cals_per_class, v)))
                .min()
                .unwrap_or(0);
            let bare = u64::from(device.multiplicity).saturating_sub(licensed);
            if bare > 0 && reached.iter().any(|p| key.contains(p)) {
                out.push(((false, v), bare, reached));
            }
        }
        out
    };
    // What the larger suites' holders take of each subject first.
    let mut taken: VecMap<Subject, u64> = VecMap::new();
    for o in &larger {
        let contents: VecSet<CalProduct> =
            catalog::suite_contents(o.suite).iter().copied().collect();
        let key: VecSet<CalProduct> = contents.difference(&covers).copied().collect();
        for (subject, n, _) in holders_of(&contents, &key, user) {
            *taken.entry(subject).or_default() += n;
        }
    }
    // Members of a class with no CAL of their own hold a User suite or Device suites on their
    // own devices: where the licensing has both kinds, the classes that could hold either are
    // split between them as the two kinds' counts allow, when only one split does (review 46's
    // random estates: Core CAL Suite Users for knowledge workers beside Enterprise CAL Suite
    // Devices for analysts' PCs).
    let others: Vec<&crate::optimise::SuiteSolution> = (solution.suites.iter())
        .filter(|o| o.kind != suite.kind && o.count > 0)
        .collect();
    let other_covers: VecSet<CalProduct> = (others.iter())
        .flat_map(|o| catalog::suite_contents(o.suite).iter().copied())
        .collect();
    let other_total: u64 = others.iter().map(|o| o.count).sum();
    let licences = |is_person: bool, i: usize, n: u64, user: bool| -> u64 {
        match (is_person, user) {
            (true, false) => n * u64::from(inst.people.get(i).map_or(1, |p| p.own_devices.max(1))),
            _ => n,
        }
    };
    let mut mine: Vec<(Subject, u64, Vec<CalProduct>)> = (holders_of(&covers, &key, user))
        .into_iter()
        .filter_map(|((is_person, i), n, reached)| {
            let n = n.saturating_sub(taken.get(&(is_person, i)).copied().unwrap_or(0));
            (n > 0).then_some(((is_person, i), n, reached))
        })
        .collect();
    let total = |hs: &[(Subject, u64, Vec<CalProduct>)]| -> u64 {
        (hs.iter())
            .map(|((p, i), n, _)| licences(*p, *i, *n, user))
            .sum()
    };
    if total(&mine) != suite.count && !others.is_empty() {
        let theirs = holders_of(&other_covers, &other_covers, !user);
        let either: Vec<usize> = (0..mine.len())
            .filter(|&j| mine[j].0 .0 && theirs.iter().any(|t| t.0 == mine[j].0))
            .collect();
        let theirs_alone: u64 = (theirs.iter())
            .filter(|t| !mine.iter().any(|m| m.0 == t.0))
            .map(|((p, i), n, _)| licences(*p, *i, *n, !user))
            .sum();
        let mut fits = Vec::new();
        if either.len() <= 10 {
            for set in 0u32..(1 << either.len()) {
                let ours = |b: usize| set & (1 << b) != 0;
                let here: u64 = (0..mine.len())
                    .filter(|j| either.iter().position(|e| e == j).is_none_or(ours))
                    .map(|j| licences(mine[j].0 .0, mine[j].0 .1, mine[j].1, user))
                    .sum::<u64>();
                let there: u64 = (either.iter().enumerate())
                    .filter(|&(b, _)| !ours(b))
                    .filter_map(|(_, &j)| theirs.iter().find(|t| t.0 == mine[j].0))
                    .map(|((p, i), n, _)| licences(*p, *i, *n, !user))
                    .sum();
                if here == suite.count && theirs_alone + there == other_total {
                    fits.push(set);
                }
            }
        }
        if let [set] = fits[..] {
            let mut b = 0;
            let mut j = 0;
            mine.retain(|_| {
                let keep = match either.get(b) {
                    Some(&e) if e == j => {
                        b += 1;
                        set & (1 << (b - 1)) != 0
                    }
                    _ => true,
                };
                j += 1;
                keep
            });
        }
    }
    // (label, licences, products reached) per holding subject.
    let holders: Vec<(String, u64, Vec<CalProduct>)> = mine
        .into_iter()
        .filter_map(|((is_person, i), n, reached)| {
            Some(if is_person {
                let person = inst.people.get(i)?;
                if user {
                    (format!("{} {}", person.label, thousands(n)), n, reached)
                } else {
                    let each = u64::from(person.own_devices.max(1));
                    (own_devices_label(&person.label, n, each), n * each, reached)
                }
            } else {
                let device = inst.devices.get(i)?;
                (format!("{} {}", device.label, thousands(n)), n, reached)
            })
        })
        .collect();
    if holders.iter().map(|h| h.1).sum::<u64>() != suite.count || holders.is_empty() {
        return None;
    }
    let names: Vec<String> = holders.iter().map(|h| h.0.clone()).collect();
    let kind = if user { "User" } else { "Device" };
    // What one suite is weighed against: the separate CALs of the products its holders reach,
    // per set of products.
    let mut by_set: VecMap<Vec<CalProduct>, Vec<&str>> = VecMap::new();
    for h in &holders {
        by_set.entry(h.2.clone()).or_default().push(&h.0);
    }
    let unit = demand.prices.get(suite.suite, suite.kind);
    let against: Vec<String> = by_set
        .iter()
        .filter_map(|(set, who)| {
            let unit = unit?;
            let prices: Vec<(CalProduct, i64)> = set
                .iter()
                .filter_map(|&p| demand.prices.get(p, suite.kind).map(|x| (p, x)))
                .collect();
            if prices.is_empty() {
                return None;
            }
            let sum = prices.iter().fold(0i64, |a, &(_, x)| a.saturating_add(x));
            let parts: Vec<String> = prices
                .iter()
                .map(|&(p, x)| format!("{} {}", catalog::short_name(p), money(x, currency)))
                .collect();
            // A CAL with no price is named, and the sum is what the priced ones cost.
            let unpriced: Vec<&str> = set
                .iter()
                .filter(|&&p| demand.prices.get(p, suite.kind).is_none())
                .map(|&p| catalog::short_name(p))
                .collect();
            let parts_text = parts.join(" + ");
            let parts_text = if unpriced.is_empty() {
                parts_text
            } else {
                format!("{parts_text}; no price known for {}", unpriced.join(", "))
            };
            let whom = if by_set.len() > 1 {
                format!(" for {}", who.join(", "))
            } else {
                String::new()
            };
            Some(format!(
                "each {}{whom} against {}{} for the separate {kind} CALs ({parts_text})",
                money(unit, currency),
                if unpriced.is_empty() { "" } else { "at least " },
                money(sum, currency),
            ))
        })
        .collect();
    Some(if against.is_empty() {
        format!("for {}", short_list(&names))
    } else {
        format!("for {}: {}", short_list(&names), against.join("; "))
    })
}

pub(crate) fn short_list(items: &[String]) -> String {
    match items.len() {
        0..=6 => items.join(", "),
        n => format!("{} and {} more", items[..5].join(", "), n - 5),
    }
}

// ---------------------------------------------------------------------------------------------
// Scenarios

#[derive(Clone, Copy, PartialEq, Eq)]
enum Heuristic {
    AllUser,
    AllDevice,
    PerGroupSmaller,
}

/// A licensing chosen by a simple rule rather than the optimiser, priced by the same position.
fn heuristic_solution(demand: &Demand, estate: &Estate, mode: Heuristic) -> Solution {
    let inst = &demand.instance;
    let np = inst.people.len();
    let nd = inst.devices.len();
    let mult = |c: usize| inst.people.get(c).map_or(0, |p| p.multiplicity);
    let dmult = |d: usize| inst.devices.get(d).map_or(0, |p| p.multiplicity);
    // Whether each person class takes User CALs (else Device CALs for its devices), and the
    // mode of each session host whose mode is free (per product, in `rds_hosts` order).
    // Per product, then per person class.
    let (by_user, host_modes) = match mode {
        Heuristic::AllUser => (vec![vec![true; np]; inst.products.len()], None),
        Heuristic::AllDevice => (vec![vec![false; np]; inst.products.len()], None),
        Heuristic::PerGroupSmaller => {
            let (by_user, modes) = per_group_choice(demand, &owned_by_rank(estate, demand.today));
            (by_user, Some(modes))
        }
    };
    let mut products = Vec::new();
    for (k, pi) in inst.products.iter().enumerate() {
        let mut user = vec![0u32; np];
        let mut own = vec![0u32; np];
        let mut dev = vec![0u32; nd];
        let mut modes = Vec::new();
        for &(c, _) in &pi.person_host {
            user[c] = mult(c);
        }
        for &v in &pi.unattended_devices {
            dev[v] = dmult(v);
        }
        // Internal access: each class by User CALs, or by Device CALs for its own devices and
        // the pools it uses.
        let choose = |people: &[usize],
                      pairs: &[(usize, usize)],
                      by_user: &dyn Fn(usize) -> bool,
                      user: &mut Vec<u32>,
                      own: &mut Vec<u32>,
                      dev: &mut Vec<u32>| {
            let mut classes: BTreeMap<usize, (bool, Vec<usize>)> = BTreeMap::new();
            for &c in people {
                classes.entry(c).or_default().0 = true;
            }
            for &(c, v) in pairs {
                classes.entry(c).or_default().1.push(v);
            }
            for (c, (has_own, pools)) in classes {
                if by_user(c) {
                    user[c] = mult(c);
                } else {
                    if has_own {
                        own[c] = mult(c);
                    }
                    for v in pools {
                        dev[v] = dmult(v);
                    }
                }
            }
        };
        let chosen = |c: usize| {
            by_user
                .get(k)
                .and_then(|b| b.get(c))
                .copied()
                .unwrap_or(true)
        };
        choose(
            &pi.people,
            &pi.person_device,
            &chosen,
            &mut user,
            &mut own,
            &mut dev,
        );
        for (j, r) in pi.rds_hosts.iter().enumerate() {
            // No External Connectors here. External users the optimiser covers by a User CAL or
            // the host's connector (`external_people`: an RDS connector price is entered) get
            // User CALs, whatever the host's mode: Device CALs for their own devices priced
            // this rule of thumb below the optimiser's proven bound (review 17). Those who
            // connect like everyone else are among `people`.
            for &c in &r.external_people {
                user[c] = mult(c);
            }
            let host_mode = r.mode.unwrap_or(match mode {
                Heuristic::AllUser => RdsMode::PerUser,
                Heuristic::AllDevice => RdsMode::PerDevice,
                Heuristic::PerGroupSmaller => host_modes
                    .as_ref()
                    .and_then(|m| m.get(k))
                    .and_then(|m| m.get(j))
                    .copied()
                    .unwrap_or(RdsMode::PerUser),
            });
            let per_user = host_mode == RdsMode::PerUser;
            choose(
                &r.people,
                &r.person_device,
                &|_| per_user,
                &mut user,
                &mut own,
                &mut dev,
            );
            modes.push(host_mode);
        }
        products.push(ProductSolution {
            user_cals_per_class: user,
            own_device_cals_per_class: own,
            device_cals_per_class: dev,
            rds_modes: modes,
            ..ProductSolution::none(pi.product)
        });
    }
    complete_and_count(inst, &mut products);
    Solution {
        products,
        suites: Vec::new(),
        cost_minor: 0,
        lower_bound_minor: 0,
        exact: false,
    }
}

/// The rule of thumb "per group, the smaller of users and devices": each group (person class)
/// is licensed for a product by User CALs or by Device CALs for its own devices and the pools it
/// uses, whichever costs less for that group alone, owned CALs used first: groups needing the
/// newest version first (then those with the most devices each, then by name, never the estate's
/// order), each taking the oldest owned CALs that cover it, as the position uses them (review
/// 25: 30 owned 2022 CALs went to people who reach only a 2012 R2 server, and Device CALs were
/// bought for those who reach a 2022 one). A base product and its additive ones (Windows Server
/// with RDS and AD RMS, Exchange Standard with Enterprise, …) are decided together, as their
/// CALs must be of one kind for the same subject (§1.11). A group on session hosts whose mode is
/// fixed takes that mode for Windows Server and RDS; a free host takes the choice of most of its
/// people, and a group whose hosts all run one mode takes it. Review 20: deciding RDS apart from Windows Server gave 20
/// people Windows Server Device CALs and RDS User CALs, so Windows Server User CALs as the RDS
/// CALs' base as well: dearer than both uniform rules; and owned User CALs were ignored.
/// Returns, per product, the choice per class; per product, the mode of each session host.
fn per_group_choice(
    demand: &Demand,
    owned: &VecMap<CalProduct, Vec<rules::OwnedLot>>,
) -> (Vec<Vec<bool>>, Vec<Vec<RdsMode>>) {
    let inst = &demand.instance;
    let np = inst.people.len();
    let nd = inst.devices.len();
    let n_products = inst.products.len();
    let mult = |c: usize| u64::from(inst.people.get(c).map_or(0, |p| p.multiplicity));
    let dmult = |d: usize| u64::from(inst.devices.get(d).map_or(0, |p| p.multiplicity));
    let own_each = |c: usize| {
        inst.people
            .get(c)
            .map_or(1, |p| u64::from(p.own_devices.max(1)))
    };
    let unit = |p: Option<i64>| i128::from(p.unwrap_or(i64::MAX / 4));
    let on_host = |r: &crate::optimise::RdsHost, c: usize| {
        r.people.contains(&c) || r.person_device.iter().any(|&(x, _)| x == c)
    };
    // Each product's family: its base product, or itself.
    let root: Vec<usize> = (0..n_products)
        .map(|k| inst.base_of(k).unwrap_or(k))
        .collect();
    // Session hosts' fixed modes decide for the groups on them (User CALs where they differ).
    let mut forced: Vec<Vec<Option<bool>>> = vec![vec![None; np]; n_products];
    for (k, pi) in inst.products.iter().enumerate() {
        for r in &pi.rds_hosts {
            let Some(m) = r.mode else { continue };
            for (c, f) in forced[root[k]].iter_mut().enumerate() {
                if on_host(r, c) {
                    let v = m == RdsMode::PerUser;
                    *f = Some(f.map_or(v, |x| x || v));
                }
            }
        }
    }
    // Owned User and Device CALs per product as (rank, quantity) lots, oldest first.
    let lots = |kind: LicenceKind| -> Vec<Vec<(u8, u64)>> {
        (inst.products.iter())
            .map(|pi| {
                let mut v: Vec<(u8, u64)> = (owned.get(&pi.product).into_iter().flatten())
                    .filter(|o| o.kind == kind && o.quantity > 0)
                    .map(|o| (o.rank, o.quantity))
                    .collect();
                v.sort_unstable();
                v
            })
            .collect()
    };
    let mut left_user = lots(LicenceKind::UserCal);
    let mut left_dev = lots(LicenceKind::DeviceCal);
    // The rank each kind of CAL of a class or pool must be, per product.
    let pds: Vec<Option<&rules::ProductDemand>> = (inst.products.iter())
        .map(|pi| demand.products.iter().find(|p| p.product == pi.product))
        .collect();
    let user_rank = |k: usize, c: usize| pds[k].map_or(0, |pd| pd.person_cal_rank(c));
    let own_rank = |k: usize, c: usize| pds[k].map_or(0, |pd| pd.own_cal_rank(c));
    let pool_rank = |k: usize, v: usize| pds[k].map_or(0, |pd| pd.device_cal_rank(v));
    // Takes `n` owned CALs of at least `rank`, the oldest first; returns how many are missing.
    let take = |lots: &mut Vec<(u8, u64)>, rank: u8, n: u64| -> u64 {
        let mut n = n;
        for lot in lots.iter_mut().filter(|l| l.0 >= rank) {
            let t = lot.1.min(n);
            lot.1 -= t;
            n -= t;
        }
        n
    };
    let mut pooled = vec![vec![false; nd]; n_products];
    let mut by_user = vec![vec![true; np]; n_products];
    for family in (0..n_products).filter(|&k| root[k] == k) {
        // The groups needing the newest CALs of the family first: an older owned CAL covers only
        // older needs.
        // At the same rank, those with the most devices each (whose Device CALs cost the most)
        // first, then by name: not the estate's order (metamorphic review 25: listing the same
        // two groups the other way round moved this scenario from $400 to $450).
        let mut order: Vec<usize> = (0..np).collect();
        order.sort_by_cached_key(|&c| {
            let newest = (0..n_products)
                .filter(|&k| root[k] == family)
                .map(|k| user_rank(k, c))
                .max()
                .unwrap_or(0);
            let p = inst.people.get(c);
            (
                std::cmp::Reverse(newest),
                std::cmp::Reverse(p.map_or(0, |p| p.own_devices)),
                p.map_or("", |p| p.label.as_str()),
                c,
            )
        });
        for c in order {
            // Per product of the family the class reaches: whether from its own devices, and the
            // pools it uses.
            let mut uses: Vec<(usize, bool, BTreeSet<usize>)> = Vec::new();
            let (mut cu, mut cd) = (0i128, 0i128);
            for (k, pi) in inst.products.iter().enumerate() {
                if root[k] != family {
                    continue;
                }
                let own =
                    pi.people.contains(&c) || pi.rds_hosts.iter().any(|r| r.people.contains(&c));
                let pools: BTreeSet<usize> = pi
                    .person_device
                    .iter()
                    .chain(pi.rds_hosts.iter().flat_map(|r| r.person_device.iter()))
                    .filter(|&&(x, _)| x == c)
                    .map(|&(_, v)| v)
                    .collect();
                if !own && pools.is_empty() {
                    continue;
                }
                let users = take(&mut left_user[k].clone(), user_rank(k, c), mult(c));
                cu += i128::from(users) * unit(pi.prices.user_cal);
                let mut dev = left_dev[k].clone();
                let mut devices = if own {
                    take(&mut dev, own_rank(k, c), mult(c) * own_each(c))
                } else {
                    0
                };
                let mut new_pools: Vec<usize> =
                    pools.iter().copied().filter(|&v| !pooled[k][v]).collect();
                crate::sort::sort_by_key(&mut new_pools, |&v| std::cmp::Reverse(pool_rank(k, v)));
                for v in new_pools {
                    devices += take(&mut dev, pool_rank(k, v), dmult(v));
                }
                cd += i128::from(devices) * unit(pi.prices.device_cal);
                uses.push((k, own, pools));
            }
            let u = forced[family][c].unwrap_or(cu <= cd);
            by_user[family][c] = u;
            for (k, own, pools) in uses {
                if u {
                    take(&mut left_user[k], user_rank(k, c), mult(c));
                } else {
                    if own {
                        take(&mut left_dev[k], own_rank(k, c), mult(c) * own_each(c));
                    }
                    let mut new_pools: Vec<usize> = pools
                        .into_iter()
                        .filter(|&v| !std::mem::replace(&mut pooled[k][v], true))
                        .collect();
                    crate::sort::sort_by_key(&mut new_pools, |&v| {
                        std::cmp::Reverse(pool_rank(k, v))
                    });
                    for v in new_pools {
                        take(&mut left_dev[k], pool_rank(k, v), dmult(v));
                    }
                }
            }
        }
    }
    // Free hosts: the choice of most of their people.
    let modes: Vec<Vec<RdsMode>> = inst
        .products
        .iter()
        .enumerate()
        .map(|(k, pi)| {
            let family = &by_user[root[k]];
            pi.rds_hosts
                .iter()
                .map(|r| {
                    r.mode.unwrap_or_else(|| {
                        let (mut users, mut devices) = (0u64, 0u64);
                        for c in (0..np).filter(|&c| on_host(r, c)) {
                            if family[c] {
                                users += mult(c);
                            } else {
                                devices += mult(c);
                            }
                        }
                        if users >= devices {
                            RdsMode::PerUser
                        } else {
                            RdsMode::PerDevice
                        }
                    })
                })
                .collect()
        })
        .collect();
    // A group whose session hosts all run one mode is licensed that way for the family: the RDS
    // CALs of that mode need their Windows Server base for the same subject anyway.
    for (k, pi) in inst.products.iter().enumerate() {
        if pi.rds_hosts.is_empty() {
            continue;
        }
        let family = root[k];
        for (c, u) in by_user[family].iter_mut().enumerate() {
            let mut host_modes = pi
                .rds_hosts
                .iter()
                .zip(&modes[k])
                .filter(|(r, _)| on_host(r, c))
                .map(|(_, &m)| m == RdsMode::PerUser);
            if let Some(first) = host_modes.next() {
                if host_modes.all(|m| m == first) {
                    *u = first;
                }
            }
        }
    }
    // Additive products follow their family's choice.
    let by_user = (0..n_products).map(|k| by_user[root[k]].clone()).collect();
    (by_user, modes)
}

/// Adds the base CALs additive ones need ([`add_missing_bases`]), then totals each product's
/// User and Device CALs from its per-class counts (a class's own devices count `own_devices`
/// each, at least one), and what is left to buy after the owned ones, priced, as the
/// optimiser's `price` does. ELP review 22: the rules of thumb and the polish left the counts to
/// buy at 0, so when one of them won, the User vs Device break-even said owned licences covered
/// every Windows Server CAL while the recommendation bought 273.
fn complete_and_count(inst: &Instance, products: &mut [ProductSolution]) {
    add_missing_bases(inst, products);
    let own_each = |c: usize| {
        inst.people
            .get(c)
            .map_or(1, |p| u64::from(p.own_devices.max(1)))
    };
    // Connectors drawn on the pool or bought, as the optimiser's `price` counts them (before the
    // loop below borrows each product's solution mutably).
    let charged: Vec<u64> = (products.iter().enumerate())
        .map(|(k, ps)| match inst.products.get(k) {
            Some(_) => inst.charged_connectors(k, &ps.external_connector_hosts, |p, h| {
                inst.connector_on(p, h, |j| {
                    products
                        .get(j)
                        .map_or(&[][..], |q| &q.external_connector_hosts[..])
                })
            }),
            None => 0,
        })
        .collect();
    for (k, ps) in products.iter_mut().enumerate() {
        ps.user_cals = ps.user_cals_per_class.iter().map(|&n| u64::from(n)).sum();
        ps.device_cals = ps
            .own_device_cals_per_class
            .iter()
            .enumerate()
            .map(|(c, &n)| u64::from(n) * own_each(c))
            .sum::<u64>()
            + ps.device_cals_per_class
                .iter()
                .map(|&n| u64::from(n))
                .sum::<u64>();
        ps.external_connectors = ps.external_connector_hosts.len() as u64;
        let Some(pi) = inst.products.get(k) else {
            continue;
        };
        ps.buy_user_cals = ps.user_cals.saturating_sub(pi.owned.user_cals);
        ps.buy_device_cals = ps.device_cals.saturating_sub(pi.owned.device_cals);
        ps.buy_external_connectors = charged[k].saturating_sub(pi.owned.external_connectors);
        let cost = |n: u64, unit: Option<i64>| i128::from(n) * i128::from(unit.unwrap_or(0));
        let cost = cost(ps.buy_user_cals, pi.prices.user_cal)
            + cost(ps.buy_device_cals, pi.prices.device_cal)
            + cost(ps.buy_external_connectors, pi.prices.external_connector);
        ps.cost_minor = i64::try_from(cost).unwrap_or(i64::MAX);
    }
}

/// Gives every additive CAL of a rule-of-thumb licensing the base CAL of the same kind for the
/// same subject (cal-rules §1.11, the optimiser's rule in `optimise::model`): a rule applied to
/// each product on its own can otherwise pair, say, Exchange Standard Device CALs with Exchange
/// Enterprise User CALs, which licenses nobody's Enterprise features and would look cheaper
/// than the true optimum.
fn add_missing_bases(inst: &Instance, products: &mut [ProductSolution]) {
    for (k, pr) in inst.products.iter().enumerate() {
        let Some(b) = inst.base_of(k) else { continue };
        let base = &inst.products[b];
        let mut needs_user = BTreeSet::new();
        let mut needs_own = BTreeSet::new();
        let mut needs_dev = BTreeSet::new();
        let add = &products[k];
        for (c, &n) in add.user_cals_per_class.iter().enumerate() {
            if n > 0 && pr.additive_needs_base_user(&inst.people, c) && base.reaches_person(c) {
                needs_user.insert((c, n));
            }
        }
        // (Under the `either-subject` reading a Device CAL's base may be its users' CALs: the
        // base product's own licensing covers every access to it.)
        let device_base = pr.additive_needs_base_device();
        for (c, &n) in add.own_device_cals_per_class.iter().enumerate() {
            if n > 0 && device_base && base.reaches_own_devices(c) {
                needs_own.insert((c, n));
            }
        }
        for (v, &n) in add.device_cals_per_class.iter().enumerate() {
            if n > 0 && device_base && base.reaches_device(v) {
                needs_dev.insert((v, n));
            }
        }
        let base = &mut products[b];
        for (c, n) in needs_user {
            base.user_cals_per_class[c] = base.user_cals_per_class[c].max(n);
        }
        for (c, n) in needs_own {
            base.own_device_cals_per_class[c] = base.own_device_cals_per_class[c].max(n);
        }
        for (v, n) in needs_dev {
            base.device_cals_per_class[v] = base.device_cals_per_class[v].max(n);
        }
    }
}

fn scenarios(
    demand: &Demand,
    estate: &Estate,
    solved: &Candidates,
    chosen: &Position,
) -> Vec<Scenario> {
    let currency = estate.organisation.currency.as_str();
    let mut out = Vec::new();
    // A scenario that buys something with no price has an unknown cost, not the cost of the rest
    // (review 17: with no Device CAL price in JPY, "Device CALs for every device" read JPY 0
    // where 20 Device CALs were needed).
    let mut push = |id: &str, label: &str, p: Option<&Position>, rules: Vec<&str>, text: String| {
        let unpriced: Vec<String> = p
            .into_iter()
            .flat_map(|p| &p.lines)
            .filter(|l| l.price_missing)
            .map(|l| l.in_words())
            .collect();
        // `text` says "{cost}" where the amount goes.
        let total = p.map_or(-1, |p| p.total_minor);
        let mut rules: Vec<String> = rules.into_iter().map(String::from).collect();
        // What the total is made of, line by line, so that it can be redone (why review 24:
        // "Device CALs for every device: $34,140.00" held $8,000.00 of RDS User CALs and $1,350.00
        // of Windows Server User CALs the why never named).
        let made_of = p.and_then(|p| scenario_breakdown(p, currency));
        let text = if unpriced.is_empty() {
            let text = text.replace("{cost}", &money(total, currency));
            match (p, made_of) {
                (Some(_), Some(m)) => format!("{text}. Made of: {m}"),
                (Some(_), None) => format!("{text}. Nothing to buy"),
                (None, _) => text,
            }
        } else {
            rules.push(ids::PRICE_ESTIMATES.into());
            format!(
                "{}; the priced part costs {}{}, and no price is known for {}: enter their price to compare",
                text.replace("{cost}", "an unknown amount"),
                money(total, currency),
                made_of.map(|m| format!(" ({m})")).unwrap_or_default(),
                match unpriced.as_slice() {
                    [init @ .., last] if !init.is_empty() =>
                        format!("{} and {last}", init.join(", ")),
                    all => all.join(""),
                }
            )
        };
        out.push(Scenario {
            id: id.into(),
            label: label.into(),
            total_minor: total,
            why: Explanation { rules, text },
            price_missing: !unpriced.is_empty(),
        });
    };
    for (mode, c) in &solved.heuristics {
        let (id, label, text) = match mode {
            Heuristic::AllUser => ("all-user", "User CALs for everyone", "every person gets a User CAL of each product they need (unattended devices still need Device CALs; no External Connectors or suites)"),
            Heuristic::AllDevice => ("all-device", "Device CALs for every device", "every device gets a Device CAL of each product reached from it (external users get User CALs; no External Connectors or suites)"),
            Heuristic::PerGroupSmaller => ("per-group-smaller", "Per group, the smaller of users and devices", "each group is licensed for each product by User CALs or by Device CALs for its devices, whichever costs less for that group alone, owned CALs first, and a base product with its additive ones alike (the usual rule of thumb)"),
        };
        push(
            id,
            label,
            Some(&c.position),
            vec![ids::CAL_MIX_ALLOWED, ids::POSITION_ELP],
            format!("{text}: {{cost}} to buy after what you own"),
        );
    }
    push(
        "optimal",
        "Cheapest mix (recommended)",
        Some(chosen),
        vec![ids::OPT_MIN_COST_COVER],
        "the least-cost mix of User CALs, Device CALs, External Connectors and suites: {cost}"
            .into(),
    );
    let no_suites_text = if demand.instance.suites.is_empty() {
        "no suite prices are known, so this equals the cheapest mix"
    } else {
        "separate CALs only, no Core or Enterprise CAL Suite"
    };
    for (id, label, result, best, text) in [
        (
            "optimal-no-ec",
            "Cheapest mix without External Connectors",
            &solved.no_ec,
            solved.best_without(true),
            "external users licensed with CALs only",
        ),
        (
            "optimal-no-suites",
            "Cheapest mix without CAL Suites",
            &solved.no_suites,
            solved.best_without(false),
            no_suites_text,
        ),
    ] {
        // The restricted optimum, or a cheaper licensing found otherwise that keeps the
        // restriction (review: "no suite prices are known, so this equals the cheapest mix"
        // stood beside $3,800 against a cheapest mix of $1,575).
        match result.as_ref().map(|c| best.unwrap_or(c)) {
            Ok(c) => push(
                id,
                label,
                Some(&c.position),
                vec![ids::OPT_MIN_COST_COVER],
                format!("{text}: {{cost}}"),
            ),
            Err(e) => push(
                id,
                label,
                None,
                vec![ids::OPT_MIN_COST_COVER],
                format!("not possible: {e}"),
            ),
        }
    }
    out
}

/// A scenario's priced purchase, line by line as its own position has it: "50 RDS 2025 User
/// CALs × $160.00 = $8,000.00; 30 Windows Server 2025 User CALs × $45.00 = $1,350.00". `None`
/// when it buys nothing priced (the lines without a price are named apart).
fn scenario_breakdown(p: &Position, currency: &str) -> Option<String> {
    let parts: Vec<String> = p
        .lines
        .iter()
        .filter(|l| l.quantity > 0 && !l.price_missing)
        .map(|l| {
            format!(
                "{} × {} = {}",
                l.in_words(),
                money(l.unit_minor, currency),
                money(l.cost_minor, currency)
            )
        })
        .collect();
    (!parts.is_empty()).then(|| parts.join("; "))
}

// ---------------------------------------------------------------------------------------------
// Purchase lines' whys, and the SQL Server CAL counts the product results, the findings and
// the break-evens (`breakevens.rs`) share

/// A purchase line's why said only what it buys (pre-sales review 23: "Why 120 User CALs?"
/// answered "Buy 120 ... User CALs"): add how many are needed and how many owned ones cover, and
/// why this kind, from the product's own count (the cheapest mix's comparison and who gets
/// them).
fn explain_lines(lines: &mut [PurchaseLine], products: &[ProductResult], rows: &[PositionRow]) {
    for line in lines {
        // A CAL Suite has no product result of its own: its position row says for whom and
        // against what (why review 24: "buy 40 Enterprise CAL Suite Devices; $300.00 each"
        // and no more).
        if catalog::is_suite(line.product) {
            if let Some(row) = rows
                .iter()
                .find(|r| r.product == line.product && r.kind == line.kind)
            {
                line.why.text = format!("{}. Why: {}", line.why.text, row.why.text);
                for r in &row.why.rules {
                    if !line.why.rules.contains(r) {
                        line.why.rules.push(r.clone());
                    }
                }
            }
            continue;
        }
        let Some(p) = products.iter().find(|p| p.product == line.product) else {
            continue;
        };
        let count = match line.kind {
            LicenceKind::UserCal => &p.user_cals,
            LicenceKind::DeviceCal => &p.device_cals,
            LicenceKind::ExternalConnector => &p.external_connectors,
            _ => continue,
        };
        let of_kind = || {
            rows.iter()
                .filter(|r| r.product == line.product && r.kind == line.kind)
        };
        let needed: u64 = of_kind().map(|r| r.needed).sum();
        let covered: u64 = of_kind().map(|r| r.covered).sum();
        let owned: u64 = of_kind().map(|r| r.owned).sum();
        let label = crate::catalog::licence_name(line.product, "", line.kind, needed);
        let own = match (covered, owned) {
            (0, 0) => format!("{} {label} needed, none owned", thousands(needed)),
            (0, o) => format!(
                "{} {label} needed; the {} owned {} none of them (see the position and the findings)",
                thousands(needed),
                thousands(o),
                if o == 1 { "covers" } else { "cover" }
            ),
            (c, _) => format!(
                "{} {label} needed, {} of them covered by licences you own",
                thousands(needed),
                thousands(c)
            ),
        };
        // A connector's count says why connectors beat CALs for its hosts' external users; one
        // bought only beneath an RDS or AD RMS connector is not for them (review of this
        // session's changes), so a connector line keeps to the counts.
        if line.kind == LicenceKind::ExternalConnector {
            line.why.text = format!("{}. {own}", line.why.text);
            continue;
        }
        line.why.text = format!("{}. {own}. Why: {}", line.why.text, count.why.text);
        for r in &count.why.rules {
            if !line.why.rules.contains(r) {
                line.why.rules.push(r.clone());
            }
        }
    }
}

/// The SQL Server CALs (User and Device, owned or bought) the licensing needs.
pub(crate) fn sql_cals(solution: &Solution) -> Option<u64> {
    solution
        .products
        .iter()
        .find(|p| p.product == CalProduct::SqlServer)
        .map(|p| p.user_cals.saturating_add(p.device_cals))
}

/// Owned SQL Server CALs (User and Device) by effective generation, with Software Assurance
/// rights: what [`SqlReach::cals_to_buy`] weighs the need against.
pub(crate) fn sql_owned_ranks(estate: &Estate, demand: &Demand) -> Vec<(u8, u64)> {
    owned_by_rank(estate, demand.today)
        .get(&CalProduct::SqlServer)
        .map(|lots| {
            lots.iter()
                .filter(|l| l.kind != LicenceKind::ExternalConnector)
                .map(|l| (l.rank, l.quantity))
                .collect()
        })
        .unwrap_or_default()
}

/// The external person classes whose Windows Server access an External Connector cannot
/// license, as their additive CALs need a Windows Server User CAL for the same person (the
/// default reading of an external user's base, `ext.additive-base-cal-reading`): those holding
/// RDS User CALs in the licensing on a session host (not those an RDS External Connector covers,
/// review 27: with an RDS connector price entered, 100 partners holding RDS User CALs were read
/// as covered by it, and the Windows Server connector showed a break-even it cannot reach; on a
/// per-device host they hold RDS Device CALs instead, and their Windows Server access may be the
/// host's connector), and those holding AD RMS User CALs in the licensing (review 12: the chart
/// showed the connector cheaper for 100 suppliers on an AD RMS server whose CALs it cannot
/// replace). Returns (RDS, AD RMS not also RDS) classes.
pub(crate) fn base_bound_externals(
    demand: &Demand,
    solution: &Solution,
) -> (BTreeSet<usize>, BTreeSet<usize>) {
    let inst = &demand.instance;
    let rds = solution
        .products
        .iter()
        .find(|p| p.product == CalProduct::Rds);
    let modes: &[RdsMode] = rds.map_or(&[], |p| p.rds_modes.as_slice());
    let rds_held = rds.map_or(&[][..], |p| p.user_cals_per_class.as_slice());
    let rds_users: BTreeSet<usize> = inst
        .products
        .iter()
        .filter(|p| p.product == CalProduct::Rds && !p.external_base_by_connector)
        .filter(|p| !p.base_any_subject)
        .flat_map(|p| p.rds_hosts.iter().enumerate())
        .filter(|&(i, r)| modes.get(i).copied().or(r.mode) != Some(RdsMode::PerDevice))
        .flat_map(|(_, r)| r.external_users(&inst.people))
        .filter(|&c| rds_held.get(c).is_some_and(|&n| n > 0))
        .collect();
    let held = solution
        .products
        .iter()
        .find(|p| p.product == CalProduct::AdRms)
        .map_or(&[][..], |p| p.user_cals_per_class.as_slice());
    let rms_users = inst
        .products
        .iter()
        .filter(|p| p.product == CalProduct::AdRms && !p.external_base_by_connector)
        .filter(|p| !p.base_any_subject)
        .flat_map(|p| p.person_host.iter().map(|&(c, _)| c))
        .filter(|&c| held.get(c).is_some_and(|&n| n > 0) && !rds_users.contains(&c))
        .collect();
    (rds_users, rms_users)
}

/// Whether the unattended pool at `index` of the estate's shared devices needs SQL Server CALs of
/// its own: one that names no users does; one whose users' SQL CALs cover it (printers, cal-rules
/// §1.8 item 8) does only where the demand left it unattended for SQL Server.
pub(crate) fn pool_needs_own_sql_cal(estate: &Estate, demand: &Demand, index: usize) -> bool {
    estate
        .shared_devices
        .get(index)
        .is_some_and(|pool| pool.unattended)
        // Network equipment names no users, and has a CAL of its own only where the demand gives
        // it one (not under the reading that counts it not).
        && ((estate.shared_devices[index].shared_by.is_empty()
            && !estate.shared_devices[index].network)
            || demand.instance.products.iter().any(|p| {
                p.product == CalProduct::SqlServer && p.unattended_devices.contains(&index)
            }))
}

/// Anonymous visitors in the groups that reach `server`.
fn anonymous_reaching(estate: &Estate, server: &str) -> u64 {
    let groups: BTreeSet<&str> = estate
        .access
        .iter()
        .filter(|a| !a.manual_transfer_only && a.servers.iter().any(|x| x == server))
        .flat_map(|a| a.groups.iter().map(String::as_str))
        .collect();
    estate
        .groups
        .iter()
        .filter(|g| groups.contains(g.id.as_str()) && g.kind == PersonKind::AnonymousVisitor)
        .map(|g| u64::from(g.count))
        .sum()
}

// ---------------------------------------------------------------------------------------------

fn prices_note(demand: &Demand, estate: &Estate) -> String {
    let org = &estate.organisation;
    let own = org.prices.len();
    let usd = org.currency.eq_ignore_ascii_case("USD");
    let mut missing = VecSet::new();
    for pd in &demand.products {
        for k in &pd.missing_prices {
            missing.insert(catalog::licence_name(pd.product, "", *k, 1));
        }
    }
    let mut note = if usd {
        format!(
            "Reference prices are estimates from public pages collected {REFERENCE_PRICES_DATE} (each with its date and source), not Microsoft's price list; edit them to match your own price list."
        )
    } else {
        format!(
            "Reference prices are in USD, so in {} only your own prices are used; estimates from public pages collected {REFERENCE_PRICES_DATE}, not Microsoft's price list.",
            org.currency
        )
    };
    if own > 0 {
        note.push_str(&if own == 1 {
            " 1 of the prices used is your own.".to_string()
        } else {
            format!(" {own} of the prices used are your own.")
        });
    }
    let reference_used = demand.products.iter().any(|pd| {
        [LicenceKind::UserCal, LicenceKind::DeviceCal]
            .iter()
            .any(|k| demand.prices.origin(pd.product, *k) == PriceOrigin::Reference)
    });
    if !reference_used && own > 0 {
        note.push_str(" No reference estimate was needed.");
    }
    if !missing.is_empty() {
        note.push_str(&format!(
            " No price is known for: {}; their cost is left out of the totals.",
            missing.into_iter().collect::<Vec<_>>().join(", ")
        ));
    }
    note
}

fn referenced_rules(report: &Report) -> Vec<RuleRef> {
    let mut ids_used: VecSet<String> = VecSet::new();
    let mut add = |e: &Explanation| ids_used.extend(e.rules.iter().cloned());
    for p in &report.products {
        for c in p.counts() {
            add(&c.why);
        }
    }
    add(&report.recommendation.why);
    for l in &report.recommendation.lines {
        add(&l.why);
    }
    for s in &report.scenarios {
        add(&s.why);
    }
    for r in &report.position {
        add(&r.why);
    }
    for s in &report.seats {
        add(&s.why);
    }
    for b in &report.breakevens {
        add(&b.why);
    }
    for f in &report.findings {
        ids_used.insert(f.rule.clone());
    }
    ids_used.insert(ids::PRICE_ESTIMATES.into());
    catalog::RULES
        .iter()
        .filter(|r| ids_used.contains(r.id))
        .map(RuleRef::from)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The choices of seat holders priced: the rule of thumb's first; every other order of up
    /// to three groups, each once per number of people it seats from each group; with
    /// administrators-only groups, also two of each, or two in all, left unseated; eight at
    /// most.
    #[test]
    fn seat_choices_price_each_way_of_seating_groups_once() {
        let plan = |seats: u64, groups: &[(&str, u64, bool)]| {
            let groups = (groups.iter())
                .map(|&(id, people, admin_only)| rules::SeatContender {
                    group: id.to_string(),
                    people,
                    admin_only,
                })
                .collect();
            (seats, groups)
        };
        let shown = |choices: Vec<Vec<(String, u64)>>| -> Vec<String> {
            (choices.into_iter())
                .map(|c| c.iter().map(|(id, n)| format!("{id}{n}")).collect())
                .collect()
        };
        // 4 seats for a, b and c of 3 each: the first group takes 3, the second 1.
        let three = [plan(
            4,
            &[("a", 3, false), ("b", 3, false), ("c", 3, false)],
        )];
        assert_eq!(
            shown(seat_choices(&three)),
            ["a3b1c0", "a3c1b0", "b3a1c0", "b3c1a0", "c3a1b0", "c3b1a0"]
        );
        // 2 seats: the third group's place never matters, three ways.
        let three = [plan(
            2,
            &[("a", 3, false), ("b", 3, false), ("c", 3, false)],
        )];
        assert_eq!(shown(seat_choices(&three)), ["a2b0c0", "b2a0c0", "c2a0b0"]);
        // Five groups: each first in turn, the others in the rule of thumb's order.
        let five = [plan(
            1,
            &[
                ("a", 1, false),
                ("b", 1, false),
                ("c", 1, false),
                ("d", 1, false),
                ("e", 1, false),
            ],
        )];
        assert_eq!(
            shown(seat_choices(&five)),
            [
                "a1b0c0d0e0",
                "b1a0c0d0e0",
                "c1a0b0d0e0",
                "d1a0b0c0e0",
                "e1a0b0c0d0"
            ]
        );
        // 7 seats, 7 administrators and 4 staff (review 46's seed 500002): the administrators
        // seated all but two, and the seats left to the staff.
        let admins = [plan(7, &[("admins", 7, true), ("staff", 4, false)])];
        assert_eq!(
            shown(seat_choices(&admins)),
            ["admins7staff0", "admins5staff2", "staff4admins3"]
        );
        // Two groups of administrators: two left unseated in each, or two in all, from the
        // first in the rule of thumb's order (review 46's random estates with seats: an
        // administrator of five products and eight of Windows Server, 8 seats).
        let two = [plan(8, &[("x", 1, true), ("y", 8, true), ("s", 7, false)])];
        let choices = shown(seat_choices(&two));
        assert_eq!(
            choices,
            ["x1y7s0", "x0y6s2", "x0y7s1", "x1s7y0", "x0s7y1", "y8x0s0"]
        );
        // Seats left over go to the administrators left unseated: 4 seats, 3 administrators
        // and 2 staff: one administrator seated, the 2 staff, and the seat left to another
        // administrator.
        let spare = [plan(4, &[("admins", 3, true), ("staff", 2, false)])];
        assert_eq!(
            shown(seat_choices(&spare)),
            ["admins3staff1", "admins2staff2"]
        );
        // Two plans: each plan's other choices beside the other's rule of thumb.
        let two = [
            plan(1, &[("a", 2, false), ("b", 2, false), ("c", 2, false)]),
            plan(1, &[("x", 2, false), ("y", 2, false), ("z", 2, false)]),
        ];
        assert_eq!(
            shown(seat_choices(&two)),
            [
                "a1b0c0x1y0z0",
                "b1a0c0x1y0z0",
                "c1a0b0x1y0z0",
                "a1b0c0y1x0z0",
                "a1b0c0z1x0y0"
            ]
        );
        // An administrators-only group a: b3a1c0 seats as many of each group as a1b3c0 (a's
        // two left unseated), so it is not priced again.
        let two = [
            plan(4, &[("a", 3, true), ("b", 3, false), ("c", 3, false)]),
            plan(1, &[("x", 2, false), ("y", 2, false)]),
        ];
        assert_eq!(
            shown(seat_choices(&two)),
            [
                "a3b1c0x1y0",
                "a1b3c0x1y0",
                "a3c1b0x1y0",
                "a1c3b0x1y0",
                "b3c1a0x1y0",
                "c3b1a0x1y0",
                "a3b1c0y1x0"
            ]
        );
        let one = |ids: [&'static str; 5]| ids.map(|id| (id, 1, false));
        let five = [
            plan(1, &one(["a", "b", "c", "d", "e"])),
            plan(1, &one(["v", "w", "x", "y", "z"])),
        ];
        // 1 + 4 + 4 choices, eight priced.
        assert_eq!(seat_choices(&five).len(), 8);
        assert_eq!(permutations(3).len(), 6);
        assert_eq!(permutations(0), [Vec::<usize>::new()]);
    }

    /// The per-core check evaluates each estate's SQL part: it must be a valid estate, or the
    /// check is silently skipped (diff review 24: Remote Desktop on a rule that also reaches a
    /// SQL Server, and printers reaching only a file server, made it invalid).
    #[test]
    fn the_sql_part_of_every_example_is_a_valid_estate() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/estates");
        let mut read = 0;
        for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{e}")) {
            let path = entry.unwrap_or_else(|e| panic!("{e}")).path();
            if path.extension().is_none_or(|x| x != "json") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{e}"));
            let estate = Estate::from_json(&text).unwrap_or_else(|e| panic!("{e}"));
            let part = sql_part(&estate);
            assert_eq!(part.validate(), Ok(()), "{}", path.display());
            read += 1;
        }
        assert!(read > 10);
        let mixed = Estate::from_json(
            r#"{ "groups": [ { "id": "staff", "count": 10 } ],
                 "shared_devices": [ { "id": "printers", "count": 3, "unattended": true,
                                       "accesses": ["fs"] } ],
                 "servers": [ { "id": "fs", "product": "windows-server", "version": "2022" },
                              { "id": "ts", "product": "windows-server", "version": "2022",
                                "rds_session_host": true },
                              { "id": "db", "product": "sql-server", "version": "2022" } ],
                 "access": [ { "groups": ["staff"], "servers": ["ts", "db"],
                               "features": ["remote-desktop"] } ] }"#,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(mixed.validate(), Ok(()));
        assert_eq!(sql_part(&mixed).validate(), Ok(()));
    }

    /// The rules of thumb count what they buy as the optimiser does, so whichever candidate wins,
    /// a product's counts to buy are the recommendation's lines for it (ELP review 22: left at 0,
    /// they made a break-even say owned licences covered 273 Windows Server Device CALs bought).
    #[test]
    fn a_rule_of_thumb_counts_what_it_buys() {
        let estate = Estate::from_json(
            r#"{ "groups": [ { "id": "office", "count": 20, "devices_each": 2 },
                             { "id": "shop", "count": 8 } ],
                 "servers": [ { "id": "fs", "product": "windows-server", "version": "2022" },
                              { "id": "ex", "product": "exchange", "version": "2019",
                                "windows_version": "2022" } ],
                 "access": [ { "groups": ["office", "shop"], "servers": ["fs", "ex"] } ],
                 "holdings": [ { "product": "windows-server", "kind": "user-cal",
                                 "version": "2022", "quantity": 5 },
                               { "product": "windows-server", "kind": "device-cal",
                                 "version": "2022", "quantity": 3 } ] }"#,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let today = Date {
            year: 2026,
            month: 12,
            day: 3,
        };
        let demand = rules::demand(&estate, today);
        for (h, name) in [
            (Heuristic::AllUser, "all-user"),
            (Heuristic::AllDevice, "all-device"),
            (Heuristic::PerGroupSmaller, "per-group-smaller"),
        ] {
            let solution = heuristic_solution(&demand, &estate, h);
            let position = position::compute(&demand, &estate, &solution);
            let mut any = false;
            for ps in &solution.products {
                let bought = |kind: LicenceKind| -> u64 {
                    position
                        .lines
                        .iter()
                        .filter(|l| l.product == ps.product && l.kind == kind)
                        .map(|l| l.quantity)
                        .sum()
                };
                assert_eq!(ps.buy_user_cals, bought(LicenceKind::UserCal), "{name}");
                assert_eq!(ps.buy_device_cals, bought(LicenceKind::DeviceCal), "{name}");
                assert_eq!(
                    ps.buy_external_connectors,
                    bought(LicenceKind::ExternalConnector),
                    "{name}"
                );
                any |= ps.buy_user_cals + ps.buy_device_cals > 0;
            }
            assert!(any, "{name} buys CALs");
        }
    }
}
