//! The report's figures per product (people, external people, devices, exempt, User CALs, Device
//! CALs, External Connectors, CAL Suite licences), each with its why: one function per figure,
//! from what the demand and the licensing found.

use super::breakevens::{class_people, SEE_EC_BREAKEVEN};
use super::{
    additive_device_cals, base_bound_externals, base_of_additive_devices, pd_scope_per_vm,
    short_list,
};
use crate::catalog::{self, ids};
use crate::estate::{CalProduct, Estate, LicenceKind, M365Printers, RdsMode};
use crate::optimise::{Instance, ProductInstance, ProductSolution, Solution, UnitPrices};
use crate::position::Subject;
use crate::position::{money, thousands, Position, SuiteCovered};
use crate::report::{Count, Explanation, ProductResult};
use crate::rules::{self, Demand, ProductDemand};
use crate::vecmap::{VecMap, VecSet};
use std::collections::BTreeSet;

/// Each product's figures with their whys, in the demand's order of products.
pub(super) fn product_results(
    estate: &Estate,
    demand: &Demand,
    solution: &Solution,
    position: &Position,
    currency: &str,
) -> Vec<ProductResult> {
    let inst = &demand.instance;
    let mut out = Vec::new();
    let ec_scope_rule = if pd_scope_per_vm(demand) {
        ids::EC_PER_VM_READING
    } else {
        ids::EC_PER_PHYSICAL_HOST
    };
    for (k, pd) in demand.products.iter().enumerate() {
        let Some(pi) = inst.products.get(k) else {
            continue;
        };
        let ps = solution.products.iter().find(|s| s.product == pd.product);
        let reach = Reach::of(inst, pd, pi);
        let hosts = connector_hosts(inst, ps);
        let modes = rds_modes(pi, ps);
        let base_bound = base_bound_note(demand, solution, pd.product, &reach);
        let base = AdditiveBase::of(demand, solution, pd.product, pi, ps, &reach);
        let printers_rule = printers_rule(estate, demand, pd.product);
        let refused = channel_refused(estate, demand, pd.product, &reach.classes);
        let words = MixWords {
            compare: price_comparison(pd, pi.prices, currency),
            modes: modes_text(estate, &modes),
            user_suites: suites_covering(solution, pd.product, LicenceKind::UserCal),
            device_suites: suites_covering(solution, pd.product, LicenceKind::DeviceCal),
        };
        let ecs = ps.map_or(0, |ps| ps.external_connectors);
        let mut result = ProductResult {
            product: pd.product,
            label: catalog::label(pd.product).to_string(),
            required_version: required_version(pd),
            people: count(
                reach.people,
                people_rules(pd, &refused),
                people_why(estate, pd, inst, &reach),
            ),
            external_people: external_people(reach.external),
            devices: devices(
                pd.product,
                inst,
                &reach,
                (base.carried, estate.shared_devices.len()),
                printers_rule,
            ),
            exempt: exempt(estate, pd),
            user_cals: user_cals(
                demand,
                pd.product,
                ps,
                (&base, &position.suite_covered),
                &refused,
                &words,
            ),
            device_cals: device_cals(
                demand,
                pd.product,
                ps,
                (&base, &position.suite_covered),
                &refused,
                &words,
                printers_rule == Some(ids::M365_PRINTERS_DEVICE_CALS),
            ),
            external_connectors: count(
                ecs,
                connector_rules(ecs, ec_scope_rule, base_bound.is_some()),
                connector_why(
                    estate,
                    pd.product,
                    &hosts,
                    pi.prices.external_connector,
                    reach.external,
                    base_bound,
                    currency,
                ),
            ),
            suite_licences: suite_licences(solution, pd.product, &position.suite_covered),
            external_connector_hosts: hosts,
            rds_modes: modes,
            cost_minor: product_cost(position, pd.product),
        };
        network_device_cals(&mut result.device_cals, estate, demand, pd.product, ps);
        if pi.base_any_subject {
            if let Some(b) = catalog::product(pd.product).base {
                for (cals, other) in [
                    (
                        &mut result.user_cals,
                        "the Device CALs of the devices they use (for external users, the host's External Connector)",
                    ),
                    (
                        &mut result.device_cals,
                        "their users' User CALs or Microsoft 365 rights",
                    ),
                ] {
                    other_subject_base(cals, b, other);
                }
            }
        }
        out.push(result);
    }
    out
}

/// Under the `either-subject` reading, an additive product's CAL count says that its base may be
/// held by the other subject (`other`), and cites the reading.
fn other_subject_base(cals: &mut Count, base: CalProduct, other: &str) {
    if cals.value == 0 {
        return;
    }
    cals.why.rules.push(ids::ADDITIVE_BASE_ANY_SUBJECT.into());
    cals.why.text.push_str(&format!(
        "; their {} base may also be {other}, the reading chosen under \"Where sources disagree\"",
        catalog::short_name(base)
    ));
}

