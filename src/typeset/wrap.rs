//! Line breaking: UAX #14 break opportunities tightened by 避头尾 (kinsoku).
//!
//! textwrap finds the break opportunities of Unicode UAX #14, to which
//! clreq adds one: beside a quotation mark between Han characters. Between
//! some of them a break is still wrong in Chinese typesetting, so
//! neighbouring pieces are glued into *atoms* that are never split: what may
//! not start a line to what comes before it and what may not end one to
//! what follows ([`super::classes`]), `……` and `——` to themselves, a number
//! to its digits and its unit (`２０２３年`, `36亿元`, `3.5公里`), and runs of
//! Latin letters, digits and ASCII punctuation (words, URLs) to each other.
//! Atoms are then laid into lines first-fit. An atom longer than a line is
//! split between grapheme clusters, at the last place in the line where no
//! rule is broken, or, if there is none, where the width demands: the width
//! always wins, and no character is lost or repeated.
//!
//! With a [`Edge::Hanging`] edge (行末点号悬挂) the last full-width cell of
//! the width is a margin that only closing marks may enter: the text is set
//! to the width less that cell, and a closing mark that would otherwise push
//! its character to the next line hangs in the margin instead. The line is
//! then also *filled*: where the next atom does not fit, it is broken
//! beside a quotation mark where 避头尾 allows it (UAX #14 never breaks
//! there, so `。”` could not hang before text), and, rather than leave more
//! than [`GAP`] columns empty, inside a number where it keeps every number
//! with its unit (`2023年` stays whole; `3月7日` may break between `3月`
//! and `7日`; a number of five or more digits between its digits). Only an
//! atom with no such place (a Latin word, `……`, `——`, a short number with
//! its unit) leaves a line more than [`GAP`] columns short.

use std::sync::OnceLock;

use textwrap::WordSeparator;
use unicode_segmentation::UnicodeSegmentation;

use super::classes::{inseparable, is_no_end, is_no_start};
use super::width::{char_width, grapheme_width, str_width};

/// The ideographic space that indents paragraphs.
pub const IDEOGRAPHIC_SPACE: char = '\u{3000}';

/// The narrowest line: one double-width character must fit.
pub const MIN_WIDTH: usize = 2;

/// Characters that measure a number on their own: `2023年`, `36亿元`,
/// `14个`. README lists them.
pub const UNIT_CHARS: &str = "年月日号时分秒亿万千百元角个名项家所座人次倍岁户条件台辆米吨斤亩天周届期批篇位种类份余多克升度只张株册枚套栋首部场轮";

/// The widest gap a filled line may leave at its end when the next atom
/// can be broken inside: two full-width cells.
pub const GAP: usize = 4;

/// The hanging margin: one full-width cell.
pub const HANG: usize = 2;

/// How the right edge of wrapped text is set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edge {
    /// Every character within the width; a line ends where the next atom
    /// does not fit.
    Ragged,
    /// The last full-width cell of the width is a margin only closing marks
    /// may occupy, and lines are filled (see the module docs).
    Hanging,
}

/// Closing marks, which may hang in the margin: stops, commas, colons,
/// question and exclamation marks, closing brackets and quotes, full-width
/// and half-width. A list of its own, not derived from [`is_no_start`]:
/// much that may not start a line (`……`, `——`, `々`, small kana) may not
/// hang either.
pub fn hangs(c: char) -> bool {
    matches!(
        c,
        '。' | '，'
            | '、'
            | '；'
            | '：'
            | '？'
            | '！'
            | '）'
            | '」'
            | '』'
            | '》'
            | '】'
            | '〕'
            | '〉'
            | '〗'
            | '〙'
            | '］'
            | '｝'
            | '”'
            | '’'
            | ','
            | '.'
            | ';'
            | ':'
            | '?'
            | '!'
            | ')'
            | ']'
            | '}'
    )
}

/// Unit words of more than one character kept with their number
/// (`3.5公里`, `90分钟`, `5.6亿美元`): the longest that matches is taken.
/// README lists them.
pub const UNIT_WORDS: &[&str] = &[
    "平方公里",
    "平方千米",
    "平方米",
    "立方米",
    "千瓦时",
    "摄氏度",
    "公里",
    "千米",
    "厘米",
    "毫米",
    "公斤",
    "千克",
    "毫克",
    "公顷",
    "小时",
    "分钟",
    "美元",
    "欧元",
    "英镑",
    "日元",
    "港元",
    "千瓦",
    "兆瓦",
    "毫升",
    "公升",
    "英里",
    "海里",
    "周岁",
];

