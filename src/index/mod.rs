//! The archive's index: start-up without parsing, and search.
//!
//! Parsing a page is fast, but an archive of years holds hundreds of
//! thousands of articles. The index keeps, per source file, what parsing it
//! gave (the articles' fields without their bodies, the warnings) and the
//! search postings of its text, in segment files under
//! `$XDG_CACHE_HOME/kanbao/` ([`segment`]). Opening the library reads those;
//! bodies are read from the source file when an article is opened.
//!
//! Freshness is per source file: its path, size, modification time and the
//! parser version. [`Index::refresh`] walks the feed folders, reparses only
//! what is new or changed, and writes those (with markers for files that are
//! gone) as one new segment; the newest segment's entry for a path wins.
//! Past [`MAX_SEGMENTS`] the small segments are merged. A `MANIFEST` names the
//! live segments and is replaced atomically, so a crash leaves the old index
//! or the new one; a missing, foreign or damaged index is rebuilt. Writers
//! take a lock file, so two kanbao processes do not interleave.
//!
//! Why a format of our own rather than SQLite's FTS5 or tantivy: see
//! README.md, "The index".

mod chunks;
pub mod format;
pub mod fresh;
pub mod grams;
mod postings;
mod radix;
pub mod search;
pub mod segment;
pub mod snapshot;

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::ffi::OsStr;
use std::fs;
use std::io::{self, Cursor};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::mpsc::RecvTimeoutError;
use std::time::{Duration, UNIX_EPOCH};

use crate::config::{Config, FeedConfig};
use crate::library::{self, Articles, Library, PageKey};
use crate::model::{Article, Warning};
use crate::source;

use chunks::ChunkWriter;
use fresh::{FolderList, Freshness, Seen};
pub use search::Search;
use segment::{Builder, OpenError, Roots, Segment, SourceInfo};
pub use snapshot::{Snapshot, Unrefreshed};

/// Version of what the page and item parsers produce. Bump it whenever a
/// change to `source` or `feed` changes the articles read from a file: every
/// index is then rebuilt.
pub const PARSER_VERSION: u32 = 6;

/// Segments kept before the small ones are merged into one.
pub const MAX_SEGMENTS: usize = 8;

const MANIFEST: &str = "MANIFEST";
const MANIFEST_HEAD: &str = "kanbao-index";

/// The index of one archive (one set of configured feeds) in its folder.
#[derive(Debug, Clone)]
pub struct Index {
    dir: PathBuf,
    parser: u32,
    /// The segment names last read from the manifest.
    last_manifest: Arc<std::sync::Mutex<Option<Vec<String>>>>,
}

/// How far indexing has got.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// Files read so far and in all.
    pub done: usize,
    pub total: usize,
    /// Bytes of source text read so far.
    pub bytes: u64,
}

/// What a refresh found and did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Refreshed {
    /// Files read because they were new or had changed.
    pub read: usize,
    /// Files gone since the last refresh.
    pub removed: usize,
    /// Bytes of source text read.
    pub bytes: u64,
    /// The whole index was (re)built: none was usable.
    pub rebuilt: bool,
    /// Problems met while walking the folders.
    pub warnings: Vec<Warning>,
}

impl Refreshed {
    /// Whether the library changed.
    pub fn changed(&self) -> bool {
        self.read > 0 || self.removed > 0 || self.rebuilt
    }
}

/// Why the index could not be used.
#[derive(Debug)]
pub enum IndexError {
    /// There is none yet (or it is for another parser version).
    Missing,
    /// It is damaged; it should be rebuilt.
    Corrupt(String),
    /// It cannot be read or written.
    Io(String),
}

impl std::fmt::Display for IndexError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            IndexError::Missing => f.write_str("no index yet"),
            IndexError::Corrupt(why) => write!(f, "the index is damaged: {why}"),
            IndexError::Io(why) => f.write_str(why),
        }
    }
}

/// The library and its search, from the index or built in memory.
#[derive(Clone, PartialEq, Eq)]
pub struct Opened<A = Vec<Article>> {
    pub library: Library<A>,
    pub search: Search,
}

impl<A: Articles> std::fmt::Debug for Opened<A> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Opened")
            .field("articles", &self.library.articles.count())
            .finish()
    }
}

/// The folder for the index of `config`'s feeds: `$XDG_CACHE_HOME/kanbao`
/// (else `~/.cache/kanbao`), then `index-` and a fingerprint of the feeds,
/// so that two configs never share an index. `None` without a home.
pub fn locate(config: &Config) -> Option<PathBuf> {
    locate_in(
        std::env::var_os("XDG_CACHE_HOME").as_deref(),
        std::env::var_os("HOME").as_deref(),
        config,
    )
}

/// [`locate`] with the environment given.
pub fn locate_in(cache: Option<&OsStr>, home: Option<&OsStr>, config: &Config) -> Option<PathBuf> {
    let base = match cache.filter(|c| !c.is_empty() && Path::new(c).is_absolute()) {
        Some(c) => PathBuf::from(c),
        None => Path::new(home.filter(|h| !h.is_empty())?).join(".cache"),
    };
    Some(
        base.join("kanbao")
            .join(format!("index-{}", fingerprint(config))),
    )
}

/// A hash of what decides the articles read: each feed's id, kind, folder,
/// section and title.
fn fingerprint(config: &Config) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for feed in &config.feeds {
        let folder = fs::canonicalize(&feed.path).unwrap_or_else(|_| feed.path.clone());
        let kind = format!("{:?}", feed.kind);
        for part in [
            feed.id.as_str(),
            &kind,
            &folder.to_string_lossy(),
            feed.section.as_deref().unwrap_or(""),
            &feed.title,
        ] {
            for b in part.bytes().chain([0x1f]) {
                hash ^= u64::from(b);
                hash = hash.wrapping_mul(0x0100_0000_01b3);
            }
        }
    }
    format!("{:016x}", hash)
}

impl Index {
    /// The index in `dir`, for parser version [`PARSER_VERSION`].
    pub fn at(dir: impl Into<PathBuf>) -> Index {
        Index::with_parser(dir, PARSER_VERSION)
    }

