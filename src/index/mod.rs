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

pub mod format;
pub mod grams;
pub mod search;
pub mod segment;

use std::collections::{HashMap, HashSet};
use std::ffi::OsStr;
use std::fs;
use std::io::{self, BufWriter, Cursor};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::UNIX_EPOCH;

use crate::config::{Config, FeedConfig, FeedKind};
use crate::library::{self, Library, PageKey};
use crate::model::{Article, Warning};
use crate::source;

pub use search::Search;
use segment::{Builder, OpenError, Segment, SourceInfo};

/// Version of what the page and item parsers produce. Bump it whenever a
/// change to `source` or `feed` changes the articles read from a file: every
/// index is then rebuilt.
pub const PARSER_VERSION: u32 = 5;

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
pub struct Opened {
    pub library: Library,
    pub search: Search,
}

impl std::fmt::Debug for Opened {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Opened")
            .field("articles", &self.library.articles.len())
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

    /// The first `articles` articles of the library (and a few more, to
    /// the end of a page), for a first screen: the rest are not read.
    /// The search of a front is empty.
    pub fn load_front(&self, config: &Config, articles: usize) -> Result<Opened, IndexError> {
        let segments = self.read_segments_retrying()?;
        Ok(assemble(config, segments, &[], Some(articles)))
    }

    /// [`Index::load`], with the warnings of a walk of the folders put
    /// where a fresh load would give them.
    pub fn load_with(
        &self,
        config: &Config,
        walk_warnings: &[Warning],
    ) -> Result<Opened, IndexError> {
        let segments = self.read_segments_retrying()?;
        Ok(assemble(config, segments, walk_warnings, None))
    }

