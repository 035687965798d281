//! The archive: every configured feed's stored pages, parsed and grouped.
//!
//! A `pages` feed is a folder laid out as `<date>/<NN>-<section>.txt`
//! (README.md, "Archive layout"). Loading walks it in a fixed order, reads
//! each page with [`crate::source::read_page`], fills in what the layout
//! says (feed, date, page, section) and gives every article a stable id.
//! A page that cannot be read is a warning; the rest still loads.

use std::borrow::Cow;
use std::ops::Range;
use std::path::{Path, PathBuf};

use crate::config::{Config, FeedConfig, FeedKind};
use crate::model::{Article, Warning};
use crate::source::{self, page::ParsedPage};

mod shelf;

pub use shelf::Shelf;

/// Everything loaded from the configured feeds: the articles decoded
/// (`Vec<Article>`, what commands use), or kept compact for the reader
/// ([`Shelf`]).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Library<A = Vec<Article>> {
    pub feeds: Vec<FeedSummary>,
    /// Ordered by feed (as configured), date (newest first), page,
    /// position; a web feed's items by date, section and time
    /// (`Library::add_feed_with`), so that a group is one run.
    pub articles: A,
    pub warnings: Vec<Warning>,
}

/// Where a library keeps its articles.
pub trait Articles: Default {
    fn count(&self) -> usize;
    /// Makes room for `n` more articles.
    fn reserve(&mut self, n: usize);
    /// Adds articles at the end.
    fn add(&mut self, articles: Vec<Article>);
    /// Sorts the articles from `start` on (a web feed's items) by date,
    /// section and time; returns the order applied: position `start + n`
    /// now holds what was at `start + order[n]`.
    fn order_items(&mut self, start: usize) -> Vec<usize>;
    /// All are in: what was set aside for adding more can go.
    fn done(&mut self) {}
    /// Article `index` as kept (a stub where its text was not read);
    /// `None` past the end.
    fn article(&self, index: usize) -> Option<Cow<'_, Article>>;
    /// Article `index`'s feed id, date, page and section.
    fn group_key(&self, index: usize) -> [Option<&str>; 4];
    /// [`Article::list_row`] of article `index`.
    fn list_row(&self, index: usize) -> Option<[&str; 3]>;
}

impl Articles for Vec<Article> {
    fn count(&self) -> usize {
        self.len()
    }

    fn reserve(&mut self, n: usize) {
        Vec::reserve(self, n);
    }

    fn add(&mut self, articles: Vec<Article>) {
        self.extend(articles);
    }

    fn order_items(&mut self, start: usize) -> Vec<usize> {
        let items = &mut self[start..];
        let order = item_order(items.len(), |n| {
            let a = &items[n];
            (
                a.date.as_deref(),
                a.section.as_deref(),
                a.published.as_deref(),
            )
        });
        permute(items, &order);
        order
    }

    fn article(&self, index: usize) -> Option<Cow<'_, Article>> {
        <[Article]>::get(self, index).map(Cow::Borrowed)
    }

    fn group_key(&self, index: usize) -> [Option<&str>; 4] {
        <[Article]>::get(self, index).map_or([None; 4], |a| {
            [&a.feed, &a.date, &a.page, &a.section].map(|s| s.as_deref())
        })
    }

    fn list_row(&self, index: usize) -> Option<[&str; 3]> {
        <[Article]>::get(self, index).map(Article::list_row)
    }
}

impl Articles for Shelf {
    fn count(&self) -> usize {
        self.len()
    }

    fn reserve(&mut self, n: usize) {
        Shelf::reserve(self, n);
    }

    fn add(&mut self, articles: Vec<Article>) {
        for article in articles {
            self.push(article);
        }
    }

    fn order_items(&mut self, start: usize) -> Vec<usize> {
        let order = item_order(self.len() - start, |n| self.item_key(start + n));
        self.permute_from(start, &order);
        order
    }

    fn done(&mut self) {
        self.shrink();
    }

    fn article(&self, index: usize) -> Option<Cow<'_, Article>> {
        self.get(index)
    }

    fn group_key(&self, index: usize) -> [Option<&str>; 4] {
        self.group(index)
    }

    fn list_row(&self, index: usize) -> Option<[&str; 3]> {
        Shelf::list_row(self, index)
    }
}

