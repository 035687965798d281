//! The command line: arguments, subcommands and their printed output.
//!
//! Every subcommand loads what it needs through [`crate::config`],
//! [`crate::library`], [`crate::source`] and [`crate::marks`], then prints:
//! text laid out by [`crate::typeset`] (sanitised, so a pipe never receives
//! escape sequences) or JSON. Errors that stop a command are returned as one line
//! and printed once by [`main`].

use std::borrow::Borrow;
use std::cell::Cell;
use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use serde::Serialize;

use crate::config::{self, Config, ConfigSource, TextOptions};
use crate::index::search::Hit;
use crate::index::snapshot::Snapshot;
use crate::index::{self, fresh::Freshness};
use crate::library::{self, Articles, Library};
use crate::marks::{self, Marks};
use crate::model::{Article, NO_SECTION, UNDATED, Warning};
use crate::script::Script;
use crate::source;
use crate::typeset::{self, Context};

/// Read Chinese-language newspapers and feeds in the terminal (看报).
#[derive(Debug, Parser)]
#[command(name = "kanbao", version, about, long_about = None)]
pub struct Cli {
    /// Config file to use [default: $KANBAO_CONFIG, then
    /// $XDG_CONFIG_HOME/kanbao/config.toml, then ./config.toml]
    #[arg(long, global = true, value_name = "PATH")]
    pub config: Option<PathBuf>,

    /// Look at every file of the archive for changes before list, show,
    /// search and mark [default: look at the folders and the 1,000 newest
    /// files; see README.md, "The index"]
    #[arg(long, global = true)]
    pub fresh: bool,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Parse page files (no config needed) and print their articles.
    Parse {
        /// Print the articles and warnings as JSON.
        #[arg(long, conflicts_with = "width")]
        json: bool,
        /// Wrap all text to N columns [default: the terminal's width; no
        /// wrapping on a pipe].
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
        width: Option<u16>,
        /// Show the text in this script (display only; --json keeps the
        /// stored characters).
        #[arg(long, value_enum, value_name = "SCRIPT", default_value_t = Script::AsStored, conflicts_with = "json")]
        script: Script,
        /// Page files: plain text in UTF-8, GB18030, GBK or Big5.
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
    },
    /// List the archive's sections and articles (what `kanbao` prints when
    /// its output is not a terminal; on a terminal it opens the reader).
    List {
        /// Print the articles and warnings as JSON.
        #[arg(long)]
        json: bool,
        /// Only the feed with this id.
        #[arg(long, value_name = "FEED")]
        feed: Option<String>,
        /// Only the section (版面) with this name; 未分版 for the articles
        /// of no section.
        #[arg(long, value_name = "SECTION")]
        section: Option<String>,
        /// List only the first N articles (newest first), reading only
        /// the newest pages [default: all; 0 = all].
        #[arg(long, value_name = "N")]
        limit: Option<usize>,
    },
    /// Print one article, typeset.
    Show {
        /// The article's id from `kanbao list` (a unique prefix of at least
        /// 4 characters will do).
        id: String,
        /// Print the article (with its text) and warnings as JSON.
        #[arg(long, conflicts_with = "width")]
        json: bool,
        /// Wrap all text to N columns [default: the terminal's width; no
        /// wrapping on a pipe].
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
        width: Option<u16>,
        /// Show the text in this script [default: `[text] script` in the
        /// config] (display only; --json keeps the stored characters).
        #[arg(long, value_enum, value_name = "SCRIPT", conflicts_with = "json")]
        script: Option<Script>,
    },
    /// Mark articles read or unread, starred or not, without the reader.
    ///
    /// The marks are saved to the same state.json the reader uses, once for
    /// all the ids. An id of - reads ids from standard input, one a line, so
    /// that a script can pick them: kanbao list --json | jq -r
    /// '.articles[].id' | kanbao mark read -
    Mark {
        /// What to do with the articles.
        #[arg(value_enum)]
        action: MarkAction,
        /// Ids from `kanbao list` (a unique prefix of at least 4 characters
        /// will do), or - to read them from standard input.
        #[arg(required = true, value_name = "ID")]
        ids: Vec<String>,
    },
    /// Search the whole archive: every article holding all the words.
    ///
    /// Chinese is matched anywhere in the text, one character or more
    /// (科技, 院士, 创新高地); Latin words and numbers are matched whole and
    /// without regard to case; full-width letters and digits match their
    /// ASCII forms. Spaces and punctuation separate words. Headline hits
    /// come first, then the newest.
    Search {
        /// What to look for, e.g. 科技 or "GDP 增长".
        #[arg(required = true, value_name = "QUERY")]
        query: Vec<String>,
        /// Print the hits and warnings as JSON.
        #[arg(long)]
        json: bool,
        /// Show the first N hits; 0 shows them all. The number of all the
        /// hits is printed either way (`count` in JSON).
        #[arg(long, value_name = "N", default_value_t = 20)]
        limit: usize,
    },
    /// Check the config and every feed; print what was found.
    Check,
    /// Write a commented config.toml to start from (first run).
    ///
    /// It is written where kanbao looks first: --config PATH, else
    /// $KANBAO_CONFIG, else $XDG_CONFIG_HOME/kanbao/config.toml
    /// (~/.config/kanbao/config.toml). It explains the archive's layout and
    /// holds a web feed and a folder of pages to uncomment. A file already
    /// there is kept.
    Init {
        /// Replace the file if there is one already.
        #[arg(long)]
        force: bool,
    },
    /// Fetch web feeds (kind = "feed") and e-paper editions (kind =
    /// "epaper") into the archive.
    Fetch {
        /// Only the feeds with these ids [default: every web feed and
        /// e-paper].
        #[arg(value_name = "FEED")]
        feeds: Vec<String>,
        /// Fetch even feeds whose `interval` has not passed, and editions
        /// already stored.
        #[arg(long)]
        force: bool,
        /// The e-paper edition of this day, YYYY-MM-DD [default: today's,
        /// and the feed's `keep` days back].
        #[arg(long, value_name = "DATE", value_parser = edition_date, conflicts_with = "since")]
        date: Option<chrono::NaiveDate>,
        /// The e-paper editions from this day, YYYY-MM-DD, to today.
        #[arg(long, value_name = "DATE", value_parser = edition_date)]
        since: Option<chrono::NaiveDate>,
        /// How many feeds to fetch at once.
        #[arg(long, value_name = "N", default_value_t = crate::feed::fetch::DEFAULT_CONCURRENCY as u16, value_parser = clap::value_parser!(u16).range(1..=32))]
        jobs: u16,
    },
    /// Sync with the feed server of `[sync]` (TT-RSS or Fever): its feeds
    /// and new items into the archive, read and starred marks both ways.
    ///
    /// Marks made since the last sync, here or on the server, are kept on
    /// both sides; when the server cannot be reached they wait for the
    /// next sync.
    Sync {
        /// Also subscribe the server to the config's web feeds (TT-RSS).
        #[arg(long)]
        push_subscriptions: bool,
    },
    /// Add feeds from another feed reader to the config.
    Import {
        #[command(subcommand)]
        what: ImportCommand,
    },
    /// Write the config's feeds out for another feed reader.
    Export {
        #[command(subcommand)]
        what: ExportCommand,
    },
}

