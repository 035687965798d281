//! The index as a command reads it: the segments open, which of their
//! articles the library holds, and nothing more put together.
//!
//! The reader needs every article in library order and so decodes every
//! record ([`super::assemble`]). A command needs a few: `kanbao search`
//! ranks its hits by the rank keys stored beside each article and decodes
//! only the ones it prints; `kanbao show ID` finds its article in the
//! segments' id tables. Both then cost what they show, not what the archive
//! holds.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::config::Config;
use crate::library::{self, FindError, Library, MIN_ID_PREFIX, PageKey};
use crate::model::{Article, Warning};

use super::search::{Hit, Numbers, Placed, Query, Search, Snippet};
use super::segment::{Rank, Segment};

/// The open index of one archive, for one command.
pub struct Snapshot {
    /// Per configured feed: its folder.
    folders: Vec<PathBuf>,
    segments: Vec<Arc<Segment>>,
    /// Per segment, per source: its feed's number, when the library holds it.
    live: Vec<Vec<Option<u32>>>,
    search: Search,
    /// Problems met reading the archive, as the reader would list them.
    pub warnings: Vec<Warning>,
}

/// The hits of a search, the first ones read.
#[derive(Default)]
pub struct Found {
    /// How many articles match.
    pub count: usize,
    /// The first hits asked for, ranked, each with its article (without
    /// its body).
    pub hits: Vec<(Hit, Article)>,
}

impl Snapshot {
    /// The snapshot of open `segments` of `config`'s index, with the
    /// warnings of the walk that checked them.
    pub(crate) fn new(config: &Config, segments: Vec<Segment>, walk_warnings: &[Warning]) -> Self {
        let live = super::live(config, &segments);
        let warnings = super::warnings_of(config, &segments, &live, walk_warnings);
        // Each live article is numbered in segment order: hits carry it.
        let mut next = 0u32;
        let positions: Vec<Numbers> = segments
            .iter()
            .zip(&live)
            .map(|(segment, live)| {
                let ranges = live
                    .iter()
                    .zip(segment.rows())
                    .filter_map(|(feed, row)| feed.and(row))
                    .map(|row| row.first as usize..(row.first + row.count) as usize);
                let (numbers, after) = Numbers::counted(segment.len(), next, ranges);
                next = after;
                numbers
            })
            .collect();
        let segments: Vec<Arc<Segment>> = segments.into_iter().map(Arc::new).collect();
        Snapshot {
            folders: config.feeds.iter().map(|f| f.path.clone()).collect(),
            search: Search::new(segments.clone(), positions, Vec::new()),
            segments,
            live,
            warnings,
        }
    }

    /// The articles matching `query`, ranked as the reader ranks them
    /// ([`Search::find`]); the first `limit` (all for `None`) are read.
    pub fn search(&self, query: &Query, limit: Option<usize>) -> Found {
        let (count, hits) = self.ranked(query, limit);
        let hits = hits
            .iter()
            .filter_map(|h| Some((*h, self.article(h)?)))
            .collect();
        Found { count, hits }
    }

    /// How many articles match `query`, and the first `limit` hits (all
    /// for `None`) ranked as [`Snapshot::search`] ranks them, no article
    /// read: a long list is read hit by hit ([`Snapshot::article`]).
    pub fn ranked(&self, query: &Query, limit: Option<usize>) -> (usize, Vec<Hit>) {
        self.search
            .find_ranked(query, limit.unwrap_or(usize::MAX), |h| self.file_order(h))
    }

    /// The article `hit` found, without its body.
    pub fn article(&self, hit: &Hit) -> Option<Article> {
        self.article_at(hit.place())
    }

    /// Lets go of the index's pages read so far (read again from the file
    /// when needed): printing every hit of a common word reads the records
    /// and texts of hundreds of thousands of articles.
    pub fn release(&self) {
        for segment in &self.segments {
            segment.release_all();
        }
    }

    /// The first `limit` articles of the library, in its order (of feed
    /// `only`, if given), as a library with the whole one's warnings. Only
    /// the newest dates' pages are read: a feed lists its pages (and
    /// orders its items) date by date, newest first, so the dates that hold
    /// the first `limit` articles decide them.
    pub fn front(&self, config: &Config, limit: usize, only: Option<&str>) -> Library {
        self.front_with(config, limit, only, false)
    }

