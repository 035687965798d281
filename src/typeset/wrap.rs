//! Line breaking: UAX #14 break opportunities tightened by 避头尾 (kinsoku).
//!
//! textwrap finds the break opportunities of Unicode UAX #14. Between some
//! of them a break is still wrong in Chinese typesetting, so neighbouring
//! pieces are glued into *atoms* that are never split: closing punctuation
//! to what it closes, opening punctuation to what it opens, `……` and `——`
//! to themselves, a number to its unit (`2023年`, `36亿元`), and runs of
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

use textwrap::WordSeparator;
use unicode_segmentation::UnicodeSegmentation;

use super::width::{char_width, grapheme_width, str_width};

/// The ideographic space that indents paragraphs.
pub const IDEOGRAPHIC_SPACE: char = '\u{3000}';

/// The narrowest line: one double-width character must fit.
pub const MIN_WIDTH: usize = 2;

/// The widest gap a filled line may leave at its end when the next atom
/// can be broken inside: two full-width cells.
pub const GAP: usize = 4;

/// The hanging margin: one full-width cell.
const HANG: usize = 2;

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

/// No line may start with these (避头).
pub fn is_no_start(c: char) -> bool {
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
            | '…'
            | '‥'
            | '·'
            | '・'
            | '—'
            | '～'
            | '％'
            | ','
            | '.'
            | ';'
            | ':'
            | '?'
            | '!'
            | ')'
            | ']'
            | '}'
            | '%'
    )
}

/// No line may end with these (避尾).
pub fn is_no_end(c: char) -> bool {
    matches!(
        c,
        '（' | '「'
            | '『'
            | '《'
            | '【'
            | '〔'
            | '〈'
            | '〖'
            | '〘'
            | '［'
            | '｛'
            | '“'
            | '‘'
            | '('
            | '['
            | '{'
    )
}

/// Characters that measure a number: `2023年`, `36亿元`, `14个`.
fn is_unit(c: char) -> bool {
    matches!(
        c,
        '年' | '月'
            | '日'
            | '号'
            | '时'
            | '分'
            | '秒'
            | '亿'
            | '万'
            | '千'
            | '百'
            | '元'
            | '角'
            | '个'
            | '名'
            | '项'
            | '家'
            | '所'
            | '座'
            | '人'
            | '次'
            | '倍'
            | '岁'
            | '户'
            | '条'
            | '件'
            | '台'
            | '辆'
            | '米'
            | '吨'
            | '斤'
            | '亩'
            | '天'
            | '周'
            | '届'
            | '期'
            | '批'
            | '篇'
            | '位'
            | '种'
            | '类'
            | '份'
            | '余'
            | '多'
    )
}

/// ASCII that belongs to a word, number or URL (not space, not brackets
/// that open).
fn is_ascii_word(c: char) -> bool {
    c.is_ascii_graphic() && !matches!(c, '(' | '[' | '{')
}

/// Whether no line break may fall between `prev` and `next`.
fn must_glue(prev: &str, next: &str) -> bool {
    let Some(first) = next.chars().next() else {
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
    if (last == '…' && first == '…') || (last == '—' && first == '—') {
        return true;
    }
    if is_ascii_word(last) && is_ascii_word(first) {
        return true;
    }
    if is_unit(last) && first.is_ascii_digit() {
        // A date or a measure goes on: `3月` + `7日`.
        return prev
            .trim_end_matches(is_unit)
            .ends_with(|c: char| c.is_ascii_digit());
    }
    if (last.is_ascii_digit() || is_unit(last)) && is_unit(first) {
        // The unit belongs to the number before it: `2023年`, `36亿元`.
        let number = prev.trim_end_matches(is_unit);
        return number.ends_with(|c: char| c.is_ascii_digit()) && prev.len() - number.len() < 9;
    }
    false
}

/// Whether a filled line may break between `before` and `after`, two parts
/// of one atom. UAX #14 glues a quotation mark to both its neighbours, as
/// it cannot tell `“` from `”` apart; Chinese quotes open or close, so a
/// break after `”` `’` or before `“` `‘` is one where 避头尾 allows it.
/// With `numbers`, also between the measures of a compound (`3月` `7日`,
/// `36亿` `5000万元`) and between the digits of a number of five or more,
/// two digits kept on each side; never between a number and its unit.
fn may_break_inside(before: &str, after: &str, numbers: bool) -> bool {
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
    quote && !must_glue(before, after)
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
    for end in ends {
        let Some(piece) = text.get(start..end).filter(|p| !p.is_empty()) else {
            continue;
        };
        match out.last_mut() {
            Some(prev) if must_glue(prev, piece) => {
                let prev_start = end - piece.len() - prev.len();
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
            if k > 0
                && may_break_inside(&word[..k], &word[k..], numbers)
                && self.fits(&word[..k], w)
            {
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
            !before.is_some_and(is_no_end) && !after.is_some_and(is_no_start)
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
            let good = (start + 1..=end).rev().find(|&k| good_break(k));
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

#[cfg(test)]
mod tests {
    use super::*;
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
    #[case::quote("“十四五”规划", &["“十", "四", "五”规", "划"])]
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
