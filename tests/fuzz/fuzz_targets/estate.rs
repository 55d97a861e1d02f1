//! An estate file: any bytes, read as the app and the CLI read an estate file, evaluated at the
//! quick effort (the one every keystroke gets).
#![no_main]

use cal_calc::Effort;
use cal_calc_fuzz::{kept, promises};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    kept(promises::estate_text_holds(&text, "estate", Effort::Quick));
    match cal_calc::share::from_file(&text) {
        Ok(estate) => kept(promises::estate_holds(&estate, "file", Effort::Quick)),
        Err(e) => assert!(
            !e.to_string().trim().is_empty(),
            "an error without a message"
        ),
    }
});
