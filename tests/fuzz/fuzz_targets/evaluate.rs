//! The quick evaluation (every keystroke) against the full one (once the user pauses) on any
//! estate: the same error or none; a quick report that calls itself complete is the full report;
//! each proven bound holds for the other's licensing; the full answer is never dearer.
#![no_main]

use cal_calc::estate::Estate;
use cal_calc::{evaluate_with, Effort};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(estate) = Estate::from_json(&String::from_utf8_lossy(data)) else {
        return;
    };
    let at = cal_calc_fuzz::promises::AS_OF;
    let (quick, full) = match (
        evaluate_with(&estate, at, Effort::Quick),
        evaluate_with(&estate, at, Effort::Full),
    ) {
        (Ok(q), Ok(f)) => (q, f),
        (Err(q), Err(f)) => {
            assert_eq!(q, f, "the quick and the full evaluation fail differently");
            return;
        }
        (q, f) => panic!(
            "one evaluation failed: quick {:?}, full {:?}",
            q.err(),
            f.err()
        ),
    };
    assert!(full.complete, "a full evaluation that is not complete");
    if quick.complete {
        assert!(
            quick.report == full.report,
            "a complete quick report differs from the full one"
        );
    }
    let (q, f) = (&quick.report.recommendation, &full.report.recommendation);
    // Totals leave unpriced items out, so they compare only when everything has a price.
    let priced = |r: &cal_calc::report::Report| {
        !r.recommendation.lines.iter().any(|l| l.price_missing)
            && !r.position.iter().any(|l| l.price_missing)
    };
    if priced(&quick.report) && priced(&full.report) {
        assert!(
            f.total_minor >= q.total_minor - q.gap_minor,
            "the quick bound {} is above the full licensing {}",
            q.total_minor - q.gap_minor,
            f.total_minor
        );
        assert!(
            q.total_minor >= f.total_minor - f.gap_minor,
            "the full bound {} is above the quick licensing {}",
            f.total_minor - f.gap_minor,
            q.total_minor
        );
        assert!(
            f.total_minor <= q.total_minor,
            "the full answer {} is dearer than the quick one {}",
            f.total_minor,
            q.total_minor
        );
    }
});
