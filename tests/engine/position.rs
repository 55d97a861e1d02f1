//! The Effective License Position: properties that must hold for any estate, and the allocation
//! of owned licences by version.

use cal_calc::estate::{CalProduct, Date, Estate, LicenceKind};
use cal_calc::report::FindingKind;
use cal_calc::report::Report;
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use serde_json::{json, Value};

const AS_OF: Date = Date {
    year: 2026,
    month: 6,
    day: 1,
};

const VERSIONS: [&str; 5] = ["2012 R2", "2016", "2019", "2022", "2025"];

fn eval(v: &Value) -> Report {
    let e = Estate::from_json(&v.to_string()).expect("generated estates are valid");
    cal_calc::evaluate(&e, AS_OF).expect("generated estates evaluate")
}

/// An organisation's price of `kind` of `product`, in minor units.
fn price(product: &str, kind: &str, amount: i64) -> Value {
    json!({ "item": { "product": product, "kind": kind }, "amount_minor": amount })
}

/// A small random estate: groups (internal or partner), a shared pool, servers of several
/// versions, RDS on one of them, and owned CALs of random versions.
fn estate() -> impl Strategy<Value = Value> {
    (
        prop::collection::vec((1u32..60, 0u32..4, prop::bool::ANY), 1..4),
        1u32..20,
        prop::collection::vec(0usize..VERSIONS.len(), 1..4),
        prop::collection::vec((0usize..VERSIONS.len(), 0u32..80, prop::bool::ANY), 0..4),
        prop::bool::ANY,
    )
        .prop_map(|(groups, pool, servers, holdings, rds)| {
            let gs: Vec<Value> = groups
                .iter()
                .enumerate()
                .map(|(i, (n, d, partner))| {
                    json!({ "id": format!("g{i}"), "count": n, "devices_each": d,
                            "kind": if *partner { "partner" } else { "employee" } })
                })
                .collect();
            let ids: Vec<String> = (0..groups.len()).map(|i| format!("g{i}")).collect();
            let ss: Vec<Value> = servers
                .iter()
                .enumerate()
                .map(|(i, v)| {
                    json!({ "id": format!("s{i}"), "product": "windows-server", "version": VERSIONS[*v],
                            "rds_session_host": rds && i == 0 })
                })
                .collect();
            let sids: Vec<String> = (0..servers.len()).map(|i| format!("s{i}")).collect();
            let mut access = vec![json!({ "groups": ids, "servers": sids })];
            if rds {
                access.push(json!({ "groups": ["g0"], "servers": ["s0"], "features": ["remote-desktop"] }));
            }
            let hs: Vec<Value> = holdings
                .iter()
                .map(|(v, q, user)| {
                    let version = VERSIONS[*v].replace(" R2", "");
                    json!({ "product": "windows-server", "kind": if *user { "user-cal" } else { "device-cal" },
                            "version": version, "quantity": q })
                })
                .collect();
            json!({
                "groups": gs,
                "shared_devices": [{ "id": "pool", "count": pool, "shared_by": ["g0"] }],
                "servers": ss,
                "access": access,
                "holdings": hs
            })
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn each_row_adds_up(e in estate()) {
        let r = eval(&e);
        for row in &r.position {
            prop_assert_eq!(row.needed, row.covered + row.shortfall, "{:?}", row);
            prop_assert_eq!(row.owned, row.used + row.surplus, "{:?}", row);
        }
    }

    #[test]
    fn surplus_beside_a_shortfall_is_only_a_suites_part(e in estate()) {
        let r = eval(&e);
        for row in &r.position {
            // A suite's part idle beside a shortfall goes with its holder (cal-rules §1.12).
            prop_assert!(!(row.surplus > row.surplus_in_suites && row.shortfall > 0), "{:?}", row);
        }
    }

    #[test]
    fn owned_licences_are_used_once(e in estate()) {
        let r = eval(&e);
        for row in &r.position {
            prop_assert!(row.surplus <= row.owned, "{:?}", row);
        }
        let owned: u64 = r.position.iter().map(|p| p.owned).sum();
        let idle: u64 = r.position.iter().map(|p| p.surplus).sum();
        let used: u64 = r.position.iter().map(|p| p.used).sum();
        let covered: u64 = r.position.iter().map(|p| p.covered).sum();
        prop_assert_eq!(owned - idle, used);
        // Each licence in use covers exactly one need.
        prop_assert_eq!(used, covered);
    }

    #[test]
    fn recommendation_equals_the_cost_to_close(e in estate()) {
        let r = eval(&e);
        let close: i64 = r.position.iter().map(|p| p.cost_to_close_minor).sum();
        let lines: i64 = r.recommendation.lines.iter().map(|l| l.cost_minor).sum();
        prop_assert_eq!((r.recommendation.total_minor, lines), (close, close));
        // And each row's shortfall at the price list's unit price, not the rows' own costs.
        let estate = Estate::from_json(&e.to_string()).expect("generated estates are valid");
        let listed = crate::examples::shortfall_at_list_prices(&estate, &r);
        prop_assert_eq!(r.recommendation.total_minor, listed);
    }

    #[test]
    fn the_recommendation_is_never_dearer_than_a_simple_model(e in estate()) {
        let r = eval(&e);
        for s in r.scenarios.iter().filter(|s| s.total_minor >= 0) {
            prop_assert!(r.recommendation.total_minor <= s.total_minor, "{} {}", s.id, s.total_minor);
        }
    }

    #[test]
    fn without_holdings_the_recommendation_is_proven(e in estate()) {
        let mut bare = e.clone();
        bare["holdings"] = json!([]);
        let r = eval(&bare);
        prop_assert!(r.recommendation.exact, "gap {}", r.recommendation.gap_minor);
    }

    #[test]
    fn adding_a_person_never_lowers_the_need(e in estate()) {
        let before = eval(&e);
        let mut more = e.clone();
        if let Some(n) = more.pointer_mut("/groups/0/count") {
            *n = json!(n.as_u64().unwrap_or(0) + 1);
        }
        let after = eval(&more);
        let people = |r: &Report| r.products.iter().map(|p| p.people.value).sum::<u64>();
        let cost = |r: &Report| r.scenarios.iter().find(|s| s.id == "optimal").map(|s| s.total_minor);
        prop_assert!(people(&after) > people(&before));
        // Without owned licences the optimum is exact, so its cost can only grow.
        if e["holdings"].as_array().is_some_and(|h| h.is_empty()) {
            prop_assert!(cost(&after) >= cost(&before));
        }
    }
}

fn two_versions(holdings: Value) -> Report {
    eval(&json!({
        "groups": [{ "id": "old", "count": 10, "devices_each": 2 }, { "id": "new", "count": 10, "devices_each": 2 }],
        "servers": [{ "id": "s19", "product": "windows-server", "version": "2019" },
                    { "id": "s22", "product": "windows-server", "version": "2022" }],
        "access": [{ "groups": ["old"], "servers": ["s19"] }, { "groups": ["new"], "servers": ["s22"] }],
        "holdings": holdings
    }))
}

/// (version, owned, used, surplus, needed, covered, shortfall) of each Windows Server row.
type Row = (String, u64, u64, u64, u64, u64, u64);

fn rows(r: &Report) -> Vec<Row> {
    r.position
        .iter()
        .filter(|p| p.product == CalProduct::WindowsServer)
        .map(|p| {
            (
                p.version.clone(),
                p.owned,
                p.used,
                p.surplus,
                p.needed,
                p.covered,
                p.shortfall,
            )
        })
        .collect()
}

#[test]
fn position_rows_are_per_version_of_the_servers_reached() {
    let r = two_versions(json!([]));
    assert_eq!(
        rows(&r),
        vec![
            ("2022".into(), 0, 0, 0, 10, 0, 10),
            ("2019".into(), 0, 0, 0, 10, 0, 10)
        ]
    );
}

#[test]
fn older_owned_cals_cover_the_people_on_older_servers() {
    let r = two_versions(
        json!([{ "product": "windows-server", "kind": "user-cal", "version": "2019", "quantity": 10 }]),
    );
    assert_eq!(
        rows(&r),
        vec![
            ("2022".into(), 0, 0, 0, 10, 0, 10),
            ("2019".into(), 10, 10, 0, 10, 10, 0)
        ]
    );
}

#[test]
fn a_newer_cal_covering_an_older_need_is_used_on_its_own_row_and_covers_the_other() {
    // Only 2019 servers; 10 owned 2022 CALs cover them. Each row adds up on its own: the 2022
    // row owns and uses them, the 2019 row needs and is covered (QA: the old table put "used"
    // on the 2019 row, so owned − used ≠ surplus on both rows).
    let r = eval(&json!({
        "groups": [{ "id": "old", "count": 10, "devices_each": 1 }],
        "servers": [{ "id": "s19", "product": "windows-server", "version": "2019" }],
        "access": [{ "groups": ["old"], "servers": ["s19"] }],
        "holdings": [{ "product": "windows-server", "kind": "user-cal", "version": "2022", "quantity": 12 }]
    }));
    assert_eq!(
        rows(&r),
        vec![
            ("2022".into(), 12, 10, 2, 0, 0, 0),
            ("2019".into(), 0, 0, 0, 10, 10, 0)
        ]
    );
    let why: Vec<&str> = r
        .position
        .iter()
        .filter(|p| p.product == CalProduct::WindowsServer)
        .map(|p| p.why.text.as_str())
        .collect();
    assert!(why[0].contains("10 for version 2019 needs"), "{}", why[0]);
    assert!(why[1].contains("10 of version 2022"), "{}", why[1]);
}

#[test]
fn newer_owned_cals_are_kept_for_the_newer_need() {
    let r = two_versions(json!([
        { "product": "windows-server", "kind": "user-cal", "version": "2022", "quantity": 10 },
        { "product": "windows-server", "kind": "user-cal", "version": "2019", "quantity": 10 }
    ]));
    assert_eq!(r.recommendation.total_minor, 0);
}

#[test]
fn older_owned_cals_used_by_the_position_are_proven_by_the_relaxation() {
    // The optimiser only sees CALs of the newest version needed; the position uses the 2019 ones
    // for the people on the 2019 server, and the relaxation's bound proves the result: 10 × $45.
    let r = two_versions(
        json!([{ "product": "windows-server", "kind": "user-cal", "version": "2019", "quantity": 10 }]),
    );
    assert_eq!(
        (r.recommendation.total_minor, r.recommendation.exact),
        (45_000, true)
    );
}

#[test]
fn purchase_lines_buy_the_current_version() {
    let r = two_versions(json!([]));
    let versions: Vec<&str> = r
        .recommendation
        .lines
        .iter()
        .map(|l| l.version.as_str())
        .collect();
    assert_eq!(versions, vec!["2025"]);
}

#[test]
fn owned_cals_nobody_needs_are_surplus() {
    let r = eval(&json!({
        "holdings": [{ "product": "sql-server", "kind": "user-cal", "version": "2019", "quantity": 7 }]
    }));
    let row = r
        .position
        .iter()
        .find(|p| p.product == CalProduct::SqlServer)
        .map(|p| (p.needed, p.surplus));
    assert_eq!(row, Some((0, 7)));
}

fn extreme() -> impl Strategy<Value = Value> {
    (
        0u32..=10_000_000,
        0u32..=1_000,
        0i64..=1_000_000_000_000,
        0i64..=1_000_000_000_000,
        prop::sample::select(vec!["employee", "partner", "customer", "anonymous-visitor"]),
        0u32..=10_000_000,
    )
        .prop_map(|(count, devices, user, device, kind, owned)| {
            json!({
                "organisation": { "prices": [
                    { "item": { "product": "windows-server", "kind": "user-cal" }, "amount_minor": user },
                    { "item": { "product": "windows-server", "kind": "device-cal" }, "amount_minor": device },
                    { "item": { "product": "windows-server", "kind": "external-connector" }, "amount_minor": user }
                ] },
                "groups": [{ "id": "g", "count": count, "devices_each": devices, "kind": kind }],
                "shared_devices": [{ "id": "p", "count": count, "shared_by": ["g"] }],
                "servers": [{ "id": "s", "product": "windows-server", "version": "2022", "rds_session_host": true }],
                "access": [{ "groups": ["g"], "servers": ["s"], "features": ["remote-desktop"] }],
                "holdings": [{ "product": "windows-server", "kind": "user-cal", "version": "2019", "quantity": owned }]
            })
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// Any valid estate, however large its counts and prices, gives a report or a typed error.
    #[test]
    fn extreme_counts_and_prices_never_panic(e in extreme()) {
        let estate = Estate::from_json(&e.to_string()).expect("valid");
        if let Ok(r) = cal_calc::evaluate(&estate, AS_OF) {
            prop_assert!(r.recommendation.total_minor >= 0);
        }
    }
}

/// A richer random estate: several products, features, Microsoft 365 (at times with too few
/// seats for the staff and administrators flagged), suites priced, admins, printers, partners,
/// SQL Server both ways, and owned CALs and suites.
fn rich_estate() -> impl Strategy<Value = Value> {
    (
        1u32..80,
        0u32..4,
        0u32..30,
        0u32..8,
        0u32..40,
        prop::sample::select(vec![None, Some("e3"), Some("e5")]),
        prop::sample::select(vec!["2016", "2019", "2022", "2025"]),
        prop::bool::ANY,
        (0u32..60, 0u32..60, prop::bool::ANY),
        (prop::bool::ANY, 1u32..100),
    )
        .prop_map(|(staff, devices, shift, admins, partners, m365, ws_version, suites, (owned_ws, owned_suite, sa), (admins_flagged, seated))| {
            let mut prices = vec![];
            if suites {
                prices.push(json!({ "item": { "product": "core-cal-suite", "kind": "user-cal" }, "amount_minor": 15000 }));
                prices.push(json!({ "item": { "product": "enterprise-cal-suite", "kind": "user-cal" }, "amount_minor": 30000 }));
                prices.push(json!({ "item": { "product": "share-point-standard", "kind": "user-cal" }, "amount_minor": 9000 }));
                prices.push(json!({ "item": { "product": "share-point-standard", "kind": "device-cal" }, "amount_minor": 8000 }));
            }
            let mut staff_group = json!({ "id": "staff", "count": staff, "devices_each": devices });
            let mut admins_group = json!({ "id": "admins", "count": admins, "devices_each": 2, "admin_only": true });
            let mut organisation = json!({ "prices": prices });
            if let Some(plan) = m365 {
                staff_group["m365"] = json!(plan);
                // Administrators flagged too, with seats for `seated` % of everyone flagged:
                // too few seats for two groups, a choice the full evaluation prices.
                if admins_flagged {
                    admins_group["m365"] = json!(plan);
                    let seats = ((staff + admins) * seated / 100).max(1);
                    organisation["m365"] = json!({ format!("{plan}_seats"): seats });
                }
            }
            let mut holdings = vec![json!({ "product": "windows-server", "kind": "user-cal", "version": "2019", "quantity": owned_ws })];
            let mut suite = json!({ "product": "core-cal-suite", "kind": "user-cal", "quantity": owned_suite });
            if sa {
                suite["software_assurance"] = json!({ "since": "2018-01-01", "until": "2021-01-01" });
            }
            holdings.push(suite);
            json!({
                "organisation": organisation,
                "groups": [
                    staff_group,
                    { "id": "shift", "count": shift, "devices_each": 0 },
                    admins_group,
                    { "id": "partners", "count": partners, "kind": "partner" }
                ],
                "shared_devices": [
                    { "id": "desks", "count": 1 + shift / 4, "shared_by": ["shift"] },
                    { "id": "printers", "count": 3, "unattended": true, "accesses": ["fs"] }
                ],
                "servers": [
                    { "id": "hv", "product": "windows-server", "version": "2022", "virtualization_only": true },
                    { "id": "fs", "product": "windows-server", "version": ws_version, "host": "hv", "vm": true },
                    { "id": "rdsh", "product": "windows-server", "version": "2022", "host": "hv", "vm": true, "rds_session_host": true },
                    { "id": "ex", "product": "exchange", "version": "2019", "windows_version": "2019", "host": "hv", "vm": true },
                    { "id": "sp", "product": "share-point", "version": "2019", "windows_version": "2019" },
                    { "id": "db", "product": "sql-server", "version": "2019", "windows_version": "2019", "sql_licensing": "server-cal", "cores": 4 }
                ],
                "access": [
                    { "groups": ["staff", "shift", "admins"], "servers": ["fs", "ex", "sp"] },
                    { "groups": ["staff"], "servers": ["ex"], "features": ["exchange-enterprise"] },
                    { "groups": ["shift", "partners"], "servers": ["rdsh"], "features": ["remote-desktop"] },
                    { "groups": ["staff", "partners"], "servers": ["db"], "via": "web app" },
                    { "groups": ["partners"], "servers": ["sp", "fs"] },
                    { "groups": ["admins"], "servers": ["rdsh", "db", "hv"] }
                ],
                "holdings": holdings
            })
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    #[test]
    fn rich_estates_keep_the_position_consistent(e in rich_estate()) {
        let r = eval(&e);
        // The position gives each owned suite to holders across all its parts, so the bound
        // that proves a suite counted for two people never finds one (review 43, H1).
        prop_assert!(r.findings.iter().all(|f| f.kind != FindingKind::SuiteSplit), "{:?}",
            r.findings.iter().find(|f| f.kind == FindingKind::SuiteSplit));
        for row in &r.position {
            prop_assert_eq!(row.needed, row.covered + row.shortfall, "{:?}", row);
            prop_assert_eq!(row.owned, row.used + row.surplus, "{:?}", row);
            // A suite's part idle beside a shortfall goes with its holder (cal-rules §1.12).
            // Only a proven answer promises no idle licence a buyer could take: an unproven one
            // states its gap (the seed kept on 7 Dec 2026: 59 staff and 6 administrators flagged
            // E3 with 23 seats, 37 owned Core CAL Suites whose Software Assurance ended in 2021,
            // one of them idle beside 4 bought; "not proven optimal … at most $7,560.00
            // cheaper").
            prop_assert!(!(r.recommendation.exact && row.surplus > row.surplus_in_suites && row.shortfall > 0), "{:?}", row);
        }
        let close: i64 = r.position.iter().map(|p| p.cost_to_close_minor).sum();
        prop_assert_eq!(r.recommendation.total_minor, close);
        let estate = Estate::from_json(&e.to_string()).expect("generated estates are valid");
        let listed = crate::examples::shortfall_at_list_prices(&estate, &r);
        prop_assert_eq!(r.recommendation.total_minor, listed);
        // A scenario that buys items with no price leaves them out of its total: not comparable.
        for s in r.scenarios.iter().filter(|s| s.total_minor >= 0 && !s.price_missing) {
            prop_assert!(r.recommendation.total_minor <= s.total_minor, "{} {}", s.id, s.total_minor);
        }
    }

    #[test]
    fn rich_estates_without_holdings_are_proven(e in rich_estate()) {
        let mut bare = e.clone();
        bare["holdings"] = json!([]);
        // Seats too few for two groups are a choice the bound does not settle either.
        if let Some(o) = bare["organisation"].as_object_mut() {
            o.remove("m365");
        }
        let r = eval(&bare);
        prop_assert!(r.recommendation.exact, "gap {}", r.recommendation.gap_minor);
    }
}

/// cal-rules.md §1.3, §5, end to end: two shift workers, one owned Core CAL Suite (device). One
/// terminal takes the owned suite; the other is cheapest on an Enterprise device suite ($50),
/// not a second Core suite ($60) or a Windows Server Device CAL ($55). Before the optimiser
/// could split a class between licences the report said $55 and "not proven".
#[test]
fn an_owned_suite_that_covers_one_of_two_shift_workers_leaves_one_suite_to_buy() {
    let r = eval(&json!({
        "format_version": 1,
        "name": "Shift terminals and one owned Core device suite",
        "organisation": { "prices": [
            price("windows-server", "user-cal", 8000),
            price("windows-server", "device-cal", 5500),
            price("core-cal-suite", "user-cal", 8000),
            price("core-cal-suite", "device-cal", 6000),
            price("enterprise-cal-suite", "user-cal", 7000),
            price("enterprise-cal-suite", "device-cal", 5000),
        ] },
        "groups": [{ "id": "shift", "count": 2, "devices_each": 1 }],
        "servers": [{ "id": "fs", "product": "windows-server", "version": "2022" }],
        "access": [{ "groups": ["shift"], "servers": ["fs"] }],
        "holdings": [{ "product": "core-cal-suite", "kind": "device-cal", "quantity": 1 }]
    }));
    let bought: Vec<(CalProduct, u64, i64)> = r
        .recommendation
        .lines
        .iter()
        .map(|l| (l.product, l.quantity, l.cost_minor))
        .collect();
    assert_eq!(
        (bought, r.recommendation.total_minor, r.recommendation.exact),
        (vec![(CalProduct::EnterpriseCalSuite, 1, 5000)], 5000, true)
    );
}

/// Owned CALs of several generations, each group on a server of its own version: one group is
/// short whatever the mix, so the purchase ($450) is the least. The bound that lets every owned
/// CAL count whatever its version said "at most $450 cheaper"; the same bound at each newer
/// generation sees that only 10 CALs cover the 2022 and 2025 servers, and proves it.
#[test]
fn owned_cals_of_older_generations_do_not_leave_a_plain_answer_unproven() {
    let group = |id: &str| json!({ "id": id, "count": 10, "devices_each": 2 });
    let server = |id: &str, v: &str| json!({ "id": id, "product": "windows-server", "version": v });
    let cals = |v: &str, sa: Value| {
        let mut h = json!({ "product": "windows-server", "kind": "user-cal", "version": v, "quantity": 10 });
        if !sa.is_null() {
            h["software_assurance"] = sa;
        }
        h
    };
    let r = eval(&json!({
        "groups": [group("a"), group("b"), group("c"), group("d")],
        "servers": [server("s12", "2012 R2"), server("s16", "2016"), server("s22", "2022"), server("s25", "2025")],
        "access": [{ "groups": ["a"], "servers": ["s12"] }, { "groups": ["b"], "servers": ["s16"] },
                   { "groups": ["c"], "servers": ["s22"] }, { "groups": ["d"], "servers": ["s25"] }],
        "holdings": [
            cals("2012", Value::Null),
            cals("2012", json!({ "since": "2013-01-01", "until": "2016-10-14" })),
            cals("2016", json!({ "since": "2017-01-01", "until": "2021-08-18" })),
            cals("2019", json!({ "since": "2019-01-01" }))
        ]
    }));
    let rec = &r.recommendation;
    assert_eq!(
        (rec.total_minor, rec.exact, rec.gap_minor),
        (45_000, true, 0)
    );
}

/// Two owned External Connectors assigned to one host are worth one: with external users on two
/// hosts, one more connector ($2,900) is the least, and proven so.
#[test]
fn connectors_assigned_to_one_host_count_once_in_the_bound() {
    let vm = |id: &str, host: &str| json!({ "id": id, "product": "windows-server", "version": "2022", "host": host, "vm": true });
    let host = |id: &str| json!({ "id": id, "product": "windows-server", "version": "2022", "virtualization_only": true });
    let r = eval(&json!({
        "groups": [{ "id": "p", "count": 500, "kind": "partner" }],
        "servers": [host("h1"), host("h2"), vm("v1", "h1"), vm("v2", "h1"), vm("v3", "h2")],
        "access": [{ "groups": ["p"], "servers": ["v1", "v2", "v3"] }],
        "holdings": [{ "product": "windows-server", "kind": "external-connector", "version": "2022",
                       "quantity": 2, "assigned_to": "h1" }]
    }));
    let rec = &r.recommendation;
    assert_eq!((rec.total_minor, rec.exact), (290_000, true));
}

/// An RDS External Connector needs a Windows Server one on its host, even on an Essentials
/// server whose external users need no Windows Server licence: the owned one assigned there is
/// that base, so one RDS connector ($10) licenses the 10 guests, not 10 RDS User CALs ($1,600).
#[test]
fn an_owned_connector_on_an_essentials_host_is_the_base_of_an_rds_connector() {
    // With 20 guests the optimiser's bound (291,000: the base connector priced as bought) was
    // above the 1,000 licensing the position found, and debug builds stopped on it.
    for guests in [10, 20] {
        let r = eval(&json!({
        "groups": [{ "id": "guests", "count": guests, "kind": "partner" }],
        "servers": [{ "id": "s0", "product": "windows-server", "version": "2019", "edition": "essentials",
                      "rds_session_host": true, "rds_mode": "per-device" }],
        "access": [{ "groups": ["guests"], "servers": ["s0"], "features": ["remote-desktop"] }],
        "holdings": [{ "product": "windows-server", "kind": "external-connector", "version": "2022",
                       "quantity": 1, "assigned_to": "s0" }],
        "organisation": { "prices": [
            { "item": { "product": "rds", "kind": "external-connector" }, "amount_minor": 1_000 }
        ] }
        }));
        assert_eq!(
            (r.recommendation.total_minor, r.recommendation.exact),
            (1_000, true),
            "{guests} guests"
        );
    }
}

/// The Essentials session host above (2019) beside a 2025 file server five staff use: the
/// connector a base of an RDS one needs there is held to the host's version, not the newest
/// server's (review 22: a 2022 one was called idle and $1,600 of RDS User CALs were bought).
fn essentials_beside_a_2025_server(holdings: Value, ws_connector_minor: Option<i64>) -> Report {
    let mut prices = vec![
        json!({ "item": { "product": "rds", "kind": "external-connector" }, "amount_minor": 1_000 }),
    ];
    if let Some(p) = ws_connector_minor {
        prices.push(
            json!({ "item": { "product": "windows-server", "kind": "external-connector" },
                            "amount_minor": p }),
        );
    }
    let mut holdings = holdings.as_array().cloned().unwrap_or_default();
    holdings.push(json!({ "product": "windows-server", "kind": "user-cal", "version": "2025", "quantity": 5 }));
    eval(&json!({
        "groups": [{ "id": "guests", "count": 10, "kind": "partner" }, { "id": "staff", "count": 5 }],
        "servers": [{ "id": "s0", "product": "windows-server", "version": "2019", "edition": "essentials",
                      "rds_session_host": true, "rds_mode": "per-device" },
                    { "id": "fs", "product": "windows-server", "version": "2025" }],
        "access": [{ "groups": ["guests"], "servers": ["s0"], "features": ["remote-desktop"] },
                   { "groups": ["staff"], "servers": ["fs"] }],
        "holdings": holdings,
        "organisation": { "prices": prices }
    }))
}

/// The Windows Server External Connector rows of the position.
fn connector_rows(r: &Report) -> Vec<Row> {
    rows(r)
        .into_iter()
        .zip(
            r.position
                .iter()
                .filter(|p| p.product == CalProduct::WindowsServer),
        )
        .filter(|(_, p)| p.kind == LicenceKind::ExternalConnector)
        .map(|(row, _)| row)
        .collect()
}

#[test]
fn a_connector_beneath_an_rds_one_is_of_the_essentials_hosts_version() {
    // An owned 2022 connector assigned to the 2019 host is the base: one RDS connector.
    let r = essentials_beside_a_2025_server(
        json!([{ "product": "windows-server", "kind": "external-connector", "version": "2022",
                 "quantity": 1, "assigned_to": "s0" }]),
        None,
    );
    assert_eq!(
        (r.recommendation.total_minor, r.recommendation.exact),
        (1_000, true)
    );
    assert_eq!(
        connector_rows(&r),
        vec![
            ("2022".into(), 1, 1, 0, 0, 0, 0),
            ("2019".into(), 0, 0, 0, 1, 1, 0)
        ]
    );
    // None owned: the one to buy is needed for 2019, the host's version, not 2025.
    let r = essentials_beside_a_2025_server(json!([]), Some(5));
    assert_eq!(
        (r.recommendation.total_minor, r.recommendation.exact),
        (1_005, true)
    );
    assert_eq!(connector_rows(&r), vec![("2019".into(), 0, 0, 0, 1, 0, 1)]);
    let line = r
        .recommendation
        .lines
        .iter()
        .find(|l| l.product == CalProduct::WindowsServer)
        .expect("a Windows Server connector is bought");
    assert!(
        line.why.text.contains("shortfall 1 for 2019"),
        "{}",
        line.why.text
    );
    // An owned 2012 one assigned there is older than the host: it covers nothing, and the
    // cheapest licensing is the same as with none ($5 + $10, not 10 RDS User CALs).
    let r = essentials_beside_a_2025_server(
        json!([{ "product": "windows-server", "kind": "external-connector", "version": "2012",
                 "quantity": 1, "assigned_to": "s0" }]),
        Some(5),
    );
    assert_eq!(
        (r.recommendation.total_minor, r.recommendation.exact),
        (1_005, true)
    );
    assert_eq!(
        connector_rows(&r),
        vec![
            ("2019".into(), 0, 0, 0, 1, 0, 1),
            ("2012".into(), 1, 0, 1, 0, 0, 0)
        ]
    );
}

/// An unassigned owned connector may serve as the base of an RDS one on an Essentials host of its
/// version, and one older than every such host serves nowhere (review 22b: a 2019 one beside a
/// 2022 host was neither pooled nor placed and $1,600 of RDS CALs were called proven; a 2016 one
/// counted free in the lower bound and a proven answer was called unproven).
#[test]
fn an_unassigned_connector_is_the_base_on_an_essentials_host_of_its_version() {
    let guests_on = |servers: Value, gb_features: Value, holdings: Value| {
        eval(&json!({
            "groups": [{ "id": "ga", "count": 10, "kind": "partner" },
                       { "id": "gb", "count": 10, "kind": "partner" }],
            "servers": servers,
            "access": [{ "groups": ["ga"], "servers": ["ess"], "features": ["remote-desktop"] },
                       { "groups": ["gb"], "servers": ["other"], "features": gb_features }],
            "holdings": holdings,
            "organisation": { "prices": [{ "item": { "product": "rds", "kind": "external-connector" },
                                           "amount_minor": 1_000 }] }
        }))
    };
    let ess = json!({ "id": "ess", "product": "windows-server", "version": "2019",
                      "edition": "essentials", "rds_session_host": true, "rds_mode": "per-user" });
    let ec = |v: &str| {
        json!({ "product": "windows-server", "kind": "external-connector",
                               "version": v, "quantity": 1 })
    };
    // Beside a 2022 standard session host with a 2022 connector: the 2019 one is the base on the
    // Essentials host, and two RDS connectors ($20) are all there is to buy.
    let other = json!({ "id": "other", "product": "windows-server", "version": "2022",
                        "rds_session_host": true, "rds_mode": "per-user" });
    let r = guests_on(
        json!([ess, other]),
        json!(["remote-desktop"]),
        json!([ec("2019"), ec("2022")]),
    );
    assert_eq!(
        (r.recommendation.total_minor, r.recommendation.exact),
        (2_000, true)
    );
    // Beside a 2025 web server with its own connector assigned: one RDS connector ($10).
    let web = json!({ "id": "other", "product": "windows-server", "version": "2025" });
    let mut assigned = ec("2025");
    assigned["assigned_to"] = json!("other");
    let r = guests_on(json!([ess, web]), json!([]), json!([ec("2019"), assigned]));
    assert_eq!(
        (r.recommendation.total_minor, r.recommendation.exact),
        (1_000, true)
    );
    // A 2016 one is too old for the 2019 host: RDS Device CALs it is, and that is proven.
    let r = eval(&json!({
        "groups": [{ "id": "guests", "count": 10, "kind": "partner" }],
        "servers": [{ "id": "s0", "product": "windows-server", "version": "2019",
                      "edition": "essentials", "rds_session_host": true, "rds_mode": "per-device" }],
        "access": [{ "groups": ["guests"], "servers": ["s0"], "features": ["remote-desktop"] }],
        "holdings": [ec("2016")],
        "organisation": { "prices": [{ "item": { "product": "rds", "kind": "external-connector" },
                                       "amount_minor": 1_000 }] }
    }));
    assert_eq!(
        (r.recommendation.total_minor, r.recommendation.exact),
        (160_000, true)
    );
}

/// A pay-as-you-go VM on the physical host of an Essentials session host does not license the
/// Windows Server connector an RDS one there needs beneath it (review 22b: $10 for one RDS
/// connector alone was called proven).
#[test]
fn a_pay_as_you_go_vm_does_not_license_the_base_of_an_essentials_hosts_connector() {
    let r = eval(&json!({
        "groups": [{ "id": "guests", "count": 10, "kind": "partner" }, { "id": "staff", "count": 5 }],
        "servers": [
            { "id": "payg", "product": "windows-server", "version": "2025", "pay_as_you_go": true,
              "host": "hv", "vm": true },
            { "id": "s0", "product": "windows-server", "version": "2019", "edition": "essentials",
              "host": "hv", "vm": true, "rds_session_host": true, "rds_mode": "per-user" }],
        "access": [{ "groups": ["guests"], "servers": ["s0"], "features": ["remote-desktop"] },
                   { "groups": ["staff"], "servers": ["payg"] }],
        "organisation": { "prices": [{ "item": { "product": "rds", "kind": "external-connector" },
                                       "amount_minor": 1_000 }] }
    }));
    // No Windows Server connector is on sale: RDS User CALs for the ten guests.
    assert_eq!(
        (r.recommendation.total_minor, r.recommendation.exact),
        (160_000, true)
    );
}

/// How often an estate of the kind above (several products, suites on sale, Microsoft 365, owned
/// Windows Server CALs and Core CAL Suites) ends unproven, and by how much (docs/benchmarks.md).
/// Run: `cargo test --profile stress --test engine rich_estate_census -- --ignored --nocapture`.
#[test]
#[ignore]
fn rich_estate_census() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let mut gaps: Vec<f64> = Vec::new();
    let n = 3000;
    for _ in 0..n {
        let e = match rich_estate().new_tree(&mut runner) {
            Ok(tree) => tree.current(),
            Err(e) => panic!("{e}"),
        };
        let r = eval(&e);
        let rec = &r.recommendation;
        assert_eq!(rec.exact, rec.gap_minor == 0);
        if !rec.exact {
            gaps.push(rec.gap_minor as f64 / rec.total_minor.max(1) as f64);
        }
    }
    gaps.sort_by(f64::total_cmp);
    let q = |p: f64| {
        gaps.get(((gaps.len() as f64 - 1.0) * p) as usize)
            .copied()
            .unwrap_or(0.0)
            * 100.0
    };
    eprintln!(
        "{n} estates: {} unproven; gap as a share of the total: median {:.2} %, 90th percentile {:.2} %, max {:.2} %",
        gaps.len(),
        q(0.5),
        q(0.9),
        q(1.0)
    );
}

/// Money in the report's texts is written with the currency's own minor unit (ISO 4217): the
/// app reads a typed yen price as whole yen, so 15 User CALs at ¥6,500 are ¥97,500, not
/// "JPY 975.00" as when every currency was taken to have cents.
#[test]
fn money_in_explanations_uses_the_currency_minor_unit() {
    let estate = |currency: &str, price: i64| {
        json!({
            "organisation": { "currency": currency, "prices": [
                { "item": { "product": "windows-server", "kind": "user-cal" }, "amount_minor": price },
                { "item": { "product": "windows-server", "kind": "device-cal" }, "amount_minor": price * 2 }
            ] },
            "groups": [{ "id": "staff", "count": 15, "devices_each": 1 }],
            "servers": [{ "id": "fs", "product": "windows-server", "version": "2022" }],
            "access": [{ "groups": ["staff"], "servers": ["fs"] }]
        })
    };
    let cases = [
        ("JPY", 6_500, "JPY 97,500"),
        ("KWD", 13_500, "KWD 202.500"),
        ("EUR", 4_200, "EUR 630.00"),
        ("USD", 4_500, "$675.00"),
    ];
    for (currency, price, total) in cases {
        let r = eval(&estate(currency, price));
        assert_eq!(r.recommendation.total_minor, 15 * price);
        assert!(
            r.recommendation.why.text.contains(total),
            "{currency}: {}",
            r.recommendation.why.text
        );
    }
    assert_eq!(
        ["jpy", "KRW", "BHD", "CLF", "USD", "XYZ"].map(cal_calc::position::minor_digits),
        [0, 0, 3, 4, 2, 2]
    );
}

/// Review 17: in JPY with only a User CAL price entered, "Device CALs for every device" read
/// JPY 0 and "JPY 0 to buy after what you own", though it needs 20 Device CALs that have no
/// price. A scenario that buys something unpriced has an unknown cost, as a purchase line has.
#[test]
fn a_scenario_buying_what_has_no_price_has_an_unknown_cost() {
    let r = eval(&json!({
        "organisation": { "currency": "JPY", "prices": [
            { "item": { "product": "windows-server", "kind": "user-cal" }, "amount_minor": 6_500 }
        ] },
        "groups": [{ "id": "a", "count": 10, "devices_each": 2 }],
        "servers": [{ "id": "s", "product": "windows-server", "version": "2022" }],
        "access": [{ "groups": ["a"], "servers": ["s"] }]
    }));
    let scenario = |id: &str| {
        r.scenarios
            .iter()
            .find(|s| s.id == id)
            .map(|s| (s.total_minor, s.price_missing, s.why.text.clone()))
            .unwrap_or_else(|| panic!("no scenario {id}"))
    };
    let (total, missing, why) = scenario("all-device");
    assert_eq!((total, missing), (0, true));
    assert!(
        why.ends_with(": an unknown amount to buy after what you own; the priced part costs JPY 0, and no price is known for 20 Windows Server 2025 Device CALs: enter their price to compare"),
        "{why}"
    );
    // The scenarios whose purchase is priced keep their figure.
    for id in ["all-user", "optimal"] {
        let (total, missing, why) = scenario(id);
        assert_eq!((total, missing), (65_000, false), "{id}");
        assert!(why.contains("JPY 65,000"), "{id}: {why}");
    }
}

/// Docs review 40: with only one kind of CAL priced and a device per person, the unpriced kind
/// tied with the priced one at its stand-in price and was bought: "buy for ?", 5 Device CALs with
/// no price, where User CALs for everyone cost EUR 250.00. Either way round, the priced kind is
/// bought where both need as many; where the unpriced kind needs fewer it is still taken.
#[test]
fn where_both_kinds_need_as_many_the_priced_one_is_bought() {
    let estate = |priced: &str, devices_each: u32| {
        json!({
            "organisation": { "currency": "EUR", "prices": [
                { "item": { "product": "windows-server", "kind": priced }, "amount_minor": 5_000 }
            ] },
            "groups": [{ "id": "h", "count": 5, "devices_each": devices_each }],
            "servers": [{ "id": "s", "product": "windows-server", "version": "2022" }],
            "access": [{ "groups": ["h"], "servers": ["s"] }]
        })
    };
    let kinds = |r: &Report| -> Vec<(LicenceKind, u64, bool)> {
        (r.recommendation.lines.iter())
            .map(|l| (l.kind, l.quantity, l.price_missing))
            .collect()
    };
    for (priced, kind) in [
        ("user-cal", LicenceKind::UserCal),
        ("device-cal", LicenceKind::DeviceCal),
    ] {
        let r = eval(&estate(priced, 1));
        assert_eq!(r.recommendation.total_minor, 25_000, "{priced}");
        assert!(r.recommendation.exact, "{priced}");
        assert_eq!(kinds(&r), [(kind, 5, false)], "{priced}");
    }
    // Two devices each: the 5 User CALs, though unpriced, are still fewer than 10 Device CALs.
    let r = eval(&estate("device-cal", 2));
    assert_eq!(kinds(&r), [(LicenceKind::UserCal, 5, true)]);
}

/// Small estates of Windows Server users on servers of several versions, with owned User and
/// Device CALs of random versions: the least purchase by brute force over how many of each group
/// take User CALs (the rest their own devices' Device CALs), each kind's purchase by Hall's
/// theorem on nested versions (`max over k of needed ≥ k − owned ≥ k`). The report's total is a
/// valid purchase (never below the least), its bound never above it, and a proven answer is it.
fn versioned_estate() -> impl Strategy<Value = (Value, i64)> {
    const V: [&str; 4] = ["2016", "2019", "2022", "2025"];
    (
        prop::collection::vec((1u32..5, 1u32..3, 0usize..V.len()), 1..4),
        prop::collection::vec((0usize..V.len(), 0u32..8, prop::bool::ANY), 0..4),
    )
        .prop_map(|(groups, holdings)| {
            let estate = json!({
                "groups": groups.iter().enumerate().map(|(i, &(n, d, _))| {
                    json!({ "id": format!("g{i}"), "count": n, "devices_each": d })
                }).collect::<Vec<_>>(),
                "servers": groups.iter().enumerate().map(|(i, &(_, _, v))| {
                    json!({ "id": format!("s{i}"), "product": "windows-server", "version": V[v] })
                }).collect::<Vec<_>>(),
                "access": groups.iter().enumerate().map(|(i, _)| {
                    json!({ "groups": [format!("g{i}")], "servers": [format!("s{i}")] })
                }).collect::<Vec<_>>(),
                "holdings": holdings.iter().map(|&(v, q, user)| {
                    json!({ "product": "windows-server", "kind": if user { "user-cal" } else { "device-cal" },
                            "version": V[v], "quantity": q })
                }).collect::<Vec<_>>(),
            });
            // Reference prices: User CAL 45.00, Device CAL 40.00.
            let (user_price, device_price) = (4_500i64, 4_000i64);
            let owned = |user: bool, k: usize| -> i64 {
                holdings
                    .iter()
                    .filter(|&&(v, _, u)| u == user && v >= k)
                    .map(|&(_, q, _)| i64::from(q))
                    .sum()
            };
            let buy = |need: &dyn Fn(usize) -> i64, user: bool| -> i64 {
                (0..V.len()).map(|k| (need(k) - owned(user, k)).max(0)).max().unwrap_or(0)
            };
            let mut best = i64::MAX;
            let mut choice = vec![0u32; groups.len()];
            loop {
                let users = |k: usize| -> i64 {
                    groups.iter().zip(&choice).filter(|(g, _)| g.2 >= k).map(|(_, &x)| i64::from(x)).sum()
                };
                let devices = |k: usize| -> i64 {
                    groups
                        .iter()
                        .zip(&choice)
                        .filter(|(g, _)| g.2 >= k)
                        .map(|(g, &x)| i64::from((g.0 - x) * g.1))
                        .sum()
                };
                best = best.min(buy(&users, true) * user_price + buy(&devices, false) * device_price);
                // Next choice: x_g from 0 to the group's count, like an odometer.
                let mut i = 0;
                while i < groups.len() && choice[i] == groups[i].0 {
                    choice[i] = 0;
                    i += 1;
                }
                if i == groups.len() {
                    break;
                }
                choice[i] += 1;
            }
            (estate, best)
        })
}

/// A report against the least purchase found by brute force: its total is never below it, its
/// bound never above it, and a proven answer is it.
fn holds_against_the_least(r: &Report, best: i64) -> Result<(), TestCaseError> {
    let rec = &r.recommendation;
    prop_assert!(
        rec.total_minor >= best,
        "total {} below the least {best}",
        rec.total_minor
    );
    prop_assert!(
        rec.total_minor - rec.gap_minor <= best,
        "bound {} above the least {best}",
        rec.total_minor - rec.gap_minor
    );
    if rec.exact {
        prop_assert_eq!(rec.total_minor, best);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(
        std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(128)
    ))]

    #[test]
    fn versioned_owned_cals_bound_and_exactness_hold_against_brute_force(
        (e, best) in versioned_estate()
    ) {
        let r = eval(&e);
        holds_against_the_least(&r, best)?;
        // Review 11: before the version-aware polish, owned Device CALs made current by SA lay
        // idle beside older User CALs and the report bought what the brute force did not. It
        // finds the least on all but a few in ten thousand of these estates (those need two
        // groups to trade a member at once); `versioned_least_census` counts them, and a
        // random seed must not fail the suite on one.
        // No suite price and no external user: neither restriction changes the cheapest mix.
        for id in ["optimal-no-ec", "optimal-no-suites"] {
            let s = r.scenarios.iter().find(|s| s.id == id);
            prop_assert_eq!(s.map(|s| s.total_minor), Some(r.recommendation.total_minor), "{}", id);
        }
    }
}

/// A small estate owning Core CAL Suites (User, with Software Assurance) whose people reach
/// Windows Server and some of them Exchange, with the least purchase by brute force: each suite
/// goes to one person and covers both products for them, so the suites go to the people whose
/// CALs would cost the most. No suite is worth buying at the prices given.
fn owned_suites_estate() -> impl Strategy<Value = (Value, i64)> {
    (
        prop::collection::vec((1u32..7, 1u32..3, prop::bool::ANY), 1..4),
        1u32..9,
    )
        .prop_map(|(groups, suites)| {
            let (ws_user, ws_device, ex_user, ex_device) = (4_500i64, 4_000i64, 7_600i64, 7_000i64);
            let mut prices = vec![
                price("windows-server", "user-cal", ws_user),
                price("windows-server", "device-cal", ws_device),
                price("exchange-standard", "user-cal", ex_user),
                price("exchange-standard", "device-cal", ex_device),
            ];
            for suite in ["core-cal-suite", "enterprise-cal-suite"] {
                for kind in ["user-cal", "device-cal"] {
                    prices.push(price(suite, kind, 100_000_000));
                }
            }
            let estate = json!({
                "organisation": { "prices": prices },
                "groups": groups.iter().enumerate().map(|(i, &(n, d, _))| {
                    json!({ "id": format!("g{i}"), "count": n, "devices_each": d })
                }).collect::<Vec<_>>(),
                "servers": [
                    { "id": "dc", "product": "windows-server", "version": "2022" },
                    { "id": "ex", "product": "exchange", "version": "2019" }
                ],
                "access": groups.iter().enumerate().map(|(i, &(_, _, mail))| {
                    let servers: &[&str] = if mail { &["dc", "ex"] } else { &["dc"] };
                    json!({ "groups": [format!("g{i}")], "servers": servers })
                }).collect::<Vec<_>>(),
                "holdings": [{ "product": "core-cal-suite", "kind": "user-cal", "quantity": suites,
                               "software_assurance": { "since": "2020-01-01" } }],
            });
            // Each person's CALs: per product, a User CAL or Device CALs for their devices.
            let mut each: Vec<i64> = Vec::new();
            for &(n, d, mail) in &groups {
                let d = i64::from(d);
                let cost =
                    ws_user.min(d * ws_device) + if mail { ex_user.min(d * ex_device) } else { 0 };
                each.extend(std::iter::repeat_n(cost, n as usize));
            }
            each.sort_unstable_by(|a, b| b.cmp(a));
            let best = each.iter().skip(suites as usize).sum();
            (estate, best)
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(
        std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(128)
    ))]

    /// Review 45: the optimiser counts an owned suite's parts product by product, so its bound
    /// alone left "at most $25.00 cheaper" on least answers; every way of sharing the suites,
    /// solved, proves them, and never claims a bound above the least.
    #[test]
    fn owned_suites_bound_and_exactness_hold_against_brute_force(
        (e, best) in owned_suites_estate()
    ) {
        let r = eval(&e);
        holds_against_the_least(&r, best)?;
    }
}

/// The estates of [`owned_suites_estate`] are all found least and proven, by sharing the suites
/// every way (a census: no random seed decides it).
#[test]
fn owned_suites_census_is_least_and_proven() {
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let (mut total, mut least, mut proven) = (0, 0, 0);
    for _ in 0..300 {
        let (e, best) = owned_suites_estate()
            .new_tree(&mut runner)
            .expect("a generated estate")
            .current();
        let rec = eval(&e).recommendation;
        total += 1;
        least += usize::from(rec.total_minor == best);
        proven += usize::from(rec.exact && rec.total_minor == best);
    }
    assert_eq!((least, proven), (total, total));
}

/// A property-test estate (1,500 cases of `rich_estates_keep_the_position_consistent`): 9 Core
/// CAL Suites frozen at 2019 held by 8 people, one idle, while 3 suites were bought for
/// administrators who need Exchange and SharePoint 2019, which the idle suite's parts cover
/// ($4,737.00). The optimiser's licensing reached its own bound, which does not see the frozen
/// parts as the position does, so sharing the suites every way was skipped; it no longer is
/// ($4,670.00: the suites go to 5 staff, 3 administrators and 1 shift worker). Since the holders
/// of each way hold their suite as a whole (their base CALs included), the least is found and
/// proven: $4,632.00, the suites with the 7 staff, the shift worker and an administrator (an
/// independent integer programme of review 46 agrees).
#[test]
fn frozen_owned_suites_go_to_administrators_before_suites_are_bought_for_them() {
    let r = eval(
        &json!({"access": [{"groups": ["staff", "shift", "admins"], "servers": ["fs", "ex", "sp"]}, {"features": ["exchange-enterprise"], "groups": ["staff"], "servers": ["ex"]}, {"features": ["remote-desktop"], "groups": ["shift", "partners"], "servers": ["rdsh"]}, {"groups": ["staff", "partners"], "servers": ["db"], "via": "webapp"}, {"groups": ["partners"], "servers": ["sp", "fs"]}, {"groups": ["admins"], "servers": ["rdsh", "db", "hv"]}], "groups": [{"count": 7, "devices_each": 0, "id": "staff"}, {"count": 1, "devices_each": 0, "id": "shift"}, {"admin_only": true, "count": 5, "devices_each": 2, "id": "admins"}, {"count": 1, "id": "partners", "kind": "partner"}], "holdings": [{"kind": "user-cal", "product": "windows-server", "quantity": 0, "version": "2019"}, {"kind": "user-cal", "product": "core-cal-suite", "quantity": 9, "software_assurance": {"since": "2018-01-01", "until": "2021-01-01"}}], "organisation": {"prices": [{"amount_minor": 15000, "item": {"kind": "user-cal", "product": "core-cal-suite"}}, {"amount_minor": 30000, "item": {"kind": "user-cal", "product": "enterprise-cal-suite"}}, {"amount_minor": 9000, "item": {"kind": "user-cal", "product": "share-point-standard"}}, {"amount_minor": 8000, "item": {"kind": "device-cal", "product": "share-point-standard"}}]}, "servers": [{"id": "hv", "product": "windows-server", "version": "2022", "virtualization_only": true}, {"host": "hv", "id": "fs", "product": "windows-server", "version": "2016", "vm": true}, {"host": "hv", "id": "rdsh", "product": "windows-server", "rds_session_host": true, "version": "2022", "vm": true}, {"host": "hv", "id": "ex", "product": "exchange", "version": "2019", "vm": true, "windows_version": "2019"}, {"id": "sp", "product": "share-point", "version": "2019", "windows_version": "2019"}, {"cores": 4, "id": "db", "product": "sql-server", "sql_licensing": "server-cal", "version": "2019", "windows_version": "2019"}], "shared_devices": [{"count": 1, "id": "desks", "shared_by": ["shift"]}, {"accesses": ["fs"], "count": 3, "id": "printers", "unattended": true}]}),
    );
    assert_eq!(
        (r.recommendation.total_minor, r.recommendation.exact),
        (463_200, true)
    );
    let suites = r
        .position
        .iter()
        .find(|p| p.product == CalProduct::CoreCalSuite)
        .expect("the owned suites' row");
    // Every owned suite is used, and the 2 bought go to administrators none of them covers.
    assert_eq!(
        (suites.owned, suites.used, suites.surplus, suites.shortfall),
        (9, 9, 0, 2),
        "{suites:?}"
    );
    for row in &r.position {
        assert!(
            !(row.surplus > row.surplus_in_suites && row.shortfall > 0),
            "{row:?}"
        );
    }
}

/// Review 46 (H1): RD staff on a session host fixed per device, using AD RMS, beside mail staff,
/// with owned Enterprise CAL Suites. The licensing that gave the suites to the RD staff first
/// licensed their Windows Server access by the Device CALs beneath the RDS Device CALs and kept
/// the AD RMS User CALs in the suite; the position then gave the suites to the mail staff and
/// bought the AD RMS User CALs bare, without the Windows Server User CAL an additive User CAL
/// needs for the same person (cal-rules §1.11): $1,170.00 with 4 suites, $1,337.00 "proven" with
/// one. The least valid licensings cost $1,194.00 and $1,382.00.
#[test]
fn an_additive_user_cal_keeps_its_base_when_the_suites_go_to_others() {
    for (suites, total) in [(4, 119_400), (1, 138_200)] {
        let r = eval(
            &json!({"organisation": {"prices": [{"item": {"product": "windows-server", "kind": "user-cal"}, "amount_minor": 4500}, {"item": {"product": "windows-server", "kind": "device-cal"}, "amount_minor": 2000}, {"item": {"product": "exchange-standard", "kind": "user-cal"}, "amount_minor": 3800}, {"item": {"product": "exchange-standard", "kind": "device-cal"}, "amount_minor": 9900}, {"item": {"product": "ad-rms", "kind": "user-cal"}, "amount_minor": 3000}, {"item": {"product": "ad-rms", "kind": "device-cal"}, "amount_minor": 16000}, {"item": {"product": "rds", "kind": "user-cal"}, "amount_minor": 16000}, {"item": {"product": "rds", "kind": "device-cal"}, "amount_minor": 16000}, {"item": {"product": "core-cal-suite", "kind": "user-cal"}, "amount_minor": 100_000_000_000_i64}, {"item": {"product": "core-cal-suite", "kind": "device-cal"}, "amount_minor": 100_000_000_000_i64}, {"item": {"product": "enterprise-cal-suite", "kind": "user-cal"}, "amount_minor": 100_000_000_000_i64}, {"item": {"product": "enterprise-cal-suite", "kind": "device-cal"}, "amount_minor": 100_000_000_000_i64}, {"item": {"product": "windows-server", "kind": "external-connector"}, "amount_minor": 100_000_000_000_i64}]}, "groups": [{"id": "rd", "name": "RD staff", "count": 3, "devices_each": 2}, {"id": "mail", "name": "Mail staff", "count": 4, "devices_each": 1}], "servers": [{"id": "rdsh", "product": "windows-server", "version": "2019", "rds_session_host": true, "rds_mode": "per-device", "rd_licensing_server_version": "2025"}, {"id": "ex", "product": "exchange", "version": "2019"}], "access": [{"groups": ["rd"], "servers": ["rdsh"], "features": ["remote-desktop", "ad-rms"]}, {"groups": ["mail"], "servers": ["ex"]}], "holdings": [{"product": "enterprise-cal-suite", "kind": "user-cal", "quantity": suites, "software_assurance": {"since": "2020-01-01"}}]}),
        );
        assert_eq!(r.recommendation.total_minor, total, "{suites} suites");
        let needed = |product: CalProduct| -> u64 {
            (r.position.iter())
                .filter(|p| p.product == product && p.kind == LicenceKind::UserCal)
                .map(|p| p.needed)
                .sum()
        };
        assert!(
            needed(CalProduct::AdRms) <= needed(CalProduct::WindowsServer),
            "{suites} suites: AD RMS User CALs {} beside Windows Server User CALs {}",
            needed(CalProduct::AdRms),
            needed(CalProduct::WindowsServer)
        );
    }
}

/// Review 46 (M1): 5 owned Core CAL Suites, 7 people on a domain controller and 5 on Exchange
/// (or SharePoint) with its Enterprise features, on a server whose Windows Server is not entered.
/// The suites are worth most to the 5 on Exchange, whose Standard CAL they hold beneath the
/// Enterprise CAL; when the holders were given the suite, the base product stayed theirs to
/// license because the suite does not hold the Enterprise CAL, so that way looked $380.00 dearer
/// and the suites went to the domain controller's users: $1,169.00 (Exchange) and $889.00
/// (SharePoint), not proven. Holding the whole suite, the holders need only the Enterprise CAL:
/// $1,104.00 and $824.00, proven.
#[test]
fn owned_core_suites_go_to_the_people_whose_enterprise_cals_need_their_base() {
    for (product, feature, enterprise, total) in [
        (
            "exchange",
            "exchange-enterprise",
            "exchange-enterprise",
            110_400,
        ),
        (
            "share-point",
            "share-point-enterprise",
            "share-point-enterprise",
            82_400,
        ),
    ] {
        let r = eval(&json!({
            "organisation": { "prices": [
                price("windows-server", "user-cal", 4500), price("windows-server", "device-cal", 3200),
                price("exchange-standard", "user-cal", 7600), price("exchange-standard", "device-cal", 7600),
                price("share-point-standard", "user-cal", 5000), price("share-point-standard", "device-cal", 5000),
                price(enterprise, "user-cal", if product == "exchange" { 17600 } else { 12000 }),
                price(enterprise, "device-cal", if product == "exchange" { 17600 } else { 12000 }),
                price("core-cal-suite", "user-cal", 100_000_000_000),
                price("core-cal-suite", "device-cal", 100_000_000_000),
                price("enterprise-cal-suite", "user-cal", 100_000_000_000),
                price("enterprise-cal-suite", "device-cal", 100_000_000_000)
            ] },
            "groups": [{ "id": "ws", "name": "WS staff", "count": 7, "devices_each": 1 },
                       { "id": "adds", "name": "Add staff", "count": 5, "devices_each": 1 }],
            "servers": [{ "id": "dc", "product": "windows-server", "version": "2019" },
                        { "id": "app", "product": product, "version": "2019" }],
            "access": [{ "groups": ["ws"], "servers": ["dc"] },
                       { "groups": ["adds"], "servers": ["app"], "features": [feature] }],
            "holdings": [{ "product": "core-cal-suite", "kind": "user-cal", "quantity": 5,
                           "software_assurance": { "since": "2020-01-01" } }]
        }));
        let rec = &r.recommendation;
        assert_eq!((rec.total_minor, rec.exact), (total, true), "{product}");
        let bought: Vec<(CalProduct, LicenceKind, u64)> = (rec.lines.iter())
            .map(|l| (l.product, l.kind, l.quantity))
            .collect();
        assert!(
            bought.contains(&(CalProduct::WindowsServer, LicenceKind::DeviceCal, 7))
                && bought.len() == 2,
            "{product}: {bought:?}"
        );
    }
}

/// Review 46's random estates: 6 owned Core CAL Suites and 5 owned Windows Server 2022 User
/// CALs, for 6 office staff on a 2019 file server and 5 partners who also reach a 2025 domain
/// controller. The holders were chosen by what the separate CALs leave uncovered per product,
/// 6 in all, so the suites went to the office staff first (the first group at equal value), and
/// the partners' 2025 User CALs were bought ($225.00) while the 2022 CALs lay idle. Counted by
/// generation, a suite for an office worker saves nothing the 2022 CALs do not cover: the
/// partners hold 5 suites, the office staff the 2022 CALs and the sixth suite, $0.00, proven.
#[test]
fn suites_go_where_the_owned_older_cals_cannot_reach() {
    let r = eval(&json!({
        "groups": [{ "id": "office", "name": "Office staff", "count": 6, "devices_each": 1 },
                   { "id": "partners", "name": "Partners", "count": 5, "devices_each": 2, "kind": "partner" }],
        "servers": [{ "id": "dc", "product": "windows-server", "version": "2025" },
                    { "id": "fs", "product": "windows-server", "version": "2019" }],
        "access": [{ "groups": ["office"], "servers": ["fs"] },
                   { "groups": ["partners"], "servers": ["fs", "dc"] }],
        "holdings": [
            { "product": "core-cal-suite", "kind": "user-cal", "quantity": 6,
              "software_assurance": { "since": "2020-01-01" } },
            { "product": "windows-server", "kind": "user-cal", "version": "2022", "quantity": 5 }
        ]
    }));
    let rec = &r.recommendation;
    assert_eq!((rec.total_minor, rec.exact), (0, true), "{}", rec.why.text);
    let suites = (r.position.iter())
        .find(|p| p.product == CalProduct::CoreCalSuite)
        .expect("the owned suites' row");
    assert_eq!((suites.used, suites.surplus), (6, 0), "{}", suites.why.text);
    assert!(
        suites.why.text.contains("5 Partners") && suites.why.text.contains("1 Office staff"),
        "{}",
        suites.why.text
    );
}

/// Review 46's random estates: 3 people on a SharePoint 2016 server with its Enterprise features
/// and on a 2025 session host per user, 2 owned Core CAL Suites, an Enterprise CAL Suite at
/// $180.00. The least gives the owned suites to two of them, who buy the SharePoint Enterprise
/// CAL, and an Enterprise suite to the third (its Windows Server part the base of their RDS
/// User CAL): $900.00. It was $912.50, not proven: the holders were left to license Windows
/// Server, the base of the RDS User CAL their suite does not hold, and once that was mended,
/// a Windows Server User CAL was added for everyone with an RDS User CAL, the bought suite's
/// holder too.
#[test]
fn a_suite_bought_beside_owned_ones_is_the_base_of_its_holders_additive_cals() {
    let r = eval(&json!({
        "organisation": { "prices": [
            price("windows-server", "user-cal", 2250), price("windows-server", "device-cal", 4000),
            price("share-point-standard", "user-cal", 5000), price("share-point-standard", "device-cal", 2500),
            price("share-point-enterprise", "user-cal", 12000), price("share-point-enterprise", "device-cal", 6000),
            price("core-cal-suite", "user-cal", 12000), price("enterprise-cal-suite", "user-cal", 18000),
            price("rds", "user-cal", 16000), price("rds", "device-cal", 24000)
        ] },
        "groups": [{ "id": "g0", "count": 3, "devices_each": 2 }],
        "servers": [
            { "id": "dc", "product": "windows-server", "version": "2025" },
            { "id": "sp", "product": "share-point", "version": "2016" },
            { "id": "rdsh", "product": "windows-server", "version": "2025", "rds_session_host": true,
              "rd_licensing_server_version": "2025", "rds_mode": "per-user" }
        ],
        "access": [{ "groups": ["g0"], "servers": ["sp", "rdsh"],
                     "features": ["share-point-enterprise", "remote-desktop"] }],
        "holdings": [{ "product": "core-cal-suite", "kind": "user-cal", "quantity": 2,
                       "software_assurance": { "since": "2020-01-01" } }]
    }));
    let rec = &r.recommendation;
    assert_eq!(
        (rec.total_minor, rec.exact),
        (90_000, true),
        "{}",
        rec.why.text
    );
    assert!(
        !(rec.lines.iter()).any(|l| l.product == CalProduct::WindowsServer),
        "{:?}",
        rec.lines
    );
}

/// Review 46's random estates: 6 people on a SharePoint 2019 server with its Enterprise
/// features and on a 2025 domain controller with AD RMS, 5 Core CAL Suites frozen in 2023 (their
/// Windows Server part too old for 2025), Enterprise CAL Suites at $180.00. Sharing the frozen
/// suites, the holders reached only what the parts do not cover, Windows Server kept beneath
/// their AD RMS, and no bound was taken: $730.00, "at most $25.00 cheaper". Solved also with the
/// holders holding the whole suite (a relaxation where a part is too old, whose licensing buys
/// that part's CAL), the least is found and proven: the suites' SharePoint parts for 5, an
/// Enterprise suite for the sixth, $705.00.
#[test]
fn frozen_suites_shared_every_way_are_bounded_by_the_whole_suite() {
    let r = eval(&json!({
        "organisation": { "prices": [
            price("windows-server", "user-cal", 4500), price("windows-server", "device-cal", 3200),
            price("share-point-standard", "user-cal", 10000), price("share-point-standard", "device-cal", 10000),
            price("share-point-enterprise", "user-cal", 3000), price("share-point-enterprise", "device-cal", 7800),
            price("ad-rms", "user-cal", 3000), price("ad-rms", "device-cal", 3000),
            price("core-cal-suite", "user-cal", 18000), price("enterprise-cal-suite", "user-cal", 18000)
        ] },
        "groups": [{ "id": "g0", "count": 6, "devices_each": 3 }],
        "shared_devices": [{ "id": "kiosk", "count": 2, "shared_by": ["g0"] }],
        "servers": [{ "id": "dc", "product": "windows-server", "version": "2025" },
                    { "id": "sp", "product": "share-point", "version": "2019" }],
        "access": [{ "groups": ["g0"], "servers": ["sp", "dc"],
                     "features": ["share-point-enterprise", "ad-rms"] }],
        "holdings": [{ "product": "core-cal-suite", "kind": "user-cal", "quantity": 5,
                       "software_assurance": { "since": "2019-01-01", "until": "2023-06-30" } }]
    }));
    let rec = &r.recommendation;
    assert_eq!(
        (rec.total_minor, rec.exact),
        (70_500, true),
        "{}",
        rec.why.text
    );
}

/// Review 46's random estates: 8 owned Core CAL Suites among 8 staff on a session host fixed per
/// device, Exchange (Enterprise) and SharePoint from 3 kiosks, 5 partners on Exchange
/// (Enterprise) and a domain controller, and 4 staff with a device each on all of it: more ways
/// of sharing the suites than are solved each. The suites went to the holders the position
/// chooses under a licensing of everyone by User CALs: $1,601.00. A search over the ways from
/// there finds $1,461.00, the least an independent integer programme finds (not proven: the
/// optimiser's bound counts the suites' parts apart).
#[test]
fn too_many_ways_of_sharing_owned_suites_are_searched() {
    let estate = json!({
        "organisation": { "prices": [
            price("windows-server", "user-cal", 4500), price("windows-server", "device-cal", 4000),
            price("exchange-standard", "user-cal", 6080), price("exchange-standard", "device-cal", 7600),
            price("exchange-enterprise", "user-cal", 17600), price("exchange-enterprise", "device-cal", 17600),
            price("share-point-standard", "user-cal", 6500), price("share-point-standard", "device-cal", 10000),
            price("core-cal-suite", "user-cal", 18000), price("enterprise-cal-suite", "user-cal", 24000),
            price("rds", "user-cal", 24000), price("rds", "device-cal", 8000)
        ] },
        "groups": [{ "id": "g0", "count": 8, "devices_each": 0 },
                   { "id": "g1", "count": 5, "devices_each": 0, "kind": "partner" },
                   { "id": "g2", "count": 4, "devices_each": 1 }],
        "shared_devices": [{ "id": "kiosk", "count": 3, "shared_by": ["g0"] }],
        "servers": [
            { "id": "dc", "product": "windows-server", "version": "2016" },
            { "id": "ex", "product": "exchange", "version": "SE" },
            { "id": "sp", "product": "share-point", "version": "2016" },
            { "id": "rdsh", "product": "windows-server", "version": "2019", "rds_session_host": true,
              "rd_licensing_server_version": "2025", "rds_mode": "per-device" }
        ],
        "access": [
            { "groups": ["g0"], "servers": ["rdsh", "sp", "ex"], "features": ["exchange-enterprise", "remote-desktop"] },
            { "groups": ["g1"], "servers": ["ex", "dc"], "features": ["exchange-enterprise"] },
            { "groups": ["g2"], "servers": ["ex", "rdsh", "sp", "dc"] }
        ],
        "holdings": [{ "product": "core-cal-suite", "kind": "user-cal", "quantity": 8,
                       "software_assurance": { "since": "2020-01-01" } }]
    });
    let r = eval(&estate);
    assert_eq!(
        r.recommendation.total_minor, 146_100,
        "{}",
        r.recommendation.why.text
    );
    // While the user types, only the search's start is solved, and the report says so.
    let e = Estate::from_json(&estate.to_string()).expect("a valid estate");
    let quick = cal_calc::evaluate_with(&e, AS_OF, cal_calc::optimise::Effort::Quick)
        .expect("the estate evaluates");
    assert!(!quick.complete && quick.report.recommendation.total_minor >= 146_100);
}

/// Review 46's random estates: 7 owned Enterprise CAL Suites; 6 partners on Windows Server, 3
/// staff on Exchange from 2 devices each, and 9 staff who use only 3 kiosks, on Exchange
/// Enterprise (4 of them AD RMS too). More ways of sharing the suites than are solved each; the
/// search started from the holders under a licensing of everyone by User CALs (the kiosk staff)
/// and no single move lowered the cost: $1,456.00. The least, which an independent integer
/// programme finds, licenses the kiosks by Enterprise CAL Suite Device CALs and gives the owned
/// suites to the partners and the staff with their own devices: $1,188.00. The search now also
/// starts from the holders under each other licensing, one of which licenses the kiosks.
#[test]
fn the_suite_search_starts_also_where_shared_devices_hold_device_suites() {
    let r = eval(&json!({
        "organisation": { "prices": [
            price("windows-server", "user-cal", 9000), price("windows-server", "device-cal", 4000),
            price("exchange-standard", "user-cal", 7600), price("exchange-standard", "device-cal", 15200),
            price("exchange-enterprise", "user-cal", 8800), price("exchange-enterprise", "device-cal", 35200),
            price("ad-rms", "user-cal", 2400), price("ad-rms", "device-cal", 1500),
            price("core-cal-suite", "user-cal", 18000), price("core-cal-suite", "device-cal", 11200),
            price("enterprise-cal-suite", "user-cal", 30000), price("enterprise-cal-suite", "device-cal", 33600)
        ] },
        "groups": [{ "id": "g0", "count": 6, "devices_each": 3, "kind": "partner" },
                   { "id": "g1", "count": 4, "devices_each": 0 },
                   { "id": "g2", "count": 3, "devices_each": 2 },
                   { "id": "g3", "count": 5, "devices_each": 0 }],
        "shared_devices": [{ "id": "kiosk", "count": 3, "shared_by": ["g1", "g3"] }],
        "servers": [
            { "id": "dc", "product": "windows-server", "version": "2022" },
            { "id": "ex", "product": "exchange", "version": "2019", "windows_version": "2019" },
            { "id": "fs", "product": "windows-server", "version": "2019" }
        ],
        "access": [
            { "groups": ["g0"], "servers": ["fs", "dc", "ex"] },
            { "groups": ["g1"], "servers": ["ex", "fs", "dc"], "features": ["exchange-enterprise", "ad-rms"] },
            { "groups": ["g2"], "servers": ["ex", "fs"] },
            { "groups": ["g3"], "servers": ["ex", "fs"], "features": ["exchange-enterprise"] }
        ],
        "holdings": [{ "product": "enterprise-cal-suite", "kind": "user-cal", "quantity": 7,
                       "software_assurance": { "since": "2020-01-01" } }]
    }));
    let rec = &r.recommendation;
    assert_eq!(rec.total_minor, 118_800, "{}", rec.why.text);
    let suites = (rec.lines.iter())
        .find(|l| l.product == CalProduct::EnterpriseCalSuite)
        .expect("the kiosks' suites are bought");
    assert_eq!((suites.kind, suites.quantity), (LicenceKind::DeviceCal, 3));
}

/// Review 46's random estates (admin choices taken out): 7 Core CAL Suites frozen in 2020 (parts
/// at 2019), 6 staff on Exchange 2019 Enterprise and SharePoint SE among others: more ways of
/// sharing the suites than are solved each. The search solved each way with the holders holding
/// only the parts new enough, and a base product kept beneath an additive one the suite does
/// not hold (Exchange Standard beneath Enterprise) left the suite nothing to cover for those 6:
/// $2,120.00, 6 Enterprise CAL Suites bought. Held whole, 3 of them hold the frozen suites with
/// Exchange Enterprise User CALs on top and the other 3 take Enterprise suites: $1,938.00, the
/// least an independent integer programme finds.
#[test]
fn the_suite_search_also_tries_frozen_suites_held_whole() {
    let r = eval(&json!({
        "organisation": { "prices": [
            price("windows-server", "user-cal", 3600), price("windows-server", "device-cal", 4000),
            price("exchange-standard", "user-cal", 15200), price("exchange-standard", "device-cal", 9880),
            price("exchange-enterprise", "user-cal", 17600), price("exchange-enterprise", "device-cal", 35200),
            price("share-point-standard", "user-cal", 5000), price("share-point-standard", "device-cal", 10000),
            price("share-point-enterprise", "user-cal", 6000), price("share-point-enterprise", "device-cal", 6000),
            price("core-cal-suite", "user-cal", 18000), price("enterprise-cal-suite", "user-cal", 30000)
        ] },
        "groups": [{ "id": "g0", "count": 2, "devices_each": 0, "kind": "partner" },
                   { "id": "g1", "count": 2, "devices_each": 0 },
                   { "id": "g2", "count": 2, "devices_each": 0 },
                   { "id": "g3", "count": 2, "devices_each": 2 },
                   { "id": "g4", "count": 6, "devices_each": 2 }],
        "shared_devices": [{ "id": "kiosk", "count": 1, "shared_by": ["g0", "g3", "g4"] }],
        "servers": [
            { "id": "dc", "product": "windows-server", "version": "2016" },
            { "id": "ex", "product": "exchange", "version": "2019" },
            { "id": "sp", "product": "share-point", "version": "SE" }
        ],
        "access": [
            { "groups": ["g0"], "servers": ["sp", "dc"] },
            { "groups": ["g1"], "servers": ["dc", "ex"] },
            { "groups": ["g2"], "servers": ["dc", "ex", "sp"], "features": ["share-point-enterprise"] },
            { "groups": ["g3"], "servers": ["sp"] },
            { "groups": ["g4"], "servers": ["ex", "sp"], "features": ["exchange-enterprise"] }
        ],
        "holdings": [{ "product": "core-cal-suite", "kind": "user-cal", "quantity": 7,
                       "software_assurance": { "since": "2016-01-01", "until": "2020-06-30" } }]
    }));
    let rec = &r.recommendation;
    assert_eq!(rec.total_minor, 193_800, "{}", rec.why.text);
    let bought = |product: CalProduct| {
        (rec.lines.iter())
            .filter(|l| l.product == product && l.kind == LicenceKind::UserCal)
            .map(|l| l.quantity)
            .sum::<u64>()
    };
    assert_eq!(
        (
            bought(CalProduct::EnterpriseCalSuite),
            bought(CalProduct::ExchangeEnterprise)
        ),
        (3, 3),
        "{:?}",
        rec.lines
    );
}

/// Review 46's random estates, cut down: two staff with two PCs each and two kiosks on a domain
/// controller, Exchange and SharePoint; 5 owned Windows Server 2025 Device CALs. The owned
/// Device CALs cover the kiosks and one person's PCs, not both people's: the optimiser's cuts
/// price both people alike and put both on Core CAL Suites, $180.00. One on a suite and the other
/// on Exchange and SharePoint User CALs beside the owned Device CALs is the least an
/// independent integer programme finds, $168.00; so for two groups of one and one group of two.
#[test]
fn a_class_comes_off_a_bought_suite_where_owned_device_cals_cover_it() {
    for groups in [
        json!([{ "id": "a", "count": 1, "devices_each": 2 }, { "id": "b", "count": 1, "devices_each": 2 }]),
        json!([{ "id": "a", "count": 2, "devices_each": 2 }]),
    ] {
        let users: Vec<Value> = (groups.as_array().into_iter().flatten())
            .map(|g| g["id"].clone())
            .collect();
        let r = eval(&json!({
            "organisation": { "prices": [
                price("windows-server", "user-cal", 3600), price("windows-server", "device-cal", 3200),
                price("exchange-standard", "user-cal", 3800), price("exchange-standard", "device-cal", 3800),
                price("share-point-standard", "user-cal", 4000), price("share-point-standard", "device-cal", 5000),
                price("core-cal-suite", "user-cal", 9000)
            ] },
            "groups": groups,
            "shared_devices": [{ "id": "kiosk", "count": 2, "shared_by": users }],
            "servers": [
                { "id": "dc", "product": "windows-server", "version": "2016" },
                { "id": "ex", "product": "exchange", "version": "2019" },
                { "id": "sp", "product": "share-point", "version": "2016" }
            ],
            "access": [{ "groups": users, "servers": ["sp", "ex", "dc"] }],
            "holdings": [{ "product": "windows-server", "kind": "device-cal", "version": "2025", "quantity": 5 }]
        }));
        let rec = &r.recommendation;
        assert_eq!(rec.total_minor, 16_800, "{}", rec.why.text);
        let suites: u64 = (rec.lines.iter())
            .filter(|l| l.product == CalProduct::CoreCalSuite)
            .map(|l| l.quantity)
            .sum();
        assert_eq!(suites, 1, "{:?}", rec.lines);
    }
}

/// Review 46's random estates: 3 Core CAL Suites frozen in 2023 (parts at 2022 and 2019) among 5
/// staff on Exchange 2016 Enterprise, AD RMS and a 2025 domain controller, who use one device
/// each; 5 more on Microsoft 365 E3. Holding only the parts new enough, the holders kept
/// Exchange Standard beneath Exchange Enterprise, which the suite does not hold, to license
/// themselves; held whole, they were given Windows Server and AD RMS User CALs: $3,943.50.
/// With Exchange Enterprise User CALs on the suites' Exchange Standard part and Device CALs for
/// the rest, the least is found and proven: $3,846.00.
#[test]
fn frozen_suite_holders_take_an_additive_user_cal_on_the_suites_base_part() {
    let r = eval(&json!({
        "organisation": {
            "prices": [
                price("windows-server", "user-cal", 5850), price("windows-server", "device-cal", 2000),
                price("exchange-standard", "user-cal", 9880), price("exchange-standard", "device-cal", 3800),
                price("exchange-enterprise", "user-cal", 35200), price("exchange-enterprise", "device-cal", 35200),
                price("ad-rms", "user-cal", 2400), price("ad-rms", "device-cal", 3000)
            ],
            "readings": { "m365_e3_rights": "core-cal-suite" }
        },
        "groups": [{ "id": "g0", "count": 5, "devices_each": 1, "m365": "e3" },
                   { "id": "g1", "count": 5, "devices_each": 0 }],
        "servers": [{ "id": "dc", "product": "windows-server", "version": "2025" },
                    { "id": "ex", "product": "exchange", "version": "2016" }],
        "access": [
            { "groups": ["g0"], "servers": ["ex", "dc"], "features": ["exchange-enterprise"] },
            { "groups": ["g1"], "servers": ["dc", "ex"], "features": ["exchange-enterprise", "ad-rms"] }
        ],
        "holdings": [{ "product": "core-cal-suite", "kind": "user-cal", "quantity": 3,
                       "software_assurance": { "since": "2019-01-01", "until": "2023-06-30" } }]
    }));
    let rec = &r.recommendation;
    assert_eq!(
        (rec.total_minor, rec.exact),
        (384_600, true),
        "{}",
        rec.why.text
    );
    let user_cals = (rec.lines.iter())
        .filter(|l| {
            matches!(l.product, CalProduct::WindowsServer | CalProduct::AdRms)
                && l.kind == LicenceKind::UserCal
        })
        .count();
    assert_eq!(user_cals, 0, "{:?}", rec.lines);
}

/// Review 46's random estates: 6 Core CAL Suites frozen in 2020 (parts at 2019), 8 staff on
/// Exchange 2019 Enterprise and a 2025 domain controller, 5 staff on it too with a device each
/// and a session host fixed per device. The least gives the 5 staff a frozen suite each for
/// Exchange Standard (Windows Server through the Device CALs their RDS Device CALs need), the
/// sixth to one of the 8 beside a Windows Server 2025 User CAL, and Core suites to the other 7:
/// $4,385.40. Solved with the whole suite held, the holders were given a Windows Server User
/// CAL beside those Device CALs as well: $4,490.40, not proven.
#[test]
fn frozen_suite_holders_licensed_by_their_device_cals_buy_no_user_cal_of_that_product() {
    let r = eval(&json!({
        "organisation": { "prices": [
            price("windows-server", "user-cal", 4500), price("windows-server", "device-cal", 5200),
            price("exchange-standard", "user-cal", 15200), price("exchange-standard", "device-cal", 9880),
            price("exchange-enterprise", "user-cal", 14080), price("exchange-enterprise", "device-cal", 17600),
            price("core-cal-suite", "user-cal", 15000), price("enterprise-cal-suite", "user-cal", 36000),
            price("rds", "user-cal", 24000), price("rds", "device-cal", 24000)
        ] },
        "groups": [{ "id": "g0", "count": 8, "devices_each": 0 },
                   { "id": "g1", "count": 5, "devices_each": 1 }],
        "shared_devices": [{ "id": "prn", "count": 1, "unattended": true, "accesses": ["dc"],
                             "shared_by": ["g0"] }],
        "servers": [
            { "id": "dc", "product": "windows-server", "version": "2025" },
            { "id": "ex", "product": "exchange", "version": "2019", "windows_version": "2022" },
            { "id": "rdsh", "product": "windows-server", "version": "2019", "rds_session_host": true,
              "rd_licensing_server_version": "2025", "rds_mode": "per-device" }
        ],
        "access": [
            { "groups": ["g0"], "servers": ["ex", "dc"], "features": ["exchange-enterprise"] },
            { "groups": ["g1"], "servers": ["rdsh", "ex", "dc"], "features": ["exchange-enterprise", "remote-desktop"] }
        ],
        "holdings": [{ "product": "core-cal-suite", "kind": "user-cal", "quantity": 6,
                       "software_assurance": { "since": "2016-01-01", "until": "2020-06-30" } }]
    }));
    let rec = &r.recommendation;
    assert_eq!(
        (rec.total_minor, rec.exact),
        (438_540, true),
        "{}",
        rec.why.text
    );
    let ws_user = (rec.lines.iter())
        .filter(|l| l.product == CalProduct::WindowsServer && l.kind == LicenceKind::UserCal)
        .map(|l| l.quantity)
        .sum::<u64>();
    assert_eq!(ws_user, 1, "{:?}", rec.lines);
}

/// Review 46's random estates: 4 owned Exchange Enterprise User CALs and no Exchange Standard
/// ones, one owned Core CAL Suite; 6 staff on Exchange Enterprise, SharePoint and a domain
/// controller, who use no device of their own, beside 3 with two PCs each and 9 partners. Each
/// class is licensed one way, so the owned Enterprise CALs served one person and the other five
/// took Enterprise CAL Suite Device CALs: $1,344.00. Given outright to four of them, with the
/// base User CAL they need beneath them (§1.11) bought in Core CAL Suites, the least is found and
/// proven: $1,200.00.
#[test]
fn owned_additive_user_cals_go_to_part_of_a_class_with_their_base_beneath_them() {
    let r = eval(&json!({
        "organisation": { "prices": [
            price("windows-server", "user-cal", 3600), price("windows-server", "device-cal", 4000),
            price("exchange-standard", "user-cal", 7600), price("exchange-standard", "device-cal", 6080),
            price("exchange-enterprise", "user-cal", 17600), price("exchange-enterprise", "device-cal", 17600),
            price("share-point-standard", "user-cal", 4000), price("share-point-standard", "device-cal", 6500),
            price("core-cal-suite", "user-cal", 12000), price("core-cal-suite", "device-cal", 11200),
            price("enterprise-cal-suite", "user-cal", 36000), price("enterprise-cal-suite", "device-cal", 16800)
        ] },
        "groups": [{ "id": "g0", "count": 3, "devices_each": 2 },
                   { "id": "g1", "count": 4, "devices_each": 0, "kind": "partner" },
                   { "id": "g2", "count": 5, "devices_each": 2, "kind": "partner" },
                   { "id": "g3", "count": 6, "devices_each": 0 }],
        "servers": [{ "id": "dc", "product": "windows-server", "version": "2025" },
                    { "id": "ex", "product": "exchange", "version": "2019" },
                    { "id": "sp", "product": "share-point", "version": "2019" }],
        "access": [
            { "groups": ["g0"], "servers": ["dc", "sp", "ex"] },
            { "groups": ["g1"], "servers": ["ex", "dc"], "features": ["exchange-enterprise"] },
            { "groups": ["g2"], "servers": ["ex"] },
            { "groups": ["g3"], "servers": ["ex", "sp", "dc"], "features": ["exchange-enterprise"] }
        ],
        "holdings": [
            { "product": "core-cal-suite", "kind": "user-cal", "quantity": 1,
              "software_assurance": { "since": "2020-01-01" } },
            { "product": "exchange-enterprise", "kind": "user-cal", "version": "2019", "quantity": 4 }
        ]
    }));
    let rec = &r.recommendation;
    assert_eq!(
        (rec.total_minor, rec.exact),
        (120_000, true),
        "{}",
        rec.why.text
    );
    // Every owned Enterprise CAL is used and none is short.
    let row = (r.position.iter())
        .find(|p| p.product == CalProduct::ExchangeEnterprise && p.kind == LicenceKind::UserCal)
        .expect("the owned Enterprise CALs' row");
    assert_eq!((row.owned, row.surplus, row.shortfall), (4, 0, 0));
}

/// Review 46's random estates, cut down: 11 owned Exchange Standard 2019 Device CALs; 8 staff
/// with 3 PCs each on Exchange 2016 and SharePoint, 3 more on Exchange Enterprise. Exchange has
/// an additive product, so its owned CALs were never given to part of a class, and the 8 all
/// took Core CAL Suites: $1,942.80. Given outright to three of them (who reach no Enterprise
/// feature), with SharePoint Device CALs beside, and suites for the other five: $1,807.80, the
/// least an independent integer programme finds.
#[test]
fn owned_base_cals_go_to_part_of_a_class_that_reaches_no_additive_product() {
    let r = eval(&json!({
        "organisation": { "prices": [
            price("exchange-standard", "user-cal", 9880), price("exchange-standard", "device-cal", 9880),
            price("exchange-enterprise", "user-cal", 22880), price("exchange-enterprise", "device-cal", 22880),
            price("share-point-standard", "user-cal", 10000), price("share-point-standard", "device-cal", 2500),
            price("core-cal-suite", "user-cal", 12000), price("enterprise-cal-suite", "user-cal", 36000)
        ] },
        "groups": [{ "id": "g1", "count": 8, "devices_each": 3 },
                   { "id": "g3", "count": 3, "devices_each": 3 }],
        "servers": [{ "id": "ex", "product": "exchange", "version": "2016" },
                    { "id": "sp", "product": "share-point", "version": "SE" }],
        "access": [
            { "groups": ["g1"], "servers": ["sp", "ex"] },
            { "groups": ["g3"], "servers": ["ex"], "features": ["exchange-enterprise"] }
        ],
        "holdings": [{ "product": "exchange-standard", "kind": "device-cal", "version": "2019",
                       "quantity": 11 }]
    }));
    let rec = &r.recommendation;
    assert_eq!(rec.total_minor, 180_780, "{}", rec.why.text);
    let row = (r.position.iter())
        .find(|p| p.product == CalProduct::ExchangeStandard && p.kind == LicenceKind::DeviceCal)
        .expect("the owned Device CALs' row");
    assert_eq!((row.owned, row.surplus), (11, 2));
}

/// Review 46's random estates: 8 owned Enterprise CAL Suites frozen in 2023 (no suite on sale);
/// 7 staff with two PCs each and 8 with one on Windows Server, Exchange and Skype for Business,
/// 7 with one PC on those and Skype Enterprise, 2 on SQL Server alone. More ways of sharing the
/// suites than are solved each. Ranked by User CAL prices, the Skype Enterprise users came
/// first, and the search, trying moves in the classes' order, spent its solves moving suites to
/// the SQL users: 3 of the suites to those with one PC, $7,589.60. A suite is worth most to
/// the staff with two PCs, whose Exchange User CALs cost less than two Device CALs; ranked so,
/// all 7 get one: $7,544.00, the least.
#[test]
fn the_suite_search_ranks_classes_by_what_their_cals_would_cost_them() {
    let r = eval(&json!({
        "organisation": { "prices": [
            price("windows-server", "user-cal", 2250), price("windows-server", "device-cal", 4000),
            price("exchange-standard", "user-cal", 9880), price("exchange-standard", "device-cal", 7600),
            price("skype-standard", "user-cal", 6000), price("skype-standard", "device-cal", 3000),
            price("skype-enterprise", "user-cal", 3900), price("skype-enterprise", "device-cal", 3000),
            price("sql-server", "user-cal", 23000), price("sql-server", "device-cal", 23000),
            price("core-cal-suite", "user-cal", 100_000_000_000_i64),
            price("core-cal-suite", "device-cal", 100_000_000_000_i64),
            price("enterprise-cal-suite", "user-cal", 100_000_000_000_i64),
            price("enterprise-cal-suite", "device-cal", 100_000_000_000_i64)
        ] },
        "groups": [{ "id": "g0", "count": 2, "devices_each": 0 },
                   { "id": "g1", "count": 7, "devices_each": 2 },
                   { "id": "g2", "count": 8, "devices_each": 1 },
                   { "id": "g3", "count": 7, "devices_each": 1 }],
        "servers": [
            { "id": "dc", "product": "windows-server", "version": "2022" },
            { "id": "ex", "product": "exchange", "version": "2019" },
            { "id": "sk", "product": "skype-for-business", "version": "2019" },
            { "id": "sql", "product": "sql-server", "version": "2022", "sql_licensing": "server-cal",
              "cores": 4, "windows_version": "2016" }
        ],
        "access": [
            { "groups": ["g0"], "servers": ["sql"] },
            { "groups": ["g1", "g2"], "servers": ["sql", "dc", "sk", "ex"] },
            { "groups": ["g3"], "servers": ["ex", "dc", "sk", "sql"], "features": ["skype-enterprise"] }
        ],
        "holdings": [{ "product": "enterprise-cal-suite", "kind": "user-cal", "quantity": 8,
                       "software_assurance": { "since": "2019-01-01", "until": "2023-06-30" } }]
    }));
    let rec = &r.recommendation;
    assert_eq!(rec.total_minor, 754_400, "{}", rec.why.text);
}

/// Review 11 (mixed versions): 15 owned Device CALs whose Software Assurance made them 2025 CALs
/// lay idle while 35 User CALs were bought ($1,575). The optimiser sees owned CALs only at the
/// newest version a product needs and the rules of thumb treat every group alike; the least is
/// older owned User CALs for the groups on older servers and Device CALs for the others: 15
/// owned, 20 bought ($800), proven.
#[test]
fn owned_device_cals_of_the_newest_version_serve_the_groups_on_the_newest_servers() {
    let group = |id: &str, n: u32| json!({ "id": id, "count": n, "devices_each": 1 });
    let server = |id: &str, v: &str| json!({ "id": id, "product": "windows-server", "version": v });
    let r = eval(&json!({
        "groups": [group("a", 50), group("b", 30), group("c", 20), group("d", 10)],
        "servers": [server("s16", "2016"), server("s19", "2019"), server("s22", "2022"), server("s25", "2025")],
        "access": [{ "groups": ["a", "b"], "servers": ["s16"] }, { "groups": ["b"], "servers": ["s19"] },
                   { "groups": ["c"], "servers": ["s22"] }, { "groups": ["d"], "servers": ["s25"] }],
        "holdings": [
            { "product": "windows-server", "kind": "user-cal", "version": "2016", "quantity": 60 },
            { "product": "windows-server", "kind": "user-cal", "version": "2019", "quantity": 25,
              "software_assurance": { "since": "2019-06-01", "until": "2021-06-30" } },
            { "product": "windows-server", "kind": "device-cal", "version": "2019", "quantity": 15,
              "software_assurance": { "since": "2020-01-01" } }
        ]
    }));
    let rec = &r.recommendation;
    assert_eq!((rec.total_minor, rec.exact), (80_000, true));
    let idle: u64 = r
        .position
        .iter()
        .filter(|p| p.kind == cal_calc::estate::LicenceKind::DeviceCal)
        .map(|p| p.surplus)
        .sum();
    assert_eq!(idle, 0, "every owned Device CAL is used");
    // No scenario that allows more than the cheapest mix costs more than it.
    for id in ["optimal-no-ec", "optimal-no-suites"] {
        let s = r.scenarios.iter().find(|s| s.id == id).expect("scenario");
        assert_eq!(s.total_minor, rec.total_minor, "{id}: {}", s.why.text);
    }
}

/// Review 11: the people count said everyone needed the product "at version 2025" where each
/// person needs the newest version among the servers they reach, as the position's rows count.
#[test]
fn people_explanation_counts_each_version_needed() {
    let group = |id: &str, n: u32| json!({ "id": id, "count": n, "devices_each": 1 });
    let server = |id: &str, v: &str| json!({ "id": id, "product": "windows-server", "version": v });
    let r = eval(&json!({
        "groups": [group("a", 50), group("d", 10)],
        "servers": [server("s16", "2016"), server("s25", "2025")],
        "access": [{ "groups": ["a"], "servers": ["s16"] }, { "groups": ["d"], "servers": ["s25"] }]
    }));
    let why = &r.products[0].people.why.text;
    assert!(
        why.contains("need it covered at the newest version each reaches: 10 at 2025, 50 at 2016"),
        "{why}"
    );
}

/// Review 11: an owned External Connector assigned to a host no external user reaches was
/// explained only as "not used"; the row now names the host it idles on.
#[test]
fn an_idle_assigned_connector_row_names_its_host() {
    let host = |id: &str| json!({ "id": id, "product": "windows-server", "version": "2022", "virtualization_only": true });
    let vm = |id: &str, h: &str| json!({ "id": id, "product": "windows-server", "version": "2022", "host": h, "vm": true });
    let r = eval(&json!({
        "groups": [{ "id": "p", "count": 200, "kind": "partner" }],
        "servers": [host("h1"), host("h3"), vm("app", "h1"), vm("int", "h3")],
        "access": [{ "groups": ["p"], "servers": ["app"] }],
        "holdings": [
            { "product": "windows-server", "kind": "external-connector", "version": "2022", "quantity": 1, "assigned_to": "h1" },
            { "product": "windows-server", "kind": "external-connector", "version": "2022", "quantity": 1, "assigned_to": "h3" }
        ]
    }));
    let row = r
        .position
        .iter()
        .find(|p| p.kind == cal_calc::estate::LicenceKind::ExternalConnector)
        .expect("the connector row");
    assert_eq!((row.owned, row.used, row.surplus), (2, 1, 1));
    assert!(
        row.why
            .text
            .contains("1 owned at this version not used; idle where assigned: 1 on h3"),
        "{}",
        row.why.text
    );
}

/// Session 25: under the per-VM reading an idle connector assigned to a VM said "a connector
/// covers only the host it is assigned to" and cited the per-physical-host rule, the reading the
/// user had not chosen.
#[test]
fn an_idle_connector_under_the_per_vm_reading_names_its_server_and_reading() {
    let server = |id: &str, host: Option<&str>| match host {
        Some(h) => {
            json!({ "id": id, "product": "windows-server", "version": "2022", "host": h, "vm": true })
        }
        None => {
            json!({ "id": id, "product": "windows-server", "version": "2022", "virtualization_only": true })
        }
    };
    let connector = |to: &str| json!({ "product": "windows-server", "kind": "external-connector", "version": "2022", "quantity": 1, "assigned_to": to });
    let estate = |scope: &str, idle_on: &str| {
        json!({
            "organisation": { "readings": { "external_connector_scope": scope } },
            "groups": [{ "id": "p", "count": 200, "kind": "partner" }],
            "servers": [server("h1", None), server("app", Some("h1")), server("int", Some("h1"))],
            "access": [{ "groups": ["p"], "servers": ["app"] }],
            "holdings": [connector("app"), connector(idle_on)]
        })
    };
    let row = |r: &cal_calc::report::Report| {
        r.position
            .iter()
            .find(|p| p.kind == cal_calc::estate::LicenceKind::ExternalConnector)
            .cloned()
            .expect("the connector row")
    };
    let per_vm = row(&eval(&estate("per-vm", "int")));
    assert_eq!((per_vm.owned, per_vm.used, per_vm.surplus), (2, 1, 1));
    let text = &per_vm.why.text;
    assert!(
        text.contains("idle where assigned: 1 on int (under the per-VM reading a connector covers only the server it is assigned to)"),
        "{text}"
    );
    assert!(
        per_vm.why.rules.iter().any(|r| r == "ec.per-vm-reading")
            && !per_vm.why.rules.iter().any(|r| r == "ec.per-physical-host"),
        "{:?}",
        per_vm.why.rules
    );
    // Under the Product Terms' reading, the row keeps naming the host and its rule.
    let host = row(&eval(&json!({
        "groups": [{ "id": "p", "count": 200, "kind": "partner" }],
        "servers": [server("h1", None), server("h3", None), server("app", Some("h1")), server("int", Some("h3"))],
        "access": [{ "groups": ["p"], "servers": ["app"] }],
        "holdings": [connector("h1"), connector("h3")]
    })));
    assert!(
        host.why.text.contains(
            "idle where assigned: 1 on h3 (a connector covers only the host it is assigned to)"
        ) && host.why.rules.iter().any(|r| r == "ec.per-physical-host"),
        "{:?}",
        host.why
    );
}

/// Review 11, with exact usage: nine people, each on a device of their own named in the logs
/// (a shared device class of one), three of them on a 2025 server. Six owned 2016 User CALs and
/// three Device CALs made 2025 CALs by Software Assurance cover everyone; 3 User CALs ($135)
/// were bought because a move to Device CALs was tried only for people's own devices.
#[test]
fn owned_newest_device_cals_serve_people_on_logged_devices() {
    let people: Vec<Value> = (0..9)
        .map(|i| json!({ "id": format!("u{i}"), "group": "staff" }))
        .collect();
    let devices: Vec<Value> = (0..9).map(|i| json!({ "id": format!("pc{i}") })).collect();
    let links: Vec<Value> = (0..9)
        .map(|i| {
            json!({ "person": format!("u{i}"), "device": format!("pc{i}"),
                         "server": if i % 3 == 0 { "s25" } else { "s16" } })
        })
        .collect();
    let r = eval(&json!({
        "groups": [{ "id": "staff", "count": 9, "devices_each": 1 }],
        "servers": [{ "id": "s16", "product": "windows-server", "version": "2016" },
                    { "id": "s25", "product": "windows-server", "version": "2025" }],
        "access": [],
        "usage": { "people": people, "devices": devices, "links": links },
        "holdings": [
            { "product": "windows-server", "kind": "user-cal", "version": "2016", "quantity": 6 },
            { "product": "windows-server", "kind": "device-cal", "version": "2019", "quantity": 3,
              "software_assurance": { "since": "2020-01-01" } }
        ]
    }));
    let rec = &r.recommendation;
    assert_eq!((rec.total_minor, rec.exact), (0, true));
}

/// Review 11, at scale: people from usage logs, each a class of one, a third of them on a 2025
/// server, every fifth also on a neighbour's device; 2016 User CALs for the people on the 2016
/// server and Device CALs made 2025 CALs by Software Assurance. The report bought $7,515 for
/// 1,500 such people where $4,500 was the least (found by dynamic programming over the
/// estate's components): the rest of the optimiser counts owned CALs at the newest version
/// needed and the class-by-class polish ran out of budget. The version-aware search
/// (`optimise::versions`) prices each lot only for whom it may serve. Here 150 people: $450
/// (the report bought $695 before).
#[test]
fn usage_logs_of_hundreds_of_people_use_older_user_cals_and_newer_device_cals() {
    let n = 150;
    let mut links = Vec::new();
    for i in 0..n {
        let server = if i % 3 == 0 { "s25" } else { "s16" };
        links.push(
            json!({ "person": format!("u{i}"), "device": format!("pc{i}"), "server": server }),
        );
        if i % 5 == 0 {
            links.push(json!({ "person": format!("u{i}"), "device": format!("pc{}", i + 1), "server": "s16" }));
        }
    }
    let r = eval(&json!({
        "groups": [{ "id": "staff", "count": n, "devices_each": 1 }],
        "servers": [{ "id": "s16", "product": "windows-server", "version": "2016" },
                    { "id": "s25", "product": "windows-server", "version": "2025" }],
        "access": [],
        "usage": {
            "people": (0..n).map(|i| json!({ "id": format!("u{i}"), "group": "staff" })).collect::<Vec<_>>(),
            "devices": (0..n).map(|i| json!({ "id": format!("pc{i}") })).collect::<Vec<_>>(),
            "links": links
        },
        "holdings": [
            { "product": "windows-server", "kind": "user-cal", "version": "2016", "quantity": 100 },
            { "product": "windows-server", "kind": "device-cal", "version": "2019", "quantity": 40,
              "software_assurance": { "since": "2020-01-01" } }
        ]
    }));
    let rec = &r.recommendation;
    assert_eq!(
        (rec.total_minor, rec.exact),
        (45_000, true),
        "{}",
        rec.why.text
    );
}

/// Review 11: two moves that each cost the same are needed together. One person on a 2025
/// server, two (two devices each) on a 2016 server; two owned 2025 User CALs and two 2016 Device
/// CALs cover all three ($0): one of the pair takes the Device CALs, freeing a User CAL for the
/// person on the newest server. The report bought a Device CAL ($40).
#[test]
fn a_move_at_equal_cost_frees_the_owned_cal_another_group_needs() {
    let r = eval(&json!({
        "groups": [{ "id": "g0", "count": 1, "devices_each": 1 }, { "id": "g1", "count": 2, "devices_each": 2 }],
        "servers": [{ "id": "s0", "product": "windows-server", "version": "2025" },
                    { "id": "s1", "product": "windows-server", "version": "2016" }],
        "access": [{ "groups": ["g0"], "servers": ["s0"] }, { "groups": ["g1"], "servers": ["s1"] }],
        "holdings": [
            { "product": "windows-server", "kind": "user-cal", "version": "2025", "quantity": 2 },
            { "product": "windows-server", "kind": "device-cal", "version": "2016", "quantity": 2 }
        ]
    }));
    let rec = &r.recommendation;
    assert_eq!((rec.total_minor, rec.exact), (0, true));
}

/// Small estates from usage logs (people, devices and who used which device to reach which
/// server) with owned User and Device CALs of random versions: the least purchase by brute force
/// over which people hold User CALs and which devices Device CALs (every logged access covered by
/// one of its two ends: a person's User CAL at the newest version they reach, a device's CAL at
/// the newest version reached from it by those without one), each kind's purchase by Hall's
/// theorem on nested versions. Returns the estate and the least cost.
fn versioned_usage_estate() -> impl Strategy<Value = (Value, i64)> {
    const V: [&str; 3] = ["2016", "2022", "2025"];
    (
        2usize..6,
        1usize..5,
        prop::collection::vec((0usize..6, 0usize..5, 0usize..V.len()), 1..9),
        prop::collection::vec((0usize..V.len(), 0u64..4, prop::bool::ANY), 1..4),
    )
        .prop_map(|(np, nd, links, holdings)| {
            // Every person uses at least one device: the first links go round the people.
            let links: Vec<(usize, usize, usize)> = links
                .iter()
                .enumerate()
                .map(|(i, &(p, d, v))| (if i < np { i } else { p % np }, d % nd, v))
                .chain((links.len()..np).map(|p| (p, p % nd, 0)))
                .collect();
            let estate = json!({
                "groups": [{ "id": "staff", "count": np, "devices_each": 1 }],
                "servers": V.iter().map(|v| json!({ "id": format!("s{v}"), "product": "windows-server", "version": v }))
                    .collect::<Vec<_>>(),
                "access": [],
                "usage": {
                    "people": (0..np).map(|p| json!({ "id": format!("u{p}"), "group": "staff" })).collect::<Vec<_>>(),
                    "devices": (0..nd).map(|d| json!({ "id": format!("pc{d}") })).collect::<Vec<_>>(),
                    "links": links.iter().map(|&(p, d, v)| json!({ "person": format!("u{p}"), "device": format!("pc{d}"), "server": format!("s{}", V[v]) }))
                        .collect::<Vec<_>>(),
                },
                "holdings": holdings.iter().map(|&(v, q, user)| {
                    json!({ "product": "windows-server", "kind": if user { "user-cal" } else { "device-cal" },
                            "version": V[v], "quantity": q })
                }).collect::<Vec<_>>(),
            });
            let (user_price, device_price) = (4_500i64, 4_000i64);
            let rank_p = |p: usize| links.iter().filter(|l| l.0 == p).map(|l| l.2).max();
            let owned = |user: bool, k: usize| -> i64 {
                holdings
                    .iter()
                    .filter(|&&(v, _, u)| u == user && v >= k)
                    .map(|&(_, q, _)| q as i64)
                    .sum()
            };
            let buy = |ranks: Vec<usize>, user: bool| -> i64 {
                (0..V.len())
                    .map(|k| (ranks.iter().filter(|&&r| r >= k).count() as i64 - owned(user, k)).max(0))
                    .max()
                    .unwrap_or(0)
            };
            let mut best = i64::MAX;
            for mask in 0u32..(1 << (np + nd)) {
                let user = |p: usize| mask & (1 << p) != 0;
                let device = |d: usize| mask & (1 << (np + d)) != 0;
                if !links.iter().all(|&(p, d, _)| user(p) || device(d)) {
                    continue;
                }
                let users: Vec<usize> = (0..np).filter(|&p| user(p)).filter_map(rank_p).collect();
                // A device's CAL covers those who hold no User CAL: the newest they reach there
                // (cal-rules §5; review 39).
                let rank_d = |d: usize| {
                    links.iter().filter(|l| l.1 == d && !user(l.0)).map(|l| l.2).max().or(Some(0))
                };
                let devices: Vec<usize> = (0..nd).filter(|&d| device(d)).filter_map(rank_d).collect();
                best = best.min(buy(users, true) * user_price + buy(devices, false) * device_price);
            }
            (estate, best)
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(
        std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(256)
    ))]

    /// Review 11: with 1,500 people from usage logs the report bought $7,515 where $4,500 was
    /// the least; the version-aware search (`optimise::versions`) prices each owned lot only for
    /// the subjects it may serve. The total is never below the least, the bound never above it,
    /// and a proven answer is the least (the census counts the few that are not).
    #[test]
    fn usage_estates_with_owned_cals_of_several_versions_get_the_least(
        (e, best) in versioned_usage_estate()
    ) {
        let r = eval(&e);
        holds_against_the_least(&r, best)?;
    }
}

/// How often the report misses the least purchase on the two kinds of small versioned estates
/// above (groups; usage logs), on a fixed set of cases (docs/benchmarks.md).
/// Run: `cargo test --profile stress --test engine versioned_least_census -- --ignored --nocapture`.
#[test]
#[ignore]
fn versioned_least_census() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let n = 20_000;
    let census = |name: &str, strategy: BoxedStrategy<(Value, i64)>| {
        let mut runner = TestRunner::deterministic();
        let (mut missed, mut unproven, mut over) = (0, 0, 0i64);
        for _ in 0..n {
            let (e, best) = match strategy.new_tree(&mut runner) {
                Ok(tree) => tree.current(),
                Err(e) => panic!("{e}"),
            };
            let r = eval(&e);
            if let Err(e) = holds_against_the_least(&r, best) {
                panic!("{name}: {e}");
            }
            let rec = r.recommendation;
            if rec.total_minor > best {
                missed += 1;
                over += rec.total_minor - best;
            }
            if !rec.exact {
                unproven += 1;
            }
        }
        eprintln!("{name}: {n} estates, {missed} above the least (by {over} minor units in all), {unproven} unproven");
    };
    census("groups", versioned_estate().boxed());
    census("usage logs", versioned_usage_estate().boxed());
}

/// A physical host `hv` with a 2016 VM the ten guests reach and a 2022 Essentials RDS session
/// host they reach too, beside a 2025 file server five staff use (owning five 2025 User CALs).
fn mixed_vm_host(holding: Value, rds_user_cal_minor: Option<i64>, readings: Value) -> Report {
    let mut prices = vec![
        json!({ "item": { "product": "rds", "kind": "external-connector" }, "amount_minor": 1_000 }),
    ];
    if let Some(p) = rds_user_cal_minor {
        prices.push(json!({ "item": { "product": "rds", "kind": "user-cal" }, "amount_minor": p }));
    }
    eval(&json!({
        "groups": [{ "id": "guests", "count": 10, "kind": "partner" }, { "id": "staff", "count": 5 }],
        "servers": [
            { "id": "old", "product": "windows-server", "version": "2016", "host": "hv", "vm": true },
            { "id": "s0", "product": "windows-server", "version": "2022", "edition": "essentials",
              "host": "hv", "vm": true, "rds_session_host": true, "rds_mode": "per-device" },
            { "id": "fs", "product": "windows-server", "version": "2025" }],
        "access": [{ "groups": ["guests"], "servers": ["s0"], "features": ["remote-desktop"] },
                   { "groups": ["guests"], "servers": ["old"] },
                   { "groups": ["staff"], "servers": ["fs"] }],
        "holdings": [holding,
                     { "product": "windows-server", "kind": "user-cal", "version": "2025", "quantity": 5 }],
        "organisation": { "prices": prices, "readings": readings }
    }))
}

/// An owned 2016 connector assigned to `hv` covers the guests' access to the 2016 VM, but it is
/// too old to be the base of an RDS connector for the 2022 session host beside it (review 22b:
/// one RDS connector, $10, was called the proven least cost).
#[test]
fn an_older_connector_on_a_mixed_host_is_not_the_base_of_a_newer_rds_one() {
    let ec = |v: &str, assigned: bool| {
        let mut h = json!({ "product": "windows-server", "kind": "external-connector",
                            "version": v, "quantity": 1 });
        if assigned {
            h["assigned_to"] = json!("hv");
        }
        h
    };
    // The base/additive rule read literally: each guest's RDS User CAL ($160) takes a Windows
    // Server User CAL ($45); the staff move to Device CALs ($40) so the owned User CALs go to
    // guests: $1,600 + $225 + $200, below the connector pair ($10 + $2,900). Not proven
    // (metamorphic review 29): with the RDS connector priced, the guests of the per-device
    // host are not offered RDS Device CALs for their own devices, which with the owned 2016
    // connector licensing their Windows Server access and the staff on their owned User CALs
    // cost $1,600, $425 less.
    let r = mixed_vm_host(ec("2016", true), None, json!({}));
    assert_eq!(
        (
            r.recommendation.total_minor,
            r.recommendation.exact,
            r.recommendation.gap_minor
        ),
        (202_500, false, 42_500)
    );
    assert!(r
        .recommendation
        .lines
        .iter()
        .all(|l| l.kind != LicenceKind::ExternalConnector));
    let pair = r
        .breakevens
        .iter()
        .find(|b| b.product == CalProduct::Rds)
        .expect("the RDS connector's break-even");
    assert_eq!(pair.option_b_minor, 291_000, "{}", pair.option_b);
    assert!(
        pair.option_b
            .contains("with the Windows Server External Connector it needs"),
        "{}",
        pair.option_b
    );
    // The host's connector as the guests' base: the 2016 one covers the 2016 VM, RDS User CALs
    // the session host.
    let r = mixed_vm_host(
        ec("2016", true),
        None,
        json!({ "external_additive_base": "external-connector" }),
    );
    assert_eq!(
        (r.recommendation.total_minor, r.recommendation.exact),
        (160_000, true)
    );
    assert_eq!(connector_rows(&r), vec![("2016".into(), 1, 1, 0, 1, 1, 0)]);
    // At $1,000 an RDS User CAL, the pair wins: a 2022 (or newer) connector is bought beneath
    // the RDS one, assigned or not, and the 2016 one is left over. Not proven, as above: the
    // guests' RDS Device CALs ($160 each) with the 2016 connector for their Windows Server
    // access cost $1,600, $1,310 less.
    for assigned in [true, false] {
        let r = mixed_vm_host(ec("2016", assigned), Some(100_000), json!({}));
        assert_eq!(
            (
                r.recommendation.total_minor,
                r.recommendation.exact,
                r.recommendation.gap_minor
            ),
            (291_000, false, 131_000),
            "assigned: {assigned}"
        );
        assert_eq!(
            connector_rows(&r),
            vec![
                ("2022".into(), 0, 0, 0, 1, 0, 1),
                ("2016".into(), 1, 0, 1, 0, 0, 0)
            ],
            "assigned: {assigned}"
        );
        let gap = r
            .findings
            .iter()
            .find(|f| {
                f.kind == FindingKind::VersionGap && f.product == Some(CalProduct::WindowsServer)
            })
            .expect("the version gap of the 2016 connector");
        assert!(
            gap.message
                .contains("s0 (2022; beneath the RDS External Connector there)")
                && !gap.message.contains("fs (2025)"),
            "{}",
            gap.message
        );
    }
    // An owned 2022 one is the base of both: one RDS connector.
    let r = mixed_vm_host(ec("2022", true), Some(100_000), json!({}));
    assert_eq!(
        (r.recommendation.total_minor, r.recommendation.exact),
        (1_000, true)
    );
    assert_eq!(connector_rows(&r), vec![("2022".into(), 1, 1, 0, 1, 1, 0)]);
}

/// The mixed host above with two guests on a per-user session host, a third guest on a 2012
/// session host elsewhere and nine owned 2012 RDS connectors: debug builds stopped on a candidate
/// cheaper than the lower bound (the RDS connector's base counted as the owned 2016 one).
#[test]
fn a_mixed_host_beside_an_older_session_host_is_priced_within_its_bound() {
    let r = eval(&json!({
        "groups": [{ "id": "g", "count": 2, "kind": "partner" }, { "id": "g2", "count": 1, "kind": "partner" }],
        "servers": [
            { "id": "old", "product": "windows-server", "version": "2016", "host": "hv", "vm": true },
            { "id": "ess", "product": "windows-server", "version": "2022", "edition": "essentials",
              "host": "hv", "vm": true, "rds_session_host": true, "rds_mode": "per-user" },
            { "id": "s2", "product": "windows-server", "version": "2012", "rds_session_host": true }],
        "access": [{ "groups": ["g"], "servers": ["ess"], "features": ["remote-desktop"] },
                   { "groups": ["g"], "servers": ["old"] },
                   { "groups": ["g2"], "servers": ["s2"], "features": ["remote-desktop"] }],
        "holdings": [
            { "product": "windows-server", "kind": "external-connector", "version": "2016",
              "quantity": 1, "assigned_to": "hv" },
            { "product": "rds", "kind": "external-connector", "version": "2012", "quantity": 9 }],
        "organisation": { "prices": [
            { "item": { "product": "rds", "kind": "external-connector" }, "amount_minor": 1_000 }] }
    }));
    // Three guests, each an RDS User CAL ($160) and its Windows Server base ($45).
    assert_eq!(
        (r.recommendation.total_minor, r.recommendation.exact),
        (61_500, true)
    );
}

/// Prices for the two-additive cases below: every connector $100, CALs as given (minor units),
/// Device CALs out of reach.
fn connector_prices(rds_user: i64, adrms_user: i64) -> Value {
    let p = |product: &str, kind: &str, amount: i64| json!({ "item": { "product": product, "kind": kind }, "amount_minor": amount });
    json!([
        p("windows-server", "external-connector", 10_000),
        p("rds", "external-connector", 10_000),
        p("ad-rms", "external-connector", 10_000),
        p("rds", "user-cal", rds_user),
        p("ad-rms", "user-cal", adrms_user),
        p("windows-server", "user-cal", 4_500),
        p("windows-server", "device-cal", 100_000),
        p("rds", "device-cal", 100_000),
        p("ad-rms", "device-cal", 100_000)
    ])
}

/// Two guests on host `hv`: a 2016 VM and a 2022 Essentials per-user session host, with an owned
/// 2016 Windows Server connector assigned to `hv`; `access` and `prices` as given.
fn two_guests_on_a_mixed_host(access: Value, prices: Value) -> Report {
    eval(&json!({
        "groups": [{ "id": "guests", "count": 2, "kind": "partner" }],
        "servers": [
            { "id": "old", "product": "windows-server", "version": "2016", "host": "hv", "vm": true },
            { "id": "s0", "product": "windows-server", "version": "2022", "edition": "essentials",
              "host": "hv", "vm": true, "rds_session_host": true, "rds_mode": "per-user" }],
        "access": access,
        "holdings": [{ "product": "windows-server", "kind": "external-connector", "version": "2016",
                       "quantity": 1, "assigned_to": "hv" }],
        "organisation": { "prices": prices }
    }))
}

/// RDS and AD RMS connectors on one mixed host share the one newer Windows Server connector
/// bought beneath them (review of session 23's changes: the cut charged it once for each, so
/// $390 of CALs was called proven where the connectors cost $300).
#[test]
fn rds_and_ad_rms_connectors_share_the_connector_beneath_them() {
    let r = two_guests_on_a_mixed_host(
        json!([{ "groups": ["guests"], "servers": ["s0"], "features": ["remote-desktop", "ad-rms"] },
               { "groups": ["guests"], "servers": ["old"] }]),
        connector_prices(7_500, 7_500),
    );
    // RDS, AD RMS and one Windows Server connector: $300, below 2 × ($75 + $75 + $45) = $390.
    assert_eq!(
        (r.recommendation.total_minor, r.recommendation.exact),
        (30_000, true)
    );
    let gap = r
        .findings
        .iter()
        .find(|f| f.kind == FindingKind::VersionGap && f.product == Some(CalProduct::WindowsServer))
        .expect("the 2016 connector's version gap");
    assert!(
        gap.message
            .contains("s0 (2022; beneath the RDS and AD RMS External Connectors there)"),
        "{}",
        gap.message
    );
}

/// Each additive connector asks its own servers' version of the connector beneath it: an AD RMS
/// connector for a 2016 server takes the owned 2016 one, even beside a 2022 RDS host (review of
/// session 23's changes: a 2025 connector was bought for it, $292 where $192 was enough).
#[test]
fn each_additive_connector_asks_its_own_servers_version_beneath_it() {
    let r = two_guests_on_a_mixed_host(
        json!([{ "groups": ["guests"], "servers": ["old"], "features": ["ad-rms"] },
               { "groups": ["guests"], "servers": ["s0"], "features": ["remote-desktop"] }]),
        connector_prices(100, 50_000),
    );
    // The AD RMS connector on the owned 2016 base ($100), RDS User CALs ($1 each) with their
    // Windows Server User CALs ($45 each): $192.
    assert_eq!(
        (r.recommendation.total_minor, r.recommendation.exact),
        (19_200, true)
    );
    assert!(r
        .recommendation
        .lines
        .iter()
        .all(|l| !(l.product == CalProduct::WindowsServer
            && l.kind == LicenceKind::ExternalConnector)));
}

/// Amounts as `core::fmt` wrote them before money was written digit by digit (session 25).
fn money_by_format(minor: i64, currency: &str) -> String {
    let sign = if minor < 0 { "-" } else { "" };
    let abs = minor.unsigned_abs();
    let digits = cal_calc::position::minor_digits(currency);
    let scale = 10u64.pow(digits);
    let whole = (abs / scale).to_string();
    let mut major = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            major.push(',');
        }
        major.push(c);
    }
    let fraction = if digits == 0 {
        String::new()
    } else {
        format!(".{:0width$}", abs % scale, width = digits as usize)
    };
    if currency.eq_ignore_ascii_case("USD") {
        format!("{sign}${major}{fraction}")
    } else {
        format!("{sign}{currency} {major}{fraction}")
    }
}

proptest! {
    /// Every amount reads as before, whatever its size, sign and currency's minor digits.
    #[test]
    fn money_reads_as_it_did(
        minor in prop_oneof![any::<i64>(), -1_000_000i64..1_000_000, Just(i64::MIN), Just(0)],
        currency in prop::sample::select(vec!["USD", "usd", "EUR", "JPY", "KWD", "CLF", "HUF", "iqd"]),
    ) {
        prop_assert_eq!(cal_calc::position::money(minor, currency), money_by_format(minor, currency));
        if let Ok(n) = u64::try_from(minor) {
            let jpy = money_by_format(minor, "JPY");
            prop_assert_eq!(cal_calc::position::thousands(n), jpy.trim_start_matches("JPY "));
        }
    }
}

/// Versions review 25: the 2019 connector row of an estate whose 2022 connector covers a 2019
/// host read "(a newer CAL covers an older server …)".
#[test]
fn a_connector_row_covered_by_a_newer_connector_says_connector() {
    let vm = |id: &str, v: &str, h: &str| json!({ "id": id, "product": "windows-server", "version": v, "host": h, "vm": true });
    let host = |id: &str, v: &str| json!({ "id": id, "product": "windows-server", "version": v, "edition": "datacenter", "virtualization_only": true });
    let ec = |v: &str, to: &str| json!({ "product": "windows-server", "kind": "external-connector", "version": v, "quantity": 1, "assigned_to": to });
    let r = eval(&json!({
        "groups": [{ "id": "partners", "count": 200, "kind": "partner", "devices_each": 1 }],
        "servers": [host("hostA", "2022"), host("hostB", "2019"), vm("vmA1", "2016", "hostA"), vm("vmA2", "2019", "hostA"), vm("vmB1", "2019", "hostB")],
        "access": [{ "groups": ["partners"], "servers": ["vmA1", "vmA2", "vmB1"] }],
        "holdings": [ec("2022", "hostB"), ec("2016", "hostA")]
    }));
    let row = r
        .position
        .iter()
        .find(|p| p.kind == LicenceKind::ExternalConnector && p.version == "2019")
        .expect("the 2019 connector row");
    assert!(
        row.why
            .text
            .contains("1 of version 2022 (a newer External Connector covers an older server;"),
        "{}",
        row.why.text
    );
}

/// 100 people on a Windows Server and an Exchange server, with a Core CAL Suite cheaper than the
/// two CALs it holds and a SQL Server they also use: the purchase is 100 Core CAL Suites and 100
/// SQL Server CALs.
fn suites_bought() -> Report {
    eval(&json!({
        "organisation": { "prices": [
            { "item": { "product": "core-cal-suite", "kind": "user-cal" }, "amount_minor": 100 },
            { "item": { "product": "core-cal-suite", "kind": "device-cal" }, "amount_minor": 100 }
        ] },
        "groups": [{ "id": "staff", "count": 100, "devices_each": 2 }],
        "servers": [
            { "id": "dc", "product": "windows-server", "version": "2022" },
            { "id": "mail", "product": "exchange", "version": "2019", "windows_version": "2022" },
            { "id": "db", "product": "sql-server", "version": "2022", "windows_version": "2022" }
        ],
        "access": [{ "groups": ["staff"], "servers": ["dc", "mail", "db"] }]
    }))
}

/// Reviewer, embed `products=ws`: the position's CSV of Windows Server only said "0 needed" and
/// a total of 0.00 while the Core CAL Suites bought for its people stood in no row. A suite's row
/// is kept for a product it licenses, and the file says what else the suite covers.
#[test]
fn the_csv_of_some_products_keeps_the_suites_that_license_them() {
    let r = suites_bought();
    let suite = r
        .position
        .iter()
        .find(|x| x.product == CalProduct::CoreCalSuite && x.shortfall > 0)
        .unwrap_or_else(|| panic!("Core CAL Suites to buy: {:#?}", r.recommendation.lines));
    assert!(suite.cost_to_close_minor > 0);
    let csv = cal_calc::report::position_csv_of(&r, Some(&[CalProduct::WindowsServer]))
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        csv.lines().any(|l| l.starts_with("Core CAL Suite,")),
        "{csv}"
    );
    assert!(!csv.contains("SQL Server,"), "{csv}");
    let total = csv.lines().last().unwrap_or_default();
    let cost = cal_calc::report::decimal(suite.cost_to_close_minor, 2);
    assert!(
        total.starts_with(&format!("Total of Windows Server only,,,,,,,,,,,{cost},"))
            && total.contains(
                "the Core CAL Suites in this total are counted whole: they also cover Exchange \
                 Standard, SharePoint Standard and Skype for Business Standard. "
            ),
        "{total}"
    );
    // Named by the host itself, or covering only products shown, the suite needs no such words.
    let all_four = [
        CalProduct::WindowsServer,
        CalProduct::ExchangeStandard,
        CalProduct::SharePointStandard,
        CalProduct::SkypeStandard,
    ];
    for only in [&[CalProduct::CoreCalSuite][..], &all_four[..]] {
        let csv =
            cal_calc::report::position_csv_of(&r, Some(only)).unwrap_or_else(|e| panic!("{e}"));
        assert!(
            csv.contains("Core CAL Suite,") && !csv.contains("counted whole"),
            "{csv}"
        );
    }
    // A product no suite holds keeps none of them.
    let sql = cal_calc::report::position_csv_of(&r, Some(&[CalProduct::SqlServer]))
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(!sql.contains("Core CAL Suite"), "{sql}");
    assert!(r
        .position
        .iter()
        .filter(|x| x.concerns(Some(&[CalProduct::WindowsServer])))
        .all(|x| matches!(
            x.product,
            CalProduct::WindowsServer | CalProduct::CoreCalSuite
        )));
}