/// What `kanbao mark` does to each article.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MarkAction {
    /// Mark as read.
    Read,
    /// Mark as not read.
    Unread,
    /// Add a star.
    Star,
    /// Remove the star.
    Unstar,
}

/// What `kanbao import` reads.
#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// Add the web feeds of an OPML file to the config.
    ///
    /// Each new feed becomes a [[feeds]] table with kind = "feed", written
    /// after everything already in the file, which is otherwise left as it
    /// was. Feeds whose url the config already has are skipped. When
    /// --config names a file that does not exist yet, it is created.
    Opml {
        /// An OPML file exported from a feed reader (UTF-8, or the encoding
        /// its <?xml?> declaration names).
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
}

/// What `kanbao export` writes.
#[derive(Debug, Subcommand)]
pub enum ExportCommand {
    /// Print the web feeds as OPML 2.0, for another feed reader.
    ///
    /// Feeds with a section are grouped under an outline of that name.
    /// Folders of stored pages and local feed files have no url to give, so
    /// they are only named in a comment.
    Opml,
}

/// Why a command stopped: printed once, as `kanbao: <message>`, and turned
/// into the exit code by its kind ([`Error::exit_code`]).
#[derive(Debug)]
pub enum Error {
    /// The config could not be found or read; the message names the file,
    /// the place and the fix.
    Config(config::ConfigError),
    /// Writing the output failed. A reader that closed the pipe early
    /// (`kanbao list | head`) is not a failure.
    Output(io::Error),
    /// The output could not be written as JSON.
    Json(serde_json::Error),
    /// The terminal reader stopped.
    Reader(crate::ui::Error),
    /// An id on the command line names no article, or more than one.
    Find(library::FindError),
    /// The search query has nothing to look for.
    Query(index::search::QueryError),
    /// What the command was given cannot be used: one line that names it
    /// and what to do.
    Input(String),
}

impl Error {
    /// The process's exit status for this error: 0 for a closed pipe (the
    /// reader of the output had what it wanted), 2 for everything else
    /// (1 is a command that ran but met problems: [`Outcome::Problems`]).
    pub fn exit_code(&self) -> ExitCode {
        if self.is_closed_pipe() {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(2)
        }
    }

    fn is_closed_pipe(&self) -> bool {
        match self {
            Error::Output(e) => e.kind() == io::ErrorKind::BrokenPipe,
            Error::Json(e) => e.io_error_kind() == Some(io::ErrorKind::BrokenPipe),
            _ => false,
        }
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Config(e) => e.fmt(f),
            Error::Output(e) => e.fmt(f),
            Error::Json(e) => e.fmt(f),
            Error::Reader(e) => e.fmt(f),
            Error::Find(e) => e.fmt(f),
            Error::Query(e) => e.fmt(f),
            Error::Input(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for Error {}

impl From<config::ConfigError> for Error {
    fn from(e: config::ConfigError) -> Self {
        Error::Config(e)
    }
}

impl From<io::Error> for Error {
    fn from(e: io::Error) -> Self {
        Error::Output(e)
    }
}

impl From<serde_json::Error> for Error {
    fn from(e: serde_json::Error) -> Self {
        Error::Json(e)
    }
}

impl From<crate::ui::Error> for Error {
    fn from(e: crate::ui::Error) -> Self {
        Error::Reader(e)
    }
}

impl From<library::FindError> for Error {
    fn from(e: library::FindError) -> Self {
        Error::Find(e)
    }
}

impl From<index::search::QueryError> for Error {
    fn from(e: index::search::QueryError) -> Self {
        Error::Query(e)
    }
}

/// How a command ended when it did not fail outright.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Everything was read.
    Clean,
    /// Something could not be read or checked; the rest was printed.
    Problems,
}

/// Entry point of the `kanbao` binary.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    // Not `stdout().lock()`: the reader's signal thread must be able to
    // write to the terminal to restore it while this thread waits for keys.
    let mut out = io::BufWriter::new(io::stdout());
    let result = run(cli, &mut out).and_then(|outcome| {
        out.flush()?;
        Ok(outcome)
    });
    match result {
        Ok(Outcome::Clean) => ExitCode::SUCCESS,
        Ok(Outcome::Problems) => ExitCode::from(1),
        Err(e) if e.is_closed_pipe() => e.exit_code(),
        Err(e) => {
            drop(out);
            eprintln!("kanbao: {}", safe(&e));
            e.exit_code()
        }
    }
}

/// Runs a parsed command line, writing its output to `out`.
pub fn run(cli: Cli, out: &mut impl Write) -> Result<Outcome, Error> {
    let config_path = cli.config.as_deref();
    let fresh = if cli.fresh {
        Freshness::Full
    } else {
        Freshness::Quick
    };
    match cli.command {
        Some(Command::Parse {
            json,
            width,
            script,
            files,
        }) => parse(&files, json, (width, script), out),
        Some(Command::List {
            json,
            feed,
            section,
            limit,
        }) => list(
            (config_path, fresh),
            json,
            (
                feed.as_deref(),
                section.as_deref(),
                limit.filter(|&n| n > 0),
            ),
            out,
        ),
        Some(Command::Show {
            id,
            json,
            width,
            script,
        }) => show((config_path, fresh), &id, json, (width, script), out),
        Some(Command::Mark { action, ids }) => mark((config_path, fresh), action, &ids, out),
        Some(Command::Search { query, json, limit }) => {
            let limit = (limit > 0).then_some(limit);
            search((config_path, fresh), &query.join(" "), json, limit, out)
        }
        Some(Command::Check) => check(config_path, out),
        Some(Command::Init { force }) => init(config_path, force, out),
        Some(Command::Fetch {
            feeds,
            force,
            date,
            since,
            jobs,
        }) => {
            let dates = edition_dates(date, since, crate::feed::epaper::today())?;
            let when = Fetching {
                force,
                jobs: usize::from(jobs),
                dates,
            };
            fetch(config_path, &feeds, &when, out)
        }
        Some(Command::Sync { push_subscriptions }) => sync(config_path, push_subscriptions, out),
        Some(Command::Import {
            what: ImportCommand::Opml { file },
        }) => import_opml(config_path, &file, out),
        Some(Command::Export {
            what: ExportCommand::Opml,
        }) => export_opml(config_path, out),
        None if io::stdout().is_terminal() && io::stdin().is_terminal() => read(config_path),
        None => list((config_path, fresh), false, (None, None, None), out),
    }
}

/// The archive a command reads: the config given (if any), and how
/// thoroughly its folders are looked at for changes.
type Archive<'a> = (Option<&'a Path>, Freshness);

/// The terminal reader, for `kanbao` without a subcommand on a terminal.
fn read(config_path: Option<&Path>) -> Result<Outcome, Error> {
    let config = load_config(config_path)?;
    crate::ui::run(&config)?;
    Ok(Outcome::Clean)
}

