//! The terminal reader: ratatui on crossterm.
//!
//! - [`app`]: the state, plain data, one field per concern;
//! - [`archive`]: the articles, sections, marks and search as shown;
//! - [`tree`]: the sections pane as a tree of feeds, days and sections;
//! - [`find`]: a find in the open article;
//! - [`inbox`]: the workers' answers, and a wake-up when one comes;
//! - [`msg`]: the messages `update` takes and the effects it returns;
//! - [`input`]: terminal events → messages (keys through the keymap);
//! - [`update`]: messages → state changes and effects;
//! - [`layout`]: where the panes go at a size;
//! - [`pictures`]: photos — the terminal's protocol, their state and rows;
//! - [`probe`]: what the terminal answers (ambiguous width, graphics);
//! - [`view`]: drawing from `&App`;
//! - [`terminal`]: raw mode, the alternate screen and restoring them;
//! - [`worker`]: background jobs whose panics come back as messages.
//!
//! The loop blocks on the next terminal event (an idle reader uses no CPU),
//! turns it into a message, updates, performs the effects, and draws again
//! only when a message changed something. A fetch (`R`) runs on a worker
//! thread; while it runs, the loop also takes its progress from a channel,
//! and when it ends the archive is loaded again. A link (`o`) is handed to
//! the browser, which the loop starts and does not wait for. The photos of
//! an opened article are fetched, decoded and encoded on a worker, one
//! message per photo. A worker that
//! panics (a bug) reports it through the same channel: its job ends with a
//! message on the status line, and the reader goes on.

pub mod app;
pub mod archive;
pub mod find;
pub mod inbox;
pub mod input;
pub mod layout;
pub mod msg;
pub mod pictures;
pub mod probe;
pub mod terminal;
pub mod tree;
pub mod update;
pub mod view;
pub mod worker;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, mpsc};
use std::time::Duration;

use crossterm::event;

use crate::browser::Browser;
use crate::config::{AmbiguousWidth, Config, FeedConfig};
use crate::feed::fetch;
use crate::index::{self, Index};
use crate::library::Library;
use crate::marks::{self, StateStore};

use app::{App, Prefs};
use archive::Archive;
use msg::{Effect, Msg, Then};
use update::update;
use worker::Worker;

/// Whether `NO_COLOR` asks for no colours (set and not empty).
pub fn no_color() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