/// A unit after a number takes at most this many words or characters
/// (`亿美元` is two, `万人次` three): more is text, not a measure.
const MAX_UNITS: usize = 3;

fn is_unit(c: char) -> bool {
    static SORTED: OnceLock<Vec<char>> = OnceLock::new();
    is_han(c)
        && SORTED
            .get_or_init(|| {
                let mut chars: Vec<char> = UNIT_CHARS.chars().collect();
                chars.sort_unstable();
                chars
            })
            .binary_search(&c)
            .is_ok()
}

/// An ASCII or a full-width digit.
fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || ('０'..='９').contains(&c)
}

/// The length in bytes of the unit that `text` (what follows a number)
/// starts with: up to [`MAX_UNITS`] unit words or characters, each the
/// longest that matches.
fn unit_len(text: &str) -> usize {
    let mut len = 0;
    for _ in 0..MAX_UNITS {
        let rest = &text[len..];
        let Some(c) = rest.chars().next().filter(|c| is_han(*c)) else {
            break;
        };
        let word = UNIT_WORDS
            .iter()
            // The first bytes first: cheaper than the comparison.
            .filter(|w| w.as_bytes().get(..3) == rest.as_bytes().get(..3) && rest.starts_with(*w))
            .map(|w| w.len())
            .max();
        match word {
            Some(n) => len += n,
            None if is_unit(c) => len += c.len_utf8(),
            None => break,
        }
    }
    len
}

/// Whether `next` carries on the number that `last` (after `earlier`)
/// belongs to: a digit after a digit (`２０２３`), or after a decimal point
/// or a thousands separator that follows one (`３．５`, `1,200`).
fn number_goes_on(earlier: Option<char>, last: char, next: char) -> bool {
    is_digit(next)
        && (is_digit(last)
            || matches!(last, '.' | ',' | '．' | '，') && earlier.is_some_and(is_digit))
}

/// Han ideographs, between which clreq allows a break beside a quotation
/// mark.
fn is_han(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4dbf}' | '\u{4e00}'..='\u{9fff}' | '\u{f900}'..='\u{faff}' | '\u{20000}'..='\u{3134f}')
}

/// ASCII that belongs to a word, number or URL (not space, not brackets
/// that open).
fn is_ascii_word(c: char) -> bool {
    c.is_ascii_graphic() && !matches!(c, '(' | '[' | '{')
}

/// Whether no line break may fall at `at` in `text`, between the atom
/// `text[from..at]` and the piece that follows it.
fn must_glue(text: &str, from: usize, at: usize) -> bool {
    let (prev, rest) = (&text[from..at], &text[at..]);
    let Some(first) = rest.chars().next() else {
        return false;
    };
    if is_no_start(first) {
        return true;
    }
    let spaced = prev.ends_with(' ');
    let Some(last) = prev.trim_end_matches(' ').chars().next_back() else {
        return false;
    };
    if is_no_end(last) {
        return true;
    }
    if spaced {
        return false;
    }
    if inseparable(last, first) {
        return true;
    }
    if is_ascii_word(last) && is_ascii_word(first) {
        return true;
    }
    if is_digit(first) {
        // A number goes on (`２０２３`, `３．５`), and so does a date or a
        // measure after its unit (`3月` + `7日`).
        let before_units = prev.trim_end_matches(is_unit);
        return number_goes_on(prev.chars().rev().nth(1), last, first)
            || (before_units.len() < prev.len() && before_units.ends_with(is_digit));
    }
    // The unit belongs to the number before it (`2023年`, `36亿元`,
    // `3.5公里`): the atom ends in a number and maybe the start of its
    // unit, and the unit goes on past `at`.
    // Units are Han, and no unit is longer than [`MAX_UNITS`] words of at
    // most four characters: look back only that far for the number.
    if !is_han(first) {
        return false;
    }
    let mut number_end = None;
    for (i, c) in prev.char_indices().rev().take(4 * MAX_UNITS + 1) {
        if is_digit(c) {
            number_end = Some(from + i + c.len_utf8());
            break;
        }
        if !is_han(c) {
            return false;
        }
    }
    number_end.is_some_and(|unit_start| unit_start + unit_len(&text[unit_start..]) > at)
}

