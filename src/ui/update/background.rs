//! What the loop and the workers report: saves, the fetch's progress and
//! end, the index's progress and the archive it brings, opened links, and
//! workers that stopped on a panic.

use std::sync::Arc;

use crate::browser::{OpenError, Refusal};
use crate::feed::fetch;
use crate::index::{Opened, Search};
use crate::library::{Library, Shelf};
use crate::model::Warning;
use crate::typeset::{sanitize, str_width, truncate};

use super::super::app::{App, Fetching};
use super::super::archive::Row;
use super::super::msg::{Effect, Msg};
use super::super::worker::Worker;
use super::keys;

/// Columns a link in a message keeps at least, however narrow the screen.
const MIN_LINK_COLUMNS: usize = 12;

/// Columns the status line keeps for its key hints (`? help  q back`).
const HINT_COLUMNS: usize = 16;

/// A report from the loop or a worker (anything but keys, the mouse and
/// articles' text).
pub(super) fn report(app: &mut App, msg: Msg, effects: &mut Vec<Effect>) {
    match msg {
        Msg::Notice(text) => app.status.message = Some(text),
        Msg::Saved(result) => {
            app.status.unsaved = result.is_err();
            if let Err(e) = result {
                app.status.message = Some(e);
            }
        }
        Msg::FetchStarted(total) => {
            app.status.fetching = Some(Fetching {
                total,
                ..Default::default()
            });
        }
        Msg::Fetch(event) => fetch_progress(app, event),
        Msg::Synced(synced) => {
            let synced = *synced;
            app.archive.apply_sync(&synced.changes);
            effects.push(Effect::SaveSynced(Box::new(synced.base)));
        }
        Msg::FetchDone(results) => {
            fetch_done(app, &results);
            effects.push(Effect::Reload);
        }
        Msg::Indexing(done, total) => app.status.indexing = Some((done, total)),
        Msg::Confirmed { query, hits } => app.archive.confirmed(&query, hits),
        Msg::Indexed(opened) => {
            app.status.indexing = None;
            reloaded(app, *opened);
            // The whole archive is here: an article to restore that it
            // does not hold is gone.
            super::restore(app, effects);
            app.nav.restore = None;
        }
        Msg::LinkOpened { url, result } => {
            app.status.message = Some(link_message(app, &url, &result));
        }
        Msg::WorkerFailed { worker, message } => worker_failed(app, &worker, &message, effects),
        Msg::Action(_)
        | Msg::Text(_)
        | Msg::Backspace
        | Msg::Submit
        | Msg::Resize(..)
        | Msg::Click { .. }
        | Msg::Wheel { .. }
        | Msg::Read { .. }
        | Msg::Typeset(_)
        | Msg::Picture { .. } => {}
    }
}

/// Shows the archive the index brings in place of the one shown, keeping
/// the fetch's warnings, the selection, the article being read and the
/// places by article id.
fn reloaded(app: &mut App, opened: Opened<Shelf>) {
    let Opened {
        mut library,
        search,
    } = opened;
    let fetch_warnings: Vec<Warning> = app
        .archive
        .warnings
        .iter()
        .filter(|w| w.path.starts_with("fetch "))
        .cloned()
        .collect();
    library
        .warnings
        .extend(app.archive.startup_warnings().iter().cloned());
    library.warnings.extend(fetch_warnings);
    app.archive.warnings = std::mem::take(&mut library.warnings);
    replace_library(app, library, search);
}

/// Replaces the archive and its search index, keeping the selection (the
/// tree's row and the article), the article being read, and every
/// place.
fn replace_library(app: &mut App, library: Library<Shelf>, search: Search) {
    let id_of = |i: usize| app.archive.id(i).to_owned();
    let selected = app.selected().map(id_of);
    let reading = app.reader.article.map(id_of);
    let row = RowKey::of(app);
    // The place of the article being read, before its index changes.
    super::remember_place(app);
    app.status.undo = None;
    // A search index belongs to the library it was opened with.
    app.archive.replace(library, Some(search));
    // Places of articles not there now are kept: a feed's folder may be
    // unmounted, or the state shared with another config (MAX_PLACES
    // bounds them).
    let find = |id: &Option<String>| id.as_ref().and_then(|id| app.archive.position(id));
    let reading = find(&reading);
    let selected = find(&selected);
    if let Some(row) = row.and_then(|key| key.find(app)) {
        keys::select_row(app, row);
        app.nav.article = 0;
    }
    if let Some(index) = selected.or(reading) {
        keys::select_article(app, index);
    }
    // The reader's lines are laid out again for the article's new index.
    app.reader.article = reading;
    app.reader.lines.clear();
    app.reader.reading = false;
    if reading.is_none() {
        app.reader.opened = false;
    }
}

/// A row of the sections tree by what it shows, which outlives a reload.
enum RowKey {
    Feed(String),
    Day(String, Option<Arc<str>>),
    Section(
        Arc<str>,
        Option<Arc<str>>,
        Option<Arc<str>>,
        Option<Arc<str>>,
    ),
}

impl RowKey {
    fn of(app: &App) -> Option<RowKey> {
        let archive = &app.archive;
        Some(match app.nav.row {
            Row::Feed(f) => RowKey::Feed(archive.feeds.get(f)?.title.clone()),
            Row::Day(d) => {
                let day = archive.days.get(d)?;
                RowKey::Day(archive.feeds.get(day.feed)?.title.clone(), day.date.clone())
            }
            Row::Section(s) => {
                let s = archive.sections.get(s)?;
                RowKey::Section(
                    s.feed_title.clone(),
                    s.date.clone(),
                    s.page.clone(),
                    s.name.clone(),
                )
            }
        })
    }

