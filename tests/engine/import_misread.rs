//! Exports the import misread (the import review): each test pins one defect, on a small inline
//! copy of the reviewer's file.

use crate::import::parse;
use cal_calc::estate::Date;
use cal_calc::import::session::{Overview, Session};
use cal_calc::import::{ClassifyOptions, Data, FileKind, ImportOptions, Parsed, Status};
use std::collections::HashSet;

/// The reviewer's date of the count.
fn as_of() -> Date {
    Date::new(2025, 12, 31).unwrap_or(Date {
        year: 2025,
        month: 12,
        day: 31,
    })
}

/// The files read in one session, in order, and its overview as of [`as_of`].
#[track_caller]
fn session(files: &[(&str, &str)], opts: &ClassifyOptions) -> (Session, Overview) {
    let mut s = Session::new();
    for (name, text) in files {
        s.begin(ImportOptions::default());
        s.push(text.as_bytes())
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        s.finish(name).unwrap_or_else(|e| panic!("{name}: {e}"));
    }
    let o = s.overview(opts);
    (s, o)
}

/// Each account's (key, status, reason) as of [`as_of`], under `opts`.
#[track_caller]
fn accounts_with(p: &Parsed, opts: &ClassifyOptions) -> Vec<(String, Status, String)> {
    let Data::Directory(d) = &p.data else {
        panic!("not a directory: {:?}", p.kind)
    };
    let c = d.classify(opts, &HashSet::new());
    (0..d.accounts.len())
        .map(|i| {
            (
                d.key(i).to_string(),
                c.verdicts[i].status,
                d.reason(&c, opts, i),
            )
        })
        .collect()
}

#[track_caller]
fn accounts(p: &Parsed) -> Vec<(String, Status, String)> {
    accounts_with(p, &ClassifyOptions::new(as_of()))
}

#[track_caller]
fn people(p: &Parsed) -> usize {
    let Data::Directory(d) = &p.data else {
        panic!("not a directory: {:?}", p.kind)
    };
    d.classify(&ClassifyOptions::new(as_of()), &HashSet::new())
        .people
        .len()
}

// ---- 1: a plain Get-ADComputer export is devices, not user accounts --------------------------

const AD_COMPUTERS_DEFAULT: &str = "#TYPE Microsoft.ActiveDirectory.Management.ADComputer\r\n\
\"DistinguishedName\",\"DNSHostName\",\"Enabled\",\"Name\",\"ObjectClass\",\"ObjectGUID\",\"SamAccountName\",\"SID\",\"UserPrincipalName\"\r\n\
\"CN=WS000,OU=Workstations,DC=corp,DC=contoso,DC=com\",\"ws000.corp.contoso.com\",\"True\",\"WS000\",\"computer\",\"21636369-8b52-9b4a-97b7-50923ceb3ffd\",\"WS000$\",\"S-1-5-21-1-2-3-7061\",\"\"\r\n\
\"CN=WS001,OU=Workstations,DC=corp,DC=contoso,DC=com\",\"ws001.corp.contoso.com\",\"True\",\"WS001\",\"computer\",\"a02f34a6-795b-929e-9a9a-80fdea7b5bf5\",\"WS001$\",\"S-1-5-21-1-2-3-2073\",\"\"\r\n\
\"CN=WS002,OU=Workstations,DC=corp,DC=contoso,DC=com\",\"ws002.corp.contoso.com\",\"False\",\"WS002\",\"computer\",\"d6645fa9-e8a8-529f-035e-fa259b08923d\",\"WS002$\",\"S-1-5-21-1-2-3-8687\",\"\"\r\n";

const AD_USERS: &str = "\"SamAccountName\",\"Enabled\",\"LastLogonDate\",\"UserPrincipalName\",\"DistinguishedName\"\r\n\
\"jsmith\",\"True\",\"12/20/2025 9:00:00 AM\",\"jsmith@corp.contoso.com\",\"CN=John Smith,OU=Staff,DC=corp,DC=contoso,DC=com\"\r\n\
\"mjones\",\"True\",\"12/21/2025 9:00:00 AM\",\"mjones@corp.contoso.com\",\"CN=Mary Jones,OU=Staff,DC=corp,DC=contoso,DC=com\"\r\n";

