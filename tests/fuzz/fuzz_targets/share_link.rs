//! A share link: any text after `#`, and any bytes packed as a link of this build would be, so
//! that the fuzzer reaches the estate behind the checksum.
#![no_main]

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use cal_calc::Effort;
use cal_calc_fuzz::{kept, promises};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let packed = miniz_oxide::deflate::compress_to_vec_zlib(data, 1);
    let links = [
        String::from_utf8_lossy(data).to_string(),
        format!("#e1.{}", URL_SAFE_NO_PAD.encode(packed)),
    ];
    for link in links {
        let _ = cal_calc::share::looks_like_link(&link);
        match cal_calc::share::decode(&link) {
            Ok(estate) => {
                assert!(estate.validate().is_ok(), "a link opened an invalid estate");
                kept(promises::estate_holds(&estate, "link", Effort::Quick));
            }
            Err(e) => assert!(
                !e.to_string().trim().is_empty(),
                "an error without a message"
            ),
        }
    }
});
