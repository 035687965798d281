//! The archive as the reader holds it: the articles grouped into sections,
//! their read and starred marks, the search index, the search typed and
//! what it found, and the warnings from loading and fetching.
//!
//! Plain data, changed only through its methods, which keep what is
//! derived from it up to date: which articles each section shows (the
//! search narrows them) and how many of those are unread are worked out
//! once per change, never per frame.

use std::collections::{HashMap, HashSet};

use crate::index::search::{Hit, Query, QueryError, Search};
use crate::library::Library;
use crate::marks::Marks;
use crate::model::{Article, Warning};
use crate::typeset::Context;

/// A feed's articles of one date and section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    pub feed_title: String,
    pub date: Option<String>,
    /// The 版面 number, kept where two 版面 of a date share a name (`01版
    /// 要闻`, `02版 要闻`): a section is one 版面.
    pub page: Option<String>,
    pub name: Option<String>,
    /// Indices into [`Archive::articles`], in page order.
    pub articles: Vec<usize>,
}

impl Section {
    /// `2023-03-08 05版 要闻`, or what is known of it.
    pub fn label(&self) -> String {
        let date = self.date.as_deref().unwrap_or(crate::model::UNDATED);
        let name = self.name.as_deref().unwrap_or(crate::model::NO_SECTION);
        match &self.page {
            Some(page) => format!("{date} {page}版 {name}"),
            None => format!("{date} {name}"),
        }
    }
}

/// A row of the sections pane: a feed's name, or one of its sections.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SectionRow {
    Feed(usize),
    Section(usize),
}

/// The result of the search being shown.
#[derive(Debug, Clone)]
pub struct Found {
    pub query: Query,
    /// Ranked: headline hits first, then the newest.
    pub hits: Vec<Hit>,
    /// The articles hit, for counting them per section.
    pub articles: HashSet<usize>,
}

/// Everything the reader shows, as loaded.
#[derive(Debug, Clone, Default)]
pub struct Archive {
    /// Ordered by feed, date (newest first), page and place on the page.
    /// Only an article's body may change in place (read from its file);
    /// a new library comes through [`Archive::replace`].
    pub articles: Vec<Article>,
    pub sections: Vec<Section>,
    pub feed_titles: HashMap<String, String>,
    /// From loading, and from the last fetch (paths `fetch FEED`).
    pub warnings: Vec<Warning>,
    marks: Marks,
    /// The archive's search index, once it is open.
    search: Option<Search>,
    /// The search typed after `/`; empty for none.
    query: String,
    /// The search being shown (or why it found nothing to look for).
    found: Option<Result<Found, QueryError>>,
    /// Per section: the articles shown, and how many of them are unread.
    shown: Vec<Vec<usize>>,
    unread: Vec<usize>,
}

