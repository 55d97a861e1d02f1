//! Microsoft 365 plans assigned in a users export (the admin centre's "Licenses" column): who
//! holds E3 or E5, whose CAL rights are their own (cal-rules §1.13: per licensed user), counted
//! in groups of their own that are marked with the plan.

use crate::import::{parse, today};
use cal_calc::estate::{Estate, M365Plan, PersonKind, Server};
use cal_calc::import::licences::assigned_plan;
use cal_calc::import::{apply_to, ApplyOptions, ApplySummary, ClassifyOptions, Data, ImportSet};
use std::collections::HashSet;

/// The Microsoft 365 admin centre's "Active users" export (Users > Active users > Export users),
/// cut to the columns that matter and a few rows: UTF-8 with a BOM, CRLF, no last sign-in
/// column, "Block credential" for the sign-in state, licences joined by `+`.
const ACTIVE_USERS: &str = include_str!("../fixtures/m365-active-users.csv");

/// What a users export says: each account's key and reason, the file's notes, and the people
/// per kind and plan.
type Read = (
    Vec<(String, String)>,
    Vec<String>,
    Vec<(PersonKind, M365Plan, u32)>,
);

#[track_caller]
fn read(csv: &str) -> Read {
    let p = parse(csv.as_bytes());
    let Data::Directory(d) = &p.data else {
        panic!("not a directory: {:?}", p.kind)
    };
    let opts = ClassifyOptions::new(today());
    let c = d.classify(&opts, &HashSet::new());
    let reasons = (0..d.accounts.len())
        .map(|i| (d.key(i).to_string(), d.reason(&c, &opts, i)))
        .collect();
    (reasons, p.notes.clone(), c.plans.clone())
}

fn reason<'a>(rows: &'a [(String, String)], key: &str) -> &'a str {
    rows.iter()
        .find(|r| r.0.starts_with(key))
        .map_or_else(|| panic!("no account {key} in {rows:?}"), |r| r.1.as_str())
}

#[test]
fn assigned_plans_are_read_by_name_sku_part_number_and_product_id() {
    let cases: [(&str, Option<M365Plan>); 18] = [
        ("Microsoft 365 E3", Some(M365Plan::E3)),
        (
            "Microsoft 365 E3+Microsoft Teams Exploratory",
            Some(M365Plan::E3),
        ),
        (
            "Microsoft 365 E5 (no Teams)+Microsoft Teams Enterprise",
            Some(M365Plan::E5),
        ),
        // E5 over E3 when both are assigned, in either order.
        ("Microsoft 365 E5+Microsoft 365 E3", Some(M365Plan::E5)),
        // An add-on of a plan is not the plan, and does not hide the plan beside it.
        (
            "Microsoft 365 E3+Microsoft 365 E5 Security",
            Some(M365Plan::E3),
        ),
        ("Microsoft 365 E5 Compliance", None),
        ("Microsoft 365 E3 - Unattended License", None),
        (
            "Microsoft 365 E5 Developer (without Windows and Audio Conferencing)",
            None,
        ),
        // Office 365 E3 carries no Windows Server CAL rights (cal-rules §1.13).
        ("Office 365 E3", None),
        ("ENTERPRISEPACK", None),
        ("Unlicensed", None),
        // SKU part numbers and product ids, as Graph exports write them.
        ("SPE_E3;POWER_BI_STANDARD", Some(M365Plan::E3)),
        ("SPE_E5_NOPSTNCONF", Some(M365Plan::E5)),
        // Get-MsolUser's licences, as AccountSkuIds: the tenant's name first.
        ("corp:SPE_E5;corp:FLOW_FREE", Some(M365Plan::E5)),
        ("SPE_E3_RPA1", None),
        ("Microsoft_365_E3_(no_Teams)", Some(M365Plan::E3)),
        (
            "@{DisabledPlans=System.String[]; SkuId=06ebc4ee-1bb5-47dd-8120-11324bc54e06}",
            Some(M365Plan::E5),
        ),
        (
            "05E9A617-0261-4CEE-BB44-138D3EF5D965 | 6fd2c87f-b296-42f0-b197-1e91e994b900",
            Some(M365Plan::E3),
        ),
    ];
    for (cell, plan) in cases {
        assert_eq!(assigned_plan(cell), plan, "{cell}");
    }
}

