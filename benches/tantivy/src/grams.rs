//! kanbao's search keys as tantivy tokens.
//!
//! kanbao indexes every pair of neighbouring CJK characters (a bigram),
//! a CJK character standing alone (a unigram) and every Latin word or
//! number whole, after folding case and full-width forms
//! (`kanbao::index::grams`). tantivy's own `NgramTokenizer` cannot stand
//! in for that: it cuts the whole text, punctuation included, into
//! n-grams that all have position 0, so no phrase query can be built on
//! it. This tokenizer emits, for the character at position `p` of a CJK
//! run, its unigram and the bigram it starts, both at `p`; a word takes
//! one position; punctuation and spaces leave a gap, so no phrase
//! reaches across them. A query of one character is then one unigram
//! term, of two one bigram term, and of n > 2 a phrase of its n − 1
//! bigrams at consecutive positions, which matches exactly where the
//! characters are consecutive in a run, as kanbao's confirmed hits are.

use kanbao::index::grams::{is_cjk, normalize};
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

/// What a key is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// One CJK character; `alone` when its run is one character long.
    Unigram { alone: bool },
    /// Two neighbouring CJK characters.
    Bigram,
    /// A Latin word or number, whole.
    Word,
}

/// A character of a Latin (or other spaced script) word or number, as
/// kanbao's `grams::is_word` decides it (private there, so repeated).
fn is_word(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    !is_cjk(c) && !is_caseless_symbol(c) && c.is_alphanumeric()
}

/// kanbao's `grams::is_caseless_symbol`, repeated for [`is_word`].
fn is_caseless_symbol(c: char) -> bool {
    matches!(u32::from(c), 0x2000..=0x206F | 0x2190..=0x2BFF | 0x3000..=0x303F | 0xFE30..=0xFE4F | 0xFF01..=0xFF0F | 0xFF1A..=0xFF20 | 0xFF3B..=0xFF40 | 0xFF5B..=0xFF65)
}

/// Calls `emit(position, kind, key, byte range)` for every key of
/// normalised `text`, in order of position.
pub fn keys(text: &str, mut emit: impl FnMut(usize, Kind, &str, usize, usize)) {
    let mut pos = 0usize;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if is_cjk(c) {
            let next = chars.peek().copied().filter(|&(_, n)| is_cjk(n));
            let run_start = i == 0 || !text[..i].chars().next_back().is_some_and(is_cjk);
            let alone = run_start && next.is_none();
            let end = i + c.len_utf8();
            emit(pos, Kind::Unigram { alone }, &text[i..end], i, end);
            if let Some((j, n)) = next {
                let end = j + n.len_utf8();
                emit(pos, Kind::Bigram, &text[i..end], i, end);
            } else {
                pos += 1; // the run ends: a gap
            }
            pos += 1;
        } else if is_word(c) {
            let mut end = i + c.len_utf8();
            while let Some(&(j, n)) = chars.peek() {
                if !is_word(n) {
                    break;
                }
                end = j + n.len_utf8();
                chars.next();
            }
            emit(pos, Kind::Word, &text[i..end], i, end);
            pos += 1;
        } else {
            pos += 1;
        }
    }
}

/// The tokenizer registered as [`NAME`]: text folded as kanbao folds it,
/// then [`keys`].
#[derive(Clone, Default)]
pub struct KanbaoGrams {
    folded: String,
    tokens: Vec<Token>,
}

/// The name the schema gives the tokenizer.
pub const NAME: &str = "kanbao-grams";

pub struct Stream<'a> {
    tokens: &'a mut [Token],
    next: usize,
}

impl Tokenizer for KanbaoGrams {
    type TokenStream<'a> = Stream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Stream<'a> {
        self.folded.clear();
        normalize(text, &mut self.folded);
        let mut used = 0;
        let tokens = &mut self.tokens;
        keys(&self.folded, |pos, _, key, from, to| {
            if used == tokens.len() {
                tokens.push(Token::default());
            }
            let t = &mut tokens[used];
            t.text.clear();
            t.text.push_str(key);
            t.position = pos;
            t.offset_from = from;
            t.offset_to = to;
            t.position_length = 1;
            used += 1;
        });
        Stream {
            tokens: &mut self.tokens[..used],
            next: 0,
        }
    }
}

impl TokenStream for Stream<'_> {
    fn advance(&mut self) -> bool {
        if self.next < self.tokens.len() {
            self.next += 1;
            true
        } else {
            false
        }
    }

    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.next - 1]
    }
}

/// The keys a query term must match, with their positions relative to
/// the first: bigrams, lone characters' unigrams and words.
pub fn query_keys(term: &str) -> Vec<(usize, String)> {
    let mut folded = String::new();
    normalize(term, &mut folded);
    let mut out: Vec<(usize, String)> = Vec::new();
    keys(&folded, |pos, kind, key, _, _| {
        if kind != (Kind::Unigram { alone: false }) {
            out.push((pos, key.to_owned()));
        }
    });
    if let Some(first) = out.first().map(|(p, _)| *p) {
        for (p, _) in &mut out {
            *p -= first;
        }
    }
    out
}

/// A query's terms: runs of CJK and word characters (kanbao's
/// `grams::terms`: punctuation and spaces split terms), each folded.
pub fn terms(query: &str) -> Vec<String> {
    let mut folded = String::new();
    normalize(query, &mut folded);
    let mut terms: Vec<String> = Vec::new();
    for piece in folded.split(|c: char| !(is_cjk(c) || is_word(c))) {
        if !piece.is_empty() && !terms.iter().any(|t| t == piece) {
            terms.push(piece.to_owned());
        }
    }
    terms
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(text: &str) -> Vec<(usize, String)> {
        let mut out = Vec::new();
        keys(text, |p, _, k, _, _| out.push((p, k.to_owned())));
        out
    }

    #[test]
    fn runs_give_unigrams_and_bigrams_and_gaps() {
        let k = all("科技创,院");
        let want = [
            (0, "科"),
            (0, "科技"),
            (1, "技"),
            (1, "技创"),
            (2, "创"),
            (5, "院"),
        ];
        assert_eq!(
            k,
            want.iter()
                .map(|(p, s)| (*p, (*s).to_owned()))
                .collect::<Vec<_>>()
        );
    }

    #[test]
    fn queries_use_bigrams_and_lone_unigrams() {
        let q = query_keys("创新平台");
        assert_eq!(
            q,
            vec![
                (0, "创新".to_owned()),
                (1, "新平".to_owned()),
                (2, "平台".to_owned())
            ]
        );
        assert_eq!(query_keys("院"), vec![(0, "院".to_owned())]);
        assert_eq!(query_keys("ＧＤＰ"), vec![(0, "gdp".to_owned())]);
        assert_eq!(terms("“两会” 科技"), vec!["两会", "科技"]);
    }
}
