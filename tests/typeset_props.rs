//! Properties of the typesetter over generated text: lines fit, nothing is
//! lost or repeated, and the 避头尾 rules hold whenever the width allows.

use kanbao::typeset::{
    Edge, IDEOGRAPHIC_SPACE, MIN_WIDTH, is_no_end, is_no_start, str_width, wrap, wrap_to,
};
use proptest::prelude::*;

const CLOSING: &str = "。，、；：？！）」』》】〕〉”’…·—～,.;:?!)]}%⸺―／〟»‼．､々ー°℃";
const OPENING: &str = "（「『《【〔〈“‘([{⦅«〝｟｢";
const EMOJI: [&str; 6] = [
    "😀",
    "👨\u{200d}👩\u{200d}👧",
    "🇨🇳",
    "❤\u{fe0f}",
    "👍🏽",
    "e\u{301}",
];
const UNITS: &str = "年月日亿元个名项";

fn token() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => proptest::char::range('\u{4e00}', '\u{9fff}').prop_map(String::from),
        2 => "[a-zA-Z]{1,9}",
        2 => ("[0-9]{1,5}", proptest::option::of(proptest::sample::select(UNITS.chars().collect::<Vec<_>>())))
            .prop_map(|(n, u)| u.map_or(n.clone(), |u| format!("{n}{u}"))),
        1 => proptest::sample::select(EMOJI.to_vec()).prop_map(str::to_owned),
        1 => proptest::char::range('\u{3041}', '\u{3096}').prop_map(String::from),
        1 => proptest::char::range('\u{ac00}', '\u{d7a3}').prop_map(String::from),
        1 => proptest::sample::select(vec!["⑤3", "……", "——", "3.5%", "https://example.com/a?b=1"]).prop_map(str::to_owned),
    ]
}

/// Text the way it is written: an optional opening mark, a word, an
/// optional closing mark, an optional space.
fn text() -> impl Strategy<Value = String> {
    let opening: Vec<char> = OPENING.chars().collect();
    let closing: Vec<char> = CLOSING.chars().collect();
    let group = (
        proptest::option::weighted(0.1, proptest::sample::select(opening)),
        token(),
        proptest::option::weighted(0.25, proptest::sample::select(closing)),
        proptest::bool::weighted(0.15),
    );
    proptest::collection::vec(group, 0..80).prop_map(|groups| {
        let mut s = String::new();
        for (open, word, close, space) in groups {
            s.extend(open);
            s.push_str(&word);
            s.extend(close);
            if space {
                s.push(' ');
            }
        }
        s
    })
}

/// A break between two graphemes breaks a rule when the next visible
/// grapheme may not start a line or the previous one may not end a line.
fn bad_break(graphemes: &[&str], k: usize) -> bool {
    let before = graphemes[..k].iter().rev().find(|g| **g != " ");
    let after = graphemes[k..].iter().find(|g| **g != " ");
    before
        .and_then(|g| g.chars().next_back())
        .is_some_and(is_no_end)
        || after
            .and_then(|g| g.chars().next())
            .is_some_and(is_no_start)
}

/// Breaks between lines that start a line with closing punctuation or end
/// one with opening punctuation although a rule-abiding break was possible:
/// the run of graphemes glued by the rules around the break fits a line.
/// The run is measured in `text`, with the spaces the break dropped.
fn kinsoku_violations(
    text: &str,
    lines: &[String],
    indent: usize,
    limit: usize,
    ambiguous: u8,
) -> Vec<String> {
    use unicode_segmentation::UnicodeSegmentation;
    let graphemes: Vec<&str> = text.graphemes(true).collect();
    // Where each line after the first starts among the text's graphemes:
    // the lines are the text less the spaces at the breaks.
    let mut breaks = Vec::new();
    let mut at = 0;
    for (n, line) in lines.iter().enumerate() {
        let line = if n == 0 {
            &line[indent * IDEOGRAPHIC_SPACE.len_utf8()..]
        } else {
            line.as_str()
        };
        let mut shown = line.graphemes(true).peekable();
        if n > 0 {
            while graphemes.get(at) == Some(&" ") && shown.peek() != Some(&" ") {
                at += 1;
            }
            breaks.push(at);
        }
        for g in shown {
            while graphemes.get(at) == Some(&" ") && g != " " {
                at += 1;
            }
            assert_eq!(
                graphemes.get(at),
                Some(&g),
                "the lines are not the text: {lines:?}"
            );
            at += 1;
        }
    }
    let mut found = Vec::new();
    for &k in &breaks {
        if k == 0 || k == graphemes.len() || !bad_break(&graphemes, k) {
            continue;
        }
        let mut start = k - 1;
        while start > 0 && bad_break(&graphemes, start) {
            start -= 1;
        }
        let mut end = k + 1;
        while end < graphemes.len() && bad_break(&graphemes, end) {
            end += 1;
        }
        let run = graphemes[start..end].concat();
        if str_width(run.trim_matches(' '), ambiguous) <= limit {
            found.push(format!("break before grapheme {k} in {run:?}: {lines:?}"));
        }
    }
    found
}

