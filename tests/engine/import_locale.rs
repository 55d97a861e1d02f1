//! Exports written in other locales: quantities with decimal or grouping separators, day-first
//! and year-first dates, read as their writer meant or refused with the line (the locale review
//! of session 22).

use crate::import::parse;
use cal_calc::estate::Date;
use cal_calc::import::dates::{self, RawDate};
use cal_calc::import::{Data, Parsed};

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
    let p = parse(statement(&["1,2,3", "1.23.45", "1.2345"]).as_bytes());
    let (read, refused) = quantities(&p);
    assert_eq!(read, Vec::<u32>::new());
    assert_eq!(
        refused.iter().map(|(l, _)| *l).collect::<Vec<_>>(),
        vec![2, 3, 4],
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
