//! Findings: what an auditor or a licensing practitioner would point out about the estate, each
//! with a severity, the rule it rests on, a plain sentence and the source.
//!
//! Kinds (cal-rules §4.1 common audit findings, §1.4, §1.6, §1.8, §1.10, §1.11, §1.13, §1.14):
//! `shortfall`, `version-gap`, `version-not-released`, `missing-external-connector`,
//! `ec-assigned-elsewhere`, `ec-idle-on-its-host`,
//! `admin-exemption-overused`, `cal-type-mismatch`, `sql-per-core-cheaper`,
//! `essentials-cap-exceeded`, `rds-licensing-server-older`, `rds-ec-without-ws-ec`,
//! `additive-without-base`, `sources-disagree`, `prices-missing`, `m365-seats-short`,
//! `rds-mode-switch-saves` (raised by `engine::evaluate`), `suite-without-sa-dates`,
//! `multiplexing`, `manual-transfer`, `suite-rights-frozen`, `suite-split`,
//! `se-sa-ended`, `se-without-sa-dates`, `se-purchase-needs-sa`, `sa-relied-on`,
//! `skype-se-sa-unchecked`,
//! `sql-anonymous-server-cal`, `sql-cores-unknown`, `anonymous-only-reached`,
//! `virtualisation-only-reached`, `windows-version-missing`.

use crate::catalog::{self, ids, Family, PriceOrigin};
use crate::engine::SqlReach;
use crate::estate::{
    AdditiveBase, ExternalAdditiveBase, ExternalConnectorScope, M365E3Rights, M365Printers,
    NetworkEquipment,
};
use crate::estate::{
    CalProduct, Date, Estate, LicenceKind, M365Equivalency, PersonKind, PurchaseChannel,
};
use crate::optimise::{ProductSolution, Solution};
use crate::position::{money, thousands, Position};
use crate::report::{Finding, FindingKind, PositionRow, Report, Severity};
use crate::rules::{
    owned_by_rank, Demand, OwnedLot, ProductDemand, ESSENTIALS_MAX_DEVICES, ESSENTIALS_MAX_USERS,
};
use crate::sort::run_of;
use crate::vecmap::{VecMap, VecSet};
use std::cell::OnceCell;
use std::collections::{BTreeMap, BTreeSet};

/// What a `prices-missing` finding adds when the External Connector has no price; the
/// recommendation's caveats (`report::total_caveats`) look for it.
pub(crate) const NO_CONNECTOR_PRICE: &str = " Without an External Connector price, external users are licensed with CALs only, except on a host an owned connector serves: the one it is assigned to, or one an unassigned one is placed on.";

/// What the per-core prices apply (domain review 21: the rule's "4 per VM or processor" was
/// shown, while the estate has no processor count).
pub(crate) const SQL_MINIMUM_APPLIED: &str = "a minimum of 4 cores per server or VM; a physical server's processors are not counted separately: with several processors, enter at least 4 cores per processor";

fn finding(
    kind: FindingKind,
    severity: Severity,
    rule: &str,
    product: Option<CalProduct>,
    message: String,
) -> Finding {
    Finding {
        kind,
        severity,
        rule: rule.to_string(),
        message,
        source: catalog::rule(rule)
            .map(|r| r.source.to_string())
            .unwrap_or_default(),
        product,
        saving_minor: None,
        saving_condition: None,
    }
}

/// The rule a shortfall of `product` breaks: RDS and AD RMS have their own CAL requirement in
/// the rules; the other products the general one, the clause every server product's terms carry.
fn shortfall_rule(product: CalProduct) -> &'static str {
    match product {
        CalProduct::Rds => ids::RDS_REQUIRED,
        CalProduct::AdRms => ids::ADRMS_ADDITIVE,
        _ => ids::CAL_REQUIRED,
    }
}

fn list(items: &[String]) -> String {
    match items.len() {
        0 => String::new(),
        1..=4 => items.join(", "),
        n => format!("{} and {} more", items[..3].join(", "), n - 3),
    }
}

/// `a`, `a and b`, `a, b and c`: every item named (also the form's notes: "Office server and
/// Remote apps").
pub(crate) fn list_all<S: AsRef<str>>(items: &[S]) -> String {
    match items {
        [] => String::new(),
        [one] => one.as_ref().to_string(),
        [init @ .., last] => format!(
            "{} and {}",
            init.iter()
                .map(AsRef::as_ref)
                .collect::<Vec<&str>>()
                .join(", "),
            last.as_ref()
        ),
    }
}

/// The newest CAL generation of `pd` among the needs that suites bought today cover: the
/// classes that need the product and get none of its own CALs (nor a suite they hold already).
/// `None` when no suite bought covers the product.
fn suite_need_rank(
    demand: &Demand,
    solution: &Solution,
    pd: &crate::rules::ProductDemand,
) -> Option<u8> {
    if !solution
        .suites
        .iter()
        .any(|s| s.buy > 0 && catalog::suite_contents(s.suite).contains(&pd.product))
    {
        return None;
    }
    let ps = solution.products.iter().find(|p| p.product == pd.product);
    let got =
        |v: Option<&Vec<u32>>, i: usize| u64::from(v.and_then(|v| v.get(i)).copied().unwrap_or(0));
    let people = pd.person_rank.iter().filter_map(|(&c, &r)| {
        let class = demand.instance.people.get(c)?;
        let own = got(ps.map(|p| &p.user_cals_per_class), c)
            + got(ps.map(|p| &p.own_device_cals_per_class), c);
        let held = class
            .held_suite
            .is_some_and(|s| catalog::suite_contents(s).contains(&pd.product));
        (!held && !class.external && own < u64::from(class.multiplicity)).then_some(r)
    });
    let devices = pd.device_rank.iter().filter_map(|(&d, &r)| {
        let class = demand.instance.devices.get(d)?;
        (got(ps.map(|p| &p.device_cals_per_class), d) < u64::from(class.multiplicity)).then_some(r)
    });
    Some(people.chain(devices).max().unwrap_or(pd.max_rank))
}

/// All findings for an evaluated estate, most severe first.
/// `per_core`: how much less the purchase is with the Server+CAL SQL Servers given licensed
/// per core, when the engine can say it exactly (it evaluates the estate so changed);
/// `sql_reach`: the estate's SQL reach, indexed when first needed (the break-evens use it too).
pub(crate) fn findings<'a>(
    estate: &'a Estate,
    demand: &Demand,
    solution: &Solution,
    position: &Position,
    per_core: &dyn Fn(&[&str]) -> Option<i64>,
    sql_reach: &OnceCell<SqlReach<'a>>,
) -> Vec<Finding> {
    let mut out = Vec::new();
    let currency = estate.organisation.currency.as_str();
    let today = demand.today;

    let owned = owned_by_rank(estate, today);

    out.extend(shortfalls(estate, demand, position, currency));
    out.extend(suite_shortfalls(
        estate, demand, solution, position, currency,
    ));
    out.extend(version_gaps(estate, demand, solution, position, &owned));
    out.extend(cal_type_mismatches(estate, demand, position));
    out.extend(missing_connectors(estate, demand, solution, position));
    out.extend(idle_assigned_connectors(
        estate, demand, solution, position, &owned,
    ));
    out.extend(rds_ec_without_ws_ec(estate, demand, solution));
    out.extend(admin_exemption_overused(demand));
    out.extend(essentials_caps_exceeded(demand));
    out.extend(rds_licensing_servers_older(
        estate, demand, solution, position,
    ));
    out.extend(additive_without_base(estate, demand, position, &owned));
    out.extend(se_active_sa(estate, demand, position));
    out.extend(skype_se_sa_unchecked(estate, demand));
    out.extend(suites_without_sa_dates(estate));
    out.extend(ec_scope_disagrees(estate, demand));
    out.extend(m365_channel_disagrees(estate));
    out.extend(offsite_contractors(estate));
    out.extend(m365_seats_short(estate, demand));
    out.extend(prices_missing(demand, position));
    out.extend(suite_prices_missing(demand));
    out.extend(multiplexing_and_manual_transfer(demand));
    // The access rules by server, for the two that look them up per server.
    let by_server = live_rules_by_server(estate);
    // SQL Server licensed Server+CAL where per core would cost less.
    out.extend(breakevens_sql(
        estate,
        &by_server,
        demand,
        crate::engine::sql_cals(solution),
        position,
        per_core,
        sql_reach,
    ));
    out.extend(suite_rights_frozen(estate, today));
    out.extend(external_additive_base(demand, estate, solution));
    out.extend(sa_relied_on(estate, demand, position));
    out.extend(m365_e3_rights(demand, estate, position));
    out.extend(m365_printers(demand, estate, solution));
    out.extend(printers_without_users(estate, solution));
    out.extend(shared_devices_unused(estate));
    out.extend(devices_assumed(estate, demand, solution));
    out.extend(additive_base_same_subject(demand, solution, currency));
    out.extend(additive_base_any_subject(demand));
    out.extend(additive_base_same_subject_users(demand, solution, currency));
    out.extend(network_equipment(demand, estate));
    out.extend(versions_not_released(demand, estate));
    out.extend(suite_split(estate, demand, solution, position));
    out.extend(server_flags(estate, &by_server));

    crate::sort::sort_by_key(&mut out, |f| std::cmp::Reverse(f.severity));
    out
}

/// Shortfalls per product (non-compliant as entered): what each product is short of, and the
/// cost of closing the gap.
fn shortfalls(
    estate: &Estate,
    demand: &Demand,
    position: &Position,
    currency: &str,
) -> Vec<Finding> {
    let mut out = Vec::new();
    for pd in &demand.products {
        let rows: Vec<_> = position
            .rows
            .iter()
            .filter(|r| r.product == pd.product && r.shortfall > 0)
            .collect();
        if rows.is_empty() {
            continue;
        }
        let parts: Vec<String> = rows
            .iter()
            .map(|r| catalog::licence_name(r.product, &r.version, r.kind, r.shortfall))
            .zip(rows.iter().map(|r| r.shortfall))
            .map(|(name, n)| format!("{} {name}", thousands(n)))
            .collect();
        let cost: i64 = rows
            .iter()
            .fold(0i64, |a, r| a.saturating_add(r.cost_to_close_minor));
        let owned_any = position
            .rows
            .iter()
            .any(|r| r.product == pd.product && r.owned > 0);
        let missing = rows.iter().any(|r| r.price_missing);
        out.push(finding(
            FindingKind::Shortfall,
            if owned_any || !estate.holdings.is_empty() {
                Severity::Critical
            } else {
                Severity::Warning
            },
            // The obligation an auditor points to, not the method of the count (review 20), in
            // the product's own terms where the rules give them (why review 24: an RDS
            // shortfall cited the Windows Server terms).
            shortfall_rule(pd.product),
            Some(pd.product),
            format!(
                "{} short of {}: {}{}",
                catalog::short_name(pd.product),
                if estate.holdings.is_empty() {
                    "what it needs (no holdings entered)"
                } else {
                    "what it needs"
                },
                parts.join(", "),
                if missing {
                    " (price unknown)".to_string()
                } else {
                    format!(", {} to close", money(cost, currency))
                }
            ),
        ));
    }
    out
}

/// Shortfalls that suites close: the position shows them on the suite row only, and an
/// estate that is short must say so whatever the cheapest cure is (review 13: Core CAL
/// Suites closing a 2016-to-2022 gap left a report without a single finding).
fn suite_shortfalls(
    estate: &Estate,
    demand: &Demand,
    solution: &Solution,
    position: &Position,
    currency: &str,
) -> Vec<Finding> {
    let mut out = Vec::new();
    for row in position
        .rows
        .iter()
        .filter(|r| catalog::is_suite(r.product) && r.shortfall > 0)
    {
        // A product whose owned CALs, new enough, lie idle in numbers that would have covered
        // these needs is not short: the suites displace them because they are cheaper than
        // buying the other parts alone (review 13b: "60 people need … Exchange Standard 2019
        // CALs beyond those owned" beside 60 idle owned Exchange Standard 2019 CALs).
        let mut idle_owned: Vec<String> = Vec::new();
        let needs: Vec<String> = catalog::suite_contents(row.product)
            .iter()
            .filter_map(|&p| {
                let pd = demand.products.iter().find(|pd| pd.product == p)?;
                let r = suite_need_rank(demand, solution, pd)?;
                let name = format!("{} {}", catalog::short_name(p), pd.version_name(r))
                    .trim_end()
                    .to_string();
                let idle: u64 = position
                    .rows
                    .iter()
                    .filter(|o| {
                        o.product == p && o.kind == row.kind && rank(pd.family, &o.version) >= r
                    })
                    // A suite's contents are not CALs to deploy alone (review 43: "leaves 50
                    // Exchange Enterprise 2019 CALs you own idle" counted 30 SE CALs of owned
                    // Enterprise CAL Suites with the 20 separate 2019 ones).
                    .map(|o| o.surplus - o.surplus_in_suites.min(o.surplus))
                    .sum();
                if idle >= row.shortfall {
                    idle_owned.push(format!("{} {}", thousands(idle), name));
                    return None;
                }
                Some(name)
            })
            .collect();
        if needs.is_empty() {
            continue;
        }
        let names: Vec<String> = needs.clone();
        out.push(finding(
            FindingKind::Shortfall,
            if estate.holdings.is_empty() {
                Severity::Warning
            } else {
                Severity::Critical
            },
            ids::CAL_REQUIRED,
            Some(row.product),
            format!(
                "the estate is short of what it needs{}: {} {} need {} CALs beyond those owned; {} {} close the gap{}{}",
                if estate.holdings.is_empty() {
                    " (no holdings entered)"
                } else {
                    ""
                },
                thousands(row.shortfall),
                match (row.kind, row.shortfall) {
                    (LicenceKind::DeviceCal, 1) => "device",
                    (LicenceKind::DeviceCal, _) => "devices",
                    (_, 1) => "person",
                    _ => "people",
                },
                list_all(&names),
                thousands(row.shortfall),
                catalog::licence_name(row.product, "", row.kind, row.shortfall),
                if row.price_missing {
                    " (price unknown)".to_string()
                } else {
                    format!(" for {}", money(row.cost_to_close_minor, currency))
                },
                if idle_owned.is_empty() {
                    String::new()
                } else {
                    format!(
                        ", which leaves {} CALs you own idle: the suites cost less than the other parts bought alone",
                        list_all(&idle_owned)
                    )
                }
            ),
        ));
    }
    out
}

/// Version gaps: owned older CALs left unused while a newer version is short. User and Device
/// CALs together: old User CALs idle while new Device CALs are short are a version gap as
/// much as old Device CALs are (review: 60 idle 2022 User CALs next to 60 short 2025 Device
/// CALs went unexplained).
fn version_gaps(
    estate: &Estate,
    demand: &Demand,
    solution: &Solution,
    position: &Position,
    owned: &VecMap<CalProduct, Vec<OwnedLot>>,
) -> Vec<Finding> {
    let mut out = Vec::new();
    for pd in &demand.products {
        for &kinds in version_gap_groups(pd, position) {
            out.extend(version_gap(
                estate, demand, solution, position, owned, pd, kinds,
            ));
        }
    }
    out
}

/// The kinds of licence whose version gaps are told together: User and Device CALs, and External
/// Connectors apart.
///
/// A session host issues one kind of RDS CAL: owned RDS User and Device CALs each too old
/// for a need of their own kind are two gaps, each with its own hosts (review 12: 2019 User
/// CALs short on a 2022 per-user host and 2016 Device CALs short on a 2019 per-device host
/// read as one gap on the 2022 host).
fn version_gap_groups(
    pd: &ProductDemand,
    position: &Position,
) -> &'static [&'static [LicenceKind]] {
    let own_kind_gap = |kind: LicenceKind| {
        let rows = || {
            position
                .rows
                .iter()
                .filter(move |r| r.product == pd.product && r.kind == kind)
        };
        rows().filter(|r| r.shortfall > 0).any(|s| {
            rows()
                .any(|o| o.surplus > 0 && rank(pd.family, &o.version) < rank(pd.family, &s.version))
        })
    };
    let by_kind = pd.product == CalProduct::Rds
        && own_kind_gap(LicenceKind::UserCal)
        && own_kind_gap(LicenceKind::DeviceCal);
    if by_kind {
        &[
            &[LicenceKind::UserCal],
            &[LicenceKind::DeviceCal],
            &[LicenceKind::ExternalConnector],
        ]
    } else {
        &[
            &[LicenceKind::UserCal, LicenceKind::DeviceCal],
            &[LicenceKind::ExternalConnector],
        ]
    }
}

/// The version gap of `pd`'s licences of `kinds`: owned ones left idle that are older than the
/// version short (or, with none short, than the one the suites bought today cover), and the
/// servers they cannot cover.
fn version_gap(
    estate: &Estate,
    demand: &Demand,
    solution: &Solution,
    position: &Position,
    owned: &VecMap<CalProduct, Vec<OwnedLot>>,
    pd: &ProductDemand,
    kinds: &[LicenceKind],
) -> Option<Finding> {
    let rows: Vec<&PositionRow> = position
        .rows
        .iter()
        .filter(|r| r.product == pd.product && kinds.contains(&r.kind))
        .collect();
    let short: Vec<&PositionRow> = rows.iter().copied().filter(|r| r.shortfall > 0).collect();
    let idle: Vec<&PositionRow> = rows.iter().copied().filter(|r| r.surplus > 0).collect();
    // With no shortfall of the product's own CALs, a need that suites bought today
    // cover is the gap the older CALs leave (review 13: owned 2016 CALs idle beside
    // 2022 servers went unnamed once suites closed the gap).
    let by_suites = if kinds.contains(&LicenceKind::ExternalConnector) {
        None
    } else {
        suite_need_rank(demand, solution, pd).map(|r| pd.version_name(r).to_string())
    };
    let (top_version, top_kind, by_suites) = match (short.first(), by_suites) {
        (Some(t), _) => (t.version.clone(), t.kind, false),
        (None, Some(v)) if !v.is_empty() => (v, kinds[0], true),
        _ => return None,
    };
    let older: Vec<&PositionRow> = idle
        .iter()
        .copied()
        .filter(|r| rank(pd.family, &r.version) < rank(pd.family, &top_version))
        .collect();
    if older.is_empty() {
        return None;
    }
    let idle_n: u64 = older.iter().map(|r| r.surplus).sum();
    // The kind of the idle CALs, or "CAL" when both kinds are idle.
    let kind = older.first().map_or(top_kind, |r| r.kind);
    let label = if older.iter().all(|r| r.kind == kind) {
        catalog::kind_label(kind)
    } else {
        "CAL"
    };
    // One version per name: a row per kind can repeat it (review: "2022/2022 CALs").
    let mut idle_versions: Vec<String> = Vec::new();
    for r in &older {
        if !idle_versions.contains(&r.version) {
            idle_versions.push(r.version.clone());
        }
    }
    // Owned suites count as their contents: say so, or the figure reads as more
    // separate CALs than were bought.
    let from_suites = estate.holdings.iter().any(|h| {
        catalog::is_suite(h.product)
            && catalog::suite_contents(h.product).contains(&pd.product)
            && kinds.contains(&h.kind)
            && older.iter().any(|r| {
                rank(pd.family, &r.version)
                    == catalog::suite_rank(pd.family, h.software_assurance.as_ref(), demand.today)
            })
    });
    let connectors = kinds.contains(&LicenceKind::ExternalConnector);
    let rds = pd.product == CalProduct::Rds;
    // Idle CALs entered as an R2 release ("2012 R2") are shown as that generation
    // ("2012"): say so, and cite the rule that says it (domain review 21).
    let entered_r2 = if connectors {
        Vec::new()
    } else {
        entered_as_r2(estate, pd, kinds, &idle_versions)
    };
    let r2_note = if entered_r2.is_empty() {
        String::new()
    } else {
        format!(
            " (entered as {}: R2 releases had no new CALs)",
            entered_r2.join("/")
        )
    };
    // The newest generation among the idle licences: hosts above it are the ones named.
    let newest_idle = older
        .iter()
        .map(|r| rank(pd.family, &r.version))
        .max()
        .unwrap_or(0);
    // The servers named: with connectors, those of the hosts external users reach and those
    // beneath an additive connector; on session hosts, those the subjects concerned reach.
    let (mut hosts, base_servers) = if connectors {
        let hosts = connector_hosts(estate, demand, owned, pd, &older, newest_idle);
        let beneath =
            servers_beneath_additive_connectors(estate, demand, solution, pd, newest_idle, &hosts);
        (hosts, beneath)
    } else if rds {
        let hosts = session_hosts_concerned(demand, solution, pd, &short, &older, newest_idle);
        (hosts, VecMap::new())
    } else {
        (Vec::new(), VecMap::new())
    };
    hosts.extend(
        estate
            .servers
            .iter()
            .filter(|s| base_servers.contains_key(&s.id))
            .map(|s| (s.id.clone(), s.version.clone())),
    );
    let servers = servers_named(estate, pd, &hosts, &base_servers, &top_version);
    let gap_version = gap_version(pd, &hosts, &top_version);
    let sa_lapsed = sa_only_lapsed(estate, demand, pd, kinds, &top_version);
    let sa_note = sa_version_note(estate, demand, owned, pd, &older);
    Some(finding(
        FindingKind::VersionGap,
        Severity::Critical,
        if !entered_r2.is_empty() {
            ids::CAL_R2_SAME_GENERATION
        } else if rds {
            ids::RDS_VERSION_MATRIX
        } else {
            ids::CAL_VERSION_NOT_OLDER
        },
        Some(pd.product),
        format!(
            "{} owned {} {} {}{r2_note}{} cannot cover the {} {}: {}. {} must be the same version as the server or newer{}{}",
            thousands(idle_n),
            catalog::short_name(pd.product),
            idle_versions.join("/"),
            if idle_n == 1 { label.to_string() } else { format!("{label}s") },
            if from_suites { " (owned CAL Suites counted as their contents)" } else { "" },
            gap_version,
            if rds { "session hosts" } else { "servers" },
            list(&servers),
            if connectors { "An External Connector" } else { "A CAL" },
            if rds {
                format!(
                    " ({} RDS CALs cannot access {gap_version} hosts)",
                    idle_versions.join("/"),
                )
            } else if sa_lapsed {
                ", and SE rights last only while Software Assurance is active: CALs whose SA ended count as 2019".to_string()
            } else {
                String::new()
            },
            if by_suites {
                "; the CAL Suites in the purchase close that gap"
            } else {
                ""
            }
        ) + &sa_note,
    ))
}

/// The R2 releases (such as "2012 R2") that owned CALs of `kinds` and of one of `idle_versions`
/// were entered as.
fn entered_as_r2(
    estate: &Estate,
    pd: &ProductDemand,
    kinds: &[LicenceKind],
    idle_versions: &[String],
) -> Vec<&'static str> {
    let mut entered_r2: Vec<&str> = Vec::new();
    for h in &estate.holdings {
        let Some(sv) = catalog::server_version(pd.family, &h.version) else {
            continue;
        };
        if h.product == pd.product
            && kinds.contains(&h.kind)
            && catalog::same_generation_release(pd.family, &h.version)
            && idle_versions.iter().any(|v| v == sv.cal_version)
            && !entered_r2.contains(&sv.name)
        {
            entered_r2.push(sv.name);
        }
    }
    entered_r2
}

/// The session hosts a version gap of RDS CALs names, with their versions.
///
/// On session hosts, only those the subjects concerned reach (review: 2022 RDS Device
/// CALs idle beside 2025 kiosks named a per-user host the kiosks never reach): a host
/// issues the kind of its mode, and the subjects of a short row need the row's
/// version. The subjects concerned are those short of the idle CALs' kind, or, when
/// none is, those of the other kind.
fn session_hosts_concerned(
    demand: &Demand,
    solution: &Solution,
    pd: &ProductDemand,
    short: &[&PositionRow],
    older: &[&PositionRow],
    newest_idle: u8,
) -> Vec<(String, String)> {
    let newer: Vec<_> = short
        .iter()
        .filter(|r| rank(pd.family, &r.version) > newest_idle)
        .collect();
    let of_idle_kind: Vec<_> = newer
        .iter()
        .filter(|r| older.iter().any(|o| o.kind == r.kind))
        .collect();
    let concerned: Vec<_> = if of_idle_kind.is_empty() {
        newer.iter().collect()
    } else {
        of_idle_kind
    };
    let modes = solution
        .products
        .iter()
        .find(|p| p.product == pd.product)
        .map_or(&[][..], |p| p.rds_modes.as_slice());
    demand
        .instance
        .products
        .iter()
        .filter(|p| p.product == pd.product)
        .flat_map(|p| p.rds_hosts.iter().enumerate())
        .filter_map(|(i, h)| {
            let kind = match modes.get(i).copied().or(h.mode)? {
                crate::estate::RdsMode::PerUser => LicenceKind::UserCal,
                crate::estate::RdsMode::PerDevice => LicenceKind::DeviceCal,
            };
            let (_, v) = pd.servers.iter().find(|(s, _)| s == &h.label)?;
            let at = rank(pd.family, v);
            (at > newest_idle
                && concerned
                    .iter()
                    .any(|r| r.kind == kind && rank(pd.family, &r.version) == at))
            .then(|| (h.label.clone(), v.clone()))
        })
        .collect()
}

