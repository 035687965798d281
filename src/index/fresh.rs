//! Knowing that the index is up to date without a look at every file.
//!
//! A full check walks the feed folders and compares each file's size and
//! modification time with the index's; at a million articles that is
//! 200,000 `stat` calls for every command. A folder's modification time
//! changes whenever a name in it is added, removed or renamed, so the quick
//! check compares the folders' times instead (a few thousand), reads again
//! only the folders that changed, and compares the most recently changed
//! files one by one. What it cannot see is a file rewritten in place
//! (same name, no rename) that is not among those: `--fresh` and the
//! reader do the full walk. README.md, "The index", says what
//! each guarantees.
//!
//! What the last refresh saw is kept in the index folder as `FOLDERS`:
//!
//! ```text
//! magic "KANBAOFD", version u32, checksum u64 of the rest, then varints:
//! when the walk began (ns); the feeds' folders as the config named them;
//! the folders (path, depth, modification time in ns or -1 for "look
//! again"); the newest files (path, size, time)
//! ```

use std::fs;
use std::io;
use std::path::Path;
use std::time::UNIX_EPOCH;

use super::format::{In, Out, checksum};

/// How thoroughly a refresh looks at the feed folders.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Freshness {
    /// Folders' times and the newest files (see the module docs).
    Quick,
    /// Every file's size and time, and every segment's records checked.
    Full,
}

const MAGIC: &[u8; 8] = b"KANBAOFD";
const VERSION: u32 = 2;
pub const FILE: &str = "FOLDERS";

/// Files compared one by one by a quick check: the newest are the ones a
/// fetch or an editor is still changing.
pub const RECENT_FILES: usize = 1000;

/// A folder or file time this close to the walk's start may yet change
/// within the same clock tick, unseen: such a folder is looked at again.
const RACY_NS: i64 = 2_000_000_000;

/// What the last refresh saw.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Seen {
    /// When its walk began, in ns since the epoch.
    pub walked_at: i64,
    /// The feeds' folders as the config named them ([`roots`]): the paths
    /// below begin with them.
    pub roots: Vec<String>,
    /// Every folder listed: path, depth below its feed's folder, and its
    /// modification time (-1: look again next time).
    pub folders: FolderList,
    /// The most recently changed files: path, size, time.
    pub recent: Vec<(String, u64, i64)>,
}

impl Seen {
    /// The folders' time as recorded: -1 when it is too close to the
    /// walk's start to trust.
    pub fn folder_time(walked_at: i64, mtime: Option<i64>) -> i64 {
        match mtime {
            Some(t) if t.saturating_add(RACY_NS) < walked_at => t,
            _ => -1,
        }
    }

    /// Reads `FOLDERS` from the index folder; `None` when it is missing,
    /// foreign or damaged (then a full walk is made).
    pub fn read(dir: &Path) -> Option<Seen> {
        let bytes = fs::read(dir.join(FILE)).ok()?;
        if bytes.len() < 20 || &bytes[..8] != MAGIC {
            return None;
        }
        let mut head = In::new(&bytes[8..20]);
        let version = head.u32().ok()?;
        let sum = head.u64().ok()?;
        let body = &bytes[20..];
        if version != VERSION || checksum(body) != sum {
            return None;
        }
        let mut r = In::new(body);
        let walked_at = r.varint().ok()? as i64;
        let n = r.len(body.len()).ok()?;
        let roots = (0..n).map(|_| r.string().ok()).collect::<Option<_>>()?;
        let n = r.len(body.len()).ok()?;
        let mut folders = FolderList::with_capacity(n, body.len());
        for _ in 0..n {
            let path = r.str().ok()?;
            let depth = r.varint().ok()? as u32;
            let mtime = r.varint().ok()? as i64;
            folders.push(path, depth, mtime);
        }
        let n = r.len(body.len()).ok()?;
        let mut recent = Vec::with_capacity(n);
        for _ in 0..n {
            let path = r.string().ok()?;
            let size = r.varint().ok()?;
            let mtime = r.varint().ok()? as i64;
            recent.push((path, size, mtime));
        }
        Some(Seen {
            walked_at,
            roots,
            folders,
            recent,
        })
    }

    /// Writes `FOLDERS` to the index folder, atomically.
    pub fn write(&self, dir: &Path) -> io::Result<()> {
        let mut body = Out::default();
        body.varint(self.walked_at as u64);
        body.varint(self.roots.len() as u64);
        for root in &self.roots {
            body.str(root);
        }
        body.varint(self.folders.len() as u64);
        for (path, depth, mtime) in self.folders.iter() {
            body.str(path);
            body.varint(u64::from(depth));
            body.varint(mtime as u64);
        }
        body.varint(self.recent.len() as u64);
        for (path, size, mtime) in &self.recent {
            body.str(path);
            body.varint(*size);
            body.varint(*mtime as u64);
        }
        let mut bytes = Vec::with_capacity(body.buf.len() + 20);
        bytes.extend_from_slice(MAGIC);
        bytes.extend_from_slice(&VERSION.to_le_bytes());
        bytes.extend_from_slice(&checksum(&body.buf).to_le_bytes());
        bytes.extend_from_slice(&body.buf);
        // A cache: a crash that leaves it cut fails its checksum, and the
        // next check walks every folder.
        crate::atomic::replace(&dir.join(FILE), &bytes)
    }
}

