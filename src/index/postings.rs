//! A segment's postings while it is built: which articles hold each key.
//!
//! A hash table of growing lists, one lookup per key occurrence, spends
//! most of a cold build waiting for memory: the table and the lists are
//! far larger than the caches and every bigram lands somewhere else in
//! them. Instead, each article's distinct keys are found in a small table
//! that stays in the cache, appended to a batch of (key, article) pairs,
//! and each full batch is radix-sorted (a few sequential passes) into a
//! run: its keys in order, each with its articles. Batches follow one
//! another in article order, so a key's list is its runs' lists one after
//! the other, and [`Postings::for_each`] merges the runs key by key.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use super::format::put_varint;
use super::{grams, radix};

/// Pairs a batch holds before it is sorted into a run: 16 MB of pairs
/// (and as much again while sorting), large enough that runs are few.
const BATCH_PAIRS: usize = 2 << 20;

/// The smallest batch [`Postings::for_source_bytes`] chooses.
const MIN_BATCH_PAIRS: usize = 64 << 10;

/// Source bytes per pair of a batch sized for a build: a build's
/// articles give about a key for every CJK character (three bytes), so a
/// small build comes to some twenty runs instead of one 32 MB batch.
const BYTES_PER_BATCH_PAIR: u64 = 64;

/// Bits of a packed pair that hold the article, counted from the batch's
/// first: a batch ends before it would need more.
const DOC_BITS: u32 = 20;
const DOC_MASK: u64 = (1 << DOC_BITS) - 1;

/// Bits of a bigram's or unigram's key below its kind (see
/// [`super::grams`]): two characters of 21 bits.
const CHARS_BITS: u32 = 42;
const CHARS_MASK: u64 = (1 << CHARS_BITS) - 1;
/// The kind of a word's key, in the top two bits.
const WORD_KIND: u64 = 3;

/// The radix passes (of 11 bits) that sort a packed bigram or unigram key
/// (43 bits above the article's [`DOC_BITS`]).
const RADIX_PASSES: u32 = 4;

/// Collects the keys of a segment's articles, added in article order.
pub struct Postings {
    /// The current article's keys seen so far, by hash (0: free; no key
    /// is 0, its kind is never 0), and the slots used, to clear them.
    seen: Vec<u64>,
    used: Vec<u32>,
    /// The batch: bigrams and unigrams packed with the article (see
    /// [`pack`]), words (hashes of 62 bits) beside their article.
    pairs: Vec<u64>,
    words: Vec<(u64, u32)>,
    /// The article the batch's articles count from.
    base: u32,
    /// Reused by the sort.
    spare: Vec<u64>,
    runs: Vec<Run>,
    /// Pairs a batch holds.
    batch: usize,
}

impl Default for Postings {
    /// Postings with the largest batches.
    fn default() -> Postings {
        Postings {
            seen: Vec::new(),
            used: Vec::new(),
            pairs: Vec::new(),
            words: Vec::new(),
            base: 0,
            spare: Vec::new(),
            runs: Vec::new(),
            batch: BATCH_PAIRS,
        }
    }
}

/// A sorted batch: for each of its keys in order, the key's difference
/// from the one before, its first article (from `base`), the length of
/// the rest of its list, its last article (from the first; only when
/// there is a rest), then the rest: differences of article numbers, as
/// varints, exactly as the segment stores them.
struct Run {
    base: u32,
    bytes: Vec<u8>,
}

impl Postings {
    /// Postings for a build of `bytes` of source text, its batches sized
    /// to it: a build of a few megabytes (a first fetch, a small archive)
    /// never holds the 32 MB a large one's batches take; from 128 MB up
    /// they are the largest.
    pub fn for_source_bytes(bytes: u64) -> Postings {
        let pairs = usize::try_from(bytes / BYTES_PER_BATCH_PAIR).unwrap_or(usize::MAX);
        Postings {
            batch: pairs.clamp(MIN_BATCH_PAIRS, BATCH_PAIRS),
            ..Postings::default()
        }
    }

    /// Adds the keys of article `doc`'s normalised search text. Articles
    /// come in increasing order.
    pub fn add(&mut self, doc: u32, text: &str) {
        let text_len = text.len();
        if self.pairs.len() + self.words.len() + text_len > self.batch
            || u64::from(doc - self.base) + 1 >= DOC_MASK
        {
            self.flush();
        }
        if self.pairs.is_empty() && self.words.is_empty() {
            self.base = doc;
        }
        // A key takes at least two bytes of the text (a word and what ends
        // it; a CJK character is three): the table is at most half full,
        // and, sized for this article, small enough for the fastest cache.
        let slots = text_len.next_power_of_two().max(1024);
        if self.seen.len() < slots {
            self.seen = vec![0; slots];
        }
        let shift = 64 - slots.trailing_zeros();
        let mask = slots - 1;
        let rel = u64::from(doc - self.base);
        let (seen, used, pairs, words) = (
            &mut self.seen,
            &mut self.used,
            &mut self.pairs,
            &mut self.words,
        );
        grams::keys(text, |key| {
            let mut slot = (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> shift) as usize;
            loop {
                let here = seen[slot];
                if here == key {
                    return;
                }
                if here == 0 {
                    break;
                }
                slot = (slot + 1) & mask;
            }
            seen[slot] = key;
            used.push(slot as u32);
            if key >> 62 == WORD_KIND {
                words.push((key, doc));
            } else {
                pairs.push(pack(key) << DOC_BITS | rel);
            }
        });
        for &slot in used.iter() {
            seen[slot as usize] = 0;
        }
        used.clear();
    }