/// A product's Device CAL count says how many of them are on network equipment and cites the
/// default reading that gives them (cal-rules §4.2 item 8, "debated"; under the other reading
/// such a pool has none).
fn network_device_cals(
    cals: &mut Count,
    estate: &Estate,
    demand: &Demand,
    product: CalProduct,
    ps: Option<&ProductSolution>,
) {
    let (mut n, mut names) = (0u64, Vec::new());
    for (k, products) in &demand.network_pools {
        let on = ps.map_or(0, |s| s.device_cals_per_class.get(*k).copied().unwrap_or(0));
        if on > 0 && products.contains(&product) {
            n += u64::from(on);
            if let Some(pool) = estate.shared_devices.get(*k) {
                names.push(pool.shown_name().to_string());
            }
        }
    }
    if n == 0 {
        return;
    }
    cals.why.rules.push(ids::NETWORK_DEVICE_CALS.into());
    cals.why.text.push_str(&format!(
        "; {} of them on network equipment ({}), as the default reading under \"Where sources disagree\" asks",
        thousands(n),
        names.join(", ")
    ));
}

fn count(value: u64, rules: Vec<&str>, text: String) -> Count {
    Count {
        value,
        why: Explanation {
            rules: rules.into_iter().map(String::from).collect(),
            text,
        },
    }
}

/// How many devices each person of class `c` of the instance uses of their own (at least one).
fn devices_each(inst: &Instance, c: usize) -> u64 {
    inst.people
        .get(c)
        .map_or(1, |p| u64::from(p.own_devices.max(1)))
}

/// Who and what reach one product, as the instance has them.
struct Reach {
    /// The person classes that need the product covered.
    classes: BTreeSet<usize>,
    /// The people in `classes`.
    people: u64,
    /// The external users among them.
    external: u64,
    /// The person classes that reach it from their own devices.
    own_people: BTreeSet<usize>,
    /// The shared or unattended device classes that reach it.
    pools: BTreeSet<usize>,
    /// The own devices of `own_people`.
    own_devices: u64,
    /// The devices in `pools`.
    shared: u64,
}

impl Reach {
    fn of(inst: &Instance, pd: &ProductDemand, pi: &ProductInstance) -> Reach {
        let mult = |c: usize| class_people(inst, c);
        let dmult = |d: usize| u64::from(inst.devices.get(d).map_or(0, |p| p.multiplicity));
        let classes: BTreeSet<usize> = pd.person_rank.keys().copied().collect();
        let people: u64 = classes.iter().map(|&c| mult(c)).sum();
        let external: u64 = classes
            .iter()
            .filter(|&&c| inst.people.get(c).is_some_and(|p| p.external))
            .map(|&c| mult(c))
            .sum();
        let mut own_people = BTreeSet::new();
        let mut pools = BTreeSet::new();
        own_people.extend(pi.people.iter().copied());
        pools.extend(pi.person_device.iter().map(|x| x.1));
        pools.extend(pi.unattended_devices.iter().copied());
        for r in &pi.rds_hosts {
            own_people.extend(r.people.iter().copied());
            pools.extend(r.person_device.iter().map(|x| x.1));
        }
        let own_devices: u64 = own_people
            .iter()
            .map(|&c| mult(c) * devices_each(inst, c))
            .sum();
        let shared: u64 = pools.iter().map(|&d| dmult(d)).sum();
        Reach {
            classes,
            people,
            external,
            own_people,
            pools,
            own_devices,
            shared,
        }
    }
}

/// The version the product's CALs must be. With every access exempt no subject sets a version:
/// the newest of the servers reached (review 18: Exchange Enterprise's version was blank when
/// Microsoft 365 covered all).
fn required_version(pd: &ProductDemand) -> String {
    let version = pd.version_name(pd.max_rank).to_string();
    match version.as_str() {
        "" => pd
            .servers
            .iter()
            .map(|(_, v)| rules::rank_of(pd.family, v))
            .max()
            .map_or("", |r| pd.version_name(r))
            .to_string(),
        _ => version.clone(),
    }
}

/// The rules behind the people figure: the product's own, the anonymous exemption only where
/// it applies, and the volume-licensing-only reading where it `refused` anyone's seats.
fn people_rules(pd: &ProductDemand, refused: &BTreeSet<usize>) -> Vec<&'static str> {
    let e = &pd.exempt;
    let mut rules_used: Vec<&str> = pd.rules.iter().copied().collect();
    rules_used.retain(|r| {
        *r != ids::EXEMPT_ANONYMOUS || e.anonymous > 0 || !e.anonymous_servers.is_empty()
    });
    if !refused.is_empty() {
        rules_used.push(ids::M365_CHANNEL);
    }
    rules_used
}

