//! Writing a file so that a crash leaves the old or the new content, never
//! a mix: a new temporary file in the same folder, written and synced, then
//! renamed over the target, then the folder synced. Used for read marks
//! and for stored feed items.

use std::ffi::{OsStr, OsString};
use std::fs::{self, File, OpenOptions};
use std::io::{self, ErrorKind, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// Writes `bytes` to a new temporary file in `path`'s folder and renames it
/// over `path`; removes the temporary file if anything fails.
pub fn write(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    fs::create_dir_all(folder)?;
    let (temp, file) = create_temp(folder, path.file_name().unwrap_or(OsStr::new("file")))?;
    if let Err(e) = write_and_rename(file, bytes, &temp, path) {
        let _ = fs::remove_file(&temp);
        return Err(e);
    }
    sync_folder(folder)
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