/// The servers a version gap of External Connectors names, with their versions.
///
/// An External Connector covers one host, so it is idle on every host newer than it
/// that external users reach, not only the newest (review 13b L2: a 2016 connector
/// "cannot cover the 2025 servers" beside a 2022 host it cannot cover either).
fn connector_hosts(
    estate: &Estate,
    demand: &Demand,
    owned: &VecMap<CalProduct, Vec<OwnedLot>>,
    pd: &ProductDemand,
    older: &[&PositionRow],
    newest_idle: u8,
) -> Vec<(String, String)> {
    let reached: BTreeSet<usize> = demand
        .instance
        .products
        .iter()
        .filter(|p| p.product == pd.product)
        .flat_map(|p| {
            p.person_host.iter().map(|&(_, h)| h).chain(
                p.rds_hosts
                    .iter()
                    .filter(|r| !r.external_people.is_empty())
                    .map(|r| r.host),
            )
        })
        .collect();
    // The servers external users reach (a staff-only VM on a host they reach is not
    // one: review 15 #6); with none known, every server on a reached host.
    let external_servers = servers_external_users_reach(estate);
    let on = |hosts: &BTreeSet<usize>| -> Vec<(String, String)> {
        pd.servers
            .iter()
            .filter(|(s, v)| {
                rank(pd.family, v) > newest_idle
                    && demand.server_unit.get(s).is_some_and(|h| hosts.contains(h))
                    && (external_servers.is_empty() || external_servers.contains(s.as_str()))
            })
            .cloned()
            .collect()
    };
    // A connector covers only the host it is assigned to (§1.6): when every idle one
    // is assigned, only their hosts' servers are theirs to cover (review 25: a 2016
    // connector assigned to one host named a server on a host another one covers).
    let idle_ranks: VecSet<u8> = older.iter().map(|r| rank(pd.family, &r.version)).collect();
    let lots: Vec<&crate::rules::OwnedLot> = (owned.get(&pd.product).into_iter())
        .flatten()
        .filter(|o| o.kind == LicenceKind::ExternalConnector && idle_ranks.contains(&o.rank))
        .collect();
    let assigned: Option<BTreeSet<usize>> = lots
        .iter()
        .map(|o| {
            crate::rules::assigned_unit(estate, &demand.instance.hosts, &demand.server_unit, o)
        })
        .collect();
    let theirs = assigned
        .filter(|_| !lots.is_empty())
        .map(|units| on(&reached.intersection(&units).copied().collect()))
        .unwrap_or_default();
    if theirs.is_empty() {
        on(&reached)
    } else {
        theirs
    }
}

/// The servers beyond `hosts` where `pd`'s idle connectors are too old to lie beneath the RDS or
/// AD RMS External Connectors of the plan, with those products.
///
/// A Windows Server connector beneath an RDS or AD RMS one must be of the version of
/// the servers that one serves: name those on hosts where the plan has one and the
/// owned connector is older (review 22b: a 2016 connector beside a 2022 Essentials
/// session host named only a 2025 server no external user reaches).
/// An AD RMS server is one reached with the AD RMS feature (its `ad_rms` flag is only
/// informational: review of this session's changes).
fn servers_beneath_additive_connectors(
    estate: &Estate,
    demand: &Demand,
    solution: &Solution,
    pd: &ProductDemand,
    newest_idle: u8,
    hosts: &[(String, String)],
) -> VecMap<String, Vec<CalProduct>> {
    let mut base_servers: VecMap<String, Vec<CalProduct>> = VecMap::new();
    let serves = |s: &crate::estate::Server, p: CalProduct| match p {
        CalProduct::Rds => s.rds_session_host,
        CalProduct::AdRms => {
            s.ad_rms
                || estate.access.iter().any(|a| {
                    a.features.contains(&crate::estate::Feature::AdRms) && a.servers.contains(&s.id)
                })
        }
        _ => false,
    };
    for s in estate.servers.iter().filter(|s| {
        !s.pay_as_you_go
            && rank(pd.family, &s.version) > newest_idle
            && !hosts.iter().any(|(id, _)| id == &s.id)
    }) {
        let Some(&h) = demand.server_unit.get(&s.id) else {
            continue;
        };
        let beneath: Vec<CalProduct> =
            crate::position::additive_connectors_on(demand, solution, pd.product, h)
                .into_iter()
                .filter(|&p| serves(s, p) && pd.base_connector_rank(h, p) > newest_idle)
                .collect();
        if !beneath.is_empty() {
            base_servers.insert(s.id.clone(), beneath);
        }
    }
    base_servers
}

/// The servers a version gap names: the hosts given (a server beneath additive connectors says
/// so), or, with none given, every server of the gap's version or newer.
fn servers_named(
    estate: &Estate,
    pd: &ProductDemand,
    hosts: &[(String, String)],
    base_servers: &VecMap<String, Vec<CalProduct>>,
    top_version: &str,
) -> Vec<String> {
    let server_names = estate.server_names();
    if hosts.is_empty() {
        return pd
            .servers
            .iter()
            .filter(|(_, v)| {
                catalog::cal_version(pd.family, v).map(|c| c.name) == Some(top_version)
                    || rank(pd.family, v) >= rank(pd.family, top_version)
            })
            .map(|(s, v)| format!("{} ({v})", server_names.name(s)))
            .collect();
    }
    hosts
        .iter()
        .map(|(s, v)| match base_servers.get(s) {
            Some(products) => {
                let names: Vec<String> = (products.iter())
                    .map(|&p| catalog::short_name(p).to_string())
                    .collect();
                format!(
                    "{} ({v}; beneath the {} External {} there)",
                    server_names.name(s),
                    list_all(&names),
                    if names.len() == 1 {
                        "Connector"
                    } else {
                        "Connectors"
                    }
                )
            }
            None => format!("{} ({v})", server_names.name(s)),
        })
        .collect()
}

/// The version a gap is of, as its finding names it: the CAL versions of the `hosts` named, or,
/// with none, the version short ("2016 and newer" when newer servers are listed with it).
fn gap_version(pd: &ProductDemand, hosts: &[(String, String)], top_version: &str) -> String {
    // The CAL versions of the hosts named (the first short row's when it names them all).
    let mut host_versions: Vec<&str> = Vec::new();
    for (_, v) in hosts {
        if let Some(c) = catalog::cal_version(pd.family, v) {
            if !host_versions.contains(&c.name) {
                host_versions.push(c.name);
            }
        }
    }
    crate::sort::sort_by_key(&mut host_versions, |v| rank(pd.family, v));
    // Servers of a newer version than the gap's are listed too (an older CAL covers
    // neither): "the 2016 and newer servers" (why review 24: "the 2016 servers" named a
    // 2019 one).
    let newer_listed = hosts.is_empty()
        && pd.servers.iter().any(|(_, v)| {
            catalog::cal_version(pd.family, v).map(|c| c.name) != Some(top_version)
                && rank(pd.family, v) > rank(pd.family, top_version)
        });
    if !host_versions.is_empty() {
        host_versions.join("/")
    } else if newer_listed {
        format!("{top_version} and newer")
    } else {
        top_version.to_string()
    }
}

/// Whether `top_version` is a release licensed only with active SA and owned licences of `kinds`
/// lost it.
///
/// CALs of a release licensed only with active SA that lost it count one release down:
/// say so, or the reason reads wrong for CALs bought as SE.
fn sa_only_lapsed(
    estate: &Estate,
    demand: &Demand,
    pd: &ProductDemand,
    kinds: &[LicenceKind],
    top_version: &str,
) -> bool {
    catalog::SA_ONLY
        .iter()
        .any(|&(f, v)| f == pd.family && v == top_version)
        && estate.holdings.iter().any(|h| {
            (h.product == pd.product
                || (catalog::is_suite(h.product)
                    && catalog::suite_contents(h.product).contains(&pd.product)))
                && kinds.contains(&h.kind)
                && catalog::sa_only_lost(
                    pd.family,
                    (!catalog::is_suite(h.product)).then_some(h.version.as_str()),
                    h.software_assurance.as_ref(),
                    demand.today,
                )
                .is_some()
        })
}

/// What a version gap adds on its `older` idle CALs that Software Assurance raised (nothing when
/// none was).
///
/// Idle CALs Software Assurance raised: what they were bought as and the dates that
/// decided their version (ELP review 22: "100 owned Windows Server 2022 User CALs"
/// bought as 2019 named neither the SA end nor the release after it).
fn sa_version_note(
    estate: &Estate,
    demand: &Demand,
    owned: &VecMap<CalProduct, Vec<OwnedLot>>,
    pd: &ProductDemand,
    older: &[&PositionRow],
) -> String {
    let sa_traces: Vec<String> = owned
        .get(&pd.product)
        .into_iter()
        .flatten()
        .filter(|l| {
            older
                .iter()
                .any(|r| r.kind == l.kind && rank(pd.family, &r.version) == l.rank)
        })
        .filter_map(|l| crate::position::sa_trace(estate, pd, l, demand.today))
        .collect();
    if sa_traces.is_empty() {
        String::new()
    } else {
        format!(
            ". Software Assurance decided their version: {}",
            sa_traces.join("; ")
        )
    }
}

/// Owned CALs of one type idle while the other type is short: the type is fixed at purchase.
/// Only idle CALs recent enough for the short need count (older ones are a version gap).
fn cal_type_mismatches(estate: &Estate, demand: &Demand, position: &Position) -> Vec<Finding> {
    let mut out = Vec::new();
    for pd in &demand.products {
        for (idle_kind, short_kind) in [
            (LicenceKind::UserCal, LicenceKind::DeviceCal),
            (LicenceKind::DeviceCal, LicenceKind::UserCal),
        ] {
            let rows = |kind: LicenceKind| {
                position
                    .rows
                    .iter()
                    .filter(move |r| r.product == pd.product && r.kind == kind)
            };
            let short: u64 = rows(short_kind).map(|r| r.shortfall).sum();
            let Some(floor) = rows(short_kind)
                .filter(|r| r.shortfall > 0)
                .map(|r| rank(pd.family, &r.version))
                .min()
            else {
                continue;
            };
            let idle: u64 = rows(idle_kind)
                .filter(|r| rank(pd.family, &r.version) >= floor)
                .map(|r| r.surplus)
                .sum();
            // Switching the type is possible only when renewing SA: worth saying for CALs with
            // active SA.
            let with_sa: u64 = estate
                .holdings
                .iter()
                .filter(|h| {
                    h.product == pd.product
                        && h.kind == idle_kind
                        && h.software_assurance
                            .as_ref()
                            .is_some_and(|sa| sa.until.is_none_or(|u| u >= demand.today))
                })
                .map(|h| u64::from(h.quantity))
                .sum();
            let switchable = idle.min(with_sa);
            if switchable > 0 && short > 0 {
                out.push(finding(
                    FindingKind::CalTypeMismatch,
                    Severity::Info,
                    ids::CAL_TYPE_FIXED,
                    Some(pd.product),
                    format!(
                        "{} owned {} with Software Assurance are not used while {} {} are short: the type is fixed at purchase, but CALs with SA can be switched to the other type when SA is renewed",
                        thousands(switchable),
                        catalog::licence_name(pd.product, "", idle_kind, switchable),
                        thousands(short),
                        catalog::licence_name(pd.product, "", short_kind, short),
                    ),
                ));
            }
        }
    }
    out
}

/// External Connectors to buy: the hosts where the cheapest mix licenses external users with a
/// connector beyond those owned, and why each of them has one.
fn missing_connectors(
    estate: &Estate,
    demand: &Demand,
    solution: &Solution,
    position: &Position,
) -> Vec<Finding> {
    let server_names = estate.server_names();
    let mut out = Vec::new();
    for (pi, pd) in demand.products.iter().enumerate() {
        let Some(ps) = solution.products.iter().find(|s| s.product == pd.product) else {
            continue;
        };
        let short = position.rows.iter().any(|r| {
            r.product == pd.product && r.kind == LicenceKind::ExternalConnector && r.shortfall > 0
        });
        if !short || ps.external_connector_hosts.is_empty() {
            continue;
        }
        let Some(inst) = demand.instance.products.get(pi) else {
            continue;
        };
        let hosts: Vec<String> = ps
            .external_connector_hosts
            .iter()
            .filter_map(|&h| {
                let label = server_names.name(&demand.instance.hosts.get(h)?.label);
                let people: BTreeSet<usize> =
                    inst.external_on(&demand.instance.people, h).collect();
                let n: u64 = people
                    .iter()
                    .filter_map(|c| demand.instance.people.get(*c))
                    .map(|p| u64::from(p.multiplicity))
                    .sum();
                // Why a connector is there beyond its own users: an owned one, or the RDS or
                // AD RMS connector on the host needs it (review 13: a Windows Server connector
                // bought for an RDS connector was called cheaper than 100 users' CALs).
                let owned_here = inst.owned_ec_hosts.contains(&h);
                let needed_by: Vec<&str> = solution
                    .products
                    .iter()
                    .filter(|s| {
                        pd.product == CalProduct::WindowsServer
                            && matches!(s.product, CalProduct::Rds | CalProduct::AdRms)
                            && s.external_connector_hosts.contains(&h)
                    })
                    .map(|s| catalog::short_name(s.product))
                    .collect();
                let mut why = vec![format!("{} external users", thousands(n))];
                if owned_here {
                    why.push("an owned connector".to_string());
                }
                if !needed_by.is_empty() {
                    why.push(format!(
                        "the {} External {} there {} it",
                        needed_by.join(" and "),
                        if needed_by.len() == 1 {
                            "Connector"
                        } else {
                            "Connectors"
                        },
                        if needed_by.len() == 1 {
                            "needs"
                        } else {
                            "need"
                        },
                    ));
                }
                Some(format!("{label} ({})", why.join("; ")))
            })
            .collect();
        let owned: u64 = position
            .rows
            .iter()
            .filter(|r| r.product == pd.product && r.kind == LicenceKind::ExternalConnector)
            .map(|r| r.owned)
            .sum();
        // Owned connectors of an older version, or assigned to another host, serve none of
        // these hosts (review: "the 1 owned cannot cover them all" for a 2019 connector that
        // covered none of the 2022 servers): say how many can.
        let used: u64 = position
            .rows
            .iter()
            .filter(|r| r.product == pd.product && r.kind == LicenceKind::ExternalConnector)
            .map(|r| r.used)
            .sum();
        let owned_text = match (owned, used) {
            (0, _) => "and none is owned".to_string(),
            (n, 0) => format!(
                "and the {} owned serve{} none of them (see the version and host findings)",
                thousands(n),
                if n == 1 { "s" } else { "" }
            ),
            (n, u) if u < n => format!(
                "and of the {} owned only {} serve{} them",
                thousands(n),
                thousands(u),
                if u == 1 { "s" } else { "" }
            ),
            (n, _) => format!("and the {} owned cannot cover them all", thousands(n)),
        };
        out.push(finding(
            FindingKind::MissingExternalConnector,
            Severity::Warning,
            ids::EC_ALTERNATIVE,
            Some(pd.product),
            format!(
                "{} for {}: the cheapest mix licenses {} external users with a connector rather than a CAL each, {owned_text}",
                plural(&format!("{} External Connector", catalog::short_name(pd.product)), hosts.len() as u64),
                list(&hosts),
                if hosts.len() == 1 { "this host's" } else { "each of these hosts'" }
            ),
        ));
    }
    out
}

/// Owned External Connectors assigned to a host beyond what it uses, while another host needs
/// one or its external users get CALs.
fn idle_assigned_connectors(
    estate: &Estate,
    demand: &Demand,
    solution: &Solution,
    position: &Position,
    owned: &VecMap<CalProduct, Vec<OwnedLot>>,
) -> Vec<Finding> {
    let server_names = estate.server_names();
    let mut out = Vec::new();
    for pd in &demand.products {
        let short = position.rows.iter().any(|r| {
            r.product == pd.product && r.kind == LicenceKind::ExternalConnector && r.shortfall > 0
        });
        let Some(ps) = solution.products.iter().find(|s| s.product == pd.product) else {
            continue;
        };
        let on_cals = pd
            .host_rank
            .keys()
            .any(|h| !ps.external_connector_hosts.contains(h));
        if !short && !on_cals {
            continue;
        }
        let lots: Vec<_> = owned
            .get(&pd.product)
            .map(|v| {
                v.iter()
                    .filter(|l| l.kind == LicenceKind::ExternalConnector)
                    .collect()
            })
            .unwrap_or_default();
        // Per host, the Connectors assigned to it beyond the one it uses (all, if it needs none).
        let mut assigned: VecMap<usize, u64> = Default::default();
        for l in &lots {
            if let Some(u) = crate::position::assigned_unit(demand, estate, l) {
                *assigned.entry(u).or_default() += l.quantity;
            }
        }
        let mut idle: Vec<(String, u64)> = Vec::new();
        // Idle on a host whose own external users get CALs: not a matter of another host
        // (review 13: an AD RMS connector idle for want of a Windows Server connector on its
        // host was said to be kept from "the other host", where there was none).
        let mut idle_here: Vec<(String, u64, &'static str, &'static str)> = Vec::new();
        // Under the per-VM reading each VM is a unit of its own: a Connector assigned to the
        // physical host covers none of its VMs (review 17: the message said a Connector covers
        // the host "with its VMs", the opposite of the reading applied).
        let per_vm = pd.rules.contains(ids::EC_PER_VM_READING);
        let mut idle_vm_host: Vec<(String, u64, Vec<String>, Vec<String>)> = Vec::new();
        for (u, n) in assigned {
            let used = u64::from(ps.external_connector_hosts.contains(&u));
            let Some(unit) = demand.instance.hosts.get(u) else {
                continue;
            };
            if n <= used {
                continue;
            }
            let label = server_names.name(&unit.label);
            if used == 0 && pd.host_rank.contains_key(&u) {
                let (why, rule) = why_idle_on_its_host(estate, demand, solution, pd, &lots, u);
                idle_here.push((label, n, why, rule));
            } else {
                // Its VMs whose external users need a Connector, and which of them it is new
                // enough for.
                let newest = lots
                    .iter()
                    .filter(|l| crate::position::assigned_unit(demand, estate, l) == Some(u))
                    .map(|l| l.rank)
                    .max()
                    .unwrap_or(0);
                let vms: Vec<(String, bool)> = estate
                    .servers
                    .iter()
                    .filter(|s| per_vm && s.host.as_deref() == Some(unit.label.as_str()))
                    .filter_map(|s| {
                        let v = demand.instance.hosts.iter().position(|h| h.label == s.id)?;
                        let r = *pd.host_rank.get(&v)?;
                        Some((s.shown_name().to_string(), r <= newest))
                    })
                    .collect();
                if vms.is_empty() {
                    idle.push((label, n - used));
                } else {
                    let fit: Vec<String> =
                        vms.iter().filter(|v| v.1).map(|v| v.0.clone()).collect();
                    let all: Vec<String> = vms.into_iter().map(|v| v.0).collect();
                    idle_vm_host.push((label, n - used, all, fit));
                }
            }
        }
        for (host, n, vms, fit) in idle_vm_host {
            let one = n == 1;
            let fits = !fit.is_empty();
            let to = if fits { &fit } else { &vms };
            out.push(finding(
                FindingKind::EcAssignedElsewhere,
                Severity::Warning,
                ids::EC_PER_VM_READING,
                Some(pd.product),
                format!(
                    "{} assigned to {host}, the physical host of {}: under the per-VM reading applied, each VM needs a Connector of its own, so the recommendation uses {} for none of its VMs; assign {} to {} (in an estate file, its assigned_to) and {} for that VM{}, or choose the per-host reading of the Product Terms (\"Where sources disagree\" in detailed mode), under which a Connector on {host} covers every VM on it",
                    plural(&format!("{} External Connector", catalog::short_name(pd.product)), n),
                    list_all(&vms),
                    if one { "it" } else { "them" },
                    if one { "it" } else { "each" },
                    match to.as_slice() {
                        [vm] => vm.clone(),
                        [init @ .., last] => format!("one of {} or {last}", init.join(", ")),
                        [] => String::new(),
                    },
                    if one { "it counts" } else { "each counts" },
                    if fits { "" } else { ", though a Connector must be as new as the VM's version, and these are older" },
                ),
            ));
        }
        for (host, n, why, rule) in idle_here {
            out.push(finding(
                FindingKind::EcIdleOnItsHost,
                Severity::Info,
                rule,
                Some(pd.product),
                format!(
                    "{} assigned to {host} {} not used, although the external users of {host} get CALs: {why}",
                    plural(&format!("owned {} External Connector", catalog::short_name(pd.product)), n),
                    if n == 1 { "is" } else { "are" },
                ),
            ));
        }
        if !idle.is_empty() {
            let n: u64 = idle.iter().map(|(_, n)| n).sum();
            let at: Vec<String> = idle
                .iter()
                .map(|(h, n)| format!("{} on {h}", thousands(*n)))
                .collect();
            // Under the per-VM reading the unit is a VM (or a physical host's own system), and
            // a Connector on a host covers none of its VMs (docs review 40: the message said
            // "with its VMs" under the per-VM reading).
            let (rule, unit, covers) = if per_vm {
                (
                    ids::EC_PER_VM_READING,
                    "VM",
                    "under the per-VM reading applied, a Connector covers only the VM or physical host it is assigned to, not the VMs on that host",
                )
            } else {
                (
                    ids::EC_PER_PHYSICAL_HOST,
                    "host",
                    "a Connector covers only the physical host it is assigned to (with its VMs)",
                )
            };
            out.push(finding(
                FindingKind::EcAssignedElsewhere,
                Severity::Warning,
                rule,
                Some(pd.product),
                format!(
                    "{} assigned beyond what {} host uses ({}) while {}: {covers}, so the recommendation does not use {} for the other {unit}; if the last reassignment was over 90 days ago, reassigning {} may save that purchase (a licence moves to another host only long-term, sooner only after a permanent hardware failure)",
                    plural(&format!("{} External Connector", catalog::short_name(pd.product)), n),
                    if idle.len() == 1 { "its" } else { "their" },
                    list(&at),
                    if short {
                        format!("another {unit} needs one")
                    } else {
                        format!("the external users of another {unit} get CALs")
                    },
                    if n == 1 { "it" } else { "them" },
                    if n == 1 { "it" } else { "them" },
                ),
            ));
        }
    }
    out
}

/// Why owned External Connectors assigned to host `u`, whose own external users get CALs, are not
/// used there, and the rule that says so.
fn why_idle_on_its_host(
    estate: &Estate,
    demand: &Demand,
    solution: &Solution,
    pd: &ProductDemand,
    lots: &[&OwnedLot],
    u: usize,
) -> (&'static str, &'static str) {
    let ws = demand
        .instance
        .products
        .iter()
        .find(|p| p.product == CalProduct::WindowsServer);
    let base_missing = matches!(pd.product, CalProduct::Rds | CalProduct::AdRms)
        && ws.is_some_and(|w| !w.licensed_hosts.contains(&u) && !w.owned_ec_hosts.contains(&u))
        && solution.products.iter().any(|s| {
            s.product == CalProduct::WindowsServer && !s.external_connector_hosts.contains(&u)
        });
    // Its external users hold RDS or AD RMS User CALs, whose Windows Server base
    // is a User CAL of the same person under the default reading (review 13b).
    let additive_base = pd.product == CalProduct::WindowsServer
        && demand.instance.products.iter().any(|p| {
            p.base.is_some()
                && !p.external_base_by_connector
                && !p.base_any_subject
                && solution.products.iter().any(|sp| {
                    sp.product == p.product
                        && p.external_on(&demand.instance.people, u)
                            .any(|c| sp.user_cals_per_class.get(c).is_some_and(|&n| n > 0))
                })
        });
    let too_old = lots.iter().all(|l| {
        crate::position::assigned_unit(demand, estate, l) != Some(u)
            || pd.host_rank.get(&u).is_some_and(|&r| l.rank < r)
    });
    if too_old {
        (
            "it is older than the host's version",
            ids::CAL_VERSION_NOT_OLDER,
        )
    } else if additive_base {
        (
            "its external users hold RDS or AD RMS User CALs, and each of those needs a Windows Server User CAL for the same person under the reading chosen in \"Where sources disagree\", so the connector would replace none of their CALs",
            ids::EXT_ADDITIVE_BASE_CAL,
        )
    } else if base_missing {
        (
            "using it needs a Windows Server External Connector on the same host too, and the pair costs more than these users' CALs (see the break-even)",
            ids::EC_RDS_NEEDS_WS_EC,
        )
    } else {
        (
            "their CALs cost less than what using it would add",
            ids::EC_PER_PHYSICAL_HOST,
        )
    }
}

/// RDS External Connector needs the Windows Server EC on the same host: the hosts where the
/// recommendation has the first without the second.
fn rds_ec_without_ws_ec(estate: &Estate, demand: &Demand, solution: &Solution) -> Option<Finding> {
    let server_names = estate.server_names();
    let ec_hosts = |p: CalProduct| -> BTreeSet<usize> {
        solution
            .products
            .iter()
            .filter(|s| s.product == p)
            .flat_map(|s| s.external_connector_hosts.iter().copied())
            .collect()
    };
    let rds_ec = ec_hosts(CalProduct::Rds);
    let ws_ec = ec_hosts(CalProduct::WindowsServer);
    // Pay-as-you-go hosts need none (their Windows Server access needs no CAL, §1.8).
    let licensed: &[usize] = demand
        .instance
        .products
        .iter()
        .find(|p| p.product == CalProduct::WindowsServer)
        .map_or(&[], |p| p.licensed_hosts.as_slice());
    let lonely: Vec<String> = rds_ec
        .difference(&ws_ec)
        .filter(|h| !licensed.contains(h))
        .filter_map(|h| {
            demand
                .instance
                .hosts
                .get(*h)
                .map(|u| server_names.name(&u.label))
        })
        .collect();
    if lonely.is_empty() {
        return None;
    }
    Some(finding(
        FindingKind::RdsEcWithoutWsEc,
        Severity::Warning,
        ids::EC_RDS_NEEDS_WS_EC,
        Some(CalProduct::Rds),
        format!("an RDS External Connector on {} also needs a Windows Server External Connector on the same host, which the recommendation does not include: price both or license those users with CALs", list(&lonely)),
    ))
}

