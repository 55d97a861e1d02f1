//! The engine's sentences give their figures back: a view in another locale finds each count
//! and amount the engine wrote and writes it in its own notation (`cal_calc::figures`).

use cal_calc::estate::{Date, Estate};
use cal_calc::figures::{figures, rewrite, Figure};
use cal_calc::position::{money, thousands};
use proptest::prelude::*;
use serde_json::Value;

const AS_OF: Date = Date {
    year: 2026,
    month: 12,
    day: 3,
};

/// Every sentence of a report (findings, whys, saving conditions), as the JSON API gives it.
fn sentences(estate_file: &str) -> Vec<String> {
    let path = format!(
        "{}/examples/estates/{estate_file}",
        env!("CARGO_MANIFEST_DIR")
    );
    let estate = Estate::from_json(&std::fs::read_to_string(&path).expect("read")).expect("parse");
    let report = cal_calc::evaluate(&estate, AS_OF).expect("evaluates");
    let json = serde_json::to_value(&report).expect("serialises");
    let mut out = Vec::new();
    fn walk(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::Object(m) => {
                for (k, v) in m {
                    match (k.as_str(), v) {
                        ("text" | "message" | "saving_condition", Value::String(s)) => {
                            out.push(s.clone())
                        }
                        _ => walk(v, out),
                    }
                }
            }
            Value::Array(a) => a.iter().for_each(|v| walk(v, out)),
            _ => {}
        }
    }
    walk(&json, &mut out);
    out
}

fn marked(text: &str) -> String {
    rewrite(text, |n| format!("<{n}>"), |m, c| format!("<{m} {c}>"))
}

#[test]
fn counts_and_amounts_are_found_with_their_values() {
    let text = "459 short × $45.00 (reference estimate) = $20,655.00; 2,500 external users, \
                EUR 1,234.50 and JPY 5,000 and -$5.00 and KWD 1.250.";
    assert_eq!(
        marked(text),
        "459 short × <4500 USD> (reference estimate) = <2065500 USD>; <2500> external users, \
         <123450 EUR> and <5000 JPY> and <-500 USD> and <1250 KWD>."
    );
}

/// Years, versions, ids, dates, percentages and lists are not figures the engine grouped.
#[test]
fn years_versions_ids_and_dates_are_left_alone() {
    for text in [
        "Windows Server 2022 User CALs",
        "SQL Server 2019, 2022 and 2025",
        "srv1,000 and host-2,500b",
        "as of 2026-12-03",
        "12.5 % of 1234 people",
        "1,23 and 1,2345 and 01,000",
        "$45 (no cents) and EUR1,000.00 and XYZ 1,000.00 and EUR 1,000.0",
        "v1.2,345",
    ] {
        assert_eq!(figures(text), Vec::new(), "{text}");
    }
}

/// Each figure found in the sample's report and every worked example's, written again by the
/// engine's own functions, gives the sentence back byte for byte; and no grouped number is left
/// unfound (what a view would leave in US notation).
#[test]
fn every_figure_the_engine_writes_is_found_and_written_back() {
    let mut files: Vec<String> =
        std::fs::read_dir(format!("{}/examples/estates", env!("CARGO_MANIFEST_DIR")))
            .expect("examples")
            .filter_map(|e| e.ok()?.file_name().into_string().ok())
            .filter(|n| n.ends_with(".json"))
            .collect();
    files.sort();
    let mut found = 0;
    for file in &files {
        for s in sentences(file) {
            found += figures(&s).len();
            assert_eq!(rewrite(&s, thousands, money), s, "{file}: {s}");
            let left = marked(&s);
            let unfound = left.as_bytes().windows(5).any(|w| {
                w[0].is_ascii_digit() && w[1] == b',' && w[2..].iter().all(u8::is_ascii_digit)
            });
            assert!(!unfound, "{file}: a grouped number was not found in {left}");
        }
    }
    assert!(
        found > 100,
        "only {found} figures in {} reports",
        files.len()
    );
}

proptest! {
    #[test]
    fn a_count_in_a_sentence_is_found(n in 1_000u64..u64::MAX, before in "[a-z ]{0,8}", after in "[ .;)]{0,3}") {
        let text = format!("{before} {} people{after}", thousands(n));
        prop_assert_eq!(
            figures(&text).into_iter().map(|f| f.figure).collect::<Vec<_>>(),
            vec![Figure::Count(n)]
        );
    }

    #[test]
    fn an_amount_in_a_sentence_is_found(
        minor in -9_000_000_000_000_000i64..9_000_000_000_000_000,
        currency in prop::sample::select(vec!["USD", "EUR", "GBP", "JPY", "KWD", "CLF", "CHF"]),
    ) {
        let text = format!("costs {} each.", money(minor, currency));
        prop_assert_eq!(
            figures(&text).into_iter().map(|f| f.figure).collect::<Vec<_>>(),
            vec![Figure::Money { minor, currency: currency.to_string() }]
        );
    }

    #[test]
    fn a_number_under_a_thousand_is_left_as_written(n in 0u64..1_000) {
        let text = format!("{n} people");
        prop_assert_eq!(figures(&text), Vec::new());
    }
}
