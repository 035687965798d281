//! A photo's bytes: from the image cache, else fetched with the same HTTP
//! rules as the feed it came with, and kept.
//!
//! The cache is `$XDG_CACHE_HOME/kanbao/images/` (else
//! `~/.cache/kanbao/images/`): one file per address, named by a hash of it,
//! written atomically. After each file is added, the oldest files (by
//! modification time; a read refreshes it) are removed until the folder
//! holds at most [`CACHE_CAP`] bytes. The cache is only a cache: when it
//! cannot be read or written, photos are fetched each time.

use std::ffi::OsStr;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use crate::config::FetchOptions;

use super::http::{self, FetchError, Fetched, Request};

/// The most bytes the image cache keeps.
pub const CACHE_CAP: u64 = 200 * 1024 * 1024;

/// The image cache's folder: `$XDG_CACHE_HOME/kanbao/images`, else
/// `~/.cache/kanbao/images`; `None` without either.
pub fn cache_folder(cache: Option<&OsStr>, home: Option<&OsStr>) -> Option<PathBuf> {
    let base = match cache.filter(|c| !c.is_empty() && Path::new(c).is_absolute()) {
        Some(c) => PathBuf::from(c),
        None => Path::new(home.filter(|h| !h.is_empty())?).join(".cache"),
    };
    Some(base.join("kanbao").join("images"))
}

/// The image cache: a folder and the most bytes it may hold.
#[derive(Debug, Clone)]
pub struct Cache {
    pub folder: PathBuf,
    pub cap: u64,
}

impl Cache {
    /// The cache where the environment puts it, with [`CACHE_CAP`].
    pub fn from_env() -> Option<Cache> {
        let folder = cache_folder(
            std::env::var_os("XDG_CACHE_HOME").as_deref(),
            std::env::var_os("HOME").as_deref(),
        )?;
        Some(Cache {
            folder,
            cap: CACHE_CAP,
        })
    }

    fn path(&self, url: &str) -> PathBuf {
        // FNV-1a, 64 bits: the address's own characters never name a path.
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for b in url.bytes() {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
        self.folder.join(format!("{hash:016x}"))
    }

    /// The bytes kept for `url`, if any; marks them as just used.
    pub fn load(&self, url: &str) -> Option<Vec<u8>> {
        let path = self.path(url);
        let bytes = fs::read(&path).ok()?;
        if let Ok(file) = fs::File::options().write(true).open(&path) {
            let _ = file.set_modified(SystemTime::now());
        }
        Some(bytes)
    }

    /// Keeps `bytes` for `url`, then trims the cache to its cap. Failures
    /// are ignored: the photo was fetched, and is shown all the same.
    pub fn store(&self, url: &str, bytes: &[u8]) {
        if u64::try_from(bytes.len()).map_or(true, |n| n > self.cap) {
            return;
        }
        if crate::atomic::write(&self.path(url), bytes).is_ok() {
            evict(&self.folder, self.cap);
        }
    }
}

/// Removes the least recently used files of `folder` until it holds at most
/// `cap` bytes. Hidden files (an unfinished write) are left alone.
pub fn evict(folder: &Path, cap: u64) {
    let Ok(entries) = fs::read_dir(folder) else {
        return;
    };
    let mut files: Vec<(SystemTime, u64, PathBuf)> = entries
        .flatten()
        .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
        .filter_map(|e| {
            let meta = e.metadata().ok().filter(fs::Metadata::is_file)?;
            let time = meta.modified().unwrap_or(SystemTime::UNIX_EPOCH);
            Some((time, meta.len(), e.path()))
        })
        .collect();
    let mut total: u64 = files.iter().map(|(_, len, _)| len).sum();
    files.sort();
    for (_, len, path) in files {
        if total <= cap {
            break;
        }
        if fs::remove_file(&path).is_ok() {
            total = total.saturating_sub(len);
        }
    }
}

/// Fetches the photo at `url` within `options` (the feed's `timeout`,
/// `max_size` and `headers`; redirects and http/https only as for feeds).
/// A body the server labels as text (an error page served with 200) is
/// refused here; whether the bytes are a picture is for the decoder.
pub fn fetch(url: &str, options: &FetchOptions) -> Result<Vec<u8>, FetchError> {
    match http::fetch(&Request::with_options(url, options))? {
        Fetched::Body {
            content_type: Some(kind),
            ..
        } if kind.starts_with("text/") || kind.contains("html") || kind.contains("xml") => {
            Err(FetchError(format!(
                "the server sent {kind}, not a picture; check the address"
            )))
        }
        Fetched::Body { bytes, .. } => Ok(bytes),
        Fetched::NotModified => Err(FetchError(
            "the server answered 304 to a request without validators; try again later".to_owned(),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn the_folder_follows_xdg_then_home() {
        assert_eq!(
            cache_folder(Some(OsStr::new("/c")), Some(OsStr::new("/h"))),
            Some(PathBuf::from("/c/kanbao/images"))
        );
        assert_eq!(
            cache_folder(Some(OsStr::new("relative")), Some(OsStr::new("/h"))),
            Some(PathBuf::from("/h/.cache/kanbao/images"))
        );
        assert_eq!(cache_folder(None, None), None);
    }

    #[test]
    fn the_cache_keeps_what_was_used_last_within_its_cap() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let cache = Cache {
            folder: dir.path().join("images"),
            cap: 2_500,
        };
        let old = SystemTime::now() - Duration::from_secs(3_600);
        for (n, url) in ["http://a/1.png", "http://a/2.png"].iter().enumerate() {
            cache.store(url, &[n as u8; 1_000]);
            let file = fs::File::options().write(true).open(cache.path(url));
            let set = file.and_then(|f| f.set_modified(old + Duration::from_secs(n as u64)));
            assert!(set.is_ok(), "{set:?}");
        }
        // Reading 1 makes it the newest; storing 3 goes over the cap and
        // removes 2, the least recently used.
        assert_eq!(cache.load("http://a/1.png"), Some(vec![0; 1_000]));
        cache.store("http://a/3.png", &[3; 1_000]);
        assert_eq!(cache.load("http://a/2.png"), None);
        assert!(cache.load("http://a/1.png").is_some());
        assert!(cache.load("http://a/3.png").is_some());
        // A file larger than the whole cap is not kept at all.
        cache.store("http://a/big.png", &[9; 3_000]);
        assert_eq!(cache.load("http://a/big.png"), None);
        assert!(cache.load("http://a/3.png").is_some());
    }

    #[test]
    fn names_in_the_cache_come_from_a_hash() {
        let cache = Cache {
            folder: PathBuf::from("/c"),
            cap: 1,
        };
        let path = cache.path("http://x/../../etc/passwd");
        assert_eq!(path.parent(), Some(Path::new("/c")));
        assert_eq!(path.file_name().map(|n| n.len()), Some(16));
    }
}
