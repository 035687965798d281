//! `kanbao parse --width N` on the sample page at every width from 8 to
//! 120: the printed lines fit, follow the 避头尾 rules, keep every Han
//! character and indent every body paragraph by two full-width spaces.

use std::collections::HashMap;
use std::process::Command;

use kanbao::typeset::{is_no_start, str_width};
use serde_json::Value;

const SAMPLE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/feeds/zhumadian-daily/undated/zhumadian-daily-page.txt"
);

fn kanbao(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_kanbao"))
        .args(args)
        .output()
        .expect("run kanbao");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

fn han_counts(text: &str) -> HashMap<char, usize> {
    let mut counts = HashMap::new();
    for c in text
        .chars()
        .filter(|c| ('\u{4e00}'..='\u{9fff}').contains(c))
    {
        *counts.entry(c).or_insert(0) += 1;
    }
    counts
}

#[test]
fn sample_at_every_width_from_8_to_120() {
    let json: Value = serde_json::from_str(&kanbao(&["parse", "--json", SAMPLE])).expect("JSON");
    let articles = json["articles"].as_array().expect("articles");
    let paragraphs: usize = articles
        .iter()
        .map(|a| a["paragraphs"].as_array().map_or(0, Vec::len))
        .sum();
    let mut want = HashMap::new();
    for a in articles {
        let mut text = String::new();
        for key in ["kicker", "title", "subtitle", "column", "editor_code"] {
            text.push_str(a[key].as_str().unwrap_or(""));
        }
        text.push_str(a["byline"]["text"].as_str().unwrap_or(""));
        for p in a["paragraphs"].as_array().into_iter().flatten() {
            text.push_str(p.as_str().unwrap_or(""));
        }
        for p in a["photos"].as_array().into_iter().flatten() {
            text.push_str(p["caption"].as_str().unwrap_or(""));
        }
        for (c, n) in han_counts(&text) {
            *want.entry(c).or_insert(0) += n;
        }
    }

    for width in 8..=120 {
        let out = kanbao(&["parse", "--width", &width.to_string(), SAMPLE]);
        for line in out.lines() {
            assert!(str_width(line, 1) <= width, "width {width}: {line:?}");
            assert!(!line.starts_with(is_no_start), "width {width}: {line:?}");
        }
        let got = han_counts(&out);
        for (c, n) in &want {
            assert!(
                got.get(c).copied().unwrap_or(0) >= *n,
                "width {width}: {c} lost"
            );
        }
        let indented = out
            .lines()
            .filter(|l| {
                l.starts_with("\u{3000}\u{3000}") && !l.starts_with("\u{3000}\u{3000}\u{3000}")
            })
            .count();
        assert_eq!(
            indented, paragraphs,
            "width {width}: every paragraph indented once"
        );
    }
}