/// The CSV's Total row says the readings the figures follow other than the defaults, in the
/// printout's words (review 27: a position computed per VM, with volume-licensing-only seats,
/// read as if by the defaults once exported).
#[test]
fn the_csv_total_says_the_readings_in_force() {
    let estate = |readings: Value| {
        json!({
            "organisation": { "readings": readings },
            "groups": [{ "id": "partners", "count": 20, "kind": "partner" }],
            "servers": [{ "id": "fs", "product": "windows-server", "version": "2022" }],
            "access": [{ "groups": ["partners"], "servers": ["fs"] }]
        })
    };
    let total = |r: &Report| {
        let csv = cal_calc::report::position_csv(r).unwrap_or_else(|e| panic!("{e}"));
        csv.lines().last().unwrap_or_default().to_string()
    };
    let default = total(&eval(&estate(json!({}))));
    assert!(
        default.ends_with("Readings where sources disagree, all the defaults: External Connectors one per physical host (Product Terms); an additive CAL's base held by the same user or device (the reading that cannot fall short); external users with RDS or AD RMS User CALs get a Windows Server User CAL each; Microsoft 365 seats count as CALs when bought through: Every channel (Product Terms equivalency table); an E3 seat stands for the Standard and Enterprise CALs (Microsoft's texts); printers and scanners used by Microsoft 365 users: Covered by the users' seats, as by User CALs (derived from the Product Terms' equivalency); network equipment that authenticates to servers gets Device CALs (the reading that cannot fall short).\""),
        "{default}"
    );
    let per_vm = total(&eval(&estate(
        json!({ "external_connector_scope": "per-vm" }),
    )));
    assert!(
        per_vm.ends_with("Readings where sources disagree, other than the defaults: External Connectors one per VM (community reading).\""),
        "{per_vm}"
    );
    let other = total(&eval(&estate(json!({
        "external_connector_scope": "per-vm",
        "additive_base": "either-subject",
        "external_additive_base": "external-connector",
        "m365_equivalency": "volume-licensing-only",
        "m365_e3_rights": "core-cal-suite",
        "m365_printers": "device-cals",
        "network_equipment": "not-counted"
    }))));
    for words in [
        "External Connectors one per VM (community reading)",
        "an additive CAL's base held by the user or the device: a user's base CAL with a device's additive CAL, and the reverse",
        "the host's Windows Server External Connector as their base",
        "Volume-licensing channels only (community reading)",
        "the Core CAL Suite only (practitioners' shorthand)",
        "Device CALs unless every user holds a CAL (practitioners' reading)",
        "network equipment that authenticates to servers gets no Device CALs",
    ] {
        assert!(other.contains(words), "{words}: {other}");
    }
}