impl From<Library> for Library<Shelf> {
    fn from(library: Library) -> Library<Shelf> {
        library.kept()
    }
}

/// What was found for one feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedSummary {
    pub id: String,
    pub title: String,
    pub folder: PathBuf,
    pub pages: usize,
    pub articles: usize,
}

impl FeedSummary {
    fn new(feed: &FeedConfig) -> Self {
        FeedSummary {
            id: feed.id.clone(),
            title: feed.title.clone(),
            folder: feed.path.clone(),
            pages: 0,
            articles: 0,
        }
    }
}

/// The page files of `feed`'s folder, sorted by name; `None` (with a
/// warning, unless it is a web feed not fetched yet) when the folder is
/// missing or not a folder.
pub(crate) fn feed_files(feed: &FeedConfig, warnings: &mut Vec<Warning>) -> Option<Vec<PathBuf>> {
    if !feed_files_checked(feed, warnings) {
        return None;
    }
    Some(walk_feed(feed, warnings))
}

/// The page files below `feed`'s folder, sorted as a load reads them;
/// folders that cannot be read are warnings.
pub(crate) fn walk_feed(feed: &FeedConfig, warnings: &mut Vec<Warning>) -> Vec<PathBuf> {
    let mut files = Vec::new();
    if feed.path.is_dir() {
        walk(&feed.path, 0, &mut files, warnings);
    }
    files
}

/// Whether `feed`'s folder is there to be read; if it should be and is
/// not, a warning says so.
pub(crate) fn feed_files_checked(feed: &FeedConfig, warnings: &mut Vec<Warning>) -> bool {
    if !feed.path.is_dir() {
        if feed.kind.is_fetched() && !feed.path.exists() {
            // A web feed's store folder is made by its first fetch.
            return false;
        }
        let key = match feed.kind {
            FeedKind::Pages => "path",
            FeedKind::Feed | FeedKind::Epaper => "store",
        };
        let what = if feed.path.exists() {
            "is not a folder"
        } else {
            "does not exist"
        };
        warnings.push(Warning::new(
            &feed.location,
            None,
            format!(
                "feed \"{}\": folder {} {what}; create it or fix `{key}`",
                feed.id,
                feed.path.display()
            ),
        ));
        return false;
    }
    true
}

/// A feed's articles of one date and section, as listed.
#[derive(Debug)]
pub struct Group<'a> {
    pub feed: &'a str,
    pub date: Option<&'a str>,
    /// The 版面 number, kept where two 版面 of a date share a name: a group
    /// is one 版面.
    pub page: Option<&'a str>,
    pub section: Option<&'a str>,
    /// Where its articles are in the library.
    pub articles: Range<usize>,
}

/// Why `find` found no single article.
#[derive(Debug, PartialEq, Eq)]
pub enum FindError {
    NotFound(String),
    TooShort(String),
    Ambiguous(String, Vec<String>),
}

impl std::fmt::Display for FindError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FindError::NotFound(id) => {
                write!(
                    f,
                    "no article with id \"{id}\"; `kanbao list` shows the ids"
                )
            }
            FindError::TooShort(id) => write!(
                f,
                "no article with id \"{id}\"; a shortened id needs at least {MIN_ID_PREFIX} characters"
            ),
            FindError::Ambiguous(id, ids) => write!(
                f,
                "id \"{id}\" is ambiguous: it starts {}; give more characters",
                ids.join(", ")
            ),
        }
    }
}

/// Shortest id prefix `find` accepts.
pub const MIN_ID_PREFIX: usize = 4;

impl Library {
    /// Loads every feed of `config`.
    pub fn load(config: &Config) -> Library {
        let mut library = Library::default();
        for feed in &config.feeds {
            library.load_feed(feed);
        }
        library
    }

