//! Two-way sync with a feed server (issue 19): the server's subscriptions
//! become feeds of the archive, and read and starred marks go both ways.
//!
//! [`run`] asks the server what is new and what its marks are, compares
//! both sides with what they last agreed on ([`base::Base`], `sync.json` in
//! the state folder) and decides each mark with [`decide`]; it pushes
//! kanbao's changes, stores the new items in the archive as a web feed's
//! items are stored ([`crate::feed::store`]), lists the server's feeds in
//! `sync/feeds.json` beside the config, and returns the marks to change
//! in kanbao and the new base. The caller saves the marks first and the
//! base after, so that a sync that stops anywhere — the server down, a
//! wrong password, a connection cut — leaves the marks to push where they
//! were, and pushes them the next time.
//!
//! Only the clients ([`ttrss`], [`fever`]) speak a server's language,
//! each behind [`Remote`]; the rest is plain data.

pub mod base;
pub mod fever;
pub mod md5;
pub mod ttrss;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use std::process::{Command, Stdio};

use chrono::DateTime;

use crate::config::{Config, FeedKind, FeedSource, Password, ServerFeed, SyncConfig, SyncKind};
use crate::feed::store;
use crate::library::article_id;
use crate::marks::Marks;
use crate::source::bundle;
use crate::source::html;
use crate::source::item::{Item, StoredLink, StoredPhoto};

use base::{Agreed, Base};
use ttrss::Client;

/// Why a sync stopped, on one line, with what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncError(pub String);

impl fmt::Display for SyncError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A mark to change in kanbao: `None` leaves it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MarkChange {
    pub id: String,
    pub read: Option<bool>,
    pub starred: Option<bool>,
}

/// What a sync did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Report {
    pub feeds: usize,
    pub new_items: usize,
    /// Marks sent to the server.
    pub pushed: usize,
    /// Marks taken from the server.
    pub pulled: usize,
    /// Config feeds the server was asked to subscribe to, and of those
    /// it did not have before.
    pub subscribed: Option<(usize, usize)>,
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let feeds = if self.feeds == 1 { "feed" } else { "feeds" };
        write!(
            f,
            "{} {feeds}, {} new items, {} marks pushed, {} marks pulled",
            self.feeds, self.new_items, self.pushed, self.pulled
        )?;
        if let Some((asked, added)) = self.subscribed {
            write!(f, ", {added} of {asked} config feeds subscribed")?;
        }
        Ok(())
    }
}

/// A sync's result for the caller to keep: marks first, then the base.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Synced {
    pub changes: Vec<MarkChange>,
    pub base: Base,
    pub report: Report,
}

/// What to do with one mark (read, or starred) of one article.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Both sides have it already.
    Agreed(bool),
    /// Changed in kanbao: send it to the server.
    Push(bool),
    /// Changed on the server: take it in kanbao.
    Pull(bool),
}

impl Decision {
    pub fn value(self) -> bool {
        match self {
            Decision::Agreed(v) | Decision::Push(v) | Decision::Pull(v) => v,
        }
    }
}

/// Decides a mark from what both sides agreed on at the last sync (`base`;
/// `None` for an article new to kanbao, whose marks start unset), what
/// kanbao has and what the server has. The side that changed the mark
/// wins; a mark has two values, so when both changed it they changed it to
/// the same value and agree.
pub fn decide(base: Option<bool>, local: bool, server: bool) -> Decision {
    let base = base.unwrap_or(false);
    if local == server {
        Decision::Agreed(local)
    } else if local != base {
        Decision::Push(local)
    } else {
        Decision::Pull(server)
    }
}

/// Makes the changes a sync brought in `marks`.
pub fn apply(marks: &mut Marks, changes: &[MarkChange]) {
    for change in changes {
        if let Some(read) = change.read {
            marks.set_read(&change.id, read);
        }
        if let Some(starred) = change.starred {
            marks.set_starred(&change.id, starred);
        }
    }
}

/// `kind url user`: what a base belongs to.
pub fn server_key(sync: &SyncConfig) -> String {
    format!("{} {} {}", sync.kind.name(), sync.url, sync.user)
}

