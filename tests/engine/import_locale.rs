//! Exports written in other locales: quantities with decimal or grouping separators, day-first
//! and year-first dates, read as their writer meant or refused with the line (the locale review
//! of session 22).

use crate::import::parse;
use cal_calc::estate::Date;
use cal_calc::import::dates::{self, RawDate};
use cal_calc::import::session::Session;
use cal_calc::import::{ClassifyOptions, Data, DateOrder, ImportOptions, Parsed};

/// The quantities read from a licence statement, in row order, and the rows refused (line,
/// message).
#[track_caller]
fn quantities(p: &Parsed) -> (Vec<u32>, Vec<(u32, String)>) {
    let Data::Licences(st) = &p.data else {
        panic!("not a licence statement: {:?}", p.kind);
    };
    (
        st.rows.iter().map(|r| r.quantity).collect(),
        p.errors
            .iter()
            .map(|e| (e.line, e.message.clone()))
            .collect(),
    )
}

/// A statement of Windows Server User CALs, one row per quantity, semicolon-separated as a
/// German spreadsheet writes it.
fn statement(quantities: &[&str]) -> String {
    let mut text = String::from("Agreement;Product;Version;License Type;Quantity\n");
    for q in quantities {
        text += &format!("V1;WinSvrCAL 2022 SNGL OLP NL UsrCAL;2022;User;\"{q}\"\n");
    }
    text
}

// ---- item 1: licence quantities with decimals ---------------------------------------------------

/// Locale review 22 (1): every `,` and `.` was dropped, so the German "30,00" was read as 3000
/// CALs and "1.200,00" as 120000; the en-US "30.00" too. A decimal part of zeros is the whole
/// number.
#[test]
fn a_quantity_with_a_decimal_part_of_zeros_is_the_whole_number() {
    let p =
        parse(statement(&["30,00", "1.200,00", "30.00", "1,200.00", "7,0", "1 200,00"]).as_bytes());
    assert_eq!(quantities(&p), (vec![30, 1200, 30, 1200, 7, 1200], vec![]));
}

/// "1,5" was read as 15 CALs: a fraction of a licence is refused, with its line.
#[test]
fn a_fractional_quantity_is_refused_with_its_line() {
    let p = parse(statement(&["20", "1,5", "2.50", "1.200,5"]).as_bytes());
    let (read, refused) = quantities(&p);
    assert_eq!(read, vec![20]);
    assert_eq!(
        refused.iter().map(|(l, _)| *l).collect::<Vec<_>>(),
        vec![3, 4, 5]
    );
    assert!(
        refused
            .iter()
            .all(|(_, m)| m.contains("not a whole number")),
        "{refused:?}"
    );
    assert!(refused[0].1.contains("`1,5`"), "{refused:?}");
}

/// "1.200" and "1,200" have no decimal part: a licence quantity is whole, so the separator
/// groups thousands either way, as before; longer groupings are read too.
#[test]
fn a_separator_before_three_digits_groups_thousands() {
    let p = parse(statement(&["1.200", "1,200", "1.200.000", "1,00,000", "1'200"]).as_bytes());
    assert_eq!(
        quantities(&p),
        (vec![1200, 1200, 1_200_000, 100_000, 1200], vec![])
    );
}

/// Separators that do not group thousands ("1,2,3", "1.23.45") are refused, not read as the
/// digits they separate.
#[test]
fn separators_that_do_not_group_thousands_are_refused() {
    // "0,000" and "0.000" are zero in any reading, and read so (a return of none).
    let p = parse(statement(&["0,000", "0.000"]).as_bytes());
    assert_eq!(quantities(&p), (vec![0, 0], vec![]));
    // "0,500" and "0.500" (review 22) were read as 500: a leading zero groups nothing.
    let p =
        parse(statement(&["1,2,3", "1.23.45", "1.2345", "0,500", "0.500", "01,000"]).as_bytes());
    let (read, refused) = quantities(&p);
    assert_eq!(read, Vec::<u32>::new());
    assert_eq!(
        refused.iter().map(|(l, _)| *l).collect::<Vec<_>>(),
        vec![2, 3, 4, 5, 6, 7],
        "{refused:?}"
    );
}

// ---- item 3: year-first dates with one-digit month or day -----------------------------------------