/// `Get-ADComputer -Filter * | Export-Csv` (no OperatingSystem) was read as an AD users export:
/// its computers became service accounts and, read after the users export, it replaced it (0
/// people). Its #TYPE line, its DNSHostName column, its object class and its `$` names each
/// say it holds computers.
#[test]
fn a_get_adcomputer_export_without_operating_system_is_devices_not_users() {
    let p = parse(AD_COMPUTERS_DEFAULT.as_bytes());
    assert_eq!((p.kind, p.rows, p.error_count), (FileKind::Devices, 3, 0));
    assert!(
        p.notes
            .iter()
            .any(|n| n.contains("computers export") && n.contains("#TYPE line names ADComputer")),
        "{:?}",
        p.notes
    );
    // Without the #TYPE line (-NoTypeInformation), the DNSHostName column says it.
    let no_type = AD_COMPUTERS_DEFAULT.split_once("\r\n").map_or("", |x| x.1);
    assert_eq!(parse(no_type.as_bytes()).kind, FileKind::Devices);
    // With neither, the rows' object class and their `$` names say it.
    let selected = "SamAccountName,Enabled,DistinguishedName,ObjectClass\n\
                    WS000$,True,\"CN=WS000,OU=Workstations,DC=corp\",computer\n\
                    WS001$,True,\"CN=WS001,OU=Workstations,DC=corp\",computer\n";
    assert_eq!(parse(selected.as_bytes()).kind, FileKind::Devices);
    let names = "SamAccountName,Enabled,DistinguishedName\nWS000$,True,x\nWS001$,True,y\n";
    assert_eq!(parse(names.as_bytes()).kind, FileKind::Devices);
    // A users export with one `$` row among people stays a users export.
    let mixed = "SamAccountName,Enabled\njsmith,True\nWS000$,True\n";
    assert_eq!(parse(mixed.as_bytes()).kind, FileKind::AdUsers);
    // Read after the users export, it leaves the people counted.
    let (_, o) = session(
        &[
            ("ad-users.csv", AD_USERS),
            ("ad-computers-default.csv", AD_COMPUTERS_DEFAULT),
        ],
        &ClassifyOptions::new(as_of()),
    );
    let accounts = o.accounts.unwrap_or_else(|| panic!("no accounts"));
    assert_eq!(
        (accounts.files, accounts.people),
        (vec!["ad-users.csv".to_string()], 2)
    );
    assert!(o.devices.is_some());
}

// ---- 2: a last-logon column empty on every row is no last-logon data ------------------------

/// `Get-ADUser … | Select-Object SamAccountName,…,LastLogonDate` without `-Properties`: the
/// column is there and empty on every row, and every account came out "dormant: never logged
/// on". It says nothing of logons: dormancy is not judged, and a note says the column is empty.
#[test]
fn a_last_logon_column_empty_on_every_row_judges_no_one_dormant() {
    let csv = "\"SamAccountName\",\"Name\",\"Enabled\",\"LastLogonDate\",\"UserPrincipalName\"\r\n\
               \"user00\",\"User 00\",\"True\",\"\",\"user00@corp.contoso.com\"\r\n\
               \"user01\",\"User 01\",\"True\",\"\",\"user01@corp.contoso.com\"\r\n\
               \"user02\",\"User 02\",\"False\",\"\",\"user02@corp.contoso.com\"\r\n";
    let p = parse(csv.as_bytes());
    let rows = accounts(&p);
    assert_eq!(
        rows.iter().map(|r| r.1).collect::<Vec<_>>(),
        vec![Status::Counted, Status::Counted, Status::Disabled]
    );
    assert!(
        rows[0]
            .2
            .contains("last-logon column is empty on every row"),
        "{}",
        rows[0].2
    );
    assert!(
        p.notes
            .iter()
            .any(|n| n.contains("LastLogonDate is empty on every row")
                && n.contains("dormancy is not judged")),
        "{:?}",
        p.notes
    );
    assert_eq!(people(&p), 2);
}

