//! Hanging punctuation and filled lines (issue 17): the last full-width cell
//! of the width is a margin only closing marks enter, and a line ends more
//! than `GAP` columns short only before a group that cannot be broken.
//!
//! `free_columns_figures` prints the figures in `benches/README.md`:
//! `cargo test --release --test hanging -- --nocapture free_columns_figures`.

use std::path::{Path, PathBuf};

use kanbao::config::TextOptions;
use kanbao::model::Article;
use kanbao::source::read_page;
use kanbao::typeset::{
    self, Context, Edge, GAP, Role, display_punctuation, hangs, is_no_end, is_no_start, str_width,
    wrap, wrap_to,
};
use rstest::rstest;

const SAMPLE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/feeds/zhumadian-daily/undated/zhumadian-daily-page.txt"
);

/// The sample and every page fixture.
fn pages() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pages");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    paths.sort();
    paths.insert(0, PathBuf::from(SAMPLE));
    paths
}

fn articles(path: &Path) -> Vec<Article> {
    read_page(path, "page")
        .unwrap_or_else(|w| panic!("{w}"))
        .articles
}

/// Each paragraph of `article` as shown (full-width punctuation) and
/// wrapped to `width` with the default indent.
fn paragraphs(article: &Article, width: usize, edge: Edge) -> Vec<(String, Vec<String>)> {
    article
        .paragraphs
        .iter()
        .map(|p| {
            let shown = display_punctuation(p).into_owned();
            let lines = wrap_to(&shown, width, 2, 1, edge);
            (shown, lines)
        })
        .collect()
}

/// The spaces of `text` that fell at each break between `lines`.
fn spaces_at_breaks(text: &str, lines: &[String]) -> Vec<usize> {
    let mut rest = text;
    let mut spaces = Vec::new();
    for (n, line) in lines.iter().enumerate() {
        let line = if n == 0 {
            line.trim_start_matches('\u{3000}')
        } else {
            line.as_str()
        };
        rest = rest.trim_start_matches('\u{3000}');
        let before = rest.len();
        rest = rest.trim_start_matches(' ');
        if n > 0 {
            spaces.push(before - rest.len());
        }
        rest = rest
            .strip_prefix(line)
            .unwrap_or_else(|| panic!("{line:?} not in {text:?}"));
    }
    spaces.push(0);
    spaces
}

/// Columns a line leaves empty before the margin; none when closing marks
/// hang in it.
fn free(line: &str, width: usize, edge: Edge) -> usize {
    let measure = match edge {
        Edge::Hanging => width - 2,
        Edge::Ragged => width,
    };
    measure.saturating_sub(str_width(line, 1))
}

/// Characters that measure a number.
fn unit(c: char) -> bool {
    kanbao::typeset::UNIT_CHARS.contains(c)
}

/// Whether the rules of 避头尾 and of whole numbers, words, `……` and `——`
/// allow a break between `a` and `b`, as a reader of the page judges it.
fn breakable(a: char, b: char, digits_around: usize, after_number: bool) -> bool {
    let ascii_word = |c: char| c.is_ascii_graphic() && !matches!(c, '(' | '[' | '{');
    // No-break spaces pad a name (`王\u{a0}\u{a0}芳`) and glue it whole.
    let glue = |c: char| matches!(c, '\u{a0}' | '\u{202f}' | '\u{2060}' | '\u{feff}');
    if is_no_start(b) || is_no_end(a) || glue(a) || glue(b) {
        return false;
    }
    if a.is_ascii_digit() && b.is_ascii_digit() {
        return digits_around >= 5;
    }
    if (a.is_ascii_digit() || unit(a) && after_number) && unit(b) {
        // A number with its unit, or its compound unit (`1880万人次`).
        return false;
    }
    if ascii_word(a) && ascii_word(b) {
        return false;
    }
    if !a.is_ascii() || !b.is_ascii() {
        return true;
    }
    a == ' ' || b == ' '
}

/// Whether the byte offset `at` of `line` falls inside a unit word after a
/// number (`10分|钟`).
fn inside_unit_word(line: &str, at: usize) -> bool {
    let head = &line[..at];
    let Some(digit) = head.rfind(|c: char| c.is_ascii_digit() || ('０'..='９').contains(&c))
    else {
        return false;
    };
    let unit_start = digit + head[digit..].chars().next().map_or(1, char::len_utf8);
    kanbao::typeset::UNIT_WORDS
        .iter()
        .any(|w| line[unit_start..].starts_with(w) && unit_start + w.len() > at)
}

