//! Import of directory, usage and device exports: which accounts are one person, which devices
//! are one device (review 14).

use crate::import::{parse, today};
use cal_calc::estate::{Estate, Server};
use cal_calc::import::{apply_to, ApplyOptions, ClassifyOptions, Data, ImportSet};
use std::collections::HashSet;

/// The directory of `csv`, classified as of [`today`] with the usage users `seen`, and each
/// account's (key, person, reason).
#[track_caller]
fn people(csv: &str, seen: &[&str]) -> Vec<(String, Option<u32>, String)> {
    let p = parse(csv.as_bytes());
    let Data::Directory(d) = &p.data else {
        panic!("not a directory: {:?}", p.kind)
    };
    let opts = ClassifyOptions::new(today());
    let seen: HashSet<String> = seen.iter().map(|s| s.to_string()).collect();
    let c = d.classify(&opts, &seen);
    (0..d.accounts.len())
        .map(|i| {
            (
                d.key(i).to_string(),
                c.verdicts[i].person,
                d.reason(&c, &opts, i),
            )
        })
        .collect()
}

fn person_of(rows: &[(String, Option<u32>, String)], key: &str) -> Option<u32> {
    rows.iter().find(|r| r.0 == key).and_then(|r| r.1)
}

fn reason_of<'a>(rows: &'a [(String, Option<u32>, String)], key: &str) -> &'a str {
    rows.iter()
        .find(|r| r.0 == key)
        .map_or("", |r| r.2.as_str())
}

// ---- item 2: a shared mailbox address does not make two employees one person ---------------

/// Review 14 item 2: Marie Müller (E31) and Karl Weber (E32) both carry info@corp.example and
/// were counted as one person. Different employee IDs are different people (cal-rules §1.2).
#[test]
fn accounts_with_different_employee_ids_are_not_merged_by_a_shared_mail() {
    let rows = people(
        "SamAccountName,DisplayName,EmailAddress,EmployeeID,Enabled,LastLogonDate\n\
         mmuller,Marie Müller,info@corp.example,E31,True,2025-06-01\n\
         kweber,Karl Weber,info@corp.example,E32,True,2025-06-01\n",
        &[],
    );
    assert_ne!(person_of(&rows, "mmuller"), person_of(&rows, "kweber"));
    let reason = reason_of(&rows, "kweber");
    assert!(
        reason.contains("not merged") && reason.contains("employee ID"),
        "{reason}"
    );
}

/// A third account with the mail and no employee ID joins one of them, never both: the shared
/// mail must not chain E1 and E2 together.
#[test]
fn a_shared_mail_does_not_chain_two_employee_ids_together() {
    for order in [["a", "b", "c"], ["a", "c", "b"], ["b", "a", "c"]] {
        let line = |k: &str| match k {
            "a" => "a,info@corp.example,E1,True,2025-06-01\n",
            "b" => "b,info@corp.example,,True,2025-06-01\n",
            _ => "c,INFO@corp.example,E2,True,2025-06-01\n",
        };
        let csv = format!(
            "SamAccountName,EmailAddress,EmployeeID,Enabled,LastLogonDate\n{}{}{}",
            line(order[0]),
            line(order[1]),
            line(order[2])
        );
        let rows = people(&csv, &[]);
        assert_ne!(
            person_of(&rows, "a"),
            person_of(&rows, "c"),
            "{order:?}: {rows:?}"
        );
        let distinct: HashSet<Option<u32>> = rows.iter().map(|r| r.1).collect();
        assert_eq!(distinct.len(), 2, "{order:?}: {rows:?}");
    }
}

/// What the e-mail join is for still holds: one person's accounts with one mail, where at most
/// one of them carries an employee ID (or both carry the same), are one person.
#[test]
fn accounts_with_one_mail_and_no_conflicting_employee_id_are_one_person() {
    let rows = people(
        "SamAccountName,EmailAddress,EmployeeID,Enabled,LastLogonDate\n\
         jsmith,john.smith@corp.example,E1,True,2025-06-01\n\
         john.smith,john.smith@corp.example,,True,2025-06-01\n\
         jsmith2,John.Smith@corp.example,E1,True,2025-06-01\n",
        &[],
    );
    let distinct: HashSet<Option<u32>> = rows.iter().map(|r| r.1).collect();
    assert_eq!(distinct.len(), 1, "{rows:?}");
    assert!(!reason_of(&rows, "john.smith").contains("not merged"));
}

fn server(id: &str) -> Server {
    serde_json::from_value(serde_json::json!({
        "id": id, "name": format!("{id}.corp.example"), "product": "windows-server", "version": "2022"
    }))
    .unwrap_or_else(|e| panic!("{e}"))
}

#[track_caller]
fn apply(files: &[&str]) -> (Estate, cal_calc::import::ApplySummary) {
    let mut set = ImportSet::default();
    for f in files {
        set.add(parse(f.as_bytes()));
    }
    let mut e = Estate {
        servers: vec![server("FS01")],
        ..Default::default()
    };
    let s = apply_to(
        &mut e,
        &set,
        &ApplyOptions {
            classify: ClassifyOptions::new(today()),
        },
    );
    (e, s)
}

fn group_count(e: &Estate, id: &str) -> u32 {
    e.groups.iter().find(|g| g.id == id).map_or(0, |g| g.count)
}

// ---- item 4: a logon by e-mail address is the account with that mail -------------------------

const AD: &str =
    "SamAccountName,DisplayName,EmailAddress,EmployeeID,Enabled,LastLogonDate,UserPrincipalName\n\
    jsmith,John Smith,john.smith@corp.example,E1,True,2025-06-20,jsmith@corp.example\n\
    mjones,Mary Jones,mary.jones@corp.example,E2,True,2025-06-20,mjones@corp.example\n\
    mmuller,Marie Müller,info@corp.example,E31,True,2025-06-20,mmuller@corp.example\n\
    kweber,Karl Weber,info@corp.example,E32,True,2025-06-20,kweber@corp.example\n\
    old,Old Timer,old.timer@corp.example,E5,True,2024-01-01,old@corp.example\n";

fn logons(users: &[&str]) -> String {
    let mut t = String::from(
        "TimeCreated\tMachineName\tEventID\tTargetUserName\tTargetDomainName\tLogonType\tWorkstationName\n",
    );
    for (i, u) in users.iter().enumerate() {
        t += &format!("2025-06-03T09:00:00\tFS01.corp.example\t4624\t{u}\tCORP\t3\tWS00{i}\n");
    }
    t
}

/// Review 14 item 4: a 4624 logon as mary.jones@corp.example (her mail, not her UPN) became a
/// second person beside mjones, and John Smith was counted twice.
#[test]
fn a_logon_by_mail_is_the_directory_account_with_that_mail() {
    let (e, s) = apply(&[
        AD,
        &logons(&[
            "mary.jones@corp.example",
            "John.Smith@corp.example",
            "jsmith",
        ]),
    ]);
    assert_eq!(
        (
            s.users_not_in_directory,
            s.usage_people,
            group_count(&e, "imported-employee")
        ),
        (0, 2, 4)
    );
}

/// A mail several people share (a shared mailbox address) says nothing about who logged on:
/// it matches none of them.
#[test]
fn a_logon_by_a_mail_several_people_share_matches_none_of_them() {
    let (_, s) = apply(&[AD, &logons(&["info@corp.example"])]);
    let people: Vec<String> = s
        .notes
        .iter()
        .filter(|n| n.contains("mmuller") || n.contains("kweber"))
        .cloned()
        .collect();
    assert_eq!(
        (s.users_not_in_directory, people),
        (1, Vec::<String>::new())
    );
}

