//! CJK typesetting: text in, lines that fit a width out.
//!
//! Stored text is first made safe ([`sanitize`]: no control characters or
//! escape sequences reach a terminal), then shown with full-width
//! punctuation where it sits in Chinese text ([`display_punctuation`]), then
//! wrapped ([`wrap`]) at the break opportunities of Unicode UAX #14 (from
//! textwrap) tightened by the Chinese 避头尾 rules: no line starts with
//! closing punctuation, none ends with opening punctuation, `……`, `——` and
//! numbers with their units stay whole. When the rules cannot be met the
//! width wins: no line is ever wider than asked, and no character is lost.
//! [`layout`] puts an article's parts into role-tagged lines for printing
//! and, later, colouring. Nothing here does terminal I/O.

use std::borrow::Cow;

use textwrap::WordSeparator;
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use crate::config::TextOptions;
use crate::model::Article;
pub use crate::sanitize::sanitize;

/// What a laid-out line is, so that a view can style it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Kicker,
    Title,
    Subtitle,
    Meta,
    Column,
    Body,
    CaptionHeading,
    Caption,
    Blank,
}

/// One laid-out line: never wider than the width it was laid out for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub role: Role,
    pub text: String,
}

/// The ideographic space that indents paragraphs.
pub const IDEOGRAPHIC_SPACE: char = '\u{3000}';

// ─────────────────────────── punctuation ───────────────────────────

/// True for characters of Chinese, Japanese or Korean text, punctuation
/// included.
pub fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{2e80}'..='\u{2fff}'   // radicals
        | '\u{3000}'..='\u{303f}' // CJK punctuation
        | '\u{3040}'..='\u{30ff}' // kana
        | '\u{3100}'..='\u{31ff}'
        | '\u{3400}'..='\u{4dbf}'
        | '\u{4e00}'..='\u{9fff}'
        | '\u{ac00}'..='\u{d7af}' // hangul
        | '\u{f900}'..='\u{faff}'
        | '\u{ff00}'..='\u{ffef}' // full-width forms
        | '\u{20000}'..='\u{3134f}'
        | '“' | '”' | '‘' | '’' | '…' | '—')
}

fn fullwidth(c: char) -> Option<char> {
    Some(match c {
        ',' => '，',
        ';' => '；',
        ':' => '：',
        '?' => '？',
        '!' => '！',
        '(' => '（',
        ')' => '）',
        _ => return None,
    })
}

/// Half-width `, ; : ? ! ( )` next to Chinese text shown full-width; Latin
/// and numeric contexts (`3,000`, `12:30`, `iPhone 15, …`) stay as they are.
pub fn display_punctuation(text: &str) -> Cow<'_, str> {
    if !text.contains([',', ';', ':', '?', '!', '(', ')']) {
        return Cow::Borrowed(text);
    }
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + 8);
    for (i, &c) in chars.iter().enumerate() {
        let prev = i.checked_sub(1).and_then(|p| chars.get(p)).copied();
        let next = chars.get(i + 1).copied();
        let near_cjk = match c {
            '(' => next.is_some_and(is_cjk) || prev.is_some_and(is_cjk),
            ')' => prev.is_some_and(is_cjk) || next.is_some_and(is_cjk),
            _ => {
                let between_digits = prev.is_some_and(|p| p.is_ascii_digit())
                    && next.is_some_and(|n| n.is_ascii_digit());
                prev.is_some_and(is_cjk) && !between_digits
            }
        };
        match fullwidth(c) {
            Some(full) if near_cjk => out.push(full),
            _ => out.push(c),
        }
    }
    Cow::Owned(out)
}

// ───────────────────────────── width ─────────────────────────────

/// Display width of a character, ambiguous ones counted as `ambiguous`.
pub fn char_width(c: char, ambiguous: u8) -> usize {
    let w = if ambiguous >= 2 {
        c.width_cjk()
    } else {
        c.width()
    };
    w.unwrap_or(0)
}

