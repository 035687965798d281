//! The sections pane as a tree: feed → day → section (版面).
//!
//! At 100,000 articles an archive has thousands of sections; listed flat
//! they are unusable. The tree shows each feed's days, and opens only the
//! newest day of each feed until the user opens or folds others. What is
//! open is kept by feed title and date, so it survives a reload of the
//! archive (after a fetch, or when the index brings more). While a search
//! or the unread/starred view hides articles, rows with nothing to show
//! are hidden.

use std::collections::HashMap;

use super::archive::{Archive, Row};

/// What the user opened and folded; everything else follows the default:
/// feeds open, each feed's newest day open, its other days folded.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Folds {
    days: HashMap<(String, Option<String>), bool>,
    feeds: HashMap<String, bool>,
    /// `fold_all` was asked: the newest days are folded too.
    all_folded: bool,
}

impl Folds {
    fn day_key(archive: &Archive, day: usize) -> Option<(String, Option<String>)> {
        let d = archive.days.get(day)?;
        let feed = archive.feeds.get(d.feed)?;
        Some((feed.title.clone(), d.date.as_deref().map(str::to_owned)))
    }

    /// Whether day `day`'s sections are shown.
    pub fn day_open(&self, archive: &Archive, day: usize) -> bool {
        let Some(d) = archive.days.get(day) else {
            return false;
        };
        let newest = archive
            .feeds
            .get(d.feed)
            .is_some_and(|f| f.days.start == day);
        let default = newest && !self.all_folded;
        if self.days.is_empty() {
            return default;
        }
        Folds::day_key(archive, day)
            .and_then(|key| self.days.get(&key).copied())
            .unwrap_or(default)
    }

    /// Whether feed `feed`'s days are shown.
    pub fn feed_open(&self, archive: &Archive, feed: usize) -> bool {
        archive
            .feeds
            .get(feed)
            .and_then(|f| self.feeds.get(&f.title).copied())
            .unwrap_or(true)
    }

    pub fn set_day(&mut self, archive: &Archive, day: usize, open: bool) {
        if let Some(key) = Folds::day_key(archive, day) {
            self.days.insert(key, open);
        }
    }

    pub fn set_feed(&mut self, archive: &Archive, feed: usize, open: bool) {
        if let Some(f) = archive.feeds.get(feed) {
            self.feeds.insert(f.title.clone(), open);
        }
    }

    /// Opens the day and the feed that section `section` is in.
    pub fn reveal(&mut self, archive: &Archive, section: usize) {
        let Some(day) = archive.sections.get(section).map(|s| s.day) else {
            return;
        };
        if !self.day_open(archive, day) {
            self.set_day(archive, day, true);
        }
        if let Some(feed) = archive.days.get(day).map(|d| d.feed)
            && !self.feed_open(archive, feed)
        {
            self.set_feed(archive, feed, true);
        }
    }

    /// Folds every day of every feed (feeds stay open).
    pub fn fold_all(&mut self) {
        self.days.clear();
        self.all_folded = true;
    }
}

/// The rows of the sections tree as `folds` open it.
pub fn rows(archive: &Archive, folds: &Folds) -> Vec<Row> {
    let narrowed = archive.narrowed();
    let mut rows = Vec::new();
    for (f, feed) in archive.feeds.iter().enumerate() {
        if narrowed && archive.feed_counts(f).1 == 0 {
            continue;
        }
        rows.push(Row::Feed(f));
        if !folds.feed_open(archive, f) {
            continue;
        }
        for d in feed.days.clone() {
            if narrowed && archive.day_counts(d).1 == 0 {
                continue;
            }
            rows.push(Row::Day(d));
            if !folds.day_open(archive, d) {
                continue;
            }
            for s in archive.days[d].sections.clone() {
                if narrowed && archive.visible(s).is_empty() {
                    continue;
                }
                rows.push(Row::Section(s));
            }
        }
    }
    rows
}

/// The sections a row stands for: itself, its day's, or its feed's.
pub fn scope(archive: &Archive, row: Row) -> std::ops::Range<usize> {
    match row {
        Row::Section(s) if s < archive.sections.len() => s..s + 1,
        Row::Section(_) => 0..0,
        Row::Day(d) => archive.days.get(d).map_or(0..0, |d| d.sections.clone()),
        Row::Feed(f) => match archive.feeds.get(f) {
            Some(feed) if !feed.days.is_empty() => {
                let first = &archive.days[feed.days.start];
                let last = &archive.days[feed.days.end - 1];
                first.sections.start..last.sections.end
            }
            _ => 0..0,
        },
    }
}
