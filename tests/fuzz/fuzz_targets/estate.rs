//! An estate file: any bytes, read as the app and the CLI read an estate file.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    cal_calc_fuzz::check_estate_text(&text);
    match cal_calc::share::from_file(&text) {
        Ok(estate) => cal_calc_fuzz::check_estate(&estate),
        Err(e) => assert!(
            !e.to_string().trim().is_empty(),
            "an error without a message"
        ),
    }
});