/// Display width of text, ambiguous characters counted as `ambiguous`.
pub fn str_width(text: &str, ambiguous: u8) -> usize {
    if ambiguous >= 2 {
        text.width_cjk()
    } else {
        text.width()
    }
}

fn grapheme_width(g: &str, ambiguous: u8) -> usize {
    match g.chars().next() {
        Some(c) if g.len() == c.len_utf8() => char_width(c, ambiguous),
        _ => str_width(g, ambiguous),
    }
}

// ───────────────────────────── wrapping ─────────────────────────────

/// No line may start with these (避头).
fn is_no_start(c: char) -> bool {
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
            | '”'
            | '’'
            | '…'
            | '‥'
            | '·'
            | '—'
            | '～'
            | '〗'
            | '〙'
            | '｝'
            | '］'
            | ','
            | '.'
            | ';'
            | ':'
            | '?'
            | '!'
            | ')'
            | ']'
            | '}'
            | '％'
            | '%'
    )
}

/// No line may end with these (避尾).
fn is_no_end(c: char) -> bool {
    matches!(
        c,
        '（' | '「'
            | '『'
            | '《'
            | '【'
            | '〔'
            | '〈'
            | '“'
            | '‘'
            | '〖'
            | '〘'
            | '［'
            | '｛'
            | '('
            | '['
            | '{'
    )
}

/// Characters that measure a number: `2023年`, `36亿元`, `14个`.
fn is_unit(c: char) -> bool {
    "年月日号时分秒亿万千百元角个名项家所座人次倍岁户条件台辆米吨斤亩天周届期批篇位种类份余多"
        .contains(c)
}

/// Units of text that must not be split: UAX #14 words glued by the
/// kinsoku rules. Each holds its trailing whitespace.
fn atoms(text: &str) -> Vec<&str> {
    let mut out: Vec<&str> = Vec::new();
    let base = text.as_ptr() as usize;
    let start_of = |w: &str| w.as_ptr() as usize - base;
    let mut last_end = 0;
    for word in WordSeparator::UnicodeBreakProperties.find_words(text) {
        let start = start_of(word.word);
        let end = start + word.word.len() + word.whitespace.len();
        // textwrap drops nothing, but guard the slice anyway.
        let Some(piece) = text.get(last_end.min(start)..end) else {
            continue;
        };
        last_end = end;
        if piece.is_empty() {
            continue;
        }
        match out.last_mut() {
            Some(prev) if must_glue(prev, piece) => {
                let prev_start = start_of(prev);
                if let Some(glued) = text.get(prev_start..end) {
                    *prev = glued;
                }
            }
            _ => out.push(piece),
        }
    }
    if last_end < text.len()
        && let Some(rest) = text.get(last_end..)
    {
        out.push(rest);
    }
    out
}

/// Whether no line break may fall between `prev` and `next`.
fn must_glue(prev: &str, next: &str) -> bool {
    let (Some(last), Some(first)) = (prev.chars().next_back(), next.chars().next()) else {
        return false;
    };
    if last.is_whitespace() {
        return false;
    }
    if is_no_start(first) || is_no_end(last) {
        return true;
    }
    if (last == '…' && first == '…') || (last == '—' && first == '—') {
        return true;
    }
    if is_unit(first) {
        // The unit belongs to the number before it: `2023年`, `36亿元`.
        let tail = prev.trim_end_matches(is_unit);
        return tail.ends_with(|c: char| c.is_ascii_digit()) && prev.len() - tail.len() < 9;
    }
    false
}

