//! Search over the index: a query's terms looked up by their keys
//! ([`super::grams`]), every candidate checked against the article's text,
//! hits ranked: title hits first, then newest first.

use std::ops::Range;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use memchr::memmem::Finder;

use super::grams::{self, Piece, Term};
use super::segment::{Rank, Segment, encode_utf16, utf16_chars};
use crate::script;

/// Bytes of text a search reads before it lets their pages go.
const RELEASE_BYTES: usize = 8 << 20;

/// Candidates to check against their text before a second thread helps.
const PARALLEL_CHECKS: usize = 4096;
/// Articles whose rows and headlines a search reads before it lets their
/// pages go (about 4 MB).
const RELEASE_DOCS: usize = 1 << 16;

/// A segment's headlines are read in one pass (per form of each term)
/// when at least one article in this many is a candidate.
const SCAN_TITLES: usize = 8;

/// Candidates checked between two looks at whether to stop.
const STOP_EVERY: usize = 4096;

/// Hits of a query that reads no text (one character, one bigram) before
/// a second thread helps with their headlines and rank keys.
const PARALLEL_TITLES: usize = 32_768;

/// A reader's first answer to a query of one character or bigram looks
/// headlines up one at a time: this many such looks cost about what one
/// pass over every headline does ([`Search::headlines_first`]). In a
/// small library, where either is quick, up to as many as the answer
/// needs are looked at.
const LOOKS_PER_PASS: usize = 32;

/// In a position table: the article is not in the library (replaced by a
/// newer segment's copy).
pub const NONE: u32 = u32::MAX;

/// How far a search goes past the postings.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Depth {
    /// The candidates, none looked for in its headline (each ranked as a
    /// hit in the text alone).
    Postings,
    /// The candidates, with whether every term is in each one's headline.
    Headlines,
    /// The hits, confirmed in their texts where the postings cannot
    /// tell, with whether every term is in each one's headline.
    Texts,
}

/// The searchable index of a library.
#[derive(Debug, Clone, Default)]
pub struct Search {
    segments: Vec<Arc<Segment>>,
    /// Per segment, per article number: its index among the articles
    /// opened (the library's, when there is one), if it is one of them.
    positions: Vec<Numbers>,
    /// Per segment, per article number: its place in file order (feed by
    /// feed as configured, pages in library order, articles as on the
    /// page), which breaks ties in ranking; empty when not worked out
    /// (then the caller of [`Search::find_ranked`] breaks them). Once
    /// [`Search::rank_all`] has run: its place in rank order instead.
    ties: Vec<Vec<u32>>,
    /// Whether `ties` holds places in rank order.
    ranked: bool,
    /// Once [`Search::rank_all`] has run: per place in rank order, the
    /// article there, as a hit that is no headline hit.
    placed: Vec<Ranked>,
}

/// One article found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    /// Index among the articles opened (see [`Search::new`]).
    pub article: usize,
    /// Every term is in the headline.
    pub in_title: bool,
    rank: Rank,
    segment: usize,
    doc: u32,
}

impl Hit {
    /// What ranks it before ties are broken: headline hits first, then
    /// the newest.
    fn coarse(&self) -> (bool, std::cmp::Reverse<Rank>) {
        (!self.in_title, std::cmp::Reverse(self.rank))
    }
}

/// What a hit's place is in the index, for its snippet.
pub trait Placed {
    /// The segment and the article number there.
    fn place(&self) -> (usize, u32);
}

impl Placed for Hit {
    fn place(&self) -> (usize, u32) {
        (self.segment, self.doc)
    }
}

/// One article found by [`Search::find_all`], as a reader keeps it: 16
/// bytes where a [`Hit`] takes 40, for the hundreds of thousands of
/// articles one character finds in a large archive.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Ranked {
    /// Its place in the ranking of every article (see
    /// [`Search::rank_all`]), with the top bit set when not every term is
    /// in its headline: what orders the hits.
    key: u32,
    article: u32,
    segment: u32,
    doc: u32,
}

impl Ranked {
    const NOT_IN_TITLE: u32 = 1 << 31;

    /// Index among the articles opened (see [`Search::new`]).
    pub fn article(&self) -> usize {
        self.article as usize
    }

    /// Every term is in the headline.
    pub fn in_title(&self) -> bool {
        self.key & Self::NOT_IN_TITLE == 0
    }
}

impl Placed for Ranked {
    fn place(&self) -> (usize, u32) {
        (self.segment as usize, self.doc)
    }
}

/// Why a query found nothing to look for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QueryError {
    /// The query holds no letter, digit or CJK character.
    NothingToSearch,
}

impl std::fmt::Display for QueryError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            QueryError::NothingToSearch => f.write_str(
                "nothing to search for: give a word, a number or Chinese characters (punctuation is ignored)",
            ),
        }
    }
}

/// A piece of an article's text around a hit, with the matches marked.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Snippet {
    pub text: String,
    /// Byte ranges of `text` that match a term.
    pub marks: Vec<Range<usize>>,
}

/// A parsed query, ready to run.
///
/// Each term of the query is looked for in every script it can be
/// written in: the query as typed, and its OpenCC simplified, traditional,
/// Taiwan and Hong Kong forms ([`script::forms`], phrase by phrase), so
/// that `创新` finds `創新` and `發展` finds `发展`. An article holds a term
/// when it holds any of its forms; what is marked is the form it holds, so
/// highlights are on the stored characters.
#[derive(Debug, Clone)]
pub struct Query {
    /// Per term of the query, its forms (the typed one first, no repeats).
    terms: Vec<Vec<Term>>,
}

impl Query {
    /// The query with its terms as typed only, in no other script: what
    /// [`Query::parse`] checks before it looks up the other forms.
    pub fn parse_typed(query: &str) -> Result<Query, QueryError> {
        let typed = grams::terms(query);
        if typed.is_empty() {
            return Err(QueryError::NothingToSearch);
        }
        Ok(Query {
            terms: typed.into_iter().map(|t| vec![t]).collect(),
        })
    }

