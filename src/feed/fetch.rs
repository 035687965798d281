//! Fetching web feeds into their stores, several at a time.
//!
//! For each feed: skip it if its `interval` has not passed (unless forced),
//! read its bytes (HTTP with the last ETag/Last-Modified, or a local file),
//! parse them, keep the newest `max_items`, and store the items. A failure
//! is a one-line reason for that feed; nothing stored before is touched,
//! and the other feeds go on. Progress is reported through a callback so
//! that the command line can draw a bar and the reader a status line.

use std::time::{SystemTime, UNIX_EPOCH};

use crate::config::{FeedConfig, FeedKind, FeedSource};

pub use super::report::{Event, Outcome, Summary};

use super::http::{self, Fetched};
use super::store::{self, FetchState};
use crate::source::feed_file;

/// Feeds fetched at once unless asked otherwise.
pub const DEFAULT_CONCURRENCY: usize = 4;

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// Which editions of e-paper feeds to fetch; `None`: each feed's default
/// (today's, and `keep` days back).
pub type Dates<'a> = Option<&'a [chrono::NaiveDate]>;

/// Fetches one web feed or e-paper feed into its store. Pages feeds have
/// nothing to fetch.
pub fn fetch_one(
    feed: &FeedConfig,
    force: bool,
    dates: Dates<'_>,
    progress: &(dyn Fn(Event) + Sync),
) -> Outcome {
    if feed.kind != FeedKind::Epaper {
        let (outcome, warnings) = fetch_feed_warning(feed, force);
        for message in warnings {
            progress(Event::Warning {
                feed: feed.id.clone(),
                message,
            });
        }
        return outcome;
    }
    let defaults;
    let dates = match dates {
        Some(dates) => dates,
        None => {
            defaults = super::epaper::default_dates(feed, super::epaper::today());
            &defaults
        }
    };
    super::epaper::fetch_editions(feed, dates, force, progress)
}

/// Fetches one web feed into its store. Pages feeds have nothing to fetch.
/// What was repaired to read it is left out: [`fetch_one`] reports it.
pub fn fetch_feed(feed: &FeedConfig, force: bool) -> Outcome {
    fetch_feed_warning(feed, force).0
}

/// [`fetch_feed`], with the repairs an ill-formed feed needed.
fn fetch_feed_warning(feed: &FeedConfig, force: bool) -> (Outcome, Vec<String>) {
    let mut warnings = Vec::new();
    let outcome = fetch_feed_into(feed, force, &mut warnings);
    (outcome, warnings)
}

fn fetch_feed_into(feed: &FeedConfig, force: bool, warnings: &mut Vec<String>) -> Outcome {
    let Some(source) = &feed.source else {
        return Outcome::Failed(format!(
            "feed \"{}\" is a folder of pages; there is nothing to fetch",
            feed.id
        ));
    };
    debug_assert_eq!(feed.kind, FeedKind::Feed);
    let folder = &feed.path;
    let state = FetchState::load(folder);
    if let Some(minutes) = feed.fetch.interval_minutes
        && !force
        && state.fetched_at > 0
    {
        let due = state.fetched_at + u64::from(minutes) * 60;
        let now = now();
        if now < due {
            return Outcome::TooSoon {
                minutes_left: (due - now).div_ceil(60),
            };
        }
    }
    let (bytes, charset, base, etag, last_modified) = match source {
        FeedSource::File(path) => match std::fs::read(path) {
            Ok(bytes) => (bytes, None, None, None, None),
            Err(e) => {
                return Outcome::Failed(format!(
                    "{}: {}",
                    path.display(),
                    crate::io_message::io_message(&e)
                ));
            }
        },
        FeedSource::Server(_) => {
            return Outcome::Failed(format!(
                "feed \"{}\" comes from the [sync] server; `kanbao sync` fetches it",
                feed.id
            ));
        }
        FeedSource::Url(url) => {
            let mut request = http::Request::with_options(url.clone(), &feed.fetch);
            request.etag = state.etag.clone();
            request.last_modified = state.last_modified.clone();
            match http::fetch(&request) {
                Ok(Fetched::NotModified) => {
                    let state = FetchState {
                        fetched_at: now(),
                        ..state
                    };
                    // The fetch worked; failing to note when is not worth failing it.
                    let _ = state.save(folder);
                    return Outcome::NotModified;
                }
                Ok(Fetched::Body {
                    bytes,
                    charset,
                    etag,
                    last_modified,
                    final_url,
                    ..
                }) => (bytes, charset, Some(final_url), etag, last_modified),
                Err(e) => return Outcome::Failed(e.to_string()),
            }
        }
    };
    // The bytes go to the parser, which keeps them as the text if it can:
    // the 8 MB of a large feed are not held twice, nor after parsing.
    let parsed = match feed_file::parse_owned(bytes, charset.as_deref(), base.as_deref()) {
        Ok(parsed) => parsed,
        Err(e) => return Outcome::Failed(e),
    };
    warnings.extend(parsed.warnings);
    let mut items = parsed.items;
    if let Some(max) = feed.fetch.max_items {
        // Newest first: by date where known, else in the feed's order.
        items.sort_by(|a, b| b.published.cmp(&a.published));
        items.truncate(max);
    }
    let report = match store::store(folder, items) {
        Ok(report) => report,
        Err(e) => return Outcome::Failed(e),
    };
    let state = FetchState {
        etag,
        last_modified,
        fetched_at: now(),
    };
    if let Err(e) = state.save(folder) {
        return Outcome::Failed(e);
    }
    Outcome::Stored(report)
}

/// Fetches `feeds`, at most `concurrency` at a time, reporting progress to
/// `progress` (from worker threads). Returns each feed's outcome in order.
pub fn fetch_all(
    feeds: &[&FeedConfig],
    concurrency: usize,
    force: bool,
    progress: &(dyn Fn(Event) + Sync),
) -> Vec<(String, Outcome)> {
    fetch_all_dated(feeds, concurrency, force, None, progress)
}

/// [`fetch_all`], with the editions of e-paper feeds to fetch.
pub fn fetch_all_dated(
    feeds: &[&FeedConfig],
    concurrency: usize,
    force: bool,
    dates: Dates<'_>,
    progress: &(dyn Fn(Event) + Sync),
) -> Vec<(String, Outcome)> {
    let results = super::pool::at_most(feeds, concurrency, &|feed: &&FeedConfig| {
        progress(Event::Started {
            feed: feed.id.clone(),
        });
        let outcome = fetch_one(feed, force, dates, progress);
        progress(Event::Finished {
            feed: feed.id.clone(),
            outcome: outcome.clone(),
        });
        outcome
    });
    feeds
        .iter()
        .zip(results)
        .map(|(feed, outcome)| {
            let outcome =
                outcome.unwrap_or_else(|| Outcome::Failed("the fetch did not finish".to_owned()));
            (feed.id.clone(), outcome)
        })
        .collect()
}