/// `ad-shadow.csv`: LastLogonDate filled, lastLogonTimestamp empty on every row; the empty one
/// was read (it is the first synonym), and every account came out dormant.
#[test]
fn an_empty_last_logon_column_gives_way_to_a_filled_one() {
    let csv = "\"SamAccountName\",\"Name\",\"Enabled\",\"LastLogonDate\",\"lastLogonTimestamp\",\"UserPrincipalName\"\r\n\
               \"user00\",\"User 00\",\"True\",\"12/10/2025 9:00:00 AM\",\"\",\"user00@corp.contoso.com\"\r\n\
               \"user01\",\"User 01\",\"True\",\"12/11/2025 9:00:00 AM\",\"\",\"user01@corp.contoso.com\"\r\n\
               \"user02\",\"User 02\",\"True\",\"1/2/2025 9:00:00 AM\",\"\",\"user02@corp.contoso.com\"\r\n";
    let p = parse(csv.as_bytes());
    assert_eq!(
        accounts(&p).iter().map(|r| r.1).collect::<Vec<_>>(),
        vec![Status::Counted, Status::Counted, Status::Dormant]
    );
    assert!(
        p.notes
            .iter()
            .any(|n| n.contains("lastLogonTimestamp is empty on every row")
                && n.contains("read from LastLogonDate")),
        "{:?}",
        p.notes
    );
    assert_eq!(
        p.mapping.get(cal_calc::import::Field::LastLogon),
        Some(3),
        "the mapping shows the column read"
    );
    // A column with a value on one row only is read as it is.
    let one = "SamAccountName,Enabled,lastLogonTimestamp,LastLogonDate\n\
               a,True,,2025-12-01\nb,True,2025-12-20,2025-12-01\n";
    let p = parse(one.as_bytes());
    assert_eq!(
        accounts(&p).iter().map(|r| r.1).collect::<Vec<_>>(),
        vec![Status::Dormant, Status::Counted]
    );
}

// ---- 3: only the same account listed twice is a duplicate row -------------------------------

/// A global catalog export (`ad-forest-gc.csv`): jsmith of EMEA and jsmith of AMER, mgarcia of
/// AMER and of APAC, each with their own DN, UPN, mail and employee ID, were merged as
/// duplicate rows: 4 people counted as 2. Accounts whose employee IDs differ are different
/// people; a row repeats another only when it is the same account.
#[test]
fn namesakes_of_different_domains_are_not_duplicate_rows() {
    let csv = "#TYPE Microsoft.ActiveDirectory.Management.ADUser\n\
\"DistinguishedName\",\"Enabled\",\"LastLogonDate\",\"Name\",\"SamAccountName\",\"UserPrincipalName\",\"EmailAddress\",\"EmployeeID\"\n\
\"CN=John Smith,OU=Staff,DC=emea,DC=contoso,DC=com\",\"True\",\"12/20/2025 9:00:00 AM\",\"John Smith\",\"jsmith\",\"jsmith@emea.contoso.com\",\"john.smith@contoso.co.uk\",\"UK1001\"\n\
\"CN=Jane Smith,OU=Staff,DC=amer,DC=contoso,DC=com\",\"True\",\"12/21/2025 9:00:00 AM\",\"Jane Smith\",\"jsmith\",\"jsmith@amer.contoso.com\",\"jane.smith@contoso.com\",\"US2002\"\n\
\"CN=Maria Garcia,OU=Staff,DC=amer,DC=contoso,DC=com\",\"True\",\"12/21/2025 9:00:00 AM\",\"Maria Garcia\",\"mgarcia\",\"mgarcia@amer.contoso.com\",\"maria.garcia@contoso.com\",\"US2003\"\n\
\"CN=Miguel Garcia,OU=Staff,DC=apac,DC=contoso,DC=com\",\"True\",\"12/21/2025 9:00:00 AM\",\"Miguel Garcia\",\"mgarcia\",\"mgarcia@apac.contoso.com\",\"miguel.garcia@contoso.com.au\",\"AU3003\"\n\
\"CN=Maria Garcia,OU=Staff,DC=amer,DC=contoso,DC=com\",\"True\",\"12/21/2025 9:00:00 AM\",\"Maria Garcia\",\"mgarcia\",\"mgarcia@amer.contoso.com\",\"maria.garcia@contoso.com\",\"US2003\"\n";
    let p = parse(csv.as_bytes());
    assert_eq!(people(&p), 4, "{:?}", accounts(&p));
    assert!(
        p.notes.iter().any(|n| n.contains("1 account row repeats")
            && n.contains("“mgarcia” (lines 5 and 7)")),
        "{:?}",
        p.notes
    );
    assert!(
        p.notes
            .iter()
            .any(|n| n.contains("2 account rows have the name")
                && n.contains("“jsmith” (lines 3 and 4)")
                && n.contains("global catalog")),
        "{:?}",
        p.notes
    );
}

