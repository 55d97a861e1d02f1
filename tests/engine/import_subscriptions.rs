//! A tenant's list of its subscriptions (`Get-MsolAccountSku`, `Get-MgSubscribedSku`, or a
//! script's selection of them): the seats of Microsoft 365 E3 and E5 held now, read as a licence
//! statement whose plan lines are the units enabled (cal-rules §1.13: the plan's CAL rights are
//! per licensed user, up to the seats held).

use crate::import::parse;
use crate::import_m365::apply_files;
use cal_calc::estate::{Estate, M365Plan};
use cal_calc::import::columns::{detect_kind, FileKind};
use cal_calc::import::licences::{read_product, ProductText};
use cal_calc::import::{read_bytes, Data, ImportOptions};

/// `Get-MsolAccountSku | Export-Csv -NoTypeInformation`, CRLF: two E3 products (with and without
/// Teams), E5 with two units in the grace period, the unattended E3 licence, the E5 Security
/// add-on, Office 365 E3 and a free plan.
const MSOL: &str = include_str!("../fixtures/m365-subscriptions.csv");

fn h(names: &[&str]) -> Vec<String> {
    names.iter().map(|s| s.to_string()).collect()
}

/// A file's seats per plan (`None` for a plan it has no line of), its rows left out, its
/// errors and its notes.
type Read = (
    [Option<u64>; 2],
    Vec<String>,
    Vec<(u32, String)>,
    Vec<String>,
);

#[track_caller]
fn read(csv: &str) -> Read {
    let p = parse(csv.as_bytes());
    assert_eq!(p.kind, FileKind::LicenceStatement, "{:?}", p.header);
    let Data::Licences(s) = &p.data else {
        panic!("not a statement")
    };
    let errors = p
        .errors
        .iter()
        .map(|e| (e.line, e.message.clone()))
        .collect();
    (
        [s.seats_of(M365Plan::E3), s.seats_of(M365Plan::E5)],
        s.ignored.iter().map(|(_, d)| d.clone()).collect(),
        errors,
        p.notes.clone(),
    )
}

#[track_caller]
pub(crate) fn note<'a>(notes: &'a [String], start: &str) -> &'a str {
    notes
        .iter()
        .find(|n| n.starts_with(start))
        .unwrap_or_else(|| panic!("no note {start:?} in {notes:?}"))
}

#[test]
fn subscription_lists_are_told_from_users_exports_that_list_sku_part_numbers() {
    let subscriptions = [
        // Get-MsolAccountSku | Export-Csv.
        h(&[
            "AccountSkuId",
            "ActiveUnits",
            "ConsumedUnits",
            "SkuPartNumber",
            "WarningUnits",
        ]),
        // Get-MgSubscribedSku | Export-Csv: PrepaidUnits is an object there.
        h(&[
            "AccountName",
            "ConsumedUnits",
            "Id",
            "PrepaidUnits",
            "SkuId",
            "SkuPartNumber",
        ]),
        // Get-MgSubscribedSku | Select -ExpandProperty PrepaidUnits -Property SkuPartNumber.
        h(&[
            "Enabled",
            "LockedOut",
            "Suspended",
            "Warning",
            "SkuPartNumber",
        ]),
        // A script's own selection.
        h(&["SkuPartNumber", "Purchased", "Assigned", "Available"]),
    ];
    for header in &subscriptions {
        assert_eq!(
            detect_kind(header),
            Some(FileKind::LicenceStatement),
            "{header:?}"
        );
    }
    // A users export whose licences are SKU part numbers has a user column: it stays one.
    assert_eq!(
        detect_kind(&h(&[
            "UserPrincipalName",
            "DisplayName",
            "AccountEnabled",
            "SkuPartNumber"
        ])),
        Some(FileKind::EntraUsers)
    );
    assert_eq!(
        detect_kind(&h(&["SamAccountName", "Enabled", "SkuPartNumber"])),
        Some(FileKind::AdUsers)
    );
    // Part numbers alone, with no units, are no list of subscriptions.
    assert_eq!(detect_kind(&h(&["SkuPartNumber", "SkuId"])), None);
}

/// The seats' columns of a tenant's list (Enabled, Total, …) are no statement's quantity: a
/// users export read as a statement by mistake still has no quantity column, and says so.
#[test]
fn another_export_read_as_a_statement_takes_no_enabled_column_for_its_quantity() {
    let csv = "SamAccountName,Enabled,Description,Total\nann,True,Windows Server CAL,3\n";
    let opts = ImportOptions {
        kind: Some(FileKind::LicenceStatement),
        ..Default::default()
    };
    match read_bytes(csv.as_bytes(), opts) {
        Err(e) => assert!(
            e.to_string()
                .starts_with("This licence statement file has no column for Quantity."),
            "{e}"
        ),
        Ok(p) => panic!("read as a statement: {:?}", p.mapping),
    }
}