/// Why the reader stopped, or could not start. The terminal is restored
/// before any of these reaches the caller.
#[derive(Debug)]
pub enum Error {
    /// Raw mode or the alternate screen could not be entered.
    Terminal(std::io::Error),
    /// The signal handlers that restore the terminal could not be set.
    Signals(std::io::Error),
    /// Reading events from the terminal or drawing on it failed.
    Io(std::io::Error),
    /// The read marks could not be saved on the way out (the message names
    /// the file and the fix).
    SaveMarks(String),
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Terminal(e) => write!(f, "cannot open the terminal: {e}"),
            Error::Signals(e) => write!(f, "cannot watch for signals: {e}"),
            Error::Io(e) => write!(f, "terminal: {e}"),
            Error::SaveMarks(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for Error {}

/// For a config with no `[[feeds]]`: a warning (which `W` shows) with a
/// feed to add.
pub fn no_feeds_warning(config: &Config) -> Option<crate::model::Warning> {
    if !config.feeds.is_empty() {
        return None;
    }
    let display = &config.display;
    let message = crate::config::no_feeds_message(display);
    let message = message.strip_prefix(display.as_str()).unwrap_or(&message);
    Some(crate::model::Warning::new(
        display,
        None,
        message.trim_start(),
    ))
}

/// Opens the reader on the configured archive until the user quits.
///
/// The first frame comes from the index as it was left; the index is
/// brought up to date on a worker thread meanwhile, and the lists change
/// when it is done. Without a usable index the reader opens at once with
/// the count of files indexed so far, and fills when the index is built.
pub fn run(config: &Config) -> Result<(), Error> {
    return_large_blocks();
    let index = index::locate(config).map(Index::at);
    // The first screen needs only the first articles; the whole library
    // and its search follow from the worker thread.
    let cached = index
        .as_ref()
        .and_then(|i| i.load_front(config, FRONT_ARTICLES).ok());
    let (store, marks, mut warnings) = marks::open();
    warnings.extend(no_feeds_warning(config));
    let prefs = Prefs::from_config(config, no_color());
    let (library, search) = match cached {
        Some(opened) => (opened.library, Some(opened.search)),
        None => (Library::default(), None),
    };
    let mut app = App::new(Archive::new(library, marks, warnings, search), prefs);
    let mut tui = terminal::init(app.prefs.mouse).map_err(Error::Terminal)?;
    // How wide the terminal draws ambiguous characters, and which protocol
    // draws photos (asked only for `auto` outside tmux): asked at once, in
    // raw mode, before anything reads the terminal's input.
    let ambiguous = app.prefs.text.ambiguous_width == AmbiguousWidth::Auto;
    let screen = pictures::Terminal::from_env();
    let graphics = screen
        .worth_asking(config.ui.images)
        .then(|| screen.may_be_kitty());
    let (width, answers) = if ambiguous || graphics.is_some() {
        std::fs::File::options()
            .read(true)
            .write(true)
            .open("/dev/tty")
            .map(|mut tty| probe::ask(&mut tty, probe::DEADLINE, ambiguous, graphics))
            .unwrap_or_default()
    } else {
        (None, probe::Answers::default())
    };
    if ambiguous {
        app.prefs.text.ambiguous_width = AmbiguousWidth::Columns(width.unwrap_or(1));
    }
    app.prefs.graphics = pictures::choose(config.ui.images, &screen, &answers);
    let result = terminal::watch_signals()
        .map_err(Error::Signals)
        .and_then(|()| event_loop(&mut tui, &mut app, config, store.as_ref()));
    // Where the reader was: the article open and each article's place.
    update::remember_place(&mut app);
    let open = app.reader.article.filter(|_| app.reader.opened);
    app.archive.set_last(open);
    let saved = store.as_ref().map(|s| s.save(app.archive.marks()));
    terminal::restore();
    for report in worker::take_strays() {
        eprintln!("kanbao: a background thread {report}");
    }
    if let Some(signal) = terminal::ended() {
        // Ended by SIGTERM or SIGHUP (the terminal may be gone: an error
        // drawing to it is no news).
        if let Some(Err(e)) = saved {
            eprintln!("kanbao: {e}");
        }
        std::process::exit(128 + signal);
    }
    result?;
    match saved {
        Some(Err(e)) => Err(Error::SaveMarks(e)),
        _ => Ok(()),
    }
}

fn event_loop(
    tui: &mut terminal::Tui,
    app: &mut App,
    config: &Config,
    store: Option<&StateStore>,
) -> Result<(), Error> {
    // The server's feeds change with each sync: the loop keeps its own.
    let mut owned = config.clone();
    let config = &mut owned;
    let browser = Browser::from_env(config.ui.browser.as_deref());
    let (fetch_tx, fetch_rx) = mpsc::channel::<Msg>();
    let inbox = inbox::Inbox::new(fetch_rx).map_err(Error::Io)?;
    app.status.indexing = Some((0, 0));
    start_indexing(config, &fetch_tx);
    app.archive.answer_first(FIRST_HITS);
    let size = tui.size().map_err(Error::Io)?;
    let mut pending = vec![Msg::Resize(size.width, size.height)];
    loop {
        while let Some(msg) = pending.pop() {
            for effect in update(app, msg) {
                match effect {
                    Effect::SaveMarks => {
                        if let Some(result) = store.map(|s| s.save(app.archive.marks())) {
                            pending.push(Msg::Saved(result));
                        }
                    }
                    Effect::SaveSynced(base) => {
                        // The marks first: a base saved without them
                        // would take them for agreed and lose them.
                        if let Some(store) = store {
                            let saved = store.save(app.archive.marks()).and_then(|()| {
                                base.save(store.path().parent().unwrap_or(Path::new("")))
                            });
                            pending.push(Msg::Saved(saved));
                        }
                    }
                    Effect::StartFetch => {
                        let sync = SyncJob {
                            marks: app.archive.marks().clone(),
                            state: store.map(|s| s.path().parent().unwrap_or(Path::new("")).into()),
                        };
                        pending.push(start_fetch(config, sync, &fetch_tx));
                    }
                    Effect::Reload => {
                        // New items: the index takes them in on a worker,
                        // and the lists change when it is done. A sync
                        // may have brought feeds of the server's.
                        if config.sync.is_some() {
                            crate::config::refresh_server_feeds(config);
                        }
                        app.status.indexing = Some((0, 0));
                        start_reindex(config, &fetch_tx);
                    }
                    Effect::Read { index, then } => {
                        pending.push(read_article(app, &config.feeds, index, then));
                    }
                    Effect::Typeset { index, width } => {
                        start_typeset(app, &config.feeds, index, width, &fetch_tx);
                    }
                    Effect::Photos { index, area } => {
                        start_photos(app, config, index, area, &fetch_tx)
                    }
                    Effect::Confirm {
                        query,
                        search,
                        ticket,
                    } => start_confirm(query, search, ticket, &fetch_tx),
                    Effect::OpenLink(url) => {
                        let result = browser.open(&url).map(|()| browser.name());
                        pending.push(Msg::LinkOpened { url, result });
                    }
                }
            }
        }
        // A resize not yet read as an event: lay out for the size the
        // frame will have first.
        let size = tui.size().map_err(Error::Io)?;
        if (size.width, size.height) != (app.size.width, app.size.height) {
            pending.push(Msg::Resize(size.width, size.height));
            continue;
        }
        {
            let _guard = terminal::lock();
            tui.draw(|frame| view::draw(frame, app))
                .map_err(Error::Io)?;
        }
        if app.quit {
            return Ok(());
        }
        match next_message(app, &inbox).map_err(Error::Io)? {
            Some(msg) => pending.push(msg),
            // SIGTERM or SIGHUP: ends as on quit.
            None => return Ok(()),
        }
    }
}

/// The next message: a terminal event, or, while a worker's answer is
/// awaited ([`App::awaits_worker`]), that answer. Otherwise this blocks
/// until the terminal has something: an idle reader uses no CPU. `None`
/// once a signal or a hang-up ends the reader ([`terminal::ended`]).
fn next_message(app: &App, inbox: &inbox::Inbox) -> std::io::Result<Option<Msg>> {
    loop {
        // Before crossterm looks at a terminal that may have hung up.
        if terminal::ended().is_some() {
            return Ok(None);
        }
        let awaits = app.awaits_worker();
        if awaits && let Some(msg) = inbox.try_recv() {
            return Ok(Some(msg));
        }
        // Keys crossterm has read already, or input on the terminal.
        if event::poll(Duration::ZERO)? {
            if let Some(msg) = input::translate(app, event::read()?) {
                return Ok(Some(msg));
            }
            continue;
        }
        if awaits {
            inbox.wait();
        } else if !inbox.wait_idle()
            && let Some(msg) = input::translate(app, event::read()?)
        {
            return Ok(Some(msg));
        }
    }
}

/// Reads the text of article `index` from its file, for [`Effect::Read`]:
/// a page is a few kilobytes, read before the next frame.
pub fn read_article(app: &App, feeds: &[FeedConfig], index: usize, then: Then) -> Msg {
    let Some(article) = app.archive.article(index) else {
        return Msg::Notice("the article is no longer in the list".to_owned());
    };
    Msg::Read {
        id: article.id.clone(),
        result: crate::library::read_article(feeds, &article).map(Box::new),
        then,
    }
}

/// Reads and lays out the long article `index` at `width` columns on a
/// worker thread, which sends it back as [`Msg::Typeset`].
fn start_typeset(
    app: &App,
    feeds: &[FeedConfig],
    index: usize,
    width: usize,
    tx: &mpsc::Sender<Msg>,
) {
    let Some(article) = app.archive.article(index).map(|a| a.into_owned()) else {
        return;
    };
    let feeds = feeds.to_vec();
    let text = app.prefs.text.clone();
    let feed_title = app.archive.context(&article).feed_title.map(str::to_owned);
    let worker_tx = tx.clone();
    let ticket = std::sync::Arc::clone(&app.reader.ticket);
    let mine = ticket.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
    let id = article.id.clone();
    let job = Worker::Typeset {
        id: id.clone(),
        width,
    };
    let spawned = worker::spawn(job, tx, move || {
        let send = |article, lines| {
            let id = id.clone();
            let done = app::Typeset {
                id,
                width,
                script: text.script,
                article,
                lines,
            };
            let _ = worker_tx.send(Msg::Typeset(Box::new(done)));
        };
        // An article from the index is read from its file; a loaded one
        // is used as it is, not copied again.
        let from_index = article.stub.is_some();
        let full = if from_index {
            match crate::library::read_article(&feeds, &article) {
                Ok(full) => full,
                Err(w) => return send(None, Err(w)),
            }
        } else {
            article
        };
        if ticket.load(std::sync::atomic::Ordering::SeqCst) != mine {
            // The reader moved on (another article, another width): the
            // layout would be thrown away.
            return;
        }
        let context = crate::typeset::Context {
            feed_title: feed_title.as_deref(),
        };
        let lines = crate::typeset::layout(&full, context, width, &text);
        send(from_index.then_some(full), Ok(lines));
    });
    if let Err(e) = spawned {
        let _ = tx.send(Msg::Notice(format!("cannot typeset the article: {e}")));
    }
}

/// Fetches, decodes and encodes the photos of article `index` that are
/// still wanted (being fetched, or shown at another size) on a worker
/// thread, each fitted in `area`; each comes back as [`Msg::Picture`].
/// Photos come from the image cache, else from the network with the
/// article's feed's `timeout`, `max_size` and `headers`.
fn start_photos(
    app: &App,
    config: &Config,
    index: usize,
    area: (u16, u16),
    tx: &mpsc::Sender<Msg>,
) {
    let (Some(article), Some(graphics)) = (app.archive.article(index), app.prefs.graphics) else {
        return;
    };
    let pictures = &app.reader.pictures;
    let wanted: Vec<(usize, String)> = article
        .photos
        .iter()
        .zip(&pictures.items)
        .enumerate()
        .filter(|(_, (_, state))| {
            matches!(
                state,
                Some(pictures::Picture::Loading | pictures::Picture::Shown(_))
            )
        })
        .filter_map(|(n, (photo, _))| Some((n, photo.url.clone()?)))
        .collect();
    let options = config
        .feeds
        .iter()
        .find(|f| article.feed.as_deref() == Some(f.id.as_str()))
        .map(|f| f.fetch.clone())
        .unwrap_or_default();
    let id = article.id.clone();
    let ticket = std::sync::Arc::clone(&pictures.ticket);
    let mine = ticket.load(std::sync::atomic::Ordering::SeqCst);
    let worker_tx = tx.clone();
    let job = Worker::Photos { id: id.clone() };
    let spawned = worker::spawn(job, tx, move || {
        let cache = crate::feed::photo::Cache::from_env();
        for (photo, url) in wanted {
            if ticket.load(std::sync::atomic::Ordering::SeqCst) != mine {
                return;
            }
            let result = picture(&url, &options, cache.as_ref(), graphics, area);
            let msg = Msg::Picture {
                article: id.clone(),
                photo,
                result,
            };
            if worker_tx.send(msg).is_err() {
                return;
            }
        }
    });
    if let Err(e) = spawned {
        let _ = tx.send(Msg::Notice(format!("cannot fetch the photos: {e}")));
    }
}

/// One photo: its bytes (cached, else fetched and then cached if they are
/// a picture), checked, decoded and encoded to fit `area`.
fn picture(
    url: &str,
    options: &crate::config::FetchOptions,
    cache: Option<&crate::feed::photo::Cache>,
    graphics: pictures::Graphics,
    area: (u16, u16),
) -> Result<pictures::Shown, String> {
    let cached = cache.and_then(|c| c.load(url));
    let bytes = match cached {
        Some(bytes) => bytes,
        None => {
            let bytes = crate::feed::photo::fetch(url, options).map_err(|e| e.to_string())?;
            crate::photo::dimensions(&bytes).map_err(|e| e.to_string())?;
            if let Some(cache) = cache {
                cache.store(url, &bytes);
            }
            bytes
        }
    };
    let image = crate::photo::decode(&bytes).map_err(|e| e.to_string())?;
    let pixels = (image.width(), image.height());
    let size = crate::photo::fit(pixels, graphics.cell, area.0, area.1);
    let encoded = pictures::encode(image, graphics, size)?;
    Ok(pictures::Shown { pixels, encoded })
}

/// Brings the index up to date on a worker thread that reports through
/// `tx`: progress while files are read, then the whole archive.
fn start_indexing(config: &Config, tx: &mpsc::Sender<Msg>) {
    let owned = config.clone();
    let worker_tx = tx.clone();
    let spawned = worker::spawn(Worker::Index, tx, move || {
        let (config, tx) = (owned, worker_tx);
        let progress_tx = Mutex::new(tx.clone());
        let progress = |p: index::Progress| {
            if let Ok(tx) = progress_tx.lock() {
                let _ = tx.send(Msg::Indexing(p.done, p.total));
            }
        };
        // The index is brought up to date before the library is loaded
        // from it: the full walk's tables (a million articles' files and
        // sources, 75 MB) then never sit beside the loaded library, and a
        // changed archive is loaded once, not before and after.
        let index = index::locate(&config).map(Index::at);
        let refreshed = index.as_ref().map(|i| i.refresh(&config, &progress));
        let loaded = match (&index, refreshed) {
            (Some(index), Some(Ok(r))) if r.warnings.is_empty() => index.load_as(&config).ok(),
            _ => None,
        };
        let opened = match (loaded, index) {
            (Some(loaded), _) => loaded,
            (None, Some(index)) => index::open_at_as(&index, &config, &progress),
            (None, None) => index::open_as(&config, &progress),
        };
        let _ = tx.send(Msg::Indexed(ranked(opened)));
    });
    if spawned.is_err() {
        // No thread: read everything now, as the reader did before it
        // had an index.
        let opened = index::open_as(config, &|_| {});
        let _ = tx.send(Msg::Indexed(ranked(opened)));
    }
}

/// Brings the index up to date after a fetch on a worker thread that
/// sends the archive as it now is through `tx`.
fn start_reindex(config: &Config, tx: &mpsc::Sender<Msg>) {
    let owned = config.clone();
    let worker_tx = tx.clone();
    let spawned = worker::spawn(Worker::Index, tx, move || {
        let opened = index::open_as(&owned, &|_| {});
        let _ = worker_tx.send(Msg::Indexed(ranked(opened)));
    });
    if spawned.is_err() {
        let opened = index::open_as(config, &|_| {});
        let _ = tx.send(Msg::Indexed(ranked(opened)));
    }
}

/// `opened` with its search ranked whole ([`index::search::Search::rank_all`]), here on
/// the worker thread rather than on the event loop's when the archive
/// takes it; and the script tables a search converts its terms with
/// loaded ([`crate::script::prepare_forms`]), so that the first key
/// typed after `/` does not wait for them.
fn ranked(
    mut opened: index::Opened<crate::library::Shelf>,
) -> Box<index::Opened<crate::library::Shelf>> {
    opened.search.rank_all();
    crate::script::prepare_forms();
    Box::new(opened)
}

/// Blocks of this many bytes and more that the reader frees go back to
/// the system at once.
const LARGE_BLOCK: i32 = 256 << 10;

/// Has the allocator give freed blocks of [`LARGE_BLOCK`] and more back
/// to the system at once. By default glibc raises that threshold to the
/// largest block freed (up to 32 MiB): once the library's loading and a
/// search's hits (megabytes at a million articles) were freed, blocks of
/// that size are kept in the heap and the reader, which runs for hours,
/// holds tens of megabytes it no longer uses (at a million articles
/// 325 MB after start instead of 276, 436 MB at its peak instead of 368).
fn return_large_blocks() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt sets one of the allocator's settings; it is called
    // before the reader starts any thread.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, LARGE_BLOCK);
    }
}

