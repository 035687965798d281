//! The archive as the reader holds it: the articles grouped into sections,
//! their read and starred marks, the search index, the search typed and
//! what it found, and the warnings from loading and fetching.
//!
//! Plain data, changed only through its methods, which keep what is
//! derived from it up to date: which articles each section shows (the
//! search narrows them) and how many of those are unread are worked out
//! once per change, never per frame.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::index::search::{Query, QueryError, Ranked, Search};
use crate::library::{Library, Shelf};
use crate::marks::{Marks, Place};
use crate::model::{Article, Warning};
use crate::sync::MarkChange;
use crate::typeset::Context;

/// A feed's articles of one date and section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// Names a million articles' sections share are held once.
    pub feed_title: Arc<str>,
    pub date: Option<Arc<str>>,
    /// The 版面 number, kept where two 版面 of a date share a name (`01版
    /// 要闻`, `02版 要闻`): a section is one 版面.
    pub page: Option<Arc<str>>,
    pub name: Option<Arc<str>>,
    /// Its articles (indices into the archive's articles), in page order:
    /// a run of consecutive articles.
    pub articles: Range<usize>,
    /// The day (index into [`Archive::days`]) it belongs to.
    pub day: usize,
}

impl Section {
    /// `2023-03-08 05版 要闻`, or what is known of it.
    pub fn label(&self) -> String {
        let date = self.date.as_deref().unwrap_or(crate::model::UNDATED);
        format!("{date} {}", self.name_label())
    }

    /// `05版 要闻`, or `要闻`: the section's name under its date in the
    /// sections tree.
    pub fn name_label(&self) -> String {
        let name = self.name.as_deref().unwrap_or(crate::model::NO_SECTION);
        match &self.page {
            Some(page) => format!("{page}版 {name}"),
            None => name.to_owned(),
        }
    }
}

/// A feed's sections of one date: a node of the sections tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Day {
    /// Index into [`Archive::feeds`].
    pub feed: usize,
    pub date: Option<Arc<str>>,
    /// Its sections (indices into [`Archive::sections`]).
    pub sections: Range<usize>,
}

impl Day {
    /// `2023-03-08`, or 日期不详.
    pub fn label(&self) -> &str {
        self.date.as_deref().unwrap_or(crate::model::UNDATED)
    }
}

/// A feed's days: the top of the sections tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Feed {
    pub title: String,
    /// Its days (indices into [`Archive::days`]), newest first.
    pub days: Range<usize>,
}

/// A row of the sections tree: a feed, one of its days, or a section of a
/// day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Row {
    Feed(usize),
    Day(usize),
    Section(usize),
}

/// Which articles the lists show, besides what a search narrows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum View {
    #[default]
    All,
    /// Unread articles only (an article read while shown stays until the
    /// view or the search changes).
    Unread,
    Starred,
}

impl View {
    /// The next view of the cycle all → unread → starred → all.
    pub fn next(self) -> View {
        match self {
            View::All => View::Unread,
            View::Unread => View::Starred,
            View::Starred => View::All,
        }
    }

    /// `未读`, as the lists' headers and the status line name it.
    pub fn label(self) -> &'static str {
        match self {
            View::All => "全部",
            View::Unread => "未读",
            View::Starred => "星标",
        }
    }
}

/// The result of the search being shown.
#[derive(Debug, Clone)]
pub struct Found {
    pub query: Query,
    /// Ranked: headline hits first, then the newest.
    pub hits: Vec<Ranked>,
    /// The articles hit, for counting them per section.
    pub articles: Marked,
    /// Every hit is confirmed in its text; else the first are, and the
    /// rest are candidates until a worker has confirmed them (see
    /// [`Archive::answer_first`]).
    pub complete: bool,
    /// A worker was asked to confirm them.
    asked: bool,
    /// The worker stopped on an error: the rest stay candidates.
    stopped: bool,
}

