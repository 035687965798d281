//! Every page fixture laid out again: its paragraphs hard-wrapped anew at
//! every width from 12 to 60 characters, by four wrapping programs (one
//! that cuts anywhere, one that keeps closing marks off line starts by
//! pushing a character down, one that lets them hang, one that counts
//! display columns), with and without blank lines between paragraphs, with
//! and without `　　` indents, with LF or CRLF line ends, in UTF-8 or
//! GB18030. Each must parse to the same articles with the same text as the
//! fixture itself, and no paragraph may start with closing punctuation.
//!
//! The fixtures' own field-by-field tests are in `tests/layouts.rs`; here
//! the fixture's parse is the expectation. Head lines, bylines, captions
//! and every other line are kept as they are; only paragraphs (text and
//! notes) are wrapped again.
//!
//! One thing no layout can tell: with neither blank lines nor indents, a
//! paragraph whose last line is full runs on into the next one as far as
//! anyone can see. Such a boundary may be kept or lost; every boundary the
//! layout shows (the last line leaves room for the next paragraph's first
//! character and one more) must be kept. Likewise a page marked by neither
//! gets one blank line between its heads and its text.

use std::path::{Path, PathBuf};

use encoding_rs::GB18030;
use kanbao::model::{Article, Role};
use kanbao::source::{decode, page};
use unicode_width::UnicodeWidthStr;

const MANIFEST_DIR: &str = env!("CARGO_MANIFEST_DIR");

/// Every page fixture: its path as shown and its text.
fn fixtures() -> Vec<(String, String)> {
    let root = Path::new(MANIFEST_DIR);
    let mut files: Vec<PathBuf> = Vec::new();
    for folder in [
        "tests/fixtures/pages",
        "tests/fixtures/crawler/20231001",
        "tests/fixtures/encodings/utf8",
    ] {
        let mut here: Vec<PathBuf> = std::fs::read_dir(root.join(folder))
            .unwrap_or_else(|e| panic!("{folder}: {e}"))
            .map(|e| e.expect("a directory entry").path())
            .filter(|p| p.extension().is_some_and(|x| x == "txt"))
            .collect();
        here.sort();
        files.extend(here);
    }
    files.push(root.join("feeds/zhumadian-daily/undated/zhumadian-daily-page.txt"));
    files
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let name = path
                .strip_prefix(root)
                .unwrap_or(&path)
                .display()
                .to_string();
            (name, text)
        })
        .collect()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Wrapper {
    /// Cuts every line at exactly the width, wherever that falls.
    Cut,
    /// Pushes the last character down with a closing mark that would
    /// start a line.
    Push,
    /// Lets a closing mark hang past the width.
    Hang,
    /// Counts display columns (twice the width), pushing like `Push`.
    Columns,
}

/// How a page is laid out again.
#[derive(Debug, Clone, Copy)]
struct Layout {
    width: usize,
    wrapper: Wrapper,
    blank_lines: bool,
    indents: bool,
    crlf: bool,
    gb18030: bool,
}

fn is_closing(c: char) -> bool {
    "，。、；：？！）」』》】”’,.;:?!)%".contains(c)
}

fn is_opening(c: char) -> bool {
    "（(「『《【“‘".contains(c)
}

fn cols(s: &str) -> usize {
    s.width()
}

