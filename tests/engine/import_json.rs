//! JSON exports (a Microsoft Graph response saved from Graph Explorer or
//! `Invoke-MgGraphRequest`, PowerShell's `ConvertTo-Json`) read as the CSV table of their
//! objects: the same kinds, columns, notes and counts as the CSV exports of the same data.

use crate::import::{parse, parse_chunked, today, utf16le};
use crate::import_m365::apply_files;
use crate::import_subscriptions::note;
use cal_calc::estate::{Estate, M365Plan};
use cal_calc::import::{
    read_bytes, ClassifyOptions, Data, FileKind, ImportError, ImportOptions, Status,
};
use std::collections::HashSet;

/// `GET /v1.0/users?$select=displayName,userPrincipalName,accountEnabled,userType,
/// createdDateTime,mail,assignedLicenses,signInActivity`: eight accounts of the tenant of
/// `m365-subscriptions.csv` (E3, E5 and EMS product ids; a guest; a disabled account; one whose
/// last interactive sign-in is old but who signs in non-interactively every day; one never
/// signed in, created within the window).
const USERS: &str = include_str!("../fixtures/graph-users.json");
/// `GET /v1.0/subscribedSkus`: the subscriptions of `m365-subscriptions.csv` with their
/// `prepaidUnits` object and service plans.
const SKUS: &str = include_str!("../fixtures/graph-subscribedskus.json");

#[track_caller]
fn refused(text: &str) -> ImportError {
    match read_bytes(text.as_bytes(), ImportOptions::default()) {
        Ok(p) => panic!("read as {:?}: {:?}", p.kind, p.header),
        Err(e) => e,
    }
}

/// Each account's status and plan, by account name.
fn verdicts(text: &str) -> Vec<(String, Status, Option<M365Plan>)> {
    let p = parse(text.as_bytes());
    let Data::Directory(d) = &p.data else {
        panic!("not a directory: {:?}", p.kind)
    };
    let c = d.classify(&ClassifyOptions::new(today()), &HashSet::new());
    (0..d.accounts.len())
        .map(|i| {
            (
                d.key(i).to_string(),
                c.verdicts[i].status,
                d.accounts[i].plan,
            )
        })
        .collect()
}

#[test]
fn a_graph_users_response_is_an_entra_users_export() {
    let p = parse(USERS.as_bytes());
    assert_eq!(p.kind, FileKind::EntraUsers);
    assert!(p.json);
    assert_eq!(p.rows, 8);
    assert!(p.errors.is_empty(), "{:?}", p.errors);
    note(
        &p.notes,
        "Read as JSON: the 8 objects of its “value” list are the rows, their fields the columns",
    );
    note(&p.notes, "The “assignedLicenses.skuId” column gives each account's Microsoft 365 plan: 4 accounts hold Microsoft 365 E3 and 2 hold E5.");
    let v = verdicts(USERS);
    let of = |name: &str| {
        v.iter()
            .find(|(a, _, _)| a.starts_with(name))
            .map(|(_, s, p)| (*s, *p))
            .unwrap_or_else(|| panic!("no {name} in {v:?}"))
    };
    assert_eq!(of("james.davies"), (Status::Counted, Some(M365Plan::E3)));
    assert_eq!(of("aisha.khan"), (Status::Counted, Some(M365Plan::E5)));
    // Last interactive sign-in in November 2024, last successful (non-interactive) sign-in
    // three days before the count: in use.
    assert_eq!(of("tom.clarke"), (Status::Counted, Some(M365Plan::E3)));
    assert_eq!(of("old.leaver"), (Status::Disabled, Some(M365Plan::E3)));
    assert_eq!(of("dormant.person"), (Status::Dormant, None));
    // No sign-in at all (signInActivity null), created five days before the count.
    assert_eq!(of("new.starter"), (Status::Counted, Some(M365Plan::E5)));
    assert_eq!(of("pat_partner").0, Status::Counted);
}