fn without_spaces(s: &str) -> String {
    s.chars().filter(|c| *c != ' ').collect()
}

/// Lines fit `width`, lose nothing and repeat nothing (the lines are the
/// text, less the indent and the spaces at the breaks), and from 6 columns
/// on keep 避头尾 wherever a run fits the width less `margin`.
fn check_lines(
    text: &str,
    lines: &[String],
    width: usize,
    indent: usize,
    ambiguous: u8,
    margin: usize,
) -> Result<(), TestCaseError> {
    let limit = width.max(MIN_WIDTH);
    for line in lines {
        prop_assert!(
            str_width(line, ambiguous) <= limit,
            "{line:?} wider than {limit}"
        );
    }
    let mut joined = lines.concat();
    let applied = lines[0]
        .chars()
        .take_while(|c| *c == IDEOGRAPHIC_SPACE)
        .count()
        .min(indent);
    joined = joined.chars().skip(applied).collect();
    prop_assert_eq!(without_spaces(&joined), without_spaces(text));
    prop_assert!(joined.matches(' ').count() <= text.matches(' ').count());
    if width >= 6 {
        prop_assert_eq!(
            kinsoku_violations(text, lines, applied, limit - margin, ambiguous),
            Vec::<String>::new()
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn lines_fit_lose_nothing_and_keep_kinsoku(
        text in text(),
        width in 1usize..=200,
        indent in 0usize..=2,
        ambiguous in 1u8..=2,
    ) {
        let lines = wrap(&text, width, indent, ambiguous);
        check_lines(&text, &lines, width, indent, ambiguous, 0)?;
    }

    #[test]
    fn hanging_lines_fit_lose_nothing_and_keep_kinsoku(
        text in text(),
        width in 1usize..=200,
        indent in 0usize..=2,
        ambiguous in 1u8..=2,
    ) {
        let lines = wrap_to(&text, width, indent, ambiguous, Edge::Hanging);
        // A run of glued graphemes is split only where it would not fit the
        // measure (the width less the hanging cell).
        check_lines(&text, &lines, width, indent, ambiguous, 2)?;
    }

    #[test]
    fn any_string_at_any_width_never_panics_hanging(text in any::<String>(), width in 0usize..=300) {
        let lines = wrap_to(&text, width, 2, 1, Edge::Hanging);
        prop_assert!(!lines.is_empty());
    }

    #[test]
    fn any_string_at_any_width_never_panics(text in any::<String>(), width in 0usize..=300) {
        let lines = wrap(&text, width, 2, 1);
        prop_assert!(!lines.is_empty());
    }
}

/// Cases random runs found, kept by name (a space at the break, a
/// solidus, small kana): no rule-abiding break is missed.
#[test]
fn found_cases_keep_kinsoku() {
    for (text, width) in [
        ("0年／ 一", 6),
        ("一, ゃ一", 7),
        ("https://example.com/a?b=1” っ一", 6),
        ("（e\u{301}／ a", 6),
        ("〝😀／ Aa", 9),
    ] {
        for ambiguous in [1, 2] {
            let ragged = wrap(text, width, 0, ambiguous);
            assert_eq!(
                kinsoku_violations(text, &ragged, 0, width, ambiguous),
                Vec::<String>::new()
            );
            let hanging = wrap_to(text, width, 0, ambiguous, Edge::Hanging);
            assert_eq!(
                kinsoku_violations(text, &hanging, 0, width - 2, ambiguous),
                Vec::<String>::new()
            );
        }
    }
}