/// `search` ranked whole, so that each search orders its hits by one
/// number apiece ([`Search::rank_all`]; already done on the worker thread
/// that opened it, in the reader).
fn ranked(mut search: Search) -> Search {
    search.rank_all();
    search
}

/// Which search a worker confirms, and whether it is still the one
/// shown: a worker for a search typed over stops.
#[derive(Debug, Clone)]
pub struct Ticket {
    current: Arc<AtomicU64>,
    mine: u64,
}

impl Ticket {
    pub fn is_current(&self) -> bool {
        self.current.load(Ordering::SeqCst) == self.mine
    }
}

impl PartialEq for Ticket {
    fn eq(&self, other: &Ticket) -> bool {
        Arc::ptr_eq(&self.current, &other.current) && self.mine == other.mine
    }
}

impl Eq for Ticket {}

/// A set of articles (indices into [`Archive::articles`]), one bit each:
/// a search at a million articles lets hundreds of thousands through,
/// and every section asks about each of its articles.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Marked {
    bits: Vec<u64>,
}

impl Marked {
    /// The set of `articles`, among `len`.
    pub fn of(articles: impl Iterator<Item = usize>, len: usize) -> Marked {
        let mut bits = vec![0u64; len.div_ceil(64)];
        for i in articles {
            if let Some(word) = bits.get_mut(i / 64) {
                *word |= 1 << (i % 64);
            }
        }
        Marked { bits }
    }

    pub fn contains(&self, article: usize) -> bool {
        self.bits
            .get(article / 64)
            .is_some_and(|word| word & (1 << (article % 64)) != 0)
    }

    /// The articles in the set, in order.
    pub fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        self.bits.iter().enumerate().flat_map(|(n, &word)| {
            let mut left = word;
            std::iter::from_fn(move || {
                (left != 0).then(|| {
                    let bit = left.trailing_zeros() as usize;
                    left &= left - 1;
                    n * 64 + bit
                })
            })
        })
    }
}

/// Everything the reader shows, as loaded.
#[derive(Debug, Clone, Default)]
pub struct Archive {
    /// Ordered by feed, date (newest first), page and place on the page,
    /// kept compact. Only an article's text may come in place (read from
    /// its file); a new library comes through [`Archive::replace`].
    articles: Shelf,
    pub sections: Vec<Section>,
    /// The sections tree's feeds and days, in library order.
    pub feeds: Vec<Feed>,
    pub days: Vec<Day>,
    pub feed_titles: HashMap<String, String>,
    /// From loading, and from the last fetch (paths `fetch FEED`).
    pub warnings: Vec<Warning>,
    /// Those from before loading (the state file, the config), which a
    /// reload keeps.
    startup_warnings: Vec<Warning>,
    marks: Marks,
    /// The archive's search index, once it is open (shared with the worker
    /// that confirms a search's hits).
    search: Option<Arc<Search>>,
    /// Hits a search confirms at once before a worker confirms the rest;
    /// `None`: all at once.
    first: Option<usize>,
    /// Searches run so far: what makes a [`Ticket`] current.
    searches: Arc<AtomicU64>,
    /// The search typed after `/`; empty for none.
    query: String,
    /// The search being shown (or why it found nothing to look for).
    found: Option<Result<Found, QueryError>>,
    /// Which articles the view lets through.
    view: View,
    /// Per article: its section.
    section_of: Vec<u32>,
    /// Per article: whether `marks` has it read, and starred. The views
    /// and the unread counts test every article; a set of ids would be
    /// searched 100,000 times per change at 100,000 articles.
    read: Vec<bool>,
    starred: Vec<bool>,
    /// The articles shown, section after section, and where each
    /// section's start (one vector: a million articles' sections are
    /// hundreds of thousands); per section, how many of them are unread.
    shown: Vec<usize>,
    shown_at: Vec<usize>,
    unread: Vec<usize>,
}