#[test]
fn a_graph_subscribed_skus_response_gives_the_seats() {
    let p = parse(SKUS.as_bytes());
    assert_eq!(p.kind, FileKind::LicenceStatement);
    let Data::Licences(s) = &p.data else {
        panic!("not a statement")
    };
    assert!(s.subscriptions.is_some());
    assert_eq!(
        (s.seats_of(M365Plan::E3), s.seats_of(M365Plan::E5)),
        (Some(28), Some(5))
    );
    let left_out: Vec<&str> = s.ignored.iter().map(|(_, d)| d.as_str()).collect();
    assert_eq!(left_out, ["SPE_E3_RPA1", "ENTERPRISEPACK", "FLOW_FREE"]);
    note(&p.notes, "Microsoft 365 E5 on object 3: 5 seats, the units enabled in the tenant (“prepaidUnits.enabled”), 6 of them assigned (“consumedUnits”)");
    assert!(
        p.notes.iter().any(|n| n.contains("2 more units are in the grace period after a subscription ended (“prepaidUnits.warning”)")),
        "{:?}",
        p.notes
    );
}

/// The same figures as the CSV exports of the same tenant: the seats and the holders checked
/// against them.
#[test]
fn users_and_subscriptions_from_graph_apply_as_their_csv_exports_do() {
    let mut e = Estate::default();
    let s = apply_files(&mut e, &[USERS, SKUS]);
    assert_eq!(
        (e.organisation.m365.e3_seats, e.organisation.m365.e5_seats),
        (28, 5)
    );
    let size = |id: &str| {
        e.groups
            .iter()
            .find(|g| g.id == id)
            .map(|g| g.count)
            .unwrap_or_else(|| panic!("no group {id} in {:?}", e.groups))
    };
    assert_eq!(size("imported-employee-m365-e3"), 3);
    assert_eq!(size("imported-employee-m365-e5"), 2);
    assert_eq!(size("imported-partner"), 1);
    note(
        &s.notes,
        "Microsoft 365 E3: 28 seats from the tenant's subscriptions",
    );
}

/// Graph returns a list a page at a time: a file holding one page says so, since the accounts
/// of the other pages are missing from it.
#[test]
fn a_page_of_a_longer_list_is_said() {
    let page = USERS.replacen(
        "\"value\"",
        "\"@odata.nextLink\": \"https://graph.microsoft.com/v1.0/users?$skiptoken=RFNwdAIAAQAAAB\",\n  \"value\"",
        1,
    );
    let p = parse(page.as_bytes());
    note(&p.notes, "This is one page of a longer list: the response names a next page (“@odata.nextLink”), so the file holds only the first 8 objects.");
    let counted =
        r#"{"@odata.count": 120, "value": [{"userPrincipalName": "a@x", "accountEnabled": true}]}"#;
    let p = parse(counted.as_bytes());
    assert_eq!(p.kind, FileKind::EntraUsers);
    note(
        &p.notes,
        "Read as JSON: the one object of its “value” list is the row, its fields the columns",
    );
    note(
        &p.notes,
        "The file says its list has 120 objects (its count), but holds one object",
    );
    assert!(!parse(USERS.as_bytes())
        .notes
        .iter()
        .any(|n| n.contains("longer list") || n.contains("its count")),);
}

