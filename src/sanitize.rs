//! Terminal safety: stored text is never sent to a terminal as it is.
//!
//! Pages and feeds come from strangers. Control characters, ANSI escape
//! sequences (CSI, OSC, DCS …), C1 controls and bidirectional overrides are
//! removed here before text is measured, parsed or printed, so that nothing
//! stored can move the cursor, retitle the window or write the clipboard.

use std::borrow::Cow;

/// Removes what could change a terminal's state: C0 and C1 controls, ANSI
/// CSI/OSC/DCS escape sequences, bidirectional overrides. Tabs become four
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
    let is_unsafe = |c: char| is_unsafe(c) && !(keep_lines && matches!(c, '\n' | '\r'));
    if !text.chars().any(is_unsafe) {
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

fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{61c}' | '\u{feff}')
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
    #[case::tab("a\tb", "a    b")]
    #[case::cr("a\rb", "a b")]
    #[case::clean("干净的文字", "干净的文字")]
    fn sanitizing(#[case] input: &str, #[case] want: &str) {
        assert_eq!(sanitize(input), want);
    }

    #[test]
    fn line_ends_can_be_kept() {
        assert_eq!(sanitize_keeping_lines("甲\x1b[2J\r\n乙\n"), "甲\r\n乙\n");
    }
}