/// Why so many people need the product covered: who reaches it on which servers, at which
/// version, and the administrators counted for their printers.
fn people_why(estate: &Estate, pd: &ProductDemand, inst: &Instance, reach: &Reach) -> String {
    let server_names = estate.server_names();
    let mult = |c: usize| class_people(inst, c);
    let version = pd.version_name(pd.max_rank).to_string();
    let servers: Vec<String> = pd
        .servers
        .iter()
        .map(|(s, v)| format!("{} ({v})", server_names.name(s)))
        .collect();

    let people_text = if servers.is_empty() || version.is_empty() {
        format!(
            "nobody needs {} covered: every access to it is exempt (see Exempt)",
            catalog::short_name(pd.product)
        )
    } else {
        // Each person needs the newest version among the servers they reach: with several,
        // say how many need which (review: "110 people … need it covered at version 2025"
        // where 10 did and the position's rows needed 50 at 2016).
        let mut by_rank: VecMap<u8, u64> = VecMap::new();
        for (&c, &r) in &pd.person_rank {
            *by_rank.entry(r).or_default() += mult(c);
        }
        let versions = if by_rank.len() > 1 {
            format!(
                "the newest version each reaches: {}",
                by_rank
                    .iter()
                    .rev()
                    .map(|(&r, &n)| format!("{} at {}", thousands(n), pd.version_name(r)))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        } else {
            format!("version {version}")
        };
        format!(
            "{} {} {} on {} and {} it covered at {}{}; one CAL covers every server of the product",
            thousands(reach.people),
            if reach.people == 1 {
                "person reaches"
            } else {
                "people reach"
            },
            catalog::short_name(pd.product),
            short_list(&servers),
            if reach.people == 1 { "needs" } else { "need" },
            versions,
            if reach.external > 0 {
                format!(" ({} of them external)", thousands(reach.external))
            } else {
                String::new()
            }
        )
    };
    // Administrators counted though the exemption could cover them: their CAL covers the
    // printers they use, which exempt they would leave to Device CALs (cal-rules §1.8 item 8).
    match pd.admin_for_printers {
        0 => people_text,
        1 => format!("{people_text}; 1 of them is an administrator the two-per-product exemption could cover, counted because their CAL also covers the printers they use, which would otherwise need Device CALs"),
        n => format!("{people_text}; {} of them are administrators the two-per-product exemption could cover, counted because their CALs also cover the printers they use, which would otherwise need Device CALs", thousands(n)),
    }
}

/// The external users who need the product covered.
fn external_people(external: u64) -> Count {
    count(
        external,
        if external > 0 {
            vec![ids::EXT_DEFINITION]
        } else {
            Vec::new()
        },
        format!("{} external users (partners, customers, offsite contractors) need this product covered", thousands(external)),
    )
}

/// The devices counted for the product: own devices of the people who reach it, shared or
/// unattended devices, devices of the usage data, and the devices `carried` only as the base of
/// an additive Device CAL; `pools`: the estate's shared device pools, the first device classes
/// (those after them are the usage data's devices).
fn devices(
    product: CalProduct,
    inst: &Instance,
    reach: &Reach,
    (carried, pools): (u64, usize),
    printers_rule: Option<&'static str>,
) -> Count {
    let mult = |c: usize| class_people(inst, c);
    let seen: u64 = (reach.pools.iter())
        .filter(|&&d| d >= pools)
        .map(|&d| u64::from(inst.devices.get(d).map_or(0, |p| p.multiplicity)))
        .sum();
    let (own_devices, shared) = (reach.own_devices, reach.shared.saturating_sub(seen));
    // Each part only when there is something in it (review: "0 own devices of the people
    // above and 1,500 shared or unattended devices reach it"); a usage log's devices are not
    // called shared (review 39: one person's two PCs were "2 shared or unattended devices").
    let devices_text = {
        let n = |k: u64, what: &str| {
            format!("{} {what}{}", thousands(k), if k == 1 { "" } else { "s" })
        };
        let mut parts: Vec<String> = Vec::new();
        if own_devices > 0 {
            parts.push(format!(
                "{} of the people above",
                n(own_devices, "own device")
            ));
        }
        if shared > 0 {
            parts.push(n(shared, "shared or unattended device"));
        }
        if seen > 0 {
            parts.push(format!("{} in the usage data", n(seen, "device")));
        }
        let verb = |k: u64, one: &'static str, many: &'static str| if k == 1 { one } else { many };
        let reaches = verb(own_devices + shared + seen, "reaches", "reach");
        let reaching = match parts.as_slice() {
            [] => None,
            [one] => Some(format!("{one} {reaches} it")),
            [init @ .., last] => Some(format!("{} and {last} reach it", init.join(", "))),
        };
        let base =
            "only the base of an additive Device CAL (their users are covered by Microsoft 365)";
        match (reaching, carried) {
            (None, 0) => "no devices are counted for it".to_string(),
            (None, c) => format!("{} {} {base}", n(c, "device"), verb(c, "carries", "carry")),
            (Some(r), 0) => r,
            (Some(r), c) => format!(
                "{r}, and {} more {} {base}",
                thousands(c),
                verb(c, "carries", "carry")
            ),
        }
    };
    // External users whose own devices are not counted here: they are licensed per person
    // or by a connector (docs/estate-format.md, "Not modelled"). Why review 24: "1,253
    // devices" read "918 own devices of the people above …", among whom were 2,665 external
    // users, while RDS's count took partners' devices.
    let external_uncounted: u64 = reach
        .classes
        .iter()
        .filter(|&&c| inst.people.get(c).is_some_and(|p| p.external))
        .filter(|c| !reach.own_people.contains(c))
        .map(|&c| mult(c))
        .sum();
    let devices_text = if external_uncounted > 0 {
        format!(
            "{devices_text}; the own devices of the {} external {} not counted: an external user is licensed per person, by a User CAL{}, not by Device CALs for devices the organisation does not control (see \"Not modelled\" in docs/estate-format.md)",
            thousands(external_uncounted),
            if external_uncounted == 1 { "user is" } else { "users are" },
            if catalog::product(product).external_connector {
                " or an External Connector on the host they reach"
            } else {
                ""
            }
        )
    } else {
        devices_text
    };
    count(
        own_devices + shared + carried,
        with(
            if external_uncounted > 0 && catalog::product(product).external_connector {
                vec![ids::CAL_REQUIRED, ids::EXT_DEFINITION, ids::EC_ALTERNATIVE]
            } else if external_uncounted > 0 {
                vec![ids::CAL_REQUIRED, ids::EXT_DEFINITION]
            } else {
                vec![ids::CAL_REQUIRED]
            },
            printers_rule,
        ),
        devices_text,
    )
}

/// The people exempt from the product's CALs or licensed otherwise, and the servers whose
/// access needs none.
fn exempt(estate: &Estate, pd: &ProductDemand) -> Count {
    let server_names = estate.server_names();
    let mut exempt_parts = Vec::new();
    let e = &pd.exempt;
    let mut exempt_rules = Vec::new();
    let mut push = |n: u64, what: &str, rule: &'static str| {
        if n > 0 {
            exempt_parts.push(format!("{} {what}", thousands(n)));
            exempt_rules.push(rule);
        }
    };
    push(e.anonymous, "anonymous visitors", ids::EXEMPT_ANONYMOUS);
    push(
        e.admin,
        "administrators (two per product)",
        ids::EXEMPT_ADMIN_TWO,
    );
    push(
        e.manual_transfer,
        "recipients of manually transferred output",
        ids::MUX_MANUAL_TRANSFER,
    );
    push(
        e.m365,
        "people licensed by Microsoft 365 E3/E5 (its CAL equivalency rights)",
        [
            ids::M365_E5_ENTERPRISE,
            ids::M365_E3_STANDARD_ENTERPRISE,
            ids::M365_E3_CORE,
        ]
        .into_iter()
        .find(|r| pd.rules.contains(*r))
        .unwrap_or(ids::M365_E3_CORE),
    );
    push(
        e.external_by_server_licence,
        "external users licensed by the server licence",
        ids::EXT_COVERED_BY_SERVER,
    );
    if e.by_server > 0 {
        exempt_parts.push(format!(
            "{} {} it only where no CAL of it is needed",
            thousands(e.by_server),
            if e.by_server == 1 {
                "person reaches"
            } else {
                "people reach"
            }
        ));
    }
    let mut server_parts = Vec::new();
    let mut lists = |v: &Vec<String>, what: &str, rule: &'static str| {
        if !v.is_empty() {
            let names: Vec<String> = v.iter().map(|id| server_names.name(id)).collect();
            server_parts.push(format!("{what}: {}", short_list(&names)));
            exempt_rules.push(rule);
        }
    };
    lists(
        &e.payg_servers,
        "pay-as-you-go servers need no Windows Server CALs",
        ids::PAYG_NO_WS_CALS,
    );
    lists(
        &e.essentials_servers,
        "Essentials servers need no CALs",
        ids::ESSENTIALS_NO_CALS,
    );
    lists(
        &e.anonymous_servers,
        "anonymous-only servers",
        ids::EXEMPT_ANONYMOUS,
    );
    lists(
        &e.virtualisation_hosts,
        "virtualisation-only hosts",
        ids::EXEMPT_VIRTUALISATION_HOST,
    );
    lists(
        &e.per_core_sql,
        "SQL Servers licensed per core",
        ids::SQL_PER_CORE_NO_CALS,
    );
    let exempt_text = if exempt_parts.is_empty() && server_parts.is_empty() {
        "no exemptions apply".to_string()
    } else {
        let mut all = exempt_parts.clone();
        all.extend(server_parts);
        // Microsoft 365 users are licensed by their seats' CAL rights, not exempt (§1.13,
        // §1.8; review 13).
        let head = if e.m365 > 0 {
            "exempt or licensed otherwise"
        } else {
            "exempt"
        };
        format!("{head}: {}", all.join("; "))
    };
    count(e.people(), exempt_rules, exempt_text)
}