/// `Get-ADUser -Filter * -Properties Enabled,LastLogonDate | ConvertTo-Json` in Windows
/// PowerShell 5.1, saved by `Out-File` (UTF-16 LE with a byte order mark): dates as
/// `\/Date(ms)\/`, a piped array wrapped with its count, and a property its depth cut to a type
/// name.
#[test]
fn windows_powershell_convert_to_json_of_ad_users() {
    let text = r#"{
    "value":  [
                  {
                      "DistinguishedName":  "CN=Ann Lee,OU=Staff,DC=corp,DC=example",
                      "Enabled":  true,
                      "LastLogonDate":  "\/Date(1750150800000)\/",
                      "SamAccountName":  "ann.lee",
                      "UserPrincipalName":  "ann.lee@corp.example",
                      "PropertyNames":  "Microsoft.ActiveDirectory.Management.ADPropertyValueCollection"
                  },
                  {
                      "DistinguishedName":  "CN=Bob Old,OU=Staff,DC=corp,DC=example",
                      "Enabled":  true,
                      "LastLogonDate":  "\/Date(1704103200000)\/",
                      "SamAccountName":  "bob.old",
                      "UserPrincipalName":  "bob.old@corp.example"
                  },
                  {
                      "DistinguishedName":  "CN=Cy Gone,OU=Leavers,DC=corp,DC=example",
                      "Enabled":  false,
                      "LastLogonDate":  null,
                      "SamAccountName":  "cy.gone",
                      "UserPrincipalName":  "cy.gone@corp.example"
                  }
              ],
    "Count":  3
}"#;
    let bytes = utf16le(text);
    let whole = read_bytes(&bytes, ImportOptions::default()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(whole.kind, FileKind::AdUsers);
    assert_eq!(whole.rows, 3);
    // Streamed in chunks that cut characters and the byte order mark: the same reading.
    for chunk in [1, 3, 7, 64] {
        let p = parse_chunked(&bytes, chunk);
        assert_eq!(
            (p.kind, p.rows, &p.header, &p.notes),
            (whole.kind, whole.rows, &whole.header, &whole.notes),
            "chunk {chunk}"
        );
    }
    let Data::Directory(d) = &whole.data else {
        panic!("not a directory")
    };
    let c = d.classify(&ClassifyOptions::new(today()), &HashSet::new());
    let statuses: Vec<(&str, Status)> = (0..d.accounts.len())
        .map(|i| (d.key(i), c.verdicts[i].status))
        .collect();
    // 2025-06-17 (in use), 2024-01-01 (dormant on 2025-06-30), disabled.
    assert_eq!(
        statuses,
        [
            ("ann.lee", Status::Counted),
            ("bob.old", Status::Dormant),
            ("cy.gone", Status::Disabled)
        ]
    );
    assert!(
        !whole.notes.iter().any(|n| n.contains("its count")),
        "{:?}",
        whole.notes
    );
}