    /// Sorts the batch into a run.
    fn flush(&mut self) {
        if self.pairs.is_empty() && self.words.is_empty() {
            return;
        }
        radix::sort_by_key(&mut self.pairs, &mut self.spare, RADIX_PASSES, |&v| {
            v >> DOC_BITS
        });
        // Pairs come in article order, and a key once per article: sorted
        // by key, then article.
        self.words.sort_unstable();
        let base = self.base;
        let mut bytes = Vec::with_capacity(self.pairs.len() * 2);
        let mut writer = RunWriter::new(&mut bytes, base);
        for &pair in &self.pairs {
            writer.push(unpack(pair >> DOC_BITS), base + (pair & DOC_MASK) as u32);
        }
        for &(key, doc) in &self.words {
            writer.push(key, doc);
        }
        writer.end();
        self.pairs.clear();
        self.words.clear();
        bytes.shrink_to_fit();
        self.runs.push(Run { base, bytes });
    }

    /// Calls `f` with every key in increasing order and its articles,
    /// delta-encoded varints (the first from 0), until `f` fails.
    pub fn for_each<E>(&mut self, mut f: impl FnMut(u64, &[u8]) -> Result<(), E>) -> Result<(), E> {
        self.flush();
        // No article comes after: the batch's buffers (32 MB) go before
        // the segment is written.
        self.pairs = Vec::new();
        self.spare = Vec::new();
        self.seen = Vec::new();
        let mut readers: Vec<RunReader> = self.runs.iter().map(RunReader::new).collect();
        // Lowest key first, and of one key the earliest run first.
        let mut heap: BinaryHeap<Reverse<(u64, usize)>> = readers
            .iter_mut()
            .enumerate()
            .filter_map(|(n, r)| r.next().map(|key| Reverse((key, n))))
            .collect();
        let mut list = Vec::new();
        while let Some(&Reverse((key, _))) = heap.peek() {
            list.clear();
            let mut last: u32 = 0;
            while let Some(&Reverse((k, n))) = heap.peek() {
                if k != key {
                    break;
                }
                heap.pop();
                let reader = &mut readers[n];
                put_varint(&mut list, u64::from(reader.first - last));
                list.extend_from_slice(reader.rest);
                last = reader.last;
                if let Some(next) = reader.next() {
                    heap.push(Reverse((next, n)));
                }
            }
            f(key, &list)?;
        }
        Ok(())
    }
}

/// A bigram's or unigram's key in 43 bits, in the same order: the kind
/// (1 or 2) less one, then the characters.
fn pack(key: u64) -> u64 {
    ((key >> 62).saturating_sub(1) << CHARS_BITS) | (key & CHARS_MASK)
}

fn unpack(packed: u64) -> u64 {
    (((packed >> CHARS_BITS) + 1) << 62) | (packed & CHARS_MASK)
}

/// Writes a run's entries from (key, article) pairs in order.
struct RunWriter<'a> {
    out: &'a mut Vec<u8>,
    base: u32,
    prev_key: u64,
    key: Option<u64>,
    first: u32,
    last: u32,
    rest: Vec<u8>,
}

impl<'a> RunWriter<'a> {
    fn new(out: &'a mut Vec<u8>, base: u32) -> Self {
        RunWriter {
            out,
            base,
            prev_key: 0,
            key: None,
            first: 0,
            last: 0,
            rest: Vec::new(),
        }
    }

    fn push(&mut self, key: u64, doc: u32) {
        if self.key == Some(key) {
            put_varint(&mut self.rest, u64::from(doc - self.last));
            self.last = doc;
            return;
        }
        self.end();
        self.key = Some(key);
        self.first = doc;
        self.last = doc;
    }

    /// Writes the entry of the key being collected.
    fn end(&mut self) {
        let Some(key) = self.key.take() else { return };
        put_varint(self.out, key - self.prev_key);
        self.prev_key = key;
        put_varint(self.out, u64::from(self.first - self.base));
        put_varint(self.out, self.rest.len() as u64);
        if !self.rest.is_empty() {
            put_varint(self.out, u64::from(self.last - self.first));
            self.out.extend_from_slice(&self.rest);
            self.rest.clear();
        }
    }
}

/// Reads a run's entries in order.
struct RunReader<'a> {
    bytes: &'a [u8],
    base: u32,
    key: u64,
    first: u32,
    last: u32,
    rest: &'a [u8],
}

