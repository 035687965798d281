//! A web feed's store: its items as files in one folder, and what the last
//! fetch learnt (ETag, Last-Modified, when).
//!
//! Each item lives in `<slug>-<hash>.txt`, named from its guid alone: the
//! same item always lands in the same file, so fetching again never makes
//! a duplicate, and an item whose content changed replaces its file. The
//! slug keeps only ASCII letters, digits and `-`, so no guid (`../../x`,
//! `C:\x`) can name a path outside the folder. Files are written atomically
//! ([`crate::atomic`]): an interrupted fetch leaves no half-written item.

use std::fs;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::source::item::Item;

/// What storing a fetch's items did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StoreReport {
    pub new: usize,
    pub updated: usize,
    pub unchanged: usize,
}

/// The file an item with this guid is stored in (a name, not a path).
pub fn file_name(guid: &str) -> String {
    let tail = guid
        .trim_end_matches(['/', '\\'])
        .rsplit(['/', '\\', ':', '?', '=', '#'])
        .find(|s| !s.is_empty())
        .unwrap_or("");
    let tail = tail.rsplit_once('.').map_or(tail, |(stem, _)| stem);
    let mut slug: String = tail
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    slug = slug
        .split('-')
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    slug.truncate(40);
    let slug = slug.trim_end_matches('-');
    let slug = if slug.is_empty() { "item" } else { slug };
    format!("{slug}-{}.txt", hash(guid))
}

/// 12 hex digits of a stable 64-bit FNV-1a hash.
fn hash(text: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    format!("{:012x}", h >> 16)
}

/// Stores `items` in `folder` (created if needed). Items already stored
/// with the same content are left alone; changed ones are rewritten.
pub fn store(folder: &Path, items: &[Item]) -> Result<StoreReport, String> {
    let mut seen = std::collections::HashSet::new();
    let named: Vec<(String, &Item)> = items
        .iter()
        // The same guid twice in one feed: the first (newest) wins.
        .filter(|item| seen.insert(item.guid.as_str()))
        .map(|item| (file_name(&item.guid), item))
        .collect();
    write_items(folder, &named)
}

/// Like [`store`], with each item's file name given (an e-paper's items
/// are named by their place on the 版面). The names must be plain file
/// names; ones with a path separator or starting with `.` are not written.
pub fn store_named(folder: &Path, items: &[(String, Item)]) -> Result<StoreReport, String> {
    let named: Vec<(String, &Item)> = items
        .iter()
        .filter(|(name, _)| !name.starts_with('.') && !name.contains(['/', '\\']))
        .map(|(name, item)| (name.clone(), item))
        .collect();
    write_items(folder, &named)
}

fn write_items(folder: &Path, items: &[(String, &Item)]) -> Result<StoreReport, String> {
    fs::create_dir_all(folder).map_err(|e| {
        format!(
            "cannot create {}: {}",
            folder.display(),
            crate::io_message::io_message(&e)
        )
    })?;
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
    crate::atomic::write_many(folder, &writes).map_err(|e| {
        format!(
            "cannot store items in {}: {}",
            folder.display(),
            crate::io_message::io_message(&e)
        )
    })?;
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

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case::url("https://example.com/news/2023/0308/abc.html", "abc-")]
    #[case::trailing_slash("https://example.com/story/", "story-")]
    #[case::escape_up("../../x", "x-")]
    #[case::windows("C:\\x", "x-")]
    #[case::han("https://example.com/新闻/", "item-")]
    #[case::query("https://example.com/?p=123", "123-")]
    #[case::empty("", "item-")]
    fn names_stay_inside_the_folder(#[case] guid: &str, #[case] start: &str) {
        let name = file_name(guid);
        assert!(name.starts_with(start), "{name}");
        assert!(name.ends_with(".txt"));
        assert!(
            name.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.'),
            "{name}"
        );
        assert!(!name.starts_with('.'));
        assert_eq!(Path::new(&name).components().count(), 1);
    }

    #[test]
    fn distinct_guids_get_distinct_files() {
        assert_ne!(file_name("https://a/x.html"), file_name("https://b/x.html"));
        assert_eq!(file_name("https://a/x.html"), file_name("https://a/x.html"));
    }
}