/// Admin exemption overused (one finding naming every product concerned).
fn admin_exemption_overused(demand: &Demand) -> Option<Finding> {
    let over: Vec<_> = demand
        .products
        .iter()
        .filter(|pd| pd.admin_over > 0)
        .collect();
    let worst = over.iter().max_by_key(|pd| pd.admin_over)?;
    // Products reached by different numbers of administrators are named with their own
    // figures (review: "7 … reach Windows Server, RDS, SQL Server, Exchange Standard … so 5
    // of them need CALs of each" where only the 5 server admins reached the last three, 3 of
    // whom need CALs).
    let mut by_count: Vec<((u64, u64), Vec<String>)> = Vec::new();
    for pd in &over {
        // Those counted for their printers' sake reach it too (the product's people say why).
        let key = (
            pd.admin_over + pd.exempt.admin + pd.admin_for_printers,
            pd.admin_over,
        );
        let name = catalog::short_name(pd.product).to_string();
        match by_count.iter_mut().find(|(k, _)| *k == key) {
            Some((_, names)) => names.push(name),
            None => by_count.push((key, vec![name])),
        }
    }
    crate::sort::sort_by_key(&mut by_count, |b| std::cmp::Reverse(b.0));
    let text = match by_count.as_slice() {
        [((reach, need), names)] => format!(
            "{} admin-only people reach {}: only two per product may administer without CALs, so {} of them {} {} (counted in the demand)",
            thousands(*reach),
            list(names),
            thousands(*need),
            if *need == 1 { "needs" } else { "need" },
            if names.len() == 1 { "its CALs" } else { "CALs of each" }
        ),
        parts => format!(
            "only two admin-only people per product may administer without CALs: {} (counted in the demand)",
            parts
                .iter()
                .map(|((reach, need), names)| format!(
                    "{} reach {}, so {} of them {} {}",
                    thousands(*reach),
                    list(names),
                    thousands(*need),
                    if *need == 1 { "needs" } else { "need" },
                    if names.len() == 1 { "its CALs" } else { "CALs of each" }
                ))
                .collect::<Vec<_>>()
                .join("; ")
        ),
    };
    Some(finding(
        FindingKind::AdminExemptionOverused,
        Severity::Warning,
        ids::EXEMPT_ADMIN_TWO,
        Some(worst.product),
        text,
    ))
}

/// Essentials caps: the Essentials servers used by more users or devices than they allow.
fn essentials_caps_exceeded(demand: &Demand) -> Vec<Finding> {
    let mut out = Vec::new();
    for e in demand.essentials.iter().filter(|e| e.exceeded()) {
        out.push(finding(
            FindingKind::EssentialsCapExceeded,
            Severity::Critical,
            ids::ESSENTIALS_NO_CALS,
            Some(CalProduct::WindowsServer),
            format!(
                "Essentials server {} is used by {} users and {} devices, over its cap of {ESSENTIALS_MAX_USERS} users / {ESSENTIALS_MAX_DEVICES} devices: it must move to Standard with Windows Server CALs (counted in the demand)",
                e.server,
                thousands(e.users),
                thousands(e.devices)
            ),
        ));
    }
    out
}

/// RD Licensing server versions, per licensing-server version: each holds the RDS CALs of
/// its own session hosts' users and devices (review 25: 2022 CALs in use on a 2022 host with
/// a 2022 licensing server were held against another host's 2019 one).
fn rds_licensing_servers_older(
    estate: &Estate,
    demand: &Demand,
    solution: &Solution,
    position: &Position,
) -> Vec<Finding> {
    let mut out = Vec::new();
    let ls_cals = rds_cals_per_licensing_server(estate, demand, solution, position);
    // Per CAL generation: its name, the hosts, and the Windows Server versions entered for their
    // licensing servers (review 39: a 2008 R2 licensing server was said to run 2008, the name of
    // the CAL generation it holds).
    let mut by_ls: VecMap<u8, (&'static str, Vec<&crate::estate::Server>, VecSet<&str>)> =
        Default::default();
    for s in estate.servers.iter().filter(|s| s.rds_session_host) {
        let Some(ls_v) = licensing_server_version(s) else {
            continue;
        };
        let entry = by_ls
            .entry(ls_v.rank)
            .or_insert((ls_v.name, Vec::new(), VecSet::new()));
        entry.1.push(s);
        entry.2.insert(
            s.rd_licensing_server_version
                .as_deref()
                .unwrap_or(ls_v.name),
        );
    }
    // Owned RDS CALs newer than a licensing server that nobody uses: they only cannot be
    // installed there (QA: 5 spare 2025 CALs made a compliant estate "not compliant"). CALs
    // counted newer by Software Assurance are not: their keys may be of any version up to the
    // one counted, so the server can hold them.
    let in_use = |version: &str| {
        position.rows.iter().any(|r| {
            r.product == CalProduct::Rds
                && r.kind != LicenceKind::ExternalConnector
                && r.version == version
                && r.used > 0
        })
    };
    for (ls_rank, (ls_name, hosts, runs)) in by_ls {
        let runs = runs.iter().copied().collect::<Vec<_>>().join("/");
        let names: Vec<String> = hosts
            .iter()
            .map(|s| format!("{} ({})", s.shown_name(), s.version))
            .collect();
        let here = ls_cals.get(&ls_rank);
        // Owned CALs in use that this server's own hosts draw on and that it cannot hold.
        let installed_newer: VecSet<&str> = here.map(|c| c.owned_newer.clone()).unwrap_or_default();
        // The version of the CALs bought for its hosts' users, where it cannot hold it.
        let bought_newer: Option<&str> = here.and_then(|c| c.bought_newer);
        let idle_newer: VecSet<&str> = estate
            .holdings
            .iter()
            .filter(|h| h.product == CalProduct::Rds && h.software_assurance.is_none())
            .filter(|h| h.kind != LicenceKind::ExternalConnector)
            .filter_map(|h| catalog::cal_version(Family::WindowsServer, &h.version))
            .filter(|v| v.rank > ls_rank && !in_use(v.name))
            .map(|v| v.name)
            .collect();
        if installed_newer.is_empty() && !idle_newer.is_empty() {
            out.push(finding(
                FindingKind::RdsLicensingServerOlder,
                Severity::Info,
                ids::RDS_LICENSING_SERVER,
                Some(CalProduct::Rds),
                format!(
                    "your {} RDS CALs are not needed now, and the RD Licensing server for {} (Windows Server {runs}) could not hold them: upgrade it before you deploy them",
                    idle_newer.iter().copied().collect::<Vec<_>>().join("/"),
                    list(&names)
                ),
            ));
        }
        let newer: Vec<&&crate::estate::Server> = hosts
            .iter()
            .filter(|s| rank(Family::WindowsServer, &s.version) > ls_rank)
            .collect();
        let newer_hosts: Vec<String> = newer
            .iter()
            .map(|s| format!("{} ({})", s.shown_name(), s.version))
            .collect();
        if let Some(newest) = installed_newer.iter().next_back() {
            // Keys of the server's own version would lock out a host newer than it
            // (`rds.cal-version-matrix`; review 25: a 2019 server for a 2022 host was told to
            // take 2019 keys), and the upgrade must reach that host's version too.
            let newest = (newer.iter())
                .filter_map(|s| catalog::cal_version(Family::WindowsServer, &s.version))
                .map(|v| v.name)
                .chain([*newest])
                .max_by_key(|v| rank(Family::WindowsServer, v))
                .unwrap_or(newest);
            let keys = match newer_hosts.as_slice() {
                [] => format!(
                    ", or install {ls_name} CAL keys if your agreement gives down-version rights"
                ),
                [one] => format!(
                    " ({ls_name} CAL keys would not do: session host {one} needs RDS CALs of at least its own version)"
                ),
                many => format!(
                    " ({ls_name} CAL keys would not do: session hosts {} need RDS CALs of at least their own version)",
                    list(many)
                ),
            };
            out.push(finding(
                FindingKind::RdsLicensingServerOlder,
                Severity::Critical,
                ids::RDS_LICENSING_SERVER,
                Some(CalProduct::Rds),
                format!(
                    "the RD Licensing server for {} runs Windows Server {runs}, older than your {} RDS CALs in use: it cannot hold or issue them; upgrade it to {newest} or later{keys}",
                    list(&names),
                    installed_newer.iter().copied().collect::<Vec<_>>().join("/"),
                ),
            ));
        } else if !newer_hosts.is_empty() {
            out.push(finding(
                FindingKind::RdsLicensingServerOlder,
                Severity::Critical,
                ids::RDS_LICENSING_SERVER,
                Some(CalProduct::Rds),
                format!(
                    "{} newer than {} RD Licensing server (Windows Server {runs}): the RDS CALs {} at least {} own version, and a licensing server cannot hold CALs newer than itself; {}",
                    if newer_hosts.len() == 1 {
                        format!("session host {} is", newer_hosts[0])
                    } else {
                        format!("session hosts {} are", list(&newer_hosts))
                    },
                    if newer_hosts.len() == 1 { "its" } else { "their" },
                    if newer_hosts.len() == 1 { "it needs are" } else { "they need are" },
                    if newer_hosts.len() == 1 { "its" } else { "their" },
                    // Upgrading it to the hosts' version would still not hold the CALs on sale
                    // today (review 20: "upgrade it" beside a purchase of 2025 CALs).
                    match bought_newer {
                        Some(bought) => format!(
                            "upgrade it to Windows Server {bought}, which holds the {bought} RDS CALs bought today, or install CAL keys of the {} version if your agreement gives down-version rights",
                            if newer_hosts.len() == 1 { "host's" } else { "hosts'" },
                        ),
                        None => "upgrade it".to_string(),
                    },
                ),
            ));
        } else if let Some(bought) = bought_newer {
            out.push(finding(
                FindingKind::RdsLicensingServerOlder,
                Severity::Warning,
                ids::RDS_LICENSING_SERVER,
                Some(CalProduct::Rds),
                format!(
                    "the RDS CALs bought today are {bought} CALs, which a Windows Server {runs} RD Licensing server (the one for {}) cannot hold: upgrade it, or install {ls_name} CAL keys if your agreement gives down-version rights",
                    list(&hosts.iter().map(|s| s.shown_name().to_string()).collect::<Vec<_>>())
                ),
            ));
        }
    }
    out
}

/// Additive CALs owned without their base.
fn additive_without_base(
    estate: &Estate,
    demand: &Demand,
    position: &Position,
    owned: &VecMap<CalProduct, Vec<OwnedLot>>,
) -> Vec<Finding> {
    let mut out = Vec::new();
    for info in catalog::PRODUCTS.iter().filter(|p| p.base.is_some()) {
        let Some(base) = info.base else { continue };
        for kind in [LicenceKind::UserCal, LicenceKind::DeviceCal] {
            let count = |p: CalProduct| -> u64 {
                owned
                    .get(&p)
                    .map(|v| {
                        v.iter()
                            .filter(|l| l.kind == kind)
                            .map(|l| l.quantity)
                            .sum()
                    })
                    .unwrap_or(0)
            };
            // A base CAL older than every need of its product reaches none of its servers, so
            // it is no base (cal-rules §1.4, §1.11; review 13: 50 Exchange Enterprise 2019 CALs
            // whose only base was 80 Exchange Standard 2016 CALs drew no note).
            let floor = demand
                .products
                .iter()
                .find(|p| p.product == base)
                .and_then(|pd| pd.person_rank.values().chain(pd.device_rank.values()).min())
                .copied()
                .unwrap_or(0);
            let base_lots = || {
                owned
                    .get(&base)
                    .into_iter()
                    .flatten()
                    .filter(|l| l.kind == kind)
            };
            let too_old: u64 = base_lots()
                .filter(|l| l.rank < floor)
                .map(|l| l.quantity)
                .sum();
            let (add, b) = (count(info.product), count(base).saturating_sub(too_old));
            // Microsoft 365 E3/E5 gives its users the base product's rights, so it is the base
            // of their additive User CALs (review 12: 40 E5 users holding 40 owned RDS User CALs
            // were told the Windows Server User CALs bought for others would be their base).
            let m365_base: u64 = if kind == LicenceKind::UserCal {
                demand
                    .products
                    .iter()
                    .find(|p| p.product == base)
                    .map_or(0, |p| p.exempt.m365)
            } else {
                0
            };
            let direct_add: u64 = estate
                .holdings
                .iter()
                .filter(|h| h.product == info.product && h.kind == kind)
                .map(|h| u64::from(h.quantity))
                .sum();
            // Pay-as-you-go Windows Server needs no Windows Server CALs, only RDS CALs (cal-rules
            // §1.8 item 7): RDS CALs used only on such hosts have no base to hold (review 19).
            let base_needed = base != CalProduct::WindowsServer
                || demand
                    .products
                    .iter()
                    .find(|p| p.product == info.product)
                    .is_none_or(|pd| {
                        pd.servers.is_empty()
                            || pd.servers.iter().any(|(id, _)| {
                                estate
                                    .servers
                                    .iter()
                                    .find(|s| &s.id == id)
                                    .is_none_or(|s| !s.pay_as_you_go)
                            })
                    });
            // Under the `either-subject` reading the base of an additive CAL may be of the other
            // kind: the base product's own rows in the position show whether its access is
            // licensed, and owned additive CALs are compared with no base of their kind.
            let same_subject =
                estate.organisation.readings.additive_base == AdditiveBase::SameSubject;
            if same_subject && base_needed && direct_add > 0 && add > b.saturating_add(m365_base) {
                // The recommended purchase may bring the base CALs (review: "you own 80 RDS
                // Device CALs but only 60 Windows Server Device CALs" stood as a warning while the
                // recommendation bought 275 Windows Server Device CALs). The additive CALs in use
                // need a base; idle ones need none until they are deployed.
                let bought: u64 = position
                    .lines
                    .iter()
                    .filter(|l| {
                        l.kind == kind
                            && (l.product == base
                                || (catalog::is_suite(l.product)
                                    && catalog::suite_contents(l.product).contains(&base)))
                    })
                    .map(|l| l.quantity)
                    .sum();
                let in_use: u64 = position
                    .rows
                    .iter()
                    .filter(|r| r.product == info.product && r.kind == kind)
                    .map(|r| r.used)
                    .sum();
                let holder = if kind == LicenceKind::UserCal {
                    "user"
                } else {
                    "device"
                };
                // For a device, the same-device base is the calculator's reading: sources do not
                // say whether the base CALs of the people using it would do (review 14).
                let reading = if kind == LicenceKind::DeviceCal {
                    " (the calculator's reading: Microsoft's guidance does not say whether the base CALs of the people using the device would do)"
                } else {
                    ""
                };
                let owned_text = format!(
                    "you own {} {} but {} {}{}{}",
                    thousands(add),
                    catalog::licence_name(info.product, "", kind, add),
                    if b == 0 {
                        "no".to_string()
                    } else {
                        format!("only {}", thousands(b))
                    },
                    catalog::licence_name(base, "", kind, b.max(2)),
                    match too_old {
                        0 => String::new(),
                        n => format!(
                            " new enough for its servers (the other {} {} too old for all of them, so they are no base)",
                            thousands(n),
                            if n == 1 { "is" } else { "are" }
                        ),
                    },
                    match m365_base {
                        0 => String::new(),
                        n => format!(
                            " and Microsoft 365 rights for {} {}",
                            thousands(n),
                            if n == 1 { "person" } else { "people" }
                        ),
                    },
                );
                let (severity, message) = if bought > 0
                    && in_use <= b.saturating_add(m365_base).saturating_add(bought)
                {
                    (
                        Severity::Info,
                        format!(
                            "{owned_text}; {}: an additive CAL is valid only with the base CAL for the same {holder}{reading}",
                            match in_use {
                                0 => "none of them is in use".to_string(),
                                n => format!(
                                    "the recommendation buys {} {}, so {} in use gets its base",
                                    thousands(bought),
                                    catalog::licence_name(base, "", kind, bought),
                                    if n == 1 { "the 1".to_string() } else { format!("each of the {}", thousands(n)) },
                                ),
                            }
                        ),
                    )
                } else {
                    (
                        Severity::Warning,
                        format!(
                            "{owned_text}: an additive CAL is valid only with the base CAL for the same {holder}{reading}"
                        ),
                    )
                };
                out.push(finding(
                    FindingKind::AdditiveWithoutBase,
                    severity,
                    ids::ADDITIVE_REQUIRES_BASE,
                    Some(info.product),
                    message,
                ));
            }
        }
    }
    out
}

/// CAL Suites without SA dates: counted at the newest versions, which only active SA gives.
fn suites_without_sa_dates(estate: &Estate) -> Vec<Finding> {
    let mut out = Vec::new();
    for suite in [CalProduct::CoreCalSuite, CalProduct::EnterpriseCalSuite] {
        for kind in [LicenceKind::UserCal, LicenceKind::DeviceCal] {
            let n: u64 = estate
                .holdings
                .iter()
                .filter(|h| h.product == suite && h.kind == kind)
                .filter(|h| h.software_assurance.is_none())
                .map(|h| u64::from(h.quantity))
                .sum();
            if n == 0 {
                continue;
            }
            out.push(finding(
                FindingKind::SuiteWithoutSaDates,
                Severity::Warning,
                ids::SUITE_VERSION_LESS,
                Some(suite),
                format!(
                    "{} {} {} licence{} {} no Software Assurance dates, so {} counted at the newest version of each component, as if SA were active. CAL Suites are sold only with SA and their rights freeze at the versions current when it ends: enter the SA dates (since, and until if it lapsed) to count them right",
                    thousands(n),
                    catalog::short_name(suite),
                    if kind == LicenceKind::UserCal { "User" } else { "Device" },
                    if n == 1 { "" } else { "s" },
                    if n == 1 { "has" } else { "have" },
                    if n == 1 { "it is" } else { "they are" },
                ),
            ));
        }
    }
    out
}

/// Where sources disagree: whether External Connectors count per physical host or per VM, where
/// external users reach more servers than hosts.
fn ec_scope_disagrees(estate: &Estate, demand: &Demand) -> Option<Finding> {
    let ec_products: Vec<_> = demand
        .products
        .iter()
        .filter(|p| catalog::product(p.product).external_connector && !p.host_rank.is_empty())
        .collect();
    if ec_products.is_empty() {
        return None;
    }
    // Only the servers external users reach: a connector is for them (review 12: a session
    // host only staff reach was counted as a third server on a second host).
    let by_external = servers_external_users_reach(estate);
    let mut servers_reached = VecSet::new();
    let mut hosts_reached = VecSet::new();
    for pd in &ec_products {
        for (sid, _) in pd
            .servers
            .iter()
            .filter(|(s, _)| by_external.contains(s.as_str()))
        {
            if let Some(s) = estate.servers.iter().find(|s| &s.id == sid) {
                servers_reached.insert(s.id.clone());
                hosts_reached.insert(s.host.clone().unwrap_or_else(|| s.id.clone()));
            }
        }
    }
    if servers_reached.len() == hosts_reached.len() {
        return None;
    }
    // Who says what: the Product Terms count per physical host, a community answer
    // per VM; the message names the reading applied and the source of the other.
    let (chosen, other, n_other) = match estate.organisation.readings.external_connector_scope {
        ExternalConnectorScope::PerPhysicalHost => (
            "per physical host (Product Terms)",
            "a community answer reads them per VM",
            servers_reached.len(),
        ),
        ExternalConnectorScope::PerVm => (
            "per VM (a community answer; conservative)",
            "the Product Terms read them per physical host",
            hosts_reached.len(),
        ),
    };
    Some(finding(
        FindingKind::SourcesDisagree,
        Severity::Info,
        ids::EC_PER_VM_READING,
        Some(CalProduct::WindowsServer),
        format!(
            "External Connectors are counted {chosen}; {other}: external users here reach {} on {}, so the other reading would count up to {} per product",
            plural("server", servers_reached.len() as u64),
            plural("host", hosts_reached.len() as u64),
            plural("unit", n_other as u64)
        ),
    ))
}

/// Where sources disagree: whether Microsoft 365 bought through CSP, MCA or MOSA carries CAL
/// equivalency, when some groups hold it.
fn m365_channel_disagrees(estate: &Estate) -> Option<Finding> {
    let channel = estate.organisation.m365.channel;
    let flagged = estate.groups.iter().any(|g| g.m365.is_some());
    if !flagged
        || !matches!(
            channel,
            PurchaseChannel::Csp | PurchaseChannel::Mca | PurchaseChannel::Mosa
        )
    {
        return None;
    }
    let applied = estate.organisation.readings.m365_equivalency == M365Equivalency::AllChannels;
    Some(finding(
        FindingKind::SourcesDisagree,
        Severity::Warning,
        ids::M365_CHANNEL,
        None,
        format!(
            "Microsoft 365 bought through {}: sources disagree whether it carries CAL equivalency; {}",
            match channel {
                PurchaseChannel::Csp => "CSP (Cloud Solution Provider)",
                PurchaseChannel::Mca => "MCA (Microsoft Customer Agreement)",
                _ => "MOSA (Microsoft Online Subscription Agreement)",
            },
            if applied {
                "the calculator grants it (its default reading). To see the CALs you would need otherwise, choose \"Volume-licensing channels only\" under \"Where sources disagree\" in detailed mode (in an estate file, among the readings: Microsoft 365 equivalency)"
            } else {
                "the calculator withholds it (the reading that only volume-licensing channels carry it, chosen under \"Where sources disagree\"), so those users need CALs"
            }
        ),
    ))
}

/// Where sources disagree: offsite contractors who reach a server are treated as external users.
fn offsite_contractors(estate: &Estate) -> Option<Finding> {
    let offsite: u64 = estate
        .groups
        .iter()
        .filter(|g| {
            g.kind == PersonKind::OffsiteContractor
                && estate.access.iter().any(|a| a.groups.contains(&g.id))
        })
        .map(|g| u64::from(g.count))
        .sum();
    if offsite == 0 {
        return None;
    }
    Some(finding(
        FindingKind::SourcesDisagree,
        Severity::Info,
        ids::EXT_OFFSITE_CONTRACTOR,
        None,
        format!(
            "{} offsite contractors are treated as external users (External Connector possible); the definition names only onsite contractors as internal, but no source says so outright: mark them onsite-contractor to count them as internal",
            thousands(offsite)
        ),
    ))
}

/// Microsoft 365 seats: people marked as holding a plan beyond the seats owned.
///
/// The figures are the demand's (who it seated), as the seat rows' are: external users
/// flagged hold no seat there and are named apart from the people without one (review 24:
/// 520 staff and 5 partners against 500 seats read "the remaining 25" naming 20).
fn m365_seats_short(estate: &Estate, demand: &Demand) -> Vec<Finding> {
    let mut out = Vec::new();
    for m in &demand.m365_short {
        let named = |groups: &[(String, u64)]| -> (u64, String) {
            let who: Vec<String> = groups
                .iter()
                .map(|(group, n)| format!("{} of {group}", thousands(*n)))
                .collect();
            (groups.iter().map(|g| g.1).sum(), list(&who))
        };
        let (short, who) = named(&m.unseated);
        let (external, external_who) = named(&m.external);
        let counted = match short + external {
            1 => "1 is".to_string(),
            n => format!("{} are", thousands(n)),
        };
        let whom = if external == 0 {
            format!("({who})")
        } else {
            format!(
                "{} without a seat ({who}) and {} ({external_who}), whose seats are not counted as CALs here",
                thousands(short),
                match external {
                    1 => "1 external user".to_string(),
                    n => format!("{} external users", thousands(n)),
                }
            )
        };
        let separator = if external == 0 { " " } else { ": " };
        out.push(finding(
            FindingKind::M365SeatsShort,
            Severity::Warning,
            ids::M365_PER_USER,
            None,
            format!(
                "{} people are marked as holding Microsoft 365 {:?} but only {} seats are owned: the remaining {counted} counted as needing CALs{separator}{whom}{}",
                thousands(m.flagged),
                m.plan,
                thousands(m.seats),
                if estate
                    .groups
                    .iter()
                    .filter(|g| g.m365 == Some(m.plan) && !g.kind.is_external() && g.count > 0)
                    .count()
                    > 1
                {
                    if estate.organisation.m365.seat_holders.is_empty() {
                        ". The seats are counted first for those whose CALs would cost the most; if others hold them, mark only the groups that hold seats"
                    } else {
                        ". The seats are counted for the groups whose seating leaves the least to buy, of the orders of the groups priced; if others hold them, mark only the groups that hold seats"
                    }
                } else {
                    ""
                },
            ),
        ));
    }
    out
}

/// Prices missing: the products with a licence kind of unknown price, where it matters: a row of
/// the position lacks its price, or the External Connector's is unknown.
fn prices_missing(demand: &Demand, position: &Position) -> Vec<Finding> {
    let mut out = Vec::new();
    for pd in &demand.products {
        let rows_short = position
            .rows
            .iter()
            .any(|r| r.product == pd.product && r.price_missing);
        if pd.missing_prices.is_empty()
            || (!rows_short && !pd.missing_prices.contains(&LicenceKind::ExternalConnector))
        {
            continue;
        }
        let kinds: Vec<String> = pd
            .missing_prices
            .iter()
            .map(|k| catalog::kind_label(*k).to_string())
            .collect();
        let ec_note = if pd.missing_prices.contains(&LicenceKind::ExternalConnector) {
            NO_CONNECTOR_PRICE
        } else {
            ""
        };
        out.push(finding(
            FindingKind::PricesMissing,
            Severity::Warning,
            ids::PRICE_ESTIMATES,
            Some(pd.product),
            format!(
                "no price known for the {} {}: enter your price under \"Prices\" (in an estate file, among the organisation's prices); until then the count is minimised and its cost shown as unknown.{ec_note}",
                catalog::short_name(pd.product),
                kinds.join(" and ")
            ),
        ));
    }
    out
}

/// Prices missing: no CAL Suite price known while a product of the Core CAL Suite is needed, so
/// suites were not compared.
fn suite_prices_missing(demand: &Demand) -> Option<Finding> {
    let suites_unpriced = demand.instance.suites.is_empty()
        && demand.products.iter().any(|p| {
            matches!(
                p.product,
                CalProduct::ExchangeStandard
                    | CalProduct::SharePointStandard
                    | CalProduct::SkypeStandard
            )
        });
    if !suites_unpriced {
        return None;
    }
    Some(finding(
        FindingKind::PricesMissing,
        Severity::Info,
        ids::SUITE_CORE,
        Some(CalProduct::CoreCalSuite),
        "no Core or Enterprise CAL Suite price is known, so suites were not compared: enter your suite prices to see whether a suite is cheaper than the separate CALs".into(),
    ))
}

/// Multiplexing and manual transfer, for the explanation: per product, people reaching it through
/// a front end, and people who only receive its output by hand.
fn multiplexing_and_manual_transfer(demand: &Demand) -> Vec<Finding> {
    let mut out = Vec::new();
    for pd in &demand.products {
        if !pd.via.is_empty() {
            let via: Vec<String> = pd.via.iter().cloned().collect();
            out.push(finding(
                FindingKind::Multiplexing,
                Severity::Info,
                ids::MUX_NO_REDUCTION,
                Some(pd.product),
                format!(
                    "people reach {} through {}: a front end does not reduce the CALs needed, everyone behind it is counted",
                    catalog::short_name(pd.product),
                    list(&via)
                ),
            ));
        }
        if pd.exempt.manual_transfer > 0 {
            out.push(finding(
                FindingKind::ManualTransfer,
                Severity::Info,
                ids::MUX_MANUAL_TRANSFER,
                Some(pd.product),
                format!(
                    "{} people only receive {} output passed on by hand and need no CAL for it; automated forwarding would need CALs",
                    thousands(pd.exempt.manual_transfer),
                    catalog::short_name(pd.product)
                ),
            ));
        }
    }
    out
}

/// Suites whose SA lapsed: rights frozen at the versions current when it ended, family by
/// family.
fn suite_rights_frozen(estate: &Estate, today: Date) -> Vec<Finding> {
    let mut out = Vec::new();
    for h in estate
        .holdings
        .iter()
        .filter(|h| catalog::is_suite(h.product))
    {
        if let Some(until) = h
            .software_assurance
            .as_ref()
            .and_then(|s| s.until)
            .filter(|u| *u < today)
        {
            // Each component family's frozen generation: a suite whose SA ended before a
            // family's first catalogued CAL covers none of its servers (review 19).
            let mut frozen: Vec<String> = Vec::new();
            let mut none: Vec<String> = Vec::new();
            let mut seen = VecSet::new();
            for f in catalog::suite_contents(h.product)
                .iter()
                .filter_map(|&c| catalog::product(c).family)
                .filter(|f| seen.insert(*f))
            {
                // Subscription Edition releases are licensed only while SA is active: a suite
                // frozen after one came out keeps the release before it, as the position counts
                // it (review 39: "frozen at SharePoint Server SE" beside 2019 CALs owned).
                let released = catalog::released_cal_rank(f, until);
                match catalog::suite_rank(f, h.software_assurance.as_ref(), today) {
                    0 => none.push(f.name().to_string()),
                    r if r < released => frozen.push(format!(
                        "{} {} (not {}, licensed only while Software Assurance is active)",
                        f.name(),
                        catalog::cal_version_label(f, r),
                        catalog::cal_version_label(f, released)
                    )),
                    r => frozen.push(format!("{} {}", f.name(), catalog::cal_version_label(f, r))),
                }
            }
            let mut ws = frozen.join(", ");
            if !none.is_empty() {
                ws.push_str(&format!(
                    "{}no {} rights: the first of their CALs the calculator knows came out later, so these suites cover none of their servers",
                    if frozen.is_empty() { "" } else { "; " },
                    list_all(&none),
                ));
            }
            out.push(finding(
                FindingKind::SuiteRightsFrozen,
                Severity::Info,
                ids::SUITE_VERSION_LESS,
                Some(h.product),
                format!(
                    "{} {}: Software Assurance ended {until}, so their rights are frozen at the versions current then ({ws})",
                    thousands(u64::from(h.quantity)),
                    catalog::licence_name(h.product, "", h.kind, u64::from(h.quantity))
                ),
            ));
        }
    }
    out
}

/// The Windows Server version of a session host's RD Licensing server, when given and known.
fn licensing_server_version(s: &crate::estate::Server) -> Option<&'static catalog::CalVersion> {
    let ls = s.rd_licensing_server_version.as_deref()?;
    catalog::cal_version(Family::WindowsServer, ls)
}