    /// [`Snapshot::front`] to the end of the page that holds the last
    /// article asked for (`whole`), or exactly `limit` articles.
    pub fn front_with(
        &self,
        config: &Config,
        limit: usize,
        only: Option<&str>,
        whole: bool,
    ) -> Library {
        let mut library: Library = Library {
            warnings: self.warnings.clone(),
            ..Library::default()
        };
        let mut left = limit;
        for (feed_no, feed) in config.feeds.iter().enumerate() {
            if only.is_some_and(|id| id != feed.id) {
                continue;
            }
            // Its pages with articles, newest date first (undated last).
            let mut pages: Vec<(Rank, usize, usize, u32)> = Vec::new();
            for (s, (segment, live)) in self.segments.iter().zip(&self.live).enumerate() {
                for (n, (feed, row)) in live.iter().zip(segment.rows()).enumerate() {
                    if *feed != Some(feed_no as u32) {
                        continue;
                    }
                    if let Some(row) = row.filter(|row| row.count > 0) {
                        let rank = segment.rank(row.first as usize);
                        pages.push((rank, s, n, row.count));
                    }
                }
            }
            pages.sort_unstable_by_key(|(rank, ..)| std::cmp::Reverse(rank.date));
            // Whole dates, until they hold the articles left to list.
            let mut take = 0;
            let mut articles = 0usize;
            while take < pages.len() && articles < left {
                let date = pages[take].0.date;
                while take < pages.len() && pages[take].0.date == date {
                    articles += pages[take].3 as usize;
                    take += 1;
                }
            }
            let keyed: Vec<(PageKey, (usize, usize))> = pages[..take]
                .iter()
                .filter_map(|&(_, s, n, _)| {
                    let info = self.segments[s].source(n)?;
                    let relative = library::relative_name(&feed.path, Path::new(&info.path));
                    Some((PageKey::from_relative(&relative), (s, n)))
                })
                .collect();
            let start = library.articles.len();
            library.add_feed_with(feed, keyed, |(s, n), out| {
                out.extend(self.segments[s].articles(n).unwrap_or_default());
            });
            let mut end = (start + left).min(library.articles.len());
            if whole && end > start {
                let page = &library.articles[end - 1].source.path;
                end += library.articles[end..]
                    .iter()
                    .take_while(|a| &a.source.path == page)
                    .count();
            }
            library.articles.truncate(end);
            left = left.saturating_sub(library.articles.len() - start);
        }
        library
    }

    /// The text around `hit`'s first match (see [`Search::snippet`]).
    pub fn snippet(&self, hit: &Hit, query: &Query, before: usize, chars: usize) -> Snippet {
        self.search.snippet(hit, query, before, chars)
    }

    /// The article whose id is `id` or starts with it (at least
    /// [`MIN_ID_PREFIX`] characters), without its body.
    pub fn find(&self, id: &str) -> Result<Article, FindError> {
        let mut found: Vec<Article> = Vec::new();
        for (s, segment) in self.segments.iter().enumerate() {
            for doc in segment.ids_with_prefix(id) {
                if let Some(article) = self.article_at((s, doc))
                    && article.id.starts_with(id)
                {
                    found.push(article);
                }
            }
        }
        if let Some(exact) = found.iter().position(|a| a.id == id) {
            return Ok(found.swap_remove(exact));
        }
        if id.len() < MIN_ID_PREFIX {
            return Err(FindError::TooShort(id.to_owned()));
        }
        found.sort_by(|a, b| a.id.cmp(&b.id));
        found.dedup_by(|a, b| a.id == b.id);
        match found.len() {
            0 => Err(FindError::NotFound(id.to_owned())),
            1 => Ok(found.swap_remove(0)),
            _ => Err(FindError::Ambiguous(
                id.to_owned(),
                found.into_iter().map(|a| a.id).collect(),
            )),
        }
    }

    /// The article at (segment, number), if the library holds it; `None`
    /// where its record is damaged too.
    fn article_at(&self, (segment, doc): (usize, u32)) -> Option<Article> {
        let seg = self.segments.get(segment)?;
        let (source, place) = seg.source_of(doc)?;
        self.live.get(segment)?.get(source).copied().flatten()?;
        seg.articles(source).ok()?.into_iter().nth(place as usize)
    }

