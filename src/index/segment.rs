//! One index file, a segment: the articles of a set of source files (their
//! fields without the body), each article's search text, and the postings
//! (which articles hold each key of [`super::grams`]).
//!
//! ```text
//! header   magic, format, counts, offsets of the sections, meta checksum
//! text     each article's search text as written, title first, in
//!          UTF-16LE: two bytes a Chinese character instead of UTF-8's
//!          three, so the text (most of a segment) is a third smaller and
//!          a search confirming its candidates reads a third less
//! docs     per article: text offset (u64); its folded title's offset and
//!          length, its title's length in the text, whether the text is
//!          already folded (u32 each); its rank key: date in days (i32),
//!          its source's number (u32), publication time in seconds (i64);
//!          then the
//!          folded titles, each ended by a line feed (one inside a
//!          headline is stored as a space), which ranking reads for
//!          every hit
//! ids      per article, sorted by id: (id as a number u64, article u32,
//!          spare u32), so `show ID` finds an article without reading the
//!          others
//! sources  per source a fixed row: where its record starts in meta
//!          (u64), keys of its path, its folder and its feed (u64 each,
//!          [`key_of`]), its first article and their count (u32 each),
//!          flags (removed, failed, warned; u32), a spare u32; then where
//!          the articles' records start (u64). A command works out which
//!          sources are live and where their articles are from these
//!          rows alone, and decodes only the records it shows
//! meta     sources (path relative to its feed's folder, feed, size,
//!          mtime, warnings, where their
//!          articles' records are and those records' checksum), checked by
//!          the header's checksum; then the articles' fields,
//!          varint-encoded, each source's checked when it is read
//! keys     sorted (key u64, postings offset u64), one sentinel at the end;
//!          the offset's top bit set: the list is a bitmap
//! postings per key: article numbers, delta-encoded varints; or, where
//!          that is longer (a key in more than about one article in
//!          eight), one bit per article of the segment
//! ```
//!
//! A segment is written once, to a temporary name, and renamed into place;
//! it is never changed. Opening reads the header (and [`Segment::open`]
//! every source record); source records, articles' records, text and
//! postings are read from a memory map only when needed, so a command that
//! shows twenty hits touches twenty articles' records.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fs::File;
use std::hash::Hasher;
use std::io::{self, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use memchr::memmem::Finder;

use crate::model::{Article, Byline, Counts, SourceRef, Stub, Warning};

use super::format::{Corrupt, In, Out, checksum, corrupt, get_varint};
use super::grams;
use super::postings::Postings;

const MAGIC: &[u8; 8] = b"KANBAOIX";
/// Bumped whenever the layout of a segment changes.
pub const FORMAT: u32 = 12;

/// Each feed's folder, as the config names it. A source's path is stored
/// relative to its feed's folder and joined to the folder again when the
/// segment is opened: the same index then serves a config named by a
/// relative or an absolute path, from any folder, and paths in messages
/// read as the config writes them.
#[derive(Debug, Clone, Default)]
pub struct Roots(HashMap<String, (PathBuf, String)>);

impl Roots {
    pub fn of(config: &crate::config::Config) -> Roots {
        Roots(
            config
                .feeds
                .iter()
                .map(|f| {
                    // What `Path::join` puts before a name inside it.
                    let mut prefix = f.path.display().to_string();
                    if !prefix.ends_with(std::path::MAIN_SEPARATOR) {
                        prefix.push(std::path::MAIN_SEPARATOR);
                    }
                    (f.id.clone(), (f.path.clone(), prefix))
                })
                .collect(),
        )
    }

    /// `path` relative to `feed`'s folder, `/`-separated; `None` when it
    /// is not inside it.
    fn relative(&self, feed: &str, path: &str) -> Option<String> {
        let (folder, path) = (&self.0.get(feed)?.0, Path::new(path));
        (path.starts_with(folder) && path != folder)
            .then(|| crate::library::relative_name(folder, path))
    }

    /// The key ([`key_of`]) of source file `path` of `feed`: that of the
    /// path as a segment stores it, so it does not depend on how the
    /// config names the feed's folder.
    pub fn path_key(&self, feed: &str, path: &str) -> u64 {
        match self.relative(feed, path) {
            Some(relative) => key_of(feed, &relative),
            None => key_of(feed, path),
        }
    }

    /// The key of folder `dir` of `feed`: the [`parent_key`] of the files
    /// in it.
    pub fn folder_key(&self, feed: &str, dir: &str) -> u64 {
        let root = self.0.get(feed).map(|(folder, _)| folder.as_path());
        if root == Some(Path::new(dir)) {
            return key_of(feed, "");
        }
        self.path_key(feed, dir)
    }

    /// The path of `relative` inside `feed`'s folder, as a walk of the
    /// folder names it (one allocation: it is made for every source).
    fn full(&self, feed: &str, relative: &str) -> String {
        let Some((_, prefix)) = self.0.get(feed) else {
            return relative.to_owned();
        };
        let mut path = String::with_capacity(prefix.len() + relative.len());
        path.push_str(prefix);
        if std::path::MAIN_SEPARATOR == '/' {
            path.push_str(relative);
        } else {
            path.extend(relative.chars().map(|c| match c {
                '/' => std::path::MAIN_SEPARATOR,
                c => c,
            }));
        }
        path
    }
}

/// A 64-bit key of a source's feed and its path as a segment stores it
/// (relative to the feed's folder where it is inside it), or of a feed
/// alone (`path` empty: its folder): what a command compares to tell
/// which sources are live and which lie in a folder, without decoding
/// their records. FNV-1a, then mixed so every bit counts. Two different
/// paths of one archive sharing a key would hide one behind the other;
/// the liveness check compares the paths themselves where keys meet.
pub fn key_of(feed: &str, path: &str) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in feed.bytes().chain([0]).chain(path.bytes()) {
        hash = (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    hash ^= hash >> 33;
    hash = hash.wrapping_mul(0xff51_afd7_ed55_8ccd);
    hash ^ (hash >> 33)
}

/// The key of the folder of a source stored as `path` (see [`key_of`]):
/// the folder part of a relative path (`""` for the feed's own folder),
/// the parent of any other.
pub fn parent_key(feed: &str, stored: &str, relative: bool) -> u64 {
    if relative {
        return key_of(feed, stored.rfind('/').map_or("", |at| &stored[..at]));
    }
    let parent = Path::new(stored).parent().map(|p| p.display().to_string());
    key_of(feed, parent.as_deref().unwrap_or(""))
}

/// The key of a feed itself, in a source row.
pub fn feed_key(feed: &str) -> u64 {
    key_of(feed, "\0feed")
}

const HEADER_LEN: usize = 8 + 4 * 4 + 8 * 12;
const SOURCE_ROW: usize = 48;
const DOC_ROW: usize = 40;
/// Headlines read in one pass ([`Segment::titles_holding`]) before the
/// pages read are let go.
const TITLES_READ: usize = 4 << 20;
const ID_ROW: usize = 16;
const KEY_ROW: usize = 16;
/// In a key's postings offset: its list is a bitmap.
const BITMAP: u64 = 1 << 63;
/// Characters kept of an untitled article's text, to list it by.
const LEAD_CHARS: usize = 80;

/// One source file as indexed: where it is, how it looked, what it held.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceInfo {
    pub path: String,
    pub feed: String,
    pub size: u64,
    /// Modification time in nanoseconds since the epoch.
    pub mtime: i64,
    /// The file is gone: older segments' entries for it are dead.
    pub removed: bool,
    /// The file could not be read (its warnings say why).
    pub failed: bool,
    pub warnings: Vec<Warning>,
    /// Its articles: numbers `first..first + count` of this segment.
    pub first: u32,
    pub count: u32,
    /// Where its article records start in the meta section's article part.
    pub meta_at: usize,
    /// The checksum of its article records.
    pub records_sum: u64,
}

impl SourceInfo {
    /// A file read as it is now, before its articles are added
    /// ([`Builder::add`] fills in where they are).
    pub fn read(path: String, feed: String, size: u64, mtime: i64) -> SourceInfo {
        SourceInfo {
            path,
            feed,
            size,
            mtime,
            removed: false,
            failed: false,
            warnings: Vec::new(),
            first: 0,
            count: 0,
            meta_at: 0,
            records_sum: 0,
        }
    }
}

/// What a source's fixed row tells without its record being decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Row {
    /// [`key_of`] its feed and its path.
    pub path: u64,
    /// [`key_of`] its feed and its folder ([`parent_key`]).
    pub folder: u64,
    /// [`feed_key`] of its feed.
    pub feed: u64,
    /// Its articles: numbers `first..first + count` of the segment.
    pub first: u32,
    pub count: u32,
    pub removed: bool,
    pub failed: bool,
    /// It has warnings.
    pub warned: bool,
}