#[test]
fn plan_part_numbers_are_seats_in_any_statement() {
    let cases: [(&str, Option<M365Plan>); 7] = [
        ("SPE_E3", Some(M365Plan::E3)),
        ("corp:SPE_E5", Some(M365Plan::E5)),
        ("SPE_E5_NOPSTNCONF", Some(M365Plan::E5)),
        ("Microsoft_365_E3_(no_Teams)", Some(M365Plan::E3)),
        ("SPE_E3_RPA1", None),
        ("SPE_F1", None),
        ("ENTERPRISEPACK", None),
    ];
    for (text, plan) in cases {
        let read = match read_product(text, "") {
            ProductText::M365(p) => Some(p),
            ProductText::NotCal => None,
            other => panic!("{text}: {other:?}"),
        };
        assert_eq!(read, plan, "{text}");
    }
}

#[test]
fn a_tenants_subscriptions_give_the_seats_enabled_of_each_plan_and_why() {
    let (seats, ignored, errors, notes) = read(MSOL);
    // E3 with and without Teams add up; E5's units in the grace period are not seats.
    assert_eq!(seats, [Some(28), Some(5)]);
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(
        ignored,
        [
            "SPE_E3_RPA1",
            "IDENTITY_THREAT_PROTECTION",
            "ENTERPRISEPACK",
            "FLOW_FREE"
        ]
    );
    assert_eq!(
        note(&notes, "Microsoft 365 E3 on "),
        "Microsoft 365 E3 on lines 2 and 3: 28 seats, the units enabled in the tenant (“ActiveUnits”), 25 of them assigned (“ConsumedUnits”); not CALs. Applying the list sets the estate's Microsoft 365 E3 seats to 28; their CAL rights go to the people of the groups marked E3."
    );
    let e5 = note(&notes, "Microsoft 365 E5 on line 4: 5 seats, ");
    assert!(
        e5.contains("6 of them assigned")
            && e5.ends_with(" 2 more units are in the grace period after a subscription ended (“WarningUnits”): not counted, as they lapse unless the subscription is renewed."),
        "{e5}"
    );
    // A subscription has no Software Assurance to ask for.
    assert!(
        !notes.iter().any(|n| n.contains("Software Assurance")),
        "{notes:?}"
    );
}

#[test]
fn a_scripts_selection_and_the_account_sku_id_are_read_alike() {
    let expanded = "Enabled,LockedOut,Suspended,Warning,SkuPartNumber\n\
                    40,0,0,1,SPE_E3\n0,0,12,0,SPE_E5\n";
    let (seats, _, errors, notes) = read(expanded);
    // A suspended subscription has no units enabled: no seats, said as such.
    assert_eq!(seats, [Some(40), Some(0)]);
    assert!(errors.is_empty(), "{errors:?}");
    assert!(
        note(&notes, "Microsoft 365 E3 on line 2: 40 seats, the units enabled in the tenant (“Enabled”); not CALs.")
            .ends_with(" 1 more unit is in the grace period after a subscription ended (“Warning”): not counted, as it lapses unless the subscription is renewed."),
        "{notes:?}"
    );
    let by_id = "AccountSkuId,ActiveUnits,ConsumedUnits\ncorp:SPE_E5,7,7\ncorp:POWER_BI_PRO,3,1\n";
    let (seats, ignored, _, notes) = read(by_id);
    assert_eq!(seats, [None, Some(7)]);
    assert_eq!(ignored, ["corp:POWER_BI_PRO"]);
    note(&notes, "Microsoft 365 E5 on line 2: 7 seats, the units enabled in the tenant (“ActiveUnits”), 7 of them assigned (“ConsumedUnits”)");
}

#[test]
fn get_mgsubscribedsku_exported_whole_says_how_to_export_the_seats() {
    let csv = "\"AccountName\",\"CapabilityStatus\",\"ConsumedUnits\",\"PrepaidUnits\",\"SkuId\",\"SkuPartNumber\"\n\
               \"corp\",\"Enabled\",\"22\",\"Microsoft.Graph.PowerShell.Models.MicrosoftGraphLicenseUnitsDetail\",\"05e9a617-0261-4cee-bb44-138d3ef5d965\",\"SPE_E3\"\n\
               \"corp\",\"Enabled\",\"3\",\"Microsoft.Graph.PowerShell.Models.MicrosoftGraphLicenseUnitsDetail\",\"f30db892-07e9-47e9-837c-80727f46fd3d\",\"FLOW_FREE\"\n";
    let (seats, ignored, errors, notes) = read(csv);
    assert_eq!(seats, [None, None]);
    assert_eq!(ignored, ["FLOW_FREE"]);
    assert_eq!(
        errors,
        [(2, "no seat count: the PrepaidUnits column holds no figures (see the file's note); the seats of Microsoft 365 E3 are not imported".to_string())]
    );
    let n = note(&notes, "The column PrepaidUnits holds the PowerShell type name “Microsoft.Graph.PowerShell.Models.MicrosoftGraphLicenseUnitsDetail”, not the seat counts");
    assert!(
        n.contains("@{n='Enabled';e={$_.PrepaidUnits.Enabled}}"),
        "{n}"
    );
    // The plan was there: the file is not said to hold none.
    assert!(
        !notes
            .iter()
            .any(|n| n.contains("hold no Microsoft 365 E3 or E5")),
        "{notes:?}"
    );
}