/// An account whose last-logon date is old but that the usage logs show signing in by its mail
/// is in use, as when it signs in by its name.
#[test]
fn a_logon_by_mail_shows_a_dormant_looking_account_in_use() {
    let rows = people(AD, &["old.timer@corp.example"]);
    assert!(
        reason_of(&rows, "old").contains("usage logs show it"),
        "{rows:?}"
    );
    // A mail two people share shows neither of them in use.
    let rows = people(
        "SamAccountName,EmailAddress,EmployeeID,LastLogonDate\n\
         a,desk@corp.example,E1,2024-01-01\n\
         b,desk@corp.example,E2,2024-01-01\n",
        &["desk@corp.example"],
    );
    assert_eq!(rows.iter().filter(|r| r.1.is_some()).count(), 0, "{rows:?}");
    let (e, s) = apply(&[AD, &logons(&["old.timer@corp.example"])]);
    assert_eq!(
        (
            s.users_not_in_directory,
            s.usage_people,
            group_count(&e, "imported-employee")
        ),
        (0, 1, 5)
    );
}
// ---- item 5: one device in several device exports -------------------------------------------

const AD_COMPUTERS: &str =
    "\"DNSHostName\",\"Enabled\",\"LastLogonDate\",\"Name\",\"OperatingSystem\"\n\
    \"fs01.corp.example\",\"True\",\"6/27/2025\",\"FS01\",\"Windows Server 2022 Standard\"\n\
    \"laptop-01.corp.example\",\"True\",\"6/27/2025\",\"LAPTOP-01\",\"Windows 11 Enterprise\"\n\
    \"laptop-02.corp.example\",\"True\",\"6/27/2025\",\"LAPTOP-02\",\"Windows 11 Enterprise\"\n\
    \"kiosk-01.corp.example\",\"True\",\"6/27/2025\",\"KIOSK-01\",\"Windows 10 Enterprise\"\n\
    \"pc-09.corp.example\",\"True\",\"6/27/2025\",\"PC-09\",\"Windows 10 Enterprise\"\n";

const INTUNE: &str = "Device name,Primary user UPN,OS,OS version,Last check-in,Category\n\
    LAPTOP-01,jsmith@corp.example,Windows,10.0.22631,2025-06-28 10:00:00,Laptop\n\
    laptop-02.corp.example,mjones@corp.example,Windows,10.0.22631,2025-06-28 10:00:00,Laptop\n\
    KIOSK-01,,Windows,10.0.19045,2025-06-28 10:00:00,Kiosk\n\
    IPHONE-JS,jsmith@corp.example,iOS,17.1,2025-06-28 10:00:00,Phone\n";

#[track_caller]
fn inventory(files: &[&str]) -> cal_calc::import::devices::DeviceClassification {
    let mut set = ImportSet::default();
    for f in files {
        set.add(parse(f.as_bytes()));
    }
    let Some(inv) = &set.inventory else {
        panic!("no inventory")
    };
    inv.classify(today(), 90, None)
}

/// One device export's classification as of `today()`, and each row's name with its status.
fn statuses(
    inv: &cal_calc::import::devices::Inventory,
) -> (
    cal_calc::import::devices::DeviceClassification,
    Vec<(&str, cal_calc::import::devices::DeviceStatus)>,
) {
    let c = inv.classify(today(), 90, None);
    let named = inv
        .rows
        .iter()
        .map(|r| r.name.as_str())
        .zip(c.statuses.iter().copied())
        .collect();
    (c, named)
}

/// Review 14 item 5: an AD computer export and an Intune export of the same laptops counted
/// them twice, and the Intune export's primary-user column made every AD computer "shared".
#[test]
fn device_exports_name_one_device_once_and_each_decides_shared_for_its_own_rows() {
    for files in [[AD_COMPUTERS, INTUNE], [INTUNE, AD_COMPUTERS]] {
        let c = inventory(&files);
        // LAPTOP-01, LAPTOP-02 (laptop-02.corp.example in Intune), IPHONE-JS: personal;
        // KIOSK-01: shared; PC-09: a client whose user the AD export does not give.
        assert_eq!(
            (c.personal, c.shared, c.clients, c.unattended),
            (3, 1, 1, 0)
        );
        let f: Vec<(u32, u32)> = c.funnel.iter().map(|s| (s.removed, s.remaining)).collect();
        // 9 rows, 3 of them a device another export lists, the server FS01.
        assert_eq!(f.first(), Some(&(0, 9)));
        assert_eq!(f.get(1), Some(&(3, 6)));
        assert_eq!(f.last().map(|s| s.1), Some(5));
    }
}

#[test]
fn one_device_export_without_a_primary_user_column_has_no_shared_devices() {
    let c = inventory(&[AD_COMPUTERS]);
    assert_eq!((c.personal, c.shared, c.clients), (0, 0, 4));
}

#[test]
fn a_shared_device_pool_counts_devices_without_a_primary_user_once() {
    let (e, _) = apply(&[AD, AD_COMPUTERS, INTUNE]);
    let pool = e
        .shared_devices
        .iter()
        .find(|p| p.id == "imported-shared-devices")
        .map(|p| p.count);
    assert_eq!(pool, Some(1));
}

/// The second device export's summary names the devices an earlier export listed.
#[test]
fn a_device_export_names_the_devices_an_earlier_one_listed() {
    let mut set = ImportSet::default();
    set.add(parse(AD_COMPUTERS.as_bytes()));
    let notes = set.add(parse(INTUNE.as_bytes()));
    assert!(
        notes
            .iter()
            .any(|n| n.starts_with("3 of its devices")
                && n.contains("kiosk-01, laptop-01, laptop-02")),
        "{notes:?}"
    );
}

#[test]
fn a_device_is_named_without_domain_prefix_dollar_or_dns_suffix() {
    use cal_calc::import::devices::device_key;
    assert_eq!(
        [
            device_key("CORP\\PC01$"),
            device_key("pc01.corp.example"),
            device_key("10.0.0.21"),
        ],
        ["pc01", "pc01", "10.0.0.21"]
    );
}

// ---- item 11: why a guest is a guest -------------------------------------------------------------

/// Review 14 item 11: an Entra account of userType Guest whose UPN has no #EXT# was explained
/// as a "guest (#EXT#) account".
#[test]
fn a_guest_by_user_type_is_explained_by_its_user_type() {
    let rows = people(
        "userPrincipalName,displayName,userType,accountEnabled\n\
         carl_fabrikam.com#EXT#@corp.onmicrosoft.com,Carl C,Guest,True\n\
         dina@corp.example,Dina D,Guest,True\n",
        &[],
    );
    let (carl, dina) = (
        reason_of(&rows, "carl_fabrikam.com#EXT#@corp.onmicrosoft.com"),
        reason_of(&rows, "dina@corp.example"),
    );
    assert!(
        carl.ends_with("partner (external): guest (#EXT#) account"),
        "{carl}"
    );
    assert!(
        dina.ends_with("partner (external): guest (userType Guest)"),
        "{dina}"
    );
}

// ---- item 10: shared and resource mailboxes ------------------------------------------------------