/// Review 39 (t17): four kiosks shared by 20 shift workers, who reach a 2019 server only, and by
/// three office staff, who reach a 2022 server too and hold 2022 User CALs. A user is covered by
/// their User CAL or by the Device CALs of the devices they use (cal-rules §5), so the kiosks
/// need CALs only as new as what the shift workers reach: the 4 owned 2019 Device CALs cover
/// them. The kiosks were held to 2022: 4 Device CALs bought and the position "not compliant".
#[test]
fn a_shared_device_needs_a_cal_only_as_new_as_its_users_without_user_cals_reach() {
    let estate = |office_user_cals: u32| {
        json!({
            "groups": [{ "id": "office", "count": 3, "devices_each": 1 },
                       { "id": "shift", "count": 20, "devices_each": 0 }],
            "shared_devices": [{ "id": "kiosk", "count": 4, "shared_by": ["office", "shift"] }],
            "servers": [{ "id": "old", "product": "windows-server", "version": "2019" },
                        { "id": "new", "product": "windows-server", "version": "2022" }],
            "access": [{ "groups": ["office", "shift"], "servers": ["old"] },
                       { "groups": ["office"], "servers": ["new"] }],
            "holdings": [
                { "product": "windows-server", "kind": "device-cal", "version": "2019", "quantity": 4 },
                { "product": "windows-server", "kind": "user-cal", "version": "2022", "quantity": office_user_cals }
            ]
        })
    };
    let r = eval(&estate(3));
    let rec = &r.recommendation;
    assert_eq!((rec.total_minor, rec.exact), (0, true));
    let row = |r: &Report, kind: LicenceKind, v: &str| {
        r.position
            .iter()
            .find(|x| x.kind == kind && x.version == v)
            .map(|x| (x.owned, x.used, x.shortfall))
    };
    assert_eq!(row(&r, LicenceKind::DeviceCal, "2019"), Some((4, 4, 0)));
    assert!(
        r.findings
            .iter()
            .all(|f| f.severity != cal_calc::report::Severity::Critical),
        "{:#?}",
        r.findings
    );
    // With one office User CAL short, someone at the kiosks is left to their Device CALs: the
    // least is to buy the missing User CAL ($45), not four 2025 Device CALs ($160).
    let r = eval(&estate(2));
    assert_eq!(r.recommendation.total_minor, 4_500);
    assert_eq!(row(&r, LicenceKind::DeviceCal, "2019"), Some((4, 4, 0)));
}