impl<'a> RunReader<'a> {
    fn new(run: &'a Run) -> Self {
        RunReader {
            bytes: &run.bytes,
            base: run.base,
            key: 0,
            first: 0,
            last: 0,
            rest: &[],
        }
    }

    /// Moves to the next entry; its key, or None at the end.
    fn next(&mut self) -> Option<u64> {
        if self.bytes.is_empty() {
            return None;
        }
        self.key += self.varint();
        self.first = self.base + self.varint() as u32;
        let rest = self.varint() as usize;
        self.last = self.first;
        if rest > 0 {
            self.last += self.varint() as u32;
        }
        let (rest, after) = self.bytes.split_at(rest.min(self.bytes.len()));
        self.rest = rest;
        self.bytes = after;
        Some(self.key)
    }

    /// The next varint (the run was written by [`RunWriter`]).
    fn varint(&mut self) -> u64 {
        let mut v = 0u64;
        for (i, &b) in self.bytes.iter().enumerate() {
            v |= u64::from(b & 0x7f) << (7 * i);
            if b < 0x80 {
                self.bytes = &self.bytes[i + 1..];
                return v;
            }
        }
        self.bytes = &[];
        v
    }
}

#[cfg(test)]
mod tests {
    use super::super::format::get_varint;
    use super::*;
    use std::collections::BTreeMap;

    fn decode(mut list: &[u8]) -> Vec<u32> {
        let (mut docs, mut doc) = (Vec::new(), 0u64);
        while let Ok((delta, used)) = get_varint(list) {
            doc += delta;
            docs.push(doc as u32);
            list = &list[used..];
        }
        docs
    }

    /// What the postings should be: every key's articles, by a map.
    fn expected(texts: &[&str]) -> BTreeMap<u64, Vec<u32>> {
        let mut map: BTreeMap<u64, Vec<u32>> = BTreeMap::new();
        for (doc, text) in texts.iter().enumerate() {
            grams::keys(text, |k| {
                let list = map.entry(k).or_default();
                if list.last() != Some(&(doc as u32)) {
                    list.push(doc as u32);
                }
            });
        }
        map
    }

    fn built(texts: &[&str], batch_every: usize) -> BTreeMap<u64, Vec<u32>> {
        let mut postings = Postings::default();
        for (doc, text) in texts.iter().enumerate() {
            postings.add(doc as u32, text);
            if (doc + 1) % batch_every == 0 {
                postings.flush();
            }
        }
        collected(postings)
    }

    /// Every key of `postings` and its articles.
    fn collected(mut postings: Postings) -> BTreeMap<u64, Vec<u32>> {
        let mut map = BTreeMap::new();
        postings
            .for_each(|key, list| {
                map.insert(key, decode(list));
                Ok::<_, ()>(())
            })
            .ok();
        map
    }

    #[test]
    fn runs_merge_into_each_keys_articles_in_order() {
        let texts = [
            "科技创新，院士工作站。GDP增长5%",
            "院",
            "",
            "创新平台 2023年 科技科技科技",
            "abc abc 院士",
            "科技",
            "𠀀𠀁 한국어 かな ＧＤＰ",
        ];
        let want = expected(&texts);
        for every in [1, 2, 3, 100] {
            assert_eq!(built(&texts, every), want, "a run every {every}");
        }
    }

    #[test]
    fn a_small_build_has_small_batches_and_the_same_postings() {
        assert_eq!(Postings::for_source_bytes(0).batch, MIN_BATCH_PAIRS);
        assert_eq!(Postings::for_source_bytes(8 << 20).batch, 128 << 10);
        assert_eq!(Postings::for_source_bytes(640 << 20).batch, BATCH_PAIRS);
        assert_eq!(Postings::for_source_bytes(u64::MAX).batch, BATCH_PAIRS);
        // Articles of a few thousand distinct characters each: more keys
        // than the smallest batch holds, so that it fills several times.
        let texts: Vec<String> = (0..300u32)
            .map(|n| {
                (0..1500u32)
                    .filter_map(|i| char::from_u32(0x4E00 + (n * 37 + i * 11) % 20000))
                    .collect()
            })
            .collect();
        let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
        let mut postings = Postings::for_source_bytes(0);
        for (doc, text) in texts.iter().enumerate() {
            postings.add(doc as u32, text);
        }
        assert!(postings.runs.len() >= 3, "{} runs", postings.runs.len());
        assert!(postings.pairs.capacity() <= 2 * MIN_BATCH_PAIRS);
        assert_eq!(collected(postings), expected(&texts));
    }

    #[test]
    fn packed_keys_keep_their_order() {
        let keys = [
            grams::bigram('一', '丁'),
            grams::bigram('院', '士'),
            grams::bigram('𠀀', '𠀁'),
            grams::unigram('一'),
            grams::unigram('𠀀'),
        ];
        for w in keys.windows(2) {
            assert!(w[0] < w[1] && pack(w[0]) < pack(w[1]));
        }
        for k in keys {
            assert_eq!(unpack(pack(k)), k);
        }
    }
}