    /// The live segments; when a refresh by another process drops a
    /// segment between reading the manifest and opening it, the new
    /// manifest is read.
    fn read_segments_retrying(&self) -> Result<Vec<Segment>, IndexError> {
        let mut tries = 0;
        loop {
            match self.read_segments() {
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

    /// The live segments the manifest names, oldest first.
    fn read_segments(&self) -> Result<Vec<Segment>, IndexError> {
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
                    scope.spawn(move || Segment::open(&path, self.parser))
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
        self.refresh_keeping(config, progress).map(|(r, _)| r)
    }

    /// [`Index::refresh`], also giving the open segments when nothing
    /// changed, so that they need not be opened again.
    fn refresh_keeping(
        &self,
        config: &Config,
        progress: &dyn Fn(Progress),
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
        // The folders are walked while the segments are opened.
        let (opened, (files, walk_warnings)) = std::thread::scope(|scope| {
            let walker = scope.spawn(|| {
                let mut warnings = Vec::new();
                let files = walk_feeds(config, &mut warnings);
                (files, warnings)
            });
            let opened = self
                .read_manifest()
                .and_then(|names| self.read_segments().map(|segments| (names, segments)));
            let walked = walker.join().unwrap_or_else(|_| {
                let mut warnings = Vec::new();
                let files = walk_feeds(config, &mut warnings);
                (files, warnings)
            });
            (opened, walked)
        });
        let mut rebuilt = false;
        let (names, segments) = match opened {
            Ok(found) => found,
            Err(IndexError::Io(e)) => return Err(IndexError::Io(e)),
            Err(_) => {
                rebuilt = true;
                (Vec::new(), Vec::new())
            }
        };
        let live = live_sources(&segments);
        // Files to read: new or changed. Past MAX_SEGMENTS, the small
        // segments are dropped and what they held is read again: deltas
        // are small, and the big segments of a full build stay.
        let merging = segments.len() >= MAX_SEGMENTS;
        let largest = segments.iter().map(Segment::len).max().unwrap_or(0);
        let mut stays: Vec<bool> = segments
            .iter()
            .map(|s| !merging || s.len().saturating_mul(4) >= largest.max(1))
            .collect();
        if merging {
            // At most half the allowed segments stay, the largest: the
            // rest are merged into the new ones.
            let mut by_size: Vec<usize> = (0..segments.len()).filter(|&n| stays[n]).collect();
            by_size.sort_by_key(|&n| std::cmp::Reverse(segments[n].len()));
            for &n in by_size.iter().skip(MAX_SEGMENTS / 2) {
                stays[n] = false;
            }
        }
        let mut wanted: Vec<&FileStat> = Vec::new();
        for file in &files {
            match live.get(file.display.as_str()) {
                Some(&(seg, info)) => {
                    let same = info.size == file.size && info.mtime == file.mtime;
                    if !same || !stays[seg] {
                        wanted.push(file);
                    }
                }
                None => wanted.push(file),
            }
        }
        let walked: HashSet<&str> = files.iter().map(|f| f.display.as_str()).collect();
        let mut removed: Vec<(&str, &str)> = Vec::new();
        if merging {
            // Every file a staying segment still lists and that is gone:
            // the markers that hid it may be in a dropped segment.
            let mut marked: HashSet<&str> = HashSet::new();
            for (segment, _) in segments.iter().zip(&stays).filter(|(_, s)| **s) {
                for info in segment.sources.iter().filter(|i| !i.removed) {
                    let path = info.path.as_str();
                    if !walked.contains(path) && marked.insert(path) {
                        removed.push((path, info.feed.as_str()));
                    }
                }
            }
        } else {
            for (path, &(_, info)) in &live {
                if !walked.contains(path) {
                    removed.push((path, info.feed.as_str()));
                }
            }
        }
        removed.sort_unstable();
        let removed_count = live.keys().filter(|p| !walked.contains(*p)).count();
        if wanted.is_empty() && removed.is_empty() && !rebuilt {
            let unchanged = Refreshed {
                warnings: walk_warnings,
                ..Refreshed::default()
            };
            return Ok((unchanged, Some(segments)));
        }
        let parts = split(&wanted);
        let made: Vec<String> = (0..parts.len()).map(|_| unique_name()).collect();
        let temp = |n: usize| self.dir.join(format!(".{}.tmp", made[n]));
        let built = build_parts(
            |n| {
                Ok(BufWriter::with_capacity(
                    1 << 20,
                    fs::File::create(temp(n))?,
                ))
            },
            self.parser,
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
        keep.extend(made);
        self.write_manifest(&keep)
            .map_err(|e| io_error("write", e))?;
        self.remove_unlisted(&keep);
        let refreshed = Refreshed {
            read: wanted.len(),
            removed: removed_count,
            bytes,
            rebuilt,
            warnings: walk_warnings,
        };
        Ok((refreshed, None))
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

/// Opens `config`'s library through its index: refreshed first, rebuilt if
/// missing or damaged. Where no index can be kept (no home, a read-only
/// cache), everything is read into memory and a warning says why.
pub fn open(config: &Config, progress: &dyn Fn(Progress)) -> Opened {
    let Some(dir) = locate(config) else {
        let mut opened = in_memory(config, progress);
        opened.library.warnings.push(Warning::new(
            "index",
            None,
            "no cache folder (set HOME or XDG_CACHE_HOME); reading every page at start",
        ));
        return opened;
    };
    open_at(&Index::at(dir), config, progress)
}

/// [`open`] with the index given.
pub fn open_at(index: &Index, config: &Config, progress: &dyn Fn(Progress)) -> Opened {
    let result = match index.refresh_keeping(config, progress) {
        Ok((r, Some(segments))) => Ok(assemble(config, segments, &r.warnings, None)),
        Ok((r, None)) => index.load_with(config, &r.warnings),
        Err(e) => Err(e),
    };
    match result {
        Ok(opened) => opened,
        Err(e) => {
            let mut opened = in_memory(config, progress);
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
    let mut warnings = Vec::new();
    let files = walk_feeds(config, &mut warnings);
    let wanted: Vec<&FileStat> = files.iter().collect();
    let parts = split(&wanted);
    let built = build_parts(
        |_| Ok(Cursor::new(Vec::new())),
        PARSER_VERSION,
        config,
        &parts,
        &[],
        progress,
    )
    .map_err(|e| e.to_string())
    .and_then(|(cursors, _)| {
        cursors
            .into_iter()
            .map(|c| Segment::from_bytes(c.into_inner(), PARSER_VERSION).map_err(|c| c.to_string()))
            .collect::<Result<Vec<_>, String>>()
    });
    match built {
        Ok(segments) => assemble(config, segments, &warnings, None),
        Err(e) => {
            // Memory cannot fail to write; keep going without search.
            let mut library = Library::load(config);
            library.warnings.push(Warning::new("index", None, e));
            Opened {
                search: Search::empty(),
                library,
            }
        }
    }
}

/// A source file found by walking the feed folders.
#[derive(Debug)]
struct FileStat {
    feed: usize,
    path: PathBuf,
    display: String,
    size: u64,
    mtime: i64,
}

/// The source files of every feed, with the warnings of folders that
/// could not be read (a missing feed folder is left to `assemble`, which
/// warns about it even when the files are not walked).
fn walk_feeds(config: &Config, warnings: &mut Vec<Warning>) -> Vec<FileStat> {
    let mut out = Vec::new();
    for (n, feed) in config.feeds.iter().enumerate() {
        for path in library::walk_feed(feed, warnings) {
            let (size, mtime) = match fs::metadata(&path) {
                Ok(m) => (m.len(), mtime_ns(&m)),
                // Unreadable: read it anyway, so its warning is recorded.
                Err(_) => (u64::MAX, i64::MIN),
            };
            out.push(FileStat {
                feed: n,
                display: path.display().to_string(),
                path,
                size,
                mtime,
            });
        }
    }
    out
}

fn mtime_ns(m: &fs::Metadata) -> i64 {
    m.modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| i64::try_from(d.as_nanos()).unwrap_or(i64::MAX))
}

/// Files read by one thread before another is worth starting.
const FILES_PER_THREAD: usize = 256;

/// `files` cut into one part per thread (at least one part, maybe empty).
fn split<'a, 'b>(files: &'b [&'a FileStat]) -> Vec<&'b [&'a FileStat]> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get().min(4));
    let threads = (files.len() / FILES_PER_THREAD).clamp(1, cores);
    let size = files.len().div_ceil(threads).max(1);
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
    let results: Vec<io::Result<W>> = std::thread::scope(|scope| {
        let handles: Vec<_> = parts
            .iter()
            .enumerate()
            .map(|(n, files)| {
                let (make, counters) = (&make, &counters);
                let removed = if n == 0 { removed } else { &[] };
                scope.spawn(move || build(make(n)?, parser, config, files, removed, counters))
            })
            .collect();
        while !handles.iter().all(|h| h.is_finished()) {
            std::thread::sleep(std::time::Duration::from_millis(20));
            progress(report());
        }
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err(io::Error::other("an indexing thread failed")))
            })
            .collect()
    });
    progress(report());
    let outputs = results.into_iter().collect::<io::Result<Vec<W>>>()?;
    Ok((outputs, counters.bytes.load(Ordering::Relaxed)))
}