/// `text` hard-wrapped by `layout`'s program; `first` starts the first
/// line (an indent).
fn wrap(text: &str, first: &str, layout: Layout) -> Vec<String> {
    let measure = |s: &str| match layout.wrapper {
        Wrapper::Columns => cols(s),
        _ => s.chars().count(),
    };
    let width = match layout.wrapper {
        Wrapper::Columns => 2 * layout.width,
        _ => layout.width,
    };
    let mut lines = Vec::new();
    let mut line = first.to_owned();
    for c in text.chars() {
        let mut with = line.clone();
        with.push(c);
        if measure(&with) > width && !line.is_empty() && line != first {
            match layout.wrapper {
                // Spaces hang at the end rather than indent the next line.
                _ if is_pad(c) => {
                    line.push(c);
                    continue;
                }
                Wrapper::Hang if is_closing(c) => {
                    line.push(c);
                    continue;
                }
                Wrapper::Push | Wrapper::Columns if is_closing(c) => {
                    // Take the last character down with the mark, unless
                    // it is all the line holds.
                    let movable = line.chars().count() > first.chars().count() + 1;
                    match line.pop().filter(|_| movable) {
                        Some(last) => {
                            lines.push(std::mem::take(&mut line));
                            line.push(last);
                        }
                        None => lines.push(std::mem::take(&mut line)),
                    }
                }
                _ => lines.push(std::mem::take(&mut line)),
            }
        }
        line.push(c);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// The first unit of a paragraph that must fit on a line for a wrapper to
/// have put it there: a character with the closing marks after it, an
/// opening mark with its character, digits with the character after them.
fn first_unit(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut n = 1;
    if chars.first().is_some_and(char::is_ascii_digit) {
        while chars
            .get(n)
            .is_some_and(|c| c.is_ascii_alphanumeric() || *c == '.')
        {
            n += 1;
        }
        n += 1;
    } else if chars.first().is_some_and(|c| is_opening(*c)) {
        n += 1;
    }
    while chars.get(n).is_some_and(|c| is_closing(*c)) {
        n += 1;
    }
    chars[..n.min(chars.len())].iter().collect()
}

/// Whether a paragraph ending on `last_line` visibly ends before one that
/// starts with `next`: the next one's first unit and a character more
/// would have fitted.
fn visibly_short(last_line: &str, next: &str, layout: Layout) -> bool {
    let unit = first_unit(next);
    match layout.wrapper {
        Wrapper::Columns => cols(last_line) + cols(&unit) + 2 <= 2 * layout.width,
        _ => last_line.chars().count() + unit.chars().count() < layout.width,
    }
}

fn ends_with_full_stop(text: &str) -> bool {
    text.trim_end_matches(['”', '’', '」', '』', '）', ')', '》', '】'])
        .ends_with(['。', '！', '？', '!', '?', '…', '；', ';', '：', ':'])
}

fn is_pad(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\u{a0}' | '\u{3000}' | '\u{feff}')
}

/// An editor code at the end of a line: `⑤3`.
fn split_code(line: &str) -> (&str, &str) {
    let digits = line.trim_end_matches(|c: char| c.is_ascii_digit());
    match digits.chars().next_back() {
        Some(c) if ('\u{2460}'..='\u{2473}').contains(&c) && digits.len() < line.len() => {
            let at = digits.len() - c.len_utf8();
            (line[..at].trim_end_matches(is_pad), &line[at..])
        }
        _ => (line, ""),
    }
}

/// What the page becomes: its text, and for each paragraph written
/// whether the boundary after it can be seen.
struct Relaid {
    text: String,
    /// For every paragraph, in order: the boundary after it is visible.
    visible: Vec<bool>,
    /// At least two wrapped lines end mid-sentence, so the width they
    /// were wrapped at can be told. Lines that all end with a full stop
    /// could as well be paragraphs of their own.
    learnable: bool,
}

/// Lays the fixture `text` out again; `expected` is its parse.
fn relay(name: &str, text: &str, expected: &[Article], layout: Layout) -> Relaid {
    let mut queue: Vec<&str> = Vec::new();
    for a in expected {
        for (n, p) in a.paragraphs.iter().enumerate() {
            if a.role(n) != Role::Crosshead {
                queue.push(p);
            }
        }
    }
    let crawler = name.contains("crawler/");
    let mut out: Vec<String> = Vec::new();
    let mut visible: Vec<bool> = Vec::new();
    let mut next = 0;
    // The paragraph being read from the fixture, and how much is read.
    let mut reading: Option<(usize, usize)> = None;
    let mut blanks = 0;
    // The paragraph written last, when nothing else was written after it:
    // its last line, or `None` when an editor code closed it.
    let mut previous: Option<Option<String>> = None;
    let mut cut_lines = 0;
    let lines: Vec<&str> = text
        .split('\n')
        .flat_map(|l| l.strip_suffix('\r').unwrap_or(l).split('\r'))
        .collect();
    for (number, raw) in lines.iter().enumerate() {
        if crawler && number < 3 {
            // The head slots, empty ones included, are the format.
            out.push((*raw).to_owned());
            continue;
        }
        let line = raw.trim_matches(is_pad);
        if line.is_empty() {
            if reading.is_none() {
                blanks += 1;
            }
            continue;
        }
        let (body, code) = split_code(line);
        let (index, read) = match reading {
            Some(r) => r,
            None if next < queue.len() && !body.is_empty() && queue[next].starts_with(body) => {
                next += 1;
                (next - 1, 0)
            }
            None => {
                // Any other line stays as it is, after its blank lines.
                out.extend(std::iter::repeat_n(String::new(), blanks));
                out.push((*raw).to_owned());
                blanks = 0;
                previous = None;
                continue;
            }
        };
        let paragraph = queue[index];
        let rest = &paragraph[read..];
        assert!(
            rest.starts_with(body),
            "{name}:{}: {line:?} is not the next part of {rest:?}",
            number + 1
        );
        let read = read + body.len();
        if read < paragraph.len() {
            reading = Some((index, read));
            continue;
        }
        reading = None;
        // The whole paragraph is read: write it out wrapped.
        let gap = match previous {
            Some(_) if layout.blank_lines => blanks.max(1),
            Some(_) if blanks >= 2 => blanks,
            Some(_) => 0,
            // Heads and text marked apart by nothing but a line break.
            None if !(layout.indents || crawler && out.len() == 3) => blanks.max(1),
            None => blanks,
        };
        if let (Some(shown), Some(previous)) = (visible.last_mut(), &previous) {
            *shown = gap > 0
                || layout.indents
                || previous
                    .as_deref()
                    .is_none_or(|last| visibly_short(last, paragraph, layout));
        }
        out.extend(std::iter::repeat_n(String::new(), gap));
        let indent = if layout.indents {
            "\u{3000}\u{3000}"
        } else {
            ""
        };
        let mut wrapped = wrap(paragraph, indent, layout);
        cut_lines += wrapped[..wrapped.len().saturating_sub(1)]
            .iter()
            .filter(|l| !ends_with_full_stop(l))
            .count();
        previous = Some(wrapped.last().cloned().filter(|_| code.is_empty()));
        if let Some(last) = wrapped.last_mut() {
            last.push_str(code);
        }
        out.extend(wrapped);
        visible.push(true);
        blanks = 0;
    }
    assert_eq!(next, queue.len(), "{name}: not every paragraph was found");
    let end = if layout.crlf { "\r\n" } else { "\n" };
    Relaid {
        text: out.join(end) + end,
        visible,
        learnable: cut_lines >= 2,
    }
}

/// An article without where its lines were, and its paragraphs and byline
/// without spaces: a wrap that falls on spaces drops them, as wrapping
/// programs do.
fn placeless(a: &Article) -> Article {
    let mut a = a.clone();
    a.source.first_line = 0;
    a.source.last_line = 0;
    for p in &mut a.paragraphs {
        p.retain(|c| !is_pad(c));
    }
    // A credit line's names come from the text.
    if let Some(b) = &mut a.byline {
        b.text.retain(|c| !is_pad(c));
    }
    a
}

/// Checks `got` against `want`: the same fields, and the same text in
/// the same paragraphs, except that a boundary the layout hid
/// (`visible[n]` false after the `n`th re-wrapped paragraph) may be lost,
/// and, when the page gives no width to learn (`learnable` false), a
/// paragraph may break where a wrapped line ended with a full stop.
fn same_articles(
    want: &[Article],
    got: &[Article],
    visible: &[bool],
    learnable: bool,
) -> Result<(), String> {
    if want.len() != got.len() {
        return Err(format!(
            "{} articles, not {}: {:?}",
            got.len(),
            want.len(),
            got.iter().map(Article::display_title).collect::<Vec<_>>()
        ));
    }
    let mut seen = 0;
    for (w, g) in want.iter().zip(got) {
        let (mut w, mut g) = (placeless(w), placeless(g));
        // Where each paragraph ends in the article's text, and whether a
        // reader must see it end there.
        let mut ends: Vec<(usize, bool, Role)> = Vec::new();
        let mut at = 0;
        for (n, p) in w.paragraphs.iter().enumerate() {
            at += p.len();
            let role = w.role(n);
            let shown = if role == Role::Crosshead {
                true
            } else {
                seen += 1;
                visible.get(seen - 1).copied().unwrap_or(true)
            };
            let next_is_head = w.role(n + 1) == Role::Crosshead && n + 1 < w.paragraphs.len();
            ends.push((at, shown || next_is_head, role));
        }
        let text: String = w.paragraphs.concat();
        if g.paragraphs.concat() != text {
            return Err(format!(
                "{}: the text differs\n want {:#?}\n  got {:#?}",
                w.display_title(),
                w.paragraphs,
                g.paragraphs
            ));
        }
        let mut got_ends = Vec::new();
        let mut at = 0;
        for (n, p) in g.paragraphs.iter().enumerate() {
            // The paragraph holding this one's start gives its role.
            let role = ends.iter().find(|e| e.0 > at).map_or(Role::Text, |e| e.2);
            if g.role(n) != role {
                return Err(format!(
                    "{}: {p:?} is {:?}, not {role:?}",
                    w.display_title(),
                    g.role(n)
                ));
            }
            at += p.len();
            got_ends.push(at);
        }
        for &(end, shown, _) in &ends {
            if shown && !got_ends.contains(&end) {
                return Err(format!(
                    "{}: a paragraph runs on after {:?}\n want {:#?}\n  got {:#?}",
                    w.display_title(),
                    &text[..end],
                    w.paragraphs,
                    g.paragraphs
                ));
            }
        }
        for &end in &got_ends {
            let expected = ends.iter().any(|e| e.0 == end);
            if !expected && (learnable || !ends_with_full_stop(&text[..end])) {
                return Err(format!(
                    "{}: a paragraph breaks after {:?}\n want {:#?}\n  got {:#?}",
                    w.display_title(),
                    &text[..end],
                    w.paragraphs,
                    g.paragraphs
                ));
            }
        }
        for a in [&mut w, &mut g] {
            a.paragraphs.clear();
            a.roles.clear();
        }
        if w != g {
            return Err(format!("fields differ\n want {w:#?}\n  got {g:#?}"));
        }
    }
    Ok(())
}

fn layouts() -> impl Iterator<Item = Layout> {
    let wrappers = [Wrapper::Cut, Wrapper::Push, Wrapper::Hang, Wrapper::Columns];
    (12..=60).flat_map(move |width| {
        wrappers.into_iter().flat_map(move |wrapper| {
            (0..16).map(move |bits| Layout {
                width,
                wrapper,
                blank_lines: bits & 1 != 0,
                indents: bits & 2 != 0,
                crlf: bits & 4 != 0,
                gb18030: bits & 8 != 0,
            })
        })
    })
}

/// Every layout of one fixture; returns how many were tried and what
/// differed.
fn check(name: &str, text: &str) -> (usize, Vec<String>) {
    let mut failures = Vec::new();
    let mut cases = 0;
    let expected = page::parse(text, name);
    for layout in layouts() {
        cases += 1;
        let relaid = relay(name, text, &expected.articles, layout);
        // Two characters are too few to tell GB18030 from EUC-KR;
        // `decode`'s own tests cover detection.
        let parsed = if layout.gb18030 && relaid.text.len() > 64 {
            let (bytes, _, unmappable) = GB18030.encode(&relaid.text);
            assert!(!unmappable, "{name}: not representable in GB18030");
            match decode::decode(&bytes) {
                Ok(d) if d.encoding == GB18030 => page::parse(&d.text, name),
                Ok(d) => {
                    failures.push(format!("{name} {layout:?}: read as {}", d.encoding.name()));
                    continue;
                }
                Err(e) => {
                    failures.push(format!("{name} {layout:?}: {e}"));
                    continue;
                }
            }
        } else {
            page::parse(&relaid.text, name)
        };
        let mut problems = Vec::new();
        if let Err(e) = same_articles(
            &expected.articles,
            &parsed.articles,
            &relaid.visible,
            relaid.learnable,
        ) {
            problems.push(e);
        }
        if parsed.warnings.len() != expected.warnings.len() {
            problems.push(format!("warnings: {:?}", parsed.warnings));
        }
        for a in &parsed.articles {
            for p in &a.paragraphs {
                if p.starts_with(is_closing) {
                    problems.push(format!("a paragraph starts with closing punctuation: {p}"));
                }
            }
        }
        if !problems.is_empty() {
            failures.push(format!(
                "{name} {layout:?}:\n{}\n--- text ---\n{}",
                problems.join("\n"),
                relaid.text
            ));
        }
    }
    (cases, failures)
}

#[test]
fn every_fixture_wrapped_again_parses_the_same() {
    let fixtures = fixtures();
    let threads = std::thread::available_parallelism().map_or(2, usize::from);
    let results: Vec<(usize, Vec<String>)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|t| {
                let fixtures = &fixtures;
                scope.spawn(move || {
                    fixtures
                        .iter()
                        .skip(t)
                        .step_by(threads)
                        .map(|(name, text)| check(name, text))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    });
    let cases: usize = results.iter().map(|r| r.0).sum();
    let failures: Vec<&String> = results.iter().flat_map(|r| &r.1).collect();
    assert!(cases >= 20 * 49 * 64, "only {cases} layouts tried");
    assert!(
        failures.is_empty(),
        "{} of {cases} layouts differ; the first:\n{}",
        failures.len(),
        failures.first().map_or("", |f| f.as_str())
    );
}