    fn load_feed(&mut self, feed: &FeedConfig) {
        let Some(files) = feed_files(feed, &mut self.warnings) else {
            self.feeds.push(FeedSummary::new(feed));
            return;
        };
        let mut pages = Vec::new();
        for file in files {
            let display = file.display().to_string();
            let relative = relative_name(&feed.path, &file);
            match source::read_page(&file, &display) {
                Ok(parsed) => {
                    let key = PageKey::from_relative(&relative);
                    let articles = place(parsed, feed, &key, &relative, &mut self.warnings);
                    pages.push((key, articles));
                }
                Err(w) => self.warnings.push(w),
            }
        }
        self.add_feed(feed, pages);
    }

    /// The same library with its articles kept as `A`.
    pub fn kept<A: Articles>(self) -> Library<A> {
        let mut articles = A::default();
        articles.add(self.articles);
        Library {
            feeds: self.feeds,
            articles,
            warnings: self.warnings,
        }
    }

    /// Adds a feed's pages (each with its articles in page order, in any
    /// order of pages): sorted as a library lists them.
    pub(crate) fn add_feed(&mut self, feed: &FeedConfig, pages: Vec<(PageKey, Vec<Article>)>) {
        self.add_feed_with(feed, pages, |articles, out| out.extend(articles));
    }
}

impl<A: Articles> Library<A> {
    /// [`Library::add_feed`] for pages whose articles are elsewhere: `put`
    /// appends a page's articles to the library's. Returns where the
    /// feed's articles start and, for a web feed whose items were then
    /// sorted by time, the order applied: position `n` of the feed holds
    /// what was put at `order[n]`.
    pub(crate) fn add_feed_with<P>(
        &mut self,
        feed: &FeedConfig,
        mut pages: Vec<(PageKey, P)>,
        mut put: impl FnMut(P, &mut A),
    ) -> (usize, Option<Vec<usize>>) {
        let mut summary = FeedSummary::new(feed);
        summary.pages = pages.len();
        pages.sort_by_cached_key(|(key, _)| key.sort_key());
        let start = self.articles.count();
        for (_, page) in pages {
            put(page, &mut self.articles);
        }
        summary.articles = self.articles.count() - start;
        self.feeds.push(summary);
        if feed.kind != FeedKind::Feed {
            return (start, None);
        }
        let order = self.articles.order_items(start);
        (start, Some(order))
    }
}

impl<A: Articles> Library<A> {
    /// The articles grouped by feed, date and section, in library order.
    pub fn groups(&self) -> Vec<Group<'_>> {
        let mut groups: Vec<Group<'_>> = Vec::new();
        for n in 0..self.articles.count() {
            let [feed, date, page, section] = self.articles.group_key(n);
            let feed = feed.unwrap_or("");
            match groups.last_mut() {
                Some(g)
                    if g.feed == feed
                        && g.date == date
                        && g.page == page
                        && g.section == section =>
                {
                    g.articles.end = n + 1;
                }
                _ => groups.push(Group {
                    feed,
                    date,
                    page,
                    section,
                    articles: n..n + 1,
                }),
            }
        }
        let mut count: std::collections::HashMap<_, usize> = std::collections::HashMap::new();
        for g in &groups {
            *count.entry((g.feed, g.date, g.section)).or_default() += 1;
        }
        let shared: Vec<bool> = groups
            .iter()
            .map(|g| {
                count
                    .get(&(g.feed, g.date, g.section))
                    .is_some_and(|n| *n > 1)
            })
            .collect();
        for (g, shared) in groups.iter_mut().zip(shared) {
            if !shared {
                g.page = None;
            }
        }
        groups
    }

    /// The title of the feed with this id.
    pub fn feed_title(&self, id: &str) -> Option<&str> {
        self.feeds
            .iter()
            .find(|f| f.id == id)
            .map(|f| f.title.as_str())
    }
}

impl Library {
    /// The article whose id is `id` or starts with it (at least
    /// [`MIN_ID_PREFIX`] characters).
    pub fn find(&self, id: &str) -> Result<&Article, FindError> {
        if let Some(a) = self.articles.iter().find(|a| a.id == id) {
            return Ok(a);
        }
        if id.len() < MIN_ID_PREFIX {
            return Err(FindError::TooShort(id.to_owned()));
        }
        let hits: Vec<&Article> = self
            .articles
            .iter()
            .filter(|a| a.id.starts_with(id))
            .collect();
        match hits.as_slice() {
            [one] => Ok(one),
            [] => Err(FindError::NotFound(id.to_owned())),
            many => Err(FindError::Ambiguous(
                id.to_owned(),
                many.iter().map(|a| a.id.clone()).collect(),
            )),
        }
    }
}