/// ELP review 42: "2019 External Connectors: 1 needed" named no host, though a connector is for
/// one physical host (cal-rules §1.6). The row's why names the hosts it is needed for.
#[test]
fn an_external_connector_row_names_its_hosts() {
    let r = eval(&json!({
        "organisation": { "prices": [{ "item": { "product": "windows-server", "kind": "user-cal" }, "amount_minor": 10000 }] },
        "groups": [{ "id": "partners", "count": 200, "kind": "partner" }],
        "servers": [
            { "id": "a", "name": "Portal host", "product": "windows-server", "version": "2022" },
            { "id": "b", "name": "Extranet host", "product": "windows-server", "version": "2019" }
        ],
        "access": [{ "groups": ["partners"], "servers": ["a", "b"] }]
    }));
    let why = |version: &str| {
        r.position
            .iter()
            .find(|p| p.kind == LicenceKind::ExternalConnector && p.version == version)
            .map(|p| p.why.text.clone())
            .unwrap_or_default()
    };
    assert!(
        why("2022").starts_with("Windows Server 2022 External Connectors: 1 needed, for Portal host (reached by external users)"),
        "{}",
        why("2022")
    );
    assert!(
        why("2019").starts_with("Windows Server 2019 External Connectors: 1 needed, for Extranet host (reached by external users)"),
        "{}",
        why("2019")
    );
}