    pub fn parse(query: &str) -> Result<Query, QueryError> {
        let typed = grams::terms(query);
        if typed.is_empty() {
            return Err(QueryError::NothingToSearch);
        }
        let terms = typed
            .into_iter()
            .map(|term| {
                let others = script::forms(&term.text);
                let mut forms = vec![term];
                for text in others.into_iter().skip(1) {
                    // A conversion that would split or merge the term is
                    // no form of it.
                    if let [form] = grams::terms(&text).as_slice()
                        && form.text == text
                    {
                        forms.push(form.clone());
                    }
                }
                forms
            })
            .collect();
        Ok(Query { terms })
    }

    /// Per term, a finder of each form in UTF-8, as headlines are stored.
    fn title_finders(&self) -> Vec<Vec<Finder<'_>>> {
        self.terms
            .iter()
            .map(|forms| {
                forms
                    .iter()
                    .map(|t| Finder::new(t.text.as_bytes()))
                    .collect()
            })
            .collect()
    }

    /// Each term's forms in UTF-16LE, as texts are stored.
    fn wide(&self) -> Vec<Vec<Vec<u8>>> {
        self.terms
            .iter()
            .map(|forms| {
                forms
                    .iter()
                    .map(|t| {
                        let mut out = Vec::new();
                        encode_utf16(&t.text, &mut out);
                        out
                    })
                    .collect()
            })
            .collect()
    }

    /// The normalised terms in every form looked for (see [`Query`]).
    pub fn terms(&self) -> impl Iterator<Item = &str> {
        self.terms.iter().flatten().map(|t| t.text.as_str())
    }

    /// One bigram or one character, in each of its forms: the postings are
    /// the answer, with no need to read the texts (only the titles, for
    /// ranking).
    fn exact(&self) -> bool {
        match self.terms.as_slice() {
            [forms] => forms.iter().all(|t| match t.pieces.as_slice() {
                [Piece::Char(_)] => true,
                [Piece::Run(keys)] => keys.len() == 1,
                _ => false,
            }),
            _ => false,
        }
    }
}

/// Two searches are equal when they read the same open segments.
impl PartialEq for Search {
    fn eq(&self, other: &Search) -> bool {
        self.positions == other.positions
            && self.ties == other.ties
            && self.ranked == other.ranked
            && self.segments.len() == other.segments.len()
            && self
                .segments
                .iter()
                .zip(&other.segments)
                .all(|(a, b)| Arc::ptr_eq(a, b))
    }
}

impl Eq for Search {}

impl Search {
    /// The search of open `segments`; `positions` gives, per segment and
    /// article number, the article's index among those opened (or
    /// [`NONE`]), `ties` its place in file order (or nothing: see
    /// [`Search::find_ranked`]).
    pub fn new(
        segments: Vec<Arc<Segment>>,
        positions: Vec<Numbers>,
        ties: Vec<Vec<u32>>,
    ) -> Search {
        Search {
            segments,
            positions,
            ties,
            ranked: false,
            placed: Vec::new(),
        }
    }

    /// A search that finds nothing (no index).
    pub fn empty() -> Search {
        Search::default()
    }

    /// The articles matching every term of `query`, ranked: headline hits
    /// first, then newest first (by date, then publication time), then in
    /// file order (feeds as configured, pages as listed, articles as on
    /// the page). Needs the ties of [`Search::new`].
    pub fn find(&self, query: &Query) -> Vec<Hit> {
        // In rank order, the place breaks ties as file order did.
        let (_, hits) = self.find_ranked(query, usize::MAX, |h| {
            self.ties
                .get(h.segment)
                .and_then(|t| t.get(h.doc as usize))
                .copied()
                .unwrap_or(u32::MAX)
        });
        hits
    }

    /// Ranks every article once, so that [`Search::find_all`] orders its
    /// hits by one number each: the place each article's tie holds
    /// becomes its place in the order of [`Search::find`] without the
    /// headline (newest first, then file order). Takes a sort of every
    /// article (about 16 MB and a tenth of a second at a million), on
    /// the reader's worker thread). The articles by place are kept (16 MB
    /// at a million): a search puts its hits in order by marking their
    /// places.
    pub fn rank_all(&mut self) {
        if self.ranked {
            return;
        }
        #[derive(Clone, Copy)]
        struct Entry {
            published: i64,
            date: i32,
            tie: u32,
        }
        let mut entries: Vec<Entry> = Vec::with_capacity(self.ties.iter().map(Vec::len).sum());
        for (segment, ties) in self.segments.iter().zip(&self.ties) {
            for (doc, &tie) in ties.iter().enumerate() {
                if tie != NONE {
                    let rank = segment.rank(doc);
                    entries.push(Entry {
                        published: rank.published,
                        date: rank.date,
                        tie,
                    });
                }
            }
            segment.release_all();
        }
        entries.sort_unstable_by_key(|e| (std::cmp::Reverse((e.date, e.published)), e.tie));
        // From each tie (a place in file order, each used once) to its
        // place in rank order.
        let len = entries
            .iter()
            .map(|e| e.tie as usize + 1)
            .max()
            .unwrap_or(0);
        let mut place = vec![NONE; len];
        for (n, e) in entries.iter().enumerate() {
            if let Some(slot) = place.get_mut(e.tie as usize) {
                *slot = n as u32;
            }
        }
        let places = entries.len();
        drop(entries);
        for tie in self.ties.iter_mut().flatten() {
            if let Some(&n) = place.get(*tie as usize) {
                *tie = n;
            }
        }
        drop(place);
        // A place no article holds (there is none) stays a key no hit has.
        let mut placed = vec![
            Ranked {
                key: NONE,
                ..Ranked::default()
            };
            places
        ];
        for (segment, (ties, positions)) in self.ties.iter().zip(&self.positions).enumerate() {
            for (doc, &tie) in ties.iter().enumerate() {
                if let (Some(spot), Some(article)) =
                    (placed.get_mut(tie as usize), positions.get(doc))
                {
                    *spot = Ranked {
                        key: tie | Ranked::NOT_IN_TITLE,
                        article,
                        segment: segment as u32,
                        doc: doc as u32,
                    };
                }
            }
        }
        self.placed = placed;
        self.ranked = true;
    }

