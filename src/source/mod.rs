//! Readers of stored sources: bytes on disk become articles.
//!
//! [`decode`] turns a file's bytes into text (UTF-8, UTF-16, GB18030, Big5 …);
//! [`page`] splits the text of one newspaper page into articles and their
//! parts. Both are pure functions; [`read_page`] joins them for a file, and
//! also reads stored feed items (`+++` front matter) and feed files (RSS,
//! Atom, JSON Feed) through [`crate::feed`].

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
    if crate::feed::parse::looks_like_feed(&bytes) {
        return read_feed_file(&bytes, display);
    }
    let decoded = decode::decode(&bytes).map_err(|e| Warning::new(display, None, e.to_string()))?;
    if decoded
        .text
        .trim_start_matches('\u{feff}')
        .starts_with(crate::feed::item::FRONT_MATTER)
    {
        let item = crate::feed::item::Item::from_file(&decoded.text)
            .map_err(|e| Warning::new(display, None, format!("stored feed item: {e}")))?;
        return Ok(page::ParsedPage {
            articles: vec![item.to_article(display)],
            ..page::ParsedPage::default()
        });
    }
    Ok(page::parse(&decoded.text, display))
}

/// A feed file (RSS, Atom, JSON Feed) read like a page: its items.
fn read_feed_file(bytes: &[u8], display: &str) -> Result<page::ParsedPage, Warning> {
    let feed =
        crate::feed::parse::parse(bytes, None, None).map_err(|e| Warning::new(display, None, e))?;
    Ok(page::ParsedPage {
        articles: feed
            .items
            .iter()
            .map(|item| item.to_article(display))
            .collect(),
        ..page::ParsedPage::default()
    })
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