/// Review 14 item 10: an enabled shared mailbox (OU=Shared Mailboxes) and a room were counted as
/// people with nothing said. A User CAL is for the people who use a shared account (cal-rules
/// §4.2 item 4): it stays counted (it can sign in), and its reason and the file's notes say so.
#[test]
fn a_shared_or_resource_mailbox_is_named_as_such() {
    let csv = "SamAccountName,DisplayName,Enabled,LastLogonDate,DistinguishedName\n\
        reception,Reception shared,True,2025-06-20,\"CN=Reception,OU=Shared Mailboxes,DC=corp,DC=example\"\n\
        room101,Room 101,True,2025-06-20,\"CN=Room 101,OU=Staff,DC=corp,DC=example\"\n\
        jsmith,John Smith,True,2025-06-20,\"CN=John Smith,OU=Staff,DC=corp,DC=example\"\n";
    let rows = people(csv, &[]);
    for key in ["reception", "room101"] {
        let r = rows.iter().find(|r| r.0 == key);
        assert!(
            r.is_some_and(|r| r.1.is_some() && r.2.contains("shared or resource mailbox")),
            "{r:?}"
        );
    }
    assert!(!reason_of(&rows, "jsmith").contains("shared"));
    let notes = parse(csv.as_bytes()).notes;
    assert!(
        notes.iter().any(|n| n
            .starts_with("2 enabled accounts look like shared or resource mailboxes")
            && n.contains("reception, room101")),
        "{notes:?}"
    );
    // One is one mailbox (review 39: "1 enabled account looks like shared or resource mailboxes").
    let one: String = csv
        .lines()
        .filter(|l| !l.starts_with("room101"))
        .map(|l| format!("{}\n", l.trim_start()))
        .collect();
    let notes = parse(one.as_bytes()).notes;
    assert!(
        notes.iter().any(|n| n.starts_with(
            "1 enabled account looks like a shared or resource mailbox (reception): it counts while it can sign in"
        )),
        "{notes:?}"
    );
}

// ---- item 16: a funnel line with no figure -----------------------------------------------------