/// Whether a filled line may break between `before` and `after`, two parts
/// of one atom. UAX #14 glues a quotation mark to both its neighbours, as
/// it cannot tell `“` from `”` apart; Chinese quotes open or close, so a
/// break after `”` `’` or before `“` `‘` is one where 避头尾 allows it.
/// With `numbers`, also between the measures of a compound (`3月` `7日`,
/// `36亿` `5000万元`) and between the digits of a number of five or more,
/// two digits kept on each side; never between a number and its unit.
fn may_break_inside(word: &str, k: usize, numbers: bool) -> bool {
    let (before, after) = word.split_at(k);
    let (Some(a), Some(b)) = (before.chars().next_back(), after.chars().next()) else {
        return false;
    };
    if a.is_ascii_digit() && b.is_ascii_digit() {
        let is_number = |c: char| c.is_ascii_digit() || matches!(c, '.' | ',');
        let left = before.len() - before.trim_end_matches(|c: char| c.is_ascii_digit()).len();
        let right = after.len() - after.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        let alone = !before[..before.len() - left].ends_with(is_number)
            && !after[right..].starts_with(is_number);
        return numbers && alone && left >= 2 && right >= 2 && left + right >= 5;
    }
    if is_unit(a) && b.is_ascii_digit() {
        return numbers;
    }
    // A space inside an atom was glued to what follows it on purpose (a
    // closing mark after the space): no break beside it.
    if a == ' ' || b == ' ' {
        return false;
    }
    let quote = matches!(a, '”' | '’') || matches!(b, '“' | '‘');
    quote && !must_glue(word, 0, k)
}

/// Pieces of `text` that must not be split, each with its trailing spaces.
/// Their concatenation is `text`.
fn atoms(text: &str) -> Vec<&str> {
    let mut out: Vec<&str> = Vec::new();
    let mut start = 0;
    let mut ends = WordSeparator::UnicodeBreakProperties
        .find_words(text)
        .scan(0usize, |end, word| {
            *end += word.word.len() + word.whitespace.len();
            Some(*end)
        })
        .collect::<Vec<_>>();
    // textwrap's words cover the whole text; make sure of it.
    if ends.last().copied() != Some(text.len()) {
        ends.push(text.len());
    }
    // UAX #14 never breaks beside a quotation mark; clreq does, before an
    // opening and after a closing one, between Han characters.
    let quotes = quote_breaks(text);
    if !quotes.is_empty() {
        ends = merged(&ends, &quotes);
    }
    for end in ends {
        let Some(piece) = text.get(start..end).filter(|p| !p.is_empty()) else {
            continue;
        };
        match out.last_mut() {
            Some(prev) if must_glue(text, start - prev.len(), start) => {
                let prev_start = start - prev.len();
                if let Some(glued) = text.get(prev_start..end) {
                    *prev = glued;
                }
            }
            _ => out.push(piece),
        }
        start = end;
    }
    out
}

/// Where clreq allows a break that UAX #14 does not: before `“` or `‘`
/// and after `”` or `’`, with a Han character on both sides.
fn quote_breaks(text: &str) -> Vec<usize> {
    let mut breaks = Vec::new();
    for (at, quote) in text.match_indices(['“', '‘', '”', '’']) {
        let after = at + quote.len();
        let before = text[..at].chars().next_back();
        let next = text[after..].chars().next();
        if before.is_some_and(is_han) && next.is_some_and(is_han) {
            breaks.push(if matches!(quote, "“" | "‘") {
                at
            } else {
                after
            });
        }
    }
    breaks
}

/// Two ascending lists of offsets as one, each offset once.
fn merged(a: &[usize], b: &[usize]) -> Vec<usize> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        let next = match (a.get(i), b.get(j)) {
            (Some(&x), Some(&y)) if x <= y => {
                i += 1;
                j += usize::from(x == y);
                x
            }
            (_, Some(&y)) => {
                j += 1;
                y
            }
            (Some(&x), None) => {
                i += 1;
                x
            }
            (None, None) => break,
        };
        out.push(next);
    }
    out
}

/// Lines being filled.
struct Filler {
    /// No character may pass this column.
    width: usize,
    /// No character but a closing mark may pass this column: the width,
    /// less the hanging margin when there is one.
    measure: usize,
    edge: Edge,
    ambiguous: u8,
    lines: Vec<String>,
    line: String,
    used: usize,
    has_content: bool,
}