/// Wraps `text` into lines of at most `width` columns. The first line gets
/// `indent` ideographic spaces. Whitespace at a line break is dropped.
pub fn wrap(text: &str, width: usize, indent: usize, ambiguous: u8) -> Vec<String> {
    let width = width.max(1);
    let indent = indent.min(width.saturating_sub(2) / 2);
    let mut lines = Vec::new();
    let mut line: String = std::iter::repeat_n(IDEOGRAPHIC_SPACE, indent).collect();
    let mut used = 2 * indent;
    let mut has_content = false;
    for atom in atoms(text) {
        let word_width = str_width(atom.trim_end(), ambiguous);
        if used + word_width > width && has_content {
            finish_line(&mut lines, &mut line);
            used = 0;
            has_content = false;
        }
        if used + word_width <= width {
            let atom = if used == 0 { atom.trim_start() } else { atom };
            line.push_str(atom);
            used += str_width(atom, ambiguous);
            has_content |= !atom.trim().is_empty();
            continue;
        }
        // Longer than a line: the width wins, grapheme by grapheme.
        for g in atom.graphemes(true) {
            let w = grapheme_width(g, ambiguous);
            if used + w > width && has_content {
                finish_line(&mut lines, &mut line);
                used = 0;
                has_content = false;
            }
            if used == 0 && g.trim().is_empty() {
                continue;
            }
            line.push_str(g);
            used += w;
            has_content |= !g.trim().is_empty();
        }
    }
    if has_content || lines.is_empty() {
        finish_line(&mut lines, &mut line);
    }
    lines
}

fn finish_line(lines: &mut Vec<String>, line: &mut String) {
    let trimmed = line.trim_end_matches(|c: char| c.is_whitespace() && c != IDEOGRAPHIC_SPACE);
    lines.push(trimmed.to_owned());
    line.clear();
}

/// Cuts `text` to at most `width` columns, ending with `…` when cut; never
/// inside a double-width character or a grapheme cluster.
pub fn truncate(text: &str, width: usize, ambiguous: u8) -> String {
    if str_width(text, ambiguous) <= width {
        return text.to_owned();
    }
    let ellipsis = char_width('…', ambiguous);
    let budget = width.saturating_sub(ellipsis);
    let mut out = String::new();
    let mut used = 0;
    for g in text.graphemes(true) {
        let w = grapheme_width(g, ambiguous);
        if used + w > budget {
            break;
        }
        out.push_str(g);
        used += w;
    }
    if width >= ellipsis {
        out.push('…');
    }
    out
}

// ───────────────────────────── layout ─────────────────────────────

/// Where an article comes from, for its meta line.
#[derive(Debug, Clone, Copy, Default)]
pub struct Context<'a> {
    /// The feed's title, e.g. 驻马店日报.
    pub feed_title: Option<&'a str>,
}

/// Lays an article out at `width` columns: head block, meta line, column,
/// body paragraphs, then the numbered photo captions.
pub fn layout(
    article: &Article,
    context: Context<'_>,
    width: usize,
    text: &TextOptions,
) -> Vec<Line> {
    let amb = text.ambiguous_width;
    let shown = |s: &str| -> String {
        let safe = sanitize(s);
        if text.fullwidth_punctuation {
            display_punctuation(&safe).into_owned()
        } else {
            safe.into_owned()
        }
    };
    let mut out = Vec::new();
    let add = |out: &mut Vec<Line>, role: Role, s: &str, indent: usize| {
        for t in wrap(&shown(s), width, indent, amb) {
            out.push(Line { role, text: t });
        }
    };
    if let Some(k) = &article.kicker {
        add(&mut out, Role::Kicker, k, 0);
    }
    add(
        &mut out,
        Role::Title,
        article.display_title_or_untitled(),
        0,
    );
    if let Some(s) = &article.subtitle {
        add(&mut out, Role::Subtitle, s, 0);
    }
    let meta = meta_line(article, context);
    if !meta.is_empty() {
        add(&mut out, Role::Meta, &meta, 0);
    }
    if let Some(c) = &article.column {
        add(&mut out, Role::Column, &format!("【{c}】"), 0);
    }
    if !article.paragraphs.is_empty() {
        out.push(blank());
    }
    for p in &article.paragraphs {
        add(&mut out, Role::Body, p, usize::from(text.indent));
    }
    if !article.photos.is_empty() {
        out.push(blank());
        add(&mut out, Role::CaptionHeading, "图片说明", 0);
        for (n, photo) in article.photos.iter().enumerate() {
            let mut caption = format!("图{} {}", n + 1, photo.caption);
            if let Some(code) = &photo.code {
                caption.push(' ');
                caption.push_str(code);
            }
            if let Some(credit) = &photo.credit {
                caption.push_str("  ");
                caption.push_str(credit);
            }
            add(&mut out, Role::Caption, &caption, 0);
        }
    }
    out
}

