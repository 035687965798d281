//! The reader's state: what is loaded, where the user is, what is shown.
//!
//! Plain data with no terminal in it. [`super::update`] is the only code
//! that changes it; the views only read it. Line counts are exact because
//! the reader's text is laid out here, by the typesetter, at the width of
//! the pane that will show it.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::AtomicU64;

use crate::config::{FeedConfig, TextOptions, Theme};
use crate::index::search::{Hit, Query, Search};
use crate::keymap::Action;
use crate::keymap::Keymap;
use crate::library::Library;
use crate::model::{Article, Warning};
use crate::state::Marks;
use crate::typeset::{self, Context, sanitize, str_width, truncate, wrap};

use super::layout::{Focus, Panes, Size};

/// A window over the list or the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overlay {
    Help,
    Warnings,
}

/// A feed's articles of one date and section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    pub feed_title: String,
    pub date: Option<String>,
    pub name: Option<String>,
    /// Indices into [`App::articles`], in page order.
    pub articles: Vec<usize>,
}

impl Section {
    /// `2023-03-08 要闻`, or what is known of it.
    pub fn label(&self) -> String {
        let date = self.date.as_deref().unwrap_or("日期不详");
        let name = self.name.as_deref().unwrap_or("未分版");
        format!("{date} {name}")
    }
}

/// What the user chose to see and how, from the config.
#[derive(Debug, Clone)]
pub struct Prefs {
    pub keymap: Keymap,
    pub theme: Theme,
    pub text: TextOptions,
    pub mouse: bool,
    /// `NO_COLOR` is set: styles keep their weight, lose their colour.
    pub no_color: bool,
}

impl Prefs {
    /// The preferences a config gives; `no_color` from the environment.
    pub fn from_config(config: &crate::config::Config, no_color: bool) -> Prefs {
        Prefs {
            keymap: config.keymap.clone(),
            theme: config.theme.clone(),
            text: config.text.clone(),
            mouse: config.ui.mouse,
            no_color,
        }
    }
}

/// The article list: sections, the selection, scroll offsets, the filter.
#[derive(Debug, Clone, Default)]
pub struct Nav {
    pub sections: Vec<Section>,
    /// Selected section (index into `sections`).
    pub section: usize,
    /// Selected article (index into the section's visible articles).
    pub article: usize,
    /// First row shown in the sections pane.
    pub section_offset: usize,
    /// First row shown in the articles pane.
    pub article_offset: usize,
    /// The search typed after `/`; empty for none.
    pub filter: String,
    /// The search is being typed.
    pub editing: bool,
    /// The search covers the whole archive (else the selected section).
    pub everywhere: bool,
}

/// The result of the search being shown.
#[derive(Debug, Clone)]
pub struct Found {
    pub query: Query,
    /// Ranked: headline hits first, then the newest.
    pub hits: Vec<Hit>,
    /// The articles hit, for counting them per section.
    pub articles: std::collections::HashSet<usize>,
}

/// The article shown in the reader pane and its laid-out text.
#[derive(Debug, Clone, Default)]
pub struct Reader {
    /// Index into [`App::articles`] of the article shown, if any.
    pub article: Option<usize>,
    /// The user opened it (rather than seeing it as a preview).
    pub opened: bool,
    /// Its lines at `width` columns.
    pub lines: Vec<typeset::Line>,
    pub width: usize,
    /// First line shown.
    pub top: usize,
    /// The block the reader scrolled to: where a relayout puts the view,
    /// even after a larger window showed the article from its start.
    pub anchor: usize,
    /// The reader scrolled to the end: a relayout shows the end again.
    pub at_end: bool,
    /// Lines that fit the pane.
    pub height: usize,
    /// Where each article was left: the block at the top, by article id.
    pub places: HashMap<String, usize>,
    /// The width a worker is typesetting the article at, while `lines`
    /// hold only its head (see [`LONG_TEXT`]).
    pub typesetting: Option<usize>,
    /// Counts typesetting requests and changes of article; a worker whose
    /// request is no longer the latest stops before laying out.
    pub ticket: Arc<AtomicU64>,
}