    /// Where a hit stands in file order: its feed as configured, its page
    /// in library order, its place on the page.
    fn file_order(&self, hit: &Hit) -> (u32, PageOrder, u32) {
        let (segment, doc) = hit.place();
        let found = self.segments.get(segment).and_then(|seg| {
            let (source, place) = seg.source_of(doc)?;
            let feed = self.live.get(segment)?.get(source).copied().flatten()?;
            let folder = self.folders.get(feed as usize)?;
            let relative = library::relative_name(folder, Path::new(&seg.source(source)?.path));
            Some((
                feed,
                Some(PageKey::from_relative(&relative).sort_key()),
                place,
            ))
        });
        found.unwrap_or((u32::MAX, None, u32::MAX))
    }
}

/// A page's place in its feed's list (see [`PageKey::sort_key`]); `None`
/// sorts first but is only given for damaged entries, which sort last by
/// their feed.
type PageOrder = Option<(
    bool,
    std::cmp::Reverse<Option<String>>,
    (u32, String),
    String,
)>;

/// `config`'s index as it stands, for `kanbao show` and `mark`: the
/// segments opened lazily, no walk of the folders. An article is found
/// through the id tables and its own source (and every source of the
/// refreshes after its own, which may have replaced it), and given only if
/// its file is as indexed: the rest of the archive may have changed, but
/// that does not change this article.
pub struct Unrefreshed<'a> {
    config: &'a Config,
    segments: Vec<Segment>,
    /// The path keys of the sources written after each generation, found
    /// when first needed (two paths sharing a key only make `find` give
    /// way to a refreshed index).
    newer: HashMap<u64, HashSet<u64>>,
}

impl<'a> Unrefreshed<'a> {
    /// `None` without an index, or when a segment cannot be opened.
    pub fn open(config: &'a Config) -> Option<Self> {
        let index = super::Index::at(super::locate(config)?);
        let roots = super::Roots::of(config);
        let segments = index
            .read_manifest()
            .ok()?
            .iter()
            .map(|name| Segment::open_lazy(&index.dir.join(name), index.parser, &roots).ok())
            .collect::<Option<Vec<Segment>>>()?;
        Some(Unrefreshed {
            config,
            segments,
            newer: HashMap::new(),
        })
    }

    /// The article `id` names (or begins, with at least
    /// [`MIN_ID_PREFIX`] characters). `None` when only a refreshed index
    /// can answer: no such article or several, or its file changed or gone.
    pub fn find(&mut self, id: &str) -> Option<Article> {
        let mut found: Vec<(Article, String, u64, i64)> = Vec::new();
        for segment in &self.segments {
            for doc in segment.ids_with_prefix(id) {
                let Some((n, place)) = segment.source_of(doc) else {
                    continue;
                };
                let Some(info) = segment.source(n) else {
                    continue;
                };
                if info.removed || !self.config.feeds.iter().any(|f| f.id == info.feed) {
                    continue;
                }
                let replaced = self.newer.entry(segment.generation).or_insert_with(|| {
                    self.segments
                        .iter()
                        .filter(|s| s.generation > segment.generation)
                        .flat_map(|s| s.rows().flatten())
                        .map(|row| row.path)
                        .collect()
                });
                if segment
                    .row(n)
                    .is_none_or(|row| replaced.contains(&row.path))
                {
                    continue;
                }
                let article = segment.articles(n).ok()?.into_iter().nth(place as usize)?;
                if article.id.starts_with(id) {
                    found.push((article, info.path.clone(), info.size, info.mtime));
                }
            }
        }
        found.sort_by(|a, b| a.0.id.cmp(&b.0.id));
        found.dedup_by(|a, b| a.0.id == b.0.id);
        let (article, path, size, mtime) = match found.iter().position(|(a, ..)| a.id == id) {
            Some(exact) => found.swap_remove(exact),
            None if found.len() == 1 && id.len() >= MIN_ID_PREFIX => found.swap_remove(0),
            None => return None,
        };
        let now = std::fs::metadata(&path).ok()?;
        (now.is_file() && now.len() == size && super::mtime_ns(&now) == mtime).then_some(article)
    }
}