fn load_config(explicit: Option<&Path>) -> Result<Config, Error> {
    let (path, _) = config::locate(explicit)?;
    let display = path.display().to_string();
    Ok(config::load(&path, &display)?)
}

fn warn_all(warnings: &[Warning]) {
    for w in warnings {
        eprintln!("kanbao: warning: {}", safe(w));
    }
}

/// Text for the terminal: paths and messages can hold what a file name or a
/// config value held, escape sequences included.
fn safe(text: impl std::fmt::Display) -> String {
    typeset::sanitize(&text.to_string()).into_owned()
}

/// Columns to wrap to: `--width`, else the terminal's, else unbounded.
fn wrap_width(width: Option<u16>) -> usize {
    const UNBOUNDED: usize = u32::MAX as usize;
    match width {
        Some(w) => usize::from(w),
        None => terminal_width().unwrap_or(UNBOUNDED),
    }
}

/// The terminal's width when standard output is a terminal.
fn terminal_width() -> Option<usize> {
    if !io::stdout().is_terminal() {
        return None;
    }
    match crossterm::terminal::size() {
        Ok((columns, _)) if columns > 0 => Some(usize::from(columns)),
        _ => None,
    }
}

/// `parse --json`: the articles and warnings, and what the files were
/// when they were saved e-paper 版面 pages or feeds.
#[derive(Serialize)]
struct ParseOutput<'a> {
    articles: Vec<&'a Article>,
    warnings: &'a [Warning],
    #[serde(skip_serializing_if = "Option::is_none")]
    edition: Option<source::epaper::Edition>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    editions: Vec<source::epaper::Edition>,
    /// The feed files among the files: their titles and item counts.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    feeds: Vec<FeedFile>,
}

/// A feed file `parse` read: the feed's own title and how many items.
#[derive(Serialize)]
struct FeedFile {
    path: String,
    title: Option<String>,
    items: usize,
}

/// A saved 版面 page as text: where it stands, then its links.
fn write_edition(out: &mut impl Write, e: &source::epaper::Edition) -> Result<(), Error> {
    let mut head = Vec::new();
    head.extend(e.date.clone());
    match (&e.page, &e.section) {
        (Some(p), Some(s)) => head.push(format!("{p}版 {s}")),
        (Some(p), None) => head.push(format!("{p}版")),
        (None, Some(s)) => head.push(s.clone()),
        (None, None) => {}
    }
    let head = if head.is_empty() {
        "e-paper page".to_owned()
    } else {
        head.join(" · ")
    };
    writeln!(out, "{}", safe(head))?;
    if let Some(pdf) = &e.pdf {
        writeln!(out, "PDF: {}", safe(pdf))?;
    }
    if !e.pages.is_empty() {
        writeln!(out, "版面 ({}):", e.pages.len())?;
        for p in &e.pages {
            let name = p.name.as_deref().unwrap_or("");
            writeln!(
                out,
                "  {}版 {}  {}",
                safe(&p.number),
                safe(name),
                safe(&p.url)
            )?;
        }
    }
    writeln!(out, "文章 ({}):", e.articles.len())?;
    for (n, a) in e.articles.iter().enumerate() {
        writeln!(out, "  {}. {}  {}", n + 1, safe(&a.title), safe(&a.url))?;
    }
    Ok(())
}

#[derive(Serialize)]
struct JsonOutput<'a, A> {
    articles: A,
    warnings: &'a [Warning],
}

/// An article as `list --json` prints it: its fields, then its marks.
#[derive(Serialize)]
struct MarkedArticle<'a> {
    #[serde(flatten)]
    article: &'a Article,
    read: bool,
    starred: bool,
}

impl<'a> MarkedArticle<'a> {
    fn new(article: &'a Article, marks: &Marks) -> Self {
        MarkedArticle {
            article,
            read: marks.is_read(&article.id),
            starred: marks.is_starred(&article.id),
        }
    }
}

/// An article as `list --json` prints it: its fields without the text
/// (`show --json` gives that), how much text there is, and its marks.
#[derive(Serialize)]
struct Listed<'a> {
    id: &'a str,
    feed: Option<&'a str>,
    date: Option<&'a str>,
    section: Option<&'a str>,
    page: Option<&'a str>,
    column: Option<&'a str>,
    kicker: Option<&'a str>,
    title: Option<&'a str>,
    subtitle: Option<&'a str>,
    byline: Option<&'a crate::model::Byline>,
    editor_code: Option<&'a str>,
    url: Option<&'a str>,
    published: Option<&'a str>,
    source: &'a crate::model::SourceRef,
    counts: crate::model::Counts,
    read: bool,
    starred: bool,
}

impl<'a> Listed<'a> {
    fn new(a: &'a Article, marks: &Marks) -> Self {
        Listed {
            id: &a.id,
            feed: a.feed.as_deref(),
            date: a.date.as_deref(),
            section: a.section.as_deref(),
            page: a.page.as_deref(),
            column: a.column.as_deref(),
            kicker: a.kicker.as_deref(),
            title: a.title.as_deref(),
            subtitle: a.subtitle.as_deref(),
            byline: a.byline.as_ref(),
            editor_code: a.editor_code.as_deref(),
            url: a.url.as_deref(),
            published: a.published.as_deref(),
            source: &a.source,
            counts: a.counts(),
            read: marks.is_read(&a.id),
            starred: marks.is_starred(&a.id),
        }
    }
}

/// Writes `articles` and `warnings` as `kanbao list --json` prints them,
/// each article as it comes.
pub fn write_listing<B: Borrow<Article>>(
    out: &mut impl Write,
    articles: impl Iterator<Item = B>,
    marks: &Marks,
    warnings: &[Warning],
) -> Result<(), Error> {
    let listed = articles.map(|article| ListedWith { article, marks });
    write_json(out, Each(Cell::new(Some(listed))), warnings)
}

/// An article of a listing, with the marks to list it with.
struct ListedWith<'m, B> {
    article: B,
    marks: &'m Marks,
}

impl<B: Borrow<Article>> Serialize for ListedWith<'_, B> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        Listed::new(self.article.borrow(), self.marks).serialize(s)
    }
}

/// A sequence written as its items are made (once): a listing of a
/// million articles is never held whole.
struct Each<I>(Cell<Option<I>>);

impl<I: Iterator<Item: Serialize>> Serialize for Each<I> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.take().into_iter().flatten())
    }
}

fn write_json<A: Serialize>(
    out: &mut impl Write,
    articles: A,
    warnings: &[Warning],
) -> Result<(), Error> {
    serde_json::to_writer_pretty(&mut *out, &JsonOutput { articles, warnings })?;
    writeln!(out)?;
    Ok(())
}

fn write_article(
    out: &mut impl Write,
    article: &Article,
    context: Context<'_>,
    width: usize,
    text: &TextOptions,
) -> Result<(), Error> {
    for line in typeset::layout(article, context, width, text) {
        writeln!(out, "{}", line.text)?;
    }
    Ok(())
}