impl Archive {
    /// The archive of `library` with its `marks`, the warnings from
    /// loading it and its search index, if one is open.
    pub fn new(
        library: impl Into<Library<Shelf>>,
        marks: Marks,
        warnings: Vec<Warning>,
        search: Option<Search>,
    ) -> Archive {
        let library = library.into();
        let mut archive = Archive {
            marks,
            search: search.map(ranked).map(Arc::new),
            startup_warnings: warnings.clone(),
            ..Archive::default()
        };
        let mut all_warnings = library.warnings.clone();
        all_warnings.extend(warnings);
        archive.take(library);
        archive.warnings = all_warnings;
        archive
    }

    /// Takes `library` and its search index (a search index belongs to the
    /// library it was opened with) in place of the articles (after a
    /// fetch, or when the index has more), with its feeds' titles and
    /// sections; the search is run again. Warnings are the caller's to set.
    pub fn replace(&mut self, library: Library<Shelf>, search: Option<Search>) {
        self.search = search.map(ranked).map(Arc::new);
        self.take(library);
    }

    fn take(&mut self, library: Library<Shelf>) {
        self.feed_titles = library
            .feeds
            .iter()
            .map(|f| (f.id.clone(), f.title.clone()))
            .collect();
        self.sections = sections(&library.articles, &self.feed_titles);
        (self.feeds, self.days) = tree(&mut self.sections);
        self.section_of = vec![0; library.articles.len()];
        for (n, s) in self.sections.iter().enumerate() {
            for slot in self
                .section_of
                .get_mut(s.articles.clone())
                .into_iter()
                .flatten()
            {
                *slot = u32::try_from(n).unwrap_or(u32::MAX);
            }
        }
        self.articles = library.articles;
        let ids = (0..self.articles.len()).map(|i| self.articles.id(i));
        self.read = ids.clone().map(|id| self.marks.is_read(id)).collect();
        self.starred = ids.map(|id| self.marks.is_starred(id)).collect();
        self.run_search();
    }

    /// How many articles there are.
    pub fn len(&self) -> usize {
        self.articles.len()
    }

    pub fn is_empty(&self) -> bool {
        self.articles.is_empty()
    }

