//! Line breaking to the letter of clreq (issue 20): every class of the
//! prohibition table kept off the line start (or end) it may not take, at
//! every position of a line and every width from 6 to 40; the issue's
//! examples at the widths they failed at; full-width numbers and unit words
//! kept whole; breaks beside quotation marks between Han characters taken.

use kanbao::typeset::{
    CLASSES, IDEOGRAPHIC_SPACE, UNIT_WORDS, is_no_end, is_no_start, str_width, wrap,
};
use unicode_segmentation::UnicodeSegmentation;

/// Han text the characters are put into: any break between two of its
/// characters abides by the rules.
const HAN: &str = "国家科技创新平台建设工程项目人才队伍产业集群发展";

/// The text of `lines` as one string, the first line's indent left out.
fn joined(lines: &[String], indent: usize) -> String {
    let mut text = lines.concat();
    text.drain(..indent * IDEOGRAPHIC_SPACE.len_utf8());
    text
}

/// Lines that break a rule at a break: (line number, line).
fn violations(lines: &[String]) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    for (n, pair) in lines.windows(2).enumerate() {
        let ends_badly = pair[0].chars().next_back().is_some_and(is_no_end);
        let starts_badly = pair[1].chars().next().is_some_and(is_no_start);
        if ends_badly || starts_badly {
            found.push((n, format!("{:?} / {:?}", pair[0], pair[1])));
        }
    }
    found
}

fn check(text: &str, width: usize, indent: usize, ambiguous: u8) {
    let lines = wrap(text, width, indent, ambiguous);
    for line in &lines {
        assert!(
            str_width(line, ambiguous) <= width,
            "{text:?} at {width}: {line:?} is too wide"
        );
    }
    assert_eq!(joined(&lines, indent), text, "{lines:?}");
    let bad = violations(&lines);
    assert!(
        bad.is_empty(),
        "{text:?} at width {width}, indent {indent}, ambiguous {ambiguous}: {bad:?}"
    );
}

/// Every character of every class, at every position of a run of Han text,
/// at every width from 6 to 40: where Han characters stand around it a
/// rule-abiding break always exists, so none may be broken.
#[test]
fn no_class_character_is_ever_where_its_class_forbids() {
    let han: Vec<&str> = HAN.graphemes(true).collect();
    for (class, chars) in CLASSES {
        for c in chars.chars() {
            for at in 1..han.len() {
                let text = format!("{}{c}{}", han[..at].concat(), han[at..].concat());
                for width in 6..=40 {
                    for (indent, ambiguous) in [(2, 1), (0, 2)] {
                        let lines = wrap(&text, width, indent, ambiguous);
                        let bad = violations(&lines);
                        assert!(
                            bad.is_empty(),
                            "{c:?} ({}) in {text:?} at width {width}: {bad:?}",
                            class.name()
                        );
                        assert_eq!(joined(&lines, indent), text);
                    }
                }
            }
        }
    }
}

/// A run wider than the line is split by the same table: the classes
/// only UAX #14 used to keep off a line start (or end) are kept there too.
#[test]
fn the_fallback_split_obeys_the_same_classes() {
    for (class, chars) in CLASSES {
        for c in chars.chars() {
            let letters = "abcdefghijklmnopqrstuvwxyz";
            let texts = (8..=letters.len()).flat_map(|n| {
                [
                    format!("{}{c}国家科技", &letters[..n]),
                    format!("国家科技{c}{}", &letters[..n]),
                ]
            });
            for text in &texts.collect::<Vec<_>>() {
                for width in 6..=12 {
                    let lines = wrap(text, width, 0, 1);
                    assert_eq!(joined(&lines, 0), *text);
                    for line in &lines[1..] {
                        assert!(
                            !(class.no_start() && line.starts_with(c)),
                            "{c:?} ({}) starts a line: {text:?} at {width}: {lines:?}",
                            class.name()
                        );
                    }
                    for line in &lines[..lines.len() - 1] {
                        assert!(
                            !(class.no_end() && line.ends_with(c)),
                            "{c:?} ({}) ends a line: {text:?} at {width}: {lines:?}",
                            class.name()
                        );
                    }
                }
            }
        }
    }
    // The issue's list, by name.
    for c in "〟⦆»｠｣‐〜゠–‼⁇⁈⁉･‧．｡､ヽヾゝゞ々〻ーｰぁっ°′″℃‰¢℉".chars()
    {
        for n in 8..=26 {
            let text = format!("{}{c}国家", &"abcdefghijklmnopqrstuvwxyz"[..n]);
            for width in 6..=12 {
                let lines = wrap(&text, width, 0, 1);
                assert!(
                    !lines[1..].iter().any(|l| l.starts_with(c)),
                    "{c:?} at {width}: {lines:?}"
                );
            }
        }
    }
}

