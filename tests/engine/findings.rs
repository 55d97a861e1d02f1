//! Findings: each kind raised on the smallest estate that shows it, with its severity and rule.

use cal_calc::estate::{CalProduct, Date, Estate, LicenceKind};
use cal_calc::named::Named;
use cal_calc::report::{BreakEvenKind, FindingKind};
use cal_calc::report::{Finding, Report, Severity};
use proptest::prelude::*;
use serde_json::{json, Value};

const AS_OF: Date = Date {
    year: 2026,
    month: 6,
    day: 1,
};

#[track_caller]
fn eval(estate: Value) -> Report {
    let e = Estate::from_json(&estate.to_string()).unwrap_or_else(|e| panic!("{e}"));
    cal_calc::evaluate(&e, AS_OF).unwrap_or_else(|e| panic!("{e}"))
}

fn find<'a>(r: &'a Report, kind: &str) -> Option<&'a Finding> {
    r.findings.iter().find(|f| f.kind.name() == kind)
}

/// The message of the first finding of `kind`, empty when there is none.
fn message(r: &Report, kind: &str) -> String {
    find(r, kind).map(|f| f.message.clone()).unwrap_or_default()
}

fn kind_rule_severity(r: &Report, kind: &str) -> Option<(String, Severity)> {
    find(r, kind).map(|f| (f.rule.clone(), f.severity))
}

fn partners_on_vms() -> Value {
    json!({
        "groups": [{ "id": "partners", "count": 200, "kind": "partner" }],
        "servers": [
            { "id": "hv", "product": "windows-server", "version": "2022", "virtualization_only": true },
            { "id": "a", "product": "windows-server", "version": "2022", "host": "hv", "vm": true },
            { "id": "b", "product": "windows-server", "version": "2022", "host": "hv", "vm": true }
        ],
        "access": [{ "groups": ["partners"], "servers": ["a", "b"] }]
    })
}

#[test]
fn missing_external_connector_names_the_host() {
    let r = eval(partners_on_vms());
    let f = find(&r, "missing-external-connector")
        .map(|f| (f.severity, f.message.contains("hv (200 external users)")));
    assert_eq!(f, Some((Severity::Warning, true)));
}

#[test]
fn sources_disagree_on_external_connector_scope_when_vms_share_a_host() {
    let r = eval(partners_on_vms());
    assert_eq!(
        kind_rule_severity(&r, "sources-disagree"),
        Some(("ec.per-vm-reading".into(), Severity::Info))
    );
}

/// The per-VM reading counts only the servers external users reach. Review 12: customers on two
/// VMs of one host, beside a session host that only staff reach, read "external users here reach
/// 3 servers on 2 hosts, so the other reading would count up to 3 units"; it is 2 on 1. And
/// when external users reach one physical server only, there is nothing to disagree on, however
/// many VMs the staff use.
#[test]
fn the_per_vm_reading_counts_only_what_external_users_reach() {
    let mut estate = partners_on_vms();
    estate["groups"]
        .as_array_mut()
        .expect("groups")
        .push(json!({ "id": "staff", "count": 10, "devices_each": 1 }));
    estate["servers"].as_array_mut().expect("servers").push(
        json!({ "id": "rd", "product": "windows-server", "version": "2022", "rds_session_host": true }),
    );
    estate["access"]
        .as_array_mut()
        .expect("access")
        .push(json!({ "groups": ["staff"], "servers": ["rd"], "features": ["remote-desktop"] }));
    let r = eval(estate.clone());
    let f = find(&r, "sources-disagree").expect("the per-VM reading is named");
    assert!(
        f.message.contains(
            "external users here reach 2 servers on 1 host, so the other reading would count up to 2 units per product"
        ),
        "{}",
        f.message
    );
    estate["access"] = json!([{ "groups": ["partners"], "servers": ["rd"] },
                              { "groups": ["staff"], "servers": ["a", "b"] }]);
    let r = eval(estate);
    assert!(
        !r.findings.iter().any(|f| f.rule == "ec.per-vm-reading"),
        "{:?}",
        r.findings
    );
}

/// An admin exemption overused on one product says "its CALs", as the finding does when it names
/// several figures. Review 12: "7 admin-only people reach Windows Server: … so 5 of them need
/// CALs of each".
#[test]
fn admin_exemption_on_one_product_does_not_say_of_each() {
    let r = eval(json!({
        "groups": [{ "id": "admins", "count": 7, "devices_each": 1, "admin_only": true }],
        "servers": [{ "id": "dc", "product": "windows-server", "version": "2022" }],
        "access": [{ "groups": ["admins"], "servers": ["dc"] }]
    }));
    let f = find(&r, "admin-exemption-overused").expect("overused");
    assert!(
        f.message.starts_with("7 admin-only people reach Windows Server: only two per product may administer without CALs, so 5 of them need its CALs (counted in the demand)"),
        "{}",
        f.message
    );
}

/// Microsoft 365 E3/E5 is the Windows Server base of its users' RDS User CALs (per user, §1.13).
/// Review 12: 40 E5 users with 40 owned RDS User CALs read "you own 40 RDS User CALs but only 0
/// Windows Server User CALs; the recommendation buys 61 Windows Server User CALs, so each of the
/// 40 in use gets its base", while the CALs bought were for customers and a temp.
#[test]
fn microsoft_365_rights_are_the_base_of_owned_additive_user_cals() {
    let r = eval(json!({
        "organisation": { "m365": { "e5_seats": 40 } },
        "groups": [{ "id": "e5", "count": 40, "devices_each": 2, "m365": "e5" },
                   { "id": "temps", "count": 4, "devices_each": 1 }],
        "servers": [{ "id": "rd", "product": "windows-server", "version": "2025", "rds_session_host": true,
                      "rds_mode": "per-user", "rd_licensing_server_version": "2025" }],
        "access": [{ "groups": ["e5", "temps"], "servers": ["rd"], "features": ["remote-desktop"] }],
        "holdings": [{ "product": "rds", "kind": "user-cal", "version": "2025", "quantity": 40 }]
    }));
    assert!(
        find(&r, "additive-without-base").is_none(),
        "{:?}",
        r.findings
    );
    // Without the Microsoft 365 rights the finding stands.
    let r = eval(json!({
        "groups": [{ "id": "staff", "count": 40, "devices_each": 2 }],
        "servers": [{ "id": "rd", "product": "windows-server", "version": "2025", "rds_session_host": true,
                      "rds_mode": "per-user", "rd_licensing_server_version": "2025" }],
        "access": [{ "groups": ["staff"], "servers": ["rd"], "features": ["remote-desktop"] }],
        "holdings": [{ "product": "rds", "kind": "user-cal", "version": "2025", "quantity": 40 }]
    }));
    assert!(
        find(&r, "additive-without-base").is_some(),
        "{:?}",
        r.findings
    );
}

/// Exchange Server SE is licensed only while SA is active: CALs whose SA ends after the as-of
/// date cover SE today and not after that date, which an ELP should say; SA is active on its end
/// date, so the change is from the day after (review 13: "from then on" read as the end date
/// itself). Review 12: 110
/// Exchange Standard User CALs with SA until 2026-09-30 gave no word of it on 2026-06-01.
#[test]
fn se_rights_ending_with_a_dated_sa_are_a_note() {
    let estate = |until: &str| {
        json!({
            "groups": [{ "id": "staff", "count": 110, "devices_each": 2 }],
            "servers": [{ "id": "ex", "product": "exchange", "version": "SE", "windows_version": "2022" }],
            "access": [{ "groups": ["staff"], "servers": ["ex"] }],
            "holdings": [
                { "product": "windows-server", "kind": "user-cal", "version": "2022", "quantity": 110 },
                { "product": "exchange-standard", "kind": "user-cal", "version": "2019", "quantity": 110,
                  "software_assurance": { "since": "2020-01-01", "until": until } }
            ]
        })
    };
    let r = eval(estate("2026-09-30"));
    assert_eq!(r.recommendation.total_minor, 0);
    let f = find(&r, "se-sa-ends").expect("the end of SE rights is named");
    assert_eq!(
        (f.severity, f.rule.as_str()),
        (Severity::Info, "se.needs-active-sa")
    );
    assert!(
        f.message.starts_with("110 owned Exchange Server Standard CAL licences cover Exchange Server SE only while their Software Assurance is active, which ends on 2026-09-30 (its last active day): from the day after, they count as Exchange Server 2019 CALs"),
        "{}",
        f.message
    );
    assert!(find(&eval(estate("2026-03-31")), "se-sa-ends").is_none());
}

#[test]
fn shortfall_is_critical_when_holdings_fall_short() {
    let r = eval(json!({
        "groups": [{ "id": "staff", "count": 30, "devices_each": 2 }],
        "servers": [{ "id": "s", "product": "windows-server", "version": "2022" }],
        "access": [{ "groups": ["staff"], "servers": ["s"] }],
        "holdings": [{ "product": "windows-server", "kind": "user-cal", "version": "2022", "quantity": 20 }]
    }));
    let f = find(&r, "shortfall").map(|f| {
        (
            f.severity,
            f.product,
            f.message.contains("10 Windows Server 2022 User CALs"),
        )
    });
    assert_eq!(
        f,
        Some((Severity::Critical, Some(CalProduct::WindowsServer), true))
    );
    // Review 20: it cites the obligation (every user or device that accesses needs a CAL), not
    // the method of the count.
    assert_eq!(
        kind_rule_severity(&r, "shortfall").map(|x| x.0),
        Some("cal.required-for-access".to_string())
    );
}

#[test]
fn no_finding_of_shortfall_when_everything_is_owned() {
    let r = eval(json!({
        "groups": [{ "id": "staff", "count": 30, "devices_each": 2 }],
        "servers": [{ "id": "s", "product": "windows-server", "version": "2022" }],
        "access": [{ "groups": ["staff"], "servers": ["s"] }],
        "holdings": [{ "product": "windows-server", "kind": "user-cal", "version": "2025", "quantity": 30 }]
    }));
    assert!(find(&r, "shortfall").is_none());
}

#[test]
fn version_gap_names_the_owned_version_and_the_servers() {
    let r = eval(json!({
        "groups": [{ "id": "staff", "count": 30, "devices_each": 2 }],
        "servers": [{ "id": "new", "product": "windows-server", "version": "2025" }],
        "access": [{ "groups": ["staff"], "servers": ["new"] }],
        "holdings": [{ "product": "windows-server", "kind": "user-cal", "version": "2019", "quantity": 30 }]
    }));
    let f = find(&r, "version-gap").map(|f| {
        (
            f.rule.as_str(),
            f.message.contains("2019") && f.message.contains("new (2025)"),
        )
    });
    assert_eq!(f, Some(("cal.version-not-older", true)));
}

/// Domain review 21: owned "2012 R2" CALs are 2012 CALs (R2 releases had no new CALs), so they
/// do not cover a 2016 server; the gap finding said "2012" without saying why, citing only the
/// same-or-newer rule.
#[test]
fn a_version_gap_of_owned_r2_cals_cites_the_r2_rule() {
    let r = eval(json!({
        "groups": [{ "id": "staff", "count": 10, "devices_each": 2 }],
        "servers": [{ "id": "old", "product": "windows-server", "version": "2012 R2" },
                    { "id": "new", "product": "windows-server", "version": "2016" }],
        "access": [{ "groups": ["staff"], "servers": ["old", "new"] }],
        "holdings": [{ "product": "windows-server", "kind": "user-cal", "version": "2012 R2", "quantity": 10 }]
    }));
    let f = find(&r, "version-gap").expect("the 2012 R2 CALs cannot cover the 2016 server");
    assert_eq!(f.rule, "cal.r2-same-generation");
    assert!(
        f.message.starts_with(
            "10 owned Windows Server 2012 User CALs (entered as 2012 R2: R2 releases had no new CALs) cannot cover the 2016 servers: new (2016)"
        ),
        "{}",
        f.message
    );
    assert!(f.source.contains("edi-atl.com"), "{}", f.source);
    // The same-or-newer rule is still cited, by the count of people.
    let ws = r
        .products
        .iter()
        .find(|p| p.product == CalProduct::WindowsServer)
        .expect("Windows Server");
    assert!(ws
        .people
        .why
        .rules
        .iter()
        .any(|x| x == "cal.version-not-older"));
    // CALs entered as 2012 are not said to be R2 ones.
    let r = eval(json!({
        "groups": [{ "id": "staff", "count": 10, "devices_each": 2 }],
        "servers": [{ "id": "new", "product": "windows-server", "version": "2016" }],
        "access": [{ "groups": ["staff"], "servers": ["new"] }],
        "holdings": [{ "product": "windows-server", "kind": "user-cal", "version": "2012", "quantity": 10 }]
    }));
    let f = find(&r, "version-gap").expect("the 2012 CALs cannot cover the 2016 server");
    assert_eq!(f.rule, "cal.version-not-older");
    assert!(!f.message.contains("R2"), "{}", f.message);
    assert!(r.rules.iter().all(|x| x.id != "cal.r2-same-generation"));
}

#[test]
fn m365_seats_short_counts_the_rest() {
    let r = eval(json!({
        "organisation": { "m365": { "e5_seats": 10 } },
        "groups": [{ "id": "staff", "count": 25, "devices_each": 2, "m365": "e5" }],
        "servers": [{ "id": "s", "product": "windows-server", "version": "2022" }],
        "access": [{ "groups": ["staff"], "servers": ["s"] }]
    }));
    let f = find(&r, "m365-seats-short").map(|f| (f.severity, f.message.contains("remaining 15")));
    assert_eq!(f, Some((Severity::Warning, true)));
}

#[test]
fn multiplexing_is_explained() {
    let r = eval(json!({
        "groups": [{ "id": "staff", "count": 25, "devices_each": 2 }],
        "servers": [{ "id": "db", "product": "sql-server", "version": "2022", "sql_licensing": "server-cal" }],
        "access": [{ "groups": ["staff"], "servers": ["db"], "via": "intranet portal" }]
    }));
    let f =
        find(&r, "multiplexing").map(|f| (f.rule.as_str(), f.message.contains("intranet portal")));
    assert_eq!(f, Some(("mux.does-not-reduce", true)));
}

/// Licensing review 41: 50,000 anonymous visitors reaching a web server through a public site
/// were told "everyone behind it is counted" for Windows Server, where the Internet exemption
/// counts none of them. The front end is named for the products it spares no CAL, only where
/// someone behind it needs one.
#[test]
fn multiplexing_is_not_said_of_people_the_product_exempts() {
    let r = eval(json!({
        "groups": [{ "id": "anon", "count": 50000, "kind": "anonymous-visitor" },
                   { "id": "staff", "count": 5, "devices_each": 1 }],
        "servers": [{ "id": "web", "product": "windows-server", "version": "2022" }],
        "access": [{ "groups": ["anon"], "servers": ["web"], "via": "public site" },
                   { "groups": ["staff"], "servers": ["web"] }]
    }));
    assert_eq!(find(&r, "multiplexing"), None);
    let r = eval(json!({
        "groups": [{ "id": "anon", "count": 50000, "kind": "anonymous-visitor" },
                   { "id": "staff", "count": 5, "devices_each": 1 }],
        "servers": [{ "id": "web", "product": "windows-server", "version": "2022" }],
        "access": [{ "groups": ["anon", "staff"], "servers": ["web"], "via": "public site" }]
    }));
    let f = find(&r, "multiplexing").map(|f| f.message.clone());
    assert_eq!(
        f.as_deref(),
        Some("people reach Windows Server through public site: a front end does not reduce the CALs needed, everyone behind it is counted")
    );
}

#[test]
fn manual_transfer_is_explained() {
    let r = eval(json!({
        "groups": [{ "id": "board", "count": 12 }],
        "servers": [{ "id": "db", "product": "sql-server", "version": "2022", "sql_licensing": "server-cal" }],
        "access": [{ "groups": ["board"], "servers": ["db"], "manual_transfer_only": true }]
    }));
    assert_eq!(
        kind_rule_severity(&r, "manual-transfer"),
        Some(("mux.manual-transfer-exempt".into(), Severity::Info))
    );
}

#[test]
fn suite_rights_frozen_after_sa_ends() {
    let r = eval(json!({
        "holdings": [{ "product": "enterprise-cal-suite", "kind": "user-cal", "quantity": 5,
                       "software_assurance": { "since": "2017-01-01", "until": "2020-12-31" } }]
    }));
    let f = find(&r, "suite-rights-frozen").map(|f| f.message.contains("Windows Server 2019"));
    assert_eq!(f, Some(true));
}

/// Review 39 (t24): a Core CAL Suite whose SA ended on 2024-12-31 was said to be frozen at
/// "SharePoint Server SE", released in 2021, while the position counted its SharePoint part as
/// 2019: Subscription Edition is licensed only while SA is active (`se.needs-active-sa`).
#[test]
fn a_frozen_suite_keeps_the_release_before_subscription_edition() {
    let r = eval(json!({
        "groups": [{ "id": "staff", "count": 10, "devices_each": 1 }],
        "servers": [
            { "id": "fs", "product": "windows-server", "version": "2025" },
            { "id": "ex", "product": "exchange", "version": "SE", "windows_version": "2025" }
        ],
        "access": [{ "groups": ["staff"], "servers": ["fs", "ex"] }],
        "holdings": [{ "product": "core-cal-suite", "kind": "user-cal", "quantity": 10,
                       "software_assurance": { "since": "2018-07-01", "until": "2024-12-31" } }]
    }));
    let frozen = message(&r, "suite-rights-frozen");
    assert!(
        frozen.contains("(Windows Server 2025, Exchange Server 2019, SharePoint Server 2019 (not SE, licensed only while Software Assurance is active), Skype for Business Server 2019)"),
        "{frozen}"
    );
    assert!(r
        .position
        .iter()
        .any(|x| x.product == CalProduct::SharePointStandard
            && x.version == "2019"
            && x.owned == 10));
}

/// Review 19: Core CAL Suites whose SA ended in June 2012, before the first Exchange CAL the
/// catalogue knows (2013), were counted as Exchange 2013 CALs and the estate reported compliant.
/// Frozen before a family's first generation, they cover none of its servers.
#[test]
fn suite_frozen_before_a_family_s_first_cal_covers_none_of_its_servers() {
    let r = eval(json!({
        "groups": [{ "id": "staff", "count": 50 }],
        "servers": [
            { "id": "dc", "product": "windows-server", "version": "2008 R2" },
            { "id": "ex", "product": "exchange", "version": "2013", "windows_version": "2008 R2" }
        ],
        "access": [{ "groups": ["staff"], "servers": ["dc", "ex"] }],
        "holdings": [{ "product": "core-cal-suite", "kind": "user-cal", "quantity": 50,
                       "software_assurance": { "since": "2009-01-01", "until": "2012-06-30" } }]
    }));
    let row = |p: CalProduct, v: &str| {
        r.position
            .iter()
            .find(|x| x.product == p && x.version == v && x.kind == LicenceKind::UserCal)
            .map(|x| (x.owned, x.used, x.surplus))
    };
    // The Windows Server part is frozen at 2008 and covers the 2008 R2 server.
    assert_eq!(row(CalProduct::WindowsServer, "2008"), Some((50, 50, 0)));
    // The Exchange part is idle, and Exchange 2013 access is short for all 50.
    assert_eq!(
        row(CalProduct::ExchangeStandard, "before 2013"),
        Some((50, 0, 50))
    );
    let exchange_short: u64 = r
        .position
        .iter()
        .filter(|x| x.product == CalProduct::ExchangeStandard)
        .map(|x| x.shortfall)
        .sum();
    assert_eq!(exchange_short, 50);
    let frozen = message(&r, "suite-rights-frozen");
    assert!(frozen.contains("(Windows Server 2008; no Exchange Server, SharePoint Server and Skype for Business Server rights"), "{frozen}");
    assert!(message(&r, "version-gap").contains("before 2013"));
}

/// Review 19: a pay-as-you-go session host needs RDS CALs but no Windows Server CALs (cal-rules
/// §1.8 item 7), so RDS CALs owned for it have no base to hold: no "additive without base"
/// warning. The same RDS CALs on a host licensed with CALs still draw it.
#[test]
fn rds_cals_on_a_pay_as_you_go_host_need_no_base() {
    let estate = |payg: bool| {
        json!({
            "groups": [{ "id": "staff", "count": 40, "devices_each": 2 }],
            "servers": [{ "id": "rdsh", "product": "windows-server", "version": "2025",
                          "pay_as_you_go": payg, "rds_session_host": true, "rds_mode": "per-user",
                          "rd_licensing_server_version": "2025" }],
            "access": [{ "groups": ["staff"], "servers": ["rdsh"], "features": ["remote-desktop"] }],
            "holdings": [{ "product": "rds", "kind": "user-cal", "version": "2025", "quantity": 40 }]
        })
    };
    let payg = eval(estate(true));
    assert_eq!(payg.recommendation.total_minor, 0);
    assert!(
        find(&payg, "additive-without-base").is_none(),
        "{:?}",
        payg.findings
    );
    let with_cals = eval(estate(false));
    assert!(message(&with_cals, "additive-without-base").contains("no Windows Server User CALs"));
}

/// The either-subject reading is named where it was applied: not beside RDS reached only on a
/// pay-as-you-go session host, which asks no Windows Server base at all, but on the same host
/// licensed with CALs.
#[test]
fn the_either_subject_reading_is_named_only_where_a_base_is_asked() {
    let estate = |payg: bool| {
        json!({
            "organisation": { "readings": { "additive_base": "either-subject" } },
            "groups": [{ "id": "staff", "count": 40, "devices_each": 2 }],
            "servers": [{ "id": "rdsh", "product": "windows-server", "version": "2025",
                          "pay_as_you_go": payg, "rds_session_host": true, "rds_mode": "per-user",
                          "rd_licensing_server_version": "2025" }],
            "access": [{ "groups": ["staff"], "servers": ["rdsh"], "features": ["remote-desktop"] }]
        })
    };
    let named = |r: &Report| {
        (r.findings.iter())
            .filter(|f| f.rule == "additive.base-any-subject-reading")
            .count()
    };
    assert_eq!(named(&eval(estate(true))), 0);
    assert_eq!(named(&eval(estate(false))), 1);
}

/// The either-subject note prices the default reading beside it. Where both readings buy the
/// same (40 people on their own devices, each with RDS and Windows Server User CALs either way) it
/// says the choice changes nothing; in another currency, where the reference prices do not apply
/// and the totals leave unpriced licences out, it gives no figure.
#[test]
fn the_either_subject_note_says_what_the_default_reading_comes_to() {
    let estate = |currency: &str| {
        json!({
            "organisation": { "currency": currency, "readings": { "additive_base": "either-subject" } },
            "groups": [{ "id": "staff", "count": 40, "devices_each": 2 }],
            "servers": [{ "id": "rdsh", "product": "windows-server", "version": "2025",
                          "rds_session_host": true, "rds_mode": "per-user",
                          "rd_licensing_server_version": "2025" }],
            "access": [{ "groups": ["staff"], "servers": ["rdsh"], "features": ["remote-desktop"] }]
        })
    };
    let note = |r: &Report| {
        (r.findings.iter())
            .find(|f| f.rule == "additive.base-any-subject-reading")
            .map(|f| f.message.clone())
            .unwrap_or_default()
    };
    let same = eval(estate("USD"));
    assert!(same.recommendation.exact);
    let total = same.recommendation.total_minor;
    assert_eq!(total, 40 * (4_500 + 16_000), "{:?}", same.recommendation);
    assert!(
        note(&same).ends_with(
            "Under the default reading the purchase comes to the same $8,200.00: here the choice changes nothing that is bought"
        ),
        "{}",
        note(&same)
    );
    let unpriced = eval(estate("EUR"));
    assert!(
        note(&unpriced).ends_with("choose that reading to see its total"),
        "{}",
        note(&unpriced)
    );
}

/// Network equipment (cal-rules §4.2 item 8, "debated"): 12 switches that authenticate to a 2022
/// server get Windows Server Device CALs under the default reading and none under the other; a
/// note names the pool and the reading under each, with what the other comes to ($480.00, 12
/// Device CALs at $40.00), and the pool is not taken for printers whose users go unnamed.
#[test]
fn network_equipment_gets_device_cals_by_default_and_the_note_prices_the_other_reading() {
    let estate = |reading: &str| {
        json!({
            "organisation": { "readings": { "network_equipment": reading } },
            "groups": [{ "id": "staff", "count": 50, "devices_each": 2 }],
            "shared_devices": [{ "id": "sw", "name": "Core switches", "count": 12, "unattended": true,
                                 "network": true, "accesses": ["nps"] }],
            "servers": [{ "id": "nps", "product": "windows-server", "version": "2022" }],
            "access": [{ "groups": ["staff"], "servers": ["nps"] }]
        })
    };
    let (counted, not) = (eval(estate("device-cals")), eval(estate("not-counted")));
    assert!(counted.recommendation.exact && not.recommendation.exact);
    assert_eq!(
        counted.recommendation.total_minor - not.recommendation.total_minor,
        12 * 4_000
    );
    let ws = |r: &Report| {
        (r.products.iter())
            .find(|p| p.product == CalProduct::WindowsServer)
            .map(|p| (p.device_cals.value, p.device_cals.why.rules.clone()))
            .unwrap_or_default()
    };
    let (n, rules) = ws(&counted);
    assert_eq!(n, 12);
    assert!(
        rules
            .iter()
            .any(|r| r == "device.network-equipment-device-cals-reading"),
        "{rules:?}"
    );
    assert_eq!(ws(&not).0, 0);
    let note = |r: &Report, rule: &str| {
        let notes: Vec<&Finding> = r.findings.iter().filter(|f| f.rule == rule).collect();
        assert_eq!(notes.len(), 1, "{rule}: {:?}", r.findings);
        assert_eq!(notes[0].kind, FindingKind::SourcesDisagree);
        notes[0].message.clone()
    };
    let said = note(&counted, "device.network-equipment-device-cals-reading");
    assert!(said.starts_with("12 devices of network equipment (Core switches) authenticate to Windows Server servers: each gets a Device CAL for Windows Server"), "{said}");
    assert!(
        said.ends_with(&format!(
            ": under the other reading the purchase comes to {}, $480.00 less",
            cal_calc::position::money(not.recommendation.total_minor, "USD")
        )),
        "{said}"
    );
    let said = note(&not, "device.network-equipment-not-counted-reading");
    assert!(
        said.ends_with(&format!(
            ": under the default reading the purchase comes to {}, $480.00 more",
            cal_calc::position::money(counted.recommendation.total_minor, "USD")
        )),
        "{said}"
    );
    for r in [&counted, &not] {
        assert!(
            !(r.findings.iter()).any(|f| f.kind == FindingKind::UnattendedUsersUnnamed),
            "{:?}",
            r.findings
        );
    }
    // Without network equipment, nothing is said.
    let sample = cal_calc::evaluate(
        &Estate::from_json(include_str!("../../examples/estates/sample.json")).expect("sample"),
        AS_OF,
    )
    .expect("evaluates");
    assert!(!(sample.findings.iter()).any(|f| f.rule.starts_with("device.network-equipment")));
}