/// A device export as of the count with these last check-ins, one laptop per value.
fn devices(dates: &[&str]) -> String {
    let mut text =
        String::from("Device name,Primary user UPN,OS,OS version,Last check-in,Category\n");
    for (i, d) in dates.iter().enumerate() {
        text += &format!("LAPTOP-{i:02},user{i}@corp.example,Windows,10.0.22631,{d},Laptop\n");
    }
    text
}

fn date(y: u16, m: u8, d: u8) -> Date {
    Date::new(y, m, d).unwrap_or(Date {
        year: 1,
        month: 1,
        day: 1,
    })
}

/// The date of the count of the locale review.
fn count_date() -> Date {
    date(2026, 12, 3)
}

/// Locale review 22 (3): PowerShell in zh-CN writes "2026/11/5 10:00:00", which was refused as
/// no date (the year-first branch wanted two-digit month and day, the other a day or month
/// first): half of a Chinese device export was not read. After a four-digit year the month
/// comes first.
#[test]
fn year_first_dates_with_one_digit_month_or_day_are_read() {
    for (text, want) in [
        ("2026/11/5 10:00:00", date(2026, 11, 5)),
        ("2026/12/1 9:15:00", date(2026, 12, 1)),
        ("2026/11/20", date(2026, 11, 20)),
        ("2026-1-5", date(2026, 1, 5)),
        ("2026. 12. 01.", date(2026, 12, 1)),
        ("2026. 12. 1. 9:15:00", date(2026, 12, 1)),
        ("2026.12.01", date(2026, 12, 1)),
        ("2024-03-05T10:00:00Z", date(2024, 3, 5)),
        // Review 22: ISO with a zone offset after the day was read before the lenient forms,
        // and must still be.
        ("2026-11-05-05:00", date(2026, 11, 5)),
        ("2026-11-05+01:00", date(2026, 11, 5)),
    ] {
        assert_eq!(dates::parse(text), RawDate::Exact(want), "{text}");
    }
    for text in ["2026/13/1", "2026/11/5/3", "2026/111/5", "2026/11/"] {
        assert_eq!(dates::parse(text), RawDate::Invalid, "{text}");
    }
}

/// The review's zh-CN export, in small: every row is read and no laptop falls out.
#[test]
fn a_chinese_device_export_is_read_whole() {
    let p = parse(
        devices(&[
            "2026/11/20 10:00:00",
            "2026/11/5 10:00:00",
            "2026/12/1 9:15:00",
            "2026/10/28 8:00:00",
        ])
        .as_bytes(),
    );
    assert_eq!(p.errors, vec![]);
    let Data::Devices(inv) = &p.data else {
        panic!("not devices: {:?}", p.kind);
    };
    let c = inv.classify(count_date(), 90, None);
    assert_eq!(c.personal, 4);
}

// ---- item 2: day-first device exports -------------------------------------------------------------