/// Two of the same dash or ellipsis never part, and neither starts a line.
#[test]
fn doubled_dashes_and_ellipses_stay_together() {
    for pair in ["——", "――", "⸺⸺", "⸻⸻", "……", "‥‥"] {
        for at in 1..HAN.chars().count() {
            let (head, tail) = HAN.split_at(HAN.char_indices().nth(at).map_or(0, |(i, _)| i));
            let text = format!("{head}{pair}{tail}");
            for width in 6..=40 {
                let lines = wrap(&text, width, 2, 1);
                for line in &lines[1..] {
                    assert!(
                        !line.starts_with(pair.chars().next().unwrap_or(' ')),
                        "{text:?} at {width}: {lines:?}"
                    );
                }
                check(&text, width, 2, 1);
            }
        }
    }
}

#[test]
fn the_issues_dashes_solidus_and_connector_examples() {
    for (text, width) in [
        ("国家⸺⸺国家科技创新平台建设", 8),
        ("国家――国家科技创新平台建设", 8),
        ("国家科／国家科技创新平台建设", 10),
        ("国家科~国家科技创新平台建设", 10),
        ("国家科～国家科技创新平台建设", 10),
    ] {
        for width in [width, width + 1, width - 1] {
            check(text, width, 2, 1);
            check(text, width, 2, 2);
            let lines = wrap(text, width, 2, 1);
            for line in &lines[1..] {
                assert!(
                    !line.starts_with(['⸺', '⸻', '―', '／', '~', '～']),
                    "{text:?} at {width}: {lines:?}"
                );
            }
        }
    }
    // The solidus ends no line either (the GB level).
    let lines = wrap("国家科技／创新平台建设", 10, 0, 1);
    assert!(!lines.iter().any(|l| l.ends_with('／')), "{lines:?}");
}

/// Whether a break between the lines falls inside a number: two digits,
/// or a decimal point and the digit after it.
fn splits_a_number(lines: &[String]) -> bool {
    let digit = |c: char| c.is_ascii_digit() || ('０'..='９').contains(&c);
    lines.windows(2).any(|pair| {
        let mut before = pair[0].chars().rev();
        let last = before.next();
        let second = before.next();
        let first = pair[1].chars().next();
        match (second, last, first) {
            (_, Some(l), Some(f)) if digit(l) && digit(f) => true,
            (Some(s), Some('.' | '．'), Some(f)) => digit(s) && digit(f),
            _ => false,
        }
    })
}

#[test]
fn full_width_numbers_stay_whole() {
    let text = "国家科技２０２３年３．５％国家科技创新平台建设";
    let lines = wrap(text, 16, 2, 1);
    assert!(!splits_a_number(&lines), "{lines:?}");
    check(text, 16, 2, 1);
    for number in ["２０２３", "３．５％", "１２３４５６", "１，２００"] {
        let number_width = str_width(number, 1);
        for at in 1..HAN.chars().count() {
            let (head, tail) = HAN.split_at(HAN.char_indices().nth(at).map_or(0, |(i, _)| i));
            let text = format!("{head}{number}{tail}");
            for width in (number_width + 2).max(6)..=40 {
                let lines = wrap(&text, width, 0, 1);
                assert!(!splits_a_number(&lines), "{text:?} at {width}: {lines:?}");
                check(&text, width, 0, 1);
            }
        }
    }
}

