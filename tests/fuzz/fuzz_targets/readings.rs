//! The readings that only drop requirements against the defaults on any estate: the
//! `either-subject` reading of an additive CAL's base, and network equipment not counted (the
//! estate's unattended pools taken as such). Each report holds together and is never dearer
//! (`promises::either_subject_no_dearer`, `promises::network_not_counted_no_dearer`).
#![no_main]

use cal_calc::estate::Estate;
use cal_calc_fuzz::{kept, promises};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(estate) = Estate::from_json(&String::from_utf8_lossy(data)) else {
        return;
    };
    kept(promises::either_subject_no_dearer(&estate, "input"));
    kept(promises::network_not_counted_no_dearer(&estate, "input"));
});
