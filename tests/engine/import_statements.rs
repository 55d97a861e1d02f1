//! Import of licence statements and malformed CSV: what each row means, and what is never lost
//! silently (review 14).

use cal_calc::estate::{CalProduct, Date, Estate, LicenceKind};
use cal_calc::import::{
    apply_to, read_bytes, ApplyOptions, ApplySummary, ClassifyOptions, ImportOptions, ImportSet,
    Parsed,
};

/// The date of the count in these tests (the review's reports were computed for it).
fn as_of() -> Date {
    Date::new(2026, 6, 1).unwrap_or(Date {
        year: 2026,
        month: 6,
        day: 1,
    })
}

use crate::import::parse;

/// The statement `text` applied to `estate` as of [`as_of`]: the file read and the estate after.
#[track_caller]
fn apply_statement(estate: &Estate, text: &str) -> (Parsed, Estate) {
    let p = parse(text.as_bytes());
    let mut set = ImportSet::default();
    set.add(p.clone());
    let mut e = estate.clone();
    apply_to(
        &mut e,
        &set,
        &ApplyOptions {
            classify: ClassifyOptions::new(as_of()),
        },
    );
    assert_eq!(e.validate(), Ok(()));
    (p, e)
}

/// Each holding's Software Assurance as (since, until) text.
fn sa_of(e: &Estate) -> Vec<Option<(String, Option<String>)>> {
    e.holdings
        .iter()
        .map(|h| {
            h.software_assurance
                .as_ref()
                .map(|s| (s.since.to_string(), s.until.map(|u| u.to_string())))
        })
        .collect()
}

#[track_caller]
fn estate(json: serde_json::Value) -> Estate {
    serde_json::from_value(json).unwrap_or_else(|e| panic!("{e}"))
}

#[track_caller]
fn notes_with(p: &Parsed, needle: &str) -> Vec<String> {
    p.notes
        .iter()
        .filter(|n| n.contains(needle))
        .cloned()
        .collect()
}

// ---- review 14, item 1: an ended SA keeps its dates --------------------------------------------

/// Review 14 (1): a Core CAL Suite whose SA column says "Expired" lost its SA dates, so the
/// engine read the suite as under active SA and covered Windows Server 2025 and Exchange SE.
/// With the dates kept its rights freeze at the versions current on 2023-06-30 (WS 2022,
/// Exchange 2019; cal-rules §1.5), and the 40 people need new CALs.
#[test]
fn an_expired_suite_keeps_its_sa_dates_and_its_rights_freeze() {
    let e = estate(serde_json::json!({
        "format_version": 1, "name": "40 staff on WS2025 + Exchange SE",
        "groups": [ { "id": "staff", "count": 40, "devices_each": 2 } ],
        "servers": [ { "id": "dc1", "product": "windows-server", "version": "2025" },
                     { "id": "exch1", "product": "exchange", "version": "SE", "windows_version": "2025" } ],
        "access": [ { "groups": ["staff"], "servers": ["dc1", "exch1"] } ] }));
    let (_, e) = apply_statement(
        &e,
        "Agreement,Product,Version,License Type,Quantity,Software Assurance,SA Start,SA End\n\
         V1,CoreCAL ALNG LicSAPk MVL UsrCAL,,User,40,Expired,2019-07-01,2023-06-30\n",
    );
    assert_eq!(
        sa_of(&e),
        [Some(("2019-07-01".into(), Some("2023-06-30".into())))]
    );
    let r = cal_calc::evaluate(&e, as_of()).unwrap_or_else(|e| panic!("{e}"));
    let short: Vec<(CalProduct, String, u64)> = r
        .position
        .iter()
        .filter(|p| p.shortfall > 0)
        .map(|p| (p.product, p.version.clone(), p.shortfall))
        .collect();
    assert_eq!(
        short,
        [
            (CalProduct::WindowsServer, "2025".to_string(), 40),
            (CalProduct::ExchangeStandard, "SE".to_string(), 40)
        ]
    );
    assert_eq!(r.recommendation.total_minor, 484_000);
}