impl Filler {
    /// Whether `word` (no trailing spaces) fits on the line: the closing
    /// marks it ends with within the width, the rest within the measure.
    fn fits(&self, word: &str, w: usize) -> bool {
        if self.used + w <= self.measure {
            return true;
        }
        if self.used + w > self.width {
            return false;
        }
        let body = word.trim_end_matches(hangs);
        self.used + str_width(body, self.ambiguous) <= self.measure
    }

    /// The last column a grapheme starting with `c` may reach.
    fn limit(&self, c: Option<char>) -> usize {
        if c.is_some_and(hangs) {
            self.width
        } else {
            self.measure
        }
    }

    /// Lays `atom` onto the lines.
    fn place(&mut self, mut atom: &str) {
        loop {
            let word = atom.trim_end_matches(' ');
            let w = str_width(word, self.ambiguous);
            if self.fits(word, w) {
                self.push(atom, w + (atom.len() - word.len()));
                return;
            }
            if !self.has_content {
                self.split(atom);
                return;
            }
            // A quote's break is taken where the line would end a cell
            // short; a number is broken only rather than leave a wide gap.
            let gap = self.measure.saturating_sub(self.used);
            if self.edge == Edge::Hanging
                && gap >= HANG
                && let Some(k) = self.last_inner_break(word, gap > GAP)
            {
                let (head, rest) = atom.split_at(k);
                self.push(head, str_width(head, self.ambiguous));
                self.break_line();
                atom = rest;
                continue;
            }
            self.break_line();
        }
    }

    /// The last place inside `word` where a filled line may break and the
    /// part before it still fits.
    fn last_inner_break(&self, word: &str, numbers: bool) -> Option<usize> {
        let mut best = None;
        let mut w = 0;
        for (k, g) in word.grapheme_indices(true) {
            if self.used + w > self.width {
                break;
            }
            if k > 0 && may_break_inside(word, k, numbers) && self.fits(&word[..k], w) {
                best = Some(k);
            }
            w += grapheme_width(g, self.ambiguous);
        }
        best
    }

    /// Appends an atom of width `w` (trailing spaces included).
    fn push(&mut self, atom: &str, w: usize) {
        // A continuation line does not start with the spaces at the break.
        let s = if self.has_content || self.lines.is_empty() {
            atom
        } else {
            atom.trim_start_matches(' ')
        };
        self.line.push_str(s);
        self.used += w - (atom.len() - s.len());
        self.has_content |= s.bytes().any(|b| b != b' ');
    }

    fn break_line(&mut self) {
        let trimmed = self.line.trim_end_matches(' ');
        self.lines.push(trimmed.to_owned());
        self.line.clear();
        self.used = 0;
        self.has_content = false;
    }

    /// An atom wider than a whole line: split between grapheme clusters.
    fn split(&mut self, atom: &str) {
        let ambiguous = self.ambiguous;
        // A cluster wider than the narrowest line (U+0601 U+0601 `{` is one
        // cluster of three columns) is cut between its characters.
        let mut graphemes: Vec<(&str, usize)> = Vec::new();
        for g in atom.graphemes(true) {
            let w = grapheme_width(g, ambiguous);
            if w <= MIN_WIDTH {
                graphemes.push((g, w));
            } else {
                graphemes.extend(
                    g.char_indices()
                        .map(|(i, c)| (&g[i..i + c.len_utf8()], char_width(c, ambiguous))),
                );
            }
        }
        // Spaces at a break vanish, so look past them on both sides.
        let good_break = |k: usize| {
            let before = graphemes[..k].iter().rev().find(|(g, _)| *g != " ");
            let after = graphemes[k..].iter().find(|(g, _)| *g != " ");
            let before = before.and_then(|(g, _)| g.chars().next_back());
            let after = after.and_then(|(g, _)| g.chars().next());
            !before.is_some_and(is_no_end)
                && !after.is_some_and(is_no_start)
                && !before.zip(after).is_some_and(|(b, a)| inseparable(b, a))
        };
        // Inside a number (`２０２３`, `３．５`): only where nothing else
        // fits.
        let in_number = |k: usize| {
            let char_at = |n: usize, last: bool| {
                let g = graphemes.get(n)?.0;
                if last {
                    g.chars().next_back()
                } else {
                    g.chars().next()
                }
            };
            let (Some(before), Some(after)) = (char_at(k - 1, true), char_at(k, false)) else {
                return false;
            };
            let earlier = k.checked_sub(2).and_then(|n| char_at(n, true));
            number_goes_on(earlier, before, after)
        };
        let mut start = 0;
        while start < graphemes.len() {
            let mut end = start;
            let mut used = self.used;
            while end < graphemes.len()
                && used + graphemes[end].1 <= self.limit(graphemes[end].0.chars().next())
            {
                used += graphemes[end].1;
                end += 1;
            }
            if end == graphemes.len() {
                self.push_graphemes(&graphemes[start..end]);
                return;
            }
            if end == start {
                if self.has_content {
                    self.break_line();
                    continue;
                }
                // Spaces the text starts with are not content either: where
                // they leave no room, they are spaces at a break and go.
                let spaces = self.line.len() - self.line.trim_end_matches(' ').len();
                if spaces > 0 {
                    self.line.truncate(self.line.len() - spaces);
                    self.used -= spaces.min(self.used);
                    continue;
                }
                // One grapheme wider than the line: it cannot be cut.
                end = start + 1;
            }
            let good = (start + 1..=end)
                .rev()
                .find(|&k| good_break(k) && !in_number(k))
                .or_else(|| (start + 1..=end).rev().find(|&k| good_break(k)));
            if good.is_none() && !self.has_content && self.used > 0 {
                // Only the indent stands on this line and the rules allow no
                // cut within its room: start the text on the next line.
                self.break_line();
                continue;
            }
            let cut = good.unwrap_or(end);
            self.push_graphemes(&graphemes[start..cut]);
            self.break_line();
            start = cut;
        }
    }