    /// The index in `dir` for another parser version (tests use this to
    /// see a version bump rebuild the index).
    pub fn with_parser(dir: impl Into<PathBuf>, parser: u32) -> Index {
        Index {
            dir: dir.into(),
            parser,
            last_manifest: Arc::default(),
        }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Opens what the index holds, without looking at the source files.
    pub fn load(&self, config: &Config) -> Result<Opened, IndexError> {
        self.load_with(config, &[])
    }

    /// [`Index::load`], the articles kept as `A` (the reader keeps them
    /// compact).
    pub fn load_as<A: Articles>(&self, config: &Config) -> Result<Opened<A>, IndexError> {
        self.load_with(config, &[])
    }

    /// The first `articles` articles of the library (and a few more, to
    /// the end of a page), for a first screen: the rest are not read.
    /// The search of a front is empty.
    pub fn load_front(&self, config: &Config, articles: usize) -> Result<Opened, IndexError> {
        let segments = self.read_segments_retrying(false, &Roots::of(config))?;
        let snapshot = Snapshot::new(config, segments, &[]);
        Ok(Opened {
            library: snapshot.front_with(config, articles, None, true),
            search: Search::empty(),
        })
    }

    /// [`Index::load`], with the warnings of a walk of the folders put
    /// where a fresh load would give them.
    pub fn load_with<A: Articles>(
        &self,
        config: &Config,
        walk_warnings: &[Warning],
    ) -> Result<Opened<A>, IndexError> {
        let segments = self.read_segments_retrying(true, &Roots::of(config))?;
        Ok(assemble(config, segments, walk_warnings))
    }

    /// The live segments; when a refresh by another process drops a
    /// segment between reading the manifest and opening it, the new
    /// manifest is read.
    fn read_segments_retrying(
        &self,
        check: bool,
        roots: &Roots,
    ) -> Result<Vec<Segment>, IndexError> {
        let mut tries = 0;
        loop {
            match self.read_segments(check, roots) {
                Err(IndexError::Corrupt(_)) if tries < 5 && self.manifest_changed() => tries += 1,
                other => return other,
            }
        }
    }

    /// Whether the manifest now names segments other than the last read.
    fn manifest_changed(&self) -> bool {
        let now = self.read_manifest().ok();
        let last = self.last_manifest.lock().unwrap_or_else(|e| e.into_inner());
        now != *last
    }

    /// The live segments the manifest names, oldest first; with `check`,
    /// every article record is checked too.
    fn read_segments(&self, check: bool, roots: &Roots) -> Result<Vec<Segment>, IndexError> {
        let names = self.read_manifest()?;
        if let Ok(mut last) = self.last_manifest.lock() {
            *last = Some(names.clone());
        }
        // Segments are decoded side by side: a full build writes one per
        // core.
        let opened: Vec<Result<Segment, OpenError>> = std::thread::scope(|scope| {
            let handles: Vec<_> = names
                .iter()
                .map(|name| {
                    let path = self.dir.join(name);
                    scope.spawn(move || open_segment(&path, self.parser, roots, check))
                })
                .collect();
            handles
                .into_iter()
                .map(|h| {
                    h.join().unwrap_or_else(|_| {
                        Err(OpenError::Io(io::Error::other("a reading thread failed")))
                    })
                })
                .collect()
        });
        let mut segments = Vec::with_capacity(names.len());
        for (name, result) in names.into_iter().zip(opened) {
            match result {
                Ok(s) => segments.push(s),
                Err(OpenError::Io(e)) if e.kind() == io::ErrorKind::NotFound => {
                    return Err(IndexError::Corrupt(format!("segment {name} is missing")));
                }
                Err(OpenError::Io(e)) => {
                    return Err(IndexError::Io(format!(
                        "cannot read {}: {}",
                        self.dir.join(&name).display(),
                        crate::io_message::io_message(&e)
                    )));
                }
                Err(OpenError::Corrupt(c)) => {
                    return Err(IndexError::Corrupt(format!("segment {name}: {c}")));
                }
            }
        }
        Ok(segments)
    }

    /// The segment names the manifest lists, oldest first.
    fn read_manifest(&self) -> Result<Vec<String>, IndexError> {
        let path = self.dir.join(MANIFEST);
        let text = match fs::read(&path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Err(IndexError::Missing),
            Err(e) => {
                return Err(IndexError::Io(format!(
                    "cannot read {}: {}",
                    path.display(),
                    crate::io_message::io_message(&e)
                )));
            }
        };
        let text = String::from_utf8(text)
            .map_err(|_| IndexError::Corrupt("the manifest is not text".to_owned()))?;
        let mut lines = text.lines();
        let head = format!("{MANIFEST_HEAD} {} {}", segment::FORMAT, self.parser);
        match lines.next() {
            Some(first) if first == head => {}
            Some(first) if first.starts_with(MANIFEST_HEAD) => return Err(IndexError::Missing),
            _ => {
                return Err(IndexError::Corrupt(
                    "the manifest is not kanbao's".to_owned(),
                ));
            }
        }
        let mut names = Vec::new();
        let mut ended = false;
        for line in lines {
            if line == "end" {
                ended = true;
                break;
            }
            let valid = line.starts_with("seg-")
                && line.len() < 64
                && line.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
            if !valid {
                return Err(IndexError::Corrupt(format!(
                    "the manifest names \"{line}\", not a segment"
                )));
            }
            names.push(line.to_owned());
        }
        if !ended {
            return Err(IndexError::Corrupt("the manifest is cut short".to_owned()));
        }
        Ok(names)
    }

    fn write_manifest(&self, names: &[String]) -> io::Result<()> {
        let mut text = format!("{MANIFEST_HEAD} {} {}\n", segment::FORMAT, self.parser);
        for n in names {
            text.push_str(n);
            text.push('\n');
        }
        text.push_str("end\n");
        crate::atomic::write(&self.dir.join(MANIFEST), text.as_bytes())
    }

    /// Brings the index up to date with the feed folders: reads new and
    /// changed files, forgets removed ones, rebuilds a missing or damaged
    /// index. `progress` is called as files are read.
    pub fn refresh(
        &self,
        config: &Config,
        progress: &dyn Fn(Progress),
    ) -> Result<Refreshed, IndexError> {
        self.refresh_with(config, progress, Freshness::Full)
    }

    /// [`Index::refresh`], looking at the folders as thoroughly as
    /// `freshness` says.
    pub fn refresh_with(
        &self,
        config: &Config,
        progress: &dyn Fn(Progress),
        freshness: Freshness,
    ) -> Result<Refreshed, IndexError> {
        self.refresh_keeping(config, progress, freshness, None)
            .map(|(r, _)| r)
    }

    /// [`Index::refresh`], also giving the open segments when nothing
    /// changed, so that they need not be opened again.
    /// `looked`: a quick check's record of the last refresh and what a look
    /// at the folders found, when the caller looked already (see
    /// [`snapshot_with`]).
    fn refresh_keeping(
        &self,
        config: &Config,
        progress: &dyn Fn(Progress),
        freshness: Freshness,
        looked: Option<Looked>,
    ) -> Result<(Refreshed, Option<Vec<Segment>>), IndexError> {
        let io_error = |what: &str, e: io::Error| {
            IndexError::Io(format!(
                "cannot {what} the index in {}: {}",
                self.dir.display(),
                crate::io_message::io_message(&e)
            ))
        };
        fs::create_dir_all(&self.dir).map_err(|e| io_error("create", e))?;
        let _lock = Lock::take(&self.dir.join("LOCK")).map_err(|e| io_error("lock", e))?;
        let check = freshness == Freshness::Full;
        let (walked_at, seen, looked) = match looked.filter(|_| !check) {
            Some(Looked { at, seen, look }) => (at, Some(seen), look),
            None => {
                // A record made with the feeds' folders named otherwise
                // (the config named by another path) names other folders:
                // walk them all.
                let seen = (!check)
                    .then(|| Seen::read(&self.dir))
                    .flatten()
                    .filter(|seen| seen.roots == fresh::roots(config));
                (fresh::now_ns(), seen, None)
            }
        };
        let roots = Roots::of(config);
        let open = || {
            self.read_manifest().and_then(|names| {
                self.read_segments(check, &roots)
                    .map(|segments| (names, segments))
            })
        };
        // Without a record of the folders, they are walked while the
        // segments are opened; with one, the segments come first, to tell
        // which files the folders held.
        // With one, the folders are looked at while the segments open.
        let (opened, walked, looked) = match (&seen, looked) {
            (Some(_), Some(looked)) => (open(), None, Some(looked)),
            (Some(seen), None) => std::thread::scope(|scope| {
                let looking = scope.spawn(|| look(seen));
                let opened = open();
                let looked = looking.join().unwrap_or_else(|_| look(seen));
                (opened, None, Some(looked))
            }),
            (None, _) => std::thread::scope(|scope| {
                let walker = scope.spawn(|| {
                    let mut warnings = Vec::new();
                    let (files, folders) = walk_feeds_seen(config, &mut warnings, walked_at);
                    (files, warnings, folders)
                });
                let opened = open();
                let walked = walker.join().unwrap_or_else(|_| {
                    let mut warnings = Vec::new();
                    let (files, folders) = walk_feeds_seen(config, &mut warnings, walked_at);
                    (files, warnings, folders)
                });
                (opened, Some(walked), None)
            }),
        };
        let mut rebuilt = false;
        let (names, segments) = match opened {
            Ok(found) => found,
            Err(IndexError::Io(e)) => return Err(IndexError::Io(e)),
            Err(_) => {
                rebuilt = true;
                (Vec::new(), Vec::new())
            }
        };
        let (walk, walk_warnings, folders) = match (walked, seen) {
            (Some((files, warnings, folders)), _) => (Walk::Full(files), warnings, folders),
            (None, Some(seen)) if !rebuilt => {
                let looked = looked.unwrap_or_else(|| look(&seen));
                match quick_walk(config, &seen, looked, walked_at) {
                    None => return Ok((Refreshed::default(), Some(segments))),
                    Some(mut delta) => {
                        let warnings = std::mem::take(&mut delta.warnings);
                        let folders = std::mem::take(&mut delta.folders);
                        delta.carry(config, &segments);
                        (Walk::Delta(Box::new(delta)), warnings, folders)
                    }
                }
            }
            (None, _) => {
                let mut warnings = Vec::new();
                let (files, folders) = walk_feeds_seen(config, &mut warnings, walked_at);
                (Walk::Full(files), warnings, folders)
            }
        };
        let (plan, recent) = match &walk {
            Walk::Full(files) => (plan_full(files, &segments), newest(files.iter())),
            Walk::Delta(delta) => (plan_delta(config, delta, &segments), delta.recent()),
        };
        let Plan {
            wanted,
            removed,
            removed_count,
            stays,
        } = plan;
        let seen = Seen {
            walked_at,
            roots: fresh::roots(config),
            recent,
            folders,
        };
        if wanted.is_empty() && removed.is_empty() && !rebuilt {
            self.write_seen(&seen);
            let unchanged = Refreshed {
                warnings: walk_warnings,
                ..Refreshed::default()
            };
            return Ok((unchanged, Some(segments)));
        }
        let removed: Vec<(&str, &str)> = removed
            .iter()
            .map(|(path, feed)| (path.as_str(), feed.as_str()))
            .collect();
        let parts = split(&wanted);
        let (base, generation) = unique_name();
        let made: Vec<String> = (0..parts.len()).map(|n| format!("{base}-{n}")).collect();
        let temp = |n: usize| self.dir.join(format!(".{}.tmp", made[n]));
        let built = build_parts(
            |n| {
                // Whole 2 MiB chunks: the pages cached stay large
                // (see `chunks`).
                ChunkWriter::new(fs::File::create(temp(n))?)
            },
            self.parser,
            generation,
            config,
            &parts,
            &removed,
            progress,
        );
        let renamed = built.and_then(|(_, bytes)| {
            for (n, name) in made.iter().enumerate() {
                fs::rename(temp(n), self.dir.join(name))?;
            }
            Ok(bytes)
        });
        let bytes = match renamed {
            Ok(bytes) => bytes,
            Err(e) => {
                for n in 0..made.len() {
                    let _ = fs::remove_file(temp(n));
                }
                return Err(io_error("write", e));
            }
        };
        let mut keep: Vec<String> = names
            .into_iter()
            .zip(stays.iter().chain(std::iter::repeat(&true)))
            .filter(|(_, stays)| **stays)
            .map(|(name, _)| name)
            .collect();
        keep.extend(made.iter().cloned());
        self.write_manifest(&keep)
            .map_err(|e| io_error("write", e))?;
        self.remove_unlisted(&keep);
        self.write_seen(&seen);
        let refreshed = Refreshed {
            read: wanted.len(),
            removed: removed_count,
            bytes,
            rebuilt,
            warnings: walk_warnings,
        };
        // The segments that stay are open already: only the new ones are
        // opened (if one cannot be, the caller reads the manifest again).
        let new: Option<Vec<Segment>> = made
            .iter()
            .map(|name| open_segment(&self.dir.join(name), self.parser, &roots, check).ok())
            .collect();
        let Some(new) = new else {
            return Ok((refreshed, None));
        };
        let mut open: Vec<Segment> = segments
            .into_iter()
            .zip(&stays)
            .filter_map(|(segment, stays)| stays.then_some(segment))
            .collect();
        open.extend(new);
        Ok((refreshed, Some(open)))
    }

    /// Records what a refresh saw of the folders; when it cannot be
    /// written, the old record is removed, so the next quick check is a
    /// full one.
    fn write_seen(&self, seen: &Seen) {
        if seen.write(&self.dir).is_err() {
            let _ = fs::remove_file(self.dir.join(fresh::FILE));
        }
    }

    /// Deletes files of the index folder that the manifest does not name.
    fn remove_unlisted(&self, keep: &[String]) {
        let Ok(entries) = fs::read_dir(&self.dir) else {
            return;
        };
        for entry in entries.filter_map(Result::ok) {
            let name = entry.file_name().to_string_lossy().into_owned();
            let ours = name.starts_with("seg-") || name.ends_with(".tmp");
            if ours && !keep.contains(&name) {
                let _ = fs::remove_file(entry.path());
            }
        }
    }
}

/// Opens the segment at `path`: with `check`, every source and article
/// record decoded and checked; without, lazily, only its source rows
/// checked (records are checked as they are read).
fn open_segment(
    path: &Path,
    parser: u32,
    roots: &Roots,
    check: bool,
) -> Result<Segment, OpenError> {
    if check {
        let segment = Segment::open(path, parser, roots)?;
        segment.check_records()?;
        Ok(segment)
    } else {
        let segment = Segment::open_lazy(path, parser, roots)?;
        segment.check_rows()?;
        Ok(segment)
    }
}

/// Opens `config`'s library through its index: refreshed first, rebuilt if
/// missing or damaged. Where no index can be kept (no home, a read-only
/// cache), everything is read into memory and a warning says why.
pub fn open(config: &Config, progress: &dyn Fn(Progress)) -> Opened {
    open_as(config, progress)
}

/// [`open`], the articles kept as `A` (the reader keeps them compact).
pub fn open_as<A: Articles>(config: &Config, progress: &dyn Fn(Progress)) -> Opened<A> {
    let Some(dir) = locate(config) else {
        let mut opened = in_memory_as(config, progress);
        opened.library.warnings.push(Warning::new(
            "index",
            None,
            "no cache folder (set HOME or XDG_CACHE_HOME); reading every page at start",
        ));
        return opened;
    };
    open_with_as(&Index::at(dir), config, progress, Freshness::Full)
}

/// [`open`] with the index given.
pub fn open_at(index: &Index, config: &Config, progress: &dyn Fn(Progress)) -> Opened {
    open_at_as(index, config, progress)
}

/// [`open_at`], the articles kept as `A`.
pub fn open_at_as<A: Articles>(
    index: &Index,
    config: &Config,
    progress: &dyn Fn(Progress),
) -> Opened<A> {
    open_with_as(index, config, progress, Freshness::Full)
}

/// [`open_at`], looking at the folders as thoroughly as `freshness` says.
pub fn open_with(
    index: &Index,
    config: &Config,
    progress: &dyn Fn(Progress),
    freshness: Freshness,
) -> Opened {
    open_with_as(index, config, progress, freshness)
}

/// [`open_with`], the articles kept as `A`.
pub fn open_with_as<A: Articles>(
    index: &Index,
    config: &Config,
    progress: &dyn Fn(Progress),
    freshness: Freshness,
) -> Opened<A> {
    let result = match index.refresh_keeping(config, progress, freshness, None) {
        Ok((r, Some(segments))) => Ok(assemble(config, segments, &r.warnings)),
        Ok((r, None)) => index.load_with(config, &r.warnings),
        Err(e) => Err(e),
    };
    match result {
        Ok(opened) => opened,
        Err(e) => {
            let mut opened = in_memory_as(config, progress);
            opened.library.warnings.push(Warning::new(
                &index.dir.display().to_string(),
                None,
                format!("{e}; working without the index (every page is read at start)"),
            ));
            opened
        }
    }
}

/// The library and search built in memory, for when no index can be kept.
pub fn in_memory(config: &Config, progress: &dyn Fn(Progress)) -> Opened {
    in_memory_as(config, progress)
}

fn in_memory_as<A: Articles>(config: &Config, progress: &dyn Fn(Progress)) -> Opened<A> {
    match memory_segments(config, progress) {
        Ok((segments, warnings)) => assemble(config, segments, &warnings),
        Err(e) => {
            // Memory cannot fail to write; keep going without search.
            let mut library = Library::load(config).kept::<A>();
            library.warnings.push(Warning::new("index", None, e));
            Opened {
                search: Search::empty(),
                library,
            }
        }
    }
}

/// Every source file of `config` read into segments in memory, with the
/// warnings of the walk.
fn memory_segments(
    config: &Config,
    progress: &dyn Fn(Progress),
) -> Result<(Vec<Segment>, Vec<Warning>), String> {
    let mut warnings = Vec::new();
    let files = walk_feeds(config, &mut warnings);
    let wanted: Vec<&FileStat> = files.iter().collect();
    let parts = split(&wanted);
    let (cursors, _) = build_parts(
        |_| Ok(Cursor::new(Vec::new())),
        PARSER_VERSION,
        0,
        config,
        &parts,
        &[],
        progress,
    )
    .map_err(|e| e.to_string())?;
    let roots = Roots::of(config);
    let segments = cursors
        .into_iter()
        .map(|c| {
            Segment::from_bytes(c.into_inner(), PARSER_VERSION, &roots).map_err(|c| c.to_string())
        })
        .collect::<Result<Vec<_>, String>>()?;
    Ok((segments, warnings))
}

/// `config`'s index opened for a command ([`Snapshot`]): refreshed first,
/// rebuilt if missing or damaged; where no index can be kept, everything
/// is read into memory and a warning says why.
pub fn snapshot(config: &Config, progress: &dyn Fn(Progress), freshness: Freshness) -> Snapshot {
    let Some(dir) = locate(config) else {
        return snapshot_in_memory(
            config,
            progress,
            Warning::new(
                "index",
                None,
                "no cache folder (set HOME or XDG_CACHE_HOME); reading every page at start",
            ),
        );
    };
    snapshot_at(&Index::at(dir), config, progress, freshness)
}

/// [`snapshot`], and `work` done on it. With [`Freshness::Quick`] and a
/// record of the last refresh, `work` is done on the index as it stands
/// while the folders are looked at (at a million articles the look is
/// most of a command's wait); if they changed, its result is dropped, the
/// index refreshed (with that look) and `work` done again. `work` must
/// only read: it may run twice.
pub fn snapshot_with<T>(
    config: &Config,
    progress: &dyn Fn(Progress),
    freshness: Freshness,
    work: impl Fn(&Snapshot) -> T,
) -> (Snapshot, T) {
    if freshness == Freshness::Quick
        && let Some(dir) = locate(config)
    {
        let index = Index::at(dir);
        let looked = match index.optimistic(config, &work) {
            Ok(done) => return done,
            Err(looked) => looked.map(|l| *l),
        };
        let snapshot = snapshot_looked(&index, config, progress, freshness, looked);
        let result = work(&snapshot);
        return (snapshot, result);
    }
    let snapshot = snapshot(config, progress, freshness);
    let result = work(&snapshot);
    (snapshot, result)
}

/// A quick check's look at the folders ([`look`]), with the record it
/// compared and when it began.
struct Looked {
    at: i64,
    seen: Seen,
    /// `None` when the look is left to the refresh.
    look: Option<Look>,
}

impl Index {
    /// `work` done on the index as it stands while the folders are looked
    /// at; its result when nothing changed, else the look (if one was
    /// made) for the refresh.
    fn optimistic<T>(
        &self,
        config: &Config,
        work: &impl Fn(&Snapshot) -> T,
    ) -> Result<(Snapshot, T), Option<Box<Looked>>> {
        let at = fresh::now_ns();
        let seen = Seen::read(&self.dir)
            .filter(|seen| seen.roots == fresh::roots(config))
            .ok_or(None)?;
        // A feed's folder changed (a day's folder added or removed, the
        // usual change): the work on the index as it stands would be
        // thrown away, and meanwhile take a core from the look.
        let root_changed = seen
            .folders
            .roots()
            .any(|(path, then)| then < 0 || fresh::folder_mtime(Path::new(path)) != Some(then));
        if root_changed {
            let look = None;
            return Err(Some(Box::new(Looked { at, seen, look })));
        }
        let (done, look) = std::thread::scope(|scope| {
            let looking = scope.spawn(|| look(&seen));
            let done = self
                .read_segments_retrying(false, &Roots::of(config))
                .ok()
                .map(|segments| {
                    let snapshot = Snapshot::new(config, segments, &[]);
                    let result = work(&snapshot);
                    (snapshot, result)
                });
            let look = looking.join().unwrap_or_else(|_| look(&seen));
            (done, look)
        });
        match done {
            Some(done) if !changed(config, &seen, &look) => Ok(done),
            _ => Err(Some(Box::new(Looked {
                at,
                seen,
                look: Some(look),
            }))),
        }
    }
}

/// [`snapshot`] with the index given.
pub fn snapshot_at(
    index: &Index,
    config: &Config,
    progress: &dyn Fn(Progress),
    freshness: Freshness,
) -> Snapshot {
    snapshot_looked(index, config, progress, freshness, None)
}

/// [`snapshot_at`], with the look at the folders made already.
fn snapshot_looked(
    index: &Index,
    config: &Config,
    progress: &dyn Fn(Progress),
    freshness: Freshness,
    looked: Option<Looked>,
) -> Snapshot {
    let result = match index.refresh_keeping(config, progress, freshness, looked) {
        Ok((r, Some(segments))) => Ok((segments, r.warnings)),
        Ok((r, None)) => index
            .read_segments_retrying(false, &Roots::of(config))
            .map(|segments| (segments, r.warnings)),
        Err(e) => Err(e),
    };
    match result {
        Ok((segments, warnings)) => Snapshot::new(config, segments, &warnings),
        Err(e) => snapshot_in_memory(
            config,
            progress,
            Warning::new(
                &index.dir.display().to_string(),
                None,
                format!("{e}; working without the index (every page is read at start)"),
            ),
        ),
    }
}

/// A snapshot of everything read into memory, with `why` said last.
fn snapshot_in_memory(config: &Config, progress: &dyn Fn(Progress), why: Warning) -> Snapshot {
    let mut snapshot = match memory_segments(config, progress) {
        Ok((segments, walked)) => Snapshot::new(config, segments, &walked),
        Err(e) => {
            let mut empty = Snapshot::new(config, Vec::new(), &[]);
            empty.warnings.push(Warning::new("index", None, e));
            empty
        }
    };
    snapshot.warnings.push(why);
    snapshot
}

/// A source file found by walking the feed folders.
#[derive(Debug)]
struct FileStat {
    feed: usize,
    path: PathBuf,
    size: u64,
    mtime: i64,
}

/// The source files of every feed, with the warnings of folders that
/// could not be read (a missing feed folder is left to `assemble`, which
/// warns about it even when the files are not walked).
fn walk_feeds(config: &Config, warnings: &mut Vec<Warning>) -> Vec<FileStat> {
    walk_feeds_seen(config, warnings, fresh::now_ns()).0
}

/// [`walk_feeds`], also giving the folders listed, as [`Seen::folders`]
/// records them for a walk that began at `walked_at`.
fn walk_feeds_seen(
    config: &Config,
    warnings: &mut Vec<Warning>,
    walked_at: i64,
) -> (Vec<FileStat>, FolderList) {
    let mut out = Vec::new();
    let mut folders = FolderList::default();
    for (n, feed) in config.feeds.iter().enumerate() {
        if !feed.path.is_dir() {
            continue;
        }
        let mut paths = Vec::new();
        let mut folder = |dir: &Path, depth: usize, listed: bool| {
            let mtime = listed.then(|| fresh::folder_mtime(dir)).flatten();
            let time = Seen::folder_time(walked_at, mtime);
            folders.push(&dir.display().to_string(), depth as u32, time);
        };
        library::walk_from(&feed.path, 0, &mut paths, &mut folder, warnings);
        out.extend(FileStat::all(n, paths));
    }
    (out, folders)
}

/// The files of a walk that changed most recently.
fn newest<'a>(files: impl Iterator<Item = &'a FileStat>) -> Vec<(String, u64, i64)> {
    let mut by_time: Vec<&FileStat> = files.collect();
    let keep = fresh::RECENT_FILES.min(by_time.len());
    if keep < by_time.len() {
        by_time.select_nth_unstable_by_key(keep, |f| std::cmp::Reverse(f.mtime));
        by_time.truncate(keep);
    }
    by_time
        .into_iter()
        .map(|f| (f.display().into_owned(), f.size, f.mtime))
        .collect()
}

