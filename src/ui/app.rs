//! The reader's state: what is loaded, where the user is, what is shown.
//!
//! Plain data with no terminal in it. [`super::update`] is the only code
//! that changes it; the views only read it. Line counts are exact because
//! the reader's text is laid out here, by the typesetter, at the width of
//! the pane that will show it. [`App`] holds one field per concern: the
//! archive, the preferences, the list's place, the reader, the focus, what
//! the keys are typing, the overlay, the status line, and the geometry.

use std::sync::Arc;
use std::sync::atomic::AtomicU64;

use crate::config::{TextOptions, Theme};
use crate::index::search::Ranked;
use crate::keymap::Action;
use crate::keymap::Keymap;
use crate::model::{Article, Warning};
use crate::script::Script;
use crate::typeset::{self, sanitize, str_width, truncate, wrap};

use super::archive::{Archive, Found, Row, Section};
use super::find::Find;
use super::layout::{Focus, Panes, Size};
use super::pictures::{Graphics, HALFBLOCKS, Pictures};
use super::tree::{self, Folds};

/// A window over the list or the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overlay {
    Help,
    Warnings,
}

/// The overlay shown and how far it is scrolled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shown {
    pub which: Overlay,
    /// First line shown.
    pub top: usize,
}

/// What the keys are typing, if anything: the search after `/`, a find
/// in the article after `/` in the reader, a date after `:`, or the number
/// of a link after `o`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Input {
    /// Keys are actions.
    #[default]
    Browse,
    /// The search is being typed.
    Filter,
    /// A find in the open article is being typed (the text is the find's).
    Find,
    /// A date to jump to: `2023-03-10`, `3-10`, `03-10` or `10`.
    Date(String),
    /// The number of the link to open (digits; empty for the article's own
    /// address).
    LinkNumber(String),
}

/// What the user chose to see and how, from the config.
#[derive(Debug, Clone)]
pub struct Prefs {
    pub keymap: Keymap,
    pub theme: Theme,
    pub text: TextOptions,
    pub mouse: bool,
    /// `[ui] measure`: Han characters per line of the reader, 0 for the
    /// whole pane.
    pub measure: u8,
    /// `NO_COLOR` is set: styles keep their weight, lose their colour.
    pub no_color: bool,
    /// The config has no `[[feeds]]`: the empty list says so.
    pub no_feeds: bool,
    /// How photos are drawn (`[ui] images` and the terminal); `None` for
    /// captions only.
    pub graphics: Option<Graphics>,
}

impl Prefs {
    /// The preferences a config gives; `no_color` from the environment.
    pub fn from_config(config: &crate::config::Config, no_color: bool) -> Prefs {
        Prefs {
            keymap: config.keymap.clone(),
            theme: config.theme.clone(),
            text: config.text.clone(),
            mouse: config.ui.mouse,
            measure: config.ui.measure,
            no_color,
            no_feeds: config.feeds.is_empty(),
            // `auto` is refined when the reader starts on a terminal.
            graphics: match config.ui.images {
                crate::config::Images::Off => None,
                _ => Some(HALFBLOCKS),
            },
        }
    }
}

/// The place in the lists: the selection, the scroll offsets and what is
/// open in the sections tree.
#[derive(Debug, Clone)]
pub struct Nav {
    /// The selected row of the sections tree: the article list shows its
    /// articles (a section's, a day's or a feed's).
    pub row: Row,
    /// The days and feeds opened and folded.
    pub folds: Folds,
    /// The rows of the sections tree, as worked out after the last change.
    pub rows: Vec<Row>,
    /// The article that was open when the reader last quit, until it is
    /// shown (it may come only with the whole archive) or a key is pressed.
    pub restore: Option<String>,
    /// Selected article (index into what the article list shows).
    pub article: usize,
    /// First row shown in the sections pane.
    pub section_offset: usize,
    /// First row shown in the articles pane.
    pub article_offset: usize,
    /// The search covers the whole archive (else the selected section).
    pub everywhere: bool,
}