/// The labels of the hosts the licensing puts the product's External Connectors on.
fn connector_hosts(inst: &Instance, ps: Option<&ProductSolution>) -> Vec<String> {
    match ps {
        Some(ps) => ps
            .external_connector_hosts
            .iter()
            .filter_map(|&h| inst.hosts.get(h).map(|u| u.label.clone()))
            .collect::<Vec<_>>(),
        None => Vec::new(),
    }
}

/// The licensing mode the licensing gives each session host (RDS only), by host label.
fn rds_modes(pi: &ProductInstance, ps: Option<&ProductSolution>) -> Vec<(String, RdsMode)> {
    match ps {
        Some(ps) => pi
            .rds_hosts
            .iter()
            .zip(ps.rds_modes.iter())
            .map(|(r, m)| (r.label.clone(), *m))
            .collect::<Vec<(String, RdsMode)>>(),
        None => Vec::new(),
    }
}

/// What closing the position's rows of the product costs.
fn product_cost(position: &Position, product: CalProduct) -> i64 {
    position
        .rows
        .iter()
        .filter(|r| r.product == product)
        .fold(0i64, |a, r| a.saturating_add(r.cost_to_close_minor))
}

/// Why no External Connector of Windows Server when every external user holds an RDS or AD RMS
/// User CAL that needs a Windows Server User CAL for the same person: a connector, owned or
/// bought, replaces none of their CALs, and there is no break-even to show (ELP review 22: 80
/// partners on a session host read "CALs cost less than an External Connector ($2,900.00) …;
/// the break-even shows the threshold", with a connector owned and no break-even). `None` for
/// other products, and where some external users are not so bound.
fn base_bound_note(
    demand: &Demand,
    solution: &Solution,
    product: CalProduct,
    reach: &Reach,
) -> Option<String> {
    let inst = &demand.instance;
    let (classes, external) = (&reach.classes, reach.external);
    (product == CalProduct::WindowsServer && external > 0)
        .then(|| base_bound_externals(demand, solution))
        .and_then(|(rds, rms)| {
            let on = |set: &BTreeSet<usize>| -> u64 {
                classes
                    .iter()
                    .filter(|c| set.contains(c))
                    .map(|&c| class_people(inst, c))
                    .sum()
            };
            let (on_rds, on_rms) = (on(&rds), on(&rms));
            (on_rds > 0 || on_rms > 0).then_some(())?;
            (on_rds.saturating_add(on_rms) >= external).then_some(())?;
            let what = match (on_rds > 0, on_rms > 0) {
                (true, false) => "Remote Desktop with RDS User CALs",
                (false, true) => "AD RMS with AD RMS User CALs",
                _ => "Remote Desktop or AD RMS with RDS or AD RMS User CALs",
            };
            Some(format!(
                "no External Connector in the cheapest mix: the {} external {} use {what}, which need a Windows Server User CAL for the same person (those CALs are additive, read literally: see \"Where sources disagree\"), so a Windows Server External Connector, owned or bought, replaces none of their CALs, and there is no External Connector break-even",
                thousands(external),
                if external == 1 { "user" } else { "users" },
            ))
        })
}