/// Hits a search in the reader confirms in their texts before it answers
/// (more than a screen holds, and a page down); a worker confirms the rest.
pub const FIRST_HITS: usize = 200;

/// Confirms every hit of the search `query` on a worker, which sends them
/// back as [`Msg::Confirmed`] unless another search was asked for before
/// it is done (then it stops).
fn start_confirm(
    query: String,
    search: Arc<index::search::Search>,
    ticket: archive::Ticket,
    tx: &mpsc::Sender<Msg>,
) {
    let worker_tx = tx.clone();
    let job = Worker::Search {
        query: query.clone(),
    };
    fn confirm(
        search: &index::search::Search,
        query: String,
        stop: &(dyn Fn() -> bool + Sync),
        tx: &mpsc::Sender<Msg>,
    ) {
        let parsed = index::search::Query::parse(&query);
        if let Some(hits) = parsed.ok().and_then(|q| search.find_all_unless(&q, stop)) {
            let _ = tx.send(Msg::Confirmed { query, hits });
        }
    }
    let (again, query_again) = (Arc::clone(&search), query.clone());
    let spawned = worker::spawn(job, tx, move || {
        // Typed over: the next search's worker takes over.
        let stop = || !ticket.is_current();
        confirm(&search, query, &stop, &worker_tx);
    });
    if spawned.is_err() {
        // No thread: confirm them now.
        confirm(&again, query_again, &|| false, tx);
    }
}

