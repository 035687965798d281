//! Page layout: text → lines → blank-line blocks → pieces.
//!
//! A *piece* is one logical line of the page: a head line, a byline, or a
//! paragraph whose hard-wrapped lines were joined again. Pieces remember the
//! source lines they came from and how many blank lines stood before them,
//! because a wider gap separates larger units of the page.

use unicode_width::UnicodeWidthStr;

/// One logical line of the page, ready to be classified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    pub text: String,
    pub first_line: usize,
    pub last_line: usize,
    /// Blank lines before this piece (0 inside a block).
    pub gap: usize,
    /// The first line started with an indent (`　　`, spaces or a tab).
    pub indented: bool,
}

/// A non-blank source line with its padding removed.
#[derive(Debug)]
struct Line<'a> {
    number: usize,
    text: &'a str,
    indented: bool,
    /// Display width of the indent; the text's width is measured only for
    /// blocks of several lines, where hard wrapping is possible.
    indent_width: usize,
}

/// Whitespace that pads page text: ASCII, NBSP, ideographic space and the
/// zero-width no-break space (a stray BOM).
pub fn is_pad(c: char) -> bool {
    matches!(
        c,
        ' ' | '\t' | '\u{a0}' | '\u{3000}' | '\u{feff}' | '\u{c}' | '\u{b}'
    )
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
fn raw_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.split('\n')
        .flat_map(|l| l.strip_suffix('\r').unwrap_or(l).split('\r'))
        .enumerate()
        .map(|(i, l)| (i + 1, l))
}

fn line(number: usize, raw: &str) -> Option<Line<'_>> {
    let text = raw.trim_matches(is_pad);
    if text.is_empty() {
        return None;
    }
    let lead = &raw[..raw.len() - raw.trim_start_matches(is_pad).len()];
    let indent: usize = lead.chars().map(pad_width).sum();
    Some(Line {
        number,
        text,
        indented: indent >= 2,
        indent_width: indent,
    })
}

/// The pieces of a page, in order.
///
/// `is_standalone` tells which lines must stay on their own even when the
/// block looks hard-wrapped (bylines, captions, metadata …).
pub fn pieces(text: &str, is_standalone: impl Fn(&str) -> bool) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut block: Vec<Line<'_>> = Vec::new();
    let mut blanks = 0;
    let mut gap = 0;
    for (number, raw) in raw_lines(text) {
        match line(number, raw) {
            Some(l) => {
                if block.is_empty() {
                    gap = blanks;
                }
                blanks = 0;
                block.push(l);
            }
            None => {
                if !block.is_empty() {
                    split_block(&block, gap, &is_standalone, &mut out);
                    block.clear();
                }
                blanks += 1;
            }
        }
    }
    if !block.is_empty() {
        split_block(&block, gap, &is_standalone, &mut out);
    }
    out
}

/// Width a line may fall short of the column and still count as full: a
/// typesetter pushes a double-width character or a punctuation mark over.
const FULL_SLACK: usize = 2;

/// Punctuation that head lines do not carry: evidence that a full line is
/// part of a paragraph, not a kicker that happens to match a headline's width.
fn has_prose_punctuation(text: &str) -> bool {
    text.contains(['。', '，', '；', '：', '？', '！', '“', '”', ',', ';'])
}

/// Splits one block into pieces: indented lines start paragraphs, and lines
/// of a fixed column width (at least two full lines) are joined.
fn split_block(
    block: &[Line<'_>],
    gap: usize,
    is_standalone: &impl Fn(&str) -> bool,
    out: &mut Vec<Piece>,
) {
    if let [only] = block {
        out.push(Piece {
            text: only.text.to_owned(),
            first_line: only.number,
            last_line: only.number,
            gap,
            indented: only.indented,
        });
        return;
    }
    let widths: Vec<usize> = block
        .iter()
        .map(|l| l.indent_width + l.text.width())
        .collect();
    let column = widths.iter().copied().max().unwrap_or(0);
    let is_full = |i: usize| widths[i] + FULL_SLACK >= column;
    let hard_wrapped = (0..block.len()).filter(|&i| is_full(i)).count() >= 2;
    let indent_mode = block.iter().skip(1).any(|l| l.indented);

    let mut current: Option<Piece> = None;
    let mut prev: Option<&Line<'_>> = None;
    for (i, l) in block.iter().enumerate() {
        let continues = match (prev, current.as_ref()) {
            (Some(p), Some(piece)) => {
                hard_wrapped
                    && is_full(i - 1)
                    && (piece.indented || has_prose_punctuation(&piece.text))
                    && !(indent_mode && l.indented)
                    && !is_standalone(l.text)
                    && !is_standalone(p.text)
            }
            _ => false,
        };
        if continues {
            if let Some(piece) = current.as_mut() {
                piece.text.push_str(l.text);
                piece.last_line = l.number;
            }
        } else {
            if let Some(piece) = current.take() {
                out.push(piece);
            }
            current = Some(Piece {
                text: l.text.to_owned(),
                first_line: l.number,
                last_line: l.number,
                gap: if prev.is_none() { gap } else { 0 },
                indented: l.indented,
            });
        }
        prev = Some(l);
    }
    if let Some(piece) = current {
        out.push(piece);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str) -> Vec<(String, usize)> {
        pieces(text, |_| false)
            .into_iter()
            .map(|p| (p.text, p.gap))
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
            |_| false,
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
}
