//! Bytes → `source::decode::decode` → `source::page::parse`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(decoded) = kanbao::source::decode::decode(data) {
        let parsed = kanbao::source::page::parse(&decoded.text, "fuzz.txt");
        // Touch the results so nothing is optimised away.
        for article in &parsed.articles {
            let _ = article.display_title();
            let _ = article.counts();
        }
    }
});