/// The User against Device CAL prices the cheapest mix weighed, or that none is known.
fn price_comparison(pd: &ProductDemand, prices: UnitPrices, currency: &str) -> String {
    let u = prices.user_cal.unwrap_or(0);
    let d = prices.device_cal.unwrap_or(0);
    let price_known = !pd
        .missing_prices
        .iter()
        .any(|k| matches!(k, LicenceKind::UserCal | LicenceKind::DeviceCal));
    if price_known {
        format!(
            " (User CAL {} vs Device CAL {})",
            money(u, currency),
            money(d, currency)
        )
    } else {
        " (no price known: the count is minimised)".to_string()
    }
}

/// Suites in the licensing that cover this product: its people or devices need no CAL of it of
/// their own (QA: with suites bought, every product read "no User CALs" and $0). The suites of
/// licence `kind`, as the end of a why; empty when none.
fn suites_covering(solution: &Solution, product: CalProduct, kind: LicenceKind) -> String {
    let parts: Vec<String> = solution
        .suites
        .iter()
        .filter(|s| s.kind == kind && s.count > 0)
        .filter(|s| catalog::suite_contents(s.suite).contains(&product))
        .map(|s| {
            format!(
                "{} {} {} {}",
                thousands(s.count),
                catalog::short_name(s.suite),
                if kind == LicenceKind::UserCal {
                    "User"
                } else {
                    "Device"
                },
                if s.count == 1 { "licence" } else { "licences" }
            )
        })
        .collect();
    if parts.is_empty() {
        String::new()
    } else {
        format!(
            "; CAL Suites in the licensing cover it: {} (each licenses its {} for {})",
            parts.join(", "),
            if kind == LicenceKind::UserCal {
                "person"
            } else {
                "device"
            },
            catalog::short_name(product)
        )
    }
}

/// The CAL Suite licences covering the product as a figure of their own (QA: a product a suite
/// covers read 0 User and 0 Device CALs, with only the why saying so): those the licensing buys;
/// the holders of owned suites are among the User and Device CALs, as the owned CALs of the
/// suites' parts, and the why says so (review 45).
fn suite_licences(solution: &Solution, product: CalProduct, covered: &SuiteCovered) -> Count {
    let owned_note = [LicenceKind::UserCal, LicenceKind::DeviceCal]
        .iter()
        .filter_map(|&kind| {
            let n: u64 = (covered.get(&(product, kind)).into_iter().flatten())
                .map(|h| h.2)
                .sum();
            (n > 0).then(|| {
                format!(
                    "the {} {} holding owned CAL Suites, among the {} CALs",
                    thousands(n),
                    if kind == LicenceKind::UserCal {
                        if n == 1 {
                            "person"
                        } else {
                            "people"
                        }
                    } else if n == 1 {
                        "device"
                    } else {
                        "devices"
                    },
                    if kind == LicenceKind::UserCal {
                        "User"
                    } else {
                        "Device"
                    },
                )
            })
        })
        .collect::<Vec<_>>();
    let owned_note = if owned_note.is_empty() {
        String::new()
    } else {
        format!(
            "; not counted here: {} (an owned suite's parts count as owned CALs)",
            owned_note.join(", and ")
        )
    };
    let suites_here: Vec<_> = solution
        .suites
        .iter()
        .filter(|s| s.count > 0 && catalog::suite_contents(s.suite).contains(&product))
        .collect();
    count(
        suites_here.iter().map(|s| s.count).sum(),
        suites_here
            .iter()
            .map(|s| {
                if s.suite == CalProduct::EnterpriseCalSuite {
                    ids::SUITE_ENTERPRISE
                } else {
                    ids::SUITE_CORE
                }
            })
            .collect::<VecSet<_>>()
            .into_iter()
            .collect(),
        if suites_here.is_empty() {
            format!("no CAL Suite in the licensing covers this product{owned_note}")
        } else {
            let parts: Vec<String> = suites_here
                .iter()
                .map(|s| {
                    format!(
                        "{} {} {}",
                        thousands(s.count),
                        catalog::short_name(s.suite),
                        match (s.kind == LicenceKind::UserCal, s.count == 1) {
                            (true, true) => "User licence",
                            (true, false) => "User licences",
                            (false, true) => "Device licence",
                            (false, false) => "Device licences",
                        }
                    )
                })
                .collect();
            let name = catalog::short_name(product);
            format!(
                "{} in the licensing cover {name}: the people or devices they license need no {name} CAL of their own{owned_note}",
                parts.join(", ")
            )
        },
    )
}