/// What one RD Licensing server version must hold and cannot: the owned RDS CAL versions in use
/// for its session hosts' users and devices, and the version of those bought for them, newer
/// than itself.
#[derive(Default)]
struct LicensingServerCals {
    owned_newer: VecSet<&'static str>,
    bought_newer: Option<&'static str>,
}

/// Which RDS CALs each RD Licensing server (by version rank) holds: the CALs the position uses
/// and the purchase buys, each placed with a subject of a session host whose licensing server
/// it is (cal-rules §1.4, `rds.licensing-server-version`). A subject reaching hosts of several
/// licensing servers is placed with the newest of them. Per kind, the subjects are the CALs the
/// solution gives each class, at the version that class needs; they take first the CALs their
/// licensing server can hold (servers oldest first, each the oldest version that covers the
/// need: the greedy that matches the most), then any that covers them, which that server cannot
/// hold. CALs counted newer only by Software Assurance can be held anywhere (keys of an older
/// version).
fn rds_cals_per_licensing_server(
    estate: &Estate,
    demand: &Demand,
    solution: &Solution,
    position: &Position,
) -> VecMap<u8, LicensingServerCals> {
    let mut out: VecMap<u8, LicensingServerCals> = VecMap::new();
    let (Some(pi), Some(pd), Some(ps)) = (
        (demand.instance.products.iter()).find(|p| p.product == CalProduct::Rds),
        demand
            .products
            .iter()
            .find(|p| p.product == CalProduct::Rds),
        solution
            .products
            .iter()
            .find(|p| p.product == CalProduct::Rds),
    ) else {
        return out;
    };
    // The newest licensing server of the hosts each person class and shared device class reach.
    let (mut person_ls, mut device_ls) =
        (BTreeMap::<usize, u8>::new(), BTreeMap::<usize, u8>::new());
    for host in &pi.rds_hosts {
        let Some(ls) = (estate.servers.iter())
            .find(|s| s.id == host.label)
            .and_then(licensing_server_version)
            .map(|v| v.rank)
        else {
            continue;
        };
        let bump = |m: &mut BTreeMap<usize, u8>, k: usize| {
            let e = m.entry(k).or_insert(ls);
            *e = (*e).max(ls);
        };
        for &c in host.people.iter().chain(&host.external_people) {
            bump(&mut person_ls, c);
        }
        for &(c, d) in &host.person_device {
            bump(&mut person_ls, c);
            bump(&mut device_ls, d);
        }
    }
    let version_rank = |v: &str| catalog::cal_version(Family::WindowsServer, v).map(|c| c.rank);
    for kind in [LicenceKind::UserCal, LicenceKind::DeviceCal] {
        // (licensing server rank, rank needed, count)
        let mut subjects: Vec<(u8, u8, u64)> = Vec::new();
        if kind == LicenceKind::UserCal {
            for (c, &n) in ps.user_cals_per_class.iter().enumerate() {
                if let Some(&ls) = person_ls.get(&c) {
                    subjects.push((ls, pd.person_cal_rank(c), u64::from(n)));
                }
            }
        } else {
            for (c, &n) in ps.own_device_cals_per_class.iter().enumerate() {
                let each =
                    (demand.instance.people.get(c)).map_or(1, |p| u64::from(p.own_devices.max(1)));
                if let Some(&ls) = person_ls.get(&c) {
                    subjects.push((ls, pd.own_cal_rank(c), u64::from(n) * each));
                }
            }
            for (d, &n) in ps.device_cals_per_class.iter().enumerate() {
                if let Some(&ls) = device_ls.get(&d) {
                    subjects.push((ls, pd.device_cal_rank(d), u64::from(n)));
                }
            }
        }
        subjects.retain(|s| s.2 > 0);
        crate::sort::sort_by_key(&mut subjects, |&(ls, need, _)| {
            (ls, std::cmp::Reverse(need))
        });
        // CALs: (rank covered, newest rank the licensing server must run, count, bought, name).
        let mut cals: Vec<(u8, u8, u64, bool, &'static str)> = Vec::new();
        for r in (position.rows.iter()).filter(|r| r.product == CalProduct::Rds && r.kind == kind) {
            let Some(v) = catalog::cal_version(Family::WindowsServer, &r.version) else {
                continue;
            };
            let plain: u64 = (estate.holdings.iter())
                .filter(|h| h.product == CalProduct::Rds && h.kind == kind)
                .filter(|h| {
                    h.software_assurance.is_none() && version_rank(&h.version) == Some(v.rank)
                })
                .map(|h| u64::from(h.quantity))
                .sum();
            let fixed = r.used.min(plain);
            cals.push((v.rank, v.rank, fixed, false, v.name));
            cals.push((v.rank, 0, r.used - fixed, false, v.name));
        }
        for l in (position.lines.iter()).filter(|l| l.product == CalProduct::Rds && l.kind == kind)
        {
            if let Some(v) = catalog::cal_version(Family::WindowsServer, &l.version) {
                cals.push((v.rank, v.rank, l.quantity, true, v.name));
            }
        }
        cals.retain(|c| c.2 > 0);
        crate::sort::sort_by_key(&mut cals, |&(cover, hold, _, bought, _)| {
            (cover, std::cmp::Reverse(hold), bought)
        });
        let mut left: Vec<u64> = subjects.iter().map(|s| s.2).collect();
        for pass in [true, false] {
            for (i, &(ls, need, _)) in subjects.iter().enumerate() {
                for cal in cals.iter_mut() {
                    if left[i] == 0 {
                        break;
                    }
                    let (cover, hold, n, bought, name) = *cal;
                    if n == 0 || cover < need || (pass && hold > ls) {
                        continue;
                    }
                    let take = n.min(left[i]);
                    cal.2 -= take;
                    left[i] -= take;
                    if hold > ls {
                        let e = out.entry(ls).or_default();
                        if bought {
                            e.bought_newer = Some(name);
                        } else {
                            e.owned_newer.insert(name);
                        }
                    }
                }
            }
        }
    }
    out
}

/// Owned CAL Suites whose parts the position gives to different people or devices. The position
/// counts a suite as its contents, product by product; but one suite licenses one user or device
/// for all its parts (cal-rules §1.12), so when group a uses only the Windows Server part and
/// group b only the Exchange part, one suite cannot cover both. The finding claims that whoever
/// holds the suites, at least N CALs stay unlicensed after the purchase, so it rests on a lower
/// bound ([`suite_pair_shortfall`]) over every assignment of the suites, the owned CALs and the
/// purchase, never on the optimiser's own split (review 15 #5: 25 suites, 20 people on a file
/// server and 30 on Exchange on Windows Server 2022; the split put the suites' Windows Server
/// part with files, but 25 of the mail people can hold them and the purchase covers the rest).
/// The optimiser's split only says whom the position counted the parts for.
fn suite_split(
    estate: &Estate,
    demand: &Demand,
    solution: &Solution,
    position: &Position,
) -> Vec<Finding> {
    let mut out = Vec::new();
    let owned = owned_by_rank(estate, demand.today);
    // Pairs already reported under the other kind of suite: the bound counts both kinds.
    let mut reported: Vec<(CalProduct, CalProduct)> = Vec::new();
    for kind in [LicenceKind::UserCal, LicenceKind::DeviceCal] {
        let suites: Vec<(CalProduct, u64)> = estate
            .holdings
            .iter()
            .filter(|h| catalog::is_suite(h.product) && h.kind == kind && h.quantity > 0)
            .map(|h| (h.product, u64::from(h.quantity)))
            .collect();
        if suites.is_empty() {
            continue;
        }
        let in_suite = |x: CalProduct| {
            suites
                .iter()
                .any(|&(s, _)| catalog::suite_contents(s).contains(&x))
        };
        // Per product: the needs the position gives to the suites (covered beyond every plain
        // owned CAL), and per class (people, then shared devices) the licences of this kind the
        // optimiser gave it, for the message.
        let mut parts: Vec<(CalProduct, u64, Vec<u64>)> = Vec::new();
        for ps in &solution.products {
            let x = ps.product;
            if !in_suite(x) {
                continue;
            }
            let covered: u64 = position
                .rows
                .iter()
                .filter(|r| r.product == x && r.kind == kind)
                .map(|r| r.covered)
                .sum();
            let plain: u64 = estate
                .holdings
                .iter()
                .filter(|h| h.product == x && h.kind == kind)
                .map(|h| u64::from(h.quantity))
                .sum();
            let by_suites = covered.saturating_sub(plain);
            if by_suites == 0 {
                continue;
            }
            let mut per_class: Vec<u64> = Vec::new();
            if kind == LicenceKind::UserCal {
                per_class.extend(ps.user_cals_per_class.iter().map(|&n| u64::from(n)));
            } else {
                per_class.extend(
                    ps.own_device_cals_per_class
                        .iter()
                        .enumerate()
                        .map(|(c, &n)| {
                            let each = demand
                                .instance
                                .people
                                .get(c)
                                .map_or(1, |p| u64::from(p.own_devices.max(1)));
                            u64::from(n) * each
                        }),
                );
                per_class.resize(demand.instance.people.len(), 0);
                per_class.extend(ps.device_cals_per_class.iter().map(|&n| u64::from(n)));
            }
            // A class took the suites' part only where that part is new enough for it: frozen
            // suites whose part is older than a class's need cannot cover it there (review 13:
            // 2019-frozen suites gave their Windows Server part to people on 2019 and their
            // Exchange part to people on 2022), so such a class is not named for that part.
            let part_rank = owned
                .get(&x)
                .into_iter()
                .flatten()
                .filter(|l| {
                    l.kind == kind
                        && estate
                            .holdings
                            .get(l.holding)
                            .is_some_and(|h| catalog::is_suite(h.product))
                })
                .map(|l| l.rank)
                .max();
            if let (Some(part), Some(pd)) =
                (part_rank, demand.products.iter().find(|pd| pd.product == x))
            {
                let people = demand.instance.people.len();
                for (c, n) in per_class.iter_mut().enumerate() {
                    let need = if c < people && kind == LicenceKind::DeviceCal {
                        // Their own devices' Device CALs (for RDS, the version may differ).
                        pd.own_cal_rank(c)
                    } else if c < people {
                        pd.person_cal_rank(c)
                    } else {
                        pd.device_cal_rank(c - people)
                    };
                    if need > part {
                        *n = 0;
                    }
                }
            }
            parts.push((x, by_suites, per_class));
        }
        // The pair with the largest excess.
        let mut worst: Option<(u64, usize, usize)> = None;
        for i in 0..parts.len() {
            for j in i + 1..parts.len() {
                let (x, y) = (parts[i].0, parts[j].0);
                if reported.contains(&(x, y)) {
                    continue;
                }
                let excess = suite_pair_shortfall(estate, demand, Some(position), x, y);
                if excess > 0 && worst.is_none_or(|(e, _, _)| excess > e) {
                    worst = Some((excess, i, j));
                }
            }
        }
        let Some((excess, i, j)) = worst else {
            continue;
        };
        reported.push((parts[i].0, parts[j].0));
        // Who takes more of part `a` than of part `b`, and how many of `a`'s CALs they take:
        // "for files" when they take them all, else "20 of them for files" (review 13b L9: "25
        // Windows Server User CALs for files", a group of 20; the other 5 went to mail).
        let who = |a: usize, b: usize| -> String {
            let (na, nb) = (&parts[a].2, &parts[b].2);
            let mut names: Vec<String> = Vec::new();
            let mut taken = 0u64;
            for (c, (&m, &o)) in na
                .iter()
                .zip(nb.iter().chain(std::iter::repeat(&0)))
                .enumerate()
            {
                if m <= o {
                    continue;
                }
                taken = taken.saturating_add(m);
                let name = if c < demand.instance.people.len() {
                    demand
                        .classes
                        .get(c)
                        .map(|k| estate.group_name(&k.group))
                        .unwrap_or_default()
                } else {
                    demand
                        .instance
                        .devices
                        .get(c - demand.instance.people.len())
                        .map(|d| d.label.clone())
                        .unwrap_or_default()
                };
                if !name.is_empty() && !names.contains(&name) {
                    names.push(name);
                }
            }
            if names.is_empty() {
                String::new()
            } else if taken < parts[a].1 {
                format!(", {} of them for {},", thousands(taken), list(&names))
            } else {
                format!(" for {}", list(&names))
            }
        };
        let total: u64 = suites.iter().map(|&(_, q)| q).sum();
        let (x, ux, _) = parts[i];
        let (y, uy, _) = parts[j];
        let suite_names: VecSet<&str> = suites
            .iter()
            .map(|&(s, _)| catalog::short_name(s))
            .collect();
        let unit = if kind == LicenceKind::UserCal {
            "User"
        } else {
            "Device"
        };
        let holder = if kind == LicenceKind::UserCal {
            "person"
        } else {
            "device"
        };
        // The bound counts the suites of the other kind too (a person and their device are one
        // need): the message names them, or its "at least 20" read against 10 CALs (review 16).
        let (other_kind, other_unit) = if kind == LicenceKind::UserCal {
            (LicenceKind::DeviceCal, "Device")
        } else {
            (LicenceKind::UserCal, "User")
        };
        let others: Vec<(CalProduct, u64)> = estate
            .holdings
            .iter()
            .filter(|h| {
                catalog::is_suite(h.product)
                    && h.kind == other_kind
                    && h.quantity > 0
                    && catalog::suite_contents(h.product)
                        .iter()
                        .any(|&p| p == x || p == y)
            })
            .map(|h| (h.product, u64::from(h.quantity)))
            .collect();
        let others_total: u64 = others.iter().map(|&(_, q)| q).sum();
        let others_clause = if others_total == 0 {
            String::new()
        } else {
            let names: VecSet<&str> = others
                .iter()
                .map(|&(s, _)| catalog::short_name(s))
                .collect();
            format!(
                " (and {} {} {other_unit} {} as {other_unit} CALs of these products)",
                thousands(others_total),
                list(&names.iter().map(|s| s.to_string()).collect::<Vec<_>>()),
                if others_total == 1 {
                    "licence"
                } else {
                    "licences"
                },
            )
        };
        out.push(finding(
            FindingKind::SuiteSplit,
            Severity::Critical,
            if suites.iter().all(|&(s, _)| s == CalProduct::CoreCalSuite) {
                ids::SUITE_CORE
            } else {
                ids::SUITE_ENTERPRISE
            },
            Some(suites[0].0),
            format!(
                "{} {} {unit} {} counted as {} {}{} and as {} {}{}{others_clause}, but one suite licenses one {holder} for all its parts, so it cannot be split between them: whoever holds the suites, at least {} of these CALs {} not covered, although the position counts them as covered. Give the suites to those who need the most parts and buy {} more CAL{} for the rest",
                thousands(total),
                list(&suite_names.iter().map(|s| s.to_string()).collect::<Vec<_>>()),
                if total == 1 { "licence is" } else { "licences are" },
                thousands(ux),
                catalog::licence_name(x, "", kind, ux),
                who(i, j),
                thousands(uy),
                catalog::licence_name(y, "", kind, uy),
                who(j, i),
                thousands(excess),
                if excess == 1 { "is" } else { "are" },
                thousands(excess),
                if excess == 1 { "" } else { "s" },
            ),
        ));
    }
    out
}

/// One product's needs as a matching in the access graph the optimiser must cover: each person
/// who reaches the product from their own devices paired with one of them, each unattended
/// device on its own, and people at shared devices paired with devices not yet paired. No two
/// pairs share a person or a device, so one licence (a CAL, or one part of a suite) covers at
/// most one pair: the number of pairs is a lower bound on the licences the product needs. Left
/// out, which only lowers the bound: external people where an External Connector may cover
/// them (one covers many), people whose Microsoft 365 plan holds the product, and devices that need it only as the base
/// of an additive CAL.
#[derive(Debug, Default)]
struct NeedPairs {
    pairs: u64,
    /// Per person class: members paired (with an own device or a shared one).
    person: Vec<u64>,
    /// Per person class: members paired with one of their own devices.
    own: Vec<u64>,
    /// Per shared device class: devices paired.
    device: Vec<u64>,
}

fn need_pairs(demand: &Demand, position: Option<&Position>, x: CalProduct) -> NeedPairs {
    let inst = &demand.instance;
    let mut m = NeedPairs {
        pairs: 0,
        person: vec![0; inst.people.len()],
        own: vec![0; inst.people.len()],
        device: vec![0; inst.devices.len()],
    };
    let Some(pr) = inst.products.iter().find(|p| p.product == x) else {
        return m;
    };
    let counted = |c: usize| {
        inst.people.get(c).is_some_and(|p| {
            p.held_suite
                .is_none_or(|s| !catalog::suite_contents(s).contains(&x))
        })
    };
    let people: BTreeSet<usize> = pr.people.iter().copied().filter(|&c| counted(c)).collect();
    for c in people {
        let n = inst.people.get(c).map_or(0, |p| u64::from(p.multiplicity));
        m.own[c] = n;
        m.person[c] = n;
        m.pairs = m.pairs.saturating_add(n);
    }
    // External people count where no External Connector can cover them, neither owned (an
    // unassigned one may go to any host) nor bought, nor the host's own licence: only a CAL or
    // a suite can (review 16: 20 partners given the suites' Windows Server part and 25 mail
    // users their Exchange part were left out, and the split went unreported).
    // Without a purchase to read (`position` `None`), any connector with a price may be bought.
    let connector = pr.owned.external_connectors > 0
        || position.map_or(pr.prices.external_connector.is_some(), |position| {
            (position.lines.iter())
                .any(|l| l.product == x && l.kind == LicenceKind::ExternalConnector)
        });
    if !connector {
        let external: BTreeSet<usize> = pr
            .person_host
            .iter()
            .filter(|&&(c, _)| counted(c))
            .map(|&(c, _)| c)
            .filter(|&c| {
                pr.person_host
                    .iter()
                    .filter(|&&(k, _)| k == c)
                    .all(|&(_, h)| {
                        !pr.owned_ec_hosts.contains(&h) && !pr.licensed_hosts.contains(&h)
                    })
            })
            .collect();
        for c in external {
            if m.person[c] > 0 {
                continue;
            }
            let n = inst.people.get(c).map_or(0, |p| u64::from(p.multiplicity));
            m.own[c] = n;
            m.person[c] = n;
            m.pairs = m.pairs.saturating_add(n);
        }
    }
    let unattended: BTreeSet<usize> = pr.unattended_devices.iter().copied().collect();
    for v in unattended {
        let n = inst.devices.get(v).map_or(0, |d| u64::from(d.multiplicity));
        if let Some(slot) = m.device.get_mut(v) {
            *slot = n;
            m.pairs = m.pairs.saturating_add(n);
        }
    }
    // A person class at a shared device class: every member uses every device (the optimiser's
    // model), so any unpaired member pairs with any unpaired device.
    let shared: BTreeSet<(usize, usize)> = pr.person_device.iter().copied().collect();
    for (c, v) in shared {
        if !counted(c) || v >= m.device.len() {
            continue;
        }
        let people_left = inst
            .people
            .get(c)
            .map_or(0, |p| u64::from(p.multiplicity))
            .saturating_sub(m.person[c]);
        let devices_left = inst
            .devices
            .get(v)
            .map_or(0, |d| u64::from(d.multiplicity))
            .saturating_sub(m.device[v]);
        let n = people_left.min(devices_left);
        m.person[c] += n;
        m.device[v] += n;
        m.pairs = m.pairs.saturating_add(n);
    }
    m
}

/// The CAL rank the pair of people of class `c` needs for product `x`, where it is known: when
/// they reach `x` from their own devices only, every server they reach is behind that pair. Else
/// `None`, any suite counted as new enough (which only lowers the bound).
fn person_pair_rank(demand: &Demand, x: CalProduct, c: usize) -> Option<u8> {
    let pr = demand.instance.products.iter().find(|p| p.product == x)?;
    let own_only = pr.people.contains(&c)
        && !pr.person_device.iter().any(|&(p, _)| p == c)
        && !pr.person_host.iter().any(|&(p, _)| p == c)
        && pr.rds_hosts.is_empty();
    if !own_only {
        return None;
    }
    let (_, pd) = demand.product(x)?;
    pd.person_rank.get(&c).copied()
}

/// The same for shared device class `v`: known when the devices reach `x` unattended only.
fn device_pair_rank(demand: &Demand, x: CalProduct, v: usize) -> Option<u8> {
    let pr = demand.instance.products.iter().find(|p| p.product == x)?;
    let unattended_only = pr.unattended_devices.contains(&v)
        && !pr.person_device.iter().any(|&(_, d)| d == v)
        && pr.rds_hosts.is_empty();
    if !unattended_only {
        return None;
    }
    let (_, pd) = demand.product(x)?;
    pd.device_rank.get(&v).copied()
}

/// A lower bound on the needs of products `x` and `y` that no assignment of the suites (owned and
/// bought), the plain owned CALs and the purchase can license: 0 when some assignment may.
///
/// Every need pair of `x` and of `y` ([`need_pairs`]) takes a licence of its own. A plain CAL of
/// either product, owned (of any version, which only lowers the bound) or bought, covers at most
/// one; so does each suite holding either product; and a suite covers a pair of each only when
/// its holder (a person for User suites, a device for Device suites) is in a pair of both and
/// both of its parts are new enough for them. Those double covers are at most a flow from the
/// suite lots to such holders, bounded by its smallest cut ([`double_covers`]).
fn suite_pair_shortfall(
    estate: &Estate,
    demand: &Demand,
    position: Option<&Position>,
    x: CalProduct,
    y: CalProduct,
) -> u64 {
    let (mx, my) = (
        need_pairs(demand, position, x),
        need_pairs(demand, position, y),
    );
    let lines = position.map_or(&[][..], |p| &p.lines);
    let needs = mx.pairs.saturating_add(my.pairs);
    let cal = |k: LicenceKind| matches!(k, LicenceKind::UserCal | LicenceKind::DeviceCal);
    let plain_owned: u64 = estate
        .holdings
        .iter()
        .filter(|h| (h.product == x || h.product == y) && cal(h.kind))
        .map(|h| u64::from(h.quantity))
        .sum();
    let plain_bought: u64 = lines
        .iter()
        .filter(|l| (l.product == x || l.product == y) && cal(l.kind))
        .map(|l| l.quantity)
        .sum();
    // Suite lots: kind, quantity, the rank of their `x` and `y` parts (None: no such part).
    let rank_of = |suite: CalProduct, p: CalProduct, rank: &dyn Fn(Family) -> u8| {
        catalog::suite_contents(suite)
            .contains(&p)
            .then(|| catalog::product(p).family.map_or(u8::MAX, rank))
    };
    let mut lots: Vec<(LicenceKind, u64, Option<u8>, Option<u8>)> = Vec::new();
    for h in estate
        .holdings
        .iter()
        .filter(|h| catalog::is_suite(h.product) && cal(h.kind))
    {
        let rank = |f: Family| catalog::suite_rank(f, h.software_assurance.as_ref(), demand.today);
        lots.push((
            h.kind,
            u64::from(h.quantity),
            rank_of(h.product, x, &rank),
            rank_of(h.product, y, &rank),
        ));
    }
    for l in lines
        .iter()
        .filter(|l| catalog::is_suite(l.product) && cal(l.kind))
    {
        let newest = |_: Family| u8::MAX;
        lots.push((
            l.kind,
            l.quantity,
            rank_of(l.product, x, &newest),
            rank_of(l.product, y, &newest),
        ));
    }
    let suites: u64 = lots
        .iter()
        .filter(|l| l.2.is_some() || l.3.is_some())
        .map(|l| l.1)
        .sum();
    // Lots of suites holding both products: (a Device suite, quantity, x part's rank, y's).
    let both: Vec<(bool, u64, u8, u8)> = lots
        .iter()
        .filter_map(|&(k, q, rx, ry)| Some((k == LicenceKind::DeviceCal, q, rx?, ry?)))
        .collect();
    // Holders of a double cover. A person class takes User suites and, through the devices it
    // works at, Device suites, in one node: a person and their own device stand for the same
    // need, so a User suite and a Device suite cannot each cover it twice (review 16: 10 people
    // on both products, 10 User and 10 Device suites, counted 20 double covers where 10 can
    // be). A device class takes Device suites.
    let people = demand.instance.people.len();
    let holders: Vec<Holder> = (0..people)
        .map(|c| Holder {
            count: mx.person[c].min(my.person[c]),
            user: true,
            device: true,
            rank_x: person_pair_rank(demand, x, c),
            rank_y: person_pair_rank(demand, y, c),
        })
        .chain((0..demand.instance.devices.len()).map(|v| Holder {
            count: mx.device[v].min(my.device[v]),
            user: false,
            device: true,
            rank_x: device_pair_rank(demand, x, v),
            rank_y: device_pair_rank(demand, y, v),
        }))
        .collect();
    let doubles = double_covers(&both, &holders);
    let can_cover = plain_owned
        .saturating_add(plain_bought)
        .saturating_add(suites)
        .saturating_add(doubles);
    needs.saturating_sub(can_cover)
}

/// A lower bound on the purchase cost of any licensing of `demand`, at the optimiser's prices,
/// from the owned CAL Suites (cal-rules §1.12: one suite, one user or device, all its parts).
/// For two products of an owned suite, the needs no assignment of the owned suites and plain
/// CALs covers ([`suite_pair_shortfall`] with nothing bought) each take a bought CAL of one of
/// them, or a bought suite, which covers at most one need of each: at least the cheapest such
/// CAL's price, or half a suite's, per need; and of them, those of one product that even every
/// owned licence holding it could not cover take one of that product's. The optimiser counts an owned suite's parts product
/// by product, so its own bound misses this (review 43, H1: 30 suites held by mail clerks or by
/// intranet staff, never both, left 30 CALs to buy at a bound of $0).
pub(crate) fn suite_split_bound(estate: &Estate, demand: &Demand) -> i64 {
    let owned: Vec<CalProduct> = (estate.holdings.iter())
        .filter(|h| catalog::is_suite(h.product) && h.quantity > 0)
        .flat_map(|h| catalog::suite_contents(h.product).iter().copied())
        .collect::<VecSet<CalProduct>>()
        .into_iter()
        .collect();
    let inst = &demand.instance;
    let products: Vec<&crate::optimise::ProductInstance> = (inst.products.iter())
        .filter(|p| owned.contains(&p.product))
        .collect();
    // Per product: the least a bought licence costs per need it covers (a CAL, or half a suite
    // that holds it), and how many of its needs neither its plain owned CALs nor every owned
    // suite holding it can cover, whoever holds them (versions left aside: only lower).
    let per_need = |p: &crate::optimise::ProductInstance| -> Option<i64> {
        let suites = (inst.suites.iter())
            .filter(|s| s.covers.contains(&p.product))
            .flat_map(|s| [s.user_price, s.device_price])
            .flatten()
            .map(|price| price / 2);
        [p.prices.user_cal, p.prices.device_cal]
            .into_iter()
            .flatten()
            .chain(suites)
            .min()
            .map(|price| price.max(0))
    };
    let alone = |x: CalProduct| -> u64 {
        let owned: u64 = (estate.holdings.iter())
            .filter(|h| {
                matches!(h.kind, LicenceKind::UserCal | LicenceKind::DeviceCal)
                    && (h.product == x || catalog::suite_contents(h.product).contains(&x))
            })
            .map(|h| u64::from(h.quantity))
            .sum();
        need_pairs(demand, None, x).pairs.saturating_sub(owned)
    };
    let times = |n: u64, each: i64| i64::try_from(n).unwrap_or(i64::MAX).saturating_mul(each);
    let mut bound = 0i64;
    for (i, a) in products.iter().enumerate() {
        for b in &products[i + 1..] {
            let n = suite_pair_shortfall(estate, demand, None, a.product, b.product);
            let (Some(qa), Some(qb)) = (per_need(a), per_need(b)) else {
                continue;
            };
            if n == 0 {
                continue;
            }
            // Whatever is bought covers at least na needs of a, nb of b and n in all.
            let (na, nb) = (alone(a.product).min(n), alone(b.product).min(n));
            let rest = n.saturating_sub(na.saturating_add(nb));
            let cost = times(na, qa)
                .saturating_add(times(nb, qb))
                .saturating_add(times(rest, qa.min(qb)));
            bound = bound.max(cost);
        }
    }
    bound
}

/// Who may hold a suite that covers a need of both products: `count` of them, reached by User
/// suites when `user`, by Device suites when `device`, needing those ranks of the two parts
/// (`None`: any).
struct Holder {
    count: u64,
    user: bool,
    device: bool,
    rank_x: Option<u8>,
    rank_y: Option<u8>,
}

/// At most how many suites can each cover a need of both products: the largest flow from suite
/// lots `(a Device suite, quantity, rank of the x part, rank of the y part)` to holders, a lot
/// reaching a holder of its kind when both its parts are new enough (an unknown need takes
/// any). Computed as the smallest of the cuts that keep a set of lot groups on the source side:
/// all of them when there are few groups, else two, and any cut is at least the flow.
fn double_covers(lots: &[(bool, u64, u8, u8)], holders: &[Holder]) -> u64 {
    let mut groups: Vec<((bool, u8, u8), u64)> = Vec::new();
    for &(device, q, rx, ry) in lots {
        match groups.iter_mut().find(|g| g.0 == (device, rx, ry)) {
            Some(g) => g.1 = g.1.saturating_add(q),
            None => groups.push(((device, rx, ry), q)),
        }
    }
    if groups.is_empty() {
        return 0;
    }
    // Holders by the set of lot groups that reach them.
    let mut reach: Vec<(u32, u64)> = Vec::new();
    let exhaustive = groups.len() <= 12;
    for h in holders.iter().filter(|h| h.count > 0) {
        let (cap, nx, ny) = (h.count, h.rank_x, h.rank_y);
        let mut set = 0u32;
        for (g, &((device, rx, ry), _)) in groups.iter().enumerate() {
            let kind = if device { h.device } else { h.user };
            let new_enough = nx.is_none_or(|n| rx >= n) && ny.is_none_or(|n| ry >= n);
            if kind && new_enough {
                set |= if exhaustive { 1 << g } else { 1 };
            }
        }
        match reach.iter_mut().find(|r| r.0 == set) {
            Some(r) => r.1 = r.1.saturating_add(cap),
            None => reach.push((set, cap)),
        }
    }
    let total: u64 = groups.iter().map(|g| g.1).sum();
    let cut = |kept: u32, quantity_left: u64| -> u64 {
        reach
            .iter()
            .filter(|r| r.0 & kept != 0)
            .map(|r| r.1)
            .fold(quantity_left, u64::saturating_add)
    };
    if !exhaustive {
        // Every group on the sink side, or all of them (as one) on the source side.
        return total.min(cut(1, 0));
    }
    (0u32..1 << groups.len())
        .map(|kept| {
            let left: u64 = groups
                .iter()
                .enumerate()
                .filter(|(g, _)| kept & (1 << g) == 0)
                .map(|(_, g)| g.1)
                .sum();
            cut(kept, left)
        })
        .min()
        .unwrap_or(0)
}

/// The access rules that are not manual transfer only, by the servers they name: (server id, the
/// rule's position), as [`crate::sort::key_index`], each pair once.
fn live_rules_by_server(estate: &Estate) -> Vec<(&str, usize)> {
    let mut by_server: Vec<(&str, usize)> = Vec::new();
    for (i, a) in estate.access.iter().enumerate() {
        if !a.manual_transfer_only {
            for sid in &a.servers {
                by_server.push((sid, i));
            }
        }
    }
    let mut by_server = crate::sort::key_index(by_server);
    by_server.dedup();
    by_server
}

/// The estate's groups by id ([`crate::sort::key_index`]).
fn groups_by_id(estate: &Estate) -> Vec<(&str, usize)> {
    crate::sort::key_index(
        estate
            .groups
            .iter()
            .enumerate()
            .map(|(i, g)| (g.id.as_str(), i))
            .collect(),
    )
}

/// Server settings that the access entered may contradict: an anonymous-only server that known
/// people reach (not counted, as the mark says they do not sign in; but anyone who signs in needs
/// a CAL, §1.8 and worked example G6(b)); a virtualisation-only host that people other than administrators reach (not counted,
/// but a host used for services is not virtualisation-only); Exchange, SharePoint or Skype without
/// the Windows Server version they run on (they run only on Windows, so their users also need
/// Windows Server CALs, which are not counted without it).
fn server_flags(estate: &Estate, by_server: &[(&str, usize)]) -> Vec<Finding> {
    use crate::estate::ServerProduct;
    let mut out = Vec::new();
    // Looked up by id in sorted lists built once (`by_server`: [`live_rules_by_server`]):
    // reading every access rule for each server (and every server for each rule's) was
    // quadratic, a fifth of a 10,000-server evaluation.
    let rules_of = |server: &str| {
        run_of(by_server, server)
            .iter()
            .map(|&(_, i)| &estate.access[i])
    };
    let groups = groups_by_id(estate);
    let groups_of = |id: &str| run_of(&groups, id).iter().map(|&(_, i)| &estate.groups[i]);
    let reached_by = |server: &str, keep: &dyn Fn(&crate::estate::Group) -> bool| {
        let mut names: Vec<String> = Vec::new();
        let mut people = 0u64;
        for a in rules_of(server) {
            for g in a.groups.iter().filter_map(|id| groups_of(id).next()) {
                let name = g.shown_name().to_string();
                if keep(g) && !names.contains(&name) {
                    names.push(name);
                    people += u64::from(g.count);
                }
            }
        }
        (names, people)
    };
    // The groups that reach a Windows Server (or a server that runs on one) by a rule that is
    // not manual transfer only.
    let mut on_windows: Vec<&str> = estate
        .servers
        .iter()
        .filter(|x| {
            !x.anonymous_only
                && (x.product == ServerProduct::WindowsServer || x.windows_version.is_some())
        })
        .map(|x| x.id.as_str())
        .collect();
    on_windows.sort_unstable();
    let mut ws_groups: Vec<&str> = Vec::new();
    for a in estate.access.iter().filter(|a| !a.manual_transfer_only) {
        if a.servers
            .iter()
            .any(|sid| on_windows.binary_search(&sid.as_str()).is_ok())
        {
            ws_groups.extend(a.groups.iter().map(String::as_str));
        }
    }
    ws_groups.sort_unstable();
    let reaches_ws = |gid: &str| ws_groups.binary_search(&gid).is_ok();
    let mut used: Vec<&str> = estate.usage.as_ref().map_or(Vec::new(), |u| {
        u.links.iter().map(|l| l.server.as_str()).collect()
    });
    used.sort_unstable();
    for s in &estate.servers {
        let label = s.shown_name();
        if s.anonymous_only {
            let (names, people) = reached_by(&s.id, &|g| {
                g.kind != PersonKind::AnonymousVisitor && g.count > 0
            });
            if !names.is_empty() {
                out.push(finding(
                    FindingKind::AnonymousOnlyReached,
                    Severity::Warning,
                    ids::EXEMPT_ANONYMOUS,
                    None,
                    format!(
                        "{label} is marked as used only without signing in, so the {} {} of {} who reach it are not counted; only unauthenticated access needs no CAL: anyone who signs in there (an editor, a customer with an account) needs a CAL or an External Connector, so untick the mark if they do",
                        thousands(people),
                        if people == 1 { "person" } else { "people" },
                        list(&names),
                    ),
                ));
            }
        }
        if s.virtualization_only {
            let (names, people) = reached_by(&s.id, &|g| {
                !g.admin_only && g.kind != PersonKind::AnonymousVisitor && g.count > 0
            });
            if !names.is_empty() {
                out.push(finding(
                    FindingKind::VirtualisationOnlyReached,
                    // The CALs these people need are left uncounted: not compliant as entered.
                    Severity::Critical,
                    ids::EXEMPT_VIRTUALISATION_HOST,
                    Some(CalProduct::WindowsServer),
                    format!(
                        "{label} is marked as only running and managing virtual machines, but {} ({} {}) reach it: a host whose own services people use is not virtualisation-only and needs CALs for them, which are not counted here; remove the mark, or their access if they only use its VMs",
                        list(&names),
                        thousands(people),
                        if people == 1 { "person" } else { "people" }
                    ),
                ));
            }
        }
        if matches!(
            s.product,
            ServerProduct::Exchange | ServerProduct::SharePoint | ServerProduct::SkypeForBusiness
        ) && s.windows_version.is_none()
            && !s.anonymous_only
        {
            // Only when some of its users reach no Windows Server otherwise: for the others a
            // Windows Server CAL is counted anyway (at the versions they reach).
            let uncounted = rules_of(&s.id).any(|a| {
                a.groups
                    .iter()
                    .any(|g| groups_of(g).any(|x| x.count > 0) && !reaches_ws(g))
            }) || used.binary_search(&s.id.as_str()).is_ok();
            if uncounted {
                out.push(finding(
                    FindingKind::WindowsVersionMissing,
                    Severity::Warning,
                    ids::WS_CAL_FOR_HOSTED_PRODUCTS,
                    Some(CalProduct::WindowsServer),
                    format!(
                        "{label} has no Windows Server version: it runs only on Windows Server, whose CALs its users need as well, and they are not counted until you enter the version it runs on"
                    ),
                ));
            }
        }
    }
    out
}

/// Servers of a release whose CALs came out after the report's date (review 12: an estate dated
/// before Exchange SE's release bought 2019 CALs for an SE server, which cannot cover it). No CAL
/// on sale that day covers them, so the demand leaves them out (`Demand::unreleased`) and the
/// purchase buys nothing for them (review 13 D14, review 15 #4): critical, since nothing bought
/// that day licenses them. The date or the servers' version is probably wrong; say which servers
/// and both dates, and which owned licences will cover them from the release.
fn versions_not_released(demand: &Demand, estate: &Estate) -> Vec<Finding> {
    let server_names = estate.server_names();
    let mut out = Vec::new();
    for (product, servers) in &demand.unreleased {
        let Some(family) = catalog::product(*product).family else {
            continue;
        };
        let Some(needed) = servers
            .iter()
            .filter_map(|(_, v)| catalog::cal_version(family, v))
            .max_by_key(|c| c.rank)
        else {
            continue;
        };
        let names: Vec<String> = servers
            .iter()
            .map(|(s, v)| format!("{} ({v})", server_names.name(s)))
            .collect();
        // Owned CALs whose Software Assurance runs past the release become that version on the
        // day it comes out (rule `sa.version-rights`), so they, not a purchase, are the cure.
        let sa_held: u64 = estate
            .holdings
            .iter()
            .filter(|h| {
                h.product == *product
                    || (catalog::is_suite(h.product)
                        && catalog::suite_contents(h.product).contains(product))
            })
            .filter(|h| {
                h.software_assurance.as_ref().is_some_and(|sa| {
                    sa.since <= needed.released && sa.until.is_none_or(|u| u >= needed.released)
                })
            })
            .map(|h| u64::from(h.quantity))
            .sum();
        let sa_text = if sa_held > 0 {
            format!(
                ". {} you own with Software Assurance running past {} count as version {} from that day",
                plural("licence", sa_held),
                needed.released,
                needed.name
            )
        } else {
            String::new()
        };
        out.push(finding(
            FindingKind::VersionNotReleased,
            Severity::Critical,
            ids::CAL_VERSION_NOT_OLDER,
            Some(*product),
            format!(
                "{}, version {}: it came out on {}, after this report's date ({}), so no CAL on sale that day covers {}, and the purchase buys nothing for {}{sa_text}; check those servers' version or the date the report is for",
                catalog::label(*product),
                needed.name,
                needed.released,
                demand.today,
                list(&names),
                if names.len() == 1 { "it" } else { "them" },
            ),
        ));
    }
    out
}

/// The servers external users reach, by the access rows of their groups (manually transferred
/// output aside) and by exact usage.
fn servers_external_users_reach(estate: &Estate) -> VecSet<&str> {
    // A group of nobody reaches nothing.
    let external_groups: BTreeSet<&str> = estate
        .groups
        .iter()
        .filter(|g| g.kind.is_external() && g.count > 0)
        .map(|g| g.id.as_str())
        .collect();
    let mut servers: VecSet<&str> = estate
        .access
        .iter()
        .filter(|a| {
            !a.manual_transfer_only
                && a.groups
                    .iter()
                    .any(|g| external_groups.contains(g.as_str()))
        })
        .flat_map(|a| a.servers.iter().map(String::as_str))
        .collect();
    if let Some(usage) = &estate.usage {
        let external_people: BTreeSet<&str> = usage
            .people
            .iter()
            .filter(|p| external_groups.contains(p.group.as_str()))
            .map(|p| p.id.as_str())
            .collect();
        servers.extend(
            usage
                .links
                .iter()
                .filter(|l| external_people.contains(l.person.as_str()))
                .map(|l| l.server.as_str()),
        );
    }
    servers
}

fn rank(f: Family, v: &str) -> u8 {
    catalog::cal_version(f, v).map(|c| c.rank).unwrap_or(0)
}

fn plural(word: &str, n: u64) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{} {word}s", thousands(n))
    }
}