/// Windows PowerShell 5.1's Export-Csv writes ASCII by default: Иванов, Петров and Сидоров all
/// became `??????` and were merged as one account listed three times. Their mails tell them
/// apart; two Jürgens whose display names differ are two; and a note says the names were lost.
#[test]
fn names_lost_to_question_marks_do_not_merge_different_accounts() {
    let csv = "#TYPE Microsoft.ActiveDirectory.Management.ADUser\r\n\
\"SamAccountName\",\"DisplayName\",\"Enabled\",\"LastLogonDate\",\"UserPrincipalName\",\"EmailAddress\",\"EmployeeID\"\r\n\
\"??????\",\"?????? ????\",\"True\",\"20.12.2025 10:00:00\",\"??????@corp.example.ru\",\"ivanov@example.ru\",\"\"\r\n\
\"??????\",\"?????? ????\",\"True\",\"21.12.2025 10:00:00\",\"??????@corp.example.ru\",\"petrov@example.ru\",\"\"\r\n\
\"??????\",\"?????? ?????\",\"True\",\"22.12.2025 10:00:00\",\"??????@corp.example.ru\",\"sidorov@example.ru\",\"\"\r\n\
\"j?rgen\",\"J?rgen M?ller\",\"True\",\"22.12.2025 10:00:00\",\"j?rgen@corp.example.de\",\"\",\"\"\r\n\
\"j?rgen\",\"J?rgen M?hler\",\"True\",\"22.12.2025 10:00:00\",\"j?rgen@corp.example.de\",\"\",\"\"\r\n";
    let p = parse(csv.as_bytes());
    assert_eq!(people(&p), 5, "{:?}", accounts(&p));
    assert!(
        p.notes.iter().any(
            |n| n.contains("5 account names hold “?” in place of letters")
                && n.contains("-Encoding UTF8")
        ),
        "{:?}",
        p.notes
    );
    assert!(
        !p.notes.iter().any(|n| n.contains("repeat")),
        "{:?}",
        p.notes
    );
}

// ---- 4: a primary-user column empty on every row is none ------------------------------------

/// Get-ADComputer's UserPrincipalName column, always empty for computers, was read as the
/// primary user: every computer came out shared (a pool made) where the same export without
/// that column said nothing of their users. Both now read the same.
#[test]
fn an_empty_user_principal_name_column_makes_no_device_shared() {
    let with = "#TYPE Microsoft.ActiveDirectory.Management.ADComputer\r\n\
\"DistinguishedName\",\"DNSHostName\",\"Enabled\",\"LastLogonDate\",\"Name\",\"ObjectClass\",\"OperatingSystem\",\"SamAccountName\",\"UserPrincipalName\"\r\n\
\"CN=WS000,OU=Workstations,DC=corp\",\"ws000.corp\",\"True\",\"12/20/2025 9:15:00 AM\",\"WS000\",\"computer\",\"Windows 11 Enterprise\",\"WS000$\",\"\"\r\n\
\"CN=WS001,OU=Workstations,DC=corp\",\"ws001.corp\",\"True\",\"12/20/2025 9:15:00 AM\",\"WS001\",\"computer\",\"Windows 11 Enterprise\",\"WS001$\",\"\"\r\n";
    let without = with
        .replace(",\"UserPrincipalName\"", "")
        .replace(",\"\"\r\n", "\r\n");
    let opts = ClassifyOptions::new(as_of());
    let split = |csv: &str| {
        let (_, o) = session(&[("ad-computers.csv", csv)], &opts);
        let d = o.devices.unwrap_or_else(|| panic!("no devices"));
        (d.personal, d.shared, d.clients)
    };
    assert_eq!(split(with), (0, 0, 2));
    assert_eq!(split(&without), (0, 0, 2));
    let p = parse(with.as_bytes());
    assert_eq!(p.mapping.get(cal_calc::import::Field::PrimaryUser), None);
    assert!(
        p.notes.iter().any(|n| n.contains(
            "UserPrincipalName, read as the devices' primary user, is empty on every row"
        )),
        "{:?}",
        p.notes
    );
    // A primary-user column with values keeps the devices without one shared.
    let intune = "Device name,OS,Primary user UPN\nPC1,Windows,a@x.com\nKIOSK1,Windows,\n";
    assert_eq!(split(intune), (1, 1, 0));
}

// ---- 5: a date that is no date in the order read is unreadable, not "never" -----------------