/// What the quick check finds now of what the last refresh saw: per
/// folder its time (`None`: no longer a folder), per newest file its size
/// and time (`u64::MAX, i64::MIN`: gone).
struct Look {
    now: Vec<Option<i64>>,
    recent: Vec<(u64, i64)>,
}

/// Looks at the folders and the newest files `seen` lists.
fn look(seen: &Seen) -> Look {
    let paths: Vec<&str> = seen.folders.paths().collect();
    let now = fresh::stat_all(&paths)
        .into_iter()
        .map(|s| s.filter(|s| s.folder).map(|s| s.mtime))
        .collect();
    let paths: Vec<&str> = seen.recent.iter().map(|(p, _, _)| p.as_str()).collect();
    let recent = fresh::stat_all(&paths)
        .into_iter()
        .map(|s| s.map_or((u64::MAX, i64::MIN), |s| (s.size, s.mtime)))
        .collect();
    Look { now, recent }
}

/// What a refresh compares with the index: every file (a full walk), or
/// only what changed since the last refresh (a quick one).
enum Walk {
    Full(Vec<FileStat>),
    Delta(Box<Delta>),
}

/// What the quick check ([`Freshness::Quick`]) found changed since the
/// last refresh: the folders whose names changed, listed again (and the
/// new ones walked), and the newest files as they are now. The rest of
/// the archive is as the index has it.
struct Delta {
    /// The files now in the folders looked at again.
    listed: Vec<FileStat>,
    /// The newest files outside them that changed, as they are now.
    touched: Vec<FileStat>,
    /// Per segment: it stays ([`Delta::carry`]).
    stays: Vec<bool>,
    /// Files held by segments merged away, to read again.
    carried: Vec<FileStat>,
    /// Markers of files gone held by segments merged away, to write
    /// again: path, feed.
    markers: Vec<(String, String)>,
    /// Per feed, the keys ([`Roots::folder_key`]) of the folders looked
    /// at again or gone: the index's entries there give way to `listed`.
    changed: Vec<HashSet<u64, KeyState>>,
    /// The newest files the last refresh saw, outside those folders: path,
    /// feed, size and time then, size and time now.
    recent: Vec<(String, usize, SizeTime, SizeTime)>,
    warnings: Vec<Warning>,
    /// The folders, as [`Seen::folders`] records them.
    folders: FolderList,
}

