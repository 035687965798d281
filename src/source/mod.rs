//! Readers of stored sources: bytes on disk become articles.
//!
//! [`decode`] turns a file's bytes into text (UTF-8, UTF-16, GB18030, Big5 …);
//! [`page`] splits the text of one newspaper page into articles and their
//! parts. Both are pure functions; [`read_page`] joins them for a file.

pub mod decode;
pub mod page;

use std::path::Path;

use crate::model::Warning;

/// Reads, decodes and parses one page file. A file that cannot be read or
/// decoded is a warning naming it, never a panic; `display` is how the file
/// is named in warnings and source refs.
pub fn read_page(path: &Path, display: &str) -> Result<page::ParsedPage, Warning> {
    let bytes = std::fs::read(path).map_err(|e| {
        let dangling = e.kind() == std::io::ErrorKind::NotFound && path.is_symlink();
        let message = if dangling {
            "broken symbolic link: its target does not exist; fix or remove the link".to_owned()
        } else {
            io_message(&e)
        };
        Warning::new(display, None, message)
    })?;
    let decoded = decode::decode(&bytes).map_err(|e| Warning::new(display, None, e.to_string()))?;
    Ok(page::parse(&decoded.text, display))
}

/// An I/O error as a short reason plus what to do about it.
pub fn io_message(e: &std::io::Error) -> String {
    use std::io::ErrorKind;
    match e.kind() {
        ErrorKind::NotFound => "no such file; check the path".to_owned(),
        ErrorKind::PermissionDenied => "permission denied; check the file's permissions".to_owned(),
        ErrorKind::IsADirectory => "is a folder, not a page file; name a .txt file".to_owned(),
        _ => format!("cannot read: {e}"),
    }
}
