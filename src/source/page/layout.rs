//! Page layout: text → lines → blank-line blocks → pieces.
//!
//! A *piece* is one logical line of the page: a head line, a byline, or a
//! paragraph whose hard-wrapped lines were joined again. Pieces remember the
//! source lines they came from and how many blank lines stood before them,
//! because a wider gap separates larger units of the page.
//!
//! Hard wrapping is learned per page ([`Wrap`]): text extraction and old
//! archives cut every line of a paragraph at one width, counted either in
//! characters or in display columns. Both measures are taken of the lines
//! that can tell, and the page's own measure is the one in which its lines
//! agree. A line
//! then runs on into the next when the next line's first unbreakable unit
//! (a character with the closing marks after it, a number, a Latin word)
//! would not have fitted on it — a short line ends its paragraph, however
//! few columns its half-width punctuation takes. A line that starts with
//! closing punctuation, or is only a stray end of a sentence (`业。`), always
//! continues the line above.

use std::borrow::Cow;

use super::chars::{ends_sentence, is_closing, is_pad};

/// One logical line of the page, ready to be classified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece<'a, C> {
    /// The text: borrowed from the page for a piece of one line.
    pub text: Cow<'a, str>,
    pub first_line: usize,
    pub last_line: usize,
    /// Blank lines before this piece (0 inside a block).
    pub gap: usize,
    /// The first line started with an indent (`　　`, spaces or a tab).
    pub indented: bool,
    /// What its one line was classified as; `None` for a piece of several
    /// lines, whose joined text is classified anew.
    pub class: Option<C>,
    /// What its last line is.
    last: LineClass,
}

/// What a line is, as far as joining lines goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    /// Stays a line of its own: a byline, credit, metadata, label …
    Alone,
    /// Starts a piece but may run on into the lines below: a caption.
    Lead,
    /// A short line without sentence punctuation: maybe a head.
    Head,
    /// Anything else: text.
    Text,
}

/// What the page parser says of one line's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineClass {
    pub kind: LineKind,
    /// The line ends with an editor code: its paragraph ends there.
    pub closes: bool,
    /// The line opens a paragraph with a dateline (`本报北京9月30日电`):
    /// unless it ends a sentence, the paragraph runs on below it.
    pub runs_on: bool,
}

fn pad_width(c: char) -> usize {
    match c {
        '\u{3000}' => 2,
        '\t' => 4,
        '\u{feff}' => 0,
        _ => 1,
    }
}

/// Splits `text` into lines on LF, CRLF or CR, numbered from 1.
pub fn raw_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let bytes = text.as_bytes();
    let mut ends = memchr::memchr2_iter(b'\n', b'\r', bytes).peekable();
    let mut start = 0;
    let mut done = false;
    std::iter::from_fn(move || {
        if done {
            return None;
        }
        let line = match ends.next() {
            Some(end) => {
                let line = &text[start..end];
                start = end + 1;
                // CR LF is one line end.
                if bytes[end] == b'\r' && ends.peek() == Some(&(end + 1)) && bytes[end + 1] == b'\n'
                {
                    ends.next();
                    start += 1;
                }
                line
            }
            None => {
                done = true;
                &text[start..]
            }
        };
        Some(line)
    })
    .enumerate()
    .map(|(i, l)| (i + 1, l))
}

/// How wide a line is in both measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct Size {
    chars: usize,
    cols: usize,
}

/// The measure a page was wrapped in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Measure {
    Chars,
    Cols,
}

impl Size {
    fn of(self, measure: Measure) -> usize {
        match measure {
            Measure::Chars => self.chars,
            Measure::Cols => self.cols,
        }
    }
}

/// Lines longer than this many bytes are never measured: no page is
/// hard-wrapped that wide (it is a hundred Chinese characters), and a
/// paragraph on one line can be megabytes.
const MAX_WRAPPED_BYTES: usize = 320;

/// A non-blank source line with its padding removed.
#[derive(Debug)]
struct Line<'a, C> {
    number: usize,
    text: &'a str,
    /// The padding before the text, in characters and columns.
    lead: (u16, u16),
    indented: bool,
    /// The line starts or ends with one space: a wrap that fell on a
    /// space between words (`记者 黄育南` / ` 张宁`) left it there.
    spaced_start: bool,
    spaced_end: bool,
    class: LineClass,
    /// What the page parser made of it.
    full: C,
    /// Its size, once measured.
    measured: std::cell::OnceCell<Option<Size>>,
}