/// `--date-order month-first` on a UK export: 20/12/2025 is no date month first, and the
/// account came out "dormant: never logged on". The docs say an unreadable last logon is
/// counted.
#[test]
fn a_last_logon_impossible_in_the_chosen_order_is_unreadable_and_counted() {
    let csv = "SamAccountName,Enabled,LastLogonDate,UserPrincipalName\r\n\
               u1,True,20/12/2025 14:03:00,u1@c.com\r\n\
               u2,True,05/12/2025 14:03:00,u2@c.com\r\n\
               u3,True,29/12/2025 09:00:00,u3@c.com\r\n";
    let p = parse(csv.as_bytes());
    let mut opts = ClassifyOptions::new(as_of());
    opts.date_order = Some(cal_calc::import::DateOrder::MonthFirst);
    let rows = accounts_with(&p, &opts);
    assert_eq!(
        rows.iter().map(|r| r.1).collect::<Vec<_>>(),
        vec![Status::Counted, Status::Dormant, Status::Counted]
    );
    assert!(
        rows[0]
            .2
            .starts_with("last logon unreadable: 20/12/2025 is no date read month first: counted"),
        "{}",
        rows[0].2
    );
    let (_, o) = session(&[("ad-engb-days.csv", csv)], &opts);
    let notes = o.accounts.map(|a| a.date_order_notes).unwrap_or_default();
    assert!(
        notes
            .iter()
            .any(|n| n.contains("read month first (US), as chosen")
                && n.contains(
                    "2 last logons are no date in that order (u1 20/12/2025, u3 29/12/2025)"
                )
                && n.contains("--date-order day-first")),
        "{notes:?}"
    );
}

/// One month-first value among day-first ones: the majority was read, the odd account came out
/// "dormant: never logged on", and the note said the dates do not say which order they are in.
/// They say both: the note says they contradict each other, which order most say, and names
/// the value that is no date in it; its account is counted.
#[test]
fn dates_that_contradict_each_other_are_named_and_their_accounts_counted() {
    let csv = "SamAccountName,Enabled,LastLogonDate,UserPrincipalName\r\n\
               us1,True,12/29/2025 14:03:00,us1@c.com\r\n\
               uk1,True,29/12/2025 14:03:00,uk1@c.com\r\n\
               uk2,True,28/12/2025 14:03:00,uk2@c.com\r\n";
    let p = parse(csv.as_bytes());
    assert_eq!(
        accounts(&p).iter().map(|r| r.1).collect::<Vec<_>>(),
        vec![Status::Counted; 3]
    );
    let (_, o) = session(
        &[("ad-mixed-order.csv", csv)],
        &ClassifyOptions::new(as_of()),
    );
    let a = o.accounts.unwrap_or_else(|| panic!("no accounts"));
    assert!(!a.date_order_assumed, "the dates do say: they contradict");
    assert_eq!(a.date_order, cal_calc::import::DateOrder::DayFirst);
    assert!(
        a.date_order_notes
            .iter()
            .any(|n| n.contains("contradict each other")
                && n.contains("2 dates have a first part above 12")
                && n.contains("1 date has a second part above 12")
                && n.contains("read day first, as most of them say")
                && n.contains("1 last logon is no date in that order (us1 12/29/2025)")),
        "{:?}",
        a.date_order_notes
    );
}

// ---- 6: service and virtual logons of a Security log are no people ---------------------------