/// "; one licensing mode per session host: …" for the session hosts' `modes`; empty when none.
fn modes_text(estate: &Estate, modes: &[(String, RdsMode)]) -> String {
    let server_names = estate.server_names();
    if modes.is_empty() {
        String::new()
    } else {
        let m: Vec<String> = modes
            .iter()
            .map(|(h, m)| format!("{} {}", server_names.name(h), rules::mode_label(*m)))
            .collect();
        format!("; one licensing mode per session host: {}", short_list(&m))
    }
}

/// The wording the User and Device CAL figures' whys share.
struct MixWords {
    /// The prices compared ([`price_comparison`]).
    compare: String,
    /// The session hosts' modes ([`modes_text`]).
    modes: String,
    /// The CAL Suites that cover the product's people ([`suites_covering`]).
    user_suites: String,
    /// The CAL Suites that cover the product's devices.
    device_suites: String,
}

/// The product's Device CALs that are there as the base of an additive product's.
struct AdditiveBase {
    /// Device CALs here only as the base of an additive one, on devices whose users' own
    /// access is licensed by Microsoft 365 (which licenses people, not devices).
    carried: u64,
    /// Device CALs the additive Device CALs on the same devices require, whatever the prices
    /// (why review 24: read as "Device CALs in the cheapest mix (User CAL $45.00 vs Device
    /// CAL $40.00)" with 40 owned User CALs left unused); at most the Device CALs not
    /// `carried`.
    as_base: u64,
    /// The additive products whose Device CALs require `as_base`.
    base_for: Vec<CalProduct>,
}

impl AdditiveBase {
    fn of(
        demand: &Demand,
        solution: &Solution,
        product: CalProduct,
        pi: &ProductInstance,
        ps: Option<&ProductSolution>,
        reach: &Reach,
    ) -> AdditiveBase {
        let inst = &demand.instance;
        let carried: u64 = ps.map_or(0, |ps| {
            let shared: u64 = pi
                .base_only_devices
                .iter()
                .filter(|&&v| !reach.pools.contains(&v))
                .map(|&v| u64::from(ps.device_cals_per_class.get(v).copied().unwrap_or(0)))
                .sum();
            let own: u64 = pi
                .base_only_own
                .iter()
                .filter(|&&c| !reach.own_people.contains(&c))
                .map(|&c| {
                    u64::from(ps.own_device_cals_per_class.get(c).copied().unwrap_or(0))
                        * devices_each(inst, c)
                })
                .sum();
            shared + own
        });
        let devs = ps.map_or(0, |ps| ps.device_cals);
        let (as_base, base_for) = base_of_additive_devices(demand, solution, product);
        let as_base = as_base.min(devs.saturating_sub(carried));
        AdditiveBase {
            carried,
            as_base,
            base_for,
        }
    }
}

/// The Microsoft 365 printers reading, where it decides this product's figures: whether
/// printers that Microsoft 365 users print with are counted as devices and given Device CALs.
/// The Microsoft 365 readings are cited by the figures they change (review 27: "Why 5 Device
/// CALs?" and the User CALs of people whose seats the purchase-channel reading refuses named
/// neither reading).
fn printers_rule(estate: &Estate, demand: &Demand, product: CalProduct) -> Option<&'static str> {
    demand
        .m365_printers
        .iter()
        .any(|(_, ps)| ps.contains(&product))
        .then_some(match estate.organisation.readings.m365_printers {
            M365Printers::CoveredByUsers => ids::M365_PRINTERS_COVERED,
            M365Printers::DeviceCals => ids::M365_PRINTERS_DEVICE_CALS,
        })
}

/// The people counted for this product's CALs whose seats would cover it but for the
/// volume-licensing-only reading.
fn channel_refused(
    estate: &Estate,
    demand: &Demand,
    product: CalProduct,
    classes: &BTreeSet<usize>,
) -> BTreeSet<usize> {
    if demand.m365_withheld {
        let e3_rights = estate.organisation.readings.m365_e3_rights;
        classes
            .iter()
            .copied()
            .filter(|&c| {
                demand.classes.get(c).is_some_and(|info| {
                    !info.kind.is_external()
                        && estate.groups.iter().any(|g| {
                            g.id == info.group
                                && g.m365.is_some_and(|plan| {
                                    rules::m365_covers(plan, e3_rights, product)
                                })
                        })
                })
            })
            .collect()
    } else {
        BTreeSet::new()
    }
}