impl Row {
    /// The row in `bytes` (one row's worth) of a segment of `docs`
    /// articles; `None` if it claims articles past the end.
    fn read(bytes: &[u8], docs: usize) -> Option<Row> {
        let u64_at = |at: usize| {
            let mut a = [0u8; 8];
            a.copy_from_slice(&bytes[at..at + 8]);
            u64::from_le_bytes(a)
        };
        let u32_at = |at: usize| {
            let mut a = [0u8; 4];
            a.copy_from_slice(&bytes[at..at + 4]);
            u32::from_le_bytes(a)
        };
        let flags = u32_at(40);
        let row = Row {
            path: u64_at(8),
            folder: u64_at(16),
            feed: u64_at(24),
            first: u32_at(32),
            count: u32_at(36),
            removed: flags & 1 != 0,
            failed: flags & 2 != 0,
            warned: flags & 4 != 0,
        };
        (row.first as usize + row.count as usize <= docs).then_some(row)
    }

    /// Whether the row says what the decoded source `info` says (its path
    /// and folder keys are the rows' checksum's to vouch for).
    fn agrees(&self, info: &SourceInfo) -> bool {
        self.feed == feed_key(&info.feed)
            && (self.first, self.count) == (info.first, info.count)
            && (self.removed, self.failed, self.warned)
                == (info.removed, info.failed, !info.warnings.is_empty())
    }
}

/// Writes a segment to `W` (a file, or memory when no file can be written).
pub struct Builder<W: Write + Seek> {
    out: W,
    parser: u32,
    generation: u64,
    text_len: u64,
    docs: Vec<u8>,
    titles: Vec<u8>,
    ids: Vec<(u64, u32)>,
    meta: Out,
    sources: Vec<SourceInfo>,
    doc_count: u32,
    postings: Postings,
    norm: String,
    raw: String,
    wide: Vec<u8>,
}

