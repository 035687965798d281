//! A web feed's store: its items as text files in one folder, and what
//! the last fetch learnt (ETag, Last-Modified, when).
//!
//! A web feed's items are bundled by day ([`crate::source::bundle`]): one
//! `items-YYYY-MM-DD.txt` per date (`items-undated.txt` for items of no
//! date), each item in it behind a `+++ item <hash> +++` line. A fetch
//! rewrites only the days whose items changed; an item is told apart by its
//! guid, so fetching again never makes a duplicate, and an item whose date
//! changed moves to its new day. Stores written before bundles (one
//! `<slug>-<hash>.txt` per item, named from the guid alone) are read as
//! they are: an item still in such a file stays there while it is
//! unchanged, and when it changes it is written into its day's bundle
//! first and its old file removed after, so a crash in between leaves the
//! item twice for a while (the next fetch removes the old file), never
//! nowhere. Files are written atomically ([`crate::atomic`]): an
//! interrupted fetch leaves no half-written file.
//!
//! E-paper articles are stored one per file, named by their place on the
//! 版面 ([`store_named`]).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::io_message::io_message;
use crate::source::bundle::{self, Chunk};
use crate::source::item::Item;

pub use crate::source::bundle::file_name;

/// What storing a fetch's items did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StoreReport {
    pub new: usize,
    pub updated: usize,
    pub unchanged: usize,
}

/// Stores `items` in `folder` (created if needed), bundled by day. Items
/// already stored with the same content are left alone; changed ones are
/// rewritten in their day's bundle. Each item is dropped once its text is
/// made, so that a large fetch does not hold its items and their text at
/// once.
pub fn store(folder: &Path, items: Vec<Item>) -> Result<StoreReport, String> {
    create_folder(folder)?;
    crate::atomic::remove_leftovers(folder);
    let mut store = Stored::read(folder)?;
    let mut seen = HashSet::new();
    let mut report = StoreReport::default();
    // The same guid twice in one feed: the first (newest) wins.
    for item in items {
        if seen.insert(item.guid.clone()) {
            store.put(&item, &mut report);
        }
    }
    store.write()?;
    Ok(report)
}

fn create_folder(folder: &Path) -> Result<(), String> {
    fs::create_dir_all(folder)
        .map_err(|e| format!("cannot create {}: {}", folder.display(), io_message(&e)))
}

/// A store's items as they are on disk, and what a fetch changes.
struct Stored {
    folder: PathBuf,
    /// Each day's bundle by file name.
    days: BTreeMap<String, Day>,
    /// Where each item of a bundle is, by the hash of its guid.
    by_hash: HashMap<String, Vec<(String, usize)>>,
    /// The names of the other `.txt` files: items stored one per file.
    loose: HashSet<String>,
    /// Loose files whose items are now in a bundle.
    superseded: Vec<String>,
}

/// A day's items; `None` where an item moved to another day.
#[derive(Default)]
struct Day {
    chunks: Vec<Option<Chunk>>,
    changed: bool,
}

impl Stored {
    fn read(folder: &Path) -> Result<Stored, String> {
        let entries = fs::read_dir(folder)
            .map_err(|e| format!("cannot read {}: {}", folder.display(), io_message(&e)))?;
        let mut stored = Stored {
            folder: folder.to_path_buf(),
            days: BTreeMap::new(),
            by_hash: HashMap::new(),
            loose: HashSet::new(),
            superseded: Vec::new(),
        };
        for entry in entries.flatten() {
            let Ok(name) = entry.file_name().into_string() else {
                continue;
            };
            if name.starts_with('.') || !name.ends_with(".txt") {
                continue;
            }
            if !bundle::is_day_name(&name) {
                stored.loose.insert(name);
                continue;
            }
            let path = entry.path();
            // A bundle that cannot be read would lose its items if it
            // were written again: the fetch stops instead.
            let text = fs::read_to_string(&path).map_err(|e| {
                format!(
                    "cannot read {}: {}; fix it or move it out of the store, then fetch again",
                    path.display(),
                    io_message(&e)
                )
            })?;
            let chunks = bundle::split(&text);
            for (n, chunk) in chunks.iter().enumerate() {
                let places = stored.by_hash.entry(chunk.hash.clone()).or_default();
                places.push((name.clone(), n));
            }
            let day = Day {
                chunks: chunks.into_iter().map(Some).collect(),
                changed: false,
            };
            stored.days.insert(name, day);
        }
        Ok(stored)
    }

    /// Stores one item: unchanged, updated in place, moved to another day,
    /// or new.
    fn put(&mut self, item: &Item, report: &mut StoreReport) {
        let text = item.to_file();
        let hash = bundle::guid_hash(&item.guid);
        let day = bundle::day_name(item.date().as_deref());
        let own_name = file_name(&item.guid);
        if let Some((name, n)) = self.find(&hash, &item.guid, &text) {
            if self.loose.remove(&own_name) {
                // Left by a fetch that stopped before removing it.
                self.superseded.push(own_name);
            }
            let Some(at) = self.days.get_mut(&name) else {
                return;
            };
            let same = at.chunks[n].as_ref().is_some_and(|c| c.text == text);
            if same && name == day {
                report.unchanged += 1;
                return;
            }
            report.updated += 1;
            at.changed = true;
            if name == day {
                at.chunks[n] = Some(chunk(hash, text));
                return;
            }
            at.chunks[n] = None;
        } else if self.loose.contains(&own_name) {
            if fs::read(self.folder.join(&own_name)).is_ok_and(|old| old == text.as_bytes()) {
                report.unchanged += 1;
                return;
            }
            report.updated += 1;
            self.loose.remove(&own_name);
            self.superseded.push(own_name);
        } else {
            report.new += 1;
        }
        let at = self.days.entry(day.clone()).or_default();
        at.chunks.push(Some(chunk(hash.clone(), text)));
        at.changed = true;
        let n = at.chunks.len() - 1;
        self.by_hash.entry(hash).or_default().push((day, n));
    }

