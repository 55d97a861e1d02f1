//! What every fuzz target checks once it holds an estate: the same promises as
//! `tests/engine/robustness.rs` (a report that adds up, or a message; the estate file and the
//! share link give the estate back), as panics, so that libFuzzer keeps the input that breaks one.

use cal_calc::estate::{Date, Estate};
use cal_calc::{evaluate_with, share, Effort};

/// The count date of the fuzzing: any date the engine evaluates for would do.
pub const AS_OF: Date = Date {
    year: 2026,
    month: 6,
    day: 1,
};

/// Reads `text` as an estate file and, when it is one, checks it through every face.
pub fn check_estate_text(text: &str) {
    match Estate::from_json(text) {
        Ok(estate) => check_estate(&estate),
        Err(e) => assert!(
            !e.to_string().trim().is_empty(),
            "an error without a message"
        ),
    }
}

/// An estate that was read: evaluated at the quick effort (the one every keystroke gets), and
/// written as a file and as a link and read back.
pub fn check_estate(estate: &Estate) {
    let problems = estate.problems();
    match evaluate_with(estate, AS_OF, Effort::Quick) {
        Ok(e) => {
            assert!(problems.is_empty(), "evaluated although {problems:?}");
            check_report(&e.report);
        }
        Err(e) => assert!(
            !e.to_string().trim().is_empty(),
            "an error without a message"
        ),
    }
    match share::to_file(estate).map(|f| share::from_file(&f)) {
        Ok(Ok(back)) => assert!(back == *estate, "the estate file changed the estate"),
        Ok(Err(e)) => panic!("its own estate file is refused: {e}"),
        Err(e) => assert!(!e.to_string().trim().is_empty()),
    }
    match share::encode(estate).map(|l| share::decode(&l)) {
        Ok(Ok(back)) => assert!(
            back == share::strip_for_sharing(estate),
            "the share link changed the estate"
        ),
        Ok(Err(e)) => assert!(
            !problems.is_empty() && !e.to_string().trim().is_empty(),
            "its own share link is refused: {e}"
        ),
        Err(e) => assert!(!e.to_string().trim().is_empty()),
    }
}

/// What a report holds whatever estate it came from.
fn check_report(r: &cal_calc::report::Report) {
    let rec = &r.recommendation;
    assert!(rec.total_minor >= 0, "negative total");
    assert!(rec.gap_minor >= 0, "negative gap");
    assert_eq!(rec.exact, rec.gap_minor == 0, "exact and gap disagree");
    let lines: i64 = rec.lines.iter().map(|l| l.cost_minor).sum();
    assert_eq!(lines, rec.total_minor, "lines do not add up to the total");
    for l in rec.lines.iter().filter(|l| !l.price_missing) {
        assert_eq!(
            Some(l.cost_minor),
            i64::try_from(l.quantity)
                .ok()
                .and_then(|q| q.checked_mul(l.unit_minor)),
            "{:?} {:?} costs other than quantity × unit",
            l.product,
            l.kind
        );
    }
    let (mut used, mut covered) = (0u64, 0u64);
    for p in &r.position {
        assert_eq!(
            p.covered + p.shortfall,
            p.needed,
            "needed ≠ covered + shortfall"
        );
        assert_eq!(p.used + p.surplus, p.owned, "owned ≠ used + surplus");
        used += p.used;
        covered += p.covered;
    }
    assert_eq!(used, covered, "licences in use ≠ needs covered");
    for f in &r.findings {
        assert!(!f.message.trim().is_empty(), "a finding without a message");
    }
    assert!(
        serde_json::to_string(r).is_ok(),
        "the report does not serialise"
    );
}