fn parse(
    files: &[PathBuf],
    json: bool,
    (width, script): (Option<u16>, Script),
    out: &mut impl Write,
) -> Result<Outcome, Error> {
    let mut articles = Vec::new();
    let mut warnings = Vec::new();
    let mut editions = Vec::new();
    let mut feeds = Vec::new();
    let mut failed = false;
    for file in files {
        let display = file.display().to_string();
        match source::read_page(file, &display) {
            Ok(page) => {
                warnings.extend(page.warnings);
                editions.extend(page.edition);
                if let Some(title) = page.feed {
                    feeds.push(FeedFile {
                        path: display.clone(),
                        title,
                        items: page.articles.len(),
                    });
                }
                articles.extend(page.articles.into_iter().enumerate().map(|(n, mut a)| {
                    a.id = library::article_id("", &display, n);
                    a
                }));
            }
            Err(w) => {
                failed = true;
                warnings.push(w);
            }
        }
    }
    if json {
        // A saved 版面 page: `edition` for one, `editions` for several.
        let (edition, editions) = match editions.len() {
            1 => (editions.pop(), Vec::new()),
            _ => (None, editions),
        };
        let output = ParseOutput {
            articles: articles.iter().collect(),
            warnings: &warnings,
            edition,
            editions,
            feeds,
        };
        serde_json::to_writer_pretty(&mut *out, &output)?;
        writeln!(out)?;
    } else {
        warn_all(&warnings);
        let width = wrap_width(width);
        let text = TextOptions {
            script,
            ..TextOptions::default()
        };
        for (n, edition) in editions.iter().enumerate() {
            if n > 0 {
                writeln!(out)?;
            }
            write_edition(out, edition)?;
        }
        for (n, article) in articles.iter().enumerate() {
            if n > 0 || !editions.is_empty() {
                writeln!(out)?;
            }
            write_article(out, article, Context::default(), width, &text)?;
        }
    }
    Ok(if failed {
        Outcome::Problems
    } else {
        Outcome::Clean
    })
}

fn list(
    (config_path, fresh): Archive<'_>,
    json: bool,
    (feed, section, limit): (Option<&str>, Option<&str>, Option<usize>),
    out: &mut impl Write,
) -> Result<Outcome, Error> {
    let config = load_config(config_path)?;
    if let Some(feed) = feed
        && !config.feeds.iter().any(|f| f.id == feed)
    {
        let ids: Vec<&str> = config.feeds.iter().map(|f| f.id.as_str()).collect();
        return Err(Error::Input(format!(
            "no feed \"{feed}\" in {}; its feeds are: {}",
            config.display,
            ids.join(", ")
        )));
    }
    // The first articles only: the newest dates' pages are read. All of
    // them: kept as compact as the reader keeps them (a million articles
    // decoded would take 1.3 GB), each decoded as it is printed.
    match (limit, section) {
        (Some(limit), None) => {
            let (_, front) = open_snapshot_with(&config, fresh, |s| s.front(&config, limit, feed));
            // Never freed, as open_library's.
            let front = std::mem::ManuallyDrop::new(front);
            print_list(&config, &front, json, (feed, section, Some(limit)), out)
        }
        _ => {
            let opened = open_library::<library::Shelf>(&config, fresh);
            print_list(&config, &opened.library, json, (feed, section, limit), out)
        }
    }
}

/// `list`'s output for `library`: every article of `feed` and `section`,
/// up to `limit`.
fn print_list<A: Articles>(
    config: &Config,
    library: &Library<A>,
    json: bool,
    (feed, section, limit): (Option<&str>, Option<&str>, Option<usize>),
    out: &mut impl Write,
) -> Result<Outcome, Error> {
    let articles = &library.articles;
    let all = 0..articles.count();
    let in_feed = |n: usize| feed.is_none_or(|f| articles.group_key(n)[0] == Some(f));
    // An article's section as listed and as `--section` takes it.
    let section_of = |n: usize| articles.group_key(n)[3].unwrap_or(NO_SECTION);
    if let Some(section) = section
        && !all.clone().any(|n| in_feed(n) && section_of(n) == section)
    {
        let mut sections: Vec<&str> = all.filter(|&n| in_feed(n)).map(section_of).collect();
        sections.sort_unstable();
        sections.dedup();
        let known = if sections.is_empty() {
            "it has no articles".to_owned()
        } else {
            format!("sections: {}", sections.join(", "))
        };
        warn_all(&library.warnings);
        return Err(Error::Input(format!(
            "no section \"{section}\" in the archive; {known}"
        )));
    }
    // In library order.
    let listed: Vec<usize> = all
        .filter(|&n| in_feed(n) && section.is_none_or(|s| section_of(n) == s))
        .take(limit.unwrap_or(usize::MAX))
        .collect();
    if json {
        let (_, marks, state_warnings) = marks::open();
        let mut warnings = library.warnings.clone();
        warnings.extend(state_warnings);
        let listed = listed.iter().filter_map(|&n| articles.article(n));
        write_listing(out, listed, &marks, &warnings)?;
        return Ok(Outcome::Clean);
    }
    warn_all(&library.warnings);
    let width = terminal_width();
    let amb = config.text.ambiguous_width.columns();
    let mut first = true;
    let mut listed = listed.into_iter().peekable();
    for group in library.groups() {
        let mut rows = Vec::new();
        while let Some(n) = listed.next_if(|&n| n < group.articles.end) {
            rows.extend(articles.list_row(n));
        }
        if rows.is_empty() {
            continue;
        }
        if !first {
            writeln!(out)?;
        }
        first = false;
        let heading = group_heading(library, &group, rows.len());
        let fit = |line: String| match width {
            Some(w) => typeset::truncate(&line, w, amb),
            None => line,
        };
        writeln!(out, "{}", fit(heading))?;
        // A pipe has no width: its reader gets whole titles.
        let title_max = width.map(|_| LIST_TITLE_MAX);
        for row in article_rows(&rows, title_max, amb) {
            writeln!(out, "{}", fit(row))?;
        }
    }
    if first && config.feeds.is_empty() {
        writeln!(out, "{}", config::no_feeds_message(&safe(&config.display)))?;
    } else if first {
        let fetched = config.feeds.iter().any(|f| f.kind.is_fetched());
        let pages = config.feeds.iter().any(|f| !f.kind.is_fetched());
        let display = safe(&config.display);
        match (pages, fetched) {
            (false, true) => writeln!(
                out,
                "No articles yet: run kanbao fetch to fetch the feeds named in {display}."
            )?,
            (true, true) => writeln!(
                out,
                "No articles. Add page files to the feed folders named in {display}, \
                 or run kanbao fetch for its web feeds and e-papers."
            )?,
            _ => writeln!(
                out,
                "No articles. Add page files to the feed folders named in {display}."
            )?,
        }
    }
    Ok(Outcome::Clean)
}

/// `驻马店日报 · 2023-03-08 · 科教 · 3 articles`; the names the reader
/// shows stand for no date and no section.
fn group_heading<A: Articles>(
    library: &Library<A>,
    group: &library::Group<'_>,
    count: usize,
) -> String {
    let feed_title = library.feed_title(group.feed).unwrap_or(group.feed);
    let noun = if count == 1 { "article" } else { "articles" };
    let section = safe(group.section.unwrap_or(NO_SECTION));
    let section = match group.page {
        Some(page) => format!("{}版 {section}", safe(page)),
        None => section,
    };
    format!(
        "{} · {} · {section} · {count} {noun}",
        safe(feed_title),
        group.date.unwrap_or(UNDATED),
    )
}