/// Keys are already well mixed in their low bits for bigrams; one multiply
/// spreads them for the table.
#[derive(Default)]
pub struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x100_0000_01b3);
        }
    }
    fn write_u64(&mut self, v: u64) {
        self.0 = (v ^ (v >> 29)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

impl<W: Write + Seek> Builder<W> {
    /// Starts a segment at the beginning of `out`, for articles read by
    /// page parser version `parser`, as part of `generation`: the segments
    /// one refresh writes share it and never list the same file twice.
    pub fn new(mut out: W, parser: u32, generation: u64) -> io::Result<Self> {
        out.write_all(&[0u8; HEADER_LEN])?;
        Ok(Builder {
            out,
            parser,
            generation,
            text_len: 0,
            docs: Vec::new(),
            titles: Vec::new(),
            ids: Vec::new(),
            meta: Out::default(),
            sources: Vec::new(),
            doc_count: 0,
            postings: Postings::default(),
            norm: String::new(),
            raw: String::new(),
            wide: Vec::new(),
        })
    }

    /// Sizes the postings' batches for a segment of about `bytes` of
    /// source text ([`Postings::for_source_bytes`]); before the first
    /// source is added.
    pub fn expect_source_bytes(&mut self, bytes: u64) {
        if self.doc_count == 0 {
            self.postings = Postings::for_source_bytes(bytes);
        }
    }

    /// Adds a source file and its articles (already placed: ids, feed,
    /// date, section filled in).
    pub fn add(&mut self, mut info: SourceInfo, articles: &[Article]) -> io::Result<()> {
        info.first = self.doc_count;
        info.count = u32::try_from(articles.len()).unwrap_or(u32::MAX);
        info.meta_at = self.meta.buf.len();
        for (n, article) in articles.iter().enumerate() {
            let previous = n.checked_sub(1).map(|p| &articles[p]);
            self.add_article(article, previous)?;
        }
        info.records_sum = checksum(&self.meta.buf[info.meta_at..]);
        self.sources.push(info);
        Ok(())
    }

    /// Records that a source file is gone.
    pub fn remove(&mut self, path: String, feed: String) {
        let first = self.doc_count;
        self.sources.push(SourceInfo {
            path,
            feed,
            size: 0,
            mtime: 0,
            removed: true,
            failed: false,
            warnings: Vec::new(),
            first,
            count: 0,
            meta_at: self.meta.buf.len(),
            records_sum: checksum(&[]),
        });
    }

    fn add_article(&mut self, a: &Article, previous: Option<&Article>) -> io::Result<()> {
        let doc = self.doc_count;
        self.doc_count += 1;
        encode_article(&mut self.meta, a, previous);
        // One row per article, as the reader counts them: an id of another
        // shape sorts last, where no prefix of 12 hex digits reaches.
        self.ids.push((id_number(&a.id).unwrap_or(u64::MAX), doc));
        // Search text: the title on the first line, then everything else,
        // stored as written (snippets show it); searched folded.
        self.raw.clear();
        self.raw
            .push_str(a.title.as_deref().or(a.kicker.as_deref()).unwrap_or(""));
        let raw_title_len = self.raw.len();
        for part in [&a.kicker, &a.subtitle, &a.column].into_iter().flatten() {
            self.raw.push('\n');
            self.raw.push_str(part);
        }
        if let Some(b) = &a.byline {
            self.raw.push('\n');
            self.raw.push_str(&b.text);
        }
        for p in &a.paragraphs {
            self.raw.push('\n');
            self.raw.push_str(p);
        }
        for p in &a.photos {
            self.raw.push('\n');
            self.raw.push_str(&p.caption);
            if let Some(c) = &p.credit {
                self.raw.push(' ');
                self.raw.push_str(c);
            }
        }
        self.norm.clear();
        grams::normalize(&self.raw[..raw_title_len], &mut self.norm);
        let title_len = self.norm.len();
        grams::normalize(&self.raw[raw_title_len..], &mut self.norm);
        let clean = self.norm == self.raw;
        self.postings.add(doc, &self.norm);
        let title_off = u32::try_from(self.titles.len()).unwrap_or(u32::MAX);
        // Each headline ends with a line feed (one inside it is stored as
        // a space): a pass over them counts articles by lines.
        let title = &self.norm.as_bytes()[..title_len];
        self.titles
            .extend(title.iter().map(|&b| if b == b'\n' { b' ' } else { b }));
        self.titles.push(b'\n');
        let small = |n: usize| u32::try_from(n).unwrap_or(u32::MAX).to_le_bytes();
        self.docs.extend_from_slice(&self.text_len.to_le_bytes());
        self.docs.extend_from_slice(&title_off.to_le_bytes());
        self.docs.extend_from_slice(&small(title_len));
        self.wide.clear();
        encode_utf16(&self.raw[..raw_title_len], &mut self.wide);
        let wide_title_len = self.wide.len();
        encode_utf16(&self.raw[raw_title_len..], &mut self.wide);
        self.docs.extend_from_slice(&small(wide_title_len));
        self.docs.extend_from_slice(&u32::from(clean).to_le_bytes());
        let rank = Rank::of(a);
        self.docs.extend_from_slice(&rank.date.to_le_bytes());
        let source = u32::try_from(self.sources.len()).unwrap_or(u32::MAX);
        self.docs.extend_from_slice(&source.to_le_bytes());
        self.docs.extend_from_slice(&rank.published.to_le_bytes());
        self.out.write_all(&self.wide)?;
        self.text_len += self.wide.len() as u64;
        Ok(())
    }

    /// Writes the remaining sections and the header; returns the output.
    /// Source paths are stored relative to their feed's folder in `roots`.
    pub fn finish(mut self, roots: &Roots) -> io::Result<W> {
        let text_off = HEADER_LEN as u64;
        let docs_off = text_off + self.text_len;
        self.out.write_all(&self.docs)?;
        self.out.write_all(&self.titles)?;
        let ids_off = docs_off + (self.docs.len() + self.titles.len()) as u64;
        self.ids.sort_unstable();
        let mut ids = Vec::with_capacity(self.ids.len() * ID_ROW);
        for (id, doc) in &self.ids {
            ids.extend_from_slice(&id.to_le_bytes());
            ids.extend_from_slice(&doc.to_le_bytes());
            ids.extend_from_slice(&0u32.to_le_bytes());
        }
        self.out.write_all(&ids)?;
        // Meta: sources, then the articles encoded as they were added.
        let mut meta = Out::default();
        meta.varint(self.sources.len() as u64);
        let mut rows = Vec::with_capacity(self.sources.len() * SOURCE_ROW + 8);
        for s in &self.sources {
            let relative = roots.relative(&s.feed, &s.path);
            let stored = relative.as_deref().unwrap_or(&s.path);
            let flags = u32::from(s.removed)
                | u32::from(s.failed) << 1
                | u32::from(!s.warnings.is_empty()) << 2;
            rows.extend_from_slice(&(meta.buf.len() as u64).to_le_bytes());
            rows.extend_from_slice(&key_of(&s.feed, stored).to_le_bytes());
            rows.extend_from_slice(&parent_key(&s.feed, stored, relative.is_some()).to_le_bytes());
            rows.extend_from_slice(&feed_key(&s.feed).to_le_bytes());
            for v in [s.first, s.count, flags, 0] {
                rows.extend_from_slice(&v.to_le_bytes());
            }
            meta.str(stored);
            meta.str(&s.feed);
            meta.u64(s.size);
            meta.u64(s.mtime as u64);
            meta.varint(
                u64::from(s.removed)
                    | u64::from(s.failed) << 1
                    | u64::from(relative.is_some()) << 2,
            );
            meta.varint(u64::from(s.first));
            meta.varint(u64::from(s.count));
            meta.varint(s.meta_at as u64);
            meta.u64(s.records_sum);
            meta.varint(s.warnings.len() as u64);
            for w in &s.warnings {
                // Empty: the source's own path (most warnings name it).
                meta.str(if w.path == s.path { "" } else { &w.path });
                meta.varint(w.line.map_or(0, |l| l as u64 + 1));
                meta.str(&w.message);
            }
        }
        rows.extend_from_slice(&(meta.buf.len() as u64).to_le_bytes());
        let meta_sum = checksum(&meta.buf);
        let rows_sum = checksum(&rows);
        meta.buf.extend_from_slice(&self.meta.buf);
        self.out.write_all(&rows)?;
        let meta_off = ids_off + (ids.len() + rows.len()) as u64;
        self.out.write_all(&meta.buf)?;
        // Keys and postings: the table first (so each list's length), then
        // the lists.
        let keys_off = meta_off + meta.buf.len() as u64;
        let bitmap_len = (self.doc_count as usize).div_ceil(8);
        let mut table = Vec::new();
        let mut offset = 0u64;
        let mut key_count = 0u64;
        self.postings.for_each(|key, list| {
            let bitmap = list.len() > bitmap_len;
            table.extend_from_slice(&key.to_le_bytes());
            table.extend_from_slice(&(offset | if bitmap { BITMAP } else { 0 }).to_le_bytes());
            offset += list.len().min(bitmap_len) as u64;
            key_count += 1;
            Ok::<_, io::Error>(())
        })?;
        table.extend_from_slice(&u64::MAX.to_le_bytes());
        table.extend_from_slice(&offset.to_le_bytes());
        self.out.write_all(&table)?;
        drop(table);
        let post_off = keys_off + (key_count as usize + 1) as u64 * KEY_ROW as u64;
        let mut bits = vec![0u8; bitmap_len];
        let out = &mut self.out;
        self.postings.for_each(|_, list| {
            if list.len() <= bitmap_len {
                return out.write_all(list);
            }
            bits.fill(0);
            let (mut list, mut doc) = (list, 0u64);
            while let Ok((delta, used)) = get_varint(list) {
                doc += delta;
                bits[(doc / 8) as usize] |= 1 << (doc % 8);
                list = &list[used..];
            }
            out.write_all(&bits)
        })?;
        let file_len = post_off + offset;
        let mut header = Vec::with_capacity(HEADER_LEN);
        header.extend_from_slice(MAGIC);
        for v in [
            FORMAT,
            self.parser,
            self.sources.len() as u32,
            self.doc_count,
        ] {
            header.extend_from_slice(&v.to_le_bytes());
        }
        for v in [
            self.generation,
            text_off,
            docs_off,
            ids_off,
            meta_off,
            meta.buf.len() as u64,
            meta_sum,
            rows_sum,
            keys_off,
            key_count,
            post_off,
            file_len,
        ] {
            header.extend_from_slice(&v.to_le_bytes());
        }
        self.out.seek(SeekFrom::Start(0))?;
        self.out.write_all(&header)?;
        self.out.flush()?;
        Ok(self.out)
    }
}

/// The fields an article mostly shares with the one before it on its page:
/// a record gives them only where they differ.
fn shared(a: &Article) -> [&Option<String>; 5] {
    [&a.feed, &a.date, &a.section, &a.page, &a.column]
}

/// Writes article `a`'s record; fields equal to `previous`'s (the article
/// before it in its source) are marked as such instead of written again.
fn encode_article(out: &mut Out, a: &Article, previous: Option<&Article>) {
    out.str(&a.id);
    let mut same = 0u64;
    if let Some(previous) = previous {
        for (bit, (field, before)) in shared(a).into_iter().zip(shared(previous)).enumerate() {
            if field == before {
                same |= 1 << bit;
            }
        }
    }
    out.varint(same);
    for (bit, field) in shared(a).into_iter().enumerate() {
        if same & 1 << bit == 0 {
            out.opt_str(field.as_deref());
        }
    }
    for field in [
        &a.kicker,
        &a.title,
        &a.subtitle,
        &a.editor_code,
        &a.url,
        &a.published,
    ] {
        out.opt_str(field.as_deref());
    }
    match &a.byline {
        None => out.varint(0),
        Some(b) => {
            out.varint(1);
            out.str(&b.text);
            for names in [&b.reporters, &b.correspondents] {
                out.varint(names.len() as u64);
                for n in names {
                    out.str(n);
                }
            }
        }
    }
    out.varint(a.source.first_line as u64);
    out.varint(a.source.last_line as u64);
    let lead = match (&a.title, &a.kicker) {
        (None, None) => a.display_title(),
        _ => "",
    };
    let cut = lead
        .char_indices()
        .nth(LEAD_CHARS)
        .map_or(lead.len(), |(i, _)| i);
    out.str(&lead[..cut]);
    let c = a.counts();
    for n in [c.paragraphs, c.photos, c.links, c.characters] {
        out.varint(n as u64);
    }
}

/// The bytes of a segment: a read-only memory map of its file, or memory.
enum Data {
    /// The file mapped, and the file (postings are read from it).
    Map(memmap2::Mmap, File),
    Owned(Vec<u8>),
}

impl Data {
    fn bytes(&self) -> &[u8] {
        match self {
            Data::Map(m, _) => m,
            Data::Owned(v) => v,
        }
    }
}

/// An open segment.
pub struct Segment {
    data: Data,
    /// Every source, decoded when first asked for ([`Segment::sources`]);
    /// [`Segment::open`] decodes them at once, [`Segment::open_lazy`] not.
    sources: OnceLock<Vec<SourceInfo>>,
    source_count: usize,
    /// Where the table of the sources' rows starts.
    rows_off: usize,
    rows_sum: u64,
    /// Whether the rows match their checksum, checked when first read.
    rows_ok: OnceLock<bool>,
    meta_off: usize,
    meta_sum: u64,
    /// How a stored path is made whole again.
    roots: Roots,
    /// The refresh that wrote it (see [`Builder::new`]).
    pub generation: u64,
    /// Where the article records start (in the file).
    articles_off: usize,
    docs: usize,
    text_off: usize,
    docs_off: usize,
    ids_off: usize,
    keys_off: usize,
    keys: usize,
    post_off: usize,
    file_len: usize,
}

impl std::fmt::Debug for Segment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Segment")
            .field("sources", &self.source_count)
            .field("docs", &self.docs)
            .field("keys", &self.keys)
            .finish()
    }
}