/// Windows Security 4624 events: an application pool, a service's virtual account, a service
/// logon (type 5) of a service account, IUSR and an Exchange health mailbox became employees,
/// each with a personal device. They are left out, each with a reason in the file's note.
#[test]
fn service_and_virtual_logons_of_a_4624_log_are_not_people() {
    let tsv = "TimeCreated\tMachineName\tEventID\tTargetUserName\tTargetDomainName\tLogonType\tWorkstationName\tIpAddress\r\n\
2025-12-10T09:00:00.0000000+01:00\tFS01.corp.contoso.com\t4624\tJSmith\tCORP\t3\tWS000\t10.0.0.10\r\n\
2025-12-12T09:00:00.0000000+01:00\tFS01.corp.contoso.com\t4624\tMJONES\tCORP\t3\tWS001\t10.0.0.11\r\n\
2025-12-13T09:00:00.0000000+01:00\tFS01.corp.contoso.com\t4624\tDefaultAppPool\tIIS APPPOOL\t5\t-\t-\r\n\
2025-12-14T09:00:00.0000000+01:00\tFS01.corp.contoso.com\t4624\tsvc_backup\tCORP\t5\t-\t-\r\n\
2025-12-16T09:00:00.0000000+01:00\tFS01.corp.contoso.com\t4624\tDWM-1\tWindow Manager\t2\t-\t-\r\n\
2025-12-19T09:00:00.0000000+01:00\tFS01.corp.contoso.com\t4624\tMSSQLSERVER\tNT SERVICE\t3\t-\t-\r\n\
2025-12-20T09:00:00.0000000+01:00\tFS01.corp.contoso.com\t4624\tIUSR\tNT AUTHORITY\t3\t-\t-\r\n\
2025-12-22T09:00:00.0000000+01:00\tFS01.corp.contoso.com\t4624\tFont Driver Host\\UMFD-1\t\t2\t-\t-\r\n\
2025-12-22T09:00:00.0000000+01:00\tFS01.corp.contoso.com\t4624\tNT SERVICE\\Worker\t\t3\t-\t-\r\n\
2025-12-23T09:00:00.0000000+01:00\tFS01.corp.contoso.com\t4624\tHealthMailbox1a2b3c4\tCORP\t3\tEX01\t10.0.0.5\r\n";
    let p = parse(tsv.as_bytes());
    let Data::Usage(u) = &p.data else {
        panic!("not a usage log: {:?}", p.kind)
    };
    let mut users: Vec<String> = u.users().into_iter().collect();
    users.sort();
    assert_eq!(users, vec!["jsmith".to_string(), "mjones".to_string()]);
    assert_eq!(u.system_rows, 8);
    let note = p
        .notes
        .iter()
        .find(|n| n.contains("left out as not people"))
        .unwrap_or_else(|| panic!("{:?}", p.notes));
    for named in [
        "DefaultAppPool (domain IIS APPPOOL",
        "svc_backup (logon type 5: a service started by Windows)",
        "MSSQLSERVER (domain NT SERVICE",
        "IUSR (domain NT AUTHORITY",
        "NT SERVICE\\Worker (domain NT SERVICE",
        "HealthMailbox1a2b3c4 (a built-in or system account",
        "DWM-1 (",
    ] {
        assert!(note.contains(named), "{named}: {note}");
    }
}

// ---- 7: an OU names a kind of person only by its whole name ----------------------------------

/// `OU=Customer Service,OU=Staff` made Cathy, of the customer service department, a customer,
/// and `OU=Guest Services,OU=Staff` made Gina a partner: the OU's name held "customer" and
/// "guest". An OU names a kind only when its whole name is of that kind's words.
#[test]
fn an_ou_named_after_a_department_does_not_make_its_staff_external() {
    let csv = "SamAccountName,Enabled,LastLogonDate,DistinguishedName\n\
cservice1,True,2025-12-20,\"CN=Cathy Service,OU=Customer Service,OU=Staff,DC=corp,DC=contoso,DC=com\"\n\
guestsvc1,True,2025-12-20,\"CN=Gina Hotel,OU=Guest Services,OU=Staff,DC=corp,DC=contoso,DC=com\"\n\
p.anders,True,2025-12-20,\"CN=Anders,OU=Partners,OU=External,DC=corp\"\n\
g.one,True,2025-12-20,\"CN=G One,OU=Guest Accounts,DC=corp\"\n\
c.one,True,2025-12-20,\"CN=C One,OU=Customers,DC=corp\"\n\
ctr.ola,True,2025-12-20,\"CN=Ola,OU=Offsite Contractors,DC=corp\"\n\
ctr.jim,True,2025-12-20,\"CN=Jim,OU=Contractors,OU=London,DC=corp\"\n";
    let p = parse(csv.as_bytes());
    let Data::Directory(d) = &p.data else {
        panic!("not a directory")
    };
    let c = d.classify(&ClassifyOptions::new(as_of()), &HashSet::new());
    use cal_calc::estate::PersonKind::*;
    assert_eq!(
        c.verdicts.iter().map(|v| v.kind).collect::<Vec<_>>(),
        vec![
            Employee,
            Employee,
            Partner,
            Partner,
            Customer,
            OffsiteContractor,
            OnsiteContractor
        ]
    );
}

// ---- 8: lines ended by a carriage return alone ------------------------------------------------