/// Reads `files` and writes them (and markers for `removed`) as a segment
/// to `out`, counting what it read in `counters`.
fn build<W: io::Write + io::Seek>(
    out: W,
    parser: u32,
    config: &Config,
    files: &[&FileStat],
    removed: &[(&str, &str)],
    counters: &Counters,
) -> io::Result<W> {
    let mut builder = Builder::new(out, parser)?;
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
    builder.finish()
}

/// Reads one source file as the library would: its placed articles and
/// its warnings.
fn read_source(feed: &FeedConfig, file: &FileStat) -> (SourceInfo, Vec<Article>) {
    let relative = library::relative_name(&feed.path, &file.path);
    let mut info = SourceInfo {
        path: file.display.clone(),
        feed: feed.id.clone(),
        size: file.size,
        mtime: file.mtime,
        removed: false,
        failed: false,
        warnings: Vec::new(),
        first: 0,
        count: 0,
        meta_at: 0,
    };
    match source::read_page(&file.path, &file.display) {
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
fn live_sources(segments: &[Segment]) -> HashMap<&str, (usize, &SourceInfo)> {
    let mut live: HashMap<&str, (usize, &SourceInfo)> = HashMap::new();
    for (n, segment) in segments.iter().enumerate().rev() {
        for info in &segment.sources {
            live.entry(info.path.as_str()).or_insert((n, info));
        }
    }
    live.retain(|_, (_, info)| !info.removed);
    live
}

/// A page as listed: its segment and source number there.
type PageRef = (PageKey, (u32, u32));

/// A page's place and its articles, read.
type ReadPage = ((u32, u32), Vec<Article>);

/// The library (in library order) and its search from open segments; with
/// `front`, only the first articles (whole pages, whole web feeds) are read,
/// and the search is empty.
fn assemble(
    config: &Config,
    segments: Vec<Segment>,
    walk_warnings: &[Warning],
    front: Option<usize>,
) -> Opened {
    let mut library = Library::default();
    let feed_index: HashMap<&str, usize> = config
        .feeds
        .iter()
        .enumerate()
        .map(|(n, f)| (f.id.as_str(), n))
        .collect();
    let mut pages: Vec<Vec<PageRef>> = config.feeds.iter().map(|_| Vec::new()).collect();
    let mut source_warnings: Vec<(usize, &str, &[Warning])> = Vec::new();
    // The newest entry of each path wins.
    let mut seen: HashSet<&str> = HashSet::new();
    for (seg_no, segment) in segments.iter().enumerate().rev() {
        for (n, info) in segment.sources.iter().enumerate() {
            if !seen.insert(info.path.as_str()) || info.removed {
                continue;
            }
            let Some(&feed_no) = feed_index.get(info.feed.as_str()) else {
                continue;
            };
            source_warnings.push((feed_no, &info.path, &info.warnings));
            if info.failed {
                continue;
            }
            let feed = &config.feeds[feed_no];
            let relative = library::relative_name(&feed.path, Path::new(&info.path));
            pages[feed_no].push((PageKey::from_relative(&relative), (seg_no as u32, n as u32)));
        }
    }
    // Warnings feed by feed as a fresh load gives them: the feed's
    // folder, folders that could not be read, then the files in the order
    // the walk reads them.
    source_warnings.sort_by(|a, b| {
        a.0.cmp(&b.0)
            .then_with(|| Path::new(a.1).cmp(Path::new(b.1)))
    });
    let mut by_feed = source_warnings.into_iter().peekable();
    for (feed_no, feed) in config.feeds.iter().enumerate() {
        library::feed_files_checked(feed, &mut library.warnings);
        let folder = feed.path.display().to_string();
        library.warnings.extend(
            walk_warnings
                .iter()
                .filter(|w| Path::new(&w.path).starts_with(&folder))
                .cloned(),
        );
        while let Some((_, _, w)) = by_feed.next_if(|(n, _, _)| *n == feed_no) {
            library.warnings.extend_from_slice(w);
        }
    }
    // Pages in library order; with a front, only the first ones.
    let mut wanted = 0usize;
    for (feed_no, feed) in config.feeds.iter().enumerate() {
        let list = &mut pages[feed_no];
        list.sort_by_cached_key(|(key, _)| key.sort_key());
        if let Some(limit) = front {
            if wanted >= limit {
                list.clear();
                continue;
            }
            // Pages and editions are listed in file order; a web feed's
            // items are sorted by time, so all of them are needed.
            if feed.kind != FeedKind::Feed {
                let mut keep = 0;
                for (_, (seg, n)) in list.iter() {
                    if wanted >= limit {
                        break;
                    }
                    wanted += segments[*seg as usize].sources[*n as usize].count as usize;
                    keep += 1;
                }
                list.truncate(keep);
                continue;
            }
        }
        wanted += list
            .iter()
            .map(|(_, (seg, n))| segments[*seg as usize].sources[*n as usize].count as usize)
            .sum::<usize>();
    }
    // Their articles, read on as many threads as there are segments'
    // worth of work (two halves on two cores).
    let order: Vec<(u32, u32)> = pages.iter().flatten().map(|(_, at)| *at).collect();
    let decoded = decode_pages(&segments, &order, &mut library.warnings);
    let mut decoded = decoded.into_iter();
    library.articles.reserve(wanted);
    let mut origin: Vec<(u32, u32)> = Vec::with_capacity(wanted);
    for (feed_no, feed) in config.feeds.iter().enumerate() {
        let feed_pages: Vec<(PageKey, ReadPage)> = std::mem::take(&mut pages[feed_no])
            .into_iter()
            .map(|(key, at)| (key, (at, decoded.next().unwrap_or_default())))
            .collect();
        let (start, order) =
            library.add_feed_with(feed, feed_pages, |((seg, n), articles), out| {
                let first = segments[seg as usize].sources[n as usize].first;
                origin.extend((0..articles.len() as u32).map(|i| (seg, first + i)));
                out.extend(articles);
            });
        if let Some(order) = order {
            let moved: Vec<(u32, u32)> = order.iter().map(|&i| origin[start + i]).collect();
            origin.truncate(start);
            origin.extend(moved);
        }
    }
    if front.is_some() {
        return Opened {
            search: Search::empty(),
            library,
        };
    }
    let mut positions: Vec<Vec<u32>> = segments
        .iter()
        .map(|s| vec![search::NONE; s.len()])
        .collect();
    for (n, &(seg, doc)) in origin.iter().enumerate() {
        if let Some(slot) = positions
            .get_mut(seg as usize)
            .and_then(|p| p.get_mut(doc as usize))
        {
            *slot = n as u32;
        }
    }
    let segments = segments.into_iter().map(Arc::new).collect();
    Opened {
        search: Search::new(segments, positions),
        library,
    }
}

/// The articles of each page of `order` (segment, source), read on two
/// threads when there are many; a page whose records are damaged is a
/// warning and has none.
fn decode_pages(
    segments: &[Segment],
    order: &[(u32, u32)],
    warnings: &mut Vec<Warning>,
) -> Vec<Vec<Article>> {
    let decode = |part: &[(u32, u32)]| -> Vec<Result<Vec<Article>, (String, String)>> {
        part.iter()
            .map(|&(seg, n)| {
                let segment = &segments[seg as usize];
                segment.articles(n as usize).map_err(|c| {
                    let path = segment.sources[n as usize].path.clone();
                    (path, c.to_string())
                })
            })
            .collect()
    };
    let results = if order.len() >= 2 * FILES_PER_THREAD {
        let (a, b) = order.split_at(order.len() / 2);
        std::thread::scope(|scope| {
            let second = scope.spawn(|| decode(b));
            let mut first = decode(a);
            match second.join() {
                Ok(mut rest) => first.append(&mut rest),
                Err(_) => first.extend(decode(b)),
            }
            first
        })
    } else {
        decode(order)
    };
    results
        .into_iter()
        .map(|r| {
            r.unwrap_or_else(|(path, why)| {
                warnings.push(Warning::new(
                    &path,
                    None,
                    format!(
                        "its index entry is damaged ({why}); delete the cache folder to rebuild it"
                    ),
                ));
                Vec::new()
            })
        })
        .collect()
}

/// A name no other segment has had: time and process id.
fn unique_name() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    format!("seg-{nanos:x}-{:x}", std::process::id())
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