/// `  <id>  <title, padded to the widest>  <byline>` for each article
/// (its [`Article::list_row`]), titles cut to `title_max` columns when
/// there is one.
fn article_rows(rows: &[[&str; 3]], title_max: Option<usize>, amb: u8) -> Vec<String> {
    let titles: Vec<String> = rows
        .iter()
        .map(|[_, title, _]| {
            let title = safe(title);
            match title_max {
                Some(max) => typeset::truncate(&title, max, amb),
                None => title,
            }
        })
        .collect();
    let column = titles
        .iter()
        .map(|t| typeset::str_width(t, amb))
        .max()
        .unwrap_or(0);
    rows.iter()
        .zip(&titles)
        .map(|([id, _, byline], title)| {
            let pad = column - typeset::str_width(title, amb);
            let row = format!("  {id}  {title}{}  {}", " ".repeat(pad), safe(byline));
            row.trim_end().to_owned()
        })
        .collect()
}

/// Widest title in `kanbao list`, in columns.
const LIST_TITLE_MAX: usize = 40;

fn show(
    (config_path, fresh): Archive<'_>,
    id: &str,
    json: bool,
    (width, script): (Option<u16>, Option<Script>),
    out: &mut impl Write,
) -> Result<Outcome, Error> {
    let mut config = load_config(config_path)?;
    if let Some(script) = script {
        config.text.script = script;
    }
    // An article whose file is as indexed is shown as it stands; anything
    // else (a new id, a changed or deleted file) after the usual refresh.
    let unrefreshed = match fresh {
        Freshness::Quick => index::Unrefreshed::open(&config).and_then(|mut u| u.find(id)),
        Freshness::Full => None,
    };
    let stub = match unrefreshed {
        Some(article) => article,
        None => open_snapshot(&config, fresh).find(id)?,
    };
    let article =
        library::read_article(&config.feeds, &stub).map_err(|w| Error::Input(w.to_string()))?;
    if json {
        let (_, marks, warnings) = marks::open();
        write_json(out, vec![MarkedArticle::new(&article, &marks)], &warnings)?;
        return Ok(Outcome::Clean);
    }
    let feed_title = |id: &str| {
        let feed = config.feeds.iter().find(|f| f.id == id)?;
        Some(feed.title.as_str())
    };
    let context = Context {
        feed_title: article.feed.as_deref().and_then(feed_title),
    };
    write_article(out, &article, context, wrap_width(width), &config.text)?;
    Ok(Outcome::Clean)
}

/// `kanbao mark ACTION ID…`: every id must name an article before anything
/// is changed; the marks are then saved once. A failed save is printed like
/// a warning and ends with exit code 1: the marks on disk are as they were.
fn mark(
    (config_path, fresh): Archive<'_>,
    action: MarkAction,
    given: &[String],
    out: &mut impl Write,
) -> Result<Outcome, Error> {
    let config = load_config(config_path)?;
    let mut named = Vec::with_capacity(given.len());
    let mut stdin_read = false;
    for id in given {
        if id != "-" {
            named.push(id.clone());
        } else if !stdin_read {
            stdin_read = true;
            for line in io::stdin().lines() {
                let line = line.map_err(|e| Error::Input(format!("standard input: {e}")))?;
                let id = line.trim();
                if !id.is_empty() {
                    named.push(id.to_owned());
                }
            }
        }
    }
    // Ids of articles whose files are as indexed are taken as they stand;
    // if any is not, the index is refreshed first (see `show`).
    let unrefreshed = match fresh {
        Freshness::Quick => index::Unrefreshed::open(&config).and_then(|mut index| {
            named
                .iter()
                .map(|id| index.find(id).map(|a| a.id))
                .collect::<Option<std::collections::BTreeSet<String>>>()
        }),
        Freshness::Full => None,
    };
    let ids = match unrefreshed {
        Some(ids) => ids,
        None => {
            let snapshot = open_snapshot(&config, fresh);
            let mut ids = std::collections::BTreeSet::new();
            for id in &named {
                ids.insert(snapshot.find(id).map_err(|e| Error::Input(safe(e)))?.id);
            }
            ids
        }
    };
    let (store, mut marks, warnings) = marks::open();
    warn_all(&warnings);
    let Some(store) = store else {
        return Err(Error::Input(
            "cannot save read marks: neither $XDG_STATE_HOME nor $HOME is set to an absolute \
             path; set $HOME or $XDG_STATE_HOME"
                .to_owned(),
        ));
    };
    let before = marks.clone();
    let mut already = 0;
    for id in &ids {
        let done = match action {
            MarkAction::Read => marks.is_read(id),
            MarkAction::Unread => !marks.is_read(id),
            MarkAction::Star => marks.is_starred(id),
            MarkAction::Unstar => !marks.is_starred(id),
        };
        if done {
            already += 1;
            continue;
        }
        match action {
            MarkAction::Read | MarkAction::Unread => {
                marks.set_read(id, action == MarkAction::Read);
            }
            MarkAction::Star | MarkAction::Unstar => {
                marks.set_starred(id, action == MarkAction::Star);
            }
        }
    }
    if marks != before
        && let Err(message) = store.save(&marks)
    {
        eprintln!("kanbao: {}", safe(message));
        return Ok(Outcome::Problems);
    }
    let count = ids.len();
    let noun = if count == 1 { "article" } else { "articles" };
    let done = match action {
        MarkAction::Read => format!("marked {count} {noun} read"),
        MarkAction::Unread => format!("marked {count} {noun} unread"),
        MarkAction::Star => format!("starred {count} {noun}"),
        MarkAction::Unstar => format!("unstarred {count} {noun}"),
    };
    match already {
        0 => writeln!(out, "{done}")?,
        1 => writeln!(out, "{done} (1 already was)")?,
        n => writeln!(out, "{done} ({n} already were)")?,
    }
    Ok(Outcome::Clean)
}

/// The library through its index, with a progress bar on a terminal while
/// many files are read (the first run, or after a parser update).
///
/// It is never freed: the command ends right after it is used, and
/// freeing a hundred thousand articles one by one would take longer than
/// printing them; the system takes the memory back at once.
fn open_library<A: Articles>(
    config: &Config,
    fresh: Freshness,
) -> std::mem::ManuallyDrop<index::Opened<A>> {
    let opened = with_progress(|progress| match index::locate(config) {
        Some(dir) => index::open_with_as(&index::Index::at(dir), config, progress, fresh),
        None => index::open_as(config, progress),
    });
    std::mem::ManuallyDrop::new(opened)
}

/// The index for a command that reads a few articles ([`index::Snapshot`]),
/// with [`open_library`]'s progress bar. Like the library, it is never
/// freed: at a million articles that would be 400,000 strings.
fn open_snapshot(config: &Config, fresh: Freshness) -> std::mem::ManuallyDrop<index::Snapshot> {
    std::mem::ManuallyDrop::new(with_progress(|progress| {
        index::snapshot(config, progress, fresh)
    }))
}