#[test]
fn json_that_gives_no_table_gets_a_message_that_says_why() {
    let cut = &USERS[..USERS.len() / 2];
    let e = refused(cut);
    let m = e.to_string();
    assert!(matches!(e, ImportError::Json { .. }), "{e:?}");
    assert!(
        m.starts_with("This JSON file could not be read: EOF while parsing"),
        "{m}"
    );
    assert!(m.contains("It may be cut short"), "{m}");
    assert_eq!(
        refused(r#"{"value": ["ann", "bob"]}"#).to_string(),
        "This JSON file holds no objects to read as rows: its items are values, not objects with fields. The import reads a list of objects (ConvertTo-Json), or a Microsoft Graph response with its objects in “value”."
    );
    assert!(matches!(
        refused("[]"),
        ImportError::JsonNoRows {
            what: "its list is empty"
        }
    ));
    assert!(matches!(
        refused(" [true, 1] "),
        ImportError::JsonNoRows { .. }
    ));
    // Graph's error saved instead of the list (signInActivity asked of a tenant without
    // Entra ID P1): its message, not "columns not recognised (error.code, …)".
    let m = refused(r#"{"error":{"code":"Authentication_RequestFromNonPremiumTenantOrB2CTenant","message":"Neither tenant is B2C or tenant doesn't have premium license","innerError":{"date":"2025-06-30T10:00:00","request-id":"7f1c"}}}"#).to_string();
    assert!(
        m.starts_with("This file is an error Microsoft Graph answered with, not a list: “Neither tenant is B2C or tenant doesn't have premium license” (Authentication_RequestFromNonPremiumTenantOrB2CTenant). Ask again with what the request needs"),
        "{m}"
    );
    let estate = include_str!("../../examples/estates/sample.json");
    assert_eq!(refused(estate), ImportError::EstateFile);
    // Objects whose fields are not an export's: the columns are offered for mapping, as a CSV
    // file's are.
    let e = refused(r#"[{"colour": "red", "size": 3}]"#);
    assert_eq!(e.header(), ["colour", "size"]);
    // White space alone is an empty file, not JSON.
    assert_eq!(refused(" \n\t "), ImportError::Empty);
}

/// JSON Lines, as a SIEM exports Windows logon events (4624) or `jq -c` writes them: one object
/// per line, read as a usage log.
#[test]
fn json_lines_of_logon_events_are_a_usage_log() {
    // Three events, a blank line among them (tests/fixtures, which the export fuzzer is also
    // seeded with).
    let text = include_str!("../fixtures/logon-events.jsonl");
    let p = parse(text.as_bytes());
    assert_eq!((p.kind, p.rows, p.json), (FileKind::Usage, 3, true));
    note(
        &p.notes,
        "Read as JSON: the 3 objects of its lines (JSON Lines) are the rows",
    );
    let broken = text.replacen("\"bob\",", "\"bob\" ", 1);
    let m = refused(&broken).to_string();
    assert!(
        m.contains("at line 2 column") && m.contains("(read as JSON Lines, one object per line)"),
        "{m}"
    );
    // Read a line at a time as the chunks come, whatever cuts them (characters, lines, the
    // line breaks of Windows): the same reading, and the same message for the broken line.
    let crlf = text.replace('\n', "\r\n").replace("ann", "Zoë");
    for text in [text.to_string(), crlf] {
        let whole = parse(text.as_bytes());
        let broken = text.replacen("\"bob\",", "\"bob\" ", 1);
        let m = refused(&broken).to_string();
        for chunk in [1, 2, 3, 7, 64, 150] {
            let p = parse_chunked(text.as_bytes(), chunk);
            assert_eq!(
                (p.kind, p.rows, &p.header, &p.notes, &p.errors),
                (
                    whole.kind,
                    whole.rows,
                    &whole.header,
                    &whole.notes,
                    &whole.errors
                ),
                "chunk {chunk}"
            );
            let mut imp = cal_calc::import::Importer::new(ImportOptions::default());
            let read = (broken.as_bytes().chunks(chunk))
                .try_for_each(|c| imp.push(c))
                .and_then(|()| imp.finish().map(|_| ()));
            assert_eq!(
                read.map_err(|e| e.to_string()),
                Err(m.clone()),
                "chunk {chunk}"
            );
        }
    }
}

/// A CSV file whose header starts with `[` (some SQL tools bracket names) is still CSV.
#[test]
fn a_csv_header_in_brackets_is_read_as_csv() {
    let csv = "[SamAccountName],[Enabled],[LastLogonDate]\nann,True,2025-06-01\nbob,False,\n";
    let p = parse(csv.as_bytes());
    assert!(!p.json);
    assert_eq!((p.kind, p.rows), (FileKind::AdUsers, 2));
}

/// Mapped by hand, as the app's column editor does for a file it does not recognise: the
/// table's column names are those the mapping names.
#[test]
fn a_json_file_read_again_with_a_kind_and_columns_chosen() {
    use cal_calc::import::Field;
    let text = r#"[{"login": {"name": "ann"}, "active": true}, {"login": {"name": "bob"}, "active": false}]"#;
    let opts = ImportOptions {
        kind: Some(FileKind::AdUsers),
        by_header: vec![
            (Field::AccountName, "login.name".into()),
            (Field::Enabled, "active".into()),
        ],
        ..ImportOptions::default()
    };
    let p = read_bytes(text.as_bytes(), opts).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((p.kind, p.rows, p.json), (FileKind::AdUsers, 2, true));
    let Data::Directory(d) = &p.data else {
        panic!("not a directory")
    };
    let c = d.classify(&ClassifyOptions::new(today()), &HashSet::new());
    let statuses: Vec<Status> = c.verdicts.iter().map(|v| v.status).collect();
    assert_eq!(statuses, [Status::Counted, Status::Disabled]);
}

/// A row of a JSON file is named by its object's number, as the file's note says, wherever a
/// message, a list or the command line names it: a JSON file has no lines to count (a Graph
/// response is often one line). A CSV file's rows keep their lines.
#[test]
fn the_rows_of_a_json_file_are_named_by_their_objects() {
    use cal_calc::import::session::Session;
    use cal_calc::import::RowUnit;
    // ConvertTo-Json of a statement: a return with no lot to take it from (object 2), a line
    // that is not a CAL (object 3), and a pack (object 4).
    let statement = r#"[
  {"Product": "WinSvrCAL 2022 SNGL OLP NL UsrCAL", "Version": "2022", "License Type": "User", "Quantity": 30},
  {"Product": "ExchgSvrStdCAL 2019 SNGL OLP NL DvcCAL", "Version": "2019", "License Type": "Device", "Quantity": -2},
  {"Product": "Visio Professional 2021", "Version": "2021", "License Type": "", "Quantity": 1},
  {"Product": "WinSvrCAL 2022 SNGL OLP NL 5 Clt UsrCAL", "Version": "2022", "License Type": "User", "Quantity": 2}
]"#;
    let p = parse(statement.as_bytes());
    assert_eq!((p.kind, p.json), (FileKind::LicenceStatement, true));
    let errors: Vec<u32> = p.errors.iter().map(|e| e.line).collect();
    assert_eq!(errors, [2], "{:?}", p.errors);
    let Data::Licences(st) = &p.data else {
        panic!("not a statement")
    };
    let ignored: Vec<u32> = st.ignored.iter().map(|&(l, _)| l).collect();
    assert_eq!(ignored, [3]);
    assert!(st.rows.iter().all(|r| r.unit == RowUnit::Object));
    note(
        &p.notes,
        "The product text on object 4 names a pack of 5 clients",
    );
    note(
        &p.notes,
        "Read as JSON: the 4 objects of its list are the rows",
    );
    assert!(
        p.notes.iter().any(|n| n
            .contains("below, a row is named by its object's number, the first being object 1")),
        "{:?}",
        p.notes
    );

    // A directory whose second and fourth objects are the same account.
    let users = r#"[
  {"SamAccountName": "ann.lee", "UserPrincipalName": "ann.lee@corp.example", "Enabled": true},
  {"SamAccountName": "bob.old", "UserPrincipalName": "bob.old@corp.example", "Enabled": true},
  {"SamAccountName": "cy.gone", "UserPrincipalName": "cy.gone@corp.example", "Enabled": false},
  {"SamAccountName": "bob.old", "UserPrincipalName": "bob.old@corp.example", "Enabled": true}
]"#;
    let p = parse(users.as_bytes());
    note(&p.notes, "1 account row repeats an account listed earlier in the same export, a duplicate row rather than another account: “bob.old” (objects 2 and 4).");
    let mut s = Session::new();
    s.begin(ImportOptions::default());
    s.push(users.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
    s.finish("users.json").unwrap_or_else(|e| panic!("{e}"));
    let page = s.accounts(&ClassifyOptions::new(today()), "cy.gone", None, 0, 10);
    let rows: Vec<(&str, u32, RowUnit)> = (page.rows.iter())
        .map(|r| (r.file.as_str(), r.line, r.unit))
        .collect();
    assert_eq!(rows, [("users.json", 3, RowUnit::Object)]);

    // Devices, and the same devices as CSV beside them: each row in its own file's terms.
    let devices = r#"{"value": [
  {"deviceName": "LAPTOP-00", "userPrincipalName": "ann.lee@corp.example", "operatingSystem": "Windows", "lastSyncDateTime": "2025-06-30T10:00:00Z"},
  {"deviceName": "LAPTOP-01", "userPrincipalName": "bob.old@corp.example", "operatingSystem": "Windows", "lastSyncDateTime": "2025-06-29T10:00:00Z"}
]}"#;
    let csv = "Device name,Primary user UPN,OS,OS version,Last check-in,Category\nLAPTOP-02,cy@corp.example,Windows,10.0.22631,2025-06-28 10:00:00,Laptop\n";
    let mut s = Session::new();
    for (name, bytes) in [("devices.json", devices), ("devices.csv", csv)] {
        s.begin(ImportOptions::default());
        s.push(bytes.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
        let summary = s.finish(name).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(summary.kind, FileKind::Devices, "{name}");
    }
    let rows: Vec<(String, u32, RowUnit)> = (s.devices(&ClassifyOptions::new(today())).into_iter())
        .map(|r| (r.name, r.line, r.unit))
        .collect();
    assert_eq!(
        rows,
        [
            ("LAPTOP-00".to_string(), 1, RowUnit::Object),
            ("LAPTOP-01".to_string(), 2, RowUnit::Object),
            ("LAPTOP-02".to_string(), 2, RowUnit::Line),
        ]
    );
}