/// The first group of `line`: up to the first place a break is allowed.
fn first_group(line: &str) -> &str {
    let chars: Vec<(usize, char)> = line.char_indices().collect();
    for n in 1..chars.len() {
        let (a, b) = (chars[n - 1].1, chars[n].1);
        let run = |r: &mut dyn Iterator<Item = &(usize, char)>| {
            r.take_while(|(_, c)| c.is_ascii_digit()).count()
        };
        let digits = run(&mut chars[..n].iter().rev()) + run(&mut chars[n..].iter());
        let after_number = chars[..n]
            .iter()
            .rev()
            .find(|(_, c)| !unit(*c))
            .is_some_and(|(_, c)| c.is_ascii_digit());
        if breakable(a, b, digits, after_number) && !inside_unit_word(line, chars[n].0) {
            return &line[..chars[n].0];
        }
    }
    line
}

/// Width, kinsoku and, with hanging, the filled edge of one paragraph.
/// Returns the lines left more than `GAP` short, each with the group that
/// could not follow it.
fn check(text: &str, lines: &[String], width: usize, edge: Edge, what: &str) -> Vec<String> {
    let mut named = Vec::new();
    let spaces = spaces_at_breaks(text, lines);
    for (n, line) in lines.iter().enumerate() {
        assert!(
            str_width(line, 1) <= width,
            "{what}: {line:?} is wider than {width}"
        );
        if n > 0 {
            assert!(!line.starts_with(is_no_start), "{what}: starts {line:?}");
        }
        if n + 1 < lines.len() {
            assert!(!line.ends_with(is_no_end), "{what}: ends {line:?}");
        }
        if edge == Edge::Hanging && n + 1 < lines.len() {
            let body = line.trim_end_matches(hangs);
            assert!(
                str_width(body, 1) <= width - 2,
                "{what}: {line:?} passes the margin with more than closing marks"
            );
            let gap = free(line, width, edge);
            if gap > GAP {
                // The spaces at the break would stand before the group.
                let group = first_group(&lines[n + 1]);
                let group_body = group.trim_end_matches(hangs);
                let needs = spaces[n] + str_width(group_body, 1);
                assert!(
                    needs > gap && needs > GAP,
                    "{what}: {line:?} leaves {gap} columns, yet {group:?} could follow"
                );
                named.push(format!("{what}: {line:?} / {group:?} ({gap} free)"));
            }
        }
    }
    named
}

#[test]
fn every_page_at_every_width_is_set_by_the_rules() {
    let mut named = Vec::new();
    for path in pages() {
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
        let name = name.unwrap_or_default();
        for article in articles(&path) {
            for width in 12..=120 {
                for edge in [Edge::Hanging, Edge::Ragged] {
                    for (text, lines) in paragraphs(&article, width, edge) {
                        let what = format!("{name} at {width}");
                        named.extend(check(&text, &lines, width, edge, &what));
                    }
                }
            }
        }
    }
    // The lines left short before an unbreakable group, for a reader of
    // the test output (`-- --nocapture`).
    for line in &named {
        println!("{line}");
    }
}

/// Free columns of every filled line (the last line of a paragraph ends
/// where its text does) of `articles` at `width`.
fn gaps(articles: &[Article], width: usize, edge: Edge) -> Vec<usize> {
    let mut gaps = Vec::new();
    for article in articles {
        for (_, lines) in paragraphs(article, width, edge) {
            let filled = &lines[..lines.len() - 1];
            gaps.extend(filled.iter().map(|l| free(l, width, edge)));
        }
    }
    gaps
}

fn median(mut gaps: Vec<usize>) -> usize {
    gaps.sort_unstable();
    gaps.get(gaps.len() / 2).copied().unwrap_or(0)
}

#[test]
fn free_columns_are_few() {
    // Per width over all the pages, and per page over all the widths: a
    // page of a few lines has no median of its own at one width.
    let pages: Vec<(PathBuf, Vec<Article>)> = pages()
        .into_iter()
        .map(|p| (p.clone(), articles(&p)))
        .collect();
    let mut per_page = vec![Vec::new(); pages.len()];
    for width in 12..=120 {
        let mut all = Vec::new();
        for (n, (_, articles)) in pages.iter().enumerate() {
            let g = gaps(articles, width, Edge::Hanging);
            per_page[n].extend(g.iter().copied());
            all.extend(g);
        }
        let m = median(all);
        assert!(m <= 1, "at {width}: median free columns {m}");
    }
    for ((path, _), g) in pages.iter().zip(per_page) {
        let m = median(g);
        assert!(m <= 1, "{}: median free columns {m}", path.display());
    }
}

/// Median and maximum free columns per filled line of the sample's
/// paragraphs.
fn figures(width: usize, edge: Edge) -> (usize, usize, usize) {
    let mut g = gaps(&articles(Path::new(SAMPLE)), width, edge);
    g.sort_unstable();
    let max = g.last().copied().unwrap_or(0);
    let lines = g.len();
    (median(g), max, lines)
}