/// Characters from which an article is read and typeset on a worker
/// thread, so that opening or previewing it never stalls the keys: about
/// 10 ms of typesetting here. Until the worker is done the reader shows
/// the head block and how long the text is.
pub const LONG_TEXT: usize = 100_000;

/// An article read and laid out on a worker thread.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Typeset {
    pub id: String,
    pub width: usize,
    /// The article with its text, when it came from the index without.
    pub article: Option<Article>,
    /// Its lines, or why its text could not be read.
    pub lines: Result<Vec<typeset::Line>, String>,
}

impl Reader {
    /// How far down the text the view is, 0–100.
    pub fn percent(&self) -> usize {
        let scrollable = self.lines.len().saturating_sub(self.height);
        (self.top * 100)
            .checked_div(scrollable)
            .map_or(100, |p| p.min(100))
    }

    /// Largest useful `top`.
    pub fn max_top(&self) -> usize {
        self.lines.len().saturating_sub(self.height)
    }
}

/// A background fetch in progress.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Fetching {
    pub total: usize,
    pub done: usize,
    /// Feeds being fetched now.
    pub running: Vec<String>,
    /// One line per feed that failed.
    pub failures: Vec<String>,
    pub new: usize,
    pub updated: usize,
}

/// The whole state of the reader.
#[derive(Debug, Clone)]
pub struct App {
    pub articles: Vec<Article>,
    pub feed_titles: HashMap<String, String>,
    pub warnings: Vec<Warning>,
    pub marks: Marks,
    pub prefs: Prefs,
    pub nav: Nav,
    pub reader: Reader,
    pub focus: Focus,
    pub overlay: Option<Overlay>,
    /// First line shown in the overlay.
    pub overlay_top: usize,
    /// The terminal's size and the panes it holds.
    pub size: Size,
    pub panes: Panes,
    /// A one-line message for the status line.
    pub message: Option<String>,
    /// The number of the link to open, being typed after `o` (digits; empty
    /// for the article's own address).
    pub link_prompt: Option<String>,
    /// A background fetch of the web feeds, while it runs.
    pub fetching: Option<Fetching>,
    /// The index being brought up to date in the background: files read
    /// and to read (0 of 0 while it only checks).
    pub indexing: Option<(usize, usize)>,
    /// The archive's search index, once it is open.
    pub search: Option<Search>,
    /// The search being shown (or why it found nothing to look for).
    pub found: Option<Result<Found, String>>,
    /// The configured feeds, to read an article's text when it is opened
    /// (articles from the index come without it).
    pub feeds: Vec<FeedConfig>,
    /// The last save of the read marks failed: the marks on disk are
    /// behind the ones shown, until a save succeeds.
    pub unsaved: bool,
    pub quit: bool,
}

impl App {
    /// A reader over `library`, focused on the first section's first
    /// article.
    pub fn new(library: Library, marks: Marks, prefs: Prefs, warnings: Vec<Warning>) -> App {
        let feed_titles: HashMap<String, String> = library
            .feeds
            .iter()
            .map(|f| (f.id.clone(), f.title.clone()))
            .collect();
        let sections = sections(&library.articles, &feed_titles);
        let mut all_warnings = library.warnings;
        all_warnings.extend(warnings);
        App {
            articles: library.articles,
            feed_titles,
            warnings: all_warnings,
            marks,
            prefs,
            nav: Nav {
                sections,
                everywhere: true,
                ..Nav::default()
            },
            reader: Reader::default(),
            focus: Focus::Articles,
            overlay: None,
            overlay_top: 0,
            size: Size::default(),
            panes: Panes::default(),
            message: None,
            link_prompt: None,
            fetching: None,
            indexing: None,
            search: None,
            found: None,
            feeds: Vec::new(),
            unsaved: false,
            quit: false,
        }
    }