    fn find(&self, app: &App) -> Option<Row> {
        let archive = &app.archive;
        match self {
            RowKey::Feed(title) => archive
                .feeds
                .iter()
                .position(|f| f.title == *title)
                .map(Row::Feed),
            RowKey::Day(title, date) => archive
                .days
                .iter()
                .position(|d| d.date == *date && archive.feeds[d.feed].title == *title)
                .map(Row::Day),
            RowKey::Section(title, date, page, name) => archive
                .sections
                .iter()
                .position(|s| {
                    s.feed_title == *title && s.date == *date && s.name == *name && s.page == *page
                })
                .map(Row::Section),
        }
    }
}

fn fetch_progress(app: &mut App, event: fetch::Event) {
    let Some(f) = app.status.fetching.as_mut() else {
        return;
    };
    match event {
        fetch::Event::Started { feed } => f.running.push(feed),
        // The status line names the feeds running; an edition's steps are
        // for the command line's bar.
        fetch::Event::Step { .. } => {}
        // A repaired feed was stored; `kanbao fetch` prints what was
        // repaired, the status line only counts what was stored.
        fetch::Event::Warning { .. } => {}
        fetch::Event::Finished { feed, outcome } => {
            f.running.retain(|r| r != &feed);
            f.done += 1;
            match outcome {
                fetch::Outcome::Stored(r) => {
                    f.new += r.new;
                    f.updated += r.updated;
                }
                fetch::Outcome::Failed(reason) => f.failures.push(format!("{feed}: {reason}")),
                fetch::Outcome::Incomplete { report, failures } => {
                    f.new += report.new;
                    f.updated += report.updated;
                    f.failures
                        .extend(failures.iter().map(|reason| format!("{feed}: {reason}")));
                }
                fetch::Outcome::NotModified | fetch::Outcome::TooSoon { .. } => {}
            }
        }
    }
}

fn fetch_done(app: &mut App, results: &[(String, fetch::Outcome)]) {
    let summary = fetch::Summary::of(results.iter().map(|(_, o)| o));
    // Failures of the last fetch replace those of the one before.
    let warnings = &mut app.archive.warnings;
    warnings.retain(|w| !w.path.starts_with("fetch "));
    for (feed, outcome) in results {
        let reasons = match outcome {
            fetch::Outcome::Failed(reason) => std::slice::from_ref(reason),
            fetch::Outcome::Incomplete { failures, .. } => failures.as_slice(),
            _ => &[],
        };
        for reason in reasons {
            warnings.push(Warning::new(&format!("fetch {feed}"), None, reason.clone()));
        }
    }
    let feeds = if summary.feeds == 1 { "feed" } else { "feeds" };
    let mut message = format!(
        "fetched {} {feeds}: {} new, {} updated",
        summary.feeds, summary.new, summary.updated
    );
    // Every feed is counted: those that had nothing new say so too.
    for (count, what) in [
        (summary.not_modified, "not modified"),
        (summary.skipped, "skipped (fetched recently)"),
        (summary.incomplete, "incomplete"),
    ] {
        if count > 0 {
            message.push_str(&format!(", {count} {what}"));
        }
    }
    if summary.failed > 0 {
        message.push_str(&format!(", {} failed (W shows why)", summary.failed));
    }
    app.status.message = Some(message);
    app.status.fetching = None;
}

/// The status line after the browser was asked to open `url`, the link
/// made safe to show and shortened so that the line fits the screen.
fn link_message(app: &App, url: &str, result: &Result<String, OpenError>) -> String {
    let (before, after) = match result {
        Ok(browser) => ("opened ".to_owned(), format!(" in {browser}")),
        Err(OpenError::Refused(why)) if *why != Refusal::Empty => {
            (format!("cannot open link: {why} ("), ")".to_owned())
        }
        Err(e) => return format!("cannot open link: {e}"),
    };
    let amb = app.prefs.text.ambiguous_width.columns();
    let used = 1 + str_width(&before, amb) + str_width(&after, amb) + HINT_COLUMNS;
    let room = usize::from(app.size.width)
        .saturating_sub(used)
        .max(MIN_LINK_COLUMNS);
    let shown = truncate(&sanitize(url), room, amb);
    format!("{before}{shown}{after}")
}

/// A worker panicked: the job it was doing is over, and the status line
/// says so once. Read marks and everything else shown stay as they are.
fn worker_failed(app: &mut App, worker: &Worker, message: &str, effects: &mut Vec<Effect>) {
    let (job, kept) = match worker {
        Worker::Fetch => {
            app.status.fetching = None;
            // The feeds fetched before it are stored: show them.
            effects.push(Effect::Reload);
            ("fetch", "what it stored is kept")
        }
        Worker::Index => {
            app.status.indexing = None;
            ("indexing", "the lists are as they were")
        }
        Worker::Typeset { id, width } => {
            let shown = app.reader.article.and_then(|i| app.archive.article(i));
            if shown.is_some_and(|a| a.id == *id) && app.reader.typesetting == Some(*width) {
                app.reader.typesetting = None;
            }
            ("typesetting", "the article shows its beginning only")
        }
        Worker::Photos { id } => {
            super::photos::stopped(app, id);
            ("fetching photos", "the captions are shown")
        }
        Worker::Search { .. } => {
            app.archive.confirm_stopped();
            (
                "confirming the search's hits",
                "past its first hits, the list may hold articles without the words",
            )
        }
    };
    app.status.message = Some(format!(
        "{job} stopped on an internal error; {kept}. Please report this: {}",
        sanitize(message).trim()
    ));
}
