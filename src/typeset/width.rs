//! Display width: how many terminal columns text takes.
//!
//! Width is measured per grapheme cluster, the way ratatui draws it, so that
//! a line measured here is the line drawn there. East Asian *ambiguous*
//! characters (`“ ” … ⑤ · —`) take one column or two, as configured.

use unicode_segmentation::UnicodeSegmentation;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Display width of a character, ambiguous ones counted as `ambiguous`.
pub fn char_width(c: char, ambiguous: u8) -> usize {
    let w = if ambiguous >= 2 {
        c.width_cjk()
    } else {
        c.width()
    };
    w.unwrap_or(0)
}

/// Display width of one grapheme cluster.
pub fn grapheme_width(g: &str, ambiguous: u8) -> usize {
    let mut chars = g.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) => char_width(c, ambiguous),
        // `\r\n` is one cluster, which unicode-width gives a column; like
        // every control character it takes none here, as outside a cluster.
        _ if g.chars().any(char::is_control) => g
            .chars()
            .filter(|c| !c.is_control())
            .map(|c| char_width(c, ambiguous))
            .sum(),
        _ if ambiguous >= 2 => g.width_cjk(),
        _ => g.width(),
    }
}

/// Characters whose width depends on their neighbours, besides the
/// zero-width ones (joiners, variation selectors, combining marks): regional
/// indicators and emoji modifiers.
fn joins_neighbours(c: char) -> bool {
    matches!(c, '\u{1f1e6}'..='\u{1f1ff}' | '\u{1f3fb}'..='\u{1f3ff}')
}

/// Display width of text: the sum of its grapheme clusters' widths.
pub fn str_width(text: &str, ambiguous: u8) -> usize {
    if text.is_ascii() {
        return text.bytes().filter(|b| (0x20..0x7f).contains(b)).count();
    }
    let mut total = 0;
    for c in text.chars() {
        let w = char_width(c, ambiguous);
        if (w == 0 && c >= '\u{300}') || joins_neighbours(c) {
            return text
                .graphemes(true)
                .map(|g| grapheme_width(g, ambiguous))
                .sum();
        }
        total += w;
    }
    total
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

/// `text` cut to fit `width` columns at a word's end, with `…`: never
/// inside a Latin word or a number (a break falls at a space, or beside a
/// wide character, which stands alone). A single word wider than `width`
/// is cut as [`truncate`] cuts.
pub fn cut_words(text: &str, width: usize, ambiguous: u8) -> String {
    if str_width(text, ambiguous) <= width {
        return text.to_owned();
    }
    let budget = width.saturating_sub(char_width('…', ambiguous));
    let graphemes: Vec<&str> = text.graphemes(true).collect();
    let wide = |g: &str| grapheme_width(g, ambiguous) >= 2;
    let space = |g: &str| g.chars().all(char::is_whitespace);
    let (mut used, mut end, mut bytes) = (0, 0, 0);
    for (n, g) in graphemes.iter().enumerate() {
        let w = grapheme_width(g, ambiguous);
        if used + w > budget {
            break;
        }
        used += w;
        bytes += g.len();
        let next = graphemes.get(n + 1).copied();
        if space(g) || wide(g) || next.is_some_and(|g| space(g) || wide(g)) {
            end = bytes;
        }
    }
    if end == 0 {
        return truncate(text, width, ambiguous);
    }
    format!("{}…", text[..end].trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case::fits("marked read", 20, "marked read")]
    #[case::at_a_space("cannot open link: permission denied", 24, "cannot open link:…")]
    #[case::beside_han("已读 23 篇 要闻", 9, "已读 23…")]
    #[case::never_inside_a_number("marked 12345 read", 12, "marked…")]
    #[case::one_long_word("supercalifragilistic", 8, "superca…")]
    fn cut_words_ends_at_a_word(#[case] text: &str, #[case] width: usize, #[case] cut: &str) {
        assert_eq!(cut_words(text, width, 1), cut);
        assert!(str_width(&cut_words(text, width, 1), 1) <= width);
    }

    #[rstest]
    #[case::ascii("ratatui", 1, 7)]
    #[case::han("看报", 1, 4)]
    #[case::ambiguous_narrow("“…”", 1, 3)]
    #[case::ambiguous_wide("“…”", 2, 6)]
    #[case::circled_code("⑤3", 2, 3)]
    #[case::combining("e\u{301}", 1, 1)]
    #[case::zwj_family("👨\u{200d}👩\u{200d}👧", 1, 2)]
    #[case::flag("🇨🇳", 1, 2)]
    #[case::crlf_in_a_cluster_walk("\u{61c}a\r\nb", 1, 2)]
    #[case::crlf("a\r\nb", 1, 2)]
    #[case::ideographic_space("\u{3000}\u{3000}", 1, 4)]
    fn widths(#[case] text: &str, #[case] ambiguous: u8, #[case] want: usize) {
        assert_eq!(str_width(text, ambiguous), want);
    }

    #[rstest]
    #[case::fits("标题", 10, "标题")]
    #[case::cut("奋力建设区域创新高地", 9, "奋力建设…")]
    #[case::odd_edge("奋力建设区域创新高地", 8, "奋力建…")]
    #[case::latin("ratatui rocks", 8, "ratatui…")]
    #[case::cluster_kept_whole("ab👨\u{200d}👩\u{200d}👧cd", 4, "ab…")]
    #[case::zero("标题", 0, "")]
    fn truncation(#[case] text: &str, #[case] width: usize, #[case] want: &str) {
        assert_eq!(truncate(text, width, 1), want);
        assert!(str_width(&truncate(text, width, 1), 1) <= width);
    }
}