/// Folders as a walk saw them, in its order: path, depth below the feed's
/// folder and time, the paths kept in one string. A million articles' archive
/// has tens of thousands of folders, and every command reads and compares
/// them: one allocation, not one a path.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FolderList {
    paths: String,
    /// Where each path ends in `paths`, its depth and its time.
    rows: Vec<(usize, u32, i64)>,
}

impl FolderList {
    /// An empty list with room for `folders` folders whose paths take
    /// `bytes` in all.
    pub fn with_capacity(folders: usize, bytes: usize) -> FolderList {
        FolderList {
            paths: String::with_capacity(bytes),
            rows: Vec::with_capacity(folders),
        }
    }

    pub fn push(&mut self, path: &str, depth: u32, mtime: i64) {
        self.paths.push_str(path);
        self.rows.push((self.paths.len(), depth, mtime));
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Each folder: its path, depth and time.
    pub fn iter(&self) -> impl Iterator<Item = (&str, u32, i64)> + '_ {
        let starts = std::iter::once(0).chain(self.rows.iter().map(|&(end, _, _)| end));
        starts.zip(&self.rows).map(|(start, &(end, depth, mtime))| {
            (self.paths.get(start..end).unwrap_or(""), depth, mtime)
        })
    }

    /// Each folder's path.
    pub fn paths(&self) -> impl Iterator<Item = &str> + '_ {
        self.iter().map(|(path, _, _)| path)
    }

    /// The feeds' own folders (depth 0), a few among thousands: path and
    /// time.
    pub fn roots(&self) -> impl Iterator<Item = (&str, i64)> + '_ {
        self.iter()
            .filter(|&(_, depth, _)| depth == 0)
            .map(|(path, _, mtime)| (path, mtime))
    }
}

/// The feeds' folders as `config` names them, in its order.
pub fn roots(config: &crate::config::Config) -> Vec<String> {
    config
        .feeds
        .iter()
        .map(|f| f.path.display().to_string())
        .collect()
}

/// A hasher for the folders' paths, eight bytes a step (SipHash, the
/// standard one, takes several times as long over the tens of thousands
/// of paths a check compares). The paths are the reader's own folders,
/// not keys chosen by others.
#[derive(Default)]
pub struct PathHasher(u64);

impl std::hash::Hasher for PathHasher {
    fn finish(&self) -> u64 {
        let h = self.0;
        (h ^ (h >> 29)).wrapping_mul(MIX) ^ (h >> 32)
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(c);
            self.0 = (self.0 ^ u64::from_le_bytes(word))
                .wrapping_mul(MIX)
                .rotate_left(29);
        }
        for &b in chunks.remainder() {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(MIX).rotate_left(29);
        }
    }
}

const MIX: u64 = 0x9E37_79B9_7F4A_7C15;

/// Now, in ns since the epoch.
pub fn now_ns() -> i64 {
    std::time::SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_nanos()).unwrap_or(i64::MAX))
}

/// A folder's modification time in ns, if it is still a folder.
pub fn folder_mtime(path: &Path) -> Option<i64> {
    let m = fs::metadata(path).ok()?;
    m.is_dir().then(|| super::mtime_ns(&m))
}

/// What a look at a path found (symbolic links followed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stat {
    pub size: u64,
    /// Modification time in ns since the epoch.
    pub mtime: i64,
    pub folder: bool,
}

/// Paths looked at before a second thread helps.
const PARALLEL_STATS: usize = 2048;

/// Each of `paths` looked at (`None` where it cannot be), in order. The
/// cost of a look is mostly finding the path, one name at a time: each is
/// looked up in its folder, opened once for a run of neighbours, and two
/// threads share a long list.
pub fn stat_all(paths: &[&str]) -> Vec<Option<Stat>> {
    if paths.len() < PARALLEL_STATS {
        return stat_run(paths);
    }
    let (a, b) = paths.split_at(paths.len() / 2);
    std::thread::scope(|scope| {
        let second = scope.spawn(|| stat_run(b));
        let mut first = stat_run(a);
        first.extend(second.join().unwrap_or_else(|_| stat_run(b)));
        first
    })
}