impl<C> Line<'_, C> {
    /// Width of the whole line, indent included; `None` when too long to
    /// be a hard-wrapped line. Measured when asked: most lines of most
    /// pages never are.
    fn size(&self) -> Option<Size> {
        *self.measured.get_or_init(|| {
            (self.text.len() <= MAX_WRAPPED_BYTES).then(|| Size {
                chars: usize::from(self.lead.0) + self.text.chars().count(),
                cols: usize::from(self.lead.1) + cols(self.text),
            })
        })
    }
}

fn line<'a, C>(
    number: usize,
    raw: &'a str,
    classify: &impl Fn(&'a str) -> C,
    class_of: &impl Fn(&C) -> LineClass,
) -> Option<Line<'a, C>> {
    let text = raw.trim_matches(is_pad);
    if text.is_empty() {
        return None;
    }
    let lead = &raw[..raw.len() - raw.trim_start_matches(is_pad).len()];
    let trail = &raw[raw.trim_end_matches(is_pad).len()..];
    let indent_cols: usize = lead.chars().map(pad_width).sum();
    let narrow = |n: usize| u16::try_from(n).unwrap_or(u16::MAX);
    let full = classify(text);
    Some(Line {
        number,
        text,
        lead: (narrow(lead.chars().count()), narrow(indent_cols)),
        indented: indent_cols >= 2,
        spaced_start: lead == " " || lead == "\u{a0}",
        spaced_end: trail == " " || trail == "\u{a0}",
        class: class_of(&full),
        full,
        measured: std::cell::OnceCell::new(),
    })
}

/// Display columns of `text` (ambiguous characters one column), as
/// `unicode-width` counts them, with the characters of Chinese text
/// counted without a table lookup.
fn cols(text: &str) -> usize {
    text.chars()
        .map(|c| match c {
            ' '..='~' => 1,
            '\u{4e00}'..='\u{9fff}' | '\u{3000}'..='\u{303e}' | '\u{ff01}'..='\u{ff60}' => 2,
            _ => unicode_width::UnicodeWidthChar::width(c).unwrap_or(0),
        })
        .sum()
}

/// A learned wrap: the measure and the width of a full line in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Wrap {
    measure: Measure,
    width: usize,
}

impl Wrap {
    /// How much shorter than the widest a full line may be: printed
    /// columns squeeze punctuation (标点挤压) and push a character over to
    /// keep a mark off a line's start, so their lines differ by one
    /// character. A line is a paragraph's last only when it is clearly
    /// short: the next line's first unit would have fitted with a
    /// character to spare.
    fn slack(self) -> isize {
        match self.measure {
            Measure::Chars => 1,
            Measure::Cols => 2,
        }
    }

    /// Room left on `line` for more text, negative when it is over-full
    /// (a hanging mark); `None` for a line too long to measure.
    fn room<C>(self, line: &Line<'_, C>) -> Option<isize> {
        let size = line.size()?.of(self.measure);
        Some(self.width as isize - size as isize)
    }
}

/// The width of a text's first unbreakable unit: a character with the
/// closing marks that may not start a line after it, an opening mark with
/// the character it opens, a run of `……` or `——`, or a number or Latin word
/// (a number with the character after it, which typesetters keep with it:
/// `2023年`).
fn first_unit(text: &str) -> Size {
    let mut chars = text.char_indices().peekable();
    let Some((_, first)) = chars.next() else {
        return Size::default();
    };
    if first.is_ascii_alphanumeric() {
        while chars
            .next_if(|&(_, c)| c.is_ascii_alphanumeric() || matches!(c, '.' | '%' | '\'' | '-'))
            .is_some()
        {}
        if first.is_ascii_digit() {
            chars.next_if(|&(_, c)| !c.is_ascii() && !is_closing(c));
        }
    } else if matches!(first, '…' | '—') {
        while chars.next_if(|&(_, c)| c == first).is_some() {}
    } else if is_opening(first) {
        chars.next();
    }
    while chars.next_if(|&(_, c)| is_closing(c)).is_some() {}
    let unit = &text[..chars.peek().map_or(text.len(), |&(i, _)| i)];
    Size {
        chars: unit.chars().count(),
        cols: cols(unit),
    }
}