#[test]
fn an_admin_centre_export_says_who_holds_microsoft_365_e3_or_e5_and_why() {
    let (rows, notes, plans) = read(ACTIVE_USERS);
    // Ann, Cat and Ivy hold E3, Ben E5; Fay is blocked; Gus is a guest (external); Dan's Office
    // 365 E3, Eve's nothing and Hal's bot licence give no plan.
    assert_eq!(
        plans,
        [
            (PersonKind::Employee, M365Plan::E3, 3),
            (PersonKind::Employee, M365Plan::E5, 1),
            (PersonKind::Partner, M365Plan::E3, 1),
        ]
    );
    let ann = reason(&rows, "ann@");
    assert!(
        ann.contains("Microsoft 365 E3 assigned: counted in a group marked E3"),
        "{ann}"
    );
    assert!(reason(&rows, "ben@").contains("Microsoft 365 E5 assigned"));
    for key in ["dan@", "eve@", "hal@"] {
        let r = reason(&rows, key);
        assert!(!r.contains("Microsoft 365"), "{key}: {r}");
    }
    // A blocked account says what it holds (a licence assigned to no one who can use it), and
    // is not counted.
    let fay = reason(&rows, "fay@");
    assert!(
        fay.starts_with("disabled") && fay.contains("Microsoft 365 E3 still assigned"),
        "{fay}"
    );
    let gus = reason(&rows, "gus_");
    assert!(
        gus.contains("counted for internal users only"),
        "a guest's plan is no CAL right here: {gus}"
    );
    let note = notes
        .iter()
        .find(|n| n.contains("“Licenses” column"))
        .unwrap_or_else(|| panic!("a note on the licences column in {notes:?}"));
    assert!(
        note.contains("5 accounts hold Microsoft 365 E3 and 1 holds E5"),
        "{note}"
    );
}

#[test]
fn a_licences_column_without_e3_or_e5_says_so_and_an_export_without_one_says_nothing() {
    let csv = "User principal name,Display name,Block credential,Licenses\n\
               a@corp.example,A,False,Office 365 E3\n\
               b@corp.example,B,False,Microsoft 365 Business Premium\n";
    let (_, notes, plans) = read(csv);
    assert!(plans.is_empty());
    assert!(
        notes
            .iter()
            .any(|n| n.contains("names no Microsoft 365 E3 or E5")),
        "{notes:?}"
    );
    let without = "User principal name,Display name,Block credential\na@corp.example,A,False\n";
    let (_, notes, plans) = read(without);
    assert!(plans.is_empty());
    assert!(
        !notes.iter().any(|n| n.contains("Microsoft 365")),
        "{notes:?}"
    );
}

/// A person's accounts merged into one (an admin account onto its owner) hold the best plan of
/// either.
#[test]
fn a_person_holds_the_plan_of_any_of_their_accounts() {
    let csv = "SamAccountName,UserPrincipalName,Enabled,EmployeeID,Licenses\n\
               jsmith,jsmith@corp.example,True,E1,Microsoft 365 E3\n\
               adm-jsmith,adm-jsmith@corp.example,True,E1,Microsoft 365 E5\n\
               mjones,mjones@corp.example,True,E2,\n";
    let (rows, _, plans) = read(csv);
    assert_eq!(plans, [(PersonKind::Employee, M365Plan::E5, 1)]);
    let r = reason(&rows, "jsmith");
    assert!(r.contains("holds E5 through another account"), "{r}");
}