/// Review 19: 70 people flagged E3 with 50 seats; 20 clerks without a seat work at shared desks
/// with Device CALs and print on 4 MFPs with E3 managers. The printers get 4 Device CALs under
/// either reading (the seatless clerks hold no CAL of their own), so the finding may not say
/// "they need no Device CALs" or offer a switch that changes nothing.
#[test]
fn m365_printers_finding_agrees_with_the_purchase() {
    let r = eval(json!({
        "organisation": { "m365": { "e3_seats": 50, "channel": "enterprise-agreement" } },
        "groups": [
            { "id": "mgr", "count": 40, "devices_each": 2, "m365": "e3" },
            { "id": "clerks", "count": 30, "devices_each": 0, "m365": "e3" },
            { "id": "temps", "count": 60, "devices_each": 0 }
        ],
        "shared_devices": [
            { "id": "desks", "count": 20, "shared_by": ["clerks", "temps"] },
            { "id": "mfp", "count": 4, "unattended": true, "shared_by": ["mgr", "clerks"], "accesses": ["fs"] }
        ],
        "servers": [
            { "id": "fs", "product": "windows-server", "version": "2022" },
            { "id": "ex", "product": "exchange", "version": "2019", "windows_version": "2022" }
        ],
        "access": [{ "groups": ["mgr", "clerks", "temps"], "servers": ["fs", "ex"] }]
    }));
    let ws_device: u64 = r
        .recommendation
        .lines
        .iter()
        .filter(|l| l.product == CalProduct::WindowsServer && l.kind == LicenceKind::DeviceCal)
        .map(|l| l.quantity)
        .sum();
    assert_eq!(ws_device, 24, "20 desks and 4 printers");
    let m = message(&r, "sources-disagree");
    assert!(m.contains("Here the reading changes nothing: the printers get 4 Windows Server Device CALs anyway"), "{m}");
    assert!(!m.contains("need no Device CALs"), "{m}");
}

/// Review 19: 30 onsite contractors with no devices entered (devices_each 0, no shared pool) got
/// 30 Device CALs for the one device each the engine assumes, without a word. A warning now says
/// so; a group with a shared pool, or licensed by User CALs, draws none.
#[test]
fn device_cals_for_assumed_devices_are_pointed_out() {
    let estate = |user_price: u32| {
        json!({
            "organisation": { "prices": [
                { "item": { "product": "windows-server", "kind": "user-cal" }, "amount_minor": user_price },
                { "item": { "product": "windows-server", "kind": "device-cal" }, "amount_minor": 4000 }
            ] },
            "groups": [{ "id": "onsite", "name": "Contractors", "count": 30, "kind": "onsite-contractor", "devices_each": 0 }],
            "servers": [{ "id": "fs", "product": "windows-server", "version": "2022" }],
            "access": [{ "groups": ["onsite"], "servers": ["fs"] }]
        })
    };
    let r = eval(estate(4500));
    let m = message(&r, "devices-assumed");
    assert!(m.starts_with("Contractors: no devices of their own and no shared devices are entered, so one device each is assumed, and the cheapest licensing gives those assumed devices 30 Windows Server Device CALs."), "{m}");
    assert_eq!(
        find(&r, "devices-assumed").map(|f| f.severity),
        Some(Severity::Warning)
    );
    // User CALs cheaper: the assumption changes nothing, no finding.
    assert!(find(&eval(estate(3000)), "devices-assumed").is_none());
}

/// Review 19: a per-user session host; 140 people buy RDS User CALs and, as their base, 140
/// Windows Server User CALs, while 80 owned Windows Server Device CALs cover every device they
/// use and lie idle. Only the device side of the same-subject reading was named; the user side
/// is now, with what it costs.
#[test]
fn base_user_cals_held_only_for_additive_user_cals_are_named() {
    let r = eval(json!({
        "groups": [
            { "id": "staff", "count": 50, "devices_each": 1 },
            { "id": "shift", "count": 90, "devices_each": 0 }
        ],
        "shared_devices": [{ "id": "desks", "count": 30, "shared_by": ["shift"] }],
        "servers": [{ "id": "rdsh", "product": "windows-server", "version": "2022",
                      "rds_session_host": true, "rds_mode": "per-user",
                      "rd_licensing_server_version": "2025" }],
        "access": [{ "groups": ["staff", "shift"], "servers": ["rdsh"], "features": ["remote-desktop"] }],
        "holdings": [
            { "product": "rds", "kind": "device-cal", "version": "2022", "quantity": 80 },
            { "product": "windows-server", "kind": "device-cal", "version": "2022", "quantity": 80 }
        ]
    }));
    let m = r
        .findings
        .iter()
        .find(|f| f.rule == "additive.base-same-subject")
        .map(|f| f.message.clone())
        .unwrap_or_default();
    assert!(m.starts_with("140 Windows Server User CALs for staff and shift are in the licensing only as the base of their RDS User CALs: every device they use holds a Windows Server Device CAL, or can with 80 owned Windows Server Device CALs that lie idle."), "{m}");
    assert!(
        m.contains("these are not needed, up to $6,300.00 of the purchase: choose that reading under \"Where sources disagree\""),
        "{m}"
    );
    // Staff alone, 50 own devices: 40 owned Device CALs cannot cover them all, 50 can.
    let staff = |owned: u32| {
        let r = eval(json!({
            "groups": [{ "id": "staff", "count": 50, "devices_each": 1 }],
            "servers": [{ "id": "rdsh", "product": "windows-server", "version": "2022",
                          "rds_session_host": true, "rds_mode": "per-user",
                          "rd_licensing_server_version": "2025" }],
            "access": [{ "groups": ["staff"], "servers": ["rdsh"], "features": ["remote-desktop"] }],
            "holdings": [{ "product": "windows-server", "kind": "device-cal", "version": "2022", "quantity": owned }]
        }));
        r.findings
            .iter()
            .find(|f| f.rule == "additive.base-same-subject")
            .map(|f| f.message.clone())
    };
    assert_eq!(staff(40), None);
    let m = staff(50).unwrap_or_default();
    assert!(m.starts_with("50 Windows Server User CALs for staff are in the licensing only as the base of their RDS User CALs"), "{m}");
}

/// Licensing review 41: the base User CALs held only for the users' RDS User CALs were owned,
/// yet the note priced them as "up to $450.00 of the purchase", which bought none of them. Part
/// owned, part bought: only the bought part is priced.
#[test]
fn base_cals_held_only_for_additive_cals_are_priced_only_where_bought() {
    let note = |owned: u32| {
        let r = eval(json!({
            "groups": [{ "id": "staff", "count": 10, "devices_each": 1 }],
            "servers": [
                { "id": "a", "product": "windows-server", "version": "2019", "rds_session_host": true,
                  "rds_mode": "per-user", "rd_licensing_server_version": "2025" },
                { "id": "b", "product": "windows-server", "version": "2022", "rds_session_host": true,
                  "rds_mode": "per-device", "rd_licensing_server_version": "2025" }
            ],
            "access": [{ "groups": ["staff"], "servers": ["a", "b"], "features": ["remote-desktop"] }],
            "holdings": [
                { "product": "rds", "kind": "user-cal", "version": "2019", "quantity": 10 },
                { "product": "windows-server", "kind": "user-cal", "version": "2022", "quantity": owned }
            ]
        }));
        r.findings
            .iter()
            .find(|f| f.rule == "additive.base-same-subject")
            .map(|f| f.message.clone())
            .unwrap_or_default()
    };
    let all_owned = note(10);
    assert!(
        all_owned.starts_with("10 Windows Server User CALs for staff are in the licensing only as the base of their RDS User CALs")
            && all_owned.contains("these are not needed, though they are owned, not bought: choose that reading under \"Where sources disagree\""),
        "{all_owned}"
    );
    let part = note(6);
    assert!(
        part.contains("these are not needed, up to 4 of them bought, $180.00 of the purchase (the others are owned): choose that reading under \"Where sources disagree\""),
        "{part}"
    );
}

/// Review 19, wording: one session host is "it", one own price "is", and a suite bought replaces
/// only the CALs the estate needs (Skype and AD RMS were listed where neither was used).
#[test]
fn one_host_one_price_and_the_suite_s_contents_in_use_read_right() {
    let r = eval(json!({
        "organisation": { "prices": [
            { "item": { "product": "enterprise-cal-suite", "kind": "user-cal" }, "amount_minor": 100 }
        ] },
        "groups": [{ "id": "staff", "count": 20 }],
        "servers": [
            { "id": "rdsh", "product": "windows-server", "version": "2022", "rds_session_host": true,
              "rds_mode": "per-user", "rd_licensing_server_version": "2019" },
            { "id": "ex", "product": "exchange", "version": "2019", "windows_version": "2022" }
        ],
        "access": [{ "groups": ["staff"], "servers": ["rdsh", "ex"], "features": ["remote-desktop"] }]
    }));
    let host = r
        .findings
        .iter()
        .find(|f| {
            f.message
                .contains("RD Licensing server (Windows Server 2019)")
        })
        .map(|f| f.message.clone())
        .unwrap_or_default();
    assert!(
        host.starts_with("session host rdsh (2022) is newer than its RD Licensing server"),
        "{host}"
    );
    assert!(
        host.contains("the RDS CALs it needs are at least its own version"),
        "{host}"
    );
    assert!(
        r.prices_note
            .ends_with(" 1 of the prices used is your own."),
        "{}",
        r.prices_note
    );
    let suite = r
        .position
        .iter()
        .find(|p| p.product == CalProduct::EnterpriseCalSuite)
        .map(|p| p.why.text.clone())
        .unwrap_or_default();
    assert!(
        suite.ends_with("they replace (Windows Server CAL, Exchange Server Standard CAL)"),
        "{suite}"
    );
}

#[test]
fn sql_per_core_cheaper_is_pointed_out() {
    let r = eval(json!({
        "groups": [{ "id": "staff", "count": 100, "devices_each": 2 }],
        "servers": [{ "id": "db", "product": "sql-server", "version": "2022", "sql_licensing": "server-cal", "cores": 4 }],
        "access": [{ "groups": ["staff"], "servers": ["db"] }]
    }));
    assert_eq!(
        kind_rule_severity(&r, "sql-per-core-cheaper"),
        Some(("sql.core-minimum-and-packs".into(), Severity::Warning))
    );
}

/// The per-core finding counts the people the SQL product's figures count: the two exempt
/// administrators are not among those "licensed Server+CAL" (QA: on the sample it said 701
/// people where the SQL product showed 699 and 2 exempt). 40 staff and 5 admin-only people reach
/// one Server+CAL SQL Server: 43 need a SQL CAL, 2 administrators are exempt.
#[test]
fn sql_per_core_finding_counts_the_people_the_product_counts() {
    let r = eval(json!({
        "groups": [
            { "id": "staff", "count": 40 },
            { "id": "admins", "count": 5, "admin_only": true }
        ],
        "servers": [{ "id": "db", "product": "sql-server", "version": "2022", "sql_licensing": "server-cal", "cores": 4 }],
        "access": [{ "groups": ["staff", "admins"], "servers": ["db"] }]
    }));
    let sql = r
        .products
        .iter()
        .find(|p| p.product == CalProduct::SqlServer)
        .expect("SQL Server is needed");
    assert_eq!((sql.people.value, sql.exempt.value), (43, 2));
    let f = find(&r, "sql-per-core-cheaper").expect("per core is cheaper");
    assert!(f.message.contains("for 43 people"), "{}", f.message);
    let b = r
        .breakevens
        .iter()
        .find(|b| b.kind == BreakEvenKind::SqlPerCoreVsServerCal)
        .expect("the SQL break-even");
    assert!(b.why.text.contains("43 people reach it"), "{}", b.why.text);
}

/// Licensing review 41: the server is licensed Server+CAL as entered, so its server licence is
/// owned and today's choice is per core against the SQL CALs to buy. From 31 to 34 people per
/// core ($7,890) is below the server licence and the CALs ($989 + n × $230) but above the CALs
/// alone: a warning advised a change that adds to the purchase. It is an information there,
/// without a saving, and a warning with its saving from 35 people ($8,050 − $7,890).
#[test]
fn sql_per_core_is_advised_only_where_it_costs_less_than_the_cals_to_buy() {
    let at = |people: u32| {
        let r = eval(json!({
            "groups": [{ "id": "staff", "count": people, "devices_each": 2 }],
            "servers": [{ "id": "db", "product": "sql-server", "version": "2022", "sql_licensing": "server-cal", "cores": 4 }],
            "access": [{ "groups": ["staff"], "servers": ["db"] }]
        }));
        let f = find(&r, "sql-per-core-cheaper").expect("the per-core finding");
        (f.severity, f.saving_minor, f.message.clone())
    };
    for people in [31, 34] {
        let (severity, saving, message) = at(people);
        assert_eq!((severity, saving), (Severity::Info, None), "{message}");
        assert!(
            message.contains(
                "but its server licence is owned (licensed as entered), so the purchase is $"
            ) && message.contains("less than per core: per core pays where the server licence would be bought again (a new server, or its Software Assurance renewed)"),
            "{message}"
        );
    }
    let (severity, saving, message) = at(35);
    assert_eq!(
        (severity, saving),
        (Severity::Warning, Some(16_000)),
        "{message}"
    );
    assert!(
        message.contains("so per core is set against the $8,050.00 of SQL CALs to buy"),
        "{message}"
    );
}

#[test]
fn sql_per_core_is_not_pointed_out_below_the_break_even() {
    let r = eval(json!({
        "groups": [{ "id": "staff", "count": 30, "devices_each": 2 }],
        "servers": [{ "id": "db", "product": "sql-server", "version": "2022", "sql_licensing": "server-cal", "cores": 4 }],
        "access": [{ "groups": ["staff"], "servers": ["db"] }]
    }));
    assert!(find(&r, "sql-per-core-cheaper").is_none());
}

#[test]
fn every_finding_carries_its_source() {
    let r = crate::examples::report("sample.json");
    assert!(r
        .findings
        .iter()
        .all(|f| !f.source.is_empty() && !f.message.is_empty()));
}

#[test]
fn findings_are_ordered_most_severe_first() {
    let r = crate::examples::report("sample.json");
    let order: Vec<Severity> = r.findings.iter().map(|f| f.severity).collect();
    let mut sorted = order.clone();
    sorted.sort_by_key(|s| std::cmp::Reverse(*s));
    assert_eq!(order, sorted);
}

fn partners_on_two_hosts(assigned_to: &str) -> Value {
    json!({
        "groups": [{ "id": "partners", "count": 200, "kind": "partner" }],
        "servers": [
            { "id": "a", "product": "windows-server", "version": "2022" },
            { "id": "b", "product": "windows-server", "version": "2022" }
        ],
        "access": [{ "groups": ["partners"], "servers": ["b"] }],
        "holdings": [{ "product": "windows-server", "kind": "external-connector", "version": "2022",
                       "quantity": 1, "assigned_to": assigned_to }]
    })
}

#[test]
fn ec_assigned_elsewhere_does_not_cover_another_host() {
    let r = eval(partners_on_two_hosts("a"));
    let short: u64 = r.position.iter().map(|p| p.shortfall).sum();
    assert_eq!(
        (
            short,
            kind_rule_severity(&r, "ec-assigned-elsewhere").map(|x| x.1)
        ),
        (1, Some(Severity::Warning))
    );
}

/// QA B4: two Connectors assigned to a host that uses one, while the other host needs one. The
/// position buys one (the assignment holds), and the finding says the idle one may be reassigned.
#[test]
fn an_idle_second_connector_on_a_host_is_named() {
    let on_a = |quantity: u32| {
        json!({
            "groups": [{ "id": "partners", "count": 200, "kind": "partner" }],
            "servers": [
                { "id": "a", "product": "windows-server", "version": "2022" },
                { "id": "b", "product": "windows-server", "version": "2022" }
            ],
            "access": [{ "groups": ["partners"], "servers": ["a", "b"] }],
            "holdings": [{ "product": "windows-server", "kind": "external-connector", "version": "2022",
                           "quantity": quantity, "assigned_to": "a" }]
        })
    };
    let r = eval(on_a(2));
    let short: u64 = r.position.iter().map(|p| p.shortfall).sum();
    let message = find(&r, "ec-assigned-elsewhere").map(|f| f.message.clone());
    assert_eq!(short, 1);
    assert!(
        message.as_deref().is_some_and(|m| m.starts_with(
            "1 Windows Server External Connector assigned beyond what its host uses (1 on a)"
        )),
        "{message:?}"
    );
    // With one Connector on a, nothing is idle and nothing is said.
    let r = eval(on_a(1));
    assert_eq!(find(&r, "ec-assigned-elsewhere"), None);
}

/// QA F2: a Connector assigned to host a is no Connector for host b. The optimiser knew the
/// assigned ones only as a pool, bought a Connector for b's 30 partners ($2,900) where 30 CALs
/// cost $1,350, and could not prove it. Assigned ones are now free on their own host only.
#[test]
fn an_assigned_connector_is_not_placed_on_another_host() {
    let r = eval(json!({
        "groups": [{ "id": "many", "count": 200, "kind": "partner" },
                   { "id": "few", "count": 30, "kind": "partner" }],
        "servers": [
            { "id": "ha", "product": "windows-server", "version": "2022" },
            { "id": "hb", "product": "windows-server", "version": "2022" }
        ],
        "access": [{ "groups": ["many"], "servers": ["ha"] }, { "groups": ["few"], "servers": ["hb"] }],
        "holdings": [{ "product": "windows-server", "kind": "external-connector", "version": "2022",
                       "quantity": 2, "assigned_to": "ha" }]
    }));
    assert_eq!(
        (r.recommendation.total_minor, r.recommendation.exact),
        (135_000, true)
    );
    let message = find(&r, "ec-assigned-elsewhere").map(|f| f.message.clone());
    assert!(
        message
            .as_deref()
            .is_some_and(|m| m.contains("the external users of another host get CALs")),
        "{message:?}"
    );
}

#[test]
fn ec_assigned_to_the_host_covers_it() {
    let r = eval(partners_on_two_hosts("b"));
    assert_eq!(r.recommendation.total_minor, 0);
}

#[test]
fn ec_assigned_elsewhere_leaves_the_recommendation_proven() {
    let r = eval(partners_on_two_hosts("a"));
    assert_eq!(
        (r.recommendation.total_minor, r.recommendation.exact),
        (290_000, true)
    );
}

/// 200 partners on one RD Session Host, with the reference prices: Windows Server User CAL $45,
/// Windows Server External Connector $2,900, RDS User CAL $160, no RDS External Connector price.
fn partners_on_a_session_host(reading: Option<&str>) -> Value {
    let mut e = json!({
        "groups": [{ "id": "partners", "count": 200, "kind": "partner" }],
        "servers": [{ "id": "rdsh", "product": "windows-server", "version": "2022", "rds_session_host": true }],
        "access": [{ "groups": ["partners"], "servers": ["rdsh"], "features": ["remote-desktop"] }]
    });
    if let Some(r) = reading {
        e["organisation"] = json!({ "readings": { "external_additive_base": r } });
    }
    e
}

/// What the report buys of one product and kind.
fn bought(r: &Report, product: CalProduct, kind: LicenceKind) -> u64 {
    r.recommendation
        .lines
        .iter()
        .filter(|l| l.product == product && l.kind == kind)
        .map(|l| l.quantity)
        .sum()
}

/// What the report buys of Windows Server User CALs and External Connectors and RDS User CALs,
/// and its total.
fn ws_users_ws_ecs_rds_users_total(r: &Report) -> (u64, u64, u64, i64) {
    (
        bought(r, CalProduct::WindowsServer, LicenceKind::UserCal),
        bought(r, CalProduct::WindowsServer, LicenceKind::ExternalConnector),
        bought(r, CalProduct::Rds, LicenceKind::UserCal),
        r.recommendation.total_minor,
    )
}

#[test]
fn external_rds_users_are_licensed_by_the_hosts_mode_and_a_finding_names_the_other_reading() {
    let r = eval(partners_on_a_session_host(None));
    // No RDS External Connector is on sale, so the partners connect like anyone else: the
    // cheaper of RDS User CALs on a per-user host and RDS Device CALs for their devices (one
    // each) on a per-device host. With Device CALs their Windows Server access is licensed by
    // the host's External Connector (Device CALs for external devices are not modelled there).
    assert_eq!(
        ws_users_ws_ecs_rds_users_total(&r),
        (0, 1, 0, 290_000 + 200 * 16_000)
    );
    assert_eq!(bought(&r, CalProduct::Rds, LicenceKind::DeviceCal), 200);
    let mut per_user = partners_on_a_session_host(None);
    per_user["servers"][0]["rds_mode"] = json!("per-user");
    assert_eq!(
        ws_users_ws_ecs_rds_users_total(&eval(per_user)),
        (200, 0, 200, 200 * 4_500 + 200 * 16_000)
    );
    let f = r
        .findings
        .iter()
        .find(|f| f.rule == "ext.additive-base-cal-reading")
        .map(|f| {
            (
                f.kind.name(),
                f.severity,
                f.message.contains("200 external users"),
            )
        });
    assert_eq!(f, Some(("sources-disagree", Severity::Info, true)));
}

/// Licensing review 41: the partners on an owned RDS External Connector assigned to the host
/// hold no additive User CAL, and the connector costs nothing, so no User CAL undercuts it under
/// either reading: the note on the external users' base does not apply. Without the connector it
/// still stands (no RDS External Connector price).
#[test]
fn the_external_users_base_is_not_a_question_where_an_owned_connector_licenses_them() {
    let mut e = partners_on_a_session_host(None);
    e["servers"][0]["host"] = json!("h1");
    let note = |e: &Value| {
        eval(e.clone())
            .findings
            .iter()
            .any(|f| f.rule == "ext.additive-base-cal-reading")
    };
    assert!(note(&e));
    e["holdings"] = json!([{ "product": "rds", "kind": "external-connector", "version": "2022",
                             "quantity": 1, "assigned_to": "h1" }]);
    assert!(!note(&e));
}

#[test]
fn the_external_connector_reading_licenses_their_base_with_the_hosts_ws_external_connector() {
    let r = eval(partners_on_a_session_host(Some("external-connector")));
    assert_eq!(
        ws_users_ws_ecs_rds_users_total(&r),
        (0, 1, 200, 290_000 + 200 * 16_000)
    );
    let f = r
        .findings
        .iter()
        .find(|f| f.rule == "ext.additive-base-ec-reading")
        .map(|f| (f.kind.name(), f.message.contains("200 external users")));
    assert_eq!(f, Some(("sources-disagree", true)));
    // Under this reading the break-even no longer says the External Connector cannot replace
    // their CALs.
    assert!(r
        .breakevens
        .iter()
        .all(|b| !b.why.text.contains("does not replace their CALs")));
}

#[test]
fn no_finding_on_the_additive_base_when_no_external_user_reaches_rds() {
    let r = eval(json!({
        "groups": [{ "id": "staff", "count": 20 }],
        "servers": [{ "id": "rdsh", "product": "windows-server", "version": "2022", "rds_session_host": true }],
        "access": [{ "groups": ["staff"], "servers": ["rdsh"], "features": ["remote-desktop"] }]
    }));
    assert!(r
        .findings
        .iter()
        .all(|f| !f.rule.starts_with("ext.additive-base")));
}

/// The finding on the external users' base is read in the app: it names the setting in words,
/// not as a field path (review: it told app users "readings.external_additive_base"), and still
/// says where an estate file holds it (the readings, docs/estate-format.md).
#[test]
fn the_additive_base_finding_names_the_setting_in_plain_words() {
    for reading in [None, Some("external-connector")] {
        let r = eval(partners_on_a_session_host(reading));
        let f = r
            .findings
            .iter()
            .find(|f| f.rule.starts_with("ext.additive-base"))
            .expect("the reading is named");
        assert!(
            !f.message.contains('_') && !f.message.contains("readings."),
            "{}",
            f.message
        );
        assert!(
            f.message
                .contains("under \"Where sources disagree\" in detailed mode")
                && f.message.contains("in an estate file, among the readings"),
            "{}",
            f.message
        );
    }
}

/// Owned additive CALs beyond the owned base CALs are a warning only while nothing gives them
/// their base (review: the sample warned "you own 80 RDS Device CALs but only 60 Windows Server
/// Device CALs" while the recommendation bought 275 Windows Server Device CALs). 20 kiosks on a
/// per-device session host hold owned RDS Device CALs; the recommendation buys the 20 Windows
/// Server Device CALs under them: a note that says so. Owned with no purchase, it stays a warning.
#[test]
fn additive_without_base_is_a_note_when_the_recommendation_buys_the_base() {
    let r = eval(json!({
        "groups": [{ "id": "k", "count": 50, "devices_each": 0 }],
        "shared_devices": [{ "id": "kiosk", "count": 20, "shared_by": ["k"] }],
        "servers": [{ "id": "rd", "product": "windows-server", "version": "2022", "rds_session_host": true,
                      "rds_mode": "per-device", "rd_licensing_server_version": "2025" }],
        "access": [{ "groups": ["k"], "servers": ["rd"], "features": ["remote-desktop"] }],
        "holdings": [{ "product": "rds", "kind": "device-cal", "version": "2022", "quantity": 20 }]
    }));
    assert_eq!(
        bought(&r, CalProduct::WindowsServer, LicenceKind::DeviceCal),
        20
    );
    let f = find(&r, "additive-without-base").expect("the owned RDS CALs are named");
    assert_eq!(f.severity, Severity::Info, "{}", f.message);
    assert!(
        f.message.contains("the recommendation buys 20 Windows Server Device CALs, so each of the 20 in use gets its base"),
        "{}",
        f.message
    );
    // The same-device base is the calculator's reading, and says so (review 14).
    assert!(
        f.message.ends_with("for the same device (the calculator's reading: Microsoft's guidance does not say whether the base CALs of the people using the device would do)"),
        "{}",
        f.message
    );
    let owned_only = eval(json!({
        "holdings": [{ "product": "rds", "kind": "device-cal", "version": "2022", "quantity": 20 }]
    }));
    assert_eq!(
        kind_rule_severity(&owned_only, "additive-without-base"),
        Some(("additive.requires-base".into(), Severity::Warning))
    );
}