#[test]
fn unit_words_stay_with_their_number() {
    let measures = [
        "3.5公里",
        "20小时",
        "100克",
        "10公斤",
        "90分钟",
        "5.6亿美元",
        "２０小时",
    ];
    for measure in measures {
        let measure_width = str_width(measure, 1);
        for at in 1..HAN.chars().count() {
            let (head, tail) = HAN.split_at(HAN.char_indices().nth(at).map_or(0, |(i, _)| i));
            let text = format!("{head}{measure}{tail}");
            for width in measure_width.max(6)..=40 {
                let lines = wrap(&text, width, 2, 1);
                let whole = lines.iter().any(|l| l.contains(measure));
                assert!(whole, "{measure} split in {text:?} at {width}: {lines:?}");
            }
        }
    }
    // Every unit word is kept, not only the issue's.
    for word in UNIT_WORDS {
        let text = format!("国家科技12{word}创新平台");
        for width in 8..=20 {
            let lines = wrap(&text, width, 0, 1);
            let measure = format!("12{word}");
            if str_width(&measure, 1) <= width {
                assert!(
                    lines.iter().any(|l| l.contains(&measure)),
                    "{text:?} at {width}: {lines:?}"
                );
            }
        }
    }
    // A unit is a unit only after a number: 公 in 公司 is not held.
    assert_eq!(
        wrap("科技5公司", 6, 0, 1),
        vec!["科技5", "公司"],
        "only 公里, 公斤 … are units"
    );
}

#[test]
fn a_break_beside_a_quote_between_han_is_taken() {
    // The issue's example: `国家“科技”` fits 14 columns.
    let lines = wrap("国家“科技”创新平台建设工程项目", 14, 2, 1);
    assert_eq!(lines[0], "　　国家“科技”", "{lines:?}");
    // Quoted words anywhere in the text, at every width: no line ends two
    // or more columns short where the part of the next line up to a
    // closing quote, or the Han character before an opening quote, fits.
    for quoted in ["“科技”", "‘创新’", "“高质量发展”"] {
        for at in 1..HAN.chars().count() {
            let (head, tail) = HAN.split_at(HAN.char_indices().nth(at).map_or(0, |(i, _)| i));
            let text = format!("{head}{quoted}{tail}");
            for width in 8..=40 {
                for ambiguous in [1, 2] {
                    let lines = wrap(&text, width, 2, ambiguous);
                    check(&text, width, 2, ambiguous);
                    for (n, pair) in lines.windows(2).enumerate() {
                        let free = width - str_width(&pair[0], ambiguous);
                        if free < 2 {
                            continue;
                        }
                        let next = &pair[1];
                        // Inside the quote: the rest of it, up to its
                        // closing mark, would have fitted.
                        if let Some(close) = next.find(['”', '’']) {
                            let head = &next[..close + '”'.len_utf8()];
                            let opened_before = pair[0].contains(['“', '‘'])
                                && !pair[0].contains(['”', '’'])
                                && !head.contains(['“', '‘']);
                            assert!(
                                !(opened_before && str_width(head, ambiguous) <= free),
                                "line {n} ends {free} short of {head:?} in {text:?} at {width}: {lines:?}"
                            );
                        }
                        // Before the quote: the Han character before an
                        // opening mark would have fitted.
                        let mut chars = next.chars();
                        if let (Some(h), Some('“' | '‘')) = (chars.next(), chars.next()) {
                            assert!(
                                str_width(&h.to_string(), ambiguous) > free,
                                "line {n} ends {free} short of {h:?} in {text:?} at {width}: {lines:?}"
                            );
                        }
                    }
                }
            }
        }
    }
}

/// README's table is the code's: every class with exactly its characters,
/// and the unit characters and words.
#[test]
fn readme_lists_the_classes_and_units_as_the_code_has_them() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .unwrap_or_else(|e| panic!("README.md: {e}"));
    for (class, chars) in CLASSES {
        let row = format!("| {} | `{chars}` |", class.name());
        assert!(readme.contains(&row), "README.md lacks the row {row}");
    }
    assert!(
        readme.contains(kanbao::typeset::UNIT_CHARS),
        "README.md lacks the unit characters"
    );
    let words: String = readme.split_whitespace().collect::<Vec<_>>().join(" ");
    for word in UNIT_WORDS {
        assert!(words.contains(word), "README.md lacks the unit word {word}");
    }
}