/// [`open_snapshot`] and `work` done on it (see [`index::snapshot_with`]:
/// `work` may run while the folders are checked, and again if they
/// changed).
fn open_snapshot_with<T>(
    config: &Config,
    fresh: Freshness,
    work: impl Fn(&index::Snapshot) -> T,
) -> (std::mem::ManuallyDrop<index::Snapshot>, T) {
    let (snapshot, result) =
        with_progress(|progress| index::snapshot_with(config, progress, fresh, work));
    (std::mem::ManuallyDrop::new(snapshot), result)
}

/// Runs `open` with a progress bar on a terminal while many files are
/// indexed.
fn with_progress<T>(open: impl FnOnce(&dyn Fn(index::Progress)) -> T) -> T {
    let bar: std::cell::RefCell<Option<indicatif::ProgressBar>> = std::cell::RefCell::new(None);
    let terminal = io::stderr().is_terminal();
    let said = std::cell::Cell::new(false);
    let progress = |p: index::Progress| {
        if p.total < PROGRESS_MIN_FILES {
            return;
        }
        if !terminal {
            // No bar for a log, but a long wait is not silent.
            if !said.replace(true) {
                eprintln!("kanbao: indexing {} files…", p.total);
            }
            return;
        }
        let mut bar = bar.borrow_mut();
        let bar = bar.get_or_insert_with(|| {
            let bar = indicatif::ProgressBar::new(p.total as u64);
            let style = indicatif::ProgressStyle::with_template(
                "{spinner} indexing {pos}/{len} files {bytes_per_sec} {wide_bar}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar());
            bar.set_style(style);
            bar
        });
        bar.set_position(p.done as u64);
    };
    let opened = open(&progress);
    if let Some(bar) = bar.borrow_mut().take() {
        bar.finish_and_clear();
    }
    opened
}

/// Files to read before `open_library` shows a progress bar.
const PROGRESS_MIN_FILES: usize = 200;

/// A hit as `search --json` prints it.
#[derive(Serialize)]
struct JsonHit {
    id: String,
    feed: Option<String>,
    date: Option<String>,
    section: Option<String>,
    title: String,
    in_title: bool,
    snippet: String,
    /// Character ranges of `snippet` that match, `[start, end)`.
    marks: Vec<[usize; 2]>,
}

#[derive(Serialize)]
#[serde(bound = "")]
struct JsonHits<'a, F: Fn(&Hit) -> Option<JsonHit>> {
    query: &'a str,
    count: usize,
    hits: EachHit<'a, F>,
    warnings: &'a [Warning],
}

/// Hits written as they are read, one at a time: `--limit 0` on a common
/// word prints hundreds of thousands.
struct EachHit<'a, F> {
    hits: &'a [Hit],
    snapshot: &'a Snapshot,
    read: F,
}

impl<F: Fn(&Hit) -> Option<JsonHit>> Serialize for EachHit<'_, F> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.hits.iter().enumerate().filter_map(|(n, hit)| {
            release_every(self.snapshot, n);
            (self.read)(hit)
        }))
    }
}

/// Hits printed between two releases of the index's pages read: a hit's
/// text may map a whole 2 MiB folio (see `index::chunks`), so at most
/// 256 MiB stay mapped between two.
const RELEASE_HITS: usize = 128;

/// After every [`RELEASE_HITS`] hits printed, the pages read for them are
/// let go: what the output holds stays bounded however many it prints.
fn release_every(snapshot: &Snapshot, n: usize) {
    if n > 0 && n.is_multiple_of(RELEASE_HITS) {
        snapshot.release();
    }
}

/// Characters of context before a hit in `kanbao search`.
const SNIPPET_BEFORE: usize = 12;
/// Characters of a hit's context in all.
const SNIPPET_CHARS: usize = 60;

fn search(
    (config_path, fresh): Archive<'_>,
    query: &str,
    json: bool,
    limit: Option<usize>,
    out: &mut impl Write,
) -> Result<Outcome, Error> {
    let config = load_config(config_path)?;
    // The query's forms in every script need the converters' dictionaries
    // loaded (a few milliseconds): that is done on a thread while the index
    // opens. A query with nothing to search fails first.
    index::search::Query::parse_typed(query)?;
    let (sender, forms) = std::sync::mpsc::channel();
    let owned = query.to_owned();
    std::thread::spawn(move || sender.send(index::search::Query::parse(&owned)));
    let parsed = std::sync::OnceLock::new();
    let query_of = || {
        parsed.get_or_init(|| {
            forms
                .recv()
                .unwrap_or_else(|_| index::search::Query::parse(query))
        })
    };
    let (snapshot, (count, hits)) = open_snapshot_with(&config, fresh, |s| match query_of() {
        Ok(q) => s.ranked(q, limit),
        Err(_) => Default::default(),
    });
    let parsed = query_of().clone()?;
    let snippet = |hit: &Hit| snapshot.snippet(hit, &parsed, SNIPPET_BEFORE, SNIPPET_CHARS);
    if json {
        let read = |h: &Hit| {
            let a = snapshot.article(h)?;
            let snippet = snippet(h);
            let chars = |b: usize| snippet.text[..b].chars().count();
            let marks = snippet
                .marks
                .iter()
                .map(|m| [chars(m.start), chars(m.end)])
                .collect();
            Some(JsonHit {
                title: a.display_title().to_owned(),
                id: a.id,
                feed: a.feed,
                date: a.date,
                section: a.section,
                in_title: h.in_title,
                snippet: snippet.text,
                marks,
            })
        };
        let hits = EachHit {
            hits: &hits,
            snapshot: &snapshot,
            read,
        };
        serde_json::to_writer_pretty(
            &mut *out,
            &JsonHits {
                query,
                count,
                hits,
                warnings: &snapshot.warnings,
            },
        )?;
        writeln!(out)?;
        return Ok(Outcome::Clean);
    }
    warn_all(&snapshot.warnings);
    let width = terminal_width();
    let amb = config.text.ambiguous_width.columns();
    let fit = |line: String| match width {
        Some(w) => typeset::truncate(&line, w, amb),
        None => line,
    };
    let noun = if count == 1 { "article" } else { "articles" };
    let shown = hits.len();
    if shown < count {
        writeln!(
            out,
            "{count} {noun} match \"{}\"; the first {shown} (--limit 0 for all):",
            safe(query)
        )?;
    } else {
        writeln!(out, "{count} {noun} match \"{}\"", safe(query))?;
    }
    for (n, hit) in hits.iter().enumerate() {
        release_every(&snapshot, n);
        let Some(a) = snapshot.article(hit) else {
            continue;
        };
        let place = [a.date.as_deref(), a.section.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
        let title = safe(a.display_title());
        let row = if place.is_empty() {
            format!("  {}  {title}", a.id)
        } else {
            format!("  {}  {}  {title}", a.id, safe(&place))
        };
        writeln!(out, "{}", fit(row))?;
        let text = safe(&snippet(hit).text);
        let text = if config.text.fullwidth_punctuation {
            typeset::display_punctuation(&text).into_owned()
        } else {
            text
        };
        writeln!(out, "{}", fit(format!("      {text}")))?;
    }
    Ok(Outcome::Clean)
}

/// How the config file was found, for `kanbao check`.
fn describe(found: ConfigSource) -> &'static str {
    match found {
        ConfigSource::Explicit => "from --config",
        ConfigSource::Env => "from $KANBAO_CONFIG",
        ConfigSource::Xdg => "from the XDG config folder",
        ConfigSource::Local => "from the working directory",
    }
}

