//! Compiles OpenCC's dictionaries (`data/opencc/`) into the matchers
//! `src/script/matcher.rs` loads, so that converting starts without
//! parsing anything.
//!
//! One matcher per conversion step: the union of the step's dictionaries as
//! a leftmost-longest Aho-Corasick automaton (daachorse's serialized form,
//! `OUT_DIR/<step>.daac`) whose value for each key points into a string of
//! all the replacements (`OUT_DIR/<step>.values`): replacement offset << 8 |
//! its length in bytes.
//!
//! The dictionaries are read as `ferrous-opencc` 0.4 reads them: blank lines
//! and lines starting with `#` are skipped, a line is a key, a tab and
//! space-separated candidates (any other line, or one with an empty key or
//! candidate, is skipped), a key given twice keeps its last line, and the
//! first candidate is the replacement. Where a step has several
//! dictionaries, a key in more than one keeps the first dictionary's
//! replacement, as OpenCC's dictionary groups do. The data is bundled, so
//! anything wrong with it stops the build.

use std::collections::BTreeMap;
use std::env;
use std::fs;
use std::path::{Path, PathBuf};

use daachorse::{CharwiseDoubleArrayAhoCorasickBuilder, MatchKind};

/// Each step's file name and its dictionaries, first wins.
const STEPS: &[(&str, &[&str])] = &[
    ("s2t", &["STPhrases", "STCharacters"]),
    ("t2s", &["TSPhrases", "TSCharacters"]),
    ("tw", &["TWVariants"]),
    ("hk", &["HKVariants"]),
];

fn main() {
    let data = PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR"))
        .join("data")
        .join("opencc");
    let out = PathBuf::from(env::var_os("OUT_DIR").expect("OUT_DIR"));
    println!("cargo::rerun-if-changed=build.rs");
    for (step, dictionaries) in STEPS {
        let mut union: BTreeMap<String, String> = BTreeMap::new();
        for name in *dictionaries {
            let path = data.join(format!("{name}.txt"));
            println!("cargo::rerun-if-changed={}", path.display());
            for (key, value) in read(&path) {
                union.entry(key).or_insert(value);
            }
        }
        write(&out, step, &union);
    }
}

/// The entries of one dictionary, a key given twice keeping its last line.
fn read(path: &Path) -> BTreeMap<String, String> {
    let text =
        fs::read_to_string(path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    let mut entries = BTreeMap::new();
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let parts: Vec<&str> = line.split('\t').collect();
        let [key, values] = parts[..] else {
            continue;
        };
        let values: Vec<&str> = values.split(' ').collect();
        if key.is_empty() || values.iter().any(|v| v.is_empty()) {
            continue;
        }
        entries.insert(key.to_owned(), values[0].to_owned());
    }
    assert!(!entries.is_empty(), "{} has no entries", path.display());
    entries
}

fn write(out: &Path, step: &str, union: &BTreeMap<String, String>) {
    let mut values = String::new();
    let mut patterns = Vec::with_capacity(union.len());
    for (key, value) in union {
        assert!(value.len() < 256, "replacement of {key:?} too long");
        let offset = u32::try_from(values.len()).expect("replacements fit in u32");
        assert!(offset < 1 << 24, "the {step} replacements exceed 16 MiB");
        values.push_str(value);
        patterns.push((key.as_str(), offset << 8 | value.len() as u32));
    }
    let automaton = CharwiseDoubleArrayAhoCorasickBuilder::new()
        .match_kind(MatchKind::LeftmostLongest)
        .build_with_values(patterns)
        .unwrap_or_else(|e| panic!("building the {step} matcher: {e}"));
    for (suffix, bytes) in [
        ("daac", automaton.serialize()),
        ("values", values.into_bytes()),
    ] {
        let path = out.join(format!("{step}.{suffix}"));
        fs::write(&path, bytes).unwrap_or_else(|e| panic!("writing {}: {e}", path.display()));
    }
}