/// `article` with its body: a stub from the index is read again from its
/// source file (the file may have changed since it was indexed: the
/// article now at that place is returned, or an error if there is none).
/// An article that has its body is returned as it is.
pub fn read_article(feeds: &[FeedConfig], article: &Article) -> Result<Article, Warning> {
    if article.stub.is_none() {
        return Ok(article.clone());
    }
    let path = &article.source.path;
    let gone = |why: &str| {
        Warning::new(
            path,
            None,
            format!("{why}; the list is refreshed at the next start (or press R)"),
        )
    };
    let feed_id = article.feed.as_deref().unwrap_or("");
    let Some(feed) = feeds.iter().find(|f| f.id == feed_id) else {
        return Err(gone("its feed is no longer configured"));
    };
    let parsed = source::read_page(Path::new(path), path)?;
    let relative = relative_name(&feed.path, Path::new(path));
    let key = PageKey::from_relative(&relative);
    let mut warnings = Vec::new();
    place(parsed, feed, &key, &relative, &mut warnings)
        .into_iter()
        .find(|a| a.id == article.id)
        .ok_or_else(|| gone("the article is no longer in this file"))
}

/// Deepest folder level searched below a feed folder.
pub(crate) const MAX_DEPTH: usize = 4;

/// Collects `.txt` files below `dir`, sorted by name; hidden entries skipped.
fn walk(dir: &Path, depth: usize, files: &mut Vec<PathBuf>, warnings: &mut Vec<Warning>) {
    walk_from(dir, depth, files, &mut |_, _, _| {}, warnings);
}

/// [`walk_feed`] from folder `dir` at `depth` below the feed's folder,
/// telling `folder` each folder met (its depth, and whether it could be
/// listed), `dir` first.
pub(crate) fn walk_from(
    dir: &Path,
    depth: usize,
    files: &mut Vec<PathBuf>,
    folder: &mut dyn FnMut(&Path, usize, bool),
    warnings: &mut Vec<Warning>,
) {
    let entries = match list_folder(dir) {
        Ok(entries) => entries,
        Err(w) => {
            folder(dir, depth, false);
            warnings.push(w);
            return;
        }
    };
    folder(dir, depth, true);
    for entry in entries {
        match entry {
            Entry::Folder(path) if depth < MAX_DEPTH => {
                walk_from(&path, depth + 1, files, folder, warnings);
            }
            Entry::Folder(_) => {}
            Entry::Page(path) => files.push(path),
        }
    }
}

/// What a folder of a feed holds that a walk reads.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Entry {
    Folder(PathBuf),
    Page(PathBuf),
}

/// The folders and page files (`.txt`) directly in `dir`, sorted by name,
/// without hidden ones (names starting with `.`); a folder that cannot be
/// read is a warning.
pub(crate) fn list_folder(dir: &Path) -> Result<Vec<Entry>, Warning> {
    let entries = std::fs::read_dir(dir).map_err(|e| {
        let message = format!("cannot read folder: {}", crate::io_message::io_message(&e));
        Warning::new(&dir.display().to_string(), None, message)
    })?;
    // The entry's type comes with the listing (no stat per file); only a
    // symbolic link is followed to see whether it leads to a folder.
    let mut names: Vec<(std::ffi::OsString, bool)> = entries
        .filter_map(Result::ok)
        .filter(|e| !e.file_name().as_encoded_bytes().starts_with(b"."))
        .map(|e| {
            let is_dir = match e.file_type() {
                Ok(t) if !t.is_symlink() => t.is_dir(),
                _ => e.path().is_dir(),
            };
            (e.file_name(), is_dir)
        })
        .collect();
    // By name: the order of the paths (they share the folder), without
    // comparing the folder's components again in every comparison (a
    // feed's folder holds thousands of days).
    names.sort_unstable();
    Ok(names
        .into_iter()
        .map(|(name, is_dir)| (dir.join(name), is_dir))
        .filter_map(|(path, is_dir)| {
            if is_dir {
                Some(Entry::Folder(path))
            } else {
                path.extension()
                    .is_some_and(|e| e.eq_ignore_ascii_case("txt"))
                    .then_some(Entry::Page(path))
            }
        })
        .collect())
}