/// A file's size and modification time (ns).
type SizeTime = (u64, i64);

/// Keys ([`segment::key_of`]) are hashes already: a table of them need
/// not hash them again.
type KeyState = std::hash::BuildHasherDefault<segment::KeyHasher>;

/// Sets of the folders' paths (tens of thousands at a million articles)
/// hash them eight bytes at a time ([`fresh::PathHasher`]).
type PathState = std::hash::BuildHasherDefault<fresh::PathHasher>;

impl Delta {
    /// Whether source `row` of feed `feed` lies in a folder looked at
    /// again.
    fn replaces(&self, feed: usize, row: &segment::Row) -> bool {
        self.changed
            .get(feed)
            .is_some_and(|c| c.contains(&row.folder))
    }

    /// Decides which segments stay ([`stays`]) and, for a merge, takes
    /// over what the dropped ones held: their live files outside the
    /// folders listed again are read again (as indexed: the quick check
    /// trusts their folders), and their markers of files gone are written
    /// again where a staying segment still lists the file.
    fn carry(&mut self, config: &Config, segments: &[Segment]) {
        self.stays = stays(segments);
        if self.stays.iter().all(|s| *s) {
            return;
        }
        let live = live(config, segments);
        // A marker of a file gone, in a segment merged away, is written
        // again where the file is not live but a staying segment lists it:
        // only those few paths are looked for among every source (not
        // every source's path put in a table, 222,222 at a million).
        let mut asked: HashSet<u64, KeyState> = HashSet::default();
        for ((segment, live), stays) in segments.iter().zip(&live).zip(&self.stays) {
            if *stays {
                continue;
            }
            for (feed, row) in live.iter().zip(segment.rows()) {
                if let Some(row) = row.filter(|row| feed.is_none() && row.removed) {
                    asked.insert(row.path);
                }
            }
        }
        let mut live_keys: HashSet<u64, KeyState> = HashSet::default();
        let mut staying_keys: HashSet<u64, KeyState> = HashSet::default();
        if !asked.is_empty() {
            for ((segment, live), stays) in segments.iter().zip(&live).zip(&self.stays) {
                for (feed, row) in live.iter().zip(segment.rows()) {
                    let Some(row) = row.filter(|row| asked.contains(&row.path)) else {
                        continue;
                    };
                    if feed.is_some() {
                        live_keys.insert(row.path);
                    }
                    if *stays && !row.removed {
                        staying_keys.insert(row.path);
                    }
                }
            }
        }
        let touched: HashSet<Cow<str>> = self.touched.iter().map(FileStat::display).collect();
        let mut carried = Vec::new();
        let mut marked: HashSet<String> = HashSet::new();
        for ((segment, live), stays) in segments.iter().zip(&live).zip(&self.stays) {
            if *stays {
                continue;
            }
            for (n, (feed, row)) in live.iter().zip(segment.rows()).enumerate() {
                let Some(row) = row else { continue };
                match feed {
                    Some(feed) if !self.replaces(*feed as usize, &row) => {
                        let Some(info) = segment.source(n) else {
                            continue;
                        };
                        if touched.contains(info.path.as_str()) {
                            continue;
                        }
                        let info = info.into_owned();
                        carried.push(FileStat {
                            feed: *feed as usize,
                            path: PathBuf::from(&info.path),
                            size: info.size,
                            mtime: info.mtime,
                        });
                    }
                    None if row.removed
                        && !live_keys.contains(&row.path)
                        && staying_keys.contains(&row.path) =>
                    {
                        if let Some(info) = segment.source(n)
                            && marked.insert(info.path.clone())
                        {
                            self.markers.push((info.path.clone(), info.feed.clone()));
                        }
                    }
                    _ => {}
                }
            }
        }
        self.carried = carried;
    }