/// Excel for Mac's "CSV (Macintosh)" ends lines with CR alone: both files were read as 0 rows,
/// with exit status 0. A CR alone is a line end; also when a chunk ends on one.
#[test]
fn lines_ended_by_a_carriage_return_alone_are_rows() {
    let ad = "SamAccountName,Enabled,LastLogonDate,UserPrincipalName\ru1,True,12/20/2025 10:00,u1@c.com\ru2,True,12/20/2025 10:00,u2@c.com\r";
    let p = parse(ad.as_bytes());
    assert_eq!((p.kind, p.rows, p.error_count), (FileKind::AdUsers, 2, 0));
    assert_eq!(people(&p), 2);
    let lic = "Product,Quantity,License Type,Version,Software Assurance\rWinSvrCAL 2022 SNGL OLP NL UsrCAL,40,User,2022,No\rWinSvrCAL 2022 SNGL OLP NL DvcCAL,10,Device,2022,\"No\"\r";
    for chunk in [1, 7, 4096] {
        let mut imp = cal_calc::import::Importer::new(ImportOptions::default());
        for c in lic.as_bytes().chunks(chunk) {
            imp.push(c).unwrap_or_else(|e| panic!("{e}"));
        }
        let p = imp.finish().unwrap_or_else(|e| panic!("{e}"));
        let Data::Licences(st) = &p.data else {
            panic!("not a statement: {:?}", p.kind)
        };
        assert_eq!(
            st.rows.iter().map(|r| r.quantity).collect::<Vec<_>>(),
            vec![40, 10],
            "chunks of {chunk}"
        );
    }
}

// ---- 9: Excel's TRUE and FALSE in its languages ---------------------------------------------

/// A PowerShell export opened and saved again in Excel gets TRUE and FALSE in Excel's language:
/// German and French were read, Spanish VERDADERO/FALSO and Dutch WAAR/ONWAAR refused every
/// row. Each language's pair is read.
#[test]
fn excel_true_and_false_in_its_languages_are_read() {
    let pairs = [
        ("VERDADERO", "FALSO"),
        ("WAAR", "ONWAAR"),
        ("VERO", "FALSO"),
        ("VERDADEIRO", "FALSO"),
        ("SANT", "FALSKT"),
        ("PRAWDA", "FAŁSZ"),
        ("prawda", "fałsz"),
        ("SAND", "FALSK"),
        ("SANN", "USANN"),
        ("TOSI", "EPÄTOSI"),
        ("WAHR", "FALSCH"),
        ("VRAI", "FAUX"),
    ];
    for (yes, no) in pairs {
        let csv = format!(
            "SamAccountName;Enabled;LastLogonDate;UserPrincipalName\r\n\
             u1;{yes};20/12/2025 10:00;u1@c.com\r\nu2;{no};20/12/2025 10:00;u2@c.com\r\n"
        );
        let p = parse(csv.as_bytes());
        assert_eq!(p.error_count, 0, "{yes}/{no}: {:?}", p.errors);
        assert_eq!(
            accounts(&p).iter().map(|r| r.1).collect::<Vec<_>>(),
            vec![Status::Counted, Status::Disabled],
            "{yes}/{no}"
        );
    }
    // Polish Excel writes CSV in Windows-1250: its Ł (0xA3) is £ in Windows-1252.
    let p = parse(b"SamAccountName;Enabled\r\nu1;PRAWDA\r\nu2;FA\xA3SZ\r\n");
    assert_eq!(
        accounts(&p).iter().map(|r| r.1).collect::<Vec<_>>(),
        vec![Status::Counted, Status::Disabled]
    );
}

// ---- 10: mailboxes that are no person's, packs, title rows -----------------------------------

/// An Exchange `Get-Mailbox | Export-Csv`: its shared, room and equipment mailboxes were each
/// counted as a person. Their RecipientTypeDetails says they are no person's.
#[test]
fn shared_room_and_equipment_mailboxes_of_get_mailbox_are_not_people() {
    let csv = "#TYPE Deserialized.Microsoft.Exchange.Data.Directory.Management.Mailbox\n\
\"Name\",\"Alias\",\"DisplayName\",\"SamAccountName\",\"UserPrincipalName\",\"PrimarySmtpAddress\",\"RecipientTypeDetails\",\"DistinguishedName\"\n\
\"John Smith\",\"jsmith\",\"John Smith\",\"jsmith\",\"jsmith@corp.contoso.com\",\"john.smith@contoso.com\",\"UserMailbox\",\"CN=John Smith,OU=Staff,DC=corp\"\n\
\"Info\",\"info\",\"Info Contoso\",\"info\",\"info@corp.contoso.com\",\"info@contoso.com\",\"SharedMailbox\",\"CN=Info,CN=Users,DC=corp\"\n\
\"Boardroom\",\"boardroom\",\"Boardroom\",\"boardroom\",\"boardroom@corp.contoso.com\",\"boardroom@contoso.com\",\"RoomMailbox\",\"CN=Boardroom,CN=Users,DC=corp\"\n\
\"Pool Car 1\",\"poolcar1\",\"Pool Car 1\",\"poolcar1\",\"poolcar1@corp.contoso.com\",\"poolcar1@contoso.com\",\"EquipmentMailbox\",\"CN=Pool Car 1,CN=Users,DC=corp\"\n";
    let p = parse(csv.as_bytes());
    let rows = accounts(&p);
    assert_eq!(
        rows.iter().map(|r| r.1).collect::<Vec<_>>(),
        vec![
            Status::Counted,
            Status::System,
            Status::System,
            Status::System
        ]
    );
    assert!(
        rows[1].2.contains("RecipientTypeDetails “SharedMailbox”"),
        "{}",
        rows[1].2
    );
    assert_eq!(people(&p), 1);
    assert!(
        p.notes
            .iter()
            .any(|n| n.starts_with("3 mailboxes are no person's")),
        "{:?}",
        p.notes
    );
}

