//! Readers of stored sources: bytes on disk become articles.
//!
//! Every format kanbao keeps on disk is read here, and nothing here touches
//! the network ([`crate::feed`] fetches; it stores what this folder reads):
//!
//! - [`decode`]: a file's bytes → text (UTF-8, UTF-16, GB18030, Big5 …),
//!   and [`codepage`] for the old single-byte code pages feeds declare;
//! - [`page`]: the text of one newspaper page → articles and their parts;
//! - [`date`]: feed dates as real feeds write them;
//! - [`feed_file`]: feed bytes (RSS, Atom, JSON Feed) → items, with
//!   [`feed_rewrite`] turning real feeds' forms into standard ones and
//!   [`feed_extra`] reading what feed-rs leaves out, [`quick_rss`]
//!   reading plain RSS 2.0 without feed-rs, item by item, and
//!   [`feed_entry`] making an item of an entry either way;
//! - [`item`]: a stored feed item (TOML front matter, then paragraphs),
//!   and [`bundle`]: a day's items in one file;
//! - [`html`]: item HTML → paragraphs, numbered links and photos;
//! - [`dom`]: an HTML tree and simple selectors, for pages whose structure
//!   matters;
//! - [`repair`]: ill-formed feed XML made well-formed, with warnings;
//! - [`epaper`]: e-paper pages — a 版面 page → its [`edition`], an article
//!   page → the article.
//!
//! All are pure functions of their input; [`read_page`] joins them for one
//! file on disk, whichever of the formats it holds.

pub mod bundle;
pub mod codepage;
pub mod date;
pub mod decode;
pub mod dom;
pub mod edition;
pub mod epaper;
pub mod feed_entry;
pub mod feed_extra;
pub mod feed_file;
pub mod feed_rewrite;
pub mod html;
pub mod item;
pub mod page;
pub mod quick_rss;
pub mod repair;

use std::path::Path;

use crate::io_message::io_message;
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
    if crate::source::feed_file::looks_like_feed(&bytes) {
        return read_feed_file(&bytes, display);
    }
    let decoded = decode::decode(&bytes).map_err(|e| Warning::new(display, None, e.to_string()))?;
    if bundle::is_bundle(&decoded.text) {
        return Ok(read_bundle(&decoded.text, display));
    }
    if decoded
        .text
        .trim_start_matches('\u{feff}')
        .starts_with(crate::source::item::FRONT_MATTER)
    {
        let item = crate::source::item::Item::from_file(&decoded.text)
            .map_err(|e| Warning::new(display, None, format!("stored feed item: {e}")))?;
        return Ok(page::ParsedPage {
            articles: vec![item.to_article(display)],
            warnings: (item.date_warning().into_iter())
                .map(|w| Warning::new(display, None, w))
                .collect(),
            ..page::ParsedPage::default()
        });
    }
    if epaper::looks_like_html(&decoded.text) {
        return read_html(&decoded.text, display);
    }
    Ok(page::parse(&decoded.text, display))
}

/// A bundle of stored items: one article per item, each named (for its
/// id) as the file it would have on its own. An item that cannot be read
/// is a warning naming its line; the others still load.
fn read_bundle(text: &str, display: &str) -> page::ParsedPage {
    let mut parsed = page::ParsedPage::default();
    for chunk in bundle::split(text) {
        let line = chunk.first_line;
        match item::Item::from_file(&chunk.text) {
            Ok(item) => {
                let mut article = item.to_article(display);
                article.source.first_line = chunk.first_line;
                article.source.last_line = chunk.last_line;
                parsed.articles.push(article);
                parsed.item_names.push(bundle::file_name(&item.guid));
                if let Some(w) = item.date_warning() {
                    parsed.warnings.push(Warning::new(display, Some(line), w));
                }
            }
            Err(e) => parsed.warnings.push(Warning::new(
                display,
                Some(line),
                format!("stored feed item: {e}; fix the item or delete it from the file"),
            )),
        }
    }
    parsed
}

/// A saved web page: an e-paper article page gives its article, a 版面
/// page its edition; other pages are not read.
fn read_html(text: &str, display: &str) -> Result<page::ParsedPage, Warning> {
    match epaper::read(text, None) {
        Some(epaper::Parsed::Story(story)) => {
            // A saved page has no address of its own: the file names it.
            let mut item = story.to_item(display, None);
            item.link = None;
            Ok(page::ParsedPage {
                articles: vec![item.to_article(display)],
                ..page::ParsedPage::default()
            })
        }
        Some(epaper::Parsed::Edition(mut edition)) => {
            // Which 版面 this is: the one whose link names this file.
            let file = Path::new(display).file_name().and_then(|f| f.to_str());
            let this = edition
                .pages
                .iter()
                .find(|p| file.is_some_and(|f| p.url.rsplit('/').next() == Some(f)));
            if let (None, Some(this)) = (&edition.page, this) {
                edition.section = this.name.clone();
                edition.page = Some(this.number.clone());
            }
            Ok(page::ParsedPage {
                edition: Some(edition),
                ..page::ParsedPage::default()
            })
        }
        None => Err(Warning::new(
            display,
            None,
            "an HTML page that is neither an e-paper 版面 page nor an article page; \
             save the page's text as a .txt file, or add the site's feed"
                .to_owned(),
        )),
    }
}

/// A feed file (RSS, Atom, JSON Feed) read like a page: its items.
fn read_feed_file(bytes: &[u8], display: &str) -> Result<page::ParsedPage, Warning> {
    let feed = crate::source::feed_file::parse(bytes, None, None)
        .map_err(|e| Warning::new(display, None, e))?;
    Ok(page::ParsedPage {
        articles: feed
            .items
            .iter()
            .map(|item| item.to_article(display))
            .collect(),
        warnings: (feed.warnings.iter())
            .map(|w| Warning::new(display, None, w.clone()))
            .collect(),
        feed: Some(feed.title),
        ..page::ParsedPage::default()
    })
}