/// The command line's account funnel lines after the total, as (label, change).
fn cli_funnel(csv: &str) -> Vec<(String, String)> {
    let dir = std::env::temp_dir().join(format!("cal-calc-accounts-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let (estate, export) = (dir.join("estate.json"), dir.join("ad.csv"));
    let written = std::fs::write(&estate, "{\"format_version\": 1}")
        .and_then(|_| std::fs::write(&export, csv));
    assert!(written.is_ok(), "{written:?}");
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_cal-calc"))
        .args([
            "import",
            &estate.to_string_lossy(),
            &export.to_string_lossy(),
        ])
        .args(["--as-of", "2025-06-30"])
        .output();
    let _ = std::fs::remove_dir_all(&dir);
    let err = o.map_or_else(
        |e| e.to_string(),
        |o| String::from_utf8_lossy(&o.stderr).into_owned(),
    );
    err.lines()
        .skip_while(|l| !l.starts_with("accounts ("))
        .skip(2)
        .take_while(|l| l.starts_with("  ") && !l.starts_with("  ("))
        .map(|l| {
            let label = l.get(2..42).unwrap_or_default().trim().to_string();
            let change = l.get(42..51).unwrap_or_default().trim().to_string();
            (label, change)
        })
        .collect()
}

/// Review 14 item 16: "Accounts of the same person merged" was printed with a blank change when
/// nothing was merged, where every other step that removes nothing is left out.
#[test]
fn a_funnel_step_that_removes_nothing_is_left_out_like_the_others() {
    let none_merged = cli_funnel("SamAccountName,Enabled\nann,True\nbob,False\ncid,True\n");
    assert_eq!(
        none_merged,
        vec![("Disabled accounts".to_string(), "-1".to_string())]
    );
    let merged =
        cli_funnel("SamAccountName,Enabled,EmployeeID\nann,True,E1\nann2,True,E1\ncid,True,E2\n");
    assert_eq!(
        merged,
        vec![(
            "Accounts of the same person merged".to_string(),
            "-1".to_string()
        )]
    );
}

// ---- review 15, item 1: a logon by employee ID is the person with that ID --------------------

/// Review 15 (1): a usage log whose user column holds the employee ID (E2, Mary Jones's) made
/// the logon an unknown second person beside mjones. It is the one directory person with that
/// employee ID, whatever the case of its letters; an account name or UPN still comes first.
#[test]
fn a_logon_by_employee_id_is_the_directory_person_with_that_id() {
    let (e, s) = apply(&[AD, &logons(&["E2", "e1", "jsmith"])]);
    assert_eq!(
        (
            s.users_not_in_directory,
            s.usage_people,
            group_count(&e, "imported-employee")
        ),
        (0, 2, 4)
    );
    // An account whose last logon is old is in use when the logs name its employee ID.
    let rows = people(AD, &["e5"]);
    assert!(
        reason_of(&rows, "old").contains("usage logs show it"),
        "{rows:?}"
    );
    let (e, s) = apply(&[AD, &logons(&["E5"])]);
    assert_eq!(
        (
            s.users_not_in_directory,
            s.usage_people,
            group_count(&e, "imported-employee")
        ),
        (0, 1, 5)
    );
}

/// An employee ID that several directory accounts have which are not one person (two service
/// accounts stamped with one ID) says nothing about who logged on: it matches none of them, and
/// the summary says why it counts as a person of its own.
#[test]
fn a_logon_by_an_employee_id_several_accounts_share_matches_none_and_says_why() {
    let ad = format!(
        "{}svc-backup,Backup service,,E9,True,2025-06-20,svc-backup@corp.example\n\
         svc-print,Print service,,E9,True,2025-06-20,svc-print@corp.example\n",
        AD
    );
    let (_, s) = apply(&[&ad, &logons(&["E9"])]);
    let why: Vec<&String> = s
        .notes
        .iter()
        .filter(|n| n.contains("e9") && n.contains("employee ID"))
        .collect();
    assert_eq!(s.users_not_in_directory, 1, "{:?}", s.notes);
    assert!(
        why.len() == 1 && why[0].contains("svc-backup") && why[0].contains("svc-print"),
        "{:?}",
        s.notes
    );
}

// ---- review 15, item 2: a printer without an operating system is not a client device ---------

const AD_OBJECTS: &str = "\"DistinguishedName\",\"DNSHostName\",\"Enabled\",\"LastLogonDate\",\"Name\",\"ObjectClass\",\"OperatingSystem\",\"SamAccountName\"\n\
    \"CN=PC-01,OU=Workstations,DC=corp,DC=example\",\"pc-01.corp.example\",\"True\",\"6/27/2025\",\"PC-01\",\"computer\",\"Windows 11 Enterprise\",\"PC-01$\"\n\
    \"CN=PRN-2F,OU=Printers,DC=corp,DC=example\",\"\",\"\",\"\",\"PRN-2F\",\"printQueue\",\"\",\"\"\n\
    \"CN=NEW-PC,OU=Workstations,DC=corp,DC=example\",\"\",\"True\",\"\",\"NEW-PC\",\"computer\",\"\",\"NEW-PC$\"\n";

const PRINTER_MODELS: &str = "Name,OperatingSystem,Printer Model\n\
    PRN-3F,,HP LaserJet M607\n\
    PC-02,Windows 11 Enterprise,HP LaserJet M607\n\
    PC-03,,\n";

/// Review 15 (2): an AD export's printQueue object and a device with a printer model but no
/// operating system were read as client devices. Rows positively marked as printers are
/// printers (a networked printer needs a Device CAL unless the CALs of its users cover it, so
/// they go into the printers and scanners pool, not the client devices), and the file's notes
/// name them; a computer without an operating system, or a PC whose printer model column names
/// its printer, stays a client device.
#[test]
fn a_printer_without_an_operating_system_is_not_a_client_device() {
    use cal_calc::import::devices::DeviceStatus;
    for (file, printer, names) in [
        (AD_OBJECTS, "PRN-2F", &["PC-01", "PRN-2F", "NEW-PC"]),
        (PRINTER_MODELS, "PRN-3F", &["PRN-3F", "PC-02", "PC-03"]),
    ] {
        let p = parse(file.as_bytes());
        let Data::Devices(inv) = &p.data else {
            panic!("{:?}", p.kind)
        };
        let (c, got) = statuses(inv);
        let want: Vec<(&str, DeviceStatus)> = names
            .iter()
            .map(|&n| {
                let s = if n == printer {
                    DeviceStatus::Unattended
                } else {
                    DeviceStatus::Client
                };
                (n, s)
            })
            .collect();
        assert_eq!(got, want);
        let named: Vec<&String> = p
            .notes
            .iter()
            .filter(|n| n.contains(printer) && n.contains("printer"))
            .collect();
        assert_eq!(named.len(), 1, "{:?}", p.notes);
        assert!(!named[0].contains("PC-0"), "{:?}", p.notes);
        // Each device says why: the printer by what marks it, the client by what it lacks.
        let reasons: Vec<String> = (0..inv.rows.len())
            .map(|i| inv.reason(i, c.statuses[i]))
            .collect();
        let at = names.iter().position(|&n| n == printer).unwrap_or(0);
        assert!(
            reasons[at].starts_with("printer or scanner")
                && (reasons[at].contains("printQueue") || reasons[at].contains("HP LaserJet")),
            "{reasons:?}"
        );
        assert!(
            reasons
                .iter()
                .enumerate()
                .all(|(i, r)| i == at || r.starts_with("client device")),
            "{reasons:?}"
        );
    }
}

/// Printers need servers to reach: on an estate with no Windows Server yet they are not added
/// (the estate would refuse a pool that reaches nothing), and the summary says so.
#[test]
fn printers_wait_for_a_server_to_reach() {
    let mut set = ImportSet::default();
    set.add(parse(AD_OBJECTS.as_bytes()));
    let mut e = Estate::default();
    let s = apply_to(
        &mut e,
        &set,
        &ApplyOptions {
            classify: ClassifyOptions::new(today()),
        },
    );
    assert!(
        s.applied && s.notes.iter().any(|n| n.contains("no Windows Server")),
        "{s:?}"
    );
    assert!(e.shared_devices.is_empty());
}

/// Imported printers work for the imported staff: the pool names their groups, so a printer is
/// licensed by its users' User CALs or its own Device CAL (cal-rules §1.8 item 8; the engine's
/// side is `rules::printers_used_by_people_with_user_cals_need_no_cal_of_their_own`).
#[test]
fn imported_printers_are_used_by_the_imported_staff() {
    let (e, s) = apply(&[AD, AD_OBJECTS]);
    assert!(s.applied, "{s:?}");
    let pool = e
        .shared_devices
        .iter()
        .find(|p| p.unattended)
        .unwrap_or_else(|| panic!("{:?}", e.shared_devices));
    let staff: Vec<&str> = e
        .groups
        .iter()
        .filter(|g| !g.kind.is_external() && g.count > 0)
        .map(|g| g.id.as_str())
        .collect();
    assert!(!staff.is_empty(), "{:?}", e.groups);
    assert!(
        staff.iter().all(|g| pool.shared_by.iter().any(|x| x == g)),
        "{:?} against {staff:?}",
        pool.shared_by
    );
    assert_eq!(pool.accesses, vec!["FS01".to_string()]);
    assert_eq!(e.validate(), Ok(()));
}

/// Applies `files` to the estate `e` as the app's "Use these figures in the estate" does.
#[track_caller]
fn apply_again(e: &mut Estate, files: &[&str]) -> cal_calc::import::ApplySummary {
    let mut set = ImportSet::default();
    for f in files {
        set.add(parse(f.as_bytes()));
    }
    let s = apply_to(
        e,
        &set,
        &ApplyOptions {
            classify: ClassifyOptions::new(today()),
        },
    );
    assert!(s.applied, "{s:?}");
    s
}

#[track_caller]
fn printer_pool(e: &Estate) -> &cal_calc::estate::SharedDevices {
    e.shared_devices
        .iter()
        .find(|p| p.id == "imported-unattended-devices")
        .unwrap_or_else(|| panic!("{:?}", e.shared_devices))
}

fn hand_made_group(e: &mut Estate) {
    e.groups.push(
        serde_json::from_value(serde_json::json!({"id": "print-room", "count": 2}))
            .unwrap_or_else(|err| panic!("{err}")),
    );
}

/// Review 16: an estate whose printer pool an import made before pools named their users kept
/// it without users on a re-import (only its count was updated), so its printers still asked
/// Device CALs. A re-import names the staff on an import-made pool that names nobody, and says
/// so.
#[test]
fn a_re_import_names_the_staff_on_a_printer_pool_made_before_pools_named_users() {
    let (mut e, s) = apply(&[AD, AD_OBJECTS]);
    assert!(s.applied, "{s:?}");
    // What the import made before it named the staff.
    e.shared_devices
        .iter_mut()
        .filter(|p| p.unattended)
        .for_each(|p| p.shared_by.clear());
    assert!(printer_pool(&e).shared_by.is_empty());
    // The staff are the people this import counts: device exports alone count no one, so they
    // name no one (docs/import.md).
    let s = apply_again(&mut e, &[AD_OBJECTS]);
    assert!(printer_pool(&e).shared_by.is_empty());
    assert!(
        !s.notes.iter().any(|n| n.contains("now names")),
        "{:?}",
        s.notes
    );
    let s = apply_again(&mut e, &[AD, AD_OBJECTS]);
    assert_eq!(printer_pool(&e).shared_by, ["imported-employee"]);
    assert!(
        s.notes
            .iter()
            .any(|n| n.contains("Printers and scanners (imported) now names Employees (imported)")),
        "{:?}",
        s.notes
    );
    assert_eq!(e.validate(), Ok(()));
    // Applied once more, nothing changes and nothing is said.
    let s = apply_again(&mut e, &[AD, AD_OBJECTS]);
    assert_eq!(printer_pool(&e).shared_by, ["imported-employee"]);
    assert!(
        !s.notes.iter().any(|n| n.contains("now names")),
        "{:?}",
        s.notes
    );
}

/// A pool whose users the user chose keeps them: a group added by hand stays first, a staff
/// group the user took off is not put back, and a staff group the import creates joins them.
#[test]
fn a_re_import_keeps_the_users_the_user_chose_for_the_printer_pool() {
    // Narrowed by hand: the print room only.
    let (mut e, _) = apply(&[AD, AD_OBJECTS]);
    hand_made_group(&mut e);
    for p in e.shared_devices.iter_mut().filter(|p| p.unattended) {
        p.shared_by = vec!["print-room".into()];
    }
    let s = apply_again(&mut e, &[AD, AD_OBJECTS]);
    assert_eq!(printer_pool(&e).shared_by, ["print-room"]);
    assert!(
        !s.notes.iter().any(|n| n.contains("now names")),
        "{:?}",
        s.notes
    );

    // Printers imported before the directory: the print room named by hand, then the
    // directory's employees, a group nobody has decided on yet, join it after it.
    let (mut e, _) = apply(&[AD_OBJECTS]);
    hand_made_group(&mut e);
    for p in e.shared_devices.iter_mut().filter(|p| p.unattended) {
        p.shared_by = vec!["print-room".into()];
    }
    apply_again(&mut e, &[AD, AD_OBJECTS]);
    assert_eq!(
        printer_pool(&e).shared_by,
        ["print-room", "imported-employee"]
    );
    assert_eq!(e.validate(), Ok(()));
}

/// Review 16 (5): a printer pool the user turned into a pool people work at (30 desks used by
/// the print room) had its count set back to the import's printer count on a re-import of the
/// same files, although its users were left alone. A pool the user turned into the other kind
/// is theirs, count and all; no pool of the import's kind is made beside it (it would count the
/// same devices twice), and the summary says which devices were not added.
#[test]
fn a_re_import_leaves_a_pool_the_user_turned_into_the_other_kind_as_it_is() {
    let (mut e, _) = apply(&[AD, AD_OBJECTS]);
    assert_eq!(printer_pool(&e).count, 1);
    hand_made_group(&mut e);
    for p in e.shared_devices.iter_mut().filter(|p| p.unattended) {
        p.unattended = false;
        p.accesses.clear();
        p.count = 30;
        p.shared_by = vec!["print-room".into()];
    }
    assert_eq!(e.validate(), Ok(()));
    let before = e.shared_devices.clone();
    let s = apply_again(&mut e, &[AD, AD_OBJECTS]);
    assert_eq!(e.shared_devices, before);
    assert!(
        s.notes.iter().any(|n| n.contains(
            "Printers and scanners (imported) is a pool people work at now, so it was left as it is: the printer or scanner this import found was not added."
        )),
        "{:?}",
        s.notes
    );
    assert!(
        !s.notes.iter().any(|n| n.contains("now names")),
        "{:?}",
        s.notes
    );
    assert_eq!(e.validate(), Ok(()));

    // A shared pool turned into one no one works at, likewise.
    let (mut e, _) = apply(&[AD, AD_COMPUTERS, INTUNE]);
    for p in e
        .shared_devices
        .iter_mut()
        .filter(|p| p.id == "imported-shared-devices")
    {
        assert_eq!((p.count, p.unattended), (1, false));
        p.unattended = true;
        p.accesses = vec!["FS01".into()];
        p.count = 4;
        p.shared_by.clear();
    }
    assert_eq!(e.validate(), Ok(()));
    let before = e.shared_devices.clone();
    let s = apply_again(&mut e, &[AD, AD_COMPUTERS, INTUNE]);
    assert_eq!(e.shared_devices, before);
    assert!(
        s.notes.iter().any(|n| n.contains(
            "Shared devices (imported) is a pool no one works at now, so it was left as it is: the shared device without a primary user this import found was not added."
        )),
        "{:?}",
        s.notes
    );
}

// ---- review 16, item 3: Windows IoT Enterprise is a client device -----------------------------

const IOT_DEVICES: &str = "Device name,Primary user UPN,OS,Device type\n\
    KIOSK-LOBBY,,Windows 10 IoT Enterprise,Desktop\n\
    POS-07,cashier@corp.example,Windows 11 IoT Enterprise LTSC,Desktop\n\
    SENSOR-01,,Windows 10 IoT Core,IoT\n\
    CAM-02,,Linux,Camera\n\
    DOOR-3,,Embedded,Badge reader\n\
    GW-04,,Azure Sphere,IoT device\n\
    TC-12,,IoTEnterprise,Thin client\n";

/// Review 16 (3): "Windows 10 IoT Enterprise", a full Windows on kiosks, thin clients and
/// point-of-sale terminals where people work, was read as an unattended device because of the
/// word "IoT". It is a client device (shared when its export's primary-user column is empty,
/// personal with a primary user), and its reason says why; headless devices (IoT Core, a
/// sensor, a camera, a badge reader, an "IoT device") stay unattended.
#[test]
fn windows_iot_enterprise_is_a_client_device_and_iot_core_is_not() {
    use cal_calc::import::devices::DeviceStatus;
    let p = parse(IOT_DEVICES.as_bytes());
    let Data::Devices(inv) = &p.data else {
        panic!("{:?}", p.kind)
    };
    let (c, got) = statuses(inv);
    assert_eq!(
        got,
        [
            ("KIOSK-LOBBY", DeviceStatus::Shared),
            ("POS-07", DeviceStatus::Personal),
            ("SENSOR-01", DeviceStatus::Unattended),
            ("CAM-02", DeviceStatus::Unattended),
            ("DOOR-3", DeviceStatus::Unattended),
            ("GW-04", DeviceStatus::Unattended),
            ("TC-12", DeviceStatus::Shared),
        ]
    );
    let reasons: Vec<String> = (0..inv.rows.len())
        .map(|i| inv.reason(i, c.statuses[i]))
        .collect();
    for i in [0, 1, 6] {
        assert!(
            reasons[i].contains("Windows IoT Enterprise")
                && reasons[i].contains("people work")
                && reasons[i].contains(inv.rows[i].os.as_str()),
            "{}",
            reasons[i]
        );
    }
    for r in &reasons[2..6] {
        assert!(
            r.starts_with("printer or scanner") && !r.contains("IoT Enterprise"),
            "{r}"
        );
    }
    // The file's note on devices no one works at names the headless ones alone.
    let note = p
        .notes
        .iter()
        .find(|n| n.contains("no one works at"))
        .cloned()
        .unwrap_or_default();
    assert!(
        note.starts_with("4 devices are") && !note.contains("KIOSK") && !note.contains("POS-07"),
        "{:?}",
        p.notes
    );
}

/// Review 20: a Configuration Manager device export lists "x64 Unknown Computer (x64 Unknown
/// Computer)" and "x86 Unknown Computer (x86 Unknown Computer)", objects it creates to deploy
/// an OS to computers it does not know yet; they were counted as shared client devices. They
/// are left out with a funnel step, a reason and a note; a real device without the client
/// (Client "No") is still counted.
#[test]
fn configmgr_unknown_computer_placeholders_are_not_devices() {
    use cal_calc::import::devices::DeviceStatus;
    let csv = "\"Name\",\"Client\",\"Site Code\",\"Operating System\",\"Primary User(s)\"\n\
\"LAPTOP-JSMITH\",\"Yes\",\"P01\",\"Microsoft Windows NT Workstation 10.0\",\"CORP\\jsmith\"\n\
\"PC-SHARED-01\",\"Yes\",\"P01\",\"Microsoft Windows NT Workstation 10.0\",\"\"\n\
\"x64 Unknown Computer (x64 Unknown Computer)\",\"No\",\"P01\",\"\",\"\"\n\
\"x86 Unknown Computer (x86 Unknown Computer)\",\"No\",\"P01\",\"\",\"\"\n\
\"PC-NOCLIENT\",\"No\",\"\",\"\",\"\"\n";
    let p = parse(csv.as_bytes());
    let Data::Devices(inv) = &p.data else {
        panic!("{:?}", p.kind)
    };
    let (c, got) = statuses(inv);
    assert_eq!(
        got,
        [
            ("LAPTOP-JSMITH", DeviceStatus::Personal),
            ("PC-SHARED-01", DeviceStatus::Shared),
            (
                "x64 Unknown Computer (x64 Unknown Computer)",
                DeviceStatus::Placeholder
            ),
            (
                "x86 Unknown Computer (x86 Unknown Computer)",
                DeviceStatus::Placeholder
            ),
            ("PC-NOCLIENT", DeviceStatus::Shared),
        ]
    );
    assert_eq!(
        (c.personal, c.shared, c.clients, c.unattended),
        (1, 2, 0, 0)
    );
    let step = c
        .funnel
        .iter()
        .find(|s| s.label.contains("placeholder"))
        .map(|s| (s.removed, s.remaining));
    assert_eq!(step, Some((2, 3)), "{:?}", c.funnel);
    assert!(inv.reason(2, c.statuses[2]).contains("not a device"));
    assert!(
        p.notes.iter().any(
            |n| n.contains("x86 Unknown Computer (x86 Unknown Computer) (line 5)")
                && n.contains("not devices")
        ),
        "{:?}",
        p.notes
    );
    // Without placeholders the funnel has no such step.
    let plain = parse(b"Name,Operating System,Primary User(s)\nPC1,Windows 11,ann\n");
    let Data::Devices(inv) = &plain.data else {
        panic!("{:?}", plain.kind)
    };
    assert!(!inv
        .classify(today(), 90, None)
        .funnel
        .iter()
        .any(|s| s.label.contains("placeholder")));
}

// ---- code review 21: devices each within the estate's limit ------------------------------------

/// Two accounts and 2,100 personal devices gave 1,050 devices each, and the estate check then
/// refused the whole import ("at most 1000"): the import keeps within the limit and says why.
#[test]
fn more_devices_each_than_an_estate_allows_is_kept_to_the_limit_with_a_note() {
    let users = "SamAccountName,Enabled,LastLogonDate\n\
                 alice,True,2025-06-01\n\
                 bob,True,2025-06-02\n";
    let mut devices = String::from("Name,OperatingSystem,LastLogonDate,PrimaryUser\n");
    for i in 1..=2_100 {
        let user = if i % 2 == 0 { "bob" } else { "alice" };
        devices.push_str(&format!("PC{i},Windows 11 Pro,2025-06-20,{user}\n"));
    }
    let (e, s) = apply(&[users, &devices]);
    let each: Vec<u32> = e.groups.iter().map(|g| g.devices_each).collect();
    assert_eq!(
        (each, e.validate().is_ok()),
        (vec![cal_calc::estate::MAX_DEVICES_EACH], true),
        "{:?}",
        s.notes
    );
    assert!(
        s.notes.iter().any(|n| n.contains("1050 devices each")
            && n.contains("only part of the organisation")),
        "{:?}",
        s.notes
    );
}

// ---- review 39, minor points: what an account's reason claims -----------------------------------

/// Review 39: an Entra export's "Block sign in" left blank was explained as "enabled", a claim
/// the file did not make. The account still counts (an account not known to be disabled can sign
/// in: cal-rules §4.1), and its reason says the file gives no sign-in state.
#[test]
fn a_blank_block_sign_in_is_not_called_enabled() {
    let rows = people(
        "User principal name,Display name,User type,Block sign in,Object ID\n\
         a@contoso.com,A One,Member,No,1\n\
         c@contoso.com,C Three,Member,,3\n",
        &[],
    );
    let (said, blank) = (
        reason_of(&rows, "a@contoso.com"),
        reason_of(&rows, "c@contoso.com"),
    );
    assert!(said.starts_with("enabled;"), "{said}");
    assert!(!blank.contains("enabled"), "{blank}");
    assert!(
        blank.contains("no sign-in state") && blank.contains("“Block sign in” is blank"),
        "{blank}"
    );
    assert!(person_of(&rows, "c@contoso.com").is_some(), "{blank}");
    // The same in an AD export with a last-logon column: "in use", not "enabled and in use".
    let rows = people(
        "SamAccountName,Enabled,LastLogonDate\njdoe,,2025-06-01\n",
        &[],
    );
    let jdoe = reason_of(&rows, "jdoe");
    assert!(
        jdoe.starts_with("in use;") && jdoe.contains("“Enabled” is blank"),
        "{jdoe}"
    );
    assert!(person_of(&rows, "jdoe").is_some(), "{jdoe}");
}

/// Review 39: a dormant account whose sign-in state is blank ended "it can still sign in", a claim
/// the file did not make. It says the state is blank, so the account is not known to be disabled;
/// one the file says is enabled still says it can sign in.
#[test]
fn a_dormant_account_with_a_blank_sign_in_state_is_not_said_to_sign_in() {
    let rows = people(
        "SamAccountName,Enabled,LastLogonDate\n\
         blank,,2020-01-01\n\
         on,True,2020-01-01\n",
        &[],
    );
    let (blank, on) = (reason_of(&rows, "blank"), reason_of(&rows, "on"));
    assert!(
        blank.starts_with("dormant: last logon 2020-01-01"),
        "{blank}"
    );
    assert!(!blank.contains("can still sign in"), "{blank}");
    assert!(
        blank.contains("“Enabled” is blank, so it is not known to be disabled"),
        "{blank}"
    );
    assert!(
        on.starts_with("dormant: last logon 2020-01-01")
            && on.contains("not a licence rule: it can still sign in)"),
        "{on}"
    );
    assert_eq!(
        (person_of(&rows, "blank"), person_of(&rows, "on")),
        (None, None)
    );
}

/// Review 39: disabled and system accounts carried "employee: no sign of an outsider" beside the
/// reason they are left out, as if they were classified as people. An account that cannot sign
/// in, or is no person, says only why it is left out; a counted one still says its kind.
#[test]
fn an_account_left_out_as_no_licensable_person_is_not_also_called_an_employee() {
    let rows = people(
        "SamAccountName,Enabled,LastLogonDate,AccountExpirationDate,DistinguishedName\n\
         gone,False,2025-06-01,,\"CN=gone,OU=Staff,DC=corp,DC=example\"\n\
         krbtgt,True,2025-06-01,,\"CN=krbtgt,CN=Users,DC=corp,DC=example\"\n\
         svc_backup,True,2025-06-01,,\"CN=svc_backup,OU=Staff,DC=corp,DC=example\"\n\
         temp,True,2025-06-01,2025-01-31,\"CN=temp,OU=Staff,DC=corp,DC=example\"\n\
         ann,True,2025-06-01,,\"CN=ann,OU=Staff,DC=corp,DC=example\"\n",
        &[],
    );
    for (key, why) in [
        ("gone", "disabled: cannot sign in"),
        ("krbtgt", "built-in or system account"),
        ("svc_backup", "service account"),
        ("temp", "expired on"),
    ] {
        let reason = reason_of(&rows, key);
        assert!(reason.starts_with(why), "{key}: {reason}");
        assert!(
            !reason.contains("employee") && !reason.contains("outsider"),
            "{key}: {reason}"
        );
    }
    let ann = reason_of(&rows, "ann");
    assert!(ann.ends_with("employee: no sign of an outsider"), "{ann}");
}

// ---- network equipment in device exports (cal-rules §4.2 item 8) -----------------------------

/// A device export with network equipment beside client devices and a printer: switches,
/// access points and firewalls by their type, routers and firewalls by a network operating
/// system; an iPhone's "iOS" and a network printer are not network equipment.
const NETWORK_DEVICES: &str = "Device name,Primary user UPN,OS,Device type\n\
    SW-CORE-01,,Cisco IOS XE 17.9,Switch\n\
    AP-LOBBY,,ArubaOS 8.10,Wireless Access Point\n\
    FW-EDGE,,FortiOS 7.2,\n\
    RTR-01,,JUNOS 21.4R3,\n\
    SW-FLOOR-2,,,Network switch\n\
    IPHONE-JS,js@corp.example,iOS 17.5,Phone\n\
    PRN-2F,,,Network printer\n\
    DESK-07,,Windows 11 Enterprise,Desktop\n";

/// Session 55 let an estate mark an unattended pool as network equipment and choose whether it
/// needs Device CALs, but a device export's switches were still counted as client devices whose
/// users the file does not give. Network equipment by its type or OS is a status of its own, with
/// a reason and a note naming what marks each; an iPhone ("iOS" alone is Apple's) and a
/// network printer are not network equipment.
#[test]
fn network_equipment_in_a_device_export_is_neither_a_client_device_nor_a_printer() {
    use cal_calc::import::devices::DeviceStatus;
    let p = parse(NETWORK_DEVICES.as_bytes());
    let Data::Devices(inv) = &p.data else {
        panic!("{:?}", p.kind)
    };
    let (c, got) = statuses(inv);
    assert_eq!(
        got,
        [
            ("SW-CORE-01", DeviceStatus::Network),
            ("AP-LOBBY", DeviceStatus::Network),
            ("FW-EDGE", DeviceStatus::Network),
            ("RTR-01", DeviceStatus::Network),
            ("SW-FLOOR-2", DeviceStatus::Network),
            ("IPHONE-JS", DeviceStatus::Personal),
            ("PRN-2F", DeviceStatus::Unattended),
            ("DESK-07", DeviceStatus::Shared),
        ]
    );
    assert_eq!(
        (c.personal, c.shared, c.clients, c.unattended, c.network),
        (1, 1, 0, 1, 5)
    );
    let reason = |i: usize| inv.reason(i, c.statuses[i]);
    assert!(
        reason(0).starts_with("network equipment (type “Switch”)")
            && reason(0).contains("not a client device")
            && reason(0).contains("reading"),
        "{}",
        reason(0)
    );
    assert!(
        reason(2).starts_with("network equipment (operating system “FortiOS 7.2”)"),
        "{}",
        reason(2)
    );
    // The note names each piece of network equipment with what marks it, and the printers'
    // note only the printer.
    let note = |start: &str| {
        p.notes
            .iter()
            .find(|n| n.starts_with(start))
            .cloned()
            .unwrap_or_else(|| panic!("{start}: {:?}", p.notes))
    };
    let network = note("5 devices are network equipment by their columns: SW-CORE-01 (line 2, type “Switch”); AP-LOBBY (line 3, type “Wireless Access Point”); FW-EDGE (line 4, operating system “FortiOS 7.2”); RTR-01 (line 5, operating system “JUNOS 21.4R3”); SW-FLOOR-2 (line 6, type “Network switch”).");
    assert!(network.contains("debated"), "{network}");
    let printers = note("1 device is a printer, scanner or other device");
    assert!(
        printers.contains("PRN-2F") && !printers.contains("SW-"),
        "{printers}"
    );
}

/// Network operating systems and types by their words, not by letters inside other words: a
/// "Switchboard" type or a "Kiosk" OS is no network equipment, while "NX-OS", "PAN-OS",
/// "AOS-CX" and "Arista EOS" are. A row both says (a printer's object class on a switch type)
/// is the printer.
#[test]
fn network_equipment_is_read_from_whole_words() {
    use cal_calc::import::devices::DeviceStatus;
    let csv = "Name,OperatingSystem,Device type,ObjectClass\n\
        N9K-01,NX-OS 10.2,,\n\
        PA-3220,PAN-OS 11.0,,\n\
        CX-6300,AOS-CX 10.12,,\n\
        ARISTA-1,Arista EOS 4.30,,\n\
        BOARD-1,Windows 11 Enterprise,Switchboard,\n\
        IPAD-3,iPadOS 17,Tablet,\n\
        PQ-SW,,Switch,printQueue\n";
    let p = parse(csv.as_bytes());
    let Data::Devices(inv) = &p.data else {
        panic!("{:?}", p.kind)
    };
    let (_, got) = statuses(inv);
    let got: Vec<DeviceStatus> = got.into_iter().map(|(_, s)| s).collect();
    assert_eq!(
        got,
        [
            DeviceStatus::Network,
            DeviceStatus::Network,
            DeviceStatus::Network,
            DeviceStatus::Network,
            DeviceStatus::Client,
            DeviceStatus::Client,
            DeviceStatus::Unattended,
        ],
        "{:?}",
        inv.rows
    );
}

#[track_caller]
fn network_pool(e: &Estate) -> &cal_calc::estate::SharedDevices {
    e.shared_devices
        .iter()
        .find(|p| p.id == "imported-network-devices")
        .unwrap_or_else(|| panic!("{:?}", e.shared_devices))
}

/// The import puts network equipment in a pool of its own, marked as network equipment, that
/// reaches the estate's Windows Servers and names no users (the estate refuses users on it),
/// while the printers' pool names the staff. The estate evaluates: under the default reading the
/// switches get Device CALs and a finding says the sources disagree; under the other they get
/// none. With no Windows Server to reach, the pool waits, as the printers' does.
#[test]
fn imported_network_equipment_is_a_network_pool_its_reading_decides() {
    let (e, s) = apply(&[AD, NETWORK_DEVICES]);
    assert!(s.applied, "{s:?}");
    // The summary names the pools made (a device export alone said nothing of them).
    assert_eq!(
        s.pools_created,
        [
            "Shared devices (imported)",
            "Printers and scanners (imported)",
            "Network equipment (imported)"
        ]
    );
    assert!(s.pools_updated.is_empty(), "{s:?}");
    let pool = network_pool(&e);
    assert_eq!(
        (
            pool.count,
            pool.unattended,
            pool.network,
            pool.shared_by.is_empty(),
            pool.accesses.clone()
        ),
        (5, true, true, true, vec!["FS01".to_string()])
    );
    assert_eq!(pool.name, "Network equipment (imported)");
    assert!(!printer_pool(&e).shared_by.is_empty());
    assert_eq!(e.validate(), Ok(()));

    let as_of = cal_calc::estate::Date {
        year: 2025,
        month: 7,
        day: 1,
    };
    let report = |e: &Estate| cal_calc::evaluate(e, as_of).unwrap_or_else(|err| panic!("{err}"));
    let counted = report(&e);
    assert!(
        counted
            .findings
            .iter()
            .any(|f| f.rule == "device.network-equipment-device-cals-reading"),
        "{:?}",
        counted.findings
    );
    let mut not_counted = e.clone();
    not_counted.organisation.readings.network_equipment =
        cal_calc::estate::NetworkEquipment::NotCounted;
    let not = report(&not_counted);
    assert!(
        not.findings
            .iter()
            .any(|f| f.rule == "device.network-equipment-not-counted-reading"),
        "{:?}",
        not.findings
    );
    assert!(
        not.recommendation.total_minor < counted.recommendation.total_minor,
        "{} against {}",
        not.recommendation.total_minor,
        counted.recommendation.total_minor
    );

    // No Windows Server yet: nothing to reach, so no pool, and the summary says so.
    let mut set = ImportSet::default();
    set.add(parse(NETWORK_DEVICES.as_bytes()));
    let mut bare = Estate::default();
    let s = apply_to(
        &mut bare,
        &set,
        &ApplyOptions {
            classify: ClassifyOptions::new(today()),
        },
    );
    assert!(
        s.notes.iter().any(|n| n.starts_with("5 pieces of network equipment were not added: the estate has no Windows Server for them to reach yet.")),
        "{:?}",
        s.notes
    );
    assert!(bare.shared_devices.iter().all(|p| !p.network));
}

/// A printer pool the user marked as network equipment (the editor's checkbox) was given the
/// staff as its users on a re-import, which the estate refuses on network equipment. A pool the
/// user turned into another kind is theirs, marked or unmarked as network equipment alike, and
/// the summary says which devices were not added.
#[test]
fn a_re_import_leaves_a_pool_the_user_marked_or_unmarked_as_network_equipment_as_it_is() {
    let (mut e, _) = apply(&[AD, AD_OBJECTS]);
    for p in e.shared_devices.iter_mut().filter(|p| p.unattended) {
        p.network = true;
        p.shared_by.clear();
    }
    assert_eq!(e.validate(), Ok(()));
    let before = e.shared_devices.clone();
    let s = apply_again(&mut e, &[AD, AD_OBJECTS]);
    assert_eq!(e.shared_devices, before);
    assert_eq!(e.validate(), Ok(()));
    assert!(
        s.notes.iter().any(|n| n.contains(
            "Printers and scanners (imported) is marked as network equipment now, so it was left as it is: the printer or scanner this import found was not added. If they are printers or scanners, add a pool no one works at for them."
        )),
        "{:?}",
        s.notes
    );

    let (mut e, _) = apply(&[AD, NETWORK_DEVICES]);
    for p in e.shared_devices.iter_mut().filter(|p| p.network) {
        p.network = false;
    }
    assert_eq!(e.validate(), Ok(()));
    let before = e.shared_devices.clone();
    let s = apply_again(&mut e, &[AD, NETWORK_DEVICES]);
    assert_eq!(e.shared_devices, before);
    assert!(
        s.notes.iter().any(|n| n.contains(
            "Network equipment (imported) is no longer marked as network equipment, so it was left as it is: the 5 pieces of network equipment this import found were not added. If they are network equipment, add a pool no one works at for them and mark it as network equipment."
        )),
        "{:?}",
        s.notes
    );

    // Left as the import made it, a re-import updates its count and still names nobody.
    let (mut e, _) = apply(&[AD, NETWORK_DEVICES]);
    let s = apply_again(&mut e, &[AD, NETWORK_DEVICES]);
    assert_eq!(
        (network_pool(&e).count, network_pool(&e).shared_by.len()),
        (5, 0)
    );
    assert!(
        s.pools_created.is_empty() && s.pools_updated.is_empty(),
        "nothing changed: {s:?}"
    );
    // One switch fewer in the next export: the pool's count follows, and the summary says so.
    let fewer = NETWORK_DEVICES.replace("SW-FLOOR-2,,,Network switch\n", "");
    assert_ne!(fewer, NETWORK_DEVICES);
    let s = apply_again(&mut e, &[AD, &fewer]);
    assert_eq!(network_pool(&e).count, 4);
    assert_eq!(s.pools_updated, ["Network equipment (imported)"]);
    assert!(
        !s.notes
            .iter()
            .any(|n| n.contains("Network equipment (imported) now names")),
        "{:?}",
        s.notes
    );
    assert_eq!(e.validate(), Ok(()));
}

/// The device list (the app's "Every device and why", the command line's `--devices`): each
/// device row of each export with its file, line, verdict and why; a search by name in any case
/// and a verdict narrow it, a page is `limit` rows from `offset`, and `matching` counts them all.
#[test]
fn the_device_list_gives_each_row_its_export_verdict_and_reason() {
    use cal_calc::import::devices::DeviceStatus;
    use cal_calc::import::session::{device_status_label, Session};
    use cal_calc::import::ImportOptions;
    use cal_calc::named::Named;
    let mut s = Session::new();
    for (name, bytes) in [
        ("network.csv", NETWORK_DEVICES),
        ("computers.csv", AD_COMPUTERS),
    ] {
        s.begin(ImportOptions::default());
        s.push(bytes.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
        s.finish(name).unwrap_or_else(|e| panic!("{e}"));
    }
    let o = ClassifyOptions::new(today());
    let all = s.device_page(&o, "", None, 0, u32::MAX);
    assert_eq!(all.matching as usize, all.rows.len());
    assert_eq!(all.rows, s.devices(&o));
    let first = &all.rows[0];
    assert_eq!(
        (
            first.file.as_str(),
            first.line,
            first.name.as_str(),
            first.status
        ),
        ("network.csv", 2, "SW-CORE-01", DeviceStatus::Network)
    );
    assert!(
        first
            .reason
            .starts_with("network equipment (type “Switch”)"),
        "{}",
        first.reason
    );
    assert!(
        all.rows.iter().any(|r| r.file == "computers.csv"),
        "{:?}",
        all.rows
    );
    // By verdict, by name in any case, and a page of one from the second.
    let network = s.device_page(&o, "", Some(DeviceStatus::Network), 0, 50);
    assert_eq!(network.matching, 5);
    assert!(network
        .rows
        .iter()
        .all(|r| r.status == DeviceStatus::Network));
    let sw = s.device_page(&o, "sw-", Some(DeviceStatus::Network), 1, 1);
    assert_eq!(sw.matching, 2);
    assert_eq!(
        sw.rows.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(),
        ["SW-FLOOR-2"]
    );
    assert_eq!(s.device_page(&o, "no such", None, 0, 50).matching, 0);
    // Every verdict has words of its own for the list.
    let labels: HashSet<&str> = DeviceStatus::ALL
        .iter()
        .map(|&st| device_status_label(st))
        .collect();
    assert_eq!(labels.len(), DeviceStatus::ALL.len());
    assert_eq!(
        device_status_label(DeviceStatus::Network),
        "Network equipment"
    );

    // The classification is kept between pages, but not past a change that changes it: a
    // shorter dormancy window (the computers' last logons, 27 June 2025, fall out of a 2-day
    // window as of 30 June), or a file forgotten.
    let seen = |s: &mut Session, o: &ClassifyOptions| {
        s.device_page(o, "", Some(DeviceStatus::Stale), 0, 50)
            .matching
    };
    assert_eq!(seen(&mut s, &o), 0);
    assert_eq!(s.overview(&o).devices.map(|d| d.exports), Some(2));
    let mut short = o.clone();
    short.dormancy_days = 2;
    assert_eq!(seen(&mut s, &short), 4, "the AD computers but the server");
    assert_eq!(seen(&mut s, &o), 0);
    assert!(s.forget("computers.csv"));
    assert_eq!(seen(&mut s, &short), 0);
    assert_eq!(s.device_page(&o, "", None, 0, 50).matching, 8);
    assert_eq!(
        s.overview(&o).devices.map(|d| (d.network, d.exports)),
        Some((5, 1))
    );
}

/// An asset inventory's export (Lansweeper's AssetName and AssetType) was refused as a device
/// export with no device-name column, so its switches and access points could not be sorted.
/// Its columns are read as the device name and type.
#[test]
fn an_asset_inventory_names_its_devices_and_their_types() {
    use cal_calc::import::devices::DeviceStatus;
    let p = parse(
        b"AssetName,AssetType,OS,IPAddress,LastSeen,Username\n\
          SW-CORE-01,Switch,,10.0.0.2,2025-06-29,\n\
          WS-001,Windows,Windows 11 Enterprise,10.0.1.5,2025-06-29,ann\n\
          AP-3F,Wireless Access Point,,10.0.0.9,2025-06-28,\n\
          PRN-1,Printer,,10.0.0.20,2025-06-28,\n",
    );
    let Data::Devices(inv) = &p.data else {
        panic!("{:?} {:?}", p.kind, p.notes)
    };
    let (c, got) = statuses(inv);
    assert_eq!(
        got,
        [
            ("SW-CORE-01", DeviceStatus::Network),
            ("WS-001", DeviceStatus::Personal),
            ("AP-3F", DeviceStatus::Network),
            ("PRN-1", DeviceStatus::Unattended),
        ]
    );
    assert_eq!((c.network, c.unattended, c.personal), (2, 1, 1));
}
