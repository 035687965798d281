//! Bytes → `source::feed_file::parse(bytes, None, None)`, then every item →
//! `Item::to_article` (and the stored-file round trip's writer).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = kanbao::source::feed_file::looks_like_feed(data);
    if let Ok(feed) = kanbao::source::feed_file::parse(data, None, None) {
        for item in &feed.items {
            let article = item.to_article("fuzz/item.md");
            let _ = article.counts();
            let _ = item.date();
            let _ = item.to_file();
        }
    }
});