/// Review 14 (1): a Windows Server 2016 User CAL with SA from 2016-01-01 to 2019-06-30, marked
/// "Inactive", was under SA when Windows Server 2019 was released (2 Oct 2018), so it counts as
/// a 2019 CAL: nothing to buy for a 2019 server.
#[test]
fn an_inactive_sa_active_at_a_release_still_grants_that_version() {
    let e = estate(serde_json::json!({
        "format_version": 1, "name": "13 staff on WS2019",
        "groups": [ { "id": "staff", "count": 13, "devices_each": 2 } ],
        "servers": [ { "id": "fs1", "product": "windows-server", "version": "2019" } ],
        "access": [ { "groups": ["staff"], "servers": ["fs1"] } ] }));
    for status in ["Inactive", "Expired", "Lapsed"] {
        let (p, e) = apply_statement(
            &e,
            &format!(
                "Product,License Version,License Type,Quantity,Software Assurance,SA Start Date,SA Expiration\n\
                 Windows Server 2016 User CAL,2016,User,13,{status},2016-01-01,2019-06-30\n"
            ),
        );
        assert!(p.notes.is_empty(), "{status}: {:?}", p.notes);
        assert_eq!(
            sa_of(&e),
            [Some(("2016-01-01".into(), Some("2019-06-30".into())))],
            "{status}"
        );
        let r = cal_calc::evaluate(&e, as_of()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(r.recommendation.total_minor, 0, "{status}");
    }
}

/// An ended SA with a start date and no end date: it is taken to have ended on its start date
/// (it covered at least that day), which grants only the versions current then, and a note says
/// so. Without any date, a versioned CAL counts at its own version (a note says so) and a suite,
/// whose rights depend on when SA ended, is not imported.
#[test]
fn an_ended_sa_without_an_end_date_says_what_was_assumed() {
    let (p, e) = apply_statement(
        &Estate::default(),
        "Product,Version,License Type,Quantity,Software Assurance,SA Start,SA End\n\
         Windows Server 2016 User CAL,2016,User,5,Expired,2016-01-01,\n\
         Core CAL Suite User CAL,,User,6,Lapsed,2019-07-01,\n\
         Windows Server 2019 User CAL,2019,User,7,Expired,,\n\
         Core CAL Suite Device CAL,,Device,8,Expired,,\n",
    );
    assert_eq!(
        sa_of(&e),
        [
            Some(("2016-01-01".into(), Some("2016-01-01".into()))),
            Some(("2019-07-01".into(), Some("2019-07-01".into()))),
            None
        ]
    );
    let errors: Vec<(u32, bool)> = p
        .errors
        .iter()
        .map(|e| (e.line, e.message.contains("no SA dates")))
        .collect();
    assert_eq!(errors, [(5, true)], "{:?}", p.errors);
    let ended = notes_with(&p, "no SA end date");
    assert!(
        ended.len() == 1 && ended[0].contains("lines 2 and 3") && ended[0].contains("start date"),
        "{:?}",
        p.notes
    );
    let own = notes_with(&p, "own version");
    assert!(own.len() == 1 && own[0].contains("line 4"), "{:?}", p.notes);
}

// ---- review 14, item 3: a quote never closed loses no row silently ----------------------------

const AD_HEADER: &str =
    "SamAccountName,DisplayName,EmailAddress,EmployeeID,Enabled,LastLogonDate\n";

/// Review 14 (3): a quote opened on line 2 and closed by the first quote of line 5 made lines 2–5
/// one record with the right number of fields: Bob, Carol and Dan became part of Alice's display
/// name, with no error and no note. The file now says which lines were read as one record and
/// that a quote is probably unclosed.
#[test]
fn rows_swallowed_by_an_unclosed_quote_are_named_with_their_lines() {
    let p = parse(
        format!(
            "{AD_HEADER}a1,\"Alice A,alice@corp.example,E1,True,2026-05-28\n\
             b2,Bob B,bob@corp.example,E2,True,2026-05-28\n\
             c3,Carol C,carol@corp.example,E3,True,2026-05-28\n\
             d4,\"Dan D\",dan@corp.example,E4,True,2026-05-28\n\
             e5,Eve E,eve@corp.example,E5,True,2026-05-28\n"
        )
        .as_bytes(),
    );
    let hits = notes_with(&p, "lines 2–5");
    assert!(
        hits.len() == 1 && hits[0].contains("unclosed"),
        "{:?}",
        p.notes
    );
}

/// Review 14 (3): the field-count message named only the record's first line ("line 31"), while
/// the two lines after it, a real account among them, were part of the same record and vanished
/// without mention.
#[test]
fn a_record_over_several_lines_with_the_wrong_field_count_names_all_its_lines() {
    let p = parse(
        format!(
            "{AD_HEADER}a1,Alice,a@x,E1,True,2026-05-28\n\
             broken,\"Unterminated,x@x,E30,True,2026-05-28\n\
             short,Short Row\n\
             mm,Marie,m@x,E31,True,\"2026-05-28\"\n\
             e5,Eve,e@x,E5,True,2026-05-28\n"
        )
        .as_bytes(),
    );
    let errors: Vec<(u32, String)> = p
        .errors
        .iter()
        .map(|e| (e.line, e.message.clone()))
        .collect();
    assert!(
        errors.len() == 1
            && errors[0].0 == 3
            && errors[0].1.contains("lines 3–5")
            && errors[0].1.contains("unclosed"),
        "{errors:?}"
    );
    assert_eq!(p.rows, 3);
}

/// Review 14 (3): a quote still open at the end of the file names every line it took, not only
/// the first.
#[test]
fn a_quote_open_at_the_end_of_the_file_names_the_lines_it_took() {
    let r = read_bytes(
        format!("{AD_HEADER}a1,Alice,a@x,E1,True,2026-05-28\nb2,\"Bob,b@x,E2,True,2026-05-28\nc3,Carol,c@x,E3,True,2026-05-28\r\nd4,Dan,d@x,E4,True,2026-05-28\r\n")
            .as_bytes(),
        ImportOptions::default(),
    );
    let message = r.err().map(|e| e.to_string()).unwrap_or_default();
    assert!(
        message.contains("Lines 3–5") && message.contains("unclosed"),
        "{message}"
    );
}

/// A quoted field over several lines that holds no row-like line (a description with a line
/// break, as real exports have) is read without a note.
#[test]
fn a_genuine_multi_line_field_is_read_without_a_note() {
    let p = parse(
        b"sAMAccountName,Description,Enabled\r\n\
          a,\"Team lead,\r\nsays \"\"hi\"\"\",True\r\n\
          b,\"Address: 1 Main St, Suite 2\nBoston\",True\r\n\
          c,plain,True\r\n",
    );
    assert_eq!((p.rows, p.error_count), (3, 0));
    assert!(p.notes.is_empty(), "{:?}", p.notes);
}

// ---- review 14, item 14: an SA start date assumed is said ---------------------------------------

/// Review 14 (14): "SA = Yes" with no start date was given the date of the count as its start
/// (which grants no version released before it) without a word, unlike the statement's other
/// defaults. A note now names the lines; a suite, whose rights do not depend on the start, and a
/// lot with its start date get none.
#[test]
fn software_assurance_without_a_start_date_says_the_count_date_was_assumed() {
    let (p, e) = apply_statement(
        &Estate::default(),
        "Product,License Version,License Type,Quantity,Software Assurance,SA Start Date,SA Expiration\n\
         WinSvrCAL 2019 SNGL OLP NL UsrCAL,2019,User,10,Yes,,\n\
         WinSvrCAL 2019 SNGL OLP NL UsrCAL,2019,User,11,2027-06-30,2019-01-01,\n\
         WinSvrCAL 2019 L/SA UsrCAL,2019,User,12,,2019-01-01,2021-12-31\n\
         CoreCAL ALNG SA MVL UsrCAL,,User,14,Yes,,\n\
         Windows Server 2022 Device CAL,2022,Device,15,,,2028-01-31\n",
    );
    assert_eq!(
        sa_of(&e)[0],
        Some(("2026-06-01".into(), None)),
        "the documented default"
    );
    let hits = notes_with(&p, "no SA start date");
    assert!(
        hits.len() == 1
            && hits[0].contains("lines 2 and 6")
            && hits[0].contains("date of the count"),
        "{:?}",
        p.notes
    );
}

// ---- review 14, item 13: the licence-type column and the product text disagree ------------------

/// Review 14 (13): "SQLCAL 2022 SNGL OLP NL UsrCAL" with License Type "Device" was imported as
/// Device CALs with no word of the conflict. The column still decides (it is the statement's own
/// field), and a note names the lines, both readings and the one used.
#[test]
fn a_licence_type_that_contradicts_the_product_text_is_named() {
    let (p, e) = apply_statement(
        &Estate::default(),
        "Product,Version,License Type,Quantity\n\
         SQLCAL 2022 SNGL OLP NL UsrCAL,2022,Device,11\n\
         WinSvrCAL 2022 SNGL OLP NL UsrCAL,2022,User,5\n\
         Windows Server CAL 2022,2022,Device,6\n",
    );
    let kinds: Vec<(CalProduct, LicenceKind)> =
        e.holdings.iter().map(|h| (h.product, h.kind)).collect();
    assert_eq!(
        kinds,
        [
            (CalProduct::SqlServer, LicenceKind::DeviceCal),
            (CalProduct::WindowsServer, LicenceKind::UserCal),
            (CalProduct::WindowsServer, LicenceKind::DeviceCal)
        ]
    );
    let hits = notes_with(&p, "licence-type column");
    assert!(
        hits.len() == 1
            && hits[0].contains("line 2")
            && hits[0].contains("Device CAL")
            && hits[0].contains("User CAL"),
        "{:?}",
        p.notes
    );
}

// ---- review 14, item 12: returns and credits ---------------------------------------------------

/// Review 14 (12): a return of 20 CALs (quantity -20) was refused as "not a whole number", so
/// the holdings stayed at 50. A negative quantity is a return or credit: it is taken from the one
/// lot it can come from (same product, kind, version and Software Assurance), whichever comes
/// first in the file, and a note says so.
#[test]
fn a_return_is_netted_against_its_lot() {
    let (p, e) = apply_statement(
        &Estate::default(),
        "Product,Version,License Type,Quantity,Software Assurance\n\
         WinSvrCAL 2022 SNGL OLP NL UsrCAL,2022,User,(5),No\n\
         WinSvrCAL 2022 SNGL OLP NL UsrCAL,2022,User,50,No\n\
         WinSvrCAL 2022 SNGL OLP NL UsrCAL,2022,User,-20,No\n\
         Exchange Server 2019 Standard CAL Device,2019,Device,5,No\n",
    );
    assert!(p.errors.is_empty(), "{:?}", p.errors);
    let got: Vec<(CalProduct, u32)> = e.holdings.iter().map(|h| (h.product, h.quantity)).collect();
    assert_eq!(
        got,
        [
            (CalProduct::WindowsServer, 25),
            (CalProduct::ExchangeStandard, 5)
        ]
    );
    let hits = notes_with(&p, "return");
    assert!(
        hits.len() == 2 && hits.iter().all(|n| n.contains("line 3")),
        "{:?}",
        p.notes
    );
}

/// A return that cannot be placed is refused with why and what to do: no lot to take it from,
/// more than the lot holds, or lots that differ in Software Assurance with nothing to say which.
#[test]
fn a_return_that_cannot_be_placed_is_refused_with_why() {
    let (p, e) = apply_statement(
        &Estate::default(),
        "Product,Version,License Type,Quantity,Software Assurance,SA Start,SA End\n\
         Windows Server 2022 User CAL,2022,User,10,Yes,2022-01-01,\n\
         Windows Server 2022 User CAL,2022,User,10,No,,\n\
         Windows Server 2022 User CAL,2022,User,-3,,,\n\
         Windows Server 2019 Device CAL,2019,Device,-4,No,,\n\
         SQL Server 2022 User CAL,2022,User,2,No,,\n\
         SQL Server 2022 User CAL,2022,User,-3,No,,\n",
    );
    let errors: Vec<(u32, String)> = p
        .errors
        .iter()
        .map(|e| (e.line, e.message.clone()))
        .collect();
    let lines: Vec<u32> = errors.iter().map(|e| e.0).collect();
    assert_eq!(lines, [4, 5, 7], "{errors:?}");
    for (line, needle) in [(4, "Software Assurance"), (5, "no lot"), (7, "only 2")] {
        assert!(
            errors
                .iter()
                .any(|(l, m)| *l == line && m.contains(needle) && m.contains("return")),
            "line {line}: {needle:?} in {errors:?}"
        );
    }
    let total: u32 = e.holdings.iter().map(|h| h.quantity).sum();
    assert_eq!(total, 22);
}

// ---- review 15, item 3: a return against a lot of another statement ---------------------------

/// The statements `files` (name, text) read in one session, in that order: each file's summary,
/// and the estate they give as of [`as_of`].
#[track_caller]
fn session_of(files: &[(&str, &str)]) -> (Vec<cal_calc::import::session::FileSummary>, Estate) {
    let mut s = cal_calc::import::session::Session::new();
    let mut summaries = Vec::new();
    for (name, text) in files {
        s.begin(ImportOptions::default());
        s.push(text.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
        summaries.push(s.finish(name).unwrap_or_else(|e| panic!("{e}")));
    }
    let applied = s.apply(Estate::default(), &ClassifyOptions::new(as_of()));
    assert_eq!(applied.estate.validate(), Ok(()));
    (summaries, applied.estate)
}

const PURCHASES: &str = "Product,Version,License Type,Quantity,Software Assurance\n\
    WinSvrCAL 2022 SNGL OLP NL UsrCAL,2022,User,50,No\n\
    SQL Server 2022 User CAL,2022,User,10,Yes\n\
    SQL Server 2022 User CAL,2022,User,10,No\n";

const CREDITS: &str = "Product,Version,License Type,Quantity,Software Assurance\n\
    Exchange Server 2019 Standard CAL Device,2019,Device,5,No\n\
    WinSvrCAL 2022 SNGL OLP NL UsrCAL,2022,User,-20,No\n\
    SQL Server 2022 User CAL,2022,User,-3,\n\
    Windows Server 2019 Device CAL,2019,Device,(4),No\n";

/// Review 15 (3): statements imported together (a purchase in one file, its credit note in
/// another) refused the return of 20 CALs as having "no lot", so the holdings stayed at 50. A
/// return is taken from the one lot of the statements read together that it can come from,
/// whichever file is read first; the file that holds it no longer lists it as not imported when
/// read second, and a note names both files' lines. A return that no statement can place (lots
/// that differ in SA, no lot at all) is still refused.
#[test]
fn a_return_in_one_statement_is_netted_against_its_lot_in_another() {
    for order in [
        [("purchases.csv", PURCHASES), ("credits.csv", CREDITS)],
        [("credits.csv", CREDITS), ("purchases.csv", PURCHASES)],
    ] {
        let (summaries, e) = session_of(&order);
        let held: Vec<(CalProduct, LicenceKind, u32)> = e
            .holdings
            .iter()
            .map(|h| (h.product, h.kind, h.quantity))
            .collect();
        assert!(
            held.contains(&(CalProduct::WindowsServer, LicenceKind::UserCal, 30))
                && held
                    .iter()
                    .filter(|h| h.0 == CalProduct::SqlServer)
                    .map(|h| h.2)
                    .sum::<u32>()
                    == 20,
            "{order:?}: {held:?}"
        );
        let second = &summaries[1];
        let taken: Vec<&String> = second
            .notes
            .iter()
            .filter(|n| n.contains("return of 20"))
            .collect();
        assert!(
            taken.len() == 1
                && taken[0].contains("purchases.csv") == (second.name == "credits.csv")
                && taken[0].contains("credits.csv") == (second.name == "purchases.csv"),
            "{order:?}: {:?}",
            second.notes
        );
        let credits = summaries.iter().find(|s| s.name == "credits.csv");
        let refused: Vec<u32> = credits
            .map(|s| s.errors.iter().map(|e| e.line).collect())
            .unwrap_or_default();
        if second.name == "credits.csv" {
            // Lines 4 (lots that differ in SA) and 5 (no lot anywhere) stay refused.
            assert_eq!(refused, [4, 5], "{:?}", credits.map(|s| &s.errors));
            assert_eq!(credits.map(|s| s.error_count), Some(2));
        }
    }
}

// ---- review 15, item 4: an ended SA whose end date is after the count ---------------------------

/// Review 15 (4): a Windows Server 2019 User CAL marked "Expired" with SA from 2019-02-01 to
/// 2027-01-31, counted on 2026-06-01, was read by its dates as under SA on the count date, so it
/// covered Windows Server 2022 and 2025. The status and the end date contradict each other; the
/// reading that cannot overstate rights is taken (no SA on the count date, and none of the
/// versions released after its start: as an ended SA with no end date), and the apply summary
/// names the line, and so do the file's notes when the count date is known as it is read.
#[test]
fn an_ended_sa_whose_end_date_is_after_the_count_is_not_active() {
    let e = estate(serde_json::json!({
        "format_version": 1, "name": "8 staff on WS2022",
        "groups": [ { "id": "staff", "count": 8, "devices_each": 1 } ],
        "servers": [ { "id": "fs1", "product": "windows-server", "version": "2022" } ],
        "access": [ { "groups": ["staff"], "servers": ["fs1"] } ] }));
    let text = "Product,License Version,License Type,Quantity,Software Assurance,SA Start Date,SA Expiration\n\
        Windows Server 2019 User CAL,2019,User,8,Expired,2019-02-01,2027-01-31\n\
        Windows Server 2019 Device CAL,2019,Device,3,Expired,2019-02-01,2021-01-31\n";
    let mut set = ImportSet::default();
    set.add(parse(text.as_bytes()));
    let mut after = e.clone();
    let s = apply_to(
        &mut after,
        &set,
        &ApplyOptions {
            classify: ClassifyOptions::new(as_of()),
        },
    );
    assert_eq!(after.validate(), Ok(()));
    assert_eq!(
        sa_of(&after),
        [
            Some(("2019-02-01".into(), Some("2019-02-01".into()))),
            Some(("2019-02-01".into(), Some("2021-01-31".into())))
        ]
    );
    let r = cal_calc::evaluate(&after, as_of()).unwrap_or_else(|e| panic!("{e}"));
    let short: Vec<(String, u64)> = r
        .position
        .iter()
        .filter(|p| p.shortfall > 0)
        .map(|p| (p.version.clone(), p.shortfall))
        .collect();
    assert_eq!(short, [("2022".to_string(), 8)]);
    let named: Vec<&String> = s
        .notes
        .iter()
        .filter(|n| n.contains("contradict"))
        .collect();
    assert!(
        named.len() == 1 && named[0].contains("line 2") && !named[0].contains("line 3"),
        "{:?}",
        s.notes
    );
    // Read with the date of the count known (the command line's --as-of), the file's own notes
    // name it, and applying does not say it again.
    let mut session = cal_calc::import::session::Session::new();
    session.set_as_of(Some(as_of()));
    session.begin(ImportOptions::default());
    session
        .push(text.as_bytes())
        .unwrap_or_else(|e| panic!("{e}"));
    let file = session
        .finish("statement.csv")
        .unwrap_or_else(|e| panic!("{e}"));
    let named: Vec<&String> = file
        .notes
        .iter()
        .filter(|n| n.contains("contradict") && n.contains("line 2") && n.contains("2026-06-01"))
        .collect();
    assert_eq!(named.len(), 1, "{:?}", file.notes);
    let applied = session.apply(e, &ClassifyOptions::new(as_of()));
    assert!(
        !applied
            .summary
            .notes
            .iter()
            .any(|n| n.contains("contradict")),
        "{:?}",
        applied.summary.notes
    );
}

// ---- review 16, item 1: the same file read twice in one session --------------------------------

/// `text` read in session `s` as `name`, with `opts`.
fn read_into(
    s: &mut cal_calc::import::session::Session,
    name: &str,
    text: &str,
    opts: ImportOptions,
) -> Result<cal_calc::import::session::FileSummary, cal_calc::import::ImportError> {
    s.begin(opts);
    s.push(text.as_bytes())?;
    s.finish(name)
}

/// Review 16 (1): a licence statement dropped again in one session (by mistake, or a copy under
/// another name) added its rows again: the quantities doubled, and its return was taken twice.
/// A file whose bytes are those of a file the session holds is refused with a message naming
/// the earlier file, and the holdings are those of one reading. Read again with other columns
/// (the app's "Read the file again"), it takes the place of its earlier reading.
#[test]
fn the_same_statement_read_twice_in_a_session_counts_once() {
    let held = |s: &cal_calc::import::session::Session| -> Vec<(CalProduct, u32)> {
        let e = s
            .apply(Estate::default(), &ClassifyOptions::new(as_of()))
            .estate;
        assert_eq!(e.validate(), Ok(()));
        let mut h: Vec<(CalProduct, u32)> =
            e.holdings.iter().map(|h| (h.product, h.quantity)).collect();
        h.sort_by_key(|x| (format!("{:?}", x.0), x.1));
        h
    };
    let mut s = cal_calc::import::session::Session::new();
    for (name, text) in [("purchases.csv", PURCHASES), ("credits.csv", CREDITS)] {
        read_into(&mut s, name, text, ImportOptions::default()).unwrap_or_else(|e| panic!("{e}"));
    }
    let once = held(&s);
    assert!(once.contains(&(CalProduct::WindowsServer, 30)), "{once:?}");
    for (name, text, earlier) in [
        ("purchases.csv", PURCHASES, "the purchases.csv"),
        ("purchases (1).csv", PURCHASES, "purchases.csv"),
        ("credits.csv", CREDITS, "the credits.csv"),
    ] {
        let e = read_into(&mut s, name, text, ImportOptions::default()).err();
        let message = e.as_ref().map(ToString::to_string).unwrap_or_default();
        assert!(
            matches!(e, Some(cal_calc::import::ImportError::SameFile { .. }))
                && message.starts_with(&format!(
                    "{name} is the same file as {earlier}, read already; it was not added again"
                )),
            "{name}: {message}"
        );
        assert_eq!(held(&s), once, "{name}");
    }
    // Read again with other columns (here the same), it replaces its first reading: the
    // purchases and the credit note still net to 30, whichever was read first.
    let again = ImportOptions {
        again: true,
        ..ImportOptions::default()
    };
    for name in ["purchases.csv", "credits.csv"] {
        let text = if name == "purchases.csv" {
            PURCHASES
        } else {
            CREDITS
        };
        let file = read_into(&mut s, name, text, again.clone()).unwrap_or_else(|e| panic!("{e}"));
        assert!(
            file.notes
                .iter()
                .any(|n| n.contains("takes the place of the earlier one")),
            "{:?}",
            file.notes
        );
        assert_eq!(held(&s), once, "{name} read again");
    }
    // "Read again" of a copy under another name is still the same file as the one read.
    let e = read_into(&mut s, "copy.csv", PURCHASES, again).err();
    assert!(
        matches!(e, Some(cal_calc::import::ImportError::SameFile { .. })),
        "{e:?}"
    );
    assert_eq!(held(&s), once);
}

/// Review 16 (1): the same device export dropped twice is refused as well, and a file whose
/// bytes differ (another export) is not.
#[test]
fn the_same_device_export_read_twice_is_refused() {
    let devices =
        "Device name,Primary user UPN,OS\nPC-01,ann@corp.example,Windows 11\nKIOSK,,Windows 11\n";
    let mut s = cal_calc::import::session::Session::new();
    read_into(&mut s, "intune.csv", devices, ImportOptions::default())
        .unwrap_or_else(|e| panic!("{e}"));
    let e = read_into(&mut s, "intune.csv", devices, ImportOptions::default()).err();
    assert!(
        matches!(e, Some(cal_calc::import::ImportError::SameFile { .. })),
        "{e:?}"
    );
    let other = format!("{devices}PC-02,bob@corp.example,Windows 11\n");
    read_into(&mut s, "intune.csv", &other, ImportOptions::default())
        .unwrap_or_else(|e| panic!("{e}"));
    let d = s
        .overview(&ClassifyOptions::new(as_of()))
        .devices
        .map(|d| (d.personal, d.shared));
    assert_eq!(d, Some((2, 1)));
}

// ---- review 16, item 2: the date of the count known as the app reads ---------------------------

/// Review 16 (2): the app read files without the date of the count, so a statement's note on an
/// SA marked ended whose end date is after the count appeared only on applying. The session is
/// given the date as files are read, and when it changes it gives each statement's summary
/// again with its notes as of the new date (the note appears, or goes).
#[test]
fn a_new_date_of_the_count_gives_the_statements_notes_again() {
    let text = "Product,License Version,License Type,Quantity,Software Assurance,SA Start Date,SA Expiration\n\
        Windows Server 2019 User CAL,2019,User,8,Expired,2019-02-01,2027-01-31\n";
    let contradicts = |f: &cal_calc::import::session::FileSummary| {
        f.notes
            .iter()
            .filter(|n| n.contains("contradict") && n.contains("line 2"))
            .count()
    };
    let mut s = cal_calc::import::session::Session::new();
    // After the end date, "Expired" is what the dates say too: nothing to note.
    let late = Date::new(2027, 6, 1).unwrap_or(as_of());
    assert!(s.set_as_of(Some(late)).is_empty());
    let file = read_into(&mut s, "statement.csv", text, ImportOptions::default())
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(contradicts(&file), 0, "{:?}", file.notes);
    // On 2026-06-01 the two contradict: the file's summary comes again with the note.
    let again = s.set_as_of(Some(as_of()));
    assert_eq!(again.len(), 1);
    assert_eq!(again[0].name, "statement.csv");
    assert_eq!(contradicts(&again[0]), 1, "{:?}", again[0].notes);
    assert!(again[0].notes.iter().any(|n| n.contains("2026-06-01")));
    // The rest of the summary is as read, and the same date gives nothing new.
    assert_eq!((again[0].rows, &again[0].errors), (file.rows, &file.errors));
    assert!(s.set_as_of(Some(as_of())).is_empty());
    // What the notes said is not said again on applying.
    let applied = s.apply(Estate::default(), &ClassifyOptions::new(as_of()));
    assert!(
        !applied
            .summary
            .notes
            .iter()
            .any(|n| n.contains("contradict")),
        "{:?}",
        applied.summary.notes
    );
    // Back to the later date, the note goes.
    let back = s.set_as_of(Some(late));
    assert_eq!(back.iter().map(contradicts).sum::<usize>(), 0);
}

/// Review 16 (1), on the command line: a statement named twice (or with a copy of it) adds its
/// lots once; standard error names the file it repeats, and the estate is written, with exit
/// status 2 as a file named was not used.
#[test]
fn the_command_line_reads_a_statement_named_twice_once() {
    let dir = std::env::temp_dir().join(format!("cal-calc-same-file-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let estate = dir.join("estate.json");
    let (a, copy) = (dir.join("purchases.csv"), dir.join("copy.csv"));
    let written = std::fs::write(&estate, "{\"format_version\": 1}")
        .and_then(|_| std::fs::write(&a, PURCHASES))
        .and_then(|_| std::fs::write(&copy, PURCHASES));
    assert!(written.is_ok(), "{written:?}");
    let path = |p: &std::path::Path| p.to_string_lossy().into_owned();
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_cal-calc"))
        .args(["import", &path(&estate), &path(&a), &path(&a), &path(&copy)])
        .args(["--as-of", "2026-06-01"])
        .output();
    let _ = std::fs::remove_dir_all(&dir);
    let o = o.unwrap_or_else(|e| panic!("{e}"));
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(3), "{err}");
    assert!(
        err.contains(&format!(
            "{} is the same file as the {}, read already; it was not added again",
            path(&a),
            path(&a)
        )) && err.contains(&format!(
            "{} is the same file as {}, read already",
            path(&copy),
            path(&a)
        )),
        "{err}"
    );
    let e: Estate = serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}"));
    let windows: u32 = e
        .holdings
        .iter()
        .filter(|h| h.product == CalProduct::WindowsServer)
        .map(|h| h.quantity)
        .sum();
    assert_eq!(windows, 50);
}

/// Review 20: with the licence-type and version columns mapped, a value in them not understood
/// ("Benutzer", "Latest") was reported as if the column were missing ("map a licence-type
/// column", "map the version column"): the message now names the value and the column.
#[test]
fn a_value_not_understood_in_a_mapped_column_is_named_not_the_column_asked_for() {
    let p = parse(
        b"Product,Version,License Type,Quantity\n\
          Windows Server 2022 CAL,2022,Benutzer,10\n\
          Windows Server CAL,Latest,User,5\n\
          Windows Server CAL,,User,5\n\
          Windows Server 2022 CAL,2022,,5\n",
    );
    let messages: Vec<&str> = p.errors.iter().map(|e| e.message.as_str()).collect();
    assert_eq!(messages.len(), 4, "{messages:#?}");
    assert!(
        messages
            .iter()
            .all(|m| !m.contains("map a licence-type column") && !m.contains("map the version")),
        "{messages:#?}"
    );
    assert!(
        messages[0].contains("`Benutzer` in the License Type column is not understood"),
        "{}",
        messages[0]
    );
    assert!(
        messages[1].contains("`Latest` in the Version column is not a version"),
        "{}",
        messages[1]
    );
    assert!(
        messages[2].contains("the Version column is empty on this row"),
        "{}",
        messages[2]
    );
    assert!(
        messages[3].contains("the License Type column is empty on this row"),
        "{}",
        messages[3]
    );
}

/// Review 22 (licensing practitioner): a statement whose licence type is in a column named
/// "Type" ("User", "Device") was not read by it: "Windows Server CAL 2022" was refused as neither
/// User nor Device. The column is the licence type of a statement; an RD Licensing report's
/// "Type" stays its CAL type.
#[test]
fn a_statement_column_named_type_gives_the_licence_type() {
    let (p, e) = apply_statement(
        &Estate::default(),
        "Product Description;Qty;Licence Version;Type;SA;SA Expiration\n\
         Windows Server CAL 2022;10;2022;User;No;\n\
         SQL Server CAL 2019;30;2019;Device;No;\n\
         Windows Server 2019 CAL;5;2019;Volume;No;\n",
    );
    assert_eq!(p.kind, cal_calc::import::FileKind::LicenceStatement);
    let kinds: Vec<(CalProduct, LicenceKind, u32)> = e
        .holdings
        .iter()
        .map(|h| (h.product, h.kind, h.quantity))
        .collect();
    assert_eq!(
        kinds,
        [
            (CalProduct::WindowsServer, LicenceKind::UserCal, 10),
            (CalProduct::SqlServer, LicenceKind::DeviceCal, 30)
        ]
    );
    // A value that says neither is named as the Type column's, not asked to be mapped.
    let messages: Vec<&str> = p.errors.iter().map(|e| e.message.as_str()).collect();
    assert!(
        messages.len() == 1 && messages[0].contains("`Volume` in the Type column"),
        "{messages:#?}"
    );
    // An RD Licensing report's "Type" is still its CAL type.
    let rd = parse(
        b"Issued To,Type,Server,Version\n\
          alice,Per User,rdls1,Windows Server 2022\n",
    );
    assert_eq!(rd.kind, cal_calc::import::FileKind::RdsLicensing);
    assert_eq!(
        rd.mapping.get(cal_calc::import::Field::CalType),
        Some(1),
        "{:?}",
        rd.mapping
    );
}

/// Hostile-input review (session 23): a quantity too large for the count type,
/// `99999999999`, was "not a whole number" while `50000000` was "more than 10000000": both are
/// whole and too many, and say so alike (grouped or a return, too).
#[test]
fn a_quantity_too_large_to_hold_is_too_many_not_a_fraction() {
    let p = parse(
        b"Product,Version,License Type,Quantity\n\
          WinSvrCAL 2022 SNGL OLP NL UsrCAL,2022,User,99999999999\n\
          WinSvrCAL 2022 SNGL OLP NL UsrCAL,2022,User,50000000\n\
          WinSvrCAL 2022 SNGL OLP NL UsrCAL,2022,User,\"99,999,999,999\"\n\
          WinSvrCAL 2022 SNGL OLP NL UsrCAL,2022,User,-0099999999999\n",
    );
    let messages: Vec<(u32, &str)> = p
        .errors
        .iter()
        .map(|e| (e.line, e.message.as_str()))
        .collect();
    let too_many =
        |n: &str| format!("quantity {n} is more than 10000000, which is not a sensible count");
    assert_eq!(
        messages,
        [
            (2, too_many("99999999999").as_str()),
            (3, too_many("50000000").as_str()),
            (4, too_many("99999999999").as_str()),
            (5, too_many("99999999999").as_str()),
        ]
    );
}

// ---- Microsoft 365 seats on a statement -------------------------------------------------------

/// The statement `text` applied to `estate` as of [`as_of`], with the summary of applying it.
#[track_caller]
fn apply_with_summary(estate: &Estate, text: &str) -> (Parsed, Estate, ApplySummary) {
    let p = parse(text.as_bytes());
    let mut set = ImportSet::default();
    set.add(p.clone());
    let mut e = estate.clone();
    let sum = apply_to(
        &mut e,
        &set,
        &ApplyOptions {
            classify: ClassifyOptions::new(as_of()),
        },
    );
    assert_eq!(e.validate(), Ok(()));
    (p, e, sum)
}

/// 520 staff marked E3 and 10 managers marked E5, on one Windows Server 2022.
fn marked_estate() -> Estate {
    estate(serde_json::json!({
        "format_version": 1,
        "groups": [ { "id": "staff", "count": 520, "devices_each": 1, "m365": "e3" },
                    { "id": "mgr", "count": 10, "devices_each": 1, "m365": "e5" } ],
        "servers": [ { "id": "s", "product": "windows-server", "version": "2022" } ],
        "access": [ { "groups": ["staff", "mgr"], "servers": ["s"] } ] }))
}

const SEATS_STATEMENT: &str = "Product,Quantity\n\
    Windows Server 2022 User CAL,10\n\
    Microsoft 365 E3,300\n\
    M365 E3 Unified ShrdSvr ALNG SubsVL MVL PerUsr,200\n\
    Microsoft 365 E5,40\n\
    Microsoft 365 E5 Security,40\n\
    Office 365 E3,25\n";

/// A statement's "Microsoft 365 E3"/"E5" lines were left out as not CALs, so the estate kept
/// taking the groups' flags as the claim. They set the seat count of their plan (added up over
/// the lines), which the position's seat rows then show; add-ons and Office 365 stay left out.
#[test]
fn microsoft_365_lines_set_the_estates_seat_counts() {
    let (p, e, sum) = apply_with_summary(&marked_estate(), SEATS_STATEMENT);
    assert_eq!(
        (e.organisation.m365.e3_seats, e.organisation.m365.e5_seats),
        (500, 40)
    );
    // The CAL line is a holding as before; the seat lines are none.
    let held: Vec<(CalProduct, u32)> = e.holdings.iter().map(|h| (h.product, h.quantity)).collect();
    assert_eq!(held, [(CalProduct::WindowsServer, 10)]);
    let ignored: Vec<u32> = match &p.data {
        cal_calc::import::Data::Licences(s) => s.ignored.iter().map(|(l, _)| *l).collect(),
        other => panic!("{other:?}"),
    };
    assert_eq!(
        ignored,
        [6, 7],
        "E5 Security and Office 365 E3 are left out"
    );
    assert!(p.errors.is_empty(), "{:?}", p.errors);
    assert!(
        p.notes.iter().any(|n| n.starts_with(
            "Microsoft 365 E3 on lines 3 and 4: 500 seats, not CALs. Applying the statement sets the estate's Microsoft 365 E3 seats to 500"
        )),
        "{:?}",
        p.notes
    );
    assert!(
        sum.notes.iter().any(|n| n
            == "Microsoft 365 E3: 500 seats from the licence statement (none were entered: the groups marked with it were taken as holding a seat each)."),
        "{:?}",
        sum.notes
    );
    // The position now counts 500 E3 seats against the 520 people marked.
    let r = cal_calc::evaluate(&e, as_of()).unwrap_or_else(|e| panic!("{e}"));
    let rows: Vec<(u64, bool, u64, u64)> = r
        .seats
        .iter()
        .map(|s| (s.owned, s.stated, s.flagged, s.seated))
        .collect();
    assert_eq!(rows, [(500, true, 520, 500), (40, true, 10, 10)]);
}

/// The statement is the record of the plans it lists: applying it again changes nothing, and a
/// plan it does not list keeps the count entered.
#[test]
fn a_statement_sets_only_the_plans_it_lists_and_again_changes_nothing() {
    let mut start = marked_estate();
    start.organisation.m365.e5_seats = 12;
    start.organisation.m365.e3_seats = 450;
    let text = "Product,Quantity\nMicrosoft 365 E3,500\n";
    let (_, e, sum) = apply_with_summary(&start, text);
    assert_eq!(
        (e.organisation.m365.e3_seats, e.organisation.m365.e5_seats),
        (500, 12)
    );
    assert!(
        sum.notes
            .iter()
            .any(|n| n == "Microsoft 365 E3: 500 seats from the licence statement (was 450)."),
        "{:?}",
        sum.notes
    );
    let (_, again, sum) = apply_with_summary(&e, text);
    assert_eq!(again, e);
    assert!(
        sum.notes.iter().any(|n| n.contains("(as before)")),
        "{:?}",
        sum.notes
    );
    // Seats of a plan no group is marked with: the summary says to mark them.
    let mut unmarked = marked_estate();
    unmarked.groups.iter_mut().for_each(|g| g.m365 = None);
    let (_, _, sum) = apply_with_summary(&unmarked, text);
    assert!(
        sum.notes.iter().any(|n| n.ends_with(
            "No group is marked as holding E3: mark the groups whose people hold the seats, or they count as unused."
        )),
        "{:?}",
        sum.notes
    );
}

/// A return of seats is no lot a count can be taken from: refused with its reason, the count
/// left as entered.
#[test]
fn a_return_of_seats_is_not_imported() {
    let mut start = marked_estate();
    start.organisation.m365.e3_seats = 450;
    let (p, e, _) = apply_with_summary(&start, "Product,Quantity\nMicrosoft 365 E3,-20\n");
    assert_eq!(e.organisation.m365.e3_seats, 450);
    let messages: Vec<(u32, &str)> = p
        .errors
        .iter()
        .map(|x| (x.line, x.message.as_str()))
        .collect();
    assert_eq!(
        messages,
        [(2, "quantity `-20` is a return or credit of Microsoft 365 E3 seats: not imported; enter the seats held under Microsoft 365 by hand")]
    );
}

/// Which product texts are Microsoft 365 seats: the plans in both spellings, not their add-ons,
/// a bot's licence, a step-up, Office 365 or another plan.
#[test]
fn microsoft_365_seat_lines_are_told_from_add_ons() {
    use cal_calc::estate::M365Plan;
    use cal_calc::import::licences::{read_product, ProductText};
    let cases = [
        ("Microsoft 365 E3", ProductText::M365(M365Plan::E3)),
        (
            "Microsoft 365 E5 (no Teams)",
            ProductText::M365(M365Plan::E5),
        ),
        (
            "M365E3 ShrdSvr ALNG SubsVL MVL PerUsr",
            ProductText::M365(M365Plan::E3),
        ),
        (
            "M365 E5 Unified ShrdSvr ALNG SubsVL MVL PerUsr",
            ProductText::M365(M365Plan::E5),
        ),
        (
            "Microsoft 365 Enterprise E3",
            ProductText::M365(M365Plan::E3),
        ),
        ("Microsoft 365 E5 Security", ProductText::NotCal),
        ("Microsoft 365 E5 Compliance", ProductText::NotCal),
        ("Microsoft 365 E3 - Unattended License", ProductText::NotCal),
        ("Microsoft 365 E5 Step Up from E3", ProductText::NotCal),
        ("Office 365 E3", ProductText::NotCal),
        ("Microsoft 365 F3", ProductText::NotCal),
        ("Microsoft 365 Business Premium", ProductText::NotCal),
    ];
    let wrong: Vec<(&str, ProductText)> = cases
        .iter()
        .filter(|(text, want)| read_product(text, "") != *want)
        .map(|(text, _)| (*text, read_product(text, "")))
        .collect();
    assert!(wrong.is_empty(), "{wrong:?}");
}

// ---- review 27: how a licence statement becomes owned stock ------------------------------------

/// A holding's Software Assurance as (since, until) text.
type SaText = Option<(String, Option<String>)>;

/// Each holding as (product, version, quantity, SA since and until).
fn lots(e: &Estate) -> Vec<(CalProduct, String, u32, SaText)> {
    e.holdings
        .iter()
        .zip(sa_of(e))
        .map(|(h, sa)| (h.product, h.version.clone(), h.quantity, sa))
        .collect()
}

fn sa(since: &str, until: &str) -> SaText {
    Some((since.to_string(), Some(until.to_string())))
}

/// Review 27 (1): an Enterprise Agreement renewal line, `WinSvrCAL ALNG SA MVL UsrCAL` ("SA"
/// without "Lic": Software Assurance alone), was counted as 10 more licences beside the 10 it
/// renews. It is no licence: it extends the SA of the lot it continues without a gap, as far as
/// its quantity goes (a lot larger than that is split), first in the statement, then in the
/// estate; what no lot carries (no lot, a lot without SA, a gap) is left out, and the notes name
/// the line and say "Software Assurance renewal only, not a licence".
#[test]
fn a_software_assurance_renewal_line_extends_a_lot_and_is_no_licence() {
    let ws = CalProduct::WindowsServer;
    let head = "Enrollment,Product,Version,License Type,Quantity,Software Assurance,SA Start Date,SA End Date\n";
    let (p, e, sum) = apply_with_summary(
        &Estate::default(),
        &format!(
            "{head}S1,WinSvrCAL ALNG LicSAPk MVL UsrCAL,2019,User,15,Expired,2019-07-01,2022-06-30\n\
             S2,WinSvrCAL ALNG SA MVL UsrCAL,2022,User,10,Yes,2022-07-01,2025-06-30\n"
        ),
    );
    assert_eq!(
        lots(&e),
        [
            (ws, "2019".into(), 5, sa("2019-07-01", "2022-06-30")),
            (ws, "2019".into(), 10, sa("2019-07-01", "2025-06-30"))
        ]
    );
    assert_eq!(notes_with(&p, "renewal only, not a licence").len(), 1);
    assert!(
        sum.notes.iter().any(|n| n.contains("Line 3")
            && n.contains("Software Assurance renewal only, not a licence")
            && n.contains("extends the SA of 10")),
        "{:?}",
        sum.notes
    );
    // Alone, with nothing it can renew (a lot with no SA, or one whose SA ended before a gap),
    // it is left out.
    for held in [
        serde_json::json!([]),
        serde_json::json!([{ "product": "windows-server", "kind": "user-cal", "version": "2016", "quantity": 10 }]),
        serde_json::json!([{ "product": "windows-server", "kind": "user-cal", "version": "2016", "quantity": 10,
                              "software_assurance": { "since": "2016-07-01", "until": "2019-06-30" } }]),
    ] {
        let before = estate(serde_json::json!({ "format_version": 1, "holdings": held }));
        let (_, e, sum) = apply_with_summary(
            &before,
            &format!(
                "{head}S2,WinSvrCAL ALNG SA MVL UsrCAL,2022,User,10,Yes,2022-07-01,2025-06-30\n"
            ),
        );
        assert_eq!(e.holdings, before.holdings);
        assert!(
            sum.notes
                .iter()
                .any(|n| n.contains("Line 2") && n.contains("10 of them are left out")),
            "{:?}",
            sum.notes
        );
    }
    // A lot of the estate whose SA it continues carries it; applying again changes nothing.
    let before = estate(serde_json::json!({ "format_version": 1, "holdings": [
        { "product": "windows-server", "kind": "user-cal", "version": "2019", "quantity": 10,
          "software_assurance": { "since": "2019-07-01", "until": "2022-06-30" } } ] }));
    let text =
        format!("{head}S2,WinSvrCAL ALNG SA MVL UsrCAL,2022,User,10,Yes,2022-07-01,2025-06-30\n");
    let (_, once, _) = apply_with_summary(&before, &text);
    assert_eq!(
        lots(&once),
        [(ws, "2019".into(), 10, sa("2019-07-01", "2025-06-30"))]
    );
    let (_, twice, _) = apply_with_summary(&once, &text);
    assert_eq!(twice.holdings, once.holdings);
}

/// Review 27 (2): an SA column saying "No" beside SA dates dropped the dates, so a Core CAL
/// Suite whose SA ran 2015–2018 was a suite without SA, which counts as current (Windows Server
/// 2025): suites are sold only with SA, so "No" with dates is SA that has ended, its rights
/// frozen at its end date, as "Expired" is read, and a note names the line. A suite marked "No"
/// with no SA dates is refused, as an ended suite without dates is.
#[test]
fn sa_marked_no_with_dates_is_sa_that_has_ended() {
    let head = "Agreement,Product,Version,License Type,Quantity,Software Assurance,SA Start Date,SA End Date\n";
    let (p, e) = apply_statement(
        &Estate::default(),
        &format!(
            "{head}E1,CoreCAL ALNG LicSAPk MVL UsrCAL,,User,10,No,2015-07-01,2018-06-30\n\
             E1,WinSvrCAL 2016 SNGL LicSAPk MVL UsrCAL,2016,User,10,No,2016-07-01,2019-06-30\n\
             E1,WinSvrCAL 2022 SNGL OLP NL UsrCAL,2022,User,3,No,,\n\
             E1,CoreCAL ALNG LicSAPk MVL DvcCAL,,Device,4,No,,\n"
        ),
    );
    assert_eq!(
        lots(&e),
        [
            (
                CalProduct::CoreCalSuite,
                String::new(),
                10,
                sa("2015-07-01", "2018-06-30")
            ),
            (
                CalProduct::WindowsServer,
                "2016".into(),
                10,
                sa("2016-07-01", "2019-06-30")
            ),
            (CalProduct::WindowsServer, "2022".into(), 3, None)
        ]
    );
    let named = notes_with(&p, "marked \"No\"");
    assert!(
        named.len() == 1 && named[0].contains("lines 2 and 3") && named[0].contains("ended"),
        "{:?}",
        p.notes
    );
    let refused: Vec<(u32, bool)> = p
        .errors
        .iter()
        .map(|e| (e.line, e.message.contains("sold only with SA")))
        .collect();
    assert_eq!(refused, [(5, true)], "{:?}", p.errors);
    // The suite's rights freeze at 2018-06-30: WS 2019 and 2022 servers need new CALs.
    let staff = estate(serde_json::json!({
        "format_version": 1, "name": "10 staff on WS2022",
        "groups": [ { "id": "staff", "count": 10, "devices_each": 1 } ],
        "servers": [ { "id": "fs1", "product": "windows-server", "version": "2022" } ],
        "access": [ { "groups": ["staff"], "servers": ["fs1"] } ] }));
    let (_, e) = apply_statement(
        &staff,
        &format!("{head}E1,CoreCAL ALNG LicSAPk MVL UsrCAL,,User,10,No,2015-07-01,2018-06-30\n"),
    );
    let r = cal_calc::evaluate(&e, as_of()).unwrap_or_else(|e| panic!("{e}"));
    let short: u64 = r.position.iter().map(|p| p.shortfall).sum();
    assert_eq!(short, 10);
}

/// Review 27 (3): an Open License statement's "Agreement Start Date" and "Agreement End Date"
/// (the agreement's two-year term) were read as SA dates, so `WinSvrCAL 2019 SNGL OLP NL
/// UsrCAL` ("NL": no SA) got SA over the term. Only columns that name Software Assurance (or
/// coverage) are SA dates; a plain "Start Date" or "End Date" is one only beside an SA column,
/// and the notes name the date columns not read as SA.
#[test]
fn agreement_dates_are_not_software_assurance() {
    let (p, e) = apply_statement(
        &Estate::default(),
        "Licensing Program,Agreement Number,Agreement Start Date,Agreement End Date,Product,Version,Quantity\n\
         Open License,V1234567,2020-03-01,2022-02-28,WinSvrCAL 2019 SNGL OLP NL UsrCAL,2019,10\n",
    );
    assert_eq!(sa_of(&e), [None]);
    let named = notes_with(&p, "do not name Software Assurance");
    assert!(
        named.len() == 1
            && named[0].contains("\"Agreement Start Date\" and \"Agreement End Date\""),
        "{:?}",
        p.notes
    );
    let (p, e) = apply_statement(
        &Estate::default(),
        "Product,Version,Quantity,Start Date,End Date\n\
         WinSvrCAL 2019 SNGL OLP NL UsrCAL,2019,10,2020-03-01,2022-02-28\n",
    );
    assert_eq!(sa_of(&e), [None]);
    assert_eq!(notes_with(&p, "\"Start Date\" and \"End Date\"").len(), 1);
    // Beside an SA column, a plain start and end date are the SA's.
    let (p, e) = apply_statement(
        &Estate::default(),
        "Product,Version,Quantity,Software Assurance,Start Date,End Date\n\
         WinSvrCAL 2019 SNGL LicSAPk MVL UsrCAL,2019,10,Expired,2019-07-01,2022-06-30\n",
    );
    assert_eq!(sa_of(&e), [sa("2019-07-01", "2022-06-30")]);
    assert!(notes_with(&p, "do not name Software Assurance").is_empty());
}

/// Review 27 (4): with the date order chosen month-first, an SA end date of `30/06/2019` is no
/// date, and "Yes" with it gave SA with no end: open-ended SA that counted a 2016 CAL as every
/// later version. An SA end that cannot be read is not known: the reading that grants least is
/// taken, as for an ended SA without an end date (ended on its start date), and a note names
/// the lines and the order.
#[test]
fn an_sa_end_date_unreadable_in_the_date_order_grants_no_open_sa() {
    let text = "Agreement,Product,Version,License Type,Quantity,Software Assurance,SA Start Date,SA End Date\n\
        E1,WinSvrCAL 2016 SNGL LicSAPk MVL UsrCAL,2016,User,10,Yes,01/07/2016,30/06/2019\n\
        E1,CoreCAL ALNG LicSAPk MVL UsrCAL,,User,10,Yes,,30/06/2019\n";
    let mut set = ImportSet::default();
    set.add(parse(text.as_bytes()));
    let mut e = Estate::default();
    let mut classify = ClassifyOptions::new(as_of());
    classify.date_order = Some(cal_calc::import::DateOrder::MonthFirst);
    let sum = apply_to(&mut e, &set, &ApplyOptions { classify });
    assert_eq!(e.validate(), Ok(()));
    // The suite, with no SA start, is left out: without SA it would count as current.
    assert_eq!(sa_of(&e), [sa("2016-01-07", "2016-01-07")]);
    assert!(
        sum.notes.iter().any(|n| n.contains("lines 2 and 3")
            && n.contains("30/6/2019")
            && n.contains("month-first")
            && n.contains("CAL Suite on line 3")
            && n.contains("not imported")),
        "{:?}",
        sum.notes
    );
    // Read day-first, as the file says, the dates stand.
    let (_, e) = apply_statement(&Estate::default(), text);
    assert_eq!(
        sa_of(&e),
        [
            sa("2016-07-01", "2019-06-30"),
            sa("2019-06-30", "2019-06-30")
        ]
    );
}

/// Review 27 (5): two External Connectors the estate had assigned by hand to two hosts
/// (`extranet`, `extranet2`) became, on importing the statement that lists them, one lot of 2
/// on the first host: the second host's partners were left without a connector. The
/// statement's quantity goes to the estate's assigned lots first, each keeping its host as far
/// as the quantity covers it, and the rest is a lot with no host.
#[test]
fn a_statement_keeps_each_connectors_host() {
    let e = estate(serde_json::json!({
        "format_version": 1,
        "servers": [ { "id": "extranet", "product": "windows-server", "version": "2022" },
                     { "id": "extranet2", "product": "windows-server", "version": "2022" } ],
        "holdings": [
            { "product": "windows-server", "kind": "external-connector", "version": "2022",
              "quantity": 1, "assigned_to": "extranet" },
            { "product": "windows-server", "kind": "external-connector", "version": "2022",
              "quantity": 1, "assigned_to": "extranet2" } ] }));
    let hosts = |e: &Estate| -> Vec<(u32, Option<String>)> {
        e.holdings
            .iter()
            .map(|h| (h.quantity, h.assigned_to.clone()))
            .collect()
    };
    let head = "Agreement,Product,Version,Quantity,Software Assurance\n";
    for rows in [
        "V1,WinSvrExtConn 2022 SNGL OLP NL,2022,1,No\nV2,WinSvrExtConn 2022 SNGL OLP NL,2022,1,No\n",
        "V1,WinSvrExtConn 2022 SNGL OLP NL,2022,2,No\n",
    ] {
        let (_, after, sum) = apply_with_summary(&e, &format!("{head}{rows}"));
        assert_eq!(
            hosts(&after),
            [(1, Some("extranet".into())), (1, Some("extranet2".into()))],
            "{rows}"
        );
        assert_eq!((sum.holdings_updated, sum.holdings_removed), (2, 0));
    }
    // Three: the third has no host; one: the first host keeps it.
    let (_, after, _) = apply_with_summary(
        &e,
        &format!("{head}V1,WinSvrExtConn 2022 SNGL OLP NL,2022,3,No\n"),
    );
    assert_eq!(
        hosts(&after),
        [
            (1, Some("extranet".into())),
            (1, Some("extranet2".into())),
            (1, None)
        ]
    );
    let (_, after, _) = apply_with_summary(
        &e,
        &format!("{head}V1,WinSvrExtConn 2022 SNGL OLP NL,2022,1,No\n"),
    );
    assert_eq!(hosts(&after), [(1, Some("extranet".into()))]);
}

/// Review 27 (6): the same statement downloaded again (or saved again by a spreadsheet, with
/// CRLF line endings and other quotes) has other bytes, so it was not refused as the same file,
/// and every quantity doubled. A statement whose rows (fields trimmed) all repeat those of one
/// read before is not added, and its notes say which; one with a row of its own is added.
#[test]
fn a_statement_saved_again_with_other_bytes_counts_once() {
    let held = |s: &cal_calc::import::session::Session| -> Vec<(CalProduct, u32)> {
        let e = s
            .apply(Estate::default(), &ClassifyOptions::new(as_of()))
            .estate;
        assert_eq!(e.validate(), Ok(()));
        e.holdings.iter().map(|h| (h.product, h.quantity)).collect()
    };
    let crlf = PURCHASES.replace('\n', "\r\n");
    let requoted: String = PURCHASES
        .lines()
        .map(|l| {
            let cells: Vec<String> = l.split(',').map(|c| format!("\"{c}\"")).collect();
            format!("{}\n", cells.join(","))
        })
        .collect();
    let part: String = PURCHASES
        .lines()
        .take(2)
        .map(|l| format!("{l}\n"))
        .collect();
    let mut s = cal_calc::import::session::Session::new();
    read_into(&mut s, "monday.csv", PURCHASES, ImportOptions::default())
        .unwrap_or_else(|e| panic!("{e}"));
    let once = held(&s);
    for (name, text) in [
        ("tuesday.csv", crlf.as_str()),
        ("excel.csv", requoted.as_str()),
        ("part.csv", part.as_str()),
    ] {
        let file = read_into(&mut s, name, text, ImportOptions::default())
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(
            file.notes
                .iter()
                .any(|n| n.starts_with(&format!("{name} repeats monday.csv, read already"))),
            "{name}: {:?}",
            file.notes
        );
        assert_eq!(held(&s), once, "{name}");
    }
    // A statement with a row of its own is not the same statement again: it is a newer
    // download of it (every row of monday.csv and one more), so it takes monday.csv's place
    // (review of the import panel: added up, monday.csv's rows counted twice).
    let more = format!("{PURCHASES}Windows Server 2022 Device CAL,2022,Device,5,No\n");
    let file = read_into(&mut s, "wednesday.csv", &more, ImportOptions::default())
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        file.notes.iter().any(|n| n.starts_with(
            "wednesday.csv repeats 3 of its 4 rows from monday.csv (3 rows), read before"
        )),
        "{:?}",
        file.notes
    );
    let total = |h: &[(CalProduct, u32)]| h.iter().map(|x| x.1).sum::<u32>();
    assert_eq!(total(&held(&s)), total(&once) + 5);
}

/// Review 27 (7): a statement with no SA column, imported again over a holding whose SA was
/// entered by hand, wiped the SA: the statement says nothing of SA, which is not saying there is
/// none. The estate's lot keeps its SA (as far as the statement's quantity covers it) and the
/// summary says so; a statement that says "No" still replaces it.
#[test]
fn a_statement_silent_on_sa_keeps_the_sa_entered_by_hand() {
    let hand = estate(serde_json::json!({ "format_version": 1, "holdings": [
        { "product": "windows-server", "kind": "user-cal", "version": "2019", "quantity": 10,
          "software_assurance": { "since": "2019-07-01", "until": "2022-06-30" } } ] }));
    let ws = CalProduct::WindowsServer;
    let (_, e, sum) = apply_with_summary(
        &hand,
        "Product,Version,License Type,Quantity\nWindows Server CAL 2019 User CAL,2019,User,10\n",
    );
    assert_eq!(
        lots(&e),
        [(ws, "2019".into(), 10, sa("2019-07-01", "2022-06-30"))]
    );
    assert!(
        sum.notes
            .iter()
            .any(|n| n.contains("says nothing of Software Assurance") && n.contains("kept")),
        "{:?}",
        sum.notes
    );
    // More than the lot: the rest is a lot without SA.
    let (_, e, _) = apply_with_summary(
        &hand,
        "Product,Version,License Type,Quantity\nWindows Server CAL 2019 User CAL,2019,User,12\n",
    );
    assert_eq!(
        lots(&e),
        [
            (ws, "2019".into(), 10, sa("2019-07-01", "2022-06-30")),
            (ws, "2019".into(), 2, None)
        ]
    );
    // "No" is said: the SA goes.
    let (_, e, _) = apply_with_summary(
        &hand,
        "Product,Version,License Type,Quantity,Software Assurance\nWindows Server CAL 2019 User CAL,2019,User,10,No\n",
    );
    assert_eq!(lots(&e), [(ws, "2019".into(), 10, None)]);
}

/// Review 27 (8): a reseller's line "Windows Server CAL 2022 English 1pk DSP OEI 5 Clt User CAL"
/// with quantity 2 is two packs of five CALs, but it counted 2 CALs. The "N Clt" pack size in
/// the product text multiplies the quantity, and a note names the lines and the size.
#[test]
fn a_pack_of_several_clients_counts_each_client() {
    let (p, e) = apply_statement(
        &Estate::default(),
        "Item Name,Part Number,Qty\n\
         Windows Server CAL 2022 English 1pk DSP OEI 5 Clt User CAL,R18-06448,2\n\
         Windows Server CAL 2022 English 1pk DSP OEI 5 Clt Device CAL,R18-06412,4\n\
         Windows Server CAL 2022 English 1pk DSP OEI 1 Clt User CAL,R18-06466,3\n\
         Windows Remote Desktop Services CAL 2022 English 1pk DSP OEI 5 Clt User CAL,6VC-04265,1\n",
    );
    let held: Vec<(CalProduct, LicenceKind, u32)> = e
        .holdings
        .iter()
        .map(|h| (h.product, h.kind, h.quantity))
        .collect();
    assert_eq!(
        held,
        [
            (CalProduct::WindowsServer, LicenceKind::UserCal, 13),
            (CalProduct::WindowsServer, LicenceKind::DeviceCal, 20),
            (CalProduct::Rds, LicenceKind::UserCal, 5)
        ]
    );
    let named = notes_with(&p, "pack of 5 clients");
    assert!(
        named.len() == 1
            && named[0].contains("lines 2, 3 and 5")
            && named[0].contains("multiplied by 5"),
        "{:?}",
        p.notes
    );
}

/// Import review (10): OEM and retail pack texts ("5-pack of … User CALs", "Client Access
/// License (5 User)", "- 5 Device CALs", "10 User pack") counted one CAL per pack. Their pack
/// size multiplies the quantity as "5 Clt" does, with the note; a version ("2022 User CAL") or
/// a release ("2012 R2 User CAL") is no pack.
#[test]
fn oem_and_retail_pack_texts_count_each_client() {
    let (p, e) = apply_statement(
        &Estate::default(),
        "Item,Product Description,Quantity,License Type,Version\n\
         1,\"5-pack of Windows Server 2022/2019 User CALs (STD or DC)\",2,User,2022\n\
         2,\"Windows Server 2022 Client Access License (5 User)\",1,User,2022\n\
         3,\"Microsoft Windows Server 2022 - 5 Device CALs\",3,Device,2022\n\
         4,\"1pk DSP OEI 5 Clt User CAL Windows Server CAL 2022\",1,User,2022\n\
         5,\"Windows Server 2022 Remote Desktop Services CAL - 10 User pack\",1,User,2022\n\
         6,\"Windows Server 2022 User CAL\",7,User,2022\n\
         7,\"Windows Server 2012 R2 Device CAL\",4,Device,2012\n",
    );
    let held: Vec<(CalProduct, LicenceKind, String, u32)> = e
        .holdings
        .iter()
        .map(|h| (h.product, h.kind, h.version.clone(), h.quantity))
        .collect();
    assert_eq!(
        held,
        [
            (
                CalProduct::WindowsServer,
                LicenceKind::UserCal,
                "2022".into(),
                27
            ),
            (
                CalProduct::WindowsServer,
                LicenceKind::DeviceCal,
                "2022".into(),
                15
            ),
            (CalProduct::Rds, LicenceKind::UserCal, "2022".into(), 10),
            (
                CalProduct::WindowsServer,
                LicenceKind::DeviceCal,
                "2012".into(),
                4
            ),
        ]
    );
    for needle in [
        "line 2 names a pack of 5 clients (\"5 pack\")",
        "line 3 names a pack of 5 clients (\"5 User\")",
        "line 4 names a pack of 5 clients (\"5 Device\")",
        "line 5 names a pack of 5 clients (\"5 Clt\")",
        "line 6 names a pack of 10 clients (\"10 User\")",
    ] {
        assert_eq!(notes_with(&p, needle).len(), 1, "{needle}: {:?}", p.notes);
    }
}

// ---- review of the import panel: a corrected statement read after the one it corrects ----------

const AGREEMENT: &str = "Agreement Number,Product Description,License Version,Quantity,Software Assurance,SA End Date\n\
    V1234567,WinSvrCAL 2022 SNGL OLP NL UsrCAL,2022,250,Yes,2027-06-30\n\
    V1234567,WinSvrCAL 2022 SNGL OLP NL DvcCAL,2022,40,No,\n\
    V1234567,WinRmtDsktpSrvcsCAL 2022 SNGL OLP NL UsrCAL,2022,25,Yes,2027-06-30\n\
    V7654321,SQLCAL 2019 SNGL OLP NL UsrCAL,2019,20,No,\n";

/// Review of the import panel: a corrected licence statement (one quantity changed) read after
/// the one it corrects added up with it, 250 + 260 Windows Server User CALs = 510, with no word.
/// A statement most of whose rows are rows of one read before takes that one's place, its notes
/// say so naming both files and the count, and forgetting it brings the earlier one back; a
/// statement of other licences still adds up.
#[test]
fn a_corrected_statement_takes_the_place_of_the_one_it_corrects() {
    let user_cals = |s: &mut cal_calc::import::session::Session| -> u32 {
        s.overview(&ClassifyOptions::new(as_of()))
            .holdings
            .iter()
            .filter(|h| h.product == CalProduct::WindowsServer && h.kind == LicenceKind::UserCal)
            .map(|h| h.quantity)
            .sum()
    };
    let corrected = AGREEMENT.replace(",250,", ",260,");
    let mut s = cal_calc::import::session::Session::new();
    read_into(
        &mut s,
        "licence-statement.csv",
        AGREEMENT,
        ImportOptions::default(),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(user_cals(&mut s), 250);
    let file = read_into(
        &mut s,
        "licence-statement.csv",
        &corrected,
        ImportOptions::default(),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(user_cals(&mut s), 260);
    assert_eq!(file.replaces.as_deref(), Some("licence-statement.csv"));
    assert!(
        file.notes.iter().any(|n| n.starts_with(
            "licence-statement.csv (2) repeats 3 of its 4 rows from licence-statement.csv (4 rows), read before: it is taken as a corrected or newer download of that statement and takes its place"
        )),
        "{:?}",
        file.notes
    );
    // Forgotten (its Cancel came late), the statement it took the place of counts again.
    assert!(s.forget("licence-statement.csv (2)"));
    assert_eq!(user_cals(&mut s), 250);
    // A statement of other licences (another agreement's rows) adds up.
    let other = AGREEMENT.replace("V1234567", "V5555555");
    read_into(&mut s, "other.csv", &other, ImportOptions::default())
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(user_cals(&mut s), 500);
}

/// A statement downloaded again after more was bought holds every row of the earlier one and
/// more: it takes its place, so the earlier rows do not count twice.
#[test]
fn a_statement_downloaded_again_with_more_rows_takes_the_earlier_ones_place() {
    let mut s = cal_calc::import::session::Session::new();
    read_into(&mut s, "statement.csv", AGREEMENT, ImportOptions::default())
        .unwrap_or_else(|e| panic!("{e}"));
    let more = format!(
        "{AGREEMENT}V1234567,WinSvrCAL 2022 SNGL OLP NL UsrCAL,2022,100,Yes,2027-06-30\n\
         V1234567,ExchgSvrStdCAL 2019 SNGL OLP NL UsrCAL,2019,80,No,\n\
         V1234567,ExchgSvrStdCAL 2019 SNGL OLP NL DvcCAL,2019,10,No,\n\
         V1234567,SQLCAL 2019 SNGL OLP NL DvcCAL,2019,5,No,\n\
         V1234567,SQLCAL 2022 SNGL OLP NL DvcCAL,2022,5,No,\n"
    );
    read_into(
        &mut s,
        "statement-december.csv",
        &more,
        ImportOptions::default(),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let user_cals: u32 = s
        .overview(&ClassifyOptions::new(as_of()))
        .holdings
        .iter()
        .filter(|h| h.product == CalProduct::WindowsServer && h.kind == LicenceKind::UserCal)
        .map(|h| h.quantity)
        .sum();
    assert_eq!(user_cals, 350);
}