/// Why a segment could not be opened.
#[derive(Debug)]
pub enum OpenError {
    Io(io::Error),
    Corrupt(Corrupt),
}

impl From<Corrupt> for OpenError {
    fn from(c: Corrupt) -> Self {
        OpenError::Corrupt(c)
    }
}

impl Segment {
    /// Opens the segment file at `path` and reads its sources (the
    /// articles are read by [`Segment::articles`]).
    pub fn open(path: &Path, parser: u32, roots: &Roots) -> Result<Segment, OpenError> {
        let segment = Segment::open_lazy(path, parser, roots)?;
        segment.decode_sources()?;
        Ok(segment)
    }

    /// Opens the segment file at `path` reading only its header: a source
    /// is decoded when it is asked for ([`Segment::source`]), all of them
    /// when [`Segment::sources`] is (then damage there reads as no
    /// sources; [`Segment::open`] reports it).
    pub fn open_lazy(path: &Path, parser: u32, roots: &Roots) -> Result<Segment, OpenError> {
        let file = File::open(path).map_err(OpenError::Io)?;
        // SAFETY: segment files are never modified after they are renamed
        // into place (new content gets a new file), so the map's bytes do
        // not change under it; every read of them is bounds-checked.
        let map = unsafe { memmap2::Mmap::map(&file) }.map_err(OpenError::Io)?;
        // Pages read from the disk for the map come in huge folios where
        // the kernel can (then mapped 2 MiB at a time, as the pages a
        // build writes are: see `chunks`). Only a hint.
        #[cfg(target_os = "linux")]
        let _ = map.advise(memmap2::Advice::HugePage);
        Ok(Segment::from_data(Data::Map(map, file), parser, roots)?)
    }

    /// A segment held in memory (built where no index can be written).
    pub fn from_bytes(bytes: Vec<u8>, parser: u32, roots: &Roots) -> Result<Segment, Corrupt> {
        let segment = Segment::from_data(Data::Owned(bytes), parser, roots)?;
        segment.decode_sources()?;
        Ok(segment)
    }