    /// Every article matching `query`, in the order of [`Search::find`],
    /// kept small ([`Ranked`]). Fastest after [`Search::rank_all`]: the
    /// hits are then put in order by their keys alone, with no look at
    /// their dates.
    pub fn find_all(&self, query: &Query) -> Vec<Ranked> {
        if !self.ranked {
            return self
                .find(query)
                .into_iter()
                .enumerate()
                .map(|(n, h)| Ranked {
                    key: n as u32 | if h.in_title { 0 } else { Ranked::NOT_IN_TITLE },
                    article: h.article as u32,
                    segment: h.segment as u32,
                    doc: h.doc,
                })
                .collect();
        }
        self.ranked_matches(query, Depth::Texts, &|| false)
    }

    /// [`Search::find_all`] that gives up, with `None`, once `stop` says
    /// so (it is asked every few thousand articles): the worker confirming
    /// a search in the reader, when another search was typed meanwhile.
    pub fn find_all_unless(
        &self,
        query: &Query,
        stop: &(dyn Fn() -> bool + Sync),
    ) -> Option<Vec<Ranked>> {
        if !self.ranked {
            return (!stop()).then(|| self.find_all(query));
        }
        let hits = self.ranked_matches(query, Depth::Texts, stop);
        (!stop()).then_some(hits)
    }

    /// The matches of `query`, as far as `depth` goes, in rank order;
    /// needs [`Search::rank_all`]. Cut short once `stop` says so.
    fn ranked_matches(
        &self,
        query: &Query,
        depth: Depth,
        stop: &(dyn Fn() -> bool + Sync),
    ) -> Vec<Ranked> {
        let (_, mut hits) = self.matches_with(
            query,
            depth,
            stop,
            None,
            |article, segment, doc, in_title| {
                let place = self.ties[segment][doc as usize];
                Ranked {
                    key: place | if in_title { 0 } else { Ranked::NOT_IN_TITLE },
                    article,
                    segment: segment as u32,
                    doc,
                }
            },
        );
        self.put_in_order(&mut hits);
        hits
    }

    /// `hits` in rank order: the headline hits by place, then the rest.
    /// Each hit marks its place in a bitmap (128 KB at a million
    /// articles, where a sort of half a million hits would move 7 MB
    /// three times), and the places marked are read back in order, each
    /// the article [`Search::rank_all`] put there: the one whose tie is
    /// that place. A hit without a place of its own (none is) follows,
    /// by key.
    fn put_in_order(&self, hits: &mut Vec<Ranked>) {
        let words = self.placed.len().div_ceil(64);
        // Headline hits, the rest.
        let mut marked = [vec![0u64; words], vec![0u64; words]];
        let mut strays = Vec::new();
        for hit in hits.iter() {
            let place = (hit.key & !Ranked::NOT_IN_TITLE) as usize;
            let part = usize::from(!hit.in_title());
            let bit = 1u64 << (place % 64);
            match marked[part].get_mut(place / 64) {
                Some(word) if place < self.placed.len() && *word & bit == 0 => *word |= bit,
                _ => strays.push(*hit),
            }
        }
        hits.clear();
        for (part, marked) in marked.iter().enumerate() {
            for (n, &word) in marked.iter().enumerate() {
                let mut left = word;
                while left != 0 {
                    let place = n * 64 + left.trailing_zeros() as usize;
                    if let Some(&spot) = self.placed.get(place) {
                        hits.push(Ranked {
                            key: if part == 0 {
                                spot.key & !Ranked::NOT_IN_TITLE
                            } else {
                                spot.key
                            },
                            ..spot
                        });
                    }
                    left &= left - 1;
                }
            }
        }
        strays.sort_unstable_by_key(|h| (!h.in_title(), h.key & !Ranked::NOT_IN_TITLE));
        hits.append(&mut strays);
    }

    /// [`Search::find_all`] in two steps for a reader that must answer
    /// each key at once: when the query's hits must be confirmed in their
    /// texts (more than one bigram) and there are more than `first`
    /// candidates, every candidate from the postings is ranked and only
    /// the first ones are read, until `first` hits are confirmed (the
    /// candidates among them that are no hits dropped). Past those, the
    /// hits are candidates: a superset of the hits, in rank order, that
    /// [`Search::find_all`] (on a worker) replaces. The second value says
    /// whether the hits are all confirmed.
    /// A query whose postings are its hits (one character, one bigram)
    /// has every hit at once, and only their order may be left to the
    /// worker: see [`Search::headlines_first`].
    pub fn find_first(&self, query: &Query, first: usize) -> (Vec<Ranked>, bool) {
        if !self.ranked {
            return (self.find_all(query), true);
        }
        if query.exact() {
            let articles: usize = self.segments.iter().map(|s| s.len()).sum();
            let most = (articles / LOOKS_PER_PASS).max(first);
            return self.headlines_first(query, first, most);
        }
        let mut hits = self.ranked_matches(query, Depth::Headlines, &|| false);
        let wide = query.wide();
        let finders = finders_of(&wide);
        let mut folded = Vec::new();
        let mut confirmed = 0;
        let mut checked = 0;
        while confirmed < first && checked < hits.len() {
            let h = hits[checked];
            let holds = self
                .segments
                .get(h.segment as usize)
                .is_some_and(|s| text_holds(s, h.doc, &finders, &mut folded));
            if holds {
                hits[confirmed] = h;
                confirmed += 1;
            }
            checked += 1;
        }
        let complete = checked == hits.len();
        hits.drain(confirmed..checked);
        self.segments.iter().for_each(|s| s.release_all());
        (hits, complete)
    }