/// A Server+CAL SQL Server whose users alone would cost more in CALs than licensing it per core.
/// SQL Server findings: anonymous visitors on a Server+CAL server (no CAL can license them), and
/// per core cheaper than Server+CAL, judged for the servers that share their users together (a
/// SQL CAL covers every SQL Server, so moving one server alone keeps the CALs for the others).
fn breakevens_sql<'a>(
    estate: &'a Estate,
    by_server: &[(&str, usize)],
    demand: &Demand,
    sql_cals: Option<u64>,
    position: &Position,
    per_core_less: &dyn Fn(&[&str]) -> Option<i64>,
    sql_reach: &OnceCell<SqlReach<'a>>,
) -> Vec<Finding> {
    use crate::estate::{ServerProduct, SqlLicensing};
    let mut out = Vec::new();
    let currency = estate.organisation.currency.as_str();
    let server_cal: Vec<&crate::estate::Server> = estate
        .servers
        .iter()
        .filter(|s| {
            s.product == ServerProduct::SqlServer
                && crate::rules::sql_licensing(s) == SqlLicensing::ServerCal
        })
        .collect();
    let prices = demand.prices.sql_breakeven();
    // The minimum is applied per server or VM: rule `sql.core-minimum-and-packs` asks 4 cores
    // per processor of a physical server too, but the estate has no processor count (domain
    // review 21), so the texts say what is applied.
    let packs = |s: &crate::estate::Server| u64::from(s.cores.max(4)).div_ceil(2);
    let per_core = |s: &crate::estate::Server, pack: i64| {
        i64::try_from(packs(s)).unwrap_or(0).saturating_mul(pack)
    };
    // Rules (`by_server`: [`live_rules_by_server`]), groups, usage links and pools looked up by
    // id in sorted lists built once: reading each list for every SQL Server was quadratic in the
    // servers.
    let reaching = |server: &str| {
        run_of(by_server, server)
            .iter()
            .map(|&(_, i)| &estate.access[i])
            .collect::<Vec<_>>()
    };
    let groups = groups_by_id(estate);
    let kind_of = |g: &str| run_of(&groups, g).first().map(|&(_, i)| &estate.groups[i]);

    // Anonymous visitors: the Internet exemption is Windows Server's (§1.8); behind a front end
    // every user of SQL Server needs a CAL (§1.7, §1.16), and people nobody identifies cannot
    // be given one, so only per core licenses them.
    for s in &server_cal {
        let mut anon = 0u64;
        let mut via = VecSet::new();
        let mut seen = BTreeSet::new();
        for a in reaching(&s.id) {
            for g in &a.groups {
                if let Some(g) = kind_of(g).filter(|g| g.kind == PersonKind::AnonymousVisitor) {
                    if seen.insert(g.id.as_str()) {
                        anon += u64::from(g.count);
                    }
                    via.extend(a.via.iter().cloned());
                }
            }
        }
        if anon == 0 {
            continue;
        }
        let via: Vec<String> = via.into_iter().collect();
        let cost = match prices {
            Some((pack, _, _)) => format!(
                ": {} cores = {} 2-core packs, {}",
                packs(s) * 2,
                packs(s),
                money(per_core(s, pack), currency)
            ),
            None => String::new(),
        };
        out.push(finding(
            FindingKind::SqlAnonymousServerCal,
            Severity::Critical,
            ids::MUX_NO_REDUCTION,
            Some(CalProduct::SqlServer),
            format!(
                "SQL Server {} is licensed Server+CAL, but {} anonymous visitors reach it{}: the Internet exemption is Windows Server's, a front end does not reduce the SQL CALs needed, and people nobody identifies cannot be given a CAL, so this server must be licensed per core{cost}{}",
                s.shown_name(),
                thousands(anon),
                if via.is_empty() { String::new() } else { format!(" through {}", list(&via)) },
                if s.cores == 0 { format!(" (no cores entered: counted at {SQL_MINIMUM_APPLIED})") } else { String::new() },
            ),
        ));
    }

    let Some((pack, server, cal)) = prices else {
        return out;
    };
    // Servers that share users, together. Exempt administrators need no SQL CAL, so they share
    // none (cal-rules §1.8 item 3; review 13: two exempt admins reaching every SQL server joined
    // unrelated sets and hid the per-core advice): an admin-only group joins sets only when SQL
    // Server counts one of its people.
    let sql_pd = demand
        .products
        .iter()
        .find(|p| p.product == CalProduct::SqlServer);
    let exempt_only = |g: &str| {
        let mut classes = demand
            .classes
            .iter()
            .enumerate()
            .filter(|(_, k)| k.group == g)
            .peekable();
        classes.peek().is_some()
            && classes.all(|(c, k)| {
                k.admin_candidate && sql_pd.is_some_and(|pd| !pd.person_rank.contains_key(&c))
            })
    };
    // Usage links and the pools that need SQL CALs of their own, by server.
    let no_links: &[crate::estate::Link] = &[];
    let all_links = estate
        .usage
        .as_ref()
        .map_or(no_links, |u| u.links.as_slice());
    let links = crate::sort::key_index(
        all_links
            .iter()
            .enumerate()
            .map(|(i, l)| (l.server.as_str(), i))
            .collect(),
    );
    let mut pools: Vec<(&str, usize)> = Vec::new();
    for (i, d) in estate.shared_devices.iter().enumerate() {
        if crate::engine::pool_needs_own_sql_cal(estate, demand, i) {
            pools.extend(d.accesses.iter().map(|x| (x.as_str(), i)));
        }
    }
    let pools = crate::sort::key_index(pools);
    let users_of = |server: &str| -> BTreeSet<String> {
        let mut u: BTreeSet<String> = reaching(server)
            .iter()
            .flat_map(|a| a.groups.iter())
            // A group of nobody shares no one.
            .filter(|g| {
                kind_of(g).is_some_and(|g| g.kind != PersonKind::AnonymousVisitor && g.count > 0)
            })
            .filter(|g| !exempt_only(g))
            .map(|g| format!("g:{g}"))
            .collect();
        for l in run_of(&links, server).iter().map(|&(_, i)| &all_links[i]) {
            u.insert(if l.person.is_empty() {
                format!("u:{}", l.device)
            } else {
                format!("p:{}", l.person)
            });
        }
        // Unattended devices need SQL CALs too (sensors, printers whose users do not cover them).
        for &(_, d) in run_of(&pools, server) {
            u.insert(format!("d:{}", estate.shared_devices[d].id));
        }
        u
    };
    let sets: Vec<BTreeSet<String>> = server_cal.iter().map(|s| users_of(&s.id)).collect();
    // Servers that share someone, together, each set named by its first server: a union-find
    // over who reaches them (comparing every pair of servers' sets was quadratic).
    let mut component: Vec<usize> = (0..server_cal.len()).collect();
    let root = |component: &mut Vec<usize>, mut i: usize| {
        while component[i] != i {
            component[i] = component[component[i]];
            i = component[i];
        }
        i
    };
    let mut who: Vec<(&str, usize)> = Vec::new();
    for (i, set) in sets.iter().enumerate() {
        who.extend(set.iter().map(|e| (e.as_str(), i)));
    }
    let who = crate::sort::key_index(who);
    for pair in who.windows(2) {
        if pair[0].0 == pair[1].0 {
            let (a, b) = (
                root(&mut component, pair[0].1),
                root(&mut component, pair[1].1),
            );
            // The smaller index roots the union, so a set's root is its first server.
            let (a, b) = (a.min(b), a.max(b));
            component[b] = a;
        }
    }
    for i in 0..component.len() {
        component[i] = root(&mut component, i);
    }
    let roots: BTreeSet<usize> = component.iter().copied().collect();
    // Owned SQL CALs in use and the cost of closing the SQL CAL gap, from the position: when
    // every Server+CAL server is in one set, all of them belong to it (review: 50 of 80 SQL CALs
    // owned, 30 to buy for $6,900, and the finding said per core at $7,890 was cheaper than
    // "$19,389 for the server licence and those CALs").
    let sql_rows = || {
        position.rows.iter().filter(|r| {
            r.product == CalProduct::SqlServer && r.kind != LicenceKind::ExternalConnector
        })
    };
    let owned_in_use: u64 = sql_rows().map(|r| r.covered).sum();
    let to_close: i64 = sql_rows().map(|r| r.cost_to_close_minor).sum();
    let one_set = roots.len() == 1;
    let members_of = |root: usize| -> Vec<&crate::estate::Server> {
        server_cal
            .iter()
            .zip(&component)
            .filter(|(_, &c)| c == root)
            .map(|(s, _)| *s)
            .collect()
    };
    // Who reaches which servers, indexed once per evaluation: each count below was a pass over
    // the estate's access rules and usage links by server id (10,000 servers: 53 s, now 2.9 s).
    let reach = sql_reach.get_or_init(|| SqlReach::new(estate, demand));
    let ids_of = |servers: &[&crate::estate::Server]| {
        let ids_: Vec<&str> = servers.iter().map(|s| s.id.as_str()).collect();
        reach.servers(&ids_)
    };
    let users_in = |members: &[&crate::estate::Server]| {
        let n = reach.clients_of(&ids_of(members));
        sql_cals.map_or(n, |c| n.min(c))
    };
    // What moving some servers to per core takes off the SQL CAL purchase, given the versions:
    // their people may keep needing a CAL for the servers kept, but an older one that they own
    // (review 17: q1 SQL 2022 and q2 SQL 2019 shared by 100 people, 130 SQL 2019 CALs owned: per
    // core on q1 saves the 100 SQL 2022 CALs to buy, though every one of them still reaches q2).
    let all_ids = ids_of(&server_cal);
    let buy_all = reach.cals_to_buy(&all_ids, sql_cals);
    let bought_saved = |moved: &[u32]| {
        let mut moved = moved.to_vec();
        moved.sort_unstable();
        let rest: Vec<u32> = all_ids
            .iter()
            .copied()
            .filter(|id| moved.binary_search(id).is_err())
            .collect();
        buy_all.saturating_sub(reach.cals_to_buy(&rest, sql_cals))
    };
    // The SQL CALs each set needs: with several sets, the owned ones in use are attributed to a
    // set only as far as the other sets do not need them (review 13: 40 owned CALs covered all
    // of one set, and the advice to move it to per core read as a saving).
    let set_users: Vec<(usize, u64)> = roots
        .iter()
        .map(|&r| (r, users_in(&members_of(r))))
        .collect();
    for root in roots {
        let members = members_of(root);
        let users = users_in(&members);
        let others: u64 = set_users
            .iter()
            .filter(|&&(r, _)| r != root)
            .map(|&(_, n)| n)
            .sum();
        // Which servers of the set to move to per core: the choice that saves most. Moving some
        // saves their server licences and the SQL CALs of those who reach none of the others
        // (review 13b: one counted administrator reaching both servers of two otherwise separate
        // sets hid the saving of moving the larger one alone). Every choice is tried for sets of
        // up to six servers; a larger set tries all, each alone, and all but each one.
        // The choices name servers by their place among `members`, whose indices are found
        // once (found by id for each choice, they took 38 % of the evaluation of 10,000 servers).
        let member_ids = ids_of(&members);
        let at = |places: &[usize]| -> Vec<u32> { places.iter().map(|&i| member_ids[i]).collect() };
        let Some(best) = sql_per_core_choice(
            &members,
            users,
            &|kept| {
                let n = reach.clients_of(&at(kept));
                sql_cals.map_or(n, |c| n.min(c))
            },
            &|moved| bought_saved(&at(moved)),
            |s| per_core(s, pack),
            (server, cal),
        ) else {
            continue;
        };
        let moved = best.moved;
        let kept: Vec<&crate::estate::Server> = members
            .iter()
            .filter(|s| !moved.iter().any(|m| m.id == s.id))
            .copied()
            .collect();
        let ids_: Vec<&str> = moved.iter().map(|s| s.id.as_str()).collect();
        let (per_core_all, cals) = (best.per_core, best.cals);
        let (freed, older) = (best.freed, best.older);
        let unknown: Vec<String> = moved
            .iter()
            .filter(|s| s.cores == 0)
            .map(|s| s.shown_name().to_string())
            .collect();
        let cores: Vec<String> = moved
            .iter()
            .map(|s| match moved.len() {
                1 => format!("{} cores", packs(s) * 2),
                _ => format!("{} cores on {}", packs(s) * 2, s.shown_name()),
            })
            .collect();
        if !unknown.is_empty() {
            out.push(finding(
                FindingKind::SqlCoresUnknown,
                Severity::Info,
                ids::SQL_CORE_MINIMUM,
                Some(CalProduct::SqlServer),
                format!(
                    "SQL Server {} has no core count, so per core could not be compared with Server+CAL: at the minimum of 4 cores per server or VM it would cost {} against {}, but a larger server costs more; enter the cores it runs on (a physical server's processors are not counted separately: with several processors, at least 4 cores per processor)",
                    list(&unknown),
                    money(per_core_all, currency),
                    money(cals, currency)
                ),
            ));
            continue;
        }
        let names = |ss: &[&crate::estate::Server]| {
            list(
                &ss.iter()
                    .map(|s| s.shown_name().to_string())
                    .collect::<Vec<_>>(),
            )
        };
        let needed = freed.saturating_sub(older);
        let message = if !kept.is_empty() {
            let stay = users_in(&moved).saturating_sub(needed);
            let kept_words = match kept
                .iter()
                .map(|s| s.shown_name().to_string())
                .collect::<Vec<_>>()
                .as_slice()
            {
                [init @ .., last] if (2..=4).contains(&kept.len()) => {
                    format!("{} or {last}", init.join(", "))
                }
                [one] => one.clone(),
                all => format!("one of {}", list(all)),
            };
            let it = if moved.len() == 1 { "it" } else { "them" };
            let (why, owned_older) = if older == 0 {
                (
                    "are for those who reach no other Server+CAL server".to_string(),
                    String::new(),
                )
            } else {
                let too_old = format!("where owned SQL CALs older than {it} cover them");
                (
                    if needed == 0 {
                        format!("are bought for {it} alone (those who reach {it} also reach {kept_words}, {too_old})")
                    } else {
                        format!(
                            "are bought for {it} alone ({} for those who reach no other Server+CAL server, {} for those who also reach {kept_words}, {too_old})",
                            thousands(needed),
                            thousands(older)
                        )
                    },
                    format!(", {} of them owned older CALs", thousands(older)),
                )
            };
            format!(
                "{} licensed Server+CAL, and {} of the SQL CALs in the cheapest mix {why}: per core ({}) would cost {} against {} for {} and those CALs; {} SQL CAL{} for those who also reach {kept_words}{owned_older}",
                if moved.len() == 1 {
                    format!("SQL Server {} is", moved[0].shown_name())
                } else {
                    format!("SQL Servers {} are", names(&moved))
                },
                thousands(freed),
                list(&cores),
                money(per_core_all, currency),
                money(cals, currency),
                if moved.len() == 1 { "its server licence" } else { "their server licences" },
                thousands(stay),
                if stay == 1 { " remains" } else { "s remain" },
            )
        } else if moved.len() == 1 {
            format!(
                "SQL Server {} is licensed Server+CAL for {} ({} SQL CALs in the cheapest mix): per core ({}) would cost {} against {} for the server licence and those CALs",
                moved[0].shown_name(),
                reach.words(&reach.servers(&ids_)),
                thousands(users),
                cores[0],
                money(per_core_all, currency),
                money(cals, currency)
            )
        } else {
            format!(
                "SQL Servers {} are licensed Server+CAL and share their {} ({} SQL CALs in the cheapest mix): per core for all of them ({}) would cost {} against {} for their server licences and those CALs; moving one alone would keep the CALs for the others",
                names(&moved),
                reach.words(&reach.servers(&ids_)),
                thousands(users),
                list(&cores),
                money(per_core_all, currency),
                money(cals, currency)
            )
        };
        // The rest of the set keeps the CALs of those who reach it.
        // Those whose owned CALs are only too old keep needing theirs: the owned CALs they hold
        // are the rest's, and the newer ones bought for them are saved in full.
        let others = others.saturating_add(users.saturating_sub(needed));
        let users = needed;
        // One set: every owned SQL CAL in use and the whole gap are its own. Several: at
        // least the owned CALs in use that the other sets cannot take, and at most the rest
        // of its CALs to buy at the SQL CAL price.
        let (owned_here, close_here, owned) = if one_set && kept.is_empty() {
            (
                owned_in_use,
                to_close,
                format!(
                    "{} of those CALs are owned, so closing the gap with SQL CALs costs {}",
                    thousands(owned_in_use),
                    money(to_close, currency)
                ),
            )
        } else {
            let here = owned_in_use.saturating_sub(others).min(users);
            let close = i64::try_from((users - here).saturating_add(older))
                .unwrap_or(i64::MAX)
                .saturating_mul(cal);
            (
                here,
                close,
                format!(
                    "at least {} of those CALs are owned ({} owned SQL CALs are in use, and the other Server+CAL servers need at most {} of them; which people hold them is not fixed), so closing the gap with SQL CALs costs at most {}",
                    thousands(here),
                    thousands(owned_in_use),
                    thousands(others),
                    money(close, currency)
                ),
            )
        };
        // What per core takes off the purchase: the server licences are owned (the server is
        // licensed as entered), so only the SQL CALs still to buy are saved.
        let mut saving = close_here.saturating_sub(per_core_all);
        // A saving is checked against the estate evaluated with those servers per core: the
        // counts above attribute the cheapest mix's SQL CALs to servers by who reaches them,
        // which shared devices and other servers' people can overstate (why review 24).
        let mut message = message;
        if saving > 0 {
            if let Some(less) = per_core_less(&ids_) {
                let exact = less.saturating_sub(per_core_all);
                if exact <= 0 {
                    continue;
                }
                if exact != saving {
                    message = format!(
                        "{message}; evaluated with {} per core, the purchase is {} less, so per core saves {}",
                        if moved.len() == 1 { "it" } else { "them" },
                        money(less, currency),
                        money(exact, currency)
                    );
                }
                saving = exact;
            }
        }
        // The server licences are owned (the servers are licensed as entered), so what decides
        // today's purchase is per core against the SQL CALs still to buy; the server licences
        // count where they would be bought again (licensing review 41: 32 people, per core
        // $7,890 against $8,349 with the server licence was a warning, though the purchase is
        // $7,360 of CALs).
        let theirs = if moved.len() == 1 {
            "its server licence is"
        } else {
            "their server licences are"
        };
        let (severity, message) = if per_core_all >= close_here {
            let why = if owned_here > 0 {
                owned
            } else {
                format!(
                    "{theirs} owned (licensed as entered), so the purchase is {} of SQL CALs",
                    money(close_here, currency)
                )
            };
            (
                Severity::Info,
                format!(
                    "{message}; but {why}, less than per core: per core pays where {}{} would be bought again (a new server, or {} Software Assurance renewed)",
                    if moved.len() == 1 { "the server licence" } else { "the server licences" },
                    if owned_here > 0 { " or the CALs" } else { "" },
                    if moved.len() == 1 && owned_here == 0 { "its" } else { "their" }
                ),
            )
        } else if owned_here > 0 {
            (Severity::Warning, format!("{message} ({owned})"))
        } else {
            (
                Severity::Warning,
                format!(
                    "{message}; {theirs} owned (licensed as entered), so per core is set against the {} of SQL CALs to buy",
                    money(close_here, currency)
                ),
            )
        };
        // SQL Server 2022 and later license a virtual machine per core only with Software
        // Assurance or a subscription (cal-rules §1.16), which the licence-only pack price leaves
        // out (review 20: the sample's headline saving priced its ERP VM so).
        let vms: Vec<String> = moved
            .iter()
            .filter(|s| s.vm)
            .map(|s| s.shown_name().to_string())
            .collect();
        // Where the count may be short of 4 cores per processor, say what was applied.
        let message = if moved.iter().any(|s| s.cores < 4 || (!s.vm && s.cores < 8)) {
            format!("{message}. Per core counts {SQL_MINIMUM_APPLIED}")
        } else {
            message
        };
        let message = if vms.is_empty() {
            message
        } else {
            format!(
                "{message}. Licensing {} per core needs Software Assurance or a subscription (SQL Server 2022 and later), which the price of the core packs here leaves out: the saving is before that cost",
                if vms.len() == 1 {
                    format!("the virtual machine {}", vms[0])
                } else {
                    format!("the virtual machines {}", list(&vms))
                }
            )
        };
        let mut f = finding(
            FindingKind::SqlPerCoreCheaper,
            severity,
            ids::SQL_CORE_MINIMUM,
            Some(CalProduct::SqlServer),
            message,
        );
        f.saving_minor = (saving > 0).then_some(saving);
        if !vms.is_empty() {
            f.rule = ids::SQL_PER_VM_NEEDS_SA.to_string();
            f.source = catalog::rule(ids::SQL_PER_VM_NEEDS_SA)
                .map(|r| r.source.to_string())
                .unwrap_or_default();
            f.saving_condition = Some(
                "before the Software Assurance or subscription that licensing a virtual machine per core needs"
                    .into(),
            );
        }
        out.push(f);
    }
    out
}