/// Whether any class `refused` holds a licence of `per_class`.
fn holds_refused(per_class: Option<&Vec<u32>>, refused: &BTreeSet<usize>) -> bool {
    per_class.is_some_and(|v| refused.iter().any(|&c| v.get(c).is_some_and(|&n| n > 0)))
}

/// `rules` and `rule`, if any.
fn with(mut rules: Vec<&'static str>, rule: Option<&'static str>) -> Vec<&'static str> {
    rules.extend(rule);
    rules
}

/// The rules behind every figure the cheapest mix decides.
fn optimal_rules(product: CalProduct) -> Vec<&'static str> {
    let mut optimal_rules = vec![ids::OPT_MIN_COST_COVER, ids::CAL_MIX_ALLOWED];
    if product == CalProduct::Rds {
        optimal_rules.push(ids::RDS_MODE_PER_HOST);
    }
    optimal_rules
}

/// The product's User CALs in the licensing, by class.
fn user_cals(
    demand: &Demand,
    product: CalProduct,
    ps: Option<&ProductSolution>,
    (base, covered): (&AdditiveBase, &SuiteCovered),
    refused: &BTreeSet<usize>,
    words: &MixWords,
) -> Count {
    let users = ps.map_or(0, |ps| ps.user_cals);
    let user_text = match ps {
        Some(ps) => class_text(demand, ps, true, covered),
        None => String::new(),
    };
    let (as_base, base_for) = (base.as_base, &base.base_for);
    let optimal_rules = optimal_rules(product);
    let refused_users = holds_refused(ps.map(|p| &p.user_cals_per_class), refused);
    count(
        users,
        with(
            if as_base > 0 && user_text.is_empty() {
                let mut r = optimal_rules.clone();
                r.push(ids::ADDITIVE_BASE_SAME_SUBJECT);
                r
            } else {
                optimal_rules.clone()
            },
            refused_users.then_some(ids::M365_CHANNEL),
        ),
        {
            // The Device CALs an additive product needs beneath it license those devices'
            // users too, whatever User CALs are owned (why review 24).
            let base_note = if as_base > 0 && user_text.is_empty() {
                format!(
                    "; the {} {} Device {} that the {} on the same devices need also {} their users",
                    thousands(as_base),
                    catalog::short_name(product),
                    if as_base == 1 { "CAL" } else { "CALs" },
                    additive_device_cals(base_for),
                    if as_base == 1 { "licenses" } else { "license" }
                )
            } else {
                String::new()
            };
            let (compare, modes_text, user_suites) =
                (&words.compare, &words.modes, &words.user_suites);
            if user_text.is_empty() {
                format!("no User CALs in the cheapest mix{base_note}{user_suites}")
            } else {
                format!("User CALs in the cheapest mix{compare}: {user_text}{modes_text}{base_note}{user_suites}")
            }
        },
    )
}

/// The product's Device CALs in the licensing, by class, and those there as the base of an
/// additive product's.
fn device_cals(
    demand: &Demand,
    product: CalProduct,
    ps: Option<&ProductSolution>,
    (base, covered): (&AdditiveBase, &SuiteCovered),
    refused: &BTreeSet<usize>,
    words: &MixWords,
    printers_device_cals: bool,
) -> Count {
    let devs = ps.map_or(0, |ps| ps.device_cals);
    let device_text = match ps {
        Some(ps) => class_text(demand, ps, false, covered),
        None => String::new(),
    };
    let (carried, as_base, base_for) = (base.carried, base.as_base, &base.base_for);
    let base_rule = if as_base > 0 {
        format!(
            "an {} needs a {} Device CAL for the same device, whatever the prices, so a User CAL, owned or cheaper, does not replace it",
            additive_device_cals(&base_for[..1]).trim_end_matches('s'),
            catalog::short_name(product)
        )
    } else {
        String::new()
    };
    let carried_text = if carried == 0 {
        String::new()
    } else {
        format!(
            "; {} of them only as the base of an additive Device CAL (same device) on devices used by people whose own access Microsoft 365 licenses: it licenses the people, not the devices",
            thousands(carried)
        )
    };
    let optimal_rules = optimal_rules(product);
    let refused_devices = holds_refused(ps.map(|p| &p.own_device_cals_per_class), refused);
    let (compare, modes_text, device_suites) = (&words.compare, &words.modes, &words.device_suites);
    count(
        devs,
        with(
            with(
                if carried > 0 || as_base > 0 {
                    let mut r = optimal_rules.clone();
                    r.push(ids::ADDITIVE_REQUIRES_BASE);
                    r.push(ids::ADDITIVE_BASE_SAME_SUBJECT);
                    r
                } else {
                    optimal_rules.clone()
                },
                (printers_device_cals && devs > 0).then_some(ids::M365_PRINTERS_DEVICE_CALS),
            ),
            refused_devices.then_some(ids::M365_CHANNEL),
        ),
        if device_text.is_empty() {
            format!("no Device CALs in the cheapest mix{device_suites}")
        } else if as_base > 0 && as_base.saturating_add(carried) >= devs {
            format!(
                "Device CALs as the base of the {} on the same devices ({base_rule}): {device_text}{modes_text}{carried_text}{device_suites}",
                additive_device_cals(base_for)
            )
        } else if as_base > 0 {
            format!(
                "Device CALs in the cheapest mix{compare}: {device_text}{modes_text}; {} of them as the base of the {} on the same devices ({base_rule}){carried_text}{device_suites}",
                thousands(as_base),
                additive_device_cals(base_for)
            )
        } else {
            format!(
                "Device CALs in the cheapest mix{compare}: {device_text}{modes_text}{carried_text}{device_suites}"
            )
        },
    )
}