/// The password: `password`, or the first line `password_command` prints
/// (run without a shell).
pub fn password(sync: &SyncConfig) -> Result<String, SyncError> {
    let argv = match &sync.password {
        Password::Plain(text) => return Ok(text.clone()),
        Password::Command(argv) => argv,
    };
    let (program, args) = match argv.split_first() {
        Some(split) => split,
        None => return Err(SyncError("password_command in [sync] is empty".to_owned())),
    };
    let output = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .map_err(|e| {
            SyncError(format!(
                "password_command in [sync] ({}): cannot run {program}: {e}; check that it is \
                 installed and on PATH",
                sync.location
            ))
        })?;
    if !output.status.success() {
        let said = String::from_utf8_lossy(&output.stderr);
        let said = said.lines().next().unwrap_or("").trim();
        return Err(SyncError(format!(
            "password_command in [sync] ({}): {program} failed ({}){}{}; run it by hand to see why",
            sync.location,
            output.status,
            if said.is_empty() { "" } else { ": " },
            crate::sanitize::sanitize(said)
        )));
    }
    let text = String::from_utf8_lossy(&output.stdout);
    let line = text.lines().next().unwrap_or("").trim_end_matches('\r');
    if line.is_empty() {
        return Err(SyncError(format!(
            "password_command in [sync] ({}): {program} printed no password on its first line",
            sync.location
        )));
    }
    Ok(line.to_owned())
}

/// Syncs with the `[sync]` server of `config`: see the module
/// documentation. `progress` hears each stage in a few words.
pub fn run(
    config: &Config,
    marks: &Marks,
    base: &Base,
    push_subscriptions: bool,
    progress: &dyn Fn(&str),
) -> Result<Synced, SyncError> {
    let Some(sync) = &config.sync else {
        return Err(SyncError(format!(
            "no [sync] table in {}; add one with kind, url, user and password_command",
            config.display
        )));
    };
    match sync.kind {
        SyncKind::Ttrss => run_ttrss(config, sync, marks, base, push_subscriptions, progress),
        SyncKind::Fever => run_fever(config, sync, marks, base, push_subscriptions, progress),
    }
}

/// One article as a server lists it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RemoteItem {
    pub id: i64,
    pub feed_id: i64,
    pub read: bool,
    pub starred: bool,
    /// Unix seconds; 0 when unknown.
    pub time: i64,
    pub title: String,
    pub link: String,
    pub author: String,
    /// The article's HTML.
    pub html: String,
}

/// A mark kanbao keeps and servers know.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Mark {
    Read,
    Starred,
}

/// What a sync asks of a server, whatever its API.
pub trait Remote {
    /// Its subscriptions, with ids `<kind>-<server id>` and their
    /// categories as sections.
    fn feeds(&mut self) -> Result<Vec<ServerFeed>, SyncError>;
    /// Articles of id above `since_id`, at most `max`.
    fn new_items(
        &mut self,
        since_id: i64,
        max: usize,
        progress: &dyn Fn(&str),
    ) -> Result<Vec<RemoteItem>, SyncError>;
    /// The ids of all its unread articles and of all its starred ones.
    fn marks(&mut self) -> Result<(HashSet<i64>, HashSet<i64>), SyncError>;
    /// Sets `mark` of the articles `ids` on or off.
    fn set(&mut self, ids: &[i64], mark: Mark, on: bool) -> Result<(), SyncError>;
}

fn run_ttrss(
    config: &Config,
    sync: &SyncConfig,
    marks: &Marks,
    base: &Base,
    push_subscriptions: bool,
    progress: &dyn Fn(&str),
) -> Result<Synced, SyncError> {
    let mut client = Client::new(sync, password(sync)?);
    progress("logging in");
    client.login()?;
    let subscribed = if push_subscriptions {
        progress("subscribing");
        let mut asked = 0;
        let mut added = 0;
        for feed in &config.feeds {
            if let (FeedKind::Feed, Some(FeedSource::Url(url))) = (feed.kind, &feed.source) {
                asked += 1;
                match client.subscribe(url)? {
                    0 => {}
                    1 => added += 1,
                    code => {
                        return Err(SyncError(format!(
                            "TT-RSS would not subscribe to {url} (feed \"{}\", code {code}); \
                             check that the server can fetch it",
                            feed.id
                        )));
                    }
                }
            }
        }
        Some((asked, added))
    } else {
        None
    };
    let mut synced = run_with(&mut client, config, sync, marks, base, progress)?;
    synced.report.subscribed = subscribed;
    Ok(synced)
}