/// The article shown in the reader pane and its laid-out text.
#[derive(Debug, Clone, Default)]
pub struct Reader {
    /// Index into [`Archive::articles`] of the article shown, if any.
    pub article: Option<usize>,
    /// Its text is being read from its file (it came from the index
    /// without it).
    pub reading: bool,
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
    /// How many of the anchor block's lines are above the top.
    pub anchor_line: usize,
    /// The reader scrolled to the end: a relayout shows the end again.
    pub at_end: bool,
    /// Lines that fit the pane.
    pub height: usize,
    /// A find in the article, while one is typed or kept.
    pub find: Option<Find>,
    /// The find is the archive search's: its first match is shown once the
    /// article's lines are laid out.
    pub find_pending: bool,
    /// The width a worker is typesetting the article at, while `lines`
    /// hold only its head (see [`LONG_TEXT`]).
    pub typesetting: Option<usize>,
    /// Counts typesetting requests and changes of article; a worker whose
    /// request is no longer the latest stops before laying out.
    pub ticket: Arc<AtomicU64>,
    /// The photos of the opened article: fetched on a worker, their rows
    /// among `lines`.
    pub pictures: Pictures,
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
    /// The script it was laid out in: one the reader has left is dropped.
    pub script: Script,
    /// The article with its text, when it came from the index without.
    pub article: Option<Article>,
    /// Its lines, or why its text could not be read.
    pub lines: Result<Vec<typeset::Line>, Warning>,
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

/// What the status line reports besides the keys' hints.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Status {
    /// A one-line message, until the next key.
    pub message: Option<String>,
    /// A background fetch of the web feeds, while it runs.
    pub fetching: Option<Fetching>,
    /// The index being brought up to date in the background: files read
    /// and to read (0 of 0 while it only checks).
    pub indexing: Option<(usize, usize)>,
    /// The last save of the read marks failed: the marks on disk are
    /// behind the ones shown, until a save succeeds.
    pub unsaved: bool,
    /// Articles the last key marked read, until the next key.
    pub undo: Option<Undo>,
    /// The last message too long for the status line, whole, for the
    /// warnings overlay (`W`).
    pub long_message: Option<String>,
}

/// Articles marked read by one key, which the next key may take back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Undo {
    /// Indices into [`Archive::articles`] of the articles marked.
    pub articles: Vec<usize>,
}

/// The whole state of the reader.
#[derive(Debug, Clone)]
pub struct App {
    pub archive: Archive,
    pub prefs: Prefs,
    pub nav: Nav,
    pub reader: Reader,
    pub focus: Focus,
    pub input: Input,
    pub overlay: Option<Shown>,
    pub status: Status,
    /// The terminal's size and the panes it holds.
    pub size: Size,
    pub panes: Panes,
    pub quit: bool,
}

impl App {
    /// A reader over `archive`, focused on the first section's first
    /// article.
    pub fn new(archive: Archive, prefs: Prefs) -> App {
        let restore = archive.marks().last().map(str::to_owned);
        let mut app = App {
            archive,
            prefs,
            nav: Nav {
                row: Row::Section(0),
                folds: Folds::default(),
                rows: Vec::new(),
                restore,
                article: 0,
                section_offset: 0,
                article_offset: 0,
                everywhere: true,
            },
            reader: Reader::default(),
            focus: Focus::Articles,
            input: Input::Browse,
            overlay: None,
            status: Status::default(),
            size: Size::default(),
            panes: Panes::default(),
            quit: false,
        };
        app.nav.rows = tree::rows(&app.archive, &app.nav.folds);
        app
    }

    /// Whether a search (rather than a section) fills the article list.
    pub fn searching(&self) -> bool {
        self.archive.found().is_some()
    }

    /// The search is being typed.
    pub fn typing_filter(&self) -> bool {
        self.input == Input::Filter
    }

    /// The sections the selected row stands for.
    pub fn scope(&self) -> std::ops::Range<usize> {
        tree::scope(&self.archive, self.nav.row)
    }

    /// The articles (a range of indices into [`Archive::articles`]) of
    /// the sections the selected row stands for.
    fn scope_articles(&self) -> std::ops::Range<usize> {
        let scope = self.scope();
        let sections = &self.archive.sections;
        let first = sections.get(scope.start).map(|s| s.articles.start);
        let last = scope
            .end
            .checked_sub(1)
            .and_then(|s| sections.get(s))
            .map(|s| s.articles.end);
        match (first, last) {
            (Some(first), Some(last)) => first..last,
            _ => 0..0,
        }
    }

    /// Whether an answer from a worker is awaited: a fetch's progress, the
    /// index's, a long article's layout, photos, or a search's hits being
    /// confirmed. The loop then looks for it between keys; an answer it
    /// did not look for would wait in the channel, and the lists would
    /// show a search's candidates as its hits.
    pub fn awaits_worker(&self) -> bool {
        self.status.fetching.is_some()
            || self.status.indexing.is_some()
            || self.reader.typesetting.is_some()
            || self.reader.pictures.waiting(self.prefs.graphics)
            || self.archive.confirming()
    }

