//! What the search index is made of: text cut into keys.
//!
//! Chinese is written without spaces, so word tokenisers find nothing in it.
//! The index instead keys every pair of neighbouring characters of a run of
//! Han, kana or Hangul (a bigram), a run of one such character by itself
//! (a unigram), and every Latin word or number whole. Any Chinese query of two
//! or more characters is then a set of bigrams, and one character is every
//! bigram that holds it. Text is compared after [`normalize`]: ASCII case
//! and full-width letters and digits are folded.

/// Kinds of key, in the top two bits.
const BIGRAM: u64 = 1 << 62;
const UNIGRAM: u64 = 2 << 62;
const WORD: u64 = 3 << 62;
const CHAR_BITS: u32 = 21;
const CHAR_MASK: u64 = (1 << CHAR_BITS) - 1;

/// Han, kana, Hangul and the other scripts written without spaces.
pub fn is_cjk(c: char) -> bool {
    matches!(u32::from(c),
        0x3005..=0x3007          // 々 〆 〇
        | 0x3040..=0x30FF        // kana
        | 0x31F0..=0x31FF
        | 0x3400..=0x4DBF        // CJK extension A
        | 0x4E00..=0x9FFF        // CJK unified ideographs
        | 0xAC00..=0xD7AF        // Hangul syllables
        | 0xF900..=0xFAFF        // compatibility ideographs
        | 0x20000..=0x3FFFF)
}

/// A character of a Latin (or other spaced script) word or number.
fn is_word(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    // CJK first: it is most of the text, and the range test is cheap.
    !is_cjk(c) && !is_caseless_symbol(c) && c.is_alphanumeric()
}

/// Punctuation, CJK symbols and full-width forms other than letters and
/// digits: the blocks from General Punctuation to the half- and
/// full-width forms that hold no letter with a case.
fn is_caseless_symbol(c: char) -> bool {
    matches!(u32::from(c), 0x2000..=0x206F | 0x2190..=0x2BFF | 0x3000..=0x303F | 0xFE30..=0xFE4F | 0xFF01..=0xFF0F | 0xFF1A..=0xFF20 | 0xFF3B..=0xFF40 | 0xFF5B..=0xFF65)
}

/// Folds a character for comparison: full-width ASCII to ASCII, then
/// lower case (one character for one).
pub fn fold(c: char) -> char {
    let u = u32::from(c);
    if u < 0x80 {
        return c.to_ascii_lowercase();
    }
    if is_cjk(c) || is_caseless_symbol(c) {
        return c;
    }
    // Full-width letters and digits; full-width punctuation stays (it
    // is never part of a query term, and snippets show it as written).
    let c = match u {
        0xFF10..=0xFF19 | 0xFF21..=0xFF3A | 0xFF41..=0xFF5A => {
            char::from_u32(u - 0xFEE0).unwrap_or(c)
        }
        _ => c,
    };
    if c.is_ascii() {
        c.to_ascii_lowercase()
    } else {
        let mut lower = c.to_lowercase();
        match (lower.next(), lower.next()) {
            (Some(l), None) => l,
            _ => c,
        }
    }
}

/// `text` folded character by character (see [`fold`]), appended to
/// `out`. Runs that need no folding (most Chinese text) are copied whole.
pub fn normalize(text: &str, out: &mut String) {
    out.reserve(text.len());
    let bytes = text.as_bytes();
    let mut clean = 0;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        // U+3000 to U+9FFF (Chinese, kana, CJK punctuation), three bytes
        // led by E3 to E9, fold to themselves: skipped without decoding.
        if (0xE3..=0xE9).contains(&b) {
            i += 3;
            continue;
        }
        if b.is_ascii() {
            if b.is_ascii_uppercase() {
                out.push_str(&text[clean..i]);
                out.push(char::from(b.to_ascii_lowercase()));
                clean = i + 1;
            }
            i += 1;
            continue;
        }
        let Some(c) = text[i..].chars().next() else {
            break;
        };
        let folded = fold(c);
        if folded != c {
            out.push_str(&text[clean..i]);
            out.push(folded);
            clean = i + c.len_utf8();
        }
        i += c.len_utf8();
    }
    out.push_str(&text[clean..]);
}

/// The key of a pair of neighbouring CJK characters.
pub fn bigram(a: char, b: char) -> u64 {
    BIGRAM | (u64::from(a) << CHAR_BITS) | u64::from(b)
}

/// The key of a CJK character standing alone between non-CJK characters.
pub fn unigram(c: char) -> u64 {
    UNIGRAM | u64::from(c)
}

/// The key of a (normalised) word: a hash, so different words may share a
/// key; search checks every hit against the text, so a shared key costs
/// time, never a wrong hit.
pub fn word(w: &str) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in w.bytes() {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    WORD | (hash >> 2)
}

/// Whether `key` is a bigram holding `c` first or second, or `c`'s unigram.
pub fn holds(key: u64, c: char) -> bool {
    let c = u64::from(c);
    match key & (3 << 62) {
        BIGRAM => (key >> CHAR_BITS) & CHAR_MASK == c || key & CHAR_MASK == c,
        UNIGRAM => key & CHAR_MASK == c,
        _ => false,
    }
}

/// The range of keys of bigrams that start with `c`.
pub fn bigrams_starting(c: char) -> std::ops::RangeInclusive<u64> {
    let start = BIGRAM | (u64::from(c) << CHAR_BITS);
    start..=start | CHAR_MASK
}