    /// [`Search::find_first`] of a query whose postings are its hits.
    /// Every hit is ranked by its place alone, as if none held the query
    /// in its headline (the pass over every headline that a common
    /// character needs is most of the time such a search takes); then the
    /// headlines of the newest are looked at one at a time, until `first`
    /// hold it. Those go first, as in [`Search::find_all`], and the rest
    /// follow by place: headline hits among them are not yet moved up, so
    /// the answer is complete only when every headline was looked at. Once
    /// `most` were looked at and fewer than `first` hold the query, the
    /// pass is the cheaper way: the answer is [`Search::find_all`]'s.
    fn headlines_first(&self, query: &Query, first: usize, most: usize) -> (Vec<Ranked>, bool) {
        let mut hits = self.ranked_matches(query, Depth::Postings, &|| false);
        let finders = query.title_finders();
        let finders: Vec<Vec<&Finder<'_>>> = finders.iter().map(|f| f.iter().collect()).collect();
        let mut held = 0;
        let mut looked = 0;
        while held < first && looked < hits.len() {
            if looked == most {
                self.segments.iter().for_each(|s| s.release_all());
                return (self.find_all(query), true);
            }
            let hit = &mut hits[looked];
            if self
                .segments
                .get(hit.segment as usize)
                .is_some_and(|s| title_holds(s, hit.doc, &finders))
            {
                hit.key &= !Ranked::NOT_IN_TITLE;
                held += 1;
            }
            looked += 1;
        }
        self.segments.iter().for_each(|s| s.release_all());
        // Among those looked at, the headline hits first (each part in
        // place order).
        let (mut ordered, rest): (Vec<Ranked>, Vec<Ranked>) =
            hits[..looked].iter().partition(|h| h.in_title());
        ordered.extend(rest);
        hits[..looked].copy_from_slice(&ordered);
        let complete = looked == hits.len();
        (hits, complete)
    }

    /// [`Search::find`] with the file order given by `tie` (any key that
    /// orders articles in file order), cut to the first `first` hits; and
    /// the count of all hits. Only the hits that may be among the first
    /// are kept as the search goes (a command printing 20 of half a
    /// million holds a few thousand), and `tie` is asked only about hits
    /// whose date and time are shared with one of them.
    pub fn find_ranked<K: Ord>(
        &self,
        query: &Query,
        first: usize,
        tie: impl Fn(&Hit) -> K,
    ) -> (usize, Vec<Hit>) {
        let trim = |hits: &mut Vec<Hit>| keep_first(hits, first);
        let keep = Keep {
            most: first,
            trim: &trim,
        };
        // Already cut to the first and those tied with the last of them.
        let (count, mut hits) = self.matches(query, Some(keep));
        let exact = first.min(hits.len());
        hits.sort_unstable_by_key(Hit::coarse);
        // Each group of equals in file order, then the first `exact`.
        let mut start = 0;
        while start < hits.len() {
            let key = hits[start].coarse();
            let len = hits[start..].partition_point(|h| h.coarse() == key);
            if len > 1 {
                hits[start..start + len].sort_by_cached_key(&tie);
            }
            start += len;
        }
        hits.truncate(exact);
        (count, hits)
    }

    /// Every article matching `query`, unranked (those `keep` keeps), and
    /// their count.
    fn matches(&self, query: &Query, keep: Option<Keep<'_, Hit>>) -> (usize, Vec<Hit>) {
        self.matches_with(
            query,
            Depth::Texts,
            &|| false,
            keep,
            |article, s, doc, in_title| Hit {
                article: article as usize,
                in_title,
                rank: self.segments[s].rank(doc as usize),
                segment: s,
                doc,
            },
        )
    }

    /// Every article matching `query`, unranked, each made by `hit` from
    /// its index among the articles opened, its segment and number there,
    /// and whether every term is in its headline; with `keep`, only those
    /// it keeps. And the count of all.
    /// Short of [`Depth::Texts`], a query of more than one bigram gives
    /// its candidates, unconfirmed (see [`Search::find_first`]). Once
    /// `stop` says so, what is left is skipped.
    fn matches_with<T: Send>(
        &self,
        query: &Query,
        depth: Depth,
        stop: &(dyn Fn() -> bool + Sync),
        keep: Option<Keep<'_, T>>,
        hit: impl Fn(u32, usize, u32, bool) -> T + Sync,
    ) -> (usize, Vec<T>) {
        // Titles are stored in UTF-8, texts in UTF-16LE.
        let finders = query.title_finders();
        let wide = query.wide();
        let wide_finders = finders_of(&wide);
        let read_texts = depth == Depth::Texts && !query.exact();
        let headlines = depth != Depth::Postings;
        let found = self.all_candidates(&query.terms, &finders, headlines, stop);
        // Exactly: doubling would leave room for as many hits again (8 MB
        // at half a million), and the copy that gives it back would
        // double the peak.
        let room = |candidates: usize| {
            keep.as_ref()
                .map_or(candidates, |k| candidates.min(k.room()))
        };
        let mut hits = Vec::with_capacity(room(found.iter().map(|f| f.docs.len()).sum()));
        let mut count = 0;
        for found in found {
            if stop() {
                break;
            }
            let s = found.segment;
            let Some(segment) = self.segments.get(s) else {
                continue;
            };
            let candidates = found.docs;
            let finders = held(&finders, &found.forms);
            // The hits of `part` added to `out`, and their count.
            let check = |part: &[(u32, u32)], out: &mut Vec<T>| -> usize {
                let mut count = 0;
                let mut folded_wide = Vec::new();
                // Texts are read in file order; every RELEASE_BYTES the
                // pages read are let go.
                let mut read_from = part
                    .first()
                    .map_or(0, |&(d, _)| segment.text_start(d as usize));
                // Rows and headlines too, every RELEASE_DOCS articles.
                let mut docs_from = part.first().map_or(0, |&(d, _)| d as usize);
                for (n, &(doc, article)) in part.iter().enumerate() {
                    if n % STOP_EVERY == 0 && stop() {
                        break;
                    }
                    if doc as usize >= docs_from + RELEASE_DOCS {
                        segment.release_docs(docs_from..doc as usize);
                        docs_from = doc as usize;
                    }
                    if read_texts {
                        let at = segment.text_start(doc as usize);
                        if at >= read_from + RELEASE_BYTES {
                            segment.release(read_from..at);
                            read_from = at;
                        }
                        if !text_holds(segment, doc, &wide_finders, &mut folded_wide) {
                            continue;
                        }
                    }
                    let in_title = headlines
                        && match &found.titles {
                            Some(terms) => terms.iter().all(|forms| {
                                forms.iter().any(|bits| {
                                    bits.get(doc as usize / 64)
                                        .is_some_and(|word| word & (1 << (doc % 64)) != 0)
                                })
                            }),
                            None => title_holds(segment, doc, &finders),
                        };
                    out.push(hit(article, s, doc, in_title));
                    count += 1;
                    if let Some(keep) = &keep
                        && out.len() >= keep.room()
                    {
                        (keep.trim)(out);
                    }
                }
                if let Some(&(last, _)) = part.last().filter(|_| read_texts) {
                    let (text, _, _) = segment.text(last as usize);
                    segment.release(read_from..segment.text_start(last as usize) + text.len());
                }
                count
            };
            // Many texts to read, or many headlines: two threads share
            // them.
            let parallel = if read_texts {
                PARALLEL_CHECKS
            } else {
                PARALLEL_TITLES
            };
            if candidates.len() >= parallel {
                let (a, b) = candidates.split_at(candidates.len() / 2);
                let mut second = Vec::with_capacity(room(b.len()));
                count += std::thread::scope(|scope| {
                    let other = scope.spawn(|| check(b, &mut second));
                    let here = check(a, &mut hits);
                    here + other
                        .join()
                        .unwrap_or_else(|e| std::panic::resume_unwind(e))
                });
                hits.append(&mut second);
            } else {
                count += check(&candidates, &mut hits);
            }
            if let Some(keep) = &keep {
                (keep.trim)(&mut hits);
            }
            // The postings, rank keys and headlines read stay in the page
            // cache but no longer count in this process's memory (the
            // texts were let go as read).
            segment.release_all();
        }
        // Room was made for every candidate; a search in a reader keeps
        // its hits.
        hits.shrink_to_fit();
        (count, hits)
    }