fn is_opening(c: char) -> bool {
    matches!(
        c,
        '（' | '(' | '「' | '『' | '《' | '【' | '“' | '‘' | '〈' | '〔' | '['
    )
}

/// A piece that cannot stand on its own: it starts with closing
/// punctuation, or is only the end of a sentence (`业。`, `”`), at most two
/// characters besides its punctuation.
fn is_continuation(text: &str) -> bool {
    let Some(first) = text.chars().next() else {
        return false;
    };
    if is_closing(first) {
        return true;
    }
    if text.len() > 4 * 6 {
        return false;
    }
    let words = text
        .chars()
        .filter(|c| !c.is_ascii_punctuation() && !is_closing(*c))
        .count();
    words <= 2 && ends_sentence(text) && text.chars().count() > words
}

/// The pieces of a page, in order.
///
/// `classify` says what a line is (its text without padding) and
/// `class_of` what that means for joining; the first `skip` lines are left
/// out (head slots already read, see [`super::crawler`]).
pub fn pieces<'a, C: Clone>(
    text: &'a str,
    skip: usize,
    classify: impl Fn(&'a str) -> C,
    class_of: impl Fn(&C) -> LineClass,
) -> Vec<Piece<'a, C>> {
    // A first pass learns the page's wrap from the lines that can tell it
    // (see `learn`): lines that end a sentence never can, and are the most.
    let candidates: Vec<Line<'a, C>> = raw_lines(text)
        .skip(skip)
        .filter(|(_, raw)| !ends_with_full_stop(raw.trim_end_matches(is_pad)))
        .filter_map(|(number, raw)| line(number, raw, &classify, &class_of))
        .collect();
    let page_wrap = learn(
        candidates
            .iter()
            .filter(|l| l.class.kind != LineKind::Alone),
        2,
    );
    // The second reads the page block by block, taking the lines the first
    // one read as they come.
    let mut read = candidates.into_iter().peekable();
    let mut out: Vec<Piece<'a, C>> = Vec::new();
    let mut blanks = 0;
    let mut block: Vec<Line<'a, C>> = Vec::new();
    for (number, raw) in raw_lines(text).skip(skip) {
        let known = read.next_if(|l| l.number == number);
        match known.or_else(|| line(number, raw, &classify, &class_of)) {
            Some(l) => block.push(l),
            None => {
                if !block.is_empty() {
                    split_block(&block, blanks, page_wrap, &mut out);
                    block.clear();
                    blanks = 0;
                }
                blanks += 1;
            }
        }
    }
    if !block.is_empty() {
        split_block(&block, blanks, page_wrap, &mut out);
    }
    join_continuations(out)
}