    /// Which bundle holds the item of `guid` (whose text is `text`), and
    /// where in it.
    fn find(&self, hash: &str, guid: &str, text: &str) -> Option<(String, usize)> {
        let places = self.by_hash.get(hash)?;
        let guid_line = text.lines().nth(1);
        let holds = |c: &Chunk| {
            // Kanbao writes the guid first: its line tells, else the whole
            // front matter read.
            c.text.lines().nth(1) == guid_line
                || Item::from_file(&c.text).is_ok_and(|stored| stored.guid == guid)
        };
        places
            .iter()
            .find(|(name, n)| {
                (self.days.get(name))
                    .and_then(|d| d.chunks.get(*n))
                    .and_then(Option::as_ref)
                    .is_some_and(holds)
            })
            .cloned()
    }

    /// Writes the changed days, then removes what they supersede: loose
    /// files of items now bundled, and days left with no item.
    fn write(self) -> Result<(), String> {
        let folder = &self.folder;
        let mut writes = Vec::new();
        let mut removals = self.superseded;
        for (name, day) in self.days.into_iter().filter(|(_, d)| d.changed) {
            let size = (day.chunks.iter().flatten())
                .map(|c| bundle::DELIMITER.len() + c.hash.len() + c.text.len() + 8)
                .sum();
            let mut text = String::with_capacity(size);
            for chunk in day.chunks.iter().flatten() {
                bundle::push_chunk(&mut text, &chunk.hash, &chunk.text);
            }
            if text.is_empty() {
                removals.push(name);
            } else {
                writes.push((folder.join(name), text.into_bytes()));
            }
        }
        write_files(folder, &writes)?;
        crate::atomic::remove_many(folder, &removals).map_err(|e| {
            format!(
                "cannot remove stored items in {} that were bundled: {}; \
                 they are bundled and will be removed by the next fetch",
                folder.display(),
                io_message(&e)
            )
        })
    }
}

fn chunk(hash: String, text: String) -> Chunk {
    Chunk {
        hash,
        text,
        first_line: 0,
        last_line: 0,
    }
}

/// Like [`store`], with each item's file name given (an e-paper's items
/// are named by their place on the 版面), one file per item. The names
/// must be plain file names; ones with a path separator or starting with
/// `.` are not written.
pub fn store_named(folder: &Path, items: &[(String, Item)]) -> Result<StoreReport, String> {
    let named: Vec<(String, &Item)> = items
        .iter()
        .filter(|(name, _)| !name.starts_with('.') && !name.contains(['/', '\\']))
        .map(|(name, item)| (name.clone(), item))
        .collect();
    write_items(folder, &named)
}

fn write_items(folder: &Path, items: &[(String, &Item)]) -> Result<StoreReport, String> {
    create_folder(folder)?;
    crate::atomic::remove_leftovers(folder);
    let mut report = StoreReport::default();
    let mut writes = Vec::new();
    for (name, item) in items {
        let path = folder.join(name);
        let text = item.to_file();
        match fs::read(&path) {
            Ok(old) if old == text.as_bytes() => {
                report.unchanged += 1;
                continue;
            }
            Ok(_) => report.updated += 1,
            Err(_) => report.new += 1,
        }
        writes.push((path, text.into_bytes()));
    }
    write_files(folder, &writes)?;
    Ok(report)
}

/// What the last fetch of a feed learnt, kept in `<store>/.fetch.toml`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FetchState {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub etag: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modified: Option<String>,
    /// Unix seconds of the last successful fetch.
    #[serde(default)]
    pub fetched_at: u64,
}

/// Where a store keeps its fetch state.
pub fn state_path(folder: &Path) -> PathBuf {
    folder.join(".fetch.toml")
}

impl FetchState {
    /// The state of the last fetch; a missing or unreadable file is a fresh
    /// start (the next fetch is unconditional), never an error.
    pub fn load(folder: &Path) -> FetchState {
        fs::read_to_string(state_path(folder))
            .ok()
            .and_then(|t| toml::from_str(&t).ok())
            .unwrap_or_default()
    }

    pub fn save(&self, folder: &Path) -> Result<(), String> {
        let text = toml::to_string(self).unwrap_or_default();
        let path = state_path(folder);
        crate::atomic::write(&path, text.as_bytes()).map_err(|e| {
            format!(
                "cannot write {}: {}",
                path.display(),
                crate::io_message::io_message(&e)
            )
        })
    }
}

/// Writes the store's files `writes` into `folder` atomically; the error
/// names the folder.
fn write_files(folder: &Path, writes: &[(PathBuf, Vec<u8>)]) -> Result<(), String> {
    crate::atomic::write_many(folder, writes).map_err(|e| {
        format!(
            "cannot store items in {}: {}",
            folder.display(),
            io_message(&e)
        )
    })
}