    fn from_data(data: Data, expected_parser: u32, roots: &Roots) -> Result<Segment, Corrupt> {
        let bytes = data.bytes();
        if bytes.len() < HEADER_LEN || &bytes[..8] != MAGIC {
            return corrupt("not a kanbao index file");
        }
        let mut h = In::new(&bytes[8..HEADER_LEN]);
        let format = h.u32()?;
        let parser = h.u32()?;
        if format != FORMAT {
            return corrupt("written by another version of kanbao");
        }
        if parser != expected_parser {
            return corrupt("written by another version of the page parser");
        }
        let sources = h.u32()? as usize;
        let docs = h.u32()? as usize;
        let next = |h: &mut In<'_>| -> Result<usize, Corrupt> {
            usize::try_from(h.u64()?).or_else(|_| corrupt("an offset is out of range"))
        };
        let generation = h.u64()?;
        let text_off = next(&mut h)?;
        let docs_off = next(&mut h)?;
        let ids_off = next(&mut h)?;
        let meta_off = next(&mut h)?;
        let meta_len = next(&mut h)?;
        let meta_sum = h.u64()?;
        let rows_sum = h.u64()?;
        let keys_off = next(&mut h)?;
        let keys = next(&mut h)?;
        let post_off = next(&mut h)?;
        let file_len = next(&mut h)?;
        let ordered = text_off == HEADER_LEN
            && text_off <= docs_off
            && docs
                .checked_mul(DOC_ROW)
                .and_then(|n| n.checked_add(docs_off))
                .is_some_and(|titles| titles <= ids_off)
            && docs
                .checked_mul(ID_ROW)
                .and_then(|n| n.checked_add(ids_off))
                .zip(
                    sources
                        .checked_mul(SOURCE_ROW)
                        .and_then(|n| n.checked_add(8)),
                )
                .and_then(|(starts, len)| starts.checked_add(len))
                == Some(meta_off)
            && meta_off.checked_add(meta_len) == Some(keys_off)
            && keys
                .checked_add(1)
                .and_then(|n| n.checked_mul(KEY_ROW))
                .and_then(|n| n.checked_add(keys_off))
                == Some(post_off)
            && post_off <= file_len
            && file_len == bytes.len();
        if !ordered {
            return corrupt("its sections do not fit the file (cut short?)");
        }
        let rows_off = ids_off + docs * ID_ROW;
        let mut segment = Segment {
            data,
            sources: OnceLock::new(),
            source_count: sources,
            rows_off,
            rows_sum,
            rows_ok: OnceLock::new(),
            meta_off,
            meta_sum,
            roots: roots.clone(),
            generation,
            articles_off: 0,
            docs,
            text_off,
            docs_off,
            ids_off,
            keys_off,
            keys,
            post_off,
            file_len,
        };
        // The articles' records follow the sources' in meta.
        let articles_at = segment.u64_at(rows_off + sources * SOURCE_ROW) as usize;
        if articles_at > meta_len {
            return corrupt("sources and articles are out of step");
        }
        segment.articles_off = meta_off + articles_at;
        Ok(segment)
    }

    /// Decodes every source, checking them against the header's checksum
    /// and one another.
    fn decode_sources(&self) -> Result<&[SourceInfo], Corrupt> {
        if let Some(sources) = self.sources.get() {
            return Ok(sources);
        }
        let meta = &self.data.bytes()[self.meta_off..self.keys_off];
        let mut r = In::new(meta);
        let n = r.len(self.source_count)?;
        if n != self.source_count {
            return corrupt("the number of sources does not match");
        }
        let mut infos = Vec::with_capacity(n);
        for _ in 0..n {
            infos.push(self.read_source(&mut r)?);
        }
        if checksum(&meta[..r.position()]) != self.meta_sum {
            return corrupt("its checksum does not match (damaged)");
        }
        if self.meta_off + r.position() != self.articles_off {
            return corrupt("sources and articles are out of step");
        }
        // The articles are read source by source when they are needed,
        // each source's records checked then; here only that they lie
        // inside the section.
        let articles_len = self.keys_off - self.articles_off;
        let mut expected = 0;
        for (n, info) in infos.iter().enumerate() {
            let in_step = info.removed || info.first == expected;
            if !in_step || info.meta_at > articles_len {
                return corrupt("sources and articles are out of step");
            }
            if !self.row(n).is_some_and(|row| row.agrees(info)) {
                return corrupt("a source's row does not match its record");
            }
            expected = info.first + info.count;
        }
        if expected as usize != self.docs {
            return corrupt("the article records do not add up");
        }
        Ok(self.sources.get_or_init(|| infos))
    }

    /// One source's record, read at `r`.
    fn read_source(&self, r: &mut In<'_>) -> Result<SourceInfo, Corrupt> {
        let meta_len = self.keys_off - self.meta_off;
        let path = r.string()?;
        let feed = r.string()?;
        let size = r.u64()?;
        let mtime = r.u64()? as i64;
        let flags = r.varint()?;
        let (removed, failed) = (flags & 1 != 0, flags & 2 != 0);
        let path = if flags & 4 != 0 {
            self.roots.full(&feed, &path)
        } else {
            path
        };
        let first = r.len(self.docs)? as u32;
        let count = r.len(self.docs)? as u32;
        if first as usize + count as usize > self.docs {
            return corrupt("a source claims articles past the end");
        }
        let meta_at = r.len(meta_len)?;
        let records_sum = r.u64()?;
        let nw = r.len(meta_len)?;
        let mut warnings = Vec::with_capacity(nw.min(64));
        for _ in 0..nw {
            let named = r.string()?;
            let line = r.varint()?;
            let message = r.string()?;
            let line = usize::try_from(line).ok().and_then(|l| l.checked_sub(1));
            let path = if named.is_empty() {
                path.clone()
            } else {
                named
            };
            warnings.push(Warning {
                path,
                line,
                message,
            });
        }
        Ok(SourceInfo {
            path,
            feed,
            size,
            mtime,
            removed,
            failed,
            warnings,
            first,
            count,
            meta_at,
            records_sum,
        })
    }

    /// Source `n`'s row; `None` past the end or when the rows are damaged.
    pub fn row(&self, n: usize) -> Option<Row> {
        let at = n.checked_mul(SOURCE_ROW)?;
        self.row_bytes()?
            .get(at..at + SOURCE_ROW)
            .and_then(|row| Row::read(row, self.docs))
    }

    /// Every source's row, in order (`None` for one that is damaged);
    /// none when the rows are.
    pub fn rows(&self) -> impl Iterator<Item = Option<Row>> + '_ {
        let docs = self.docs;
        self.row_bytes()
            .unwrap_or(&[])
            .chunks_exact(SOURCE_ROW)
            .map(move |row| Row::read(row, docs))
    }

    /// The rows' bytes, if they match their checksum.
    fn row_bytes(&self) -> Option<&[u8]> {
        let end = self.rows_off + self.source_count * SOURCE_ROW;
        self.rows_ok()
            .then(|| self.data.bytes().get(self.rows_off..end))
            .flatten()
    }

    /// Checks the rows against the header's checksum: what a lazily
    /// opened segment is judged by (its records are checked as read).
    pub fn check_rows(&self) -> Result<(), Corrupt> {
        if self.rows_ok() {
            Ok(())
        } else {
            corrupt("its source rows do not match their checksum (damaged)")
        }
    }

    /// Whether the rows match the header's checksum (read once).
    fn rows_ok(&self) -> bool {
        *self.rows_ok.get_or_init(|| {
            let end = self.rows_off + self.source_count * SOURCE_ROW + 8;
            self.data
                .bytes()
                .get(self.rows_off..end)
                .is_some_and(|rows| checksum(rows) == self.rows_sum)
        })
    }

    /// Every source, in article order (decoded now if the segment was
    /// opened lazily; none if they are damaged).
    pub fn sources(&self) -> &[SourceInfo] {
        self.decode_sources().unwrap_or(&[])
    }

    /// How many sources the segment lists.
    pub fn source_count(&self) -> usize {
        self.source_count
    }

    /// Source `n`, decoded alone if the others were not; `None` if there
    /// is none or its record is damaged.
    pub fn source(&self, n: usize) -> Option<Cow<'_, SourceInfo>> {
        if let Some(sources) = self.sources.get() {
            return sources.get(n).map(Cow::Borrowed);
        }
        if n >= self.source_count {
            return None;
        }
        let start = self.u64_at(self.rows_off + n * SOURCE_ROW) as usize;
        let end = self.u64_at(self.rows_off + (n + 1) * SOURCE_ROW) as usize;
        let meta = self.data.bytes().get(self.meta_off..self.articles_off)?;
        if !range_ok(start, end, meta.len()) {
            return None;
        }
        let mut r = In::new(&meta[start..]);
        let info = self.read_source(&mut r).ok()?;
        (r.position() == end - start && self.articles_off + info.meta_at <= self.keys_off)
            .then_some(Cow::Owned(info))
    }

    /// Drops the sources decoded at opening: they are decoded one by one
    /// again when asked for. What is left of a segment for searching
    /// holds no copy of its sources (at a million articles, 70 MB of paths
    /// and checksums).
    pub fn forget_sources(&mut self) {
        self.sources = OnceLock::new();
    }

    /// Checks every source's article records against their checksums
    /// (opening checks only the sources).
    pub fn check_records(&self) -> Result<(), Corrupt> {
        /// Records read before their pages are let go: a segment of a
        /// quarter of a million articles holds about 50 MB of them, which
        /// a reader with a million articles loaded would otherwise hold
        /// twice over while its refresh checks two segments at once.
        const RELEASE_BYTES: usize = 8 << 20;
        let sources = self.decode_sources()?;
        let mut read_from = self.articles_off;
        let checked = (0..sources.len()).try_for_each(|n| {
            let records = self.records(n, &sources[n])?;
            let end = self.articles_off.saturating_add(sources[n].meta_at) + records.len();
            if end >= read_from + RELEASE_BYTES {
                self.release(read_from..end);
                read_from = end;
            }
            Ok(())
        });
        // What was read to check stops counting in this process's memory
        // until it is decoded.
        self.release_records();
        checked
    }

    /// Lets go of the article records read so far (see
    /// [`Segment::release`]).
    pub fn release_records(&self) {
        self.release(self.articles_off..self.keys_off);
    }

    /// The article records of source `n`, `info`, checked.
    fn records(&self, n: usize, info: &SourceInfo) -> Result<&[u8], Corrupt> {
        let start = self.articles_off.saturating_add(info.meta_at);
        let end = match self.source(n + 1) {
            Some(next) => self.articles_off.saturating_add(next.meta_at),
            None if n + 1 >= self.source_count => self.keys_off,
            None => return corrupt("a source record is damaged"),
        };
        let Some(records) = self.data.bytes().get(start..end) else {
            return corrupt("an article record lies outside its section");
        };
        if checksum(records) != info.records_sum {
            return corrupt("its checksum does not match (damaged)");
        }
        Ok(records)
    }

    /// The articles of source `n` (without their text), decoded from the
    /// meta section.
    pub fn articles(&self, n: usize) -> Result<Vec<Article>, Corrupt> {
        let Some(info) = self.source(n) else {
            return corrupt("no such source");
        };
        let records = self.records(n, &info)?;
        let mut r = In::new(records);
        let mut articles: Vec<Article> = Vec::with_capacity(info.count as usize);
        for _ in 0..info.count {
            let article = decode_article(&mut r, &info.path, articles.last())?;
            articles.push(article);
        }
        Ok(articles)
    }

    pub fn len(&self) -> usize {
        self.docs
    }

    pub fn is_empty(&self) -> bool {
        self.docs == 0
    }

    fn u64_at(&self, at: usize) -> u64 {
        let b = self.data.bytes();
        let mut a = [0u8; 8];
        if let Some(s) = b.get(at..at + 8) {
            a.copy_from_slice(s);
        }
        u64::from_le_bytes(a)
    }

    fn u32_at(&self, at: usize) -> u32 {
        let b = self.data.bytes();
        let mut a = [0u8; 4];
        if let Some(s) = b.get(at..at + 4) {
            a.copy_from_slice(s);
        }
        u32::from_le_bytes(a)
    }

    /// Article `doc`'s search text as written, in UTF-16LE (see
    /// [`decode_utf16`]), the length in bytes of its title part, and
    /// whether folding ([`grams::normalize`]) leaves it as it is; empty if
    /// the file is damaged there.
    pub fn text(&self, doc: usize) -> (&[u8], usize, bool) {
        if doc >= self.docs {
            return (&[], 0, true);
        }
        let row = self.docs_off + doc * DOC_ROW;
        let start = self.u64_at(row) as usize;
        let title = self.u32_at(row + 16) as usize;
        let clean = self.u32_at(row + 20) != 0;
        let end = if doc + 1 < self.docs {
            self.u64_at(row + DOC_ROW) as usize
        } else {
            self.docs_off - self.text_off
        };
        let bytes = self.data.bytes();
        let range = self.text_off.saturating_add(start)..self.text_off.saturating_add(end);
        match bytes.get(range) {
            Some(text) if range_ok(start, end, self.docs_off - self.text_off) => {
                (text, title.min(text.len()), clean)
            }
            _ => (&[], 0, true),
        }
    }

    /// Where article `doc`'s text starts in the file.
    pub fn text_start(&self, doc: usize) -> usize {
        if doc >= self.docs {
            return self.docs_off;
        }
        self.text_off
            .saturating_add(self.u64_at(self.docs_off + doc * DOC_ROW) as usize)
            .min(self.docs_off)
    }

    /// Article `doc`'s rank key (see [`Rank`]); the lowest if the file is
    /// damaged there.
    pub fn rank(&self, doc: usize) -> Rank {
        if doc >= self.docs {
            return Rank::NONE;
        }
        let row = self.docs_off + doc * DOC_ROW;
        Rank {
            date: self.u32_at(row + 24) as i32,
            published: self.u64_at(row + 32) as i64,
        }
    }

    /// The source (index into `sources`) that article `doc` came from,
    /// and its place among that source's articles.
    pub fn source_of(&self, doc: u32) -> Option<(usize, u32)> {
        let (n, first) = match self.sources.get() {
            Some(sources) => {
                // Sources are in article order; a removed one holds none.
                let n = sources.partition_point(|s| s.first + s.count <= doc);
                (n, sources.get(n)?.first)
            }
            None if (doc as usize) < self.docs => {
                let row = self.docs_off + doc as usize * DOC_ROW;
                let n = self.u32_at(row + 28) as usize;
                (n, self.source(n)?.first)
            }
            None => return None,
        };
        let info = self.source(n)?;
        (first <= doc && doc < first + info.count).then(|| (n, doc - first))
    }

    /// The articles whose id starts with the hex digits `prefix` (at most
    /// 12), by id.
    pub fn ids_with_prefix(&self, prefix: &str) -> Vec<u32> {
        let Some((low, high)) = id_range(prefix) else {
            return Vec::new();
        };
        let at = |i: usize| self.u64_at(self.ids_off + i * ID_ROW);
        let first = partition(self.docs, |i| at(i) < low);
        (first..self.docs)
            .take_while(|&i| at(i) <= high)
            .map(|i| self.u32_at(self.ids_off + i * ID_ROW + 8))
            .filter(|&doc| (doc as usize) < self.docs)
            .collect()
    }

    /// Lets the system drop the pages of `range` (file offsets) that a
    /// search has read from memory: they stay in the page cache, but no
    /// longer count in this process's memory. A search through many texts
    /// thus never holds them all.
    pub fn release(&self, range: std::ops::Range<usize>) {
        if let Data::Map(map, _) = &self.data {
            const PAGE: usize = 4096;
            let start = range.start.div_ceil(PAGE) * PAGE;
            let end = (range.end / PAGE * PAGE).min(map.len());
            if start < end {
                // SAFETY: the map is a read-only shared mapping of a file
                // that is never written: after MADV_DONTNEED its pages are
                // read again from the file, unchanged.
                let _ = unsafe {
                    map.unchecked_advise_range(
                        memmap2::UncheckedAdvice::DontNeed,
                        start,
                        end - start,
                    )
                };
            }
        }
    }

    /// [`Segment::release`] of the whole file: after a search or a load,
    /// what was read of it stops counting in this process's memory.
    pub fn release_all(&self) {
        self.release(0..self.file_len);
    }

    /// Lets go of the keys and postings read so far (see
    /// [`Segment::release`]).
    pub fn release_postings(&self) {
        self.release(self.keys_off..self.file_len);
    }

    /// Lets go of the rows (rank keys, where each text and headline is)
    /// and the headlines of articles `docs` (see [`Segment::release`]): a
    /// search that reads half a million of them lets them go as it goes.
    pub fn release_docs(&self, docs: std::ops::Range<usize>) {
        let (start, end) = (docs.start.min(self.docs), docs.end.min(self.docs));
        if start >= end {
            return;
        }
        self.release(self.docs_off + start * DOC_ROW..self.docs_off + end * DOC_ROW);
        let titles = self.docs_off + self.docs * DOC_ROW;
        let title_at = |doc: usize| {
            if doc >= self.docs {
                self.ids_off
            } else {
                titles.saturating_add(self.u32_at(self.docs_off + doc * DOC_ROW + 8) as usize)
            }
        };
        self.release(title_at(start)..title_at(end));
    }

    /// Sets in `bits` the articles whose headline holds `needle` (article
    /// `d` is bit `d % 64` of word `d / 64`): one pass over the
    /// headlines, stored one after another in article order, each ended
    /// by a line feed, for a search that would otherwise look in most of
    /// them one by one. An article's number is the count of line feeds
    /// before its headline, so its row is not read. A needle holding a
    /// line feed is in no headline. What it read is let go as it goes
    /// ([`Segment::release`]).
    pub fn titles_holding(&self, needle: &[u8], bits: &mut [u64]) {
        let titles = self
            .docs_off
            .saturating_add(self.docs.saturating_mul(DOC_ROW));
        let Some(all) = self.data.bytes().get(titles..self.ids_off) else {
            return;
        };
        if needle.is_empty() || needle.contains(&b'\n') || self.docs == 0 {
            return;
        }
        let finder = Finder::new(needle);
        // The headline `from` is in, and where to look from.
        let (mut doc, mut from) = (0, 0);
        // Headlines read are let go every TITLES_READ bytes: a search
        // reads several segments' at once.
        let mut read_from = 0;
        while let Some(found) = all.get(from..).and_then(|rest| finder.find(rest)) {
            let at = from + found;
            doc += lines(&all[from..at]);
            if doc >= self.docs {
                break;
            }
            if let Some(word) = bits.get_mut(doc / 64) {
                *word |= 1 << (doc % 64);
            }
            // One match a headline is enough: on to the next.
            let Some(end) = memchr::memchr(b'\n', &all[at..]) else {
                break;
            };
            from = at + end + 1;
            doc += 1;
            if from >= read_from + TITLES_READ {
                self.release(titles + read_from..titles + from);
                read_from = from;
            }
        }
        self.release(titles + read_from..self.ids_off);
    }

    /// Article `doc`'s headline (normalised, as searched); empty if the
    /// file is damaged there.
    pub fn title(&self, doc: usize) -> &[u8] {
        if doc >= self.docs {
            return &[];
        }
        let row = self.docs_off + doc * DOC_ROW;
        let start = self.u32_at(row + 8) as usize;
        let len = self.u32_at(row + 12) as usize;
        let titles = self.docs_off + self.docs * DOC_ROW;
        let range = titles.saturating_add(start)..titles.saturating_add(start).saturating_add(len);
        if range.end > self.ids_off {
            return &[];
        }
        self.data.bytes().get(range).unwrap_or(&[])
    }

    fn key_at(&self, i: usize) -> (u64, u64) {
        let at = self.keys_off + i * KEY_ROW;
        (self.u64_at(at), self.u64_at(at + 8))
    }

    /// Number of keys.
    pub fn key_count(&self) -> usize {
        self.keys
    }

    /// The `i`th key (in sorted order).
    pub fn key(&self, i: usize) -> u64 {
        self.key_at(i).0
    }

    /// Index of `key` in the key table, if present.
    pub fn find_key(&self, key: u64) -> Option<usize> {
        let (mut lo, mut hi) = (0, self.keys);
        while lo < hi {
            let mid = (lo + hi) / 2;
            match self.key_at(mid).0.cmp(&key) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => return Some(mid),
            }
        }
        None
    }

    /// First index whose key is ≥ `key`.
    pub fn lower_bound(&self, key: u64) -> usize {
        let (mut lo, mut hi) = (0, self.keys);
        while lo < hi {
            let mid = (lo + hi) / 2;
            if self.key_at(mid).0 < key {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        lo
    }

    /// Where the stored list of the `i`th key's articles is in the file,
    /// and whether it is a bitmap (else deltas as varints); `None` past
    /// the keys or when its place is damaged.
    fn list_range(&self, i: usize) -> Option<(std::ops::Range<usize>, bool)> {
        if i >= self.keys {
            return None;
        }
        let (start, end) = (self.key_at(i).1, self.key_at(i + 1).1);
        let bitmap = start & BITMAP != 0;
        let (start, end) = ((start & !BITMAP) as usize, (end & !BITMAP) as usize);
        let len = self.file_len - self.post_off;
        range_ok(start, end, len).then(|| (self.post_off + start..self.post_off + end, bitmap))
    }

    /// Calls `read` with the stored list of the `i`th key's articles and
    /// whether it is a bitmap; `None` past the keys or when its place is
    /// damaged. A mapped segment's list is read from the file into a
    /// buffer: a fault on the map would map the whole folio of the page
    /// cache around it (2 MiB on recent kernels), and a search reads
    /// hundreds of small lists scattered over the postings.
    fn with_list<R>(&self, i: usize, read: impl FnOnce(&[u8], bool) -> R) -> Option<R> {
        let (range, bitmap) = self.list_range(i)?;
        #[cfg(unix)]
        if let Data::Map(_, file) = &self.data {
            use std::os::unix::fs::FileExt;
            thread_local! {
                static LIST: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
            }
            let mut buf = LIST.take();
            buf.clear();
            buf.resize(range.len(), 0);
            let result = if file.read_exact_at(&mut buf, range.start as u64).is_ok() {
                Some(read(&buf, bitmap))
            } else {
                // Not read: from the map, then.
                self.data.bytes().get(range).map(|list| read(list, bitmap))
            };
            LIST.set(buf);
            return result;
        }
        self.data.bytes().get(range).map(|list| read(list, bitmap))
    }

    /// The articles holding the `i`th key, ascending; stops early (and
    /// drops what is out of range) if the list is damaged.
    pub fn postings(&self, i: usize, out: &mut Vec<u32>) {
        self.with_list(i, |list, bitmap| {
            if bitmap {
                for (n, chunk) in list.chunks(8).enumerate() {
                    let mut word = [0u8; 8];
                    word[..chunk.len()].copy_from_slice(chunk);
                    let mut word = u64::from_le_bytes(word);
                    while word != 0 {
                        let doc = n * 64 + word.trailing_zeros() as usize;
                        if doc >= self.docs {
                            return;
                        }
                        out.push(doc as u32);
                        word &= word - 1;
                    }
                }
                return;
            }
            self.each_delta(list, |doc| out.push(doc));
        });
    }

    /// Adds the articles holding the `i`th key to `bits` (article `d` is
    /// bit `d % 64` of word `d / 64`; articles past `bits` are dropped):
    /// a dense list is a bitmap stored, taken in a word at a time.
    /// Returns the bytes of postings read.
    pub fn postings_into(&self, i: usize, bits: &mut [u64]) -> usize {
        // No article past the segment's own.
        let words = self.docs.div_ceil(64).min(bits.len());
        self.with_list(i, |list, bitmap| {
            if bitmap {
                for (n, chunk) in list.chunks(8).take(words).enumerate() {
                    let mut word = [0u8; 8];
                    word[..chunk.len()].copy_from_slice(chunk);
                    let mut word = u64::from_le_bytes(word);
                    if n + 1 == self.docs.div_ceil(64) && !self.docs.is_multiple_of(64) {
                        word &= (1 << (self.docs % 64)) - 1;
                    }
                    bits[n] |= word;
                }
            } else {
                self.each_delta(list, |doc| {
                    if let Some(word) = bits.get_mut(doc as usize / 64) {
                        *word |= 1 << (doc % 64);
                    }
                });
            }
            list.len()
        })
        .unwrap_or(0)
    }

    /// Calls `each` with the articles of a list of deltas, ascending;
    /// stops at a damaged delta or one past the segment's articles.
    fn each_delta(&self, mut list: &[u8], mut each: impl FnMut(u32)) {
        let mut doc: u64 = 0;
        let mut first = true;
        while !list.is_empty() {
            let Ok((delta, used)) = get_varint(list) else {
                return;
            };
            list = &list[used..];
            if !first && delta == 0 {
                return;
            }
            doc = if first { delta } else { doc + delta };
            first = false;
            if doc >= self.docs as u64 {
                return;
            }
            each(doc as u32);
        }
    }
}

/// Appends `text` to `out` in UTF-16LE, as segments store text.
pub fn encode_utf16(text: &str, out: &mut Vec<u8>) {
    for unit in text.encode_utf16() {
        out.extend_from_slice(&unit.to_le_bytes());
    }
}

/// Text stored by [`encode_utf16`], decoded; a damaged unit becomes
/// U+FFFD.
pub fn decode_utf16(bytes: &[u8]) -> String {
    utf16_chars(bytes).collect()
}

/// The characters of text stored by [`encode_utf16`], one by one; a
/// damaged unit is U+FFFD.
pub fn utf16_chars(bytes: &[u8]) -> impl Iterator<Item = char> + '_ {
    let units = bytes
        .chunks_exact(2)
        .map(|pair| u16::from_le_bytes([pair[0], pair[1]]));
    char::decode_utf16(units).map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
}

