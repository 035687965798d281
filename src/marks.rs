//! Read and starred marks of articles, kept between runs in `state.json`.
//!
//! [`Marks`] is plain data: the ids (from [`crate::library::article_id`]) of
//! the articles read and starred. [`StateStore`] is where they are kept,
//! `$XDG_STATE_HOME/kanbao/state.json` or `~/.local/state/kanbao/state.json`.
//! The file reads `{"version": 1, "read": [ids…], "starred": [ids…]}`, ids
//! sorted, and, where the reader was, `"last": id` (the article open when it
//! quit) and `"places": {id: {"block": n, "end": bool}}` (where each article
//! was left: the block at the top of the reader, or its end). Both are
//! optional, so files of earlier kanbao read as they were.
//!
//! Loading never fails and never loses a file: a missing file means no marks;
//! a file that cannot be used (unreadable, not JSON, the wrong shape) is moved
//! aside to `state.json.corrupt-<unix seconds>`, and one written by a newer
//! kanbao (a later `version`) to `state.json.v<version>-<unix seconds>`, so
//! that saving cannot overwrite it and the newer kanbao's marks can be put
//! back by hand; either way a warning names both paths and the marks start
//! empty. A move never replaces an earlier moved file. Saving writes a
//! temporary file beside `state.json` and renames it over, so a crash or a
//! full disk leaves the previous marks whole; the temporary files of saves
//! that were killed before their rename are removed by the next save.

use std::collections::{BTreeMap, BTreeSet};
use std::env;
use std::ffi::{OsStr, OsString};
use std::fs;
use std::io::{self, ErrorKind};
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::model::Warning;

/// The `version` this kanbao writes and reads.
pub const VERSION: u64 = 1;

/// Which articles are read and which are starred, by article id, and
/// where the reader left them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Marks {
    read: BTreeSet<String>,
    starred: BTreeSet<String>,
    places: BTreeMap<String, Place>,
    last: Option<String>,
}

/// Where an article was left in the reader.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Place {
    /// The block (heading, paragraph …) at the top of the reader.
    pub block: usize,
    /// How many of the block's lines were above the top (at the width it
    /// was read at; a relayout keeps the block in view).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub line: usize,
    /// The reader was at the article's end, which a relayout keeps.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub end: bool,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// Places kept at most: the oldest are dropped beyond it, so that the file
/// stays small however much is read.
pub const MAX_PLACES: usize = 2_000;

impl Marks {
    pub fn is_read(&self, id: &str) -> bool {
        self.read.contains(id)
    }

    pub fn is_starred(&self, id: &str) -> bool {
        self.starred.contains(id)
    }

    pub fn set_read(&mut self, id: &str, read: bool) {
        set(&mut self.read, id, read);
    }

    pub fn set_starred(&mut self, id: &str, starred: bool) {
        set(&mut self.starred, id, starred);
    }

    /// Flips the read mark; returns whether the article is now read.
    pub fn toggle_read(&mut self, id: &str) -> bool {
        toggle(&mut self.read, id)
    }

    /// Flips the star; returns whether the article is now starred.
    pub fn toggle_star(&mut self, id: &str) -> bool {
        toggle(&mut self.starred, id)
    }

    /// Where article `id` was left, if it was.
    pub fn place(&self, id: &str) -> Option<Place> {
        self.places.get(id).copied()
    }

    /// Remembers where article `id` was left; the start of an article is
    /// where it opens anyway, so it is not kept.
    pub fn set_place(&mut self, id: &str, place: Place) {
        if place == Place::default() {
            self.places.remove(id);
        } else if let Some(kept) = self.places.get_mut(id) {
            *kept = place;
        } else {
            if self.places.len() >= MAX_PLACES {
                // Ids carry no time; dropping the first in order is as good
                // as any, and keeps the article just read.
                let first = self.places.keys().next().cloned();
                if let Some(first) = first {
                    self.places.remove(&first);
                }
            }
            self.places.insert(id.to_owned(), place);
        }
    }

    /// The article open when the reader quit.
    pub fn last(&self) -> Option<&str> {
        self.last.as_deref()
    }

    pub fn set_last(&mut self, id: Option<&str>) {
        self.last = id.map(str::to_owned);
    }
}

fn set(ids: &mut BTreeSet<String>, id: &str, on: bool) {
    if !on {
        ids.remove(id);
    } else if !ids.contains(id) {
        ids.insert(id.to_owned());
    }
}

fn toggle(ids: &mut BTreeSet<String>, id: &str) -> bool {
    let on = !ids.contains(id);
    set(ids, id, on);
    on
}

/// The file as written.
#[derive(Serialize)]
struct FileOut<'a> {
    version: u64,
    read: &'a BTreeSet<String>,
    starred: &'a BTreeSet<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    last: Option<&'a str>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    places: &'a BTreeMap<String, Place>,
}

