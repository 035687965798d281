//! kanbao's converter gives exactly the text `ferrous-opencc` 0.4 gives
//! (the converter it replaced, with the same OpenCC data), in each of
//! OpenCC's configurations kanbao runs: on the sample page, the encoding
//! fixtures (Big5, GB18030, GBK: their decoded twins in
//! `tests/fixtures/encodings/utf8/`), the script fixtures, synthetic pages,
//! every dictionary key, and generated text mixing keys with other
//! characters.

use std::fs;
use std::path::Path;
use std::sync::OnceLock;

use ferrous_opencc::OpenCC;
use ferrous_opencc::config::BuiltinConfig;
use proptest::prelude::*;

use super::matcher::{Step, run};
use super::{S2HK, S2T, S2TW, T2HK, T2S, T2TW};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// Every configuration kanbao runs, with the one `ferrous-opencc` names.
fn configurations() -> [(&'static str, &'static [Step], BuiltinConfig); 6] {
    [
        ("s2t", S2T, BuiltinConfig::S2t),
        ("t2s", T2S, BuiltinConfig::T2s),
        ("s2tw", S2TW, BuiltinConfig::S2tw),
        ("s2hk", S2HK, BuiltinConfig::S2hk),
        ("t2tw", T2TW, BuiltinConfig::T2tw),
        ("t2hk", T2HK, BuiltinConfig::T2hk),
    ]
}

fn reference(config: BuiltinConfig) -> &'static OpenCC {
    static BUILT: OnceLock<Vec<(BuiltinConfig, OpenCC)>> = OnceLock::new();
    let built = BUILT.get_or_init(|| {
        configurations()
            .into_iter()
            .map(|(name, _, config)| {
                let opencc = OpenCC::from_config(config)
                    .unwrap_or_else(|e| panic!("ferrous-opencc {name}: {e}"));
                (config, opencc)
            })
            .collect()
    });
    match built.iter().find(|(c, _)| *c == config) {
        Some((_, opencc)) => opencc,
        None => panic!("no reference converter for {config:?}"),
    }
}

/// The first line where the two differ, for a message a person can read.
fn first_difference<'a>(ours: &'a str, theirs: &'a str) -> (&'a str, &'a str) {
    ours.lines()
        .zip(theirs.lines())
        .find(|(a, b)| a != b)
        .unwrap_or((ours, theirs))
}

/// Runs `text` through every configuration both ways and compares.
fn same_in_every_configuration(what: &str, text: &str) {
    assert!(!text.is_empty(), "{what} is empty");
    for (name, steps, config) in configurations() {
        let ours = run(steps, text);
        let theirs = reference(config).convert(text);
        if ours != theirs {
            let (a, b) = first_difference(&ours, &theirs);
            panic!("{what}, {name}: kanbao gives\n{a}\nferrous-opencc gives\n{b}");
        }
    }
}

/// A file's text: UTF-8, or Big5 (the traditional script fixture).
fn read(relative: &str) -> String {
    let bytes =
        fs::read(Path::new(ROOT).join(relative)).unwrap_or_else(|e| panic!("{relative}: {e}"));
    match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => match encoding_rs::BIG5
            .decode_without_bom_handling_and_without_replacement(e.as_bytes())
        {
            Some(text) => text.into_owned(),
            None => panic!("{relative}: neither UTF-8 nor Big5"),
        },
    }
}

#[test]
fn the_sample_page() {
    let text = read("feeds/zhumadian-daily/undated/zhumadian-daily-page.txt");
    same_in_every_configuration("the sample page", &text);
}

#[test]
fn the_encoding_and_script_fixtures() {
    for fixture in [
        "tests/fixtures/encodings/utf8/big5-page.txt",
        "tests/fixtures/encodings/utf8/gb18030-page.txt",
        "tests/fixtures/encodings/utf8/gbk-crlf-page.txt",
        "tests/fixtures/scripts/daily/2024-05-01/01-要闻.txt",
        "tests/fixtures/scripts/daily/2024-05-02/01-要聞.txt",
    ] {
        let text = read(fixture);
        same_in_every_configuration(fixture, &text);
    }
}

/// About 400 KB of synthetic pages, converted whole and once traditional.
#[test]
fn synthetic_pages() {
    let options = kanbao_synth::Options {
        articles: 400,
        seed: 16,
        feeds: 3,
        ..kanbao_synth::Options::default()
    };
    let pages = kanbao_synth::pages(&options).unwrap_or_else(|e| panic!("{e}"));
    let mut text = String::new();
    for page in pages {
        text.push_str(&page.text);
        if text.len() > 400_000 {
            break;
        }
    }
    assert!(text.len() > 300_000, "only {} bytes", text.len());
    same_in_every_configuration("synthetic pages", &text);
    let traditional = run(S2T, &text);
    same_in_every_configuration("synthetic pages in traditional", &traditional);
}

/// The keys of OpenCC's dictionaries kanbao ships, file by file.
fn keys() -> &'static [String] {
    static KEYS: OnceLock<Vec<String>> = OnceLock::new();
    KEYS.get_or_init(|| {
        let mut keys = Vec::new();
        for name in [
            "STPhrases",
            "STCharacters",
            "TSPhrases",
            "TSCharacters",
            "TWVariants",
            "HKVariants",
        ] {
            for line in read(&format!("data/opencc/{name}.txt")).lines() {
                if let Some((key, _)) = line.split_once('\t')
                    && !line.starts_with('#')
                {
                    keys.push(key.to_owned());
                }
            }
        }
        keys
    })
}

/// Every key alone, and all of them run together, where each key's end
/// meets the next one's start and longer keys compete across them.
#[test]
fn every_dictionary_key() {
    let keys = keys();
    assert!(keys.len() > 50_000, "{} keys", keys.len());
    same_in_every_configuration("every key, one a line", &keys.join("\n"));
    same_in_every_configuration("every key, run together", &keys.concat());
    let reversed: Vec<&str> = keys.iter().rev().map(String::as_str).collect();
    same_in_every_configuration("every key, backwards, run together", &reversed.concat());
}

const PUNCTUATION: &str = "，。、；：？！「」『』（）《》〈〉【】—…·“”‘’ ,.;:?!()\n\t";

fn token() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => proptest::sample::select(keys()).prop_map(|k| k.to_owned()),
        4 => proptest::char::range('\u{4e00}', '\u{9fff}').prop_map(String::from),
        1 => proptest::char::range('\u{20000}', '\u{2a6df}').prop_map(String::from),
        2 => "[a-zA-Z0-9 ]{1,6}",
        2 => proptest::sample::select(PUNCTUATION.chars().collect::<Vec<_>>()).prop_map(String::from),
        1 => any::<char>().prop_map(String::from),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    #[test]
    fn generated_text(tokens in proptest::collection::vec(token(), 0..40)) {
        let text = tokens.concat();
        for (name, steps, config) in configurations() {
            let theirs = reference(config).convert(&text);
            prop_assert_eq!(run(steps, &text), theirs, "{}: {:?}", name, text);
        }
    }
}