/// `file` relative to `folder`, with `/` separators: part of article ids.
pub(crate) fn relative_name(folder: &Path, file: &Path) -> String {
    let relative = file.strip_prefix(folder).unwrap_or(file);
    relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// What a page's place in the archive says about it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PageKey {
    pub date: Option<String>,
    pub page: Option<String>,
    pub section: Option<String>,
    relative: String,
}

impl PageKey {
    /// From `2023-03-08/05-科教.txt`: date, page and section; from a
    /// crawler's `20231001/20231001-04-02.txt`: date and page.
    pub fn from_relative(relative: &str) -> PageKey {
        let mut parts: Vec<&str> = relative.split('/').collect();
        let file = parts.pop().unwrap_or("");
        let crawled = crate::source::page::file_date_page(file);
        let date = parts
            .first()
            .filter(|d| is_date(d))
            .map(|d| (*d).to_owned())
            .or_else(|| crawled.as_ref().map(|(d, _)| d.clone()));
        let stem = file.rsplit_once('.').map_or(file, |(s, _)| s);
        // `<date>/<page>-<section>/…`: a folder per page (an e-paper's
        // 版面) names the page for every file in it.
        let folder = parts.get(1).map_or((None, None), |f| split_page_stem(f));
        let (page, section) = match (crawled, folder) {
            (Some((_, page)), _) => (Some(page), None),
            (None, (Some(page), section)) => (Some(page), section),
            (None, _) => split_page_stem(stem),
        };
        PageKey {
            date,
            page,
            section,
            relative: relative.to_owned(),
        }
    }

    /// Newest date first, undated last; then page number; then name.
    pub(crate) fn sort_key(
        &self,
    ) -> (
        bool,
        std::cmp::Reverse<Option<String>>,
        (u32, String),
        String,
    ) {
        (
            self.date.is_none(),
            std::cmp::Reverse(self.date.clone()),
            page_number(&self.page),
            self.relative.clone(),
        )
    }
}

/// The order a web feed's items are listed in, so that each (date,
/// section) is one run and so one group: dates newest first (undated
/// last); within a date, sections by their newest item; within a section,
/// items newest first. Ties keep the page order (the sort is stable).
/// Position `n` of the result is the index of the item listed `n`th.
fn item_order<'a>(
    len: usize,
    key: impl Fn(usize) -> (Option<&'a str>, Option<&'a str>, Option<&'a str>),
) -> Vec<usize> {
    use std::cmp::Reverse;
    use std::collections::HashMap;
    type Run<'a> = (Option<&'a str>, Option<&'a str>);
    // Each run's newest time and where it first appears.
    let mut runs: HashMap<Run<'_>, (Option<&str>, usize)> = HashMap::new();
    for n in 0..len {
        let (date, section, published) = key(n);
        let run = runs.entry((date, section)).or_insert((published, n));
        run.0 = run.0.max(published);
    }
    let mut order: Vec<usize> = (0..len).collect();
    order.sort_by_cached_key(|&n| {
        let (date, section, published) = key(n);
        let (newest, first) = runs.get(&(date, section)).copied().unwrap_or((None, n));
        (
            date.is_none(),
            Reverse(date),
            Reverse(newest),
            first,
            Reverse(published),
        )
    });
    order
}

/// Reorders `items` so that position `n` holds what was at `order[n]`.
fn permute<T>(items: &mut [T], order: &[usize]) {
    // Follow each cycle of the permutation, swapping in place.
    let mut done = vec![false; items.len()];
    for start in 0..items.len() {
        if done[start] {
            continue;
        }
        let mut at = start;
        loop {
            done[at] = true;
            let from = order[at];
            if from == start {
                break;
            }
            items.swap(at, from);
            at = from;
        }
    }
}

fn page_number(page: &Option<String>) -> (u32, String) {
    match page {
        Some(p) => {
            let digits: String = p.chars().filter(char::is_ascii_digit).collect();
            (digits.parse().unwrap_or(u32::MAX - 1), p.clone())
        }
        None => (u32::MAX, String::new()),
    }
}