    /// Article `index`: with its text once that was read, else what the
    /// index keeps of it (the lists' fields, [`Article::stub`]).
    pub fn article(&self, index: usize) -> Option<Cow<'_, Article>> {
        self.articles.get(index)
    }

    /// Article `index`'s id; empty past the end.
    pub fn id(&self, index: usize) -> &str {
        self.articles.id(index)
    }

    /// Keeps article `index` with its text, read from its file.
    pub fn set_text(&mut self, index: usize, article: Article) {
        self.articles.set_whole(index, article);
    }

    /// Whether article `index`'s text has been read.
    pub fn has_text(&self, index: usize) -> bool {
        self.articles.is_whole(index)
    }

    /// The warnings from before loading, which every reload shows too.
    pub fn startup_warnings(&self) -> &[Warning] {
        &self.startup_warnings
    }

    pub fn marks(&self) -> &Marks {
        &self.marks
    }

    /// Whether article `index` is read.
    pub fn is_read(&self, index: usize) -> bool {
        self.read.get(index).copied().unwrap_or(false)
    }

    /// Marks article `index` read or unread; returns whether that changed
    /// it. The article stays shown whatever the view.
    pub fn set_read(&mut self, index: usize, read: bool) -> bool {
        if self.read.get(index).is_none_or(|&r| r == read) {
            return false;
        }
        self.marks.set_read(self.articles.id(index), read);
        self.read[index] = read;
        let section = self.section_of[index] as usize;
        if self.visible(section).binary_search(&index).is_ok() {
            let unread = &mut self.unread[section];
            *unread = if read {
                unread.saturating_sub(1)
            } else {
                *unread + 1
            };
        }
        true
    }

    /// Turns article `index`'s read mark over; returns whether it is now
    /// read.
    pub fn toggle_read(&mut self, index: usize) -> bool {
        let read = !self.is_read(index);
        self.set_read(index, read);
        read
    }

    /// Turns article `index`'s star over; returns whether it is now
    /// starred.
    pub fn toggle_star(&mut self, index: usize) -> bool {
        match self.starred.get_mut(index) {
            Some(shown) => {
                *shown = self.marks.toggle_star(self.articles.id(index));
                *shown
            }
            None => false,
        }
    }

    /// The section article `index` is in.
    pub fn section_of(&self, index: usize) -> Option<usize> {
        self.section_of.get(index).map(|&s| s as usize)
    }

    /// Where the reader left article `index`.
    pub fn place(&self, index: usize) -> Option<Place> {
        (index < self.articles.len())
            .then(|| self.marks.place(self.articles.id(index)))
            .flatten()
    }

    /// Remembers where the reader left article `index`.
    pub fn set_place(&mut self, index: usize, place: Place) {
        if index < self.articles.len() {
            self.marks.set_place(self.articles.id(index), place);
        }
    }

    /// Remembers the article open when the reader quits.
    pub fn set_last(&mut self, index: Option<usize>) {
        let id = index
            .filter(|&i| i < self.articles.len())
            .map(|i| self.articles.id(i));
        self.marks.set_last(id);
    }

    /// Which articles the view lets through.
    pub fn view(&self) -> View {
        self.view
    }

    /// Shows the articles `view` lets through.
    pub fn set_view(&mut self, view: View) {
        self.view = view;
        self.count_shown();
    }

    /// Whether a search or the view hides articles (then sections, days
    /// and feeds with nothing to show are hidden).
    pub fn narrowed(&self) -> bool {
        self.view != View::All || !self.query.trim().is_empty()
    }

    /// The archive's search index, once it is open.
    pub fn search(&self) -> Option<&Search> {
        self.search.as_deref()
    }

    /// Lets a search answer with its first `first` hits confirmed in
    /// their texts and the rest as candidates (a superset, in rank order),
    /// which a worker then confirms ([`Archive::take_confirm`],
    /// [`Archive::confirmed`]): at a million articles, reading the texts
    /// of 300,000 candidates takes longer than a key may. What the reader
    /// does; without it (tests, benches of one update), every hit is
    /// confirmed at once.
    pub fn answer_first(&mut self, first: usize) {
        self.first = Some(first);
    }

    /// The search to confirm on a worker and the index to do it with, once
    /// per search that needs it.
    pub fn take_confirm(&mut self) -> Option<(String, Arc<Search>, Ticket)> {
        let search = self.search.clone()?;
        let ticket = Ticket {
            current: Arc::clone(&self.searches),
            mine: self.searches.load(Ordering::SeqCst),
        };
        match &mut self.found {
            Some(Ok(found)) if !found.complete && !found.asked => {
                found.asked = true;
                Some((self.query.trim().to_owned(), search, ticket))
            }
            _ => None,
        }
    }

    /// Whether a worker is confirming the hits of the search shown: its
    /// answer is awaited.
    pub fn confirming(&self) -> bool {
        matches!(&self.found, Some(Ok(found)) if found.asked && !found.complete && !found.stopped)
    }

    /// The worker confirming the search's hits stopped on an error: its
    /// answer is no longer awaited (the rest of the hits stay candidates).
    pub fn confirm_stopped(&mut self) {
        if let Some(Ok(found)) = &mut self.found {
            found.stopped = true;
        }
    }

    /// Takes the confirmed `hits` of the search `query`, if it is still
    /// the one shown.
    pub fn confirmed(&mut self, query: &str, hits: Vec<Ranked>) {
        let current = self.query.trim() == query;
        if let Some(Ok(found)) = &mut self.found
            && current
            && !found.complete
        {
            found.articles = Marked::of(hits.iter().map(Ranked::article), self.articles.len());
            found.hits = hits;
            found.complete = true;
            self.count_shown();
        }
    }

    /// The search typed after `/`.
    pub fn query(&self) -> &str {
        &self.query
    }

    /// Sets the search typed after `/` and runs it.
    pub fn set_query(&mut self, query: String) {
        self.query = query;
        self.run_search();
    }

    /// What the search found, or why it could not look; `None` when no
    /// search (or no index) narrows the lists.
    pub fn found(&self) -> Option<&Result<Found, QueryError>> {
        self.found.as_ref()
    }

    /// Runs the search again (the query or the archive changed).
    fn run_search(&mut self) {
        // The hits shown so far go first: a million of them take 40 MB.
        self.found = None;
        // A worker still confirming the last search stops.
        self.searches.fetch_add(1, Ordering::SeqCst);
        let typed = self.query.trim();
        self.found = match (&self.search, typed.is_empty()) {
            (_, true) | (None, _) => None,
            (Some(search), false) => Some(match Query::parse(typed) {
                Ok(query) => {
                    let (hits, complete) = match self.first {
                        Some(first) => search.find_first(&query, first),
                        None => (search.find_all(&query), true),
                    };
                    let articles =
                        Marked::of(hits.iter().map(Ranked::article), self.articles.len());
                    Ok(Found {
                        query,
                        hits,
                        articles,
                        complete,
                        asked: false,
                        stopped: false,
                    })
                }
                Err(e) => Err(e),
            }),
        };
        self.count_shown();
    }

    /// The articles of a section that the search lets through, or all of
    /// them (indices into [`Archive::articles`]). Without an index (while
    /// it is first built) the search narrows by headline and byline.
    pub fn visible(&self, section: usize) -> &[usize] {
        let at = |s: usize| self.shown_at.get(s).copied();
        match (at(section), at(section + 1)) {
            (Some(start), Some(end)) => self.shown.get(start..end).unwrap_or(&[]),
            _ => &[],
        }
    }

    /// Unread articles among a section's visible ones.
    pub fn unread(&self, section: usize) -> usize {
        self.unread.get(section).copied().unwrap_or(0)
    }

    /// Whether the search and the view show article `index`.
    pub fn shows(&self, index: usize) -> bool {
        self.section_of(index)
            .is_some_and(|s| self.visible(s).binary_search(&index).is_ok())
    }

    /// The first unread article shown after (before) article `from`, in
    /// library order; from the first article when there is none.
    pub fn next_unread(&self, from: Option<usize>, forward: bool) -> Option<usize> {
        let unread = |i: &usize| self.shows(*i) && !self.is_read(*i);
        match from {
            None => (0..self.articles.len()).find(unread),
            Some(from) if forward => (from + 1..self.articles.len()).find(unread),
            Some(from) => (0..from.min(self.articles.len())).rev().find(unread),
        }
    }

    /// The feed (index into [`Archive::feeds`]) a row of the tree is in.
    pub fn feed_of(&self, row: Row) -> Option<usize> {
        match row {
            Row::Feed(f) => Some(f),
            Row::Day(d) => self.days.get(d).map(|d| d.feed),
            Row::Section(s) => self.feed_of(Row::Day(self.sections.get(s)?.day)),
        }
    }

    /// Unread and shown articles of day `day`.
    pub fn day_counts(&self, day: usize) -> (usize, usize) {
        self.days
            .get(day)
            .map_or((0, 0), |d| self.counts(d.sections.clone()))
    }

    /// Unread and shown articles of feed `feed`.
    pub fn feed_counts(&self, feed: usize) -> (usize, usize) {
        self.feeds.get(feed).map_or((0, 0), |f| {
            f.days.clone().fold((0, 0), |(u, n), d| {
                let (du, dn) = self.day_counts(d);
                (u + du, n + dn)
            })
        })
    }

    /// Unread and shown articles of `sections`.
    pub fn counts(&self, sections: Range<usize>) -> (usize, usize) {
        sections.fold((0, 0), |(u, n), s| {
            (u + self.unread(s), n + self.visible(s).len())
        })
    }

    /// Works out which articles each section shows, and how many of
    /// them are unread.
    fn count_shown(&mut self) {
        if matches!(self.found, Some(Ok(_))) {
            self.count_found();
            return;
        }
        let query = self.query.trim().to_lowercase();
        let mut shown = std::mem::take(&mut self.shown);
        shown.clear();
        let mut shown_at = Vec::with_capacity(self.sections.len() + 1);
        let mut unread = Vec::with_capacity(self.sections.len());
        for section in &self.sections {
            let start = shown.len();
            shown_at.push(start);
            shown.extend(
                section
                    .articles
                    .clone()
                    .filter(|&i| self.lets_through(i, &query)),
            );
            unread.push(shown[start..].iter().filter(|&&i| !self.read[i]).count());
        }
        shown_at.push(shown.len());
        self.shown = shown;
        self.shown_at = shown_at;
        self.unread = unread;
    }

    /// [`Archive::count_shown`] while a search narrows the lists: from
    /// the articles it hit (in order, so section by section), not from
    /// every article of every section.
    fn count_found(&mut self) {
        let mut shown = std::mem::take(&mut self.shown);
        shown.clear();
        let mut shown_at = vec![0; self.sections.len() + 1];
        let mut unread = vec![0; self.sections.len()];
        let Some(Ok(found)) = &self.found else {
            return;
        };
        for i in found.articles.iter() {
            let Some(&section) = self.section_of.get(i) else {
                continue;
            };
            if self.viewed(i)
                && let Some(at) = shown_at.get_mut(section as usize + 1)
            {
                shown.push(i);
                *at += 1;
                unread[section as usize] += usize::from(!self.read[i]);
            }
        }
        // Counts to offsets.
        for n in 1..shown_at.len() {
            shown_at[n] += shown_at[n - 1];
        }
        self.shown = shown;
        self.shown_at = shown_at;
        self.unread = unread;
    }

    /// Whether the view lets article `index` through.
    fn viewed(&self, index: usize) -> bool {
        match self.view {
            View::All => true,
            View::Unread => !self.read[index],
            View::Starred => self.starred[index],
        }
    }

    /// Whether the search and the view let article `index` through
    /// (`query` is the search in lower case, for when there is no index).
    fn lets_through(&self, index: usize, query: &str) -> bool {
        self.viewed(index)
            && match &self.found {
                Some(Ok(found)) => found.articles.contains(index),
                Some(Err(_)) => false,
                None => self.matches(index, query),
            }
    }

    /// Whether article `index`'s heads or byline hold `query` (lower
    /// case): the narrowing used while there is no index.
    fn matches(&self, index: usize, query: &str) -> bool {
        query.is_empty()
            || self
                .articles
                .any_head(index, |s| s.to_lowercase().contains(query))
    }

    /// The context the typesetter puts in the meta line.
    pub fn context(&self, article: &Article) -> Context<'_> {
        Context {
            feed_title: article
                .feed
                .as_ref()
                .and_then(|f| self.feed_titles.get(f))
                .map(String::as_str),
        }
    }

    /// Where article `id` is now.
    pub fn position(&self, id: &str) -> Option<usize> {
        self.articles.position(id)
    }

    /// Takes the marks a sync brought: those of articles shown change
    /// where they are shown too; the others wait in the marks for the
    /// articles to arrive.
    pub fn apply_sync(&mut self, changes: &[MarkChange]) {
        let at: HashMap<&str, usize> = (0..self.articles.len())
            .map(|n| (self.articles.id(n), n))
            .collect();
        let mut found = Vec::with_capacity(changes.len());
        for change in changes {
            found.push(at.get(change.id.as_str()).copied());
        }
        for (change, index) in changes.iter().zip(found) {
            if let Some(read) = change.read {
                match index {
                    Some(index) => {
                        self.set_read(index, read);
                    }
                    None => self.marks.set_read(&change.id, read),
                }
            }
            if let Some(starred) = change.starred {
                self.marks.set_starred(&change.id, starred);
                if let Some(shown) = index.and_then(|index| self.starred.get_mut(index)) {
                    *shown = starred;
                }
            }
        }
    }
}