impl FileOut<'_> {
    fn of(marks: &Marks) -> FileOut<'_> {
        FileOut {
            version: VERSION,
            read: &marks.read,
            starred: &marks.starred,
            last: marks.last.as_deref(),
            places: &marks.places,
        }
    }
}

/// The file as read, once its `version` is known to be [`VERSION`].
#[derive(Deserialize)]
struct FileIn {
    read: BTreeSet<String>,
    starred: BTreeSet<String>,
    #[serde(default)]
    last: Option<String>,
    #[serde(default)]
    places: BTreeMap<String, Place>,
}

/// Where the marks are kept: one `state.json`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StateStore {
    path: PathBuf,
}

/// Finds and loads the marks of this process's environment.
///
/// Without a usable `$XDG_STATE_HOME` or `$HOME` there is no store: the marks
/// start empty, cannot be saved, and a warning says so.
pub fn open() -> (Option<StateStore>, Marks, Vec<Warning>) {
    match StateStore::locate() {
        Some(store) => {
            let (marks, warnings) = store.load();
            (Some(store), marks, warnings)
        }
        None => {
            let warning = Warning::new(
                "state.json",
                None,
                "cannot be located: neither $XDG_STATE_HOME nor $HOME is set to an absolute \
                 path; read marks start empty and are not saved; set $HOME or $XDG_STATE_HOME",
            );
            (None, Marks::default(), vec![warning])
        }
    }
}

impl StateStore {
    /// The store of this process's environment; see [`StateStore::locate_in`].
    pub fn locate() -> Option<StateStore> {
        let xdg_state_home = env::var_os("XDG_STATE_HOME");
        let home = env::var_os("HOME");
        StateStore::locate_in(xdg_state_home.as_deref(), home.as_deref())
    }

    /// `kanbao/state.json` in `xdg_state_home` when it is an absolute path,
    /// else in `home/.local/state` when `home` is; else `None`. Relative
    /// paths are ignored, as the XDG base directory specification asks, so
    /// that the file never depends on the working directory.
    pub fn locate_in(xdg_state_home: Option<&OsStr>, home: Option<&OsStr>) -> Option<StateStore> {
        fn absolute(dir: Option<&OsStr>) -> Option<&Path> {
            dir.map(Path::new).filter(|p| p.is_absolute())
        }
        let state_home = match absolute(xdg_state_home) {
            Some(dir) => dir.to_path_buf(),
            None => absolute(home)?.join(".local").join("state"),
        };
        Some(StateStore::at(state_home.join("kanbao").join("state.json")))
    }

