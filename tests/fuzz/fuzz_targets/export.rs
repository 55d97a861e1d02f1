//! An export (directory, devices, usage log, RD Licensing report, licence statement): any bytes,
//! read in chunks of a size the first byte picks, classified, listed, and merged into the small
//! office example; the merged estate is then checked as any estate is.
#![no_main]

use cal_calc::estate::Estate;
use cal_calc::import::session::Session;
use cal_calc::import::ClassifyOptions;
use cal_calc::Effort;
use cal_calc_fuzz::{kept, promises};
use libfuzzer_sys::fuzz_target;

const BASE: &str = include_str!("../../../examples/estates/g1-small-office.json");

fuzz_target!(|data: &[u8]| {
    let Some((&first, bytes)) = data.split_first() else {
        return;
    };
    let mut session = Session::new();
    kept(promises::export_reads(
        &mut session,
        bytes,
        usize::from(first).max(1) * 17,
        "export.csv",
    ));
    let mut opts = ClassifyOptions::new(promises::AS_OF);
    opts.combine_directories = first & 1 == 1;
    let _ = session.overview(&opts);
    let page = session.accounts(&opts, "", None, 0, 50);
    assert!(page.rows.len() <= 50, "a page of more than 50 accounts");
    let devices = session.device_page(&opts, "", None, 0, 50);
    assert!(
        devices.rows.len() <= 50 && devices.rows.len() as u32 <= devices.matching,
        "a page of more than 50 devices, or more than match"
    );
    let base = Estate::from_json(BASE).expect("the small office example reads");
    let applied = session.apply(base, &opts);
    kept(promises::estate_holds(
        &applied.estate,
        "imported",
        Effort::Quick,
    ));
});
