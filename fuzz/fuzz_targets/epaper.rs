//! Bytes → decoded text → `source::epaper::read` (e-paper 版面 and
//! article pages, through the `source::dom` tree), without and with the
//! page's URL; and the tree's selectors on what was built.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(decoded) = kanbao::source::decode::decode(data) else {
        return;
    };
    let text = &decoded.text;
    let a = kanbao::source::epaper::read(text, None);
    let b = kanbao::source::epaper::read(text, Some("https://example.com/pc/layout/203105/06/node_01.html"));
    let dom = kanbao::source::dom::Dom::parse(text);
    let found = dom.select("div.title li a, ul.news-list > li a[href], #ozoom p");
    let _ = (format!("{a:?}"), format!("{b:?}"), found.len());
});