    /// The candidates of `terms` in every segment, in segment order: two
    /// threads take a segment at a time (a common character's postings
    /// at a million articles take milliseconds a segment to read). With
    /// `headlines`, and most articles candidates, the headlines holding
    /// each term are found in one pass. Once `stop` says so, no more
    /// segments are started.
    fn all_candidates(
        &self,
        terms: &[Vec<Term>],
        finders: &[Vec<Finder<'_>>],
        headlines: bool,
        stop: &(dyn Fn() -> bool + Sync),
    ) -> Vec<Candidates> {
        let next = AtomicUsize::new(0);
        let found = Mutex::new(Vec::with_capacity(self.segments.len()));
        let work = || {
            let mut scratch = Vec::new();
            loop {
                let s = next.fetch_add(1, Ordering::Relaxed);
                let (Some(segment), Some(positions)) =
                    (self.segments.get(s), self.positions.get(s))
                else {
                    break;
                };
                if stop() {
                    break;
                }
                let (docs, forms) = candidates(segment, terms, &mut scratch);
                // Most articles to look at: their headlines are read in
                // one pass per form instead.
                let titles = (headlines && docs.len() >= segment.len() / SCAN_TITLES).then(|| {
                    let words = segment.len().div_ceil(64);
                    held(finders, &forms)
                        .iter()
                        .map(|finders| {
                            finders
                                .iter()
                                .map(|finder| {
                                    let mut bits = vec![0u64; words];
                                    segment.titles_holding(finder.needle(), &mut bits);
                                    bits
                                })
                                .collect()
                        })
                        .collect()
                });
                let docs = docs
                    .into_iter()
                    .filter_map(|doc| Some((doc, positions.get(doc as usize)?)))
                    .collect();
                // The postings are read.
                segment.release_postings();
                found
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .push(Candidates {
                        segment: s,
                        docs,
                        forms,
                        titles,
                    });
            }
        };
        if self.segments.len() > 1 {
            std::thread::scope(|scope| {
                scope.spawn(work);
                work();
            });
        } else {
            work();
        }
        let mut found = found.into_inner().unwrap_or_else(PoisonError::into_inner);
        found.sort_unstable_by_key(|f| f.segment);
        found
    }

    /// The text around `hit`'s first match (in the body if there is one
    /// there): up to `before` characters before it and the rest up to
    /// `chars` characters, on one line, as the article writes it, the
    /// matches of every term marked.
    pub fn snippet(
        &self,
        hit: &impl Placed,
        query: &Query,
        before: usize,
        chars: usize,
    ) -> Snippet {
        let (at, doc) = hit.place();
        let Some(segment) = self.segments.get(at) else {
            return Snippet::default();
        };
        let (text, title_len, _) = segment.text(doc as usize);
        let title_len = title_len.min(text.len());
        let (title, rest) = text.split_at(title_len);
        // Folding maps one character to one: positions in characters are
        // the same in the text and in its folded form. The text is walked,
        // never copied or decoded whole: an article may be a 10 MB
        // paragraph.
        let raw = || utf16_chars(title).chain(utf16_chars(rest));
        let body = utf16_chars(title).count() + 1;
        let terms: Vec<Vec<char>> = query.terms().map(|t| t.chars().collect()).collect();
        let first = first_match(raw().skip(body), &terms)
            .map(|i| i + body)
            .or_else(|| first_match(raw(), &terms))
            .unwrap_or(0);
        // Context from the same part: a body hit's snippet does not reach
        // back into the headline.
        let floor = if first >= body { body } else { 0 };
        let mut start = first.saturating_sub(before).max(floor.min(first));
        // Context does not open on a mark no line may start with (the
        // `，` of `…，聘请`).
        if start > floor {
            let opening = raw().skip(start).take(first - start);
            start += opening
                .take_while(|&c| crate::typeset::is_no_start(c))
                .count();
        }
        let shown: Vec<char> = raw().skip(start).take(chars).collect();
        let mut out = String::new();
        if start > floor {
            out.push('…');
        }
        let mut offsets = Vec::with_capacity(shown.len() + 1);
        for &c in &shown {
            offsets.push(out.len());
            out.push(if c == '\n' { ' ' } else { c });
        }
        offsets.push(out.len());
        // Marks: every match of every term inside the window.
        let window: Vec<char> = shown.iter().map(|&c| grams::fold(c)).collect();
        let mut lit = vec![false; window.len()];
        for t in terms.iter().filter(|t| !t.is_empty()) {
            let mut at = 0;
            while let Some(i) = find_chars(&window[at..], t) {
                lit[at + i..at + i + t.len()]
                    .iter_mut()
                    .for_each(|l| *l = true);
                at += i + 1;
            }
        }
        let mut marks: Vec<Range<usize>> = Vec::new();
        for (i, &on) in lit.iter().enumerate() {
            if !on {
                continue;
            }
            match marks.last_mut() {
                Some(m) if m.end == offsets[i] => m.end = offsets[i + 1],
                _ => marks.push(offsets[i]..offsets[i + 1]),
            }
        }
        Snippet { text: out, marks }
    }
}

/// Whether the headline of article `doc` of `segment` holds every term
/// (any of its forms, `finders` per term).
fn title_holds(segment: &Segment, doc: u32, finders: &[Vec<&Finder<'_>>]) -> bool {
    let title = segment.title(doc as usize);
    finders
        .iter()
        .all(|forms| forms.iter().any(|f| f.find(title).is_some()))
}

/// Finders of each term's forms, as [`Query::wide`] gives them.
fn finders_of(wide: &[Vec<Vec<u8>>]) -> Vec<Vec<Finder<'_>>> {
    wide.iter()
        .map(|forms| forms.iter().map(Finder::new).collect())
        .collect()
}

/// Whether article `doc` of `segment` holds every term (any of its forms,
/// `finders` as [`finders_of`] makes them) in its text; `folded` is
/// scratch room.
fn text_holds(
    segment: &Segment,
    doc: u32,
    finders: &[Vec<Finder<'_>>],
    folded: &mut Vec<u8>,
) -> bool {
    let (text, _, clean) = segment.text(doc as usize);
    let text = if clean {
        text
    } else {
        fold_utf16(text, folded);
        folded
    };
    finders
        .iter()
        .all(|forms| forms.iter().any(|f| holds(f, text)))
}

/// UTF-16LE `text` folded ([`grams::fold`], one character to one) into
/// `out`, in one pass: an article may be a 10 MB paragraph.
fn fold_utf16(text: &[u8], out: &mut Vec<u8>) {
    out.clear();
    out.reserve(text.len());
    let mut buf = [0u16; 2];
    for c in utf16_chars(text) {
        let c = grams::fold(c);
        for unit in c.encode_utf16(&mut buf) {
            out.extend_from_slice(&unit.to_le_bytes());
        }
    }
}

/// Whether UTF-16LE `text` holds what `finder` looks for, at a character
/// boundary (a match an odd number of bytes in straddles two units).
fn holds(finder: &Finder<'_>, text: &[u8]) -> bool {
    finder.find_iter(text).any(|at| at % 2 == 0)
}

/// Where the first match of any of `terms` starts in the folded `text`, in
/// characters; one pass, holding only the last few characters.
fn first_match(text: impl Iterator<Item = char>, terms: &[Vec<char>]) -> Option<usize> {
    let longest = terms.iter().map(Vec::len).max().filter(|&n| n > 0)?;
    let mut recent: std::collections::VecDeque<char> =
        std::collections::VecDeque::with_capacity(longest);
    let mut best: Option<usize> = None;
    for (i, c) in text.enumerate() {
        if best.is_some_and(|b| i >= b + longest) {
            break;
        }
        if recent.len() == longest {
            recent.pop_front();
        }
        recent.push_back(grams::fold(c));
        for t in terms
            .iter()
            .filter(|t| !t.is_empty() && t.len() <= recent.len())
        {
            let tail = recent.iter().skip(recent.len() - t.len());
            if tail.eq(t.iter()) {
                let at = i + 1 - t.len();
                best = Some(best.map_or(at, |b| b.min(at)));
            }
        }
    }
    best
}

/// Where `needle` first occurs in `hay`.
fn find_chars(hay: &[char], needle: &[char]) -> Option<usize> {
    if needle.is_empty() || needle.len() > hay.len() {
        return None;
    }
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Per term, the finders of the forms some article of a segment holds
/// (`forms`, from [`candidates`]): a headline can hold no other (headlines
/// are indexed with the text), so a paper printed in one script is not
/// searched for the other's.
fn held<'f, 'n>(finders: &'f [Vec<Finder<'n>>], forms: &[Vec<bool>]) -> Vec<Vec<&'f Finder<'n>>> {
    finders
        .iter()
        .zip(forms)
        .map(|(finders, held)| {
            finders
                .iter()
                .zip(held)
                .filter(|(_, held)| **held)
                .map(|(finder, _)| finder)
                .collect()
        })
        .collect()
}

/// A segment's articles' numbers among the articles opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Numbers {
    /// Per article, its number or [`NONE`]: any order (the library's).
    Table(Vec<u32>),
    /// Numbered in article order from `base`, the articles opened one bit
    /// each: a command's snapshot, which would otherwise fill a table of
    /// 4 MB at a million articles for every search.
    Counted {
        base: u32,
        /// Per article, whether it is opened.
        bits: Vec<u64>,
        /// Per word of `bits`, the articles opened before it.
        before: Vec<u32>,
    },
}

impl Numbers {
    /// `len` articles numbered in article order from `base`, those of
    /// `ranges` (ascending, apart) opened; and the number after the last.
    pub fn counted(
        len: usize,
        base: u32,
        ranges: impl Iterator<Item = Range<usize>>,
    ) -> (Numbers, u32) {
        let mut bits = vec![0u64; len.div_ceil(64)];
        for range in ranges {
            let end = range.end.min(len);
            let mut doc = range.start;
            while doc < end {
                let bit = doc % 64;
                let take = (64 - bit).min(end - doc);
                let ones = if take == 64 {
                    u64::MAX
                } else {
                    ((1u64 << take) - 1) << bit
                };
                bits[doc / 64] |= ones;
                doc += take;
            }
        }
        let mut before = Vec::with_capacity(bits.len());
        let mut count = 0u32;
        for word in &bits {
            before.push(count);
            count += word.count_ones();
        }
        (Numbers::Counted { base, bits, before }, base + count)
    }