    /// What the article list shows: the search hits (everywhere, or in the
    /// selected row's sections) in rank order, else the selected row's
    /// articles that the view lets through.
    pub fn listed(&self) -> Listed<'_> {
        match self.archive.found() {
            Some(Ok(found)) if self.nav.everywhere => Listed::Hits(&found.hits),
            Some(Ok(found)) => {
                let scope = self.scope_articles();
                Listed::Articles(
                    found
                        .hits
                        .iter()
                        .map(Ranked::article)
                        .filter(|i| scope.contains(i))
                        .collect(),
                )
            }
            Some(Err(_)) => Listed::Articles(Vec::new()),
            None => Listed::Articles(
                self.scope()
                    .flat_map(|s| self.archive.visible(s).iter().copied())
                    .collect(),
            ),
        }
    }

    /// What the selected row is called: `2023-03-08 05版 要闻`, a date, or
    /// a feed's title.
    pub fn scope_label(&self) -> String {
        match self.nav.row {
            Row::Section(s) => self
                .archive
                .sections
                .get(s)
                .map(Section::label)
                .unwrap_or_default(),
            Row::Day(d) => self
                .archive
                .days
                .get(d)
                .map(|d| d.label().to_owned())
                .unwrap_or_default(),
            Row::Feed(f) => self
                .archive
                .feeds
                .get(f)
                .map(|f| sanitize(&f.title).into_owned())
                .unwrap_or_default(),
        }
    }

    /// The title of the feed the selected row is in.
    pub fn scope_feed(&self) -> Option<&str> {
        let feed = self.archive.feed_of(self.nav.row)?;
        self.archive.feeds.get(feed).map(|f| f.title.as_str())
    }

    /// The hit behind row `row` of [`App::listed`] (article `article`),
    /// while searching: the row's own when the list is every hit, so that
    /// drawing rows deep in half a million hits looks none up.
    pub fn hit(&self, row: usize, article: usize) -> Option<(&Found, &Ranked)> {
        let Some(Ok(found)) = self.archive.found() else {
            return None;
        };
        found
            .hits
            .get(row)
            .filter(|h| h.article() == article)
            .or_else(|| found.hits.iter().find(|h| h.article() == article))
            .map(|h| (found, h))
    }

    /// The selected section, when a section (not a day or a feed) is
    /// selected.
    pub fn section(&self) -> Option<usize> {
        match self.nav.row {
            Row::Section(s) if s < self.archive.sections.len() => Some(s),
            _ => None,
        }
    }

    /// The selected article (index into [`Archive::articles`]).
    pub fn selected(&self) -> Option<usize> {
        self.listed().get(self.nav.article)
    }

    /// The article that marks and links apply to: the one being read, else
    /// the selected one.
    pub fn target(&self) -> Option<usize> {
        match self.focus {
            Focus::Reader => self.reader.article,
            _ => self.selected(),
        }
    }
}

/// What the article list shows ([`App::listed`]): the search's hits as
/// they are kept (a million of them are not copied for each question
/// about the list), or the articles picked out.
pub enum Listed<'a> {
    Hits(&'a [Ranked]),
    Articles(Vec<usize>),
}

impl Listed<'_> {
    pub fn len(&self) -> usize {
        match self {
            Listed::Hits(hits) => hits.len(),
            Listed::Articles(articles) => articles.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The article on row `row` of the list.
    pub fn get(&self, row: usize) -> Option<usize> {
        match self {
            Listed::Hits(hits) => hits.get(row).map(Ranked::article),
            Listed::Articles(articles) => articles.get(row).copied(),
        }
    }

    /// The row article `article` is on.
    pub fn position(&self, article: usize) -> Option<usize> {
        match self {
            Listed::Hits(hits) => hits.iter().position(|h| h.article() == article),
            Listed::Articles(articles) => articles.iter().position(|&i| i == article),
        }
    }

    pub fn contains(&self, article: usize) -> bool {
        self.position(article).is_some()
    }

    /// The articles, row by row.
    pub fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.len()).filter_map(|row| self.get(row))
    }

    /// The articles, row by row, in a vector of their own.
    pub fn to_vec(&self) -> Vec<usize> {
        match self {
            Listed::Hits(hits) => hits.iter().map(Ranked::article).collect(),
            Listed::Articles(articles) => articles.clone(),
        }
    }
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
        match self.overlay.and_then(|o| self.overlay_view(o.which)) {
            Some((rect, lines)) => lines
                .len()
                .saturating_sub(usize::from(rect.height.saturating_sub(2))),
            None => 0,
        }
    }

    /// The lines an overlay shows at `width` columns.
    pub fn overlay_lines(&self, which: Overlay, width: usize) -> Vec<String> {
        let app = self;
        let amb = app.prefs.text.ambiguous_width.columns();
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
            Overlay::Warnings => {
                let mut lines = Vec::new();
                if let Some(message) = &app.status.long_message {
                    lines.push("Last message:".to_owned());
                    // Set in by two spaces (not a paragraph's ideographic
                    // indent: the message is mostly English).
                    let set_in = wrap(&sanitize(message), width.saturating_sub(2), 0, amb);
                    lines.extend(set_in.into_iter().map(|l| format!("  {l}")));
                    lines.push(String::new());
                }
                // A warning may hold lines of its own (an example to copy).
                lines.extend(app.archive.warnings.iter().flat_map(|w| {
                    w.to_string()
                        .lines()
                        .flat_map(|l| wrap(&sanitize(l), width, 0, amb))
                        .collect::<Vec<String>>()
                }));
                lines
            }
        }
    }
}