/// A Volume Licensing summary with a title, a date line and a blank line above its header was
/// refused: its "columns" were the title's. Lines of one cell whose kind is not known are
/// titles: the header is found below them, and a note says so.
#[test]
fn title_lines_above_the_header_are_skipped_with_a_note() {
    let csv = "Volume Licensing Service Center - License Summary\r\n\
               Report generated: 12/31/2025\r\n\
               \r\n\
               Agreement Number,Product Family,Product Description,Version,License Type,Quantity,Software Assurance\r\n\
               12345678,Windows Server CAL,WinSvrCAL 2022 SNGL OLP NL UsrCAL,2022,User,100,No\r\n";
    let p = parse(csv.as_bytes());
    assert_eq!(
        (p.kind, p.rows, p.error_count),
        (FileKind::LicenceStatement, 1, 0)
    );
    let Data::Licences(st) = &p.data else {
        panic!("not a statement")
    };
    assert_eq!(
        st.rows.iter().map(|r| r.quantity).collect::<Vec<_>>(),
        vec![100]
    );
    assert!(
        p.notes.first().is_some_and(|n| n.starts_with(
            "Lines 1–2 above the header (“Volume Licensing Service Center - Licen…”, …) were read as titles and skipped: the columns are those of line 4."
        )),
        "{:?}",
        p.notes
    );
    // A file of one unknown column is refused as before, naming its first line.
    let e = cal_calc::import::read_bytes(b"Login\njsmith\n", ImportOptions::default());
    assert!(
        matches!(&e, Err(cal_calc::import::ImportError::UnknownKind { columns, .. }) if columns == "Login"),
        "{e:?}"
    );
}

/// Import review 12: an Entra ID sign-in log, downloaded from the portal, was refused as "a
/// devices file with no column for Device name" (for its "Operating System" column). Its
/// sign-ins are to cloud applications, not to the organisation's servers: it is named as what it
/// is and not read. Said to be usage, it is read as such.
#[test]
fn an_entra_sign_in_log_is_named_and_not_read_as_devices() {
    let log = "Date (UTC),Request ID,User agent,Correlation ID,User ID,User,Username,User type,IP address,Location,Status,Client app,Device ID,Browser,Operating System,Application,Application ID,Resource,Resource ID\n\
2025-12-30T08:01:02Z,abc,Mozilla,def,11,John Smith,jsmith@contoso.com,Member,1.2.3.4,\"Berlin, DE\",Success,Browser,,Edge 120,Windows10,Office 365 Exchange Online,00000002-0000-0ff1-ce00-000000000000,Office 365 Exchange Online,r\n";
    let e = cal_calc::import::read_bytes(log.as_bytes(), ImportOptions::default());
    assert!(
        matches!(&e, Err(cal_calc::import::ImportError::CloudSignIns { .. })),
        "{e:?}"
    );
    // Its header goes with the error, so the app offers "Say what it holds" (import UI review
    // 40: only "Remove from the list" was offered, though the docs say it can be read as usage).
    let header = e.as_ref().err().map(|e| e.header().len()).unwrap_or(0);
    assert_eq!(header, 19);
    let message = e.err().map(|e| e.to_string()).unwrap_or_default();
    assert!(
        message.starts_with("This is a Microsoft Entra ID sign-in log"),
        "{message}"
    );
    let usage = ImportOptions {
        kind: Some(FileKind::Usage),
        ..ImportOptions::default()
    };
    let p = cal_calc::import::read_bytes(log.as_bytes(), usage);
    assert!(
        !matches!(p, Err(cal_calc::import::ImportError::CloudSignIns { .. })),
        "{p:?}"
    );
}