#[test]
fn a_tenant_without_e3_or_e5_says_no_seats_were_read() {
    let csv = "SkuPartNumber,ActiveUnits,ConsumedUnits\nENTERPRISEPACK,50,48\nEMS,50,47\n";
    let (seats, ignored, _, notes) = read(csv);
    assert_eq!(seats, [None, None]);
    assert_eq!(ignored.len(), 2);
    note(
        &notes,
        "The tenant's subscriptions hold no Microsoft 365 E3 or E5",
    );
}

/// A purchase record and the tenant's list both name the plan: the tenant's units are the seats
/// held now (whichever channel sold them), the purchase lines are not added to them, in either
/// order of the files.
#[test]
fn the_tenants_seats_stand_in_for_a_statements_lines_of_the_plan() {
    let statement = "Product,Quantity,Version\n\
                     Microsoft 365 E3,30,\n\
                     Windows Server 2022 User CAL,10,2022\n";
    for files in [[statement, MSOL], [MSOL, statement]] {
        let mut e = Estate::default();
        e.organisation.m365.e3_seats = 60;
        let s = apply_files(&mut e, &files);
        assert_eq!(
            (e.organisation.m365.e3_seats, e.organisation.m365.e5_seats),
            (28, 5)
        );
        // The statement's CALs are still holdings.
        assert_eq!(e.holdings.iter().map(|h| h.quantity).sum::<u32>(), 10);
        assert_eq!(
            note(&s.notes, "Microsoft 365 E3: "),
            "Microsoft 365 E3: 28 seats from the tenant's subscriptions (was 60). The statement's purchase lines of it (30 seats) are not added: the tenant's units are the seats held now, whichever channel sold them. No group is marked as holding E3: mark the groups whose people hold the seats, or they count as unused."
        );
        note(
            &s.notes,
            "Microsoft 365 E5: 5 seats from the tenant's subscriptions (none were entered",
        );
    }
    // Alone, a statement's lines are still the count.
    let mut e = Estate::default();
    let s = apply_files(&mut e, &[statement]);
    assert_eq!(e.organisation.m365.e3_seats, 30);
    note(
        &s.notes,
        "Microsoft 365 E3: 30 seats from the licence statement (none were entered",
    );
}

/// With the users export that says who holds each plan, the tenant's seats are what the
/// holders are checked against: more holders than seats enabled is said.
#[test]
fn the_users_export_and_the_subscriptions_together_check_holders_against_seats() {
    let users = "User principal name,Display name,Block credential,Licenses\n\
                 ann@corp.example,Ann,False,Microsoft 365 E5\n\
                 ben@corp.example,Ben,False,Microsoft 365 E5\n\
                 cat@corp.example,Cat,False,Microsoft 365 E3\n";
    let subscriptions = "SkuPartNumber,ActiveUnits,ConsumedUnits,WarningUnits\n\
                         SPE_E3,4,1,0\nSPE_E5,1,2,1\n";
    let mut e = Estate::default();
    let s = apply_files(&mut e, &[users, subscriptions]);
    assert_eq!(
        (e.organisation.m365.e3_seats, e.organisation.m365.e5_seats),
        (4, 1)
    );
    note(&s.notes, "Microsoft 365 E5: the directory's licences give it to 2 people, more than the 1 seat entered, so at least 1 of the people marked with it is counted without its CAL rights.");
    assert!(
        !s.notes
            .iter()
            .any(|n| n.contains("no seat count is entered")),
        "{:?}",
        s.notes
    );
}

/// The sample pair: the admin centre's users and the same tenant's subscriptions. The holders
/// of E3 fit its 21 seats; E5 has 4 holders and 3 seats enabled (a fourth unit lapsed into the
/// grace period), which the summary says, and the seats are not raised to the holders.
#[test]
fn sample_m365_subscriptions_with_the_users_of_the_same_tenant() {
    let bytes = crate::import::sample("m365-subscriptions.csv");
    let text = String::from_utf8(bytes).unwrap_or_else(|e| panic!("{e}"));
    let (seats, ignored, errors, notes) = read(&text);
    assert_eq!(seats, [Some(21), Some(3)]);
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(ignored.len(), 5);
    note(&notes, "Microsoft 365 E3 on lines 2 and 3: 21 seats, the units enabled in the tenant (“ActiveUnits”), 19 of them assigned");
    let users = crate::import::sample("m365-active-users.csv");
    let users = String::from_utf8(users).unwrap_or_else(|e| panic!("{e}"));
    let mut e = Estate::default();
    let s = apply_files(&mut e, &[&users, &text]);
    assert_eq!(
        (e.organisation.m365.e3_seats, e.organisation.m365.e5_seats),
        (21, 3)
    );
    note(&s.notes, "Microsoft 365 E5: the directory's licences give it to 4 people, more than the 3 seats entered, so at least 1 of the people marked with it is counted without its CAL rights.");
    assert!(
        !s.notes
            .iter()
            .any(|n| n.starts_with("Microsoft 365 E3: the directory's")),
        "{:?}",
        s.notes
    );
}