    /// Article `doc`'s number, if it is opened.
    pub fn get(&self, doc: usize) -> Option<u32> {
        match self {
            Numbers::Table(table) => table.get(doc).copied().filter(|&n| n != NONE),
            Numbers::Counted { base, bits, before } => {
                let word = *bits.get(doc / 64)?;
                let bit = 1u64 << (doc % 64);
                (word & bit != 0).then(|| base + before[doc / 64] + (word & (bit - 1)).count_ones())
            }
        }
    }
}

/// Which hits a search keeps as it goes ([`Search::find_ranked`]): once
/// a list holds [`Keep::room`] of them, `trim` cuts it to the best `most`
/// and those tied with the last of them.
struct Keep<'a, T> {
    most: usize,
    trim: &'a (dyn Fn(&mut Vec<T>) + Sync),
}

impl<T> Keep<'_, T> {
    /// Hits a list holds before it is trimmed: room enough that a trim
    /// (a selection over the list) comes once every few thousand hits.
    fn room(&self) -> usize {
        self.most.saturating_mul(2).max(4096)
    }
}

/// `hits` cut to the best `first` by [`Hit::coarse`] and those tied
/// with the last of them, in no particular order.
fn keep_first(hits: &mut Vec<Hit>, first: usize) {
    if first == 0 {
        hits.clear();
        return;
    }
    if hits.len() <= first {
        return;
    }
    hits.select_nth_unstable_by_key(first - 1, Hit::coarse);
    let last = hits[first - 1].coarse();
    let mut end = first;
    for i in first..hits.len() {
        if hits[i].coarse() == last {
            hits.swap(i, end);
            end += 1;
        }
    }
    hits.truncate(end);
}