/// Line feeds in `bytes`: counted in runs of at most 255 bytes in byte
/// lanes, which the compiler turns into vector code (the gaps between
/// matches are short: a call per gap into memchr's count cost more).
fn lines(bytes: &[u8]) -> usize {
    bytes
        .chunks(255)
        .map(|run| usize::from(run.iter().fold(0u8, |n, &b| n + u8::from(b == b'\n'))))
        .sum()
}

/// The first `i` in `0..len` for which `before(i)` is false (`before`
/// holds for a prefix of the range).
fn partition(len: usize, before: impl Fn(usize) -> bool) -> usize {
    let (mut lo, mut hi) = (0, len);
    while lo < hi {
        let mid = (lo + hi) / 2;
        if before(mid) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    lo
}

/// An article id (12 hex digits, [`crate::library::article_id`]) as a
/// number; `None` for any other id.
fn id_number(id: &str) -> Option<u64> {
    (id.len() == ID_DIGITS && id.bytes().all(|b| b.is_ascii_hexdigit()))
        .then(|| u64::from_str_radix(id, 16).ok())
        .flatten()
}

/// Hex digits of an article id.
const ID_DIGITS: usize = 12;

/// The numbers of the ids that start with `prefix`, lowest and highest.
fn id_range(prefix: &str) -> Option<(u64, u64)> {
    if prefix.is_empty()
        || prefix.len() > ID_DIGITS
        || !prefix.bytes().all(|b| b.is_ascii_hexdigit())
    {
        return None;
    }
    let value = u64::from_str_radix(prefix, 16).ok()?;
    let shift = 4 * (ID_DIGITS - prefix.len()) as u32;
    Some((value << shift, (value << shift) | ((1u64 << shift) - 1)))
}

/// What search ranks an article by after "in the headline": its date,
/// then its publication time, both newest first; an article without one
/// ranks after all with one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Rank {
    /// Days since 0001-01-01 (chrono's day count); `i32::MIN` for none.
    pub date: i32,
    /// Seconds since the Unix epoch; `i64::MIN` for none.
    pub published: i64,
}