/// ELP review 42: with 30 Enterprise CAL Suites on the licence statement, the position showed
/// "Enterprise CAL Suite User CAL: Owned 0, Needed 5" and the 30 only as unexplained extra on
/// eight product rows. The product rows say how many suites they include, and the suite's row is
/// the licence statement's line (review 43, M2): 30 owned, held by the 30 Sales people, and 5 to
/// buy for the executives.
#[test]
fn owned_suites_are_said_where_they_are_counted() {
    let path = format!(
        "{}/tests/fixtures/elp-additive-m365.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let estate = cal_calc::share::from_file(&text).unwrap_or_else(|e| panic!("{e}"));
    let r = cal_calc::evaluate(&estate, Date::parse("2026-12-05").expect("a date"))
        .unwrap_or_else(|e| panic!("{e}"));
    let why = |product: CalProduct, version: &str| {
        r.position
            .iter()
            .find(|p| {
                p.product == product && p.kind == LicenceKind::UserCal && p.version == version
            })
            .map(|p| (p.owned, p.why.text.clone()))
            .unwrap_or_default()
    };
    let (owned, text) = why(CalProduct::SharePointStandard, "SE");
    assert_eq!(owned, 80, "50 SharePoint SE CALs and 30 suites");
    assert!(
        text.contains("the owned include 30 Enterprise CAL Suite licences (on the licence statement as suites), counted as their contents"),
        "{text}"
    );
    let row = (r.position.iter())
        .find(|p| p.product == CalProduct::EnterpriseCalSuite)
        .unwrap_or_else(|| panic!("{:#?}", r.position));
    assert_eq!(
        (
            row.owned,
            row.used,
            row.surplus,
            row.needed,
            row.covered,
            row.shortfall
        ),
        (30, 30, 0, 35, 30, 5)
    );
    assert!(
        row.why
            .text
            .starts_with("30 owned Enterprise CAL Suite Users, 30 held by 30 Sales")
            && row
                .why
                .text
                .contains("count as owned CALs on the Windows Server, ")
            && row
                .why
                .text
                .contains("; to buy: 5 Enterprise CAL Suite Users for Executives"),
        "{}",
        row.why.text
    );
    // Review 43 (H3): the finding that the suites leave owned CALs idle counted the 30 SE
    // Exchange Enterprise CALs of the suites themselves with the 20 separate 2019 ones ("50").
    let se = r
        .position
        .iter()
        .find(|p| p.product == CalProduct::ExchangeEnterprise && p.version == "SE")
        .unwrap_or_else(|| panic!("{:#?}", r.position));
    assert_eq!((se.surplus, se.surplus_in_suites), (30, 30));
    let idle: Vec<&str> = r
        .findings
        .iter()
        .filter(|f| f.message.contains("you own idle"))
        .map(|f| f.message.as_str())
        .collect();
    assert!(
        idle.len() == 1
            && idle[0].contains("which leaves 20 Exchange Enterprise 2019 CALs you own idle"),
        "{idle:?}"
    );
}

/// ELP review 42 (M6): the CSV did not say which unit prices were the client's and which
/// estimates, and in a spreadsheet set to German each line of it was one column. Each row now
/// names its price's basis, and the semicolon style holds the same cells with semicolons
/// between them and decimal commas.
#[test]
fn the_csv_names_each_prices_basis_and_writes_semicolons_on_request() {
    let r = eval(&json!({
        "organisation": {
            "currency": "USD",
            "prices": [{ "item": { "product": "windows-server", "kind": "user-cal" }, "amount_minor": 3950 }]
        },
        "groups": [
            { "id": "staff", "count": 10, "devices_each": 1 },
            { "id": "partners", "count": 300, "kind": "partner" }
        ],
        "servers": [
            { "id": "portal", "product": "windows-server", "version": "2022" },
            { "id": "db", "product": "sql-server", "version": "2022", "sql_licensing": "server-cal" }
        ],
        "access": [
            { "groups": ["staff"], "servers": ["portal", "db"] },
            { "groups": ["partners"], "servers": ["portal"] }
        ],
        "holdings": [{ "product": "rds", "kind": "external-connector", "version": "2022", "quantity": 1 }]
    }));
    let read = |text: &str, delimiter: u8| -> Vec<csv::StringRecord> {
        csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .from_reader(text.as_bytes())
            .records()
            .map(|r| r.unwrap_or_else(|e| panic!("{e}: {text}")))
            .collect()
    };
    let comma = cal_calc::report::position_csv(&r).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        comma.starts_with("Product,Licence,Version,Owned,Used,Surplus,Needed,Covered,Shortfall,Unit price (USD),Price basis,Cost to close (USD),Why\n"),
        "{comma}"
    );
    let rows = read(&comma, b',');
    let basis = |product: &str, licence: &str| -> (String, String) {
        rows.iter()
            .find(|x| &x[0] == product && &x[1] == licence)
            .map(|x| (x[9].to_string(), x[10].to_string()))
            .unwrap_or_else(|| panic!("no {product} {licence} row: {comma}"))
    };
    assert_eq!(
        basis("Windows Server", "User CAL"),
        ("39.50".into(), "your price".into())
    );
    assert_eq!(
        basis("SQL Server", "User CAL"),
        ("230.00".into(), "reference estimate".into())
    );
    assert_eq!(
        basis("Windows Server", "External Connector"),
        ("2900.00".into(), "derived estimate".into())
    );
    // An owned RDS External Connector nothing needs has no price (none is published).
    assert_eq!(
        basis("Remote Desktop Services", "External Connector"),
        (String::new(), "no price".into())
    );
    let semi =
        cal_calc::report::position_csv_styled(&r, None, cal_calc::report::CsvStyle::Semicolon)
            .unwrap_or_else(|e| panic!("{e}"));
    assert!(semi.starts_with("Product;Licence;Version;Owned;"), "{semi}");
    let semi_rows = read(&semi, b';');
    assert_eq!(semi_rows.len(), rows.len());
    for (c, s) in rows.iter().zip(&semi_rows) {
        for (i, (a, b)) in c.iter().zip(s.iter()).enumerate() {
            // Money (unit price, cost to close) has a decimal comma, and so have the figures of
            // the explanation (review 43: "$2,097.50" beside "2097,50"); every other cell is the
            // same.
            if i == 9 || i == 11 {
                assert_eq!(a.replace('.', ","), b, "{c:?} / {s:?}");
            } else if i == 12 {
                assert_eq!(
                    cal_calc::report::comma_decimal_figures(a),
                    b,
                    "{c:?} / {s:?}"
                );
            } else {
                assert_eq!(a, b, "{c:?} / {s:?}");
            }
        }
    }
    assert!(semi.contains(";39,50;your price;"), "{semi}");
    assert!(
        semi.contains("1 short × 2.900,00 USD (derived estimate) = 2.900,00 USD"),
        "{semi}"
    );
    assert_eq!(
        cal_calc::report::comma_decimal_figures(
            "2,500 external users; 3 × $1,234,567.05 = -JPY 5,000 and KWD 1.250"
        ),
        "2.500 external users; 3 × 1.234.567,05 USD = -5.000 JPY and 1,250 KWD"
    );
    // The why says the same of the price as the column.
    assert!(
        rows.iter()
            .any(|x| &x[1] == "External Connector"
                && x[12].contains("× $2,900.00 (derived estimate)")),
        "{comma}"
    );
}