/// SQL Servers of one set to move to per core, and what it costs and saves.
struct PerCoreChoice<'a> {
    moved: Vec<&'a crate::estate::Server>,
    /// Per core for the servers moved.
    per_core: i64,
    /// Their server licences and the SQL CALs no longer needed.
    cals: i64,
    /// The SQL CALs no longer needed (of those who reach none of the servers kept) or no longer
    /// bought (`older`).
    freed: u64,
    /// Of `freed`, the CALs of people who still reach a server kept but whose owned SQL CALs,
    /// too old for a server moved, are enough for the ones kept.
    older: u64,
}

/// The servers of a Server+CAL set (`members`, whose `users` need SQL CALs) whose move to per
/// core saves most, if any saves: every choice for up to six servers, else all of them, each
/// alone and all but each one. `users_in` counts the SQL CALs the servers given need,
/// `bought_saved` the SQL CALs to buy that moving them saves given the versions owned; `prices`
/// are the server licence's and the SQL CAL's.
fn sql_per_core_choice<'a>(
    members: &[&'a crate::estate::Server],
    users: u64,
    users_in: &dyn Fn(&[usize]) -> u64,
    bought_saved: &dyn Fn(&[usize]) -> u64,
    per_core: impl Fn(&crate::estate::Server) -> i64,
    (server, cal): (i64, i64),
) -> Option<PerCoreChoice<'a>> {
    let n = members.len();
    if users == 0 || n == 0 {
        return None;
    }
    // All of them first, so a tie keeps the advice on the whole set.
    let choices: Vec<Vec<bool>> = if n <= 6 {
        (1u32..1 << n)
            .rev()
            .map(|m| (0..n).map(|i| m >> i & 1 == 1).collect())
            .collect()
    } else {
        let mut v = vec![vec![true; n]];
        v.extend((0..n).map(|i| (0..n).map(|j| j == i).collect()));
        v.extend((0..n).map(|i| (0..n).map(|j| j != i).collect()));
        v
    };
    let mut best: Option<(i64, PerCoreChoice<'a>)> = None;
    for choice in choices {
        // Places among `members`.
        let pick = |moved: bool| -> Vec<usize> { (0..n).filter(|&i| choice[i] == moved).collect() };
        let (moved, kept) = (pick(true), pick(false));
        let needed = if kept.is_empty() {
            users
        } else {
            users.saturating_sub(users_in(&kept))
        };
        // Those who keep needing a SQL CAL for a server kept may need an older one than they
        // are bought now, which they own: that purchase is saved too.
        let older = bought_saved(&moved)
            .saturating_sub(needed)
            .min(users.saturating_sub(needed));
        let freed = needed.saturating_add(older);
        let per_core_moved = moved
            .iter()
            .fold(0i64, |a, &i| a.saturating_add(per_core(members[i])));
        let cals = server
            .saturating_mul(moved.len() as i64)
            .saturating_add(i64::try_from(freed).unwrap_or(i64::MAX).saturating_mul(cal));
        let saving = cals.saturating_sub(per_core_moved);
        if freed > 0 && saving > 0 && best.as_ref().is_none_or(|(b, _)| saving > *b) {
            best = Some((
                saving,
                PerCoreChoice {
                    moved: moved.iter().map(|&i| members[i]).collect(),
                    per_core: per_core_moved,
                    cals,
                    freed,
                    older,
                },
            ));
        }
    }
    best.map(|(_, c)| c)
}

/// Sources are silent on whether a Windows Server External Connector licenses the base access of
/// external users who hold an additive User CAL (RDS, AD RMS): names the reading applied and how
/// many external users it concerns. Pricing the other reading on every edit would double the
/// evaluation of such estates; switching the reading shows its total at once instead.
fn external_additive_base(
    demand: &Demand,
    estate: &Estate,
    solution: &Solution,
) -> Option<Finding> {
    // The `either-subject` reading of an additive CAL's base answers this question too (the
    // host's base connector may be an external user's base): its own finding names it.
    if estate.organisation.readings.additive_base == AdditiveBase::EitherSubject {
        return None;
    }
    let inst = &demand.instance;
    // On pay-as-you-go hosts Windows Server access needs no CAL (§1.8): no base to read there
    // (review 13: "gives each of them … a Windows Server User CAL" where none was given).
    let licensed: &[usize] = inst
        .products
        .iter()
        .find(|p| p.product == CalProduct::WindowsServer)
        .map_or(&[], |p| p.licensed_hosts.as_slice());
    let mut classes = BTreeSet::new();
    for pr in inst.products.iter().filter(|p| p.base.is_some()) {
        classes.extend(
            pr.person_host
                .iter()
                .filter(|(_, h)| !licensed.contains(h))
                .map(|&(c, _)| c),
        );
        classes.extend(
            pr.rds_hosts
                .iter()
                .filter(|r| !licensed.contains(&r.host))
                .flat_map(|r| r.external_users(&inst.people)),
        );
    }
    classes.retain(|&c| inst.people.get(c).is_some_and(|p| p.external));
    if classes.is_empty() {
        return None;
    }
    // When nobody concerned holds an additive User CAL, the reading can matter only if, under
    // the other one, User CALs would undercut a host's additive External Connector: under the
    // connector reading the other one only dears the User CALs; under the literal one, n
    // external users on a host cost at least n additive User CALs against its connector, with
    // the base connector needed either way. No owned additive User CALs (they cost nothing)
    // and every price known, or the finding stays (review 20: it stood beside 150 external
    // users on connectors, where both readings cost $5,900.00).
    let additive_users = inst.products.iter().filter(|p| p.base.is_some()).any(|pr| {
        solution
            .products
            .iter()
            .find(|s| s.product == pr.product)
            .is_some_and(|s| {
                classes
                    .iter()
                    .any(|&c| s.user_cals_per_class.get(c).is_some_and(|&n| n > 0))
            })
    });
    let connectors_hold = || {
        inst.products.iter().filter(|p| p.base.is_some()).all(|pr| {
            let hosts: BTreeSet<usize> = pr
                .person_host
                .iter()
                .map(|&(_, h)| h)
                .chain(pr.rds_hosts.iter().map(|r| r.host))
                .filter(|h| !licensed.contains(h))
                .collect();
            // Owned additive connectors on every host, none bought: they cost nothing, so no
            // User CAL undercuts them under either reading (licensing review 41: the note stood
            // beside 100 partners on an owned RDS External Connector with no connector price).
            let owned_connectors = solution
                .products
                .iter()
                .find(|s| s.product == pr.product)
                .is_some_and(|s| {
                    s.buy_external_connectors == 0
                        && hosts.iter().all(|h| s.external_connector_hosts.contains(h))
                });
            if owned_connectors {
                return true;
            }
            let (Some(user), Some(ec)) = (pr.prices.user_cal, pr.prices.external_connector) else {
                return false;
            };
            pr.owned.user_cals == 0
                && hosts.into_iter().all(|h| {
                    let n: u64 = pr
                        .external_on(&inst.people, h)
                        .collect::<BTreeSet<_>>()
                        .into_iter()
                        .map(|c| u64::from(inst.people[c].multiplicity))
                        .sum();
                    n == 0 || i128::from(n) * i128::from(user) >= i128::from(ec)
                })
        })
    };
    let reading = estate.organisation.readings.external_additive_base;
    if !additive_users && (reading == ExternalAdditiveBase::ExternalConnector || connectors_hold())
    {
        return None;
    }
    let concerned: u64 = classes
        .iter()
        .map(|&c| u64::from(inst.people[c].multiplicity))
        .sum();
    let (rule, chosen, other) = match estate.organisation.readings.external_additive_base {
        ExternalAdditiveBase::BaseCal => (
            ids::EXT_ADDITIVE_BASE_CAL,
            "gives each of them with an additive User CAL a Windows Server User CAL (the base/additive rule read literally; one with RDS Device CALs for their own devices, on a per-device session host, is licensed for Windows Server by a User CAL or the host's External Connector)",
            "the host's Windows Server External Connector as their base",
        ),
        ExternalAdditiveBase::ExternalConnector => (
            ids::EXT_ADDITIVE_BASE_EC,
            "lets the Windows Server External Connector of the host they reach be their base",
            "a Windows Server User CAL for each of them",
        ),
    };
    Some(finding(
        FindingKind::SourcesDisagree,
        Severity::Info,
        rule,
        Some(CalProduct::WindowsServer),
        format!(
            "{} external users reach RDS or AD RMS, whose CALs are additive on the Windows Server CAL; sources do not say whether a Windows Server External Connector may be the base of an external user's additive CAL. The calculator {chosen}. To see the total of the other reading ({other}), choose it under \"Where sources disagree\" in detailed mode (in an estate file, among the readings: the external users' base)",
            thousands(concerned)
        ),
    ))
}