#[test]
fn free_columns_figures() {
    println!("| width | hanging: median | max | ragged: median | max | lines |");
    for width in [41, 51, 60, 80] {
        let (median, max, lines) = figures(width, Edge::Hanging);
        let (ragged_median, ragged_max, _) = figures(width, Edge::Ragged);
        println!("| {width} | {median} | {max} | {ragged_median} | {ragged_max} | {lines} |");
        assert!(median <= 1 && max <= GAP, "{width}: {median} {max}");
    }
}

#[rstest]
#[case::comma_hangs("一二三四五六，七八九", 14, &["一二三四五六，", "七八九"])]
#[case::comma_hangs_odd("一二三四五六，七八九", 15, &["一二三四五六，", "七八九"])]
#[case::only_marks_enter_the_margin("一二三四五六七八九", 14, &["一二三四五六", "七八九"])]
#[case::full_stop_and_quote_hang_together("一二三四五。”六七", 15, &["一二三四五。”", "六七"])]
#[case::pair_too_wide_for_the_margin("一二三四五六。”七", 14, &["一二三四五", "六。”七"])]
#[case::opening_mark_never_hangs("一二三四五六（七）", 14, &["一二三四五六", "（七）"])]
#[case::full_stop_and_quote_hang_before_text("一二三四五六。”七八", 15, &["一二三四五六。”", "七八"])]
#[case::break_before_an_opening_quote("一二三四五“六七”", 14, &["一二三四五", "“六七”"])]
#[case::small_gap_keeps_a_number_whole("一二三四五六七八九十3月7日", 26, &["一二三四五六七八九十", "3月7日"])]
#[case::no_break_at_a_space_glued_to_a_closing_mark(
    "0年一” ……。……一",
    12,
    &["0年", "一” ……。……", "一"]
)]
#[case::ellipsis_never_hangs("一二三四五六……", 14, &["一二三四五", "六……"])]
fn hanging(#[case] text: &str, #[case] width: usize, #[case] want: &[&str]) {
    assert_eq!(wrap_to(text, width, 0, 1, Edge::Hanging), want);
}

#[rstest]
#[case::compound_date_breaks_between_its_measures(
    "一二三四五六七八九十2023年3月7日",
    28,
    &["一二三四五六七八九十2023年", "3月7日"]
)]
#[case::long_number_breaks_between_digits(
    "一二三四五六七八九1234567元",
    26,
    &["一二三四五六七八九12345", "67元"]
)]
#[case::a_year_stays_whole("一二三四五六七八九2023年", 25, &["一二三四五六七八九", "2023年"])]
#[case::money_stays_whole("一二三四五六七八九36亿元", 25, &["一二三四五六七八九", "36亿元"])]
#[case::after_a_closing_quote(
    "一二三四五六七八九“十”3月9日",
    26,
    &["一二三四五六七八九“十”", "3月9日"]
)]
#[case::latin_word_stays_whole(
    "一二三四五六七八九十ratatui",
    27,
    &["一二三四五六七八九十", "ratatui"]
)]
fn a_line_is_filled_by_breaking_a_group_where_it_may(
    #[case] text: &str,
    #[case] width: usize,
    #[case] want: &[&str],
) {
    assert_eq!(wrap_to(text, width, 0, 1, Edge::Hanging), want);
}

#[test]
fn ragged_is_todays_layout() {
    for width in [12, 41, 80] {
        let text = "会议指出，全市科技工作全面贯彻新发展理念，“十四五”规划2023年3月7日召开。";
        assert_eq!(
            wrap_to(text, width, 2, 1, Edge::Ragged),
            wrap(text, width, 2, 1)
        );
    }
}

#[test]
fn hanging_can_be_turned_off_in_layout() {
    let ragged = TextOptions {
        hanging_punctuation: false,
        ..TextOptions::default()
    };
    let article = &articles(Path::new(SAMPLE))[0];
    let body = |text: &TextOptions, width: usize| -> Vec<String> {
        typeset::layout(article, Context::default(), width, text)
            .into_iter()
            .filter(|l| l.role == Role::Body)
            .map(|l| l.text)
            .collect()
    };
    for width in [41, 51] {
        let on = body(&TextOptions::default(), width);
        let off = body(&ragged, width);
        assert_ne!(on, off, "at {width} hanging changes nothing");
        let paragraphs: Vec<String> = article
            .paragraphs
            .iter()
            .flat_map(|p| wrap(&display_punctuation(p), width, 2, 1))
            .collect();
        assert_eq!(off, paragraphs);
    }
}