fn check(config_path: Option<&Path>, out: &mut impl Write) -> Result<Outcome, Error> {
    let (path, found) = config::locate(config_path)?;
    let display = path.display().to_string();
    let config = config::load(&path, &display)?;
    writeln!(out, "config: {} ({})", safe(&display), describe(found))?;
    let library = Library::load(&config);
    for feed in &library.feeds {
        let pages = if feed.pages == 1 { "page" } else { "pages" };
        let from_server = config
            .feeds
            .iter()
            .any(|f| f.id == feed.id && f.is_from_server());
        writeln!(
            out,
            "feed {} ({}){}: {} — {} {pages}, {} articles",
            feed.id,
            safe(&feed.title),
            if from_server {
                " from the sync server"
            } else {
                ""
            },
            safe(feed.folder.display()),
            feed.pages,
            feed.articles
        )?;
    }
    if config.feeds.is_empty() {
        writeln!(out, "{}", config::no_feeds_message(&safe(&display)))?;
    }
    for w in &library.warnings {
        writeln!(out, "warning: {}", safe(w))?;
    }
    let mut problems = library.warnings.len();
    if let Some(sync) = &config.sync
        && matches!(sync.password, config::Password::Plain(_))
    {
        problems += 1;
        writeln!(
            out,
            "warning: {}: [sync] password is stored in plain text; use password_command = \
             [\"pass\", \"show\", \"…\"] to keep it out of the file",
            safe(&sync.location)
        )?;
    }
    if problems == 0 {
        writeln!(out, "ok: {} articles, no problems", library.articles.len())?;
        Ok(Outcome::Clean)
    } else {
        let noun = if problems == 1 { "problem" } else { "problems" };
        writeln!(
            out,
            "{} articles, {problems} {noun}",
            library.articles.len()
        )?;
        Ok(Outcome::Problems)
    }
}

/// `kanbao sync`: one sync with the `[sync]` server; the marks it brings
/// are saved to state.json before the sync state, so that a failure
/// between the two pushes them again rather than losing any.
fn sync(
    config_path: Option<&Path>,
    push_subscriptions: bool,
    out: &mut impl Write,
) -> Result<Outcome, Error> {
    let config = load_config(config_path)?;
    let Some(settings) = &config.sync else {
        return Err(Error::Input(format!(
            "no [sync] table in {}; add one with kind = \"ttrss\" or \"fever\", url, user \
             and password_command (see the README)",
            safe(&config.display)
        )));
    };
    let (store, mut marks, warnings) = marks::open();
    for w in &warnings {
        eprintln!("kanbao: warning: {}", safe(w));
    }
    let Some(store) = store else {
        return Err(Error::Input(
            "cannot sync without a state folder for the marks; set $HOME or $XDG_STATE_HOME"
                .to_owned(),
        ));
    };
    let folder = store.path().parent().unwrap_or(Path::new("")).to_path_buf();
    let key = crate::sync::server_key(settings);
    let base = crate::sync::base::Base::load(&folder, &key).map_err(|e| Error::Input(e.0))?;
    let progress = |stage: &str| {
        if io::stderr().is_terminal() {
            eprint!("\r\x1b[2Ksync: {stage}");
        }
    };
    let result = crate::sync::run(&config, &marks, &base, push_subscriptions, &progress);
    if io::stderr().is_terminal() {
        eprint!("\r\x1b[2K");
    }
    let synced = result.map_err(|e| Error::Input(format!("sync: {}", safe(e))))?;
    crate::sync::apply(&mut marks, &synced.changes);
    store.save(&marks).map_err(Error::Input)?;
    synced.base.save(&folder).map_err(Error::Input)?;
    writeln!(
        out,
        "synced with {} at {}: {}",
        settings.kind.name(),
        safe(&settings.url),
        synced.report
    )?;
    Ok(Outcome::Clean)
}

/// `kanbao init`: the commented config, written where kanbao looks first.
/// A file already there is kept unless `force`.
fn init(config_path: Option<&Path>, force: bool, out: &mut impl Write) -> Result<Outcome, Error> {
    let path = config::init_path(config_path, &config::SearchEnv::from_process())?;
    let display = safe(path.display());
    let there = path.symlink_metadata().is_ok();
    if path.is_dir() {
        return Err(Error::Input(format!(
            "{display} is a folder; name the config file itself"
        )));
    }
    if there && !force {
        return Err(Error::Input(format!(
            "{display} already exists; kanbao init keeps it (--force replaces it)"
        )));
    }
    let cannot = |e: io::Error| Error::Input(format!("{display}: cannot write the file ({e})"));
    if let Some(folder) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(folder).map_err(cannot)?;
    }
    // Replaced through a symbolic link (a dotfiles folder), not over it.
    let target = if there {
        std::fs::canonicalize(&path).unwrap_or_else(|_| path.clone())
    } else {
        path.clone()
    };
    crate::atomic::write(&target, config::INIT_TEXT.as_bytes()).map_err(cannot)?;
    writeln!(
        out,
        "wrote {display}: uncomment a feed in it or add your own, then run `kanbao check`"
    )?;
    Ok(Outcome::Clean)
}

/// `--date YYYY-MM-DD` as clap reads it.
fn edition_date(text: &str) -> Result<chrono::NaiveDate, String> {
    chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| format!("{text:?} is not a date; write it as YYYY-MM-DD, e.g. 2023-10-01"))
}

/// The editions `--date` or `--since` ask for (newest first), or `None`
/// for each feed's default.
fn edition_dates(
    date: Option<chrono::NaiveDate>,
    since: Option<chrono::NaiveDate>,
    today: chrono::NaiveDate,
) -> Result<Option<Vec<chrono::NaiveDate>>, Error> {
    /// More than a year of editions at once is surely a typing mistake.
    const MAX_DAYS: i64 = 366;
    match (date, since) {
        (Some(date), _) => Ok(Some(vec![date])),
        (None, Some(since)) => {
            let days = (today - since).num_days();
            if days < 0 {
                return Err(Error::Input(format!(
                    "--since {since} is after today ({today}); give a day in the past"
                )));
            }
            if days >= MAX_DAYS {
                return Err(Error::Input(format!(
                    "--since {since} asks for {} editions; at most {MAX_DAYS} at once",
                    days + 1
                )));
            }
            Ok(Some(
                today
                    .iter_days()
                    .rev()
                    .take_while(|d| *d >= since)
                    .collect(),
            ))
        }
        (None, None) => Ok(None),
    }
}