/// Articles read from the index for the first screen.
const FRONT_ARTICLES: usize = 400;

/// What a sync started by `R` works from: the marks as they are now,
/// and the state folder (`None`: there is none).
struct SyncJob {
    marks: marks::Marks,
    state: Option<PathBuf>,
}

/// The name a sync goes by among the feeds of a fetch (status line, `W`).
const SYNC_FEED: &str = "sync";

/// Syncs with the `[sync]` server, for `R`: the outcome as a feed's, and
/// what to keep when it worked.
fn sync_now(config: &Config, job: &SyncJob, tx: &mpsc::Sender<Msg>) -> fetch::Outcome {
    let Some(state) = &job.state else {
        return fetch::Outcome::Failed(
            "cannot sync without a state folder for the marks; set $HOME or $XDG_STATE_HOME"
                .to_owned(),
        );
    };
    let Some(settings) = &config.sync else {
        return fetch::Outcome::Failed("no [sync] table".to_owned());
    };
    let base = match crate::sync::base::Base::load(state, &crate::sync::server_key(settings)) {
        Ok(base) => base,
        Err(e) => return fetch::Outcome::Failed(e.0),
    };
    let progress = |stage: &str| {
        let _ = tx.send(Msg::Fetch(fetch::Event::Step {
            feed: SYNC_FEED.to_owned(),
            stage: stage.to_owned(),
        }));
    };
    match crate::sync::run(config, &job.marks, &base, false, &progress) {
        Ok(synced) => {
            let report = crate::feed::store::StoreReport {
                new: synced.report.new_items,
                ..Default::default()
            };
            let _ = tx.send(Msg::Synced(Box::new(synced)));
            fetch::Outcome::Stored(report)
        }
        Err(e) => fetch::Outcome::Failed(e.0),
    }
}