/// A version gap in RDS CALs names the session hosts the subjects of the idle CALs' kind reach.
/// Review: 10 owned 2022 RDS Device CALs idle beside 2025 kiosks on a per-device host were said
/// to be unable to cover "rd-a (2025), rd-b (2025)", while the kiosks never reach rd-b, a
/// per-user host for other staff.
#[test]
fn an_rds_version_gap_names_only_the_hosts_its_subjects_reach() {
    let r = eval(json!({
        "groups": [{ "id": "shift", "count": 30, "devices_each": 0 },
                   { "id": "staff", "count": 20, "devices_each": 1 }],
        "shared_devices": [{ "id": "kiosks", "count": 10, "shared_by": ["shift"] }],
        "servers": [
            { "id": "rd-a", "product": "windows-server", "version": "2025", "rds_session_host": true,
              "rds_mode": "per-device", "rd_licensing_server_version": "2025" },
            { "id": "rd-b", "product": "windows-server", "version": "2025", "rds_session_host": true,
              "rds_mode": "per-user", "rd_licensing_server_version": "2025" }
        ],
        "access": [{ "groups": ["shift"], "servers": ["rd-a"], "features": ["remote-desktop"] },
                   { "groups": ["staff"], "servers": ["rd-b"], "features": ["remote-desktop"] }],
        "holdings": [{ "product": "rds", "kind": "device-cal", "version": "2022", "quantity": 10 }]
    }));
    let gap = r
        .findings
        .iter()
        .find(|f| f.kind == FindingKind::VersionGap && f.product == Some(CalProduct::Rds))
        .expect("an RDS version gap");
    assert!(
        gap.message.starts_with(
            "10 owned RDS 2022 Device CALs cannot cover the 2025 session hosts: rd-a (2025)."
        ),
        "{}",
        gap.message
    );
}

/// No finding of the sample nests brackets: the version gaps read "cannot cover the 2019 servers
/// (Exchange (2019)):" (QA); the servers they name now follow a colon.
#[test]
fn sample_findings_do_not_nest_brackets() {
    let r = crate::examples::report("sample.json");
    for f in &r.findings {
        let mut depth = 0i32;
        for c in f.message.chars() {
            match c {
                '(' => depth += 1,
                ')' => depth -= 1,
                _ => {}
            }
            assert!(depth <= 1, "nested brackets in {}", f.message);
        }
    }
    assert!(r.findings.iter().any(|f| f.kind == FindingKind::VersionGap
        && f.message
            .contains("cannot cover the 2019 servers: Exchange (2019). A CAL")));
}

/// Owned RDS User and Device CALs too old for different session hosts are two gaps: a host issues
/// one kind, so each kind is judged against the hosts of its own mode. Review 12: 50 RDS 2019
/// User CALs (a 2022 per-user host) and 30 RDS 2016 Device CALs (a 2019 per-device host) read
/// "80 owned RDS 2019/2016 CALs cannot cover the 2022 session hosts (rdsh-u (2022))", blaming the
/// 2016 Device CALs on a host they never serve and leaving the 2019 host unnamed.
#[test]
fn rds_version_gaps_of_user_and_device_cals_name_their_own_hosts() {
    let r = eval(json!({
        "groups": [{ "id": "office", "count": 50, "devices_each": 1 },
                   { "id": "shift", "count": 90, "devices_each": 0 }],
        "shared_devices": [{ "id": "thin", "count": 30, "shared_by": ["shift"] }],
        "servers": [
            { "id": "rdsh-u", "product": "windows-server", "version": "2022", "rds_session_host": true,
              "rds_mode": "per-user", "rd_licensing_server_version": "2025" },
            { "id": "rdsh-d", "product": "windows-server", "version": "2019", "rds_session_host": true,
              "rds_mode": "per-device", "rd_licensing_server_version": "2025" }
        ],
        "access": [{ "groups": ["office"], "servers": ["rdsh-u"], "features": ["remote-desktop"] },
                   { "groups": ["shift"], "servers": ["rdsh-d"], "features": ["remote-desktop"] }],
        "holdings": [
            { "product": "rds", "kind": "user-cal", "version": "2019", "quantity": 50 },
            { "product": "rds", "kind": "device-cal", "version": "2016", "quantity": 30 }
        ]
    }));
    let gaps: Vec<&str> = r
        .findings
        .iter()
        .filter(|f| f.kind == FindingKind::VersionGap && f.product == Some(CalProduct::Rds))
        .map(|f| f.message.as_str())
        .collect();
    assert_eq!(gaps.len(), 2, "{gaps:?}");
    assert!(
        gaps.iter().any(|m| m.starts_with(
            "50 owned RDS 2019 User CALs cannot cover the 2022 session hosts: rdsh-u (2022)."
        )),
        "{gaps:?}"
    );
    assert!(
        gaps.iter().any(|m| m.starts_with(
            "30 owned RDS 2016 Device CALs cannot cover the 2019 session hosts: rdsh-d (2019)."
        ) && m.contains("(2016 RDS CALs cannot access 2019 hosts)")),
        "{gaps:?}"
    );
}

/// The SQL per-core advice compares with the CALs the cheapest mix needs, not with one CAL per
/// person: 100 shift workers on 5 terminals need 5 SQL Device CALs ($989 + 5 × $230 = $2,139),
/// so per core ($7,890) is not cheaper. It once said "$7,890 against $23,989".
#[test]
fn sql_per_core_advice_counts_the_cals_the_mix_needs() {
    let r = eval(json!({
        "groups": [{ "id": "shift", "count": 100, "devices_each": 0 }],
        "shared_devices": [{ "id": "term", "count": 5, "shared_by": ["shift"] }],
        "servers": [{ "id": "sql", "product": "sql-server", "version": "2022", "windows_version": "2022",
                      "vm": true, "cores": 4, "sql_licensing": "server-cal" }],
        "access": [{ "groups": ["shift"], "servers": ["sql"] }]
    }));
    assert!(r
        .findings
        .iter()
        .all(|f| f.kind != FindingKind::SqlPerCoreCheaper));
    let b = r
        .breakevens
        .iter()
        .find(|b| b.kind == BreakEvenKind::SqlPerCoreVsServerCal)
        .map(|b| (b.current, b.option_a_minor, b.option_b_minor));
    assert_eq!(b, Some((5, 98_900 + 5 * 23_000, 789_000)));
}

/// A CAL Suite counts at the newest component versions only while its SA is active (§1.5):
/// without SA dates the report says it assumed that (QA B1), and with dates it does not.
#[test]
fn suites_without_sa_dates_are_a_warning() {
    let estate = |sa: Value| {
        let mut suite = json!({ "product": "core-cal-suite", "kind": "user-cal", "quantity": 20 });
        if !sa.is_null() {
            suite["software_assurance"] = sa;
        }
        json!({
            "groups": [{ "id": "staff", "count": 20, "devices_each": 1 }],
            "servers": [{ "id": "s", "product": "windows-server", "version": "2025" }],
            "access": [{ "groups": ["staff"], "servers": ["s"] }],
            "holdings": [suite]
        })
    };
    let r = eval(estate(Value::Null));
    assert_eq!(
        kind_rule_severity(&r, "suite-without-sa-dates"),
        Some(("suite.version-less".into(), Severity::Warning))
    );
    let message = find(&r, "suite-without-sa-dates").map(|f| f.message.clone());
    assert!(
        message
            .as_deref()
            .is_some_and(|m| m.starts_with("20 Core CAL Suite")),
        "{message:?}"
    );
    let r = eval(estate(json!({ "since": "2024-01-01" })));
    assert_eq!(find(&r, "suite-without-sa-dates"), None);
}

/// Review 45: five Core CAL Suites with Software Assurance from a year after the count covered
/// Windows Server 2025 and Exchange SE on the count's date ("nothing to buy, proven"). A suite is
/// sold only with SA and licensed by its coverage: one whose SA starts later is not counted, and
/// the purchase is what the estate without it needs.
#[test]
fn suites_whose_sa_starts_after_the_count_are_not_counted() {
    let estate = |suites: Option<Value>| {
        json!({
            "groups": [{ "id": "staff", "count": 5, "devices_each": 1 }],
            "servers": [
                { "id": "dc", "product": "windows-server", "version": "2025" },
                { "id": "ex", "product": "exchange", "version": "SE" }
            ],
            "access": [{ "groups": ["staff"], "servers": ["dc", "ex"] }],
            "holdings": suites.into_iter().map(|sa| json!({
                "product": "core-cal-suite", "kind": "user-cal", "quantity": 5,
                "software_assurance": sa
            })).collect::<Vec<_>>()
        })
    };
    let none = eval(estate(None));
    let later = eval(estate(Some(
        json!({ "since": "2027-06-01", "until": "2030-05-31" }),
    )));
    assert!(none.recommendation.total_minor > 0);
    assert_eq!(
        later.recommendation.total_minor,
        none.recommendation.total_minor
    );
    assert_eq!(later.recommendation.lines, none.recommendation.lines);
    assert!(
        (later.position.iter()).all(|r| r.product != CalProduct::CoreCalSuite && r.covered == 0),
        "{:#?}",
        later.position
    );
    assert_eq!(
        kind_rule_severity(&later, "sa-not-started"),
        Some(("suite.version-less".into(), Severity::Warning))
    );
    let m = message(&later, "sa-not-started");
    assert!(m.contains("not counted: 5 Core CAL Suite"), "{m}");
    assert!(m.contains("(SA from 2027-06-01)"), "{m}");
    assert!(later.rules.iter().any(|r| r.id == "suite.version-less"));
    // SA that began by the count: the suites cover both products, and nothing is said.
    let active = eval(estate(Some(json!({ "since": "2026-01-01" }))));
    assert_eq!(active.recommendation.total_minor, 0);
    assert_eq!(find(&active, "sa-not-started"), None);
    assert_eq!(find(&none, "sa-not-started"), None);
}

/// A CAL whose Software Assurance starts after the count counts at its own version: an Exchange
/// SE CAL as Exchange 2019, as SE needs active SA (review 45), and a note says why.
#[test]
fn an_se_cal_whose_sa_starts_after_the_count_counts_as_the_release_before() {
    let estate = |since: &str| {
        json!({
            "groups": [{ "id": "staff", "count": 5, "devices_each": 1 }],
            "servers": [{ "id": "ex", "product": "exchange", "version": "SE" }],
            "access": [{ "groups": ["staff"], "servers": ["ex"] }],
            "holdings": [{
                "product": "exchange-standard", "kind": "user-cal", "version": "SE", "quantity": 5,
                "software_assurance": { "since": since }
            }]
        })
    };
    let active = eval(estate("2026-01-01"));
    assert_eq!(active.recommendation.total_minor, 0);
    assert_eq!(find(&active, "sa-not-started"), None);
    let later = eval(estate("2026-09-01"));
    assert!(
        (later.position.iter()).any(|r| r.product == CalProduct::ExchangeStandard
            && r.version == "SE"
            && r.shortfall == 5),
        "{:#?}",
        later.position
    );
    assert_eq!(
        kind_rule_severity(&later, "sa-not-started"),
        Some(("sa.version-rights".into(), Severity::Info))
    );
    let m = message(&later, "sa-not-started");
    assert!(
        m.contains("counted at their own version") && m.contains("(SA from 2026-09-01)"),
        "{m}"
    );
}

/// Newer RDS CALs the estate does not use only cannot be installed on an older RD Licensing
/// server: a note, not "not compliant" (QA: 5 spare 2025 CALs flagged a compliant estate).
#[test]
fn idle_newer_rds_cals_on_an_older_licensing_server_are_a_note() {
    let estate = |cals_2025: u32| {
        json!({
            "groups": [{ "id": "u", "count": 40, "devices_each": 1 }],
            "servers": [{ "id": "rd", "product": "windows-server", "version": "2022", "rds_session_host": true,
                          "rds_mode": "per-user", "rd_licensing_server_version": "2022" }],
            "access": [{ "groups": ["u"], "servers": ["rd"], "features": ["remote-desktop"] }],
            "holdings": [
                { "product": "windows-server", "kind": "user-cal", "version": "2022", "quantity": 40 },
                { "product": "rds", "kind": "user-cal", "version": "2022", "quantity": 40 - cals_2025.min(40) },
                { "product": "rds", "kind": "user-cal", "version": "2025", "quantity": cals_2025 }
            ]
        })
    };
    // 40 of 2022 cover everyone; 5 of 2025 are spare.
    let mut spare = estate(0);
    spare["holdings"][1]["quantity"] = json!(40);
    spare["holdings"][2]["quantity"] = json!(5);
    let r = eval(spare);
    assert_eq!(
        kind_rule_severity(&r, "rds-licensing-server-older").map(|x| x.1),
        Some(Severity::Info)
    );
    assert!(!r.findings.iter().any(|f| f.needs_more_than_the_purchase()));
    // 10 of the 40 in use are 2025 CALs: those must sit on the licensing server.
    let r = eval(estate(10));
    assert_eq!(
        kind_rule_severity(&r, "rds-licensing-server-older").map(|x| x.1),
        Some(Severity::Critical)
    );
}

/// Owned RDS Device CALs idle on a host fixed to per-user mode (QA F6): the report says that
/// switching the host's mode makes the purchase nothing, and what it costs as entered stays.
#[test]
fn an_rds_mode_that_leaves_owned_cals_idle_is_named() {
    let r = eval(json!({
        "groups": [{ "id": "staff", "count": 20, "devices_each": 1 }],
        "servers": [{ "id": "rd", "product": "windows-server", "version": "2022",
                      "rds_session_host": true, "rds_mode": "per-user" }],
        "access": [{ "groups": ["staff"], "servers": ["rd"], "features": ["remote-desktop"] }],
        "holdings": [
            { "product": "windows-server", "kind": "device-cal", "version": "2022", "quantity": 20 },
            { "product": "rds", "kind": "device-cal", "version": "2022", "quantity": 20 }
        ]
    }));
    assert_eq!(r.recommendation.total_minor, 410_000);
    let f = find(&r, "rds-mode-switch-saves").map(|f| (f.severity, f.message.clone()));
    assert!(
        f.as_ref().is_some_and(|(s, m)| *s == Severity::Info
            && m.contains("switching rd to per device")
            && m.contains("$4,100.00 less")),
        "{f:?}"
    );
    assert_eq!(
        r.largest_saving().map(|f| (f.kind.name(), f.saving_minor)),
        Some(("rds-mode-switch-saves", Some(410_000)))
    );
}

/// Review 18: with no RDS CALs owned, a host fixed per user made 100 shift workers at 10 desks
/// cost $20,500 where per device costs $2,000, and no finding said so (it was asked only when
/// RDS CALs were owned). The mode is a setting on the host whatever is owned.
#[test]
fn an_rds_mode_that_makes_the_purchase_dearer_is_named_with_nothing_owned() {
    let estate = |mode: &str| {
        json!({
            "groups": [{ "id": "shift", "count": 100, "devices_each": 0 }],
            "shared_devices": [{ "id": "desk", "count": 10, "shared_by": ["shift"] }],
            "servers": [{ "id": "rdsh", "product": "windows-server", "version": "2025",
                          "rds_session_host": true, "rds_mode": mode,
                          "rd_licensing_server_version": "2025" }],
            "access": [{ "groups": ["shift"], "servers": ["rdsh"], "features": ["remote-desktop"] }]
        })
    };
    let r = eval(estate("per-user"));
    assert_eq!(r.recommendation.total_minor, 2_050_000);
    let f = find(&r, "rds-mode-switch-saves").map(|f| (f.saving_minor, f.message.clone()));
    assert!(
        f.as_ref().is_some_and(|(s, m)| *s == Some(1_850_000)
            && m.starts_with("switching rdsh to per device")
            && m.contains("$2,000.00 instead of $20,500.00")),
        "{f:?}"
    );
    // Already the cheaper mode: nothing to say.
    let r = eval(estate("per-device"));
    assert_eq!(r.recommendation.total_minor, 200_000);
    assert!(find(&r, "rds-mode-switch-saves").is_none());
}

/// The bought CALs of a report: (product, kind, quantity), as its purchase lines list them.
fn bought_cals(r: &Report) -> Vec<(CalProduct, LicenceKind, u64)> {
    (r.recommendation.lines.iter())
        .map(|l| (l.product, l.kind, l.quantity))
        .collect()
}

/// One CAL Suite licenses one person for all its parts (§1.12). QA F5: 10 Core CAL Suites, group
/// a on a file server only, group b on Exchange only; the position counted the suites once per
/// product, covering 20 people, and showed a clean ELP; later a critical finding named the 10
/// uncovered while the table still said $0 (review 43, H1). Now the suites go to b, whose
/// Exchange CALs cost the more, and a's 10 Windows Server CALs are bought, proven least cost;
/// with enough suites, or the same people on both servers, nothing is bought.
#[test]
fn owned_suites_split_between_groups_go_to_one_and_the_other_buys() {
    let estate = |a_servers: Value, suites: u32, kind: &str| {
        json!({
            "groups": [{ "id": "a", "name": "File users", "count": 10 }, { "id": "b", "count": 10 }],
            "servers": [{ "id": "fs", "product": "windows-server", "version": "2022" },
                        { "id": "ex", "product": "exchange", "version": "2019" }],
            "access": [{ "groups": ["a"], "servers": a_servers }, { "groups": ["b"], "servers": ["ex"] }],
            "holdings": [{ "product": "core-cal-suite", "kind": kind, "quantity": suites,
                           "software_assurance": { "since": "2022-01-01" } }]
        })
    };
    let ws_devices = |n: u64| vec![(CalProduct::WindowsServer, LicenceKind::DeviceCal, n)];
    for (suites, kind, to_buy) in [
        (10, "user-cal", 10),
        (10, "device-cal", 10),
        (15, "user-cal", 5),
    ] {
        let r = eval(estate(json!(["fs"]), suites, kind));
        assert_eq!(
            (
                bought_cals(&r),
                r.recommendation.total_minor,
                r.recommendation.exact
            ),
            (ws_devices(to_buy), 4_000 * to_buy as i64, true),
            "{suites} {kind}"
        );
        assert_eq!(find(&r, "suite-split"), None);
    }
    // The Exchange row says who holds the suites.
    let r = eval(estate(json!(["fs"]), 10, "user-cal"));
    let ex = r
        .position
        .iter()
        .find(|p| p.product == CalProduct::ExchangeStandard && p.needed > 0)
        .map(|p| p.why.text.clone())
        .unwrap_or_default();
    assert!(
        ex.contains("here the suites' parts cover 10 b holding Core CAL Suites"),
        "{ex}"
    );
    // Enough suites for everyone: nothing to buy. With a on both servers, the suites cover a
    // whole and b's 10 Exchange CALs are bought.
    assert_eq!(
        eval(estate(json!(["fs"]), 20, "user-cal"))
            .recommendation
            .total_minor,
        0
    );
    let r = eval(estate(json!(["fs", "ex"]), 10, "user-cal"));
    let exchange: u64 = (r.recommendation.lines.iter())
        .filter(|l| l.product == CalProduct::ExchangeStandard)
        .map(|l| l.quantity)
        .sum();
    assert_eq!(
        (
            exchange,
            r.recommendation.total_minor,
            r.recommendation.exact
        ),
        (10, 76_000, true)
    );
}

/// Review 13b L9: 20 suites frozen at 2019 and 5 active ones; the 20 people of "files" need
/// Windows Server 2019 and the 20 of "mail" Windows Server 2022 and Exchange. The 5 active suites
/// cover mail for both; 15 frozen ones cover mail's Exchange only (their Windows Server part is
/// too old for 2022) and 5 cover files; 15 + 15 Windows Server CALs are bought. The Exchange row
/// names one holder for suites of both holdings.
#[test]
fn frozen_and_current_suites_go_to_those_whose_needs_they_cover() {
    let r = eval(json!({
        "groups": [{ "id": "mail", "count": 20 }, { "id": "files", "count": 20 }],
        "servers": [{ "id": "dc22", "product": "windows-server", "version": "2022" },
                    { "id": "exch", "product": "exchange", "version": "2019", "windows_version": "2022" },
                    { "id": "fs19", "product": "windows-server", "version": "2019" }],
        "access": [{ "groups": ["mail"], "servers": ["dc22", "exch"] },
                   { "groups": ["files"], "servers": ["fs19"] }],
        "holdings": [
            { "product": "core-cal-suite", "kind": "user-cal", "quantity": 20,
              "software_assurance": { "since": "2018-07-01", "until": "2021-06-30" } },
            { "product": "core-cal-suite", "kind": "user-cal", "quantity": 5,
              "software_assurance": { "since": "2024-07-01" } }]
    }));
    let ws: u64 = (r.recommendation.lines.iter())
        .filter(|l| l.product == CalProduct::WindowsServer)
        .map(|l| l.quantity)
        .sum();
    assert_eq!(
        (ws, r.recommendation.total_minor, r.recommendation.exact),
        (30, 120_000, true)
    );
    let ex = (r.position.iter())
        .find(|p| p.product == CalProduct::ExchangeStandard && p.needed > 0)
        .map(|p| p.why.text.clone())
        .unwrap_or_default();
    assert!(
        ex.contains("here the suites' parts cover 20 mail holding Core CAL Suites"),
        "{ex}"
    );
}

/// SQL Server licensed Server+CAL behind a public web site (QA H1): the Internet exemption is
/// Windows Server's; the visitors cannot be given SQL CALs, so the server must be licensed per
/// core. Critical, with the per-core price; the SQL row exempts nobody.
#[test]
fn anonymous_visitors_on_a_server_cal_sql_server_need_per_core() {
    let estate = |licensing: &str| {
        json!({
            "groups": [{ "id": "public", "kind": "anonymous-visitor", "count": 50000 },
                       { "id": "staff", "count": 5 }],
            "servers": [{ "id": "web", "product": "windows-server", "version": "2022" },
                        { "id": "sql", "product": "sql-server", "version": "2022", "edition": "standard",
                          "sql_licensing": licensing, "cores": 4, "windows_version": "2022" }],
            "access": [{ "groups": ["public"], "servers": ["web", "sql"], "via": "public web site" },
                       { "groups": ["staff"], "servers": ["web", "sql"] }]
        })
    };
    let r = eval(estate("server-cal"));
    assert_eq!(
        kind_rule_severity(&r, "sql-anonymous-server-cal"),
        Some(("mux.does-not-reduce".into(), Severity::Critical))
    );
    let m = message(&r, "sql-anonymous-server-cal");
    assert!(
        m.contains("50,000 anonymous visitors reach it through public web site")
            && m.contains("$7,890.00"),
        "{m}"
    );
    assert!(r.findings.iter().any(|f| f.needs_more_than_the_purchase()));
    let sql = r
        .products
        .iter()
        .find(|p| p.product == CalProduct::SqlServer);
    assert_eq!(sql.map(|p| (p.people.value, p.exempt.value)), Some((5, 0)));
    // Per core: nothing to say.
    assert_eq!(
        find(&eval(estate("per-core")), "sql-anonymous-server-cal"),
        None
    );
}

/// A SQL CAL covers every SQL Server (§1.16): two Server+CAL servers whose 40 users are the same
/// people cost 2 server licences + 40 CALs ($11,178); moving either alone to per core costs
/// more, and both $15,780 (QA M5, which saw a "per core is cheaper" warning for each). A server
/// without a core count is not priced at the 4-core minimum as if that were its size (QA M6).
#[test]
fn sql_per_core_advice_weighs_servers_that_share_users_together() {
    let estate = |cores_b: u32, users: u32| {
        json!({
            "groups": [{ "id": "staff", "count": users }],
            "servers": [{ "id": "sqla", "product": "sql-server", "version": "2022", "edition": "standard", "cores": 4 },
                        { "id": "sqlb", "product": "sql-server", "version": "2022", "edition": "standard", "cores": cores_b }],
            "access": [{ "groups": ["staff"], "servers": ["sqla", "sqlb"] }]
        })
    };
    assert_eq!(find(&eval(estate(4, 40)), "sql-per-core-cheaper"), None);
    // With 100 users, per core for both ($15,780) beats 2 × $989 + 100 × $230.
    let r = eval(estate(4, 100));
    let m = message(&r, "sql-per-core-cheaper");
    assert!(
        m.starts_with("SQL Servers sqla, sqlb are licensed Server+CAL and share their 100 people"),
        "{m}"
    );
    assert!(m.contains("$15,780.00 against $24,978.00"), "{m}");
    // No core count: an info note, not a priced warning.
    let r = eval(estate(0, 100));
    assert_eq!(find(&r, "sql-per-core-cheaper"), None);
    assert_eq!(
        kind_rule_severity(&r, "sql-cores-unknown").map(|x| x.1),
        Some(Severity::Info)
    );
}