/// Unattended pools that name nobody who uses them get Windows Server Device CALs. If they are
/// networked printers or scanners, the CALs of the people who use them cover them (§1.8 item 8):
/// where the licensing gives people User CALs, says how to name them (the sample's 25 printers
/// cost 25 Device CALs beside 1,000 User CALs).
/// Groups with no devices of their own (`devices_each` 0) and no shared devices: the engine
/// assumes one device each. Where the licensing gives those assumed devices Device CALs, say
/// so: if the people use more devices, or devices nobody can count, User CALs are the safe
/// choice (review 19: 30 contractors got 30 Device CALs without a word).
fn devices_assumed(estate: &Estate, demand: &Demand, solution: &Solution) -> Vec<Finding> {
    let mut out = Vec::new();
    for g in estate.groups.iter().filter(|g| g.devices_each == 0) {
        if crate::rules::uses_shared_devices(estate, g) {
            continue;
        }
        let classes: Vec<usize> = demand
            .classes
            .iter()
            .enumerate()
            .filter(|(_, c)| c.group == g.id && !c.from_usage)
            .map(|(i, _)| i)
            .collect();
        let mut given: Vec<(CalProduct, u64)> = Vec::new();
        for p in &solution.products {
            let n: u64 = classes
                .iter()
                .filter_map(|&c| p.own_device_cals_per_class.get(c))
                .map(|&n| u64::from(n))
                .sum();
            if n > 0 {
                given.push((p.product, n));
            }
        }
        let Some(&(first, _)) = given.first() else {
            continue;
        };
        let cals: Vec<String> = given
            .iter()
            .map(|&(p, n)| {
                format!(
                    "{} {}",
                    thousands(n),
                    catalog::licence_name(p, "", LicenceKind::DeviceCal, n)
                )
            })
            .collect();
        out.push(finding(
            FindingKind::DevicesAssumed,
            Severity::Warning,
            ids::CAL_MIX_ALLOWED,
            Some(first),
            format!(
                "{}: no devices of their own and no shared devices are entered, so one device each is assumed, and the cheapest licensing gives those assumed devices {}. If they use more than one device each, or devices you cannot count, User CALs are the safe choice (a User CAL covers its person on any device): enter their devices (\"Own devices each\" in detailed mode, or a shared pool they use; in an estate file, devices_each) to see the licensing for them",
                g.shown_name(),
                list_all(&cals)
            ),
        ));
    }
    out
}

/// The ids of the groups with people in them. A pool whose `shared_by` names none of them has
/// no users: a group of nobody (count 0) names no one, as if it were not listed (a metamorphic
/// review: such a group made kiosks look used and printers' users named).
fn peopled_groups(estate: &Estate) -> BTreeSet<&str> {
    estate
        .groups
        .iter()
        .filter(|g| g.count > 0)
        .map(|g| g.id.as_str())
        .collect()
}

/// Shared devices no group is named as using reach no server, so no CAL is counted for them;
/// say so, or kiosks typed before their users vanish from the count without a word (pre-sales
/// review 23: 10 kiosks beside 120 employees).
fn shared_devices_unused(estate: &Estate) -> Vec<Finding> {
    let peopled = peopled_groups(estate);
    estate
        .shared_devices
        .iter()
        .filter(|d| {
            !d.unattended
                && d.count > 0
                && !d.shared_by.iter().any(|g| peopled.contains(g.as_str()))
        })
        .map(|d| {
            finding(
                FindingKind::SharedDevicesUnused,
                Severity::Warning,
                ids::CAL_REQUIRED,
                None,
                format!(
                    "{}: {} shared {} that nobody is named as using, so they reach no server and no CAL is counted for them. If people work at them, name their group (\"People who only use shared devices\" in quick mode, \"Used by\" under the pool in detailed mode; in an estate file, its shared_by)",
                    d.shown_name(),
                    thousands(u64::from(d.count)),
                    if d.count == 1 { "device" } else { "devices" }
                ),
            )
        })
        .collect()
}

fn printers_without_users(estate: &Estate, solution: &Solution) -> Vec<Finding> {
    let Some(ws) = solution
        .products
        .iter()
        .find(|p| p.product == CalProduct::WindowsServer)
    else {
        return Vec::new();
    };
    if ws.user_cals_per_class.iter().all(|&n| n == 0) {
        return Vec::new();
    }
    let peopled = peopled_groups(estate);
    estate
        .shared_devices
        .iter()
        .enumerate()
        .filter(|(_, p)| {
            p.unattended
                && !p.network
                && !p.shared_by.iter().any(|g| peopled.contains(g.as_str()))
        })
        .filter_map(|(d, p)| {
            let n = u64::from(*ws.device_cals_per_class.get(d)?);
            (n > 0).then(|| {
                finding(
                    FindingKind::UnattendedUsersUnnamed,
                    Severity::Info,
                    ids::CAL_PRINTER_USERS,
                    Some(CalProduct::WindowsServer),
                    format!(
                        "{}: {} Windows Server Device {}, as nobody is named as using them. If they are networked printers or scanners, they need none where the people who use them hold User CALs: name those groups under the pool (\"Printing or scanning for\" in detailed mode; in an estate file, its shared_by)",
                        p.shown_name(),
                        thousands(n),
                        if n == 1 { "CAL" } else { "CALs" }
                    ),
                )
            })
        })
        .collect()
}

/// Microsoft's texts give Microsoft 365 E3 users the Exchange, SharePoint and Skype for Business
/// Enterprise CAL rights; practitioners' shorthand (E3 ≈ Core CAL Suite) does not (review 14 #9).
/// Where E3 users need one of those CALs, names the reading applied and where to switch.
fn m365_e3_rights(demand: &Demand, estate: &Estate, position: &Position) -> Option<Finding> {
    let first = *demand.m365_e3_enterprise.first()?;
    let names: Vec<String> = demand
        .m365_e3_enterprise
        .iter()
        .map(|&p| catalog::label(p).to_string())
        .collect();
    let (rule, chosen) = match estate.organisation.readings.m365_e3_rights {
        M365E3Rights::StandardAndEnterprise => (
            ids::M365_E3_STANDARD_ENTERPRISE,
            "The calculator lets their E3 seats cover this need (Microsoft's texts: a user of the Online Plan 2 services in E3 may access the Standard and Enterprise CAL features on premises). A shorthand of SAM practitioners reads E3 as the Core CAL Suite only; to see the total under it, choose \"Core CAL Suite only\"",
        ),
        M365E3Rights::CoreCalSuite => (
            ids::M365_E3_CORE,
            "The calculator asks them to hold these CALs (the practitioners' shorthand E3 ≈ Core CAL Suite, chosen in this estate). Microsoft's texts give E3 users these Enterprise CAL rights; to see the total under them, choose \"Standard and Enterprise CALs\"",
        ),
    };
    // Owned Enterprise CALs shown as surplus because E3 covers those users would be in use
    // under the other reading (review 15 #9): say so before anyone lets their SA lapse.
    let idle: u64 = position
        .rows
        .iter()
        .filter(|r| demand.m365_e3_enterprise.contains(&r.product))
        .map(|r| r.surplus)
        .sum();
    let keep = if idle > 0
        && estate.organisation.readings.m365_e3_rights == M365E3Rights::StandardAndEnterprise
    {
        format!(
            ". Of the owned Enterprise CALs shown as surplus, up to {} would be in use under the other reading: keep them, and their Software Assurance, until you have settled which applies",
            thousands(idle)
        )
    } else {
        String::new()
    };
    Some(finding(
        FindingKind::SourcesDisagree,
        Severity::Info,
        rule,
        Some(first),
        format!(
            "Microsoft 365 E3 users need the {}. {chosen} under \"Where sources disagree\" in detailed mode (in an estate file, among the readings: Microsoft 365 E3 rights){keep}",
            list_all(&names)
        ),
    ))
}

/// A networked printer or scanner needs a Device CAL unless the CALs of its users cover it (§1.8
/// item 8); Microsoft's Product Terms make E3/E5 CAL equivalent licences, practitioners read the
/// equivalency as per user, covering no shared device (§1.13). Where an unattended pool's users
/// cover it only with Microsoft 365 rights, names the reading applied, the Device CALs it decides
/// and where to switch (review 18).
fn m365_printers(demand: &Demand, estate: &Estate, solution: &Solution) -> Option<Finding> {
    let first = *demand.m365_printers.first()?.1.first()?;
    let pools: Vec<&crate::estate::SharedDevices> = demand
        .m365_printers
        .iter()
        .filter_map(|(k, _)| estate.shared_devices.get(*k))
        .collect();
    let names: Vec<String> = pools.iter().map(|p| p.shown_name().to_string()).collect();
    let devices: u64 = pools.iter().map(|p| u64::from(p.count)).sum();
    // Per product, the Device CALs the pools need where Microsoft 365 rights do not cover them.
    let mut products: Vec<CalProduct> = demand
        .m365_printers
        .iter()
        .flat_map(|(_, ps)| ps.iter().copied())
        .collect();
    products.sort_unstable();
    products.dedup();
    // The Device CALs the licensing already gives these pools (a pool is the device class of
    // its index): where some of their users are licensed by Device CALs at their desks rather
    // than by User CALs or seats, the printers get Device CALs under either reading (review 19:
    // clerks without a seat; the finding said "they need no Device CALs" beside the 4 bought).
    let given = |product: CalProduct, k: usize| -> u64 {
        solution
            .products
            .iter()
            .find(|p| p.product == product)
            .and_then(|p| p.device_cals_per_class.get(k))
            .map_or(0, |&n| u64::from(n))
    };
    let mut cals: Vec<String> = Vec::new();
    let mut already: Vec<String> = Vec::new();
    for &product in &products {
        let (mut n, mut got) = (0u64, 0u64);
        for (k, ps) in &demand.m365_printers {
            if !ps.contains(&product) {
                continue;
            }
            let count = estate
                .shared_devices
                .get(*k)
                .map_or(0, |p| u64::from(p.count));
            n += count;
            got += given(product, *k).min(count);
        }
        let name = |n: u64| {
            format!(
                "{} {}",
                thousands(n),
                catalog::licence_name(product, "", LicenceKind::DeviceCal, n)
            )
        };
        match estate.organisation.readings.m365_printers {
            M365Printers::CoveredByUsers if got > 0 => {
                already.push(name(got));
                if n > got {
                    cals.push(format!("{} more", name(n - got)));
                }
            }
            _ => cals.push(name(n)),
        }
    }
    let (rule, chosen) = match estate.organisation.readings.m365_printers {
        M365Printers::CoveredByUsers if cals.is_empty() => (
            ids::M365_PRINTERS_COVERED,
            format!(
                "The calculator lets their seats cover them as User CALs would (Microsoft's Product Terms make E3 and E5 CAL equivalent licences); practitioners' guidance reads the equivalency as per user, covering no shared device. Here the reading changes nothing: the printers get {} anyway, because some of the people who use them are licensed by Device CALs rather than by User CALs or seats. The reading can be chosen",
                list_all(&already)
            ),
        ),
        M365Printers::CoveredByUsers => (
            ids::M365_PRINTERS_COVERED,
            format!(
                "The calculator lets their seats cover them as User CALs would (Microsoft's Product Terms make E3 and E5 CAL equivalent licences), so they need {}. Practitioners' guidance reads the equivalency as per user, covering no shared device: under it they need {}. To see the total under it, choose \"Device CALs\"",
                if already.is_empty() {
                    "no Device CALs".to_string()
                } else {
                    format!("only the {} the licensing gives them for people licensed by Device CALs", list_all(&already))
                },
                list_all(&cals)
            ),
        ),
        M365Printers::DeviceCals => (
            ids::M365_PRINTERS_DEVICE_CALS,
            format!(
                "The calculator asks {} for them (practitioners' reading, chosen in this estate: Microsoft 365 rights are per user and cover no shared device). Microsoft's Product Terms make E3 and E5 CAL equivalent licences, under which the users' seats cover them as User CALs would; to see the total under it, choose \"Covered by the users' seats\"",
                list_all(&cals)
            ),
        ),
    };
    Some(finding(
        FindingKind::SourcesDisagree,
        Severity::Info,
        rule,
        Some(first),
        format!(
            "{}: {} (unattended, used by Microsoft 365 users). Sources disagree whether Microsoft 365 seats count as the users' CALs that cover them. {chosen} under \"Where sources disagree\" in detailed mode (in an estate file, among the readings: Microsoft 365 users' printers)",
            list_all(&names),
            if devices == 1 {
                "1 networked printer or scanner".to_string()
            } else {
                format!("{} networked printers or scanners", thousands(devices))
            }
        ),
    ))
}

/// Sources say an additive CAL is needed "in addition to the Base CAL" (§1.11) but not whether a
/// user's base CAL and a device's additive CAL combine. The optimiser asks the base for the same
/// device: where base Device CALs are in the licensing only for that (every person who uses the
/// device holds the base another way: User CALs, Microsoft 365 or an exemption), a note names the
/// reading and what it costs (review 14: E3 users at RDS per-device terminals, 10 Windows Server
/// Device CALs bought although the rule's source does not ask them).
fn additive_base_same_subject(
    demand: &Demand,
    solution: &Solution,
    currency: &str,
) -> Option<Finding> {
    let inst = &demand.instance;
    // Per base product: base Device CALs that serve only as a base, the devices, the additives
    // and the base Device CALs bought.
    type OnlyBase = (CalProduct, u64, BTreeSet<String>, VecSet<CalProduct>, u64);
    let mut only_base: Vec<OnlyBase> = Vec::new();
    for (base, sb, additives) in bases_and_additives(demand, solution) {
        let (mut n, mut devices, mut names) = (0u64, BTreeSet::new(), VecSet::new());
        // Of a per-class list (`of`: shared devices' or people's own), at place `i`: the most
        // Device CALs an additive product holds there, and the additives that hold any.
        let additive_held = |of: fn(&ProductSolution) -> &[u32], i: usize| {
            let at = |s: &ProductSolution| u64::from(of(s).get(i).copied().unwrap_or(0));
            let most = additives.iter().map(|(_, s)| at(s)).max().unwrap_or(0);
            let holding: Vec<CalProduct> = (additives.iter())
                .filter(|(_, s)| at(s) > 0)
                .map(|(k, _)| inst.products[*k].product)
                .collect();
            (most, holding)
        };
        for (v, class) in inst.devices.iter().enumerate() {
            let held = u64::from(shared_device_cals(sb).get(v).copied().unwrap_or(0));
            let (needed_by_additive, holding) = additive_held(shared_device_cals, v);
            // The device's own access to the base product: a person using it without the
            // base User CAL needs the Device CAL anyway.
            let own_need = base.unattended_devices.contains(&v)
                || base.person_device.iter().any(|&(p, d)| {
                    d == v
                        && sb.user_cals_per_class.get(p).copied().unwrap_or(0)
                            < inst.people.get(p).map_or(0, |c| c.multiplicity)
                });
            if held == 0 || needed_by_additive == 0 || own_need {
                continue;
            }
            n += held.min(needed_by_additive);
            devices.insert(class.label.clone());
            names.extend(holding);
        }
        // The same for people's own devices (ELP review 42: the sample's 180 Windows Server
        // Device CALs on the Microsoft 365 managers' own devices, $7,200, were not named: only
        // shared devices were looked at). A class that reaches the base product itself needs the
        // Device CALs anyway.
        for &p in &base.base_only_own {
            if base.people.contains(&p) {
                continue;
            }
            // Counted per person: each holds Device CALs on all their own devices (0 read as 1).
            let each = inst
                .people
                .get(p)
                .map_or(1, |c| u64::from(c.own_devices.max(1)));
            let held = u64::from(own_device_cals(sb).get(p).copied().unwrap_or(0));
            let (needed_by_additive, holding) = additive_held(own_device_cals, p);
            if held == 0 || needed_by_additive == 0 {
                continue;
            }
            n += held.min(needed_by_additive).saturating_mul(each);
            if let Some(class) = inst.people.get(p) {
                devices.insert(format!("the own devices of {}", class.label));
            }
            names.extend(holding);
        }
        if n > 0 {
            only_base.push((base.product, n, devices, names, sb.buy_device_cals));
        }
    }
    let (base, n, devices, additives, bought) = only_base.into_iter().max_by_key(|x| x.1)?;
    let (additive_names, cost) = only_base_words(
        demand,
        base,
        LicenceKind::DeviceCal,
        &additives,
        (n, bought),
        currency,
    );
    Some(finding(
        FindingKind::SourcesDisagree,
        Severity::Info,
        ids::ADDITIVE_BASE_SAME_SUBJECT,
        Some(base),
        format!(
            "{} {} for {} are in the licensing only as the base of their {}: everyone who uses these devices already holds {} rights another way (User CALs, Microsoft 365 or an exemption). Microsoft's guidance asks an additive CAL \"in addition to the Base CAL\" without saying whether a user's base and a device's additive CAL combine; the calculator asks the base for the same device, the reading that cannot fall short. If yours is that they combine, these are not needed{cost}: choose that reading under \"Where sources disagree\" in detailed mode (in an estate file, the readings' additive_base: either-subject) to see its total",
            thousands(n),
            catalog::licence_name(base, "", LicenceKind::DeviceCal, n),
            list(&devices.into_iter().collect::<Vec<_>>()),
            list_all(&additive_names),
            catalog::short_name(base),
        ),
    ))
}

/// Under the `either-subject` reading (the user's choice, not the default), names it beside the
/// additive products it was read for: it never costs more than the default and can fall short
/// if an auditor asks the base of the same user or device.
fn additive_base_any_subject(demand: &Demand) -> Option<Finding> {
    let inst = &demand.instance;
    let mut by_base: VecMap<CalProduct, VecSet<CalProduct>> = VecMap::new();
    for (k, pr) in inst.products.iter().enumerate() {
        // Where the demand applied the reading (not where nothing reaches the product, nor RDS
        // reached only on pay-as-you-go hosts, which asks no base).
        let applied = (demand.products.iter()).any(|pd| {
            pd.product == pr.product && pd.rules.contains(&ids::ADDITIVE_BASE_ANY_SUBJECT)
        });
        if !pr.base_any_subject || !applied {
            continue;
        }
        if let Some(b) = inst.base_of(k) {
            by_base
                .entry(inst.products[b].product)
                .or_default()
                .insert(pr.product);
        }
    }
    let (&base, _) = by_base.iter().next()?;
    let additives: Vec<String> = (by_base.values().flatten())
        .map(|&p| catalog::short_name(p).to_string())
        .collect();
    let bases: Vec<String> = by_base
        .keys()
        .map(|&b| catalog::short_name(b).to_string())
        .collect();
    Some(finding(
        FindingKind::SourcesDisagree,
        Severity::Info,
        ids::ADDITIVE_BASE_ANY_SUBJECT,
        Some(base),
        format!(
            "The {} CALs are additive on the {} {}. Microsoft's guidance asks an additive CAL \"in addition to the Base CAL\" without saying whether both must be held by the same user or device. As chosen under \"Where sources disagree\", the calculator lets the other subject hold the base: a user's base User CAL beneath a device's additive Device CAL, a device's base Device CAL beneath a user's additive User CAL, and a host's base External Connector beneath an external user's additive User CAL. Every access to the base product is still licensed.{}",
            list_all(&additives),
            list_all(&bases),
            if bases.len() == 1 { "CAL" } else { "CALs" },
            ANY_SUBJECT_UNCOMPARED,
        ),
    ))
}

/// How [`additive_base_any_subject`]'s note ends before the default reading is priced beside it
/// ([`compare_with_the_default_reading`]).
const ANY_SUBJECT_UNCOMPARED: &str = " This never costs more than the default reading, and can fall short if an auditor asks the base of the same user or device; choose that reading to see its total";

/// The either-subject note with what the default reading comes to for the same estate (`this`,
/// the report under the reading chosen; `default`, the report under the default), so the user
/// sees what the choice is worth without switching back. Where either purchase leaves an
/// unpriced licence out the totals do not compare, and the note stays as it was.
pub(crate) fn compare_with_the_default_reading(
    note: &mut Finding,
    this: &Report,
    default: &Report,
    currency: &str,
) {
    let Some((body, ours, theirs, found)) =
        totals_to_compare(note, ANY_SUBJECT_UNCOMPARED, this, default)
    else {
        return;
    };
    let tail = match theirs.cmp(&ours) {
        std::cmp::Ordering::Greater => format!(
            " Under the default reading the purchase comes to {}, {} more{found}. This reading can fall short if an auditor asks the base of the same user or device",
            money(theirs, currency),
            money(theirs - ours, currency),
        ),
        std::cmp::Ordering::Equal => format!(
            " Under the default reading the purchase comes to the same {}{found}: here the choice changes nothing that is bought",
            money(theirs, currency),
        ),
        // Only where a search stopped short: the default's licensing is valid under this reading
        // too, so the user can buy it.
        std::cmp::Ordering::Less => format!(
            " The default reading's search found a purchase of {}, {} less than this one, which this reading allows too{found}",
            money(theirs, currency),
            money(ours - theirs, currency),
        ),
    };
    note.message = format!("{body}{tail}");
}

/// Pools of network equipment that authenticate to servers (cal-rules §4.2 item 8: whether they
/// need Device CALs "is debated"): the reading applied, the devices and the products, under either
/// reading. The engine adds what the other reading comes to ([`compare_with_the_other_network_reading`]).
fn network_equipment(demand: &Demand, estate: &Estate) -> Option<Finding> {
    let (mut devices, mut names, mut products) = (0u64, Vec::new(), VecSet::new());
    for (k, reached) in &demand.network_pools {
        let Some(pool) = estate.shared_devices.get(*k) else {
            continue;
        };
        if pool.count == 0 || reached.is_empty() {
            continue;
        }
        devices += u64::from(pool.count);
        names.push(pool.shown_name().to_string());
        products.extend(reached.iter().copied());
    }
    let &first = products.iter().next()?;
    let servers: Vec<String> = (products.iter())
        .map(|&p| catalog::short_name(p).to_string())
        .collect();
    let what = format!(
        "{} of network equipment ({}) {} to {} servers",
        if devices == 1 {
            "1 device".to_string()
        } else {
            format!("{} devices", thousands(devices))
        },
        list_all(&names),
        if devices == 1 {
            "authenticates"
        } else {
            "authenticate"
        },
        list_all(&servers),
    );
    let debate = "Whether network equipment needs Device CALs is debated: the servers' licence terms ask a CAL of every device that accesses the server software; the other view is that switches, access points and firewalls only pass on the access of users and devices that hold their own CALs.";
    let (rule, message) = match estate.organisation.readings.network_equipment {
        NetworkEquipment::DeviceCals => (
            ids::NETWORK_DEVICE_CALS,
            format!(
                "{what}: each gets a Device CAL for {}, the reading that cannot fall short. {debate} If yours is the other view, choose it under \"Where sources disagree\" in detailed mode (in an estate file, the readings' network_equipment: not-counted){NETWORK_UNCOMPARED}",
                list_all(&servers)
            ),
        ),
        NetworkEquipment::NotCounted => (
            ids::NETWORK_NOT_COUNTED,
            format!(
                "{what}: as chosen under \"Where sources disagree\", they get no Device CALs. {debate} This reading can fall short if an auditor reads the licence terms literally{NETWORK_UNCOMPARED}"
            ),
        ),
    };
    Some(finding(
        FindingKind::SourcesDisagree,
        Severity::Info,
        rule,
        Some(first),
        message,
    ))
}

/// A reading's note and the totals to set beside each other: the note's words before how it
/// ends uncompared (`uncompared`), this report's total, the other reading's, and what to add
/// when not both are proven. `None` when the note was compared already, or where either purchase
/// leaves an unpriced licence out (the totals then do not compare).
fn totals_to_compare(
    note: &Finding,
    uncompared: &str,
    this: &Report,
    other: &Report,
) -> Option<(String, i64, i64, &'static str)> {
    let priced = |r: &Report| !(r.recommendation.lines.iter()).any(|l| l.price_missing);
    let body = note.message.strip_suffix(uncompared)?;
    if !(priced(this) && priced(other)) {
        return None;
    }
    let found = if this.recommendation.exact && other.recommendation.exact {
        ""
    } else {
        " (as found: not both proven least)"
    };
    Some((
        body.to_string(),
        this.recommendation.total_minor,
        other.recommendation.total_minor,
        found,
    ))
}

/// How [`network_equipment`]'s note ends before the other reading is priced beside it.
const NETWORK_UNCOMPARED: &str = "; switch the reading to see its total";

/// The network equipment note with what the other reading comes to for the same estate
/// (`other`, its report), as the either-subject note has the default's. Where either purchase
/// leaves an unpriced licence out the totals do not compare, and the note stays as it was.
pub(crate) fn compare_with_the_other_network_reading(
    note: &mut Finding,
    this: &Report,
    other: &Report,
    currency: &str,
) {
    let Some((body, ours, theirs, found)) =
        totals_to_compare(note, NETWORK_UNCOMPARED, this, other)
    else {
        return;
    };
    let which = if note.rule == ids::NETWORK_DEVICE_CALS {
        "the other reading"
    } else {
        "the default reading"
    };
    let tail = match theirs.cmp(&ours) {
        std::cmp::Ordering::Equal => format!(
            ": under {which} the purchase comes to the same {}{found}",
            money(theirs, currency)
        ),
        std::cmp::Ordering::Greater => format!(
            ": under {which} the purchase comes to {}, {} more{found}",
            money(theirs, currency),
            money(theirs - ours, currency)
        ),
        std::cmp::Ordering::Less => format!(
            ": under {which} the purchase comes to {}, {} less{found}",
            money(theirs, currency),
            money(ours - theirs, currency)
        ),
    };
    note.message = format!("{body}{tail}");
}