/// The rules behind the External Connector figure: the connector and its scope where the
/// licensing has `ecs` of them, the additive base where external users are `base_bound`.
fn connector_rules(ecs: u64, scope_rule: &'static str, base_bound: bool) -> Vec<&'static str> {
    if ecs > 0 {
        vec![ids::EC_ALTERNATIVE, scope_rule]
    } else if base_bound {
        vec![ids::ADDITIVE_REQUIRES_BASE, ids::EXT_ADDITIVE_BASE_CAL]
    } else {
        Vec::new()
    }
}

/// Why the External Connectors on `hosts` (each at `price`), or why none.
fn connector_why(
    estate: &Estate,
    product: CalProduct,
    hosts: &[String],
    price: Option<i64>,
    external: u64,
    base_bound: Option<String>,
    currency: &str,
) -> String {
    let server_names = estate.server_names();
    if let (true, Some(text)) = (hosts.is_empty(), base_bound) {
        text
    } else if hosts.is_empty() {
        // Say why (QA: "Why 0 External Connectors?" gave no comparison).
        match (external, price) {
            (n, _) if n > 0 && !catalog::product(product).external_connector => format!(
                "{} has no External Connector: its {} external {} need CALs",
                catalog::short_name(product),
                thousands(n),
                if n == 1 { "user" } else { "users" }
            ),
            (0, _) => "no External Connector in the cheapest mix: no external users need CALs for this product".into(),
            (_, None) => format!(
                "no External Connector in the cheapest mix: no {} External Connector price is known, so the {} external {} are licensed with CALs",
                catalog::short_name(product),
                thousands(external),
                if external == 1 { "user" } else { "users" }
            ),
            (_, Some(ec)) => format!(
                "no External Connector in the cheapest mix: for the {} external {} reaching it, CALs cost less than an External Connector ({}) on each host they reach{SEE_EC_BREAKEVEN}",
                thousands(external),
                if external == 1 { "user" } else { "users" },
                money(ec, currency)
            ),
        }
    } else {
        format!(
            "an External Connector on {} is cheaper than CALs for the external users reaching it{}",
            short_list(
                &hosts
                    .iter()
                    .map(|h| server_names.name(h))
                    .collect::<Vec<_>>()
            ),
            price
                .map(|p| format!(" ({} each)", money(p, currency)))
                .unwrap_or_default()
        )
    }
}

/// "staff 1,000; call-centre desks 800" for the classes that got User (or Device) CALs, each
/// with those of them whose need owned CAL Suites cover ("Office staff 10 (6 of them holding
/// owned Core CAL Suites)"): the suites' parts count as owned CALs (review 45: the six holders
/// read as User CALs chosen for them, while the product's "Via suites" counted only suites to
/// buy).
fn class_text(demand: &Demand, ps: &ProductSolution, user: bool, covered: &SuiteCovered) -> String {
    let inst = &demand.instance;
    let person = |c: usize| inst.people.get(c).map_or("", |p| p.label.as_str());
    let kind = if user {
        LicenceKind::UserCal
    } else {
        LicenceKind::DeviceCal
    };
    let held = covered
        .get(&(ps.product, kind))
        .map_or(&[][..], Vec::as_slice);
    // " (6 of them holding owned Core CAL Suites)" for the `n` of `subject`.
    let holding = |subject: Subject, n: u64| -> String {
        let by: Vec<(&str, u64)> = (held.iter())
            .filter(|h| h.0 == subject)
            .map(|h| (h.1, h.2))
            .collect();
        let k: u64 = by.iter().map(|b| b.1).sum::<u64>().min(n);
        let (an, plural) = if k == 1 { ("an ", "") } else { ("", "s") };
        let names: Vec<String> = by.iter().map(|b| format!("{}{plural}", b.0)).collect();
        let suites = format!("{an}owned {}", names.join(" and "));
        match k {
            0 => String::new(),
            k if k == n => format!(" (holding {suites})"),
            k => format!(" ({} of them holding {suites})", thousands(k)),
        }
    };
    let mut parts = Vec::new();
    if user {
        for (c, &n) in ps.user_cals_per_class.iter().enumerate() {
            if n > 0 {
                let n = u64::from(n);
                parts.push(format!(
                    "{} {}{}",
                    person(c),
                    thousands(n),
                    holding(Subject::Person(c), n)
                ));
            }
        }
    } else {
        for (c, &n) in ps.own_device_cals_per_class.iter().enumerate() {
            if n > 0 {
                let each = devices_each(inst, c);
                parts.push(format!(
                    "{}{}",
                    crate::engine::own_devices_label(person(c), u64::from(n), each),
                    holding(Subject::Own(c), u64::from(n) * each)
                ));
            }
        }
        for (d, &n) in ps.device_cals_per_class.iter().enumerate() {
            if n > 0 {
                let label = inst.devices.get(d).map_or("", |p| p.label.as_str());
                let n = u64::from(n);
                parts.push(format!(
                    "{label} {}{}",
                    thousands(n),
                    holding(Subject::Device(d), n)
                ));
            }
        }
    }
    short_list(&parts)
}
