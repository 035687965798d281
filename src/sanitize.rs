//! Terminal safety: stored text is never sent to a terminal as it is.
//!
//! Pages and feeds come from strangers. Control characters, ANSI escape
//! sequences (CSI, OSC, DCS …), C1 controls and bidirectional overrides are
//! removed here before text is measured, parsed or printed, so that nothing
//! stored can move the cursor, retitle the window or write the clipboard.
//! Zero-width spaces, joiners and the word joiner go too: terminals do not
//! agree on how wide a joined emoji sequence is, and a character of no
//! width that a terminal draws in a cell of its own shifts the rest of the
//! row. Without them every character has the width the layout counts.

use std::borrow::Cow;

/// Removes what could change a terminal's state or its idea of a row's
/// width: C0 and C1 controls, ANSI CSI/OSC/DCS escape sequences,
/// bidirectional overrides, zero-width spaces and joiners. Tabs become four
/// spaces; line ends become spaces.
pub fn sanitize(text: &str) -> Cow<'_, str> {
    clean(text, false)
}

/// Like [`sanitize`], but keeps line ends (LF, CR) as they are: for whole
/// files before they are split into lines.
pub fn sanitize_keeping_lines(text: &str) -> Cow<'_, str> {
    clean(text, true)
}

fn clean(text: &str, keep_lines: bool) -> Cow<'_, str> {
    if is_clean(text, keep_lines) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\t' => out.push_str("    "),
            '\n' | '\r' if keep_lines => out.push(c),
            '\n' | '\r' => out.push(' '),
            '\u{1b}' => skip_escape(&mut chars),
            '\u{9b}' => skip_csi(&mut chars),
            '\u{90}' | '\u{98}' | '\u{9d}' | '\u{9e}' | '\u{9f}' => skip_string(&mut chars),
            c if is_unsafe(c) => {}
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Fast check over bytes, equal to "no character is [`is_unsafe`]" (a test
/// checks every character): C0 and DEL bytes, C1 controls (`C2 80`…`C2 9F`),
/// U+061C (`D8 9C`), U+200B…F and U+202A…E (`E2 80 ..`), U+2060 and
/// U+2066…9 (`E2 81 A0`, `A6`…`A9`) and U+FEFF (`EF BB BF`).
fn is_clean(text: &str, keep_lines: bool) -> bool {
    let b = text.as_bytes();
    // Branch-free over (byte, next, next but one) so that it vectorises;
    // the last two bytes are checked with zero padding.
    let unsafe_at = |x: u8, y: u8, z: u8| -> bool {
        let line_end = (x == b'\n') | (x == b'\r');
        ((x < 0x20) & !(keep_lines & line_end))
            | (x == 0x7f)
            | ((x == 0xc2) & (0x80..=0x9f).contains(&y))
            | ((x == 0xd8) & (y == 0x9c))
            | ((x == 0xe2)
                & (((y == 0x80) & ((0x8b..=0x8f).contains(&z) | (0xaa..=0xae).contains(&z)))
                    | ((y == 0x81) & ((z == 0xa0) | (0xa6..=0xa9).contains(&z)))))
            | ((x == 0xef) & (y == 0xbb) & (z == 0xbf))
    };
    const CHUNK: usize = 64;
    let body = b.len().saturating_sub(2);
    let mut start = 0;
    while start < body {
        let end = (start + CHUNK).min(body);
        let found = b[start..end]
            .iter()
            .zip(&b[start + 1..end + 1])
            .zip(&b[start + 2..end + 2])
            .fold(false, |acc, ((&x, &y), &z)| acc | unsafe_at(x, y, z));
        if found {
            return false;
        }
        start = end;
    }
    let at = |i: usize| b.get(i).copied().unwrap_or(0);
    (body..b.len()).all(|i| !unsafe_at(at(i), at(i + 1), at(i + 2)))
}

fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200b}'..='\u{200f}' | '\u{2060}' | '\u{61c}' | '\u{feff}')
}

type Chars<'a> = std::iter::Peekable<std::str::Chars<'a>>;

/// After ESC: skips the rest of the sequence.
fn skip_escape(chars: &mut Chars<'_>) {
    match chars.next() {
        Some('[') => skip_csi(chars),
        Some(']' | 'P' | 'X' | '^' | '_') => skip_string(chars),
        // Two-character sequences (ESC c, ESC 7 …) and intermediates.
        Some(c) if (' '..='/').contains(&c) => {
            chars.next();
        }
        _ => {}
    }
}

/// Skips CSI parameters up to and including the final byte.
fn skip_csi(chars: &mut Chars<'_>) {
    for c in chars.by_ref() {
        if ('\u{40}'..='\u{7e}').contains(&c) {
            break;
        }
        if !('\u{20}'..='\u{3f}').contains(&c) {
            break;
        }
    }
}

/// Skips an OSC/DCS/SOS/PM/APC string up to BEL, ST (ESC \) or C1 ST.
fn skip_string(chars: &mut Chars<'_>) {
    while let Some(c) = chars.next() {
        match c {
            '\u{7}' | '\u{9c}' => break,
            '\u{1b}' => {
                if chars.peek() == Some(&'\\') {
                    chars.next();
                }
                break;
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case::csi("标题\u{1b}[2J正文", "标题正文")]
    #[case::osc_bel("a\u{1b}]0;title\u{7}b", "ab")]
    #[case::osc_st("a\u{1b}]52;c;Zm9v\u{1b}\\b", "ab")]
    #[case::c1_csi("a\u{9b}31mb", "ab")]
    #[case::bidi("a\u{202e}b", "ab")]
    #[case::joined_emoji("👨\u{200d}👩\u{200d}👧", "👨👩👧")]
    #[case::zero_width("甲\u{200b}乙\u{200c}丙\u{2060}丁", "甲乙丙丁")]
    #[case::tab("a\tb", "a    b")]
    #[case::cr("a\rb", "a b")]
    #[case::clean("干净的文字", "干净的文字")]
    fn sanitizing(#[case] input: &str, #[case] want: &str) {
        assert_eq!(sanitize(input), want);
    }

    #[test]
    fn byte_check_agrees_with_the_character_rule() {
        for c in ('\0'..='\u{3000}')
            .chain('\u{fe00}'..='\u{ffff}')
            .chain(['\u{1f600}'])
        {
            let s = c.to_string();
            assert_eq!(is_clean(&s, false), !is_unsafe(c), "{:?}", c);
        }
    }

    #[test]
    fn line_ends_can_be_kept() {
        assert_eq!(sanitize_keeping_lines("甲\x1b[2J\r\n乙\n"), "甲\r\n乙\n");
    }
}
