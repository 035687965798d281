//! Web feeds: RSS, Atom and JSON Feed items fetched into the archive.
//!
//! - [`http`]: fetching a feed's bytes (conditional GET, redirects,
//!   timeouts, size cap, gzip);
//! - [`html`]: item HTML → paragraphs, numbered links and photos;
//! - [`opml`]: importing and exporting feed lists.

pub mod html;
pub mod http;
pub mod opml;