/// Learns the width a page (or a block) was hard-wrapped at, from its
/// lines that end mid-sentence (a wrapped paragraph's last line, and a
/// paragraph on one line, end with its sentence): in each measure, the
/// window of widths a character wide that holds the most of them, among
/// which a line with a comma when only two agree (heads that happen to
/// agree have none).
/// `None` unless `least` lines agree and at most half as many are wider:
/// the lines of a page that is not hard-wrapped are as long as their
/// paragraphs, and only chance makes a few of them agree.
///
/// When both measures find a width, the one in which more lines agree is
/// the page's; when as many agree in both, the lines holding half-width
/// characters (digits, Latin, `,` `“`) tell which the page was wrapped by:
/// full in characters they are short in columns, and the other way round.
/// Where they do not tell, columns, which printed pages and programs
/// counting bytes wrap by.
fn learn<'a, 'b: 'a, C: 'a>(
    lines: impl Iterator<Item = &'a Line<'b, C>>,
    least: usize,
) -> Option<Wrap> {
    let cut: Vec<(&Line<'_, C>, Option<Size>)> = lines
        .filter(|l| !l.class.closes && !ends_with_full_stop(l.text))
        .map(|l| (l, l.size()))
        .collect();
    let found = [(Measure::Chars, 1), (Measure::Cols, 3)].map(|(measure, window)| {
        let mut widths: Vec<(usize, bool)> = cut
            .iter()
            .map(|(l, size)| {
                let width =
                    size.map_or(usize::MAX, |s| fitted_width(s.of(measure), l.text, measure));
                (width, l.text.contains(['，', ',', '；', ';']))
            })
            .collect();
        widths.sort_unstable();
        // The window holding the most lines, the widest of equals.
        let mut best: Option<(usize, usize, usize)> = None;
        let mut lo = 0;
        // Lines with a comma in the window.
        let mut commas = 0;
        for hi in 0..widths.len() {
            let top = widths[hi].0;
            if top == usize::MAX {
                break;
            }
            commas += usize::from(widths[hi].1);
            while top - widths[lo].0 > window {
                commas -= usize::from(widths[lo].1);
                lo += 1;
            }
            let support = hi + 1 - lo;
            let prose = support > 2 || commas > 0;
            if prose && best.is_none_or(|(s, ..)| support >= s) {
                let wider = widths.len() - widths.partition_point(|w| w.0 <= top + window);
                best = Some((support, top, wider));
            }
        }
        best.filter(|&(support, width, wider)| {
            support >= least && support >= 2 * wider && width > 0
        })
        .map(|(support, width, _)| (Wrap { measure, width }, support))
    });
    match found {
        [Some((chars, a)), Some((cols, b))] if a != b => Some(if a > b { chars } else { cols }),
        [Some((chars, _)), Some((cols, _))] => {
            // A full line is the width or one less (a character pushed
            // down, a wide character that did not fit).
            let (mut by_chars, mut by_cols) = (0, 0);
            for (l, size) in &cut {
                let Some(size) = size.filter(|s| s.cols != 2 * s.chars) else {
                    continue;
                };
                let full = |wrap: Wrap| {
                    let width = fitted_width(size.of(wrap.measure), l.text, wrap.measure);
                    width + 1 >= wrap.width && width <= wrap.width
                };
                by_chars += usize::from(full(chars));
                by_cols += usize::from(full(cols));
            }
            Some(if by_chars > by_cols { chars } else { cols })
        }
        [found, None] | [None, found] => found.map(|(wrap, _)| wrap),
    }
}

/// A line that ends with its sentence (`。`, `！`, `……`, `。”`): the last
/// line of a paragraph, or a paragraph on one line.
fn ends_with_full_stop(text: &str) -> bool {
    let end = text.trim_end_matches(['”', '’', '」', '』', '）', ')', '》', '】']);
    end.ends_with(['。', '！', '？', '!', '?', '…', '；', ';', '：', ':'])
}

/// A line's width without a closing mark hanging at its end: hanging
/// punctuation must not make the page's width look wider than it is.
fn fitted_width(width: usize, text: &str, measure: Measure) -> usize {
    match text.chars().next_back() {
        Some(c) if is_closing(c) => width.saturating_sub(match measure {
            Measure::Chars => 1,
            Measure::Cols => unicode_width::UnicodeWidthChar::width(c).unwrap_or(0),
        }),
        _ => width,
    }
}

/// Punctuation within or at the end of a sentence, which a paragraph has
/// and a group of head lines lacks.
fn has_sentence_punctuation(text: &str) -> bool {
    text.contains(['。', '，', '；', '！', '？', ',', ';', '!', '?'])
}

/// A line that reads like a head: no punctuation of a sentence at all.
fn head_shaped<C>(line: &Line<'_, C>) -> bool {
    line.class.kind == LineKind::Head && !line.text.contains(['，', ',', '、'])
}

/// Splits one block into pieces: lines run on where the wrap says they are
/// full, indented lines start paragraphs, and a run of head lines that
/// happens to be as wide as the text stays apart.
fn split_block<'a, C: Clone>(
    block: &[Line<'a, C>],
    gap: usize,
    page_wrap: Option<Wrap>,
    out: &mut Vec<Piece<'a, C>>,
) {
    if let [only] = block {
        out.push(Piece::of_line(only, gap));
        return;
    }
    let wrap = page_wrap.or_else(|| {
        (block.len() > 2)
            .then(|| learn(block.iter().filter(|l| l.class.kind != LineKind::Alone), 2))
            .flatten()
    });
    let full = |i: usize| -> bool {
        let (Some(wrap), Some(next)) = (wrap, block.get(i + 1)) else {
            return false;
        };
        let unit = first_unit(next.text).of(wrap.measure) as isize;
        wrap.room(&block[i])
            .is_some_and(|room| room < unit + wrap.slack())
    };
    // Where paragraphs are marked by indents, a paragraph's unindented
    // lines run on: text always, a head-like line when the line above
    // stops mid-sentence. A paragraph's last line ends its sentence, so
    // text below a line that does not runs on too.
    let indents = block.iter().skip(1).any(|l| l.indented);
    let joins = |run: &std::ops::Range<usize>, i: usize| -> bool {
        let (prev, next) = (&block[i - 1], &block[i]);
        if prev.class.kind == LineKind::Alone || prev.class.closes {
            return false;
        }
        if next.text.starts_with(is_closing) {
            return true;
        }
        if matches!(next.class.kind, LineKind::Alone | LineKind::Lead) || next.indented {
            return false;
        }
        // A head below text, with more text after it, is a cross-head or
        // the next story's head, not the text's last line.
        let sandwiched = i + 1 < block.len() && !full(i) && !ends_sentence(next.text);
        if sandwiched && head_shaped(next) {
            return false;
        }
        let start = &block[run.start];
        let paragraph = start.indented && (indents || start.class.kind != LineKind::Head);
        let open = !ends_with_full_stop(prev.text);
        if next.class.kind == LineKind::Text {
            full(i - 1) || open || paragraph
        } else {
            full(i - 1) || ((paragraph || prev.class.runs_on) && open)
        }
    };
    let mut runs: Vec<std::ops::Range<usize>> = Vec::new();
    for i in 0..block.len() {
        match runs.last_mut() {
            Some(run) if i > 0 && joins(run, i) => run.end = i + 1,
            _ => runs.push(i..i + 1),
        }
    }
    for run in runs {
        let lines = &block[run.clone()];
        let first_gap = if run.start == 0 { gap } else { 0 };
        let mut text = String::new();
        if lines.len() > 1 {
            text.reserve(lines.iter().map(|l| l.text.len() + 1).sum());
            for (n, l) in lines.iter().enumerate() {
                if n > 0 && (l.spaced_start || lines[n - 1].spaced_end) {
                    text.push(' ');
                }
                text.push_str(l.text);
            }
        }
        if let [only] = lines {
            out.push(Piece::of_line(only, first_gap));
            continue;
        }
        if !has_sentence_punctuation(&text) {
            // Head lines as wide as the text: each stays a head.
            for (n, l) in lines.iter().enumerate() {
                out.push(Piece::of_line(l, if n == 0 { first_gap } else { 0 }));
            }
            continue;
        }
        out.push(Piece {
            text: Cow::Owned(text),
            first_line: lines[0].number,
            last_line: lines[lines.len() - 1].number,
            gap: first_gap,
            indented: lines[0].indented,
            class: None,
            last: lines[lines.len() - 1].class,
        });
    }
}

impl<'a, C: Clone> Piece<'a, C> {
    /// A piece of one line, after `gap` blank lines.
    fn of_line(line: &Line<'a, C>, gap: usize) -> Self {
        Piece {
            text: Cow::Borrowed(line.text),
            first_line: line.number,
            last_line: line.number,
            gap,
            indented: line.indented,
            class: Some(line.full.clone()),
            last: line.class,
        }
    }
}

/// Joins each piece that cannot stand alone (see [`is_continuation`]) to
/// the piece above it, across blank lines, unless that one stands alone
/// or ends with an editor code.
fn join_continuations<C>(pieces: Vec<Piece<'_, C>>) -> Vec<Piece<'_, C>> {
    let mut out: Vec<Piece<'_, C>> = Vec::with_capacity(pieces.len());
    for piece in pieces {
        if is_continuation(&piece.text)
            && let Some(above) = out.last_mut()
            && above.last.kind != LineKind::Alone
            && !above.last.closes
        {
            above.text.to_mut().push_str(&piece.text);
            above.last_line = piece.last_line;
            above.class = None;
            above.last = piece.last;
            continue;
        }
        out.push(piece);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_width::UnicodeWidthStr;

    /// Everything is text, except lines without sentence punctuation of up
    /// to 32 characters, which are heads (as the page parser says).
    fn plain(text: &str) -> LineClass {
        let head = text.chars().count() <= 32 && !text.contains(['。', '，', '；']);
        LineClass {
            kind: if head { LineKind::Head } else { LineKind::Text },
            closes: false,
            runs_on: false,
        }
    }

    fn texts(text: &str) -> Vec<(String, usize)> {
        pieces(text, 0, plain, |c| *c)
            .into_iter()
            .map(|p| (p.text.into_owned(), p.gap))
            .collect()
    }

    #[test]
    fn blank_lines_and_gaps() {
        let got = texts("\n\n甲\n\n乙\n\n\n丙\r\n\r\n丁\r戊");
        let want = [("甲", 2), ("乙", 1), ("丙", 2), ("丁", 1), ("戊", 0)];
        let want: Vec<_> = want.iter().map(|(t, g)| (t.to_string(), *g)).collect();
        assert_eq!(got, want);
    }

    #[test]
    fn padding_only_lines_are_blank() {
        let got = texts("甲\n\u{3000}\n \u{a0}\t\n乙  \u{3000}");
        assert_eq!(got, vec![("甲".into(), 0), ("乙".into(), 2)]);
    }

    #[test]
    fn indented_lines_start_paragraphs() {
        let got = pieces(
            "标题\n\u{3000}\u{3000}第一段。\n\u{3000}\u{3000}第二段。",
            0,
            plain,
            |c| *c,
        );
        assert_eq!(got.len(), 3);
        assert!(!got[0].indented);
        assert!(got[1].indented && got[2].indented);
    }

    #[test]
    fn fixed_width_lines_are_joined() {
        let text = "一二三四五，六七八九\n甲乙丙丁戊己庚辛壬癸\n子丑寅卯。\n另起一行的标题";
        let got = texts(text);
        assert_eq!(
            got[0].0,
            "一二三四五，六七八九甲乙丙丁戊己庚辛壬癸子丑寅卯。"
        );
        assert_eq!(got[1].0, "另起一行的标题");
    }

    #[test]
    fn head_lines_of_equal_width_stay_apart() {
        let got = texts("全市科技工作会议提出\n奋力建设区域创新高地\n——副题");
        assert_eq!(got.len(), 3);
    }

    #[test]
    fn head_lines_of_different_widths_stay_apart() {
        let got = texts("全市科技工作会议提出\n奋力建设区域创新高地之路\n——副题");
        assert_eq!(got.len(), 3);
    }

    #[test]
    fn a_line_of_half_width_punctuation_is_as_full_as_the_others() {
        // Wrapped at 8 characters: the second line is 8 characters but 9
        // columns, and still runs on.
        let text =
            "一二三四五六七八\n九,1,2,3,\n十一二三四五六七\n八九十。\n甲乙丙丁戊己庚辛\n壬癸。";
        let got = texts(text);
        assert_eq!(
            got.iter().map(|(t, _)| t.as_str()).collect::<Vec<_>>(),
            [
                "一二三四五六七八九,1,2,3,十一二三四五六七八九十。",
                "甲乙丙丁戊己庚辛壬癸。"
            ]
        );
    }

    #[test]
    fn closing_punctuation_never_starts_a_piece() {
        let got = texts("甲乙丙丁戊\n\n，己庚辛。\n\n”\n\n壬癸");
        assert_eq!(got[0].0, "甲乙丙丁戊，己庚辛。”");
        assert_eq!(got[1].0, "壬癸");
    }

    #[test]
    fn columns_are_counted_as_unicode_width_counts_them() {
        for text in [
            "全市科技工作，2023年“两会”……ＡＢＣ　①②⑤3 abc\u{303f}\u{ff61}ｶ",
            "\u{3000}\u{3001}\u{303e}\u{ff01}\u{ff60}\u{4e00}\u{9fff}~ ",
        ] {
            assert_eq!(cols(text), text.width(), "{text}");
        }
    }

    #[test]
    fn units_that_did_not_fit() {
        assert_eq!(first_unit("2023年的").chars, 5);
        assert_eq!(first_unit("业。”下").chars, 3);
        assert_eq!(first_unit("“两会”").chars, 2);
        assert_eq!(first_unit("……一").chars, 2);
        assert_eq!(first_unit("APP说").cols, 3);
    }
}
