//! Text → `source::html::to_content` (item HTML to paragraphs, photos, links),
//! without and with a base URL.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|html: &str| {
    let a = kanbao::source::html::to_content(html, None);
    let b = kanbao::source::html::to_content(html, Some("https://example.com/news/a/index.html"));
    let _ = (format!("{a:?}"), format!("{b:?}"));
});