/// A session as of `as_of` holding the device exports `files` (name, text), with each file's
/// summary notes.
fn device_session(as_of: Date, files: &[(&str, String)]) -> (Session, Vec<Vec<String>>) {
    let mut s = Session::new();
    s.set_as_of(Some(as_of));
    let mut notes = Vec::new();
    for (name, text) in files {
        s.begin(ImportOptions::default());
        s.push(text.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
        let summary = s.finish(name).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(summary.errors, vec![], "{name}");
        notes.push(summary.notes);
    }
    (s, notes)
}

/// Client devices with a primary user, under `order` (`None`: decided by the files).
fn personal(s: &mut Session, as_of: Date, order: Option<DateOrder>) -> u32 {
    let o = ClassifyOptions {
        date_order: order,
        ..ClassifyOptions::new(as_of)
    };
    s.overview(&o).devices.map_or(0, |d| d.personal)
}

/// The notes on the day-month order among `notes`.
fn order_notes(notes: &[String]) -> Vec<&String> {
    notes
        .iter()
        .filter(|n| n.contains("do not say whether 3/4 is 3 April or 4 March"))
        .collect()
}

/// Locale review 22 (2): a UK device export ("01/12/2026", "02/11/2026") was read month first
/// with no word, and every laptop fell out as not seen in the 90 days before 2026-12-03. Its
/// summary now says the dates do not decide, which order was read and how to change it (the
/// command line prints the summary's notes; the app shows them under the file), as the
/// accounts' notes do; read day first, every laptop counts.
#[test]
fn an_undecided_device_export_says_it_is_read_month_first() {
    let uk = devices(&["01/12/2026 10:00:00", "02/11/2026 10:00:00", "01/12/2026"]);
    let (mut s, notes) = device_session(count_date(), &[("devices-en-GB.csv", uk)]);
    let said = order_notes(&notes[0]);
    assert_eq!(said.len(), 1, "{:?}", notes[0]);
    assert!(
        said[0].contains("devices-en-GB.csv")
            && said[0].contains("read as month first (US)")
            && said[0].contains("--date-order day-first"),
        "{}",
        said[0]
    );
    assert_eq!(personal(&mut s, count_date(), None), 0);
    assert_eq!(personal(&mut s, count_date(), Some(DateOrder::DayFirst)), 3);
}

/// Dutch "1-12-2026" and Danish "01-12-2026" with dashes are read (as dates whose order is in
/// question), with the same note.
#[test]
fn dashed_day_first_dates_are_read_with_the_note() {
    let nl = devices(&["1-12-2026 10:00:00", "2-11-2026"]);
    let da = devices(&["01-12-2026 10:00:00", "02-11-2026"]);
    for (name, text) in [("nl-NL.csv", nl), ("da-DK.csv", da)] {
        let (mut s, notes) = device_session(count_date(), &[(name, text)]);
        assert_eq!(order_notes(&notes[0]).len(), 1, "{name}: {:?}", notes[0]);
        assert_eq!(
            personal(&mut s, count_date(), Some(DateOrder::DayFirst)),
            2,
            "{name}"
        );
    }
}

/// As for directory exports: when month first would put a last check-in after the date of the
/// count ("12/11/2026" as 11 December, after 3 December) and day first puts none there, a device
/// cannot have checked in after the export was made, so the export is read day first, with a note
/// that says why and names the device.
#[test]
fn a_check_in_after_the_count_if_month_first_makes_a_device_export_day_first() {
    let uk = devices(&["01/12/2026", "02/11/2026", "12/11/2026 08:00:00"]);
    let (mut s, notes) = device_session(count_date(), &[("uk.csv", uk)]);
    let said = order_notes(&notes[0]);
    assert_eq!(said.len(), 1, "{:?}", notes[0]);
    assert!(
        said[0].contains("1 last check-in would fall after 2026-12-03")
            && said[0].contains("LAPTOP-02 12/11/2026")
            && said[0].contains("read day first")
            && said[0].contains("--date-order month-first"),
        "{}",
        said[0]
    );
    assert_eq!(personal(&mut s, count_date(), None), 3);
    // The user's choice still wins.
    assert_eq!(
        personal(&mut s, count_date(), Some(DateOrder::MonthFirst)),
        1
    );
}

/// The note depends on the date of the count: when it changes, the device export's summary
/// comes again with the note as of the new date (as a statement's does), and the order follows.
#[test]
fn a_new_date_of_the_count_restates_a_device_exports_order_note() {
    let uk = devices(&["01/12/2026", "02/11/2026", "12/11/2026"]);
    let (mut s, _) = device_session(count_date(), &[("uk.csv", uk)]);
    let later = date(2026, 12, 20);
    let again = s.set_as_of(Some(later));
    let restated: Vec<_> = again.iter().filter(|f| f.name == "uk.csv").collect();
    assert_eq!(restated.len(), 1);
    let said = order_notes(&restated[0].notes);
    assert_eq!(said.len(), 1, "{:?}", restated[0].notes);
    assert!(said[0].contains("read as month first (US)"), "{}", said[0]);
    // Month first as of 20 December: 12 January and 11 February are not seen in the window.
    assert_eq!(personal(&mut s, later, None), 1);
}

/// A device export whose own values prove the order ("25/11/2026") has no note, and decides
/// for itself only: an export read beside it whose values do not decide gets the note.
#[test]
fn each_device_export_decides_its_own_order() {
    let proved = devices(&["25/11/2026", "01/12/2026"]);
    let undecided = devices(&["01/12/2026"]);
    let (_, notes) = device_session(
        count_date(),
        &[("proved.csv", proved), ("undecided.csv", undecided)],
    );
    assert_eq!(order_notes(&notes[0]).len(), 0, "{:?}", notes[0]);
    assert_eq!(order_notes(&notes[1]).len(), 1, "{:?}", notes[1]);
}
