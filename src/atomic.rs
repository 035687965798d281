//! Writing a file so that a crash leaves the old or the new content, never
//! a mix: a new temporary file in the same folder, written and synced, then
//! renamed over the target, then the folder synced. Used for read marks
//! and for stored feed items.
//!
//! [`write_many`] does the same for a batch of files in one folder; a batch
//! of many files is flushed at once (`syncfs` on Linux) instead of one
//! fsync per file, which for 5,000 files would take seconds. A batch of a
//! few files (a fetch's day bundles) is synced file by file: `syncfs`
//! also waits for every other program's unwritten data on that disk.

use std::ffi::{OsStr, OsString};
use std::fs::{self, File, OpenOptions};
use std::io::{self, ErrorKind, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// Writes `bytes` to a new temporary file in `path`'s folder and renames it
/// over `path`; removes the temporary file if anything fails.
pub fn write(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let folder = folder_of(path);
    fs::create_dir_all(folder)?;
    let (temp, file) = create_temp(folder, path.file_name().unwrap_or(OsStr::new("file")))?;
    // The new content keeps the old file's permissions: a config holding
    // credentials in its headers stays private.
    if let Ok(old) = fs::metadata(path)
        && let Err(e) = file.set_permissions(old.permissions())
    {
        let _ = fs::remove_file(&temp);
        return Err(e);
    }
    if let Err(e) = write_and_rename(file, bytes, &temp, path) {
        let _ = fs::remove_file(&temp);
        return Err(e);
    }
    sync_folder(folder)
}

/// Writes `bytes` over `path` as [`write`] does, through a temporary file
/// renamed into place, but syncs nothing: for a cache that can be made
/// again, whose reader checks what it reads (a crash may leave it empty or
/// cut, never half old and half new for a reader meanwhile). Syncing a
/// file of a few megabytes and its folder costs milliseconds on every
/// refresh that writes it.
pub fn replace(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let folder = folder_of(path);
    let (temp, mut file) = create_temp(folder, path.file_name().unwrap_or(OsStr::new("file")))?;
    let written = file.write_all(bytes).and_then(|()| {
        drop(file);
        fs::rename(&temp, path)
    });
    if written.is_err() {
        let _ = fs::remove_file(&temp);
    }
    written
}

/// The folder `path` is in (`.` for a bare name).
fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// Writes each `(path, bytes)` atomically; all paths are in `folder`. Every
/// temporary file is written first, then all are flushed to disk at once,
/// then renamed into place, then the folder is synced. On an error, the
/// temporary files not yet renamed are removed; files already renamed are
/// complete.
pub fn write_many(folder: &Path, files: &[(PathBuf, Vec<u8>)]) -> io::Result<()> {
    if files.is_empty() {
        return Ok(());
    }
    fs::create_dir_all(folder)?;
    let mut temps: Vec<(PathBuf, &Path)> = Vec::with_capacity(files.len());
    let result = (|| {
        for (path, bytes) in files {
            let (temp, mut file) =
                create_temp(folder, path.file_name().unwrap_or(OsStr::new("file")))?;
            temps.push((temp, path));
            file.write_all(bytes)?;
            if !flush_all_at_once(files.len()) {
                file.sync_all()?;
            }
        }
        if flush_all_at_once(files.len()) {
            sync_file_system(folder)?;
        }
        Ok(())
    })();
    if let Err(e) = result {
        for (temp, _) in &temps {
            let _ = fs::remove_file(temp);
        }
        return Err(e);
    }
    for (i, (temp, path)) in temps.iter().enumerate() {
        if let Err(e) = fs::rename(temp, path) {
            for (temp, _) in &temps[i..] {
                let _ = fs::remove_file(temp);
            }
            return Err(e);
        }
    }
    sync_folder(folder)
}

/// Removes the files `names` of `folder` (one already gone is no error),
/// then syncs the folder so that the removals are durable.
pub fn remove_many(folder: &Path, names: &[String]) -> io::Result<()> {
    if names.is_empty() {
        return Ok(());
    }
    for name in names {
        match fs::remove_file(folder.join(name)) {
            Err(e) if e.kind() != ErrorKind::NotFound => return Err(e),
            _ => {}
        }
    }
    sync_folder(folder)
}

/// Batches of more files than this are flushed with one `syncfs`.
const FEW_FILES: usize = 16;

/// Whether one `syncfs` should replace a sync per file for a batch of
/// `files`.
fn flush_all_at_once(files: usize) -> bool {
    cfg!(target_os = "linux") && files > FEW_FILES
}

/// Flushes every dirty file of the file system holding `folder`.
#[cfg(target_os = "linux")]
fn sync_file_system(folder: &Path) -> io::Result<()> {
    use std::os::fd::AsRawFd;
    let dir = File::open(folder)?;
    // SAFETY: syncfs takes a valid open file descriptor and nothing else;
    // `dir` keeps it open for the duration of the call.
    let rc = unsafe { libc::syncfs(dir.as_raw_fd()) };
    if rc == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

#[cfg(not(target_os = "linux"))]
fn sync_file_system(_folder: &Path) -> io::Result<()> {
    Ok(())
}

/// Removes temporary files that an interrupted batch left in `folder`.
pub fn remove_leftovers(folder: &Path) {
    let Ok(entries) = fs::read_dir(folder) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with('.') && name.contains(".tmp-") {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// Removes the temporary files that interrupted [`write`]s of `path` left
/// beside it (`.<name>.tmp-<pid>-<n>`), when the process that made each one
/// has ended: a writer killed between creating its file and renaming it
/// leaves one behind, and nothing else would ever remove it. Files of a
/// process still running, of this process, or not named like ours are left
/// alone; so is everything when the folder cannot be read or written.
pub fn remove_stale_temps(path: &Path) {
    let (Some(folder), Some(name)) = (path.parent(), path.file_name()) else {
        return;
    };
    let folder = if folder.as_os_str().is_empty() {
        Path::new(".")
    } else {
        folder
    };
    let Ok(entries) = fs::read_dir(folder) else {
        return;
    };
    let mut prefix = OsString::from(".");
    prefix.push(name);
    prefix.push(".tmp-");
    let prefix = prefix.to_string_lossy().into_owned();
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(rest) = file_name.to_str().and_then(|n| n.strip_prefix(&prefix)) else {
            continue;
        };
        let Some((pid, n)) = rest.split_once('-') else {
            continue;
        };
        let (Ok(pid), Ok(_)) = (pid.parse::<u32>(), n.parse::<u64>()) else {
            continue;
        };
        if pid != std::process::id() && !process_alive(pid) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// Whether a process `pid` exists (in this process's view of them).
#[cfg(unix)]
fn process_alive(pid: u32) -> bool {
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return false;
    };
    if pid <= 0 {
        return false;
    }
    // SAFETY: signal 0 only checks that the process exists and may be
    // signalled; nothing is sent.
    let rc = unsafe { libc::kill(pid, 0) };
    rc == 0 || io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
}

/// Without a way to ask, every process may still be writing.
#[cfg(not(unix))]
fn process_alive(_pid: u32) -> bool {
    true
}

fn write_and_rename(mut file: File, bytes: &[u8], temp: &Path, path: &Path) -> io::Result<()> {
    file.write_all(bytes)?;
    file.sync_all()?;
    drop(file);
    fs::rename(temp, path)
}

/// A new file `.<name>.tmp-<pid>-<n>` in `folder`, never an existing one.
fn create_temp(folder: &Path, name: &OsStr) -> io::Result<(PathBuf, File)> {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    loop {
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let mut temp = OsString::from(".");
        temp.push(name);
        temp.push(format!(".tmp-{}-{n}", std::process::id()));
        let temp = folder.join(temp);
        match OpenOptions::new().write(true).create_new(true).open(&temp) {
            Ok(file) => return Ok((temp, file)),
            Err(e) if e.kind() == ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
}

/// Makes the rename itself durable. File systems that cannot sync a folder
/// say so with `InvalidInput` or `Unsupported`; that is not a failure.
#[cfg(unix)]
fn sync_folder(folder: &Path) -> io::Result<()> {
    match File::open(folder).and_then(|f| f.sync_all()) {
        Err(e) if matches!(e.kind(), ErrorKind::InvalidInput | ErrorKind::Unsupported) => Ok(()),
        other => other,
    }
}

#[cfg(not(unix))]
fn sync_folder(_folder: &Path) -> io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(folder: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(folder)
            .map(|d| {
                d.flatten()
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        names.sort();
        names
    }

    #[test]
    fn a_replaced_file_has_the_new_content_and_no_temporary_file_is_left() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("FOLDERS");
        replace(&path, b"old").unwrap_or_else(|e| panic!("{e}"));
        replace(&path, "新的".as_bytes()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(fs::read_to_string(&path).ok().as_deref(), Some("新的"));
        assert_eq!(names(dir.path()), ["FOLDERS"]);
        // A folder that is not there: the error, and nothing made.
        let missing = dir.path().join("gone").join("FOLDERS");
        assert!(replace(&missing, b"x").is_err());
        assert_eq!(names(dir.path()), ["FOLDERS"]);
    }

    #[test]
    fn a_batch_lands_whole_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let files: Vec<(PathBuf, Vec<u8>)> = (0..50)
            .map(|i| {
                (
                    dir.path().join(format!("f{i:02}.txt")),
                    format!("第{i}条").into_bytes(),
                )
            })
            .collect();
        write_many(dir.path(), &files).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(names(dir.path()).len(), 50);
        assert_eq!(
            fs::read_to_string(dir.path().join("f07.txt"))
                .ok()
                .as_deref(),
            Some("第7条")
        );
    }

    #[test]
    fn a_failed_rename_removes_the_rest_and_keeps_the_old_files() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        fs::write(dir.path().join("a.txt"), "old").unwrap_or_else(|e| panic!("{e}"));
        // A folder where a file should go: its rename fails.
        fs::create_dir(dir.path().join("b.txt")).unwrap_or_else(|e| panic!("{e}"));
        fs::write(dir.path().join("b.txt/keep"), "x").unwrap_or_else(|e| panic!("{e}"));
        let files = vec![
            (dir.path().join("b.txt"), b"new b".to_vec()),
            (dir.path().join("a.txt"), b"new a".to_vec()),
        ];
        assert!(write_many(dir.path(), &files).is_err());
        assert_eq!(
            fs::read_to_string(dir.path().join("a.txt")).ok().as_deref(),
            Some("old")
        );
        assert_eq!(names(dir.path()), ["a.txt", "b.txt"]);
    }

    #[cfg(unix)]
    #[test]
    fn a_rewrite_keeps_the_files_permissions() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("config.toml");
        fs::write(&path, "old").unwrap_or_else(|e| panic!("{e}"));
        fs::set_permissions(&path, fs::Permissions::from_mode(0o600))
            .unwrap_or_else(|e| panic!("{e}"));
        write(&path, b"new").unwrap_or_else(|e| panic!("{e}"));
        let mode = fs::metadata(&path)
            .map(|m| m.permissions().mode() & 0o777)
            .unwrap_or(0);
        assert_eq!(mode, 0o600);
        assert_eq!(fs::read_to_string(&path).ok().as_deref(), Some("new"));
    }

    #[cfg(unix)]
    #[test]
    fn stale_temporary_files_of_the_target_are_removed() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("state.json");
        // A child that has exited and been waited for: its pid is free.
        let mut child = std::process::Command::new("sleep")
            .arg("0")
            .spawn()
            .unwrap_or_else(|e| panic!("{e}"));
        let gone = child.id();
        let _ = child.wait();
        let running = std::process::id();
        for name in [
            format!(".state.json.tmp-{gone}-0"),
            format!(".state.json.tmp-{running}-3"),
            format!(".other.json.tmp-{gone}-0"),
            format!(".state.json.tmp-{gone}-x"),
            "state.json".to_owned(),
        ] {
            fs::write(dir.path().join(name), "x").unwrap_or_else(|e| panic!("{e}"));
        }
        remove_stale_temps(&path);
        let mut expected = vec![
            format!(".other.json.tmp-{gone}-0"),
            format!(".state.json.tmp-{gone}-x"),
            format!(".state.json.tmp-{running}-3"),
            "state.json".to_owned(),
        ];
        expected.sort();
        assert_eq!(names(dir.path()), expected);
    }

    #[test]
    fn leftovers_of_an_interrupted_batch_are_removed() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        fs::write(dir.path().join(".x.txt.tmp-1-2"), "half").unwrap_or_else(|e| panic!("{e}"));
        fs::write(dir.path().join("x.txt"), "whole").unwrap_or_else(|e| panic!("{e}"));
        remove_leftovers(dir.path());
        assert_eq!(names(dir.path()), ["x.txt"]);
    }
}