/// Groups articles (already in library order) into sections.
fn sections(articles: &Shelf, titles: &HashMap<String, String>) -> Vec<Section> {
    let mut out: Vec<Section> = Vec::new();
    let mut names: HashSet<Arc<str>> = HashSet::new();
    let mut held = |name: &str| -> Arc<str> {
        match names.get(name) {
            Some(held) => Arc::clone(held),
            None => {
                let held: Arc<str> = name.into();
                names.insert(Arc::clone(&held));
                held
            }
        }
    };
    for i in 0..articles.len() {
        let [feed, date, page, name] = articles.group(i);
        let feed = feed.unwrap_or("");
        let feed_title = titles.get(feed).map_or(feed, String::as_str);
        match out.last_mut() {
            Some(s)
                if *s.feed_title == *feed_title
                    && s.date.as_deref() == date
                    && s.page.as_deref() == page
                    && s.name.as_deref() == name =>
            {
                s.articles.end = i + 1;
            }
            _ => out.push(Section {
                feed_title: held(feed_title),
                date: date.map(&mut held),
                page: page.map(&mut held),
                name: name.map(&mut held),
                articles: i..i + 1,
                day: 0,
            }),
        }
    }
    // The number is shown only where it tells two 版面 apart.
    let mut count: HashMap<(&str, Option<&str>, Option<&str>), usize> = HashMap::new();
    for s in &out {
        *count
            .entry((&*s.feed_title, s.date.as_deref(), s.name.as_deref()))
            .or_default() += 1;
    }
    let shared: Vec<bool> = out
        .iter()
        .map(|s| {
            let key = (&*s.feed_title, s.date.as_deref(), s.name.as_deref());
            count.get(&key).is_some_and(|n| *n > 1)
        })
        .collect();
    for (s, shared) in out.iter_mut().zip(shared) {
        if !shared {
            s.page = None;
        }
    }
    out
}