/// ELP review 42 (M2): a row said "310 needed" and not whose. Each CAL row names the groups and
/// device pools that make up its need at its version, the most first, with their counts.
#[test]
fn a_rows_why_names_whose_need_it_is_at_its_version() {
    let r = eval(&json!({
        "groups": [
            { "id": "office", "name": "Office", "count": 30, "devices_each": 2 },
            { "id": "plant", "name": "Plant floor", "count": 12, "devices_each": 1 },
            { "id": "ops", "name": "Operations", "count": 5, "devices_each": 3 }
        ],
        "shared_devices": [{ "id": "kiosk", "name": "Kiosks", "count": 4, "unattended": true, "accesses": ["old"] }],
        "servers": [
            { "id": "new", "name": "Files", "product": "windows-server", "version": "2022" },
            { "id": "old", "name": "Legacy", "product": "windows-server", "version": "2019" }
        ],
        "access": [
            { "groups": ["office"], "servers": ["new", "old"] },
            { "groups": ["plant"], "servers": ["old"] },
            { "groups": ["ops"], "servers": ["new"] }
        ]
    }));
    let why = |kind: LicenceKind, version: &str| -> String {
        r.position
            .iter()
            .find(|x| {
                x.product == CalProduct::WindowsServer && x.kind == kind && x.version == version
            })
            .map(|x| x.why.text.clone())
            .unwrap_or_else(|| panic!("no {kind:?} {version} row: {:#?}", r.position))
    };
    assert!(
        why(LicenceKind::UserCal, "2022")
            .starts_with("Windows Server 2022 User CALs: 35 needed, for 30 Office, 5 Operations;"),
        "{}",
        why(LicenceKind::UserCal, "2022")
    );
    // One device each: Device CALs ($40.00) over User CALs ($45.00), at the version they reach.
    assert!(
        why(LicenceKind::DeviceCal, "2019").starts_with("Windows Server 2019 Device CALs: 16 needed, for 12 own devices of Plant floor, 4 Kiosks;"),
        "{}",
        why(LicenceKind::DeviceCal, "2019")
    );
}