impl Archive {
    /// The archive of `library` with its `marks`, the warnings from
    /// loading it and its search index, if one is open.
    pub fn new(
        library: Library,
        marks: Marks,
        warnings: Vec<Warning>,
        search: Option<Search>,
    ) -> Archive {
        let mut archive = Archive {
            marks,
            search,
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
    pub fn replace(&mut self, library: Library, search: Option<Search>) {
        self.search = search;
        self.take(library);
    }

    fn take(&mut self, library: Library) {
        self.feed_titles = library
            .feeds
            .iter()
            .map(|f| (f.id.clone(), f.title.clone()))
            .collect();
        self.sections = sections(&library.articles, &self.feed_titles);
        self.articles = library.articles;
        self.run_search();
    }

    pub fn marks(&self) -> &Marks {
        &self.marks
    }

    /// Marks `id` read or unread.
    pub fn set_read(&mut self, id: &str, read: bool) {
        self.marks.set_read(id, read);
        self.count_unread();
    }

    /// Turns `id`'s read mark over; returns whether it is now read.
    pub fn toggle_read(&mut self, id: &str) -> bool {
        let read = self.marks.toggle_read(id);
        self.count_unread();
        read
    }

    /// Turns `id`'s star over; returns whether it is now starred.
    pub fn toggle_star(&mut self, id: &str) -> bool {
        self.marks.toggle_star(id)
    }

    /// The archive's search index, once it is open.
    pub fn search(&self) -> Option<&Search> {
        self.search.as_ref()
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
        let typed = self.query.trim();
        self.found = match (&self.search, typed.is_empty()) {
            (_, true) | (None, _) => None,
            (Some(search), false) => Some(match Query::parse(typed) {
                Ok(query) => {
                    let hits = search.find(&query, &self.articles);
                    let articles = hits.iter().map(|h| h.article).collect();
                    Ok(Found {
                        query,
                        hits,
                        articles,
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
        self.shown.get(section).map_or(&[], Vec::as_slice)
    }

    /// Unread articles among a section's visible ones.
    pub fn unread(&self, section: usize) -> usize {
        self.unread.get(section).copied().unwrap_or(0)
    }

    fn count_shown(&mut self) {
        let shown = (0..self.sections.len())
            .map(|s| self.narrowed(&self.sections[s]))
            .collect();
        self.shown = shown;
        self.count_unread();
    }

    fn count_unread(&mut self) {
        self.unread = self
            .shown
            .iter()
            .map(|s| {
                s.iter()
                    .filter(|&&i| !self.marks.is_read(&self.articles[i].id))
                    .count()
            })
            .collect();
    }

    fn narrowed(&self, section: &Section) -> Vec<usize> {
        match &self.found {
            Some(Ok(found)) => section
                .articles
                .iter()
                .copied()
                .filter(|i| found.articles.contains(i))
                .collect(),
            Some(Err(_)) => Vec::new(),
            None => section
                .articles
                .iter()
                .copied()
                .filter(|&i| self.matches(&self.articles[i]))
                .collect(),
        }
    }

    /// Whether an article's heads or byline hold the query (the narrowing
    /// used while there is no index).
    fn matches(&self, article: &Article) -> bool {
        let query = self.query.trim();
        if query.is_empty() {
            return true;
        }
        let query = query.to_lowercase();
        [
            &article.kicker,
            &article.title,
            &article.subtitle,
            &article.column,
        ]
        .into_iter()
        .flatten()
        .chain(article.byline.as_ref().map(|b| &b.text))
        .any(|s| s.to_lowercase().contains(&query))
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

    /// The rows of the sections pane: each feed's name above its sections.
    pub fn section_rows(&self) -> Vec<SectionRow> {
        let mut rows = Vec::new();
        let mut feed: Option<&str> = None;
        for (i, s) in self.sections.iter().enumerate() {
            if feed != Some(s.feed_title.as_str()) {
                rows.push(SectionRow::Feed(i));
                feed = Some(&s.feed_title);
            }
            rows.push(SectionRow::Section(i));
        }
        rows
    }

    /// Where article `id` is now.
    pub fn position(&self, id: &str) -> Option<usize> {
        self.articles.iter().position(|a| a.id == id)
    }
}

/// Groups articles (already in library order) into sections.
fn sections(articles: &[Article], titles: &HashMap<String, String>) -> Vec<Section> {
    let mut out: Vec<Section> = Vec::new();
    for (i, a) in articles.iter().enumerate() {
        let feed = a.feed.as_deref().unwrap_or("");
        let feed_title = titles.get(feed).map_or(feed, String::as_str);
        match out.last_mut() {
            Some(s)
                if s.feed_title == feed_title
                    && s.date == a.date
                    && s.page == a.page
                    && s.name == a.section =>
            {
                s.articles.push(i);
            }
            _ => out.push(Section {
                feed_title: feed_title.to_owned(),
                date: a.date.clone(),
                page: a.page.clone(),
                name: a.section.clone(),
                articles: vec![i],
            }),
        }
    }
    // The number is shown only where it tells two 版面 apart.
    let mut count: HashMap<(&str, Option<&str>, Option<&str>), usize> = HashMap::new();
    for s in &out {
        *count
            .entry((&s.feed_title, s.date.as_deref(), s.name.as_deref()))
            .or_default() += 1;
    }
    let shared: Vec<bool> = out
        .iter()
        .map(|s| {
            let key = (s.feed_title.as_str(), s.date.as_deref(), s.name.as_deref());
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