/// `YYYY-MM-DD` with a plausible month and day.
fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let num = |r: std::ops::Range<usize>| s.get(r).and_then(|t| t.parse::<u32>().ok());
    matches!(
        (num(0..4), num(5..7), num(8..10)),
        (Some(_), Some(1..=12), Some(1..=31))
    )
}

/// `05-科教` → page 05, section 科教; `A05` → page A05; anything else
/// names neither.
fn split_page_stem(stem: &str) -> (Option<String>, Option<String>) {
    let (number, section) = match stem.split_once('-') {
        Some((n, s)) => (n, Some(s)),
        None => (stem, None),
    };
    let letters = number.len()
        - number
            .trim_start_matches(|c: char| c.is_ascii_alphabetic())
            .len();
    let digits = &number[letters..];
    let is_page = letters <= 1 && !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit());
    if !is_page {
        return (None, None);
    }
    let section = section
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned);
    (Some(number.to_owned()), section)
}

/// Fills in feed, date, page, section and ids of a parsed page's articles.
pub(crate) fn place(
    parsed: ParsedPage,
    feed: &FeedConfig,
    key: &PageKey,
    relative: &str,
    warnings: &mut Vec<Warning>,
) -> Vec<Article> {
    if feed.kind.is_fetched() {
        // A stored item's file name says nothing of its feed: the id does.
        warnings.extend(parsed.warnings.into_iter().map(|mut w| {
            w.message = format!("feed \"{}\": {}", feed.id, w.message);
            w
        }));
    } else {
        warnings.extend(parsed.warnings);
    }
    // A bundle's items are named as the files they would be on their own,
    // in the bundle's folder: an item keeps its id when it moves from a
    // file of its own into a bundle.
    let folder = relative.rsplit_once('/').map(|(folder, _)| folder);
    let item_names = parsed.item_names;
    parsed
        .articles
        .into_iter()
        .enumerate()
        .map(|(n, mut a)| {
            a.id = match (item_names.get(n), folder) {
                (Some(name), Some(folder)) => article_id(&feed.id, &format!("{folder}/{name}"), 0),
                (Some(name), None) => article_id(&feed.id, name, 0),
                (None, _) => article_id(&feed.id, relative, n),
            };
            a.feed = Some(feed.id.clone());
            if feed.kind == FeedKind::Epaper {
                // An edition's article knows its date, 版面 and section.
                a.date = a.date.take().or_else(|| key.date.clone());
                a.page = a.page.take().or_else(|| key.page.clone());
                a.section = (a.section.take())
                    .or_else(|| key.section.clone())
                    .or_else(|| feed.section.clone());
                return a;
            }
            if feed.kind == FeedKind::Feed {
                // A stored item knows its date and category; the config's
                // section wins, the feed's title is the last resort.
                a.section = feed
                    .section
                    .clone()
                    .or(a.section.take())
                    .or_else(|| Some(feed.title.clone()));
                return a;
            }
            a.date = key.date.clone();
            a.page = parsed.page.clone().or_else(|| key.page.clone());
            a.section = parsed
                .section
                .clone()
                .or_else(|| key.section.clone())
                .or_else(|| feed.section.clone());
            a
        })
        .collect()
}