    /// The store kept in the file `path`.
    pub fn at(path: impl Into<PathBuf>) -> StateStore {
        StateStore { path: path.into() }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Reads the marks. A missing file is no marks; any other problem is a
    /// warning, and a file that cannot be used is moved aside (see the module
    /// documentation) so that the next save cannot overwrite it.
    pub fn load(&self) -> (Marks, Vec<Warning>) {
        let shown = self.path.display().to_string();
        let problem = match fs::read(&self.path) {
            Ok(bytes) => match parse(&bytes) {
                Ok(marks) => return (marks, Vec::new()),
                Err(problem) => problem,
            },
            Err(e) if e.kind() == ErrorKind::NotFound => return (Marks::default(), Vec::new()),
            Err(e) if fs::symlink_metadata(&self.path).is_err() => {
                // Nothing there to move aside, e.g. a parent folder is a file.
                let message = format!("cannot read: {e}; read marks start empty");
                return (Marks::default(), vec![Warning::new(&shown, None, message)]);
            }
            Err(e) => Problem::Invalid(format!("cannot read: {e}")),
        };
        let (tag, reason) = match problem {
            Problem::Invalid(reason) => ("corrupt".to_owned(), reason),
            Problem::Newer(version) => (
                format!("v{version}"),
                format!(
                    "written by a newer kanbao (version {version}; this one reads version \
                     {VERSION})"
                ),
            ),
        };
        let message = match move_aside(&self.path, &tag) {
            Ok(aside) => format!(
                "{reason}; moved it to {}; read marks start empty",
                aside.display()
            ),
            Err((aside, e)) => format!(
                "{reason}; cannot move it to {} ({e}); read marks start empty, and saving \
                 them will replace the file: move it away to keep it",
                aside.display()
            ),
        };
        (Marks::default(), vec![Warning::new(&shown, None, message)])
    }

    /// Replaces the file with `marks`, atomically: the folder is created if
    /// needed, a temporary file beside `state.json` is written, synced and
    /// renamed over it, then the folder is synced. On failure the temporary
    /// file is removed, the previous file is left as it was, and the message
    /// names the path, the system's reason and what to do. When `state.json`
    /// is a symbolic link, the file it points to is replaced.
    pub fn save(&self, marks: &Marks) -> Result<(), String> {
        let target = if self.path.is_symlink() {
            fs::canonicalize(&self.path).unwrap_or_else(|_| self.path.clone())
        } else {
            self.path.clone()
        };
        let file = FileOut::of(marks);
        let mut bytes =
            serde_json::to_vec_pretty(&file).map_err(|e| format!("cannot save read marks: {e}"))?;
        bytes.push(b'\n');
        // A save killed before its rename leaves its temporary file; remove
        // those first, which also gives their space back to this one.
        crate::atomic::remove_stale_temps(&target);
        crate::atomic::write(&target, &bytes).map_err(|e| {
            format!(
                "cannot save read marks to {}: {e}; {}",
                self.path.display(),
                save_fix(e.kind(), &target)
            )
        })
    }
}

/// What to do about a failed save of `target`.
fn save_fix(kind: ErrorKind, target: &Path) -> String {
    match kind {
        ErrorKind::IsADirectory => format!("{} is a folder; move it away", target.display()),
        ErrorKind::NotADirectory | ErrorKind::AlreadyExists => {
            "check that every part of the path is a folder".to_owned()
        }
        ErrorKind::StorageFull | ErrorKind::QuotaExceeded => "free some disk space".to_owned(),
        ErrorKind::ReadOnlyFilesystem => "the folder is on a read-only file system; set \
                                          $XDG_STATE_HOME to a writable folder"
            .to_owned(),
        ErrorKind::FileTooLarge => "the file is larger than this process may write; raise the \
                                    file size limit (ulimit -f)"
            .to_owned(),
        _ => "check that the folder is writable".to_owned(),
    }
}

/// Why a file's bytes are not marks.
enum Problem {
    Invalid(String),
    Newer(u64),
}

fn parse(bytes: &[u8]) -> Result<Marks, Problem> {
    let value: Value = serde_json::from_slice(bytes)
        .map_err(|e| Problem::Invalid(format!("not valid JSON: {e}")))?;
    let not_marks = |detail: &str| Problem::Invalid(format!("not kanbao read marks: {detail}"));
    let Some(object) = value.as_object() else {
        return Err(not_marks("expected a JSON object"));
    };
    match object.get("version").and_then(Value::as_u64) {
        Some(VERSION) => {}
        Some(version) if version > VERSION => return Err(Problem::Newer(version)),
        Some(version) => return Err(not_marks(&format!("unknown version {version}"))),
        None => return Err(not_marks("no \"version\" number")),
    }
    let file: FileIn = serde_json::from_value(value).map_err(|e| not_marks(&e.to_string()))?;
    Ok(Marks {
        read: file.read,
        starred: file.starred,
        places: file.places,
        last: file.last,
    })
}

/// Renames `path` to `<name>.<tag>-<unix seconds>` (then `-1`, `-2`, … if
/// taken) beside it, never replacing an existing file.
fn move_aside(path: &Path, tag: &str) -> Result<PathBuf, (PathBuf, io::Error)> {
    let seconds = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let name = path.file_name().unwrap_or(OsStr::new("state.json"));
    let mut aside = PathBuf::new();
    for n in 0..1000 {
        let mut candidate = OsString::from(name);
        candidate.push(format!(".{tag}-{seconds}"));
        if n > 0 {
            candidate.push(format!("-{n}"));
        }
        aside = path.with_file_name(candidate);
        match rename_no_clobber(path, &aside) {
            Ok(()) => return Ok(aside),
            Err(e) if e.kind() == ErrorKind::AlreadyExists => continue,
            Err(e) => return Err((aside, e)),
        }
    }
    let e = io::Error::new(ErrorKind::AlreadyExists, "too many moved files");
    Err((aside, e))
}

/// Renames `from` to `to` unless `to` exists. A hard link makes the check and
/// the move one step; where links do not work (some file systems, folders) a
/// check before a plain rename does.
fn rename_no_clobber(from: &Path, to: &Path) -> io::Result<()> {
    match fs::hard_link(from, to) {
        Ok(()) => fs::remove_file(from),
        Err(e) if e.kind() == ErrorKind::AlreadyExists => Err(e),
        Err(_) if to.symlink_metadata().is_ok() => Err(ErrorKind::AlreadyExists.into()),
        Err(_) => fs::rename(from, to),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case::read_once(&["r:a"], &["a"], &[])]
    #[case::read_twice(&["r:a", "r:a"], &[], &[])]
    #[case::star_twice(&["s:a", "s:a"], &[], &[])]
    #[case::apart(&["r:a", "s:b"], &["a"], &["b"])]
    #[case::both(&["r:a", "s:a"], &["a"], &["a"])]
    fn toggles(#[case] steps: &[&str], #[case] read: &[&str], #[case] starred: &[&str]) {
        let mut marks = Marks::default();
        for step in steps {
            match step.split_once(':') {
                Some(("r", id)) => {
                    let was = marks.is_read(id);
                    assert_eq!(marks.toggle_read(id), !was);
                }
                Some(("s", id)) => {
                    let was = marks.is_starred(id);
                    assert_eq!(marks.toggle_star(id), !was);
                }
                _ => unreachable!("step {step}"),
            }
        }
        let set = |ids: &[&str]| ids.iter().map(|s| (*s).to_owned()).collect();
        assert_eq!(marks.read, set(read));
        assert_eq!(marks.starred, set(starred));
    }

    #[test]
    fn set_read_is_idempotent() {
        let mut marks = Marks::default();
        marks.set_read("a", true);
        marks.set_read("a", true);
        assert!(marks.is_read("a"));
        marks.set_read("a", false);
        marks.set_read("a", false);
        assert_eq!(marks, Marks::default());
    }

    #[rstest]
    #[case::not_json(b"{", "not valid JSON: EOF while parsing an object at line 1 column 1")]
    #[case::array(b"[]", "not kanbao read marks: expected a JSON object")]
    #[case::no_version(
        br#"{"read": [], "starred": []}"#,
        "not kanbao read marks: no \"version\" number"
    )]
    #[case::version_zero(
        br#"{"version": 0, "read": [], "starred": []}"#,
        "not kanbao read marks: unknown version 0"
    )]
    #[case::no_starred(
        br#"{"version": 1, "read": []}"#,
        "not kanbao read marks: missing field `starred`"
    )]
    #[case::number_id(
        br#"{"version": 1, "read": [5], "starred": []}"#,
        "not kanbao read marks: invalid type: integer `5`, expected a string"
    )]
    fn invalid_files(#[case] bytes: &[u8], #[case] reason: &str) {
        match parse(bytes) {
            Err(Problem::Invalid(r)) => assert_eq!(r, reason),
            Err(Problem::Newer(v)) => panic!("read as version {v}"),
            Ok(marks) => panic!("read as {marks:?}"),
        }
    }

    #[rstest]
    #[case::full(ErrorKind::StorageFull, "free some disk space")]
    #[case::quota(ErrorKind::QuotaExceeded, "free some disk space")]
    #[case::read_only(
        ErrorKind::ReadOnlyFilesystem,
        "the folder is on a read-only file system; set $XDG_STATE_HOME to a writable folder"
    )]
    #[case::too_large(
        ErrorKind::FileTooLarge,
        "the file is larger than this process may write; raise the file size limit (ulimit -f)"
    )]
    #[case::denied(ErrorKind::PermissionDenied, "check that the folder is writable")]
    #[case::folder(ErrorKind::IsADirectory, "/s/state.json is a folder; move it away")]
    fn save_fixes(#[case] kind: ErrorKind, #[case] fix: &str) {
        assert_eq!(save_fix(kind, Path::new("/s/state.json")), fix);
    }

    #[test]
    fn places_and_the_last_article_round_trip_and_old_files_read() {
        let mut marks = Marks::default();
        marks.set_place(
            "a",
            Place {
                block: 4,
                line: 0,
                end: false,
            },
        );
        marks.set_place(
            "b",
            Place {
                block: 9,
                line: 2,
                end: true,
            },
        );
        marks.set_place("c", Place::default());
        marks.set_last(Some("a"));
        let file = FileOut::of(&marks);
        let bytes = serde_json::to_vec(&file).unwrap_or_default();
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            text.contains(r#""places":{"a":{"block":4},"b":{"block":9,"line":2,"end":true}}"#),
            "{text}"
        );
        assert!(matches!(parse(&bytes), Ok(m) if m == marks));
        let old = parse(br#"{"version": 1, "read": ["x"], "starred": []}"#);
        assert!(matches!(old, Ok(m) if m.last().is_none() && m.place("x").is_none()));
    }

    #[test]
    fn places_are_capped() {
        let mut marks = Marks::default();
        for n in 0..MAX_PLACES + 5 {
            marks.set_place(
                &format!("{n:05}"),
                Place {
                    block: 1,
                    line: 0,
                    end: false,
                },
            );
        }
        assert_eq!(marks.places.len(), MAX_PLACES);
        assert!(marks.place(&format!("{:05}", MAX_PLACES + 4)).is_some());
    }

    #[test]
    fn later_version_is_newer() {
        assert!(matches!(
            parse(br#"{"version": 2, "read": {}}"#),
            Err(Problem::Newer(2))
        ));
    }
}