    fn push_graphemes(&mut self, graphemes: &[(&str, usize)]) {
        for &(g, w) in graphemes {
            if !self.has_content && !self.lines.is_empty() && g == " " {
                continue;
            }
            self.line.push_str(g);
            self.used += w;
            self.has_content |= g != " ";
        }
    }
}

/// Wraps `text` into lines of at most `width` columns (at least
/// [`MIN_WIDTH`]) with a ragged right edge: [`wrap_to`] with [`Edge::Ragged`].
pub fn wrap(text: &str, width: usize, indent: usize, ambiguous: u8) -> Vec<String> {
    wrap_to(text, width, indent, ambiguous, Edge::Ragged)
}

/// Wraps `text` into lines of at most `width` columns (at least
/// [`MIN_WIDTH`]), the right edge set as `edge` says. The first line starts
/// with `indent` ideographic spaces, fewer if the line is too narrow to hold
/// them and a character. Spaces at a line break are dropped; nothing else
/// is. A hanging margin is kept only where the rest of the line still holds
/// a double-width character.
pub fn wrap_to(text: &str, width: usize, indent: usize, ambiguous: u8, edge: Edge) -> Vec<String> {
    let width = width.max(MIN_WIDTH);
    let measure = match edge {
        Edge::Hanging if width >= MIN_WIDTH + HANG => width - HANG,
        _ => width,
    };
    let indent = indent.min((measure - MIN_WIDTH) / 2);
    // The indent is not content: a first atom too wide for the rest of the
    // line is split rather than leaving the indent alone on a line.
    let mut filler = Filler {
        width,
        measure,
        edge,
        ambiguous,
        lines: Vec::new(),
        line: std::iter::repeat_n(IDEOGRAPHIC_SPACE, indent).collect(),
        used: 2 * indent,
        has_content: false,
    };
    for atom in atoms(text) {
        filler.place(atom);
    }
    if filler.has_content || filler.lines.is_empty() {
        filler.break_line();
    }
    filler.lines
}