/// ELP review 42 (H1): owned CAL Suites are counted as their contents, and a suite is one
/// licence, its CALs not deployed apart from it: the surplus a row leaves of a suite's contents
/// is said to go with the suite, on the rows of products nobody needs too. Review 43 (H2): the
/// separate CALs of a version are used before the suites' contents (the position weighs each
/// product apart, and the people a suite covers for one product may not be those it would cover
/// here), so no CAL the estate needs is offered as free surplus.
#[test]
fn separate_cals_are_used_before_suites_contents_whose_surplus_goes_with_them() {
    let estate = |staff: u32| {
        json!({
            "groups": [{ "id": "staff", "name": "Staff", "count": staff, "devices_each": 2 }],
            "servers": [{ "id": "fs", "product": "windows-server", "version": "2019" }],
            "access": [{ "groups": ["staff"], "servers": ["fs"] }],
            "holdings": [
                { "product": "windows-server", "kind": "user-cal", "version": "2019", "quantity": 30 },
                { "product": "core-cal-suite", "kind": "user-cal", "quantity": 10,
                  "software_assurance": { "since": "2020-01-01", "until": "2021-06-30" } }
            ]
        })
    };
    let row = |r: &Report, product: CalProduct| {
        r.position
            .iter()
            .find(|x| x.product == product && x.kind == LicenceKind::UserCal)
            .cloned()
            .unwrap_or_else(|| panic!("no {product:?} row: {:#?}", r.position))
    };
    // 35 staff: the 30 separate CALs and 5 suites are used; 5 suites are left.
    let r = eval(&estate(35));
    let ws = row(&r, CalProduct::WindowsServer);
    assert_eq!((ws.owned, ws.used, ws.surplus), (40, 35, 5));
    assert!(
        ws.why.text.contains(
            "5 owned at this version not used; of them, 5 are from owned CAL Suites, which go with their suite: not to be deployed apart from it"
        ),
        "{}",
        ws.why.text
    );
    assert!(ws.why.rules.iter().any(|id| id == "suite.not-split"));
    // 20 staff: separate CALs only; the 10 separate ones left may be deployed, the 10 suites not.
    let r = eval(&estate(20));
    let ws = row(&r, CalProduct::WindowsServer);
    assert_eq!((ws.owned, ws.used, ws.surplus), (40, 20, 20));
    assert!(
        ws.why
            .text
            .contains("20 owned at this version not used; of them, 10 are from owned CAL Suites"),
        "{}",
        ws.why.text
    );
    let exchange = row(&r, CalProduct::ExchangeStandard);
    assert!(
        exchange.why.text.contains(
            "10 owned Exchange Standard 2019 User CALs (10 of them the contents of owned CAL Suites, which go with their suite); nothing in the estate needs them"
        ),
        "{}",
        exchange.why.text
    );
    assert!(exchange.why.rules.iter().any(|id| id == "suite.not-split"));
}