/// The feeds and days of `sections` (in library order), which learn
/// their day.
fn tree(sections: &mut [Section]) -> (Vec<Feed>, Vec<Day>) {
    let mut feeds: Vec<Feed> = Vec::new();
    let mut days: Vec<Day> = Vec::new();
    for (n, s) in sections.iter_mut().enumerate() {
        let same_feed = feeds.last().is_some_and(|f| *f.title == *s.feed_title);
        if !same_feed {
            feeds.push(Feed {
                title: s.feed_title.to_string(),
                days: days.len()..days.len(),
            });
        }
        let feed = feeds.len() - 1;
        match days.last_mut() {
            Some(d) if same_feed && d.date == s.date => d.sections.end = n + 1,
            _ => days.push(Day {
                feed,
                date: s.date.clone(),
                sections: n..n + 1,
            }),
        }
        s.day = days.len() - 1;
        if let Some(f) = feeds.last_mut() {
            f.days.end = days.len();
        }
    }
    (feeds, days)
}

#[cfg(test)]
mod tests {
    use super::Marked;

    #[test]
    fn marked_holds_what_it_was_given_and_nothing_else() {
        let marked = Marked::of([0, 63, 64, 129, 500].into_iter(), 130);
        let held: Vec<usize> = (0..200).filter(|&i| marked.contains(i)).collect();
        // 500 is past the 130 articles: not held, and no panic.
        assert_eq!(held, [0, 63, 64, 129]);
        assert!(!Marked::default().contains(0));
    }
}