    /// The newest files now ([`Seen::recent`]): those the last refresh
    /// saw, as they are now and not gone, and those listed.
    fn recent(&self) -> Vec<(String, u64, i64)> {
        let mut all: Vec<(String, u64, i64)> = self
            .recent
            .iter()
            .filter(|(_, _, _, (size, _))| *size != u64::MAX)
            .map(|(path, _, _, (size, mtime))| (path.clone(), *size, *mtime))
            .collect();
        all.extend(
            self.listed
                .iter()
                .map(|f| (f.display().into_owned(), f.size, f.mtime)),
        );
        let keep = fresh::RECENT_FILES.min(all.len());
        if keep < all.len() {
            all.select_nth_unstable_by_key(keep, |(_, _, mtime)| std::cmp::Reverse(*mtime));
            all.truncate(keep);
        }
        all
    }
}

/// What a refresh reads and marks gone.
struct Plan<'a> {
    /// Files new or changed (or held by a segment being merged away).
    wanted: Vec<&'a FileStat>,
    /// Files to mark gone: path, feed.
    removed: Vec<(String, String)>,
    /// How many files the library lost.
    removed_count: usize,
    /// Per segment: it stays (past [`MAX_SEGMENTS`] the small ones are
    /// merged into the new one).
    stays: Vec<bool>,
}

/// Per segment: whether it stays. Past [`MAX_SEGMENTS`], only the
/// largest do, at most half as many, none under a quarter of the largest;
/// the rest are merged into the new segment, what they held read again.
fn stays(segments: &[Segment]) -> Vec<bool> {
    let merging = segments.len() >= MAX_SEGMENTS;
    let largest = segments.iter().map(Segment::len).max().unwrap_or(0);
    let mut stays: Vec<bool> = segments
        .iter()
        .map(|s| !merging || s.len().saturating_mul(4) >= largest.max(1))
        .collect();
    if merging {
        let mut by_size: Vec<usize> = (0..segments.len()).filter(|&n| stays[n]).collect();
        by_size.sort_by_key(|&n| std::cmp::Reverse(segments[n].len()));
        for &n in by_size.iter().skip(MAX_SEGMENTS / 2) {
            stays[n] = false;
        }
    }
    stays
}

/// The plan of a refresh that walked every file.
fn plan_full<'a>(files: &'a [FileStat], segments: &[Segment]) -> Plan<'a> {
    let live = live_sources(segments);
    // Files to read: new or changed. Past MAX_SEGMENTS, the small
    // segments are dropped and what they held is read again: deltas
    // are small, and the big segments of a full build stay.
    let stays = stays(segments);
    let merging = stays.iter().any(|s| !s);
    let mut wanted: Vec<&FileStat> = Vec::new();
    for file in files {
        match live.get(&*file.display()) {
            Some(&(seg, info)) => {
                let same = info.size == file.size && info.mtime == file.mtime;
                if !same || !stays[seg] {
                    wanted.push(file);
                }
            }
            None => wanted.push(file),
        }
    }
    let mut walked: HashSet<Cow<str>, PathState> =
        HashSet::with_capacity_and_hasher(files.len(), PathState::default());
    walked.extend(files.iter().map(FileStat::display));
    let mut removed: Vec<(String, String)> = Vec::new();
    if merging {
        // Every file a staying segment still lists and that is gone:
        // the markers that hid it may be in a dropped segment.
        let mut marked: HashSet<&str, PathState> = HashSet::default();
        for (segment, _) in segments.iter().zip(&stays).filter(|(_, s)| **s) {
            for info in segment.sources().iter().filter(|i| !i.removed) {
                let path = info.path.as_str();
                if !walked.contains(path) && marked.insert(path) {
                    removed.push((path.to_owned(), info.feed.clone()));
                }
            }
        }
    } else {
        for (path, &(_, info)) in &live {
            if !walked.contains(*path) {
                removed.push(((*path).to_owned(), info.feed.clone()));
            }
        }
    }
    removed.sort_unstable();
    // Without a merge, `removed` is exactly the live files gone.
    let removed_count = if merging {
        live.keys().filter(|p| !walked.contains(**p)).count()
    } else {
        removed.len()
    };
    Plan {
        wanted,
        removed,
        removed_count,
        stays,
    }
}

/// The plan of a quick refresh without a merge: only the index's entries
/// in the folders looked at again are decoded and compared with what they
/// hold now; of the rest, only the newest files that changed are read.
fn plan_delta<'a>(config: &Config, delta: &'a Delta, segments: &[Segment]) -> Plan<'a> {
    let live = live(config, segments);
    // The live entries of the folders looked at again.
    // Per path: size, time, feed, whether its segment stays.
    let mut indexed: HashMap<String, (u64, i64, usize, bool)> = HashMap::new();
    for ((segment, live), stays) in segments.iter().zip(&live).zip(&delta.stays) {
        for (n, (feed, row)) in live.iter().zip(segment.rows()).enumerate() {
            let (Some(feed), Some(row)) = (feed, row) else {
                continue;
            };
            if delta.replaces(*feed as usize, &row)
                && let Some(info) = segment.source(n)
            {
                let entry = (info.size, info.mtime, *feed as usize, *stays);
                indexed.insert(info.path.clone(), entry);
            }
        }
    }
    // Listed files new or changed, or whose entry is merged away; the
    // newest files that changed; the files merged away.
    let wanted: Vec<&FileStat> = delta
        .listed
        .iter()
        .filter(|f| {
            indexed
                .get(&*f.display())
                .is_none_or(|&(size, mtime, _, stays)| !stays || (size, mtime) != (f.size, f.mtime))
        })
        .chain(&delta.touched)
        .chain(&delta.carried)
        .collect();
    let listed: HashSet<Cow<str>> = delta.listed.iter().map(FileStat::display).collect();
    let mut removed: Vec<(String, String)> = indexed
        .iter()
        .filter(|(path, _)| !listed.contains(path.as_str()))
        .map(|(path, &(_, _, feed, _))| (path.clone(), config.feeds[feed].id.clone()))
        .collect();
    let removed_count = removed.len();
    removed.extend(
        delta
            .markers
            .iter()
            .filter(|(path, _)| !listed.contains(path.as_str()))
            .cloned(),
    );
    removed.sort_unstable();
    Plan {
        wanted,
        removed_count,
        removed,
        stays: delta.stays.clone(),
    }
}