/// A segment's candidates for a query: (article number there, index
/// among the articles opened), ascending; and per term, which of its
/// forms some article of the segment holds.
struct Candidates {
    segment: usize,
    docs: Vec<(u32, u32)>,
    forms: Vec<Vec<bool>>,
    /// When most articles are candidates: per term, per form held, the
    /// articles whose headline holds it, one bit each
    /// ([`Segment::titles_holding`]).
    titles: Option<Vec<Vec<Vec<u64>>>>,
}

/// The articles of `segment` that hold, for every term, every key of one
/// of its forms; and per term, which of its forms some article here
/// holds.
fn candidates(
    segment: &Segment,
    terms: &[Vec<Term>],
    scratch: &mut Vec<u32>,
) -> (Vec<u32>, Vec<Vec<bool>>) {
    let mut result: Option<Vec<u32>> = None;
    let mut held = Vec::with_capacity(terms.len());
    let chars = CharKeys::of(segment, terms);
    for forms in terms {
        let mut docs: Vec<u32> = Vec::new();
        let mut here = Vec::with_capacity(forms.len());
        for form in forms {
            let of_form = form_docs(segment, form, &chars, scratch);
            here.push(!of_form.is_empty());
            docs = union(&docs, &of_form);
        }
        held.push(here);
        result = Some(match result {
            None => docs,
            Some(prev) => intersect(&prev, &docs),
        });
        if result.as_ref().is_some_and(Vec::is_empty) {
            return (Vec::new(), held);
        }
    }
    (result.unwrap_or_default(), held)
}

/// The articles of `segment` that hold every key of `term`.
fn form_docs(segment: &Segment, term: &Term, chars: &CharKeys, scratch: &mut Vec<u32>) -> Vec<u32> {
    let mut result: Option<Vec<u32>> = None;
    for piece in &term.pieces {
        let docs = piece_docs(segment, piece, chars, scratch);
        result = Some(match result {
            None => docs,
            Some(prev) => intersect(&prev, &docs),
        });
        if result.as_ref().is_some_and(Vec::is_empty) {
            break;
        }
    }
    result.unwrap_or_default()
}

/// The values in either ascending list, ascending.
fn union(a: &[u32], b: &[u32]) -> Vec<u32> {
    if a.is_empty() || b.is_empty() {
        return if a.is_empty() { b.to_vec() } else { a.to_vec() };
    }
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => {
                out.push(a[i]);
                i += 1;
            }
            std::cmp::Ordering::Greater => {
                out.push(b[j]);
                j += 1;
            }
            std::cmp::Ordering::Equal => {
                out.push(a[i]);
                i += 1;
                j += 1;
            }
        }
    }
    out.extend_from_slice(&a[i..]);
    out.extend_from_slice(&b[j..]);
    out
}

/// Per character a query looks for alone (a [`Piece::Char`]), the keys
/// of a segment that hold it: its bigrams and its unigram, found in one
/// pass over the key table for all of them (a query is looked for in
/// both scripts: 创 and 創).
struct CharKeys {
    chars: Vec<char>,
    keys: Vec<Vec<usize>>,
}

impl CharKeys {
    fn of(segment: &Segment, terms: &[Vec<Term>]) -> CharKeys {
        let mut chars: Vec<char> = terms
            .iter()
            .flatten()
            .flat_map(|t| &t.pieces)
            .filter_map(|p| match p {
                Piece::Char(c) => Some(*c),
                _ => None,
            })
            .collect();
        chars.sort_unstable();
        chars.dedup();
        let mut keys = vec![Vec::new(); chars.len()];
        if !chars.is_empty() {
            // Every key is read (a scan; the caller lets the table go).
            for i in 0..segment.key_count() {
                let key = segment.key(i);
                for (c, keys) in chars.iter().zip(&mut keys) {
                    if grams::holds(key, *c) {
                        keys.push(i);
                    }
                }
            }
        }
        CharKeys { chars, keys }
    }

    /// The keys holding `c` (none for a character not asked for).
    fn holding(&self, c: char) -> &[usize] {
        self.chars
            .binary_search(&c)
            .ok()
            .and_then(|n| self.keys.get(n))
            .map_or(&[], Vec::as_slice)
    }
}