/// Server marks that the access may contradict (QA H2, M7, M8). An anonymous-only server that
/// 30 employees and 500 customers reach was "$0, proven" without a word: the mark says nobody
/// signs in there, so they stay uncounted, but a warning names them (worked example G6(b): a
/// visitor who logs in needs a CAL). A virtualisation-only host used by staff, and Exchange
/// without the Windows Server version it runs on, each get a warning.
#[test]
fn server_marks_that_the_access_contradicts_are_named() {
    let r = eval(json!({
        "groups": [{ "id": "editors", "count": 30 }, { "id": "members", "count": 500, "kind": "customer" },
                   { "id": "public", "count": 10000, "kind": "anonymous-visitor" }],
        "servers": [{ "id": "web", "product": "windows-server", "version": "2022", "anonymous_only": true }],
        "access": [{ "groups": ["editors", "members", "public"], "servers": ["web"] }]
    }));
    assert_eq!(
        kind_rule_severity(&r, "anonymous-only-reached"),
        Some(("exempt.anonymous-internet".into(), Severity::Warning))
    );
    let m = message(&r, "anonymous-only-reached");
    assert!(
        m.contains("the 530 people of editors, members who reach it are not counted"),
        "{m}"
    );
    assert_eq!(r.recommendation.total_minor, 0);
    // Anonymous visitors alone: exempt, nothing to say.
    let r = eval(json!({
        "groups": [{ "id": "public", "count": 10000, "kind": "anonymous-visitor" }],
        "servers": [{ "id": "web", "product": "windows-server", "version": "2022", "anonymous_only": true }],
        "access": [{ "groups": ["public"], "servers": ["web"] }]
    }));
    assert_eq!(
        (
            find(&r, "anonymous-only-reached"),
            r.recommendation.total_minor
        ),
        (None, 0)
    );

    let virt = |admin_only: bool| {
        eval(json!({
            "groups": [{ "id": "staff", "count": 30, "admin_only": admin_only }],
            "servers": [{ "id": "hv", "product": "windows-server", "version": "2022", "edition": "datacenter",
                          "virtualization_only": true }],
            "access": [{ "groups": ["staff"], "servers": ["hv"] }]
        }))
    };
    // Critical: CALs the rules require are left uncounted, so the result is not compliant as
    // entered (review 2026-12-01: a warning left the result looking compliant).
    let reached = virt(false);
    assert_eq!(
        kind_rule_severity(&reached, "virtualisation-only-reached").map(|x| x.1),
        Some(Severity::Critical)
    );
    assert!(reached
        .findings
        .iter()
        .any(|f| f.kind == FindingKind::VirtualisationOnlyReached
            && f.needs_more_than_the_purchase()));
    assert_eq!(find(&virt(true), "virtualisation-only-reached"), None);

    let exchange = |windows: Value| {
        let mut server = json!({ "id": "ex", "product": "exchange", "version": "2019" });
        if !windows.is_null() {
            server["windows_version"] = windows;
        }
        eval(json!({
            "groups": [{ "id": "staff", "count": 50 }],
            "servers": [server],
            "access": [{ "groups": ["staff"], "servers": ["ex"] }]
        }))
    };
    assert_eq!(
        kind_rule_severity(&exchange(Value::Null), "windows-version-missing"),
        Some(("ws.cal-for-products-on-windows".into(), Severity::Warning))
    );
    assert_eq!(
        find(&exchange(json!("2022")), "windows-version-missing"),
        None
    );
}

/// The Windows Server version missing on Exchange matters only for users who reach no other
/// Windows Server (review: the warning also fired when their CALs were counted anyway).
#[test]
fn windows_version_missing_only_when_the_cals_are_not_counted_elsewhere() {
    let r = eval(json!({
        "groups": [{ "id": "staff", "count": 50 }],
        "servers": [{ "id": "ex", "product": "exchange", "version": "2019" },
                    { "id": "fs", "product": "windows-server", "version": "2022" }],
        "access": [{ "groups": ["staff"], "servers": ["ex", "fs"] }]
    }));
    assert_eq!(find(&r, "windows-version-missing"), None);
}

/// The break-even of a SQL Server licensed per core counts everyone who reaches it (review
/// 2026-12-01: it took the SQL CALs the rest of the estate needs, 20, where 500 people reach the
/// portal, and called Server+CAL cheaper). Only people who also reach a Server+CAL server, whose
/// CALs cover them anyway, are left out.
#[test]
fn sql_break_even_of_a_per_core_server_counts_everyone_who_reaches_it() {
    let r = eval(json!({
        "groups": [{ "id": "finance", "count": 20 }, { "id": "customers", "count": 500, "kind": "customer" }],
        "servers": [{ "id": "fin", "product": "sql-server", "version": "2022", "cores": 4, "sql_licensing": "server-cal" },
                    { "id": "portal", "product": "sql-server", "version": "2022", "cores": 4, "sql_licensing": "per-core" }],
        "access": [{ "groups": ["finance"], "servers": ["fin", "portal"] },
                   { "groups": ["customers"], "servers": ["portal"] }]
    }));
    let b = |id: &str| {
        r.breakevens
            .iter()
            .find(|b| b.kind == BreakEvenKind::SqlPerCoreVsServerCal && b.subject == id)
            .map(|b| {
                (
                    b.current,
                    b.option_a_minor,
                    b.option_b_minor,
                    b.why.text.clone(),
                )
            })
    };
    let (now, server_cal, per_core, why) = b("portal").unwrap_or_default();
    // 500 customers need CALs; the 20 finance staff hold SQL CALs for `fin` already.
    assert_eq!(
        (now, server_cal, per_core),
        (500, 98_900 + 500 * 23_000, 789_000)
    );
    assert!(
        why.contains("520 people reach it; 20 of them also reach other Server+CAL SQL Servers"),
        "{why}"
    );
    assert!(why.contains("up to 500 SQL CALs"), "{why}");
    assert_eq!(b("fin").map(|x| x.0), Some(20));
}

/// Unattended devices reaching a Server+CAL SQL Server need SQL Device CALs (§1.2): 5 people and
/// 40 sensors make 45 CALs, $11,339 against $7,890 per core. The advice and the break-even once
/// counted the 5 people only.
#[test]
fn sql_per_core_advice_counts_unattended_devices() {
    let r = eval(json!({
        "groups": [{ "id": "staff", "count": 5 }],
        "shared_devices": [{ "id": "sensors", "count": 40, "unattended": true, "accesses": ["sql"] }],
        "servers": [{ "id": "sql", "product": "sql-server", "version": "2022", "cores": 4, "sql_licensing": "server-cal" }],
        "access": [{ "groups": ["staff"], "servers": ["sql"] }]
    }));
    let m = message(&r, "sql-per-core-cheaper");
    assert!(
        m.contains("for 5 people and 40 unattended devices (45 SQL CALs"),
        "{m}"
    );
    assert!(m.contains("$7,890.00 against $11,339.00"), "{m}");
    let b = r
        .breakevens
        .iter()
        .find(|b| b.kind == BreakEvenKind::SqlPerCoreVsServerCal)
        .map(|b| (b.current, b.option_a_minor));
    assert_eq!(b, Some((45, 98_900 + 45 * 23_000)));
}

/// Each server's break-even weighs what moving that server alone changes: two Server+CAL servers
/// whose 40 users are the same people save no CAL by moving one of them, so neither says "per
/// core is cheaper" (review: both did, 40 users against a threshold of 31). A server that
/// anonymous visitors reach cannot be Server+CAL, and its break-even says so.
#[test]
fn sql_break_even_weighs_one_server_against_the_others() {
    let r = eval(json!({
        "groups": [{ "id": "staff", "count": 40 }],
        "servers": [{ "id": "sqla", "product": "sql-server", "version": "2022", "cores": 4, "sql_licensing": "server-cal" },
                    { "id": "sqlb", "product": "sql-server", "version": "2022", "cores": 4, "sql_licensing": "server-cal" }],
        "access": [{ "groups": ["staff"], "servers": ["sqla", "sqlb"] }]
    }));
    for b in r
        .breakevens
        .iter()
        .filter(|b| b.kind == BreakEvenKind::SqlPerCoreVsServerCal)
    {
        assert_eq!((b.current, b.option_a_minor), (0, 98_900), "{}", b.subject);
        assert!(b.option_a_minor < b.option_b_minor);
        assert!(
            b.why
                .text
                .contains("40 of them also reach other Server+CAL SQL Servers"),
            "{}",
            b.why.text
        );
    }
    let r = eval(json!({
        "groups": [{ "id": "staff", "count": 10 }, { "id": "web", "count": 20000, "kind": "anonymous-visitor" }],
        "servers": [{ "id": "sql", "product": "sql-server", "version": "2022", "cores": 4, "sql_licensing": "server-cal" }],
        "access": [{ "groups": ["staff", "web"], "servers": ["sql"] }]
    }));
    let b = r
        .breakevens
        .iter()
        .find(|b| b.kind == BreakEvenKind::SqlPerCoreVsServerCal)
        .map(|b| (b.option_a.clone(), b.why.text.clone()))
        .unwrap_or_default();
    assert!(
        b.0.contains("not possible: anonymous visitors reach it"),
        "{}",
        b.0
    );
    assert!(
        b.1.contains("Server+CAL is not possible here: 20,000 anonymous visitors reach it"),
        "{}",
        b.1
    );
}

/// Old CALs of one kind idle while new CALs of the other kind are short are a version gap too
/// (§1.4; review: 60 idle 2022 User CALs beside 60 short 2025 Device CALs went unexplained,
/// because the check compared each kind with itself).
#[test]
fn version_gap_is_named_across_user_and_device_cals() {
    let r = eval(json!({
        "groups": [{ "id": "staff", "count": 50 }],
        "servers": [{ "id": "fs", "product": "windows-server", "version": "2022" },
                    { "id": "dc", "product": "windows-server", "version": "2025" }],
        "access": [{ "groups": ["staff"], "servers": ["fs", "dc"] }],
        "holdings": [{ "product": "windows-server", "kind": "user-cal", "version": "2022", "quantity": 60 }]
    }));
    // With one device each, the reference Device CAL ($40) is cheaper than a User CAL ($45).
    assert!(r
        .position
        .iter()
        .any(|p| p.kind == LicenceKind::DeviceCal && p.shortfall == 50));
    let m = find(&r, "version-gap").map(|f| (f.severity, f.message.clone()));
    assert_eq!(
        m,
        Some((
            Severity::Critical,
            "60 owned Windows Server 2022 User CALs cannot cover the 2025 servers: dc (2025). A CAL must be the same version as the server or newer".to_string()
        ))
    );
}

/// Review 11: 80 people on a 4-core Server+CAL SQL Server with 50 SQL CALs owned. Per core
/// ($7,890) is cheaper than the server licence and 80 CALs at list ($19,389), but closing the gap
/// costs 30 CALs ($6,900): the warning said per core was cheaper. Now a note names the owned CALs
/// and what closing the gap costs; without owned CALs the warning stands.
#[test]
fn sql_per_core_cheaper_weighs_the_owned_sql_cals() {
    let estate = |owned: u32| {
        json!({
            "groups": [{ "id": "staff", "count": 80, "devices_each": 1 }],
            "servers": [{ "id": "db", "product": "sql-server", "version": "2019", "cores": 4,
                          "sql_licensing": "server-cal" }],
            "access": [{ "groups": ["staff"], "servers": ["db"] }],
            "holdings": [{ "product": "sql-server", "kind": "user-cal", "version": "2019", "quantity": owned }]
        })
    };
    let r = eval(estate(50));
    let f = find(&r, "sql-per-core-cheaper").expect("the comparison is still named");
    assert_eq!(f.severity, Severity::Info, "{}", f.message);
    assert!(
        f.message.contains("50 of those CALs are owned")
            && f.message.contains("$6,900.00, less than per core"),
        "{}",
        f.message
    );
    let r = eval(estate(10));
    let f = find(&r, "sql-per-core-cheaper").expect("per core is cheaper");
    assert_eq!(f.severity, Severity::Warning, "{}", f.message);
    assert!(
        f.message.contains("10 of those CALs are owned"),
        "{}",
        f.message
    );
}

/// Review 11: a version gap in owned External Connectors and RDS CALs is worded for them. The
/// 2019 connector assigned to the only host serves none of its 2022 servers, and the missing
/// connector finding said "the 1 owned cannot cover them all"; RDS CALs of 2019 against a 2022
/// session host were explained by "2022 RDS CALs cannot access 2025 hosts".
#[test]
fn version_gaps_of_connectors_and_rds_cals_name_their_own_versions() {
    let r = eval(json!({
        "groups": [{ "id": "p", "count": 300, "kind": "partner" },
                   { "id": "staff", "count": 40, "devices_each": 1 }],
        "servers": [
            { "id": "h1", "product": "windows-server", "edition": "datacenter", "version": "2022", "virtualization_only": true },
            { "id": "portal", "product": "windows-server", "version": "2022", "host": "h1", "vm": true },
            { "id": "rd", "product": "windows-server", "version": "2022", "rds_session_host": true,
              "rds_mode": "per-user", "rd_licensing_server_version": "2025" }
        ],
        "access": [{ "groups": ["p"], "servers": ["portal"] },
                   { "groups": ["staff"], "servers": ["rd"], "features": ["remote-desktop"] }],
        "holdings": [
            { "product": "windows-server", "kind": "external-connector", "version": "2019", "quantity": 1, "assigned_to": "h1" },
            { "product": "windows-server", "kind": "user-cal", "version": "2022", "quantity": 40 },
            { "product": "rds", "kind": "user-cal", "version": "2019", "quantity": 40 }
        ]
    }));
    let gaps: Vec<&str> = r
        .findings
        .iter()
        .filter(|f| f.kind == FindingKind::VersionGap)
        .map(|f| f.message.as_str())
        .collect();
    assert!(
        gaps.iter().any(|m| m
            .contains("1 owned Windows Server 2019 External Connector cannot cover")
            && m.contains("An External Connector must be the same version")),
        "{gaps:?}"
    );
    assert!(
        gaps.iter()
            .any(|m| m.contains("(2019 RDS CALs cannot access 2022 hosts)")),
        "{gaps:?}"
    );
    let ec = find(&r, "missing-external-connector").expect("a connector is missing");
    assert!(
        ec.message
            .ends_with("the 1 owned serves none of them (see the version and host findings)"),
        "{}",
        ec.message
    );
}

/// Review 11: owned Windows Server User and Device CALs of one version were listed as
/// "2022/2022 CALs"; owned suites frozen at that version were counted without saying so.
#[test]
fn version_gap_names_each_version_once_and_owned_suites_as_such() {
    let r = eval(json!({
        "groups": [{ "id": "staff", "count": 30, "devices_each": 1 }],
        "servers": [{ "id": "fs", "product": "windows-server", "version": "2025" }],
        "access": [{ "groups": ["staff"], "servers": ["fs"] }],
        "holdings": [
            { "product": "windows-server", "kind": "device-cal", "version": "2022", "quantity": 5 },
            { "product": "core-cal-suite", "kind": "user-cal", "quantity": 10,
              "software_assurance": { "since": "2021-01-01", "until": "2023-06-30" } }
        ]
    }));
    let gap = find(&r, "version-gap").expect("a version gap");
    assert!(
        gap.message.starts_with("15 owned Windows Server 2022 CALs (owned CAL Suites counted as their contents) cannot cover"),
        "{}",
        gap.message
    );
}

/// The note that owned suites count as their contents is for idle CALs of the suites' version
/// only: suites with active Software Assurance are current, and old separate CALs idle beside
/// them are the suites' no more.
#[test]
fn version_gap_does_not_blame_current_suites_for_old_cals() {
    let r = eval(json!({
        "organisation": { "prices": [{ "item": { "product": "core-cal-suite", "kind": "user-cal" }, "amount_minor": 19500 }] },
        "groups": [{ "id": "staff", "count": 30, "devices_each": 1 }],
        "servers": [{ "id": "fs", "product": "windows-server", "version": "2025" }],
        "access": [{ "groups": ["staff"], "servers": ["fs"] }],
        "holdings": [
            { "product": "windows-server", "kind": "user-cal", "version": "2016", "quantity": 20 },
            { "product": "core-cal-suite", "kind": "user-cal", "quantity": 5,
              "software_assurance": { "since": "2021-01-01" } }
        ]
    }));
    let gap = find(&r, "version-gap").expect("a version gap");
    assert!(
        gap.message
            .starts_with("20 owned Windows Server 2016 User CALs cannot cover"),
        "{}",
        gap.message
    );
}

/// Review 12: an estate dated before Exchange SE's release (1 July 2025) with an SE server bought
/// 2019 CALs for it, which cannot cover SE, and said nothing. The report names the server, the
/// date SE CALs came out and the report's date; on a date after the release it says nothing.
#[test]
fn a_server_whose_cals_came_out_after_the_report_date_is_named() {
    let estate = json!({
        "groups": [{ "id": "staff", "count": 20, "devices_each": 1 }],
        "servers": [{ "id": "mx", "name": "Mail", "product": "exchange", "version": "SE" },
                    { "id": "mx19", "product": "exchange", "version": "2019" }],
        "access": [{ "groups": ["staff"], "servers": ["mx", "mx19"] }]
    });
    let e = Estate::from_json(&estate.to_string()).unwrap_or_else(|e| panic!("{e}"));
    let before = Date::new(2025, 6, 1).unwrap_or_else(|| panic!("date"));
    let r = cal_calc::evaluate(&e, before).unwrap_or_else(|e| panic!("{e}"));
    let f = find(&r, "version-not-released").unwrap_or_else(|| panic!("{:?}", r.findings));
    assert_eq!(f.severity, Severity::Critical);
    assert!(f.needs_more_than_the_purchase());
    for part in [
        "Exchange",
        "version SE: it came out on 2025-07-01",
        "(2025-06-01)",
        "covers Mail (SE), and the purchase buys nothing for it",
    ] {
        assert!(f.message.contains(part), "{part}: {}", f.message);
    }
    assert!(!f.message.contains("mx19"), "{}", f.message);
    // The 2019 server is licensed as usual: 20 Exchange 2019 CALs, none for SE.
    let ex = r
        .products
        .iter()
        .find(|p| p.product == CalProduct::ExchangeStandard)
        .map(|p| {
            (
                p.required_version.clone(),
                p.user_cals.value + p.device_cals.value,
            )
        });
    assert_eq!(ex, Some(("2019".to_string(), 20)));
    let r = eval(estate);
    assert!(
        find(&r, "version-not-released").is_none(),
        "{:?}",
        r.findings
    );
}

/// Review 13 D14: a Windows Server 2025 server the day before its CALs came out, and only owned
/// 2022 CALs with active Software Assurance. No older server needs the purchase, so the warning
/// must not suggest that the 2022 CALs bought help, and it names the owned CALs that become 2025
/// CALs on the release day (the run on that day needs nothing).
#[test]
fn before_a_release_the_warning_names_owned_cals_that_will_cover_it() {
    let estate = json!({
        "groups": [{ "id": "a", "count": 10 }],
        "servers": [{ "id": "dc", "product": "windows-server", "version": "2025" }],
        "access": [{ "groups": ["a"], "servers": ["dc"] }],
        "holdings": [{ "product": "windows-server", "kind": "user-cal", "version": "2022",
                       "quantity": 10, "software_assurance": { "since": "2022-01-01" } }]
    });
    let e = Estate::from_json(&estate.to_string()).unwrap_or_else(|e| panic!("{e}"));
    let before = Date::new(2024, 10, 31).unwrap_or_else(|| panic!("date"));
    let r = cal_calc::evaluate(&e, before).unwrap_or_else(|e| panic!("{e}"));
    let f = find(&r, "version-not-released").unwrap_or_else(|| panic!("{:?}", r.findings));
    for part in [
        "covers dc (2025), and the purchase buys nothing for it",
        "10 licences you own with Software Assurance running past 2024-11-01 count as version 2025 from that day",
    ] {
        assert!(f.message.contains(part), "{part}: {}", f.message);
    }
    // Review 15 #4: nothing is bought that cannot cover the server.
    assert_eq!(r.recommendation.total_minor, 0);
    assert!(r.recommendation.lines.is_empty());
    let on = Date::new(2024, 11, 1).unwrap_or_else(|| panic!("date"));
    let r = cal_calc::evaluate(&e, on).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.recommendation.total_minor, 0);
}

/// The version-gap finding about owned External Connectors.
#[track_caller]
fn connector_gap(r: &cal_calc::report::Report) -> &cal_calc::report::Finding {
    r.findings
        .iter()
        .find(|f| f.kind == FindingKind::VersionGap && f.message.contains("External Connector"))
        .unwrap_or_else(|| panic!("{:?}", r.findings))
}

/// Review 13b L2: an owned 2016 External Connector is too old for every host external users
/// reach that is newer than it, here a 2022 and a 2025 host; the finding named only the 2025 one.
#[test]
fn an_idle_connector_names_every_newer_host_external_users_reach() {
    let r = eval(json!({
        "groups": [{ "id": "p1", "count": 40, "kind": "partner" },
                   { "id": "p2", "count": 100, "kind": "partner" },
                   { "id": "staff", "count": 10 }],
        "servers": [{ "id": "app22", "product": "windows-server", "version": "2022" },
                    { "id": "app25", "product": "windows-server", "version": "2025" },
                    { "id": "int25", "product": "windows-server", "version": "2025" }],
        "access": [{ "groups": ["p1"], "servers": ["app22"] },
                   { "groups": ["p2"], "servers": ["app25"] },
                   { "groups": ["staff"], "servers": ["int25"] }],
        "holdings": [{ "product": "windows-server", "kind": "external-connector", "version": "2016", "quantity": 1 }]
    }));
    let gap = connector_gap(&r);
    assert!(
        gap.message
            .contains("cannot cover the 2022/2025 servers: app22 (2022), app25 (2025)."),
        "{}",
        gap.message
    );
    // A host only staff reach needs no connector, so it is not named.
    assert!(!gap.message.contains("int25"), "{}", gap.message);
}

/// An unattended pool that names nobody gets Device CALs; where people hold User CALs, a note
/// says that printers or scanners among them need none if their users are named (§1.8 item 8).
#[test]
fn unattended_devices_beside_user_cals_say_how_to_name_their_users() {
    let estate = |devices_each: u32, shared_by: Value| {
        eval(json!({
            "groups": [{ "id": "staff", "count": 40, "devices_each": devices_each }],
            "shared_devices": [{ "id": "p", "name": "Floor printers", "count": 10, "unattended": true,
                                 "shared_by": shared_by, "accesses": ["fs"] }],
            "servers": [{ "id": "fs", "product": "windows-server", "version": "2022" }],
            "access": [{ "groups": ["staff"], "servers": ["fs"] }]
        }))
    };
    let r = estate(2, json!([]));
    let f = find(&r, "unattended-users-unnamed").unwrap_or_else(|| panic!("{:?}", r.findings));
    assert_eq!(
        (f.severity, f.rule.as_str()),
        (Severity::Info, "cal.printer-covered-by-its-users")
    );
    assert!(
        f.message.starts_with(
            "Floor printers: 10 Windows Server Device CALs, as nobody is named as using them."
        ),
        "{}",
        f.message
    );
    // Named users, or nobody on User CALs (one device each: Device CALs are cheaper): no note.
    assert!(find(&estate(2, json!(["staff"])), "unattended-users-unnamed").is_none());
    assert!(find(&estate(1, json!([])), "unattended-users-unnamed").is_none());
}

/// Review 15 #6: a staff-only VM on a host partners reach is not one the idle connector fails
/// to cover; only the servers external users reach are named.
#[test]
fn an_idle_connector_names_no_staff_only_server() {
    let r = eval(json!({
        "groups": [{ "id": "staff", "count": 40 }, { "id": "partners", "count": 300, "kind": "partner" }],
        "servers": [{ "id": "hv1", "product": "windows-server", "edition": "datacenter", "version": "2025", "virtualization_only": true },
                    { "id": "vm-a", "product": "windows-server", "version": "2019", "host": "hv1", "vm": true },
                    { "id": "vm-b", "product": "windows-server", "version": "2025", "host": "hv1", "vm": true },
                    { "id": "h2", "product": "windows-server", "version": "2022" }],
        "access": [{ "groups": ["staff"], "servers": ["vm-a", "vm-b", "h2"] },
                   { "groups": ["partners"], "servers": ["vm-a", "h2"] }],
        "holdings": [{ "product": "windows-server", "kind": "external-connector", "version": "2019", "quantity": 2 },
                     { "product": "windows-server", "kind": "user-cal", "version": "2025", "quantity": 40 }]
    }));
    let gap = connector_gap(&r);
    assert!(
        gap.message
            .contains("cannot cover the 2022 servers: h2 (2022)."),
        "{}",
        gap.message
    );
}

/// Review 15 #3: printers whose users' SQL CALs cover them are no SQL clients of their own, so
/// the per-core comparison counts the 25 people, not 25 people and 30 printers.
#[test]
fn printers_covered_by_their_users_do_not_count_against_server_cal() {
    let r = eval(json!({
        "groups": [{ "id": "staff", "count": 25, "devices_each": 2 }],
        "shared_devices": [{ "id": "printers", "count": 30, "unattended": true, "shared_by": ["staff"], "accesses": ["sql"] }],
        "servers": [{ "id": "sql", "product": "sql-server", "version": "2022", "windows_version": "2022",
                      "cores": 4, "sql_licensing": "per-core" }],
        "access": [{ "groups": ["staff"], "servers": ["sql"] }]
    }));
    let b = r
        .breakevens
        .iter()
        .find(|b| b.kind == BreakEvenKind::SqlPerCoreVsServerCal)
        .unwrap_or_else(|| panic!("{:?}", r.breakevens));
    assert_eq!(b.current, 25);
}

/// The Microsoft 365 channel finding names both readings in the words of the app's choice and
/// says where to choose, as the other disagreements do (review 12: it named the estate file's
/// value, "volume-licensing-only").
#[test]
fn the_microsoft_365_channel_finding_names_its_readings_in_words() {
    let estate = |reading: &str| {
        json!({
            "organisation": { "m365": { "channel": "csp" },
                              "readings": { "m365_equivalency": reading } },
            "groups": [{ "id": "staff", "count": 40, "devices_each": 2, "m365": "e3" }],
            "servers": [{ "id": "s1", "product": "windows-server", "version": "2025" }],
            "access": [{ "groups": ["staff"], "servers": ["s1"] }]
        })
    };
    for reading in ["all-channels", "volume-licensing-only"] {
        let r = eval(estate(reading));
        let text = r
            .findings
            .iter()
            .find(|f| f.kind == FindingKind::SourcesDisagree && f.message.contains("Microsoft 365"))
            .map(|f| f.message.clone())
            .unwrap_or_default();
        assert!(
            text.contains("\"Where sources disagree\""),
            "{reading}: {text}"
        );
        assert!(!text.contains(reading), "{reading}: {text}");
        // No source in the reference gives the permissive default a Product Terms basis
        // (domain review 21): it is named as the default, nothing more.
        assert!(!text.contains("Product Terms"), "{reading}: {text}");
        if reading == "all-channels" {
            assert!(
                text.contains("the calculator grants it (its default reading)"),
                "{text}"
            );
        }
    }
}

