//! Find in the open article: the matches of what was typed (or of the
//! archive search's terms, when the article was opened from its hits) in
//! the article's laid-out lines.
//!
//! Matching folds case and full-width forms as the search does, and runs
//! over each block's lines joined, so that a term wrapped across two lines
//! is found; a match is then one span per line it covers.

use crate::index::grams::fold;
use crate::typeset::Line;

/// A part of a match on one line: characters `start..end` of line `line`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub line: usize,
    pub start: usize,
    pub end: usize,
}

/// A find and its matches in the lines it was last run over.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Find {
    /// What was typed after `/`.
    pub typed: String,
    /// Terms to find as well as the typed text: the archive search's, when
    /// the article was opened from its hits.
    pub terms: Vec<String>,
    /// Each match's spans, in reading order.
    pub matches: Vec<Vec<Span>>,
    /// The match moved to last with `n`/`N`.
    pub current: usize,
    /// The reader's top line when `/` started the find: matches are looked
    /// for from there as the text is typed, and the view goes back there
    /// when nothing matches or the typing is cancelled.
    pub origin: Option<usize>,
}

impl Find {
    /// A find of the archive search's `terms`.
    pub fn of_terms(terms: Vec<String>) -> Find {
        Find {
            terms,
            ..Find::default()
        }
    }

    /// The folded terms looked for.
    fn needles(&self) -> Vec<Vec<char>> {
        let typed = self.typed.trim();
        std::iter::once(typed)
            .filter(|t| !t.is_empty())
            .chain(self.terms.iter().map(String::as_str))
            .map(|t| t.chars().map(fold).collect::<Vec<char>>())
            .filter(|t| !t.is_empty())
            .collect()
    }

    /// Whether there is anything to find.
    pub fn is_empty(&self) -> bool {
        self.needles().is_empty()
    }

    /// Finds the terms in `lines`, keeping the current match where it can.
    pub fn run(&mut self, lines: &[Line]) {
        let needles = self.needles();
        self.matches.clear();
        let mut at = 0;
        while at < lines.len() {
            let block = lines[at].block;
            let end = lines[at..]
                .iter()
                .position(|l| l.block != block)
                .map_or(lines.len(), |n| at + n);
            find_in_block(&lines[at..end], at, &needles, &mut self.matches);
            at = end;
        }
        self.matches
            .sort_by_key(|m| m.first().map(|s| (s.line, s.start)));
        self.matches.dedup();
        self.current = self.current.min(self.matches.len().saturating_sub(1));
    }

    /// The first line of match `n`.
    pub fn line_of(&self, n: usize) -> Option<usize> {
        self.matches.get(n).and_then(|m| m.first()).map(|s| s.line)
    }

    /// The first match at or after line `line`, else the first.
    pub fn from_line(&self, line: usize) -> usize {
        self.matches
            .iter()
            .position(|m| m.first().is_some_and(|s| s.line >= line))
            .unwrap_or(0)
    }

    /// The spans on line `line`, each with whether it is of the current
    /// match.
    pub fn spans_on(&self, line: usize) -> Vec<(usize, usize, bool)> {
        let mut out = Vec::new();
        for (n, m) in self.matches.iter().enumerate() {
            for s in m.iter().filter(|s| s.line == line) {
                out.push((s.start, s.end, n == self.current));
            }
        }
        out
    }
}

/// Finds `needles` in one block's `lines` (the first is line `first`).
fn find_in_block(lines: &[Line], first: usize, needles: &[Vec<char>], out: &mut Vec<Vec<Span>>) {
    // The block's text joined, each character with its line and place.
    let mut text: Vec<char> = Vec::new();
    let mut origin: Vec<(usize, usize)> = Vec::new();
    for (n, line) in lines.iter().enumerate() {
        for (i, c) in line.text.chars().enumerate() {
            text.push(fold(c));
            origin.push((first + n, i));
        }
    }
    for needle in needles {
        if needle.len() > text.len() {
            continue;
        }
        let mut i = 0;
        while i + needle.len() <= text.len() {
            if text[i..i + needle.len()] != needle[..] {
                i += 1;
                continue;
            }
            let mut spans: Vec<Span> = Vec::new();
            for &(line, place) in &origin[i..i + needle.len()] {
                match spans.last_mut() {
                    Some(s) if s.line == line && s.end == place => s.end = place + 1,
                    _ => spans.push(Span {
                        line,
                        start: place,
                        end: place + 1,
                    }),
                }
            }
            out.push(spans);
            i += needle.len();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::typeset::Role;

    fn lines(texts: &[(&str, usize)]) -> Vec<Line> {
        texts
            .iter()
            .map(|&(text, block)| Line {
                role: Role::Body,
                text: text.to_owned(),
                block,
            })
            .collect()
    }

    #[test]
    fn a_term_wrapped_across_lines_is_one_match_of_two_spans() {
        let lines = lines(&[("　　国家科技创", 0), ("新平台建设", 0), ("创新", 1)]);
        let mut find = Find {
            typed: "创新".to_owned(),
            ..Find::default()
        };
        find.run(&lines);
        assert_eq!(find.matches.len(), 2);
        assert_eq!(
            find.matches[0],
            [
                Span {
                    line: 0,
                    start: 6,
                    end: 7
                },
                Span {
                    line: 1,
                    start: 0,
                    end: 1
                }
            ]
        );
        assert_eq!(find.line_of(1), Some(2));
        assert_eq!(find.spans_on(1), [(0, 1, true)]);
    }

    #[test]
    fn case_and_full_width_fold_and_blocks_do_not_join() {
        let lines = lines(&[("ＧＤＰ增长", 0), ("g", 1), ("dp", 2)]);
        let mut find = Find {
            typed: "gdp".to_owned(),
            ..Find::default()
        };
        find.run(&lines);
        assert_eq!(find.matches.len(), 1);
        assert_eq!(find.from_line(1), 0, "none after: the first");
    }
}