/// The quick check ([`Freshness::Quick`]) against what the last refresh
/// `seen`: `None` when no folder changed and none of the newest files did;
/// else what changed ([`Delta`]): the changed folders listed again, the
/// new ones walked, the newest files looked at.
fn quick_walk(config: &Config, seen: &Seen, look: Look, walked_at: i64) -> Option<Delta> {
    if !changed(config, seen, &look) {
        return None;
    }
    let Look { now, recent } = look;
    let changed = changed_folders(seen, &now);
    let new_roots = new_roots(config, seen);
    // The folders the last walk saw: a sub-folder of a changed folder not
    // among them is new, and walked.
    let mut known: HashSet<&str, PathState> =
        HashSet::with_capacity_and_hasher(seen.folders.len(), PathState::default());
    known.extend(seen.folders.paths());
    let feed_of = |path: &Path| config.feeds.iter().position(|f| path.starts_with(&f.path));
    let roots = Roots::of(config);
    let mut delta = Delta {
        listed: Vec::new(),
        touched: Vec::new(),
        stays: Vec::new(),
        carried: Vec::new(),
        markers: Vec::new(),
        changed: config.feeds.iter().map(|_| HashSet::default()).collect(),
        recent: Vec::new(),
        warnings: Vec::new(),
        folders: FolderList::with_capacity(seen.folders.len(), 0),
    };
    // Changed folders listed again; folders new to them walked.
    for ((path, depth, then), now) in seen.folders.iter().zip(&now) {
        if !changed.contains(path) {
            delta.folders.push(path, depth, then);
            continue;
        }
        let dir = Path::new(path);
        let Some(feed) = feed_of(dir) else { continue };
        delta.changed[feed].insert(roots.folder_key(&config.feeds[feed].id, path));
        if now.is_none() {
            continue; // gone: its files are gone
        }
        let entries = match library::list_folder(dir) {
            Ok(entries) => entries,
            Err(w) => {
                delta.warnings.push(w);
                delta.folders.push(path, depth, -1);
                continue;
            }
        };
        delta
            .folders
            .push(path, depth, Seen::folder_time(walked_at, *now));
        for entry in entries {
            match entry {
                library::Entry::Page(file) => delta.listed.push(FileStat::of(feed, file)),
                library::Entry::Folder(sub) => {
                    let known = match sub.to_str() {
                        Some(name) => known.contains(name),
                        None => known.contains(sub.display().to_string().as_str()),
                    };
                    if known || depth as usize >= library::MAX_DEPTH {
                        continue;
                    }
                    walk_new(feed, &sub, depth as usize + 1, walked_at, &mut delta);
                }
            }
        }
    }
    for (feed, config) in new_roots {
        walk_new(feed, &config.path, 0, walked_at, &mut delta);
    }
    // The newest files outside the folders listed: those that changed
    // are read again.
    for ((path, size, mtime), now) in seen.recent.iter().zip(recent) {
        let file = Path::new(path);
        let Some(feed) = feed_of(file) else { continue };
        let folder = file.parent().map(|p| p.display().to_string());
        let key = roots.folder_key(&config.feeds[feed].id, folder.as_deref().unwrap_or(""));
        if !delta.changed[feed].contains(&key) {
            delta
                .recent
                .push((path.clone(), feed, (*size, *mtime), now));
        }
    }
    delta.touched = delta
        .recent
        .iter()
        .filter(|(_, _, then, now)| then != now)
        .map(|(path, feed, _, (size, mtime))| FileStat {
            feed: *feed,
            path: PathBuf::from(path),
            size: *size,
            mtime: *mtime,
        })
        .collect();
    Some(delta)
}

/// Whether a quick check's `look` finds anything changed since the last
/// refresh `seen`: a folder's time (or a folder to look at again), a new
/// feed folder, or one of the newest files.
fn changed(config: &Config, seen: &Seen, look: &Look) -> bool {
    let recent_changed = seen
        .recent
        .iter()
        .zip(&look.recent)
        .any(|((_, size, mtime), now)| *now != (*size, *mtime));
    if recent_changed || !changed_folders(seen, &look.now).is_empty() {
        return true;
    }
    !new_roots(config, seen).is_empty()
}

/// The folders of `seen` whose time is not as recorded `now` (or was
/// not to be trusted).
fn changed_folders<'a>(seen: &'a Seen, now: &[Option<i64>]) -> HashSet<&'a str, PathState> {
    seen.folders
        .iter()
        .zip(now)
        .filter(|&((_, _, then), now)| then < 0 || *now != Some(then))
        .map(|((path, _, _), _)| path)
        .collect()
}

/// The feeds whose folder the last walk (`seen`) did not find and that
/// are there now.
fn new_roots<'a>(config: &'a Config, seen: &Seen) -> Vec<(usize, &'a FeedConfig)> {
    let roots: Vec<&str> = seen.folders.roots().map(|(path, _)| path).collect();
    config
        .feeds
        .iter()
        .enumerate()
        .filter(|(_, f)| !roots.contains(&f.path.display().to_string().as_str()) && f.path.is_dir())
        .collect()
}

/// Walks a folder the last refresh did not see, adding its files and
/// folders to `delta`.
fn walk_new(feed: usize, dir: &Path, depth: usize, walked_at: i64, delta: &mut Delta) {
    let mut paths = Vec::new();
    let folders = &mut delta.folders;
    let mut folder = |dir: &Path, depth: usize, listed: bool| {
        let mtime = listed.then(|| fresh::folder_mtime(dir)).flatten();
        folders.push(
            &dir.display().to_string(),
            depth as u32,
            Seen::folder_time(walked_at, mtime),
        );
    };
    library::walk_from(dir, depth, &mut paths, &mut folder, &mut delta.warnings);
    delta
        .listed
        .extend(paths.into_iter().map(|path| FileStat::of(feed, path)));
}

impl FileStat {
    /// File `path` of feed number `feed`, looked at now; one that cannot
    /// be looked at is read anyway, so that its warning is recorded.
    fn of(feed: usize, path: PathBuf) -> FileStat {
        let (size, mtime) = match fs::metadata(&path) {
            Ok(m) => (m.len(), mtime_ns(&m)),
            Err(_) => (u64::MAX, i64::MIN),
        };
        FileStat {
            feed,
            path,
            size,
            mtime,
        }
    }

    /// Files `paths` of feed number `feed`, looked at now as [`FileStat::of`]
    /// does, but each from its folder's descriptor, and by two threads
    /// when there are many ([`fresh::stat_all`]): a full walk of a million
    /// articles looks at 200,000 files, and finding each by its whole
    /// path was most of the walk.
    fn all(feed: usize, paths: Vec<PathBuf>) -> Vec<FileStat> {
        // A name that is not UTF-8 is looked at as "", which finds nothing.
        let names: Vec<&str> = paths.iter().map(|p| p.to_str().unwrap_or("")).collect();
        let stats = fresh::stat_all(&names);
        drop(names);
        paths
            .into_iter()
            .zip(stats)
            .map(|(path, stat)| match stat {
                Some(stat) => FileStat {
                    feed,
                    path,
                    size: stat.size,
                    mtime: stat.mtime,
                },
                // Gone since it was listed, or a name that is not UTF-8:
                // as `of` finds it.
                None => FileStat::of(feed, path),
            })
            .collect()
    }

    /// Its path as the index names it (as `Path::display` writes it). Not
    /// kept beside the path: a walk of a million articles' files holds
    /// 200,000 of them while the reader has its library loaded.
    fn display(&self) -> Cow<'_, str> {
        self.path.to_string_lossy()
    }
}

fn mtime_ns(m: &fs::Metadata) -> i64 {
    m.modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| i64::try_from(d.as_nanos()).unwrap_or(i64::MAX))
}

/// Files read by one thread before another is worth starting.
const FILES_PER_THREAD: usize = 256;

/// Bytes of source text one segment of a build holds at most: what a
/// building thread holds in memory (its postings and records) grows with
/// it, so a large archive is built in more parts than threads, as many
/// at a time as there are threads.
const PART_BYTES: u64 = 640 << 20;