/// Review 13 (D2): 60 people need Windows Server 2022, Exchange 2019 and SharePoint 2019 and own
/// only 2016 CALs; with suite prices the cure is 60 Core CAL Suites, and the report had no
/// finding at all. The estate is just as short as without suite prices: the shortfall names
/// the needs and the suites that close them, and the two version gaps are named.
#[test]
fn a_shortfall_that_suites_close_is_still_a_shortfall() {
    let r = eval(json!({
        "organisation": { "prices": [
            { "item": { "product": "core-cal-suite", "kind": "user-cal" }, "amount_minor": 19500 },
            { "item": { "product": "core-cal-suite", "kind": "device-cal" }, "amount_minor": 17000 },
            { "item": { "product": "share-point-standard", "kind": "user-cal" }, "amount_minor": 9400 },
            { "item": { "product": "share-point-standard", "kind": "device-cal" }, "amount_minor": 8200 }
        ]},
        "groups": [
            { "id": "old", "count": 40, "devices_each": 1 },
            { "id": "new", "count": 60, "devices_each": 1 }
        ],
        "servers": [
            { "id": "fs2016", "product": "windows-server", "version": "2016" },
            { "id": "dc2022", "product": "windows-server", "version": "2022" },
            { "id": "exch", "product": "exchange", "version": "2019", "windows_version": "2019" },
            { "id": "sp", "product": "share-point", "version": "2019", "windows_version": "2019" }
        ],
        "access": [
            { "groups": ["old"], "servers": ["fs2016"] },
            { "groups": ["new"], "servers": ["dc2022", "exch", "sp"] }
        ],
        "holdings": [
            { "product": "windows-server", "kind": "user-cal", "version": "2016", "quantity": 100 },
            { "product": "exchange-standard", "kind": "user-cal", "version": "2016", "quantity": 100 }
        ]
    }));
    assert_eq!(
        bought(&r, CalProduct::CoreCalSuite, LicenceKind::DeviceCal),
        60
    );
    let short: Vec<_> = r
        .findings
        .iter()
        .filter(|f| f.kind == FindingKind::Shortfall)
        .map(|f| (f.severity, f.message.as_str()))
        .collect();
    assert_eq!(
        short,
        [(
            Severity::Critical,
            "the estate is short of what it needs: 60 devices need Windows Server 2022, Exchange \
             Standard 2019 and SharePoint Standard 2019 CALs beyond those owned; 60 Core CAL \
             Suite Devices close the gap for $10,200.00"
        )]
    );
    let gaps: Vec<_> = r
        .findings
        .iter()
        .filter(|f| f.kind == FindingKind::VersionGap)
        .map(|f| {
            (
                f.product,
                f.message.starts_with("60 owned Windows Server 2016")
                    || f.message.starts_with("100 owned Exchange Standard 2016"),
            )
        })
        .collect();
    assert_eq!(
        gaps,
        [
            (Some(CalProduct::WindowsServer), true),
            (Some(CalProduct::ExchangeStandard), true)
        ]
    );
}

/// Review 13 (D3): 20 Core CAL Suites frozen at Windows Server 2019 and Exchange 2019. "mail"
/// reaches Windows Server 2022 and Exchange 2019, "files" Windows Server 2019 only. The suites'
/// Windows Server part is too old for "mail", so whoever holds them, 20 CALs are to buy: the
/// position once gave the Windows Server part to "files" and the Exchange part to "mail". Now
/// the suites go to mail (Exchange costs the more) and files' 20 Windows Server CALs are bought;
/// the row of the frozen parts says they lie idle with their holders.
#[test]
fn frozen_suites_cover_one_group_whole_not_two_in_part() {
    let r = eval(json!({
        "groups": [
            { "id": "mail", "count": 20, "devices_each": 2 },
            { "id": "files", "count": 20, "devices_each": 2 }
        ],
        "servers": [
            { "id": "dc22", "product": "windows-server", "version": "2022" },
            { "id": "fs19", "product": "windows-server", "version": "2019" },
            { "id": "exch", "product": "exchange", "version": "2019", "windows_version": "2019" }
        ],
        "access": [
            { "groups": ["mail"], "servers": ["dc22", "exch"] },
            { "groups": ["files"], "servers": ["fs19"] }
        ],
        "holdings": [{
            "product": "core-cal-suite", "kind": "user-cal", "quantity": 20,
            "software_assurance": { "since": "2018-07-01", "until": "2021-06-30" }
        }]
    }));
    assert_eq!(
        (bought_cals(&r), r.recommendation.total_minor),
        (
            vec![(CalProduct::WindowsServer, LicenceKind::UserCal, 40)],
            180_000
        )
    );
    let row = (r.position.iter())
        .find(|p| p.product == CalProduct::WindowsServer && p.version == "2019")
        .expect("a 2019 row");
    assert_eq!(
        (
            row.needed,
            row.shortfall,
            row.surplus,
            row.surplus_in_suites
        ),
        (20, 20, 20, 20)
    );
    assert!(
        row.why.text.contains("lie idle and do not close this gap")
            && row
                .why
                .text
                .contains("(20 Core CAL Suites held by 20 mail)")
            && !row.why.text.contains("older than the newest servers"),
        "{}",
        row.why.text
    );
    assert_eq!(find(&r, "suite-split"), None);
}

/// Review 15 #5: 25 Core CAL Suites; the 20 people of "files" reach a Windows Server 2022 file
/// server, the 30 of "mail" Exchange 2019 on Windows Server 2022. 25 mail people hold the suites;
/// files and the other 5 mail people take 25 Windows Server Device CALs, and those 5 Exchange
/// CALs: $1,380, proven. The optimiser's pooled parts gave everyone User CALs ($1,505) until the
/// holders were chosen before it ran. With Exchange on no Windows Server, mail needs no Windows
/// Server CAL: 20 Device CALs for files and 5 Exchange CALs.
#[test]
fn suites_held_first_leave_the_cheapest_mix_for_the_others() {
    let estate = |windows: Value| {
        json!({
            "groups": [{ "id": "files", "count": 20 }, { "id": "mail", "count": 30 }],
            "servers": [{ "id": "fs", "product": "windows-server", "version": "2022" },
                        { "id": "ex", "product": "exchange", "version": "2019", "windows_version": windows }],
            "access": [{ "groups": ["files"], "servers": ["fs"] }, { "groups": ["mail"], "servers": ["ex"] }],
            "holdings": [{ "product": "core-cal-suite", "kind": "user-cal", "quantity": 25,
                           "software_assurance": { "since": "2020-01-01" } }]
        })
    };
    for (windows, ws, total) in [(json!("2022"), 25, 138_000), (Value::Null, 20, 118_000)] {
        let r = eval(estate(windows));
        let of = |p: CalProduct| -> u64 {
            (r.recommendation.lines.iter())
                .filter(|l| l.product == p)
                .map(|l| l.quantity)
                .sum()
        };
        assert_eq!(
            (
                of(CalProduct::WindowsServer),
                of(CalProduct::ExchangeStandard),
                r.recommendation.total_minor,
                r.recommendation.exact
            ),
            (ws, 5, total, true)
        );
        assert_eq!(find(&r, "suite-split"), None);
    }
}

/// External people may hold suites too (review 16 #1): 20 partners on a file server and 25 staff
/// on Exchange, with 25 suites. The staff hold them (Exchange costs the more) and the partners
/// take 20 Windows Server User CALs, cheaper than the host's External Connector; with a
/// connector owned for the file server's host, nothing is bought.
#[test]
fn suites_go_to_staff_and_partners_take_cals_or_the_connector() {
    let estate = |holdings: Value| {
        json!({
            "groups": [{ "id": "partners", "count": 20, "kind": "partner" }, { "id": "mail", "count": 25 }],
            "servers": [{ "id": "fs", "product": "windows-server", "version": "2022" },
                        { "id": "ex", "product": "exchange", "version": "2019" }],
            "access": [{ "groups": ["partners"], "servers": ["fs"] }, { "groups": ["mail"], "servers": ["ex"] }],
            "holdings": holdings
        })
    };
    let suites = json!({ "product": "core-cal-suite", "kind": "user-cal", "quantity": 25,
                         "software_assurance": { "since": "2020-01-01" } });
    let r = eval(estate(json!([suites.clone()])));
    assert_eq!(
        (bought_cals(&r), r.recommendation.total_minor),
        (
            vec![(CalProduct::WindowsServer, LicenceKind::UserCal, 20)],
            90_000
        )
    );
    let connector = json!({ "product": "windows-server", "kind": "external-connector", "quantity": 1,
                            "version": "2022", "assigned_to": "fs" });
    let r = eval(estate(json!([suites, connector])));
    assert_eq!(
        (r.recommendation.total_minor, r.recommendation.exact),
        (0, true)
    );
}

/// A person and their own device are one need: a User suite and a Device suite do not cover one
/// person twice (review 16 #2). 10 people on both products, 10 on each alone, 10 User and 10
/// Device suites: the User suites go to those on both, the Device suites to the devices of those
/// on Exchange alone, and the 10 on the file server alone take Windows Server Device CALs.
#[test]
fn user_and_device_suites_do_not_double_cover_one_person() {
    let r = eval(json!({
        "groups": [{ "id": "both", "count": 10 }, { "id": "files", "count": 10 }, { "id": "mail", "count": 10 }],
        "servers": [{ "id": "fs", "product": "windows-server", "version": "2022" },
                    { "id": "ex", "product": "exchange", "version": "2019" }],
        "access": [{ "groups": ["files", "both"], "servers": ["fs"] }, { "groups": ["mail", "both"], "servers": ["ex"] }],
        "holdings": [
            { "product": "core-cal-suite", "kind": "user-cal", "quantity": 10, "software_assurance": { "since": "2020-01-01" } },
            { "product": "core-cal-suite", "kind": "device-cal", "quantity": 10, "software_assurance": { "since": "2020-01-01" } }
        ]
    }));
    assert_eq!(
        (
            bought_cals(&r),
            r.recommendation.total_minor,
            r.recommendation.exact
        ),
        (
            vec![(CalProduct::WindowsServer, LicenceKind::DeviceCal, 10)],
            40_000,
            true
        )
    );
    assert_eq!(find(&r, "suite-split"), None);
}

/// The "at least N" of a suite-split finding, 0 when there is none.
fn suite_split_excess(r: &Report) -> u64 {
    find(r, "suite-split")
        .and_then(|f| {
            let (_, rest) = f.message.split_once("at least ")?;
            rest.split(' ').next()?.replace(',', "").parse().ok()
        })
        .unwrap_or(0)
}

/// The fewest needs that every assignment of `active` and `frozen` (Windows Server 2019,
/// Exchange 2019) Core CAL User Suites leaves uncovered, with `ws` Windows Server and `ex`
/// Exchange CALs that cover anyone, for groups of one-device people `(count, Windows Server rank
/// needed or 0 for none, needs Exchange)`; by trying every number of each suite per group.
fn fewest_uncovered(
    groups: &[(u32, u32, bool)],
    active: u32,
    frozen: u32,
    ws: u64,
    ex: u64,
) -> u64 {
    let Some((&(n, ws_need, ex_need), rest)) = groups.split_first() else {
        return 0;
    };
    let mut best = u64::MAX;
    for a in 0..=n.min(active) {
        for f in 0..=(n - a).min(frozen) {
            // This group's needs left to plain CALs: a frozen suite's Windows Server part covers
            // up to 2019 only.
            let ws_left = if ws_need == 0 {
                0
            } else if ws_need <= 2019 {
                n - a - f
            } else {
                n - a
            };
            let ex_left = if ex_need { n - a - f } else { 0 };
            // The CALs left for the other groups, and what is uncovered here already.
            let (ws_rest, ws_short) = (
                ws.saturating_sub(u64::from(ws_left)),
                u64::from(ws_left).saturating_sub(ws),
            );
            let (ex_rest, ex_short) = (
                ex.saturating_sub(u64::from(ex_left)),
                u64::from(ex_left).saturating_sub(ex),
            );
            let total = ws_short
                + ex_short
                + fewest_uncovered(rest, active - a, frozen - f, ws_rest, ex_rest);
            best = best.min(total);
        }
    }
    best
}

/// The least cost of Windows Server Device CALs ($40) and Exchange Standard CALs ($76) that,
/// bought for `groups` (as [`fewest_uncovered`]) beside `ws` owned Windows Server CALs, leaves no
/// need uncovered whoever holds the suites: every pair of quantities tried.
fn least_purchase(groups: &[(u32, u32, bool)], active: u32, frozen: u32, ws: u64) -> i64 {
    let people: u64 = groups.iter().map(|g| u64::from(g.0)).sum();
    let mut best = i64::MAX;
    for w in 0..=people {
        for x in 0..=people {
            let cost = 4_000 * w as i64 + 7_600 * x as i64;
            if cost < best && fewest_uncovered(groups, active, frozen, ws + w, x) == 0 {
                best = cost;
            }
        }
    }
    best
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Review 43, H1: the position counted a suite's parts product by product, so it could give
    /// the Windows Server part to one group and the Exchange part to another and show the estate
    /// as covered. Now the purchase must cover every need for some assignment of the suites
    /// (one suite, one person, all its parts), checked against a search over every assignment;
    /// and it costs what the cheapest such purchase does. Small estates of groups on a file
    /// server and on Exchange, active and frozen suites and a few owned Windows Server CALs
    /// (review 15 #5 among them: 25 suites, 20 on files and 30 on mail, needs 25 + 5 CALs).
    #[test]
    fn the_purchase_covers_every_need_for_one_holder_per_suite(
        fs_2019 in any::<bool>(),
        ex_windows in 0usize..3,
        groups in prop::collection::vec((1u32..7, 0usize..3), 1..4),
        active in 0u32..9,
        frozen in 0u32..6,
        ws_owned in 0u32..4,
    ) {
        let fs_rank = if fs_2019 { 2019 } else { 2022 };
        let windows = [Value::Null, json!("2019"), json!("2022")][ex_windows].clone();
        let ex_rank = [0, 2019, 2022][ex_windows];
        let access = |reach: usize| match reach {
            0 => json!(["fs"]),
            1 => json!(["ex"]),
            _ => json!(["fs", "ex"]),
        };
        let mut holdings = vec![json!({ "product": "windows-server", "kind": "user-cal",
                                        "version": "2022", "quantity": ws_owned })];
        if active > 0 {
            holdings.push(json!({ "product": "core-cal-suite", "kind": "user-cal", "quantity": active,
                                  "software_assurance": { "since": "2022-01-01" } }));
        }
        if frozen > 0 {
            holdings.push(json!({ "product": "core-cal-suite", "kind": "user-cal", "quantity": frozen,
                                  "software_assurance": { "since": "2018-07-01", "until": "2021-06-30" } }));
        }
        let e = json!({
            "groups": groups.iter().enumerate()
                .map(|(i, &(n, _))| json!({ "id": format!("g{i}"), "count": n }))
                .collect::<Vec<_>>(),
            "servers": [{ "id": "fs", "product": "windows-server", "version": if fs_2019 { "2019" } else { "2022" } },
                        { "id": "ex", "product": "exchange", "version": "2019", "windows_version": windows }],
            "access": groups.iter().enumerate()
                .map(|(i, &(_, reach))| json!({ "groups": [format!("g{i}")], "servers": access(reach) }))
                .collect::<Vec<_>>(),
            "holdings": holdings
        });
        let r = eval(e.clone());
        let bought = |p: CalProduct| -> u64 {
            r.recommendation.lines.iter().filter(|l| l.product == p).map(|l| l.quantity).sum()
        };
        prop_assert_eq!(bought(CalProduct::CoreCalSuite), 0);
        let needs: Vec<(u32, u32, bool)> = groups
            .iter()
            .map(|&(n, reach)| {
                let ws = match reach {
                    0 => fs_rank,
                    1 => ex_rank,
                    _ => fs_rank.max(ex_rank),
                };
                (n, ws, reach != 0)
            })
            .collect();
        let fewest = fewest_uncovered(
            &needs,
            active,
            frozen,
            u64::from(ws_owned) + bought(CalProduct::WindowsServer),
            bought(CalProduct::ExchangeStandard),
        );
        prop_assert_eq!(fewest, 0, "the purchase leaves {} uncovered: {}", fewest, e);
        prop_assert_eq!(suite_split_excess(&r), 0);
        let least = least_purchase(&needs, active, frozen, u64::from(ws_owned));
        prop_assert_eq!(r.recommendation.total_minor, least, "{}", e);
    }
}

/// The messages of the findings of `kind`.
fn messages_of<'a>(r: &'a Report, kind: &str) -> Vec<&'a str> {
    r.findings
        .iter()
        .filter(|f| f.kind.name() == kind)
        .map(|f| f.message.as_str())
        .collect()
}

/// Two Server+CAL SQL Servers of 4 cores: group `a` reaches sqlA, group `b` sqlB, and `admins`
/// admin-only people both.
fn two_sql_servers(a: (&str, u32), b: (&str, u32), admins: u32) -> Report {
    let sql = |id: &str| json!({ "id": id, "product": "sql-server", "version": "2022", "windows_version": "2022", "cores": 4, "sql_licensing": "server-cal" });
    eval(json!({
        "groups": [
            { "id": a.0, "count": a.1, "devices_each": 1 },
            { "id": b.0, "count": b.1, "devices_each": 1 },
            { "id": "admins", "count": admins, "devices_each": 1, "admin_only": true }
        ],
        "servers": [sql("sqlA"), sql("sqlB")],
        "access": [
            { "groups": [a.0], "servers": ["sqlA"] },
            { "groups": [b.0], "servers": ["sqlB"] },
            { "groups": ["admins"], "servers": ["sqlA", "sqlB"] }
        ]
    }))
}

/// Review 13 (D6): ops reach sqlA, sales sqlB, and two admin-only people reach both. The two
/// admins are exempt, so they need no SQL CAL and the two servers share no one whose CALs
/// moving one to per core would keep: each is its own set, each past its own break-even.
#[test]
fn exempt_admins_do_not_join_sql_sets() {
    let r = two_sql_servers(("ops", 60), ("sales", 60), 2);
    let per_core: Vec<_> = r
        .findings
        .iter()
        .filter(|f| f.kind == FindingKind::SqlPerCoreCheaper)
        .map(|f| f.message.split(" is licensed").next().unwrap_or_default())
        .collect();
    assert_eq!(per_core, ["SQL Server sqlA", "SQL Server sqlB"]);
}

/// Review 13 (D7): two unrelated Server+CAL SQL servers; 40 owned SQL CALs, ops (40) on sqlA and
/// sales (10) on sqlB. Whoever holds them, at least 30 owned CALs serve sqlA, so closing its
/// gap costs at most 10 CALs ($2,300), less than per core ($7,890): a note, not a warning to
/// move it (with one set the same caveat applied already).
#[test]
fn owned_sql_cals_temper_the_per_core_advice_for_each_set() {
    let r = eval(json!({
        "groups": [
            { "id": "ops", "count": 40, "devices_each": 1 },
            { "id": "sales", "count": 10, "devices_each": 1 }
        ],
        "servers": [
            { "id": "sqlA", "product": "sql-server", "version": "2022", "windows_version": "2022", "cores": 4, "sql_licensing": "server-cal" },
            { "id": "sqlB", "product": "sql-server", "version": "2022", "windows_version": "2022", "cores": 4, "sql_licensing": "server-cal" }
        ],
        "access": [
            { "groups": ["ops"], "servers": ["sqlA"] },
            { "groups": ["sales"], "servers": ["sqlB"] }
        ],
        "holdings": [
            { "product": "sql-server", "kind": "user-cal", "version": "2022", "quantity": 40 },
            { "product": "windows-server", "kind": "user-cal", "version": "2022", "quantity": 50 }
        ]
    }));
    let f = find(&r, "sql-per-core-cheaper").map(|f| {
        (
            f.severity,
            f.message.contains("at least 30 of those CALs are owned"),
            f.message
                .contains("costs at most $2,300.00, less than per core"),
        )
    });
    assert_eq!(f, Some((Severity::Info, true, true)));
}

/// Review 13 (D12): 50 owned Exchange Enterprise 2019 User CALs whose only base is 80 Exchange
/// Standard 2016 User CALs, too old for the Exchange 2019 server: that is no base, and the
/// additive note says so as it does for RDS.
#[test]
fn a_base_too_old_for_every_server_is_no_base() {
    let r = eval(json!({
        "groups": [{ "id": "legal", "count": 50, "devices_each": 1 }],
        "servers": [{ "id": "exch", "product": "exchange", "version": "2019", "windows_version": "2019" }],
        "access": [
            { "groups": ["legal"], "servers": ["exch"] },
            { "groups": ["legal"], "servers": ["exch"], "features": ["exchange-enterprise"] }
        ],
        "holdings": [
            { "product": "exchange-enterprise", "kind": "user-cal", "version": "2019", "quantity": 50 },
            { "product": "exchange-standard", "kind": "user-cal", "version": "2016", "quantity": 80 },
            { "product": "windows-server", "kind": "user-cal", "version": "2019", "quantity": 50 }
        ]
    }));
    let f = find(&r, "additive-without-base").map(|f| (f.product, f.message.as_str()));
    assert_eq!(
        f,
        Some((
            Some(CalProduct::ExchangeEnterprise),
            "you own 50 Exchange Enterprise User CALs but no Exchange Standard User CALs new \
             enough for its servers (the other 80 are too old for all of them, so they are no \
             base); the recommendation buys 50 Exchange Standard User CALs, so each of the 50 in \
             use gets its base: an additive CAL is valid only with the base CAL for the same user"
        ))
    );
}

/// Review 13's estate 43: 100 partners on a 2022 session host (2022 RD Licensing server) under
/// the `external-connector` reading, with a $9,000 Windows Server and a $10,000 RDS connector:
/// the recommendation buys the pair and no RDS CAL.
fn rds_connector_pair_at_9000() -> Value {
    json!({
        "organisation": {
            "readings": { "external_additive_base": "external-connector" },
            "prices": [
                { "item": { "product": "windows-server", "kind": "external-connector" }, "amount_minor": 900000 },
                { "item": { "product": "rds", "kind": "external-connector" }, "amount_minor": 1000000 }
            ]
        },
        "groups": [{ "id": "partners", "count": 100, "kind": "partner" }],
        "servers": [{
            "id": "rdsh", "product": "windows-server", "version": "2022", "rds_session_host": true,
            "rds_mode": "per-user", "rd_licensing_server_version": "2022"
        }],
        "access": [{ "groups": ["partners"], "servers": ["rdsh"], "features": ["remote-desktop"] }]
    })
}

/// Review 13 (D13): only an RDS External Connector is bought, no RDS CAL, so nothing bought needs
/// a place on the 2022 RD Licensing server.
#[test]
fn no_licensing_server_warning_when_no_rds_cal_is_bought() {
    let r = eval(rds_connector_pair_at_9000());
    assert_eq!(
        bought(&r, CalProduct::Rds, LicenceKind::ExternalConnector),
        1
    );
    assert_eq!(bought(&r, CalProduct::Rds, LicenceKind::UserCal), 0);
    assert!(find(&r, "rds-licensing-server-older").is_none());
}

/// The connector-to-buy finding does not claim each connector is cheaper than its host's CALs:
/// a Windows Server connector bought because the RDS connector on its host needs it says so
/// (review 13: with a $9,000 Windows Server connector, "cheaper than a CAL for each external
/// user" beside a break-even of 201 users for 100).
#[test]
fn a_connector_bought_for_the_rds_connector_says_so() {
    let r = eval(rds_connector_pair_at_9000());
    let ws = r
        .findings
        .iter()
        .find(|f| {
            f.kind == FindingKind::MissingExternalConnector
                && f.product == Some(CalProduct::WindowsServer)
        })
        .map(|f| f.message.clone())
        .unwrap_or_default();
    assert!(
        ws.contains("rdsh (100 external users; the RDS External Connector there needs it)")
            && !ws.contains("cheaper than a CAL"),
        "{ws}"
    );
}

/// An owned AD RMS connector idle on its own host, because using it needs a Windows Server
/// connector there that costs more than the users' CALs, is named as such, not as kept from
/// "the other host" (review 13: there was no other host).
#[test]
fn a_connector_idle_on_its_own_host_says_why() {
    let r = eval(json!({
        "organisation": {
            "readings": { "external_additive_base": "external-connector" },
            "prices": [
                { "item": { "product": "ad-rms", "kind": "external-connector" }, "amount_minor": 500000 },
                { "item": { "product": "ad-rms", "kind": "user-cal" }, "amount_minor": 3000 },
                { "item": { "product": "ad-rms", "kind": "device-cal" }, "amount_minor": 3000 }
            ]
        },
        "groups": [{ "id": "partners", "count": 30, "kind": "partner" }],
        "servers": [
            { "id": "hv1", "product": "windows-server", "edition": "datacenter", "version": "2022", "virtualization_only": true },
            { "id": "rms1", "product": "windows-server", "version": "2022", "host": "hv1", "vm": true, "ad_rms": true }
        ],
        "access": [{ "groups": ["partners"], "servers": ["rms1"], "features": ["ad-rms"] }],
        "holdings": [{ "product": "ad-rms", "kind": "external-connector", "version": "2022",
                       "quantity": 1, "assigned_to": "hv1" }]
    }));
    assert_eq!(find(&r, "ec-assigned-elsewhere"), None);
    let f = find(&r, "ec-idle-on-its-host");
    assert_eq!(
        f.map(|f| (
            f.severity,
            f.rule.as_str(),
            f.message
                .contains("Windows Server External Connector on the same host")
        )),
        Some((Severity::Info, "ec.rds-needs-ws-ec", true))
    );
    assert_eq!(r.recommendation.total_minor, 30 * (3_000 + 4_500));
}