fn server(id: &str, product: &str) -> Server {
    serde_json::from_value(serde_json::json!({
        "id": id, "name": format!("{id}.corp.example"), "product": product, "version": "2022"
    }))
    .unwrap_or_else(|e| panic!("{e}"))
}

fn options() -> ApplyOptions {
    ApplyOptions {
        classify: ClassifyOptions::new(today()),
    }
}

#[track_caller]
pub(crate) fn apply_files(e: &mut Estate, files: &[&str]) -> ApplySummary {
    let mut set = ImportSet::default();
    for f in files {
        set.add(parse(f.as_bytes()));
    }
    let s = apply_to(e, &set, &options());
    assert!(s.applied, "{:?}", s.notes);
    e.validate().unwrap_or_else(|p| panic!("{p:?}"));
    s
}

fn group<'a>(e: &'a Estate, id: &str) -> &'a cal_calc::estate::Group {
    e.groups
        .iter()
        .find(|g| g.id == id)
        .unwrap_or_else(|| panic!("no group {id} in {:?}", e.groups))
}

fn windows_user_cals(e: &Estate) -> u64 {
    let r = cal_calc::evaluate(e, today()).unwrap_or_else(|p| panic!("{p:?}"));
    crate::m365_position::windows_needed(&r)
}

#[test]
fn applying_puts_the_holders_of_each_plan_in_a_group_marked_with_it() {
    let mut e = Estate {
        servers: vec![server("FS01", "windows-server")],
        ..Default::default()
    };
    let s = apply_files(&mut e, &[ACTIVE_USERS]);
    // Ann, Cat, Ivy: E3; Ben: E5; Dan, Eve, Hal: none; Gus: a partner, whose plan is no CAL
    // right here.
    assert_eq!(group(&e, "imported-employee").count, 3);
    assert_eq!(group(&e, "imported-employee").m365, None);
    let e3 = group(&e, "imported-employee-m365-e3");
    assert_eq!((e3.count, e3.m365), (3, Some(M365Plan::E3)));
    assert_eq!(e3.name, "Employees with Microsoft 365 E3 (imported)");
    let e5 = group(&e, "imported-employee-m365-e5");
    assert_eq!((e5.count, e5.m365), (1, Some(M365Plan::E5)));
    assert_eq!(group(&e, "imported-partner").count, 1);
    assert!(!e
        .groups
        .iter()
        .any(|g| g.id.starts_with("imported-partner-m365")));
    // The groups are made together: none was counted in another before.
    assert!(
        !s.notes.iter().any(|n| n.contains("counted in")),
        "{:?}",
        s.notes
    );
    for id in ["imported-employee-m365-e3", "imported-employee-m365-e5"] {
        assert!(s.groups_created.iter().any(|g| g == id), "{s:?}");
        assert!(
            e.access
                .iter()
                .any(|a| a.groups.iter().any(|g| g == id) && a.servers == ["FS01"]),
            "{id} reaches the Windows Server as every new group does: {:?}",
            e.access
        );
    }
    // No seat count entered: the marks are the claim, so only those without a plan need
    // Windows Server CALs: the three employees and the partner. The summary says so.
    assert!(
        s.notes.iter().any(|n| n.starts_with(
            "Microsoft 365 E3: no seat count is entered, so 3 people the directory's licences give it to are taken as holding a seat each."
        )),
        "{:?}",
        s.notes
    );
    assert!(
        s.notes.iter().any(|n| n.starts_with(
            "Microsoft 365 E5: no seat count is entered, so 1 person the directory's licences give it to is taken as holding one."
        )),
        "{:?}",
        s.notes
    );
    assert_eq!(windows_user_cals(&e), 4);
}