/// How `kanbao fetch` was asked to fetch.
struct Fetching {
    force: bool,
    jobs: usize,
    dates: Option<Vec<chrono::NaiveDate>>,
}

fn fetch(
    config_path: Option<&Path>,
    wanted: &[String],
    when: &Fetching,
    out: &mut impl Write,
) -> Result<Outcome, Error> {
    use crate::feed::fetch::{self as fetching, Event};

    let config = load_config(config_path)?;
    for id in wanted {
        match config.feeds.iter().find(|f| &f.id == id) {
            None => {
                let ids: Vec<&str> = config.feeds.iter().map(|f| f.id.as_str()).collect();
                return Err(Error::Input(format!(
                    "no feed \"{id}\" in {}; its feeds are: {}",
                    safe(&config.display),
                    ids.join(", ")
                )));
            }
            Some(f) if f.is_from_server() => {
                return Err(Error::Input(format!(
                    "feed \"{id}\" comes from the [sync] server; `kanbao sync` fetches it"
                )));
            }
            Some(f) if !f.kind.is_fetched() => {
                return Err(Error::Input(format!(
                    "feed \"{id}\" is a folder of stored pages; only feeds of kind \"feed\" are fetched"
                )));
            }
            Some(_) => {}
        }
    }
    let feeds: Vec<&crate::config::FeedConfig> = config
        .feeds
        .iter()
        .filter(|f| f.is_fetched_here())
        .filter(|f| wanted.is_empty() || wanted.contains(&f.id))
        .collect();
    if config.feeds.is_empty() {
        writeln!(out, "{}", config::no_feeds_message(&safe(&config.display)))?;
        return Ok(Outcome::Clean);
    }
    if feeds.is_empty() {
        writeln!(
            out,
            "no web feeds in {}: add a [[feeds]] table with kind = \"feed\" and a url",
            safe(&config.display)
        )?;
        return Ok(Outcome::Clean);
    }
    let bar = io::stderr().is_terminal().then(|| {
        let bar = indicatif::ProgressBar::new(feeds.len() as u64);
        let style =
            indicatif::ProgressStyle::with_template("{spinner} fetching {pos}/{len} {wide_msg}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar());
        bar.set_style(style);
        bar.enable_steady_tick(std::time::Duration::from_millis(120));
        bar
    });
    let running = std::sync::Mutex::new(Vec::<String>::new());
    let progress = |event: Event| {
        let Ok(mut running) = running.lock() else {
            return;
        };
        match event {
            Event::Started { feed } => running.push(feed),
            Event::Warning { feed, message } => {
                let line = format!("{feed}: warning: {message}");
                match &bar {
                    Some(bar) => bar.println(safe(&line)),
                    None => eprintln!("{}", safe(&line)),
                }
                return;
            }
            Event::Step { feed, stage } => {
                if let Some(bar) = &bar {
                    bar.set_message(format!("{feed} {stage}"));
                }
                return;
            }
            Event::Finished { feed, outcome } => {
                running.retain(|f| f != &feed);
                let line = format!("{feed}: {outcome}");
                match &bar {
                    Some(bar) => {
                        bar.println(safe(&line));
                        bar.inc(1);
                    }
                    None => eprintln!("{}", safe(&line)),
                }
            }
        }
        if let Some(bar) = &bar {
            bar.set_message(running.join(" "));
        }
    };
    let results = fetching::fetch_all_dated(
        &feeds,
        when.jobs,
        when.force,
        when.dates.as_deref(),
        &progress,
    );
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    let summary = fetching::Summary::of(results.iter().map(|(_, o)| o));
    writeln!(out, "{summary}")?;
    Ok(if summary.clean() {
        Outcome::Clean
    } else {
        Outcome::Problems
    })
}

/// `kanbao import opml FILE`: appends the new feeds to the config file found
/// by the usual lookup, or creates the file `--config` names.
fn import_opml(
    config_path: Option<&Path>,
    file: &Path,
    out: &mut impl Write,
) -> Result<Outcome, Error> {
    use crate::feed::opml;

    let (path, old) = match (config::locate(config_path), config_path) {
        (Ok((path, _)), _) => {
            let display = path.display().to_string();
            config::load(&path, &display)?;
            let text = std::fs::read_to_string(&path).map_err(|e| {
                Error::Input(format!("{}: cannot read the file ({e})", safe(&display)))
            })?;
            (path, text)
        }
        (Err(_), Some(new)) if matches!(new.try_exists(), Ok(false)) => {
            (new.to_path_buf(), String::new())
        }
        (Err(error), None) => {
            return Err(Error::Input(format!(
                "{error}; import creates the file --config PATH names if it does not exist"
            )));
        }
        (Err(error), Some(_)) => return Err(error.into()),
    };
    let display = path.display().to_string();
    let named = file.display().to_string();
    let bytes = std::fs::read(file).map_err(|e| {
        let why = match e.kind() {
            io::ErrorKind::NotFound => "no such file; check the path".to_owned(),
            io::ErrorKind::IsADirectory => "is a folder; name the OPML file itself".to_owned(),
            _ => format!("cannot read the file ({e})"),
        };
        Error::Input(format!("{}: {why}", safe(&named)))
    })?;
    let imported = opml::decode(&bytes)
        .and_then(|text| opml::import(&old, &text))
        .map_err(|message| Error::Input(format!("{}: {message}", safe(&named))))?;
    for feed in &imported.added {
        writeln!(
            out,
            "added {}: {} {}",
            feed.id,
            safe(&feed.title),
            safe(&feed.url)
        )?;
    }
    for (what, why) in &imported.skipped {
        writeln!(out, "skipped {}: {}", safe(what), safe(why))?;
    }
    let added = imported.added.len();
    let skipped = imported.skipped.len();
    let noun = if added == 1 { "feed" } else { "feeds" };
    if added == 0 {
        writeln!(
            out,
            "no new feeds in {} ({skipped} skipped); {} is unchanged",
            safe(&named),
            safe(&display)
        )?;
        return Ok(Outcome::Clean);
    }
    // Write through a symbolic link (a dotfiles folder) rather than over it,
    // and keep the file's permissions: `headers` may hold a password.
    let target = std::fs::canonicalize(&path).unwrap_or_else(|_| path.clone());
    let permissions = std::fs::metadata(&target).map(|m| m.permissions()).ok();
    let written = crate::atomic::write(&target, imported.text.as_bytes())
        .and_then(|()| permissions.map_or(Ok(()), |p| std::fs::set_permissions(&target, p)));
    written
        .map_err(|e| Error::Input(format!("{}: cannot write the file ({e})", safe(&display))))?;
    writeln!(
        out,
        "{added} {noun} added to {}, {skipped} skipped; run `kanbao fetch` to fetch them",
        safe(&display)
    )?;
    Ok(Outcome::Clean)
}

/// `kanbao export opml`: the config's web feeds as OPML on standard output.
fn export_opml(config_path: Option<&Path>, out: &mut impl Write) -> Result<Outcome, Error> {
    let config = load_config(config_path)?;
    out.write_all(crate::feed::opml::export(&config).as_bytes())?;
    Ok(Outcome::Clean)
}