/// Suites bought for people whose owned Exchange CALs are current: the shortfall names only the
/// products they lack, and says the owned CALs lie idle because the suites cost less than the
/// other parts bought alone (review 13b: it said they need Exchange CALs "beyond those owned").
#[test]
fn a_suite_shortfall_leaves_out_what_owned_cals_would_cover() {
    let r = eval(json!({
        "organisation": { "prices": [
            { "item": { "product": "core-cal-suite", "kind": "user-cal" }, "amount_minor": 10000 },
            { "item": { "product": "core-cal-suite", "kind": "device-cal" }, "amount_minor": 10000 },
            { "item": { "product": "share-point-standard", "kind": "user-cal" }, "amount_minor": 8000 },
            { "item": { "product": "share-point-standard", "kind": "device-cal" }, "amount_minor": 8000 }
        ] },
        "groups": [{ "id": "staff", "count": 60, "devices_each": 2 }],
        "servers": [
            { "id": "dc", "product": "windows-server", "version": "2022" },
            { "id": "exch", "product": "exchange", "version": "2019", "windows_version": "2022" },
            { "id": "sp", "product": "share-point", "version": "2019", "windows_version": "2022" }
        ],
        "access": [{ "groups": ["staff"], "servers": ["dc", "exch", "sp"] }],
        "holdings": [{ "product": "exchange-standard", "kind": "user-cal", "version": "2019", "quantity": 60 }]
    }));
    assert_eq!(r.recommendation.total_minor, 60 * 10_000);
    let message = r
        .findings
        .iter()
        .find(|f| f.kind == FindingKind::Shortfall && f.product == Some(CalProduct::CoreCalSuite))
        .map(|f| f.message.clone())
        .unwrap_or_default();
    assert!(
        message.contains(
            "need Windows Server 2022 and SharePoint Standard 2019 CALs beyond those owned"
        ) && message.contains("which leaves 60 Exchange Standard 2019 CALs you own idle"),
        "{message}"
    );
}

/// Counts of one read in the singular (review 13b: "so 1 of them need CALs").
#[test]
fn one_admin_beyond_the_exemption_needs_its_cals() {
    let r = eval(json!({
        "groups": [{ "id": "it", "count": 3, "devices_each": 1, "admin_only": true }],
        "servers": [{ "id": "dc", "product": "windows-server", "version": "2022" }],
        "access": [{ "groups": ["it"], "servers": ["dc"] }]
    }));
    let message = find(&r, "admin-exemption-overused").map(|f| f.message.clone());
    assert!(
        message
            .as_deref()
            .is_some_and(|m| m.contains("so 1 of them needs its CALs")),
        "{message:?}"
    );
}

/// Review 13b (D8): three admin-only people reach both servers, so one of them needs a SQL CAL
/// and joins the two sets. Moving sqlA alone to per core still frees the 40 sales staff's CALs
/// (only the counted admin also reaches sqlB): the advice names that move, not none.
#[test]
fn one_counted_admin_does_not_hide_a_single_servers_per_core_saving() {
    let r = two_sql_servers(("sales", 40), ("ops", 10), 3);
    let per_core = messages_of(&r, "sql-per-core-cheaper");
    assert_eq!(per_core.len(), 1, "{per_core:?}");
    let m = per_core[0];
    assert!(
        m.starts_with("SQL Server sqlA is licensed Server+CAL, and 40 of the SQL CALs"),
        "{m}"
    );
    assert!(
        m.contains("1 SQL CAL remains for those who also reach sqlB"),
        "{m}"
    );
    // Per core for sqlA ($7,890) in place of its 40 SQL CALs to buy ($9,200).
    let saving = r.largest_saving().map(|f| (f.kind.name(), f.saving_minor));
    assert_eq!(saving, Some(("sql-per-core-cheaper", Some(131_000))));
}

/// Of three servers in one set, moving the two that the large group reaches saves most: moving
/// either alone frees no CAL (the group also reaches the other), and moving all three pays per
/// core for a server five people use.
#[test]
fn sql_per_core_advice_picks_the_servers_whose_move_saves_most() {
    let r = eval(json!({
        "groups": [
            { "id": "big", "count": 80, "devices_each": 1 },
            { "id": "small", "count": 5, "devices_each": 1 },
            { "id": "admins", "count": 3, "devices_each": 1, "admin_only": true }
        ],
        "servers": [
            { "id": "sqlA", "product": "sql-server", "version": "2022", "windows_version": "2022", "cores": 4, "sql_licensing": "server-cal" },
            { "id": "sqlB", "product": "sql-server", "version": "2022", "windows_version": "2022", "cores": 4, "sql_licensing": "server-cal" },
            { "id": "sqlC", "product": "sql-server", "version": "2022", "windows_version": "2022", "cores": 4, "sql_licensing": "server-cal" }
        ],
        "access": [
            { "groups": ["big"], "servers": ["sqlA", "sqlB"] },
            { "groups": ["small"], "servers": ["sqlC"] },
            { "groups": ["admins"], "servers": ["sqlA", "sqlB", "sqlC"] }
        ]
    }));
    let per_core = messages_of(&r, "sql-per-core-cheaper");
    assert_eq!(per_core.len(), 1, "{per_core:?}");
    assert!(
        per_core[0]
            .starts_with("SQL Servers sqlA, sqlB are licensed Server+CAL, and 80 of the SQL CALs"),
        "{}",
        per_core[0]
    );
    assert!(
        per_core[0].contains(
            "per core (4 cores on sqlA, 4 cores on sqlB) would cost $15,780.00 against $20,378.00"
        ),
        "{}",
        per_core[0]
    );
    assert!(per_core[0].contains("1 SQL CAL remains for those who also reach sqlC"));
}

/// Review 14: Exchange Server SE is licensed only while SA is active, so SE CALs bought without
/// SA cover nothing; the purchase priced at the licence-only reference price must say so, and
/// with the user's own price ask whether it includes SA.
#[test]
fn se_cals_bought_need_software_assurance() {
    let estate = |prices: serde_json::Value| {
        json!({
            "organisation": { "prices": prices },
            "groups": [ { "id": "staff", "count": 10, "devices_each": 1 } ],
            "servers": [
                { "id": "exse", "product": "exchange", "version": "SE", "windows_version": "2022" }
            ],
            "access": [ { "groups": ["staff"], "servers": ["exse"] } ]
        })
    };
    let needs_sa = |r: &cal_calc::report::Report| -> Vec<String> {
        r.findings
            .iter()
            .filter(|f| f.kind == FindingKind::SePurchaseNeedsSa)
            .map(|f| format!("{:?}: {}", f.severity, f.message))
            .collect()
    };
    let reference = needs_sa(&eval(estate(json!([]))));
    assert_eq!(reference.len(), 1, "{reference:?}");
    assert!(reference[0].starts_with("Warning: The purchase buys 10 Exchange Standard SE User CALs: Exchange Server SE is licensed only while Software Assurance is active"), "{}", reference[0]);
    assert!(
        reference[0].contains("The reference prices are for the licence alone"),
        "{}",
        reference[0]
    );
    let own = needs_sa(&eval(estate(json!([
        { "item": { "product": "exchange-standard", "kind": "user-cal" }, "amount_minor": 12000 },
        { "item": { "product": "exchange-standard", "kind": "device-cal" }, "amount_minor": 12000 }
    ]))));
    assert_eq!(own.len(), 1, "{own:?}");
    assert!(
        own[0].contains("Check that the prices entered include SA"),
        "{}",
        own[0]
    );
    // A 2019 server: the CALs on sale are SE CALs still, sold only with SA (review 20).
    let mut e2019 = estate(json!([]));
    e2019["servers"][0]["version"] = json!("2019");
    assert_eq!(needs_sa(&eval(e2019)).len(), 1);
}

/// Review 14: Skype for Business CALs whose SA ran past Skype Server SE's release and has since
/// ended count as SE (no source says Skype SE needs active SA, unlike Exchange and SharePoint
/// SE); the report says that this verdict rests on it. With SA still active, no note.
#[test]
fn skype_se_through_ended_sa_is_noted() {
    let estate = |until: &str| {
        json!({
            "groups": [ { "id": "staff", "count": 50, "devices_each": 2 } ],
            "servers": [
                { "id": "dc1", "product": "windows-server", "version": "2022" },
                { "id": "sfb", "product": "skype-for-business", "version": "SE", "windows_version": "2022" }
            ],
            "access": [ { "groups": ["staff"], "servers": ["dc1", "sfb"] } ],
            "holdings": [
                { "product": "windows-server", "kind": "user-cal", "version": "2022", "quantity": 50 },
                { "product": "skype-standard", "kind": "user-cal", "version": "2019", "quantity": 50,
                  "software_assurance": { "since": "2019-01-01", "until": until } }
            ]
        })
    };
    let notes = |r: &cal_calc::report::Report| -> Vec<String> {
        r.findings
            .iter()
            .filter(|f| f.kind == FindingKind::SkypeSeSaUnchecked)
            .map(|f| f.message.clone())
            .collect()
    };
    let ended = notes(&eval(estate("2025-12-31")));
    assert_eq!(ended.len(), 1, "{ended:?}");
    assert!(ended[0].starts_with("50 owned Skype for Business CALs count as covering Skype for Business Server SE through Software Assurance that has since ended"), "{}", ended[0]);
    assert!(notes(&eval(estate("2027-12-31"))).is_empty());
    // SA that ended before SE came out (2025-07-01) never counted as SE: nothing to note.
    assert!(notes(&eval(estate("2024-12-31"))).is_empty());
}

/// The findings that name the same-subject reading of an additive CAL's base, as "kind: message".
fn same_subject_notes(r: &cal_calc::report::Report) -> Vec<String> {
    r.findings
        .iter()
        .filter(|f| f.rule == "additive.base-same-subject")
        .map(|f| format!("{}: {}", f.kind.name(), f.message))
        .collect()
}

/// The `either-subject` reading of an additive CAL's base (the user's choice where sources are
/// silent): the base Device CALs review 14's terminals got only as the base of their RDS Device
/// CALs go, the total falls by what the same-subject note said they cost, the answer stays proven,
/// and a note names the reading chosen in place of the same-subject one.
#[test]
fn the_either_subject_reading_drops_the_base_held_only_for_an_additive() {
    let estate = |reading: &str| {
        json!({
            "organisation": {
                "m365": { "e3_seats": 60, "e5_seats": 0, "channel": "enterprise-agreement" },
                "readings": { "additive_base": reading }
            },
            "groups": [ { "id": "shift", "count": 60, "devices_each": 0, "m365": "e3" } ],
            "shared_devices": [ { "id": "terminals", "count": 10, "shared_by": ["shift"] } ],
            "servers": [
                { "id": "rdsh", "product": "windows-server", "version": "2022", "rds_session_host": true, "rds_mode": "per-device", "rd_licensing_server_version": "2025" }
            ],
            "access": [ { "groups": ["shift"], "servers": ["rdsh"], "features": ["remote-desktop"] } ]
        })
    };
    let (same, either) = (eval(estate("same-subject")), eval(estate("either-subject")));
    assert_eq!(same_subject_notes(&same).len(), 1);
    assert!(same.recommendation.exact && either.recommendation.exact);
    assert_eq!(
        same.recommendation.total_minor - either.recommendation.total_minor,
        40_000,
        "10 Windows Server Device CALs at $40.00"
    );
    assert!(same_subject_notes(&either).is_empty());
    let chosen: Vec<&Finding> = (either.findings.iter())
        .filter(|f| f.rule == "additive.base-any-subject-reading")
        .collect();
    assert_eq!(chosen.len(), 1, "{:?}", either.findings);
    assert_eq!(chosen[0].kind, FindingKind::SourcesDisagree);
    assert!(
        chosen[0]
            .message
            .starts_with("The RDS CALs are additive on the Windows Server CAL."),
        "{}",
        chosen[0].message
    );
    assert!(!(same.findings.iter()).any(|f| f.rule == "additive.base-any-subject-reading"));
    let ws_device = |r: &Report| {
        (r.products.iter())
            .find(|p| p.product == CalProduct::WindowsServer)
            .map_or(0, |p| p.device_cals.value)
    };
    assert_eq!((ws_device(&same), ws_device(&either)), (10, 0));
    // The RDS Device CALs' why says where their base is now, and cites the reading.
    let why = |r: &Report| {
        (r.products.iter())
            .find(|p| p.product == CalProduct::Rds)
            .map(|p| p.device_cals.why.clone())
            .unwrap_or_default()
    };
    let (same_why, either_why) = (why(&same), why(&either));
    assert!(either_why.text.ends_with("; their Windows Server base may also be their users' User CALs or Microsoft 365 rights, the reading chosen under \"Where sources disagree\""), "{}", either_why.text);
    assert!(either_why
        .rules
        .iter()
        .any(|r| r == "additive.base-any-subject-reading"));
    assert!(!same_why
        .rules
        .iter()
        .any(|r| r == "additive.base-any-subject-reading"));
}

/// The reverse mix: people at shared terminals on a session host fixed per user hold RDS User
/// CALs. By default each needs a Windows Server User CAL beneath it; under `either-subject` the
/// terminals' Windows Server Device CALs are their base, as cheap as 10 against 60.
#[test]
fn the_either_subject_reading_lets_a_devices_base_carry_a_users_additive() {
    let estate = |reading: &str| {
        json!({
            "organisation": { "readings": { "additive_base": reading } },
            "groups": [ { "id": "shift", "count": 60, "devices_each": 0 } ],
            "shared_devices": [ { "id": "terminals", "count": 10, "shared_by": ["shift"] } ],
            "servers": [
                { "id": "rdsh", "product": "windows-server", "version": "2022", "rds_session_host": true, "rds_mode": "per-user", "rd_licensing_server_version": "2025" }
            ],
            "access": [ { "groups": ["shift"], "servers": ["rdsh"], "features": ["remote-desktop"] } ]
        })
    };
    let (same, either) = (eval(estate("same-subject")), eval(estate("either-subject")));
    let cals = |r: &Report, product: CalProduct| {
        (r.products.iter())
            .find(|p| p.product == product)
            .map_or((0, 0), |p| (p.user_cals.value, p.device_cals.value))
    };
    assert_eq!(cals(&same, CalProduct::Rds), (60, 0));
    assert_eq!(cals(&either, CalProduct::Rds), (60, 0));
    assert_eq!(cals(&same, CalProduct::WindowsServer), (60, 0));
    assert_eq!(cals(&either, CalProduct::WindowsServer), (0, 10));
    assert!(same.recommendation.exact && either.recommendation.exact);
    assert_eq!(
        same.recommendation.total_minor - either.recommendation.total_minor,
        60 * 4_500 - 10 * 4_000
    );
}

/// The sample estate under `either-subject`: its same-subject note's $7,200.00 (180 Windows
/// Server Device CALs on the Microsoft 365 managers' own devices) is what the total falls by; the
/// report holds together, the owned RDS Device CALs are no longer said to lack their base, and the
/// external users' base question, which this reading answers, is not asked again.
#[test]
fn the_sample_under_the_either_subject_reading_saves_what_its_note_said() {
    let mut e = Estate::from_json(include_str!("../../examples/estates/sample.json"))
        .unwrap_or_else(|e| panic!("{e}"));
    let same = cal_calc::evaluate(&e, AS_OF).unwrap_or_else(|e| panic!("{e}"));
    e.organisation.readings.additive_base = cal_calc::estate::AdditiveBase::EitherSubject;
    let either = cal_calc::evaluate(&e, AS_OF).unwrap_or_else(|e| panic!("{e}"));
    let note = same_subject_notes(&same).join(" ");
    assert!(note.contains("180 Windows Server Device CALs"), "{note}");
    assert!(note.contains("$7,200.00"), "{note}");
    assert_eq!(
        (
            same.recommendation.total_minor,
            either.recommendation.total_minor
        ),
        (20_911_100, 20_191_100)
    );
    assert!(either.recommendation.exact, "{:?}", either.recommendation);
    // The reading's note says what the default comes to, both proven.
    let chosen = (either.findings.iter())
        .find(|f| f.rule == "additive.base-any-subject-reading")
        .map_or("", |f| f.message.as_str());
    assert!(
        chosen.contains("Under the default reading the purchase comes to $209,111.00, $7,200.00 more. This reading can fall short if an auditor asks the base of the same user or device"),
        "{chosen}"
    );
    crate::promises::report_holds_together(&either, "sample, either-subject")
        .unwrap_or_else(|e| panic!("{e}"));
    let rules = |r: &Report| -> Vec<String> { r.findings.iter().map(|f| f.rule.clone()).collect() };
    for gone in [
        "additive.base-same-subject",
        "ext.additive-base-cal-reading",
        "additive.requires-base",
    ] {
        assert!(rules(&same).iter().any(|r| r == gone), "{gone}");
        assert!(!rules(&either).iter().any(|r| r == gone), "{gone}");
    }
    assert!(rules(&either)
        .iter()
        .any(|r| r == "additive.base-any-subject-reading"));
}

/// Review 14: E3 users (who hold the Windows Server CAL right) at per-device RDS terminals. The
/// optimiser asks the base for the same device, so the terminals get Windows Server Device CALs
/// only as the base of their RDS Device CALs; a note names that reading and its cost. Without
/// E3 the users need those Device CALs for Windows Server itself: no note.
#[test]
fn base_device_cals_bought_only_for_an_additive_name_the_reading() {
    let estate = |m365: bool| {
        let mut e = json!({
            "groups": [ { "id": "shift", "count": 60, "devices_each": 0 } ],
            "shared_devices": [ { "id": "terminals", "count": 10, "shared_by": ["shift"] } ],
            "servers": [
                { "id": "rdsh", "product": "windows-server", "version": "2022", "rds_session_host": true, "rds_mode": "per-device", "rd_licensing_server_version": "2025" }
            ],
            "access": [ { "groups": ["shift"], "servers": ["rdsh"], "features": ["remote-desktop"] } ]
        });
        if m365 {
            e["organisation"] = json!({ "m365": { "e3_seats": 60, "e5_seats": 0, "channel": "enterprise-agreement" } });
            e["groups"][0]["m365"] = json!("e3");
        }
        e
    };
    let e3 = same_subject_notes(&eval(estate(true)));
    assert_eq!(e3.len(), 1, "{e3:?}");
    assert!(e3[0].starts_with("sources-disagree: 10 Windows Server Device CALs for terminals are in the licensing only as the base of their RDS Device CALs"), "{}", e3[0]);
    assert!(
        e3[0].contains(
            "up to $400.00 of the purchase: choose that reading under \"Where sources disagree\""
        ),
        "{}",
        e3[0]
    );
    assert!(same_subject_notes(&eval(estate(false))).is_empty());
}

/// ELP review 42: the same reading on people's own devices. E3 managers with 3 devices each on a
/// per-device session host: their 30 devices get Windows Server Device CALs only as the base of
/// their RDS Device CALs ($1,200), and no note named it (only shared devices were looked at).
/// Without E3 the managers need them for Windows Server itself: no note.
#[test]
fn base_device_cals_on_own_devices_bought_only_for_an_additive_name_the_reading() {
    let estate = |m365: bool| {
        let mut e = json!({
            "groups": [ { "id": "mgr", "name": "Managers", "count": 10, "devices_each": 3 } ],
            "servers": [
                { "id": "rdsh", "product": "windows-server", "version": "2022", "rds_session_host": true, "rds_mode": "per-device", "rd_licensing_server_version": "2025" }
            ],
            "access": [ { "groups": ["mgr"], "servers": ["rdsh"], "features": ["remote-desktop"] } ]
        });
        if m365 {
            e["organisation"] = json!({ "m365": { "e3_seats": 10, "e5_seats": 0, "channel": "enterprise-agreement" } });
            e["groups"][0]["m365"] = json!("e3");
        }
        e
    };
    let e3 = same_subject_notes(&eval(estate(true)));
    assert_eq!(e3.len(), 1, "{e3:?}");
    assert!(e3[0].starts_with("sources-disagree: 30 Windows Server Device CALs for the own devices of Managers (10 Microsoft 365 E3) are in the licensing only as the base of their RDS Device CALs"), "{}", e3[0]);
    assert!(
        e3[0].contains(
            "up to $1,200.00 of the purchase: choose that reading under \"Where sources disagree\""
        ),
        "{}",
        e3[0]
    );
    assert!(same_subject_notes(&eval(estate(false))).is_empty());
}

/// A group for [`fewest_uncovered_by_either_suite`]: people, devices each (1 or 2), whether they
/// need Windows Server CALs, whether they need Exchange CALs.
type SuiteGroup = (u32, u32, bool, bool);

/// How many of the needs one product leaves to plain CALs can `users` User CALs and `devices`
/// Device CALs of that product cover: `costs` holds, per need, the Device CALs it takes (its
/// person's devices that hold no Device suite). Device CALs go to the cheapest needs and User
/// CALs to the rest: any set covered by Device CALs can be swapped for as many cheapest ones.
fn most_covered(costs: &mut [u64], users: u64, devices: u64) -> u64 {
    costs.sort_unstable();
    let mut spent = 0;
    let mut by_device = 0;
    for &c in costs.iter() {
        if spent + c > devices {
            break;
        }
        spent += c;
        by_device += 1;
    }
    by_device + users.min(costs.len() as u64 - by_device)
}

/// The fewest needs (one per person per product) left uncovered by the best assignment of
/// `user_suites` User and `device_suites` Device Core CAL Suites and the plain CALs `ws` and
/// `ex` (User, Device) of Windows Server and Exchange; by trying, per group, every number of
/// people given a User suite (`a`), a Device suite on each of their devices (`b`) and, with two
/// devices, a Device suite on one of them (`c`). With the suites placed, each product's plain
/// CALs are placed on their own ([`most_covered`]). A person is covered for a product by a User
/// licence of it or by a Device licence of it on every one of their devices.
fn fewest_uncovered_by_either_suite(
    groups: &[SuiteGroup],
    user_suites: u32,
    device_suites: u32,
    ws: (u64, u64),
    ex: (u64, u64),
) -> u64 {
    fn search(
        groups: &[SuiteGroup],
        placed: &mut Vec<(u32, u32, u32)>,
        user_suites: u32,
        device_suites: u32,
        ws: (u64, u64),
        ex: (u64, u64),
    ) -> u64 {
        let Some(&(n, d, _, _)) = groups.get(placed.len()) else {
            let (mut ws_costs, mut ex_costs) = (Vec::new(), Vec::new());
            for (&(n, d, w, e), &(a, b, c)) in groups.iter().zip(placed.iter()) {
                let mut costs = vec![u64::from(d); (n - a - b - c) as usize];
                costs.extend(std::iter::repeat_n(u64::from(d - 1), c as usize));
                if w {
                    ws_costs.extend_from_slice(&costs);
                }
                if e {
                    ex_costs.extend_from_slice(&costs);
                }
            }
            let left = (ws_costs.len() + ex_costs.len()) as u64;
            return left
                - most_covered(&mut ws_costs, ws.0, ws.1)
                - most_covered(&mut ex_costs, ex.0, ex.1);
        };
        let mut best = u64::MAX;
        for a in 0..=n.min(user_suites) {
            for b in 0..=(n - a).min(device_suites / d) {
                let partial_max = if d == 2 {
                    (n - a - b).min(device_suites - b * d)
                } else {
                    0
                };
                for c in 0..=partial_max {
                    placed.push((a, b, c));
                    let left = search(
                        groups,
                        placed,
                        user_suites - a,
                        device_suites - b * d - c,
                        ws,
                        ex,
                    );
                    placed.pop();
                    best = best.min(left);
                }
            }
        }
        best
    }
    search(groups, &mut Vec::new(), user_suites, device_suites, ws, ex)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Review 16: the suite-split bound with Device suites beside User suites, and people with
    /// two devices. Groups reach a file server, Exchange (on no Windows Server, so its users need
    /// no Windows Server CAL) or both; active suites of each kind, a few owned Windows Server
    /// User CALs, and Device CALs priced low or not so the purchase mixes both kinds. Whoever
    /// holds the suites, the finding's "at least N" must not exceed what the best assignment of
    /// the suites, the owned CALs and the purchase leaves uncovered.
    #[test]
    fn a_suite_split_with_device_suites_never_claims_more_than_every_assignment_leaves(
        groups in prop::collection::vec((1u32..5, 1u32..3, 0usize..3), 1..4),
        user_suites in 0u32..5,
        device_suites in 0u32..5,
        ws_owned in 0u32..3,
        cheap_devices in any::<bool>(),
    ) {
        let access = |reach: usize| match reach {
            0 => json!(["fs"]),
            1 => json!(["ex"]),
            _ => json!(["fs", "ex"]),
        };
        let mut holdings = vec![json!({ "product": "windows-server", "kind": "user-cal",
                                        "version": "2022", "quantity": ws_owned })];
        for (kind, quantity) in [("user-cal", user_suites), ("device-cal", device_suites)] {
            if quantity > 0 {
                holdings.push(json!({ "product": "core-cal-suite", "kind": kind, "quantity": quantity,
                                      "software_assurance": { "since": "2020-01-01" } }));
            }
        }
        let prices = if cheap_devices {
            json!([
                { "item": { "product": "windows-server", "kind": "device-cal" }, "amount_minor": 1000 },
                { "item": { "product": "exchange-standard", "kind": "device-cal" }, "amount_minor": 1000 }
            ])
        } else {
            json!([])
        };
        let e = json!({
            "organisation": { "prices": prices },
            "groups": groups.iter().enumerate()
                .map(|(i, &(n, d, _))| json!({ "id": format!("g{i}"), "count": n, "devices_each": d }))
                .collect::<Vec<_>>(),
            "servers": [{ "id": "fs", "product": "windows-server", "version": "2022" },
                        { "id": "ex", "product": "exchange", "version": "2019" }],
            "access": groups.iter().enumerate()
                .map(|(i, &(_, _, reach))| json!({ "groups": [format!("g{i}")], "servers": access(reach) }))
                .collect::<Vec<_>>(),
            "holdings": holdings
        });
        let r = eval(e.clone());
        let mut bought = std::collections::BTreeMap::new();
        for l in &r.recommendation.lines {
            prop_assert!(
                matches!(l.product, CalProduct::WindowsServer | CalProduct::ExchangeStandard | CalProduct::CoreCalSuite)
                    && matches!(l.kind, LicenceKind::UserCal | LicenceKind::DeviceCal),
                "a purchase the search does not model: {:?} {:?} in {e}", l.product, l.kind
            );
            *bought.entry((l.product, l.kind)).or_insert(0u64) += l.quantity;
        }
        let of = |p: CalProduct, k: LicenceKind| bought.get(&(p, k)).copied().unwrap_or(0);
        let needs: Vec<SuiteGroup> = groups
            .iter()
            .map(|&(n, d, reach)| (n, d, reach != 1, reach != 0))
            .collect();
        let fewest = fewest_uncovered_by_either_suite(
            &needs,
            user_suites + u32::try_from(of(CalProduct::CoreCalSuite, LicenceKind::UserCal)).unwrap_or(u32::MAX),
            device_suites + u32::try_from(of(CalProduct::CoreCalSuite, LicenceKind::DeviceCal)).unwrap_or(u32::MAX),
            (
                u64::from(ws_owned) + of(CalProduct::WindowsServer, LicenceKind::UserCal),
                of(CalProduct::WindowsServer, LicenceKind::DeviceCal),
            ),
            (
                of(CalProduct::ExchangeStandard, LicenceKind::UserCal),
                of(CalProduct::ExchangeStandard, LicenceKind::DeviceCal),
            ),
        );
        prop_assert!(suite_split_excess(&r) <= fewest, "{} > {fewest}: {e}", suite_split_excess(&r));
    }
}