/// How often a build in progress reports how far it is.
const PROGRESS_EVERY: Duration = Duration::from_millis(20);

/// The threads that build at once.
fn build_threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get().min(4))
}

/// `files` cut into one part per thread, or more where they hold more than
/// [`PART_BYTES`] each (at least one part, maybe empty).
fn split<'a, 'b>(files: &'b [&'a FileStat]) -> Vec<&'b [&'a FileStat]> {
    let threads = (files.len() / FILES_PER_THREAD).clamp(1, build_threads());
    // A file that could not be looked at (size u64::MAX) is read as a
    // warning, not as text.
    let bytes: u64 = files
        .iter()
        .map(|f| {
            if f.size == u64::MAX {
                0
            } else {
                f.size.min(PART_BYTES)
            }
        })
        .sum();
    let by_size = usize::try_from(bytes.div_ceil(PART_BYTES)).unwrap_or(usize::MAX);
    let count = threads.max(by_size.next_multiple_of(threads));
    let size = files.len().div_ceil(count).max(1);
    let mut parts: Vec<&[&FileStat]> = files.chunks(size).collect();
    if parts.is_empty() {
        parts.push(&[]);
    }
    parts
}

/// Files and bytes read so far, shared by the building threads.
#[derive(Default)]
struct Counters {
    files: AtomicUsize,
    bytes: AtomicU64,
}

/// Builds one segment per part, each on its own thread, into the output
/// `make(n)` gives for part `n`; markers for `removed` go into the first.
/// Progress is reported from this thread while they run. Returns the
/// outputs and the bytes read.
fn build_parts<W: io::Write + io::Seek + Send>(
    make: impl Fn(usize) -> io::Result<W> + Sync,
    parser: u32,
    generation: u64,
    config: &Config,
    parts: &[&[&FileStat]],
    removed: &[(&str, &str)],
    progress: &dyn Fn(Progress),
) -> io::Result<(Vec<W>, u64)> {
    let total: usize = parts.iter().map(|p| p.len()).sum();
    let counters = Counters::default();
    let report = || Progress {
        done: counters.files.load(Ordering::Relaxed),
        total,
        bytes: counters.bytes.load(Ordering::Relaxed),
    };
    progress(report());
    // Each thread takes the next part until none is left.
    let next = AtomicUsize::new(0);
    let done: Vec<std::sync::Mutex<Option<io::Result<W>>>> =
        parts.iter().map(|_| std::sync::Mutex::new(None)).collect();
    // Each thread holds a sender until it ends (a panic drops it too): the
    // channel closes when the last one ends, which wakes the progress
    // loop at once; a small build (a day's edition) takes a few
    // milliseconds, less than one wait between reports.
    let (running, ended) = std::sync::mpsc::channel::<()>();
    std::thread::scope(|scope| {
        for _ in 0..build_threads().min(parts.len()) {
            let (make, counters, next, done) = (&make, &counters, &next, &done);
            let running = running.clone();
            scope.spawn(move || {
                let _running = running;
                loop {
                    let n = next.fetch_add(1, Ordering::Relaxed);
                    let Some(files) = parts.get(n) else { break };
                    let removed = if n == 0 { removed } else { &[] };
                    let built = make(n)
                        .and_then(|out| Builder::new(out, parser, generation))
                        .and_then(|builder| build(builder, config, files, removed, counters));
                    let failed = built.is_err();
                    if let Ok(mut slot) = done[n].lock() {
                        *slot = Some(built);
                    }
                    if failed {
                        // No part is started after one failed.
                        next.store(parts.len(), Ordering::Relaxed);
                        break;
                    }
                }
            });
        }
        drop(running);
        while let Err(RecvTimeoutError::Timeout) = ended.recv_timeout(PROGRESS_EVERY) {
            progress(report());
        }
    });
    progress(report());
    // A part no thread finished (one failed first, or panicked) fails the
    // build.
    let outputs = done
        .into_iter()
        .map(|slot| {
            slot.into_inner()
                .ok()
                .flatten()
                .unwrap_or_else(|| Err(io::Error::other("an indexing thread failed")))
        })
        .collect::<io::Result<Vec<W>>>()?;
    Ok((outputs, counters.bytes.load(Ordering::Relaxed)))
}

/// Reads `files` and writes them (and markers for `removed`) as a segment
/// with `builder`, counting what it read in `counters`.
fn build<W: io::Write + io::Seek>(
    mut builder: Builder<W>,
    config: &Config,
    files: &[&FileStat],
    removed: &[(&str, &str)],
    counters: &Counters,
) -> io::Result<W> {
    let bytes = files
        .iter()
        .fold(0u64, |sum, f| sum.saturating_add(f.size.min(u64::MAX / 4)));
    builder.expect_source_bytes(bytes);
    for file in files {
        let feed = &config.feeds[file.feed];
        let (info, articles) = read_source(feed, file);
        counters
            .bytes
            .fetch_add(info.size.min(u64::MAX / 4), Ordering::Relaxed);
        builder.add(info, &articles)?;
        counters.files.fetch_add(1, Ordering::Relaxed);
    }
    for (path, feed) in removed {
        builder.remove((*path).to_owned(), (*feed).to_owned());
    }
    builder.finish(&Roots::of(config))
}

/// Reads one source file as the library would: its placed articles and
/// its warnings.
fn read_source(feed: &FeedConfig, file: &FileStat) -> (SourceInfo, Vec<Article>) {
    let relative = library::relative_name(&feed.path, &file.path);
    let mut info = SourceInfo::read(
        file.display().into_owned(),
        feed.id.clone(),
        file.size,
        file.mtime,
    );
    match source::read_page(&file.path, &file.display()) {
        Ok(parsed) => {
            let key = PageKey::from_relative(&relative);
            let articles = library::place(parsed, feed, &key, &relative, &mut info.warnings);
            (info, articles)
        }
        Err(w) => {
            info.failed = true;
            info.warnings.push(w);
            (info, Vec::new())
        }
    }
}

/// For each path, the newest segment's entry (segment number, entry).
fn live_sources(segments: &[Segment]) -> HashMap<&str, (usize, &SourceInfo), PathState> {
    let sources = segments.iter().map(Segment::source_count).sum();
    let mut live: HashMap<&str, (usize, &SourceInfo), PathState> =
        HashMap::with_capacity_and_hasher(sources, PathState::default());
    for (n, segment) in segments.iter().enumerate().rev() {
        for info in segment.sources() {
            live.entry(info.path.as_str()).or_insert((n, info));
        }
    }
    live.retain(|_, (_, info)| !info.removed);
    live
}

/// Per segment, per source: the number of its feed in `config` when the
/// library holds it: it is the newest segment's entry for its path, not a
/// marker that the file is gone, and of a configured feed. Worked out from
/// the sources' rows ([`segment::Row`]): a record is decoded only where a
/// newer generation lists its path's key, to compare the paths. Segments
/// of one generation never share a path, so only older generations are
/// looked up.
fn live(config: &Config, segments: &[Segment]) -> Vec<Vec<Option<u32>>> {
    let feeds: Vec<u64> = config
        .feeds
        .iter()
        .map(|f| segment::feed_key(&f.id))
        .collect();
    let mut live: Vec<Vec<Option<u32>>> = segments
        .iter()
        .map(|s| vec![None; s.source_count()])
        .collect();
    // Newer generations' paths: key, and the first source with it.
    let mut newer: HashMap<u64, (usize, usize), KeyState> = HashMap::default();
    let same_path = |a: (usize, usize), b: (usize, usize)| {
        let path = |(s, n): (usize, usize)| segments[s].source(n).map(|i| i.into_owned().path);
        path(a).is_some_and(|p| Some(p) == path(b))
    };
    let mut end = segments.len();
    while end > 0 {
        let generation = segments[end - 1].generation;
        let start = segments[..end]
            .iter()
            .rposition(|s| s.generation != generation)
            .map_or(0, |p| p + 1);
        for seg_no in start..end {
            let segment = &segments[seg_no];
            for (n, (slot, row)) in live[seg_no].iter_mut().zip(segment.rows()).enumerate() {
                let Some(row) = row else { continue };
                if row.removed {
                    continue;
                }
                if let Some(&newest) = newer.get(&row.path)
                    && same_path((seg_no, n), newest)
                {
                    continue;
                }
                *slot = feeds.iter().position(|&f| f == row.feed).map(|f| f as u32);
            }
        }
        if start > 0 {
            for (seg_no, segment) in segments.iter().enumerate().take(end).skip(start) {
                for (n, row) in segment.rows().enumerate() {
                    if let Some(row) = row {
                        newer.entry(row.path).or_insert((seg_no, n));
                    }
                }
            }
        }
        end = start;
    }
    live
}

