//! Inputs the fuzzers (fuzz/, see fuzz/README.md) found to crash or hang
//! kanbao, kept in `fuzz/regressions/<target>/`, and each target's seed
//! corpus, `fuzz/corpus/<target>/`, run here through the same functions as
//! their fuzz target: none may panic (again). A target with no input at
//! all fails its test: a folder moved or emptied must not make it pass.
//!
//! `KANBAO_FUZZ_INPUTS=DIR` runs every file of `DIR/<target>/` as well
//! (e.g. `fuzz/artifacts` after a fuzzing run, before the inputs worth
//! keeping are copied into `fuzz/regressions`).

use std::path::{Path, PathBuf};

fn inputs(target: &str) -> Vec<PathBuf> {
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut roots = vec![fuzz.join("regressions"), fuzz.join("corpus")];
    if let Some(extra) = std::env::var_os("KANBAO_FUZZ_INPUTS") {
        roots.push(PathBuf::from(extra));
    }
    let mut files = Vec::new();
    for root in roots {
        if let Ok(entries) = std::fs::read_dir(root.join(target)) {
            files.extend(entries.filter_map(Result::ok).map(|e| e.path()));
        }
    }
    files.sort();
    files
}

fn each(target: &str, run: impl Fn(&[u8])) {
    let inputs = inputs(target);
    assert!(
        !inputs.is_empty(),
        "no input for the {target} target in fuzz/regressions or fuzz/corpus"
    );
    for path in inputs {
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| run(&bytes)));
        assert!(outcome.is_ok(), "{} panics again", path.display());
    }
}

#[test]
fn feeds() {
    each("feed", |data| {
        let _ = kanbao::source::feed_file::looks_like_feed(data);
        if let Ok(feed) = kanbao::source::feed_file::parse(data, None, None) {
            for item in &feed.items {
                let article = item.to_article("fuzz/item.md");
                let _ = article.counts();
                let _ = item.to_file();
            }
        }
    });
}

#[test]
fn pages() {
    each("page", |data| {
        if let Ok(decoded) = kanbao::source::decode::decode(data) {
            let _ = kanbao::source::page::parse(&decoded.text, "fuzz.txt");
        }
    });
}

#[test]
fn html() {
    each("html", |data| {
        if let Ok(text) = std::str::from_utf8(data) {
            let _ = kanbao::source::html::to_content(text, Some("https://example.com/a/"));
        }
    });
}

#[test]
fn epaper() {
    each("epaper", |data| {
        if let Ok(decoded) = kanbao::source::decode::decode(data) {
            let _ = kanbao::source::epaper::read(&decoded.text, None);
            let _ = kanbao::source::epaper::read(
                &decoded.text,
                Some("https://example.com/pc/layout/203105/06/node_01.html"),
            );
        }
    });
}

#[test]
fn configs() {
    each("config", |data| {
        if let Ok(text) = std::str::from_utf8(data) {
            let _ = kanbao::config::parse(text, Path::new("/fuzz/config.toml"), "config.toml");
        }
    });
}

#[test]
fn index_segments() {
    each("index", |data| {
        use kanbao::index::{
            PARSER_VERSION,
            segment::{Roots, Segment},
        };
        if let Ok(segment) = Segment::from_bytes(data.to_vec(), PARSER_VERSION, &Roots::default()) {
            for n in 0..segment.sources().len() {
                let _ = segment.articles(n);
            }
            let mut out = Vec::new();
            let mut bits = vec![0u64; segment.len().div_ceil(64)];
            for i in 0..segment.key_count() {
                segment.postings(i, &mut out);
                segment.postings_into(i, &mut bits);
            }
            for needle in ["新", "创新", "a"] {
                segment.titles_holding(needle.as_bytes(), &mut bits);
            }
        }
    });
}

#[test]
fn typesetting() {
    // As the fuzz target reads its input: width (u16, little-endian), an
    // options byte, then the text.
    each("typeset", |data| {
        if data.len() < 3 {
            return;
        }
        let width = usize::from(u16::from_le_bytes([data[0], data[1]])).max(1);
        let ambiguous = if data[2] & 0x20 != 0 { 2 } else { 1 };
        let indent = usize::from((data[2] & 0x0f) % 9);
        let Ok(text) = std::str::from_utf8(&data[3..]) else {
            return;
        };
        // The text as stored and as the typesetter is given it.
        for text in [text.into(), kanbao::typeset::sanitize(text)] {
            for line in kanbao::typeset::wrap(&text, width, indent, ambiguous) {
                let w = kanbao::typeset::str_width(&line, ambiguous);
                assert!(
                    w <= width.max(2),
                    "{line:?} is {w} columns at width {width}"
                );
            }
        }
    });
}

/// The index target's seeds are real segments: they must open at today's
/// parser version, or the fuzzer would spend its time on a segment it
/// rejects at the header. After a `PARSER_VERSION` bump, write them again
/// (fuzz/README.md, "Seed corpora").
#[test]
fn index_seeds_open_at_the_current_parser_version() {
    use kanbao::index::{
        PARSER_VERSION,
        segment::{Roots, Segment},
    };
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus/index");
    let mut opened = 0;
    for entry in std::fs::read_dir(&seeds).expect("fuzz/corpus/index") {
        let path = entry.expect("a seed").path();
        let bytes = std::fs::read(&path).expect("read a seed");
        if let Err(e) = Segment::from_bytes(bytes, PARSER_VERSION, &Roots::default()) {
            panic!("{} does not open: {e:?}", path.display());
        }
        opened += 1;
    }
    assert!(opened >= 2, "{opened} seeds");
}