#[test]
fn a_re_import_with_licences_splits_the_group_keeping_what_the_user_gave_it() {
    let mut e = Estate {
        servers: vec![
            server("FS01", "windows-server"),
            server("SQL01", "sql-server"),
        ],
        ..Default::default()
    };
    // The first export has no licences column: one group of employees, which the user then
    // gives the SQL Server and two devices each.
    let without: String = ACTIVE_USERS
        .lines()
        .map(|l| {
            let cells: Vec<&str> = l.split(',').collect();
            [&cells[..8], &cells[9..]].concat().join(",")
        })
        .collect::<Vec<_>>()
        .join("\n");
    apply_files(&mut e, &[&without]);
    assert_eq!(group(&e, "imported-employee").count, 7);
    e.access.push(
        serde_json::from_value(serde_json::json!({
            "groups": ["imported-employee"], "servers": ["SQL01"]
        }))
        .unwrap_or_else(|x| panic!("{x}")),
    );
    if let Some(g) = e.groups.iter_mut().find(|g| g.id == "imported-employee") {
        g.devices_each = 2;
    }
    let s = apply_files(&mut e, &[ACTIVE_USERS]);
    assert_eq!(group(&e, "imported-employee").count, 3);
    for id in ["imported-employee-m365-e3", "imported-employee-m365-e5"] {
        assert_eq!(group(&e, id).devices_each, 2, "{id}");
        for server in ["FS01", "SQL01"] {
            assert!(
                e.access
                    .iter()
                    .any(|a| a.groups.iter().any(|g| g == id)
                        && a.servers.iter().any(|s| s == server)),
                "{id} reaches {server} as the employees did: {:?}",
                e.access
            );
        }
    }
    let note = s
        .notes
        .iter()
        .find(|n| n.starts_with("Employees with Microsoft 365 E3 (imported): by the directory's licences, 3 people hold Microsoft 365 E3;"))
        .unwrap_or_else(|| panic!("{:?}", s.notes));
    assert!(
        note.contains("counted in Employees (imported) before"),
        "{note}"
    );
    // Applying again changes nothing.
    let before = e.clone();
    apply_files(&mut e, &[ACTIVE_USERS]);
    assert_eq!(e, before);
}

#[test]
fn usage_people_of_an_earlier_import_move_to_the_group_of_their_plan() {
    let mut e = Estate {
        servers: vec![server("FS01", "windows-server")],
        ..Default::default()
    };
    let logons = "TimeCreated\tMachineName\tEventID\tTargetUserName\tTargetDomainName\tLogonType\tWorkstationName\n\
                  2025-06-03T09:00:00\tFS01.corp.example\t4624\tann@corp.example\tCORP\t3\tWS001\n\
                  2025-06-03T09:00:00\tFS01.corp.example\t4624\teve@corp.example\tCORP\t3\tWS002\n";
    let users = "User principal name,Display name,Block credential\n\
                 ann@corp.example,Ann,False\neve@corp.example,Eve,False\n";
    apply_files(&mut e, &[users, logons]);
    let usage = e.usage.as_ref().map_or(0, |u| u.people.len());
    assert_eq!(usage, 2);
    // The next export has the licences: Ann holds E3. Her usage moves with her, so she is
    // counted once, in the E3 group.
    let licensed = "User principal name,Display name,Block credential,Licenses\n\
                    ann@corp.example,Ann,False,Microsoft 365 E3\neve@corp.example,Eve,False,\n";
    apply_files(&mut e, &[licensed]);
    let people = e
        .usage
        .as_ref()
        .map(|u| u.people.clone())
        .unwrap_or_default();
    let ann = people
        .iter()
        .find(|p| p.id.starts_with("ann"))
        .map(|p| p.group.as_str());
    assert_eq!(ann, Some("imported-employee-m365-e3"), "{people:?}");
    assert_eq!(group(&e, "imported-employee").count, 1);
    assert_eq!(group(&e, "imported-employee-m365-e3").count, 1);
    // Eve needs a Windows Server CAL, Ann's plan covers her.
    assert_eq!(windows_user_cals(&e), 1);
}