fn blank() -> Line {
    Line {
        role: Role::Blank,
        text: String::new(),
    }
}

/// `驻马店日报 · 2023-03-08 · 第05版 科教 · 记者 黄育南 · ⑤3`
pub fn meta_line(article: &Article, context: Context<'_>) -> String {
    let page = match (&article.page, &article.section) {
        (Some(p), Some(s)) => Some(format!("第{p}版 {s}")),
        (Some(p), None) => Some(format!("第{p}版")),
        (None, Some(s)) => Some(s.clone()),
        (None, None) => None,
    };
    [
        context.feed_title.map(str::to_owned),
        article.date.clone(),
        page,
        article.byline.as_ref().map(|b| b.text.clone()),
        article.editor_code.clone(),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" · ")
}

impl Article {
    /// The headline, or `(无标题)` plus the start of the text for pieces the
    /// page printed without one.
    pub fn display_title_or_untitled(&self) -> &str {
        match &self.title {
            Some(t) => t,
            None => "（无标题）",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    fn widths(lines: &[String]) -> Vec<usize> {
        lines.iter().map(|l| str_width(l, 1)).collect()
    }

    #[rstest]
    #[case::comma_after_han("3月7日,驻马店", "3月7日，驻马店")]
    #[case::parens("本报讯(记者 黄育南)3月", "本报讯（记者 黄育南）3月")]
    #[case::thousands("3,000人", "3,000人")]
    #[case::latin("iPhone 15, 很好", "iPhone 15, 很好")]
    #[case::time("12:30开会", "12:30开会")]
    fn punctuation(#[case] input: &str, #[case] want: &str) {
        assert_eq!(display_punctuation(input), want);
    }

    #[rstest]
    #[case::w41(41)]
    #[case::w13(13)]
    #[case::w20(20)]
    #[case::w80(80)]
    fn lines_fit_and_keep_every_character(#[case] width: usize) {
        let text = "会议要求，2023年是党的二十大开局之年，是实施“十四五”规划的关键之年……做好今年的工作事关长远、意义重大。技术合同成交额36亿元。";
        let lines = wrap(text, width, 2, 1);
        assert!(widths(&lines).iter().all(|w| *w <= width), "{lines:?}");
        let joined: String = lines.concat();
        assert_eq!(joined.trim_start_matches(IDEOGRAPHIC_SPACE), text);
        assert!(lines[0].starts_with("\u{3000}\u{3000}"));
        for l in &lines[1..] {
            assert!(!l.starts_with(is_no_start), "{l}");
        }
        for l in &lines {
            assert!(!l.ends_with(is_no_end), "{l}");
        }
    }

    #[test]
    fn numbers_keep_their_units() {
        let lines = wrap("甲乙丙丁戊己2023年庚辛", 16, 0, 1);
        assert!(lines.iter().any(|l| l.contains("2023年")), "{lines:?}");
    }

    #[rstest]
    #[case::fits("标题", 10, "标题")]
    #[case::cut("奋力建设区域创新高地", 9, "奋力建设…")]
    #[case::odd_edge("奋力建设区域创新高地", 8, "奋力建…")]
    #[case::zero("标题", 0, "")]
    fn truncation(#[case] text: &str, #[case] width: usize, #[case] want: &str) {
        assert_eq!(truncate(text, width, 1), want);
    }
}