    /// Runs the search typed after `/` again (the query or the archive
    /// changed).
    pub fn run_search(&mut self) {
        let typed = self.nav.filter.trim();
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
                Err(e) => Err(e.to_string()),
            }),
        };
    }

    /// Whether a search (rather than a section) fills the article list.
    pub fn searching(&self) -> bool {
        self.found.is_some()
    }

    /// What the article list shows: the search hits (everywhere, or in the
    /// selected section) in rank order, else the selected section.
    pub fn listed(&self) -> Vec<usize> {
        match &self.found {
            Some(Ok(found)) => {
                let section = self.section().filter(|_| !self.nav.everywhere);
                found
                    .hits
                    .iter()
                    .map(|h| h.article)
                    .filter(|i| section.is_none_or(|s| s.articles.binary_search(i).is_ok()))
                    .collect()
            }
            Some(Err(_)) => Vec::new(),
            None => self.visible(self.nav.section),
        }
    }

    /// The hit behind row `row` of [`App::listed`], while searching.
    pub fn hit(&self, article: usize) -> Option<(&Found, &Hit)> {
        match &self.found {
            Some(Ok(found)) => found
                .hits
                .iter()
                .find(|h| h.article == article)
                .map(|h| (found, h)),
            _ => None,
        }
    }

    /// Reads the text of article `index` if it came from the index without
    /// it; a file that cannot be read is a message, the article stays as
    /// it was.
    pub fn load_body(&mut self, index: usize) {
        let Some(article) = self.articles.get(index) else {
            return;
        };
        if article.stub.is_none() {
            return;
        }
        match crate::library::read_article(&self.feeds, article) {
            Ok(full) => self.articles[index] = full,
            Err(w) => self.message = Some(w.to_string()),
        }
    }

    /// Replaces the archive (after a fetch), keeping the selection, the
    /// article being read and the places by article id.
    pub fn replace_library(&mut self, library: Library) {
        let selected = self.selected().map(|i| self.articles[i].id.clone());
        let reading = self.reader.article.map(|i| self.articles[i].id.clone());
        let section = self
            .section()
            .map(|s| (s.feed_title.clone(), s.date.clone(), s.name.clone()));
        self.feed_titles = library
            .feeds
            .iter()
            .map(|f| (f.id.clone(), f.title.clone()))
            .collect();
        self.nav.sections = sections(&library.articles, &self.feed_titles);
        self.articles = library.articles;
        self.run_search();
        let find = |id: &Option<String>| {
            id.as_ref()
                .and_then(|id| self.articles.iter().position(|a| &a.id == id))
        };
        let reading = find(&reading);
        let selected = find(&selected);
        if let Some(index) = selected.or(reading) {
            if let Some((s, _)) = self
                .nav
                .sections
                .iter()
                .enumerate()
                .find(|(_, s)| s.articles.contains(&index))
            {
                self.nav.section = s;
                self.nav.article = self.listed().iter().position(|&i| i == index).unwrap_or(0);
            }
        } else if let Some((feed, date, name)) = section {
            self.nav.section = self
                .nav
                .sections
                .iter()
                .position(|s| s.feed_title == feed && s.date == date && s.name == name)
                .unwrap_or(0);
            self.nav.article = 0;
        }
        // The reader's lines are laid out again for the article's new index.
        self.reader.article = reading;
        self.reader.lines.clear();
        if reading.is_none() {
            self.reader.opened = false;
        }
    }

    /// The selected section, if there is one.
    pub fn section(&self) -> Option<&Section> {
        self.nav.sections.get(self.nav.section)
    }

    /// The articles of a section that the search hit, or all of them
    /// (indices into [`App::articles`]). Without an index (while it is
    /// first built) the search narrows by headline and byline.
    pub fn visible(&self, section: usize) -> Vec<usize> {
        let Some(s) = self.nav.sections.get(section) else {
            return Vec::new();
        };
        match &self.found {
            Some(Ok(found)) => s
                .articles
                .iter()
                .copied()
                .filter(|i| found.articles.contains(i))
                .collect(),
            Some(Err(_)) => Vec::new(),
            None => s
                .articles
                .iter()
                .copied()
                .filter(|&i| self.matches(&self.articles[i]))
                .collect(),
        }
    }

    fn matches(&self, article: &Article) -> bool {
        let query = self.nav.filter.trim();
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

    /// The selected article (index into [`App::articles`]).
    pub fn selected(&self) -> Option<usize> {
        self.listed().get(self.nav.article).copied()
    }

    /// The article that marks and links apply to: the one being read, else
    /// the selected one.
    pub fn target(&self) -> Option<usize> {
        match self.focus {
            Focus::Reader => self.reader.article,
            _ => self.selected(),
        }
    }

    /// Unread articles among a section's visible ones.
    pub fn unread(&self, section: usize) -> usize {
        self.visible(section)
            .iter()
            .filter(|&&i| !self.marks.is_read(&self.articles[i].id))
            .count()
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
}

/// Groups articles (already in library order) into sections.
fn sections(articles: &[Article], titles: &HashMap<String, String>) -> Vec<Section> {
    let mut out: Vec<Section> = Vec::new();
    for (i, a) in articles.iter().enumerate() {
        let feed = a.feed.as_deref().unwrap_or("");
        let feed_title = titles.get(feed).map_or(feed, String::as_str);
        match out.last_mut() {
            Some(s) if s.feed_title == feed_title && s.date == a.date && s.name == a.section => {
                s.articles.push(i);
            }
            _ => out.push(Section {
                feed_title: feed_title.to_owned(),
                date: a.date.clone(),
                name: a.section.clone(),
                articles: vec![i],
            }),
        }
    }
    out
}

impl App {
    /// Where the overlay goes and its lines, or `None` on a tiny screen.
    pub fn overlay_view(&self, which: Overlay) -> Option<(ratatui::layout::Rect, Vec<String>)> {
        let area = ratatui::layout::Rect::new(0, 0, self.size.width, self.size.height);
        let lines = self.overlay_lines(which, usize::from(super::layout::overlay_text_width(area)));
        super::layout::overlay_box(area, lines.len()).map(|rect| (rect, lines))
    }

    /// Largest useful first line of the overlay.
    pub fn overlay_max_top(&self) -> usize {
        match self.overlay.and_then(|o| self.overlay_view(o)) {
            Some((rect, lines)) => lines
                .len()
                .saturating_sub(usize::from(rect.height.saturating_sub(2))),
            None => 0,
        }
    }

    /// The lines an overlay shows at `width` columns.
    pub fn overlay_lines(&self, which: Overlay, width: usize) -> Vec<String> {
        let app = self;
        let amb = app.prefs.text.ambiguous_width;
        match which {
            Overlay::Help => {
                let keys: Vec<String> = Action::ALL
                    .iter()
                    .map(|a| {
                        let keys: Vec<String> = app
                            .prefs
                            .keymap
                            .keys(*a)
                            .iter()
                            .map(ToString::to_string)
                            .collect();
                        keys.join(" ")
                    })
                    .collect();
                let column = keys.iter().map(|k| str_width(k, amb)).max().unwrap_or(0) + 2;
                let longest = Action::ALL
                    .iter()
                    .map(|a| a.describe().len())
                    .max()
                    .unwrap_or(0);
                if column + longest <= width {
                    Action::ALL
                        .iter()
                        .zip(&keys)
                        .map(|(a, k)| {
                            let pad = " ".repeat(column.saturating_sub(str_width(k, amb)));
                            format!("{k}{pad}{}", a.describe())
                        })
                        .collect()
                } else {
                    // Narrow: each description under its keys.
                    Action::ALL
                        .iter()
                        .zip(&keys)
                        .flat_map(|(a, k)| {
                            [
                                truncate(k, width, amb),
                                truncate(&format!("  {}", a.describe()), width, amb),
                            ]
                        })
                        .collect()
                }
            }
            Overlay::Warnings => app
                .warnings
                .iter()
                .flat_map(|w| wrap(&sanitize(&w.to_string()), width, 0, amb))
                .collect(),
        }
    }
}

/// A row of the sections pane: a feed's name, or one of its sections.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SectionRow {
    Feed(usize),
    Section(usize),
}

impl App {
    /// The rows of the sections pane: each feed's name above its sections.
    pub fn section_rows(&self) -> Vec<SectionRow> {
        let mut rows = Vec::new();
        let mut feed: Option<&str> = None;
        for (i, s) in self.nav.sections.iter().enumerate() {
            if feed != Some(s.feed_title.as_str()) {
                rows.push(SectionRow::Feed(i));
                feed = Some(&s.feed_title);
            }
            rows.push(SectionRow::Section(i));
        }
        rows
    }
}