/// Review 17: q1 (SQL 2022, 4 cores) and q2 (SQL 2019) are Server+CAL; 100 people reach both, 30
/// only q2, and 130 SQL 2019 CALs are owned. The 100 need SQL 2022 CALs ($23,000) only because
/// of q1: per core on q1 ($7,890) lets the owned 2019 CALs cover them on q2, a $15,110 saving.
/// Counting them as "covered either way" because they also reach q2 hid it.
fn sql_2022_and_2019_with_owned_2019_cals(q1_licensing: &str) -> Value {
    json!({
        "groups": [{ "id": "a", "count": 100 }, { "id": "b", "count": 30 }],
        "servers": [
            { "id": "q1", "product": "sql-server", "version": "2022", "windows_version": "2022", "cores": 4, "sql_licensing": q1_licensing },
            { "id": "q2", "product": "sql-server", "version": "2019", "windows_version": "2019", "cores": 16, "sql_licensing": "server-cal" }
        ],
        "access": [{ "groups": ["a"], "servers": ["q1", "q2"] }, { "groups": ["b"], "servers": ["q2"] }],
        "holdings": [
            { "product": "sql-server", "kind": "user-cal", "version": "2019", "quantity": 130 },
            { "product": "windows-server", "kind": "user-cal", "version": "2022", "quantity": 130 }
        ]
    })
}

#[test]
fn sql_per_core_counts_the_newer_cals_a_server_alone_makes_people_buy() {
    let r = eval(sql_2022_and_2019_with_owned_2019_cals("server-cal"));
    assert_eq!(r.recommendation.total_minor, 2_300_000);
    let f = find(&r, "sql-per-core-cheaper").expect("per core on q1 is cheaper");
    assert_eq!(f.severity, Severity::Warning);
    assert_eq!(f.saving_minor, Some(2_300_000 - 789_000), "{}", f.message);
    assert!(
        f.message.starts_with("SQL Server q1 is licensed Server+CAL, and 100 of the SQL CALs in the cheapest mix are bought for it alone (those who reach it also reach q2, where owned SQL CALs older than it cover them): per core (4 cores) would cost $7,890.00 against $23,989.00 for its server licence and those CALs; 100 SQL CALs remain for those who also reach q2, 100 of them owned older CALs"),
        "{}",
        f.message
    );
    let sql = |r: &Report, id: &str| {
        r.breakevens
            .iter()
            .find(|b| b.kind == BreakEvenKind::SqlPerCoreVsServerCal && b.subject == id)
            .map(|b| (b.current, b.option_a_minor, b.option_b_minor))
    };
    // Server+CAL on q1 costs its licence and the 100 SQL 2022 CALs; q2 alone the CALs of the
    // 30 who reach only it.
    assert_eq!(sql(&r, "q1"), Some((100, 98_900 + 2_300_000, 789_000)));
    assert_eq!(sql(&r, "q2"), Some((30, 98_900 + 690_000, 3_156_000)));
    let q1 = r
        .breakevens
        .iter()
        .find(|b| b.kind == BreakEvenKind::SqlPerCoreVsServerCal && b.subject == "q1")
        .map(|b| b.why.text.clone())
        .unwrap_or_default();
    assert!(
        q1.contains("100 of them also reach other Server+CAL SQL Servers, but the owned SQL CALs that cover them there are older than this server (SQL Server 2022), so Server+CAL here means 100 newer SQL CALs to buy, counted here"),
        "{q1}"
    );

    // With q1 per core nothing is bought, and its break-even says what Server+CAL would add.
    let r = eval(sql_2022_and_2019_with_owned_2019_cals("per-core"));
    assert_eq!(r.recommendation.total_minor, 0);
    assert!(find(&r, "sql-per-core-cheaper").is_none());
    assert_eq!(sql(&r, "q1"), Some((100, 98_900 + 2_300_000, 789_000)));
}

/// Where the owned CALs are as new as every server, sharing people still keeps them covered
/// either way: per core on the smaller server saves nothing (the review-17 estate with SQL 2022
/// CALs owned).
#[test]
fn sql_cals_new_enough_for_every_server_keep_shared_people_covered() {
    let mut e = sql_2022_and_2019_with_owned_2019_cals("server-cal");
    e["holdings"][0]["version"] = json!("2022");
    let r = eval(e);
    assert_eq!(r.recommendation.total_minor, 0);
    assert!(find(&r, "sql-per-core-cheaper").is_none());
    let q1 = r
        .breakevens
        .iter()
        .find(|b| b.kind == BreakEvenKind::SqlPerCoreVsServerCal && b.subject == "q1")
        .map(|b| {
            (
                b.current,
                b.why.text.contains("whose SQL CALs cover them either way"),
            )
        });
    assert_eq!(q1, Some((0, true)));
}

/// Review 17: under the per-VM reading, a 2019 connector assigned to the physical host hv (which
/// carries vm1 at 2019 and vm2 at 2022, both reached by 200 partners) covers none of the VMs, and
/// the message said "a Connector covers only the physical host it is assigned to (with its VMs)",
/// the opposite of the reading applied. It now says so under that reading and names the VM to
/// assign it to; assigned to vm1 it saves one of the two connectors.
fn connector_on_the_host_under_the_per_vm_reading(assigned_to: &str) -> Value {
    json!({
        "organisation": { "readings": { "external_connector_scope": "per-vm" } },
        "groups": [{ "id": "p", "count": 200, "kind": "partner" }],
        "servers": [
            { "id": "hv", "product": "windows-server", "edition": "datacenter", "version": "2022", "virtualization_only": true },
            { "id": "vm1", "product": "windows-server", "version": "2019", "host": "hv", "vm": true },
            { "id": "vm2", "product": "windows-server", "version": "2022", "host": "hv", "vm": true }
        ],
        "access": [{ "groups": ["p"], "servers": ["vm1", "vm2"] }],
        "holdings": [{ "product": "windows-server", "kind": "external-connector", "version": "2019", "quantity": 1, "assigned_to": assigned_to }]
    })
}

#[test]
fn a_connector_on_the_physical_host_under_the_per_vm_reading_names_the_vm_to_assign_it_to() {
    let r = eval(connector_on_the_host_under_the_per_vm_reading("hv"));
    assert_eq!(r.recommendation.total_minor, 2 * 290_000);
    let f = find(&r, "ec-assigned-elsewhere").expect("the idle connector is named");
    assert_eq!(
        (f.severity, f.rule.as_str()),
        (Severity::Warning, "ec.per-vm-reading")
    );
    assert_eq!(
        f.message,
        "1 Windows Server External Connector assigned to hv, the physical host of vm1 and vm2: under the per-VM reading applied, each VM needs a Connector of its own, so the recommendation uses it for none of its VMs; assign it to vm1 (in an estate file, its assigned_to) and it counts for that VM, or choose the per-host reading of the Product Terms (\"Where sources disagree\" in detailed mode), under which a Connector on hv covers every VM on it"
    );
    assert!(!f.message.contains("with its VMs"));

    let r = eval(connector_on_the_host_under_the_per_vm_reading("vm1"));
    assert_eq!(r.recommendation.total_minor, 290_000);
    assert!(find(&r, "ec-assigned-elsewhere").is_none());
}

/// Docs review 40: under the per-VM reading, a connector assigned to a physical host that is not
/// itself an entry of `servers` was read as unassigned, a pool for any VM: 100 partners on vm1
/// (on host hv) were said covered, $0.00 to buy, no finding. Assigned to hv it covers none of its
/// VMs, as where hv is a server entry.
#[test]
fn a_connector_assigned_to_a_host_that_is_no_server_covers_no_vm_under_the_per_vm_reading() {
    let estate = |assigned_to: &str| {
        json!({
            "organisation": { "readings": { "external_connector_scope": "per-vm" } },
            "groups": [{ "id": "p", "count": 100, "kind": "partner" }],
            "servers": [
                { "id": "vm1", "product": "windows-server", "version": "2022", "host": "hv", "vm": true },
                { "id": "other", "product": "windows-server", "version": "2022", "host": "hw", "vm": true }
            ],
            "access": [{ "groups": ["p"], "servers": ["vm1"] }],
            "holdings": [{ "product": "windows-server", "kind": "external-connector", "version": "2022", "quantity": 1, "assigned_to": assigned_to }]
        })
    };
    let r = eval(estate("hv"));
    assert_eq!(r.recommendation.total_minor, 290_000);
    let f = find(&r, "ec-assigned-elsewhere").expect("the idle connector is named");
    assert_eq!(f.rule, "ec.per-vm-reading");
    assert!(
        f.message.starts_with("1 Windows Server External Connector assigned to hv, the physical host of vm1: under the per-VM reading applied"),
        "{}",
        f.message
    );

    // On the host of a VM that needs none, it is idle: the message says the per-VM reading, not
    // the per-host one's "with its VMs".
    let r = eval(estate("hw"));
    assert_eq!(r.recommendation.total_minor, 290_000);
    let f = find(&r, "ec-assigned-elsewhere").expect("the idle connector is named");
    assert_eq!(f.rule, "ec.per-vm-reading");
    assert!(
        f.message.contains("(1 on hw) while another VM needs one: under the per-VM reading applied, a Connector covers only the VM or physical host it is assigned to, not the VMs on that host, so the recommendation does not use it for the other VM"),
        "{}",
        f.message
    );

    // Assigned to the VM it covers it.
    let r = eval(estate("vm1"));
    assert_eq!(r.recommendation.total_minor, 0);
    assert!(find(&r, "ec-assigned-elsewhere").is_none());
}

/// Review 20: the finding on the external users' additive base stood beside 100 partners on an
/// RDS External Connector, where both readings cost the same: 100 RDS User CALs alone cost more
/// than the connector, so no reading changes the licensing. With 40 partners the User CALs
/// could undercut the connector under the other reading, and it is named.
#[test]
fn the_additive_base_reading_is_named_only_where_it_can_change_the_licensing() {
    let estate = |partners: u32| {
        json!({
            "organisation": { "prices": [
                { "item": { "product": "rds", "kind": "external-connector" }, "amount_minor": 800_000 }
            ] },
            "groups": [{ "id": "p", "count": partners, "kind": "partner" }],
            "servers": [{ "id": "rd", "product": "windows-server", "version": "2022", "rds_session_host": true }],
            "access": [{ "groups": ["p"], "servers": ["rd"], "features": ["remote-desktop"] }]
        })
    };
    let named = |r: &Report| {
        r.findings
            .iter()
            .any(|f| f.rule.starts_with("ext.additive-base"))
    };
    let many = eval(estate(100));
    assert_eq!(
        bought(&many, CalProduct::Rds, LicenceKind::ExternalConnector),
        1
    );
    assert!(!named(&many));
    assert!(named(&eval(estate(40))));
}

/// Review 20: Exchange SE CALs bought for 2019 servers (the CALs on sale cover them) carry the
/// same Software Assurance warning as for SE servers: they are sold only with SA.
#[test]
fn se_cals_bought_for_2019_servers_need_software_assurance_too() {
    let r = eval(json!({
        "groups": [{ "id": "staff", "count": 10 }],
        "servers": [{ "id": "ex", "product": "exchange", "version": "2019", "windows_version": "2022" }],
        "access": [{ "groups": ["staff"], "servers": ["ex"] }]
    }));
    let line = r
        .recommendation
        .lines
        .iter()
        .find(|l| l.product == CalProduct::ExchangeStandard && l.kind == LicenceKind::UserCal)
        .map(|l| (l.version.as_str(), l.quantity));
    assert_eq!(line, Some(("SE", 10)));
    let m = message(&r, "se-purchase-needs-sa");
    assert!(
        m.contains("sold only with Software Assurance or as subscriptions, also where they cover 2019 servers"),
        "{m}"
    );
}

/// Review 20: a session host newer than its RD Licensing server was told to "upgrade it", while
/// the purchase buys CALs newer than the host, which an upgrade to the host's version would not
/// hold either.
#[test]
fn an_old_licensing_server_is_told_which_version_holds_the_cals_bought() {
    let r = eval(json!({
        "groups": [{ "id": "staff", "count": 20 }],
        "servers": [{ "id": "rd", "product": "windows-server", "version": "2022", "rds_session_host": true,
                      "rds_mode": "per-user", "rd_licensing_server_version": "2019" }],
        "access": [{ "groups": ["staff"], "servers": ["rd"], "features": ["remote-desktop"] }]
    }));
    let m = message(&r, "rds-licensing-server-older");
    assert!(
        m.contains("upgrade it to Windows Server 2025, which holds the 2025 RDS CALs bought today, or install CAL keys of the host's version"),
        "{m}"
    );
}

/// Review 20: per core for a SQL Server VM was priced at the licence-only pack price and headed
/// the report as a saving, while SQL Server 2022 and later license a VM per core only with
/// Software Assurance or a subscription. The finding says so, cites that rule, and the saving
/// carries the condition; a physical server's does not.
#[test]
fn a_per_core_saving_on_a_virtual_machine_is_before_its_software_assurance() {
    let estate = |vm: bool| {
        let mut servers = vec![
            json!({ "id": "db", "name": "ERP", "product": "sql-server", "version": "2022",
                                       "windows_version": "2022", "cores": 4 }),
        ];
        if vm {
            servers.push(json!({ "id": "hv", "product": "windows-server", "version": "2022", "virtualization_only": true, "cores": 32 }));
            servers[0]["vm"] = json!(true);
            servers[0]["host"] = json!("hv");
        }
        eval(json!({
            "groups": [{ "id": "staff", "count": 100 }],
            "servers": servers,
            "access": [{ "groups": ["staff"], "servers": ["db"] }]
        }))
    };
    let vm = estate(true);
    let f = find(&vm, "sql-per-core-cheaper").expect("per core is cheaper");
    assert_eq!(f.rule, "sql.per-vm-needs-sa");
    assert!(f.message.ends_with("Licensing the virtual machine ERP per core needs Software Assurance or a subscription (SQL Server 2022 and later), which the price of the core packs here leaves out: the saving is before that cost"), "{}", f.message);
    assert!(f.saving_action().ends_with(", before the Software Assurance or subscription that licensing a virtual machine per core needs"));
    let physical = estate(false);
    let f = find(&physical, "sql-per-core-cheaper").expect("per core is cheaper");
    assert_eq!(f.rule, "sql.core-minimum-and-packs");
    assert_eq!(f.saving_condition, None);
    assert_eq!(f.saving_action(), "by licensing SQL Server per core");
}

/// Review 20: owned CALs counted at a newer version by Software Assurance entered with no end
/// date are named, with the date their SA started; with an end date, or when their own version
/// is enough, nothing is said.
#[test]
fn cals_counted_newer_by_active_software_assurance_are_named() {
    let estate = |sa: Value| {
        json!({
            "groups": [{ "id": "staff", "count": 10 }],
            "servers": [{ "id": "fs", "product": "windows-server", "version": "2025" }],
            "access": [{ "groups": ["staff"], "servers": ["fs"] }],
            "holdings": [{ "product": "windows-server", "kind": "user-cal", "version": "2019",
                           "quantity": 10, "software_assurance": sa }]
        })
    };
    let r = eval(estate(json!({ "since": "2019-06-01" })));
    assert_eq!(
        message(&r, "sa-relied-on"),
        "The position counts 10 Windows Server 2019 User CALs as 2025 (released 2024-11-01) because their Software Assurance (the earliest since 2019-06-01) is entered with no end date, so taken as active to 2026-06-01 and on that release date: keep the agreement that shows it at hand, and if it lapsed, enter the day it ended, which freezes them at the versions current then"
    );
    let lapsed = eval(estate(
        json!({ "since": "2019-06-01", "until": "2025-12-31" }),
    ));
    assert!(find(&lapsed, "sa-relied-on").is_none());
}

/// An empty pool of shared devices is not a device: people who only use shared devices, with
/// none entered yet, get one device each assumed and the warning that says so (pre-sales review
/// 23: 40 people reaching a server needed nothing, "Nothing to buy").
#[test]
fn people_at_an_empty_shared_pool_are_still_counted() {
    let pool = |count: u32| {
        eval(json!({
            "groups": [{ "id": "shift", "count": 40, "devices_each": 0 }],
            "shared_devices": [{ "id": "pool", "count": count, "shared_by": ["shift"] }],
            "servers": [{ "id": "s1", "product": "windows-server", "version": "2022" }],
            "access": [{ "groups": ["shift"], "servers": ["s1"] }]
        }))
    };
    let r = pool(0);
    // 40 assumed devices at $40 a Device CAL, below 40 User CALs at $45.
    assert_eq!(r.recommendation.total_minor, 40 * 4_000);
    assert!(
        message(&r, "devices-assumed").contains("one device each is assumed"),
        "{:?}",
        r.findings
    );
    // With five devices in the pool, those five are what they use.
    let r = pool(5);
    assert_eq!(r.recommendation.total_minor, 5 * 4_000);
    assert!(find(&r, "devices-assumed").is_none());
}

/// Shared devices nobody is named as using reach no server: no CAL, and a warning that says why
/// (pre-sales review 23: 10 kiosks typed before their users vanished from the count).
#[test]
fn shared_devices_nobody_uses_are_named() {
    let r = eval(json!({
        "groups": [{ "id": "emp", "count": 120 }],
        "shared_devices": [{ "id": "kiosks", "name": "Kiosks", "count": 10, "shared_by": [] }],
        "servers": [{ "id": "s1", "product": "windows-server", "version": "2022" }],
        "access": [{ "groups": ["emp"], "servers": ["s1"] }]
    }));
    assert_eq!(r.recommendation.total_minor, 120 * 4_000);
    let m = message(&r, "shared-devices-unused");
    assert!(
        m.starts_with("Kiosks: 10 shared devices that nobody is named as using"),
        "{m}"
    );
    assert_eq!(
        find(&r, "shared-devices-unused").map(|f| f.severity),
        Some(Severity::Warning)
    );
    // Once a group uses them, the warning goes.
    let r = eval(json!({
        "groups": [{ "id": "emp", "count": 120 }, { "id": "shift", "count": 30, "devices_each": 0 }],
        "shared_devices": [{ "id": "kiosks", "count": 10, "shared_by": ["shift"] }],
        "servers": [{ "id": "s1", "product": "windows-server", "version": "2022" }],
        "access": [{ "groups": ["emp", "shift"], "servers": ["s1"] }]
    }));
    assert!(find(&r, "shared-devices-unused").is_none());
}

/// A group of nobody (count 0) names no one: the report is the one without it, wherever it is
/// listed and whatever it is marked. Kiosks and printers only it was named as using were said
/// to be in use (no `shared-devices-unused` warning, no `unattended-users-unnamed` note), and a
/// second group marked Microsoft 365 E3 with nobody in it added to `m365-seats-short` the note
/// that the seats went to some groups first.
#[test]
fn a_group_of_nobody_changes_no_finding() {
    let estate = |nobody: Option<Value>| {
        let mut e = json!({
            "groups": [{ "id": "staff", "count": 20, "devices_each": 2 },
                       { "id": "mgr", "count": 5, "m365": "e3" },
                       { "id": "ops", "count": 3, "admin_only": true }],
            "organisation": { "m365": { "e3_seats": 3 } },
            "shared_devices": [
                { "id": "kiosks", "name": "Kiosks", "count": 4, "shared_by": [] },
                { "id": "printers", "name": "Printers", "count": 3, "unattended": true,
                  "shared_by": [], "accesses": ["fs"] }],
            "servers": [{ "id": "fs", "product": "windows-server", "version": "2022" }],
            "access": [{ "groups": ["staff", "mgr", "ops"], "servers": ["fs"] }]
        });
        if let Some(g) = nobody {
            e["groups"].as_array_mut().unwrap().insert(0, g);
            e["access"][0]["groups"]
                .as_array_mut()
                .unwrap()
                .push(json!("nobody"));
            for pool in e["shared_devices"].as_array_mut().unwrap() {
                pool["shared_by"]
                    .as_array_mut()
                    .unwrap()
                    .push(json!("nobody"));
            }
        }
        eval(e)
    };
    let without = estate(None);
    for kind in [
        "shared-devices-unused",
        "unattended-users-unnamed",
        "m365-seats-short",
    ] {
        assert!(
            find(&without, kind).is_some(),
            "{kind}: {:?}",
            without.findings
        );
    }
    for nobody in [
        json!({ "id": "nobody", "count": 0 }),
        json!({ "id": "nobody", "count": 0, "devices_each": 0, "m365": "e3" }),
        json!({ "id": "nobody", "count": 0, "admin_only": true, "m365": "e3" }),
        json!({ "id": "nobody", "count": 0, "kind": "partner", "admin_only": true }),
    ] {
        let with = estate(Some(nobody.clone()));
        assert!(with == without, "{nobody}: {:?}", with.findings);
    }
}

/// The same for the SQL Server per-core advice and the External Connector reading: a group of
/// nobody reaching three Server+CAL SQL Servers joined them into one set ("42 of the SQL CALs
/// … are for those who reach no other Server+CAL server" where the servers share no one), and
/// partners of nobody on every VM counted those VMs as reached by external users.
#[test]
fn a_group_of_nobody_joins_no_sql_servers_and_reaches_no_vm() {
    let estate = |nobody: Option<Value>| {
        let sql = |id: &str, cores: u32| {
            json!({ "id": id, "product": "sql-server", "version": "2022", "windows_version": "2022",
                    "sql_licensing": "server-cal", "cores": cores, "host": "hv", "vm": true })
        };
        let access = |g: &str, s: Value| json!({ "groups": [g], "servers": s });
        let mut e = json!({
            "groups": [{ "id": "a", "count": 40 }, { "id": "b", "count": 60 },
                       { "id": "c", "count": 90 }, { "id": "partners", "count": 30, "kind": "partner" }],
            "servers": [sql("q1", 4), sql("q2", 8), sql("q3", 16),
                        { "id": "hv", "product": "windows-server", "version": "2022",
                          "virtualization_only": true },
                        { "id": "web", "product": "windows-server", "version": "2022",
                          "host": "hv", "vm": true }],
            "access": [access("a", json!(["q1"])), access("b", json!(["q2"])),
                       access("c", json!(["q3"])), access("partners", json!(["web"]))]
        });
        if let Some(g) = nobody {
            e["groups"].as_array_mut().unwrap().push(g);
            e["access"]
                .as_array_mut()
                .unwrap()
                .push(access("nobody", json!(["q1", "q2", "q3", "web"])));
        }
        eval(e)
    };
    let without = estate(None);
    assert!(
        find(&without, "sql-per-core-cheaper").is_some(),
        "{:?}",
        without.findings
    );
    for nobody in [
        json!({ "id": "nobody", "count": 0 }),
        json!({ "id": "nobody", "count": 0, "kind": "partner" }),
    ] {
        let with = estate(Some(nobody.clone()));
        assert!(with == without, "{nobody}: {:?}", with.findings);
    }
}

/// A shortfall cites the requirement of its own product where the rules give one: RDS and AD
/// RMS their CAL rules, SQL Server the general CAL requirement with Microsoft's guidance for
/// every Server and CAL product as its source, not the Windows Server terms alone (why review 24).
#[test]
fn shortfalls_cite_their_own_products_requirement() {
    let r = eval(json!({
        "groups": [{ "id": "staff", "count": 10 }],
        "servers": [
            { "id": "ts", "product": "windows-server", "version": "2025",
              "rds_session_host": true, "rds_mode": "per-user" },
            { "id": "db", "product": "sql-server", "version": "2022" }
        ],
        "access": [
            { "groups": ["staff"], "servers": ["ts", "db"] },
            { "groups": ["staff"], "servers": ["ts"], "features": ["remote-desktop", "ad-rms"] }
        ],
        "holdings": [{ "product": "windows-server", "kind": "user-cal", "version": "2025", "quantity": 1 }]
    }));
    let rule = |product: CalProduct| {
        r.findings
            .iter()
            .find(|f| f.kind == FindingKind::Shortfall && f.product == Some(product))
            .map(|f| (f.rule.as_str(), f.source.contains("Base-and-Additive-CALs")))
    };
    assert_eq!(
        rule(CalProduct::Rds),
        Some(("rds.cal-required-on-session-host", false))
    );
    assert_eq!(
        rule(CalProduct::AdRms),
        Some(("adrms.additive-on-ws-cal", false))
    );
    assert_eq!(
        rule(CalProduct::SqlServer),
        Some(("cal.required-for-access", true))
    );
    assert_eq!(
        rule(CalProduct::WindowsServer),
        Some(("cal.required-for-access", true))
    );
}

