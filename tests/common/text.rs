//! The text an article holds, and its Han characters: for the checks that
//! the page parser loses no character of a page.

#![allow(dead_code, reason = "each test crate uses a subset")]

use std::collections::HashMap;

use kanbao::model::Article;

pub fn is_han(c: char) -> bool {
    matches!(c, '\u{4e00}'..='\u{9fff}' | '\u{3400}'..='\u{4dbf}')
}

/// How often each Han character occurs in `text`.
pub fn han_counts(text: &str) -> HashMap<char, usize> {
    let mut counts = HashMap::new();
    for c in text.chars().filter(|c| is_han(*c)) {
        *counts.entry(c).or_insert(0) += 1;
    }
    counts
}

/// Everything an article holds as text.
pub fn article_text(a: &Article) -> String {
    let mut all = String::new();
    for s in [&a.section, &a.column, &a.kicker, &a.title, &a.subtitle]
        .into_iter()
        .flatten()
    {
        all.push_str(s);
    }
    if let Some(b) = &a.byline {
        all.push_str(&b.text);
    }
    for p in &a.paragraphs {
        all.push_str(p);
    }
    for p in &a.photos {
        all.push_str(&p.caption);
        if let Some(credit) = &p.credit {
            all.push_str(credit);
        }
    }
    all
}

/// A placed caption's label, `图①：` or `图3：`: layout, not caption text.
fn caption_label(line: &str) -> Option<&str> {
    let line = line.trim_start_matches([' ', '\u{3000}', '\u{a0}']);
    let rest = line.strip_prefix(['图', '圖'])?;
    let number = rest
        .trim_start_matches(|c: char| c.is_ascii_digit() || ('\u{2460}'..='\u{2473}').contains(&c));
    (number.len() < rest.len() && number.starts_with(['：', ':'])).then_some(number)
}

/// The Han characters of `page` (its layout metadata and caption labels
/// aside) that the articles lack, with how many are missing.
pub fn missing_han(page: &str, articles: &[Article]) -> Vec<(char, usize)> {
    let mut expected = HashMap::new();
    for line in page.split(['\n', '\r']) {
        if kanbao::source::page::is_layout_metadata(line) {
            continue;
        }
        let line = caption_label(line).unwrap_or(line);
        for (c, n) in han_counts(line) {
            *expected.entry(c).or_insert(0) += n;
        }
    }
    let output: String = articles.iter().map(article_text).collect();
    let got = han_counts(&output);
    let mut missing: Vec<(char, usize)> = expected
        .into_iter()
        .filter_map(|(c, n)| {
            let have = got.get(&c).copied().unwrap_or(0);
            (have < n).then_some((c, n - have))
        })
        .collect();
    missing.sort_unstable();
    missing
}