/// The mirror of [`additive_base_same_subject`] (review 19): base User CALs in the licensing only
/// as the base of the same people's additive User CALs, where every device those people use
/// holds the base product's Device CAL, or could with owned Device CALs that lie idle. Under the
/// reading that a device's base and a user's additive CAL combine, they are not needed.
fn additive_base_same_subject_users(
    demand: &Demand,
    solution: &Solution,
    currency: &str,
) -> Option<Finding> {
    let inst = &demand.instance;
    // Per base product: the base User CALs that serve only as a base, their classes, the
    // additive products and the idle owned Device CALs that would take their place.
    type OnlyBase = (CalProduct, u64, Vec<String>, VecSet<CalProduct>, u64, u64);
    let mut best: Option<OnlyBase> = None;
    for (base, sb, additives) in bases_and_additives(demand, solution) {
        if additives.is_empty() {
            continue;
        }
        // Owned base Device CALs the licensing leaves unused (owned ones are used first).
        let used_owned = sb.device_cals.saturating_sub(sb.buy_device_cals);
        let mut idle = base.owned.device_cals.saturating_sub(used_owned);
        let (mut n, mut names, mut kinds) = (0u64, Vec::new(), VecSet::new());
        let mut pools_taken: BTreeSet<usize> = BTreeSet::new();
        for (p, class) in inst.people.iter().enumerate() {
            let held = u64::from(sb.user_cals_per_class.get(p).copied().unwrap_or(0));
            let needed_by_additive = additives
                .iter()
                .filter(|(k, _)| inst.products[*k].additive_needs_base_user(&inst.people, p))
                .map(|(_, s)| u64::from(s.user_cals_per_class.get(p).copied().unwrap_or(0)))
                .max()
                .unwrap_or(0);
            // Access that only a User CAL or a connector licenses (external people at hosts).
            let person_only = base.person_host.iter().any(|&(c, _)| c == p);
            if held == 0 || needed_by_additive == 0 || person_only {
                continue;
            }
            // The devices these people use that hold no base Device CAL yet.
            let mult = u64::from(class.multiplicity);
            let mut unlicensed = 0u64;
            if base.people.contains(&p) {
                let own = u64::from(class.own_devices.max(1));
                let licensed = u64::from(sb.own_device_cals_per_class.get(p).copied().unwrap_or(0));
                unlicensed += mult.saturating_sub(licensed) * own;
            }
            let mut pools = BTreeSet::new();
            for &(c, v) in &base.person_device {
                if c == p && !pools_taken.contains(&v) && pools.insert(v) {
                    let m = inst.devices.get(v).map_or(0, |d| u64::from(d.multiplicity));
                    let licensed = u64::from(sb.device_cals_per_class.get(v).copied().unwrap_or(0));
                    unlicensed += m.saturating_sub(licensed);
                }
            }
            if unlicensed > idle {
                continue;
            }
            idle -= unlicensed;
            pools_taken.extend(pools);
            n += held.min(needed_by_additive);
            names.push(class.label.clone());
            kinds.extend(
                additives
                    .iter()
                    .filter(|(_, s)| s.user_cals_per_class.get(p).is_some_and(|&c| c > 0))
                    .map(|(k, _)| inst.products[*k].product),
            );
        }
        let idle_used = base.owned.device_cals.saturating_sub(used_owned) - idle;
        if n > 0 && best.as_ref().is_none_or(|x| n > x.1) {
            best = Some((base.product, n, names, kinds, idle_used, sb.buy_user_cals));
        }
    }
    let (base, n, names, additives, idle_used, bought) = best?;
    let (additive_names, cost) = only_base_words(
        demand,
        base,
        LicenceKind::UserCal,
        &additives,
        (n, bought),
        currency,
    );
    let devices = if idle_used > 0 {
        format!(
            "every device they use holds a {} Device CAL, or can with {} owned {} that lie idle",
            catalog::short_name(base),
            thousands(idle_used),
            catalog::licence_name(base, "", LicenceKind::DeviceCal, idle_used),
        )
    } else {
        format!(
            "every device they use holds a {} Device CAL already",
            catalog::short_name(base)
        )
    };
    Some(finding(
        FindingKind::SourcesDisagree,
        Severity::Info,
        ids::ADDITIVE_BASE_SAME_SUBJECT,
        Some(base),
        format!(
            "{} {} for {} are in the licensing only as the base of their {}: {devices}. Microsoft's guidance asks an additive CAL \"in addition to the Base CAL\" without saying whether a device's base and a user's additive CAL combine; the calculator asks the base for the same user, the reading that cannot fall short. If yours is that they combine, these are not needed{cost}: choose that reading under \"Where sources disagree\" in detailed mode (in an estate file, the readings' additive_base: either-subject) to see its total",
            thousands(n),
            catalog::licence_name(base, "", LicenceKind::UserCal, n),
            if names.len() <= 4 { list_all(&names) } else { list(&names) },
            list_all(&additive_names),
        ),
    ))
}

/// A base product's instance and solution, and the additive products based on it (index into
/// the instance's products) with their solutions.
type BaseAndAdditives<'a> = (
    &'a crate::optimise::ProductInstance,
    &'a crate::optimise::ProductSolution,
    Vec<(usize, &'a crate::optimise::ProductSolution)>,
);

/// A product's Device CALs per shared device class.
fn shared_device_cals(s: &ProductSolution) -> &[u32] {
    &s.device_cals_per_class
}

/// A product's Device CALs on people's own devices, per person class (people, not devices).
fn own_device_cals(s: &ProductSolution) -> &[u32] {
    &s.own_device_cals_per_class
}

/// For the same-subject findings: every product of the instance that has a solution, with the
/// additives based on it.
fn bases_and_additives<'a>(
    demand: &'a Demand,
    solution: &'a Solution,
) -> Vec<BaseAndAdditives<'a>> {
    let inst = &demand.instance;
    let of = |p: CalProduct| solution.products.iter().find(|s| s.product == p);
    inst.products
        .iter()
        .enumerate()
        .filter_map(|(b, base)| {
            let sb = of(base.product)?;
            // Under the `either-subject` reading no base is held only for an additive one.
            let additives = (0..inst.products.len())
                .filter(|&k| inst.base_of(k) == Some(b) && !inst.products[k].base_any_subject)
                .filter_map(|k| of(inst.products[k].product).map(|s| (k, s)))
                .collect();
            Some((base, sb, additives))
        })
        .collect()
}

/// For the same-subject findings: the additive licences' names ("RDS User CALs") and what the
/// `n` base licences of `kind` cost (", up to $6,300.00 of the purchase"; empty when unpriced).
fn only_base_words(
    demand: &Demand,
    base: CalProduct,
    kind: LicenceKind,
    additives: &VecSet<CalProduct>,
    (n, bought): (u64, u64),
    currency: &str,
) -> (Vec<String>, String) {
    let names = additives
        .iter()
        .map(|&a| catalog::licence_name(a, "", kind, 2))
        .collect();
    // Only the bought ones are in the purchase (licensing review 41: 10 owned Windows Server
    // User CALs were "up to $450.00 of the purchase", which bought none of them).
    let bought = n.min(bought);
    let cost = if bought == 0 {
        if n == 1 {
            ", though it is owned, not bought".to_string()
        } else {
            ", though they are owned, not bought".to_string()
        }
    } else {
        let part = demand.prices.get(base, kind).map(|p| {
            money(
                p.saturating_mul(i64::try_from(bought).unwrap_or(i64::MAX)),
                currency,
            )
        });
        match (bought == n, part) {
            (true, Some(cost)) => format!(", up to {cost} of the purchase"),
            (true, None) => String::new(),
            (false, Some(cost)) => format!(
                ", up to {} of them bought, {cost} of the purchase (the others are owned)",
                thousands(bought)
            ),
            (false, None) => format!(
                ", up to {} of them bought (the others are owned)",
                thousands(bought)
            ),
        }
    };
    (names, cost)
}

/// Owned lots (name, quantity, kind) in words: whom they license ("these users", "these
/// devices", "these users and devices") and what they are, per name when there are several
/// (QA: "490 owned" read as a miscount of 450 CALs and 40 suites).
fn lots_in_words(lots: &[(&str, u64, LicenceKind)]) -> (&'static str, String) {
    let n: u64 = lots.iter().map(|l| l.1).sum();
    let names: VecSet<&str> = lots.iter().map(|l| l.0).collect();
    let holders = match (
        lots.iter().any(|l| l.2 == LicenceKind::UserCal),
        lots.iter().any(|l| l.2 == LicenceKind::DeviceCal),
    ) {
        (true, false) => "these users",
        (false, true) => "these devices",
        _ => "these users and devices",
    };
    let what = if names.len() == 1 {
        format!(
            "{} owned {} {}",
            thousands(n),
            names.iter().next().copied().unwrap_or_default(),
            if n == 1 { "licence" } else { "licences" }
        )
    } else {
        format!(
            "{} owned licences ({})",
            thousands(n),
            list(
                &names
                    .iter()
                    .map(|name| {
                        let q: u64 = lots.iter().filter(|l| l.0 == *name).map(|l| l.1).sum();
                        format!("{} {name}", thousands(q))
                    })
                    .collect::<Vec<_>>()
            )
        )
    };
    (holders, what)
}

/// Skype for Business Server SE is not among the releases that need active SA ([`catalog::SA_ONLY`]):
/// the domain reference has no source for it. Where that decides coverage (owned Skype CALs or
/// suites that count as SE only through an SA that has since ended), a note says the verdict
/// rests on it (review 14: Exchange SE in the same case is critical, Skype SE said nothing).
fn skype_se_sa_unchecked(estate: &Estate, demand: &Demand) -> Option<Finding> {
    let family = Family::Skype;
    let se = catalog::cal_version(family, "SE")?;
    demand
        .products
        .iter()
        .any(|p| p.family == family && p.max_rank >= se.rank)
        .then_some(())?;
    let (mut cals, mut suites) = (0u64, 0u64);
    for h in estate
        .holdings
        .iter()
        .filter(|h| matches!(h.kind, LicenceKind::UserCal | LicenceKind::DeviceCal))
    {
        let sa = h.software_assurance.as_ref();
        if sa.and_then(|s| s.until).is_none_or(|u| u >= demand.today) {
            continue;
        }
        if catalog::is_suite(h.product) {
            if catalog::suite_rank(family, sa, demand.today) >= se.rank {
                suites += u64::from(h.quantity);
            }
        } else if catalog::product(h.product).family == Some(family)
            && catalog::effective_cal_rank(family, &h.version, sa, demand.today)
                .is_some_and(|r| r >= se.rank)
        {
            cals += u64::from(h.quantity);
        }
    }
    let n = cals + suites;
    let what = match (cals, suites) {
        (c, 0) => format!(
            "{} owned Skype for Business CAL{}",
            thousands(c),
            if c == 1 { "" } else { "s" }
        ),
        (0, s) => format!(
            "{} owned CAL Suite{}",
            thousands(s),
            if s == 1 { "" } else { "s" }
        ),
        (c, s) => format!(
            "{} owned Skype for Business CALs and CAL Suites",
            thousands(c + s)
        ),
    };
    (n > 0).then(|| {
        finding(
            FindingKind::SkypeSeSaUnchecked,
            Severity::Info,
            ids::SE_NEEDS_ACTIVE_SA,
            Some(CalProduct::SkypeStandard),
            format!(
                "{what} count{} as covering Skype for Business Server SE through Software Assurance that has since ended. Exchange Server SE and SharePoint Server SE are licensed only while SA is active; whether Skype for Business Server SE is too has no source in this calculator's reference, so it is not applied here: if it is, {} as 2019 CALs and {} not cover your SE servers",
                if n == 1 { "s" } else { "" },
                if n == 1 { "it counts" } else { "they count" },
                if n == 1 { "does" } else { "do" },
            ),
        )
    })
}

/// Licences whose Software Assurance starts after the date of the count (review 45): on that
/// date it gives no rights. A CAL Suite, sold only with SA and licensed by its coverage, is
/// taken to be bought after the count and not counted (`rules::owned_on`); a CAL counts at its
/// own version, and an Exchange or SharePoint SE CAL as the release before SE, which needs
/// active SA. A warning where suites are left out, else a note. Read from the estate as entered.
pub(crate) fn sa_not_started(estate: &Estate, today: Date) -> Option<Finding> {
    let mut suites: Vec<String> = Vec::new();
    let mut cals: Vec<String> = Vec::new();
    let mut first: Option<CalProduct> = None;
    let mut se = false;
    for h in (estate.holdings.iter()).filter(|h| {
        h.quantity > 0
            && matches!(h.kind, LicenceKind::UserCal | LicenceKind::DeviceCal)
            && crate::rules::sa_not_started(h, today)
    }) {
        let q = u64::from(h.quantity);
        let since = h.software_assurance.as_ref().map(|sa| sa.since);
        let lot = format!(
            "{} {} (SA from {})",
            thousands(q),
            catalog::licence_name(h.product, &h.version, h.kind, q),
            since.map(|d| d.to_string()).unwrap_or_default()
        );
        if catalog::is_suite(h.product) {
            suites.push(lot);
        } else {
            se |= h.version == "SE";
            cals.push(lot);
        }
        first.get_or_insert(h.product);
    }
    if suites.is_empty() && cals.is_empty() {
        return None;
    }
    let mut parts = Vec::new();
    if !suites.is_empty() {
        parts.push(format!(
            "not counted: {}. A CAL Suite is sold only with Software Assurance and its rights are those of its SA coverage, so these are taken to be bought after the count",
            list_all(&suites),
        ));
    }
    if !cals.is_empty() {
        parts.push(format!(
            "counted at their own version, without SA's newer versions{}: {}",
            if se { " (an Exchange or SharePoint SE CAL as the release before SE, which needs active SA)" } else { "" },
            list_all(&cals)
        ));
    }
    Some(finding(
        FindingKind::SaNotStarted,
        if suites.is_empty() {
            Severity::Info
        } else {
            Severity::Warning
        },
        if suites.is_empty() {
            ids::SA_VERSION_RIGHTS
        } else {
            ids::SUITE_VERSION_LESS
        },
        first,
        format!(
            "Software Assurance entered as starting after the date of the count ({today}) gives no rights on it. Licences {}. If they were bought before the count, enter the SA term that was active on {today}",
            parts.join("; licences ")
        ),
    ))
}

/// Owned CALs counted at a newer version than their own because their Software Assurance is
/// entered as active (no end date): the position rests on that SA, and says so (review 20: 80
/// RDS 2019 Device CALs with SA since 2019 counted as 2025 without a word, while every RDS device
/// covered depended on it). An auditor asks for the agreement that shows it.
fn sa_relied_on(estate: &Estate, demand: &Demand, position: &Position) -> Option<Finding> {
    let mut lots: Vec<String> = Vec::new();
    let mut since: Option<Date> = None;
    let mut n = 0u64;
    for h in estate.holdings.iter().filter(|h| {
        !catalog::is_suite(h.product)
            && matches!(h.kind, LicenceKind::UserCal | LicenceKind::DeviceCal)
    }) {
        let Some(sa) = h
            .software_assurance
            .as_ref()
            .filter(|sa| sa.until.is_none())
        else {
            continue;
        };
        let Some(family) = catalog::product(h.product).family else {
            continue;
        };
        let own = catalog::cal_version(family, &h.version).map(|c| c.rank);
        let counted = catalog::effective_cal_rank(family, &h.version, Some(sa), demand.today);
        let (Some(own), Some(counted)) = (own, counted) else {
            continue;
        };
        let label = catalog::cal_version_label(family, counted);
        let in_use = position.rows.iter().any(|r| {
            r.product == h.product && r.kind == h.kind && r.version == label && r.used > 0
        });
        if counted > own && in_use {
            let q = u64::from(h.quantity);
            n += q;
            since = Some(since.map_or(sa.since, |d| d.min(sa.since)));
            // The release date is what the SA must have been active on (review 39: "so active
            // on" the report's date read as the reason).
            let released = catalog::cal_version_by_rank(family, counted)
                .map(|c| format!(" (released {})", c.released))
                .unwrap_or_default();
            lots.push(format!(
                "{} {} as {label}{released}",
                thousands(q),
                catalog::licence_name(h.product, &h.version, h.kind, q)
            ));
        }
    }
    let since = since?;
    Some(finding(
        FindingKind::SaReliedOn,
        Severity::Info,
        ids::SA_VERSION_RIGHTS,
        None,
        format!(
            "The position counts {} because {} Software Assurance (the earliest since {since}) is entered with no end date, so taken as active to {} and on {}: keep the agreement that shows it at hand, and if it lapsed, enter the day it ended, which freezes {} at the versions current then",
            list(&lots),
            if n == 1 { "its" } else { "their" },
            demand.today,
            if lots.len() == 1 { "that release date" } else { "those release dates" },
            if n == 1 { "it" } else { "them" },
        ),
    ))
}

/// Whether people counted for a product of `family` hold Microsoft 365 seats that would cover it
/// but for the volume-licensing-only reading.
fn seats_refused_in(estate: &Estate, demand: &Demand, family: Family) -> bool {
    let e3_rights = estate.organisation.readings.m365_e3_rights;
    demand.m365_withheld
        && demand
            .products
            .iter()
            .filter(|p| p.family == family)
            .any(|p| {
                p.person_rank.keys().any(|&c| {
                    demand.classes.get(c).is_some_and(|info| {
                        !info.kind.is_external()
                            && estate.groups.iter().any(|g| {
                                g.id == info.group
                                    && g.m365.is_some_and(|plan| {
                                        crate::rules::m365_covers(plan, e3_rights, p.product)
                                    })
                            })
                    })
                })
            })
}

/// Exchange Server SE and SharePoint Server Subscription Edition need active Software Assurance on
/// the CALs that access them (rule `se.needs-active-sa`): CALs whose SA ended count as 2019 CALs
/// (the catalog caps their rank), and SE CALs without SA dates are counted as active, which the
/// user should check. A warning where the family falls short, else a note.
fn se_active_sa(estate: &Estate, demand: &Demand, position: &Position) -> Vec<Finding> {
    let mut out = Vec::new();
    for &(family, release) in catalog::SA_ONLY {
        let Some(se) = catalog::cal_version(family, release) else {
            continue;
        };
        let needs_se = demand
            .products
            .iter()
            .any(|p| p.family == family && p.max_rank >= se.rank);
        let in_family = |p: CalProduct| {
            catalog::product(p).family == Some(family)
                || (catalog::is_suite(p)
                    && catalog::suite_contents(p)
                        .iter()
                        .any(|&c| catalog::product(c).family == Some(family)))
        };
        let base = catalog::PRODUCTS
            .iter()
            .find(|p| p.family == Some(family) && p.base.is_none())
            .map(|p| p.product);
        let short = position
            .rows
            .iter()
            .any(|r| catalog::product(r.product).family == Some(family) && r.shortfall > 0);
        let server = family.name();
        let mut lost: Vec<(String, u64, Date, LicenceKind)> = Vec::new();
        let mut undated = 0u64;
        for h in estate.holdings.iter().filter(|h| {
            in_family(h.product) && matches!(h.kind, LicenceKind::UserCal | LicenceKind::DeviceCal)
        }) {
            let version = (!catalog::is_suite(h.product)).then_some(h.version.as_str());
            if catalog::sa_only_lost(family, version, h.software_assurance.as_ref(), demand.today)
                .is_some()
            {
                let until = h
                    .software_assurance
                    .as_ref()
                    .and_then(|s| s.until)
                    .unwrap_or(demand.today);
                lost.push((
                    catalog::label(h.product).to_string(),
                    u64::from(h.quantity),
                    until,
                    h.kind,
                ));
            } else if !catalog::is_suite(h.product)
                && h.software_assurance.is_none()
                && catalog::cal_version(family, &h.version).is_some_and(|c| c.rank >= se.rank)
            {
                undated += u64::from(h.quantity);
            }
        }
        let severity = if short {
            Severity::Warning
        } else {
            Severity::Info
        };
        if needs_se && !lost.is_empty() {
            let n: u64 = lost.iter().map(|l| l.1).sum();
            let last = lost.iter().map(|l| l.2).max().unwrap_or(demand.today);
            let (holders, what) = lots_in_words(
                &lost
                    .iter()
                    .map(|l| (l.0.as_str(), l.1, l.3))
                    .collect::<Vec<_>>(),
            );
            out.push(finding(
                FindingKind::SeSaEnded,
                severity,
                ids::SE_NEEDS_ACTIVE_SA,
                base,
                format!(
                    "{what} lost {} {server} SE rights when Software Assurance ended (the last on {}): {server} SE is licensed only while SA is active, so {} as {server} 2019 {} and {} not cover your {server} SE servers. Lapsed SA cannot usually be renewed: buy CALs with SA, or cover {holders} by subscriptions such as Microsoft 365 E3/E5{}",
                    if n == 1 { "its" } else { "their" },
                    last,
                    if n == 1 { "it counts" } else { "they count" },
                    if n == 1 { "CAL" } else { "CALs" },
                    if n == 1 { "does" } else { "do" },
                    if short { "" } else { " (nothing falls short today: other licences cover the need)" },
                ),
            ));
        }
        // SE rights that end with a dated SA after the as-of date: covered today, not from then
        // on (review 12: SA ending four months after the ELP's date went unmentioned).
        let mut ending: Vec<(&'static str, u64, Date, LicenceKind)> = Vec::new();
        for h in estate.holdings.iter().filter(|h| {
            in_family(h.product) && matches!(h.kind, LicenceKind::UserCal | LicenceKind::DeviceCal)
        }) {
            let Some(sa) = h.software_assurance.as_ref() else {
                continue;
            };
            let Some(until) = sa.until.filter(|&u| u >= demand.today) else {
                continue;
            };
            let rank = if catalog::is_suite(h.product) {
                Some(catalog::suite_rank(family, Some(sa), demand.today))
            } else {
                catalog::effective_cal_rank(family, &h.version, Some(sa), demand.today)
            };
            if rank.is_some_and(|r| r >= se.rank) {
                ending.push((
                    catalog::label(h.product),
                    u64::from(h.quantity),
                    until,
                    h.kind,
                ));
            }
        }
        if needs_se && !ending.is_empty() {
            let n: u64 = ending.iter().map(|e| e.1).sum();
            let first = ending.iter().map(|e| e.2).min().unwrap_or(demand.today);
            let last = ending.iter().map(|e| e.2).max().unwrap_or(demand.today);
            let (holders, what) =
                lots_in_words(&ending.iter().map(|e| (e.0, e.1, e.3)).collect::<Vec<_>>());
            out.push(finding(
                FindingKind::SeSaEnds,
                Severity::Info,
                ids::SE_NEEDS_ACTIVE_SA,
                base,
                format!(
                    "{what} cover {server} SE only while {} Software Assurance is active, which ends on {}: from the day after, {} as {server} 2019 {}. Renew the SA before it ends, or cover {holders} by subscriptions such as Microsoft 365 E3/E5",
                    if n == 1 { "its" } else { "their" },
                    if first == last {
                        format!("{first} (its last active day)")
                    } else {
                        format!("{first} for the first and {last} for the last (each its last active day)")
                    },
                    if n == 1 { "it counts" } else { "they count" },
                    if n == 1 { "CAL" } else { "CALs" },
                ),
            ));
        }
        if needs_se && undated > 0 {
            out.push(finding(
                FindingKind::SeWithoutSaDates,
                severity,
                ids::SE_NEEDS_ACTIVE_SA,
                base,
                format!(
                    "{} {server} SE {} no Software Assurance dates, so {} counted as covering {server} SE, which only active SA gives: enter the SA dates (since, and until if it lapsed) to count {} right",
                    thousands(undated),
                    if undated == 1 { "CAL has" } else { "CALs have" },
                    if undated == 1 { "it is" } else { "they are" },
                    if undated == 1 { "it" } else { "them" },
                ),
            ));
        }
        // SE CALs bought: a licence without SA never covers SE, so the purchase must carry SA
        // (review 14: "60 Exchange Standard SE User CALs at $76", a licence-only price, and no
        // word of the SA the purchase needs). SE CALs are what is on sale for 2019 servers too,
        // and only with SA (review 20: no word of it when every server was 2019).
        let bought: Vec<&crate::report::PurchaseLine> = position
            .lines
            .iter()
            .filter(|l| {
                catalog::product(l.product).family == Some(family)
                    && matches!(l.kind, LicenceKind::UserCal | LicenceKind::DeviceCal)
                    && l.version == release
            })
            .collect();
        if !bought.is_empty() {
            let n: u64 = bought.iter().map(|l| l.quantity).sum();
            let names: Vec<String> = bought.iter().map(|l| l.in_words()).collect();
            // Users who already hold E3 or E5 seats that the volume-licensing-only reading
            // refuses are not told to buy such subscriptions (review 27): they are told which
            // seats would cover them.
            let subscriptions = if seats_refused_in(estate, demand, family) {
                format!(
                    "Or cover these users by Microsoft 365 E3/E5 seats bought through a volume-licensing channel (EA, MPSA, Open Value): the seats bought through {} count as no CALs under the reading chosen under \"Where sources disagree\" (volume-licensing channels only)",
                    match estate.organisation.m365.channel {
                        PurchaseChannel::Mca => "MCA",
                        PurchaseChannel::Mosa => "MOSA",
                        _ => "CSP",
                    }
                )
            } else {
                "Or cover these users by subscriptions such as Microsoft 365 E3/E5".to_string()
            };
            let own = bought
                .iter()
                .all(|l| demand.prices.origin(l.product, l.kind) == PriceOrigin::Own);
            out.push(finding(
                FindingKind::SePurchaseNeedsSa,
                Severity::Warning,
                ids::SE_NEEDS_ACTIVE_SA,
                base,
                format!(
                    "The purchase buys {}: {server} SE {}, so {} must be bought with SA{}. {} {subscriptions}",
                    list_all(&names),
                    if needs_se {
                        "is licensed only while Software Assurance is active"
                    } else {
                        "CALs are sold only with Software Assurance or as subscriptions, also where they cover 2019 servers"
                    },
                    if n == 1 { "it" } else { "they" },
                    if needs_se { " and the SA kept" } else { "" },
                    if bought.iter().all(|l| l.price_missing) {
                        "No price is known for them: enter licence-and-SA prices to see the cost."
                    } else if bought.iter().any(|l| l.price_missing) {
                        "No price is known for some of them: enter licence-and-SA prices to see the cost."
                    } else if own {
                        "Check that the prices entered include SA, or the cost shown is too low."
                    } else {
                        "The reference prices are for the licence alone, so the cost shown is too low: enter your licence-and-SA prices to see it."
                    },
                ),
            ));
        }
    }
    out
}