/// Calls `emit` with every key of normalised `text`, in order (repeats
/// included).
pub fn keys(text: &str, mut emit: impl FnMut(u64)) {
    let mut prev: Option<char> = None; // previous CJK character of the run
    let mut run = 0usize; // length of the current CJK run
    let mut word_start: Option<usize> = None;
    let end_run = |prev: Option<char>, run: usize, emit: &mut dyn FnMut(u64)| {
        if run == 1
            && let Some(c) = prev
        {
            emit(unigram(c));
        }
    };
    for (i, c) in text.char_indices() {
        // CJK first: it is most of the text, and never part of a word.
        if is_cjk(c) {
            if let Some(start) = word_start.take() {
                emit(word(&text[start..i]));
            }
            if let Some(p) = prev {
                emit(bigram(p, c));
            }
            prev = Some(c);
            run += 1;
            continue;
        }
        if is_word(c) {
            end_run(prev, run, &mut emit);
            prev = None;
            run = 0;
            word_start.get_or_insert(i);
            continue;
        }
        if let Some(start) = word_start.take() {
            emit(word(&text[start..i]));
        }
        end_run(prev, run, &mut emit);
        prev = None;
        run = 0;
    }
    if let Some(start) = word_start {
        emit(word(&text[start..]));
    }
    end_run(prev, run, &mut emit);
}

/// One piece of a query: a run of CJK characters or a word, normalised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    /// One CJK character: every bigram holding it, or its unigram.
    Char(char),
    /// Two or more CJK characters: all their bigrams.
    Run(Vec<u64>),
    Word(u64),
}

/// A query term: what must appear in the text, normalised, and the
/// pieces to look up. Punctuation and spaces split terms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    pub text: String,
    pub pieces: Vec<Piece>,
}

/// The terms of a query: maximal runs of CJK and word characters.
/// Empty when the query has nothing searchable (only punctuation, say).
pub fn terms(query: &str) -> Vec<Term> {
    let mut normalized = String::new();
    normalize(query, &mut normalized);
    let mut terms = Vec::new();
    let mut current = String::new();
    let flush = |current: &mut String, terms: &mut Vec<Term>| {
        if current.is_empty() {
            return;
        }
        let text = std::mem::take(current);
        let pieces = pieces(&text);
        terms.push(Term { text, pieces });
    };
    for c in normalized.chars() {
        if is_cjk(c) || is_word(c) {
            current.push(c);
        } else {
            flush(&mut current, &mut terms);
        }
    }
    flush(&mut current, &mut terms);
    terms.dedup_by(|a, b| a.text == b.text);
    terms
}

fn pieces(term: &str) -> Vec<Piece> {
    let mut pieces = Vec::new();
    let mut run: Vec<char> = Vec::new();
    let mut word_start: Option<usize> = None;
    let flush_run = |run: &mut Vec<char>, pieces: &mut Vec<Piece>| {
        match run.as_slice() {
            [] => {}
            [c] => pieces.push(Piece::Char(*c)),
            chars => pieces.push(Piece::Run(
                chars.windows(2).map(|w| bigram(w[0], w[1])).collect(),
            )),
        }
        run.clear();
    };
    for (i, c) in term.char_indices() {
        if is_cjk(c) {
            if let Some(start) = word_start.take() {
                pieces.push(Piece::Word(word(&term[start..i])));
            }
            run.push(c);
        } else {
            flush_run(&mut run, &mut pieces);
            word_start.get_or_insert(i);
        }
    }
    flush_run(&mut run, &mut pieces);
    if let Some(start) = word_start {
        pieces.push(Piece::Word(word(&term[start..])));
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all_keys(text: &str) -> Vec<u64> {
        let mut n = String::new();
        normalize(text, &mut n);
        let mut out = Vec::new();
        keys(&n, |k| out.push(k));
        out
    }

    #[test]
    fn cjk_runs_become_bigrams_and_lone_characters_unigrams() {
        assert_eq!(
            all_keys("科技创新,院"),
            vec![
                bigram('科', '技'),
                bigram('技', '创'),
                bigram('创', '新'),
                unigram('院')
            ]
        );
    }

    #[test]
    fn words_are_folded_whole() {
        assert_eq!(all_keys("ＧＤＰ增长5G"), all_keys("gdp增长5g"));
        assert_eq!(all_keys("GDP增长"), vec![word("gdp"), bigram('增', '长')]);
        assert_eq!(all_keys("2023年"), vec![word("2023"), unigram('年')]);
    }

    #[test]
    fn query_terms_split_at_punctuation() {
        let t = terms("“两会” 科技创新");
        assert_eq!(t.len(), 2);
        assert_eq!(t[0].text, "两会");
        assert_eq!(t[1].pieces.len(), 1);
        assert!(terms("，。！？…… ——").is_empty());
        assert_eq!(terms("院")[0].pieces, vec![Piece::Char('院')]);
    }

    #[test]
    fn the_characters_normalize_skips_fold_to_themselves() {
        for u in 0x3000..=0x9FFF {
            if let Some(c) = char::from_u32(u) {
                assert_eq!(fold(c), c, "U+{u:04X}");
            }
        }
        let mut out = String::new();
        normalize("ＧＤＰ院士Ａb，Ｃ", &mut out);
        assert_eq!(out, "gdp院士ab，c");
    }

    #[test]
    fn holds_finds_both_halves() {
        assert!(holds(bigram('科', '技'), '科'));
        assert!(holds(bigram('科', '技'), '技'));
        assert!(!holds(bigram('科', '技'), '创'));
        assert!(holds(unigram('院'), '院'));
        assert!(bigrams_starting('科').contains(&bigram('科', '技')));
    }
}