/// Starts fetching the web feeds, then syncing with the `[sync]` server if
/// there is one, on a worker thread that reports through `tx`; returns the
/// message that says so (or why not).
fn start_fetch(config: &Config, sync: SyncJob, tx: &mpsc::Sender<Msg>) -> Msg {
    let feeds: Vec<FeedConfig> = config
        .feeds
        .iter()
        .filter(|f| f.is_fetched_here())
        .cloned()
        .collect();
    if feeds.is_empty() && config.sync.is_none() {
        return Msg::Notice(format!(
            "no web feeds to fetch: add a [[feeds]] table with kind = \"feed\" to {}",
            config.display
        ));
    }
    let syncing = config.sync.is_some();
    let total = feeds.len() + usize::from(syncing);
    let worker_tx = tx.clone();
    let config = config.clone();
    let spawned = worker::spawn(Worker::Fetch, tx, move || {
        let tx = worker_tx;
        let refs: Vec<&FeedConfig> = feeds.iter().collect();
        let progress_tx = Mutex::new(tx.clone());
        let progress = |event: fetch::Event| {
            if let Ok(tx) = progress_tx.lock() {
                let _ = tx.send(Msg::Fetch(event));
            }
        };
        let mut results = fetch::fetch_all(&refs, fetch::DEFAULT_CONCURRENCY, false, &progress);
        if syncing {
            progress(fetch::Event::Started {
                feed: SYNC_FEED.to_owned(),
            });
            let outcome = sync_now(&config, &sync, &tx);
            progress(fetch::Event::Finished {
                feed: SYNC_FEED.to_owned(),
                outcome: outcome.clone(),
            });
            results.push((SYNC_FEED.to_owned(), outcome));
        }
        let _ = tx.send(Msg::FetchDone(results));
    });
    match spawned {
        Ok(()) => Msg::FetchStarted(total),
        Err(e) => Msg::Notice(format!("cannot start fetching: {e}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The reader's index worker loads the script tables before the first
    /// search can ask for them. Other tests load them too, so the check
    /// runs in a process of its own: this test binary, asked for the
    /// ignored test below alone.
    #[test]
    fn the_index_worker_prepares_the_script_tables() {
        let exe = std::env::current_exe().unwrap_or_else(|e| panic!("{e}"));
        let name = "ui::tests::alone_ranked_prepares_the_script_tables";
        let out = std::process::Command::new(exe)
            .args(["--ignored", "--exact", name, "--test-threads=1"])
            .env(ALONE, "1")
            .output()
            .unwrap_or_else(|e| panic!("{e}"));
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success() && stdout.contains("1 passed"),
            "{stdout}{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// Set for the test run alone.
    const ALONE: &str = "KANBAO_TEST_ALONE";

    #[test]
    #[ignore = "run alone by the_index_worker_prepares_the_script_tables"]
    fn alone_ranked_prepares_the_script_tables() {
        if std::env::var_os(ALONE).is_none() {
            // Among other tests (`--include-ignored`): nothing to tell.
            return;
        }
        assert!(!crate::script::forms_prepared(), "loaded before the test");
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("config.toml");
        let config =
            crate::config::parse("", &path, "config.toml").unwrap_or_else(|e| panic!("{e}"));
        let opened = index::open_at_as(&Index::at(dir.path().join("index")), &config, &|_| {});
        drop(ranked(opened));
        assert!(crate::script::forms_prepared());
    }
}
