//! Bytes → `index::segment::Segment::from_bytes`; if it opens, every
//! source's articles, every doc's rank, source, text and title, id lookups,
//! every key's postings (as a list and as bits), headlines searched in one
//! pass.
#![no_main]

use kanbao::index::PARSER_VERSION;
use kanbao::index::segment::{Roots, Segment};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(segment) = Segment::from_bytes(data.to_vec(), PARSER_VERSION, &Roots::default()) else {
        return;
    };
    for n in 0..segment.sources().len() {
        if let Ok(articles) = segment.articles(n) {
            for a in &articles {
                let _ = a.counts();
            }
        }
    }
    let _ = segment.check_records();
    for doc in 0..segment.len() {
        let _ = segment.rank(doc);
        let _ = segment.source_of(doc as u32);
        let (text, title_len, _folded) = segment.text(doc);
        let _ = (text.len(), title_len);
        let _ = segment.title(doc);
        let _ = segment.text_start(doc);
    }
    for prefix in ["0", "a1b2", "ffffffffffff", "not hex"] {
        let _ = segment.ids_with_prefix(prefix);
    }
    let mut out = Vec::new();
    let mut bits = vec![0u64; segment.len().div_ceil(64)];
    for i in 0..segment.key_count() {
        let key = segment.key(i);
        let _ = segment.find_key(key);
        let _ = segment.lower_bound(key);
        out.clear();
        segment.postings(i, &mut out);
        let _ = segment.postings_into(i, &mut bits);
    }
    for needle in ["新", "创新", "a"] {
        segment.titles_holding(needle.as_bytes(), &mut bits);
    }
});
