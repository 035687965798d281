//! The characters the page parser looks at: padding, closing punctuation,
//! sentence ends, and a cheap "longer than" for text of any size. Every
//! other part of the parser uses these; this module uses none of them.

/// Whitespace that pads page text: ASCII, NBSP, ideographic space and the
/// zero-width no-break space (a stray BOM).
pub fn is_pad(c: char) -> bool {
    matches!(
        c,
        ' ' | '\t' | '\u{a0}' | '\u{3000}' | '\u{feff}' | '\u{c}' | '\u{b}'
    )
}

/// Whether `text` has more than `n` characters, without counting them all
/// when the byte length already tells (a character takes 1 to 4 bytes).
pub fn more_chars_than(text: &str, n: usize) -> bool {
    if text.len() <= n {
        return false;
    }
    text.len() > 4 * n || text.chars().nth(n).is_some()
}

/// Punctuation that can end a paragraph; anything else means the printed
/// column cut it mid-sentence.
pub fn ends_sentence(text: &str) -> bool {
    text.ends_with([
        '。', '！', '？', '!', '?', '…', '”', '’', '」', '』', '）', ')', '》', '】', '：', ':',
        '；', ';', '.', '—',
    ])
}

/// Closing punctuation, which never starts a line (避头): a line that does
/// starts in the middle of a sentence.
pub fn is_closing(c: char) -> bool {
    matches!(
        c,
        '，' | '。'
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
            | ','
            | '.'
            | ';'
            | ':'
            | '?'
            | '!'
            | ')'
            | ']'
            | '%'
            | '％'
    )
}