/// The warnings of a library of the `live` sources, feed by feed as a
/// fresh load gives them: the feed's folder, folders that could not be
/// read (from `walk_warnings`), then the files in the order the walk reads
/// them. Only the records of sources with warnings are decoded.
fn warnings_of(
    config: &Config,
    segments: &[Segment],
    live: &[Vec<Option<u32>>],
    walk_warnings: &[Warning],
) -> Vec<Warning> {
    let mut source_warnings: Vec<(u32, String, Vec<Warning>)> = Vec::new();
    for (segment, live) in segments.iter().zip(live) {
        for (n, (feed, row)) in live.iter().zip(segment.rows()).enumerate() {
            if let Some(feed) = feed
                && row.is_some_and(|row| row.warned)
                && let Some(info) = segment.source(n)
            {
                let info = info.into_owned();
                source_warnings.push((*feed, info.path, info.warnings));
            }
        }
    }
    source_warnings.sort_by(|a, b| {
        a.0.cmp(&b.0)
            .then_with(|| Path::new(&a.1).cmp(Path::new(&b.1)))
    });
    let mut warnings = Vec::new();
    let mut by_feed = source_warnings.into_iter().peekable();
    for (feed_no, feed) in config.feeds.iter().enumerate() {
        library::feed_files_checked(feed, &mut warnings);
        let folder = feed.path.display().to_string();
        warnings.extend(
            walk_warnings
                .iter()
                .filter(|w| Path::new(&w.path).starts_with(&folder))
                .cloned(),
        );
        while let Some((_, _, w)) = by_feed.next_if(|(n, _, _)| *n as usize == feed_no) {
            warnings.extend(w);
        }
    }
    warnings
}

/// A page as listed: its segment and source number there.
type PageRef = (PageKey, (u32, u32));

/// The library (in library order) and its search from open segments: what
/// the reader holds.
/// Sources decoded between two lets-go of the records read (see
/// [`assemble`]).
const RELEASE_EVERY: usize = 4096;

fn assemble<A: Articles>(
    config: &Config,
    mut segments: Vec<Segment>,
    walk_warnings: &[Warning],
) -> Opened<A> {
    let mut library = Library::<A>::default();
    let mut pages: Vec<Vec<PageRef>> = config.feeds.iter().map(|_| Vec::new()).collect();
    let live = live(config, &segments);
    for (seg_no, segment) in segments.iter().enumerate() {
        for (n, info) in segment.sources().iter().enumerate() {
            let Some(feed_no) = live[seg_no][n] else {
                continue;
            };
            if info.failed {
                continue;
            }
            let feed = &config.feeds[feed_no as usize];
            let relative = library::relative_name(&feed.path, Path::new(&info.path));
            pages[feed_no as usize]
                .push((PageKey::from_relative(&relative), (seg_no as u32, n as u32)));
        }
    }
    library.warnings = warnings_of(config, &segments, &live, walk_warnings);
    for list in &mut pages {
        list.sort_by_cached_key(|(key, _)| key.sort_key());
    }
    let wanted: usize = pages
        .iter()
        .flatten()
        .map(|(_, (seg, n))| segments[*seg as usize].sources()[*n as usize].count as usize)
        .sum();
    // Their articles, decoded page by page straight into the library: a
    // second copy of them all would double the reader's peak memory.
    library.articles.reserve(wanted);
    let mut origin: Vec<(u32, u32)> = Vec::with_capacity(wanted);
    let mut damaged: Vec<Warning> = Vec::new();
    // Each article's place in file order, before a web feed's items are
    // sorted by time: what breaks ties in search.
    let mut file_order: Vec<(u32, u32)> = Vec::new();
    // The records decoded are let go of every so often: a million
    // articles' records would otherwise all count in the reader's memory
    // by the end.
    let mut decoded = 0usize;
    for (feed_no, feed) in config.feeds.iter().enumerate() {
        let feed_pages = std::mem::take(&mut pages[feed_no]);
        let (start, order) = library.add_feed_with(feed, feed_pages, |(seg, n), out| {
            let segment = &segments[seg as usize];
            decoded += 1;
            if decoded.is_multiple_of(RELEASE_EVERY) {
                segments.iter().for_each(Segment::release_records);
            }
            match segment.articles(n as usize) {
                Ok(articles) => {
                    let first = segment.sources()[n as usize].first;
                    origin.extend((0..articles.len() as u32).map(|i| (seg, first + i)));
                    out.add(articles);
                }
                Err(why) => damaged.push(Warning::new(
                    &segment.sources()[n as usize].path,
                    None,
                    format!(
                        "its index entry is damaged ({why}); delete the cache folder to rebuild it"
                    ),
                )),
            }
        });
        file_order.extend_from_slice(&origin[start..]);
        if let Some(order) = order {
            let moved: Vec<(u32, u32)> = order.iter().map(|&i| origin[start + i]).collect();
            origin.truncate(start);
            origin.extend(moved);
        }
    }
    library.warnings.append(&mut damaged);
    library.articles.done();
    let positions = numbered(&segments, &origin)
        .into_iter()
        .map(search::Numbers::Table)
        .collect();
    let ties = numbered(&segments, &file_order);
    // Every record was read; the reader reads them no more.
    for segment in &mut segments {
        segment.release_all();
        segment.forget_sources();
    }
    let segments = segments.into_iter().map(Arc::new).collect();
    Opened {
        search: Search::new(segments, positions, ties),
        library,
    }
}

/// Per segment, per article number: its index in `order`, or
/// [`search::NONE`] where it is not there.
fn numbered(segments: &[Segment], order: &[(u32, u32)]) -> Vec<Vec<u32>> {
    let mut numbers: Vec<Vec<u32>> = segments
        .iter()
        .map(|s| vec![search::NONE; s.len()])
        .collect();
    for (n, &(seg, doc)) in order.iter().enumerate() {
        if let Some(slot) = numbers
            .get_mut(seg as usize)
            .and_then(|p| p.get_mut(doc as usize))
        {
            *slot = n as u32;
        }
    }
    numbers
}

/// A name no other refresh has used (time and process id), to which each
/// segment it writes adds its number; and the generation those segments
/// share (the time).
fn unique_name() -> (String, u64) {
    let nanos = std::time::SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    (
        format!("seg-{nanos:x}-{:x}", std::process::id()),
        nanos as u64,
    )
}

/// An exclusive lock on a file, released when dropped.
struct Lock(fs::File);

impl Lock {
    fn take(path: &Path) -> io::Result<Lock> {
        let file = fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(path)?;
        #[cfg(unix)]
        {
            use std::os::fd::AsRawFd;
            // SAFETY: flock on a descriptor we own; no memory is involved.
            let r = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX) };
            if r != 0 {
                return Err(io::Error::last_os_error());
            }
        }
        Ok(Lock(file))
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        #[cfg(unix)]
        {
            use std::os::fd::AsRawFd;
            // SAFETY: as in `take`.
            unsafe { libc::flock(self.0.as_raw_fd(), libc::LOCK_UN) };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(n: usize, size: u64) -> Vec<FileStat> {
        (0..n)
            .map(|i| FileStat {
                feed: 0,
                path: PathBuf::from(format!("{i}.txt")),
                size,
                mtime: 0,
            })
            .collect()
    }

    #[test]
    fn a_large_build_is_cut_into_parts_of_bounded_size_a_thread_each_at_a_time() {
        let threads = build_threads();
        // Few files: one part.
        let few = files(10, 1 << 20);
        let few: Vec<&FileStat> = few.iter().collect();
        assert_eq!(split(&few).len(), 1);
        // Many small files: one part per thread.
        let small = files(FILES_PER_THREAD * 8, 1 << 10);
        let small: Vec<&FileStat> = small.iter().collect();
        assert_eq!(split(&small).len(), threads);
        // More bytes than the threads' parts may hold: more parts, a
        // multiple of the threads, none holding much more than PART_BYTES.
        let big = files(10_000, 500 << 10);
        let big: Vec<&FileStat> = big.iter().collect();
        let parts = split(&big);
        let total: u64 = big.iter().map(|f| f.size).sum();
        assert!(
            parts.len() as u64 >= total.div_ceil(PART_BYTES),
            "{}",
            parts.len()
        );
        assert_eq!(parts.len() % threads, 0);
        for part in &parts {
            let bytes: u64 = part.iter().map(|f| f.size).sum();
            assert!(bytes <= PART_BYTES + (500 << 10), "{bytes}");
        }
        assert_eq!(parts.iter().map(|p| p.len()).sum::<usize>(), big.len());
        // Files that could not be looked at do not count as text.
        let mut unknown = files(FILES_PER_THREAD * 8, 1 << 10);
        unknown[0].size = u64::MAX;
        let unknown: Vec<&FileStat> = unknown.iter().collect();
        assert_eq!(split(&unknown).len(), threads);
    }
}
