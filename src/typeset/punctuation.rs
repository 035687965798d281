//! Punctuation display: half-width marks in Chinese text shown full-width.
//!
//! Extracted page text often has `,` `;` `(` `)` where the printed page had
//! `，` `；` `（` `）`. The stored text keeps them; the reader shows the
//! full-width forms where a mark sits in Chinese text, and leaves Latin and
//! numeric contexts (`3,000`, `12:30`, `iPhone 15, …`) alone.

use std::borrow::Cow;

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

/// Half-width `, ; : ? ! ( )` next to Chinese text shown full-width.
///
/// `,;:?!` follow a CJK character (and do not sit between two digits);
/// `(` touches CJK on either side; `)` takes the form of its `(`, or, when
/// it has none, touches CJK on either side. Pairs always match.
pub fn display_punctuation(text: &str) -> Cow<'_, str> {
    if !text.contains([',', ';', ':', '?', '!', '(', ')']) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    let mut prev: Option<char> = None;
    // For each open `(`: was it shown full-width?
    let mut open: Vec<bool> = Vec::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let next = chars.peek().copied();
        let shown = match fullwidth(c) {
            Some(wide) => {
                let full = match c {
                    '(' => {
                        let full = near_cjk(c, prev, next);
                        open.push(full);
                        full
                    }
                    ')' => open.pop().unwrap_or_else(|| near_cjk(c, prev, next)),
                    _ => near_cjk(c, prev, next),
                };
                if full { wide } else { c }
            }
            None => c,
        };
        out.push(shown);
        prev = Some(c);
    }
    Cow::Owned(out)
}

fn near_cjk(c: char, prev: Option<char>, next: Option<char>) -> bool {
    match c {
        '(' | ')' => prev.is_some_and(is_cjk) || next.is_some_and(is_cjk),
        _ => {
            let between_digits = prev.is_some_and(|p| p.is_ascii_digit())
                && next.is_some_and(|n| n.is_ascii_digit());
            prev.is_some_and(is_cjk) && !between_digits
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case::comma_after_han("3月7日,驻马店", "3月7日，驻马店")]
    #[case::semicolon("创新平台;壮大", "创新平台；壮大")]
    #[case::colon_question_bang("他说:好吗?好!", "他说：好吗？好！")]
    #[case::parens("本报讯(记者 黄育南)3月", "本报讯（记者 黄育南）3月")]
    #[case::parens_around_latin("中国(China)", "中国（China）")]
    #[case::latin_parens_before_han("(China)中国", "(China)中国")]
    #[case::nested("报道(记者(实习)张三)", "报道（记者（实习）张三）")]
    #[case::lone_close("完)", "完）")]
    #[case::thousands("3,000人", "3,000人")]
    #[case::decimal("增长3.5%", "增长3.5%")]
    #[case::latin("iPhone 15, 很好", "iPhone 15, 很好")]
    #[case::time("12:30开会", "12:30开会")]
    #[case::english_sentence("Hello, world (test)!", "Hello, world (test)!")]
    #[case::digits_after_han_then_comma("共23名,带动", "共23名，带动")]
    fn punctuation(#[case] input: &str, #[case] want: &str) {
        assert_eq!(display_punctuation(input), want);
    }

    #[test]
    fn untouched_text_is_borrowed() {
        assert!(matches!(
            display_punctuation("全角，标点。"),
            Cow::Borrowed(_)
        ));
    }
}
