//! The `either-subject` reading of an additive CAL's base against the default on any estate: it
//! only drops requirements, so its report holds together and it is never dearer
//! (`promises::either_subject_no_dearer`).
#![no_main]

use cal_calc::estate::Estate;
use cal_calc_fuzz::{kept, promises};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(estate) = Estate::from_json(&String::from_utf8_lossy(data)) else {
        return;
    };
    kept(promises::either_subject_no_dearer(&estate, "input"));
});