#[test]
fn a_group_mark_the_licences_contradict_is_kept_and_named() {
    let mut e = Estate {
        servers: vec![server("FS01", "windows-server")],
        ..Default::default()
    };
    apply_files(&mut e, &[ACTIVE_USERS]);
    // The user marks the employees without a plan as E3 holders (all staff, they thought).
    if let Some(g) = e.groups.iter_mut().find(|g| g.id == "imported-employee") {
        g.m365 = Some(M365Plan::E3);
    }
    let s = apply_files(&mut e, &[ACTIVE_USERS]);
    assert_eq!(group(&e, "imported-employee").m365, Some(M365Plan::E3));
    assert!(
        s.notes.iter().any(|n| n.starts_with(
            "Employees (imported) is marked as holding Microsoft 365 E3, but by the directory's “Licenses” column its people hold no Microsoft 365 E3 or E5"
        )),
        "{:?}",
        s.notes
    );
}

#[test]
fn more_holders_of_a_plan_than_seats_entered_is_said_and_the_seats_are_kept() {
    let mut e = Estate {
        servers: vec![server("FS01", "windows-server")],
        ..Default::default()
    };
    e.organisation.m365.e3_seats = 2;
    let s = apply_files(&mut e, &[ACTIVE_USERS]);
    assert_eq!(e.organisation.m365.e3_seats, 2);
    assert!(
        s.notes.iter().any(|n| n.starts_with(
            "Microsoft 365 E3: the directory's licences give it to 3 people, more than the 2 seats entered, so at least 1 of the people marked with it"
        )),
        "{:?}",
        s.notes
    );
    // One of the three is counted for CALs: the three without a plan, the partner and that one.
    assert_eq!(windows_user_cals(&e), 5);
}

/// The other way round: an export without the licences column after one with it counts
/// everyone in the group of no plan, which takes the place of the plan groups (now empty) and
/// says why without claiming the directory's licences say so.
#[test]
fn an_export_without_licences_after_one_with_them_counts_everyone_without_a_plan() {
    let mut e = Estate {
        servers: vec![
            server("FS01", "windows-server"),
            server("SQL01", "sql-server"),
        ],
        ..Default::default()
    };
    let licensed = "User principal name,Display name,Block credential,Licenses\n\
                    ann@corp.example,Ann,False,Microsoft 365 E3\n\
                    ben@corp.example,Ben,False,Microsoft 365 E3\n";
    apply_files(&mut e, &[licensed]);
    assert!(!e.groups.iter().any(|g| g.id == "imported-employee"));
    e.access.push(
        serde_json::from_value(serde_json::json!({
            "groups": ["imported-employee-m365-e3"], "servers": ["SQL01"]
        }))
        .unwrap_or_else(|x| panic!("{x}")),
    );
    let plain = "User principal name,Display name,Block credential\n\
                 ann@corp.example,Ann,False\nben@corp.example,Ben,False\n";
    let s = apply_files(&mut e, &[plain]);
    assert_eq!(group(&e, "imported-employee").count, 2);
    assert_eq!(group(&e, "imported-employee-m365-e3").count, 0);
    assert!(
        e.access
            .iter()
            .any(|a| a.groups.iter().any(|g| g == "imported-employee")
                && a.servers.iter().any(|s| s == "SQL01")),
        "{:?}",
        e.access
    );
    let note = s
        .notes
        .iter()
        .find(|n| n.starts_with("Employees (imported): "))
        .unwrap_or_else(|| panic!("{:?}", s.notes));
    assert!(
        note.starts_with("Employees (imported): the directory export gives no licences, so 2 people are counted here; they were counted in Employees with Microsoft 365 E3 (imported) before"),
        "{note}"
    );
    // Nothing is said of a mark the export cannot contradict.
    assert!(
        !s.notes.iter().any(|n| n.contains("is marked as holding")),
        "{:?}",
        s.notes
    );
}