/// Review 43 (H2): 30 Core CAL Suites, 30 separate Exchange CALs, 30 Exchange-only clerks and
/// 30 SharePoint-only staff: compliant with the suites on the staff and the separate CALs on the
/// clerks. With the suites' contents used first, the Exchange row offered the 30 separate CALs
/// the clerks need as surplus; the surplus is the suites' Exchange CALs, and the row says so.
#[test]
fn the_separate_cals_other_people_need_are_not_offered_as_surplus() {
    let r = eval(&json!({
        "groups": [
            { "id": "mail", "name": "Mail-only clerks", "count": 30, "devices_each": 2 },
            { "id": "intra", "name": "Intranet-only staff", "count": 30, "devices_each": 2 }
        ],
        "servers": [
            { "id": "ex", "product": "exchange", "version": "2019", "windows_version": "2019" },
            { "id": "sp", "product": "share-point", "version": "2019", "windows_version": "2019" }
        ],
        "access": [
            { "groups": ["mail"], "servers": ["ex"] },
            { "groups": ["intra"], "servers": ["sp"] }
        ],
        "holdings": [
            { "product": "core-cal-suite", "kind": "user-cal", "quantity": 30,
              "software_assurance": { "since": "2018-07-01", "until": "2021-06-30" } },
            { "product": "windows-server", "kind": "user-cal", "version": "2019", "quantity": 30 },
            { "product": "exchange-standard", "kind": "user-cal", "version": "2019", "quantity": 30 }
        ]
    }));
    let exchange = r
        .position
        .iter()
        .find(|x| x.product == CalProduct::ExchangeStandard && x.kind == LicenceKind::UserCal)
        .unwrap_or_else(|| panic!("{:#?}", r.position));
    assert_eq!(
        (exchange.owned, exchange.used, exchange.surplus),
        (60, 30, 30)
    );
    assert!(
        exchange.why.text.contains(
            "30 owned at this version not used; of them, 30 are from owned CAL Suites, which go with their suite"
        ),
        "{}",
        exchange.why.text
    );
}

/// ELP review 42 (M5), review 43 (M3): 20 people on a Windows Server 2012 R2 server, one device
/// each, were covered by 2019 User CALs while the 20 owned 2012 Device CALs that fit them lay
/// idle, "older than the newest servers that need this product". At one cost, the older CALs are
/// used where they fit and the newer ones, which cover more, are the surplus.
#[test]
fn older_owned_cals_that_fit_are_used_before_newer_ones() {
    let r = eval(&json!({
        "groups": [{ "id": "plant", "count": 20, "devices_each": 1 },
                   { "id": "office", "count": 30, "devices_each": 1 }],
        "servers": [{ "id": "legacy", "product": "windows-server", "version": "2012 R2" },
                    { "id": "fs", "product": "windows-server", "version": "2019" }],
        "access": [{ "groups": ["plant"], "servers": ["legacy"] },
                   { "groups": ["office"], "servers": ["fs"] }],
        "holdings": [
            { "product": "windows-server", "kind": "device-cal", "version": "2012", "quantity": 20 },
            { "product": "windows-server", "kind": "user-cal", "version": "2019", "quantity": 50 }
        ]
    }));
    let row = |kind: LicenceKind, version: &str| {
        (r.position.iter())
            .find(|p| {
                p.product == CalProduct::WindowsServer && p.kind == kind && p.version == version
            })
            .map(|p| (p.owned, p.used, p.surplus))
    };
    assert_eq!(r.recommendation.total_minor, 0);
    assert_eq!(row(LicenceKind::DeviceCal, "2012"), Some((20, 20, 0)));
    assert_eq!(row(LicenceKind::UserCal, "2019"), Some((50, 30, 20)));
}

/// Review 45: a CAL Suite's row said the parts its holders use counted on the Windows Server row
/// while that row showed the suites' frozen Windows Server part unused; and an idle suite was said
/// to have no one needing what it covers while a person with three devices needed all of it.
#[test]
fn a_suite_row_names_the_parts_used_the_frozen_ones_and_why_the_idle_are_idle() {
    let prices = |rows: &[(&str, &str, i64)]| -> Vec<Value> {
        (rows.iter())
            .map(|&(product, kind, amount)| {
                json!({ "item": { "product": product, "kind": kind }, "amount_minor": amount })
            })
            .collect()
    };
    let suite_why = |r: &Report, kind: LicenceKind| {
        (r.position.iter())
            .find(|p| p.product == CalProduct::CoreCalSuite && p.kind == kind)
            .map(|p| (p.owned, p.used, p.why.text.clone()))
            .unwrap_or_else(|| panic!("{:#?}", r.position))
    };
    // 8 Core CAL Suites whose SA ended in 2020: their Windows Server part is 2019, the servers
    // 2022; their Exchange part 2019, as the Exchange server.
    let frozen = eval(&json!({
        "groups": [{ "id": "a", "name": "Staff A", "count": 5 }, { "id": "b", "name": "Mail only", "count": 5 }],
        "servers": [
            { "id": "dc", "product": "windows-server", "version": "2022" },
            { "id": "ex", "product": "exchange", "version": "2019" }
        ],
        "access": [{ "groups": ["a"], "servers": ["dc", "ex"] }, { "groups": ["b"], "servers": ["ex"] }],
        "holdings": [{ "product": "core-cal-suite", "kind": "user-cal", "quantity": 8,
            "software_assurance": { "since": "2016-01-01", "until": "2020-06-30" } }]
    }));
    let (owned, used, why) = suite_why(&frozen, LicenceKind::UserCal);
    assert_eq!((owned, used), (8, 8));
    assert!(
        why.contains("count as owned CALs on the Exchange Standard row; their Windows Server part is frozen at versions older than the servers that need it"),
        "{why}"
    );
    assert!(why.contains("the one person who holds it"), "{why}");
    // One Device suite, one person with three devices: User CALs cost less than licensing all
    // three devices, so the suite lies idle.
    let idle = eval(&json!({
        "groups": [{ "id": "p", "name": "Roaming staff", "count": 1, "devices_each": 3 }],
        "servers": [
            { "id": "dc", "product": "windows-server", "version": "2022" },
            { "id": "ex", "product": "exchange", "version": "2019" }
        ],
        "access": [{ "groups": ["p"], "servers": ["dc", "ex"] }],
        "holdings": [{ "product": "core-cal-suite", "kind": "device-cal", "quantity": 1,
            "software_assurance": { "since": "2020-01-01" } }],
        "organisation": { "prices": prices(&[
            ("windows-server", "user-cal", 4500), ("windows-server", "device-cal", 4000),
            ("exchange-standard", "user-cal", 7600), ("exchange-standard", "device-cal", 7600)
        ]) }
    }));
    assert_eq!(idle.recommendation.total_minor, 4500 + 7600);
    let (owned, used, why) = suite_why(&idle, LicenceKind::DeviceCal);
    assert_eq!((owned, used), (1, 0));
    assert!(
        why.ends_with("1 not used: in the licensing found, giving it to anyone would not lower what is bought"),
        "{why}"
    );
    assert!(!why.contains("frozen"), "{why}");
}

/// Review 45: "for 1 own devices of Staff". One own device reads as one.
#[test]
fn one_own_device_reads_as_one() {
    let r = eval(&json!({
        "groups": [{ "id": "solo", "name": "Solo", "count": 1, "devices_each": 1 }],
        "servers": [{ "id": "dc", "product": "windows-server", "version": "2022" }],
        "access": [{ "groups": ["solo"], "servers": ["dc"] }],
        "organisation": { "prices": [
            { "item": { "product": "windows-server", "kind": "user-cal" }, "amount_minor": 4500 },
            { "item": { "product": "windows-server", "kind": "device-cal" }, "amount_minor": 4000 }
        ] }
    }));
    let why = (r.position.iter())
        .find(|p| p.product == CalProduct::WindowsServer && p.kind == LicenceKind::DeviceCal)
        .map(|p| p.why.text.clone())
        .unwrap_or_else(|| panic!("{:#?}", r.position));
    assert!(
        why.contains(": 1 needed, for 1 own device of Solo;"),
        "{why}"
    );
}

/// Review 46's random estates, cut down: 6 staff whose Windows Server access Microsoft 365 E3
/// licenses reach AD RMS, and 3 Windows Server Device CALs are owned. Each class was licensed one
/// way, so the owned Device CALs lay unused and all six took AD RMS User CALs: $234.00. Given to
/// three of them, as the base Device CAL beneath AD RMS Device CALs (§1.11, same device), with
/// User CALs for the other three on their seats' Windows Server rights: $189.00, proven, the
/// least an independent integer programme finds.
#[test]
fn owned_base_device_cals_go_beneath_additive_ones_for_part_of_a_seated_class() {
    let r = eval(&json!({
        "organisation": { "prices": [
            price("windows-server", "user-cal", 3600), price("windows-server", "device-cal", 4000),
            price("ad-rms", "user-cal", 3900), price("ad-rms", "device-cal", 2400)
        ] },
        "groups": [{ "id": "staff", "count": 6, "devices_each": 1, "m365": "e3" }],
        "servers": [{ "id": "dc", "product": "windows-server", "version": "2019" }],
        "access": [{ "groups": ["staff"], "servers": ["dc"], "features": ["ad-rms"] }],
        "holdings": [{ "product": "windows-server", "kind": "device-cal", "version": "2025",
                       "quantity": 3 }]
    }));
    let rec = &r.recommendation;
    assert_eq!(
        (rec.total_minor, rec.exact),
        (18_900, true),
        "{}",
        rec.why.text
    );
    let bought = |kind: LicenceKind| -> u64 {
        (rec.lines.iter())
            .filter(|l| l.product == CalProduct::AdRms && l.kind == kind)
            .map(|l| l.quantity)
            .sum()
    };
    assert_eq!(
        (bought(LicenceKind::UserCal), bought(LicenceKind::DeviceCal)),
        (3, 3)
    );
    // The owned Device CALs are used, as the base beneath the AD RMS ones.
    let used: u64 = (r.position.iter())
        .filter(|p| p.product == CalProduct::WindowsServer && p.kind == LicenceKind::DeviceCal)
        .map(|p| p.used)
        .sum();
    assert_eq!(used, 3);
}

/// Review 46's random estates, cut down: 7 staff on a per-device RD Session Host, so their PCs
/// need RDS and Windows Server Device CALs, and on AD RMS; 4 Windows Server User CALs are owned.
/// The owned User CALs went unused (the class reaches Windows Server's additive products, so
/// they were never given to part of it) and all seven PCs took AD RMS Device CALs: $2,233.00.
/// Given to four of them as the base beneath AD RMS User CALs, cheaper than Device CALs here:
/// $2,197.00, proven, the integer programme's least.
#[test]
fn owned_base_user_cals_go_beneath_additive_ones_for_part_of_a_class() {
    let r = eval(&json!({
        "organisation": { "prices": [
            price("windows-server", "user-cal", 4500), price("windows-server", "device-cal", 4000),
            price("ad-rms", "user-cal", 3000), price("ad-rms", "device-cal", 3900),
            price("rds", "user-cal", 24000), price("rds", "device-cal", 24000)
        ] },
        "groups": [{ "id": "staff", "count": 7, "devices_each": 1 }],
        "servers": [{ "id": "dc", "product": "windows-server", "version": "2022" },
                    { "id": "rdsh", "product": "windows-server", "version": "2022",
                      "rds_session_host": true, "rd_licensing_server_version": "2025",
                      "rds_mode": "per-device" }],
        "access": [{ "groups": ["staff"], "servers": ["dc", "rdsh"],
                     "features": ["remote-desktop", "ad-rms"] }],
        "holdings": [{ "product": "windows-server", "kind": "user-cal", "version": "2022",
                       "quantity": 4 }]
    }));
    let rec = &r.recommendation;
    assert_eq!(
        (rec.total_minor, rec.exact),
        (219_700, true),
        "{}",
        rec.why.text
    );
    let bought = |product: CalProduct, kind: LicenceKind| -> u64 {
        (rec.lines.iter())
            .filter(|l| l.product == product && l.kind == kind)
            .map(|l| l.quantity)
            .sum()
    };
    assert_eq!(bought(CalProduct::AdRms, LicenceKind::UserCal), 4);
    assert_eq!(bought(CalProduct::AdRms, LicenceKind::DeviceCal), 3);
    // Every PC still holds the Windows Server Device CAL beneath its RDS Device CAL.
    assert_eq!(bought(CalProduct::WindowsServer, LicenceKind::DeviceCal), 7);
    let row = (r.position.iter())
        .find(|p| p.product == CalProduct::WindowsServer && p.kind == LicenceKind::UserCal)
        .expect("the owned User CALs' row");
    assert_eq!((row.owned, row.used, row.surplus), (4, 4, 0));
}

/// Review 46's random estates, cut down: 6 staff with a PC each on Exchange Enterprise features
/// and a domain controller; 4 Exchange Standard Device CALs owned, and Enterprise CAL Suites
/// (device) cheaper than a PC's three Device CALs bought. Each class was licensed one way, so
/// all six PCs took Device CALs and two more Standard ones were bought: $1,868.80. The owned
/// Standard CALs given to four PCs, beneath Enterprise Device CALs bought for them, and suites
/// for the other two: $1,715.20, proven, the integer programme's least.
#[test]
fn owned_base_device_cals_go_beneath_additive_device_cals_for_part_of_a_class() {
    let r = eval(&json!({
        "organisation": { "prices": [
            price("windows-server", "user-cal", 5850), price("windows-server", "device-cal", 3200),
            price("exchange-standard", "user-cal", 15200), price("exchange-standard", "device-cal", 15200),
            price("exchange-enterprise", "user-cal", 35200), price("exchange-enterprise", "device-cal", 22880),
            price("enterprise-cal-suite", "device-cal", 33600)
        ] },
        "groups": [{ "id": "staff", "count": 6, "devices_each": 1 }],
        "servers": [{ "id": "dc", "product": "windows-server", "version": "2016" },
                    { "id": "ex", "product": "exchange", "version": "2016" }],
        "access": [{ "groups": ["staff"], "servers": ["dc", "ex"],
                     "features": ["exchange-enterprise"] }],
        "holdings": [{ "product": "exchange-standard", "kind": "device-cal", "version": "2016",
                       "quantity": 4 }]
    }));
    let rec = &r.recommendation;
    assert_eq!(
        (rec.total_minor, rec.exact),
        (171_520, true),
        "{}",
        rec.why.text
    );
    let bought = |product: CalProduct| -> u64 {
        (rec.lines.iter())
            .filter(|l| l.product == product && l.kind == LicenceKind::DeviceCal)
            .map(|l| l.quantity)
            .sum()
    };
    assert_eq!(bought(CalProduct::ExchangeEnterprise), 4);
    assert_eq!(bought(CalProduct::ExchangeStandard), 0);
    assert_eq!(bought(CalProduct::EnterpriseCalSuite), 2);
    // Every owned Standard CAL is used, beneath an Enterprise one on the same PC.
    let row = (r.position.iter())
        .find(|p| p.product == CalProduct::ExchangeStandard && p.kind == LicenceKind::DeviceCal)
        .expect("the owned Device CALs' row");
    assert_eq!((row.owned, row.used, row.shortfall), (4, 4, 0));
}

/// Found by review 46's integer programme while the test above was written: owned base Device
/// CALs went to part of a class of shared kiosks beneath additive Device CALs, and the kiosks so
/// split off were read as holding both (as a pair given outright does), so two of three staff
/// using them were left without an Exchange Enterprise CAL: $176.00 and "proven". The base
/// beneath bought additive Device CALs goes to people's own devices only; here 2 Enterprise CAL
/// Suites and one Exchange Standard User CAL beneath the owned Enterprise one: $436.00, the
/// programme's least.
#[test]
fn owned_base_device_cals_do_not_license_an_additive_product_on_shared_devices() {
    let r = eval(&json!({
        "organisation": { "prices": [
            price("exchange-standard", "user-cal", 7600), price("exchange-standard", "device-cal", 7600),
            price("exchange-enterprise", "user-cal", 17600), price("exchange-enterprise", "device-cal", 17600),
            price("enterprise-cal-suite", "user-cal", 18000)
        ] },
        "groups": [{ "id": "staff", "count": 3, "devices_each": 0 }],
        "shared_devices": [{ "id": "kiosk", "count": 3, "shared_by": ["staff"] }],
        "servers": [{ "id": "ex", "product": "exchange", "version": "2016" }],
        "access": [{ "groups": ["staff"], "servers": ["ex"], "features": ["exchange-enterprise"] }],
        "holdings": [
            { "product": "exchange-standard", "kind": "device-cal", "version": "2019", "quantity": 2 },
            { "product": "exchange-enterprise", "kind": "user-cal", "version": "2016", "quantity": 1 }
        ]
    }));
    let rec = &r.recommendation;
    assert_eq!(rec.total_minor, 43_600, "{}", rec.why.text);
    // Each of the three holds Exchange Enterprise rights: the owned User CAL or a suite.
    let bought: Vec<(CalProduct, LicenceKind, u64)> = (rec.lines.iter())
        .map(|l| (l.product, l.kind, l.quantity))
        .collect();
    assert_eq!(
        bought,
        [
            (CalProduct::ExchangeStandard, LicenceKind::UserCal, 1),
            (CalProduct::EnterpriseCalSuite, LicenceKind::UserCal, 2)
        ]
    );
}