/// Wraps a head (kicker, headline, subtitle) as [`wrap`] does, but where
/// it does not fit on one line it is broken at its spaces first: a
/// headline's spaces part its phrases (`聚焦服务创新平台 积极申报争取省级科技项目`),
/// and a phrase is kept whole on a line when it fits on one, rather than
/// filling the line and leaving `目` alone on the next. A phrase wider
/// than the line is wrapped as text is.
pub fn wrap_head(text: &str, width: usize, ambiguous: u8) -> Vec<String> {
    let filled = wrap(text, width, 0, ambiguous);
    if filled.len() < 2 || !text.trim().contains(' ') {
        return filled;
    }
    let width = width.max(MIN_WIDTH);
    let mut lines = Vec::new();
    let mut line = String::new();
    for phrase in text.split(' ').filter(|p| !p.is_empty()) {
        let joined = if line.is_empty() {
            phrase.to_owned()
        } else {
            format!("{line} {phrase}")
        };
        if str_width(&joined, ambiguous) <= width {
            line = joined;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        let mut wrapped = wrap(phrase, width, 0, ambiguous);
        line = wrapped.pop().unwrap_or_default();
        lines.extend(wrapped);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    // Phrases kept whole may take more lines than filling did: then the
    // head is filled after all (a line more is worse than a word split).
    if lines.len() > filled.len() {
        return filled;
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_head_breaks_at_its_space_where_its_phrases_fit() {
        let head = "聚焦服务创新平台 积极申报争取省级科技项目";
        assert_eq!(
            wrap(head, 40, 0, 1),
            ["聚焦服务创新平台 积极申报争取省级科技项", "目"]
        );
        assert_eq!(
            wrap_head(head, 40, 1),
            ["聚焦服务创新平台", "积极申报争取省级科技项目"]
        );
        // On one line when it fits; a phrase wider than the line is
        // wrapped as text is; no more lines than filling takes.
        assert_eq!(wrap_head(head, 42, 1), [head]);
        assert_eq!(
            wrap_head(head, 16, 1),
            ["聚焦服务创新平台", "积极申报争取省级", "科技项目"]
        );
        assert_eq!(
            wrap_head("全面贯彻党的二十大精神 大力实施创新人才引育行动", 36, 1),
            ["全面贯彻党的二十大精神", "大力实施创新人才引育行动"]
        );
        let three = "甲乙丙丁 戊己庚辛壬癸子丑寅卯 辰巳午未申酉戌亥";
        for width in 8..=60 {
            let lines = wrap_head(three, width, 1);
            assert!(lines.len() <= wrap(three, width, 0, 1).len(), "{width}");
            for line in &lines {
                assert!(str_width(line, 1) <= width, "{width}: {line}");
            }
            assert_eq!(lines.concat().replace(' ', ""), three.replace(' ', ""));
        }
    }
    use rstest::rstest;

    fn atoms_of(text: &str) -> Vec<&str> {
        atoms(text)
    }

    #[test]
    fn leading_spaces_never_push_a_line_past_its_width() {
        // Found by fuzzing: "  h" at 2 columns came out 3 columns wide.
        for (text, width) in [("  h", 2), ("   h", 3), ("      hh", 6), ("  科技", 2)] {
            for line in wrap(text, width, 0, 1) {
                assert!(
                    str_width(&line, 1) <= width,
                    "{text:?} at {width}: {line:?}"
                );
            }
        }
        let spaced = format!("{}a", " ".repeat(44));
        for line in wrap(&spaced, 40, 3, 1) {
            assert!(str_width(&line, 1) <= 40, "{line:?}");
        }
        assert_eq!(wrap("  h", 2, 0, 1), vec!["h"]);
        assert_eq!(wrap("  h", 4, 0, 1), vec!["  h"]);
    }

    #[test]
    fn every_hanging_mark_is_one_no_line_starts_with() {
        let marks = "。，、；：？！）」』》】〕〉〗〙］｝”’,.;:?!)]}";
        for c in marks.chars() {
            assert!(hangs(c) && is_no_start(c), "{c}");
        }
        for c in "…‥·・—～％%".chars() {
            assert!(!hangs(c), "{c}");
        }
    }

    #[rstest]
    #[case::closing_comma("创新，发展", &["创", "新，", "发", "展"])]
    #[case::quote("“十四五”规划", &["“十", "四", "五”", "规", "划"])]
    #[case::ellipsis("滚滚……一项", &["滚", "滚……", "一", "项"])]
    #[case::dash("要求——做好", &["要", "求——", "做", "好"])]
    #[case::year("2023年是", &["2023年", "是"])]
    #[case::money("36亿元。", &["36亿元。"])]
    #[case::date("3月7日,驻", &["3月7日,", "驻"])]
    #[case::percent("增长3.5%以上", &["增", "长", "3.5%", "以", "上"])]
    #[case::latin_words("我用 ratatui 写", &["我", "用 ", "ratatui ", "写"])]
    #[case::url("见https://example.com/a/b.html页", &["见", "https://example.com/a/b.html", "页"])]
    #[case::code("贡献。⑤3", &["贡", "献。", "⑤3"])]
    #[case::middle_dot_after_space("日报 · 记者", &["日", "报 · ", "记", "者"])]
    fn kinsoku_atoms(#[case] text: &str, #[case] want: &[&str]) {
        assert_eq!(atoms_of(text), want);
        assert_eq!(atoms_of(text).concat(), text);
    }
}