/// A stable id: 12 hex digits of the FNV-1a hash (with a final avalanche
/// mix, so that neighbours differ everywhere) of the feed id, the page's path
/// inside the feed folder and the article's position on the page.
pub fn article_id(feed: &str, relative: &str, position: usize) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let position = position.to_string();
    for part in [feed, "\u{1f}", relative, "\u{1f}", &position] {
        for byte in part.bytes() {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    hash ^= hash >> 33;
    hash = hash.wrapping_mul(0xff51_afd7_ed55_8ccd);
    hash ^= hash >> 33;
    hash = hash.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    hash ^= hash >> 33;
    format!("{:012x}", hash >> 16)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case::full("2023-03-08/05-科教.txt", Some("2023-03-08"), Some("05"), Some("科教"))]
    #[case::letter_page(
        "2023-03-08/A05-要闻.txt",
        Some("2023-03-08"),
        Some("A05"),
        Some("要闻")
    )]
    #[case::page_only("2023-03-08/05.txt", Some("2023-03-08"), Some("05"), None)]
    #[case::undated("undated/zhumadian-daily-page.txt", None, None, None)]
    #[case::bad_date("2023-13-08/05-要闻.txt", None, Some("05"), Some("要闻"))]
    #[case::flat("07-体育.txt", None, Some("07"), Some("体育"))]
    #[case::page_folder(
        "2031-05-06/A05-要闻/03-content-7001-0123456789ab.txt",
        Some("2031-05-06"),
        Some("A05"),
        Some("要闻")
    )]
    #[case::crawler("20231001/20231001-04-02.txt", Some("2023-10-01"), Some("04"), None)]
    #[case::crawler_in_a_dated_folder(
        "2023-10-02/20231001-04-02.txt",
        Some("2023-10-02"),
        Some("04"),
        None
    )]
    fn page_keys(
        #[case] relative: &str,
        #[case] date: Option<&str>,
        #[case] page: Option<&str>,
        #[case] section: Option<&str>,
    ) {
        let key = PageKey::from_relative(relative);
        assert_eq!(key.date.as_deref(), date);
        assert_eq!(key.page.as_deref(), page);
        assert_eq!(key.section.as_deref(), section);
    }

    #[test]
    fn permute_puts_each_item_where_the_order_says() {
        let mut items = vec!['a', 'b', 'c', 'd', 'e'];
        permute(&mut items, &[3, 0, 4, 1, 2]);
        assert_eq!(items, vec!['d', 'a', 'e', 'b', 'c']);
        let mut same = vec![1, 2, 3];
        permute(&mut same, &[0, 1, 2]);
        assert_eq!(same, vec![1, 2, 3]);
    }

    fn item(date: Option<&str>, section: &str, published: Option<&str>) -> Article {
        let mut a = Article::new("x.txt", 1, 1);
        a.date = date.map(str::to_owned);
        a.section = Some(section.to_owned());
        a.published = published.map(str::to_owned);
        a
    }

    #[test]
    fn web_feed_items_are_ordered_by_date_then_section_then_time() {
        let t = |h: u32| format!("2023-10-01T{h:02}:00:00+08:00");
        let (t8, t9, t10, t11) = (t(8), t(9), t(10), t(11));
        let day = Some("2023-10-01");
        let items = [
            item(None, "要闻", None),
            item(day, "国际", Some(&t8)),
            item(None, "国际", None),
            item(day, "要闻", Some(&t9)),
            item(None, "要闻", None),
            item(day, "国际", Some(&t11)),
            item(None, "国际", None),
            item(day, "要闻", Some(&t10)),
            item(
                Some("2023-09-30"),
                "要闻",
                Some("2023-09-30T23:00:00+08:00"),
            ),
        ];
        let order = items.to_vec().order_items(0);
        // 国际's newest (11:00) is newer than 要闻's (10:00); undated last,
        // its sections in the order they first appear.
        assert_eq!(order, [5, 1, 7, 3, 8, 0, 4, 2, 6]);
        // The reader's compact articles are put in the same order.
        let mut shelf = Shelf::default();
        shelf.add(items.to_vec());
        assert_eq!(shelf.order_items(0), order);
        let sorted: Vec<Article> = order.iter().map(|&n| items[n].clone()).collect();
        let shelved: Vec<Article> = (0..shelf.len())
            .filter_map(|n| shelf.get(n).map(|a| a.into_owned()))
            .collect();
        assert_eq!(shelved, sorted);
    }

    #[test]
    fn ids_are_stable_and_distinct() {
        // Read state is keyed by these ids: they must never change.
        assert_eq!(
            article_id("zhumadian-daily", "undated/zhumadian-daily-page.txt", 0).len(),
            12
        );
        assert_ne!(article_id("f", "a.txt", 0), article_id("f", "a.txt", 1));
        assert_ne!(article_id("f", "a.txt", 0), article_id("g", "a.txt", 0));
        assert_eq!(article_id("f", "a.txt", 0), article_id("f", "a.txt", 0));
    }
}