fn run_fever(
    config: &Config,
    sync: &SyncConfig,
    marks: &Marks,
    base: &Base,
    push_subscriptions: bool,
    progress: &dyn Fn(&str),
) -> Result<Synced, SyncError> {
    if push_subscriptions {
        return Err(SyncError(format!(
            "the Fever API cannot subscribe to feeds; add them in the server's own pages, or \
             sync without --push-subscriptions ([sync] at {})",
            sync.location
        )));
    }
    let mut client = fever::Client::new(sync, &password(sync)?);
    progress("logging in");
    client.check_key()?;
    run_with(&mut client, config, sync, marks, base, progress)
}

/// The sync itself, over any server's API.
fn run_with(
    remote: &mut dyn Remote,
    config: &Config,
    sync: &SyncConfig,
    marks: &Marks,
    base: &Base,
    progress: &dyn Fn(&str),
) -> Result<Synced, SyncError> {
    let mut report = Report::default();
    progress("reading feeds");
    let server_feeds = remote.feeds()?;
    report.feeds = server_feeds.len();
    let feed_ids: HashMap<i64, &str> = server_feeds
        .iter()
        .map(|f| (f.server_id, f.id.as_str()))
        .collect();

    let mut headlines = remote.new_items(base.since_id, sync.max_items, progress)?;
    headlines.retain(|h| h.id > base.since_id);
    headlines.truncate(sync.max_items);
    let new: HashSet<i64> = headlines.iter().map(|h| h.id).collect();

    // The server's marks of the articles kanbao had already.
    let (unread, starred) = if base.items.keys().any(|id| !new.contains(id)) {
        progress("reading marks");
        remote.marks()?
    } else {
        (HashSet::new(), HashSet::new())
    };

    let mut items: BTreeMap<i64, Agreed> = base.items.clone();
    let mut server_marks: BTreeMap<i64, (bool, bool)> = base
        .items
        .keys()
        .map(|id| (*id, (!unread.contains(id), starred.contains(id))))
        .collect();
    let mut stored: BTreeMap<&str, Vec<Item>> = BTreeMap::new();
    let kind = sync.kind.name();
    for h in &headlines {
        let Some(feed) = feed_ids.get(&h.feed_id) else {
            continue;
        };
        let guid = format!("{kind}:{}", h.id);
        let id = article_id(feed, &bundle::file_name(&guid), 0);
        server_marks.insert(h.id, (h.read, h.starred));
        items.entry(h.id).or_insert(Agreed {
            id,
            read: false,
            starred: false,
        });
        stored.entry(feed).or_default().push(item(h, guid));
    }
    report.new_items = stored.values().map(Vec::len).sum();

    // Each mark decided; kanbao's changes pushed in groups.
    let mut pushes: BTreeMap<(Mark, bool), Vec<i64>> = BTreeMap::new();
    let mut changes = Vec::new();
    let mut agreed = BTreeMap::new();
    for (server_id, (server_read, server_starred)) in &server_marks {
        let Some(before) = items.get(server_id) else {
            continue;
        };
        let known = base.items.contains_key(server_id);
        let (base_read, base_starred) = if known {
            (Some(before.read), Some(before.starred))
        } else {
            (None, None)
        };
        let read = decide(base_read, marks.is_read(&before.id), *server_read);
        let star = decide(base_starred, marks.is_starred(&before.id), *server_starred);
        let mut change = MarkChange {
            id: before.id.clone(),
            read: None,
            starred: None,
        };
        for (decision, mark, slot) in [
            (read, Mark::Read, &mut change.read),
            (star, Mark::Starred, &mut change.starred),
        ] {
            match decision {
                Decision::Agreed(_) => {}
                Decision::Push(on) => pushes.entry((mark, on)).or_default().push(*server_id),
                Decision::Pull(on) => *slot = Some(on),
            }
        }
        if change.read.is_some() || change.starred.is_some() {
            changes.push(change);
        }
        agreed.insert(
            *server_id,
            Agreed {
                id: before.id.clone(),
                read: read.value(),
                starred: star.value(),
            },
        );
    }
    report.pulled = changes
        .iter()
        .map(|c| usize::from(c.read.is_some()) + usize::from(c.starred.is_some()))
        .sum();
    for ((mark, on), ids) in &pushes {
        progress(&format!("pushing {} marks", ids.len()));
        remote.set(ids, *mark, *on)?;
        report.pushed += ids.len();
    }

    progress("storing items");
    let folder = crate::config::sync_folder(config);
    for (feed, items) in stored {
        store::store(&folder.join(feed), items).map_err(SyncError)?;
    }
    let mut list = serde_json::to_vec_pretty(&server_feeds)
        .map_err(|e| SyncError(format!("cannot list the server's feeds: {e}")))?;
    list.push(b'\n');
    std::fs::create_dir_all(&folder)
        .and_then(|()| crate::atomic::write(&folder.join("feeds.json"), &list))
        .map_err(|e| {
            SyncError(format!(
                "cannot write {}: {}",
                folder.join("feeds.json").display(),
                crate::io_message::io_message(&e)
            ))
        })?;

    let since_id = headlines
        .iter()
        .map(|h| h.id)
        .chain([base.since_id])
        .max()
        .unwrap_or(base.since_id);
    let mut next = Base::new(&server_key(sync));
    next.since_id = since_id;
    next.items = agreed;
    Ok(Synced {
        changes,
        base: next,
        report,
    })
}