fn piece_docs(
    segment: &Segment,
    piece: &Piece,
    chars: &CharKeys,
    scratch: &mut Vec<u32>,
) -> Vec<u32> {
    match piece {
        Piece::Word(key) => postings(segment, *key, scratch),
        Piece::Run(keys) => {
            // Rarest first keeps the intersections small.
            let mut lists: Vec<Vec<u32>> = keys
                .iter()
                .map(|&k| postings(segment, k, scratch))
                .collect();
            lists.sort_by_key(Vec::len);
            let mut iter = lists.into_iter();
            let mut docs = iter.next().unwrap_or_default();
            for list in iter {
                if docs.is_empty() {
                    break;
                }
                docs = intersect(&docs, &list);
            }
            docs
        }
        Piece::Char(c) => {
            // Every bigram holding the character, and its unigram, one bit
            // per article: a common character's lists are bitmaps, taken
            // a word at a time.
            let mut bits = vec![0u64; segment.len().div_ceil(64)];
            // The lists of the keys that hold it (read from the file).
            for &i in chars.holding(*c) {
                segment.postings_into(i, &mut bits);
            }
            let mut docs = Vec::with_capacity(bits.iter().map(|w| w.count_ones() as usize).sum());
            for (n, &word) in bits.iter().enumerate() {
                let mut left = word;
                while left != 0 {
                    docs.push((n * 64) as u32 + left.trailing_zeros());
                    left &= left - 1;
                }
            }
            docs
        }
    }
}

fn postings(segment: &Segment, key: u64, scratch: &mut Vec<u32>) -> Vec<u32> {
    scratch.clear();
    if let Some(i) = segment.find_key(key) {
        segment.postings(i, scratch);
    }
    scratch.clone()
}

/// The values in both ascending lists.
fn intersect(a: &[u32], b: &[u32]) -> Vec<u32> {
    let (small, large) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    let mut out = Vec::with_capacity(small.len());
    if small.len() * 16 < large.len() {
        // Galloping: binary search each of the few in the many.
        let mut from = 0;
        for &x in small {
            match large[from..].binary_search(&x) {
                Ok(i) => {
                    out.push(x);
                    from += i + 1;
                }
                Err(i) => from += i,
            }
        }
        return out;
    }
    let (mut i, mut j) = (0, 0);
    while i < small.len() && j < large.len() {
        match small[i].cmp(&large[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                out.push(small[i]);
                i += 1;
                j += 1;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::segment::decode_utf16;

    /// Articles numbered by bits and counts get the numbers a table
    /// numbering them one by one gives: ranges across and along word
    /// edges, whole words, a last word cut short, none at all.
    #[test]
    #[allow(
        clippy::single_range_in_vec_init,
        reason = "lists of ranges, some of one range"
    )]
    fn counted_numbers_are_the_table_s() {
        let cases: [(usize, &[Range<usize>]); 6] = [
            (0, &[]),
            (130, &[]),
            (130, &[0..130]),
            (200, &[3..5, 60..70, 128..192, 199..200]),
            (64, &[0..64]),
            (1000, &[1..2, 63..65, 100..400, 640..641, 700..1000]),
        ];
        for (len, ranges) in cases {
            let base = 17;
            let (numbers, after) = Numbers::counted(len, base, ranges.iter().cloned());
            let mut table = vec![NONE; len];
            let mut next = base;
            for range in ranges {
                for slot in &mut table[range.clone()] {
                    *slot = next;
                    next += 1;
                }
            }
            assert_eq!(after, next, "{ranges:?}");
            let table = Numbers::Table(table);
            for doc in 0..len + 70 {
                assert_eq!(numbers.get(doc), table.get(doc), "{doc} of {ranges:?}");
            }
        }
    }

    #[test]
    fn a_match_across_two_utf16_units_is_no_match() {
        // ⵁ (U+2D41) then N is 41 2D 4E 00: 中 (U+4E2D, 2D 4E) one byte in.
        let mut text = Vec::new();
        encode_utf16("\u{2D41}N", &mut text);
        let mut needle = Vec::new();
        encode_utf16("中", &mut needle);
        assert_eq!(Finder::new(&needle).find(&text), Some(1));
        assert!(!holds(&Finder::new(&needle), &text));
        encode_utf16("中", &mut text);
        assert!(holds(&Finder::new(&needle), &text), "the real one after it");
        assert_eq!(decode_utf16(&text), "\u{2D41}N中");
    }

    #[test]
    fn folding_utf16_folds_as_the_text_would_be() {
        let text = "ＧＤＰ增长Ａ５％，Hello😀";
        let mut wide = Vec::new();
        encode_utf16(text, &mut wide);
        let mut folded = Vec::new();
        fold_utf16(&wide, &mut folded);
        let mut expected = String::new();
        grams::normalize(text, &mut expected);
        assert_eq!(decode_utf16(&folded), expected);
    }

    #[test]
    fn unions() {
        assert_eq!(union(&[1, 3, 5], &[2, 3, 8]), vec![1, 2, 3, 5, 8]);
        assert_eq!(union(&[], &[4]), vec![4]);
        assert_eq!(union(&[4], &[]), vec![4]);
    }

    #[test]
    fn a_term_is_looked_for_in_both_scripts() {
        let forms = |q: &str| -> Vec<Vec<String>> {
            let query = Query::parse(q).map_err(|e| e.to_string());
            let query = query.unwrap_or_else(|e| panic!("{q}: {e}"));
            query
                .terms
                .iter()
                .map(|f| f.iter().map(|t| t.text.clone()).collect())
                .collect()
        };
        assert_eq!(forms("创新"), [["创新", "創新"]]);
        assert_eq!(forms("發展"), [["發展", "发展"]]);
        assert_eq!(forms("头发 gdp"), vec![vec!["头发", "頭髮"], vec!["gdp"]]);
        // Taiwan's forms where they differ from OpenCC's standard ones.
        assert_eq!(forms("里面"), [["里面", "裏面", "裡面"]]);
    }

    #[test]
    fn intersections() {
        assert_eq!(intersect(&[1, 3, 5, 7], &[3, 4, 5]), vec![3, 5]);
        let many: Vec<u32> = (0..1000).collect();
        assert_eq!(intersect(&[5, 999, 2000], &many), vec![5, 999]);
        assert!(intersect(&[], &many).is_empty());
    }
}