/// Owned CALs older than every server: the servers named include newer ones, and the message
/// says so ("the 2016 and newer servers"), not "the 2016 servers" over a 2019 one (why review 24).
#[test]
fn a_version_gap_over_newer_servers_says_and_newer() {
    // The why review's estate: Finance reaches a 2016 server only, Operations a 2019 one too,
    // and 10 owned 2016 Device CALs; the 2012 User CALs cover neither.
    let r = eval(json!({
        "groups": [
            { "id": "ops", "name": "Operations", "count": 80, "devices_each": 1 },
            { "id": "fin", "name": "Finance", "count": 25, "devices_each": 2 }
        ],
        "servers": [
            { "id": "app", "name": "App 2016", "product": "windows-server", "version": "2016" },
            { "id": "db", "name": "MES database", "product": "sql-server", "version": "2022", "windows_version": "2019" }
        ],
        "access": [
            { "groups": ["ops"], "servers": ["db", "app"] },
            { "groups": ["fin"], "servers": ["app"] }
        ],
        "holdings": [
            { "product": "windows-server", "kind": "user-cal", "version": "2012", "quantity": 100 },
            { "product": "windows-server", "kind": "device-cal", "version": "2016", "quantity": 10 }
        ]
    }));
    let m = message(&r, "version-gap");
    assert!(
        m.contains("cannot cover the 2016 and newer servers: App 2016 (2016), MES database (2019)"),
        "{m}"
    );
    // One version only: as before.
    let r = eval(json!({
        "groups": [{ "id": "staff", "count": 10 }],
        "servers": [{ "id": "old", "name": "App 2016", "product": "windows-server", "version": "2016" }],
        "access": [{ "groups": ["staff"], "servers": ["old"] }],
        "holdings": [{ "product": "windows-server", "kind": "user-cal", "version": "2012", "quantity": 10 }]
    }));
    let m = message(&r, "version-gap");
    assert!(
        m.contains("cannot cover the 2016 servers: App 2016 (2016)"),
        "{m}"
    );
}

/// The per-core saving is what the purchase loses with the server per core, less the core
/// licences (why review 24): 120 shop-floor people at 50 kiosks reach one Server+CAL SQL Server
/// and 40 Finance people another; the first's clients hold 50 Device CALs, not the 90 SQL CALs
/// of both, so per core there would cost $4,280 more and no saving is offered; the second's 40
/// User CALs ($9,200) against 4 cores ($7,890) save $1,310.
#[test]
fn the_per_core_saving_is_the_purchase_it_takes_off() {
    let r = eval(json!({
        "groups": [
            { "id": "floor", "name": "Shop floor", "count": 120, "devices_each": 0 },
            { "id": "fin", "name": "Finance", "count": 40, "devices_each": 1 }
        ],
        "shared_devices": [{ "id": "kiosks", "count": 50, "shared_by": ["floor"] }],
        "servers": [
            { "id": "mes", "name": "MES database", "product": "sql-server", "version": "2022",
              "cores": 8, "sql_licensing": "server-cal" },
            { "id": "findb", "name": "Finance database", "product": "sql-server", "version": "2022",
              "cores": 4, "sql_licensing": "server-cal" }
        ],
        "access": [
            { "groups": ["floor"], "servers": ["mes"] },
            { "groups": ["fin"], "servers": ["findb"] }
        ]
    }));
    let per_core: Vec<(&str, Option<i64>)> = r
        .findings
        .iter()
        .filter(|f| f.kind == FindingKind::SqlPerCoreCheaper)
        .map(|f| (f.message.as_str(), f.saving_minor))
        .collect();
    assert_eq!(per_core.len(), 1, "{per_core:?}");
    assert!(
        per_core[0].0.starts_with("SQL Server Finance database"),
        "{per_core:?}"
    );
    assert_eq!(per_core[0].1, Some(131_000));
}

/// A saving the counts misjudge is given as the purchase it takes off (why review 24's estate
/// C: 126 SQL CALs were counted for MES database and $8,600 offered; evaluated with it per
/// core the purchase is $18,630 less, so per core at $15,780 saves $2,850).
#[test]
fn a_misjudged_per_core_saving_is_given_as_evaluated() {
    let r = eval(json!({
        "groups": [
            { "id": "ops", "name": "Operations", "count": 80, "devices_each": 1 },
            { "id": "fin", "name": "Finance", "count": 25, "devices_each": 2 },
            { "id": "floor", "name": "Shop floor", "count": 120, "devices_each": 0 }
        ],
        "shared_devices": [
            { "id": "kiosks", "name": "Floor kiosks", "count": 15, "shared_by": ["floor"] },
            { "id": "sensors", "name": "Line sensors", "count": 6, "unattended": true, "accesses": ["sql1"] }
        ],
        "servers": [
            { "id": "fs", "name": "File server 2012 R2", "product": "windows-server", "version": "2012 R2" },
            { "id": "app", "name": "App server 2016", "product": "windows-server", "version": "2016" },
            { "id": "sql1", "name": "MES database", "product": "sql-server", "version": "2022", "windows_version": "2019", "cores": 8, "sql_licensing": "server-cal" },
            { "id": "sql2", "name": "Finance database", "product": "sql-server", "version": "2016", "windows_version": "2016", "cores": 4, "sql_licensing": "server-cal" }
        ],
        "access": [
            { "groups": ["ops", "fin", "floor"], "servers": ["fs"] },
            { "groups": ["ops", "floor"], "servers": ["sql1", "app"] },
            { "groups": ["fin"], "servers": ["sql2", "app"] }
        ],
        "holdings": [
            { "product": "windows-server", "kind": "user-cal", "version": "2012", "quantity": 100 },
            { "product": "windows-server", "kind": "device-cal", "version": "2016", "quantity": 10 },
            { "product": "sql-server", "kind": "user-cal", "version": "2016", "quantity": 60 },
            { "product": "sql-server", "kind": "user-cal", "version": "2019", "quantity": 20, "software_assurance": { "since": "2019-12-01" } }
        ]
    }));
    let f = find(&r, "sql-per-core-cheaper").expect("a per-core finding");
    assert!(
        f.message.starts_with("SQL Server MES database"),
        "{}",
        f.message
    );
    assert!(
        f.message.contains("evaluated with it per core, the purchase is $18,630.00 less, so per core saves $2,850.00"),
        "{}",
        f.message
    );
    assert_eq!(f.saving_minor, Some(285_000));
}

/// Two session hosts, each on its own RD Licensing server (review 25, t7/t16): `ls_old` is the
/// licensing server of the 20 people of `old` on `rdsh_old`, 2025 that of the 10 of `new` on
/// `rdsh_new`; `rds` are the RDS User CALs owned as (version, quantity).
fn two_licensing_servers(old: &str, ls_old: &str, new: &str, rds: &[(&str, u32)]) -> Value {
    let mut holdings = vec![
        json!({ "product": "windows-server", "kind": "user-cal", "version": "2025", "quantity": 30 }),
    ];
    for (v, q) in rds {
        holdings.push(json!({ "product": "rds", "kind": "user-cal", "version": v, "quantity": q }));
    }
    json!({
        "groups": [{ "id": "old", "count": 20, "devices_each": 1 }, { "id": "new", "count": 10, "devices_each": 1 }],
        "servers": [
            { "id": "rdsh_old", "product": "windows-server", "version": old, "rds_session_host": true,
              "rds_mode": "per-user", "rd_licensing_server_version": ls_old },
            { "id": "rdsh_new", "product": "windows-server", "version": new, "rds_session_host": true,
              "rds_mode": "per-user", "rd_licensing_server_version": new }
        ],
        "access": [
            { "groups": ["old"], "servers": ["rdsh_old"], "features": ["remote-desktop"] },
            { "groups": ["new"], "servers": ["rdsh_new"], "features": ["remote-desktop"] }
        ],
        "holdings": holdings
    })
}

/// Review 39 (t30): a 2008 R2 RD Licensing server was said to run "Windows Server 2008", the
/// name of the CAL generation it holds; the finding names the version entered.
#[test]
fn an_rd_licensing_server_is_named_by_the_version_it_runs() {
    let r = eval(json!({
        "groups": [{ "id": "u", "count": 5, "devices_each": 1 }],
        "servers": [
            { "id": "rd2", "product": "windows-server", "version": "2008 R2", "rds_session_host": true,
              "rds_mode": "per-user", "rd_licensing_server_version": "2008 R2" }
        ],
        "access": [{ "groups": ["u"], "servers": ["rd2"], "features": ["remote-desktop"] }],
        "holdings": [
            { "product": "windows-server", "kind": "user-cal", "version": "2012 R2", "quantity": 5 },
            { "product": "rds", "kind": "user-cal", "version": "2012", "quantity": 5 }
        ]
    }));
    let f = find(&r, "rds-licensing-server-older").expect("a finding");
    assert!(
        f.message.starts_with(
            "the RD Licensing server for rd2 (2008 R2) runs Windows Server 2008 R2, older than your 2012 RDS CALs in use"
        ),
        "{}",
        f.message
    );
    // The keys it could take are still named by their CAL generation.
    assert!(
        f.message.contains("or install 2008 CAL keys"),
        "{}",
        f.message
    );
}

/// Review 25 (t7): 2022 RDS CALs in use only on a 2022 host, whose licensing server is 2022,
/// made the 2019 licensing server of the other host "older than your 2022 RDS CALs in use" and
/// the report not compliant. Each licensing server holds the CALs of its own hosts' users
/// (cal-rules §1.4, `rds.licensing-server-version`).
#[test]
fn each_rd_licensing_server_is_held_to_the_cals_of_its_own_hosts() {
    let r = eval(two_licensing_servers(
        "2019",
        "2019",
        "2022",
        &[("2019", 20), ("2022", 10)],
    ));
    assert!(
        find(&r, "rds-licensing-server-older").is_none(),
        "{:#?}",
        r.findings
    );
    assert!(!r.findings.iter().any(|f| f.needs_more_than_the_purchase()));
    // With 30 2022 CALs and no 2019 ones, 20 of them must serve the 2019 host's users on its
    // 2019 licensing server: that one is named, the 2022 one is not.
    let r = eval(two_licensing_servers(
        "2019",
        "2019",
        "2022",
        &[("2022", 30)],
    ));
    let f = find(&r, "rds-licensing-server-older").expect("a finding");
    assert_eq!(f.severity, Severity::Critical);
    assert!(
        f.message
            .starts_with("the RD Licensing server for rdsh_old (2019) runs Windows Server 2019, older than your 2022 RDS CALs in use"),
        "{}",
        f.message
    );
    assert_eq!(
        r.findings
            .iter()
            .filter(|f| f.kind == FindingKind::RdsLicensingServerOlder)
            .count(),
        1
    );
}

/// Review 25 (t16): the only RDS CALs bought are for a 2025 host on a 2025 licensing server,
/// yet the 2019 licensing server of a fully licensed 2019 host was warned that it cannot hold
/// "the RDS CALs bought today". When that host's users need CALs bought too, it is.
#[test]
fn rds_cals_bought_concern_only_the_licensing_servers_of_their_hosts() {
    let r = eval(two_licensing_servers(
        "2019",
        "2019",
        "2025",
        &[("2019", 20)],
    ));
    assert_eq!(bought(&r, CalProduct::Rds, LicenceKind::UserCal), 10);
    assert!(
        find(&r, "rds-licensing-server-older").is_none(),
        "{:#?}",
        r.findings
    );
    let r = eval(two_licensing_servers("2019", "2019", "2025", &[]));
    assert_eq!(bought(&r, CalProduct::Rds, LicenceKind::UserCal), 30);
    let f = find(&r, "rds-licensing-server-older").expect("a finding");
    assert_eq!(f.severity, Severity::Warning);
    assert!(
        f.message.starts_with(
            "the RDS CALs bought today are 2025 CALs, which a Windows Server 2019 RD Licensing server (the one for rdsh_old) cannot hold"
        ),
        "{}",
        f.message
    );
}

/// Review 25 (t6): one 2019 licensing server serves a 2019 and a 2022 host, with 2022 CALs in
/// use on the latter. "Install 2019 CAL keys" would lock out the 2022 host, whose RDS CALs must
/// be at least 2022 (`rds.cal-version-matrix`): the advice is to upgrade, and says why not the
/// keys.
#[test]
fn an_old_licensing_server_of_a_newer_host_is_not_told_to_take_older_keys() {
    let mut estate = two_licensing_servers("2019", "2019", "2022", &[("2019", 20), ("2022", 10)]);
    estate["servers"][1]["rd_licensing_server_version"] = json!("2019");
    let r = eval(estate);
    let m = message(&r, "rds-licensing-server-older");
    assert!(
        m.contains("older than your 2022 RDS CALs in use: it cannot hold or issue them; upgrade it to 2022 or later"),
        "{m}"
    );
    assert!(!m.contains("down-version"), "{m}");
    assert!(
        m.contains("session host rdsh_new (2022) needs RDS CALs of at least its own version"),
        "{m}"
    );
}

/// Review 25 (t19, t12): the mode-switch finding said "your owned RDS CALs of the other kind lie
/// idle" where the idle ones were of the same kind, too old for the host, and stay idle after
/// the switch; the saving came from licensing 5 desks instead of 50 people. The idle reason is
/// given only for idle CALs of the kind the switch lets the host issue, new enough for it.
#[test]
fn a_mode_switch_is_said_to_use_idle_cals_only_when_it_does() {
    let estate = |mode: &str, holding: Value| {
        json!({
            "groups": [{ "id": "shift", "count": 50, "devices_each": 0 }],
            "shared_devices": [{ "id": "desks", "count": 5, "shared_by": ["shift"] }],
            "servers": [{ "id": "rdsh", "product": "windows-server", "version": "2022",
                          "rds_session_host": true, "rds_mode": mode,
                          "rd_licensing_server_version": "2025" }],
            "access": [{ "groups": ["shift"], "servers": ["rdsh"], "features": ["remote-desktop"] }],
            "holdings": [holding]
        })
    };
    let rds = |kind: &str, version: &str, quantity: u32| json!({ "product": "rds", "kind": kind, "version": version, "quantity": quantity });
    // 50 RDS 2019 User CALs, too old for the 2022 host, idle either way.
    let r = eval(estate("per-user", rds("user-cal", "2019", 50)));
    let m = message(&r, "rds-mode-switch-saves");
    assert!(m.starts_with("switching rdsh to per device"), "{m}");
    assert!(!m.contains("idle"), "{m}");
    assert!(
        m.ends_with(": the RDS Device CALs it would issue, with the Windows Server CALs beneath them, cost less to buy for these users and devices than the User CALs it issues now"),
        "{m}"
    );
    // With the Windows Server CALs owned for both kinds, the saving is in RDS CALs only.
    let mut owned_base = estate("per-user", rds("user-cal", "2019", 50));
    let holdings = owned_base["holdings"].as_array_mut().expect("holdings");
    holdings.push(json!({ "product": "windows-server", "kind": "user-cal", "version": "2022", "quantity": 50 }));
    holdings.push(json!({ "product": "windows-server", "kind": "device-cal", "version": "2022", "quantity": 5 }));
    let m = message(&eval(owned_base), "rds-mode-switch-saves");
    assert!(
        m.ends_with("$7,200.00 less: the RDS Device CALs it would issue cost less to buy for these users and devices than the User CALs it issues now"),
        "{m}"
    );
    // 5 RDS 2019 Device CALs are idle on the per-user host, but too old for it after the switch.
    let r = eval(estate("per-user", rds("device-cal", "2019", 5)));
    let m = message(&r, "rds-mode-switch-saves");
    assert!(m.starts_with("switching rdsh to per device"), "{m}");
    assert!(!m.contains("idle"), "{m}");
    // 5 RDS 2022 Device CALs: those the switch puts to use.
    let r = eval(estate("per-user", rds("device-cal", "2022", 5)));
    let m = message(&r, "rds-mode-switch-saves");
    assert!(
        m.starts_with(
            "your owned RDS CALs of the other kind lie idle: switching rdsh to per device"
        ),
        "{m}"
    );
    // t12 the other way: 20 people with 2 devices each on a per-device host, 20 RDS 2019 User
    // CALs owned, too old for the 2022 host.
    let r = eval(json!({
        "groups": [{ "id": "a", "count": 20, "devices_each": 2 }],
        "servers": [{ "id": "rdsh", "product": "windows-server", "version": "2022", "rds_session_host": true,
                      "rds_mode": "per-device", "rd_licensing_server_version": "2025" }],
        "access": [{ "groups": ["a"], "servers": ["rdsh"], "features": ["remote-desktop"] }],
        "holdings": [
            { "product": "windows-server", "kind": "user-cal", "version": "2022", "quantity": 20 },
            { "product": "rds", "kind": "user-cal", "version": "2019", "quantity": 20 }
        ]
    }));
    let m = message(&r, "rds-mode-switch-saves");
    assert!(
        m.starts_with("switching rdsh to per user") && m.ends_with(": the RDS User CALs it would issue, with the Windows Server CALs beneath them, cost less to buy for these users and devices than the Device CALs it issues now"),
        "{m}"
    );
}

/// Review 17's estate: a per-user host's owned RDS User CALs are in use and the switch to per
/// device saves only the Windows Server User CALs beneath them; neither idle CALs nor cheaper
/// RDS CALs are the reason.
#[test]
fn a_mode_switch_that_saves_base_cals_says_so() {
    let r = eval(json!({
        "groups": [{ "id": "nurses", "count": 300, "devices_each": 0 }, { "id": "docs", "count": 50, "devices_each": 3 }],
        "shared_devices": [{ "id": "ws", "count": 60, "shared_by": ["nurses", "docs"] }],
        "servers": [{ "id": "rd1", "product": "windows-server", "version": "2022", "rds_session_host": true,
                      "rds_mode": "per-device", "rd_licensing_server_version": "2025" },
                    { "id": "rd2", "product": "windows-server", "version": "2019", "rds_session_host": true,
                      "rds_mode": "per-user", "rd_licensing_server_version": "2025" }],
        "access": [{ "groups": ["nurses", "docs"], "servers": ["rd1"], "features": ["remote-desktop"] },
                   { "groups": ["docs"], "servers": ["rd2"], "features": ["remote-desktop"] }],
        "holdings": [{ "product": "rds", "kind": "user-cal", "version": "2019", "quantity": 50 },
                     { "product": "windows-server", "kind": "device-cal", "version": "2022", "quantity": 60 }]
    }));
    let m = message(&r, "rds-mode-switch-saves");
    assert_eq!(
        m,
        "switching rd2 to per device (a setting on the host) would make the purchase $39,600.00 instead of $41,850.00, $2,250.00 less: the RDS CALs it would issue need fewer Windows Server CALs bought beneath them than those it issues now"
    );
}

/// Review 39 (t23): switching to per device bought as many Windows Server CALs as before, ten
/// Device CALs at $40 in place of ten User CALs at $45, and the finding said "fewer". It says
/// what is so: they cost less.
#[test]
fn a_mode_switch_that_buys_cheaper_base_cals_does_not_call_them_fewer() {
    let r = eval(json!({
        "organisation": { "prices": [{ "item": { "product": "rds", "kind": "external-connector" }, "amount_minor": 500000 }] },
        "groups": [{ "id": "partners", "count": 100, "kind": "partner" }, { "id": "staff", "count": 10 }],
        "servers": [
            { "id": "hv", "product": "windows-server", "edition": "datacenter", "version": "2022", "virtualization_only": true },
            { "id": "rdsh", "product": "windows-server", "version": "2022", "host": "hv", "vm": true, "rds_session_host": true,
              "rds_mode": "per-user", "rd_licensing_server_version": "2025" },
            { "id": "fs", "product": "windows-server", "version": "2022", "host": "hv", "vm": true }
        ],
        "access": [{ "groups": ["partners", "staff"], "servers": ["rdsh"], "features": ["remote-desktop"] },
                   { "groups": ["staff"], "servers": ["fs"] }]
    }));
    let m = message(&r, "rds-mode-switch-saves");
    assert_eq!(
        m,
        "switching rdsh to per device (a setting on the host) would make the purchase $9,900.00 instead of $9,950.00, $50.00 less: the Windows Server CALs to buy beneath the RDS CALs it would issue cost less than those beneath the ones it issues now"
    );
}

/// Review 25 (t10): an owned 2016 External Connector assigned to hostA "cannot cover the 2019
/// servers: vmA2 (2019), vmB1 (2019)", though vmB1 is on hostB, which another connector covers,
/// and a connector covers only the host it is assigned to (cal-rules §1.6). Only hostA's server
/// is named; unassigned, the connector could go to either host.
#[test]
fn a_version_gap_of_an_assigned_connector_names_only_its_host_s_servers() {
    let estate = |assigned: bool| {
        let mut old = json!({ "product": "windows-server", "kind": "external-connector", "version": "2016", "quantity": 1 });
        if assigned {
            old["assigned_to"] = json!("hostA");
        }
        json!({
            "groups": [{ "id": "partners", "count": 200, "kind": "partner", "devices_each": 1 }],
            "servers": [
                { "id": "hostA", "product": "windows-server", "version": "2022", "edition": "datacenter", "virtualization_only": true },
                { "id": "hostB", "product": "windows-server", "version": "2019", "edition": "datacenter", "virtualization_only": true },
                { "id": "vmA1", "product": "windows-server", "version": "2016", "host": "hostA", "vm": true },
                { "id": "vmA2", "product": "windows-server", "version": "2019", "host": "hostA", "vm": true },
                { "id": "vmB1", "product": "windows-server", "version": "2019", "host": "hostB", "vm": true }
            ],
            "access": [{ "groups": ["partners"], "servers": ["vmA1", "vmA2", "vmB1"] }],
            "holdings": [
                { "product": "windows-server", "kind": "external-connector", "version": "2022", "quantity": 1, "assigned_to": "hostB" },
                old
            ]
        })
    };
    let gap = |r: &Report| {
        r.findings
            .iter()
            .find(|f| f.kind == FindingKind::VersionGap && f.message.contains("External Connector"))
            .map(|f| f.message.clone())
            .unwrap_or_default()
    };
    let m = gap(&eval(estate(true)));
    assert!(
        m.starts_with("1 owned Windows Server 2016 External Connector cannot cover the 2019 servers: vmA2 (2019)."),
        "{m}"
    );
    let m = gap(&eval(estate(false)));
    assert!(m.contains("vmA2 (2019), vmB1 (2019)"), "{m}");
}

/// 50 staff with Microsoft 365 E3 bought through CSP reach an Exchange 2019 server. Under the
/// volume-licensing-only reading the seats give no CALs and Exchange SE CALs are bought: the
/// finding does not advise subscriptions such as E3/E5 to users who hold E3, but says which
/// seats would cover them (review 27).
#[test]
fn se_purchase_advice_follows_the_channel_reading() {
    let estate = |readings: Value| {
        json!({
            "organisation": { "m365": { "e3_seats": 50, "channel": "csp" }, "readings": readings },
            "groups": [{ "id": "staff", "count": 50, "m365": "e3" },
                       { "id": "temps", "count": 5 }],
            "servers": [{ "id": "ex", "product": "exchange", "version": "2019", "windows_version": "2022" }],
            "access": [{ "groups": ["staff", "temps"], "servers": ["ex"] }]
        })
    };
    let refused = message(
        &eval(estate(
            json!({ "m365_equivalency": "volume-licensing-only" }),
        )),
        "se-purchase-needs-sa",
    );
    assert!(!refused.contains("subscriptions such as"), "{refused}");
    assert!(
        refused.contains("E3/E5 seats bought through a volume-licensing channel")
            && refused.contains("bought through CSP count as no CALs"),
        "{refused}"
    );
    // Under the default reading the temps alone need CALs, and subscriptions are the other way.
    let default = message(&eval(estate(json!({}))), "se-purchase-needs-sa");
    assert!(
        default.ends_with("Or cover these users by subscriptions such as Microsoft 365 E3/E5"),
        "{default}"
    );
}

/// Licensing review 41: two Server+CAL SQL Servers used by the same 40 people. A SQL CAL covers
/// both, so one server's break-even counts 0 people and shows Server+CAL at the server licence
/// alone, beside a finding that moving both to per core together saves money. The chart names
/// the people it leaves out and says it weighs that server alone; where nobody is left out
/// there is no note.
#[test]
fn sql_break_even_names_the_people_counted_at_other_sql_servers() {
    let r = eval(json!({
        "groups": [{ "id": "staff", "count": 40 }],
        "servers": [{ "id": "sqla", "product": "sql-server", "version": "2022", "cores": 4, "sql_licensing": "server-cal" },
                    { "id": "sqlb", "product": "sql-server", "version": "2022", "cores": 4, "sql_licensing": "server-cal" }],
        "access": [{ "groups": ["staff"], "servers": ["sqla", "sqlb"] }]
    }));
    let sql: Vec<_> = r
        .breakevens
        .iter()
        .filter(|b| b.kind == BreakEvenKind::SqlPerCoreVsServerCal)
        .collect();
    assert_eq!(sql.len(), 2);
    for b in &sql {
        assert!(
            b.note.starts_with("40 of those who reach this server also reach other Server+CAL SQL Servers, whose SQL CALs cover them here too, so this chart leaves them out and weighs this server alone. The findings weigh"),
            "{}: {:?}",
            b.subject,
            b.note
        );
    }
    // The findings weigh the two together: 40 SQL CALs ($9,200) and two server licences
    // ($1,978) against 4 packs ($15,780) — Server+CAL stays, and no finding says otherwise.
    assert_eq!(find(&r, "sql-per-core-cheaper"), None);

    let alone = eval(json!({
        "groups": [{ "id": "staff", "count": 40 }],
        "servers": [{ "id": "sqla", "product": "sql-server", "version": "2022", "cores": 4, "sql_licensing": "server-cal" }],
        "access": [{ "groups": ["staff"], "servers": ["sqla"] }]
    }));
    let b = alone
        .breakevens
        .iter()
        .find(|b| b.kind == BreakEvenKind::SqlPerCoreVsServerCal)
        .expect("the SQL break-even");
    assert_eq!((b.current, b.note.as_str()), (40, ""));
}