/// [`stat_all`] on this thread.
fn stat_run(paths: &[&str]) -> Vec<Option<Stat>> {
    let mut folders = Folders::default();
    paths
        .iter()
        .map(|p| match split_name(p) {
            Some((dir, name)) => folders.stat(Path::new(dir), std::ffi::OsStr::new(name)),
            None => stat_path(Path::new(p)),
        })
        .collect()
}

/// A path's folder and last name, cut at its last separator (cheaper
/// than taking the path apart into components); `None` for a path
/// without both, or ending in `.` or `..`.
fn split_name(path: &str) -> Option<(&str, &str)> {
    let (dir, name) = path.rsplit_once(std::path::MAIN_SEPARATOR)?;
    if name.is_empty() || name == "." || name == ".." || dir.is_empty() {
        return None;
    }
    Some((dir, name))
}

fn stat_path(path: &Path) -> Option<Stat> {
    let m = fs::metadata(path).ok()?;
    Some(Stat {
        size: m.len(),
        mtime: super::mtime_ns(&m),
        folder: m.is_dir(),
    })
}

/// The folders opened last, to look names up in.
#[derive(Default)]
struct Folders {
    open: Vec<(std::path::PathBuf, Option<fs::File>)>,
}

/// Folders kept open: a folder, its subfolder, and a third.
const OPEN_FOLDERS: usize = 3;

impl Folders {
    /// `name` in folder `dir`, looked up from `dir`'s descriptor.
    #[cfg(unix)]
    fn stat(&mut self, dir: &Path, name: &std::ffi::OsStr) -> Option<Stat> {
        use std::os::fd::AsRawFd;
        use std::os::unix::ffi::OsStrExt;
        let at = match self
            .open
            .iter()
            .position(|(d, _)| d.as_os_str() == dir.as_os_str())
        {
            Some(n) => n,
            None => {
                if self.open.len() == OPEN_FOLDERS {
                    self.open.remove(0);
                }
                self.open
                    .push((dir.to_path_buf(), fs::File::open(dir).ok()));
                self.open.len() - 1
            }
        };
        let Some(folder) = &self.open[at].1 else {
            return stat_path(&dir.join(name));
        };
        let name = std::ffi::CString::new(name.as_bytes()).ok()?;
        // SAFETY: `stat` is plain data that fstatat fills in; the
        // descriptor is open for the call and the name is NUL-terminated.
        let mut st: libc::stat = unsafe { std::mem::zeroed() };
        let r = unsafe { libc::fstatat(folder.as_raw_fd(), name.as_ptr(), &mut st, 0) };
        if r != 0 {
            return None;
        }
        #[allow(
            clippy::useless_conversion,
            reason = "time_t and its nanoseconds are narrower on some targets"
        )]
        let ns = i64::from(st.st_mtime)
            .saturating_mul(1_000_000_000)
            .saturating_add(i64::from(st.st_mtime_nsec));
        Some(Stat {
            size: u64::try_from(st.st_size).unwrap_or(0),
            mtime: ns,
            folder: st.st_mode & libc::S_IFMT == libc::S_IFDIR,
        })
    }

    #[cfg(not(unix))]
    fn stat(&mut self, dir: &Path, name: &std::ffi::OsStr) -> Option<Stat> {
        stat_path(&dir.join(name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_of_the_folders_reads_back_as_written() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let mut folders = FolderList::default();
        folders.push("/报纸/日报", 0, 1_700_000_000_000_000_000);
        folders.push("/报纸/日报/2023-03-10", 1, -1);
        folders.push("", 2, 7);
        folders.push("/报纸/日报/2023-03-11", 1, 42);
        let seen = Seen {
            walked_at: 1_800_000_000_000_000_000,
            roots: vec!["/报纸/日报".to_owned()],
            folders,
            recent: vec![("/报纸/日报/2023-03-11/01.txt".to_owned(), 3_000, 41)],
        };
        assert!(seen.write(dir.path()).is_ok());
        let read = Seen::read(dir.path());
        assert_eq!(read.as_ref(), Some(&seen));
        let listed: Vec<(&str, u32, i64)> = seen.folders.iter().collect();
        assert_eq!(
            listed,
            [
                ("/报纸/日报", 0, 1_700_000_000_000_000_000),
                ("/报纸/日报/2023-03-10", 1, -1),
                ("", 2, 7),
                ("/报纸/日报/2023-03-11", 1, 42),
            ]
        );
        assert_eq!(seen.folders.paths().nth(3), Some("/报纸/日报/2023-03-11"));
        // A cut or changed record is not trusted.
        let file = dir.path().join(FILE);
        let bytes = fs::read(&file).unwrap_or_default();
        assert!(fs::write(&file, &bytes[..bytes.len() - 1]).is_ok());
        assert_eq!(Seen::read(dir.path()), None);
    }
}