impl Rank {
    /// No date, no time: ranks last.
    pub const NONE: Rank = Rank {
        date: i32::MIN,
        published: i64::MIN,
    };

    pub fn of(a: &Article) -> Rank {
        use chrono::Datelike;
        let date = a
            .date
            .as_deref()
            .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
            .map_or(i32::MIN, |d| d.num_days_from_ce());
        let published = a
            .published
            .as_deref()
            .and_then(|p| chrono::DateTime::parse_from_rfc3339(p).ok())
            .map_or(i64::MIN, |t| t.timestamp());
        Rank { date, published }
    }
}

fn range_ok(start: usize, end: usize, len: usize) -> bool {
    start <= end && end <= len
}

fn decode_article(
    r: &mut In<'_>,
    path: &str,
    previous: Option<&Article>,
) -> Result<Article, Corrupt> {
    let id = r.string()?;
    let same = r.varint()?;
    let mut shared: [Option<String>; 5] = Default::default();
    for (bit, field) in shared.iter_mut().enumerate() {
        *field = if same & 1 << bit == 0 {
            r.opt_string()?
        } else {
            let Some(previous) = previous else {
                return corrupt("an article refers to one before the first");
            };
            self::shared(previous)[bit].clone()
        };
    }
    let [feed, date, section, page, column] = shared;
    let mut next = || r.opt_string();
    let kicker = next()?;
    let title = next()?;
    let subtitle = next()?;
    let editor_code = next()?;
    let url = next()?;
    let published = next()?;
    let byline = match r.varint()? {
        0 => None,
        _ => {
            let text = r.string()?;
            let mut lists = [Vec::new(), Vec::new()];
            for list in &mut lists {
                let n = r.len(1 << 16)?;
                for _ in 0..n {
                    list.push(r.string()?);
                }
            }
            let [reporters, correspondents] = lists;
            Some(Byline {
                text,
                reporters,
                correspondents,
            })
        }
    };
    let first_line = r.len(usize::MAX)?;
    let last_line = r.len(usize::MAX)?;
    let lead = r.string()?;
    let mut count = || r.len(usize::MAX);
    let counts = Counts {
        paragraphs: count()?,
        photos: count()?,
        links: count()?,
        characters: count()?,
    };
    Ok(Article {
        id,
        feed,
        date,
        section,
        page,
        column,
        kicker,
        title,
        subtitle,
        byline,
        paragraphs: Vec::new(),
        roles: Vec::new(),
        source_note: None,
        editor_code,
        photos: Vec::new(),
        url,
        published,
        links: Vec::new(),
        source: SourceRef {
            path: path.to_owned(),
            first_line,
            last_line,
        },
        stub: Some(Stub { lead, counts }),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    /// A segment of one source whose articles have `titles` as headlines.
    fn segment_of(titles: &[String]) -> Segment {
        let roots = Roots::default();
        Segment::from_bytes(segment_bytes(titles), 1, &roots).unwrap_or_else(|e| panic!("{e:?}"))
    }

    /// The bytes of [`segment_of`]'s segment.
    fn segment_bytes(titles: &[String]) -> Vec<u8> {
        let ids: Vec<String> = (0..titles.len()).map(|n| format!("{n:012x}")).collect();
        segment_bytes_with(&ids, titles)
    }

    /// The bytes of a segment of one source whose articles have `ids` and
    /// `titles`.
    fn segment_bytes_with(ids: &[String], titles: &[String]) -> Vec<u8> {
        let mut builder =
            Builder::new(Cursor::new(Vec::new()), 1, 1).unwrap_or_else(|e| panic!("{e}"));
        let articles: Vec<Article> = ids
            .iter()
            .zip(titles)
            .enumerate()
            .map(|(n, (id, title))| Article {
                id: id.clone(),
                title: Some(title.clone()),
                ..Article::new("p.txt", n, n)
            })
            .collect();
        let info = SourceInfo::read("p.txt".to_owned(), "f".to_owned(), 1, 0);
        builder
            .add(info, &articles)
            .unwrap_or_else(|e| panic!("{e}"));
        builder
            .finish(&Roots::default())
            .unwrap_or_else(|e| panic!("{e}"))
            .into_inner()
    }

    /// An article whose id is not 12 hex digits still has its row in the
    /// id table (else the segment's layout is off by a row and it never
    /// opens); it is found by no id, the others as before.
    #[test]
    fn an_id_of_another_shape_keeps_the_segment_whole() {
        let ids = ["00000000000b", "第一版-1", "00000000000a", "abc"].map(str::to_owned);
        let titles = ["甲", "乙", "丙", "丁"].map(str::to_owned);
        let roots = Roots::default();
        let segment = Segment::from_bytes(segment_bytes_with(&ids, &titles), 1, &roots)
            .unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(segment.ids_with_prefix("00000000000b"), [0]);
        assert_eq!(segment.ids_with_prefix("00000000000"), [2, 0]);
        assert_eq!(segment.ids_with_prefix("abc"), Vec::<u32>::new());
        let headlines: Vec<&[u8]> = (0..4).map(|doc| segment.title(doc)).collect();
        let expected: Vec<&[u8]> = titles.iter().map(|t| t.as_bytes()).collect();
        assert_eq!(headlines, expected);
    }

    /// `titles_holding` marks exactly the articles whose own headline
    /// holds the text: not one whose headline ends where a match begins
    /// that runs into the next, while the next one's own match (after or
    /// overlapping it) counts; headlines looked at one by one agree.
    #[test]
    fn titles_holding_marks_the_headlines_that_hold_it() {
        let mut titles: Vec<String> = vec![
            "创新园区".into(),
            "科技创".into(), // 创 | 新 across two headlines
            "新闻发布".into(),
            "哈".into(), // 哈 | 哈哈: the next holds 哈哈 itself
            "哈哈镜".into(),
            "".into(),
            "创新创新".into(),
            "两行\n标题".into(), // a line feed inside: the articles after keep their numbers
        ];
        titles.extend((0..140).map(|n| {
            if n % 9 == 0 {
                format!("第{n}届创新大会")
            } else {
                format!("第{n}届运动会")
            }
        }));
        let segment = segment_of(&titles);
        for needle in ["创新", "哈哈", "创", "新闻", "会", "不在", "标题"] {
            let finder = Finder::new(needle);
            let mut bits = vec![0u64; segment.len().div_ceil(64)];
            segment.titles_holding(needle.as_bytes(), &mut bits);
            let got: Vec<usize> = (0..segment.len())
                .filter(|&d| bits[d / 64] & (1 << (d % 64)) != 0)
                .collect();
            let expected: Vec<usize> = (0..segment.len())
                .filter(|&d| finder.find(segment.title(d)).is_some())
                .collect();
            assert_eq!(got, expected, "{needle}");
            let by_hand: Vec<usize> = titles
                .iter()
                .enumerate()
                .filter(|(_, t)| t.contains(needle))
                .map(|(d, _)| d)
                .collect();
            assert_eq!(got, by_hand, "{needle}");
        }
        // No headline holds a line feed, not even the one written with it.
        let mut bits = vec![0u64; segment.len().div_ceil(64)];
        segment.titles_holding("行\n标".as_bytes(), &mut bits);
        assert!(bits.iter().all(|&w| w == 0));
        segment.titles_holding("创新".as_bytes(), &mut bits);
        assert_eq!(bits[0] & 0b111_1111, 0b100_0001, "not 科技创 | 新闻发布");
        segment.titles_holding("哈哈".as_bytes(), &mut bits);
        assert_eq!(bits[0] & 0b111_1111, 0b101_0001, "哈哈镜, not 哈");
    }

    /// `postings_into` sets the bits of exactly the articles `postings`
    /// lists, for lists stored as bitmaps (a key in most articles) and as
    /// deltas (a key in a few), the last word of a bitmap cut at the
    /// segment's end; a smaller set of bits takes what fits.
    #[test]
    fn postings_into_bits_are_the_postings() {
        // 130 articles (not a multiple of 64): 新闻 in all but every
        // thirteenth, 院士 in every thirtieth.
        let titles: Vec<String> = (0..130)
            .map(|n| {
                let common = if n % 13 == 0 { "天气" } else { "新闻" };
                let rare = if n % 30 == 0 { "院士" } else { "晴朗" };
                format!("{common}{n}{rare}")
            })
            .collect();
        let segment = segment_of(&titles);
        assert_eq!(segment.len(), 130);
        let mut kinds = (0, 0);
        for key in ["新闻", "院士", "天气"] {
            let mut keys = Vec::new();
            grams::keys(key, |k| keys.push(k));
            let i = segment
                .find_key(keys[0])
                .unwrap_or_else(|| panic!("{key} is a key"));
            let Some((range, bitmap)) = segment.list_range(i) else {
                panic!("{key}'s list");
            };
            if bitmap {
                kinds.0 += 1;
            } else {
                kinds.1 += 1;
            }
            let mut expected = Vec::new();
            segment.postings(i, &mut expected);
            let mut bits = vec![0u64; 3];
            assert_eq!(segment.postings_into(i, &mut bits), range.len());
            let got: Vec<u32> = (0..192u32)
                .filter(|&d| bits[d as usize / 64] & (1 << (d % 64)) != 0)
                .collect();
            assert_eq!(got, expected, "{key}");
            let mut two = vec![0u64; 1];
            segment.postings_into(i, &mut two);
            assert_eq!(
                two[0].count_ones() as usize,
                expected.iter().filter(|&&d| d < 64).count(),
                "{key}"
            );
        }
        assert_eq!(kinds, (1, 2), "one bitmap, two lists of deltas");
        // Opened from its file, a segment reads its lists from the file
        // (not through the map): the same postings, either way.
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("seg");
        std::fs::write(&path, segment_bytes(&titles)).unwrap_or_else(|e| panic!("{e}"));
        let opened = Segment::open(&path, 1, &Roots::default()).unwrap_or_else(|e| panic!("{e:?}"));
        assert!(matches!(opened.data, Data::Map(..)));
        assert_eq!(opened.key_count(), segment.key_count());
        for i in 0..segment.key_count() {
            let (mut a, mut b) = (Vec::new(), Vec::new());
            segment.postings(i, &mut a);
            opened.postings(i, &mut b);
            assert_eq!(a, b, "key {i}");
            let (mut x, mut y) = (vec![0u64; 3], vec![0u64; 3]);
            assert_eq!(
                segment.postings_into(i, &mut x),
                opened.postings_into(i, &mut y)
            );
            assert_eq!(x, y, "key {i}");
        }
    }
}