/// An article as a stored item: its HTML through the feeds' item HTML →
/// paragraphs path (numeric entities decoded on the way).
fn item(h: &RemoteItem, guid: String) -> Item {
    let link = Some(h.link.clone()).filter(|l| l.starts_with("http"));
    let content = html::to_content(&h.html, link.as_deref());
    Item {
        guid,
        title: plain(&h.title),
        link,
        author: plain(&h.author),
        published: DateTime::from_timestamp(h.time, 0)
            .filter(|_| h.time > 0)
            .map(|d| d.to_rfc3339()),
        photos: content.photos.iter().map(StoredPhoto::from).collect(),
        links: content.links.iter().map(StoredLink::from).collect(),
        paragraphs: content.paragraphs,
        ..Item::default()
    }
}

/// Text that may hold entities or markup, as one plain line; `None` when
/// blank.
fn plain(text: &str) -> Option<String> {
    let line = html::to_content(text, None).paragraphs.join(" ");
    Some(line).filter(|l| !l.trim().is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case::nothing_changed(Some(false), false, false, Decision::Agreed(false))]
    #[case::read_in_kanbao(Some(false), true, false, Decision::Push(true))]
    #[case::unread_in_kanbao(Some(true), false, true, Decision::Push(false))]
    #[case::read_on_the_server(Some(false), false, true, Decision::Pull(true))]
    #[case::unread_on_the_server(Some(true), true, false, Decision::Pull(false))]
    #[case::both_read(Some(false), true, true, Decision::Agreed(true))]
    #[case::new_and_read_on_the_server(None, false, true, Decision::Pull(true))]
    #[case::new_and_read_in_kanbao(None, true, false, Decision::Push(true))]
    fn marks_are_decided_by_the_side_that_changed(
        #[case] base: Option<bool>,
        #[case] local: bool,
        #[case] server: bool,
        #[case] decision: Decision,
    ) {
        assert_eq!(decide(base, local, server), decision);
    }

    #[test]
    fn numeric_entities_are_decoded_in_titles() {
        assert_eq!(
            plain("&#20013;&#22269;&#12288;&#26032;&#38395;").as_deref(),
            Some("中国\u{3000}新闻")
        );
    }
}
